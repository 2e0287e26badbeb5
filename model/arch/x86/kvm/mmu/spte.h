/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Models arch/x86/kvm/mmu/spte.h (X86-new) in spirit: a leaf SPTE of this
 * model is a u64 kept in an xarray value entry, so it must fit in 63 bits.
 *
 *   bit 0      present
 *   bit 1      writable
 *   bit 2      executable
 *   bit 3      private (mapped from guest_memfd as private memory)
 *   bits 4-5   level (PG_LEVEL_4K..PG_LEVEL_1G)
 *   bit 6      accepted (TDX private: the guest accepted the page)
 *   bits 8-62  pfn (first pfn of the mapped frame, aligned to the level)
 */
#ifndef _X86_KVM_SPTE_H
#define _X86_KVM_SPTE_H

#include <linux/types.h>

#define SPTE_PRESENT_MASK	BIT_ULL(0)
#define SPTE_WRITABLE_MASK	BIT_ULL(1)
#define SPTE_EXEC_MASK		BIT_ULL(2)
#define SPTE_PRIVATE_MASK	BIT_ULL(3)
#define SPTE_ACCEPTED_MASK	BIT_ULL(6)
#define SPTE_LEVEL_SHIFT	4
#define SPTE_LEVEL_MASK		(3ULL << SPTE_LEVEL_SHIFT)
#define SPTE_PFN_SHIFT		8
#define SPTE_PFN_MAX		((1ULL << (63 - SPTE_PFN_SHIFT)) - 1)

static inline u64 make_spte(kvm_pfn_t pfn, int level, bool writable, bool exec,
			    bool is_private)
{
	u64 spte = SPTE_PRESENT_MASK | ((u64)level << SPTE_LEVEL_SHIFT) |
		   ((u64)pfn << SPTE_PFN_SHIFT);

	if (writable)
		spte |= SPTE_WRITABLE_MASK;
	if (exec)
		spte |= SPTE_EXEC_MASK;
	if (is_private)
		spte |= SPTE_PRIVATE_MASK;
	return spte;
}

static inline bool is_shadow_present_pte(u64 spte)
{
	return spte & SPTE_PRESENT_MASK;
}

static inline bool is_writable_pte(u64 spte)
{
	return spte & SPTE_WRITABLE_MASK;
}

static inline bool is_executable_pte(u64 spte)
{
	return spte & SPTE_EXEC_MASK;
}

static inline bool is_private_pte(u64 spte)
{
	return spte & SPTE_PRIVATE_MASK;
}

static inline int spte_level(u64 spte)
{
	return (spte & SPTE_LEVEL_MASK) >> SPTE_LEVEL_SHIFT;
}

static inline kvm_pfn_t spte_to_pfn(u64 spte)
{
	return spte >> SPTE_PFN_SHIFT;
}

#endif /* _X86_KVM_SPTE_H */
