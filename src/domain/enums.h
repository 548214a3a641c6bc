/* enums: the enumerations that records use (agency types, relationship types, document types, ...), loaded from
 * rules/enums.json at start-up so an authority changes a list by editing data. Each list carries the paragraph it
 * comes from. Loaded once before the server starts its threads; read-only afterwards. */
#ifndef SG_ENUMS_H
#define SG_ENUMS_H
#include <jansson.h>

#include "core/buf.h"

/* Loads path. A list or value with an unknown field, a duplicate code or a missing citation is an error naming
 * the file, the entry and the problem. Replaces anything loaded before. */
int enums_load(const char *path, struct buf *err);
/* Loads rules_dir/enums.json, then every .json file in rules_dir/enums.d in name order, each adding lists of its own (a
 * list defined twice is an error naming both files). Replaces anything loaded before. */
int enums_load_dir(const char *rules_dir, struct buf *err);
void enums_free(void);
/* The label of code in list, or NULL when the list or the code is unknown. */
const char *enums_label(const char *list, const char *code);
/* The list as a JSON array of {"code","label"} (a new reference), or NULL. */
json_t *enums_list(const char *list);
/* Every list: {"name": {"citation":..., "values": [...]}} (a new reference). */
json_t *enums_all(void);

#endif
