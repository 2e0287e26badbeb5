/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sim/sched: the deterministic scheduler behind kernel-shims' shim_sched_ops.
 *
 * Vocabulary
 *   program    what to run: N model threads over a fresh world (struct sim_program).
 *   execution  one run of a program from a fresh start (sim_run()).
 *   step       a thread passing one scheduling point (shim point/block
 *              return, or its start).  Steps are numbered from 0 per execution.
 *   decision   a choice made while more than one thread could take the next
 *              step, or a fault-injection answer from ->decide().  The list
 *              of decisions of one execution is its *decision record*; the
 *              schedule string ("S1:...", see schedule.c) encodes it.
 *   strategy   who makes the decisions: random walk, PCT, bounded DFS with
 *              sleep sets, or replay of a schedule string.
 *   executor   how model threads run: fibers on one OS thread (default), a
 *              pthread per thread with a baton (for gdb/rr), or free-running
 *              real pthreads without control.
 *
 * Minimal use (upper layers):
 *
 *	static void *setup(void *arg)          { return world_new(arg); }
 *	static void thread(void *w, int tid)   { ... model calls ... }
 *	static void check(void *w)             { if (bad) sim_violation("x", "..."); }
 *	static void teardown(void *w)          { world_free(w); }
 *	struct sim_program p = { .nthreads = 2, .setup = setup, .thread = thread,
 *				 .check = check, .teardown = teardown };
 *	struct sim_search_opts so = SIM_SEARCH_OPTS_INIT;
 *	so.strat.kind = SIM_STRAT_RANDOM; so.strat.seed = 42; so.max_execs = 1000;
 *	struct sim_search_result sr;
 *	sim_search(&p, &so, &sr);            // sr.fail.schedule replays the failure
 *	...
 *	struct sim_result r;
 *	sim_replay(&p, &so.run, sr.fail.schedule, &r);   // identical r.hash
 *	sim_search_result_free(&sr); sim_result_free(&r);
 *
 *	char *min = sim_minimise(sr.fail.schedule, sim_program_fails,
 *				 &(struct sim_minimise_prog){ .p = &p, .o = &so.run });
 *
 * Rules for programs (what replay fidelity relies on):
 *   - Given the same decisions, a program must do the same thing: no
 *     decisions on addresses, time, or state left over from an earlier
 *     execution (reset globals in setup(); note shim lockdep's graph is
 *     process-global, so its reports depend on earlier executions).
 *   - ->point(op, obj) announces the thread's NEXT step.  DFS treats two
 *     steps as independent only if both name objects and the objects differ,
 *     or both are shared acquisitions/reads (down_read, read_lock,
 *     srcu_read_lock, READ_ONCE) of one object.  obj == NULL (sched_point(),
 *     a thread's start, sched_spin()) conflicts with everything.
 *   - sched_spin(): the spinning thread is not picked again while another
 *     thread can run, until some other thread took a step.
 *   - All live threads blocked: SIM_DEADLOCK, violation "DEADLOCK" with the
 *     wait-for cycle (holders found in shim_task.held[]).  Spinning with no
 *     other progress for spin_limit steps: SIM_LIVELOCK naming the site.
 *   - ->report(): WARN/KVM_BUG/LOCKDEP/SLAB are recorded and the thread goes
 *     on; BUG records and unwinds that thread only (its locks stay held).
 *     The other threads run on (blocking on its locks ends the run as a
 *     deadlock); check() is then not called, as for a cut run.
 *   - A run cut short (deadlock, livelock, budget, divergence) abandons the
 *     other threads mid-flight: teardown() must free the world without
 *     their help (and without the locks they hold).  check() is not
 *     called then.
 *
 * Threading: sim_run()/sim_search() may be called from several OS threads at
 * once (each builds its own executor state); the program's setup()/thread()
 * must then keep each world separate.  Inside a run, model threads call
 * sim_log()/sim_violation()/sim_current_tid(), which find the execution
 * through the thread-local shim_ctx.
 */
#ifndef SIM_SCHED_H
#define SIM_SCHED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "shim/sched.h"

#define SIM_MAX_THREADS 64

/* ---- Programs ---------------------------------------------------------- */

struct sim_program {
	const char *name;
	int nthreads;			/* 1..SIM_MAX_THREADS */
	/*
	 * Build a fresh world for one execution; runs on the calling OS thread
	 * with shim_ctx installed but no model thread current.  Return the
	 * world passed to the other hooks (may be NULL).
	 */
	void *(*setup)(void *arg);
	/* Body of model thread @tid (0..nthreads-1). */
	void (*thread)(void *world, int tid);
	/*
	 * Quiescent checks after the threads end (not called when the run was
	 * cut short by deadlock/livelock/divergence, or a BUG unwound a
	 * thread).  May call sim_violation().
	 */
	void (*check)(void *world);
	/* Free the world; always called when setup() was. */
	void (*teardown)(void *world);
	void *arg;
};

/* ---- Options and results of one execution ------------------------------ */

enum sim_executor_kind {
	SIM_EXEC_FIBER = 0,	/* default: user-level contexts on one OS thread */
	SIM_EXEC_PTHREAD,	/* one pthread per model thread, baton hand-off */
	SIM_EXEC_FREE,		/* real pthreads, shim_sched == NULL, no control */
};

struct sim_run_opts {
	enum sim_executor_kind executor;
	bool fault_inject;	/* ALLOC_FAIL/SIGNAL_PENDING become decisions */
	uint64_t step_budget;	/* 0: default (1,000,000) */
	uint32_t spin_limit;	/* consecutive spin steps with no other progress; 0: 10,000 */
	uint32_t timeout_ms;	/* free-running watchdog; 0: 10,000 */
	size_t stack_size;	/* fiber/pthread stack; 0: 256 KiB (1 MiB under ASan) */
	bool keep_log;		/* keep the event log in the result (sim_result.log) */
	/*
	 * Skip the event-log hash (sim_result.hash stays 0) unless keep_log:
	 * for callers that never compare runs, the fuzz engines' targets.
	 */
	bool no_event_hash;
	/*
	 * Drop every violation of this checker (NULL: none): a switched-off
	 * checker, to prove that a finding depends on it (gmemsim
	 * --disable-checker).  Deadlock/livelock outcomes are not checkers.
	 */
	const char *ignore_checker;
};

#define SIM_RUN_OPTS_INIT { .executor = SIM_EXEC_FIBER }

enum sim_outcome {
	SIM_OK = 0,		/* all threads ended, no violation */
	SIM_VIOLATION,		/* one or more violations recorded */
	SIM_DEADLOCK,		/* all live threads blocked (cycle in the violation text) */
	SIM_LIVELOCK,		/* progress monitor: spinning with no other progress */
	SIM_STEP_BUDGET,	/* step budget exhausted */
	SIM_DIVERGED,		/* strict replay could not follow the schedule */
	SIM_PRUNED,		/* DFS cut the execution (sleep-set blocked, other shard) */
	SIM_HANG,		/* free-running: watchdog fired */
	SIM_ERROR,		/* bad program/options, out of memory */
};

const char *sim_outcome_name(enum sim_outcome o);

struct sim_violation {
	uint64_t step;
	uint64_t cause_step;	/* step of the event that caused it (0: unknown) */
	int tid;		/* -1: not in a model thread */
	char *checker;		/* "WARN", "BUG", "LOCKDEP", "DEADLOCK", or the caller's name */
	char *msg;
	char *site;		/* "file:line" or a point name; may be NULL */
};

/* One decision: a thread pick, or a fault answer. */
struct sim_decision {
	uint8_t kind;		/* SIM_DEC_PICK or SIM_DEC_FAULT */
	uint8_t preempt;	/* PICK: switched away from a runnable current thread */
	int16_t value;		/* PICK: tid; FAULT: 0/1 */
	int16_t cur;		/* PICK: the current thread (-1: none runnable) */
};
enum { SIM_DEC_PICK = 0, SIM_DEC_FAULT = 1 };

/* One entry of the event log. */
enum { SIM_EV_USER = 0x100, SIM_EV_START = 0x101, SIM_EV_RESUME = 0x200 };
struct sim_event {
	uint64_t step;
	int tid;		/* -1: logged outside model threads */
	uint32_t op;		/* enum shim_op, | SIM_EV_RESUME after ->block(), or SIM_EV_* */
	uint32_t obj;		/* stable per-run object id; 0: none */
	const char *site;	/* scheduling point site (static string), or NULL */
	const char *text;	/* SIM_EV_USER text (owned by the log), or NULL */
};

struct sim_result {
	enum sim_outcome outcome;
	uint64_t steps;
	uint64_t hash;		/* FNV-1a 64 of the canonical event log */
	char *schedule;		/* decision record as "S1:..." (malloc'ed) */
	struct sim_decision *decisions;	/* the same record with cur/preempt (malloc'ed) */
	size_t ndecisions;
	unsigned npreemptions;	/* thread switches away from a runnable current thread */
	struct sim_violation *v;
	size_t nv;
	struct sim_event *log;	/* only with keep_log */
	size_t nlog;
	char *error;		/* SIM_DIVERGED/SIM_ERROR/SIM_HANG explanation */
};

void sim_result_free(struct sim_result *r);
/* Print outcome, violations and schedule (and the log if kept) to @f. */
void sim_result_print(const struct sim_result *r, FILE *f);
/* Format one event as "step T<tid> op obj site text" into @buf. */
int sim_event_format(const struct sim_event *e, char *buf, size_t len);

/* ---- Strategies -------------------------------------------------------- */

/*
 * Executions a PCT search runs first to estimate an execution's length
 * (the range its priority change points are drawn from).  They are not
 * counted among the search's executions and their violations are not
 * reported; their time is part of the search's.
 */
#define SIM_PCT_CALIBRATION	2

enum sim_strategy_kind {
	SIM_STRAT_RANDOM = 0,	/* seeded random walk */
	SIM_STRAT_PCT,		/* PCT with depth pct_depth */
	SIM_STRAT_DFS,		/* bounded exhaustive search with sleep sets */
	SIM_STRAT_REPLAY,	/* strict replay of schedule */
	SIM_STRAT_PREFIX,	/* lenient replay of schedule, then non-preemptive */
};

struct sim_strategy_cfg {
	enum sim_strategy_kind kind;
	uint64_t seed;			/* RANDOM/PCT: execution k uses sim_iter_seed(seed, k) */
	int pct_depth;			/* PCT d >= 1 (d-1 priority change points) */
	int preemption_bound;		/* DFS: max preemptions per execution; -1: unbounded
					 * (a zeroed cfg means 0: no preemptions at all) */
	bool no_por;			/* DFS: disable sleep sets */
	unsigned fault_budget;		/* max "yes" fault answers per execution (0: 1) */
	unsigned fault_permille;	/* RANDOM/PCT: P(yes) per fault decision, default 125 */
	const char *schedule;		/* REPLAY/PREFIX */
};

struct sim_strategy;

struct sim_strategy *sim_strategy_new(const struct sim_strategy_cfg *cfg);
void sim_strategy_free(struct sim_strategy *s);
const char *sim_strategy_name(enum sim_strategy_kind k);
uint64_t sim_iter_seed(uint64_t seed, uint64_t iter);

/*
 * Run one execution of @p with decisions from @s.  For RANDOM/PCT, @iter
 * selects the seed (sim_iter_seed()); for DFS, the strategy's search state
 * advances (see sim_strategy_done()).  Fills @r (free with sim_result_free()).
 * Return: @r->outcome.
 */
enum sim_outcome sim_run(const struct sim_program *p, const struct sim_run_opts *o,
			 struct sim_strategy *s, uint64_t iter, struct sim_result *r);
/* DFS: true once the bounded space is exhausted.  Others: false. */
bool sim_strategy_done(const struct sim_strategy *s);

/* Strict replay of a schedule string (or error SIM_DIVERGED). */
enum sim_outcome sim_replay(const struct sim_program *p, const struct sim_run_opts *o,
			    const char *schedule, struct sim_result *r);

/* ---- Search (many executions, parallel and sharded) -------------------- */

struct sim_search_opts {
	struct sim_strategy_cfg strat;
	struct sim_run_opts run;
	unsigned jobs;			/* worker OS threads; 0/1: calling thread */
	unsigned shard, nshards;	/* this is shard @shard of @nshards (0/0: all) */
	uint64_t max_execs;		/* RANDOM/PCT: iterations 0..max_execs-1; DFS: cap (0: none) */
	bool stop_on_fail;		/* stop at the first failing execution */
	int dfs_split_depth;		/* DFS sharding: prefix depth (0: 3) */
	uint32_t time_limit_ms;		/* stop starting executions after this (0: none);
					 * the result then depends on speed */
	/* Optional: called by worker 0 after each of its executions. */
	void (*progress)(void *arg, uint64_t executions, uint64_t failures);
	void *progress_arg;
};

#define SIM_SEARCH_OPTS_INIT { .strat = { .pct_depth = 2, .preemption_bound = -1 }, \
			       .run = SIM_RUN_OPTS_INIT }

struct sim_search_result {
	uint64_t executions;		/* complete executions run */
	uint64_t pruned;		/* DFS executions cut short */
	uint64_t failures;		/* executions with outcome != SIM_OK */
	bool exhausted;			/* DFS: bounded space fully explored */
	bool failed;			/* fail below is valid */
	uint64_t fail_iter;		/* RANDOM/PCT: iteration; DFS: subtree index */
	struct sim_result fail;		/* the first failure (lowest iteration / DFS order) */
	uint64_t total_steps;
	bool timed_out;			/* time_limit_ms cut the search short */
};

/* Return: 0, or -EINVAL for bad options. */
int sim_search(const struct sim_program *p, const struct sim_search_opts *o,
	       struct sim_search_result *r);
void sim_search_result_free(struct sim_search_result *r);

/* ---- Minimiser --------------------------------------------------------- */

/*
 * "Does this schedule still fail?"  Run the program with @schedule as a
 * SIM_STRAT_PREFIX strategy (lenient replay of the schedule, then
 * non-preemptive continuation), fill @r with that run's result (the
 * minimiser reads r->decisions and frees @r) and return true if it fails.
 */
typedef bool (*sim_fails_fn)(void *arg, const char *schedule, struct sim_result *r);

/*
 * Minimise failing @schedule: find the shortest failing prefix (run with a
 * non-preemptive continuation), then remove preemptions one at a time
 * (each replaced by "keep running the current thread") while the run still
 * fails with strictly fewer preemptions, until removing any single
 * remaining preemption loses the failure (1-minimal).  Deterministic.
 * Return: the malloc'ed full decision record of the minimal failing run
 * (replays strictly with sim_replay()), or NULL if @schedule does not fail
 * or does not parse.
 */
char *sim_minimise(const char *schedule, sim_fails_fn fails, void *arg);
/* The same; *@runs (may be NULL) counts the executions used. */
char *sim_minimise_runs(const char *schedule, sim_fails_fn fails, void *arg, unsigned *runs);

/* A ready sim_fails_fn: @arg is a struct sim_minimise_prog; "fails" means
 * outcome != SIM_OK. */
struct sim_minimise_prog {
	const struct sim_program *p;
	const struct sim_run_opts *o;
};
bool sim_program_fails(void *arg, const char *schedule, struct sim_result *r);

/* ---- Schedule strings --------------------------------------------------- */


/*
 * Encode: "S1:" [ "f" ] then tokens: 'A'+tid for tid < 26, "[tid]" otherwise,
 * 'y'/'n' for fault answers, each optionally followed by a decimal repeat
 * count ("A3B" = A A A B).  "f" marks fault injection enabled.
 * Return: malloc'ed string.
 */
char *sim_schedule_encode(const struct sim_decision *d, size_t n, bool faults);
/*
 * Decode @s into a malloc'ed array (*@d, *@n) (only kind/value set).
 * Return: 0, or -EINVAL with a message in @err (may be NULL).
 */
int sim_schedule_decode(const char *s, struct sim_decision **d, size_t *n,
			bool *faults, char *err, size_t errlen);

/* ---- Calls for code running inside an execution ------------------------ */

/* Record a violation by @checker at the current step (any thread). */
void sim_violation(const char *checker, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Append a user event (e.g. "fallocate(...) = 0") to the log and hash. */
void sim_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/*
 * The same with the event's hash word given: the text is formatted only
 * when the log is kept (sim_run_opts.keep_log); the hash never depends on
 * whether it is.
 */
void sim_log_hashed(uint64_t content, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Does the running execution keep its log (is a text worth formatting)? */
bool sim_log_kept(void);
/* The running model thread's tid, or -1. */
int sim_current_tid(void);
/* The current step, or 0 outside an execution. */
uint64_t sim_current_step(void);
/* Stable per-run id for @obj (assigned at first sight); 0 for NULL. */
uint32_t sim_obj_id(const void *obj);

/* Free this OS thread's cached fiber stacks and buffers (else at thread exit). */
void sim_sched_thread_cleanup(void);

/* Op names (the shims' shim_op_name() may be used equally). */
const char *sim_op_name(uint32_t op);

#endif /* SIM_SCHED_H */
