// SPDX-License-Identifier: GPL-2.0
/*
 * Models the proposed in-place shared<->private conversion of guest_memfd
 * (spec §6.3: Ackerley Tng / Sean Christopherson, non-RFC v6..v15, 2026,
 * "CONV-v6+" in spec §0).  Not merged; selected per file by the model-only
 * creation flag GUEST_MEMFD_FLAG_IN_PLACE (upstream: the module parameter
 * gmem_in_place_conversion), so mainline files behave as before.
 *
 *  - State: per-index shareability in the inode (struct gmem_inplace),
 *    default PRIVATE, SHARED with INIT_SHARED.  Such slots take their
 *    privateness from the inode, not from kvm->mem_attr_array.
 *  - KVM_SET_MEMORY_ATTRIBUTES2 on the gmem fd: checks in the proposal's
 *    order; to-private unmaps host PTEs and refuses with -EAGAIN and
 *    error_offset while any folio still has an extra reference (a mapping
 *    that could not be unmapped, a GUP pin); to-shared calls the arch
 *    make-shared step.  Contents stay in place (same folio).
 *  - Locking (spec §7.1): conversion holds the invalidate lock exclusively
 *    and takes each VM's mmu_lock inside it; host faults and
 *    kvm_gmem_get_pfn() hold it shared (user faults under mmap_lock:
 *    mmap_lock -> invalidate_lock is the only allowed order).
 *
 * pKVM-like exclusive ownership (seed 002), per file with the model-only
 * flag GUEST_MEMFD_FLAG_EXCLUSIVE on top of IN_PLACE: the guest's
 * conversion to private ("unshare") takes the pages exclusively.  It does
 * not unmap the host; a page the host still maps or pins refuses the whole
 * conversion (-EAGAIN, error_offset at it), checked under the invalidate
 * lock held exclusively, which host faults and pins take shared: the check
 * and the ownership change are one step for them.  Once private, the host
 * can neither map nor pin the page (its faults SIGBUS, as for every
 * in-place file).  Not modelled: pins counted apart from other references
 * (the kernel's GUP_PIN_COUNTING_BIAS; here every extra reference counts),
 * the hypervisor's stage-2 ownership table, guest-issued hypercalls (the
 * model converts through KVM_SET_MEMORY_ATTRIBUTES2 like userspace would
 * on the guest's behalf).
 *
 * The per-VM attribute queries (kvm_get_memory_attributes() and the range
 * variant) route here when a VM has an in-place slot.
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

/* ---- the per-index state ------------------------------------------------ */

/* Does every index of [start, end) of @xa hold @want under @mask (absent = 0)? */
static bool kvm_gmem_xa_range_is(struct xarray *xa, unsigned long start,
				 unsigned long end, unsigned long mask,
				 unsigned long want)
{
	unsigned long index = start;

	while (index < end) {
		unsigned long idx = index, size, base, last;
		void *entry;

		entry = xa_find(xa, &idx, end - 1, XA_PRESENT);
		if (!entry)
			return want == 0;
		size = 1UL << xa_get_order(xa, idx);
		base = idx & ~(size - 1);
		/* Indices before the entry are absent, i.e. 0. */
		if (base > index && want)
			return false;
		if (((xa_is_value(entry) ? xa_to_value(entry) : 0) & mask) != want)
			return false;
		last = base + size - 1;
		if (last >= end - 1)
			break;
		index = last + 1;
	}
	return true;
}

/*
 * Store @attrs over [start, end).  A store into an aligned multi-index entry
 * replaces that entry as a whole (as the kernel's xarray does), so an old
 * entry sticking out of the range is erased first and its outside parts are
 * stored again, all under one xa_lock hold: a lockless reader (which runs
 * only between scheduling points) never sees an index outside the range
 * change.
 * Context: the invalidate lock held exclusively; takes xa_lock.
 */
static void kvm_gmem_store_attributes(struct gmem_inplace *ip, pgoff_t start,
				      pgoff_t end, unsigned long attrs)
{
	const gfp_t gfp = GFP_ATOMIC | __GFP_NOFAIL;
	struct xarray *xa = &ip->attributes;
	struct { unsigned long first, last; void *v; } keep[4];
	unsigned long ends[2] = { start, end - 1 }, erase[2];
	int nkeep = 0, nerase = 0, i;

	for (i = 0; i < 2; i++) {
		void *e = xa_load(xa, ends[i]);
		unsigned long size, base;

		if (!e)
			continue;
		size = 1UL << xa_get_order(xa, ends[i]);
		base = ends[i] & ~(size - 1);
		if (base >= start && base + size - 1 < end)
			continue;
		if (nerase && erase[0] == base)
			continue;
		erase[nerase++] = base;
		if (base < start)
			keep[nkeep++] = (typeof(keep[0])){ base, start - 1, e };
		if (base + size - 1 >= end)
			keep[nkeep++] = (typeof(keep[0])){ end, base + size - 1, e };
	}

	xa_lock(xa);
	for (i = 0; i < nerase; i++)
		__xa_erase(xa, erase[i]);
	WARN_ON(xa_err(__xa_store_range(xa, start, end - 1, xa_mk_value(attrs), gfp)));
	for (i = 0; i < nkeep; i++)
		WARN_ON(xa_err(__xa_store_range(xa, keep[i].first, keep[i].last,
						keep[i].v, gfp)));
	xa_unlock(xa);
}

/**
 * kvm_gmem_inplace_init() - per-index state of a new inode, if @flags ask
 * for the in-place design.
 * @gi: the new gmem inode
 * @size: i_size in bytes (page aligned, > 0)
 * @flags: creation flags
 *
 * Context: may sleep.
 * Return: 0 (also for mainline files: gi->inplace stays NULL) or -ENOMEM.
 */
int kvm_gmem_inplace_init(struct gmem_inode *gi, loff_t size, u64 flags)
{
	unsigned long attrs = (flags & GUEST_MEMFD_FLAG_INIT_SHARED) ?
			      0 : KVM_MEMORY_ATTRIBUTE_PRIVATE;
	struct gmem_inplace *ip;

	if (!(flags & GUEST_MEMFD_FLAG_IN_PLACE))
		return 0;

	ip = kzalloc(sizeof(*ip), GFP_KERNEL);
	if (!ip)
		return -ENOMEM;
	ip->exclusive = flags & GUEST_MEMFD_FLAG_EXCLUSIVE;
	xa_init(&ip->attributes);
	/* Every index present, as in the proposal's maple tree. */
	if (xa_err(xa_store_range(&ip->attributes, 0, (size >> PAGE_SHIFT) - 1,
				  xa_mk_value(attrs), GFP_KERNEL))) {
		xa_destroy(&ip->attributes);
		kfree(ip);
		return -ENOMEM;
	}
	gi->inplace = ip;
	return 0;
}

/**
 * kvm_gmem_inplace_destroy() - free the per-index state (inode eviction).
 * @gi: the gmem inode
 *
 * Context: nobody else can reach @gi.
 */
void kvm_gmem_inplace_destroy(struct gmem_inode *gi)
{
	struct gmem_inplace *ip = gi->inplace;

	if (!ip)
		return;
	gi->inplace = NULL;
	xa_destroy(&ip->attributes);
	kfree(ip);
}

/**
 * kvm_gmem_index_is_private() - is file page @index PRIVATE?
 * @inode: an in-place gmem inode
 * @index: page index below i_size
 *
 * Context: the invalidate lock held (any mode), or a lockless reader whose
 * result the mmu_invalidate protocol re-checks.
 * Return: true for PRIVATE.
 */
bool kvm_gmem_index_is_private(struct inode *inode, pgoff_t index)
{
	struct gmem_inplace *ip = GMEM_I(inode)->inplace;

	return xa_to_value(xa_load(&ip->attributes, index)) &
	       KVM_MEMORY_ATTRIBUTE_PRIVATE;
}

/**
 * kvm_gmem_inplace_flags() - creation flags allowed together with
 * GUEST_MEMFD_FLAG_IN_PLACE on @kvm.
 * @kvm: the VM, or NULL
 *
 * With per-index state INIT_SHARED is meaningful for every VM type (the
 * proposal lifts the x86 "no private memory" rule for it).  EXCLUSIVE
 * (pKVM-like ownership) is only valid here, i.e. with IN_PLACE.
 *
 * Context: any.
 * Return: a GUEST_MEMFD_FLAG_* mask.
 */
u64 kvm_gmem_inplace_flags(struct kvm *kvm)
{
	return GUEST_MEMFD_FLAG_IN_PLACE | GUEST_MEMFD_FLAG_MMAP |
	       GUEST_MEMFD_FLAG_INIT_SHARED | GUEST_MEMFD_FLAG_EXCLUSIVE;
}

/* ---- KVM's attribute queries for in-place slots ------------------------- */

/* [start, end) of @slot (gfns inside it) against @slot's inode; -1: no file. */
static int kvm_gmem_slot_range_is(struct kvm_memory_slot *slot, gfn_t start,
				  gfn_t end, unsigned long mask, unsigned long want)
{
	struct file *file = kvm_gmem_get_file(slot);
	struct gmem_inplace *ip;
	bool ret;

	if (!file)
		return -1;
	ip = GMEM_I(file_inode(file))->inplace;
	ret = kvm_gmem_xa_range_is(&ip->attributes, kvm_gmem_get_index(slot, start),
				   kvm_gmem_get_index(slot, start) + (end - start),
				   mask, want);
	fput(file);
	return ret;
}

/**
 * kvm_gmem_get_memory_attributes() - kvm_get_memory_attributes() of a VM
 * with in-place slots: such a slot answers from its inode, anything else
 * from kvm->mem_attr_array.
 * @kvm: the VM
 * @gfn: guest frame
 *
 * A slot whose file is gone reads as shared: its mappings were zapped by
 * the release and faults on it exit with -EFAULT.
 *
 * Context: kvm->srcu or slots_lock (memslot lookup); lockless otherwise.
 * Return: the attribute mask.
 */
unsigned long kvm_gmem_get_memory_attributes(struct kvm *kvm, gfn_t gfn)
{
	struct kvm_memory_slot *slot;
	unsigned long attrs;
	int idx, r;

	/* Nests inside slots_lock and mmu_lock: a read side never blocks. */
	idx = srcu_read_lock(&kvm->srcu);
	slot = gfn_to_memslot(kvm, gfn);
	if (!slot || !(slot->flags & KVM_MEMSLOT_GMEM_IN_PLACE)) {
		attrs = xa_to_value(xa_load(&kvm->mem_attr_array, gfn));
	} else {
		r = kvm_gmem_slot_range_is(slot, gfn, gfn + 1, ~0UL,
					   KVM_MEMORY_ATTRIBUTE_PRIVATE);
		attrs = r > 0 ? KVM_MEMORY_ATTRIBUTE_PRIVATE : 0;
	}
	srcu_read_unlock(&kvm->srcu, idx);
	return attrs;
}

/*
 * kvm_gmem_range_has_memory_attributes() - kvm_range_has_memory_attributes()
 * of a VM with in-place slots (the walk; the exported wrapper below takes
 * kvm->srcu).
 * @kvm: the VM
 * @start: first gfn
 * @end: gfn after the last
 * @mask: compared bits (already clipped to the supported ones)
 * @attrs: expected value
 *
 * Walks [start, end) slot by slot: in-place slots against their inode,
 * the gaps between them against kvm->mem_attr_array.
 *
 * Context: kvm->srcu or slots_lock; lockless otherwise.
 * Return: true if every gfn has @attrs under @mask.
 */
static bool __kvm_gmem_range_has_memory_attributes(struct kvm *kvm, gfn_t start,
						   gfn_t end, unsigned long mask,
						   unsigned long attrs)
{
	struct kvm_memslots *slots = kvm_memslots(kvm);
	gfn_t gfn = start;

	while (gfn < end) {
		struct kvm_memory_slot *slot, *next = NULL;
		gfn_t seg_end;
		int bkt, r;

		kvm_for_each_memslot_in_gfn_range(slot, bkt, slots, gfn, end) {
			if (slot->flags & KVM_MEMSLOT_GMEM_IN_PLACE) {
				next = slot;
				break;
			}
		}

		seg_end = next ? max(next->base_gfn, gfn) : end;
		if (gfn < seg_end &&
		    !kvm_gmem_xa_range_is(&kvm->mem_attr_array, gfn, seg_end, mask, attrs))
			return false;
		if (!next)
			break;

		gfn = seg_end;
		seg_end = min(end, next->base_gfn + next->npages);
		r = kvm_gmem_slot_range_is(next, gfn, seg_end, mask, attrs);
		if (r < 0 ? attrs != 0 : !r)
			return false;
		gfn = seg_end;
	}
	return true;
}

/**
 * kvm_gmem_range_has_memory_attributes() - see the walk above.
 * @kvm: the VM
 * @start: first gfn
 * @end: gfn after the last
 * @mask: compared bits
 * @attrs: expected value
 *
 * Context: any; takes kvm->srcu (read side) for the memslot walk.
 * Return: true if every gfn of [@start, @end) has @attrs under @mask.
 */
bool kvm_gmem_range_has_memory_attributes(struct kvm *kvm, gfn_t start, gfn_t end,
					  unsigned long mask, unsigned long attrs)
{
	int idx = srcu_read_lock(&kvm->srcu);
	bool ret = __kvm_gmem_range_has_memory_attributes(kvm, start, end, mask, attrs);

	srcu_read_unlock(&kvm->srcu, idx);
	return ret;
}

/* ---- conversion ----------------------------------------------------------- */

/*
 * Every folio of [start, end) must hold only the page cache's references
 * plus the one filemap_get_folios() took: no host mapping left, no pin.
 * (Exclusive files keep host mappings up to here: a mapped folio is named
 * explicitly, whatever references its mappings hold.)
 * Context: the invalidate lock held exclusively (no new mapping can appear).
 */
static bool kvm_gmem_is_safe_for_conversion(struct inode *inode, pgoff_t start,
					    pgoff_t end, pgoff_t *err_index)
{
	struct folio_batch fbatch;
	pgoff_t index = start;
	bool safe = true;
	unsigned int i;

	folio_batch_init(&fbatch);
	while (safe && filemap_get_folios(inode->i_mapping, &index, end - 1, &fbatch)) {
		for (i = 0; i < folio_batch_count(&fbatch); i++) {
			struct folio *folio = fbatch.folios[i];

			if (folio_mapped(folio) ||
			    folio_ref_count(folio) != (int)folio_nr_pages(folio) + 1) {
				*err_index = max(folio->index, start);
				safe = false;
				break;
			}
		}
		folio_batch_release(&fbatch);
	}
	return safe;
}

/*
 * The arch make-shared step (kvm_arch_gmem_make_shared() in the proposal):
 * SNP flips the RMP entries of the range back to hypervisor-owned, which is
 * exactly what x86's kvm_arch_gmem_invalidate() does for freed folios, so
 * the model calls that for every folio present.  A later private fault
 * prepares the page again (every time since 7.1, B-22).
 * Context: the invalidate lock held exclusively.
 */
static void kvm_gmem_make_shared(struct inode *inode, pgoff_t start, pgoff_t end)
{
	struct folio_batch fbatch;
	pgoff_t index = start;
	unsigned int i;

	folio_batch_init(&fbatch);
	while (filemap_get_folios(inode->i_mapping, &index, end - 1, &fbatch)) {
		for (i = 0; i < folio_batch_count(&fbatch); i++) {
			struct folio *folio = fbatch.folios[i];

			kvm_arch_gmem_invalidate(folio_pfn(folio),
						 folio_pfn(folio) + folio_nr_pages(folio));
		}
		folio_batch_release(&fbatch);
	}
}

static bool kvm_gmem_zoo(struct inode *inode, unsigned long defect)
{
	struct gmem_file *f;

	list_for_each_entry(f, &GMEM_I(inode)->gmem_file_list, entry)
		if (kvm_model_zoo(f->kvm, defect))
			return true;
	return false;
}

/*
 * Convert [start, end) of @inode to @attrs.
 * Context: takes the invalidate lock exclusively, then each VM's mmu_lock
 * (through the invalidation); may sleep.
 * Return: 0, or -EAGAIN with *@err_index the first index still referenced.
 */
static int kvm_gmem_convert(struct inode *inode, pgoff_t start, pgoff_t end,
			    unsigned long attrs, pgoff_t *err_index)
{
	struct address_space *mapping = inode->i_mapping;
	struct gmem_inplace *ip = GMEM_I(inode)->inplace;
	bool to_private = attrs & KVM_MEMORY_ATTRIBUTE_PRIVATE;
	int r = 0;

	filemap_invalidate_lock(mapping);

	if (kvm_gmem_xa_range_is(&ip->attributes, start, end, ~0UL, attrs))
		goto out_unlock;

	if (to_private) {
		/*
		 * Host PTEs go first; what still holds a reference refuses.
		 * Exclusive (pKVM-like): the host must give up its mappings
		 * itself, a mapped page refuses like a pinned one.
		 */
		if (!ip->exclusive) {
			sched_point("convert:unmap");
			unmap_mapping_pages(mapping, start, end - start, false);
		}
		sched_point("convert:refcount");
		/* Bug zoo: no refcount check, a pinned page turns private. */
		if (!kvm_gmem_zoo(inode, KVM_ZOO_CONVERT_NO_REFCOUNT) &&
		    !kvm_gmem_is_safe_for_conversion(inode, start, end, err_index)) {
			r = -EAGAIN;
			goto out_unlock;
		}
		kvm_gmem_invalidate_begin_filter(inode, start, end, KVM_FILTER_SHARED);
	} else {
		kvm_gmem_invalidate_begin_filter(inode, start, end, KVM_FILTER_PRIVATE);
		/* HugeTLB: the huge SPTEs are gone, split before sharing (§6.4). */
		kvm_gmem_hugetlb_on_convert(inode, start, end, false);
		sched_point("convert:make-shared");
		kvm_gmem_make_shared(inode, start, end);
	}

	sched_point("convert:store");
	kvm_gmem_store_attributes(ip, start, end, attrs);
	/* HugeTLB: a wholly private huge range is merged back (§6.4). */
	if (to_private)
		kvm_gmem_hugetlb_on_convert(inode, start, end, true);

	sched_point("convert:invalidate-end");
	kvm_gmem_invalidate_end(inode, start, end);

out_unlock:
	filemap_invalidate_unlock(mapping);
	return r;
}

/**
 * kvm_gmem_ioctl_set_memory_attributes2() - KVM_SET_MEMORY_ATTRIBUTES2 on a
 * guest_memfd, after the copy-in; checks in the proposal's order.
 * @file: a guest_memfd
 * @attrs: offset, size, attributes, flags, reserved; error_offset is
 *	written on -EAGAIN
 *
 * Context: takes the invalidate lock (see kvm_gmem_convert()); may sleep.
 * Return: 0; -ENOTTY for a file without per-index state (the VM attribute
 * store is in use); -EINVAL for bad flags/reserved/attributes/range or a
 * VM without private memory; -EAGAIN with error_offset when a page in the
 * range is still referenced by the host.
 */
int kvm_gmem_ioctl_set_memory_attributes2(struct file *file,
					  struct kvm_memory_attributes2 *attrs)
{
	struct inode *inode = file_inode(file);
	struct gmem_file *f = file->private_data;
	pgoff_t start, end, err_index = 0;
	size_t i;
	int r;

	if (!kvm_gmem_is_in_place(inode))
		return -ENOTTY;

	if (attrs->flags)
		return -EINVAL;
	for (i = 0; i < ARRAY_SIZE(attrs->reserved); i++)
		if (attrs->reserved[i])
			return -EINVAL;
	if (!kvm_arch_has_private_mem(f->kvm))
		return -EINVAL;
	if (attrs->attributes & ~kvm_supported_mem_attributes(f->kvm))
		return -EINVAL;
	if (!attrs->size || attrs->offset + attrs->size < attrs->offset)
		return -EINVAL;
	if (!PAGE_ALIGNED(attrs->offset) || !PAGE_ALIGNED(attrs->size))
		return -EINVAL;
	if (attrs->offset + attrs->size > (u64)i_size_read(inode))
		return -EINVAL;

	start = attrs->offset >> PAGE_SHIFT;
	end = (attrs->offset + attrs->size) >> PAGE_SHIFT;

	r = kvm_gmem_convert(inode, start, end, attrs->attributes, &err_index);
	if (r == -EAGAIN)
		attrs->error_offset = (u64)err_index << PAGE_SHIFT;
	return r;
}

/* ---- checker ---------------------------------------------------------------- */

/**
 * kvm_gmem_check_invariants() - the host holds nothing private: at a
 * quiescent point no PRIVATE index of an in-place slot of @kvm is mapped
 * into a host page table or carries a reference beyond the page cache's
 * (a GUP pin that survived a conversion).
 * @kvm: the VM
 * @report: called per violation with checker "inplace"
 * @ctx: passed to @report
 *
 * Context: quiescent (no model thread running); slots are stable.
 * Return: the number of violations.
 */
int kvm_gmem_check_invariants(struct kvm *kvm,
			      void (*report)(void *ctx, const char *checker,
					     const char *msg),
			      void *ctx)
{
	struct kvm_memslots *slots;
	struct kvm_memory_slot *slot;
	int bkt, idx, n = 0;

	if (!READ_ONCE(kvm->gmem_in_place))
		return 0;

	idx = srcu_read_lock(&kvm->srcu);
	slots = kvm_memslots(kvm);
	kvm_for_each_memslot(slot, bkt, slots) {
		struct folio_batch fbatch;
		struct file *file;
		struct inode *inode;
		pgoff_t index, end;
		unsigned int i;

		if (!(slot->flags & KVM_MEMSLOT_GMEM_IN_PLACE))
			continue;
		file = kvm_gmem_get_file(slot);
		if (!file)
			continue;
		inode = file_inode(file);
		index = slot->gmem.pgoff;
		end = index + slot->npages;

		folio_batch_init(&fbatch);
		while (filemap_get_folios(inode->i_mapping, &index, end - 1, &fbatch)) {
			for (i = 0; i < folio_batch_count(&fbatch); i++) {
				struct folio *folio = fbatch.folios[i];
				char msg[160];

				if (!kvm_gmem_index_is_private(inode, folio->index))
					continue;
				if (!folio_mapped(folio) &&
				    folio_ref_count(folio) == (int)folio_nr_pages(folio) + 1)
					continue;
				snprintf(msg, sizeof(msg),
					 "vm%d slot %d: private index %lu is %s by the host (refcount %d)",
					 kvm->sim_id, slot->id, folio->index,
					 folio_mapped(folio) ? "mapped" : "referenced",
					 folio_ref_count(folio) - 1);
				report(ctx, "inplace", msg);
				n++;
			}
			folio_batch_release(&fbatch);
		}
		fput(file);
	}
	srcu_read_unlock(&kvm->srcu, idx);
	return n;
}
