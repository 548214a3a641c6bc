/* entities: the shared records (spec procedures-A1-5 section 4) described as field tables for record.h. */
#ifndef SG_ENTITIES_H
#define SG_ENTITIES_H
#include "domain/record.h"

extern const struct entity entity_child;
extern const struct entity entity_person;
extern const struct entity entity_relationship;
extern const struct entity entity_household;
extern const struct entity entity_agency;
extern const struct entity entity_professional;
extern const struct entity entity_case;
extern const struct entity entity_chronology;
extern const struct entity entity_document;

#endif
