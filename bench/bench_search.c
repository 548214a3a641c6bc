/* Search latency on 100,000 synthetic people (usability goal U6: p95 <= 500 ms): children with names, dates of
 * birth, NHS numbers, postcodes and addresses, and adults related to them, in a temporary database indexed the
 * way the service indexes them; then a mix of the searches people make (names with typos and sound-alike
 * spellings, full names, dates, NHS numbers, postcodes, a name with a date), each timed through search_children().
 * Usage: bench_search [PEOPLE] [QUERIES] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/date.h"
#include "search/search.h"
#include "store/migrate.h"
#include "store/store.h"

static double now_s(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static unsigned long long rng = 0x9e3779b97f4a7c15ull;
static unsigned rnd(unsigned n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)(rng % n);
}

static const char *const fore[] = {
	"Oliver", "George", "Harry", "Noah", "Jack", "Leo", "Arthur", "Muhammad", "Oscar", "Charlie", "Jacob", "Thomas",
	"Henry", "William", "Alfie", "Joshua", "Freddie", "Archie", "Ethan", "Isaac", "James", "Joseph", "Logan",
	"Lucas", "Mason", "Max", "Theo", "Samuel", "Daniel", "Adam", "Mohammed", "John", "Jon", "Liam", "Connor",
	"Olivia", "Amelia", "Isla", "Ava", "Mia", "Ivy", "Lily", "Isabella", "Rosie", "Sophia", "Grace", "Willow",
	"Freya", "Florence", "Emily", "Ella", "Poppy", "Evie", "Elsie", "Charlotte", "Evelyn", "Sienna", "Sofia",
	"Daisy", "Phoebe", "Sophie", "Alice", "Harper", "Matilda", "Ruby", "Emilia", "Maya", "Katherine", "Catherine",
	"Aisha", "Ayesha", "Zara", "Fatima", "Maryam", "Amira", "Hannah", "Chloe", "Jessica", "Layla", "Esme",
};
static const char *const common[] = {
	"Smith", "Jones", "Williams", "Taylor", "Brown", "Davies", "Evans", "Wilson", "Thomas", "Johnson", "Roberts",
	"Robinson", "Thompson", "Wright", "Walker", "White", "Edwards", "Hughes", "Green", "Hall", "Lewis", "Harris",
	"Clarke", "Patel", "Jackson", "Wood", "Turner", "Martin", "Cooper", "Hill", "Ward", "Morris", "Moore", "Clark",
	"Lee", "King", "Baker", "Harrison", "Morgan", "Allen", "James", "Scott", "Phillips", "Watson", "Davis", "Parker",
	"Price", "Bennett", "Young", "Griffiths", "Mitchell", "Kelly", "Cook", "Carter", "Richardson", "Bailey",
	"Collins", "Bell", "Shaw", "Murphy", "Khan", "Ahmed", "Hussain", "Ali", "Begum", "Smyth", "Okafor", "Nowak",
};
static const char *const pre[] = {"Ash", "Black", "Brad", "Chad", "Dun", "Elm", "Fair", "Gold", "Green", "Hart",
                                  "Hol", "Kings", "Lang", "Mar", "New", "Nor", "Oak", "Pen", "Red", "Ros", "Shel",
                                  "South", "Stan", "Thorn", "Up", "Wal", "West", "Whit", "Wood", "Yar"};
static const char *const suf[] = {"worth", "ley", "ford", "ton", "field", "well", "by", "ham", "wick", "combe",
                                  "more", "bury", "stone", "wood", "land", "den", "croft", "hurst", "mere", "gate"};
static const char *const streets[] = {"Acacia Avenue", "High Street", "Station Road", "Church Lane", "Mill Road",
                                      "Park View", "Victoria Street", "Queens Road", "The Green", "Manor Close"};

struct person {
	char fore[24], sur[32], dob[DATE_ISO_LEN], nhs[11], pc[10];
};

static void make_person(struct person *p, int years_from, int years_span)
{
	snprintf(p->fore, sizeof p->fore, "%s", fore[rnd(sizeof fore / sizeof fore[0])]);
	if (rnd(10) < 4)
		snprintf(p->sur, sizeof p->sur, "%s", common[rnd(sizeof common / sizeof common[0])]);
	else
		snprintf(p->sur, sizeof p->sur, "%s%s", pre[rnd(30)], suf[rnd(20)]);
	date_format(date_today() - (int32_t)(years_from * 365 + rnd((unsigned)years_span * 365)), p->dob);
	for (;;) { /* a valid NHS number */
		int sum = 0;
		for (int i = 0; i < 9; i++) {
			p->nhs[i] = (char)('0' + (i == 0 ? 4 + rnd(5) : rnd(10)));
			sum += (p->nhs[i] - '0') * (10 - i);
		}
		int check = 11 - sum % 11;
		if (check == 10)
			continue;
		p->nhs[9] = (char)('0' + (check == 11 ? 0 : check));
		p->nhs[10] = '\0';
		break;
	}
	static const char *const areas[] = {"CM1", "CM2", "CO4", "SS1", "SS9", "IG1", "RM3", "CB11", "E4", "CM23"};
	snprintf(p->pc, sizeof p->pc, "%s %u%c%c", areas[rnd(10)], rnd(10), 'A' + rnd(26), 'A' + rnd(26));
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* A typo: two neighbouring letters swapped, or one dropped, away from the first letter. */
static void typo(const char *in, char *out, size_t cap)
{
	snprintf(out, cap, "%s", in);
	size_t n = strlen(out);
	if (n < 5)
		return;
	size_t i = 1 + rnd((unsigned)(n - 2));
	if (rnd(2)) {
		char t = out[i];
		out[i] = out[i + 1];
		out[i + 1] = t;
	} else {
		memmove(out + i, out + i + 1, n - i);
	}
}

int main(int argc, char **argv)
{
	int people = argc > 1 ? (int)strtol(argv[1], NULL, 10) : 100000;
	int queries = argc > 2 ? (int)strtol(argv[2], NULL, 10) : 400;
	int nchildren = people * 7 / 10;
	char dir[] = "/tmp/sgbench.XXXXXX", path[128];
	if (!mkdtemp(dir))
		return 1;
	snprintf(path, sizeof path, "%s/s.db", dir);
	struct buf err;
	buf_init(&err, 0);
	struct store *st;
	if (store_open(&st, path, NULL, &err) || migrate_up(st, "migrations", NULL, &err)) {
		fprintf(stderr, "bench_search: %s\n", buf_str(&err));
		return 1;
	}
	struct person *kids = calloc((size_t)nchildren, sizeof *kids);
	double t0 = now_s();
	store_begin(st);
	struct store_stmt *ins = store_prepare(
		st, "INSERT INTO children (id, forenames, surname, dob, nhs_number, postcode, address, address_restricted, "
		    "created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'x', 'x')");
	struct store_stmt *per = store_prepare(
		st, "INSERT INTO persons (id, forenames, surname, dob, created_at, updated_at) VALUES ($1, $2, $3, $4, 'x', 'x')");
	struct store_stmt *rel = store_prepare(
		st, "INSERT INTO relationships (id, child_id, person_id, relationship_type, created_at) VALUES ($1, $2, $3, "
		    "'mother', 'x')");
	int adults = 0;
	for (int i = 0; i < nchildren; i++) {
		struct person *p = &kids[i];
		make_person(p, 0, 17);
		char id[32], addr[64];
		snprintf(id, sizeof id, "chd_%016d", i);
		snprintf(addr, sizeof addr, "%u %s", 1 + rnd(120), streets[rnd(10)]);
		store_bind_text(ins, 1, id);
		store_bind_text(ins, 2, p->fore);
		store_bind_text(ins, 3, p->sur);
		store_bind_text(ins, 4, p->dob);
		store_bind_text(ins, 5, p->nhs);
		store_bind_text(ins, 6, p->pc);
		store_bind_text(ins, 7, addr);
		store_bind_int(ins, 8, rnd(50) == 0); /* 2% at a refuge */
		store_step(ins);
		/* Three in seven children have a recorded adult (70,000 children and 30,000 adults in all). */
		if (adults < people - nchildren && rnd(7) < 3) {
			struct person a;
			make_person(&a, 20, 25);
			char pid[32], rid[32];
			snprintf(pid, sizeof pid, "per_%016d", adults);
			snprintf(rid, sizeof rid, "rel_%016d", adults++);
			store_bind_text(per, 1, pid);
			store_bind_text(per, 2, a.fore);
			store_bind_text(per, 3, p->sur);
			store_bind_text(per, 4, a.dob);
			store_step(per);
			store_bind_text(rel, 1, rid);
			store_bind_text(rel, 2, id);
			store_bind_text(rel, 3, pid);
			store_step(rel);
		}
		if (search_index_child(st, id) != STORE_OK) {
			fprintf(stderr, "bench_search: indexing failed: %s\n", store_errmsg(st));
			return 1;
		}
		if (i % 5000 == 4999) {
			store_commit(st);
			store_begin(st);
		}
	}
	store_commit(st);
	double load = now_s() - t0;

	/* The searches: each built from a real child, as a worker would type it. */
	double *ms = calloc((size_t)queries, sizeof *ms);
	int found = 0;
	static const char *const kinds[] = {"typo name", "sound-alike name", "full name", "date of birth", "NHS number",
	                                    "postcode", "surname and date", "surname only"};
	double kind_worst[8] = {0};
	for (int q = 0; q < queries; q++) {
		struct person *p = &kids[rnd((unsigned)nchildren)];
		char text[128], t1[48];
		int kind = q % 8;
		switch (kind) {
		case 0:
			typo(p->sur, t1, sizeof t1);
			snprintf(text, sizeof text, "%s %s", p->fore, t1);
			break;
		case 1:
			snprintf(text, sizeof text, "%s %s", strcmp(p->fore, "Jon") == 0 ? "John" : p->fore,
			         strcmp(p->sur, "Smith") == 0 ? "Smyth" : p->sur);
			break;
		case 2:
			snprintf(text, sizeof text, "%s %s", p->fore, p->sur);
			break;
		case 3:
			snprintf(text, sizeof text, "%.2s/%.2s/%.4s", p->dob + 8, p->dob + 5, p->dob);
			break;
		case 4:
			snprintf(text, sizeof text, "%.3s %.3s %.4s", p->nhs, p->nhs + 3, p->nhs + 6);
			break;
		case 5:
			snprintf(text, sizeof text, "%s", p->pc);
			break;
		case 6:
			snprintf(text, sizeof text, "%s %.2s/%.2s/%.4s", p->sur, p->dob + 8, p->dob + 5, p->dob);
			break;
		default:
			snprintf(text, sizeof text, "%s", p->sur);
			break;
		}
		double s0 = now_s();
		store_begin_read(st);
		json_t *r = search_children(st, text, 50);
		store_rollback(st);
		ms[q] = (now_s() - s0) * 1000;
		if (ms[q] > kind_worst[kind])
			kind_worst[kind] = ms[q];
		found += json_array_size(json_object_get(r, "results")) > 0;
		json_decref(r);
	}
	qsort(ms, (size_t)queries, sizeof *ms, cmp_double);
	double p50 = ms[queries / 2], p95 = ms[(int)(queries * 0.95)], worst = ms[queries - 1];
	printf("load: %d children and %d related adults indexed in %.1f s (%.0f people/s)\n", nchildren, adults, load,
	       (nchildren + adults) / load);
	printf("search: %d queries, %d found something; p50 %.1f ms, p95 %.1f ms, max %.1f ms (target p95 <= 500 ms): "
	       "%s\n",
	       queries, found, p50, p95, worst, p95 <= 500 ? "met" : "NOT MET");
	for (int k = 0; k < 8; k++)
		printf("  worst %-17s %.1f ms\n", kinds[k], kind_worst[k]);
	store_close(st);
	remove(path);
	char side[160];
	snprintf(side, sizeof side, "%s-wal", path);
	remove(side);
	snprintf(side, sizeof side, "%s-shm", path);
	remove(side);
	rmdir(dir);
	free(ms);
	free(kids);
	buf_free(&err);
	return p95 <= 500 ? 0 : 1;
}
