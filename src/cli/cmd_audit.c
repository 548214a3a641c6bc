/* safeguard audit: verify the hash chain, and answer "who looked at this child's record, when and why" and "what did
 * this user see" at the console. Read-only: nothing here writes to the database. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "audit/audit.h"
#include "cli/cli.h"
#include "core/date.h"

static const char audit_help[] =
	"usage: safeguard audit verify [--anchor SEQ:HASH] [--db PATH] [--home DIR]\n"
	"       safeguard audit report (--child ID | --user ID) [--from DATE] [--to DATE] [--limit N]\n"
	"                              [--db PATH] [--home DIR]\n\n"
	"verify  checks every entry of the audit log: that none is missing, that each links to the one before, and\n"
	"        that each still matches its hash. Prints the speed and the head of the chain; exits 1 naming the\n"
	"        first broken entry. Record the head it prints somewhere else (a ticket, a printed log) and pass it\n"
	"        back later as --anchor SEQ:HASH to prove no entries were cut from the end since.\n"
	"report  lists audit entries oldest first, as tab-separated columns with a header:\n"
	"        --child ID  everything done to or seen of that child's record: who, when, what and why\n"
	"        --user ID   everything that user did and saw\n"
	"        --from DATE, --to DATE  London calendar days (YYYY-MM-DD), both inclusive\n"
	"        --limit N   at most N entries (default 1000, at most 100000); says so when more exist\n\n"
	"Options: --db PATH (env SAFEGUARD_DB; default var/safeguard.db), --home DIR (where migrations/ is; env\n"
	"SAFEGUARD_HOME; default .; SAFEGUARD_MIGRATIONS overrides the migrations directory). The schema must be current.\n";

static double now_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void show_progress(int64_t done, void *ctx)
{
	(void)ctx;
	fprintf(stderr, "audit: %lld entries checked...\n", (long long)done);
}

static int parse_anchor(const char *s, struct audit_verify_options *opt, char hash[AUDIT_HASH_HEX])
{
	const char *colon = strchr(s, ':');
	if (!colon || colon == s || strlen(colon + 1) != AUDIT_HASH_HEX - 1)
		return -1;
	int64_t seq = 0;
	for (const char *p = s; p < colon; p++) {
		if (*p < '0' || *p > '9' || seq > INT64_MAX / 10 - 1)
			return -1;
		seq = seq * 10 + (*p - '0');
	}
	for (const char *p = colon + 1; *p; p++)
		if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
			return -1;
	if (seq < 1)
		return -1;
	snprintf(hash, AUDIT_HASH_HEX, "%s", colon + 1);
	opt->anchor_seq = seq;
	opt->anchor_hash = hash;
	return 0;
}

static int verify(struct store *st, const struct audit_verify_options *opt)
{
	struct audit_verify_result res;
	double t0 = now_seconds();
	int rc = audit_verify(st, opt, &res);
	double secs = now_seconds() - t0;
	if (rc < 0) {
		fprintf(stderr, "audit: cannot verify: %s\n", res.reason);
		return 1;
	}
	if (rc > 0) {
		printf("audit: chain broken at entry %lld: %s\n", (long long)res.broken_seq, res.reason);
		if (res.entries)
			printf("audit: entries 1 to %lld before it are intact\n", (long long)res.entries);
		return 1;
	}
	double rate = secs > 0 ? (double)res.entries / secs : 0;
	printf("audit: %lld entries verified, chain intact (%.0f entries/s)\n", (long long)res.entries, rate);
	if (res.entries)
		printf("audit: head %lld:%s\n", (long long)res.last_seq, res.head_hash);
	return 0;
}

/* A London calendar day to the moment it starts; --to takes the start of the day after, as the range is
 * half-open underneath. */
static int day_start(const char *s, int plus_days, int64_t *out)
{
	int32_t day;
	if (date_parse(s, &day) < 0)
		return -1;
	*out = moment_from_local(day + plus_days, 0, 0, 0);
	return 0;
}

/* Tabs, line breaks and backslashes in a value would break the columns. */
static void put_field(const char *s)
{
	if (!s) {
		fputs("-", stdout);
		return;
	}
	for (; *s; s++) {
		switch (*s) {
		case '\t': fputs("\\t", stdout); break;
		case '\n': fputs("\\n", stdout); break;
		case '\r': fputs("\\r", stdout); break;
		case '\\': fputs("\\\\", stdout); break;
		default: putchar(*s);
		}
	}
}

static int print_entry(const struct audit_entry *e, void *ctx)
{
	(void)ctx;
	const char *f[] = {e->at, e->actor_user_id, e->action, e->object_type, e->object_id, e->child_id, e->reason,
	                   e->detail};
	printf("%lld", (long long)e->seq);
	for (size_t i = 0; i < sizeof f / sizeof f[0]; i++) {
		putchar('\t');
		put_field(f[i]);
	}
	putchar('\n');
	return 0;
}

static int report(struct store *st, const char *child, const char *user, const struct audit_range *r)
{
	bool more = false;
	printf("seq\tat\tactor_user_id\taction\tobject_type\tobject_id\tchild_id\treason\tdetail\n");
	if (store_begin_read(st) != STORE_OK) {
		fprintf(stderr, "audit: cannot read the database: %s\n", store_errmsg(st));
		return 1;
	}
	int n = child ? audit_report_child(st, child, r, print_entry, NULL, &more)
	              : audit_report_user(st, user, r, print_entry, NULL, &more);
	store_rollback(st);
	if (n < 0) {
		fprintf(stderr, "audit: cannot read the audit log: %s\n", store_errmsg(st));
		return 1;
	}
	fprintf(stderr, "audit: %d entr%s%s\n", n, n == 1 ? "y" : "ies",
	        more ? " (more exist: narrow the dates or raise --limit)" : "");
	return 0;
}

static int usage_error(const char *what, const char *arg)
{
	fprintf(stderr, "safeguard audit: %s%s%s\n\n%s", what, arg ? " " : "", arg ? arg : "", audit_help);
	return 2;
}

int cmd_audit(int argc, char **argv)
{
	if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "help") == 0) {
		fputs(audit_help, argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	const char *sub = argv[1], *db = NULL, *home = NULL, *child = NULL, *user = NULL, *v;
	bool is_verify = strcmp(sub, "verify") == 0, is_report = strcmp(sub, "report") == 0;
	if (!is_verify && !is_report)
		return usage_error("unknown subcommand", sub);
	struct audit_verify_options vopt = {.progress = isatty(2) ? show_progress : NULL};
	struct audit_range range = {0};
	char anchor_hash[AUDIT_HASH_HEX];
	for (int i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0) {
			fputs(audit_help, stdout);
			return 0;
		} else if ((v = cli_opt(argc, argv, &i, "--db"))) {
			db = v;
		} else if ((v = cli_opt(argc, argv, &i, "--home"))) {
			home = v;
		} else if (is_verify && (v = cli_opt(argc, argv, &i, "--anchor"))) {
			if (parse_anchor(v, &vopt, anchor_hash) < 0)
				return usage_error("--anchor wants SEQ:HASH as printed by verify, not", v);
		} else if (is_report && (v = cli_opt(argc, argv, &i, "--child"))) {
			child = v;
		} else if (is_report && (v = cli_opt(argc, argv, &i, "--user"))) {
			user = v;
		} else if (is_report && (v = cli_opt(argc, argv, &i, "--from"))) {
			if (day_start(v, 0, &range.from) < 0)
				return usage_error("--from wants a date YYYY-MM-DD, not", v);
		} else if (is_report && (v = cli_opt(argc, argv, &i, "--to"))) {
			if (day_start(v, 1, &range.to) < 0)
				return usage_error("--to wants a date YYYY-MM-DD, not", v);
		} else if (is_report && (v = cli_opt(argc, argv, &i, "--limit"))) {
			char *end;
			long n = strtol(v, &end, 10);
			if (*end || end == v || n < 1 || n > 100000)
				return usage_error("--limit wants a number from 1 to 100000, not", v);
			range.limit = (int)n;
		} else {
			return usage_error("unknown or incomplete option", argv[i]);
		}
	}
	if (is_report && !child == !user)
		return usage_error("report needs exactly one of --child ID or --user ID", NULL);
	if (range.from && range.to && range.to <= range.from)
		return usage_error("--to is before --from", NULL);
	struct store *st;
	if (cli_open_current(db, home, &st) < 0)
		return 1;
	int rc = is_verify ? verify(st, &vopt) : report(st, child, user, &range);
	store_close(st);
	return rc;
}
