// SPDX-License-Identifier: GPL-2.0
/*
 * The racing pair of the swimlane story (sim/report/story.c, issue 4
 * "Reports": the racing pair named): two steps of different threads on
 * one object, at least one a write or exclusive acquisition, nearest
 * before the violation among those the minimised schedule's last
 * preemption orders.
 *
 * First a table of hand-written event logs, one rule per row; then a small
 * program (a lost update behind a lock) searched, minimised and replayed,
 * whose story must name T1's write and then T0's write of the counter.
 * Deterministic (DFS); runs in well under a second.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "report/report.h"
#include "sched/sched.h"

/* ---- hand-written logs --------------------------------------------------- */

#define RES(op)	((op) | SIM_EV_RESUME)

struct ev_row {
	int tid;
	uint32_t op;
	uint32_t obj;
};

static const struct {
	const char *rule;
	struct ev_row ev[16];
	int nev;
	int violating;		/* -1: the end */
	int race_a, race_b;
} pair_rows[] = {
	{ "a preemption orders T1's write before T0's later write of #5",
	  { { 0, SIM_EV_START, 0 }, { 0, SHIM_OP_READ_ONCE, 5 },
	    { 1, SIM_EV_START, 0 }, { 1, SHIM_OP_WRITE_ONCE, 5 },
	    { 0, SHIM_OP_WRITE_ONCE, 5 }, { -1, SIM_EV_USER, 0 } },
	  6, 5, 3, 4 },
	{ "data accesses win over a later lock pair",
	  { { 0, SIM_EV_START, 0 }, { 0, SHIM_OP_READ_ONCE, 5 },
	    { 1, SIM_EV_START, 0 }, { 1, SHIM_OP_WRITE_ONCE, 5 },
	    { 1, SHIM_OP_MUTEX_LOCK, 7 }, { 1, SHIM_OP_MUTEX_UNLOCK, 7 },
	    { 0, SHIM_OP_WRITE_ONCE, 5 }, { 0, SHIM_OP_MUTEX_LOCK, 7 },
	    { -1, SIM_EV_USER, 0 } },
	  9, 8, 3, 6 },
	{ "a lock pair when no data pair is ordered",
	  { { 0, SIM_EV_START, 0 }, { 0, SHIM_OP_MUTEX_LOCK, 7 },
	    { 0, SHIM_OP_MUTEX_UNLOCK, 7 }, { 1, SIM_EV_START, 0 },
	    { 1, SHIM_OP_MUTEX_LOCK, 7 }, { 1, SHIM_OP_MUTEX_UNLOCK, 7 },
	    { 0, SHIM_OP_MUTEX_LOCK, 7 } },
	  7, -1, 4, 6 },
	{ "two reads of one object are no race",
	  { { 0, SIM_EV_START, 0 }, { 0, SHIM_OP_WRITE_ONCE, 5 },
	    { 0, SHIM_OP_READ_ONCE, 6 }, { 1, SIM_EV_START, 0 },
	    { 1, SHIM_OP_READ_ONCE, 6 }, { 0, SHIM_OP_READ_ONCE, 6 },
	    { 1, SHIM_OP_READ_ONCE, 5 } },
	  7, -1, 1, 6 },
	{ "a switch away from a blocked thread is no preemption",
	  /* T0 blocks on #7 (its next step resumes), so the switch at 3 is
	   * forced; the preemption at 6 (T1 -> T0, T1 goes on at 8) orders
	   * T0's write at 6 before T1's write at 8. */
	  { { 0, SIM_EV_START, 0 }, { 0, SHIM_OP_WRITE_ONCE, 5 },
	    { 0, SHIM_OP_MUTEX_LOCK, 7 }, { 1, SIM_EV_START, 0 },
	    { 1, SHIM_OP_WRITE_ONCE, 9 }, { 1, SHIM_OP_READ_ONCE, 5 },
	    { 0, RES(SHIM_OP_MUTEX_LOCK), 7 }, { 0, SHIM_OP_WRITE_ONCE, 9 },
	    { 1, SHIM_OP_WRITE_ONCE, 9 } },
	  9, -1, 7, 8 },
	{ "no preemption: the last conflicting pair before the violation",
	  { { 1, SIM_EV_START, 0 }, { 1, SHIM_OP_READ_ONCE, 5 },
	    { 1, SHIM_OP_WRITE_ONCE, 6 }, { 0, SIM_EV_START, 0 },
	    { 0, SHIM_OP_WRITE_ONCE, 6 }, { 0, SHIM_OP_WRITE_ONCE, 5 },
	    { 0, SHIM_OP_WRITE_ONCE, 8 }, { -1, SIM_EV_USER, 0 } },
	  8, 7, 1, 5 },
	{ "steps after the violation do not count",
	  { { 0, SIM_EV_START, 0 }, { 0, SHIM_OP_WRITE_ONCE, 5 },
	    { 1, SIM_EV_START, 0 }, { 1, SHIM_OP_WRITE_ONCE, 5 },
	    { 1, SHIM_OP_WRITE_ONCE, 6 }, { 0, SHIM_OP_WRITE_ONCE, 6 } },
	  6, 4, 1, 3 },
	{ "without object ids: the last switch between lanes",
	  { { 0, SIM_EV_START, 0 }, { 0, SHIM_OP_POINT, 0 },
	    { 1, SIM_EV_START, 0 }, { 1, SHIM_OP_POINT, 0 },
	    { 0, SHIM_OP_POINT, 0 } },
	  5, -1, 3, 4 },
};

START_TEST(test_pair_rows)
{
	struct report_event ev[16];
	struct report r;

	for (size_t k = 0; k < sizeof(pair_rows) / sizeof(pair_rows[0]); k++) {
		memset(&r, 0, sizeof(r));
		memset(ev, 0, sizeof(ev));
		for (int i = 0; i < pair_rows[k].nev; i++) {
			ev[i].step = i;
			ev[i].tid = pair_rows[k].ev[i].tid;
			ev[i].op = pair_rows[k].ev[i].op;
			ev[i].obj = pair_rows[k].ev[i].obj;
			ev[i].what = sim_op_name(ev[i].op);
		}
		r.nthreads = 2;
		r.ev = ev;
		r.nev = pair_rows[k].nev;
		r.violating = pair_rows[k].violating;
		report_find_racing_pair(&r);
		ck_assert_msg(r.race_a == pair_rows[k].race_a && r.race_b == pair_rows[k].race_b,
			      "%s: got (%zd, %zd), want (%d, %d)", pair_rows[k].rule, r.race_a,
			      r.race_b, pair_rows[k].race_a, pair_rows[k].race_b);
	}
}
END_TEST

/* ---- a lost update behind a lock, through search and minimiser ----------- */

struct lu_world {
	int lock_owner;
	int x;
};

static void *lu_setup(void *arg)
{
	struct lu_world *w = calloc(1, sizeof(*w));

	if (w)
		w->lock_owner = -1;
	return w;
}

static void lu_teardown(void *w)
{
	free(w);
}

/* A lock step on @w (no blocking needed: held only inside one step). */
static void lu_lock_step(struct lu_world *w)
{
	shim_point(SHIM_OP_MUTEX_LOCK, &w->lock_owner, "lu:lock");
	shim_point(SHIM_OP_MUTEX_UNLOCK, &w->lock_owner, "lu:unlock");
}

/*
 * T0 reads x, then writes x + 1; T1 adds 1 in one step.  Both then take
 * the lock, so a lock pair follows the data pair in every run.
 */
static void lu_thread(void *world, int tid)
{
	struct lu_world *w = world;
	int v;

	if (tid == 0) {
		shim_point(SHIM_OP_READ_ONCE, &w->x, "lu:t0-read");
		v = w->x;
		shim_point(SHIM_OP_WRITE_ONCE, &w->x, "lu:t0-write");
		w->x = v + 1;
	} else {
		shim_point(SHIM_OP_WRITE_ONCE, &w->x, "lu:t1-add");
		w->x++;
	}
	lu_lock_step(w);
}

static void lu_check(void *world)
{
	struct lu_world *w = world;

	if (w->x != 2)
		sim_violation("lost-update", "x = %d, want 2", w->x);
}

static const struct sim_program lu_prog = {
	.nthreads = 2, .setup = lu_setup, .thread = lu_thread, .check = lu_check,
	.teardown = lu_teardown,
};

START_TEST(test_pair_of_minimised_run)
{
	struct sim_search_opts so = SIM_SEARCH_OPTS_INIT;
	struct sim_minimise_prog mp = { .p = &lu_prog, .o = &so.run };
	struct sim_search_result sr;
	struct sim_run_opts ro = SIM_RUN_OPTS_INIT;
	struct report_event *ev;
	struct sim_result r;
	struct report rep;
	char *min;

	so.strat.kind = SIM_STRAT_DFS;
	so.strat.preemption_bound = 2;
	so.stop_on_fail = true;
	ck_assert_int_eq(sim_search(&lu_prog, &so, &sr), 0);
	ck_assert(sr.failed);
	min = sim_minimise(sr.fail.schedule, sim_program_fails, &mp);
	ck_assert_ptr_nonnull(min);
	ro.keep_log = true;
	ck_assert_int_eq(sim_replay(&lu_prog, &ro, min, &r), SIM_VIOLATION);
	ck_assert_uint_eq(r.npreemptions, 1);

	ev = calloc(r.nlog + 1, sizeof(*ev));
	ck_assert_ptr_nonnull(ev);
	memset(&rep, 0, sizeof(rep));
	rep.nthreads = 2;
	rep.violating = -1;
	for (size_t i = 0; i < r.nlog; i++) {
		ev[i].step = r.log[i].step;
		ev[i].tid = r.log[i].tid;
		ev[i].op = r.log[i].op;
		ev[i].obj = r.log[i].obj;
		ev[i].site = r.log[i].site;
		ev[i].what = sim_op_name(r.log[i].op);
		if (r.log[i].step <= r.v[0].step)
			rep.violating = (ssize_t)i;
	}
	rep.ev = ev;
	rep.nev = r.nlog;
	report_find_racing_pair(&rep);
	ck_assert_int_ge(rep.race_a, 0);
	ck_assert_int_gt(rep.race_b, rep.race_a);
	ck_assert_int_eq(ev[rep.race_a].tid, 1);
	ck_assert_str_eq(ev[rep.race_a].site, "lu:t1-add");
	ck_assert_int_eq(ev[rep.race_b].tid, 0);
	ck_assert_str_eq(ev[rep.race_b].site, "lu:t0-write");
	ck_assert_uint_eq(ev[rep.race_a].obj, ev[rep.race_b].obj);
	free(ev);
	free(min);
	sim_result_free(&r);
	sim_search_result_free(&sr);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("racing_pair");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int nf;

	tcase_add_test(tc, test_pair_rows);
	tcase_add_test(tc, test_pair_of_minimised_run);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	sim_sched_thread_cleanup();
	return nf ? EXIT_FAILURE : EXIT_SUCCESS;
}
