/* The clock engine on cases: events in, clock rows and their history out (see clock.h). */
#include "clock/clock.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock/deadline.h"
#include "core/date.h"
#include "core/id.h"
#include "core/xmalloc.h"

#define MAX_CASE_EVENTS 512
#define MAX_RULES_PER_EVENT 32

/* The events recorded on a case so far, as deadline starts. Strings are owned here. */
struct case_starts {
	struct clock_start s[MAX_CASE_EVENTS];
	char *codes[MAX_CASE_EVENTS];
	size_t n;
};

static void starts_free(struct case_starts *cs)
{
	for (size_t i = 0; i < cs->n; i++)
		free(cs->codes[i]);
	cs->n = 0;
}

static int load_starts(struct store *st, const char *case_id, struct case_starts *cs)
{
	struct store_stmt *s = store_prepare(st, "SELECT event, at FROM case_events WHERE case_id = $1 ORDER BY at");
	if (!s)
		return -1;
	store_bind_text(s, 1, case_id);
	cs->n = 0;
	while (store_step(s) == STORE_ROW) {
		if (cs->n == MAX_CASE_EVENTS) {
			store_reset(s);
			break;
		}
		cs->codes[cs->n] = xstrdup(store_col_text(s, 0));
		cs->s[cs->n].event = cs->codes[cs->n];
		cs->s[cs->n].at = store_col_int(s, 1);
		cs->n++;
	}
	return 0;
}

static int history(struct store *st, const char *clock_id, int64_t at, const char *change, const char *detail,
                   int64_t due, const char *actor)
{
	struct store_stmt *s = store_prepare(
		st, "INSERT INTO clock_history (id, clock_id, at, change, detail, due_at, actor) "
		    "VALUES ($1, $2, $3, $4, $5, $6, $7)");
	if (!s)
		return -1;
	char id[ID_MAX];
	id_new("clh", id);
	store_bind_text(s, 1, id);
	store_bind_text(s, 2, clock_id);
	store_bind_int(s, 3, at);
	store_bind_text(s, 4, change);
	store_bind_text(s, 5, detail);
	if (due)
		store_bind_int(s, 6, due);
	else
		store_bind_null(s, 6);
	store_bind_text(s, 7, actor);
	return store_step(s) == STORE_DONE ? 0 : -1;
}

static bool has_event(const struct case_starts *cs, const char *code)
{
	for (size_t i = 0; i < cs->n; i++)
		if (strcmp(cs->s[i].event, code) == 0)
			return true;
	return false;
}

static bool variant_startable(const struct clock_variant *v, const struct case_starts *cs)
{
	if (!v->enabled)
		return false;
	for (int i = 0; i < v->n_start_events; i++)
		if (has_event(cs, v->start_events[i]))
			return true;
	return false;
}

static bool in_csv(const char *csv, const char *code)
{
	size_t n = strlen(code);
	for (const char *p = csv; p && *p;) {
		const char *end = strchr(p, ',');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		if (len == n && strncmp(p, code, n) == 0)
			return true;
		p = end ? end + 1 : NULL;
	}
	return false;
}

/* Whether this event starts the variant; for a recurring rule each occurrence (a stop event) restarts it too. */
static bool starts_on(const struct clock_rule *rule, const struct clock_variant *v, const char *event)
{
	for (int i = 0; i < v->n_start_events; i++)
		if (strcmp(v->start_events[i], event) == 0)
			return true;
	for (int i = 0; rule->kind == CLOCK_RECURRING && i < rule->n_stop_events; i++)
		if (strcmp(rule->stop_events[i], event) == 0)
			return true;
	return false;
}

/* The variant codes to consider. Named ones (the event's, "*" for every variant this event starts, and those
 * recorded on a running clock in prior_csv) come first. With none named, the one binding variant this event
 * starts is taken; when the event starts several competing ones (a strategy discussion's categories, an initial
 * or review conference), nothing starts until the pathway names which apply. Advisory variants ride along.
 * Only variants whose start event has been recorded on the case are kept. Returns 0 when no binding variant
 * remains. */
static size_t choose_codes(const struct clock_rule *rule, const struct clock_event_record *ev, const char *prior_csv,
                           const struct case_starts *cs, const char **codes)
{
	bool all = false, named_any = prior_csv && *prior_csv;
	for (int k = 0; k < ev->n_variants; k++) {
		if (strcmp(ev->variants[k], "*") == 0)
			all = true;
		else if (clock_rules_variant(rule, ev->variants[k]))
			named_any = true;
	}
	int single = -1, binding_here = 0;
	for (int i = 0; i < rule->n_variants; i++) {
		const struct clock_variant *v = &rule->variants[i];
		if (v->enabled && !v->advisory && starts_on(rule, v, ev->event)) {
			binding_here++;
			single = i;
		}
	}
	size_t n = 0;
	bool binding = false;
	for (int i = 0; i < rule->n_variants; i++) {
		const struct clock_variant *v = &rule->variants[i];
		bool wanted = v->advisory || in_csv(prior_csv, v->code) || (all && starts_on(rule, v, ev->event));
		for (int k = 0; k < ev->n_variants && !wanted; k++)
			wanted = strcmp(ev->variants[k], v->code) == 0;
		if (!named_any && !all && binding_here == 1 && i == single)
			wanted = true;
		if (wanted && variant_startable(v, cs)) {
			codes[n++] = v->code;
			binding = binding || !v->advisory;
		}
	}
	return binding ? n : 0;
}

static void csv_of(const char **codes, size_t n, char *out, size_t cap)
{
	size_t len = 0;
	out[0] = '\0';
	for (size_t i = 0; i < n && len + 1 < cap; i++)
		len += (size_t)snprintf(out + len, cap - len, "%s%s", i ? "," : "", codes[i]);
}

static const char *clock_title(const struct clock_rule *rule, const struct clock_variant *v, char *out, size_t cap)
{
	if (v->title && rule->n_variants > 1)
		snprintf(out, cap, "%s (%s)", rule->title, v->title);
	else
		snprintf(out, cap, "%s", rule->title);
	return out;
}

static const char *case_worker(struct store *st, const char *case_id, char out[ID_MAX + 8])
{
	struct store_stmt *s = store_prepare(st, "SELECT allocated_user_id FROM cases WHERE id = $1");
	out[0] = '\0';
	if (!s)
		return NULL;
	store_bind_text(s, 1, case_id);
	if (store_step(s) == STORE_ROW && !store_col_is_null(s, 0))
		snprintf(out, ID_MAX + 8, "%s", store_col_text(s, 0));
	store_reset(s);
	return out[0] ? out : NULL;
}

/* Stops the running clocks on the case that this event satisfies. */
static int stop_clocks(struct store *st, const struct clock_engine *eng, const struct clock_event_record *ev,
                       int *stopped, struct buf *err)
{
	struct store_stmt *s = store_prepare(
		st, "SELECT id, rule_id, subject_id, started_at, due_at FROM clocks WHERE case_id = $1 AND state = 'running'");
	if (!s)
		return -1;
	store_bind_text(s, 1, ev->case_id);
	struct hit {
		char id[ID_MAX];
		int64_t due;
	} hits[64];
	int nhits = 0, rc = 0;
	while (store_step(s) == STORE_ROW) {
		const struct clock_rule *rule;
		const struct clock_variant *v;
		if (clock_rules_find(eng->rules, store_col_text(s, 1), &rule, &v) < 0)
			continue;
		bool stops = false;
		for (int i = 0; i < rule->n_stop_events; i++)
			stops = stops || strcmp(rule->stop_events[i], ev->event) == 0;
		if (!stops)
			continue;
		const char *subject = store_col_text(s, 2);
		if (subject && ev->subject_id && strcmp(subject, ev->subject_id) != 0)
			continue;
		if (rule->kind != CLOCK_BACKWARD && ev->at < store_col_int(s, 3)) {
			char when[MOMENT_ISO_LEN];
			moment_format(store_col_int(s, 3), when);
			buf_addf(err, "%s cannot be recorded before %s started the clock '%s' (%s)", ev->event, when,
			         rule->id, rule->title);
			rc = -1;
			continue;
		}
		if (nhits < 64) {
			snprintf(hits[nhits].id, ID_MAX, "%s", store_col_text(s, 0));
			hits[nhits].due = store_col_int(s, 4);
			nhits++;
		}
	}
	if (rc < 0)
		return -1;
	for (int i = 0; i < nhits; i++) {
		const char *state = ev->at <= hits[i].due ? "met" : "met_late";
		struct store_stmt *u = store_prepare(
			st, "UPDATE clocks SET state = $1, met_at = $2, stop_event = $3, updated_at = $4 WHERE id = $5");
		if (!u)
			return -1;
		store_bind_text(u, 1, state);
		store_bind_int(u, 2, ev->at);
		store_bind_text(u, 3, ev->event);
		store_bind_int(u, 4, moment_now());
		store_bind_text(u, 5, hits[i].id);
		if (store_step(u) != STORE_DONE || history(st, hits[i].id, ev->at, state, ev->event, 0, ev->actor_user_id) < 0)
			return -1;
		if (stopped)
			(*stopped)++;
	}
	return 0;
}

/* Finds a running clock of this rule on the case (and subject); fills id and its variant csv. */
static bool find_running(struct store *st, const char *case_id, const char *rule_id, const char *subject_id,
                         char id[ID_MAX], char *variants, size_t vcap)
{
	struct store_stmt *s = store_prepare(
		st, "SELECT id, variants FROM clocks WHERE case_id = $1 AND rule_id = $2 AND state = 'running' "
		    "AND (($3 IS NULL AND subject_id IS NULL) OR subject_id = $3)");
	if (!s)
		return false;
	store_bind_text(s, 1, case_id);
	store_bind_text(s, 2, rule_id);
	store_bind_text(s, 3, subject_id);
	bool found = store_step(s) == STORE_ROW;
	if (found) {
		snprintf(id, ID_MAX, "%s", store_col_text(s, 0));
		snprintf(variants, vcap, "%s", store_col_text(s, 1) ? store_col_text(s, 1) : "");
	}
	store_reset(s);
	return found;
}

static int start_rule_from(struct store *st, const struct clock_engine *eng, const struct clock_rule *rule,
                           const struct clock_event_record *ev, const struct case_starts *cs,
                           const struct clock_start *starts, size_t nstarts, int *started, struct buf *err);

static int start_rule(struct store *st, const struct clock_engine *eng, const struct clock_rule *rule,
                      const struct clock_event_record *ev, const struct case_starts *cs, int *started,
                      struct buf *err)
{
	/* A backward clock counts from this meeting only; a forward one from what is recorded on the case, each event
	 * once, at its latest occurrence (a second conference starts its letters' clocks afresh). */
	struct clock_start own = {ev->event, ev->at};
	struct clock_start *latest = xcalloc(cs->n ? cs->n : 1, sizeof *latest);
	size_t nlatest = 0;
	for (size_t i = 0; i < cs->n; i++) {
		size_t k = 0;
		while (k < nlatest && strcmp(latest[k].event, cs->s[i].event) != 0)
			k++;
		if (k == nlatest)
			latest[nlatest++] = cs->s[i];
		else if (cs->s[i].at >= latest[k].at)
			latest[k] = cs->s[i];
	}
	const struct clock_start *starts = rule->kind == CLOCK_BACKWARD ? &own : latest;
	size_t nstarts = rule->kind == CLOCK_BACKWARD ? 1 : nlatest;
	int rc = start_rule_from(st, eng, rule, ev, cs, starts, nstarts, started, err);
	free(latest);
	return rc;
}

static int start_rule_from(struct store *st, const struct clock_engine *eng, const struct clock_rule *rule,
                           const struct clock_event_record *ev, const struct case_starts *cs,
                           const struct clock_start *starts, size_t nstarts, int *started, struct buf *err)
{
	char running[ID_MAX], prior[256] = "";
	bool exists = find_running(st, ev->case_id, rule->id, ev->subject_id, running, prior, sizeof prior);
	if (exists && rule->kind == CLOCK_RECURRING)
		return 0; /* restarted only once its stop event has closed the current one */
	const char *codes[CLOCK_MAX_VARIANTS];
	size_t ncodes = choose_codes(rule, ev, prior, cs, codes);
	if (ncodes == 0)
		return 0;
	struct clock_resolution res;
	struct buf why;
	buf_init(&why, 1024);
	int rc = clock_deadline_resolve(rule, codes, ncodes, starts, nstarts, eng->cal, &res, &why);
	if (rc < 0) {
		buf_addf(err, "clock %s: %s", rule->id, buf_str(&why));
		buf_free(&why);
		return -1;
	}
	buf_free(&why);
	const struct clock_due *d = &res.candidates[res.driving];
	char csv[256], title[400], day[DATE_ISO_LEN], worker[ID_MAX + 8];
	csv_of(codes, ncodes, csv, sizeof csv);
	clock_title(rule, d->variant, title, sizeof title);
	date_format(d->due_day, day);
	int64_t now = moment_now();
	const char *citation = d->variant->citation ? d->variant->citation : rule->citation;
	if (exists) {
		struct store_stmt *u = store_prepare(
			st, "UPDATE clocks SET variant = $1, variants = $2, title = $3, citation = $4, start_event = $5, "
			    "started_at = $6, due_at = $7, due_day = $8, updated_at = $9 WHERE id = $10 AND extended = 0");
		if (!u)
			return -1;
		store_bind_text(u, 1, d->variant->code);
		store_bind_text(u, 2, csv);
		store_bind_text(u, 3, title);
		store_bind_text(u, 4, citation);
		store_bind_text(u, 5, d->start_event);
		store_bind_int(u, 6, d->start);
		store_bind_int(u, 7, d->due);
		store_bind_text(u, 8, day);
		store_bind_int(u, 9, now);
		store_bind_text(u, 10, running);
		if (store_step(u) != STORE_DONE)
			return -1;
		return history(st, running, ev->at, rule->kind == CLOCK_BACKWARD ? "moved" : "recomputed", ev->event,
		               d->due, ev->actor_user_id);
	}
	char id[ID_MAX];
	id_new("clk", id);
	const char *owner = ev->responsible_user_id ? ev->responsible_user_id : case_worker(st, ev->case_id, worker);
	struct store_stmt *ins = store_prepare(
		st, "INSERT INTO clocks (id, case_id, child_id, rule_id, variant, variants, subject_id, title, citation, "
		    "start_event, started_at, due_at, due_day, original_due_at, state, responsible_user_id, "
		    "responsible_role, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, "
		    "$13, $12, 'running', $14, $15, $16, $16)");
	if (!ins)
		return -1;
	store_bind_text(ins, 1, id);
	store_bind_text(ins, 2, ev->case_id);
	store_bind_text(ins, 3, ev->child_id);
	store_bind_text(ins, 4, rule->id);
	store_bind_text(ins, 5, d->variant->code);
	store_bind_text(ins, 6, csv);
	store_bind_text(ins, 7, ev->subject_id);
	store_bind_text(ins, 8, title);
	store_bind_text(ins, 9, citation);
	store_bind_text(ins, 10, d->start_event ? d->start_event : ev->event);
	store_bind_int(ins, 11, d->start);
	store_bind_int(ins, 12, d->due);
	store_bind_text(ins, 13, day);
	store_bind_text(ins, 14, owner);
	store_bind_text(ins, 15, d->variant->responsible_role ? d->variant->responsible_role : rule->responsible_role);
	store_bind_int(ins, 16, now);
	if (store_step(ins) != STORE_DONE)
		return -1;
	if (started)
		(*started)++;
	return history(st, id, ev->at, "started", ev->event, d->due, ev->actor_user_id);
}

static bool condition_holds(const struct clock_rule *rule, const struct clock_event_record *ev)
{
	if (!rule->applies_when)
		return true;
	for (int i = 0; i < ev->n_conditions; i++)
		if (strcmp(ev->conditions[i], rule->applies_when) == 0)
			return true;
	return false;
}

int clock_record_event(struct store *st, const struct clock_engine *eng, const struct clock_event_record *ev,
                       int *started, int *stopped, struct buf *err)
{
	if (!clock_rules_event_known(eng->rules, ev->event)) {
		buf_addf(err, "unknown clock event '%s'", ev->event);
		return -1;
	}
	char id[ID_MAX], csv[256];
	id_new("cev", id);
	csv_of((const char **)ev->variants, (size_t)ev->n_variants, csv, sizeof csv);
	struct store_stmt *s = store_prepare(
		st, "INSERT INTO case_events (id, case_id, child_id, event, at, subject_id, variants, recorded_by, "
		    "recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)");
	if (!s)
		return -1;
	store_bind_text(s, 1, id);
	store_bind_text(s, 2, ev->case_id);
	store_bind_text(s, 3, ev->child_id);
	store_bind_text(s, 4, ev->event);
	store_bind_int(s, 5, ev->at);
	store_bind_text(s, 6, ev->subject_id);
	store_bind_text(s, 7, ev->n_variants ? csv : NULL);
	store_bind_text(s, 8, ev->actor_user_id);
	store_bind_int(s, 9, moment_now());
	if (store_step(s) != STORE_DONE) {
		buf_addf(err, "cannot record the event: %s", store_errmsg(st));
		return -1;
	}
	if (stop_clocks(st, eng, ev, stopped, err) < 0)
		return -1;
	const struct clock_rule *rules[MAX_RULES_PER_EVENT];
	size_t n = clock_rules_by_start_event(eng->rules, ev->event, rules, MAX_RULES_PER_EVENT);
	if (n > MAX_RULES_PER_EVENT)
		n = MAX_RULES_PER_EVENT;
	struct case_starts *cs = xcalloc(1, sizeof *cs);
	int rc = load_starts(st, ev->case_id, cs);
	for (size_t i = 0; rc == 0 && i < n; i++)
		if (rules[i]->enabled && condition_holds(rules[i], ev))
			rc = start_rule(st, eng, rules[i], ev, cs, started, err);
	starts_free(cs);
	free(cs);
	if (rc < 0 && !err->len)
		buf_addf(err, "cannot update the clocks: %s", store_errmsg(st));
	return rc;
}

/* Reads a clock's rule id, state and due moment. 1 found, 0 not, -1 error. */
static int clock_row(struct store *st, const char *clock_id, char rule_id[32], char state[16], int64_t *due)
{
	struct store_stmt *s = store_prepare(st, "SELECT rule_id, state, due_at FROM clocks WHERE id = $1");
	if (!s)
		return -1;
	store_bind_text(s, 1, clock_id);
	int found = store_step(s) == STORE_ROW;
	if (found) {
		snprintf(rule_id, 32, "%s", store_col_text(s, 0));
		snprintf(state, 16, "%s", store_col_text(s, 1));
		*due = store_col_int(s, 2);
	}
	store_reset(s);
	return found;
}

/* Whether one of the actor's spec roles (from rules/roles.json, comma-separated) may authorise the extension. */
static bool role_may_authorise(const struct clock_extension *x, const char *actor_spec_roles)
{
	for (int i = 0; i < x->n_authorised_by_roles; i++)
		if (in_csv(actor_spec_roles, x->authorised_by_roles[i]))
			return true;
	return false;
}

int clock_extend(struct store *st, const struct clock_engine *eng, const char *clock_id, int64_t new_due,
                 const char *reason, const char *actor_user_id, const char *actor_spec_roles, struct buf *err)
{
	char rule_id[32], state[16];
	int64_t due;
	int found = clock_row(st, clock_id, rule_id, state, &due);
	if (found <= 0) {
		buf_adds(err, found < 0 ? "cannot read the clock" : "there is no such clock");
		return -1;
	}
	const struct clock_rule *rule;
	const struct clock_variant *v;
	if (clock_rules_find(eng->rules, rule_id, &rule, &v) < 0) {
		buf_addf(err, "the rule %s of this clock is no longer configured", rule_id);
		return -1;
	}
	if (!rule->extension.allowed) {
		buf_addf(err, "%s (%s) cannot be extended: record a reason for the delay instead", rule->id, rule->title);
		return -1;
	}
	if (strcmp(state, "running") != 0) {
		buf_addf(err, "only a running clock can be extended; this one is %s", state);
		return -1;
	}
	if (!role_may_authorise(&rule->extension, actor_spec_roles)) {
		buf_addf(err, "an extension of %s must be authorised by a manager (%s)", rule->id,
		         rule->extension.citation ? rule->extension.citation : rule->citation);
		return -1;
	}
	if (!reason || !*reason) {
		buf_adds(err, "give the reason for the extension");
		return -1;
	}
	if (new_due <= due) {
		buf_adds(err, "the new date must be later than the current due date");
		return -1;
	}
	char day[DATE_ISO_LEN];
	int32_t d;
	int h, m, sec;
	moment_to_local(new_due, &d, &h, &m, &sec);
	date_format(d, day);
	struct store_stmt *u = store_prepare(
		st, "UPDATE clocks SET due_at = $1, due_day = $2, extended = 1, extension_reason = $3, extension_by = $4, "
		    "updated_at = $5 WHERE id = $6");
	if (!u)
		return -1;
	store_bind_int(u, 1, new_due);
	store_bind_text(u, 2, day);
	store_bind_text(u, 3, reason);
	store_bind_text(u, 4, actor_user_id);
	store_bind_int(u, 5, moment_now());
	store_bind_text(u, 6, clock_id);
	if (store_step(u) != STORE_DONE)
		return -1;
	return history(st, clock_id, moment_now(), "extended", reason, new_due, actor_user_id);
}

int clock_record_breach_reason(struct store *st, const char *clock_id, const char *reason, const char *actor_user_id,
                               struct buf *err)
{
	char rule_id[32], state[16];
	int64_t due;
	int found = clock_row(st, clock_id, rule_id, state, &due);
	if (found <= 0) {
		buf_adds(err, found < 0 ? "cannot read the clock" : "there is no such clock");
		return -1;
	}
	bool late = strcmp(state, "met_late") == 0 || (strcmp(state, "running") == 0 && moment_now() > due);
	if (!late) {
		buf_adds(err, "a reason for a breach can be recorded only once the clock is overdue or was met late");
		return -1;
	}
	if (!reason || !*reason) {
		buf_adds(err, "give the reason the deadline was missed");
		return -1;
	}
	struct store_stmt *u =
		store_prepare(st, "UPDATE clocks SET breach_reason = $1, updated_at = $2 WHERE id = $3");
	if (!u)
		return -1;
	store_bind_text(u, 1, reason);
	store_bind_int(u, 2, moment_now());
	store_bind_text(u, 3, clock_id);
	if (store_step(u) != STORE_DONE)
		return -1;
	return history(st, clock_id, moment_now(), "breach_reason", reason, 0, actor_user_id);
}

int clock_stop(struct store *st, const char *clock_id, const char *reason, const char *actor_user_id, struct buf *err)
{
	char rule_id[32], state[16];
	int64_t due;
	int found = clock_row(st, clock_id, rule_id, state, &due);
	if (found <= 0) {
		buf_adds(err, found < 0 ? "cannot read the clock" : "there is no such clock");
		return -1;
	}
	if (strcmp(state, "running") != 0) {
		buf_addf(err, "only a running clock can be stopped; this one is %s", state);
		return -1;
	}
	if (!reason || !*reason) {
		buf_adds(err, "give the reason the clock no longer applies");
		return -1;
	}
	struct store_stmt *u = store_prepare(
		st, "UPDATE clocks SET state = 'stopped', stop_reason = $1, updated_at = $2 WHERE id = $3");
	if (!u)
		return -1;
	store_bind_text(u, 1, reason);
	store_bind_int(u, 2, moment_now());
	store_bind_text(u, 3, clock_id);
	if (store_step(u) != STORE_DONE)
		return -1;
	return history(st, clock_id, moment_now(), "stopped", reason, 0, actor_user_id);
}
