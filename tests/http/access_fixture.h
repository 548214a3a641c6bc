/* access_fixture: the world test_http_access.c runs in (its definitions are in access_fixture.c, which that test
 * includes, because each tests/http/test_*.c is built as one translation unit).
 *
 * A server with the demo authority, plus two children made for the test:
 *   child[0] RELATED:   recorded by asha.patel (social worker, team A), a case allocated to her in team A, and the
 *                       partner users (police, health, education, conference chair, LADO, referrer) as case members;
 *                       its address, a linked person's address and contact details, and a confidential document's
 *                       content carry a unique marker.
 *   child[1] UNRELATED: recorded by cara.nolan (team B) with a case allocated to her in team B; no members.
 * Each has a person, a case, an ordinary document and a running clock, so every kind of address parameter resolves.
 *
 * The matrix walker requests every route of the covered route tables as the demo user of every role and compares
 * the answers with rules/access_matrix.txt; the marker scanner requests every GET route whose parameters resolve. */
#ifndef SG_ACCESS_FIXTURE_H
#define SG_ACCESS_FIXTURE_H
#include <stdbool.h>

#include "core/buf.h"
#include "core/id.h"
#include "store/store.h"
#include "testsrv.h"

#define FIXTURE_PASSWORD "fixture-password-2026"
#define MATRIX_MAX_ROLES 16
#define MATRIX_MAX_ROWS 256

struct fixture {
	struct testsrv srv;
	struct store *st; /* the test's own connection to the server's database */
	char marker[64];
	char child[2][ID_MAX], case_id[2][ID_MAX], person[2][ID_MAX], doc[2][ID_MAX], clock[2][ID_MAX];
	char secret_doc[ID_MAX];
	char target_user[64]; /* an account the administration routes may act on */
};

struct fixture_user {
	const char *role, *username;
};
extern const struct fixture_user fixture_users[];
extern const size_t fixture_nusers;

struct matrix_row {
	char action[64];
	char cells[MATRIX_MAX_ROLES][3]; /* "yn": related, unrelated */
};
struct matrix {
	char roles[MATRIX_MAX_ROLES][32];
	char related[MATRIX_MAX_ROLES][64]; /* comma-separated relations the related child gives the role */
	int nroles;
	struct matrix_row rows[MATRIX_MAX_ROWS];
	int nrows;
};

void fixture_start(struct fixture *fx);
int fixture_stop(struct fixture *fx);
/* A formatted path in one of a few rotating static buffers. */
const char *fixture_path(struct fixture *fx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* SQL on the test database with up to two text parameters (NULL: unused); aborts the test on failure. */
void fixture_sql(struct fixture *fx, const char *sql, const char *a, const char *b);
int64_t fixture_sql_int(struct fixture *fx, const char *sql, const char *a);
const char *fixture_user_id(struct fixture *fx, const char *username);
/* Creates an account through the administration API (password FIXTURE_PASSWORD); returns its id. */
const char *fixture_create_user(struct fixture *fx, const char *username, const char *role);
/* Runs the sqlite3 command-line tool on the test database; returns its exit status. */
int fixture_sqlite3_cli(struct fixture *fx, const char *sql);

void matrix_load(struct matrix *m, const char *home);
void matrix_free(struct matrix *m);
/* Compares every row with the grants in rules/access.json and rules/access.d/; returns the disagreements. */
int matrix_check_json(const struct matrix *m, const char *home, struct buf *why);
/* Every covered route, every role, related and unrelated child; returns the disagreements, counts requests. */
int walk_matrix(struct fixture *fx, const struct matrix *m, struct buf *why, int *checked);
/* Every GET route whose parameters resolve (any module), as username; returns the answers holding the marker. */
int scan_for_marker(struct fixture *fx, const char *username, struct buf *why, int *pages);

#endif
