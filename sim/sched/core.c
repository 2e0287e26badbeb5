// SPDX-License-Identifier: GPL-2.0
/*
 * The scheduler core: implements shim_sched_ops for one execution, owns
 * the runnable set, wait lists, event log and its hash, the decision
 * record, deadlock and livelock detection.
 *
 * Control moves directly from thread to thread: the running thread calls
 * ->point(), the core picks the next thread on the caller's stack and asks
 * the executor to transfer control.  Only the start and the end of an
 * execution go through the caller's context.
 */
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sched_internal.h"

#include <linux/lockdep.h>
#include <shim/slab.h>

/*
 * Each OS thread that runs executions (the caller, or a --jobs worker) gets
 * its own slab context and lock-order graph, so one world's allocation
 * counts, leak checks and lockdep reports never see another worker's.
 * Freed when the thread exits.
 */
struct worker_state {
	struct shim_slab_ctx slab;
	struct shim_lockdep_graph *lockdep;
};

static pthread_key_t shimctx_key;
static pthread_once_t shimctx_once = PTHREAD_ONCE_INIT;

static void shimctx_state_free(void *p)
{
	struct worker_state *ws = p;

	shim_slab_ctx_destroy(&ws->slab);
	shim_lockdep_graph_free(ws->lockdep);
	free(ws);
}

static void shimctx_key_init(void)
{
	pthread_key_create(&shimctx_key, shimctx_state_free);
}

/* NULL when out of memory: the process defaults then serve. */
static struct worker_state *worker_state(void)
{
	struct worker_state *ws;

	pthread_once(&shimctx_once, shimctx_key_init);
	ws = pthread_getspecific(shimctx_key);
	if (ws)
		return ws;
	ws = calloc(1, sizeof(*ws));
	if (!ws)
		return NULL;
	shim_slab_ctx_init(&ws->slab);
	ws->lockdep = shim_lockdep_graph_new();
	pthread_setspecific(shimctx_key, ws);
	return ws;
}

/* ---- per OS-thread worker state --------------------------------------- */

static pthread_key_t worker_key;
static pthread_once_t worker_once = PTHREAD_ONCE_INIT;
static __thread struct sim_worker *tl_worker;


static void worker_free(void *p)
{
	struct sim_worker *w = p;

	if (!w)
		return;
	sim_fiber_pool_free(w);
	free(w->exec);
	free(w->log);
	free(w->dec);
	sim_objmap_free(&w->objs);
	free(w);
}

static void worker_key_init(void)
{
	pthread_key_create(&worker_key, worker_free);
}

static struct sim_worker *worker_get(void)
{
	if (tl_worker)
		return tl_worker;
	pthread_once(&worker_once, worker_key_init);
	tl_worker = calloc(1, sizeof(*tl_worker));
	if (tl_worker)
		pthread_setspecific(worker_key, tl_worker);
	return tl_worker;
}

/**
 * sim_sched_thread_cleanup() - Free the calling OS thread's cached stacks
 * and buffers now (they are freed at thread exit otherwise).
 *
 * Context: not inside an execution.
 */
void sim_sched_thread_cleanup(void)
{
	if (!tl_worker)
		return;
	pthread_setspecific(worker_key, NULL);
	worker_free(tl_worker);
	tl_worker = NULL;
}

/* ---- the current execution --------------------------------------------- */

static const struct shim_sched_ops sim_ops;

/*
 * Make @t the running thread (NULL: none).  shim_ctx->current mirrors it so
 * that `current` costs no call into op_current().
 */
static void set_cur(struct sim_exec *x, struct sim_thread *t)
{
	x->cur = t;
	x->ctx.current = t ? &t->task : NULL;
}

/**
 * sim_cur_exec() - The execution the calling thread belongs to.
 *
 * Context: any.
 * Return: the execution, or NULL outside controlled executions.
 */
struct sim_exec *sim_cur_exec(void)
{
	struct shim_ctx *c = shim_ctx;

	if (!c || c->sched != &sim_ops)
		return NULL;
	return c->sched_data;
}

static void end_run(struct sim_exec *x, enum sim_outcome o, char *error)
{
	if (x->ending) {
		free(error);
		return;
	}
	x->ending = true;
	x->r->outcome = o;
	if (error) {
		free(x->r->error);
		x->r->error = error;
	}
}

/* ---- deadlock ----------------------------------------------------------- */

static int holder_of(struct sim_exec *x, const void *obj, int except)
{
	for (int u = 0; u < x->n; u++) {
		const struct shim_task *t = &x->th[u].task;

		if (u == except || x->th[u].state >= SIM_T_DONE)
			continue;
		for (int i = 0; i < t->nheld && i < SHIM_MAX_HELD_LOCKS; i++)
			if (t->held[i].lock == obj)
				return u;
	}
	return -1;
}

static const char *held_name(struct sim_exec *x, int u, const void *obj)
{
	const struct shim_task *t = &x->th[u].task;

	for (int i = 0; i < t->nheld && i < SHIM_MAX_HELD_LOCKS; i++)
		if (t->held[i].lock == obj && t->held[i].name)
			return t->held[i].name;
	return "";
}

/* Every live thread is blocked: describe the wait-for cycle and end. */
static void report_deadlock(struct sim_exec *x)
{
	int next[SIM_MAX_THREADS], start = -1, t;
	char *msg = NULL, *tmp;
	size_t len = 0;
	FILE *f;

	for (t = 0; t < x->n; t++) {
		next[t] = -1;
		if (x->th[t].state == SIM_T_BLOCKED)
			next[t] = holder_of(x, x->th[t].wait_obj, t);
	}
	/* Walk from each blocked thread; n steps reach a cycle if there is one. */
	for (int s = 0; s < x->n && start < 0; s++) {
		int cur = s;

		if (x->th[s].state != SIM_T_BLOCKED)
			continue;
		for (int k = 0; k < x->n && cur >= 0; k++)
			cur = next[cur];
		if (cur >= 0)
			start = cur;
	}
	f = open_memstream(&msg, &len);
	if (!f)
		return end_run(x, SIM_DEADLOCK, NULL);
	if (start >= 0) {
		fputs("wait-for cycle:", f);
		t = start;
		do {
			const void *o = x->th[t].wait_obj;

			fprintf(f, " T%d waits for %s#%u %s(%s) held by T%d;", t,
				sim_op_name(x->th[t].pend.op), sim_objmap_get(&x->w->objs, o),
				held_name(x, next[t], o), x->th[t].pend.site ?: "?", next[t]);
			t = next[t];
		} while (t != start);
	} else {
		fputs("all threads blocked, no lock cycle:", f);
		for (t = 0; t < x->n; t++)
			if (x->th[t].state == SIM_T_BLOCKED)
				fprintf(f, " T%d waits on %s#%u at %s;", t,
					sim_op_name(x->th[t].pend.op),
					sim_objmap_get(&x->w->objs, x->th[t].wait_obj),
					x->th[t].pend.site ?: "?");
	}
	fclose(f);
	tmp = msg;
	sim_add_violation(x, -1, "DEADLOCK", tmp, start >= 0 ? x->th[start].pend.site : NULL);
	end_run(x, SIM_DEADLOCK, NULL);
}

/* ---- choosing ----------------------------------------------------------- */

static bool push_decision(struct sim_exec *x, struct sim_decision d)
{
	if (x->ndec == x->capdec) {
		size_t nc = x->capdec ? 2 * x->capdec : 256;
		struct sim_decision *nd = realloc(x->dec, nc * sizeof(*nd));

		if (!nd)
			return false;
		x->dec = nd;
		x->capdec = nc;
	}
	x->dec[x->ndec++] = d;
	return true;
}

/* Thread @t takes its announced step. */
static bool grant(struct sim_exec *x, struct sim_thread *t)
{
	uint32_t op = t->pend.op;

	sim_log_event(x, t->tid, op, t->pend.obj, t->pend.site, NULL);
	x->step++;
	/*
	 * A spinner waits until every thread that could run when it spun
	 * has taken a step (a fair yield): with only "any step by another
	 * thread" two spinners would release each other forever while the
	 * thread they both wait for never ran.
	 */
	for (uint64_t m = x->yielding & ~(1ull << t->tid); m; m &= m - 1) {
		struct sim_thread *u = &x->th[__builtin_ctzll(m)];

		u->owe &= ~(1ull << t->tid);
		if (!(u->owe & x->runnable))
			x->yielding &= ~(1ull << u->tid);
	}
	if (op == SHIM_OP_SPIN) {
		if (++x->spin_streak >= x->spin_limit) {
			char *m = sim_fmt("T%d spun %u times at %s with no other progress",
					  t->tid, x->spin_streak, t->pend.site ?: "?");

			sim_add_violation(x, t->tid, "LIVELOCK", m, t->pend.site);
			end_run(x, SIM_LIVELOCK, NULL);
			return false;
		}
	} else {
		x->spin_streak = 0;
	}
	return true;
}

/*
 * Pick the thread that takes the next step; @me is the calling thread
 * (NULL at the start).  Return NULL when the execution ends.
 */
static struct sim_thread *choose(struct sim_exec *x, struct sim_thread *me)
{
	uint64_t cand;
	int t;

	if (x->ending)
		return NULL;
	if (x->step >= x->step_budget) {
		char *m = sim_fmt("step budget of %llu exhausted",
				  (unsigned long long)x->step_budget);

		sim_add_violation(x, me ? me->tid : -1, "STEP_BUDGET", m,
				  me ? me->pend.site : NULL);
		end_run(x, SIM_STEP_BUDGET, NULL);
		return NULL;
	}
	/* A thread owed a step blocked or ended: it no longer holds anyone back. */
	for (uint64_t m = x->yielding; m; m &= m - 1) {
		struct sim_thread *u = &x->th[__builtin_ctzll(m)];

		if (!(u->owe & x->runnable))
			x->yielding &= ~(1ull << u->tid);
	}
	cand = x->runnable & ~x->yielding;
	if (!cand)
		cand = x->runnable;
	if (!cand) {
		for (t = 0; t < x->n; t++)
			if (x->th[t].state == SIM_T_BLOCKED)
				break;
		if (t < x->n)
			report_deadlock(x);
		return NULL;
	}
	if (!(cand & (cand - 1))) {
		t = __builtin_ctzll(cand);
		if (x->s->ops->observe) {
			struct sim_choice c = {
				.step = x->step, .ndec = x->ndec, .nthreads = x->n,
				.cur = me && me->tid == t ? t : -1, .cand = cand, .th = x->th,
			};

			if (x->s->ops->observe(x->s, &c) < 0) {
				end_run(x, SIM_PRUNED, NULL);
				return NULL;
			}
		}
	} else {
		struct sim_choice c = {
			.step = x->step, .ndec = x->ndec, .nthreads = x->n,
			.cur = me && (cand & (1ull << me->tid)) ? me->tid : -1,
			.cand = cand, .th = x->th,
		};
		char err[256];

		err[0] = '\0';
		t = x->s->ops->pick(x->s, &c, err, sizeof(err));
		if (t < 0 || t >= x->n || !(cand & (1ull << t))) {
			if (t >= 0)
				snprintf(err, sizeof(err), "strategy picked T%d, not a candidate", t);
			end_run(x, t == SIM_PICK_PRUNED ? SIM_PRUNED : SIM_DIVERGED,
				err[0] ? strdup(err) : NULL);
			return NULL;
		}
		if (!push_decision(x, (struct sim_decision){
				.kind = SIM_DEC_PICK, .value = t, .cur = c.cur,
				.preempt = c.cur >= 0 && c.cur != t })) {
			end_run(x, SIM_ERROR, strdup("out of memory"));
			return NULL;
		}
		if (c.cur >= 0 && c.cur != t)
			x->r->npreemptions++;
	}
	if (!grant(x, &x->th[t]))
		return NULL;
	return &x->th[t];
}

/* Current thread @me announced its next step: let someone take a step. */
static void reschedule(struct sim_exec *x, struct sim_thread *me)
{
	struct sim_thread *next = choose(x, me);

	if (next == me)
		return;
	set_cur(x, next);
	x->ex->transfer(x, me, next);
	/* Resumed: we were granted a step (or the pthread executor unwinds us). */
}

/* ---- shim_sched_ops ---------------------------------------------------- */

static void op_point(enum shim_op op, const void *obj, const char *site)
{
	struct sim_exec *x = shim_ctx->sched_data;
	struct sim_thread *me = x->cur;

	if (!me)	/* setup()/check(): no model thread, nothing to order */
		return;
	me->pend.op = op;
	me->pend.obj = sim_objmap_get(&x->w->objs, obj);
	me->pend.site = site;
	if (op == SHIM_OP_SPIN) {
		me->owe = x->runnable & ~(1ull << me->tid);
		if (me->owe)
			x->yielding |= 1ull << me->tid;
	}
	reschedule(x, me);
}

static void op_block(enum shim_op op, const void *obj, const char *site)
{
	struct sim_exec *x = shim_ctx->sched_data;
	struct sim_thread *me = x->cur;

	if (!me)
		return;
	me->pend.op = op | SIM_EV_RESUME;
	me->pend.obj = sim_objmap_get(&x->w->objs, obj);
	me->pend.site = site;
	me->state = SIM_T_BLOCKED;
	me->wait_obj = obj;
	x->blocked |= 1ull << me->tid;
	x->runnable &= ~(1ull << me->tid);
	x->yielding &= ~(1ull << me->tid);
	reschedule(x, me);
}

static void op_wake(const void *obj)
{
	struct sim_exec *x = shim_ctx->sched_data;
	uint64_t parked = x->blocked;

	/* Every unlock wakes: most find nobody parked, so look at the mask only. */
	while (parked) {
		int t = __builtin_ctzll(parked);
		struct sim_thread *th = &x->th[t];

		parked &= parked - 1;
		if (th->state == SIM_T_BLOCKED && th->wait_obj == obj) {
			th->state = SIM_T_RUNNABLE;
			th->wait_obj = NULL;
			x->runnable |= 1ull << t;
			x->blocked &= ~(1ull << t);
		}
	}
}

static bool op_decide(enum shim_decision what, const char *site)
{
	struct sim_exec *x = shim_ctx->sched_data;
	int tid = x->cur ? x->cur->tid : -1;
	char err[256];
	int v;

	if (!x->o->fault_inject || x->ending)
		return false;
	err[0] = '\0';
	v = x->s->ops->decide(x->s, what, x->ndec, err, sizeof(err));
	if (v < 0) {
		end_run(x, v == SIM_PICK_PRUNED ? SIM_PRUNED : SIM_DIVERGED,
			err[0] ? strdup(err) : NULL);
		if (x->cur)
			reschedule(x, x->cur);	/* never resumed */
		return false;
	}
	push_decision(x, (struct sim_decision){ .kind = SIM_DEC_FAULT, .value = v, .cur = tid });
	sim_log_event(x, tid, 0x300 + what, (uint32_t)v, site, NULL);
	return v;
}

static void op_report(enum shim_report_kind kind, const char *msg,
		      const char *file, int line)
{
	struct sim_exec *x = shim_ctx->sched_data;
	struct sim_thread *me = x->cur;
	char site[256];
	const char *b = file ? strrchr(file, '/') : NULL;
	size_t nv;

	snprintf(site, sizeof(site), "%s:%d", b ? b + 1 : file ? file : "?", line);
	nv = x->r->nv;
	sim_add_violation(x, me ? me->tid : -1, sim_report_kind_name(kind),
			  strdup(msg ? msg : ""), site);
	if (x->r->nv > nv)
		x->r->v[nv].cause_step = shim_ctx->report_cause;
	shim_ctx->report_cause = 0;
	if (kind != SHIM_REPORT_BUG)
		return;
	if (!me) {
		/* BUG in setup()/check(): nothing to unwind, stop the run. */
		end_run(x, SIM_VIOLATION, NULL);
		return;
	}
	/*
	 * The thread dies with whatever it holds (as an oops leaves a task's
	 * locks held): the others run on and may block behind it, but
	 * check() must not, so it is skipped and teardown() abandons.
	 */
	x->bugged = true;
	x->ex->unwind(x, me);
}

static uint64_t op_step(void)
{
	struct sim_exec *x = sim_cur_exec();

	return x ? x->step : 0;
}

static const struct shim_sched_ops sim_ops = {
	.point = op_point,
	.block = op_block,
	.wake = op_wake,
	.decide = op_decide,
	/* no ->current: set_cur() keeps shim_ctx->current instead */
	.report = op_report,
};

/* ---- thread life --------------------------------------------------------- */

/**
 * sim_first() - Choose the thread that takes the first step.
 * @x: the execution, all threads runnable.
 *
 * Context: the run's caller, before any model thread ran.
 * Return: the thread, or NULL if the execution already ended.
 */
struct sim_thread *sim_first(struct sim_exec *x)
{
	struct sim_thread *t = choose(x, NULL);

	set_cur(x, t);
	return t;
}

/**
 * sim_exit_choose() - Thread @t ended: choose who runs next.
 * @x: the execution.
 * @t: the thread that returned or was unwound (state already set).
 *
 * Context: on @t's stack, @t current.
 * Return: the next thread, or NULL when control returns to the caller.
 */
struct sim_thread *sim_exit_choose(struct sim_exec *x, struct sim_thread *t)
{
	struct sim_thread *next;

	x->runnable &= ~(1ull << t->tid);
	x->yielding &= ~(1ull << t->tid);
	next = choose(x, NULL);
	set_cur(x, next);
	return next;
}

/**
 * sim_thread_body() - Run a model thread's function.
 * @t: the thread; it was granted its start step.
 *
 * Context: on @t's own stack/OS thread.  Returns when the function returns.
 */
void sim_thread_body(struct sim_thread *t)
{
	struct sim_exec *x = t->x;

	x->p->thread(x->world, t->tid);
	t->state = SIM_T_DONE;
}

/**
 * sim_default_stack_size() - Stack size of a model thread.
 *
 * Context: any.
 * Return: bytes (larger under ASan, whose frames carry redzones).
 */
size_t sim_default_stack_size(void)
{
#ifdef GMEMSIM_ASAN
	return 1u << 20;
#else
	return 256u << 10;
#endif
}

/* ---- running an execution ------------------------------------------------ */

static char *encode_record(struct sim_exec *x)
{
	return sim_schedule_encode(x->dec, x->ndec, x->o->fault_inject);
}

/**
 * sim_run() - Run one controlled (or free-running) execution of a program.
 * @p: the program.
 * @o: run options (NULL: defaults).
 * @s: the strategy making the decisions (ignored by SIM_EXEC_FREE).
 * @iter: iteration number (seeds RANDOM/PCT).
 * @r: result, to be freed with sim_result_free().
 *
 * Context: not inside another execution on this OS thread.  Runs the
 * program's hooks; may block for as long as the program runs.
 * Return: @r->outcome.
 */
enum sim_outcome sim_run(const struct sim_program *p, const struct sim_run_opts *o,
			 struct sim_strategy *s, uint64_t iter, struct sim_result *r)
{
	static const struct sim_run_opts defaults = SIM_RUN_OPTS_INIT;
	struct shim_ctx *saved_ctx = shim_ctx;
	struct worker_state *ws;
	struct sim_exec *x;
	struct sim_worker *w;

	memset(r, 0, sizeof(*r));
	if (!o)
		o = &defaults;
	if (!p || p->nthreads < 1 || p->nthreads > SIM_MAX_THREADS || !p->thread) {
		r->outcome = SIM_ERROR;
		r->error = strdup("bad program");
		return r->outcome;
	}
	if (o->executor == SIM_EXEC_FREE)
		return sim_run_free(p, o, r);
	if (!s || !(w = worker_get()) ||
	    (!w->exec && !(w->exec = malloc(sizeof(*w->exec))))) {
		r->outcome = SIM_ERROR;
		r->error = strdup(s ? "out of memory" : "no strategy");
		return r->outcome;
	}
	if (w->busy) {
		r->outcome = SIM_ERROR;
		r->error = strdup("sim_run() called inside an execution");
		return r->outcome;
	}
	/* The execution state is reused: clear the header and the n threads only. */
	x = w->exec;
	memset(x, 0, offsetof(struct sim_exec, th));
	memset(x->th, 0, p->nthreads * sizeof(x->th[0]));
	w->busy = true;
	x->p = p;
	x->o = o;
	x->s = s;
	x->w = w;
	x->r = r;
	x->n = p->nthreads;
	x->ex = o->executor == SIM_EXEC_PTHREAD ? &sim_pthread_ops : &sim_fiber_ops;
	x->step_budget = o->step_budget ?: 1000000;
	x->spin_limit = o->spin_limit ?: 10000;
	x->hash = SIM_FNV_OFFSET;
	x->log = w->log;
	x->caplog = w->caplog;
	x->dec = w->dec;
	x->capdec = w->capdec;
	sim_objmap_reset(&w->objs);
	x->runnable = x->n == 64 ? ~0ull : (1ull << x->n) - 1;
	for (int t = 0; t < x->n; t++) {
		struct sim_thread *th = &x->th[t];

		th->x = x;
		th->tid = t;
		th->name[0] = 'T';
		if (t < 10) {
			th->name[1] = '0' + t;
		} else {
			th->name[1] = '0' + t / 10;
			th->name[2] = '0' + t % 10;
		}
		th->task.tid = t;
		th->task.name = th->name;
		th->task.sim_private = th;
		th->pend = (struct sim_pend){ .op = SIM_EV_START, .site = "start" };
	}
	x->ctx.sched = &sim_ops;
	x->ctx.sched_data = x;
	x->ctx.step = op_step;
	x->ctx.keeps_current = true;	/* set_cur() */
	ws = worker_state();
	x->ctx.slab = saved_ctx && saved_ctx->slab ? saved_ctx->slab : ws ? &ws->slab : NULL;
	x->ctx.lockdep = saved_ctx && saved_ctx->lockdep ? saved_ctx->lockdep :
			 ws ? ws->lockdep : NULL;
	shim_ctx = &x->ctx;

	s->ops->begin(s, x->n, iter);
	x->world = p->setup ? p->setup(p->arg) : NULL;
	if (x->ex->run(x) < 0 && !x->ending)
		end_run(x, SIM_ERROR, strdup("executor failed to start threads"));
	set_cur(x, NULL);
	if (!x->ending && !x->bugged && p->check)
		p->check(x->world);
	if (p->teardown)
		p->teardown(x->world);
	shim_ctx = saved_ctx;

	r->steps = x->step;
	r->hash = x->hash;
	r->ndecisions = x->ndec;
	if (r->outcome == SIM_OK && r->nv)
		r->outcome = SIM_VIOLATION;
	r->schedule = encode_record(x);
	if (x->ndec) {
		r->decisions = malloc(x->ndec * sizeof(*r->decisions));
		if (r->decisions)
			memcpy(r->decisions, x->dec, x->ndec * sizeof(*r->decisions));
	}
	if (o->keep_log && x->nlog) {
		r->log = malloc(x->nlog * sizeof(*r->log));
		if (r->log) {
			memcpy(r->log, x->log, x->nlog * sizeof(*r->log));
			r->nlog = x->nlog;
		} else {
			for (size_t i = 0; i < x->nlog; i++)
				free((char *)x->log[i].text);
		}
	}
	s->ops->end(s, r);
	w->log = x->log;
	w->caplog = x->caplog;
	w->dec = x->dec;
	w->capdec = x->capdec;
	w->busy = false;
	return r->outcome;
}
