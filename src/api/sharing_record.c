/* Recording one information-sharing decision (issue 7, parts 3 and 4): the record of spec B-ch01-07 digest 3d and
 * its guards G3.1-G3.7 (3f), each refusal naming the field at fault and writing nothing. The decision, its chronology
 * entry and its audit entry ("share") are one transaction. Citations are to procedures-B unless said otherwise. */
#include <stdio.h>
#include <string.h>

#include "api/access_util.h"
#include "api/command.h"
#include "api/lawful_bases.h"
#include "api/sharing_channels.h"
#include "api/sharing_internal.h"
#include "app/web.h"
#include "core/date.h"
#include "domain/chronology.h"
#include "domain/enums.h"

const char *const sharing_input_keys[] = {
	"direction",        "requester_name",    "requester_agency",           "purpose",
	"risk_level",       "risk_prompt",       "decision",                   "information",
	"recipient_type",   "recipient_name",    "reason",                     "lawful_basis",
	"basis_detail",     "special_category_condition",                      "schedule1_condition",
	"subject_can_consent",                   "outside_public_task",        "consent_sought",
	"consent_of",       "consent_given",     "no_consent_reason",          "no_consent_detail",
	"subject_informed", "subject_informed_on",                             "subject_not_informed_reason",
	"source_informed",  "channel",           "recipient_address",          "security_assurance",
	"caller_known",     "callback_verified", "onward_sharing",             "consent_limits_explained",
};
const size_t sharing_input_count = sizeof sharing_input_keys / sizeof sharing_input_keys[0];

/* The text columns, in the order of struct decision's text fields; then the yes/no columns. */
static const char *const text_cols[] = {
	"decision",         "information",      "recipient_type",  "recipient_name",      "reason",
	"lawful_basis",     "special_category_condition",          "schedule1_condition", "no_consent_reason",
	"no_consent_detail", "direction",       "requester_name",  "requester_agency",    "purpose",
	"risk_level",       "risk_prompt",      "consent_of",      "subject_informed",    "subject_informed_on",
	"subject_not_informed_reason",          "source_informed", "channel",             "recipient_address",
	"security_assurance", "onward_sharing", "basis_detail",
};
#define NTEXT (sizeof text_cols / sizeof text_cols[0])
static const char *const flag_cols[] = {"consent_sought",      "consent_given",       "caller_known",
                                        "callback_verified",   "consent_limits_explained", "subject_can_consent",
                                        "outside_public_task", "address_check_required"};
#define NFLAG (sizeof flag_cols / sizeof flag_cols[0])

enum { T_DECISION, T_INFORMATION, T_RECIPIENT_TYPE, T_RECIPIENT_NAME, T_REASON, T_ART6, T_ART9, T_SCH1,
       T_NO_CONSENT_REASON, T_NO_CONSENT_DETAIL, T_DIRECTION, T_REQUESTER_NAME, T_REQUESTER_AGENCY, T_PURPOSE,
       T_RISK_LEVEL, T_RISK_PROMPT, T_CONSENT_OF, T_INFORMED, T_INFORMED_ON, T_NOT_INFORMED_REASON,
       T_SOURCE_INFORMED, T_CHANNEL, T_ADDRESS, T_ASSURANCE, T_ONWARD, T_BASIS_DETAIL };
enum { F_SOUGHT, F_GIVEN, F_CALLER_KNOWN, F_CALLBACK, F_LIMITS, F_CAN_CONSENT, F_OUTSIDE_TASK, F_CHECK_REQUIRED };

struct decision {
	const char *t[NTEXT];
	int f[NFLAG]; /* 1, 0, or -1 for none */
};

static void too_long(json_t *errors, const char *v, const char *field, size_t max)
{
	if (v && strlen(v) > max)
		access_util_error(errors, field,
		                  max == SHARING_NAME_MAX ? "Use 200 characters or fewer" : "Use 4,000 characters or fewer");
}

static void need_text(json_t *errors, const char *v, const char *field, const char *missing, size_t max)
{
	if (!v)
		access_util_error(errors, field, missing);
	too_long(errors, v, field, max);
}

/* A code from an enumeration: required when missing is not NULL; checked when given. */
static void code(json_t *errors, const char *list, const char *v, const char *field, const char *missing)
{
	if (!v && missing)
		access_util_error(errors, field, missing);
	else if (v && !enums_label(list, v))
		access_util_error(errors, field, "Choose one of the options");
}

static bool is(const char *v, const char *want)
{
	return v && strcmp(v, want) == 0;
}

static bool has_error(json_t *errors, const char *field)
{
	size_t i;
	json_t *e;
	json_array_foreach(errors, i, e) {
		if (is(json_string_value(json_object_get(e, "field")), field))
			return true;
	}
	return false;
}

static void read_input(struct http_request *req, json_t *in, struct decision *d, json_t *errors)
{
	const char *k;
	json_t *v;
	json_object_foreach(in, k, v) {
		size_t i = 0;
		while (i < sharing_input_count && strcmp(k, sharing_input_keys[i]) != 0)
			i++;
		if (i == sharing_input_count && strcmp(k, "csrf") != 0)
			access_util_error(errors, k, "This is not a field of a sharing decision");
	}
	for (size_t i = 0; i < NTEXT; i++)
		d->t[i] = access_util_text(req, in, text_cols[i]);
	for (size_t i = 0; i + 1 < NFLAG; i++)
		d->f[i] = access_util_flag(in, flag_cols[i]);
	d->f[F_CHECK_REQUIRED] = 0;
}

/* 3.5.1, 3.5.8: how the exchange started, who asked and why, and the risk at the time. */
static void check_origin(struct decision *d, json_t *errors)
{
	const char **t = d->t;
	code(errors, "sharing_direction", t[T_DIRECTION], "direction",
	     "Say whether someone asked for the information, we asked for it, or we passed it on unasked");
	if (is(t[T_DIRECTION], "request_received"))
		need_text(errors, t[T_REQUESTER_NAME], "requester_name", "Name the person who asked for the information",
		          SHARING_NAME_MAX);
	else
		too_long(errors, t[T_REQUESTER_NAME], "requester_name", SHARING_NAME_MAX);
	too_long(errors, t[T_REQUESTER_AGENCY], "requester_agency", SHARING_NAME_MAX);
	if (is(t[T_DIRECTION], "request_received") || is(t[T_DIRECTION], "request_made"))
		need_text(errors, t[T_PURPOSE], "purpose", "Give the purpose of the request", SHARING_TEXT_MAX);
	else
		too_long(errors, t[T_PURPOSE], "purpose", SHARING_TEXT_MAX);
	code(errors, "sharing_risk_level", t[T_RISK_LEVEL], "risk_level",
	     "Say what the risk of harm to the child was at the time");
	if (is(t[T_DIRECTION], "proactive"))
		need_text(errors, t[T_RISK_PROMPT], "risk_prompt", "Say what risk or concern prompted passing it on",
		          SHARING_TEXT_MAX);
	else
		too_long(errors, t[T_RISK_PROMPT], "risk_prompt", SHARING_TEXT_MAX);
}

/* 3.5.2, 3.5.3 and G3.2: consent, and telling the child or family afterwards when it was shared without it. */
static void check_consent(struct decision *d, bool shares, json_t *errors)
{
	const char **t = d->t;
	int *f = d->f;
	if (f[F_SOUGHT] < 0)
		access_util_error(errors, "consent_sought", "Say whether consent was asked for");
	if (f[F_SOUGHT] == 1) {
		code(errors, "sharing_consent_of", t[T_CONSENT_OF], "consent_of", "Say whose consent was asked for");
		if (f[F_GIVEN] < 0)
			access_util_error(errors, "consent_given", "Say whether consent was given");
	} else {
		t[T_CONSENT_OF] = NULL;
		f[F_GIVEN] = -1;
	}
	/* Without consent, and when a refusal of consent was overridden, the reason is recorded (3.5.3). */
	bool need_reason = f[F_SOUGHT] == 0 || (f[F_SOUGHT] == 1 && f[F_GIVEN] == 0 && shares);
	if (need_reason) {
		code(errors, "sharing_no_consent_reason", t[T_NO_CONSENT_REASON], "no_consent_reason",
		     f[F_SOUGHT] == 0 ? "Say why consent was not asked for"
		                      : "Say why the information was shared although consent was refused");
		if (is(t[T_NO_CONSENT_REASON], "OTHER"))
			need_text(errors, t[T_NO_CONSENT_DETAIL], "no_consent_detail", "Say what the other reason is",
			          SHARING_TEXT_MAX);
	} else {
		t[T_NO_CONSENT_REASON] = t[T_NO_CONSENT_DETAIL] = NULL;
	}
	too_long(errors, t[T_NO_CONSENT_DETAIL], "no_consent_detail", SHARING_TEXT_MAX);
	bool without_consent = shares && !(f[F_SOUGHT] == 1 && f[F_GIVEN] == 1);
	code(errors, "sharing_subject_informed", t[T_INFORMED], "subject_informed",
	     without_consent ? "Say whether the child or family has been told that it was shared" : NULL);
	if (is(t[T_INFORMED], "yes")) {
		int32_t day;
		if (!t[T_INFORMED_ON])
			access_util_error(errors, "subject_informed_on", "Enter the date they were told, like 2026-03-27");
		else if (date_parse(t[T_INFORMED_ON], &day) < 0)
			access_util_error(errors, "subject_informed_on", "The date they were told must be a real date, like 2026-03-27");
		else if (day > date_today())
			access_util_error(errors, "subject_informed_on", "The date they were told must be today or in the past");
	} else {
		t[T_INFORMED_ON] = NULL;
	}
	if (is(t[T_INFORMED], "no"))
		need_text(errors, t[T_NOT_INFORMED_REASON], "subject_not_informed_reason",
		          "Say why they will not be told", SHARING_TEXT_MAX);
	else
		t[T_NOT_INFORMED_REASON] = NULL;
	code(errors, "sharing_source_informed", t[T_SOURCE_INFORMED], "source_informed", NULL);
	if (shares && f[F_SOUGHT] == 1 && f[F_GIVEN] == 1) {
		if (f[F_LIMITS] < 0)
			access_util_error(errors, "consent_limits_explained",
			                  "Say whether the recipient was told the limits of the consent");
	} else {
		f[F_LIMITS] = -1;
	}
}

/* 3.4.4, 3.5.4-3.5.7 and G3.6, G3.7: how it went and the safeguards the channel needs. */
static void check_channel(const json_t *channels, struct decision *d, bool shares, json_t *errors)
{
	const char **t = d->t;
	int *f = d->f;
	const json_t *ch = sharing_channels_find(channels, t[T_CHANNEL]);
	if (!t[T_CHANNEL] && shares)
		access_util_error(errors, "channel", "Say how the information was passed on");
	else if (t[T_CHANNEL] && !ch)
		access_util_error(errors, "channel", "Choose one of the options");
	if (shares && sharing_channels_flag(ch, "needs_address")) {
		need_text(errors, t[T_ADDRESS], "recipient_address",
		          "Give the email, portal or postal address it goes to, so it can be checked", SHARING_NAME_MAX);
		need_text(errors, t[T_ASSURANCE], "security_assurance",
		          "Say what assurance the recipient gave that they will keep it secure", SHARING_TEXT_MAX);
	} else {
		too_long(errors, t[T_ADDRESS], "recipient_address", SHARING_NAME_MAX);
		too_long(errors, t[T_ASSURANCE], "security_assurance", SHARING_TEXT_MAX);
	}
	if (shares && sharing_channels_flag(ch, "callback_unless_known") && is(t[T_DIRECTION], "request_received")) {
		if (f[F_CALLER_KNOWN] < 0)
			access_util_error(errors, "caller_known", "Say whether you already knew the caller");
		else if (f[F_CALLER_KNOWN] == 0 && f[F_CALLBACK] != 1)
			access_util_error(errors, "callback_verified",
			                  "Ring the caller's agency back to check who they are before sharing anything by "
			                  "telephone, and record that you did");
	} else {
		f[F_CALLER_KNOWN] = f[F_CALLBACK] = -1;
	}
	if (f[F_CALLER_KNOWN] == 1)
		f[F_CALLBACK] = -1;
	f[F_CHECK_REQUIRED] = shares && sharing_channels_flag(ch, "four_eyes");
	if (shares)
		need_text(errors, t[T_ONWARD], "onward_sharing",
		          "Say whether the recipient means to pass it on, and to whom; say so if they do not",
		          SHARING_TEXT_MAX);
	else
		too_long(errors, t[T_ONWARD], "onward_sharing", SHARING_TEXT_MAX);
}

/* Reads and checks the input; returns the number of errors appended. */
static int validate(struct http_request *req, const json_t *bases, const json_t *channels, json_t *in,
                    struct decision *d, json_t *errors)
{
	memset(d, 0, sizeof *d);
	read_input(req, in, d, errors);
	const char **t = d->t;
	check_origin(d, errors);
	code(errors, "sharing_decision", t[T_DECISION], "decision", "Say whether the information was shared");
	need_text(errors, t[T_INFORMATION], "information", "Say what information was shared or asked for", SHARING_TEXT_MAX);
	code(errors, "sharing_recipient_type", t[T_RECIPIENT_TYPE], "recipient_type", "Say who the information was for");
	need_text(errors, t[T_RECIPIENT_NAME], "recipient_name", "Name the person or agency", SHARING_NAME_MAX);
	need_text(errors, t[T_REASON], "reason", "Give the reason for the decision", SHARING_TEXT_MAX);
	bool shares = !t[T_DECISION] || !is(t[T_DECISION], "refused");
	const char *field = NULL;
	const char *why = lawful_bases_check(bases, shares, req->user.role, t[T_ART6], t[T_ART9], t[T_SCH1], &field);
	if (why)
		access_util_error(errors, field, why);
	check_consent(d, shares, errors);
	check_channel(channels, d, shares, errors);
	/* G3.3-G3.5: what the chosen basis itself demands, once the basis is a valid one. */
	too_long(errors, t[T_BASIS_DETAIL], "basis_detail", SHARING_TEXT_MAX);
	if (!has_error(errors, "lawful_basis") && t[T_ART6]) {
		struct basis_evidence ev = {.consent_sought = d->f[F_SOUGHT], .consent_given = d->f[F_GIVEN],
		                            .subject_can_consent = d->f[F_CAN_CONSENT],
		                            .outside_public_task = d->f[F_OUTSIDE_TASK], .basis_detail = t[T_BASIS_DETAIL]};
		why = lawful_bases_check_evidence(bases, req->user.role, t[T_ART6], t[T_ART9] != NULL, &ev, &field);
		if (why && !has_error(errors, field))
			access_util_error(errors, field, why);
	}
	return (int)json_array_size(errors);
}

static const char *label_or(const char *list, const char *c)
{
	const char *l = c ? enums_label(list, c) : NULL;
	return l ? l : c;
}

static int insert(struct http_request *req, const char *child_id, const struct decision *d, const char *id,
                  const char *now)
{
	struct buf sql;
	buf_init(&sql, 2048);
	buf_adds(&sql, "INSERT INTO sharing_decisions (id, child_id, decided_by, decided_at");
	for (size_t i = 0; i < NTEXT; i++)
		buf_addf(&sql, ", %s", text_cols[i]);
	for (size_t i = 0; i < NFLAG; i++)
		buf_addf(&sql, ", %s", flag_cols[i]);
	buf_adds(&sql, ") VALUES ($1, $2, $3, $4");
	for (size_t i = 0; i < NTEXT + NFLAG; i++)
		buf_addf(&sql, ", $%zu", i + 5);
	buf_adds(&sql, ")");
	struct store_stmt *s = store_prepare(req->store, buf_str(&sql));
	buf_free(&sql);
	if (!s)
		return STORE_ERR;
	store_bind_text(s, 1, id);
	store_bind_text(s, 2, child_id);
	store_bind_text(s, 3, req->user.id);
	store_bind_text(s, 4, now);
	for (size_t i = 0; i < NTEXT; i++)
		store_bind_text(s, (int)i + 5, d->t[i]);
	for (size_t i = 0; i < NFLAG; i++) {
		int n = (int)(NTEXT + i) + 5;
		if (d->f[i] < 0)
			store_bind_null(s, n);
		else
			store_bind_int(s, n, d->f[i]);
	}
	return store_step(s) == STORE_DONE ? STORE_OK : STORE_ERR;
}

int sharing_record(struct http_request *req, const char *child_id, json_t *in, json_t *errors, char id_out[ID_MAX])
{
	const json_t *bases = sharing_bases(req), *channels = sharing_channels(req);
	struct decision d;
	if (validate(req, bases, channels, in, &d, errors))
		return 1;
	char now[AUDIT_TIME_LEN]; /* UTC, fixed width: the text sorts as the moments do */
	audit_time_format(moment_now(), now);
	if (command_begin_or_respond(req) < 0)
		return -1;
	id_new("shd", id_out);
	int rc = insert(req, child_id, &d, id_out, now);
	const char **t = d.t;
	const char *to = label_or("sharing_recipient_type", t[T_RECIPIENT_TYPE]);
	const json_t *b6 = lawful_bases_find(bases, t[T_ART6]);
	struct chronology_event ev = {
		.child_id = child_id,
		.event_type = "information_shared",
		.summary = is(t[T_DECISION], "refused")
		               ? arena_printf(&req->arena, "Decided not to share information with %s (%s)",
		                              t[T_RECIPIENT_NAME], to)
		               : arena_printf(&req->arena, "Information %s with %s (%s) by %s; lawful basis: %s%s",
		                              is(t[T_DECISION], "shared") ? "shared" : "partly shared", t[T_RECIPIENT_NAME],
		                              to, json_string_value(json_object_get(
		                                      sharing_channels_find(sharing_channels(req), t[T_CHANNEL]),
		                                      "label")),
		                              json_string_value(json_object_get(b6, "label")),
		                              d.f[F_CHECK_REQUIRED] ? "; the address is to be checked by a second person"
		                                                    : ""),
		.source_type = "sharing_decision",
		.source_id = id_out,
	};
	if (rc == STORE_OK)
		rc = chronology_append(req->store, &ev, req->user.id, NULL);
	if (rc != STORE_OK) {
		web_store_failure(req, rc);
		return -1;
	}
	struct audit_event ae = {
		.action = "share", .object_type = "sharing_decision", .object_id = id_out, .child_id = child_id,
		.reason = t[T_REASON],
		.detail = arena_printf(&req->arena, "decision %s; direction %s; recipient %s; basis %s; channel %s",
		                       t[T_DECISION], t[T_DIRECTION], t[T_RECIPIENT_TYPE], t[T_ART6] ? t[T_ART6] : "none",
		                       t[T_CHANNEL] ? t[T_CHANNEL] : "none")};
	if (access_util_audit_or_respond(req, ae) < 0 || command_commit_or_respond(req) < 0)
		return -1;
	return 0;
}
