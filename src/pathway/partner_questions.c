/* The partner referral's questions, in the order they are asked, with their branching and checks (partner.h).
 * Hints paraphrase SET procedures Part A (paragraph numbers in brackets) so that a partner can answer without
 * training (U12). Only what the front door needs to decide is asked (the question protocol of the usability design
 * rules); the referrer's name comes from their account. */
#include <stdio.h>
#include <string.h>

#include "core/date.h"
#include "pathway/partner.h"

static const char *answer(json_t *answers, const char *key)
{
	const char *v = json_string_value(json_object_get(answers, key));
	return v && *v ? v : NULL;
}

static bool is(json_t *answers, const char *key, const char *value)
{
	const char *v = answer(answers, key);
	return v && strcmp(v, value) == 0;
}

static void fail(json_t *errors, const char *field, const char *href, const char *message)
{
	json_array_append_new(errors, json_pack("{s:s, s:s, s:s}", "field", field, "href", href, "message", message));
}

/* Characters, not bytes: a limit the person can count. */
static size_t chars(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

/* ---- branching ---- */

static bool born(json_t *a)
{
	return is(a, "unborn", "no");
}
static bool unborn(json_t *a)
{
	return is(a, "unborn", "yes");
}
static bool not_sought(json_t *a)
{
	return is(a, "agreement", "NOT_SOUGHT");
}
static bool refused(json_t *a)
{
	return is(a, "agreement", "REFUSED");
}

/* ---- checks beyond "required" ---- */

static void check_dob(json_t *a, json_t *errors)
{
	char buf[11];
	const char *d = partner_date(a, "dob", buf);
	int32_t day;
	if (d && date_parse(d, &day) == 0 && day > date_today())
		fail(errors, "dob", "#dob-day", "The date of birth must be today or in the past");
}

static void check_edd(json_t *a, json_t *errors)
{
	char buf[11];
	const char *d = partner_date(a, "edd", buf);
	int32_t day, today = date_today();
	if (!d || date_parse(d, &day) < 0)
		return;
	/* A baby is rarely more than four weeks overdue; a due date more than 43 weeks away is not a pregnancy yet. */
	if (day < today - 28)
		fail(errors, "edd", "#edd-day",
		     "The due date is more than 4 weeks ago: if the baby has been born, go back and answer no");
	else if (day > today + 43 * 7)
		fail(errors, "edd", "#edd-day", "The due date must be within the next 43 weeks");
}

static void check_contact(json_t *a, json_t *errors)
{
	const char *phone = answer(a, "phone"), *email = answer(a, "email");
	if (email && (!strchr(email, '@') || strchr(email, '@') == email || !strchr(strchr(email, '@'), '.')))
		fail(errors, "email", "#email", "Enter an email address in the correct format, like name@example.org");
	if (is(a, "feedback", "EMAIL") && !email)
		fail(errors, "email", "#email", "Enter your email address: you asked to hear about the decision by email");
	else if (is(a, "feedback", "PHONE") && !phone)
		fail(errors, "phone", "#phone", "Enter your telephone number: you asked to hear about the decision by telephone");
	else if (!phone && !email)
		fail(errors, "phone", "#phone", "Enter a telephone number or an email address");
}

/* ---- the questions ---- */

static const struct partner_option yes_no[] = {{"yes", "Yes", NULL}, {"no", "No", NULL}, {NULL}};

static const struct partner_option agreement_options[] = {
	{"AGREED", "Yes, and they agreed", NULL},
	{"REFUSED", "Yes, and they did not agree", NULL},
	{"NOT_SOUGHT", "No, I have not asked them", NULL},
	{NULL},
};

/* The closed list of 1.6.14 (rules/enums.d/pathway_front.json, consent_not_sought_reason), in plain words. */
static const struct partner_option not_sought_options[] = {
	{"RISK_SH_DELAY_OR_REACTION", "Asking would put the child at risk of significant harm",
	 "Because of the delay, or because of how the parents would react"},
	{"RISK_LOSS_OF_EVIDENCE", "Asking could mean evidence is lost",
	 "For example where sexual abuse or an illness induced by a carer is suspected"},
	{NULL},
};

/* rules/enums.d/pathway_front.json, feedback_method, without "no feedback wanted": a professional referrer is told
 * the decision (2.1.8, 2.4.25). */
static const struct partner_option feedback_options[] = {
	{"EMAIL", "By email", NULL},
	{"PHONE", "By telephone", NULL},
	{"PORTAL", "In Safeguard", "Under \"Your referrals\" when you sign in"},
	{"LETTER", "By letter", NULL},
	{NULL},
};

static const struct partner_input name_inputs[] = {
	{"forenames", "First names", "off", NULL, 100, false, "Enter the child's first name, or Unborn"},
	{"surname", "Last name", "off", NULL, 100, false, "Enter the child's last name"},
	{NULL},
};

static const struct partner_input address_inputs[] = {
	{"address", "Address", "off", NULL, 500, true, NULL},
	{"postcode", "Postcode", "off", "govuk-input--width-10", 10, true, NULL},
	{NULL},
};

static const struct partner_input role_inputs[] = {
	{"role", "Job title", "organization-title", NULL, 200, false, "Enter your job title"},
	{"organisation", "Organisation", "organization", NULL, 200, false, "Enter the name of your organisation"},
	{NULL},
};

static const struct partner_input contact_inputs[] = {
	{"phone", "Telephone", "tel", "govuk-input--width-20", 40, true, NULL},
	{"email", "Email address", "email", NULL, 200, true, NULL},
	{NULL},
};

const struct partner_question partner_questions[] = {
	{"danger", "Is the child in immediate danger?",
	 "If they are, call 999 now and then make this referral. Do not wait to speak to a manager first (1.6.2, 1.6.5).",
	 "In immediate danger", PARTNER_RADIOS, "danger", yes_no, NULL, 0, false,
	 "Select yes if the child is in immediate danger", NULL, NULL},
	{"unborn", "Is this referral about an unborn baby?",
	 "Worries during a pregnancy should be referred as soon as they arise (2.6.1).", "Unborn baby", PARTNER_RADIOS,
	 "unborn", yes_no, NULL, 0, false, "Select yes if the referral is about an unborn baby", NULL, NULL},
	{"child-name", "What is the child's name?",
	 "The name the child is known by. For a baby not yet born or named, write Unborn and give the mother's last "
	 "name.",
	 "Child's name", PARTNER_INPUTS, NULL, NULL, name_inputs, 0, false, NULL, NULL, NULL, true},
	{"dob", "What is the child's date of birth?",
	 "For example, 27 3 2016. If you are not sure, give your best estimate and say so when you describe your "
	 "concerns.",
	 "Date of birth", PARTNER_DATE, "dob", NULL, NULL, 0, false, "Enter the child's date of birth", born, check_dob},
	{"edd", "When is the baby due?",
	 "The expected date of delivery, for example 14 6 2027. It sets how soon professionals meet to plan (2.6.7).",
	 "Due date", PARTNER_DATE, "edd", NULL, NULL, 0, false, "Enter the date the baby is due", unborn, check_edd},
	{"address", "Where does the child live?",
	 "Leave this blank if you do not know: not knowing must not stop a referral (2.4.1). If the child is somewhere "
	 "else now, say where when you describe your concerns.",
	 "Address", PARTNER_INPUTS, NULL, NULL, address_inputs, 0, true, NULL, NULL, NULL},
	{"concern", "What are you worried about?",
	 "Say what you saw or heard and when, what the child said in their own words, who is involved and where the "
	 "child is now. Keep to the facts here: the next question asks for your view (1.7.1, 2.4.4).",
	 "Your concerns", PARTNER_TEXTAREA, "concern", NULL, NULL, 10000, false, "Describe what you are worried about",
	 NULL, NULL},
	{"opinion", "What is your view of the risk to the child?",
	 "Optional. Your professional opinion, kept apart from the facts. Say if you think a crime may have been "
	 "committed (2.4.19).",
	 "Your view", PARTNER_TEXTAREA, "opinion", NULL, NULL, 10000, true, NULL, NULL, NULL},
	{"agreement", "Have you asked the parents or carers whether they agree to this referral?",
	 "Ask them first, unless asking would put the child at risk of significant harm or could mean evidence is lost "
	 "(1.6.14).",
	 "Parents' agreement", PARTNER_RADIOS, "agreement", agreement_options, NULL, 0, false,
	 "Select whether you have asked the parents and what they said", NULL, NULL},
	{"not-sought", "Why have you not asked the parents?",
	 "Your reason is recorded with the referral (1.6.15).", "Why the parents were not asked", PARTNER_RADIOS,
	 "not_sought_reason", not_sought_options, NULL, 0, false, "Select why you have not asked the parents",
	 not_sought, NULL},
	{"refused", "Why are you making the referral without the parents' agreement?",
	 "Their refusal is recorded with the referral. Tell the parents that you have made it (1.6.16, 1.6.17).",
	 "Why you are referring without their agreement", PARTNER_TEXTAREA, "refused_reason", NULL, NULL, 4000, false,
	 "Say why you are making the referral without the parents' agreement", refused, NULL},
	{"your-role", "What is your job and organisation?",
	 "A referral from a professional is never anonymous: the family may in time learn who made it (1.6.16).",
	 "Your job and organisation", PARTNER_INPUTS, NULL, NULL, role_inputs, 0, false, NULL, NULL, NULL},
	{"feedback", "How would you like to hear about the decision?",
	 "Children's social care will tell you what they decided and, if they are taking no further action, why "
	 "(2.1.8, 2.4.25).",
	 "Hearing about the decision", PARTNER_RADIOS, "feedback", feedback_options, NULL, 0, false,
	 "Select how you would like to hear about the decision", NULL, NULL},
	{"contact", "How can children's social care contact you?",
	 "A social worker may need to talk to you about the referral today (2.4.1, 2.4.2).", "Your contact details",
	 PARTNER_INPUTS, NULL, NULL, contact_inputs, 0, true, NULL, NULL, check_contact},
	{NULL},
};

const struct partner_question *partner_question_find(const char *slug)
{
	for (const struct partner_question *q = partner_questions; slug && q->slug; q++)
		if (strcmp(q->slug, slug) == 0)
			return q;
	return NULL;
}

bool partner_applies(const struct partner_question *q, json_t *answers)
{
	return !q->applies || q->applies(answers);
}

const char *partner_date(json_t *answers, const char *name, char buf[11])
{
	static const char *const parts[] = {"day", "month", "year"};
	int v[3];
	for (int i = 0; i < 3; i++) {
		char k[48];
		snprintf(k, sizeof k, "%s-%s", name, parts[i]);
		const char *s = answer(answers, k);
		char extra;
		if (!s || sscanf(s, "%d%c", &v[i], &extra) != 1)
			return NULL;
	}
	if (v[2] < 1900 || v[2] > 2199 || !date_valid_ymd(v[2], v[1], v[0]))
		return NULL;
	snprintf(buf, 11, "%04d-%02d-%02d", v[2], v[1], v[0]);
	return buf;
}

static bool date_started(json_t *answers, const char *name)
{
	static const char *const parts[] = {"day", "month", "year"};
	for (int i = 0; i < 3; i++) {
		char k[48];
		snprintf(k, sizeof k, "%s-%s", name, parts[i]);
		if (answer(answers, k))
			return true;
	}
	return false;
}

static void too_long(json_t *errors, const char *name, int max)
{
	char href[64], msg[96];
	snprintf(href, sizeof href, "#%s", name);
	snprintf(msg, sizeof msg, "This answer must be %d characters or fewer", max);
	fail(errors, name, href, msg);
}

json_t *partner_validate(const struct partner_question *q, json_t *answers)
{
	json_t *errors = json_array();
	char href[64];
	const char *name = q->name ? q->name : q->slug; /* PARTNER_INPUTS has no single name */
	const char *v = answer(answers, name);
	switch (q->kind) {
	case PARTNER_RADIOS: {
		bool known = false;
		for (const struct partner_option *o = q->options; v && o->value; o++)
			known = known || strcmp(o->value, v) == 0;
		snprintf(href, sizeof href, "#%s", name);
		if (!known && !(q->optional && !v))
			fail(errors, name, href, q->missing);
		break;
	}
	case PARTNER_TEXTAREA:
		snprintf(href, sizeof href, "#%s", name);
		if (!v && !q->optional)
			fail(errors, name, href, q->missing);
		else if (v && chars(v) > (size_t)q->max)
			too_long(errors, name, q->max);
		break;
	case PARTNER_DATE: {
		char buf[11];
		snprintf(href, sizeof href, "#%s-day", name);
		if (!date_started(answers, name))
			fail(errors, name, href, q->missing);
		else if (!partner_date(answers, name, buf))
			fail(errors, name, href, "Enter a real date, with the day, month and year as numbers");
		break;
	}
	case PARTNER_INPUTS:
		for (const struct partner_input *in = q->inputs; in->name; in++) {
			const char *s = answer(answers, in->name);
			snprintf(href, sizeof href, "#%s", in->name);
			if (!s && !in->optional)
				fail(errors, in->name, href, in->missing);
			else if (s && chars(s) > (size_t)in->max)
				too_long(errors, in->name, in->max);
		}
		break;
	}
	if (json_array_size(errors) == 0 && q->check)
		q->check(answers, errors);
	return errors;
}

const struct partner_question *partner_next(const struct partner_question *q, json_t *answers)
{
	for (q++; q->slug; q++)
		if (partner_applies(q, answers))
			return q;
	return NULL;
}

const struct partner_question *partner_previous(const struct partner_question *q, json_t *answers)
{
	while (q > partner_questions) {
		q--;
		if (partner_applies(q, answers))
			return q;
	}
	return NULL;
}

const struct partner_question *partner_first_incomplete(json_t *answers)
{
	for (const struct partner_question *q = partner_questions; q->slug; q++) {
		if (!partner_applies(q, answers))
			continue;
		json_t *e = partner_validate(q, answers);
		size_t n = json_array_size(e);
		json_decref(e);
		if (n)
			return q;
	}
	return NULL;
}

int partner_answer_keys(const struct partner_question *q, const char **keys, int max)
{
	static const char *const date_keys[][3] = {{"dob-day", "dob-month", "dob-year"},
	                                           {"edd-day", "edd-month", "edd-year"}};
	int n = 0;
	if (q->kind == PARTNER_INPUTS) {
		for (const struct partner_input *in = q->inputs; in->name && n < max; in++)
			keys[n++] = in->name;
	} else if (q->kind == PARTNER_DATE) {
		int which = strcmp(q->name, "dob") == 0 ? 0 : 1;
		for (int i = 0; i < 3 && n < max; i++)
			keys[n++] = date_keys[which][i];
	} else if (max > 0) {
		keys[n++] = q->name;
	}
	return n;
}

static void copy(json_t *to, const char *key, json_t *answers, const char *from)
{
	const char *v = answer(answers, from);
	if (v)
		json_object_set_new(to, key, json_string(v));
}

json_t *partner_contact_input(json_t *answers, const char *referrer_name)
{
	char now[MOMENT_ISO_LEN], buf[11];
	moment_format(moment_now(), now);
	/* A partner's own referral through this service: a professional (never anonymous, R-02), asking for services,
	 * received now through the online portal, wanting feedback (2.1.8). */
	json_t *in = json_pack("{s:s, s:s, s:s, s:s, s:b, s:s, s:b, s:b}", "received_at", now, "channel",
	                       "ONLINE_PORTAL", "contact_type", "CONTACT_REFERRAL", "referrer_type", "PROFESSIONAL",
	                       "anonymous", 0, "referrer_name", referrer_name, "feedback_wanted", 1, "immediate_danger",
	                       is(answers, "danger", "yes"));
	copy(in, "referrer_role", answers, "role");
	copy(in, "referrer_agency_name", answers, "organisation");
	copy(in, "referrer_phone", answers, "phone");
	copy(in, "referrer_email", answers, "email");
	copy(in, "feedback_method", answers, "feedback");
	copy(in, "concern_summary", answers, "concern");
	copy(in, "referrer_opinion", answers, "opinion");
	copy(in, "parental_agreement", answers, "agreement");
	if (not_sought(answers))
		copy(in, "parental_not_sought_reason", answers, "not_sought_reason");
	if (refused(answers))
		copy(in, "parental_reason_detail", answers, "refused_reason");
	json_t *child = json_object();
	copy(child, "forenames", answers, "forenames");
	copy(child, "surname", answers, "surname");
	copy(child, "address", answers, "address");
	copy(child, "postcode", answers, "postcode");
	if (unborn(answers)) {
		json_object_set_new(child, "is_unborn", json_true());
		const char *edd = partner_date(answers, "edd", buf);
		if (edd)
			json_object_set_new(child, "edd", json_string(edd));
	} else {
		const char *dob = partner_date(answers, "dob", buf);
		if (dob)
			json_object_set_new(child, "dob", json_string(dob));
	}
	json_object_set_new(in, "children", json_pack("[o]", child));
	return in;
}

const struct partner_question *partner_question_for_field(const char *field)
{
	static const struct {
		const char *field, *slug;
	} map[] = {
		{"immediate_danger", "danger"},
		{"children[0].forenames", "child-name"},
		{"children[0].surname", "child-name"},
		{"children[0].dob", "dob"},
		{"children[0].edd", "edd"},
		{"children[0].address", "address"},
		{"children[0].postcode", "address"},
		{"concern_summary", "concern"},
		{"referrer_opinion", "opinion"},
		{"parental_agreement", "agreement"},
		{"parental_not_sought_reason", "not-sought"},
		{"parental_reason_detail", "refused"},
		{"referrer_role", "your-role"},
		{"referrer_agency_name", "your-role"},
		{"feedback_method", "feedback"},
		{"referrer_phone", "contact"},
		{"referrer_email", "contact"},
	};
	for (size_t i = 0; field && i < sizeof map / sizeof map[0]; i++)
		if (strcmp(map[i].field, field) == 0)
			return partner_question_find(map[i].slug);
	return NULL;
}
