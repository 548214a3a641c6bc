/* stage: the child protection pathway as a state machine on cases.stage (spec procedures-A1-5 section 7).
 *
 * The machine is data: rules/pathway/stages.json lists the stages, every allowed transition (from, to, command)
 * with its guards and their citations, the commands that write a record without moving the case (in_stage), and
 * which stage each decision outcome leads to. C only interprets it. Guards:
 *   role    the actor's access role must be one of a list (a manager's approval, 2.4.22);
 *   reason  a reason must be given;
 *   event   a clock event must already be recorded on the case (so call clock_record_event() FIRST, in the same
 *           transaction, then the transition: "no plan without a conference held");
 *   fact    the calling command must assert a fact it has established from the record it is writing (the child
 *           was seen, the police were consulted). A command that asserts nothing fails every enforce fact guard.
 * An enforce guard that fails refuses the transition and nothing is written; a warn guard lets it through, and its
 * message is recorded on the transition row and handed back to show the user.
 *
 * Every transition (self-transitions included) writes one stage_transitions row (who, when, why, from, to, the
 * command, the warnings) and one audit entry, and moves cases.stage (closing the case when the stage closes it).
 * Callers supply the transaction: stage functions must run inside the command's store_begin()..store_commit(),
 * alongside the record, clock_record_event(), chronology_append() and command_audit_or_respond().
 *
 * Loading: stage_load() at start-up checks the file completely (unknown stage or field, duplicate transition,
 * missing citation) and fails naming the entry. If nothing was loaded when a stage function is first called, the
 * file is loaded from $SAFEGUARD_HOME/rules (default ./rules), the same place the server reads its rules from.
 * After loading the table is read-only; it is safe to use from any number of threads.
 *
 * Strings are borrowed. JSON results are new references. */
#ifndef SG_STAGE_H
#define SG_STAGE_H
#include <jansson.h>
#include <stdbool.h>

#include "core/buf.h"
#include "core/id.h"
#include "store/store.h"

#define STAGE_CODE_MAX 32
#define STAGE_MAX_VARIANTS 8

enum stage_status {
	STAGE_OK = 0,
	STAGE_REFUSED_STAGE = 1, /* no such transition (or in-stage command) from the case's current stage: HTTP 409 */
	STAGE_REFUSED_GUARD = 2, /* an enforce guard failed: HTTP 422 with the guards' messages */
	STAGE_NO_CASE = 3,       /* no such case */
	STAGE_ERROR = -1,        /* database or rules failure; why_not says which */
};

/* Loads rules_dir/pathway/stages.json, replacing anything loaded before. -1 with "FILE: ENTRY: PROBLEM" in err. */
int stage_load(const char *rules_dir, struct buf *err);
void stage_free(void);
/* Loads rules_dir/pathway/stages.json unless a table is already loaded (for handlers that know the server's rules
 * directory before the server loads it at start-up). */
int stage_ensure_loaded(const char *rules_dir, struct buf *err);

/* The simple form the pathway commands use: moves case_id to `to` for `command` on behalf of actor_user_id.
 * Returns enum stage_status; on a refusal why_not holds the reason(s) in plain words, "; "-separated. Fact guards
 * see no facts: use stage_apply() for transitions whose guards need them. */
int stage_transition(struct store *st, const char *case_id, const char *to, const char *command, const char *reason,
                     const char *actor_user_id, struct buf *why_not);

struct stage_request {
	const char *case_id;
	const char *to;
	const char *command;
	const char *reason;          /* why (free text); may be NULL when no reason guard applies */
	const char *actor_user_id;
	const char *const *facts;    /* facts the command has established (see the guards in stages.json) */
	int n_facts;
	const char *source_type;     /* the record the transition came from ("referral", "strategy_discussion") */
	const char *source_id;
};

struct stage_result {
	char from[STAGE_CODE_MAX];
	char transition_id[ID_MAX];
	json_t *warnings; /* [{rule, citation, message}] of warn guards that did not hold (owned: decref it) */
	json_t *refusals; /* [{field?, rule, citation, message}] of enforce guards that failed (owned: decref it) */
};

/* The full form. res is filled on every return (warnings and refusals are arrays, possibly empty). */
int stage_apply(struct store *st, const struct stage_request *rq, struct stage_result *res, struct buf *why_not);
void stage_result_free(struct stage_result *res);

/* Evaluates the guards of the transition (from, rq->to, rq->command) for rq->case_id without moving the case or
 * writing anything: for a record held to a transition's rules while the case is elsewhere (an assessment completed
 * alongside section 47 enquiries is held to the guards of leaving the assessment stage). Returns STAGE_OK,
 * STAGE_REFUSED_STAGE (no such transition) or STAGE_REFUSED_GUARD; res as for stage_apply. */
int stage_check(struct store *st, const char *from, const struct stage_request *rq, struct stage_result *res,
                struct buf *why_not);

/* May `command` write its record in the case's current stage without moving it (in_stage)? Returns STAGE_OK,
 * STAGE_REFUSED_STAGE (why_not says which stages allow it) or STAGE_NO_CASE. */
int stage_check_in_stage(struct store *st, const char *case_id, const char *command, struct buf *why_not);

/* The case's current stage into out; STAGE_OK or STAGE_NO_CASE. */
int stage_current(struct store *st, const char *case_id, char out[STAGE_CODE_MAX]);

/* Is there a transition from `from` to `to` for `command`? */
bool stage_allowed(const char *from, const char *to, const char *command);

/* The stage an outcome code of a decision list leads to (outcomes in stages.json), or NULL. */
const char *stage_outcome_next(const char *list, const char *code);

/* The clock variant codes (rules/clocks) a decision code stands for (clock_variants in stages.json), for
 * clock_event_record.variants: writes up to max borrowed strings (valid until stage_free) and returns the count. */
int stage_clock_variants(const char *list, const char *code, const char **out, int max);

/* Commands available from a stage: [{command, to}] of its transitions and [{command}] of in_stage commands. */
json_t *stage_commands_from(const char *stage);

/* Opens a new case for child_id at the initial stage and records the opening as a transition from nothing.
 * team_id / allocated_user_id may be NULL. Returns STAGE_OK or STAGE_ERROR. */
int stage_open_case(struct store *st, const char *child_id, const char *team_id, const char *allocated_user_id,
                    const char *command, const char *reason, const char *actor_user_id, char case_id_out[ID_MAX],
                    struct buf *err);

/* The case's transitions, oldest first: [{id, from, to, command, reason, warnings, actor_user_id, actor_name, at}]. */
json_t *stage_history(struct store *st, const char *case_id);

#endif
