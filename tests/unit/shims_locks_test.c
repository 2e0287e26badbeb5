// SPDX-License-Identifier: GPL-2.0
/*
 * kernel-shims locks, free-running with real threads: mutex/spinlock/
 * rwsem/rwlock exclusion, reader overlap, trylock, downgrade, killable and
 * interruptible waits.  Lockdep's reports: shims_lockdep_test.c.
 */
#include <linux/errno.h>
#include <linux/mutex.h>
#include <linux/rwsem.h>
#include <linux/sched/signal.h>
#include <linux/spinlock.h>

#include "shims_common.h"

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
static int kill_ret;
static struct shim_task kill_task = { .tid = 7, .name = "killed" };

/* Interruptible-wait rows: pending signal, which lock call, contended?, result. */
enum { K_MUTEX_KILLABLE, K_MUTEX_INTERRUPTIBLE, K_DOWN_READ_KILLABLE,
       K_DOWN_WRITE_KILLABLE, K_DOWN_READ_INTERRUPTIBLE };

static const struct intr_row {
	unsigned int signal;
	int call;
	bool contended;
	int ret;
} intr_rows[] = {
	{ SHIM_SIGNAL_FATAL,   K_MUTEX_KILLABLE,          false, 0 },
	{ SHIM_SIGNAL_FATAL,   K_MUTEX_KILLABLE,          true,  -EINTR },
	{ SHIM_SIGNAL_PENDING, K_MUTEX_KILLABLE,          true,  0 },	/* waits */
	{ SHIM_SIGNAL_PENDING, K_MUTEX_INTERRUPTIBLE,     true,  -EINTR },
	{ 0,                   K_MUTEX_INTERRUPTIBLE,     true,  0 },	/* waits */
	{ SHIM_SIGNAL_FATAL,   K_DOWN_READ_KILLABLE,      true,  -EINTR },
	{ SHIM_SIGNAL_FATAL,   K_DOWN_WRITE_KILLABLE,     true,  -EINTR },
	{ SHIM_SIGNAL_PENDING, K_DOWN_WRITE_KILLABLE,     true,  0 },	/* waits */
	{ SHIM_SIGNAL_PENDING, K_DOWN_READ_INTERRUPTIBLE, true,  -EINTR },
	{ SHIM_SIGNAL_FATAL,   K_DOWN_READ_INTERRUPTIBLE, false, 0 },
};

static const struct intr_row *cur_intr;
static int intr_started;

static void *intr_waiter(void *arg)
{
	shim_task_enter(&kill_task);
	shim_task_set_signal(&kill_task, cur_intr->signal);
	__atomic_store_n(&intr_started, 1, __ATOMIC_SEQ_CST);
	switch (cur_intr->call) {
	case K_MUTEX_KILLABLE: kill_ret = mutex_lock_killable(&kill_mutex); break;
	case K_MUTEX_INTERRUPTIBLE: kill_ret = mutex_lock_interruptible(&kill_mutex); break;
	case K_DOWN_READ_KILLABLE: kill_ret = down_read_killable(&t_sem); break;
	case K_DOWN_WRITE_KILLABLE: kill_ret = down_write_killable(&t_sem); break;
	case K_DOWN_READ_INTERRUPTIBLE: kill_ret = down_read_interruptible(&t_sem); break;
	}
	if (!kill_ret) {
		if (cur_intr->call <= K_MUTEX_INTERRUPTIBLE)
			mutex_unlock(&kill_mutex);
		else if (cur_intr->call == K_DOWN_WRITE_KILLABLE)
			up_write(&t_sem);
		else
			up_read(&t_sem);
	}
	shim_task_set_signal(&kill_task, 0);
	shim_task_exit();
	return NULL;
}

START_TEST(test_interruptible_waits_table)
{
	const struct intr_row *r = &intr_rows[_i];
	bool rw = r->call > K_MUTEX_INTERRUPTIBLE;
	pthread_t t;

	capture_reset();
	mutex_init(&kill_mutex);
	rw_init_all();
	cur_intr = r;
	intr_started = 0;
	kill_ret = 1;
	if (r->contended) {
		if (rw)
			down_write(&t_sem);
		else
			mutex_lock(&kill_mutex);
	}
	pthread_create(&t, NULL, intr_waiter, NULL);
	ck_assert(wait_for(&intr_started, 1));
	usleep(20000);		/* a waiter that should wait is now waiting */
	if (r->contended) {
		if (rw)
			up_write(&t_sem);
		else
			mutex_unlock(&kill_mutex);
	}
	pthread_join(t, NULL);
	ck_assert_msg(kill_ret == r->ret, "row %d: %d", _i, kill_ret);
	ck_assert(!mutex_is_locked(&kill_mutex));
	ck_assert(!rwsem_is_locked(&t_sem));
	ck_assert_int_eq(kill_task.nheld, 0);
	ck_assert_uint_eq(captured_count(SHIM_REPORT_LOCKDEP), 0);
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
	tcase_add_loop_test(tc, test_interruptible_waits_table, 0, ARRAY_SIZE(intr_rows));
	suite_add_tcase(s, tc);
	return s;
}

int main(int argc, char **argv)
{
	return shims_test_main(argc, argv, locks_suite());
}
