/* buf: one growable byte buffer with a hard maximum (after git's strbuf and curl's dynbuf).
 *
 * Invariants: data is always NUL-terminated (data[len] == '\0'); len < cap when cap > 0; an append that would take
 * len past max fails with -1 and leaves the buffer as it was (max == 0 means BUF_DEFAULT_MAX).
 * A zero-initialised struct buf is an empty, valid buffer; buf_free() returns it to that state. */
#ifndef SG_BUF_H
#define SG_BUF_H
#include <stdarg.h>
#include <stddef.h>

#define BUF_DEFAULT_MAX ((size_t)64 * 1024 * 1024)

struct buf {
	char *data;
	size_t len, cap, max;
};

void buf_init(struct buf *b, size_t max);
void buf_free(struct buf *b);
void buf_reset(struct buf *b); /* len = 0, keeps the memory */
int buf_add(struct buf *b, const void *p, size_t n);
int buf_adds(struct buf *b, const char *s);
int buf_addc(struct buf *b, char c);
int buf_addf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int buf_vaddf(struct buf *b, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
/* HTML-escape s (& < > " ') and append. */
int buf_add_html(struct buf *b, const char *s);
/* Returns the string (never NULL: "" for an empty buffer that never allocated). */
const char *buf_str(const struct buf *b);
/* Hands the malloc'd string to the caller and resets the buffer. */
char *buf_detach(struct buf *b);

#endif
