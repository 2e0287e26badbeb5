// SPDX-License-Identifier: GPL-2.0
/*
 * Models the memslot / memory-attribute parts of arch/x86/kvm/mmu/mmu.c
 * (X86-new, CriticalShift/linux-ubuntu-resolute @584f561e, 6.18+) and of
 * arch/x86/kvm/x86.c's kvm_alloc_memslot_metadata(): lpage_info per slot
 * and level with the KVM_LPAGE_MIXED_FLAG bookkeeping (spec §3.5), the
 * attribute-change hooks (§3.6, bounds as fixed by B-01), the maximum
 * mapping level, kvm_unmap_gfn_range() and the shadow flushes (§3.7).
 *
 * The fault path is in page_fault.c, the SPTE store in tdp_mmu.c.
 */
#include <linux/kvm_host.h>
#include <linux/slab.h>
#include <string.h>

#include "mmu_internal.h"

/**
 * lpage_info_slot() - the lpage_info entry of the @level frame holding @gfn
 * @gfn: a gfn inside @slot
 * @slot: the memslot
 * @level: PG_LEVEL_2M or PG_LEVEL_1G
 *
 * An index past the array is the B-01 overflow: report it, and clamp so the
 * simulation can go on to show its consequences.
 *
 * Context: any; the slot's metadata must be live (slots_lock or SRCU).
 * Return: the entry.
 */
struct kvm_lpage_info *lpage_info_slot(gfn_t gfn, const struct kvm_memory_slot *slot,
				       int level)
{
	unsigned long idx = gfn_to_index(gfn, slot->base_gfn, level);
	unsigned long nr = slot->arch.lpage_nr[level - 2];

	if (WARN(gfn < slot->base_gfn || idx >= nr,
		 "lpage_info out of bounds: gfn 0x%llx level %d idx %lu of %lu (slot base 0x%llx npages %lu)",
		 (unsigned long long)gfn, level, idx, nr,
		 (unsigned long long)slot->base_gfn, slot->npages))
		idx = gfn < slot->base_gfn ? 0 : nr - 1;
	return &slot->arch.lpage_info[level - 2][idx];
}

/**
 * kvm_mmu_alloc_memslot_lpage_info() - allocate and seed lpage_info of a new slot
 * @kvm: the VM
 * @slot: the slot being created or moved (base_gfn, npages, userspace_addr set)
 *
 * Frames the slot covers only partly (head/tail) are disallowed for good;
 * when the gfn and the HVA are misaligned to each other at a level, every
 * frame of that level is.  Then the MIXED flags are set from the current
 * attributes (kvm_mmu_init_memslot_memory_attributes()).
 *
 * Context: slots_lock held; may allocate (GFP_KERNEL_ACCOUNT).
 * Return: 0 or -ENOMEM (nothing left allocated).
 */
int kvm_mmu_alloc_memslot_lpage_info(struct kvm *kvm, struct kvm_memory_slot *slot)
{
	unsigned long npages = slot->npages;
	int i;

	memset(&slot->arch, 0, sizeof(slot->arch));

	for (i = 1; i < KVM_NR_PAGE_SIZES; ++i) {
		int level = i + 1;
		unsigned long lpages = gfn_to_index(slot->base_gfn + npages - 1,
						    slot->base_gfn, level) + 1;
		unsigned long mask = KVM_PAGES_PER_HPAGE(level) - 1;
		struct kvm_lpage_info *linfo;
		unsigned long j;

		linfo = kvcalloc(lpages, sizeof(*linfo), GFP_KERNEL_ACCOUNT);
		if (!linfo)
			goto out_free;
		slot->arch.lpage_info[i - 1] = linfo;
		slot->arch.lpage_nr[i - 1] = lpages;

		if (slot->base_gfn & mask)
			linfo[0].disallow_lpage = 1;
		if ((slot->base_gfn + npages) & mask)
			linfo[lpages - 1].disallow_lpage = 1;
		/*
		 * A huge guest frame must be a huge host frame too; for a
		 * HugeTLB gmem binding (spec §6.4) also one huge folio, which
		 * needs gfn and file offset congruent at the level.
		 */
		if (((slot->base_gfn ^ (slot->userspace_addr >> PAGE_SHIFT)) & mask) ||
		    (kvm_gmem_slot_has_huge_folios(slot) &&
		     ((slot->base_gfn ^ slot->gmem.pgoff) & mask))) {
			for (j = 0; j < lpages; ++j)
				linfo[j].disallow_lpage = 1;
		}
	}

	kvm_mmu_init_memslot_memory_attributes(kvm, slot);
	return 0;

out_free:
	kvm_mmu_free_memslot_lpage_info(slot);
	return -ENOMEM;
}

/**
 * kvm_mmu_free_memslot_lpage_info() - free what kvm_mmu_alloc_memslot_lpage_info() made
 * @slot: the slot
 *
 * Context: slots_lock held, slot unreachable by faults; may not block.
 */
void kvm_mmu_free_memslot_lpage_info(struct kvm_memory_slot *slot)
{
	int i;

	for (i = 0; i < KVM_NR_PAGE_SIZES - 1; i++) {
		kvfree(slot->arch.lpage_info[i]);
		slot->arch.lpage_info[i] = NULL;
		slot->arch.lpage_nr[i] = 0;
	}
}

static bool hugepage_test_mixed(struct kvm_memory_slot *slot, gfn_t gfn, int level)
{
	return lpage_info_slot(gfn, slot, level)->disallow_lpage & KVM_LPAGE_MIXED_FLAG;
}

static void hugepage_clear_mixed(struct kvm_memory_slot *slot, gfn_t gfn, int level)
{
	lpage_info_slot(gfn, slot, level)->disallow_lpage &= ~KVM_LPAGE_MIXED_FLAG;
}

static void hugepage_set_mixed(struct kvm_memory_slot *slot, gfn_t gfn, int level)
{
	lpage_info_slot(gfn, slot, level)->disallow_lpage |= KVM_LPAGE_MIXED_FLAG;
}

/*
 * Do all gfns of the @level frame at @gfn have exactly @attrs?  For 1G the
 * 2M results are reused: a 2M sub-frame that is not MIXED is uniform, so its
 * first gfn speaks for it.  The caller guarantees the frame lies inside the
 * slot (B-01: the 2M array has no entries beyond the slot).
 */
static bool hugepage_has_attrs(struct kvm *kvm, struct kvm_memory_slot *slot, gfn_t gfn,
			       int level, unsigned long attrs)
{
	const gfn_t start = gfn;
	const gfn_t end = start + KVM_PAGES_PER_HPAGE(level);

	if (level == PG_LEVEL_2M)
		return kvm_range_has_memory_attributes(kvm, start, end, ~0UL, attrs);

	for (gfn = start; gfn < end; gfn += KVM_PAGES_PER_HPAGE(level - 1)) {
		if (hugepage_test_mixed(slot, gfn, level - 1) ||
		    attrs != kvm_get_memory_attributes(kvm, gfn))
			return false;
	}
	return true;
}

static void hugepage_update_mixed(struct kvm *kvm, struct kvm_memory_slot *slot, gfn_t gfn,
				  int level, unsigned long attrs)
{
	if (hugepage_has_attrs(kvm, slot, gfn, level, attrs))
		hugepage_clear_mixed(slot, gfn, level);
	else
		hugepage_set_mixed(slot, gfn, level);
}

/**
 * kvm_mmu_init_memslot_memory_attributes() - MIXED flags of a new slot
 * @kvm: the VM
 * @slot: the new slot, lpage_info allocated
 *
 * Every frame fully inside the slot is checked on its own (there is no
 * "range just set" to lean on); 2M before 1G because 1G reuses 2M results.
 *
 * Context: slots_lock held; reads attributes; does not block.
 */
void kvm_mmu_init_memslot_memory_attributes(struct kvm *kvm, struct kvm_memory_slot *slot)
{
	int level;

	if (!kvm_arch_has_private_mem(kvm))
		return;

	for (level = PG_LEVEL_2M; level <= KVM_MAX_HUGEPAGE_LEVEL; level++) {
		gfn_t nr_pages = KVM_PAGES_PER_HPAGE(level);
		gfn_t start = gfn_round_for_level(slot->base_gfn, level);
		gfn_t end = gfn_round_for_level(slot->base_gfn + slot->npages, level);
		gfn_t gfn;

		if (start < slot->base_gfn)
			start += nr_pages;

		for (gfn = start; gfn < end; gfn += nr_pages)
			hugepage_update_mixed(kvm, slot, gfn, level,
					      kvm_get_memory_attributes(kvm, gfn));
	}
}

/**
 * kvm_arch_pre_set_memory_attributes() - x86 part of the attribute pre pass
 * @kvm: the VM
 * @range: the changing range clipped to range->slot; arg.attributes = new value
 *
 * Head and tail frames that straddle the range, lie inside the slot and are
 * not yet MIXED are added to the running invalidation: a fault on one of
 * their unchanged gfns must retry rather than install a huge mapping from
 * the stale MIXED state.  Then the mappings of the old kind are zapped.
 *
 * Context: kvm->mmu_lock held for write, inside an mmu_invalidate; slots_lock held.
 * Return: true if the caller must flush TLBs.
 */
bool kvm_arch_pre_set_memory_attributes(struct kvm *kvm, struct kvm_gfn_range *range)
{
	struct kvm_memory_slot *slot = range->slot;
	gfn_t slot_end = slot->base_gfn + slot->npages;
	int level;

	lockdep_assert_held_write(&kvm->mmu_lock);

	if (WARN_ON_ONCE(!kvm_arch_has_private_mem(kvm)))
		return false;
	if (WARN_ON_ONCE(range->end <= range->start))
		return false;

	for (level = PG_LEVEL_2M; level <= KVM_MAX_HUGEPAGE_LEVEL; level++) {
		gfn_t nr_pages = KVM_PAGES_PER_HPAGE(level);
		gfn_t start = gfn_round_for_level(range->start, level);
		gfn_t end = gfn_round_for_level(range->end - 1, level);

		if (kvm_x86_defect(kvm, KVM_X86_DEFECT_NO_PREHOOK_WIDEN))
			break;

		if ((start != range->start || start + nr_pages > range->end) &&
		    start >= slot->base_gfn && start + nr_pages <= slot_end &&
		    !hugepage_test_mixed(slot, start, level))
			kvm_mmu_invalidate_range_add(kvm, start, start + nr_pages);

		if (end == start)
			continue;

		if (end + nr_pages > range->end && end + nr_pages <= slot_end &&
		    !hugepage_test_mixed(slot, end, level))
			kvm_mmu_invalidate_range_add(kvm, end, end + nr_pages);
	}

	/* Converting to private drops shared mappings, and vice versa. */
	if (range->arg.attributes & KVM_MEMORY_ATTRIBUTE_PRIVATE)
		range->attr_filter = KVM_FILTER_SHARED;
	else
		range->attr_filter = KVM_FILTER_PRIVATE;

	return kvm_unmap_gfn_range(kvm, range);
}

/**
 * kvm_arch_post_set_memory_attributes() - recompute MIXED after a change
 * @kvm: the VM
 * @range: the changed range clipped to range->slot; arg.attributes = new value
 *
 * Per level (2M first): a straddling head frame and a straddling tail frame
 * are re-evaluated only when they lie fully inside the slot (B-01: a frame
 * partly outside is disallowed anyway and its sub-frames have no lpage_info);
 * frames entirely inside the range now hold only the new attributes.
 *
 * Context: kvm->mmu_lock held for write (right after mmu_invalidate_end) and
 * slots_lock held; the attribute xarray is already updated.
 * Return: false (no flush needed).
 */
bool kvm_arch_post_set_memory_attributes(struct kvm *kvm, struct kvm_gfn_range *range)
{
	unsigned long attrs = range->arg.attributes;
	struct kvm_memory_slot *slot = range->slot;
	gfn_t slot_end = slot->base_gfn + slot->npages;
	int level;

	lockdep_assert_held_write(&kvm->mmu_lock);
	lockdep_assert_held(&kvm->slots_lock);

	if (WARN_ON_ONCE(!kvm_arch_has_private_mem(kvm)))
		return false;

	for (level = PG_LEVEL_2M; level <= KVM_MAX_HUGEPAGE_LEVEL; level++) {
		gfn_t nr_pages = KVM_PAGES_PER_HPAGE(level);
		gfn_t gfn = gfn_round_for_level(range->start, level);

		/* Head frame straddling the range. */
		if (gfn != range->start || gfn + nr_pages > range->end) {
			if ((gfn >= slot->base_gfn && gfn + nr_pages <= slot_end) ||
			    kvm_x86_defect(kvm, KVM_X86_DEFECT_B01_LPAGE_OVERFLOW))
				hugepage_update_mixed(kvm, slot, gfn, level, attrs);
			gfn += nr_pages;
		}

		/* Frames the range covers hold only the attributes just set. */
		for (; gfn + nr_pages <= range->end; gfn += nr_pages)
			hugepage_clear_mixed(slot, gfn, level);

		/* Tail frame straddling the range, if inside the slot. */
		if (gfn < range->end && (gfn + nr_pages <= slot_end ||
					 kvm_x86_defect(kvm, KVM_X86_DEFECT_B01_LPAGE_OVERFLOW)))
			hugepage_update_mixed(kvm, slot, gfn, level, attrs);
	}
	return false;
}

/*
 * Vendor limit on a gmem mapping (B-10 as fixed): the fault's max_level
 * (from the gmem folio order) further limited by the vendor hook unless
 * the hook has no opinion (0).
 */
static int kvm_gmem_max_mapping_level(struct kvm *kvm, struct kvm_page_fault *fault,
				      const struct kvm_memory_slot *slot, gfn_t gfn,
				      bool is_private)
{
	int max_level, req_max_level;

	/* Only faults know the gmem order; others (huge page recovery) don't. */
	if (WARN_ON_ONCE(!fault))
		return PG_LEVEL_4K;

	max_level = fault->max_level;
	if (max_level == PG_LEVEL_4K)
		return PG_LEVEL_4K;

	req_max_level = kvm_arch_gmem_max_mapping_level(kvm, fault->pfn, is_private);
	if (req_max_level)
		max_level = min(max_level, req_max_level);
	return max_level;
}

/**
 * kvm_mmu_max_mapping_level() - the largest level @gfn may be mapped at
 * @kvm: the VM
 * @fault: the fault being resolved (NULL for non-fault callers)
 * @slot: @gfn's memslot
 * @gfn: canonical gfn
 *
 * min(lpage level, backing level): the lpage walk steps down while the
 * frame's disallow_lpage (counter or MIXED) is non-zero; the backing level is
 * the gmem one for private or GMEM_ONLY memory, else the host mapping level
 * the GUP step recorded in the fault.
 *
 * Context: kvm->mmu_lock held (read or write).
 * Return: PG_LEVEL_4K..PG_LEVEL_1G.
 */
int kvm_mmu_max_mapping_level(struct kvm *kvm, struct kvm_page_fault *fault,
			      const struct kvm_memory_slot *slot, gfn_t gfn)
{
	int host_level, max_level;
	bool is_private;

	lockdep_assert_held(&kvm->mmu_lock);

	if (fault) {
		max_level = fault->max_level;
		is_private = fault->is_private;
	} else {
		max_level = PG_LEVEL_NUM;
		is_private = kvm_mem_is_private(kvm, gfn);
	}

	max_level = min(max_level, KVM_MAX_HUGEPAGE_LEVEL);
	for (; max_level > PG_LEVEL_4K; max_level--) {
		if (!lpage_info_slot(gfn, slot, max_level)->disallow_lpage)
			break;
	}
	if (max_level == PG_LEVEL_4K)
		return PG_LEVEL_4K;

	if (is_private || kvm_memslot_is_gmem_only(slot))
		host_level = kvm_gmem_max_mapping_level(kvm, fault, slot, gfn, is_private);
	else
		host_level = fault ? fault->host_level : PG_LEVEL_4K;
	return min(host_level, max_level);
}

/**
 * kvm_unmap_gfn_range() - zap the SPTEs of a gfn range
 * @kvm: the VM
 * @range: [start, end) clipped to range->slot, attr_filter selecting roots
 *
 * Context: kvm->mmu_lock held for write (mmu_invalidate users).
 * Return: true if the caller must flush TLBs.
 */
bool kvm_unmap_gfn_range(struct kvm *kvm, struct kvm_gfn_range *range)
{
	/* Without a filter nothing could be selected: a caller bug. */
	if (WARN_ON_ONCE(!range->attr_filter))
		return false;

	kvm_mmu_stat_inc(&kvm->arch.stat.zaps);
	return kvm_tdp_mmu_unmap_gfn_range(kvm, range, false);
}

/**
 * kvm_arch_flush_shadow_memslot() - zap every mapping of a slot going away
 * @kvm: the VM
 * @slot: the slot being deleted or moved (already INVALID)
 *
 * Context: slots_lock held; takes mmu_lock for write; flushes TLBs.
 */
void kvm_arch_flush_shadow_memslot(struct kvm *kvm, struct kvm_memory_slot *slot)
{
	struct kvm_gfn_range range = {
		.slot = slot,
		.start = slot->base_gfn,
		.end = slot->base_gfn + slot->npages,
		.attr_filter = KVM_FILTER_SHARED | KVM_FILTER_PRIVATE,
		.may_block = true,
	};

	write_lock(&kvm->mmu_lock);
	if (kvm_unmap_gfn_range(kvm, &range) &&
	    !kvm_x86_defect(kvm, KVM_X86_DEFECT_NO_SLOT_FLUSH))
		kvm_flush_remote_tlbs(kvm);
	write_unlock(&kvm->mmu_lock);
}

/**
 * kvm_arch_flush_shadow_all() - zap every SPTE of the VM
 * @kvm: the VM
 *
 * Context: takes mmu_lock for write; flushes TLBs.  Used at VM teardown.
 */
void kvm_arch_flush_shadow_all(struct kvm *kvm)
{
	write_lock(&kvm->mmu_lock);
	kvm_mmu_stat_inc(&kvm->arch.stat.zaps);
	if (kvm_tdp_mmu_zap_all(kvm))
		kvm_flush_remote_tlbs(kvm);
	write_unlock(&kvm->mmu_lock);
}

/**
 * kvm_arch_vcpu_pre_fault_memory() - map the page at range->gpa ahead of use
 * @vcpu: the vCPU of the ioctl
 * @range: gpa/size as left by earlier iterations
 *
 * Spec §3.8: refused until the vendor allows it (SNP/TDX before launch
 * finish, B-13); private iff the VM has private memory and the gfn is
 * PRIVATE now; loops on RET_PF_RETRY in kvm_tdp_map_page().
 *
 * Context: kvm->srcu read side held by the caller; may block.
 * Return: bytes mapped from range->gpa to the end of the mapped level
 * (at most range->size), or -EOPNOTSUPP, -EINVAL, -EINTR, -EIO, -ENOENT,
 * -EAGAIN, -EFAULT, -EHWPOISON, -ENOMEM.
 */
long kvm_arch_vcpu_pre_fault_memory(struct kvm_vcpu *vcpu, struct kvm_pre_fault_memory *range)
{
	struct kvm *kvm = vcpu->kvm;
	u64 error_code = PFERR_GUEST_FINAL_MASK;
	u8 level = PG_LEVEL_4K;
	gpa_t direct_bits = 0;
	u64 end;
	int r;

	/* Bug zoo: before 5932ca411e53 (B-13) SNP could pre-fault before launch. */
	if (!READ_ONCE(kvm->arch.pre_fault_allowed) &&
	    !kvm_x86_defect(kvm, KVM_X86_DEFECT_B13_PREFAULT_EARLY))
		return -EOPNOTSUPP;

	if (kvm_is_gfn_alias(kvm, gpa_to_gfn(range->gpa)))
		return -EINVAL;

	kvm_mmu_stat_inc(&kvm->arch.stat.pre_faults);
	if (kvm_arch_has_private_mem(kvm) && kvm_mem_is_private(kvm, gpa_to_gfn(range->gpa)))
		error_code |= PFERR_PRIVATE_ACCESS;
	else
		direct_bits = gfn_to_gpa(kvm_gfn_direct_bits(kvm));

	r = kvm_tdp_map_page(vcpu, range->gpa | direct_bits, error_code, &level);
	if (r < 0)
		return r;

	/* A huge mapping may end past gpa + size, or start below gpa. */
	end = (range->gpa & KVM_HPAGE_MASK(level)) + KVM_HPAGE_SIZE(level);
	return min(range->size, end - range->gpa);
}
