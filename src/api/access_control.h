/* access_control: who may see what (issue 7), as JSON API and GOV.UK pages.
 *
 *   account_routes      one's own account: change password, enrol a second factor (account_api.c)
 *   alerts_routes       alerts to one user, shown on "My work" until read (alerts.c)
 *   admin_routes        user administration for the system administrator, JSON (admin_api.c)
 *   admin_pages_routes  the same as pages (admin_pages.c)
 *   break_glass_routes  emergency access to a child's restricted details (break_glass.c)
 *   sharing_routes      information-sharing decisions on a child (sharing.c)
 *   audit_routes        audit reports for auditors: a child, a user, break-glass uses (audit_api.c)
 *
 * Every decision of who may do what is src/policy's, through each route's action and command_child_allowed(). */
#ifndef SG_ACCESS_CONTROL_H
#define SG_ACCESS_CONTROL_H
#include <jansson.h>

#include "http/http.h"
#include "http/router.h"
#include "store/store.h"

extern const struct route account_routes[];
extern const struct route alerts_routes[];
extern const struct route admin_routes[];
extern const struct route admin_pages_routes[];
extern const struct route break_glass_routes[];
extern const struct route sharing_routes[];
extern const struct route audit_routes[];

/* One sharing decision on child_id as GET /api/v1/children/{id}/sharing-decisions shows it (with labels and its
 * information packs), or NULL when there is none (or, after answering 500, when the lawful bases cannot be read:
 * req->status is then set). A new reference. */
json_t *sharing_decision_view(struct http_request *req, const char *child_id, const char *id);

/* The signed-in user's unread alerts, newest first, as the "My work" page lists them:
 * [{id, kind, child_id, child_name, actor_name, reason, when}]. A new reference; [] when there are none. */
json_t *alerts_unread(struct http_request *req);
/* Inside the caller's write transaction: one alert for user_id about child_id, raised by actor_id's action kind
 * (source_id names the record that raised it). STORE_OK or a negative store code. */
int alerts_add(struct store *st, const char *user_id, const char *kind, const char *child_id, const char *source_id,
               const char *actor_id);

#endif
