/* The conference's documents (4.14): the decision letter (1 working day; 24 hours for parents, T-66) and the
 * conference record (20 working days, T-67), each stored per child with its SHA-256 (4.22). The parents' copy of the
 * record is generated from the same stored conference by the same function with the chair's withheld material left
 * out (4.14.5, spec 5.11), never by editing a copy, so nothing withheld can survive into it by accident. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "domain/enums.h"
#include "pathway/back.h"

static void esc(struct buf *b, const char *s)
{
	buf_add_html(b, s ? s : "");
}

static void row(struct buf *b, const char *key, const char *value)
{
	if (!value || !*value)
		return;
	buf_adds(b, "<tr><th scope=\"row\">");
	esc(b, key);
	buf_adds(b, "</th><td>");
	esc(b, value);
	buf_adds(b, "</td></tr>\n");
}

static void para(struct buf *b, const char *heading, const char *text)
{
	if (!text || !*text)
		return;
	buf_adds(b, "<h3>");
	esc(b, heading);
	buf_adds(b, "</h3>\n<p class=\"pre\">");
	esc(b, text);
	buf_adds(b, "</p>\n");
}

static const char *lbl(const char *list, const char *code)
{
	const char *l = code ? enums_label(list, code) : NULL;
	return l ? l : code;
}

static void open_doc(struct buf *b, const char *title)
{
	buf_adds(b, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>");
	esc(b, title);
	buf_adds(b, "</title><style>body{font-family:Arial,sans-serif;max-width:45em;margin:2em auto;line-height:1.4}"
	            "table{border-collapse:collapse;width:100%}th,td{text-align:left;vertical-align:top;padding:.3em;"
	            "border-bottom:1px solid #b1b4b6}.pre{white-space:pre-wrap}.withheld{border-left:4px solid #d4351c;"
	            "padding-left:1em}</style></head><body>\n<h1>");
	esc(b, title);
	buf_adds(b, "</h1>\n");
}

static void conference_header(struct http_request *req, struct buf *b, json_t *c)
{
	buf_adds(b, "<table>\n");
	row(b, "Conference", lbl("conference_type", back_str(c, "conf_type")));
	row(b, "Held", back_long_date(req, back_str(c, "held_at")));
	row(b, "Venue", back_str(c, "venue"));
	row(b, "Chair", back_user_name(req, back_str(c, "chair_user_id")));
	row(b, "Minutes taken by", back_str(c, "minute_taker"));
	size_t i;
	json_t *k;
	json_array_foreach(json_object_get(c, "children"), i, k) {
		const char *dob = back_str(k, "dob");
		row(b, "Child", arena_printf(&req->arena, "%s, %s %s", back_str(k, "name"), dob ? "born" : "expected",
		                             back_long_date(req, dob ? dob : back_str(k, "edd"))));
	}
	buf_adds(b, "</table>\n");
}

static const char *social_worker(struct http_request *req, json_t *k)
{
	const char *lead = back_str(k, "lead_sw_user_id");
	if (lead)
		return back_user_name(req, lead);
	return back_user_name(req, back_lookup(req, "SELECT allocated_user_id FROM cases WHERE id = $1",
	                                      back_str(k, "case_id")));
}

static char *render_letter(struct http_request *req, json_t *c)
{
	struct buf b;
	buf_init(&b, 4 * 1024 * 1024);
	open_doc(&b, "Child protection conference: decision letter");
	conference_header(req, &b, c);
	size_t i;
	json_t *k;
	json_array_foreach(json_object_get(c, "children"), i, k) {
		buf_adds(&b, "<h2>");
		esc(&b, back_str(k, "name"));
		buf_adds(&b, "</h2>\n<table>\n");
		row(&b, "Decision", lbl("conference_decision", back_str(k, "decision")));
		row(&b, "Category", lbl("cp_category", back_str(k, "category")));
		row(&b, "Social worker", social_worker(req, k));
		row(&b, "First core group", back_long_date(req, back_str(k, "first_core_group_at")));
		row(&b, "Review conference", back_long_date(req, back_str(k, "next_review_at")));
		buf_adds(&b, "</table>\n");
		para(&b, "Child in need support", back_str(k, "cin_recommendations"));
	}
	para(&b, "Recommendations", back_str(c, "recommendations"));
	buf_adds(&b, "<h2>If you disagree</h2>\n<p>You can complain about how the conference was run, its decision or the "
	             "category to the chair, who will pass it to the children's social care manager and the complaints "
	             "manager. The decision stands while the complaint is considered (SET procedures 4.12).</p>\n");
	buf_adds(&b, "<h2>Sent to</h2>\n<ul>\n");
	json_array_foreach(json_object_get(c, "invitations"), i, k) {
		buf_adds(&b, "<li>");
		esc(&b, back_str(k, "name"));
		buf_adds(&b, " (");
		esc(&b, back_str(k, "attendee_role_label"));
		buf_adds(&b, ")</li>\n");
	}
	buf_adds(&b, "</ul>\n<p>Signed by the chair, ");
	esc(&b, back_user_name(req, back_str(c, "chair_user_id")));
	buf_adds(&b, "</p>\n</body></html>\n");
	return buf_detach(&b);
}

static void decisions_section(struct http_request *req, struct buf *b, json_t *c)
{
	size_t i, j;
	json_t *k, *m;
	json_array_foreach(json_object_get(c, "children"), i, k) {
		buf_adds(b, "<h2>Decision: ");
		esc(b, back_str(k, "name"));
		buf_adds(b, "</h2>\n<table>\n");
		row(b, "Decision", lbl("conference_decision", back_str(k, "decision")));
		row(b, "Category", lbl("cp_category", back_str(k, "category")));
		row(b, "Basis", lbl("likelihood_basis", back_str(k, "likelihood_basis")));
		row(b, "Lead social worker", back_user_name(req, back_str(k, "lead_sw_user_id")));
		row(b, "First core group", back_long_date(req, back_str(k, "first_core_group_at")));
		if (json_is_integer(json_object_get(k, "core_group_frequency_weeks")))
			row(b, "Core group meets at least every",
			    arena_printf(&req->arena, "%lld weeks",
			                 (long long)json_integer_value(json_object_get(k, "core_group_frequency_weeks"))));
		if (json_is_integer(json_object_get(k, "visit_frequency_weeks")))
			row(b, "Social worker visits at least every",
			    arena_printf(&req->arena, "%lld weeks",
			                 (long long)json_integer_value(json_object_get(k, "visit_frequency_weeks"))));
		row(b, "Review conference", back_long_date(req, back_str(k, "next_review_at")));
		row(b, "Legal proceedings to be considered",
		    json_is_true(json_object_get(k, "consider_legal_proceedings")) ? "Yes" : NULL);
		row(b, "How the child took part", lbl("child_participation", back_str(k, "participation")));
		buf_adds(b, "</table>\n");
		para(b, "Reasons", back_str(k, "decision_reasons"));
		para(b, "Significant harm", back_str(k, "significant_harm_judgement"));
		para(b, "Risks", back_str(k, "risks_stated"));
		para(b, "What needs to change", back_str(k, "what_needs_to_change"));
		para(b, "Outcomes of the outline plan", back_str(k, "outline_outcomes"));
		para(b, "Contingency plan", back_str(k, "contingency_plan"));
		para(b, "Child in need support", back_str(k, "cin_recommendations"));
		const char *plan = back_str(k, "plan_id");
		json_t *members = plan ? record_list(req->store, &back_plan_member, "plan_id", plan, "created_at", 200) : NULL;
		if (json_array_size(members)) {
			buf_adds(b, "<h3>Core group</h3>\n<ul>\n");
			json_array_foreach(members, j, m) {
				buf_adds(b, "<li>");
				esc(b, back_str(m, "name"));
				buf_adds(b, " (");
				esc(b, lbl("conference_attendee_role", back_str(m, "member_role")));
				buf_adds(b, ")</li>\n");
			}
			buf_adds(b, "</ul>\n");
		}
		json_decref(members);
	}
}

char *documents_render_record(struct http_request *req, const char *conf_id, bool parents_copy)
{
	struct back_out tmp;
	back_out_init(&tmp);
	json_t *c = conference_view(req, conf_id, &tmp);
	back_out_free(&tmp);
	if (!c)
		return NULL;
	struct buf b;
	buf_init(&b, 16 * 1024 * 1024);
	open_doc(&b, parents_copy ? "Child protection conference record: parents' copy" : "Child protection conference record");
	if (parents_copy)
		buf_adds(&b, "<p>This is the parents' copy. The chair may leave out confidential material (SET procedures "
		             "4.14.5).</p>\n");
	conference_header(req, &b, c);
	buf_adds(&b, "<h2>Who was there</h2>\n<table>\n");
	size_t i;
	json_t *k;
	json_array_foreach(json_object_get(c, "invitations"), i, k) {
		const char *agency = json_string_value(json_object_get(k, "agency_name"));
		row(&b, back_str(k, "name"),
		    arena_printf(&req->arena, "%s%s%s: %s", back_str(k, "attendee_role_label"),
		                 agency && *agency ? ", " : "", agency ? agency : "",
		                 back_str(k, "attendance") ? back_str(k, "attendance_label") : "Invited"));
	}
	buf_adds(&b, "</table>\n");
	buf_adds(&b, json_is_true(json_object_get(c, "quorum_met"))
	                 ? "<p>The conference was quorate.</p>\n"
	                 : "<p>The conference was not quorate; the chair decided to go ahead (4.3.11).</p>\n");
	if (!json_is_true(json_object_get(c, "quorum_met")))
		para(&b, "Why the conference went ahead", back_str(c, "inquorate_reason"));
	json_array_foreach(json_object_get(c, "exclusions"), i, k) {
		if (!back_str(k, "decision"))
			continue;
		buf_adds(&b, "<h2>Exclusion</h2>\n<table>\n");
		row(&b, "Person", back_str(k, "person_name"));
		row(&b, "Decision", back_str(k, "decision_label"));
		row(&b, "For how long", back_str(k, "period"));
		row(&b, "Grounds", back_str(k, "grounds_label"));
		row(&b, "Copy of this record", back_str(k, "receives_record_label"));
		buf_adds(&b, "</table>\n");
		/* The evidence for an exclusion is the chair's alone to see in full (4.5.1, 4.5.3). */
		if (!parents_copy)
			para(&b, "Evidence", back_str(k, "evidence"));
	}
	json_array_foreach(json_object_get(c, "reports"), i, k) {
		bool withheld = json_is_true(json_object_get(k, "withheld_from_family"));
		if (parents_copy && withheld)
			continue;
		buf_adds(&b, withheld ? "<div class=\"withheld\">\n" : "<div>\n");
		para(&b, arena_printf(&req->arena, "%s: %s", back_str(k, "report_type_label"), back_str(k, "title")),
		     back_str(k, "content"));
		if (withheld)
			para(&b, "Withheld from the family", back_str(k, "withholding_reason"));
		buf_adds(&b, "</div>\n");
	}
	json_array_foreach(json_object_get(c, "notes"), i, k) {
		bool withheld = json_is_true(json_object_get(k, "withheld_from_parents"));
		if (parents_copy && withheld)
			continue;
		buf_adds(&b, withheld ? "<div class=\"withheld\">\n" : "<div>\n");
		para(&b, back_str(k, "heading"), back_str(k, "body"));
		if (withheld)
			para(&b, "Left out of the parents' copy", back_str(k, "withholding_reason"));
		buf_adds(&b, "</div>\n");
	}
	decisions_section(req, &b, c);
	if (json_array_size(json_object_get(c, "views"))) {
		buf_adds(&b, "<h2>Agencies' views</h2>\n<table>\n");
		json_array_foreach(json_object_get(c, "views"), i, k) {
			const char *dissent = back_str(k, "dissent_position");
			row(&b, back_str(k, "professional_name"),
			    arena_printf(&req->arena, "%s%s%s", back_str(k, "view_label"), dissent ? ". " : "",
			                 dissent ? back_str(k, "dissent_position_label") : ""));
		}
		buf_adds(&b, "</table>\n");
	}
	para(&b, "Recommendations", back_str(c, "recommendations"));
	buf_adds(&b, "<p>Signed by the chair, ");
	esc(&b, back_user_name(req, back_str(c, "chair_user_id")));
	buf_adds(&b, ". This record is confidential: it may be given to anyone else only with the chair's consent or "
	             "a court order (4.14.10).</p>\n</body></html>\n");
	json_decref(c);
	return buf_detach(&b);
}

/* Stores one generated document for a child, with its SHA-256. */
static int store_document(struct http_request *req, struct back_out *o, const char *conf_id, json_t *k,
                          const char *doc_type, const char *kind, int version, const char *title, const char *html,
                          const char *withheld_reason, const char *redacted_of, char id_out[ID_MAX])
{
	size_t n = strlen(html);
	unsigned char h[crypto_hash_sha256_BYTES];
	char sha[65], now[MOMENT_ISO_LEN], vs[16];
	crypto_hash_sha256(h, (const unsigned char *)html, n);
	sodium_bin2hex(sha, sizeof sha, h, sizeof h);
	moment_format(moment_now(), now);
	snprintf(vs, sizeof vs, "%d", version);
	id_new("doc", id_out);
	struct store_stmt *s = store_prepare(
		req->store, "INSERT INTO documents (id, child_id, case_id, doc_type, title, filename, mime_type, size_bytes, "
		            "sha256, content, confidential, withheld_from_family, withholding_reason, redacted_version_of, "
		            "created_at, created_by) VALUES ($1, $2, $3, $4, $5, $6, 'text/html; charset=utf-8', $7, $8, $9, "
		            "0, $10, $11, $12, $13, $14)");
	if (!s)
		return back_store_fail(o, STORE_ERR), -1;
	store_bind_text(s, 1, id_out);
	store_bind_text(s, 2, back_str(k, "child_id"));
	store_bind_text(s, 3, back_str(k, "case_id"));
	store_bind_text(s, 4, doc_type);
	store_bind_text(s, 5, title);
	store_bind_text(s, 6, arena_printf(&req->arena, "%s-%s-v%d.html", kind, conf_id, version));
	store_bind_int(s, 7, (int64_t)n);
	store_bind_text(s, 8, sha);
	store_bind_blob(s, 9, html, n);
	store_bind_int(s, 10, withheld_reason ? 1 : 0);
	store_bind_text(s, 11, withheld_reason);
	store_bind_text(s, 12, redacted_of);
	store_bind_text(s, 13, now);
	store_bind_text(s, 14, req->user.id);
	int rc = store_step(s);
	if (rc != STORE_DONE)
		return back_store_fail(o, rc), -1;
	char link[ID_MAX];
	id_new("cdoc", link);
	rc = back_exec(req, "INSERT INTO conference_documents (id, conference_id, child_id, document_id, kind, version, "
	                    "created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
	               7, link, conf_id, back_str(k, "child_id"), id_out, kind, vs, now);
	if (rc != STORE_OK)
		return back_store_fail(o, rc), -1;
	return 0;
}

static json_t *held_conference(struct http_request *req, const char *conf_id, const char *action, bool only_chair,
                               struct back_out *o)
{
	json_t *c = conference_load(req, conf_id, action, only_chair, o);
	if (!c)
		return NULL;
	if (strcmp(back_str(c, "status"), "held") != 0) {
		back_fail(o, 409, NULL, "The conference has not been held: record its decision first");
		json_decref(c);
		return NULL;
	}
	snprintf(o->id, ID_MAX, "%s", conf_id);
	return c;
}

static int each_child(struct http_request *req, struct back_out *o, json_t *c, const char *event, int64_t at,
                      const char *summary, const char *action)
{
	char iso[MOMENT_ISO_LEN];
	moment_format(at, iso);
	size_t i;
	json_t *k;
	json_array_foreach(json_object_get(c, "children"), i, k) {
		const char *child = back_str(k, "child_id"), *case_id = back_str(k, "case_id");
		if ((event && back_clock(req, o, case_id, child, event, at, NULL, NULL) < 0) ||
		    back_chronology(req, o, child, case_id, iso, "conference", "routine", summary, "conference",
		                    back_str(c, "id")) < 0 ||
		    back_audit(req, o, action, "conference", back_str(c, "id"), child) < 0)
			return -1;
	}
	return 0;
}

static void finish(struct http_request *req, struct back_out *o, json_t *c, const char *conf_id)
{
	if (o->status == BACK_OK)
		back_commit(req, o, "conference", conf_id);
	if (o->status != BACK_OK)
		store_rollback(req->store);
	else
		o->result = conference_view_after(req, conf_id);
	json_decref(c);
}

void documents_decision_letter(struct http_request *req, const char *conf_id, json_t *in, struct back_out *o)
{
	json_t *c = held_conference(req, conf_id, "conference.decide", true, o);
	if (!c)
		return;
	if (back_str(c, "decision_letter_sent_at")) {
		back_fail(o, 409, NULL, "The decision letter has already been sent");
		json_decref(c);
		return;
	}
	json_t *v = conference_view(req, conf_id, o);
	if (!v || back_begin(req, o) < 0) {
		json_decref(v);
		json_decref(c);
		return;
	}
	char *html = render_letter(req, v);
	size_t i;
	json_t *k;
	json_array_foreach(json_object_get(v, "children"), i, k) {
		char doc[ID_MAX];
		if (o->status == BACK_OK)
			store_document(req, o, conf_id, k, "DECISION_LETTER", "decision_letter", 1,
			               arena_printf(&req->arena, "Conference decision letter, %s",
			                            back_long_date(req, back_str(c, "held_at"))),
			               html, NULL, NULL, doc);
	}
	free(html);
	json_decref(v);
	char now[MOMENT_ISO_LEN];
	moment_format(moment_now(), now);
	if (o->status == BACK_OK &&
	    back_exec(req, "UPDATE conferences SET decision_letter_sent_at = $1 WHERE id = $2", 2, now, conf_id) != STORE_OK)
		back_store_fail(o, STORE_ERR);
	if (o->status == BACK_OK)
		each_child(req, o, c, "decision_letter_sent", moment_now(),
		           "Conference decision letter signed by the chair and sent, parents included", "create");
	finish(req, o, c, conf_id);
}

void documents_record(struct http_request *req, const char *conf_id, json_t *in, struct back_out *o)
{
	json_t *c = held_conference(req, conf_id, "conference.decide", true, o);
	if (!c)
		return;
	if (back_begin(req, o) < 0) {
		json_decref(c);
		return;
	}
	int version = (int)json_integer_value(json_object_get(c, "record_version")) + 1;
	bool first = !back_str(c, "record_sent_at");
	const char *withheld = back_lookup(
		req, "SELECT COUNT(*) FROM conference_notes WHERE conference_id = $1 AND withheld_from_parents = 1", conf_id);
	const char *withheld_reports = back_lookup(
		req, "SELECT COUNT(*) FROM conference_reports WHERE conference_id = $1 AND withheld_from_family = 1", conf_id);
	bool any_withheld = (withheld && strcmp(withheld, "0") != 0) || (withheld_reports && strcmp(withheld_reports, "0")) ||
	                    back_lookup(req, "SELECT id FROM conference_exclusions WHERE conference_id = $1 AND decision "
	                                     "IS NOT NULL",
	                                conf_id);
	char *full = documents_render_record(req, conf_id, false);
	char *parents = documents_render_record(req, conf_id, true);
	const char *held = back_long_date(req, back_str(c, "held_at"));
	size_t i;
	json_t *k;
	json_array_foreach(json_object_get(c, "children"), i, k) {
		char doc[ID_MAX], copy[ID_MAX];
		if (o->status == BACK_OK && full && parents &&
		    store_document(req, o, conf_id, k, "CONFERENCE_RECORD", "record", version,
		                   arena_printf(&req->arena, "Conference record, %s (version %d)", held, version), full,
		                   any_withheld ? "Holds material the chair left out of the parents' copy (4.14.5)" : NULL,
		                   NULL, doc) == 0)
			store_document(req, o, conf_id, k, "CONFERENCE_RECORD", "parents_copy", version,
			               arena_printf(&req->arena, "Conference record, parents' copy, %s (version %d)", held, version),
			               parents, NULL, doc, copy);
	}
	if (!full || !parents)
		back_fail(o, 500, NULL, "The record could not be generated");
	free(full);
	free(parents);
	char now[MOMENT_ISO_LEN], vs[16];
	moment_format(moment_now(), now);
	snprintf(vs, sizeof vs, "%d", version);
	if (o->status == BACK_OK &&
	    back_exec(req, "UPDATE conferences SET record_version = $1, record_sent_at = COALESCE(record_sent_at, $2) "
	                   "WHERE id = $3",
	              3, vs, now, conf_id) != STORE_OK)
		back_store_fail(o, STORE_ERR);
	/* An invitee had the case's papers for the conference; once the record is out, what they keep is the record
	 * (4.14.10). Core group members keep access through the plan; the chair through the conference. */
	char today[DATE_ISO_LEN];
	date_format(date_today(), today);
	if (o->status == BACK_OK &&
	    back_exec(req, "UPDATE case_members SET end_date = $1 WHERE end_date IS NULL AND member_role = "
	                   "'conference_invitee' AND case_id IN (SELECT case_id FROM conference_children WHERE "
	                   "conference_id = $2) AND user_id IN (SELECT user_id FROM conference_invitations WHERE "
	                   "conference_id = $2 AND user_id IS NOT NULL AND attendee_role <> 'CHAIR')",
	              2, today, conf_id) != STORE_OK)
		back_store_fail(o, STORE_ERR);
	if (o->status == BACK_OK)
		each_child(req, o, c, first ? "conference_record_sent" : NULL, moment_now(),
		           first ? "Conference record signed by the chair and sent, with the parents' copy"
		                 : arena_printf(&req->arena, "Conference record amended and sent again (version %d)", version),
		           "create");
	finish(req, o, c, conf_id);
}

void documents_record_milestone(struct http_request *req, const char *conf_id, const char *which, json_t *in,
                                struct back_out *o)
{
	bool amendments = strcmp(which, "amendments") == 0;
	const char *key = amendments ? "received_at" : "discussed_at";
	json_t *c = held_conference(req, conf_id, "conference.schedule", false, o);
	if (!c)
		return;
	int64_t at = moment_now();
	if (back_moment(in, key, &at) < 0 || at > moment_now() + 60)
		back_fail(o, 422, key, "Enter a real date and time, not in the future");
	if (!back_str(c, "record_sent_at"))
		back_fail(o, 409, NULL, "The conference record has not been sent yet");
	else if (back_str(c, amendments ? "record_amendments_received_at" : "record_discussed_with_parents_at"))
		back_fail(o, 409, NULL, amendments ? "The amendments have already been recorded"
		                                   : "The discussion with the parents has already been recorded");
	if (o->status != BACK_OK || back_begin(req, o) < 0) {
		json_decref(c);
		return;
	}
	char iso[MOMENT_ISO_LEN];
	moment_format(at, iso);
	int rc = back_exec(req, amendments ? "UPDATE conferences SET record_amendments_received_at = $1 WHERE id = $2"
	                                   : "UPDATE conferences SET record_discussed_with_parents_at = $1 WHERE id = $2",
	                   2, iso, conf_id);
	if (rc != STORE_OK)
		back_store_fail(o, rc);
	if (o->status == BACK_OK)
		each_child(req, o, c, amendments ? "record_amendments_received" : "record_discussed_with_parents", at,
		           amendments ? "Amendments to the conference record received"
		                      : "The social worker went through the conference record with the parents",
		           "update");
	finish(req, o, c, conf_id);
}

/* ---- the API ---- */

static void h_letter(struct http_request *req)
{
	back_api_run(req, documents_decision_letter, 201);
}
static void h_record(struct http_request *req)
{
	back_api_run(req, documents_record, 201);
}
static void amendments(struct http_request *req, const char *id, json_t *in, struct back_out *o)
{
	documents_record_milestone(req, id, "amendments", in, o);
}
static void discussed(struct http_request *req, const char *id, json_t *in, struct back_out *o)
{
	documents_record_milestone(req, id, "discussed", in, o);
}
static void h_amendments(struct http_request *req)
{
	back_api_run(req, amendments, 200);
}
static void h_discussed(struct http_request *req)
{
	back_api_run(req, discussed, 200);
}

const struct route documents_routes[] = {
	{HTTP_POST, "/api/v1/conferences/:id/decision-letter", h_letter, "conference.decide"},
	{HTTP_POST, "/api/v1/conferences/:id/record", h_record, "conference.decide"},
	{HTTP_POST, "/api/v1/conferences/:id/record/amendments", h_amendments, "conference.schedule"},
	{HTTP_POST, "/api/v1/conferences/:id/record/discussed", h_discussed, "conference.schedule"},
	{0},
};
