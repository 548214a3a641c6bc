/* `safeguard deadline` and `safeguard calendar`: the clock rules and the working-day calendar from the shell, so a
 * due date can be checked by hand against the printed working days. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "calendar/calendar.h"
#include "cli/cli.h"
#include "clock/deadline.h"
#include "clock/rules.h"
#include "core/buf.h"
#include "core/date.h"

#define EXIT_BAD 2

static const char deadline_usage[] =
	"usage: safeguard deadline RULE START [--variant CODE|all] [--stop MOMENT] [--rules DIR] [--authority A]\n"
	"\n"
	"Prints when a statutory clock falls due, the rule's citation and the working days counted.\n"
	"  RULE            a timescale id such as T-33, T-34 (a variant's own id) or T7-08 (an alias)\n"
	"  START           when the clock starts: YYYY-MM-DD, YYYY-MM-DDTHH:MM[:SS] (London time), or with Z/+HH:MM;\n"
	"                  for a backward rule the date fixed for the meeting, for a gestation rule the expected\n"
	"                  delivery date\n"
	"  --variant CODE  one variant of the rule (default: the one RULE names, else the rule's first);\n"
	"                  'all' computes every enabled variant from START and reports the earliest binding one\n"
	"  --stop MOMENT   also say whether something done at MOMENT met the deadline\n"
	"  --rules DIR     the rules directory (default: $SAFEGUARD_RULES, else ./rules)\n"
	"  --authority A   add the authority's own closure days to the bank holidays\n"
	"Exit status: 0 computed, 2 bad input.\n";

static const char calendar_usage[] =
	"usage: safeguard calendar working-days FROM TO [--rules DIR] [--authority A]\n"
	"       safeguard calendar is-working-day DATE [--rules DIR] [--authority A]\n"
	"       safeguard calendar holidays YEAR [--rules DIR]\n"
	"\n"
	"working-days    the number of working days after FROM up to and including TO\n"
	"is-working-day  yes, or no with the reason (weekend, bank holiday, local closure)\n"
	"holidays        the England and Wales bank holidays of YEAR\n"
	"Dates are YYYY-MM-DD. Exit status: 0 done, 2 bad input.\n";

struct options {
	const char *pos[3];
	int n_pos;
	const char *variant;
	const char *stop;
	const char *rules;
	const char *authority;
	bool help;
};

static int bad(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int bad(const char *fmt, ...)
{
	va_list ap;
	fputs("safeguard: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return EXIT_BAD;
}

/* Options may come before or after the positional arguments; both "--opt value" and "--opt=value" work. */
static int parse_options(int argc, char **argv, struct options *o)
{
	static const char *const names[] = {"--variant", "--stop", "--rules", "--authority"};
	memset(o, 0, sizeof(*o));
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			o->help = true;
			continue;
		}
		if (a[0] != '-' || a[1] == '\0' || (a[1] >= '0' && a[1] <= '9')) {
			if (o->n_pos == 3)
				return bad("too many arguments at \"%s\"", a);
			o->pos[o->n_pos++] = a;
			continue;
		}
		const char **slot[] = {&o->variant, &o->stop, &o->rules, &o->authority};
		size_t k, n = sizeof(names) / sizeof(names[0]);
		for (k = 0; k < n; k++) {
			size_t len = strlen(names[k]);
			if (strncmp(a, names[k], len) != 0 || (a[len] != '\0' && a[len] != '='))
				continue;
			if (a[len] == '=') {
				*slot[k] = a + len + 1;
			} else {
				if (i + 1 == argc)
					return bad("%s needs a value", names[k]);
				*slot[k] = argv[++i];
			}
			break;
		}
		if (k == n)
			return bad("unknown option \"%s\"", a);
	}
	if (!o->rules)
		o->rules = getenv("SAFEGUARD_RULES");
	if (!o->rules || !*o->rules)
		o->rules = "rules";
	return 0;
}

/* Without calendar data (a bare checkout of the rules) the national bank holidays still apply. */
static int open_calendar(const struct options *o, struct calendar **cal)
{
	struct buf path = {0}, err = {0};
	struct stat st;
	int rc = 0;
	buf_addf(&path, "%s/calendar", o->rules);
	if ((!o->authority || !*o->authority) && stat(buf_str(&path), &st) != 0) {
		fprintf(stderr, "safeguard: note: no %s; using national bank holidays only\n", buf_str(&path));
		*cal = calendar_new_national();
	} else if (calendar_load(cal, o->rules, o->authority, &err) < 0) {
		rc = bad("%s", buf_str(&err));
	}
	buf_free(&path);
	buf_free(&err);
	return rc;
}

static void print_due(const struct clock_due *d, const struct calendar *cal, bool driving)
{
	char when[MOMENT_ISO_LEN];
	struct buf how = {0};
	const struct clock_rule *r = d->rule;
	const struct clock_variant *v = d->variant;
	moment_format(d->due, when);
	clock_deadline_explain(d, cal, &how);
	printf("due: %s\n", when);
	printf("rule: %s %s", v->id ? v->id : r->id, r->title);
	if (v->title)
		printf(" (%s)", v->title);
	printf("\ncitation: %s\n", v->citation);
	printf("counted: %s\n", buf_str(&how));
	if (d->has_opens) {
		char opens[DATE_ISO_LEN];
		date_format(d->opens_day, opens);
		printf("opens: %s\n", opens);
	}
	if (v->advisory)
		printf("advisory: a miss is a warning, not a breach%s\n", driving ? " (no binding variant applied)" : "");
	buf_free(&how);
}

static void print_rule_facts(const struct clock_rule *r)
{
	printf("kind: %s; satisfied by ", clock_rules_kind_name(r->kind));
	for (int i = 0; i < r->n_stop_events; i++)
		printf("%s%s", i ? " or " : "", r->stop_events[i]);
	printf("\nresponsible: %s\n", r->responsible_role);
	if (r->urgency)
		printf("urgency: %s (alert at once as well)\n", r->urgency);
	if (!r->extension.allowed) {
		printf("extension: none (record a breach reason instead)\n");
	} else {
		printf("extension: authorised by ");
		for (int i = 0; i < r->extension.n_authorised_by_roles; i++)
			printf("%s%s", i ? " or " : "", r->extension.authorised_by_roles[i]);
		printf(", with a reason (%s)\n", r->extension.citation);
	}
	if (!r->enabled)
		printf("enabled: no (a local option that is switched off)\n");
}

static int print_status(const struct clock_due *d, const char *stop)
{
	int64_t at;
	enum clock_outcome oc;
	struct buf err = {0};
	int rc = 0;
	if (moment_parse(stop, &at) < 0)
		return bad("--stop: not a date or time: \"%s\"", stop);
	if (clock_deadline_check(d, at, &oc, &err) < 0)
		rc = bad("%s", buf_str(&err));
	else
		printf("status: %s\n", oc == CLOCK_MET ? "met" : "late");
	buf_free(&err);
	return rc;
}

/* --variant all from a single START: every start (and restart) event of the rule is taken to be START. */
static int deadline_all(const struct clock_rule *r, int64_t start, const struct calendar *cal, const char *stop)
{
	struct clock_start starts[CLOCK_MAX_VARIANTS * CLOCK_MAX_EVENTS + CLOCK_MAX_EVENTS];
	size_t n = 0;
	struct clock_resolution res;
	struct buf err = {0};
	int rc = 0;
	for (int i = 0; i <= r->n_variants; i++) {
		const char *const *ev = i < r->n_variants ? r->variants[i].start_events : r->stop_events;
		int m = i < r->n_variants ? r->variants[i].n_start_events : r->n_stop_events;
		if (i == r->n_variants && r->kind != CLOCK_RECURRING)
			break;
		for (int j = 0; j < m; j++) {
			bool dup = false;
			for (size_t k = 0; k < n; k++)
				dup |= strcmp(starts[k].event, ev[j]) == 0;
			if (!dup)
				starts[n++] = (struct clock_start){.event = ev[j], .at = start};
		}
	}
	if (clock_deadline_resolve(r, NULL, 0, starts, n, cal, &res, &err) < 0) {
		rc = bad("%s", buf_str(&err));
		goto out;
	}
	print_due(&res.candidates[res.driving], cal, true);
	for (int i = 0; i < res.n_candidates; i++) {
		char when[MOMENT_ISO_LEN];
		const struct clock_due *c = &res.candidates[i];
		moment_format(c->due, when);
		printf("candidate: %s %s [%s]%s%s\n", c->variant->code, when, c->variant->citation,
		       c->variant->advisory ? " advisory" : "", i == res.driving ? " driving" : "");
	}
	print_rule_facts(r);
	if (stop)
		rc = print_status(&res.candidates[res.driving], stop);
out:
	buf_free(&err);
	return rc;
}

int cmd_deadline(int argc, char **argv)
{
	struct options o;
	struct clock_rules *set = NULL;
	struct calendar *cal = NULL;
	struct buf err = {0};
	const struct clock_rule *rule;
	const struct clock_variant *variant;
	struct clock_due due;
	int64_t start;
	int rc = parse_options(argc, argv, &o);
	if (rc)
		return rc;
	if (o.help) {
		fputs(deadline_usage, stdout);
		return 0;
	}
	if (o.n_pos != 2) {
		fputs(deadline_usage, stderr);
		return EXIT_BAD;
	}
	if (moment_parse(o.pos[1], &start) < 0)
		return bad("START is not a date or time: \"%s\"", o.pos[1]);
	if (clock_rules_load(&set, o.rules, &err) < 0) {
		rc = bad("%s", buf_str(&err));
		goto out;
	}
	if (clock_rules_find(set, o.pos[0], &rule, &variant) < 0) {
		rc = bad("unknown rule \"%s\"", o.pos[0]);
		goto out;
	}
	if ((rc = open_calendar(&o, &cal)))
		goto out;
	if (o.variant && strcmp(o.variant, "all") == 0) {
		rc = deadline_all(rule, start, cal, o.stop);
		goto out;
	}
	if (o.variant && !(variant = clock_rules_variant(rule, o.variant))) {
		fprintf(stderr, "safeguard: %s has no variant \"%s\"; its variants are:", rule->id, o.variant);
		for (int i = 0; i < rule->n_variants; i++)
			fprintf(stderr, " %s", rule->variants[i].code);
		fputc('\n', stderr);
		rc = EXIT_BAD;
		goto out;
	}
	if (clock_deadline_due(rule, variant, start, cal, &due, &err) < 0) {
		rc = bad("%s", buf_str(&err));
		goto out;
	}
	print_due(&due, cal, false);
	print_rule_facts(rule);
	if (o.stop)
		rc = print_status(&due, o.stop);
out:
	calendar_free(cal);
	clock_rules_free(set);
	buf_free(&err);
	return rc;
}

static int parse_day(const char *s, int32_t *day)
{
	if (date_parse(s, day) < 0)
		return bad("not a date (YYYY-MM-DD): \"%s\"", s);
	if (!calendar_in_range(*day))
		return bad("date outside the calendar's range (2000-01-01 to 2100-12-31): \"%s\"", s);
	return 0;
}

static int calendar_holidays(const struct calendar *cal, const char *arg)
{
	char *end;
	errno = 0;
	long year = strtol(arg, &end, 10);
	if (errno || end == arg || *end || year < 2000 || year > 2100)
		return bad("YEAR must be a year from 2000 to 2100: \"%s\"", arg);
	int32_t days[32];
	const char *names[32];
	int n = calendar_bank_holidays(cal, (int)year, days, names, 32);
	if (n < 0)
		return bad("no bank holidays for %s", arg);
	for (int i = 0; i < n && i < 32; i++) {
		char d[DATE_ISO_LEN];
		date_format(days[i], d);
		printf("%s %s\n", d, names[i]);
	}
	return 0;
}

int cmd_calendar(int argc, char **argv)
{
	struct options o;
	struct calendar *cal = NULL;
	int32_t a, b;
	int rc = parse_options(argc, argv, &o);
	if (rc)
		return rc;
	if (o.help) {
		fputs(calendar_usage, stdout);
		return 0;
	}
	const char *sub = o.n_pos ? o.pos[0] : "";
	int want = strcmp(sub, "working-days") == 0 ? 3 : strcmp(sub, "is-working-day") == 0 ? 2
						   : strcmp(sub, "holidays") == 0     ? 2
										      : 0;
	if (!want || o.n_pos != want || o.variant || o.stop) {
		fputs(calendar_usage, stderr);
		return EXIT_BAD;
	}
	if ((rc = open_calendar(&o, &cal)))
		return rc;
	if (want == 3) {
		int n;
		if (!(rc = parse_day(o.pos[1], &a)) && !(rc = parse_day(o.pos[2], &b))) {
			if (calendar_count_working_days(cal, a, b, &n) < 0)
				rc = bad("cannot count working days from %s", o.pos[1]);
			else
				printf("%d\n", n);
		}
	} else if (strcmp(sub, "is-working-day") == 0) {
		if (!(rc = parse_day(o.pos[1], &a))) {
			static const char *const why[] = {"", "weekend", "bank holiday", "local closure"};
			const char *name = NULL;
			enum calendar_day_kind k = calendar_day_kind(cal, a, &name);
			if (k == CAL_WORKING)
				printf("yes\n");
			else if (name && k != CAL_WEEKEND)
				printf("no: %s (%s)\n", why[k], name);
			else
				printf("no: %s\n", why[k]);
		}
	} else {
		rc = calendar_holidays(cal, o.pos[1]);
	}
	calendar_free(cal);
	return rc;
}
