// SPDX-License-Identifier: GPL-2.0
/*
 * gmemsim run / explore / replay / minimize.
 *
 * explore: executions are indexed; with a shard I/N this process takes
 * indexes I, I+N, I+2N, ...; with --jobs J the J workers share them and the
 * reported failure is the one with the lowest index, so the result does not
 * depend on J.  DFS with several jobs or shards goes through sim_search().
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "backend/backend.h"
#include "explore/explore.h"
#include "explore/explore_internal.h"
#include "explore/program.h"
#include "sched/sched.h"

void explore_opts_init(struct explore_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->backend = "model";
	o->strategy = XS_PCT;
	o->depth = 2;
	o->preemption_bound = 2;
	o->jobs = 1;
	o->shard_n = 1;
	o->minimize = true;
}

double explore_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void fill_strategy(const struct explore_opts *o, uint64_t seed, struct sim_strategy_cfg *c)
{
	memset(c, 0, sizeof(*c));
	c->seed = seed;
	c->pct_depth = o->depth;
	c->preemption_bound = o->preemption_bound;
	switch (o->strategy) {
	case XS_RANDOM: c->kind = SIM_STRAT_RANDOM; break;
	case XS_PCT: c->kind = SIM_STRAT_PCT; break;
	case XS_DFS: c->kind = SIM_STRAT_DFS; break;
	case XS_REPLAY: c->kind = SIM_STRAT_REPLAY; c->schedule = o->schedule; break;
	}
}

static void fill_run(const struct explore_opts *o, struct sim_run_opts *r)
{
	struct sim_run_opts def = SIM_RUN_OPTS_INIT;

	*r = def;
	r->fault_inject = o->faults;
	r->ignore_checker = o->disable_checker;
	switch (o->executor) {
	case XE_FIBER: r->executor = SIM_EXEC_FIBER; break;
	case XE_PTHREAD: r->executor = SIM_EXEC_PTHREAD; break;
	case XE_FREE: r->executor = SIM_EXEC_FREE; break;
	}
}

const char *explore_strategy_desc(const struct explore_opts *o, char *buf, size_t len)
{
	switch (o->strategy) {
	case XS_RANDOM: snprintf(buf, len, "random"); break;
	case XS_PCT: snprintf(buf, len, "pct d=%d", o->depth); break;
	case XS_DFS: snprintf(buf, len, "dfs preemptions<=%d", o->preemption_bound); break;
	case XS_REPLAY: snprintf(buf, len, "replay"); break;
	}
	return buf;
}

/* ---- the search --------------------------------------------------------- */

struct progress_state {
	const struct explore_opts *o;
	double t0, last;
	bool on;
};

static void progress_cb(void *arg, uint64_t executions, uint64_t failures)
{
	struct progress_state *ps = arg;
	double now = explore_now(), el = now - ps->t0;

	if (!ps->on || now - ps->last < 0.5)
		return;
	ps->last = now;
	fprintf(stderr, "\r  %" PRIu64 " executions, %.0f/s, %.1fs elapsed, %s   ",
		executions, el > 0 ? executions / el : 0.0, el,
		failures ? "violation found" : "no violation yet");
}

/*
 * Search; on a violation fills *fail (caller frees) and returns true.
 * @execs and @exhausted report the size of the search.  The search is
 * sim_search(): results do not depend on --jobs, and --shard I/N splits the
 * same search deterministically.
 */
bool explore_search(const struct trace_prog *tp, const struct explore_opts *o, uint64_t seed,
		    struct sim_result *fail, uint64_t *execs, bool *exhausted, double *elapsed)
{
	struct sim_search_opts so = SIM_SEARCH_OPTS_INIT;
	struct progress_state ps = { .o = o };
	struct sim_search_result sr;
	bool found;

	fill_run(o, &so.run);
	fill_strategy(o, seed, &so.strat);
	so.jobs = o->jobs > 0 ? o->jobs : 1;
	if (o->shard_n > 1) {
		so.shard = o->shard_i;
		so.nshards = o->shard_n;
	}
	so.stop_on_fail = true;
	if (o->iterations)
		so.max_execs = o->iterations;
	else if (o->strategy != XS_DFS && o->time_s <= 0)
		so.max_execs = 10000;
	if (o->time_s > 0)
		so.time_limit_ms = (uint32_t)(o->time_s * 1000);
	ps.t0 = ps.last = explore_now();
	ps.on = !o->quiet && !o->json && isatty(2);
	so.progress = progress_cb;
	so.progress_arg = &ps;
	memset(&sr, 0, sizeof(sr));
	if (sim_search(&tp->p, &so, &sr)) {
		fprintf(stderr, "gmemsim: invalid search options\n");
		return false;
	}
	if (ps.on)
		fputc('\n', stderr);
	*execs = sr.executions;
	*exhausted = sr.exhausted;
	*elapsed = explore_now() - ps.t0;
	found = sr.failed;
	if (found) {
		*fail = sr.fail;
		memset(&sr.fail, 0, sizeof(sr.fail));
	}
	sim_search_result_free(&sr);
	return found;
}
