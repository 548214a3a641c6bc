/* Visits to a child on a plan (ST-20): at least every 4 weeks (4.8.2, a clock: T-62); the child seen alone, and the
 * bedroom seen, at least every other visit (5.4.5); babies seen awake (5.4.5); two visits in a row without access
 * raise an alert (5.5.2, R-75). Rules that count across visits warn and are recorded; they never block a visit. */
#include <stdio.h>
#include <string.h>

#include "api/command.h"
#include "core/date.h"
#include "domain/enums.h"
#include "pathway/back.h"

/* What each visit outcome (3.24) means for the rules. */
static const struct {
	const char *code;
	bool seen, alone, asleep, no_access;
} outcomes[] = {
	{"SEEN_ALONE", true, true, false, false},
	{"SEEN_WITH_OTHERS", true, false, false, false},
	{"SEEN_ASLEEP", true, false, true, false},
	{"NOT_SEEN_NO_ACCESS", false, false, false, true},
	{"NOT_SEEN_CHILD_ABSENT", false, false, false, false},
};

static int outcome_index(const char *code)
{
	for (size_t i = 0; code && i < sizeof outcomes / sizeof outcomes[0]; i++)
		if (strcmp(outcomes[i].code, code) == 0)
			return (int)i;
	return -1;
}

struct earlier {
	bool any;              /* a visit before this one */
	int no_access_run;     /* consecutive no-access visits immediately before this one */
	bool seen_any;         /* a visit before this one where the child was seen */
	bool seen_alone;       /* ... and at that last seen visit: seen alone */
	bool bedroom;          /* ... bedroom seen */
	int64_t seen_at;       /* ... when */
};

static void look_back(struct http_request *req, const char *plan_id, const char *visit_at, struct earlier *e)
{
	memset(e, 0, sizeof *e);
	struct store_stmt *s = store_prepare(
		req->store, "SELECT outcome, bedroom_seen, visit_at, consecutive_no_access FROM plan_visits "
		            "WHERE plan_id = $1 AND visit_at < $2 ORDER BY visit_at DESC");
	if (!s)
		return;
	store_bind_text(s, 1, plan_id);
	store_bind_text(s, 2, visit_at);
	while (store_step(s) == STORE_ROW) {
		int k = outcome_index(store_col_text(s, 0));
		if (!e->any)
			e->no_access_run = k >= 0 && outcomes[k].no_access ? (int)store_col_int(s, 3) : 0;
		e->any = true;
		if (k >= 0 && outcomes[k].seen) {
			e->seen_any = true;
			e->seen_alone = outcomes[k].alone;
			e->bedroom = store_col_int(s, 1) != 0;
			moment_parse(store_col_text(s, 2), &e->seen_at);
			store_reset(s);
			break;
		}
	}
}

static int64_t plan_start(struct http_request *req, json_t *p)
{
	const char *conf = back_str(p, "conference_id");
	const char *held = conf ? back_lookup(req, "SELECT held_at FROM conferences WHERE id = $1", conf) : NULL;
	int64_t t = 0;
	if (held)
		moment_parse(held, &t);
	return t;
}

/* The rules that look across visits. Returns this visit's run of visits without access. */
static int across_visits(struct http_request *req, struct back_out *o, json_t *p, json_t *in, int k, int64_t at,
                         const struct earlier *e)
{
	const char *child = back_str(p, "child_id"), *case_id = back_str(p, "case_id");
	int run = outcomes[k].no_access ? e->no_access_run + 1 : 0;
	if (run >= 2)
		back_warn(o, child, case_id, "alert", "R-75", "5.2.2; 5.5.1; 5.5.2",
		          "%d visits in a row without access: tell the lead social worker, the manager and the core group "
		          "now; agree an action plan with the police and consider an early review and a strategy discussion",
		          run);
	if (!outcomes[k].seen)
		return run;
	bool bedroom = back_bool(in, "bedroom_seen");
	if (e->seen_any && !e->seen_alone && !outcomes[k].alone)
		back_warn(o, child, case_id, "warning", "R-74", "5.4.5",
		          "The child has not been seen alone on two visits in a row: see them alone at least every other visit");
	if (e->seen_any && !e->bedroom && !bedroom)
		back_warn(o, child, case_id, "warning", "R-74", "5.4.5",
		          "The child's bedroom has not been seen on two visits in a row: see it at least every other visit");
	int age = back_age_years(req, child, date_today());
	if (age >= 0 && age < 2 && (outcomes[k].asleep || json_is_false(json_object_get(in, "infant_seen_awake"))))
		back_warn(o, child, case_id, "warning", "R-74", "5.4.5", "A baby must be seen awake: visit again soon");
	json_t *weeks = json_object_get(p, "visit_frequency_weeks");
	int64_t since = e->seen_any ? e->seen_at : plan_start(req, p);
	if (since && json_is_integer(weeks) && at - since > json_integer_value(weeks) * 7 * 86400 + 86400)
		back_warn(o, child, case_id, "warning", "R-74", "4.8.2; 5.4.5",
		          "This visit came more than %lld weeks after the child was last seen, the interval the plan sets",
		          (long long)json_integer_value(weeks));
	return run;
}

void visit_record(struct http_request *req, const char *plan_id, json_t *in, struct back_out *o)
{
	json_t *p = plan_load(req, plan_id, "visit.record", o);
	if (!p)
		return;
	if (strcmp(back_str(p, "status"), "ENDED") == 0) {
		back_fail(o, 409, NULL, "The plan has ended");
		json_decref(p);
		return;
	}
	if (back_begin(req, o) < 0) {
		json_decref(p);
		return;
	}
	back_validate(req, o, &back_visit, in, false);
	int64_t at = 0;
	back_moment(in, "visit_at", &at);
	int k = outcome_index(back_str(in, "outcome"));
	if (o->status == BACK_OK) {
		if (at > moment_now() + 60)
			back_fail(o, 422, "visit_at", "A visit cannot be recorded before it happens");
		else if (at < plan_start(req, p))
			back_fail(o, 422, "visit_at", "This visit is before the conference that made the plan");
		if (k >= 0 && outcomes[k].no_access && !back_str(in, "no_access_reason"))
			back_refuse(o, 422, "no_access_reason", "R-75", "5.5.2", "Say what happened when there was no access");
	}
	const char *child = back_str(p, "child_id"), *case_id = back_str(p, "case_id");
	char iso[MOMENT_ISO_LEN];
	moment_format(at, iso);
	int run = 0;
	if (o->status == BACK_OK) {
		struct earlier e;
		look_back(req, plan_id, iso, &e);
		run = across_visits(req, o, p, in, k, at, &e);
		char runs[16];
		snprintf(runs, sizeof runs, "%d", run);
		json_object_set_new(in, "visit_at", json_string(iso)); /* one text form, so visits order by time */
		struct http_kv extra[] = {{"plan_id", plan_id}, {"child_id", child}, {"case_id", case_id},
		                          {"visitor_user_id", req->user.id}, {"consecutive_no_access", runs}};
		int rc = record_insert(req->store, &back_visit, in, extra, 5, req->user.id, o->id);
		if (rc != STORE_OK)
			back_store_fail(o, rc);
	}
	/* Only a visit where the child is seen satisfies the visiting clock (4.8.2). */
	if (o->status == BACK_OK && outcomes[k].seen && back_clock(req, o, case_id, child, "visit_made", at, NULL, NULL) < 0)
		goto out;
	if (o->status == BACK_OK &&
	    back_chronology(req, o, child, case_id, iso, "visit", run >= 2 ? "critical" : "routine",
	                    run >= 2 ? "Second visit in a row without access: alert raised"
	                             : arena_printf(&req->arena, "Visit: %s", enums_label("visit_outcome", outcomes[k].code)),
	                    "visit", o->id) == 0 &&
	    back_audit(req, o, "create", "visit", o->id, child) == 0)
		back_commit(req, o, "visit", o->id);
out:
	if (o->status != BACK_OK)
		store_rollback(req->store);
	else
		o->result = record_get(req->store, &back_visit, o->id);
	json_decref(p);
}

static void h_record(struct http_request *req)
{
	back_api_run(req, visit_record, 201);
}

static void h_list(struct http_request *req)
{
	struct back_out o;
	back_out_init(&o);
	json_t *p = plan_load(req, http_param(req, 0), "child.read", &o);
	if (p) {
		o.result = json_pack("{s:o}", "items",
		                     record_list(req->store, &back_visit, "plan_id", http_param(req, 0), "visit_at DESC", 1000));
		command_audit_read(req, "visit", NULL, back_str(p, "child_id"));
		json_decref(p);
	}
	back_api_answer(req, &o, 200);
	back_out_free(&o);
}

const struct route visit_routes[] = {
	{HTTP_POST, "/api/v1/plans/:id/visits", h_record, "visit.record"},
	{HTTP_GET, "/api/v1/plans/:id/visits", h_list, "child.read"},
	{0},
};
