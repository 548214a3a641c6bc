#include "domain/entities.h"

#include "search/search.h"

/* 4.1 Child. An unborn child has an expected date of delivery instead of a date of birth (2.6, 4.1.14). */
static const struct field child_fields[] = {
	{"id", FIELD_TEXT, FIELD_READONLY, "ID"},
	{"forenames", FIELD_TEXT, FIELD_REQUIRED, "forenames", 100, .hint = "For an unborn child, write 'Unborn'"},
	{"surname", FIELD_TEXT, FIELD_REQUIRED, "surname", 100},
	{"aliases", FIELD_LONG, 0, "other names or spellings", 1000},
	{"dob", FIELD_DATE, 0, "date of birth"},
	{"is_unborn", FIELD_BOOL, 0, "unborn"},
	{"edd", FIELD_DATE, 0, "expected date of delivery"},
	{"gender", FIELD_ENUM, 0, "gender", .enum_name = "gender"},
	{"ethnicity", FIELD_TEXT, 0, "ethnicity", 100},
	{"first_language", FIELD_TEXT, 0, "first language", 100},
	{"religion", FIELD_TEXT, 0, "religion", 100},
	{"nhs_number", FIELD_TEXT, 0, "NHS number", 12},
	{"upn", FIELD_TEXT, 0, "unique pupil number", 13},
	{"address", FIELD_LONG, FIELD_RESTRICTED, "address", 500},
	{"postcode", FIELD_TEXT, FIELD_RESTRICTED, "postcode", 10},
	{"address_restricted", FIELD_BOOL, 0, "address restricted"},
	{"disabilities", FIELD_LONG, 0, "disabilities or special needs", 2000},
	{"communication_needs", FIELD_LONG, 0, "communication needs", 2000},
	{"interpreter_required", FIELD_BOOL, 0, "interpreter required"},
	{"home_la", FIELD_ENUM, 0, "home local authority", .enum_name = "la_area"},
	{"legal_status", FIELD_TEXT, 0, "legal status", 200},
	{"is_looked_after", FIELD_BOOL, 0, "looked after"},
	{"cp_plan_status", FIELD_TEXT, FIELD_READONLY, "child protection plan status"},
	{"cin_status", FIELD_TEXT, FIELD_READONLY, "child in need status"},
	{"date_of_death", FIELD_DATE, 0, "date of death"},
	{"created_at", FIELD_TEXT, FIELD_READONLY}, {"created_by", FIELD_TEXT, FIELD_READONLY},
	{"updated_at", FIELD_TEXT, FIELD_READONLY}, {"updated_by", FIELD_TEXT, FIELD_READONLY},
	{NULL},
};
/* Names, aliases, NHS number and an unrestricted address are searchable (src/search, usability goal U6). */
const struct entity entity_child = {"child", "children", "chd", child_fields, true, NULL,
                                    .after_write = search_index_child};

/* 4.2 Person: parents, carers, household members, frequent visitors, alleged perpetrators. */
static const struct field person_fields[] = {
	{"id", FIELD_TEXT, FIELD_READONLY, "ID"},
	{"forenames", FIELD_TEXT, FIELD_REQUIRED, "forenames", 100},
	{"surname", FIELD_TEXT, FIELD_REQUIRED, "surname", 100},
	{"aliases", FIELD_LONG, 0, "other names", 1000},
	{"dob", FIELD_DATE, 0, "date of birth"},
	{"gender", FIELD_ENUM, 0, "gender", .enum_name = "gender"},
	{"ethnicity", FIELD_TEXT, 0, "ethnicity", 100},
	{"first_language", FIELD_TEXT, 0, "first language", 100},
	{"interpreter_required", FIELD_BOOL, 0, "interpreter required"},
	{"address", FIELD_LONG, FIELD_RESTRICTED, "address", 500},
	{"postcode", FIELD_TEXT, FIELD_RESTRICTED, "postcode", 10},
	{"address_restricted", FIELD_BOOL, 0, "address restricted"},
	{"contact_details", FIELD_LONG, FIELD_RESTRICTED, "contact details", 500},
	{"known_to_adult_services", FIELD_BOOL, 0, "known to adult services"},
	{"poses_risk_to_children", FIELD_BOOL, 0, "poses a risk to children"},
	{"risk_basis", FIELD_LONG, 0, "basis of the risk", 2000},
	{"previous_concerns", FIELD_LONG, 0, "previous concerns", 4000},
	{"created_at", FIELD_TEXT, FIELD_READONLY}, {"created_by", FIELD_TEXT, FIELD_READONLY},
	{"updated_at", FIELD_TEXT, FIELD_READONLY}, {"updated_by", FIELD_TEXT, FIELD_READONLY},
	{NULL},
};
/* A related adult's names find the child (src/search). */
const struct entity entity_person = {"person", "persons", "per", person_fields, true, NULL,
                                     .after_write = search_index_person};

static const struct field relationship_fields[] = {
	{"id", FIELD_TEXT, FIELD_READONLY, "ID"},
	{"child_id", FIELD_REF, FIELD_READONLY, "child", .ref_table = "children"},
	{"person_id", FIELD_REF, FIELD_REQUIRED | FIELD_CREATE_ONLY, "person", .ref_table = "persons"},
	{"relationship_type", FIELD_ENUM, FIELD_REQUIRED, "relationship", .enum_name = "relationship_type"},
	{"has_parental_responsibility", FIELD_BOOL, 0, "parental responsibility"},
	{"resident_in_household", FIELD_BOOL, 0, "lives in the child's household"},
	{"start_date", FIELD_DATE, 0, "start date"},
	{"end_date", FIELD_DATE, 0, "end date"},
	{"created_at", FIELD_TEXT, FIELD_READONLY}, {"created_by", FIELD_TEXT, FIELD_READONLY},
	{NULL},
};
const struct entity entity_relationship = {"relationship", "relationships", "rel", relationship_fields, false,
                                           "child_id", .after_write = search_index_relationship};

static const struct field household_fields[] = {
	{"id", FIELD_TEXT, FIELD_READONLY, "ID"},
	{"address", FIELD_LONG, FIELD_RESTRICTED, "address", 500},
	{"postcode", FIELD_TEXT, FIELD_RESTRICTED, "postcode", 10},
	{"created_at", FIELD_TEXT, FIELD_READONLY}, {"created_by", FIELD_TEXT, FIELD_READONLY},
	{NULL},
};
const struct entity entity_household = {"household", "households", "hh", household_fields, false, NULL};

/* 4.4 Agency. */
static const struct field agency_fields[] = {
	{"id", FIELD_TEXT, FIELD_READONLY, "ID"},
	{"name", FIELD_TEXT, FIELD_REQUIRED, "name", 200},
	{"agency_type", FIELD_ENUM, FIELD_REQUIRED, "agency type", .enum_name = "agency_type"},
	{"la_area", FIELD_ENUM, 0, "area", .enum_name = "la_area"},
	{"out_of_hours_contact", FIELD_TEXT, 0, "out-of-hours contact", 200},
	{"created_at", FIELD_TEXT, FIELD_READONLY}, {"created_by", FIELD_TEXT, FIELD_READONLY},
	{NULL},
};
const struct entity entity_agency = {"agency", "agencies", "agy", agency_fields, false, NULL};

/* 4.3 Professional. */
static const struct field professional_fields[] = {
	{"id", FIELD_TEXT, FIELD_READONLY, "ID"},
	{"name", FIELD_TEXT, FIELD_REQUIRED, "name", 200},
	{"job_role", FIELD_ENUM, FIELD_REQUIRED, "role", .enum_name = "job_role"},
	{"agency_id", FIELD_REF, FIELD_REQUIRED, "agency", .ref_table = "agencies"},
	{"team_id", FIELD_REF, 0, "team", .ref_table = "teams"},
	{"email", FIELD_TEXT, 0, "email", 200},
	{"phone", FIELD_TEXT, 0, "phone", 40},
	{"is_qualified_sw", FIELD_BOOL, 0, "qualified social worker"},
	{"line_manager_id", FIELD_REF, 0, "line manager", .ref_table = "professionals"},
	{"created_at", FIELD_TEXT, FIELD_READONLY}, {"created_by", FIELD_TEXT, FIELD_READONLY},
	{NULL},
};
const struct entity entity_professional = {"professional", "professionals", "pro", professional_fields, false, NULL};

/* A case: one episode of involvement with a child. Its stage changes only through pathway commands. */
static const struct field case_fields[] = {
	{"id", FIELD_TEXT, FIELD_READONLY, "ID"},
	{"child_id", FIELD_REF, FIELD_READONLY, "child", .ref_table = "children"},
	{"stage", FIELD_ENUM, FIELD_READONLY, "stage", .enum_name = "case_stage"},
	{"opened_at", FIELD_MOMENT, FIELD_READONLY, "opened"},
	{"closed_at", FIELD_MOMENT, FIELD_READONLY, "closed"},
	{"closure_reason", FIELD_LONG, FIELD_READONLY, "closure reason"},
	{"allocated_user_id", FIELD_REF, 0, "allocated worker", .ref_table = "users"},
	{"team_id", FIELD_REF, 0, "team", .ref_table = "teams"},
	{"created_at", FIELD_TEXT, FIELD_READONLY}, {"created_by", FIELD_TEXT, FIELD_READONLY},
	{"updated_at", FIELD_TEXT, FIELD_READONLY}, {"updated_by", FIELD_TEXT, FIELD_READONLY},
	{NULL},
};
const struct entity entity_case = {"case", "cases", "cas", case_fields, true, "child_id"};

/* 4.21 Chronology entry. Most are written by pathway commands as events happen; a practitioner may add a
 * significant event that happened outside the system (a hospital admission, a partner's information). */
static const struct field chronology_fields[] = {
	{"id", FIELD_TEXT, FIELD_READONLY, "ID"},
	{"child_id", FIELD_REF, FIELD_READONLY, "child", .ref_table = "children"},
	{"case_id", FIELD_REF, 0, "case", .ref_table = "cases"},
	{"event_date", FIELD_MOMENT, FIELD_REQUIRED, "date of the event"},
	{"event_type", FIELD_ENUM, FIELD_REQUIRED, "type of event", .enum_name = "chronology_event_type"},
	{"summary", FIELD_LONG, FIELD_REQUIRED, "summary", 2000},
	{"significance", FIELD_ENUM, 0, "significance", .enum_name = "significance"},
	{"source_type", FIELD_TEXT, FIELD_READONLY, "source"},
	{"source_id", FIELD_TEXT, FIELD_READONLY, "source record"},
	{"agency_id", FIELD_REF, 0, "agency", .ref_table = "agencies"},
	/* Restricted, third-party and withheld entries never go into a copy for another agency (5.11; docs/redaction). */
	{"restriction", FIELD_ENUM, FIELD_CREATE_ONLY, "who may see it", .enum_name = "chronology_restriction",
	 .hint = "Restricted entries are seen only by those on the child's restricted list; none but 'may be shared' "
	         "ever goes into an information pack"},
	{"created_at", FIELD_TEXT, FIELD_READONLY}, {"created_by", FIELD_TEXT, FIELD_READONLY},
	{NULL},
};
const struct entity entity_chronology = {"chronology entry", "chronology", "chr", chronology_fields, false,
                                         "child_id"};

/* 4.22 Document. content arrives base64-encoded in the API and is stored as bytes with its SHA-256. */
static const struct field document_fields[] = {
	{"id", FIELD_TEXT, FIELD_READONLY, "ID"},
	{"child_id", FIELD_REF, FIELD_READONLY, "child", .ref_table = "children"},
	{"case_id", FIELD_REF, 0, "case", .ref_table = "cases"},
	{"doc_type", FIELD_ENUM, FIELD_REQUIRED, "document type", .enum_name = "doc_type"},
	{"title", FIELD_TEXT, FIELD_REQUIRED, "title", 200},
	{"filename", FIELD_TEXT, 0, "file name", 200},
	{"mime_type", FIELD_TEXT, FIELD_REQUIRED, "media type", 100},
	{"size_bytes", FIELD_INT, FIELD_READONLY, "size"},
	{"sha256", FIELD_TEXT, FIELD_READONLY, "SHA-256"},
	{"content", FIELD_TEXT, FIELD_READONLY, "content"},
	{"confidential", FIELD_BOOL, 0, "confidential"},
	{"withheld_from_family", FIELD_BOOL, 0, "withheld from the family"},
	{"withholding_reason", FIELD_LONG, 0, "reason for withholding", 2000},
	{"redacted_version_of", FIELD_REF, FIELD_READONLY, "redacted from", .ref_table = "documents"},
	{"created_at", FIELD_TEXT, FIELD_READONLY}, {"created_by", FIELD_TEXT, FIELD_READONLY},
	{NULL},
};
const struct entity entity_document = {"document", "documents", "doc", document_fields, false, "child_id"};
