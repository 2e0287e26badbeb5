/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Models include/linux/kernel.h, minmax.h, math.h, align.h, container_of.h,
 * bits.h (v7.1).  PAGE_SHIFT/PAGE_SIZE/PAGE_MASK come from <asm/page.h>,
 * included here so either header gives them.
 */
#ifndef _LINUX_KERNEL_H
#define _LINUX_KERNEL_H

#include <limits.h>
#include <linux/types.h>
#include <linux/compiler.h>
#include <asm/page.h>

#define U8_MAX		((u8)~0U)
#define U16_MAX		((u16)~0U)
#define U32_MAX		((u32)~0U)
#define U64_MAX		((u64)~0ULL)
#define S32_MAX		((s32)(U32_MAX >> 1))
#define S64_MAX		((s64)(U64_MAX >> 1))
#ifndef SIZE_MAX
#define SIZE_MAX	(~(size_t)0)
#endif

#define min(x, y) ({ typeof(x) __mx = (x); typeof(y) __my = (y); \
	(void)(&__mx == &__my); __mx < __my ? __mx : __my; })
#define max(x, y) ({ typeof(x) __mx = (x); typeof(y) __my = (y); \
	(void)(&__mx == &__my); __mx > __my ? __mx : __my; })
#define min_t(type, x, y) ({ type __mx = (x); type __my = (y); __mx < __my ? __mx : __my; })
#define max_t(type, x, y) ({ type __mx = (x); type __my = (y); __mx > __my ? __mx : __my; })
/* Constant-expression forms, for file scope (the kernel's MIN()/MAX()). */
#define MIN(a, b)	((a) < (b) ? (a) : (b))
#define MAX(a, b)	((a) > (b) ? (a) : (b))
#define MIN_T(type, a, b)	MIN((type)(a), (type)(b))
#define MAX_T(type, a, b)	MAX((type)(a), (type)(b))
#define min3(x, y, z)	min(min(x, y), z)
#define max3(x, y, z)	max(max(x, y), z)
#define clamp(val, lo, hi)	min(max(val, lo), hi)
#define clamp_t(type, val, lo, hi) min_t(type, max_t(type, val, lo), hi)
#define clamp_val(val, lo, hi)	clamp_t(typeof(val), val, lo, hi)
#define swap(a, b) do { typeof(a) __sw_t = (a); (a) = (b); (b) = __sw_t; } while (0)

#define __round_mask(x, y)	((typeof(x))((y) - 1))
#define round_up(x, y)		((((x) - 1) | __round_mask(x, y)) + 1)
#define round_down(x, y)	((x) & ~__round_mask(x, y))
#define ALIGN(x, a)		(((x) + ((typeof(x))(a) - 1)) & ~((typeof(x))(a) - 1))
#define ALIGN_DOWN(x, a)	((x) & ~((typeof(x))(a) - 1))
#define IS_ALIGNED(x, a)	(((x) & ((typeof(x))(a) - 1)) == 0)
#define DIV_ROUND_UP(n, d)	(((n) + (d) - 1) / (d))
#define DIV_ROUND_UP_ULL(n, d)	DIV_ROUND_UP((unsigned long long)(n), (d))
#define roundup(x, y)		((((x) + ((y) - 1)) / (y)) * (y))
#define rounddown(x, y)		((x) - ((x) % (y)))

#define container_of(ptr, type, member) ({				\
	const typeof(((type *)0)->member) *__cptr = (ptr);		\
	(type *)((char *)__cptr - offsetof(type, member)); })

#define ARRAY_SIZE(arr)	(sizeof(arr) / sizeof((arr)[0]) + __must_be_array(arr))

#define BITS_PER_LONG		64
#define BITS_PER_LONG_LONG	64
#define BITS_PER_BYTE		8
#define BIT(nr)			(1UL << (nr))
#define BIT_ULL(nr)		(1ULL << (nr))
#define BIT_MASK(nr)		(1UL << ((nr) % BITS_PER_LONG))
#define BIT_WORD(nr)		((nr) / BITS_PER_LONG)
#define BITS_TO_LONGS(nr)	DIV_ROUND_UP(nr, BITS_PER_LONG)
#define GENMASK(h, l) \
	(((~0UL) - (1UL << (l)) + 1) & (~0UL >> (BITS_PER_LONG - 1 - (h))))
#define GENMASK_ULL(h, l) \
	(((~0ULL) - (1ULL << (l)) + 1) & (~0ULL >> (BITS_PER_LONG_LONG - 1 - (h))))

#define upper_32_bits(n)	((u32)(((n) >> 16) >> 16))
#define lower_32_bits(n)	((u32)((n) & 0xffffffff))

/**
 * shim_might_sleep() - Report sleeping while a spinning lock is held.
 * @site: "file:line" of the caller.
 *
 * Context: any; reports SHIM_REPORT_LOCKDEP when the current task holds a
 * spinlock or rwlock (mmu_lock must never be held across a sleep).
 */
void shim_might_sleep(const char *site);
#define might_sleep()		shim_might_sleep(SHIM_SITE)
#define might_sleep_if(cond)	do { if (cond) might_sleep(); } while (0)
#define cond_resched()		({ might_sleep(); sched_point("cond_resched"); 0; })
#define cpu_relax()		sched_spin("cpu_relax")

#endif /* _LINUX_KERNEL_H */
