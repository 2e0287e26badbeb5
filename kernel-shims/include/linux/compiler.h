/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Models include/linux/compiler.h and include/asm-generic/barrier.h (v7.1).
 *
 * READ_ONCE()/WRITE_ONCE() are real (relaxed atomic) single accesses, so
 * TSan sees them as intended races, and they are scheduling points
 * (SHIM_OP_READ_ONCE / SHIM_OP_WRITE_ONCE): use them for protocol fields
 * whose interleaving matters (mmu_invalidate_seq, in_progress, ...).
 * __READ_ONCE()/__WRITE_ONCE() are the same accesses without the
 * scheduling point, for fields where a point would only bloat the search.
 */
#ifndef _LINUX_COMPILER_H
#define _LINUX_COMPILER_H

#include <shim/sched.h>

#define likely(x)	__builtin_expect(!!(x), 1)
#define unlikely(x)	__builtin_expect(!!(x), 0)

#ifndef __always_inline
#define __always_inline	inline __attribute__((__always_inline__))
#endif
#define noinline	__attribute__((__noinline__))
#define __must_check	__attribute__((__warn_unused_result__))
#define __maybe_unused	__attribute__((__unused__))
#define __always_unused	__attribute__((__unused__))
#define __used		__attribute__((__used__))
#define __packed	__attribute__((__packed__))
#define __aligned(x)	__attribute__((__aligned__(x)))
#define __noreturn	__attribute__((__noreturn__))
#define __cold		__attribute__((__cold__))
#define __printf(a, b)	__attribute__((__format__(printf, a, b)))
#define __weak		__attribute__((__weak__))
#define __section(s)	__attribute__((__section__(s)))
#define fallthrough	__attribute__((__fallthrough__))
#define __must_hold(x)
#define __acquires(x)
#define __releases(x)
#define __cond_acquires(x)
#define __init
#define __exit
#define __read_mostly

#define barrier()	__asm__ __volatile__("" : : : "memory")

#define __same_type(a, b)	__builtin_types_compatible_p(typeof(a), typeof(b))
#define BUILD_BUG_ON(cond)	_Static_assert(!(cond), "BUILD_BUG_ON(" #cond ")")
#define BUILD_BUG_ON_ZERO(e)	((int)(sizeof(struct { int:(-!!(e)); })))
#define BUILD_BUG_ON_MSG(cond, msg) _Static_assert(!(cond), msg)
#define __must_be_array(a)	BUILD_BUG_ON_ZERO(__same_type((a), &(a)[0]))
#define data_race(expr)		(expr)

/* Plain single accesses: no scheduling point. */
#define __READ_ONCE(x)		__atomic_load_n(&(x), __ATOMIC_RELAXED)
#define __WRITE_ONCE(x, val)	__atomic_store_n(&(x), (val), __ATOMIC_RELAXED)

/* Annotated single accesses: a scheduling point before the access. */
#define READ_ONCE(x)							\
({									\
	typeof(x) *__ro_p = &(x);					\
	shim_point(SHIM_OP_READ_ONCE, __ro_p, SHIM_SITE);		\
	__atomic_load_n(__ro_p, __ATOMIC_RELAXED);			\
})

#define WRITE_ONCE(x, val)						\
do {									\
	typeof(x) *__wo_p = &(x);					\
	shim_point(SHIM_OP_WRITE_ONCE, __wo_p, SHIM_SITE);		\
	__atomic_store_n(__wo_p, (val), __ATOMIC_RELAXED);		\
} while (0)

/*
 * gcc >= 11 warns that TSan does not model standalone fences; the fences are
 * still right for the code, and every racing access they order is atomic
 * anyway, so silence that one warning here and nowhere else.
 */
static __always_inline void __shim_fence(int order)
{
#if defined(GMEMSIM_TSAN) && defined(__GNUC__) && !defined(__clang__) && __GNUC__ >= 11
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wtsan"
#endif
	switch (order) {
	case __ATOMIC_ACQUIRE:
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
		break;
	case __ATOMIC_RELEASE:
		__atomic_thread_fence(__ATOMIC_RELEASE);
		break;
	default:
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		break;
	}
#if defined(GMEMSIM_TSAN) && defined(__GNUC__) && !defined(__clang__) && __GNUC__ >= 11
#pragma GCC diagnostic pop
#endif
}

#define smp_mb()	__shim_fence(__ATOMIC_SEQ_CST)
#define smp_rmb()	__shim_fence(__ATOMIC_ACQUIRE)
#define smp_wmb()	__shim_fence(__ATOMIC_RELEASE)
#define mb()		smp_mb()
#define rmb()		smp_rmb()
#define wmb()		smp_wmb()
#define smp_mb__before_atomic()	smp_mb()
#define smp_mb__after_atomic()	smp_mb()

#define smp_store_release(p, v)						\
do {									\
	typeof(*(p)) *__sr_p = (p);					\
	shim_point(SHIM_OP_WRITE_ONCE, __sr_p, SHIM_SITE);		\
	__atomic_store_n(__sr_p, (v), __ATOMIC_RELEASE);		\
} while (0)

#define smp_load_acquire(p)						\
({									\
	typeof(*(p)) *__la_p = (p);					\
	shim_point(SHIM_OP_READ_ONCE, __la_p, SHIM_SITE);		\
	__atomic_load_n(__la_p, __ATOMIC_ACQUIRE);			\
})

/* rcu_dereference-style pointer publication helpers */
#define rcu_assign_pointer(p, v)	smp_store_release(&(p), (v))
#define rcu_access_pointer(p)		__READ_ONCE(p)

#endif /* _LINUX_COMPILER_H */
