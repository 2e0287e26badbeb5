/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Models include/linux/lockdep.h (v7.1): a small lock validator.
 *
 * A lock class is a static struct lock_class_key (declared by the init
 * macro at its call site, like the kernel) plus a subclass; a statically
 * initialised lock (DEFINE_MUTEX, ...) is its own class.  Each task keeps a
 * stack of held locks (struct shim_task.held); every acquisition adds a
 * dependency edge from each held class to the new one and reports
 * SHIM_REPORT_LOCKDEP when that edge closes a cycle.  lockdep_assert_held*()
 * check the current task's held stack, in both modes.
 */
#ifndef _LINUX_LOCKDEP_H
#define _LINUX_LOCKDEP_H

#include <linux/types.h>
#include <shim/sched.h>

struct lock_class_key {
	int __unused;	/* only the address matters; C has no empty structs */
};

/* How waiting for a lock behaves, for might_sleep() and the graph. */
enum shim_wait_type {
	SHIM_WAIT_SLEEP = 0,	/* mutex, rwsem, synchronize_srcu */
	SHIM_WAIT_SPIN,		/* spinlock_t, rwlock_t: no sleeping inside */
	SHIM_WAIT_NONE,		/* srcu_read_lock: never waits */
};

/* How a lock is being taken. */
enum shim_acquire {
	SHIM_ACQ_EXCL = 0,	/* mutex, spin, write side */
	SHIM_ACQ_SHARED,	/* read side that can wait for a writer */
	SHIM_ACQ_SHARED_NB,	/* read side that never waits (SRCU) */
};

struct lockdep_map {
	const struct lock_class_key *key;	/* NULL: the map is its own class */
	const char *name;
	unsigned char wait_type;
	unsigned long __cache;			/* class id + generation, lockdep.c */
};

#define SHIM_LOCKDEP_MAP_INIT(lockname, wtype) \
	{ .key = NULL, .name = (lockname), .wait_type = (wtype), .__cache = 0 }

#define SINGLE_DEPTH_NESTING	1
#define MAX_LOCKDEP_SUBCLASSES	8U

/**
 * shim_lockdep_init_map() - Give a lock its class.
 * @map: the lock's lockdep map.
 * @name: printable lock name ("&kvm->slots_lock").
 * @key: static class key, or NULL to make @map its own class.
 * @wait_type: enum shim_wait_type.
 *
 * Context: any; does not block.
 */
void shim_lockdep_init_map(struct lockdep_map *map, const char *name,
			   const struct lock_class_key *key, int wait_type);

/**
 * shim_lock_acquire() - Validate and record an acquisition of @lock.
 * @map: the lock's map.
 * @lock: the lock object (identity used by lockdep_assert_held()).
 * @subclass: nesting subclass (0 normally).
 * @how: enum shim_acquire.
 * @trylock: a trylock cannot deadlock, so adds no dependency edges.
 * @site: "file:line" of the caller.
 *
 * Called before waiting for the lock, so an inversion is reported before
 * the deadlock it predicts.  Pushes @lock on the current task's held stack.
 *
 * Context: any; takes lockdep's internal mutex when a new edge is recorded.
 */
void shim_lock_acquire(struct lockdep_map *map, const void *lock,
		       unsigned int subclass, int how, bool trylock,
		       const char *site);

/**
 * shim_lock_release() - Pop @lock from the current task's held stack.
 * @map: the lock's map.
 * @lock: the lock object.
 * @site: "file:line" of the caller.
 *
 * Context: any.  Reports SHIM_REPORT_LOCKDEP if the task does not hold it.
 * Return: true if it was held.
 */
bool shim_lock_release(struct lockdep_map *map, const void *lock, const char *site);

/**
 * shim_lock_downgrade() - Turn the current task's exclusive hold into shared.
 * @lock: the lock object.
 * @site: "file:line" of the caller.
 *
 * Context: the current task holds @lock exclusively (reported otherwise).
 */
void shim_lock_downgrade(const void *lock, const char *site);

/**
 * shim_lock_sync() - Record a wait for all holders of @map (synchronize_srcu).
 * @map: the map waited on.
 * @lock: the object waited on.
 * @site: "file:line" of the caller.
 *
 * Adds edges from every held class to @map's class, as an exclusive acquire
 * and release would, and reports waiting on it from inside its own read side.
 *
 * Context: any.
 */
void shim_lock_sync(struct lockdep_map *map, const void *lock, const char *site);

enum shim_held_mode {
	SHIM_HELD_ANY = 0,
	SHIM_HELD_EXCL,
	SHIM_HELD_SHARED,
};

/**
 * shim_lock_is_held() - Does the current task hold @lock?
 * @lock: the lock object.
 * @mode: enum shim_held_mode.
 *
 * Context: any.
 * Return: true if an entry for @lock with a matching mode is on the stack.
 */
bool shim_lock_is_held(const void *lock, int mode);

/**
 * shim_lockdep_assert() - Report unless the held state of @lock is as wanted.
 * @lock: the lock object.
 * @mode: enum shim_held_mode.
 * @want: true for assert_held, false for assert_not_held.
 * @expr: text of the lock expression.
 * @site: "file:line" of the caller.
 *
 * Context: any.
 */
void shim_lockdep_assert(const void *lock, int mode, bool want, const char *expr,
			 const char *site);

/**
 * shim_lockdep_reset() - Forget every dependency (classes are kept).
 *
 * Context: no task may hold a lock (held stacks point at class records).
 */
void shim_lockdep_reset(void);
/* Per-context graphs (shim_ctx->lockdep), e.g. one per search worker. */
struct shim_lockdep_graph *shim_lockdep_graph_new(void);
void shim_lockdep_graph_free(struct shim_lockdep_graph *g);

/**
 * shim_lockdep_enable() - Turn dependency tracking on (default) or off.
 * @on: new state.
 *
 * Held stacks and lockdep_assert_held*() keep working when off.
 * Context: any.
 */
void shim_lockdep_enable(bool on);

/**
 * shim_lockdep_class_name() - Printable name of a held entry's class.
 * @class: shim_held_lock.class.
 *
 * Context: any.
 * Return: the name, never NULL.
 */
const char *shim_lockdep_class_name(const struct lock_class_key *class);

#define lockdep_assert_held(l) \
	shim_lockdep_assert((l), SHIM_HELD_ANY, true, #l, SHIM_SITE)
#define lockdep_assert_held_write(l) \
	shim_lockdep_assert((l), SHIM_HELD_EXCL, true, #l, SHIM_SITE)
#define lockdep_assert_held_read(l) \
	shim_lockdep_assert((l), SHIM_HELD_SHARED, true, #l, SHIM_SITE)
#define lockdep_assert_not_held(l) \
	shim_lockdep_assert((l), SHIM_HELD_ANY, false, #l, SHIM_SITE)
#define lockdep_assert_held_once(l)	lockdep_assert_held(l)
#define lockdep_is_held(l)		shim_lock_is_held((l), SHIM_HELD_ANY)
#define lockdep_is_held_type(l, r) \
	shim_lock_is_held((l), (r) ? SHIM_HELD_SHARED : SHIM_HELD_EXCL)

/* For struct mutex, rw_semaphore, spinlock_t, rwlock_t (their ->base). */
#define lockdep_set_class(lock, key)					\
	shim_lockdep_init_map(&(lock)->base.dep_map, #key, (key),	\
			      (lock)->base.dep_map.wait_type)
#define lockdep_set_class_and_name(lock, key, name)			\
	shim_lockdep_init_map(&(lock)->base.dep_map, (name), (key),	\
			      (lock)->base.dep_map.wait_type)
#define lockdep_set_novalidate_class(lock)	do { } while (0)

#define lockdep_assert_irqs_enabled()	do { } while (0)
#define lockdep_assert_irqs_disabled()	do { } while (0)
#define lockdep_assert_preemption_disabled() do { } while (0)
#define lockdep_off()			do { } while (0)
#define lockdep_on()			do { } while (0)

#endif /* _LINUX_LOCKDEP_H */
