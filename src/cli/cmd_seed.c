/* safeguard seed-demo: a fictional authority, so that a new user sees a realistic caseload.
 * Every name, date and address here is invented. The demo password is printed for the demo only; a real
 * deployment creates its accounts with `safeguard user add`. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/account.h"
#include "calendar/calendar.h"
#include "clock/clock.h"
#include "cli/cli.h"
#include "core/date.h"
#include "core/id.h"
#include "domain/chronology.h"
#include "domain/entities.h"
#include "domain/enums.h"
#include "store/migrate.h"

#define DEMO_PASSWORD "safeguard-demo-2026"

struct demo_user {
	const char *username, *name, *role, *team; /* team: "A", "B" or NULL */
};

static const struct demo_user demo_users[] = {
	{"asha.patel", "Asha Patel", "social_worker", "A"},
	{"ben.okafor", "Ben Okafor", "social_worker", "A"},
	{"cara.nolan", "Cara Nolan", "social_worker", "B"},
	{"dan.hughes", "Dan Hughes", "team_manager", "A"},
	{"ella.shaw", "Ella Shaw", "team_manager", "B"},
	{"erin.walsh", "Erin Walsh", "service_manager", NULL},
	{"faye.morgan", "Faye Morgan", "conference_chair", NULL},
	{"gita.rao", "DC Gita Rao", "police", NULL},
	{"hana.kowalski", "Hana Kowalski", "health", NULL},
	{"ian.brooks", "Ian Brooks", "education", NULL},
	{"jo.lindqvist", "Jo Lindqvist", "auditor", NULL},
	{"kim.adeyemi", "Kim Adeyemi", "sysadmin", NULL},
	{"lee.fraser", "Lee Fraser", "partner_referrer", NULL},
	{"mo.clarke", "Mo Clarke", "lado", NULL},
};

/* Fictional families: surname, then children as forename/sex/age in years (-1 = unborn). */
struct demo_family {
	const char *surname, *postcode, *mother, *father;
	struct {
		const char *name, *gender;
		int age;
	} kids[4];
};

static const struct demo_family families[] = {
	{"Ashworth", "CM1 4QT", "Kerry", "Dean", {{"Mia", "female", 6}, {"Leo", "male", 3}, {"Ava", "female", 1}}},
	{"Bellamy", "SS1 2AB", "Tanya", NULL, {{"Jayden", "male", 14}}},
	{"Chowdhury", "RM17 6PL", "Ruksana", "Imran", {{"Zara", "female", 9}, {"Ayaan", "male", 7}}},
	{"Dempsey", "CO2 8JH", "Leanne", "Craig", {{"Unborn", "not_known", -1}}},
	{"Evans", "CM2 9XY", "Shelley", NULL, {{"Tyler", "male", 11}, {"Skye", "female", 8}}},
	{"Fenwick", "SS9 3LT", "Nadia", "Lewis", {{"Harper", "female", 0}}},
	{"Gallagher", "RM16 4DD", "Chloe", "Ryan", {{"Oscar", "male", 4}, {"Ruby", "female", 2}}},
	{"Hussain", "CM7 1EE", "Samina", "Tariq", {{"Aisha", "female", 15}}},
	{"Ivanova", "CO4 5RF", "Elena", NULL, {{"Nikolai", "male", 12}, {"Sofia", "female", 10}}},
	{"Jenkins", "SS0 7HG", "Amy", "Scott", {{"Unborn", "not_known", -1}, {"Freddie", "male", 2}}},
	{"Kaur", "RM20 3QW", "Harpreet", "Jaswinder", {{"Simran", "female", 16}}},
	{"Lowe", "CM3 5TT", "Gemma", "Wayne", {{"Archie", "male", 5}, {"Poppy", "female", 3}, {"Alfie", "male", 1}}},
	{"Mensah", "SS2 6UY", "Abena", "Kwame", {{"Kofi", "male", 13}}},
	{"Nowak", "CO15 1BN", "Agnieszka", "Piotr", {{"Lena", "female", 7}}},
	{"O'Brien", "CM8 2ZZ", "Siobhan", NULL, {{"Callum", "male", 17}, {"Niamh", "female", 15}}},
	{"Price", "SS3 9PP", "Danielle", "Kyle", {{"Lily", "female", 0}}},
	{"Quinn", "RM18 7AA", "Rebecca", "Mark", {{"Ethan", "male", 9}, {"Grace", "female", 6}}},
	{"Robinson", "CM9 6SS", "Jade", NULL, {{"Unborn", "not_known", -1}}},
	{"Singh", "CO3 3KK", "Priya", "Arjun", {{"Dev", "male", 8}}},
	{"Turner", "SS7 4MM", "Kelly", "Lee", {{"Noah", "male", 10}, {"Isla", "female", 4}}},
	{"Usman", "RM19 1TT", "Fatima", "Bilal", {{"Hamza", "male", 6}}},
	{"Vaughan", "CM11 2GG", "Laura", "Steven", {{"Evie", "female", 12}, {"Max", "male", 9}}},
	{"Whitfield", "CO5 8NN", "Stacey", NULL, {{"Riley", "male", 3}}},
	{"Yates", "SS8 0RR", "Holly", "Jordan", {{"Mason", "male", 7}, {"Daisy", "female", 5}}},
	{"Zielinski", "CM0 7WW", "Marta", "Tomasz", {{"Kacper", "male", 14}, {"Zofia", "female", 11}}},
	{"Abbott", "RM15 5CC", "Natalie", NULL, {{"Unborn", "not_known", -1}, {"Jack", "male", 1}}},
};

/* Stages a demo case may be in, cycled across the children so every stage is shown. */
static const char *const stages[] = {"referral", "assessment", "strategy", "s47", "icpc_pending", "cp_plan",
                                     "cp_plan",  "cin",        "cp_plan",  "assessment", "decided", "early_help"};

struct seed {
	struct store *st;
	struct clock_engine eng;
	char admin_id[ACCOUNT_ID_SIZE];
	char users[sizeof demo_users / sizeof demo_users[0]][ACCOUNT_ID_SIZE];
	char team_a[ID_MAX], team_b[ID_MAX], csc[ID_MAX];
	int32_t today;
	unsigned rng;
};

static unsigned next_rand(struct seed *s)
{
	s->rng = s->rng * 1103515245u + 12345u;
	return (s->rng >> 16) & 0x7fff;
}

static int exec_bound(struct store *st, const char *sql, const char *const *vals, int n)
{
	struct store_stmt *s = store_prepare(st, sql);
	if (!s)
		return -1;
	for (int i = 0; i < n; i++)
		store_bind_text(s, i + 1, vals[i]);
	return store_step(s) == STORE_DONE ? 0 : -1;
}

static int seed_org(struct seed *s)
{
	char now[MOMENT_ISO_LEN];
	moment_format(moment_now(), now);
	id_new("agy", s->csc);
	const char *agency[] = {s->csc, "Essex Children's Social Care (demo)", "CSC", "ESSEX", now};
	if (exec_bound(s->st, "INSERT INTO agencies (id, name, agency_type, la_area, created_at) "
	                      "VALUES ($1, $2, $3, $4, $5)", agency, 5) < 0)
		return -1;
	static const struct {
		const char *name, *type;
	} others[] = {
		{"Essex Police (demo)", "POLICE"}, {"Mid Essex Hospital (demo)", "HEALTH_ACUTE_HOSPITAL"},
		{"Riverside Primary School (demo)", "EDUCATION_SCHOOL"}, {"Harbour Surgery (demo)", "HEALTH_GP"},
		{"0-19 Health Visiting (demo)", "HEALTH_HV_0_19"},
	};
	for (size_t i = 0; i < sizeof others / sizeof others[0]; i++) {
		char id[ID_MAX];
		id_new("agy", id);
		const char *v[] = {id, others[i].name, others[i].type, "ESSEX", now};
		if (exec_bound(s->st, "INSERT INTO agencies (id, name, agency_type, la_area, created_at) "
		                      "VALUES ($1, $2, $3, $4, $5)", v, 5) < 0)
			return -1;
	}
	id_new("team", s->team_a);
	id_new("team", s->team_b);
	const char *ta[] = {s->team_a, "Assessment and Intervention Team A", s->csc, now};
	const char *tb[] = {s->team_b, "Family Safeguarding Team B", s->csc, now};
	if (exec_bound(s->st, "INSERT INTO teams (id, name, agency_id, created_at) VALUES ($1, $2, $3, $4)", ta, 4) <
	        0 ||
	    exec_bound(s->st, "INSERT INTO teams (id, name, agency_id, created_at) VALUES ($1, $2, $3, $4)", tb, 4) < 0)
		return -1;
	return 0;
}

static int seed_users(struct seed *s, const struct roles *roles)
{
	for (size_t i = 0; i < sizeof demo_users / sizeof demo_users[0]; i++) {
		const struct demo_user *u = &demo_users[i];
		const char *why = NULL;
		if (account_create(s->st, roles, NULL, u->username, u->name, u->role, DEMO_PASSWORD, moment_now(),
		                   s->users[i], &why) != ACCOUNT_OK) {
			fprintf(stderr, "safeguard seed-demo: cannot create %s: %s\n", u->username, why ? why : "error");
			return -1;
		}
		if (u->team) {
			const char *v[] = {u->team[0] == 'A' ? s->team_a : s->team_b, s->users[i]};
			if (exec_bound(s->st, "UPDATE users SET team_id = $1 WHERE id = $2", v, 2) < 0)
				return -1;
		}
	}
	const char *mgr_a[] = {s->users[3], s->team_a}, *mgr_b[] = {s->users[4], s->team_b};
	if (exec_bound(s->st, "UPDATE teams SET manager_id = $1 WHERE id = $2", mgr_a, 2) < 0 ||
	    exec_bound(s->st, "UPDATE teams SET manager_id = $1 WHERE id = $2", mgr_b, 2) < 0)
		return -1;
	return 0;
}

static int add_person(struct seed *s, const char *child_id, const char *forename, const char *surname,
                      const char *relation, const char *postcode, const char *user)
{
	char pid[ID_MAX], rid[ID_MAX];
	json_t *p = json_pack("{s:s, s:s, s:s}", "forenames", forename, "surname", surname, "postcode", postcode);
	int rc = record_insert(s->st, &entity_person, p, NULL, 0, user, pid);
	json_decref(p);
	if (rc != STORE_OK)
		return -1;
	json_t *r = json_pack("{s:s, s:s, s:b, s:b}", "person_id", pid, "relationship_type", relation,
	                      "has_parental_responsibility", 1, "resident_in_household", strcmp(relation, "father") != 0);
	struct http_kv extra[] = {{"child_id", child_id}};
	rc = record_insert(s->st, &entity_relationship, r, extra, 1, user, rid);
	json_decref(r);
	return rc == STORE_OK ? 0 : -1;
}

/* The events a case at this stage has been through, dated back from today, so its statutory clocks are real:
 * some met, some running, some overdue. */
static int seed_events(struct seed *s, const char *child_id, const char *case_id, const char *stage, int32_t opened,
                       const char *user)
{
	static const struct {
		const char *stage;
		const char *events[14]; /* event:variant:day offset from the referral */
	} paths[] = {
		{"referral", {"referral_received::0", "referral_evaluated::0"}},
		{"decided", {"referral_received::0", "referral_evaluated::0", "referral_acknowledged::1", "referral_decision_made::1"}},
		{"early_help", {"referral_received::0", "referral_evaluated::0", "referral_acknowledged::1", "referral_decision_made::1"}},
		{"assessment", {"referral_received::0", "referral_evaluated::0", "referral_acknowledged::1", "referral_decision_made::1"}},
		{"cin", {"referral_received::0", "referral_evaluated::0", "referral_acknowledged::1", "referral_decision_made::1", "assessment_completed::30",
		         "cin_plan_agreed::31"}},
		{"strategy", {"referral_received::0", "referral_evaluated::0", "referral_acknowledged::1", "referral_decision_made::1", "cp_concern_identified:routine:1"}},
		{"s47", {"referral_received::0", "referral_evaluated::0", "referral_acknowledged::1", "referral_decision_made::1", "cp_concern_identified:routine:1",
		         "strategy_discussion_held::2", "s47_initiated::2"}},
		{"icpc_pending", {"referral_received::0", "referral_evaluated::0", "referral_acknowledged::1", "referral_decision_made::1", "cp_concern_identified:routine:1",
		                  "strategy_discussion_held::2", "s47_initiated::2"}},
		{"cp_plan", {"referral_received::0", "referral_evaluated::0", "referral_acknowledged::1", "referral_decision_made::1", "cp_concern_identified:routine:1",
		             "strategy_discussion_held::2", "s47_initiated::2", "icpc_held::16", "conference_held:*:16",
		             "decision_letter_sent::17", "visit_made::20", "first_core_group_held::24",
		             "conference_record_sent::34"}},
	};
	for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
		if (strcmp(paths[i].stage, stage) != 0)
			continue;
		for (int k = 0; k < 14 && paths[i].events[k]; k++) {
			char code[64], variant[32];
			int offset = 0;
			if (sscanf(paths[i].events[k], "%63[^:]:%31[^:]:%d", code, variant, &offset) != 3) {
				variant[0] = '\0';
				sscanf(paths[i].events[k], "%63[^:]::%d", code, &offset);
			}
			int32_t day = opened + offset;
			if (day > s->today)
				break;
			const char *vars[] = {variant};
			struct clock_event_record ev = {
				.case_id = case_id,
				.child_id = child_id,
				.event = code,
				.at = moment_from_local(day, 10 + k, 0, 0),
				.variants = variant[0] ? vars : NULL,
				.n_variants = variant[0] ? 1 : 0,
				.actor_user_id = user,
			};
			struct buf err;
			buf_init(&err, 1024);
			int rc = clock_record_event(s->st, &s->eng, &ev, NULL, NULL, &err);
			if (rc < 0)
				fprintf(stderr, "safeguard seed-demo: %s\n", buf_str(&err));
			buf_free(&err);
			if (rc < 0)
				return -1;
		}
	}
	return 0;
}

static int seed_child(struct seed *s, const struct demo_family *f, int k, int n, const char *const *sibling_ids,
                      char child_id[ID_MAX])
{
	/* Allocate among the three social workers; every 9th child is left unallocated for the managers' view. */
	int worker = n % 3 == 2 ? 2 : n % 3;
	const char *user = s->users[worker];
	const char *team = worker == 2 ? s->team_b : s->team_a;
	char date[DATE_ISO_LEN];
	json_t *c = json_pack("{s:s, s:s, s:s, s:s, s:s}", "forenames", f->kids[k].name, "surname", f->surname,
	                      "gender", f->kids[k].gender, "postcode", f->postcode, "home_la", "ESSEX");
	if (f->kids[k].age < 0) {
		date_format(s->today + 60 + (int)(next_rand(s) % 120), date);
		json_object_set_new(c, "is_unborn", json_true());
		json_object_set_new(c, "edd", json_string(date));
	} else {
		date_format(s->today - f->kids[k].age * 365 - (int)(next_rand(s) % 300) - 20, date);
		json_object_set_new(c, "dob", json_string(date));
	}
	json_object_set_new(c, "address", json_string("1 Example Road, Demo Town"));
	int rc = record_insert(s->st, &entity_child, c, NULL, 0, user, child_id);
	json_decref(c);
	if (rc != STORE_OK)
		return -1;
	if (k == 0) {
		if (f->mother && add_person(s, child_id, f->mother, f->surname, "mother", f->postcode, user) < 0)
			return -1;
		if (f->father && add_person(s, child_id, f->father, f->surname, "father", f->postcode, user) < 0)
			return -1;
	} else {
		/* Siblings share the parents recorded against the eldest. */
		json_t *rels = record_list(s->st, &entity_relationship, "child_id", sibling_ids[0], NULL, 10);
		size_t i;
		json_t *r;
		json_array_foreach(rels, i, r) {
			json_t *copy = json_pack("{s:O, s:O, s:O, s:O}", "person_id", json_object_get(r, "person_id"),
			                         "relationship_type", json_object_get(r, "relationship_type"),
			                         "has_parental_responsibility",
			                         json_object_get(r, "has_parental_responsibility"), "resident_in_household",
			                         json_object_get(r, "resident_in_household"));
			char rid[ID_MAX];
			struct http_kv extra[] = {{"child_id", child_id}};
			rc = record_insert(s->st, &entity_relationship, copy, extra, 1, user, rid);
			json_decref(copy);
			if (rc != STORE_OK) {
				json_decref(rels);
				return -1;
			}
		}
		json_decref(rels);
	}
	/* A case for the child, opened some weeks ago, at a stage from the cycle. */
	const char *stage = stages[n % (sizeof stages / sizeof stages[0])];
	int opened_days_ago = 5 + (int)(next_rand(s) % 120);
	char opened[MOMENT_ISO_LEN], case_id[ID_MAX];
	moment_format(moment_from_local(s->today - opened_days_ago, 10, 15, 0), opened);
	id_new("cas", case_id);
	struct store_stmt *cs = store_prepare(
		s->st, "INSERT INTO cases (id, child_id, stage, opened_at, allocated_user_id, team_id, created_at, "
		       "created_by, updated_at, updated_by) VALUES ($1, $2, $3, $4, $5, $6, $4, $7, $4, $7)");
	if (!cs)
		return -1;
	store_bind_text(cs, 1, case_id);
	store_bind_text(cs, 2, child_id);
	store_bind_text(cs, 3, stage);
	store_bind_text(cs, 4, opened);
	store_bind_text(cs, 5, n % 9 == 8 ? NULL : user);
	store_bind_text(cs, 6, team);
	store_bind_text(cs, 7, user);
	if (store_step(cs) != STORE_DONE)
		return -1;
	if (strcmp(stage, "cp_plan") == 0) {
		const char *v[] = {child_id};
		exec_bound(s->st, "UPDATE children SET cp_plan_status = 'active' WHERE id = $1", v, 1);
	}
	if (seed_events(s, child_id, case_id, stage, s->today - opened_days_ago, user) < 0)
		return -1;
	struct chronology_event evs[] = {
		{child_id, case_id, opened, "referral", "Referral received from a partner agency", "significant", "case",
		 case_id, NULL},
		{child_id, case_id, NULL, "case_opened", "Case opened and allocated", "routine", "case", case_id, NULL},
	};
	for (size_t i = 0; i < sizeof evs / sizeof evs[0]; i++)
		if (chronology_append(s->st, &evs[i], user, NULL) != STORE_OK)
			return -1;
	return 0;
}

static const char seed_help[] =
	"usage: safeguard seed-demo [--db PATH] [--home DIR] [--if-new]\n\n"
	"Fills the database with a fictional authority: two teams, one account for each role (password\n"
	"'" DEMO_PASSWORD "'), and over 40 children across the stages of the pathway, some unborn, with sibling\n"
	"groups. Refuses a database that already has users, unless --if-new, which then does nothing.\n";

int cmd_seed_demo(int argc, char **argv)
{
	const char *db = getenv("SAFEGUARD_DB") ? getenv("SAFEGUARD_DB") : "var/safeguard.db";
	const char *home = getenv("SAFEGUARD_HOME") ? getenv("SAFEGUARD_HOME") : ".";
	bool if_new = false;
	const char *v;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0) {
			fputs(seed_help, stdout);
			return 0;
		} else if (strcmp(argv[i], "--if-new") == 0) {
			if_new = true;
		} else if ((v = cli_opt(argc, argv, &i, "--db"))) {
			db = v;
		} else if ((v = cli_opt(argc, argv, &i, "--home"))) {
			home = v;
		} else {
			fprintf(stderr, "safeguard seed-demo: unknown option '%s'\n\n%s", argv[i], seed_help);
			return 2;
		}
	}
	struct buf err, path;
	buf_init(&err, 4096);
	buf_init(&path, 4096);
	struct seed s = {.today = date_today(), .rng = 20261123};
	struct roles *roles = NULL;
	struct calendar *cal = NULL;
	struct clock_rules *rules = NULL;
	int rc = 1, children = 0;
	buf_addf(&path, "%s/migrations", home);
	if (store_open(&s.st, db, NULL, &err) != STORE_OK)
		goto out;
	if (migrate_check(s.st, buf_str(&path), &err) != 0) {
		if (!err.len)
			buf_adds(&err, "migrations are pending: run `safeguard migrate` first");
		goto out;
	}
	if (store_query_int(s.st, "SELECT COUNT(*) FROM users", NULL) > 0) {
		if (if_new) {
			printf("safeguard: demo data already present in %s\n", db);
			rc = 0;
		} else {
			buf_adds(&err, "the database already has users; seed-demo only fills a new database");
		}
		goto out;
	}
	buf_reset(&path);
	buf_addf(&path, "%s/rules/roles.json", home);
	if (roles_load(&roles, buf_str(&path), &err) < 0)
		goto out;
	buf_reset(&path);
	buf_addf(&path, "%s/rules", home);
	if (enums_load_dir(buf_str(&path), &err) < 0)
		goto out;
	buf_reset(&path);
	buf_addf(&path, "%s/rules", home);
	if (calendar_load(&cal, buf_str(&path), getenv("SAFEGUARD_AUTHORITY") ? getenv("SAFEGUARD_AUTHORITY") : "essex",
	                  &err) < 0 ||
	    clock_rules_load(&rules, buf_str(&path), &err) < 0)
		goto out;
	s.eng.cal = cal;
	s.eng.rules = rules;
	/* The organisation first; accounts are created in their own transactions (account_create audits each);
	 * the children and their records in one. */
	if (store_begin(s.st) != STORE_OK || seed_org(&s) < 0 || store_commit(s.st) != STORE_OK)
		goto fail;
	if (seed_users(&s, roles) < 0) {
		buf_addf(&err, "cannot set up the demo accounts: %s", store_errmsg(s.st));
		goto out;
	}
	if (store_begin(s.st) != STORE_OK)
		goto fail;
	for (size_t f = 0; f < sizeof families / sizeof families[0]; f++) {
		char ids[4][ID_MAX];
		const char *sib[4] = {ids[0], ids[1], ids[2], ids[3]};
		for (int k = 0; k < 4 && families[f].kids[k].name; k++) {
			if (seed_child(&s, &families[f], k, children, sib, ids[k]) < 0)
				goto fail;
			children++;
		}
	}
	if (store_commit(s.st) != STORE_OK)
		goto fail;
	printf("safeguard: demo authority created: %d children, %zu accounts\n", children,
	       sizeof demo_users / sizeof demo_users[0]);
	printf("\nDemo log-ins (password for all: %s)\n", DEMO_PASSWORD);
	for (size_t i = 0; i < sizeof demo_users / sizeof demo_users[0]; i++)
		printf("  %-15s %-18s %s\n", demo_users[i].username, demo_users[i].role, demo_users[i].name);
	rc = 0;
	goto out;
fail:
	if (!err.len)
		buf_addf(&err, "seeding failed: %s", store_errmsg(s.st));
	store_rollback(s.st);
out:
	if (err.len)
		fprintf(stderr, "safeguard seed-demo: %s\n", buf_str(&err));
	roles_free(roles);
	calendar_free(cal);
	clock_rules_free(rules);
	enums_free();
	store_close(s.st);
	buf_free(&err);
	buf_free(&path);
	return rc;
}
