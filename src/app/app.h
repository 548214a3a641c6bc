/* app: the running service: its configuration, the loaded rules and templates, one database connection per worker
 * thread, and the request pipeline (router → sign-in → CSRF → policy → handler).
 *
 * Everything in struct app is read-only once app_open() returns, except the per-thread store list (guarded). */
#ifndef SG_APP_H
#define SG_APP_H
#include <jansson.h>
#include <pthread.h>
#include <stdbool.h>

#include "core/buf.h"
#include "http/http.h"
#include "store/store.h"

struct calendar;
struct clock_rules;
struct support_catalogue;
struct template_set;
struct audit_queue;

#define APP_MAX_STORES 64

struct app_config {
	const char *db_path;         /* SAFEGUARD_DB, default var/safeguard.db */
	const char *home;            /* SAFEGUARD_HOME: where rules/, migrations/, web/ live; default "." */
	const char *authority;       /* SAFEGUARD_AUTHORITY: which local closure days apply; default "essex" */
	bool cookie_secure;          /* Secure attribute on the session cookie */
	int session_idle_s;          /* default 1800 */
	int session_absolute_s;      /* default 36000 */
	const char *public_url;      /* SAFEGUARD_PUBLIC_URL: the address users reach, for links that leave the
	                              * browser (calendar feeds); default http://LISTEN */
};

struct app {
	struct app_config cfg;
	char *rules_dir, *migrations_dir, *templates_dir, *assets_dirs[2];
	struct calendar *calendar;
	struct clock_rules *clock_rules;
	struct support_catalogue *support; /* decision-support catalogues (rules/support) */
	struct template_set *templates;
	json_t *lawful_bases;     /* rules/lawful_bases.json (api/lawful_bases.h), checked at start-up */
	json_t *sharing_channels; /* rules/sharing_channels.json (api/sharing_channels.h), checked at start-up */
	struct audit_queue *read_audit; /* group commit of read-audit entries (audit_queue.h) */
	pthread_mutex_t stores_lock;
	struct store *stores[APP_MAX_STORES];
	int nstores;
};

/* Loads rules, templates and calendars, and checks the database schema is current. -1 with err on any problem
 * (a bad rule file stops start-up with a message naming the file, the entry and the problem). */
int app_open(struct app *app, const struct app_config *cfg, struct buf *err);
void app_close(struct app *app);
/* This thread's connection, opened on first use. NULL (after logging why) if the database cannot be opened. */
struct store *app_store(struct app *app);
/* The request pipeline: the server calls this for every complete request. */
void app_handle(struct http_request *req);

/* Fills cfg from the environment, with defaults. */
void app_config_from_env(struct app_config *cfg);

#endif
