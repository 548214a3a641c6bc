/* front_forms: the HTML forms of the front half of the pathway, as a table. Each form names the record it belongs
 * to, the policy action, the command it runs (the same function the JSON API calls) and its fields, which come from
 * the command's entity (record.h) or from a few inputs that are not columns (the strategy category of a decision,
 * a reason). One template (web/templates/pathway/form.html) draws every form in GOV.UK Design System markup; a
 * refused form is drawn again with the error summary and everything typed. */
#ifndef SG_PATHWAY_FRONT_FORMS_H
#define SG_PATHWAY_FRONT_FORMS_H
#include <jansson.h>
#include <stdbool.h>

#include "http/http.h"
#include "pathway/front.h"

struct front_form {
	const char *owner;    /* URL segment of the record it belongs to: "cases", "referrals", "assessments", ... */
	const char *slug;     /* URL segment of the form */
	const char *title;
	const char *action;   /* policy action */
	const char *command;  /* stage command (stages.json) that makes it available */
	const struct entity *entity;
	const char *const *fields; /* in order; names of entity fields or of front_form_extras */
	front_cmd cmd;
	const struct entity *prefill; /* read the record's current values into the form (update forms), or NULL */
	bool participants;    /* the strategy discussion's participant rows */
	const char *button;
};

/* The form for owner/slug, or NULL. */
const struct front_form *front_form_find(const char *owner, const char *slug);
/* Every form of an owner, for the links on the case page: [{slug, title, href}] for those the user's role may use
 * and whose command the case's stage allows. */
json_t *front_form_links(struct http_request *req, const char *owner, const char *id, const char *stage);
/* The owner's table (for front_load_owner), or NULL for "cases". */
const char *front_form_owner_table(const char *owner);

/* The JSON input of a form from the posted fields (dates and times joined, yes/no to booleans, empty dropped). */
json_t *front_form_input(const struct front_form *f, struct http_request *req);
/* The template context of the form's fields: values from the posted form when posted, else from record (may be
 * NULL), with each field's error from error_map. */
json_t *front_form_fields(const struct front_form *f, struct http_request *req, json_t *record, json_t *error_map,
                          const char *case_id);
/* Error hrefs, after web_add_errors: dates and times point at their day box; an error about something not on the
 * form becomes plain text in the summary. */
void front_form_fix_hrefs(const struct front_form *f, json_t *errors);

#endif
