#include "domain/chronology.h"

#include <stdio.h>

#include "core/date.h"

int chronology_append(struct store *st, const struct chronology_event *ev, const char *user_id, char *id_out)
{
	struct store_stmt *s = store_prepare(
		st, "INSERT INTO chronology (id, child_id, case_id, event_date, event_type, summary, significance, "
		    "source_type, source_id, agency_id, created_by, created_at, restriction) "
		    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)");
	if (!s)
		return STORE_ERR;
	char id[ID_MAX], now[MOMENT_ISO_LEN];
	id_new("chr", id);
	moment_format(moment_now(), now);
	store_bind_text(s, 1, id);
	store_bind_text(s, 2, ev->child_id);
	store_bind_text(s, 3, ev->case_id);
	store_bind_text(s, 4, ev->event_date ? ev->event_date : now);
	store_bind_text(s, 5, ev->event_type);
	store_bind_text(s, 6, ev->summary);
	store_bind_text(s, 7, ev->significance ? ev->significance : "routine");
	store_bind_text(s, 8, ev->source_type);
	store_bind_text(s, 9, ev->source_id);
	store_bind_text(s, 10, ev->agency_id);
	store_bind_text(s, 11, user_id);
	store_bind_text(s, 12, now);
	store_bind_text(s, 13, ev->restriction ? ev->restriction : "none");
	int rc = store_step(s);
	if (rc != STORE_DONE)
		return rc;
	if (id_out)
		snprintf(id_out, ID_MAX, "%s", id);
	return STORE_OK;
}

json_t *chronology_query(struct store *st, const char *child_id, const char *from, const char *to, const char *type,
                         const char *significance, int limit, bool show_restricted)
{
	struct store_stmt *s = store_prepare(
		st, "SELECT id, event_date, event_type, summary, significance, source_type, source_id, agency_id, "
		    "created_by, created_at, case_id, restriction FROM chronology WHERE child_id = $1 "
		    "AND ($2 IS NULL OR event_date >= $2) AND ($3 IS NULL OR event_date < $3) "
		    "AND ($4 IS NULL OR event_type = $4) AND ($5 IS NULL OR significance = $5) "
		    "AND ($7 = 1 OR restriction <> 'restricted') "
		    "ORDER BY event_date DESC, created_at DESC LIMIT $6");
	if (!s)
		return NULL;
	char to_next[DATE_ISO_LEN];
	int32_t d;
	if (to && date_parse(to, &d) == 0)
		date_format(d + 1, to_next); /* "to" is inclusive: everything before the next day */
	store_bind_text(s, 1, child_id);
	store_bind_text(s, 2, from);
	store_bind_text(s, 3, to ? to_next : NULL);
	store_bind_text(s, 4, type);
	store_bind_text(s, 5, significance);
	store_bind_int(s, 6, limit > 0 ? limit : 5000);
	store_bind_int(s, 7, show_restricted ? 1 : 0);
	json_t *items = json_array();
	while (store_step(s) == STORE_ROW) {
		json_array_append_new(
			items, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s?, s:s?, s:s?, s:s?, s:s, s:s?, s:s}", "id",
			                 store_col_text(s, 0), "event_date", store_col_text(s, 1), "event_type",
			                 store_col_text(s, 2), "summary", store_col_text(s, 3), "significance",
			                 store_col_text(s, 4), "source_type", store_col_text(s, 5), "source_id",
			                 store_col_text(s, 6), "agency_id", store_col_text(s, 7), "entered_by",
			                 store_col_text(s, 8), "entered_at", store_col_text(s, 9), "case_id",
			                 store_col_text(s, 10), "restriction", store_col_text(s, 11)));
	}
	return items;
}

int64_t chronology_count(struct store *st, const char *child_id, bool show_restricted)
{
	return store_query_int(st,
	                       show_restricted ? "SELECT COUNT(*) FROM chronology WHERE child_id = $1"
	                                       : "SELECT COUNT(*) FROM chronology WHERE child_id = $1 AND restriction <> "
	                                         "'restricted'",
	                       child_id);
}
