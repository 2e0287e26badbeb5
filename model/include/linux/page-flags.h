/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Models include/linux/page-flags.h (ML-7.1): the folio flag bits and the
 * folio_test_X() / folio_set_X() / folio_clear_X() accessors.
 *
 * Only the flags the gmem/KVM paths look at exist.  Bits are kept in
 * folio->flags together with the folio order and the per-page content state
 * (see mm_types.h for the layout); every accessor is an atomic bit operation
 * so free-running threads can race on them like in the kernel.
 */
#ifndef _LINUX_PAGE_FLAGS_H
#define _LINUX_PAGE_FLAGS_H

#include <linux/bug.h>
#include <linux/err.h>
#include <linux/types.h>
#include <linux/mm_types.h>

enum pageflags {
	PG_locked,		/* folio lock; see folio_lock() */
	PG_uptodate,		/* contents initialised (gmem: cleared or populated) */
	PG_dirty,
	PG_hwpoison,		/* memory_failure() hit this folio */
	PG_head,		/* first page of a folio (every live folio) */
	PG_tail,		/* page inside a large folio, not its first */
	PG_anon,		/* anonymous folio (host private memory) */
	PG_unevictable,
	PG_private,
	PG_freed,		/* model: returned to the pool, pfns poisoned */
	PG_contentlock,		/* model: serialises a page's content updates */
	PG_hugetlb,		/* HugeTLB folio, or a page of a split one */
	__NR_PAGEFLAGS,
};

/*
 * Bit layout of page->flags above the PG_ bits (model-only fields):
 *   12..16  folio order (head only)
 *   17..18  content state (per page, enum mm_cstate in model/mm/internal.h)
 *   19..26  content fill byte when the state is "tag"
 *   27..63  the page's pfn, fixed when its vmemmap chunk is created, so
 *           page_to_pfn() is a shift.
 */
#define PAGE_ORDER_SHIFT	12
#define PAGE_ORDER_MASK		(0x1fUL << PAGE_ORDER_SHIFT)
#define PAGE_CSTATE_SHIFT	17
#define PAGE_CSTATE_MASK	(0x3UL << PAGE_CSTATE_SHIFT)
#define PAGE_CTAG_SHIFT		19
#define PAGE_CTAG_MASK		(0xffUL << PAGE_CTAG_SHIFT)
#define PAGE_PFN_SHIFT		27
#define PAGE_PFN_MASK		(~0UL << PAGE_PFN_SHIFT)

_Static_assert(__NR_PAGEFLAGS <= PAGE_ORDER_SHIFT, "page flags overflow");

/* A racy-by-design snapshot of a page's flag word (TSan-clean). */
#define page_flags_read(p)	__atomic_load_n(&(p)->flags, __ATOMIC_RELAXED)

static inline bool __page_flag_test(const unsigned long *flags, int nr)
{
	return __atomic_load_n(flags, __ATOMIC_ACQUIRE) & (1UL << nr);
}

static inline void __page_flag_set(unsigned long *flags, int nr)
{
	__atomic_fetch_or(flags, 1UL << nr, __ATOMIC_ACQ_REL);
}

static inline void __page_flag_clear(unsigned long *flags, int nr)
{
	__atomic_fetch_and(flags, ~(1UL << nr), __ATOMIC_ACQ_REL);
}

static inline bool __page_flag_test_and_set(unsigned long *flags, int nr)
{
	return __atomic_fetch_or(flags, 1UL << nr, __ATOMIC_ACQ_REL) & (1UL << nr);
}

/*
 * The flag word of @folio.  Dereferencing a folio pointer that carries an
 * errno (ERR_PTR) oopses in the kernel; the model BUGs instead of faulting,
 * so a caller that takes an error for a folio (spec B-09) is reported at
 * its step and only that thread dies.
 */
static inline unsigned long *folio_flags(const struct folio *folio)
{
	if (unlikely(IS_ERR(folio)))
		shim_bug(__FILE__, __LINE__,
			 "unable to handle folio pointer ERR_PTR(%ld): an error taken for a folio",
			 PTR_ERR(folio));
	return (unsigned long *)&folio->flags;
}

#define FOLIO_FLAG(fname, bit)						\
static inline bool folio_test_##fname(const struct folio *folio)	\
{ return __page_flag_test(folio_flags(folio), bit); }			\
static inline void folio_set_##fname(struct folio *folio)		\
{ __page_flag_set(folio_flags(folio), bit); }				\
static inline void folio_clear_##fname(struct folio *folio)		\
{ __page_flag_clear(folio_flags(folio), bit); }				\
static inline bool folio_test_set_##fname(struct folio *folio)		\
{ return __page_flag_test_and_set(folio_flags(folio), bit); }

FOLIO_FLAG(uptodate, PG_uptodate)
FOLIO_FLAG(dirty, PG_dirty)
FOLIO_FLAG(hwpoison, PG_hwpoison)
FOLIO_FLAG(unevictable, PG_unevictable)
FOLIO_FLAG(private, PG_private)

/* Read-only from outside mm/: the pool and the folio lock own these. */
static inline bool folio_test_locked(const struct folio *folio)
{
	return __page_flag_test(folio_flags(folio), PG_locked);
}

static inline bool folio_test_large(const struct folio *folio)
{
	return (__atomic_load_n(&folio->flags, __ATOMIC_RELAXED) & PAGE_ORDER_MASK) != 0;
}

static inline bool folio_test_anon(const struct folio *folio)
{
	return __page_flag_test(&folio->flags, PG_anon);
}

/* A HugeTLB folio (or an order-0 page of a split one): freed by free_huge_folio(). */
static inline bool folio_test_hugetlb(const struct folio *folio)
{
	return __page_flag_test(&folio->flags, PG_hugetlb);
}

/* Model: the folio was freed; its struct stays (vmemmap) but is poisoned. */
static inline bool folio_test_freed(const struct folio *folio)
{
	return __page_flag_test(&folio->flags, PG_freed);
}

static inline bool PageTail(const struct page *page)
{
	return __page_flag_test(&page->flags, PG_tail);
}

static inline bool PageHWPoison(const struct page *page)
{
	return __page_flag_test(&page->flags, PG_hwpoison);
}

#endif /* _LINUX_PAGE_FLAGS_H */
