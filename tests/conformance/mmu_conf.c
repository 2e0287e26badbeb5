// SPDX-License-Identifier: GPL-2.0
/*
 * Conformance rows of the x86 MMU (spec §4.3-§4.5, §4.7) run through the
 * model backend with conf_util: PKE-1, PKE-2, PF-01..PF-04, PF-06, PF-07
 * (model semantics: the model supports pre-fault although the CI host does
 * not), SPEC-12..SPEC-14 in their single-thread form, and the PMC- rows a
 * single-threaded trace can express.  After every call conf_util runs the
 * backend's quiescent checkers, which include kvm_mmu_check_invariants()
 * (stale mapping I-2, attribute agreement, huge-page uniformity I-3, TLB).
 *
 * Rows that need two racing threads (PF-05, SPEC-15, the concurrent halves
 * of SPEC-12/13, PMC-11) are left to the explorer's traces.
 */
#include <check.h>
#include <stdlib.h>

#include "conf_util.h"

#include <linux/kvm_host.h>
#include "../../model/arch/x86/kvm/mmu/mmu_internal.h"

#define TEST_GPA	(1ULL << 32)
#define TEST_SIZE	(SZ_2M + PAGE)
#define PRIV		KVM_MEMORY_ATTRIBUTE_PRIVATE

struct vmenv {
	struct conf *c;
	int vm, vcpu, gmem, map;
};

/*
 * A VM of @type with one memslot at TEST_GPA of @size: gmem-backed (with an
 * anonymous shared backing too) when @gmem, plain anonymous otherwise.
 */
static struct vmenv env_new(unsigned long type, bool gmem, uint64_t size)
{
	struct vmenv e = { .gmem = -1 };
	struct trace_result r;

	e.c = conf_new(NULL);
	e.vm = conf_vm(e.c, type);
	ck_assert_int_ge(e.vm, 0);
	e.vcpu = conf_bind(e.c, TOP_VCPU_CREATE, H(e.vm), N(0));
	ck_assert_int_ge(e.vcpu, 0);
	e.map = conf_bind(e.c, TOP_ANON_MMAP, N(size));
	ck_assert_int_ge(e.map, 0);
	if (gmem) {
		e.gmem = conf_gmem(e.c, e.vm, size, 0);
		ck_assert_int_ge(e.gmem, 0);
	}
	r = conf_call(e.c, TOP_SET_USER_MEMORY_REGION2, H(e.vm), N(0),
		      N(gmem ? KVM_MEM_GUEST_MEMFD : 0), N(TEST_GPA), N(size), H(e.map),
		      gmem ? H(e.gmem) : N(0), N(0));
	CONF_OK(r);
	return e;
}

static void assert_mf_exit(struct trace_result r, uint64_t gpa, uint64_t flags)
{
	ck_assert_msg(r.kind == TRES_EXIT && r.exit_reason == KVM_EXIT_MEMORY_FAULT &&
		      r.err == EFAULT && r.mf_gpa == gpa && r.mf_size == PAGE &&
		      r.mf_flags == flags,
		      "expected exit(MEMORY_FAULT, gpa=0x%llx, size=4096, flags=0x%llx) EFAULT, got %s",
		      (unsigned long long)gpa, (unsigned long long)flags, conf_fmt(&r));
}

/* PKE-1: private gmem page, memslot deleted before the guest reads it. */
START_TEST(test_PKE_1_private_after_slot_delete)
{
	struct vmenv e = env_new(KVM_X86_SW_PROTECTED_VM, true, PAGE);

	CONF_OK(conf_attrs(e.c, e.vm, TEST_GPA, PAGE, PRIV, 0));
	CONF_OK(conf_call(e.c, TOP_SET_USER_MEMORY_REGION2, H(e.vm), N(0), N(KVM_MEM_GUEST_MEMFD),
			  N(TEST_GPA), N(0), N(0), H(e.gmem), N(0)));
	assert_mf_exit(conf_call(e.c, TOP_GUEST_READ, H(e.vcpu), N(TEST_GPA), N(8), N(1)),
		       TEST_GPA, KVM_MEMORY_EXIT_FLAG_PRIVATE);
	conf_free(e.c);
}
END_TEST

/* PKE-1, the "while" variant: mapped first, then the slot goes away. */
START_TEST(test_PKE_1_private_mapped_then_deleted)
{
	struct vmenv e = env_new(KVM_X86_SW_PROTECTED_VM, true, PAGE);

	CONF_OK(conf_attrs(e.c, e.vm, TEST_GPA, PAGE, PRIV, 0));
	CONF_OK(conf_call(e.c, TOP_GUEST_WRITE, H(e.vcpu), N(TEST_GPA), N(0x11), N(8), N(1)));
	CONF_OK(conf_call(e.c, TOP_SET_USER_MEMORY_REGION2, H(e.vm), N(0), N(KVM_MEM_GUEST_MEMFD),
			  N(TEST_GPA), N(0), N(0), H(e.gmem), N(0)));
	assert_mf_exit(conf_call(e.c, TOP_GUEST_READ, H(e.vcpu), N(TEST_GPA), N(8), N(1)),
		       TEST_GPA, KVM_MEMORY_EXIT_FLAG_PRIVATE);
	conf_free(e.c);
}
END_TEST

/* PKE-2: PRIVATE on a memslot without guest_memfd. */
START_TEST(test_PKE_2_private_on_plain_slot)
{
	struct vmenv e = env_new(KVM_X86_SW_PROTECTED_VM, false, PAGE);

	CONF_OK(conf_attrs(e.c, e.vm, TEST_GPA, PAGE, PRIV, 0));
	assert_mf_exit(conf_call(e.c, TOP_GUEST_READ, H(e.vcpu), N(TEST_GPA), N(8), N(1)),
		       TEST_GPA, KVM_MEMORY_EXIT_FLAG_PRIVATE);
	conf_free(e.c);
}
END_TEST

/* ---- §4.5 pre-fault: rows × {DEFAULT shared, SW_PROTECTED shared, SW_PROTECTED private} ---- */

static const struct {
	const char *name;
	unsigned long type;
	bool private;
} pf_variants[] = {
	{ "DEFAULT", KVM_X86_DEFAULT_VM, false },
	{ "SW_PROTECTED shared", KVM_X86_SW_PROTECTED_VM, false },
	{ "SW_PROTECTED private", KVM_X86_SW_PROTECTED_VM, true },
};

static struct vmenv pf_env(int v)
{
	struct vmenv e = env_new(pf_variants[v].type, pf_variants[v].private, TEST_SIZE);

	if (pf_variants[v].private)
		CONF_OK(conf_attrs(e.c, e.vm, TEST_GPA, TEST_SIZE, PRIV, 0));
	return e;
}

static struct trace_result pre_fault(struct vmenv *e, uint64_t gpa, uint64_t size, uint64_t flags)
{
	return conf_call(e->c, TOP_PRE_FAULT_MEMORY, H(e->vcpu), N(gpa), N(size), N(flags));
}

/* The selftest's helper: loop (EINTR retried), each call shrinks size xor fails. */
static struct trace_result pre_fault_loop(struct vmenv *e, uint64_t gpa, uint64_t size)
{
	struct trace_result r;

	for (;;) {
		r = pre_fault(e, gpa, size, 0);
		if (r.kind == TRES_ERRNO && r.err == EINTR)
			continue;
		if (r.kind != TRES_OK || r.remaining == 0)
			return r;
		ck_assert_msg(r.remaining < size, "pre_fault made no progress: %s", conf_fmt(&r));
		gpa += size - r.remaining;
		size = r.remaining;
	}
}

START_TEST(test_PF_01_full_range)
{
	struct vmenv e = pf_env(_i);
	struct trace_result r = pre_fault(&e, TEST_GPA, SZ_2M, 0);

	ck_assert_msg(r.kind == TRES_OK && r.ret == 0 && r.remaining == 0, "%s: %s",
		      pf_variants[_i].name, conf_fmt(&r));
	conf_free(e.c);
}
END_TEST

START_TEST(test_PF_02_straddles_slot_end)
{
	struct vmenv e = pf_env(_i);
	struct trace_result r = pre_fault(&e, TEST_GPA + SZ_2M, 2 * PAGE, 0);

	ck_assert_msg(r.kind == TRES_OK && r.remaining == PAGE, "%s: %s", pf_variants[_i].name,
		      conf_fmt(&r));
	r = pre_fault(&e, TEST_GPA + SZ_2M + PAGE, PAGE, 0);
	CONF_ERRNO(r, ENOENT);
	ck_assert_uint_eq(r.remaining, PAGE);
	conf_free(e.c);
}
END_TEST

START_TEST(test_PF_03_outside_slot)
{
	struct vmenv e = pf_env(_i);
	struct trace_result r = pre_fault(&e, TEST_GPA + TEST_SIZE, PAGE, 0);

	CONF_ERRNO(r, ENOENT);
	ck_assert_uint_eq(r.remaining, PAGE);
	conf_free(e.c);
}
END_TEST

START_TEST(test_PF_04_einval)
{
	struct vmenv e = pf_env(_i);

	CONF_ERRNO(pre_fault(&e, TEST_GPA, PAGE, 1), EINVAL);
	CONF_ERRNO(pre_fault(&e, TEST_GPA + 1, PAGE, 0), EINVAL);
	CONF_ERRNO(pre_fault(&e, TEST_GPA, PAGE + 1, 0), EINVAL);
	CONF_ERRNO(pre_fault(&e, TEST_GPA, 0, 0), EINVAL);
	CONF_ERRNO(pre_fault(&e, -PAGE, 2 * PAGE, 0), EINVAL);
	conf_free(e.c);
}
END_TEST

/* PF-06: pre-faulted memory is usable by the guest. */
START_TEST(test_PF_06_guest_runs_after)
{
	struct vmenv e = pf_env(_i);
	int priv = pf_variants[_i].private;

	CONF_OK(pre_fault_loop(&e, TEST_GPA, TEST_SIZE));
	CONF_OK(conf_call(e.c, TOP_GUEST_WRITE, H(e.vcpu), N(TEST_GPA + PAGE), N(0x5a), N(PAGE),
			  N(priv)));
	CONF_VALUE(conf_call(e.c, TOP_GUEST_READ, H(e.vcpu), N(TEST_GPA + PAGE), N(PAGE), N(priv)),
		   0x5a);
	conf_free(e.c);
}
END_TEST

/* PF-07 / B-13: SNP and TDX refuse until launch finish. */
static const unsigned long coco_types[] = { KVM_X86_SNP_VM, KVM_X86_TDX_VM };

START_TEST(test_PF_07_coco_before_launch)
{
	struct vmenv e = env_new(coco_types[_i], true, TEST_SIZE);
	struct trace_result r;

	CONF_OK(conf_attrs(e.c, e.vm, TEST_GPA, TEST_SIZE, PRIV, 0));
	r = pre_fault(&e, TEST_GPA, PAGE, 0);
	CONF_ERRNO(r, EOPNOTSUPP);
	ck_assert_uint_eq(r.remaining, PAGE);
	CONF_OK(conf_call(e.c, TOP_LAUNCH_FINISH, H(e.vm)));
	r = pre_fault(&e, TEST_GPA, PAGE, 0);
	ck_assert_msg(r.kind == TRES_OK && r.remaining == 0, "after launch: %s", conf_fmt(&r));
	conf_free(e.c);
}
END_TEST

/*
 * SPEC-12 (single-thread half): a punched private page is never reached
 * through the old pfn; the next fault maps a fresh zeroed folio.
 */
START_TEST(test_SPEC_12_punch_then_refault)
{
	struct vmenv e = env_new(KVM_X86_SW_PROTECTED_VM, true, SZ_2M);

	CONF_OK(conf_attrs(e.c, e.vm, TEST_GPA, SZ_2M, PRIV, 0));
	CONF_OK(conf_call(e.c, TOP_GUEST_WRITE, H(e.vcpu), N(TEST_GPA), N(0x11), N(PAGE), N(1)));
	CONF_OK(conf_call(e.c, TOP_FALLOCATE, H(e.gmem),
			  N(CONF_FALLOC_KEEP_SIZE | CONF_FALLOC_PUNCH_HOLE), N(0), N(PAGE)));
	CONF_VALUE(conf_call(e.c, TOP_GUEST_READ, H(e.vcpu), N(TEST_GPA), N(PAGE), N(1)), 0);
	conf_free(e.c);
}
END_TEST

/*
 * SPEC-13 (single-thread half): a THP-backed shared frame mapped 2M; one gfn
 * becomes private; afterwards no 2M shared SPTE covers it, the frame is
 * MIXED, and shared accesses elsewhere in the frame still work.  (anon_mmap
 * is shmem THP under MADV_HUGEPAGE now, so the first write maps 2M; the 2M
 * mapping itself is checked in conf_model.c, SPEC_3_5_*.)
 */
START_TEST(test_SPEC_13_convert_inside_huge_frame)
{
	struct vmenv e = env_new(KVM_X86_SW_PROTECTED_VM, true, 2 * SZ_2M);
	struct kvm *kvm;
	int level = 0;
	u64 spte;

	CONF_OK(conf_call(e.c, TOP_MADVISE, H(e.map), N(0), N(2 * SZ_2M), N(CONF_MADV_HUGEPAGE)));
	CONF_OK(conf_call(e.c, TOP_GUEST_WRITE, H(e.vcpu), N(TEST_GPA), N(0x22), N(PAGE), N(0)));
	kvm = conf_kvm(e.c, e.vm);
	CONF_OK(conf_attrs(e.c, e.vm, TEST_GPA + 5 * PAGE, PAGE, PRIV, 0));
	spte = kvm_tdp_mmu_walk(kvm, (TEST_GPA >> 12) + 5, false, &level);
	ck_assert(!is_shadow_present_pte(spte) || (level == PG_LEVEL_4K && is_private_pte(spte)));
	CONF_VALUE(conf_call(e.c, TOP_GUEST_READ, H(e.vcpu), N(TEST_GPA), N(PAGE), N(0)), 0x22);
	spte = kvm_tdp_mmu_walk(kvm, TEST_GPA >> 12, false, &level);
	ck_assert(is_shadow_present_pte(spte));
	ck_assert_int_eq(level, PG_LEVEL_4K);
	conf_free(e.c);
}
END_TEST

/* SPEC-14 / B-01: unaligned slot, head/tail frame conversions stay in bounds. */
static const struct {
	uint64_t gpa_off, size, conv_off, conv_size;
} spec14_rows[] = {
	{ PAGE, 3 * SZ_2M, 0, PAGE },				/* first page */
	{ PAGE, 3 * SZ_2M, 3 * SZ_2M - PAGE, PAGE },		/* last page */
	{ PAGE, 3 * SZ_2M, 0, 3 * SZ_2M },			/* whole slot */
	{ 5 * PAGE, SZ_2M + 3 * PAGE, SZ_2M - 8 * PAGE, 16 * PAGE }, /* across a 2M boundary */
};

START_TEST(test_SPEC_14_unaligned_slot_bounds)
{
	struct conf *c = conf_new(NULL);
	int vm = conf_vm(c, KVM_X86_SW_PROTECTED_VM);
	int gmem = conf_gmem(c, vm, spec14_rows[_i].size, 0);
	uint64_t gpa = TEST_GPA + spec14_rows[_i].gpa_off;

	CONF_OK(conf_region2(c, vm, 0, KVM_MEM_GUEST_MEMFD, gpa, spec14_rows[_i].size, 0, gmem, 0));
	CONF_OK(conf_attrs(c, vm, gpa + spec14_rows[_i].conv_off, spec14_rows[_i].conv_size, PRIV, 0));
	CONF_OK(conf_attrs(c, vm, gpa + spec14_rows[_i].conv_off, spec14_rows[_i].conv_size, 0, 0));
	/* ranges reaching outside the slot on both sides */
	CONF_OK(conf_attrs(c, vm, TEST_GPA - SZ_1G, 2 * SZ_1G, PRIV, 0));
	conf_free(c);
}
END_TEST

/*
 * PMC-01..PMC-07 and PMC-10 on one 2M+4K chunk with test range (4K, 2M):
 * shared backing via the HVA, private via gmem, no in-place conversion.
 */
START_TEST(test_PMC_single_thread_sequence)
{
	struct vmenv e = env_new(KVM_X86_SW_PROTECTED_VM, true, TEST_SIZE);
	const uint64_t off = PAGE, len = SZ_2M;
	uint64_t i;

	/* PMC-01 */
	CONF_OK(conf_call(e.c, TOP_GUEST_WRITE, H(e.vcpu), N(TEST_GPA), N(0xaa), N(TEST_SIZE), N(0)));
	CONF_VALUE(conf_call(e.c, TOP_HOST_READ, H(e.map), N(0), N(TEST_SIZE)), 0xaa);
	CONF_OK(conf_call(e.c, TOP_HOST_WRITE, H(e.map), N(0), N(0xcc), N(TEST_SIZE)));
	CONF_VALUE(conf_call(e.c, TOP_GUEST_READ, H(e.vcpu), N(TEST_GPA), N(TEST_SIZE), N(0)), 0xcc);
	/* PMC-02: p1 shared, convert, p2 private; host still sees p1 */
	CONF_OK(conf_call(e.c, TOP_GUEST_WRITE, H(e.vcpu), N(TEST_GPA + off), N(0x11), N(len), N(0)));
	CONF_OK(conf_attrs(e.c, e.vm, TEST_GPA + off, len, PRIV, 0));
	CONF_OK(conf_call(e.c, TOP_GUEST_WRITE, H(e.vcpu), N(TEST_GPA + off), N(0x22), N(len), N(1)));
	CONF_VALUE(conf_call(e.c, TOP_HOST_READ, H(e.map), N(off), N(len)), 0x11);
	/* PMC-03 */
	CONF_VALUE(conf_call(e.c, TOP_GUEST_READ, H(e.vcpu), N(TEST_GPA + off), N(len), N(1)), 0x22);
	/* PMC-04: outside the range still 0xcc */
	CONF_VALUE(conf_call(e.c, TOP_GUEST_READ, H(e.vcpu), N(TEST_GPA), N(off), N(0)), 0xcc);
	/* PMC-05/06: odd pages back to shared one at a time (first 8 of them) */
	for (i = 1; i < 16; i += 2) {
		uint64_t gpa = TEST_GPA + off + i * PAGE;

		CONF_OK(conf_attrs(e.c, e.vm, gpa, PAGE, 0, 0));
		CONF_VALUE(conf_call(e.c, TOP_HOST_READ, H(e.map), N(off + i * PAGE), N(PAGE)), 0x11);
		CONF_OK(conf_call(e.c, TOP_HOST_WRITE, H(e.map), N(off + i * PAGE), N(0x33), N(PAGE)));
		CONF_VALUE(conf_call(e.c, TOP_GUEST_READ, H(e.vcpu), N(gpa), N(PAGE), N(0)), 0x33);
		CONF_VALUE(conf_call(e.c, TOP_GUEST_READ, H(e.vcpu), N(gpa - PAGE), N(PAGE), N(1)), 0x22);
		CONF_VALUE(conf_call(e.c, TOP_HOST_READ, H(e.map), N(off + (i - 1) * PAGE), N(PAGE)), 0x11);
	}
	/* PMC-07: whole range shared; guest writes p3, host checks, writes p4 */
	CONF_OK(conf_attrs(e.c, e.vm, TEST_GPA + off, len, 0, 0));
	CONF_OK(conf_call(e.c, TOP_GUEST_WRITE, H(e.vcpu), N(TEST_GPA + off), N(0x33), N(len), N(0)));
	CONF_VALUE(conf_call(e.c, TOP_HOST_READ, H(e.map), N(off), N(len)), 0x33);
	CONF_OK(conf_call(e.c, TOP_HOST_WRITE, H(e.map), N(off), N(0x44), N(len)));
	CONF_VALUE(conf_call(e.c, TOP_GUEST_READ, H(e.vcpu), N(TEST_GPA + off), N(len), N(0)), 0x44);
	/* PMC-10: private again, punch exactly the range: reads zeros */
	CONF_OK(conf_attrs(e.c, e.vm, TEST_GPA + off, len, PRIV, 0));
	CONF_OK(conf_call(e.c, TOP_FALLOCATE, H(e.gmem),
			  N(CONF_FALLOC_KEEP_SIZE | CONF_FALLOC_PUNCH_HOLE), N(off), N(len)));
	CONF_VALUE(conf_call(e.c, TOP_GUEST_READ, H(e.vcpu), N(TEST_GPA + off), N(len), N(1)), 0);
	/* PMC-08: back to shared with punch: all private memory freed */
	CONF_OK(conf_call(e.c, TOP_FALLOCATE, H(e.gmem),
			  N(CONF_FALLOC_KEEP_SIZE | CONF_FALLOC_PUNCH_HOLE), N(0), N(TEST_SIZE)));
	CONF_OK(conf_attrs(e.c, e.vm, TEST_GPA, TEST_SIZE, 0, 0));
	conf_free(e.c);
}
END_TEST

/*
 * PMC-09 over the selftest's test ranges (offset, size) in a 2M+4K chunk:
 * chunk private, host punches the whole chunk, guest writes 0xcc to the
 * range and reads it back; the rest of the chunk reads zeros.
 */
static const struct {
	uint64_t off, size;
} pmc_ranges[] = {
	{ 0, PAGE }, { 0, SZ_2M }, { PAGE, PAGE }, { PAGE, SZ_2M }, { SZ_2M, PAGE },
};

START_TEST(test_PMC_09_punch_then_rewrite)
{
	struct vmenv e = env_new(KVM_X86_SW_PROTECTED_VM, true, TEST_SIZE);
	uint64_t gpa = TEST_GPA + pmc_ranges[_i].off, len = pmc_ranges[_i].size;

	CONF_OK(conf_attrs(e.c, e.vm, TEST_GPA, TEST_SIZE, PRIV, 0));
	CONF_OK(conf_call(e.c, TOP_GUEST_WRITE, H(e.vcpu), N(TEST_GPA), N(0x11), N(TEST_SIZE), N(1)));
	CONF_OK(conf_call(e.c, TOP_FALLOCATE, H(e.gmem),
			  N(CONF_FALLOC_KEEP_SIZE | CONF_FALLOC_PUNCH_HOLE), N(0), N(TEST_SIZE)));
	CONF_OK(conf_call(e.c, TOP_GUEST_WRITE, H(e.vcpu), N(gpa), N(0xcc), N(len), N(1)));
	CONF_VALUE(conf_call(e.c, TOP_GUEST_READ, H(e.vcpu), N(gpa), N(len), N(1)), 0xcc);
	if (pmc_ranges[_i].off)
		CONF_VALUE(conf_call(e.c, TOP_GUEST_READ, H(e.vcpu), N(TEST_GPA), N(PAGE), N(1)), 0);
	conf_free(e.c);
}
END_TEST

/* x86 capabilities (spec §2.5) and VM types. */
START_TEST(test_x86_caps_and_vm_types)
{
	struct conf *c = conf_new(NULL);
	int vm = conf_vm(c, KVM_X86_SW_PROTECTED_VM);

	CONF_RET(conf_call(c, TOP_CHECK_EXTENSION, N(0), N(KVM_CAP_VM_TYPES)),
		 BIT(KVM_X86_DEFAULT_VM) | BIT(KVM_X86_SW_PROTECTED_VM) | BIT(KVM_X86_SNP_VM) |
		 BIT(KVM_X86_TDX_VM));
	CONF_RET(conf_call(c, TOP_CHECK_EXTENSION, H(vm), N(KVM_CAP_PRE_FAULT_MEMORY)), 1);
	CONF_RET(conf_call(c, TOP_CHECK_EXTENSION, H(vm), N(KVM_CAP_MEMORY_FAULT_INFO)), 1);
	CONF_ERRNO(conf_call(c, TOP_VM_CREATE, N(KVM_X86_SEV_VM)), EINVAL);
	CONF_ERRNO(conf_call(c, TOP_VM_CREATE, N(64)), EINVAL);
	conf_free(c);
}
END_TEST

/*
 * SNP / TDX: the guest says private (C-bit / no shared bit); accesses that
 * disagree with the attributes exit with the fault's own privateness.
 */
START_TEST(test_x86_coco_private_access)
{
	struct vmenv e = env_new(coco_types[_i], true, SZ_2M);

	CONF_OK(conf_attrs(e.c, e.vm, TEST_GPA, PAGE, PRIV, 0));
	CONF_OK(conf_call(e.c, TOP_GUEST_WRITE, H(e.vcpu), N(TEST_GPA), N(0x77), N(PAGE), N(1)));
	CONF_VALUE(conf_call(e.c, TOP_GUEST_READ, H(e.vcpu), N(TEST_GPA), N(PAGE), N(1)), 0x77);
	assert_mf_exit(conf_call(e.c, TOP_GUEST_READ, H(e.vcpu), N(TEST_GPA), N(8), N(0)),
		       TEST_GPA, 0);
	assert_mf_exit(conf_call(e.c, TOP_GUEST_READ, H(e.vcpu), N(TEST_GPA + PAGE), N(8), N(1)),
		       TEST_GPA + PAGE, KVM_MEMORY_EXIT_FLAG_PRIVATE);
	/* shared page through the HVA backing */
	CONF_OK(conf_call(e.c, TOP_GUEST_WRITE, H(e.vcpu), N(TEST_GPA + PAGE), N(0x66), N(PAGE), N(0)));
	CONF_VALUE(conf_call(e.c, TOP_HOST_READ, H(e.map), N(PAGE), N(PAGE)), 0x66);
	conf_free(e.c);
}
END_TEST

/* §3.3: an injected vendor prepare failure is returned with the exit. */
START_TEST(test_x86_snp_prepare_failure)
{
	struct vmenv e = env_new(KVM_X86_SNP_VM, true, SZ_2M);
	struct trace_result r;

	CONF_OK(conf_attrs(e.c, e.vm, TEST_GPA, PAGE, PRIV, 0));
	kvm_x86_inject_gmem_prepare_error(conf_kvm(e.c, e.vm), -EIO, 1);
	r = conf_call(e.c, TOP_GUEST_WRITE, H(e.vcpu), N(TEST_GPA), N(0x12), N(PAGE), N(1));
	ck_assert_msg(r.kind == TRES_EXIT && r.exit_reason == KVM_EXIT_MEMORY_FAULT &&
		      r.err == EIO && r.mf_flags == KVM_MEMORY_EXIT_FLAG_PRIVATE,
		      "expected exit(MEMORY_FAULT, flags=PRIVATE) EIO, got %s", conf_fmt(&r));
	CONF_OK(conf_call(e.c, TOP_GUEST_WRITE, H(e.vcpu), N(TEST_GPA), N(0x12), N(PAGE), N(1)));
	CONF_VALUE(conf_call(e.c, TOP_GUEST_READ, H(e.vcpu), N(TEST_GPA), N(PAGE), N(1)), 0x12);
	conf_free(e.c);
}
END_TEST

/*
 * Bug zoo: each historical x86 MMU defect, switched back on, must be seen
 * by a checker or by a changed result (the correct model passes the same
 * steps above).  Rows: defect, VM type, what the scenario runs.
 */
static int count_violations(struct conf *c)
{
	int n = c->ops->check(c->b, c->v, 8);

	c->nviolations += n;
	return n;
}

START_TEST(test_zoo_b01_lpage_overflow_detected)
{
	struct conf *c = conf_new(NULL);
	int vm = conf_vm(c, KVM_X86_SW_PROTECTED_VM);
	int gmem = conf_gmem(c, vm, 3 * SZ_2M, 0);

	CONF_OK(conf_region2(c, vm, 0, KVM_MEM_GUEST_MEMFD, TEST_GPA + PAGE, 3 * SZ_2M, 0, gmem, 0));
	ck_assert_int_eq(kvm_x86_inject_defect(conf_kvm(c, vm), "b01-lpage-overflow"), 0);
	c->no_check = true;
	conf_attrs(c, vm, TEST_GPA + PAGE, PAGE, PRIV, 0);
	ck_assert_int_gt(count_violations(c), 0);	/* lpage_info out of bounds */
	conf_free_count(c);
}
END_TEST

START_TEST(test_zoo_b15_mismatch_late_detected)
{
	struct conf *c = conf_new(NULL);
	int vm = conf_vm(c, KVM_X86_SNP_VM);
	int vcpu = conf_bind(c, TOP_VCPU_CREATE, H(vm), N(0));
	struct trace_result r;

	CONF_OK(conf_attrs(c, vm, TEST_GPA, PAGE, PRIV, 0));
	ck_assert_int_eq(kvm_x86_inject_defect(conf_kvm(c, vm), "b15-mismatch-late"), 0);
	/* correct: exit(MEMORY_FAULT, flags=0); with the defect: MMIO */
	r = conf_call(c, TOP_GUEST_READ, H(vcpu), N(TEST_GPA), N(8), N(0));
	ck_assert_msg(r.kind == TRES_EXIT && r.exit_reason == KVM_EXIT_MMIO, "got %s", conf_fmt(&r));
	conf_free(c);
}
END_TEST

START_TEST(test_zoo_no_slot_flush_detected)
{
	struct vmenv e = env_new(KVM_X86_SW_PROTECTED_VM, true, PAGE);

	CONF_OK(conf_attrs(e.c, e.vm, TEST_GPA, PAGE, PRIV, 0));
	CONF_OK(conf_call(e.c, TOP_GUEST_WRITE, H(e.vcpu), N(TEST_GPA), N(0x11), N(8), N(1)));
	ck_assert_int_eq(kvm_x86_inject_defect(conf_kvm(e.c, e.vm), "mmu-no-slot-flush"), 0);
	e.c->no_check = true;
	CONF_OK(conf_call(e.c, TOP_SET_USER_MEMORY_REGION2, H(e.vm), N(0), N(KVM_MEM_GUEST_MEMFD),
			  N(TEST_GPA), N(0), N(0), H(e.gmem), N(0)));
	ck_assert_int_gt(count_violations(e.c), 0);	/* [tlb] stale translation */
	conf_free_count(e.c);
}
END_TEST

START_TEST(test_zoo_unknown_defect)
{
	struct conf *c = conf_new(NULL);
	int vm = conf_vm(c, KVM_X86_DEFAULT_VM);

	ck_assert_int_eq(kvm_x86_inject_defect(conf_kvm(c, vm), "no-such-defect"), -ENOENT);
	conf_free(c);
}
END_TEST

static Suite *mmu_conf_suite(void)
{
	Suite *s = suite_create("mmu_conf");
	TCase *tc = tcase_create("rows");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_PKE_1_private_after_slot_delete);
	tcase_add_test(tc, test_PKE_1_private_mapped_then_deleted);
	tcase_add_test(tc, test_PKE_2_private_on_plain_slot);
	tcase_add_loop_test(tc, test_PF_01_full_range, 0, ARRAY_SIZE(pf_variants));
	tcase_add_loop_test(tc, test_PF_02_straddles_slot_end, 0, ARRAY_SIZE(pf_variants));
	tcase_add_loop_test(tc, test_PF_03_outside_slot, 0, ARRAY_SIZE(pf_variants));
	tcase_add_loop_test(tc, test_PF_04_einval, 0, ARRAY_SIZE(pf_variants));
	tcase_add_loop_test(tc, test_PF_06_guest_runs_after, 0, ARRAY_SIZE(pf_variants));
	tcase_add_loop_test(tc, test_PF_07_coco_before_launch, 0, ARRAY_SIZE(coco_types));
	tcase_add_test(tc, test_SPEC_12_punch_then_refault);
	tcase_add_test(tc, test_SPEC_13_convert_inside_huge_frame);
	tcase_add_loop_test(tc, test_SPEC_14_unaligned_slot_bounds, 0, ARRAY_SIZE(spec14_rows));
	tcase_add_test(tc, test_PMC_single_thread_sequence);
	tcase_add_loop_test(tc, test_PMC_09_punch_then_rewrite, 0, ARRAY_SIZE(pmc_ranges));
	tcase_add_test(tc, test_x86_caps_and_vm_types);
	tcase_add_loop_test(tc, test_x86_coco_private_access, 0, ARRAY_SIZE(coco_types));
	tcase_add_test(tc, test_x86_snp_prepare_failure);
	tcase_add_test(tc, test_zoo_b01_lpage_overflow_detected);
	tcase_add_test(tc, test_zoo_b15_mismatch_late_detected);
	tcase_add_test(tc, test_zoo_no_slot_flush_detected);
	tcase_add_test(tc, test_zoo_unknown_defect);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(mmu_conf_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
