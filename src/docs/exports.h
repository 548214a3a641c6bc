/* exports: PDF downloads of a child's records, typeset by the server (src/docs/pdf.h): the chronology (with the
 * chronology page's filters), a child protection plan, and the letters and records Safeguard generated for a
 * conference (from the stored document itself, so the PDF shows exactly what was sent). Every download is
 * checked by the policy like a read of the same record and audited as an "export" before a byte is sent. */
#ifndef SG_EXPORTS_H
#define SG_EXPORTS_H
#include "http/router.h"

extern const struct route exports_routes[];

#endif
