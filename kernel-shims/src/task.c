// SPDX-License-Identifier: GPL-2.0
/*
 * `current`, after include/asm-generic/current.h (v7.1): the running model
 * thread.  Controlled mode asks the scheduler;
 * free-running uses the task bound by shim_task_enter(), or a default task
 * per OS thread so that plain threads (tests, tools) can take locks too.
 */
/* Not <linux/sched.h>: its `current` macro would rewrite ->current here. */
#include <stddef.h>

#include <shim/sched.h>

__thread struct shim_ctx *shim_ctx;

static __thread struct shim_task *bound_task;
static __thread struct shim_task default_task = {
	.tid = -1,
	.name = "thread",
};

/**
 * shim_task_enter() - Make @t the current task of the calling OS thread.
 * @t: the task; its held-lock stack must be empty or belong to this thread.
 *
 * Context: free-running; controlled mode asks shim_sched->current() first.
 */
void shim_task_enter(struct shim_task *t)
{
	bound_task = t;
}

/**
 * shim_task_exit() - Unbind the task bound by shim_task_enter().
 *
 * Context: the calling OS thread; it falls back to its default task.
 */
void shim_task_exit(void)
{
	bound_task = NULL;
}

/**
 * shim_current() - The running model task.
 *
 * Context: any.
 * Return: shim_ctx->current or shim_sched->current() in controlled mode
 * (the sim's scheduler keeps the former; test schedulers implement the
 * latter), else the bound task,
 * else this OS thread's default task (tid -1); never NULL.
 */
struct shim_task *shim_current(void)
{
	struct shim_ctx *c = shim_ctx;

	if (c) {
		const struct shim_sched_ops *s = c->sched;

		if (c->current)
			return c->current;
		if (s && s->current) {
			struct shim_task *t = s->current();

			if (t)
				return t;
		}
	}
	if (bound_task)
		return bound_task;
	return &default_task;
}
