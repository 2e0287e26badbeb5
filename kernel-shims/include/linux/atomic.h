/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Models include/linux/atomic.h and the generated atomic-instrumented API
 * (v7.1) on the compiler's C11 __atomic builtins.
 *
 * atomic_read()/atomic_set() are relaxed single accesses with no scheduling
 * point; every read-modify-write is fully ordered (the kernel's *_return and
 * cmpxchg are; the void ones are relaxed in the kernel, stronger here is
 * harmless) and is a scheduling point SHIM_OP_ATOMIC on the atomic's
 * address, so a search can interleave other threads between two RMWs.
 */
#ifndef _LINUX_ATOMIC_H
#define _LINUX_ATOMIC_H

#include <linux/compiler.h>
#include <linux/types.h>
#include <shim/sched.h>

typedef struct { int counter; } atomic_t;
typedef struct { long counter; } atomic_long_t;
typedef struct { s64 counter; } atomic64_t;

#define ATOMIC_INIT(i)		{ (i) }
#define ATOMIC_LONG_INIT(i)	{ (i) }
#define ATOMIC64_INIT(i)	{ (i) }

#define __SHIM_SC	__ATOMIC_SEQ_CST

/*
 * __SHIM_ATOMIC_OPS(pfx, atype, ctype) generates __shim_<pfx>_<op>(..., site);
 * the kernel-named macros below pass the caller's site.
 */
#define __SHIM_ATOMIC_OPS(pfx, atype, ctype)					\
static inline ctype __shim_##pfx##_read(const atype *v)				\
{ return __atomic_load_n(&v->counter, __ATOMIC_RELAXED); }			\
static inline ctype __shim_##pfx##_read_acquire(const atype *v)			\
{ return __atomic_load_n(&v->counter, __ATOMIC_ACQUIRE); }			\
static inline void __shim_##pfx##_set(atype *v, ctype i)			\
{ __atomic_store_n(&v->counter, i, __ATOMIC_RELAXED); }			\
static inline void __shim_##pfx##_set_release(atype *v, ctype i)		\
{ __atomic_store_n(&v->counter, i, __ATOMIC_RELEASE); }			\
static inline ctype __shim_##pfx##_add_return(ctype i, atype *v, const char *site) \
{ shim_point(SHIM_OP_ATOMIC, v, site);						\
  return __atomic_add_fetch(&v->counter, i, __SHIM_SC); }			\
static inline ctype __shim_##pfx##_sub_return(ctype i, atype *v, const char *site) \
{ shim_point(SHIM_OP_ATOMIC, v, site);						\
  return __atomic_sub_fetch(&v->counter, i, __SHIM_SC); }			\
static inline ctype __shim_##pfx##_fetch_add(ctype i, atype *v, const char *site) \
{ shim_point(SHIM_OP_ATOMIC, v, site);						\
  return __atomic_fetch_add(&v->counter, i, __SHIM_SC); }			\
static inline ctype __shim_##pfx##_fetch_sub(ctype i, atype *v, const char *site) \
{ shim_point(SHIM_OP_ATOMIC, v, site);						\
  return __atomic_fetch_sub(&v->counter, i, __SHIM_SC); }			\
static inline ctype __shim_##pfx##_fetch_or(ctype i, atype *v, const char *site) \
{ shim_point(SHIM_OP_ATOMIC, v, site);						\
  return __atomic_fetch_or(&v->counter, i, __SHIM_SC); }			\
static inline ctype __shim_##pfx##_fetch_and(ctype i, atype *v, const char *site) \
{ shim_point(SHIM_OP_ATOMIC, v, site);						\
  return __atomic_fetch_and(&v->counter, i, __SHIM_SC); }			\
static inline ctype __shim_##pfx##_xchg(atype *v, ctype i, const char *site)	\
{ shim_point(SHIM_OP_ATOMIC, v, site);						\
  return __atomic_exchange_n(&v->counter, i, __SHIM_SC); }			\
static inline ctype __shim_##pfx##_cmpxchg(atype *v, ctype old, ctype new,	\
					   const char *site)			\
{ shim_point(SHIM_OP_ATOMIC, v, site);						\
  __atomic_compare_exchange_n(&v->counter, &old, new, false, __SHIM_SC, __SHIM_SC); \
  return old; }									\
static inline bool __shim_##pfx##_try_cmpxchg(atype *v, ctype *old, ctype new,	\
					      const char *site)			\
{ shim_point(SHIM_OP_ATOMIC, v, site);						\
  return __atomic_compare_exchange_n(&v->counter, old, new, false, __SHIM_SC, __SHIM_SC); } \
/* add @a unless the value is @u; true if it added */				\
static inline bool __shim_##pfx##_add_unless(atype *v, ctype a, ctype u,	\
					     const char *site)			\
{ ctype c;									\
  shim_point(SHIM_OP_ATOMIC, v, site);						\
  c = __atomic_load_n(&v->counter, __ATOMIC_RELAXED);				\
  do {										\
	if (c == u)								\
		return false;							\
  } while (!__atomic_compare_exchange_n(&v->counter, &c, c + a, false,	\
					  __SHIM_SC, __ATOMIC_RELAXED));	\
  return true; }								\
static inline ctype __shim_##pfx##_dec_if_positive(atype *v, const char *site)	\
{ ctype c;									\
  shim_point(SHIM_OP_ATOMIC, v, site);						\
  c = __atomic_load_n(&v->counter, __ATOMIC_RELAXED);				\
  do {										\
	if (c <= 0)								\
		return c - 1;							\
  } while (!__atomic_compare_exchange_n(&v->counter, &c, c - 1, false,	\
					  __SHIM_SC, __ATOMIC_RELAXED));	\
  return c - 1; }

__SHIM_ATOMIC_OPS(atomic, atomic_t, int)
__SHIM_ATOMIC_OPS(atomic_long, atomic_long_t, long)
__SHIM_ATOMIC_OPS(atomic64, atomic64_t, s64)

#define atomic_read(v)			__shim_atomic_read(v)
#define atomic_read_acquire(v)		__shim_atomic_read_acquire(v)
#define atomic_set(v, i)			__shim_atomic_set(v, i)
#define atomic_set_release(v, i)		__shim_atomic_set_release(v, i)
#define atomic_add(i, v)			((void)__shim_atomic_add_return(i, v, SHIM_SITE))
#define atomic_sub(i, v)			((void)__shim_atomic_sub_return(i, v, SHIM_SITE))
#define atomic_inc(v)			((void)__shim_atomic_add_return(1, v, SHIM_SITE))
#define atomic_dec(v)			((void)__shim_atomic_sub_return(1, v, SHIM_SITE))
#define atomic_or(i, v)			((void)__shim_atomic_fetch_or(i, v, SHIM_SITE))
#define atomic_and(i, v)			((void)__shim_atomic_fetch_and(i, v, SHIM_SITE))
#define atomic_add_return(i, v)		__shim_atomic_add_return(i, v, SHIM_SITE)
#define atomic_sub_return(i, v)		__shim_atomic_sub_return(i, v, SHIM_SITE)
#define atomic_inc_return(v)		__shim_atomic_add_return(1, v, SHIM_SITE)
#define atomic_dec_return(v)		__shim_atomic_sub_return(1, v, SHIM_SITE)
#define atomic_fetch_add(i, v)		__shim_atomic_fetch_add(i, v, SHIM_SITE)
#define atomic_fetch_sub(i, v)		__shim_atomic_fetch_sub(i, v, SHIM_SITE)
#define atomic_fetch_inc(v)		__shim_atomic_fetch_add(1, v, SHIM_SITE)
#define atomic_fetch_dec(v)		__shim_atomic_fetch_sub(1, v, SHIM_SITE)
#define atomic_fetch_or(i, v)		__shim_atomic_fetch_or(i, v, SHIM_SITE)
#define atomic_fetch_and(i, v)		__shim_atomic_fetch_and(i, v, SHIM_SITE)
#define atomic_xchg(v, i)			__shim_atomic_xchg(v, i, SHIM_SITE)
#define atomic_cmpxchg(v, o, n)		__shim_atomic_cmpxchg(v, o, n, SHIM_SITE)
#define atomic_try_cmpxchg(v, po, n)	__shim_atomic_try_cmpxchg(v, po, n, SHIM_SITE)
#define atomic_add_unless(v, a, u)	__shim_atomic_add_unless(v, a, u, SHIM_SITE)
#define atomic_inc_not_zero(v)		__shim_atomic_add_unless(v, 1, 0, SHIM_SITE)
#define atomic_dec_if_positive(v)		__shim_atomic_dec_if_positive(v, SHIM_SITE)
#define atomic_dec_and_test(v)		(__shim_atomic_sub_return(1, v, SHIM_SITE) == 0)
#define atomic_inc_and_test(v)		(__shim_atomic_add_return(1, v, SHIM_SITE) == 0)
#define atomic_sub_and_test(i, v)		(__shim_atomic_sub_return(i, v, SHIM_SITE) == 0)

#define atomic_long_read(v)			__shim_atomic_long_read(v)
#define atomic_long_read_acquire(v)		__shim_atomic_long_read_acquire(v)
#define atomic_long_set(v, i)			__shim_atomic_long_set(v, i)
#define atomic_long_set_release(v, i)		__shim_atomic_long_set_release(v, i)
#define atomic_long_add(i, v)			((void)__shim_atomic_long_add_return(i, v, SHIM_SITE))
#define atomic_long_sub(i, v)			((void)__shim_atomic_long_sub_return(i, v, SHIM_SITE))
#define atomic_long_inc(v)			((void)__shim_atomic_long_add_return(1, v, SHIM_SITE))
#define atomic_long_dec(v)			((void)__shim_atomic_long_sub_return(1, v, SHIM_SITE))
#define atomic_long_or(i, v)			((void)__shim_atomic_long_fetch_or(i, v, SHIM_SITE))
#define atomic_long_and(i, v)			((void)__shim_atomic_long_fetch_and(i, v, SHIM_SITE))
#define atomic_long_add_return(i, v)		__shim_atomic_long_add_return(i, v, SHIM_SITE)
#define atomic_long_sub_return(i, v)		__shim_atomic_long_sub_return(i, v, SHIM_SITE)
#define atomic_long_inc_return(v)		__shim_atomic_long_add_return(1, v, SHIM_SITE)
#define atomic_long_dec_return(v)		__shim_atomic_long_sub_return(1, v, SHIM_SITE)
#define atomic_long_fetch_add(i, v)		__shim_atomic_long_fetch_add(i, v, SHIM_SITE)
#define atomic_long_fetch_sub(i, v)		__shim_atomic_long_fetch_sub(i, v, SHIM_SITE)
#define atomic_long_fetch_inc(v)		__shim_atomic_long_fetch_add(1, v, SHIM_SITE)
#define atomic_long_fetch_dec(v)		__shim_atomic_long_fetch_sub(1, v, SHIM_SITE)
#define atomic_long_fetch_or(i, v)		__shim_atomic_long_fetch_or(i, v, SHIM_SITE)
#define atomic_long_fetch_and(i, v)		__shim_atomic_long_fetch_and(i, v, SHIM_SITE)
#define atomic_long_xchg(v, i)			__shim_atomic_long_xchg(v, i, SHIM_SITE)
#define atomic_long_cmpxchg(v, o, n)		__shim_atomic_long_cmpxchg(v, o, n, SHIM_SITE)
#define atomic_long_try_cmpxchg(v, po, n)	__shim_atomic_long_try_cmpxchg(v, po, n, SHIM_SITE)
#define atomic_long_add_unless(v, a, u)	__shim_atomic_long_add_unless(v, a, u, SHIM_SITE)
#define atomic_long_inc_not_zero(v)		__shim_atomic_long_add_unless(v, 1, 0, SHIM_SITE)
#define atomic_long_dec_if_positive(v)		__shim_atomic_long_dec_if_positive(v, SHIM_SITE)
#define atomic_long_dec_and_test(v)		(__shim_atomic_long_sub_return(1, v, SHIM_SITE) == 0)
#define atomic_long_inc_and_test(v)		(__shim_atomic_long_add_return(1, v, SHIM_SITE) == 0)
#define atomic_long_sub_and_test(i, v)		(__shim_atomic_long_sub_return(i, v, SHIM_SITE) == 0)

#define atomic64_read(v)			__shim_atomic64_read(v)
#define atomic64_read_acquire(v)		__shim_atomic64_read_acquire(v)
#define atomic64_set(v, i)			__shim_atomic64_set(v, i)
#define atomic64_set_release(v, i)		__shim_atomic64_set_release(v, i)
#define atomic64_add(i, v)			((void)__shim_atomic64_add_return(i, v, SHIM_SITE))
#define atomic64_sub(i, v)			((void)__shim_atomic64_sub_return(i, v, SHIM_SITE))
#define atomic64_inc(v)			((void)__shim_atomic64_add_return(1, v, SHIM_SITE))
#define atomic64_dec(v)			((void)__shim_atomic64_sub_return(1, v, SHIM_SITE))
#define atomic64_or(i, v)			((void)__shim_atomic64_fetch_or(i, v, SHIM_SITE))
#define atomic64_and(i, v)			((void)__shim_atomic64_fetch_and(i, v, SHIM_SITE))
#define atomic64_add_return(i, v)		__shim_atomic64_add_return(i, v, SHIM_SITE)
#define atomic64_sub_return(i, v)		__shim_atomic64_sub_return(i, v, SHIM_SITE)
#define atomic64_inc_return(v)		__shim_atomic64_add_return(1, v, SHIM_SITE)
#define atomic64_dec_return(v)		__shim_atomic64_sub_return(1, v, SHIM_SITE)
#define atomic64_fetch_add(i, v)		__shim_atomic64_fetch_add(i, v, SHIM_SITE)
#define atomic64_fetch_sub(i, v)		__shim_atomic64_fetch_sub(i, v, SHIM_SITE)
#define atomic64_fetch_inc(v)		__shim_atomic64_fetch_add(1, v, SHIM_SITE)
#define atomic64_fetch_dec(v)		__shim_atomic64_fetch_sub(1, v, SHIM_SITE)
#define atomic64_fetch_or(i, v)		__shim_atomic64_fetch_or(i, v, SHIM_SITE)
#define atomic64_fetch_and(i, v)		__shim_atomic64_fetch_and(i, v, SHIM_SITE)
#define atomic64_xchg(v, i)			__shim_atomic64_xchg(v, i, SHIM_SITE)
#define atomic64_cmpxchg(v, o, n)		__shim_atomic64_cmpxchg(v, o, n, SHIM_SITE)
#define atomic64_try_cmpxchg(v, po, n)	__shim_atomic64_try_cmpxchg(v, po, n, SHIM_SITE)
#define atomic64_add_unless(v, a, u)	__shim_atomic64_add_unless(v, a, u, SHIM_SITE)
#define atomic64_inc_not_zero(v)		__shim_atomic64_add_unless(v, 1, 0, SHIM_SITE)
#define atomic64_dec_if_positive(v)		__shim_atomic64_dec_if_positive(v, SHIM_SITE)
#define atomic64_dec_and_test(v)		(__shim_atomic64_sub_return(1, v, SHIM_SITE) == 0)
#define atomic64_inc_and_test(v)		(__shim_atomic64_add_return(1, v, SHIM_SITE) == 0)
#define atomic64_sub_and_test(i, v)		(__shim_atomic64_sub_return(i, v, SHIM_SITE) == 0)

/* Plain-variable RMW, as the kernel's cmpxchg()/xchg()/try_cmpxchg(). */
#define cmpxchg(ptr, old, new) ({					\
	typeof(*(ptr)) *__cx_p = (ptr);					\
	typeof(*(ptr)) __cx_o = (old);					\
	shim_point(SHIM_OP_ATOMIC, __cx_p, SHIM_SITE);			\
	__atomic_compare_exchange_n(__cx_p, &__cx_o, (new), false,	\
				    __SHIM_SC, __SHIM_SC);		\
	__cx_o;								\
})
#define try_cmpxchg(ptr, pold, new) ({					\
	typeof(*(ptr)) *__cx_p = (ptr);					\
	shim_point(SHIM_OP_ATOMIC, __cx_p, SHIM_SITE);			\
	__atomic_compare_exchange_n(__cx_p, (pold), (new), false,	\
				    __SHIM_SC, __SHIM_SC);		\
})
#define xchg(ptr, v) ({							\
	typeof(*(ptr)) *__xc_p = (ptr);					\
	shim_point(SHIM_OP_ATOMIC, __xc_p, SHIM_SITE);			\
	__atomic_exchange_n(__xc_p, (v), __SHIM_SC);			\
})

#endif /* _LINUX_ATOMIC_H */
