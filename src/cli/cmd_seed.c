/* safeguard seed-demo: a fictional authority, so that a new user sees a realistic caseload: two teams, an account
 * for each role, and 26 families (42 children) walked along the child protection pathway by the pathway's own
 * commands (seed_pathway.c), so that each child's records, stage, clocks, chronology, conferences, plans and
 * documents are real. Every name, date and address here is invented. The demo password is printed for the demo
 * only; a real deployment creates its accounts with `safeguard user add`. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/account.h"
#include "calendar/calendar.h"
#include "clock/rules.h"
#include "cli/cli.h"
#include "cli/seed_pathway.h"
#include "core/date.h"
#include "core/id.h"
#include "core/xmalloc.h"
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

/* Fictional families: surname, then children as forename/sex/age in years (-1 = unborn), eldest first; how far
 * along the pathway they are, since when, and which social worker (demo_users index) has them. */
struct demo_family {
	const char *surname, *postcode, *mother, *father;
	struct {
		const char *name, *gender;
		int age;
	} kids[4];
	enum seed_goal goal;
	int days_ago, worker;
	bool unallocated; /* the case waits for a worker */
	const char *category, *concern;
};

#define CAT_N "CP_CAT_NEGLECT"
#define CAT_P "CP_CAT_PHYSICAL"
#define CAT_E "CP_CAT_EMOTIONAL"
#define CAT_S "CP_CAT_SEXUAL"

static const struct demo_family families[] = {
	{"Ashworth", "CM1 4QT", "Kerry", "Dean", {{"Mia", "female", 6}, {"Leo", "male", 3}, {"Ava", "female", 1}},
	 SEED_PLAN, 55, 0, false, CAT_N, "The children are often hungry and unwashed; the home is cold and dirty"},
	{"Bellamy", "SS1 2AB", "Tanya", NULL, {{"Jayden", "male", 14}}, SEED_REFERRAL, 3, 0, false, CAT_E,
	 "Jayden says his mother's partner threatens him and he is afraid to go home"},
	{"Chowdhury", "RM17 6PL", "Ruksana", "Imran", {{"Zara", "female", 9}, {"Ayaan", "male", 7}}, SEED_S47, 26, 2,
	 false, CAT_P, "Zara has bruises on her upper arms and says her father grabbed her"},
	{"Dempsey", "CO2 8JH", "Leanne", "Craig", {{"Unborn", "not_known", -1}}, SEED_PRE_BIRTH, 40, 1, false, CAT_N,
	 "A previous child was removed at birth; the mother misuses alcohol in pregnancy"},
	{"Evans", "CM2 9XY", "Shelley", NULL, {{"Tyler", "male", 11}, {"Skye", "female", 8}}, SEED_ASSESSMENT, 70, 0,
	 false, CAT_N, "The children are late to school most days and say there is little food at home"},
	{"Fenwick", "SS9 3LT", "Nadia", "Lewis", {{"Harper", "female", 0}}, SEED_STRATEGY, 4, 1, false, CAT_P,
	 "A baby with a bruise to the cheek that the parents cannot explain"},
	{"Gallagher", "RM16 4DD", "Chloe", "Ryan", {{"Oscar", "male", 4}, {"Ruby", "female", 2}}, SEED_PLAN, 105, 2,
	 false, CAT_E, "The children witness frequent violence between the parents"},
	{"Hussain", "CM7 1EE", "Samina", "Tariq", {{"Aisha", "female", 15}}, SEED_CIN, 50, 0, false, CAT_E,
	 "Aisha is caring for her mother and missing school"},
	{"Ivanova", "CO4 5RF", "Elena", NULL, {{"Nikolai", "male", 12}, {"Sofia", "female", 10}}, SEED_STEP_DOWN, 130, 1,
	 false, CAT_N, "The children were left alone for days while their mother worked away"},
	{"Jenkins", "SS0 7HG", "Amy", "Scott", {{"Unborn", "not_known", -1}, {"Freddie", "male", 2}}, SEED_CONTACT, 0, 2,
	 false, CAT_N, "The midwife is worried about the home conditions before the birth"},
	{"Kaur", "RM20 3QW", "Harpreet", "Jaswinder", {{"Simran", "female", 16}}, SEED_EARLY_HELP, 20, 0, false, CAT_E,
	 "Simran has been self-harming and the family asks for help"},
	{"Lowe", "CM3 5TT", "Gemma", "Wayne", {{"Archie", "male", 5}, {"Poppy", "female", 3}, {"Alfie", "male", 1}},
	 SEED_ICPC_ARRANGED, 6, 1, false, CAT_N, "The home has no working heating and the baby has lost weight"},
	{"Mensah", "SS2 6UY", "Abena", "Kwame", {{"Kofi", "male", 13}}, SEED_TRANSFER_IN, 3, 2, false, CAT_P,
	 "Kofi was on a plan in Suffolk and the family has moved here"},
	{"Nowak", "CO15 1BN", "Agnieszka", "Piotr", {{"Lena", "female", 7}}, SEED_PLAN_NO_VISITS, 70, 0, false, CAT_N,
	 "Lena is often unkempt and hungry at school"},
	{"O'Brien", "CM8 2ZZ", "Siobhan", NULL, {{"Callum", "male", 17}, {"Niamh", "female", 15}}, SEED_S47, 5, 1, false,
	 CAT_E, "Niamh says her mother's new partner hits Callum"},
	{"Price", "SS3 9PP", "Danielle", "Kyle", {{"Lily", "female", 0}}, SEED_REFERRAL, 0, 2, true, CAT_P,
	 "A health visitor saw finger-mark bruising on the baby's leg"},
	{"Quinn", "RM18 7AA", "Rebecca", "Mark", {{"Ethan", "male", 9}, {"Grace", "female", 6}}, SEED_STRATEGY, 1, 0,
	 false, CAT_S, "Grace made a disclosure to her teacher about an adult visitor"},
	{"Robinson", "CM9 6SS", "Jade", NULL, {{"Unborn", "not_known", -1}}, SEED_REFERRAL, 2, 1, true, CAT_N,
	 "A young mother, herself in care, is expecting and has no support"},
	{"Singh", "CO3 3KK", "Priya", "Arjun", {{"Dev", "male", 8}}, SEED_ASSESSMENT, 12, 2, false, CAT_E,
	 "Dev is withdrawn and his parents are separating acrimoniously"},
	{"Turner", "SS7 4MM", "Kelly", "Lee", {{"Noah", "male", 10}, {"Isla", "female", 4}}, SEED_MIXED, 30, 0, false,
	 CAT_P, "Noah has a burn mark on his hand he says came from his stepfather"},
	{"Usman", "RM19 1TT", "Fatima", "Bilal", {{"Hamza", "male", 6}}, SEED_ICPC_PENDING, 22, 1, false, CAT_N,
	 "Hamza has untreated tooth decay and frequently misses school"},
	{"Vaughan", "CM11 2GG", "Laura", "Steven", {{"Evie", "female", 12}, {"Max", "male", 9}}, SEED_REVIEWED, 150, 2,
	 false, CAT_E, "The children live with their father's drinking and his threats"},
	{"Whitfield", "CO5 8NN", "Stacey", NULL, {{"Riley", "male", 3}}, SEED_PLAN, 25, 0, true, CAT_N,
	 "Riley is left in a cot for long periods and is not thriving"},
	{"Yates", "SS8 0RR", "Holly", "Jordan", {{"Mason", "male", 7}, {"Daisy", "female", 5}}, SEED_ASSESSMENT, 30, 1,
	 false, CAT_N, "School reports the children come in hungry"},
	{"Zielinski", "CM0 7WW", "Marta", "Tomasz", {{"Kacper", "male", 14}, {"Zofia", "female", 11}}, SEED_CLOSED, 15,
	 2, false, CAT_E, "A neighbour heard shouting; the school knows the family well"},
	{"Abbott", "RM15 5CC", "Natalie", NULL, {{"Unborn", "not_known", -1}, {"Jack", "male", 1}}, SEED_CIN, 40, 0,
	 false, CAT_N, "The mother is struggling with low mood since Jack's birth and is expecting again"},
};

struct seed {
	struct store *st;
	char users[sizeof demo_users / sizeof demo_users[0]][ACCOUNT_ID_SIZE];
	char team_a[ID_MAX], team_b[ID_MAX];
	char csc[ID_MAX], police[ID_MAX], school[ID_MAX], hv[ID_MAX];
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
	struct {
		const char *name, *type;
		char *id;
		char own[ID_MAX];
	} agencies[] = {
		{"Essex Children's Social Care (demo)", "CSC", s->csc, ""},
		{"Essex Police (demo)", "POLICE", s->police, ""},
		{"Mid Essex Hospital (demo)", "HEALTH_ACUTE_HOSPITAL", NULL, ""},
		{"Riverside Primary School (demo)", "EDUCATION_SCHOOL", s->school, ""},
		{"Harbour Surgery (demo)", "HEALTH_GP", NULL, ""},
		{"0-19 Health Visiting (demo)", "HEALTH_HV_0_19", s->hv, ""},
	};
	for (size_t i = 0; i < sizeof agencies / sizeof agencies[0]; i++) {
		char *id = agencies[i].id ? agencies[i].id : agencies[i].own;
		id_new("agy", id);
		const char *v[] = {id, agencies[i].name, agencies[i].type, "ESSEX", now};
		if (exec_bound(s->st, "INSERT INTO agencies (id, name, agency_type, la_area, created_at) "
		                      "VALUES ($1, $2, $3, $4, $5)", v, 5) < 0)
			return -1;
	}
	id_new("team", s->team_a);
	id_new("team", s->team_b);
	const char *ta[] = {s->team_a, "Assessment and Intervention Team A", s->csc, now};
	const char *tb[] = {s->team_b, "Family Safeguarding Team B", s->csc, now};
	const char *front_door[] = {s->team_a}; /* team A takes referrals partner agencies make themselves (0014) */
	if (exec_bound(s->st, "INSERT INTO teams (id, name, agency_id, created_at) VALUES ($1, $2, $3, $4)", ta, 4) <
	        0 ||
	    exec_bound(s->st, "INSERT INTO teams (id, name, agency_id, created_at) VALUES ($1, $2, $3, $4)", tb, 4) < 0 ||
	    exec_bound(s->st, "UPDATE teams SET front_door = 1 WHERE id = $1", front_door, 1) < 0)
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
                      const char *relation, const char *postcode, const char *user, char pid[ID_MAX])
{
	char rid[ID_MAX];
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

/* A family's children and parents (the siblings share the parents recorded against the eldest); their cases come
 * from the contact about them (seed_pathway.c). */
static int seed_family(struct seed *s, const struct demo_family *f, char ids[4][ID_MAX], char mother[ID_MAX])
{
	const char *user = s->users[f->worker];
	for (int k = 0; k < 4 && f->kids[k].name; k++) {
		char date[DATE_ISO_LEN];
		json_t *c = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "forenames", f->kids[k].name, "surname", f->surname,
		                      "gender", f->kids[k].gender, "postcode", f->postcode, "home_la", "ESSEX", "address",
		                      "1 Example Road, Demo Town");
		if (f->kids[k].age < 0) {
			date_format(s->today + 60 + (int)(next_rand(s) % 120), date);
			json_object_set_new(c, "is_unborn", json_true());
			json_object_set_new(c, "edd", json_string(date));
		} else {
			date_format(s->today - f->kids[k].age * 365 - (int)(next_rand(s) % 300) - 20, date);
			json_object_set_new(c, "dob", json_string(date));
		}
		int rc = record_insert(s->st, &entity_child, c, NULL, 0, user, ids[k]);
		json_decref(c);
		if (rc != STORE_OK)
			return -1;
		if (k == 0) {
			char father[ID_MAX];
			if (add_person(s, ids[0], f->mother, f->surname, "mother", f->postcode, user, mother) < 0 ||
			    (f->father && add_person(s, ids[0], f->father, f->surname, "father", f->postcode, user, father) < 0))
				return -1;
			continue;
		}
		json_t *rels = record_list(s->st, &entity_relationship, "child_id", ids[0], NULL, 10);
		size_t i;
		json_t *r;
		json_array_foreach(rels, i, r) {
			json_t *copy = json_pack("{s:O, s:O, s:O, s:O}", "person_id", json_object_get(r, "person_id"),
			                         "relationship_type", json_object_get(r, "relationship_type"),
			                         "has_parental_responsibility",
			                         json_object_get(r, "has_parental_responsibility"), "resident_in_household",
			                         json_object_get(r, "resident_in_household"));
			char rid[ID_MAX];
			struct http_kv extra[] = {{"child_id", ids[k]}};
			rc = record_insert(s->st, &entity_relationship, copy, extra, 1, user, rid);
			json_decref(copy);
			if (rc != STORE_OK) {
				json_decref(rels);
				return -1;
			}
		}
		json_decref(rels);
	}
	return 0;
}

static struct seed_user demo_user_at(struct seed *s, size_t i)
{
	const struct demo_user *u = &demo_users[i];
	return (struct seed_user){s->users[i], u->username, u->name, u->role,
	                          u->team ? (u->team[0] == 'A' ? s->team_a : s->team_b) : NULL};
}

/* Every family along its path, then what the walk cannot say: which cases wait for a worker. */
static int seed_pathways(struct seed *s, struct seed_pathway *sp, char ids[][4][ID_MAX], char mothers[][ID_MAX],
                         struct buf *err)
{
	for (size_t f = 0; f < sizeof families / sizeof families[0]; f++) {
		const struct demo_family *fam = &families[f];
		bool team_b = demo_users[fam->worker].team[0] == 'B';
		struct seed_cast cast = {
			.sw = demo_user_at(s, (size_t)fam->worker), .manager = demo_user_at(s, team_b ? 4 : 3),
			.chair = demo_user_at(s, 6), .police = demo_user_at(s, 7), .health = demo_user_at(s, 8),
			.education = demo_user_at(s, 9), .csc_agency = s->csc, .police_agency = s->police,
			.hv_agency = s->hv, .school_agency = s->school,
		};
		char mother_name[128];
		snprintf(mother_name, sizeof mother_name, "%s %s", fam->mother, fam->surname);
		struct seed_family_walk walk = {.surname = fam->surname, .goal = fam->goal, .days_ago = fam->days_ago,
		                                .mother = mothers[f], .mother_name = mother_name, .concern = fam->concern,
		                                .category = fam->category};
		for (int k = 0; k < 4 && fam->kids[k].name; k++) {
			walk.children[k] = ids[f][k];
			walk.forenames[k] = fam->kids[k].name;
			walk.n_children = k + 1;
		}
		if (seed_pathway_walk(sp, &cast, &walk, err) < 0)
			return -1;
	}
	if (store_begin(s->st) != STORE_OK)
		return -1;
	int rc = STORE_OK;
	for (size_t f = 0; rc == STORE_OK && f < sizeof families / sizeof families[0]; f++) {
		for (int k = 0; families[f].unallocated && k < 4 && families[f].kids[k].name; k++) {
			const char *v[] = {ids[f][k]};
			if (exec_bound(s->st, "UPDATE cases SET allocated_user_id = NULL WHERE child_id = $1", v, 1) < 0 ||
			    exec_bound(s->st, "UPDATE clocks SET responsible_user_id = NULL WHERE child_id = $1 AND state = "
			                      "'running'", v, 1) < 0)
				rc = STORE_ERR;
		}
	}
	if (rc != STORE_OK || store_commit(s->st) != STORE_OK) {
		store_rollback(s->st);
		return -1;
	}
	return 0;
}

static const char seed_help[] =
	"usage: safeguard seed-demo [--db PATH] [--home DIR] [--if-new]\n\n"
	"Fills the database with a fictional authority: two teams, one account for each role (password\n"
	"'" DEMO_PASSWORD "'), and 26 families (42 children, some unborn, sibling groups, a move in from\n"
	"another authority) walked along the child protection pathway by its own commands: contacts,\n"
	"referrals, assessments, strategy discussions, enquiries, conferences with their letters and records,\n"
	"plans with core groups and visits, reviews. Dates run back from today, so some deadlines are overdue.\n"
	"Refuses a database that already has users, unless --if-new, which then does nothing.\n";

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
	struct seed_pathway sp = {0};
	bool sp_open = false;
	int rc = 1, children = 0;
	char(*ids)[4][ID_MAX] = xcalloc(sizeof families / sizeof families[0], sizeof *ids);
	char(*mothers)[ID_MAX] = xcalloc(sizeof families / sizeof families[0], sizeof *mothers);
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
	/* The organisation first; accounts are created in their own transactions (account_create audits each);
	 * the children and their parents in one; then each step of each family's walk in its own, as in use. */
	if (store_begin(s.st) != STORE_OK || seed_org(&s) < 0 || store_commit(s.st) != STORE_OK)
		goto fail;
	if (seed_users(&s, roles) < 0) {
		buf_addf(&err, "cannot set up the demo accounts: %s", store_errmsg(s.st));
		goto out;
	}
	if (store_begin(s.st) != STORE_OK)
		goto fail;
	for (size_t f = 0; f < sizeof families / sizeof families[0]; f++) {
		/* Recorded the morning the contact about them came in (seed_pathway.c dates each step the same way). */
		int64_t known = moment_from_local(s.today - families[f].days_ago, 9, 0, 0), now = moment_now();
		moment_fix_now(known < now - 120 ? known : now - 120);
		int frc = seed_family(&s, &families[f], ids[f], mothers[f]);
		moment_fix_now(0);
		if (frc < 0)
			goto fail;
		for (int k = 0; k < 4 && families[f].kids[k].name; k++)
			children++;
	}
	if (store_commit(s.st) != STORE_OK)
		goto fail;
	if (seed_pathway_open(&sp, s.st, home, cal, rules, &err) < 0)
		goto out;
	sp_open = true;
	if (seed_pathways(&s, &sp, ids, mothers, &err) < 0)
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
	if (sp_open)
		seed_pathway_close(&sp);
	free(ids);
	free(mothers);
	roles_free(roles);
	calendar_free(cal);
	clock_rules_free(rules);
	enums_free();
	store_close(s.st);
	buf_free(&err);
	buf_free(&path);
	return rc;
}
