/* front: the front half of the child protection pathway (spec procedures-A1-5 ST-01 to ST-14): contacts and the
 * front door, referrals and their decision, the communication log, assessments and child in need plans, emergency
 * protection, police notification, strategy meetings/discussions, section 47 enquiries with paediatric
 * assessments, missing or obstructed children, and the hospital discharge hold.
 *
 * Every write is a command function that never answers the request: it opens the transaction, validates its input
 * against an entity (record.h), checks the rules of spec section 5 (record-level ones as field errors, stage-level
 * ones through the guards of rules/pathway/stages.json), and writes the record, the clock events
 * (clock_record_event), the stage transition (stage_apply), the chronology entry and the audit entry, then commits;
 * or rolls back and reports why in struct front_out. The JSON API handlers and the HTML page handlers both call the
 * same commands and only differ in how they answer, so a page can do exactly what the API can.
 *
 * Strings are borrowed; JSON results are new references unless a comment says "stolen". */
#ifndef SG_PATHWAY_FRONT_H
#define SG_PATHWAY_FRONT_H
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/id.h"
#include "domain/record.h"
#include "http/http.h"
#include "http/router.h"
#include "pathway/stage.h"

/* ---- route tables (registered in src/app/routes.c) ---- */
extern const struct route contact_routes[];
extern const struct route referral_routes[];
extern const struct route assessment_routes[];
extern const struct route strategy_routes[];
extern const struct route s47_routes[];
extern const struct route front_pages_routes[];
extern const struct route front_rules_routes[];

/* ---- entities of migrations/0006 (front_entities.c); one per command input, several may share a table ---- */
extern const struct entity front_contact;
extern const struct entity front_referral_create;
extern const struct entity front_referral;
extern const struct entity front_referral_consent;
extern const struct entity front_referral_decision;
extern const struct entity front_communication;
extern const struct entity front_assessment_create;
extern const struct entity front_assessment;
extern const struct entity front_assessment_outcome;
extern const struct entity front_assessment_authorise;
extern const struct entity front_extension;
extern const struct entity front_cin_plan;
extern const struct entity front_emergency;
extern const struct entity front_police;
extern const struct entity front_smd;
extern const struct entity front_smd_participant;
extern const struct entity front_s47;
extern const struct entity front_s47_outcome;
extern const struct entity front_agency_check;
extern const struct entity front_paediatric;
extern const struct entity front_whereabouts;
extern const struct entity front_whereabouts_plan;
extern const struct entity front_whereabouts_located;
extern const struct entity front_hospital_hold;
/* migrations/0012 (front_entities_rules.c) */
extern const struct entity front_referral_prebirth;
extern const struct entity front_joint_visit;
extern const struct entity front_joint_visit_create;
extern const struct entity front_joint_visit_police;
extern const struct entity front_joint_visit_outcome;

/* ---- the outcome of a command ---- */
struct front_out {
	int status;                   /* 0 = done; else the HTTP status of the refusal: 404, 409, 422, 500, 503 */
	const char *forbidden_action; /* status 404 because the policy refused this action (audited as such) */
	json_t *errors;               /* [{field?, message, rule?, citation?}] */
	json_t *warnings;             /* [{rule, citation, message}] shown, recorded, not blocking */
	char id[ID_MAX];              /* the main record written */
	char case_id[ID_MAX];
	char child_id[ID_MAX];
	char stage[STAGE_CODE_MAX];   /* the case's stage afterwards */
};

struct front_case {
	char id[ID_MAX];
	char child_id[ID_MAX];
	char stage[STAGE_CODE_MAX];
	bool closed;
};

void front_out_init(struct front_out *out);
void front_out_free(struct front_out *out);
/* Adds an error (field may be NULL) and sets the status when none is set yet. Returns -1 for `return` chaining. */
int front_fail(struct front_out *out, int status, const char *field, const char *message);
bool front_failed(const struct front_out *out);

/* Transaction edges: on failure they set out->status (503 busy, 500) and return -1 (a failed commit rolls back). */
int front_begin(struct http_request *req, struct front_out *out);
int front_commit(struct http_request *req, struct front_out *out);
/* Rolls back (if a transaction is open) and returns -1. */
int front_abort(struct http_request *req);

/* Loads a case and checks the policy action on its child (404 when missing or refused). */
int front_load_case(struct http_request *req, const char *case_id, const char *action, struct front_case *c,
                    struct front_out *out);
/* Loads the case that owns a row of `table` (a table of migrations/0006 with case_id), then as front_load_case. */
int front_load_owner(struct http_request *req, const char *table, const char *row_id, const char *action,
                     struct front_case *c, struct front_out *out);

/* Validates input against e (unknown keys, types, required fields); errors go to out (422). Returns 0 or -1. */
int front_validate(struct http_request *req, const struct entity *e, json_t *in, bool partial,
                   struct front_out *out);
/* A moment field of in as seconds since the epoch, or fallback when absent. */
int64_t front_moment(json_t *in, const char *key, int64_t fallback);
bool front_true(json_t *in, const char *key);
const char *front_str(json_t *in, const char *key); /* NULL when absent, empty or not a string */

/* Records a clock event on the case (clock_record_event). A refusal by the engine (a stop dated before its start)
 * is a 422; anything else a 500. */
int front_event(struct http_request *req, struct front_out *out, const struct front_case *c, const char *event,
                int64_t at, const char *subject_id, const char *const *variants, int n_variants,
                const char *const *conditions, int n_conditions);
/* Moves the case (stage_apply). Refusals become 409 (no such transition) or 422 (guards, each with its field,
 * rule and citation); warnings are appended to out->warnings. Updates c->stage and out->stage. */
int front_transition(struct http_request *req, struct front_out *out, struct front_case *c, const char *to,
                     const char *command, const char *reason, const char *const *facts, int n_facts,
                     const char *source_type, const char *source_id);
/* Refuses (409) a transition the machine has no step for, before any clock event is recorded for it. */
int front_can(struct http_request *req, struct front_out *out, const struct front_case *c, const char *to,
              const char *command);
/* Refuses (409) a command the case's stage does not allow (in_stage of stages.json). */
int front_in_stage(struct http_request *req, struct front_out *out, const struct front_case *c, const char *command);
/* Appends to the child's chronology. */
int front_chronology(struct http_request *req, struct front_out *out, const struct front_case *c, const char *type,
                     const char *summary, const char *significance, const char *source_type, const char *source_id,
                     const char *event_date);
/* Appends the audit entry for this request's actor. */
int front_audit(struct http_request *req, struct front_out *out, const char *action, const char *object_type,
                const char *object_id, const char *child_id);
/* Inserts a validated input with extra columns; out->id receives the id. */
int front_insert(struct http_request *req, struct front_out *out, const struct entity *e, json_t *in,
                 const struct http_kv *extra, int nextra, char id_out[ID_MAX]);
/* Updates the keys present in a validated input. */
int front_update(struct http_request *req, struct front_out *out, const struct entity *e, const char *id,
                 json_t *in);
/* Runs SQL with text parameters (NULL binds NULL) that returns no rows. */
int front_exec(struct http_request *req, struct front_out *out, const char *sql, const char *const *vals, int n);
/* COUNT-style query with up to three text parameters; -1 on error. */
int64_t front_count(struct http_request *req, const char *sql, const char *a, const char *b, const char *c);

/* The signed-in user is a children's social care manager (team or service manager). */
bool front_is_manager(const struct http_request *req);
/* A user id names an enabled manager account. */
bool front_user_is_manager(struct http_request *req, const char *user_id);

/* Answers an API request from out: 2xx with body (stolen; "warnings" added) or the refusal as problem+json. */
void front_respond(struct http_request *req, struct front_out *out, int ok_status, json_t *body);
/* A front-half command over the API: the request's JSON body to cmd (path parameter 0 as its subject), answered
 * with the row of view the command wrote (or the case, when it names no row, or view is NULL). */
typedef int (*front_cmd)(struct http_request *req, const char *id, json_t *in, struct front_out *out);
void front_run(struct http_request *req, front_cmd cmd, int ok_status, const struct entity *view);
/* Answers a refusal only (status != 0), for page handlers that redirect on success: 404/500/503. */
void front_respond_failure(struct http_request *req, struct front_out *out);

/* ---- commands (each one transaction) ---- */
int front_contact_create(struct http_request *req, json_t *in, struct front_out *out);
/* The same command for a referral a partner makes themselves (the /refer question pages): the signed-in user is
 * recorded as the contact's referrer_user_id, and the child's new case opens unallocated in the front door team
 * (teams.front_door) instead of in the user's team and allocated to them. */
int front_contact_submit(struct http_request *req, json_t *in, struct front_out *out);
int front_contact_close(struct http_request *req, const char *contact_id, json_t *in, struct front_out *out);
int front_contact_convert(struct http_request *req, const char *contact_id, json_t *in, struct front_out *out);
int front_referral_decide(struct http_request *req, const char *referral_id, json_t *in, struct front_out *out);
int front_referral_consent_cmd(struct http_request *req, const char *referral_id, json_t *in, struct front_out *out);
int front_referral_update(struct http_request *req, const char *referral_id, json_t *in, struct front_out *out);
int front_communication_log(struct http_request *req, const char *case_id, json_t *in, struct front_out *out);
int front_assessment_start(struct http_request *req, const char *case_id, json_t *in, struct front_out *out);
int front_assessment_update(struct http_request *req, const char *assessment_id, json_t *in, struct front_out *out);
int front_assessment_outcome_cmd(struct http_request *req, const char *assessment_id, json_t *in,
                                 struct front_out *out);
int front_assessment_authorise_cmd(struct http_request *req, const char *assessment_id, json_t *in,
                                   struct front_out *out);
int front_assessment_extend(struct http_request *req, const char *assessment_id, json_t *in, struct front_out *out);
int front_cin_plan_create(struct http_request *req, const char *case_id, json_t *in, struct front_out *out);
int front_case_close(struct http_request *req, const char *case_id, json_t *in, struct front_out *out);
int front_cin_review(struct http_request *req, const char *case_id, json_t *in, struct front_out *out);
int front_strategy_circulate(struct http_request *req, const char *smd_id, json_t *in, struct front_out *out);
int front_emergency_record(struct http_request *req, const char *case_id, json_t *in, struct front_out *out);
int front_police_notify(struct http_request *req, const char *case_id, json_t *in, struct front_out *out);
int front_police_update(struct http_request *req, const char *notification_id, json_t *in, struct front_out *out);
int front_strategy_convene(struct http_request *req, const char *case_id, json_t *in, struct front_out *out);
int front_strategy_record(struct http_request *req, const char *case_id, json_t *in, struct front_out *out);
int front_s47_update(struct http_request *req, const char *s47_id, json_t *in, struct front_out *out);
int front_s47_check(struct http_request *req, const char *s47_id, json_t *in, struct front_out *out);
int front_s47_outcome_cmd(struct http_request *req, const char *s47_id, json_t *in, struct front_out *out);
int front_s47_conclude(struct http_request *req, const char *s47_id, json_t *in, struct front_out *out);
int front_paediatric_record(struct http_request *req, const char *case_id, json_t *in, struct front_out *out);
int front_whereabouts_record(struct http_request *req, const char *case_id, json_t *in, struct front_out *out);
int front_whereabouts_plan_cmd(struct http_request *req, const char *episode_id, json_t *in, struct front_out *out);
int front_whereabouts_located_cmd(struct http_request *req, const char *episode_id, json_t *in,
                                  struct front_out *out);
int front_hospital_hold_place(struct http_request *req, const char *case_id, json_t *in, struct front_out *out);
int front_hospital_hold_release(struct http_request *req, const char *hold_id, json_t *in, struct front_out *out);

/* ---- rules completed in front_rules.c (R-40, R-45, R-94, R-96, R-98) ---- */
int front_referral_prebirth_decide(struct http_request *req, const char *referral_id, json_t *in,
                                   struct front_out *out);
int front_joint_visit_record(struct http_request *req, const char *s47_id, json_t *in, struct front_out *out);
int front_joint_visit_police_cmd(struct http_request *req, const char *jv_id, json_t *in, struct front_out *out);
int front_joint_visit_outcome_cmd(struct http_request *req, const char *jv_id, json_t *in, struct front_out *out);
/* Checks called inside other commands' transactions; each adds its errors (422) or warnings to out and returns
 * -1 when it refused. front_prebirth_gestation fills in the gestation from the expected date of delivery. */
int front_prebirth_gestation(struct http_request *req, const char *child_id, int64_t received, json_t *in,
                             bool on_create, struct front_out *out);
int front_prebirth_smd_check(struct http_request *req, const struct front_case *c, json_t *in,
                             struct front_out *out);
int front_prebirth_s47_check(struct http_request *req, const struct front_case *c, json_t *in,
                             struct front_out *out);
int front_paediatric_consent_check(struct http_request *req, const struct front_case *c, json_t *in,
                                   struct front_out *out);
int front_joint_visits_check(struct http_request *req, const struct front_case *c, const char *s47_id,
                             struct front_out *out);

/* ---- views (front_view.c) ---- */
/* The case's pathway: stage, transitions, available commands and every front-half record, for the API and pages.
 * Non-professional referrers' details are left out for readers outside children's social care (1.7.5, 2.4.8). */
json_t *front_case_view(struct http_request *req, const char *case_id);
json_t *front_contact_view(struct http_request *req, const char *contact_id);
/* One row of a table of migrations/0006 by id, or NULL. */
json_t *front_row(struct http_request *req, const struct entity *e, const char *id);

#endif
