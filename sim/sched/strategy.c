// SPDX-License-Identifier: GPL-2.0
/*
 * Strategies that need no search state: random walk, PCT, strict replay
 * and lenient prefix replay; and the strategy factory.
 *
 * PCT follows Burckhardt, Kothari, Musuvathi, Nagarakatte, "A Randomized
 * Scheduler with Probabilistic Guarantees of Finding Bugs" (ASPLOS 2010):
 * threads get distinct random priorities >= d, the highest-priority
 * candidate always runs, and at d-1 change points k_1..k_{d-1} drawn
 * uniformly over the estimated execution length, the thread taking step
 * k_i drops to priority i.  Steps are scheduling steps.  A thread about
 * to spin drops below every other priority (pct_demote_spinners()).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sched_internal.h"

/**
 * sim_iter_seed() - The seed of iteration @iter of a search seeded @seed.
 * @seed: the search seed (printed by callers).
 * @iter: 0-based iteration.
 *
 * Context: any.
 * Return: the per-iteration seed; independent of --jobs and --shard.
 */
uint64_t sim_iter_seed(uint64_t seed, uint64_t iter)
{
	uint64_t s = seed ^ (iter * 0xd1342543de82ef95ull);

	sim_splitmix(&s);
	return sim_splitmix(&s);
}

/* ---- fault answers shared by random and PCT --------------------------- */

struct rnd {
	struct sim_strategy s;
	uint64_t rng;
	unsigned yes;
	/* PCT */
	int n;
	int prio[SIM_MAX_THREADS];
	uint64_t change[16];		/* change points, ascending */
	int lowered[16];		/* priority given at change[i] */
	int nchange, applied;
	int floor;			/* lowest priority given to a spinner */
	uint64_t est;
	bool frozen;
};

static int rnd_decide(struct sim_strategy *s, enum shim_decision what, size_t ndec,
		      char *err, size_t errlen)
{
	struct rnd *r = (struct rnd *)s;
	unsigned budget = s->cfg.fault_budget ?: 1;
	unsigned pm = s->cfg.fault_permille ?: 125;

	if (r->yes >= budget || sim_rand_below(&r->rng, 1000) >= pm)
		return 0;
	r->yes++;
	return 1;
}

static void rnd_begin(struct sim_strategy *s, int n, uint64_t iter)
{
	struct rnd *r = (struct rnd *)s;

	r->rng = sim_iter_seed(s->cfg.seed, iter);
	r->yes = 0;
	r->n = n;
}

static int rnd_pick(struct sim_strategy *s, const struct sim_choice *c, char *err,
		    size_t errlen)
{
	struct rnd *r = (struct rnd *)s;

	return sim_nth_bit(c->cand, sim_rand_below(&r->rng, __builtin_popcountll(c->cand)));
}

static void nop_end(struct sim_strategy *s, struct sim_result *r)
{
}

static bool never_done(const struct sim_strategy *s)
{
	return false;
}

static void plain_free(struct sim_strategy *s)
{
	free(s);
}

static const struct sim_strategy_ops random_ops = {
	.begin = rnd_begin, .pick = rnd_pick, .decide = rnd_decide,
	.end = nop_end, .done = never_done, .free = plain_free,
};

/* ---- PCT ------------------------------------------------------------------ */

static void pct_begin(struct sim_strategy *s, int n, uint64_t iter)
{
	struct rnd *r = (struct rnd *)s;
	int d = s->cfg.pct_depth < 1 ? 1 : s->cfg.pct_depth;

	rnd_begin(s, n, iter);
	/* Distinct priorities d..d+n-1 in random order (Fisher-Yates). */
	for (int i = 0; i < n; i++)
		r->prio[i] = d + i;
	for (int i = n - 1; i > 0; i--) {
		int j = sim_rand_below(&r->rng, i + 1), t = r->prio[i];

		r->prio[i] = r->prio[j];
		r->prio[j] = t;
	}
	/*
	 * Change point i (i = 1..d-1) at step k_i lowers the thread taking that
	 * step to priority i; the k_i are independent, so which demoted thread
	 * ranks above which is random too.  Keep the pairs sorted by step.
	 */
	r->nchange = d - 1 > 16 ? 16 : d - 1;
	for (int i = 0; i < r->nchange; i++) {
		/* Before any execution was seen, guess 64 steps. */
		r->change[i] = 1 + sim_rand_below(&r->rng, r->est ? r->est : 64);
		r->lowered[i] = i + 1;
	}
	for (int i = 1; i < r->nchange; i++)
		for (int j = i; j > 0 && r->change[j - 1] > r->change[j]; j--) {
			uint64_t t = r->change[j];
			int l = r->lowered[j];

			r->change[j] = r->change[j - 1];
			r->lowered[j] = r->lowered[j - 1];
			r->change[j - 1] = t;
			r->lowered[j - 1] = l;
		}
	r->applied = 0;
	r->floor = 0;
}

static int pct_best(const struct rnd *r, uint64_t cand)
{
	int best = -1;

	for (uint64_t m = cand; m; m &= m - 1) {
		int t = __builtin_ctzll(m);

		if (best < 0 || r->prio[t] > r->prio[best])
			best = t;
	}
	return best;
}

/*
 * A candidate whose next step is a spin (cpu_relax, a fault retry) waits
 * for another thread: it drops below every priority given so far, as a
 * yield does in CHESS's fair scheduler.  Strict priorities would
 * otherwise let two retrying threads take turns forever while the thread
 * they wait for never runs (a livelock of the strategy, not the model).
 */
static void pct_demote_spinners(struct rnd *r, const struct sim_choice *c)
{
	for (uint64_t m = c->cand; m; m &= m - 1) {
		int t = __builtin_ctzll(m);

		if (c->th[t].pend.op == SHIM_OP_SPIN && r->prio[t] > r->floor)
			r->prio[t] = --r->floor;
	}
}

/* Apply the change points up to the step about to be taken (1-based). */
static int pct_apply(struct rnd *r, const struct sim_choice *c)
{
	uint64_t cand = c->cand, step = c->step;
	int t;

	pct_demote_spinners(r, c);
	t = pct_best(r, cand);

	while (r->applied < r->nchange && r->change[r->applied] <= step + 1) {
		r->prio[t] = r->lowered[r->applied];
		r->applied++;
		t = pct_best(r, cand);
	}
	return t;
}

static int pct_pick(struct sim_strategy *s, const struct sim_choice *c, char *err,
		    size_t errlen)
{
	return pct_apply((struct rnd *)s, c);
}

/* A change point may fall on a step nobody chose: it still demotes that thread. */
static int pct_observe(struct sim_strategy *s, const struct sim_choice *c)
{
	struct rnd *r = (struct rnd *)s;

	if (r->applied < r->nchange && r->change[r->applied] <= c->step + 1)
		pct_apply(r, c);
	else
		pct_demote_spinners(r, c);
	return 0;
}

static void pct_end(struct sim_strategy *s, struct sim_result *res)
{
	struct rnd *r = (struct rnd *)s;

	if (!r->frozen && res->steps > r->est)
		r->est = res->steps;
}

/**
 * sim_pct_freeze() - Fix PCT's execution-length estimate.
 * @s: a PCT strategy.
 * @est: estimated steps per execution.
 *
 * Parallel searches freeze the estimate after the calibration iterations so
 * that iteration k draws the same change points whichever worker runs it.
 *
 * Context: not during an execution of @s.
 */
void sim_pct_freeze(struct sim_strategy *s, uint64_t est)
{
	struct rnd *r = (struct rnd *)s;

	r->est = est ? est : 1;
	r->frozen = true;
}

/**
 * sim_pct_estimate() - PCT's current execution-length estimate.
 * @s: a PCT strategy.
 *
 * Context: any.
 * Return: the estimate in steps.
 */
uint64_t sim_pct_estimate(const struct sim_strategy *s)
{
	const struct rnd *r = (const struct rnd *)s;

	return r->est ? r->est : 64;
}

static const struct sim_strategy_ops pct_ops = {
	.begin = pct_begin, .pick = pct_pick, .observe = pct_observe, .decide = rnd_decide,
	.end = pct_end, .done = never_done, .free = plain_free,
};

/* ---- replay --------------------------------------------------------------- */

struct replay {
	struct sim_strategy s;
	struct sim_decision *d;
	size_t n, pos;
	bool faults;
	bool lenient;
};

static void replay_begin(struct sim_strategy *s, int n, uint64_t iter)
{
	((struct replay *)s)->pos = 0;
}

static void cand_list(uint64_t cand, char *buf, size_t len)
{
	size_t o = 0;

	buf[0] = 0;
	for (; cand && o + 8 < len; cand &= cand - 1)
		o += snprintf(buf + o, len - o, "%sT%d", o ? "," : "", __builtin_ctzll(cand));
}

static int replay_pick(struct sim_strategy *s, const struct sim_choice *c, char *err,
		       size_t errlen)
{
	struct replay *r = (struct replay *)s;
	size_t i = r->pos++;
	char cl[128];

	if (r->lenient) {
		if (i < r->n && r->d[i].kind == SIM_DEC_PICK &&
		    (c->cand & (1ull << r->d[i].value)))
			return r->d[i].value;
		/* Past the prefix (or it no longer fits): do not preempt. */
		return c->cur >= 0 ? c->cur : __builtin_ctzll(c->cand);
	}
	cand_list(c->cand, cl, sizeof(cl));
	if (i >= r->n) {
		snprintf(err, errlen,
			 "replay diverged at step %llu: schedule has %zu decisions, run needs more (runnable %s)",
			 (unsigned long long)c->step, r->n, cl);
		return SIM_PICK_DIVERGED;
	}
	if (r->d[i].kind != SIM_DEC_PICK) {
		snprintf(err, errlen,
			 "replay diverged at decision %zu (step %llu): schedule has a fault answer, run picks a thread among %s",
			 i, (unsigned long long)c->step, cl);
		return SIM_PICK_DIVERGED;
	}
	if (!(c->cand & (1ull << r->d[i].value))) {
		snprintf(err, errlen,
			 "replay diverged at decision %zu (step %llu): recorded T%d is not runnable (runnable %s)",
			 i, (unsigned long long)c->step, r->d[i].value, cl);
		return SIM_PICK_DIVERGED;
	}
	return r->d[i].value;
}

static int replay_decide(struct sim_strategy *s, enum shim_decision what, size_t ndec,
			 char *err, size_t errlen)
{
	struct replay *r = (struct replay *)s;
	size_t i = r->pos++;

	if (i < r->n && r->d[i].kind == SIM_DEC_FAULT)
		return r->d[i].value;
	if (r->lenient)
		return 0;
	snprintf(err, errlen, "replay diverged at decision %zu: run asks a fault question, schedule %s",
		 i, i < r->n ? "picks a thread" : "has ended");
	return SIM_PICK_DIVERGED;
}

static void replay_end(struct sim_strategy *s, struct sim_result *res)
{
	struct replay *r = (struct replay *)s;
	char buf[160];

	if (r->lenient || r->pos >= r->n || res->outcome == SIM_DIVERGED ||
	    res->outcome == SIM_ERROR)
		return;
	/* The run ended before using the whole schedule: not the recorded run. */
	snprintf(buf, sizeof(buf), "replay diverged: run ended after %zu of %zu decisions",
		 r->pos, r->n);
	res->outcome = SIM_DIVERGED;
	free(res->error);
	res->error = strdup(buf);
}

static void replay_free(struct sim_strategy *s)
{
	free(((struct replay *)s)->d);
	free(s);
}

static const struct sim_strategy_ops replay_ops = {
	.begin = replay_begin, .pick = replay_pick, .decide = replay_decide,
	.end = replay_end, .done = never_done, .free = replay_free,
};

static struct sim_strategy *replay_new(const struct sim_strategy_cfg *cfg, char *err,
				       size_t errlen)
{
	struct replay *r = calloc(1, sizeof(*r));

	if (!r)
		return NULL;
	if (sim_schedule_decode(cfg->schedule, &r->d, &r->n, &r->faults, err, errlen)) {
		free(r);
		return NULL;
	}
	r->lenient = cfg->kind == SIM_STRAT_PREFIX;
	r->s.ops = &replay_ops;
	return &r->s;
}

/* ---- factory ---------------------------------------------------------- */

static struct sim_strategy *strategy_new(const struct sim_strategy_cfg *cfg, char *err,
					 size_t errlen)
{
	struct sim_strategy *s = NULL;
	struct rnd *r;

	switch (cfg->kind) {
	case SIM_STRAT_RANDOM:
	case SIM_STRAT_PCT:
		r = calloc(1, sizeof(*r));
		if (!r)
			return NULL;
		r->s.ops = cfg->kind == SIM_STRAT_PCT ? &pct_ops : &random_ops;
		s = &r->s;
		break;
	case SIM_STRAT_DFS:
		s = sim_dfs_new(cfg);
		break;
	case SIM_STRAT_REPLAY:
	case SIM_STRAT_PREFIX:
		s = replay_new(cfg, err, errlen);
		break;
	default:
		snprintf(err, errlen, "unknown strategy %d", cfg->kind);
		return NULL;
	}
	if (s)
		s->cfg = *cfg;
	return s;
}

/**
 * sim_strategy_new() - Create a strategy.
 * @cfg: its configuration (@cfg->schedule is copied for replay kinds).
 *
 * Context: any.
 * Return: the strategy, or NULL (bad schedule string, unknown kind, no memory).
 */
struct sim_strategy *sim_strategy_new(const struct sim_strategy_cfg *cfg)
{
	char err[256];
	struct sim_strategy *s = strategy_new(cfg, err, sizeof(err));

	if (s)
		s->cfg.schedule = NULL;
	return s;
}

/**
 * sim_strategy_free() - Free a strategy.
 * @s: the strategy (may be NULL).
 *
 * Context: any.
 */
void sim_strategy_free(struct sim_strategy *s)
{
	if (s)
		s->ops->free(s);
}

/**
 * sim_strategy_done() - Has a search strategy exhausted its space?
 * @s: the strategy.
 *
 * Context: any.
 * Return: true for an exhausted DFS, false otherwise.
 */
bool sim_strategy_done(const struct sim_strategy *s)
{
	return s->ops->done(s);
}

/**
 * sim_strategy_name() - Printable strategy name.
 * @k: the kind.
 *
 * Context: any.
 * Return: a static string.
 */
const char *sim_strategy_name(enum sim_strategy_kind k)
{
	switch (k) {
	case SIM_STRAT_RANDOM: return "random";
	case SIM_STRAT_PCT: return "pct";
	case SIM_STRAT_DFS: return "dfs";
	case SIM_STRAT_REPLAY: return "replay";
	case SIM_STRAT_PREFIX: return "prefix";
	}
	return "?";
}

/**
 * sim_replay() - Replay a schedule string strictly.
 * @p: the program.
 * @o: run options (fault injection follows the schedule's "f" flag).
 * @schedule: the "S1:..." string.
 * @r: the result; SIM_DIVERGED with @r->error if the run cannot follow, or
 *     SIM_ERROR if @schedule does not parse.
 *
 * Context: as sim_run().
 * Return: @r->outcome.
 */
enum sim_outcome sim_replay(const struct sim_program *p, const struct sim_run_opts *o,
			    const char *schedule, struct sim_result *r)
{
	static const struct sim_run_opts defaults = SIM_RUN_OPTS_INIT;
	struct sim_strategy_cfg cfg = { .kind = SIM_STRAT_REPLAY, .schedule = schedule };
	struct sim_run_opts ro = o ? *o : defaults;
	struct sim_strategy *s;
	char err[256] = "";
	enum sim_outcome out;

	s = strategy_new(&cfg, err, sizeof(err));
	if (!s) {
		memset(r, 0, sizeof(*r));
		r->outcome = SIM_ERROR;
		r->error = strdup(err[0] ? err : "out of memory");
		return r->outcome;
	}
	ro.fault_inject = ((struct replay *)s)->faults;
	if (ro.executor == SIM_EXEC_FREE)
		ro.executor = SIM_EXEC_FIBER;
	out = sim_run(p, &ro, s, 0, r);
	sim_strategy_free(s);
	return out;
}
