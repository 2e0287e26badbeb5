// SPDX-License-Identifier: GPL-2.0
/*
 * The rows that needed more of the model than single accesses:
 *  - spec §3.5 shared huge SPTEs backed by host THP (shmem THP under
 *    MADV_HUGEPAGE), their limits (MIXED frames, 4K backing) and the THP
 *    split + mmu_notifier zap on DONTNEED / MADV_REMOVE / partial munmap;
 *  - GM-30..GM-33 (§1.9, §6.2, B-18): NUMA policy through the gmem mmap;
 *  - SMR-18..SMR-20 (§4.2): KVM_RUN of a guest loop (vcpu_run);
 *  - PMC-11 (§4.3): the private_mem_conversions scenarios with several
 *    vCPUs over several memslots, with and without fallocate, precise and
 *    imprecise punch.
 */
#include <stdlib.h>

#include "conf_util.h"
#include <linux/kvm_host.h>
#include <linux/mm.h>
#include <linux/mm_model.h>
#include <linux/mempolicy.h>
#include <uapi/linux/kvm_gmem.h>
#include "../../model/arch/x86/kvm/mmu/mmu_internal.h"

#define GPA0	(1ULL << 32)
#define PRIV	KVM_MEMORY_ATTRIBUTE_PRIVATE
#define KS	CONF_FALLOC_KEEP_SIZE
#define PH	CONF_FALLOC_PUNCH_HOLE
#define MADV_REMOVE_	9

/* The level of the SPTE mapping @gpa, 0 if none. */
static int conf_spte_level(struct conf *c, int vm, uint64_t gpa)
{
	int level = 0;
	u64 spte = kvm_tdp_mmu_walk(conf_kvm(c, vm), gpa >> PAGE_SHIFT, false, &level);

	return is_shadow_present_pte(spte) ? level : 0;
}

struct thp_env {
	struct conf *c;
	int vm, vcpu, map;
};

/*
 * A VM with one 4 MiB shared slot at GPA0 over a 2 MiB-aligned anonymous
 * shared mapping (do_mmap aligns lengths >= 2 MiB); @thp: MADV_HUGEPAGE.
 */
static struct thp_env thp_env(unsigned long type, bool thp)
{
	struct thp_env e = { .c = conf_new(NULL) };

	e.vm = conf_vm(e.c, type);
	e.map = conf_bind(e.c, TOP_ANON_MMAP, N(2 * SZ_2M));
	ck_assert_int_eq(conf_map_addr(e.c, e.map) % SZ_2M, 0);
	if (thp)
		CONF_OK(conf_call(e.c, TOP_MADVISE, H(e.map), N(0), N(2 * SZ_2M),
				  N(CONF_MADV_HUGEPAGE)));
	CONF_OK(conf_call(e.c, TOP_SET_USER_MEMORY_REGION2, H(e.vm), N(0), N(0), N(GPA0),
			  N(2 * SZ_2M), H(e.map), N(0), N(0)));
	e.vcpu = conf_bind(e.c, TOP_VCPU_CREATE, H(e.vm), N(0));
	return e;
}

/* §3.5: a 2 MiB-aligned shared slot backed by THP maps at 2M. */
START_TEST(SPEC_3_5_shared_thp_maps_2m)
{
	struct thp_env e = thp_env(KVM_X86_DEFAULT_VM, true);
	uint64_t hva = conf_map_addr(e.c, e.map);

	CONF_OK(conf_call(e.c, TOP_GUEST_WRITE, H(e.vcpu), N(GPA0 + 3 * PAGE), N(0x5a),
			  N(PAGE), N(0)));
	ck_assert_int_eq(host_pfn_mapping_level(current_mm(), hva), 2);
	ck_assert_int_eq(conf_spte_level(e.c, e.vm, GPA0), PG_LEVEL_2M);
	ck_assert_int_eq(conf_spte_level(e.c, e.vm, GPA0 + SZ_2M - PAGE), PG_LEVEL_2M);
	/* The second block has not been touched: no SPTE, no host mapping. */
	ck_assert_int_eq(conf_spte_level(e.c, e.vm, GPA0 + SZ_2M), 0);
	CONF_VALUE(conf_call(e.c, TOP_HOST_READ, H(e.map), N(3 * PAGE), N(PAGE)), 0x5a);
	CONF_VALUE(conf_call(e.c, TOP_GUEST_READ, H(e.vcpu), N(GPA0), N(PAGE), N(0)), 0);
	/* The host writes through its PMD; the guest sees it through the 2M SPTE. */
	CONF_OK(conf_call(e.c, TOP_HOST_WRITE, H(e.map), N(SZ_2M - PAGE), N(0x66), N(PAGE)));
	CONF_VALUE(conf_call(e.c, TOP_GUEST_READ, H(e.vcpu), N(GPA0 + SZ_2M - PAGE), N(PAGE),
			     N(0)), 0x66);
	conf_free(e.c);
}
END_TEST

/*
 * §3.5: no 2M SPTE when the frame's attributes are mixed (SW_PROTECTED, one
 * gfn private: KVM_LPAGE_MIXED_FLAG) or when the backing is 4K (no
 * MADV_HUGEPAGE, or a slot whose GPA and HVA are not congruent mod 2M).
 */
START_TEST(SPEC_3_5_no_2m_when_mixed_or_4k_backing)
{
	struct thp_env e = thp_env(KVM_X86_SW_PROTECTED_VM, true);
	struct conf *c;
	int vm, map, vcpu;

	CONF_OK(conf_attrs(e.c, e.vm, GPA0 + 7 * PAGE, PAGE, PRIV, 0));
	CONF_OK(conf_call(e.c, TOP_GUEST_WRITE, H(e.vcpu), N(GPA0), N(0x11), N(PAGE), N(0)));
	ck_assert_int_eq(host_pfn_mapping_level(current_mm(), conf_map_addr(e.c, e.map)), 2);
	ck_assert_int_eq(conf_spte_level(e.c, e.vm, GPA0), PG_LEVEL_4K);
	/* The other block is uniform: 2M again. */
	CONF_OK(conf_call(e.c, TOP_GUEST_WRITE, H(e.vcpu), N(GPA0 + SZ_2M), N(0x12), N(PAGE),
			  N(0)));
	ck_assert_int_eq(conf_spte_level(e.c, e.vm, GPA0 + SZ_2M), PG_LEVEL_2M);
	/* Converting the private gfn back clears MIXED: the next fault maps 2M. */
	CONF_OK(conf_attrs(e.c, e.vm, GPA0 + 7 * PAGE, PAGE, 0, 0));
	CONF_OK(conf_call(e.c, TOP_MADVISE, H(e.map), N(0), N(SZ_2M), N(CONF_MADV_DONTNEED)));
	CONF_VALUE(conf_call(e.c, TOP_GUEST_READ, H(e.vcpu), N(GPA0 + PAGE), N(1), N(0)), 0);
	ck_assert_int_eq(conf_spte_level(e.c, e.vm, GPA0), PG_LEVEL_2M);
	conf_free(e.c);

	e = thp_env(KVM_X86_DEFAULT_VM, false);
	CONF_OK(conf_call(e.c, TOP_GUEST_WRITE, H(e.vcpu), N(GPA0), N(0x13), N(PAGE), N(0)));
	ck_assert_int_eq(host_pfn_mapping_level(current_mm(), conf_map_addr(e.c, e.map)), 1);
	ck_assert_int_eq(conf_spte_level(e.c, e.vm, GPA0), PG_LEVEL_4K);
	conf_free(e.c);

	/* HVA 2M-aligned, GPA off by 4K: lpage_info disallows every 2M frame. */
	c = conf_new(NULL);
	vm = conf_vm(c, KVM_X86_DEFAULT_VM);
	map = conf_bind(c, TOP_ANON_MMAP, N(2 * SZ_2M));
	CONF_OK(conf_call(c, TOP_MADVISE, H(map), N(0), N(2 * SZ_2M), N(CONF_MADV_HUGEPAGE)));
	CONF_OK(conf_call(c, TOP_SET_USER_MEMORY_REGION2, H(vm), N(0), N(0), N(GPA0 + PAGE),
			  N(2 * SZ_2M), H(map), N(0), N(0)));
	vcpu = conf_bind(c, TOP_VCPU_CREATE, H(vm), N(0));
	CONF_OK(conf_call(c, TOP_GUEST_WRITE, H(vcpu), N(GPA0 + SZ_2M + PAGE), N(0x14), N(PAGE),
			  N(0)));
	ck_assert_int_eq(host_pfn_mapping_level(current_mm(), conf_map_addr(c, map) + SZ_2M), 2);
	ck_assert_int_eq(conf_spte_level(c, vm, GPA0 + SZ_2M + PAGE), PG_LEVEL_4K);
	conf_free(c);
}
END_TEST

/*
 * §3.5 + §2.3: DONTNEED (or MADV_REMOVE, or munmap) of one 4K page of a
 * THP-backed 2M SPTE: the host PMD is split, the notifier covers the whole
 * 2 MiB block, the huge SPTE goes, and the next fault maps 4K (the host now
 * maps the block with PTEs).
 */
static const struct {
	const char *what;
	int advice;		/* madvise, or -1: munmap of the page */
	int left;		/* value read back from the page */
} split_rows[] = {
	{ "DONTNEED", CONF_MADV_DONTNEED, 0x77 },	/* shmem keeps the page cache */
	{ "REMOVE", MADV_REMOVE_, 0 },			/* punched: zeroes */
	{ "munmap", -1, -1 },				/* gone: no slot backing */
};

START_TEST(SPEC_3_5_thp_split_zaps_huge_spte)
{
	struct thp_env e = thp_env(KVM_X86_DEFAULT_VM, true);
	uint64_t hva = conf_map_addr(e.c, e.map);
	struct kvm *kvm = conf_kvm(e.c, e.vm);
	unsigned long seq;
	struct trace_result r;

	CONF_OK(conf_call(e.c, TOP_GUEST_WRITE, H(e.vcpu), N(GPA0), N(0x77), N(SZ_2M), N(0)));
	ck_assert_int_eq(conf_spte_level(e.c, e.vm, GPA0), PG_LEVEL_2M);
	seq = kvm->mmu_invalidate_seq;
	if (split_rows[_i].advice >= 0) {
		CONF_OK(conf_call(e.c, TOP_MADVISE, H(e.map), N(5 * PAGE), N(PAGE),
				  N(split_rows[_i].advice)));
	} else {
		ck_assert_int_eq(do_munmap(current_mm(), hva + 5 * PAGE, PAGE), 0);
	}
	ck_assert_uint_gt(kvm->mmu_invalidate_seq, seq);
	ck_assert_int_eq(conf_spte_level(e.c, e.vm, GPA0), 0);
	ck_assert_int_eq(conf_spte_level(e.c, e.vm, GPA0 + 5 * PAGE), 0);
	ck_assert_int_eq(host_pfn_mapping_level(current_mm(), hva), 1);

	CONF_VALUE(conf_call(e.c, TOP_GUEST_READ, H(e.vcpu), N(GPA0 + 9 * PAGE), N(PAGE), N(0)),
		   0x77);
	ck_assert_int_eq(conf_spte_level(e.c, e.vm, GPA0 + 9 * PAGE), PG_LEVEL_4K);
	r = conf_call(e.c, TOP_GUEST_READ, H(e.vcpu), N(GPA0 + 5 * PAGE), N(PAGE), N(0));
	if (split_rows[_i].left >= 0) {
		CONF_VALUE(r, split_rows[_i].left);
		ck_assert_int_eq(conf_spte_level(e.c, e.vm, GPA0 + 5 * PAGE), PG_LEVEL_4K);
	} else {
		ck_assert_msg(r.kind != TRES_OK, "%s: guest read an unmapped page: %s",
			      split_rows[_i].what, conf_fmt(&r));
	}
	conf_free(e.c);
}
END_TEST

/* ---- GM-30..GM-33: NUMA policy through the gmem mmap (§1.9) ---- */

struct numa_env {
	struct conf *c;
	int vm, fd, map;
	uint64_t ino;
};

static struct numa_env numa_env(uint64_t size)
{
	struct numa_env e = { .c = conf_new(NULL) };
	struct trace_result r;

	e.vm = conf_vm(e.c, KVM_X86_DEFAULT_VM);
	e.fd = conf_gmem(e.c, e.vm, size, GUEST_MEMFD_FLAG_MMAP | GUEST_MEMFD_FLAG_INIT_SHARED);
	ck_assert_int_ge(e.fd, 0);
	e.map = conf_bind(e.c, TOP_MMAP, H(e.fd), N(size), N(CONF_PROT_RW),
			  N(CONF_MAP_SHARED), N(0));
	ck_assert_int_ge(e.map, 0);
	r = conf_call(e.c, TOP_FSTAT, H(e.fd));
	CONF_OK(r);
	e.ino = r.st_ino;
	ck_assert_int_eq(num_online_nodes(), 2);
	return e;
}

#define MODE(e, off)	conf_call((e).c, TOP_GET_MEMPOLICY, H((e).map), N(off), N(0))
#define NODES(e, off)	conf_call((e).c, TOP_GET_MEMPOLICY, H((e).map), N(off), N(1))

/* GM-30: mbind(INTERLEAVE, {0,1}) reads back INTERLEAVE with the same mask. */
START_TEST(GM_30_mbind_interleave_round_trip)
{
	struct numa_env e = numa_env(8 * PAGE);

	CONF_RET(MODE(e, 0), MPOL_DEFAULT);
	CONF_RET(NODES(e, 0), 0);
	CONF_RET(conf_call(e.c, TOP_MBIND, H(e.map), N(0), N(8 * PAGE), N(MPOL_INTERLEAVE),
			   N(0x3), N(0)), 0);
	CONF_RET(MODE(e, 0), MPOL_INTERLEAVE);
	CONF_RET(NODES(e, 7 * PAGE), 0x3);
	conf_free(e.c);
}
END_TEST

/* GM-31: BIND round-trips; DEFAULT resets; a sub-range keeps its neighbours. */
START_TEST(GM_31_mbind_bind_then_default)
{
	struct numa_env e = numa_env(8 * PAGE);

	CONF_RET(conf_call(e.c, TOP_MBIND, H(e.map), N(0), N(8 * PAGE), N(MPOL_BIND),
			   N(0x2), N(0)), 0);
	CONF_RET(MODE(e, 3 * PAGE), MPOL_BIND);
	CONF_RET(NODES(e, 3 * PAGE), 0x2);
	/* DEFAULT on the middle pages only: the outer ones stay bound. */
	CONF_RET(conf_call(e.c, TOP_MBIND, H(e.map), N(2 * PAGE), N(4 * PAGE), N(MPOL_DEFAULT),
			   N(0), N(0)), 0);
	CONF_RET(MODE(e, 2 * PAGE), MPOL_DEFAULT);
	CONF_RET(MODE(e, 5 * PAGE), MPOL_DEFAULT);
	CONF_RET(MODE(e, PAGE), MPOL_BIND);
	CONF_RET(MODE(e, 6 * PAGE), MPOL_BIND);
	CONF_RET(conf_call(e.c, TOP_MBIND, H(e.map), N(0), N(8 * PAGE), N(MPOL_DEFAULT),
			   N(0), N(0)), 0);
	CONF_RET(MODE(e, PAGE), MPOL_DEFAULT);
	CONF_RET(NODES(e, PAGE), 0);
	/* PREFERRED keeps the first node given; PREFERRED without nodes is LOCAL. */
	CONF_RET(conf_call(e.c, TOP_MBIND, H(e.map), N(0), N(PAGE), N(MPOL_PREFERRED),
			   N(0x2), N(0)), 0);
	CONF_RET(NODES(e, 0), 0x2);
	CONF_RET(conf_call(e.c, TOP_MBIND, H(e.map), N(0), N(PAGE), N(MPOL_PREFERRED),
			   N(0), N(0)), 0);
	CONF_RET(MODE(e, 0), MPOL_LOCAL);
	conf_free(e.c);
}
END_TEST

/* GM-32: invalid mode 999 -> EINVAL, and the other mbind checks in order. */
static const struct {
	const char *what;
	uint64_t off, len, mode, nodes, flags;
	int err;
} gm32_rows[] = {
	{ "mode 999", 0, PAGE, 999, 0x1, 0, EINVAL },
	{ "MPOL_MAX", 0, PAGE, MPOL_MAX, 0x1, 0, EINVAL },
	{ "unknown flag", 0, PAGE, MPOL_BIND, 0x1, 0x8, EINVAL },
	{ "unaligned start", 1, PAGE, MPOL_BIND, 0x1, 0, EINVAL },
	{ "BIND, no nodes", 0, PAGE, MPOL_BIND, 0, 0, EINVAL },
	{ "BIND, offline node only", 0, PAGE, MPOL_BIND, 0x4, 0, EINVAL },
	{ "INTERLEAVE, no nodes", 0, PAGE, MPOL_INTERLEAVE, 0, 0, EINVAL },
	{ "DEFAULT with nodes", 0, PAGE, MPOL_DEFAULT, 0x1, 0, EINVAL },
	{ "range past the mapping", 0, 9 * PAGE, MPOL_BIND, 0x1, 0, EFAULT },
};

START_TEST(GM_32_mbind_invalid)
{
	struct numa_env e = numa_env(8 * PAGE);

	CONF_ERRNO(conf_call(e.c, TOP_MBIND, H(e.map), N(gm32_rows[_i].off),
			     N(gm32_rows[_i].len), N(gm32_rows[_i].mode),
			     N(gm32_rows[_i].nodes), N(gm32_rows[_i].flags)),
		   gm32_rows[_i].err);
	/* Nothing changed. */
	CONF_RET(MODE(e, 0), MPOL_DEFAULT);
	conf_free(e.c);
}
END_TEST

/*
 * GM-33: halves bound to node 0 / node 1, pages faulted through the mmap,
 * move_pages() query: each page on its bound node.  Then INTERLEAVE: page i
 * on node (i_ino + i) mod 2 -- the offset counted once (B-18).
 */
START_TEST(GM_33_numa_placement)
{
	struct numa_env e = numa_env(8 * PAGE);
	int i;

	CONF_ERRNO(conf_call(e.c, TOP_PAGE_NODE, H(e.map), N(0)), ENOENT);
	CONF_RET(conf_call(e.c, TOP_MBIND, H(e.map), N(0), N(4 * PAGE), N(MPOL_BIND),
			   N(0x1), N(0)), 0);
	CONF_RET(conf_call(e.c, TOP_MBIND, H(e.map), N(4 * PAGE), N(4 * PAGE), N(MPOL_BIND),
			   N(0x2), N(0)), 0);
	CONF_OK(conf_call(e.c, TOP_HOST_WRITE, H(e.map), N(0), N(0x33), N(8 * PAGE)));
	for (i = 0; i < 8; i++)
		CONF_RET(conf_call(e.c, TOP_PAGE_NODE, H(e.map), N(i * PAGE)), i < 4 ? 0 : 1);
	CONF_VALUE(conf_call(e.c, TOP_HOST_READ, H(e.map), N(0), N(8 * PAGE)), 0x33);
	CONF_ERRNO(conf_call(e.c, TOP_PAGE_NODE, H(e.map), N(8 * PAGE)), EFAULT);
	conf_free(e.c);

	e = numa_env(8 * PAGE);
	CONF_RET(conf_call(e.c, TOP_MBIND, H(e.map), N(0), N(8 * PAGE), N(MPOL_INTERLEAVE),
			   N(0x3), N(0)), 0);
	CONF_OK(conf_call(e.c, TOP_HOST_WRITE, H(e.map), N(0), N(0x34), N(8 * PAGE)));
	for (i = 0; i < 8; i++)
		CONF_RET(conf_call(e.c, TOP_PAGE_NODE, H(e.map), N(i * PAGE)),
			 (e.ino + i) % 2);
	/* A punched page comes back on the node the policy picks again. */
	CONF_OK(conf_call(e.c, TOP_FALLOCATE, H(e.fd), N(KS | PH), N(3 * PAGE), N(PAGE)));
	CONF_ERRNO(conf_call(e.c, TOP_PAGE_NODE, H(e.map), N(3 * PAGE)), ENOENT);
	CONF_VALUE(conf_call(e.c, TOP_HOST_READ, H(e.map), N(3 * PAGE), N(1)), 0);
	CONF_RET(conf_call(e.c, TOP_PAGE_NODE, H(e.map), N(3 * PAGE)), (e.ino + 3) % 2);
	conf_free(e.c);
}
END_TEST

/* ---- SMR-18..SMR-20: KVM_RUN of a guest loop (§4.2) ---- */

#define CODE_GPA	0x0ULL
#define MEM_GPA		(GPA0 + SZ_2M)

struct smr_env {
	struct conf *c;
	int vm, vcpu, code, mem;
};

/* Slot 0: the guest's code page at GPA 0.  Slot 1: two pages at MEM_GPA, 0xaa / 0xbb. */
static struct smr_env smr_env(void)
{
	struct smr_env e = { .c = conf_new(NULL) };

	e.vm = conf_vm(e.c, KVM_X86_DEFAULT_VM);
	e.code = conf_bind(e.c, TOP_ANON_MMAP, N(PAGE));
	e.mem = conf_bind(e.c, TOP_ANON_MMAP, N(2 * PAGE));
	CONF_OK(conf_call(e.c, TOP_HOST_WRITE, H(e.mem), N(0), N(0xaa), N(PAGE)));
	CONF_OK(conf_call(e.c, TOP_HOST_WRITE, H(e.mem), N(PAGE), N(0xbb), N(PAGE)));
	CONF_OK(conf_call(e.c, TOP_SET_USER_MEMORY_REGION2, H(e.vm), N(0), N(0), N(CODE_GPA),
			  N(PAGE), H(e.code), N(0), N(0)));
	CONF_OK(conf_call(e.c, TOP_SET_USER_MEMORY_REGION2, H(e.vm), N(1), N(0), N(MEM_GPA),
			  N(2 * PAGE), H(e.mem), N(0), N(0)));
	e.vcpu = conf_bind(e.c, TOP_VCPU_CREATE, H(e.vm), N(0));
	return e;
}

#define RUN(e, loops)	conf_call((e).c, TOP_VCPU_RUN, H((e).vcpu), N(CODE_GPA), N(MEM_GPA), \
				  N(8), N(loops))

static void assert_exit(struct trace_result r, uint32_t reason)
{
	ck_assert_msg(r.kind == TRES_EXIT && r.exit_reason == reason,
		      "expected exit %u, got %s", reason, conf_fmt(&r));
}

/* SMR-18: a vCPU of a VM without memslots: KVM_EXIT_INTERNAL_ERROR. */
START_TEST(SMR_18_zero_memslots_internal_error)
{
	struct conf *c = conf_new(NULL);
	int vm = conf_vm(c, KVM_X86_DEFAULT_VM);
	int vcpu = conf_bind(c, TOP_VCPU_CREATE, H(vm), N(0));

	assert_exit(conf_call(c, TOP_VCPU_RUN, H(vcpu), N(0xfffffff0), N(0), N(0), N(1)),
		    KVM_EXIT_INTERNAL_ERROR);
	assert_exit(conf_call(c, TOP_VCPU_RUN, H(vcpu), N(0), N(GPA0), N(1), N(1)),
		    KVM_EXIT_INTERNAL_ERROR);
	conf_free(c);
}
END_TEST

/* SMR-19: the memslot moves under the guest: it sees the new mapping. */
START_TEST(SMR_19_move_memslot_guest_sees_new_mapping)
{
	struct smr_env e = smr_env();

	CONF_VALUE(RUN(e, 4), 0xaa);
	/* Move slot 1 down a page: MEM_GPA now maps the second page. */
	CONF_OK(conf_call(e.c, TOP_SET_USER_MEMORY_REGION2, H(e.vm), N(1), N(0),
			  N(MEM_GPA - PAGE), N(2 * PAGE), H(e.mem), N(0), N(0)));
	CONF_VALUE(RUN(e, 4), 0xbb);
	CONF_VALUE(conf_call(e.c, TOP_GUEST_READ, H(e.vcpu), N(MEM_GPA - PAGE), N(PAGE), N(0)),
		   0xaa);
	conf_free(e.c);
}
END_TEST

/* SMR-20: delete the data slot (MMIO exit), then slot 0 (the code): INTERNAL_ERROR. */
START_TEST(SMR_20_delete_memslot_under_running_vcpu)
{
	struct smr_env e = smr_env();
	struct trace_result r;

	CONF_VALUE(RUN(e, 2), 0xaa);
	CONF_OK(conf_call(e.c, TOP_SET_USER_MEMORY_REGION2, H(e.vm), N(1), N(0), N(MEM_GPA),
			  N(0), N(0), N(0), N(0)));
	assert_exit(RUN(e, 2), KVM_EXIT_MMIO);
	CONF_OK(conf_call(e.c, TOP_SET_USER_MEMORY_REGION2, H(e.vm), N(0), N(0), N(CODE_GPA),
			  N(0), N(0), N(0), N(0)));
	r = RUN(e, 2);
	ck_assert_msg(r.kind == TRES_EXIT && (r.exit_reason == KVM_EXIT_SHUTDOWN ||
					      r.exit_reason == KVM_EXIT_INTERNAL_ERROR),
		      "expected SHUTDOWN or INTERNAL_ERROR, got %s", conf_fmt(&r));
	conf_free(e.c);
}
END_TEST

/* ---- PMC-11: several vCPUs over several memslots (§4.3) ---- */

#define PMC_NR_VCPUS	2
#define PMC_NR_SLOTS	3
#define PMC_CHUNK	(SZ_2M + PAGE)		/* PER_CPU_DATA_SIZE */
#define PMC_TOTAL	(PMC_NR_VCPUS * PMC_CHUNK)
#define PMC_SLOT_SIZE	(PMC_TOTAL / PMC_NR_SLOTS)	/* 342 pages: slots cut chunks */

_Static_assert(PMC_TOTAL % PMC_NR_SLOTS == 0 && PMC_SLOT_SIZE % PAGE == 0,
	       "slots must be page sized");

struct pmc {
	struct conf *c;
	int vm, fd, map;
	int vcpu[PMC_NR_VCPUS];
	bool do_fallocate;
};

static const struct {
	uint64_t off, size;
} pmc_ranges[] = {
	{ 0, PAGE }, { 0, SZ_2M }, { PAGE, PAGE }, { PAGE, SZ_2M }, { SZ_2M, PAGE },
};

static struct pmc pmc_new(bool do_fallocate)
{
	struct pmc p = { .c = conf_new(NULL), .do_fallocate = do_fallocate };
	uint64_t base;
	int i;

	p.vm = conf_vm(p.c, KVM_X86_SW_PROTECTED_VM);
	p.fd = conf_gmem(p.c, p.vm, PMC_TOTAL, 0);
	p.map = conf_bind(p.c, TOP_ANON_MMAP, N(PMC_TOTAL));
	base = conf_map_addr(p.c, p.map);
	for (i = 0; i < PMC_NR_SLOTS; i++)
		CONF_OK(conf_region2(p.c, p.vm, 10 + i, KVM_MEM_GUEST_MEMFD,
				     GPA0 + i * PMC_SLOT_SIZE, PMC_SLOT_SIZE,
				     base + i * PMC_SLOT_SIZE, p.fd, i * PMC_SLOT_SIZE));
	for (i = 0; i < PMC_NR_VCPUS; i++)
		p.vcpu[i] = conf_bind(p.c, TOP_VCPU_CREATE, H(p.vm), N(i));
	return p;
}

/* KVM_HC_MAP_GPA_RANGE as the test's host handles it (fallocate mode first). */
static void pmc_convert(struct pmc *p, uint64_t gpa, uint64_t size, bool to_private)
{
	if (p->do_fallocate)
		CONF_OK(conf_call(p->c, TOP_FALLOCATE, H(p->fd),
				  N(to_private ? KS : KS | PH), N(gpa - GPA0), N(size)));
	CONF_OK(conf_attrs(p->c, p->vm, gpa, size, to_private ? PRIV : 0, 0));
}

#define G_WRITE(p, cpu, gpa, v, len, priv) \
	CONF_OK(conf_call((p)->c, TOP_GUEST_WRITE, H((p)->vcpu[cpu]), N(gpa), N(v), N(len), N(priv)))
#define G_READ(p, cpu, gpa, len, priv, v) \
	CONF_VALUE(conf_call((p)->c, TOP_GUEST_READ, H((p)->vcpu[cpu]), N(gpa), N(len), N(priv)), v)
#define H_WRITE(p, gpa, v, len) \
	CONF_OK(conf_call((p)->c, TOP_HOST_WRITE, H((p)->map), N((gpa) - GPA0), N(v), N(len)))
#define H_READ(p, gpa, len, v) \
	CONF_VALUE(conf_call((p)->c, TOP_HOST_READ, H((p)->map), N((gpa) - GPA0), N(len)), v)

/* PMC-01..PMC-08 for one vCPU's chunk. */
static void pmc_conversions(struct pmc *p, int cpu)
{
	uint64_t chunk = GPA0 + cpu * PMC_CHUNK;
	unsigned int r;

	G_WRITE(p, cpu, chunk, 0xaa, PMC_CHUNK, 0);			/* PMC-01 */
	H_READ(p, chunk, PMC_CHUNK, 0xaa);
	H_WRITE(p, chunk, 0xcc, PMC_CHUNK);
	G_READ(p, cpu, chunk, PMC_CHUNK, 0, 0xcc);

	for (r = 0; r < ARRAY_SIZE(pmc_ranges); r++) {
		uint64_t gpa = chunk + pmc_ranges[r].off, size = pmc_ranges[r].size, pg;

		G_WRITE(p, cpu, gpa, 0x11, size, 0);			/* PMC-02 */
		pmc_convert(p, gpa, size, true);
		G_WRITE(p, cpu, gpa, 0x22, size, 1);
		H_READ(p, gpa, size, 0x11);
		G_READ(p, cpu, gpa, size, 1, 0x22);			/* PMC-03 */
		if (gpa > chunk) {					/* PMC-04 */
			G_READ(p, cpu, chunk, gpa - chunk, 0, 0xcc);
			H_READ(p, chunk, gpa - chunk, 0xcc);
		}
		if (gpa + size < chunk + PMC_CHUNK) {
			G_READ(p, cpu, gpa + size, chunk + PMC_CHUNK - gpa - size, 0, 0xcc);
			H_READ(p, gpa + size, chunk + PMC_CHUNK - gpa - size, 0xcc);
		}
		for (pg = PAGE; pg < size; pg += 2 * PAGE) {		/* PMC-05 */
			pmc_convert(p, gpa + pg, PAGE, false);
			H_READ(p, gpa + pg, PAGE, 0x11);
			H_WRITE(p, gpa + pg, 0x33, PAGE);
			G_READ(p, cpu, gpa + pg, PAGE, 0, 0x33);
		}
		for (pg = 0; pg < size; pg += 2 * PAGE) {		/* PMC-06 */
			H_READ(p, gpa + pg, PAGE, 0x11);
			G_READ(p, cpu, gpa + pg, PAGE, 1, 0x22);
		}
		pmc_convert(p, gpa, size, false);			/* PMC-07 */
		G_WRITE(p, cpu, gpa, 0x33, size, 0);
		H_READ(p, gpa, size, 0x33);
		H_WRITE(p, gpa, 0x44, size);
		G_READ(p, cpu, gpa, size, 0, 0x44);
		H_WRITE(p, gpa, 0xcc, size);				/* back to init_p */
	}
	pmc_convert(p, chunk, PMC_CHUNK, false);			/* PMC-08 */
	CONF_OK(conf_call(p->c, TOP_FALLOCATE, H(p->fd), N(KS | PH), N(chunk - GPA0),
			  N(PMC_CHUNK)));
}

/* PMC-09 / PMC-10 for one vCPU's chunk; @precise: the guest rewrites only the range. */
static void pmc_punch(struct pmc *p, int cpu, bool precise)
{
	uint64_t chunk = GPA0 + cpu * PMC_CHUNK;
	unsigned int r;

	pmc_convert(p, chunk, PMC_CHUNK, true);
	for (r = 0; r < ARRAY_SIZE(pmc_ranges); r++) {
		uint64_t gpa = chunk + pmc_ranges[r].off, size = pmc_ranges[r].size;
		uint64_t wgpa = precise ? gpa : chunk, wsize = precise ? size : PMC_CHUNK;

		CONF_OK(conf_call(p->c, TOP_FALLOCATE, H(p->fd), N(KS | PH), N(chunk - GPA0),
				  N(PMC_CHUNK)));
		G_WRITE(p, cpu, wgpa, 0xcc, wsize, 1);			/* PMC-09 */
		G_READ(p, cpu, wgpa, wsize, 1, 0xcc);
		CONF_OK(conf_call(p->c, TOP_FALLOCATE, H(p->fd), N(KS | PH), N(gpa - GPA0),
				  N(size)));
		G_READ(p, cpu, gpa, size, 1, 0);			/* PMC-10 */
	}
	pmc_convert(p, chunk, PMC_CHUNK, false);
}

/*
 * PMC-11: the conversion test with and without fallocate and the punch
 * test precise and imprecise, on 2 vCPUs whose chunks straddle 3 memslots
 * over one gmem fd; every vCPU's chunk is checked after the others ran.
 */
START_TEST(PMC_11_multi_vcpu_multi_memslot)
{
	bool do_fallocate = _i & 1, precise = _i & 2;
	struct pmc p = pmc_new(do_fallocate);
	int cpu;

	for (cpu = 0; cpu < PMC_NR_VCPUS; cpu++)
		pmc_conversions(&p, cpu);
	for (cpu = 0; cpu < PMC_NR_VCPUS; cpu++)
		G_READ(&p, cpu, GPA0 + cpu * PMC_CHUNK, PMC_CHUNK, 0, 0xcc);
	for (cpu = 0; cpu < PMC_NR_VCPUS; cpu++)
		pmc_punch(&p, cpu, precise);
	/* Everything shared again; the shared view was never touched by punches. */
	for (cpu = 0; cpu < PMC_NR_VCPUS; cpu++) {
		H_READ(&p, GPA0 + cpu * PMC_CHUNK, PMC_CHUNK, 0xcc);
		G_READ(&p, cpu, GPA0 + cpu * PMC_CHUNK, PMC_CHUNK, 0, 0xcc);
	}
	conf_free(p.c);
}
END_TEST

static Suite *model_suite(void)
{
	Suite *s = suite_create("conformance-model");
	TCase *tc = tcase_create("model");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, SPEC_3_5_shared_thp_maps_2m);
	tcase_add_test(tc, SPEC_3_5_no_2m_when_mixed_or_4k_backing);
	tcase_add_loop_test(tc, SPEC_3_5_thp_split_zaps_huge_spte, 0, ARRAY_SIZE(split_rows));
	tcase_add_test(tc, GM_30_mbind_interleave_round_trip);
	tcase_add_test(tc, GM_31_mbind_bind_then_default);
	tcase_add_loop_test(tc, GM_32_mbind_invalid, 0, ARRAY_SIZE(gm32_rows));
	tcase_add_test(tc, GM_33_numa_placement);
	tcase_add_test(tc, SMR_18_zero_memslots_internal_error);
	tcase_add_test(tc, SMR_19_move_memslot_guest_sees_new_mapping);
	tcase_add_test(tc, SMR_20_delete_memslot_under_running_vcpu);
	tcase_add_loop_test(tc, PMC_11_multi_vcpu_multi_memslot, 0, 4);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(model_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
