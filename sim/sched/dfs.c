// SPDX-License-Identifier: GPL-2.0
/*
 * Bounded exhaustive search: stateless depth-first search over decision
 * records, with a preemption bound, a fault budget and sleep sets
 * (Godefroid 1996) for partial-order reduction.
 *
 * Each execution replays the current path of decisions, then extends it
 * with fresh nodes, preferring not to preempt.  When it ends, the deepest
 * node with an unexplored alternative takes that alternative; the search is
 * exhausted when none is left.
 *
 * Sleep sets: exploring thread t at a node after its siblings u1..uk puts
 * every ui whose pending step is independent of t's into the child's sleep
 * set; a thread stays asleep while the steps taken are independent of its
 * own, and is never chosen while asleep.  Two pending steps are
 * independent when they name different objects, or the same object with
 * shared (read) access; a step with no object (a named point, a thread
 * start, a spin) conflicts with everything, because the code after it may
 * touch anything.
 *
 * Sharding: every node choice made above depth split_depth starts a new
 * "subtree"; subtree j belongs to worker j % nworkers.  Subtree numbering
 * depends only on the program, so the union of the workers' executions is
 * exactly the single-worker search.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sched_internal.h"

struct dfs_node {
	uint8_t kind;		/* SIM_DEC_PICK / SIM_DEC_FAULT */
	int8_t cur;		/* PICK: current thread if a candidate */
	int8_t chosen;
	uint64_t enabled;	/* PICK: candidates; FAULT: allowed answers (bit0 no, bit1 yes) */
	uint64_t sleep;
	uint64_t done;		/* choices taken so far (the current one included) */
	int preempt;		/* preemptions before this node */
	unsigned yes;		/* fault "yes" answers before this node */
};

struct dfs {
	struct sim_strategy s;
	int n;
	struct dfs_node *path;
	size_t depth, cap;
	uint64_t sleep_now;	/* sleep set of the next step */
	size_t pos;		/* decisions made in the current execution */
	bool exhausted;
	bool started;
	/* sharding */
	int split;
	unsigned me, nworkers;
	uint64_t subtree;
	uint64_t pruned;
};

static bool shared_op(uint32_t op)
{
	switch (op & ~(uint32_t)SIM_EV_RESUME) {
	case SHIM_OP_DOWN_READ:
	case SHIM_OP_READ_LOCK:
	case SHIM_OP_SRCU_READ_LOCK:
	case SHIM_OP_READ_ONCE:
		return true;
	}
	return false;
}

static bool independent(const struct sim_pend *a, const struct sim_pend *b)
{
	if (!a->obj || !b->obj)
		return false;
	if (a->obj != b->obj)
		return true;
	return shared_op(a->op) && shared_op(b->op);
}

static bool owned(const struct dfs *d)
{
	return d->nworkers <= 1 || d->subtree % d->nworkers == d->me;
}

static struct dfs_node *push(struct dfs *d)
{
	struct dfs_node *node;

	if (d->depth == d->cap) {
		size_t nc = d->cap ? 2 * d->cap : 64;
		struct dfs_node *np = realloc(d->path, nc * sizeof(*np));

		if (!np)
			return NULL;
		d->path = np;
		d->cap = nc;
	}
	node = &d->path[d->depth];
	memset(node, 0, sizeof(*node));
	node->chosen = -1;
	node->cur = -1;
	d->depth++;
	return node;
}

/* Preemptions and fault answers a new node at d->pos inherits. */
static void inherit(struct dfs *d, struct dfs_node *node)
{
	const struct dfs_node *par;

	node->sleep = d->s.cfg.no_por ? 0 : d->sleep_now;
	if (d->pos == 0)
		return;
	par = &d->path[d->pos - 1];
	node->preempt = par->preempt;
	node->yes = par->yes;
	if (par->kind == SIM_DEC_FAULT) {
		node->yes += par->chosen;
		return;
	}
	if (par->cur >= 0 && par->chosen != par->cur)
		node->preempt++;
}

/* Thread @t takes a step: the sleepers it conflicts with wake up. */
static void step_sleep(struct dfs *d, uint64_t asleep, int t, const struct sim_thread *th)
{
	uint64_t keep = 0;

	if (d->s.cfg.no_por) {
		d->sleep_now = 0;
		return;
	}
	asleep &= ~(1ull << t);
	for (uint64_t m = asleep; m; m &= m - 1) {
		int u = __builtin_ctzll(m);

		if (independent(&th[u].pend, &th[t].pend))
			keep |= 1ull << u;
	}
	d->sleep_now = keep;
}

/* Choices still open at @node. */
static uint64_t open_choices(const struct dfs *d, const struct dfs_node *node)
{
	uint64_t avail = node->enabled & ~node->done;
	int bound = d->s.cfg.preemption_bound;

	if (node->kind == SIM_DEC_FAULT)
		return avail;
	avail &= ~node->sleep;
	/* With the bound used up, only the current thread may continue. */
	if (bound >= 0 && node->cur >= 0 && node->preempt >= bound)
		avail &= 1ull << node->cur;
	return avail;
}

static void dfs_begin(struct sim_strategy *s, int n, uint64_t iter)
{
	struct dfs *d = (struct dfs *)s;

	if (!d->started) {
		d->n = n;
		d->started = true;
	}
	d->pos = 0;
	d->sleep_now = 0;
}

static int replay_node(struct dfs *d, int kind, const struct sim_choice *c, char *err,
		       size_t errlen)
{
	struct dfs_node *node = &d->path[d->pos];

	if (node->kind != kind ||
	    (kind == SIM_DEC_PICK && !(c->cand & (1ull << node->chosen)))) {
		snprintf(err, errlen,
			 "dfs: program is not deterministic: decision %zu differs on re-execution",
			 d->pos);
		return SIM_PICK_DIVERGED;
	}
	if (kind == SIM_DEC_PICK)
		step_sleep(d, node->sleep | node->done, node->chosen, c->th);
	d->pos++;
	return node->chosen;
}

/* A step nobody had to choose: a sleeping thread taking it is redundant. */
static int dfs_observe(struct sim_strategy *s, const struct sim_choice *c)
{
	struct dfs *d = (struct dfs *)s;
	int t = __builtin_ctzll(c->cand);

	if (d->sleep_now & (1ull << t))
		return SIM_PICK_PRUNED;
	if (d->sleep_now)
		step_sleep(d, d->sleep_now, t, c->th);
	return 0;
}

/* Reached depth split_depth: leave subtrees of other workers at once. */
static bool cut_here(struct dfs *d)
{
	return d->split > 0 && d->pos == (size_t)d->split && !owned(d);
}

static int dfs_pick(struct sim_strategy *s, const struct sim_choice *c, char *err,
		    size_t errlen)
{
	struct dfs *d = (struct dfs *)s;
	struct dfs_node *node;
	uint64_t avail;
	int t;

	if (d->pos < d->depth)
		return replay_node(d, SIM_DEC_PICK, c, err, errlen);
	if (cut_here(d))
		return SIM_PICK_PRUNED;
	node = push(d);
	if (!node)
		return SIM_PICK_DIVERGED;
	node->kind = SIM_DEC_PICK;
	node->enabled = c->cand;
	node->cur = c->cur;
	inherit(d, node);
	avail = open_choices(d, node);
	if (!avail) {
		/* Sleep-set blocked: everything here was covered elsewhere. */
		d->depth--;
		return SIM_PICK_PRUNED;
	}
	t = c->cur >= 0 && (avail & (1ull << c->cur)) ? c->cur : __builtin_ctzll(avail);
	node->chosen = t;
	node->done |= 1ull << t;
	step_sleep(d, node->sleep, t, c->th);
	d->pos++;
	return t;
}

static int dfs_decide(struct sim_strategy *s, enum shim_decision what, size_t ndec,
		      char *err, size_t errlen)
{
	struct dfs *d = (struct dfs *)s;
	unsigned budget = s->cfg.fault_budget ?: 1;
	struct dfs_node *node;

	if (d->pos < d->depth)
		return replay_node(d, SIM_DEC_FAULT, NULL, err, errlen);
	if (cut_here(d))
		return SIM_PICK_PRUNED;
	node = push(d);
	if (!node)
		return SIM_PICK_DIVERGED;
	node->kind = SIM_DEC_FAULT;
	inherit(d, node);
	node->enabled = node->yes < budget ? 3 : 1;
	node->chosen = 0;
	node->done = 1;
	d->pos++;
	return 0;
}

static void dfs_end(struct sim_strategy *s, struct sim_result *r)
{
	struct dfs *d = (struct dfs *)s;

	if (r->outcome == SIM_DIVERGED || r->outcome == SIM_ERROR) {
		d->exhausted = true;	/* cannot continue a search over a nondeterministic program */
		return;
	}
	if (d->split > 0 && d->pos < (size_t)d->split && !owned(d)) {
		/* Ended above the split depth inside another worker's subtree. */
		r->outcome = SIM_PRUNED;
	}
	if (r->outcome == SIM_PRUNED)
		d->pruned++;
	d->depth = d->pos;
	while (d->depth) {
		struct dfs_node *node = &d->path[d->depth - 1];
		uint64_t avail = open_choices(d, node);

		if (avail) {
			int t = node->kind == SIM_DEC_PICK ? __builtin_ctzll(avail) :
				__builtin_ctzll(avail);

			node->chosen = t;
			node->done |= 1ull << t;
			if (d->depth - 1 < (size_t)d->split)
				d->subtree++;
			return;
		}
		d->depth--;
	}
	d->exhausted = true;
}

static bool dfs_done(const struct sim_strategy *s)
{
	return ((const struct dfs *)s)->exhausted;
}

static void dfs_free(struct sim_strategy *s)
{
	struct dfs *d = (struct dfs *)s;

	free(d->path);
	free(d);
}

static const struct sim_strategy_ops dfs_ops = {
	.begin = dfs_begin, .pick = dfs_pick, .observe = dfs_observe, .decide = dfs_decide,
	.end = dfs_end, .done = dfs_done, .free = dfs_free,
};

/**
 * sim_dfs_new() - Create a bounded DFS strategy.
 * @cfg: preemption_bound (-1: none), no_por, fault_budget.
 *
 * Context: any.
 * Return: the strategy or NULL.
 */
struct sim_strategy *sim_dfs_new(const struct sim_strategy_cfg *cfg)
{
	struct dfs *d = calloc(1, sizeof(*d));

	if (!d)
		return NULL;
	d->s.ops = &dfs_ops;
	d->s.cfg = *cfg;
	return &d->s;
}

/**
 * sim_dfs_set_shard() - Restrict a DFS to one worker's subtrees.
 * @s: a DFS strategy, before its first execution.
 * @depth: split depth (decisions above it are shared by all workers).
 * @i: this worker.
 * @n: number of workers.
 *
 * Context: any.
 */
void sim_dfs_set_shard(struct sim_strategy *s, int depth, unsigned i, unsigned n)
{
	struct dfs *d = (struct dfs *)s;

	d->split = depth;
	d->me = i;
	d->nworkers = n;
}

/**
 * sim_dfs_stats() - Executions cut short so far.
 * @s: a DFS strategy.
 * @pruned: out: sleep-set blocked or other-worker executions.
 *
 * Context: any.
 */
void sim_dfs_stats(const struct sim_strategy *s, uint64_t *pruned)
{
	*pruned = ((const struct dfs *)s)->pruned;
}

/**
 * sim_dfs_subtree() - Index of the subtree the next execution explores.
 * @s: a DFS strategy.
 *
 * Context: any.
 * Return: the index (DFS order, same for every worker).
 */
uint64_t sim_dfs_subtree(const struct sim_strategy *s)
{
	return ((const struct dfs *)s)->subtree;
}
