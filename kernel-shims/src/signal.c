// SPDX-License-Identifier: GPL-2.0
/*
 * signal_pending()/fatal_signal_pending(), after include/linux/sched/signal.h
 * (v7.1).  A model task has no signal queue; a test or trace marks a task
 * with shim_task_set_signal(), and in controlled mode with injection on the
 * scheduler decides, so -EINTR paths are one more explored choice.
 *
 * struct shim_task is a shared contract with no room for a flag, so the
 * flags live in a small side table; nr_flagged keeps the common "nobody has
 * a signal" check to one load.
 */
#include <errno.h>
#include <pthread.h>
#include <stddef.h>

#include <linux/sched/signal.h>
#include <shim/slab.h>

struct signal_slot {
	struct shim_task *task;
	unsigned int flags;
};

static pthread_mutex_t signal_lock = PTHREAD_MUTEX_INITIALIZER;
static struct signal_slot slots[SHIM_SIGNAL_TASKS];
static int nr_flagged;

int shim_task_set_signal(struct shim_task *t, unsigned int flags)
{
	struct signal_slot *free_slot = NULL;
	int i, ret = 0;

	pthread_mutex_lock(&signal_lock);
	for (i = 0; i < SHIM_SIGNAL_TASKS; i++) {
		if (slots[i].task == t) {
			free_slot = &slots[i];
			break;
		}
		if (!slots[i].task && !free_slot)
			free_slot = &slots[i];
	}
	if (flags) {
		if (!free_slot) {
			ret = -ENOSPC;
		} else {
			if (!free_slot->task)
				__atomic_add_fetch(&nr_flagged, 1, __ATOMIC_RELEASE);
			free_slot->task = t;
			free_slot->flags = flags;
		}
	} else if (free_slot && free_slot->task == t) {
		free_slot->task = NULL;
		free_slot->flags = 0;
		__atomic_sub_fetch(&nr_flagged, 1, __ATOMIC_RELEASE);
	}
	pthread_mutex_unlock(&signal_lock);
	return ret;
}

void shim_signal_reset(void)
{
	int i;

	pthread_mutex_lock(&signal_lock);
	for (i = 0; i < SHIM_SIGNAL_TASKS; i++)
		slots[i] = (struct signal_slot){ NULL, 0 };
	__atomic_store_n(&nr_flagged, 0, __ATOMIC_RELEASE);
	pthread_mutex_unlock(&signal_lock);
}

void shim_signal_inject_enable(bool on)
{
	__atomic_store_n(&shim_slab_ctx_current()->signal_inject, on, __ATOMIC_RELAXED);
}

static unsigned int task_flags(struct shim_task *t)
{
	unsigned int flags = 0;
	int i;

	if (!__atomic_load_n(&nr_flagged, __ATOMIC_ACQUIRE))
		return 0;
	pthread_mutex_lock(&signal_lock);
	for (i = 0; i < SHIM_SIGNAL_TASKS; i++) {
		if (slots[i].task == t) {
			flags = slots[i].flags;
			break;
		}
	}
	pthread_mutex_unlock(&signal_lock);
	return flags;
}

bool shim_signal_pending(struct shim_task *t, bool fatal, const char *site)
{
	const struct shim_sched_ops *s = shim_sched;
	unsigned int flags = task_flags(t);

	if (flags & SHIM_SIGNAL_FATAL)
		return true;
	if (!fatal && (flags & SHIM_SIGNAL_PENDING))
		return true;
	/* Only the running task's signals are the scheduler's to decide. */
	if (s && s->decide && t == shim_current() &&
	    __atomic_load_n(&shim_slab_ctx_current()->signal_inject, __ATOMIC_RELAXED))
		return s->decide(SHIM_DECIDE_SIGNAL_PENDING, site);
	return false;
}
