/* clocks_api: the deadline views and actions over HTTP (JSON and pages). */
#ifndef SG_CLOCKS_API_H
#define SG_CLOCKS_API_H
#include "http/router.h"

extern const struct route clocks_routes[];
extern const struct route calendar_feed_routes[];

/* Answers with req->user's running deadlines as an iCalendar (RFC 5545) document: the rule, its citation and a link,
 * never a child's name. The download is audited as an export by that user. */
void clocks_ical_respond(struct http_request *req);

#endif
