/* The partner referral's question pages over HTTP, without JavaScript, against the real server: every page walked
 * with its branches, refusals that keep what was typed and write nothing, Change links from the check page, carrying
 * on after signing in again, and the referral arriving at the front door through the contact command (the front
 * door team sees it, another team does not, the chronology and audit have it) with the feedback logged to the
 * referrer shown to them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "testsrv.h"

#define FORM "application/x-www-form-urlencoded"
#define REFERRER "lee.fraser"

static struct testsrv srv;

static int setup(void **state)
{
	testsrv_start(&srv, true);
	return 0;
}

static int teardown(void **state)
{
	assert_int_equal(testsrv_stop(&srv), 0);
	return 0;
}

static void signed_in(struct client *c, const char *username)
{
	client_init(c, &srv);
	assert_int_equal(client_login(c, username, DEMO_PASSWORD), 201);
}

/* A referrer's session with no unsent referral: each test starts its own and sends it. */
static void fresh_referrer(struct client *c)
{
	signed_in(c, REFERRER);
	struct http_resp r;
	assert_int_equal(client_req(c, "GET", "/api/v1/drafts?form_key=/refer", NULL, NULL, &r), 404);
	resp_free(&r);
}

static int get(struct client *c, const char *path, struct http_resp *r)
{
	return client_req(c, "GET", path, NULL, NULL, r);
}

/* Posts a page's fields with the CSRF token as a form field (no script). Returns the status; location gets the
 * path of a redirect (without the origin), or "". */
static int answer(struct client *c, const char *slug, const char *fields, char location[256], struct http_resp *keep)
{
	struct buf body, path;
	buf_init(&body, 0);
	buf_init(&path, 0);
	buf_addf(&body, "csrf=%s%s%s", c->csrf, *fields ? "&" : "", fields);
	buf_addf(&path, "/refer/%s", slug);
	struct http_resp r;
	int status = client_req(c, "POST", buf_str(&path), FORM, buf_str(&body), &r);
	buf_free(&body);
	buf_free(&path);
	if (location) {
		const char *loc = resp_header(&r, "Location");
		const char *p = loc ? strstr(loc, "/refer") : NULL;
		snprintf(location, 256, "%s", p ? p : (loc ? loc : ""));
	}
	if (keep)
		*keep = r;
	else
		resp_free(&r);
	return status;
}

static void answer_to(struct client *c, const char *slug, const char *fields, const char *expect_next)
{
	char loc[256];
	assert_int_equal(answer(c, slug, fields, loc, NULL), 303);
	assert_string_equal(loc, expect_next);
}

static void page_has(struct client *c, const char *path, int status, const char *const *needles)
{
	struct http_resp r;
	assert_int_equal(get(c, path, &r), status);
	for (const char *const *n = needles; *n; n++) {
		if (!strstr(buf_str(&r.body), *n))
			fail_msg("%s lacks %s", path, *n);
	}
	resp_free(&r);
}

static const char *redirect_of(struct client *c, const char *path, char out[256])
{
	struct http_resp r;
	assert_int_equal(get(c, path, &r), 303);
	const char *loc = resp_header(&r, "Location");
	const char *p = loc ? strstr(loc, "/refer") : NULL;
	snprintf(out, 256, "%s", p ? p : "");
	resp_free(&r);
	return out;
}

/* Answers every question for a born child whose parents agreed. */
static void answer_all(struct client *c, const char *surname)
{
	char name[160];
	snprintf(name, sizeof name, "forenames=Robin&surname=%s", surname);
	answer_to(c, "danger", "danger=no", "/refer/unborn");
	answer_to(c, "unborn", "unborn=no", "/refer/child-name");
	answer_to(c, "child-name", name, "/refer/dob");
	answer_to(c, "dob", "dob-day=4&dob-month=9&dob-year=2016", "/refer/address");
	answer_to(c, "address", "address=2+Mill+Lane%2C+Chelmsford&postcode=CM1+2AB", "/refer/concern");
	answer_to(c, "concern", "concern=Robin+came+to+school+with+a+burn+on+the+hand", "/refer/opinion");
	answer_to(c, "opinion", "opinion=", "/refer/agreement");
	answer_to(c, "agreement", "agreement=AGREED", "/refer/your-role");
	answer_to(c, "your-role", "role=Designated+safeguarding+lead&organisation=Oak+Primary", "/refer/feedback");
	answer_to(c, "feedback", "feedback=PORTAL", "/refer/contact");
	answer_to(c, "contact", "phone=01245+000000&email=", "/refer/check");
}

/* Sends the checked answers; returns the contact id (static buffer). */
static const char *send_referral(struct client *c)
{
	static char id[256];
	char loc[256];
	assert_int_equal(answer(c, "check", "", loc, NULL), 303);
	assert_int_equal(strncmp(loc, "/refer/done/con_", 16), 0);
	snprintf(id, sizeof id, "%s", loc + strlen("/refer/done/"));
	return id;
}

/* A due date some weeks ahead, as the form's fields and as the check page shows it. */
static void due_in_days(int days, char fields[128], char shown[64], const char *prefix)
{
	static const char *const months[] = {"January", "February", "March",     "April",   "May",      "June",
	                                     "July",    "August",   "September", "October", "November", "December"};
	time_t t = time(NULL) + (time_t)days * 86400;
	struct tm tm;
	gmtime_r(&t, &tm);
	snprintf(fields, 128, "%sedd-day=%d&edd-month=%d&edd-year=%d", prefix, tm.tm_mday, tm.tm_mon + 1,
	         tm.tm_year + 1900);
	snprintf(shown, 64, "%d %s %d", tm.tm_mday, months[tm.tm_mon], tm.tm_year + 1900);
}

static int mine_count(struct client *c)
{
	struct http_resp r;
	assert_int_equal(get(c, "/refer/mine", &r), 200);
	int n = 0;
	for (const char *p = buf_str(&r.body); (p = strstr(p, "data-label=\"Reference\"")); p++)
		n++;
	resp_free(&r);
	return n;
}

/* ---- every page, both branches of each question that branches ---- */

static void test_walk_every_page(void **state)
{
	struct client c;
	fresh_referrer(&c);
	/* Home links to the question pages; the staff form is not theirs. */
	page_has(&c, "/", 200, (const char *[]){"href=\"/refer\"", "Make a referral", "href=\"/refer/mine\"", NULL});
	page_has(&c, "/refer", 200, (const char *[]){"Start now", "href=\"/refer/danger\"", "call 999", NULL});
	/* Each question is the page's heading, with a hint, a back link to the question before and Continue. */
	page_has(&c, "/refer/danger", 200,
	         (const char *[]){"<h1 class=\"govuk-fieldset__heading\">Is the child in immediate danger?</h1>",
	                          "id=\"danger-hint\"", "class=\"govuk-back-link\"", "href=\"/refer\"", ">Continue<",
	                          "name=\"csrf\"", NULL});
	answer_to(&c, "danger", "danger=yes", "/refer/unborn");
	page_has(&c, "/refer/unborn", 200, (const char *[]){"Is this referral about an unborn baby?", "href=\"/refer/danger\"", NULL});
	/* Unborn: the due date is asked, not the date of birth. */
	answer_to(&c, "unborn", "unborn=yes", "/refer/child-name");
	answer_to(&c, "child-name", "forenames=Unborn&surname=Walkerton", "/refer/edd");
	page_has(&c, "/refer/edd", 200, (const char *[]){"When is the baby due?", "href=\"/refer/child-name\"", "name=\"edd-day\"", NULL});
	char loc[256];
	assert_string_equal(redirect_of(&c, "/refer/dob", loc), "/refer/edd"); /* not asked on this branch */
	char due[128], due_shown[64];
	due_in_days(70, due, due_shown, "");
	answer_to(&c, "edd", due, "/refer/address");
	answer_to(&c, "address", "address=&postcode=", "/refer/concern"); /* not knowing must not stop a referral */
	page_has(&c, "/refer/concern", 200, (const char *[]){"<label class=\"govuk-label govuk-label--l\" for=\"concern\">What are you worried about?</label>", NULL});
	answer_to(&c, "concern", "concern=Mother+says+her+partner+hits+her+and+she+is+28+weeks+pregnant", "/refer/opinion");
	answer_to(&c, "opinion", "opinion=High+risk+at+birth", "/refer/agreement");
	/* Not asked: the reason is asked next, from the closed list of 1.6.14. */
	answer_to(&c, "agreement", "agreement=NOT_SOUGHT", "/refer/not-sought");
	page_has(&c, "/refer/not-sought", 200, (const char *[]){"Why have you not asked the parents?", "RISK_LOSS_OF_EVIDENCE", NULL});
	assert_string_equal(redirect_of(&c, "/refer/refused", loc), "/refer/not-sought"); /* first unanswered */
	answer_to(&c, "not-sought", "not_sought_reason=RISK_SH_DELAY_OR_REACTION", "/refer/your-role");
	answer_to(&c, "your-role", "role=Midwife&organisation=Broomfield+Hospital", "/refer/feedback");
	answer_to(&c, "feedback", "feedback=EMAIL", "/refer/contact");
	answer_to(&c, "contact", "phone=&email=midwife%40example.org", "/refer/check");
	page_has(&c, "/refer/check", 200,
	         (const char *[]){"Check your answers before sending your referral", "Unborn Walkerton", due_shown,
	                          "Asking would put the child at risk of significant harm", "midwife@example.org",
	                          "href=\"/refer/edd?change=1\"", "You said the child is in immediate danger",
	                          "Lee Fraser", "Send referral", NULL});
	/* The date of birth was never asked on this branch, so the check page has no row for it. */
	struct http_resp r;
	assert_int_equal(get(&c, "/refer/check", &r), 200);
	assert_null(strstr(buf_str(&r.body), "change-dob"));
	assert_null(strstr(buf_str(&r.body), "change-refused"));
	resp_free(&r);

	const char *id = send_referral(&c);
	char path[128];
	snprintf(path, sizeof path, "/refer/done/%s", id);
	page_has(&c, path, 200, (const char *[]){"govuk-panel--confirmation", "Referral sent", id, "within one working day",
	                                         "by email", "call 999", NULL});
	/* The answers are gone once sent: the start page offers a new referral. */
	page_has(&c, "/refer", 200, (const char *[]){"Start now", NULL});
	assert_string_equal(redirect_of(&c, "/refer/check", loc), "/refer/danger");

	/* At the front door: the same contact record as the staff form and the API write. */
	struct client sw;
	signed_in(&sw, "asha.patel"); /* team A, the demo's front door team */
	snprintf(path, sizeof path, "/api/v1/contacts/%s", id);
	assert_int_equal(get(&sw, path, &r), 200);
	json_t *v = r.json;
	assert_string_equal(json_string_value(json_object_get(v, "channel")), "ONLINE_PORTAL");
	assert_string_equal(json_string_value(json_object_get(v, "contact_type")), "CONTACT_REFERRAL");
	assert_string_equal(json_string_value(json_object_get(v, "referrer_type")), "PROFESSIONAL");
	assert_false(json_is_true(json_object_get(v, "anonymous")));
	assert_string_equal(json_string_value(json_object_get(v, "referrer_name")), "Lee Fraser");
	assert_string_equal(json_string_value(json_object_get(v, "parental_agreement")), "NOT_SOUGHT");
	assert_string_equal(json_string_value(json_object_get(v, "parental_not_sought_reason")),
	                    "RISK_SH_DELAY_OR_REACTION");
	assert_true(json_is_true(json_object_get(v, "immediate_danger")));
	assert_non_null(json_string_value(json_object_get(v, "referrer_user_id")));
	json_t *kids = json_object_get(v, "children");
	assert_int_equal(json_array_size(kids), 1);
	char child[64], case_id[64];
	snprintf(child, sizeof child, "%s", json_string_value(json_object_get(json_array_get(kids, 0), "child_id")));
	snprintf(case_id, sizeof case_id, "%s", json_string_value(json_object_get(json_array_get(kids, 0), "case_id")));
	resp_free(&r);
	/* The unborn child's record, with the due date. */
	snprintf(path, sizeof path, "/api/v1/children/%s", child);
	assert_int_equal(get(&sw, path, &r), 200);
	assert_true(json_is_true(json_object_get(r.json, "is_unborn")));
	assert_non_null(json_string_value(json_object_get(r.json, "edd")));
	resp_free(&r);
	/* The case waits at the contact stage with no worker, in the front door team's list. */
	snprintf(path, sizeof path, "/api/v1/cases/%s/pathway", case_id);
	assert_int_equal(get(&sw, path, &r), 200);
	assert_string_equal(json_string_value(json_object_get(r.json, "stage")), "contact");
	resp_free(&r);
	struct client mgr;
	signed_in(&mgr, "dan.hughes");
	assert_int_equal(get(&mgr, "/api/v1/dashboard", &r), 200);
	bool listed = false;
	size_t i;
	json_t *row;
	json_array_foreach(json_object_get(r.json, "cases"), i, row) {
		if (strcmp(json_string_value(json_object_get(row, "case_id")), case_id) == 0) {
			listed = true;
			assert_true(json_is_null(json_object_get(row, "worker_id")));
		}
	}
	assert_true(listed);
	resp_free(&r);
	/* Chronology, written by the command. */
	snprintf(path, sizeof path, "/api/v1/children/%s/chronology", child);
	assert_int_equal(get(&sw, path, &r), 200);
	assert_non_null(strstr(buf_str(&r.body), "Contact received"));
	resp_free(&r);
	/* Audit: the referrer created the contact. */
	struct client aud;
	signed_in(&aud, "jo.lindqvist");
	snprintf(path, sizeof path, "/api/v1/audit/children/%s", child);
	assert_int_equal(get(&aud, path, &r), 200);
	assert_non_null(strstr(buf_str(&r.body), "\"contact\""));
	assert_non_null(strstr(buf_str(&r.body), "\"create\""));
	resp_free(&r);
	/* Another team does not see it. */
	struct client other;
	signed_in(&other, "cara.nolan");
	snprintf(path, sizeof path, "/api/v1/children/%s", child);
	assert_int_equal(get(&other, path, &r), 404);
	resp_free(&r);
}

/* ---- refusals ---- */

static void test_refusals(void **state)
{
	struct client c;
	fresh_referrer(&c);
	int before = mine_count(&c);
	struct http_resp r;
	/* Nothing chosen: the error summary and the inline error, the page again, 422. */
	assert_int_equal(answer(&c, "danger", "", NULL, &r), 422);
	const char *html = buf_str(&r.body);
	assert_non_null(strstr(html, "govuk-error-summary"));
	assert_non_null(strstr(html, "<a href=\"#danger\">Select yes if the child is in immediate danger</a>"));
	assert_non_null(strstr(html, "id=\"danger-error\""));
	assert_non_null(strstr(html, "<title>Error: "));
	resp_free(&r);
	/* A value that is not one of the options is refused the same way. */
	assert_int_equal(answer(&c, "danger", "danger=maybe", NULL, NULL), 422);
	answer_to(&c, "danger", "danger=no", "/refer/unborn");
	answer_to(&c, "unborn", "unborn=no", "/refer/child-name");
	/* A missing last name: refused, and what was typed is kept, in the page and after going away and back. */
	assert_int_equal(answer(&c, "child-name", "forenames=Kit&surname=+", NULL, &r), 422);
	assert_non_null(strstr(buf_str(&r.body), "<a href=\"#surname\">Enter the child&#39;s last name</a>"));
	assert_non_null(strstr(buf_str(&r.body), "value=\"Kit\""));
	resp_free(&r);
	page_has(&c, "/refer/child-name", 200, (const char *[]){"value=\"Kit\"", NULL});
	answer_to(&c, "child-name", "forenames=Kit&surname=Refusewell", "/refer/dob");
	/* Dates: not a real date, in the future, half given. Each error links to the day box. */
	static const struct {
		const char *fields, *message;
	} dates[] = {
		{"dob-day=30&dob-month=2&dob-year=2016", "Enter a real date"},
		{"dob-day=1&dob-month=1&dob-year=2199", "today or in the past"},
		{"dob-day=&dob-month=3&dob-year=", "Enter a real date"},
		{"dob-day=&dob-month=&dob-year=", "Enter the child&#39;s date of birth"},
		{"dob-day=x&dob-month=3&dob-year=2016", "Enter a real date"},
	};
	for (size_t i = 0; i < sizeof dates / sizeof dates[0]; i++) {
		assert_int_equal(answer(&c, "dob", dates[i].fields, NULL, &r), 422);
		if (!strstr(buf_str(&r.body), dates[i].message) || !strstr(buf_str(&r.body), "href=\"#dob-day\""))
			fail_msg("%s: expected %s", dates[i].fields, dates[i].message);
		resp_free(&r);
	}
	answer_to(&c, "dob", "dob-day=1&dob-month=3&dob-year=2016", "/refer/address");
	/* A concern longer than the limit. */
	struct buf big;
	buf_init(&big, 0);
	buf_adds(&big, "concern=");
	for (int i = 0; i < 10001; i++)
		buf_adds(&big, "a");
	assert_int_equal(answer(&c, "concern", buf_str(&big), NULL, &r), 422);
	assert_non_null(strstr(buf_str(&r.body), "10000 characters or fewer"));
	resp_free(&r);
	buf_free(&big);
	/* Refused agreement needs the reason for going ahead. */
	assert_int_equal(answer(&c, "refused", "refused_reason=x", NULL, NULL), 303); /* not asked yet: sent on */
	answer_to(&c, "agreement", "agreement=REFUSED", "/refer/refused");
	assert_int_equal(answer(&c, "refused", "refused_reason=", NULL, &r), 422);
	assert_non_null(strstr(buf_str(&r.body), "without the parents&#39; agreement"));
	resp_free(&r);
	/* Feedback by email needs an email address; any address given must look like one. */
	answer_to(&c, "feedback", "feedback=EMAIL", "/refer/contact");
	assert_int_equal(answer(&c, "contact", "phone=0100&email=", NULL, &r), 422);
	assert_non_null(strstr(buf_str(&r.body), "<a href=\"#email\">Enter your email address"));
	resp_free(&r);
	assert_int_equal(answer(&c, "contact", "phone=0100&email=not-an-address", NULL, &r), 422);
	assert_non_null(strstr(buf_str(&r.body), "correct format"));
	resp_free(&r);
	/* The check page and sending are refused while questions are unanswered: back to the first of them. */
	char loc[256];
	assert_string_equal(redirect_of(&c, "/refer/check", loc), "/refer/concern");
	assert_int_equal(answer(&c, "check", "", loc, NULL), 303);
	assert_string_equal(loc, "/refer/concern");
	assert_int_equal(mine_count(&c), before); /* nothing was written */
	/* No CSRF token: refused before anything is saved. */
	char token[128];
	snprintf(token, sizeof token, "%s", c.csrf);
	c.csrf[0] = '\0';
	assert_int_equal(client_req(&c, "POST", "/refer/concern", FORM, "concern=sneaky", &r), 403);
	resp_free(&r);
	snprintf(c.csrf, sizeof c.csrf, "%s", token);
	struct http_resp d;
	assert_int_equal(get(&c, "/api/v1/drafts?form_key=/refer", &d), 200);
	assert_null(strstr(buf_str(&d.body), "sneaky"));
	resp_free(&d);
	/* No such question. */
	assert_int_equal(get(&c, "/refer/no-such-question", &r), 404);
	resp_free(&r);
	/* Staff keep their grouped form: the question pages are not theirs, and the referrer may not use the staff form. */
	struct client sw;
	signed_in(&sw, "asha.patel");
	assert_int_equal(get(&sw, "/refer", &r), 403);
	resp_free(&r);
	assert_int_equal(answer(&sw, "danger", "danger=no", NULL, NULL), 403);
	page_has(&sw, "/pathway/contacts/new", 200, (const char *[]){"Record a contact", NULL});
	assert_int_equal(get(&c, "/pathway/contacts/new", &r), 403);
	resp_free(&r);
	/* A contact the referrer did not make themselves (recorded by staff through the API) is not theirs: its
	 * confirmation is answered as missing and it is not listed to them. */
	char body[1024], staff_contact[64];
	snprintf(body, sizeof body,
	         "{\"received_at\": \"2026-11-02T10:00:00Z\", \"channel\": \"PHONE\", \"contact_type\": "
	         "\"CONTACT_REFERRAL\", \"referrer_type\": \"PROFESSIONAL\", \"referrer_name\": \"Lee Fraser\", "
	         "\"feedback_method\": \"PHONE\", \"concern_summary\": \"Phoned in by the same person\", "
	         "\"children\": [{\"forenames\": \"Staffy\", \"surname\": \"Recordwell\", \"dob\": \"2015-05-05\"}]}");
	assert_int_equal(client_req(&sw, "POST", "/api/v1/contacts", NULL, body, &r), 201);
	snprintf(staff_contact, sizeof staff_contact, "%s", json_string_value(json_object_get(r.json, "id")));
	resp_free(&r);
	char path[128];
	snprintf(path, sizeof path, "/refer/done/%s", staff_contact);
	assert_int_equal(get(&c, path, &r), 404);
	resp_free(&r);
	assert_int_equal(mine_count(&c), before);
	/* Finish, so the next test starts clean. */
	answer_to(&c, "concern", "concern=Kit+has+not+been+collected+from+school+for+three+days", "/refer/opinion");
	answer_to(&c, "opinion", "opinion=", "/refer/agreement");
	answer_to(&c, "agreement", "agreement=AGREED", "/refer/your-role");
	answer_to(&c, "your-role", "role=Teacher&organisation=Elm+School", "/refer/feedback");
	answer_to(&c, "feedback", "feedback=PHONE", "/refer/contact");
	answer_to(&c, "contact", "phone=0100&email=", "/refer/check");
	const char *id = send_referral(&c);
	assert_int_equal(mine_count(&c), before + 1);
	snprintf(path, sizeof path, "/refer/done/%s", id);
	page_has(&c, path, 200, (const char *[]){id, "by telephone", NULL});
	assert_int_equal(get(&c, "/refer/done/con_0000000000000000", &r), 404);
	resp_free(&r);
}

/* ---- Change links from the check page ---- */

static void test_change_from_check(void **state)
{
	struct client c;
	fresh_referrer(&c);
	answer_all(&c, "Changewell");
	/* A Change link opens the question with its answer, a back link to the check page, and returns there. */
	page_has(&c, "/refer/concern?change=1", 200,
	         (const char *[]){"burn on the hand", "href=\"/refer/check\"", "name=\"change\" value=\"1\"", NULL});
	answer_to(&c, "concern", "change=1&concern=Robin+has+a+burn+on+the+hand+and+says+dad+did+it", "/refer/check");
	page_has(&c, "/refer/check", 200, (const char *[]){"says dad did it", NULL});
	/* A change that opens a branch asks the new question first, then returns to the check page. */
	answer_to(&c, "unborn", "change=1&unborn=yes", "/refer/edd?change=1");
	page_has(&c, "/refer/edd?change=1", 200, (const char *[]){"href=\"/refer/check\"", NULL});
	char due[128], due_shown[64];
	due_in_days(100, due, due_shown, "change=1&");
	answer_to(&c, "edd", due, "/refer/check");
	struct http_resp r;
	assert_int_equal(get(&c, "/refer/check", &r), 200);
	assert_non_null(strstr(buf_str(&r.body), due_shown));
	assert_null(strstr(buf_str(&r.body), "4 September 2016")); /* the date of birth is no longer part of it */
	resp_free(&r);
	answer_to(&c, "unborn", "change=1&unborn=no", "/refer/check"); /* the date of birth was kept */
	answer_to(&c, "agreement", "change=1&agreement=REFUSED", "/refer/refused?change=1");
	answer_to(&c, "refused", "change=1&refused_reason=The+burn+needs+seeing+today", "/refer/check");
	/* A refused change stays on the question, still in change mode. */
	assert_int_equal(answer(&c, "your-role", "change=1&role=&organisation=Oak+Primary", NULL, &r), 422);
	assert_non_null(strstr(buf_str(&r.body), "name=\"change\" value=\"1\""));
	resp_free(&r);
	answer_to(&c, "your-role", "change=1&role=Head+teacher&organisation=Oak+Primary", "/refer/check");
	const char *id = send_referral(&c);
	struct client sw;
	signed_in(&sw, "asha.patel");
	char path[128];
	snprintf(path, sizeof path, "/api/v1/contacts/%s", id);
	assert_int_equal(get(&sw, path, &r), 200);
	assert_string_equal(json_string_value(json_object_get(r.json, "parental_agreement")), "REFUSED");
	assert_string_equal(json_string_value(json_object_get(r.json, "parental_reason_detail")),
	                    "The burn needs seeing today");
	assert_string_equal(json_string_value(json_object_get(r.json, "referrer_role")), "Head teacher");
	assert_non_null(strstr(json_string_value(json_object_get(r.json, "concern_summary")), "says dad did it"));
	resp_free(&r);
}

/* ---- carrying on after signing in again ---- */

static void test_resume_after_sign_in(void **state)
{
	struct client c;
	fresh_referrer(&c);
	answer_to(&c, "danger", "danger=no", "/refer/unborn");
	answer_to(&c, "unborn", "unborn=no", "/refer/child-name");
	answer_to(&c, "child-name", "forenames=Ash&surname=Resumewell", "/refer/dob");
	/* Typed into the concern page and autosaved by the page's script (as app.js posts it), never continued. */
	struct http_resp r;
	struct buf body;
	buf_init(&body, 0);
	buf_addf(&body, "csrf=%s&form_key=/refer/concern&concern=Half+written+when+the+session+ended", c.csrf);
	assert_int_equal(client_req(&c, "POST", "/drafts", FORM, buf_str(&body), &r), 200);
	resp_free(&r);
	buf_free(&body);
	/* The session ends. */
	assert_int_equal(client_req(&c, "DELETE", "/api/v1/session", NULL, NULL, &r), 204);
	resp_free(&r);
	assert_int_equal(get(&c, "/refer/dob", &r), 303); /* to the sign-in page */
	resp_free(&r);
	/* Signed in again: the start page offers to carry on at the first unanswered question. */
	struct client again;
	signed_in(&again, REFERRER);
	page_has(&again, "/refer", 200, (const char *[]){"Continue your referral", "href=\"/refer/dob\"", NULL});
	page_has(&again, "/refer/child-name", 200, (const char *[]){"value=\"Ash\"", "value=\"Resumewell\"", NULL});
	answer_to(&again, "dob", "dob-day=2&dob-month=2&dob-year=2012", "/refer/address");
	answer_to(&again, "address", "address=&postcode=", "/refer/concern");
	page_has(&again, "/refer/concern", 200, (const char *[]){"Half written when the session ended", NULL});
	answer_to(&again, "concern", "concern=Written+in+full+after+signing+in+again", "/refer/opinion");
	/* Once continued, the page's own autosave is folded in and discarded. */
	assert_int_equal(get(&again, "/api/v1/drafts?form_key=/refer/concern", &r), 404);
	resp_free(&r);
	answer_to(&again, "opinion", "opinion=", "/refer/agreement");
	answer_to(&again, "agreement", "agreement=AGREED", "/refer/your-role");
	answer_to(&again, "your-role", "role=School+nurse&organisation=NHS", "/refer/feedback");
	answer_to(&again, "feedback", "feedback=PORTAL", "/refer/contact");
	answer_to(&again, "contact", "phone=0100&email=", "/refer/check");
	page_has(&again, "/refer/check", 200, (const char *[]){"Ash Resumewell", "2 February 2012",
	                                                       "Written in full after signing in again", NULL});
	send_referral(&again);
}

/* ---- what the referrer is told ---- */

static void test_feedback_shown_to_referrer(void **state)
{
	struct client c;
	fresh_referrer(&c);
	answer_all(&c, "Feedbackwell");
	const char *sent = send_referral(&c);
	char id[64], path[160];
	snprintf(id, sizeof id, "%s", sent);
	page_has(&c, "/refer/mine", 200, (const char *[]){id, "Robin Feedbackwell", "Received", "Nothing yet", NULL});

	/* The front door converts it to a referral, acknowledges it to the referrer and decides. */
	struct client sw, mgr;
	signed_in(&sw, "asha.patel");
	signed_in(&mgr, "dan.hughes");
	struct http_resp r;
	snprintf(path, sizeof path, "/api/v1/contacts/%s/referrals", id);
	assert_int_equal(client_req(&sw, "POST", path, NULL, "{}", &r), 201);
	json_t *kids = json_object_get(r.json, "children");
	char case_id[64];
	snprintf(case_id, sizeof case_id, "%s", json_string_value(json_object_get(json_array_get(kids, 0), "case_id")));
	resp_free(&r);
	snprintf(path, sizeof path, "/api/v1/cases/%s/pathway", case_id);
	assert_int_equal(get(&sw, path, &r), 200);
	char referral[64];
	snprintf(referral, sizeof referral, "%s",
	         json_string_value(json_object_get(json_array_get(json_object_get(r.json, "referrals"), 0), "id")));
	resp_free(&r);
	page_has(&c, "/refer/mine", 200, (const char *[]){"Being decided", NULL});

	snprintf(path, sizeof path, "/api/v1/cases/%s/communications", case_id);
	char now[64];
	time_t t = time(NULL);
	strftime(now, sizeof now, "%Y-%m-%dT%H:%M:%SZ", gmtime(&t));
	char body[512];
	snprintf(body, sizeof body,
	         "{\"recipient_type\": \"REFERRER\", \"purpose\": \"ACKNOWLEDGEMENT\", \"channel\": \"EMAIL\", "
	         "\"sent_at\": \"%s\", \"summary\": \"Internal note the referrer does not see\"}",
	         now);
	assert_int_equal(client_req(&sw, "POST", path, NULL, body, &r), 201);
	resp_free(&r);
	snprintf(path, sizeof path, "/api/v1/referrals/%s/decision", referral);
	assert_int_equal(client_req(&mgr, "POST", path, NULL,
	                            "{\"decision\": \"REF_ASSESSMENT\", \"decision_reasons\": \"Needs assessing\", "
	                            "\"family_informed\": true}",
	                            &r),
	                 200);
	resp_free(&r);
	/* Decided, but the referrer has not been told yet: the page says so without the decision. */
	struct http_resp m;
	assert_int_equal(get(&c, "/refer/mine", &m), 200);
	assert_non_null(strstr(buf_str(&m.body), "Decision made"));
	assert_non_null(strstr(buf_str(&m.body), "Acknowledgement of the referral"));
	assert_null(strstr(buf_str(&m.body), "Decision: Assessment of needs"));
	assert_null(strstr(buf_str(&m.body), "Internal note"));
	resp_free(&m);
	/* Feedback on the decision logged to the referrer: now they see what was decided. */
	snprintf(path, sizeof path, "/api/v1/cases/%s/communications", case_id);
	snprintf(body, sizeof body,
	         "{\"recipient_type\": \"REFERRER\", \"purpose\": \"DECISION_FEEDBACK\", \"channel\": \"PHONE\", "
	         "\"sent_at\": \"%s\"}",
	         now);
	assert_int_equal(client_req(&sw, "POST", path, NULL, body, &r), 201);
	resp_free(&r);
	page_has(&c, "/refer/mine", 200,
	         (const char *[]){"Decision: Assessment of needs", "Feedback on the referral decision", NULL});
	/* Nobody else's referrals are listed to them. */
	struct client sw2;
	signed_in(&sw2, "asha.patel");
	assert_int_equal(get(&sw2, "/refer/mine", &r), 403);
	resp_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_walk_every_page),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_change_from_check),
		cmocka_unit_test(test_resume_after_sign_in),
		cmocka_unit_test(test_feedback_shown_to_referrer),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
