#include "api/view_cache.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/id.h"
#include "core/xmalloc.h"

struct entry {
	const char *kind; /* a static string: compared by address and then text */
	char id[ID_MAX];
	int variant;
	uint64_t version;
	char *text;
	size_t len;
};

struct view_cache {
	struct entry e[VIEW_CACHE_ENTRIES];
	unsigned next; /* the slot replaced next (round robin) */
};

static void cache_free(void *p)
{
	struct view_cache *c = p;
	for (int i = 0; i < VIEW_CACHE_ENTRIES; i++)
		free(c->e[i].text);
	free(c);
}

static bool same_key(const struct entry *e, const char *kind, const char *id, int variant)
{
	return e->text && e->variant == variant && (e->kind == kind || strcmp(e->kind, kind) == 0) &&
	       strcmp(e->id, id) == 0;
}

const char *view_cache_get(struct store *st, const char *kind, const char *id, int variant, uint64_t version,
                           size_t *len)
{
	struct view_cache *c = store_cache(st, STORE_CACHE_VIEWS);
	if (!c || !version || !id)
		return NULL;
	for (int i = 0; i < VIEW_CACHE_ENTRIES; i++) {
		struct entry *e = &c->e[i];
		if (e->version == version && same_key(e, kind, id, variant)) {
			*len = e->len;
			return e->text;
		}
	}
	return NULL;
}

void view_cache_put(struct store *st, const char *kind, const char *id, int variant, uint64_t version,
                    const char *text, size_t len)
{
	if (!version || !id || strlen(id) >= ID_MAX || len > VIEW_CACHE_MAX_TEXT)
		return;
	struct view_cache *c = store_cache(st, STORE_CACHE_VIEWS);
	if (!c) {
		c = xcalloc(1, sizeof *c);
		store_set_cache(st, STORE_CACHE_VIEWS, c, cache_free);
	}
	/* The same key at an older version is replaced in place; otherwise the next slot in turn. */
	struct entry *e = NULL;
	for (int i = 0; i < VIEW_CACHE_ENTRIES && !e; i++)
		if (same_key(&c->e[i], kind, id, variant))
			e = &c->e[i];
	if (!e)
		e = &c->e[c->next++ % VIEW_CACHE_ENTRIES];
	free(e->text);
	e->text = xmalloc(len + 1);
	memcpy(e->text, text, len);
	e->text[len] = '\0';
	e->len = len;
	e->kind = kind;
	snprintf(e->id, sizeof e->id, "%s", id);
	e->variant = variant;
	e->version = version;
}
