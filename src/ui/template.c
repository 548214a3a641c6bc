#include "ui/template.h"

#include <assert.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/xmalloc.h"

/* The compiled form is a flat array of nodes per template. A section's body is the run of nodes that follows it,
 * up to (not including) node->end, so rendering is a loop over an array with no tree to chase. */
enum node_kind { NODE_TEXT, NODE_VAR, NODE_RAW, NODE_SECTION, NODE_INVERTED, NODE_PARTIAL };

struct seg {
	const char *key; /* NUL-terminated, points into path.names */
	long index;      /* the key as an array index, or -1 when it is not all digits */
};

struct path {
	char *names;     /* the dotted name with each '.' replaced by NUL */
	struct seg *seg;
	unsigned nseg;   /* 0 for "." (the current item) */
};

struct template;

struct node {
	enum node_kind kind;
	unsigned line;
	size_t end;                       /* sections: index just past the body */
	const char *text;                 /* NODE_TEXT: points into template->src */
	size_t len;
	char *name;                       /* as written, for close-tag matching and error messages */
	struct path path;
	const struct template *partial;   /* NODE_PARTIAL, set by template_set_finish */
};

struct template {
	char *name, *file, *src;
	struct node *nodes;
	size_t n, cap;
};

struct template_set {
	struct template **t;
	size_t n, cap;
	bool finished;
};

/* ---- compiling ---- */

enum tag_kind { TAG_VAR, TAG_RAW, TAG_SECTION, TAG_INVERTED, TAG_CLOSE, TAG_PARTIAL, TAG_COMMENT };

struct parser {
	struct template *t;
	const char *src;
	size_t len;
	size_t line_pos; /* line is the line number of src[line_pos] */
	unsigned line;
	struct buf *err;
	size_t open[TEMPLATE_MAX_NESTING]; /* node indexes of the sections not yet closed */
	int nopen;
};

static int parse_error(struct parser *p, unsigned line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int parse_error(struct parser *p, unsigned line, const char *fmt, ...)
{
	if (p->err && buf_addf(p->err, "%s:%u: ", p->t->file, line) == 0) {
		va_list ap;
		va_start(ap, fmt);
		buf_vaddf(p->err, fmt, ap);
		va_end(ap);
	}
	return -1;
}

static unsigned line_at(struct parser *p, size_t pos)
{
	for (; p->line_pos < pos; p->line_pos++)
		if (p->src[p->line_pos] == '\n')
			p->line++;
	return p->line;
}

static struct node *add_node(struct template *t, enum node_kind kind, unsigned line)
{
	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 16;
		t->nodes = xrealloc(t->nodes, t->cap * sizeof *t->nodes);
	}
	struct node *n = &t->nodes[t->n++];
	memset(n, 0, sizeof *n);
	n->kind = kind;
	n->line = line;
	return n;
}

static void add_text(struct template *t, const char *s, size_t len)
{
	if (len == 0)
		return;
	struct node *n = add_node(t, NODE_TEXT, 0);
	n->text = s;
	n->len = len;
}

static bool is_name_char(char c, bool partial)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
	       (partial && c == '/');
}

/* Names are "." or dot-separated runs of [A-Za-z0-9_-]; partial names are runs of [A-Za-z0-9_/-]. */
static bool valid_name(const char *s, size_t n, bool partial)
{
	if (n == 0)
		return false;
	if (!partial && n == 1 && s[0] == '.')
		return true;
	bool seg_empty = true;
	for (size_t i = 0; i < n; i++) {
		if (!partial && s[i] == '.') {
			if (seg_empty)
				return false;
			seg_empty = true;
		} else if (is_name_char(s[i], partial)) {
			seg_empty = false;
		} else {
			return false;
		}
	}
	return !seg_empty;
}

static void compile_path(struct path *p, const char *name)
{
	p->nseg = 0;
	if (strcmp(name, ".") == 0)
		return;
	p->names = xstrdup(name);
	unsigned count = 1;
	for (const char *c = name; *c; c++)
		count += *c == '.';
	p->seg = xcalloc(count, sizeof *p->seg);
	char *s = p->names;
	for (;;) {
		char *dot = strchr(s, '.');
		if (dot)
			*dot = '\0';
		struct seg *g = &p->seg[p->nseg++];
		g->key = s;
		g->index = -1;
		if (strspn(s, "0123456789") == strlen(s) && strlen(s) < 10)
			g->index = strtol(s, NULL, 10);
		if (!dot)
			break;
		s = dot + 1;
	}
}

/* A section, inverted, close, comment or partial tag alone on its line (apart from blanks) takes the whole line
 * with it, so that control tags do not leave blank lines in the output. */
static bool standalone(const struct parser *p, size_t text_start, size_t tag, size_t after, size_t *line_start,
		       size_t *next)
{
	size_t ls = tag;
	while (ls > text_start && (p->src[ls - 1] == ' ' || p->src[ls - 1] == '\t'))
		ls--;
	if (ls > 0 && p->src[ls - 1] != '\n')
		return false;
	size_t re = after;
	while (re < p->len && (p->src[re] == ' ' || p->src[re] == '\t'))
		re++;
	if (re < p->len && p->src[re] == '\r' && re + 1 < p->len && p->src[re + 1] == '\n')
		re++;
	if (re < p->len && p->src[re] != '\n')
		return false;
	*line_start = ls;
	*next = re < p->len ? re + 1 : re;
	return true;
}

/* Reads the tag that starts at src[tag] ("{{"). Sets its kind, its trimmed name and the index just past it. */
static int read_tag(struct parser *p, size_t tag, unsigned line, enum tag_kind *kind, const char **name,
		    size_t *name_len, size_t *after)
{
	const char *s = p->src, *end = p->src + p->len;
	size_t i = tag + 2;
	const char *stop = "}}";
	if (i < p->len && s[i] == '{') {
		*kind = TAG_RAW;
		stop = "}}}";
		i++;
	} else if (i < p->len && s[i] && strchr("#^/>!&=", s[i])) {
		switch (s[i]) {
		case '#': *kind = TAG_SECTION; break;
		case '^': *kind = TAG_INVERTED; break;
		case '/': *kind = TAG_CLOSE; break;
		case '>': *kind = TAG_PARTIAL; break;
		case '!': *kind = TAG_COMMENT; break;
		case '&': return parse_error(p, line, "{{&name}} is not supported; unescaped output is {{{raw:name}}}");
		default: return parse_error(p, line, "changing the {{ }} delimiters is not supported");
		}
		i++;
	} else {
		*kind = TAG_VAR;
	}
	const char *c = memmem(s + i, (size_t)(end - (s + i)), stop, strlen(stop));
	if (!c)
		return parse_error(p, line, "tag '%s' is never closed with '%s'", *kind == TAG_RAW ? "{{{" : "{{", stop);
	*after = (size_t)(c - s) + strlen(stop);
	if (*kind == TAG_COMMENT)
		return 0;
	const char *a = s + i, *b = c;
	while (a < b && (*a == ' ' || *a == '\t'))
		a++;
	while (b > a && (b[-1] == ' ' || b[-1] == '\t'))
		b--;
	if (*kind == TAG_RAW) {
		if ((size_t)(b - a) < 4 || memcmp(a, "raw:", 4) != 0)
			return parse_error(p, line, "triple braces must be written {{{raw:name}}}");
		a += 4;
	}
	if (!valid_name(a, (size_t)(b - a), *kind == TAG_PARTIAL))
		return parse_error(p, line, "%s",
				   (size_t)(b - a) >= 4 && memcmp(a, "raw:", 4) == 0 ?
					   "raw output needs triple braces: {{{raw:name}}}" :
					   "bad name in tag (use letters, digits, '_', '-', and '.' between parts)");
	*name = a;
	*name_len = (size_t)(b - a);
	return 0;
}

static int close_section(struct parser *p, const char *name, unsigned line)
{
	if (p->nopen == 0)
		return parse_error(p, line, "{{/%s}} closes no open section", name);
	struct node *sec = &p->t->nodes[p->open[p->nopen - 1]];
	if (strcmp(sec->name, name) != 0)
		return parse_error(p, line, "{{/%s}} does not match {{%c%s}} opened on line %u", name,
				   sec->kind == NODE_SECTION ? '#' : '^', sec->name, sec->line);
	sec->end = p->t->n;
	p->nopen--;
	return 0;
}

static int parse(struct parser *p)
{
	size_t pos = 0, text_start = 0;
	for (;;) {
		const char *o = memmem(p->src + pos, p->len - pos, "{{", 2);
		if (!o) {
			add_text(p->t, p->src + text_start, p->len - text_start);
			break;
		}
		size_t at = (size_t)(o - p->src), after = 0, name_len = 0;
		unsigned line = line_at(p, at);
		enum tag_kind kind = TAG_VAR;
		const char *name_at = NULL;
		if (read_tag(p, at, line, &kind, &name_at, &name_len, &after) < 0)
			return -1;
		size_t text_end = at, next = after;
		if (kind != TAG_VAR && kind != TAG_RAW)
			(void)standalone(p, text_start, at, after, &text_end, &next);
		add_text(p->t, p->src + text_start, text_end - text_start);
		char *name = name_at ? xstrndup(name_at, name_len) : NULL;
		struct node *n = NULL;
		switch (kind) {
		case TAG_COMMENT: break;
		case TAG_VAR: n = add_node(p->t, NODE_VAR, line); break;
		case TAG_RAW: n = add_node(p->t, NODE_RAW, line); break;
		case TAG_PARTIAL: n = add_node(p->t, NODE_PARTIAL, line); break;
		case TAG_SECTION:
		case TAG_INVERTED:
			if (p->nopen == TEMPLATE_MAX_NESTING) {
				free(name);
				return parse_error(p, line, "sections are nested more than %d deep", TEMPLATE_MAX_NESTING);
			}
			n = add_node(p->t, kind == TAG_SECTION ? NODE_SECTION : NODE_INVERTED, line);
			p->open[p->nopen++] = p->t->n - 1;
			break;
		case TAG_CLOSE: {
			int rc = close_section(p, name, line);
			free(name);
			if (rc < 0)
				return -1;
			name = NULL;
			break;
		}
		}
		if (n) {
			n->name = name;
			if (kind != TAG_PARTIAL)
				compile_path(&n->path, name);
		} else {
			free(name);
		}
		pos = text_start = next;
	}
	if (p->nopen > 0) {
		const struct node *sec = &p->t->nodes[p->open[p->nopen - 1]];
		return parse_error(p, sec->line, "section {{%c%s}} is never closed", sec->kind == NODE_SECTION ? '#' : '^',
				   sec->name);
	}
	return 0;
}

static void template_free(struct template *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->n; i++) {
		free(t->nodes[i].name);
		free(t->nodes[i].path.names);
		free(t->nodes[i].path.seg);
	}
	free(t->nodes);
	free(t->name);
	free(t->file);
	free(t->src);
	free(t);
}

struct template_set *template_set_new(void)
{
	return xcalloc(1, sizeof(struct template_set));
}

void template_set_free(struct template_set *set)
{
	if (!set)
		return;
	for (size_t i = 0; i < set->n; i++)
		template_free(set->t[i]);
	free(set->t);
	free(set);
}

int template_add(struct template_set *set, const char *name, const char *file, const char *text, size_t len,
		 struct buf *err)
{
	assert(!set->finished);
	for (size_t i = 0; i < set->n; i++) {
		if (strcmp(set->t[i]->name, name) == 0) {
			if (err)
				buf_addf(err, "%s:1: template \"%s\" is already defined by %s", file, name, set->t[i]->file);
			return -1;
		}
	}
	if (len > TEMPLATE_MAX_BYTES) {
		if (err)
			buf_addf(err, "%s:1: template is larger than %zu bytes", file, TEMPLATE_MAX_BYTES);
		return -1;
	}
	struct template *t = xcalloc(1, sizeof *t);
	t->name = xstrdup(name);
	t->file = xstrdup(file);
	t->src = xstrndup(text, len);
	struct parser p = {.t = t, .src = t->src, .len = len, .line = 1, .err = err};
	if (parse(&p) < 0) {
		template_free(t);
		return -1;
	}
	if (set->n == set->cap) {
		set->cap = set->cap ? set->cap * 2 : 32;
		set->t = xrealloc(set->t, set->cap * sizeof *set->t);
	}
	set->t[set->n++] = t;
	return 0;
}

static int cmp_template(const void *a, const void *b)
{
	return strcmp((*(struct template *const *)a)->name, (*(struct template *const *)b)->name);
}

static int cmp_key(const void *key, const void *elem)
{
	return strcmp(key, (*(struct template *const *)elem)->name);
}

static const struct template *find(const struct template_set *set, const char *name)
{
	if (set->n == 0)
		return NULL;
	struct template *const *t = bsearch(name, set->t, set->n, sizeof *set->t, cmp_key);
	return t ? *t : NULL;
}

int template_set_finish(struct template_set *set, struct buf *err)
{
	assert(!set->finished);
	if (set->n > 1)
		qsort(set->t, set->n, sizeof *set->t, cmp_template);
	for (size_t i = 0; i < set->n; i++) {
		struct template *t = set->t[i];
		for (size_t j = 0; j < t->n; j++) {
			struct node *n = &t->nodes[j];
			if (n->kind != NODE_PARTIAL)
				continue;
			n->partial = find(set, n->name);
			if (!n->partial) {
				if (err)
					buf_addf(err, "%s:%u: unknown partial {{> %s}}", t->file, n->line, n->name);
				return -1;
			}
		}
	}
	set->finished = true;
	return 0;
}

int template_exists(const struct template_set *set, const char *name)
{
	return find(set, name) != NULL;
}

/* ---- rendering ---- */

struct render {
	struct buf *out;
	const json_t *stack[TEMPLATE_MAX_DEPTH];
	int depth;
	int partials;
	unsigned long steps; /* nodes visited: bounds the work of self-including partials */
};

/* Mustache lookup: the first part of the name is looked for in each frame from the innermost outwards, stopping
 * at the first object that has the key (even when its value is null); later parts look only inside that value. */
static const json_t *lookup(const struct render *r, const struct path *p)
{
	if (p->nseg == 0)
		return r->stack[r->depth - 1];
	const json_t *v = NULL;
	for (int i = r->depth - 1; i >= 0 && !v; i--)
		if (json_is_object(r->stack[i]))
			v = json_object_get(r->stack[i], p->seg[0].key);
	for (unsigned k = 1; v && k < p->nseg; k++) {
		if (json_is_object(v))
			v = json_object_get(v, p->seg[k].key);
		else if (json_is_array(v) && p->seg[k].index >= 0)
			v = json_array_get(v, (size_t)p->seg[k].index);
		else
			v = NULL;
	}
	return v;
}

static bool truthy(const json_t *v)
{
	switch (v ? json_typeof(v) : JSON_NULL) {
	case JSON_OBJECT: return true;
	case JSON_ARRAY: return json_array_size(v) > 0;
	case JSON_STRING: return json_string_length(v) > 0;
	case JSON_INTEGER: return json_integer_value(v) != 0;
	case JSON_REAL: return json_real_value(v) != 0.0;
	case JSON_TRUE: return true;
	default: return false;
	}
}

/* Shortest of %.15g..%.17g that reads back as the same double, so 0.1 prints as "0.1". */
static int emit_real(struct buf *out, double d)
{
	char tmp[40];
	for (int prec = 15; prec <= 17; prec++) {
		snprintf(tmp, sizeof tmp, "%.*g", prec, d);
		if (prec == 17 || strtod(tmp, NULL) == d)
			break;
	}
	return buf_adds(out, tmp);
}

static int emit(struct buf *out, const json_t *v, bool escape)
{
	switch (v ? json_typeof(v) : JSON_NULL) {
	case JSON_STRING:
		return escape ? buf_add_html(out, json_string_value(v)) : buf_adds(out, json_string_value(v));
	case JSON_INTEGER: return buf_addf(out, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
	case JSON_REAL: return emit_real(out, json_real_value(v));
	case JSON_TRUE: return buf_adds(out, "true");
	case JSON_FALSE: return buf_adds(out, "false");
	default: return 0; /* null, missing, objects and arrays print nothing */
	}
}

static int render_nodes(struct render *r, const struct template *t, size_t from, size_t to);

static int render_body(struct render *r, const struct template *t, const struct node *n, size_t i, const json_t *v)
{
	if (r->depth == TEMPLATE_MAX_DEPTH)
		return TEMPLATE_ERR_LIMIT;
	r->stack[r->depth++] = v;
	int rc = render_nodes(r, t, i + 1, n->end);
	r->depth--;
	return rc;
}

static int render_nodes(struct render *r, const struct template *t, size_t from, size_t to)
{
	size_t i = from;
	while (i < to) {
		const struct node *n = &t->nodes[i];
		int rc = 0;
		if (++r->steps > TEMPLATE_MAX_STEPS)
			return TEMPLATE_ERR_LIMIT;
		switch (n->kind) {
		case NODE_TEXT: rc = buf_add(r->out, n->text, n->len) < 0 ? TEMPLATE_ERR_LIMIT : 0; break;
		case NODE_VAR:
		case NODE_RAW:
			rc = emit(r->out, lookup(r, &n->path), n->kind == NODE_VAR) < 0 ? TEMPLATE_ERR_LIMIT : 0;
			break;
		case NODE_SECTION: {
			const json_t *v = lookup(r, &n->path);
			if (json_is_array(v)) {
				for (size_t k = 0; k < json_array_size(v) && rc == 0; k++)
					rc = render_body(r, t, n, i, json_array_get(v, k));
			} else if (truthy(v)) {
				rc = render_body(r, t, n, i, v);
			}
			i = n->end;
			if (rc < 0)
				return rc;
			continue;
		}
		case NODE_INVERTED:
			if (!truthy(lookup(r, &n->path)))
				rc = render_nodes(r, t, i + 1, n->end);
			i = n->end;
			if (rc < 0)
				return rc;
			continue;
		case NODE_PARTIAL:
			if (r->partials == TEMPLATE_MAX_PARTIALS)
				return TEMPLATE_ERR_LIMIT;
			r->partials++;
			rc = render_nodes(r, n->partial, 0, n->partial->n);
			r->partials--;
			break;
		}
		if (rc < 0)
			return rc;
		i++;
	}
	return 0;
}

static int render_frames(const struct template_set *set, const char *name, const json_t *const *frames, int nframes,
			 struct buf *out)
{
	assert(set->finished);
	const struct template *t = find(set, name);
	if (!t)
		return TEMPLATE_ERR_NOT_FOUND;
	struct render r = {.out = out};
	for (int i = 0; i < nframes; i++)
		r.stack[r.depth++] = frames[i];
	size_t mark = out->len;
	int rc = render_nodes(&r, t, 0, t->n);
	if (rc < 0 && out->data) {
		out->len = mark;
		out->data[mark] = '\0';
	}
	return rc;
}

int template_render(const struct template_set *set, const char *name, const json_t *ctx, struct buf *out)
{
	return render_frames(set, name, &ctx, 1, out);
}

int template_render_page(const struct template_set *set, const char *layout, const char *page, const json_t *ctx,
			 struct buf *out)
{
	if (!find(set, layout))
		return TEMPLATE_ERR_NOT_FOUND;
	struct buf body;
	buf_init(&body, out->max);
	int rc = template_render(set, page, ctx, &body);
	if (rc == 0) {
		json_t *slot = json_object();
		json_object_set_new(slot, "content", json_stringn_nocheck(buf_str(&body), body.len));
		const json_t *frames[2] = {ctx, slot};
		rc = render_frames(set, layout, frames, 2, out);
		json_decref(slot);
	}
	buf_free(&body);
	return rc;
}
