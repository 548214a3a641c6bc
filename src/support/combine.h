/* support/combine: the vulnerability-factor combination rules (issue 6, part 2), a pure function of the catalogue
 * and the factors currently recorded for a child.
 *
 * A rule names either a set of concepts (the research messages' co-existing parental problems) or a source whose
 * factors all count (Staffordshire's risk factors for neglect; NG76's vulnerability factors). It fires when the
 * current factors it covers span at least min_distinct different concepts: several sources name the same
 * circumstance, and a circumstance counts once however many factors record it. A rule never scores anything; it
 * raises a prompt citing its paragraph. */
#ifndef SG_SUPPORT_COMBINE_H
#define SG_SUPPORT_COMBINE_H
#include <jansson.h>

#include "support/catalogue.h"

/* factors: an array of recorded factors {"id": record id, "factor_id": catalogue id, ...}, current ones only.
 * Returns a new array with one item per rule that fires, in catalogue order:
 * {"rule": id, "concepts": [distinct concepts matched], "records": [record ids], "factors": [catalogue ids]}. */
json_t *support_combinations(const struct support_catalogue *cat, const json_t *factors);

#endif
