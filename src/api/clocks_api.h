/* clocks_api: the deadline views and actions over HTTP (JSON and pages). */
#ifndef SG_CLOCKS_API_H
#define SG_CLOCKS_API_H
#include "http/router.h"

extern const struct route clocks_routes[];

#endif
