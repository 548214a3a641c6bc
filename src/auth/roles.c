#include "auth/roles.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "core/xmalloc.h"

void roles_free(struct roles *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->count; i++) {
		free(r->items[i].code);
		free(r->items[i].label);
		free(r->items[i].description);
		free(r->items[i].citation);
	}
	free(r->items);
	free(r);
}

static bool code_ok(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > 32)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || s[i] == '_' || (i > 0 && s[i] >= '0' && s[i] <= '9')))
			return false;
	return true;
}

static const char *text_field(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s && s[0] ? s : NULL;
}

int roles_load(struct roles **out, const char *path, struct buf *err)
{
	json_error_t jerr;
	json_t *root = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
	if (!root) {
		buf_addf(err, "%s:%d: %s", path, jerr.line, jerr.text);
		return -1;
	}
	struct roles *r = xcalloc(1, sizeof *r);
	json_t *arr = json_object_get(root, "roles");
	if (!json_is_array(arr) || json_array_size(arr) == 0) {
		buf_addf(err, "%s: expected a non-empty \"roles\" array", path);
		goto fail;
	}
	r->items = xcalloc(json_array_size(arr), sizeof *r->items);
	size_t i;
	json_t *o;
	json_array_foreach(arr, i, o) {
		const char *code = text_field(o, "code"), *label = text_field(o, "label");
		const char *desc = text_field(o, "description"), *cite = text_field(o, "citation");
		json_t *totp = json_object_get(o, "totp_capable");
		if (!code || !label || !desc || !cite || !json_is_boolean(totp)) {
			buf_addf(err, "%s: role %zu needs code, label, description, citation and totp_capable", path, i + 1);
			goto fail;
		}
		if (!code_ok(code)) {
			buf_addf(err, "%s: role code \"%s\" must be lower-case letters, digits and _", path, code);
			goto fail;
		}
		if (roles_find(r, code)) {
			buf_addf(err, "%s: role code \"%s\" appears twice", path, code);
			goto fail;
		}
		struct role *ro = &r->items[r->count++];
		ro->code = xstrdup(code);
		ro->label = xstrdup(label);
		ro->description = xstrdup(desc);
		ro->citation = xstrdup(cite);
		ro->totp_capable = json_is_true(totp);
	}
	json_decref(root);
	*out = r;
	return 0;
fail:
	json_decref(root);
	roles_free(r);
	return -1;
}

const struct role *roles_find(const struct roles *r, const char *code)
{
	if (!r || !code)
		return NULL;
	for (size_t i = 0; i < r->count; i++)
		if (strcmp(r->items[i].code, code) == 0)
			return &r->items[i];
	return NULL;
}
