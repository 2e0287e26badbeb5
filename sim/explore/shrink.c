// SPDX-License-Identifier: GPL-2.0
/*
 * Trace shrinking: the third stage of the minimiser (sim/sched/minimise.c
 * does the first two on the schedule).
 *
 * Starting from a trace and a failing schedule, try smaller traces in a
 * fixed order and keep each one on which the same failure (struct
 * explore_failure) is still found:
 *   1. drop a whole thread (later threads move down one index; a signal()
 *      aimed at the dropped thread goes with it, later ones are renumbered);
 *   2. drop one call of a thread;
 *   3. drop one setup call, then one final call.
 * A dropped call takes along every call that uses a handle it binds, and
 * those calls' users in turn; a call's expectation goes with the call.
 * Repeat until a whole round keeps nothing (a fixed point).  If the input
 * trace passes on some schedule (its failure is a race), a candidate must
 * too: a race must not shrink into a trace that fails on every schedule.
 *
 * A smaller trace has other steps, so the old schedule does not apply as
 * it is: each candidate is first run with the old schedule as a lenient
 * prefix (threads renumbered), then searched with a bounded DFS (preemption
 * bound 0, 1, ... up to what the current failure needs) within a budget of
 * executions.  At the fixed point the schedule is minimised again
 * (sim_minimise_runs()) so the result is 1-minimal for the shrunk trace.
 *
 * Every candidate is built as text and parsed back, so handles are
 * renumbered as the parser numbers them and the result prints and parses
 * to itself.  All of it is sequential and depends only on the input.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "explore/program.h"
#include "explore/shrink.h"

#define SHRINK_BUDGET_DEFAULT	1000

/* ---- failure signatures ------------------------------------------------- */

/* "path:line: CALL returned RESULT, not ..." -> "CALL returned RESULT" */
static void failing_call(const char *msg, char *buf, size_t len)
{
	const char *s = strstr(msg, ": "), *e;

	buf[0] = '\0';
	if (!s)
		return;
	s += 2;
	e = strstr(s, ", not ");
	if (!e)
		e = s + strlen(s);
	snprintf(buf, len, "%.*s", (int)(e - s), s);
}

/**
 * explore_failure_of() - the signature of a failing run
 * @r: a run whose outcome is not SIM_OK
 * @f: filled in
 *
 * Context: any.
 */
void explore_failure_of(const struct sim_result *r, struct explore_failure *f)
{
	memset(f, 0, sizeof(*f));
	if (!r->nv) {
		snprintf(f->checker, sizeof(f->checker), "%s", sim_outcome_name(r->outcome));
		return;
	}
	snprintf(f->checker, sizeof(f->checker), "%s", r->v[0].checker);
	if (!strcmp(f->checker, "expectation") && r->v[0].msg)
		failing_call(r->v[0].msg, f->call, sizeof(f->call));
}

/**
 * explore_failure_matches() - did a run fail the same way?
 * @r: the run
 * @f: the signature to match
 *
 * Context: any.
 * Return: true if @r failed and its signature equals @f.
 */
bool explore_failure_matches(const struct sim_result *r, const struct explore_failure *f)
{
	struct explore_failure g;

	if (r->outcome == SIM_OK || r->outcome == SIM_PRUNED)
		return false;
	explore_failure_of(r, &g);
	return !strcmp(g.checker, f->checker) && !strcmp(g.call, f->call);
}

/**
 * explore_failure_fails() - sim_fails_fn that keeps one failure
 * @arg: a struct explore_failure_prog
 * @schedule: tried as a lenient prefix (SIM_STRAT_PREFIX)
 * @r: out: the run's result
 *
 * Like sim_program_fails(), but a run counts as failing only with the
 * signature in @arg, so minimising cannot drift to another bug.
 *
 * Context: as sim_run().
 * Return: true if the run fails with that signature.
 */
bool explore_failure_fails(void *arg, const char *schedule, struct sim_result *r)
{
	struct explore_failure_prog *fp = arg;
	struct sim_minimise_prog mp = { .p = fp->p, .o = fp->o };

	return sim_program_fails(&mp, schedule, r) && explore_failure_matches(r, fp->f);
}

/* ---- cutting a trace ---------------------------------------------------- */

/* Sections in text order: 0 setup, 1..nthreads the threads, nthreads+1 final. */
#define SHRINK_NSEC (TRACE_MAX_THREADS + 2)

static const struct trace_thread *section(const struct trace *t, int s)
{
	if (s == 0)
		return &t->setup;
	if (s <= t->nthreads)
		return &t->threads[s - 1];
	return &t->final;
}

/**
 * trace_ncalls() - calls in a trace
 * @t: the trace
 *
 * Context: any.
 * Return: the number of calls in setup, all threads and final.
 */
int trace_ncalls(const struct trace *t)
{
	int s, n = 0;

	for (s = 0; s < t->nthreads + 2; s++)
		n += section(t, s)->ncalls;
	return n;
}

struct shrink_cut {
	int thread;			/* thread dropped whole, or -1 */
	bool del[SHRINK_NSEC][TRACE_MAX_CALLS];
};

static bool is_signal_to(const struct trace_call *c, int thread)
{
	return c->op == TOP_SIGNAL && c->nargs > 0 && !c->args[0].is_handle &&
	       c->args[0].value == (uint64_t)thread;
}

/*
 * Mark the users of dropped handles, transitively.  Handles are used only
 * after their binding in text order (setup, threads, final), so one pass
 * in that order sees every definition before its uses.
 */
static void cut_close(const struct trace *t, struct shrink_cut *c)
{
	bool gone[TRACE_MAX_HANDLES] = { false };
	int s, j, k;

	for (s = 0; s < t->nthreads + 2; s++) {
		const struct trace_thread *th = section(t, s);

		for (j = 0; j < th->ncalls; j++) {
			const struct trace_call *call = &th->calls[j];
			bool *del = &c->del[s][j];

			if (c->thread >= 0 && s == c->thread + 1)
				*del = true;
			if (c->thread >= 0 && is_signal_to(call, c->thread))
				*del = true;
			for (k = 0; k < call->nargs && !*del; k++)
				if (call->args[k].is_handle && gone[call->args[k].handle])
					*del = true;
			if (*del && call->bind >= 0)
				gone[call->bind] = true;
		}
	}
}

static int copy_section(const struct trace_thread *from, const bool *del, int thread,
			struct trace_thread *to)
{
	int j;

	memcpy(to->name, from->name, sizeof(to->name));
	to->ncalls = 0;
	to->calls = malloc((from->ncalls ? from->ncalls : 1) * sizeof(*to->calls));
	if (!to->calls)
		return -ENOMEM;
	for (j = 0; j < from->ncalls; j++) {
		struct trace_call *c;

		if (del[j])
			continue;
		c = &to->calls[to->ncalls++];
		*c = from->calls[j];
		/* signal(N) names a thread by index: later threads moved down. */
		if (thread >= 0 && c->op == TOP_SIGNAL && c->nargs > 0 && !c->args[0].is_handle &&
		    c->args[0].value > (uint64_t)thread && c->args[0].value < TRACE_MAX_THREADS)
			c->args[0].value--;
	}
	return 0;
}

/*
 * Apply @c to @t: the canonical text of the smaller trace (malloc'ed), or
 * NULL if memory ran out.
 */
static char *cut_text(const struct trace *t, const struct shrink_cut *c)
{
	struct trace *out = calloc(1, sizeof(*out));
	char *text = NULL;
	int s, err = 0;

	if (!out)
		return NULL;
	memcpy(out->path, t->path, sizeof(out->path));
	out->req = t->req;
	out->nhandles = t->nhandles;
	memcpy(out->handles, t->handles, sizeof(out->handles));
	for (s = 0; s < t->nthreads + 2 && !err; s++) {
		struct trace_thread *to;

		if (s == 0) {
			to = &out->setup;
		} else if (s <= t->nthreads) {
			if (s - 1 == c->thread)
				continue;
			to = &out->threads[out->nthreads++];
		} else {
			to = &out->final;
		}
		err = copy_section(section(t, s), c->del[s], c->thread, to);
	}
	if (!err)
		text = trace_print(out);
	trace_free(out);
	free(out);
	return text;
}

/* ---- searching a candidate ---------------------------------------------- */

struct shrink {
	const struct trace_shrink_opts *o;
	const struct explore_failure *f;
	char name[256];
	struct trace *cur;	/* current smallest failing trace */
	char *text;		/* its canonical text */
	char *schedule;		/* a failing schedule of it */
	unsigned npre;		/* preemptions @schedule needs */
	bool racy;		/* the input trace passes on some schedule */
	uint64_t budget;
	struct trace_shrink_result *r;
};

static struct trace *parse_text(const char *name, const char *text)
{
	struct trace *t = calloc(1, sizeof(*t));
	struct trace_error err;

	if (!t)
		return NULL;
	if (trace_parse_buf(name, text, strlen(text), t, &err)) {
		/* The printer's output always parses; a failure is a printer bug. */
		fprintf(stderr, "gmemsim: shrink: %s:%d:%d: %s\n", err.file, err.line, err.col,
			err.msg);
		free(t);
		return NULL;
	}
	return t;
}

static void free_trace(struct trace *t)
{
	if (t) {
		trace_free(t);
		free(t);
	}
}

/* The current schedule with thread @gone's picks dropped and later tids moved down. */
static char *remap_schedule(const char *schedule, int gone)
{
	struct sim_decision *d;
	size_t n, i, k = 0;
	bool faults;
	char *s;

	if (sim_schedule_decode(schedule, &d, &n, &faults, NULL, 0))
		return NULL;
	for (i = 0; i < n; i++) {
		if (gone >= 0 && d[i].kind == SIM_DEC_PICK) {
			if (d[i].value == gone)
				continue;
			if (d[i].value > gone)
				d[i].value--;
		}
		d[k++] = d[i];
	}
	s = sim_schedule_encode(d, k, faults);
	free(d);
	return s;
}

/* Keep @res's schedule as the one @sh goes on from. */
static void take_schedule(struct shrink *sh, struct sim_result *res)
{
	free(sh->schedule);
	sh->schedule = res->schedule;
	sh->npre = res->npreemptions;
	res->schedule = NULL;
}

/*
 * Search @tp for a run that fails with @sh's signature (@want_fail) or for
 * one that does not: first @probe as a lenient prefix, then (if @dfs) a
 * DFS with preemption bound 0, 1, ... up to what the current failure
 * needs, within @sh's budget.  A failing run found becomes @sh's schedule.
 */
static bool search_for(struct shrink *sh, const struct trace_prog *tp, const char *probe,
		       bool want_fail, bool dfs)
{
	struct sim_run_opts ro = sh->o->run;
	struct sim_minimise_prog mp = { .p = &tp->p, .o = &ro };
	struct sim_result res;
	uint64_t runs = 0;
	bool found = false;

	if (probe) {
		memset(&res, 0, sizeof(res));
		sim_program_fails(&mp, probe, &res);
		runs++;
		found = explore_failure_matches(&res, sh->f) == want_fail;
		if (found && want_fail)
			take_schedule(sh, &res);
		sim_result_free(&res);
	}
	ro.fault_inject = sh->schedule && sh->schedule[3] == 'f';
	for (int pb = 0; dfs && !found && pb <= (int)sh->npre && runs < sh->budget; pb++) {
		struct sim_strategy_cfg cfg = { .kind = SIM_STRAT_DFS, .preemption_bound = pb };
		struct sim_strategy *s = sim_strategy_new(&cfg);

		if (!s)
			break;
		while (!found && !sim_strategy_done(s) && runs < sh->budget) {
			memset(&res, 0, sizeof(res));
			sim_run(&tp->p, &ro, s, runs, &res);
			runs++;
			if (res.outcome != SIM_PRUNED &&
			    explore_failure_matches(&res, sh->f) == want_fail) {
				found = true;
				if (want_fail)
					take_schedule(sh, &res);
			}
			sim_result_free(&res);
		}
		sim_strategy_free(s);
	}
	sh->r->runs += runs;
	return found;
}

/*
 * Does @t still fail with @sh's signature, and, if the input trace's
 * failure depended on the interleaving, does @t still have a schedule
 * that does not fail?  The second rule keeps a race a race: without it a
 * wrong expectation that the race makes visible shrinks to a trace that
 * fails on every schedule.  On success @sh's schedule is a failing run's.
 */
static bool shrink_search(struct shrink *sh, const struct trace *t, int gone)
{
	struct trace_prog tp;
	char *probe = remap_schedule(sh->schedule, gone);
	char *saved = sh->schedule ? strdup(sh->schedule) : NULL;
	unsigned npre = sh->npre;
	bool ok;

	trace_prog_init(&tp, t, sh->o->ops, &sh->o->bopts);
	ok = search_for(sh, &tp, probe, true, true) &&
	     (!sh->racy || search_for(sh, &tp, "S1:", false, true));
	if (!ok && saved && sh->schedule && strcmp(saved, sh->schedule)) {
		free(sh->schedule);
		sh->schedule = saved;
		sh->npre = npre;
		saved = NULL;
	}
	free(saved);
	free(probe);
	return ok;
}

/* Try @sh->cur without what @c marks; keep it if it still fails. */
static int try_cut(struct shrink *sh, struct shrink_cut *c)
{
	struct trace *t;
	char *text;

	cut_close(sh->cur, c);
	text = cut_text(sh->cur, c);
	if (!text)
		return -ENOMEM;
	t = parse_text(sh->name, text);
	if (!t) {
		free(text);
		return -EINVAL;
	}
	sh->r->candidates++;
	if (!shrink_search(sh, t, c->thread)) {
		free_trace(t);
		free(text);
		return 0;
	}
	sh->r->kept++;
	free_trace(sh->cur);
	free(sh->text);
	sh->cur = t;
	sh->text = text;
	return 1;
}

static void cut_init(struct shrink_cut *c, int thread)
{
	memset(c->del, 0, sizeof(c->del));
	c->thread = thread;
}

/* Drop single calls of section @s, first to last; return 1 if any went. */
static int shrink_section(struct shrink *sh, struct shrink_cut *c, int s)
{
	int j = 0, kept = 0, ret;

	while (s < sh->cur->nthreads + 2 && j < section(sh->cur, s)->ncalls) {
		cut_init(c, -1);
		c->del[s][j] = true;
		ret = try_cut(sh, c);
		if (ret < 0)
			return ret;
		if (ret)
			kept = 1;	/* the next call moved to index j */
		else
			j++;
	}
	return kept;
}

/* One round of all three kinds of cuts; return 1 if anything went. */
static int shrink_round(struct shrink *sh, struct shrink_cut *c)
{
	int i = 0, kept = 0, ret;

	while (i < sh->cur->nthreads) {
		cut_init(c, i);
		ret = try_cut(sh, c);
		if (ret < 0)
			return ret;
		if (ret)
			kept = 1;
		else
			i++;
	}
	for (i = 0; i < sh->cur->nthreads; i++) {
		ret = shrink_section(sh, c, i + 1);
		if (ret < 0)
			return ret;
		kept |= ret;
	}
	ret = shrink_section(sh, c, 0);
	if (ret < 0)
		return ret;
	kept |= ret;
	ret = shrink_section(sh, c, sh->cur->nthreads + 1);
	if (ret < 0)
		return ret;
	return kept | ret;
}

/**
 * trace_shrink() - remove what a failure does not need from a trace
 * @t: the trace
 * @schedule: a schedule on which @t fails with @f (best: 1-minimal)
 * @f: the failure to keep
 * @o: backend, run options and search budget
 * @r: out: the shrunk trace, its text and a 1-minimal schedule
 *
 * Context: runs many executions on the calling thread; takes as long as
 * they do (at most @o->budget per candidate).
 * Return: 0; -ENOENT if @t does not fail with @f under @schedule;
 * -ENOMEM or -EINVAL (a trace the printer cannot round-trip) otherwise.
 */
int trace_shrink(const struct trace *t, const char *schedule, const struct explore_failure *f,
		 const struct trace_shrink_opts *o, struct trace_shrink_result *r)
{
	struct shrink sh = { .o = o, .f = f };
	struct shrink_cut *c;
	struct sim_run_opts ro = o->run;
	struct trace_prog tp;
	struct explore_failure_prog fp = { .p = &tp.p, .o = &ro, .f = f };
	unsigned mruns = 0;
	char *min;
	int ret;

	memset(r, 0, sizeof(*r));
	sh.r = r;
	sh.budget = o->budget ? o->budget : SHRINK_BUDGET_DEFAULT;
	if (o->path)
		snprintf(sh.name, sizeof(sh.name), "%s", o->path);
	else
		snprintf(sh.name, sizeof(sh.name), "%.240s (shrunk)", t->path);
	sh.text = trace_print(t);
	c = malloc(sizeof(*c));
	if (!sh.text || !c) {
		ret = -ENOMEM;
		goto out;
	}
	sh.cur = parse_text(sh.name, sh.text);
	sh.schedule = strdup(schedule);
	if (!sh.cur || !sh.schedule) {
		ret = sh.cur ? -ENOMEM : -EINVAL;
		goto out;
	}
	r->calls_before = trace_ncalls(sh.cur);
	r->threads_before = sh.cur->nthreads;
	trace_prog_init(&tp, sh.cur, o->ops, &o->bopts);
	if (!search_for(&sh, &tp, sh.schedule, true, false)) {
		ret = -ENOENT;
		goto out;
	}
	sh.racy = search_for(&sh, &tp, "S1:", false, true);
	do {
		ret = shrink_round(&sh, c);
	} while (ret > 0);
	if (ret < 0)
		goto out;

	/* The schedule came from a search: make it 1-minimal for this trace. */
	trace_prog_init(&tp, sh.cur, o->ops, &o->bopts);
	min = sim_minimise_runs(sh.schedule, explore_failure_fails, &fp, &mruns);
	r->runs += mruns;
	if (min) {
		free(sh.schedule);
		sh.schedule = min;
	}
	r->t = sh.cur;
	r->text = sh.text;
	r->schedule = sh.schedule;
	r->calls_after = trace_ncalls(sh.cur);
	r->threads_after = sh.cur->nthreads;
	sh.cur = NULL;
	sh.text = sh.schedule = NULL;
out:
	free_trace(sh.cur);
	free(sh.text);
	free(sh.schedule);
	free(c);
	return ret;
}

/**
 * trace_shrink_result_free() - release a trace_shrink() result
 * @r: the result (may be zeroed)
 *
 * Context: any.
 */
void trace_shrink_result_free(struct trace_shrink_result *r)
{
	free_trace(r->t);
	free(r->text);
	free(r->schedule);
	memset(r, 0, sizeof(*r));
}
