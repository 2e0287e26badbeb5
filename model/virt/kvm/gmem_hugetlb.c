// SPDX-License-Identifier: GPL-2.0
/*
 * Models HugeTLB-backed guest_memfd as proposed (spec §6.4: Ackerley Tng,
 * "1G page support for guest_memfd", RFC v2, May 2025, 51 patches).  Not
 * merged; selected per file by GUEST_MEMFD_FLAG_HUGETLB with the RFC's
 * page-size field (uapi/linux/kvm_gmem_hugetlb.h), so mainline files behave
 * exactly as before.
 *
 *  - Creation: the size field must name 2 MiB or 1 GiB, the size must be a
 *    multiple of it (-EINVAL), and the whole file is reserved in the world's
 *    HugeTLB pool (-ENOMEM when it cannot be).  INIT_SHARED is refused: a
 *    huge folio cannot be host-mapped page by page without in-place
 *    conversion splitting it (model decision; the RFC only ran with
 *    default-private files).  Bind offsets must be huge-page aligned.
 *  - Folios: whole huge folios on fault, fallocate and populate; get_pfn
 *    reports the real folio order so KVM can map 2M/1G private SPTEs.
 *  - Punch hole: whole huge pages in the range are truncated; a partial
 *    huge page is zeroed and kept (the RFC's behaviour).  Invalidation
 *    ranges are rounded out to the folio size, for every invalidation of
 *    the inode (punch, hwpoison, conversion).
 *  - In-place conversion (gmem_inplace.c): a huge folio is split into 4K
 *    folios when any of its pages becomes shared, after the conversion's
 *    invalidation zapped the huge SPTE, and merged back when the whole
 *    huge range is private again (kvm_gmem_hugetlb_on_convert()).
 *
 * Locking as guest_memfd.c: invalidate lock -> folio lock -> mmu_lock.
 */
#include <stdio.h>	/* snprintf for checker messages, as mmu/invariants.c */
#include <linux/kvm_host.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/pagemap.h>
#include <linux/pagevec.h>
#include <linux/slab.h>
#include <shim/sched.h>

#include "kvm_mm.h"
#include "gmem_inplace.h"
#include "gmem_hugetlb.h"

static struct gmem_hugetlb *GMEM_HUGETLB(struct inode *inode)
{
	return GMEM_I(inode)->hugetlb;
}

static unsigned int kvm_gmem_hugetlb_sizelog(u64 flags)
{
	return (flags >> GUESTMEM_HUGETLB_FLAG_SHIFT) & GUESTMEM_HUGETLB_FLAG_MASK;
}

/**
 * kvm_gmem_hugetlb_check_create() - the HugeTLB part of KVM_CREATE_GUEST_MEMFD
 * validation, after the generic checks.
 * @kvm: the VM
 * @size: file size (positive, page aligned)
 * @flags: creation flags
 *
 * Context: any.
 * Return: 0, or -EINVAL (size field without HUGETLB, unknown huge size,
 * size not a multiple of it, INIT_SHARED).
 */
int kvm_gmem_hugetlb_check_create(struct kvm *kvm, loff_t size, u64 flags)
{
	struct hstate *h;

	if (!(flags & GUEST_MEMFD_FLAG_HUGETLB))
		return kvm_gmem_hugetlb_sizelog(flags) ? -EINVAL : 0;
	if (flags & GUEST_MEMFD_FLAG_INIT_SHARED)
		return -EINVAL;
	/* Size log 0 asks for the default huge page size, 2 MiB on x86. */
	h = hstate_sizelog(kvm_gmem_hugetlb_sizelog(flags) ?: PAGE_SHIFT + HPAGE_PMD_ORDER);
	if (!h)
		return -EINVAL;
	if (!IS_ALIGNED((u64)size, PAGE_SIZE << h->order))
		return -EINVAL;
	return 0;
}

/**
 * kvm_gmem_hugetlb_init() - set up the allocator of a new inode.
 * @gi: the new gmem inode
 * @size: file size (validated by kvm_gmem_hugetlb_check_create())
 * @flags: creation flags
 *
 * Context: may sleep (allocation).
 * Return: 0 (also for files without HUGETLB), -ENOMEM when the pool cannot
 * reserve the file.
 */
int kvm_gmem_hugetlb_init(struct gmem_inode *gi, loff_t size, u64 flags)
{
	struct hugepage_subpool *spool;
	struct gmem_hugetlb *hg;
	struct hstate *h;

	gi->hugetlb = NULL;
	if (!(flags & GUEST_MEMFD_FLAG_HUGETLB))
		return 0;

	h = hstate_sizelog(kvm_gmem_hugetlb_sizelog(flags) ?: PAGE_SHIFT + HPAGE_PMD_ORDER);
	if (WARN_ON_ONCE(!h))
		return -EINVAL;

	hg = kzalloc(sizeof(*hg), GFP_KERNEL);
	if (!hg)
		return -ENOMEM;
	spool = hugepage_new_subpool(h, (u64)size >> (PAGE_SHIFT + h->order));
	if (IS_ERR(spool)) {
		kfree(hg);
		return PTR_ERR(spool);
	}
	hg->spool = spool;
	hg->order = h->order;
	gi->hugetlb = hg;
	return 0;
}

/**
 * kvm_gmem_hugetlb_destroy() - drop the inode's reservation (its folios are
 * gone; pages still pinned elsewhere keep the subpool until freed).
 * @gi: the gmem inode being freed
 *
 * Context: inode teardown.
 */
void kvm_gmem_hugetlb_destroy(struct gmem_inode *gi)
{
	if (!gi->hugetlb)
		return;
	hugepage_put_subpool(gi->hugetlb->spool);
	kfree(gi->hugetlb);
	gi->hugetlb = NULL;
}

/**
 * kvm_gmem_hugetlb_bind_offset_ok() - may a memslot bind at @offset?
 * @inode: the gmem inode
 * @offset: byte offset in the file
 *
 * Context: any.
 * Return: true unless the file is HugeTLB-backed and @offset is not huge
 * page aligned.
 */
bool kvm_gmem_hugetlb_bind_offset_ok(struct inode *inode, loff_t offset)
{
	if (!kvm_gmem_is_hugetlb(inode))
		return true;
	return IS_ALIGNED((u64)offset, PAGE_SIZE << GMEM_HUGETLB(inode)->order);
}

/**
 * kvm_gmem_slot_has_huge_folios() - is @slot bound to a HugeTLB gmem file?
 * @slot: a memslot being created (binding already recorded)
 *
 * Context: slots_lock held (the binding cannot change).
 * Return: true if its gmem folios may be huge.
 */
bool kvm_gmem_slot_has_huge_folios(const struct kvm_memory_slot *slot)
{
	struct file *file;

	if (!kvm_slot_has_gmem(slot))
		return false;
	file = READ_ONCE(slot->gmem.file);
	return file && kvm_gmem_is_hugetlb(file_inode(file));
}

/* In-place: are all of [start, start + nr) private? */
static bool kvm_gmem_hugetlb_all_private(struct inode *inode, pgoff_t start,
					 unsigned long nr)
{
	unsigned long i;

	for (i = 0; i < nr; i++)
		if (!kvm_gmem_index_is_private(inode, start + i))
			return false;
	return true;
}

/**
 * kvm_gmem_hugetlb_get_folio() - kvm_gmem_get_folio() of a HugeTLB inode:
 * the locked, referenced folio at @index, a whole huge folio allocated from
 * the file's reservation if the range is empty.
 * @inode: the gmem inode
 * @index: page index
 *
 * With in-place conversion, a huge folio over a range with a shared index
 * is split first (it may have just been allocated after the conversion).
 *
 * Context: the caller's invalidate-lock mode as for kvm_gmem_get_folio();
 * takes the folio lock; may sleep.
 * Return: the folio (whose range holds @index), or ERR_PTR(-ENOMEM) (pool
 * exhausted, or an allocation failed), ERR_PTR(-EIO) (a hole inside a split
 * huge page: nothing can fill it).
 */
struct folio *kvm_gmem_hugetlb_get_folio(struct inode *inode, pgoff_t index)
{
	struct gmem_hugetlb *hg = GMEM_HUGETLB(inode);
	struct address_space *mapping = inode->i_mapping;
	unsigned long nr = 1UL << hg->order;
	pgoff_t start = round_down(index, nr);
	struct folio *folio;
	unsigned long idx;
	int err;

repeat:
	folio = __filemap_get_folio(mapping, index, FGP_LOCK | FGP_ACCESSED,
				    mapping_gfp_mask(mapping));
	if (IS_ERR(folio)) {
		/* Another page of the huge range is there: a split with a hole. */
		idx = start;
		if (xa_find(&mapping->i_pages, &idx, start + nr - 1, XA_PRESENT))
			return ERR_PTR(-EIO);

		sched_point("gmem_hugetlb:alloc");
		folio = alloc_hugetlb_folio(hg->spool);
		if (IS_ERR(folio))
			return folio;
		WARN_ON(!folio_trylock(folio));
		err = filemap_add_folio(mapping, folio, start, mapping_gfp_mask(mapping));
		if (err) {
			folio_unlock(folio);
			folio_put(folio);
			if (err == -EEXIST)
				goto repeat;	/* somebody else added it */
			return ERR_PTR(err);
		}
	}

	if (folio_test_large(folio) && kvm_gmem_is_in_place(inode) &&
	    !kvm_gmem_hugetlb_all_private(inode, folio->index, folio_nr_pages(folio))) {
		sched_point("gmem_hugetlb:split-shared");
		err = hugetlb_split_folio(folio);
		folio_unlock(folio);
		folio_put(folio);
		if (err == -EBUSY)
			sched_spin("gmem_hugetlb:split-busy");
		else if (err)
			return ERR_PTR(err);
		goto repeat;
	}
	return folio;
}

/**
 * kvm_gmem_hugetlb_round() - round an invalidation of [*@start, *@end) out
 * to whole huge folios (a no-op for other inodes).
 * @inode: the gmem inode
 * @start: in/out: first page index
 * @end: in/out: index after the last
 *
 * A fault on any page of a huge folio may map the whole folio, so every
 * invalidation touching a folio must make faults on all of it retry.
 *
 * Context: any.
 */
void kvm_gmem_hugetlb_round(struct inode *inode, pgoff_t *start, pgoff_t *end)
{
	unsigned long nr;

	struct gmem_file *f;

	if (!kvm_gmem_is_hugetlb(inode))
		return;
	/* Bug zoo: the invalidation stays at the converted pages. */
	list_for_each_entry(f, &GMEM_I(inode)->gmem_file_list, entry)
		if (kvm_model_zoo(f->kvm, KVM_ZOO_HUGETLB_SPLIT_NO_ZAP))
			return;
	nr = 1UL << GMEM_HUGETLB(inode)->order;
	*start = round_down(*start, nr);
	if (*end <= ULONG_MAX - nr)
		*end = round_up(*end, nr);
}

/*
 * Zero bytes [from, to) of a huge folio that stays.  The pages go back to
 * the hypervisor first (SNP: the RMP entries; their SPTEs were zapped by
 * the punch's invalidation), so the kernel's write is a host write to a
 * host page; the next private fault prepares them again.
 */
static void kvm_gmem_hugetlb_zero_partial(struct folio *folio, loff_t from, loff_t to,
					  bool zoo_touch_private)
{
	unsigned long first = from >> PAGE_SHIFT, last = (to - 1) >> PAGE_SHIFT;

	if (!folio_test_uptodate(folio))
		return;		/* never initialised: reads as zero anyway */
	/*
	 * Bug zoo (B-21): truncation zeroes the pages while the guest still
	 * owns them, as generic truncate did before AS_INACCESSIBLE.
	 */
	if (!zoo_touch_private)
		kvm_arch_gmem_invalidate(folio_pfn(folio) + first,
					 folio_pfn(folio) + last + 1);
	sched_point("gmem_hugetlb:zero-partial");
	folio_zero_range(folio, from, to - from);
}

/**
 * kvm_gmem_hugetlb_truncate() - the truncation step of a punch hole on a
 * HugeTLB inode: whole huge folios in [@offset, @offset + @len) go; parts
 * of a huge folio are zeroed and it stays.  Order-0 folios of a split huge
 * page are zeroed too unless the whole huge range goes.
 * @inode: the gmem inode
 * @offset: byte offset (page aligned)
 * @len: bytes (page aligned)
 *
 * Context: the invalidate lock held exclusively, inside the punch's
 * invalidation; takes folio locks.
 */
void kvm_gmem_hugetlb_truncate(struct inode *inode, loff_t offset, loff_t len)
{
	struct address_space *mapping = inode->i_mapping;
	loff_t hsize = PAGE_SIZE << GMEM_HUGETLB(inode)->order;
	loff_t hstart = round_up(offset, hsize);
	loff_t hend = round_down(offset + len, hsize);
	struct folio_batch fbatch;
	bool zoo_touch_private = false;
	struct gmem_file *f;
	pgoff_t index;
	unsigned int i;

	list_for_each_entry(f, &GMEM_I(inode)->gmem_file_list, entry)
		zoo_touch_private |= kvm_model_zoo(f->kvm, KVM_ZOO_B21_TRUNCATE_PRIVATE);

	/* Whole huge ranges (split or not) go the normal way. */
	if (hstart < hend)
		truncate_inode_pages_range(mapping, hstart, hend - 1);

	/* The rest is a head and/or a tail part of one huge range each. */
	index = offset >> PAGE_SHIFT;
	folio_batch_init(&fbatch);
	while (filemap_get_folios(mapping, &index, ((offset + len) >> PAGE_SHIFT) - 1,
				  &fbatch)) {
		for (i = 0; i < folio_batch_count(&fbatch); i++) {
			struct folio *folio = fbatch.folios[i];
			loff_t fstart, fend;

			folio_lock(folio);
			fstart = folio_pos(folio);
			fend = fstart + folio_size(folio);
			if (folio->mapping == mapping && (fstart < hstart || fstart >= hend))
				kvm_gmem_hugetlb_zero_partial(folio, max(offset, fstart) - fstart,
							      min(offset + len, fend) - fstart,
							      zoo_touch_private);
			folio_unlock(folio);
		}
		folio_batch_release(&fbatch);
		if (!index)
			break;
	}
}

/**
 * kvm_gmem_hugetlb_on_convert() - split / merge around an in-place
 * conversion of [@start, @end) (gmem_inplace.c calls it).
 * @inode: the gmem inode
 * @start: first page index converted
 * @end: index after the last
 * @to_private: direction
 *
 * To shared: called after the conversion's invalidation began (every SPTE
 * of the touched huge folios is gone: the range was rounded out to them)
 * and before the arch make-shared step: every huge folio touching the
 * range is split, so the host can map and reference single pages.
 * To private: called after the new attributes are stored, still inside the
 * invalidation: every huge range touching [@start, @end) that is now wholly
 * private and whose pages are all present and unreferenced is merged back;
 * later faults may map it huge again.  A range that cannot be merged stays
 * split (the RFC defers the merge the same way).
 *
 * Context: the invalidate lock held exclusively; takes folio locks; may
 * sleep.
 */
void kvm_gmem_hugetlb_on_convert(struct inode *inode, pgoff_t start, pgoff_t end,
				 bool to_private)
{
	struct gmem_hugetlb *hg;
	struct folio_batch fbatch;
	unsigned long nr;
	pgoff_t index;
	unsigned int i;
	bool zoo_merge = false;
	struct gmem_file *f;

	if (!kvm_gmem_is_hugetlb(inode))
		return;
	hg = GMEM_HUGETLB(inode);
	nr = 1UL << hg->order;
	kvm_gmem_hugetlb_round(inode, &start, &end);

	if (!to_private) {
		index = start;
		folio_batch_init(&fbatch);
		while (filemap_get_folios(inode->i_mapping, &index, end - 1, &fbatch)) {
			for (i = 0; i < folio_batch_count(&fbatch); i++) {
				struct folio *folio = fbatch.folios[i];
				int err;

				if (!folio_test_large(folio))
					continue;
				folio_lock(folio);
				sched_point("gmem_hugetlb:split");
				/* The page cache, the batch and nothing else. */
				err = folio->mapping == inode->i_mapping ?
				      hugetlb_split_folio(folio) : 0;
				folio_unlock(folio);
				WARN(err, "split of gmem huge folio at index %lu failed: %d",
				     (unsigned long)folio->index, err);
			}
			folio_batch_release(&fbatch);
		}
		return;
	}

	/* Bug zoo: merge without asking whether the whole range is private. */
	list_for_each_entry(f, &GMEM_I(inode)->gmem_file_list, entry)
		zoo_merge |= kvm_model_zoo(f->kvm, KVM_ZOO_HUGETLB_MERGE_SHARED);

	for (index = start; index < end; index += nr) {
		if (!zoo_merge && !kvm_gmem_hugetlb_all_private(inode, index, nr))
			continue;
		sched_point("gmem_hugetlb:merge");
		hugetlb_merge_folio(inode->i_mapping, index, hg->order);
	}
}

/**
 * kvm_gmem_clear_folio() - initialise a folio never used before: every
 * page of it is cleared, then it is uptodate.
 * @folio: locked gmem folio
 *
 * Context: folio lock held.
 */
void kvm_gmem_clear_folio(struct folio *folio)
{
	unsigned long i;

	for (i = 0; i < folio_nr_pages(folio); i++)
		clear_highpage(folio_page(folio, i));
	folio_mark_uptodate(folio);
}

/**
 * kvm_gmem_prepare_folio() - the arch prepare step for the whole folio
 * holding @index: gfn and pfn rounded down to the folio, its order.
 * @kvm: the VM
 * @slot: the gmem slot of the fault
 * @gfn: the faulting gfn
 * @index: its file index
 * @folio: locked folio holding @index
 *
 * Context: folio lock held; may block.
 * Return: 0 or the arch's negative errno.
 */
int kvm_gmem_prepare_folio(struct kvm *kvm, struct kvm_memory_slot *slot, gfn_t gfn,
			   pgoff_t index, struct folio *folio)
{
	gfn_t base = gfn - (index - folio->index);

	return kvm_arch_gmem_prepare(kvm, base, folio_pfn(folio), folio_order(folio));
}

/**
 * kvm_gmem_hugetlb_check_invariants() - the "hugetlb" checker of one VM:
 * in every slot bound to an in-place HugeTLB file, a huge folio (not
 * split) backs only private gfns (a shared page needs its own folio, so
 * the host can map and reference it alone).
 * @kvm: the VM
 * @report: called per violation with ("hugetlb", message)
 * @ctx: passed to @report
 *
 * Context: quiescent point; takes kvm->srcu.
 * Return: the number of violations.
 */
int kvm_gmem_hugetlb_check_invariants(struct kvm *kvm,
				      void (*report)(void *ctx, const char *checker,
						     const char *msg),
				      void *ctx)
{
	struct kvm_memory_slot *slot;
	int bkt, idx, bad = 0;
	char msg[192];

	idx = srcu_read_lock(&kvm->srcu);
	kvm_for_each_memslot(slot, bkt, kvm_memslots(kvm)) {
		struct file *file = READ_ONCE(slot->gmem.file);
		struct inode *inode;
		unsigned long index, last;
		struct folio *folio;

		if (!kvm_slot_has_gmem(slot) || !file)
			continue;
		inode = file_inode(file);
		if (!kvm_gmem_is_hugetlb(inode) || !kvm_gmem_is_in_place(inode))
			continue;
		last = slot->gmem.pgoff + slot->npages - 1;
		xa_for_each_range(&inode->i_mapping->i_pages, index, folio,
				  slot->gmem.pgoff, last) {
			unsigned long i;

			if (xa_is_value(folio) || !folio_test_large(folio) ||
			    index != folio->index)
				continue;
			for (i = 0; i < folio_nr_pages(folio); i++) {
				if (folio->index + i < slot->gmem.pgoff || folio->index + i > last ||
				    kvm_gmem_index_is_private(inode, folio->index + i))
					continue;
				snprintf(msg, sizeof(msg),
					 "vm%d: order-%u HugeTLB folio at index %lu is not split but index %lu is shared",
					 kvm->sim_id, folio_order(folio),
					 (unsigned long)folio->index,
					 (unsigned long)(folio->index + i));
				report(ctx, "hugetlb", msg);
				bad++;
				break;
			}
		}
	}
	srcu_read_unlock(&kvm->srcu, idx);
	return bad;
}
