/* safeguard user: account administration at the server console, for the first administrator and for recovery.
 * Every change goes through src/auth/account.c exactly as the web pages' changes do, so it is audited the same way;
 * the actor is recorded as the console (no user id). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <sodium.h>

#include "audit/audit.h"
#include "auth/account.h"
#include "auth/login.h"
#include "auth/password.h"
#include "auth/roles.h"
#include "cli/cli.h"
#include "core/date.h"

static const char user_help[] =
	"usage: safeguard user add USERNAME --name \"FULL NAME\" --role ROLE [--password-stdin]\n"
	"       safeguard user disable USERNAME | enable USERNAME\n"
	"       safeguard user role USERNAME ROLE\n"
	"       safeguard user password USERNAME        (reads the new password from standard input)\n"
	"       safeguard user unlock USERNAME          (lifts a lock-out after failed sign-ins)\n"
	"       safeguard user totp-remove USERNAME     (removes a lost second factor)\n"
	"       safeguard user show USERNAME\n"
	"       safeguard user roles                    (lists the roles in rules/roles.json)\n\n"
	"Every change is written to the audit log with the console as the actor. Disabling or re-roling an account ends\n"
	"its sessions. Passwords: at least 12 characters; with --password-stdin (or for `password`) the first line of\n"
	"standard input is the password; at a terminal you are asked twice without echo.\n\n"
	"Options: --db PATH (env SAFEGUARD_DB; default var/safeguard.db), --home DIR (where rules/ and migrations/ are;\n"
	"env SAFEGUARD_HOME; default .). The schema must be current.\n";

static int usage_error(const char *what, const char *arg)
{
	fprintf(stderr, "safeguard user: %s%s%s\n\n%s", what, arg ? " " : "", arg ? arg : "", user_help);
	return 2;
}

/* One line from stdin without its line ending. At a terminal, echo is off and the line is asked for twice. */
static int read_line(const char *prompt, char *out, size_t cap)
{
	bool tty = isatty(0);
	struct termios old, quiet;
	if (tty) {
		fputs(prompt, stderr);
		if (tcgetattr(0, &old) == 0) {
			quiet = old;
			quiet.c_lflag &= ~(tcflag_t)ECHO;
			tcsetattr(0, TCSAFLUSH, &quiet);
		} else {
			tty = false;
		}
	}
	char *got = fgets(out, (int)cap, stdin);
	if (tty) {
		tcsetattr(0, TCSAFLUSH, &old);
		fputc('\n', stderr);
	}
	if (!got)
		return -1;
	size_t n = strlen(out);
	if (n == cap - 1 && out[n - 1] != '\n')
		return -1; /* longer than any password we accept */
	while (n && (out[n - 1] == '\n' || out[n - 1] == '\r'))
		out[--n] = '\0';
	return 0;
}

static int read_password(char *out, size_t cap)
{
	if (read_line("New password: ", out, cap) < 0) {
		fprintf(stderr, "safeguard user: no password on standard input (or it is too long)\n");
		return -1;
	}
	if (isatty(0)) {
		char again[PASSWORD_MAX_BYTES + 2];
		int rc = read_line("Repeat it: ", again, sizeof again);
		bool same = rc == 0 && strcmp(out, again) == 0;
		sodium_memzero(again, sizeof again);
		if (!same) {
			fprintf(stderr, "safeguard user: the two passwords differ\n");
			return -1;
		}
	}
	return 0;
}

static int report(const char *verb, const char *username, int rc, const char *why)
{
	if (rc == ACCOUNT_OK) {
		printf("user %s: %s\n", username, verb);
		return 0;
	}
	fprintf(stderr, "safeguard user: %s\n", rc == ACCOUNT_REFUSED && why ? why : "database error");
	return 1;
}

static int find(struct store *st, const char *username, struct account *a)
{
	int found = account_find(st, username, a);
	if (found < 0)
		fprintf(stderr, "safeguard user: database error: %s\n", store_errmsg(st));
	else if (found == 0)
		fprintf(stderr, "safeguard user: there is no account '%s'\n", username);
	return found == 1 ? 0 : -1;
}

static void show(const struct account *a)
{
	char when[MOMENT_ISO_LEN] = "never";
	printf("id: %s\nusername: %s\nname: %s\nrole: %s\nstatus: %s\nsecond factor: %s\n", a->id, a->username,
	       a->display_name, a->role, a->disabled ? "disabled" : "active", a->totp_enrolled ? "enrolled" : "none");
	if (a->password_changed_at)
		moment_format(a->password_changed_at, when);
	printf("password set: %s\n", a->has_password ? when : "no password");
}

struct opts {
	const char *db, *home, *name, *role;
	bool password_stdin;
	const char *pos[3];
	int npos;
};

static int parse(int argc, char **argv, struct opts *o)
{
	const char *v;
	for (int i = 2; i < argc; i++) {
		if ((v = cli_opt(argc, argv, &i, "--db")))
			o->db = v;
		else if ((v = cli_opt(argc, argv, &i, "--home")))
			o->home = v;
		else if ((v = cli_opt(argc, argv, &i, "--name")))
			o->name = v;
		else if ((v = cli_opt(argc, argv, &i, "--role")))
			o->role = v;
		else if (strcmp(argv[i], "--password-stdin") == 0)
			o->password_stdin = true;
		else if (argv[i][0] == '-' || o->npos == 3)
			return usage_error("unexpected argument", argv[i]);
		else
			o->pos[o->npos++] = argv[i];
	}
	return 0;
}

static int run(const char *sub, struct opts *o, struct store *st, const struct roles *roles)
{
	const char *why = NULL, *username = o->pos[0];
	int64_t now = moment_now();
	struct account a;
	char pw[PASSWORD_MAX_BYTES + 2];
	int rc;
	if (strcmp(sub, "add") == 0) {
		char id[ACCOUNT_ID_SIZE];
		if (o->password_stdin && read_password(pw, sizeof pw) < 0)
			return 1;
		rc = account_create(st, roles, NULL, username, o->name, o->role, o->password_stdin ? pw : NULL, now, id,
		                    &why);
		sodium_memzero(pw, sizeof pw);
		return report(o->password_stdin ? "created" : "created (no password yet: set one with `user password`)",
		              username, rc, why);
	}
	if (find(st, username, &a) < 0)
		return 1;
	if (strcmp(sub, "show") == 0) {
		show(&a);
		return 0;
	}
	if (strcmp(sub, "disable") == 0)
		return report("disabled", username, account_disable(st, NULL, a.id, now, &why), why);
	if (strcmp(sub, "enable") == 0)
		return report("enabled", username, account_enable(st, NULL, a.id, now, &why), why);
	if (strcmp(sub, "role") == 0)
		return report("role changed", username, account_set_role(st, roles, NULL, a.id, o->pos[1], now, &why), why);
	if (strcmp(sub, "totp-remove") == 0)
		return report(a.totp_enrolled ? "second factor removed" : "had no second factor", username,
		              account_totp_remove(st, NULL, a.id, now, &why), why);
	if (strcmp(sub, "unlock") == 0) {
		int64_t until = login_locked_until(st, a.username, now);
		rc = until >= 0 && login_unlock(st, NULL, a.username, now) == 0 ? ACCOUNT_OK : ACCOUNT_ERR;
		return report(until > 0 ? "unlocked" : "was not locked (recent failures forgotten)", username, rc, NULL);
	}
	/* password */
	if (read_password(pw, sizeof pw) < 0)
		return 1;
	rc = account_set_password(st, NULL, a.id, pw, now, &why);
	sodium_memzero(pw, sizeof pw);
	return report("password set; all sessions ended", username, rc, why);
}

int cmd_user(int argc, char **argv)
{
	if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "help") == 0) {
		fputs(user_help, argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	for (int i = 2; i < argc; i++)
		if (strcmp(argv[i], "--help") == 0) {
			fputs(user_help, stdout);
			return 0;
		}
	static const struct {
		const char *name;
		int npos;
	} subs[] = {{"add", 1},    {"disable", 1},     {"enable", 1}, {"role", 2},  {"password", 1},
	            {"unlock", 1}, {"totp-remove", 1}, {"show", 1},   {"roles", 0}};
	const char *sub = argv[1];
	int want = -1;
	for (size_t i = 0; i < sizeof subs / sizeof subs[0]; i++)
		if (strcmp(sub, subs[i].name) == 0)
			want = subs[i].npos;
	if (want < 0)
		return usage_error("unknown subcommand", sub);
	struct opts o = {0};
	if (parse(argc, argv, &o) != 0)
		return 2;
	if (o.npos != want)
		return usage_error("wrong number of arguments for", sub);
	bool is_add = strcmp(sub, "add") == 0;
	if (is_add && (!o.name || !o.role))
		return usage_error("add needs --name and --role", NULL);
	if (!is_add && (o.name || o.role || o.password_stdin))
		return usage_error("--name, --role and --password-stdin belong to add", NULL);

	const char *home = o.home ? o.home : getenv("SAFEGUARD_HOME");
	struct buf path, err;
	buf_init(&path, 4096);
	buf_init(&err, 4096);
	buf_addf(&path, "%s/%s", home && *home ? home : ".", ROLES_DEFAULT_PATH);
	struct roles *roles = NULL;
	struct store *st = NULL;
	int rc = 1;
	if (roles_load(&roles, buf_str(&path), &err) < 0) {
		fprintf(stderr, "safeguard user: %s\n", buf_str(&err));
		goto out;
	}
	if (strcmp(sub, "roles") == 0) {
		for (size_t i = 0; i < roles->count; i++)
			printf("%-18s %s%s\n", roles->items[i].code, roles->items[i].label,
			       roles->items[i].totp_capable ? " (may use a second factor)" : "");
		rc = 0;
		goto out;
	}
	if (sodium_init() < 0 || cli_open_current(o.db, o.home, &st) < 0)
		goto out;
	rc = run(sub, &o, st, roles);
out:
	store_close(st);
	roles_free(roles);
	buf_free(&path);
	buf_free(&err);
	return rc;
}
