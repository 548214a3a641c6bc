/* support/catalogue: the decision-support catalogues (issue 6), loaded from the .json files in rules/support at
 * start-up:
 * alerting features with their responses (NICE NG76 1.3), vulnerability factors and their combinations (NG76 1.2,
 * Staffordshire neglect guidance section 8, research messages), neglect (categories, adolescent neglect, domains of
 * care, pitfalls), capacity to change with the written-agreement rules, and interventions (NG76 1.5 and 1.7).
 *
 * Loading checks everything it can and stops at the first problem with "FILE: ENTRY: PROBLEM": an unknown field, a
 * duplicate id (across all the catalogues), a missing citation, an enumeration value not in rules/enums.d (so
 * enumerations must be loaded first), a reference to an id that does not exist or is of the wrong kind, a clock
 * event the clock rules do not know, and the rules of each catalogue (age ranges, thresholds, required responses).
 *
 * Ownership: the catalogue owns every JSON value it hands out; they are borrowed, read-only, and live until
 * support_catalogue_free(). After loading the catalogue is never changed, so threads share it without locking. */
#ifndef SG_SUPPORT_CATALOGUE_H
#define SG_SUPPORT_CATALOGUE_H
#include <jansson.h>
#include <stdbool.h>

#include "core/buf.h"

struct clock_rules;
struct support_catalogue;

/* Loads every .json file in rules_dir/support in name order; each must name one of the five catalogues, and each
 * catalogue must appear exactly once. clocks (may be NULL to skip the check) validates "starts_clock" events.
 * On failure returns -1, leaves *out NULL and appends "FILE: ENTRY: PROBLEM" to err. */
int support_catalogue_load(struct support_catalogue **out, const char *rules_dir, const struct clock_rules *clocks,
                           struct buf *err);
void support_catalogue_free(struct support_catalogue *cat);

/* Any entry by id (a feature, factor, sign, domain, intervention, rule...), or NULL. */
json_t *support_catalogue_get(const struct support_catalogue *cat, const char *id);
/* "catalogue.section" the id belongs to ("alerting_features.features"), or NULL. */
const char *support_catalogue_kind(const struct support_catalogue *cat, const char *id);
/* A section's array of entries, e.g. ("interventions", "interventions"); an empty array if unknown. */
json_t *support_catalogue_list(const struct support_catalogue *cat, const char *catalogue, const char *section);
/* The first rule entry in catalogue.section whose field key equals value (e.g. a response by scope), or NULL. */
json_t *support_catalogue_find(const struct support_catalogue *cat, const char *catalogue, const char *section,
                               const char *key, const char *value);
/* Every catalogue as {"name": document} (a new reference), for the API's /support/catalogue. */
json_t *support_catalogue_all(const struct support_catalogue *cat);

/* Small readers for catalogue and record JSON: missing or mistyped values give the fallback. */
const char *support_str(const json_t *obj, const char *key);
long long support_int(const json_t *obj, const char *key, long long fallback);
bool support_bool(const json_t *obj, const char *key, bool fallback);
/* True when arr (an array of strings) holds s. */
bool support_has(const json_t *arr, const char *s);

#endif
