/* PDF downloads: each handler checks the policy exactly as the page or API read of the same record does, builds
 * the document model from the same data, renders it, and audits the export in its own transaction before
 * sending it: an export that cannot be audited is not sent. */
#include "docs/exports.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "api/command.h"
#include "app/web.h"
#include "core/date.h"
#include "docs/exports_internal.h"
#include "docs/pdf.h"
#include "docs/pdf_html.h"
#include "domain/chronology.h"
#include "domain/entities.h"
#include "domain/enums.h"
#include "domain/record.h"
#include "policy/policy.h"
#include "ui/format.h"

#define PDF_MAX_BYTES ((size_t)32 * 1024 * 1024)

const char *exports_child_line(struct http_request *req, const char *child_id)
{
	struct store_stmt *s = store_prepare(req->store, "SELECT forenames, surname FROM children WHERE id = $1");
	if (!s)
		return NULL;
	store_bind_text(s, 1, child_id);
	const char *line = NULL;
	if (store_step(s) == STORE_ROW)
		line = arena_printf(&req->arena, "%s %s \xC2\xB7 Record ID %s", store_col_text(s, 0), store_col_text(s, 1),
		                    child_id);
	store_reset(s);
	return line;
}

void exports_send(struct http_request *req, struct pdf_doc *d, const char *object_type, const char *object_id,
                  const char *child_id, const char *filename)
{
	char now[MOMENT_ISO_LEN];
	moment_format(moment_now(), now);
	/* Who it was made for, on every page: a printed copy found later says whose export it was. */
	pdf_footer(d, arena_printf(&req->arena, "OFFICIAL-SENSITIVE. Made by Safeguard for %s on %s.",
	                           req->user.display_name, format_long_moment(&req->arena, now)));
	struct buf pdf, err;
	buf_init(&pdf, PDF_MAX_BYTES);
	buf_init(&err, 256);
	int rc = pdf_render(d, &pdf, &err);
	pdf_doc_free(d);
	if (rc < 0) {
		web_error(req, 500, "The PDF could not be made", buf_str(&err));
		goto out;
	}
	if (command_begin_or_respond(req) < 0 ||
	    command_audit_or_respond(req, "export", object_type, object_id, child_id) < 0 ||
	    command_commit_or_respond(req) < 0)
		goto out;
	http_respond(req, 200, "application/pdf", pdf.data, pdf.len);
	http_header(req, "Content-Disposition", arena_printf(&req->arena, "attachment; filename=\"%s\"", filename));
out:
	buf_free(&pdf);
	buf_free(&err);
}

/* ---- the chronology, with the page's filters ---- */

static const char *significance_label(const char *code)
{
	static const char *const labels[][2] = {{"routine", "Routine"}, {"significant", "Significant"},
	                                        {"critical", "Critical"}};
	for (size_t i = 0; code && i < sizeof labels / sizeof labels[0]; i++)
		if (strcmp(code, labels[i][0]) == 0)
			return labels[i][1];
	return code ? code : "";
}

static void h_chronology_pdf(struct http_request *req)
{
	const char *id = http_param(req, 0);
	if (!command_child_allowed(req, "child.read", id))
		return;
	const char *line = exports_child_line(req, id);
	if (!line) {
		web_not_found(req);
		return;
	}
	const char *from = http_query(req, "from"), *to = http_query(req, "to");
	const char *type = http_query(req, "type"), *sig = http_query(req, "significance");
	from = from && *from ? from : NULL;
	to = to && *to ? to : NULL;
	type = type && *type ? type : NULL;
	sig = sig && *sig ? sig : NULL;
	int32_t day;
	if ((from && date_parse(from, &day) < 0) || (to && date_parse(to, &day) < 0)) {
		if (req->is_api)
			http_problem(req, 400, "Invalid date", "from and to must be dates like 2026-03-27.", from ? "from" : "to");
		else
			web_error(req, 400, "Invalid date", "The start and end dates must be real dates, like 2026-03-27.");
		return;
	}
	json_t *items = chronology_query(req->store, id, from, to, type, sig, 5000,
	                                 policy_child(req->store, &req->user, "child.restricted", id));
	if (!items) {
		web_store_failure(req, STORE_ERR);
		return;
	}
	struct pdf_doc *d = pdf_doc_new("Chronology", line);
	const char *type_label = type ? enums_label("chronology_event_type", type) : NULL;
	struct buf what;
	buf_init(&what, 1024);
	buf_addf(&what, "%zu %s, newest first", json_array_size(items), json_array_size(items) == 1 ? "entry" : "entries");
	if (from || to)
		buf_addf(&what, "; %s%s%s%s", from ? "from " : "", from ? format_long_date(&req->arena, from) : "",
		         from && to ? " to " : to ? "up to " : "", to ? format_long_date(&req->arena, to) : "");
	if (type)
		buf_addf(&what, "; only %s", type_label ? type_label : type);
	if (sig)
		buf_addf(&what, "; only %s entries", sig);
	buf_adds(&what, ".");
	pdf_para(d, buf_str(&what));
	buf_free(&what);
	if (json_array_size(items)) {
		pdf_table(d, 4, PDF_TABLE_HEADER);
		const char *head[] = {"Date", "Event", "Significance", "What happened"};
		pdf_table_row(d, head);
		size_t i;
		json_t *e;
		json_array_foreach(items, i, e) {
			const char *t = json_string_value(json_object_get(e, "event_type"));
			const char *label = t ? enums_label("chronology_event_type", t) : NULL;
			const char *s = json_string_value(json_object_get(e, "significance"));
			const char *row[] = {
				format_long_date(&req->arena, json_string_value(json_object_get(e, "event_date"))),
				label ? label : t,
				significance_label(s),
				json_string_value(json_object_get(e, "summary")),
			};
			pdf_table_row(d, row);
		}
	}
	pdf_note(d, "The chronology is written by Safeguard as events are recorded, across every agency that records "
	            "them (SET procedures 4.21).");
	json_decref(items);
	exports_send(req, d, "chronology", NULL, id, arena_printf(&req->arena, "chronology-%s.pdf", id));
}

/* ---- a generated letter or record, from the stored document ---- */

static void h_document_pdf(struct http_request *req)
{
	const char *id = http_param(req, 0);
	json_t *doc = record_get(req->store, &entity_document, id);
	if (!doc) {
		web_not_found(req);
		return;
	}
	const char *child = arena_strdup(&req->arena, json_string_value(json_object_get(doc, "child_id")));
	/* The same decision as downloading the document itself (GET /api/v1/documents/{id}/content). */
	if (!child || !policy_child(req->store, &req->user, "child.read", child) ||
	    (json_is_true(json_object_get(doc, "confidential")) &&
	     !policy_child(req->store, &req->user, "child.restricted", child))) {
		json_decref(doc);
		web_forbidden(req, "child.read", child);
		return;
	}
	const char *title = arena_strdup(&req->arena, json_string_value(json_object_get(doc, "title")));
	const char *sha = arena_strdup(&req->arena, json_string_value(json_object_get(doc, "sha256")));
	const char *stored = arena_strdup(&req->arena, json_string_value(json_object_get(doc, "created_at")));
	const char *mime = json_string_value(json_object_get(doc, "mime_type"));
	bool html = mime && strncmp(mime, "text/html", 9) == 0;
	json_decref(doc);
	static const char not_ours[] = "Only the letters and records Safeguard writes itself can be made into a PDF. "
	                               "Download this document as it is instead.";
	if (!html) {
		web_error(req, 415, "No PDF for this document", not_ours);
		return;
	}
	struct store_stmt *s = store_prepare(req->store, "SELECT content FROM documents WHERE id = $1");
	if (!s) {
		web_store_failure(req, STORE_ERR);
		return;
	}
	store_bind_text(s, 1, id);
	if (store_step(s) != STORE_ROW) {
		web_not_found(req);
		return;
	}
	size_t n;
	const char *bytes = store_col_blob(s, 0, &n);
	/* A PDF of a document whose bytes no longer match their recorded fingerprint would pass off a changed
	 * document as the one that was sent. */
	unsigned char h[crypto_hash_sha256_BYTES];
	char hex[65];
	crypto_hash_sha256(h, (const unsigned char *)(bytes ? bytes : ""), n);
	sodium_bin2hex(hex, sizeof hex, h, sizeof h);
	if (!sha || strcmp(hex, sha) != 0) {
		store_reset(s);
		web_error(req, 409, "The document does not match its fingerprint",
		          "The stored document's SHA-256 is not the one recorded when it was made, so no PDF was made. "
		          "Tell your system administrator.");
		return;
	}
	struct pdf_doc *d = pdf_doc_new(NULL, exports_child_line(req, child));
	int rc = pdf_html_convert(d, bytes ? bytes : "", n);
	store_reset(s);
	if (rc < 0) {
		pdf_doc_free(d);
		web_error(req, 415, "No PDF for this document", not_ours);
		return;
	}
	if (!*pdf_title(d))
		pdf_set_title(d, title);
	pdf_note(d, arena_printf(&req->arena, "Made from the stored document \"%s\" of %s, SHA-256 %s.", title,
	                         format_long_moment(&req->arena, stored), sha));
	exports_send(req, d, "document", id, child, arena_printf(&req->arena, "document-%s.pdf", id));
}

const struct route exports_routes[] = {
	{HTTP_GET, "/children/:id/chronology.pdf", h_chronology_pdf, "child.read"},
	{HTTP_GET, "/api/v1/children/:id/chronology/pdf", h_chronology_pdf, "child.read"},
	{HTTP_GET, "/api/v1/documents/:id/pdf", h_document_pdf, "child.read"},
	{HTTP_GET, "/plans/:id/pdf", exports_plan_pdf, "child.read"},
	{HTTP_GET, "/api/v1/plans/:id/pdf", exports_plan_pdf, "child.read"},
	{0},
};
