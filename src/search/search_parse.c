/* search_parse: one search box, many kinds of thing typed into it. The query is read as a whole first (an NHS
 * number with spaces, a postcode, a date in words), then word by word, so "Smith 27/3/2019 CM1 1AA" is a name, a
 * date of birth and a postcode. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "core/date.h"
#include "core/id.h"
#include "search/search_internal.h"

#define MAX_RAW 24

static void nhs_notice(json_t *notices, const char *digits)
{
	json_array_append_new(notices, json_sprintf("%.3s %.3s %.4s is not a valid NHS number: its last digit (the "
	                                             "check digit) does not fit the other nine. Check the number; "
	                                             "children recorded with it are still shown.",
	                                             digits, digits + 3, digits + 6));
}

static bool add(struct search_term *terms, int *n, enum search_term_kind kind, const char *text, int32_t day)
{
	if (*n >= SEARCH_MAX_TERMS)
		return false;
	terms[*n].kind = kind;
	snprintf(terms[*n].text, sizeof terms[*n].text, "%.*s", SEARCH_TOKEN_MAX - 1, text ? text : "");
	terms[*n].day = day;
	(*n)++;
	return true;
}

/* The whole query as one thing: an NHS number, a postcode or a date. */
static bool whole(const char *q, struct search_term *terms, int *n, json_t *notices)
{
	char key[11];
	int32_t day;
	enum search_nhs nhs = search_nhs_number(q, key);
	if (nhs != SEARCH_NHS_NONE) {
		if (nhs == SEARCH_NHS_BAD_CHECK)
			nhs_notice(notices, key);
		return add(terms, n, TERM_NHS, key, 0);
	}
	if (search_postcode(q, key))
		return add(terms, n, TERM_POSTCODE, key, 0);
	if (search_date(q, &day))
		return add(terms, n, TERM_DATE, NULL, day);
	return false;
}

static void join(char (*raw)[SEARCH_QUERY_MAX + 1], int from, int count, char *out, size_t cap)
{
	out[0] = '\0';
	size_t len = 0;
	for (int i = from; i < from + count; i++)
		len += (size_t)snprintf(out + len, len < cap ? cap - len : 0, "%s%s", i > from ? " " : "", raw[i]);
}

static bool all_digits(const char *s)
{
	return *s && strspn(s, "0123456789") == strlen(s);
}

/* Tries the raw words from i as one term (three words, then two, then one); returns how many it used. */
static int one_term(char (*raw)[SEARCH_QUERY_MAX + 1], int nraw, int i, struct search_term *terms, int *n,
                    json_t *notices, bool *dropped)
{
	char s[SEARCH_QUERY_MAX + 1], key[11];
	int32_t day;
	for (int len = 3; len >= 2; len--) {
		if (i + len > nraw)
			continue;
		join(raw, i, len, s, sizeof s);
		if (search_date(s, &day))
			return add(terms, n, TERM_DATE, NULL, day) ? len : (*dropped = true, len);
		if (len == 2 && search_postcode(s, key))
			return add(terms, n, TERM_POSTCODE, key, 0) ? len : (*dropped = true, len);
		enum search_nhs nhs = search_nhs_number(s, key);
		if (len == 3 && all_digits(raw[i]) && nhs != SEARCH_NHS_NONE) {
			if (nhs == SEARCH_NHS_BAD_CHECK)
				nhs_notice(notices, key);
			return add(terms, n, TERM_NHS, key, 0) ? len : (*dropped = true, len);
		}
	}
	const char *w = raw[i];
	if (search_date(w, &day))
		return add(terms, n, TERM_DATE, NULL, day) ? 1 : (*dropped = true, 1);
	if (search_postcode(w, key))
		return add(terms, n, TERM_POSTCODE, key, 0) ? 1 : (*dropped = true, 1);
	enum search_nhs nhs = search_nhs_number(w, key);
	if (nhs != SEARCH_NHS_NONE) {
		if (nhs == SEARCH_NHS_BAD_CHECK)
			nhs_notice(notices, key);
		return add(terms, n, TERM_NHS, key, 0) ? 1 : (*dropped = true, 1);
	}
	char lower[SEARCH_QUERY_MAX + 1];
	size_t k = 0;
	for (; w[k] && k < SEARCH_QUERY_MAX; k++)
		lower[k] = (char)tolower((unsigned char)w[k]);
	lower[k] = '\0';
	if (id_valid(lower))
		return add(terms, n, TERM_ID, lower, 0) ? 1 : (*dropped = true, 1);
	if (strpbrk(w, "0123456789") && search_postcode_area(w, key))
		return add(terms, n, TERM_AREA, key, 0) ? 1 : (*dropped = true, 1);
	char toks[8][SEARCH_TOKEN_MAX];
	int nt = search_tokens(w, toks, 8);
	for (int t = 0; t < nt; t++)
		if (!add(terms, n, TERM_WORD, toks[t], 0))
			*dropped = true;
	return 1; /* digits alone (a house number) and punctuation are not looked up */
}

int search_parse(const char *q, struct search_term *terms, json_t *notices)
{
	int n = 0;
	if (!q || !*q || whole(q, terms, &n, notices))
		return n;
	static _Thread_local char raw[MAX_RAW][SEARCH_QUERY_MAX + 1];
	int nraw = 0;
	for (const char *p = q; *p && nraw < MAX_RAW;) {
		while (*p && (isspace((unsigned char)*p) || *p == ','))
			p++;
		size_t len = 0;
		while (p[len] && !isspace((unsigned char)p[len]) && p[len] != ',')
			len++;
		if (!len)
			break;
		snprintf(raw[nraw++], sizeof raw[0], "%.*s", (int)(len < SEARCH_QUERY_MAX ? len : SEARCH_QUERY_MAX), p);
		p += len;
	}
	bool dropped = false;
	for (int i = 0; i < nraw;)
		i += one_term(raw, nraw, i, terms, &n, notices, &dropped);
	if (dropped)
		json_array_append_new(notices, json_sprintf("Only the first %d things searched for were used.",
		                                            SEARCH_MAX_TERMS));
	return n;
}
