/* Running the pathway's commands for the demo seed (see seed_walk.h). */
#include "cli/seed_walk.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int32_t seed_walk_weekday(int32_t d)
{
	int wd = date_weekday(d);
	return wd >= 5 ? d + (7 - wd) : d;
}

/* A moment of a step: day at hh:mm London time, or a minute before the walk began if that is later. */
static int64_t stamp(struct seed_walk *w, int32_t day, int hh, int mm)
{
	int64_t t = moment_from_local(day, hh, mm, 0);
	return t < w->real_now - 60 ? t : w->real_now - 60;
}

int32_t seed_walk_weekdays_before(int32_t d, int n)
{
	while (n > 0)
		if (date_weekday(--d) < 5)
			n--;
	return d;
}

const char *seed_walk_at(struct seed_walk *w, char out[MOMENT_ISO_LEN], int32_t day, int hh, int mm)
{
	moment_format(stamp(w, day, hh, mm), out);
	return out;
}

void seed_walk_tick(struct seed_walk *w, int32_t day, int hh, int mm)
{
	moment_fix_now(stamp(w, day, hh, mm));
}

const char *seed_walk_planned(char out[MOMENT_ISO_LEN], int32_t day, int hh, int mm)
{
	moment_format(moment_from_local(day, hh, mm, 0), out);
	return out;
}

const char *seed_walk_on(char out[DATE_ISO_LEN], int32_t day)
{
	date_format(day, out);
	return out;
}

static void req_open(struct seed_walk *w, struct http_request *req, const struct seed_user *u)
{
	memset(req, 0, sizeof *req);
	arena_init(&req->arena);
	req->method = HTTP_POST;
	req->method_name = "POST";
	req->path = "/seed-demo";
	req->raw_query = "";
	req->app = &w->sp->app;
	req->store = w->sp->st;
	req->signed_in = true;
	req->is_api = true;
	req->user = (struct http_user){.id = u->id, .username = u->username, .display_name = u->name, .role = u->role,
	                               .team_id = u->team_id};
}

static int refused(struct seed_walk *w, const char *step, int status, json_t *errors)
{
	char *e = json_dumps(errors, JSON_COMPACT);
	buf_addf(w->err, "the %s family, %s: refused (%d): %s", w->fam->surname, step, status, e ? e : "");
	free(e);
	return -1;
}

int seed_walk_front(struct seed_walk *w, const char *step, const struct seed_user *u, seed_front_fn fn, const char *id,
                    json_t *in, char *id_out)
{
	struct http_request req;
	req_open(w, &req, u);
	struct front_out out;
	front_out_init(&out);
	fn(&req, id, in, &out);
	int rc = out.status ? refused(w, step, out.status, out.errors) : 0;
	if (!rc && id_out)
		snprintf(id_out, ID_MAX, "%s", out.id);
	front_out_free(&out);
	json_decref(in);
	arena_free(&req.arena);
	return rc;
}

int seed_walk_back(struct seed_walk *w, const char *step, const struct seed_user *u, seed_back_fn fn, const char *id,
                   json_t *in, char *id_out)
{
	struct http_request req;
	req_open(w, &req, u);
	struct back_out o;
	back_out_init(&o);
	fn(&req, id, in, &o);
	int rc = o.status != BACK_OK ? refused(w, step, o.status, o.errors) : 0;
	if (!rc && id_out)
		snprintf(id_out, ID_MAX, "%s", o.id);
	back_out_free(&o);
	json_decref(in);
	arena_free(&req.arena);
	return rc;
}

bool seed_walk_lookup(struct seed_walk *w, const char *sql, const char *a, const char *b, char out[ID_MAX])
{
	out[0] = '\0';
	struct store_stmt *s = store_prepare(w->sp->st, sql);
	if (!s)
		return false;
	store_bind_text(s, 1, a);
	if (b)
		store_bind_text(s, 2, b);
	if (store_step(s) == STORE_ROW && !store_col_is_null(s, 0))
		snprintf(out, ID_MAX, "%s", store_col_text(s, 0));
	store_reset(s);
	if (!out[0])
		buf_addf(w->err, "the %s family: nothing found for %s", w->fam->surname, sql);
	return out[0] != '\0';
}

