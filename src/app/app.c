#include "app/app.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/routes.h"
#include "api/lawful_bases.h"
#include "api/sharing_channels.h"
#include "app/web.h"
#include "audit/audit_queue.h"
#include "calendar/calendar.h"
#include "clock/rules.h"
#include "core/xmalloc.h"
#include "domain/enums.h"
#include "http/router.h"
#include "pathway/stage.h"
#include "policy/policy.h"
#include "search/search.h"
#include "store/migrate.h"
#include "support/catalogue.h"
#include "ui/template.h"

static _Thread_local struct store *thread_store;

static const char *env_or(const char *name, const char *fallback)
{
	const char *v = getenv(name);
	return v && *v ? v : fallback;
}

void app_config_from_env(struct app_config *cfg)
{
	memset(cfg, 0, sizeof *cfg);
	cfg->db_path = env_or("SAFEGUARD_DB", "var/safeguard.db");
	cfg->home = env_or("SAFEGUARD_HOME", ".");
	cfg->authority = env_or("SAFEGUARD_AUTHORITY", "essex");
	cfg->cookie_secure = strcmp(env_or("SAFEGUARD_COOKIE_SECURE", "1"), "0") != 0;
	cfg->session_idle_s = atoi(env_or("SAFEGUARD_SESSION_IDLE", "1800"));
	cfg->session_absolute_s = atoi(env_or("SAFEGUARD_SESSION_ABSOLUTE", "36000"));
	cfg->public_url = getenv("SAFEGUARD_PUBLIC_URL");
}

static char *join(const char *a, const char *b)
{
	struct buf p;
	buf_init(&p, 4096);
	buf_addf(&p, "%s/%s", a, b);
	return buf_detach(&p);
}

int app_open(struct app *app, const struct app_config *cfg, struct buf *err)
{
	memset(app, 0, sizeof *app);
	app->cfg = *cfg;
	pthread_mutex_init(&app->stores_lock, NULL);
	app->rules_dir = join(cfg->home, "rules");
	app->migrations_dir = join(cfg->home, "migrations");
	app->templates_dir = join(cfg->home, "web/templates");
	app->assets_dirs[0] = join(cfg->home, "build/assets");
	app->assets_dirs[1] = join(cfg->home, "web/assets");

	if (enums_load_dir(app->rules_dir, err) < 0)
		return -1;
	int rc;
	if (calendar_load(&app->calendar, app->rules_dir, cfg->authority, err) < 0)
		return -1;
	if (clock_rules_load(&app->clock_rules, app->rules_dir, err) < 0)
		return -1;
	if (support_catalogue_load(&app->support, app->rules_dir, app->clock_rules, err) < 0)
		return -1;
	if (policy_load(app->rules_dir, err) < 0)
		return -1;
	if (stage_load(app->rules_dir, err) < 0)
		return -1;
	/* The information-sharing lists: loaded once, and a bad file stops start-up like any other rule file. */
	char *bases_path = join(app->rules_dir, "lawful_bases.json");
	rc = lawful_bases_load(bases_path, &app->lawful_bases, err);
	free(bases_path);
	if (rc < 0)
		return -1;
	char *channels_path = join(app->rules_dir, "sharing_channels.json");
	rc = sharing_channels_load(channels_path, &app->sharing_channels, err);
	free(channels_path);
	if (rc < 0)
		return -1;
	if (template_load_dir(&app->templates, app->templates_dir, err) < 0)
		return -1;

	struct store *st = app_store(app);
	if (!st) {
		buf_addf(err, "cannot open the database %s", cfg->db_path);
		return -1;
	}
	rc = migrate_check(st, app->migrations_dir, err);
	if (rc < 0)
		return -1;
	if (rc > 0) {
		buf_addf(err, "the database %s needs migrating: run `safeguard migrate` first", cfg->db_path);
		return -1;
	}
	/* A newer binary whose search keys changed rebuilds the index before it serves (src/search). */
	if (search_index_refresh(st, NULL) != STORE_OK) {
		buf_addf(err, "cannot rebuild the search index: %s", store_errmsg(st));
		return -1;
	}
	return audit_queue_start(&app->read_audit, cfg->db_path, err);
}

void app_close(struct app *app)
{
	audit_queue_stop(app->read_audit); /* every queued read-audit entry is on disk before we go */
	app->read_audit = NULL;
	pthread_mutex_lock(&app->stores_lock);
	for (int i = 0; i < app->nstores; i++)
		store_close(app->stores[i]);
	app->nstores = 0;
	pthread_mutex_unlock(&app->stores_lock);
	thread_store = NULL;
	template_set_free(app->templates);
	support_catalogue_free(app->support);
	json_decref(app->lawful_bases);
	json_decref(app->sharing_channels);
	clock_rules_free(app->clock_rules);
	calendar_free(app->calendar);
	policy_free();
	stage_free();
	enums_free();
	free(app->rules_dir);
	free(app->migrations_dir);
	free(app->templates_dir);
	free(app->assets_dirs[0]);
	free(app->assets_dirs[1]);
	pthread_mutex_destroy(&app->stores_lock);
}

struct store *app_store(struct app *app)
{
	if (thread_store)
		return thread_store;
	struct buf err;
	buf_init(&err, 1024);
	struct store *st = NULL;
	if (store_open(&st, app->cfg.db_path, NULL, &err) != STORE_OK) {
		fprintf(stderr, "safeguard: %s\n", buf_str(&err));
		buf_free(&err);
		return NULL;
	}
	buf_free(&err);
	pthread_mutex_lock(&app->stores_lock);
	if (app->nstores == APP_MAX_STORES) {
		pthread_mutex_unlock(&app->stores_lock);
		store_close(st);
		fprintf(stderr, "safeguard: too many worker threads for the connection list\n");
		return NULL;
	}
	app->stores[app->nstores++] = st;
	pthread_mutex_unlock(&app->stores_lock);
	thread_store = st;
	return st;
}

void app_handle(struct http_request *req)
{
	struct app *app = req->app;
	if (req->method == HTTP_GET || req->method == HTTP_HEAD) {
		if (strncmp(req->path, "/assets/", 8) == 0) {
			web_serve_asset(req, (const char *const *)app->assets_dirs, 2, req->path + 8);
			return;
		}
	}
	struct buf allow;
	buf_init(&allow, 256);
	enum router_result rr = router_match(routes_all, req, &allow);
	if (rr == ROUTER_BAD_METHOD) {
		http_header(req, "Allow", buf_str(&allow));
		buf_free(&allow);
		web_error(req, 405, "Method not allowed", "This address does not accept that method.");
		return;
	}
	buf_free(&allow);
	if (rr == ROUTER_NOT_FOUND) {
		web_error(req, 404, "Page not found", "There is nothing at this address.");
		return;
	}
	req->store = app_store(app);
	if (!req->store) {
		web_error(req, 503, "Service unavailable", "The database cannot be reached. Try again shortly.");
		return;
	}
	/* A page or a read sees one consistent snapshot, from the session check to the answer, and pays for one read
	 * lock rather than one per query. A session's touch (every SESSION_TOUCH_EVERY seconds) ends the snapshot to
	 * write; the handler then gets a fresh one below. */
	bool state_changing = req->method != HTTP_GET && req->method != HTTP_HEAD;
	store_begin_read(req->store);
	if (web_authenticate(req) < 0)
		goto out; /* answered: 401, or a redirect to sign in */
	/* A command reads outside any snapshot until it opens its write transaction, as it always has. */
	if (state_changing)
		store_end_read(req->store);
	const struct route *r = req->route;
	if (state_changing && !(r->flags & ROUTE_NO_CSRF) && web_check_csrf(req) < 0)
		goto out;
	if (r->action && !(r->flags & ROUTE_PUBLIC) && !policy_allows_action(&req->user, r->action)) {
		web_forbidden(req, r->action, NULL);
		goto out;
	}
	if (!state_changing && !store_in_transaction(req->store))
		store_begin_read(req->store);
	r->handler(req);
out:
	/* A handler must commit or roll back; never leave a half-written request (or an open snapshot) behind. */
	if (store_in_transaction(req->store))
		store_rollback(req->store);
}
