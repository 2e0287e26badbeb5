/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Models arch/x86/kvm/mmu/mmu_internal.h and mmu.h (X86-new): struct
 * kvm_page_fault and the helpers the fault path, the TDP MMU store and the
 * attribute hooks share.  Private to model/arch/x86/kvm.
 */
#ifndef _X86_KVM_MMU_INTERNAL_H
#define _X86_KVM_MMU_INTERNAL_H

#include <linux/kvm_host.h>
#include "spte.h"

struct kvm_page_fault {
	/* arguments */
	const gpa_t addr;
	const u64 error_code;
	const bool prefetch;		/* pre-fault: INVALID slot -> -EAGAIN */

	/* derived from error_code */
	const bool exec;
	const bool write;
	const bool present;
	const bool rsvd;
	const bool user;
	bool is_private;

	/* input to the level computation */
	u8 max_level;
	u8 req_level;
	u8 goal_level;

	gfn_t gfn;			/* canonical: TDX shared bit stripped */
	struct kvm_memory_slot *slot;

	/* outputs of kvm_mmu_faultin_pfn() */
	unsigned long mmu_seq;
	kvm_pfn_t pfn;
	struct page *refcounted_page;
	bool map_writable;
	int host_level;			/* GUP path: host mapping level */
};

static inline gfn_t gfn_round_for_level(gfn_t gfn, int level)
{
	return gfn & -KVM_PAGES_PER_HPAGE(level);
}

static inline unsigned long gfn_to_index(gfn_t gfn, gfn_t base_gfn, int level)
{
	return (gfn >> KVM_HPAGE_GFN_SHIFT(level)) -
	       (base_gfn >> KVM_HPAGE_GFN_SHIFT(level));
}

static inline bool kvm_has_mirrored_tdp(const struct kvm *kvm)
{
	return kvm->arch.vm_type == KVM_X86_TDX_VM;
}

static inline gfn_t kvm_gfn_direct_bits(const struct kvm *kvm)
{
	return kvm->arch.gfn_direct_bits;
}

/* TDX: a gfn with the shared bit set aliases the private gfn below it. */
static inline bool kvm_is_gfn_alias(struct kvm *kvm, gfn_t gfn)
{
	return gfn & kvm_gfn_direct_bits(kvm);
}

/* Highest gfn + 1 the MMU can map (TDX: below the shared bit). */
static inline gfn_t kvm_mmu_max_gfn(struct kvm *kvm)
{
	if (kvm_gfn_direct_bits(kvm))
		return kvm_gfn_direct_bits(kvm);
	return 1ULL << (52 - PAGE_SHIFT);
}

static inline int kvm_max_level_for_order(int order)
{
	if (order >= KVM_HPAGE_GFN_SHIFT(PG_LEVEL_1G))
		return PG_LEVEL_1G;
	if (order >= KVM_HPAGE_GFN_SHIFT(PG_LEVEL_2M))
		return PG_LEVEL_2M;
	return PG_LEVEL_4K;
}

/* lpage_info helpers (mmu.c) */
struct kvm_lpage_info *lpage_info_slot(gfn_t gfn, const struct kvm_memory_slot *slot,
				       int level);
int kvm_mmu_max_mapping_level(struct kvm *kvm, struct kvm_page_fault *fault,
			      const struct kvm_memory_slot *slot, gfn_t gfn);
int kvm_mmu_alloc_memslot_lpage_info(struct kvm *kvm, struct kvm_memory_slot *slot);
void kvm_mmu_free_memslot_lpage_info(struct kvm_memory_slot *slot);
void kvm_mmu_init_memslot_memory_attributes(struct kvm *kvm, struct kvm_memory_slot *slot);

/* TDP MMU store (tdp_mmu.c) */
int kvm_tdp_mmu_init_vm(struct kvm *kvm);
void kvm_tdp_mmu_uninit_vm(struct kvm *kvm);
int kvm_tdp_mmu_map(struct kvm_vcpu *vcpu, struct kvm_page_fault *fault);
bool kvm_tdp_mmu_unmap_gfn_range(struct kvm *kvm, struct kvm_gfn_range *range, bool flush);
bool kvm_tdp_mmu_zap_all(struct kvm *kvm);
u64 kvm_tdp_mmu_walk(struct kvm *kvm, gfn_t gfn, bool mirror, int *level);
u64 kvm_tdp_mmu_walk_locked(struct kvm *kvm, gfn_t gfn, bool mirror, int *level);
u64 kvm_tdp_mmu_fast_pf_get_last_sptep(struct kvm_vcpu *vcpu, gfn_t gfn, bool is_private,
				       int *level);
int kvm_tdp_mmu_check_counts(struct kvm *kvm);
int kvm_tdp_mmu_set_accepted(struct kvm *kvm, gfn_t gfn, int level);
void kvm_tdp_mmu_for_each_leaf(struct kvm *kvm,
			       bool (*fn)(struct kvm *kvm, bool mirror, int level, gfn_t gfn,
					  u64 spte, void *data),
			       void *data);

/* fault path (page_fault.c) */
int kvm_mmu_page_fault(struct kvm_vcpu *vcpu, gpa_t cr2_or_gpa, u64 error_code,
		       bool prefetch, u8 *level);
int kvm_tdp_map_page(struct kvm_vcpu *vcpu, gpa_t gpa, u64 error_code, u8 *level);

/* vendor models (svm/sev.c, vmx/tdx.c) */
extern const struct kvm_x86_vendor_ops kvm_x86_default_vendor_ops;
extern const struct kvm_x86_vendor_ops sev_snp_vendor_ops;
extern const struct kvm_x86_vendor_ops tdx_vendor_ops;
void sev_gmem_invalidate(kvm_pfn_t start, kvm_pfn_t end);

#endif /* _X86_KVM_MMU_INTERNAL_H */
