#include "app/routes.h"

#include "api/clocks_api.h"
#include "api/records.h"
#include "ui/pages.h"

const struct route *const routes_all[] = {
	session_routes,
	children_routes,
	related_routes,
	clocks_routes,
	pages_routes,
	NULL,
};
