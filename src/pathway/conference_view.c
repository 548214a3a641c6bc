/* Reading a conference: everything about it in one JSON object, shared by the API and the pages; and a child's
 * conferences and plans. */
#include <stdio.h>
#include <string.h>

#include "core/date.h"
#include "domain/enums.h"
#include "pathway/back.h"

static void label(json_t *row, const char *key, const char *list)
{
	const char *code = json_string_value(json_object_get(row, key));
	const char *l = code ? enums_label(list, code) : NULL;
	char k[64];
	snprintf(k, sizeof k, "%s_label", key);
	json_object_set_new(row, k, json_string(l ? l : code ? code : ""));
}

static json_t *list_of(struct http_request *req, const struct entity *e, const char *conf_id, const char *order)
{
	return record_list(req->store, e, "conference_id", conf_id, order, 1000);
}

static json_t *clocks_for(struct http_request *req, const char *conf_id, json_t *children)
{
	json_t *out = json_array();
	size_t i;
	json_t *k;
	json_array_foreach(children, i, k) {
		struct store_stmt *s = store_prepare(
			req->store, "SELECT id, rule_id, title, citation, due_at, state, met_at, subject_id FROM clocks "
			            "WHERE case_id = $1 AND (subject_id = $2 OR state = 'running') ORDER BY due_at");
		if (!s)
			break;
		store_bind_text(s, 1, json_string_value(json_object_get(k, "case_id")));
		store_bind_text(s, 2, conf_id);
		while (store_step(s) == STORE_ROW) {
			char due[MOMENT_ISO_LEN];
			moment_format(store_col_int(s, 4), due);
			const char *state = store_col_text(s, 5);
			bool overdue = strcmp(state, "running") == 0 && store_col_int(s, 4) < moment_now();
			json_array_append_new(
				out, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:b}", "id", store_col_text(s, 0),
				               "rule_id", store_col_text(s, 1), "title", store_col_text(s, 2), "citation",
				               store_col_text(s, 3), "due_at", due, "due_long", back_long_date(req, due), "state",
				               state, "child", json_string_value(json_object_get(k, "name")), "overdue", overdue,
				               "this_conference", !store_col_is_null(s, 7) &&
				                                      strcmp(store_col_text(s, 7), conf_id) == 0));
		}
	}
	return out;
}

json_t *conference_view(struct http_request *req, const char *conf_id, struct back_out *o)
{
	json_t *c = conference_load(req, conf_id, "child.read", false, o);
	if (!c)
		return NULL;
	label(c, "conf_type", "conference_type");
	label(c, "brought_forward_trigger", "review_trigger");
	json_object_set_new(c, "kind", json_integer(back_conf_kind(json_string_value(json_object_get(c, "conf_type")))));
	json_object_set_new(c, "scheduled_long",
	                    json_string(back_long_date(req, json_string_value(json_object_get(c, "scheduled_at")))));
	json_object_set_new(c, "held_long",
	                    json_string(back_long_date(req, json_string_value(json_object_get(c, "held_at")))));
	json_object_set_new(c, "chair_name",
	                    json_string(back_user_name(req, json_string_value(json_object_get(c, "chair_user_id")))));
	json_object_set_new(c, "held", json_boolean(strcmp(json_string_value(json_object_get(c, "status")), "held") == 0));
	json_t *children = json_object_get(c, "children");
	size_t i;
	json_t *k;
	json_array_foreach(children, i, k) {
		struct store_stmt *s = store_prepare(req->store, "SELECT id FROM conference_children WHERE conference_id = $1 "
		                                                 "AND child_id = $2");
		store_bind_text(s, 1, conf_id);
		store_bind_text(s, 2, json_string_value(json_object_get(k, "child_id")));
		char rid[ID_MAX] = "";
		if (store_step(s) == STORE_ROW)
			snprintf(rid, sizeof rid, "%s", store_col_text(s, 0));
		store_reset(s);
		json_t *row = record_get(req->store, &back_conference_child, rid);
		if (row) {
			json_object_del(row, "id");
			json_object_update_missing(k, row);
			json_decref(row);
		}
		label(k, "decision", "conference_decision");
		label(k, "category", "cp_category");
		label(k, "participation", "child_participation");
		json_object_set_new(k, "lead_sw_name",
		                    json_string(back_user_name(req, json_string_value(json_object_get(k, "lead_sw_user_id")))));
	}
	json_t *inv = list_of(req, &back_invitation, conf_id, "created_at");
	json_array_foreach(inv, i, k) {
		label(k, "attendee_role", "conference_attendee_role");
		label(k, "attendance", "attendance_mode");
		const char *agency = json_string_value(json_object_get(k, "agency_id"));
		const char *an = agency ? back_lookup(req, "SELECT name FROM agencies WHERE id = $1", agency) : NULL;
		json_object_set_new(k, "agency_name", json_string(an ? an : ""));
	}
	json_object_set_new(c, "invitations", inv);
	json_t *reports = list_of(req, &back_report, conf_id, "submitted_at");
	json_array_foreach(reports, i, k) {
		label(k, "report_type", "conference_report_type");
		json_object_set_new(k, "submitted_long",
		                    json_string(back_long_date(req, json_string_value(json_object_get(k, "submitted_at")))));
	}
	json_object_set_new(c, "reports", reports);
	json_t *excl = list_of(req, &back_exclusion, conf_id, "requested_at");
	json_array_foreach(excl, i, k) {
		label(k, "decision", "exclusion_extent");
		label(k, "receives_record", "record_copy");
		const char *p = json_string_value(json_object_get(k, "person_id"));
		const char *pn = back_lookup(req, "SELECT forenames || ' ' || surname FROM persons WHERE id = $1", p);
		json_object_set_new(k, "person_name", json_string(pn ? pn : ""));
		struct buf g;
		buf_init(&g, 4096);
		const char *codes = json_string_value(json_object_get(k, "grounds"));
		char one[64];
		for (const char *p2 = codes; p2 && *p2;) {
			const char *end = strchr(p2, ',');
			size_t n = end ? (size_t)(end - p2) : strlen(p2);
			snprintf(one, sizeof one, "%.*s", (int)(n < 63 ? n : 63), p2);
			const char *l = enums_label("exclusion_ground", one);
			buf_addf(&g, "%s%s", g.len ? "; " : "", l ? l : one);
			p2 = end ? end + 1 : NULL;
		}
		json_object_set_new(k, "grounds_label", json_string(buf_str(&g)));
		buf_free(&g);
	}
	json_object_set_new(c, "exclusions", excl);
	json_t *views = list_of(req, &back_view, conf_id, "created_at");
	json_array_foreach(views, i, k) {
		label(k, "view", "agency_view");
		label(k, "dissent_position", "dissent_position");
		label(k, "manager_decision", "dissent_manager_decision");
	}
	json_object_set_new(c, "views", views);
	json_object_set_new(c, "notes", list_of(req, &back_note, conf_id, "created_at"));
	json_t *docs = json_array();
	struct store_stmt *s = store_prepare(
		req->store, "SELECT cd.kind, cd.version, cd.document_id, cd.child_id, d.sha256, d.title, d.size_bytes "
		            "FROM conference_documents cd JOIN documents d ON d.id = cd.document_id "
		            "WHERE cd.conference_id = $1 ORDER BY cd.version, cd.kind, cd.child_id");
	if (s) {
		store_bind_text(s, 1, conf_id);
		while (store_step(s) == STORE_ROW)
			json_array_append_new(docs, json_pack("{s:s, s:I, s:s, s:s, s:s, s:s, s:I}", "kind", store_col_text(s, 0),
			                                       "version", (json_int_t)store_col_int(s, 1), "document_id",
			                                       store_col_text(s, 2), "child_id", store_col_text(s, 3), "sha256",
			                                       store_col_text(s, 4), "title", store_col_text(s, 5), "size_bytes",
			                                       (json_int_t)store_col_int(s, 6)));
	}
	json_object_set_new(c, "documents", docs);
	json_object_set_new(c, "clocks", clocks_for(req, conf_id, children));
	json_object_set_new(c, "quorum", decision_quorum(req, conf_id));
	return c;
}

json_t *conference_view_after(struct http_request *req, const char *conf_id)
{
	struct back_out tmp;
	back_out_init(&tmp);
	json_t *v = conference_view(req, conf_id, &tmp);
	back_out_free(&tmp);
	return v ? v : json_pack("{s:s}", "id", conf_id);
}

/* A child's conferences and plans, newest first. */
json_t *conference_list_for_child(struct http_request *req, const char *child_id)
{
	json_t *confs = json_array(), *plans = json_array();
	struct store_stmt *s = store_prepare(
		req->store, "SELECT c.id, c.conf_type, c.status, c.scheduled_at, c.held_at, cc.decision, cc.category "
		            "FROM conferences c JOIN conference_children cc ON cc.conference_id = c.id "
		            "WHERE cc.child_id = $1 ORDER BY c.scheduled_at DESC");
	if (s) {
		store_bind_text(s, 1, child_id);
		while (store_step(s) == STORE_ROW) {
			json_t *r = json_pack("{s:s, s:s, s:s, s:s, s:s?, s:s?, s:s?}", "id", store_col_text(s, 0), "conf_type",
			                      store_col_text(s, 1), "status", store_col_text(s, 2), "scheduled_at",
			                      store_col_text(s, 3), "held_at", store_col_text(s, 4), "decision",
			                      store_col_text(s, 5), "category", store_col_text(s, 6));
			json_array_append_new(confs, r);
		}
	}
	json_t *rows = record_list(req->store, &back_plan, "child_id", child_id, "created_at DESC", 100);
	size_t i;
	json_t *r;
	json_array_foreach(rows, i, r) json_array_append(plans, r);
	json_decref(rows);
	json_array_foreach(confs, i, r) {
		label(r, "conf_type", "conference_type");
		label(r, "decision", "conference_decision");
		label(r, "category", "cp_category");
		json_object_set_new(r, "scheduled_long",
		                    json_string(back_long_date(req, json_string_value(json_object_get(r, "scheduled_at")))));
	}
	json_array_foreach(plans, i, r) {
		label(r, "status", "cp_plan_status");
		label(r, "category", "cp_category");
		label(r, "end_reason", "discontinuation_reason");
	}
	return json_pack("{s:o, s:o}", "conferences", confs, "plans", plans);
}

