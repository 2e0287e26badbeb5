// SPDX-License-Identifier: GPL-2.0
/*
 * A small lock validator, after kernel/locking/lockdep.c (v7.1), written
 * for the simulator: classes, per-task held-lock stacks, a dependency graph
 * over classes and a cycle check on every new edge, might_sleep() checking.
 *
 * Each execution context has its own graph (see struct shim_lockdep_graph)
 * guarded by one internal pthread mutex that is taken only to register a
 * class or record an edge not seen before; a known edge costs one relaxed
 * load.  Held stacks
 * are per task and only touched by their task, so need no lock.
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include <linux/kernel.h>
#include <linux/lockdep.h>
#include <shim/sched.h>

#include <stdlib.h>

#include "lockdep_internal.h"

#define LOCKDEP_MAX_CLASSES	512
#define LOCKDEP_HASH		1024
#define LOCKDEP_WORDS		(LOCKDEP_MAX_CLASSES / 64)
#define LOCKDEP_MAX_EDGES	4096

struct lockdep_class {
	struct lock_class_key self;	/* shim_held_lock.class points here */
	const void *key;		/* lock_class_key, or the map itself */
	unsigned int subclass;
	int wait_type;
	char name[64];
};

struct lockdep_edge {
	unsigned short from, to;
	const char *from_site;		/* where @from was taken */
	const char *to_site;		/* where @to was taken while holding it */
};

/*
 * One dependency graph per execution context (shim_ctx->lockdep), so that
 * parallel workers each learn only their own execution's lock order and a
 * report replays; the process-wide default serves code outside executions.
 *
 * Classes outlive shim_lockdep_reset(): a class is a (key, subclass) pair
 * and means the same in every execution, so keeping the table saves
 * registering every lock again each time.  Their ids therefore depend on
 * what ran before, and nothing a report says may: a cycle is found with
 * the id-ordered bitmaps (fast) but its path is printed from a search in
 * this execution's edge order.  The dependencies themselves (dep, edges,
 * reported) belong to one execution: reset clears only the rows it set.
 */
struct shim_lockdep_graph {
	pthread_mutex_t graph_lock;
	struct lockdep_class classes[LOCKDEP_MAX_CLASSES];
	int nr_classes;
	short class_hash[LOCKDEP_HASH];		/* class id + 1, 0: empty */
	unsigned long uid;			/* unique across graphs, never 0 */
	unsigned long dep[LOCKDEP_MAX_CLASSES][LOCKDEP_WORDS];	/* __atomic */
	unsigned long reported[LOCKDEP_MAX_CLASSES][LOCKDEP_WORDS];
	unsigned long dirty[LOCKDEP_WORDS];	/* rows of dep/reported with bits set */
	/*
	 * The union of every execution's dependencies since the classes were
	 * registered.  While it has no cycle, no execution's graph (a subset)
	 * can have one, so an edge it already holds needs no search.
	 */
	unsigned long all[LOCKDEP_MAX_CLASSES][LOCKDEP_WORDS];
	bool all_cyclic;
	struct lockdep_edge edges[LOCKDEP_MAX_EDGES];
	int nr_edges;
	bool full_reported;
	/* Scratch for the searches, used under graph_lock: fibers have small stacks. */
	unsigned long visited[LOCKDEP_WORDS];
	int path[LOCKDEP_MAX_CLASSES + 1];
	bool seen[LOCKDEP_MAX_CLASSES];
};

static unsigned long next_uid = 1;	/* __atomic */
static struct shim_lockdep_graph default_graph = {
	.graph_lock = PTHREAD_MUTEX_INITIALIZER,
	.uid = 0,
};
static bool enabled = true;

static struct shim_lockdep_graph *ld_graph(void)
{
	struct shim_lockdep_graph *g = shim_ctx && shim_ctx->lockdep ?
				       shim_ctx->lockdep : &default_graph;

	if (unlikely(!__atomic_load_n(&g->uid, __ATOMIC_ACQUIRE))) {
		unsigned long uid = __atomic_add_fetch(&next_uid, 1, __ATOMIC_RELAXED);
		unsigned long zero = 0;

		__atomic_compare_exchange_n(&g->uid, &zero, uid, false,
					    __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE);
	}
	return g;
}

/**
 * shim_lockdep_graph_new - a new, empty dependency graph for one context
 *
 * Context: any.  Return: the graph, or NULL when out of memory.
 */
struct shim_lockdep_graph *shim_lockdep_graph_new(void)
{
	struct shim_lockdep_graph *g = calloc(1, sizeof(*g));

	if (g)
		pthread_mutex_init(&g->graph_lock, NULL);
	return g;
}

/** shim_lockdep_graph_free - free a graph no context uses any more. */
void shim_lockdep_graph_free(struct shim_lockdep_graph *g)
{
	if (!g)
		return;
	pthread_mutex_destroy(&g->graph_lock);
	free(g);
}

static struct lockdep_class *class_of(const struct lock_class_key *k)
{
	return container_of(k, struct lockdep_class, self);
}

const char *shim_lockdep_class_name(const struct lock_class_key *class)
{
	return class ? class_of(class)->name : "?";
}

void shim_lockdep_enable(bool on)
{
	__atomic_store_n(&enabled, on, __ATOMIC_RELAXED);
}

/**
 * shim_lockdep_reset() - Forget every dependency of this context's graph.
 *
 * Context: no task of this context holds a lock.
 */
void shim_lockdep_reset(void)
{
	struct shim_lockdep_graph *g = ld_graph();
	int w;

	pthread_mutex_lock(&g->graph_lock);
	for (w = 0; w < LOCKDEP_WORDS; w++) {
		unsigned long bits = g->dirty[w];

		while (bits) {
			int row = w * 64 + __builtin_ctzl(bits);

			bits &= bits - 1;
			memset(g->dep[row], 0, sizeof(g->dep[row]));
			memset(g->reported[row], 0, sizeof(g->reported[row]));
		}
		g->dirty[w] = 0;
	}
	g->nr_edges = 0;
	g->full_reported = false;
	/*
	 * Classes keyed by a lock's own map (no static key) come new with
	 * every object; before they fill the table, start it afresh under a
	 * new uid so every cached class id goes stale.
	 */
	if (g->nr_classes > LOCKDEP_MAX_CLASSES / 2) {
		memset(g->class_hash, 0, sizeof(g->class_hash));
		memset(g->all, 0, sizeof(g->all));
		g->all_cyclic = false;
		g->nr_classes = 0;
		__atomic_store_n(&g->uid, __atomic_add_fetch(&next_uid, 1, __ATOMIC_RELAXED),
				 __ATOMIC_RELEASE);
	}
	pthread_mutex_unlock(&g->graph_lock);
}

void shim_lockdep_init_map(struct lockdep_map *map, const char *name,
			   const struct lock_class_key *key, int wait_type)
{
	map->key = key;
	map->name = name;
	map->wait_type = wait_type;
	__atomic_store_n(&map->__cache, 0, __ATOMIC_RELAXED);
}

static unsigned int hash_key(const void *key, unsigned int subclass)
{
	unsigned long h = (unsigned long)key * 0x9e3779b97f4a7c15UL;

	return (unsigned int)((h >> 40) ^ subclass) % LOCKDEP_HASH;
}

/* Find or register the class of (@map's key, @subclass).  Takes graph_lock. */
static struct lockdep_class *lookup_class(struct shim_lockdep_graph *g,
					  struct lockdep_map *map, unsigned int subclass)
{
	unsigned long cache = __atomic_load_n(&map->__cache, __ATOMIC_ACQUIRE);
	const void *key;
	struct lockdep_class *c = NULL;
	unsigned int h, i;

	/* __cache holds (graph uid << 16 | id + 1) for subclass 0. */
	if (!subclass && cache && (cache >> 16) == g->uid)
		return &g->classes[(cache & 0xffff) - 1];
	key = map->key ? (const void *)map->key : (const void *)map;

	/* Known classes are found without the lock: entries are published last. */
	h = hash_key(key, subclass);
	for (i = 0; i < LOCKDEP_HASH; i++, h = (h + 1) % LOCKDEP_HASH) {
		int id = __atomic_load_n(&g->class_hash[h], __ATOMIC_ACQUIRE);

		if (!id)
			break;
		if (g->classes[id - 1].key == key && g->classes[id - 1].subclass == subclass) {
			c = &g->classes[id - 1];
			if (!subclass)
				__atomic_store_n(&map->__cache,
						 (g->uid << 16) | (unsigned long)id, __ATOMIC_RELEASE);
			return c;
		}
	}

	pthread_mutex_lock(&g->graph_lock);
	h = hash_key(key, subclass);
	for (i = 0; i < LOCKDEP_HASH; i++, h = (h + 1) % LOCKDEP_HASH) {
		int id = g->class_hash[h];

		if (!id)
			break;
		if (g->classes[id - 1].key == key && g->classes[id - 1].subclass == subclass) {
			c = &g->classes[id - 1];
			break;
		}
	}
	if (!c && g->nr_classes < LOCKDEP_MAX_CLASSES && i < LOCKDEP_HASH) {
		c = &g->classes[g->nr_classes++];
		c->key = key;
		c->subclass = subclass;
		c->wait_type = map->wait_type;
		if (subclass)
			snprintf(c->name, sizeof(c->name), "%s/%u",
				 map->name ? map->name : "?", subclass);
		else
			snprintf(c->name, sizeof(c->name), "%s",
				 map->name ? map->name : "?");
		__atomic_store_n(&g->class_hash[h], g->nr_classes, __ATOMIC_RELEASE);
	}
	if (!c && !g->full_reported) {
		g->full_reported = true;
		pthread_mutex_unlock(&g->graph_lock);
		shim_report(SHIM_REPORT_LOCKDEP, __FILE__, __LINE__,
			    "lockdep: out of lock classes (%d); raise LOCKDEP_MAX_CLASSES",
			    LOCKDEP_MAX_CLASSES);
		return NULL;
	}
	if (c && !subclass)
		__atomic_store_n(&map->__cache, (g->uid << 16) | (unsigned long)(c - g->classes + 1),
				 __ATOMIC_RELEASE);
	pthread_mutex_unlock(&g->graph_lock);
	return c;
}

static bool has_dep(struct shim_lockdep_graph *g, int from, int to)
{
	return __atomic_load_n(&g->dep[from][to / 64], __ATOMIC_RELAXED) & (1UL << (to % 64));
}

/* Is @to reachable from @from?  Depth-first over the bitmaps. */
static bool reachable(struct shim_lockdep_graph *g, int from, int to)
{
	int w, b;

	if (from == to)
		return true;
	g->visited[from / 64] |= 1UL << (from % 64);
	for (w = 0; w < LOCKDEP_WORDS; w++) {
		unsigned long bits = g->dep[from][w] & ~g->visited[w];

		while (bits) {
			b = w * 64 + __builtin_ctzl(bits);
			bits &= bits - 1;
			if (reachable(g, b, to))
				return true;
		}
	}
	return false;
}

/* reachable() in the union of all executions' dependencies. */
static bool reachable_all(struct shim_lockdep_graph *g, int from, int to)
{
	int w, b;

	if (from == to)
		return true;
	g->visited[from / 64] |= 1UL << (from % 64);
	for (w = 0; w < LOCKDEP_WORDS; w++) {
		unsigned long bits = g->all[from][w] & ~g->visited[w];

		while (bits) {
			b = w * 64 + __builtin_ctzl(bits);
			bits &= bits - 1;
			if (reachable_all(g, b, to))
				return true;
		}
	}
	return false;
}

/*
 * A path from @from to @to following this execution's edges in the order
 * they were recorded, so the path printed does not depend on class ids.
 * Fills g->path; only called once a cycle is known to exist.
 */
static bool find_path(struct shim_lockdep_graph *g, int from, int to, int *len)
{
	int i;

	g->path[(*len)++] = from;
	if (from == to)
		return true;
	g->seen[from] = true;
	for (i = 0; i < g->nr_edges; i++) {
		const struct lockdep_edge *e = &g->edges[i];

		if (e->from != from || g->seen[e->to])
			continue;
		if (find_path(g, e->to, to, len))
			return true;
	}
	(*len)--;
	return false;
}

static const struct lockdep_edge *find_edge(struct shim_lockdep_graph *g, int from, int to)
{
	int i;

	for (i = 0; i < g->nr_edges; i++) {
		if (g->edges[i].from == from && g->edges[i].to == to)
			return &g->edges[i];
	}
	return NULL;
}

static void mark_dirty(struct shim_lockdep_graph *g, int row)
{
	g->dirty[row / 64] |= 1UL << (row % 64);
}

/*
 * Record "@to taken while holding @from"; report if @from is already
 * reachable from @to, i.e. the two orders both exist.
 */
static void add_dep(struct shim_lockdep_graph *g, struct lockdep_class *from,
		    struct lockdep_class *to, const char *from_site,
		    const char *to_site, const char *verb)
{
	int a = from - g->classes, b = to - g->classes;
	char chain[768];
	int len = 0, i, off = 0;

	if (has_dep(g, a, b))
		return;
	pthread_mutex_lock(&g->graph_lock);
	if (has_dep(g, a, b)) {
		pthread_mutex_unlock(&g->graph_lock);
		return;
	}
	/*
	 * Seen in an earlier execution and the union is still acyclic: this
	 * execution's graph cannot close a cycle with it.  Else search the
	 * union first (a new edge that keeps it acyclic is safe here too).
	 */
	if (!g->all_cyclic && !(g->all[a][b / 64] & (1UL << (b % 64)))) {
		memset(g->visited, 0, sizeof(g->visited));
		if (reachable_all(g, b, a))
			g->all_cyclic = true;
		g->all[a][b / 64] |= 1UL << (b % 64);
	}
	if (g->all_cyclic)
		memset(g->visited, 0, sizeof(g->visited));
	if (!g->all_cyclic || !reachable(g, b, a)) {
		__atomic_fetch_or(&g->dep[a][b / 64], 1UL << (b % 64), __ATOMIC_RELAXED);
		mark_dirty(g, a);
		if (g->nr_edges < LOCKDEP_MAX_EDGES)
			g->edges[g->nr_edges++] = (struct lockdep_edge){ a, b, from_site, to_site };
		pthread_mutex_unlock(&g->graph_lock);
		return;
	}
	/* A cycle: say it once per ordered pair, leave the graph acyclic. */
	if (g->reported[a][b / 64] & (1UL << (b % 64))) {
		pthread_mutex_unlock(&g->graph_lock);
		return;
	}
	g->reported[a][b / 64] |= 1UL << (b % 64);
	mark_dirty(g, a);
	memset(g->seen, 0, sizeof(g->seen));
	if (!find_path(g, b, a, &len))
		len = 0;	/* edges[] overflowed: say so below */
	chain[0] = '\0';
	if (!len)
		snprintf(chain, sizeof(chain), "(more than %d dependencies; path not kept)",
			 LOCKDEP_MAX_EDGES);
	for (i = 0; i + 1 < len && off < (int)sizeof(chain); i++) {
		const struct lockdep_edge *e = find_edge(g, g->path[i], g->path[i + 1]);

		off += snprintf(chain + off, sizeof(chain) - off, "%s%s (%s) -> %s (%s)",
				i ? "; " : "", g->classes[g->path[i]].name,
				e ? e->from_site : "?", g->classes[g->path[i + 1]].name,
				e ? e->to_site : "?");
	}
	pthread_mutex_unlock(&g->graph_lock);
	shim_report(SHIM_REPORT_LOCKDEP, to_site, 0,
		    "possible circular locking dependency: %s %s at %s while holding %s (taken at %s); existing order: %s",
		    verb, to->name, to_site, from->name, from_site, chain);
}

static bool track_enabled(void)
{
	return __atomic_load_n(&enabled, __ATOMIC_RELAXED);
}

void __shim_lock_acquire(struct shim_task *t, struct lockdep_map *map,
			 const void *lock, unsigned int subclass, int how,
			 bool trylock, const char *site)
{
	struct shim_lockdep_graph *g = ld_graph();
	struct lockdep_class *c = lookup_class(g, map, subclass);
	int i;

	if (c && track_enabled() && !trylock) {
		for (i = t->nheld - 1; i >= 0; i--) {
			struct shim_held_lock *h = &t->held[i];
			struct lockdep_class *hc = h->class ? class_of(h->class) : NULL;

			if (!hc)
				continue;
			if (hc == c) {
				/* Recursive read of one class is fine; anything else self-deadlocks. */
				if (how != SHIM_ACQ_EXCL && h->shared)
					continue;
				shim_report(SHIM_REPORT_LOCKDEP, site, 0,
					    "possible recursive locking: taking %s at %s while already holding %s (taken at %s)",
					    c->name, site, hc->name, h->site);
				continue;
			}
			/* A reader that never waits cannot close a cycle by being waited for. */
			if (how == SHIM_ACQ_SHARED_NB)
				continue;
			/* Known in this execution (the common case): no call. */
			if (has_dep(g, hc - g->classes, c - g->classes))
				continue;
			add_dep(g, hc, c, h->site, site, "taking");
		}
	}
	if (t->nheld >= SHIM_MAX_HELD_LOCKS) {
		shim_report(SHIM_REPORT_LOCKDEP, site, 0,
			    "lockdep: task %s holds more than %d locks taking %s",
			    t->name ? t->name : "?", SHIM_MAX_HELD_LOCKS, map->name);
		return;
	}
	t->held[t->nheld++] = (struct shim_held_lock){
		.lock = lock,
		.class = c ? &c->self : NULL,
		.name = map->name,
		.shared = how != SHIM_ACQ_EXCL,
		.site = site,
	};
}

static int find_held(struct shim_task *t, const void *lock, int mode)
{
	int i;

	for (i = t->nheld - 1; i >= 0; i--) {
		if (t->held[i].lock != lock)
			continue;
		if (mode == SHIM_HELD_ANY ||
		    (mode == SHIM_HELD_SHARED) == t->held[i].shared)
			return i;
	}
	return -1;
}

void shim_lock_acquire(struct lockdep_map *map, const void *lock,
		       unsigned int subclass, int how, bool trylock,
		       const char *site)
{
	__shim_lock_acquire(shim_current(), map, lock, subclass, how, trylock, site);
}

bool __shim_lock_release(struct shim_task *t, struct lockdep_map *map,
			 const void *lock, const char *site)
{
	int i = find_held(t, lock, SHIM_HELD_ANY);

	if (i < 0) {
		shim_report(SHIM_REPORT_LOCKDEP, site, 0,
			    "bad unlock balance: task %s (tid %d) releases %s at %s but does not hold it",
			    t->name ? t->name : "?", t->tid, map->name ? map->name : "?", site);
		return false;
	}
	/* Usually the most recent one: nothing to close up then. */
	if (i != t->nheld - 1)
		memmove(&t->held[i], &t->held[i + 1],
			(t->nheld - i - 1) * sizeof(t->held[0]));
	t->nheld--;
	return true;
}

bool shim_lock_release(struct lockdep_map *map, const void *lock, const char *site)
{
	return __shim_lock_release(shim_current(), map, lock, site);
}

void shim_lock_downgrade(const void *lock, const char *site)
{
	struct shim_task *t = shim_current();
	int i = find_held(t, lock, SHIM_HELD_EXCL);

	if (i < 0) {
		shim_report(SHIM_REPORT_LOCKDEP, site, 0,
			    "downgrade at %s of a lock not held for write", site);
		return;
	}
	t->held[i].shared = true;
}

void shim_lock_sync(struct lockdep_map *map, const void *lock, const char *site)
{
	struct shim_task *t = shim_current();
	struct shim_lockdep_graph *g = ld_graph();
	struct lockdep_class *c;
	int i;

	if (find_held(t, lock, SHIM_HELD_ANY) >= 0) {
		shim_report(SHIM_REPORT_LOCKDEP, site, 0,
			    "waiting for readers of %s at %s inside a read section of it",
			    map->name ? map->name : "?", site);
		return;
	}
	c = lookup_class(g, map, 0);
	if (!c || !track_enabled())
		return;
	for (i = t->nheld - 1; i >= 0; i--) {
		if (t->held[i].class)
			add_dep(g, class_of(t->held[i].class), c, t->held[i].site, site,
				"waiting for all readers of");
	}
}

bool __shim_lock_is_held(struct shim_task *t, const void *lock, int mode)
{
	return find_held(t, lock, mode) >= 0;
}

bool shim_lock_is_held(const void *lock, int mode)
{
	return find_held(shim_current(), lock, mode) >= 0;
}

void shim_lockdep_assert(const void *lock, int mode, bool want, const char *expr,
			 const char *site)
{
	static const char *const what[] = { "", "_write", "_read" };

	if (shim_lock_is_held(lock, mode) == want)
		return;
	shim_report(SHIM_REPORT_LOCKDEP, site, 0, "lockdep_assert_%s%s(%s) failed in task %s",
		    want ? "held" : "not_held", want ? what[mode] : "", expr,
		    shim_current()->name ? shim_current()->name : "?");
}

void __shim_might_sleep(struct shim_task *t, const char *site)
{
	int i;

	for (i = t->nheld - 1; i >= 0; i--) {
		const struct shim_held_lock *h = &t->held[i];

		if (h->class && class_of(h->class)->wait_type == SHIM_WAIT_SPIN) {
			shim_report(SHIM_REPORT_LOCKDEP, site, 0,
				    "sleeping function called at %s while holding spinning lock %s (taken at %s)",
				    site, h->name ? h->name : "?", h->site);
			return;
		}
	}
}

/**
 * shim_might_sleep() - Report sleeping while a spinning lock is held.
 * @site: "file:line" of the caller.
 *
 * Context: any.
 */
void shim_might_sleep(const char *site)
{
	__shim_might_sleep(shim_current(), site);
}
