// SPDX-License-Identifier: GPL-2.0
/*
 * Trace shrinking (sim/explore/shrink.c, issue 4 "Replay and
 * minimisation": ... then shrink the trace's calls; deterministic output).
 *
 * For each row: find the failure with PCT, seed 1 (--jobs 1 and 2 must
 * agree), minimise its schedule, shrink the trace twice, and check that
 *   - the two shrinks are byte-identical (text, schedule, counts);
 *   - the shrunk trace has no more calls than the row allows (and fewer
 *     than the input where the input has calls to spare);
 *   - its text parses back to the same trace;
 *   - a strict replay of its schedule fails with the same signature;
 *   - a race stays a race: where the input passes without preemption, so
 *     does the shrunk trace.
 * Argument: the source directory.  Deterministic; a few seconds under ASan.
 */
#include <check.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend/backend.h"
#include "explore/program.h"
#include "explore/shrink.h"

static const char *srcdir = ".";

static const struct {
	const char *trace;
	const char *inject;
	const char *checker;	/* the failure's checker */
	int max_calls;		/* the shrunk trace has at most this many calls */
	int max_threads;
	bool fewer;		/* strictly fewer calls than the input */
	const char *same_as;	/* the shrunk text equals this trace's, or NULL */
} rows[] = {
	/* Already minimal: every call is needed for the race. */
	{ "traces/demo/punch-loses-write.trace", NULL, "expectation", 8, 2, false, NULL },
	/* The demo with noise shrinks back to the demo. */
	{ "tests/minimise/traces/demo-noisy.trace", NULL, "expectation", 8, 2, true,
	  "traces/demo/punch-loses-write.trace" },
	{ "tests/minimise/traces/punch-no-invalidate-seq.trace", "punch-no-invalidate", "SLAB",
	  8, 0, true, NULL },
	{ "tests/minimise/traces/punch-no-invalidate-threads.trace", "punch-no-invalidate",
	  "SLAB", 8, 1, true, NULL },
};

static struct trace *load(const char *rel)
{
	struct trace *t = calloc(1, sizeof(*t));
	struct trace_error err;
	char path[PATH_MAX];

	ck_assert_ptr_nonnull(t);
	snprintf(path, sizeof(path), "%s/%s", srcdir, rel);
	ck_assert_msg(!trace_parse_file(path, t, &err), "%s:%d:%d: %s", err.file, err.line,
		      err.col, err.msg);
	return t;
}

static void unload(struct trace *t)
{
	trace_free(t);
	free(t);
}

/* The first failure of PCT (d=2, seed 1) with @jobs workers. */
static char *find_failure(const struct trace_prog *tp, unsigned jobs, struct explore_failure *f)
{
	struct sim_search_opts so = SIM_SEARCH_OPTS_INIT;
	struct sim_search_result sr;
	char *s;

	so.strat.kind = SIM_STRAT_PCT;
	so.strat.pct_depth = 2;
	so.strat.seed = 1;
	so.stop_on_fail = true;
	so.max_execs = 2000;
	so.jobs = jobs;
	ck_assert_int_eq(sim_search(&tp->p, &so, &sr), 0);
	ck_assert_msg(sr.failed, "%s: no failure found", tp->t->path);
	explore_failure_of(&sr.fail, f);
	s = strdup(sr.fail.schedule);
	sim_search_result_free(&sr);
	return s;
}

START_TEST(test_shrink_rows)
{
	int k = _i;
	struct backend_opts bo = { .inject = rows[k].inject };
	struct trace_shrink_opts so = { .ops = &model_backend_ops, .bopts = bo,
					.run = SIM_RUN_OPTS_INIT };
	struct trace_shrink_result a, b;
	struct explore_failure f, f2;
	struct trace_prog tp, stp;
	struct sim_run_opts ro = SIM_RUN_OPTS_INIT;
	struct explore_failure_prog fp = { .p = &tp.p, .o = &ro, .f = &f };
	struct trace *t = load(rows[k].trace), *back;
	struct trace_error err;
	struct sim_result r;
	char *found, *found2, *min;

	trace_prog_init(&tp, t, &model_backend_ops, &bo);
	found = find_failure(&tp, 1, &f);
	found2 = find_failure(&tp, 2, &f2);
	ck_assert_str_eq(found, found2);
	ck_assert_str_eq(f.checker, rows[k].checker);
	min = sim_minimise(found, explore_failure_fails, &fp);
	ck_assert_ptr_nonnull(min);

	ck_assert_int_eq(trace_shrink(t, min, &f, &so, &a), 0);
	ck_assert_int_eq(trace_shrink(t, min, &f, &so, &b), 0);
	printf("%s: %d calls in %d threads -> %d in %d (%u tried, %u kept, %llu runs), %s\n",
	       rows[k].trace, a.calls_before, a.threads_before, a.calls_after, a.threads_after,
	       a.candidates, a.kept, (unsigned long long)a.runs, a.schedule);
	ck_assert_str_eq(a.text, b.text);
	ck_assert_str_eq(a.schedule, b.schedule);
	ck_assert_uint_eq(a.runs, b.runs);
	ck_assert_int_eq(a.calls_before, trace_ncalls(t));
	ck_assert_int_le(a.calls_after, rows[k].max_calls);
	ck_assert_int_le(a.threads_after, rows[k].max_threads);
	if (rows[k].fewer)
		ck_assert_int_lt(a.calls_after, a.calls_before);
	else
		ck_assert_int_le(a.calls_after, a.calls_before);
	ck_assert_int_eq(a.calls_after, trace_ncalls(a.t));

	/* Canonical: the text parses back to the trace it came from. */
	back = calloc(1, sizeof(*back));
	ck_assert_ptr_nonnull(back);
	ck_assert(!trace_parse_buf("shrunk", a.text, strlen(a.text), back, &err));
	ck_assert(trace_equal(back, a.t));
	unload(back);
	if (rows[k].same_as) {
		struct trace *want = load(rows[k].same_as);
		char *text = trace_print(want);

		ck_assert_str_eq(a.text, text);
		free(text);
		unload(want);
	}

	/* A strict replay of the shrunk trace fails the same way. */
	trace_prog_init(&stp, a.t, &model_backend_ops, &bo);
	ck_assert_int_ne(sim_replay(&stp.p, &ro, a.schedule, &r), SIM_OK);
	ck_assert(explore_failure_matches(&r, &f));
	sim_result_free(&r);

	/* A race stays a race. */
	memset(&r, 0, sizeof(r));
	if (!sim_program_fails(&(struct sim_minimise_prog){ .p = &tp.p, .o = &ro }, "S1:", &r)) {
		sim_result_free(&r);
		memset(&r, 0, sizeof(r));
		ck_assert(!explore_failure_fails(&(struct explore_failure_prog){
			.p = &stp.p, .o = &ro, .f = &f }, "S1:", &r));
	}
	sim_result_free(&r);

	trace_shrink_result_free(&a);
	trace_shrink_result_free(&b);
	free(found);
	free(found2);
	free(min);
	unload(t);
}
END_TEST

/* A schedule that does not fail: -ENOENT, nothing allocated. */
START_TEST(test_shrink_not_failing)
{
	struct trace_shrink_opts so = { .ops = &model_backend_ops, .run = SIM_RUN_OPTS_INIT };
	struct sim_run_opts ro = SIM_RUN_OPTS_INIT;
	struct trace *t = load("traces/demo/punch-loses-write.trace");
	struct trace_shrink_result r;
	struct explore_failure f;
	struct trace_prog tp;
	struct sim_result res;

	/* The write first, then the punch: the write is lost. */
	trace_prog_init(&tp, t, &model_backend_ops, &so.bopts);
	memset(&res, 0, sizeof(res));
	ck_assert(sim_program_fails(&(struct sim_minimise_prog){ .p = &tp.p, .o = &ro },
				    "S1:B", &res));
	explore_failure_of(&res, &f);
	sim_result_free(&res);
	/* Punch first, then the write: the write survives. */
	ck_assert_int_eq(trace_shrink(t, "S1:A", &f, &so, &r), -ENOENT);
	ck_assert_ptr_null(r.t);
	ck_assert_ptr_null(r.text);
	ck_assert_int_eq(trace_shrink(t, "S1:B", &f, &so, &r), 0);
	ck_assert_int_eq(r.calls_after, 8);
	trace_shrink_result_free(&r);
	unload(t);
}
END_TEST

int main(int argc, char **argv)
{
	Suite *s = suite_create("shrink");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int nf;

	if (argc > 1)
		srcdir = argv[1];
	tcase_set_timeout(tc, 240);
	tcase_add_loop_test(tc, test_shrink_rows, 0, sizeof(rows) / sizeof(rows[0]));
	tcase_add_test(tc, test_shrink_not_failing);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	sim_sched_thread_cleanup();
	return nf ? EXIT_FAILURE : EXIT_SUCCESS;
}
