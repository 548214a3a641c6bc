/* A child protection plan as a PDF, from plan_view(): the same data, labels and dates as the plan page. */
#include <stdio.h>
#include <string.h>

#include "app/web.h"
#include "docs/exports_internal.h"
#include "pathway/back.h"

static const char *str(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "";
}

static const char *weeks(struct http_request *req, json_t *p, const char *key)
{
	json_t *v = json_object_get(p, key);
	return json_is_integer(v) ? arena_printf(&req->arena, "%lld weeks", (long long)json_integer_value(v)) : NULL;
}

static void summary(struct http_request *req, struct pdf_doc *d, json_t *p)
{
	pdf_table_pair(d, "Status", str(p, "status_label"));
	pdf_table_pair(d, "Category", str(p, "category_label"));
	pdf_table_pair(d, "Lead social worker", str(p, "lead_sw_name"));
	const char *conf = str(p, "conference_type_label");
	pdf_table_pair(d, "Started", *conf ? arena_printf(&req->arena, "%s (%s)", str(p, "start_date_long"), conf)
	                                  : str(p, "start_date_long"));
	pdf_table_pair(d, "Next review conference", str(p, "next_review_at_long"));
	if (*str(p, "eighteenth_birthday_long"))
		pdf_table_pair(d, "Plan ends at the latest",
		               arena_printf(&req->arena, "%s (18th birthday)", str(p, "eighteenth_birthday_long")));
	pdf_table_pair(d, "Visits at least every", weeks(req, p, "visit_frequency_weeks"));
	pdf_table_pair(d, "Core group at least every", weeks(req, p, "core_group_frequency_weeks"));
	if (json_is_true(json_object_get(p, "ended")))
		pdf_table_pair(d, "Ended", arena_printf(&req->arena, "%s: %s", str(p, "end_date_long"),
		                                        str(p, "end_reason_label")));
}

static void section_text(struct pdf_doc *d, const char *heading, const char *text)
{
	if (!text || !*text)
		return;
	pdf_heading(d, 2, heading);
	pdf_para(d, text);
}

static void core_group(struct pdf_doc *d, json_t *p)
{
	pdf_heading(d, 2, "Core group");
	size_t i, shown = 0;
	json_t *m;
	json_array_foreach(json_object_get(p, "members"), i, m) {
		if (*str(m, "end_date"))
			continue;
		if (!shown++) {
			pdf_table(d, 3, PDF_TABLE_HEADER);
			const char *head[] = {"Name", "Role", "Sees the child"};
			pdf_table_row(d, head);
		}
		const char *row[] = {str(m, "name"), str(m, "member_role_label"), str(m, "contact_frequency")};
		pdf_table_row(d, row);
	}
	if (!shown)
		pdf_para(d, "No one is in the core group.");
}

static void outcomes_and_actions(struct pdf_doc *d, json_t *p)
{
	pdf_heading(d, 2, "Outcomes and actions");
	size_t i;
	json_t *r;
	json_array_foreach(json_object_get(p, "outcomes"), i, r) {
		const char *measure = str(r, "measure");
		struct buf b;
		buf_init(&b, 0);
		buf_adds(&b, str(r, "description"));
		if (*measure)
			buf_addf(&b, ". Judged by: %s", measure);
		pdf_bullet(d, buf_str(&b));
		buf_free(&b);
	}
	if (!json_array_size(json_object_get(p, "actions"))) {
		pdf_para(d, "No actions have been agreed yet.");
		return;
	}
	pdf_table(d, 4, PDF_TABLE_HEADER);
	const char *head[] = {"Action", "Who", "By", "Status"};
	pdf_table_row(d, head);
	json_array_foreach(json_object_get(p, "actions"), i, r) {
		char status[160];
		snprintf(status, sizeof status, "%s%s", str(r, "status_label"),
		         json_is_true(json_object_get(r, "overdue")) ? " (overdue)" : "");
		const char *row[] = {str(r, "description"), str(r, "owner_name"), str(r, "due_date_long"), status};
		pdf_table_row(d, row);
	}
}

static void meetings_and_visits(struct pdf_doc *d, json_t *p)
{
	size_t i;
	json_t *r;
	if (json_array_size(json_object_get(p, "core_groups"))) {
		pdf_heading(d, 2, "Core group meetings");
		pdf_table(d, 3, PDF_TABLE_HEADER);
		const char *head[] = {"Planned", "Held", "Outcome"};
		pdf_table_row(d, head);
		json_array_foreach(json_object_get(p, "core_groups"), i, r) {
			const char *row[] = {str(r, "scheduled_at_long"), str(r, "held_at_long"), str(r, "outcome_label")};
			pdf_table_row(d, row);
		}
	}
	if (json_array_size(json_object_get(p, "visits"))) {
		pdf_heading(d, 2, "Visits");
		pdf_table(d, 3, PDF_TABLE_HEADER);
		const char *head[] = {"When", "Type", "Outcome"};
		pdf_table_row(d, head);
		json_array_foreach(json_object_get(p, "visits"), i, r) {
			const char *row[] = {str(r, "visit_at_long"), str(r, "visit_type_label"), str(r, "outcome_label")};
			pdf_table_row(d, row);
		}
	}
}

static void deadlines(struct http_request *req, struct pdf_doc *d, json_t *p)
{
	pdf_heading(d, 2, "Deadlines running");
	size_t i;
	json_t *c;
	json_array_foreach(json_object_get(p, "clocks"), i, c)
		pdf_bullet(d, arena_printf(&req->arena, "%s: %s%s (%s, para. %s)", str(c, "title"), str(c, "due_long"),
		                           json_is_true(json_object_get(c, "overdue")) ? ", overdue" : "", str(c, "rule_id"),
		                           str(c, "citation")));
	if (!json_array_size(json_object_get(p, "clocks")))
		pdf_para(d, "No deadlines are running.");
}

void exports_plan_pdf(struct http_request *req)
{
	const char *id = http_param(req, 0);
	struct back_out o;
	back_out_init(&o);
	json_t *p = plan_view(req, id, &o);
	if (!p) {
		if (!back_page_answered(req, &o))
			web_not_found(req);
		back_out_free(&o);
		return;
	}
	back_out_free(&o);
	const char *child = arena_strdup(&req->arena, str(p, "child_id"));
	struct pdf_doc *d = pdf_doc_new("Child protection plan", exports_child_line(req, child));
	summary(req, d, p);
	section_text(d, "Contingency plan", str(p, "contingency_plan"));
	section_text(d, "What would lead to legal action", str(p, "legal_action_triggers"));
	core_group(d, p);
	outcomes_and_actions(d, p);
	meetings_and_visits(d, p);
	deadlines(req, d, p);
	json_decref(p);
	exports_send(req, d, "cp_plan", id, child, arena_printf(&req->arena, "plan-%s.pdf", id));
}
