/* safeguard serve / migrate: the service and its schema. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/app.h"
#include "cli/cli.h"
#include "http/server.h"
#include "search/search.h"
#include "store/migrate.h"

const char *cli_opt(int argc, char **argv, int *i, const char *name)
{
	size_t n = strlen(name);
	const char *a = argv[*i];
	if (strncmp(a, name, n) != 0)
		return NULL;
	if (a[n] == '=')
		return a + n + 1;
	if (a[n] == '\0' && *i + 1 < argc) {
		(*i)++;
		return argv[*i];
	}
	return NULL;
}

static int parse_listen(const char *listen, char host[64], unsigned *port)
{
	const char *colon = strrchr(listen, ':');
	if (!colon || colon == listen || (size_t)(colon - listen) >= 64)
		return -1;
	char *end;
	unsigned long p = strtoul(colon + 1, &end, 10);
	if (*end || p > 65535 || end == colon + 1)
		return -1;
	memcpy(host, listen, (size_t)(colon - listen));
	host[colon - listen] = '\0';
	*port = (unsigned)p;
	return 0;
}

static const char serve_help[] =
	"usage: safeguard serve [--db PATH] [--listen HOST:PORT] [--threads N] [--home DIR]\n"
	"                       [--access-log PATH|-] [--port-file PATH]\n\n"
	"Runs the web service and the JSON API under /api/v1 until SIGINT or SIGTERM, then finishes the requests\n"
	"in flight and closes the database.\n\n"
	"  --db PATH          database file (env SAFEGUARD_DB; default var/safeguard.db)\n"
	"  --listen HOST:PORT address to listen on (env SAFEGUARD_LISTEN; default 127.0.0.1:8080; port 0 picks one)\n"
	"  --threads N        worker threads (env SAFEGUARD_THREADS; default 2)\n"
	"  --home DIR         where rules/, migrations/ and web/ are (env SAFEGUARD_HOME; default .)\n"
	"  --access-log PATH  JSON-lines access log, '-' for stderr (env SAFEGUARD_ACCESS_LOG; default -)\n"
	"  --port-file PATH   write the bound port here once listening (for tests)\n\n"
	"Other settings: SAFEGUARD_AUTHORITY (whose closure days apply; default essex), SAFEGUARD_COOKIE_SECURE\n"
	"(0 to allow the session cookie over plain http; default 0 on loopback, else 1), SAFEGUARD_SESSION_IDLE and\n"
	"SAFEGUARD_SESSION_ABSOLUTE (seconds; default 1800 and 36000), SAFEGUARD_MAX_BODY (bytes; default 10485760),\n"
	"SAFEGUARD_PUBLIC_URL (the address users reach, for calendar-feed links; default http://HOST:PORT).\n";

int cmd_serve(int argc, char **argv)
{
	struct app_config cfg;
	app_config_from_env(&cfg);
	const char *listen = getenv("SAFEGUARD_LISTEN") ? getenv("SAFEGUARD_LISTEN") : "127.0.0.1:8080";
	const char *access = getenv("SAFEGUARD_ACCESS_LOG") ? getenv("SAFEGUARD_ACCESS_LOG") : "-";
	const char *port_file = NULL, *v;
	unsigned threads = getenv("SAFEGUARD_THREADS") ? (unsigned)atoi(getenv("SAFEGUARD_THREADS")) : 2;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0) {
			fputs(serve_help, stdout);
			return 0;
		} else if ((v = cli_opt(argc, argv, &i, "--db"))) {
			cfg.db_path = v;
		} else if ((v = cli_opt(argc, argv, &i, "--listen"))) {
			listen = v;
		} else if ((v = cli_opt(argc, argv, &i, "--threads"))) {
			threads = (unsigned)atoi(v);
		} else if ((v = cli_opt(argc, argv, &i, "--home"))) {
			cfg.home = v;
		} else if ((v = cli_opt(argc, argv, &i, "--access-log"))) {
			access = v;
		} else if ((v = cli_opt(argc, argv, &i, "--port-file"))) {
			port_file = v;
		} else {
			fprintf(stderr, "safeguard serve: unknown option '%s'\n\n%s", argv[i], serve_help);
			return 2;
		}
	}
	char host[64];
	unsigned port;
	if (parse_listen(listen, host, &port) < 0 || threads < 1 || threads > 32) {
		fprintf(stderr, "safeguard serve: --listen must be HOST:PORT and --threads 1-32\n");
		return 2;
	}
	if (!getenv("SAFEGUARD_COOKIE_SECURE"))
		cfg.cookie_secure = strncmp(host, "127.", 4) != 0;

	/* Block the stop signals before any thread starts, so only sigwait below receives them. */
	sigset_t stop;
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &stop, NULL);
	signal(SIGPIPE, SIG_IGN);

	struct app app;
	struct buf err;
	buf_init(&err, 4096);
	if (app_open(&app, &cfg, &err) < 0) {
		fprintf(stderr, "safeguard serve: %s\n", buf_str(&err));
		buf_free(&err);
		app_close(&app);
		return 1;
	}
	FILE *log = NULL;
	if (strcmp(access, "-") == 0)
		log = stderr;
	else if (*access && !(log = fopen(access, "a"))) {
		fprintf(stderr, "safeguard serve: cannot open access log %s\n", access);
		app_close(&app);
		return 1;
	}
	const char *mb = getenv("SAFEGUARD_MAX_BODY");
	struct server_config scfg = {
		.host = host,
		.port = (uint16_t)port,
		.threads = threads,
		.max_body = mb ? strtoul(mb, NULL, 10) : (size_t)10 * 1024 * 1024,
		.timeout_s = 30,
		.access_log = log,
		.handle = app_handle,
		.app = &app,
	};
	struct server *srv;
	if (server_start(&srv, &scfg, &err) < 0) {
		fprintf(stderr, "safeguard serve: %s\n", buf_str(&err));
		buf_free(&err);
		app_close(&app);
		return 1;
	}
	buf_free(&err);
	/* The default public address is the one actually bound (--listen may ask for port 0). It is set before the
	 * address is announced, so no client that learnt the port from us can see it unset. */
	static char public_url[128];
	if (!app.cfg.public_url || !*app.cfg.public_url) {
		snprintf(public_url, sizeof public_url, "http://%s:%u", host, server_port(srv));
		app.cfg.public_url = public_url;
	}
	fprintf(stderr, "safeguard: serving on http://%s:%u/ (database %s)\n", host, server_port(srv), cfg.db_path);
	if (port_file) {
		FILE *pf = fopen(port_file, "w");
		if (pf) {
			fprintf(pf, "%u\n", server_port(srv));
			fclose(pf);
		}
	}
	int sig = 0;
	sigwait(&stop, &sig);
	fprintf(stderr, "safeguard: stopping (signal %d): finishing requests in flight\n", sig);
	server_stop(srv, 10000);
	app_close(&app);
	if (log && log != stderr)
		fclose(log);
	fprintf(stderr, "safeguard: stopped\n");
	return 0;
}

static const char migrate_help[] =
	"usage: safeguard migrate [--db PATH] [--home DIR] [--check]\n\n"
	"Applies the numbered SQL files in migrations/ that the database has not had yet, each in its own\n"
	"transaction, and records them. Refuses a database whose schema is newer than this program.\n"
	"  --check   report whether migrations are pending without applying them (exit 1 if pending)\n";

int cmd_migrate(int argc, char **argv)
{
	struct app_config cfg;
	app_config_from_env(&cfg);
	bool check = false;
	const char *v;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0) {
			fputs(migrate_help, stdout);
			return 0;
		} else if (strcmp(argv[i], "--check") == 0) {
			check = true;
		} else if ((v = cli_opt(argc, argv, &i, "--db"))) {
			cfg.db_path = v;
		} else if ((v = cli_opt(argc, argv, &i, "--home"))) {
			cfg.home = v;
		} else {
			fprintf(stderr, "safeguard migrate: unknown option '%s'\n\n%s", argv[i], migrate_help);
			return 2;
		}
	}
	struct buf err, dir;
	buf_init(&err, 4096);
	buf_init(&dir, 4096);
	buf_addf(&dir, "%s/migrations", cfg.home);
	struct store *st = NULL;
	int rc = 1;
	if (store_open(&st, cfg.db_path, NULL, &err) != STORE_OK)
		goto out;
	if (check) {
		int c = migrate_check(st, buf_str(&dir), &err);
		if (c >= 0) {
			printf("%s\n", c ? "migrations pending" : "schema up to date");
			rc = c;
		}
		goto out;
	}
	int applied = 0;
	int indexed = 0;
	int up = migrate_up(st, buf_str(&dir), &applied, &err);
	if (up == 0 && search_index_refresh(st, &indexed) != STORE_OK) {
		buf_addf(&err, "cannot build the search index: %s", store_errmsg(st));
		up = -1;
	}
	if (up == 0) {
		if (indexed)
			printf("safeguard: search index rebuilt for %d child%s\n", indexed, indexed == 1 ? "" : "ren");
		printf("safeguard: database %s at schema version %d (%d migration%s applied)\n", cfg.db_path,
		       migrate_current_version(st), applied, applied == 1 ? "" : "s");
		rc = 0;
	}
out:
	if (err.len)
		fprintf(stderr, "safeguard migrate: %s\n", buf_str(&err));
	store_close(st);
	buf_free(&err);
	buf_free(&dir);
	return rc;
}
