/* bench_calendar: how fast is calendar_add_working_days, against plain day + n in the same process?
 * Rules come from argv[1], else $SAFEGUARD_RULES, else "rules". Exits 1 only if the rules cannot be loaded. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "calendar/calendar.h"
#include "core/xmalloc.h"

#define NINPUTS (1 << 20)
#define ROUNDS 20

static double now_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* xorshift32: the inputs only need to defeat the branch predictor and the cache, not be good random numbers. */
static uint32_t next_random(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

/* The baseline has the same shape as the real call (out-pointer, status) but only adds, and is kept out of line
 * so the ratio measures the table lookups rather than the call. */
__attribute__((noinline)) static int plain_add(const struct calendar *cal, int32_t day, int n, int32_t *out)
{
	(void)cal;
	*out = day + n;
	return 0;
}

static volatile int64_t sink;

static double run(int (*fn)(const struct calendar *, int32_t, int, int32_t *), const struct calendar *cal,
		  const int32_t *days, const int *ns)
{
	int64_t acc = 0;
	double t0 = now_seconds();
	for (int r = 0; r < ROUNDS; r++) {
		for (int i = 0; i < NINPUTS; i++) {
			int32_t out = 0;
			acc += fn(cal, days[i], ns[i], &out) + out;
		}
	}
	double secs = now_seconds() - t0;
	sink = acc;
	return (double)NINPUTS * ROUNDS / secs;
}

int main(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : getenv("SAFEGUARD_RULES");
	if (!dir || !*dir)
		dir = "rules";
	struct calendar *cal = NULL;
	struct buf err = {0};
	if (calendar_load(&cal, dir, "essex", &err) < 0) {
		fprintf(stderr, "bench_calendar: cannot load rules from %s: %s\n", dir, buf_str(&err));
		buf_free(&err);
		return 1;
	}
	int32_t *days = xmalloc(NINPUTS * sizeof *days);
	int *ns = xmalloc(NINPUTS * sizeof *ns);
	uint32_t seed = 0x9e3779b9u;
	/* Starts anywhere up to 60 working days before the end, so every call succeeds. */
	int32_t span = calendar_last_day() - calendar_first_day() - 100;
	for (int i = 0; i < NINPUTS; i++) {
		days[i] = calendar_first_day() + (int32_t)(next_random(&seed) % (uint32_t)span);
		ns[i] = (int)(next_random(&seed) % 61);
	}
	run(calendar_add_working_days, cal, days, ns); /* warm up caches and page in the tables */
	double base = run(plain_add, cal, days, ns);
	double real = run(calendar_add_working_days, cal, days, ns);
	printf("calendar add_working_days: %.1f Mcalls/s (ratio %.2f vs plain add)\n", real / 1e6, real / base);
	free(days);
	free(ns);
	calendar_free(cal);
	return 0;
}
