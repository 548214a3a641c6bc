#include "support/neglect.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/date.h"
#include "core/xmalloc.h"
#include "domain/enums.h"

static int cmp_assessment(const void *a, const void *b)
{
	const json_t *x = *(const json_t *const *)a, *y = *(const json_t *const *)b;
	const char *dx = support_str(x, "assessed_on"), *dy = support_str(y, "assessed_on");
	int c = strcmp(dx ? dx : "", dy ? dy : "");
	if (c)
		return c;
	const char *ix = support_str(x, "id"), *iy = support_str(y, "id");
	return strcmp(ix ? ix : "", iy ? iy : "");
}

json_t *support_neglect_sorted(const json_t *assessments)
{
	size_t n = json_array_size(assessments);
	json_t **items = n ? xcalloc(n, sizeof *items) : NULL;
	for (size_t i = 0; i < n; i++)
		items[i] = json_array_get(assessments, i);
	if (n)
		qsort(items, n, sizeof *items, cmp_assessment);
	json_t *out = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append(out, items[i]);
	free(items);
	return out;
}

/* The rating of a domain, or 0 when the assessment did not rate it. */
static long long rating(const json_t *a, const char *domain)
{
	return support_int(json_object_get(a, "ratings"), domain, 0);
}

static json_t *pitfall(const struct support_catalogue *cat, const char *detector)
{
	return support_catalogue_find(cat, "neglect", "pitfalls", "detector", detector);
}

json_t *support_neglect_drift(const struct support_catalogue *cat, const json_t *assessments)
{
	json_t *rule = pitfall(cat, "drift");
	if (!rule)
		return NULL;
	size_t need = (size_t)support_int(rule, "min_assessments", 3);
	long long concern = support_int(rule, "concern_rating", 3);
	json_t *sorted = support_neglect_sorted(assessments);
	size_t n = json_array_size(sorted);
	json_t *out = NULL;
	if (n < need)
		goto done;
	json_t *first = json_array_get(sorted, n - need), *last = json_array_get(sorted, n - 1);
	json_t *concerning = json_array();
	bool improved = false;
	size_t i;
	json_t *d;
	json_array_foreach(support_catalogue_list(cat, "neglect", "care_domains"), i, d) {
		const char *dom = support_str(d, "id");
		long long a = rating(first, dom), b = rating(last, dom);
		if (a && b && b < a)
			improved = true;
		if (b >= concern)
			json_array_append_new(concerning, json_string(dom));
	}
	if (improved || json_array_size(concerning) == 0) {
		json_decref(concerning);
		goto done;
	}
	json_t *ids = json_array();
	for (size_t k = n - need; k < n; k++)
		json_array_append_new(ids, json_string(support_str(json_array_get(sorted, k), "id")));
	out = json_pack("{s:s, s:o, s:o}", "rule", support_str(rule, "id"), "assessments", ids, "domains", concerning);
done:
	json_decref(sorted);
	return out;
}

json_t *support_neglect_optimism(const struct support_catalogue *cat, const json_t *assessments)
{
	json_t *rule = pitfall(cat, "optimism");
	if (!rule)
		return NULL;
	json_t *sorted = support_neglect_sorted(assessments);
	size_t n = json_array_size(sorted);
	json_t *out = NULL;
	if (n < 2)
		goto done;
	json_t *prev = json_array_get(sorted, n - 2), *last = json_array_get(sorted, n - 1);
	const char *view = support_str(last, "overall_view");
	if (!view || strcmp(view, "improving"))
		goto done;
	bool better = false, compared = false;
	size_t i;
	json_t *d;
	json_array_foreach(support_catalogue_list(cat, "neglect", "care_domains"), i, d) {
		long long a = rating(prev, support_str(d, "id")), b = rating(last, support_str(d, "id"));
		if (a && b) {
			compared = true;
			better = better || b < a;
		}
	}
	if (compared && !better)
		out = json_pack("{s:s, s:[s,s]}", "rule", support_str(rule, "id"), "assessments", support_str(prev, "id"),
		                support_str(last, "id"));
done:
	json_decref(sorted);
	return out;
}

/* ---- the chart ---- */

enum { W = 640, H = 320, X0 = 70, X1 = 610, Y0 = 20, Y1 = 250 };

static const char *const colours[] = {"#1d70b8", "#d4351c", "#00703c", "#4c2c92", "#f47738", "#505a5f"};
static const char *const dashes[] = {"", "8 4", "2 4", "10 4 2 4", "4 4", "1 3"};

static void short_date(const char *iso, char *out, size_t cap)
{
	static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
	                                     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
	int32_t d;
	if (!iso || date_parse(iso, &d) < 0) {
		snprintf(out, cap, "%s", iso ? iso : "");
		return;
	}
	int y, m, dd;
	date_to_ymd(d, &y, &m, &dd);
	snprintf(out, cap, "%d %s %d", dd, months[m - 1], y);
}

json_t *support_neglect_chart(const struct support_catalogue *cat, const json_t *assessments)
{
	json_t *scale = support_catalogue_list(cat, "neglect", "rating_scale");
	json_t *domains = support_catalogue_list(cat, "neglect", "care_domains");
	long long top = (long long)json_array_size(scale);
	json_t *sorted = support_neglect_sorted(assessments);
	size_t n = json_array_size(sorted), i;
	json_t *grid = json_array(), *ticks = json_array(), *series = json_array(), *rows = json_array();
	json_t *doms = json_array();
	json_t *r;
	json_array_foreach(scale, i, r) {
		long long v = support_int(r, "value", 1);
		int y = Y0 + (int)((v - 1) * (Y1 - Y0) / (top > 1 ? top - 1 : 1));
		json_array_append_new(grid, json_pack("{s:i, s:I, s:s}", "y", y, "value", (json_int_t)v, "label",
		                                      support_str(r, "label")));
	}
	int xs[512];
	for (size_t k = 0; k < n && k < 512; k++) {
		xs[k] = n == 1 ? (X0 + X1) / 2 : X0 + (int)(k * (X1 - X0) / (n - 1));
		char date[32];
		short_date(support_str(json_array_get(sorted, k), "assessed_on"), date, sizeof date);
		json_array_append_new(ticks, json_pack("{s:i, s:s}", "x", xs[k], "label", date));
	}
	json_t *d;
	json_array_foreach(domains, i, d) {
		const char *dom = support_str(d, "id");
		json_array_append_new(doms, json_pack("{s:s, s:s}", "id", dom, "name", support_str(d, "name")));
		struct buf pts;
		buf_init(&pts, 65536);
		json_t *dots = json_array();
		for (size_t k = 0; k < n && k < 512; k++) {
			json_t *a = json_array_get(sorted, k);
			long long v = rating(a, dom);
			if (!v)
				continue;
			int y = Y0 + (int)((v - 1) * (Y1 - Y0) / (top > 1 ? top - 1 : 1));
			buf_addf(&pts, "%s%d,%d", pts.len ? " " : "", xs[k], y);
			char date[32];
			short_date(support_str(a, "assessed_on"), date, sizeof date);
			json_array_append_new(dots, json_pack("{s:i, s:i, s:I, s:s}", "x", xs[k], "y", y, "value",
			                                      (json_int_t)v, "date", date));
		}
		json_array_append_new(series, json_pack("{s:s, s:s, s:s, s:o, s:s, s:s}", "domain", dom, "name",
		                                        support_str(d, "name"), "points", buf_str(&pts), "dots", dots,
		                                        "colour", colours[i % 6], "dash", dashes[i % 6]));
		buf_free(&pts);
	}
	for (size_t k = 0; k < n; k++) {
		json_t *a = json_array_get(sorted, k), *cells = json_array();
		json_array_foreach(domains, i, d) {
			long long v = rating(a, support_str(d, "id"));
			json_t *lab = v ? json_array_get(scale, (size_t)v - 1) : NULL;
			json_array_append_new(cells, json_pack("{s:s, s:I, s:s}", "domain", support_str(d, "id"), "value",
			                                       (json_int_t)v, "label", lab ? support_str(lab, "label")
			                                                                   : "Not rated"));
		}
		char date[32];
		short_date(support_str(a, "assessed_on"), date, sizeof date);
		const char *view = support_str(a, "overall_view");
		const char *view_label = view ? enums_label("support_overall_view", view) : NULL;
		json_array_append_new(rows, json_pack("{s:s, s:s, s:s, s:o}", "id", support_str(a, "id"), "date", date,
		                                      "view", view_label ? view_label : "", "cells", cells));
	}
	json_decref(sorted);
	return json_pack("{s:i, s:i, s:{s:i, s:i, s:i, s:i}, s:o, s:o, s:o, s:o, s:o, s:i}", "width", W, "height", H,
	                 "plot", "x0", X0, "y0", Y0, "x1", X1, "y1", Y1, "gridlines", grid, "ticks", ticks, "series",
	                 series, "rows", rows, "domains", doms, "count", (int)n);
}
