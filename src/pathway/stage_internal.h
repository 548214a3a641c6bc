/* stage_internal: shared between stage.c and stage_rules.c only. The document returned by stage_rules() is the
 * checked rules/pathway/stages.json, read-only and owned by the module (never decref it). */
#ifndef SG_STAGE_INTERNAL_H
#define SG_STAGE_INTERNAL_H
#include <jansson.h>
#include <stdbool.h>

#include "core/buf.h"

/* The loaded rules, loading them from $SAFEGUARD_HOME/rules on first use; NULL with err on failure. */
json_t *stage_rules(struct buf *err);
json_t *stage_find_transition(json_t *doc, const char *from, const char *to, const char *command);
bool stage_closes_case(json_t *doc, const char *code);
const char *stage_initial(json_t *doc);

#endif
