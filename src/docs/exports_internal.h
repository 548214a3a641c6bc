/* exports_internal: what the PDF download handlers share (exports.c, exports_plan.c). Strings live in the
 * request arena. */
#ifndef SG_EXPORTS_INTERNAL_H
#define SG_EXPORTS_INTERNAL_H
#include "docs/pdf.h"
#include "http/http.h"

/* "Mia Ashworth · Record ID chd_..." for the subtitle and running header; NULL when there is no such child. */
const char *exports_child_line(struct http_request *req, const char *child_id);
/* Adds the footer, renders d (freed here), audits the export in its own transaction and answers with the PDF as
 * an attachment named filename; or answers the failure. */
void exports_send(struct http_request *req, struct pdf_doc *d, const char *object_type, const char *object_id,
                  const char *child_id, const char *filename);
/* GET /plans/{id}/pdf and /api/v1/plans/{id}/pdf. */
void exports_plan_pdf(struct http_request *req);

#endif
