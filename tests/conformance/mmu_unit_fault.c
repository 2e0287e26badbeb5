// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the x86 fault path, SPTE store, zaps with filters, the TLB
 * model and pre-fault, against the stub generic side (mmu_stubs.c): pfns
 * are STUB_GMEM_PFN_BASE + gfn for guest_memfd and STUB_HOST_PFN_BASE +
 * (hva >> 12) for GUP, so every mapping is predictable.
 *
 * Spec rows named per test: §3.1 classification, §3.2 order of checks
 * (B-15: mismatch above slot checks), §3.3 gmem errors, §3.5 huge pages and
 * MIXED (SPEC-13 in single-thread form), §3.7 filters (B-07), §3.8
 * pre-fault (PF-01/02/03/07, B-10, B-13), PKE-1/PKE-2 exits.  Runs < 1 s.
 */
#include <check.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include "mmu_stubs.h"
#include "../../model/arch/x86/kvm/mmu/mmu_internal.h"

#define GPA_4G		0x100000000ULL
#define GFN_4G		(GPA_4G >> PAGE_SHIFT)
#define SZ2M		(2ULL << 20)
#define P2M		512ULL
#define PRIV		KVM_MEMORY_ATTRIBUTE_PRIVATE
#define UADDR		0x40000000UL	/* 1G aligned: hva and gfn congruent */
#define RD		KVM_X86_ACCESS_READ
#define WR		(KVM_X86_ACCESS_READ | KVM_X86_ACCESS_WRITE)

static u64 spte_of(struct kvm *kvm, gfn_t gfn, bool mirror, int *level)
{
	return kvm_tdp_mmu_walk(kvm, gfn, mirror, level);
}

static struct stub_world *world_with_slot(unsigned long type, u32 flags, unsigned long npages)
{
	struct stub_world *w = stub_world_new(type);
	int ret;

	ck_assert_ptr_nonnull(w);
	ck_assert_ptr_nonnull(stub_add_slot(w, GFN_4G, npages, UADDR, flags, &ret));
	return w;
}

/* §3.1/§3.3: SW_PROTECTED private fault maps the gmem pfn, 4K, private. */
START_TEST(test_sw_protected_private_fault)
{
	struct stub_world *w = world_with_slot(KVM_X86_SW_PROTECTED_VM, KVM_MEM_GUEST_MEMFD, 2 * P2M);
	kvm_pfn_t pfn = 0;
	u64 spte;
	int level;

	stub_set_attrs(w, GFN_4G, GFN_4G + 2 * P2M, PRIV);
	/* the caller's is_private is ignored: attributes decide */
	ck_assert_int_eq(kvm_x86_vcpu_access(w->vcpu, GPA_4G + 5 * PAGE_SIZE, WR, false, &pfn), 0);
	ck_assert_uint_eq(pfn, STUB_GMEM_PFN_BASE + GFN_4G + 5);
	spte = spte_of(w->kvm, GFN_4G + 5, false, &level);
	ck_assert(is_private_pte(spte));
	ck_assert_int_eq(level, PG_LEVEL_4K);
	ck_assert_uint_eq(w->gmem_calls, 1);
	ck_assert_uint_eq(w->gup_calls, 0);
	/* second access: TLB, no fault */
	ck_assert_int_eq(kvm_x86_vcpu_access(w->vcpu, GPA_4G + 5 * PAGE_SIZE, RD, false, &pfn), 0);
	ck_assert_uint_eq(w->gmem_calls, 1);
	ck_assert_uint_eq(w->vcpu->arch.tlb_hits, 1);
	stub_world_free(w);
}
END_TEST

/* §3.2 step 8: shared fault on a gmem slot that is not GMEM_ONLY uses GUP. */
START_TEST(test_shared_fault_uses_gup)
{
	struct stub_world *w = world_with_slot(KVM_X86_SW_PROTECTED_VM, KVM_MEM_GUEST_MEMFD, 2 * P2M);
	kvm_pfn_t pfn = 0;

	ck_assert_int_eq(kvm_x86_vcpu_access(w->vcpu, GPA_4G + 3 * PAGE_SIZE, RD, true, &pfn), 0);
	ck_assert_uint_eq(pfn, STUB_HOST_PFN_BASE + (UADDR >> PAGE_SHIFT) + 3);
	ck_assert_uint_eq(w->gmem_calls, 0);
	ck_assert(!is_private_pte(spte_of(w->kvm, GFN_4G + 3, false, NULL)));
	stub_world_free(w);
}
END_TEST

/* GMEM_ONLY slots take every fault to guest_memfd, shared ones too. */
START_TEST(test_gmem_only_shared_fault)
{
	struct stub_world *w = world_with_slot(KVM_X86_DEFAULT_VM,
					       KVM_MEM_GUEST_MEMFD | KVM_MEMSLOT_GMEM_ONLY, P2M);
	kvm_pfn_t pfn = 0;

	ck_assert_int_eq(kvm_x86_vcpu_access(w->vcpu, GPA_4G, WR, false, &pfn), 0);
	ck_assert_uint_eq(pfn, STUB_GMEM_PFN_BASE + GFN_4G);
	ck_assert(!is_private_pte(spte_of(w->kvm, GFN_4G, false, NULL)));
	stub_world_free(w);
}
END_TEST

static void assert_memfault(struct stub_world *w, int r, gpa_t gpa, bool priv)
{
	ck_assert_int_eq(w->run.exit_reason, KVM_EXIT_MEMORY_FAULT);
	ck_assert_uint_eq(w->run.memory_fault.gpa, gpa);
	ck_assert_uint_eq(w->run.memory_fault.size, PAGE_SIZE);
	ck_assert_uint_eq(w->run.memory_fault.flags, priv ? KVM_MEMORY_EXIT_FLAG_PRIVATE : 0);
	(void)r;
}

/* PKE-2: PRIVATE attribute on a slot without guest_memfd. */
START_TEST(test_pke2_private_on_plain_slot)
{
	struct stub_world *w = world_with_slot(KVM_X86_SW_PROTECTED_VM, 0, P2M);
	kvm_pfn_t pfn;
	int r;

	stub_set_attrs(w, GFN_4G, GFN_4G + 1, PRIV);
	r = kvm_x86_vcpu_access(w->vcpu, GPA_4G, RD, false, &pfn);
	ck_assert_int_eq(r, -EFAULT);
	assert_memfault(w, r, GPA_4G, true);
	stub_world_free(w);
}
END_TEST

/* PKE-1 (after the delete) and B-15: private access without memslot exits. */
START_TEST(test_pke1_private_no_slot)
{
	struct stub_world *w = world_with_slot(KVM_X86_SW_PROTECTED_VM, KVM_MEM_GUEST_MEMFD, P2M);
	kvm_pfn_t pfn;
	int r;

	stub_set_attrs(w, GFN_4G, GFN_4G + P2M, PRIV);
	ck_assert_int_eq(kvm_x86_vcpu_access(w->vcpu, GPA_4G, RD, false, &pfn), 0);
	stub_delete_slot(w, w->slots[0]);
	r = kvm_x86_vcpu_access(w->vcpu, GPA_4G, RD, false, &pfn);
	ck_assert_int_eq(r, -EFAULT);
	assert_memfault(w, r, GPA_4G, true);
	stub_world_free(w);
}
END_TEST

/* §3.2 step 4: shared access without memslot is emulated MMIO. */
START_TEST(test_shared_no_slot_mmio)
{
	struct stub_world *w = stub_world_new(KVM_X86_SW_PROTECTED_VM);
	kvm_pfn_t pfn;

	ck_assert_int_eq(kvm_x86_vcpu_access(w->vcpu, GPA_4G, WR, false, &pfn), KVM_EXIT_MMIO);
	ck_assert_int_eq(w->run.exit_reason, KVM_EXIT_MMIO);
	ck_assert_uint_eq(w->run.mmio.phys_addr, GPA_4G);
	ck_assert_int_eq(w->run.mmio.is_write, 1);
	stub_world_free(w);
}
END_TEST

/*
 * B-15 (44f42ef37deb): on SNP the mismatch check comes before the slot
 * checks, so a *shared* access to a slot-less PRIVATE gfn exits (flags 0)
 * instead of being emulated as MMIO.
 */
START_TEST(test_snp_mismatch_above_slot_checks)
{
	struct stub_world *w = stub_world_new(KVM_X86_SNP_VM);
	kvm_pfn_t pfn;
	int r;

	stub_set_attrs(w, GFN_4G, GFN_4G + 1, PRIV);
	r = kvm_x86_vcpu_access(w->vcpu, GPA_4G, RD, false, &pfn);
	ck_assert_int_eq(r, -EFAULT);
	assert_memfault(w, r, GPA_4G, false);
	/* and the other way round: private access to a shared gfn */
	r = kvm_x86_vcpu_access(w->vcpu, GPA_4G + PAGE_SIZE, RD, true, &pfn);
	ck_assert_int_eq(r, -EFAULT);
	assert_memfault(w, r, GPA_4G + PAGE_SIZE, true);
	stub_world_free(w);
}
END_TEST

/* §3.3: every kvm_gmem_get_pfn error is returned with a memory-fault exit. */
static const int gmem_errs[] = { -EFAULT, -EIO, -EHWPOISON, -ENOMEM, -EINVAL };

START_TEST(test_gmem_errors_propagate)
{
	struct stub_world *w = world_with_slot(KVM_X86_SW_PROTECTED_VM, KVM_MEM_GUEST_MEMFD, P2M);
	kvm_pfn_t pfn;
	int r;

	stub_set_attrs(w, GFN_4G, GFN_4G + P2M, PRIV);
	w->gmem_err = gmem_errs[_i];
	r = kvm_x86_vcpu_access(w->vcpu, GPA_4G + PAGE_SIZE, RD, false, &pfn);
	ck_assert_int_eq(r, gmem_errs[_i]);
	assert_memfault(w, r, GPA_4G + PAGE_SIZE, true);
	ck_assert(!is_shadow_present_pte(spte_of(w->kvm, GFN_4G + 1, false, NULL)));
	stub_world_free(w);
}
END_TEST

/* A write to a READONLY slot is emulated (kvm_handle_error_pfn). */
START_TEST(test_readonly_write_is_mmio)
{
	struct stub_world *w = world_with_slot(KVM_X86_DEFAULT_VM, KVM_MEM_READONLY, P2M);
	kvm_pfn_t pfn;

	ck_assert_int_eq(kvm_x86_vcpu_access(w->vcpu, GPA_4G, RD, false, &pfn), 0);
	ck_assert_int_eq(kvm_x86_vcpu_access(w->vcpu, GPA_4G, WR, false, &pfn), KVM_EXIT_MMIO);
	stub_world_free(w);
}
END_TEST

/* An invalidation racing with get_pfn makes the fault retry once (§2.3). */
static void bump_seq_once(struct stub_world *w, gfn_t gfn)
{
	if (w->gmem_calls != 1)
		return;
	stub_invalidate_begin(w, gfn, gfn + 1);
	stub_invalidate_end(w);
}

START_TEST(test_racing_invalidation_retries)
{
	struct stub_world *w = world_with_slot(KVM_X86_SW_PROTECTED_VM, KVM_MEM_GUEST_MEMFD, P2M);
	kvm_pfn_t pfn;

	stub_set_attrs(w, GFN_4G, GFN_4G + P2M, PRIV);
	w->in_get_pfn = bump_seq_once;
	ck_assert_int_eq(kvm_x86_vcpu_access(w->vcpu, GPA_4G, RD, false, &pfn), 0);
	ck_assert_uint_eq(w->gmem_calls, 2);
	ck_assert_uint_eq(w->kvm->arch.stat.fault_retries, 1);
	stub_world_free(w);
}
END_TEST

/*
 * §3.5 / SPEC-13 (single thread): a shared THP-backed frame is mapped 2M;
 * converting one gfn of it zaps the huge SPTE and sets MIXED; the next
 * shared fault in the frame maps 4K.
 */
START_TEST(test_huge_shared_then_mixed)
{
	struct stub_world *w = world_with_slot(KVM_X86_SW_PROTECTED_VM, KVM_MEM_GUEST_MEMFD, 2 * P2M);
	kvm_pfn_t pfn;
	int level;

	w->host_level = PG_LEVEL_2M;
	ck_assert_int_eq(kvm_x86_vcpu_access(w->vcpu, GPA_4G + 7 * PAGE_SIZE, RD, false, &pfn), 0);
	ck_assert_uint_eq(pfn, STUB_HOST_PFN_BASE + (UADDR >> PAGE_SHIFT) + 7);
	spte_of(w->kvm, GFN_4G + 7, false, &level);
	ck_assert_int_eq(level, PG_LEVEL_2M);
	ck_assert_uint_eq(w->kvm->arch.stat.huge_created[PG_LEVEL_2M - 1], 1);

	stub_set_attrs(w, GFN_4G + 100, GFN_4G + 101, PRIV);
	ck_assert(!is_shadow_present_pte(spte_of(w->kvm, GFN_4G + 7, false, NULL)));
	ck_assert_uint_eq(w->kvm->arch.stat.huge_shattered[PG_LEVEL_2M - 1], 1);
	ck_assert(w->slots[0]->arch.lpage_info[0][0].disallow_lpage & KVM_LPAGE_MIXED_FLAG);

	ck_assert_int_eq(kvm_x86_vcpu_access(w->vcpu, GPA_4G + 7 * PAGE_SIZE, RD, false, &pfn), 0);
	spte_of(w->kvm, GFN_4G + 7, false, &level);
	ck_assert_int_eq(level, PG_LEVEL_4K);
	/* the other frame is still uniform: 2M */
	ck_assert_int_eq(kvm_x86_vcpu_access(w->vcpu, GPA_4G + SZ2M, RD, false, &pfn), 0);
	spte_of(w->kvm, GFN_4G + P2M, false, &level);
	ck_assert_int_eq(level, PG_LEVEL_2M);
	stub_world_free(w);
}
END_TEST

/* TLB model: a zap without a flush leaves a usable stale translation. */
START_TEST(test_tlb_stale_until_flush)
{
	struct stub_world *w = world_with_slot(KVM_X86_DEFAULT_VM, 0, P2M);
	struct kvm_gfn_range range = {
		.slot = NULL, .start = GFN_4G, .end = GFN_4G + 1,
		.attr_filter = KVM_FILTER_SHARED | KVM_FILTER_PRIVATE,
	};
	kvm_pfn_t pfn;

	range.slot = w->slots[0];
	ck_assert_int_eq(kvm_x86_vcpu_access(w->vcpu, GPA_4G, RD, false, &pfn), 0);
	write_lock(&w->kvm->mmu_lock);
	ck_assert(kvm_unmap_gfn_range(w->kvm, &range));	/* caller "forgets" the flush */
	write_unlock(&w->kvm->mmu_lock);
	ck_assert_int_eq(kvm_x86_vcpu_access(w->vcpu, GPA_4G, RD, false, &pfn), 0);
	ck_assert_uint_eq(w->vcpu->arch.tlb_stale_hits, 1);
	ck_assert_uint_eq(w->gup_calls, 1);
	kvm_arch_flush_remote_tlbs(w->kvm);
	ck_assert_int_eq(kvm_x86_vcpu_access(w->vcpu, GPA_4G, RD, false, &pfn), 0);
	ck_assert_uint_eq(w->gup_calls, 2);
	ck_assert_uint_eq(w->vcpu->arch.tlb_stale_hits, 1);
	stub_world_free(w);
}
END_TEST

/* §3.7 / B-07: filters pick roots only with mirrored TDP (TDX). */
static const struct {
	const char *row;
	unsigned long type;
	enum kvm_gfn_range_filter filter;
	bool private_left, shared_left;
} filter_rows[] = {
	{ "TDX SHARED zaps direct only", KVM_X86_TDX_VM, KVM_FILTER_SHARED, true, false },
	{ "TDX PRIVATE zaps mirror only", KVM_X86_TDX_VM, KVM_FILTER_PRIVATE, false, true },
	{ "TDX both", KVM_X86_TDX_VM, KVM_FILTER_SHARED | KVM_FILTER_PRIVATE, false, false },
	{ "SW_PROTECTED SHARED ignores filter", KVM_X86_SW_PROTECTED_VM, KVM_FILTER_SHARED, false, false },
	{ "SW_PROTECTED PRIVATE ignores filter", KVM_X86_SW_PROTECTED_VM, KVM_FILTER_PRIVATE, false, false },
};

START_TEST(test_zap_filters)
{
	struct stub_world *w = world_with_slot(filter_rows[_i].type, KVM_MEM_GUEST_MEMFD, P2M);
	bool tdx = filter_rows[_i].type == KVM_X86_TDX_VM;
	struct kvm_gfn_range range = {
		.start = GFN_4G, .end = GFN_4G + P2M, .attr_filter = filter_rows[_i].filter,
	};
	kvm_pfn_t pfn;

	range.slot = w->slots[0];
	stub_set_attrs(w, GFN_4G, GFN_4G + 1, PRIV);
	ck_assert_int_eq(kvm_x86_vcpu_access(w->vcpu, GPA_4G, RD, true, &pfn), 0);
	ck_assert_int_eq(kvm_x86_vcpu_access(w->vcpu, GPA_4G + PAGE_SIZE, RD, false, &pfn), 0);
	ck_assert(is_private_pte(spte_of(w->kvm, GFN_4G, tdx, NULL)));
	ck_assert(is_shadow_present_pte(spte_of(w->kvm, GFN_4G + 1, false, NULL)));

	write_lock(&w->kvm->mmu_lock);
	ck_assert(kvm_unmap_gfn_range(w->kvm, &range));
	write_unlock(&w->kvm->mmu_lock);
	kvm_arch_flush_remote_tlbs(w->kvm);
	ck_assert_msg(is_shadow_present_pte(spte_of(w->kvm, GFN_4G, tdx, NULL)) ==
		      filter_rows[_i].private_left, "%s: private SPTE", filter_rows[_i].row);
	ck_assert_msg(is_shadow_present_pte(spte_of(w->kvm, GFN_4G + 1, false, NULL)) ==
		      filter_rows[_i].shared_left, "%s: shared SPTE", filter_rows[_i].row);
	stub_world_free(w);
}
END_TEST

/* TDX: a shared access uses the GPA shared bit and the direct root. */
START_TEST(test_tdx_shared_bit)
{
	struct stub_world *w = world_with_slot(KVM_X86_TDX_VM, KVM_MEM_GUEST_MEMFD, P2M);
	kvm_pfn_t pfn;

	ck_assert_int_eq(kvm_x86_vcpu_access(w->vcpu, GPA_4G, RD, false, &pfn), 0);
	ck_assert_uint_eq(pfn, STUB_HOST_PFN_BASE + (UADDR >> PAGE_SHIFT));
	ck_assert(is_shadow_present_pte(spte_of(w->kvm, GFN_4G, false, NULL)));
	ck_assert(!is_shadow_present_pte(spte_of(w->kvm, GFN_4G, true, NULL)));
	/* private access to a shared gfn: mismatch exit, private */
	ck_assert_int_eq(kvm_x86_vcpu_access(w->vcpu, GPA_4G, RD, true, &pfn), -EFAULT);
	ck_assert_uint_eq(w->run.memory_fault.flags, KVM_MEMORY_EXIT_FLAG_PRIVATE);
	stub_world_free(w);
}
END_TEST

/* ---- §3.8 pre-fault ---- */

static long pre_fault(struct stub_world *w, u64 gpa, u64 size)
{
	struct kvm_pre_fault_memory range = { .gpa = gpa, .size = size };

	return kvm_arch_vcpu_pre_fault_memory(w->vcpu, &range);
}

/* PF-01/02/03 with 4K host pages and with THP (byte count to level end). */
START_TEST(test_pre_fault_ranges)
{
	struct stub_world *w = world_with_slot(KVM_X86_DEFAULT_VM, 0, P2M + 1);

	ck_assert_int_eq(pre_fault(w, GPA_4G, SZ2M), PAGE_SIZE);		/* PF-01 step */
	ck_assert_int_eq(pre_fault(w, GPA_4G + SZ2M, 2 * PAGE_SIZE), PAGE_SIZE); /* PF-02 */
	ck_assert_int_eq(pre_fault(w, GPA_4G + SZ2M + PAGE_SIZE, PAGE_SIZE), -ENOENT);
	ck_assert_int_eq(pre_fault(w, GPA_4G + 4 * SZ2M, PAGE_SIZE), -ENOENT);	/* PF-03 */
	kvm_arch_flush_shadow_all(w->kvm);
	w->host_level = PG_LEVEL_2M;
	ck_assert_int_eq(pre_fault(w, GPA_4G + PAGE_SIZE, SZ2M), SZ2M - PAGE_SIZE);
	ck_assert_int_eq(pre_fault(w, GPA_4G, PAGE_SIZE), PAGE_SIZE);	/* capped at size */
	stub_world_free(w);
}
END_TEST

/* PF-07 / B-13: SNP and TDX refuse pre-fault until launch finish. */
static const unsigned long launch_types[] = { KVM_X86_SNP_VM, KVM_X86_TDX_VM };

START_TEST(test_pre_fault_before_launch)
{
	struct stub_world *w = world_with_slot(launch_types[_i], KVM_MEM_GUEST_MEMFD, P2M);

	stub_set_attrs(w, GFN_4G, GFN_4G + P2M, PRIV);
	ck_assert_int_eq(pre_fault(w, GPA_4G, PAGE_SIZE), -EOPNOTSUPP);
	ck_assert_int_eq(kvm_x86_vm_launch_finish(w->kvm), 0);
	ck_assert_int_eq(pre_fault(w, GPA_4G, PAGE_SIZE), PAGE_SIZE);
	ck_assert(is_private_pte(spte_of(w->kvm, GFN_4G, launch_types[_i] == KVM_X86_TDX_VM, NULL)));
	stub_world_free(w);
}
END_TEST

/* §3.2 step 5: INVALID slot -> -EAGAIN for pre-fault (PF-05/SPEC-15). */
START_TEST(test_pre_fault_invalid_slot)
{
	struct stub_world *w = world_with_slot(KVM_X86_SW_PROTECTED_VM, KVM_MEM_GUEST_MEMFD, P2M);

	w->slots[0]->flags |= KVM_MEMSLOT_INVALID;
	ck_assert_int_eq(pre_fault(w, GPA_4G, PAGE_SIZE), -EAGAIN);
	w->slots[0]->flags &= ~KVM_MEMSLOT_INVALID;
	ck_assert_int_eq(pre_fault(w, GPA_4G, PAGE_SIZE), PAGE_SIZE);
	stub_world_free(w);
}
END_TEST

/*
 * B-10 as fixed: level = min(lpage, gmem order, vendor if non-zero).
 * Rows: VM type, gmem order, injected vendor level (0: the vendor's own).
 */
static const struct {
	const char *row;
	unsigned long type;
	int order, inject, exp_level;
	const char *defect;
} b10_rows[] = {
	{ "SW_PROTECTED order 0", KVM_X86_SW_PROTECTED_VM, 0, 0, PG_LEVEL_4K },
	{ "SW_PROTECTED order 9, no opinion", KVM_X86_SW_PROTECTED_VM, 9, 0, PG_LEVEL_2M },
	{ "SW_PROTECTED order 18, no opinion -> 1G", KVM_X86_SW_PROTECTED_VM, 18, 0, PG_LEVEL_1G },
	{ "SNP order 18: RMP caps at 2M", KVM_X86_SNP_VM, 18, 0, PG_LEVEL_2M },
	{ "TDX order 9: 4K", KVM_X86_TDX_VM, 9, 0, PG_LEVEL_4K },
	{ "vendor 1G but order 9: order wins", KVM_X86_SW_PROTECTED_VM, 9, PG_LEVEL_1G, PG_LEVEL_2M },
	/* the defect as it was before aca0ec970d76: the vendor's level wins */
	{ "B-10 defect: vendor 1G over order 9", KVM_X86_SW_PROTECTED_VM, 9, PG_LEVEL_1G,
	  PG_LEVEL_1G, "b10-vendor-level" },
};

START_TEST(test_b10_gmem_level)
{
	struct stub_world *w = world_with_slot(b10_rows[_i].type, KVM_MEM_GUEST_MEMFD, 512 * P2M);
	int level;

	stub_set_attrs(w, GFN_4G, GFN_4G + 512 * P2M, PRIV);
	kvm_x86_vm_launch_finish(w->kvm);
	w->gmem_order = b10_rows[_i].order;
	kvm_x86_inject_max_mapping_level(w->kvm, b10_rows[_i].inject);
	if (b10_rows[_i].defect)
		ck_assert_int_eq(kvm_x86_inject_defect(w->kvm, b10_rows[_i].defect), 0);
	ck_assert_int_gt(pre_fault(w, GPA_4G, PAGE_SIZE), 0);
	spte_of(w->kvm, GFN_4G, b10_rows[_i].type == KVM_X86_TDX_VM, &level);
	ck_assert_msg(level == b10_rows[_i].exp_level, "%s: level %d, expected %d",
		      b10_rows[_i].row, level, b10_rows[_i].exp_level);
	stub_world_free(w);
}
END_TEST

/* The SPTE store keeps leaves disjoint and its per-level counters exact. */
static int map_at(struct stub_world *w, gfn_t gfn, kvm_pfn_t pfn, int level)
{
	struct kvm_page_fault f = {
		.gfn = gfn, .pfn = pfn, .goal_level = level, .map_writable = true,
	};
	int r;

	read_lock(&w->kvm->mmu_lock);
	r = kvm_tdp_mmu_map(w->vcpu, &f);
	read_unlock(&w->kvm->mmu_lock);
	return r;
}

START_TEST(test_tdp_store_replace_and_counts)
{
	struct stub_world *w = world_with_slot(KVM_X86_DEFAULT_VM, 0, 2 * P2M);
	int level;

	ck_assert_int_eq(map_at(w, GFN_4G + 3, 0x5003, PG_LEVEL_4K), RET_PF_FIXED);
	ck_assert_int_eq(map_at(w, GFN_4G + 4, 0x5004, PG_LEVEL_4K), RET_PF_FIXED);
	ck_assert_int_eq(map_at(w, GFN_4G + 4, 0x5004, PG_LEVEL_4K), RET_PF_SPURIOUS);
	/* 2M over the frame: the 4K leaves go */
	ck_assert_int_eq(map_at(w, GFN_4G, 0x5000, PG_LEVEL_2M), RET_PF_FIXED);
	ck_assert_int_eq(kvm_tdp_mmu_check_counts(w->kvm), 0);
	ck_assert_uint_eq(spte_to_pfn(kvm_tdp_mmu_walk(w->kvm, GFN_4G + 3, false, &level)), 0x5000);
	ck_assert_int_eq(level, PG_LEVEL_2M);
	/* another pfn over a present leaf is a protocol bug: WARN, replace */
	ck_assert_int_eq(map_at(w, GFN_4G, 0x6000, PG_LEVEL_2M), RET_PF_FIXED);
	ck_assert_int_eq(shim_report_count(SHIM_REPORT_WARN), 1);
	ck_assert_int_eq(kvm_tdp_mmu_check_counts(w->kvm), 0);
	/* 4K inside the 2M frame shatters it */
	ck_assert_int_eq(map_at(w, GFN_4G + 9, 0x7009, PG_LEVEL_4K), RET_PF_FIXED);
	ck_assert(!is_shadow_present_pte(kvm_tdp_mmu_walk(w->kvm, GFN_4G + 3, false, NULL)));
	ck_assert_uint_eq(w->kvm->arch.stat.huge_shattered[PG_LEVEL_2M - 1], 1);
	ck_assert_int_eq(kvm_tdp_mmu_check_counts(w->kvm), 0);
	shim_report_reset();
	stub_world_free(w);
}
END_TEST

/*
 * Free-running (real pthreads, TSan build): one vCPU thread accesses a 2M
 * range page by page while another zaps, flushes and runs invalidations.
 * Every access must return the right pfn; nothing may WARN.
 */
struct race_ctx {
	struct stub_world *w;
	int stop;
	unsigned long accesses, bad;
};

static void *race_vcpu(void *arg)
{
	struct race_ctx *rc = arg;
	struct shim_task task = { .tid = 1, .name = "vcpu" };
	int round, i;

	shim_task_enter(&task);
	for (round = 0; round < 20; round++) {
		for (i = 0; i < (int)P2M; i += 7) {
			kvm_pfn_t pfn = 0;
			int r = kvm_x86_vcpu_access(rc->w->vcpu, GPA_4G + i * PAGE_SIZE, WR, false, &pfn);

			rc->accesses++;
			if (r || pfn != STUB_HOST_PFN_BASE + (UADDR >> PAGE_SHIFT) + i)
				rc->bad++;
		}
	}
	__atomic_store_n(&rc->stop, 1, __ATOMIC_RELEASE);
	shim_task_exit();
	return NULL;
}

static void *race_zapper(void *arg)
{
	struct race_ctx *rc = arg;
	struct kvm *kvm = rc->w->kvm;
	struct shim_task task = { .tid = 2, .name = "zapper" };
	gfn_t g = 0;

	shim_task_enter(&task);
	while (!__atomic_load_n(&rc->stop, __ATOMIC_ACQUIRE)) {
		struct kvm_gfn_range range = {
			.slot = rc->w->slots[0], .start = GFN_4G + g, .end = GFN_4G + g + 64,
			.attr_filter = KVM_FILTER_SHARED | KVM_FILTER_PRIVATE, .may_block = true,
		};

		write_lock(&kvm->mmu_lock);
		WRITE_ONCE(kvm->mmu_invalidate_in_progress, kvm->mmu_invalidate_in_progress + 1);
		WRITE_ONCE(kvm->mmu_invalidate_range_start, range.start);
		WRITE_ONCE(kvm->mmu_invalidate_range_end, range.end);
		if (kvm_unmap_gfn_range(kvm, &range))
			kvm_flush_remote_tlbs(kvm);
		write_unlock(&kvm->mmu_lock);
		write_lock(&kvm->mmu_lock);
		WRITE_ONCE(kvm->mmu_invalidate_seq, kvm->mmu_invalidate_seq + 1);
		WRITE_ONCE(kvm->mmu_invalidate_in_progress, kvm->mmu_invalidate_in_progress - 1);
		write_unlock(&kvm->mmu_lock);
		g = (g + 61) % P2M;
	}
	shim_task_exit();
	return NULL;
}

START_TEST(test_free_running_access_vs_zap)
{
	struct stub_world *w = world_with_slot(KVM_X86_DEFAULT_VM, 0, P2M);
	struct race_ctx rc = { .w = w };
	pthread_t a, b;

	w->host_level = PG_LEVEL_4K;
	pthread_create(&a, NULL, race_vcpu, &rc);
	pthread_create(&b, NULL, race_zapper, &rc);
	pthread_join(a, NULL);
	pthread_join(b, NULL);
	ck_assert_uint_gt(rc.accesses, 0);
	ck_assert_uint_eq(rc.bad, 0);
	ck_assert_int_eq(shim_report_count(SHIM_REPORT_WARN), 0);
	stub_world_free(w);
}
END_TEST

static Suite *fault_suite(void)
{
	Suite *s = suite_create("mmu_fault");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_sw_protected_private_fault);
	tcase_add_test(tc, test_shared_fault_uses_gup);
	tcase_add_test(tc, test_gmem_only_shared_fault);
	tcase_add_test(tc, test_pke2_private_on_plain_slot);
	tcase_add_test(tc, test_pke1_private_no_slot);
	tcase_add_test(tc, test_shared_no_slot_mmio);
	tcase_add_test(tc, test_snp_mismatch_above_slot_checks);
	tcase_add_loop_test(tc, test_gmem_errors_propagate, 0, ARRAY_SIZE(gmem_errs));
	tcase_add_test(tc, test_readonly_write_is_mmio);
	tcase_add_test(tc, test_racing_invalidation_retries);
	tcase_add_test(tc, test_huge_shared_then_mixed);
	tcase_add_test(tc, test_tlb_stale_until_flush);
	tcase_add_loop_test(tc, test_zap_filters, 0, ARRAY_SIZE(filter_rows));
	tcase_add_test(tc, test_tdx_shared_bit);
	tcase_add_test(tc, test_pre_fault_ranges);
	tcase_add_loop_test(tc, test_pre_fault_before_launch, 0, ARRAY_SIZE(launch_types));
	tcase_add_test(tc, test_pre_fault_invalid_slot);
	tcase_add_loop_test(tc, test_b10_gmem_level, 0, ARRAY_SIZE(b10_rows));
	tcase_add_test(tc, test_free_running_access_vs_zap);
	tcase_add_test(tc, test_tdp_store_replace_and_counts);
	suite_add_tcase(s, tc);
	return s;
}

int main(int argc, char **argv)
{
	SRunner *sr = srunner_create(fault_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
