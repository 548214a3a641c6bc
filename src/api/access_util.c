#include "api/access_util.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "app/app.h"
#include "app/web.h"
#include "core/date.h"
#include "domain/enums.h"

const char *access_util_text(struct http_request *req, json_t *in, const char *key)
{
	const char *s = json_string_value(json_object_get(in, key));
	if (!s)
		return NULL;
	while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
		s++;
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
		n--;
	return n ? arena_strndup(&req->arena, s, n) : NULL;
}

int access_util_flag(json_t *in, const char *key)
{
	json_t *v = json_object_get(in, key);
	if (json_is_boolean(v))
		return json_is_true(v);
	const char *s = json_string_value(v);
	if (s && strcmp(s, "yes") == 0)
		return 1;
	if (s && strcmp(s, "no") == 0)
		return 0;
	return -1;
}

void access_util_error(json_t *errors, const char *field, const char *message)
{
	json_array_append_new(errors, json_pack("{s:s, s:s}", "field", field, "message", message));
}

json_t *access_util_typed(const struct http_request *req, const char *const *keys, size_t n)
{
	json_t *o = json_object();
	for (size_t i = 0; i < n; i++) {
		const char *v = http_form(req, keys[i]);
		json_object_set_new(o, keys[i], json_string(v ? v : ""));
	}
	return o;
}

const char *access_util_when(struct http_request *req, int64_t t)
{
	static const char *const months[] = {"January", "February", "March",     "April",   "May",      "June",
	                                     "July",    "August",   "September", "October", "November", "December"};
	if (t <= 0)
		return "";
	int32_t day;
	int h, m, s, y, mo, d;
	moment_to_local(t, &day, &h, &m, &s);
	date_to_ymd(day, &y, &mo, &d);
	return arena_printf(&req->arena, "%d %s %d at %02d:%02d", d, months[mo - 1], y, h, m);
}

int64_t access_util_parse_moment(const char *s)
{
	int64_t t;
	return s && moment_parse(s, &t) == 0 ? t : 0;
}

int64_t access_util_day_bound(const char *day, bool end)
{
	if (!day || !*day)
		return 0;
	int32_t d;
	if (date_parse(day, &d) < 0)
		return -1;
	return moment_from_local(end ? d + 1 : d, 0, 0, 0);
}

static pthread_mutex_t roles_lock = PTHREAD_MUTEX_INITIALIZER;
static struct roles *roles_loaded;

const struct roles *access_util_roles_or_respond(struct http_request *req)
{
	struct app *app = req->app;
	pthread_mutex_lock(&roles_lock);
	if (!roles_loaded) {
		struct buf path, err;
		buf_init(&path, 4096);
		buf_init(&err, 1024);
		buf_addf(&path, "%s/roles.json", app->rules_dir);
		if (roles_load(&roles_loaded, buf_str(&path), &err) < 0) {
			fprintf(stderr, "safeguard: %s\n", buf_str(&err));
			roles_loaded = NULL;
		}
		buf_free(&path);
		buf_free(&err);
	}
	const struct roles *r = roles_loaded;
	pthread_mutex_unlock(&roles_lock);
	if (!r)
		web_error(req, 500, "Internal error", "The list of roles cannot be read.");
	return r;
}

static const char *lookup_text(struct http_request *req, const char *sql, const char *id)
{
	if (!id)
		return "";
	struct store_stmt *s = store_prepare(req->store, sql);
	if (!s)
		return "";
	store_bind_text(s, 1, id);
	const char *v = store_step(s) == STORE_ROW ? arena_strdup(&req->arena, store_col_text(s, 0)) : NULL;
	store_reset(s);
	return v ? v : "";
}

const char *access_util_user_name(struct http_request *req, const char *user_id)
{
	return lookup_text(req, "SELECT display_name FROM users WHERE id = $1", user_id);
}

const char *access_util_child_name(struct http_request *req, const char *child_id)
{
	return lookup_text(req, "SELECT forenames || ' ' || surname FROM children WHERE id = $1", child_id);
}

int access_util_audit_or_respond(struct http_request *req, struct audit_event ev)
{
	if (!ev.actor_user_id && req->signed_in)
		ev.actor_user_id = req->user.id;
	if (audit_append(req->store, &ev) == 0)
		return 0;
	web_store_failure(req, STORE_ERR);
	return -1;
}

json_t *access_util_options(const char *list, const char *selected)
{
	json_t *opts = enums_list(list);
	if (!opts)
		return json_array();
	size_t i;
	json_t *o;
	json_array_foreach(opts, i, o) json_object_set_new(
		o, "selected", json_boolean(selected && strcmp(selected, json_string_value(json_object_get(o, "code"))) == 0));
	return opts;
}
