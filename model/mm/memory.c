// SPDX-License-Identifier: GPL-2.0
/*
 * Models mm/memory.c and mm/huge_memory.c (ML-7.1), reduced: user page
 * tables as two xarrays per mm (PTEs by 4 KiB page, PMDs by 2 MiB block),
 * handle_mm_fault() for anonymous memory (zeroed on first touch, order-9
 * THP under MADV_HUGEPAGE) and for files (vm_ops->fault, then the PTE is
 * installed before the folio is unlocked, as finish_fault() does), zapping
 * (with PMD split when only part of a huge mapping goes), and
 * unmap_mapping_range().
 *
 * Every PTE holds one reference on its folio and one on its mapcount; a PMD
 * holds one of each for the whole order-9 folio.  Splitting a PMD into 512
 * PTEs takes 511 more of each (like __split_huge_pmd_locked).  Mapcount is
 * kept per folio only.  No COW, no swap, no page-table reclaim.
 */
#include <linux/kernel.h>
#include <linux/bug.h>
#include <linux/slab.h>
#include <linux/mm.h>
#include <linux/pagemap.h>
#include "internal.h"

#define MM_MMAP_BASE	0x10000000000UL	/* 1 TiB: first address do_mmap hands out */

static void folio_map_add(struct folio *folio, int nr)
{
	__atomic_fetch_add(&folio->_mapcount.counter, nr, __ATOMIC_ACQ_REL);
}

static void folio_map_sub(struct folio *folio, int nr)
{
	int old = __atomic_fetch_sub(&folio->_mapcount.counter, nr, __ATOMIC_ACQ_REL);

	WARN(old - nr < -1, "mapcount underflow on pfn %#lx", folio_pfn(folio));
}

/**
 * __mm_alloc - a new, empty host mm for world @w.
 * Context: may sleep.  Return: the mm (allocation cannot fail: __GFP_NOFAIL).
 */
struct mm_struct *__mm_alloc(struct mm_world *w)
{
	struct mm_struct *mm = kzalloc(sizeof(*mm), GFP_KERNEL | __GFP_NOFAIL);

	if (!mm)
		return NULL;
	init_rwsem(&mm->mmap_lock);
	spin_lock_init(&mm->page_table_lock);
	INIT_LIST_HEAD(&mm->mmap);
	xa_init(&mm->ptes);
	xa_init(&mm->pmds);
	mm->mmap_base = MM_MMAP_BASE;
	mm->world = w;
	return mm;
}

/**
 * __mm_free - tear down and free @mm.
 * Context: nothing else uses @mm.
 */
void __mm_free(struct mm_struct *mm)
{
	if (!mm)
		return;
	__mm_exit_mmap(mm);
	xa_destroy(&mm->ptes);
	xa_destroy(&mm->pmds);
	kfree(mm);
}

/*
 * The pfn mapping @addr, or 0.  *@huge tells whether a PMD maps it.
 * Caller holds the PTL.
 */
static unsigned long __follow_pfn(struct mm_struct *mm, unsigned long addr, bool *huge)
{
	void *e;

	lockdep_assert_held(&mm->page_table_lock);
	e = xa_load(&mm->pmds, addr >> PMD_SHIFT);
	if (e) {
		if (huge)
			*huge = true;
		return xa_to_value(e) + ((addr >> PAGE_SHIFT) & (HPAGE_PMD_NR - 1));
	}
	if (huge)
		*huge = false;
	e = xa_load(&mm->ptes, addr >> PAGE_SHIFT);
	return e ? xa_to_value(e) : 0;
}

/**
 * mm_follow_pfn_locked - the pfn mapped at @addr in @mm, 0 if none.
 * Context: the PTL (mm->page_table_lock) is held.  Return: the pfn or 0.
 */
unsigned long mm_follow_pfn_locked(struct mm_struct *mm, unsigned long addr)
{
	return __follow_pfn(mm, addr, NULL);
}

/* Install a PTE for @pfn (a page of @folio); the caller's reference moves to it. */
static void __set_pte(struct mm_struct *mm, unsigned long addr, struct folio *folio,
		      unsigned long pfn)
{
	void *old;

	lockdep_assert_held(&mm->page_table_lock);
	old = xa_store(&mm->ptes, addr >> PAGE_SHIFT, xa_mk_value(pfn),
		       GFP_ATOMIC | __GFP_NOFAIL);
	WARN_ON(old);
	folio_map_add(folio, 1);
}

/* Any PTE in [start, end)?  Caller holds the PTL. */
static bool __ptes_in_range(struct mm_struct *mm, unsigned long start, unsigned long end)
{
	unsigned long idx = start >> PAGE_SHIFT;

	return xa_find(&mm->ptes, &idx, (end - 1) >> PAGE_SHIFT, XA_PRESENT) != NULL;
}

static bool vma_thp_eligible(struct vm_area_struct *vma, unsigned long haddr)
{
	return (vma->vm_flags & VM_HUGEPAGE) && !(vma->vm_flags & VM_NOHUGEPAGE) &&
	       haddr >= vma->vm_start && haddr + PMD_SIZE <= vma->vm_end;
}

/**
 * vma_thp_file_suitable - may the shmem folio for @addr be PMD sized?
 * @vma: a shared file VMA.  @addr: the faulting address.
 *
 * Like shmem_enabled=advise with thp_vma_suitable_order(): MADV_HUGEPAGE
 * (and not NOHUGEPAGE) on the VMA, the 2 MiB block around @addr inside the
 * VMA, the file index of its first page 2 MiB aligned (address and file
 * offset congruent), and the block inside i_size.
 * Context: mmap_lock held.  Return: true if a huge folio may be used.
 */
bool vma_thp_file_suitable(struct vm_area_struct *vma, unsigned long addr)
{
	unsigned long haddr = addr & PMD_MASK;
	pgoff_t hindex;

	if (!vma->vm_file || !vma_thp_eligible(vma, haddr))
		return false;
	hindex = vma->vm_pgoff + ((haddr - vma->vm_start) >> PAGE_SHIFT);
	if (!IS_ALIGNED(hindex, HPAGE_PMD_NR))
		return false;
	return (loff_t)(hindex + HPAGE_PMD_NR) << PAGE_SHIFT <=
	       i_size_read(file_inode(vma->vm_file));
}

/*
 * set_huge_pmd: install @folio as the PMD of [@haddr, @haddr + PMD_SIZE)
 * unless a PMD or any PTE already maps part of it (set_pmd_at() of the
 * two huge fault paths).  Return true if installed.
 * Context: takes spin_lock(&mm->page_table_lock).
 */
static bool set_huge_pmd(struct mm_struct *mm, unsigned long haddr, struct folio *folio)
{
	void *old;

	spin_lock(&mm->page_table_lock);
	if (xa_load(&mm->pmds, haddr >> PMD_SHIFT) ||
	    __ptes_in_range(mm, haddr, haddr + PMD_SIZE)) {
		spin_unlock(&mm->page_table_lock);
		return false;
	}
	old = xa_store(&mm->pmds, haddr >> PMD_SHIFT, xa_mk_value(folio_pfn(folio)),
		       GFP_ATOMIC | __GFP_NOFAIL);
	WARN_ON(old);
	folio_map_add(folio, 1);
	spin_unlock(&mm->page_table_lock);
	return true;
}

/*
 * do_set_pmd: map a whole order-9 page-cache folio with one PMD (the
 * fault's folio reference moves to it).  0 if mapped, VM_FAULT_FALLBACK if
 * the folio is not PMD-mappable here or PTEs already map part of the block.
 * Context: the folio is locked; takes spin_lock(&mm->page_table_lock).
 */
static vm_fault_t do_set_pmd(struct vm_area_struct *vma, struct folio *folio,
			     unsigned long addr)
{
	unsigned long haddr = addr & PMD_MASK;

	if (folio_order(folio) != HPAGE_PMD_ORDER || !vma_thp_file_suitable(vma, addr) ||
	    folio->index != vma->vm_pgoff + ((haddr - vma->vm_start) >> PAGE_SHIFT))
		return VM_FAULT_FALLBACK;
	return set_huge_pmd(vma->vm_mm, haddr, folio) ? 0 : VM_FAULT_FALLBACK;
}

/* do_huge_pmd_anonymous_page: 0, or VM_FAULT_FALLBACK to use small pages.
 * Context: takes spin_lock(&mm->page_table_lock); does not sleep.
 */
static vm_fault_t do_huge_pmd_anonymous_page(struct vm_area_struct *vma, unsigned long haddr)
{
	struct mm_struct *mm = vma->vm_mm;
	struct folio *folio;

	folio = folio_alloc(GFP_HIGHUSER | __GFP_ZERO | __GFP_NOWARN, HPAGE_PMD_ORDER);
	if (!folio)
		return VM_FAULT_FALLBACK;
	__page_flag_set(&folio->flags, PG_anon);
	if (set_huge_pmd(mm, haddr, folio))
		return 0;
	folio_put(folio);
	/* Raced with another fault; small pages if PTEs exist. */
	return xa_load(&mm->pmds, haddr >> PMD_SHIFT) ? 0 : VM_FAULT_FALLBACK;
}

/* do_anonymous_page: a zeroed private page (or THP) on first touch.
 * Context: takes spin_lock(&mm->page_table_lock); does not sleep.
 */
static vm_fault_t do_anonymous_page(struct vm_area_struct *vma, unsigned long addr)
{
	struct mm_struct *mm = vma->vm_mm;
	unsigned long haddr = addr & PMD_MASK;
	struct folio *folio;

	if (vma_thp_eligible(vma, haddr)) {
		bool ptes;

		spin_lock(&mm->page_table_lock);
		ptes = __ptes_in_range(mm, haddr, haddr + PMD_SIZE);
		spin_unlock(&mm->page_table_lock);
		if (!ptes && !do_huge_pmd_anonymous_page(vma, haddr))
			return 0;
	}
	folio = folio_alloc(GFP_HIGHUSER | __GFP_ZERO, 0);
	if (!folio)
		return VM_FAULT_OOM;
	__page_flag_set(&folio->flags, PG_anon);
	spin_lock(&mm->page_table_lock);
	if (__follow_pfn(mm, addr, NULL)) {
		spin_unlock(&mm->page_table_lock);
		folio_put(folio);
		return 0;
	}
	__set_pte(mm, addr, folio, folio_pfn(folio));
	spin_unlock(&mm->page_table_lock);
	return 0;
}

/* __do_fault + finish_fault for a shared file mapping.
 * Context: takes folio_lock(folio), spin_lock(&mm->page_table_lock); may sleep.
 */
static vm_fault_t do_shared_fault(struct vm_area_struct *vma, unsigned long addr,
				  unsigned int flags)
{
	struct mm_struct *mm = vma->vm_mm;
	struct vm_fault vmf = {
		.vma = vma,
		.flags = flags,
		.pgoff = vma->vm_pgoff + ((addr - vma->vm_start) >> PAGE_SHIFT),
		.address = addr,
	};
	struct folio *folio;
	vm_fault_t ret;

	if (!vma->vm_ops || !vma->vm_ops->fault)
		return VM_FAULT_SIGBUS;
	sched_point("fault:vm_ops_fault");
	ret = vma->vm_ops->fault(&vmf);
	if (ret & (VM_FAULT_ERROR | VM_FAULT_NOPAGE | VM_FAULT_RETRY | VM_FAULT_DONE_COW))
		return ret;
	if (WARN_ON(!vmf.page))
		return VM_FAULT_SIGBUS;
	folio = page_folio(vmf.page);
	if (!(ret & VM_FAULT_LOCKED))
		folio_lock(folio);
	if (unlikely(PageHWPoison(vmf.page) || folio_test_hwpoison(folio))) {
		folio_unlock(folio);
		folio_put(folio);
		return VM_FAULT_HWPOISON;
	}
	sched_point("fault:finish");
	/* finish_fault(): a PMD-mappable folio gets a PMD when nothing maps the block. */
	if (folio_test_large(folio) && !do_set_pmd(vma, folio, addr)) {
		folio_unlock(folio);
		return 0;
	}
	spin_lock(&mm->page_table_lock);
	if (__follow_pfn(mm, addr, NULL)) {
		spin_unlock(&mm->page_table_lock);
		folio_unlock(folio);
		folio_put(folio);
		return 0;
	}
	__set_pte(mm, addr, folio, page_to_pfn(vmf.page));
	spin_unlock(&mm->page_table_lock);
	folio_unlock(folio);
	return 0;
}

/**
 * handle_mm_fault - fault in the page at @address of @vma.
 * @flags: FAULT_FLAG_WRITE etc.
 *
 * Anonymous VMAs get a zeroed page (or, under MADV_HUGEPAGE with the whole
 * 2 MiB block inside the VMA and no PTE in it, an order-9 folio mapped by a
 * PMD).  File VMAs call vm_ops->fault and install the returned page's PTE
 * before unlocking the folio; an order-9 folio (shmem THP) is mapped by one
 * PMD when vma_thp_file_suitable() and nothing maps the block yet.
 * Context: mmap_lock held shared; may sleep.
 * Return: 0 (mapped), or VM_FAULT_SIGSEGV (outside the VMA or no
 * permission), VM_FAULT_SIGBUS, VM_FAULT_OOM, VM_FAULT_HWPOISON,
 * VM_FAULT_RETRY (the caller retries) from the handler.
 */
vm_fault_t handle_mm_fault(struct vm_area_struct *vma, unsigned long address,
			   unsigned int flags)
{
	struct mm_struct *mm = vma->vm_mm;
	unsigned long addr = address & PAGE_MASK;
	bool present;

	lockdep_assert_held(&mm->mmap_lock);
	if (addr < vma->vm_start || addr >= vma->vm_end)
		return VM_FAULT_SIGSEGV;
	if ((flags & FAULT_FLAG_WRITE) && !(vma->vm_flags & VM_WRITE))
		return VM_FAULT_SIGSEGV;
	if (!(vma->vm_flags & (VM_READ | VM_WRITE | VM_EXEC)))
		return VM_FAULT_SIGSEGV;
	spin_lock(&mm->page_table_lock);
	present = __follow_pfn(mm, addr, NULL) != 0;
	spin_unlock(&mm->page_table_lock);
	if (present)
		return 0;
	if (!vma->vm_file)
		return do_anonymous_page(vma, addr);
	return do_shared_fault(vma, addr, flags);
}

/* Replace the PMD at @haddr by 512 PTEs (__split_huge_pmd).  PTL held. */
static void __split_huge_pmd(struct mm_struct *mm, unsigned long haddr)
{
	void *e = xa_erase(&mm->pmds, haddr >> PMD_SHIFT);
	unsigned long pfn, i;
	struct folio *folio;

	if (!e)
		return;
	pfn = xa_to_value(e);
	folio = pfn_to_folio(pfn);
	for (i = 0; i < HPAGE_PMD_NR; i++)
		WARN_ON(xa_store(&mm->ptes, (haddr >> PAGE_SHIFT) + i, xa_mk_value(pfn + i),
				 GFP_ATOMIC | __GFP_NOFAIL));
	folio_map_add(folio, HPAGE_PMD_NR - 1);
	folio_ref_add(folio, HPAGE_PMD_NR - 1);
}

/**
 * split_huge_pmd_address - split the PMD mapping @addr (if any) into 512
 * PTEs, like __split_huge_pmd(): the secondary MMUs are told about the whole
 * 2 MiB block (mmu_notifier range start/end around the split), so a KVM
 * huge SPTE over it is zapped even if only one 4K page is going away.
 * Context: takes spin_lock(&mm->page_table_lock); does not sleep.
 */
void split_huge_pmd_address(struct mm_struct *mm, unsigned long addr)
{
	unsigned long haddr = addr & PMD_MASK;
	bool huge;

	spin_lock(&mm->page_table_lock);
	huge = xa_load(&mm->pmds, haddr >> PMD_SHIFT) != NULL;
	spin_unlock(&mm->page_table_lock);
	if (!huge)
		return;
	if (mmu_notifier_invalidate_hook)
		mmu_notifier_invalidate_hook(mm, haddr, haddr + PMD_SIZE, true);
	sched_point("thp:split_pmd");
	spin_lock(&mm->page_table_lock);
	__split_huge_pmd(mm, haddr);
	spin_unlock(&mm->page_table_lock);
	if (mmu_notifier_invalidate_hook)
		mmu_notifier_invalidate_hook(mm, haddr, haddr + PMD_SIZE, false);
}

/* A PMD over the block of @addr that [start, end) covers only in part?  PTL held. */
static bool __partial_pmd(struct mm_struct *mm, unsigned long addr, unsigned long start,
			  unsigned long end)
{
	unsigned long h = addr & PMD_MASK;

	return (h < start || h + PMD_SIZE > end) && xa_load(&mm->pmds, h >> PMD_SHIFT);
}

/*
 * Zap [start, end) of @mm: the PTEs/PMDs there and their folio references.
 * A PMD only partly in the range must have been split under its own 2 MiB
 * notifier range first: if one is found here (a fault installed it after
 * the caller's split), nothing is zapped and -EAGAIN tells the caller to
 * split and retry, like zap_pmd_range() re-walking a PMD that became huge.
 * Context: takes spin_lock(&mm->page_table_lock); does not sleep.
 */
static int __zap_mm_range(struct mm_struct *mm, unsigned long start, unsigned long end)
{
	unsigned long h, idx;
	void *e;

	if (start >= end)
		return 0;
	spin_lock(&mm->page_table_lock);
	if (__partial_pmd(mm, start, start, end) || __partial_pmd(mm, end - 1, start, end)) {
		spin_unlock(&mm->page_table_lock);
		return -EAGAIN;
	}
	for (h = start & PMD_MASK; h < end; h += PMD_SIZE) {
		struct folio *folio;

		e = xa_load(&mm->pmds, h >> PMD_SHIFT);
		if (!e)
			continue;
		xa_erase(&mm->pmds, h >> PMD_SHIFT);
		folio = pfn_to_folio(xa_to_value(e));
		folio_map_sub(folio, 1);
		folio_put(folio);
	}
	xa_for_each_range(&mm->ptes, idx, e, start >> PAGE_SHIFT, (end - 1) >> PAGE_SHIFT) {
		struct folio *folio;

		xa_erase(&mm->ptes, idx);
		folio = pfn_to_folio(xa_to_value(e));
		folio_map_sub(folio, 1);
		folio_put(folio);
	}
	spin_unlock(&mm->page_table_lock);
	return 0;
}

/**
 * __zap_vma_range - zap [start, end) clipped to @vma (PMDs split if only
 * partly covered), dropping each mapping's folio reference and mapcount.
 * Context: takes the PTL; does not sleep.
 */
void __zap_vma_range(struct vm_area_struct *vma, unsigned long start, unsigned long end)
{
	struct mm_struct *mm = vma->vm_mm;
	int ret;

	start = max(start, vma->vm_start);
	end = min(end, vma->vm_end);
	if (start >= end)
		return;
	do {
		/* A PMD only partly in the range is split first, under its own notifier range. */
		if (!IS_ALIGNED(start, PMD_SIZE))
			split_huge_pmd_address(mm, start);
		if (!IS_ALIGNED(end, PMD_SIZE))
			split_huge_pmd_address(mm, end - 1);
		/* mmu_notifier_invalidate_range_start/end (hook added by the KVM model). */
		if (mmu_notifier_invalidate_hook)
			mmu_notifier_invalidate_hook(mm, start, end, true);
		ret = __zap_mm_range(mm, start, end);
		if (mmu_notifier_invalidate_hook)
			mmu_notifier_invalidate_hook(mm, start, end, false);
		if (ret)
			sched_spin("zap:pmd_became_huge");
	} while (ret);
}

__thread void (*mmu_notifier_invalidate_hook)(struct mm_struct *mm, unsigned long start,
					      unsigned long end, bool begin);

/**
 * zap_page_range_single - zap [@address, @address + @size) of @vma.
 * Context: takes the PTL; does not sleep.
 */
void zap_page_range_single(struct vm_area_struct *vma, unsigned long address,
			   unsigned long size)
{
	__zap_vma_range(vma, address, address + size);
}

/**
 * unmap_mapping_pages - zap pages [@start, @start + @nr) of @mapping in
 * every VMA mapping them.  @even_cows: ignored (no COW).
 * Context: takes i_mmap_rwsem shared and the PTLs; may sleep.
 */
void unmap_mapping_pages(struct address_space *mapping, pgoff_t start, pgoff_t nr,
			 bool even_cows)
{
	pgoff_t last = start + nr - 1;
	struct vm_area_struct *vma;

	if (!nr)
		return;
	if (last < start)
		last = (pgoff_t)-1;
	down_read(&mapping->i_mmap_rwsem);
	list_for_each_entry(vma, &mapping->i_mmap, shared) {
		pgoff_t vfirst = vma->vm_pgoff;
		pgoff_t vlast = vfirst + ((vma->vm_end - vma->vm_start) >> PAGE_SHIFT) - 1;
		pgoff_t zfirst = max(start, vfirst), zlast = min(last, vlast);

		if (zfirst > zlast)
			continue;
		__zap_vma_range(vma, vma->vm_start + ((zfirst - vfirst) << PAGE_SHIFT),
				vma->vm_start + ((zlast - vfirst + 1) << PAGE_SHIFT));
	}
	up_read(&mapping->i_mmap_rwsem);
}

/**
 * unmap_mapping_range - zap bytes [@holebegin, @holebegin + @holelen) of
 * @mapping in every VMA (@holelen 0: to the end).  @even_cows: ignored.
 * Context: takes i_mmap_rwsem shared and the PTLs; may sleep.
 */
void unmap_mapping_range(struct address_space *mapping, loff_t const holebegin,
			 loff_t const holelen, int even_cows)
{
	pgoff_t hba = (pgoff_t)holebegin >> PAGE_SHIFT;
	pgoff_t hlen = ((pgoff_t)holelen + PAGE_SIZE - 1) >> PAGE_SHIFT;

	if (holelen <= 0 || hba + hlen < hba)
		hlen = (pgoff_t)-1 - hba + 1;
	if (!hlen)	/* hba == 0 and the whole space */
		hlen = (pgoff_t)-1;
	unmap_mapping_pages(mapping, hba, hlen, even_cows);
}

/**
 * unmap_mapping_folio - see mm.h.
 * Context: the folio is locked (truncation); takes i_mmap_rwsem shared.
 */
void unmap_mapping_folio(struct folio *folio)
{
	struct address_space *mapping = folio->mapping;

	if (!mapping)
		return;
	unmap_mapping_pages(mapping, folio->index, folio_nr_pages(folio), false);
}

/**
 * host_pfn_mapping_level - how @mm maps @addr: 2 (PG_LEVEL_2M) by a PMD over
 * an aligned order-9 folio, 1 (PG_LEVEL_4K) by a PTE, 0 not mapped.
 * Context: takes the PTL.  Return: 0, 1 or 2.
 */
int host_pfn_mapping_level(struct mm_struct *mm, unsigned long addr)
{
	bool huge = false;
	unsigned long pfn;

	spin_lock(&mm->page_table_lock);
	pfn = __follow_pfn(mm, addr, &huge);
	spin_unlock(&mm->page_table_lock);
	if (!pfn)
		return 0;
	return huge ? 2 : 1;
}

/**
 * mm_follow_pfn - the pfn @mm maps at @addr (no fault), 0 if none.
 * Context: takes the PTL.  Return: the pfn or 0.
 */
unsigned long mm_follow_pfn(struct mm_struct *mm, unsigned long addr)
{
	unsigned long pfn;

	spin_lock(&mm->page_table_lock);
	pfn = __follow_pfn(mm, addr, NULL);
	spin_unlock(&mm->page_table_lock);
	return pfn;
}

/**
 * mm_for_each_mapping - call @fn for every PTE and PMD of @mm (checkers).
 * Context: quiescent mm, or accept a racy walk; takes no lock.
 */
void mm_for_each_mapping(struct mm_struct *mm,
			 void (*fn)(void *ctx, unsigned long addr, unsigned long pfn, bool huge),
			 void *ctx)
{
	unsigned long idx;
	void *e;

	xa_for_each(&mm->pmds, idx, e)
		fn(ctx, idx << PMD_SHIFT, xa_to_value(e), true);
	xa_for_each(&mm->ptes, idx, e)
		fn(ctx, idx << PAGE_SHIFT, xa_to_value(e), false);
}

/*
 * One host access of up to a page at @addr: fault the page in as needed,
 * then run @op on its pfn with the PTL held (so it cannot be zapped and
 * freed under the access).
 * Context: takes down_read(&mm->mmap_lock), spin_lock(&mm->page_table_lock); may sleep.
 */
static vm_fault_t host_access_page(struct mm_struct *mm, unsigned long addr, bool write,
				   int (*op)(void *ctx, unsigned long pfn, unsigned int off,
					     unsigned int len),
				   void *ctx, unsigned int len)
{
	struct vm_area_struct *vma;
	unsigned long pfn;
	vm_fault_t ret = 0;

	down_read(&mm->mmap_lock);
	vma = vma_lookup(mm, addr);
	if (!vma || (write && !(vma->vm_flags & VM_WRITE)) ||
	    (!write && !(vma->vm_flags & (VM_READ | VM_WRITE)))) {
		ret = VM_FAULT_SIGSEGV;
		goto out;
	}
	for (;;) {
		spin_lock(&mm->page_table_lock);
		pfn = __follow_pfn(mm, addr, NULL);
		if (pfn) {
			op(ctx, pfn, addr & ~PAGE_MASK, len);
			spin_unlock(&mm->page_table_lock);
			break;
		}
		spin_unlock(&mm->page_table_lock);
		ret = handle_mm_fault(vma, addr, write ? FAULT_FLAG_WRITE | FAULT_FLAG_USER :
					   FAULT_FLAG_USER);
		if (ret & VM_FAULT_RETRY) {
			sched_spin("host_access:retry");
			ret = 0;
			continue;
		}
		if (ret & VM_FAULT_ERROR)
			break;
	}
out:
	up_read(&mm->mmap_lock);
	return ret & VM_FAULT_ERROR;
}

struct host_io {
	u8 *buf;
	const u8 *cbuf;
	int byte;
	int value;		/* mm_host_check: running result */
	bool first;
};

static int host_io_read(void *ctx, unsigned long pfn, unsigned int off, unsigned int len)
{
	struct host_io *io = ctx;
	int ret = mm_page_copy_from(pfn, off, io->buf, len);

	io->buf += len;
	return ret;
}

static int host_io_write(void *ctx, unsigned long pfn, unsigned int off, unsigned int len)
{
	struct host_io *io = ctx;
	int ret = mm_page_copy_to(pfn, off, io->cbuf, len);

	io->cbuf += len;
	return ret;
}

static int host_io_fill(void *ctx, unsigned long pfn, unsigned int off, unsigned int len)
{
	struct host_io *io = ctx;

	return mm_page_write(pfn, off, io->byte, len);
}

static int host_io_check(void *ctx, unsigned long pfn, unsigned int off, unsigned int len)
{
	struct host_io *io = ctx;
	int v = mm_page_read(pfn, off, len);

	if (io->first)
		io->value = v;
	else if (io->value != v)
		io->value = (io->value == MM_READ_UNINIT && v == MM_READ_UNINIT) ?
			    MM_READ_UNINIT : MM_READ_MIXED;
	io->first = false;
	return 0;
}

static vm_fault_t host_access(struct mm_struct *mm, unsigned long addr, size_t len, bool write,
			      int (*op)(void *, unsigned long, unsigned int, unsigned int),
			      struct host_io *io)
{
	while (len) {
		unsigned int n = min_t(size_t, PAGE_SIZE - (addr & ~PAGE_MASK), len);
		vm_fault_t ret = host_access_page(mm, addr, write, op, io, n);

		if (ret)
			return ret;
		addr += n;
		len -= n;
	}
	return 0;
}

/**
 * mm_host_read - a host load of @len bytes at @addr into @buf.
 * Context: may sleep (faults).  Return: 0, or the fault's VM_FAULT_* error
 * (SIGSEGV: no mapping/permission; SIGBUS, HWPOISON, OOM from the fault).
 */
vm_fault_t mm_host_read(struct mm_struct *mm, unsigned long addr, void *buf, size_t len)
{
	struct host_io io = { .buf = buf };

	return host_access(mm, addr, len, false, host_io_read, &io);
}

/**
 * mm_host_write - a host store of @len bytes of @buf at @addr.
 * Context: may sleep (faults); takes mmap_lock shared and the PTL.
 * Return: as mm_host_read().
 */
vm_fault_t mm_host_write(struct mm_struct *mm, unsigned long addr, const void *buf,
			 size_t len)
{
	struct host_io io = { .cbuf = buf };

	return host_access(mm, addr, len, true, host_io_write, &io);
}

/**
 * mm_host_fill - a host memset(@addr, @byte, @len).
 * Context: may sleep (faults); takes mmap_lock shared and the PTL.
 * Return: as mm_host_read().
 */
vm_fault_t mm_host_fill(struct mm_struct *mm, unsigned long addr, u8 byte, size_t len)
{
	struct host_io io = { .byte = byte };

	return host_access(mm, addr, len, true, host_io_fill, &io);
}

/**
 * mm_host_check - a host load summarised: *@value gets the common byte of
 * [@addr, @addr + @len) or MM_READ_MIXED / MM_READ_UNINIT / MM_READ_FREED.
 * Context: may sleep (faults); takes mmap_lock shared and the PTL.
 * Return: as mm_host_read().
 */
vm_fault_t mm_host_check(struct mm_struct *mm, unsigned long addr, size_t len, int *value)
{
	struct host_io io = { .first = true, .value = MM_READ_UNINIT };
	vm_fault_t ret = host_access(mm, addr, len, false, host_io_check, &io);

	*value = io.value;
	return ret;
}
