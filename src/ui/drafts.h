/* drafts: what a user has typed into a form and not yet submitted, kept on the server (usability goal U4: nothing
 * typed is ever lost, even across a session time-out).
 *
 * The browser (web/assets/app.js, for any <form data-autosave="/drafts">) posts the whole form here shortly after
 * the user stops typing, with a hidden field form_key naming the form by its page's path ("/children/new"). The page
 * handler pre-fills the form from drafts_load() when it is opened without a posted form, and calls drafts_delete()
 * once the form has been submitted successfully.
 *
 * Routes: POST /drafts (form fields; answers {"saved_at", "session_expires_at"}) and
 * GET /api/v1/drafts?form_key=PATH (answers {"form_key", "data", "updated_at"}, or 404). Both use the policy action
 * draft.keep, and a draft is only ever read back by the user who wrote it.
 *
 * A draft is not a record: no one else can see it, it is replaced at every autosave and deleted on submit, so saving
 * one is not written to the audit log (an autosave every few seconds would bury the entries that matter); the record
 * the form creates is audited when it is submitted. Drafts untouched for DRAFTS_KEEP_SECONDS are purged, and a user
 * keeps at most DRAFTS_MAX_PER_USER (the oldest go first). */
#ifndef SG_DRAFTS_H
#define SG_DRAFTS_H
#include <jansson.h>
#include <stdbool.h>

#include "http/router.h"

#define DRAFTS_MAX_BYTES (512 * 1024)           /* the stored JSON text of one draft */
#define DRAFTS_KEEP_SECONDS (30 * 24 * 60 * 60) /* personal data is not kept in drafts longer than a month */
#define DRAFTS_MAX_PER_USER 100
#define DRAFTS_KEY_MAX 200

extern const struct route drafts_routes[];

/* Whether key can name a form: a site path ("/..."), at most DRAFTS_KEY_MAX bytes of letters, digits and "/-_.:",
 * with no "//" and no "..". */
bool drafts_form_key_valid(const char *key);

/* The signed-in user's draft of the form form_key as an object of field name to value (a string, or an array of
 * strings for a repeated field), or NULL when there is none. The caller owns the reference. */
json_t *drafts_load(struct http_request *req, const char *form_key);

/* Saves data (an object of field name to value, borrowed) as the signed-in user's draft of form_key, in its own
 * transaction: for pages that keep answers on the server as the user goes, with no script (the partner referral's
 * question pages). 0, or -1 when the key is invalid, the draft too large or the database fails. */
int drafts_save(struct http_request *req, const char *form_key, json_t *data);

/* Discards the signed-in user's draft of form_key (none is not an error). Runs in the caller's transaction if one is
 * open, else on its own. 0, or -1 on a database error. */
int drafts_delete(struct http_request *req, const char *form_key);

#endif
