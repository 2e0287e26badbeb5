/* SPDX-License-Identifier: GPL-2.0 */
/* Models include/linux/mutex.h (v7.1) on struct shim_xlock (shim/locks.h). */
#ifndef _LINUX_MUTEX_H
#define _LINUX_MUTEX_H

#include <linux/lockdep.h>
#include <shim/locks.h>

struct mutex {
	struct shim_xlock base;
};

#define __MUTEX_INITIALIZER(lockname) \
	{ .base = SHIM_XLOCK_INIT(#lockname, SHIM_WAIT_SLEEP) }
#define DEFINE_MUTEX(mutexname) \
	struct mutex mutexname = __MUTEX_INITIALIZER(mutexname)

#define __mutex_init(lock, name, key) \
	shim_xlock_init(&(lock)->base, (name), (key), SHIM_WAIT_SLEEP)
#define mutex_init(mutex) do {						\
	static struct lock_class_key __key;				\
	__mutex_init((mutex), #mutex, &__key);				\
} while (0)
#define mutex_destroy(lock)	do { (void)(lock); } while (0)

#define mutex_lock(lock) \
	((void)shim_xlock_lock(&(lock)->base, &shim_mutex_ops, 0, SHIM_INTR_NONE, SHIM_SITE))
#define mutex_lock_nested(lock, subclass) \
	((void)shim_xlock_lock(&(lock)->base, &shim_mutex_ops, (subclass), SHIM_INTR_NONE, SHIM_SITE))
#define mutex_lock_killable(lock) \
	shim_xlock_lock(&(lock)->base, &shim_mutex_ops, 0, SHIM_INTR_KILLABLE, SHIM_SITE)
#define mutex_lock_interruptible(lock) \
	shim_xlock_lock(&(lock)->base, &shim_mutex_ops, 0, SHIM_INTR_INTERRUPTIBLE, SHIM_SITE)
#define mutex_lock_killable_nested(lock, subclass) \
	shim_xlock_lock(&(lock)->base, &shim_mutex_ops, (subclass), SHIM_INTR_KILLABLE, SHIM_SITE)
#define mutex_trylock(lock) \
	shim_xlock_trylock(&(lock)->base, &shim_mutex_ops, SHIM_SITE)
#define mutex_unlock(lock) \
	shim_xlock_unlock(&(lock)->base, &shim_mutex_ops, SHIM_SITE)
#define mutex_is_locked(lock)	shim_xlock_is_locked(&(lock)->base)

#endif /* _LINUX_MUTEX_H */
