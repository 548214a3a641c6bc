/* libFuzzer driver for the template engine: compiles the input as a template beside fixed partials (one of which
 * includes the input back, so recursion is reachable), then renders it on its own and inside a layout against a
 * fixed context. A parse failure must leave a message; a render failure must leave the output as it was.
 *
 * Build and run (see docs/internals/template.md):
 *   clang -std=c17 -D_GNU_SOURCE -g -O1 -fsanitize=fuzzer,address,undefined -Isrc -o build/fuzz_template \
 *     fuzz/fuzz_template.c src/ui/template.c src/core/buf.c src/core/xmalloc.c -ljansson
 *   build/fuzz_template -max_total_time=60 -max_len=4096 fuzz/corpus/template */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "ui/template.h"

static const char context_json[] =
	"{\"title\":\"<T> & 'q'\",\"n\":42,\"r\":0.5,\"t\":true,\"f\":false,\"z\":null,\"empty\":[],\"s\":\"\","
	"\"user\":{\"name\":\"Ann\",\"roles\":[\"sw\",\"tm\"]},"
	"\"items\":[{\"name\":\"a\",\"children\":[]},{\"name\":\"<b>\",\"children\":[{\"name\":\"c\",\"children\":[]}]}],"
	"\"errors\":[{\"field\":\"dob-day\",\"message\":\"Enter a date\"}],\"nested\":{\"a\":{\"b\":{\"c\":[1,[2,3]]}}}}";

static const char *const partials[][2] = {
	{"p", "[{{name}}|{{.}}]{{#children}}{{> p}}{{/children}}"},
	{"back", "{{#items}}{{> input}}{{/items}}"},
	{"layout", "<main>{{{raw:content}}}</main>{{title}}"},
};

static json_t *context;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	context = json_loads(context_json, 0, NULL);
	if (!context)
		abort();
	return 0;
}

static void check_render(int rc, const struct buf *out, size_t before)
{
	if (rc < 0 && out->len != before)
		abort(); /* a failed render must not leave part of its output behind */
	if (out->data && out->data[out->len] != '\0')
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct buf err = {0}, out;
	buf_init(&out, 1024 * 1024);
	struct template_set *set = template_set_new();
	int rc = template_add(set, "input", "input.html", (const char *)data, size, &err);
	for (size_t i = 0; rc == 0 && i < sizeof partials / sizeof partials[0]; i++)
		rc = template_add(set, partials[i][0], partials[i][0], partials[i][1], strlen(partials[i][1]), &err);
	if (rc == 0)
		rc = template_set_finish(set, &err);
	if (rc < 0) {
		if (err.len == 0)
			abort(); /* every refusal explains itself */
		goto out;
	}
	buf_adds(&out, "x");
	check_render(template_render(set, "input", context, &out), &out, 1);
	size_t before = out.len;
	check_render(template_render_page(set, "layout", "input", context, &out), &out, before);
	before = out.len;
	check_render(template_render(set, "back", context, &out), &out, before);
out:
	template_set_free(set);
	buf_free(&out);
	buf_free(&err);
	return 0;
}
