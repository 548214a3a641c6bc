/* Deadline arithmetic for the clock rules. The conventions are in deadline.h and docs/internals/clock.md. */
#include "clock/deadline.h"

#include <string.h>

#include "core/date.h"

#define TERM_WEEKS 40 /* gestation is dated back from the EDD on a 40-week term */

static int64_t end_of_day(int32_t day)
{
	return moment_from_local(day, 23, 59, 59);
}

static int out_of_range(struct buf *err, const struct clock_rule *rule, const char *what, int32_t day)
{
	char d[DATE_ISO_LEN];
	date_format(day, d);
	buf_addf(err, "%s: %s %s is outside the calendar's range (", rule->id, what, d);
	date_format(calendar_first_day(), d);
	buf_addf(err, "%s to ", d);
	date_format(calendar_last_day(), d);
	buf_addf(err, "%s)", d);
	return -1;
}

static int range_error(struct buf *err, const struct clock_rule *rule, const struct clock_variant *v)
{
	buf_addf(err, "%s: the due date for %s %d %s falls outside the calendar's range", rule->id, v->code, v->limit,
		 clock_rules_unit_name(v->unit));
	return -1;
}

/* The Nth working day before day0, counting back from the day before it. */
static int working_days_before(const struct calendar *cal, int32_t day0, int n, int32_t *out)
{
	int32_t d = day0;
	for (int k = 0; k < n;) {
		d--;
		if (!calendar_in_range(d))
			return -1;
		if (calendar_is_working_day(cal, d))
			k++;
	}
	*out = d;
	return 0;
}

static int due_day_for(const struct clock_rule *rule, const struct clock_variant *v, const struct calendar *cal,
		       int32_t day0, int32_t *due_day)
{
	int n = v->limit;
	bool back = rule->kind == CLOCK_BACKWARD;
	switch (v->unit) {
	case CLOCK_WD:
		return back ? working_days_before(cal, day0, n, due_day) : calendar_add_working_days(cal, day0, n, due_day);
	case CLOCK_CD:
		return calendar_add_days(day0, back ? -n : n, due_day);
	case CLOCK_W:
		return calendar_add_weeks(day0, n, due_day);
	case CLOCK_M:
		return calendar_add_months(day0, n, due_day);
	case CLOCK_SAME_DAY:
		*due_day = day0;
		return 0;
	case CLOCK_GEST:
		return calendar_add_weeks(day0, -(TERM_WEEKS - n), due_day);
	case CLOCK_EDD_W:
		return calendar_add_weeks(day0, -n, due_day);
	case CLOCK_H:
		break;
	}
	return -1;
}

int clock_deadline_due(const struct clock_rule *rule, const struct clock_variant *v, int64_t start,
		       const struct calendar *cal, struct clock_due *out, struct buf *err)
{
	struct clock_due d;
	int h, m, s;
	memset(&d, 0, sizeof(d));
	d.rule = rule;
	d.variant = v;
	d.start = start;
	moment_to_local(start, &d.event_day, &h, &m, &s);
	if (!calendar_in_range(d.event_day))
		return out_of_range(err, rule, "start date", d.event_day);
	if (calendar_add_days(d.event_day, v->start_offset_days, &d.day0) < 0)
		return out_of_range(err, rule, "start date", d.event_day);

	if (v->unit == CLOCK_H) {
		int32_t day;
		if (calendar_add_hours(start, v->limit, &d.due) < 0)
			return range_error(err, rule, v);
		moment_to_local(d.due, &day, &h, &m, &s);
		d.due_day = day;
	} else {
		if (due_day_for(rule, v, cal, d.day0, &d.due_day) < 0)
			return range_error(err, rule, v);
		d.due = end_of_day(d.due_day);
	}
	if (v->has_opens) {
		if (calendar_add_weeks(d.day0, -(TERM_WEEKS - v->opens_at), &d.opens_day) < 0)
			return range_error(err, rule, v);
		d.has_opens = true;
	}
	*out = d;
	return 0;
}

int clock_deadline_due_on(const struct clock_rule *rule, const struct clock_variant *variant, int32_t start_day,
			  const struct calendar *cal, struct clock_due *out, struct buf *err)
{
	if (!calendar_in_range(start_day))
		return out_of_range(err, rule, "start date", start_day);
	return clock_deadline_due(rule, variant, moment_from_local(start_day, 0, 0, 0), cal, out, err);
}

static void list_events(struct buf *err, const char *const *events, int n)
{
	for (int i = 0; i < n; i++)
		buf_addf(err, "%s%s", i ? ", " : "", events[i]);
}

/* The moment of one event code among starts; more than one is an error except for a recurring rule, where the
 * latest occurrence is the one that counts. Returns 1 found, 0 absent, -1 error. */
static int event_moment(const struct clock_rule *rule, const char *code, const struct clock_start *starts,
			size_t n_starts, int64_t *at, struct buf *err)
{
	int found = 0;
	for (size_t i = 0; i < n_starts; i++) {
		if (!starts[i].event || strcmp(starts[i].event, code) != 0)
			continue;
		if (found && rule->kind != CLOCK_RECURRING) {
			buf_addf(err, "%s: event %s was given more than once", rule->id, code);
			return -1;
		}
		if (!found || starts[i].at > *at)
			*at = starts[i].at;
		found = 1;
	}
	return found;
}

/* Which recorded event starts this variant's clock. Returns 1 found, 0 none, -1 error. */
static int pick_start(const struct clock_rule *rule, const struct clock_variant *v, const struct clock_start *starts,
		      size_t n_starts, const char **event, int64_t *at, struct buf *err)
{
	const char *cands[2 * CLOCK_MAX_EVENTS];
	int n = 0, found = 0;
	enum clock_start_pick pick = v->start_pick;
	for (int i = 0; i < v->n_start_events; i++)
		cands[n++] = v->start_events[i];
	if (rule->kind == CLOCK_RECURRING) {
		/* Each occurrence restarts the interval, so count from the last one of any of them. */
		for (int i = 0; i < rule->n_stop_events; i++)
			cands[n++] = rule->stop_events[i];
		pick = CLOCK_PICK_LATEST;
	}
	for (int i = 0; i < n; i++) {
		int64_t t = 0;
		int rc = event_moment(rule, cands[i], starts, n_starts, &t, err);
		if (rc < 0)
			return -1;
		if (rc == 0)
			continue;
		bool take = !found || (pick == CLOCK_PICK_EARLIEST && t < *at) || (pick == CLOCK_PICK_LATEST && t > *at);
		if (take) {
			*at = t;
			*event = cands[i];
		}
		found = 1;
		if (pick == CLOCK_PICK_FIRST_PRESENT)
			break;
	}
	return found;
}

static bool earlier(const struct clock_due *a, const struct clock_due *b)
{
	return a->due < b->due;
}

static int add_candidate(const struct clock_rule *rule, const struct clock_variant *v, bool required,
			 const struct clock_start *starts, size_t n_starts, const struct calendar *cal,
			 struct clock_resolution *out, struct buf *err)
{
	const char *event = NULL;
	int64_t at = 0;
	int rc = pick_start(rule, v, starts, n_starts, &event, &at, err);
	if (rc < 0)
		return -1;
	if (rc == 0) {
		if (!required)
			return 0;
		buf_addf(err, "%s: variant %s needs one of these events: ", rule->id, v->code);
		list_events(err, v->start_events, v->n_start_events);
		return -1;
	}
	struct clock_due *d = &out->candidates[out->n_candidates];
	if (clock_deadline_due(rule, v, at, cal, d, err) < 0)
		return -1;
	d->start_event = event;
	out->n_candidates++;
	return 0;
}

int clock_deadline_resolve(const struct clock_rule *rule, const char *const *codes, size_t n_codes,
			   const struct clock_start *starts, size_t n_starts, const struct calendar *cal,
			   struct clock_resolution *out, struct buf *err)
{
	memset(out, 0, sizeof(*out));
	if (!rule->enabled) {
		buf_addf(err, "%s: this rule is a local option that is switched off in the rules", rule->id);
		return -1;
	}
	if (codes) {
		for (size_t i = 0; i < n_codes; i++) {
			const struct clock_variant *v = clock_rules_variant(rule, codes[i]);
			if (!v) {
				buf_addf(err, "%s has no variant \"%s\"; its variants are: ", rule->id, codes[i]);
				for (int j = 0; j < rule->n_variants; j++)
					buf_addf(err, "%s%s", j ? ", " : "", rule->variants[j].code);
				return -1;
			}
			bool seen = false;
			for (int j = 0; j < out->n_candidates; j++)
				seen |= out->candidates[j].variant == v;
			if (!v->enabled || seen)
				continue;
			if (add_candidate(rule, v, true, starts, n_starts, cal, out, err) < 0)
				return -1;
		}
	} else {
		for (int i = 0; i < rule->n_variants; i++)
			if (rule->variants[i].enabled &&
			    add_candidate(rule, &rule->variants[i], false, starts, n_starts, cal, out, err) < 0)
				return -1;
	}
	if (out->n_candidates == 0) {
		buf_addf(err, "%s: nothing to compute: no enabled variant applies with the events given", rule->id);
		return -1;
	}
	int best = -1;
	for (int pass = 0; pass < 2 && best < 0; pass++)
		for (int i = 0; i < out->n_candidates; i++) {
			/* First pass: binding variants only; advisory ones drive only when nothing else applies. */
			if (pass == 0 && out->candidates[i].variant->advisory)
				continue;
			if (best < 0 || earlier(&out->candidates[i], &out->candidates[best]))
				best = i;
		}
	out->driving = best;
	return 0;
}

int clock_deadline_check(const struct clock_due *due, int64_t stop_at, enum clock_outcome *out, struct buf *err)
{
	enum clock_kind kind = due->rule->kind;
	if ((kind == CLOCK_FORWARD || kind == CLOCK_RECURRING) && stop_at < due->start) {
		char a[MOMENT_ISO_LEN], b[MOMENT_ISO_LEN];
		moment_format(stop_at, a);
		moment_format(due->start, b);
		buf_addf(err, "%s: the stop event (%s) is before the clock started (%s)", due->rule->id, a, b);
		return -1;
	}
	*out = stop_at <= due->due ? CLOCK_MET : CLOCK_LATE;
	return 0;
}

static void add_day(struct buf *out, int32_t day)
{
	char d[DATE_ISO_LEN];
	date_format(day, d);
	buf_adds(out, d);
}

static const char *plural(int n)
{
	return n == 1 ? "" : "s";
}

/* Lists the working days from `from` to `to` in steps of `step` (+1 or -1), then the bank holidays and closure days
 * skipped on the way; weekends are left out of that second list because they are obvious from the dates. */
static void list_days(struct buf *out, const struct calendar *cal, int32_t from, int32_t to, int step)
{
	static const char *const why[] = {"", "weekend", "bank holiday", "local closure"};
	int n = 0;
	for (int32_t d = from; step > 0 ? d <= to : d >= to; d += step)
		if (calendar_is_working_day(cal, d)) {
			buf_adds(out, n++ ? ", " : "");
			add_day(out, d);
		}
	n = 0;
	for (int32_t d = from; step > 0 ? d <= to : d >= to; d += step) {
		const char *name = NULL;
		enum calendar_day_kind k = calendar_day_kind(cal, d, &name);
		if (k == CAL_WORKING || k == CAL_WEEKEND)
			continue;
		buf_adds(out, n++ ? ", " : "; not counted besides weekends: ");
		add_day(out, d);
		buf_addf(out, " (%s%s%s)", why[k], name ? ": " : "", name ? name : "");
	}
}

int clock_deadline_explain(const struct clock_due *due, const struct calendar *cal, struct buf *out)
{
	const struct clock_variant *v = due->variant;
	bool back = due->rule->kind == CLOCK_BACKWARD;
	char when[MOMENT_ISO_LEN];
	int n = v->limit;
	size_t len = out->len;

	if (due->day0 != due->event_day) {
		buf_adds(out, "day 0 is ");
		add_day(out, due->day0);
		buf_addf(out, ", %d day%s after the event on ", v->start_offset_days, plural(v->start_offset_days));
		add_day(out, due->event_day);
		buf_adds(out, "; ");
	}
	switch (v->unit) {
	case CLOCK_WD:
		buf_addf(out, "%d working day%s %s ", n, plural(n), back ? "before" : "after");
		add_day(out, due->day0);
		buf_adds(out, back ? " (day 0, the date fixed for the meeting): " : " (day 0): ");
		if (back)
			list_days(out, cal, due->day0 - 1, due->due_day, -1);
		else
			list_days(out, cal, due->day0 + 1, due->due_day, 1);
		break;
	case CLOCK_H:
		moment_format(due->start, when);
		buf_addf(out, "%d hours after %s (elapsed time: nights, weekends and holidays count)", n, when);
		break;
	case CLOCK_CD:
	case CLOCK_W:
	case CLOCK_M: {
		static const char *const unit[] = {[CLOCK_CD] = "calendar day", [CLOCK_W] = "week", [CLOCK_M] = "month"};
		buf_addf(out, "%d %s%s %s ", n, unit[v->unit], plural(n), back ? "before" : "after");
		add_day(out, due->day0);
		buf_adds(out, " (day 0)");
		if (v->unit == CLOCK_M)
			buf_adds(out, "; a day the target month lacks becomes its last day");
		break;
	}
	case CLOCK_SAME_DAY:
		buf_adds(out, "by the end of day 0, ");
		add_day(out, due->day0);
		break;
	case CLOCK_GEST:
		buf_addf(out, "%d weeks of gestation: the expected delivery date ", n);
		add_day(out, due->day0);
		buf_addf(out, " less %d weeks (a %d-week term)", TERM_WEEKS - n, TERM_WEEKS);
		if (due->has_opens) {
			buf_addf(out, "; the window opens at %d weeks, on ", v->opens_at);
			add_day(out, due->opens_day);
		}
		break;
	case CLOCK_EDD_W:
		buf_addf(out, "%d week%s before the expected delivery date ", n, plural(n));
		add_day(out, due->day0);
		break;
	}
	return out->len > len ? 0 : -1;
}
