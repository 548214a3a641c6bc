/* admin_api: user administration for the system administrator (action user.manage), shared by the JSON API
 * (admin_api.c) and the pages (admin_pages.c). Changes go through src/auth/account.h, which audits each in its own
 * transaction; a team change is audited here as a permission change.
 *
 * Operations return 0 when done; 1 when refused, with {"field","message"} entries appended to errors (nothing
 * changed); -1 when they have already answered the request (a database failure). Input is a JSON object (the API's
 * body or the form's fields as strings). */
#ifndef SG_ADMIN_API_H
#define SG_ADMIN_API_H
#include <jansson.h>

#include "auth/account.h"
#include "http/http.h"

/* Every account: [{id, username, display_name, role, role_label, team_id, team_name, disabled, totp_enrolled,
 * locked, locked_until}], by name. */
json_t *admin_api_users(struct http_request *req);
/* One account in the same shape, or NULL when there is no such account. */
json_t *admin_api_user(struct http_request *req, const char *user_id);
/* [{id, name, selected}] for the team select; selected marks team_id. */
json_t *admin_api_teams(struct http_request *req, const char *team_id);
/* [{code, label, selected}] for the role select. NULL (answered) when the roles cannot be loaded. */
json_t *admin_api_roles(struct http_request *req, const char *selected);

/* {username, display_name, role, password, team_id?} */
int admin_api_create(struct http_request *req, json_t *in, json_t *errors, char id_out[ACCOUNT_ID_SIZE]);
/* Any of {role, disabled, team_id} (team_id "" or null: no team). All are checked before any is applied. */
int admin_api_update(struct http_request *req, const char *user_id, json_t *in, json_t *errors);
int admin_api_reset_password(struct http_request *req, const char *user_id, const char *password, json_t *errors);
int admin_api_unlock(struct http_request *req, const char *user_id, json_t *errors);
int admin_api_totp_remove(struct http_request *req, const char *user_id, json_t *errors);

#endif
