/* record: entities described as tables of fields, and the generic code that validates input against them and
 * reads and writes their rows. One description serves the JSON API, the HTML forms, validation messages and SQL,
 * so a field is declared once.
 *
 * SQL is assembled only from the identifiers in these compiled tables (never from input); every value is bound.
 * Input is a JSON object (the API's body, or a form converted by record_from_form). */
#ifndef SG_RECORD_H
#define SG_RECORD_H
#include <jansson.h>
#include <stdbool.h>

#include "core/id.h"
#include "http/http.h"
#include "store/store.h"

enum field_type {
	FIELD_TEXT,   /* single line */
	FIELD_LONG,   /* multi-line text */
	FIELD_DATE,   /* ISO date; forms send name-day, name-month, name-year */
	FIELD_MOMENT, /* ISO date-time (Europe/London unless an offset is given) */
	FIELD_BOOL,
	FIELD_INT,
	FIELD_ENUM,   /* one of choices (codes) */
	FIELD_REF,    /* an id of another record (table in ref_table) */
};

/* What a form says under a date-and-time field that has no hint of its own (forms send name-day, name-month,
 * name-year and name-time). */
#define FIELD_MOMENT_HINT "Day, month, year and time, for example 27 3 2026 and 14:30"

enum field_flags {
	FIELD_REQUIRED = 1,
	FIELD_READONLY = 2,   /* set by the system, never by input */
	FIELD_RESTRICTED = 4, /* hidden unless the policy grants restricted access (e.g. a refuge address) */
	FIELD_CREATE_ONLY = 8 /* may be given on create, not changed later */
};

struct field_choice {
	const char *code;
	const char *label;
};

struct field {
	const char *name; /* column and JSON key */
	enum field_type type;
	unsigned flags;
	const char *label;     /* for forms and error messages */
	size_t max;            /* for text: max bytes (0 = 200 single line, 10000 long) */
	const char *enum_name; /* for FIELD_ENUM: the list in rules/enums.json (see enums.h) */
	const char *ref_table; /* for FIELD_REF */
	const char *hint;
};

struct entity {
	const char *name;      /* "child": used in messages and audit object_type */
	const char *table;
	const char *id_prefix; /* "chd" */
	const struct field *fields; /* terminated by {NULL} */
	bool has_updated;      /* has updated_at / updated_by columns */
	const char *parent_col; /* column linking to a parent record (e.g. "child_id"), or NULL */
	/* Run after every insert or update of a row, in the same transaction, with the row's id: keeps derived
	 * tables (the search index) in step. NULL for none. Its store code is record_insert's/record_update's. */
	int (*after_write)(struct store *st, const char *id);
};

const struct field *record_field(const struct entity *e, const char *name);
const char *record_choice_label(const struct field *f, const char *code);

/* Validates input against e. Unknown keys, wrong types, bad dates, unknown choices, over-long text and missing
 * required fields (when !partial) each append {"field", "message"} to errors. Returns the number of errors. */
int record_validate(struct store *st, const struct entity *e, json_t *input, bool partial, json_t *errors);

/* Inserts a validated input plus the extra columns given (e.g. the parent id), stamping created_* and updated_*.
 * id_out receives the new id. Returns STORE_OK or a negative store code. Must run inside a transaction. */
int record_insert(struct store *st, const struct entity *e, json_t *input, const struct http_kv *extra, int nextra,
                  const char *user_id, char id_out[ID_MAX]);
/* Updates the keys present in a validated partial input. Returns STORE_OK, STORE_DONE when no row matched. */
int record_update(struct store *st, const struct entity *e, const char *id, json_t *input, const char *user_id);

/* Reads one row as a JSON object with every column (restricted columns included: the caller redacts).
 * NULL when there is no such row. */
json_t *record_get(struct store *st, const struct entity *e, const char *id);
/* Rows whose `col` equals value, ordered by order_by (a column name from the table, optional "DESC"). */
json_t *record_list(struct store *st, const struct entity *e, const char *col, const char *value,
                    const char *order_by, int limit);
/* Removes restricted fields from obj (replacing them with "restricted": [names]) unless show_restricted. */
void record_redact(const struct entity *e, json_t *obj, bool show_restricted);

/* Converts an HTML form into the JSON input record_validate expects: dates from -day/-month/-year parts, booleans
 * from "yes"/"no", empty strings dropped (so they count as absent). Only fields of e are taken; form keys that are
 * not fields (csrf, submit buttons) are ignored. An unparseable date part yields a string the validator rejects. */
json_t *record_from_form(const struct entity *e, const struct http_request *req);

#endif
