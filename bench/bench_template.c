/* Template rendering speed: a chronology page of 500 and 2,000 entries rendered from a compiled template, against a
 * baseline that writes the same HTML by hand with buf_addf and buf_add_html (what a handler would do without the
 * engine). Prints the median of several runs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/buf.h"
#include "ui/template.h"

static const char page_tpl[] =
	"<ol class=\"app-timeline\">\n"
	"{{#entries}}\n"
	"  <li class=\"app-timeline__item{{#significant}} app-timeline__item--significant{{/significant}}\">\n"
	"    <h3 class=\"app-timeline__title\">{{title}}</h3>\n"
	"    <p class=\"app-timeline__byline\">by {{by.name}}, {{by.agency}}</p>\n"
	"    <p class=\"app-timeline__date\"><time datetime=\"{{date}}\">{{date_text}}</time></p>\n"
	"    <div class=\"app-timeline__description\">{{summary}}</div>\n"
	"    {{#links}}<a class=\"govuk-link\" href=\"{{href}}\">{{text}}</a>{{/links}}\n"
	"  </li>\n"
	"{{/entries}}\n"
	"</ol>\n";

static const char layout_tpl[] = "<!DOCTYPE html><html><head><title>{{title}} – Safeguard</title></head>"
				 "<body><main id=\"main-content\">{{{raw:content}}}</main></body></html>\n";

static json_t *make_ctx(int n)
{
	json_t *entries = json_array();
	for (int i = 0; i < n; i++) {
		char title[64], summary[160], date[16], href[32];
		snprintf(title, sizeof title, "Home visit %d", i + 1);
		snprintf(summary, sizeof summary, "Child seen alone in their bedroom; said things at home are \"better\" "
						  "since mum's partner left (entry %d).", i + 1);
		snprintf(date, sizeof date, "2024-%02d-%02d", i % 12 + 1, i % 28 + 1);
		snprintf(href, sizeof href, "/events/%d", i + 1);
		json_array_append_new(entries,
				      json_pack("{s:s, s:b, s:s, s:s, s:s, s:{s:s, s:s}, s:[{s:s, s:s}]}", "title", title,
						"significant", i % 3 == 0, "date", date, "date_text", date, "summary",
						summary, "by", "name", "A Worker", "agency", "Children's services",
						"links", "href", href, "text", "View record"));
	}
	return json_pack("{s:s, s:o}", "title", "Chronology", "entries", entries);
}

/* The baseline: the same markup written directly from the JSON. */
static void render_by_hand(const json_t *ctx, struct buf *out)
{
	buf_adds(out, "<ol class=\"app-timeline\">\n");
	size_t i;
	const json_t *e;
	json_array_foreach(json_object_get(ctx, "entries"), i, e)
	{
		const json_t *by = json_object_get(e, "by");
		buf_adds(out, "  <li class=\"app-timeline__item");
		if (json_is_true(json_object_get(e, "significant")))
			buf_adds(out, " app-timeline__item--significant");
		buf_adds(out, "\">\n    <h3 class=\"app-timeline__title\">");
		buf_add_html(out, json_string_value(json_object_get(e, "title")));
		buf_adds(out, "</h3>\n    <p class=\"app-timeline__byline\">by ");
		buf_add_html(out, json_string_value(json_object_get(by, "name")));
		buf_adds(out, ", ");
		buf_add_html(out, json_string_value(json_object_get(by, "agency")));
		buf_adds(out, "</p>\n    <p class=\"app-timeline__date\"><time datetime=\"");
		buf_add_html(out, json_string_value(json_object_get(e, "date")));
		buf_adds(out, "\">");
		buf_add_html(out, json_string_value(json_object_get(e, "date_text")));
		buf_adds(out, "</time></p>\n    <div class=\"app-timeline__description\">");
		buf_add_html(out, json_string_value(json_object_get(e, "summary")));
		buf_adds(out, "</div>\n    ");
		size_t k;
		const json_t *l;
		json_array_foreach(json_object_get(e, "links"), k, l)
		{
			buf_adds(out, "<a class=\"govuk-link\" href=\"");
			buf_add_html(out, json_string_value(json_object_get(l, "href")));
			buf_adds(out, "\">");
			buf_add_html(out, json_string_value(json_object_get(l, "text")));
			buf_adds(out, "</a>");
		}
		buf_adds(out, "\n  </li>\n");
	}
	buf_adds(out, "</ol>\n");
}

static double now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

#define RUNS 31

static double median_us(const struct template_set *set, const json_t *ctx, int by_hand, size_t *bytes)
{
	double t[RUNS];
	for (int r = 0; r < RUNS; r++) {
		struct buf out = {0};
		double t0 = now_us();
		if (by_hand)
			render_by_hand(ctx, &out);
		else if (template_render_page(set, "layout", "page", ctx, &out) != 0)
			exit(1);
		t[r] = now_us() - t0;
		*bytes = out.len;
		buf_free(&out);
	}
	qsort(t, RUNS, sizeof t[0], cmp_double);
	return t[RUNS / 2];
}

int main(void)
{
	struct buf err = {0};
	struct template_set *set = template_set_new();
	if (template_add(set, "page", "page", page_tpl, strlen(page_tpl), &err) < 0 ||
	    template_add(set, "layout", "layout", layout_tpl, strlen(layout_tpl), &err) < 0 ||
	    template_set_finish(set, &err) < 0) {
		fprintf(stderr, "bench_template: %s\n", buf_str(&err));
		return 1;
	}
	const int sizes[] = {500, 2000};
	for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
		json_t *ctx = make_ctx(sizes[i]);
		size_t bytes = 0, hand_bytes = 0;
		double base = median_us(set, ctx, 1, &hand_bytes);
		double eng = median_us(set, ctx, 0, &bytes);
		printf("template_chronology_%d: %.0f us (ratio %.2f vs baseline)\n", sizes[i], eng, eng / base);
		printf("template_chronology_%d_bytes: %zu bytes (ratio %.2f vs baseline)\n", sizes[i], bytes,
		       (double)bytes / (double)hand_bytes);
		json_decref(ctx);
	}
	template_set_free(set);
	buf_free(&err);
	return 0;
}
