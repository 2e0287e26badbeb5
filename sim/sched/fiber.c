// SPDX-License-Identifier: GPL-2.0
/*
 * Fiber executor: every model thread is a user-level context on the
 * calling OS thread; a switch is sim_ctx_switch() (switch_x86_64.S).
 *
 * Stacks come from one mmap'ed pool per OS thread, each with a guard page
 * below it, reused by every execution, so an execution makes no syscall.
 * ASan and TSan are told about every switch so their stack and
 * happens-before bookkeeping stay exact.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "sched_internal.h"

#ifdef GMEMSIM_ASAN
#include <sanitizer/asan_interface.h>
#include <sanitizer/common_interface_defs.h>
#endif
#ifdef GMEMSIM_TSAN
#include <sanitizer/tsan_interface.h>

/*
 * TSan counts every fiber as a live thread, and the pool keeps its fibers
 * until the OS thread exits, which the main thread's never does: at exit()
 * TSan then sees "threads" still running and sleeps atexit_sleep_ms (1 s)
 * to catch them racing the exit.  No fiber runs once an execution is over
 * and the executors join every OS thread they start, so there is nothing
 * to catch: one second per process was a third of the TSan replays'
 * time.  TSAN_OPTIONS in the environment still overrides this.
 */
const char *__tsan_default_options(void);
const char *__tsan_default_options(void)
{
	return "atexit_sleep_ms=0";
}
#endif
/* Valgrind must know the fiber stacks; its client requests cost nothing natively. */
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#else
#define VALGRIND_STACK_REGISTER(start, end) 0
#define VALGRIND_STACK_DEREGISTER(id) ((void)(id))
#endif

void sim_ctx_switch(void **save_sp, void *new_sp);
void sim_fiber_entry(void);

#define GUARD 4096

/**
 * sim_fiber_pool_free() - Unmap a worker's fiber stacks.
 * @w: the worker.
 *
 * Context: no execution running on @w.
 */
void sim_fiber_pool_free(struct sim_worker *w)
{
	for (int i = 0; w->stack_pool && i < SIM_MAX_THREADS; i++)
		VALGRIND_STACK_DEREGISTER(w->vg_stack_id[i]);
#ifdef GMEMSIM_TSAN
	for (int i = 0; i < SIM_MAX_THREADS; i++) {
		if (w->tsan_fibers[i])
			__tsan_destroy_fiber(w->tsan_fibers[i]);
		w->tsan_fibers[i] = NULL;
	}
#endif
	if (w->stack_pool)
		munmap(w->stack_pool, w->pool_len);
	w->stack_pool = NULL;
	w->pool_len = 0;
	w->nstacks = 0;
}

static int pool_ensure(struct sim_worker *w, int n, size_t size)
{
	size_t slot, len;
	char *p;

	size = (size + 4095) & ~(size_t)4095;
	if (w->stack_pool && w->nstacks >= n && w->stack_size == size)
		return 0;
	sim_fiber_pool_free(w);
	slot = size + GUARD;
	len = slot * (size_t)SIM_MAX_THREADS;
	if (n > SIM_MAX_THREADS)
		return -1;
	/* Reserve for the maximum once, so a bigger program does not remap. */
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
		 -1, 0);
	if (p == MAP_FAILED)
		return -1;
	for (int i = 0; i < SIM_MAX_THREADS; i++) {
		mprotect(p + i * slot, GUARD, PROT_NONE);
		w->vg_stack_id[i] = VALGRIND_STACK_REGISTER(p + i * slot + GUARD,
							    p + (i + 1) * slot);
	}
	w->stack_pool = p;
	w->pool_len = len;
	memset(w->stack_dirty, 0, sizeof(w->stack_dirty));
	w->stack_size = size;
	w->nstacks = SIM_MAX_THREADS;
	return 0;
}

/* Sanitizer hooks around a switch: before it (on the old stack)... */
static inline void san_before(struct sim_exec *x, struct sim_thread *to, void **fake,
			      bool dying)
{
#ifdef GMEMSIM_ASAN
	if (to)
		__sanitizer_start_switch_fiber(dying ? NULL : fake, to->stack, to->stack_size);
	else
		__sanitizer_start_switch_fiber(dying ? NULL : fake, x->w->main_stack_bottom,
					       x->w->main_stack_size);
#endif
#ifdef GMEMSIM_TSAN
	__tsan_switch_to_fiber(to ? to->tsan_fiber : x->w->main_tsan_fiber, 0);
#endif
	(void)x; (void)to; (void)fake; (void)dying;
}

/* ...and after it (on the new stack). */
static inline void san_after(struct sim_exec *x, void *fake, bool main)
{
#ifdef GMEMSIM_ASAN
	const void *bottom;
	size_t size;

	__sanitizer_finish_switch_fiber(fake, &bottom, &size);
	if (main) {
		/* Learn the caller's stack the first time we leave it. */
		x->w->main_stack_bottom = bottom;
		x->w->main_stack_size = size;
	}
#endif
	(void)x; (void)fake; (void)main;
}

static void fiber_main(struct sim_thread *t) __attribute__((noreturn));
static void fiber_main(struct sim_thread *t)
{
	struct sim_exec *x = t->x;

	/* The first fiber of an execution is entered from the caller. */
	san_after(x, NULL, !x->w->main_known);
	x->w->main_known = true;
	sim_thread_body(t);
	x->ex->exit(x, t, sim_exit_choose(x, t));
}

static void *fresh_context(struct sim_thread *t)
{
	uintptr_t top = ((uintptr_t)t->stack + t->stack_size) & ~(uintptr_t)15;
	uint64_t *sp = (uint64_t *)(top - 72);

	/* Popped by sim_ctx_switch: r15 r14 r13 r12 rbx rbp, then "ret". */
	sp[0] = 0;
	sp[1] = 0;
	sp[2] = (uint64_t)(uintptr_t)fiber_main;	/* r13 */
	sp[3] = (uint64_t)(uintptr_t)t;			/* r12 */
	sp[4] = 0;
	sp[5] = 0;
	sp[6] = (uint64_t)(uintptr_t)sim_fiber_entry;
	return sp;
}

static void fiber_transfer(struct sim_exec *x, struct sim_thread *from, struct sim_thread *to)
{
	void *fake = NULL;

	san_before(x, to, &fake, false);
	sim_ctx_switch(&from->sp, to ? to->sp : x->w->main_sp);
	san_after(x, fake, false);
}

__attribute__((noreturn))
static void fiber_exit(struct sim_exec *x, struct sim_thread *from, struct sim_thread *to)
{
	void *dummy;

	/* A BUG-unwound fiber left its deeper frames behind. */
	x->w->stack_dirty[from->tid] = from->state == SIM_T_DEAD;
	san_before(x, to, NULL, true);
	sim_ctx_switch(&dummy, to ? to->sp : x->w->main_sp);
	__builtin_unreachable();
}

__attribute__((noreturn))
static void fiber_unwind(struct sim_exec *x, struct sim_thread *self)
{
	/* The stack is simply abandoned; its shadow is reset at reuse. */
	self->state = SIM_T_DEAD;
	x->ex->exit(x, self, sim_exit_choose(x, self));
}

static int fiber_run(struct sim_exec *x)
{
	struct sim_worker *w = x->w;
	size_t ss = x->o->stack_size ?: sim_default_stack_size();
	struct sim_thread *first;
	void *fake = NULL;
	char *pool;

	if (pool_ensure(w, x->n, ss) < 0)
		return -1;
	pool = w->stack_pool;
	for (int i = 0; i < x->n; i++) {
		struct sim_thread *t = &x->th[i];

		t->stack = pool + i * (w->stack_size + GUARD) + GUARD;
		t->stack_size = w->stack_size;
#ifdef GMEMSIM_ASAN
		/*
		 * Frames that never returned keep their redzones poisoned: all
		 * of them for a fiber abandoned mid-run, only fiber_main() and
		 * fiber_exit() (at the top) for one that ended.
		 */
		if (w->stack_dirty[i])
			ASAN_UNPOISON_MEMORY_REGION(t->stack, t->stack_size);
		else
			ASAN_UNPOISON_MEMORY_REGION((char *)t->stack + t->stack_size - 16384, 16384);
#endif
		w->stack_dirty[i] = true;
		t->sp = fresh_context(t);
#ifdef GMEMSIM_TSAN
		/*
		 * Reused across executions: creating one costs a syscall, and
		 * since every switch synchronises (flags 0) a reused fiber's
		 * history adds no ordering that was not there already.
		 */
		if (!w->tsan_fibers[i])
			w->tsan_fibers[i] = __tsan_create_fiber(0);
		t->tsan_fiber = w->tsan_fibers[i];
#endif
	}
#ifdef GMEMSIM_TSAN
	w->main_tsan_fiber = __tsan_get_current_fiber();
#endif
	w->main_known = false;
	first = sim_first(x);
	if (first) {
		san_before(x, first, &fake, false);
		sim_ctx_switch(&w->main_sp, first->sp);
		san_after(x, fake, false);
	}
	return 0;
}

const struct sim_executor_ops sim_fiber_ops = {
	.run = fiber_run,
	.transfer = fiber_transfer,
	.exit = fiber_exit,
	.unwind = fiber_unwind,
};
