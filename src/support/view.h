/* support/view: a child's decision support put together for showing, the same for the JSON API and the pages:
 * every sign recorded across agencies and over time, the factors with their combinations, the neglect series
 * with its chart, agreements with their clocks, interventions with their catalogue entries, and the prompts.
 * JSON results are new references; NULL means a database error. */
#ifndef SG_SUPPORT_VIEW_H
#define SG_SUPPORT_VIEW_H
#include <jansson.h>
#include <stdint.h>

#include "store/store.h"
#include "support/catalogue.h"

/* One row per feature ever recorded for the child, most serious level first, then most recent:
 * {id, citation, title, level, level_label, count, first, last, dates: [...], sources: [labels], agencies (count)}. */
json_t *support_view_features(const struct support_catalogue *cat, const json_t *concerns);
/* The concern with "feature_items" [{id, citation, title, level, level_label}] and "response". */
json_t *support_view_concern(const struct support_catalogue *cat, const json_t *concern);
/* The agreement with "clock": {state: running|overdue|met|met_late|partly_met|not_met, due_on, days_left}. */
json_t *support_view_agreement(const json_t *agreement, int32_t today);
/* {"current": [...], "ended": [...], "combinations": [...]} with each factor's catalogue title, group and concept. */
json_t *support_view_factors(const struct support_catalogue *cat, const json_t *factors);
/* Everything for the child: {concerns, features, factors, neglect: {assessments, chart, drift, optimism},
 * reviews, agreements, interventions, prompts, counts}. */
json_t *support_view_overview(struct store *st, const struct support_catalogue *cat, const char *child_id,
                              int32_t today);

/* What the child's page shows of decision support (for web/templates/support/partials/child_summary.html, under the
 * key "support_summary"): {"href", "prompts_active", "features": [as support_view_features], "feature_count"}. */
json_t *support_view_summary(struct store *st, const struct support_catalogue *cat, const char *child_id,
                             int32_t today);

#endif
