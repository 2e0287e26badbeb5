/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Models include/linux/pagemap.h (ML-7.1): address_space flags, the
 * page-cache lookup/insert/remove API (mm/filemap.c), truncation
 * (mm/truncate.c) and the invalidate lock.
 */
#ifndef _LINUX_PAGEMAP_H
#define _LINUX_PAGEMAP_H

#include <linux/types.h>
#include <linux/err.h>
#include <linux/gfp.h>
#include <linux/rwsem.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/pagevec.h>

/* address_space->flags bits (enum mapping_flags) */
enum mapping_flags {
	AS_EIO = 0,
	AS_ENOSPC,
	AS_MM_ALL_LOCKS,
	AS_UNEVICTABLE,
	AS_EXITING,
	AS_NO_WRITEBACK_TAGS,
	AS_RELEASE_ALWAYS,
	AS_STABLE_WRITES,
	AS_INACCESSIBLE,	/* never read/write folio contents (B-21) */
	AS_UNMOVABLE,		/* folios cannot be migrated */
};

static inline void mapping_set_unevictable(struct address_space *mapping)
{
	__atomic_fetch_or(&mapping->flags, 1UL << AS_UNEVICTABLE, __ATOMIC_ACQ_REL);
}

static inline bool mapping_unevictable(const struct address_space *mapping)
{
	return __atomic_load_n(&mapping->flags, __ATOMIC_ACQUIRE) & (1UL << AS_UNEVICTABLE);
}

/* Kernel: AS_UNMOVABLE implies AS_UNEVICTABLE. */
static inline void mapping_set_unmovable(struct address_space *mapping)
{
	__atomic_fetch_or(&mapping->flags, (1UL << AS_UNEVICTABLE) | (1UL << AS_UNMOVABLE),
			  __ATOMIC_ACQ_REL);
}

static inline bool mapping_unmovable(const struct address_space *mapping)
{
	return __atomic_load_n(&mapping->flags, __ATOMIC_ACQUIRE) & (1UL << AS_UNMOVABLE);
}

/* Kernel: AS_INACCESSIBLE implies AS_UNEVICTABLE (and gmem sets unmovable). */
static inline void mapping_set_inaccessible(struct address_space *mapping)
{
	__atomic_fetch_or(&mapping->flags, (1UL << AS_UNEVICTABLE) | (1UL << AS_INACCESSIBLE),
			  __ATOMIC_ACQ_REL);
}

static inline bool mapping_inaccessible(const struct address_space *mapping)
{
	return __atomic_load_n(&mapping->flags, __ATOMIC_ACQUIRE) & (1UL << AS_INACCESSIBLE);
}

static inline gfp_t mapping_gfp_mask(const struct address_space *mapping)
{
	return GFP_HIGHUSER;
}

static inline struct address_space *folio_mapping(const struct folio *folio)
{
	return folio->mapping;
}

static inline struct inode *folio_inode(const struct folio *folio)
{
	return folio->mapping->host;
}

static inline loff_t folio_pos(const struct folio *folio)
{
	return (loff_t)folio->index << PAGE_SHIFT;
}

static inline pgoff_t folio_next_index(const struct folio *folio)
{
	return folio->index + folio_nr_pages(folio);
}

/* fgf_t flags for __filemap_get_folio() */
typedef unsigned int fgf_t;
#define FGP_ACCESSED	((fgf_t)0x00000001)
#define FGP_LOCK	((fgf_t)0x00000002)
#define FGP_CREAT	((fgf_t)0x00000004)
#define FGP_WRITE	((fgf_t)0x00000008)
#define FGP_NOFS	((fgf_t)0x00000010)
#define FGP_NOWAIT	((fgf_t)0x00000020)
#define FGP_FOR_MMAP	((fgf_t)0x00000040)
#define FGP_STABLE	((fgf_t)0x00000080)
#define FGF_GET_ORDER(fgf)	(((fgf) >> 26) & 0x1f)
/* fgf_set_order(size): ask for a folio of up to @size bytes (power of two) */
static inline fgf_t fgf_set_order(size_t size)
{
	unsigned int shift = 0;

	if (size <= PAGE_SIZE)
		return 0;
	while ((1UL << (shift + 1)) <= size)
		shift++;
	return (fgf_t)(shift - PAGE_SHIFT) << 26;
}
#define FGP_WRITEBEGIN	(FGP_LOCK | FGP_WRITE | FGP_CREAT | FGP_STABLE)

/**
 * __filemap_get_folio - find and get a folio, creating it if asked.
 * @mapping: the address_space to search.
 * @index: page index.
 * @fgp_flags: FGP_LOCK (return it locked), FGP_CREAT (allocate and insert if
 *	absent), FGP_ACCESSED, FGP_NOWAIT (do not sleep on the folio lock:
 *	-EAGAIN), FGF order bits (fgf_set_order; the model honours orders 0, 9, 18).
 * @gfp: allocation flags for a new folio.
 *
 * Context: may sleep (folio lock, allocation).  Takes the i_pages lock.
 * Return: a referenced folio (locked with FGP_LOCK); ERR_PTR(-ENOENT) when
 * absent and not creating, ERR_PTR(-ENOMEM) when allocation fails,
 * ERR_PTR(-EAGAIN) for FGP_NOWAIT contention.
 */
struct folio *__filemap_get_folio(struct address_space *mapping, pgoff_t index,
				  fgf_t fgp_flags, gfp_t gfp);
struct mempolicy;
struct folio *__filemap_get_folio_mpol(struct address_space *mapping, pgoff_t index,
				       fgf_t fgp_flags, gfp_t gfp,
				       const struct mempolicy *policy, unsigned long ilx);

static inline struct folio *filemap_get_folio(struct address_space *mapping, pgoff_t index)
{
	return __filemap_get_folio(mapping, index, 0, 0);
}

static inline struct folio *filemap_lock_folio(struct address_space *mapping, pgoff_t index)
{
	return __filemap_get_folio(mapping, index, FGP_LOCK, 0);
}

static inline struct folio *filemap_grab_folio(struct address_space *mapping, pgoff_t index)
{
	return __filemap_get_folio(mapping, index, FGP_LOCK | FGP_ACCESSED | FGP_CREAT,
				   mapping_gfp_mask(mapping));
}

/**
 * filemap_add_folio - insert a locked, new folio into the page cache.
 * @mapping: target; @folio: locked, not in any cache; @index: must be aligned
 * to the folio's size; @gfp: for xarray nodes.
 *
 * Context: takes the i_pages lock; may sleep.
 * Return: 0 (the cache now holds folio_nr_pages() references), -EEXIST if
 * any index in the range is occupied, -ENOMEM.
 */
int filemap_add_folio(struct address_space *mapping, struct folio *folio,
		      pgoff_t index, gfp_t gfp);

/**
 * filemap_remove_folio - remove a locked folio from its page cache.
 * Calls a_ops->free_folio and drops the cache's references.
 * Context: the folio must be locked; takes the i_pages lock.
 */
void filemap_remove_folio(struct folio *folio);

/**
 * filemap_get_folios - get a batch of referenced folios in [*start, end].
 * @end is inclusive ((pgoff_t)-1 for "to the end").  *start is advanced past
 * the last folio returned.
 * Context: takes the i_pages lock.  Return: number of folios in @fbatch.
 */
unsigned int filemap_get_folios(struct address_space *mapping, pgoff_t *start,
				pgoff_t end, struct folio_batch *fbatch);

/**
 * truncate_inode_pages_range - drop the page cache in [lstart, lend].
 * @lend is inclusive (byte offset of the last byte), -1 for "to the end".
 * Every user mapping of a folio is zapped before the folio leaves the cache;
 * pages only partly in range are zeroed in the range, unless the mapping is
 * AS_INACCESSIBLE (then contents are never touched).
 * Context: may sleep (folio locks).  Caller usually holds invalidate_lock.
 */
void truncate_inode_pages_range(struct address_space *mapping, loff_t lstart, loff_t lend);
void truncate_inode_pages(struct address_space *mapping, loff_t lstart);
void truncate_inode_pages_final(struct address_space *mapping);
void truncate_pagecache(struct inode *inode, loff_t newsize);

/* The invalidate lock (mm/filemap.c helpers, include/linux/fs.h in the kernel) */
static inline void filemap_invalidate_lock(struct address_space *mapping)
{
	down_write(&mapping->invalidate_lock);
}

static inline void filemap_invalidate_unlock(struct address_space *mapping)
{
	up_write(&mapping->invalidate_lock);
}

static inline void filemap_invalidate_lock_shared(struct address_space *mapping)
{
	down_read(&mapping->invalidate_lock);
}

static inline int filemap_invalidate_trylock_shared(struct address_space *mapping)
{
	return down_read_trylock(&mapping->invalidate_lock);
}

static inline void filemap_invalidate_unlock_shared(struct address_space *mapping)
{
	up_read(&mapping->invalidate_lock);
}

/* Generic ->fault for page-cache backed files (mm/filemap.c filemap_fault). */
vm_fault_t filemap_fault(struct vm_fault *vmf);

#endif /* _LINUX_PAGEMAP_H */
