#include "support/support_routes.h"

#include "support/handlers.h"

#define CHILD "/api/v1/children/:id"
#define PAGE "/children/:id/support"

const struct route support_routes[] = {
	{HTTP_GET, "/api/v1/support/catalogue", support_api_catalogue, "reference.read"},
	{HTTP_GET, CHILD "/support", support_api_overview, "support.read"},
	{HTTP_GET, CHILD "/concerns", support_api_concerns_list, "support.read"},
	{HTTP_POST, CHILD "/concerns", support_api_concerns_create, "support.record"},
	{HTTP_GET, CHILD "/concerns/:cid", support_api_concern_get, "support.concern"},
	{HTTP_GET, CHILD "/factors", support_api_factors_list, "support.read"},
	{HTTP_POST, CHILD "/factors", support_api_factors_create, "support.record"},
	{HTTP_POST, CHILD "/factors/:fid/end", support_api_factor_end, "support.record"},
	{HTTP_GET, CHILD "/neglect-assessments", support_api_assessments_list, "support.read"},
	{HTTP_POST, CHILD "/neglect-assessments", support_api_assessments_create, "support.record"},
	{HTTP_GET, CHILD "/capacity-reviews", support_api_reviews_list, "support.read"},
	{HTTP_POST, CHILD "/capacity-reviews", support_api_reviews_create, "support.record"},
	{HTTP_GET, CHILD "/agreements", support_api_agreements_list, "support.read"},
	{HTTP_POST, CHILD "/agreements", support_api_agreements_create, "support.record"},
	{HTTP_POST, CHILD "/agreements/:aid/outcome", support_api_agreement_outcome, "support.record"},
	{HTTP_GET, CHILD "/interventions", support_api_interventions_list, "support.read"},
	{HTTP_POST, CHILD "/interventions", support_api_interventions_create, "support.record"},
	{HTTP_PATCH, CHILD "/interventions/:iid", support_api_intervention_update, "support.record"},
	{HTTP_GET, CHILD "/prompts", support_api_prompts_list, "support.read"},
	{HTTP_GET, CHILD "/prompts/:pid", support_api_prompt_get, "support.read"},
	{HTTP_POST, CHILD "/prompts/:pid/dismiss", support_api_prompt_dismiss, "support.record"},

	{HTTP_GET, PAGE, support_pages_overview, "support.read"},
	{HTTP_GET, PAGE "/concerns/new", support_pages_concern_new, "support.record"},
	{HTTP_POST, PAGE "/concerns", support_pages_concern_create, "support.record"},
	{HTTP_GET, PAGE "/concerns/:cid", support_pages_concern, "support.concern"},
	{HTTP_GET, PAGE "/factors/new", support_pages_factor_new, "support.record"},
	{HTTP_POST, PAGE "/factors", support_pages_factor_create, "support.record"},
	{HTTP_GET, PAGE "/factors/:fid/end", support_pages_factor_end_form, "support.record"},
	{HTTP_POST, PAGE "/factors/:fid/end", support_pages_factor_end, "support.record"},
	{HTTP_GET, PAGE "/neglect", support_pages_neglect, "support.read"},
	{HTTP_GET, PAGE "/neglect/new", support_pages_neglect_new, "support.record"},
	{HTTP_POST, PAGE "/neglect", support_pages_neglect_create, "support.record"},
	{HTTP_GET, PAGE "/capacity/new", support_pages_capacity_new, "support.record"},
	{HTTP_POST, PAGE "/capacity", support_pages_capacity_create, "support.record"},
	{HTTP_GET, PAGE "/agreements/:aid/outcome", support_pages_outcome_form, "support.record"},
	{HTTP_POST, PAGE "/agreements/:aid/outcome", support_pages_outcome, "support.record"},
	{HTTP_GET, PAGE "/interventions", support_pages_interventions, "support.read"},
	{HTTP_POST, PAGE "/interventions", support_pages_intervention_create, "support.record"},
	{HTTP_GET, PAGE "/interventions/:iid", support_pages_intervention_form, "support.record"},
	{HTTP_POST, PAGE "/interventions/:iid", support_pages_intervention_update, "support.record"},
	{HTTP_GET, PAGE "/prompts/:pid", support_pages_prompt, "support.read"},
	{HTTP_POST, PAGE "/prompts/:pid/dismiss", support_pages_prompt_dismiss, "support.record"},
	{0},
};
