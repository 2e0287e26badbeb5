/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Models include/linux/sched/signal.h (v7.1).
 *
 * A task has a pending signal if a test or trace set one with
 * shim_task_set_signal(), or, in controlled mode with signal injection
 * enabled, if the scheduler's decision stream says so
 * (SHIM_DECIDE_SIGNAL_PENDING): that is how -EINTR paths get explored.
 * Injected signals count as fatal too (killable waits return -EINTR).
 */
#ifndef _LINUX_SCHED_SIGNAL_H
#define _LINUX_SCHED_SIGNAL_H

#include <linux/sched.h>

#define SHIM_SIGNAL_PENDING	0x1u	/* any signal */
#define SHIM_SIGNAL_FATAL	0x2u	/* SIGKILL: implies pending */

/**
 * shim_signal_pending() - signal_pending()/fatal_signal_pending() body.
 * @t: the task (normally current).
 * @fatal: only a fatal signal counts.
 * @site: "file:line" of the caller.
 *
 * Context: any; in controlled mode may draw a decision.
 * Return: true if a signal (of that kind) is pending.
 */
bool shim_signal_pending(struct shim_task *t, bool fatal, const char *site);

/**
 * shim_task_set_signal() - Set or clear pending signals of @t.
 * @t: the task.
 * @flags: SHIM_SIGNAL_* bits; 0 clears.
 *
 * Context: any.  At most SHIM_SIGNAL_TASKS tasks can have a flag at once.
 * Return: 0, or -ENOSPC if the table is full.
 */
int shim_task_set_signal(struct shim_task *t, unsigned int flags);
#define SHIM_SIGNAL_TASKS	64

/**
 * shim_signal_inject_enable() - Let the scheduler make signals pending.
 * @on: in controlled mode, ask decide(SHIM_DECIDE_SIGNAL_PENDING).
 *
 * Context: any; per slab context (the shim's per-world state).
 */
void shim_signal_inject_enable(bool on);

/**
 * shim_signal_reset() - Clear every task's pending flags.
 *
 * Context: between executions.
 */
void shim_signal_reset(void);

#define signal_pending(p)	shim_signal_pending((p), false, SHIM_SITE)
#define fatal_signal_pending(p)	shim_signal_pending((p), true, SHIM_SITE)
#define __fatal_signal_pending(p) fatal_signal_pending(p)

#endif /* _LINUX_SCHED_SIGNAL_H */
