/* support/catalogue_internal: what the loader (catalogue.c) and the rule checks (catalogue_check.c) share. */
#ifndef SG_SUPPORT_CATALOGUE_INTERNAL_H
#define SG_SUPPORT_CATALOGUE_INTERNAL_H
#include <jansson.h>

#include "core/buf.h"
#include "support/catalogue.h"

struct support_catalogue {
	json_t *docs;  /* catalogue name -> document */
	json_t *files; /* catalogue name -> the file it came from */
	json_t *index; /* id -> {"file", "kind" ("catalogue.section"), "entry"} */
	json_t *empty; /* what support_catalogue_list answers for an unknown section */
};

/* The checks no field table can express: each catalogue's own rules (required responses, age ranges, thresholds,
 * concepts a combination names). Appends "FILE: ENTRY: PROBLEM" and returns -1 at the first failure. */
int support_catalogue_check_rules(const struct support_catalogue *cat, struct buf *err);

#endif
