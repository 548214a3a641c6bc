/* pdf: a small typesetter for Safeguard's letters, records, plans and chronologies. A caller builds a document
 * model (a title, a subtitle line naming the child and the record id, then headings, paragraphs, bullets and
 * simple tables) and pdf_render() lays it out with pango on a cairo PDF surface, A4 with 20 mm margins, the
 * subtitle and title repeated in a running header and "Page N of M" in the footer, into a memory buffer.
 *
 * Text is always plain text (never pango markup), so nothing a person typed can change the layout; invalid UTF-8
 * is repaired before layout. Paragraphs and tables break across pages; a table's header row is repeated on each
 * page it continues on. docs/internals/pdf.md has the design.
 *
 * Ownership: every function copies the strings it is given; pdf_doc_free() releases the model. Threads: any
 * number of threads may render at once (each render has its own font map, surface and layouts). */
#ifndef SG_PDF_H
#define SG_PDF_H
#include <stdbool.h>

#include "core/buf.h"

#define PDF_MAX_COLS 8

struct pdf_doc;

enum pdf_table_flags {
	PDF_TABLE_HEADER = 1, /* the first row given is a header row (bold, repeated on each page) */
	PDF_TABLE_KEYS = 2,   /* the first column holds row labels (bold): "Held" | "4 September 2026" */
};

/* title: the document's heading and the PDF's title; subtitle: a line under it (the child's name and record
 * id); either may be NULL. */
struct pdf_doc *pdf_doc_new(const char *title, const char *subtitle);
void pdf_doc_free(struct pdf_doc *d);
/* The title given (or set since); "" when none. */
const char *pdf_title(const struct pdf_doc *d);
void pdf_set_title(struct pdf_doc *d, const char *title);
/* A line printed at the foot of every page, left of the page number (when and by what it was made). */
void pdf_footer(struct pdf_doc *d, const char *text);

/* level 1..3 (2 and 3 are the usual section and sub-section headings). */
void pdf_heading(struct pdf_doc *d, int level, const char *text);
/* Line breaks in text are kept; runs of spaces are kept as typed. */
void pdf_para(struct pdf_doc *d, const char *text);
/* A smaller, grey paragraph (a citation, a note about what the document leaves out). */
void pdf_note(struct pdf_doc *d, const char *text);
void pdf_bullet(struct pdf_doc *d, const char *text);
/* Starts a table of ncols columns (1..PDF_MAX_COLS; more are clamped); rows follow with pdf_table_row, each with
 * ncols cells (NULL cells are empty). A table ends at the next block of another kind. */
void pdf_table(struct pdf_doc *d, int ncols, unsigned flags);
void pdf_table_row(struct pdf_doc *d, const char *const *cells);
/* Convenience for two-column label tables: adds a row only when value is non-empty. */
void pdf_table_pair(struct pdf_doc *d, const char *label, const char *value);

/* Lays the document out and writes the PDF into out (appended; out->max bounds it). 0, or -1 with a reason in
 * err (no personal data: a cairo status or "output too large"). */
int pdf_render(struct pdf_doc *d, struct buf *out, struct buf *err);
/* How many pages the last pdf_render() of d produced (0 before the first). */
int pdf_page_count(const struct pdf_doc *d);

#endif
