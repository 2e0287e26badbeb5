// SPDX-License-Identifier: GPL-2.0
/*
 * Schedule minimiser: from a failing schedule to a short one with few
 * preemptions, so that a person can follow the interleaving.
 *
 * 1. Shortest failing prefix: the least k such that the first k decisions,
 *    continued without preemption (keep running the current thread until
 *    it blocks or ends, then the lowest runnable tid), still fail.
 * 2. Preemption removal: replace one preemption by "keep running the
 *    current thread" (or, failing that, by a switch to another thread) and
 *    keep the change when the run still fails with strictly fewer
 *    preemptions; repeat until no single change keeps the failure with
 *    fewer preemptions (1-minimal).
 * Every step is a pure function of the input and the program's behaviour,
 * so the output is deterministic.
 */
#include <stdlib.h>
#include <string.h>

#include "sched_internal.h"

struct rec {
	struct sim_decision *d;
	size_t n;
	unsigned npre;
	bool faults;
};

static void rec_free(struct rec *r)
{
	free(r->d);
	memset(r, 0, sizeof(*r));
}

/* Run @d[0..n) through @fails; on failure return its actual record in @out. */
static bool try_run(sim_fails_fn fails, void *arg, const struct sim_decision *d, size_t n,
		    bool faults, struct rec *out, unsigned *runs)
{
	char *s = sim_schedule_encode(d, n, faults);
	struct sim_result r;
	bool f;

	if (!s)
		return false;
	memset(&r, 0, sizeof(r));
	f = fails(arg, s, &r);
	if (runs)
		(*runs)++;
	free(s);
	if (f) {
		out->d = r.decisions;
		out->n = r.ndecisions;
		out->npre = 0;
		for (size_t i = 0; i < out->n; i++)
			out->npre += out->d[i].kind == SIM_DEC_PICK && out->d[i].preempt;
		out->faults = faults;
		r.decisions = NULL;
	}
	sim_result_free(&r);
	return f;
}

/* Does thread @v ever run in @r (so it exists in the program)? */
static bool thread_seen(const struct rec *r, int v)
{
	for (size_t i = 0; i < r->n; i++)
		if (r->d[i].kind == SIM_DEC_PICK && r->d[i].value == v)
			return true;
	return false;
}

/**
 * sim_minimise_runs() - Minimise a failing schedule (see sched.h).
 * @schedule: the failing "S1:..." schedule.
 * @fails: runs a schedule leniently and reports failure.
 * @arg: for @fails.
 * @runs: out: executions used (may be NULL).
 *
 * Context: runs @fails repeatedly; may take as long as many executions.
 * Return: malloc'ed minimal schedule, or NULL.
 */
char *sim_minimise_runs(const char *schedule, sim_fails_fn fails, void *arg, unsigned *runs)
{
	struct sim_decision *in;
	struct rec cur = { 0 }, next = { 0 };
	size_t nin;
	bool faults, progress;
	char *out;

	if (runs)
		*runs = 0;
	if (sim_schedule_decode(schedule, &in, &nin, &faults, NULL, 0))
		return NULL;
	if (!try_run(fails, arg, in, nin, faults, &cur, runs)) {
		free(in);
		return NULL;
	}
	free(in);
	/* 1. shortest failing prefix of the actual record */
	for (size_t k = 0; k < cur.n; k++) {
		if (try_run(fails, arg, cur.d, k, faults, &next, runs)) {
			rec_free(&cur);
			cur = next;
			break;
		}
	}
	/*
	 * 2. Drop preemptions while the failure stays: first try "keep running
	 * the current thread"; then try switching to another thread instead,
	 * which turns a chain T0 -> T2 -> T1 into T0 -> T1.
	 */
	do {
		progress = false;
		for (int pass = 0; pass < 2 && !progress; pass++) {
			for (size_t i = 0; i < cur.n && !progress; i++) {
				struct sim_decision saved = cur.d[i];

				if (saved.kind != SIM_DEC_PICK || !saved.preempt || saved.cur < 0)
					continue;
				for (int v = 0; v < SIM_MAX_THREADS && !progress; v++) {
					if (pass == 0 ? v != saved.cur : v == saved.cur || v == saved.value)
						continue;
					if (pass == 1 && !thread_seen(&cur, v))
						continue;
					cur.d[i].value = v;
					memset(&next, 0, sizeof(next));
					if (try_run(fails, arg, cur.d, cur.n, faults, &next, runs) &&
					    next.npre < cur.npre) {
						rec_free(&cur);
						cur = next;
						progress = true;
						break;
					}
					rec_free(&next);
					cur.d[i] = saved;
				}
			}
		}
	} while (progress);
	out = sim_schedule_encode(cur.d, cur.n, faults);
	rec_free(&cur);
	return out;
}

/**
 * sim_minimise() - Minimise a failing schedule (see sim_minimise_runs()).
 * @schedule: the failing schedule.
 * @fails: the "still fails" callback.
 * @arg: for @fails.
 *
 * Context: runs @fails repeatedly.
 * Return: malloc'ed minimal schedule, or NULL.
 */
char *sim_minimise(const char *schedule, sim_fails_fn fails, void *arg)
{
	return sim_minimise_runs(schedule, fails, arg, NULL);
}

/**
 * sim_program_fails() - sim_fails_fn for a plain program.
 * @arg: a struct sim_minimise_prog.
 * @schedule: the schedule to try.
 * @r: out: the run's result.
 *
 * Context: as sim_run().
 * Return: true if the run's outcome is not SIM_OK.
 */
bool sim_program_fails(void *arg, const char *schedule, struct sim_result *r)
{
	struct sim_minimise_prog *mp = arg;
	struct sim_strategy_cfg cfg = { .kind = SIM_STRAT_PREFIX, .schedule = schedule };
	struct sim_strategy *s = sim_strategy_new(&cfg);
	static const struct sim_run_opts defaults = SIM_RUN_OPTS_INIT;
	struct sim_run_opts o = mp->o ? *mp->o : defaults;
	bool bad;

	if (!s)
		return false;
	o.fault_inject = schedule[3] == 'f';
	if (o.executor == SIM_EXEC_FREE)
		o.executor = SIM_EXEC_FIBER;
	bad = sim_run(mp->p, &o, s, 0, r) != SIM_OK;
	sim_strategy_free(s);
	return bad;
}
