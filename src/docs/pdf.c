/* The typesetter: a document model of blocks, laid out line by line with pango on a cairo PDF surface.
 *
 * Layout runs twice over the same surface: a dry pass that only measures, to learn the page count for "Page N of
 * M", then the pass that draws. Both make the same decisions from the same measurements, so the page count is
 * exact. Each render makes its own pango font map (pango's default map is per thread and never released, which
 * would leave every worker thread holding fonts until exit). */
#include "docs/pdf.h"

#include <cairo-pdf.h>
#include <pango/pangocairo.h>
#include <stdio.h>
#include <string.h>

#include "core/xmalloc.h"

/* A4 in points, 20 mm margins; the running header and footer sit in the margins. */
#define PAGE_W 595.276
#define PAGE_H 841.890
#define MARGIN 56.693
#define CONTENT_W (PAGE_W - 2 * MARGIN)
#define TOP MARGIN
#define BOTTOM (PAGE_H - MARGIN)
#define CELL_PAD 4.0
#define NATURAL_ROWS 200 /* rows measured to choose column widths; the rest wrap to them */

enum block_kind { B_HEADING, B_PARA, B_NOTE, B_BULLET, B_TABLE };

struct block {
	enum block_kind kind;
	int level;
	char *text;
	int ncols, nrows, caprows;
	unsigned flags;
	char **cells; /* nrows * ncols */
};

struct pdf_doc {
	char *title, *subtitle, *footer;
	struct block *blocks;
	int n, cap;
	int pages;
};

enum style { S_BODY, S_BOLD, S_H1, S_H2, S_H3, S_NOTE, S_SMALL, S_SUBTITLE };

struct pen {
	struct pdf_doc *d;
	cairo_t *cr;
	PangoContext *pc;
	bool draw;
	int page, total;
	double y;
};

/* Every string enters the model as valid UTF-8 (pango and the PDF metadata refuse anything else). */
static char *dup_or_empty(const char *s)
{
	gchar *valid = g_utf8_make_valid(s ? s : "", -1);
	char *copy = xstrdup(valid);
	g_free(valid);
	return copy;
}

struct pdf_doc *pdf_doc_new(const char *title, const char *subtitle)
{
	struct pdf_doc *d = xcalloc(1, sizeof *d);
	d->title = dup_or_empty(title);
	d->subtitle = dup_or_empty(subtitle);
	d->footer = xstrdup("");
	return d;
}

void pdf_doc_free(struct pdf_doc *d)
{
	if (!d)
		return;
	for (int i = 0; i < d->n; i++) {
		struct block *b = &d->blocks[i];
		free(b->text);
		for (int k = 0; k < b->nrows * b->ncols; k++)
			free(b->cells[k]);
		free(b->cells);
	}
	free(d->blocks);
	free(d->title);
	free(d->subtitle);
	free(d->footer);
	free(d);
}

const char *pdf_title(const struct pdf_doc *d)
{
	return d->title;
}

void pdf_set_title(struct pdf_doc *d, const char *title)
{
	free(d->title);
	d->title = dup_or_empty(title);
}

void pdf_footer(struct pdf_doc *d, const char *text)
{
	free(d->footer);
	d->footer = dup_or_empty(text);
}

static struct block *add_block(struct pdf_doc *d, enum block_kind kind)
{
	if (d->n == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 32;
		d->blocks = xrealloc(d->blocks, (size_t)d->cap * sizeof *d->blocks);
	}
	struct block *b = &d->blocks[d->n++];
	memset(b, 0, sizeof *b);
	b->kind = kind;
	return b;
}

void pdf_heading(struct pdf_doc *d, int level, const char *text)
{
	struct block *b = add_block(d, B_HEADING);
	b->level = level < 1 ? 1 : level > 3 ? 3 : level;
	b->text = dup_or_empty(text);
}

void pdf_para(struct pdf_doc *d, const char *text)
{
	add_block(d, B_PARA)->text = dup_or_empty(text);
}

void pdf_note(struct pdf_doc *d, const char *text)
{
	add_block(d, B_NOTE)->text = dup_or_empty(text);
}

void pdf_bullet(struct pdf_doc *d, const char *text)
{
	add_block(d, B_BULLET)->text = dup_or_empty(text);
}

void pdf_table(struct pdf_doc *d, int ncols, unsigned flags)
{
	struct block *b = add_block(d, B_TABLE);
	b->ncols = ncols < 1 ? 1 : ncols > PDF_MAX_COLS ? PDF_MAX_COLS : ncols;
	b->flags = flags;
}

void pdf_table_row(struct pdf_doc *d, const char *const *cells)
{
	if (!d->n || d->blocks[d->n - 1].kind != B_TABLE)
		pdf_table(d, 2, 0);
	struct block *b = &d->blocks[d->n - 1];
	if (b->nrows == b->caprows) {
		b->caprows = b->caprows ? b->caprows * 2 : 16;
		b->cells = xrealloc(b->cells, (size_t)b->caprows * (size_t)b->ncols * sizeof *b->cells);
	}
	for (int c = 0; c < b->ncols; c++)
		b->cells[b->nrows * b->ncols + c] = dup_or_empty(cells[c]);
	b->nrows++;
}

void pdf_table_pair(struct pdf_doc *d, const char *label, const char *value)
{
	if (!value || !*value)
		return;
	if (!d->n || d->blocks[d->n - 1].kind != B_TABLE || d->blocks[d->n - 1].ncols != 2)
		pdf_table(d, 2, PDF_TABLE_KEYS);
	const char *row[2] = {label, value};
	pdf_table_row(d, row);
}

int pdf_page_count(const struct pdf_doc *d)
{
	return d->pages;
}

/* ---- layout ---- */

static PangoLayout *make_layout(struct pen *p, enum style st, const char *text, double width)
{
	static const struct {
		double size;
		bool bold;
	} styles[] = {
		[S_BODY] = {10, false}, [S_BOLD] = {10, true},  [S_H1] = {18, true},   [S_H2] = {14, true},
		[S_H3] = {11.5, true},  [S_NOTE] = {9, false},  [S_SMALL] = {8, false}, [S_SUBTITLE] = {12, false},
	};
	PangoLayout *l = pango_layout_new(p->pc);
	PangoFontDescription *fd = pango_font_description_new();
	pango_font_description_set_family(fd, "Liberation Sans,DejaVu Sans,sans-serif");
	pango_font_description_set_size(fd, (gint)(styles[st].size * PANGO_SCALE));
	pango_font_description_set_weight(fd, styles[st].bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
	pango_layout_set_font_description(l, fd);
	pango_font_description_free(fd);
	if (width > 0) {
		pango_layout_set_width(l, (int)(width * PANGO_SCALE));
		pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
	}
	/* Plain text only, never markup (the model holds only valid UTF-8: see dup_or_empty). */
	pango_layout_set_text(l, text ? text : "", -1);
	return l;
}

static double layout_height(PangoLayout *l)
{
	int w, h;
	pango_layout_get_size(l, &w, &h);
	return h / (double)PANGO_SCALE;
}

static double layout_width(PangoLayout *l)
{
	int w, h;
	pango_layout_get_size(l, &w, &h);
	return w / (double)PANGO_SCALE;
}

static void grey(struct pen *p, double level)
{
	cairo_set_source_rgb(p->cr, level, level, level);
}

static void rule(struct pen *p, double y, double width, double level)
{
	if (!p->draw)
		return;
	grey(p, level);
	cairo_set_line_width(p->cr, width);
	cairo_move_to(p->cr, MARGIN, y);
	cairo_line_to(p->cr, PAGE_W - MARGIN, y);
	cairo_stroke(p->cr);
	grey(p, 0.04);
}

static void show(struct pen *p, PangoLayout *l, double x, double y)
{
	if (!p->draw)
		return;
	cairo_move_to(p->cr, x, y);
	pango_cairo_show_layout(p->cr, l);
}

/* The running header (subtitle left, title right) and footer (footer text left, page number right). */
static void page_furniture(struct pen *p)
{
	if (!p->draw)
		return;
	/* One line each: the child's name and record id have the larger share; anything longer is cut with "…". */
	double lw = CONTENT_W * 0.6 - 6, rw = CONTENT_W * 0.4 - 6;
	grey(p, 0.31);
	PangoLayout *left = make_layout(p, S_SMALL, p->d->subtitle, lw);
	PangoLayout *right = make_layout(p, S_SMALL, p->d->title, rw);
	pango_layout_set_ellipsize(left, PANGO_ELLIPSIZE_END);
	pango_layout_set_ellipsize(right, PANGO_ELLIPSIZE_END);
	pango_layout_set_alignment(right, PANGO_ALIGN_RIGHT);
	show(p, left, MARGIN, 30);
	show(p, right, MARGIN + CONTENT_W - rw, 30);
	g_object_unref(left);
	g_object_unref(right);
	char num[64];
	snprintf(num, sizeof num, "Page %d of %d", p->page, p->total);
	PangoLayout *foot = make_layout(p, S_SMALL, p->d->footer, CONTENT_W - 90);
	pango_layout_set_ellipsize(foot, PANGO_ELLIPSIZE_END);
	PangoLayout *page = make_layout(p, S_SMALL, num, 80);
	pango_layout_set_alignment(page, PANGO_ALIGN_RIGHT);
	grey(p, 0.31);
	show(p, foot, MARGIN, PAGE_H - 44);
	show(p, page, PAGE_W - MARGIN - 80, PAGE_H - 44);
	g_object_unref(foot);
	g_object_unref(page);
	rule(p, 44, 0.5, 0.7);
	rule(p, PAGE_H - 48, 0.5, 0.7);
}

static void new_page(struct pen *p)
{
	page_furniture(p);
	if (p->draw)
		cairo_show_page(p->cr);
	p->page++;
	p->y = TOP;
}

static bool at_top(const struct pen *p)
{
	return p->y <= TOP + 0.5;
}

static void space(struct pen *p, double pt)
{
	if (!at_top(p))
		p->y += pt;
}

/* Places a layout's lines one at a time from p->y, moving to a new page whenever the next line would cross the
 * bottom margin. bullet (may be NULL) is drawn beside the first line. */
static void flow(struct pen *p, PangoLayout *l, double x, PangoLayout *bullet)
{
	PangoLayoutIter *it = pango_layout_get_iter(l);
	double y0 = p->y, shift = 0, bottom = 0;
	bool first = true;
	do {
		PangoRectangle logical;
		pango_layout_iter_get_line_extents(it, NULL, &logical);
		double top = logical.y / (double)PANGO_SCALE, h = logical.height / (double)PANGO_SCALE;
		if (y0 + top - shift + h > BOTTOM && y0 + top - shift > TOP + 0.5) {
			new_page(p);
			y0 = p->y;
			shift = top;
		}
		if (p->draw) {
			double base = y0 + pango_layout_iter_get_baseline(it) / (double)PANGO_SCALE - shift;
			cairo_move_to(p->cr, x, base);
			pango_cairo_show_layout_line(p->cr, pango_layout_iter_get_line_readonly(it));
			if (first && bullet) {
				cairo_move_to(p->cr, x - 12, base);
				pango_cairo_show_layout_line(p->cr, pango_layout_get_line_readonly(bullet, 0));
			}
		}
		first = false;
		bottom = top + h;
	} while (pango_layout_iter_next_line(it));
	pango_layout_iter_free(it);
	p->y = y0 + bottom - shift;
}

static void title_block(struct pen *p)
{
	PangoLayout *t = make_layout(p, S_H1, p->d->title, CONTENT_W);
	flow(p, t, MARGIN, NULL);
	g_object_unref(t);
	if (*p->d->subtitle) {
		p->y += 4;
		PangoLayout *s = make_layout(p, S_SUBTITLE, p->d->subtitle, CONTENT_W);
		flow(p, s, MARGIN, NULL);
		g_object_unref(s);
	}
	p->y += 8;
	rule(p, p->y, 1.0, 0.04);
	p->y += 12;
}

static void heading(struct pen *p, const struct block *b)
{
	enum style st = b->level == 1 ? S_H1 : b->level == 2 ? S_H2 : S_H3;
	space(p, b->level == 3 ? 8 : 14);
	PangoLayout *l = make_layout(p, st, b->text, CONTENT_W);
	/* Keep a heading with the start of what follows it. */
	if (!at_top(p) && p->y + layout_height(l) + 40 > BOTTOM)
		new_page(p);
	flow(p, l, MARGIN, NULL);
	g_object_unref(l);
	p->y += 4;
}

static void para(struct pen *p, const struct block *b)
{
	bool note = b->kind == B_NOTE, bullet = b->kind == B_BULLET;
	double indent = bullet ? 14 : 0;
	PangoLayout *l = make_layout(p, note ? S_NOTE : S_BODY, b->text, CONTENT_W - indent);
	PangoLayout *dot = bullet ? make_layout(p, S_BODY, "\xE2\x80\xA2", 0) : NULL;
	if (note)
		grey(p, 0.31);
	flow(p, l, MARGIN + indent, dot);
	grey(p, 0.04);
	g_object_unref(l);
	if (dot)
		g_object_unref(dot);
	p->y += bullet ? 3 : 6;
}

/* Column widths. Each column wants its widest unwrapped cell and needs its widest word (both over the first rows).
 * If the wants fit, they are used and the last column takes the slack. Otherwise every column first gets its want
 * up to an equal share of the page (never less than its need), so short columns such as dates keep their line,
 * and what is left goes to the columns that want more, in proportion to how much more. */
static void column_widths(struct pen *p, const struct block *b, double *w)
{
	double want[PDF_MAX_COLS] = {0}, need[PDF_MAX_COLS] = {0}, sum_want = 0, sum = 0;
	int rows = b->nrows < NATURAL_ROWS ? b->nrows : NATURAL_ROWS;
	for (int c = 0; c < b->ncols; c++) {
		for (int r = 0; r < rows; r++) {
			bool bold = (r == 0 && (b->flags & PDF_TABLE_HEADER)) || (c == 0 && (b->flags & PDF_TABLE_KEYS));
			PangoLayout *l = make_layout(p, bold ? S_BOLD : S_BODY, b->cells[r * b->ncols + c], 0);
			double lw = layout_width(l) + 2 * CELL_PAD;
			pango_layout_set_width(l, 1); /* one word a line: the layout is as wide as its widest word */
			pango_layout_set_wrap(l, PANGO_WRAP_WORD);
			double ww = layout_width(l) + 2 * CELL_PAD;
			g_object_unref(l);
			if (lw > want[c])
				want[c] = lw;
			if (ww > need[c])
				need[c] = ww;
		}
		if (want[c] < 30)
			want[c] = 30;
		if (need[c] > want[c])
			need[c] = want[c];
		sum_want += want[c];
	}
	if (sum_want <= CONTENT_W) {
		for (int c = 0; c < b->ncols; c++)
			w[c] = want[c];
		w[b->ncols - 1] += CONTENT_W - sum_want;
		return;
	}
	double fair = CONTENT_W / b->ncols, more = 0;
	for (int c = 0; c < b->ncols; c++) {
		w[c] = want[c] < fair ? want[c] : fair;
		if (w[c] < need[c])
			w[c] = need[c];
		sum += w[c];
		more += want[c] - w[c];
	}
	if (sum >= CONTENT_W) { /* even the needs do not fit: shrink them all alike, and let words break */
		for (int c = 0; c < b->ncols; c++)
			w[c] *= CONTENT_W / sum;
		return;
	}
	double spare = CONTENT_W - sum;
	for (int c = 0; c < b->ncols; c++)
		w[c] += more > 0 ? spare * (want[c] - w[c]) / more : spare / b->ncols;
}

/* Lays out one row's cells; returns the row height. layouts receives ncols layouts (caller unrefs). */
static double row_layouts(struct pen *p, const struct block *b, int r, const double *w, PangoLayout **out)
{
	double h = 0;
	for (int c = 0; c < b->ncols; c++) {
		bool bold = (r == 0 && (b->flags & PDF_TABLE_HEADER)) || (c == 0 && (b->flags & PDF_TABLE_KEYS));
		out[c] = make_layout(p, bold ? S_BOLD : S_BODY, b->cells[r * b->ncols + c], w[c] - 2 * CELL_PAD);
		double ch = layout_height(out[c]);
		if (ch > h)
			h = ch;
	}
	return h + 2 * CELL_PAD;
}

static void draw_row(struct pen *p, const struct block *b, PangoLayout **ls, const double *w, double h, bool header)
{
	double x = MARGIN;
	for (int c = 0; c < b->ncols; c++) {
		show(p, ls[c], x + CELL_PAD, p->y + CELL_PAD);
		x += w[c];
	}
	p->y += h;
	rule(p, p->y, header ? 1.0 : 0.5, header ? 0.04 : 0.69);
}

static void free_row(PangoLayout **ls, int n)
{
	for (int c = 0; c < n; c++)
		g_object_unref(ls[c]);
}

static void table(struct pen *p, const struct block *b)
{
	if (b->nrows == 0)
		return;
	double w[PDF_MAX_COLS];
	column_widths(p, b, w);
	PangoLayout *head[PDF_MAX_COLS], *ls[PDF_MAX_COLS];
	bool has_header = (b->flags & PDF_TABLE_HEADER) && b->nrows > 1;
	double head_h = has_header ? row_layouts(p, b, 0, w, head) : 0;
	space(p, 4);
	for (int r = has_header ? 1 : 0; r < b->nrows; r++) {
		double h = row_layouts(p, b, r, w, ls);
		bool first = r == (has_header ? 1 : 0);
		double need = h + (first ? head_h : 0);
		if (p->y + need > BOTTOM && !at_top(p))
			new_page(p);
		if (has_header && (first || at_top(p)))
			draw_row(p, b, head, w, head_h, true);
		if (p->y + h <= BOTTOM) {
			draw_row(p, b, ls, w, h, false);
		} else {
			/* A row taller than a page: its cells follow one another as paragraphs, which can break. */
			for (int c = 0; c < b->ncols; c++)
				flow(p, ls[c], MARGIN + CELL_PAD, NULL);
			p->y += CELL_PAD;
			rule(p, p->y, 0.5, 0.69);
		}
		free_row(ls, b->ncols);
	}
	if (has_header)
		free_row(head, b->ncols);
	p->y += 10;
}

static void lay_out(struct pen *p)
{
	p->page = 1;
	p->y = TOP;
	grey(p, 0.04);
	title_block(p);
	for (int i = 0; i < p->d->n; i++) {
		const struct block *b = &p->d->blocks[i];
		switch (b->kind) {
		case B_HEADING:
			heading(p, b);
			break;
		case B_PARA:
		case B_NOTE:
		case B_BULLET:
			para(p, b);
			break;
		case B_TABLE:
			table(p, b);
			break;
		}
	}
	page_furniture(p);
	if (p->draw)
		cairo_show_page(p->cr);
}

static cairo_status_t write_out(void *closure, const unsigned char *data, unsigned int len)
{
	return buf_add(closure, data, len) == 0 ? CAIRO_STATUS_SUCCESS : CAIRO_STATUS_WRITE_ERROR;
}

int pdf_render(struct pdf_doc *d, struct buf *out, struct buf *err)
{
	size_t start = out->len;
	cairo_surface_t *s = cairo_pdf_surface_create_for_stream(write_out, out, PAGE_W, PAGE_H);
	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE, d->title);
	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR, "Safeguard");
	cairo_t *cr = cairo_create(s);
	PangoFontMap *fm = pango_cairo_font_map_new();
	PangoContext *pc = pango_font_map_create_context(fm);
	/* Outline metrics, not screen-hinted ones: the layout is the same at any zoom and on paper. */
	cairo_font_options_t *fo = cairo_font_options_create();
	cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
	cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
	pango_cairo_context_set_font_options(pc, fo);
	cairo_font_options_destroy(fo);
	pango_cairo_update_context(cr, pc);
	struct pen p = {.d = d, .cr = cr, .pc = pc, .draw = false};
	lay_out(&p);
	p.total = p.page;
	p.draw = true;
	lay_out(&p);
	d->pages = p.total;
	g_object_unref(pc);
	g_object_unref(fm);
	cairo_destroy(cr);
	cairo_surface_finish(s);
	cairo_status_t status = cairo_surface_status(s);
	cairo_surface_destroy(s);
	if (status != CAIRO_STATUS_SUCCESS) {
		out->len = start;
		if (out->data)
			out->data[start] = '\0';
		buf_adds(err, status == CAIRO_STATUS_WRITE_ERROR ? "the PDF is larger than allowed"
		                                                 : cairo_status_to_string(status));
		return -1;
	}
	return 0;
}
