/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The two lock bodies behind the kernel lock types: an exclusive lock
 * (struct mutex, spinlock_t) and a reader/writer lock (struct rw_semaphore,
 * rwlock_t).  Each works in both modes:
 *
 *  - free-running (shim_sched == NULL): a real pthread mutex, or a pthread
 *    mutex + condvar reader/writer lock that prefers a waiting writer (so a
 *    recursive read behind a queued writer deadlocks as in the kernel);
 *  - controlled: exactly one model thread runs, so ->owner / ->readers are
 *    plain data; contention parks in shim_sched->block() and every release
 *    calls shim_sched->wake() on the lock.
 *
 * Ownership (writer/owner task, reader count, and the per-task held stack
 * kept by lockdep) is tracked in both modes.
 */
#ifndef SHIM_LOCKS_H
#define SHIM_LOCKS_H

#include <pthread.h>
#include <linux/lockdep.h>
#include <shim/sched.h>

struct shim_xlock {
	pthread_mutex_t mu;		/* free-running */
	struct shim_task *owner;	/* accessed with __atomic; NULL: unlocked */
	struct lockdep_map dep_map;
};

#define SHIM_XLOCK_INIT(lockname, wtype) {				\
	.mu = PTHREAD_MUTEX_INITIALIZER,				\
	.owner = NULL,							\
	.dep_map = SHIM_LOCKDEP_MAP_INIT(lockname, wtype),		\
}

struct shim_rwlock {
	pthread_mutex_t mu;		/* free-running: protects the fields below */
	pthread_cond_t cv;
	int readers;			/* active readers */
	int writers_waiting;
	struct shim_task *owner;	/* writer, or NULL */
	struct lockdep_map dep_map;
};

#define SHIM_RWLOCK_INIT(lockname, wtype) {				\
	.mu = PTHREAD_MUTEX_INITIALIZER,				\
	.cv = PTHREAD_COND_INITIALIZER,					\
	.readers = 0, .writers_waiting = 0, .owner = NULL,		\
	.dep_map = SHIM_LOCKDEP_MAP_INIT(lockname, wtype),		\
}

/* What may interrupt a wait for a lock (mutex_lock_killable, ..._interruptible). */
enum shim_intr {
	SHIM_INTR_NONE = 0,		/* uninterruptible */
	SHIM_INTR_KILLABLE,		/* a fatal signal: -EINTR */
	SHIM_INTR_INTERRUPTIBLE,	/* any signal: -EINTR */
};

/* The operations a lock type maps to (SHIM_OP_*), passed to the bodies. */
struct shim_lock_ops {
	enum shim_op lock, unlock;		/* exclusive */
	enum shim_op lock_shared, unlock_shared;
};

extern const struct shim_lock_ops shim_mutex_ops, shim_spin_ops;
extern const struct shim_lock_ops shim_rwsem_ops, shim_rwlock_ops;

/**
 * shim_xlock_init() - Initialise an exclusive lock at run time.
 * @l: the lock.
 * @name: printable name.
 * @key: static class key.
 * @wait_type: SHIM_WAIT_SLEEP (mutex) or SHIM_WAIT_SPIN (spinlock).
 *
 * Context: @l is not in use.
 */
void shim_xlock_init(struct shim_xlock *l, const char *name,
		     const struct lock_class_key *key, int wait_type);

/**
 * shim_xlock_lock() - Take an exclusive lock.
 * @l: the lock.
 * @ops: the lock type's operation codes.
 * @subclass: lockdep nesting subclass.
 * @intr: enum shim_intr: which pending signal makes a wait give up.
 * @site: "file:line" of the caller.
 *
 * Signals are checked only when the lock is contended, as the kernel does.
 *
 * Context: may block (mutex: might_sleep()).
 * Return: 0, or -EINTR if interrupted per @intr.
 */
int shim_xlock_lock(struct shim_xlock *l, const struct shim_lock_ops *ops,
		    unsigned int subclass, int intr, const char *site);

/**
 * shim_xlock_trylock() - Take an exclusive lock if it is free.
 * @l: the lock.
 * @ops: the lock type's operation codes.
 * @site: "file:line" of the caller.
 *
 * Context: does not block.
 * Return: 1 if taken, 0 if not (kernel convention).
 */
int shim_xlock_trylock(struct shim_xlock *l, const struct shim_lock_ops *ops,
		       const char *site);

/**
 * shim_xlock_unlock() - Release an exclusive lock.
 * @l: the lock.
 * @ops: the lock type's operation codes.
 * @site: "file:line" of the caller.
 *
 * Context: the current task must own @l (reported otherwise).
 */
void shim_xlock_unlock(struct shim_xlock *l, const struct shim_lock_ops *ops,
		       const char *site);

/**
 * shim_xlock_is_locked() - Is @l held by anybody?
 * @l: the lock.
 *
 * Context: any; a racy snapshot.
 * Return: true if held.
 */
bool shim_xlock_is_locked(const struct shim_xlock *l);

/**
 * shim_rwlock_init() - Initialise a reader/writer lock at run time.
 * @l: the lock.
 * @name: printable name.
 * @key: static class key.
 * @wait_type: SHIM_WAIT_SLEEP (rwsem) or SHIM_WAIT_SPIN (rwlock_t).
 *
 * Context: @l is not in use.
 */
void shim_rwlock_init(struct shim_rwlock *l, const char *name,
		      const struct lock_class_key *key, int wait_type);

/**
 * shim_rwlock_lock() - Take a reader/writer lock.
 * @l: the lock.
 * @ops: the lock type's operation codes.
 * @write: exclusive if true, shared otherwise.
 * @subclass: lockdep nesting subclass.
 * @intr: enum shim_intr: which pending signal makes a wait give up.
 * @site: "file:line" of the caller.
 *
 * Context: may block.
 * Return: 0, or -EINTR if interrupted per @intr.
 */
int shim_rwlock_lock(struct shim_rwlock *l, const struct shim_lock_ops *ops,
		     bool write, unsigned int subclass, int intr,
		     const char *site);

/**
 * shim_rwlock_trylock() - Take a reader/writer lock if available now.
 * @l: the lock.
 * @ops: the lock type's operation codes.
 * @write: exclusive if true.
 * @site: "file:line" of the caller.
 *
 * Context: does not block.
 * Return: 1 if taken, 0 if not.
 */
int shim_rwlock_trylock(struct shim_rwlock *l, const struct shim_lock_ops *ops,
			bool write, const char *site);

/**
 * shim_rwlock_unlock() - Release one hold of a reader/writer lock.
 * @l: the lock.
 * @ops: the lock type's operation codes.
 * @write: releasing the exclusive hold if true.
 * @site: "file:line" of the caller.
 *
 * Context: the current task must hold @l in that mode (reported otherwise).
 */
void shim_rwlock_unlock(struct shim_rwlock *l, const struct shim_lock_ops *ops,
			bool write, const char *site);

/**
 * shim_rwlock_downgrade() - Turn the current task's write hold into a read hold.
 * @l: the lock.
 * @ops: the lock type's operation codes.
 * @site: "file:line" of the caller.
 *
 * Context: the current task holds @l for write.
 */
void shim_rwlock_downgrade(struct shim_rwlock *l, const struct shim_lock_ops *ops,
			   const char *site);

/**
 * shim_rwlock_is_locked() - Is @l held in any mode?
 * @l: the lock.
 *
 * Context: any; a racy snapshot.
 * Return: true if held.
 */
bool shim_rwlock_is_locked(struct shim_rwlock *l);

#endif /* SHIM_LOCKS_H */
