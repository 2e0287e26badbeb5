// SPDX-License-Identifier: GPL-2.0
/*
 * Sleepable RCU, after kernel/rcu/srcutiny.c and the classic two-counter
 * srcu.c (v7.1 semantics, not its implementation).
 *
 * Readers: increment ctr[idx & 1], return that index; never wait.
 * synchronize_srcu(): (1) wait until the counter readers are *not* using
 * drains (readers that read the index just before the previous flip may
 * still be counted there), (2) flip the index, (3) wait until the old
 * counter drains.  Each counter is seen at zero at some instant after the
 * call started, so every reader that had entered before it has left.
 * Synchronizers are serialised.  Counters are sequentially consistent
 * atomics, with full barriers where the kernel has its smp_mb()s.
 */
#include <errno.h>
#include <string.h>
#include <time.h>

#include <linux/bug.h>
#include <linux/kernel.h>
#include <linux/srcu.h>

int __init_srcu_struct(struct srcu_struct *ssp, const char *name,
		       struct lock_class_key *key)
{
	ssp->idx = 0;
	ssp->ctr[0] = 0;
	ssp->ctr[1] = 0;
	ssp->sync_waiters = 0;
	ssp->sync_busy = false;
	pthread_mutex_init(&ssp->sync_mu, NULL);
	pthread_mutex_init(&ssp->mu, NULL);
	pthread_cond_init(&ssp->cv, NULL);
	shim_lockdep_init_map(&ssp->dep_map, name, key, SHIM_WAIT_NONE);
	return 0;
}

void cleanup_srcu_struct(struct srcu_struct *ssp)
{
	long r0 = __atomic_load_n(&ssp->ctr[0], __ATOMIC_SEQ_CST);
	long r1 = __atomic_load_n(&ssp->ctr[1], __ATOMIC_SEQ_CST);

	WARN(r0 || r1, "cleanup_srcu_struct(%s) with %ld readers inside",
	     ssp->dep_map.name ? ssp->dep_map.name : "?", r0 + r1);
}

int shim_srcu_read_lock(struct srcu_struct *ssp, const char *site)
{
	int idx;

	shim_point(SHIM_OP_SRCU_READ_LOCK, ssp, site);
	shim_lock_acquire(&ssp->dep_map, ssp, 0, SHIM_ACQ_SHARED_NB, false, site);
	idx = __atomic_load_n(&ssp->idx, __ATOMIC_SEQ_CST) & 1;
	__atomic_add_fetch(&ssp->ctr[idx], 1, __ATOMIC_SEQ_CST);
	/*
	 * Order the count before the section's loads, pairing with the full
	 * barrier in synchronize_srcu() (the kernel's smp_mb() B): either the
	 * synchronizer sees this reader, or this reader sees what the updater
	 * published before synchronizing.
	 */
	smp_mb();
	return idx;
}

void shim_srcu_read_unlock(struct srcu_struct *ssp, int idx, const char *site)
{
	const struct shim_sched_ops *s = shim_sched;

	shim_point(SHIM_OP_SRCU_READ_UNLOCK, ssp, site);
	shim_lock_release(&ssp->dep_map, ssp, site);
	if (WARN_ON_ONCE(idx & ~1))
		return;
	/* The section's accesses happen before the count drops (smp_mb() C). */
	smp_mb();
	if (__atomic_sub_fetch(&ssp->ctr[idx], 1, __ATOMIC_SEQ_CST))
		return;
	if (s) {
		if (ssp->sync_busy)
			s->wake(ssp);
	} else if (__atomic_load_n(&ssp->sync_waiters, __ATOMIC_SEQ_CST)) {
		/* Under mu, so a synchronizer between its check and its wait cannot miss it. */
		pthread_mutex_lock(&ssp->mu);
		pthread_cond_broadcast(&ssp->cv);
		pthread_mutex_unlock(&ssp->mu);
	}
}

static void wait_drained(struct srcu_struct *ssp, int idx, const char *site)
{
	const struct shim_sched_ops *s = shim_sched;

	if (s) {
		while (__atomic_load_n(&ssp->ctr[idx], __ATOMIC_SEQ_CST))
			s->block(SHIM_OP_SYNCHRONIZE_SRCU, ssp, site);
		return;
	}
	pthread_mutex_lock(&ssp->mu);
	__atomic_add_fetch(&ssp->sync_waiters, 1, __ATOMIC_SEQ_CST);
	while (__atomic_load_n(&ssp->ctr[idx], __ATOMIC_SEQ_CST)) {
		struct timespec ts;

		/* The timeout is only a safety net; readers broadcast. */
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += 10 * 1000 * 1000;
		if (ts.tv_nsec >= 1000000000L) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&ssp->cv, &ssp->mu, &ts);
	}
	__atomic_sub_fetch(&ssp->sync_waiters, 1, __ATOMIC_SEQ_CST);
	pthread_mutex_unlock(&ssp->mu);
}

void shim_synchronize_srcu(struct srcu_struct *ssp, const char *site)
{
	const struct shim_sched_ops *s = shim_sched;
	unsigned long idx;

	shim_might_sleep(site);
	if (s)
		shim_sched_point(s, SHIM_OP_SYNCHRONIZE_SRCU, ssp, site);
	shim_lock_sync(&ssp->dep_map, ssp, site);

	if (s) {
		while (ssp->sync_busy)
			s->block(SHIM_OP_SYNCHRONIZE_SRCU, &ssp->sync_busy, site);
		ssp->sync_busy = true;
	} else {
		pthread_mutex_lock(&ssp->sync_mu);
	}

	/* The update before this call is visible to readers counted after it. */
	smp_mb();
	idx = __atomic_load_n(&ssp->idx, __ATOMIC_SEQ_CST);
	wait_drained(ssp, (idx + 1) & 1, site);
	__atomic_store_n(&ssp->idx, idx + 1, __ATOMIC_SEQ_CST);
	wait_drained(ssp, idx & 1, site);

	if (s) {
		ssp->sync_busy = false;
		s->wake(&ssp->sync_busy);
	} else {
		pthread_mutex_unlock(&ssp->sync_mu);
	}
}

void shim_srcu_check(const struct srcu_struct *ssp, bool c, const char *expr,
		     const char *site)
{
	if (c || shim_lock_is_held(ssp, SHIM_HELD_SHARED))
		return;
	shim_report(SHIM_REPORT_LOCKDEP, site, 0,
		    "suspicious srcu_dereference_check(%s) usage: not inside a read section of %s",
		    expr, ssp->dep_map.name ? ssp->dep_map.name : "?");
}
