/* dashboard: the managers' views of caseloads and overdue work (usability goals U1 and U11).
 *
 * A team dashboard lists, for one team, each worker's open cases and overdue statutory deadlines, the children on
 * a child protection plan with no worker allocated, and the team's open cases with checkboxes to reassign up to
 * DASHBOARD_MAX_REASSIGN of them to another worker in one confirmed action. The authority dashboard gives the same
 * figures per team, with a bar chart of overdue work per team drawn on the server as SVG (and the same figures
 * as a table). Team managers see their own team (policy action clock.team); whoever may see the authority's
 * deadlines (clock.authority: service managers, auditors) sees the authority and any team.
 *
 * Which team a case belongs to is the case's own team (cases.team_id, as the policy's "team" relation reads it),
 * or the allocated worker's team when the case has none. A case counts as having no worker when nobody is
 * allocated or the allocated account is disabled (the worker has left).
 *
 * Routes: GET /dashboard, GET /api/v1/dashboard (?team=ID), the reassignment pages under /dashboard/reassign and
 * POST /api/v1/cases/reassign. JSON results are new references; strings live in the request arena. */
#ifndef SG_DASHBOARD_H
#define SG_DASHBOARD_H
#include <jansson.h>

#include "http/router.h"

#define DASHBOARD_MAX_REASSIGN 200

extern const struct route dashboard_routes[];
extern const struct route dashboard_reassign_routes[];

/* Which dashboard the user may see: the team asked for (NULL = their own, or the authority's when they may see
 * it). Sets *team_id (NULL = the authority view). Answers 403 and returns -1 when not allowed. */
int dashboard_scope(struct http_request *req, const char *asked, const char **team_id);
/* The team dashboard's data: {team: {id, name}, totals: {open_cases, no_worker, overdue}, workers: [{id, name,
 * open_cases, overdue}], on_plan_no_worker: [...], cases: [{case_id, child_id, child_name, worker_id,
 * worker_name, stage, stage_label, opened_at, opened_long, overdue}]}; cases only of worker_filter when given.
 * NULL when the team does not exist. */
json_t *dashboard_team(struct http_request *req, const char *team_id, const char *worker_filter);
/* The authority dashboard's data: {totals, teams: [{id, name, open_cases, no_worker, overdue}],
 * on_plan_no_worker: [...]}. */
json_t *dashboard_authority(struct http_request *req);
/* Renders the dashboard page for team_id (NULL = authority) with errors (stolen, may be NULL) and, for a refused
 * reassignment, what was chosen kept (selected case ids, to_user_id, reason from the form). */
void dashboard_render(struct http_request *req, int status, const char *team_id, json_t *errors);

#endif
