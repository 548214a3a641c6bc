#include "api/sharing_channels.h"

#include <stdio.h>
#include <string.h>

static const char *const flags[] = {"electronic", "needs_address", "four_eyes", "callback_unless_known"};
#define NFLAGS (sizeof flags / sizeof flags[0])

static int fail(struct buf *err, const char *path, const char *entry, const char *problem)
{
	buf_addf(err, "%s: %s: %s", path, entry, problem);
	return -1;
}

static bool text(const json_t *v)
{
	return json_is_string(v) && *json_string_value(v);
}

static bool code_ok(const char *s)
{
	if (!s || !*s)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_'))
			return false;
	return true;
}

static int check_channel(const json_t *all, const json_t *c, size_t i, const char *path, struct buf *err)
{
	char entry[96];
	snprintf(entry, sizeof entry, "channels[%zu]", i);
	if (!json_is_object(c))
		return fail(err, path, entry, "each channel must be an object");
	const char *code = json_string_value(json_object_get(c, "code"));
	if (!code_ok(code))
		return fail(err, path, entry, "code must be lower-case letters, digits and _");
	snprintf(entry, sizeof entry, "%s", code);
	const char *k;
	json_t *v;
	json_object_foreach((json_t *)c, k, v) {
		bool known = strcmp(k, "code") == 0 || strcmp(k, "label") == 0 || strcmp(k, "citation") == 0;
		for (size_t f = 0; f < NFLAGS && !known; f++)
			known = strcmp(k, flags[f]) == 0;
		if (!known) {
			char msg[128];
			snprintf(msg, sizeof msg, "unknown field %s", k);
			return fail(err, path, entry, msg);
		}
	}
	if (!text(json_object_get(c, "label")) || !text(json_object_get(c, "citation")))
		return fail(err, path, entry, "a channel needs a label and a citation");
	for (size_t f = 0; f < NFLAGS; f++)
		if (!json_is_boolean(json_object_get(c, flags[f])))
			return fail(err, path, entry,
			            "electronic, needs_address, four_eyes and callback_unless_known must each be true or false");
	for (size_t j = 0; j < i; j++)
		if (json_equal(json_object_get(json_array_get(all, j), "code"), json_object_get(c, "code")))
			return fail(err, path, entry, "duplicate code");
	return 0;
}

int sharing_channels_load(const char *path, json_t **out, struct buf *err)
{
	json_error_t jerr;
	json_t *doc = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
	if (!doc) {
		buf_addf(err, "%s: line %d: %s", path, jerr.line, jerr.text);
		return -1;
	}
	int rc = -1;
	const char *k;
	json_t *v;
	if (!json_is_object(doc)) {
		fail(err, path, "(top)", "expected an object");
		goto out;
	}
	json_object_foreach(doc, k, v) {
		if (strcmp(k, "version") && strcmp(k, "description") && strcmp(k, "citation") && strcmp(k, "channels")) {
			fail(err, path, k, "unknown field");
			goto out;
		}
	}
	if (!text(json_object_get(doc, "version")) || !text(json_object_get(doc, "citation"))) {
		fail(err, path, "(top)", "version and citation are required");
		goto out;
	}
	json_t *all = json_object_get(doc, "channels");
	if (!json_is_array(all) || json_array_size(all) == 0) {
		fail(err, path, "channels", "expected a non-empty array");
		goto out;
	}
	size_t i;
	json_array_foreach(all, i, v) {
		if (check_channel(all, v, i, path, err) < 0)
			goto out;
	}
	*out = json_incref(doc);
	rc = 0;
out:
	json_decref(doc);
	return rc;
}

const json_t *sharing_channels_find(const json_t *doc, const char *code)
{
	size_t i;
	json_t *c;
	if (!code)
		return NULL;
	json_array_foreach(json_object_get(doc, "channels"), i, c) {
		if (strcmp(json_string_value(json_object_get(c, "code")), code) == 0)
			return c;
	}
	return NULL;
}

bool sharing_channels_flag(const json_t *channel, const char *flag)
{
	return channel && json_is_true(json_object_get(channel, flag));
}

json_t *sharing_channels_options(const json_t *doc, const char *selected)
{
	json_t *out = json_array();
	size_t i;
	json_t *c;
	json_array_foreach(json_object_get(doc, "channels"), i, c) {
		const char *code = json_string_value(json_object_get(c, "code"));
		json_array_append_new(out, json_pack("{s:s, s:O, s:O, s:b, s:b}", "code", code, "label",
		                                     json_object_get(c, "label"), "citation", json_object_get(c, "citation"),
		                                     "four_eyes", sharing_channels_flag(c, "four_eyes"), "selected",
		                                     selected && strcmp(selected, code) == 0));
	}
	return out;
}
