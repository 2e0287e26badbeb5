// SPDX-License-Identifier: GPL-2.0
/*
 * Models the parts of mm/hugetlb.c (ML-7.1) and of mm/guestmem_hugetlb.c
 * (proposed, "1G page support for guest_memfd" RFC v2, May 2025; spec §6.4)
 * that a HugeTLB-backed guest_memfd uses:
 *
 *  - one hstate per huge size (2 MiB, 1 GiB) with a pool whose size each
 *    world sets (hugetlb_pool_set(), default HUGETLB_DEFAULT_POOL_*);
 *  - subpools: a file reserves its whole size at creation, so exhaustion is
 *    -ENOMEM at KVM_CREATE_GUEST_MEMFD and never at fault time;
 *  - alloc_hugetlb_folio() / free_huge_folio() (the folio_put() destructor);
 *  - split of a huge folio into order-0 folios in place (same pfns, same
 *    page-cache slots) and merge back, as guestmem_hugetlb does around
 *    in-place conversion.  A page of a split huge page that is freed waits
 *    (poisoned) until all of them are; then the huge page goes back whole
 *    (the RFC's "nr_pages_waiting_to_be_merged").
 *
 * Locking: counters of hstates and subpools and the split stash are under
 * the world's zone lock (w->lock).  Split and merge freeze the refcounts
 * they rewrite (cmpxchg to 0), so a speculative page-cache lookup
 * (folio_try_get) spins instead of taking a folio being rebuilt.
 */
#include <linux/kernel.h>
#include <linux/bug.h>
#include <linux/slab.h>
#include <linux/mm.h>
#include <linux/pagemap.h>
#include <linux/hugetlb.h>
#include "internal.h"

static struct hugetlb_world *hugetlb_world(struct mm_world *w)
{
	return &w->hugetlb;
}

/**
 * hugetlb_world_init - empty pools of the default sizes.
 * @hw: the world's HugeTLB state
 *
 * Context: world creation or reset; no other user.
 */
void hugetlb_world_init(struct hugetlb_world *hw)
{
	memset(hw->hstates, 0, sizeof(hw->hstates));
	hw->hstates[0].order = HPAGE_PMD_ORDER;
	hw->hstates[0].max_huge_pages = HUGETLB_DEFAULT_POOL_2M;
	hw->hstates[1].order = HPAGE_PUD_ORDER;
	hw->hstates[1].max_huge_pages = HUGETLB_DEFAULT_POOL_1G;
	xa_init(&hw->split);
}

/**
 * hugetlb_world_destroy - drop the split stash (the pool itself is freed
 * with the world's pfn pool).
 * @hw: the world's HugeTLB state
 *
 * Context: world reset; no other user.
 */
void hugetlb_world_destroy(struct hugetlb_world *hw)
{
	xa_destroy(&hw->split);
}

/**
 * hstate_sizelog - the hstate of pages of 2^@page_size_log bytes.
 * @page_size_log: 21 (2 MiB) or 30 (1 GiB)
 *
 * Context: any.
 * Return: the hstate of the current world, or NULL for any other size.
 */
struct hstate *hstate_sizelog(unsigned int page_size_log)
{
	struct hugetlb_world *hw = hugetlb_world(__mm_world());

	if (page_size_log == PAGE_SHIFT + HPAGE_PMD_ORDER)
		return &hw->hstates[0];
	if (page_size_log == PAGE_SHIFT + HPAGE_PUD_ORDER)
		return &hw->hstates[1];
	return NULL;
}

static struct hstate *hstate_order(unsigned int order)
{
	return hstate_sizelog(PAGE_SHIFT + order);
}

/**
 * hugetlb_pool_set - set the pool size of one huge size (nr_hugepages).
 * @order: HPAGE_PMD_ORDER or HPAGE_PUD_ORDER
 * @nr: huge pages in the pool
 *
 * Context: takes the zone lock.
 * Return: 0, -EINVAL for another order, -EBUSY if @nr is below what is
 * reserved or in use.
 */
int hugetlb_pool_set(unsigned int order, unsigned long nr)
{
	struct mm_world *w = __mm_world();
	struct hstate *h = hstate_order(order);
	int ret = 0;

	if (!h)
		return -EINVAL;
	spin_lock(&w->lock);
	if (nr < h->resv_huge_pages || nr < h->nr_huge_pages)
		ret = -EBUSY;
	else
		h->max_huge_pages = nr;
	spin_unlock(&w->lock);
	return ret;
}

/**
 * hugetlb_pool_get - the counters of one huge size (any may be NULL).
 * @order: HPAGE_PMD_ORDER or HPAGE_PUD_ORDER
 * @max: out: pool size
 * @nr: out: huge pages in use
 * @resv: out: huge pages reserved by files
 *
 * Context: takes the zone lock.
 */
void hugetlb_pool_get(unsigned int order, unsigned long *max, unsigned long *nr,
		      unsigned long *resv)
{
	struct mm_world *w = __mm_world();
	struct hstate *h = hstate_order(order);

	if (WARN_ON(!h))
		return;
	spin_lock(&w->lock);
	if (max)
		*max = h->max_huge_pages;
	if (nr)
		*nr = h->nr_huge_pages;
	if (resv)
		*resv = h->resv_huge_pages;
	spin_unlock(&w->lock);
}

/**
 * hugepage_new_subpool - reserve @hpages huge pages of @h for one file.
 * @h: the hstate
 * @hpages: the file's size in huge pages
 *
 * Context: may sleep (allocation); takes the zone lock.
 * Return: the subpool, or ERR_PTR(-ENOMEM) when the pool cannot cover the
 * reservation (or the allocation fails).
 */
struct hugepage_subpool *hugepage_new_subpool(struct hstate *h, unsigned long hpages)
{
	struct mm_world *w = __mm_world();
	struct hugepage_subpool *spool;

	spool = kzalloc(sizeof(*spool), GFP_KERNEL);
	if (!spool)
		return ERR_PTR(-ENOMEM);

	spin_lock(&w->lock);
	if (h->resv_huge_pages + hpages > h->max_huge_pages ||
	    h->resv_huge_pages + hpages < hpages) {
		spin_unlock(&w->lock);
		kfree(spool);
		return ERR_PTR(-ENOMEM);
	}
	h->resv_huge_pages += hpages;
	spin_unlock(&w->lock);

	spool->h = h;
	spool->max_hpages = hpages;
	spool->count = 1;
	return spool;
}

/* Zone lock held: drop the reservation once nobody uses @spool any more. */
static bool __hugepage_subpool_release(struct hugepage_subpool *spool)
{
	if (spool->count || spool->used_hpages)
		return false;
	spool->h->resv_huge_pages -= spool->max_hpages;
	return true;
}

/**
 * hugepage_put_subpool - the file is gone; the subpool (and its
 * reservation) goes when its last huge page is freed too.
 * @spool: the subpool
 *
 * Context: takes the zone lock.
 */
void hugepage_put_subpool(struct hugepage_subpool *spool)
{
	struct mm_world *w = __mm_world();
	bool release;

	spin_lock(&w->lock);
	WARN_ON(spool->count <= 0);
	spool->count--;
	release = __hugepage_subpool_release(spool);
	spin_unlock(&w->lock);
	if (release)
		kfree(spool);
}

/**
 * alloc_hugetlb_folio - a huge folio of @spool's size from its reservation.
 * @spool: the file's subpool
 *
 * The folio is not zeroed (guest_memfd clears it on first use), has
 * refcount 1, PG_hugetlb, and remembers its subpool in ->private.
 *
 * Context: may sleep (allocation); takes the zone lock.
 * Return: the folio, or ERR_PTR(-ENOMEM).
 */
struct folio *alloc_hugetlb_folio(struct hugepage_subpool *spool)
{
	struct mm_world *w = __mm_world();
	struct hstate *h = spool->h;
	struct folio *folio;

	spin_lock(&w->lock);
	if (spool->used_hpages >= spool->max_hpages ||
	    h->nr_huge_pages >= h->max_huge_pages) {
		spin_unlock(&w->lock);
		return ERR_PTR(-ENOMEM);
	}
	spool->used_hpages++;
	h->nr_huge_pages++;
	spin_unlock(&w->lock);

	folio = folio_alloc(GFP_HIGHUSER, h->order);
	if (!folio) {
		bool release;

		spin_lock(&w->lock);
		spool->used_hpages--;
		h->nr_huge_pages--;
		release = __hugepage_subpool_release(spool);
		spin_unlock(&w->lock);
		WARN_ON(release);	/* the caller's file still holds it */
		return ERR_PTR(-ENOMEM);
	}
	__page_flag_set(&folio->flags, PG_hugetlb);
	folio->private = (unsigned long)spool;
	return folio;
}

/* Zone lock held: a huge page of @spool is back; true if @spool must go. */
static bool __hugetlb_uncharge(struct hugepage_subpool *spool)
{
	WARN_ON(!spool->used_hpages || !spool->h->nr_huge_pages);
	spool->used_hpages--;
	spool->h->nr_huge_pages--;
	return __hugepage_subpool_release(spool);
}

/*
 * Poison one order-0 page of a split huge page as freed, without returning
 * it to the pool: it waits for its siblings.  Zone lock held.
 */
static void __hugetlb_poison_waiting(struct mm_world *w, struct page *p, const char *site)
{
	__mm_page_free_contents(w, p);
	__atomic_store_n(&p->flags, (page_flags_read(p) & PAGE_PFN_MASK) | (1UL << PG_freed) |
			 (1UL << PG_head) | (1UL << PG_hugetlb) |
			 ((unsigned long)MM_CSTATE_FREED << PAGE_CSTATE_SHIFT), __ATOMIC_RELEASE);
	p->free_site = site;
	p->free_step = __mm_step();
	p->private = 0;
	atomic_set(&p->_mapcount, -1);
}

/*
 * Every page of the split huge page at @head_pfn is freed: make it one
 * large (dead) folio again so __mm_folio_free() returns it whole.  Zone
 * lock held.
 */
static struct folio *__hugetlb_reassemble_dead(struct mm_world *w, unsigned long head_pfn,
					       unsigned int order)
{
	struct page *head = __mm_pfn_to_page_raw(w, head_pfn);
	unsigned long nr = 1UL << order, i;

	for (i = 0; i < nr; i++) {
		struct page *p = head + i;

		__atomic_store_n(&p->flags, (page_flags_read(p) & PAGE_PFN_MASK) |
				 (i ? (1UL << PG_tail) :
				  (1UL << PG_head) | ((unsigned long)order << PAGE_ORDER_SHIFT)),
				 __ATOMIC_RELEASE);
		if (i)
			__atomic_store_n(&p->compound_head, head, __ATOMIC_RELAXED);
		else
			p->mapping = NULL;
		atomic_set(&p->_refcount, 0);
	}
	return (struct folio *)head;
}

/**
 * free_huge_folio - the destructor of a HugeTLB folio (refcount hit 0).
 * @folio: a huge folio, or an order-0 page of a split huge page
 * @site: the freeing site (poison record)
 *
 * A whole huge folio goes back to the pool and its subpool is uncharged.
 * A page of a split huge page is poisoned and waits; the last one returns
 * the whole huge page.
 *
 * Context: any; takes the zone lock; does not sleep.
 */
void free_huge_folio(struct folio *folio, const char *site)
{
	struct mm_world *w = __mm_world();
	struct hugepage_subpool *spool = (void *)folio->private;
	struct hugetlb_world *hw = hugetlb_world(w);
	unsigned long pfn = folio_pfn(folio), head_pfn, waiting;
	struct folio *dead = NULL;
	unsigned int order;
	bool release;
	void *entry;

	if (WARN(!spool, "HugeTLB folio pfn %#lx without a subpool", pfn)) {
		__mm_folio_free(folio, site);
		return;
	}

	if (folio_test_large(folio)) {
		__mm_folio_free(folio, site);
		spin_lock(&w->lock);
		release = __hugetlb_uncharge(spool);
		spin_unlock(&w->lock);
		if (release)
			kfree(spool);
		return;
	}

	if (WARN(folio_mapped(folio) || folio->mapping || folio_test_locked(folio),
		 "freeing a busy page pfn %#lx of a split huge page", pfn))
		dump_folio(folio, "bad state at free");

	order = spool->h->order;
	head_pfn = round_down(pfn, 1UL << order);
	spin_lock(&w->lock);
	entry = xa_load(&hw->split, head_pfn);
	if (WARN(!entry, "page pfn %#lx of a huge page that is not split", pfn)) {
		spin_unlock(&w->lock);
		return;
	}
	waiting = xa_to_value(entry) + 1;
	__hugetlb_poison_waiting(w, (struct page *)folio, site);
	if (waiting < (1UL << order)) {
		/* Replaces the present entry: no allocation. */
		xa_store(&hw->split, head_pfn, xa_mk_value(waiting), GFP_ATOMIC);
		spin_unlock(&w->lock);
		return;
	}
	xa_erase(&hw->split, head_pfn);
	dead = __hugetlb_reassemble_dead(w, head_pfn, order);
	spin_unlock(&w->lock);

	__mm_folio_free(dead, site);
	spin_lock(&w->lock);
	release = __hugetlb_uncharge(spool);
	spin_unlock(&w->lock);
	if (release)
		kfree(spool);
}

/**
 * hugetlb_folio_is_split - is the huge page of order @order holding @pfn
 * split into order-0 folios right now?
 * @pfn: any pfn of it
 * @order: its order
 *
 * Context: any (a racy snapshot).
 * Return: true if split.
 */
bool hugetlb_folio_is_split(unsigned long pfn, unsigned int order)
{
	struct hugetlb_world *hw = hugetlb_world(__mm_world());

	return xa_load(&hw->split, round_down(pfn, 1UL << order)) != NULL;
}

/* Per-page flags a split or merge keeps: pfn, contents, content lock, poison. */
#define HUGETLB_KEEP_FLAGS	(PAGE_PFN_MASK | PAGE_CSTATE_MASK | PAGE_CTAG_MASK | \
				 (1UL << PG_contentlock) | (1UL << PG_hwpoison))

/**
 * hugetlb_split_folio - split a huge folio in the page cache into order-0
 * folios in place (guestmem_hugetlb_split_folio()).
 * @folio: locked huge HugeTLB folio in a page cache, not user-mapped, with
 *	only the page cache's references and the caller's one
 *
 * Every page becomes its own folio at its own index with the page cache's
 * reference; the caller's reference and lock stay on page 0.  Contents and
 * pfns do not change, so the caller must already have zapped every
 * mapping of the huge folio that is larger than 4 KiB.
 *
 * Context: folio lock held; may sleep (the stash entry is allocated first);
 * takes the i_pages lock.
 * Return: 0, -EBUSY (mapped or extra references: nothing changed), -ENOMEM.
 */
int hugetlb_split_folio(struct folio *folio)
{
	struct mm_world *w = __mm_world();
	struct hugetlb_world *hw = hugetlb_world(w);
	struct address_space *mapping = folio->mapping;
	unsigned int order = folio_order(folio);
	unsigned long nr = 1UL << order, i, pfn = folio_pfn(folio);
	struct page *head = (struct page *)folio;
	unsigned long keep_head;
	pgoff_t index = folio->index;
	unsigned long spool = folio->private;
	void *old;

	if (WARN_ON(!folio_test_hugetlb(folio) || !order || !mapping ||
		    !folio_test_locked(folio)))
		return -EINVAL;
	if (folio_mapped(folio))
		return -EBUSY;

	old = xa_store(&hw->split, pfn, xa_mk_value(0), GFP_KERNEL);
	if (xa_is_err(old))
		return -ENOMEM;

	sched_point("hugetlb:split-freeze");
	if (atomic_cmpxchg(&folio->_refcount, (int)nr + 1, 0) != (int)nr + 1) {
		xa_erase(&hw->split, pfn);
		return -EBUSY;
	}

	/* Page 0 keeps the folio-wide state (lock, uptodate, dirty...). */
	keep_head = page_flags_read(head) & ~(PAGE_ORDER_MASK | (1UL << PG_tail));
	for (i = 1; i < nr; i++) {
		struct page *p = head + i;

		__atomic_store_n(&p->flags, (page_flags_read(p) & HUGETLB_KEEP_FLAGS) |
				 (keep_head & ~(HUGETLB_KEEP_FLAGS | (1UL << PG_locked))),
				 __ATOMIC_RELEASE);
		__atomic_store_n(&p->mapping, mapping, __ATOMIC_RELAXED);
		p->index = index + i;
		p->private = spool;
		atomic_set(&p->_refcount, 1);
	}
	__atomic_store_n(&head->flags, keep_head, __ATOMIC_RELEASE);

	xa_lock(&mapping->i_pages);
	for (i = 1; i < nr; i++)
		__xa_store(&mapping->i_pages, index + i, head + i, GFP_ATOMIC);
	xa_unlock(&mapping->i_pages);

	/* The cache's reference and the caller's: lookups may take it again. */
	atomic_set(&folio->_refcount, 2);
	return 0;
}

/**
 * hugetlb_merge_folio - merge the order-0 folios at [@index, @index +
 * 2^@order) of @mapping back into the huge folio they were split from.
 * @mapping: the page cache
 * @index: first index, aligned to 2^@order
 * @order: the huge order
 *
 * Only if every index holds its page of one split huge page, none is
 * mapped, locked, poisoned or referenced beyond the page cache.  Pages
 * never initialised are zeroed so the merged folio is wholly uptodate.
 *
 * Context: the mapping's invalidate lock held exclusively (no new folios
 * appear); takes the i_pages lock.  Does not sleep.
 * Return: 0, -ENOENT (a hole, or not one split huge page), -EBUSY (an
 * extra reference, a mapping or hwpoison: nothing changed).
 */
int hugetlb_merge_folio(struct address_space *mapping, pgoff_t index, unsigned int order)
{
	struct mm_world *w = __mm_world();
	struct hugetlb_world *hw = hugetlb_world(w);
	unsigned long nr = 1UL << order, i, head_pfn, spool;
	struct folio *first;
	struct page *head;

	if (WARN_ON(!IS_ALIGNED(index, nr)))
		return -EINVAL;
	first = xa_load(&mapping->i_pages, index);
	if (!first || xa_is_value(first) || !folio_test_hugetlb(first) ||
	    folio_test_large(first))
		return -ENOENT;
	head_pfn = folio_pfn(first);
	if (!IS_ALIGNED(head_pfn, nr) || !xa_load(&hw->split, head_pfn))
		return -ENOENT;
	head = (struct page *)first;
	spool = first->private;

	for (i = 0; i < nr; i++) {
		struct folio *f = xa_load(&mapping->i_pages, index + i);

		if (f != (struct folio *)(head + i) || folio_test_freed(f))
			return -ENOENT;
		if (folio_mapped(f) || folio_test_hwpoison(f) || folio_test_locked(f))
			return -EBUSY;
	}

	sched_point("hugetlb:merge-freeze");
	for (i = 0; i < nr; i++) {
		if (atomic_cmpxchg(&head[i]._refcount, 1, 0) != 1) {
			while (i--)
				atomic_set(&head[i]._refcount, 1);
			return -EBUSY;
		}
	}

	for (i = 0; i < nr; i++) {
		if (!(page_flags_read(&head[i]) & (1UL << PG_uptodate)))
			clear_highpage(&head[i]);
	}

	for (i = 1; i < nr; i++) {
		struct page *p = head + i;

		__atomic_store_n(&p->flags, (page_flags_read(p) & HUGETLB_KEEP_FLAGS) |
				 (1UL << PG_tail), __ATOMIC_RELEASE);
		__atomic_store_n(&p->compound_head, head, __ATOMIC_RELAXED);
		p->private = 0;
	}
	__atomic_store_n(&head->flags, (page_flags_read(head) & ~PAGE_ORDER_MASK) |
			 (1UL << PG_uptodate) | ((unsigned long)order << PAGE_ORDER_SHIFT),
			 __ATOMIC_RELEASE);
	head->private = spool;

	xa_lock(&mapping->i_pages);
	for (i = 1; i < nr; i++)
		__xa_store(&mapping->i_pages, index + i, head, GFP_ATOMIC);
	xa_unlock(&mapping->i_pages);

	spin_lock(&w->lock);
	xa_erase(&hw->split, head_pfn);
	spin_unlock(&w->lock);

	atomic_set(&head->_refcount, (int)nr);
	return 0;
}
