#include "audit/audit_queue.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/xmalloc.h"
#include "store/store.h"

struct queued {
	char *fields[7]; /* the audit_event strings, owned */
};

struct audit_queue {
	pthread_mutex_t lock;
	pthread_cond_t wake, room, done;
	struct queued *items;
	size_t n;
	unsigned long pushed, committed;
	bool stopping;
	pthread_t thread;
	struct store *st;
};

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

static void write_batch(struct audit_queue *q, struct queued *batch, size_t n)
{
	/* Relaxed: this commit need not wait for the disk; the next ordinary commit or checkpoint makes it durable. */
	bool ok = store_begin_relaxed(q->st) == STORE_OK;
	for (size_t i = 0; ok && i < n; i++) {
		struct audit_event ev = {batch[i].fields[0], batch[i].fields[1], batch[i].fields[2], batch[i].fields[3],
		                         batch[i].fields[4], batch[i].fields[5], batch[i].fields[6]};
		ok = audit_append(q->st, &ev) == 0;
	}
	if (ok)
		ok = store_commit(q->st) == STORE_OK;
	else
		store_rollback(q->st);
	if (!ok)
		fprintf(stderr, "safeguard: audit queue: cannot write %zu read-audit entries: %s\n", n, store_errmsg(q->st));
	for (size_t i = 0; i < n; i++)
		for (int k = 0; k < 7; k++)
			free(batch[i].fields[k]);
}

static void *writer(void *arg)
{
	struct audit_queue *q = arg;
	struct queued *batch = xcalloc(AUDIT_QUEUE_MAX, sizeof *batch);
	pthread_mutex_lock(&q->lock);
	for (;;) {
		if (q->n == 0 && !q->stopping) {
			struct timespec t;
			clock_gettime(CLOCK_REALTIME, &t);
			t.tv_nsec += AUDIT_QUEUE_FLUSH_MS * 1000000L;
			if (t.tv_nsec >= 1000000000L) {
				t.tv_sec++;
				t.tv_nsec -= 1000000000L;
			}
			pthread_cond_timedwait(&q->wake, &q->lock, &t);
		}
		if (q->n == 0 && q->stopping)
			break;
		if (q->n == 0)
			continue;
		size_t n = q->n;
		memcpy(batch, q->items, n * sizeof *batch);
		q->n = 0;
		pthread_cond_broadcast(&q->room);
		pthread_mutex_unlock(&q->lock);
		write_batch(q, batch, n);
		pthread_mutex_lock(&q->lock);
		q->committed += n;
		pthread_cond_broadcast(&q->done);
	}
	pthread_mutex_unlock(&q->lock);
	free(batch);
	return NULL;
}

int audit_queue_start(struct audit_queue **out, const char *db_path, struct buf *err)
{
	struct audit_queue *q = xcalloc(1, sizeof *q);
	if (store_open(&q->st, db_path, NULL, err) != STORE_OK) {
		free(q);
		return -1;
	}
	pthread_mutex_init(&q->lock, NULL);
	pthread_cond_init(&q->wake, NULL);
	pthread_cond_init(&q->room, NULL);
	pthread_cond_init(&q->done, NULL);
	q->items = xcalloc(AUDIT_QUEUE_MAX, sizeof *q->items);
	if (pthread_create(&q->thread, NULL, writer, q) != 0) {
		buf_adds(err, "cannot start the audit writer thread");
		store_close(q->st);
		free(q->items);
		free(q);
		return -1;
	}
	*out = q;
	return 0;
}

void audit_queue_push(struct audit_queue *q, const struct audit_event *ev)
{
	struct queued item = {{dup_or_null(ev->actor_user_id), dup_or_null(ev->action), dup_or_null(ev->object_type),
	                       dup_or_null(ev->object_id), dup_or_null(ev->child_id), dup_or_null(ev->reason),
	                       dup_or_null(ev->detail)}};
	pthread_mutex_lock(&q->lock);
	while (q->n == AUDIT_QUEUE_MAX)
		pthread_cond_wait(&q->room, &q->lock);
	q->items[q->n++] = item;
	q->pushed++;
	if (q->n >= AUDIT_QUEUE_BATCH)
		pthread_cond_signal(&q->wake);
	pthread_mutex_unlock(&q->lock);
}

void audit_queue_flush(struct audit_queue *q)
{
	pthread_mutex_lock(&q->lock);
	unsigned long target = q->pushed;
	pthread_cond_signal(&q->wake);
	while (q->committed < target)
		pthread_cond_wait(&q->done, &q->lock);
	pthread_mutex_unlock(&q->lock);
}

void audit_queue_stop(struct audit_queue *q)
{
	if (!q)
		return;
	pthread_mutex_lock(&q->lock);
	q->stopping = true;
	pthread_cond_signal(&q->wake);
	pthread_mutex_unlock(&q->lock);
	pthread_join(q->thread, NULL);
	store_close(q->st);
	pthread_mutex_destroy(&q->lock);
	pthread_cond_destroy(&q->wake);
	pthread_cond_destroy(&q->room);
	pthread_cond_destroy(&q->done);
	free(q->items);
	free(q);
}
