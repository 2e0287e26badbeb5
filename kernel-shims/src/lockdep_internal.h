/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lockdep entry points for the lock bodies, taking the current task that
 * the caller already looked up (shim_current() is not free: a TLS load and
 * possibly a scheduler call).  Semantics as the public ones in lockdep.h.
 */
#ifndef SHIM_LOCKDEP_INTERNAL_H
#define SHIM_LOCKDEP_INTERNAL_H

#include <linux/lockdep.h>

/**
 * __shim_lock_acquire() - shim_lock_acquire() for task @t.
 * @t: the current task.
 * @map: the lock's map.
 * @lock: the lock object.
 * @subclass: nesting subclass.
 * @how: enum shim_acquire.
 * @trylock: adds no dependency edges.
 * @site: "file:line" of the caller.
 *
 * Context: @t is the running task.
 */
void __shim_lock_acquire(struct shim_task *t, struct lockdep_map *map,
			 const void *lock, unsigned int subclass, int how,
			 bool trylock, const char *site);

/**
 * __shim_lock_release() - shim_lock_release() for task @t.
 * @t: the current task.
 * @map: the lock's map.
 * @lock: the lock object.
 * @site: "file:line" of the caller.
 *
 * Context: @t is the running task.
 * Return: true if @t held @lock.
 */
bool __shim_lock_release(struct shim_task *t, struct lockdep_map *map,
			 const void *lock, const char *site);

/**
 * __shim_lock_is_held() - shim_lock_is_held() for task @t.
 * @t: the task.
 * @lock: the lock object.
 * @mode: enum shim_held_mode.
 *
 * Context: @t is the running task.
 * Return: true if @t holds @lock in @mode.
 */
bool __shim_lock_is_held(struct shim_task *t, const void *lock, int mode);

/**
 * __shim_might_sleep() - shim_might_sleep() for task @t.
 * @t: the current task.
 * @site: "file:line" of the caller.
 *
 * Context: @t is the running task.
 */
void __shim_might_sleep(struct shim_task *t, const char *site);

#endif /* SHIM_LOCKDEP_INTERNAL_H */
