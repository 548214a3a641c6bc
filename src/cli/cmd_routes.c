/* safeguard routes: every route the server answers, with the policy action that guards it. For operators, and for
 * scripts/openapi-sync.py, which keeps docs/openapi.json in step. */
#include <stdio.h>
#include <string.h>

#include "app/routes.h"
#include "cli/cli.h"

int cmd_routes(int argc, char **argv)
{
	if (argc > 1) {
		bool help = strcmp(argv[1], "--help") == 0;
		fprintf(help ? stdout : stderr,
		        "usage: safeguard routes\n\nPrints one line per route: METHOD PATTERN ACTION (ACTION is 'public' for "
		        "routes open without signing in).\n");
		return help ? 0 : 2;
	}
	static const char *const names[] = {"GET", "POST", "PUT", "PATCH", "DELETE"};
	for (const struct route *const *t = routes_all; *t; t++)
		for (const struct route *r = *t; r->pattern; r++)
			for (int m = 0; m < 5; m++)
				if (r->methods & (1u << m))
					printf("%s %s %s\n", names[m], r->pattern,
					       (r->flags & ROUTE_PUBLIC) ? "public" : (r->action ? r->action : "-"));
	return 0;
}
