// SPDX-License-Identifier: GPL-2.0
/*
 * kernel-shims SRCU, free-running: synchronize_srcu() waits for a reader
 * that entered before it (and returns once it leaves), nested and
 * interleaved read sections, srcu_dereference checking, and a randomized
 * publish/synchronize/free stress in which a reader must never see a
 * freed object (prints its seed; -s SEED reruns it).
 */
#include <linux/slab.h>
#include <linux/srcu.h>
#include <linux/mutex.h>
#include <shim/slab.h>

#include <sched.h>

#include "shims_common.h"

static struct srcu_struct ss;
static int reader_in, reader_release, sync_done;

static void *early_reader(void *arg)
{
	int idx = srcu_read_lock(&ss);

	__atomic_store_n(&reader_in, 1, __ATOMIC_SEQ_CST);
	while (!__atomic_load_n(&reader_release, __ATOMIC_SEQ_CST))
		usleep(100);
	srcu_read_unlock(&ss, idx);
	return NULL;
}

static void *syncer(void *arg)
{
	synchronize_srcu(&ss);
	__atomic_store_n(&sync_done, 1, __ATOMIC_SEQ_CST);
	return NULL;
}

START_TEST(test_sync_waits_for_earlier_reader)
{
	pthread_t r, s;
	int i;

	capture_reset();
	init_srcu_struct(&ss);
	reader_in = reader_release = sync_done = 0;
	pthread_create(&r, NULL, early_reader, NULL);
	while (!__atomic_load_n(&reader_in, __ATOMIC_SEQ_CST))
		usleep(100);
	pthread_create(&s, NULL, syncer, NULL);
	/* 200 ms with the reader inside: synchronize_srcu must still wait */
	for (i = 0; i < 200; i++) {
		usleep(1000);
		ck_assert_msg(!__atomic_load_n(&sync_done, __ATOMIC_SEQ_CST),
			      "synchronize_srcu returned while an earlier reader was inside");
	}
	__atomic_store_n(&reader_release, 1, __ATOMIC_SEQ_CST);
	pthread_join(r, NULL);
	pthread_join(s, NULL);
	ck_assert(sync_done);
	cleanup_srcu_struct(&ss);
	ck_assert_uint_eq(captured_count(SHIM_REPORT_WARN), 0);
	ck_assert_uint_eq(captured_count(SHIM_REPORT_LOCKDEP), 0);
}
END_TEST

START_TEST(test_sync_without_readers_returns)
{
	capture_reset();
	init_srcu_struct(&ss);
	synchronize_srcu(&ss);
	synchronize_srcu_expedited(&ss);
	synchronize_srcu(&ss);
	ck_assert_uint_eq(captured_count(SHIM_REPORT_LOCKDEP), 0);
}
END_TEST

START_TEST(test_nested_readers)
{
	int a, b, c;

	capture_reset();
	init_srcu_struct(&ss);
	ck_assert(!srcu_read_lock_held(&ss));
	a = srcu_read_lock(&ss);
	b = srcu_read_lock(&ss);
	ck_assert_int_eq(a, b);
	ck_assert(srcu_read_lock_held(&ss));
	srcu_read_unlock(&ss, b);
	ck_assert(srcu_read_lock_held(&ss));
	c = srcu_read_lock(&ss);
	/* unlock out of order, as kvm_vcpu's nested sections may */
	srcu_read_unlock(&ss, a);
	srcu_read_unlock(&ss, c);
	ck_assert(!srcu_read_lock_held(&ss));
	synchronize_srcu(&ss);		/* nobody inside: must not hang */
	/* cleanup with a reader inside warns */
	a = srcu_read_lock(&ss);
	cleanup_srcu_struct(&ss);
	ck_assert_uint_eq(captured_count(SHIM_REPORT_WARN), 1);
	srcu_read_unlock(&ss, a);
	ck_assert_uint_eq(captured_count(SHIM_REPORT_LOCKDEP), 0);
}
END_TEST

static int *published;
static DEFINE_MUTEX(pub_lock);

START_TEST(test_srcu_dereference_check)
{
	int v = 3, idx, *p;

	capture_reset();
	init_srcu_struct(&ss);
	published = &v;
	idx = srcu_read_lock(&ss);
	p = srcu_dereference(published, &ss);
	srcu_read_unlock(&ss, idx);
	ck_assert_ptr_eq(p, &v);
	ck_assert_uint_eq(captured_count(SHIM_REPORT_LOCKDEP), 0);
	/* outside a read section, unless the update-side lock is held */
	mutex_lock(&pub_lock);
	p = srcu_dereference_check(published, &ss, lockdep_is_held(&pub_lock));
	mutex_unlock(&pub_lock);
	ck_assert_uint_eq(captured_count(SHIM_REPORT_LOCKDEP), 0);
	p = srcu_dereference(published, &ss);
	ck_assert_uint_eq(captured_count(SHIM_REPORT_LOCKDEP), 1);
	ck_assert(strstr(captured_last(SHIM_REPORT_LOCKDEP), "srcu_dereference"));
	(void)p;
}
END_TEST

/* ---- stress: readers never see a freed object ---- */

#define OBJ_MAGIC	0x600dcafe
#define STRESS_READERS	3
#define STRESS_UPDATES	300

struct obj {
	unsigned int magic;
	unsigned int gen;
};

static struct obj *cur_obj;
static int stress_stop, stress_bad;
static long stress_reads, live_reads;

static unsigned int rnd(unsigned int *s)
{
	*s = *s * 1103515245u + 12345u;
	return *s >> 16;
}

static void *stress_reader(void *arg)
{
	unsigned int seed = test_seed ^ (unsigned int)(long)arg;
	long reads = 0;

	while (!__atomic_load_n(&stress_stop, __ATOMIC_SEQ_CST)) {
		int idx = srcu_read_lock(&ss);
		struct obj *o = srcu_dereference(cur_obj, &ss);
		unsigned int spin = rnd(&seed) % 200, i;

		for (i = 0; i < spin; i++)
			__asm__ __volatile__("" ::: "memory");
		if (__atomic_load_n(&o->magic, __ATOMIC_RELAXED) != OBJ_MAGIC)
			__atomic_store_n(&stress_bad, 1, __ATOMIC_SEQ_CST);
		srcu_read_unlock(&ss, idx);
		reads++;
		__atomic_add_fetch(&live_reads, 1, __ATOMIC_SEQ_CST);
	}
	__atomic_add_fetch(&stress_reads, reads, __ATOMIC_SEQ_CST);
	return NULL;
}

START_TEST(test_srcu_stress)
{
	pthread_t th[STRESS_READERS];
	struct shim_slab_ctx sctx;
	struct shim_ctx c = { .slab = &sctx };
	long i;

	capture_reset();
	shim_slab_ctx_init(&sctx);
	shim_ctx = &c;
	init_srcu_struct(&ss);
	cur_obj = kzalloc(sizeof(*cur_obj), GFP_KERNEL);
	cur_obj->magic = OBJ_MAGIC;
	stress_stop = stress_bad = 0;
	stress_reads = 0;
	live_reads = 0;
	for (i = 0; i < STRESS_READERS; i++)
		pthread_create(&th[i], NULL, stress_reader, (void *)i);
	for (i = 0; i < STRESS_UPDATES; i++) {
		struct obj *n, *old;
		long seen = __atomic_load_n(&live_reads, __ATOMIC_SEQ_CST);

		/* Let readers make progress between updates, however loaded the machine. */
		while (__atomic_load_n(&live_reads, __ATOMIC_SEQ_CST) == seen)
			sched_yield();
		n = kzalloc(sizeof(*n), GFP_KERNEL);

		n->magic = OBJ_MAGIC;
		n->gen = i + 1;
		mutex_lock(&pub_lock);
		old = cur_obj;
		rcu_assign_pointer(cur_obj, n);
		mutex_unlock(&pub_lock);
		synchronize_srcu(&ss);
		/* no reader can still see @old: poison it (kfree does) */
		kfree(old);
	}
	__atomic_store_n(&stress_stop, 1, __ATOMIC_SEQ_CST);
	for (i = 0; i < STRESS_READERS; i++)
		pthread_join(th[i], NULL);
	kfree(cur_obj);
	ck_assert_msg(!stress_bad, "a reader saw a freed object (seed %u)", test_seed);
	ck_assert_uint_eq(shim_slab_check(), 0);
	ck_assert_uint_eq(captured_count(SHIM_REPORT_SLAB), 0);
	ck_assert_uint_eq(captured_count(SHIM_REPORT_LOCKDEP), 0);
	ck_assert_int_ge(stress_reads, STRESS_UPDATES);
	shim_slab_ctx_destroy(&sctx);
	shim_ctx = NULL;
}
END_TEST

static Suite *srcu_suite(void)
{
	Suite *s = suite_create("shims_srcu");
	TCase *tc = tcase_create("free-running");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_sync_waits_for_earlier_reader);
	tcase_add_test(tc, test_sync_without_readers_returns);
	tcase_add_test(tc, test_nested_readers);
	tcase_add_test(tc, test_srcu_dereference_check);
	tcase_add_test(tc, test_srcu_stress);
	suite_add_tcase(s, tc);
	return s;
}

int main(int argc, char **argv)
{
	return shims_test_main(argc, argv, srcu_suite());
}
