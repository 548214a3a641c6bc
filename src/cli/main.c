/* safeguard: one binary, subcommands as a table (after tmux's cmd_entry). */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

#ifndef SAFEGUARD_VERSION
#define SAFEGUARD_VERSION "0.1.0"
#endif

static int cmd_version(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "--help") == 0) {
		printf("usage: safeguard version\n\nPrints the version of this program.\n");
		return 0;
	}
	printf("safeguard %s\n", SAFEGUARD_VERSION);
	return 0;
}

static const struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
} commands[] = {
	{"serve", cmd_serve, "run the web service and JSON API"},
	{"migrate", cmd_migrate, "apply pending database migrations"},
	{"seed-demo", cmd_seed_demo, "fill a new database with a fictional authority"},
	{"deadline", cmd_deadline, "compute a statutory deadline by hand"},
	{"calendar", cmd_calendar, "working days and bank holidays"},
	{"audit", cmd_audit, "verify the audit chain and answer who-saw-what"},
	{"user", cmd_user, "manage user accounts at the console"},
	{"routes", cmd_routes, "list every route and the policy action guarding it"},
	{"version", cmd_version, "print the version"},
};

static void usage(FILE *f)
{
	fprintf(f, "usage: safeguard COMMAND [OPTIONS]\n\nCommands:\n");
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].summary);
	fprintf(f, "\nRun `safeguard COMMAND --help` for a command's options.\n");
}

int main(int argc, char **argv)
{
	if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "help") == 0) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			return commands[i].run(argc - 1, argv + 1);
	fprintf(stderr, "safeguard: unknown command '%s'\n\n", argv[1]);
	usage(stderr);
	return 2;
}
