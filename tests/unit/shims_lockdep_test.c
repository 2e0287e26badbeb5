// SPDX-License-Identifier: GPL-2.0
/*
 * kernel-shims lockdep, free-running with real threads: order inversion
 * (direct and transitive), recursion and nesting, classes, reset and
 * enable, concurrent learning, SRCU sync under a lock readers take (spec
 * 7.1), lockdep_assert_held*() and might_sleep() tables, bad unlocks.
 */
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/mutex.h>
#include <linux/rwsem.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/srcu.h>

#include "shims_common.h"

#ifdef GMEMSIM_TSAN
/*
 * These tests take real mutexes in both orders on purpose (one thread, so
 * nothing can deadlock); TSan's own deadlock detector rightly sees the
 * inversion.  Silence it for exactly those tests.
 */
const char *__tsan_default_suppressions(void);
const char *__tsan_default_suppressions(void)
{
	return "deadlock:test_lockdep_abba_fn\n"
	       "deadlock:test_lockdep_transitive_cycle_fn\n"
	       "deadlock:test_lockdep_set_class_reset_enable_fn\n"
	       "deadlock:test_lockdep_concurrent_learning_fn\n";
}
#endif

#define NTHREADS	4

/* Spin (yielding) until @p becomes @want or ~30 s pass. */
static bool wait_for(int *p, int want)
{
	int i;

	for (i = 0; i < 500000; i++) {
		if (__atomic_load_n(p, __ATOMIC_SEQ_CST) == want)
			return true;
		usleep(10);
	}
	return false;
}

static struct rw_semaphore t_sem;
static rwlock_t t_rwlock;
static struct mutex other_mutex;

static void rw_init_all(void)
{
	init_rwsem(&t_sem);
	rwlock_init(&t_rwlock);
}

static struct mutex la, lb;

START_TEST(test_lockdep_abba)
{
	const char *msg;

	capture_reset();
	mutex_init(&la);
	mutex_init(&lb);
	mutex_lock(&la);
	mutex_lock(&lb);
	mutex_unlock(&lb);
	mutex_unlock(&la);
	ck_assert_uint_eq(captured_count(SHIM_REPORT_LOCKDEP), 0);
	mutex_lock(&lb);
	mutex_lock(&la);	/* B then A: closes the cycle */
	mutex_unlock(&la);
	mutex_unlock(&lb);
	ck_assert_uint_eq(captured_count(SHIM_REPORT_LOCKDEP), 1);
	msg = captured_last(SHIM_REPORT_LOCKDEP);
	ck_assert_msg(strstr(msg, "circular"), "%s", msg);
	ck_assert_msg(strstr(msg, "&la") && strstr(msg, "&lb"), "%s", msg);
	ck_assert_msg(strstr(msg, "shims_lockdep_test.c:"), "no sites: %s", msg);
	/* the same inversion again is not reported twice */
	mutex_lock(&lb);
	mutex_lock(&la);
	mutex_unlock(&la);
	mutex_unlock(&lb);
	ck_assert_uint_eq(captured_count(SHIM_REPORT_LOCKDEP), 1);
}
END_TEST

static struct mutex lc;

START_TEST(test_lockdep_transitive_cycle)
{
	capture_reset();
	mutex_init(&la);
	mutex_init(&lb);
	mutex_init(&lc);
	mutex_lock(&la); mutex_lock(&lb); mutex_unlock(&lb); mutex_unlock(&la);
	mutex_lock(&lb); mutex_lock(&lc); mutex_unlock(&lc); mutex_unlock(&lb);
	ck_assert_uint_eq(captured_count(SHIM_REPORT_LOCKDEP), 0);
	mutex_lock(&lc); mutex_lock(&la); mutex_unlock(&la); mutex_unlock(&lc);
	ck_assert_uint_eq(captured_count(SHIM_REPORT_LOCKDEP), 1);
	ck_assert(strstr(captured_last(SHIM_REPORT_LOCKDEP), "&lc"));
}
END_TEST

/* Two locks initialised at one site share a class, as in the kernel. */
static void init_same_class(struct mutex *m)
{
	mutex_init(m);
}

START_TEST(test_lockdep_recursion_and_nesting)
{
	struct mutex m1, m2;

	capture_reset();
	init_same_class(&m1);
	init_same_class(&m2);
	mutex_lock(&m1);
	mutex_lock_nested(&m2, SINGLE_DEPTH_NESTING);
	mutex_unlock(&m2);
	mutex_unlock(&m1);
	ck_assert_uint_eq(captured_count(SHIM_REPORT_LOCKDEP), 0);
	mutex_lock(&m1);
	mutex_lock(&m2);
	mutex_unlock(&m2);
	mutex_unlock(&m1);
	ck_assert_uint_eq(captured_count(SHIM_REPORT_LOCKDEP), 1);
	ck_assert(strstr(captured_last(SHIM_REPORT_LOCKDEP), "recursive"));
	/* recursive read of one class is allowed */
	init_rwsem(&t_sem);
	down_read(&t_sem);
	down_read(&t_sem);
	up_read(&t_sem);
	up_read(&t_sem);
	ck_assert_uint_eq(captured_count(SHIM_REPORT_LOCKDEP), 1);
}
END_TEST

static struct lock_class_key key_inner;

START_TEST(test_lockdep_set_class_reset_enable)
{
	struct mutex m1, m2;

	capture_reset();
	init_same_class(&m1);
	init_same_class(&m2);
	lockdep_set_class(&m2, &key_inner);	/* now a class of its own */
	mutex_lock(&m1);
	mutex_lock(&m2);
	mutex_unlock(&m2);
	mutex_unlock(&m1);
	ck_assert_uint_eq(captured_count(SHIM_REPORT_LOCKDEP), 0);
	/* reset forgets the order m1 -> m2, so m2 -> m1 alone is fine */
	shim_lockdep_reset();
	mutex_lock(&m2);
	mutex_lock(&m1);
	mutex_unlock(&m1);
	mutex_unlock(&m2);
	ck_assert_uint_eq(captured_count(SHIM_REPORT_LOCKDEP), 0);
	/* with tracking off no edge is learnt or checked... */
	shim_lockdep_enable(false);
	mutex_lock(&m1);
	mutex_lock(&m2);
	mutex_unlock(&m2);
	mutex_unlock(&m1);
	ck_assert_uint_eq(captured_count(SHIM_REPORT_LOCKDEP), 0);
	/* ...but assert_held still works */
	lockdep_assert_held(&m1);
	ck_assert_uint_eq(captured_count(SHIM_REPORT_LOCKDEP), 1);
	shim_lockdep_enable(true);
	mutex_lock(&m1);
	mutex_lock(&m2);
	mutex_unlock(&m2);
	mutex_unlock(&m1);
	ck_assert_uint_eq(captured_count(SHIM_REPORT_LOCKDEP), 2);
	ck_assert(strstr(captured_last(SHIM_REPORT_LOCKDEP), "key_inner"));
}
END_TEST

static DEFINE_SRCU(t_srcu);
static DEFINE_MUTEX(t_slots_lock);

/* Spec 7.1: memslot updates synchronize_srcu under slots_lock, so SRCU
 * readers must never wait for slots_lock. */
START_TEST(test_lockdep_srcu_sync_under_reader_lock)
{
	int idx;

	capture_reset();
	/* a reader taking slots_lock inside, and slots_lock then srcu read: fine */
	idx = srcu_read_lock(&t_srcu);
	mutex_lock(&t_slots_lock);
	mutex_unlock(&t_slots_lock);
	srcu_read_unlock(&t_srcu, idx);
	mutex_lock(&t_slots_lock);
	idx = srcu_read_lock(&t_srcu);
	srcu_read_unlock(&t_srcu, idx);
	mutex_unlock(&t_slots_lock);
	ck_assert_uint_eq(captured_count(SHIM_REPORT_LOCKDEP), 0);
	/* ...but synchronize_srcu under slots_lock now closes a cycle */
	mutex_lock(&t_slots_lock);
	synchronize_srcu(&t_srcu);
	mutex_unlock(&t_slots_lock);
	ck_assert_uint_eq(captured_count(SHIM_REPORT_LOCKDEP), 1);
	ck_assert(strstr(captured_last(SHIM_REPORT_LOCKDEP), "t_slots_lock"));
	ck_assert(strstr(captured_last(SHIM_REPORT_LOCKDEP), "t_srcu"));
	/* synchronize_srcu inside its own read section */
	idx = srcu_read_lock(&t_srcu);
	ck_assert(srcu_read_lock_held(&t_srcu));
	shim_lock_sync(&t_srcu.dep_map, &t_srcu, "test");	/* the check alone: no wait */
	srcu_read_unlock(&t_srcu, idx);
	ck_assert_uint_eq(captured_count(SHIM_REPORT_LOCKDEP), 2);
	ck_assert(strstr(captured_last(SHIM_REPORT_LOCKDEP), "inside a read section"));
}
END_TEST

/* Many threads teaching lockdep new classes and edges at once (TSan food). */
#define NORDER 8
static struct mutex order_locks[NORDER] = {
	__MUTEX_INITIALIZER(order0), __MUTEX_INITIALIZER(order1),
	__MUTEX_INITIALIZER(order2), __MUTEX_INITIALIZER(order3),
	__MUTEX_INITIALIZER(order4), __MUTEX_INITIALIZER(order5),
	__MUTEX_INITIALIZER(order6), __MUTEX_INITIALIZER(order7),
};

static void *order_worker(void *arg)
{
	unsigned int seed = test_seed + (unsigned int)(long)arg;
	int r, a, b;

	for (r = 0; r < 2000; r++) {
		seed = seed * 1103515245u + 12345u;
		a = (seed >> 16) % NORDER;
		b = (seed >> 8) % NORDER;
		if (a == b)
			continue;
		if (a > b)
			swap(a, b);
		mutex_lock(&order_locks[a]);	/* always lower index first */
		mutex_lock(&order_locks[b]);
		mutex_unlock(&order_locks[b]);
		mutex_unlock(&order_locks[a]);
	}
	return NULL;
}

START_TEST(test_lockdep_concurrent_learning)
{
	pthread_t th[NTHREADS];
	long i;

	capture_reset();
	for (i = 0; i < NTHREADS; i++)
		pthread_create(&th[i], NULL, order_worker, (void *)i);
	for (i = 0; i < NTHREADS; i++)
		pthread_join(th[i], NULL);
	ck_assert_uint_eq(captured_count(SHIM_REPORT_LOCKDEP), 0);
	/*
	 * and the graph it learnt is real: the reverse order is caught (8000
	 * random ordered pairs leave no chance of 0 not reaching 7).
	 */
	mutex_lock(&order_locks[NORDER - 1]);
	mutex_lock(&order_locks[0]);
	mutex_unlock(&order_locks[0]);
	mutex_unlock(&order_locks[NORDER - 1]);
	ck_assert_uint_eq(captured_count(SHIM_REPORT_LOCKDEP), 1);
	ck_assert(strstr(captured_last(SHIM_REPORT_LOCKDEP), "order7"));
}
END_TEST

/* lockdep_assert_held*() rows: lock kind, how held, which assert, reports? */
enum { L_MUTEX, L_SPIN, L_RWSEM_R, L_RWSEM_W, L_RWLOCK_R, L_RWLOCK_W, L_NONE };
enum { A_HELD, A_HELD_READ, A_HELD_WRITE, A_NOT_HELD };

static const struct assert_row {
	int hold;	/* L_* taken before the assert, L_NONE: nothing */
	int lock;	/* which lock is asserted: L_MUTEX, L_SPIN, L_RWSEM_*, L_RWLOCK_* */
	int assert;
	bool reports;
} assert_rows[] = {
	{ L_NONE,     L_MUTEX,    A_HELD,       true  },
	{ L_MUTEX,    L_MUTEX,    A_HELD,       false },
	{ L_MUTEX,    L_MUTEX,    A_NOT_HELD,   true  },
	{ L_NONE,     L_MUTEX,    A_NOT_HELD,   false },
	{ L_NONE,     L_SPIN,     A_HELD,       true  },
	{ L_SPIN,     L_SPIN,     A_HELD,       false },
	{ L_RWSEM_R,  L_RWSEM_R,  A_HELD,       false },
	{ L_RWSEM_R,  L_RWSEM_R,  A_HELD_READ,  false },
	{ L_RWSEM_R,  L_RWSEM_R,  A_HELD_WRITE, true  },
	{ L_RWSEM_W,  L_RWSEM_W,  A_HELD_WRITE, false },
	{ L_RWSEM_W,  L_RWSEM_W,  A_HELD_READ,  true  },
	{ L_NONE,     L_RWSEM_R,  A_HELD,       true  },
	{ L_RWLOCK_R, L_RWLOCK_R, A_HELD_READ,  false },
	{ L_RWLOCK_R, L_RWLOCK_R, A_HELD_WRITE, true  },
	{ L_RWLOCK_W, L_RWLOCK_W, A_HELD_WRITE, false },
	{ L_NONE,     L_RWLOCK_W, A_HELD,       true  },
	/* held by some other lock of another type does not count */
	{ L_SPIN,     L_MUTEX,    A_HELD,       true  },
};

static struct mutex a_mutex;
static spinlock_t a_spin;

static void hold(int what, bool take)
{
	switch (what) {
	case L_MUTEX: if (take) mutex_lock(&a_mutex); else mutex_unlock(&a_mutex); break;
	case L_SPIN: if (take) spin_lock(&a_spin); else spin_unlock(&a_spin); break;
	case L_RWSEM_R: if (take) down_read(&t_sem); else up_read(&t_sem); break;
	case L_RWSEM_W: if (take) down_write(&t_sem); else up_write(&t_sem); break;
	case L_RWLOCK_R: if (take) read_lock(&t_rwlock); else read_unlock(&t_rwlock); break;
	case L_RWLOCK_W: if (take) write_lock(&t_rwlock); else write_unlock(&t_rwlock); break;
	}
}

static const void *lock_addr(int what)
{
	switch (what) {
	case L_MUTEX: return &a_mutex;
	case L_SPIN: return &a_spin;
	case L_RWSEM_R: case L_RWSEM_W: return &t_sem;
	default: return &t_rwlock;
	}
}

START_TEST(test_lockdep_assert_table)
{
	const struct assert_row *r = &assert_rows[_i];
	const void *l;

	capture_reset();
	mutex_init(&a_mutex);
	spin_lock_init(&a_spin);
	rw_init_all();
	hold(r->hold, true);
	l = lock_addr(r->lock);
	switch (r->assert) {
	case A_HELD: lockdep_assert_held(l); break;
	case A_HELD_READ: lockdep_assert_held_read(l); break;
	case A_HELD_WRITE: lockdep_assert_held_write(l); break;
	case A_NOT_HELD: lockdep_assert_not_held(l); break;
	}
	hold(r->hold, false);
	ck_assert_msg(captured_count(SHIM_REPORT_LOCKDEP) == (r->reports ? 1 : 0),
		      "row %d: %lu reports (%s)", _i, captured_count(SHIM_REPORT_LOCKDEP),
		      captured_last(SHIM_REPORT_LOCKDEP));
}
END_TEST

static void *assert_held_elsewhere(void *arg)
{
	lockdep_assert_held(&other_mutex);
	return NULL;
}

START_TEST(test_lockdep_assert_other_thread)
{
	pthread_t t;

	/* held by another task does not satisfy lockdep_assert_held() */
	capture_reset();
	mutex_init(&other_mutex);
	mutex_lock(&other_mutex);
	ck_assert(lockdep_is_held(&other_mutex));
	pthread_create(&t, NULL, assert_held_elsewhere, NULL);
	pthread_join(t, NULL);
	ck_assert_uint_eq(captured_count(SHIM_REPORT_LOCKDEP), 1);
	ck_assert(strstr(captured_last(SHIM_REPORT_LOCKDEP), "lockdep_assert_held(&other_mutex)"));
	mutex_unlock(&other_mutex);
	ck_assert(!lockdep_is_held(&other_mutex));
}
END_TEST

/* might_sleep() rows: lock held, sleeping operation, reports? */
enum { S_MIGHT_SLEEP, S_MUTEX, S_DOWN_READ, S_KMALLOC_KERNEL, S_KMALLOC_NOWAIT,
       S_SYNC_SRCU };

static const struct sleep_row {
	int hold;
	int op;
	bool reports;
} sleep_rows[] = {
	{ L_SPIN,     S_MIGHT_SLEEP,    true  },
	{ L_SPIN,     S_MUTEX,          true  },
	{ L_RWLOCK_W, S_DOWN_READ,      true  },
	{ L_RWLOCK_R, S_KMALLOC_KERNEL, true  },
	{ L_RWLOCK_W, S_KMALLOC_NOWAIT, false },
	{ L_RWLOCK_W, S_SYNC_SRCU,      true  },
	{ L_MUTEX,    S_MIGHT_SLEEP,    false },
	{ L_RWSEM_W,  S_KMALLOC_KERNEL, false },
	{ L_NONE,     S_SYNC_SRCU,      false },
};

static struct mutex s_mutex;

START_TEST(test_might_sleep_table)
{
	const struct sleep_row *r = &sleep_rows[_i];
	void *p;

	capture_reset();
	mutex_init(&a_mutex);
	mutex_init(&s_mutex);
	spin_lock_init(&a_spin);
	rw_init_all();
	hold(r->hold, true);
	switch (r->op) {
	case S_MIGHT_SLEEP: might_sleep(); break;
	case S_MUTEX: mutex_lock(&s_mutex); mutex_unlock(&s_mutex); break;
	case S_DOWN_READ: {
		struct rw_semaphore sem;

		init_rwsem(&sem);
		down_read(&sem);
		up_read(&sem);
		break;
	}
	case S_KMALLOC_KERNEL:
		p = kmalloc(8, GFP_KERNEL);
		kfree(p);
		break;
	case S_KMALLOC_NOWAIT:
		p = kmalloc(8, GFP_NOWAIT);
		kfree(p);
		break;
	case S_SYNC_SRCU: synchronize_srcu(&t_srcu); break;
	}
	hold(r->hold, false);
	ck_assert_msg(captured_count(SHIM_REPORT_LOCKDEP) == (r->reports ? 1 : 0),
		      "row %d: %lu reports (%s)", _i, captured_count(SHIM_REPORT_LOCKDEP),
		      captured_last(SHIM_REPORT_LOCKDEP));
	if (r->reports)
		ck_assert(strstr(captured_last(SHIM_REPORT_LOCKDEP), "sleeping"));
}
END_TEST

static struct mutex owner_mutex;
static int owner_state;

static void *owner_thread(void *arg)
{
	mutex_lock(&owner_mutex);
	__atomic_store_n(&owner_state, 1, __ATOMIC_SEQ_CST);
	wait_for(&owner_state, 2);
	mutex_unlock(&owner_mutex);
	return NULL;
}

START_TEST(test_unlock_by_non_owner)
{
	pthread_t t;

	capture_reset();
	mutex_init(&owner_mutex);
	owner_state = 0;
	pthread_create(&t, NULL, owner_thread, NULL);
	ck_assert(wait_for(&owner_state, 1));
	mutex_unlock(&owner_mutex);		/* not ours */
	ck_assert_uint_eq(captured_count(SHIM_REPORT_LOCKDEP), 1);
	ck_assert(strstr(captured_last(SHIM_REPORT_LOCKDEP), "does not own"));
	ck_assert(mutex_is_locked(&owner_mutex));	/* left to its owner */
	__atomic_store_n(&owner_state, 2, __ATOMIC_SEQ_CST);
	pthread_join(t, NULL);
	ck_assert(!mutex_is_locked(&owner_mutex));
	ck_assert_uint_eq(captured_count(SHIM_REPORT_LOCKDEP), 1);
	/* read side: up_read without down_read, write unlock of a free lock */
	rw_init_all();
	up_read(&t_sem);
	ck_assert_uint_eq(captured_count(SHIM_REPORT_LOCKDEP), 2);
	write_unlock(&t_rwlock);
	ck_assert_uint_eq(captured_count(SHIM_REPORT_LOCKDEP), 3);
	ck_assert(!rwsem_is_locked(&t_sem));
}
END_TEST

static Suite *lockdep_suite(void)
{
	Suite *s = suite_create("shims_lockdep");
	TCase *tc = tcase_create("free-running");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_lockdep_abba);
	tcase_add_test(tc, test_lockdep_transitive_cycle);
	tcase_add_test(tc, test_lockdep_recursion_and_nesting);
	tcase_add_test(tc, test_lockdep_set_class_reset_enable);
	tcase_add_test(tc, test_lockdep_concurrent_learning);
	tcase_add_test(tc, test_lockdep_srcu_sync_under_reader_lock);
	tcase_add_loop_test(tc, test_lockdep_assert_table, 0, ARRAY_SIZE(assert_rows));
	tcase_add_test(tc, test_lockdep_assert_other_thread);
	tcase_add_loop_test(tc, test_might_sleep_table, 0, ARRAY_SIZE(sleep_rows));
	tcase_add_test(tc, test_unlock_by_non_owner);
	suite_add_tcase(s, tc);
	return s;
}

int main(int argc, char **argv)
{
	return shims_test_main(argc, argv, lockdep_suite());
}
