/* template: a small Mustache-style HTML template engine (syntax and rules in docs/internals/template.md).
 *
 * Every {{name}} is HTML-escaped. The only unescaped form is {{{raw:name}}}, spelt so that `grep -rn 'raw:'
 * web/templates` lists every place that trusts its data. Templates are compiled once at start-up; a compiled set is
 * read-only afterwards, so any number of threads may render from the same set at once without locking. Rendering
 * does no file IO and allocates only for its output (and, in template_render_page, one copy of the page body).
 *
 * Lifecycle: template_set_new() → template_add() for each template → template_set_finish() (resolves partials) →
 * template_render*() any number of times → template_set_free(). template_load_dir() does the first three steps
 * for every *.html file under a directory. A template's name is its path below that directory without ".html"
 * ("layout", "partials/error_summary"); partials are included by that name: {{> partials/error_summary}}.
 *
 * Ownership: functions borrow their arguments; template_add copies the text. The context passed to a render is
 * only read (never incref'd or modified), so the caller keeps ownership and must not change it during the render.
 *
 * Errors: parse and load errors are written to err (when non-NULL) as "FILE:LINE: message" and the function
 * returns -1 leaving *out unset. Render functions return a negative status and leave out exactly as it was. */
#ifndef SG_TEMPLATE_H
#define SG_TEMPLATE_H
#include <jansson.h>
#include <stddef.h>

#include "core/buf.h"

#define TEMPLATE_MAX_BYTES ((size_t)1024 * 1024) /* one template file; larger ones are refused */
#define TEMPLATE_MAX_NESTING 64                   /* open sections within one template */
#define TEMPLATE_MAX_DEPTH 256                    /* context frames during a render (sections + partials) */
#define TEMPLATE_MAX_PARTIALS 32                  /* partials within partials during a render */
#define TEMPLATE_MAX_STEPS (1UL << 24)            /* nodes visited in one render (about 50 per table row) */

enum template_status {
	TEMPLATE_OK = 0,
	TEMPLATE_ERR_NOT_FOUND = -2, /* no template of that name in the set */
	TEMPLATE_ERR_LIMIT = -3,     /* output passed out->max, or a depth limit above was reached */
};

struct template_set;

struct template_set *template_set_new(void);
void template_set_free(struct template_set *set);

/* Compile text as template `name`. `file` is the label used in error messages (the path it came from, or the
 * name again for in-memory templates). Fails on a syntax error or a duplicate name. */
int template_add(struct template_set *set, const char *name, const char *file, const char *text, size_t len,
		 struct buf *err);

/* Resolve every {{> partial}} against the set; fails naming the file and line of the first unknown partial.
 * Call once, after the last template_add. */
int template_set_finish(struct template_set *set, struct buf *err);

/* Load, compile and finish every *.html file under dir (recursively, skipping names that start with '.'). */
int template_load_dir(struct template_set **out, const char *dir, struct buf *err);

/* 1 if the set holds a template of that name, else 0. */
int template_exists(const struct template_set *set, const char *name);

/* Append template `name` rendered against ctx (any JSON value; usually an object) to out. */
int template_render(const struct template_set *set, const char *name, const json_t *ctx, struct buf *out);

/* Render `page` against ctx, then render `layout` with the page's output available to the layout, and only to
 * the layout, as {{{raw:content}}} (it shadows any "content" key of ctx there). */
int template_render_page(const struct template_set *set, const char *layout, const char *page, const json_t *ctx,
			 struct buf *out);

#endif
