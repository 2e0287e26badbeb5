/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Models mm/internal.h (ML-7.1): state shared by the files of model/mm, most
 * of all struct mm_world (the zone + vmemmap + host mm of one world).
 */
#ifndef _MM_INTERNAL_H
#define _MM_INTERNAL_H

#include <string.h>
#include <linux/types.h>
#include <linux/kernel.h>
#include <linux/spinlock.h>
#include <linux/slab.h>
#include <linux/mm.h>
#include <linux/fs.h>
#include <linux/pagemap.h>
#include <linux/hugetlb.h>
#include <linux/mempolicy.h>

/* First pfn handed out (4 GiB): pfn 0 and small pfns never name a folio. */
#define MM_PFN_BASE		0x100000UL
/* The pfn space grows 1 GiB (one order-18 block) at a time, up to this. */
#define MM_PFN_LIMIT		(MM_PFN_BASE + (1UL << 36))	/* 256 TiB; fits PAGE_PFN_MASK */
#define MM_CHUNK_SHIFT		9	/* struct pages per vmemmap chunk: 512 */
#define MM_CHUNK_PAGES		(1UL << MM_CHUNK_SHIFT)
#define MM_NR_ORDERS		3	/* 0, 9, 18 */
#define MM_DEFAULT_NUMNODES	2	/* NUMA nodes of a new world */

/* Content state in page->flags (PAGE_CSTATE_*). */
enum mm_cstate {
	MM_CSTATE_UNINIT = 0,
	MM_CSTATE_TAG = 1,
	MM_CSTATE_BYTES = 2,
	MM_CSTATE_FREED = 3,
};

/* A page's real contents, allocated when it goes to bytes mode. */
struct mm_page_bytes {
	u8 data[PAGE_SIZE];
	unsigned long init[PAGE_SIZE / BITS_PER_LONG];	/* byte written since alloc */
};

/* FIFO of freed folios of one order, linked through head page->private. */
struct mm_free_fifo {
	unsigned long head;	/* pfn, 0 = empty */
	unsigned long tail;
	unsigned long nr;	/* folios waiting */
	unsigned long reuse_after; /* quarantine: reuse only when nr > this */
};

/*
 * One NUMA node's share of the pool.  The pfn space is cut in 1 GiB blocks
 * dealt out round robin: block k belongs to node k mod nr_nodes, so
 * pfn_to_nid() is arithmetic.
 */
struct mm_node_pool {
	unsigned long next_gblock;	/* this node's next 1 GiB block */
	unsigned long o9_next, o9_end;	/* carving order-9 blocks out of a 1 GiB block */
	unsigned long o0_next, o0_end;	/* carving order-0 pages out of a 2 MiB block */
	struct mm_free_fifo fifo[MM_NR_ORDERS];
};

struct mm_world {
	spinlock_t lock;		/* the zone lock: pool, fifos, directory */
	struct page **dir;		/* (pfn - MM_PFN_BASE) >> MM_CHUNK_SHIFT -> chunk */
	unsigned long dir_len;
	struct page **old_dirs[48];	/* replaced directories, freed at reset */
	unsigned int nr_old_dirs;
	unsigned int nr_nodes;		/* 1..MAX_NUMNODES */
	struct mm_node_pool node[MAX_NUMNODES];
	bool bytes_mode;
	mm_content_hook_t content_hook;
	void *content_hook_ctx;
	mm_punch_begin_t punch_begin;	/* madvise(MADV_REMOVE) per-VMA punches */
	mm_punch_end_t punch_end;
	void *punch_hook_ctx;
	struct mm_world_stats stats;
	struct mm_struct *mm;
	unsigned long next_ino;		/* stable per-world inode numbers */
	struct hugetlb_world hugetlb;	/* HugeTLB pools (hugetlb.c) */
	struct xarray rmp;		/* the machine's SNP RMP (svm/sev.c owns entries) */
};

struct mm_world *__mm_world(void);

/* page_alloc.c */
struct page *__mm_pfn_to_page_raw(struct mm_world *w, unsigned long pfn);
void __mm_report_uaf(struct page *page, unsigned long pfn, const char *what,
		     const char *site);
void __mm_folio_free(struct folio *folio, const char *site);

static inline unsigned long __mm_order_idx(unsigned int order)
{
	return order == 0 ? 0 : order == HPAGE_PMD_ORDER ? 1 : 2;
}

static inline enum mm_cstate __page_cstate(const struct page *page)
{
	return (enum mm_cstate)((page_flags_read(page) & PAGE_CSTATE_MASK) >> PAGE_CSTATE_SHIFT);
}

static inline u8 __page_ctag(const struct page *page)
{
	return (u8)((page_flags_read(page) & PAGE_CTAG_MASK) >> PAGE_CTAG_SHIFT);
}

/*
 * Content state and tag change only under the folio's exclusive use or the
 * page's own atomic update; the PG_ bits in the same word are updated with
 * atomic RMW, so the content fields are too.
 */
static inline void __page_set_content(struct page *page, enum mm_cstate st, u8 tag)
{
	unsigned long old = __atomic_load_n(&page->flags, __ATOMIC_RELAXED), new;

	do {
		new = (old & ~(PAGE_CSTATE_MASK | PAGE_CTAG_MASK)) |
		      ((unsigned long)st << PAGE_CSTATE_SHIFT) |
		      ((unsigned long)tag << PAGE_CTAG_SHIFT);
	} while (!__atomic_compare_exchange_n(&page->flags, &old, new, false,
					      __ATOMIC_ACQ_REL, __ATOMIC_RELAXED));
}

/* Stats are bumped from any thread; relaxed atomics keep TSan quiet. */
#define mm_stat_add(w, field, n) \
	__atomic_fetch_add(&(w)->stats.field, (n), __ATOMIC_RELAXED)
#define mm_stat_sub(w, field, n) \
	__atomic_fetch_sub(&(w)->stats.field, (n), __ATOMIC_RELAXED)

static inline u64 __mm_step(void)
{
	return shim_ctx && shim_ctx->step ? shim_ctx->step() : 0;
}

/* contents.c */
void __mm_page_free_contents(struct mm_world *w, struct page *page);

/* memory.c */
void __zap_vma_range(struct vm_area_struct *vma, unsigned long start, unsigned long end);
void __mm_exit_mmap(struct mm_struct *mm);
struct mm_struct *__mm_alloc(struct mm_world *w);
void __mm_free(struct mm_struct *mm);
unsigned long mm_follow_pfn_locked(struct mm_struct *mm, unsigned long addr);
bool vma_thp_file_suitable(struct vm_area_struct *vma, unsigned long addr);
void split_huge_pmd_address(struct mm_struct *mm, unsigned long addr);

/* mmap.c */
int __mm_split_range(struct mm_struct *mm, unsigned long start, unsigned long end);

/* filemap.c */
void __filemap_remove_folio_locked(struct address_space *mapping, struct folio *folio);

#endif /* _MM_INTERNAL_H */
