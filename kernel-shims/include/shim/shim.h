/* SPDX-License-Identifier: GPL-2.0 */
/* Umbrella: the whole kernel-shims API in one include. */
#ifndef SHIM_SHIM_H
#define SHIM_SHIM_H

#include <linux/types.h>
#include <linux/compiler.h>
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/err.h>
#include <linux/bug.h>
#include <linux/list.h>
#include <linux/atomic.h>
#include <linux/refcount.h>
#include <linux/bitops.h>
#include <linux/log2.h>
#include <linux/overflow.h>
#include <linux/lockdep.h>
#include <linux/mutex.h>
#include <linux/rwsem.h>
#include <linux/spinlock.h>
#include <linux/srcu.h>
#include <linux/gfp.h>
#include <linux/slab.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/printk.h>
#include <shim/sched.h>
#include <shim/slab.h>

#endif /* SHIM_SHIM_H */
