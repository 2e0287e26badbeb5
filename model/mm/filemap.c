// SPDX-License-Identifier: GPL-2.0
/*
 * Models mm/filemap.c (ML-7.1): the page cache — lookup with a speculative
 * reference (filemap_get_entry), __filemap_get_folio with FGP_* flags,
 * filemap_add_folio, filemap_remove_folio (+ filemap_free_folio, which calls
 * a_ops->free_folio once the folio has left the cache), filemap_get_folios.
 *
 * A large folio occupies every index it covers (one xarray slot each; the
 * kernel uses one multi-index entry).  Lookups run without the i_pages lock
 * like the kernel's RCU walk: struct folio storage is never freed before
 * the world is reset, so folio_try_get() + re-check is safe.
 */
#include <linux/kernel.h>
#include <linux/bug.h>
#include <linux/mm.h>
#include <linux/pagemap.h>
#include "internal.h"

/*
 * The referenced folio at @index, or NULL.  A folio found while it is
 * being freed or moved is skipped by retrying (sched_spin: another thread
 * must make progress first).
 */
static struct folio *filemap_get_entry(struct address_space *mapping, pgoff_t index)
{
	struct folio *folio;

	for (;;) {
		folio = xa_load(&mapping->i_pages, index);
		if (!folio || xa_is_value(folio))
			return NULL;
		if (!folio_try_get(folio)) {
			sched_spin("filemap_get_entry:try_get");
			continue;
		}
		if (likely(xa_load(&mapping->i_pages, index) == folio))
			return folio;
		folio_put(folio);
		sched_spin("filemap_get_entry:moved");
	}
}

/* The largest supported order <= @want at which @index is aligned. */
static unsigned int filemap_pick_order(pgoff_t index, unsigned int want)
{
	if (want >= HPAGE_PUD_ORDER && IS_ALIGNED(index, 1UL << HPAGE_PUD_ORDER))
		return HPAGE_PUD_ORDER;
	if (want >= HPAGE_PMD_ORDER && IS_ALIGNED(index, HPAGE_PMD_NR))
		return HPAGE_PMD_ORDER;
	return 0;
}

/**
 * __filemap_get_folio - find a folio in the page cache, creating it if asked.
 * @mapping: the cache.  @index: page index.  @fgp_flags: FGP_* (pagemap.h).
 * @gfp: for a new folio and xarray nodes.
 *
 * An existing folio is found with a speculative reference (retrying if it is
 * being freed or moved); with FGP_LOCK it is locked and re-checked against
 * truncation.  A new folio is allocated at the order FGF_GET_ORDER() asks
 * for when @index is aligned to it (else order 0), inserted locked, and
 * unlocked unless FGP_LOCK.
 * Context: may sleep (folio lock, allocation); takes the i_pages lock.
 * Return: a referenced folio; ERR_PTR(-ENOENT) absent without FGP_CREAT,
 * ERR_PTR(-ENOMEM), ERR_PTR(-EAGAIN) with FGP_NOWAIT on a locked folio.
 */
struct folio *__filemap_get_folio(struct address_space *mapping, pgoff_t index,
				  fgf_t fgp_flags, gfp_t gfp)
{
	return __filemap_get_folio_mpol(mapping, index, fgp_flags, gfp, NULL,
					NO_INTERLEAVE_INDEX);
}

/**
 * __filemap_get_folio_mpol - __filemap_get_folio() allocating a new folio
 * on the node @policy picks for interleave index @ilx (NULL: local node).
 * Context: as __filemap_get_folio().  Return: as __filemap_get_folio().
 */
struct folio *__filemap_get_folio_mpol(struct address_space *mapping, pgoff_t index,
				       fgf_t fgp_flags, gfp_t gfp,
				       const struct mempolicy *policy, unsigned long ilx)
{
	struct folio *folio;
	unsigned int order;
	int err;

repeat:
	folio = filemap_get_entry(mapping, index);
	if (folio) {
		if (fgp_flags & FGP_LOCK) {
			if (fgp_flags & FGP_NOWAIT) {
				if (!folio_trylock(folio)) {
					folio_put(folio);
					return ERR_PTR(-EAGAIN);
				}
			} else {
				folio_lock(folio);
			}
			/* Truncated while we slept on the lock: look again. */
			if (unlikely(folio->mapping != mapping)) {
				folio_unlock(folio);
				folio_put(folio);
				goto repeat;
			}
			WARN_ON(index < folio->index || index >= folio_next_index(folio));
		}
		return folio;
	}

	if (!(fgp_flags & FGP_CREAT))
		return ERR_PTR(-ENOENT);

	order = filemap_pick_order(index, FGF_GET_ORDER(fgp_flags));
	for (;;) {
		pgoff_t start = index & ~((1UL << order) - 1);

		folio = mm_folio_alloc_node(gfp, order, mempolicy_alloc_node(policy, ilx),
					    SHIM_SITE);
		if (!folio)
			return ERR_PTR(-ENOMEM);
		/* Not visible yet: the lock cannot be contended. */
		WARN_ON(!folio_trylock(folio));
		err = filemap_add_folio(mapping, folio, start, gfp);
		if (!err)
			break;
		folio_unlock(folio);
		folio_put(folio);
		if (err == -EEXIST && order) {
			order = 0;	/* a smaller folio may still fit */
			continue;
		}
		if (err == -EEXIST)
			goto repeat;	/* somebody else added it: use theirs */
		return ERR_PTR(err);
	}
	if (!(fgp_flags & FGP_LOCK))
		folio_unlock(folio);
	return folio;
}

/**
 * filemap_add_folio - insert a new locked folio at @index.
 * @mapping: the cache.  @folio: locked, in no cache.  @index: aligned to the
 * folio's size.  @gfp: for xarray nodes.
 *
 * The folio's mapping/index are set first so a racing lookup that finds it
 * sees its owner; the cache takes folio_nr_pages() references.
 * Context: may sleep if @gfp allows; takes the i_pages lock.
 * Return: 0, -EEXIST (an index is occupied), -ENOMEM, -EINVAL (misuse).
 */
int filemap_add_folio(struct address_space *mapping, struct folio *folio,
		      pgoff_t index, gfp_t gfp)
{
	unsigned long nr = folio_nr_pages(folio), i;
	int err = 0;

	if (WARN_ON(!folio_test_locked(folio)) || WARN_ON(folio->mapping) ||
	    WARN_ON(!IS_ALIGNED(index, nr)))
		return -EINVAL;
	/* Readers that find the folio must see who owns it. */
	folio->mapping = mapping;
	folio->index = index;
	folio_ref_add(folio, nr);
	for (i = 0; i < nr; i++) {
		err = xa_insert(&mapping->i_pages, index + i, folio, gfp & ~__GFP_ZERO);
		if (err)
			break;
	}
	if (err) {
		while (i--)
			xa_erase(&mapping->i_pages, index + i);
		folio->mapping = NULL;
		folio_put_refs(folio, nr);
		return err == -EBUSY ? -EEXIST : err;
	}
	__atomic_fetch_add(&mapping->nrpages, nr, __ATOMIC_RELAXED);
	return 0;
}

/**
 * __filemap_remove_folio_locked - take @folio out of @mapping's xarray
 * (page_cache_delete).  It keeps its index; ->mapping becomes NULL so racing
 * lookups re-check and skip it.
 * Context: the folio is locked; the i_pages lock is held.
 */
void __filemap_remove_folio_locked(struct address_space *mapping, struct folio *folio)
{
	unsigned long nr = folio_nr_pages(folio), i;

	lockdep_assert_held(&mapping->i_pages.xa_lock);
	for (i = 0; i < nr; i++)
		WARN_ON(__xa_erase(&mapping->i_pages, folio->index + i) != folio);
	folio->mapping = NULL;
	__atomic_fetch_sub(&mapping->nrpages, nr, __ATOMIC_RELAXED);
}

/* The cache's references go; a_ops->free_folio first (filemap_free_folio). */
static void filemap_free_folio(struct address_space *mapping, struct folio *folio)
{
	if (mapping->a_ops && mapping->a_ops->free_folio)
		mapping->a_ops->free_folio(folio);
	folio_put_refs(folio, folio_nr_pages(folio));
}

/**
 * filemap_remove_folio - remove a locked folio from its page cache, call
 * a_ops->free_folio, and drop the cache's references (filemap_free_folio).
 * @folio: locked, in a page cache, no longer mapped.
 * Context: the folio lock is held; takes the i_pages lock; does not sleep.
 */
void filemap_remove_folio(struct folio *folio)
{
	struct address_space *mapping = folio->mapping;

	if (WARN_ON(!folio_test_locked(folio)) || WARN_ON(!mapping))
		return;
	WARN(folio_mapped(folio), "removing mapped folio pfn %#lx from the page cache",
	     folio_pfn(folio));
	xa_lock(&mapping->i_pages);
	__filemap_remove_folio_locked(mapping, folio);
	xa_unlock(&mapping->i_pages);
	filemap_free_folio(mapping, folio);
}

/**
 * filemap_get_folios - referenced folios in [*@start, @end], in index order.
 * @mapping: the cache.  @start: in: first index; out: the index after the
 * last folio returned, or @end + 1 ((pgoff_t)-1 if @end is) when the range
 * is done.  @end: inclusive last index.  @fbatch: filled (up to PAGEVEC_SIZE).
 * Context: any; takes the i_pages lock per lookup.
 * Return: the number of folios in @fbatch.
 */
unsigned int filemap_get_folios(struct address_space *mapping, pgoff_t *start,
				pgoff_t end, struct folio_batch *fbatch)
{
	unsigned long index = *start;
	struct folio *folio;

	folio_batch_init(fbatch);
	while (index <= end) {
		folio = xa_find(&mapping->i_pages, &index, end, XA_PRESENT);
		if (!folio)
			break;
		if (xa_is_value(folio) || !folio_try_get(folio))
			goto next;
		if (unlikely(xa_load(&mapping->i_pages, index) != folio)) {
			folio_put(folio);
			goto next;
		}
		index = folio_next_index(folio);
		if (!folio_batch_add(fbatch, folio)) {
			*start = index;
			return folio_batch_count(fbatch);
		}
		if (!index)	/* wrapped past the end of the index space */
			break;
		continue;
next:
		if (index == end)
			break;
		index++;
	}
	*start = end == (pgoff_t)-1 ? (pgoff_t)-1 : end + 1;
	return folio_batch_count(fbatch);
}
