// SPDX-License-Identifier: GPL-2.0
/*
 * A BUG in a model thread that holds a lock ends the run with the BUG
 * reported, never a hang (bug zoo B-09 relies on it).
 *
 * Reproduces: T0 takes a mutex and BUG()s while holding it (an oops leaves
 * a task's locks held).  Before the fix, check() ran after the threads
 * ended and blocked on that mutex forever (controlled executors: spinning
 * in the lock loop with no thread to switch to; free-running: BUG aborted
 * the process).  Fix (sim/sched core.c, free.c): a BUG marks the run, the
 * quiescent check() is skipped and teardown() abandons the world.
 * Table: executor x does T1 also take the mutex (then the run ends as a
 * deadlock behind the dead thread, the BUG still reported first).
 * Runs in well under a second; a regression hangs until the CTest timeout.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/bug.h>
#include <linux/mutex.h>

#include "sched/sched.h"

struct bug_world {
	struct mutex lock;
	bool t1_locks;		/* T1 takes the lock too */
	int t1_done;
};

static int check_calls, teardown_calls, after_bug;
static bool t1_locks;

static void *bw_setup(void *arg)
{
	struct bug_world *w = calloc(1, sizeof(*w));

	mutex_init(&w->lock);
	w->t1_locks = t1_locks;
	return w;
}

static void bw_thread(void *world, int tid)
{
	struct bug_world *w = world;

	if (tid == 0) {
		mutex_lock(&w->lock);
		BUG();
		after_bug++;		/* never reached */
		mutex_unlock(&w->lock);
		return;
	}
	sched_point("bug:t1");
	if (w->t1_locks) {
		mutex_lock(&w->lock);
		mutex_unlock(&w->lock);
	}
	__atomic_store_n(&w->t1_done, 1, __ATOMIC_RELAXED);
}

/* Would wait for T0's mutex forever. */
static void bw_check(void *world)
{
	struct bug_world *w = world;

	check_calls++;
	mutex_lock(&w->lock);
	mutex_unlock(&w->lock);
}

/* Abandons the mutex: its holder is gone. */
static void bw_teardown(void *world)
{
	teardown_calls++;
	free(world);
}

static const struct {
	enum sim_executor_kind executor;
	bool t1_locks;
} cases[] = {
	{ SIM_EXEC_FIBER, false },
	{ SIM_EXEC_FIBER, true },
	{ SIM_EXEC_PTHREAD, false },
	{ SIM_EXEC_PTHREAD, true },
	{ SIM_EXEC_FREE, false },
};

START_TEST(test_bug_under_lock_reported)
{
	struct sim_program p = { .name = "bug-under-lock", .nthreads = 2, .setup = bw_setup,
				 .thread = bw_thread, .check = bw_check,
				 .teardown = bw_teardown };
	struct sim_run_opts o = SIM_RUN_OPTS_INIT;
	struct sim_strategy_cfg cfg = { .kind = SIM_STRAT_RANDOM, .seed = 1 };
	struct sim_strategy *s = sim_strategy_new(&cfg);
	struct sim_result r;
	unsigned deadlocks = 0;
	enum sim_outcome out;

	o.executor = cases[_i].executor;
	o.timeout_ms = 5000;
	t1_locks = cases[_i].t1_locks;
	for (uint64_t k = 0; k < (o.executor == SIM_EXEC_FREE ? 3 : 20); k++) {
		check_calls = teardown_calls = after_bug = 0;
		out = sim_run(&p, &o, s, k, &r);
		/* T1 blocked behind the dead T0 (it locked after T0), or not. */
		ck_assert(out == SIM_VIOLATION || (cases[_i].t1_locks && out == SIM_DEADLOCK));
		ck_assert_uint_ge(r.nv, 1);
		ck_assert_str_eq(r.v[0].checker, "BUG");
		ck_assert_int_eq(r.v[0].tid, 0);
		ck_assert_ptr_nonnull(strstr(r.v[0].msg, "BUG()"));
		ck_assert_int_eq(after_bug, 0);
		ck_assert_int_eq(check_calls, 0);
		ck_assert_int_eq(teardown_calls, 1);
		if (out == SIM_DEADLOCK) {
			ck_assert_str_eq(r.v[1].checker, "DEADLOCK");
			deadlocks++;
		}
		sim_result_free(&r);
	}
	/* Random schedules put T1's lock after T0's in some of 20 runs. */
	if (cases[_i].t1_locks)
		ck_assert_uint_gt(deadlocks, 0);
	sim_strategy_free(s);
}
END_TEST

int main(void)
{
	Suite *su = suite_create("bug_abandon");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int nf;

	tcase_add_loop_test(tc, test_bug_under_lock_reported, 0, sizeof(cases) / sizeof(cases[0]));
	tcase_set_timeout(tc, 60);
	suite_add_tcase(su, tc);
	sr = srunner_create(su);
	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf ? EXIT_FAILURE : EXIT_SUCCESS;
}
