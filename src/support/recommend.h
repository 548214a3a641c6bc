/* support/recommend: which NG76 interventions fit a child's situation (issue 6, part 5), read from the
 * interventions catalogue. A pure function of the catalogue and the situation, so it is tested as a table.
 *
 * An intervention fits when its stage matches (no abuse named = a family at risk, so early help; a named abuse type
 * = after abuse, and the entry must list that type), the current carers are among those it is for, and the child's
 * age lies within its inclusive limits (an unborn child fits only entries that start in pregnancy or set no age at
 * all). What the situation cannot settle is not guessed: an entry that needs something not recorded (a symptom, a
 * carer's circumstance, or a girl when the child's sex is not known) is listed as "conditional" with the missing
 * condition spelt out. An entry whose excluded need is present, or that is for girls when the child is known not to
 * be one, is left out. Where one intervention appears for several carers ("group"), the strongest fitting entry
 * is kept (offer before consider). Research examples are listed apart, as background.
 *
 * The result is a new JSON object {"fits": [...], "conditional": [...], "background": [...]}; each item carries
 * the entry's id, name, strength, citation, eligibility, intensity, duration, setting, attends, examples, aims,
 * note, alternatives and "conditions" (what must also be true; empty for a plain fit). Order: strength
 * (should_include, offer, consider), then catalogue order. */
#ifndef SG_SUPPORT_RECOMMEND_H
#define SG_SUPPORT_RECOMMEND_H
#include <jansson.h>
#include <stddef.h>

#include "support/catalogue.h"

#define SUPPORT_UNBORN (-1)

struct support_situation {
	int age;                 /* whole years, 0-17, or SUPPORT_UNBORN */
	const char *abuse_type;  /* a support_abuse_type code other than "general"; NULL = a family at risk */
	const char *carer;       /* a support_carer code; NULL = birth_parents */
	const char *child_sex;   /* a gender code; NULL, "not_known" or "other" = not known for this purpose */
	const char *const *needs; /* support_need codes that are present */
	size_t nneeds;
};

json_t *support_recommend(const struct support_catalogue *cat, const struct support_situation *sit);

#endif
