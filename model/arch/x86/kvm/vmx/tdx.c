// SPDX-License-Identifier: GPL-2.0
/*
 * A minimal model of arch/x86/kvm/vmx/tdx.c (X86-new) for TDX VMs: private
 * memory is mapped through the mirror (S-EPT) root at 4K only; there is no
 * prepare step (TDX accepts pages through TDH.MEM.PAGE.AUG at map time).
 */
#include <linux/kvm_host.h>

#include "../mmu/mmu_internal.h"

static int tdx_gmem_max_mapping_level(struct kvm *kvm, kvm_pfn_t pfn, bool is_private)
{
	if (!is_private)
		return 0;
	return PG_LEVEL_4K;
}

const struct kvm_x86_vendor_ops tdx_vendor_ops = {
	.name = "tdx",
	.gmem_max_mapping_level = tdx_gmem_max_mapping_level,
};
