// SPDX-License-Identifier: GPL-2.0
/*
 * Searches: many executions of one program under one strategy, spread over
 * --jobs worker OS threads and --shard i/n processes.
 *
 * The outcome does not depend on how the work is split:
 *   random/PCT  iteration k runs with seed sim_iter_seed(seed, k) and
 *               belongs to shard k mod n; workers take a shard's iterations
 *               in order.  PCT's length estimate comes from calibration
 *               executions every shard runs identically.
 *   DFS         decisions above the split depth number the subtrees in DFS
 *               order; subtree j belongs to worker j mod (jobs * shards).
 * The reported failure is the one with the lowest iteration / subtree.
 */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sched_internal.h"

struct search {
	const struct sim_program *p;
	const struct sim_search_opts *o;
	struct sim_search_result *r;
	pthread_mutex_t mu;
	uint64_t next;			/* random/PCT: next index within the shard */
	uint64_t best;			/* key of the reported failure */
	uint64_t pct_est;
	unsigned nworkers, not_exhausted;
	struct timespec deadline;
};

static bool time_up(struct search *sr)
{
	struct timespec now;
	bool up;

	if (!sr->o->time_limit_ms)
		return false;
	clock_gettime(CLOCK_MONOTONIC, &now);
	up = now.tv_sec > sr->deadline.tv_sec ||
	     (now.tv_sec == sr->deadline.tv_sec && now.tv_nsec >= sr->deadline.tv_nsec);
	if (up) {
		pthread_mutex_lock(&sr->mu);
		sr->r->timed_out = true;
		pthread_mutex_unlock(&sr->mu);
	}
	return up;
}

/* Keep @res as the reported failure if it is the earliest so far. */
static void account(struct search *sr, uint64_t key, struct sim_result *res)
{
	struct sim_search_result *r = sr->r;

	pthread_mutex_lock(&sr->mu);
	if (res->outcome == SIM_PRUNED) {
		r->pruned++;
	} else {
		r->executions++;
		r->total_steps += res->steps;
		if (res->outcome != SIM_OK) {
			r->failures++;
			if (!r->failed || key < sr->best) {
				sim_result_free(&r->fail);
				r->fail = *res;
				memset(res, 0, sizeof(*res));
				r->failed = true;
				r->fail_iter = key;
				sr->best = key;
			}
		}
	}
	pthread_mutex_unlock(&sr->mu);
	sim_result_free(res);
}

static bool past_failure(struct search *sr, uint64_t key)
{
	bool stop;

	pthread_mutex_lock(&sr->mu);
	stop = sr->o->stop_on_fail && sr->r->failed && key > sr->best;
	pthread_mutex_unlock(&sr->mu);
	return stop;
}

static void report_progress(struct search *sr, unsigned id)
{
	uint64_t e, f;

	if (id || !sr->o->progress)
		return;
	pthread_mutex_lock(&sr->mu);
	e = sr->r->executions;
	f = sr->r->failures;
	pthread_mutex_unlock(&sr->mu);
	sr->o->progress(sr->o->progress_arg, e, f);
}

static void random_worker(struct search *sr, unsigned id)
{
	const struct sim_search_opts *o = sr->o;
	unsigned nsh = o->nshards ? o->nshards : 1;
	struct sim_strategy *s = sim_strategy_new(&o->strat);
	struct sim_result res;

	if (!s)
		return;
	if (o->strat.kind == SIM_STRAT_PCT)
		sim_pct_freeze(s, sr->pct_est);
	for (;;) {
		uint64_t j, k;

		pthread_mutex_lock(&sr->mu);
		j = sr->next++;
		pthread_mutex_unlock(&sr->mu);
		k = o->shard + nsh * j;
		if ((o->max_execs && k >= o->max_execs) || past_failure(sr, k) || time_up(sr))
			break;
		sim_run(sr->p, &o->run, s, k, &res);
		account(sr, k, &res);
		report_progress(sr, id);
	}
	sim_strategy_free(s);
}

static void dfs_worker(struct search *sr, unsigned id)
{
	const struct sim_search_opts *o = sr->o;
	unsigned nsh = o->nshards ? o->nshards : 1;
	struct sim_strategy *s = sim_strategy_new(&o->strat);
	struct sim_result res;
	uint64_t runs = 0;

	if (!s)
		return;
	sim_dfs_set_shard(s, o->dfs_split_depth > 0 ? o->dfs_split_depth : 3,
			  o->shard + nsh * id, nsh * sr->nworkers);
	while (!sim_strategy_done(s)) {
		uint64_t key = sim_dfs_subtree(s);

		if ((o->max_execs && runs >= o->max_execs) || past_failure(sr, key) ||
		    time_up(sr))
			break;
		sim_run(sr->p, &o->run, s, runs, &res);
		if (res.outcome != SIM_PRUNED)
			runs++;
		account(sr, key, &res);
		report_progress(sr, id);
	}
	pthread_mutex_lock(&sr->mu);
	if (sim_strategy_done(s))
		sr->not_exhausted--;
	pthread_mutex_unlock(&sr->mu);
	sim_strategy_free(s);
}

struct worker_arg {
	struct search *sr;
	unsigned id;
};

static void *worker_main(void *arg)
{
	struct worker_arg *wa = arg;

	if (wa->sr->o->strat.kind == SIM_STRAT_DFS)
		dfs_worker(wa->sr, wa->id);
	else
		random_worker(wa->sr, wa->id);
	sim_sched_thread_cleanup();
	return NULL;
}

/* Every shard computes the same PCT length estimate before searching. */
static uint64_t pct_calibrate(const struct sim_program *p, const struct sim_search_opts *o)
{
	struct sim_strategy *s = sim_strategy_new(&o->strat);
	struct sim_result res;
	uint64_t est;

	if (!s)
		return 64;
	for (uint64_t i = 0; i < SIM_PCT_CALIBRATION; i++) {
		sim_run(p, &o->run, s, UINT64_MAX - i, &res);
		sim_result_free(&res);
	}
	est = sim_pct_estimate(s);
	sim_strategy_free(s);
	return est;
}

/**
 * sim_search() - Run many executions of a program under one strategy.
 * @p: the program.
 * @o: strategy, run options, jobs, shard, limits.
 * @r: the result (free with sim_search_result_free()).
 *
 * RANDOM/PCT run iterations k < @o->max_execs of this shard; DFS runs until
 * the bounded space is exhausted (@r->exhausted) or @o->max_execs
 * executions per worker.  @o->time_limit_ms stops all of them early.
 *
 * Context: may block for the whole search; starts @o->jobs OS threads.
 * Return: 0, or -EINVAL for bad options.
 */
int sim_search(const struct sim_program *p, const struct sim_search_opts *o,
	       struct sim_search_result *r)
{
	struct search sr = { .p = p, .o = o, .r = r, .best = UINT64_MAX };
	unsigned jobs = o->jobs ? o->jobs : 1;
	struct worker_arg *wa;
	pthread_t *pt;

	memset(r, 0, sizeof(*r));
	if ((o->nshards && o->shard >= o->nshards) || (!o->nshards && o->shard) ||
	    jobs > 1024)
		return -EINVAL;
	if (o->strat.kind != SIM_STRAT_DFS && o->strat.kind != SIM_STRAT_RANDOM &&
	    o->strat.kind != SIM_STRAT_PCT)
		return -EINVAL;
	if (o->strat.kind != SIM_STRAT_DFS && !o->max_execs && !o->time_limit_ms)
		return -EINVAL;
	if (o->run.executor == SIM_EXEC_FREE)
		return -EINVAL;
	pthread_mutex_init(&sr.mu, NULL);
	clock_gettime(CLOCK_MONOTONIC, &sr.deadline);
	sr.deadline.tv_sec += o->time_limit_ms / 1000;
	sr.deadline.tv_nsec += (long)(o->time_limit_ms % 1000) * 1000000;
	if (sr.deadline.tv_nsec >= 1000000000) {
		sr.deadline.tv_sec++;
		sr.deadline.tv_nsec -= 1000000000;
	}
	sr.nworkers = jobs;
	sr.not_exhausted = jobs;
	if (o->strat.kind == SIM_STRAT_PCT)
		sr.pct_est = pct_calibrate(p, o);
	wa = calloc(jobs, sizeof(*wa));
	pt = calloc(jobs, sizeof(*pt));
	if (!wa || !pt) {
		free(wa);
		free(pt);
		pthread_mutex_destroy(&sr.mu);
		return -ENOMEM;
	}
	for (unsigned i = 0; i < jobs; i++)
		wa[i] = (struct worker_arg){ .sr = &sr, .id = i };
	if (jobs == 1) {
		if (o->strat.kind == SIM_STRAT_DFS)
			dfs_worker(&sr, 0);
		else
			random_worker(&sr, 0);
	} else {
		unsigned started = 0;

		for (unsigned i = 0; i < jobs; i++, started++)
			if (pthread_create(&pt[i], NULL, worker_main, &wa[i]))
				break;
		for (unsigned i = 0; i < started; i++)
			pthread_join(pt[i], NULL);
		/* Workers that could not start leave their subtrees unexplored. */
	}
	r->exhausted = o->strat.kind == SIM_STRAT_DFS && sr.not_exhausted == 0;
	free(wa);
	free(pt);
	pthread_mutex_destroy(&sr.mu);
	return 0;
}

/**
 * sim_search_result_free() - Free a search result.
 * @r: the result.
 *
 * Context: any.
 */
void sim_search_result_free(struct sim_search_result *r)
{
	sim_result_free(&r->fail);
	memset(r, 0, sizeof(*r));
}
