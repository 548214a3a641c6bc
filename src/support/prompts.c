#include "support/prompts.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/date.h"
#include "core/xmalloc.h"
#include "domain/enums.h"
#include "support/support_alerts.h"
#include "support/combine.h"
#include "support/neglect.h"

struct builder {
	const struct support_catalogue *cat;
	const char *child_id;
	json_t *out;
};

/* A prompt under construction; "key" (the data that identifies it) is removed when it is finished. */
static json_t *prompt_new(const char *rule, const char *kind, const char *level, const char *title,
                          const char *message, const char *citation)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:[], s:[], s:[], s:[]}", "rule", rule, "kind", kind, "level",
	                 level, "title", title, "message", message, "citation", citation, "actions", "triggers",
	                 "paragraphs", "key");
}

static void add_key(json_t *p, const char *k)
{
	json_array_append_new(json_object_get(p, "key"), json_string(k));
}

static void add_trigger(json_t *p, const char *type, const char *id, const char *date, const char *summary,
                        const char *source)
{
	json_array_append_new(json_object_get(p, "triggers"),
	                      json_pack("{s:s, s:s, s:s?, s:s, s:s?}", "type", type, "id", id, "date", date, "summary",
	                                summary ? summary : "", "source", source));
}

static void add_paragraph(struct builder *b, json_t *p, const char *entry_id)
{
	json_t *e = support_catalogue_get(b->cat, entry_id);
	if (!e)
		return;
	size_t i;
	json_t *have;
	json_array_foreach(json_object_get(p, "paragraphs"), i, have) {
		if (strcmp(support_str(have, "id"), entry_id) == 0)
			return;
	}
	static const char *const text_keys[] = {"description", "text", "message", "summary", "title", "name"};
	const char *text = NULL;
	for (size_t k = 0; !text && k < sizeof text_keys / sizeof text_keys[0]; k++)
		text = support_str(e, text_keys[k]);
	const char *title = support_str(e, "title");
	json_array_append_new(json_object_get(p, "paragraphs"),
	                      json_pack("{s:s, s:s, s:s?, s:s}", "id", entry_id, "citation", support_str(e, "citation"),
	                                "title", title, "text", text ? text : ""));
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* prm_ + 16 characters of Crockford base32 from the SHA-256 of child, rule and sorted keys. */
static void prompt_id(const char *child_id, json_t *p, char out[32])
{
	static const char alphabet[] = "0123456789abcdefghjkmnpqrstvwxyz";
	json_t *keys = json_object_get(p, "key");
	size_t n = json_array_size(keys);
	const char **sorted = n ? xmalloc(n * sizeof *sorted) : NULL;
	for (size_t i = 0; i < n; i++)
		sorted[i] = json_string_value(json_array_get(keys, i));
	if (n)
		qsort(sorted, n, sizeof *sorted, cmp_str);
	crypto_hash_sha256_state st;
	crypto_hash_sha256_init(&st);
	crypto_hash_sha256_update(&st, (const unsigned char *)child_id, strlen(child_id) + 1);
	const char *rule = support_str(p, "rule");
	crypto_hash_sha256_update(&st, (const unsigned char *)rule, strlen(rule) + 1);
	for (size_t i = 0; i < n; i++)
		crypto_hash_sha256_update(&st, (const unsigned char *)sorted[i], strlen(sorted[i]) + 1);
	free(sorted);
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256_final(&st, h);
	memcpy(out, "prm_", 4);
	unsigned long long acc = 0;
	int bits = 0, bi = 0;
	for (int i = 0; i < 16; i++) {
		if (bits < 5) {
			acc = (acc << 8) | h[bi++];
			bits += 8;
		}
		bits -= 5;
		out[4 + i] = alphabet[(acc >> bits) & 31];
	}
	out[20] = '\0';
}

static void finish(struct builder *b, json_t *p)
{
	char id[32];
	prompt_id(b->child_id, p, id);
	json_object_del(p, "key");
	const char *latest = NULL;
	size_t i;
	json_t *t;
	json_array_foreach(json_object_get(p, "triggers"), i, t) {
		const char *d = support_str(t, "date");
		if (d && (!latest || strcmp(d, latest) > 0))
			latest = d;
	}
	json_object_set_new(p, "raised_on", latest ? json_string(latest) : json_null());
	json_object_set_new(p, "id", json_string(id));
	json_array_append_new(b->out, p);
}

/* "2026-03-27" -> "27 March 2026". */
static void long_date(const char *iso, char *out, size_t cap)
{
	static const char *const months[] = {"January", "February", "March",     "April",   "May",      "June",
	                                     "July",    "August",   "September", "October", "November", "December"};
	int32_t d;
	int y, m, dd;
	if (!iso || date_parse(iso, &d) < 0) {
		snprintf(out, cap, "%s", iso ? iso : "");
		return;
	}
	date_to_ymd(d, &y, &m, &dd);
	snprintf(out, cap, "%d %s %d", dd, months[m - 1], y);
}

/* "NG76 1.3.24 (title); NG76 1.3.25 (title)" for a concern's signs. */
static void feature_summary(struct builder *b, const json_t *concern, struct buf *out)
{
	size_t i;
	json_t *f;
	json_array_foreach(json_object_get(concern, "features"), i, f) {
		json_t *e = support_catalogue_get(b->cat, json_string_value(f));
		buf_addf(out, "%s%s: %s", i ? "; " : "", support_str(e, "citation"), support_str(e, "title"));
	}
	if (json_is_true(json_object_get(concern, "immediate_danger")))
		buf_addf(out, "%sthe child was in immediate danger", out->len ? "; " : "");
}

static const char *concern_source(const json_t *c)
{
	const char *agency = support_str(c, "agency_name");
	return agency ? agency : support_str(c, "recorder_role_label");
}

static void concern_trigger(struct builder *b, json_t *p, const json_t *c)
{
	struct buf s;
	buf_init(&s, 65536);
	feature_summary(b, c, &s);
	add_trigger(p, "concern", support_str(c, "id"), support_str(c, "observed_on"), buf_str(&s), concern_source(c));
	buf_free(&s);
}

static void detect_concern_responses(struct builder *b, const json_t *concerns)
{
	size_t i;
	json_t *c;
	json_array_foreach(concerns, i, c) {
		json_t *r = support_alerts_response(b->cat, json_object_get(c, "features"),
		                                    json_is_true(json_object_get(c, "immediate_danger")));
		json_t *first = json_array_get(json_object_get(r, "responses"), 0);
		if (first) {
			char msg[512], when[40];
			long_date(support_str(c, "observed_on"), when, sizeof when);
			snprintf(msg, sizeof msg, "The concern about signs seen on %s calls for these steps.", when);
			json_t *p = prompt_new(support_str(first, "id"), "concern_response", support_str(r, "level"),
			                       support_str(first, "title"), msg, support_str(first, "citation"));
			json_object_set(p, "actions", json_object_get(r, "responses"));
			concern_trigger(b, p, c);
			add_key(p, support_str(c, "id"));
			size_t j;
			json_t *v;
			json_array_foreach(json_object_get(r, "responses"), j, v) add_paragraph(b, p, support_str(v, "id"));
			json_array_foreach(json_object_get(c, "features"), j, v) add_paragraph(b, p, json_string_value(v));
			finish(b, p);
		}
		json_decref(r);
	}
}

static void detect_escalations(struct builder *b, const json_t *concerns)
{
	size_t i, j;
	json_t *rule, *c;
	json_array_foreach(support_catalogue_list(b->cat, "alerting_features", "escalations"), i, rule) {
		const char *from = support_str(rule, "from"), *to = support_str(rule, "to");
		json_t *dates = json_array(), *hits = json_array();
		const char *latest = NULL;
		json_array_foreach(concerns, j, c) {
			if (!support_has(json_object_get(c, "features"), from))
				continue;
			const char *d = support_str(c, "observed_on");
			if (!support_has(dates, d))
				json_array_append_new(dates, json_string(d));
			if (!latest || strcmp(d, latest) > 0)
				latest = d;
			json_array_append(hits, c);
		}
		bool escalated = false;
		json_array_foreach(concerns, j, c) {
			if (latest && support_has(json_object_get(c, "features"), to) &&
			    strcmp(support_str(c, "observed_on"), latest) >= 0)
				escalated = true;
		}
		if (!escalated && (long long)json_array_size(dates) >= support_int(rule, "min_occasions", 2)) {
			json_t *p = prompt_new(support_str(rule, "id"), "escalation", "consider", support_str(rule, "title"),
			                       support_str(rule, "message"), support_str(rule, "citation"));
			json_array_foreach(hits, j, c) {
				concern_trigger(b, p, c);
				add_key(p, support_str(c, "id"));
			}
			add_paragraph(b, p, support_str(rule, "id"));
			add_paragraph(b, p, from);
			add_paragraph(b, p, to);
			finish(b, p);
		}
		json_decref(dates);
		json_decref(hits);
	}
}

static int32_t months_before(int32_t day, long long months)
{
	int y, m, d;
	date_to_ymd(day, &y, &m, &d);
	long long total = (long long)y * 12 + (m - 1) - months;
	y = (int)(total / 12);
	m = (int)(total % 12) + 1;
	int dim = date_days_in_month(y, m);
	return date_from_ymd(y, m, d > dim ? dim : d);
}

static void detect_patterns(struct builder *b, const json_t *concerns, int32_t today)
{
	size_t i, j;
	json_t *rule, *c;
	json_array_foreach(support_catalogue_list(b->cat, "alerting_features", "patterns"), i, rule) {
		char since[DATE_ISO_LEN];
		date_format(months_before(today, support_int(rule, "window_months", 12)), since);
		json_t *sources = json_array(), *hits = json_array();
		json_array_foreach(concerns, j, c) {
			if (strcmp(support_str(c, "observed_on"), since) < 0)
				continue;
			const char *src = support_str(c, "source_key");
			if (!support_has(sources, src))
				json_array_append_new(sources, json_string(src));
			json_array_append(hits, c);
		}
		if ((long long)json_array_size(sources) >= support_int(rule, "min_sources", 2)) {
			json_t *p = prompt_new(support_str(rule, "id"), "pattern", "consider", support_str(rule, "title"),
			                       support_str(rule, "message"), support_str(rule, "citation"));
			json_array_foreach(hits, j, c) concern_trigger(b, p, c);
			/* A new agency makes a new prompt; another concern from an agency already counted does not. */
			json_array_foreach(sources, j, c) add_key(p, json_string_value(c));
			add_paragraph(b, p, support_str(rule, "id"));
			finish(b, p);
		}
		json_decref(sources);
		json_decref(hits);
	}
}

static void detect_combinations(struct builder *b, const json_t *factors)
{
	json_t *current = json_array();
	size_t i, j;
	json_t *f, *fired;
	json_array_foreach(factors, i, f) {
		if (!support_str(f, "ended_on"))
			json_array_append(current, f);
	}
	json_t *all = support_combinations(b->cat, current);
	json_array_foreach(all, i, fired) {
		json_t *rule = support_catalogue_get(b->cat, support_str(fired, "rule"));
		json_t *p = prompt_new(support_str(rule, "id"), "combination", "consider", support_str(rule, "title"),
		                       support_str(rule, "message"), support_str(rule, "citation"));
		json_array_foreach(current, j, f) {
			if (!support_has(json_object_get(fired, "records"), support_str(f, "id")))
				continue;
			json_t *e = support_catalogue_get(b->cat, support_str(f, "factor_id"));
			const char *about = support_str(f, "about");
			add_trigger(p, "factor", support_str(f, "id"), support_str(f, "noted_on"), support_str(e, "title"),
			            about ? enums_label("support_factor_about", about) : NULL);
		}
		json_t *k;
		json_array_foreach(json_object_get(fired, "concepts"), j, k) add_key(p, json_string_value(k));
		add_paragraph(b, p, support_str(rule, "id"));
		json_array_foreach(json_object_get(fired, "factors"), j, k) add_paragraph(b, p, json_string_value(k));
		finish(b, p);
	}
	json_decref(all);
	json_decref(current);
}

/* Two concerns are "the same concerns" when they share a sign or a named type of abuse. */
static bool same_concerns(struct builder *b, const json_t *x, const json_t *y)
{
	json_t *fx = json_object_get(x, "features"), *fy = json_object_get(y, "features");
	size_t i;
	json_t *v;
	json_array_foreach(fx, i, v) {
		if (support_has(fy, json_string_value(v)))
			return true;
	}
	json_t *tx = support_alerts_abuse_types(b->cat, fx), *ty = support_alerts_abuse_types(b->cat, fy);
	bool shared = false;
	json_array_foreach(tx, i, v) shared = shared || support_has(ty, json_string_value(v));
	json_decref(tx);
	json_decref(ty);
	return shared;
}

static void detect_start_again(struct builder *b, const json_t *cases, const json_t *concerns)
{
	json_t *rule = support_catalogue_find(b->cat, "neglect", "pitfalls", "detector", "start_again");
	if (!rule)
		return;
	size_t i, j, k;
	json_t *cs, *before, *after;
	json_array_foreach(cases, i, cs) {
		json_t *closed = json_object_get(cs, "closed_t");
		if (!json_is_integer(closed))
			continue;
		json_t *p = NULL;
		json_array_foreach(concerns, j, after) {
			const char *ac = support_str(after, "case_id");
			if (support_int(after, "created_t", 0) <= json_integer_value(closed) ||
			    (ac && strcmp(ac, support_str(cs, "id")) == 0))
				continue;
			json_array_foreach(concerns, k, before) {
				const char *bc = support_str(before, "case_id");
				if (!bc || strcmp(bc, support_str(cs, "id")) || !same_concerns(b, before, after))
					continue;
				if (!p) {
					p = prompt_new(support_str(rule, "id"), "start_again", "consider", support_str(rule, "title"),
					               support_str(rule, "message"), support_str(rule, "citation"));
					add_trigger(p, "case", support_str(cs, "id"), support_str(cs, "closed_on"),
					            "Case closed", NULL);
					add_key(p, support_str(cs, "id"));
				}
				bool listed = false;
				size_t t;
				json_t *have;
				json_array_foreach(json_object_get(p, "triggers"), t, have) listed =
					listed || strcmp(support_str(have, "id"), support_str(before, "id")) == 0;
				if (!listed)
					concern_trigger(b, p, before);
				listed = false;
				json_array_foreach(json_object_get(p, "triggers"), t, have) listed =
					listed || strcmp(support_str(have, "id"), support_str(after, "id")) == 0;
				if (!listed)
					concern_trigger(b, p, after);
			}
		}
		if (p) {
			add_paragraph(b, p, support_str(rule, "id"));
			finish(b, p);
		}
	}
}

static void assessment_trigger(json_t *p, const json_t *assessments, const char *id)
{
	size_t i;
	json_t *a;
	json_array_foreach(assessments, i, a) {
		if (strcmp(support_str(a, "id"), id))
			continue;
		const char *view = support_str(a, "overall_view");
		add_trigger(p, "neglect_assessment", id, support_str(a, "assessed_on"),
		            view ? enums_label("support_overall_view", view) : "Neglect assessment",
		            support_str(a, "assessor_name"));
		add_key(p, id);
	}
}

static void detect_neglect(struct builder *b, const json_t *assessments)
{
	json_t *found[2] = {support_neglect_drift(b->cat, assessments), support_neglect_optimism(b->cat, assessments)};
	for (int k = 0; k < 2; k++) {
		if (!found[k])
			continue;
		json_t *rule = support_catalogue_get(b->cat, support_str(found[k], "rule"));
		json_t *p = prompt_new(support_str(rule, "id"), support_str(rule, "detector"), "consider",
		                       support_str(rule, "title"), support_str(rule, "message"), support_str(rule, "citation"));
		size_t i;
		json_t *id;
		json_array_foreach(json_object_get(found[k], "assessments"), i, id)
			assessment_trigger(p, assessments, json_string_value(id));
		add_paragraph(b, p, support_str(rule, "id"));
		finish(b, p);
		json_decref(found[k]);
	}
}

static void detect_agreements(struct builder *b, const json_t *agreements, int32_t today)
{
	char now[DATE_ISO_LEN];
	date_format(today, now);
	size_t i;
	json_t *a;
	json_array_foreach(agreements, i, a) {
		const char *outcome = support_str(a, "outcome"), *due = support_str(a, "due_on");
		const char *det = NULL;
		if (!outcome && due && strcmp(due, now) < 0)
			det = "agreement_overdue";
		else if (outcome && strcmp(outcome, "not_met") == 0)
			det = "agreement_not_met";
		json_t *rule = det ? support_catalogue_find(b->cat, "capacity_to_change", "agreement_rules", "detector", det)
		                   : NULL;
		if (!rule)
			continue;
		json_t *p = prompt_new(support_str(rule, "id"), det, "consider", support_str(rule, "title"),
		                       support_str(rule, "message"), support_str(rule, "citation"));
		char summary[700];
		snprintf(summary, sizeof summary, "Due %s: %s", due, support_str(a, "what_must_change"));
		add_trigger(p, "agreement", support_str(a, "id"), outcome ? support_str(a, "outcome_on") : due, summary,
		            NULL);
		add_key(p, support_str(a, "id"));
		add_paragraph(b, p, support_str(rule, "id"));
		json_t *principle = support_catalogue_get(b->cat, "CTC-P-03");
		if (principle)
			add_paragraph(b, p, "CTC-P-03");
		finish(b, p);
	}
}

static int cmp_raised(const void *x, const void *y)
{
	const json_t *a = *(const json_t *const *)x, *c = *(const json_t *const *)y;
	const char *ra = support_str(a, "raised_on"), *rc = support_str(c, "raised_on");
	int r = strcmp(rc ? rc : "", ra ? ra : "");
	return r ? r : strcmp(support_str(a, "id"), support_str(c, "id"));
}

json_t *support_prompts_compute(const struct support_catalogue *cat, const char *child_id, const json_t *data,
                                int32_t today)
{
	struct builder b = {cat, child_id, json_array()};
	json_t *concerns = json_object_get(data, "concerns");
	detect_concern_responses(&b, concerns);
	detect_escalations(&b, concerns);
	detect_patterns(&b, concerns, today);
	detect_combinations(&b, json_object_get(data, "factors"));
	detect_start_again(&b, json_object_get(data, "cases"), concerns);
	detect_neglect(&b, json_object_get(data, "assessments"));
	detect_agreements(&b, json_object_get(data, "agreements"), today);
	size_t n = json_array_size(b.out);
	json_t **items = n ? xmalloc(n * sizeof *items) : NULL;
	for (size_t i = 0; i < n; i++)
		items[i] = json_incref(json_array_get(b.out, i));
	if (n)
		qsort(items, n, sizeof *items, cmp_raised);
	json_array_clear(b.out);
	for (size_t i = 0; i < n; i++)
		json_array_append_new(b.out, items[i]);
	free(items);
	return b.out;
}

json_t *support_prompts_find(const json_t *prompts, const char *id)
{
	size_t i;
	json_t *p;
	json_array_foreach(prompts, i, p) {
		if (id && strcmp(support_str(p, "id"), id) == 0)
			return p;
	}
	return NULL;
}
