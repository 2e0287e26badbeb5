// SPDX-License-Identifier: GPL-2.0
/*
 * Models mm/truncate.c (ML-7.1): truncate_inode_pages_range() and friends.
 *
 * Per folio in range, under the folio lock: a folio wholly inside
 * [lstart, lend] is unmapped from every user mapping (unmap_mapping_folio)
 * and removed from the cache (filemap_remove_folio -> a_ops->free_folio,
 * the cache's references dropped); a folio only partly inside has that
 * part zeroed — except on an AS_INACCESSIBLE mapping, whose contents
 * truncation never reads or writes (B-21).  Simplification: the kernel's
 * two passes (trylock, then lock and wait) are one pass that locks.
 */
#include <linux/kernel.h>
#include <linux/bug.h>
#include <linux/mm.h>
#include <linux/pagemap.h>
#include "internal.h"

/* truncate_inode_folio: the whole folio goes. */
static void truncate_inode_folio(struct address_space *mapping, struct folio *folio)
{
	if (folio_mapped(folio)) {
		sched_point("truncate:unmap");
		unmap_mapping_folio(folio);
	}
	sched_point("truncate:remove");
	filemap_remove_folio(folio);
}

/*
 * truncate_inode_partial_folio: only bytes [start, end] (inclusive, folio
 * relative) are in the range.  Large folios are not split here.
 */
static void truncate_inode_partial_folio(struct folio *folio, loff_t start, loff_t end)
{
	if (mapping_inaccessible(folio->mapping))
		return;
	sched_point("truncate:zero_partial");
	folio_zero_range(folio, start, end - start + 1);
}

/**
 * truncate_inode_pages_range - drop the page cache of bytes [@lstart, @lend].
 * @mapping: the cache.  @lstart: first byte.  @lend: last byte, inclusive;
 * -1 for "to the end".
 *
 * Per folio, under its lock: wholly inside the range -> unmap from every
 * user mapping, remove from the cache (free_folio runs), drop the cache's
 * references; partly inside -> zero that part unless AS_INACCESSIBLE.
 * Context: may sleep (folio locks); callers normally hold invalidate_lock.
 */
void truncate_inode_pages_range(struct address_space *mapping, loff_t lstart, loff_t lend)
{
	struct folio_batch fbatch;
	pgoff_t index, last;
	unsigned int i;

	if (!__atomic_load_n(&mapping->nrpages, __ATOMIC_ACQUIRE))
		return;
	if (WARN_ON(lstart < 0) || (lend >= 0 && lend < lstart))
		return;
	index = lstart >> PAGE_SHIFT;
	last = lend < 0 ? (pgoff_t)-1 : (pgoff_t)(lend >> PAGE_SHIFT);

	while (index <= last && filemap_get_folios(mapping, &index, last, &fbatch)) {
		for (i = 0; i < folio_batch_count(&fbatch); i++) {
			struct folio *folio = fbatch.folios[i];
			loff_t fstart, fend;

			sched_point("truncate:lock");
			folio_lock(folio);
			if (folio->mapping != mapping) {
				/* Removed meanwhile by someone else. */
				folio_unlock(folio);
				continue;
			}
			fstart = folio_pos(folio);
			fend = fstart + folio_size(folio) - 1;
			if (fstart >= lstart && (lend < 0 || fend <= lend))
				truncate_inode_folio(mapping, folio);
			else
				truncate_inode_partial_folio(folio, max(lstart, fstart) - fstart,
							     (lend < 0 ? fend : min(lend, fend)) -
							     fstart);
			folio_unlock(folio);
		}
		/* The lookup references: the last put of a removed folio frees it. */
		folio_batch_release(&fbatch);
		cond_resched();
		if (!index)
			break;	/* wrapped: the whole index space was covered */
	}
}

/**
 * truncate_inode_pages - truncate from @lstart to the end.
 * Context: may sleep.
 */
void truncate_inode_pages(struct address_space *mapping, loff_t lstart)
{
	truncate_inode_pages_range(mapping, lstart, (loff_t)-1);
}

/**
 * truncate_inode_pages_final - empty the page cache of an inode being
 * evicted (sets AS_EXITING first, like the kernel).
 * Context: may sleep.
 */
void truncate_inode_pages_final(struct address_space *mapping)
{
	__atomic_fetch_or(&mapping->flags, 1UL << AS_EXITING, __ATOMIC_ACQ_REL);
	truncate_inode_pages(mapping, 0);
}

/**
 * truncate_pagecache - unmap and drop the page cache beyond @newsize.
 * Context: may sleep; caller holds the invalidate lock if it matters.
 */
void truncate_pagecache(struct inode *inode, loff_t newsize)
{
	struct address_space *mapping = inode->i_mapping;
	loff_t holebegin = round_up(newsize, PAGE_SIZE);

	unmap_mapping_range(mapping, holebegin, 0, 1);
	truncate_inode_pages(mapping, newsize);
	unmap_mapping_range(mapping, holebegin, 0, 1);
}
