/* router: routes as tables (after tmux's cmd_entry). Each resource file exports a `const struct route x_routes[]`
 * ending with an all-zero entry; src/app/routes.c lists the tables. The dispatcher, not the handler, enforces
 * sign-in, CSRF and the policy decision named by `action`.
 *
 * Patterns are literal segments and ":name" segments that capture one non-empty path segment into req->params
 * in order. A pattern that matches the path but not the method gives 405 with an Allow header. */
#ifndef SG_ROUTER_H
#define SG_ROUTER_H
#include "http/http.h"

enum route_flags {
	ROUTE_PUBLIC = 1,  /* reachable without signing in (sign-in page, assets, health) */
	ROUTE_NO_CSRF = 2, /* a state-changing route with its own protection (the sign-in form's pre-session token) */
};

struct route {
	unsigned methods;  /* enum http_method bits */
	const char *pattern;
	void (*handler)(struct http_request *req);
	const char *action; /* policy action checked before the handler runs (NULL only for ROUTE_PUBLIC) */
	unsigned flags;
};

enum router_result { ROUTER_FOUND = 0, ROUTER_NOT_FOUND = 404, ROUTER_BAD_METHOD = 405 };

/* tables is NULL-terminated. On ROUTER_FOUND sets req->route and req->params. On ROUTER_BAD_METHOD writes the
 * allowed methods ("GET, POST") into allow. */
enum router_result router_match(const struct route *const *tables, struct http_request *req, struct buf *allow);
enum http_method router_method(const char *name); /* 0 when unknown */

#endif
