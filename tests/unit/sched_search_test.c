// SPDX-License-Identifier: GPL-2.0
/*
 * sim/sched searches: DFS counts with and without partial-order reduction,
 * fault-injection decisions and their replay, --jobs/--shard independence,
 * the minimiser on a planted race, the lock shims under the scheduler, and
 * the free-running executor with its watchdog.
 * Randomized: prints the seed first, takes -s SEED.
 */
#include <linux/bug.h>
#include <linux/mutex.h>
#include <pthread.h>
#include <unistd.h>

#include "sched_test_util.h"

/* ---- DFS counts ---------------------------------------------------------- */

static int ind_objs[2][2];
static int ind_shared;
static enum shim_op ind_op;
static bool ind_same;

static void ind_thread(void *w, int tid)
{
	for (int i = 0; i < 2; i++)
		shim_point(ind_op, ind_same ? (void *)&ind_shared : (void *)&ind_objs[tid][i],
			   i ? "ind:b" : "ind:a");
}

/*
 * Each thread: start, then two steps.  Without reduction all C(6,3) = 20
 * interleavings run.  With sleep sets, steps on different objects (or
 * reads of one object) commute; a thread's start step conflicts with
 * everything (its code may touch anything), so the Mazurkiewicz traces are
 * "which thread starts first" x "where the other start falls among the
 * first thread's three steps" = 2 x 3 = 6.  Writes to one object commute
 * with nothing: 20.
 */
START_TEST(test_dfs_counts)
{
	static const struct {
		const char *row;
		enum shim_op op;
		bool same, por;
		uint64_t want;
	} rows[] = {
		{ "independent, no POR", SHIM_OP_POINT, false, false, 20 },
		{ "independent, POR", SHIM_OP_POINT, false, true, 6 },
		{ "reads of one object, POR", SHIM_OP_READ_ONCE, true, true, 6 },
		{ "writes to one object, POR", SHIM_OP_WRITE_ONCE, true, true, 20 },
		{ "shared acquisitions, POR", SHIM_OP_DOWN_READ, true, true, 6 },
	};
	struct sim_program p = { .nthreads = 2, .thread = ind_thread };

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct sim_search_opts o = SIM_SEARCH_OPTS_INIT;
		struct sim_search_result r;

		ind_op = rows[i].op;
		ind_same = rows[i].same;
		o.strat.kind = SIM_STRAT_DFS;
		o.strat.no_por = !rows[i].por;
		ck_assert_int_eq(sim_search(&p, &o, &r), 0);
		ck_assert(r.exhausted);
		ck_assert_msg(r.executions == rows[i].want, "%s: %llu executions, want %llu",
			      rows[i].row, (unsigned long long)r.executions,
			      (unsigned long long)rows[i].want);
		printf("dfs %s: %llu executions, %llu pruned\n", rows[i].row,
		       (unsigned long long)r.executions, (unsigned long long)r.pruned);
		sim_search_result_free(&r);
	}
}
END_TEST

/* Preemption bound 0 runs each thread to completion: n! orders of starts. */
START_TEST(test_dfs_preemption_bound)
{
	static const struct {
		int bound;
		uint64_t want;
	} rows[] = { { 0, 2 }, { -1, 20 } };
	struct sim_program p = { .nthreads = 2, .thread = ind_thread };

	ind_op = SHIM_OP_WRITE_ONCE;
	ind_same = true;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct sim_search_opts o = SIM_SEARCH_OPTS_INIT;
		struct sim_search_result r;

		o.strat.kind = SIM_STRAT_DFS;
		o.strat.preemption_bound = rows[i].bound;
		ck_assert_int_eq(sim_search(&p, &o, &r), 0);
		ck_assert(r.exhausted);
		ck_assert_uint_eq(r.executions, rows[i].want);
		sim_search_result_free(&r);
	}
}
END_TEST

/* ---- fault injection ----------------------------------------------------- */

static int fi_failed;

static void *fi_setup(void *arg)
{
	fi_failed = 0;
	return NULL;
}

static void fi_thread(void *w, int tid)
{
	for (int i = 0; i < 2; i++) {
		sched_point("fi:before-alloc");
		if (shim_sched->decide(SHIM_DECIDE_ALLOC_FAIL, "fi:alloc"))
			fi_failed++;
	}
}

static void fi_check(void *w)
{
	if (fi_failed)
		sim_violation("alloc", "%d allocations failed", fi_failed);
}

static const struct sim_program fi_prog = {
	.nthreads = 1, .setup = fi_setup, .thread = fi_thread, .check = fi_check,
};

START_TEST(test_fault_decisions_replay)
{
	struct sim_search_opts o = SIM_SEARCH_OPTS_INIT;
	struct sim_search_result r;
	struct sim_result a, b;
	struct sim_program p2 = fi_prog;

	/* Off unless enabled: no failure, no decisions. */
	o.strat.kind = SIM_STRAT_RANDOM;
	o.strat.seed = test_seed;
	o.strat.fault_permille = 500;
	o.max_execs = 100;
	ck_assert_int_eq(sim_search(&fi_prog, &o, &r), 0);
	ck_assert(!r.failed);
	sim_search_result_free(&r);

	p2.nthreads = 2;
	o.run.fault_inject = true;
	o.stop_on_fail = true;
	ck_assert_int_eq(sim_search(&p2, &o, &r), 0);
	ck_assert(r.failed);
	ck_assert_ptr_nonnull(strchr(r.fail.schedule, 'y'));
	ck_assert(!strncmp(r.fail.schedule, "S1:f", 4));
	printf("fault found: %s\n", r.fail.schedule);
	ck_assert_int_eq(sim_replay(&p2, NULL, r.fail.schedule, &a), SIM_VIOLATION);
	ck_assert_uint_eq(a.hash, r.fail.hash);
	ck_assert_str_eq(a.schedule, r.fail.schedule);
	b.outcome = SIM_OK;
	ck_assert_int_eq(sim_replay(&p2, &(struct sim_run_opts){ .executor = SIM_EXEC_PTHREAD },
				    r.fail.schedule, &b), SIM_VIOLATION);
	ck_assert_uint_eq(b.hash, r.fail.hash);
	sim_result_free(&a);
	sim_result_free(&b);
	sim_search_result_free(&r);
}
END_TEST

/* DFS explores both answers of every fault decision, within the budget. */
START_TEST(test_fault_dfs_budget)
{
	static const struct {
		unsigned budget;
		uint64_t want;
	} rows[] = { { 1, 3 }, { 2, 4 } };	/* nn ny yn (yy over budget 1) */

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct sim_search_opts o = SIM_SEARCH_OPTS_INIT;
		struct sim_search_result r;

		o.strat.kind = SIM_STRAT_DFS;
		o.strat.fault_budget = rows[i].budget;
		o.run.fault_inject = true;
		ck_assert_int_eq(sim_search(&fi_prog, &o, &r), 0);
		ck_assert(r.exhausted);
		ck_assert_uint_eq(r.executions, rows[i].want);
		ck_assert_uint_eq(r.failures, rows[i].want - 1);
		sim_search_result_free(&r);
	}
}
END_TEST

/* ---- lost update, with noise, for parallel search and the minimiser --------- */

/* Per-execution world: --jobs workers run executions at the same time. */
struct lu_world {
	int x;
	int noise[4];
};

static void *lu_setup(void *arg)
{
	return calloc(1, sizeof(struct lu_world));
}

static void lu_teardown(void *w)
{
	free(w);
}

static void lu_thread(void *w, int tid)
{
	struct lu_world *lw = w;
	int v;

	if (tid >= 2) {
		/* Noise: steps on private objects. */
		for (int i = 0; i < 6; i++)
			shim_point(SHIM_OP_WRITE_ONCE, &lw->noise[tid], "lu:noise");
		return;
	}
	shim_point(SHIM_OP_POINT, NULL, "lu:before");
	v = lw->x;
	shim_point(SHIM_OP_POINT, NULL, "lu:between-read-and-write");
	lw->x = v + 1;
	shim_point(SHIM_OP_POINT, NULL, "lu:after");
}

static void lu_check(void *w)
{
	struct lu_world *lw = w;

	if (lw->x != 2)
		sim_violation("lost-update", "x = %d, want 2", lw->x);
}

static const struct sim_program lu_prog = {
	.nthreads = 4, .setup = lu_setup, .thread = lu_thread, .check = lu_check,
	.teardown = lu_teardown,
};

START_TEST(test_parallel_random_independent)
{
	struct sim_search_result base, r;
	struct sim_search_opts o = SIM_SEARCH_OPTS_INIT;
	uint64_t sum_fail = 0, sum_exec = 0;

	o.strat.kind = SIM_STRAT_RANDOM;
	o.strat.seed = test_seed;
	o.max_execs = 300;
	ck_assert_int_eq(sim_search(&lu_prog, &o, &base), 0);
	ck_assert(base.failed);
	/* --jobs 3: same failures, same reported (lowest) iteration. */
	o.jobs = 3;
	ck_assert_int_eq(sim_search(&lu_prog, &o, &r), 0);
	ck_assert_uint_eq(r.executions, base.executions);
	ck_assert_uint_eq(r.failures, base.failures);
	ck_assert_uint_eq(r.fail_iter, base.fail_iter);
	ck_assert_str_eq(r.fail.schedule, base.fail.schedule);
	ck_assert_uint_eq(r.fail.hash, base.fail.hash);
	sim_search_result_free(&r);
	/* --shard i/3 covers the same iterations. */
	o.jobs = 2;
	o.nshards = 3;
	for (o.shard = 0; o.shard < 3; o.shard++) {
		ck_assert_int_eq(sim_search(&lu_prog, &o, &r), 0);
		sum_fail += r.failures;
		sum_exec += r.executions;
		if (r.failed && r.fail_iter == base.fail_iter)
			ck_assert_str_eq(r.fail.schedule, base.fail.schedule);
		sim_search_result_free(&r);
	}
	ck_assert_uint_eq(sum_exec, base.executions);
	ck_assert_uint_eq(sum_fail, base.failures);
	/* Stop at the first failure: the same one whatever the job count. */
	o.nshards = 0;
	o.shard = 0;
	o.stop_on_fail = true;
	o.jobs = 4;
	ck_assert_int_eq(sim_search(&lu_prog, &o, &r), 0);
	ck_assert_uint_eq(r.fail_iter, base.fail_iter);
	ck_assert_str_eq(r.fail.schedule, base.fail.schedule);
	sim_search_result_free(&r);
	sim_search_result_free(&base);
}
END_TEST

START_TEST(test_parallel_pct_independent)
{
	struct sim_search_result a, b;
	struct sim_search_opts o = SIM_SEARCH_OPTS_INIT;

	o.strat.kind = SIM_STRAT_PCT;
	o.strat.pct_depth = 2;
	o.strat.seed = test_seed;
	o.max_execs = 200;
	ck_assert_int_eq(sim_search(&lu_prog, &o, &a), 0);
	o.jobs = 3;
	ck_assert_int_eq(sim_search(&lu_prog, &o, &b), 0);
	ck_assert_uint_eq(a.failures, b.failures);
	ck_assert_uint_eq(a.total_steps, b.total_steps);
	ck_assert(a.failed == b.failed);
	if (a.failed)
		ck_assert_str_eq(a.fail.schedule, b.fail.schedule);
	sim_search_result_free(&a);
	sim_search_result_free(&b);
}
END_TEST

START_TEST(test_parallel_dfs_independent)
{
	struct sim_search_opts o = SIM_SEARCH_OPTS_INIT;
	struct sim_search_result base, r;
	uint64_t sum_exec = 0, sum_fail = 0;

	o.strat.kind = SIM_STRAT_DFS;
	o.strat.preemption_bound = 2;
	ck_assert_int_eq(sim_search(&lu_prog, &o, &base), 0);
	ck_assert(base.exhausted);
	ck_assert(base.failed);
	printf("dfs lu pb=2: %llu executions, %llu failing, %llu pruned\n",
	       (unsigned long long)base.executions, (unsigned long long)base.failures,
	       (unsigned long long)base.pruned);
	o.jobs = 2;
	ck_assert_int_eq(sim_search(&lu_prog, &o, &r), 0);
	ck_assert(r.exhausted);
	ck_assert_uint_eq(r.executions, base.executions);
	ck_assert_uint_eq(r.failures, base.failures);
	ck_assert_str_eq(r.fail.schedule, base.fail.schedule);
	sim_search_result_free(&r);
	o.jobs = 1;
	o.nshards = 3;
	for (o.shard = 0; o.shard < 3; o.shard++) {
		ck_assert_int_eq(sim_search(&lu_prog, &o, &r), 0);
		ck_assert(r.exhausted);
		sum_exec += r.executions;
		sum_fail += r.failures;
		sim_search_result_free(&r);
	}
	ck_assert_uint_eq(sum_exec, base.executions);
	ck_assert_uint_eq(sum_fail, base.failures);
	sim_search_result_free(&base);
}
END_TEST

static unsigned count_preempt(const struct sim_result *r)
{
	unsigned n = 0;

	for (size_t i = 0; i < r->ndecisions; i++)
		n += r->decisions[i].kind == SIM_DEC_PICK && r->decisions[i].preempt;
	return n;
}

START_TEST(test_minimiser_one_minimal)
{
	struct sim_search_opts o = SIM_SEARCH_OPTS_INIT;
	struct sim_minimise_prog mp = { .p = &lu_prog };
	struct sim_search_result r;
	struct sim_result rr;
	char *min, *min2;
	unsigned runs;

	o.strat.kind = SIM_STRAT_RANDOM;
	o.strat.seed = test_seed;
	o.max_execs = 1000;
	o.stop_on_fail = true;
	ck_assert_int_eq(sim_search(&lu_prog, &o, &r), 0);
	ck_assert(r.failed);
	min = sim_minimise_runs(r.fail.schedule, sim_program_fails, &mp, &runs);
	ck_assert_ptr_nonnull(min);
	printf("minimised %s (%u preemptions) -> %s in %u runs\n", r.fail.schedule,
	       r.fail.npreemptions, min, runs);
	/* Strict replay of the output still fails. */
	ck_assert_int_eq(sim_replay(&lu_prog, NULL, min, &rr), SIM_VIOLATION);
	ck_assert_uint_le(rr.npreemptions, r.fail.npreemptions);
	/* The lost update needs at least one preemption. */
	ck_assert_uint_ge(count_preempt(&rr), 1);
	/* 1-minimal: dropping any remaining preemption loses the failure. */
	for (size_t i = 0; i < rr.ndecisions; i++) {
		struct sim_decision *d = &rr.decisions[i];
		struct sim_result t;
		int16_t saved = d->value;
		char *s;
		bool f;

		if (!d->preempt)
			continue;
		d->value = d->cur;
		s = sim_schedule_encode(rr.decisions, rr.ndecisions, false);
		d->value = saved;
		f = sim_program_fails(&mp, s, &t);
		ck_assert_msg(!f || count_preempt(&t) >= rr.npreemptions,
			      "removing preemption %zu keeps the failure", i);
		sim_result_free(&t);
		free(s);
	}
	sim_result_free(&rr);
	/* Deterministic. */
	min2 = sim_minimise(r.fail.schedule, sim_program_fails, &mp);
	ck_assert_str_eq(min, min2);
	/* A passing schedule is not "minimised". */
	ck_assert_ptr_null(sim_minimise("S1:A3", sim_program_fails, &mp));
	free(min);
	free(min2);
	sim_search_result_free(&r);
}
END_TEST

/* ---- the lock shims under the scheduler ------------------------------------ */

static struct mutex sm_a, sm_b;
static int sm_in, sm_count;

static void *sm_setup(void *arg)
{
	mutex_init(&sm_a);
	mutex_init(&sm_b);
	sm_in = sm_count = 0;
	return NULL;
}

static void sm_mutex_thread(void *w, int tid)
{
	for (int i = 0; i < 50; i++) {
		mutex_lock(&sm_a);
		if (sm_in++)
			sim_violation("mutex", "two owners");
		sched_point("sm:cs");
		sm_count++;
		sm_in--;
		mutex_unlock(&sm_a);
	}
}

static void sm_check(void *w)
{
	if (sm_count != 150)
		sim_violation("mutex", "count %d", sm_count);
}

START_TEST(test_shim_mutex_exclusion)
{
	struct sim_program p = { .nthreads = 3, .setup = sm_setup, .thread = sm_mutex_thread,
				 .check = sm_check };
	struct sim_search_opts o = SIM_SEARCH_OPTS_INIT;
	struct sim_search_result r;
	struct sim_result fr = { 0 };

	o.strat.kind = SIM_STRAT_RANDOM;
	o.strat.seed = test_seed;
	o.max_execs = 200;
	ck_assert_int_eq(sim_search(&p, &o, &r), 0);
	ck_assert_msg(!r.failed, "%s", r.failed && r.fail.nv ? r.fail.v[0].msg : "");
	sim_search_result_free(&r);
	/* The same program on real threads and real locks. */
	ck_assert_int_eq(sim_run(&p, &(struct sim_run_opts){ .executor = SIM_EXEC_FREE }, NULL,
				 0, &fr), SIM_OK);
	sim_result_free(&fr);
}
END_TEST

static void sm_abba_thread(void *w, int tid)
{
	struct mutex *x = tid ? &sm_b : &sm_a, *y = tid ? &sm_a : &sm_b;

	mutex_lock(x);
	mutex_lock(y);
	mutex_unlock(y);
	mutex_unlock(x);
}

START_TEST(test_shim_mutex_deadlock)
{
	struct sim_program p = { .nthreads = 2, .setup = sm_setup, .thread = sm_abba_thread };
	struct sim_search_opts o = SIM_SEARCH_OPTS_INIT;
	struct sim_search_result r;
	bool deadlock = false;

	o.strat.kind = SIM_STRAT_DFS;
	ck_assert_int_eq(sim_search(&p, &o, &r), 0);
	ck_assert(r.exhausted);
	ck_assert(r.failed);
	/* lockdep may see the inversion first; a deadlock must be among the failures. */
	for (size_t i = 0; i < r.fail.nv; i++) {
		printf("shim abba: %s: %s\n", r.fail.v[i].checker, r.fail.v[i].msg);
		if (!strcmp(r.fail.v[i].checker, "DEADLOCK")) {
			deadlock = true;
			ck_assert_ptr_nonnull(strstr(r.fail.v[i].msg, "wait-for cycle"));
		}
	}
	sim_search_result_free(&r);
	o.stop_on_fail = false;
	o.strat.kind = SIM_STRAT_RANDOM;
	o.strat.seed = test_seed;
	o.max_execs = 300;
	if (!deadlock) {
		/* The first failure was a lockdep report: look for the deadlock itself. */
		struct sim_strategy_cfg cfg = { .kind = SIM_STRAT_RANDOM, .seed = test_seed };
		struct sim_strategy *s = sim_strategy_new(&cfg);

		for (uint64_t k = 0; k < 300 && !deadlock; k++) {
			struct sim_result rr;

			if (sim_run(&p, NULL, s, k, &rr) == SIM_DEADLOCK) {
				deadlock = true;
				printf("shim abba deadlock: %s\n", rr.v[rr.nv - 1].msg);
				ck_assert_ptr_nonnull(strstr(rr.v[rr.nv - 1].msg, "wait-for cycle"));
			}
			sim_result_free(&rr);
		}
		sim_strategy_free(s);
	}
	ck_assert(deadlock);
}
END_TEST

/* ---- free-running --------------------------------------------------------- */

static int hang_release;

static void hang_thread(void *w, int tid)
{
	while (tid == 1 && !__atomic_load_n(&hang_release, __ATOMIC_ACQUIRE))
		usleep(1000);
}

START_TEST(test_free_watchdog)
{
	/*
	 * Static: after the watchdog fires, the stuck thread outlives this
	 * function and still reads the program (a stack copy would be reused
	 * by later tests' frames: TSan saw exactly that).
	 */
	static struct sim_program p = { .nthreads = 2, .thread = hang_thread };
	struct sim_result r;

	__atomic_store_n(&hang_release, 0, __ATOMIC_RELEASE);
	ck_assert_int_eq(sim_run(&p, &(struct sim_run_opts){ .executor = SIM_EXEC_FREE,
							      .timeout_ms = 200 }, NULL, 0, &r),
			 SIM_HANG);
	ck_assert_ptr_nonnull(strstr(r.error, "T1"));
	ck_assert_ptr_null(strstr(r.error, "T0"));
	sim_result_free(&r);
	__atomic_store_n(&hang_release, 1, __ATOMIC_RELEASE);
	usleep(20000);
}
END_TEST

/*
 * Shim reports (WARN, BUG, lockdep, slab) reach a free run through the
 * process-wide report sink.  They must land in the run of the thread
 * that reports: not in a run the watchdog abandoned (its result belongs
 * to a caller that has moved on), and not in another run going on at the
 * same time on another OS thread.
 */
static int warn_release;

static void warn_thread(void *w, int tid)
{
	/* The hanging program's tid 1 waits, then warns; tid 0 just ends. */
	while (w && tid == 1 && !__atomic_load_n(&warn_release, __ATOMIC_ACQUIRE))
		usleep(1000);
	if (!w || tid == 1)
		WARN_ON(1);
}

static void *warn_hang_setup(void *arg)
{
	return &warn_release;
}

static void *free_run_warn(void *arg)
{
	static struct sim_program p = { .nthreads = 2, .thread = warn_thread };
	struct sim_result *r = arg;

	sim_run(&p, &(struct sim_run_opts){ .executor = SIM_EXEC_FREE }, NULL, 0, r);
	return NULL;
}

START_TEST(test_free_reports_to_own_run)
{
	/* Static: the abandoned threads outlive this function (see above). */
	static struct sim_program hang = { .nthreads = 2, .setup = warn_hang_setup,
					   .thread = warn_thread };
	struct sim_result r0, r[2];
	pthread_t pt[2];
	int i;

	__atomic_store_n(&warn_release, 0, __ATOMIC_RELEASE);
	ck_assert_int_eq(sim_run(&hang, &(struct sim_run_opts){ .executor = SIM_EXEC_FREE,
								 .timeout_ms = 200 }, NULL, 0, &r0),
			 SIM_HANG);
	sim_result_free(&r0);

	/* After the abandoned run: a run's own warnings, both of them. */
	free_run_warn(&r[0]);
	ck_assert_int_eq(r[0].outcome, SIM_VIOLATION);
	ck_assert_uint_eq(r[0].nv, 2);
	ck_assert_str_eq(r[0].v[0].checker, "WARN");
	sim_result_free(&r[0]);

	/* Two at once on two OS threads: each gets exactly its own two. */
	for (i = 0; i < 2; i++)
		ck_assert_int_eq(pthread_create(&pt[i], NULL, free_run_warn, &r[i]), 0);
	for (i = 0; i < 2; i++)
		pthread_join(pt[i], NULL);
	for (i = 0; i < 2; i++) {
		ck_assert_int_eq(r[i].outcome, SIM_VIOLATION);
		ck_assert_uint_eq(r[i].nv, 2);
		sim_result_free(&r[i]);
	}

	/* The abandoned run's thread wakes up and warns: nobody records it. */
	__atomic_store_n(&warn_release, 1, __ATOMIC_RELEASE);
	usleep(20000);
}
END_TEST

static uint64_t progress_calls, progress_last;

static void count_progress(void *arg, uint64_t executions, uint64_t failures)
{
	progress_calls++;
	ck_assert_uint_ge(executions, progress_last);
	progress_last = executions;
}

START_TEST(test_search_time_limit)
{
	struct sim_search_opts o = SIM_SEARCH_OPTS_INIT;
	struct sim_search_result r;

	o.progress = count_progress;
	progress_calls = progress_last = 0;

	o.strat.kind = SIM_STRAT_RANDOM;
	o.strat.seed = test_seed;
	o.time_limit_ms = 100;
	o.jobs = 2;
	ck_assert_int_eq(sim_search(&lu_prog, &o, &r), 0);
	ck_assert(r.timed_out);
	ck_assert_uint_gt(r.executions, 0);
	ck_assert_uint_gt(progress_calls, 0);
	ck_assert_uint_le(progress_last, r.executions);
	sim_search_result_free(&r);
	/* Neither an iteration count nor a time limit: refused. */
	o.time_limit_ms = 0;
	ck_assert_int_eq(sim_search(&lu_prog, &o, &r), -EINVAL);
	o.max_execs = 10;
	o.nshards = 2;
	o.shard = 2;
	ck_assert_int_eq(sim_search(&lu_prog, &o, &r), -EINVAL);
}
END_TEST

static Suite *sched_suite(void)
{
	Suite *s = suite_create("sched_search");
	TCase *tc = tcase_create("search");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_dfs_counts);
	tcase_add_test(tc, test_dfs_preemption_bound);
	tcase_add_test(tc, test_fault_decisions_replay);
	tcase_add_test(tc, test_fault_dfs_budget);
	tcase_add_test(tc, test_parallel_random_independent);
	tcase_add_test(tc, test_parallel_pct_independent);
	tcase_add_test(tc, test_parallel_dfs_independent);
	tcase_add_test(tc, test_minimiser_one_minimal);
	tcase_add_test(tc, test_shim_mutex_exclusion);
	tcase_add_test(tc, test_shim_mutex_deadlock);
	tcase_add_test(tc, test_free_watchdog);
	tcase_add_test(tc, test_free_reports_to_own_run);
	tcase_add_test(tc, test_search_time_limit);
	suite_add_tcase(s, tc);
	return s;
}

int main(int argc, char **argv)
{
	test_seed_init(argc, argv);
	return run_suite(sched_suite());
}
