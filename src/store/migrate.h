/* migrate: apply the numbered SQL files in a migrations directory, in order, each in its own transaction.
 *
 * Files are named NNNN_description.sql (NNNN = version, strictly increasing, no gaps required). Applied versions
 * are recorded in schema_migrations. A database whose recorded version is newer than the newest file is refused:
 * running old code against a newer schema could write rows the newer code would misread. */
#ifndef SG_MIGRATE_H
#define SG_MIGRATE_H
#include "core/buf.h"
#include "store/store.h"

/* Applies what is pending. *applied (if not NULL) receives how many files were applied. -1 with err on failure. */
int migrate_up(struct store *st, const char *dir, int *applied, struct buf *err);
/* The highest applied version (0 for an empty database), or -1 on error. */
int migrate_current_version(struct store *st);
/* Checks without changing anything: 0 if up to date, 1 if migrations are pending, -1 if the schema is newer or on
 * error (with err). */
int migrate_check(struct store *st, const char *dir, struct buf *err);

#endif
