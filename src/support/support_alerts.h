/* support/support_alerts: what a recorded concern calls for (issue 6, part 1). Pure functions of the alerting-features
 * catalogue.
 *
 * The response follows NG76 1.3 "how to use these recommendations": a child in immediate danger is referred at
 * once and the other steps wait; otherwise a sign with steps of its own (trafficking, fabricated illness) brings
 * those; a 'suspect' sign means referral to children's social care now; a 'consider' sign means looking further,
 * gathering information, a review and discussion. The steps for every sign (advice from the safeguarding lead,
 * talking with the child) come last. Results are new JSON references. */
#ifndef SG_SUPPORT_ALERTS_H
#define SG_SUPPORT_ALERTS_H
#include <jansson.h>
#include <stdbool.h>

#include "support/catalogue.h"

/* {"level": "immediate"|"special"|"suspect"|"refer_elsewhere"|"consider"|"none", "title", "citation",
 *  "responses": [{id, title, citation, actions}], "starts_clock": event code or null,
 *  "features": [{id, title, level, citation}]} for the feature ids given (an array of strings, known ids). */
json_t *support_alerts_response(const struct support_catalogue *cat, const json_t *feature_ids, bool immediate);

/* Checks one proposed feature for a child of the given age in whole years (-1 when not known or unborn): NULL when
 * it may be recorded, else the reason (static text or the catalogue's). */
const char *support_alerts_refuse(const struct support_catalogue *cat, const char *feature_id, int age_years);

/* The abuse types (support_abuse_type codes other than "general") the features point to, as a new array. */
json_t *support_alerts_abuse_types(const struct support_catalogue *cat, const json_t *feature_ids);

#endif
