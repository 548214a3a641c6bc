/* clock/rules: the statutory clock rules, loaded from rules/clocks/ into an immutable set.
 *
 * A rule is one timescale row of the procedures (T-xx), read from JSON with its citation; C never hard-codes a limit.
 * Every rule has at least one variant: a rule written without "variants" gets one implicit variant coded "default"
 * built from its own limit, unit and start event. Variants of one rule are competing limits for the same milestone
 * (strategy discussion categories, the two decision-letter limits, ICPC/RCPC report limits); the deadline module
 * computes those that apply and takes the earliest. The schema is described in docs/internals/clock.md.
 *
 * Loading checks everything it can (unknown fields, duplicate ids, missing citations, unknown units, kinds and event
 * codes, negative or out-of-range limits, bad references) and fails with a message naming the file, the entry and
 * the problem, so a bad edit stops the server at start-up rather than at the first deadline.
 *
 * Ownership: the set owns every rule, variant and string it hands out; they live until clock_rules_free(). After
 * load the set is read-only, so concurrent readers need no locking. */
#ifndef SG_CLOCK_RULES_H
#define SG_CLOCK_RULES_H
#include <stdbool.h>
#include <stddef.h>

#include "core/buf.h"

#define CLOCK_MAX_EVENTS 4   /* alternative start or stop events of one rule or variant */
#define CLOCK_MAX_VARIANTS 8 /* variants of one rule */
#define CLOCK_MAX_ROLES 4    /* roles named in an extension */

enum clock_kind {
	CLOCK_FORWARD,   /* due N units after the start event */
	CLOCK_BACKWARD,  /* due N units before a scheduled event (a conference); moves when the event moves */
	CLOCK_RECURRING, /* due N units after the last actual occurrence; each stop event restarts it */
	CLOCK_GESTATION, /* dated from the expected delivery date (EDD) */
};

enum clock_unit {
	CLOCK_WD,       /* working days: end of the Nth working day after day 0 */
	CLOCK_H,        /* elapsed hours from the start moment */
	CLOCK_CD,       /* calendar days */
	CLOCK_W,        /* calendar weeks */
	CLOCK_M,        /* calendar months, clamped to the month's end */
	CLOCK_SAME_DAY, /* end of day 0 (limit 0) */
	CLOCK_GEST,     /* N weeks of gestation = EDD - (40 - N) weeks */
	CLOCK_EDD_W,    /* N weeks before the EDD */
};

/* How a start is chosen when a variant lists more than one start event. */
enum clock_start_pick {
	CLOCK_PICK_EARLIEST,      /* the earliest recorded */
	CLOCK_PICK_LATEST,        /* the latest recorded (A6-10) */
	CLOCK_PICK_FIRST_PRESENT, /* the first listed that is recorded (A6-04) */
};

struct clock_extension {
	bool allowed;
	const char *authorised_by_roles[CLOCK_MAX_ROLES];
	int n_authorised_by_roles;
	const char *reason_by_roles[CLOCK_MAX_ROLES];
	int n_reason_by_roles;
	bool needs_reason;
	bool needs_written_authorisation;
	bool needs_new_due_date;
	const char *citation; /* NULL when not allowed */
	const char *notes;
};

struct clock_variant {
	const char *code;     /* unique within the rule; "default" for the implicit one */
	const char *id;       /* the timescale row it encodes (e.g. "T-34"), or NULL */
	const char *title;    /* NULL for the implicit variant */
	const char *start_events[CLOCK_MAX_EVENTS];
	int n_start_events;
	enum clock_start_pick start_pick;
	enum clock_unit unit;
	int limit;
	bool has_opens;
	int opens_at; /* GEST only: the week the target window opens */
	int start_offset_days;
	const char *citation;
	const char *responsible_role;
	bool advisory; /* computed and shown, but a miss is a warning and it never drives the due date */
	bool enabled;
	const char *notes;
	const char *file; /* the file that defined it (variants may be added from another chapter's file) */
};

struct clock_rule {
	const char *id;
	const char *title;
	const char *milestone; /* NULL when the rule stands alone */
	/* A condition code: the clock starts only when the recording event says the condition holds (a paediatric
	 * assessment the same day is needed only for some kinds of harm). NULL: it always applies. */
	const char *applies_when;
	enum clock_kind kind;
	const char *stop_events[CLOCK_MAX_EVENTS]; /* any one satisfies it; for recurring rules each also restarts it */
	int n_stop_events;
	struct clock_variant variants[CLOCK_MAX_VARIANTS]; /* variants[0] is the default */
	int n_variants;
	bool has_max_limit;
	int max_limit;
	struct clock_extension extension;
	const char *responsible_role;
	const char *citation;
	const char *urgency; /* "immediately" / "as_soon_as_possible": raise an alert at once as well; or NULL */
	bool enabled;        /* false: a local option the authority has not switched on */
	const char *notes;
	const char *file;
};

struct clock_event {
	const char *code;
	const char *description;
};

struct clock_rules;

/* Load rules_dir/clocks/events.json and then every other .json file in rules_dir/clocks, in name order.
 * On failure returns -1, sets *out to NULL and appends "FILE: ENTRY: PROBLEM" to err. */
int clock_rules_load(struct clock_rules **out, const char *rules_dir, struct buf *err);
void clock_rules_free(struct clock_rules *set);

size_t clock_rules_count(const struct clock_rules *set);
const struct clock_rule *clock_rules_at(const struct clock_rules *set, size_t i); /* in load order */

/* Find by rule id ("T-33"), variant id ("T-34") or alias ("T7-08"). *variant is the variant the id names, or the
 * rule's default variant. Returns -1 when nothing matches. Either output may be NULL. */
int clock_rules_find(const struct clock_rules *set, const char *id, const struct clock_rule **rule,
		     const struct clock_variant **variant);
const struct clock_variant *clock_rules_variant(const struct clock_rule *rule, const char *code);

/* Rules a recorded event starts (or, for recurring rules, restarts): writes up to max and returns the total. */
size_t clock_rules_by_start_event(const struct clock_rules *set, const char *event, const struct clock_rule **out,
				  size_t max);

size_t clock_rules_event_count(const struct clock_rules *set);
const struct clock_event *clock_rules_event_at(const struct clock_rules *set, size_t i);
bool clock_rules_event_known(const struct clock_rules *set, const char *code);

const char *clock_rules_kind_name(enum clock_kind kind);
const char *clock_rules_unit_name(enum clock_unit unit);

#endif
