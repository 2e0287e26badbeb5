// SPDX-License-Identifier: GPL-2.0
/*
 * pthread baton executor: one OS thread per model thread, exactly one of
 * them holding the baton.  Hand-off is a flag and a condition variable per
 * thread under one mutex.  Decisions are made by the same core code as for
 * fibers, so the event log is identical; this executor exists so gdb and
 * rr see ordinary threads.
 *
 * A thread that must not continue (BUG, or the execution ended while it
 * was parked) longjmps back to its start routine, then returns.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdlib.h>

#include "sched_internal.h"

/* Give the baton to @to (NULL: the run's caller). Called with x->mu held. */
static void give(struct sim_exec *x, struct sim_thread *to)
{
	if (to) {
		to->go = true;
		pthread_cond_signal(&to->cv);
	} else {
		x->main_go = true;
		pthread_cond_signal(&x->main_cv);
	}
}

static void wait_baton(struct sim_exec *x, struct sim_thread *me)
{
	while (!me->go)
		pthread_cond_wait(&me->cv, &x->mu);
	me->go = false;
}

static void *baton_thread(void *arg)
{
	struct sim_thread *t = arg;
	struct sim_exec *x = t->x;
	struct sim_thread *next;

	shim_ctx = &x->ctx;
	pthread_mutex_lock(&x->mu);
	wait_baton(x, t);
	pthread_mutex_unlock(&x->mu);
	if (!x->killing) {
		if (setjmp(t->unwind) == 0)
			sim_thread_body(t);
	}
	/* Returned, BUG-unwound (state DEAD) or killed at the end of the run. */
	next = x->killing ? NULL : sim_exit_choose(x, t);
	pthread_mutex_lock(&x->mu);
	give(x, next);
	pthread_mutex_unlock(&x->mu);
	shim_ctx = NULL;
	return NULL;
}

static void baton_transfer(struct sim_exec *x, struct sim_thread *from, struct sim_thread *to)
{
	pthread_mutex_lock(&x->mu);
	give(x, to);
	wait_baton(x, from);
	pthread_mutex_unlock(&x->mu);
	if (x->killing)
		longjmp(from->unwind, 2);
}

__attribute__((noreturn))
static void baton_exit(struct sim_exec *x, struct sim_thread *from, struct sim_thread *to)
{
	/* Only reached through unwind below; the start routine does the hand-off. */
	(void)to;
	longjmp(from->unwind, 1);
}

__attribute__((noreturn))
static void baton_unwind(struct sim_exec *x, struct sim_thread *self)
{
	self->state = SIM_T_DEAD;
	longjmp(self->unwind, 1);
}

static int baton_run(struct sim_exec *x)
{
	size_t ss = x->o->stack_size ?: sim_default_stack_size();
	struct sim_thread *first;
	pthread_attr_t attr;
	int created = 0, ret = 0;

	pthread_mutex_init(&x->mu, NULL);
	pthread_cond_init(&x->main_cv, NULL);
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, ss);
	for (int i = 0; i < x->n; i++) {
		struct sim_thread *t = &x->th[i];

		pthread_cond_init(&t->cv, NULL);
		t->go = false;
		if (pthread_create(&t->pt, &attr, baton_thread, t)) {
			ret = -1;
			break;
		}
		created++;
	}
	pthread_attr_destroy(&attr);
	first = ret ? NULL : sim_first(x);
	pthread_mutex_lock(&x->mu);
	if (first) {
		give(x, first);
		while (!x->main_go)
			pthread_cond_wait(&x->main_cv, &x->mu);
		x->main_go = false;
	}
	/* The run is over: every thread still parked unwinds and exits. */
	x->killing = true;
	for (int i = 0; i < created; i++) {
		struct sim_thread *t = &x->th[i];

		if (t->state == SIM_T_DONE || t->state == SIM_T_DEAD)
			continue;
		give(x, t);
		while (!x->main_go)
			pthread_cond_wait(&x->main_cv, &x->mu);
		x->main_go = false;
	}
	pthread_mutex_unlock(&x->mu);
	for (int i = 0; i < created; i++) {
		pthread_join(x->th[i].pt, NULL);
		pthread_cond_destroy(&x->th[i].cv);
	}
	pthread_cond_destroy(&x->main_cv);
	pthread_mutex_destroy(&x->mu);
	return ret;
}

const struct sim_executor_ops sim_pthread_ops = {
	.run = baton_run,
	.transfer = baton_transfer,
	.exit = baton_exit,
	.unwind = baton_unwind,
};
