// SPDX-License-Identifier: GPL-2.0
/*
 * A minimal model of arch/x86/kvm/svm/sev.c (X86-new) for SNP VMs: the gmem
 * hooks.  Preparation (rmp_make_private in the kernel) only validates its
 * arguments; the RMP page size limits private mappings to 2M, shared
 * mappings are left to the host (0 = no opinion).  Failures of prepare are
 * injected through kvm_x86_inject_gmem_prepare_error().
 */
#include <linux/kvm_host.h>

#include "../mmu/mmu_internal.h"

static int sev_gmem_prepare(struct kvm *kvm, gfn_t gfn, kvm_pfn_t pfn, int max_order)
{
	/* The RMP entry for a huge folio must be naturally aligned. */
	if (WARN_ON_ONCE(max_order < 0 || (pfn & ((1ULL << max_order) - 1))))
		return -EINVAL;
	return 0;
}

static int sev_gmem_max_mapping_level(struct kvm *kvm, kvm_pfn_t pfn, bool is_private)
{
	if (!is_private)
		return 0;
	return PG_LEVEL_2M;
}

const struct kvm_x86_vendor_ops sev_snp_vendor_ops = {
	.name = "sev-snp",
	.gmem_prepare = sev_gmem_prepare,
	.gmem_max_mapping_level = sev_gmem_max_mapping_level,
};
