/* xmalloc: allocation that never returns NULL.
 * The server aborts on out-of-memory (as tmux and redis do): a half-handled OOM is worse than a restart,
 * and every write is transactional, so nothing half-written survives the abort. */
#ifndef SG_XMALLOC_H
#define SG_XMALLOC_H
#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

#endif
