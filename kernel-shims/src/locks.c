// SPDX-License-Identifier: GPL-2.0
/*
 * Lock bodies for struct mutex, spinlock_t (exclusive) and struct
 * rw_semaphore, rwlock_t (reader/writer).  Semantics follow
 * kernel/locking/mutex.c, rwsem.c and qrwlock.c (v7.1) as far as a model
 * can see them: exclusive owner, a waiting writer holds off new readers,
 * downgrade_write() keeps the lock and lets readers in.
 *
 * Controlled mode: one model thread runs at a time, so the state is plain
 * data; ->point() comes before every operation, a contended acquire parks
 * in ->block() and re-checks, every release calls ->wake().  Free-running:
 * pthread mutex (exclusive) or pthread mutex + condvar (reader/writer).
 * Lockdep sees every acquisition before it waits, so an inversion is
 * reported before the deadlock it predicts.
 */
#include <errno.h>
#include <stddef.h>

#include <linux/kernel.h>
#include <linux/mutex.h>
#include <linux/rwsem.h>
#include <linux/spinlock.h>
#include <linux/srcu.h>
#include <linux/sched/signal.h>
#include <shim/locks.h>

#include "lockdep_internal.h"

/* lockdep_assert_held(&m) must see the address the bodies record. */
_Static_assert(offsetof(struct mutex, base) == 0, "mutex base first");
_Static_assert(offsetof(spinlock_t, base) == 0, "spinlock base first");
_Static_assert(offsetof(struct rw_semaphore, base) == 0, "rwsem base first");
_Static_assert(offsetof(rwlock_t, base) == 0, "rwlock base first");

const struct shim_lock_ops shim_mutex_ops = {
	.lock = SHIM_OP_MUTEX_LOCK, .unlock = SHIM_OP_MUTEX_UNLOCK,
	.lock_shared = SHIM_OP_MUTEX_LOCK, .unlock_shared = SHIM_OP_MUTEX_UNLOCK,
};
const struct shim_lock_ops shim_spin_ops = {
	.lock = SHIM_OP_SPIN_LOCK, .unlock = SHIM_OP_SPIN_UNLOCK,
	.lock_shared = SHIM_OP_SPIN_LOCK, .unlock_shared = SHIM_OP_SPIN_UNLOCK,
};
const struct shim_lock_ops shim_rwsem_ops = {
	.lock = SHIM_OP_DOWN_WRITE, .unlock = SHIM_OP_UP_WRITE,
	.lock_shared = SHIM_OP_DOWN_READ, .unlock_shared = SHIM_OP_UP_READ,
};
const struct shim_lock_ops shim_rwlock_ops = {
	.lock = SHIM_OP_WRITE_LOCK, .unlock = SHIM_OP_WRITE_UNLOCK,
	.lock_shared = SHIM_OP_READ_LOCK, .unlock_shared = SHIM_OP_READ_UNLOCK,
};

static struct shim_task *owner_of(struct shim_task *const *p)
{
	return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}

static void set_owner(struct shim_task **p, struct shim_task *t)
{
	__atomic_store_n(p, t, __ATOMIC_RELEASE);
}

static const char *task_name(const struct shim_task *t)
{
	return t && t->name ? t->name : "?";
}

/* ---- exclusive: struct mutex, spinlock_t ---- */

void shim_xlock_init(struct shim_xlock *l, const char *name,
		     const struct lock_class_key *key, int wait_type)
{
	pthread_mutex_init(&l->mu, NULL);
	l->owner = NULL;
	shim_lockdep_init_map(&l->dep_map, name, key, wait_type);
}

/* Should a wait of kind @intr give up now? */
static bool interrupted(struct shim_task *cur, int intr, const char *site)
{
	if (intr == SHIM_INTR_NONE)
		return false;
	return shim_signal_pending(cur, intr == SHIM_INTR_KILLABLE, site);
}

int shim_xlock_lock(struct shim_xlock *l, const struct shim_lock_ops *ops,
		    unsigned int subclass, int intr, const char *site)
{
	const struct shim_sched_ops *s = shim_sched;
	struct shim_task *cur;

	if (s)
		shim_sched_point(s, ops->lock, l, site);
	cur = shim_current();
	if (l->dep_map.wait_type == SHIM_WAIT_SLEEP)
		__shim_might_sleep(cur, site);
	__shim_lock_acquire(cur, &l->dep_map, l, subclass, SHIM_ACQ_EXCL, false, site);
	if (s) {
		while (l->owner) {
			if (interrupted(cur, intr, site))
				goto err_intr;
			s->block(ops->lock, l, site);
		}
	} else if (intr != SHIM_INTR_NONE) {
		if (pthread_mutex_trylock(&l->mu)) {
			if (interrupted(cur, intr, site))
				goto err_intr;
			pthread_mutex_lock(&l->mu);
		}
	} else {
		pthread_mutex_lock(&l->mu);
	}
	set_owner(&l->owner, cur);
	return 0;

err_intr:
	__shim_lock_release(cur, &l->dep_map, l, site);
	return -EINTR;
}

int shim_xlock_trylock(struct shim_xlock *l, const struct shim_lock_ops *ops,
		       const char *site)
{
	const struct shim_sched_ops *s = shim_sched;

	if (s) {
		shim_sched_point(s, ops->lock, l, site);
		if (l->owner)
			return 0;
	} else if (pthread_mutex_trylock(&l->mu)) {
		return 0;
	}
	set_owner(&l->owner, shim_current());
	shim_lock_acquire(&l->dep_map, l, 0, SHIM_ACQ_EXCL, true, site);
	return 1;
}

void shim_xlock_unlock(struct shim_xlock *l, const struct shim_lock_ops *ops,
		       const char *site)
{
	const struct shim_sched_ops *s = shim_sched;
	struct shim_task *cur, *owner;

	if (s)
		shim_sched_point(s, ops->unlock, l, site);
	cur = shim_current();
	owner = owner_of(&l->owner);
	if (owner != cur) {
		/* Leave the lock alone: its real owner will release it. */
		shim_report(SHIM_REPORT_LOCKDEP, site, 0,
			    "unlock of %s at %s by task %s (tid %d), which does not own it (owner: %s)",
			    l->dep_map.name ? l->dep_map.name : "?", site, task_name(cur),
			    cur->tid, owner ? task_name(owner) : "none");
		return;
	}
	__shim_lock_release(cur, &l->dep_map, l, site);
	set_owner(&l->owner, NULL);
	if (s)
		s->wake(l);
	else
		pthread_mutex_unlock(&l->mu);
}

bool shim_xlock_is_locked(const struct shim_xlock *l)
{
	return owner_of(&l->owner) != NULL;
}

/* ---- reader/writer: struct rw_semaphore, rwlock_t ---- */

void shim_rwlock_init(struct shim_rwlock *l, const char *name,
		      const struct lock_class_key *key, int wait_type)
{
	pthread_mutex_init(&l->mu, NULL);
	pthread_cond_init(&l->cv, NULL);
	l->readers = 0;
	l->writers_waiting = 0;
	l->owner = NULL;
	shim_lockdep_init_map(&l->dep_map, name, key, wait_type);
}

static int readers_of(const struct shim_rwlock *l)
{
	return __atomic_load_n(&l->readers, __ATOMIC_ACQUIRE);
}

static void add_readers(struct shim_rwlock *l, int n)
{
	__atomic_add_fetch(&l->readers, n, __ATOMIC_ACQ_REL);
}

/* May the current caller take @l now?  Writers wait for everybody; readers
 * wait for a writer holding or queued. */
static bool rw_available(const struct shim_rwlock *l, bool write)
{
	if (owner_of(&l->owner))
		return false;
	if (write)
		return readers_of(l) == 0;
	return l->writers_waiting == 0;
}

int shim_rwlock_lock(struct shim_rwlock *l, const struct shim_lock_ops *ops,
		     bool write, unsigned int subclass, int intr,
		     const char *site)
{
	const struct shim_sched_ops *s = shim_sched;
	enum shim_op op = write ? ops->lock : ops->lock_shared;
	struct shim_task *cur;
	int ret = 0;

	if (s)
		shim_sched_point(s, op, l, site);
	cur = shim_current();
	if (l->dep_map.wait_type == SHIM_WAIT_SLEEP)
		__shim_might_sleep(cur, site);
	__shim_lock_acquire(cur, &l->dep_map, l, subclass,
			    write ? SHIM_ACQ_EXCL : SHIM_ACQ_SHARED, false, site);
	if (!s)
		pthread_mutex_lock(&l->mu);
	if (write)
		l->writers_waiting++;
	while (!rw_available(l, write)) {
		if (interrupted(cur, intr, site)) {
			ret = -EINTR;
			break;
		}
		if (s)
			s->block(op, l, site);
		else
			pthread_cond_wait(&l->cv, &l->mu);
	}
	if (write)
		l->writers_waiting--;
	if (!ret) {
		if (write)
			set_owner(&l->owner, cur);
		else
			add_readers(l, 1);
	}
	if (!s) {
		/* A writer that gave up may have been holding readers off. */
		if (ret && write)
			pthread_cond_broadcast(&l->cv);
		pthread_mutex_unlock(&l->mu);
	} else if (ret && write) {
		s->wake(l);
	}
	if (ret)
		__shim_lock_release(cur, &l->dep_map, l, site);
	return ret;
}

int shim_rwlock_trylock(struct shim_rwlock *l, const struct shim_lock_ops *ops,
			bool write, const char *site)
{
	const struct shim_sched_ops *s = shim_sched;
	bool ok;

	if (s)
		shim_sched_point(s, write ? ops->lock : ops->lock_shared, l, site);
	else
		pthread_mutex_lock(&l->mu);
	ok = rw_available(l, write);
	if (ok) {
		if (write)
			set_owner(&l->owner, shim_current());
		else
			add_readers(l, 1);
	}
	if (!s)
		pthread_mutex_unlock(&l->mu);
	if (ok)
		shim_lock_acquire(&l->dep_map, l, 0,
				  write ? SHIM_ACQ_EXCL : SHIM_ACQ_SHARED, true, site);
	return ok;
}

void shim_rwlock_unlock(struct shim_rwlock *l, const struct shim_lock_ops *ops,
			bool write, const char *site)
{
	const struct shim_sched_ops *s = shim_sched;
	struct shim_task *cur;
	const char *bad = NULL;

	if (s)
		shim_sched_point(s, write ? ops->unlock : ops->unlock_shared, l, site);
	cur = shim_current();
	if (write) {
		if (owner_of(&l->owner) != cur)
			bad = "for write";
	} else if (!__shim_lock_is_held(cur, l, SHIM_HELD_SHARED) || readers_of(l) <= 0) {
		bad = "for read";
	}
	if (bad) {
		shim_report(SHIM_REPORT_LOCKDEP, site, 0,
			    "unlock of %s at %s by task %s (tid %d), which does not hold it %s",
			    l->dep_map.name ? l->dep_map.name : "?", site,
			    task_name(cur), cur->tid, bad);
		return;
	}
	__shim_lock_release(cur, &l->dep_map, l, site);
	if (!s)
		pthread_mutex_lock(&l->mu);
	if (write)
		set_owner(&l->owner, NULL);
	else
		add_readers(l, -1);
	if (s) {
		s->wake(l);
	} else {
		pthread_cond_broadcast(&l->cv);
		pthread_mutex_unlock(&l->mu);
	}
}

void shim_rwlock_downgrade(struct shim_rwlock *l, const struct shim_lock_ops *ops,
			   const char *site)
{
	const struct shim_sched_ops *s = shim_sched;
	struct shim_task *cur;

	if (s)
		shim_sched_point(s, ops->unlock, l, site);
	cur = shim_current();
	if (owner_of(&l->owner) != cur) {
		shim_report(SHIM_REPORT_LOCKDEP, site, 0,
			    "downgrade_write of %s at %s by task %s, which does not hold it for write",
			    l->dep_map.name ? l->dep_map.name : "?", site, task_name(cur));
		return;
	}
	shim_lock_downgrade(l, site);
	if (!s)
		pthread_mutex_lock(&l->mu);
	add_readers(l, 1);
	set_owner(&l->owner, NULL);
	if (s) {
		s->wake(l);
	} else {
		pthread_cond_broadcast(&l->cv);
		pthread_mutex_unlock(&l->mu);
	}
}

bool shim_rwlock_is_locked(struct shim_rwlock *l)
{
	return owner_of(&l->owner) || readers_of(l) > 0;
}
