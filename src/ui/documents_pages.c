/* A child's documents as a page: the list with their SHA-256 and a download link, and an upload form
 * (multipart/form-data) that stores through the same command as POST /api/v1/children/{id}/documents. */
#include <stdio.h>
#include <string.h>

#include "api/command.h"
#include "api/records.h"
#include "app/web.h"
#include "domain/entities.h"
#include "domain/enums.h"
#include "policy/policy.h"
#include "ui/pages.h"

#define UPLOAD_MAX_BYTES (8 * 1024 * 1024)

static void render(struct http_request *req, int status, json_t *errors)
{
	const char *id = http_param(req, 0);
	json_t *docs = record_list(req->store, &entity_document, "child_id", id, "created_at DESC", 500);
	bool restricted = policy_child(req->store, &req->user, "child.restricted", id);
	json_t *shown = json_array();
	size_t i;
	json_t *d;
	json_array_foreach(docs, i, d) {
		if (json_is_true(json_object_get(d, "confidential")) && !restricted)
			continue; /* confidential documents are listed only for those who may open them */
		json_object_del(d, "content");
		const char *type = json_string_value(json_object_get(d, "doc_type"));
		json_object_set_new(d, "type_label", json_string(enums_label("doc_type", type) ? enums_label("doc_type", type)
		                                                                                : type));
		json_array_append(shown, d);
	}
	json_decref(docs);
	json_t *types = enums_list("doc_type");
	const char *sel = http_form(req, "doc_type");
	json_t *t;
	json_array_foreach(types, i, t) json_object_set_new(
		t, "selected", json_boolean(sel && strcmp(sel, json_string_value(json_object_get(t, "code"))) == 0));
	const char *title = http_form(req, "title");
	/* The child's name heads the page and every printed sheet (U9), so a printed list is never anonymous. */
	json_t *child = record_get(req->store, &entity_child, id);
	const char *name = child ? arena_printf(&req->arena, "%s %s",
	                                        json_string_value(json_object_get(child, "forenames")),
	                                        json_string_value(json_object_get(child, "surname")))
	                         : "";
	json_decref(child);
	json_t *ctx = json_pack("{s:s, s:s, s:o, s:o, s:s, s:b, s:s}", "child_id", id, "name", name, "documents", shown,
	                        "types", types,
	                        "typed_title", title ? title : "", "can_update",
	                        policy_child(req->store, &req->user, "child.update", id), "back_href",
	                        arena_printf(&req->arena, "/children/%s", id));
	if (errors) {
		web_add_errors(ctx, errors);
		json_decref(errors);
	}
	command_audit_read(req, "document", NULL, id);
	web_page(req, status, "documents", "Documents", ctx);
}

static void h_documents(struct http_request *req)
{
	if (!command_child_allowed(req, "child.read", http_param(req, 0)))
		return;
	render(req, 200, NULL);
}

static void h_upload(struct http_request *req)
{
	const char *id = http_param(req, 0);
	if (!command_child_allowed(req, "child.update", id))
		return;
	const struct http_file *f = http_file(req, "file");
	json_t *errors = json_array();
	if (!f || f->len == 0)
		json_array_append_new(errors, json_pack("{s:s, s:s}", "field", "file", "message", "Choose a file to upload"));
	else if (f->len > UPLOAD_MAX_BYTES)
		json_array_append_new(errors, json_pack("{s:s, s:s}", "field", "file", "message",
		                                        "The file must be 8 MB or smaller"));
	json_t *in = json_object();
	const char *title = http_form(req, "title"), *type = http_form(req, "doc_type");
	if (title && *title)
		json_object_set_new(in, "title", json_string(title));
	if (type && *type)
		json_object_set_new(in, "doc_type", json_string(type));
	if (f) {
		json_object_set_new(in, "filename", json_string(f->filename));
		/* Only a plain media type is kept; anything odd is stored as bytes. */
		bool plain = strlen(f->content_type) < 100 && !strpbrk(f->content_type, "\r\n;\"");
		json_object_set_new(in, "mime_type", json_string(plain ? f->content_type : "application/octet-stream"));
	}
	if (http_form(req, "confidential"))
		json_object_set_new(in, "confidential", json_true());
	char doc[ID_MAX];
	int rc = json_array_size(errors)
	                 ? 1
	                 : records_store_document(req, id, in, (const unsigned char *)f->data, f->len, errors, doc);
	json_decref(in);
	if (rc == 1) {
		render(req, 422, errors);
		return;
	}
	json_decref(errors);
	if (rc < 0)
		return;
	http_redirect(req, arena_printf(&req->arena, "/children/%s/documents", id));
}

const struct route documents_pages_routes[] = {
	{HTTP_GET, "/children/:id/documents", h_documents, "child.read"},
	{HTTP_POST, "/children/:id/documents", h_upload, "child.update"},
	{0},
};
