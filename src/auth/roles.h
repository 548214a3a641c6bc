/* roles: the access roles an account can hold, loaded from rules/roles.json (data with citations).
 *
 * A loaded table is immutable and may be shared between threads. Strings in it live as long as the table. What a role
 * may see or do is src/policy's business; this module only says which codes exist and which may enrol TOTP. */
#ifndef SG_ROLES_H
#define SG_ROLES_H
#include <stdbool.h>
#include <stddef.h>

#include "core/buf.h"

#define ROLES_DEFAULT_PATH "rules/roles.json"

struct role {
	char *code, *label, *description, *citation;
	bool totp_capable;
};

struct roles {
	struct role *items;
	size_t count;
};

/* Loads and validates the file (every role has a unique lower-case code, a label, a description and a citation).
 * 0, or -1 with a message in err. */
int roles_load(struct roles **out, const char *path, struct buf *err);
void roles_free(struct roles *r);
/* NULL when code is not a role. */
const struct role *roles_find(const struct roles *r, const char *code);

#endif
