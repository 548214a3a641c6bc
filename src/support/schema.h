/* support/schema: the shape of each decision-support catalogue, as tables the loader checks files against.
 * Internal to src/support (catalogue.c is the only user). */
#ifndef SG_SUPPORT_SCHEMA_H
#define SG_SUPPORT_SCHEMA_H
#include <stdbool.h>

enum schema_kind {
	SCHEMA_ID,         /* a string id, registered in the catalogue-wide index (must be unique) */
	SCHEMA_TEXT,       /* a non-empty string */
	SCHEMA_INT,        /* a whole number >= 0 */
	SCHEMA_BOOL,
	SCHEMA_ENUM,       /* a code from the enumeration list named in arg */
	SCHEMA_ENUM_LIST,  /* an array of such codes, no repeats */
	SCHEMA_TEXT_LIST,  /* an array of non-empty strings */
	SCHEMA_REF,        /* an id defined in any catalogue; arg (if set) names the "catalogue.section" it must be in */
	SCHEMA_REF_LIST,   /* an array of such ids */
	SCHEMA_OBJ_LIST,   /* an array of objects, each checked against sub */
	SCHEMA_EVENT,      /* a clock event code (rules/clocks/events.json) */
};

struct schema_field {
	const char *name;
	enum schema_kind kind;
	bool required;
	const char *arg;
	const struct schema_field *sub; /* for SCHEMA_OBJ_LIST; terminated by {NULL} */
};

struct schema_section {
	const char *name;
	const struct schema_field *fields; /* terminated by {NULL}; entries always need "id" and "citation" */
};

struct schema_catalogue {
	const char *name;
	const struct schema_section *sections; /* terminated by {NULL} */
};

/* The five catalogues, terminated by {NULL}. */
extern const struct schema_catalogue support_schema_catalogues[];

#endif
