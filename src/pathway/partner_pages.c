/* The pages of the partner referral (partner.h): start, one question per page, check your answers, confirmation,
 * and the referrer's own referrals with the feedback logged to them. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "api/command.h"
#include "core/buf.h"
#include "app/web.h"
#include "domain/enums.h"
#include "pathway/front.h"
#include "pathway/partner.h"
#include "store/store.h"
#include "ui/drafts.h"
#include "ui/format.h"

/* The answers so far: the user's draft of the referral, or an empty object. */
static json_t *answers_load(struct http_request *req)
{
	json_t *a = drafts_load(req, PARTNER_DRAFT_KEY);
	return a ? a : json_object();
}

static const char *page_key(struct http_request *req, const struct partner_question *q)
{
	return arena_printf(&req->arena, "%s/%s", PARTNER_DRAFT_KEY, q->slug);
}

static const char *question_href(struct http_request *req, const struct partner_question *q, bool change)
{
	return arena_printf(&req->arena, "/refer/%s%s", q->slug, change ? "?change=1" : "");
}

static bool draft_failed(struct http_request *req)
{
	web_error(req, 500, "Your answers could not be saved",
	          "Nothing has been sent. Try again in a moment: the answers you gave before are kept.");
	return false;
}

/* ---- start ---- */

static void h_start(struct http_request *req)
{
	json_t *answers = answers_load(req);
	json_t *ctx = json_object();
	if (json_object_size(answers) > 0) {
		const struct partner_question *q = partner_first_incomplete(answers);
		json_object_set_new(ctx, "resume_href",
		                    json_string(q ? question_href(req, q, false) : "/refer/check"));
	}
	json_decref(answers);
	json_object_set_new(ctx, "first_href", json_string(question_href(req, partner_questions, false)));
	json_object_set_new(ctx, "back_href", json_string("/"));
	web_page(req, 200, "partner/start", "Refer a child to children's social care", ctx);
}

/* ---- one question ---- */

static json_t *option_rows(const struct partner_question *q, const char *chosen)
{
	json_t *rows = json_array();
	int i = 0;
	for (const struct partner_option *o = q->options; o->value; o++, i++) {
		json_t *r = json_pack("{s:s, s:s, s:b}", "value", o->value, "label", o->label, "checked",
		                      chosen && strcmp(chosen, o->value) == 0);
		/* The first radio carries the question's name as its id, so the error summary's link lands on it. */
		json_object_set_new(r, "id", i == 0 ? json_string(q->name) : json_sprintf("%s-%d", q->name, i + 1));
		/* Always set: a missing key would be looked up in the page's context, whose "hint" is the question's. */
		json_object_set_new(r, "hint", o->hint ? json_string(o->hint) : json_null());
		json_array_append_new(rows, r);
	}
	return rows;
}

static json_t *str_or_empty(json_t *answers, const char *key)
{
	const char *v = json_string_value(json_object_get(answers, key));
	return json_string(v ? v : "");
}

static void render_question(struct http_request *req, const struct partner_question *q, json_t *answers,
                            json_t *errors, int status, bool change)
{
	json_t *ctx = json_object();
	json_t *map = NULL;
	if (errors) {
		web_add_errors(ctx, errors);
		map = json_object_get(ctx, "error_map");
		json_decref(errors);
	}
	const struct partner_question *prev = partner_previous(q, answers);
	json_object_set_new(ctx, "back_href", json_string(change ? "/refer/check"
	                                                  : prev  ? question_href(req, prev, false)
	                                                          : "/refer"));
	json_object_set_new(ctx, "heading", json_string(q->heading));
	json_object_set_new(ctx, "hint", json_string(q->hint));
	json_object_set_new(ctx, "name", json_string(q->name ? q->name : q->slug));
	json_object_set_new(ctx, "action", json_sprintf("/refer/%s", q->slug));
	json_object_set_new(ctx, "form_key", json_string(page_key(req, q)));
	json_object_set_new(ctx, "change", json_boolean(change));
	json_t *err = q->name ? json_object_get(map, q->name) : NULL;
	if (err)
		json_object_set(ctx, "error", err);
	switch (q->kind) {
	case PARTNER_RADIOS:
		json_object_set_new(ctx, "is_radios", json_true());
		json_object_set_new(ctx, "options",
		                    option_rows(q, json_string_value(json_object_get(answers, q->name))));
		break;
	case PARTNER_TEXTAREA:
		json_object_set_new(ctx, "is_textarea", json_true());
		json_object_set_new(ctx, "value", str_or_empty(answers, q->name));
		json_object_set_new(ctx, "max", json_integer(q->max));
		break;
	case PARTNER_DATE: {
		json_t *d = json_pack("{s:s, s:s, s:s, s:b, s:o, s:o, s:o, s:O}", "name", q->name, "label", q->heading,
		                      "hint", q->hint, "heading", 1, "day",
		                      str_or_empty(answers, arena_printf(&req->arena, "%s-day", q->name)), "month",
		                      str_or_empty(answers, arena_printf(&req->arena, "%s-month", q->name)), "year",
		                      str_or_empty(answers, arena_printf(&req->arena, "%s-year", q->name)), "error",
		                      err ? err : json_null());
		json_object_set_new(ctx, "date", d);
		json_object_set_new(ctx, "is_date", json_true());
		break;
	}
	case PARTNER_INPUTS: {
		json_t *rows = json_array();
		for (const struct partner_input *in = q->inputs; in->name; in++) {
			json_t *e = json_object_get(map, in->name);
			json_t *r = json_pack("{s:s, s:s, s:s, s:o, s:O}", "name", in->name, "label", in->label,
			                      "autocomplete", in->autocomplete, "value", str_or_empty(answers, in->name),
			                      "error", e ? e : json_null());
			json_object_set_new(r, "width", json_string(in->width ? in->width : ""));
			json_array_append_new(rows, r);
		}
		json_object_set_new(ctx, "inputs", rows);
		json_object_set_new(ctx, "is_inputs", json_true());
		break;
	}
	}
	web_page(req, status, "partner/question", q->heading, ctx);
}

/* The question of the address, or a refusal when it is not one, or not asked given the answers so far (then the
 * person is sent on to where they are: the first unanswered question, or the check page). */
static const struct partner_question *question_or_respond(struct http_request *req, json_t *answers)
{
	const struct partner_question *q = partner_question_find(http_param(req, 0));
	if (!q) {
		web_not_found(req);
		return NULL;
	}
	if (!partner_applies(q, answers)) {
		const struct partner_question *n = partner_first_incomplete(answers);
		http_redirect(req, n ? question_href(req, n, false) : "/refer/check");
		return NULL;
	}
	return q;
}

static void h_question(struct http_request *req)
{
	json_t *answers = answers_load(req);
	const struct partner_question *q = question_or_respond(req, answers);
	if (q) {
		/* What was typed on this page and autosaved by the page's script, but not yet sent with "Continue". */
		json_t *typed = drafts_load(req, page_key(req, q));
		const char *keys[8];
		int n = partner_answer_keys(q, keys, 8);
		for (int i = 0; typed && i < n; i++) {
			json_t *v = json_object_get(typed, keys[i]);
			if (json_is_string(v))
				json_object_set(answers, keys[i], v);
		}
		json_decref(typed);
		const char *change = http_query(req, "change");
		render_question(req, q, answers, NULL, 200, change && strcmp(change, "1") == 0);
	}
	json_decref(answers);
}

/* Copies the page's posted fields into the answers (an empty field removes the answer), trimmed. */
static void take_posted(struct http_request *req, const struct partner_question *q, json_t *answers)
{
	const char *keys[8];
	int n = partner_answer_keys(q, keys, 8);
	for (int i = 0; i < n; i++) {
		const char *v = http_form(req, keys[i]);
		while (v && (*v == ' ' || *v == '\t' || *v == '\r' || *v == '\n'))
			v++;
		size_t len = v ? strlen(v) : 0;
		while (len && strchr(" \t\r\n", v[len - 1]))
			len--;
		if (len)
			json_object_set_new(answers, keys[i], json_stringn(v, len));
		else
			json_object_del(answers, keys[i]);
	}
}

static void h_question_post(struct http_request *req)
{
	json_t *answers = answers_load(req);
	const struct partner_question *q = question_or_respond(req, answers);
	if (!q)
		goto out;
	bool change = http_form(req, "change") && strcmp(http_form(req, "change"), "1") == 0;
	take_posted(req, q, answers);
	/* Kept whether or not the answer is accepted: a refusal loses nothing (U4). */
	if (drafts_save(req, PARTNER_DRAFT_KEY, answers) < 0) {
		draft_failed(req);
		goto out;
	}
	drafts_delete(req, page_key(req, q));
	json_t *errors = partner_validate(q, answers);
	if (json_array_size(errors)) {
		render_question(req, q, answers, errors, 422, change);
		goto out;
	}
	json_decref(errors);
	/* From the check page, go back to it, unless the new answer opens a question not yet answered (a branch). */
	const struct partner_question *next = change ? partner_first_incomplete(answers) : partner_next(q, answers);
	http_redirect(req, next ? question_href(req, next, change) : "/refer/check");
out:
	json_decref(answers);
}

/* ---- check your answers ---- */

static const char *option_label(const struct partner_question *q, const char *value)
{
	for (const struct partner_option *o = q->options; value && o->value; o++)
		if (strcmp(o->value, value) == 0)
			return o->label;
	return value ? value : "";
}

/* The answer of q as shown on the check page: lines of text. */
static json_t *answer_lines(struct http_request *req, const struct partner_question *q, json_t *answers)
{
	json_t *lines = json_array();
	char buf[11];
	const char *v = q->name ? json_string_value(json_object_get(answers, q->name)) : NULL;
	switch (q->kind) {
	case PARTNER_RADIOS:
		json_array_append_new(lines, json_string(option_label(q, v)));
		break;
	case PARTNER_TEXTAREA: {
		const char *s = v ? v : "Not given";
		/* Paragraphs as typed; each line is escaped by the template. */
		while (*s) {
			const char *e = strchr(s, '\n');
			size_t len = e ? (size_t)(e - s) : strlen(s);
			if (len && s[len - 1] == '\r')
				len--;
			if (len)
				json_array_append_new(lines, json_stringn(s, len));
			s = e ? e + 1 : s + strlen(s);
		}
		break;
	}
	case PARTNER_DATE:
		json_array_append_new(lines,
		                      json_string(format_long_date(&req->arena, partner_date(answers, q->name, buf))));
		break;
	case PARTNER_INPUTS: {
		struct buf one;
		buf_init(&one, 128);
		for (const struct partner_input *in = q->inputs; in->name; in++) {
			const char *s = json_string_value(json_object_get(answers, in->name));
			if (s && *s && q->one_line)
				buf_addf(&one, "%s%s", one.len ? " " : "", s);
			else if (s && *s)
				json_array_append_new(lines, json_string(s));
		}
		if (one.len)
			json_array_append_new(lines, json_string(buf_str(&one)));
		buf_free(&one);
		if (json_array_size(lines) == 0)
			json_array_append_new(lines, json_string("Not given"));
		break;
	}
	}
	return lines;
}

static void render_check(struct http_request *req, json_t *answers, json_t *errors, int status)
{
	json_t *ctx = json_object();
	if (errors) {
		/* A refusal of the command names the contact's field: link to the question that asks for it. */
		size_t i;
		json_t *e;
		json_array_foreach(errors, i, e) {
			const struct partner_question *q =
				partner_question_for_field(json_string_value(json_object_get(e, "field")));
			json_object_set_new(e, "href", json_string(q ? question_href(req, q, true) : "#answers"));
		}
		web_add_errors(ctx, errors);
		json_decref(errors);
	}
	json_t *rows = json_array();
	for (const struct partner_question *q = partner_questions; q->slug; q++) {
		if (!partner_applies(q, answers))
			continue;
		json_array_append_new(rows, json_pack("{s:s, s:o, s:s, s:s}", "key", q->key, "lines",
		                                      answer_lines(req, q, answers), "href", question_href(req, q, true),
		                                      "slug", q->slug));
	}
	json_object_set_new(ctx, "rows", rows);
	json_object_set_new(ctx, "referrer_name", json_string(req->user.display_name ? req->user.display_name : ""));
	const struct partner_question *last = partner_questions;
	while (last[1].slug)
		last++;
	if (!partner_applies(last, answers))
		last = partner_previous(last, answers);
	json_object_set_new(ctx, "back_href", json_string(last ? question_href(req, last, false) : "/refer"));
	json_object_set_new(ctx, "danger", json_boolean(json_string_value(json_object_get(answers, "danger")) &&
	                                                strcmp(json_string_value(json_object_get(answers, "danger")),
	                                                       "yes") == 0));
	web_page(req, status, "partner/check", "Check your answers before sending your referral", ctx);
}

/* Sends the person to the first question still to answer; false when every question is answered. */
static bool incomplete_redirect(struct http_request *req, json_t *answers)
{
	const struct partner_question *q = partner_first_incomplete(answers);
	if (q)
		http_redirect(req, question_href(req, q, false));
	return q != NULL;
}

static void h_check(struct http_request *req)
{
	json_t *answers = answers_load(req);
	if (!incomplete_redirect(req, answers))
		render_check(req, answers, NULL, 200);
	json_decref(answers);
}

static void h_send(struct http_request *req)
{
	json_t *answers = answers_load(req);
	if (incomplete_redirect(req, answers)) {
		json_decref(answers);
		return;
	}
	json_t *in = partner_contact_input(answers, req->user.display_name ? req->user.display_name : "");
	struct front_out out;
	front_out_init(&out);
	/* The same command as the staff form and POST /api/v1/contacts: one transaction, chronology and audit. */
	front_contact_submit(req, in, &out);
	json_decref(in);
	if (out.status == 404 || out.status >= 500) {
		front_respond_failure(req, &out);
	} else if (out.status) {
		render_check(req, answers, json_deep_copy(out.errors), out.status);
	} else {
		/* The referral is saved; a draft that outlived it would only be deleted at the next save. */
		drafts_delete(req, PARTNER_DRAFT_KEY);
		http_redirect(req, arena_printf(&req->arena, "/refer/done/%s", out.id));
	}
	front_out_free(&out);
	json_decref(answers);
}

/* ---- confirmation ---- */

static void h_done(struct http_request *req)
{
	const char *id = http_param(req, 0);
	struct store_stmt *s = store_prepare(req->store, "SELECT feedback_method, immediate_danger FROM contacts "
	                                                 "WHERE id = $1 AND referrer_user_id = $2");
	if (!s) {
		web_error(req, 500, "Something went wrong", "The referral could not be read. Try again.");
		return;
	}
	json_t *ctx = NULL;
	if (!store_bind_text(s, 1, id) && !store_bind_text(s, 2, req->user.id) && store_step(s) == STORE_ROW) {
		const char *method = store_col_text(s, 0);
		const char *label = method ? enums_label("feedback_method", method) : NULL;
		char how[64];
		snprintf(how, sizeof how, "%s", label ? label : "as you asked");
		how[0] = (char)tolower((unsigned char)how[0]); /* "By email" inside a sentence */
		ctx = json_pack("{s:s, s:s, s:b, s:b}", "reference", id, "feedback", how,
		                "portal", method && strcmp(method, "PORTAL") == 0, "danger", store_col_int(s, 1) != 0);
	}
	store_reset(s);
	if (!ctx) {
		web_not_found(req); /* someone else's referral is answered as missing */
		return;
	}
	web_page(req, 200, "partner/done", "Referral sent", ctx);
}

/* ---- the referrer's own referrals ---- */

/* The communications logged to the referrer on the case their referral opened (always a new case: a partner's
 * referral records a new child). */
static json_t *feedback_rows(struct http_request *req, const char *case_id)
{
	json_t *rows = json_array();
	struct store_stmt *s = store_prepare(req->store, "SELECT purpose, channel, sent_at FROM communications WHERE "
	                                                 "case_id = $1 AND recipient_type = 'REFERRER' "
	                                                 "ORDER BY sent_at, id");
	if (!s)
		return rows;
	store_bind_text(s, 1, case_id);
	while (store_step(s) == STORE_ROW) {
		const char *purpose = enums_label("communication_purpose", store_col_text(s, 0));
		const char *channel = enums_label("communication_channel", store_col_text(s, 1));
		json_array_append_new(rows, json_pack("{s:s, s:s, s:s, s:b}", "what", purpose ? purpose : store_col_text(s, 0),
		                                      "how", channel ? channel : store_col_text(s, 1), "when",
		                                      format_long_date(&req->arena, store_col_text(s, 2)), "decision",
		                                      strcmp(store_col_text(s, 0), "DECISION_FEEDBACK") == 0 ||
		                                              strcmp(store_col_text(s, 0), "DECISION_LETTER") == 0));
	}
	store_reset(s);
	return rows;
}

/* Where a referral has got to, in the referrer's terms. The decision itself is shown once feedback on it has been
 * logged to them: they are told it then (2.1.8), and not through this page first. */
static void referral_status(struct http_request *req, json_t *row, const char *status, const char *contact_id,
                            const char *child_id, json_t *feedback)
{
	bool told = false;
	size_t i;
	json_t *f;
	json_array_foreach(feedback, i, f) told = told || json_is_true(json_object_get(f, "decision"));
	const char *label = "Received", *tag = "govuk-tag--blue";
	if (strcmp(status, "closed") == 0) {
		label = "Not taken forward as a referral";
		tag = "govuk-tag--grey";
	} else if (strcmp(status, "converted") == 0) {
		label = "Being decided";
		tag = "govuk-tag--yellow";
		struct store_stmt *s = store_prepare(req->store, "SELECT decision, decision_at FROM referrals WHERE "
		                                                 "contact_id = $1 AND child_id = $2 ORDER BY received_at DESC "
		                                                 "LIMIT 1");
		if (s) {
			store_bind_text(s, 1, contact_id);
			store_bind_text(s, 2, child_id);
			if (store_step(s) == STORE_ROW && store_col_text(s, 1)) {
				label = "Decision made";
				tag = "govuk-tag--green";
				const char *d = store_col_text(s, 0);
				const char *dl = d ? enums_label("referral_outcome", d) : NULL;
				if (told && dl)
					json_object_set_new(row, "decision", json_string(dl));
			}
			store_reset(s);
		}
	}
	json_object_set_new(row, "status", json_string(label));
	json_object_set_new(row, "tag", json_string(tag));
}

static void h_mine(struct http_request *req)
{
	json_t *rows = json_array();
	struct store_stmt *s = store_prepare(
		req->store, "SELECT c.id, c.received_at, c.status, cc.child_id, cc.case_id, ch.forenames, ch.surname "
		            "FROM contacts c JOIN contact_children cc ON cc.contact_id = c.id "
		            "JOIN children ch ON ch.id = cc.child_id WHERE c.referrer_user_id = $1 "
		            "ORDER BY c.received_at DESC, c.id LIMIT 200");
	if (!s) {
		json_decref(rows);
		web_error(req, 500, "Something went wrong", "Your referrals could not be read. Try again.");
		return;
	}
	store_bind_text(s, 1, req->user.id);
	while (store_step(s) == STORE_ROW)
		json_array_append_new(
			rows, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "id", store_col_text(s, 0), "received_at",
			                store_col_text(s, 1), "sent", format_long_moment(&req->arena, store_col_text(s, 1)),
			                "state", store_col_text(s, 2), "child_id", store_col_text(s, 3), "case_id",
			                store_col_text(s, 4), "child",
			                arena_printf(&req->arena, "%s %s", store_col_text(s, 5), store_col_text(s, 6))));
	store_reset(s);
	size_t i;
	json_t *r;
	json_array_foreach(rows, i, r) {
		const char *id = json_string_value(json_object_get(r, "id"));
		const char *child = json_string_value(json_object_get(r, "child_id"));
		json_t *fb = feedback_rows(req, json_string_value(json_object_get(r, "case_id")));
		referral_status(req, r, json_string_value(json_object_get(r, "state")), id, child, fb);
		json_object_set_new(r, "feedback", fb);
		command_audit_read(req, "contact", id, child);
	}
	json_t *ctx = json_pack("{s:o, s:s}", "referrals", rows, "back_href", "/");
	web_page(req, 200, "partner/mine", "Your referrals", ctx);
}

const struct route partner_referral_routes[] = {
	{HTTP_GET, "/refer", h_start, "referral.submit"},
	{HTTP_GET, "/refer/check", h_check, "referral.submit"},
	{HTTP_POST, "/refer/check", h_send, "referral.submit"},
	{HTTP_GET, "/refer/mine", h_mine, "referral.submit"},
	{HTTP_GET, "/refer/done/:id", h_done, "referral.submit"},
	{HTTP_GET, "/refer/:slug", h_question, "referral.submit"},
	{HTTP_POST, "/refer/:slug", h_question_post, "referral.submit"},
	{0},
};
