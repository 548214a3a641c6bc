#include "http/router.h"

#include <string.h>

enum http_method router_method(const char *name)
{
	static const struct {
		const char *name;
		enum http_method m;
	} methods[] = {
		{"GET", HTTP_GET}, {"POST", HTTP_POST}, {"PUT", HTTP_PUT},
		{"PATCH", HTTP_PATCH}, {"DELETE", HTTP_DELETE}, {"HEAD", HTTP_HEAD},
	};
	for (size_t i = 0; i < sizeof methods / sizeof methods[0]; i++)
		if (strcmp(methods[i].name, name) == 0)
			return methods[i].m;
	return 0;
}

/* Matches one pattern against the path; captures into params (arena strings). */
static bool match_pattern(const char *pattern, const char *path, struct http_request *req, const char **params,
                          int *nparams)
{
	const char *p = pattern, *s = path;
	int n = 0;
	while (*p && *s) {
		if (*p == ':') {
			const char *pend = strchr(p, '/');
			const char *send = strchr(s, '/');
			size_t slen = send ? (size_t)(send - s) : strlen(s);
			if (slen == 0 || n == HTTP_MAX_PARAMS)
				return false;
			params[n++] = arena_strndup(&req->arena, s, slen);
			p = pend ? pend : p + strlen(p);
			s += slen;
			continue;
		}
		if (*p != *s)
			return false;
		p++;
		s++;
	}
	if (*p || *s)
		return false;
	*nparams = n;
	return true;
}

enum router_result router_match(const struct route *const *tables, struct http_request *req, struct buf *allow)
{
	unsigned allowed = 0;
	enum http_method m = req->method == HTTP_HEAD ? HTTP_GET : req->method;
	for (const struct route *const *t = tables; *t; t++) {
		for (const struct route *r = *t; r->pattern; r++) {
			const char *params[HTTP_MAX_PARAMS];
			int n = 0;
			if (!match_pattern(r->pattern, req->path, req, params, &n))
				continue;
			if (!(r->methods & m)) {
				allowed |= r->methods;
				continue;
			}
			req->route = r;
			req->nparams = n;
			for (int i = 0; i < n; i++)
				req->params[i] = params[i];
			return ROUTER_FOUND;
		}
	}
	if (!allowed)
		return ROUTER_NOT_FOUND;
	static const char *const names[] = {"GET", "POST", "PUT", "PATCH", "DELETE"};
	for (int i = 0; i < 5; i++) {
		if (allowed & (1u << i)) {
			if (allow->len)
				buf_adds(allow, ", ");
			buf_adds(allow, names[i]);
		}
	}
	return ROUTER_BAD_METHOD;
}
