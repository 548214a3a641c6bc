/* pack: the information pack that goes with a decision to share information about a child with another agency or
 * a court (issue 7, part 6; procedures-B 3.4.4, 3.4.5; procedures-A1-5 5.10, 5.11).
 *
 * pack_render() is the only place a pack's content is decided. It reads the live record (the child's details, the
 * people around the child, the chronology in the pack's scope, the reports to the child's conferences) and writes
 * one HTML document. With agency_copy it leaves out, whoever asks for it:
 *   - every field the field table marks restricted (FIELD_RESTRICTED: addresses, postcodes), through
 *     record_redact(), the same function that hides them on screen;
 *   - every chronology entry whose restriction is not "none" (restricted, third party, withheld);
 *   - every conference report withheld from the family;
 * and says in each section how many items it left out "under 5.11", never what they were. Without agency_copy it
 * writes the file copy: the same document with the left-out items shown and marked, kept as a confidential
 * document so anyone reviewing the share later can see exactly what was and was not sent. The agency copy is stored
 * as a redacted version of the file copy (documents.redacted_version_of).
 *
 * The HTML uses only the vocabulary src/docs/pdf_html.h converts, so both copies print as PDF through the same
 * typesetter as the conference letters. docs/internals/redaction.md has the design. */
#ifndef SG_PACK_H
#define SG_PACK_H
#include <jansson.h>
#include <stdbool.h>

#include "http/http.h"
#include "http/router.h"

struct pack_scope {
	const char *child_id;
	const char *decision_id; /* the sharing decision the pack goes with */
	const char *from, *to;   /* inclusive ISO dates, or NULL (open) */
	json_t *event_types;     /* array of chronology_event_type codes; NULL or [] = every type (borrowed) */
	bool include_reports;    /* the reports written for the child's conferences */
};

struct pack_counts {
	int entries;          /* chronology entries in the pack */
	int fields_left_out;  /* restricted fields with a value */
	int entries_left_out; /* restricted, third-party and withheld chronology entries in scope */
	int reports_left_out; /* withheld reports in scope */
};

/* The pack as HTML (malloc'd; the caller frees), or NULL when the child or the decision cannot be read. counts
 * receives what went in and what was left out (the same for both copies of one scope). */
char *pack_render(struct http_request *req, const struct pack_scope *sc, bool agency_copy, struct pack_counts *n);

/* The packs made for one sharing decision, newest first: [{id, document_id, full_document_id, from, to,
 * event_types, include_reports, entries_included, items_left_out, created_at, created_by_name, sha256, links}].
 * A new reference. */
json_t *pack_list(struct http_request *req, const char *child_id, const char *decision_id);

extern const struct route pack_routes[];

#endif
