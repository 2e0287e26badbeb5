/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Models the parts of include/linux/sched.h (v7.1) the subsystem uses:
 * `current` is the running struct shim_task (see shim/sched.h).
 *
 * `current` is an object-like macro as in the kernel, so a file that calls
 * shim_sched->current() (sim/) must not include this header.
 */
#ifndef _LINUX_SCHED_H
#define _LINUX_SCHED_H

#include <linux/kernel.h>
#include <shim/sched.h>

#define task_struct shim_task
#define current (shim_current())

#define TASK_RUNNING		0x0000
#define TASK_INTERRUPTIBLE	0x0001
#define TASK_UNINTERRUPTIBLE	0x0002
#define TASK_KILLABLE		0x0102

#define schedule()		sched_point("schedule")
#define yield()			sched_point("yield")

#endif /* _LINUX_SCHED_H */
