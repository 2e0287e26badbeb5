// SPDX-License-Identifier: GPL-2.0
/*
 * Fuzz target for the model: gmemsim_fuzz_model() decodes bytes into a
 * trace (a VM, a guest_memfd, memslots, then 1..3 threads of calls) and a
 * decision stream (thread picks, allocation failures), runs it once on the
 * model with every checker on, and aborts on any violation (decoded traces
 * carry no expectations), deadlock, livelock or runaway run.  In-process,
 * fibers rather than OS threads, deterministic, a fresh world per input.
 *
 * Built three ways (tools/fuzz/sources.cmake):
 *   model_fuzz         libFuzzer (-fsanitize=fuzzer, GMEMSIM_FUZZ=ON);
 *   model_fuzz_afl     AFL++ persistent mode (MODEL_FUZZ_AFL; built with
 *                      afl-clang-fast, or as a one-shot stdin driver
 *                      by any other compiler);
 *   model_fuzz_replay  MODEL_FUZZ_REPLAY: main() runs every file (or every
 *                      file under every directory) on the command line:
 *                      raw inputs through gmemsim_fuzz_model(), *.trace
 *                      files (regressions) as traces with the schedule of
 *                      their "# fuzz-schedule:" line, expectations checked.
 *                      A trace with a "# fuzz-expect: CHECKER..." line (a
 *                      known finding, tests/fuzz/known/) passes iff its run
 *                      reports violations of exactly those checkers.
 *                      Each input runs twice and must hash the same.
 */
#include <ftw.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz_decode.h"
#include "fuzz_run.h"

int gmemsim_fuzz_model(const uint8_t *data, size_t len);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct fuzz_case fuzz_case;

#ifdef MODEL_FUZZ_REPLAY
/* Hash and steps of the last run (the replay driver's checks and --stats). */
static struct fuzz_run_result last_run;
#define LAST_RUN	(&last_run)
#else
/* The engines' builds compare no runs: theirs skip the event-log hash. */
#define LAST_RUN	NULL
#endif

/**
 * gmemsim_fuzz_model() - the property: any input runs clean on the model
 * @data: the input bytes
 * @len: their number
 *
 * Context: process context, one OS thread (runs the model on fibers).
 * Return: 0; aborts on a violation after printing it and the trace.
 */
int gmemsim_fuzz_model(const uint8_t *data, size_t len)
{
	fuzz_decode(data, len, FUZZ_MODEL, NULL, &fuzz_case);
	if (!fuzz_run_model(&fuzz_case.t, fuzz_case.schedule, false, LAST_RUN, stderr))
		abort();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return gmemsim_fuzz_model(data, size);
}

#ifdef MODEL_FUZZ_AFL
#ifndef __AFL_FUZZ_TESTCASE_LEN
/* Not built by afl-clang-fast: run one input from stdin. */
static unsigned char afl_buf[1 << 16];
static ssize_t afl_len;
#define __AFL_FUZZ_INIT()	struct afl_unused
#define __AFL_FUZZ_TESTCASE_BUF	afl_buf
#define __AFL_FUZZ_TESTCASE_LEN	afl_len
#define __AFL_LOOP(n)		((afl_len = afl_len ? -1 : \
				  (ssize_t)fread(afl_buf, 1, sizeof(afl_buf), stdin)) >= 0)
#define __AFL_INIT()		do { } while (0)
#endif

__AFL_FUZZ_INIT();

int main(void)
{
	unsigned char *buf;
	unsigned char head[3];
	int i;

	/*
	 * Warm up before the fork server starts: run every setup skeleton
	 * (the three header bytes) once, so that what the model sets up once
	 * per process (tables, caches) is set up in the snapshot, not in
	 * whichever input happens to run first after a fork.  Otherwise AFL
	 * sees those edges come and go between runs of one input and marks
	 * them variable.
	 */
	for (i = 0; i < 256; i++) {
		head[0] = i;
		head[1] = i * 37;
		head[2] = i * 91;
		gmemsim_fuzz_model(head, sizeof(head));
	}
	__AFL_INIT();
	buf = __AFL_FUZZ_TESTCASE_BUF;
	while (__AFL_LOOP(100000))
		gmemsim_fuzz_model(buf, __AFL_FUZZ_TESTCASE_LEN);
	return 0;
}
#endif /* MODEL_FUZZ_AFL */

#ifdef MODEL_FUZZ_REPLAY
#include <strings.h>
#include <sys/resource.h>
#include <time.h>

#include "sched/sched.h"

#define MAX_INPUTS	4096

static struct input {
	char *path;
	uint64_t hash;
	uint64_t steps;
	uint64_t ns;		/* fastest of its runs */
} inputs[MAX_INPUTS];
static int ninputs, nregressions;

/*
 * The comment line of a known finding (tests/fuzz/known/): the checkers
 * that must report, separated by spaces or commas, as sim_result_print()
 * names them ("LOCKDEP", "stale-mapping", ...; case does not matter).
 */
#define FUZZ_EXPECT_TAG		"# fuzz-expect:"
#define FUZZ_EXPECT_MAX		8

/* --ignore-expect: run known findings as plain regressions (triage, reduce.py). */
static bool ignore_expect;
/* Inputs whose trace carries FUZZ_EXPECT_TAG (counted while collecting). */
static int nexpected;

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && !strcmp(s + n - m, suffix);
}

/* The FUZZ_EXPECT_TAG line of @text (at the start of a line), or NULL. */
static const char *find_expect(const char *text)
{
	const char *p = text;

	while ((p = strstr(p, FUZZ_EXPECT_TAG))) {
		if (p == text || p[-1] == '\n')
			return p + strlen(FUZZ_EXPECT_TAG);
		p++;
	}
	return NULL;
}

struct expect {
	int n;
	char name[FUZZ_EXPECT_MAX][64];
};

/* Add @name (@len chars) to @e unless there already; false if @e is full. */
static bool expect_add(struct expect *e, const char *name, size_t len)
{
	int i;

	if (len >= sizeof(e->name[0]))
		len = sizeof(e->name[0]) - 1;
	for (i = 0; i < e->n; i++)
		if (strlen(e->name[i]) == len && !strncasecmp(e->name[i], name, len))
			return true;
	if (e->n == FUZZ_EXPECT_MAX)
		return false;
	snprintf(e->name[e->n++], sizeof(e->name[0]), "%.*s", (int)len, name);
	return true;
}

static bool expect_has(const struct expect *e, const char *name)
{
	int i;

	for (i = 0; i < e->n; i++)
		if (!strcasecmp(e->name[i], name))
			return true;
	return false;
}

static void expect_print(const struct expect *e, FILE *f)
{
	int i;

	for (i = 0; i < e->n; i++)
		fprintf(f, "%s%s", i ? " " : "", e->name[i]);
	if (!e->n)
		fprintf(f, "(none)");
}

/*
 * Parse the checker list after FUZZ_EXPECT_TAG (up to the end of the line).
 * Return: false (after a message naming @path) if it is empty or too long.
 */
static bool parse_expect(const char *path, const char *p, struct expect *e)
{
	size_t n;

	e->n = 0;
	for (;;) {
		p += strspn(p, " \t,");
		n = strcspn(p, " \t,\r\n");
		if (!n)
			break;
		if (!expect_add(e, p, n)) {
			fprintf(stderr, "%s: " FUZZ_EXPECT_TAG " names more than %d checkers\n",
				path, FUZZ_EXPECT_MAX);
			return false;
		}
		p += n;
	}
	if (!e->n)
		fprintf(stderr, "%s: " FUZZ_EXPECT_TAG " names no checker\n", path);
	return e->n > 0;
}

/*
 * Judge a known finding's run from its result: it passes iff the outcome is
 * a checker's (violation, deadlock or livelock) and the checkers that
 * reported are exactly @want.  @report is what fuzz_run_model() printed
 * for the run, shown when the judgement fails.
 */
static bool judge_expected(const char *path, const struct fuzz_run_result *res,
			   const char *report, const struct expect *want)
{
	struct expect got = { 0 };
	bool ok;
	int i;

	if (res->outcome == SIM_OK) {
		fprintf(stderr, "FAIL %s: expected a violation of ", path);
		expect_print(want, stderr);
		fprintf(stderr, " (" FUZZ_EXPECT_TAG " line), but the run was clean: "
			"the model no longer reproduces this known finding\n");
		return false;
	}
	for (i = 0; i < res->nchecker; i++)
		expect_add(&got, res->checker[i], strlen(res->checker[i]));
	ok = res->outcome == SIM_VIOLATION || res->outcome == SIM_DEADLOCK ||
	     res->outcome == SIM_LIVELOCK;
	ok = ok && got.n == want->n;
	for (i = 0; ok && i < got.n; i++)
		ok = expect_has(want, got.name[i]);
	if (!ok) {
		fprintf(stderr, "FAIL %s: expected a violation of exactly ", path);
		expect_print(want, stderr);
		fprintf(stderr, " (" FUZZ_EXPECT_TAG " line), but got outcome %s, "
			"violations of ", sim_outcome_name(res->outcome));
		expect_print(&got, stderr);
		fprintf(stderr, "; its report:\n%s", report);
	}
	return ok;
}

/*
 * A regression trace: the trace itself, its schedule from the
 * "# fuzz-schedule:" line, every violation (expectations too) a failure.
 * With a FUZZ_EXPECT_TAG line (and no --ignore-expect), a known finding:
 * it must fail, with violations of exactly the checkers that line names.
 * *@res (not NULL) gets the run's result.
 */
static bool run_regression(const char *path, struct fuzz_run_result *res)
{
	struct trace_error err;
	char sched[FUZZ_SCHED_MAX + 64] = "S1:";
	struct expect want = { 0 };
	bool expect = false;
	char *report = NULL;
	size_t report_len;
	struct trace *t;
	const char *p;
	uint8_t *text;
	FILE *out;
	size_t len;
	bool ok;

	text = fuzz_slurp(path, &len);
	if (!text)
		return false;
	p = strstr((char *)text, FUZZ_SCHEDULE_TAG);
	if (p) {
		p += strlen(FUZZ_SCHEDULE_TAG);
		snprintf(sched, sizeof(sched), "%.*s", (int)strcspn(p, "\r\n"), p);
	}
	p = ignore_expect ? NULL : find_expect((char *)text);
	if (p) {
		expect = true;
		if (!parse_expect(path, p, &want)) {
			free(text);
			return false;
		}
	}
	free(text);
	t = calloc(1, sizeof(*t));
	if (!t)
		return false;
	if (trace_parse_file(path, t, &err)) {
		fprintf(stderr, "%s:%d:%d: %s\n", err.file, err.line, err.col, err.msg);
		free(t);
		return false;
	}
	if (!expect) {
		ok = fuzz_run_model(t, sched, true, res, stderr);
	} else {
		out = open_memstream(&report, &report_len);
		if (!out) {
			perror("open_memstream");
			ok = false;
		} else {
			fuzz_run_model(t, sched, true, res, out);
			fclose(out);
			ok = judge_expected(path, res, report ? report : "", &want);
			free(report);
		}
	}
	trace_free(t);
	free(t);
	return ok;
}

/* A decoded input must print to a trace that parses back equal. */
static bool check_roundtrip(const char *path)
{
	struct trace_error err;
	struct trace u;
	char *text = trace_print(&fuzz_case.t);
	bool ok;

	if (!text)
		return false;
	if (trace_parse_buf(path, text, strlen(text), &u, &err)) {
		fprintf(stderr, "%s: decoded trace does not parse: %d:%d: %s\n%s", path,
			err.line, err.col, err.msg, text);
		free(text);
		return false;
	}
	ok = trace_equal(&fuzz_case.t, &u);
	if (!ok)
		fprintf(stderr, "%s: decoded trace prints to a different trace\n%s", path, text);
	trace_free(&u);
	free(text);
	return ok;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + ts.tv_nsec;
}

/* Run one input; *@ns gets the time of the property alone (no I/O, no round trip). */
static bool run_one(const char *path, struct fuzz_run_result *res, uint64_t *ns)
{
	uint64_t t0;
	uint8_t *buf;
	size_t len;
	bool ok;

	if (ends_with(path, ".trace")) {
		t0 = now_ns();
		ok = run_regression(path, res);
		*ns = now_ns() - t0;
		return ok;
	}
	buf = fuzz_slurp(path, &len);
	if (!buf)
		return false;
	t0 = now_ns();
	gmemsim_fuzz_model(buf, len);
	*ns = now_ns() - t0;
	free(buf);
	*res = last_run;
	return check_roundtrip(path);
}

static int collect(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	if (type != FTW_F || path[ftw->base] == '.' || ends_with(path, ".md"))
		return 0;
	if (ninputs == MAX_INPUTS) {
		fprintf(stderr, "%s: more than %d inputs\n", path, MAX_INPUTS);
		return 1;
	}
	nregressions += ends_with(path, ".trace");
	inputs[ninputs++].path = strdup(path);
	return 0;
}

static int cmp_input(const void *a, const void *b)
{
	return strcmp(((const struct input *)a)->path, ((const struct input *)b)->path);
}

static int cmp_cost(const void *a, const void *b)
{
	const struct input *x = *(const struct input *const *)a, *y = *(const struct input *const *)b;

	return x->ns < y->ns ? 1 : x->ns > y->ns ? -1 : strcmp(x->path, y->path);
}

/*
 * --stats: where the replay's time goes, input by input (the fastest of
 * each input's runs): the cost distribution, how much of it the heaviest
 * tenth of the inputs takes, and the ten heaviest inputs with their steps.
 */
static void print_stats(void)
{
	static struct input *by_cost[MAX_INPUTS];
	uint64_t total = 0, steps = 0, top = 0;
	int i, ntop = (ninputs + 9) / 10;

	for (i = 0; i < ninputs; i++) {
		by_cost[i] = &inputs[i];
		total += inputs[i].ns;
		steps += inputs[i].steps;
	}
	qsort(by_cost, ninputs, sizeof(by_cost[0]), cmp_cost);
	for (i = 0; i < ntop; i++)
		top += by_cost[i]->ns;
	printf("stats: %d inputs, %.1f ms in all: %.0f inputs/s, mean %.1f us, %.0f steps\n",
	       ninputs, total / 1e6, total ? ninputs * 1e9 / total : 0.0,
	       total / 1e3 / ninputs, (double)steps / ninputs);
	printf("stats: per input median %.1f us, p90 %.1f us, max %.1f us; "
	       "the heaviest %d take %.0f%% of the time\n",
	       by_cost[ninputs / 2]->ns / 1e3, by_cost[ninputs / 10]->ns / 1e3,
	       by_cost[0]->ns / 1e3, ntop, total ? 100.0 * top / total : 0.0);
	for (i = 0; i < ninputs && i < 10; i++)
		printf("stats: %9.1f us %7llu steps  %s\n", by_cost[i]->ns / 1e3,
		       (unsigned long long)by_cost[i]->steps, by_cost[i]->path);
}

static long max_rss_kb(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss;
}

static int usage(void)
{
	fprintf(stderr,
		"usage: model_fuzz_replay [--rounds N] [--stats] [--ignore-expect] PATH...\n"
		"       model_fuzz_replay --print INPUT\n"
		"Run every input (file, or files under a directory) through the model fuzz\n"
		"property; *.trace files are regression traces.  A trace with a\n"
		"'" FUZZ_EXPECT_TAG " CHECKER...' line is a known finding: it passes iff its\n"
		"run reports violations of exactly those checkers (--ignore-expect: run it\n"
		"as a plain regression, with its report).  --rounds N repeats the whole\n"
		"set N times and reports the peak RSS after each (state must not grow).\n"
		"--stats prints the time each input takes (the property alone) and its\n"
		"distribution.\n"
		"--print writes the trace an input decodes to, ready for tests/fuzz/regressions/.\n");
	return 2;
}

int main(int argc, char **argv)
{
	long rounds = 1, rss1 = 0;
	int i, failed = 0, r;
	bool stats = false;

	if (argc == 3 && !strcmp(argv[1], "--print")) {
		size_t len;
		uint8_t *buf = fuzz_slurp(argv[2], &len);

		if (!buf)
			return 2;
		fuzz_decode(buf, len, FUZZ_MODEL, NULL, &fuzz_case);
		free(buf);
		fuzz_print_case(&fuzz_case.t, fuzz_case.schedule,
				"# Found by model_fuzz: (say what it found and what fixed it)\n",
				stdout);
		return 0;
	}
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--rounds") && i + 1 < argc) {
			rounds = strtol(argv[++i], NULL, 0);
			if (rounds < 1)
				return usage();
			continue;
		}
		if (!strcmp(argv[i], "--stats")) {
			stats = true;
			continue;
		}
		if (!strcmp(argv[i], "--ignore-expect")) {
			ignore_expect = true;
			continue;
		}
		if (argv[i][0] == '-')
			return usage();
		if (nftw(argv[i], collect, 16, FTW_PHYS)) {
			fprintf(stderr, "%s: cannot read\n", argv[i]);
			return 2;
		}
	}
	if (!ninputs)
		return usage();
	qsort(inputs, ninputs, sizeof(inputs[0]), cmp_input);
	for (i = 0; i < ninputs && !ignore_expect; i++) {
		size_t len;
		uint8_t *text;

		if (!ends_with(inputs[i].path, ".trace"))
			continue;
		text = fuzz_slurp(inputs[i].path, &len);
		nexpected += text && find_expect((char *)text);
		free(text);
	}
	for (r = 0; r < rounds; r++) {
		for (i = 0; i < ninputs; i++) {
			struct fuzz_run_result res = { 0 };
			uint64_t h, ns = 0;

			if (!run_one(inputs[i].path, &res, &ns)) {
				fprintf(stderr, "FAIL %s\n", inputs[i].path);
				failed++;
			}
			h = res.hash;
			if (r == 0 || ns < inputs[i].ns)
				inputs[i].ns = ns;
			if (r == 0) {
				inputs[i].hash = h;
				inputs[i].steps = res.steps;
			} else if (h != inputs[i].hash) {
				fprintf(stderr, "FAIL %s: not deterministic (hash %#llx, then %#llx)\n",
					inputs[i].path, (unsigned long long)inputs[i].hash,
					(unsigned long long)h);
				failed++;
			}
		}
		if (r == 0)
			rss1 = max_rss_kb();
		if (rounds > 1 && (r == rounds - 1 || (r + 1) % 10 == 0))
			printf("round %d: peak RSS %ld KiB (after round 1: %ld KiB)\n", r + 1,
			       max_rss_kb(), rss1);
	}
	/* The same inputs again, in reverse: no result may depend on an earlier input. */
	for (i = ninputs - 1; i >= 0; i--) {
		struct fuzz_run_result res = { 0 };
		uint64_t h, ns = 0;

		run_one(inputs[i].path, &res, &ns);
		h = res.hash;
		if (ns < inputs[i].ns)
			inputs[i].ns = ns;
		if (h != inputs[i].hash) {
			fprintf(stderr, "FAIL %s: result depends on earlier inputs (hash %#llx, then %#llx)\n",
				inputs[i].path, (unsigned long long)inputs[i].hash,
				(unsigned long long)h);
			failed++;
		}
	}
	if (stats)
		print_stats();
	for (i = 0; i < ninputs; i++)
		free(inputs[i].path);
	printf("model_fuzz_replay: %d inputs (%d regression traces, %d known findings) "
	       "x %ld round%s, %d failure%s\n",
	       ninputs, nregressions, nexpected, rounds + 1, rounds ? "s" : "", failed,
	       failed == 1 ? "" : "s");
	return failed ? 1 : 0;
}
#endif /* MODEL_FUZZ_REPLAY */
