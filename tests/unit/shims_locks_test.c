// SPDX-License-Identifier: GPL-2.0
/*
 * kernel-shims locks and lockdep, free-running with real threads:
 * mutex/rwsem/rwlock exclusion, reader overlap, trylock, downgrade,
 * killable waits, and every lockdep report (order inversion, recursion,
 * SRCU sync under a lock readers take, assert_held, might_sleep,
 * bad unlocks).
 */
#include <linux/errno.h>
#include <linux/mutex.h>
#include <linux/rwsem.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/srcu.h>

#include "shims_common.h"

#ifdef GMEMSIM_TSAN
/*
 * The lockdep tests take real mutexes in both orders on purpose (one
 * thread, so nothing can deadlock); TSan's own deadlock detector rightly
 * sees the inversion.  Silence it for exactly those tests.
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
#define ITERS		20000

/* Spin (yielding) until @p becomes @want or ~5 s pass. */
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

/* ---- mutual exclusion ---- */

static struct mutex excl_mutex;
static long excl_counter;
static int excl_inside, excl_max_inside;

static void note_inside(int *inside, int *max_inside)
{
	int now = __atomic_add_fetch(inside, 1, __ATOMIC_SEQ_CST);
	int max = __atomic_load_n(max_inside, __ATOMIC_SEQ_CST);

	while (now > max &&
	       !__atomic_compare_exchange_n(max_inside, &max, now, false,
					    __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
		;
}

static void *mutex_worker(void *arg)
{
	int i;

	for (i = 0; i < ITERS; i++) {
		mutex_lock(&excl_mutex);
		note_inside(&excl_inside, &excl_max_inside);
		excl_counter++;		/* plain: TSan checks the mutex orders it */
		__atomic_sub_fetch(&excl_inside, 1, __ATOMIC_SEQ_CST);
		mutex_unlock(&excl_mutex);
	}
	return NULL;
}

START_TEST(test_mutex_exclusion)
{
	pthread_t th[NTHREADS];
	int i;

	capture_reset();
	mutex_init(&excl_mutex);
	excl_counter = 0;
	excl_inside = excl_max_inside = 0;
	for (i = 0; i < NTHREADS; i++)
		ck_assert_int_eq(pthread_create(&th[i], NULL, mutex_worker, NULL), 0);
	for (i = 0; i < NTHREADS; i++)
		pthread_join(th[i], NULL);
	ck_assert_int_eq(excl_counter, (long)NTHREADS * ITERS);
	ck_assert_int_eq(excl_max_inside, 1);
	ck_assert(!mutex_is_locked(&excl_mutex));
	ck_assert_uint_eq(captured_count(SHIM_REPORT_LOCKDEP), 0);
}
END_TEST

static DEFINE_SPINLOCK(excl_spin);

static void *spin_worker(void *arg)
{
	int i;

	for (i = 0; i < ITERS; i++) {
		spin_lock(&excl_spin);
		note_inside(&excl_inside, &excl_max_inside);
		excl_counter++;
		__atomic_sub_fetch(&excl_inside, 1, __ATOMIC_SEQ_CST);
		spin_unlock(&excl_spin);
	}
	return NULL;
}

START_TEST(test_spinlock_exclusion)
{
	pthread_t th[NTHREADS];
	int i;

	capture_reset();
	excl_counter = 0;
	excl_inside = excl_max_inside = 0;
	for (i = 0; i < NTHREADS; i++)
		ck_assert_int_eq(pthread_create(&th[i], NULL, spin_worker, NULL), 0);
	for (i = 0; i < NTHREADS; i++)
		pthread_join(th[i], NULL);
	ck_assert_int_eq(excl_counter, (long)NTHREADS * ITERS);
	ck_assert_int_eq(excl_max_inside, 1);
	ck_assert_uint_eq(captured_count(SHIM_REPORT_LOCKDEP), 0);
}
END_TEST

/* ---- reader/writer locks, one body per lock type (table) ---- */

struct rw_impl {
	const char *name;
	void (*rlock)(void), (*runlock)(void), (*wlock)(void), (*wunlock)(void);
	int (*rtry)(void), (*wtry)(void);
};

static struct rw_semaphore t_sem;
static rwlock_t t_rwlock;

static void sem_r(void) { down_read(&t_sem); }
static void sem_ru(void) { up_read(&t_sem); }
static void sem_w(void) { down_write(&t_sem); }
static void sem_wu(void) { up_write(&t_sem); }
static int sem_rt(void) { return down_read_trylock(&t_sem); }
static int sem_wt(void) { return down_write_trylock(&t_sem); }
static void rwl_r(void) { read_lock(&t_rwlock); }
static void rwl_ru(void) { read_unlock(&t_rwlock); }
static void rwl_w(void) { write_lock(&t_rwlock); }
static void rwl_wu(void) { write_unlock(&t_rwlock); }
static int rwl_rt(void) { return read_trylock(&t_rwlock); }
static int rwl_wt(void) { return write_trylock(&t_rwlock); }

static const struct rw_impl rw_impls[] = {
	{ "rw_semaphore", sem_r, sem_ru, sem_w, sem_wu, sem_rt, sem_wt },
	{ "rwlock_t", rwl_r, rwl_ru, rwl_w, rwl_wu, rwl_rt, rwl_wt },
};

static void rw_init_all(void)
{
	init_rwsem(&t_sem);
	rwlock_init(&t_rwlock);
}

static const struct rw_impl *cur_rw;
static int rw_readers_in, rw_writers_in, rw_overlap_seen, rw_violation;

static void *overlap_reader(void *arg)
{
	cur_rw->rlock();
	__atomic_add_fetch(&rw_readers_in, 1, __ATOMIC_SEQ_CST);
	/* Both readers inside at once proves they share the lock. */
	if (wait_for(&rw_readers_in, 2))
		__atomic_store_n(&rw_overlap_seen, 1, __ATOMIC_SEQ_CST);
	cur_rw->runlock();
	return NULL;
}

START_TEST(test_rw_readers_overlap)
{
	pthread_t a, b;

	capture_reset();
	rw_init_all();
	cur_rw = &rw_impls[_i];
	rw_readers_in = rw_overlap_seen = 0;
	pthread_create(&a, NULL, overlap_reader, NULL);
	pthread_create(&b, NULL, overlap_reader, NULL);
	pthread_join(a, NULL);
	pthread_join(b, NULL);
	ck_assert_msg(rw_overlap_seen, "%s: two readers never inside together", cur_rw->name);
	ck_assert_uint_eq(captured_count(SHIM_REPORT_LOCKDEP), 0);
}
END_TEST

static void *mixed_worker(void *arg)
{
	long id = (long)arg;
	int i;

	for (i = 0; i < ITERS / 4; i++) {
		if ((i + id) % 4 == 0) {
			cur_rw->wlock();
			if (__atomic_add_fetch(&rw_writers_in, 1, __ATOMIC_SEQ_CST) != 1 ||
			    __atomic_load_n(&rw_readers_in, __ATOMIC_SEQ_CST))
				__atomic_store_n(&rw_violation, 1, __ATOMIC_SEQ_CST);
			__atomic_sub_fetch(&rw_writers_in, 1, __ATOMIC_SEQ_CST);
			cur_rw->wunlock();
		} else {
			cur_rw->rlock();
			__atomic_add_fetch(&rw_readers_in, 1, __ATOMIC_SEQ_CST);
			if (__atomic_load_n(&rw_writers_in, __ATOMIC_SEQ_CST))
				__atomic_store_n(&rw_violation, 1, __ATOMIC_SEQ_CST);
			__atomic_sub_fetch(&rw_readers_in, 1, __ATOMIC_SEQ_CST);
			cur_rw->runlock();
		}
	}
	return NULL;
}

START_TEST(test_rw_writer_exclusive)
{
	pthread_t th[NTHREADS];
	long i;

	capture_reset();
	rw_init_all();
	cur_rw = &rw_impls[_i];
	rw_readers_in = rw_writers_in = rw_violation = 0;
	for (i = 0; i < NTHREADS; i++)
		pthread_create(&th[i], NULL, mixed_worker, (void *)i);
	for (i = 0; i < NTHREADS; i++)
		pthread_join(th[i], NULL);
	ck_assert_msg(!rw_violation, "%s: writer shared the lock", cur_rw->name);
	ck_assert_uint_eq(captured_count(SHIM_REPORT_LOCKDEP), 0);
}
END_TEST

static int try_result;

static void *try_read_thread(void *arg)
{
	try_result = cur_rw->rtry();
	if (try_result)
		cur_rw->runlock();
	return NULL;
}

static void *try_write_thread(void *arg)
{
	try_result = cur_rw->wtry();
	if (try_result)
		cur_rw->wunlock();
	return NULL;
}

static int try_in_thread(void *(*fn)(void *))
{
	pthread_t t;

	pthread_create(&t, NULL, fn, NULL);
	pthread_join(t, NULL);
	return try_result;
}

START_TEST(test_rw_trylock_table)
{
	capture_reset();
	rw_init_all();
	cur_rw = &rw_impls[_i];
	/* free: both succeed */
	ck_assert_int_eq(try_in_thread(try_read_thread), 1);
	ck_assert_int_eq(try_in_thread(try_write_thread), 1);
	/* read-held: read yes, write no */
	cur_rw->rlock();
	ck_assert_int_eq(try_in_thread(try_read_thread), 1);
	ck_assert_int_eq(try_in_thread(try_write_thread), 0);
	cur_rw->runlock();
	/* write-held: neither */
	cur_rw->wlock();
	ck_assert_int_eq(try_in_thread(try_read_thread), 0);
	ck_assert_int_eq(try_in_thread(try_write_thread), 0);
	cur_rw->wunlock();
	ck_assert_uint_eq(captured_count(SHIM_REPORT_LOCKDEP), 0);
}
END_TEST

START_TEST(test_rwsem_downgrade)
{
	capture_reset();
	rw_init_all();
	cur_rw = &rw_impls[0];
	down_write(&t_sem);
	lockdep_assert_held_write(&t_sem);
	downgrade_write(&t_sem);
	lockdep_assert_held_read(&t_sem);
	/* Other readers may now enter, writers may not. */
	ck_assert_int_eq(try_in_thread(try_read_thread), 1);
	ck_assert_int_eq(try_in_thread(try_write_thread), 0);
	up_read(&t_sem);
	ck_assert_int_eq(try_in_thread(try_write_thread), 1);
	ck_assert_uint_eq(captured_count(SHIM_REPORT_LOCKDEP), 0);
}
END_TEST

static struct mutex kill_mutex;
static int kill_ret, kill_holding, kill_release;
static struct shim_task kill_task = { .tid = 7, .name = "killed" };

static void *killable_waiter(void *arg)
{
	shim_task_enter(&kill_task);
	shim_task_set_signal(&kill_task, SHIM_SIGNAL_FATAL);
	kill_ret = mutex_lock_killable(&kill_mutex);
	if (!kill_ret)
		mutex_unlock(&kill_mutex);
	shim_task_set_signal(&kill_task, 0);
	shim_task_exit();
	return NULL;
}

START_TEST(test_mutex_lock_killable)
{
	pthread_t t;

	capture_reset();
	mutex_init(&kill_mutex);
	/* uncontended: the signal does not matter */
	pthread_create(&t, NULL, killable_waiter, NULL);
	pthread_join(t, NULL);
	ck_assert_int_eq(kill_ret, 0);
	/* contended with a fatal signal pending: -EINTR, lock untouched */
	mutex_lock(&kill_mutex);
	pthread_create(&t, NULL, killable_waiter, NULL);
	pthread_join(t, NULL);
	ck_assert_int_eq(kill_ret, -EINTR);
	ck_assert(mutex_is_locked(&kill_mutex));
	mutex_unlock(&kill_mutex);
	ck_assert_int_eq(kill_task.nheld, 0);
	ck_assert_uint_eq(captured_count(SHIM_REPORT_LOCKDEP), 0);
	(void)kill_holding;
	(void)kill_release;
}
END_TEST

/* ---- lockdep ---- */

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
	ck_assert_msg(strstr(msg, "shims_locks_test.c:"), "no sites: %s", msg);
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
	lockdep_assert_held(&kill_mutex);
	return NULL;
}

START_TEST(test_lockdep_assert_other_thread)
{
	pthread_t t;

	/* held by another task does not satisfy lockdep_assert_held() */
	capture_reset();
	mutex_init(&kill_mutex);
	mutex_lock(&kill_mutex);
	ck_assert(lockdep_is_held(&kill_mutex));
	pthread_create(&t, NULL, assert_held_elsewhere, NULL);
	pthread_join(t, NULL);
	ck_assert_uint_eq(captured_count(SHIM_REPORT_LOCKDEP), 1);
	ck_assert(strstr(captured_last(SHIM_REPORT_LOCKDEP), "lockdep_assert_held(&kill_mutex)"));
	mutex_unlock(&kill_mutex);
	ck_assert(!lockdep_is_held(&kill_mutex));
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

static Suite *locks_suite(void)
{
	Suite *s = suite_create("shims_locks");
	TCase *tc = tcase_create("free-running");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_mutex_exclusion);
	tcase_add_test(tc, test_spinlock_exclusion);
	tcase_add_loop_test(tc, test_rw_readers_overlap, 0, ARRAY_SIZE(rw_impls));
	tcase_add_loop_test(tc, test_rw_writer_exclusive, 0, ARRAY_SIZE(rw_impls));
	tcase_add_loop_test(tc, test_rw_trylock_table, 0, ARRAY_SIZE(rw_impls));
	tcase_add_test(tc, test_rwsem_downgrade);
	tcase_add_test(tc, test_mutex_lock_killable);
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
	return shims_test_main(argc, argv, locks_suite());
}
