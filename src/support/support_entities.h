/* support/support_entities: the decision-support records as field tables for record.h (validation, forms, SQL).
 * The parts a field table cannot hold (the features ticked on a concern, the ratings of an assessment, the answers of a
 * capacity review) are checked and written by the commands in src/support. */
#ifndef SG_SUPPORT_ENTITIES_H
#define SG_SUPPORT_ENTITIES_H
#include "domain/record.h"

extern const struct entity support_entities_concern;
extern const struct entity support_entities_factor;
extern const struct entity support_entities_assessment;
extern const struct entity support_entities_review;
extern const struct entity support_entities_agreement;
extern const struct entity support_entities_intervention;

#endif
