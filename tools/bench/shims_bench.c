// SPDX-License-Identifier: GPL-2.0
/*
 * shims_bench: cost of the kernel-shims primitives when free-running
 * (shim_sched == NULL), next to the raw pthread/libc/atomic operation each
 * one wraps, in ns per operation (best of 5 rounds), single thread,
 * uncontended.  Prints only.
 *
 *	shims_bench [-n ITERATIONS]
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include <linux/atomic.h>
#include <linux/mutex.h>
#include <linux/rwsem.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/srcu.h>
#include <shim/slab.h>

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

/* Best of 5 rounds: the machine is shared, the minimum is the cost. */
#define BENCH(label, n, body) do {					\
	double __best = 1e30;						\
	for (int __r = 0; __r < 5; __r++) {				\
		double __t0 = now_ns(), __dt;				\
		for (long __i = 0; __i < (n); __i++) {			\
			body;						\
		}							\
		__dt = (now_ns() - __t0) / (n);				\
		if (__dt < __best)					\
			__best = __dt;					\
	}								\
	printf("%-40s %8.1f ns/op\n", label, __best);			\
} while (0)

static DEFINE_MUTEX(bm);
static DEFINE_MUTEX(bm_outer);
static DEFINE_SPINLOCK(bs);
static DECLARE_RWSEM(bsem);
static DEFINE_RWLOCK(brw);
static DEFINE_SRCU(bsrcu);

int main(int argc, char **argv)
{
	pthread_mutex_t pm = PTHREAD_MUTEX_INITIALIZER;
	pthread_rwlock_t prw = PTHREAD_RWLOCK_INITIALIZER;
	atomic_t a = ATOMIC_INIT(0);
	long n = 2000000, x = 0, raw = 0;
	int opt, idx;

	while ((opt = getopt(argc, argv, "n:")) != -1) {
		if (opt == 'n')
			n = strtol(optarg, NULL, 0);
	}
	printf("shims_bench: free-running, %ld iterations\n", n);
	BENCH("pthread_mutex lock+unlock (raw)", n,
	      { pthread_mutex_lock(&pm); pthread_mutex_unlock(&pm); });
	BENCH("mutex_lock+mutex_unlock", n,
	      { mutex_lock(&bm); mutex_unlock(&bm); });
	mutex_lock(&bm_outer);
	BENCH("  same, nested under another mutex", n,
	      { mutex_lock(&bm); mutex_unlock(&bm); });
	mutex_unlock(&bm_outer);
	BENCH("spin_lock+spin_unlock", n,
	      { spin_lock(&bs); spin_unlock(&bs); });
	BENCH("pthread_rwlock rdlock+unlock (raw)", n,
	      { pthread_rwlock_rdlock(&prw); pthread_rwlock_unlock(&prw); });
	BENCH("down_read+up_read", n,
	      { down_read(&bsem); up_read(&bsem); });
	BENCH("down_write+up_write", n,
	      { down_write(&bsem); up_write(&bsem); });
	BENCH("read_lock+read_unlock (rwlock_t)", n,
	      { read_lock(&brw); read_unlock(&brw); });
	BENCH("srcu_read_lock+srcu_read_unlock", n,
	      { idx = srcu_read_lock(&bsrcu); srcu_read_unlock(&bsrcu, idx); });
	BENCH("synchronize_srcu (no readers)", n / 100,
	      { synchronize_srcu(&bsrcu); });
	BENCH("__atomic_add_fetch (raw)", n,
	      { __atomic_add_fetch(&raw, 1, __ATOMIC_SEQ_CST); });
	BENCH("atomic_inc", n, { atomic_inc(&a); });
	BENCH("READ_ONCE+WRITE_ONCE", n, { WRITE_ONCE(x, READ_ONCE(x) + 1); });
	BENCH("malloc+free 64 B (raw)", n,
	      { void *p = malloc(64); __asm__ __volatile__("" : : "r"(p) : "memory"); free(p); });
	BENCH("kmalloc+kfree 64 B (GFP_KERNEL)", n,
	      { void *p = kmalloc(64, GFP_KERNEL); kfree(p); });
	BENCH("shim_alloc_should_fail", n,
	      { if (shim_alloc_should_fail(GFP_KERNEL, "bench")) abort(); });
	printf("slab live objects after: %lu, atomic %d, x %ld\n",
	       shim_slab_live_objects(), atomic_read(&a), x);
	return 0;
}
