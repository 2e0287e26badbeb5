/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Models include/linux/log2.h (v7.1).  The builtins fold for constant
 * arguments, so ilog2(PMD_SIZE) is usable in constant expressions.
 */
#ifndef _LINUX_LOG2_H
#define _LINUX_LOG2_H

#include <linux/bitops.h>

/* ilog2(0) is undefined in the kernel; -1 here so it at least stands out. */
#define ilog2(n) \
	((n) ? (int)(63 - __builtin_clzll((unsigned long long)(n))) : -1)

static inline bool is_power_of_2(unsigned long n)
{
	return n != 0 && ((n & (n - 1)) == 0);
}

static inline unsigned long __roundup_pow_of_two(unsigned long n)
{
	return n <= 1 ? 1 : 1UL << fls_long(n - 1);
}

static inline unsigned long __rounddown_pow_of_two(unsigned long n)
{
	return 1UL << (fls_long(n) - 1);
}

#define roundup_pow_of_two(n)	__roundup_pow_of_two(n)
#define rounddown_pow_of_two(n)	__rounddown_pow_of_two(n)
#define order_base_2(n)		((n) > 1 ? ilog2((n) - 1) + 1 : 0)

#endif /* _LINUX_LOG2_H */
