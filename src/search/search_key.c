/* search_key: the pure functions behind search (see search.h). Nothing here touches the database. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "core/date.h"
#include "search/search.h"

/* Base letters for U+00C0..U+00FF and U+0100..U+017F ('_' = not a letter). Ligatures and sharp s fold to their
 * first letter: close enough for a search key, and the edit distance covers the rest. */
static const char latin1[] = "aaaaaaaceeeeiiiidnooooo_ouuuuytsaaaaaaaceeeeiiiidnooooo_ouuuuyty";
static const char latin_ext_a[] = "aaaaaaccccccccddddeeeeeeeeeegggggggghhhhiiiiiiiiiiiijjkkklllllll"
                                  "lllnnnnnnnnnoooooooorrrrrrssssssssttttttuuuuuuuuuuuuwwyyyzzzzzzs";

/* Reads one character of UTF-8 text at *p and returns its folded lower-case ASCII letter, 0 for a character that
 * is dropped inside a word (an apostrophe), or -1 for a separator. Advances *p past the character. */
static int fold_next(const char **p)
{
	const unsigned char *s = (const unsigned char *)*p;
	if (s[0] < 0x80) {
		(*p)++;
		if (isalpha(s[0]))
			return tolower(s[0]);
		return s[0] == '\'' ? 0 : -1;
	}
	size_t len = (s[0] & 0xE0) == 0xC0 ? 2 : (s[0] & 0xF0) == 0xE0 ? 3 : (s[0] & 0xF8) == 0xF0 ? 4 : 1;
	for (size_t i = 1; i < len; i++)
		if ((s[i] & 0xC0) != 0x80) {
			len = i; /* broken UTF-8: skip what was read */
			break;
		}
	*p += len;
	if (len == 3 && s[0] == 0xE2 && s[1] == 0x80 && (s[2] == 0x98 || s[2] == 0x99))
		return 0; /* a typographic apostrophe */
	if (len != 2)
		return -1;
	unsigned cp = ((unsigned)(s[0] & 0x1F) << 6) | (s[1] & 0x3F);
	char c = cp >= 0xC0 && cp <= 0xFF ? latin1[cp - 0xC0] : cp >= 0x100 && cp <= 0x17F ? latin_ext_a[cp - 0x100] : '_';
	return c == '_' ? -1 : c;
}

int search_tokens(const char *text, char (*out)[SEARCH_TOKEN_MAX], int max)
{
	int n = 0;
	size_t len = 0;
	const char *p = text ? text : "";
	while (n < max) {
		int c = *p ? fold_next(&p) : -1;
		if (c > 0 && len + 1 < SEARCH_TOKEN_MAX)
			out[n][len++] = (char)c;
		if (c < 0 && len) {
			out[n++][len] = '\0';
			len = 0;
		}
		if (!*p && !len)
			break;
	}
	return n;
}

static bool vowel(char c)
{
	return c && strchr("aeiouy", c) != NULL;
}

static bool soft(char c) /* e, i, y soften c and g */
{
	return c == 'e' || c == 'i' || c == 'y';
}

/* The sound of s[i] (with what follows) as one code letter, or 0 for silence; *skip says how many further letters
 * the sound used. Upper case codes stand for sounds English spells with two letters (X = sh, A = a leading vowel). */
static char sound(const char *s, size_t i, size_t *skip)
{
	char c = s[i], nx = s[i + 1], pv = i ? s[i - 1] : 0;
	*skip = 0;
	if (c == 'y' && !(i == 0 && vowel(nx)))
		return i == 0 ? 'A' : 0;
	if (c != 'y' && vowel(c))
		return i == 0 ? 'A' : 0;
	switch (c) {
	case 'c':
		if (nx == 'h') {
			*skip = 1;
			return s[i + 2] == 'r' || s[i + 2] == 'l' ? 'k' : 'X'; /* Christopher, Chloe; Charlotte, Rachel */
		}
		if (nx == 'k' || nx == 'q')
			return *skip = 1, 'k';
		return soft(nx) ? 's' : 'k';
	case 'd':
		if (nx == 'g' && soft(s[i + 2]))
			return *skip = 1, 'j';
		return 't';
	case 'g':
		if (nx == 'h') {
			*skip = 1;
			return i == 0 ? 'k' : 0; /* Hugh, Leigh, Vaughan */
		}
		if (nx == 'n' && !s[i + 2])
			return 0;
		return soft(nx) ? 'j' : 'k';
	case 'h':
		return (i == 0 || vowel(pv)) && vowel(nx) ? 'h' : 0;
	case 'p':
		if (nx == 'h')
			return *skip = 1, 'f';
		return 'p';
	case 'q':
		return 'k';
	case 's':
		if (nx == 'h')
			return *skip = 1, 'X';
		if (nx == 'c' && s[i + 2] == 'h')
			return *skip = 2, 's';
		return 's';
	case 't':
		if (nx == 'h')
			return *skip = 1, 't';
		if (nx == 'c' && s[i + 2] == 'h')
			return 0;
		if (nx == 'i' && (s[i + 2] == 'o' || s[i + 2] == 'a'))
			return 'X';
		return 't';
	case 'v':
		return 'f';
	case 'w': /* sounded only before a vowel and not after one: Lewis and Louis, Howard */
		return vowel(nx) && !vowel(pv) ? 'w' : 0;
	case 'x':
		return 'S'; /* ks */
	case 'z':
		return 's';
	default:
		return c;
	}
}

void search_phonetic(const char *token, char out[SEARCH_PHONETIC_MAX])
{
	const char *s = token;
	char buf[SEARCH_TOKEN_MAX + 2];
	/* Silent or simplified beginnings: Knight, Gnome, Psaila, Wright, Whitney, Xavier, Schmidt, MacDonald. */
	if (!strncmp(s, "kn", 2) || !strncmp(s, "gn", 2) || !strncmp(s, "pn", 2) || !strncmp(s, "wr", 2) ||
	    !strncmp(s, "ps", 2))
		s++;
	if (!strncmp(s, "wh", 2)) {
		snprintf(buf, sizeof buf, "w%s", s + 2);
		s = buf;
	} else if (s[0] == 'x') {
		snprintf(buf, sizeof buf, "s%s", s + 1);
		s = buf;
	} else if (!strncmp(s, "sch", 3)) {
		snprintf(buf, sizeof buf, "s%s", s + 3);
		s = buf;
	} else if (!strncmp(s, "mac", 3)) {
		snprintf(buf, sizeof buf, "mc%s", s + 3);
		s = buf;
	}
	size_t n = 0;
	char last = 0;
	for (size_t i = 0; s[i] && n + 1 < SEARCH_PHONETIC_MAX; i++) {
		size_t skip;
		char code = sound(s, i, &skip);
		i += skip;
		if (!code) {
			last = 0; /* only neighbouring sounds merge: Hannah has one n, Nanette two */
			continue;
		}
		if (code == 'S') { /* x sounds ks */
			if (last != 'k' && n + 2 < SEARCH_PHONETIC_MAX)
				out[n++] = 'k';
			code = 's';
		}
		if (code != last)
			out[n++] = code;
		last = code;
	}
	out[n] = '\0';
}

int search_distance(const char *a, const char *b)
{
	enum { M = SEARCH_TOKEN_MAX };
	size_t la = strnlen(a, M - 1), lb = strnlen(b, M - 1);
	/* Three rows are enough for the optimal-string-alignment recurrence. */
	int rows[3][M];
	int *pp = rows[0], *prev = rows[1], *cur = rows[2];
	for (size_t j = 0; j <= lb; j++)
		prev[j] = (int)j;
	for (size_t i = 1; i <= la; i++) {
		cur[0] = (int)i;
		for (size_t j = 1; j <= lb; j++) {
			int cost = a[i - 1] != b[j - 1];
			int v = prev[j] + 1;
			if (cur[j - 1] + 1 < v)
				v = cur[j - 1] + 1;
			if (prev[j - 1] + cost < v)
				v = prev[j - 1] + cost;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && pp[j - 2] + 1 < v)
				v = pp[j - 2] + 1;
			cur[j] = v;
		}
		int *t = pp;
		pp = prev;
		prev = cur;
		cur = t;
	}
	return prev[lb];
}

int search_max_distance(size_t len)
{
	return len <= 3 ? 0 : len <= 7 ? 1 : 2;
}

enum search_nhs search_nhs_number(const char *in, char out[11])
{
	size_t n = 0;
	for (const char *p = in; *p; p++) {
		if (*p == ' ' || *p == '-')
			continue;
		if (!isdigit((unsigned char)*p) || n == 10)
			return SEARCH_NHS_NONE;
		out[n++] = *p;
	}
	if (n != 10)
		return SEARCH_NHS_NONE;
	out[10] = '\0';
	/* Modulus 11: weights 10 down to 2 on the first nine digits; 11 minus the remainder is the check digit (11
	 * means 0; 10 means the number can never be valid). */
	int sum = 0;
	for (int i = 0; i < 9; i++)
		sum += (out[i] - '0') * (10 - i);
	int check = 11 - sum % 11;
	if (check == 11)
		check = 0;
	return check != 10 && check == out[9] - '0' ? SEARCH_NHS_VALID : SEARCH_NHS_BAD_CHECK;
}

/* Upper case without spaces into out (cap bytes); false when it does not fit or holds other than letters and
 * digits. */
static bool squash_alnum(const char *in, char *out, size_t cap)
{
	size_t n = 0;
	for (; *in; in++) {
		if (*in == ' ')
			continue;
		if (!isalnum((unsigned char)*in) || n + 1 >= cap)
			return false;
		out[n++] = (char)toupper((unsigned char)*in);
	}
	out[n] = '\0';
	return n > 0;
}

/* Matches an outward code (A9, A99, AA9, AA99, A9A, AA9A) at the start of s; returns its length or 0. */
static size_t outward_len(const char *s, size_t n)
{
	size_t i = 0;
	while (i < n && i < 2 && isalpha((unsigned char)s[i]))
		i++;
	if (i == 0 || i >= n || !isdigit((unsigned char)s[i]))
		return 0;
	i++;
	if (i < n && isalnum((unsigned char)s[i]))
		i++;
	return i;
}

bool search_postcode(const char *in, char out[8])
{
	char s[16];
	if (!squash_alnum(in, s, sizeof s))
		return false;
	size_t n = strlen(s);
	if (n < 5 || n > 7)
		return false;
	/* The inward code is always digit, letter, letter; the rest must be a whole outward code. */
	const char *inward = s + n - 3;
	if (!isdigit((unsigned char)inward[0]) || !isalpha((unsigned char)inward[1]) || !isalpha((unsigned char)inward[2]))
		return false;
	if (outward_len(s, n - 3) != n - 3)
		return false;
	memcpy(out, s, n + 1);
	return true;
}

bool search_postcode_area(const char *in, char out[8])
{
	char s[16];
	if (!squash_alnum(in, s, sizeof s))
		return false;
	size_t n = strlen(s);
	if (n < 2 || n > 4 || outward_len(s, n) != n)
		return false;
	memcpy(out, s, n + 1);
	return true;
}

static int month_from_name(const char *w)
{
	static const char *const names[] = {"january", "february", "march",     "april",   "may",      "june",
	                                    "july",    "august",   "september", "october", "november", "december"};
	size_t n = strlen(w);
	if (n < 3)
		return 0;
	for (int m = 0; m < 12; m++)
		if (strncmp(names[m], w, n) == 0)
			return m + 1;
	return 0;
}

static int full_year(int y, int digits)
{
	if (digits == 4)
		return y;
	int ty, tm, td;
	date_to_ymd(date_today(), &ty, &tm, &td);
	return 2000 + y <= ty ? 2000 + y : 1900 + y;
}

static bool ymd_out(int y, int m, int d, int32_t *day)
{
	if (y < 1900 || y > 2199 || !date_valid_ymd(y, m, d))
		return false;
	*day = date_from_ymd(y, m, d);
	return true;
}

bool search_date(const char *in, int32_t *day)
{
	if (date_parse(in, day) == 0)
		return true;
	char s[48];
	size_t n = 0;
	for (const char *p = in; *p && n + 1 < sizeof s; p++)
		s[n++] = (char)tolower((unsigned char)*p);
	s[n] = '\0';
	int d, m, y, used = 0;
	char sep1, sep2;
	/* Numbers: day, month, year with one kind of separator. */
	if (sscanf(s, "%2d%c%2d%c%4d%n", &d, &sep1, &m, &sep2, &y, &used) == 5 && used == (int)n && sep1 == sep2 &&
	    strchr("/-.", sep1)) {
		const char *yp = strrchr(s, sep1) + 1;
		size_t yd = strlen(yp);
		if (yd != 2 && yd != 4)
			return false;
		return ymd_out(full_year(y, (int)yd), m, d, day);
	}
	if (n == 8 && strspn(s, "0123456789") == 8) {
		d = (s[0] - '0') * 10 + (s[1] - '0');
		m = (s[2] - '0') * 10 + (s[3] - '0');
		y = (s[4] - '0') * 1000 + (s[5] - '0') * 100 + (s[6] - '0') * 10 + (s[7] - '0');
		return ymd_out(y, m, d, day);
	}
	/* Words: 27 March 2019, 27th Mar 2019, 27 mar, 2019 (commas allowed). */
	char mon[16], rest[8];
	for (char *p = s; *p; p++)
		if (*p == ',')
			*p = ' ';
	used = 0;
	if (sscanf(s, "%2d%7[a-z] %15[a-z] %4d %n", &d, rest, mon, &y, &used) == 4 && used == (int)n) {
		if (strcmp(rest, "st") && strcmp(rest, "nd") && strcmp(rest, "rd") && strcmp(rest, "th"))
			return false;
	} else if (used = 0, sscanf(s, "%2d %15[a-z] %4d %n", &d, mon, &y, &used) != 3 || used != (int)n) {
		return false;
	}
	m = month_from_name(mon);
	const char *yp = s + n;
	while (yp > s && (yp[-1] == ' '))
		yp--;
	size_t yd = 0;
	while (yp > s && isdigit((unsigned char)yp[-1]))
		yp--, yd++;
	return m && (yd == 2 || yd == 4) && ymd_out(full_year(y, (int)yd), m, d, day);
}
