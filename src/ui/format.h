/* format: how pages show dates (GOV.UK style: "4 September 2026", "4 September 2026 at 2:30pm"). Results live in
 * the arena; input that is not an ISO date or moment is returned unchanged, NULL as "". */
#ifndef SG_FORMAT_H
#define SG_FORMAT_H
#include "core/arena.h"

const char *format_long_date(struct arena *a, const char *iso);
const char *format_long_moment(struct arena *a, const char *iso);

#endif
