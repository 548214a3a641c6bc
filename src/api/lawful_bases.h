/* lawful_bases: rules/lawful_bases.json, the legal grounds named when information about a child is shared (UK GDPR
 * Article 6 bases, Article 9 conditions for special category data, DPA 2018 Schedule 1 conditions), each with its
 * citation. Data, interpreted here: which codes exist, which group each belongs to, which Article 9 conditions need
 * a Schedule 1 condition and which, and which roles may not rely on a basis (consent, for statutory agencies).
 *
 * Ownership: lawful_bases_load returns a new reference to the checked document; the other functions borrow it. */
#ifndef SG_LAWFUL_BASES_H
#define SG_LAWFUL_BASES_H
#include <jansson.h>
#include <stdbool.h>

#include "core/buf.h"

/* Loads and checks the file: known top-level fields, groups with label and citation, every basis with a unique
 * lower-case code, a known group, a label, a summary and a citation, and requires_group/requires_codes naming
 * existing entries. 0, or -1 with "FILE: ENTRY: problem" in err. */
int lawful_bases_load(const char *path, json_t **out, struct buf *err);
/* The basis with this code, or NULL. */
const json_t *lawful_bases_find(const json_t *doc, const char *code);
/* The bases of one group as select options [{code, label, summary, citation, selected}] (a new reference). */
json_t *lawful_bases_options(const json_t *doc, const char *group, const char *selected);

/* The grounds given for one decision. decision_shares: something was (at least partly) shared, so an Article 6
 * basis is required. role is the decider's access role. NULL when acceptable; otherwise a sentence and *field names
 * the input at fault ("lawful_basis", "special_category_condition" or "schedule1_condition"). */
const char *lawful_bases_check(const json_t *doc, bool decision_shares, const char *role, const char *art6,
                               const char *art9, const char *sch1, const char **field);

/* What a basis may need beyond its code (spec B-ch01-07 digest 3c; guards G3.3-G3.5 of 3f). Flags are 1, 0, or -1
 * when not answered; basis_detail is NULL when not given. */
struct basis_evidence {
	int consent_sought, consent_given, subject_can_consent, outside_public_task;
	const char *basis_detail;
};
/* The chosen Article 6 basis's own demands, from the data: needs_consent_given (consent asked for and given),
 * no_special_category_with_capacity (with special_category, the person must be unable to consent),
 * confirm_outside_public_task_for_roles (role must confirm outside_public_task) and detail_prompt (basis_detail
 * required; the prompt is the message). NULL when met or when art6 is not a basis; otherwise a sentence and *field
 * names the input at fault. */
const char *lawful_bases_check_evidence(const json_t *doc, const char *role, const char *art6, bool special_category,
                                        const struct basis_evidence *ev, const char **field);

#endif
