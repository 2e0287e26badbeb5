// SPDX-License-Identifier: GPL-2.0
/*
 * Models the parts of arch/x86/kvm/x86.c (X86-new, 6.18+) that guest_memfd
 * and memory attributes meet: VM types and their properties, VM/vCPU
 * creation, memslot metadata (kvm_arch_prepare_memory_region and friends),
 * x86 capabilities, and the gmem arch hooks dispatched to the vendor models
 * (svm/sev.c, vmx/tdx.c) with injectable failures.
 */
#include <linux/kvm_host.h>
#include <linux/slab.h>
#include <string.h>

#include "mmu/mmu_internal.h"

/* VM types the model implements (SEV/SEV-ES without SNP are not modelled). */
#define KVM_X86_MODEL_VM_TYPES	(BIT(KVM_X86_DEFAULT_VM) | BIT(KVM_X86_SW_PROTECTED_VM) | \
				 BIT(KVM_X86_SNP_VM) | BIT(KVM_X86_TDX_VM))

/* DEFAULT and SW_PROTECTED: no vendor preparation, no level opinion. */
const struct kvm_x86_vendor_ops kvm_x86_default_vendor_ops = {
	.name = "none",
};

/* TDX: GPA width 48, so the shared bit is GPA bit 47. */
#define TDX_SHARED_BIT_GFN	BIT_ULL(47 - PAGE_SHIFT)

/**
 * kvm_is_vm_type_supported() - may KVM_CREATE_VM use @type?
 * @type: KVM_X86_*_VM
 *
 * Context: any.
 * Return: true for DEFAULT, SW_PROTECTED, SNP and TDX.
 */
bool kvm_is_vm_type_supported(unsigned long type)
{
	return type < BITS_PER_LONG && (KVM_X86_MODEL_VM_TYPES & BIT(type));
}

/**
 * kvm_arch_init_vm() - x86 part of KVM_CREATE_VM
 * @kvm: the new VM (zeroed by the caller)
 * @type: KVM_X86_*_VM
 *
 * Pre-fault is allowed from creation for DEFAULT and SW_PROTECTED; SNP and
 * TDX allow it only after their launch finish (B-13).
 *
 * Context: no locks held; may allocate.
 * Return: 0, -EINVAL for an unsupported type, -ENOMEM.
 */
int kvm_arch_init_vm(struct kvm *kvm, unsigned long type)
{
	if (!kvm_is_vm_type_supported(type))
		return -EINVAL;

	kvm->arch.vm_type = type;
	kvm->arch.has_private_mem = type == KVM_X86_SW_PROTECTED_VM ||
				    type == KVM_X86_SNP_VM || type == KVM_X86_TDX_VM;
	kvm->arch.has_protected_state = type == KVM_X86_SNP_VM || type == KVM_X86_TDX_VM;
	kvm->arch.pre_fault_allowed = type == KVM_X86_DEFAULT_VM ||
				      type == KVM_X86_SW_PROTECTED_VM;
	kvm->arch.launched = false;
	kvm->arch.gfn_direct_bits = type == KVM_X86_TDX_VM ? TDX_SHARED_BIT_GFN : 0;

	switch (type) {
	case KVM_X86_SNP_VM:
		kvm->arch.vendor = &sev_snp_vendor_ops;
		break;
	case KVM_X86_TDX_VM:
		kvm->arch.vendor = &tdx_vendor_ops;
		break;
	default:
		kvm->arch.vendor = &kvm_x86_default_vendor_ops;
		break;
	}
	memset(&kvm->arch.inject, 0, sizeof(kvm->arch.inject));
	kvm->arch.defects = 0;
	memset(&kvm->arch.stat, 0, sizeof(kvm->arch.stat));
	kvm->arch.tlb_gen = 0;
	spin_lock_init(&kvm->arch.vcpu_list_lock);
	INIT_LIST_HEAD(&kvm->arch.vcpu_list);

	return kvm_tdp_mmu_init_vm(kvm);
}

/**
 * kvm_arch_destroy_vm() - free the x86 state of a dying VM
 * @kvm: the VM (no vCPUs, no memslots left)
 *
 * Context: last reference dropped; no locks held.
 */
void kvm_arch_destroy_vm(struct kvm *kvm)
{
	WARN_ON_ONCE(!list_empty(&kvm->arch.vcpu_list));
	kvm_tdp_mmu_uninit_vm(kvm);
}

/**
 * kvm_arch_has_private_mem() - does the VM type support private memory?
 * @kvm: the VM
 *
 * Context: any.
 * Return: true for SW_PROTECTED, SNP and TDX.
 */
bool kvm_arch_has_private_mem(struct kvm *kvm)
{
	return kvm->arch.has_private_mem;
}

/**
 * kvm_arch_supports_gmem_init_shared() - may gmem of this VM start shared?
 * @kvm: the VM
 *
 * Only VMs without private memory: with private memory the attributes,
 * not the file, say what is shared.
 *
 * Context: any.
 * Return: true for DEFAULT VMs.
 */
bool kvm_arch_supports_gmem_init_shared(struct kvm *kvm)
{
	return !kvm_arch_has_private_mem(kvm);
}

/**
 * kvm_arch_has_readonly_mem() - are KVM_MEM_READONLY slots allowed?
 * @kvm: the VM
 *
 * Context: any.
 * Return: false for VMs with protected state (SNP, TDX).
 */
bool kvm_arch_has_readonly_mem(struct kvm *kvm)
{
	return !kvm->arch.has_protected_state;
}

/**
 * kvm_arch_vm_check_extension() - x86 answers to KVM_CHECK_EXTENSION
 * @kvm: the VM, or NULL for the system fd
 * @ext: KVM_CAP_*
 *
 * Context: any.
 * Return: the capability's value; 0 for capabilities x86 does not answer.
 */
long kvm_arch_vm_check_extension(struct kvm *kvm, long ext)
{
	switch (ext) {
	case KVM_CAP_VM_TYPES:
		return KVM_X86_MODEL_VM_TYPES;
	case KVM_CAP_PRE_FAULT_MEMORY:
		return 1;	/* TDP is always enabled in the model */
	case KVM_CAP_MEMORY_FAULT_INFO:
		return 1;
	case KVM_CAP_READONLY_MEM:
		return kvm ? kvm_arch_has_readonly_mem(kvm) : 1;
	default:
		return 0;
	}
}

/**
 * kvm_arch_prepare_memory_region() - x86 checks and metadata for a memslot change
 * @kvm: the VM
 * @old: the current slot (NULL for CREATE)
 * @new: the slot being installed (NULL for DELETE)
 * @change: enum kvm_mr_change
 *
 * CREATE/MOVE allocate lpage_info and seed MIXED from the current
 * attributes (spec §3.5); FLAGS_ONLY shares the old slot's metadata (the
 * generic code must then free only one of them).
 *
 * Context: slots_lock held; may allocate.
 * Return: 0, -EINVAL (slot beyond what the MMU can map), -ENOMEM, -EIO.
 */
int kvm_arch_prepare_memory_region(struct kvm *kvm, const struct kvm_memory_slot *old,
				   struct kvm_memory_slot *new, enum kvm_mr_change change)
{
	if (change == KVM_MR_CREATE || change == KVM_MR_MOVE) {
		if (new->base_gfn + new->npages > kvm_mmu_max_gfn(kvm))
			return -EINVAL;
		return kvm_mmu_alloc_memslot_lpage_info(kvm, new);
	}

	if (change == KVM_MR_FLAGS_ONLY)
		memcpy(&new->arch, &old->arch, sizeof(old->arch));
	else if (WARN_ON_ONCE(change != KVM_MR_DELETE))
		return -EIO;
	return 0;
}

/**
 * kvm_arch_commit_memory_region() - x86 work after a memslot change is live
 * @kvm: the VM
 * @old: the replaced slot (NULL for CREATE)
 * @new: the installed slot (NULL for DELETE)
 * @change: enum kvm_mr_change
 *
 * A moved slot got fresh metadata in prepare, so the old slot's arrays go
 * here (the generic code then frees only the old slot itself).  FLAGS_ONLY
 * shares them with @new.  Dirty logging and write protection are not
 * modelled; zapping a deleted/moved slot happened in
 * kvm_arch_flush_shadow_memslot().
 *
 * Context: slots_lock held.
 */
void kvm_arch_commit_memory_region(struct kvm *kvm, struct kvm_memory_slot *old,
				   const struct kvm_memory_slot *new, enum kvm_mr_change change)
{
	if (change == KVM_MR_MOVE)
		kvm_arch_free_memslot(kvm, old);
}

/**
 * kvm_arch_free_memslot() - free a slot's x86 metadata
 * @kvm: the VM
 * @slot: the slot (unreachable by faults)
 *
 * Context: slots_lock held, or VM teardown.
 */
void kvm_arch_free_memslot(struct kvm *kvm, struct kvm_memory_slot *slot)
{
	kvm_mmu_free_memslot_lpage_info(slot);
}

/**
 * kvm_arch_vcpu_create() - x86 part of KVM_CREATE_VCPU
 * @vcpu: the new vCPU (vcpu->kvm set)
 *
 * Context: kvm->lock may be held; takes kvm->arch.vcpu_list_lock.
 * Return: 0.
 */
int kvm_arch_vcpu_create(struct kvm_vcpu *vcpu)
{
	struct kvm *kvm = vcpu->kvm;

	memset(&vcpu->arch, 0, sizeof(vcpu->arch));
	vcpu->arch.vcpu = vcpu;
	spin_lock(&kvm->arch.vcpu_list_lock);
	list_add_tail(&vcpu->arch.link, &kvm->arch.vcpu_list);
	spin_unlock(&kvm->arch.vcpu_list_lock);
	return 0;
}

/**
 * kvm_arch_vcpu_destroy() - x86 part of vCPU teardown
 * @vcpu: the vCPU
 *
 * Context: takes kvm->arch.vcpu_list_lock.
 */
void kvm_arch_vcpu_destroy(struct kvm_vcpu *vcpu)
{
	struct kvm *kvm = vcpu->kvm;

	spin_lock(&kvm->arch.vcpu_list_lock);
	list_del_init(&vcpu->arch.link);
	spin_unlock(&kvm->arch.vcpu_list_lock);
}

/**
 * kvm_x86_vm_launch_finish() - the SNP LAUNCH_FINISH / TDX finalize step
 * @kvm: the VM
 *
 * From here on pre-fault is allowed (B-13).
 *
 * Context: slots_lock not needed; may be called once.
 * Return: 0, -ENOTTY for VM types without a launch flow, -EINVAL if
 * already launched.
 */
int kvm_x86_vm_launch_finish(struct kvm *kvm)
{
	if (!kvm->arch.has_protected_state)
		return -ENOTTY;
	if (kvm->arch.launched)
		return -EINVAL;
	kvm->arch.launched = true;
	WRITE_ONCE(kvm->arch.pre_fault_allowed, true);
	return 0;
}

/**
 * kvm_x86_inject_gmem_prepare_error() - make the next @count prepares fail
 * @kvm: the VM
 * @err: negative errno to return
 * @count: how many prepares fail (0 clears)
 *
 * Context: takes kvm->arch.vcpu_list_lock.
 */
void kvm_x86_inject_gmem_prepare_error(struct kvm *kvm, int err, int count)
{
	spin_lock(&kvm->arch.vcpu_list_lock);
	kvm->arch.inject.gmem_prepare_err = err;
	kvm->arch.inject.gmem_prepare_count = count;
	spin_unlock(&kvm->arch.vcpu_list_lock);
}

/**
 * kvm_x86_inject_max_mapping_level() - override the vendor's gmem level limit
 * @kvm: the VM
 * @level: PG_LEVEL_*, or 0 to use the vendor hook again
 *
 * Context: takes kvm->arch.vcpu_list_lock.
 */
void kvm_x86_inject_max_mapping_level(struct kvm *kvm, int level)
{
	spin_lock(&kvm->arch.vcpu_list_lock);
	kvm->arch.inject.max_mapping_level = level;
	spin_unlock(&kvm->arch.vcpu_list_lock);
}

static const struct {
	const char *name;
	enum kvm_x86_defect bit;
} kvm_x86_defects[] = {
	{ "b01-lpage-overflow", KVM_X86_DEFECT_B01_LPAGE_OVERFLOW },
	{ "b10-vendor-level", KVM_X86_DEFECT_B10_VENDOR_LEVEL },
	{ "b15-mismatch-late", KVM_X86_DEFECT_B15_MISMATCH_LATE },
	{ "mmu-no-stale-check", KVM_X86_DEFECT_NO_STALE_CHECK },
	{ "mmu-no-prehook-widen", KVM_X86_DEFECT_NO_PREHOOK_WIDEN },
	{ "mmu-no-slot-flush", KVM_X86_DEFECT_NO_SLOT_FLUSH },
	{ "b13-prefault-before-launch", KVM_X86_DEFECT_B13_PREFAULT_EARLY },
	{ "b15-private-emulate", KVM_X86_DEFECT_B15_PRIVATE_EMULATE },
	{ "mmu-gmem-order-ignored", KVM_X86_DEFECT_GMEM_ORDER_IGNORED },
};

/**
 * kvm_x86_defect_by_name() - the enum kvm_x86_defect bit called @name
 * @name: a defect name (see kvm_x86_defects[])
 *
 * Context: any.
 * Return: the bit, or 0 when @name is not an x86 defect.
 */
unsigned long kvm_x86_defect_by_name(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(kvm_x86_defects); i++)
		if (!strcmp(name, kvm_x86_defects[i].name))
			return kvm_x86_defects[i].bit;
	return 0;
}

/**
 * kvm_x86_inject_defect() - switch a historical MMU defect back on
 * @kvm: the VM (before it runs anything)
 * @name: a name of kvm_x86_defects[] ("b01-lpage-overflow", ...)
 *
 * Context: VM setup, single-threaded.
 * Return: 0, or -ENOENT when @name is not an x86 defect (it may be a
 * generic one).
 */
int kvm_x86_inject_defect(struct kvm *kvm, const char *name)
{
	unsigned long bit = kvm_x86_defect_by_name(name);

	if (!bit)
		return -ENOENT;
	kvm->arch.defects |= bit;
	return 0;
}

/**
 * kvm_arch_gmem_prepare() - vendor preparation of a gmem page for the guest
 * @kvm: the VM
 * @gfn: gfn the page is about to back
 * @pfn: first pfn
 * @max_order: order of the folio
 *
 * Context: called from kvm_gmem_get_pfn() with the folio locked; may block.
 * Return: 0 or the vendor's (or the injected) negative errno.
 */
int kvm_arch_gmem_prepare(struct kvm *kvm, gfn_t gfn, kvm_pfn_t pfn, int max_order)
{
	int err = 0;

	spin_lock(&kvm->arch.vcpu_list_lock);
	if (kvm->arch.inject.gmem_prepare_count > 0) {
		kvm->arch.inject.gmem_prepare_count--;
		err = kvm->arch.inject.gmem_prepare_err;
	}
	spin_unlock(&kvm->arch.vcpu_list_lock);
	if (err)
		return err;

	kvm_mmu_stat_inc(&kvm->arch.stat.gmem_prepares);
	if (kvm->arch.vendor && kvm->arch.vendor->gmem_prepare)
		return kvm->arch.vendor->gmem_prepare(kvm, gfn, pfn, max_order);
	return 0;
}

/**
 * kvm_arch_gmem_invalidate() - vendor cleanup of gmem pages being freed
 * @start: first pfn
 * @end: pfn after the last
 *
 * SNP returns the pages to the hypervisor in the RMP here (svm/sev.c); the
 * RMP is the machine's, so this runs for any VM type and finds entries only
 * for pages an SNP guest owned.
 *
 * Context: folio free path; must not block.
 */
void kvm_arch_gmem_invalidate(kvm_pfn_t start, kvm_pfn_t end)
{
	if (WARN_ON_ONCE(start >= end))
		return;
	sev_gmem_invalidate(start, end);
}

/**
 * kvm_arch_gmem_max_mapping_level() - vendor limit for mapping a gmem pfn
 * @kvm: the VM
 * @pfn: the pfn
 * @is_private: private mapping?
 *
 * Context: kvm->mmu_lock held.
 * Return: PG_LEVEL_*, or 0 for "no opinion" (B-10).
 */
int kvm_arch_gmem_max_mapping_level(struct kvm *kvm, kvm_pfn_t pfn, bool is_private)
{
	int level = __READ_ONCE(kvm->arch.inject.max_mapping_level);

	if (level > 0)
		return level;
	if (kvm->arch.vendor && kvm->arch.vendor->gmem_max_mapping_level)
		return kvm->arch.vendor->gmem_max_mapping_level(kvm, pfn, is_private);
	return 0;
}
