/* pages: the HTML pages for the shared records (the same operations as the JSON API, rendered from
 * web/templates): my work, search, a child's page, recording a new child. */
#ifndef SG_PAGES_H
#define SG_PAGES_H
#include "http/router.h"

extern const struct route pages_routes[];
extern const struct route people_pages_routes[];
extern const struct route documents_pages_routes[];

#endif
