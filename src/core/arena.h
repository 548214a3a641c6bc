/* arena: a per-request bump allocator (after h2o's mem pool). Everything allocated from it is freed at once by
 * arena_free() when the response has been queued. Allocation never fails (aborts on OOM like xmalloc). */
#ifndef SG_ARENA_H
#define SG_ARENA_H
#include <stdarg.h>
#include <stddef.h>

struct arena_block;
struct arena {
	struct arena_block *head;
};

void arena_init(struct arena *a);
void arena_free(struct arena *a);
void *arena_alloc(struct arena *a, size_t n);     /* 16-byte aligned, zeroed */
char *arena_strdup(struct arena *a, const char *s); /* NULL stays NULL */
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_printf(struct arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
