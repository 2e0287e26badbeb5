// SPDX-License-Identifier: GPL-2.0
/*
 * A small lock validator, after kernel/locking/lockdep.c (v7.1), written
 * for the simulator: classes, per-task held-lock stacks, a dependency graph
 * over classes and a cycle check on every new edge, might_sleep() checking.
 *
 * The graph is global to the process (worlds in parallel share what they
 * learn about lock order, like one kernel's lockdep) and guarded by one
 * internal pthread mutex that is taken only to register a class or record
 * an edge not seen before; a known edge costs one relaxed load.  Held stacks
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
 */
struct shim_lockdep_graph {
	pthread_mutex_t graph_lock;
	struct lockdep_class classes[LOCKDEP_MAX_CLASSES];
	int nr_classes;
	short class_hash[LOCKDEP_HASH];		/* class id + 1, 0: empty */
	unsigned long generation;		/* unique across graphs; new on reset */
	unsigned long dep[LOCKDEP_MAX_CLASSES][LOCKDEP_WORDS];	/* __atomic */
	unsigned long reported[LOCKDEP_MAX_CLASSES][LOCKDEP_WORDS];
	struct lockdep_edge edges[LOCKDEP_MAX_EDGES];
	int nr_edges;
	bool full_reported;
};

static unsigned long next_generation = 1;	/* __atomic */
static struct shim_lockdep_graph default_graph = {
	.graph_lock = PTHREAD_MUTEX_INITIALIZER,
	.generation = 0,
};
static bool enabled = true;

static struct shim_lockdep_graph *ld_graph(void)
{
	struct shim_lockdep_graph *g = shim_ctx && shim_ctx->lockdep ?
				       shim_ctx->lockdep : &default_graph;

	if (!__atomic_load_n(&g->generation, __ATOMIC_ACQUIRE)) {
		unsigned long gen = __atomic_add_fetch(&next_generation, 1, __ATOMIC_RELAXED);
		unsigned long zero = 0;

		__atomic_compare_exchange_n(&g->generation, &zero, gen, false,
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

#define graph_lock	(ld_graph()->graph_lock)
#define classes		(ld_graph()->classes)
#define nr_classes	(ld_graph()->nr_classes)
#define class_hash	(ld_graph()->class_hash)
#define generation	(ld_graph()->generation)
#define dep		(ld_graph()->dep)
#define reported	(ld_graph()->reported)
#define edges		(ld_graph()->edges)
#define nr_edges	(ld_graph()->nr_edges)
#define full_reported	(ld_graph()->full_reported)


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

void shim_lockdep_reset(void)
{
	pthread_mutex_lock(&graph_lock);
	memset(classes, 0, sizeof(classes));
	memset(class_hash, 0, sizeof(class_hash));
	memset(dep, 0, sizeof(dep));
	memset(reported, 0, sizeof(reported));
	nr_classes = 0;
	nr_edges = 0;
	full_reported = false;
	__atomic_store_n(&generation, __atomic_add_fetch(&next_generation, 1, __ATOMIC_RELAXED),
			 __ATOMIC_RELEASE);
	pthread_mutex_unlock(&graph_lock);
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
static struct lockdep_class *lookup_class(struct lockdep_map *map, unsigned int subclass)
{
	unsigned long gen = __atomic_load_n(&generation, __ATOMIC_ACQUIRE);
	unsigned long cache = __atomic_load_n(&map->__cache, __ATOMIC_ACQUIRE);
	const void *key;
	struct lockdep_class *c = NULL;
	unsigned int h, i;

	/* __cache holds (generation << 16 | id + 1) for subclass 0. */
	if (!subclass && cache && (cache >> 16) == gen)
		return &classes[(cache & 0xffff) - 1];
	key = map->key ? (const void *)map->key : (const void *)map;

	pthread_mutex_lock(&graph_lock);
	gen = generation;
	h = hash_key(key, subclass);
	for (i = 0; i < LOCKDEP_HASH; i++, h = (h + 1) % LOCKDEP_HASH) {
		int id = class_hash[h];

		if (!id)
			break;
		if (classes[id - 1].key == key && classes[id - 1].subclass == subclass) {
			c = &classes[id - 1];
			break;
		}
	}
	if (!c && nr_classes < LOCKDEP_MAX_CLASSES && i < LOCKDEP_HASH) {
		c = &classes[nr_classes++];
		c->key = key;
		c->subclass = subclass;
		c->wait_type = map->wait_type;
		if (subclass)
			snprintf(c->name, sizeof(c->name), "%s/%u",
				 map->name ? map->name : "?", subclass);
		else
			snprintf(c->name, sizeof(c->name), "%s",
				 map->name ? map->name : "?");
		class_hash[h] = nr_classes;
	}
	if (!c && !full_reported) {
		full_reported = true;
		pthread_mutex_unlock(&graph_lock);
		shim_report(SHIM_REPORT_LOCKDEP, __FILE__, __LINE__,
			    "lockdep: out of lock classes (%d); raise LOCKDEP_MAX_CLASSES",
			    LOCKDEP_MAX_CLASSES);
		return NULL;
	}
	if (c && !subclass)
		__atomic_store_n(&map->__cache, (gen << 16) | (unsigned long)(c - classes + 1),
				 __ATOMIC_RELEASE);
	pthread_mutex_unlock(&graph_lock);
	return c;
}

static bool has_dep(int from, int to)
{
	return __atomic_load_n(&dep[from][to / 64], __ATOMIC_RELAXED) & (1UL << (to % 64));
}

/* Depth-first search from @from for @to; fills @path (class ids) if found. */
static bool find_path(int from, int to, unsigned long *visited, int *path, int *len)
{
	int w, b;

	path[(*len)++] = from;
	if (from == to)
		return true;
	visited[from / 64] |= 1UL << (from % 64);
	for (w = 0; w < LOCKDEP_WORDS; w++) {
		unsigned long bits = dep[from][w] & ~visited[w];

		while (bits) {
			b = w * 64 + __builtin_ctzl(bits);
			bits &= bits - 1;
			if (find_path(b, to, visited, path, len))
				return true;
		}
	}
	(*len)--;
	return false;
}

static const struct lockdep_edge *find_edge(int from, int to)
{
	int i;

	for (i = 0; i < nr_edges; i++) {
		if (edges[i].from == from && edges[i].to == to)
			return &edges[i];
	}
	return NULL;
}

/*
 * Record "@to taken while holding @from"; report if @from is already
 * reachable from @to, i.e. the two orders both exist.
 */
static void add_dep(struct lockdep_class *from, struct lockdep_class *to,
		    const char *from_site, const char *to_site, const char *verb)
{
	/* Scratch for the search, used under graph_lock: fibers have small stacks. */
	static unsigned long visited[LOCKDEP_WORDS];
	static int path[LOCKDEP_MAX_CLASSES + 1];
	int a = from - classes, b = to - classes;
	char chain[768];
	int len = 0, i, off = 0;

	if (has_dep(a, b))
		return;
	pthread_mutex_lock(&graph_lock);
	if (has_dep(a, b)) {
		pthread_mutex_unlock(&graph_lock);
		return;
	}
	memset(visited, 0, sizeof(visited));
	if (!find_path(b, a, visited, path, &len)) {
		__atomic_fetch_or(&dep[a][b / 64], 1UL << (b % 64), __ATOMIC_RELAXED);
		if (nr_edges < LOCKDEP_MAX_EDGES)
			edges[nr_edges++] = (struct lockdep_edge){ a, b, from_site, to_site };
		pthread_mutex_unlock(&graph_lock);
		return;
	}
	/* A cycle: say it once per ordered pair, leave the graph acyclic. */
	if (reported[a][b / 64] & (1UL << (b % 64))) {
		pthread_mutex_unlock(&graph_lock);
		return;
	}
	reported[a][b / 64] |= 1UL << (b % 64);
	chain[0] = '\0';
	for (i = 0; i + 1 < len && off < (int)sizeof(chain); i++) {
		const struct lockdep_edge *e = find_edge(path[i], path[i + 1]);

		off += snprintf(chain + off, sizeof(chain) - off, "%s%s (%s) -> %s (%s)",
				i ? "; " : "", classes[path[i]].name,
				e ? e->from_site : "?", classes[path[i + 1]].name,
				e ? e->to_site : "?");
	}
	pthread_mutex_unlock(&graph_lock);
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
	struct lockdep_class *c = lookup_class(map, subclass);
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
			add_dep(hc, c, h->site, site, "taking");
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
	struct lockdep_class *c;
	int i;

	if (find_held(t, lock, SHIM_HELD_ANY) >= 0) {
		shim_report(SHIM_REPORT_LOCKDEP, site, 0,
			    "waiting for readers of %s at %s inside a read section of it",
			    map->name ? map->name : "?", site);
		return;
	}
	c = lookup_class(map, 0);
	if (!c || !track_enabled())
		return;
	for (i = t->nheld - 1; i >= 0; i--) {
		if (t->held[i].class)
			add_dep(class_of(t->held[i].class), c, t->held[i].site, site,
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
