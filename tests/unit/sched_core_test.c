// SPDX-License-Identifier: GPL-2.0
/*
 * sim/sched core: schedule strings, executors, mutual exclusion, the
 * lost-update race under every strategy with replay on both executors,
 * deadlock with its cycle, spin loops, BUG unwinding, step budget, user
 * events.  Randomized: prints the seed first, takes -s SEED.
 */
#include "sched_test_util.h"

#define GOLDEN_AB2 0xf5a316803dcf874cull
#define GOLDEN_A2 0xd197730ff1f902f2ull
#define GOLDEN_BA2 0xe31ce5d48ded8f50ull

static const struct sim_run_opts fiber_opts = { .executor = SIM_EXEC_FIBER };
static const struct sim_run_opts baton_opts = { .executor = SIM_EXEC_PTHREAD };

/* ---- schedule strings ----------------------------------------------------- */

START_TEST(test_schedule_roundtrip)
{
	static const struct {
		const char *s;
		size_t n;
	} good[] = {
		{ "S1:", 0 },
		{ "S1:A", 1 },
		{ "S1:AB3A", 5 },
		{ "S1:[26][63]2Z", 4 },
		{ "S1:fAyBn4A12", 19 },
		{ "S1:f", 0 },
	};

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		struct sim_decision *d;
		size_t n;
		bool f;
		char err[128];
		char *enc;

		ck_assert_int_eq(sim_schedule_decode(good[i].s, &d, &n, &f, err, sizeof(err)), 0);
		ck_assert_uint_eq(n, good[i].n);
		enc = sim_schedule_encode(d, n, f);
		ck_assert_str_eq(enc, good[i].s);
		free(enc);
		free(d);
	}
}
END_TEST

START_TEST(test_schedule_garbage)
{
	static const char *const bad[] = {
		"", "S2:A", "s1:A", "S1:a", "S1:A1", "S1:A0", "S1:A01", "S1:[64]", "S1:[", "S1:[1",
		"S1:[]", "S1:y", "S1:fAx", "S1:A-1", "S1: A", "S1:A99999999999",
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct sim_decision *d = (void *)1;
		size_t n = 7;
		char err[128] = "";

		ck_assert_msg(sim_schedule_decode(bad[i], &d, &n, NULL, err, sizeof(err)) == -EINVAL,
			      "accepted \"%s\"", bad[i]);
		ck_assert_msg(err[0], "no message for \"%s\"", bad[i]);
		ck_assert_ptr_null(d);
	}
}
END_TEST

/* Random decision records survive encode/decode. */
START_TEST(test_schedule_random_roundtrip)
{
	uint64_t rng = test_seed;

	for (int it = 0; it < 200; it++) {
		struct sim_decision in[64], *out;
		size_t n = sim_rand_below(&rng, 64), m;
		bool f = sim_rand_below(&rng, 2), f2;
		char *s;

		for (size_t i = 0; i < n; i++) {
			memset(&in[i], 0, sizeof(in[i]));
			if (f && sim_rand_below(&rng, 4) == 0) {
				in[i].kind = SIM_DEC_FAULT;
				in[i].value = sim_rand_below(&rng, 2);
			} else {
				in[i].kind = SIM_DEC_PICK;
				in[i].value = sim_rand_below(&rng, 3) ? sim_rand_below(&rng, 3) :
					      sim_rand_below(&rng, SIM_MAX_THREADS);
			}
		}
		s = sim_schedule_encode(in, n, f);
		ck_assert_int_eq(sim_schedule_decode(s, &out, &m, &f2, NULL, 0), 0);
		ck_assert_uint_eq(m, n);
		ck_assert(f == f2);
		for (size_t i = 0; i < n; i++) {
			ck_assert_int_eq(out[i].kind, in[i].kind);
			ck_assert_int_eq(out[i].value, in[i].value);
		}
		free(out);
		free(s);
	}
}
END_TEST

/* ---- mutual exclusion ------------------------------------------------------ */

struct mx_world {
	struct tlock l;
	int in_cs;
	int count;
};

static struct mx_world mxw;

static void *mx_setup(void *arg)
{
	memset(&mxw, 0, sizeof(mxw));
	mxw.l.owner = -1;
	mxw.l.name = "l";
	return &mxw;
}

static void mx_thread(void *w, int tid)
{
	struct mx_world *m = w;

	for (int i = 0; i < 2; i++) {
		tlock_lock(&m->l, "mx:lock");
		if (m->in_cs++)
			sim_violation("mutex", "two threads in the critical section");
		sched_point("mx:in-cs");
		m->count++;
		m->in_cs--;
		tlock_unlock(&m->l, "mx:unlock");
	}
}

static void mx_check(void *w)
{
	struct mx_world *m = w;

	if (m->count != 6)
		sim_violation("mutex", "count %d, want 6", m->count);
}

static const struct sim_program mx_prog = {
	.name = "mutex", .nthreads = 3, .setup = mx_setup, .thread = mx_thread, .check = mx_check,
};

START_TEST(test_mutex_random)
{
	struct sim_search_opts o = SIM_SEARCH_OPTS_INIT;
	struct sim_search_result r;

	o.strat.kind = SIM_STRAT_RANDOM;
	o.strat.seed = test_seed;
	o.max_execs = 2000;
	ck_assert_int_eq(sim_search(&mx_prog, &o, &r), 0);
	ck_assert_uint_eq(r.executions, 2000);
	ck_assert_msg(!r.failed, "violation: %s", r.fail.nv ? r.fail.v[0].msg : "?");
	sim_search_result_free(&r);
}
END_TEST

START_TEST(test_mutex_dfs)
{
	struct sim_search_opts o = SIM_SEARCH_OPTS_INIT;
	struct sim_search_result r;

	o.strat.kind = SIM_STRAT_DFS;
	o.strat.preemption_bound = 2;
	ck_assert_int_eq(sim_search(&mx_prog, &o, &r), 0);
	ck_assert(r.exhausted);
	ck_assert_uint_gt(r.executions, 10);
	ck_assert(!r.failed);
	printf("mutex dfs pb=2: %llu executions, %llu pruned\n",
	       (unsigned long long)r.executions, (unsigned long long)r.pruned);
	sim_search_result_free(&r);
}
END_TEST

/* A broken lock (no mutual exclusion) is caught: the invariant check can fail. */
static void mx_broken_thread(void *w, int tid)
{
	struct mx_world *m = w;

	sched_point("broken:lock");
	if (m->in_cs++)
		sim_violation("mutex", "two threads in the critical section");
	sched_point("broken:in-cs");
	m->in_cs--;
	m->count += 3;
}

START_TEST(test_mutex_broken_found)
{
	struct sim_program p = mx_prog;
	struct sim_search_opts o = SIM_SEARCH_OPTS_INIT;
	struct sim_search_result r;

	p.thread = mx_broken_thread;
	p.nthreads = 2;
	p.check = NULL;
	o.strat.kind = SIM_STRAT_DFS;
	o.stop_on_fail = true;
	ck_assert_int_eq(sim_search(&p, &o, &r), 0);
	ck_assert(r.failed);
	ck_assert_str_eq(r.fail.v[0].checker, "mutex");
	sim_search_result_free(&r);
}
END_TEST

/* ---- lost update ----------------------------------------------------------- */

static int lu_x;

static void *lu_setup(void *arg)
{
	lu_x = 0;
	return &lu_x;
}

static void lu_thread(void *w, int tid)
{
	int *x = w;
	int v = *x;

	sched_point("lu:between-read-and-write");
	*x = v + 1;
	sim_log("T%d wrote %d", tid, v + 1);
}

static void lu_check(void *w)
{
	if (*(int *)w != 2)
		sim_violation("lost-update", "x = %d, want 2", *(int *)w);
}

static const struct sim_program lu_prog = {
	.name = "lost-update", .nthreads = 2, .setup = lu_setup, .thread = lu_thread,
	.check = lu_check,
};

static void replay_both(const struct sim_result *fail)
{
	struct sim_result a, b;

	ck_assert_int_eq(sim_replay(&lu_prog, &fiber_opts, fail->schedule, &a), SIM_VIOLATION);
	ck_assert_int_eq(sim_replay(&lu_prog, &baton_opts, fail->schedule, &b), SIM_VIOLATION);
	ck_assert_uint_eq(a.hash, fail->hash);
	ck_assert_uint_eq(b.hash, fail->hash);
	ck_assert_str_eq(a.schedule, fail->schedule);
	ck_assert_str_eq(b.schedule, fail->schedule);
	ck_assert_uint_eq(a.steps, b.steps);
	sim_result_free(&a);
	sim_result_free(&b);
}

START_TEST(test_lost_update_strategies)
{
	static const struct {
		enum sim_strategy_kind kind;
		int depth;
	} rows[] = {
		{ SIM_STRAT_RANDOM, 0 }, { SIM_STRAT_PCT, 2 }, { SIM_STRAT_PCT, 3 }, { SIM_STRAT_DFS, 0 },
	};

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct sim_search_opts o = SIM_SEARCH_OPTS_INIT;
		struct sim_search_result r;

		o.strat.kind = rows[i].kind;
		o.strat.pct_depth = rows[i].depth;
		o.strat.seed = test_seed;
		o.max_execs = rows[i].kind == SIM_STRAT_DFS ? 0 : 200;
		o.stop_on_fail = true;
		ck_assert_int_eq(sim_search(&lu_prog, &o, &r), 0);
		ck_assert_msg(r.failed, "%s d=%d did not find the lost update",
			      sim_strategy_name(rows[i].kind), rows[i].depth);
		ck_assert_int_eq(r.fail.outcome, SIM_VIOLATION);
		ck_assert_str_eq(r.fail.v[0].checker, "lost-update");
		ck_assert_uint_ge(r.fail.npreemptions, 1);
		printf("lost update: %s d=%d found at %llu: %s hash %016llx\n",
		       sim_strategy_name(rows[i].kind), rows[i].depth,
		       (unsigned long long)r.fail_iter, r.fail.schedule,
		       (unsigned long long)r.fail.hash);
		replay_both(&r.fail);
		sim_search_result_free(&r);
	}
}
END_TEST

/*
 * PCT d=1 never preempts (no change points): it cannot find the
 * lost update, which needs one preemption (depth 2), but finds depth-1
 * ordering bugs such as "T1 runs before T0".
 */
static int ord_flag;

static void *ord_setup(void *arg)
{
	ord_flag = 0;
	return NULL;
}

static void ord_thread(void *w, int tid)
{
	sched_point("ord:go");
	if (tid == 1 && !ord_flag)
		sim_violation("order", "T1 ran before T0");
	ord_flag = 1;
}

START_TEST(test_pct_depth1)
{
	struct sim_program ord = { .nthreads = 2, .setup = ord_setup, .thread = ord_thread };
	struct sim_search_opts o = SIM_SEARCH_OPTS_INIT;
	struct sim_search_result r;

	o.strat.kind = SIM_STRAT_PCT;
	o.strat.pct_depth = 1;
	o.strat.seed = test_seed;
	o.max_execs = 200;
	ck_assert_int_eq(sim_search(&lu_prog, &o, &r), 0);
	ck_assert(!r.failed);
	sim_search_result_free(&r);
	o.stop_on_fail = true;
	ck_assert_int_eq(sim_search(&ord, &o, &r), 0);
	ck_assert(r.failed);
	ck_assert_uint_eq(r.fail.npreemptions, 0);
	sim_search_result_free(&r);
}
END_TEST

/* Same decisions, same event log on both executors, for many seeds. */
START_TEST(test_executors_agree)
{
	struct sim_strategy_cfg cfg = { .kind = SIM_STRAT_RANDOM, .seed = test_seed };
	struct sim_strategy *s = sim_strategy_new(&cfg);
	struct sim_run_opts lo = { .executor = SIM_EXEC_FIBER, .keep_log = true };

	for (uint64_t k = 0; k < 200; k++) {
		struct sim_result a, b;

		sim_run(&mx_prog, &lo, s, k, &a);
		sim_replay(&mx_prog, &baton_opts, a.schedule, &b);
		ck_assert_int_eq(a.outcome, SIM_OK);
		ck_assert_int_eq(b.outcome, SIM_OK);
		ck_assert_uint_eq(a.hash, b.hash);
		ck_assert_str_eq(a.schedule, b.schedule);
		ck_assert_uint_gt(a.nlog, 20);
		sim_result_free(&b);
		/* (strategy, seed, iteration) reproduces too, on the other executor. */
		sim_run(&mx_prog, &baton_opts, s, k, &b);
		ck_assert_uint_eq(a.hash, b.hash);
		ck_assert_str_eq(a.schedule, b.schedule);
		sim_result_free(&a);
		sim_result_free(&b);
	}
	sim_strategy_free(s);
}
END_TEST

START_TEST(test_replay_diverges)
{
	struct sim_result r;

	/* Lost update needs a decision at the start: "S1:" is too short. */
	ck_assert_int_eq(sim_replay(&lu_prog, &fiber_opts, "S1:", &r), SIM_DIVERGED);
	ck_assert_ptr_nonnull(strstr(r.error, "diverged"));
	sim_result_free(&r);
	/* T5 does not exist. */
	ck_assert_int_eq(sim_replay(&lu_prog, &fiber_opts, "S1:F", &r), SIM_DIVERGED);
	ck_assert_ptr_nonnull(strstr(r.error, "T5 is not runnable"));
	sim_result_free(&r);
	/* Too long. */
	ck_assert_int_eq(sim_replay(&lu_prog, &fiber_opts, "S1:A20", &r), SIM_DIVERGED);
	sim_result_free(&r);
	ck_assert_int_eq(sim_replay(&lu_prog, &fiber_opts, "garbage", &r), SIM_ERROR);
	ck_assert_ptr_nonnull(r.error);
	sim_result_free(&r);
}
END_TEST

/* ---- deadlock ----------------------------------------------------------------- */

static struct tlock dl_a, dl_b;

static void *dl_setup(void *arg)
{
	dl_a = (struct tlock){ .owner = -1, .name = "A" };
	dl_b = (struct tlock){ .owner = -1, .name = "B" };
	return NULL;
}

static void dl_thread(void *w, int tid)
{
	struct tlock *first = tid ? &dl_b : &dl_a, *second = tid ? &dl_a : &dl_b;

	tlock_lock(first, "dl:first");
	tlock_lock(second, "dl:second");
	tlock_unlock(second, "dl:unlock2");
	tlock_unlock(first, "dl:unlock1");
}

static const struct sim_program dl_prog = {
	.name = "abba", .nthreads = 2, .setup = dl_setup, .thread = dl_thread,
};

START_TEST(test_deadlock_abba)
{
	const struct sim_run_opts *execs[] = { &fiber_opts, &baton_opts };
	struct sim_search_opts o = SIM_SEARCH_OPTS_INIT;
	struct sim_search_result r;

	o.strat.kind = SIM_STRAT_DFS;
	o.stop_on_fail = true;
	ck_assert_int_eq(sim_search(&dl_prog, &o, &r), 0);
	ck_assert(r.failed);
	ck_assert_int_eq(r.fail.outcome, SIM_DEADLOCK);
	ck_assert_str_eq(r.fail.v[0].checker, "DEADLOCK");
	printf("abba: %s\n", r.fail.v[0].msg);
	ck_assert_ptr_nonnull(strstr(r.fail.v[0].msg, "wait-for cycle"));
	ck_assert_ptr_nonnull(strstr(r.fail.v[0].msg, "T0 waits for"));
	ck_assert_ptr_nonnull(strstr(r.fail.v[0].msg, "held by T1"));
	ck_assert_ptr_nonnull(strstr(r.fail.v[0].msg, "T1 waits for"));
	ck_assert_ptr_nonnull(strstr(r.fail.v[0].msg, "held by T0"));
	for (int e = 0; e < 2; e++) {
		struct sim_result rr;

		ck_assert_int_eq(sim_replay(&dl_prog, execs[e], r.fail.schedule, &rr), SIM_DEADLOCK);
		ck_assert_uint_eq(rr.hash, r.fail.hash);
		sim_result_free(&rr);
	}
	sim_search_result_free(&r);
}
END_TEST

/* ---- spinning -------------------------------------------------------------------- */

static int spin_flag;

static void *spin_setup(void *arg)
{
	spin_flag = 0;
	return NULL;
}

static void spin_thread(void *w, int tid)
{
	if (tid == 0) {
		while (!*(volatile int *)&spin_flag)
			sched_spin("spin:wait-flag");
		return;
	}
	sched_point("spin:work1");
	sched_point("spin:work2");
	spin_flag = 1;
}

START_TEST(test_spin_terminates)
{
	struct sim_program p = { .nthreads = 3, .setup = spin_setup, .thread = spin_thread };
	static const struct {
		enum sim_strategy_kind kind;
		int depth;
	} rows[] = {
		{ SIM_STRAT_RANDOM, 0 }, { SIM_STRAT_PCT, 1 }, { SIM_STRAT_PCT, 2 },
		{ SIM_STRAT_PCT, 5 }, { SIM_STRAT_DFS, 0 },
	};

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct sim_search_opts o = SIM_SEARCH_OPTS_INIT;
		struct sim_search_result r;

		o.strat.kind = rows[i].kind;
		o.strat.pct_depth = rows[i].depth;
		o.strat.seed = test_seed;
		o.strat.preemption_bound = 3;
		o.run.spin_limit = 1000;
		o.max_execs = rows[i].kind == SIM_STRAT_DFS ? 0 : 300;
		ck_assert_int_eq(sim_search(&p, &o, &r), 0);
		ck_assert_msg(!r.failed, "%s d=%d: %s %s", sim_strategy_name(rows[i].kind),
			      rows[i].depth, sim_outcome_name(r.fail.outcome), r.fail.schedule);
		if (rows[i].kind == SIM_STRAT_DFS)
			ck_assert(r.exhausted);
		sim_search_result_free(&r);
	}
}
END_TEST

/* Two threads each waiting for the other: the progress monitor names the site. */
static void livelock_thread(void *w, int tid)
{
	for (;;)
		sched_spin(tid ? "livelock:T1-waits" : "livelock:T0-waits");
}

START_TEST(test_livelock_reported)
{
	struct sim_program p = { .nthreads = 2, .thread = livelock_thread };
	struct sim_strategy_cfg cfg = { .kind = SIM_STRAT_RANDOM, .seed = test_seed };
	struct sim_strategy *s = sim_strategy_new(&cfg);
	struct sim_run_opts ro = { .spin_limit = 500 };
	struct sim_result r;

	ck_assert_int_eq(sim_run(&p, &ro, s, 0, &r), SIM_LIVELOCK);
	ck_assert_ptr_nonnull(strstr(r.v[0].msg, "livelock:T"));
	ck_assert_uint_eq(r.steps, 500 + 2);
	sim_result_free(&r);
	sim_strategy_free(s);
}
END_TEST

static void forever_thread(void *w, int tid)
{
	for (;;)
		sched_point("forever");
}

START_TEST(test_step_budget)
{
	struct sim_program p = { .nthreads = 2, .thread = forever_thread };
	struct sim_strategy_cfg cfg = { .kind = SIM_STRAT_RANDOM, .seed = test_seed };
	struct sim_strategy *s = sim_strategy_new(&cfg);
	struct sim_run_opts ro = { .step_budget = 1000 };
	struct sim_result r;

	ck_assert_int_eq(sim_run(&p, &ro, s, 0, &r), SIM_STEP_BUDGET);
	ck_assert_uint_eq(r.steps, 1000);
	ro.executor = SIM_EXEC_PTHREAD;
	sim_result_free(&r);
	ck_assert_int_eq(sim_run(&p, &ro, s, 0, &r), SIM_STEP_BUDGET);
	sim_result_free(&r);
	sim_strategy_free(s);
}
END_TEST

/* ---- BUG unwinds the thread ---------------------------------------------------- */

static int bug_after, bug_other_done;

static void *bug_setup(void *arg)
{
	bug_after = bug_other_done = 0;
	return NULL;
}

static void bug_thread(void *w, int tid)
{
	sched_point("bug:before");
	if (tid == 0) {
		shim_sched->report(SHIM_REPORT_WARN, "just a warning", __FILE__, __LINE__);
		shim_sched->report(SHIM_REPORT_BUG, "BUG_ON(x)", __FILE__, __LINE__);
		bug_after = 1;	/* never reached */
		return;
	}
	sched_point("bug:other");
	bug_other_done = 1;
}

static void bug_check(void *w)
{
	if (!bug_other_done)
		sim_violation("test", "T1 did not finish");
}

START_TEST(test_bug_unwinds)
{
	struct sim_program p = { .nthreads = 2, .setup = bug_setup, .thread = bug_thread,
				 .check = bug_check };
	const struct sim_run_opts *execs[] = { &fiber_opts, &baton_opts };

	for (int e = 0; e < 2; e++)
		for (uint64_t k = 0; k < 20; k++) {
			struct sim_strategy_cfg cfg = { .kind = SIM_STRAT_RANDOM, .seed = test_seed };
			struct sim_strategy *s = sim_strategy_new(&cfg);
			struct sim_result r;

			ck_assert_int_eq(sim_run(&p, execs[e], s, k, &r), SIM_VIOLATION);
			ck_assert_uint_eq(r.nv, 2);
			ck_assert_str_eq(r.v[0].checker, "WARN");
			ck_assert_str_eq(r.v[1].checker, "BUG");
			ck_assert_int_eq(r.v[1].tid, 0);
			ck_assert_int_eq(bug_after, 0);
			ck_assert_int_eq(bug_other_done, 1);
			sim_result_free(&r);
			sim_strategy_free(s);
		}
}
END_TEST

/* ---- the log and its hash --------------------------------------------------- */

START_TEST(test_user_events_hashed)
{
	struct sim_result a, b;
	struct sim_run_opts lo = { .keep_log = true };

	/* T0 then T1 (no race) vs T1 then T0: same steps, different user text order. */
	ck_assert_int_eq(sim_replay(&lu_prog, &lo, "S1:A2", &a), SIM_OK);
	ck_assert_int_eq(sim_replay(&lu_prog, &lo, "S1:B2", &b), SIM_OK);
	ck_assert_uint_ne(a.hash, b.hash);
	ck_assert_uint_eq(a.nlog, 6);
	ck_assert_int_eq(a.log[2].op, SIM_EV_USER);
	ck_assert_str_eq(a.log[2].text, "T0 wrote 1");
	ck_assert_str_eq(a.log[5].text, "T1 wrote 2");
	sim_result_free(&a);
	sim_result_free(&b);
}
END_TEST

/*
 * The log hash is the fidelity check across builds: these values must be
 * the same at -O0 and -O2, under ASan and TSan, on both executors.  They
 * change only if the canonical event encoding changes (core.c log_event()).
 */
START_TEST(test_golden_hash)
{
	static const struct {
		const char *schedule;
		enum sim_outcome outcome;
		uint64_t hash;
	} rows[] = {
		{ "S1:AB2", SIM_VIOLATION, GOLDEN_AB2 },
		{ "S1:A2", SIM_OK, GOLDEN_A2 },
		{ "S1:BA2", SIM_VIOLATION, GOLDEN_BA2 },
	};
	const struct sim_run_opts *execs[] = { &fiber_opts, &baton_opts };

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		for (int e = 0; e < 2; e++) {
			struct sim_result r;

			ck_assert_int_eq(sim_replay(&lu_prog, execs[e], rows[i].schedule, &r),
					 rows[i].outcome);
			ck_assert_msg(r.hash == rows[i].hash, "%s: hash %016llx", rows[i].schedule,
				      (unsigned long long)r.hash);
			sim_result_free(&r);
		}
}
END_TEST

static Suite *sched_suite(void)
{
	Suite *s = suite_create("sched_core");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_schedule_roundtrip);
	tcase_add_test(tc, test_schedule_garbage);
	tcase_add_test(tc, test_schedule_random_roundtrip);
	tcase_add_test(tc, test_mutex_random);
	tcase_add_test(tc, test_mutex_dfs);
	tcase_add_test(tc, test_mutex_broken_found);
	tcase_add_test(tc, test_lost_update_strategies);
	tcase_add_test(tc, test_pct_depth1);
	tcase_add_test(tc, test_executors_agree);
	tcase_add_test(tc, test_replay_diverges);
	tcase_add_test(tc, test_deadlock_abba);
	tcase_add_test(tc, test_spin_terminates);
	tcase_add_test(tc, test_livelock_reported);
	tcase_add_test(tc, test_step_budget);
	tcase_add_test(tc, test_bug_unwinds);
	tcase_add_test(tc, test_user_events_hashed);
	tcase_add_test(tc, test_golden_hash);
	suite_add_tcase(s, tc);
	return s;
}

int main(int argc, char **argv)
{
	test_seed_init(argc, argv);
	return run_suite(sched_suite());
}
