/* Durable writes: creating a referral-sized child record through the API (the record, its chronology entry and
 * its audit entry, one fsync'd transaction) per second, against raw single-row SQLite inserts with
 * synchronous=FULL each in its own transaction, measured in the same run on the same disk.
 * Usage: bench_write PORT COOKIE CSRF DIR [REQUESTS] [CONNECTIONS] */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static double now_s(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static double raw_inserts(const char *dir, int n)
{
	char path[512];
	snprintf(path, sizeof path, "%s/raw.db", dir);
	unlink(path);
	sqlite3 *db;
	sqlite3_open(path, &db);
	sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; CREATE TABLE t (id INTEGER PRIMARY KEY, "
	                 "a TEXT, b TEXT, c TEXT)", NULL, NULL, NULL);
	sqlite3_stmt *s;
	sqlite3_prepare_v2(db, "INSERT INTO t (a, b, c) VALUES (?1, ?2, ?3)", -1, &s, NULL);
	double t0 = now_s();
	for (int i = 0; i < n; i++) {
		sqlite3_exec(db, "BEGIN", NULL, NULL, NULL);
		sqlite3_bind_text(s, 1, "forenames", -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 2, "surname", -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 3, "2019-01-01", -1, SQLITE_STATIC);
		sqlite3_step(s);
		sqlite3_reset(s);
		sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
	}
	double rate = n / (now_s() - t0);
	sqlite3_finalize(s);
	sqlite3_close(db);
	unlink(path);
	return rate;
}

struct worker {
	int port, n, ok;
	const char *cookie, *csrf;
};

static void *post_loop(void *arg)
{
	struct worker *w = arg;
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)w->port)};
	inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
	if (connect(fd, (struct sockaddr *)&a, sizeof a) < 0)
		return NULL;
	static const char body[] =
		"{\"forenames\":\"Bench\",\"surname\":\"Referral\",\"dob\":\"2019-03-27\",\"gender\":\"female\","
		"\"ethnicity\":\"Not stated\",\"first_language\":\"English\",\"nhs_number\":\"943 476 5919\","
		"\"address\":\"1 Bench Road, Demo Town\",\"postcode\":\"CM1 1AA\",\"home_la\":\"ESSEX\","
		"\"communication_needs\":\"None known\",\"disabilities\":\"None known\","
		/* The same child again and again: as a client that searched first and confirmed it is a new record
		 * (otherwise the duplicate check answers 409, as it should). */
		"\"not_duplicate\":true}";
	char req[2048], resp[8192];
	int len = snprintf(req, sizeof req,
	                   "POST /api/v1/children HTTP/1.1\r\nHost: b\r\nCookie: %s\r\nX-CSRF-Token: %s\r\n"
	                   "Content-Type: application/json\r\nContent-Length: %zu\r\n\r\n%s",
	                   w->cookie, w->csrf, sizeof body - 1, body);
	for (int i = 0; i < w->n; i++) {
		if (write(fd, req, (size_t)len) != len)
			break;
		/* Read one response: headers, then Content-Length bytes of body. */
		size_t got = 0;
		long clen = -1;
		char *hdr_end = NULL;
		while (!hdr_end || got < (size_t)(hdr_end - resp) + 4 + (size_t)clen) {
			ssize_t r = read(fd, resp + got, sizeof resp - 1 - got);
			if (r <= 0)
				goto out;
			got += (size_t)r;
			resp[got] = '\0';
			if (!hdr_end && (hdr_end = strstr(resp, "\r\n\r\n"))) {
				char *cl = strcasestr(resp, "Content-Length:");
				clen = cl ? strtol(cl + 15, NULL, 10) : 0;
			}
		}
		if (strncmp(resp, "HTTP/1.1 201", 12) == 0)
			w->ok++;
	}
out:
	close(fd);
	return NULL;
}

int main(int argc, char **argv)
{
	if (argc < 5) {
		fprintf(stderr, "usage: bench_write PORT COOKIE CSRF DIR [REQUESTS] [CONNECTIONS]\n");
		return 2;
	}
	int port = atoi(argv[1]), n = argc > 5 ? atoi(argv[5]) : 2000, conns = argc > 6 ? atoi(argv[6]) : 8;
	double raw = raw_inserts(argv[4], n);
	struct worker w[64];
	pthread_t th[64];
	double t0 = now_s();
	for (int i = 0; i < conns; i++) {
		w[i] = (struct worker){port, n / conns, 0, argv[2], argv[3]};
		pthread_create(&th[i], NULL, post_loop, &w[i]);
	}
	int ok = 0;
	for (int i = 0; i < conns; i++) {
		pthread_join(th[i], NULL);
		ok += w[i].ok;
	}
	double api = ok / (now_s() - t0);
	printf("durable write: %.0f records/s through the API (%d of %d created, %d connections); raw SQLite FULL "
	       "single-row commits %.0f/s; ratio %.2f (target >= 0.5)\n",
	       api, ok, (n / conns) * conns, conns, raw, api / raw);
	return ok == (n / conns) * conns ? 0 : 1;
}
