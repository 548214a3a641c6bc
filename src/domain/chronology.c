#include "domain/chronology.h"

#include <stdio.h>

#include "core/date.h"

int chronology_append(struct store *st, const struct chronology_event *ev, const char *user_id, char *id_out)
{
	struct store_stmt *s = store_prepare(
		st, "INSERT INTO chronology (id, child_id, case_id, event_date, event_type, summary, significance, "
		    "source_type, source_id, agency_id, created_by, created_at) "
		    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)");
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
	int rc = store_step(s);
	if (rc != STORE_DONE)
		return rc;
	if (id_out)
		snprintf(id_out, ID_MAX, "%s", id);
	return STORE_OK;
}
