/* Information packs (issue 7, part 6): the command that makes one for a decision to share, its API and its page.
 * One transaction writes both copies as documents with their SHA-256 (the agency copy a redacted version of the
 * file copy), the pack row linking them to the decision, a chronology entry and the audit entry (an "export": the
 * pack is what leaves the agency). What goes into a pack is pack_render()'s alone (pack_render.c). */
#include "docs/pack.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/access_control.h"
#include "api/access_util.h"
#include "api/command.h"
#include "app/web.h"
#include "core/date.h"
#include "core/id.h"
#include "domain/chronology.h"
#include "domain/enums.h"
#include "policy/policy.h"
#include "ui/format.h"

#define MAX_TYPES 64

static const char *const input_keys[] = {"sharing_decision_id", "from", "to", "event_types", "include_reports"};
#define NKEYS (sizeof input_keys / sizeof input_keys[0])

struct pack_input {
	struct pack_scope sc;
	json_t *dec; /* the decision, as sharing_decision_view shows it */
};

static const char *date_or_error(struct http_request *req, json_t *in, const char *key, json_t *errors)
{
	const char *v = access_util_text(req, in, key);
	int32_t d;
	if (!v && json_object_get(in, key) && !json_is_null(json_object_get(in, key)) &&
	    !json_is_string(json_object_get(in, key)))
		access_util_error(errors, key, "Enter a date, like 2026-03-27");
	else if (v && date_parse(v, &d) < 0)
		access_util_error(errors, key, strcmp(key, "from") == 0 ? "The start date must be a real date, like 2026-01-31"
		                                                        : "The end date must be a real date, like 2026-03-27");
	else
		return v;
	return NULL;
}

/* Reads and checks the input; returns the number of errors appended, or -1 after answering (the lawful bases
 * could not be read). p->dec is set when the decision was found. */
static int validate(struct http_request *req, const char *child_id, json_t *in, struct pack_input *p, json_t *errors)
{
	memset(p, 0, sizeof *p);
	p->sc.child_id = child_id;
	const char *k;
	json_t *v;
	json_object_foreach(in, k, v) {
		size_t i = 0;
		while (i < NKEYS && strcmp(k, input_keys[i]) != 0)
			i++;
		if (i == NKEYS && strcmp(k, "csrf") != 0)
			access_util_error(errors, k, "This is not a field of an information pack");
	}
	const char *id = access_util_text(req, in, "sharing_decision_id");
	p->dec = id ? sharing_decision_view(req, child_id, id) : NULL;
	if (!p->dec && req->status)
		return -1;
	if (!id)
		access_util_error(errors, "sharing_decision_id", "Choose the decision to share that the pack goes with");
	else if (!p->dec)
		access_util_error(errors, "sharing_decision_id", "There is no such decision about this child");
	else if (strcmp(json_string_value(json_object_get(p->dec, "decision")), "refused") == 0)
		access_util_error(errors, "sharing_decision_id",
		                  "That was a decision not to share: nothing goes, so there is no pack to make");
	else if (json_is_true(json_object_get(p->dec, "address_check_pending")))
		access_util_error(errors, "sharing_decision_id",
		                  "A second person must check the recipient's address before the pack is made (procedures-B "
		                  "3.5.6): record the check on the information sharing page");
	else if (!json_is_true(json_object_get(p->dec, "pack_possible")))
		access_util_error(errors, "sharing_decision_id",
		                  "Packs are for another agency or a court. A parent's copy of a record is made with the record");
	p->sc.decision_id = id;
	p->sc.from = date_or_error(req, in, "from", errors);
	p->sc.to = date_or_error(req, in, "to", errors);
	if (p->sc.from && p->sc.to && strcmp(p->sc.from, p->sc.to) > 0)
		access_util_error(errors, "to", "The end date must be the same as or after the start date");
	json_t *types = json_object_get(in, "event_types");
	if (types && !json_is_null(types)) {
		if (!json_is_array(types) || json_array_size(types) > MAX_TYPES) {
			access_util_error(errors, "event_types", "Give the kinds of entry as a list of codes");
		} else {
			size_t i;
			json_array_foreach(types, i, v) {
				if (!json_is_string(v) || !enums_label("chronology_event_type", json_string_value(v))) {
					access_util_error(errors, "event_types", "Choose kinds of entry from the list");
					break;
				}
			}
			p->sc.event_types = types;
		}
	}
	int flag = access_util_flag(in, "include_reports");
	if (flag < 0 && json_object_get(in, "include_reports"))
		access_util_error(errors, "include_reports", "Say whether the conference reports go in the pack");
	p->sc.include_reports = flag != 0;
	return (int)json_array_size(errors);
}

static int store_doc(struct http_request *req, const char *child_id, const char *title, const char *html,
                     bool file_copy, const char *redacted_of, char id_out[ID_MAX], char sha_out[65])
{
	size_t n = strlen(html);
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(h, (const unsigned char *)html, n);
	sodium_bin2hex(sha_out, 65, h, sizeof h);
	char now[MOMENT_ISO_LEN];
	moment_format(moment_now(), now);
	id_new("doc", id_out);
	struct store_stmt *s = store_prepare(
		req->store, "INSERT INTO documents (id, child_id, doc_type, title, filename, mime_type, size_bytes, sha256, "
		            "content, confidential, withheld_from_family, withholding_reason, redacted_version_of, created_at, "
		            "created_by) VALUES ($1, $2, 'INFORMATION_PACK', $3, $4, 'text/html; charset=utf-8', $5, $6, $7, "
		            "$8, $8, $9, $10, $11, $12)");
	if (!s)
		return STORE_ERR;
	store_bind_text(s, 1, id_out);
	store_bind_text(s, 2, child_id);
	store_bind_text(s, 3, title);
	store_bind_text(s, 4, arena_printf(&req->arena, "%s-%s.html", file_copy ? "pack-file-copy" : "pack", id_out));
	store_bind_int(s, 5, (int64_t)n);
	store_bind_text(s, 6, sha_out);
	store_bind_blob(s, 7, html, n);
	store_bind_int(s, 8, file_copy ? 1 : 0);
	store_bind_text(s, 9, file_copy ? "The file copy of an information pack: it shows what the agency copy left "
	                                  "out (5.11)"
	                                : NULL);
	store_bind_text(s, 10, redacted_of);
	store_bind_text(s, 11, now);
	store_bind_text(s, 12, req->user.id);
	int rc = store_step(s);
	return rc == STORE_DONE ? STORE_OK : rc;
}

static char *types_text(json_t *types)
{
	if (!json_array_size(types))
		return NULL;
	struct buf b;
	buf_init(&b, 8192);
	size_t i;
	json_t *t;
	json_array_foreach(types, i, t) buf_addf(&b, "%s%s", i ? "," : "", json_string_value(t));
	return buf_detach(&b);
}

/* Inside the open transaction: both copies, the pack row, the chronology entry. STORE_OK or a store code;
 * pack_id receives the pack's id. */
static int write_pack(struct http_request *req, const struct pack_input *p, char pack_id[ID_MAX])
{
	struct pack_counts n, n2;
	char *full = pack_render(req, &p->sc, false, &n);
	char *agency = full ? pack_render(req, &p->sc, true, &n2) : NULL;
	int rc = full && agency ? STORE_OK : STORE_ERR;
	const char *to = json_string_value(json_object_get(p->dec, "recipient_name"));
	char full_id[ID_MAX], doc_id[ID_MAX], sha[65];
	char now[MOMENT_ISO_LEN];
	moment_format(moment_now(), now);
	const char *today = format_long_moment(&req->arena, now);
	if (rc == STORE_OK)
		rc = store_doc(req, p->sc.child_id, arena_printf(&req->arena, "Information pack for %s: file copy, %s", to, today),
		               full, true, NULL, full_id, sha);
	if (rc == STORE_OK)
		rc = store_doc(req, p->sc.child_id, arena_printf(&req->arena, "Information pack for %s, %s", to, today),
		               agency, false, full_id, doc_id, sha);
	free(full);
	free(agency);
	int left = n.fields_left_out + n.entries_left_out + n.reports_left_out;
	id_new("pak", pack_id);
	char *types = types_text(p->sc.event_types);
	struct store_stmt *s =
		rc == STORE_OK
			? store_prepare(req->store,
		                    "INSERT INTO sharing_packs (id, sharing_decision_id, child_id, document_id, full_document_id, "
		                    "date_from, date_to, event_types, include_reports, entries_included, items_left_out, "
		                    "created_at, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)")
			: NULL;
	if (rc == STORE_OK && !s)
		rc = STORE_ERR;
	if (rc == STORE_OK) {
		const char *text[] = {pack_id, p->sc.decision_id, p->sc.child_id, doc_id, full_id, p->sc.from, p->sc.to, types};
		for (int i = 0; i < 8; i++)
			store_bind_text(s, i + 1, text[i]);
		store_bind_int(s, 9, p->sc.include_reports ? 1 : 0);
		store_bind_int(s, 10, n.entries);
		store_bind_int(s, 11, left);
		store_bind_text(s, 12, now);
		store_bind_text(s, 13, req->user.id);
		rc = store_step(s) == STORE_DONE ? STORE_OK : STORE_ERR;
	}
	free(types);
	struct chronology_event ev = {
		.child_id = p->sc.child_id,
		.event_type = "information_shared",
		.summary = arena_printf(&req->arena, "Information pack made for %s: %d chronology %s, %d %s left out under 5.11",
		                        to, n.entries, n.entries == 1 ? "entry" : "entries", left, left == 1 ? "item" : "items"),
		.source_type = "sharing_pack",
		.source_id = pack_id,
	};
	if (rc == STORE_OK)
		rc = chronology_append(req->store, &ev, req->user.id, NULL);
	return rc;
}

/* 0 made (pack_id); 1 refused (errors filled); -1 answered. */
static int make(struct http_request *req, const char *child_id, json_t *in, json_t *errors, char pack_id[ID_MAX])
{
	struct pack_input p;
	int bad = validate(req, child_id, in, &p, errors);
	if (bad) {
		json_decref(p.dec);
		return bad < 0 ? -1 : 1;
	}
	int rc = command_begin_or_respond(req) < 0 ? -2 : write_pack(req, &p, pack_id);
	if (rc == -2) {
		json_decref(p.dec);
		return -1;
	}
	if (rc != STORE_OK) {
		json_decref(p.dec);
		web_store_failure(req, rc);
		return -1;
	}
	struct audit_event ae = {
		.action = "export",
		.object_type = "sharing_pack",
		.object_id = pack_id,
		.child_id = child_id,
		.detail = arena_printf(&req->arena, "information pack for sharing decision %s; recipient %s", p.sc.decision_id,
		                       json_string_value(json_object_get(p.dec, "recipient_type"))),
	};
	json_decref(p.dec);
	if (access_util_audit_or_respond(req, ae) < 0 || command_commit_or_respond(req) < 0)
		return -1;
	return 0;
}

json_t *pack_list(struct http_request *req, const char *child_id, const char *decision_id)
{
	json_t *items = json_array();
	struct store_stmt *s = store_prepare(
		req->store,
		"SELECT k.id, k.sharing_decision_id, k.document_id, k.full_document_id, k.date_from, k.date_to, "
		"k.event_types, k.include_reports, k.entries_included, k.items_left_out, k.created_at, u.display_name, "
		"d.sha256 FROM sharing_packs k JOIN documents d ON d.id = k.document_id LEFT JOIN users u ON "
		"u.id = k.created_by WHERE k.child_id = $1 AND ($2 IS NULL OR k.sharing_decision_id = $2) "
		"ORDER BY k.created_at DESC, k.id");
	if (!s)
		return items;
	store_bind_text(s, 1, child_id);
	store_bind_text(s, 2, decision_id);
	while (store_step(s) == STORE_ROW) {
		const char *doc = store_col_text(s, 2), *types = store_col_text(s, 6);
		json_t *tl = json_array();
		for (const char *t = types; t && *t;) {
			const char *c = strchr(t, ',');
			size_t len = c ? (size_t)(c - t) : strlen(t);
			json_array_append_new(tl, json_stringn(t, len));
			t = c ? c + 1 : t + len;
		}
		json_array_append_new(
			items,
			json_pack("{s:s, s:s, s:s, s:s, s:s?, s:s?, s:o, s:b, s:I, s:I, s:s, s:s, s:s?, s:s, s:{s:s, s:s}}", "id",
		              store_col_text(s, 0), "sharing_decision_id", store_col_text(s, 1), "document_id", doc,
		              "full_document_id", store_col_text(s, 3), "from", store_col_text(s, 4), "to",
		              store_col_text(s, 5), "event_types", tl, "include_reports", (int)store_col_int(s, 7),
		              "entries_included", (json_int_t)store_col_int(s, 8), "items_left_out",
		              (json_int_t)store_col_int(s, 9), "created_at", store_col_text(s, 10), "created_at_label",
		              access_util_when(req, access_util_parse_moment(store_col_text(s, 10))), "created_by_name",
		              store_col_text(s, 11), "sha256", store_col_text(s, 12), "links", "html",
		              arena_printf(&req->arena, "/api/v1/documents/%s/content", doc), "pdf",
		              arena_printf(&req->arena, "/api/v1/documents/%s/pdf", doc)));
	}
	return items;
}

/* ---- the API ---- */

static void h_api_list(struct http_request *req)
{
	const char *child = http_param(req, 0);
	if (!command_child_allowed(req, "child.read", child))
		return;
	command_audit_read(req, "sharing_pack", NULL, child);
	http_json(req, 200, json_pack("{s:o}", "items", pack_list(req, child, NULL)));
}

static void h_api_create(struct http_request *req)
{
	const char *child = http_param(req, 0);
	if (!command_child_allowed(req, "sharing.pack", child))
		return;
	json_t *in = command_input_or_respond(req, NULL);
	if (!in)
		return;
	json_t *errors = json_array();
	char id[ID_MAX];
	int rc = make(req, child, in, errors, id);
	json_decref(in);
	if (rc == 1) {
		web_invalid(req, errors);
		return;
	}
	json_decref(errors);
	if (rc < 0)
		return;
	json_t *items = pack_list(req, child, NULL);
	size_t i;
	json_t *k, *made = NULL;
	json_array_foreach(items, i, k) if (strcmp(json_string_value(json_object_get(k, "id")), id) == 0) made = k;
	http_header(req, "Location", arena_printf(&req->arena, "/api/v1/children/%s/sharing-packs", child));
	http_json(req, 201, json_incref(made ? made : json_null()));
	json_decref(items);
}

/* ---- the page: choose the decision and the scope, make the pack, download it ---- */

static void render_page(struct http_request *req, int status, json_t *errors)
{
	const char *child = http_param(req, 0);
	json_t *all = json_array();
	json_t *decisions = json_array();
	const char *chosen = req->method == HTTP_POST ? http_form(req, "sharing_decision_id") : http_query(req, "decision");
	/* The decisions a pack can go with, newest first; each with the packs made for it. */
	struct store_stmt *s = store_prepare(req->store, "SELECT id FROM sharing_decisions WHERE child_id = $1 "
	                                                 "ORDER BY decided_at DESC, id");
	if (s) {
		store_bind_text(s, 1, child);
		while (store_step(s) == STORE_ROW)
			json_array_append_new(all, json_string(store_col_text(s, 0)));
	}
	size_t i;
	json_t *idv;
	json_array_foreach(all, i, idv) {
		json_t *d = sharing_decision_view(req, child, json_string_value(idv));
		if (!d && req->status) { /* answered: the lawful bases cannot be read */
			json_decref(all);
			json_decref(decisions);
			json_decref(errors);
			return;
		}
		if (!d || !json_is_true(json_object_get(d, "pack_possible"))) {
			json_decref(d);
			continue;
		}
		const char *did = json_string_value(json_object_get(d, "id"));
		json_object_set_new(d, "selected", json_boolean(chosen ? strcmp(chosen, did) == 0 : !json_array_size(decisions)));
		json_array_append_new(decisions, d);
	}
	json_decref(all);
	json_t *types = access_util_options("chronology_event_type", NULL);
	const char *picked[MAX_TYPES];
	int npicked = req->method == HTTP_POST ? http_form_all(req, "event_types", picked, MAX_TYPES) : 0;
	json_t *t;
	json_array_foreach(types, i, t) {
		bool on = false;
		for (int j = 0; j < npicked; j++)
			on |= strcmp(picked[j], json_string_value(json_object_get(t, "code"))) == 0;
		json_object_set_new(t, "checked", json_boolean(on));
		json_object_set_new(t, "input_id", i ? json_sprintf("event_types-%zu", i) : json_string("event_types"));
	}
	const char *inc = http_form(req, "include_reports");
	const char *made = http_query(req, "made");
	json_t *made_pack = NULL;
	if (made && !errors) {
		json_t *packs = pack_list(req, child, NULL);
		json_array_foreach(packs, i, t) if (strcmp(json_string_value(json_object_get(t, "id")), made) == 0) made_pack =
			json_incref(t);
		json_decref(packs);
	}
	json_t *ctx = json_pack(
		"{s:s, s:s, s:o, s:b, s:o, s:s, s:s, s:b, s:o?, s:s}", "child_id", child, "name",
		access_util_child_name(req, child), "decisions", decisions, "any_decision", json_array_size(decisions) > 0,
		"types", types, "from", req->method == HTTP_POST && http_form(req, "from") ? http_form(req, "from") : "", "to",
		req->method == HTTP_POST && http_form(req, "to") ? http_form(req, "to") : "", "reports_no",
		inc && strcmp(inc, "no") == 0, "made", made_pack, "back_href",
		arena_printf(&req->arena, "/children/%s/sharing", child));
	if (errors)
		web_add_errors(ctx, errors);
	json_decref(errors);
	web_page(req, status, "sharing_pack", "Make an information pack", ctx);
}

static void h_page(struct http_request *req)
{
	const char *child = http_param(req, 0);
	if (!command_child_allowed(req, "sharing.pack", child))
		return;
	command_audit_read(req, "sharing_decision", NULL, child);
	render_page(req, 200, NULL);
}

static void h_page_create(struct http_request *req)
{
	const char *child = http_param(req, 0);
	if (!command_child_allowed(req, "sharing.pack", child))
		return;
	json_t *in = command_input_or_respond(req, NULL);
	/* Checkboxes come as one field per box ticked; the command takes them as one list. */
	const char *picked[MAX_TYPES + 1];
	int n = http_form_all(req, "event_types", picked, MAX_TYPES + 1);
	json_t *types = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(types, json_string(picked[i]));
	json_object_set_new(in, "event_types", types);
	json_t *errors = json_array();
	char id[ID_MAX];
	int rc = make(req, child, in, errors, id);
	json_decref(in);
	if (rc == 1) {
		render_page(req, 422, errors);
		return;
	}
	json_decref(errors);
	if (rc == 0)
		http_redirect(req, arena_printf(&req->arena, "/children/%s/sharing-pack?made=%s", child, id));
}

const struct route pack_routes[] = {
	{HTTP_GET, "/api/v1/children/:id/sharing-packs", h_api_list, "child.read"},
	{HTTP_POST, "/api/v1/children/:id/sharing-packs", h_api_create, "sharing.pack"},
	{HTTP_GET, "/children/:id/sharing-pack", h_page, "sharing.pack"},
	{HTTP_POST, "/children/:id/sharing-pack", h_page_create, "sharing.pack"},
	{0},
};
