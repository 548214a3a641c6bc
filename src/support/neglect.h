/* support/neglect: reading a child's series of neglect assessments (issue 6, part 3). Pure functions of the neglect
 * catalogue and the assessments.
 *
 * An assessment rates each domain of care on the catalogue's scale (1 = needs met well ... N = persistently unmet)
 * and records the assessor's overall view. Two practice pitfalls from the Staffordshire guidance are made visible:
 * drift (over the last min_assessments assessments no domain has improved and at least one is still rated at or
 * above concern_rating) and the rule of optimism (the latest assessment says care is improving, yet no domain is
 * rated better than at the assessment before). Both compare each domain's rating only where both assessments rated
 * it.
 *
 * Assessments are JSON objects {"id", "assessed_on" (ISO date), "overall_view", "ratings": {domain id: n}}, in any
 * order; functions sort by date (then id) themselves. Results are new references. */
#ifndef SG_SUPPORT_NEGLECT_H
#define SG_SUPPORT_NEGLECT_H
#include <jansson.h>

#include "support/catalogue.h"

/* The assessments sorted oldest first (a new array holding the same objects). */
json_t *support_neglect_sorted(const json_t *assessments);
/* NULL when there is no drift, else {"rule", "assessments": [ids], "domains": [domain ids rated at concern]}. */
json_t *support_neglect_drift(const struct support_catalogue *cat, const json_t *assessments);
/* NULL when the latest view is borne out (or there is nothing to compare), else
 * {"rule", "assessments": [previous, latest]}. */
json_t *support_neglect_optimism(const struct support_catalogue *cat, const json_t *assessments);
/* The chart of ratings over time as geometry for a server-drawn SVG (and the same data as a table):
 * {"width", "height", "plot": {x0, y0, x1, y1}, "gridlines": [{y, label, value}], "ticks": [{x, label}],
 *  "series": [{domain, name, points: "x,y x,y", dots: [{x, y, value, date}], colour, dash}],
 *  "rows": [{date, view, cells: [{domain, value, label}]}], "domains": [{id, name}], "count"}. */
json_t *support_neglect_chart(const struct support_catalogue *cat, const json_t *assessments);

#endif
