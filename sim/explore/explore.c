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
#include <pthread.h>
#include <stdatomic.h>
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

/* ---- the search loop (random / PCT, and DFS with one job) -------------- */

struct search_shared {
	const struct trace_prog *tp;
	const struct explore_opts *o;
	struct sim_run_opts run;
	struct sim_strategy_cfg strat;
	double t0;
	uint64_t max_iter;		/* per shard, 0 = unbounded */
	_Atomic uint64_t done;		/* executions finished, all workers */
	_Atomic uint64_t best;		/* lowest failing local index, UINT64_MAX = none */
	_Atomic bool stop;
	bool exhausted;
	pthread_mutex_t lock;
	struct sim_result fail;		/* result for index best */
	bool have_fail;
	unsigned jobs;
	bool progress;
	double last_progress;
};

static bool time_up(struct search_shared *ss)
{
	return ss->o->time_s > 0 && explore_now() - ss->t0 >= ss->o->time_s;
}

static void progress_line(struct search_shared *ss, bool final)
{
	double now = explore_now(), el = now - ss->t0;
	uint64_t n = atomic_load(&ss->done);

	if (!ss->progress)
		return;
	if (!final && now - ss->last_progress < 0.5)
		return;
	ss->last_progress = now;
	fprintf(stderr, "\r  %" PRIu64 " executions, %.0f/s, %.1fs elapsed, %s   ",
		n, el > 0 ? n / el : 0.0, el,
		atomic_load(&ss->best) != UINT64_MAX ? "violation found" : "no violation yet");
	if (final)
		fputc('\n', stderr);
}

static void record_fail(struct search_shared *ss, uint64_t m, struct sim_result *r)
{
	pthread_mutex_lock(&ss->lock);
	if (m < atomic_load(&ss->best)) {
		if (ss->have_fail)
			sim_result_free(&ss->fail);
		ss->fail = *r;
		ss->have_fail = true;
		atomic_store(&ss->best, m);
		memset(r, 0, sizeof(*r));
	}
	pthread_mutex_unlock(&ss->lock);
}

static bool failed(enum sim_outcome o)
{
	return o != SIM_OK && o != SIM_PRUNED;
}

struct worker { struct search_shared *ss; unsigned j; };

static void *worker_main(void *arg)
{
	struct worker *wk = arg;
	struct search_shared *ss = wk->ss;
	const struct explore_opts *o = ss->o;
	struct sim_strategy *s = sim_strategy_new(&ss->strat);
	uint64_t m;

	if (!s)
		return NULL;
	for (m = wk->j; ; m += ss->jobs) {
		struct sim_result r;
		uint64_t iter = (uint64_t)o->shard_i + (uint64_t)o->shard_n * m;

		if (atomic_load(&ss->stop) || m > atomic_load(&ss->best))
			break;
		if (ss->max_iter && m >= ss->max_iter)
			break;
		if (time_up(ss))
			break;
		memset(&r, 0, sizeof(r));
		sim_run(&ss->tp->p, &ss->run, s, iter, &r);
		atomic_fetch_add(&ss->done, 1);
		if (failed(r.outcome))
			record_fail(ss, m, &r);
		sim_result_free(&r);
		if (wk->j == 0)
			progress_line(ss, false);
		if (ss->strat.kind == SIM_STRAT_DFS && sim_strategy_done(s)) {
			ss->exhausted = true;
			break;
		}
	}
	sim_strategy_free(s);
	return NULL;
}

/*
 * Search; on a violation fills *fail (caller frees) and returns true.
 * @execs and @exhausted report the size of the search.
 */
bool explore_search(const struct trace_prog *tp, const struct explore_opts *o, uint64_t seed,
		    struct sim_result *fail, uint64_t *execs, bool *exhausted, double *elapsed)
{
	struct search_shared ss;
	pthread_t th[256];
	struct worker wk[256];
	unsigned j;

	memset(&ss, 0, sizeof(ss));
	ss.tp = tp;
	ss.o = o;
	fill_run(o, &ss.run);
	fill_strategy(o, seed, &ss.strat);
	ss.t0 = explore_now();
	ss.jobs = o->jobs > 0 ? o->jobs : 1;
	atomic_init(&ss.best, UINT64_MAX);
	pthread_mutex_init(&ss.lock, NULL);
	ss.progress = !o->quiet && !o->json && isatty(2);
	if (o->iterations)
		ss.max_iter = (o->iterations + o->shard_n - 1 - o->shard_i) / o->shard_n;
	else if (o->strategy != XS_DFS && o->time_s <= 0)
		ss.max_iter = (10000 + o->shard_n - 1 - o->shard_i) / o->shard_n;

	if (o->strategy == XS_DFS && (ss.jobs > 1 || o->shard_n > 1)) {
		/* The DFS tree is split by prefix inside sim_search(). */
		struct sim_search_opts so = SIM_SEARCH_OPTS_INIT;
		struct sim_search_result sr;

		so.strat = ss.strat;
		so.run = ss.run;
		so.jobs = ss.jobs;
		so.shard = o->shard_i;
		so.nshards = o->shard_n;
		so.max_execs = o->iterations;
		so.stop_on_fail = true;
		memset(&sr, 0, sizeof(sr));
		sim_search(&tp->p, &so, &sr);
		*execs = sr.executions;
		*exhausted = sr.exhausted;
		*elapsed = explore_now() - ss.t0;
		if (sr.failed) {
			*fail = sr.fail;
			memset(&sr.fail, 0, sizeof(sr.fail));
		}
		sim_search_result_free(&sr);
		pthread_mutex_destroy(&ss.lock);
		return sr.failed;
	}

	if (ss.jobs == 1) {
		wk[0] = (struct worker){ &ss, 0 };
		worker_main(&wk[0]);
	} else {
		for (j = 0; j < ss.jobs; j++) {
			wk[j] = (struct worker){ &ss, j };
			if (pthread_create(&th[j], NULL, worker_main, &wk[j])) {
				ss.jobs = j;
				break;
			}
		}
		for (j = 0; j < ss.jobs; j++)
			pthread_join(th[j], NULL);
	}
	progress_line(&ss, true);
	*execs = atomic_load(&ss.done);
	*exhausted = ss.exhausted;
	*elapsed = explore_now() - ss.t0;
	pthread_mutex_destroy(&ss.lock);
	if (ss.have_fail) {
		*fail = ss.fail;
		return true;
	}
	return false;
}
