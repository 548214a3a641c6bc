/* The conference itself: the quorum (4.3.3, 4.3.10-4.3.12), the chair's independence (4.8.1), the decision for each
 * child with each agency's view and any dissent (4.9, 4.10, 4.11, 4.1.19), and the dissent escalation (ST-25).
 * Recording the decision holds the conference: clocks, stage transitions, plans, chronology and audit, at once. */
#include <stdio.h>
#include <string.h>

#include "core/date.h"
#include "domain/enums.h"
#include "pathway/back.h"
#include "pathway/stage.h"
#include "policy/policy.h"

static int64_t count2(struct http_request *req, const char *sql, const char *a, const char *b)
{
	struct store_stmt *s = store_prepare(req->store, sql);
	if (!s)
		return -1;
	store_bind_text(s, 1, a);
	store_bind_text(s, 2, b);
	int64_t n = store_step(s) == STORE_ROW ? store_col_int(s, 0) : -1;
	store_reset(s);
	return n;
}

bool decision_chair_independent(struct http_request *req, const char *chair_user_id, json_t *children,
                                struct back_out *o)
{
	static const char *const checks[] = {
		"SELECT COUNT(*) FROM cases WHERE child_id = $1 AND (allocated_user_id = $2 OR created_by = $2)",
		"SELECT COUNT(*) FROM cases c JOIN users u ON u.id = $2 WHERE c.child_id = $1 AND c.team_id = u.team_id",
		"SELECT COUNT(*) FROM cases c JOIN teams t ON t.id = c.team_id WHERE c.child_id = $1 AND t.manager_id = $2",
		/* Moving the case as a conference's chair is not responsibility for the case (4.8.1: the same chair again
		 * where possible). */
		"SELECT COUNT(*) FROM stage_transitions WHERE child_id = $1 AND actor_user_id = $2 "
		"AND (source_type IS NULL OR source_type <> 'conference')",
	};
	size_t i;
	json_t *k;
	json_array_foreach(children, i, k) {
		const char *child = json_string_value(json_object_get(k, "child_id"));
		for (size_t c = 0; c < sizeof checks / sizeof checks[0]; c++) {
			if (count2(req, checks[c], child, chair_user_id) != 0) {
				if (o)
					back_refuse(o, 422, "chair_user_id", "R-54", "4.8.1",
					            "The chair has had operational or line-management responsibility for %s's case: "
					            "choose an independent chair",
					            json_string_value(json_object_get(k, "name")));
				return false;
			}
		}
	}
	return true;
}

/* ---- quorum ---- */

static bool present(const char *mode)
{
	static const char *const modes[] = {"IN_PERSON", "CONFERENCE_CALL", "PART_ATTENDANCE",
	                                    "APOLOGIES_WITH_REPORT_AND_DELEGATE", NULL};
	for (const char *const *m = modes; mode && *m; m++)
		if (strcmp(*m, mode) == 0)
			return true;
	return false;
}

/* People at the conference who do not speak for an agency: the chair and the conference's own staff, observers
 * and interpreters (4.3.5, 4.14.3), and the family and its supporters. */
static bool represents_agency(const char *role)
{
	static const char *const not_agency[] = {"CHAIR", "MINUTE_TAKER", "CONF_ADMINISTRATOR", "PROFESSIONAL_OBSERVER",
	                                         "INTERPRETER", "PARENT", "PERSON_WITH_PR", "FAMILY_MEMBER", "CHILD",
	                                         "CHILD_REPRESENTATIVE_ADVOCATE", "SUPPORTER", "SOLICITOR", NULL};
	for (const char *const *r = not_agency; *r; r++)
		if (strcmp(*r, role) == 0)
			return false;
	return true;
}

json_t *decision_quorum(struct http_request *req, const char *conf_id)
{
	json_t *q = json_object(), *others = json_array(), *problems = json_array();
	const char *type = back_lookup(req, "SELECT conf_type FROM conferences WHERE id = $1", conf_id);
	const char *chair = back_lookup(req, "SELECT chair_user_id FROM conferences WHERE id = $1", conf_id);
	const char *confirmed = back_lookup(req, "SELECT chair_independence_confirmed FROM conferences WHERE id = $1",
	                                    conf_id);
	bool police_required = back_conf_kind(type) != CONF_KIND_REVIEW;
	bool csc = false, police = false;
	struct store_stmt *s = store_prepare(
		req->store, "SELECT i.attendee_role, i.agency_id, a.agency_type, a.name, i.attendance, i.direct_contact "
		            "FROM conference_invitations i LEFT JOIN agencies a ON a.id = i.agency_id "
		            "WHERE i.conference_id = $1");
	if (s) {
		store_bind_text(s, 1, conf_id);
		while (store_step(s) == STORE_ROW) {
			const char *role = store_col_text(s, 0), *agency = store_col_text(s, 1);
			const char *atype = store_col_text(s, 2), *aname = store_col_text(s, 3);
			if (!present(store_col_text(s, 4)) || !represents_agency(role))
				continue;
			bool is_csc = (atype && strcmp(atype, "CSC") == 0) ||
			              (!agency && (strcmp(role, "CSC_SW") == 0 || strcmp(role, "CSC_FLM") == 0));
			bool is_police = (atype && strcmp(atype, "POLICE") == 0) || (!agency && strcmp(role, "POLICE") == 0);
			csc = csc || is_csc;
			police = police || is_police;
			/* Other agencies count once each, and only with direct contact with the children (4.3.10). */
			if (is_csc || !agency || !store_col_int(s, 5))
				continue;
			bool seen = false;
			size_t i;
			json_t *v;
			json_array_foreach(others, i, v) seen = seen || strcmp(json_string_value(json_object_get(v, "id")), agency) == 0;
			if (!seen)
				json_array_append_new(others, json_pack("{s:s, s:s}", "id", agency, "name", aname ? aname : ""));
		}
	}
	bool quorate = csc && json_array_size(others) >= 2;
	if (!csc)
		json_array_append_new(problems, json_string("Children's social care is not present (4.3.10)"));
	if (json_array_size(others) < 2)
		json_array_append_new(problems, json_sprintf("%zu other agencies with direct contact with each child are "
		                                             "present; at least two are needed (4.3.10)",
		                                             json_array_size(others)));
	if (police_required && !police)
		json_array_append_new(problems, json_string("The police are not present: every initial conference must "
		                                            "have them (4.3.3)"));
	json_t *kids = conference_children(req, conf_id);
	bool independent = chair && decision_chair_independent(req, chair, kids, NULL);
	json_decref(kids);
	bool chair_ok = chair && independent && confirmed && strcmp(confirmed, "1") == 0;
	if (!chair)
		json_array_append_new(problems, json_string("No chair is named (4.8.1)"));
	else if (!chair_ok)
		json_array_append_new(problems, json_string("The chair's independence is not confirmed (4.8.1)"));
	json_object_set_new(q, "quorate", json_boolean(quorate));
	json_object_set_new(q, "csc_present", json_boolean(csc));
	json_object_set_new(q, "police_present", json_boolean(police));
	json_object_set_new(q, "police_required", json_boolean(police_required));
	json_object_set_new(q, "other_agencies", others);
	json_object_set_new(q, "chair_independent", json_boolean(chair_ok));
	json_object_set_new(q, "can_decide_fully", json_boolean(quorate && (police || !police_required) && chair_ok));
	json_object_set_new(q, "problems", problems);
	return q;
}

/* ---- the decision for each child ---- */

bool decision_is_plan(const char *d)
{
	return strcmp(d, "ICPC_PLAN") == 0 || strcmp(d, "ICPC_INQUORATE_INTERIM_PLAN") == 0 ||
	       strcmp(d, "RCPC_CONTINUE") == 0 || strcmp(d, "RCPC_CONTINUE_AMENDED") == 0;
}

static void need(struct back_out *o, json_t *d, int idx, const char *key, const char *rule, const char *citation,
                 const char *message)
{
	json_t *v = json_object_get(d, key);
	if (!v || json_is_null(v) || (json_is_string(v) && !*json_string_value(v))) {
		char f[64];
		snprintf(f, sizeof f, "c%d_%s", idx, key);
		back_refuse(o, 422, f, rule, citation, "%s", message);
	}
}

static void field_error(struct back_out *o, int idx, const char *key, const char *rule, const char *citation,
                        const char *message)
{
	char f[64];
	snprintf(f, sizeof f, "c%d_%s", idx, key);
	back_refuse(o, 422, f, rule, citation, "%s", message);
}

/* A moment, or the end of a date's day (London), from the decision. */
static int64_t when_of(json_t *d, const char *key)
{
	int64_t t = 0;
	const char *s = json_string_value(json_object_get(d, key));
	if (!s)
		return 0;
	if (strlen(s) == 10) {
		int32_t day;
		if (date_parse(s, &day) == 0)
			return moment_from_local(day, 23, 59, 59);
		return 0;
	}
	moment_parse(s, &t);
	return t;
}

static void check_lead_sw(struct http_request *req, struct back_out *o, int idx, const char *lead)
{
	const char *role = back_user_role(req, lead);
	const char *qualified = back_lookup(
		req, "SELECT p.is_qualified_sw FROM users u JOIN professionals p ON p.id = u.professional_id WHERE u.id = $1",
		lead);
	if (!role || (strcmp(role, "social_worker") != 0 && strcmp(role, "team_manager") != 0) ||
	    (qualified && strcmp(qualified, "0") == 0))
		field_error(o, idx, "lead_sw_user_id", "R-62", "4.8.2; 5.1.1; 5.4.2",
		            "The lead social worker must be a qualified local authority social worker");
}

/* what a plan decision needs; R-63: what a no-plan decision needs; R-86: every review's judgement. */
void decision_check_child(struct http_request *req, struct back_out *o, int kind, bool inquorate, int64_t held_at,
                          json_t *d, json_t *core_group, int idx, const char *conf_type)
{
	const char *dec = back_str(d, "decision");
	bool review = kind == CONF_KIND_REVIEW;
	if (strncmp(dec, review ? "RCPC_" : "ICPC_", 5) != 0) {
		field_error(o, idx, "decision", "R-62", review ? "4.1.19" : "4.8.2; 4.10",
		            review ? "A review conference decides whether the plan continues, changes or ends"
		                   : "An initial conference decides between a plan and no plan");
		return;
	}
	if (inquorate && strcmp(dec, "ICPC_INQUORATE_INTERIM_PLAN") != 0 && strncmp(dec, "RCPC_CONTINUE", 13) != 0)
		field_error(o, idx, "decision", "R-55", "4.3.11; 4.3.12",
		            "An inquorate conference may only make an interim plan, with an early review");
	if (!inquorate && strcmp(dec, "ICPC_INQUORATE_INTERIM_PLAN") == 0)
		field_error(o, idx, "decision", "R-55", "4.3.12", "The conference is quorate: decide on a plan or no plan");
	if (review)
		need(o, d, idx, "significant_harm_judgement", "R-86", "4.1.19",
		     "Every review must say whether the child is suffering, or likely to suffer, significant harm");
	const char *event = review ? "rcpc_held" : "icpc_held";
	if (strncmp(dec, "ICPC_", 5) == 0 && decision_is_plan(dec)) {
		need(o, d, idx, "category", "R-62", "4.9.5", "Choose the one category of abuse or neglect");
		if (!inquorate)
			need(o, d, idx, "likelihood_basis", "R-62", "4.9.2", "Say on what basis significant harm is likely");
		need(o, d, idx, "risks_stated", "R-62", "4.8.2", "State the risks");
		need(o, d, idx, "what_needs_to_change", "R-62", "4.8.2", "Say what needs to change");
		need(o, d, idx, "lead_sw_user_id", "R-62", "4.8.2; 5.4.2", "Name the lead social worker");
		need(o, d, idx, "contingency_plan", "R-62", "4.1.2; 4.9.8", "Write the contingency plan");
		need(o, d, idx, "outline_outcomes", "R-62", "4.9.8", "Write the outcomes of the outline plan");
		need(o, d, idx, "first_core_group_at", "R-62", "4.8.2; 5.2.6",
		     "Fix the date of the first core group before the conference ends");
		need(o, d, idx, "core_group_frequency_weeks", "R-62", "4.8.2; 5.2.5", "Say how often the core group meets");
		need(o, d, idx, "visit_frequency_weeks", "R-62", "4.8.2", "Say how often the social worker visits");
		if (kind != CONF_KIND_PRE_BIRTH || inquorate)
			need(o, d, idx, "next_review_at", "R-62", "4.8.2; 4.3.12", "Set the date of the review conference");
		const char *lead = back_str(d, "lead_sw_user_id");
		if (lead)
			check_lead_sw(req, o, idx, lead);
		size_t others = 0, i;
		json_t *m;
		json_array_foreach(core_group, i, m) {
			const char *u = back_str(m, "user_id");
			if (!lead || !u || strcmp(u, lead) != 0)
				others++;
		}
		if (others == 0)
			field_error(o, idx, "core_group", "R-62", "4.8.2; 5.2.3",
			            "Name the core group: the professionals and family members who will carry out the plan");
		int64_t due;
		int64_t first = when_of(d, "first_core_group_at");
		if (first && back_rule_due(req, event, "core_group_held", held_at, &due, NULL) == 0 && first > due)
			field_error(o, idx, "first_core_group_at", "R-71", "4.8.2; 5.2.5",
			            "The first core group must be within 10 working days of the conference");
		if (first && first < held_at)
			field_error(o, idx, "first_core_group_at", "R-71", "5.2.6", "The first core group comes after the conference");
	}
	if (decision_is_plan(dec)) {
		int weeks = back_rule_weeks(req, "core_group_held", "core_group_held");
		json_int_t cg = json_integer_value(json_object_get(d, "core_group_frequency_weeks"));
		if (json_object_get(d, "core_group_frequency_weeks") && (cg < 1 || (weeks > 0 && cg > weeks)))
			field_error(o, idx, "core_group_frequency_weeks", "R-71", "4.8.2; 5.2.5",
			            "Core groups meet at least every 6 weeks");
		weeks = back_rule_weeks(req, "icpc_held", "visit_made");
		json_int_t vf = json_integer_value(json_object_get(d, "visit_frequency_weeks"));
		if (json_object_get(d, "visit_frequency_weeks") && (vf < 1 || (weeks > 0 && vf > weeks)))
			field_error(o, idx, "visit_frequency_weeks", "R-74", "4.8.2",
			            "The social worker visits at least every 4 weeks");
		int64_t review_at = when_of(d, "next_review_at"), due;
		if (review_at && back_rule_due(req, event, "rcpc_held", held_at, &due, NULL) == 0 && review_at > due)
			field_error(o, idx, "next_review_at", "R-83", review ? "4.1.22" : "4.1.21",
			            review ? "The next review must be within 6 months" : "The first review must be within 3 months");
		if (review_at && review_at < held_at)
			field_error(o, idx, "next_review_at", "R-83", "4.1.21", "The review comes after this conference");
		if (review)
			need(o, d, idx, "next_review_at", "R-83", "4.1.22", "Set the date of the next review conference");
	}
	if (strcmp(dec, "ICPC_NO_PLAN_CIN") == 0 || strcmp(dec, "ICPC_NO_PLAN_NFA") == 0) {
		if (strcmp(dec, "ICPC_NO_PLAN_CIN") == 0)
			need(o, d, idx, "cin_recommendations", "R-63", "4.8.3; 4.10.1",
			     "Draw up the child in need plan, or recommendations for one");
		if (!back_bool(d, "step_down_considered"))
			field_error(o, idx, "step_down_considered", "R-63", "4.8.3; 4.10.1",
			            "Consider step-down support or a family group conference");
		if (strcmp(conf_type, "CONF_TRANSFER_IN") == 0 && !back_bool(d, "full_assessment_completed"))
			field_error(o, idx, "full_assessment_completed", "R-89", "4.1.18",
			            "A transfer-in conference may end the plan only after a full assessment of the family in its "
			            "new situation");
	}
	if (strcmp(dec, "RCPC_DISCONTINUE") == 0)
		need(o, d, idx, "cin_recommendations", "R-88", "4.1.19; 4.10.4; 4.10.9",
		     "Say what support continues once the plan ends");
	if (strcmp(dec, "RCPC_CONTINUE") == 0 && back_str(d, "category"))
		field_error(o, idx, "category", "R-62", "4.1.19",
		            "A change of category is a change to the plan: choose 'continues with changes'");
}

/* The view's dissent, if the agency's view differs from the chair's decision (4.11.1, 4.11.2). */
const char *decision_dissent_of(const char *view, const char *decision)
{
	bool plan = decision_is_plan(decision);
	if (plan && strcmp(view, "VIEW_NO_PLAN") == 0)
		return "DISSENT_SHOULD_NOT_HAVE_PLAN";
	if (!plan && strcmp(view, "VIEW_PLAN") == 0)
		return "DISSENT_SHOULD_HAVE_PLAN";
	return NULL;
}
