/* view_cache: the JSON text of recent read views (GET of one record), kept per database connection.
 *
 * An entry is keyed by what the text depends on: the kind of view, the record's id, a variant (such as whether
 * restricted fields are shown to this user) and the data version of the snapshot it was read in
 * (store_data_version). Any commit anywhere (this server's writes, the read-audit writer, another process) changes
 * the version, so an entry is only ever served to a request that sees exactly the data it was built from. Only the
 * building is skipped: the caller still checks the session and asks the policy, and still audits the read. */
#ifndef SG_VIEW_CACHE_H
#define SG_VIEW_CACHE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

#define VIEW_CACHE_ENTRIES 32
#define VIEW_CACHE_MAX_TEXT (64 * 1024) /* larger views are not kept */

/* The kept text for (kind, id, variant) at version, or NULL. Valid until the next view_cache_put on st. version 0
 * (unknown) never matches. */
const char *view_cache_get(struct store *st, const char *kind, const char *id, int variant, uint64_t version,
                           size_t *len);
/* Keeps a copy of text (does nothing for version 0 or text over VIEW_CACHE_MAX_TEXT). */
void view_cache_put(struct store *st, const char *kind, const char *id, int variant, uint64_t version,
                    const char *text, size_t len);

#endif
