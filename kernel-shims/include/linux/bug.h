/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Models include/asm-generic/bug.h and include/linux/once.h (v7.1).
 *
 * WARN*() report SHIM_REPORT_WARN through shim_report() with the file, line
 * and condition text, and evaluate to the condition like the kernel's.
 * "Once" means once per report generation: shim_report_reset() (called
 * between executions) re-arms every WARN_ON_ONCE, so a fuzzer running many
 * executions in one process still sees each execution's first warning.
 * BUG()/BUG_ON() never return: controlled mode hands the thread to the
 * scheduler's report hook, free-running prints and aborts.
 */
#ifndef _LINUX_BUG_H
#define _LINUX_BUG_H

#include <linux/compiler.h>
#include <linux/types.h>
#include <shim/sched.h>

/**
 * shim_bug() - Report a BUG and do not return.
 * @file: source file of the BUG.
 * @line: source line of the BUG.
 * @fmt: printf-style message.
 *
 * Context: any.  Controlled mode: routed to shim_sched->report, which must
 * not return; free-running: printed, then abort().
 */
void shim_bug(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4), noreturn, cold));

/* Bumped by shim_report_reset(); WARN_ON_ONCE sites remember the last one. */
extern unsigned long shim_report_generation;

/* True the first time a *_ONCE site fires in the current generation. */
static inline bool __shim_once(unsigned long *gen)
{
	unsigned long now = __atomic_load_n(&shim_report_generation, __ATOMIC_RELAXED);
	unsigned long seen = __atomic_load_n(gen, __ATOMIC_RELAXED);

	if (seen == now + 1)
		return false;
	return __atomic_compare_exchange_n(gen, &seen, now + 1, false,
					   __ATOMIC_RELAXED, __ATOMIC_RELAXED);
}

#define WARN_ON(condition) ({						\
	bool __ret_warn_on = !!(condition);				\
	if (unlikely(__ret_warn_on))					\
		shim_report(SHIM_REPORT_WARN, __FILE__, __LINE__,	\
			    "WARN_ON(%s)", #condition);			\
	unlikely(__ret_warn_on);					\
})

#define WARN(condition, format...) ({					\
	bool __ret_warn_on = !!(condition);				\
	if (unlikely(__ret_warn_on))					\
		shim_report(SHIM_REPORT_WARN, __FILE__, __LINE__, format); \
	unlikely(__ret_warn_on);					\
})

#define WARN_ON_ONCE(condition) ({					\
	static unsigned long __warn_gen;				\
	bool __ret_warn_on = !!(condition);				\
	if (unlikely(__ret_warn_on) && __shim_once(&__warn_gen))	\
		shim_report(SHIM_REPORT_WARN, __FILE__, __LINE__,	\
			    "WARN_ON_ONCE(%s)", #condition);		\
	unlikely(__ret_warn_on);					\
})

#define WARN_ONCE(condition, format...) ({				\
	static unsigned long __warn_gen;				\
	bool __ret_warn_on = !!(condition);				\
	if (unlikely(__ret_warn_on) && __shim_once(&__warn_gen))	\
		shim_report(SHIM_REPORT_WARN, __FILE__, __LINE__, format); \
	unlikely(__ret_warn_on);					\
})

#define BUG() shim_bug(__FILE__, __LINE__, "BUG()")

#define BUG_ON(condition) do {						\
	if (unlikely(condition))					\
		shim_bug(__FILE__, __LINE__, "BUG_ON(%s)", #condition);	\
} while (0)

#define VM_BUG_ON(cond)		BUG_ON(cond)
#define VM_WARN_ON(cond)	((void)WARN_ON(cond))
#define VM_WARN_ON_ONCE(cond)	WARN_ON_ONCE(cond)

#endif /* _LINUX_BUG_H */
