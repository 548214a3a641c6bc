/* sharing_channels: rules/sharing_channels.json, the secure ways information about a child is passed on, each with
 * the safeguards it needs (procedures-B 3.5.4-3.5.7): an address and the recipient's security assurance, the
 * four-eyes address check by a second person, and the call-back for an unknown telephone caller.
 *
 * Ownership: sharing_channels_load returns a new reference to the checked document; the others borrow it. */
#ifndef SG_SHARING_CHANNELS_H
#define SG_SHARING_CHANNELS_H
#include <jansson.h>
#include <stdbool.h>

#include "core/buf.h"

/* Loads and checks the file: known fields, channels with a unique lower-case code, a label, a citation and the four
 * flags as true or false. 0, or -1 with "FILE: ENTRY: problem" in err. */
int sharing_channels_load(const char *path, json_t **out, struct buf *err);
/* The channel with this code, or NULL. */
const json_t *sharing_channels_find(const json_t *doc, const char *code);
/* A flag of the channel ("four_eyes", "needs_address", "callback_unless_known", "electronic"); false for NULL. */
bool sharing_channels_flag(const json_t *channel, const char *flag);
/* The channels as select options [{code, label, citation, selected}] (a new reference). */
json_t *sharing_channels_options(const json_t *doc, const char *selected);

#endif
