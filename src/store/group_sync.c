#include "store/group_sync.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/xmalloc.h"

struct group_sync {
	struct group_sync *next;
	char *wal_path;
	int refs;
	pthread_mutex_t lock;
	pthread_cond_t done;
	uint64_t written; /* tickets handed out: commits written to the WAL */
	uint64_t synced;  /* every ticket up to this one is on disk */
	uint64_t syncs;
	bool syncing;
};

static pthread_mutex_t groups_lock = PTHREAD_MUTEX_INITIALIZER;
static struct group_sync *groups;

struct group_sync *group_sync_get(const char *db_path)
{
	if (!db_path || !*db_path || strcmp(db_path, ":memory:") == 0)
		return NULL;
	size_t n = strlen(db_path) + 5;
	char *wal = xmalloc(n);
	snprintf(wal, n, "%s-wal", db_path);
	pthread_mutex_lock(&groups_lock);
	struct group_sync *g = groups;
	while (g && strcmp(g->wal_path, wal) != 0)
		g = g->next;
	if (g) {
		free(wal);
	} else {
		g = xcalloc(1, sizeof *g);
		g->wal_path = wal;
		pthread_mutex_init(&g->lock, NULL);
		pthread_cond_init(&g->done, NULL);
		g->next = groups;
		groups = g;
	}
	g->refs++;
	pthread_mutex_unlock(&groups_lock);
	return g;
}

void group_sync_put(struct group_sync *g)
{
	if (!g)
		return;
	pthread_mutex_lock(&groups_lock);
	if (--g->refs == 0) {
		struct group_sync **p = &groups;
		while (*p != g)
			p = &(*p)->next;
		*p = g->next;
		pthread_mutex_destroy(&g->lock);
		pthread_cond_destroy(&g->done);
		free(g->wal_path);
		free(g);
	}
	pthread_mutex_unlock(&groups_lock);
}

uint64_t group_sync_written(struct group_sync *g)
{
	pthread_mutex_lock(&g->lock);
	uint64_t t = ++g->written;
	pthread_mutex_unlock(&g->lock);
	return t;
}

/* One fdatasync of the WAL file. Opened by name each time: an fd kept open would go on naming a WAL that SQLite
 * had removed and made anew. The file always exists while this process has the database open in WAL mode. */
static int sync_wal(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	int rc = fdatasync(fd);
	int saved = errno;
	close(fd);
	errno = saved;
	return rc;
}

int group_sync_wait(struct group_sync *g, uint64_t ticket, char *err, size_t errlen)
{
	int rc = 0;
	pthread_mutex_lock(&g->lock);
	while (g->synced < ticket) {
		if (g->syncing) {
			pthread_cond_wait(&g->done, &g->lock);
			continue;
		}
		/* Nobody is syncing: this sync covers every commit written so far, ours among them. */
		g->syncing = true;
		uint64_t target = g->written;
		pthread_mutex_unlock(&g->lock);
		int sr = sync_wal(g->wal_path);
		int saved = errno;
		pthread_mutex_lock(&g->lock);
		g->syncing = false;
		g->syncs++;
		if (sr == 0 && target > g->synced)
			g->synced = target;
		pthread_cond_broadcast(&g->done);
		if (sr != 0) {
			snprintf(err, errlen, "cannot sync %s: %s", g->wal_path, strerror(saved));
			rc = -1;
			break;
		}
	}
	pthread_mutex_unlock(&g->lock);
	return rc;
}

bool group_sync_covered(struct group_sync *g, uint64_t ticket)
{
	pthread_mutex_lock(&g->lock);
	bool ok = g->synced >= ticket;
	pthread_mutex_unlock(&g->lock);
	return ok;
}

uint64_t group_sync_count(struct group_sync *g)
{
	pthread_mutex_lock(&g->lock);
	uint64_t n = g->syncs;
	pthread_mutex_unlock(&g->lock);
	return n;
}
