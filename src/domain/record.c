#include "domain/record.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/date.h"
#include "domain/enums.h"

static size_t text_max(const struct field *f)
{
	if (f->max)
		return f->max;
	return f->type == FIELD_LONG ? 10000 : 200;
}

const struct field *record_field(const struct entity *e, const char *name)
{
	for (const struct field *f = e->fields; f->name; f++)
		if (strcmp(f->name, name) == 0)
			return f;
	return NULL;
}

const char *record_choice_label(const struct field *f, const char *code)
{
	if (!f->enum_name || !code)
		return code;
	const char *label = enums_label(f->enum_name, code);
	return label ? label : code;
}

static void add_error(json_t *errors, const char *field, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void add_error(json_t *errors, const char *field, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	struct buf b;
	buf_init(&b, 1024);
	buf_vaddf(&b, fmt, ap);
	va_end(ap);
	/* GOV.UK style: a sentence starting with a capital, no full stop. */
	if (b.len && b.data[0] >= 'a' && b.data[0] <= 'z')
		b.data[0] = (char)(b.data[0] - 'a' + 'A');
	json_t *e = json_object();
	json_object_set_new(e, "field", json_string(field));
	json_object_set_new(e, "message", json_string(buf_str(&b)));
	json_array_append_new(errors, e);
	buf_free(&b);
}

static bool valid_utf8_text(const char *s, bool multiline)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 && !(multiline && (*p == '\n' || *p == '\r' || *p == '\t')))
			return false;
	return true; /* jansson has already rejected invalid UTF-8 */
}

static bool ref_exists(struct store *st, const char *table, const char *id)
{
	if (!id_valid(id))
		return false;
	struct buf sql;
	buf_init(&sql, 512);
	buf_addf(&sql, "SELECT COUNT(*) FROM %s WHERE id = $1", table);
	int64_t n = store_query_int(st, buf_str(&sql), id);
	buf_free(&sql);
	return n > 0;
}

static void validate_value(struct store *st, const struct field *f, json_t *v, json_t *errors)
{
	const char *label = f->label ? f->label : f->name;
	if (json_is_null(v)) {
		if (f->flags & FIELD_REQUIRED)
			add_error(errors, f->name, "Enter %s", label);
		return;
	}
	switch (f->type) {
	case FIELD_BOOL:
		if (!json_is_boolean(v))
			add_error(errors, f->name, "%s must be true or false", label);
		return;
	case FIELD_INT:
		if (!json_is_integer(v))
			add_error(errors, f->name, "%s must be a whole number", label);
		return;
	default:
		break;
	}
	if (!json_is_string(v)) {
		add_error(errors, f->name, "%s must be a string", label);
		return;
	}
	const char *s = json_string_value(v);
	switch (f->type) {
	case FIELD_TEXT:
	case FIELD_LONG:
		if (f->flags & FIELD_REQUIRED && !*s)
			add_error(errors, f->name, "Enter %s", label);
		else if (strlen(s) > text_max(f))
			add_error(errors, f->name, "%s must be %zu characters or fewer", label, text_max(f));
		else if (!valid_utf8_text(s, f->type == FIELD_LONG))
			add_error(errors, f->name, "%s contains control characters", label);
		return;
	case FIELD_DATE: {
		int32_t d;
		if (date_parse(s, &d) < 0)
			add_error(errors, f->name, "%s must be a real date", label);
		return;
	}
	case FIELD_MOMENT: {
		int64_t t;
		if (moment_parse(s, &t) < 0)
			add_error(errors, f->name, "%s must be a real date and time, like 2026-03-27T14:30", label);
		return;
	}
	case FIELD_ENUM:
		if (enums_label(f->enum_name, s))
			return;
		add_error(errors, f->name, "%s must be one of the listed options", label);
		return;
	case FIELD_REF:
		if (!ref_exists(st, f->ref_table, s))
			add_error(errors, f->name, "%s does not match any record", label);
		return;
	default:
		return;
	}
}

int record_validate(struct store *st, const struct entity *e, json_t *input, bool partial, json_t *errors)
{
	size_t before = json_array_size(errors);
	if (!json_is_object(input)) {
		add_error(errors, "", "The body must be a JSON object");
		return 1;
	}
	const char *key;
	json_t *v;
	json_object_foreach(input, key, v) {
		const struct field *f = record_field(e, key);
		if (!f) {
			add_error(errors, key, "%s is not a field of a %s", key, e->name);
			continue;
		}
		if (f->flags & FIELD_READONLY) {
			add_error(errors, key, "%s is set by the system and cannot be given", key);
			continue;
		}
		if (partial && (f->flags & FIELD_CREATE_ONLY)) {
			add_error(errors, key, "%s cannot be changed once recorded", key);
			continue;
		}
		validate_value(st, f, v, errors);
	}
	if (!partial) {
		for (const struct field *f = e->fields; f->name; f++) {
			if ((f->flags & FIELD_REQUIRED) && !(f->flags & FIELD_READONLY) && !json_object_get(input, f->name))
				add_error(errors, f->name, "Enter %s", f->label ? f->label : f->name);
		}
	}
	return (int)(json_array_size(errors) - before);
}

static int bind_json(struct store_stmt *s, int idx, const struct field *f, json_t *v)
{
	if (!v || json_is_null(v))
		return store_bind_null(s, idx);
	if (f && (f->type == FIELD_BOOL))
		return store_bind_int(s, idx, json_is_true(v));
	if (json_is_integer(v))
		return store_bind_int(s, idx, json_integer_value(v));
	if (json_is_string(v))
		return store_bind_textn(s, idx, json_string_value(v), json_string_length(v));
	return store_bind_null(s, idx);
}

static void now_iso(char out[32])
{
	char m[MOMENT_ISO_LEN];
	moment_format(moment_now(), m);
	snprintf(out, 32, "%s", m);
}

int record_insert(struct store *st, const struct entity *e, json_t *input, const struct http_kv *extra, int nextra,
                  const char *user_id, char id_out[ID_MAX])
{
	struct buf cols, vals;
	buf_init(&cols, 8192);
	buf_init(&vals, 8192);
	int n = 1;
	buf_adds(&cols, "id");
	buf_addf(&vals, "$%d", n++);
	const char *key;
	json_t *v;
	json_object_foreach(input, key, v) {
		buf_addf(&cols, ", %s", record_field(e, key)->name);
		buf_addf(&vals, ", $%d", n++);
	}
	for (int i = 0; i < nextra; i++) {
		buf_addf(&cols, ", %s", extra[i].key);
		buf_addf(&vals, ", $%d", n++);
	}
	buf_adds(&cols, ", created_at, created_by");
	buf_addf(&vals, ", $%d, $%d", n, n + 1);
	n += 2;
	if (e->has_updated) {
		buf_adds(&cols, ", updated_at, updated_by");
		buf_addf(&vals, ", $%d, $%d", n, n + 1);
	}
	struct buf sql;
	buf_init(&sql, 32768);
	buf_addf(&sql, "INSERT INTO %s (%s) VALUES (%s)", e->table, buf_str(&cols), buf_str(&vals));
	buf_free(&cols);
	buf_free(&vals);
	struct store_stmt *s = store_prepare(st, buf_str(&sql));
	buf_free(&sql);
	if (!s)
		return STORE_ERR;
	id_new(e->id_prefix, id_out);
	char now[32];
	now_iso(now);
	int idx = 1;
	store_bind_text(s, idx++, id_out);
	json_object_foreach(input, key, v) bind_json(s, idx++, record_field(e, key), v);
	for (int i = 0; i < nextra; i++)
		store_bind_text(s, idx++, extra[i].value);
	store_bind_text(s, idx++, now);
	store_bind_text(s, idx++, user_id);
	if (e->has_updated) {
		store_bind_text(s, idx++, now);
		store_bind_text(s, idx++, user_id);
	}
	int rc = store_step(s);
	if (rc != STORE_DONE)
		return rc;
	return e->after_write ? e->after_write(st, id_out) : STORE_OK;
}

int record_update(struct store *st, const struct entity *e, const char *id, json_t *input, const char *user_id)
{
	struct buf sql;
	buf_init(&sql, 32768);
	buf_addf(&sql, "UPDATE %s SET ", e->table);
	int n = 1;
	const char *key;
	json_t *v;
	json_object_foreach(input, key, v) buf_addf(&sql, "%s%s = $%d", n > 1 ? ", " : "", key, n), n++;
	if (e->has_updated) {
		buf_addf(&sql, "%supdated_at = $%d, updated_by = $%d", n > 1 ? ", " : "", n, n + 1);
		n += 2;
	}
	if (n == 1) {
		buf_free(&sql);
		return STORE_OK;
	}
	buf_addf(&sql, " WHERE id = $%d", n);
	struct store_stmt *s = store_prepare(st, buf_str(&sql));
	buf_free(&sql);
	if (!s)
		return STORE_ERR;
	int idx = 1;
	json_object_foreach(input, key, v) bind_json(s, idx++, record_field(e, key), v);
	if (e->has_updated) {
		char now[32];
		now_iso(now);
		store_bind_text(s, idx++, now);
		store_bind_text(s, idx++, user_id);
	}
	store_bind_text(s, idx, id);
	int rc = store_step(s);
	if (rc != STORE_DONE)
		return rc;
	if (store_changes(st) == 0)
		return STORE_DONE;
	return e->after_write ? e->after_write(st, id) : STORE_OK;
}

static json_t *row_to_json(const struct entity *e, struct store_stmt *s)
{
	json_t *o = json_object();
	int nc = store_column_count(s);
	for (int c = 0; c < nc; c++) {
		const char *name = store_column_name(s, c);
		const struct field *f = record_field(e, name);
		if (store_col_is_null(s, c)) {
			json_object_set_new(o, name, json_null());
		} else if (f && f->type == FIELD_BOOL) {
			json_object_set_new(o, name, json_boolean(store_col_int(s, c)));
		} else if (f && f->type == FIELD_INT) {
			json_object_set_new(o, name, json_integer(store_col_int(s, c)));
		} else {
			json_object_set_new(o, name, json_string(store_col_text(s, c)));
		}
	}
	return o;
}

json_t *record_get(struct store *st, const struct entity *e, const char *id)
{
	if (!id_valid(id))
		return NULL;
	struct buf sql;
	buf_init(&sql, 512);
	buf_addf(&sql, "SELECT * FROM %s WHERE id = $1", e->table);
	struct store_stmt *s = store_prepare(st, buf_str(&sql));
	buf_free(&sql);
	if (!s)
		return NULL;
	store_bind_text(s, 1, id);
	json_t *o = NULL;
	if (store_step(s) == STORE_ROW)
		o = row_to_json(e, s);
	store_reset(s);
	return o;
}

json_t *record_list(struct store *st, const struct entity *e, const char *col, const char *value,
                    const char *order_by, int limit)
{
	struct buf sql;
	buf_init(&sql, 1024);
	buf_addf(&sql, "SELECT * FROM %s", e->table);
	if (col)
		buf_addf(&sql, " WHERE %s = $1", col);
	if (order_by)
		buf_addf(&sql, " ORDER BY %s", order_by);
	buf_addf(&sql, " LIMIT %d", limit > 0 ? limit : 1000);
	struct store_stmt *s = store_prepare(st, buf_str(&sql));
	buf_free(&sql);
	json_t *arr = json_array();
	if (!s)
		return arr;
	if (col)
		store_bind_text(s, 1, value);
	while (store_step(s) == STORE_ROW)
		json_array_append_new(arr, row_to_json(e, s));
	return arr;
}

void record_redact(const struct entity *e, json_t *obj, bool show_restricted)
{
	if (show_restricted)
		return;
	json_t *hidden = NULL;
	for (const struct field *f = e->fields; f->name; f++) {
		if (!(f->flags & FIELD_RESTRICTED) || !json_object_get(obj, f->name))
			continue;
		json_t *v = json_object_get(obj, f->name);
		bool had_value = !json_is_null(v) && !(json_is_string(v) && !*json_string_value(v));
		json_object_del(obj, f->name);
		if (had_value) {
			if (!hidden)
				hidden = json_array();
			json_array_append_new(hidden, json_string(f->name));
		}
	}
	if (hidden)
		json_object_set_new(obj, "restricted_fields", hidden);
}

json_t *record_from_form(const struct entity *e, const struct http_request *req)
{
	json_t *o = json_object();
	for (const struct field *f = e->fields; f->name; f++) {
		if (f->flags & FIELD_READONLY)
			continue;
		if (f->type == FIELD_DATE) {
			char k[96];
			snprintf(k, sizeof k, "%s-day", f->name);
			const char *d = http_form(req, k);
			snprintf(k, sizeof k, "%s-month", f->name);
			const char *m = http_form(req, k);
			snprintf(k, sizeof k, "%s-year", f->name);
			const char *y = http_form(req, k);
			const char *whole = http_form(req, f->name);
			if (whole && *whole) {
				json_object_set_new(o, f->name, json_string(whole));
			} else if ((d && *d) || (m && *m) || (y && *y)) {
				char iso[64];
				int di = 0, mi = 0, yi = 0;
				char extra;
				bool ok = d && m && y && sscanf(d, "%d%c", &di, &extra) == 1 &&
				          sscanf(m, "%d%c", &mi, &extra) == 1 && sscanf(y, "%d%c", &yi, &extra) == 1 &&
				          yi >= 1000 && yi <= 9999 && mi >= 1 && mi <= 12 && di >= 1 && di <= 31;
				if (ok)
					snprintf(iso, sizeof iso, "%04d-%02d-%02d", yi, mi, di);
				else
					snprintf(iso, sizeof iso, "invalid");
				json_object_set_new(o, f->name, json_string(iso));
			}
			continue;
		}
		const char *v = http_form(req, f->name);
		if (!v)
			continue;
		if (f->type == FIELD_BOOL) {
			if (strcmp(v, "yes") == 0 || strcmp(v, "true") == 0)
				json_object_set_new(o, f->name, json_true());
			else if (strcmp(v, "no") == 0 || strcmp(v, "false") == 0)
				json_object_set_new(o, f->name, json_false());
			else if (*v)
				json_object_set_new(o, f->name, json_string(v)); /* rejected by validation */
			continue;
		}
		if (!*v)
			continue;
		if (f->type == FIELD_INT) {
			char *end;
			long long n = strtoll(v, &end, 10);
			if (*end == '\0')
				json_object_set_new(o, f->name, json_integer(n));
			else
				json_object_set_new(o, f->name, json_string(v));
			continue;
		}
		json_object_set_new(o, f->name, json_string(v));
	}
	return o;
}
