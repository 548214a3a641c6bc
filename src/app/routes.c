#include "app/routes.h"

#include "api/access_control.h"
#include "api/clocks_api.h"
#include "api/records.h"
#include "docs/exports.h"
#include "docs/pack.h"
#include "pathway/back_pages.h"
#include "pathway/front.h"
#include "pathway/partner.h"
#include "support/support_routes.h"
#include "ui/admin_calendar.h"
#include "ui/dashboard.h"
#include "ui/drafts.h"
#include "ui/pages.h"

const struct route *const routes_all[] = {
	session_routes,
	children_routes,
	related_routes,
	households_routes,
	clocks_routes,
	calendar_feed_routes,
	support_routes,
	contact_routes, referral_routes, assessment_routes, strategy_routes, s47_routes, front_pages_routes, front_rules_routes,
	partner_referral_routes,
	conference_routes, conference_prep_routes, decision_routes, documents_routes, plan_routes, plan_edit_routes, plan_accept_routes, core_group_routes, visit_routes, review_routes, back_pages_routes, back_pages_conf_routes, back_pages_plan_routes,
	pages_routes,
	people_pages_routes,
	documents_pages_routes,
	drafts_routes,
	account_routes,
	alerts_routes,
	admin_routes,
	admin_pages_routes,
	break_glass_routes,
	sharing_routes,
	pack_routes,
	audit_routes,
	dashboard_routes, dashboard_reassign_routes, exports_routes, admin_calendar_routes,
	NULL,
};
