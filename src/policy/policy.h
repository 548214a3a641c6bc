/* policy: the single point that decides who may do what (issue 7; ARCHITECTURE "one policy point").
 *
 * Decisions come from rules/access.json and rules/access.d/: an action is granted to a role together with a
 * relationship to the child (any, allocated, team, involved, creator). Whatever is not granted is denied, except what
 * a live emergency (break-glass) grant unlocks (below). docs/internals/policy.md has the design. Handlers never decide access
 * themselves: the dispatcher asks policy_allows_action() before a handler runs, and handlers that touch a child's
 * record ask policy_child() with that child's id.
 * Loaded once before the server starts its threads; read-only afterwards. */
#ifndef SG_POLICY_H
#define SG_POLICY_H
#include <stdbool.h>
#include <stdint.h>

#include "core/buf.h"
#include "http/http.h"
#include "store/store.h"

int policy_load(const char *rules_dir, struct buf *err);
void policy_free(void);

/* Could this user's role do the action for at least some child? (route-level check) */
bool policy_allows_action(const struct http_user *user, const char *action);
/* May this user do the action on this child's record? Looks up the user's relationship to the child. */
bool policy_child(struct store *st, const struct http_user *user, const char *action, const char *child_id);
/* Emergency ("break-glass") access: an action may list in "unlocks" other actions that a live grant in
 * break_glass_grants gives its holder for that child (child.break_glass unlocks child.restricted), for as long as
 * the holder still has the unlocking action for the child. policy_child() applies this itself; these two tell the
 * pages how long a grant lasts and until when the user's live grant for a child runs (0 when none). */
int policy_break_glass_seconds(void);
int64_t policy_break_glass_until(struct store *st, const struct http_user *user, const char *child_id);
/* The relationship names the user has to a child, for "why can I see this" (space-separated, static storage
 * of the caller: written into out); "break_glass" while the user holds a live emergency grant. */
void policy_relations(struct store *st, const struct http_user *user, const char *child_id, struct buf *out);
/* The spec roles (procedures-A1-5 3.22 codes, comma-separated) that an access role holds, from rules/roles.json;
 * "" for an unknown role. */
const char *policy_spec_roles(const char *role);
/* True when the action is known to the policy (every route's action must be). */
bool policy_known_action(const char *action);

#endif
