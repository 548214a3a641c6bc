/* store: the only interface domain code uses to reach the database.
 *
 * SQL handed to store_prepare() is in one portable dialect: PostgreSQL-style $1..$n parameters, RETURNING instead of
 * last-insert-id, TEXT ids, INTEGER/BIGINT numbers, TEXT ISO dates, no vendor functions. The SQLite backend maps $N to
 * ?N and keeps every SQLite-ism (pragmas, busy timeout, WAL) to itself; a PostgreSQL backend can take the same text.
 *
 * Threads: a struct store is one connection and belongs to one thread at a time (the server keeps one per worker).
 * Ownership: statements returned by store_prepare() belong to the store's cache and must not be finalized by callers;
 * store_reset() them (store_step() to DONE resets implicitly on the next bind). Column text is valid until the next
 * step, reset or finalize of that statement; copy it to keep it. */
#ifndef SG_STORE_H
#define SG_STORE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"

enum {
	STORE_OK = 0,
	STORE_ROW = 1,
	STORE_DONE = 2,
	STORE_ERR = -1,        /* anything else: see store_errmsg() */
	STORE_CONSTRAINT = -2, /* unique, foreign key, check or not-null constraint */
	STORE_BUSY = -3,       /* the database stayed locked beyond the busy timeout */
};

struct store;
struct store_stmt;

struct store_options {
	int busy_timeout_ms; /* 0 = 10000 */
	bool read_only;
};

/* Opens (creating if need be) the database at path. Returns STORE_OK or STORE_ERR with a message in err. */
int store_open(struct store **out, const char *path, const struct store_options *opt, struct buf *err);
void store_close(struct store *st);
const char *store_errmsg(struct store *st);
const char *store_backend_name(void);

/* Transactions. store_begin() takes the write lock at once (so a writer never fails half-way on a lock upgrade);
 * store_begin_read() gives a consistent snapshot, which a later store_begin() or store_begin_relaxed() ends before
 * it starts writing. Other nesting is an error (assert). */
int store_begin(struct store *st);
int store_begin_read(struct store *st);
/* A write transaction whose commit need not reach the disk before it returns: it becomes durable with the next
 * ordinary commit's sync or a checkpoint (SQLite: it skips the group sync below; PostgreSQL: SET LOCAL
 * synchronous_commit = off). Used only for the audit of reads, where no change is at stake. */
int store_begin_relaxed(struct store *st);
/* Commits. A write transaction's commit returns only once it is on disk; the SQLite backend shares one WAL sync
 * among the commits that wait at the same time (group commit, docs/internals/store.md), taken after the write lock
 * is released so the next writer need not wait for the disk. Autocommit writes (a statement run with no
 * transaction open) are made durable the same way before store_step()/store_exec() return. */
int store_commit(struct store *st);
/* Whether this connection's last write is covered by a completed sync (tests). */
bool store_last_commit_durable(struct store *st);
/* Ends a read snapshot (store_begin_read) if one is open; does nothing otherwise. For a write that must not run
 * inside a snapshot, such as a session's touch, made autocommit in the middle of a read. */
void store_end_read(struct store *st);
int store_rollback(struct store *st); /* safe to call when no transaction is open */
bool store_in_transaction(struct store *st);
/* A number that changes whenever the database changes, by this connection or any other (another process too), for
 * caches of what was read. Non-zero only inside a read snapshot (store_begin_read) after its first query: then it
 * describes the data that snapshot sees, and equal non-zero values on the same connection mean the same data.
 * 0 = unknown: cache nothing. */
uint64_t store_data_version(struct store *st);
/* A slot per connection for a cache of what was read through it, keyed by store_data_version (which is per
 * connection, as is the thread that uses it). The store frees it with free_fn when the slot is set again or the
 * connection closes. Slots: */
enum { STORE_CACHE_VIEWS, STORE_CACHE_SLOTS }; /* api/view_cache.c */
void *store_cache(struct store *st, int slot);
void store_set_cache(struct store *st, int slot, void *cache, void (*free_fn)(void *));

/* Run SQL with no parameters and no rows (migrations, DDL). */
int store_exec(struct store *st, const char *sql);

/* Prepared statements, cached per store by SQL text. NULL on a syntax error (store_errmsg tells why). */
struct store_stmt *store_prepare(struct store *st, const char *sql);
void store_reset(struct store_stmt *s); /* clears bindings too */

/* Parameters are 1-based, as in the SQL ($1 is index 1). NULL text binds SQL NULL. */
int store_bind_text(struct store_stmt *s, int idx, const char *v);
int store_bind_textn(struct store_stmt *s, int idx, const char *v, size_t n);
int store_bind_int(struct store_stmt *s, int idx, int64_t v);
int store_bind_blob(struct store_stmt *s, int idx, const void *v, size_t n);
int store_bind_null(struct store_stmt *s, int idx);
int store_bind_bool(struct store_stmt *s, int idx, bool v);

/* STORE_ROW, STORE_DONE, or a negative error. */
int store_step(struct store_stmt *s);

/* Columns are 0-based. Text of a NULL column is NULL. */
int store_column_count(struct store_stmt *s);
const char *store_column_name(struct store_stmt *s, int col);
bool store_col_is_null(struct store_stmt *s, int col);
const char *store_col_text(struct store_stmt *s, int col);
int64_t store_col_int(struct store_stmt *s, int col);
const void *store_col_blob(struct store_stmt *s, int col, size_t *n);
int store_changes(struct store *st); /* rows changed by the last statement */

/* Whether a table exists (catalogue queries differ between backends). */
bool store_table_exists(struct store *st, const char *name);

/* Convenience: run a statement that returns at most one integer (COUNT, EXISTS, ...); -1 on error. */
int64_t store_query_int(struct store *st, const char *sql, const char *arg1);

#endif
