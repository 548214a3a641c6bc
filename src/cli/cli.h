/* cli: the `safeguard` subcommands. Each takes argc/argv from the subcommand name on, prints its own --help,
 * and returns the process exit status (0 ok, 1 failure, 2 bad usage). */
#ifndef SG_CLI_H
#define SG_CLI_H

int cmd_serve(int argc, char **argv);
int cmd_migrate(int argc, char **argv);
int cmd_seed_demo(int argc, char **argv);
int cmd_deadline(int argc, char **argv);
int cmd_calendar(int argc, char **argv);
int cmd_audit(int argc, char **argv);
int cmd_user(int argc, char **argv);
int cmd_routes(int argc, char **argv);

/* Shared option parsing: returns the value of --name VALUE or --name=VALUE at argv[*i] (advancing *i), or NULL. */
const char *cli_opt(int argc, char **argv, int *i, const char *name);

struct store;
/* Opens the database (db_opt, else SAFEGUARD_DB, else var/safeguard.db) and checks its schema against the migrations
 * (SAFEGUARD_MIGRATIONS, else HOME/migrations with HOME = home_opt, else SAFEGUARD_HOME, else "."): refuses, after
 * printing why, when migrations are pending or the schema is newer. 0 with *out set, or -1. (cli_store.c) */
int cli_open_current(const char *db_opt, const char *home_opt, struct store **out);

#endif
