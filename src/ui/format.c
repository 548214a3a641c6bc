#include "ui/format.h"

#include <string.h>

#include "core/date.h"

static const char *const months[] = {"January", "February", "March",     "April",   "May",      "June",
                                     "July",    "August",   "September", "October", "November", "December"};

/* The London date (and time) of an ISO date or moment; 0 or -1 when it is neither. */
static int parse(const char *iso, int32_t *d, int *h, int *m, bool *has_time)
{
	*has_time = false;
	if (strlen(iso) > 10) {
		int64_t t;
		int sec;
		if (moment_parse(iso, &t) < 0)
			return -1;
		moment_to_local(t, d, h, m, &sec);
		*has_time = true;
		return 0;
	}
	return date_parse(iso, d);
}

const char *format_long_date(struct arena *a, const char *iso)
{
	int32_t d;
	int h, m, y, mo, dd;
	bool has_time;
	if (!iso)
		return "";
	if (parse(iso, &d, &h, &m, &has_time) < 0)
		return iso;
	date_to_ymd(d, &y, &mo, &dd);
	return arena_printf(a, "%d %s %d", dd, months[mo - 1], y);
}

const char *format_long_moment(struct arena *a, const char *iso)
{
	int32_t d;
	int h = 0, m = 0, y, mo, dd;
	bool has_time;
	if (!iso)
		return "";
	if (parse(iso, &d, &h, &m, &has_time) < 0)
		return iso;
	date_to_ymd(d, &y, &mo, &dd);
	if (!has_time)
		return arena_printf(a, "%d %s %d", dd, months[mo - 1], y);
	if (h == 23 && m == 59)
		return arena_printf(a, "%d %s %d, end of the day", dd, months[mo - 1], y);
	return arena_printf(a, "%d %s %d at %d:%02d%s", dd, months[mo - 1], y, h % 12 ? h % 12 : 12, m, h < 12 ? "am" : "pm");
}
