#include "ui/pages.h"

#include <stdio.h>
#include <string.h>

#include "api/access_control.h"
#include "api/command.h"
#include "api/records.h"
#include "app/app.h"
#include "clock/clock.h"
#include "app/web.h"
#include "core/date.h"
#include "domain/chronology.h"
#include "domain/entities.h"
#include "domain/enums.h"
#include "policy/policy.h"
#include "search/search.h"
#include "support/view.h"
#include "ui/format.h"
#include "ui/drafts.h"

static const char *long_date(struct http_request *req, const char *iso)
{
	return format_long_date(&req->arena, iso);
}

static const char *age_text(struct http_request *req, const char *dob)
{
	int32_t d;
	if (!dob || date_parse(dob, &d) < 0)
		return "";
	int y, m, dd, ty, tm, td;
	date_to_ymd(d, &y, &m, &dd);
	date_to_ymd(date_today(), &ty, &tm, &td);
	int years = ty - y - ((tm < m || (tm == m && td < dd)) ? 1 : 0);
	if (years >= 1)
		return arena_printf(&req->arena, "%d year%s", years, years == 1 ? "" : "s");
	int months = (ty - y) * 12 + (tm - m) - (td < dd ? 1 : 0);
	return arena_printf(&req->arena, "%d month%s", months, months == 1 ? "" : "s");
}

/* Adds due_long ("4 September 2026") to clock rows; returns rows. */
static json_t *with_long_dates(struct http_request *req, json_t *rows)
{
	size_t i;
	json_t *r;
	json_array_foreach(rows, i, r) json_object_set_new(
		r, "due_long", json_string(long_date(req, json_string_value(json_object_get(r, "due_day")))));
	return rows;
}

/* ---- my work ---- */

/* The information-sharing decisions I recorded that still need something (procedures-B 3.5.3, 3.5.6): the child or
 * family not yet told, or the recipient's address still waiting for a colleague's check. */
static json_t *sharing_follow_ups(struct http_request *req)
{
	json_t *out = json_array();
	struct store_stmt *s = store_prepare(
		req->store, "SELECT d.child_id, ch.forenames, ch.surname, d.recipient_name, "
		            "COALESCE(d.subject_informed, '') = 'not_yet', "
		            "d.address_check_required = 1 AND d.address_checked_by IS NULL "
		            "FROM sharing_decisions d JOIN children ch ON ch.id = d.child_id WHERE d.decided_by = $1 "
		            "AND (d.subject_informed = 'not_yet' OR (d.address_check_required = 1 AND "
		            "d.address_checked_by IS NULL)) ORDER BY d.decided_at LIMIT 50");
	if (!s)
		return out;
	store_bind_text(s, 1, req->user.id);
	while (store_step(s) == STORE_ROW) {
		json_array_append_new(
			out, json_pack("{s:s, s:s, s:s, s:b, s:b}", "child_id", store_col_text(s, 0), "child_name",
			               arena_printf(&req->arena, "%s %s", store_col_text(s, 1), store_col_text(s, 2)),
			               "recipient", store_col_text(s, 3), "not_told", (int)store_col_int(s, 4),
			               "address_pending", (int)store_col_int(s, 5)));
	}
	store_reset(s);
	/* Only children I may still open (after a move of team, say). */
	for (size_t i = 0; i < json_array_size(out);) {
		if (policy_child(req->store, &req->user, "sharing.record",
		                 json_string_value(json_object_get(json_array_get(out, i), "child_id"))))
			i++;
		else
			json_array_remove(out, i);
	}
	return out;
}

static void h_home(struct http_request *req)
{
	json_t *cases = json_array();
	struct store_stmt *s = store_prepare(
		req->store, "SELECT c.id, c.stage, c.opened_at, ch.id, ch.forenames, ch.surname, ch.dob, ch.is_unborn, "
		            "ch.edd FROM cases c JOIN children ch ON ch.id = c.child_id "
		            "WHERE c.allocated_user_id = $1 AND c.closed_at IS NULL ORDER BY ch.surname, ch.forenames");
	if (s) {
		store_bind_text(s, 1, req->user.id);
		while (store_step(s) == STORE_ROW) {
			const char *stage = store_col_text(s, 1);
			const char *label = enums_label("case_stage", stage);
			json_array_append_new(
				cases, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "case_id", store_col_text(s, 0), "stage",
				                 label ? label : stage, "opened", long_date(req, store_col_text(s, 2)), "child_id",
				                 store_col_text(s, 3), "name",
				                 arena_printf(&req->arena, "%s %s", store_col_text(s, 4), store_col_text(s, 5)),
				                 "born", store_col_int(s, 7)
				                         ? arena_printf(&req->arena, "Due %s", long_date(req, store_col_text(s, 8)))
				                         : long_date(req, store_col_text(s, 6))));
		}
	}
	/* My overdue work and what falls due in the next 5 working days (about a week), first thing (U1). */
	struct app *app = req->app;
	struct clock_engine eng = {app->clock_rules, app->calendar};
	struct clock_query q = {.scope = CLOCK_SCOPE_USER, .scope_id = req->user.id, .window = CLOCK_OVERDUE,
	                        .now = moment_now(), .working_days = 5, .limit = 100};
	json_t *overdue = clock_list(req->store, &eng, &q);
	q.window = CLOCK_DUE_WITHIN;
	json_t *soon = clock_list(req->store, &eng, &q);
	json_t *ctx = json_pack("{s:o, s:i, s:o, s:o, s:i, s:i}", "cases", cases, "case_count",
	                        (int)json_array_size(cases), "overdue", with_long_dates(req, overdue), "soon",
	                        with_long_dates(req, soon), "overdue_count", (int)json_array_size(overdue), "soon_count",
	                        (int)json_array_size(soon));
	/* A manager sees the team's overdue work on the same page (U1). */
	if (req->user.team_id && policy_allows_action(&req->user, "clock.team")) {
		q.scope = CLOCK_SCOPE_TEAM;
		q.scope_id = req->user.team_id;
		q.window = CLOCK_OVERDUE;
		json_t *team = clock_list(req->store, &eng, &q);
		json_object_set_new(ctx, "team_overdue_count", json_integer((json_int_t)json_array_size(team)));
		json_object_set_new(ctx, "team_overdue", with_long_dates(req, team));
		json_object_set_new(ctx, "is_manager", json_true());
	}
	json_object_set_new(ctx, "alerts", alerts_unread(req)); /* e.g. someone used emergency access (issue 7) */
	json_object_set_new(ctx, "sharing_follow_ups", sharing_follow_ups(req));
	/* A partner referrer starts a referral from here (the question pages of src/pathway/partner.h). */
	json_object_set_new(ctx, "can_refer", json_boolean(policy_allows_action(&req->user, "referral.submit")));
	/* Deadlines and an own caseload only for those whose role carries them; a partner's page is not a wall of
	 * empty tables. */
	json_object_set_new(ctx, "has_caseload",
	                    json_boolean(policy_allows_action(&req->user, "clock.read") || json_array_size(cases)));
	web_page(req, 200, "home", "My work", ctx);
}

/* ---- search ---- */

/* Adds "born" (a long date, or "Unborn, due ...") and "why" (the match reasons in a sentence) to result rows. */
static void results_for_page(struct http_request *req, json_t *results)
{
	size_t i;
	json_t *r;
	json_array_foreach(results, i, r) {
		const char *dob = json_string_value(json_object_get(r, "dob"));
		const char *edd = json_string_value(json_object_get(r, "edd"));
		json_object_set_new(r, "born", json_string(json_is_true(json_object_get(r, "is_unborn"))
		                                               ? arena_printf(&req->arena, "Unborn, due %s", long_date(req, edd))
		                                               : long_date(req, dob)));
		struct buf why;
		buf_init(&why, 256);
		size_t j;
		json_t *w;
		json_array_foreach(json_object_get(r, "match_reasons"), j, w)
			buf_addf(&why, "%s%s", j ? ", " : "", json_string_value(w));
		json_object_set_new(r, "why", json_string(buf_str(&why)));
		buf_free(&why);
	}
}

static void h_children_page(struct http_request *req)
{
	const char *q = http_query(req, "q");
	json_t *ctx = json_object();
	if (q && *q) {
		json_t *found = strlen(q) <= SEARCH_QUERY_MAX
		                        ? search_children(req->store, q, 50)
		                        : json_pack("{s:[], s:[s]}", "results", "notices",
		                                    "The search must be 100 characters or fewer.");
		json_t *results = json_object_get(found, "results");
		results_for_page(req, results);
		json_object_set_new(ctx, "q", json_string(q));
		json_object_set_new(ctx, "searched", json_true());
		json_object_set_new(ctx, "result_count", json_integer((json_int_t)json_array_size(results)));
		json_object_set_new(ctx, "partial", json_boolean(json_is_true(json_object_get(json_array_get(results, 0), "partial"))));
		json_object_set(ctx, "results", results);
		json_object_set(ctx, "notices", json_object_get(found, "notices"));
		json_decref(found);
	}
	json_object_set_new(ctx, "can_create", json_boolean(policy_allows_action(&req->user, "child.create")));
	web_page(req, 200, "children", "Find a child", ctx);
}

/* Chronology rows as the pages show them: long dates and labels. Steals items. */
static json_t *chronology_page_items(struct http_request *req, json_t *items)
{
	if (!items)
		return json_array();
	size_t i;
	json_t *e;
	json_array_foreach(items, i, e) {
		const char *type = json_string_value(json_object_get(e, "event_type"));
		const char *label = enums_label("chronology_event_type", type);
		json_object_set_new(e, "date", json_string(long_date(req, json_string_value(json_object_get(e, "event_date")))));
		json_object_set_new(e, "type", json_string(label ? label : type));
		json_object_set_new(e, "significant",
		                    json_boolean(strcmp(json_string_value(json_object_get(e, "significance")), "routine")));
		/* A short tag for an entry that must not leave the agency (5.11): the pack leaves these out. */
		const char *r = json_string_value(json_object_get(e, "restriction"));
		const char *tag = !r ? NULL
		                  : !strcmp(r, "restricted")  ? "Restricted"
		                  : !strcmp(r, "third_party") ? "Third party"
		                  : !strcmp(r, "withheld")    ? "Not to be shared"
		                                              : NULL;
		if (tag)
			json_object_set_new(e, "restriction_tag", json_string(tag));
	}
	return items;
}

/* ---- the whole chronology: filters, print, CSV ---- */

static void csv_field(struct buf *b, const char *s)
{
	buf_addc(b, '"');
	for (; s && *s; s++) {
		if (*s == '"')
			buf_addc(b, '"');
		buf_addc(b, *s);
	}
	buf_addc(b, '"');
}

static void h_chronology_page(struct http_request *req)
{
	const char *id = http_param(req, 0);
	if (!command_child_allowed(req, "child.read", id))
		return;
	json_t *child = records_child_view(req, id);
	if (!child) {
		web_not_found(req);
		return;
	}
	const char *from = http_query(req, "from"), *to = http_query(req, "to");
	const char *type = http_query(req, "type"), *sig = http_query(req, "significance");
	int32_t d;
	json_t *errors = json_array();
	if (from && *from && date_parse(from, &d) < 0)
		json_array_append_new(errors, json_pack("{s:s, s:s}", "field", "from", "message",
		                                        "The start date must be a real date, like 2025-01-31"));
	if (to && *to && date_parse(to, &d) < 0)
		json_array_append_new(errors, json_pack("{s:s, s:s}", "field", "to", "message",
		                                        "The end date must be a real date, like 2026-01-31"));
	bool bad = json_array_size(errors) > 0;
	json_t *items = chronology_query(req->store, id, bad || !from || !*from ? NULL : from,
	                                 bad || !to || !*to ? NULL : to, type && *type ? type : NULL,
	                                 sig && *sig ? sig : NULL, 5000,
	                                 policy_child(req->store, &req->user, "child.restricted", id));
	bool csv = strstr(req->path, ".csv") != NULL;
	if (csv)
		command_audit_export(req, "chronology", NULL, id);
	else
		command_audit_read(req, "chronology", NULL, id);
	const char *name = arena_printf(&req->arena, "%s %s", json_string_value(json_object_get(child, "forenames")),
	                                json_string_value(json_object_get(child, "surname")));
	if (csv) {
		struct buf b;
		buf_init(&b, 0);
		buf_adds(&b, "date,event,significance,summary,source\r\n");
		size_t i;
		json_t *e;
		json_array_foreach(items, i, e) {
			static const char *const cols[] = {"event_date", "event_type", "significance", "summary", "source_type"};
			for (size_t c = 0; c < 5; c++) {
				if (c)
					buf_addc(&b, ',');
				csv_field(&b, json_string_value(json_object_get(e, cols[c])));
			}
			buf_adds(&b, "\r\n");
		}
		http_respond(req, 200, "text/csv; charset=utf-8", b.data ? b.data : "", b.len);
		http_header(req, "Content-Disposition", "attachment; filename=\"chronology.csv\"");
		buf_free(&b);
		json_decref(items);
		json_decref(child);
		json_decref(errors);
		return;
	}
	json_t *types = enums_list("chronology_event_type");
	size_t i;
	json_t *t;
	json_array_foreach(types, i, t) json_object_set_new(
		t, "selected", json_boolean(type && strcmp(type, json_string_value(json_object_get(t, "code"))) == 0));
	json_t *ctx = json_pack("{s:s, s:s, s:o, s:o, s:s, s:s, s:s, s:b, s:b, s:s}", "child_id", id, "name", name,
	                        "items", chronology_page_items(req, items), "types", types, "from", from ? from : "",
	                        "to", to ? to : "", "query", req->raw_query, "sig_significant",
	                        sig && strcmp(sig, "significant") == 0, "sig_critical", sig && strcmp(sig, "critical") == 0,
	                        "back_href", arena_printf(&req->arena, "/children/%s", id));
	web_add_errors(ctx, errors);
	json_decref(errors);
	json_decref(child);
	web_page(req, bad ? 400 : 200, "chronology", arena_printf(&req->arena, "Chronology: %s", name), ctx);
}

/* ---- a child's page ---- */

static void h_child_page(struct http_request *req)
{
	const char *id = http_param(req, 0);
	if (!command_child_allowed(req, "child.read", id))
		return;
	json_t *child = records_child_view(req, id);
	if (!child) {
		web_not_found(req);
		return;
	}
	const char *dob = json_string_value(json_object_get(child, "dob"));
	json_object_set_new(child, "dob_long", json_string(long_date(req, dob)));
	json_object_set_new(child, "age", json_string(age_text(req, dob)));
	json_object_set_new(child, "edd_long",
	                    json_string(long_date(req, json_string_value(json_object_get(child, "edd")))));
	const char *gender = json_string_value(json_object_get(child, "gender"));
	json_object_set_new(child, "gender_label", json_string(gender && enums_label("gender", gender)
	                                                            ? enums_label("gender", gender) : "Not recorded"));
	size_t i;
	json_t *c;
	json_array_foreach(json_object_get(child, "cases"), i, c) {
		const char *stage = json_string_value(json_object_get(c, "stage"));
		json_object_set_new(c, "stage_label", json_string(enums_label("case_stage", stage)));
		json_object_set_new(c, "opened_long",
		                    json_string(long_date(req, json_string_value(json_object_get(c, "opened_at")))));
	}
	json_array_foreach(json_object_get(child, "relationships"), i, c) {
		const char *t = json_string_value(json_object_get(c, "relationship_type"));
		json_object_set_new(c, "relationship_label", json_string(enums_label("relationship_type", t)));
	}
	/* The latest entries only: the whole chronology has its own page with filters, print and CSV. */
	bool restricted = policy_child(req->store, &req->user, "child.restricted", id);
	json_t *chron =
		chronology_page_items(req, chronology_query(req->store, id, NULL, NULL, NULL, NULL, 20, restricted));
	json_object_set_new(child, "chronology_total", json_integer(chronology_count(req->store, id, restricted)));
	command_audit_read(req, "child", id, id);
	struct app *app = req->app;
	json_t *support = policy_child(req->store, &req->user, "support.read", id)
	                          ? support_view_summary(req->store, app->support, id, date_today())
	                          : NULL;
	const char *name = arena_printf(&req->arena, "%s %s", json_string_value(json_object_get(child, "forenames")),
	                                json_string_value(json_object_get(child, "surname")));
	json_t *ctx = json_pack("{s:o, s:o, s:s, s:b}", "child", child, "chronology", chron, "name", name,
	                        "can_update", policy_child(req->store, &req->user, "child.update", id));
	if (support)
		json_object_set_new(ctx, "support_summary", support);
	web_page(req, 200, "child", name, ctx);
}

/* ---- recording a new child ---- */

/* What the form shows for a field: what was posted, else what the user's saved draft holds (U4). */
static const char *form_value(struct http_request *req, json_t *draft, const char *key)
{
	const char *v = http_form(req, key);
	return v ? v : json_string_value(json_object_get(draft, key));
}

static json_t *date_parts(const char *name, const char *label, const char *hint, struct http_request *req,
                          json_t *error_map, json_t *draft)
{
	char k[64];
	snprintf(k, sizeof k, "%s-day", name);
	const char *d = form_value(req, draft, k);
	snprintf(k, sizeof k, "%s-month", name);
	const char *m = form_value(req, draft, k);
	snprintf(k, sizeof k, "%s-year", name);
	const char *y = form_value(req, draft, k);
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:O?, s:b}", "name", name, "label", label, "hint", hint, "day",
	                 d ? d : "", "month", m ? m : "", "year", y ? y : "", "error",
	                 json_object_get(error_map, name), "heading", 0);
}

/* dups (stolen, may be NULL): likely duplicates the user must look at and confirm are other children. */
static void render_new_child(struct http_request *req, int status, json_t *errors, json_t *dups)
{
	json_t *ctx = json_object();
	if (dups && json_array_size(dups)) {
		results_for_page(req, dups);
		json_object_set_new(ctx, "duplicates", dups);
	} else {
		json_decref(dups);
	}
	/* Opened afresh (not a refused submit): carry on from the draft, say after signing in again. */
	json_t *draft = req->nform ? NULL : drafts_load(req, "/children/new");
	json_object_set_new(ctx, "from_draft", json_boolean(draft != NULL));
	if (errors) {
		web_add_errors(ctx, errors);
		/* Date errors point at the day box, as the GOV.UK pattern asks (after web_add_errors, which links each
		 * error to its field's id). */
		size_t i;
		json_t *e;
		json_array_foreach(errors, i, e) {
			const char *f = json_string_value(json_object_get(e, "field"));
			if (f && (strcmp(f, "dob") == 0 || strcmp(f, "edd") == 0))
				json_object_set_new(e, "href", json_sprintf("#%s-day", f));
		}
		json_decref(errors);
	}
	json_t *emap = json_object_get(ctx, "error_map");
	json_object_set_new(ctx, "dob", date_parts("dob", "Date of birth", "For example, 27 3 2019", req, emap, draft));
	json_object_set_new(ctx, "edd",
	                    date_parts("edd", "Expected date of delivery", "Only for an unborn child", req, emap, draft));
	json_t *form = json_object();
	static const char *const keep[] = {"forenames", "surname", "gender", "nhs_number", "postcode", "address"};
	for (size_t i = 0; i < sizeof keep / sizeof keep[0]; i++) {
		const char *v = form_value(req, draft, keep[i]);
		json_object_set_new(form, keep[i], json_string(v ? v : ""));
	}
	const char *confirmed = http_form(req, "not_duplicate");
	json_object_set_new(form, "not_duplicate", json_boolean(confirmed && strcmp(confirmed, "yes") == 0));
	const char *unborn = form_value(req, draft, "is_unborn");
	json_object_set_new(form, "is_unborn", json_boolean(unborn && strcmp(unborn, "yes") == 0));
	json_object_set_new(ctx, "form", form);
	json_t *genders = enums_list("gender");
	const char *g = form_value(req, draft, "gender");
	size_t i;
	json_t *opt;
	json_array_foreach(genders, i, opt) json_object_set_new(
		opt, "selected", json_boolean(g && strcmp(g, json_string_value(json_object_get(opt, "code"))) == 0));
	json_object_set_new(ctx, "genders", genders);
	json_object_set_new(ctx, "back_href", json_string("/children"));
	web_page(req, status, "child_new", "Record a new child", ctx);
	json_decref(draft);
}

static void h_child_new(struct http_request *req)
{
	render_new_child(req, 200, NULL, NULL);
}

static void h_child_create(struct http_request *req)
{
	json_t *in = record_from_form(&entity_child, req);
	json_t *errors = json_array();
	/* Likely duplicates stop the save until the user confirms none of them is this child (usability goal U6). */
	const char *confirmed = http_form(req, "not_duplicate");
	json_t *dups = records_likely_duplicates(req, in);
	if (json_array_size(dups) && !(confirmed && strcmp(confirmed, "yes") == 0)) {
		record_validate(req->store, &entity_child, in, false, errors);
		json_array_append_new(errors, json_pack("{s:s, s:s}", "field", "not_duplicate", "message",
		                                        "Check the children already recorded who may be this child, then "
		                                        "confirm none of them is"));
		json_decref(in);
		render_new_child(req, 422, errors, dups);
		return;
	}
	char id[ID_MAX];
	int rc = records_create_child(req, in, errors, id);
	json_decref(in);
	if (rc == 1) {
		render_new_child(req, 422, errors, dups);
		return;
	}
	json_decref(dups);
	json_decref(errors);
	if (rc < 0)
		return;
	drafts_delete(req, "/children/new"); /* the child is saved: the draft has done its job */
	http_redirect(req, arena_printf(&req->arena, "/children/%s", id));
}

const struct route pages_routes[] = {
	{HTTP_GET, "/", h_home, "session.self"},
	{HTTP_GET, "/children", h_children_page, "child.search"},
	{HTTP_GET, "/children/new", h_child_new, "child.create"},
	{HTTP_POST, "/children", h_child_create, "child.create"},
	{HTTP_GET, "/children/:id", h_child_page, "child.read"},
	{HTTP_GET, "/children/:id/chronology", h_chronology_page, "child.read"},
	{HTTP_GET, "/children/:id/chronology.csv", h_chronology_page, "child.read"},
	{0},
};
