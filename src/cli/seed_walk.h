/* seed_walk: how the demo seed (seed_pathway.c) runs the pathway's commands: as a given user, at a given moment of
 * the family's fictional past, with a refusal reported as the family, the step and the command's errors. While a
 * step runs, moment_now() answers that moment (moment_fix_now), so whatever a command dates "now" (a decision, a
 * letter signed, a stage moved) is dated when the step happened.
 *
 * Strings are borrowed; JSON inputs are stolen. */
#ifndef SG_CLI_SEED_WALK_H
#define SG_CLI_SEED_WALK_H
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "cli/seed_pathway.h"
#include "core/date.h"
#include "core/id.h"
#include "pathway/back.h"
#include "pathway/front.h"

/* One family's walk in progress. */
struct seed_walk {
	struct seed_pathway *sp;
	const struct seed_cast *cast;
	const struct seed_family_walk *fam;
	struct buf *err;
	int32_t d0, today; /* the day the contact came in; today */
	int64_t real_now;  /* the clock when the walk began: no step is dated later than a minute before it */
	int32_t icpc;      /* the day of the initial conference */
	char contact[ID_MAX];
	char cases[4][ID_MAX];
	char plans[4][ID_MAX];
	char icpc_id[ID_MAX], conf[ID_MAX]; /* the initial conference, the latest one */
};

/* A weekday on or after d; n weekdays before d. */
int32_t seed_walk_weekday(int32_t d);
int32_t seed_walk_weekdays_before(int32_t d, int n);
/* A moment something happened (day at hh:mm London time, or a minute before the walk began if that is later). */
const char *seed_walk_at(struct seed_walk *w, char out[MOMENT_ISO_LEN], int32_t day, int hh, int mm);
/* A moment planned for, in the future or not; a day. */
const char *seed_walk_planned(char out[MOMENT_ISO_LEN], int32_t day, int hh, int mm);
const char *seed_walk_on(char out[DATE_ISO_LEN], int32_t day);
/* The next commands happen at that moment (capped as seed_walk_at). */
void seed_walk_tick(struct seed_walk *w, int32_t day, int hh, int mm);

typedef int (*seed_front_fn)(struct http_request *, const char *, json_t *, struct front_out *);
typedef void (*seed_back_fn)(struct http_request *, const char *, json_t *, struct back_out *);
/* Runs a command of the front or back half as u on record id with input in; the record written goes to id_out
 * (may be NULL). 0, or -1 with the refusal in w->err. */
int seed_walk_front(struct seed_walk *w, const char *step, const struct seed_user *u, seed_front_fn fn, const char *id,
                    json_t *in, char *id_out);
int seed_walk_back(struct seed_walk *w, const char *step, const struct seed_user *u, seed_back_fn fn, const char *id,
                   json_t *in, char *id_out);
/* The first value of a one-column query with one or two text parameters (b may be NULL). False, with the query in
 * w->err, when there is none. */
bool seed_walk_lookup(struct seed_walk *w, const char *sql, const char *a, const char *b, char out[ID_MAX]);

#endif
