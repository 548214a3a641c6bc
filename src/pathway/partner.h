/* partner: the referral form for partner agencies as GOV.UK question pages (issue 8 part 3; usability design rules:
 * one question per page for partners, grouped fields for staff; U4 nothing typed is lost; U12 a partner refers
 * without training).
 *
 * A partner referrer (role partner_referrer, policy action referral.submit) starts at /refer, answers one question
 * per page (/refer/:slug), checks their answers (/refer/check, each with a Change link that comes back to the check
 * page) and sends the referral; /refer/done/:id confirms it with the reference and what happens next, and
 * /refer/mine lists the referrals they have made with where each one has got to and the feedback logged to them.
 *
 * The answers live in the user's server-side draft (src/ui/drafts.h) under the key PARTNER_DRAFT_KEY, saved at
 * every "Continue" whether or not the answer is accepted, so nothing is lost on a refusal, a session time-out or
 * going back; with JavaScript the page being typed is also autosaved under "/refer/<slug>" and folded in when the
 * page is opened again. Everything works without JavaScript.
 *
 * Sending goes through front_contact_submit(), the same contact command as the staff form and POST /api/v1/contacts
 * (one transaction: the contact, the child's record, the case at the front door, chronology and audit).
 *
 * The questions are a table (partner_questions.c); the pages only walk it. */
#ifndef SG_PATHWAY_PARTNER_H
#define SG_PATHWAY_PARTNER_H
#include <jansson.h>
#include <stdbool.h>

#include "http/router.h"

#define PARTNER_DRAFT_KEY "/refer"

extern const struct route partner_referral_routes[];

enum partner_kind {
	PARTNER_RADIOS,   /* one answer from options */
	PARTNER_TEXTAREA, /* one long answer */
	PARTNER_DATE,     /* day, month, year boxes: answers NAME-day, NAME-month, NAME-year */
	PARTNER_INPUTS,   /* a few short inputs that answer one question together (a name, contact details) */
};

struct partner_option {
	const char *value, *label, *hint;
};

struct partner_input {
	const char *name, *label, *autocomplete, *width; /* width: a GOV.UK input width class, or NULL */
	int max;                                         /* characters */
	bool optional;
	const char *missing; /* the error when a required input is empty */
};

struct partner_question {
	const char *slug;    /* its page: /refer/SLUG */
	const char *heading; /* the question, as the page's h1 */
	const char *hint;
	const char *key;     /* "Check your answers" row label */
	enum partner_kind kind;
	const char *name;    /* the answer's key (radios, textarea, date) */
	const struct partner_option *options; /* radios, ended by {NULL} */
	const struct partner_input *inputs;   /* PARTNER_INPUTS, ended by {NULL} */
	int max;                              /* textarea characters */
	bool optional;
	const char *missing;                  /* the error when a required answer is missing */
	bool (*applies)(json_t *answers);     /* NULL: always asked */
	/* Checks beyond "required" (dates, cross-question rules); appends {field, message} to errors. */
	void (*check)(json_t *answers, json_t *errors);
	bool one_line; /* PARTNER_INPUTS shown on one line on the check page (a name), not one line each */
};

/* The questions in the order they are asked; the last entry has slug NULL. */
extern const struct partner_question partner_questions[];

const struct partner_question *partner_question_find(const char *slug);
/* Whether q is asked given the answers so far (branching). */
bool partner_applies(const struct partner_question *q, json_t *answers);
/* The errors of q's answer in answers: [{field, message, href}] (empty when complete). New reference. */
json_t *partner_validate(const struct partner_question *q, json_t *answers);
/* The next question asked after q (NULL: the check page). */
const struct partner_question *partner_next(const struct partner_question *q, json_t *answers);
/* The question asked before q (NULL: q is the first). */
const struct partner_question *partner_previous(const struct partner_question *q, json_t *answers);
/* The first question asked whose answer is missing or refused (NULL: all complete). */
const struct partner_question *partner_first_incomplete(json_t *answers);
/* The answer keys q's page posts, for copying a posted page into the answers. Writes up to max names. */
int partner_answer_keys(const struct partner_question *q, const char **keys, int max);
/* A date answer ("NAME-day" ...) as "YYYY-MM-DD", or NULL when incomplete or invalid; buf holds 11 bytes. */
const char *partner_date(json_t *answers, const char *name, char buf[11]);
/* The contact command's input (front_contact_submit) from complete answers, with the referrer's name given. */
json_t *partner_contact_input(json_t *answers, const char *referrer_name);
/* The question whose page asks for a field the contact command refused (its error's field), or NULL. */
const struct partner_question *partner_question_for_field(const char *field);

#endif
