// SPDX-License-Identifier: GPL-2.0
/*
 * A model of arch/x86/kvm/vmx/tdx.c (X86-new) for TDX VMs: private memory
 * is mapped through the mirror (S-EPT) root; there is no prepare step (TDX
 * adds pages with TDH.MEM.PAGE.AUG when it maps them).
 *
 *  - Mapping size: private mappings are 4K unless the VM's huge-page switch
 *    is on (tdx_vm_config(); the huge S-EPT series of Yan Zhao, spec §6.4),
 *    then up to 2M.
 *  - Accept (with the VM's accept switch on): a page KVM added is PENDING
 *    until the guest accepts it (TDG.MEM.PAGE.ACCEPT, tdx_vcpu_accept()); a
 *    guest access to a pending private page takes a #VE, which the model
 *    reports as KVM_EXIT_EXCEPTION.  The accepted state lives in the
 *    mirror SPTE (SPTE_ACCEPTED_MASK), so removing the S-EPT entry (zap,
 *    punch, conversion) makes the page pending again.  Accepting at 4K a
 *    page KVM mapped at 2M is a size mismatch: KVM demotes the mapping and
 *    sets KVM_LPAGE_GUEST_INHIBIT_FLAG so it stays 4K.
 */
#include <linux/kvm_host.h>
#include <linux/srcu.h>

#include "../mmu/mmu_internal.h"

static int tdx_gmem_max_mapping_level(struct kvm *kvm, kvm_pfn_t pfn, bool is_private)
{
	if (!is_private)
		return 0;
	return READ_ONCE(kvm->arch.tdx_huge_pages) ? PG_LEVEL_2M : PG_LEVEL_4K;
}

/**
 * tdx_vm_config() - the model's TDX switches of a VM
 * @kvm: a TDX VM, before its vCPUs run
 * @huge_pages: allow 2M private mappings
 * @accept: require guest acceptance of private pages
 *
 * Context: VM setup.
 * Return: 0, or -EINVAL for a VM that is not TDX.
 */
int tdx_vm_config(struct kvm *kvm, bool huge_pages, bool accept)
{
	if (kvm->arch.vm_type != KVM_X86_TDX_VM)
		return -EINVAL;
	WRITE_ONCE(kvm->arch.tdx_huge_pages, huge_pages);
	WRITE_ONCE(kvm->arch.tdx_accept, accept);
	return 0;
}

/* Demote a private 2M mapping the guest accepts at 4K; srcu + mmu_lock (write). */
static void tdx_demote_for_accept(struct kvm *kvm, gfn_t gfn, int level)
{
	struct kvm_memory_slot *slot = gfn_to_memslot(kvm, gfn);
	struct kvm_gfn_range range = {
		.slot = slot,
		.start = gfn_round_for_level(gfn, level),
		.end = gfn_round_for_level(gfn, level) + KVM_PAGES_PER_HPAGE(level),
		.attr_filter = KVM_FILTER_PRIVATE,
		.may_block = true,
	};

	if (slot && range.start >= slot->base_gfn &&
	    range.end <= slot->base_gfn + slot->npages)
		lpage_info_slot(gfn, slot, level)->disallow_lpage |= KVM_LPAGE_GUEST_INHIBIT_FLAG;
	if (kvm_tdp_mmu_unmap_gfn_range(kvm, &range, false))
		kvm_flush_remote_tlbs(kvm);
}

/**
 * tdx_vcpu_accept() - the guest's TDG.MEM.PAGE.ACCEPT of [@gpa, @gpa + @size)
 * @vcpu: the vCPU
 * @gpa: private gpa (no shared bit), aligned to @size
 * @size: 4K or 2M
 *
 * An unmapped page is faulted in first (the EPT violation KVM handles by
 * adding the page), a larger mapping is demoted, then the S-EPT entry
 * becomes accepted.
 *
 * Context: takes kvm->srcu around faults and mmu_lock; may block.
 * Return: 0; -EINVAL (not a TDX VM with accept on, bad size or alignment);
 * -EEXIST (already accepted); -E2BIG (mapped smaller than @size: the guest
 * must accept at 4K, TDX_PAGE_SIZE_MISMATCH); the fault's negative errno
 * with the memory-fault exit filled, or a positive KVM_EXIT_*.
 */
int tdx_vcpu_accept(struct kvm_vcpu *vcpu, gpa_t gpa, u64 size)
{
	struct kvm *kvm = vcpu->kvm;
	int want = size == KVM_HPAGE_SIZE(PG_LEVEL_2M) ? PG_LEVEL_2M : PG_LEVEL_4K;
	gfn_t gfn = gpa_to_gfn(gpa);
	int tries = 0;

	if (kvm->arch.vm_type != KVM_X86_TDX_VM || !READ_ONCE(kvm->arch.tdx_accept))
		return -EINVAL;
	if ((size != PAGE_SIZE && size != KVM_HPAGE_SIZE(PG_LEVEL_2M)) ||
	    (gpa & (size - 1)) || kvm_is_gfn_alias(kvm, gfn))
		return -EINVAL;

	for (;;) {
		int level = 0, r, idx;
		u64 spte;

		if (READ_ONCE(kvm->vm_dead) || READ_ONCE(kvm->vm_bugged))
			return -EIO;

		spin_lock(&kvm->arch.spte_lock);
		spte = kvm_tdp_mmu_walk_locked(kvm, gfn, true, &level);
		if (is_shadow_present_pte(spte) && level == want) {
			r = (spte & SPTE_ACCEPTED_MASK) ? -EEXIST :
			    kvm_tdp_mmu_set_accepted(kvm, gfn, level);
			spin_unlock(&kvm->arch.spte_lock);
			return r;
		}
		spin_unlock(&kvm->arch.spte_lock);

		if (is_shadow_present_pte(spte) && level < want)
			return -E2BIG;

		if (is_shadow_present_pte(spte)) {
			if (spte & SPTE_ACCEPTED_MASK)
				return -EEXIST;
			sched_point("tdx:accept-demote");
			idx = srcu_read_lock(&kvm->srcu);
			write_lock(&kvm->mmu_lock);
			tdx_demote_for_accept(kvm, gfn, level);
			write_unlock(&kvm->mmu_lock);
			srcu_read_unlock(&kvm->srcu, idx);
			continue;
		}

		/* EPT violation on the pending GPA: KVM maps (AUGs) it. */
		if (WARN_ONCE(++tries > 4096, "TDX accept of gpa 0x%llx makes no progress",
			      (unsigned long long)gpa))
			return -EIO;
		idx = srcu_read_lock(&kvm->srcu);
		r = kvm_mmu_page_fault(vcpu, gpa, PFERR_GUEST_FINAL_MASK | PFERR_WRITE_MASK,
				       false, NULL);
		srcu_read_unlock(&kvm->srcu, idx);
		if (r < 0)
			return r;
		if (r == RET_PF_EMULATE) {
			vcpu->run->exit_reason = KVM_EXIT_MMIO;
			vcpu->run->mmio.phys_addr = gpa;
			vcpu->run->mmio.len = 0;
			vcpu->run->mmio.is_write = 0;
			return KVM_EXIT_MMIO;
		}
		if (r == RET_PF_RETRY)
			sched_spin("tdx:accept-retry");
	}
}

const struct kvm_x86_vendor_ops tdx_vendor_ops = {
	.name = "tdx",
	.gmem_max_mapping_level = tdx_gmem_max_mapping_level,
};
