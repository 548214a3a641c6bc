/* Tests for the template engine: one table per behaviour, input and expected output side by side. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/buf.h"
#include "ui/template.h"

static json_t *parse_json(const char *text)
{
	json_error_t je;
	json_t *v = json_loads(text, JSON_DECODE_ANY, &je);
	if (!v)
		fail_msg("bad test JSON (%s): %s", je.text, text);
	return v;
}

/* Compiles `tpl` as template "t" (file label "t.html") and renders it against ctx_json. */
static int render_one(const char *tpl, const char *ctx_json, struct buf *out, struct buf *err)
{
	struct template_set *set = template_set_new();
	int rc = template_add(set, "t", "t.html", tpl, strlen(tpl), err);
	if (rc == 0)
		rc = template_set_finish(set, err);
	if (rc == 0) {
		json_t *ctx = parse_json(ctx_json);
		rc = template_render(set, "t", ctx, out);
		json_decref(ctx);
	}
	template_set_free(set);
	return rc;
}

static size_t count(const char *hay, const char *needle)
{
	size_t n = 0;
	for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
		n++;
	return n;
}

static void check_cases(const char *table, int i, int rc, const struct buf *out, const struct buf *err,
			const char *expect)
{
	if (rc != 0 || strcmp(buf_str(out), expect) != 0)
		fail_msg("%s case %d: rc=%d err=\"%s\"\n  got:    \"%s\"\n  expect: \"%s\"", table, i, rc, buf_str(err),
			 buf_str(out), expect);
}

#define HOSTILE "<a href=\\\"x\\\">'&'</a>"
#define HOSTILE_ESC "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
#define HOSTILE_RAW "<a href=\"x\">'&'</a>"

struct render_case {
	const char *tpl, *ctx, *expect;
};

static const struct render_case escaping_cases[] = {
	/* every escaped form */
	{"{{s}}", "{\"s\":\"" HOSTILE "\"}", HOSTILE_ESC},
	{"{{ s }}", "{\"s\":\"" HOSTILE "\"}", HOSTILE_ESC},
	{"{{a.b}}", "{\"a\":{\"b\":\"" HOSTILE "\"}}", HOSTILE_ESC},
	{"{{#l}}{{.}}{{/l}}", "{\"l\":[\"" HOSTILE "\"]}", HOSTILE_ESC},
	{"{{#o}}{{s}}{{/o}}", "{\"o\":{\"s\":\"" HOSTILE "\"}}", HOSTILE_ESC},
	{"{{#s}}{{.}}{{/s}}", "{\"s\":\"" HOSTILE "\"}", HOSTILE_ESC},
	{"{{l.0}}", "{\"l\":[\"" HOSTILE "\"]}", HOSTILE_ESC},
	{"<input value=\"{{v}}\">", "{\"v\":\"\\\" onfocus=\\\"x\"}", "<input value=\"&quot; onfocus=&quot;x\">"},
	/* the one raw form */
	{"{{{raw:s}}}", "{\"s\":\"" HOSTILE "\"}", HOSTILE_RAW},
	{"{{{ raw:s }}}", "{\"s\":\"" HOSTILE "\"}", HOSTILE_RAW},
	{"{{{raw:a.b}}}", "{\"a\":{\"b\":\"" HOSTILE "\"}}", HOSTILE_RAW},
	{"{{#l}}{{{raw:.}}}{{/l}}", "{\"l\":[\"<b>\",\"&amp;\"]}", "<b>&amp;"},
	/* template text itself is never touched */
	{"<p class=\"x\">&amp; '{{s}}'</p>", "{\"s\":\"&\"}", "<p class=\"x\">&amp; '&amp;'</p>"},
	{"{ } }} {x}", "{}", "{ } }} {x}"},
};

static const struct render_case value_cases[] = {
	{"Hello {{name}}!", "{\"name\":\"Ann\"}", "Hello Ann!"},
	{"{{i}}|{{neg}}|{{big}}", "{\"i\":42,\"neg\":-7,\"big\":9007199254740993}", "42|-7|9007199254740993"},
	{"{{r}}|{{h}}|{{e}}|{{z}}", "{\"r\":0.1,\"h\":1.5,\"e\":1e300,\"z\":0.0}", "0.1|1.5|1e+300|0"},
	{"{{t}}|{{f}}|[{{n}}]|[{{missing}}]", "{\"t\":true,\"f\":false,\"n\":null}", "true|false|[]|[]"},
	{"[{{o}}][{{a}}]", "{\"o\":{\"x\":1},\"a\":[1,2]}", "[][]"},
	{"[{{a.b.c}}][{{a.z.c}}][{{s.x}}][{{l.5}}][{{l.x}}]", "{\"a\":{\"b\":{\"c\":\"deep\"}},\"s\":\"str\",\"l\":[1]}",
	 "[deep][][][][]"},
	{"{{l.1}}{{l.0.k}}", "{\"l\":[{\"k\":\"zero\"},\"one\"]}", "onezero"},
	{"{{.}}", "\"top\"", "top"},
	{"{{user-name}}{{snake_case}}{{a1}}", "{\"user-name\":\"x\",\"snake_case\":\"y\",\"a1\":\"z\"}", "xyz"},
	{"a{{! a comment }}b{{!\nmulti {{ line\n}}c", "{}", "abc"},
};

static const struct render_case section_cases[] = {
	{"{{#items}}<{{name}}>{{/items}}", "{\"items\":[{\"name\":\"a\"},{\"name\":\"b\"}]}", "<a><b>"},
	{"{{#user}}{{name}} ({{role}}){{/user}}", "{\"user\":{\"name\":\"Ann\",\"role\":\"sw\"}}", "Ann (sw)"},
	{"{{#t}}yes{{/t}}{{#f}}no{{/f}}", "{\"t\":true,\"f\":false}", "yes"},
	{"[{{#a}}x{{/a}}{{#s}}x{{/s}}{{#z}}x{{/z}}{{#r}}x{{/r}}{{#n}}x{{/n}}{{#m}}x{{/m}}]",
	 "{\"a\":[],\"s\":\"\",\"z\":0,\"r\":0.0,\"n\":null}", "[]"},
	{"{{#o}}x{{/o}}{{#i}}{{.}}{{/i}}{{#s}}{{.}}{{/s}}", "{\"o\":{},\"i\":3,\"s\":\"str\"}", "x3str"},
	{"{{^items}}none{{/items}}", "{\"items\":[]}", "none"},
	{"{{^items}}none{{/items}}", "{\"items\":[1]}", ""},
	{"{{^missing}}shown{{/missing}}{{^t}}hidden{{/t}}", "{\"t\":true}", "shown"},
	{"{{#a}}{{#b}}{{x}}{{/b}}{{/a}}", "{\"a\":{\"b\":[{\"x\":1},{\"x\":2}]}}", "12"},
	/* lookups walk outwards through the frames */
	{"{{#items}}{{name}}-{{title}};{{/items}}", "{\"title\":\"T\",\"items\":[{\"name\":\"a\"},{\"name\":\"b\"}]}",
	 "a-T;b-T;"},
	/* ... but stop at the first frame that has the key, even when it is null */
	{"{{#items}}[{{x}}]{{/items}}", "{\"x\":\"outer\",\"items\":[{\"x\":null},{}]}", "[][outer]"},
	/* a dotted name resolves its first part by walking out, the rest only inside what was found */
	{"{{#items}}[{{a.b}}]{{/items}}", "{\"a\":{\"b\":1},\"items\":[{\"a\":{}}]}", "[]"},
	{"{{#a}}{{#a}}x{{/a}}{{/a}}", "{\"a\":{\"a\":true}}", "x"},
	{"{{#rows}}{{#cells}}{{.}},{{/cells}};{{/rows}}", "{\"rows\":[{\"cells\":[1,2]},{\"cells\":[3]}]}", "1,2,;3,;"},
	{"{{#errors.0}}Error: {{/errors.0}}Title", "{\"errors\":[{\"field\":\"f\"}]}", "Error: Title"},
	{"{{#errors.0}}Error: {{/errors.0}}Title", "{\"errors\":[]}", "Title"},
	{"{{#user.name}}Hi {{.}}{{/user.name}}", "{\"user\":{\"name\":\"Ann\"}}", "Hi Ann"},
};

/* Control tags alone on a line take the line with them; others keep their surroundings. */
static const struct render_case standalone_cases[] = {
	{"<ul>\n  {{#items}}\n  <li>{{.}}</li>\n  {{/items}}\n</ul>\n", "{\"items\":[\"a\",\"b\"]}",
	 "<ul>\n  <li>a</li>\n  <li>b</li>\n</ul>\n"},
	{"a\r\n{{#t}}\r\nb\r\n{{/t}}\r\nc", "{\"t\":true}", "a\r\nb\r\nc"},
	{"a {{#t}}b{{/t}} c\n", "{\"t\":true}", "a b c\n"},
	{"x\n{{! note }}\ny", "{}", "x\ny"},
	{"x\n\t{{^f}}\t\ny\n{{/f}}", "{\"f\":false}", "x\ny\n"},
	{"  {{v}}\n", "{\"v\":1}", "  1\n"},
	{"{{#t}}\n{{#t}}\nin\n{{/t}}\n{{/t}}\n", "{\"t\":true}", "in\n"},
};

static void run_cases(const char *table, const struct render_case *cases, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct buf out = {0}, err = {0};
		int rc = render_one(cases[i].tpl, cases[i].ctx, &out, &err);
		check_cases(table, (int)i, rc, &out, &err, cases[i].expect);
		buf_free(&out);
		buf_free(&err);
	}
}

static void test_escaping(void **state)
{
	(void)state;
	run_cases("escaping", escaping_cases, sizeof escaping_cases / sizeof escaping_cases[0]);
}

static void test_values(void **state)
{
	(void)state;
	run_cases("values", value_cases, sizeof value_cases / sizeof value_cases[0]);
}

static void test_sections(void **state)
{
	(void)state;
	run_cases("sections", section_cases, sizeof section_cases / sizeof section_cases[0]);
}

static void test_standalone(void **state)
{
	(void)state;
	run_cases("standalone", standalone_cases, sizeof standalone_cases / sizeof standalone_cases[0]);
}

struct error_case {
	const char *tpl, *expect; /* expect: the whole error message */
};

static const struct error_case error_cases[] = {
	{"a\n\n{{#a}}\nb", "t.html:3: section {{#a}} is never closed"},
	{"{{#a}}\n{{^b}}\n{{/b}}", "t.html:1: section {{#a}} is never closed"},
	{"{{#a}}\n{{/b}}", "t.html:2: {{/b}} does not match {{#a}} opened on line 1"},
	{"{{^a}}{{#b}}\n\n{{/a}}{{/b}}", "t.html:3: {{/a}} does not match {{#b}} opened on line 1"},
	{"x\n{{/a}}", "t.html:2: {{/a}} closes no open section"},
	{"a\nb {{name", "t.html:2: tag '{{' is never closed with '}}'"},
	{"\n\n\n{{{raw:x}}", "t.html:4: tag '{{{' is never closed with '}}}'"},
	{"{{{name}}}", "t.html:1: triple braces must be written {{{raw:name}}}"},
	{"{{{ }}}", "t.html:1: triple braces must be written {{{raw:name}}}"},
	{"{{&name}}", "t.html:1: {{&name}} is not supported; unescaped output is {{{raw:name}}}"},
	{"{{raw:name}}", "t.html:1: raw output needs triple braces: {{{raw:name}}}"},
	{"{{#raw:name}}{{/raw:name}}", "t.html:1: raw output needs triple braces: {{{raw:name}}}"},
	{"{{=<% %>=}}", "t.html:1: changing the {{ }} delimiters is not supported"},
	{"{{}}", "t.html:1: bad name in tag (use letters, digits, '_', '-', and '.' between parts)"},
	{"\n{{a..b}}", "t.html:2: bad name in tag (use letters, digits, '_', '-', and '.' between parts)"},
	{"{{a b}}", "t.html:1: bad name in tag (use letters, digits, '_', '-', and '.' between parts)"},
	{"{{.a}}", "t.html:1: bad name in tag (use letters, digits, '_', '-', and '.' between parts)"},
	{"{{a.}}", "t.html:1: bad name in tag (use letters, digits, '_', '-', and '.' between parts)"},
	{"{{#}}{{/}}", "t.html:1: bad name in tag (use letters, digits, '_', '-', and '.' between parts)"},
	{"{{{raw:a b}}}", "t.html:1: bad name in tag (use letters, digits, '_', '-', and '.' between parts)"},
	{"{{> ../etc}}", "t.html:1: bad name in tag (use letters, digits, '_', '-', and '.' between parts)"},
};

static void test_parse_errors(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof error_cases / sizeof error_cases[0]; i++) {
		struct buf out = {0}, err = {0};
		int rc = render_one(error_cases[i].tpl, "{}", &out, &err);
		if (rc != -1 || strcmp(buf_str(&err), error_cases[i].expect) != 0)
			fail_msg("error case %zu: rc=%d\n  got:    \"%s\"\n  expect: \"%s\"", i, rc, buf_str(&err),
				 error_cases[i].expect);
		assert_int_equal(out.len, 0);
		buf_free(&out);
		buf_free(&err);
	}
}

static void test_nesting_limit(void **state)
{
	(void)state;
	struct buf tpl = {0}, out = {0}, err = {0};
	for (int i = 0; i < TEMPLATE_MAX_NESTING; i++)
		buf_adds(&tpl, "{{#a}}");
	for (int i = 0; i < TEMPLATE_MAX_NESTING; i++)
		buf_adds(&tpl, "{{/a}}");
	assert_int_equal(render_one(buf_str(&tpl), "{\"a\":true}", &out, &err), 0);
	buf_reset(&tpl);
	for (int i = 0; i <= TEMPLATE_MAX_NESTING; i++)
		buf_adds(&tpl, "\n{{#a}}");
	assert_int_equal(render_one(buf_str(&tpl), "{}", &out, &err), -1);
	assert_string_equal(buf_str(&err), "t.html:66: sections are nested more than 64 deep");
	buf_free(&tpl);
	buf_free(&out);
	buf_free(&err);
}

static struct template_set *set_of(const char *const *pairs, struct buf *err)
{
	struct template_set *set = template_set_new();
	for (size_t i = 0; pairs[i]; i += 2) {
		char file[128];
		snprintf(file, sizeof file, "%s.html", pairs[i]);
		if (template_add(set, pairs[i], file, pairs[i + 1], strlen(pairs[i + 1]), err) < 0) {
			template_set_free(set);
			return NULL;
		}
	}
	if (template_set_finish(set, err) < 0) {
		template_set_free(set);
		return NULL;
	}
	return set;
}

static const char *const partial_set[] = {
	"page", "<h1>{{title}}</h1>\n{{> partials/list}}\n{{#who}}{{> partials/name}}{{/who}}",
	"partials/list", "<ul>\n{{#items}}\n  <li>{{> partials/name}}</li>\n{{/items}}\n</ul>",
	"partials/name", "{{name}}",
	"tree", "{{name}}{{#children}}({{> tree}}){{/children}}",
	"loop", "x{{> loop}}",
	"layout", "<main>{{{raw:content}}}</main><title>{{title}}</title>",
	"content-page", "<p>{{content}}|{{title}}</p>",
	NULL,
};

static void test_partials(void **state)
{
	(void)state;
	struct buf out = {0}, err = {0};
	struct template_set *set = set_of(partial_set, &err);
	assert_non_null(set);
	assert_int_equal(template_exists(set, "partials/list"), 1);
	assert_int_equal(template_exists(set, "partials/nope"), 0);

	json_t *ctx = parse_json("{\"title\":\"<T>\",\"items\":[{\"name\":\"a&b\"},{\"name\":\"c\"}],"
				 "\"who\":{\"name\":\"<w>\"}}");
	assert_int_equal(template_render(set, "page", ctx, &out), 0);
	/* the standalone {{> partials/list}} line gives its newline up, as the partial has none at its end */
	assert_string_equal(buf_str(&out), "<h1>&lt;T&gt;</h1>\n<ul>\n  <li>a&amp;b</li>\n  <li>c</li>\n</ul>&lt;w&gt;");
	json_decref(ctx);

	/* a partial may include itself when the data ends the recursion */
	buf_reset(&out);
	ctx = parse_json("{\"name\":\"a\",\"children\":[{\"name\":\"b\",\"children\":[{\"name\":\"c\",\"children\":[]}]},"
			 "{\"name\":\"d\",\"children\":[]}]}");
	assert_int_equal(template_render(set, "tree", ctx, &out), 0);
	assert_string_equal(buf_str(&out), "a(b(c))(d)");
	json_decref(ctx);

	/* when it does not, the render stops at a limit and leaves out as it was */
	buf_reset(&out);
	buf_adds(&out, "kept");
	ctx = parse_json("{}");
	assert_int_equal(template_render(set, "loop", ctx, &out), TEMPLATE_ERR_LIMIT);
	assert_string_equal(buf_str(&out), "kept");
	json_decref(ctx);

	template_set_free(set);
	buf_free(&out);
	buf_free(&err);
}

static void test_unknown_partial_and_duplicates(void **state)
{
	(void)state;
	struct buf err = {0};
	const char *const unknown[] = {"a", "ok", "b", "line 1\n{{#x}}{{> missing/part}}{{/x}}", NULL};
	assert_null(set_of(unknown, &err));
	assert_string_equal(buf_str(&err), "b.html:2: unknown partial {{> missing/part}}");

	buf_reset(&err);
	const char *const dup[] = {"a", "1", "a", "2", NULL};
	assert_null(set_of(dup, &err));
	assert_string_equal(buf_str(&err), "a.html:1: template \"a\" is already defined by a.html");
	buf_free(&err);
}

static void test_render_page(void **state)
{
	(void)state;
	struct buf out = {0}, err = {0};
	struct template_set *set = set_of(partial_set, &err);
	assert_non_null(set);
	/* the page's own {{content}} is the context's, escaped; only the layout sees the page body raw */
	json_t *ctx = parse_json("{\"title\":\"<T>\",\"content\":\"<script>\"}");
	assert_int_equal(template_render_page(set, "layout", "content-page", ctx, &out), 0);
	assert_string_equal(buf_str(&out), "<main><p>&lt;script&gt;|&lt;T&gt;</p></main><title>&lt;T&gt;</title>");

	buf_reset(&out);
	buf_adds(&out, "kept");
	assert_int_equal(template_render_page(set, "nope", "content-page", ctx, &out), TEMPLATE_ERR_NOT_FOUND);
	assert_int_equal(template_render_page(set, "layout", "nope", ctx, &out), TEMPLATE_ERR_NOT_FOUND);
	assert_int_equal(template_render(set, "nope", ctx, &out), TEMPLATE_ERR_NOT_FOUND);
	assert_string_equal(buf_str(&out), "kept");
	json_decref(ctx);
	template_set_free(set);
	buf_free(&out);
	buf_free(&err);
}

static void test_output_limit(void **state)
{
	(void)state;
	struct buf out, err = {0};
	buf_init(&out, 64);
	buf_adds(&out, "prefix");
	struct template_set *set = template_set_new();
	const char *tpl = "{{#l}}0123456789{{/l}}";
	assert_int_equal(template_add(set, "t", "t.html", tpl, strlen(tpl), &err), 0);
	assert_int_equal(template_set_finish(set, &err), 0);
	json_t *small = parse_json("{\"l\":[1,2,3]}"), *big = parse_json("{\"l\":[1,2,3,4,5,6,7,8,9,10]}");
	assert_int_equal(template_render(set, "t", big, &out), TEMPLATE_ERR_LIMIT);
	assert_string_equal(buf_str(&out), "prefix");
	assert_int_equal(template_render(set, "t", small, &out), 0);
	assert_string_equal(buf_str(&out), "prefix012345678901234567890123456789");
	json_decref(small);
	json_decref(big);
	template_set_free(set);
	buf_free(&out);
	buf_free(&err);
}

static const char chronology_tpl[] =
	"<ol class=\"app-timeline\">\n"
	"{{#entries}}\n"
	"  <li class=\"app-timeline__item{{#significant}} app-timeline__item--significant{{/significant}}\">\n"
	"    <h3 class=\"app-timeline__title\">{{title}}</h3>\n"
	"    <p class=\"app-timeline__byline\">by {{by.name}}, {{by.agency}}</p>\n"
	"    <time datetime=\"{{date}}\">{{date_text}}</time>\n"
	"    <div class=\"app-timeline__description\">{{summary}}</div>\n"
	"    {{#links}}<a href=\"{{href}}\">{{text}}</a>{{/links}}\n"
	"  </li>\n"
	"{{/entries}}\n"
	"{{^entries}}<p>No events.</p>{{/entries}}\n"
	"</ol>\n";

static json_t *chronology_ctx(int n)
{
	json_t *entries = json_array();
	for (int i = 0; i < n; i++) {
		char title[64], summary[128], date[16];
		snprintf(title, sizeof title, "Event %d <visit>", i + 1);
		snprintf(summary, sizeof summary, "Child seen alone & spoke about \"home\" (entry %d).", i + 1);
		snprintf(date, sizeof date, "2024-%02d-%02d", i % 12 + 1, i % 28 + 1);
		json_array_append_new(entries,
				      json_pack("{s:s, s:b, s:s, s:s, s:s, s:{s:s, s:s}, s:[{s:s, s:s}]}", "title", title,
						"significant", i % 3 == 0, "date", date, "date_text", date, "summary",
						summary, "by", "name", "A Worker", "agency", "Children's services",
						"links", "href", "/events/1", "text", "View"));
	}
	return json_pack("{s:o}", "entries", entries);
}

static void test_large_render(void **state)
{
	(void)state;
	struct buf out = {0}, err = {0};
	const char *const pairs[] = {"chronology", chronology_tpl, NULL};
	struct template_set *set = set_of(pairs, &err);
	assert_non_null(set);
	json_t *ctx = chronology_ctx(500);
	assert_int_equal(template_render(set, "chronology", ctx, &out), 0);
	assert_int_equal(count(buf_str(&out), "<li class="), 500);
	assert_int_equal(count(buf_str(&out), "app-timeline__item--significant"), 167);
	assert_int_equal(count(buf_str(&out), "&lt;visit&gt;"), 500);
	assert_non_null(strstr(buf_str(&out), "<h3 class=\"app-timeline__title\">Event 500 &lt;visit&gt;</h3>"));
	assert_non_null(strstr(buf_str(&out), "Children&#39;s services"));
	assert_null(strstr(buf_str(&out), "<visit>"));
	assert_null(strstr(buf_str(&out), "No events"));
	json_decref(ctx);
	template_set_free(set);
	buf_free(&out);
	buf_free(&err);
}

struct worker {
	const struct template_set *set;
	const json_t *ctx;
	const char *expect;
	int mismatches;
};

static void *render_worker(void *arg)
{
	struct worker *w = arg;
	for (int i = 0; i < 20; i++) {
		struct buf out = {0};
		if (template_render(w->set, "chronology", w->ctx, &out) != 0 || strcmp(buf_str(&out), w->expect) != 0)
			w->mismatches++;
		buf_free(&out);
	}
	return NULL;
}

/* A finished set is read-only, so threads may share it (and a context they only read). */
static void test_concurrent_renders(void **state)
{
	(void)state;
	struct buf expect = {0}, err = {0};
	const char *const pairs[] = {"chronology", chronology_tpl, NULL};
	struct template_set *set = set_of(pairs, &err);
	assert_non_null(set);
	json_t *ctx = chronology_ctx(100);
	assert_int_equal(template_render(set, "chronology", ctx, &expect), 0);
	struct worker w[4];
	pthread_t th[4];
	for (int i = 0; i < 4; i++) {
		w[i] = (struct worker){.set = set, .ctx = ctx, .expect = buf_str(&expect)};
		assert_int_equal(pthread_create(&th[i], NULL, render_worker, &w[i]), 0);
	}
	for (int i = 0; i < 4; i++) {
		pthread_join(th[i], NULL);
		assert_int_equal(w[i].mismatches, 0);
	}
	json_decref(ctx);
	template_set_free(set);
	buf_free(&expect);
	buf_free(&err);
}

static void write_file(const char *dir, const char *rel, const char *text)
{
	char path[512];
	snprintf(path, sizeof path, "%s/%s", dir, rel);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void test_load_dir(void **state)
{
	(void)state;
	char dir[] = "/tmp/sg-template-XXXXXX", sub[600], path[600];
	assert_non_null(mkdtemp(dir));
	snprintf(sub, sizeof sub, "%s/partials", dir);
	assert_int_equal(mkdir(sub, 0700), 0);
	write_file(dir, "layout.html", "<body>{{{raw:content}}}</body>");
	write_file(dir, "home.html", "{{> partials/greeting}}");
	write_file(dir, "partials/greeting.html", "Hello {{name}}");
	write_file(dir, "notes.txt", "{{#not a template");
	write_file(dir, ".hidden.html", "{{#broken");

	struct template_set *set = NULL;
	struct buf out = {0}, err = {0};
	assert_int_equal(template_load_dir(&set, dir, &err), 0);
	assert_int_equal(template_exists(set, "partials/greeting"), 1);
	assert_int_equal(template_exists(set, "notes"), 0);
	json_t *ctx = parse_json("{\"name\":\"<Ann>\"}");
	assert_int_equal(template_render_page(set, "layout", "home", ctx, &out), 0);
	assert_string_equal(buf_str(&out), "<body>Hello &lt;Ann&gt;</body>");
	json_decref(ctx);
	template_set_free(set);

	/* a broken file is named with its path and line, and nothing is returned */
	set = NULL;
	write_file(dir, "partials/bad.html", "ok\n{{#open}}\n");
	assert_int_equal(template_load_dir(&set, dir, &err), -1);
	assert_null(set);
	snprintf(path, sizeof path, "%s/partials/bad.html:2: section {{#open}} is never closed", dir);
	assert_string_equal(buf_str(&err), path);

	buf_reset(&err);
	assert_int_equal(template_load_dir(&set, "/nonexistent/templates", &err), -1);
	assert_non_null(strstr(buf_str(&err), "/nonexistent/templates:0: cannot open directory"));

	const char *files[] = {"layout.html", "home.html", "partials/greeting.html", "partials/bad.html", "notes.txt",
			       ".hidden.html"};
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		snprintf(path, sizeof path, "%s/%s", dir, files[i]);
		unlink(path);
	}
	rmdir(sub);
	rmdir(dir);
	buf_free(&out);
	buf_free(&err);
}

/* The shipped templates compile, and the layout renders the GOV.UK page furniture from its context. */
static void test_shipped_templates(void **state)
{
	(void)state;
	struct template_set *set = NULL;
	struct buf out = {0}, err = {0};
	/* scripts/run-tests.sh runs tests from the repository root and names it in SAFEGUARD_HOME */
	const char *home = getenv("SAFEGUARD_HOME");
	char dir[512];
	snprintf(dir, sizeof dir, "%s%sweb/templates", home ? home : "", home ? "/" : "");
	if (template_load_dir(&set, dir, &err) < 0)
		fail_msg("%s (run from the repository root): %s", dir, buf_str(&err));
	const char *const extra[] = {"layout", "partials/error_summary", "partials/date_input"};
	for (size_t i = 0; i < 3; i++)
		assert_int_equal(template_exists(set, extra[i]), 1);
	template_set_free(set);

	/* the layout and partials again, beside a test page that uses both partials */
	set = template_set_new();
	const char *page = "{{> partials/error_summary}}{{#dob}}{{> partials/date_input}}{{/dob}}";
	assert_int_equal(template_add(set, "page", "page.html", page, strlen(page), &err), 0);
	const char *names[] = {"layout", "partials/error_summary", "partials/date_input"};
	for (size_t i = 0; i < 3; i++) {
		char path[600];
		struct buf text = {0};
		snprintf(path, sizeof path, "%s/%s.html", dir, names[i]);
		FILE *f = fopen(path, "r");
		assert_non_null(f);
		char chunk[4096];
		size_t n;
		while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
			buf_add(&text, chunk, n);
		fclose(f);
		assert_int_equal(template_add(set, names[i], path, buf_str(&text), text.len, &err), 0);
		buf_free(&text);
	}
	assert_int_equal(template_set_finish(set, &err), 0);
	json_t *ctx = parse_json(
		"{\"title\":\"Record a visit\",\"csrf\":\"tok<1>\",\"user\":{\"name\":\"Ann O'Neil\"},"
		"\"nav\":[{\"href\":\"/\",\"text\":\"My work\",\"current\":true},{\"href\":\"/cases\",\"text\":\"Cases\","
		"\"current\":false}],"
		"\"errors\":[{\"field\":\"dob-day\",\"message\":\"Date of birth must be a real date\"},"
		"{\"field\":\"edd\",\"href\":\"#edd-day\",\"message\":\"Expected date <b>\"},{\"message\":\"Form-wide\"}],"
		"\"dob\":{\"name\":\"dob\",\"label\":\"Date of birth\",\"hint\":\"For example, 27 3 2007\",\"day\":\"31\","
		"\"month\":\"2\",\"year\":\"2020\",\"error\":\"Date of birth must be a real date\"}}");
	assert_int_equal(template_render_page(set, "layout", "page", ctx, &out), 0);
	const char *s = buf_str(&out);
	const char *must[] = {
		"<title>Error: Record a visit – Safeguard</title>",
		"<body class=\"govuk-template__body\">",
		"govuk-frontend-supported",
		"<a href=\"#main-content\" class=\"govuk-skip-link\" data-module=\"govuk-skip-link\">Skip to main content</a>",
		"Ann O&#39;Neil",
		"<input type=\"hidden\" name=\"csrf\" value=\"tok&lt;1&gt;\">",
		"aria-current=\"page\"",
		"<main class=\"govuk-main-wrapper\" id=\"main-content\"",
		"<a href=\"#dob-day\">Date of birth must be a real date</a>",
		"<li><a href=\"#edd-day\">Expected date &lt;b&gt;</a></li>",
		"<li>Form-wide</li>",
		"id=\"dob-day\" name=\"dob-day\"",
		"value=\"31\"",
		"aria-describedby=\"dob-hint dob-error\"",
		"govuk-form-group--error",
		"<script type=\"module\" src=\"/assets/govuk-frontend.min.js\"></script>",
	};
	for (size_t i = 0; i < sizeof must / sizeof must[0]; i++)
		if (!strstr(s, must[i]))
			fail_msg("layout output lacks: %s", must[i]);
	assert_int_equal(count(s, "aria-current="), 1);
	json_decref(ctx);

	/* signed out, no errors: no account area, no error summary, plain title */
	buf_reset(&out);
	ctx = parse_json("{\"title\":\"Sign in\"}");
	assert_int_equal(template_render_page(set, "layout", "page", ctx, &out), 0);
	s = buf_str(&out);
	assert_non_null(strstr(s, "<title>Sign in – Safeguard</title>"));
	assert_null(strstr(s, "Sign out"));
	assert_null(strstr(s, "govuk-error-summary"));
	json_decref(ctx);
	template_set_free(set);
	buf_free(&out);
	buf_free(&err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escaping),
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_sections),
		cmocka_unit_test(test_standalone),
		cmocka_unit_test(test_parse_errors),
		cmocka_unit_test(test_nesting_limit),
		cmocka_unit_test(test_partials),
		cmocka_unit_test(test_unknown_partial_and_duplicates),
		cmocka_unit_test(test_render_page),
		cmocka_unit_test(test_output_limit),
		cmocka_unit_test(test_large_render),
		cmocka_unit_test(test_concurrent_renders),
		cmocka_unit_test(test_load_dir),
		cmocka_unit_test(test_shipped_templates),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
