/* group_sync: group commit for the SQLite backend (store_sqlite.c only; docs/internals/store.md).
 *
 * Connections commit with synchronous=NORMAL, which writes the transaction's frames to the WAL without waiting for
 * the disk. The committing request then waits, outside the write lock, for an fdatasync of the WAL that began after
 * its commit was written; one fdatasync covers every commit written before it began, so requests that commit while
 * a sync is running share the next one. A commit is acknowledged (store_commit returns) only once it is on disk,
 * as with synchronous=FULL, but the next writer need not wait for the disk to start its own transaction.
 * One group per database file in this process, shared by its connections; other processes (the CLI) have their
 * own, and each of their commits still waits for a sync that covers it. */
#ifndef SG_GROUP_SYNC_H
#define SG_GROUP_SYNC_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct group_sync;

/* The group for the database at path (created on first use; NULL for an in-memory database). */
struct group_sync *group_sync_get(const char *db_path);
void group_sync_put(struct group_sync *g);
/* Called with the write lock held, just after a commit was written: its ticket, in commit order. */
uint64_t group_sync_written(struct group_sync *g);
/* Waits until a sync that began after ticket was written has completed (running it if nobody is). 0, or -1 with
 * errno's text in err when the WAL could not be synced (the commit is then not known to be durable). */
int group_sync_wait(struct group_sync *g, uint64_t ticket, char *err, size_t errlen);
/* Whether ticket is covered by a completed sync (tests). */
bool group_sync_covered(struct group_sync *g, uint64_t ticket);
/* Syncs done so far (tests, and to see the grouping at work). */
uint64_t group_sync_count(struct group_sync *g);

#endif
