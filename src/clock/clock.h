/* clock: statutory clocks on cases. A pathway command records an event (referral received, strategy discussion
 * held, conference scheduled, visit made, ...) with clock_record_event() inside its own transaction; the engine
 * stores the event, starts the clocks whose rules that event starts, stops (met or met late) the running clocks it
 * satisfies, restarts recurring ones from the actual occurrence, and moves backward clocks when their meeting
 * moves. Every change is written to clock_history. Nothing is recomputed behind the user's back: a clock's due
 * moment changes only through an event, an extension the rule allows, or a rescheduled meeting.
 *
 * States: running (not yet done), met, met_late, stopped (no longer applies, with a reason). "Overdue" is a
 * running clock past its due moment; a breach reason may be recorded on it (or on a met_late clock).
 * Strings are borrowed; JSON results are new references. */
#ifndef SG_CLOCK_H
#define SG_CLOCK_H
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "calendar/calendar.h"
#include "clock/rules.h"
#include "core/buf.h"
#include "store/store.h"

struct clock_engine {
	const struct clock_rules *rules;
	const struct calendar *cal;
};

struct clock_event_record {
	const char *case_id;
	const char *child_id;
	const char *event;       /* an event code from rules/clocks/events.json */
	int64_t at;              /* when it happened (for conference_scheduled: the meeting's date and time) */
	const char *subject_id;  /* the record it concerns (a conference, a plan...), so backward clocks follow it */
	/* Variant codes that apply, or NULL. Where an event starts several competing variants of one rule, the
	 * clock starts only once the pathway names them: the strategy category for T-33 ({"routine"}, {"serious"},
	 * {"forensic"}, {"complex"}; emergency_action_taken alone starts "post_emergency"), {"icpc"} or {"rcpc"}
	 * for the conference report clocks T-54..T-56, {"*"} for every variant the event starts (T-66's two
	 * letters after conference_held). A rule with one variant per event needs nothing named. */
	const char *const *variants;
	int n_variants;
	/* Conditions that hold for this event (rules/clocks "applies_when" codes, e.g. "paediatric_same_day"). A
	 * rule with a condition starts only when its condition is listed here. */
	const char *const *conditions;
	int n_conditions;
	const char *responsible_user_id; /* who owns the clocks it starts; NULL = the case's allocated worker */
	const char *actor_user_id;
};

/* Inside the caller's write transaction. Returns 0, or -1 with a message in err (unknown event code, a stop
 * event dated before the clock's start, a database error). *started / *stopped (may be NULL) count the clocks. */
int clock_record_event(struct store *st, const struct clock_engine *eng, const struct clock_event_record *ev,
                       int *started, int *stopped, struct buf *err);

/* Extends a running clock to new_due where its rule allows extension and one of the actor's spec roles
 * (comma-separated codes of spec 3.22, from policy_spec_roles()) may authorise it; needs a reason.
 * Returns 0, or -1 with err saying why not. */
int clock_extend(struct store *st, const struct clock_engine *eng, const char *clock_id, int64_t new_due,
                 const char *reason, const char *actor_user_id, const char *actor_spec_roles, struct buf *err);
/* Records why a clock was missed (an overdue running clock or a met_late one). */
int clock_record_breach_reason(struct store *st, const char *clock_id, const char *reason, const char *actor_user_id,
                               struct buf *err);
/* Stops a running clock that no longer applies (the child moved away, the enquiry ended...). */
int clock_stop(struct store *st, const char *clock_id, const char *reason, const char *actor_user_id, struct buf *err);

/* Which clocks a view lists. */
enum clock_scope { CLOCK_SCOPE_USER, CLOCK_SCOPE_TEAM, CLOCK_SCOPE_ALL, CLOCK_SCOPE_CHILD };
enum clock_window {
	CLOCK_DUE_TODAY,      /* running, due today (London) */
	CLOCK_DUE_WITHIN,     /* running, due within the next N working days (not overdue) */
	CLOCK_OVERDUE,        /* running and past due */
	CLOCK_BREACHED_MONTH, /* met late, or overdue, with the due date in the current calendar month */
	CLOCK_OPEN,           /* every running clock */
	CLOCK_ANY,            /* everything, history included */
};

struct clock_query {
	enum clock_scope scope;
	const char *scope_id; /* user id, team id or child id */
	enum clock_window window;
	int working_days;     /* for CLOCK_DUE_WITHIN */
	int64_t now;
	int limit;            /* 0 = 500 */
};

/* Rows: {id, rule_id, title, citation, child_id, child_name, case_id, state, status (state, or "breached" for a
 * running clock past due), due_at, due_day, started_at,
 * start_event, met_at, responsible_user_id, responsible_name, overdue, breach_reason, extended, progress} with
 * progress the elapsed share of the clock (0..1+) for the progress bar. */
json_t *clock_list(struct store *st, const struct clock_engine *eng, const struct clock_query *q);
/* One clock with its history and the hand-checkable explanation of its due date. NULL if there is none. */
json_t *clock_get(struct store *st, const struct clock_engine *eng, const char *clock_id);

#endif
