/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Private to sim/sched: the execution state shared by the core, the
 * executors and the strategies.
 */
#ifndef SIM_SCHED_INTERNAL_H
#define SIM_SCHED_INTERNAL_H

#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>

#include "sched.h"

enum sim_tstate { SIM_T_RUNNABLE = 0, SIM_T_BLOCKED, SIM_T_DONE, SIM_T_DEAD };

/* A thread's next step, as announced by ->point()/->block(). */
struct sim_pend {
	uint32_t op;		/* enum shim_op | SIM_EV_RESUME, or SIM_EV_START */
	uint32_t obj;		/* object id; 0: none (conflicts with everything) */
	const char *site;
};

struct sim_thread {
	struct shim_task task;
	struct sim_exec *x;
	int tid;
	enum sim_tstate state;
	struct sim_pend pend;
	uint64_t owe;			/* spun: threads to let step first */
	const void *wait_obj;
	char name[8];
	/* fiber executor */
	void *sp;
	void *stack;			/* usable stack base (above the guard page) */
	size_t stack_size;
	void *tsan_fiber;
	/* pthread executor */
	pthread_t pt;
	pthread_cond_t cv;
	bool go;
	bool started;
	jmp_buf unwind;
};

struct sim_choice {
	uint64_t step;
	size_t ndec;			/* index of this decision in the record */
	int nthreads;
	int cur;			/* current thread if a candidate, else -1 */
	uint64_t cand;			/* candidate tids (bitmask, >= 2 bits) */
	const struct sim_thread *th;	/* th[tid].pend: every thread's next step */
};

/* Return values of ->pick()/->decide() that stop the execution. */
enum { SIM_PICK_DIVERGED = -1, SIM_PICK_PRUNED = -2 };

struct sim_strategy_ops {
	/* Start an execution (iteration @iter of a search). */
	void (*begin)(struct sim_strategy *s, int nthreads, uint64_t iter);
	/* Pick a candidate tid, or SIM_PICK_* (explain in @err). */
	int (*pick)(struct sim_strategy *s, const struct sim_choice *c,
		    char *err, size_t errlen);
	/*
	 * Optional: a step with a single candidate (no decision) is about to
	 * be taken; return 0, or SIM_PICK_PRUNED to cut the execution.
	 */
	int (*observe)(struct sim_strategy *s, const struct sim_choice *c);
	/* Answer a fault question: 0/1, or SIM_PICK_*. */
	int (*decide)(struct sim_strategy *s, enum shim_decision what,
		      size_t ndec, char *err, size_t errlen);
	/* The execution ended (r is complete except schedule). */
	void (*end)(struct sim_strategy *s, struct sim_result *r);
	bool (*done)(const struct sim_strategy *s);
	void (*free)(struct sim_strategy *s);
};

struct sim_strategy {
	const struct sim_strategy_ops *ops;
	struct sim_strategy_cfg cfg;
};

struct sim_objmap {
	const void **key;
	uint32_t *val;
	uint32_t *used;			/* slots in use, for a cheap reset */
	uint32_t cap, n;
};

struct sim_exec;

struct sim_executor_ops {
	/* Run the execution: start threads, return when it ended. */
	int (*run)(struct sim_exec *x);
	/* Current thread @from hands control to @to (NULL: the run's caller). */
	void (*transfer)(struct sim_exec *x, struct sim_thread *from, struct sim_thread *to);
	/* Thread @from ended (returned or unwound): hand control to @to, never return. */
	void (*exit)(struct sim_exec *x, struct sim_thread *from, struct sim_thread *to)
		__attribute__((noreturn));
	/* BUG: unwind the current thread (never returns). */
	void (*unwind)(struct sim_exec *x, struct sim_thread *self) __attribute__((noreturn));
};

/* Per OS-thread reusable state: stacks and buffers survive executions. */
struct sim_worker {
	void *stack_pool;
	size_t pool_len, stack_size;
	int nstacks;
	struct sim_event *log;
	size_t caplog;
	struct sim_decision *dec;
	size_t capdec;
	struct sim_objmap objs;
	/* fiber executor: the caller's context */
	void *main_sp;
	void *main_tsan_fiber;
	const void *main_stack_bottom;
	size_t main_stack_size;
	bool main_known;
	bool busy;			/* an execution is running on this OS thread */
	unsigned vg_stack_id[SIM_MAX_THREADS];
	bool stack_dirty[SIM_MAX_THREADS];	/* fiber abandoned mid-run */
	void *tsan_fibers[SIM_MAX_THREADS];	/* TSan fiber handles, reused */
	struct sim_exec *exec;		/* reused by every execution */
};

struct sim_exec {
	const struct sim_program *p;
	const struct sim_run_opts *o;
	struct sim_strategy *s;
	const struct sim_executor_ops *ex;
	struct sim_worker *w;
	struct sim_result *r;
	void *world;
	int n;
	struct sim_thread *cur;
	uint64_t runnable;		/* bitmask of SIM_T_RUNNABLE threads */
	uint64_t yielding;		/* spun, not picked while a thread it owes can run */
	uint64_t blocked;		/* threads parked in ->block() (a superset of SIM_T_BLOCKED) */
	uint64_t step;
	uint64_t step_budget;
	uint32_t spin_limit;
	uint32_t spin_streak;
	uint64_t hash;
	bool ending;			/* run cut short; threads must not be resumed */
	bool bugged;			/* a BUG unwound a thread: its locks stay held */
	bool in_check;			/* check()/setup(): no model thread */
	struct sim_event *log;
	size_t nlog, caplog;
	struct sim_decision *dec;
	size_t ndec, capdec;
	size_t cap_v;
	/* pthread executor */
	pthread_mutex_t mu;
	pthread_cond_t main_cv;
	bool main_go;
	bool killing;
	struct shim_ctx ctx;
	struct sim_thread th[SIM_MAX_THREADS];
};

extern const struct sim_executor_ops sim_fiber_ops;
extern const struct sim_executor_ops sim_pthread_ops;

/* core.c, for the executors */
void sim_thread_body(struct sim_thread *t);
struct sim_thread *sim_first(struct sim_exec *x);
struct sim_thread *sim_exit_choose(struct sim_exec *x, struct sim_thread *t);
struct sim_exec *sim_cur_exec(void);
size_t sim_default_stack_size(void);

/* log.c */
#define SIM_FNV_OFFSET 0xcbf29ce484222325ull
void sim_log_event(struct sim_exec *x, int tid, uint32_t op, uint32_t obj,
		   const char *site, char *text);
void sim_log_event_h(struct sim_exec *x, int tid, uint32_t op, uint32_t obj,
		     const char *site, char *text, uint64_t content);
uint32_t sim_objmap_get(struct sim_objmap *m, const void *p);
void sim_objmap_reset(struct sim_objmap *m);
void sim_objmap_free(struct sim_objmap *m);
void sim_add_violation(struct sim_exec *x, int tid, const char *checker, char *msg,
		       const char *site);
char *sim_vfmt(const char *fmt, va_list ap);
char *sim_fmt(const char *f, ...) __attribute__((format(printf, 1, 2)));
const char *sim_report_kind_name(enum shim_report_kind kind);

/* fiber.c */
void sim_fiber_pool_free(struct sim_worker *w);

/* free.c */
enum sim_outcome sim_run_free(const struct sim_program *p, const struct sim_run_opts *o,
			      struct sim_result *r);
bool sim_free_violation(const char *checker, char *msg);

/* rng */
static inline uint64_t sim_splitmix(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* Uniform in [0, n). */
static inline uint64_t sim_rand_below(uint64_t *s, uint64_t n)
{
	return (uint64_t)(((unsigned __int128)sim_splitmix(s) * n) >> 64);
}

/* The @k-th (0-based) set bit of @m. */
static inline int sim_nth_bit(uint64_t m, unsigned k)
{
	while (k--)
		m &= m - 1;
	return __builtin_ctzll(m);
}

struct sim_strategy *sim_dfs_new(const struct sim_strategy_cfg *cfg);
/* DFS sharding: explore only subtrees at depth @depth with index % n == i. */
void sim_dfs_set_shard(struct sim_strategy *s, int depth, unsigned i, unsigned n);
void sim_dfs_stats(const struct sim_strategy *s, uint64_t *pruned);
uint64_t sim_dfs_subtree(const struct sim_strategy *s);

/* PCT: use @est as the execution-length estimate; stop refining it. */
void sim_pct_freeze(struct sim_strategy *s, uint64_t est);
uint64_t sim_pct_estimate(const struct sim_strategy *s);

#endif /* SIM_SCHED_INTERNAL_H */
