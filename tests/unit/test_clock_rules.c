/* Clock rules: the real rule files load and validate, every numeric rule gives the date worked out by hand, variants
 * resolve to the earliest binding limit, backward deadlines follow the meeting, and bad rule files are refused with
 * a message naming the file, the entry and the problem.
 *
 * Calendar facts used below (England and Wales):
 *   2026-11-23 is a Monday. Christmas 2026: Fri 25 Dec and Mon 28 Dec (Boxing Day substitute) are bank holidays,
 *   Fri 1 Jan 2027 too. Easter 2027: Good Friday 26 Mar, Easter Monday 29 Mar. Early May 3 May 2027, spring
 *   31 May 2027. BST starts 01:00 UTC Sun 28 Mar 2027 and ends 01:00 UTC Sun 25 Oct 2026.
 * Run from the repository root, or set SAFEGUARD_RULES to the rules directory. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "calendar/calendar.h"
#include "cli/cli.h"
#include "clock/deadline.h"
#include "clock/rules.h"
#include "core/buf.h"
#include "core/date.h"

struct fixture {
	struct clock_rules *set;
	struct calendar *cal;
};

static const char *rules_dir(void)
{
	const char *env = getenv("SAFEGUARD_RULES");
	return env && *env ? env : "rules";
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct buf err = {0};
	if (clock_rules_load(&f->set, rules_dir(), &err) < 0) {
		fprintf(stderr, "loading %s: %s\n", rules_dir(), buf_str(&err));
		buf_free(&err);
		free(f);
		return -1;
	}
	f->cal = calendar_new_national();
	buf_free(&err);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	clock_rules_free(f->set);
	calendar_free(f->cal);
	free(f);
	return 0;
}

static int64_t at(const char *s)
{
	int64_t t = 0;
	assert_int_equal(moment_parse(s, &t), 0);
	return t;
}

static void assert_due(int64_t due, const char *want)
{
	char got[MOMENT_ISO_LEN];
	moment_format(due, got);
	assert_string_equal(got, want);
}

/* ---- the real files ---- */

static void test_real_rules_valid(void **state)
{
	struct fixture *f = *state;
	size_t n = clock_rules_count(f->set);
	assert_true(n >= 54);
	for (size_t i = 0; i < n; i++) {
		const struct clock_rule *r = clock_rules_at(f->set, i), *again;
		const struct clock_variant *v;
		assert_non_null(r->citation);
		assert_true(strlen(r->citation) > 0);
		assert_true(r->n_variants >= 1);
		assert_true(r->n_stop_events >= 1);
		/* Ids are unique: looking each one up finds that rule and its default variant. */
		assert_int_equal(clock_rules_find(f->set, r->id, &again, &v), 0);
		assert_ptr_equal(again, r);
		assert_ptr_equal(v, &r->variants[0]);
		for (int j = 0; j < r->n_variants; j++) {
			const struct clock_variant *var = &r->variants[j];
			assert_true(var->citation && strlen(var->citation) > 0);
			assert_true(var->n_start_events >= 1);
			for (int k = 0; k < var->n_start_events; k++)
				assert_true(clock_rules_event_known(f->set, var->start_events[k]));
			if (var->id) {
				assert_int_equal(clock_rules_find(f->set, var->id, &again, &v), 0);
				assert_ptr_equal(again, r);
			}
		}
		if (r->extension.allowed)
			assert_true(strcmp(r->id, "T-16") == 0 || strcmp(r->id, "T-39") == 0 || strcmp(r->id, "T6-25") == 0);
	}
	assert_true(clock_rules_event_count(f->set) > 40);
	assert_int_equal(clock_rules_find(f->set, "T-99", NULL, NULL), -1);
}

static void test_lookup(void **state)
{
	struct fixture *f = *state;
	const struct clock_rule *r;
	const struct clock_variant *v;
	static const struct {
		const char *id, *rule, *variant;
	} cases[] = {
		{"T-33", "T-33", "routine"},       {"T-34", "T-33", "serious"},        {"T-35", "T-33", "forensic"},
		{"T-30", "T-33", "post_emergency"}, {"T-36", "T-33", "complex"},        {"T8-03", "T-33", "organised_abuse"},
		{"T7-08", "T-33", "complex"},      {"T6-32", "T-33", "routine"},       {"T7-03", "T7-02", "default"},
		{"T-54", "T-54", "icpc"},          {"T-66", "T-66", "all_recipients"}, {"T-26", "T-26", "edd_minus_10w"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(clock_rules_find(f->set, cases[i].id, &r, &v), 0);
		assert_string_equal(r->id, cases[i].rule);
		assert_string_equal(v->code, cases[i].variant);
	}
	const struct clock_rule *hits[16];
	size_t n = clock_rules_by_start_event(f->set, "referral_received", hits, 16);
	/* T-06, T-07, T-08, T-16, T-33, T-42, T6-31 */
	assert_int_equal(n, 7);
	/* A recurring rule is restarted by its stop event; a switched-off rule (T-52) is not listed. */
	assert_int_equal(clock_rules_by_start_event(f->set, "visit_made", hits, 16), 1);
	assert_string_equal(hits[0]->id, "T-62");
	assert_int_equal(clock_rules_by_start_event(f->set, "cp_plan_started", hits, 16), 0);
}

/* ---- every numeric rule, worked out by hand ---- */

struct due_case {
	const char *id;      /* rule id, variant id or alias */
	const char *variant; /* NULL: the variant the id names */
	const char *start;
	const char *due;
};

static const struct due_case due_cases[] = {
	/* concern Fri 2026-12-18; 1 WD -> Mon 2026-12-21 */
	{"T-01", NULL, "2026-12-18T10:00", "2026-12-21T23:59:59+00:00"},
	/* verbal referral Thu 24 Dec 16:30; 48 elapsed hours, holidays included -> Sat 26 Dec 16:30 */
	{"T-05", NULL, "2026-12-24T16:30", "2026-12-26T16:30:00+00:00"},
	/* referral Thu 24 Dec; Fri 25 and Mon 28 are bank holidays -> Tue 29 Dec */
	{"T-06", NULL, "2026-12-24T15:00", "2026-12-29T23:59:59+00:00"},
	/* same day: Wed 23 Dec, end of day */
	{"T-07", NULL, "2026-12-23T17:45", "2026-12-23T23:59:59+00:00"},
	/* referral Thu 25 Mar 2027; Good Friday and Easter Monday skipped -> Tue 30 Mar (BST) */
	{"T-08", NULL, "2027-03-25T11:00", "2027-03-30T23:59:59+01:00"},
	/* referral made Wed 23 Dec: Thu 24 (1), Tue 29 (2), Wed 30 (3) */
	{"T-09", NULL, "2026-12-23", "2026-12-30T23:59:59+00:00"},
	/* referral made Wed 24 Mar 2027: Thu 25 (1), Tue 30 (2), Wed 31 (3) */
	{"T-10", NULL, "2027-03-24", "2027-03-31T23:59:59+01:00"},
	/* referral Mon 23 Nov: Nov 24-27 (4), 30 (5); Dec 1-4 (9), 7-11 (14), 14-18 (19), 21-24 (23), 29-31 (26);
	 * Jan 4-8 (31), 11-15 (36), 18-22 (41), 25-28 (45) -> Thu 28 Jan 2027 */
	{"T-16", NULL, "2026-11-23", "2027-01-28T23:59:59+00:00"},
	/* CIN plan agreed 31 Aug 2026; + 6 months = 31 Feb, clamped -> 28 Feb 2027 */
	{"T-18", NULL, "2026-08-31", "2027-02-28T23:59:59+00:00"},
	/* EDD Mon 10 May 2027; 12 weeks' gestation = EDD - 28 weeks -> Mon 26 Oct 2026 (GMT again) */
	{"T-23", NULL, "2027-05-10", "2026-10-26T23:59:59+00:00"},
	/* EDD 10 May 2027 - 10 weeks -> Mon 1 Mar 2027 */
	{"T-26", "edd_minus_10w", "2027-05-10", "2027-03-01T23:59:59+00:00"},
	/* 30 weeks' gestation = EDD - 10 weeks: the same day on a 40-week term */
	{"T-26", "gestation_30w", "2027-05-10", "2027-03-01T23:59:59+00:00"},
	/* birth 31 Jan 2027 + 1 month -> 28 Feb 2027 (clamped) */
	{"T-27", NULL, "2027-01-31", "2027-02-28T23:59:59+00:00"},
	/* review 29 Dec 2026 + 6 months -> 29 Jun 2027 (BST) */
	{"T-28", NULL, "2026-12-29", "2027-06-29T23:59:59+01:00"},
	/* concern Wed 23 Dec: Thu 24 (1), Tue 29 (2), Wed 30 (3) */
	{"T-33", NULL, "2026-12-23", "2026-12-30T23:59:59+00:00"},
	/* the brief's example: Mon 23 Nov -> Thu 26 Nov */
	{"T-33", "routine", "2026-11-23", "2026-11-26T23:59:59+00:00"},
	/* 3 calendar days from Wed 23 Dec -> Sat 26 Dec */
	{"T-33", "routine_calendar_warning", "2026-12-23", "2026-12-26T23:59:59+00:00"},
	/* referral on Good Friday 26 Mar 2027: same day regardless of the holiday */
	{"T-34", NULL, "2027-03-26T16:00", "2027-03-26T23:59:59+00:00"},
	/* referral Easter Sunday 28 Mar 2027 12:00 BST: end of that day in BST */
	{"T-35", NULL, "2027-03-28T12:00", "2027-03-28T23:59:59+01:00"},
	/* emergency action Sat 26 Dec 03:00; next working day after it is Tue 29 Dec */
	{"T-30", NULL, "2026-12-26T03:00", "2026-12-29T23:59:59+00:00"},
	/* concern Thu 24 Dec: Tue 29 (1), Wed 30 (2), Thu 31 (3), Fri 1 Jan holiday, Mon 4 (4), Tue 5 (5) */
	{"T-36", NULL, "2026-12-24", "2027-01-05T23:59:59+00:00"},
	/* organised abuse referral Thu 24 Dec; 1 WD -> Tue 29 Dec */
	{"T8-03", NULL, "2026-12-24", "2026-12-29T23:59:59+00:00"},
	/* SMD Mon 22 Mar 2027: 23, 24, 25 (3), 30, 31 (5), Apr 1, 2 (7), 5-9 (12), 12, 13, 14 (15) */
	{"T-37", NULL, "2027-03-22", "2027-04-14T23:59:59+01:00"},
	/* s47 initiated Fri 11 Dec: 14-18 (5), 21-24 (9), 29-31 (12), Jan 4, 5, 6 (15) */
	{"T-39", NULL, "2026-12-11", "2027-01-06T23:59:59+00:00"},
	/* phone referral Good Friday 09:00 GMT + 48 h = Sun 28 Mar 09:00 UTC = 10:00 BST */
	{"T-40", NULL, "2027-03-26T09:00", "2027-03-28T10:00:00+01:00"},
	/* whereabouts unknown Sat 24 Oct 22:30 BST (21:30 UTC) + 24 h = 21:30 UTC = 21:30 GMT on 25 Oct */
	{"T-41", NULL, "2026-10-24T22:30", "2026-10-25T21:30:00+00:00"},
	/* referral on Christmas Day: paediatric assessment the same day */
	{"T-42", NULL, "2026-12-25T09:00", "2026-12-25T23:59:59+00:00"},
	/* notified Mon 15 Mar 2027: 16-19 (4), 22-25 (8), 30, 31 (10), Apr 1, 2 (12), 5, 6, 7 (15) */
	{"T-47", NULL, "2027-03-15", "2027-04-07T23:59:59+01:00"},
	/* ICPC 30 Nov 2026 + 3 months = 30 Feb, clamped -> 28 Feb 2027 */
	{"T-49", NULL, "2026-11-30", "2027-02-28T23:59:59+00:00"},
	/* review 28 Feb 2027 + 6 months -> 28 Aug 2027 */
	{"T-50", NULL, "2027-02-28", "2027-08-28T23:59:59+01:00"},
	/* plan started 28 Feb 2026 + 24 months -> 28 Feb 2028 */
	{"T-52", NULL, "2026-02-28", "2028-02-28T23:59:59+00:00"},
	/* conference Tue 29 Dec; back: Mon 28 hol, Sun, Sat, Fri 25 hol, Thu 24 (1), Wed 23 (2), Tue 22 (3) */
	{"T-53", NULL, "2026-12-29", "2026-12-22T23:59:59+00:00"},
	/* ICPC Thu 3 Dec: Wed 2 (1), Tue 1 (2) */
	{"T-54", "icpc", "2026-12-03", "2026-12-01T23:59:59+00:00"},
	/* RCPC Thu 3 Dec: Wed 2, Tue 1, Mon 30 Nov, Fri 27, Thu 26 (5) */
	{"T-54", "rcpc", "2026-12-03", "2026-11-26T23:59:59+00:00"},
	/* ICPC Tue 30 Mar 2027; back over Easter Monday and Good Friday: Thu 25 (1), Wed 24 (2) */
	{"T-55", "icpc", "2027-03-30", "2027-03-24T23:59:59+00:00"},
	/* RCPC Tue 30 Mar 2027: Thu 25, Wed 24, Tue 23, Mon 22, Fri 19 (5) */
	{"T-55", "rcpc", "2027-03-30", "2027-03-19T23:59:59+00:00"},
	/* ICPC Mon 4 Jan 2027; back over 1 Jan: Thu 31 Dec (1), Wed 30 (2) */
	{"T-56", "icpc", "2027-01-04", "2026-12-30T23:59:59+00:00"},
	/* RCPC Mon 4 Jan 2027: Thu 31, Wed 30, Tue 29, (Mon 28, Fri 25 holidays), Thu 24, Wed 23 (5) */
	{"T-56", "rcpc", "2027-01-04", "2026-12-23T23:59:59+00:00"},
	/* ICPC Fri 18 Dec: 21-24 (4), 29-31 (7), Jan 4, 5, 6 (10) */
	{"T-57", NULL, "2026-12-18", "2027-01-06T23:59:59+00:00"},
	/* first core group Thu 31 Dec + 6 weeks -> Thu 11 Feb 2027 */
	{"T-58", NULL, "2026-12-31", "2027-02-11T23:59:59+00:00"},
	/* core group Thu 4 Mar 2027 + 6 weeks -> Thu 15 Apr 2027 (BST) */
	{"T-59", NULL, "2027-03-04", "2027-04-15T23:59:59+01:00"},
	/* core group Mon 22 Mar 2027: 23, 24, 25 (3), 30, 31 (5), Apr 1, 2 (7), 5, 6, 7 (10) */
	{"T-60", NULL, "2027-03-22", "2027-04-07T23:59:59+01:00"},
	/* ICPC Thu 10 Dec + 4 weeks -> Thu 7 Jan 2027 */
	{"T-62", NULL, "2026-12-10", "2027-01-07T23:59:59+00:00"},
	/* conference Thu 24 Dec 14:00; 1 WD -> Tue 29 Dec */
	{"T-66", "all_recipients", "2026-12-24T14:00", "2026-12-29T23:59:59+00:00"},
	/* parents: 24 hours -> Christmas Day 14:00 */
	{"T-66", "parents", "2026-12-24T14:00", "2026-12-25T14:00:00+00:00"},
	/* conference Mon 15 Mar 2027: 16-19 (4), 22-25 (8), 30, 31 (10), Apr 1, 2 (12), 5-9 (17), 12, 13, 14 (20) */
	{"T-67", NULL, "2027-03-15", "2027-04-14T23:59:59+01:00"},
	/* record sent Thu 24 Dec + 1 week -> Thu 31 Dec */
	{"T-68", NULL, "2026-12-24", "2026-12-31T23:59:59+00:00"},
	/* conference Wed 9 Dec: 10, 11 (2), 14-18 (7), 21-24 (11), 29-31 (14), Jan 4-8 (19), 11 (20) */
	{"T-69", NULL, "2026-12-09", "2027-01-11T23:59:59+00:00"},
	/* plan ended 31 Dec 2026 + 3 months -> 31 Mar 2027 (BST) */
	{"T-70", "discontinuation", "2026-12-31", "2027-03-31T23:59:59+01:00"},
	/* ICPC 31 Oct 2026 + 3 months -> 31 Jan 2027 */
	{"T-70", "icpc_no_plan", "2026-10-31", "2027-01-31T23:59:59+00:00"},
	/* review 29 Aug 2026 + 6 months = 29 Feb 2027, which does not exist -> 28 Feb */
	{"T-71", NULL, "2026-08-29", "2027-02-28T23:59:59+00:00"},
	/* agreed Fri 23 Oct 17:00 BST (16:00 UTC) + 48 h = Sun 25 Oct 16:00 UTC, now GMT */
	{"T6-02", NULL, "2026-10-23T17:00", "2026-10-25T16:00:00+00:00"},
	/* notified Mon 22 Mar 2027: 23, 24, 25 (3), 30 (4), 31 (5) */
	{"T6-04", "working_days", "2027-03-22", "2027-03-31T23:59:59+01:00"},
	/* 5 calendar days from Mon 22 Mar -> Sat 27 Mar (still GMT) */
	{"T6-04", "calendar_warning", "2027-03-22", "2027-03-27T23:59:59+00:00"},
	/* request on New Year's Day (Fri); next working day Mon 4 Jan */
	{"T6-08", NULL, "2027-01-01", "2027-01-04T23:59:59+00:00"},
	/* learned Fri 28 May 2027; Mon 31 May is a bank holiday -> Tue 1 Jun */
	{"T6-11", NULL, "2027-05-28", "2027-06-01T23:59:59+01:00"},
	/* permanence agreed Wed 16 Dec: 17, 18 (2), 21-24 (6), 29-31 (9), Jan 4-8 (14), 11 (15) */
	{"T6-18", "permanence", "2026-12-16", "2027-01-11T23:59:59+00:00"},
	/* notified Mon 23 Nov: 24-27 (4), 30 (5), Dec 1-4 (9), 7-11 (14), 14 (15) */
	{"T6-18", "notification_warning", "2026-11-23", "2026-12-14T23:59:59+00:00"},
	/* move 31 Mar 2027 + 1 month -> 30 Apr 2027 (clamped) */
	{"T6-24", NULL, "2027-03-31", "2027-04-30T23:59:59+01:00"},
	/* notification 29 Dec 2026 + 1 month -> 29 Jan 2027 */
	{"T6-25", NULL, "2026-12-29", "2027-01-29T23:59:59+00:00"},
	/* discovered Thu 1 Apr 2027 -> Fri 2 Apr */
	{"T6-29", NULL, "2027-04-01", "2027-04-02T23:59:59+01:00"},
	/* referral on Mon 28 Dec (a bank holiday): still the same day */
	{"T6-31", NULL, "2026-12-28T10:00", "2026-12-28T23:59:59+00:00"},
	/* learned Thu 25 Mar 12:00 GMT + 72 h = Sun 28 Mar 12:00 UTC = 13:00 BST */
	{"T6-35", NULL, "2027-03-25T12:00", "2027-03-28T13:00:00+01:00"},
	/* allegation Thu 24 Dec 18:00 -> Tue 29 Dec */
	{"T7-02", NULL, "2026-12-24T18:00", "2026-12-29T23:59:59+00:00"},
	/* the merged DSM clock is the same rule */
	{"T7-03", NULL, "2026-12-24T18:00", "2026-12-29T23:59:59+00:00"},
	/* staff allegation SMD (complex): concern Thu 24 Dec -> Tue 5 Jan, as T-36 */
	{"T7-08", NULL, "2026-12-24", "2027-01-05T23:59:59+00:00"},
	/* MPM Thu 4 Mar 2027 + 4 weeks -> Thu 1 Apr */
	{"T7-14", NULL, "2027-03-04", "2027-04-01T23:59:59+01:00"},
	/* report received Thu 25 Mar 2027: Tue 30 (1), Wed 31 (2) */
	{"T7-22", NULL, "2027-03-25", "2027-03-31T23:59:59+01:00"},
	/* death known Thu 31 Dec 21:00; Fri 1 Jan holiday -> Mon 4 Jan */
	{"T9-03", NULL, "2026-12-31T21:00", "2027-01-04T23:59:59+00:00"},
	/* SCDOC met 15 Dec 2026 + 3 months -> 15 Mar 2027 */
	{"T9-10", NULL, "2026-12-15", "2027-03-15T23:59:59+00:00"},
	/* report sent 29 Feb 2028 + 12 months -> 28 Feb 2029 */
	{"T9-11", NULL, "2028-02-29", "2029-02-28T23:59:59+00:00"},
};

static void resolve_case(struct fixture *f, const struct due_case *c, const struct clock_rule **r,
			 const struct clock_variant **v)
{
	if (clock_rules_find(f->set, c->id, r, v) < 0)
		fail_msg("rule %s not found", c->id);
	if (c->variant && !(*v = clock_rules_variant(*r, c->variant)))
		fail_msg("%s has no variant %s", c->id, c->variant);
}

static void test_due_table(void **state)
{
	struct fixture *f = *state;
	for (size_t i = 0; i < sizeof(due_cases) / sizeof(due_cases[0]); i++) {
		const struct due_case *c = &due_cases[i];
		const struct clock_rule *r;
		const struct clock_variant *v;
		struct clock_due d;
		struct buf err = {0};
		resolve_case(f, c, &r, &v);
		if (clock_deadline_due(r, v, at(c->start), f->cal, &d, &err) < 0)
			fail_msg("%s %s: %s", c->id, v->code, buf_str(&err));
		char got[MOMENT_ISO_LEN];
		moment_format(d.due, got);
		if (strcmp(got, c->due) != 0)
			fail_msg("case %zu %s %s from %s: got %s, want %s", i, c->id, v->code, c->start, got, c->due);
		buf_free(&err);
	}
}

/* A rule added to the files without a hand-worked case here fails this test. */
static void test_due_table_covers_every_rule(void **state)
{
	struct fixture *f = *state;
	for (size_t i = 0; i < clock_rules_count(f->set); i++) {
		const struct clock_rule *r = clock_rules_at(f->set, i);
		for (int j = 0; j < r->n_variants; j++) {
			bool found = false;
			for (size_t k = 0; k < sizeof(due_cases) / sizeof(due_cases[0]) && !found; k++) {
				const struct clock_rule *cr;
				const struct clock_variant *cv;
				resolve_case(f, &due_cases[k], &cr, &cv);
				found = cr == r && cv == &r->variants[j];
			}
			if (!found)
				fail_msg("no hand-worked case for %s variant %s", r->id, r->variants[j].code);
		}
	}
}

static void test_explain(void **state)
{
	struct fixture *f = *state;
	const struct clock_rule *r;
	const struct clock_variant *v;
	struct clock_due d;
	struct buf out = {0}, err = {0};

	assert_int_equal(clock_rules_find(f->set, "T-33", &r, &v), 0);
	assert_int_equal(clock_deadline_due(r, v, at("2026-11-23T09:30"), f->cal, &d, &err), 0);
	assert_int_equal(clock_deadline_explain(&d, f->cal, &out), 0);
	assert_string_equal(buf_str(&out), "3 working days after 2026-11-23 (day 0): 2026-11-24, 2026-11-25, 2026-11-26");

	/* Over Christmas the skipped days are listed with their reasons. */
	buf_reset(&out);
	assert_int_equal(clock_rules_find(f->set, "T-36", &r, &v), 0);
	assert_int_equal(clock_deadline_due(r, v, at("2026-12-24"), f->cal, &d, &err), 0);
	assert_int_equal(clock_deadline_explain(&d, f->cal, &out), 0);
	assert_non_null(strstr(buf_str(&out), ": 2026-12-29, 2026-12-30, 2026-12-31, 2027-01-04, 2027-01-05; "
						 "not counted besides weekends: 2026-12-25 (bank holiday: Christmas Day), "
						 "2026-12-28 (bank holiday: "));
	assert_non_null(strstr(buf_str(&out), "2027-01-01 (bank holiday: New Year's Day)"));
	assert_null(strstr(buf_str(&out), "2026-12-26"));

	/* Backward: counted back from the day before the meeting. */
	buf_reset(&out);
	assert_int_equal(clock_rules_find(f->set, "T-54", &r, &v), 0);
	assert_int_equal(clock_deadline_due(r, v, at("2026-12-03"), f->cal, &d, &err), 0);
	assert_int_equal(clock_deadline_explain(&d, f->cal, &out), 0);
	assert_string_equal(buf_str(&out), "2 working days before 2026-12-03 (day 0, the date fixed for the meeting): "
					   "2026-12-02, 2026-12-01");

	/* Gestation: the window's opening is reported too. */
	assert_int_equal(clock_rules_find(f->set, "T-23", &r, &v), 0);
	assert_int_equal(clock_deadline_due(r, v, at("2027-05-10"), f->cal, &d, &err), 0);
	assert_true(d.has_opens);
	char opens[DATE_ISO_LEN];
	date_format(d.opens_day, opens);
	assert_string_equal(opens, "2026-09-28"); /* EDD - 32 weeks: 8 weeks' gestation */
	buf_free(&out);
	buf_free(&err);
}

/* An authority's closure days count like bank holidays. */
static void test_local_closures(void **state)
{
	struct fixture *f = *state;
	const struct clock_rule *r;
	const struct clock_variant *v;
	struct clock_due d;
	struct buf out = {0}, err = {0};
	struct calendar *cal = calendar_new_national();
	for (int day = 29; day <= 31; day++)
		assert_int_equal(calendar_add_closure(cal, date_from_ymd(2026, 12, day), "Winter closure"), 0);
	assert_int_equal(clock_rules_find(f->set, "T-33", &r, &v), 0);
	/* Wed 23 Dec: Thu 24 (1); 25 and 28 holidays; 29-31 closed; 1 Jan holiday; Mon 4 (2), Tue 5 (3) */
	assert_int_equal(clock_deadline_due(r, v, at("2026-12-23"), cal, &d, &err), 0);
	assert_due(d.due, "2027-01-05T23:59:59+00:00");
	assert_int_equal(clock_deadline_explain(&d, cal, &out), 0);
	assert_non_null(strstr(buf_str(&out), "2026-12-29 (local closure: Winter closure)"));
	/* The national calendar is unchanged: Wed 30 Dec. */
	assert_int_equal(clock_deadline_due(r, v, at("2026-12-23"), f->cal, &d, &err), 0);
	assert_due(d.due, "2026-12-30T23:59:59+00:00");
	calendar_free(cal);
	buf_free(&out);
	buf_free(&err);
}

/* ---- variants: each from its own start, earliest binding one drives ---- */

static void test_resolve_strategy_discussion(void **state)
{
	struct fixture *f = *state;
	const struct clock_rule *r;
	struct clock_resolution res;
	struct buf err = {0};
	assert_int_equal(clock_rules_find(f->set, "T-33", &r, NULL), 0);

	/* Concern identified Mon 23 Nov, referral received Tue 24 Nov; no emergency action. */
	struct clock_start starts[] = {
		{"cp_concern_identified", at("2026-11-23T09:00")},
		{"referral_received", at("2026-11-24T10:00")},
	};
	assert_int_equal(clock_deadline_resolve(r, NULL, 0, starts, 2, f->cal, &res, &err), 0);
	/* routine, calendar warning, serious, forensic, complex, organised abuse; post_emergency has no start */
	assert_int_equal(res.n_candidates, 6);
	const struct clock_due *d = &res.candidates[res.driving];
	assert_string_equal(d->variant->code, "serious"); /* ties with forensic: the first listed wins */
	assert_string_equal(d->variant->citation, "3.4.17 (1st bullet)");
	assert_string_equal(d->start_event, "referral_received");
	assert_due(d->due, "2026-11-24T23:59:59+00:00");
	/* routine runs from the earlier of its two starts: Mon 23 -> Thu 26 */
	assert_string_equal(res.candidates[0].variant->code, "routine");
	assert_string_equal(res.candidates[0].start_event, "cp_concern_identified");
	assert_due(res.candidates[0].due, "2026-11-26T23:59:59+00:00");

	/* Only routine and complex apply: routine drives. */
	const char *rc[] = {"routine", "complex"};
	assert_int_equal(clock_deadline_resolve(r, rc, 2, starts, 2, f->cal, &res, &err), 0);
	assert_int_equal(res.n_candidates, 2);
	assert_string_equal(res.candidates[res.driving].variant->code, "routine");
	assert_string_equal(res.candidates[res.driving].variant->citation, "3.4.17; 3.10.1");

	/* After emergency action on Sat 21 Nov the 1 WD limit (Mon 23 Nov) drives. */
	struct clock_start with_emergency[] = {
		{"cp_concern_identified", at("2026-11-23T09:00")},
		{"emergency_action_taken", at("2026-11-21T02:00")},
	};
	const char *pe[] = {"routine", "post_emergency"};
	assert_int_equal(clock_deadline_resolve(r, pe, 2, with_emergency, 2, f->cal, &res, &err), 0);
	assert_string_equal(res.candidates[res.driving].variant->code, "post_emergency");
	assert_string_equal(res.candidates[res.driving].variant->citation, "3.2.10; 3.4.17 (3rd bullet)");
	assert_due(res.candidates[res.driving].due, "2026-11-23T23:59:59+00:00");

	/* A listed variant without its start event is an error naming the event. */
	const char *only_pe[] = {"post_emergency"};
	assert_int_equal(clock_deadline_resolve(r, only_pe, 1, starts, 2, f->cal, &res, &err), -1);
	assert_non_null(strstr(buf_str(&err), "emergency_action_taken"));
	buf_reset(&err);
	const char *unknown[] = {"urgent"};
	assert_int_equal(clock_deadline_resolve(r, unknown, 1, starts, 2, f->cal, &res, &err), -1);
	assert_non_null(strstr(buf_str(&err), "no variant \"urgent\""));
	buf_reset(&err);
	/* The same non-recurring event twice is ambiguous. */
	struct clock_start twice[] = {{"referral_received", at("2026-11-24")}, {"referral_received", at("2026-11-25")}};
	assert_int_equal(clock_deadline_resolve(r, NULL, 0, twice, 2, f->cal, &res, &err), -1);
	assert_non_null(strstr(buf_str(&err), "more than once"));
	buf_free(&err);
}

static void test_resolve_decision_letter_and_pickers(void **state)
{
	struct fixture *f = *state;
	const struct clock_rule *r;
	struct clock_resolution res;
	struct buf err = {0};

	/* conference Fri 27 Nov 14:00. Parents' letter: 24 h (Sat 28 Nov 14:00) beats 1 WD (Mon 30 Nov). */
	assert_int_equal(clock_rules_find(f->set, "T-66", &r, NULL), 0);
	struct clock_start conf[] = {{"conference_held", at("2026-11-27T14:00")}};
	const char *parents[] = {"all_recipients", "parents"};
	assert_int_equal(clock_deadline_resolve(r, parents, 2, conf, 1, f->cal, &res, &err), 0);
	assert_string_equal(res.candidates[res.driving].variant->code, "parents");
	assert_string_equal(res.candidates[res.driving].variant->citation, "4.14.5");
	assert_due(res.candidates[res.driving].due, "2026-11-28T14:00:00+00:00");
	const char *others[] = {"all_recipients"};
	assert_int_equal(clock_deadline_resolve(r, others, 1, conf, 1, f->cal, &res, &err), 0);
	assert_due(res.candidates[res.driving].due, "2026-11-30T23:59:59+00:00");

	/* A6-04: the permanence agreement drives when recorded, although the notification-based date is earlier. */
	assert_int_equal(clock_rules_find(f->set, "T6-18", &r, NULL), 0);
	struct clock_start tic[] = {
		{"transfer_in_notified", at("2026-11-23")},
		{"permanent_move_agreed", at("2026-12-16")},
	};
	assert_int_equal(clock_deadline_resolve(r, NULL, 0, tic, 2, f->cal, &res, &err), 0);
	assert_int_equal(res.n_candidates, 2);
	assert_string_equal(res.candidates[res.driving].variant->code, "permanence");
	assert_string_equal(res.candidates[res.driving].start_event, "permanent_move_agreed");
	assert_due(res.candidates[res.driving].due, "2027-01-11T23:59:59+00:00");
	assert_true(res.candidates[1].variant->advisory);
	assert_due(res.candidates[1].due, "2026-12-14T23:59:59+00:00");
	/* Without an agreement the notification starts it. */
	assert_int_equal(clock_deadline_resolve(r, NULL, 0, tic, 1, f->cal, &res, &err), 0);
	assert_due(res.candidates[res.driving].due, "2026-12-14T23:59:59+00:00");

	/* A6-10: from the later of the move (1 Dec) and the notification (29 Dec) -> 29 Jan 2027. */
	assert_int_equal(clock_rules_find(f->set, "T6-25", &r, NULL), 0);
	struct clock_start move[] = {{"family_moved", at("2026-12-01")}, {"move_notified_to_ra", at("2026-12-29")}};
	assert_int_equal(clock_deadline_resolve(r, NULL, 0, move, 2, f->cal, &res, &err), 0);
	assert_string_equal(res.candidates[res.driving].start_event, "move_notified_to_ra");
	assert_due(res.candidates[res.driving].due, "2027-01-29T23:59:59+00:00");

	/* An advisory-only rule still reports its date. */
	assert_int_equal(clock_rules_find(f->set, "T7-14", &r, NULL), 0);
	struct clock_start mpm[] = {{"mpm_held", at("2027-03-04")}};
	assert_int_equal(clock_deadline_resolve(r, NULL, 0, mpm, 1, f->cal, &res, &err), 0);
	assert_true(res.candidates[res.driving].variant->advisory);
	assert_due(res.candidates[res.driving].due, "2027-04-01T23:59:59+01:00");
	buf_free(&err);
}

static void test_resolve_recurring_and_switches(void **state)
{
	struct fixture *f = *state;
	const struct clock_rule *r;
	struct clock_resolution res;
	struct buf err = {0};

	/* Core groups on 7 Jan and 4 Mar 2027: counted from the last one -> 15 Apr. */
	assert_int_equal(clock_rules_find(f->set, "T-59", &r, NULL), 0);
	struct clock_start groups[] = {{"core_group_held", at("2027-01-07")}, {"core_group_held", at("2027-03-04")}};
	assert_int_equal(clock_deadline_resolve(r, NULL, 0, groups, 2, f->cal, &res, &err), 0);
	assert_due(res.candidates[res.driving].due, "2027-04-15T23:59:59+01:00");

	/* Visits: ICPC 10 Dec, visit 30 Dec -> next by 27 Jan 2027 (the visit restarts the interval). */
	assert_int_equal(clock_rules_find(f->set, "T-62", &r, NULL), 0);
	struct clock_start visits[] = {{"icpc_held", at("2026-12-10")}, {"visit_made", at("2026-12-30T11:00")}};
	assert_int_equal(clock_deadline_resolve(r, NULL, 0, visits, 2, f->cal, &res, &err), 0);
	assert_string_equal(res.candidates[res.driving].start_event, "visit_made");
	assert_due(res.candidates[res.driving].due, "2027-01-27T23:59:59+00:00");

	/* CIN plan agreed 31 Aug, reviewed 15 Dec -> next review by 15 Jun 2027. */
	assert_int_equal(clock_rules_find(f->set, "T-18", &r, NULL), 0);
	struct clock_start cin[] = {{"cin_plan_agreed", at("2026-08-31")}, {"cin_plan_reviewed", at("2026-12-15")}};
	assert_int_equal(clock_deadline_resolve(r, NULL, 0, cin, 2, f->cal, &res, &err), 0);
	assert_due(res.candidates[res.driving].due, "2027-06-15T23:59:59+01:00");

	/* T-52 is a local option that is off: resolving it is refused. */
	assert_int_equal(clock_rules_find(f->set, "T-52", &r, NULL), 0);
	struct clock_start plan[] = {{"cp_plan_started", at("2026-02-28")}};
	assert_int_equal(clock_deadline_resolve(r, NULL, 0, plan, 1, f->cal, &res, &err), -1);
	assert_non_null(strstr(buf_str(&err), "switched off"));
	buf_reset(&err);

	/* T-70's ICPC reading is off: only the discontinuation variant is computed. */
	assert_int_equal(clock_rules_find(f->set, "T-70", &r, NULL), 0);
	struct clock_start ended[] = {{"icpc_held", at("2026-10-31")}, {"cp_plan_discontinued", at("2026-12-31")}};
	assert_int_equal(clock_deadline_resolve(r, NULL, 0, ended, 2, f->cal, &res, &err), 0);
	assert_int_equal(res.n_candidates, 1);
	assert_string_equal(res.candidates[0].variant->code, "discontinuation");
	const char *off[] = {"icpc_no_plan"};
	assert_int_equal(clock_deadline_resolve(r, off, 1, ended, 2, f->cal, &res, &err), -1);
	buf_free(&err);
}

/* ---- backward deadlines follow the meeting ---- */

static void test_backward_moves_with_meeting(void **state)
{
	struct fixture *f = *state;
	const struct clock_rule *r;
	const struct clock_variant *v;
	struct buf err = {0};
	static const struct {
		const char *meeting, *due;
	} moves[] = {
		/* Thu 3 Dec: Wed 2 (1), Tue 1 (2) */
		{"2026-12-03T10:00", "2026-12-01T23:59:59+00:00"},
		/* moved to Tue 29 Dec: back over Mon 28 and Fri 25: Thu 24 (1), Wed 23 (2) */
		{"2026-12-29T10:00", "2026-12-23T23:59:59+00:00"},
		/* moved again to Mon 4 Jan 2027: back over 1 Jan: Thu 31 (1), Wed 30 (2) */
		{"2027-01-04T10:00", "2026-12-30T23:59:59+00:00"},
	};
	assert_int_equal(clock_rules_find(f->set, "T-55", &r, &v), 0);
	for (size_t i = 0; i < sizeof(moves) / sizeof(moves[0]); i++) {
		struct clock_due d;
		int n;
		assert_int_equal(clock_deadline_due(r, v, at(moves[i].meeting), f->cal, &d, &err), 0);
		assert_due(d.due, moves[i].due);
		/* On a working meeting day exactly N working days lie in (due, meeting]. */
		assert_int_equal(calendar_count_working_days(f->cal, d.due_day, d.day0, &n), 0);
		assert_int_equal(n, 2);
	}
	buf_free(&err);
}

static void test_check_and_errors(void **state)
{
	struct fixture *f = *state;
	const struct clock_rule *r;
	const struct clock_variant *v;
	struct clock_due d;
	enum clock_outcome oc;
	struct buf err = {0};

	assert_int_equal(clock_rules_find(f->set, "T-06", &r, &v), 0);
	assert_int_equal(clock_deadline_due(r, v, at("2026-12-24T15:00"), f->cal, &d, &err), 0);
	assert_int_equal(clock_deadline_check(&d, at("2026-12-29T23:59:59"), &oc, &err), 0);
	assert_int_equal(oc, CLOCK_MET);
	assert_int_equal(clock_deadline_check(&d, at("2026-12-30T00:00"), &oc, &err), 0);
	assert_int_equal(oc, CLOCK_LATE);
	assert_int_equal(clock_deadline_check(&d, at("2026-12-24T14:59"), &oc, &err), -1);
	assert_non_null(strstr(buf_str(&err), "before the clock started"));
	buf_reset(&err);

	/* A backward clock is normally satisfied before its meeting. */
	assert_int_equal(clock_rules_find(f->set, "T-54", &r, &v), 0);
	assert_int_equal(clock_deadline_due(r, v, at("2026-12-03T10:00"), f->cal, &d, &err), 0);
	assert_int_equal(clock_deadline_check(&d, at("2026-11-30T12:00"), &oc, &err), 0);
	assert_int_equal(oc, CLOCK_MET);
	assert_int_equal(clock_deadline_check(&d, at("2026-12-02T09:00"), &oc, &err), 0);
	assert_int_equal(oc, CLOCK_LATE);

	/* Outside the calendar's range. */
	assert_int_equal(clock_rules_find(f->set, "T-16", &r, &v), 0);
	assert_int_equal(clock_deadline_due(r, v, at("2100-12-01"), f->cal, &d, &err), -1);
	assert_non_null(strstr(buf_str(&err), "outside the calendar's range"));
	buf_reset(&err);
	assert_int_equal(clock_deadline_due_on(r, v, date_from_ymd(1999, 12, 31), f->cal, &d, &err), -1);
	assert_non_null(strstr(buf_str(&err), "1999-12-31"));
	buf_reset(&err);
	assert_int_equal(clock_deadline_due_on(r, v, date_from_ymd(2026, 11, 23), f->cal, &d, &err), 0);
	assert_due(d.due, "2027-01-28T23:59:59+00:00");
	buf_free(&err);
}

/* ---- bad rule files ---- */

static const char events_json[] =
	"{\"events\": [{\"code\": \"a_happened\", \"description\": \"A\"},"
	" {\"code\": \"b_happened\", \"description\": \"B\"}]}";

#define GOOD_RULE(id) \
	"{\"id\": \"" id "\", \"title\": \"t\", \"kind\": \"forward\", \"start_event\": \"a_happened\"," \
	" \"stop_event\": \"b_happened\", \"limit\": 3, \"unit\": \"WD\", \"extension\": {\"allowed\": false}," \
	" \"responsible_role\": \"CSC_SW\", \"citation\": \"1.2.3\"}"
#define FILE_OF(rules) "{\"source\": \"test\", \"rules\": [" rules "]}"

struct bad_case {
	const char *name;
	const char *a_json; /* rules dir/clocks/a.json */
	const char *b_json; /* rules dir/clocks/b.json, or NULL */
	const char *events; /* NULL: events_json */
	const char *want[3]; /* substrings of the error: file, entry, problem */
};

static const struct bad_case bad_cases[] = {
	{"unknown field",
	 FILE_OF("{\"id\": \"T-90\", \"title\": \"t\", \"kind\": \"forward\", \"start_event\": \"a_happened\","
		 " \"stop_event\": \"b_happened\", \"limt\": 3, \"unit\": \"WD\", \"extension\": {\"allowed\": false},"
		 " \"responsible_role\": \"CSC_SW\", \"citation\": \"1.2.3\"}"),
	 NULL, NULL, {"a.json", "rules[0]", "unknown field \"limt\""}},
	{"duplicate id", FILE_OF(GOOD_RULE("T-90") ", " GOOD_RULE("T-90")), NULL, NULL,
	 {"a.json", "T-90", "duplicate id"}},
	{"duplicate id across files", FILE_OF(GOOD_RULE("T-90")), FILE_OF(GOOD_RULE("T-90")), NULL,
	 {"b.json", "T-90", "duplicate id (also defined in"}},
	{"missing citation",
	 FILE_OF("{\"id\": \"T-91\", \"title\": \"t\", \"kind\": \"forward\", \"start_event\": \"a_happened\","
		 " \"stop_event\": \"b_happened\", \"limit\": 3, \"unit\": \"WD\", \"extension\": {\"allowed\": false},"
		 " \"responsible_role\": \"CSC_SW\"}"),
	 NULL, NULL, {"a.json", "T-91", "missing citation"}},
	{"variant without citation",
	 FILE_OF("{\"id\": \"T-91\", \"title\": \"t\", \"kind\": \"forward\", \"start_event\": \"a_happened\","
		 " \"stop_event\": \"b_happened\", \"unit\": \"WD\", \"extension\": {\"allowed\": false},"
		 " \"responsible_role\": \"CSC_SW\", \"citation\": \"1.1\","
		 " \"variants\": [{\"code\": \"fast\", \"title\": \"f\", \"limit\": 1}]}"),
	 NULL, NULL, {"a.json", "T-91 variant fast", "missing citation"}},
	{"unknown unit",
	 FILE_OF("{\"id\": \"T-92\", \"title\": \"t\", \"kind\": \"forward\", \"start_event\": \"a_happened\","
		 " \"stop_event\": \"b_happened\", \"limit\": 3, \"unit\": \"FORTNIGHTS\", \"extension\": {\"allowed\": false},"
		 " \"responsible_role\": \"CSC_SW\", \"citation\": \"1.2.3\"}"),
	 NULL, NULL, {"a.json", "T-92", "unknown unit \"FORTNIGHTS\""}},
	{"unknown kind",
	 FILE_OF("{\"id\": \"T-92\", \"title\": \"t\", \"kind\": \"sideways\", \"start_event\": \"a_happened\","
		 " \"stop_event\": \"b_happened\", \"limit\": 3, \"unit\": \"WD\", \"extension\": {\"allowed\": false},"
		 " \"responsible_role\": \"CSC_SW\", \"citation\": \"1.2.3\"}"),
	 NULL, NULL, {"a.json", "T-92", "unknown kind \"sideways\""}},
	{"unknown event",
	 FILE_OF("{\"id\": \"T-93\", \"title\": \"t\", \"kind\": \"forward\", \"start_event\": \"c_happened\","
		 " \"stop_event\": \"b_happened\", \"limit\": 3, \"unit\": \"WD\", \"extension\": {\"allowed\": false},"
		 " \"responsible_role\": \"CSC_SW\", \"citation\": \"1.2.3\"}"),
	 NULL, NULL, {"a.json", "T-93", "unknown event code \"c_happened\""}},
	{"negative limit",
	 FILE_OF("{\"id\": \"T-94\", \"title\": \"t\", \"kind\": \"forward\", \"start_event\": \"a_happened\","
		 " \"stop_event\": \"b_happened\", \"limit\": -3, \"unit\": \"WD\", \"extension\": {\"allowed\": false},"
		 " \"responsible_role\": \"CSC_SW\", \"citation\": \"1.2.3\"}"),
	 NULL, NULL, {"a.json", "T-94", "negative limit"}},
	{"unit unfit for kind",
	 FILE_OF("{\"id\": \"T-95\", \"title\": \"t\", \"kind\": \"backward\", \"start_event\": \"a_happened\","
		 " \"stop_event\": \"b_happened\", \"limit\": 3, \"unit\": \"H\", \"extension\": {\"allowed\": false},"
		 " \"responsible_role\": \"CSC_SW\", \"citation\": \"1.2.3\"}"),
	 NULL, NULL, {"a.json", "T-95", "unit H cannot be used by a backward rule"}},
	{"extension without roles",
	 FILE_OF("{\"id\": \"T-96\", \"title\": \"t\", \"kind\": \"forward\", \"start_event\": \"a_happened\","
		 " \"stop_event\": \"b_happened\", \"limit\": 3, \"unit\": \"WD\","
		 " \"extension\": {\"allowed\": true, \"needs_reason\": true, \"citation\": \"1.2\"},"
		 " \"responsible_role\": \"CSC_SW\", \"citation\": \"1.2.3\"}"),
	 NULL, NULL, {"a.json", "T-96", "authorised_by_roles is empty"}},
	{"over max_limit",
	 FILE_OF("{\"id\": \"T-97\", \"title\": \"t\", \"kind\": \"forward\", \"start_event\": \"a_happened\","
		 " \"stop_event\": \"b_happened\", \"limit\": 50, \"max_limit\": 45, \"unit\": \"WD\","
		 " \"extension\": {\"allowed\": false}, \"responsible_role\": \"CSC_SW\", \"citation\": \"1.2.3\"}"),
	 NULL, NULL, {"a.json", "T-97", "exceeds max_limit"}},
	{"alias of unknown rule",
	 "{\"source\": \"test\", \"rules\": [" GOOD_RULE("T-90") "],"
	 " \"aliases\": [{\"id\": \"T9-99\", \"rule\": \"T-80\", \"citation\": \"1.1\"}]}",
	 NULL, NULL, {"a.json", "T9-99", "unknown rule T-80"}},
	{"variant added to unknown rule",
	 "{\"source\": \"test\", \"rules\": [],"
	 " \"variants\": [{\"rule\": \"T-80\", \"code\": \"x\", \"title\": \"x\", \"start_event\": \"a_happened\","
	 " \"limit\": 1, \"unit\": \"WD\", \"citation\": \"1.1\"}]}",
	 NULL, NULL, {"a.json", "variants[0]", "unknown rule T-80"}},
	{"misspelt top level", "{\"source\": \"test\", \"rule\": []}", NULL, NULL,
	 {"a.json", "top level", "unknown field \"rule\""}},
	{"bad JSON", "{\"source\": \"test\", \"rules\": [", NULL, NULL, {"a.json", "line", ""}},
	{"duplicate key", "{\"source\": \"test\", \"rules\": [], \"rules\": []}", NULL, NULL, {"a.json", "line", "duplicate"}},
	{"duplicate event", FILE_OF(GOOD_RULE("T-90")), NULL,
	 "{\"events\": [{\"code\": \"a_happened\", \"description\": \"A\"},"
	 " {\"code\": \"a_happened\", \"description\": \"again\"}]}",
	 {"events.json", "a_happened", "duplicate event code"}},
};

static void write_file(const char *dir, const char *name, const char *text)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/clocks/%s", dir, name);
	FILE *fp = fopen(path, "w");
	assert_non_null(fp);
	fputs(text, fp);
	assert_int_equal(fclose(fp), 0);
}

static void remove_file(const char *dir, const char *name)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/clocks/%s", dir, name);
	unlink(path);
}

static void test_bad_rule_files(void **state)
{
	(void)state;
	char dir[] = "/tmp/sg_clock_rules_XXXXXX";
	char sub[512];
	assert_non_null(mkdtemp(dir));
	snprintf(sub, sizeof(sub), "%s/clocks", dir);
	assert_int_equal(mkdir(sub, 0700), 0);

	/* The fixture itself is valid, so each case below fails only for its own reason. */
	{
		struct clock_rules *set = NULL;
		struct buf err = {0};
		write_file(dir, "events.json", events_json);
		write_file(dir, "a.json", FILE_OF(GOOD_RULE("T-90")));
		if (clock_rules_load(&set, dir, &err) < 0)
			fail_msg("valid fixture refused: %s", buf_str(&err));
		assert_int_equal(clock_rules_count(set), 1);
		clock_rules_free(set);
		buf_free(&err);
	}
	for (size_t i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		const struct bad_case *c = &bad_cases[i];
		struct clock_rules *set = (struct clock_rules *)1;
		struct buf err = {0};
		write_file(dir, "events.json", c->events ? c->events : events_json);
		write_file(dir, "a.json", c->a_json);
		if (c->b_json)
			write_file(dir, "b.json", c->b_json);
		else
			remove_file(dir, "b.json");
		if (clock_rules_load(&set, dir, &err) == 0)
			fail_msg("case \"%s\" loaded", c->name);
		assert_null(set);
		for (int k = 0; k < 3; k++)
			if (!strstr(buf_str(&err), c->want[k]))
				fail_msg("case \"%s\": error \"%s\" lacks \"%s\"", c->name, buf_str(&err), c->want[k]);
		buf_free(&err);
	}
	remove_file(dir, "a.json");
	remove_file(dir, "b.json");
	remove_file(dir, "events.json");
	assert_int_equal(rmdir(sub), 0);
	assert_int_equal(rmdir(dir), 0);
}

/* ---- the command line ---- */

/* Runs a subcommand with stdout and stderr captured; returns its exit status. */
static int run_cli(int (*cmd)(int, char **), char **argv, int argc, struct buf *out)
{
	char path[] = "/tmp/sg_clock_cli_XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	fflush(stdout);
	fflush(stderr);
	int saved_out = dup(1), saved_err = dup(2);
	dup2(fd, 1);
	dup2(fd, 2);
	int rc = cmd(argc, argv);
	fflush(stdout);
	fflush(stderr);
	dup2(saved_out, 1);
	dup2(saved_err, 2);
	close(saved_out);
	close(saved_err);
	char chunk[4096];
	ssize_t n;
	lseek(fd, 0, SEEK_SET);
	while ((n = read(fd, chunk, sizeof(chunk))) > 0)
		buf_add(out, chunk, (size_t)n);
	close(fd);
	unlink(path);
	return rc;
}

static void test_cli(void **state)
{
	(void)state;
	char rules_opt[600];
	snprintf(rules_opt, sizeof(rules_opt), "--rules=%s", rules_dir());
	static const struct {
		int calendar;
		const char *args[6];
		int rc;
		const char *want; /* the start of the output, or a substring for errors */
	} cases[] = {
		{0, {"deadline", "T-33", "2026-11-23"}, 0,
		 "due: 2026-11-26T23:59:59+00:00\n"
		 "rule: T-33 strategy meeting or discussion (routine)\n"
		 "citation: 3.4.17; 3.10.1\n"
		 "counted: 3 working days after 2026-11-23 (day 0): 2026-11-24, 2026-11-25, 2026-11-26\n"},
		{0, {"deadline", "T-33", "2026-12-23", "--variant", "all"}, 0,
		 "due: 2026-12-23T23:59:59+00:00\nrule: T-34 strategy meeting or discussion (serious risk of harm)\n"},
		{0, {"deadline", "T-54", "2026-12-03", "--variant", "rcpc"}, 0, "due: 2026-11-26T23:59:59+00:00\n"},
		{0, {"deadline", "T-06", "2026-12-24T15:00", "--stop", "2026-12-30T09:00"}, 0, "due: 2026-12-29T23:59:59"},
		{0, {"deadline", "--help"}, 0, "usage: safeguard deadline"},
		{0, {"deadline", "T-99", "2026-11-23"}, 2, "unknown rule \"T-99\""},
		{0, {"deadline", "T-33", "2026-02-30"}, 2, "not a date"},
		{0, {"deadline", "T-33", "2026-11-23", "--variant", "nope"}, 2, "no variant \"nope\""},
		{0, {"deadline", "T-33", "2026-11-23", "--frob"}, 2, "unknown option"},
		{0, {"deadline", "T-33"}, 2, "usage:"},
		{0, {"deadline", "T-33", "2026-11-23", "--stop", "2026-11-20"}, 2, "before the clock started"},
		{1, {"calendar", "working-days", "2026-12-23", "2026-12-31"}, 0, "4\n"},
		{1, {"calendar", "is-working-day", "2026-12-28"}, 0, "no: bank holiday"},
		{1, {"calendar", "is-working-day", "2026-12-29"}, 0, "yes\n"},
		{1, {"calendar", "holidays", "2027"}, 0, "2027-01-01 New Year's Day\n2027-03-26 Good Friday\n"},
		{1, {"calendar", "holidays", "20x7"}, 2, "YEAR must be"},
		{1, {"calendar", "is-working-day", "2026-13-01"}, 2, "not a date"},
		{1, {"calendar", "sideways"}, 2, "usage:"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *argv[8];
		int argc = 0;
		struct buf out = {0};
		while (argc < 6 && cases[i].args[argc]) {
			argv[argc] = (char *)cases[i].args[argc];
			argc++;
		}
		argv[argc++] = rules_opt;
		argv[argc] = NULL;
		int rc = run_cli(cases[i].calendar ? cmd_calendar : cmd_deadline, argv, argc, &out);
		if (rc != cases[i].rc)
			fail_msg("case %zu: exit %d, want %d; output: %s", i, rc, cases[i].rc, buf_str(&out));
		bool ok = cases[i].rc == 0 ? strncmp(buf_str(&out), cases[i].want, strlen(cases[i].want)) == 0
					    : strstr(buf_str(&out), cases[i].want) != NULL;
		if (!ok)
			fail_msg("case %zu: output \"%s\" does not match \"%s\"", i, buf_str(&out), cases[i].want);
		if (i == 3)
			assert_non_null(strstr(buf_str(&out), "status: late\n"));
		buf_free(&out);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_real_rules_valid),
		cmocka_unit_test(test_lookup),
		cmocka_unit_test(test_due_table),
		cmocka_unit_test(test_due_table_covers_every_rule),
		cmocka_unit_test(test_explain),
		cmocka_unit_test(test_local_closures),
		cmocka_unit_test(test_resolve_strategy_discussion),
		cmocka_unit_test(test_resolve_decision_letter_and_pickers),
		cmocka_unit_test(test_resolve_recurring_and_switches),
		cmocka_unit_test(test_backward_moves_with_meeting),
		cmocka_unit_test(test_check_and_errors),
		cmocka_unit_test(test_bad_rule_files),
		cmocka_unit_test(test_cli),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
