/* The records around a child: people and relationships, cases, chronology, documents; and the reference data
 * (agencies, professionals, enumerations). Sub-records of a child share one create and one list path. */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "api/command.h"
#include "api/records.h"
#include "app/web.h"
#include "core/date.h"
#include "domain/chronology.h"
#include "domain/entities.h"
#include "domain/enums.h"
#include "policy/policy.h"

#define DOCUMENT_MAX_BYTES (8 * 1024 * 1024)

/* Writes a sub-record of the child in the URL, with its chronology entry and audit entry, in one transaction.
 * extra columns beyond the input (the parent id always) are given by the caller. */
static void create_for_child(struct http_request *req, const struct entity *e, json_t *in, struct http_kv *extra,
                             int nextra, const struct chronology_event *chron)
{
	const char *child_id = http_param(req, 0);
	if (command_begin_valid_or_respond(req, e, in, false) < 0)
		return;
	char id[ID_MAX];
	int rc = record_insert(req->store, e, in, extra, nextra, req->user.id, id);
	if (rc == STORE_OK && chron) {
		struct chronology_event ev = *chron;
		ev.child_id = child_id;
		ev.source_id = id;
		rc = chronology_append(req->store, &ev, req->user.id, NULL);
	}
	if (rc != STORE_OK) {
		web_store_failure(req, rc);
		return;
	}
	if (command_audit_or_respond(req, "create", e->name, id, child_id) < 0 || command_commit_or_respond(req) < 0)
		return;
	json_t *row = record_get(req->store, e, id);
	json_object_del(row, "content");
	http_json(req, 201, row);
}

static void list_for_child(struct http_request *req, const struct entity *e, const char *order)
{
	const char *child_id = http_param(req, 0);
	if (!command_child_allowed(req, "child.read", child_id))
		return;
	json_t *rows = record_list(req->store, e, "child_id", child_id, order, 1000);
	/* A confidential document is not even listed for someone who may not open it. */
	bool restricted = policy_child(req->store, &req->user, "child.restricted", child_id);
	json_t *shown = json_array();
	size_t i;
	json_t *r;
	json_array_foreach(rows, i, r) {
		json_object_del(r, "content");
		if (!json_is_true(json_object_get(r, "confidential")) || restricted)
			json_array_append(shown, r);
	}
	json_decref(rows);
	command_audit_read(req, e->name, NULL, child_id);
	http_json(req, 200, json_pack("{s:o}", "items", shown));
}

/* ---- relationships (and the people they link) ---- */

static void h_relationships_list(struct http_request *req)
{
	list_for_child(req, &entity_relationship, "created_at");
}

static void h_relationships_create(struct http_request *req)
{
	if (!command_child_allowed(req, "child.update", http_param(req, 0)))
		return;
	json_t *in = command_input_or_respond(req, &entity_relationship);
	if (!in)
		return;
	struct http_kv extra[] = {{"child_id", http_param(req, 0)}};
	struct chronology_event ev = {.event_type = "household_change",
	                              .summary = "A person was linked to the child",
	                              .source_type = "relationship"};
	create_for_child(req, &entity_relationship, in, extra, 1, &ev);
	json_decref(in);
}

static void create_plain(struct http_request *req, const struct entity *e, const char *location_prefix);

static void h_person_create(struct http_request *req)
{
	create_plain(req, &entity_person, "/api/v1/persons/");
}

/* A person is visible to whoever may read a child the person is linked to. */
static const char *readable_child_of_person(struct http_request *req, const char *person_id, const char *action)
{
	return command_permitted_child(req, "SELECT child_id FROM relationships WHERE person_id = $1", person_id, action);
}

static void h_person_get(struct http_request *req)
{
	const char *id = http_param(req, 0);
	const char *child = readable_child_of_person(req, id, "child.read");
	json_t *p = child ? record_get(req->store, &entity_person, id) : NULL;
	if (!p) {
		web_hidden(req, "child.read", "person", id_valid(id) ? id : NULL);
		return;
	}
	record_redact(&entity_person, p, policy_child(req->store, &req->user, "child.restricted", child));
	command_audit_read(req, "person", id, child);
	http_json(req, 200, p);
}

static void h_person_update(struct http_request *req)
{
	const char *id = http_param(req, 0);
	const char *child = readable_child_of_person(req, id, "child.update");
	if (!child) {
		web_hidden(req, "child.update", "person", id_valid(id) ? id : NULL);
		return;
	}
	json_t *in = command_input_or_respond(req, &entity_person);
	if (!in)
		return;
	int rc = command_update_or_respond(req, &entity_person, id, in, child);
	json_decref(in);
	if (rc < 0)
		return;
	json_t *p = record_get(req->store, &entity_person, id);
	record_redact(&entity_person, p, policy_child(req->store, &req->user, "child.restricted", child));
	http_json(req, 200, p);
}

/* ---- cases ---- */

static void h_cases_list(struct http_request *req)
{
	list_for_child(req, &entity_case, "opened_at DESC");
}

static void h_cases_create(struct http_request *req)
{
	const char *child_id = http_param(req, 0);
	if (!command_child_allowed(req, "case.create", child_id))
		return;
	json_t *in = command_input_or_respond(req, &entity_case);
	if (!in)
		return;
	char now[MOMENT_ISO_LEN];
	moment_format(moment_now(), now);
	/* A new case starts at contact; its allocation defaults to the person opening it and their team. */
	if (!json_object_get(in, "allocated_user_id"))
		json_object_set_new(in, "allocated_user_id", json_string(req->user.id));
	if (!json_object_get(in, "team_id") && req->user.team_id)
		json_object_set_new(in, "team_id", json_string(req->user.team_id));
	struct http_kv extra[] = {{"child_id", child_id}, {"stage", "contact"}, {"opened_at", now}};
	struct chronology_event ev = {.event_type = "case_opened",
	                              .summary = "Case opened",
	                              .source_type = "case",
	                              .significance = "significant"};
	create_for_child(req, &entity_case, in, extra, 3, &ev);
	json_decref(in);
}

static void h_case_get(struct http_request *req)
{
	json_t *c = record_get(req->store, &entity_case, http_param(req, 0));
	const char *child = c ? json_string_value(json_object_get(c, "child_id")) : NULL;
	if (!c || !policy_child(req->store, &req->user, "child.read", child)) {
		web_forbidden(req, "child.read", child ? child : NULL);
		json_decref(c);
		return;
	}
	command_audit_read(req, "case", http_param(req, 0), child);
	http_json(req, 200, c);
}

/* Allocation and team changes (case.allocate). */
static void h_case_update(struct http_request *req)
{
	const char *id = http_param(req, 0);
	json_t *c = record_get(req->store, &entity_case, id);
	const char *child = c ? arena_strdup(&req->arena, json_string_value(json_object_get(c, "child_id"))) : NULL;
	json_decref(c);
	if (!child || !command_child_allowed(req, "case.allocate", child)) {
		if (!child)
			web_not_found(req);
		return;
	}
	json_t *in = command_input_or_respond(req, &entity_case);
	if (!in)
		return;
	int rc = command_update_or_respond(req, &entity_case, id, in, child);
	json_decref(in);
	if (rc < 0)
		return;
	http_json(req, 200, record_get(req->store, &entity_case, id));
}

/* ---- chronology ---- */

static void h_chronology_list(struct http_request *req)
{
	const char *child_id = http_param(req, 0);
	if (!command_child_allowed(req, "child.read", child_id))
		return;
	const char *from = http_query(req, "from"), *to = http_query(req, "to");
	const char *type = http_query(req, "type"), *sig = http_query(req, "significance");
	int32_t d;
	if ((from && date_parse(from, &d) < 0) || (to && date_parse(to, &d) < 0)) {
		http_problem(req, 400, "Invalid date", "from and to must be dates like 2026-03-27.", from ? "from" : "to");
		return;
	}
	json_t *items = chronology_query(req->store, child_id, from, to, type, sig, 5000,
	                                 policy_child(req->store, &req->user, "child.restricted", child_id));
	if (!items) {
		web_store_failure(req, STORE_ERR);
		return;
	}
	command_audit_read(req, "chronology", NULL, child_id);
	http_json(req, 200, json_pack("{s:o}", "items", items));
}

static void h_chronology_create(struct http_request *req)
{
	if (!command_child_allowed(req, "child.update", http_param(req, 0)))
		return;
	json_t *in = command_input_or_respond(req, &entity_chronology);
	if (!in)
		return;
	struct http_kv extra[] = {{"child_id", http_param(req, 0)}, {"source_type", "practitioner"}};
	/* The entry is itself the chronology record: no second entry about it. */
	create_for_child(req, &entity_chronology, in, extra, 2, NULL);
	json_decref(in);
}

/* ---- documents: stored with their SHA-256 (4.22) ---- */

static void hex_sha256(const unsigned char *data, size_t n, char out[65])
{
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(h, data, n);
	sodium_bin2hex(out, 65, h, sizeof h);
}

static void h_documents_list(struct http_request *req)
{
	list_for_child(req, &entity_document, "created_at DESC");
}

static void h_documents_create(struct http_request *req)
{
	if (!command_child_allowed(req, "child.update", http_param(req, 0)))
		return;
	json_t *in = command_input_or_respond(req, &entity_document);
	if (!in)
		return;
	/* content_base64 is the transport form; it is decoded here and never stored as text. */
	json_t *b64 = json_incref(json_object_get(in, "content_base64"));
	json_object_del(in, "content_base64");
	if (!json_is_string(b64)) {
		json_decref(in);
		json_decref(b64);
		http_problem(req, 422, "Missing content", "Give the document as content_base64.", "content_base64");
		return;
	}
	size_t cap = json_string_length(b64) / 4 * 3 + 3, len = 0;
	unsigned char *bytes = arena_alloc(&req->arena, cap + 1);
	if (sodium_base642bin(bytes, cap, json_string_value(b64), json_string_length(b64), " \r\n", &len, NULL,
	                      sodium_base64_VARIANT_ORIGINAL) != 0 ||
	    len == 0 || len > DOCUMENT_MAX_BYTES) {
		json_decref(in);
		json_decref(b64);
		http_problem(req, 422, "Invalid content",
		             len > DOCUMENT_MAX_BYTES ? "Documents must be 8 MB or smaller."
		                                      : "content_base64 is not valid, non-empty base64.",
		             "content_base64");
		return;
	}
	json_decref(b64);
	json_t *errors = json_array();
	char id[ID_MAX];
	int rc = records_store_document(req, http_param(req, 0), in, bytes, len, errors, id);
	json_decref(in);
	if (rc == 1) {
		web_invalid(req, errors);
		return;
	}
	json_decref(errors);
	if (rc < 0)
		return;
	json_t *row = record_get(req->store, &entity_document, id);
	json_object_del(row, "content");
	http_json(req, 201, row);
}

int records_store_document(struct http_request *req, const char *child_id, json_t *in, const unsigned char *bytes,
                           size_t len, json_t *errors, char id[ID_MAX])
{
	char sha[65], size[32];
	hex_sha256(bytes, len, sha);
	snprintf(size, sizeof size, "%zu", len);
	if (command_begin_or_respond(req) < 0)
		return -1;
	if (record_validate(req->store, &entity_document, in, false, errors)) {
		store_rollback(req->store); /* the caller shows the errors: on the upload form, or as problem+json */
		return 1;
	}
	struct http_kv extra[] = {{"child_id", child_id}, {"sha256", sha}, {"size_bytes", size}};
	int rc = record_insert(req->store, &entity_document, in, extra, 3, req->user.id, id);
	if (rc == STORE_OK) {
		/* The bytes go in with a typed bind, separately from the generic insert's text values. */
		struct store_stmt *s = store_prepare(req->store, "UPDATE documents SET content = $1 WHERE id = $2");
		rc = STORE_ERR;
		if (s) {
			store_bind_blob(s, 1, bytes, len);
			store_bind_text(s, 2, id);
			rc = store_step(s) == STORE_DONE ? STORE_OK : STORE_ERR;
		}
	}
	struct chronology_event ev = {.child_id = child_id,
	                              .event_type = "document_added",
	                              .summary = "Document added",
	                              .source_type = "document",
	                              .source_id = id};
	if (rc == STORE_OK)
		rc = chronology_append(req->store, &ev, req->user.id, NULL);
	if (rc != STORE_OK) {
		web_store_failure(req, rc);
		return -1;
	}
	if (command_audit_or_respond(req, "create", "document", id, child_id) < 0 || command_commit_or_respond(req) < 0)
		return -1;
	return 0;
}

static json_t *document_if_allowed(struct http_request *req, const char **child)
{
	json_t *d = record_get(req->store, &entity_document, http_param(req, 0));
	*child = d ? arena_strdup(&req->arena, json_string_value(json_object_get(d, "child_id"))) : NULL;
	if (!d || !policy_child(req->store, &req->user, "child.read", *child) ||
	    (json_is_true(json_object_get(d, "confidential")) &&
	     !policy_child(req->store, &req->user, "child.restricted", *child))) {
		json_decref(d);
		web_forbidden(req, "child.read", *child ? *child : NULL);
		return NULL;
	}
	return d;
}

static void h_document_get(struct http_request *req)
{
	const char *child;
	json_t *d = document_if_allowed(req, &child);
	if (!d)
		return;
	json_object_del(d, "content");
	command_audit_read(req, "document", http_param(req, 0), child);
	http_json(req, 200, d);
}

static void h_document_content(struct http_request *req)
{
	const char *child;
	json_t *d = document_if_allowed(req, &child);
	if (!d)
		return;
	struct store_stmt *s = store_prepare(req->store, "SELECT content, mime_type FROM documents WHERE id = $1");
	store_bind_text(s, 1, http_param(req, 0));
	if (store_step(s) != STORE_ROW) {
		json_decref(d);
		web_not_found(req);
		return;
	}
	size_t n;
	const void *p = store_col_blob(s, 0, &n);
	const char *type = arena_strdup(&req->arena, store_col_text(s, 1));
	http_respond(req, 200, "application/octet-stream", p, n);
	store_reset(s);
	req->out_type = strchr(type, '\n') || strchr(type, '\r') ? "application/octet-stream" : type;
	http_header(req, "Content-Disposition", "attachment");
	http_header(req, "X-Document-SHA256", json_string_value(json_object_get(d, "sha256")));
	json_decref(d);
	command_audit_export(req, "document", http_param(req, 0), child);
}

/* ---- reference data ---- */

static void h_agencies_list(struct http_request *req)
{
	http_json(req, 200, json_pack("{s:o}", "items", record_list(req->store, &entity_agency, NULL, NULL, "name", 1000)));
}

/* A record that belongs to no child (a person before linking, an agency, a professional). */
static void create_plain(struct http_request *req, const struct entity *e, const char *location_prefix)
{
	json_t *in = command_input_or_respond(req, e);
	if (!in)
		return;
	if (command_begin_valid_or_respond(req, e, in, false) < 0) {
		json_decref(in);
		return;
	}
	char id[ID_MAX];
	int rc = record_insert(req->store, e, in, NULL, 0, req->user.id, id);
	json_decref(in);
	if (rc != STORE_OK) {
		web_store_failure(req, rc);
		return;
	}
	if (command_audit_or_respond(req, "create", e->name, id, NULL) < 0 || command_commit_or_respond(req) < 0)
		return;
	if (location_prefix)
		http_header(req, "Location", arena_printf(&req->arena, "%s%s", location_prefix, id));
	http_json(req, 201, record_get(req->store, e, id));
}

static void h_agencies_create(struct http_request *req)
{
	create_plain(req, &entity_agency, NULL);
}

static void h_professionals_list(struct http_request *req)
{
	const char *agency = http_query(req, "agency_id");
	http_json(req, 200,
	          json_pack("{s:o}", "items",
	                    record_list(req->store, &entity_professional, agency ? "agency_id" : NULL, agency, "name",
	                                1000)));
}

static void h_professionals_create(struct http_request *req)
{
	create_plain(req, &entity_professional, NULL);
}

static void h_enums(struct http_request *req)
{
	http_json(req, 200, enums_all());
}

const struct route related_routes[] = {
	{HTTP_GET, "/api/v1/children/:id/relationships", h_relationships_list, "child.read"},
	{HTTP_POST, "/api/v1/children/:id/relationships", h_relationships_create, "child.update"},
	{HTTP_POST, "/api/v1/persons", h_person_create, "child.update"},
	{HTTP_GET, "/api/v1/persons/:id", h_person_get, "child.read"},
	{HTTP_PATCH, "/api/v1/persons/:id", h_person_update, "child.update"},
	{HTTP_GET, "/api/v1/children/:id/cases", h_cases_list, "child.read"},
	{HTTP_POST, "/api/v1/children/:id/cases", h_cases_create, "case.create"},
	{HTTP_GET, "/api/v1/cases/:id", h_case_get, "child.read"},
	{HTTP_PATCH, "/api/v1/cases/:id", h_case_update, "case.allocate"},
	{HTTP_GET, "/api/v1/children/:id/chronology", h_chronology_list, "child.read"},
	{HTTP_POST, "/api/v1/children/:id/chronology", h_chronology_create, "child.update"},
	{HTTP_GET, "/api/v1/children/:id/documents", h_documents_list, "child.read"},
	{HTTP_POST, "/api/v1/children/:id/documents", h_documents_create, "child.update"},
	{HTTP_GET, "/api/v1/documents/:id", h_document_get, "child.read"},
	{HTTP_GET, "/api/v1/documents/:id/content", h_document_content, "child.read"},
	{HTTP_GET, "/api/v1/agencies", h_agencies_list, "agency.read"},
	{HTTP_POST, "/api/v1/agencies", h_agencies_create, "agency.manage"},
	{HTTP_GET, "/api/v1/professionals", h_professionals_list, "agency.read"},
	{HTTP_POST, "/api/v1/professionals", h_professionals_create, "agency.manage"},
	{HTTP_GET, "/api/v1/enums", h_enums, "reference.read"},
	{0},
};
