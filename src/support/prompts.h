/* support/prompts: the prompts decision support raises for a child (issue 6, part 6), computed afresh from the
 * child's records every time, so a prompt can never disagree with the data behind it.
 *
 * Each prompt cites the rule and paragraph behind it and lists the records that triggered it ("why am I seeing
 * this"). Its id is a digest of the child, the rule and the triggering data (prm_ + 16 characters), so the same
 * data always gives the same prompt, and new data (another agency's concern, another factor) gives a new one. A
 * dismissal is stored against that id with its reason (support/data.h); a dismissed prompt stays listed as
 * dismissed, and nothing is ever decided on anyone's behalf: prompts only ask a professional to look.
 *
 * Detectors: the response to each concern (NG76 1.3), consider-to-suspect escalations (1.3.31-1.3.34), signs
 * recorded by several agencies, vulnerability-factor combinations, start-again syndrome, drift and the rule of
 * optimism in neglect assessments, and written agreements overdue or not met. */
#ifndef SG_SUPPORT_PROMPTS_H
#define SG_SUPPORT_PROMPTS_H
#include <jansson.h>
#include <stdint.h>

#include "support/catalogue.h"

/* data: the child's support records as support_data_load() gives them (concerns, factors, assessments, agreements,
 * cases). today: the London date the overdue and window checks use. Returns a new array of prompts, newest first:
 * {"id", "rule", "kind", "level", "title", "message", "citation", "actions": [..], "triggers": [{type, id, date,
 *  summary, source}], "paragraphs": [{id, citation, text}], "raised_on"}. */
json_t *support_prompts_compute(const struct support_catalogue *cat, const char *child_id, const json_t *data,
                                int32_t today);

/* The prompt with that id in prompts, or NULL (borrowed). */
json_t *support_prompts_find(const json_t *prompts, const char *id);

#endif
