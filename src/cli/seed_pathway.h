/* seed_pathway: walks the demo authority's families along the child protection pathway with the pathway's own
 * commands (src/pathway/front.h and back.h), each step done by the user who would do it and dated back from today,
 * so that every record, stage, clock, chronology entry, plan and document the pages show is real, and every page
 * of the pathway works on the demo data. Each command is one transaction, as it is for the API, run at the moment
 * of its step (seed_walk.h), so that what it dates "now" (a manager's decision, a letter signed) is dated then.
 *
 * Strings are borrowed. */
#ifndef SG_CLI_SEED_PATHWAY_H
#define SG_CLI_SEED_PATHWAY_H
#include <stdbool.h>

#include "app/app.h"
#include "core/buf.h"
#include "store/store.h"

/* How far along the pathway a family is walked. */
enum seed_goal {
	SEED_CONTACT,        /* a contact, not yet converted */
	SEED_REFERRAL,       /* a referral awaiting the manager's decision */
	SEED_CLOSED,         /* referral decided: no further action */
	SEED_EARLY_HELP,     /* referral decided: early help */
	SEED_ASSESSMENT,     /* referral decided: an assessment under way */
	SEED_CIN,            /* assessment approved: a child in need plan */
	SEED_STRATEGY,       /* referral decided: a strategy discussion to hold */
	SEED_S47,            /* section 47 enquiries under way */
	SEED_ICPC_PENDING,   /* enquiry concluded; no conference arranged yet */
	SEED_ICPC_ARRANGED,  /* the initial conference arranged for the coming days */
	SEED_PLAN,           /* on a plan, with core groups and visits */
	SEED_PLAN_NO_VISITS, /* on a plan; nobody has visited for weeks */
	SEED_MIXED,          /* one conference: a plan for the eldest, child in need support for the others */
	SEED_REVIEWED,       /* a review conference continued the plan */
	SEED_STEP_DOWN,      /* a review conference ended the plan; child in need support continues */
	SEED_PRE_BIRTH,      /* an unborn child: pre-birth conference and plan */
	SEED_TRANSFER_IN,    /* moved in on another authority's plan: temporary plan, transfer-in conference arranged */
};

struct seed_user {
	const char *id, *username, *name, *role, *team_id;
};

/* Who does what for a family, and the agencies they speak for. */
struct seed_cast {
	struct seed_user sw, manager, chair, police, health, education;
	const char *csc_agency, *police_agency, *hv_agency, *school_agency;
};

struct seed_family_walk {
	const char *surname;
	enum seed_goal goal;
	int days_ago;            /* when the contact came in */
	const char *children[4]; /* child ids, eldest first */
	const char *forenames[4];
	int n_children;
	const char *mother, *mother_name; /* person id and name */
	const char *concern;
	const char *category; /* cp_category code of a plan */
};

struct seed_pathway {
	struct store *st;
	struct app app; /* what the commands read: the rules directory, the calendar and the clock rules */
};

/* Loads the access policy and the stage machine the commands consult (rules under home/rules). The calendar and
 * clock rules stay the caller's. 0, or -1 with err. */
int seed_pathway_open(struct seed_pathway *sp, struct store *st, const char *home, struct calendar *cal,
                      struct clock_rules *rules, struct buf *err);
/* Walks one family to its goal. 0, or -1 with err naming the family, the step and the command's refusal. */
int seed_pathway_walk(struct seed_pathway *sp, const struct seed_cast *cast, const struct seed_family_walk *fam,
                      struct buf *err);
void seed_pathway_close(struct seed_pathway *sp);

#endif
