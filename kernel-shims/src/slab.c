// SPDX-License-Identifier: GPL-2.0
/*
 * kmalloc/kmem_cache for the model, after mm/slub.c's debugging features
 * (v7.1: SLAB_POISON, SLAB_STORE_USER, KASAN quarantine) rather than its
 * allocator.  Each block is a libc allocation with a header in front:
 *
 *	raw .. [pad] [struct shim_slab_hdr] [object, hdr->size bytes]
 *
 * The header records the allocation site and, once freed, the free site;
 * magic tells live from freed.  A freed object is filled with 0x6b and kept
 * in a per-context FIFO quarantine (SHIM_QUARANTINE_MAX blocks or
 * SHIM_QUARANTINE_BYTES); leaving it, or shim_slab_check(), verifies the
 * poison.  Under ASan the quarantined object is also poisoned for ASan.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/gfp.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include <shim/sched.h>
#include <shim/slab.h>

#ifdef GMEMSIM_ASAN
#include <sanitizer/asan_interface.h>
#define poison_object(p, n)	__asan_poison_memory_region((p), (n))
#define unpoison_object(p, n)	__asan_unpoison_memory_region((p), (n))
#else
#define poison_object(p, n)	do { (void)(p); (void)(n); } while (0)
#define unpoison_object(p, n)	do { (void)(p); (void)(n); } while (0)
#endif

#define SLAB_MAGIC_LIVE		0x51ab11fe0b1ec7edULL
#define SLAB_MAGIC_FREE		0x51abdeadf7eeb10cULL
#define SLAB_MIN_ALIGN		16
#define SLAB_MAX_SIZE		(1UL << 34)	/* larger is an overflowed size */

struct shim_slab_hdr {
	unsigned long long magic;
	size_t size;
	void *raw;			/* what malloc() returned */
	const char *alloc_site;
	const char *free_site;
	struct kmem_cache *cache;	/* NULL for kmalloc */
	struct shim_slab_ctx *ctx;
	struct shim_slab_hdr *prev, *next;	/* ctx->live */
	uint64_t seq;
} __attribute__((aligned(SLAB_MIN_ALIGN)));

struct kmem_cache {
	char name[64];
	unsigned int size, align;
	void (*ctor)(void *);
	unsigned long live, allocs, frees;	/* __atomic */
	unsigned int flags;			/* SLAB_* */
	/*
	 * SLAB_TYPESAFE_BY_RCU: freed objects stay this type (never poisoned,
	 * never handed back to malloc) and are reused only by this cache, so a
	 * stale pointer reads a dead or recycled object of the same type, as
	 * get_file_active() expects (spec B-03/B-04).
	 */
	pthread_mutex_t free_lock;
	struct shim_slab_hdr *freelist;
};

static bool cache_typesafe(const struct kmem_cache *s)
{
	return s && (s->flags & SLAB_TYPESAFE_BY_RCU);
}

static struct shim_slab_hdr *typesafe_pop(struct kmem_cache *s)
{
	struct shim_slab_hdr *h;

	pthread_mutex_lock(&s->free_lock);
	h = s->freelist;
	if (h)
		s->freelist = h->next;
	pthread_mutex_unlock(&s->free_lock);
	return h;
}

static struct shim_slab_ctx default_ctx = {
	.lock = PTHREAD_MUTEX_INITIALIZER,
};

static void *obj_of(struct shim_slab_hdr *h)
{
	return h + 1;
}

static struct shim_slab_hdr *hdr_of(const void *p)
{
	return (struct shim_slab_hdr *)p - 1;
}

struct shim_slab_ctx *shim_slab_ctx_current(void)
{
	struct shim_ctx *c = shim_ctx;

	return c && c->slab ? c->slab : &default_ctx;
}

void shim_slab_ctx_init(struct shim_slab_ctx *ctx)
{
	memset(ctx, 0, sizeof(*ctx));
	pthread_mutex_init(&ctx->lock, NULL);
}

/*
 * How much of a freed object carries the free poison: all of it, except
 * that of a large array (vmemmap chunks, lpage_info, ...) only the first
 * SLAB_POISON_LARGE_HEAD bytes, so that freeing and checking one does not
 * cost a pass over tens of KiB per execution.  ASan builds still poison the
 * whole object for ASan.
 */
#define SLAB_POISON_LARGE	(16u << 10)
#define SLAB_POISON_LARGE_HEAD	1024u

static size_t poison_len(const struct shim_slab_hdr *h)
{
	return h->size > SLAB_POISON_LARGE ? SLAB_POISON_LARGE_HEAD : h->size;
}

/* First altered byte of a quarantined object, or -1 if the poison is intact. */
static long poison_damage(struct shim_slab_hdr *h)
{
	static const unsigned char poison[256] = { [0 ... 255] = SHIM_POISON_FREE };
	const unsigned char *p = obj_of(h);
	size_t off, n, i, len = poison_len(h);

	/* memcmp a chunk at a time; find the byte only in a damaged chunk */
	for (off = 0; off < len; off += n) {
		n = min(len - off, sizeof(poison));
		if (!memcmp(p + off, poison, n))
			continue;
		for (i = off; i < off + n; i++) {
			if (p[i] != SHIM_POISON_FREE)
				return (long)i;
		}
	}
	return -1;
}

/* Unpoisons the object for ASan; true if its free poison is intact. */
static bool check_poison(struct shim_slab_hdr *h, char *msg, size_t len)
{
	long off;

	unpoison_object(obj_of(h), h->size);
	off = poison_damage(h);
	if (off < 0)
		return true;
	snprintf(msg, len,
		 "write after free: %zu-byte object%s%s allocated at %s, freed at %s, modified at offset %ld (0x%02x)",
		 h->size, h->cache ? " of cache " : "", h->cache ? h->cache->name : "",
		 h->alloc_site, h->free_site, off, ((unsigned char *)obj_of(h))[off]);
	return false;
}

/* Remove the oldest quarantined block; caller holds ctx->lock. */
static struct shim_slab_hdr *quarantine_pop(struct shim_slab_ctx *ctx)
{
	struct shim_slab_hdr *h;

	if (!ctx->q_count)
		return NULL;
	h = ctx->quarantine[ctx->q_head];
	ctx->quarantine[ctx->q_head] = NULL;
	ctx->q_head = (ctx->q_head + 1) % SHIM_QUARANTINE_MAX;
	ctx->q_count--;
	ctx->q_bytes -= h->size;
	ctx->stats.quarantined = ctx->q_count;
	return h;
}

/* Check and release blocks leaving the quarantine (outside ctx->lock). */
static void release_blocks(struct shim_slab_hdr **blocks, int n)
{
	char msg[512];
	int i;

	for (i = 0; i < n; i++) {
		if (!check_poison(blocks[i], msg, sizeof(msg)))
			shim_report(SHIM_REPORT_SLAB, blocks[i]->free_site, 0, "%s", msg);
		free(blocks[i]->raw);
	}
}

void shim_slab_ctx_reset(struct shim_slab_ctx *ctx)
{
	struct shim_slab_hdr *h, *evict[SHIM_QUARANTINE_MAX];
	int n = 0;

	pthread_mutex_lock(&ctx->lock);
	while ((h = quarantine_pop(ctx)))
		evict[n++] = h;
	while ((h = ctx->live)) {
		ctx->live = h->next;
		if (h->cache)
			__atomic_sub_fetch(&h->cache->live, 1, __ATOMIC_RELAXED);
		free(h->raw);
	}
	memset(&ctx->stats, 0, sizeof(ctx->stats));
	ctx->q_head = 0;
	ctx->q_bytes = 0;
	ctx->fail_countdown = 0;
	ctx->fault_inject = false;
	ctx->signal_inject = false;
	ctx->seq = 0;
	pthread_mutex_unlock(&ctx->lock);
	release_blocks(evict, n);
}

void shim_slab_ctx_destroy(struct shim_slab_ctx *ctx)
{
	shim_slab_ctx_reset(ctx);
	if (ctx != &default_ctx)
		pthread_mutex_destroy(&ctx->lock);
}

void shim_slab_stats(struct shim_slab_stats *out)
{
	struct shim_slab_ctx *ctx = shim_slab_ctx_current();

	pthread_mutex_lock(&ctx->lock);
	*out = ctx->stats;
	pthread_mutex_unlock(&ctx->lock);
}

unsigned long shim_slab_live_objects(void)
{
	struct shim_slab_stats st;

	shim_slab_stats(&st);
	return st.live_objects;
}

unsigned int shim_slab_check(void)
{
	struct shim_slab_ctx *ctx = shim_slab_ctx_current();
	char (*msgs)[512];
	unsigned int i, bad = 0;
	const char **sites;

	pthread_mutex_lock(&ctx->lock);
	msgs = malloc((ctx->q_count + 1) * sizeof(*msgs));
	sites = malloc((ctx->q_count + 1) * sizeof(*sites));
	for (i = 0; msgs && sites && i < ctx->q_count; i++) {
		struct shim_slab_hdr *h =
			ctx->quarantine[(ctx->q_head + i) % SHIM_QUARANTINE_MAX];

		if (!check_poison(h, msgs[bad], sizeof(msgs[bad]))) {
			sites[bad++] = h->free_site;
			/* Report each corruption once: restore the poison. */
			memset(obj_of(h), SHIM_POISON_FREE, poison_len(h));
		}
		poison_object(obj_of(h), h->size);
	}
	pthread_mutex_unlock(&ctx->lock);
	/* Report outside the lock: the report hook may allocate. */
	for (i = 0; i < bad; i++)
		shim_report(SHIM_REPORT_SLAB, sites[i], 0, "%s", msgs[i]);
	free(msgs);
	free(sites);
	return bad;
}

struct leak {
	size_t size;
	const char *site;
	const char *cache;
	uint64_t seq;
};

unsigned long shim_slab_report_leaks(void)
{
	struct shim_slab_ctx *ctx = shim_slab_ctx_current();
	struct shim_slab_hdr *h;
	struct leak *leaks;
	unsigned long n = 0, i;

	pthread_mutex_lock(&ctx->lock);
	leaks = calloc(ctx->stats.live_objects + 1, sizeof(*leaks));
	for (h = ctx->live; h && leaks; h = h->next) {
		leaks[n++] = (struct leak){ h->size, h->alloc_site,
					    h->cache ? h->cache->name : NULL, h->seq };
	}
	pthread_mutex_unlock(&ctx->lock);
	/* Report outside the lock: the report hook may allocate. */
	for (i = 0; i < n; i++) {
		shim_report(SHIM_REPORT_SLAB, leaks[i].site, 0,
			    "leak: %zu-byte object%s%s (allocation #%llu) allocated at %s",
			    leaks[i].size, leaks[i].cache ? " of cache " : "",
			    leaks[i].cache ? leaks[i].cache : "",
			    (unsigned long long)leaks[i].seq, leaks[i].site);
	}
	free(leaks);
	return n;
}

bool shim_slab_obj_live(const void *p, const char *site)
{
	const struct shim_slab_hdr *h;

	if (ZERO_OR_NULL_PTR(p) || (uintptr_t)p % SLAB_MIN_ALIGN)
		return true;
	h = hdr_of(p);
#ifdef GMEMSIM_ASAN
	/* Released to libc (or not ours): leave the verdict to ASan. */
	if (__asan_region_is_poisoned((void *)h, sizeof(*h)))
		return true;
#endif
	if (__atomic_load_n(&h->magic, __ATOMIC_ACQUIRE) != SLAB_MAGIC_FREE ||
	    cache_typesafe(h->cache))
		return true;
	shim_report(SHIM_REPORT_SLAB, site, 0,
		    "use-after-free of %zu-byte object%s%s allocated at %s, freed at %s, accessed at %s",
		    h->size, h->cache ? " of cache " : "", h->cache ? h->cache->name : "",
		    h->alloc_site, h->free_site, site);
	return false;
}

void shim_slab_fail_after(long n)
{
	__atomic_store_n(&shim_slab_ctx_current()->fail_countdown, n > 0 ? n : 0,
			 __ATOMIC_SEQ_CST);
}

void shim_fault_inject_enable(bool on)
{
	__atomic_store_n(&shim_slab_ctx_current()->fault_inject, on, __ATOMIC_RELAXED);
}

bool shim_alloc_should_fail(gfp_t gfp, const char *site)
{
	struct shim_slab_ctx *ctx = shim_slab_ctx_current();
	const struct shim_sched_ops *s;
	long c;

	if (gfp & __GFP_NOFAIL)
		return false;
	c = __atomic_load_n(&ctx->fail_countdown, __ATOMIC_RELAXED);
	while (c > 0) {
		if (__atomic_compare_exchange_n(&ctx->fail_countdown, &c, c - 1, false,
						__ATOMIC_SEQ_CST, __ATOMIC_RELAXED)) {
			if (c == 1)
				return true;
			break;
		}
	}
	s = shim_sched;
	if (s && s->decide && __atomic_load_n(&ctx->fault_inject, __ATOMIC_RELAXED))
		return s->decide(SHIM_DECIDE_ALLOC_FAIL, site);
	return false;
}

static void count_failure(struct shim_slab_ctx *ctx)
{
	pthread_mutex_lock(&ctx->lock);
	ctx->stats.failed_allocs++;
	pthread_mutex_unlock(&ctx->lock);
}

static void *slab_alloc(struct kmem_cache *cache, size_t size, size_t align,
			gfp_t gfp, const char *site)
{
	struct shim_slab_ctx *ctx = shim_slab_ctx_current();
	struct shim_slab_hdr *h;
	uintptr_t obj;
	void *raw;

	if (gfpflags_allow_blocking(gfp)) {
		shim_might_sleep(site);
		shim_point(SHIM_OP_ALLOC, cache, site);
	}
	if (shim_alloc_should_fail(gfp, site))
		goto err_fail;
	if (!cache && !size)
		return ZERO_SIZE_PTR;
	if (size > SLAB_MAX_SIZE)
		goto err_fail;
	if (align < SLAB_MIN_ALIGN)
		align = SLAB_MIN_ALIGN;
	h = cache_typesafe(cache) ? typesafe_pop(cache) : NULL;
	if (h) {
		raw = h->raw;
		obj = (uintptr_t)obj_of(h);
	} else {
		raw = malloc(sizeof(*h) + size + align);
		if (!raw)
			goto err_fail;
		obj = ((uintptr_t)raw + sizeof(*h) + align - 1) & ~(uintptr_t)(align - 1);
		h = hdr_of((void *)obj);
	}
	h->magic = SLAB_MAGIC_LIVE;
	h->size = size;
	h->raw = raw;
	h->alloc_site = site;
	h->free_site = NULL;
	h->cache = cache;
	h->ctx = ctx;
	h->prev = NULL;
	if (gfp & __GFP_ZERO)
		memset((void *)obj, 0, size);
	else if (cache && cache->ctor)
		cache->ctor((void *)obj);

	pthread_mutex_lock(&ctx->lock);
	h->seq = ++ctx->seq;
	h->next = ctx->live;
	if (ctx->live)
		ctx->live->prev = h;
	ctx->live = h;
	ctx->stats.live_objects++;
	ctx->stats.live_bytes += size;
	ctx->stats.total_allocs++;
	pthread_mutex_unlock(&ctx->lock);
	if (cache) {
		__atomic_add_fetch(&cache->live, 1, __ATOMIC_RELAXED);
		__atomic_add_fetch(&cache->allocs, 1, __ATOMIC_RELAXED);
	}
	return (void *)obj;

err_fail:
	count_failure(ctx);
	return NULL;
}

static void slab_free(struct kmem_cache *cache, const void *p, const char *site)
{
	struct shim_slab_hdr *h, *evict[SHIM_QUARANTINE_MAX];
	struct shim_slab_ctx *ctx;
	unsigned int slot;
	int n = 0;

	if (ZERO_OR_NULL_PTR(p))
		return;
	if ((uintptr_t)p % SLAB_MIN_ALIGN) {
		shim_report(SHIM_REPORT_SLAB, site, 0,
			    "kfree of %p at %s: not an allocated object (misaligned)", p, site);
		return;
	}
	h = hdr_of(p);
	if (h->magic == SLAB_MAGIC_FREE) {
		shim_report(SHIM_REPORT_SLAB, site, 0,
			    "double free of %zu-byte object allocated at %s, first freed at %s, freed again at %s",
			    h->size, h->alloc_site, h->free_site, site);
		return;
	}
	if (h->magic != SLAB_MAGIC_LIVE) {
		shim_report(SHIM_REPORT_SLAB, site, 0,
			    "kfree of %p at %s: not an allocated object (bad magic)", p, site);
		return;
	}
	if (cache && h->cache != cache) {
		shim_report(SHIM_REPORT_SLAB, site, 0,
			    "kmem_cache_free at %s: object allocated at %s from %s, freed to cache %s",
			    site, h->alloc_site, h->cache ? h->cache->name : "kmalloc",
			    cache->name);
	}
	if (h->cache) {
		__atomic_sub_fetch(&h->cache->live, 1, __ATOMIC_RELAXED);
		__atomic_add_fetch(&h->cache->frees, 1, __ATOMIC_RELAXED);
	}
	ctx = h->ctx;

	pthread_mutex_lock(&ctx->lock);
	if (h->prev)
		h->prev->next = h->next;
	else
		ctx->live = h->next;
	if (h->next)
		h->next->prev = h->prev;
	h->prev = h->next = NULL;
	h->magic = SLAB_MAGIC_FREE;
	h->free_site = site;
	ctx->stats.live_objects--;
	ctx->stats.live_bytes -= h->size;
	ctx->stats.total_frees++;
	if (cache_typesafe(h->cache)) {
		pthread_mutex_unlock(&ctx->lock);
		pthread_mutex_lock(&h->cache->free_lock);
		h->next = h->cache->freelist;
		h->cache->freelist = h;
		pthread_mutex_unlock(&h->cache->free_lock);
		return;
	}
	memset(obj_of(h), SHIM_POISON_FREE, poison_len(h));
	poison_object(obj_of(h), h->size);

	while (ctx->q_count &&
	       (ctx->q_count == SHIM_QUARANTINE_MAX ||
		ctx->q_bytes + h->size > SHIM_QUARANTINE_BYTES))
		evict[n++] = quarantine_pop(ctx);
	slot = (ctx->q_head + ctx->q_count) % SHIM_QUARANTINE_MAX;
	ctx->quarantine[slot] = h;
	ctx->q_count++;
	ctx->q_bytes += h->size;
	ctx->stats.quarantined = ctx->q_count;
	pthread_mutex_unlock(&ctx->lock);

	release_blocks(evict, n);
}

void *shim_kmalloc(size_t size, gfp_t gfp, const char *site)
{
	return slab_alloc(NULL, size, SLAB_MIN_ALIGN, gfp, site);
}

void *shim_krealloc(const void *p, size_t size, gfp_t gfp, const char *site)
{
	size_t old = shim_ksize(p);
	void *n;

	if (!size) {
		shim_kfree(p, site);
		return ZERO_SIZE_PTR;
	}
	n = slab_alloc(NULL, size, SLAB_MIN_ALIGN, gfp & ~__GFP_ZERO, site);
	if (!n)
		return NULL;
	if (old)
		memcpy(n, p, min(old, size));
	if ((gfp & __GFP_ZERO) && size > old)
		memset((char *)n + old, 0, size - old);
	shim_kfree(p, site);
	return n;
}

void shim_kfree(const void *p, const char *site)
{
	slab_free(NULL, p, site);
}

size_t shim_ksize(const void *p)
{
	if (ZERO_OR_NULL_PTR(p))
		return 0;
	return hdr_of(p)->size;
}

struct kmem_cache *__kmem_cache_create_args(const char *name, unsigned int size,
					    struct kmem_cache_args *args,
					    unsigned int flags)
{
	struct kmem_cache *s = calloc(1, sizeof(*s));
	unsigned int align = args ? args->align : 0;

	if (!s)
		return NULL;
	snprintf(s->name, sizeof(s->name), "%s", name ? name : "?");
	s->size = size;
	s->align = align > SLAB_MIN_ALIGN ? align : SLAB_MIN_ALIGN;
	s->ctor = args ? args->ctor : NULL;
	s->flags = flags;
	pthread_mutex_init(&s->free_lock, NULL);
	return s;
}

void kmem_cache_destroy(struct kmem_cache *s)
{
	struct shim_slab_hdr *h;
	unsigned long live;

	if (!s)
		return;
	live = __atomic_load_n(&s->live, __ATOMIC_RELAXED);
	if (live) {
		/* Its objects still point at it: leak the cache like the kernel. */
		shim_report(SHIM_REPORT_SLAB, __FILE__, __LINE__,
			    "kmem_cache_destroy %s: %lu objects remaining", s->name, live);
		return;
	}
	while ((h = typesafe_pop(s)))
		free(h->raw);
	pthread_mutex_destroy(&s->free_lock);
	free(s);
}

void *shim_kmem_cache_alloc(struct kmem_cache *s, gfp_t gfp, const char *site)
{
	return slab_alloc(s, s->size, s->align, gfp, site);
}

void shim_kmem_cache_free(struct kmem_cache *s, void *p, const char *site)
{
	slab_free(s, p, site);
}

unsigned int kmem_cache_size(struct kmem_cache *s)
{
	return s->size;
}
