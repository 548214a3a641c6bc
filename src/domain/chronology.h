/* chronology: appends entries to a child's chronology as events happen (spec 4.21; usability U5). Pathway
 * commands call chronology_append() inside their transaction, so the entry exists exactly when the event does. */
#ifndef SG_CHRONOLOGY_H
#define SG_CHRONOLOGY_H
#include <jansson.h>
#include <stdbool.h>

#include "core/id.h"
#include "store/store.h"

struct chronology_event {
	const char *child_id;
	const char *case_id;     /* may be NULL */
	const char *event_date;  /* ISO moment or date; NULL = now */
	const char *event_type;  /* rules/enums.json chronology_event_type */
	const char *summary;     /* short, factual */
	const char *significance; /* routine | significant | critical; NULL = routine */
	const char *source_type; /* the record that produced it ("referral", "child", ...) */
	const char *source_id;
	const char *agency_id;   /* may be NULL */
	const char *restriction; /* rules/enums.d chronology_restriction; NULL = none (may be shared) */
};

/* Returns STORE_OK or a negative store code; id_out (may be NULL) receives the entry id. */
int chronology_append(struct store *st, const struct chronology_event *ev, const char *user_id, char *id_out);

/* A child's chronology, newest first, filtered (each filter may be NULL): from and to are inclusive ISO dates.
 * Entries whose restriction is "restricted" are left out unless show_restricted (the policy's child.restricted
 * for the reader, which break glass can grant). Items: {id, event_date, event_type, summary, significance,
 * source_type, source_id, agency_id, entered_by, entered_at, case_id, restriction}. NULL on a database error. */
json_t *chronology_query(struct store *st, const char *child_id, const char *from, const char *to, const char *type,
                         const char *significance, int limit, bool show_restricted);
/* How many entries the child's chronology holds (restricted ones only when show_restricted). */
int64_t chronology_count(struct store *st, const char *child_id, bool show_restricted);

#endif
