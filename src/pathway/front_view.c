/* Read views of the front half of the pathway: a contact, and a case's whole pathway (stage, transitions, what can
 * be done next, and every record), the same data the pages render. */
#include <stdio.h>
#include <string.h>

#include "domain/entities.h"
#include "domain/enums.h"
#include "pathway/front.h"
#include "policy/policy.h"

json_t *front_row(struct http_request *req, const struct entity *e, const char *id)
{
	return record_get(req->store, e, id);
}

/* Children's social care staff see a non-professional referrer's details; nobody else does (1.7.5, 2.4.8, R-09). */
static bool sees_protected_referrer(const struct http_request *req)
{
	const char *r = req->user.role;
	return r && (strcmp(r, "social_worker") == 0 || strcmp(r, "team_manager") == 0 ||
	             strcmp(r, "service_manager") == 0);
}

static bool professional_referrer(json_t *contact)
{
	const char *t = json_string_value(json_object_get(contact, "referrer_type"));
	return t && (strcmp(t, "PROFESSIONAL") == 0 || strcmp(t, "POLICE") == 0 || strcmp(t, "OTHER_LA") == 0);
}

static void protect_referrer(const struct http_request *req, json_t *contact)
{
	if (professional_referrer(contact) || sees_protected_referrer(req))
		return;
	static const char *const hidden[] = {"referrer_name", "referrer_phone", "referrer_email",
	                                     "referrer_relationship", "referrer_agency_name"};
	for (size_t i = 0; i < sizeof hidden / sizeof hidden[0]; i++)
		json_object_del(contact, hidden[i]);
	json_object_set_new(contact, "referrer_protected", json_true());
}

json_t *front_contact_view(struct http_request *req, const char *contact_id)
{
	json_t *c = front_row(req, &front_contact, contact_id);
	if (!c)
		return NULL;
	protect_referrer(req, c);
	json_t *kids = json_array();
	struct store_stmt *s = store_prepare(
		req->store, "SELECT k.child_id, ch.forenames, ch.surname, k.case_id, cs.stage, "
		            "(SELECT r.id FROM referrals r WHERE r.case_id = k.case_id AND r.contact_id = k.contact_id) "
		            "FROM contact_children k JOIN children ch ON ch.id = k.child_id JOIN cases cs ON cs.id = k.case_id "
		            "WHERE k.contact_id = $1 ORDER BY k.created_at, k.id");
	if (s) {
		store_bind_text(s, 1, contact_id);
		while (store_step(s) == STORE_ROW)
			json_array_append_new(
				kids, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s?}", "child_id", store_col_text(s, 0), "forenames",
				                store_col_text(s, 1), "surname", store_col_text(s, 2), "case_id",
				                store_col_text(s, 3), "stage", store_col_text(s, 4), "referral_id",
				                store_col_text(s, 5)));
	}
	json_object_set_new(c, "children", kids);
	return c;
}

static json_t *list_by(struct http_request *req, const struct entity *e, const char *col, const char *val,
                       const char *order)
{
	return record_list(req->store, e, col, val, order, 500);
}

json_t *front_case_view(struct http_request *req, const char *case_id)
{
	json_t *cs = record_get(req->store, &entity_case, case_id);
	if (!cs)
		return NULL;
	const char *stage = json_string_value(json_object_get(cs, "stage"));
	json_t *v = json_object();
	json_object_set_new(v, "case", cs);
	json_object_set_new(v, "stage", json_string(stage));
	const char *label = enums_label("case_stage", stage);
	json_object_set_new(v, "stage_label", json_string(label ? label : stage));
	json_object_set_new(v, "transitions", stage_history(req->store, case_id));
	json_object_set_new(v, "commands",
	                    json_object_get(cs, "closed_at") && !json_is_null(json_object_get(cs, "closed_at"))
	                            ? json_array()
	                            : stage_commands_from(stage));
	json_t *contacts = json_array();
	struct store_stmt *s = store_prepare(req->store, "SELECT contact_id FROM contact_children WHERE case_id = $1 "
	                                                 "ORDER BY created_at, id");
	if (s) {
		store_bind_text(s, 1, case_id);
		json_t *ids = json_array();
		while (store_step(s) == STORE_ROW)
			json_array_append_new(ids, json_string(store_col_text(s, 0)));
		size_t i;
		json_t *id;
		json_array_foreach(ids, i, id) {
			json_t *c = front_row(req, &front_contact, json_string_value(id));
			if (c) {
				protect_referrer(req, c);
				json_array_append_new(contacts, c);
			}
		}
		json_decref(ids);
	}
	json_object_set_new(v, "contacts", contacts);
	json_object_set_new(v, "referrals", list_by(req, &front_referral, "case_id", case_id, "received_at"));
	json_object_set_new(v, "communications", list_by(req, &front_communication, "case_id", case_id, "sent_at"));
	json_object_set_new(v, "assessments", list_by(req, &front_assessment, "case_id", case_id, "started_at"));
	json_object_set_new(v, "cin_plans", list_by(req, &front_cin_plan, "case_id", case_id, "agreed_at"));
	json_object_set_new(v, "emergency_actions", list_by(req, &front_emergency, "case_id", case_id, "taken_at"));
	json_object_set_new(v, "police_notifications", list_by(req, &front_police, "case_id", case_id, "notified_at"));
	json_t *smds = list_by(req, &front_smd, "case_id", case_id, "sequence_no");
	size_t i;
	json_t *row;
	json_array_foreach(smds, i, row) json_object_set_new(
		row, "participants",
		list_by(req, &front_smd_participant, "smd_id", json_string_value(json_object_get(row, "id")), "created_at"));
	json_object_set_new(v, "strategy_discussions", smds);
	json_t *s47 = list_by(req, &front_s47, "case_id", case_id, "started_at");
	json_array_foreach(s47, i, row) json_object_set_new(
		row, "agency_checks",
		list_by(req, &front_agency_check, "s47_id", json_string_value(json_object_get(row, "id")), "checked_at"));
	json_object_set_new(v, "s47_enquiries", s47);
	json_object_set_new(v, "joint_visits", list_by(req, &front_joint_visit, "case_id", case_id, "discussed_at"));
	json_object_set_new(v, "paediatric_assessments",
	                    list_by(req, &front_paediatric, "case_id", case_id, "examined_at"));
	json_object_set_new(v, "whereabouts", list_by(req, &front_whereabouts, "case_id", case_id, "recorded_at"));
	json_object_set_new(v, "hospital_holds", list_by(req, &front_hospital_hold, "case_id", case_id, "placed_at"));
	return v;
}
