/* audit: append, verify and report on the hash-chained audit log (docs/internals/audit.md).
 *
 * Canonical content (format v1) is what gets hashed: the tag "sg-audit-v1" then, for each of seq, at, actor_user_id,
 * action, object_type, object_id, child_id, reason and detail in that order, either "~;" for NULL or "<decimal byte
 * length>:<bytes>;". Length prefixes make the encoding unambiguous whatever the fields contain, so no two different
 * rows share content. hash = hex(SHA-256(prev_hash hex || content)); the first entry's prev_hash is 64 zeros. */
#include "audit/audit.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "audit/sha256.h"

#define GENESIS "0000000000000000000000000000000000000000000000000000000000000000"
#define FIELD_MAX 4096 /* entries are short by contract; a longer field is a caller bug */
#define PROGRESS_EVERY 1000000
#define REPORT_DEFAULT_LIMIT 1000
#define REPORT_MAX_LIMIT 100000

void audit_time_format(int64_t t, char out[AUDIT_TIME_LEN])
{
	time_t tt = (time_t)t;
	struct tm tm;
	if (!gmtime_r(&tt, &tm) || strftime(out, AUDIT_TIME_LEN, "%Y-%m-%dT%H:%M:%SZ", &tm) != AUDIT_TIME_LEN - 1)
		snprintf(out, AUDIT_TIME_LEN, "%s", "0000-00-00T00:00:00Z");
}

static int digits(const char *s, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

int audit_time_parse(const char *s, int64_t *out)
{
	int y, mo, d, h, mi, se;
	if (!s || strlen(s) != AUDIT_TIME_LEN - 1 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' ||
	    s[16] != ':' || s[19] != 'Z')
		return -1;
	if (digits(s, 4, &y) || digits(s + 5, 2, &mo) || digits(s + 8, 2, &d) || digits(s + 11, 2, &h) ||
	    digits(s + 14, 2, &mi) || digits(s + 17, 2, &se))
		return -1;
	static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (y < 1970 || mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] || h > 23 || mi > 59 || se > 59)
		return -1;
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	if (mo == 2 && d == 29 && !leap)
		return -1;
	struct tm tm = {.tm_year = y - 1900, .tm_mon = mo - 1, .tm_mday = d, .tm_hour = h, .tm_min = mi, .tm_sec = se};
	*out = (int64_t)timegm(&tm);
	return 0;
}

/* Lower-case hex without the constant-time care of sodium_bin2hex: hashes are not secrets, and verify runs this ten
 * million times. */
static void to_hex(const unsigned char *in, size_t n, char *out)
{
	static const char hx[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = hx[in[i] >> 4];
		out[2 * i + 1] = hx[in[i] & 15];
	}
	out[2 * n] = '\0';
}

static void hash_field(struct sha256 *h, const char *s)
{
	if (!s) {
		sha256_update(h, "~;", 2);
		return;
	}
	size_t n = strlen(s);
	char pre[24];
	int k = (int)sizeof pre;
	pre[--k] = ':';
	size_t v = n;
	do {
		pre[--k] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	sha256_update(h, pre + k, sizeof pre - (size_t)k);
	sha256_update(h, s, n);
	sha256_update(h, ";", 1);
}

/* The fields of one entry in canonical order, as text (seq in decimal). */
struct row {
	char seq[24];
	const char *f[8]; /* at, actor_user_id, action, object_type, object_id, child_id, reason, detail */
	const char *prev_hash;
};

static void entry_hash(const struct row *r, char out[AUDIT_HASH_HEX])
{
	struct sha256 h;
	uint8_t digest[SHA256_BYTES];
	sha256_init(&h);
	sha256_update(&h, r->prev_hash, strlen(r->prev_hash));
	sha256_update(&h, "sg-audit-v1", 11);
	hash_field(&h, r->seq);
	for (int i = 0; i < 8; i++)
		hash_field(&h, r->f[i]);
	sha256_final(&h, digest);
	to_hex(digest, sizeof digest, out);
}

/* Decimal, by hand: verify formats ten million of these. seq is positive. */
static void seq_text(int64_t seq, char out[24])
{
	char tmp[24];
	int n = 0;
	uint64_t v = seq > 0 ? (uint64_t)seq : 0;
	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	for (int i = 0; i < n; i++)
		out[i] = tmp[n - 1 - i];
	out[n] = '\0';
}

static bool field_ok(const char *s)
{
	return !s || strlen(s) <= FIELD_MAX;
}

int audit_append_at(struct store *st, const struct audit_event *ev, int64_t now)
{
	if (!store_in_transaction(st) || !ev->action || !ev->action[0])
		return -1;
	/* Break-glass is only defensible with its reason on the record. */
	if (strcmp(ev->action, "break_glass") == 0 && (!ev->reason || !ev->reason[0]))
		return -1;
	const char *fields[] = {ev->actor_user_id, ev->action, ev->object_type, ev->object_id,
	                        ev->child_id,      ev->reason, ev->detail};
	for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
		if (!field_ok(fields[i]))
			return -1;
	/* The write lock is held (store_begin is BEGIN IMMEDIATE), so nobody can append between this read and the
	 * insert: the chain cannot fork. */
	struct store_stmt *last = store_prepare(st, "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1");
	if (!last)
		return -1;
	int64_t seq = 1;
	char prev[AUDIT_HASH_HEX];
	snprintf(prev, sizeof prev, "%s", GENESIS);
	int rc = store_step(last);
	if (rc == STORE_ROW) {
		seq = store_col_int(last, 0) + 1;
		const char *h = store_col_text(last, 1);
		snprintf(prev, sizeof prev, "%s", h ? h : "");
	} else if (rc != STORE_DONE) {
		return -1;
	}
	store_reset(last);

	char at[AUDIT_TIME_LEN];
	audit_time_format(now, at);
	struct row r = {.f = {at, ev->actor_user_id, ev->action, ev->object_type, ev->object_id, ev->child_id,
	                      ev->reason, ev->detail},
	                .prev_hash = prev};
	seq_text(seq, r.seq);
	char hash[AUDIT_HASH_HEX];
	entry_hash(&r, hash);

	struct store_stmt *ins = store_prepare(
		st, "INSERT INTO audit_log (seq, at, actor_user_id, action, object_type, object_id, child_id, reason,"
		    " detail, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)");
	if (!ins)
		return -1;
	if (store_bind_int(ins, 1, seq) || store_bind_text(ins, 2, at) || store_bind_text(ins, 3, ev->actor_user_id) ||
	    store_bind_text(ins, 4, ev->action) || store_bind_text(ins, 5, ev->object_type) ||
	    store_bind_text(ins, 6, ev->object_id) || store_bind_text(ins, 7, ev->child_id) ||
	    store_bind_text(ins, 8, ev->reason) || store_bind_text(ins, 9, ev->detail) ||
	    store_bind_text(ins, 10, prev) || store_bind_text(ins, 11, hash)) {
		store_reset(ins);
		return -1;
	}
	rc = store_step(ins);
	store_reset(ins);
	return rc == STORE_DONE ? 0 : -1;
}

int audit_append(struct store *st, const struct audit_event *ev)
{
	return audit_append_at(st, ev, (int64_t)time(NULL));
}

static int broken(struct audit_verify_result *res, int64_t seq, const char *why)
{
	res->broken_seq = seq;
	snprintf(res->reason, sizeof res->reason, "%s", why);
	return 1;
}

static bool is_hash_text(const char *s)
{
	if (!s)
		return false;
	size_t i = 0;
	for (; s[i]; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return i == AUDIT_HASH_HEX - 1;
}

static int verify_rows(struct store_stmt *s, const struct audit_verify_options *opt, struct audit_verify_result *res)
{
	char expect_prev[AUDIT_HASH_HEX], computed[AUDIT_HASH_HEX];
	char why[160];
	snprintf(expect_prev, sizeof expect_prev, "%s", GENESIS);
	int64_t last = 0;
	int rc;
	while ((rc = store_step(s)) == STORE_ROW) {
		int64_t seq = store_col_int(s, 0);
		if (seq != last + 1) {
			snprintf(why, sizeof why, "entry %lld is missing (entry %lld follows entry %lld)",
			         (long long)(last + 1), (long long)seq, (long long)last);
			return broken(res, last + 1, why);
		}
		struct row r;
		seq_text(seq, r.seq);
		for (int i = 0; i < 8; i++)
			r.f[i] = store_col_text(s, i + 1);
		r.prev_hash = store_col_text(s, 9);
		const char *stored = store_col_text(s, 10);
		if (!r.prev_hash || strcmp(r.prev_hash, expect_prev) != 0) {
			snprintf(why, sizeof why, "its prev_hash is not the hash of entry %lld", (long long)last);
			return broken(res, seq, why);
		}
		if (!r.f[0] || !r.f[2] || !stored)
			return broken(res, seq, "a required field (at, action or hash) is missing");
		entry_hash(&r, computed);
		if (memcmp(computed, stored, AUDIT_HASH_HEX) != 0)
			return broken(res, seq,
			              is_hash_text(stored) ? "its content does not match its hash (the row was altered)"
			                                   : "its hash is malformed (the row was altered)");
		memcpy(expect_prev, stored, AUDIT_HASH_HEX);
		last = seq;
		res->entries++;
		res->last_seq = seq;
		memcpy(res->head_hash, stored, AUDIT_HASH_HEX);
		if (opt && opt->anchor_seq == seq && (!opt->anchor_hash || strcmp(opt->anchor_hash, stored) != 0))
			return broken(res, seq, "its hash differs from the recorded anchor");
		if (opt && opt->progress && res->entries % PROGRESS_EVERY == 0)
			opt->progress(res->entries, opt->ctx);
	}
	if (rc != STORE_DONE) {
		snprintf(res->reason, sizeof res->reason, "database error while reading the audit log");
		return -1;
	}
	if (opt && opt->anchor_seq > last) {
		snprintf(why, sizeof why, "the log ends at entry %lld but the anchor records entry %lld",
		         (long long)last, (long long)opt->anchor_seq);
		return broken(res, last + 1, why);
	}
	return 0;
}

int audit_verify(struct store *st, const struct audit_verify_options *opt, struct audit_verify_result *res)
{
	memset(res, 0, sizeof *res);
	if (store_begin_read(st) != STORE_OK) {
		snprintf(res->reason, sizeof res->reason, "cannot open a read transaction");
		return -1;
	}
	struct store_stmt *s = store_prepare(
		st, "SELECT seq, at, actor_user_id, action, object_type, object_id, child_id, reason, detail, prev_hash,"
		    " hash FROM audit_log ORDER BY seq");
	int rc;
	if (!s) {
		snprintf(res->reason, sizeof res->reason, "cannot read the audit log (is the schema migrated?)");
		rc = -1;
	} else {
		rc = verify_rows(s, opt, res);
		store_reset(s);
	}
	store_rollback(st);
	return rc;
}

static int report(struct store *st, const char *sql, const char *key, const struct audit_range *r,
                  int (*fn)(const struct audit_entry *, void *), void *ctx, bool *truncated)
{
	char from[AUDIT_TIME_LEN] = "", to[AUDIT_TIME_LEN] = "~";
	int limit = REPORT_DEFAULT_LIMIT;
	if (r) {
		if (r->from > 0)
			audit_time_format(r->from, from);
		if (r->to > 0)
			audit_time_format(r->to, to);
		if (r->limit > 0)
			limit = r->limit < REPORT_MAX_LIMIT ? r->limit : REPORT_MAX_LIMIT;
	}
	if (truncated)
		*truncated = false;
	if (!key)
		return -1;
	struct store_stmt *s = store_prepare(st, sql);
	if (!s)
		return -1;
	if (store_bind_text(s, 1, key) || store_bind_text(s, 2, from) || store_bind_text(s, 3, to) ||
	    store_bind_int(s, 4, (int64_t)limit + 1)) {
		store_reset(s);
		return -1;
	}
	int n = 0, rc;
	while ((rc = store_step(s)) == STORE_ROW) {
		if (n == limit) {
			if (truncated)
				*truncated = true;
			break;
		}
		struct audit_entry e = {
			.seq = store_col_int(s, 0),
			.at = store_col_text(s, 1),
			.actor_user_id = store_col_text(s, 2),
			.action = store_col_text(s, 3),
			.object_type = store_col_text(s, 4),
			.object_id = store_col_text(s, 5),
			.child_id = store_col_text(s, 6),
			.reason = store_col_text(s, 7),
			.detail = store_col_text(s, 8),
		};
		n++;
		if (fn(&e, ctx) != 0)
			break;
	}
	store_reset(s);
	return rc == STORE_ROW || rc == STORE_DONE ? n : -1;
}

#define REPORT_COLUMNS "SELECT seq, at, actor_user_id, action, object_type, object_id, child_id, reason, detail"

int audit_report_child(struct store *st, const char *child_id, const struct audit_range *r,
                       int (*fn)(const struct audit_entry *e, void *ctx), void *ctx, bool *truncated)
{
	return report(st,
	              REPORT_COLUMNS " FROM audit_log WHERE child_id = $1 AND at >= $2 AND at < $3"
	                             " ORDER BY at, seq LIMIT $4",
	              child_id, r, fn, ctx, truncated);
}

int audit_report_user(struct store *st, const char *user_id, const struct audit_range *r,
                      int (*fn)(const struct audit_entry *e, void *ctx), void *ctx, bool *truncated)
{
	return report(st,
	              REPORT_COLUMNS " FROM audit_log WHERE actor_user_id = $1 AND at >= $2 AND at < $3"
	                             " ORDER BY at, seq LIMIT $4",
	              user_id, r, fn, ctx, truncated);
}
