/* An agency's acceptance of its responsibilities under a child protection plan (R-76, 5.3.11): a signature
 * (electronic ones included) or an email confirming it, collected on children's social care's record of the child.
 * The evidence is the signed page or the email itself, uploaded as one of the child's documents, or a reference to
 * where it is filed; without either, nothing is stored. The plan page lists the agencies that own actions in the
 * plan and have not yet confirmed. */
#include <stdio.h>
#include <string.h>

#include "domain/enums.h"
#include "pathway/back.h"

static const struct field acceptance_fields[] = {
	{"id", FIELD_TEXT, FIELD_READONLY},
	{"plan_id", FIELD_TEXT, FIELD_READONLY},
	{"agency_name", FIELD_TEXT, FIELD_REQUIRED, "agency", 200},
	{"agency_id", FIELD_REF, 0, "agency in the directory", .ref_table = "agencies"},
	{"accepted_by_name", FIELD_TEXT, FIELD_REQUIRED, "who accepted for the agency", 200},
	{"responsibilities", FIELD_LONG, FIELD_REQUIRED, "the responsibilities accepted", 10000},
	{"method", FIELD_ENUM, FIELD_REQUIRED, "how it was accepted", .enum_name = "acceptance_method"},
	{"accepted_at", FIELD_MOMENT, FIELD_REQUIRED, "when it was signed or sent"},
	{"document_id", FIELD_REF, 0, "the signed page or the email, as one of the child's documents",
	 .ref_table = "documents", .hint = "Upload it on the child's documents page first"},
	{"evidence_reference", FIELD_TEXT, 0, "where the signature or email is filed", 300,
	 .hint = "For example the email's subject and date in the case mailbox"},
	{"created_at", FIELD_TEXT, FIELD_READONLY},
	{"created_by", FIELD_TEXT, FIELD_READONLY},
	{NULL},
};
const struct entity back_acceptance = {"plan acceptance", "plan_acceptances", "pac", acceptance_fields, false,
                                       "plan_id"};

void plan_add_acceptance(struct http_request *req, const char *plan_id, json_t *in, struct back_out *o)
{
	json_t *p = plan_load(req, plan_id, "plan.manage", o);
	if (!p)
		return;
	const char *child = back_str(p, "child_id");
	if (strcmp(back_str(p, "status"), "ENDED") == 0)
		back_fail(o, 409, NULL, "The plan has ended and can no longer change");
	if (o->status == BACK_OK)
		back_validate(req, o, &back_acceptance, in, false);
	const char *doc = back_str(in, "document_id");
	if (o->status == BACK_OK && !doc && !back_str(in, "evidence_reference"))
		back_refuse(o, 422, "document_id", "R-76", "5.3.11",
		            "Keep the signature or the email on the child's record: choose the document, or say where it is "
		            "filed");
	if (o->status == BACK_OK && doc) {
		const char *owner = back_lookup(req, "SELECT child_id FROM documents WHERE id = $1", doc);
		if (!owner || strcmp(owner, child) != 0)
			back_fail(o, 422, "document_id", "Choose one of this child's documents");
	}
	char id[ID_MAX] = "";
	if (o->status == BACK_OK && back_begin(req, o) == 0) {
		struct http_kv extra[] = {{"plan_id", plan_id}};
		int rc = record_insert(req->store, &back_acceptance, in, extra, 1, req->user.id, id);
		if (rc != STORE_OK)
			back_store_fail(o, rc);
		if (o->status == BACK_OK)
			back_chronology(req, o, child, back_str(p, "case_id"), back_str(in, "accepted_at"), "core_group",
			                "routine",
			                arena_printf(&req->arena, "%s accepted its responsibilities under the plan (%s)",
			                             back_str(in, "agency_name"),
			                             enums_label("acceptance_method", back_str(in, "method"))),
			                "cp_plan", plan_id);
		if (o->status == BACK_OK && back_audit(req, o, "create", "plan_acceptance", id, child) == 0)
			back_commit(req, o, "cp_plan", plan_id);
		if (o->status != BACK_OK)
			store_rollback(req->store);
	}
	if (o->status == BACK_OK) {
		snprintf(o->id, ID_MAX, "%s", id);
		o->result = record_get(req->store, &back_acceptance, id);
	}
	json_decref(p);
}

json_t *plan_acceptance_gaps(struct http_request *req, const char *plan_id)
{
	json_t *out = json_array();
	struct store_stmt *s = store_prepare(
		req->store, "SELECT DISTINCT g.name FROM plan_actions a JOIN agencies g ON g.id = a.owner_agency_id "
		            "WHERE a.plan_id = $1 AND NOT EXISTS (SELECT 1 FROM plan_acceptances x WHERE x.plan_id = a.plan_id "
		            "AND (x.agency_id = g.id OR x.agency_name = g.name)) ORDER BY g.name");
	if (!s)
		return out;
	store_bind_text(s, 1, plan_id);
	while (store_step(s) == STORE_ROW)
		json_array_append_new(out, json_string(store_col_text(s, 0)));
	store_reset(s);
	return out;
}

static void h_acceptance(struct http_request *req)
{
	back_api_run(req, plan_add_acceptance, 201);
}

const struct route plan_accept_routes[] = {
	{HTTP_POST, "/api/v1/plans/:id/acceptances", h_acceptance, "plan.manage"},
	{0},
};
