/* search: looks each term of a query up through the index tables and ranks the children found (see search.h and
 * docs/internals/search.md). Every term is an indexed lookup; only the typo check reads a range of the name index
 * (the distinct tokens sharing the first letter) and measures edit distance here. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/id.h"
#include "core/xmalloc.h"
#include "search/search_internal.h"

/* How much each kind of match is worth; a child's score is the sum of its best match for each term. */
enum {
	G_EXACT = 100,
	G_SOUNDS = 75,
	G_PREFIX = 70,
	G_TYPO1 = 60,
	G_TYPO2 = 45,
	G_ADDRESS = 40,
	G_DOB = 100,
	G_NHS = 300,
	G_POSTCODE = 120,
	G_AREA = 30,
	G_ID = 400,
};

enum reason {
	R_NAME,
	R_NAME_SOUNDS,
	R_NAME_SPELLED,
	R_ALIAS,
	R_ADULT,
	R_ADDRESS,
	R_DOB,
	R_DOB_CLOSE,
	R_NHS,
	R_POSTCODE,
	R_AREA,
	R_CASE,
	R_CHILD_ID,
};
static const char *const reason_text[] = {
	"name",          "name sounds alike", "name spelled alike", "other name", "related adult's name",
	"address",       "date of birth",     "date of birth close", "NHS number", "postcode",
	"postcode area", "case ID",           "child ID",
};

struct hit {
	char id[ID_MAX];
	unsigned terms;   /* bit t: term t matched */
	unsigned reasons; /* bit r: enum reason r */
	int best[SEARCH_MAX_TERMS];
	int score;
};

/* Children found so far: an open-addressing table keyed by id. */
struct hits {
	struct hit *v;
	size_t cap, n;
};

static size_t hash(const char *s)
{
	size_t h = 1469598103934665603u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211u;
	return h;
}

static struct hit *hit_for(struct hits *h, const char *id)
{
	if ((h->n + 1) * 2 > h->cap) {
		struct hits bigger = {xcalloc(h->cap ? h->cap * 2 : 256, sizeof *h->v), h->cap ? h->cap * 2 : 256, 0};
		for (size_t i = 0; i < h->cap; i++)
			if (h->v[i].id[0])
				*hit_for(&bigger, h->v[i].id) = h->v[i];
		free(h->v);
		*h = bigger;
	}
	size_t i = hash(id) & (h->cap - 1);
	while (h->v[i].id[0] && strcmp(h->v[i].id, id))
		i = (i + 1) & (h->cap - 1);
	if (!h->v[i].id[0]) {
		snprintf(h->v[i].id, sizeof h->v[i].id, "%s", id);
		h->n++;
	}
	return &h->v[i];
}

static void credit(struct hits *h, const char *id, int term, int grade, enum reason r)
{
	if (!id)
		return;
	struct hit *x = hit_for(h, id);
	x->terms |= 1u << term;
	x->reasons |= 1u << r;
	if (grade > x->best[term])
		x->best[term] = grade;
}

/* A name-index row's worth: an adult's name counts for half, an alias a little less than the child's own name. */
static void credit_name(struct hits *h, const char *id, const char *source, int term, int grade, enum reason own)
{
	if (strcmp(source, "adult") == 0)
		credit(h, id, term, grade / 2, R_ADULT);
	else if (strcmp(source, "alias") == 0)
		credit(h, id, term, grade * 9 / 10, R_ALIAS);
	else
		credit(h, id, term, grade, own);
}

/* Runs a one-parameter query whose column 0 is a child id, crediting each row. */
static int lookup_ids(struct store *st, struct hits *h, const char *sql, const char *arg, int term, int grade,
                      enum reason r)
{
	struct store_stmt *s = store_prepare(st, sql);
	if (!s)
		return STORE_ERR;
	store_bind_text(s, 1, arg);
	int rc;
	while ((rc = store_step(s)) == STORE_ROW)
		credit(h, store_col_text(s, 0), term, grade, r);
	return rc < 0 ? rc : STORE_OK;
}

struct near {
	char tok[SEARCH_TOKEN_MAX];
	int grade;
	enum reason reason;
};
#define NEAR_MAX 256
#define IN_CHUNK 16

/* Name tokens that begin with the word (3 letters or more) or are a typo away from it, among the tokens that
 * share its first letter. Returns how many (at most NEAR_MAX) or a negative store code. */
static int near_tokens(struct store *st, const char *w, struct near *out)
{
	size_t len = strlen(w);
	int maxd = search_max_distance(len);
	if (len < 3)
		return 0;
	char lo[SEARCH_TOKEN_MAX], hi[SEARCH_TOKEN_MAX];
	if (maxd > 0) {
		snprintf(lo, sizeof lo, "%c", w[0]);
		snprintf(hi, sizeof hi, "%c", w[0] + 1);
	} else { /* three letters: begins-with only */
		snprintf(lo, sizeof lo, "%s", w);
		snprintf(hi, sizeof hi, "%.*s%c", (int)len - 1, w, w[len - 1] + 1);
	}
	struct store_stmt *s =
		store_prepare(st, "SELECT DISTINCT token FROM search_names WHERE token >= $1 AND token < $2");
	if (!s)
		return STORE_ERR;
	store_bind_text(s, 1, lo);
	store_bind_text(s, 2, hi);
	int n = 0, rc;
	while ((rc = store_step(s)) == STORE_ROW && n < NEAR_MAX) {
		const char *t = store_col_text(s, 0);
		size_t tl = strlen(t);
		if (strcmp(t, w) == 0)
			continue; /* exact matches come from the token index */
		int grade = 0;
		enum reason r = R_NAME;
		if (strncmp(t, w, len) == 0) {
			grade = G_PREFIX;
		} else if (maxd > 0 && (tl > len ? tl - len : len - tl) <= (size_t)maxd) {
			int d = search_distance(w, t);
			if (d <= maxd) {
				grade = d == 1 ? G_TYPO1 : G_TYPO2;
				r = R_NAME_SPELLED;
			}
		}
		if (!grade)
			continue;
		snprintf(out[n].tok, sizeof out[n].tok, "%s", t);
		out[n].grade = grade;
		out[n++].reason = r;
	}
	store_reset(s);
	return rc < 0 ? rc : n;
}

/* One word: the child's names, aliases and related adults' names (exactly, by sound, by a typo or as the start of
 * a name), and address words (exactly, or as the start of one). adults: also related adults' names and address
 * words (false for the duplicate check, which compares the child's own names only). */
static int lookup_word(struct store *st, struct hits *h, int term, const char *w, bool adults)
{
	char ph[SEARCH_PHONETIC_MAX];
	search_phonetic(w, ph);
	struct store_stmt *s = store_prepare(
		st, "SELECT child_id, source, token FROM search_names WHERE token = $1 OR phonetic = $2");
	if (!s)
		return STORE_ERR;
	store_bind_text(s, 1, w);
	store_bind_text(s, 2, ph[0] ? ph : NULL);
	int rc;
	while ((rc = store_step(s)) == STORE_ROW) {
		const char *src = store_col_text(s, 1);
		if (!adults && strcmp(src, "adult") == 0)
			continue;
		bool exact = strcmp(store_col_text(s, 2), w) == 0;
		credit_name(h, store_col_text(s, 0), src, term, exact ? G_EXACT : G_SOUNDS, exact ? R_NAME : R_NAME_SOUNDS);
	}
	if (rc < 0)
		return rc;
	static _Thread_local struct near near[NEAR_MAX];
	int nn = near_tokens(st, w, near);
	if (nn < 0)
		return nn;
	/* Fetch the children of the near tokens IN_CHUNK at a time (one statement text, unused places NULL). */
	struct store_stmt *in = store_prepare(st, "SELECT child_id, source, token FROM search_names WHERE token IN "
	                                          "($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)");
	if (!in)
		return STORE_ERR;
	for (int base = 0; base < nn; base += IN_CHUNK) {
		for (int k = 0; k < IN_CHUNK; k++)
			store_bind_text(in, k + 1, base + k < nn ? near[base + k].tok : NULL);
		while ((rc = store_step(in)) == STORE_ROW) {
			const char *src = store_col_text(in, 1), *tok = store_col_text(in, 2);
			if (!adults && strcmp(src, "adult") == 0)
				continue;
			for (int k = base; k < nn && k < base + IN_CHUNK; k++)
				if (strcmp(near[k].tok, tok) == 0)
					credit_name(h, store_col_text(in, 0), src, term, near[k].grade, near[k].reason);
		}
		if (rc < 0)
			return rc;
	}
	if (!adults)
		return STORE_OK;
	/* Address words: exact, or begins-with from three letters (the range [w, w + 1) holds every word that starts
	 * with w; [w, w "\x01") only w itself, as words are letters). */
	size_t len = strlen(w);
	char hi[SEARCH_TOKEN_MAX + 1];
	if (len >= 3)
		snprintf(hi, sizeof hi, "%.*s%c", (int)len - 1, w, w[len - 1] + 1);
	else
		snprintf(hi, sizeof hi, "%s\x01", w);
	struct store_stmt *a = store_prepare(
		st, "SELECT child_id FROM search_keys WHERE kind = 'address' AND key >= $1 AND key < $2");
	if (!a)
		return STORE_ERR;
	store_bind_text(a, 1, w);
	store_bind_text(a, 2, hi);
	while ((rc = store_step(a)) == STORE_ROW)
		credit(h, store_col_text(a, 0), term, G_ADDRESS, R_ADDRESS);
	return rc < 0 ? rc : STORE_OK;
}

static int lookup_term(struct store *st, struct hits *h, int t, const struct search_term *term)
{
	switch (term->kind) {
	case TERM_WORD:
		return lookup_word(st, h, t, term->text, true);
	case TERM_DATE: {
		char iso[DATE_ISO_LEN];
		date_format(term->day, iso);
		return lookup_ids(st, h, "SELECT id FROM children WHERE dob = $1", iso, t, G_DOB, R_DOB);
	}
	case TERM_NHS:
		return lookup_ids(st, h, "SELECT child_id FROM search_keys WHERE kind = 'nhs' AND key = $1", term->text, t,
		                  G_NHS, R_NHS);
	case TERM_POSTCODE:
		return lookup_ids(st, h, "SELECT child_id FROM search_keys WHERE kind = 'postcode' AND key = $1",
		                  term->text, t, G_POSTCODE, R_POSTCODE);
	case TERM_AREA:
		return lookup_ids(st, h, "SELECT child_id FROM search_keys WHERE kind = 'area' AND key = $1", term->text, t,
		                  G_AREA, R_AREA);
	case TERM_ID: {
		int rc = lookup_ids(st, h, "SELECT child_id FROM cases WHERE id = $1", term->text, t, G_ID, R_CASE);
		return rc < 0 ? rc : lookup_ids(st, h, "SELECT id FROM children WHERE id = $1", term->text, t, G_ID, R_CHILD_ID);
	}
	}
	return STORE_ERR;
}

static int popcount(unsigned x)
{
	int n = 0;
	for (; x; x &= x - 1)
		n++;
	return n;
}

static int by_rank(const void *a, const void *b)
{
	const struct hit *x = *(const struct hit *const *)a, *y = *(const struct hit *const *)b;
	int px = popcount(x->terms), py = popcount(y->terms);
	if (px != py)
		return py - px;
	if (x->score != y->score)
		return y->score - x->score;
	return strcmp(x->id, y->id);
}

/* The child's identifying details (never an address) with the reasons, or NULL when the child is gone. */
static json_t *result_row(struct store *st, const struct hit *x, bool partial)
{
	struct store_stmt *s = store_prepare(
		st, "SELECT id, forenames, surname, dob, is_unborn, edd, cp_plan_status FROM children WHERE id = $1");
	if (!s)
		return NULL;
	store_bind_text(s, 1, x->id);
	if (store_step(s) != STORE_ROW) {
		store_reset(s);
		return NULL;
	}
	json_t *reasons = json_array();
	for (size_t r = 0; r < sizeof reason_text / sizeof reason_text[0]; r++)
		if (x->reasons & (1u << r))
			json_array_append_new(reasons, json_string(reason_text[r]));
	json_t *row = json_pack("{s:s, s:s, s:s, s:s?, s:b, s:s?, s:s, s:o, s:i, s:b}", "id", store_col_text(s, 0),
	                        "forenames", store_col_text(s, 1), "surname", store_col_text(s, 2), "dob",
	                        store_col_text(s, 3), "is_unborn", (int)store_col_int(s, 4), "edd", store_col_text(s, 5),
	                        "cp_plan_status", store_col_text(s, 6), "match_reasons", reasons, "score", x->score,
	                        "partial", partial);
	store_reset(s);
	return row;
}

static int by_shown(const void *a, const void *b)
{
	json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
	int sx = (int)json_integer_value(json_object_get(x, "score")), sy = (int)json_integer_value(json_object_get(y, "score"));
	if (sx != sy)
		return sy - sx;
	int c = strcmp(json_string_value(json_object_get(x, "surname")), json_string_value(json_object_get(y, "surname")));
	return c ? c : strcmp(json_string_value(json_object_get(x, "forenames")),
	                      json_string_value(json_object_get(y, "forenames")));
}

/* Ranks the hits: those matching every term (all bits of want) first; with none of those, the best partial
 * matches. Keeps those keep() accepts (NULL: all). Returns the result rows (at most limit). */
static json_t *ranked(struct store *st, struct hits *h, unsigned want, int limit, bool *partial_out,
                      bool (*keep)(struct store *, struct hit *, const void *), const void *arg)
{
	struct hit **order = xmalloc((h->n ? h->n : 1) * sizeof *order);
	size_t n = 0, full = 0;
	for (size_t i = 0; i < h->cap; i++) {
		struct hit *x = &h->v[i];
		if (!x->id[0])
			continue;
		if (keep && !keep(st, x, arg))
			continue;
		x->score = 0;
		for (int t = 0; t < SEARCH_MAX_TERMS; t++)
			x->score += x->best[t];
		order[n++] = x;
		full += (x->terms & want) == want;
	}
	qsort(order, n, sizeof *order, by_rank);
	bool partial = full == 0 && n > 0;
	size_t take = partial ? n : full;
	json_t *rows = json_array();
	for (size_t i = 0; i < take && (int)json_array_size(rows) < limit; i++) {
		json_t *row = result_row(st, order[i], partial);
		if (row)
			json_array_append_new(rows, row);
	}
	free(order);
	/* Within what is shown, equal scores read alphabetically. */
	size_t m = json_array_size(rows);
	json_t **v = xmalloc((m ? m : 1) * sizeof *v);
	for (size_t i = 0; i < m; i++)
		v[i] = json_incref(json_array_get(rows, i));
	qsort(v, m, sizeof *v, by_shown);
	json_array_clear(rows);
	for (size_t i = 0; i < m; i++)
		json_array_append_new(rows, v[i]);
	free(v);
	if (partial_out)
		*partial_out = partial;
	return rows;
}

json_t *search_children(struct store *st, const char *q, int limit)
{
	json_t *notices = json_array();
	struct search_term terms[SEARCH_MAX_TERMS];
	int n = search_parse(q, terms, notices);
	if (n == 0) {
		json_array_append_new(notices, json_string("Nothing in the search could be looked up. Search by name, "
		                                           "date of birth, NHS number, postcode or case ID."));
		return json_pack("{s:[], s:o}", "results", "notices", notices);
	}
	struct hits h = {0};
	int rc = STORE_OK;
	for (int t = 0; t < n && rc == STORE_OK; t++)
		rc = lookup_term(st, &h, t, &terms[t]);
	bool partial = false;
	json_t *rows = rc == STORE_OK ? ranked(st, &h, (1u << n) - 1, limit, &partial, NULL, NULL) : json_array();
	free(h.v);
	if (rc != STORE_OK)
		json_array_append_new(notices, json_string("The search could not be completed. Try again."));
	else if (partial)
		json_array_append_new(notices, json_string("No child matches everything searched for. These children "
		                                           "match part of it."));
	return json_pack("{s:o, s:o}", "results", rows, "notices", notices);
}

/* ---- duplicates ---- */

struct dup_want {
	int32_t day; /* the new child's date of birth, or expected date of delivery */
	bool has_day;
	unsigned fore_bits, sur_bits, nhs_bit; /* which terms are forename words, surname words, the NHS number */
};

/* Close dates of birth: within a month, day and month swapped, or one digit of the year different. */
static bool close_dates(int32_t a, int32_t b, bool *same)
{
	*same = a == b;
	if (abs(a - b) <= 31)
		return true;
	int ya, ma, da, yb, mb, db;
	date_to_ymd(a, &ya, &ma, &da);
	date_to_ymd(b, &yb, &mb, &db);
	if (ya == yb && ma == db && da == mb)
		return true;
	if (ma == mb && da == db) {
		int diff = 0;
		for (int y1 = ya, y2 = yb; y1 || y2; y1 /= 10, y2 /= 10)
			diff += y1 % 10 != y2 % 10;
		return diff == 1;
	}
	return false;
}

static bool dup_keep(struct store *st, struct hit *x, const void *arg)
{
	const struct dup_want *want = arg;
	bool nhs = x->terms & want->nhs_bit;
	/* A name match needs a surname word and (unless unborn) a forename word; the NHS number alone is enough. */
	bool named = (x->terms & want->sur_bits) && (!want->fore_bits || (x->terms & want->fore_bits));
	if (!nhs && (!named || !want->has_day))
		return false;
	if (!want->has_day)
		return true;
	struct store_stmt *s = store_prepare(st, "SELECT COALESCE(dob, edd) FROM children WHERE id = $1");
	if (!s)
		return false;
	store_bind_text(s, 1, x->id);
	int32_t day;
	bool ok = store_step(s) == STORE_ROW && store_col_text(s, 0) && date_parse(store_col_text(s, 0), &day) == 0;
	store_reset(s);
	bool same = false;
	if (!ok || !close_dates(want->day, day, &same))
		return nhs;
	x->reasons |= 1u << (same ? R_DOB : R_DOB_CLOSE);
	x->best[SEARCH_MAX_TERMS - 1] += same ? G_DOB : G_DOB / 2;
	return true;
}

json_t *search_duplicates(struct store *st, const struct search_new_child *c, int limit)
{
	struct hits h = {0};
	char fore[4][SEARCH_TOKEN_MAX], sur[4][SEARCH_TOKEN_MAX];
	int nf = search_tokens(c->forenames, fore, 4), ns = search_tokens(c->surname, sur, 4);
	if (nf == 1 && strcmp(fore[0], "unborn") == 0)
		nf = 0; /* the convention for an unborn child's forename: the surname and date decide */
	/* Terms: forename words, then surname words (at most 3 each), then the NHS number. */
	unsigned fbits = 0, sbits = 0, nbit = 0;
	int t = 0, rc = STORE_OK;
	for (int i = 0; i < nf && i < 3 && rc == STORE_OK; i++, t++) {
		fbits |= 1u << t;
		rc = lookup_word(st, &h, t, fore[i], false);
	}
	for (int i = 0; i < ns && i < 3 && rc == STORE_OK; i++, t++) {
		sbits |= 1u << t;
		rc = lookup_word(st, &h, t, sur[i], false);
	}
	char digits[11];
	if (rc == STORE_OK && c->nhs_number && search_nhs_number(c->nhs_number, digits) != SEARCH_NHS_NONE) {
		nbit = 1u << t;
		rc = lookup_ids(st, &h, "SELECT child_id FROM search_keys WHERE kind = 'nhs' AND key = $1", digits, t++,
		                G_NHS, R_NHS);
	}
	struct dup_want want = {.fore_bits = fbits, .sur_bits = sbits, .nhs_bit = nbit};
	const char *d = c->dob ? c->dob : c->edd;
	want.has_day = d && date_parse(d, &want.day) == 0;
	json_t *rows = rc == STORE_OK ? ranked(st, &h, 0, limit, NULL, dup_keep, &want) : json_array();
	free(h.v);
	return rows;
}
