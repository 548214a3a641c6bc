/* Reading clocks: the deadline views (mine, my team's, the authority's, a child's) and one clock explained. */
#include <stdio.h>
#include <string.h>

#include "clock/clock.h"
#include "clock/deadline.h"
#include "core/date.h"

static json_t *row_json(struct store_stmt *s, int64_t now)
{
	int64_t started = store_col_int(s, 10), due = store_col_int(s, 8);
	const char *state = store_col_text(s, 7);
	bool running = strcmp(state, "running") == 0;
	double span = (double)(due - started);
	double progress = span > 0 ? (double)(now - started) / span : 1.0;
	if (progress < 0)
		progress = 0;
	char due_iso[MOMENT_ISO_LEN], start_iso[MOMENT_ISO_LEN], met_iso[MOMENT_ISO_LEN] = "";
	moment_format(due, due_iso);
	moment_format(started, start_iso);
	if (!store_col_is_null(s, 12))
		moment_format(store_col_int(s, 12), met_iso);
	/* status: the stored state, except that a running clock past its due moment is "breached". */
	const char *status = running && now > due ? "breached" : state;
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s?, s:s, s:s, s:s, s:s, s:s, s:s?, s:s?, s:s?, s:s?, s:b, s:s?, "
	                 "s:b, s:f, s:s?, s:s}",
	                 "id", store_col_text(s, 0), "rule_id", store_col_text(s, 1), "title", store_col_text(s, 2),
	                 "citation", store_col_text(s, 3), "child_id", store_col_text(s, 4), "child_name",
	                 store_col_text(s, 5), "case_id", store_col_text(s, 6), "state", state, "due_at", due_iso,
	                 "due_day", store_col_text(s, 9), "started_at", start_iso, "start_event", store_col_text(s, 11),
	                 "met_at", met_iso[0] ? met_iso : NULL, "responsible_user_id", store_col_text(s, 13),
	                 "responsible_name", store_col_text(s, 14), "overdue", running && now > due, "breach_reason",
	                 store_col_text(s, 15), "extended", (int)store_col_int(s, 16), "progress", progress,
	                 "variant", store_col_text(s, 17), "status", status);
}

#define CLOCK_SELECT                                                                                              \
	"SELECT k.id, k.rule_id, k.title, k.citation, k.child_id, ch.forenames || ' ' || ch.surname, k.case_id, "   \
	"k.state, k.due_at, k.due_day, k.started_at, k.start_event, k.met_at, k.responsible_user_id, "              \
	"u.display_name, k.breach_reason, k.extended, k.variant FROM clocks k JOIN children ch ON ch.id = k.child_id " \
	"LEFT JOIN users u ON u.id = k.responsible_user_id JOIN cases c ON c.id = k.case_id "

json_t *clock_list(struct store *st, const struct clock_engine *eng, const struct clock_query *q)
{
	/* One statement for every view: the scope and the window are parameters, so it is prepared once. */
	static const char sql[] = CLOCK_SELECT
		"WHERE ($1 = 'all' OR ($1 = 'user' AND k.responsible_user_id = $2) "
		"  OR ($1 = 'team' AND (c.team_id = $2 OR u.team_id = $2)) OR ($1 = 'child' AND k.child_id = $2)) "
		"AND (($3 = 'today' AND k.state = 'running' AND k.due_day = $5) "
		"  OR ($3 = 'within' AND k.state = 'running' AND k.due_at >= $4 AND k.due_day <= $6) "
		"  OR ($3 = 'overdue' AND k.state = 'running' AND k.due_at < $4) "
		"  OR ($3 = 'breached' AND (k.state = 'met_late' OR (k.state = 'running' AND k.due_at < $4)) "
		"      AND k.due_day >= $7 AND k.due_day <= $8) "
		"  OR ($3 = 'open' AND k.state = 'running') OR $3 = 'any') "
		"ORDER BY k.due_at LIMIT $9";
	static const char *const scopes[] = {"user", "team", "all", "child"};
	static const char *const windows[] = {"today", "within", "overdue", "breached", "open", "any"};
	json_t *out = json_array();
	struct store_stmt *s = store_prepare(st, sql);
	if (!s)
		return out;
	int32_t today, last;
	int h, m, sec;
	moment_to_local(q->now, &today, &h, &m, &sec);
	if (calendar_add_working_days(eng->cal, today, q->working_days > 0 ? q->working_days : 0, &last) < 0)
		last = today;
	int y, mo, d;
	date_to_ymd(today, &y, &mo, &d);
	char today_s[DATE_ISO_LEN], last_s[DATE_ISO_LEN], m0[DATE_ISO_LEN], m1[DATE_ISO_LEN];
	date_format(today, today_s);
	date_format(last, last_s);
	date_format(date_from_ymd(y, mo, 1), m0);
	date_format(date_from_ymd(y, mo, date_days_in_month(y, mo)), m1);
	store_bind_text(s, 1, scopes[q->scope]);
	store_bind_text(s, 2, q->scope_id ? q->scope_id : "");
	store_bind_text(s, 3, windows[q->window]);
	store_bind_int(s, 4, q->now);
	store_bind_text(s, 5, today_s);
	store_bind_text(s, 6, last_s);
	store_bind_text(s, 7, m0);
	store_bind_text(s, 8, m1);
	store_bind_int(s, 9, q->limit > 0 ? q->limit : 500);
	while (store_step(s) == STORE_ROW)
		json_array_append_new(out, row_json(s, q->now));
	return out;
}

json_t *clock_get(struct store *st, const struct clock_engine *eng, const char *clock_id)
{
	struct store_stmt *s = store_prepare(st, CLOCK_SELECT "WHERE k.id = $1");
	if (!s)
		return NULL;
	store_bind_text(s, 1, clock_id);
	if (store_step(s) != STORE_ROW)
		return NULL;
	json_t *c = row_json(s, moment_now());
	char rule_id[32], variant[64];
	snprintf(rule_id, sizeof rule_id, "%s", store_col_text(s, 1));
	snprintf(variant, sizeof variant, "%s", store_col_text(s, 17));
	int64_t started = store_col_int(s, 10);
	store_reset(s);
	/* How the date was reached, day by day, so anyone can check it by hand. */
	const struct clock_rule *rule;
	const struct clock_variant *v;
	if (clock_rules_find(eng->rules, rule_id, &rule, &v) == 0) {
		const struct clock_variant *dv = clock_rules_variant(rule, variant);
		struct clock_due due;
		struct buf text, err;
		buf_init(&text, 0);
		buf_init(&err, 0);
		if (dv && clock_deadline_due(rule, dv, started, eng->cal, &due, &err) == 0 &&
		    clock_deadline_explain(&due, eng->cal, &text) == 0)
			json_object_set_new(c, "explanation", json_string(buf_str(&text)));
		json_object_set_new(c, "rule_title", json_string(rule->title));
		json_object_set_new(c, "extension_allowed", json_boolean(rule->extension.allowed));
		buf_free(&text);
		buf_free(&err);
	}
	json_t *hist = json_array();
	s = store_prepare(st, "SELECT h.at, h.change, h.detail, h.due_at, u.display_name FROM clock_history h "
	                      "LEFT JOIN users u ON u.id = h.actor WHERE h.clock_id = $1 ORDER BY h.at, h.id");
	if (s) {
		store_bind_text(s, 1, clock_id);
		while (store_step(s) == STORE_ROW) {
			char at[MOMENT_ISO_LEN], due[MOMENT_ISO_LEN] = "";
			moment_format(store_col_int(s, 0), at);
			if (!store_col_is_null(s, 3))
				moment_format(store_col_int(s, 3), due);
			json_array_append_new(hist, json_pack("{s:s, s:s, s:s?, s:s?, s:s?}", "at", at, "change",
			                                      store_col_text(s, 1), "detail", store_col_text(s, 2), "due_at",
			                                      due[0] ? due : NULL, "by", store_col_text(s, 4)));
		}
	}
	json_object_set_new(c, "history", hist);
	return c;
}
