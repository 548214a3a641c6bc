/* routes: every route table of the service, in match order (NULL-terminated). */
#ifndef SG_ROUTES_H
#define SG_ROUTES_H
#include "http/router.h"

extern const struct route *const routes_all[];

#endif
