/* clock/rules_internal: shared between rules.c (files, set, lookups) and rules_parse.c (one JSON entry at a time).
 * Not for use outside src/clock/. */
#ifndef SG_CLOCK_RULES_INTERNAL_H
#define SG_CLOCK_RULES_INTERNAL_H
#include <jansson.h>

#include "clock/rules.h"

struct clock_alias {
	const char *id;
	const char *rule_id;
	const char *variant_code; /* NULL: the rule's default variant */
	const char *citation;
	const char *notes;
	const char *file;
};

/* A variant written in one file for a rule defined in another; attached once every file is loaded. */
struct clock_addition {
	const char *rule_id;
	const char *entry;
	struct clock_variant variant;
};

struct clock_rules {
	struct clock_rule *rules;
	size_t n_rules, cap_rules;
	struct clock_event *events;
	size_t n_events, cap_events;
	struct clock_alias *aliases;
	size_t n_aliases, cap_aliases;
	struct clock_addition *additions;
	size_t n_additions, cap_additions;
	char **strs; /* every string the set hands out */
	size_t n_strs, cap_strs;
};

/* Where a problem is reported: "FILE: ENTRY: PROBLEM". */
struct clock_parse {
	struct clock_rules *set;
	const char *file;
	struct buf *err;
};

const char *clock_rules_pool(struct clock_rules *set, const char *s);
int clock_rules_fail(struct clock_parse *p, const char *entry, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

int clock_rules_parse_event(struct clock_parse *p, const char *entry, json_t *obj, struct clock_event *out);
int clock_rules_parse_rule(struct clock_parse *p, const char *entry, json_t *obj, struct clock_rule *out);
int clock_rules_parse_addition(struct clock_parse *p, const char *entry, json_t *obj, struct clock_addition *out);
int clock_rules_parse_alias(struct clock_parse *p, const char *entry, json_t *obj, struct clock_alias *out);
/* Checks that need the whole rule: units against the kind, limit ranges, codes unique, max_limit. */
int clock_rules_check_rule(const struct clock_rule *rule, struct buf *err);

#endif
