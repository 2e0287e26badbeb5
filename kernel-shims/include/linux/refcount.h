/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Models include/linux/refcount.h (v7.1): a saturating reference count.
 * An increment from 0 (use after free), an overflow and a decrement below
 * zero WARN and leave the count saturated, so the object leaks instead of
 * being freed twice; the WARN is what the simulator turns into a failure.
 */
#ifndef _LINUX_REFCOUNT_H
#define _LINUX_REFCOUNT_H

#include <limits.h>
#include <linux/atomic.h>
#include <linux/bug.h>

typedef struct refcount_struct {
	atomic_t refs;
} refcount_t;

#define REFCOUNT_INIT(n)	{ .refs = ATOMIC_INIT(n) }
#define REFCOUNT_MAX		INT_MAX
#define REFCOUNT_SATURATED	(INT_MIN / 2)

/**
 * shim_refcount_warn() - Saturate @r and report what went wrong.
 * @r: the refcount.
 * @what: "addition on 0; use-after-free", "saturated; leaking memory" or
 *	  "underflow; use-after-free".
 * @site: "file:line" of the caller.
 *
 * Context: any.
 */
void shim_refcount_warn(refcount_t *r, const char *what, const char *site);

static inline void refcount_set(refcount_t *r, int n)
{
	atomic_set(&r->refs, n);
}

static inline unsigned int refcount_read(const refcount_t *r)
{
	return atomic_read(&r->refs);
}

static inline void __shim_refcount_add(int i, refcount_t *r, const char *site)
{
	int old = __shim_atomic_fetch_add(i, &r->refs, site);

	if (unlikely(!old))
		shim_refcount_warn(r, "addition on 0; use-after-free", site);
	else if (unlikely(old < 0 || old > INT_MAX - i))
		shim_refcount_warn(r, "saturated; leaking memory", site);
}

static inline bool __shim_refcount_add_not_zero(int i, refcount_t *r, const char *site)
{
	int old;

	shim_point(SHIM_OP_ATOMIC, &r->refs, site);
	old = atomic_read(&r->refs);
	do {
		if (!old)
			break;
	} while (!__atomic_compare_exchange_n(&r->refs.counter, &old,
					      (int)((unsigned int)old + i), false,
					      __ATOMIC_SEQ_CST, __ATOMIC_RELAXED));
	if (unlikely(old < 0 || old > INT_MAX - i))
		shim_refcount_warn(r, "saturated; leaking memory", site);
	return old;
}

static inline bool __shim_refcount_sub_and_test(int i, refcount_t *r, const char *site)
{
	int old = __shim_atomic_fetch_sub(i, &r->refs, site);

	if (old == i)
		return true;
	if (unlikely(old < 0 || old - i < 0))
		shim_refcount_warn(r, "underflow; use-after-free", site);
	return false;
}

/* A plain decrement must never drop the last reference: that object leaks. */
static inline void __shim_refcount_dec(refcount_t *r, const char *site)
{
	if (unlikely(__shim_refcount_sub_and_test(1, r, site)))
		shim_refcount_warn(r, "decrement hit 0; leaking memory", site);
}

#define refcount_add(i, r)		__shim_refcount_add(i, r, SHIM_SITE)
#define refcount_inc(r)			__shim_refcount_add(1, r, SHIM_SITE)
#define refcount_add_not_zero(i, r)	__shim_refcount_add_not_zero(i, r, SHIM_SITE)
#define refcount_inc_not_zero(r)	__shim_refcount_add_not_zero(1, r, SHIM_SITE)
#define refcount_sub_and_test(i, r)	__shim_refcount_sub_and_test(i, r, SHIM_SITE)
#define refcount_dec_and_test(r)	__shim_refcount_sub_and_test(1, r, SHIM_SITE)
#define refcount_dec(r)			__shim_refcount_dec(r, SHIM_SITE)

#endif /* _LINUX_REFCOUNT_H */
