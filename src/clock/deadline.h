/* clock/deadline: when a statutory clock falls due. Pure arithmetic over a rule, its start and a calendar: no I/O,
 * no clock reads, no allocation except into the caller's buffers, so the same inputs always give the same answer
 * and any thread may call it.
 *
 * Conventions (docs/internals/clock.md has the reasons):
 * - Day 0 is the London date of the start moment (plus the rule's start_offset_days, if any).
 * - WD: due at the end (23:59:59 London) of the Nth working day after day 0 (spec A1-5 2.1 note 1).
 * - H: due N elapsed hours after the start moment, whatever the day.
 * - CD / W / M: due at the end of day 0 + N days / weeks / months (months clamp to the month's last day).
 * - SAME_DAY: due at the end of day 0.
 * - Backward rules: day 0 is the scheduled meeting date; due at the end of the Nth working (or calendar) day
 *   before it, counting back from the day before, so the meeting's own day never counts.
 * - GEST N: the EDD minus (40 - N) weeks; EDD_W N: the EDD minus N weeks; both due at the end of that day.
 * - Recurring rules: due N units after the last actual occurrence (the latest start or stop event recorded).
 *
 * Errors return -1 and append one sentence to err. Borrowed pointers in the results point into the rule set. */
#ifndef SG_CLOCK_DEADLINE_H
#define SG_CLOCK_DEADLINE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "calendar/calendar.h"
#include "clock/rules.h"
#include "core/buf.h"

/* One recorded event: its code and when it happened (for conference_scheduled: the date fixed for the meeting). */
struct clock_start {
	const char *event;
	int64_t at;
};

struct clock_due {
	const struct clock_rule *rule;
	const struct clock_variant *variant;
	const char *start_event; /* the event that started the clock; NULL when given a bare start */
	int64_t start;           /* the moment counted from (the meeting for backward rules, the EDD for gestation) */
	int32_t event_day;       /* London date of start */
	int32_t day0;            /* event_day + start_offset_days */
	int64_t due;             /* the moment it must be done by */
	int32_t due_day;         /* London date of due */
	bool has_opens;
	int32_t opens_day; /* GEST windows: the earliest target date */
};

struct clock_resolution {
	struct clock_due candidates[CLOCK_MAX_VARIANTS];
	int n_candidates;
	int driving; /* index of the candidate that sets the due date: the earliest binding one */
};

enum clock_outcome {
	CLOCK_MET,
	CLOCK_LATE,
};

/* One variant from a bare start moment (or, for _on, a start date taken as London midnight). */
int clock_deadline_due(const struct clock_rule *rule, const struct clock_variant *variant, int64_t start,
		       const struct calendar *cal, struct clock_due *out, struct buf *err);
int clock_deadline_due_on(const struct clock_rule *rule, const struct clock_variant *variant, int32_t start_day,
			  const struct calendar *cal, struct clock_due *out, struct buf *err);

/* Every variant that applies, each from its own start event, and which one drives.
 * codes: the variant codes that apply to this case (for T-33, the recorded categories); NULL means every enabled
 * variant whose start event is among starts. A listed variant that is switched off is skipped; a listed variant
 * whose start event is missing is an error. The driving candidate is the earliest one that is not advisory (or the
 * earliest advisory one when all are); ties go to the variant listed first in the rule. */
int clock_deadline_resolve(const struct clock_rule *rule, const char *const *codes, size_t n_codes,
			   const struct clock_start *starts, size_t n_starts, const struct calendar *cal,
			   struct clock_resolution *out, struct buf *err);

/* Whether a stop event at stop_at met the deadline. A stop before the start of a forward or recurring clock is an
 * error (a backward clock's stop normally comes before its meeting). */
int clock_deadline_check(const struct clock_due *due, int64_t stop_at, enum clock_outcome *out, struct buf *err);

/* One line saying how the date was reached, listing each working day counted and each day skipped with its reason,
 * so that anyone can check it by hand. */
int clock_deadline_explain(const struct clock_due *due, const struct calendar *cal, struct buf *out);

#endif
