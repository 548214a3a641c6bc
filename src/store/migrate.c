#include "store/migrate.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/xmalloc.h"

struct migration {
	int version;
	char *name;
	char *path;
};

static int cmp_migration(const void *a, const void *b)
{
	const struct migration *x = a, *y = b;
	return (x->version > y->version) - (x->version < y->version);
}

static void free_list(struct migration *m, int n)
{
	for (int i = 0; i < n; i++) {
		free(m[i].name);
		free(m[i].path);
	}
	free(m);
}

/* Lists dir/NNNN_*.sql sorted by version; rejects duplicates. */
static int list_migrations(const char *dir, struct migration **out, int *count, struct buf *err)
{
	DIR *d = opendir(dir);
	if (!d) {
		buf_addf(err, "cannot open migrations directory %s: %s", dir, strerror(errno));
		return -1;
	}
	struct migration *m = NULL;
	int n = 0, cap = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		const char *nm = e->d_name;
		size_t len = strlen(nm);
		if (len < 10 || strcmp(nm + len - 4, ".sql") != 0)
			continue;
		int v = 0, i = 0;
		for (; i < 4; i++) {
			if (nm[i] < '0' || nm[i] > '9')
				break;
			v = v * 10 + (nm[i] - '0');
		}
		if (i != 4 || nm[4] != '_')
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			m = xrealloc(m, (size_t)cap * sizeof *m);
		}
		struct buf p;
		buf_init(&p, 0);
		buf_addf(&p, "%s/%s", dir, nm);
		m[n].version = v;
		m[n].name = xstrndup(nm + 5, len - 9);
		m[n].path = buf_detach(&p);
		n++;
	}
	closedir(d);
	qsort(m, (size_t)n, sizeof *m, cmp_migration);
	for (int i = 1; i < n; i++) {
		if (m[i].version == m[i - 1].version) {
			buf_addf(err, "two migrations share version %04d (%s and %s)", m[i].version, m[i - 1].path,
			         m[i].path);
			free_list(m, n);
			return -1;
		}
	}
	*out = m;
	*count = n;
	return 0;
}

static char *read_file(const char *path, struct buf *err)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		buf_addf(err, "cannot read %s: %s", path, strerror(errno));
		return NULL;
	}
	struct buf b;
	buf_init(&b, 0);
	char chunk[8192];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_add(&b, chunk, n);
	fclose(f);
	return buf_detach(&b);
}

static int ensure_table(struct store *st, struct buf *err)
{
	if (store_exec(st, "CREATE TABLE IF NOT EXISTS schema_migrations ("
	                   " version INTEGER PRIMARY KEY,"
	                   " name TEXT NOT NULL,"
	                   " applied_at TEXT NOT NULL)") != STORE_OK) {
		buf_addf(err, "cannot create schema_migrations: %s", store_errmsg(st));
		return -1;
	}
	return 0;
}

int migrate_current_version(struct store *st)
{
	if (!store_table_exists(st, "schema_migrations"))
		return 0;
	int64_t v = store_query_int(st, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations", NULL);
	return (int)v;
}

static int check_newer(struct store *st, const struct migration *m, int n, struct buf *err)
{
	int cur = migrate_current_version(st);
	int newest = n ? m[n - 1].version : 0;
	if (cur < 0) {
		buf_addf(err, "cannot read the schema version: %s", store_errmsg(st));
		return -1;
	}
	if (cur > newest) {
		buf_addf(err,
		         "the database schema is version %d but this safeguard knows only up to %d: "
		         "refusing to run an older program against a newer database",
		         cur, newest);
		return -1;
	}
	return cur;
}

int migrate_check(struct store *st, const char *dir, struct buf *err)
{
	struct migration *m;
	int n;
	if (list_migrations(dir, &m, &n, err) < 0)
		return -1;
	int cur = check_newer(st, m, n, err);
	int rc = cur < 0 ? -1 : (n && m[n - 1].version > cur ? 1 : 0);
	free_list(m, n);
	return rc;
}

int migrate_up(struct store *st, const char *dir, int *applied, struct buf *err)
{
	struct migration *m = NULL;
	int n = 0, done = 0, rc = -1;
	if (list_migrations(dir, &m, &n, err) < 0)
		return -1;
	if (ensure_table(st, err) < 0)
		goto out;
	int cur = check_newer(st, m, n, err);
	if (cur < 0)
		goto out;
	for (int i = 0; i < n; i++) {
		if (m[i].version <= cur)
			continue;
		char *sql = read_file(m[i].path, err);
		if (!sql)
			goto out;
		if (store_begin(st) != STORE_OK) {
			buf_addf(err, "cannot begin migration %04d: %s", m[i].version, store_errmsg(st));
			free(sql);
			goto out;
		}
		int erc = store_exec(st, sql);
		free(sql);
		if (erc != STORE_OK) {
			buf_addf(err, "migration %04d_%s failed: %s", m[i].version, m[i].name, store_errmsg(st));
			store_rollback(st);
			goto out;
		}
		struct store_stmt *s = store_prepare(
			st, "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)");
		char now[32];
		time_t t = time(NULL);
		strftime(now, sizeof now, "%Y-%m-%dT%H:%M:%SZ", gmtime(&t));
		if (!s || store_bind_int(s, 1, m[i].version) || store_bind_text(s, 2, m[i].name) ||
		    store_bind_text(s, 3, now) || store_step(s) != STORE_DONE || store_commit(st) != STORE_OK) {
			buf_addf(err, "cannot record migration %04d: %s", m[i].version, store_errmsg(st));
			store_rollback(st);
			goto out;
		}
		done++;
	}
	rc = 0;
out:
	if (applied)
		*applied = done;
	free_list(m, n);
	return rc;
}
