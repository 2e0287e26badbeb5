/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Models include/linux/spinlock.h and rwlock.h (v7.1).  Interrupts do not
 * exist here, so the _irq/_irqsave/_bh variants are the plain ones (flags is
 * set to 0).  Spinning locks are SHIM_WAIT_SPIN for lockdep: might_sleep()
 * under one reports.
 */
#ifndef _LINUX_SPINLOCK_H
#define _LINUX_SPINLOCK_H

#include <linux/lockdep.h>
#include <shim/locks.h>

typedef struct spinlock {
	struct shim_xlock base;
} spinlock_t;

typedef struct {
	struct shim_rwlock base;
} rwlock_t;

#define __SPIN_LOCK_UNLOCKED(lockname) \
	{ .base = SHIM_XLOCK_INIT(#lockname, SHIM_WAIT_SPIN) }
#define DEFINE_SPINLOCK(x)	spinlock_t x = __SPIN_LOCK_UNLOCKED(x)
#define spin_lock_init(lock) do {					\
	static struct lock_class_key __key;				\
	shim_xlock_init(&(lock)->base, #lock, &__key, SHIM_WAIT_SPIN);	\
} while (0)

#define spin_lock(lock) \
	((void)shim_xlock_lock(&(lock)->base, &shim_spin_ops, 0, SHIM_INTR_NONE, SHIM_SITE))
#define spin_lock_nested(lock, subclass) \
	((void)shim_xlock_lock(&(lock)->base, &shim_spin_ops, (subclass), SHIM_INTR_NONE, SHIM_SITE))
#define spin_trylock(lock) \
	shim_xlock_trylock(&(lock)->base, &shim_spin_ops, SHIM_SITE)
#define spin_unlock(lock) \
	shim_xlock_unlock(&(lock)->base, &shim_spin_ops, SHIM_SITE)
#define spin_lock_irq(lock)		spin_lock(lock)
#define spin_unlock_irq(lock)		spin_unlock(lock)
#define spin_lock_bh(lock)		spin_lock(lock)
#define spin_unlock_bh(lock)		spin_unlock(lock)
#define spin_lock_irqsave(lock, flags)	do { (flags) = 0; spin_lock(lock); } while (0)
#define spin_unlock_irqrestore(lock, flags) do { (void)(flags); spin_unlock(lock); } while (0)
#define spin_is_locked(lock)		shim_xlock_is_locked(&(lock)->base)
#define assert_spin_locked(lock)	lockdep_assert_held(lock)

#define __RW_LOCK_UNLOCKED(lockname) \
	{ .base = SHIM_RWLOCK_INIT(#lockname, SHIM_WAIT_SPIN) }
#define DEFINE_RWLOCK(x)	rwlock_t x = __RW_LOCK_UNLOCKED(x)
#define rwlock_init(lock) do {						\
	static struct lock_class_key __key;				\
	shim_rwlock_init(&(lock)->base, #lock, &__key, SHIM_WAIT_SPIN);	\
} while (0)

#define read_lock(lock) \
	((void)shim_rwlock_lock(&(lock)->base, &shim_rwlock_ops, false, 0, SHIM_INTR_NONE, SHIM_SITE))
#define read_trylock(lock) \
	shim_rwlock_trylock(&(lock)->base, &shim_rwlock_ops, false, SHIM_SITE)
#define read_unlock(lock) \
	shim_rwlock_unlock(&(lock)->base, &shim_rwlock_ops, false, SHIM_SITE)
#define write_lock(lock) \
	((void)shim_rwlock_lock(&(lock)->base, &shim_rwlock_ops, true, 0, SHIM_INTR_NONE, SHIM_SITE))
#define write_trylock(lock) \
	shim_rwlock_trylock(&(lock)->base, &shim_rwlock_ops, true, SHIM_SITE)
#define write_unlock(lock) \
	shim_rwlock_unlock(&(lock)->base, &shim_rwlock_ops, true, SHIM_SITE)
#define read_lock_irq(lock)		read_lock(lock)
#define read_unlock_irq(lock)		read_unlock(lock)
#define write_lock_irq(lock)		write_lock(lock)
#define write_unlock_irq(lock)		write_unlock(lock)
#define read_lock_irqsave(lock, flags)	do { (flags) = 0; read_lock(lock); } while (0)
#define read_unlock_irqrestore(lock, flags) do { (void)(flags); read_unlock(lock); } while (0)
#define write_lock_irqsave(lock, flags)	do { (flags) = 0; write_lock(lock); } while (0)
#define write_unlock_irqrestore(lock, flags) do { (void)(flags); write_unlock(lock); } while (0)

/* Nobody ever waits long enough here to make a rescheduling break worth it. */
#define rwlock_needbreak(lock)		((void)(lock), 0)
#define spin_needbreak(lock)		((void)(lock), 0)

#endif /* _LINUX_SPINLOCK_H */
