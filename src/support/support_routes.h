/* support/support_routes: the decision-support routes (issue 6), JSON API and HTML pages in one table for
 * src/app/routes.c. The API is under /api/v1/children/:id/{support,concerns,factors,neglect-assessments,
 * capacity-reviews,agreements,interventions,prompts} and /api/v1/support/catalogue; the pages are under
 * /children/:id/support. Actions: support.read (following child.read) and support.record (rules/access.d). */
#ifndef SG_SUPPORT_ROUTES_H
#define SG_SUPPORT_ROUTES_H
#include "http/router.h"

extern const struct route support_routes[];

#endif
