/* support/commands_internal: checks shared by the decision-support commands (commands.c, commands_care.c). */
#ifndef SG_SUPPORT_COMMANDS_INTERNAL_H
#define SG_SUPPORT_COMMANDS_INTERNAL_H
#include <jansson.h>
#include <stdbool.h>

#include "http/http.h"
#include "support/catalogue.h"

/* The loaded catalogues of the running service. */
const struct support_catalogue *support_commands_catalogue(const struct http_request *req);

/* Appends {"field", "message"} to errors. */
void support_commands_error(json_t *errors, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* When in[field] is a valid date after today, appends an error ("... cannot be in the future"). */
void support_commands_not_future(const json_t *in, const char *field, const char *label, json_t *errors);
/* When both are valid dates and later < earlier, appends an error on the later field. */
void support_commands_not_before(const json_t *in, const char *earlier, const char *later, const char *message,
                                 json_t *errors);
/* The whole input must be an object of the given keys only (the rest is checked by the entity); appends an error
 * for each other key. Returns true when every key is known. */
bool support_commands_known_keys(const json_t *in, const char *const *keys, size_t nkeys, const char *what,
                                 json_t *errors);
/* Writes the chronology entry and the audit entry, then commits. -1 when any failed (already answered). */
int support_commands_finish(struct http_request *req, const char *child_id, const char *audit_action,
                            const char *object_type, const char *object_id, const char *chron_type,
                            const char *chron_summary, const char *significance);

#endif
