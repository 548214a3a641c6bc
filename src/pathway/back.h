/* back: the back half of the child protection pathway (spec procedures-A1-5 ST-15 to ST-28): conferences, plans,
 * core groups, visits, reviews and discontinuation, and the letters and records they produce.
 *
 * Every write is a command: it reads its input (the API's JSON body, or a form converted to the same JSON), checks
 * the guards of spec section 5, and writes the record, the stage transition (stage_apply), the clock events
 * (clock_record_event), the chronology entries and the audit entries in ONE transaction, or nothing. Commands never
 * answer the request themselves: they fill a struct back_out (status, errors, warnings, the id written) and the
 * API or page handler answers from it, so the JSON API and the HTML pages share every rule.
 *
 * Warnings (rules that prompt without blocking) are returned to the user and kept in pathway_warnings.
 * Strings are borrowed; JSON results are new references unless a comment says "stolen". */
#ifndef SG_PATHWAY_BACK_H
#define SG_PATHWAY_BACK_H
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/id.h"
#include "domain/record.h"
#include "http/http.h"
#include "http/router.h"

/* ---- route tables (registered in src/app/routes.c) ---- */
extern const struct route conference_routes[];
extern const struct route conference_prep_routes[];
extern const struct route decision_routes[];
extern const struct route documents_routes[];
extern const struct route plan_routes[];
extern const struct route plan_edit_routes[];
extern const struct route plan_accept_routes[];
extern const struct route core_group_routes[];
extern const struct route visit_routes[];
extern const struct route review_routes[];
extern const struct route back_pages_routes[];

/* ---- the entities of migrations/0007 (back_entities.c) ---- */
extern const struct entity back_conference;
extern const struct entity back_conference_child; /* the decision for one child */
extern const struct entity back_conference_held;  /* the conference-level part of the decision */
extern const struct entity back_invitation;
extern const struct entity back_report;
extern const struct entity back_exclusion;
extern const struct entity back_exclusion_decision;
extern const struct entity back_note;
extern const struct entity back_view;
extern const struct entity back_plan;
extern const struct entity back_plan_member;
extern const struct entity back_outcome;
extern const struct entity back_action;
extern const struct entity back_core_group;
extern const struct entity back_visit;
extern const struct entity back_acceptance; /* plan_accept.c */

/* ---- the result of a command ---- */
enum { BACK_ANSWERED = -1, BACK_OK = 0 };

struct back_out {
	int status;                 /* 0 = done; else the HTTP status of the refusal (404, 409, 422, 500, 503) */
	const char *forbidden_action; /* with status 404: a policy refusal to audit as such */
	const char *forbidden_child;
	json_t *errors;   /* [{field?, message, rule?, citation?}] */
	json_t *warnings; /* [{rule, citation, message, severity, child_id}] */
	json_t *result;   /* what the API returns on success (owned), or NULL */
	char id[ID_MAX];  /* the main record written */
};

void back_out_init(struct back_out *o);
void back_out_free(struct back_out *o);
/* Adds an error (field may be NULL) and sets the status if none is set yet. Returns the status. */
int back_fail(struct back_out *o, int status, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* Adds a rule's error with its reference and citation. */
int back_refuse(struct back_out *o, int status, const char *field, const char *rule, const char *citation,
                const char *fmt, ...) __attribute__((format(printf, 6, 7)));
/* A warning (severity "warning") or alert (severity "alert") for one child. */
void back_warn(struct back_out *o, const char *child_id, const char *case_id, const char *severity, const char *rule,
               const char *citation, const char *fmt, ...) __attribute__((format(printf, 7, 8)));
/* A policy refusal for child_id: answered as a missing record, and audited. */
int back_forbid(struct back_out *o, const char *action, const char *child_id);
/* A store failure: status 500 (or 409 / 503 by rc). */
int back_store_fail(struct back_out *o, int rc);

/* ---- the transaction ---- */
/* Opens the write transaction; 0, or -1 with o->status 503. */
int back_begin(struct http_request *req, struct back_out *o);
/* Records the pending warnings (pathway_warnings), then commits. 0, or -1 with the status set (rolled back). */
int back_commit(struct http_request *req, struct back_out *o, const char *subject_type, const char *subject_id);
/* The audit entry for this request's actor. 0, or -1 with status 500. */
int back_audit(struct http_request *req, struct back_out *o, const char *action, const char *object_type,
               const char *object_id, const char *child_id);
/* Records a clock event for one case (variant may be NULL, "*" or a variant code). 0, or -1 with the engine's
 * reason as a 409 refusal. */
int back_clock(struct http_request *req, struct back_out *o, const char *case_id, const char *child_id,
               const char *event, int64_t at, const char *subject_id, const char *variant);
/* Moves a case through the stage machine; refusals become errors (409 for the stage, 422 for a guard), warn
 * guards become warnings. 0 or -1. */
int back_transition(struct http_request *req, struct back_out *o, const char *case_id, const char *child_id,
                    const char *to, const char *command, const char *reason, const char *source_type,
                    const char *source_id);
/* A chronology entry (event_date NULL = now). 0, or -1 with status 500. */
int back_chronology(struct http_request *req, struct back_out *o, const char *child_id, const char *case_id,
                    const char *event_date, const char *event_type, const char *significance, const char *summary,
                    const char *source_type, const char *source_id);
/* Stops the running clocks of a case (or of one subject, when subject_id is given) that wait for one of the
 * events listed (NULL-terminated; NULL list = any). */
int back_stop_clocks(struct http_request *req, struct back_out *o, const char *case_id, const char *subject_id,
                     const char *const *waiting_for, const char *started_by, const char *reason);
/* Runs a statement with text parameters (NULL binds NULL). STORE_OK or a negative store code. */
int back_exec(struct http_request *req, const char *sql, int n, ...);

/* ---- answering ---- */
/* The API answer: the refusal as problem+json, or ok_status with o->result (plus "warnings"). */
void back_api_answer(struct http_request *req, struct back_out *o, int ok_status);
/* The whole API handler of a command on the record named by the first path parameter: reads the input (API body),
 * runs fn, answers with ok_status. */
void back_api_run(struct http_request *req, void (*fn)(struct http_request *, const char *, json_t *, struct back_out *),
                  int ok_status);
/* For pages: answers what a page cannot show itself (not found, forbidden, store failures). True when it did. */
bool back_page_answered(struct http_request *req, struct back_out *o);

/* ---- input ---- */
/* The request's input for entity e: the API body (a copy), or the form fields named prefix+field converted
 * through e's field types (dates from -day/-month/-year, moments from those plus -time, booleans from yes/no).
 * Other keys in `extra_keys` (NULL-terminated) are copied as strings from the form. NULL after answering 400. */
json_t *back_input(struct http_request *req, const struct entity *e, const char *const *extra_keys);
json_t *back_form_fields(const struct http_request *req, const struct entity *e, const char *prefix);
/* Validates in against e (partial for updates); errors are added to o with status 422. Returns the count. */
int back_validate(struct http_request *req, struct back_out *o, const struct entity *e, json_t *in, bool partial);
/* A moment or date in the input: 1 and *out when present and valid, 0 when absent, -1 when invalid. */
int back_moment(json_t *in, const char *key, int64_t *out);
/* Input value helpers (NULL when absent or not a string). */
const char *back_str(json_t *in, const char *key);
bool back_bool(json_t *in, const char *key);

/* ---- lookups ---- */
/* The open case of a child (the newest), or NULL. Arena string. */
const char *back_open_case(struct http_request *req, const char *child_id);
/* A one-column text lookup with one text parameter; arena string or NULL. */
const char *back_lookup(struct http_request *req, const char *sql, const char *arg);
/* The display name of a user, or "" (arena). */
const char *back_user_name(struct http_request *req, const char *user_id);
/* The role of a user who can sign in (not disabled), or NULL (arena). */
const char *back_user_role(struct http_request *req, const char *user_id);
/* "27 March 2026" or "27 March 2026, 14:30" for an ISO date or moment (arena; "" for NULL). */
const char *back_long_date(struct http_request *req, const char *iso);
/* A child's age in whole years on a day, or -1 when the child is unborn or has no date of birth. */
int back_age_years(struct http_request *req, const char *child_id, int32_t on);
/* The due moment of the first enabled rule started by start_event that waits for stop_event, counted from
 * start (the rules in rules/clocks are the only source of these limits). 0, or -1 when no rule links them. */
int back_rule_due(struct http_request *req, const char *start_event, const char *stop_event, int64_t start,
                  int64_t *due, const char **rule_id);
/* The limit of that rule in weeks (unit W), or -1. */
int back_rule_weeks(struct http_request *req, const char *start_event, const char *stop_event);
/* Whether a case's current stage offers `command` (any transition of that command from it). */
bool back_stage_offers(struct http_request *req, const char *case_id, const char *command, const char **to_out);
/* Adds the case_members row that gives a user access to a child's case; id_out may be NULL. */
int back_add_member(struct http_request *req, const char *case_id, const char *child_id, const char *user_id,
                    const char *member_role, char *id_out);

/* ---- conference types (code behaviour; the labels and citations are in rules/enums.d/pathway_back.json) ---- */
enum back_conf_kind { CONF_KIND_INITIAL, CONF_KIND_PRE_BIRTH, CONF_KIND_TRANSFER_IN, CONF_KIND_REVIEW };
/* -1 for an unknown code. */
int back_conf_kind(const char *conf_type);

/* ---- commands shared by the API and the pages ---- */
/* conference.c */
void conference_schedule(struct http_request *req, json_t *in, struct back_out *o);
void conference_reschedule(struct http_request *req, const char *conf_id, json_t *in, struct back_out *o);
void conference_invite(struct http_request *req, const char *conf_id, json_t *in, struct back_out *o);
void conference_attendance(struct http_request *req, const char *inv_id, json_t *in, struct back_out *o);
void conference_participation(struct http_request *req, const char *conf_id, json_t *in, struct back_out *o);
void conference_report(struct http_request *req, const char *conf_id, json_t *in, struct back_out *o);
void conference_report_shared(struct http_request *req, const char *report_id, json_t *in, struct back_out *o);
void conference_exclusion_request(struct http_request *req, const char *conf_id, json_t *in, struct back_out *o);
void conference_exclusion_decide(struct http_request *req, const char *excl_id, json_t *in, struct back_out *o);
void conference_note(struct http_request *req, const char *conf_id, json_t *in, struct back_out *o);
/* The conference with its children, invitations, reports, exclusions, views, notes, documents, clocks and quorum;
 * NULL (after filling o) when missing or not readable. */
json_t *conference_view(struct http_request *req, const char *conf_id, struct back_out *o);
/* The view after a committed write (a later refusal to read cannot undo the write, so it yields {"id"}). */
json_t *conference_view_after(struct http_request *req, const char *conf_id);
/* A child's conferences and plans: {conferences: [...], plans: [...]} (new reference). */
json_t *conference_list_for_child(struct http_request *req, const char *child_id);
/* Which children a conference covers: [{child_id, case_id}] (new reference). */
json_t *conference_children(struct http_request *req, const char *conf_id);
/* The conference row after the object check for action: NULL with o filled. Only_chair: the named chair only. */
json_t *conference_load(struct http_request *req, const char *conf_id, const char *action, bool only_chair,
                        struct back_out *o);

/* decision.c */
void decision_record(struct http_request *req, const char *conf_id, json_t *in, struct back_out *o);
/* The quorum as it stands: {quorate, csc_present, police_present, police_required, agencies: [...],
 * chair_independent, problems: [...]} (new reference). */
json_t *decision_quorum(struct http_request *req, const char *conf_id);
void decision_dissent_lead(struct http_request *req, const char *view_id, json_t *in, struct back_out *o);
void decision_dissent_manager(struct http_request *req, const char *view_id, json_t *in, struct back_out *o);
/* Whether the chair has no operational or line-management responsibility for any of the children's cases,
 * past or present (4.8.1). Adds the reason to o when not. */
bool decision_chair_independent(struct http_request *req, const char *chair_user_id, json_t *children,
                                struct back_out *o);

/* Whether a decision keeps or makes a plan. */
bool decision_is_plan(const char *decision);
/* The checks on one child's decision; errors name the fields
 * "c<idx>_<field>". */
void decision_check_child(struct http_request *req, struct back_out *o, int kind, bool inquorate, int64_t held_at,
                          json_t *d, json_t *core_group, int idx, const char *conf_type);
/* The dissent an agency's view implies against the decision, or NULL. */
const char *decision_dissent_of(const char *view, const char *decision);

/* documents.c */
void documents_decision_letter(struct http_request *req, const char *conf_id, json_t *in, struct back_out *o);
void documents_record(struct http_request *req, const char *conf_id, json_t *in, struct back_out *o);
void documents_record_milestone(struct http_request *req, const char *conf_id, const char *which, json_t *in,
                                struct back_out *o);
/* The HTML of the conference record, full or the parents' copy, from the stored conference (for tests and
 * previews; the same function writes the documents). Caller frees. */
char *documents_render_record(struct http_request *req, const char *conf_id, bool parents_copy);

/* plan.c */
/* Creates the draft plan for a child from a conference's decision (inside the caller's transaction). */
int plan_create_from_decision(struct http_request *req, struct back_out *o, const char *conf_id, json_t *decision,
                              json_t *core_group, char plan_id[ID_MAX]);
/* Ends a plan inside the caller's transaction: status, end date and reason, core group access, clocks, the
 * child's plan status, the chronology and cp_plan_discontinued. */
int plan_end(struct http_request *req, struct back_out *o, const char *plan_id, const char *reason_code,
             const char *end_conference_id, int64_t at, const char *why);
void plan_update(struct http_request *req, const char *plan_id, json_t *in, struct back_out *o);
void plan_add_member(struct http_request *req, const char *plan_id, json_t *in, struct back_out *o);
void plan_add_outcome(struct http_request *req, const char *plan_id, json_t *in, struct back_out *o);
void plan_add_action(struct http_request *req, const char *plan_id, json_t *in, struct back_out *o);
void plan_update_action(struct http_request *req, const char *action_id, json_t *in, struct back_out *o);
void plan_activate(struct http_request *req, const char *plan_id, json_t *in, struct back_out *o);
void plan_transfer_in(struct http_request *req, const char *case_id, json_t *in, struct back_out *o);
json_t *plan_view(struct http_request *req, const char *plan_id, struct back_out *o);
json_t *plan_view_after(struct http_request *req, const char *plan_id);
/* A core group member (plan_members, and case_members for a user) inside the caller's transaction. */
int plan_member_insert(struct http_request *req, struct back_out *o, const char *plan_id, const char *case_id,
                       const char *child_id, json_t *member);
void plan_end_member(struct http_request *req, const char *member_id, json_t *in, struct back_out *o);
/* plan_accept.c: an agency's acceptance of its plan responsibilities, with its evidence (R-76, 5.3.11); the names
 * of the agencies that own actions in the plan and have not confirmed (a new array). */
void plan_add_acceptance(struct http_request *req, const char *plan_id, json_t *in, struct back_out *o);
json_t *plan_acceptance_gaps(struct http_request *req, const char *plan_id);
/* The plan row after the object check for action (NULL with o filled). */
json_t *plan_load(struct http_request *req, const char *plan_id, const char *action, struct back_out *o);
/* The open (not ended) plan of a child, or NULL (arena). */
const char *plan_open_for_child(struct http_request *req, const char *child_id);

/* core_group.c */
void core_group_record(struct http_request *req, const char *plan_id, json_t *in, struct back_out *o);
void core_group_update(struct http_request *req, const char *meeting_id, json_t *in, struct back_out *o);
void core_group_notes_circulated(struct http_request *req, const char *meeting_id, json_t *in, struct back_out *o);

/* visit.c */
void visit_record(struct http_request *req, const char *plan_id, json_t *in, struct back_out *o);

/* review.c */
/* Review-specific guards when a review conference is scheduled (warnings: late, 18th birthday, under five,
 * long plan). Returns 0 or -1 after a refusal. */
int review_schedule_checks(struct http_request *req, struct back_out *o, const char *child_id, const char *case_id,
                           int64_t when, const char *conf_type, const char *trigger);
/* Applies a review conference's decision for one child inside the transaction. */
int review_apply_decision(struct http_request *req, struct back_out *o, const char *conf_id, json_t *decision,
                          int64_t held_at);
void review_discontinue(struct http_request *req, const char *plan_id, json_t *in, struct back_out *o);
void review_post_plan_meeting(struct http_request *req, const char *plan_id, json_t *in, struct back_out *o);
void review_birth(struct http_request *req, const char *child_id, json_t *in, struct back_out *o);

#endif
