/* The hospital discharge hold (1.6.19, T-04, R-14): a child admitted where abuse is alleged, suspected or confirmed
 * is not discharged until children's social care for the hospital's area and for the home area have both been told
 * by telephone, and a strategy discussion has been held or recorded as not appropriate. */
#include <stdio.h>
#include <string.h>

#include "core/date.h"
#include "pathway/front.h"

int front_hospital_hold_place(struct http_request *req, const char *case_id, json_t *in, struct front_out *out)
{
	struct front_case c;
	if (front_load_case(req, case_id, "hospital_hold.record", &c, out) < 0 || front_begin(req, out) < 0 ||
	    front_in_stage(req, out, &c, "hospital_hold.place") < 0)
		return -1;
	if (json_object_get(in, "smd_not_appropriate_reason")) {
		front_abort(req);
		return front_fail(out, 422, "smd_not_appropriate_reason", "Give this reason when the hold is released");
	}
	if (front_validate(req, &front_hospital_hold, in, false, out) < 0)
		return front_abort(req);
	struct http_kv extra[] = {{"case_id", c.id}, {"child_id", c.child_id}};
	if (front_insert(req, out, &front_hospital_hold, in, extra, 2, out->id) < 0 ||
	    front_chronology(req, out, &c, "hospital_admission", "In hospital with a concern of abuse: not to be discharged "
	                                                         "until the hold is released",
	                     "critical", "hospital_hold", out->id, front_str(in, "placed_at")) < 0 ||
	    front_audit(req, out, "create", "hospital_hold", out->id, c.child_id) < 0 || front_commit(req, out) < 0)
		return -1;
	json_array_append_new(out->warnings,
	                      json_pack("{s:s, s:s, s:s}", "rule", "R-14", "citation", "1.6.19", "message",
	                                "Telephone children's social care for the hospital's area and for the child's home "
	                                "area, and log both calls"));
	return 0;
}

int front_hospital_hold_release(struct http_request *req, const char *hold_id, json_t *in, struct front_out *out)
{
	struct front_case c;
	if (front_load_owner(req, "hospital_holds", hold_id, "hospital_hold.record", &c, out) < 0 ||
	    front_begin(req, out) < 0 || front_in_stage(req, out, &c, "hospital_hold.release") < 0)
		return -1;
	json_t *hold = front_row(req, &front_hospital_hold, hold_id);
	const char *placed = json_string_value(json_object_get(hold, "placed_at"));
	bool released = !json_is_null(json_object_get(hold, "released_at"));
	const char *reason = front_str(in, "smd_not_appropriate_reason");
	static const char *const areas[][2] = {{"HOSPITAL_AREA_CSC", "children's social care for the hospital's area"},
	                                       {"HOME_AREA_CSC", "children's social care for the child's home area"}};
	if (released)
		front_fail(out, 409, NULL, "The hold has already been released");
	for (size_t i = 0; i < 2 && !released; i++) {
		if (front_count(req,
		                "SELECT COUNT(*) FROM communications WHERE case_id = $1 AND purpose = 'HOSPITAL_NOTIFICATION' "
		                "AND channel = 'PHONE' AND recipient_type = $2",
		                c.id, areas[i][0], NULL) == 0) {
			char msg[300];
			snprintf(msg, sizeof msg, "Log the telephone call to %s before the child is discharged (1.6.19, R-14)",
			         areas[i][1]);
			front_fail(out, 422, NULL, msg);
		}
	}
	if (!released && !reason &&
	    front_count(req, "SELECT COUNT(*) FROM strategy_discussions WHERE case_id = $1 AND held_at >= $2", c.id,
	                placed, NULL) == 0)
		front_fail(out, 422, "smd_not_appropriate_reason",
		           "Hold a strategy discussion, or record why one is not appropriate, before the child is discharged "
		           "(1.6.19, R-14)");
	json_decref(hold);
	if (front_failed(out))
		return front_abort(req);
	char now_iso[MOMENT_ISO_LEN];
	moment_format(moment_now(), now_iso);
	const char *vals[] = {now_iso, req->user.id, reason, hold_id};
	if (front_exec(req, out, "UPDATE hospital_holds SET released_at = $1, released_by = $2, "
	                         "smd_not_appropriate_reason = COALESCE($3, smd_not_appropriate_reason) WHERE id = $4",
	               vals, 4) < 0 ||
	    front_chronology(req, out, &c, "hospital_admission", "Hospital discharge hold released", "significant",
	                     "hospital_hold", hold_id, now_iso) < 0 ||
	    front_audit(req, out, "release", "hospital_hold", hold_id, c.child_id) < 0 || front_commit(req, out) < 0)
		return -1;
	snprintf(out->id, sizeof out->id, "%s", hold_id);
	return 0;
}
