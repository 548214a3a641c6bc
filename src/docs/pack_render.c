/* The information pack's content, from the live record, by one function for both copies (pack.h). What leaves an
 * item out is decided in three places only, each named here: restricted fields (the field table, through
 * record_redact), chronology entries (their restriction) and conference reports (withheld from the family). The
 * agency copy says how many items each section left out, citing 5.11, and nothing about what they were. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/access_control.h"
#include "core/date.h"
#include "docs/pack.h"
#include "domain/chronology.h"
#include "domain/entities.h"
#include "domain/enums.h"
#include "domain/record.h"
#include "ui/format.h"

#define PACK_MAX_BYTES ((size_t)32 * 1024 * 1024)
/* No single append is larger than this (a report's text is far smaller), so a pack that ends further than this
 * below the maximum had no append refused: nothing was silently dropped from it. */
#define PACK_SLACK ((size_t)1024 * 1024)

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

static const char *str(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

static const char *lbl(const char *list, const char *code)
{
	const char *l = code ? enums_label(list, code) : NULL;
	return l ? l : code;
}

/* "Date of birth" from the field table's "date of birth". */
static const char *capital(struct http_request *req, const char *label)
{
	char *s = arena_strdup(&req->arena, label ? label : "");
	if (*s >= 'a' && *s <= 'z')
		*s = (char)(*s - 'a' + 'A');
	return s;
}

/* The marker that replaces what a section left out: a count and the paragraph, never the content. */
static void left_out(struct buf *b, int n)
{
	if (n <= 0)
		return;
	buf_addf(b, "<p class=\"left-out\">%d %s left out under 5.11 (information that must or may be withheld).</p>\n",
	         n, n == 1 ? "item" : "items");
}

/* In the file copy, what the agency copy leaves out is shown inside this frame. */
static void open_withheld(struct buf *b, const char *why)
{
	buf_adds(b, "<div class=\"withheld\">\n<p><strong>Left out of the agency copy: ");
	esc(b, why);
	buf_adds(b, "</strong></p>\n");
}

static const char *field_value(struct http_request *req, const struct field *f, json_t *v)
{
	if (json_is_true(v))
		return "Yes";
	if (!json_is_string(v))
		return NULL;
	const char *s = json_string_value(v);
	if (f->type == FIELD_DATE)
		return format_long_date(&req->arena, s);
	if (f->type == FIELD_ENUM && f->enum_name)
		return lbl(f->enum_name, s);
	return s;
}

/* Fields of the child that describe them. Bookkeeping (ids, who wrote the row) is not part of a pack, nor is the
 * flag that says an address is restricted: it would tell the reader there is a refuge. */
static bool summary_field(const struct field *f)
{
	static const char *const skip[] = {"id", "created_at", "created_by", "updated_at", "updated_by",
	                                   "address_restricted", "is_unborn"};
	for (size_t i = 0; i < sizeof skip / sizeof skip[0]; i++)
		if (strcmp(f->name, skip[i]) == 0)
			return false;
	return true;
}

static void child_section(struct http_request *req, struct buf *b, json_t *child, bool agency_copy,
                          struct pack_counts *n)
{
	json_t *shown = json_deep_copy(child);
	/* The same function that hides restricted fields on screen decides what a pack leaves out: always, whatever
	 * the person making the pack may see themselves. */
	record_redact(&entity_child, shown, false);
	n->fields_left_out = (int)json_array_size(json_object_get(shown, "restricted_fields"));
	buf_adds(b, "<h2>The child</h2>\n<table>\n");
	for (const struct field *f = entity_child.fields; f->name; f++)
		if (summary_field(f) && json_object_get(shown, f->name))
			row(b, capital(req, f->label), field_value(req, f, json_object_get(shown, f->name)));
	buf_adds(b, "</table>\n");
	if (agency_copy) {
		left_out(b, n->fields_left_out);
	} else if (n->fields_left_out) {
		open_withheld(b, "restricted details (5.10, 5.11)");
		buf_adds(b, "<table>\n");
		size_t i;
		json_t *name;
		json_array_foreach(json_object_get(shown, "restricted_fields"), i, name) {
			const struct field *f = record_field(&entity_child, json_string_value(name));
			row(b, capital(req, f->label), field_value(req, f, json_object_get(child, f->name)));
		}
		buf_adds(b, "</table>\n</div>\n");
	}
	json_decref(shown);
}

/* The people around the child: names, relationship, parental responsibility. Nothing of the person's own record
 * (address, contact details, risk history) goes: that is their information, not the child's. */
static void people_section(struct http_request *req, struct buf *b, const char *child_id)
{
	struct store_stmt *s = store_prepare(
		req->store, "SELECT p.forenames, p.surname, r.relationship_type, r.has_parental_responsibility, "
		            "r.resident_in_household FROM relationships r JOIN persons p ON p.id = r.person_id "
		            "WHERE r.child_id = $1 AND r.end_date IS NULL ORDER BY r.created_at, r.id");
	if (!s)
		return;
	store_bind_text(s, 1, child_id);
	bool any = false;
	while (store_step(s) == STORE_ROW) {
		if (!any)
			buf_adds(b, "<h2>People around the child</h2>\n<table>\n");
		any = true;
		const char *rel = lbl("relationship_type", store_col_text(s, 2));
		row(b, arena_printf(&req->arena, "%s %s", store_col_text(s, 0), store_col_text(s, 1)),
		    arena_printf(&req->arena, "%s%s%s", rel ? rel : "", store_col_int(s, 3) ? "; has parental responsibility" : "",
		                 store_col_int(s, 4) ? "; lives in the child's household" : ""));
	}
	if (any)
		buf_adds(b, "</table>\n");
}

static bool type_in_scope(const struct pack_scope *sc, const char *type)
{
	if (json_array_size(sc->event_types) == 0)
		return true;
	size_t i;
	json_t *t;
	json_array_foreach(sc->event_types, i, t) if (type && strcmp(json_string_value(t), type) == 0) return true;
	return false;
}

static void entry_row(struct http_request *req, struct buf *b, json_t *e)
{
	const char *t = str(e, "event_type");
	buf_adds(b, "<tr><td>");
	esc(b, format_long_date(&req->arena, str(e, "event_date")));
	buf_adds(b, "</td><td>");
	esc(b, lbl("chronology_event_type", t));
	buf_adds(b, "</td><td>");
	esc(b, str(e, "summary"));
	buf_adds(b, "</td></tr>\n");
}

static const char *scope_line(struct http_request *req, const struct pack_scope *sc)
{
	struct buf w;
	buf_init(&w, 8192);
	buf_adds(&w, "Entries ");
	if (sc->from || sc->to)
		buf_addf(&w, "%s%s%s%s", sc->from ? "from " : "", sc->from ? format_long_date(&req->arena, sc->from) : "",
		         sc->from && sc->to ? " to " : sc->to ? "up to " : "", sc->to ? format_long_date(&req->arena, sc->to) : "");
	else
		buf_adds(&w, "from the whole record");
	if (json_array_size(sc->event_types)) {
		buf_adds(&w, "; only these kinds: ");
		size_t i;
		json_t *t;
		json_array_foreach(sc->event_types, i, t)
			buf_addf(&w, "%s%s", i ? ", " : "", lbl("chronology_event_type", json_string_value(t)));
	}
	buf_adds(&w, ". Newest first.");
	const char *line = arena_strdup(&req->arena, buf_str(&w));
	buf_free(&w);
	return line;
}

/* Every entry in scope is read, the restricted ones included, so that the count of what was left out is true
 * whoever makes the pack; none of their text reaches the agency copy. */
static int chronology_section(struct http_request *req, struct buf *b, const struct pack_scope *sc, bool agency_copy,
                              struct pack_counts *n)
{
	json_t *items = chronology_query(req->store, sc->child_id, sc->from, sc->to, NULL, NULL, 5000, true);
	if (!items)
		return -1;
	json_t *kept = json_array(), *out = json_array();
	size_t i;
	json_t *e;
	json_array_foreach(items, i, e) {
		if (!type_in_scope(sc, str(e, "event_type")))
			continue;
		const char *r = str(e, "restriction");
		json_array_append(r && strcmp(r, "none") != 0 ? out : kept, e);
	}
	n->entries = (int)json_array_size(kept);
	n->entries_left_out = (int)json_array_size(out);
	buf_adds(b, "<h2>Chronology</h2>\n<p>");
	esc(b, scope_line(req, sc));
	buf_adds(b, "</p>\n");
	if (json_array_size(kept)) {
		buf_adds(b, "<table>\n<tr><th>Date</th><th>Event</th><th>What happened</th></tr>\n");
		json_array_foreach(kept, i, e) entry_row(req, b, e);
		buf_adds(b, "</table>\n");
	} else {
		buf_adds(b, "<p>No entries to share in this period.</p>\n");
	}
	if (agency_copy) {
		left_out(b, n->entries_left_out);
	} else if (json_array_size(out)) {
		open_withheld(b, "restricted, third-party and withheld entries (5.11)");
		buf_adds(b, "<table>\n<tr><th>Date</th><th>Event</th><th>What happened</th><th>Why left out</th></tr>\n");
		json_array_foreach(out, i, e) {
			buf_adds(b, "<tr><td>");
			esc(b, format_long_date(&req->arena, str(e, "event_date")));
			buf_adds(b, "</td><td>");
			esc(b, lbl("chronology_event_type", str(e, "event_type")));
			buf_adds(b, "</td><td>");
			esc(b, str(e, "summary"));
			buf_adds(b, "</td><td>");
			esc(b, lbl("chronology_restriction", str(e, "restriction")));
			buf_adds(b, "</td></tr>\n");
		}
		buf_adds(b, "</table>\n</div>\n");
	}
	json_decref(kept);
	json_decref(out);
	json_decref(items);
	return 0;
}

/* The reports agencies wrote for the child's conferences, submitted in the pack's period. A report withheld from
 * the family holds material its author or the chair would not have passed on (4.14.5, 5.11): it never goes. */
static void reports_section(struct http_request *req, struct buf *b, const struct pack_scope *sc, bool agency_copy,
                            struct pack_counts *n)
{
	char to_next[DATE_ISO_LEN];
	int32_t d;
	if (sc->to && date_parse(sc->to, &d) == 0)
		date_format(d + 1, to_next);
	struct store_stmt *s = store_prepare(
		req->store,
		"SELECT r.report_type, r.title, r.content, r.submitted_at, r.withheld_from_family, r.withholding_reason, "
		"a.name FROM conference_reports r JOIN conference_children cc ON cc.conference_id = r.conference_id "
		"LEFT JOIN agencies a ON a.id = r.agency_id WHERE cc.child_id = $1 AND ($2 IS NULL OR r.submitted_at >= $2) "
		"AND ($3 IS NULL OR r.submitted_at < $3) ORDER BY r.submitted_at, r.id");
	if (!s)
		return;
	store_bind_text(s, 1, sc->child_id);
	store_bind_text(s, 2, sc->from);
	store_bind_text(s, 3, sc->to ? to_next : NULL);
	buf_adds(b, "<h2>Reports to child protection conferences</h2>\n");
	int shown = 0;
	while (store_step(s) == STORE_ROW) {
		bool withheld = store_col_int(s, 4) != 0;
		if (withheld) {
			n->reports_left_out++;
			if (agency_copy)
				continue;
			open_withheld(b, "a report withheld from the family (4.14.5, 5.11)");
		}
		const char *agency = store_col_text(s, 6);
		buf_adds(b, "<h3>");
		esc(b, arena_printf(&req->arena, "%s: %s", lbl("conference_report_type", store_col_text(s, 0)),
		                    store_col_text(s, 1)));
		buf_adds(b, "</h3>\n<p>");
		esc(b, arena_printf(&req->arena, "%s%sSubmitted %s.", agency ? agency : "", agency ? ". " : "",
		                    format_long_date(&req->arena, store_col_text(s, 3))));
		buf_adds(b, "</p>\n<p class=\"pre\">");
		esc(b, store_col_text(s, 2));
		buf_adds(b, "</p>\n");
		if (withheld) {
			buf_adds(b, "<p>");
			esc(b, store_col_text(s, 5));
			buf_adds(b, "</p>\n</div>\n");
		} else {
			shown++;
		}
	}
	if (!shown && (agency_copy || !n->reports_left_out))
		buf_adds(b, "<p>No reports to share in this period.</p>\n");
	if (agency_copy)
		left_out(b, n->reports_left_out);
}

static void decision_section(struct http_request *req, struct buf *b, json_t *dec)
{
	json_t *labels = json_object_get(dec, "labels");
	buf_adds(b, "<h2>The decision to share</h2>\n<table>\n");
	row(b, "Decision", str(labels, "decision"));
	row(b, "For", arena_printf(&req->arena, "%s (%s)", str(dec, "recipient_name"), str(labels, "recipient_type")));
	row(b, "What was agreed", str(dec, "information"));
	row(b, "Why", str(dec, "reason"));
	row(b, "Lawful basis", str(labels, "lawful_basis"));
	row(b, "Special category condition", str(labels, "special_category_condition"));
	row(b, "Schedule 1 condition", str(labels, "schedule1_condition"));
	row(b, "Decided by", arena_printf(&req->arena, "%s, %s", str(dec, "decided_by_name"), str(labels, "decided_at")));
	buf_adds(b, "</table>\n");
}

char *pack_render(struct http_request *req, const struct pack_scope *sc, bool agency_copy, struct pack_counts *n)
{
	memset(n, 0, sizeof *n);
	json_t *child = record_get(req->store, &entity_child, sc->child_id);
	json_t *dec = child ? sharing_decision_view(req, sc->child_id, sc->decision_id) : NULL;
	if (!child || !dec) {
		json_decref(child);
		return NULL;
	}
	const char *name = arena_printf(&req->arena, "%s %s", str(child, "forenames"), str(child, "surname"));
	const char *title = agency_copy ? arena_printf(&req->arena, "Information pack for %s", str(dec, "recipient_name"))
	                                : arena_printf(&req->arena, "Information pack for %s: file copy",
	                                               str(dec, "recipient_name"));
	char now[MOMENT_ISO_LEN];
	moment_format(moment_now(), now);
	struct buf b;
	buf_init(&b, PACK_MAX_BYTES);
	buf_adds(&b, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>");
	esc(&b, title);
	buf_adds(&b, "</title><style>body{font-family:Arial,sans-serif;max-width:45em;margin:2em auto;line-height:1.4}"
	             "table{border-collapse:collapse;width:100%}th,td{text-align:left;vertical-align:top;padding:.3em;"
	             "border-bottom:1px solid #b1b4b6}.pre{white-space:pre-wrap}.left-out{font-style:italic}"
	             ".withheld{border-left:4px solid #d4351c;padding-left:1em}</style></head><body>\n<h1>");
	esc(&b, title);
	buf_adds(&b, "</h1>\n<p>");
	esc(&b, arena_printf(&req->arena, "About %s. Made by Safeguard from the record as it stood on %s.", name,
	                     format_long_moment(&req->arena, now)));
	buf_adds(&b, agency_copy
	                 ? " Restricted details, information about or from third parties and anything withheld have been "
	                   "left out; each section says how many items (SET procedures 5.11). Share it no further than "
	                   "the purpose below needs (procedures-B 3.4.4).</p>\n"
	                 : " This is the file copy: it shows, marked, everything the agency copy leaves out. It stays with "
	                   "the child's record and is not to be sent.</p>\n");
	decision_section(req, &b, dec);
	child_section(req, &b, child, agency_copy, n);
	people_section(req, &b, sc->child_id);
	int rc = chronology_section(req, &b, sc, agency_copy, n);
	if (sc->include_reports)
		reports_section(req, &b, sc, agency_copy, n);
	buf_adds(&b, "<p>OFFICIAL-SENSITIVE. Made for the decision recorded above; the receiving agency keeps its own "
	             "record of what it received (procedures-B 3.5.1).</p>\n</body></html>\n");
	json_decref(child);
	json_decref(dec);
	if (rc < 0 || b.len > PACK_MAX_BYTES - PACK_SLACK) {
		buf_free(&b);
		return NULL;
	}
	return buf_detach(&b);
}
