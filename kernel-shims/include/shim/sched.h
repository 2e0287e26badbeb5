/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one interface between kernel-shims/ and sim/.
 *
 * Every blocking or ordering primitive in kernel-shims (mutex, rwsem, rwlock,
 * spinlock, SRCU, protocol atomics, annotated READ_ONCE/WRITE_ONCE, slab
 * allocation) calls into the hooks below.  sim/ installs a scheduler by
 * setting shim_sched; with shim_sched == NULL ("free-running") the shims use
 * real pthread primitives and the hooks cost one predictable branch.
 *
 * Controlled mode contract (shim_sched != NULL):
 *   - exactly one model thread runs at a time; it only stops running inside
 *     ->point() or ->block().  Shim lock state is therefore plain data.
 *   - ->point() is called *before* the operation takes effect, so the
 *     scheduler may let another thread go first.
 *   - ->block(obj) parks the current thread until somebody calls
 *     ->wake(obj); the caller re-checks its condition in a loop.
 *   - every choice the scheduler makes (which thread runs, whether an
 *     allocation fails, whether a signal is pending) comes from the run's
 *     decision stream, so the run is replayable.
 */
#ifndef SHIM_SCHED_H
#define SHIM_SCHED_H

#include <stdbool.h>
#include <stdint.h>

/* What a scheduling point is about to do.  Keep in sync with shim_op_name(). */
enum shim_op {
	SHIM_OP_POINT = 0,	/* explicit named point placed by the model */
	SHIM_OP_MUTEX_LOCK,
	SHIM_OP_MUTEX_UNLOCK,
	SHIM_OP_DOWN_READ,
	SHIM_OP_DOWN_WRITE,
	SHIM_OP_UP_READ,
	SHIM_OP_UP_WRITE,
	SHIM_OP_READ_LOCK,	/* rwlock (mmu_lock) */
	SHIM_OP_WRITE_LOCK,
	SHIM_OP_READ_UNLOCK,
	SHIM_OP_WRITE_UNLOCK,
	SHIM_OP_SPIN_LOCK,
	SHIM_OP_SPIN_UNLOCK,
	SHIM_OP_SRCU_READ_LOCK,
	SHIM_OP_SRCU_READ_UNLOCK,
	SHIM_OP_SYNCHRONIZE_SRCU,
	SHIM_OP_ATOMIC,		/* RMW on a protocol atomic */
	SHIM_OP_READ_ONCE,
	SHIM_OP_WRITE_ONCE,
	SHIM_OP_ALLOC,
	SHIM_OP_FREE,
	SHIM_OP_FOLIO_LOCK,
	SHIM_OP_FOLIO_UNLOCK,
	SHIM_OP_SPIN,		/* retry loop iteration: deprioritise me (see sched_spin) */
	SHIM_OP_NR
};

const char *shim_op_name(enum shim_op op);

/* Nondeterministic yes/no questions the model asks. */
enum shim_decision {
	SHIM_DECIDE_ALLOC_FAIL = 0,	/* should this allocation fail? */
	SHIM_DECIDE_SIGNAL_PENDING,	/* signal_pending(current)? */
	SHIM_DECIDE_NR
};

enum shim_report_kind {
	SHIM_REPORT_WARN = 0,		/* WARN_ON / WARN_ON_ONCE fired */
	SHIM_REPORT_BUG,		/* BUG_ON: the thread cannot continue */
	SHIM_REPORT_KVM_BUG,		/* KVM_BUG_ON: VM marked bugged */
	SHIM_REPORT_LOCKDEP,		/* lock order inversion, bad unlock, assert_held */
	SHIM_REPORT_SLAB,		/* double free, use after free, leak */
	SHIM_REPORT_DEADLOCK,		/* free-running: detected by a watchdog */
	SHIM_REPORT_NR
};

const char *shim_report_name(enum shim_report_kind kind);

#define SHIM_MAX_HELD_LOCKS 16

struct shim_held_lock {
	const void *lock;
	const struct lock_class_key *class;
	const char *name;
	bool shared;		/* read side of rwsem/rwlock, srcu reader */
	const char *site;	/* where it was taken ("file:line") */
};

/*
 * Per model-thread state the shims need.  sim/ embeds one in each of its
 * threads; free-running threads get one from shim_task_enter().
 */
struct shim_task {
	int tid;			/* 0..n-1 within a run; -1 for "no task" */
	const char *name;
	int nheld;
	struct shim_held_lock held[SHIM_MAX_HELD_LOCKS];
	void *sim_private;		/* owned by sim/ */
};

struct shim_sched_ops {
	/* Scheduling point before @op on @obj at @site ("file:line" or name). */
	void (*point)(enum shim_op op, const void *obj, const char *site);
	/* Park the current thread until ->wake(@obj). */
	void (*block)(enum shim_op op, const void *obj, const char *site);
	/* Make every thread parked on @obj runnable again. */
	void (*wake)(const void *obj);
	/* Draw a decision from the run's decision stream. */
	bool (*decide)(enum shim_decision what, const char *site);
	/* The running model thread. */
	struct shim_task *(*current)(void);
	/*
	 * A WARN/BUG/lockdep/slab report.  For SHIM_REPORT_BUG the hook must
	 * not return to the caller (the sim unwinds the thread).
	 */
	void (*report)(enum shim_report_kind kind, const char *msg,
		       const char *file, int line);
};

/*
 * Per-execution shim context.  Thread-local, so that --jobs N workers each
 * run their own world in one process.  Executors that run one world on
 * several OS threads (pthread baton, free-running) set the same context in
 * each of them.  NULL context, or NULL ->sched: free-running real pthreads.
 */
struct shim_slab_ctx;
struct shim_lockdep_graph;
struct shim_ctx {
	const struct shim_sched_ops *sched;
	void *sched_data;		/* owned by the scheduler */
	struct shim_slab_ctx *slab;	/* owned by the slab shim; NULL: process default */
	uint64_t (*step)(void);		/* current step number for reports; may be NULL */
	struct shim_lockdep_graph *lockdep;	/* NULL: process default graph */
	/*
	 * The running model task, for a scheduler that keeps it here instead
	 * of (or as well as) implementing ->current(): shim_current() reads
	 * it without an indirect call.  NULL: no model task is running; ask
	 * ->current() if any, then the bound task.
	 */
	struct shim_task *current;
	/*
	 * The scheduler keeps ->current and orders only model tasks: with
	 * none running (setup, checks) its ->point() does nothing, so callers
	 * need not call it (shim_point_idle()).
	 */
	bool keeps_current;
	/*
	 * The step of an earlier event that caused the report about to be
	 * made (e.g. the free behind a use-after-free), set just before
	 * shim_report() and taken by the scheduler's ->report(); 0: none.
	 * See shim_report_cause().
	 */
	uint64_t report_cause;
};
extern __thread struct shim_ctx *shim_ctx;

/*
 * shim_report_cause - name the step (from ->step()) of the event that
 * caused the next report, so a story can pair it with the violation.
 * Context: any; call right before shim_report().
 */
static inline void shim_report_cause(uint64_t step)
{
	if (shim_ctx)
		shim_ctx->report_cause = step;
}

#define shim_sched (shim_ctx ? shim_ctx->sched : (const struct shim_sched_ops *)0)

/* Free-running: bind/unbind a shim_task to the calling OS thread. */
void shim_task_enter(struct shim_task *t);
void shim_task_exit(void);
/* The current task in either mode (never NULL: a default task exists). */
struct shim_task *shim_current(void);

/* Would ->point() of @c's scheduler return at once?  @c: non-NULL. */
static inline bool shim_point_idle(const struct shim_ctx *c)
{
	return c->keeps_current && !c->current;
}

/* @s->point(), unless idle; @s: shim_sched, non-NULL (so is shim_ctx). */
static inline void shim_sched_point(const struct shim_sched_ops *s, enum shim_op op,
				    const void *obj, const char *site)
{
	if (!shim_point_idle(shim_ctx))
		s->point(op, obj, site);
}

/* Convenience wrappers used by the shims and by model code. */
static inline void shim_point(enum shim_op op, const void *obj, const char *site)
{
	struct shim_ctx *c = shim_ctx;

	if (c && c->sched && !shim_point_idle(c))
		c->sched->point(op, obj, site);
}

#define __SHIM_STR2(x) #x
#define __SHIM_STR(x) __SHIM_STR2(x)
#define SHIM_SITE __FILE__ ":" __SHIM_STR(__LINE__)

/*
 * sched_point("name"): an explicit scheduling point at one of the kernel's
 * natural step boundaries (e.g. between invalidate-begin and truncate).
 */
#define sched_point(name) shim_point(SHIM_OP_POINT, NULL, name)

/*
 * sched_spin("name"): one iteration of a retry loop (RET_PF_RETRY, a
 * cmpxchg loop).  The scheduler must not pick the spinning thread again
 * while another thread is runnable, so retry loops cannot starve the thread
 * they wait for under PCT or bounded search.
 */
#define sched_spin(name) shim_point(SHIM_OP_SPIN, NULL, name)

/*
 * Free-running reports go to this sink (set by sim/ or tests); the default
 * prints to stderr and counts.  Controlled mode uses shim_sched->report.
 */
typedef void (*shim_report_fn)(enum shim_report_kind kind, const char *msg,
			       const char *file, int line);
extern shim_report_fn shim_report_sink;
void shim_report(enum shim_report_kind kind, const char *file, int line,
		 const char *fmt, ...) __attribute__((format(printf, 4, 5)));
unsigned long shim_report_count(enum shim_report_kind kind);
void shim_report_reset(void);

#endif /* SHIM_SCHED_H */
