/* search_index: keeps search_names and search_keys (migrations/0013_search.sql) in step with the records. Each
 * child's rows are rewritten whole from the source tables, so the index can never drift from them inside one
 * transaction. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/xmalloc.h"

#include "search/search.h"

/* Bump when search_tokens, search_phonetic or what is indexed changes: start-up then rebuilds the index. */
#define SEARCH_INDEX_VERSION 1
#define MAX_TOKENS 32

struct names {
	char tok[3 * MAX_TOKENS][SEARCH_TOKEN_MAX];
	const char *src[3 * MAX_TOKENS];
	int n;
};

static void names_add(struct names *nm, const char *source, const char *text)
{
	char toks[MAX_TOKENS][SEARCH_TOKEN_MAX];
	int n = search_tokens(text, toks, MAX_TOKENS);
	for (int i = 0; i < n && nm->n < 3 * MAX_TOKENS; i++) {
		bool dup = false;
		for (int j = 0; j < nm->n && !dup; j++)
			dup = strcmp(nm->src[j], source) == 0 && strcmp(nm->tok[j], toks[i]) == 0;
		if (dup)
			continue;
		memcpy(nm->tok[nm->n], toks[i], SEARCH_TOKEN_MAX);
		nm->src[nm->n++] = source;
	}
}

static int write_names(struct store *st, const char *child_id, const struct names *nm)
{
	struct store_stmt *s = store_prepare(
		st, "INSERT INTO search_names (child_id, source, token, phonetic) VALUES ($1, $2, $3, $4)");
	if (!s)
		return STORE_ERR;
	for (int i = 0; i < nm->n; i++) {
		char ph[SEARCH_PHONETIC_MAX];
		search_phonetic(nm->tok[i], ph);
		store_bind_text(s, 1, child_id);
		store_bind_text(s, 2, nm->src[i]);
		store_bind_text(s, 3, nm->tok[i]);
		store_bind_text(s, 4, ph);
		int rc = store_step(s);
		if (rc != STORE_DONE)
			return rc;
	}
	return STORE_OK;
}

static int write_key(struct store *st, const char *child_id, const char *kind, const char *key)
{
	struct store_stmt *s = store_prepare(st, "INSERT INTO search_keys (child_id, kind, key) VALUES ($1, $2, $3)");
	if (!s)
		return STORE_ERR;
	store_bind_text(s, 1, child_id);
	store_bind_text(s, 2, kind);
	store_bind_text(s, 3, key);
	int rc = store_step(s);
	return rc == STORE_DONE ? STORE_OK : rc;
}

static int exec1(struct store *st, const char *sql, const char *arg)
{
	struct store_stmt *s = store_prepare(st, sql);
	if (!s)
		return STORE_ERR;
	store_bind_text(s, 1, arg);
	int rc = store_step(s);
	return rc == STORE_DONE ? STORE_OK : rc;
}

/* NHS number, postcode, outward code and address words, unless the address is restricted. */
static int write_keys(struct store *st, const char *child_id, const char *nhs, const char *address,
                      const char *postcode, bool restricted)
{
	char digits[11], pc[8];
	int rc = STORE_OK;
	if (nhs && search_nhs_number(nhs, digits) != SEARCH_NHS_NONE)
		rc = write_key(st, child_id, "nhs", digits);
	if (restricted || rc != STORE_OK)
		return rc;
	if (postcode && search_postcode(postcode, pc)) {
		rc = write_key(st, child_id, "postcode", pc);
		size_t out = strlen(pc) - 3;
		pc[out] = '\0';
		if (rc == STORE_OK)
			rc = write_key(st, child_id, "area", pc);
	}
	char toks[MAX_TOKENS][SEARCH_TOKEN_MAX];
	int n = address ? search_tokens(address, toks, MAX_TOKENS) : 0;
	for (int i = 0; i < n && rc == STORE_OK; i++) {
		bool dup = false;
		for (int j = 0; j < i && !dup; j++)
			dup = strcmp(toks[i], toks[j]) == 0;
		if (!dup && strlen(toks[i]) > 1)
			rc = write_key(st, child_id, "address", toks[i]);
	}
	return rc;
}

int search_index_child(struct store *st, const char *child_id)
{
	int rc = exec1(st, "DELETE FROM search_names WHERE child_id = $1", child_id);
	if (rc == STORE_OK)
		rc = exec1(st, "DELETE FROM search_keys WHERE child_id = $1", child_id);
	if (rc != STORE_OK)
		return rc;
	struct store_stmt *s = store_prepare(st, "SELECT forenames, surname, aliases, nhs_number, address, postcode, "
	                                         "address_restricted FROM children WHERE id = $1");
	if (!s)
		return STORE_ERR;
	store_bind_text(s, 1, child_id);
	rc = store_step(s);
	if (rc != STORE_ROW)
		return rc == STORE_DONE ? STORE_OK : rc;
	static _Thread_local struct names nm; /* 9 KB: kept off the stack of the server's worker threads */
	nm.n = 0;
	names_add(&nm, "name", store_col_text(s, 0));
	names_add(&nm, "name", store_col_text(s, 1));
	names_add(&nm, "alias", store_col_text(s, 2));
	char nhs[16] = "", address[512] = "", postcode[16] = "";
	if (store_col_text(s, 3))
		snprintf(nhs, sizeof nhs, "%s", store_col_text(s, 3));
	if (store_col_text(s, 4))
		snprintf(address, sizeof address, "%s", store_col_text(s, 4));
	if (store_col_text(s, 5))
		snprintf(postcode, sizeof postcode, "%s", store_col_text(s, 5));
	bool restricted = store_col_int(s, 6) != 0;
	store_reset(s);
	struct store_stmt *a = store_prepare(st, "SELECT p.forenames, p.surname, p.aliases FROM relationships r "
	                                         "JOIN persons p ON p.id = r.person_id WHERE r.child_id = $1");
	if (!a)
		return STORE_ERR;
	store_bind_text(a, 1, child_id);
	while ((rc = store_step(a)) == STORE_ROW) {
		names_add(&nm, "adult", store_col_text(a, 0));
		names_add(&nm, "adult", store_col_text(a, 1));
		names_add(&nm, "adult", store_col_text(a, 2));
	}
	if (rc != STORE_DONE)
		return rc;
	rc = write_names(st, child_id, &nm);
	if (rc == STORE_OK)
		rc = write_keys(st, child_id, nhs[0] ? nhs : NULL, address, postcode[0] ? postcode : NULL, restricted);
	return rc;
}

typedef char child_id_t[40];

/* Reads column 0 of every row of a statement (one optional text parameter) into *out (xmalloc'ed). Collected
 * first because indexing runs other statements, and this one must not be stepped across them. Returns the count
 * or a negative store code. */
static int collect_ids(struct store *st, const char *sql, const char *arg, child_id_t **out)
{
	*out = NULL;
	struct store_stmt *s = store_prepare(st, sql);
	if (!s)
		return STORE_ERR;
	if (arg)
		store_bind_text(s, 1, arg);
	size_t n = 0, cap = 0;
	int rc;
	while ((rc = store_step(s)) == STORE_ROW) {
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			*out = xrealloc(*out, cap * sizeof **out);
		}
		snprintf((*out)[n++], sizeof **out, "%s", store_col_text(s, 0));
	}
	store_reset(s);
	if (rc < 0) {
		free(*out);
		*out = NULL;
		return rc;
	}
	return (int)n;
}

/* Re-indexes each child a query lists. */
static int index_each(struct store *st, const char *sql, const char *arg, int *count)
{
	child_id_t *ids;
	int n = collect_ids(st, sql, arg, &ids), rc = n < 0 ? n : STORE_OK;
	for (int i = 0; i < n && rc == STORE_OK; i++)
		rc = search_index_child(st, ids[i]);
	free(ids);
	if (count)
		*count = n < 0 ? 0 : n;
	return rc;
}

int search_index_person(struct store *st, const char *person_id)
{
	return index_each(st, "SELECT DISTINCT child_id FROM relationships WHERE person_id = $1", person_id, NULL);
}

int search_index_relationship(struct store *st, const char *relationship_id)
{
	return index_each(st, "SELECT child_id FROM relationships WHERE id = $1", relationship_id, NULL);
}

int search_index_refresh(struct store *st, int *rebuilt)
{
	if (rebuilt)
		*rebuilt = 0;
	struct store_stmt *v = store_prepare(st, "SELECT COUNT(*) FROM search_index_state WHERE version = $1");
	if (!v)
		return STORE_ERR;
	store_bind_int(v, 1, SEARCH_INDEX_VERSION);
	int rc = store_step(v);
	bool current = rc == STORE_ROW && store_col_int(v, 0) == 1;
	store_reset(v);
	if (rc < 0)
		return rc;
	if (current)
		return STORE_OK;
	if ((rc = store_begin(st)) != STORE_OK)
		return rc;
	rc = store_exec(st, "DELETE FROM search_names; DELETE FROM search_keys");
	if (rc == STORE_OK)
		rc = index_each(st, "SELECT id FROM children ORDER BY id", NULL, rebuilt);
	struct store_stmt *u = rc == STORE_OK ? store_prepare(st, "UPDATE search_index_state SET version = $1") : NULL;
	if (u) {
		store_bind_int(u, 1, SEARCH_INDEX_VERSION);
		rc = store_step(u) == STORE_DONE ? STORE_OK : STORE_ERR;
	} else if (rc == STORE_OK) {
		rc = STORE_ERR;
	}
	if (rc != STORE_OK) {
		store_rollback(st);
		if (rebuilt)
			*rebuilt = 0;
		return rc;
	}
	return store_commit(st);
}
