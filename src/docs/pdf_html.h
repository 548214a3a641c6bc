/* pdf_html: turns the HTML that Safeguard itself generates for conference letters and records
 * (src/pathway/documents.c) into the PDF document model, so that a stored document prints exactly as it was
 * stored and hashed, not as the records read today.
 *
 * It reads only the small vocabulary that generator writes: h1-h3, p (class "pre" keeps line breaks), tables of
 * th/td rows, ul/ol/li, div, span, inline emphasis, links and br, with the head's title and style skipped. The
 * first h1 becomes the document's title when it has none. Any other element (a script, an image, a form) means
 * the document did not come from our generator, and the conversion is refused rather than guessed at. */
#ifndef SG_PDF_HTML_H
#define SG_PDF_HTML_H
#include <stddef.h>

#include "docs/pdf.h"

/* Appends the document's blocks to d. 0, or -1 when the HTML holds an element outside the vocabulary above (d
 * may then hold part of the document: discard it). */
int pdf_html_convert(struct pdf_doc *d, const char *html, size_t len);

#endif
