/* admin_calendar: the authority's own closure days, for system administrators (calendar.manage): GET and POST
 * /admin/closure-days and /api/v1/calendar/closure-days. A day added is saved to
 * rules/calendar/local/<authority>.json at once and counted by deadlines from the next restart (the running
 * calendar is shared by every worker thread without a lock, so it is never changed in place). */
#ifndef SG_ADMIN_CALENDAR_H
#define SG_ADMIN_CALENDAR_H
#include "http/router.h"

extern const struct route admin_calendar_routes[];

#endif
