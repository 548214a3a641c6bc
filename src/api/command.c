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

void command_audit_read(struct http_request *req, const char *object_type, const char *object_id,
                        const char *child_id)
{
	/* A read changes nothing: its entry goes through the group-commit queue instead of a transaction here. */
	struct app *app = req->app;
	struct audit_event ev = {
		.actor_user_id = req->user.id,
		.action = "read",
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
