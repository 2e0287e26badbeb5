/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Models include/linux/srcu.h (v7.1) with the classic two-counter SRCU:
 * a reader increments the counter of the current index and returns the
 * index; synchronize_srcu() waits for the inactive counter to drain, flips
 * the index and waits for the old one to drain, so every reader that was
 * inside before it started has left when it returns.  Readers never wait.
 *
 * For lockdep a read section is a shared non-waiting hold of the srcu_struct
 * and synchronize_srcu() an exclusive acquire+release of it: holding a lock
 * that some reader waits for across synchronize_srcu() is a reported cycle.
 */
#ifndef _LINUX_SRCU_H
#define _LINUX_SRCU_H

#include <pthread.h>
#include <linux/compiler.h>
#include <linux/lockdep.h>
#include <shim/sched.h>

struct srcu_struct {
	unsigned long idx;		/* low bit selects the readers' counter */
	long ctr[2];			/* readers inside per index (__atomic) */
	int sync_waiters;		/* free-running: synchronizers parked on cv */
	bool sync_busy;			/* controlled: a synchronizer is running */
	pthread_mutex_t sync_mu;	/* free-running: serialises synchronizers */
	pthread_mutex_t mu;		/* free-running: protects cv */
	pthread_cond_t cv;
	struct lockdep_map dep_map;
};

#define __SRCU_STRUCT_INIT(name) {					\
	.sync_mu = PTHREAD_MUTEX_INITIALIZER,				\
	.mu = PTHREAD_MUTEX_INITIALIZER,				\
	.cv = PTHREAD_COND_INITIALIZER,					\
	.dep_map = SHIM_LOCKDEP_MAP_INIT(#name, SHIM_WAIT_NONE),	\
}
#define DEFINE_SRCU(name)	struct srcu_struct name = __SRCU_STRUCT_INIT(name)
#define DEFINE_STATIC_SRCU(name) static DEFINE_SRCU(name)

/**
 * __init_srcu_struct() - Initialise an srcu_struct at run time.
 * @ssp: the srcu_struct.
 * @name: printable name.
 * @key: static lockdep class key.
 *
 * Context: @ssp is not in use.
 * Return: 0.
 */
int __init_srcu_struct(struct srcu_struct *ssp, const char *name,
		       struct lock_class_key *key);
#define init_srcu_struct(ssp) ({					\
	static struct lock_class_key __srcu_key;			\
	__init_srcu_struct((ssp), #ssp, &__srcu_key);			\
})

/**
 * cleanup_srcu_struct() - Tear down an srcu_struct.
 * @ssp: the srcu_struct.
 *
 * Context: no reader may be inside (WARNs otherwise).
 */
void cleanup_srcu_struct(struct srcu_struct *ssp);

/**
 * shim_srcu_read_lock() - Enter a read section.
 * @ssp: the srcu_struct.
 * @site: "file:line" of the caller.
 *
 * Context: never blocks; a scheduling point (SHIM_OP_SRCU_READ_LOCK).
 * Return: the index to pass to srcu_read_unlock().
 */
int shim_srcu_read_lock(struct srcu_struct *ssp, const char *site);

/**
 * shim_srcu_read_unlock() - Leave a read section.
 * @ssp: the srcu_struct.
 * @idx: what the matching srcu_read_lock() returned.
 * @site: "file:line" of the caller.
 *
 * Context: never blocks; wakes a waiting synchronize_srcu().
 */
void shim_srcu_read_unlock(struct srcu_struct *ssp, int idx, const char *site);

/**
 * shim_synchronize_srcu() - Wait for every pre-existing reader of @ssp.
 * @ssp: the srcu_struct.
 * @site: "file:line" of the caller.
 *
 * Context: sleeps (might_sleep()); must not be called inside a read section
 * of @ssp (lockdep reports it).
 */
void shim_synchronize_srcu(struct srcu_struct *ssp, const char *site);

#define srcu_read_lock(ssp)		shim_srcu_read_lock((ssp), SHIM_SITE)
#define srcu_read_unlock(ssp, idx)	shim_srcu_read_unlock((ssp), (idx), SHIM_SITE)
#define srcu_read_lock_fast(ssp)	srcu_read_lock(ssp)
#define srcu_read_unlock_fast(ssp, i)	srcu_read_unlock(ssp, i)
#define synchronize_srcu(ssp)		shim_synchronize_srcu((ssp), SHIM_SITE)
#define synchronize_srcu_expedited(ssp)	shim_synchronize_srcu((ssp), SHIM_SITE)
#define srcu_read_lock_held(ssp)	shim_lock_is_held((ssp), SHIM_HELD_SHARED)

/**
 * shim_srcu_check() - Report an srcu_dereference() outside its protection.
 * @ssp: the srcu_struct.
 * @c: the extra condition (e.g. lockdep_is_held(&kvm->slots_lock)).
 * @expr: text of the dereferenced pointer.
 * @site: "file:line" of the caller.
 *
 * Context: any.
 */
void shim_srcu_check(const struct srcu_struct *ssp, bool c, const char *expr,
		     const char *site);

#define srcu_dereference_check(p, ssp, c) ({				\
	shim_srcu_check((ssp), (c), #p, SHIM_SITE);			\
	smp_load_acquire(&(p));						\
})
#define srcu_dereference(p, ssp)	srcu_dereference_check((p), (ssp), 0)

#endif /* _LINUX_SRCU_H */
