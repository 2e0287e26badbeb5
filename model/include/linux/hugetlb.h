/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Models the parts of include/linux/hugetlb.h (ML-7.1) and of the proposed
 * guestmem_hugetlb allocator (spec §6.4, RFC v2 May 2025) that a
 * HugeTLB-backed guest_memfd needs: one hstate per huge size with a pool of
 * a configurable size per world, subpools that reserve a file's whole size
 * at creation (so running out is -ENOMEM there, never at fault time), huge
 * folio allocation and freeing, and the split / merge of a huge folio into
 * order-0 folios and back that in-place conversion uses.
 *
 * Simplifications: pool pages are carved from the world's pfn pool on
 * demand (up to the pool size) rather than set aside at boot, and freed
 * huge folios go back to that pool (poisoned, so a stale user is a reported
 * use-after-free).  No surplus pages, cgroups or NUMA.
 */
#ifndef _LINUX_HUGETLB_H
#define _LINUX_HUGETLB_H

#include <linux/types.h>
#include <linux/xarray.h>

struct folio;
struct address_space;
struct mm_world;

/* 2 MiB (order 9) and 1 GiB (order 18). */
#define HUGE_MAX_HSTATE		2

/* Pool sizes a fresh world starts with (hugetlb_pool_set() changes them). */
#define HUGETLB_DEFAULT_POOL_2M	512	/* 1 GiB of 2 MiB pages */
#define HUGETLB_DEFAULT_POOL_1G	4

/*
 * struct hstate - one huge page size.
 * @order: HPAGE_PMD_ORDER or HPAGE_PUD_ORDER
 * @max_huge_pages: the pool size (sysfs nr_hugepages)
 * @nr_huge_pages: huge pages handed out and not yet returned (a split page
 *	counts until every one of its pages is freed and it is merged back)
 * @resv_huge_pages: pages reserved by subpools
 *
 * Counters are protected by the world's zone lock.
 */
struct hstate {
	unsigned int order;
	unsigned long max_huge_pages;
	unsigned long nr_huge_pages;
	unsigned long resv_huge_pages;
};

/*
 * struct hugepage_subpool - the reservation of one HugeTLB-backed file
 * (hugepage_new_subpool(h, max, min = max) in the RFC).
 * @h: its hstate
 * @max_hpages: pages reserved (the file size in huge pages)
 * @used_hpages: huge pages of this subpool currently allocated
 * @count: users (the file's inode); freed when 0 and nothing is in use
 */
struct hugepage_subpool {
	struct hstate *h;
	unsigned long max_hpages;
	unsigned long used_hpages;
	long count;
};

/*
 * struct hugetlb_world - the HugeTLB state of one world.
 * @hstates: [0] = 2 MiB, [1] = 1 GiB
 * @split: huge head pfn -> xa_mk_value(number of its order-0 pages already
 *	freed) for every huge page that is split right now
 */
struct hugetlb_world {
	struct hstate hstates[HUGE_MAX_HSTATE];
	struct xarray split;
};

void hugetlb_world_init(struct hugetlb_world *hw);
void hugetlb_world_destroy(struct hugetlb_world *hw);

struct hstate *hstate_sizelog(unsigned int page_size_log);
int hugetlb_pool_set(unsigned int order, unsigned long nr);
void hugetlb_pool_get(unsigned int order, unsigned long *max, unsigned long *nr,
		      unsigned long *resv);

struct hugepage_subpool *hugepage_new_subpool(struct hstate *h, unsigned long hpages);
void hugepage_put_subpool(struct hugepage_subpool *spool);

struct folio *alloc_hugetlb_folio(struct hugepage_subpool *spool);
void free_huge_folio(struct folio *folio, const char *site);

int hugetlb_split_folio(struct folio *folio);
int hugetlb_merge_folio(struct address_space *mapping, pgoff_t index,
			unsigned int order);
bool hugetlb_folio_is_split(unsigned long pfn, unsigned int order);

#endif /* _LINUX_HUGETLB_H */
