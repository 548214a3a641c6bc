#include "api/command.h"

#include <string.h>

#include "app/web.h"
#include "app/app.h"
#include "audit/audit.h"
#include "audit/audit_queue.h"
#include "http/router.h"
#include "policy/policy.h"

json_t *command_input_or_respond(struct http_request *req, const struct entity *e)
{
	if (!req->is_api) {
		if (e)
			return record_from_form(e, req);
		json_t *o = json_object();
		for (int i = 0; i < req->nform; i++)
			json_object_set_new(o, req->form[i].key, json_string(req->form[i].value));
		return o;
	}
	if (!req->json) {
		http_problem(req, 400, "Missing body", "Send a JSON object with Content-Type: application/json.", NULL);
		return NULL;
	}
	if (!json_is_object(req->json)) {
		http_problem(req, 400, "Wrong body type", "The body must be a JSON object.", NULL);
		return NULL;
	}
	return json_incref(req->json);
}

int command_begin_or_respond(struct http_request *req)
{
	int rc = store_begin(req->store);
	if (rc == STORE_OK)
		return 0;
	web_store_failure(req, rc);
	return -1;
}

int command_commit_or_respond(struct http_request *req)
{
	int rc = store_commit(req->store);
	if (rc == STORE_OK)
		return 0;
	web_store_failure(req, rc);
	return -1;
}

int command_audit_or_respond(struct http_request *req, const char *action, const char *object_type,
                             const char *object_id, const char *child_id)
{
	struct audit_event ev = {
		.actor_user_id = req->signed_in ? req->user.id : NULL,
		.action = action,
		.object_type = object_type,
		.object_id = object_id,
		.child_id = child_id,
		.detail = req->route ? req->route->pattern : NULL,
	};
	if (audit_append(req->store, &ev) == 0)
		return 0;
	web_store_failure(req, STORE_ERR);
	return -1;
}

static void audit_queued(struct http_request *req, const char *action, const char *object_type,
                         const char *object_id, const char *child_id);

void command_audit_read(struct http_request *req, const char *object_type, const char *object_id,
                        const char *child_id)
{
	audit_queued(req, "read", object_type, object_id, child_id);
}

void command_audit_export(struct http_request *req, const char *object_type, const char *object_id,
                          const char *child_id)
{
	audit_queued(req, "export", object_type, object_id, child_id);
}

static void audit_queued(struct http_request *req, const char *action, const char *object_type,
                         const char *object_id, const char *child_id)
{
	/* A read changes nothing: its entry goes through the group-commit queue instead of a transaction here. */
	struct app *app = req->app;
	struct audit_event ev = {
		.actor_user_id = req->user.id,
		.action = action,
		.object_type = object_type,
		.object_id = object_id,
		.child_id = child_id,
		.detail = req->route ? req->route->pattern : NULL,
	};
	audit_queue_push(app->read_audit, &ev);
}

bool command_child_allowed(struct http_request *req, const char *action, const char *child_id)
{
	if (policy_child(req->store, &req->user, action, child_id))
		return true;
	web_forbidden(req, action, child_id);
	return false;
}

int command_begin_valid_or_respond(struct http_request *req, const struct entity *e, json_t *in, bool partial)
{
	if (command_begin_or_respond(req) < 0)
		return -1;
	json_t *errors = json_array();
	if (record_validate(req->store, e, in, partial, errors)) {
		store_rollback(req->store);
		web_invalid(req, errors);
		return -1;
	}
	json_decref(errors);
	return 0;
}

int command_update_or_respond(struct http_request *req, const struct entity *e, const char *id, json_t *in,
                              const char *child_id)
{
	if (command_begin_valid_or_respond(req, e, in, true) < 0)
		return -1;
	int rc = record_update(req->store, e, id, in, req->user.id);
	if (rc == STORE_DONE) {
		store_rollback(req->store);
		web_not_found(req);
		return -1;
	}
	if (rc != STORE_OK) {
		web_store_failure(req, rc);
		return -1;
	}
	if (command_audit_or_respond(req, "update", e->name, id, child_id) < 0 || command_commit_or_respond(req) < 0)
		return -1;
	return 0;
}

const char *command_permitted_child(struct http_request *req, const char *sql, const char *key, const char *action)
{
	struct store_stmt *s = store_prepare(req->store, sql);
	if (!s)
		return NULL;
	store_bind_text(s, 1, key);
	/* Collect first: the policy runs its own queries, which must not interleave with this one. */
	json_t *ids = json_array();
	while (store_step(s) == STORE_ROW)
		json_array_append_new(ids, json_string(store_col_text(s, 0)));
	const char *found = NULL;
	size_t i;
	json_t *v;
	json_array_foreach(ids, i, v) {
		if (policy_child(req->store, &req->user, action, json_string_value(v))) {
			found = arena_strdup(&req->arena, json_string_value(v));
			break;
		}
	}
	json_decref(ids);
	return found;
}
