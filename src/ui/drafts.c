#include "ui/drafts.h"

#include <stdlib.h>
#include <string.h>

#include "api/command.h"
#include "app/web.h"
#include "core/date.h"
#include "core/id.h"
#include "store/store.h"

bool drafts_form_key_valid(const char *key)
{
	if (!key || key[0] != '/' || strlen(key) > DRAFTS_KEY_MAX || strstr(key, "//") || strstr(key, ".."))
		return false;
	for (const char *p = key; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || strchr("/-_.:", c)))
			return false;
	}
	return true;
}

/* The posted fields as a JSON object. The CSRF token and the form key are how the draft arrived, not what was
 * typed, so they are left out. A field posted more than once (checkboxes) becomes an array in posting order. */
static json_t *fields_json(const struct http_request *req)
{
	json_t *o = json_object();
	for (int i = 0; i < req->nform; i++) {
		const char *k = req->form[i].key, *v = req->form[i].value;
		if (!k || !v || strcmp(k, "csrf") == 0 || strcmp(k, "form_key") == 0)
			continue;
		json_t *had = json_object_get(o, k);
		if (!had) {
			json_object_set_new(o, k, json_string(v));
		} else if (json_is_array(had)) {
			json_array_append_new(had, json_string(v));
		} else {
			json_object_set_new(o, k, json_pack("[O, s]", had, v));
		}
	}
	return o;
}

static int step_done(struct store_stmt *s)
{
	int rc = s ? store_step(s) : STORE_ERR;
	if (s)
		store_reset(s);
	return rc == STORE_DONE ? STORE_OK : (rc < 0 ? rc : STORE_ERR);
}

/* Upsert one draft, then drop what has outlived its keeping: every user's stale drafts (an index range), and this
 * user's oldest beyond the cap. Inside the caller's transaction. */
static int save_draft(struct store *st, const char *user_id, const char *key, const char *text, int64_t now)
{
	char id[ID_MAX];
	id_new("drf", id);
	struct store_stmt *s = store_prepare(
		st, "INSERT INTO drafts (id, user_id, form_key, data, updated_at) VALUES ($1, $2, $3, $4, $5) "
		    "ON CONFLICT (user_id, form_key) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at");
	if (s && (store_bind_text(s, 1, id) || store_bind_text(s, 2, user_id) || store_bind_text(s, 3, key) ||
	          store_bind_text(s, 4, text) || store_bind_int(s, 5, now))) {
		store_reset(s);
		return STORE_ERR;
	}
	int rc = step_done(s);
	if (rc != STORE_OK)
		return rc;
	s = store_prepare(st, "DELETE FROM drafts WHERE updated_at < $1");
	if (s && store_bind_int(s, 1, now - DRAFTS_KEEP_SECONDS)) {
		store_reset(s);
		return STORE_ERR;
	}
	if ((rc = step_done(s)) != STORE_OK)
		return rc;
	s = store_prepare(st, "DELETE FROM drafts WHERE user_id = $1 AND id NOT IN "
	                      "(SELECT id FROM drafts WHERE user_id = $1 ORDER BY updated_at DESC, id LIMIT $2)");
	if (s && (store_bind_text(s, 1, user_id) || store_bind_int(s, 2, DRAFTS_MAX_PER_USER))) {
		store_reset(s);
		return STORE_ERR;
	}
	return step_done(s);
}

int drafts_save(struct http_request *req, const char *form_key, json_t *data)
{
	if (!req->signed_in || !drafts_form_key_valid(form_key) || !json_is_object(data))
		return -1;
	char *text = json_dumps(data, JSON_COMPACT);
	if (!text || strlen(text) > DRAFTS_MAX_BYTES) {
		free(text);
		return -1;
	}
	int rc = store_begin(req->store);
	if (rc == STORE_OK)
		rc = save_draft(req->store, req->user.id, form_key, text, moment_now());
	if (rc == STORE_OK)
		rc = store_commit(req->store);
	if (rc != STORE_OK)
		store_rollback(req->store);
	free(text);
	return rc == STORE_OK ? 0 : -1;
}

static void h_save(struct http_request *req)
{
	const char *key = http_form(req, "form_key");
	if (!drafts_form_key_valid(key)) {
		http_problem(req, 422, "Invalid form key",
		             "Send form_key: the path of the form's page, such as /children/new.", "form_key");
		return;
	}
	json_t *data = fields_json(req);
	char *text = json_dumps(data, JSON_COMPACT);
	json_decref(data);
	if (!text || strlen(text) > DRAFTS_MAX_BYTES) {
		free(text);
		http_problem(req, 413, "Draft too large", "The draft is larger than a draft may be. Submit the form instead.",
		             NULL);
		return;
	}
	int64_t now = moment_now();
	if (command_begin_or_respond(req) < 0) {
		free(text);
		return;
	}
	int rc = save_draft(req->store, req->user.id, key, text, now);
	free(text);
	if (rc != STORE_OK) {
		web_store_failure(req, rc);
		return;
	}
	if (command_commit_or_respond(req) < 0)
		return;
	char at[MOMENT_ISO_LEN];
	moment_format(now, at);
	/* The session's deadline comes back too: this request has kept the session alive, and the page's time-out
	 * warning should count from the new deadline rather than the one it was drawn with. */
	http_json(req, 200, json_pack("{s:s, s:I}", "saved_at", at, "session_expires_at",
	                              (json_int_t)req->user.session_expires_at));
}

/* The draft row: its fields (parsed) and when it was saved. NULL when there is none or it cannot be read. */
static json_t *load_row(struct http_request *req, const char *form_key, int64_t *updated_at)
{
	if (!req->signed_in || !drafts_form_key_valid(form_key))
		return NULL;
	struct store_stmt *s =
		store_prepare(req->store, "SELECT data, updated_at FROM drafts WHERE user_id = $1 AND form_key = $2");
	if (!s)
		return NULL;
	json_t *data = NULL;
	if (!store_bind_text(s, 1, req->user.id) && !store_bind_text(s, 2, form_key) && store_step(s) == STORE_ROW) {
		const char *text = store_col_text(s, 0);
		data = text ? json_loads(text, 0, NULL) : NULL;
		if (data && !json_is_object(data)) {
			json_decref(data);
			data = NULL;
		}
		if (updated_at)
			*updated_at = store_col_int(s, 1);
	}
	store_reset(s);
	return data;
}

json_t *drafts_load(struct http_request *req, const char *form_key)
{
	return load_row(req, form_key, NULL);
}

int drafts_delete(struct http_request *req, const char *form_key)
{
	if (!req->signed_in || !drafts_form_key_valid(form_key))
		return 0;
	struct store_stmt *s = store_prepare(req->store, "DELETE FROM drafts WHERE user_id = $1 AND form_key = $2");
	if (!s)
		return -1;
	if (store_bind_text(s, 1, req->user.id) || store_bind_text(s, 2, form_key)) {
		store_reset(s);
		return -1;
	}
	return step_done(s) == STORE_OK ? 0 : -1;
}

static void h_get(struct http_request *req)
{
	const char *key = http_query(req, "form_key");
	if (!drafts_form_key_valid(key)) {
		http_problem(req, 400, "Invalid form key",
		             "Give form_key: the path of the form's page, such as /children/new.", "form_key");
		return;
	}
	int64_t updated = 0;
	json_t *data = load_row(req, key, &updated);
	if (!data) {
		http_problem(req, 404, "No draft", "You have no saved draft of this form.", NULL);
		return;
	}
	char at[MOMENT_ISO_LEN];
	moment_format(updated, at);
	http_json(req, 200, json_pack("{s:s, s:o, s:s}", "form_key", key, "data", data, "updated_at", at));
}

const struct route drafts_routes[] = {
	{HTTP_POST, "/drafts", h_save, "draft.keep"},
	{HTTP_GET, "/api/v1/drafts", h_get, "draft.keep"},
	{0},
};
