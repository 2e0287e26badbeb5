// SPDX-License-Identifier: GPL-2.0
/*
 * kernel-shims in controlled mode, under a tiny baton scheduler written
 * here (one pthread per model thread, exactly one holds the baton): the
 * test's shim_sched_ops log every point/block/wake/decide, hand the baton
 * to the next runnable thread at every point, and the tests check the
 * exact event sequences: point() precedes each operation (the lock state
 * seen at the point is the state before it), contention calls block(),
 * release calls wake(), decisions drive allocation failure and signals.
 */
#include <linux/atomic.h>
#include <linux/bug.h>
#include <linux/errno.h>
#include <linux/mutex.h>
#include <linux/rwsem.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/srcu.h>
#include <shim/slab.h>

#include "shims_common.h"

/* This file implements shim_sched_ops, whose ->current the macro would eat. */
#undef current

#define MAXT	3
#define MAXEV	256

struct ev {
	int tid;
	char kind;		/* 'P' point, 'B' block, 'W' wake, 'D' decide, 'R' report */
	int op;			/* enum shim_op, or enum shim_decision for 'D' */
	const void *obj;
	long state;		/* probe(obj) at the time of the event */
	char name[32];		/* sched_point name */
};

static struct baton {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int n, turn;
	bool runnable[MAXT], done[MAXT];
	const void *blocked_on[MAXT];
	struct shim_task tasks[MAXT];
	struct ev log[MAXEV];
	int nlog;
	bool answer[SHIM_DECIDE_NR];
	long (*probe)(const void *obj);
	void (*body[MAXT])(void);
} B = { .mu = PTHREAD_MUTEX_INITIALIZER, .cv = PTHREAD_COND_INITIALIZER };

static __thread int my_tid = -1;
static struct shim_slab_ctx bslab;

static void log_ev(char kind, int op, const void *obj, const char *name)
{
	struct ev *e;

	ck_assert_int_lt(B.nlog, MAXEV);
	e = &B.log[B.nlog++];
	e->tid = my_tid;
	e->kind = kind;
	e->op = op;
	e->obj = obj;
	e->state = B.probe && obj ? B.probe(obj) : 0;
	snprintf(e->name, sizeof(e->name), "%s", name ? name : "");
}

/* Give the baton to the next runnable thread after me (or keep it). */
static void pass_baton(void)
{
	int k;

	for (k = 1; k <= B.n; k++) {
		int t = (my_tid + k) % B.n;

		if (B.runnable[t] && !B.done[t]) {
			B.turn = t;
			pthread_cond_broadcast(&B.cv);
			return;
		}
	}
	for (k = 0; k < B.n; k++) {
		if (!B.done[k]) {
			fprintf(stderr, "baton: deadlock, thread %d blocked\n", k);
			abort();
		}
	}
}

static void wait_turn(void)
{
	while (B.turn != my_tid)
		pthread_cond_wait(&B.cv, &B.mu);
}

static void b_point(enum shim_op op, const void *obj, const char *site)
{
	pthread_mutex_lock(&B.mu);
	log_ev('P', op, obj, op == SHIM_OP_POINT ? site : NULL);
	pass_baton();
	wait_turn();
	pthread_mutex_unlock(&B.mu);
}

static void b_block(enum shim_op op, const void *obj, const char *site)
{
	pthread_mutex_lock(&B.mu);
	log_ev('B', op, obj, NULL);
	B.runnable[my_tid] = false;
	B.blocked_on[my_tid] = obj;
	pass_baton();
	wait_turn();
	pthread_mutex_unlock(&B.mu);
}

static void b_wake(const void *obj)
{
	int t;

	pthread_mutex_lock(&B.mu);
	log_ev('W', 0, obj, NULL);
	for (t = 0; t < B.n; t++) {
		if (B.blocked_on[t] == obj) {
			B.blocked_on[t] = NULL;
			B.runnable[t] = true;
		}
	}
	pthread_mutex_unlock(&B.mu);
}

static bool b_decide(enum shim_decision what, const char *site)
{
	pthread_mutex_lock(&B.mu);
	log_ev('D', what, NULL, NULL);
	pthread_mutex_unlock(&B.mu);
	return B.answer[what];
}

static struct shim_task *b_current(void)
{
	return my_tid >= 0 ? &B.tasks[my_tid] : NULL;
}

static void b_report(enum shim_report_kind kind, const char *msg, const char *file, int line)
{
	pthread_mutex_lock(&B.mu);
	log_ev('R', kind, NULL, NULL);
	pthread_mutex_unlock(&B.mu);
	capture_sink(kind, msg, file, line);
}

static const struct shim_sched_ops baton_ops = {
	.point = b_point, .block = b_block, .wake = b_wake,
	.decide = b_decide, .current = b_current, .report = b_report,
};
static struct shim_ctx bctx = { .sched = &baton_ops, .slab = &bslab };

static void *model_thread(void *arg)
{
	my_tid = (int)(long)arg;
	shim_ctx = &bctx;
	pthread_mutex_lock(&B.mu);
	wait_turn();
	pthread_mutex_unlock(&B.mu);
	B.body[my_tid]();
	pthread_mutex_lock(&B.mu);
	B.done[my_tid] = true;
	B.runnable[my_tid] = false;
	pass_baton();
	pthread_mutex_unlock(&B.mu);
	return NULL;
}

/* Run @n bodies under the baton, thread 0 first. */
static void run(int n, void (*b0)(void), void (*b1)(void), void (*b2)(void))
{
	pthread_t th[MAXT];
	int i;

	B.n = n;
	B.turn = 0;
	B.nlog = 0;
	B.body[0] = b0;
	B.body[1] = b1;
	B.body[2] = b2;
	for (i = 0; i < n; i++) {
		B.runnable[i] = true;
		B.done[i] = false;
		B.blocked_on[i] = NULL;
		B.tasks[i] = (struct shim_task){ .tid = i, .name = i ? "T1" : "T0" };
	}
	for (i = 0; i < n; i++)
		pthread_create(&th[i], NULL, model_thread, (void *)(long)i);
	for (i = 0; i < n; i++)
		pthread_join(th[i], NULL);
	for (i = 0; i < n; i++)
		ck_assert_int_eq(B.tasks[i].nheld, 0);
}

static void setup(void)
{
	capture_reset();
	shim_slab_ctx_init(&bslab);
	memset(B.answer, 0, sizeof(B.answer));
	B.probe = NULL;
}

static void teardown(void)
{
	shim_slab_ctx_destroy(&bslab);
}

/* Compare the log with "tid kind op" triples; -1 op matches anything. */
struct want {
	int tid;
	char kind;
	int op;
};

static void print_log(void)
{
	int i;

	for (i = 0; i < B.nlog; i++)
		fprintf(stderr, "  [%d] T%d %c %s state=%ld %s\n", i, B.log[i].tid, B.log[i].kind,
			B.log[i].kind == 'P' || B.log[i].kind == 'B' ? shim_op_name(B.log[i].op) : "",
			B.log[i].state, B.log[i].name);
}

static void expect_log(const struct want *w, int n)
{
	int i;

	if (B.nlog != n)
		print_log();
	ck_assert_int_eq(B.nlog, n);
	for (i = 0; i < n; i++) {
		ck_assert_msg(B.log[i].tid == w[i].tid && B.log[i].kind == w[i].kind &&
			      (w[i].op < 0 || B.log[i].op == w[i].op),
			      "event %d: T%d %c %d, want T%d %c %d", i, B.log[i].tid,
			      B.log[i].kind, B.log[i].op, w[i].tid, w[i].kind, w[i].op);
	}
}

/* ---- mutex: contention blocks, release wakes, point before the op ---- */

static struct mutex cm;
static int cm_count;

/* 1 + tid of the owner, 0 if free */
static long owner_probe(const void *obj)
{
	struct shim_task *o = ((const struct shim_xlock *)obj)->owner;

	return o ? 1 + o->tid : 0;
}

static void mutex_t0(void)
{
	mutex_lock(&cm);
	sched_point("hold");
	cm_count++;
	mutex_unlock(&cm);
}

static void mutex_t1(void)
{
	mutex_lock(&cm);
	cm_count++;
	mutex_unlock(&cm);
}

START_TEST(test_mutex_contention)
{
	static const struct want w[] = {
		{ 0, 'P', SHIM_OP_MUTEX_LOCK },
		{ 1, 'P', SHIM_OP_MUTEX_LOCK },
		{ 0, 'P', SHIM_OP_POINT },
		{ 1, 'B', SHIM_OP_MUTEX_LOCK },
		{ 0, 'P', SHIM_OP_MUTEX_UNLOCK },
		{ 0, 'W', -1 },
		{ 1, 'P', SHIM_OP_MUTEX_UNLOCK },
		{ 1, 'W', -1 },
	};

	mutex_init(&cm);
	cm_count = 0;
	B.probe = owner_probe;
	run(2, mutex_t0, mutex_t1, NULL);
	expect_log(w, ARRAY_SIZE(w));
	/* the point precedes the op: free at each lock point, own at unlock */
	ck_assert_int_eq(B.log[0].state, 0);
	ck_assert_int_eq(B.log[1].state, 0);
	ck_assert_int_eq(B.log[3].state, 1);		/* T1 blocks on T0's lock */
	ck_assert_int_eq(B.log[4].state, 1);		/* T0 still owns at its unlock point */
	ck_assert_int_eq(B.log[6].state, 2);
	ck_assert_ptr_eq(B.log[3].obj, &cm);
	ck_assert_ptr_eq(B.log[5].obj, &cm);
	ck_assert_int_eq(cm_count, 2);
	ck_assert(!mutex_is_locked(&cm));
	ck_assert_uint_eq(captured_count(SHIM_REPORT_LOCKDEP), 0);
}
END_TEST

/* ---- the same contention pattern for every exclusive lock kind (table) ---- */

static spinlock_t csp;
static rwlock_t crw;
static struct rw_semaphore cs;

static const struct excl_row {
	const char *name;
	int lock_op, unlock_op;
	void (*lock)(void), (*unlock)(void);
	const void *obj;
} excl_rows[];

static const struct excl_row *cur_row;

static void x_mutex_lock(void) { mutex_lock(&cm); }
static void x_mutex_unlock(void) { mutex_unlock(&cm); }
static void x_spin_lock(void) { spin_lock(&csp); }
static void x_spin_unlock(void) { spin_unlock(&csp); }
static void x_down_write(void) { down_write(&cs); }
static void x_up_write(void) { up_write(&cs); }
static void x_write_lock(void) { write_lock(&crw); }
static void x_write_unlock(void) { write_unlock(&crw); }

static const struct excl_row excl_rows[] = {
	{ "mutex", SHIM_OP_MUTEX_LOCK, SHIM_OP_MUTEX_UNLOCK, x_mutex_lock, x_mutex_unlock, &cm },
	{ "spinlock_t", SHIM_OP_SPIN_LOCK, SHIM_OP_SPIN_UNLOCK, x_spin_lock, x_spin_unlock, &csp },
	{ "rw_semaphore", SHIM_OP_DOWN_WRITE, SHIM_OP_UP_WRITE, x_down_write, x_up_write, &cs },
	{ "rwlock_t", SHIM_OP_WRITE_LOCK, SHIM_OP_WRITE_UNLOCK, x_write_lock, x_write_unlock, &crw },
};

static void excl_t0(void)
{
	cur_row->lock();
	sched_point("hold");
	cur_row->unlock();
}

static void excl_t1(void)
{
	cur_row->lock();
	cur_row->unlock();
}

START_TEST(test_exclusive_contention_table)
{
	const struct excl_row *r = &excl_rows[_i];
	const struct want w[] = {
		{ 0, 'P', r->lock_op },
		{ 1, 'P', r->lock_op },
		{ 0, 'P', SHIM_OP_POINT },
		{ 1, 'B', r->lock_op },
		{ 0, 'P', r->unlock_op },
		{ 0, 'W', -1 },
		{ 1, 'P', r->unlock_op },
		{ 1, 'W', -1 },
	};

	mutex_init(&cm);
	spin_lock_init(&csp);
	rwlock_init(&crw);
	init_rwsem(&cs);
	cur_row = r;
	run(2, excl_t0, excl_t1, NULL);
	expect_log(w, ARRAY_SIZE(w));
	ck_assert_msg(B.log[3].obj == r->obj && B.log[5].obj == r->obj && B.log[7].obj == r->obj,
		      "%s: block/wake on another object", r->name);
	ck_assert_uint_eq(captured_count(SHIM_REPORT_LOCKDEP), 0);
}
END_TEST

/* ---- rwsem: a writer blocks behind a reader, up_read wakes it ---- */

static long readers_probe(const void *obj)
{
	const struct shim_rwlock *l = obj;

	return l->owner ? -1 : l->readers;
}

static void rw_t0(void)
{
	down_read(&cs);
	lockdep_assert_held_read(&cs);
	sched_point("reading");
	up_read(&cs);
}

static void rw_t1(void)
{
	down_write(&cs);
	lockdep_assert_held_write(&cs);
	up_write(&cs);
}

START_TEST(test_rwsem_contention)
{
	static const struct want w[] = {
		{ 0, 'P', SHIM_OP_DOWN_READ },
		{ 1, 'P', SHIM_OP_DOWN_WRITE },
		{ 0, 'P', SHIM_OP_POINT },
		{ 1, 'B', SHIM_OP_DOWN_WRITE },
		{ 0, 'P', SHIM_OP_UP_READ },
		{ 0, 'W', -1 },
		{ 1, 'P', SHIM_OP_UP_WRITE },
		{ 1, 'W', -1 },
	};

	init_rwsem(&cs);
	B.probe = readers_probe;
	run(2, rw_t0, rw_t1, NULL);
	expect_log(w, ARRAY_SIZE(w));
	ck_assert_int_eq(B.log[0].state, 0);
	ck_assert_int_eq(B.log[3].state, 1);
	ck_assert_int_eq(B.log[4].state, 1);	/* still read-held at the up_read point */
	ck_assert_int_eq(B.log[6].state, -1);	/* write-held at the up_write point */
	ck_assert(!rwsem_is_locked(&cs));
	ck_assert_uint_eq(captured_count(SHIM_REPORT_LOCKDEP), 0);
}
END_TEST

/* ---- a queued writer holds off a new reader (writer preference) ---- */

static void rw3_t2(void)
{
	down_read(&cs);
	up_read(&cs);
}

START_TEST(test_rwsem_writer_preference)
{
	int i, b2 = -1, w1_acquired = -1;

	init_rwsem(&cs);
	B.probe = readers_probe;
	run(3, rw_t0, rw_t1, rw3_t2);
	for (i = 0; i < B.nlog; i++) {
		if (B.log[i].tid == 2 && B.log[i].kind == 'B' && b2 < 0)
			b2 = i;
		if (B.log[i].tid == 1 && B.log[i].kind == 'P' && B.log[i].op == SHIM_OP_UP_WRITE)
			w1_acquired = i;
	}
	if (b2 < 0 || b2 > w1_acquired)
		print_log();
	ck_assert_msg(b2 >= 0, "reader behind a queued writer did not block");
	ck_assert_int_lt(b2, w1_acquired);
}
END_TEST

/* ---- SRCU: synchronize blocks until the earlier reader unlocks ---- */

static DEFINE_SRCU(cssp);

static void srcu_t0(void)
{
	int idx = srcu_read_lock(&cssp);

	sched_point("reading");
	srcu_read_unlock(&cssp, idx);
}

static void srcu_t1(void)
{
	synchronize_srcu(&cssp);
	sched_point("synced");
}

START_TEST(test_srcu_controlled)
{
	static const struct want w[] = {
		{ 0, 'P', SHIM_OP_SRCU_READ_LOCK },
		{ 1, 'P', SHIM_OP_SYNCHRONIZE_SRCU },
		{ 0, 'P', SHIM_OP_POINT },		/* T0 inside */
		{ 1, 'B', SHIM_OP_SYNCHRONIZE_SRCU },
		{ 0, 'P', SHIM_OP_SRCU_READ_UNLOCK },
		{ 0, 'W', -1 },
		{ 1, 'W', -1 },				/* releases the synchronizer slot */
		{ 1, 'P', SHIM_OP_POINT },		/* "synced" only now */
	};

	run(2, srcu_t0, srcu_t1, NULL);
	expect_log(w, ARRAY_SIZE(w));
	ck_assert_ptr_eq(B.log[3].obj, &cssp);
	ck_assert_ptr_eq(B.log[5].obj, &cssp);
	ck_assert_ptr_eq(B.log[6].obj, &cssp.sync_busy);
	ck_assert_str_eq(B.log[7].name, "synced");
}
END_TEST

/* ---- decisions: allocation failure and signals ---- */

static void *alloc_result[4];

static void alloc_body(void)
{
	alloc_result[0] = kmalloc(8, GFP_KERNEL);	/* injection off */
	shim_fault_inject_enable(true);
	B.answer[SHIM_DECIDE_ALLOC_FAIL] = true;
	alloc_result[1] = kmalloc(8, GFP_KERNEL);	/* decided: fail */
	alloc_result[2] = kmalloc(8, GFP_NOWAIT);	/* no point, still decided */
	alloc_result[3] = kmalloc(8, GFP_KERNEL | __GFP_NOFAIL);
	shim_fault_inject_enable(false);
	kfree(alloc_result[0]);
	kfree(alloc_result[3]);
}

START_TEST(test_alloc_decisions)
{
	static const struct want w[] = {
		{ 0, 'P', SHIM_OP_ALLOC },
		{ 0, 'P', SHIM_OP_ALLOC },
		{ 0, 'D', SHIM_DECIDE_ALLOC_FAIL },
		{ 0, 'D', SHIM_DECIDE_ALLOC_FAIL },
		{ 0, 'P', SHIM_OP_ALLOC },
	};

	run(1, alloc_body, NULL, NULL);
	expect_log(w, ARRAY_SIZE(w));
	ck_assert_ptr_nonnull(alloc_result[0]);
	ck_assert_ptr_null(alloc_result[1]);
	ck_assert_ptr_null(alloc_result[2]);
	ck_assert_ptr_nonnull(alloc_result[3]);
}
END_TEST

static int killable_ret;

static void kill_t0(void)
{
	mutex_lock(&cm);
	sched_point("hold");
	mutex_unlock(&cm);
}

static void kill_t1(void)
{
	shim_signal_inject_enable(true);
	B.answer[SHIM_DECIDE_SIGNAL_PENDING] = true;
	killable_ret = mutex_lock_killable(&cm);
	if (!killable_ret)
		mutex_unlock(&cm);
	shim_signal_inject_enable(false);
}

START_TEST(test_signal_decision)
{
	static const struct want w[] = {
		{ 0, 'P', SHIM_OP_MUTEX_LOCK },
		{ 1, 'P', SHIM_OP_MUTEX_LOCK },
		{ 0, 'P', SHIM_OP_POINT },
		{ 1, 'D', SHIM_DECIDE_SIGNAL_PENDING },	/* contended: asks, gives up */
		{ 0, 'P', SHIM_OP_MUTEX_UNLOCK },
		{ 0, 'W', -1 },
	};

	mutex_init(&cm);
	run(2, kill_t0, kill_t1, NULL);
	expect_log(w, ARRAY_SIZE(w));
	ck_assert_int_eq(killable_ret, -EINTR);
}
END_TEST

/* ---- atomics and annotated accesses are points; plain ones are not ---- */

static atomic_t ca;
static long cx;

static long atomic_probe(const void *obj)
{
	return obj == &ca ? atomic_read(&ca) : *(const long *)obj;
}

static void atomic_body(void)
{
	atomic_inc(&ca);
	(void)atomic_read(&ca);
	(void)atomic_cmpxchg(&ca, 1, 5);
	WRITE_ONCE(cx, 3);
	(void)READ_ONCE(cx);
	(void)__READ_ONCE(cx);
	WARN_ON(atomic_read(&ca) == 5);
}

START_TEST(test_atomic_points)
{
	static const struct want w[] = {
		{ 0, 'P', SHIM_OP_ATOMIC },
		{ 0, 'P', SHIM_OP_ATOMIC },
		{ 0, 'P', SHIM_OP_WRITE_ONCE },
		{ 0, 'P', SHIM_OP_READ_ONCE },
		{ 0, 'R', SHIM_REPORT_WARN },
	};

	atomic_set(&ca, 0);
	cx = 0;
	B.probe = atomic_probe;
	run(1, atomic_body, NULL, NULL);
	expect_log(w, ARRAY_SIZE(w));
	ck_assert_int_eq(B.log[0].state, 0);	/* before the increment */
	ck_assert_int_eq(B.log[1].state, 1);	/* before the cmpxchg */
	ck_assert_int_eq(B.log[2].state, 0);	/* before the store */
	ck_assert_int_eq(atomic_read(&ca), 5);
	/* controlled reports go to the scheduler's hook, and are counted */
	ck_assert_uint_eq(shim_report_count(SHIM_REPORT_WARN), 1);
}
END_TEST

/* ---- lockdep and might_sleep in controlled mode use sched->current ---- */

static DEFINE_SPINLOCK(csl);

static void lockdep_t0(void)
{
	spin_lock(&csl);
	might_sleep();
	spin_unlock(&csl);
}

static void lockdep_t1(void)
{
	lockdep_assert_held(&csl);	/* T0's lock, not ours */
}

START_TEST(test_controlled_lockdep)
{
	run(2, lockdep_t0, lockdep_t1, NULL);
	ck_assert_uint_eq(captured_count(SHIM_REPORT_LOCKDEP), 2);
	ck_assert(strstr(cap.all, "sleeping function"));
	ck_assert(strstr(cap.all, "lockdep_assert_held(&csl)"));
}
END_TEST

static Suite *controlled_suite(void)
{
	Suite *s = suite_create("shims_controlled");
	TCase *tc = tcase_create("baton");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_mutex_contention);
	tcase_add_loop_test(tc, test_exclusive_contention_table, 0, ARRAY_SIZE(excl_rows));
	tcase_add_test(tc, test_rwsem_contention);
	tcase_add_test(tc, test_rwsem_writer_preference);
	tcase_add_test(tc, test_srcu_controlled);
	tcase_add_test(tc, test_alloc_decisions);
	tcase_add_test(tc, test_signal_decision);
	tcase_add_test(tc, test_atomic_points);
	tcase_add_test(tc, test_controlled_lockdep);
	suite_add_tcase(s, tc);
	return s;
}

int main(int argc, char **argv)
{
	return shims_test_main(argc, argv, controlled_suite());
}
