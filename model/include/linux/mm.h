/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Models include/linux/mm.h (ML-7.1): folio references, mapcount, the folio
 * lock, pfn <-> folio conversion, user mappings (mmap/munmap/madvise/fault),
 * unmap_mapping_range(), GUP and memory_failure().
 *
 * Implementations: model/mm/page_alloc.c (pool), folio.c (refcount, lock),
 * contents.c (page contents), filemap.c, truncate.c, memory.c (page tables,
 * faults, zap), mmap.c (VMAs, madvise), gup.c, memory-failure.c, file.c.
 * Model-only entry points (the world, contents, checker queries) are in
 * <linux/mm_model.h>, included below.
 */
#ifndef _LINUX_MM_H
#define _LINUX_MM_H

#include <linux/types.h>
#include <linux/kernel.h>
#include <linux/err.h>
#include <linux/gfp.h>
#include <linux/atomic.h>
#include <linux/mm_types.h>
#include <linux/page-flags.h>
#include <linux/mm_model.h>
#include <shim/sched.h>

/* PAGE_SHIFT, PMD_SHIFT, PMD_SIZE, PUD_SHIFT, PUD_SIZE come from <asm/page.h>. */
#define PMD_MASK	(~(PMD_SIZE - 1))
#define PUD_MASK	(~(PUD_SIZE - 1))
#define HPAGE_PMD_ORDER	(PMD_SHIFT - PAGE_SHIFT)	/* 9 */
#define HPAGE_PMD_NR	(1UL << HPAGE_PMD_ORDER)
#define HPAGE_PUD_ORDER	(PUD_SHIFT - PAGE_SHIFT)	/* 18 */
#define MAX_PAGE_ORDER	HPAGE_PUD_ORDER

/* ---- pfn / page / folio conversion (page_alloc.c) ---- */

/*
 * pfn_to_page - the struct page of @pfn.  A pfn the pool never handed out
 * gives NULL; a freed pfn gives its (poisoned) page and reports a
 * use-after-free naming the freeing and the using step and site.
 */
#define pfn_to_page(pfn)	mm_pfn_to_page((pfn), SHIM_SITE)
unsigned long page_to_pfn(const struct page *page);

static inline struct folio *page_folio(const struct page *page)
{
	if (__page_flag_test(&page->flags, PG_tail))
		return (struct folio *)__atomic_load_n(&page->compound_head, __ATOMIC_RELAXED);
	return (struct folio *)page;
}

static inline unsigned long folio_pfn(const struct folio *folio)
{
	return page_to_pfn((const struct page *)folio);
}

/* pfn_to_folio - the folio containing @pfn (use-after-free reported). */
#define pfn_to_folio(pfn)	mm_pfn_to_folio((pfn), SHIM_SITE)

static inline struct page *folio_page(struct folio *folio, unsigned long n)
{
	return (struct page *)folio + n;
}

static inline unsigned int folio_order(const struct folio *folio)
{
	return (__atomic_load_n(&folio->flags, __ATOMIC_RELAXED) & PAGE_ORDER_MASK) >>
	       PAGE_ORDER_SHIFT;
}

static inline struct page *folio_file_page(struct folio *folio, pgoff_t index)
{
	return folio_page(folio, index & ((1UL << folio_order(folio)) - 1));
}

static inline unsigned long folio_nr_pages(const struct folio *folio)
{
	return 1UL << folio_order(folio);
}

static inline size_t folio_size(const struct folio *folio)
{
	return PAGE_SIZE << folio_order(folio);
}

static inline unsigned int folio_shift(const struct folio *folio)
{
	return PAGE_SHIFT + folio_order(folio);
}

/* ---- allocation (page_alloc.c) ---- */

/*
 * folio_alloc - a new folio of order 0, HPAGE_PMD_ORDER or HPAGE_PUD_ORDER
 * (pfn-aligned to its size), refcount 1, contents uninitialised unless
 * __GFP_ZERO.  Asks shim_alloc_should_fail(gfp, site) first.
 * Return: the folio or NULL.
 */
#define folio_alloc(gfp, order)	mm_folio_alloc((gfp), (order), SHIM_SITE)
#define filemap_alloc_folio(gfp, order) mm_folio_alloc((gfp), (order), SHIM_SITE)
#define alloc_page(gfp)		mm_alloc_page((gfp), SHIM_SITE)

/* ---- references (folio.c) ---- */

#define folio_get(folio)	mm_folio_get((folio), SHIM_SITE)
#define folio_put(folio)	mm_folio_put_refs((folio), 1, SHIM_SITE)
#define folio_put_refs(folio, refs) mm_folio_put_refs((folio), (refs), SHIM_SITE)
#define folio_ref_add(folio, nr) mm_folio_ref_add((folio), (nr), SHIM_SITE)
#define get_page(page)		folio_get(page_folio(page))
#define put_page(page)		folio_put(page_folio(page))

/* Print a folio's state for a failed invariant (dump_page()). */
void dump_folio(const struct folio *folio, const char *reason);

/* folio_try_get - take a reference unless the count is 0 (speculative). */
bool folio_try_get(struct folio *folio);

static inline int folio_ref_count(const struct folio *folio)
{
	return atomic_read((atomic_t *)&folio->_refcount);
}

static inline int page_ref_count(const struct page *page)
{
	return folio_ref_count(page_folio(page));
}

/* Mappings of any page of the folio (PTEs + PMDs). */
static inline int folio_mapcount(const struct folio *folio)
{
	return atomic_read((atomic_t *)&folio->_mapcount) + 1;
}

static inline bool folio_mapped(const struct folio *folio)
{
	return folio_mapcount(folio) > 0;
}

static inline bool page_mapped(const struct page *page)
{
	return folio_mapped(page_folio(page));
}

/* ---- the folio lock (folio.c) ---- */

/*
 * folio_lock - sleep until the folio lock is ours.
 * Context: may sleep; scheduling point SHIM_OP_FOLIO_LOCK.
 */
#define folio_lock(folio)	mm_folio_lock((folio), SHIM_SITE)
#define folio_unlock(folio)	mm_folio_unlock((folio), SHIM_SITE)
#define folio_trylock(folio)	mm_folio_trylock((folio), SHIM_SITE)
#define lock_page(page)		folio_lock(page_folio(page))
#define unlock_page(page)	folio_unlock(page_folio(page))

void mm_folio_lock(struct folio *folio, const char *site);
void mm_folio_unlock(struct folio *folio, const char *site);
bool mm_folio_trylock(struct folio *folio, const char *site);
/* folio_lock_killable: -EINTR if a signal is pending while waiting. */
int folio_lock_killable(struct folio *folio);

/* ---- contents (contents.c); never call on an AS_INACCESSIBLE folio from
 * host-side code (B-21) ---- */

/*
 * folio_zero_range - zero bytes [start, start + len) of @folio
 * (mm/highmem.c).  folio_zero_page - zero page @i of @folio
 * (clear_highpage(folio_page(folio, i))).  Content writes: they reach the
 * world's content hook with the caller's site.
 */
#define folio_zero_range(folio, start, len) \
	mm_folio_zero_range((folio), (start), (len), SHIM_SITE)
#define folio_zero_page(folio, i)	mm_folio_zero_page((folio), (i), SHIM_SITE)
#define clear_highpage(page)		mm_folio_zero_range_page((page), SHIM_SITE)
void mm_folio_zero_range(struct folio *folio, size_t start, size_t len, const char *site);
void mm_folio_zero_page(struct folio *folio, unsigned long i, const char *site);
void mm_folio_zero_range_page(struct page *page, const char *site);
/* Model shortcut for "clear and mark uptodate" as gmem does it. */
static inline void folio_mark_uptodate(struct folio *folio)
{
	folio_set_uptodate(folio);
}

/* ---- user mappings (mmap.c, memory.c) ---- */

/* mmap(2) prot/flags and madvise(2) advice (uapi asm-generic/mman*.h) */
#ifndef PROT_READ
#define PROT_NONE	0x0
#define PROT_READ	0x1
#define PROT_WRITE	0x2
#define PROT_EXEC	0x4
#define MAP_SHARED	0x01
#define MAP_PRIVATE	0x02
#define MAP_FIXED	0x10
#define MAP_ANONYMOUS	0x20
#define MAP_NORESERVE	0x4000
#define MAP_POPULATE	0x8000
#endif
#ifndef MADV_DONTNEED
#define MADV_NORMAL	0
#define MADV_DONTNEED	4
#define MADV_REMOVE	9
#define MADV_HUGEPAGE	14
#define MADV_NOHUGEPAGE	15
#define MADV_COLLAPSE	25
#endif

/**
 * do_mmap - create a VMA in @mm.
 * @mm: the host mm; @file: NULL for anonymous (MAP_SHARED anonymous memory
 * gets a shmem file); @addr: hint (with MAP_FIXED: exact, replacing any
 * mapping there); @len: bytes (rounded up to pages); @prot: PROT_*; @flags:
 * MAP_SHARED or MAP_PRIVATE, MAP_FIXED, MAP_ANONYMOUS; @pgoff: file offset in
 * pages.
 *
 * The file's ->mmap() is called with the new VMA (it may fail it or set
 * vm_ops).  Private file mappings are not modelled (-EINVAL).
 * Context: takes mm->mmap_lock for write; may sleep.
 * Return: the start address, or a negative errno cast to unsigned long
 * (IS_ERR_VALUE): -EINVAL, -ENOMEM, -ENODEV or the ->mmap() error.
 */
unsigned long do_mmap(struct mm_struct *mm, struct file *file, unsigned long addr,
		      unsigned long len, unsigned long prot, unsigned long flags,
		      unsigned long pgoff);
/* Return: 0 or -EINVAL.  Zaps the range and drops VMA file references. */
int do_munmap(struct mm_struct *mm, unsigned long start, size_t len);
/* Return: 0, -EINVAL (bad range/advice, MADV_COLLAPSE on non-anon), -ENOMEM (hole). */
int do_madvise(struct mm_struct *mm, unsigned long start, size_t len, int behavior);

struct vm_area_struct *find_vma(struct mm_struct *mm, unsigned long addr);
struct vm_area_struct *vma_lookup(struct mm_struct *mm, unsigned long addr);

/**
 * handle_mm_fault - fault in the page at @address.
 * Context: caller holds mm->mmap_lock shared.  May sleep.
 * Return: 0 on success (PTE present), else VM_FAULT_* error bits
 * (VM_FAULT_SIGBUS, _OOM, _HWPOISON, _SIGSEGV, or _RETRY: the caller retries).
 */
vm_fault_t handle_mm_fault(struct vm_area_struct *vma, unsigned long address,
			   unsigned int flags);

/* vmf_error - the vm_fault_t for an errno (-ENOMEM -> OOM, else SIGBUS). */
static inline vm_fault_t vmf_error(int err)
{
	if (err == -ENOMEM)
		return VM_FAULT_OOM;
	if (err == -EHWPOISON)
		return VM_FAULT_HWPOISON;
	return VM_FAULT_SIGBUS;
}

/**
 * zap_page_range_single - remove the PTEs/PMDs of [address, address + size)
 * in @vma, dropping each mapping's folio reference and mapcount.
 * Context: takes mm->page_table_lock.
 */
void zap_page_range_single(struct vm_area_struct *vma, unsigned long address,
			   unsigned long size);

/**
 * unmap_mapping_range - zap every user mapping of bytes [holebegin,
 * holebegin + holelen) of @mapping, in every VMA of every mm.
 * @holelen 0 means "to the end of the file".  @even_cows is ignored (no COW).
 * Context: takes i_mmap_rwsem shared and page-table locks.
 */
void unmap_mapping_range(struct address_space *mapping, loff_t const holebegin,
			 loff_t const holelen, int even_cows);
/* Pages [start, start + nr) of @mapping. */
void unmap_mapping_pages(struct address_space *mapping, pgoff_t start,
			 pgoff_t nr, bool even_cows);
/* Zap every mapping of @folio in @folio->mapping. */
void unmap_mapping_folio(struct folio *folio);

/*
 * mmu notifiers, reduced to one hook (added by the KVM model): called with
 * begin=true before the user PTEs of [start, end) of @mm are zapped and
 * begin=false after (mmu_notifier_invalidate_range_start/end).  The KVM
 * backend dispatches it to every VM created on @mm.
 */
extern __thread void (*mmu_notifier_invalidate_hook)(struct mm_struct *mm,
						     unsigned long start,
						     unsigned long end, bool begin);

/* ---- GUP (gup.c) ---- */

#define FOLL_WRITE	0x01
#define FOLL_GET	0x04
#define FOLL_NOWAIT	0x20
#define FOLL_NOFAULT	0x80
#define FOLL_HWPOISON	0x100
#define FOLL_FORCE	0x10
#define FOLL_LONGTERM	0x10000
#define FOLL_PIN	0x20000

/**
 * get_user_pages_fast - look up @nr_pages user pages from @start in the
 * current world's host mm, faulting absent ones in (FOLL_WRITE: write fault).
 * Each returned page carries a reference (put_page() it).
 * Context: takes mmap_lock shared around faults.  May sleep.
 * Return: number of pages pinned (may be fewer than asked), or -EFAULT when
 * the first page has no VMA / SIGBUS/SIGSEGV, -ENOMEM on OOM, -EHWPOISON.
 */
long get_user_pages_fast(unsigned long start, int nr_pages, unsigned int gup_flags,
			 struct page **pages);
/* The same on an explicit mm. */
long get_user_pages_remote(struct mm_struct *mm, unsigned long start,
			   unsigned long nr_pages, unsigned int gup_flags,
			   struct page **pages, int *locked);
/* FOLL_PIN variant; release with unpin_user_page(). */
long pin_user_pages_fast(unsigned long start, int nr_pages, unsigned int gup_flags,
			 struct page **pages);
void unpin_user_page(struct page *page);

/*
 * pin_user_page_model - GUP-pin the page at @addr of @mm: fault it in
 * (write if @write) and take one folio reference.  Model control used by
 * traces ("host_pin").  Return: 0 with *@pfnp set, or a negative errno.
 */
int pin_user_page_model(struct mm_struct *mm, unsigned long addr, bool write,
			unsigned long *pfnp);
/* Drop a pin taken by pin_user_page_model() (one folio reference on @pfn). */
void unpin_user_pfn_model(unsigned long pfn);

/**
 * host_pfn_mapping_level - the largest level (PG_LEVEL_4K = 1, PG_LEVEL_2M = 2)
 * at which @mm maps @addr with one naturally aligned folio: 2 when a PMD maps
 * an order-9 folio there, else 1; 0 when nothing is mapped.
 * Context: takes mm->page_table_lock.
 */
int host_pfn_mapping_level(struct mm_struct *mm, unsigned long addr);

/* ---- memory failure (memory-failure.c) ---- */

#define MF_ACTION_REQUIRED	0x01
#define MF_COUNT_INCREASED	0x02
#define MF_SOFT_OFFLINE		0x08

/**
 * memory_failure - poison @pfn: set hwpoison on the page and folio, then for a
 * page-cache folio lock it and call mapping->a_ops->error_remove_folio.
 * Context: may sleep (folio lock).
 * Return: 0 handled (MF_DELAYED/MF_RECOVERED), -EHWPOISON already poisoned,
 * -ENXIO pfn not in use, -EBUSY when the handler failed.
 */
int memory_failure(unsigned long pfn, int flags);

/* folio_batch release (swap.c) and __folio_put helpers used by macros */
struct folio *mm_folio_alloc(gfp_t gfp, unsigned int order, const char *site);
struct folio *mm_folio_alloc_node(gfp_t gfp, unsigned int order, int nid, const char *site);
struct page *mm_alloc_page(gfp_t gfp, const char *site);
struct page *mm_pfn_to_page(unsigned long pfn, const char *site);
struct folio *mm_pfn_to_folio(unsigned long pfn, const char *site);
void mm_folio_get(struct folio *folio, const char *site);
void mm_folio_ref_add(struct folio *folio, int nr, const char *site);
void mm_folio_put_refs(struct folio *folio, int refs, const char *site);

#endif /* _LINUX_MM_H */
