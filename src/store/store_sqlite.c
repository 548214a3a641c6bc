/* store_sqlite: the SQLite backend of store.h. The only file that includes sqlite3.h.
 *
 * Durability: WAL, and a commit that returned has been fdatasynced to the WAL and survives power loss. The sync is
 * a group commit (group_sync.h): SQLite writes the WAL with synchronous=NORMAL and store_commit() then waits for a
 * sync of the WAL that covers it, shared with whatever else committed meanwhile; autocommit writes likewise.
 * Foreign keys are enforced. Writers use BEGIN IMMEDIATE so the write lock is taken before the first read, which
 * both avoids SQLITE_BUSY on lock upgrade and serialises the audit hash chain.
 * Portable SQL arrives with $N parameters; SQLite reads "$1" as a named parameter numbered by first appearance, so
 * every $N is rewritten to ?N before preparing. */
#include "store/store.h"

#include <assert.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/xmalloc.h"
#include "store/group_sync.h"

#define STMT_CACHE_SLOTS 256

struct store_stmt {
	sqlite3_stmt *raw;
	struct store *owner;
	char *sql; /* the portable text, the cache key */
	uint64_t used; /* when it was last prepared, for least-recently-used eviction */
};

/* SQLite has one writer at a time. Writers in this process queue on a mutex rather than in SQLite's busy handler,
 * which sleeps for whole milliseconds between retries; other processes (the CLI) still meet the busy timeout. */
static pthread_mutex_t writer_lock = PTHREAD_MUTEX_INITIALIZER;

struct store;
static void release_writer(struct store *st);

/* Only statements that act when stepped: a PRAGMA that sets something acts while it is prepared, so those stay
 * with exec_simple(). */
enum ctl { CTL_BEGIN_READ, CTL_BEGIN_WRITE, CTL_COMMIT, CTL_ROLLBACK, CTL_COUNT };
static const char *const ctl_sql[CTL_COUNT] = {"BEGIN DEFERRED", "BEGIN IMMEDIATE", "COMMIT", "ROLLBACK"};

struct store {
	sqlite3 *db;
	bool in_txn;
	bool holds_writer; /* this connection holds writer_lock */
	bool reading;      /* the open transaction is a read snapshot (store_begin_read) */
	bool relaxed; /* the open transaction commits without waiting for the disk */
	struct group_sync *group; /* NULL: in memory, or read-only */
	uint64_t last_ticket;     /* this connection's last commit, for store_last_commit_durable() */
	/* BEGIN/COMMIT/ROLLBACK prepared once: sqlite3_exec would parse them on every request. */
	sqlite3_stmt *ctl[CTL_COUNT];
	void *caches[STORE_CACHE_SLOTS]; /* store_set_cache(): freed with the connection */
	void (*cache_free[STORE_CACHE_SLOTS])(void *);
	int nstmts;
	uint64_t tick;
	struct store_stmt *stmts[STMT_CACHE_SLOTS];
	char errmsg[256];
};

static int map_rc(struct store *st, int rc)
{
	switch (rc & 0xff) {
	case SQLITE_OK: return STORE_OK;
	case SQLITE_ROW: return STORE_ROW;
	case SQLITE_DONE: return STORE_DONE;
	case SQLITE_CONSTRAINT: return STORE_CONSTRAINT;
	case SQLITE_BUSY:
	case SQLITE_LOCKED: return STORE_BUSY;
	default: (void)st; return STORE_ERR;
	}
}

static void set_err(struct store *st, const char *what)
{
	snprintf(st->errmsg, sizeof st->errmsg, "%s: %s", what, sqlite3_errmsg(st->db));
}

const char *store_backend_name(void)
{
	return "sqlite " SQLITE_VERSION;
}

/* Before any connection: no global memory statistics, whose mutex every allocation in every thread would take. */
static pthread_once_t configure_once = PTHREAD_ONCE_INIT;

static void configure(void)
{
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
	sqlite3_initialize();
}

int store_open(struct store **out, const char *path, const struct store_options *opt, struct buf *err)
{
	pthread_once(&configure_once, configure);
	struct store *st = xcalloc(1, sizeof *st);
	int flags = SQLITE_OPEN_NOMUTEX | (opt && opt->read_only ? SQLITE_OPEN_READONLY
	                                                         : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
	int rc = sqlite3_open_v2(path, &st->db, flags, NULL);
	if (rc != SQLITE_OK) {
		buf_addf(err, "cannot open database %s: %s", path, st->db ? sqlite3_errmsg(st->db) : "out of memory");
		goto fail;
	}
	sqlite3_extended_result_codes(st->db, 1);
	sqlite3_busy_timeout(st->db, opt && opt->busy_timeout_ms ? opt->busy_timeout_ms : 10000);
	static const char *const pragmas[] = {
		"PRAGMA journal_mode=WAL",
		/* NORMAL: SQLite does not sync the WAL at commit; store_commit() does, in a group (top of this file). It
		 * still syncs around checkpoints. */
		"PRAGMA synchronous=NORMAL",
		"PRAGMA foreign_keys=ON",
		"PRAGMA temp_store=MEMORY",
		"PRAGMA cache_size=-8000",
		/* Checkpoint every ~16 MB of WAL rather than 4 MB: each checkpoint also syncs the database file. */
		"PRAGMA wal_autocheckpoint=4000",
		/* Read the database file through a memory map (up to 32 MiB of it) rather than a pread per page: every
		 * commit by another connection (the read-audit writer, several times a second under load) empties this
		 * connection's page cache, and the next request reads its pages again. Writes still go through the
		 * WAL, so durability is unchanged. */
		"PRAGMA mmap_size=33554432",
	};
	for (size_t i = 0; i < sizeof pragmas / sizeof pragmas[0]; i++) {
		if (opt && opt->read_only && i == 0)
			continue;
		char *msg = NULL;
		if (sqlite3_exec(st->db, pragmas[i], NULL, NULL, &msg) != SQLITE_OK) {
			buf_addf(err, "cannot configure database %s (%s): %s", path, pragmas[i], msg ? msg : "?");
			sqlite3_free(msg);
			goto fail;
		}
	}
	if (!(opt && opt->read_only))
		st->group = group_sync_get(path);
	if (!st->group && sqlite3_exec(st->db, "PRAGMA synchronous=FULL", NULL, NULL, NULL) != SQLITE_OK) {
		buf_addf(err, "cannot configure database %s (synchronous)", path);
		goto fail;
	}
	*out = st;
	return STORE_OK;
fail:
	sqlite3_close(st->db);
	free(st);
	return STORE_ERR;
}

void store_close(struct store *st)
{
	if (!st)
		return;
	for (int i = 0; i < st->nstmts; i++) {
		sqlite3_finalize(st->stmts[i]->raw);
		free(st->stmts[i]->sql);
		free(st->stmts[i]);
	}
	if (st->in_txn)
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
	for (int i = 0; i < CTL_COUNT; i++)
		sqlite3_finalize(st->ctl[i]);
	for (int i = 0; i < STORE_CACHE_SLOTS; i++)
		store_set_cache(st, i, NULL, NULL);
	release_writer(st);
	sqlite3_close(st->db);
	group_sync_put(st->group);
	free(st);
}

const char *store_errmsg(struct store *st)
{
	return st->errmsg[0] ? st->errmsg : sqlite3_errmsg(st->db);
}

static int exec_simple(struct store *st, const char *sql)
{
	char *msg = NULL;
	int rc = sqlite3_exec(st->db, sql, NULL, NULL, &msg);
	if (rc != SQLITE_OK) {
		snprintf(st->errmsg, sizeof st->errmsg, "%s", msg ? msg : sqlite3_errstr(rc));
		sqlite3_free(msg);
		return map_rc(st, rc);
	}
	return STORE_OK;
}

static int autocommit_durable(struct store *st);

int store_exec(struct store *st, const char *sql)
{
	int rc = exec_simple(st, sql);
	return rc == STORE_OK ? autocommit_durable(st) : rc;
}

/* Runs one of the transaction-control statements, prepared on first use and kept. */
static int exec_ctl(struct store *st, enum ctl which)
{
	if (!st->ctl[which] &&
	    sqlite3_prepare_v3(st->db, ctl_sql[which], -1, SQLITE_PREPARE_PERSISTENT, &st->ctl[which], NULL) != SQLITE_OK) {
		set_err(st, ctl_sql[which]);
		return STORE_ERR;
	}
	int rc = sqlite3_step(st->ctl[which]);
	sqlite3_reset(st->ctl[which]);
	if (rc == SQLITE_DONE || rc == SQLITE_ROW)
		return STORE_OK;
	snprintf(st->errmsg, sizeof st->errmsg, "%s: %s", ctl_sql[which], sqlite3_errmsg(st->db));
	return map_rc(st, rc);
}

static int begin_write(struct store *st)
{
	/* A request's read snapshot ends where its first write begins (store_commit: should anything have been
	 * written inside the snapshot, that commit too waits for its sync). */
	if (st->in_txn && st->reading)
		store_commit(st);
	pthread_mutex_lock(&writer_lock);
	st->holds_writer = true;
	int rc = exec_ctl(st, CTL_BEGIN_WRITE);
	st->in_txn = rc == STORE_OK;
	if (!st->in_txn) {
		st->holds_writer = false;
		pthread_mutex_unlock(&writer_lock);
	}
	return rc;
}

static void release_writer(struct store *st)
{
	if (st->holds_writer) {
		st->holds_writer = false;
		pthread_mutex_unlock(&writer_lock);
	}
}

int store_begin(struct store *st)
{
	assert(!st->in_txn || st->reading);
	return begin_write(st);
}

int store_begin_relaxed(struct store *st)
{
	int rc = store_begin(st);
	st->relaxed = st->in_txn; /* store_commit() will not wait for the sync */
	return rc;
}

/* Waits for the sync that covers a commit just written (holding the write lock or not: the ticket orders it). */
static int wait_durable(struct store *st, uint64_t ticket)
{
	char why[256];
	if (group_sync_wait(st->group, ticket, why, sizeof why) < 0) {
		snprintf(st->errmsg, sizeof st->errmsg, "%s", why);
		return STORE_ERR;
	}
	return STORE_OK;
}

/* After a write outside any transaction (autocommit): it too is acknowledged only once on disk. */
static int autocommit_durable(struct store *st)
{
	if (!st->group || st->in_txn)
		return STORE_OK;
	st->last_ticket = group_sync_written(st->group);
	return wait_durable(st, st->last_ticket);
}

bool store_last_commit_durable(struct store *st)
{
	return !st->group || group_sync_covered(st->group, st->last_ticket);
}

int store_begin_read(struct store *st)
{
	assert(!st->in_txn);
	int rc = exec_ctl(st, CTL_BEGIN_READ);
	st->in_txn = st->reading = rc == STORE_OK;
	return rc;
}

void store_end_read(struct store *st)
{
	if (st->in_txn && st->reading)
		store_rollback(st);
}

int store_commit(struct store *st)
{
	assert(st->in_txn);
	/* A snapshot that something wrote in is a write transaction now: its commit is synced like any other. */
	bool writing = !st->reading || sqlite3_txn_state(st->db, "main") == SQLITE_TXN_WRITE, relaxed = st->relaxed;
	int rc = exec_ctl(st, CTL_COMMIT);
	if (rc != STORE_OK) {
		exec_ctl(st, CTL_ROLLBACK);
	}
	/* The ticket is taken while the write lock is still held, so tickets follow the order of the commits. */
	uint64_t ticket = rc == STORE_OK && writing && st->group ? group_sync_written(st->group) : 0;
	st->in_txn = st->reading = false;
	st->relaxed = false;
	release_writer(st);
	if (ticket) {
		st->last_ticket = ticket;
		/* Outside the write lock: the next writer starts its transaction while this one waits for the disk. */
		if (!relaxed)
			rc = wait_durable(st, ticket);
	}
	return rc;
}

int store_rollback(struct store *st)
{
	if (!st->in_txn)
		return STORE_OK;
	st->in_txn = st->reading = false;
	/* Reset cached statements first: an open read cursor would otherwise keep the snapshot alive. */
	for (int i = 0; i < st->nstmts; i++)
		if (sqlite3_stmt_busy(st->stmts[i]->raw))
			sqlite3_reset(st->stmts[i]->raw);
	int rc = exec_ctl(st, CTL_ROLLBACK);
	st->relaxed = false;
	release_writer(st);
	return rc;
}

bool store_in_transaction(struct store *st)
{
	return st->in_txn;
}

uint64_t store_data_version(struct store *st)
{
	/* SQLITE_FCNTL_DATA_VERSION changes with every commit, by this connection or any other, and is refreshed when
	 * a read transaction starts; PRAGMA data_version would miss this connection's own commits. Only inside a
	 * snapshot whose read has begun (a BEGIN DEFERRED reads nothing until its first query), and never inside a
	 * write transaction, whose uncommitted rows may yet be rolled back. */
	unsigned int v = 0;
	if (!st->in_txn || !st->reading || sqlite3_txn_state(st->db, "main") != SQLITE_TXN_READ ||
	    sqlite3_file_control(st->db, "main", SQLITE_FCNTL_DATA_VERSION, &v) != SQLITE_OK)
		return 0;
	return (uint64_t)v + 1;
}

void *store_cache(struct store *st, int slot)
{
	assert(slot >= 0 && slot < STORE_CACHE_SLOTS);
	return st->caches[slot];
}

void store_set_cache(struct store *st, int slot, void *cache, void (*free_fn)(void *))
{
	assert(slot >= 0 && slot < STORE_CACHE_SLOTS);
	if (st->caches[slot] && st->cache_free[slot])
		st->cache_free[slot](st->caches[slot]);
	st->caches[slot] = cache;
	st->cache_free[slot] = free_fn;
}

/* Rewrite "$12" to "?12" outside string literals and quoted identifiers. */
static char *portable_to_sqlite(const char *sql)
{
	struct buf b;
	buf_init(&b, 0);
	char quote = 0;
	for (const char *p = sql; *p; p++) {
		if (quote) {
			if (*p == quote)
				quote = 0;
		} else if (*p == '\'' || *p == '"') {
			quote = *p;
		} else if (*p == '$' && p[1] >= '0' && p[1] <= '9') {
			buf_addc(&b, '?');
			continue;
		}
		buf_addc(&b, *p);
	}
	return buf_detach(&b);
}

struct store_stmt *store_prepare(struct store *st, const char *sql)
{
	for (int i = 0; i < st->nstmts; i++) {
		struct store_stmt *s = st->stmts[i];
		if (strcmp(s->sql, sql) == 0) {
			sqlite3_reset(s->raw);
			sqlite3_clear_bindings(s->raw);
			s->used = ++st->tick;
			/* Move towards the front so hot statements are found quickly. */
			if (i > 0) {
				st->stmts[i] = st->stmts[i - 1];
				st->stmts[i - 1] = s;
			}
			return s;
		}
	}
	char *native = portable_to_sqlite(sql);
	sqlite3_stmt *raw = NULL;
	int rc = sqlite3_prepare_v3(st->db, native, -1, SQLITE_PREPARE_PERSISTENT, &raw, NULL);
	free(native);
	if (rc != SQLITE_OK) {
		set_err(st, "prepare");
		return NULL;
	}
	struct store_stmt *s = xcalloc(1, sizeof *s);
	s->raw = raw;
	s->owner = st;
	s->sql = xstrdup(sql);
	s->used = ++st->tick;
	if (st->nstmts == STMT_CACHE_SLOTS) {
		/* Evict the least recently prepared statement that is not in the middle of a step loop: a caller may
		 * still hold a recently prepared one, never one 256 preparations old. */
		int victim = -1;
		for (int i = 0; i < st->nstmts; i++)
			if (!sqlite3_stmt_busy(st->stmts[i]->raw) && (victim < 0 || st->stmts[i]->used < st->stmts[victim]->used))
				victim = i;
		if (victim < 0)
			victim = st->nstmts - 1;
		struct store_stmt *old = st->stmts[victim];
		st->stmts[victim] = st->stmts[--st->nstmts];
		sqlite3_finalize(old->raw);
		free(old->sql);
		free(old);
	}
	st->stmts[st->nstmts++] = s;
	return s;
}

void store_reset(struct store_stmt *s)
{
	sqlite3_reset(s->raw);
	sqlite3_clear_bindings(s->raw);
}

static int bind_rc(struct store_stmt *s, int rc)
{
	if (rc != SQLITE_OK) {
		set_err(s->owner, "bind");
		return STORE_ERR;
	}
	return STORE_OK;
}

int store_bind_text(struct store_stmt *s, int idx, const char *v)
{
	if (!v)
		return store_bind_null(s, idx);
	return bind_rc(s, sqlite3_bind_text(s->raw, idx, v, -1, SQLITE_TRANSIENT));
}

int store_bind_textn(struct store_stmt *s, int idx, const char *v, size_t n)
{
	if (!v)
		return store_bind_null(s, idx);
	return bind_rc(s, sqlite3_bind_text64(s->raw, idx, v, n, SQLITE_TRANSIENT, SQLITE_UTF8));
}

int store_bind_int(struct store_stmt *s, int idx, int64_t v)
{
	return bind_rc(s, sqlite3_bind_int64(s->raw, idx, v));
}

int store_bind_blob(struct store_stmt *s, int idx, const void *v, size_t n)
{
	return bind_rc(s, sqlite3_bind_blob64(s->raw, idx, v, n, SQLITE_TRANSIENT));
}

int store_bind_null(struct store_stmt *s, int idx)
{
	return bind_rc(s, sqlite3_bind_null(s->raw, idx));
}

int store_bind_bool(struct store_stmt *s, int idx, bool v)
{
	return store_bind_int(s, idx, v ? 1 : 0);
}

int store_step(struct store_stmt *s)
{
	int rc = sqlite3_step(s->raw);
	if (rc == SQLITE_ROW)
		return STORE_ROW;
	int mapped = map_rc(s->owner, rc);
	if (rc != SQLITE_DONE)
		set_err(s->owner, "step");
	sqlite3_reset(s->raw);
	/* A write that committed on its own (no transaction open) is acknowledged once it is on disk. */
	if (rc == SQLITE_DONE && !s->owner->in_txn && !sqlite3_stmt_readonly(s->raw) &&
	    autocommit_durable(s->owner) != STORE_OK)
		return STORE_ERR;
	return mapped;
}

int store_column_count(struct store_stmt *s)
{
	return sqlite3_column_count(s->raw);
}

const char *store_column_name(struct store_stmt *s, int col)
{
	return sqlite3_column_name(s->raw, col);
}

bool store_col_is_null(struct store_stmt *s, int col)
{
	return sqlite3_column_type(s->raw, col) == SQLITE_NULL;
}

const char *store_col_text(struct store_stmt *s, int col)
{
	return (const char *)sqlite3_column_text(s->raw, col);
}

int64_t store_col_int(struct store_stmt *s, int col)
{
	return sqlite3_column_int64(s->raw, col);
}

const void *store_col_blob(struct store_stmt *s, int col, size_t *n)
{
	const void *p = sqlite3_column_blob(s->raw, col);
	*n = (size_t)sqlite3_column_bytes(s->raw, col);
	return p;
}

int store_changes(struct store *st)
{
	return sqlite3_changes(st->db);
}

int64_t store_query_int(struct store *st, const char *sql, const char *arg1)
{
	struct store_stmt *s = store_prepare(st, sql);
	if (!s)
		return -1;
	if (arg1 && store_bind_text(s, 1, arg1) != STORE_OK)
		return -1;
	int64_t v = -1;
	if (store_step(s) == STORE_ROW)
		v = store_col_int(s, 0);
	store_reset(s);
	return v;
}

bool store_table_exists(struct store *st, const char *name)
{
	return store_query_int(st, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = $1", name) > 0;
}
