/* cli_store: how console commands open the database: the same file the service uses, and only when its schema is
 * exactly what this program expects (a console tool writing to an unmigrated or newer schema could corrupt it). */
#include <stdio.h>
#include <stdlib.h>

#include "cli/cli.h"
#include "store/migrate.h"

static const char *env_or(const char *name, const char *fallback)
{
	const char *v = getenv(name);
	return v && *v ? v : fallback;
}

int cli_open_current(const char *db_opt, const char *home_opt, struct store **out)
{
	const char *db = db_opt ? db_opt : env_or("SAFEGUARD_DB", "var/safeguard.db");
	const char *home = home_opt ? home_opt : env_or("SAFEGUARD_HOME", ".");
	struct buf err, mig;
	buf_init(&err, 4096);
	buf_init(&mig, 4096);
	const char *dir = getenv("SAFEGUARD_MIGRATIONS");
	if (dir && *dir)
		buf_adds(&mig, dir);
	else
		buf_addf(&mig, "%s/migrations", home);
	struct store *st = NULL;
	int rc = -1;
	if (store_open(&st, db, NULL, &err) != STORE_OK) {
		fprintf(stderr, "safeguard: %s\n", buf_str(&err));
		goto out;
	}
	int c = migrate_check(st, buf_str(&mig), &err);
	if (c < 0) {
		fprintf(stderr, "safeguard: %s\n", buf_str(&err));
		goto out;
	}
	if (c > 0) {
		fprintf(stderr, "safeguard: the database %s has migrations pending: run `safeguard migrate` first\n", db);
		goto out;
	}
	*out = st;
	st = NULL;
	rc = 0;
out:
	store_close(st);
	buf_free(&err);
	buf_free(&mig);
	return rc;
}
