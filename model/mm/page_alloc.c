// SPDX-License-Identifier: GPL-2.0
/*
 * Models mm/page_alloc.c and mm/sparse-vmemmap.c (ML-7.1), reduced to what
 * the simulator needs: one "zone" per world handing out naturally aligned
 * folios of order 0, 9 and 18, struct pages in a lazily populated vmemmap,
 * and freeing with poison so later use is a reported use-after-free.
 *
 * Not modelled: buddy merging (freed blocks are reused whole, from per-order
 * FIFOs), NUMA, watermarks, reclaim.  Reuse is deterministic: it depends only
 * on the sequence of allocations and frees.
 */
#include <linux/kernel.h>
#include <linux/bug.h>
#include <linux/slab.h>
#include <shim/slab.h>
#include <linux/mm.h>
#include "internal.h"

/* Directory entries: a chunk pointer, bit 0 set for a slice of a big array. */
static inline struct page *dir_chunk(struct page *e)
{
	return (struct page *)((unsigned long)e & ~1UL);
}

static inline bool dir_is_slice(struct page *e)
{
	return (unsigned long)e & 1UL;
}

static __thread struct mm_world *mm_world_cur;
/*
 * The process default world is host state shared by every OS thread,
 * whatever scheduler each one runs: it is published with compare-and-swap,
 * not under a model lock (a model lock excludes only the threads of one
 * scheduler, and would add scheduling points to every world teardown).
 */
static struct mm_world *mm_world_default;

#define MM_DEFAULT_QUARANTINE	256

/**
 * mm_world_set_current - bind @w to the calling OS thread.
 * Context: any.
 */
void mm_world_set_current(struct mm_world *w)
{
	mm_world_cur = w;
}

/**
 * mm_world_current - the world of the calling thread (process default if
 * none was bound; created on first use).
 * Context: any.  Return: the world (never NULL unless out of memory).
 */
struct mm_world *mm_world_current(void)
{
	struct mm_world *w = mm_world_cur;

	if (likely(w))
		return w;
	w = __atomic_load_n(&mm_world_default, __ATOMIC_ACQUIRE);
	if (w)
		return w;
	w = mm_world_create();
	if (w) {
		struct mm_world *old = NULL;

		if (!__atomic_compare_exchange_n(&mm_world_default, &old, w, false,
						 __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
			mm_world_destroy(w);	/* another thread published first */
			w = old;
		}
	}
	return w;
}

/**
 * __mm_world - the current world; BUG if none can be created.
 * Context: any.  Return: the world.
 */
struct mm_world *__mm_world(void)
{
	struct mm_world *w = mm_world_current();

	BUG_ON(!w);
	return w;
}

static void __mm_world_init_pool(struct mm_world *w)
{
	unsigned long q = MM_DEFAULT_QUARANTINE;
	unsigned int nid;

	w->dir = NULL;
	w->dir_len = 0;
	w->nr_old_dirs = 0;
	if (!w->nr_nodes || w->nr_nodes > MAX_NUMNODES)
		w->nr_nodes = MM_DEFAULT_NUMNODES;
	memset(w->node, 0, sizeof(w->node));
	memset(&w->stats, 0, sizeof(w->stats));
	for (nid = 0; nid < w->nr_nodes; nid++) {
		struct mm_node_pool *np = &w->node[nid];

		np->next_gblock = MM_PFN_BASE + ((unsigned long)nid << HPAGE_PUD_ORDER);
		np->fifo[0].reuse_after = q;
		np->fifo[1].reuse_after = q / 32;
		np->fifo[2].reuse_after = q / 256;
	}
}

/**
 * mm_world_create - allocate a world with an empty pool and host mm.
 * Context: may sleep.  Return: the world, or NULL on allocation failure.
 */
struct mm_world *mm_world_create(void)
{
	struct mm_world *w = kzalloc(sizeof(*w), GFP_KERNEL | __GFP_NOFAIL);

	if (!w)
		return NULL;
	spin_lock_init(&w->lock);
	__mm_world_init_pool(w);
	hugetlb_world_init(&w->hugetlb);
	xa_init(&w->rmp);
	w->mm = __mm_alloc(w);
	if (!w->mm) {
		kfree(w);
		return NULL;
	}
	return w;
}

static void __mm_world_free_pool(struct mm_world *w)
{
	unsigned long i, j;

	for (i = 0; i < w->dir_len && READ_ONCE(w->stats.pages_bytes_mode); i++) {
		struct page *chunk = dir_chunk(w->dir[i]);

		if (!chunk)
			continue;
		for (j = 0; j < MM_CHUNK_PAGES; j++)
			if (chunk[j].bytes)
				kfree(chunk[j].bytes);
	}
	/* Slices of a big array go with their first slot, so free last. */
	for (i = 0; i < w->dir_len; i++)
		if (w->dir[i] && !dir_is_slice(w->dir[i]))
			kfree(dir_chunk(w->dir[i]));
	kfree(w->dir);
	for (i = 0; i < w->nr_old_dirs; i++)
		kfree(w->old_dirs[i]);
}

static bool __mm_page_is_live_head(const struct page *p)
{
	unsigned long flags = page_flags_read(p);

	return (flags & (1UL << PG_head)) && !(flags & (1UL << PG_freed));
}

/* Walk every live folio head in pfn order.  Caller holds no pool lock. */
static void __mm_walk_live(struct mm_world *w, void (*fn)(void *ctx, struct folio *folio),
			   void *ctx)
{
	unsigned long i, j;

	for (i = 0; i < w->dir_len; i++) {
		struct page *chunk = dir_chunk(w->dir[i]);

		if (!chunk)
			continue;
		for (j = 0; j < MM_CHUNK_PAGES; j++)
			if (__mm_page_is_live_head(&chunk[j]))
				fn(ctx, (struct folio *)&chunk[j]);
	}
}

static void __mm_count_live(void *ctx, struct folio *folio)
{
	(*(unsigned long *)ctx)++;
}

static void __mm_report_leak(void *ctx, struct folio *folio)
{
	shim_report(SHIM_REPORT_SLAB, __FILE__, __LINE__,
		    "folio leak: pfn %#lx order %u refcount %d mapcount %d mapping %s index %lu",
		    folio_pfn(folio), folio_order(folio), folio_ref_count(folio),
		    folio_mapcount(folio), folio->mapping ? "set" : "none",
		    (unsigned long)folio->index);
}

/**
 * mm_world_reset - free the host mm's mappings and the whole pool of @w.
 * @quiet: do not report folios still live.
 *
 * Context: no other thread may use @w.  Return: live folios left behind.
 */
unsigned long mm_world_reset(struct mm_world *w, bool quiet)
{
	unsigned long live = 0;

	__mm_exit_mmap(w->mm);
	/* The counters say whether a walk of every struct page can find anything. */
	if (READ_ONCE(w->stats.folios_allocated) != READ_ONCE(w->stats.folios_freed))
		__mm_walk_live(w, __mm_count_live, &live);
	if (live && !quiet)
		__mm_walk_live(w, __mm_report_leak, NULL);
	__mm_world_free_pool(w);
	__mm_world_init_pool(w);
	hugetlb_world_destroy(&w->hugetlb);
	hugetlb_world_init(&w->hugetlb);
	xa_destroy(&w->rmp);
	return live;
}

/**
 * mm_world_destroy - reset and free @w.
 * Context: no other thread may use @w.
 */
void mm_world_destroy(struct mm_world *w)
{
	if (!w)
		return;
	mm_world_reset(w, true);
	__mm_free(w->mm);
	if (mm_world_cur == w)
		mm_world_cur = NULL;
	{
		struct mm_world *expect = w;

		__atomic_compare_exchange_n(&mm_world_default, &expect, NULL, false,
					    __ATOMIC_ACQ_REL, __ATOMIC_RELAXED);
	}
	kfree(w);
}

/**
 * mm_world_mm - the host mm of @w.
 * Context: any.  Return: the mm.
 */
struct mm_struct *mm_world_mm(struct mm_world *w)
{
	return w->mm;
}

/**
 * current_mm - the host mm of the current world (the model's current->mm).
 * Context: any.  Return: the mm.
 */
struct mm_struct *current_mm(void)
{
	return __mm_world()->mm;
}

/**
 * mm_world_stats - counters of @w.
 * Context: any (a racy snapshot while threads run).  Return: the counters.
 */
const struct mm_world_stats *mm_world_stats(const struct mm_world *w)
{
	return &w->stats;
}

/** mm_world_set_bytes_mode - make every write materialise bytes.  Context: any. */
void mm_world_set_bytes_mode(struct mm_world *w, bool on)
{
	w->bytes_mode = on;
}

/**
 * mm_world_set_quarantine - freed folios of order 0 are reused only once
 * more than @nr wait (order 9: @nr / 32, order 18: @nr / 256).
 * Context: any, normally right after creation.
 */
void mm_world_set_quarantine(struct mm_world *w, unsigned long nr)
{
	unsigned int nid;

	spin_lock(&w->lock);
	for (nid = 0; nid < MAX_NUMNODES; nid++) {
		w->node[nid].fifo[0].reuse_after = nr;
		w->node[nid].fifo[1].reuse_after = nr / 32;
		w->node[nid].fifo[2].reuse_after = nr / 256;
	}
	spin_unlock(&w->lock);
}

/**
 * mm_world_set_nr_nodes - give @w @nr NUMA nodes (1..MAX_NUMNODES; the
 * default is MM_DEFAULT_NUMNODES).  Only before the first allocation (or
 * right after a reset): pfns already handed out keep their node.
 * Context: no other thread uses @w.  Return: 0, -EINVAL (bad @nr), -EBUSY
 * (pages were allocated already).
 */
int mm_world_set_nr_nodes(struct mm_world *w, unsigned int nr)
{
	if (!nr || nr > MAX_NUMNODES)
		return -EINVAL;
	if (w->stats.folios_allocated)
		return -EBUSY;
	w->nr_nodes = nr;
	__mm_world_init_pool(w);
	return 0;
}

/**
 * num_online_nodes - NUMA nodes of the current world.
 * Context: any.  Return: 1..MAX_NUMNODES.
 */
unsigned int num_online_nodes(void)
{
	return __mm_world()->nr_nodes;
}

/**
 * numa_node_id - the node the calling thread runs on: 0 for every model
 * thread.
 * Context: any.  Return: 0.
 */
int numa_node_id(void)
{
	return 0;
}

/**
 * pfn_to_nid - the node @pfn belongs to (its 1 GiB block's owner).
 * Context: any.  Return: the node id.
 */
int pfn_to_nid(unsigned long pfn)
{
	struct mm_world *w = __mm_world();

	if (pfn < MM_PFN_BASE)
		return 0;
	return (int)(((pfn - MM_PFN_BASE) >> HPAGE_PUD_ORDER) % w->nr_nodes);
}

/**
 * mm_world_rmp - the current world's SNP reverse map table: pfn ->
 * xa_mk_value(entry), entries written by arch/x86 svm/sev.c.  Hardware state
 * of the machine, so it lives (and is reset) with the machine's memory.
 * Context: any.  Return: the table.
 */
struct xarray *mm_world_rmp(void)
{
	return &__mm_world()->rmp;
}

/** mm_world_set_content_hook - see mm_model.h.  Context: any. */
void mm_world_set_content_hook(struct mm_world *w, mm_content_hook_t hook, void *ctx)
{
	w->content_hook = hook;
	w->content_hook_ctx = ctx;
}

/** mm_world_set_punch_hook - see mm_model.h.  Context: any. */
void mm_world_set_punch_hook(struct mm_world *w, mm_punch_begin_t begin,
			     mm_punch_end_t end, void *ctx)
{
	w->punch_begin = begin;
	w->punch_end = end;
	w->punch_hook_ctx = ctx;
}

/** mm_punch_begin - see mm_model.h.  Context: no lock held. */
int mm_punch_begin(unsigned long ino, loff_t offset, loff_t len)
{
	struct mm_world *w = __mm_world();

	return w->punch_begin ? w->punch_begin(w->punch_hook_ctx, ino, offset, len) : -1;
}

/** mm_punch_end - see mm_model.h.  Context: no lock held. */
void mm_punch_end(int cookie, unsigned long ino, loff_t offset, loff_t len, int err)
{
	struct mm_world *w = __mm_world();

	if (w->punch_end)
		w->punch_end(w->punch_hook_ctx, cookie, ino, offset, len, err);
}

/* ---- vmemmap ---- */

/**
 * __mm_pfn_to_page_raw - the struct page of @pfn in @w without any check.
 * Context: any; lockless (directory and chunks are published atomically).
 * Return: the page, or NULL if no vmemmap chunk covers @pfn.
 */
struct page *__mm_pfn_to_page_raw(struct mm_world *w, unsigned long pfn)
{
	unsigned long i;
	struct page *chunk;

	if (pfn < MM_PFN_BASE)
		return NULL;
	i = (pfn - MM_PFN_BASE) >> MM_CHUNK_SHIFT;
	if (i >= __atomic_load_n(&w->dir_len, __ATOMIC_ACQUIRE))
		return NULL;
	chunk = dir_chunk(__atomic_load_n(&w->dir[i], __ATOMIC_ACQUIRE));
	if (!chunk)
		return NULL;
	return &chunk[(pfn - MM_PFN_BASE) & (MM_CHUNK_PAGES - 1)];
}

/*
 * Make sure chunks for [pfn, pfn + nr) exist.  Bookkeeping allocations do
 * not take part in fault injection (__GFP_NOFAIL): the folio allocation
 * itself already asked shim_alloc_should_fail().
 *
 * The directory only grows; readers of other threads may look pfns up
 * without the lock, so a grown directory replaces the old one and the old
 * one is kept until reset (it is tiny: 8 bytes per 2 MiB).
 */
static int __mm_populate_vmemmap(struct mm_world *w, unsigned long pfn, unsigned long nr)
{
	unsigned long first = (pfn - MM_PFN_BASE) >> MM_CHUNK_SHIFT;
	unsigned long last = (pfn + nr - 1 - MM_PFN_BASE) >> MM_CHUNK_SHIFT;
	unsigned long i, j;

	lockdep_assert_held(&w->lock);
	if (last >= w->dir_len) {
		unsigned long len = max(w->dir_len * 2, 64UL);
		struct page **dir;

		while (len <= last)
			len *= 2;
		dir = kcalloc(len, sizeof(*dir), GFP_ATOMIC | __GFP_NOFAIL);
		if (!dir)
			return -ENOMEM;
		if (w->dir)
			memcpy(dir, w->dir, w->dir_len * sizeof(*dir));
		mm_stat_add(w, meta_bytes, (len - w->dir_len) * sizeof(*dir));
		/*
		 * A lockless reader may still walk the old directory: keep it
		 * until reset (doubling bounds how many there are).
		 */
		if (w->dir) {
			if (WARN_ON(w->nr_old_dirs == ARRAY_SIZE(w->old_dirs))) {
				kfree(dir);
				return -ENOMEM;
			}
			w->old_dirs[w->nr_old_dirs++] = w->dir;
		}
		__atomic_store_n(&w->dir, dir, __ATOMIC_RELEASE);
		__atomic_store_n(&w->dir_len, len, __ATOMIC_RELEASE);
	}
	/*
	 * An order-18 folio needs its 2^18 struct pages contiguous
	 * (folio_page() is arithmetic), so a fresh 1 GiB block gets one array
	 * and 512 directory slots point into it (all but the first tagged as
	 * slices).  Smaller blocks never straddle a chunk.
	 */
	if (last > first && !w->dir[first]) {
		struct page *big = kvcalloc(nr, sizeof(struct page), GFP_ATOMIC | __GFP_NOFAIL);

		if (!big)
			return -ENOMEM;
		mm_stat_add(w, meta_bytes, nr * sizeof(struct page));
		for (j = 0; j < nr; j++)
			big[j].flags = (pfn + j) << PAGE_PFN_SHIFT;
		for (i = first; i <= last; i++)
			__atomic_store_n(&w->dir[i], (struct page *)((unsigned long)
					 &big[(i - first) << MM_CHUNK_SHIFT] | (i != first)),
					 __ATOMIC_RELEASE);
		return 0;
	}
	for (i = first; i <= last; i++) {
		struct page *chunk;

		if (w->dir[i])
			continue;
		WARN_ON(last > first);	/* a large block is populated whole, above */
		/*
		 * Not kcalloc(): each struct page is cleared and given its pfn
		 * in one pass over the chunk instead of two.
		 */
		chunk = kmalloc_array(MM_CHUNK_PAGES, sizeof(struct page), GFP_ATOMIC | __GFP_NOFAIL);
		if (!chunk)
			return -ENOMEM;
		mm_stat_add(w, meta_bytes, MM_CHUNK_PAGES * sizeof(struct page));
		for (j = 0; j < MM_CHUNK_PAGES; j++) {
			memset(&chunk[j], 0, sizeof(chunk[j]));
			chunk[j].flags = (MM_PFN_BASE + (i << MM_CHUNK_SHIFT) + j) << PAGE_PFN_SHIFT;
		}
		__atomic_store_n(&w->dir[i], chunk, __ATOMIC_RELEASE);
	}
	return 0;
}

/* ---- the pool ---- */

static unsigned long __fifo_pop(struct mm_world *w, struct mm_free_fifo *f)
{
	unsigned long pfn = f->head;
	struct page *page = __mm_pfn_to_page_raw(w, pfn);

	f->head = page->private;
	if (!f->head)
		f->tail = 0;
	f->nr--;
	page->private = 0;
	return pfn;
}

static void __fifo_push(struct mm_world *w, struct mm_free_fifo *f, unsigned long pfn)
{
	struct page *page = __mm_pfn_to_page_raw(w, pfn);

	page->private = 0;
	if (f->tail)
		__mm_pfn_to_page_raw(w, f->tail)->private = pfn;
	else
		f->head = pfn;
	f->tail = pfn;
	f->nr++;
}

static unsigned long __alloc_block18(struct mm_world *w, int nid)
{
	struct mm_node_pool *np = &w->node[nid];
	unsigned long pfn;

	if (np->fifo[2].nr > np->fifo[2].reuse_after)
		return __fifo_pop(w, &np->fifo[2]);
	if (np->next_gblock + (1UL << HPAGE_PUD_ORDER) > MM_PFN_LIMIT)
		return 0;
	pfn = np->next_gblock;
	np->next_gblock += (unsigned long)w->nr_nodes << HPAGE_PUD_ORDER;
	w->stats.pfn_space += 1UL << HPAGE_PUD_ORDER;
	return pfn;
}

static unsigned long __alloc_block9(struct mm_world *w, int nid)
{
	struct mm_node_pool *np = &w->node[nid];

	if (np->fifo[1].nr > np->fifo[1].reuse_after)
		return __fifo_pop(w, &np->fifo[1]);
	if (np->o9_next == np->o9_end) {
		unsigned long g = __alloc_block18(w, nid);

		if (!g)
			return 0;
		np->o9_next = g;
		np->o9_end = g + (1UL << HPAGE_PUD_ORDER);
	}
	np->o9_next += HPAGE_PMD_NR;
	return np->o9_next - HPAGE_PMD_NR;
}

static unsigned long __alloc_block0(struct mm_world *w, int nid)
{
	struct mm_node_pool *np = &w->node[nid];

	if (np->fifo[0].nr > np->fifo[0].reuse_after)
		return __fifo_pop(w, &np->fifo[0]);
	if (np->o0_next == np->o0_end) {
		unsigned long b = __alloc_block9(w, nid);

		if (!b)
			return 0;
		np->o0_next = b;
		np->o0_end = b + HPAGE_PMD_NR;
	}
	return np->o0_next++;
}

static void __mm_init_folio(struct mm_world *w, unsigned long pfn, unsigned int order,
			    gfp_t gfp)
{
	unsigned long nr = 1UL << order, i;
	struct page *head = __mm_pfn_to_page_raw(w, pfn);
	enum mm_cstate st = (gfp & __GFP_ZERO) ? MM_CSTATE_TAG : MM_CSTATE_UNINIT;
	unsigned long cflags = (unsigned long)st << PAGE_CSTATE_SHIFT;

	for (i = 0; i < nr; i++) {
		struct page *p = head + i;

		WARN_ON_ONCE(p->bytes);
		__atomic_store_n(&p->flags, (page_flags_read(p) & PAGE_PFN_MASK) | cflags |
				 (i ? (1UL << PG_tail) : 0), __ATOMIC_RELAXED);
		p->mapping = NULL;
		p->index = 0;
		if (i)
			__atomic_store_n(&p->compound_head, head, __ATOMIC_RELAXED);
		p->private = 0;
		atomic_set(&p->_refcount, 0);
		atomic_set(&p->_mapcount, -1);
	}
	__atomic_fetch_or(&head->flags, (1UL << PG_head) | ((unsigned long)order << PAGE_ORDER_SHIFT),
			  __ATOMIC_RELEASE);
	atomic_set(&head->_refcount, 1);
}

/**
 * mm_folio_alloc - allocate a folio (backs folio_alloc() and friends).
 * @gfp: __GFP_ZERO gives zeroed contents, otherwise they are uninitialised.
 * @order: 0, HPAGE_PMD_ORDER or HPAGE_PUD_ORDER.
 * @site: allocation site for fault injection and reports.
 *
 * Context: takes the world's zone lock; may sleep only if @gfp allows
 * (scheduling point through shim_alloc_should_fail()).
 * Return: a folio with refcount 1, or NULL.
 */
struct folio *mm_folio_alloc(gfp_t gfp, unsigned int order, const char *site)
{
	return mm_folio_alloc_node(gfp, order, numa_node_id(), site);
}

/**
 * mm_folio_alloc_node - mm_folio_alloc() on node @nid (out of range: node 0).
 * Context: as mm_folio_alloc().  Return: a folio with refcount 1, or NULL.
 */
struct folio *mm_folio_alloc_node(gfp_t gfp, unsigned int order, int nid, const char *site)
{
	struct mm_world *w = __mm_world();
	unsigned long pfn;

	if (WARN_ON(order != 0 && order != HPAGE_PMD_ORDER && order != HPAGE_PUD_ORDER))
		return NULL;
	if (shim_alloc_should_fail(gfp, site)) {
		mm_stat_add(w, alloc_failures, 1);
		return NULL;
	}
	spin_lock(&w->lock);
	if (nid < 0 || (unsigned int)nid >= w->nr_nodes)
		nid = 0;
	if (order == 0)
		pfn = __alloc_block0(w, nid);
	else if (order == HPAGE_PMD_ORDER)
		pfn = __alloc_block9(w, nid);
	else
		pfn = __alloc_block18(w, nid);
	if (!pfn || __mm_populate_vmemmap(w, pfn, 1UL << order)) {
		mm_stat_add(w, alloc_failures, 1);
		spin_unlock(&w->lock);
		return NULL;
	}
	__mm_init_folio(w, pfn, order, gfp);
	mm_stat_add(w, folios_allocated, 1);
	mm_stat_add(w, pages_live, 1UL << order);
	spin_unlock(&w->lock);
	return (struct folio *)__mm_pfn_to_page_raw(w, pfn);
}

/**
 * mm_alloc_page - allocate an order-0 page (alloc_page()).
 * Context: as mm_folio_alloc().  Return: the page or NULL.
 */
struct page *mm_alloc_page(gfp_t gfp, const char *site)
{
	return (struct page *)mm_folio_alloc(gfp, 0, site);
}

/**
 * __mm_folio_free - return @folio to the pool: poison every page with the
 * freeing step and @site, free content buffers, queue the pfns for reuse.
 * Context: the refcount just dropped to zero; takes the zone lock.
 */
void __mm_folio_free(struct folio *folio, const char *site)
{
	struct mm_world *w = __mm_world();
	unsigned int order = folio_order(folio);
	unsigned long nr = 1UL << order, i, pfn = folio_pfn(folio);
	struct page *head = (struct page *)folio;
	u64 step = __mm_step();

	if (WARN(folio_mapped(folio), "freeing mapped folio pfn %#lx mapcount %d",
		 pfn, folio_mapcount(folio)) ||
	    WARN(folio->mapping, "freeing folio pfn %#lx still in a page cache", pfn) ||
	    WARN(folio_test_locked(folio), "freeing locked folio pfn %#lx", pfn))
		dump_folio(folio, "bad state at free");

	spin_lock(&w->lock);
	for (i = 0; i < nr; i++) {
		struct page *p = head + i;

		__mm_page_free_contents(w, p);
		__atomic_store_n(&p->flags, (page_flags_read(p) & PAGE_PFN_MASK) | (1UL << PG_freed) |
				 ((unsigned long)MM_CSTATE_FREED << PAGE_CSTATE_SHIFT) |
				 (i ? 0 : (1UL << PG_head) |
				  ((unsigned long)order << PAGE_ORDER_SHIFT)), __ATOMIC_RELEASE);
		p->free_site = site;
		p->free_step = step;
		p->private = 0;
		atomic_set(&p->_mapcount, -1);
	}
	__fifo_push(w, &w->node[pfn_to_nid(pfn)].fifo[__mm_order_idx(order)], pfn);
	mm_stat_add(w, folios_freed, 1);
	mm_stat_sub(w, pages_live, nr);
	spin_unlock(&w->lock);
}

/**
 * page_to_pfn - the pfn of @page (stored in its flags when the vmemmap chunk
 * was created).
 * Context: any.  Return: the pfn.
 */
unsigned long page_to_pfn(const struct page *page)
{
	return __atomic_load_n(&page->flags, __ATOMIC_RELAXED) >> PAGE_PFN_SHIFT;
}

/**
 * __mm_report_uaf - report a use (@what at @site) of freed @page/@pfn as
 * SHIM_REPORT_SLAB, naming the freeing step/site and the using step/site.
 * Context: any.
 */
void __mm_report_uaf(struct page *page, unsigned long pfn, const char *what,
		     const char *site)
{
	struct mm_world *w = __mm_world();

	mm_stat_add(w, uaf_reports, 1);
	shim_report_cause(page->free_step);
	shim_report(SHIM_REPORT_SLAB, site, 0,
		    "use-after-free: %s of pfn %#lx at step %llu (%s); freed at step %llu (%s)",
		    what, pfn, (unsigned long long)__mm_step(), site,
		    (unsigned long long)page->free_step,
		    page->free_site ? page->free_site : "?");
}

/**
 * mm_pfn_to_page - pfn_to_page(): the struct page of @pfn.
 * Context: any.  Return: the page (poisoned and reported if freed), or NULL
 * for a pfn never handed out.
 */
struct page *mm_pfn_to_page(unsigned long pfn, const char *site)
{
	struct page *page = __mm_pfn_to_page_raw(__mm_world(), pfn);

	if (page && (page_flags_read(page) & (1UL << PG_freed)))
		__mm_report_uaf(page, pfn, "pfn_to_page", site);
	return page;
}

/**
 * mm_pfn_to_folio - pfn_to_folio(): the folio containing @pfn.
 * Context: any.  Return: as mm_pfn_to_page() but the folio (head).
 */
struct folio *mm_pfn_to_folio(unsigned long pfn, const char *site)
{
	struct page *page = __mm_pfn_to_page_raw(__mm_world(), pfn);

	if (!page)
		return NULL;
	if (page_flags_read(page) & (1UL << PG_freed)) {
		__mm_report_uaf(page, pfn, "pfn_to_folio", site);
		return (struct folio *)page;
	}
	return page_folio(page);
}

/**
 * mm_pfn_is_live - does a live folio own @pfn?
 * Context: any; never reports.  Return: true if live.
 */
bool mm_pfn_is_live(unsigned long pfn)
{
	return mm_pfn_folio_live(pfn) != NULL;
}

/**
 * mm_pfn_folio_live - the live folio containing @pfn.
 * Context: any; never reports.  Return: the folio, or NULL.
 */
struct folio *mm_pfn_folio_live(unsigned long pfn)
{
	struct page *page = __mm_pfn_to_page_raw(__mm_world(), pfn);

	if (!page || (page_flags_read(page) & (1UL << PG_freed)))
		return NULL;
	if (!(page_flags_read(page) & ((1UL << PG_head) | (1UL << PG_tail))))
		return NULL;	/* carved but never handed out */
	return page_folio(page);
}

/**
 * mm_pfn_free_info - who freed @pfn: *@step and *@site (either may be NULL).
 * Context: any; never reports.  Return: true if @pfn is freed.
 */
bool mm_pfn_free_info(unsigned long pfn, u64 *step, const char **site)
{
	struct page *page = __mm_pfn_to_page_raw(__mm_world(), pfn);

	if (!page || !(page_flags_read(page) & (1UL << PG_freed)))
		return false;
	if (step)
		*step = page->free_step;
	if (site)
		*site = page->free_site;
	return true;
}

/**
 * mm_live_folios - live folios in the current world.
 * Context: a quiescent world.  Return: the count.
 */
unsigned long mm_live_folios(void)
{
	unsigned long live = 0;

	__mm_walk_live(__mm_world(), __mm_count_live, &live);
	return live;
}

/** mm_for_each_live_folio - see mm_model.h.  Context: quiescent world. */
void mm_for_each_live_folio(void (*fn)(void *ctx, struct folio *folio), void *ctx)
{
	__mm_walk_live(__mm_world(), fn, ctx);
}
