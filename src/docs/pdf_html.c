/* A one-pass scanner over our own generated HTML: tags switch what the gathered text becomes (a heading, a
 * paragraph, a bullet, a table cell); text is unescaped and its white space collapsed outside "pre" paragraphs. */
#include "docs/pdf_html.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/buf.h"
#include "core/xmalloc.h"

enum tag {
	T_UNKNOWN, T_SKIP, T_IGNORE, T_H1, T_H2, T_H3, T_P, T_LI, T_TABLE, T_TR, T_TH, T_TD, T_BR,
};

struct row {
	char *cells[PDF_MAX_COLS];
	bool th[PDF_MAX_COLS];
	int n;
};

struct conv {
	struct pdf_doc *d;
	struct buf text;
	enum tag in; /* the block element gathering text (T_IGNORE = none) */
	bool pre;
	int skipping; /* inside title or style */
	bool in_table;
	struct row *rows;
	int nrows, caprows;
};

static enum tag tag_kind(const char *name, size_t n)
{
	static const struct {
		const char *name;
		enum tag t;
	} tags[] = {
		{"h1", T_H1},       {"h2", T_H2},        {"h3", T_H3},         {"p", T_P},           {"li", T_LI},
		{"table", T_TABLE}, {"tr", T_TR},        {"th", T_TH},         {"td", T_TD},         {"br", T_BR},
		{"title", T_SKIP},  {"style", T_SKIP},   {"html", T_IGNORE},   {"head", T_IGNORE},   {"meta", T_IGNORE},
		{"body", T_IGNORE}, {"div", T_IGNORE},   {"span", T_IGNORE},   {"strong", T_IGNORE}, {"em", T_IGNORE},
		{"b", T_IGNORE},    {"i", T_IGNORE},     {"a", T_IGNORE},      {"ul", T_IGNORE},     {"ol", T_IGNORE},
		{"thead", T_IGNORE}, {"tbody", T_IGNORE}, {"section", T_IGNORE}, {"caption", T_IGNORE},
	};
	for (size_t i = 0; i < sizeof tags / sizeof tags[0]; i++)
		if (strlen(tags[i].name) == n && strncasecmp(tags[i].name, name, n) == 0)
			return tags[i].t;
	return T_UNKNOWN;
}

static void add_utf8(struct buf *b, unsigned long cp)
{
	if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		cp = 0xFFFD;
	if (cp < 0x80) {
		buf_addc(b, (char)cp);
	} else if (cp < 0x800) {
		buf_addc(b, (char)(0xC0 | (cp >> 6)));
		buf_addc(b, (char)(0x80 | (cp & 0x3F)));
	} else if (cp < 0x10000) {
		buf_addc(b, (char)(0xE0 | (cp >> 12)));
		buf_addc(b, (char)(0x80 | ((cp >> 6) & 0x3F)));
		buf_addc(b, (char)(0x80 | (cp & 0x3F)));
	} else {
		buf_addc(b, (char)(0xF0 | (cp >> 18)));
		buf_addc(b, (char)(0x80 | ((cp >> 12) & 0x3F)));
		buf_addc(b, (char)(0x80 | ((cp >> 6) & 0x3F)));
		buf_addc(b, (char)(0x80 | (cp & 0x3F)));
	}
}

/* Decodes the entity at s (which starts with '&'); returns the bytes consumed, 0 when it is not one we know (the
 * '&' is then kept as typed). */
static size_t entity(const char *s, const char *end, struct buf *out)
{
	static const struct {
		const char *name;
		const char *text;
	} named[] = {{"&amp;", "&"}, {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&apos;", "'"}, {"&nbsp;", " "}};
	for (size_t i = 0; i < sizeof named / sizeof named[0]; i++) {
		size_t n = strlen(named[i].name);
		if ((size_t)(end - s) >= n && strncmp(s, named[i].name, n) == 0) {
			buf_adds(out, named[i].text);
			return n;
		}
	}
	if (end - s < 4 || s[1] != '#')
		return 0;
	bool hex = s[2] == 'x' || s[2] == 'X';
	const char *p = s + (hex ? 3 : 2);
	unsigned long cp = 0;
	int digits = 0;
	for (; p < end && digits < 8; p++, digits++) {
		int v = *p >= '0' && *p <= '9' ? *p - '0'
		        : hex && *p >= 'a' && *p <= 'f' ? *p - 'a' + 10
		        : hex && *p >= 'A' && *p <= 'F' ? *p - 'A' + 10 : -1;
		if (v < 0)
			break;
		cp = cp * (hex ? 16 : 10) + (unsigned long)v;
	}
	if (!digits || p >= end || *p != ';')
		return 0;
	add_utf8(out, cp);
	return (size_t)(p + 1 - s);
}

/* The gathered text, trimmed (white space collapsed unless pre). Caller frees. */
static char *take_text(struct conv *c)
{
	struct buf out;
	buf_init(&out, 0);
	const char *s = buf_str(&c->text);
	if (c->pre) {
		size_t n = c->text.len;
		while (n && (s[n - 1] == '\n' || s[n - 1] == ' '))
			n--;
		while (n && (*s == '\n')) {
			s++;
			n--;
		}
		buf_add(&out, s, n);
	} else {
		bool space = false;
		for (; *s; s++) {
			if (*s == ' ' || *s == '\n' || *s == '\t' || *s == '\r') {
				space = out.len > 0;
				continue;
			}
			if (space)
				buf_addc(&out, ' ');
			space = false;
			buf_addc(&out, *s);
		}
	}
	buf_reset(&c->text);
	char *r = buf_detach(&out);
	return r ? r : xstrdup("");
}

/* Ends the block being gathered: it becomes a heading, paragraph, bullet or cell. */
static void flush(struct conv *c)
{
	char *t = take_text(c);
	switch (c->in) {
	case T_H1:
		if (!*pdf_title(c->d))
			pdf_set_title(c->d, t);
		else if (*t)
			pdf_heading(c->d, 1, t);
		break;
	case T_H2:
	case T_H3:
		if (*t)
			pdf_heading(c->d, c->in == T_H2 ? 2 : 3, t);
		break;
	case T_LI:
		if (*t)
			pdf_bullet(c->d, t);
		break;
	case T_TH:
	case T_TD:
		if (c->nrows) {
			struct row *r = &c->rows[c->nrows - 1];
			if (r->n < PDF_MAX_COLS) {
				r->th[r->n] = c->in == T_TH;
				r->cells[r->n++] = t;
				t = NULL;
			} else if (*t) { /* more cells than a page can hold: the last column takes the rest */
				char *joined = xmalloc(strlen(r->cells[r->n - 1]) + strlen(t) + 2);
				snprintf(joined, strlen(r->cells[r->n - 1]) + strlen(t) + 2, "%s %s", r->cells[r->n - 1], t);
				free(r->cells[r->n - 1]);
				r->cells[r->n - 1] = joined;
			}
		}
		break;
	default:
		if (*t)
			pdf_para(c->d, t);
		break;
	}
	free(t);
	c->in = T_IGNORE;
	c->pre = false;
}

static void end_table(struct conv *c)
{
	int ncols = 1;
	bool header = c->nrows > 1, keys = c->nrows > 0;
	for (int i = 0; i < c->nrows; i++) {
		struct row *r = &c->rows[i];
		if (r->n > ncols)
			ncols = r->n;
		for (int k = 0; k < r->n; k++) {
			if (i == 0 && !r->th[k])
				header = false;
			if (i > 0 && r->th[k] != (k == 0))
				keys = false;
		}
		if (i > 0 && r->n && !r->th[0])
			keys = false;
	}
	if (header)
		keys = false;
	if (c->nrows && keys && c->rows[0].n && !c->rows[0].th[0])
		keys = false;
	if (c->nrows) {
		pdf_table(c->d, ncols, (header ? PDF_TABLE_HEADER : 0) | (keys ? PDF_TABLE_KEYS : 0));
		for (int i = 0; i < c->nrows; i++) {
			const char *cells[PDF_MAX_COLS] = {0};
			for (int k = 0; k < c->rows[i].n; k++)
				cells[k] = c->rows[i].cells[k];
			pdf_table_row(c->d, cells);
		}
	}
	for (int i = 0; i < c->nrows; i++)
		for (int k = 0; k < c->rows[i].n; k++)
			free(c->rows[i].cells[k]);
	c->nrows = 0;
	c->in_table = false;
}

static void open_row(struct conv *c)
{
	if (c->nrows == c->caprows) {
		c->caprows = c->caprows ? c->caprows * 2 : 16;
		c->rows = xrealloc(c->rows, (size_t)c->caprows * sizeof *c->rows);
	}
	memset(&c->rows[c->nrows++], 0, sizeof *c->rows);
}

/* One tag: <name ...>, </name>, <name/>. Returns -1 for an element outside the vocabulary. */
static int on_tag(struct conv *c, const char *s, size_t n)
{
	bool closing = n && s[0] == '/';
	const char *name = s + (closing ? 1 : 0);
	size_t len = 0;
	while (name + len < s + n && ((name[len] >= 'a' && name[len] <= 'z') || (name[len] >= 'A' && name[len] <= 'Z') ||
	                              (name[len] >= '0' && name[len] <= '9')))
		len++;
	enum tag t = tag_kind(name, len);
	if (t == T_UNKNOWN)
		return -1;
	if (t == T_SKIP) {
		c->skipping += closing ? (c->skipping > 0 ? -1 : 0) : 1;
		return 0;
	}
	if (c->skipping || t == T_IGNORE)
		return 0;
	if (t == T_BR) {
		buf_addc(&c->text, '\n');
		return 0;
	}
	if (t == T_TABLE) {
		if (c->text.len || c->in != T_IGNORE)
			flush(c);
		if (closing || c->in_table)
			end_table(c);
		c->in_table = !closing;
		return 0;
	}
	if (t == T_TR) {
		if (c->in == T_TH || c->in == T_TD)
			flush(c);
		if (!closing && c->in_table)
			open_row(c);
		return 0;
	}
	if (closing) {
		if (c->in == t || ((t == T_TH || t == T_TD) && (c->in == T_TH || c->in == T_TD)))
			flush(c);
		return 0;
	}
	/* A new block ends the one before (HTML lets <p> and <li> close implicitly). */
	if (c->in != T_IGNORE || c->text.len)
		flush(c);
	if ((t == T_TH || t == T_TD) && (!c->in_table || !c->nrows)) {
		if (!c->in_table)
			c->in_table = true;
		open_row(c);
	}
	c->in = t;
	c->pre = t == T_P && memmem(s, n, "class=\"pre\"", 11) != NULL;
	return 0;
}

int pdf_html_convert(struct pdf_doc *d, const char *html, size_t len)
{
	struct conv c = {.d = d, .in = T_IGNORE};
	buf_init(&c.text, 0);
	const char *p = html, *end = html + len;
	int rc = 0;
	while (p < end && rc == 0) {
		if (*p == '<') {
			if (end - p >= 4 && strncmp(p, "<!--", 4) == 0) {
				const char *close = memmem(p, (size_t)(end - p), "-->", 3);
				p = close ? close + 3 : end;
				continue;
			}
			const char *gt = memchr(p, '>', (size_t)(end - p));
			if (!gt)
				break;
			if (p[1] != '!')
				rc = on_tag(&c, p + 1, (size_t)(gt - p - 1));
			p = gt + 1;
			continue;
		}
		if (c.skipping) {
			p++;
			continue;
		}
		if (*p == '&') {
			size_t used = entity(p, end, &c.text);
			if (used) {
				p += used;
				continue;
			}
		}
		buf_addc(&c.text, *p++);
	}
	if (rc == 0) {
		if (c.in != T_IGNORE || c.text.len)
			flush(&c);
		if (c.in_table || c.nrows)
			end_table(&c);
	} else {
		for (int i = 0; i < c.nrows; i++)
			for (int k = 0; k < c.rows[i].n; k++)
				free(c.rows[i].cells[k]);
	}
	free(c.rows);
	buf_free(&c.text);
	return rc;
}
