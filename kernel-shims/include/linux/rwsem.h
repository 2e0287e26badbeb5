/* SPDX-License-Identifier: GPL-2.0 */
/* Models include/linux/rwsem.h (v7.1) on struct shim_rwlock (shim/locks.h). */
#ifndef _LINUX_RWSEM_H
#define _LINUX_RWSEM_H

#include <linux/lockdep.h>
#include <shim/locks.h>

struct rw_semaphore {
	struct shim_rwlock base;
};

#define __RWSEM_INITIALIZER(name) \
	{ .base = SHIM_RWLOCK_INIT(#name, SHIM_WAIT_SLEEP) }
#define DECLARE_RWSEM(name) \
	struct rw_semaphore name = __RWSEM_INITIALIZER(name)

#define __init_rwsem(sem, name, key) \
	shim_rwlock_init(&(sem)->base, (name), (key), SHIM_WAIT_SLEEP)
#define init_rwsem(sem) do {						\
	static struct lock_class_key __key;				\
	__init_rwsem((sem), #sem, &__key);				\
} while (0)

#define down_read(sem) \
	((void)shim_rwlock_lock(&(sem)->base, &shim_rwsem_ops, false, 0, SHIM_INTR_NONE, SHIM_SITE))
#define down_read_nested(sem, subclass) \
	((void)shim_rwlock_lock(&(sem)->base, &shim_rwsem_ops, false, (subclass), SHIM_INTR_NONE, SHIM_SITE))
#define down_read_killable(sem) \
	shim_rwlock_lock(&(sem)->base, &shim_rwsem_ops, false, 0, SHIM_INTR_KILLABLE, SHIM_SITE)
#define down_read_interruptible(sem) \
	shim_rwlock_lock(&(sem)->base, &shim_rwsem_ops, false, 0, SHIM_INTR_INTERRUPTIBLE, SHIM_SITE)
#define down_read_trylock(sem) \
	shim_rwlock_trylock(&(sem)->base, &shim_rwsem_ops, false, SHIM_SITE)
#define up_read(sem) \
	shim_rwlock_unlock(&(sem)->base, &shim_rwsem_ops, false, SHIM_SITE)

#define down_write(sem) \
	((void)shim_rwlock_lock(&(sem)->base, &shim_rwsem_ops, true, 0, SHIM_INTR_NONE, SHIM_SITE))
#define down_write_nested(sem, subclass) \
	((void)shim_rwlock_lock(&(sem)->base, &shim_rwsem_ops, true, (subclass), SHIM_INTR_NONE, SHIM_SITE))
#define down_write_killable(sem) \
	shim_rwlock_lock(&(sem)->base, &shim_rwsem_ops, true, 0, SHIM_INTR_KILLABLE, SHIM_SITE)
#define down_write_trylock(sem) \
	shim_rwlock_trylock(&(sem)->base, &shim_rwsem_ops, true, SHIM_SITE)
#define up_write(sem) \
	shim_rwlock_unlock(&(sem)->base, &shim_rwsem_ops, true, SHIM_SITE)
#define downgrade_write(sem) \
	shim_rwlock_downgrade(&(sem)->base, &shim_rwsem_ops, SHIM_SITE)

#define rwsem_is_locked(sem)	shim_rwlock_is_locked(&(sem)->base)
#define rwsem_assert_held(sem)		lockdep_assert_held(sem)
#define rwsem_assert_held_write(sem)	lockdep_assert_held_write(sem)

#endif /* _LINUX_RWSEM_H */
