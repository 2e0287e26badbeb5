// SPDX-License-Identifier: GPL-2.0
/*
 * Running a trace as a sim_program.  Every call's result goes into the
 * event log (so the log hash covers what the model returned, not only how
 * threads interleaved) and is checked against the trace's expectation;
 * a mismatch is a violation of the "expectation" checker.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/lockdep.h>

#include "explore/program.h"

void trace_call_format(const struct trace *t, const struct trace_call *c, char *buf, size_t len)
{
	size_t off = 0;
	int i;

	off += snprintf(buf + off, len - off, "%s%s%s(",
			c->bind >= 0 ? t->handles[c->bind].name : "",
			c->bind >= 0 ? " = " : "", trace_op_name(c->op));
	for (i = 0; i < c->nargs && off < len; i++) {
		const struct trace_arg *a = &c->args[i];

		if (a->is_handle)
			off += snprintf(buf + off, len - off, "%s%s", i ? ", " : "",
					t->handles[a->handle].name);
		else
			off += snprintf(buf + off, len - off, "%s%#llx", i ? ", " : "",
					(unsigned long long)a->value);
	}
	if (off < len)
		snprintf(buf + off, len - off, ")");
}

/* FNV-1a over 64-bit words, as the event log hashes. */
static uint64_t fold(uint64_t h, uint64_t v)
{
	return (h ^ v) * 0x100000001b3ull;
}

/*
 * The hash word of a call and its result: every field a printed
 * "call -> result" line shows, so the run's hash covers what the backend
 * returned without printing it on every step of an exploration.
 */
static uint64_t call_hash(const struct trace_call *c, const struct trace_result *r)
{
	uint64_t h = 0xcbf29ce484222325ull;
	int i;

	h = fold(h, c->op);
	h = fold(h, (uint64_t)(int64_t)c->bind);
	for (i = 0; i < c->nargs; i++) {
		h = fold(h, c->args[i].is_handle);
		h = fold(h, c->args[i].is_handle ? (uint64_t)c->args[i].handle : c->args[i].value);
	}
	h = fold(h, r->kind);
	h = fold(h, (uint64_t)r->ret);
	h = fold(h, (uint64_t)(int64_t)r->err);
	h = fold(h, (uint64_t)(int64_t)r->value);
	h = fold(h, r->exit_reason);
	h = fold(h, r->mf_gpa);
	h = fold(h, r->mf_size);
	h = fold(h, r->mf_flags);
	h = fold(h, r->remaining);
	h = fold(h, r->st_blksize);
	return h ? h : 1;
}

/* Run one call, log it, check its expectation. */
static void run_call(struct trace_world *w, int tid, const struct trace_call *c)
{
	const struct trace *t = w->tp->t;
	struct trace_result r;
	char call[160], res[160];
	bool bad;

	memset(&r, 0, sizeof(r));
	r.value = -2;
	w->tp->ops->call(w->b, tid, c, &r);
	bad = c->expect.nalts && !trace_result_matches(&c->expect, &r);
	if (bad || (w->tp->log_calls && sim_log_kept())) {
		trace_call_format(t, c, call, sizeof(call));
		trace_result_format(&r, res, sizeof(res));
	}
	if (w->tp->log_calls)
		sim_log_hashed(call_hash(c, &r), "%s -> %s", call, res);
	if (bad)
		sim_violation("expectation", "%s:%d: %s returned %s, not what the trace expects",
			      t->path, c->line, call, res);
}

static void run_section(struct trace_world *w, const struct trace_thread *th, int tid)
{
	for (int i = 0; i < th->ncalls; i++)
		run_call(w, tid, &th->calls[i]);
}

static void *prog_setup(void *arg)
{
	struct trace_prog *tp = arg;
	struct trace_world *w = calloc(1, sizeof(*w));

	if (!w)
		return NULL;
	w->tp = tp;
	/*
	 * Every execution starts with an empty lock-order graph, so what
	 * lockdep reports depends on this execution only and replays.
	 */
	shim_lockdep_reset();
	/* ... and re-armed WARN_ON_ONCE sites: a warning is per execution. */
	shim_report_reset();
	w->b = tp->ops->create(tp->t, &tp->bopts);
	if (!w->b) {
		w->setup_failed = true;
		sim_violation("setup", "%s: the %s backend could not create a world",
			      tp->t->path, tp->ops->name);
		return w;
	}
	run_section(w, &tp->t->setup, -1);
	return w;
}

static void prog_thread(void *world, int tid)
{
	struct trace_world *w = world;

	if (!w || w->setup_failed || tid >= w->tp->t->nthreads)
		return;
	run_section(w, &w->tp->t->threads[tid], tid);
}

static void report_violations(struct backend_violation *v, int n)
{
	for (int i = 0; i < n; i++)
		sim_violation(v[i].checker, "%s", v[i].msg);
}

static void prog_check(void *world)
{
	struct backend_violation v[16];
	struct trace_world *w = world;
	int n;

	if (!w || w->setup_failed)
		return;
	run_section(w, &w->tp->t->final, -1);
	n = w->tp->ops->check(w->b, v, 16);
	report_violations(v, n);
	/* Teardown checks (leaks, refcounts) belong to this execution too. */
	n = w->tp->ops->destroy(w->b, v, 16);
	w->destroyed = true;
	report_violations(v, n);
}

static void prog_teardown(void *world)
{
	struct trace_world *w = world;

	if (!w)
		return;
	if (w->b && !w->destroyed)
		w->tp->ops->destroy(w->b, NULL, 0);
	free(w);
}

/**
 * trace_prog_init - describe a trace as a sim_program
 * @tp: filled in
 * @t: the parsed trace (must outlive @tp)
 * @ops: backend that executes the calls
 * @bo: backend options (copied)
 *
 * Context: any.
 */
void trace_prog_init(struct trace_prog *tp, const struct trace *t,
		     const struct gmem_backend_ops *ops, const struct backend_opts *bo)
{
	memset(tp, 0, sizeof(*tp));
	tp->t = t;
	tp->ops = ops;
	tp->bopts = *bo;
	tp->log_calls = true;
	tp->p.name = t->path;
	/* A trace without threads still runs its setup and final once. */
	tp->p.nthreads = t->nthreads ? t->nthreads : 1;
	tp->p.setup = prog_setup;
	tp->p.thread = prog_thread;
	tp->p.check = prog_check;
	tp->p.teardown = prog_teardown;
	tp->p.arg = tp;
}
