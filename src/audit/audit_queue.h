/* audit_queue: group commit for the audit entries of reads.
 *
 * A read changes nothing, so making every reader take the database's single write lock just to append its audit
 * entry would turn reads into serialised writes. Instead the request thread copies the entry into a bounded
 * in-memory queue and returns; one writer thread with its own connection appends the queued entries to the
 * hash chain in one transaction every AUDIT_QUEUE_FLUSH_MS or when AUDIT_QUEUE_BATCH entries wait. A read's
 * audit entry is therefore on disk within about a tenth of a second, and audit_queue_stop() flushes everything
 * before the server exits. When the queue is full the reader waits (back-pressure): no entry is ever dropped.
 * Writes are still audited inside their own transaction (audit_append); only reads take this path. */
#ifndef SG_AUDIT_QUEUE_H
#define SG_AUDIT_QUEUE_H
#include "audit/audit.h"
#include "core/buf.h"

#define AUDIT_QUEUE_FLUSH_MS 100
#define AUDIT_QUEUE_BATCH 512
#define AUDIT_QUEUE_MAX 8192

struct audit_queue;

/* Opens its own connection to db_path and starts the writer thread. */
int audit_queue_start(struct audit_queue **out, const char *db_path, struct buf *err);
/* Copies the event; blocks only while the queue is full. */
void audit_queue_push(struct audit_queue *q, const struct audit_event *ev);
/* Waits until everything pushed so far is committed (tests, and before answering an audit report). */
void audit_queue_flush(struct audit_queue *q);
/* Flushes, stops the thread and closes the connection. */
void audit_queue_stop(struct audit_queue *q);

#endif
