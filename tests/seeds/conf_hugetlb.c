// SPDX-License-Identifier: GPL-2.0
/*
 * Conformance of HugeTLB-backed guest_memfd and the CoCo arch hooks (spec
 * §6.4 and §1.14, proposed; issue 7).  Rows HT-*:
 *
 *  HT-01 creation validation (size field, size alignment, INIT_SHARED)
 *  HT-02 bind offsets aligned to the huge page
 *  HT-03 pool reservation: -ENOMEM when exhausted, returned on close
 *  HT-04 huge private SPTEs where the frame allows; not when the slot's
 *        gfn and file offset are not congruent mod 2M
 *  HT-05 punch: a partial huge page is zeroed and kept, a whole one freed
 *  HT-06 in-place: split on conversion to shared, merge back to private
 *  HT-07 SNP: RMP 2M entries for huge folios, returned on punch
 *  HT-08 TDX: 4K unless the huge switch is on; accept before use (#VE)
 *  HT-09 1 GiB folios: a 1G private SPTE; one shared page splits it and
 *        the rest maps 4K; private again, merged and mapped 1G again
 *  HT-10 the "hugepage" checker's folio-bound rule fires on a 2M SPTE
 *        whose pfn was shifted by hand one page past its folio's start
 *
 * Every call is followed by the model's checkers (conf_util), so each row
 * also asserts that no checker fires.
 */
#include <stdlib.h>
#include <string.h>

#include "conf_util.h"
#include <uapi/linux/kvm_gmem.h>
#include <uapi/linux/kvm_gmem_inplace.h>
#include <uapi/linux/kvm_gmem_hugetlb.h>
#include <linux/kvm_host.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/pagemap.h>
#include <linux/srcu.h>

#define GPA		0x100000000ULL
#define PRIV		KVM_MEMORY_ATTRIBUTE_PRIVATE
#define HT2M		(GUEST_MEMFD_FLAG_HUGETLB | GUESTMEM_HUGETLB_FLAG_2MB)
#define HT1G		(GUEST_MEMFD_FLAG_HUGETLB | GUESTMEM_HUGETLB_FLAG_1GB)
#define IPHT		(HT2M | GUEST_MEMFD_FLAG_IN_PLACE | GUEST_MEMFD_FLAG_MMAP)

/* The gmem folio backing @gpa of @vm (NULL if none). */
static struct folio *folio_at(struct conf *c, int vm, uint64_t gpa)
{
	struct kvm *kvm = conf_kvm(c, vm);
	struct kvm_memory_slot *slot;
	struct folio *folio = NULL;
	int idx;

	idx = srcu_read_lock(&kvm->srcu);
	slot = gfn_to_memslot(kvm, gpa >> PAGE_SHIFT);
	if (slot && slot->gmem.file) {
		void *e = xa_load(&slot->gmem.file->f_mapping->i_pages,
				  (gpa >> PAGE_SHIFT) - slot->base_gfn + slot->gmem.pgoff);

		if (e && !xa_is_value(e))
			folio = e;
	}
	srcu_read_unlock(&kvm->srcu, idx);
	return folio;
}

/* Pre-fault @gpa and return the level KVM mapped it at. */
static int prefault_level(struct conf *c, int vm, int cpu, uint64_t gpa)
{
	CONF_OK(conf_call(c, TOP_PRE_FAULT_MEMORY, H(cpu), N(gpa), N(PAGE), N(0)));
	return conf_kvm(c, vm)->vcpus[0]->arch.last_fault_level;
}

/* A VM of @type with one private gmem slot of @size at GPA. */
static void setup(struct conf *c, unsigned long type, uint64_t size, uint64_t flags,
		  int *vm, int *fd, int *cpu)
{
	*vm = conf_vm(c, type);
	*fd = conf_gmem(c, *vm, size, flags);
	CONF_OK(conf_region2(c, *vm, 0, KVM_MEM_GUEST_MEMFD, GPA, size, 0, *fd, 0));
	if (!(flags & GUEST_MEMFD_FLAG_IN_PLACE))
		CONF_OK(conf_attrs(c, *vm, GPA, size, PRIV, 0));
	*cpu = conf_bind(c, TOP_VCPU_CREATE, H(*vm), N(0));
	ck_assert_int_ge(*cpu, 0);
	if (type == KVM_X86_SNP_VM || type == KVM_X86_TDX_VM)
		CONF_OK(conf_call(c, TOP_LAUNCH_FINISH, H(*vm)));
}

/* HT-01: creation (errno 0 = success). */
static const struct {
	const char *what;
	uint64_t size, flags;
	int err;
} ht01[] = {
	{ "2M file of 2M pages", SZ_2M, HT2M, 0 },
	{ "size log 0 means 2M", 4 * SZ_2M, GUEST_MEMFD_FLAG_HUGETLB, 0 },
	{ "1G file of 1G pages", SZ_1G, HT1G, 0 },
	{ "size not a multiple of 2M", SZ_2M + PAGE, HT2M, EINVAL },
	{ "1G pages, 2M file", SZ_2M, HT1G, EINVAL },
	{ "unknown size log (64K)", SZ_2M, GUEST_MEMFD_FLAG_HUGETLB | (16ULL << 58), EINVAL },
	{ "size field without HUGETLB", SZ_2M, GUESTMEM_HUGETLB_FLAG_2MB, EINVAL },
	{ "unaligned size first: generic check", PAGE + 1, HT2M, EINVAL },
	{ "INIT_SHARED refused", SZ_2M, HT2M | GUEST_MEMFD_FLAG_MMAP |
	  GUEST_MEMFD_FLAG_INIT_SHARED, EINVAL },
};

START_TEST(HT_01_creation)
{
	struct conf *c = conf_new(NULL);
	int vm = conf_vm(c, KVM_X86_SW_PROTECTED_VM);
	struct trace_result r;

	/* KVM_CAP_GUEST_MEMFD_FLAGS stays mainline. */
	r = conf_call(c, TOP_CHECK_EXTENSION, H(vm), N(KVM_CAP_GUEST_MEMFD_FLAGS));
	CONF_OK(r);
	ck_assert(!(r.ret & GUESTMEM_HUGETLB_FLAGS_ALL));

	r = conf_call(c, TOP_CREATE_GUEST_MEMFD, H(vm), N(ht01[_i].size), N(ht01[_i].flags), N(0));
	if (ht01[_i].err)
		ck_assert_msg(r.kind == TRES_ERRNO && r.err == ht01[_i].err, "%s: got %s",
			      ht01[_i].what, conf_fmt(&r));
	else
		ck_assert_msg(r.kind == TRES_OK, "%s: got %s", ht01[_i].what, conf_fmt(&r));
	conf_free(c);
}
END_TEST

/* HT-02: bind offsets of a HugeTLB file are huge-page aligned. */
START_TEST(HT_02_bind_offset)
{
	struct conf *c = conf_new(NULL);
	int vm = conf_vm(c, KVM_X86_SW_PROTECTED_VM);
	int fd = conf_gmem(c, vm, 4 * SZ_2M, HT2M);

	CONF_ERRNO(conf_region2(c, vm, 0, KVM_MEM_GUEST_MEMFD, GPA, SZ_2M, 0, fd, PAGE), EINVAL);
	CONF_ERRNO(conf_region2(c, vm, 0, KVM_MEM_GUEST_MEMFD, GPA, SZ_2M, 0, fd, SZ_2M / 2),
		   EINVAL);
	CONF_OK(conf_region2(c, vm, 0, KVM_MEM_GUEST_MEMFD, GPA, SZ_2M, 0, fd, SZ_2M));
	/* Slot size and gpa need no alignment: lpage_info copes. */
	CONF_OK(conf_region2(c, vm, 1, KVM_MEM_GUEST_MEMFD, GPA + 8 * SZ_2M + PAGE, PAGE, 0, fd,
			     2 * SZ_2M));
	conf_free(c);
}
END_TEST

/* HT-03: the pool reserves whole files; exhaustion is -ENOMEM at creation. */
START_TEST(HT_03_pool_reservation)
{
	struct conf *c = conf_new(NULL);
	int vm = conf_vm(c, KVM_X86_SW_PROTECTED_VM);
	int fd;

	CONF_OK(conf_call(c, TOP_HUGETLB_POOL, N(SZ_2M), N(4)));
	CONF_ERRNO(conf_call(c, TOP_HUGETLB_POOL, N(3 * SZ_2M), N(4)), EINVAL);
	fd = conf_gmem(c, vm, 3 * SZ_2M, HT2M);
	CONF_ERRNO(conf_call(c, TOP_CREATE_GUEST_MEMFD, H(vm), N(2 * SZ_2M), N(HT2M), N(0)),
		   ENOMEM);
	/* Shrinking below what is reserved is refused. */
	CONF_ERRNO(conf_call(c, TOP_HUGETLB_POOL, N(SZ_2M), N(2)), EBUSY);
	CONF_OK(conf_call(c, TOP_FALLOCATE, H(fd), N(CONF_FALLOC_KEEP_SIZE), N(0), N(3 * SZ_2M)));
	CONF_OK(conf_call(c, TOP_CLOSE, H(fd)));
	/* Closed (and evicted): the reservation is back. */
	conf_gmem(c, vm, 4 * SZ_2M, HT2M);
	conf_free(c);
}
END_TEST

/* HT-04: huge private SPTEs, and the gfn/offset congruence rule. */
START_TEST(HT_04_huge_private_mapping)
{
	struct conf *c = conf_new(NULL);
	int vm, fd, cpu, fd2;
	struct folio *folio;

	setup(c, KVM_X86_SW_PROTECTED_VM, 4 * SZ_2M, HT2M, &vm, &fd, &cpu);
	ck_assert_int_eq(prefault_level(c, vm, cpu, GPA + SZ_2M + 5 * PAGE), PG_LEVEL_2M);
	folio = folio_at(c, vm, GPA + SZ_2M);
	ck_assert(folio && folio_order(folio) == HPAGE_PMD_ORDER);
	CONF_OK(conf_call(c, TOP_GUEST_WRITE, H(cpu), N(GPA + SZ_2M), N(0x5a), N(SZ_2M), N(1)));
	CONF_VALUE(conf_call(c, TOP_GUEST_READ, H(cpu), N(GPA + SZ_2M + 77 * PAGE), N(PAGE),
			     N(1)), 0x5a);

	/*
	 * Slot 2: gfn and file offset not congruent mod 2M, while gfn and
	 * userspace_addr are, so only lpage_info's gmem-offset rule keeps
	 * its wholly covered middle frame (129 * 2M) at 4K.
	 */
	fd2 = conf_gmem(c, vm, 4 * SZ_2M, HT2M);
	CONF_OK(conf_region2(c, vm, 1, KVM_MEM_GUEST_MEMFD, GPA + 64 * SZ_2M,
			     2 * SZ_2M, 0, fd2, 0));
	CONF_OK(conf_region2(c, vm, 2, KVM_MEM_GUEST_MEMFD, GPA + 128 * SZ_2M + SZ_2M / 2,
			     2 * SZ_2M, GPA + 128 * SZ_2M + SZ_2M / 2, fd2, 2 * SZ_2M));
	CONF_OK(conf_attrs(c, vm, GPA + 64 * SZ_2M, 2 * SZ_2M, PRIV, 0));
	CONF_OK(conf_attrs(c, vm, GPA + 128 * SZ_2M, 4 * SZ_2M, PRIV, 0));
	ck_assert_int_eq(prefault_level(c, vm, cpu, GPA + 64 * SZ_2M), PG_LEVEL_2M);
	ck_assert_int_eq(prefault_level(c, vm, cpu, GPA + 129 * SZ_2M), PG_LEVEL_4K);
	conf_free(c);
}
END_TEST

/* HT-05: punch of part of a huge page zeroes it, of a whole one frees it. */
START_TEST(HT_05_punch)
{
	struct conf *c = conf_new(NULL);
	int vm, fd, cpu;
	struct folio *folio;

	setup(c, KVM_X86_SW_PROTECTED_VM, 2 * SZ_2M, HT2M, &vm, &fd, &cpu);
	CONF_OK(conf_call(c, TOP_GUEST_WRITE, H(cpu), N(GPA), N(0x11), N(2 * SZ_2M), N(1)));
	folio = folio_at(c, vm, GPA);
	CONF_OK(conf_call(c, TOP_FALLOCATE, H(fd), N(CONF_FALLOC_KEEP_SIZE | CONF_FALLOC_PUNCH_HOLE),
			  N(PAGE), N(2 * PAGE)));
	ck_assert_ptr_eq(folio_at(c, vm, GPA), folio);
	ck_assert_int_eq(folio_order(folio), HPAGE_PMD_ORDER);
	CONF_VALUE(conf_call(c, TOP_GUEST_READ, H(cpu), N(GPA), N(PAGE), N(1)), 0x11);
	CONF_VALUE(conf_call(c, TOP_GUEST_READ, H(cpu), N(GPA + PAGE), N(2 * PAGE), N(1)), 0);
	CONF_VALUE(conf_call(c, TOP_GUEST_READ, H(cpu), N(GPA + 3 * PAGE), N(PAGE), N(1)), 0x11);
	/* Still mapped huge after the partial punch's invalidation. */
	ck_assert_int_eq(prefault_level(c, vm, cpu, GPA + 9 * PAGE), PG_LEVEL_2M);

	CONF_OK(conf_call(c, TOP_FALLOCATE, H(fd), N(CONF_FALLOC_KEEP_SIZE | CONF_FALLOC_PUNCH_HOLE),
			  N(SZ_2M), N(SZ_2M)));
	ck_assert_ptr_null(folio_at(c, vm, GPA + SZ_2M));
	CONF_VALUE(conf_call(c, TOP_GUEST_READ, H(cpu), N(GPA + SZ_2M), N(SZ_2M), N(1)), 0);
	conf_free(c);
}
END_TEST

/* HT-06: in-place conversion splits and merges the huge folio. */
START_TEST(HT_06_split_merge)
{
	struct conf *c = conf_new(NULL);
	int vm, fd, cpu, map;
	struct folio *folio;

	setup(c, KVM_X86_SW_PROTECTED_VM, SZ_2M, IPHT, &vm, &fd, &cpu);
	CONF_OK(conf_call(c, TOP_GUEST_WRITE, H(cpu), N(GPA), N(0x22), N(SZ_2M), N(1)));
	ck_assert_int_eq(prefault_level(c, vm, cpu, GPA), PG_LEVEL_2M);

	/* One page shared: split, the rest stays private and maps 4K. */
	CONF_OK(conf_call(c, TOP_SET_MEMORY_ATTRIBUTES2, H(fd), N(5 * PAGE), N(PAGE), N(0), N(0),
			  N(0)));
	folio = folio_at(c, vm, GPA + 5 * PAGE);
	ck_assert(folio && folio_order(folio) == 0 && folio_test_hugetlb(folio));
	ck_assert_int_eq(prefault_level(c, vm, cpu, GPA + 100 * PAGE), PG_LEVEL_4K);
	map = conf_bind(c, TOP_MMAP, H(fd), N(SZ_2M), N(CONF_PROT_RW), N(CONF_MAP_SHARED), N(0));
	CONF_VALUE(conf_call(c, TOP_HOST_READ, H(map), N(5 * PAGE), N(PAGE)), 0x22);
	CONF_OK(conf_call(c, TOP_HOST_WRITE, H(map), N(5 * PAGE), N(0x33), N(PAGE)));
	CONF_SIGBUS(conf_call(c, TOP_HOST_READ, H(map), N(6 * PAGE), N(1)));
	CONF_OK(conf_call(c, TOP_MUNMAP, H(map)));

	/* Private again: merged, contents kept, huge mappings again. */
	CONF_OK(conf_call(c, TOP_SET_MEMORY_ATTRIBUTES2, H(fd), N(5 * PAGE), N(PAGE), N(PRIV),
			  N(0), N(0)));
	folio = folio_at(c, vm, GPA + 5 * PAGE);
	ck_assert(folio && folio_order(folio) == HPAGE_PMD_ORDER);
	ck_assert_int_eq(prefault_level(c, vm, cpu, GPA + 100 * PAGE), PG_LEVEL_2M);
	CONF_VALUE(conf_call(c, TOP_GUEST_READ, H(cpu), N(GPA + 5 * PAGE), N(PAGE), N(1)), 0x33);
	CONF_VALUE(conf_call(c, TOP_GUEST_READ, H(cpu), N(GPA + 6 * PAGE), N(PAGE), N(1)), 0x22);
	conf_free(c);
}
END_TEST

/* HT-07: SNP maps 2M only over a 2M RMP entry; punch returns the pages. */
START_TEST(HT_07_snp_rmp)
{
	struct conf *c = conf_new(NULL);
	int vm, fd, cpu, fd4k;
	struct folio *folio;

	setup(c, KVM_X86_SNP_VM, SZ_2M, HT2M, &vm, &fd, &cpu);
	ck_assert_int_eq(prefault_level(c, vm, cpu, GPA + 3 * PAGE), PG_LEVEL_2M);
	folio = folio_at(c, vm, GPA);
	ck_assert(snp_rmp_is_private(folio_pfn(folio) + 511));

	/* A partial punch returns those pages: the 2M entry is smashed. */
	CONF_OK(conf_call(c, TOP_FALLOCATE, H(fd), N(CONF_FALLOC_KEEP_SIZE | CONF_FALLOC_PUNCH_HOLE),
			  N(0), N(PAGE)));
	ck_assert(!snp_rmp_is_private(folio_pfn(folio)));
	ck_assert(snp_rmp_is_private(folio_pfn(folio) + 1));
	/* The next fault prepares the whole folio again: 2M private again. */
	ck_assert_int_eq(prefault_level(c, vm, cpu, GPA + 3 * PAGE), PG_LEVEL_2M);
	ck_assert(snp_rmp_is_private(folio_pfn(folio)));

	/* Freed: nothing guest-owned remains (the "rmp" checker agrees). */
	CONF_OK(conf_call(c, TOP_FALLOCATE, H(fd), N(CONF_FALLOC_KEEP_SIZE | CONF_FALLOC_PUNCH_HOLE),
			  N(0), N(SZ_2M)));
	ck_assert(!snp_rmp_is_private(folio_pfn(folio) + 1));

	/* Mainline 4K gmem on SNP: RMP 4K entries, 4K mappings. */
	fd4k = conf_gmem(c, vm, SZ_2M, 0);
	CONF_OK(conf_region2(c, vm, 1, KVM_MEM_GUEST_MEMFD, GPA + SZ_1G, SZ_2M, 0, fd4k, 0));
	CONF_OK(conf_attrs(c, vm, GPA + SZ_1G, SZ_2M, PRIV, 0));
	ck_assert_int_eq(prefault_level(c, vm, cpu, GPA + SZ_1G), PG_LEVEL_4K);
	conf_free(c);
}
END_TEST

/* HT-08: TDX private mappings are 4K unless huge is on; accept before use. */
START_TEST(HT_08_tdx)
{
	struct conf *c = conf_new(NULL);
	int vm, fd, cpu;
	struct trace_result r;

	setup(c, KVM_X86_TDX_VM, 2 * SZ_2M, HT2M, &vm, &fd, &cpu);
	ck_assert_int_eq(prefault_level(c, vm, cpu, GPA), PG_LEVEL_4K);
	CONF_ERRNO(conf_call(c, TOP_ACCEPT, H(cpu), N(GPA), N(PAGE)), EINVAL);	/* accept off */

	CONF_OK(conf_call(c, TOP_TDX_CONFIG, H(vm), N(1), N(1)));
	ck_assert_int_eq(prefault_level(c, vm, cpu, GPA + SZ_2M), PG_LEVEL_2M);

	/* Pending until accepted: #VE (model: exit EXCEPTION). */
	r = conf_call(c, TOP_GUEST_READ, H(cpu), N(GPA + SZ_2M), N(PAGE), N(1));
	ck_assert_msg(r.kind == TRES_EXIT && r.exit_reason == KVM_EXIT_EXCEPTION, "got %s",
		      conf_fmt(&r));
	CONF_OK(conf_call(c, TOP_ACCEPT, H(cpu), N(GPA + SZ_2M), N(SZ_2M)));
	CONF_ERRNO(conf_call(c, TOP_ACCEPT, H(cpu), N(GPA + SZ_2M), N(SZ_2M)), EEXIST);
	CONF_VALUE(conf_call(c, TOP_GUEST_READ, H(cpu), N(GPA + SZ_2M + 9 * PAGE), N(PAGE), N(1)),
		   0);

	/* 4K accept inside the 4K-mapped first 2M; 2M accept there mismatches. */
	CONF_ERRNO(conf_call(c, TOP_ACCEPT, H(cpu), N(GPA), N(SZ_2M)), E2BIG);
	CONF_OK(conf_call(c, TOP_ACCEPT, H(cpu), N(GPA), N(PAGE)));
	CONF_OK(conf_call(c, TOP_GUEST_WRITE, H(cpu), N(GPA), N(0x44), N(PAGE), N(1)));
	r = conf_call(c, TOP_GUEST_READ, H(cpu), N(GPA + PAGE), N(PAGE), N(1));
	ck_assert(r.kind == TRES_EXIT && r.exit_reason == KVM_EXIT_EXCEPTION);

	/* A punch removes the S-EPT entry: the page is pending again. */
	CONF_OK(conf_call(c, TOP_FALLOCATE, H(fd), N(CONF_FALLOC_KEEP_SIZE | CONF_FALLOC_PUNCH_HOLE),
			  N(0), N(SZ_2M)));
	r = conf_call(c, TOP_GUEST_READ, H(cpu), N(GPA), N(PAGE), N(1));
	ck_assert(r.kind == TRES_EXIT && r.exit_reason == KVM_EXIT_EXCEPTION);
	conf_free(c);
}
END_TEST

/* HT-09: 1 GiB folios map 1G; split on a shared page, merged back. */
START_TEST(HT_09_one_gig)
{
	struct conf *c = conf_new(NULL);
	int vm, fd, cpu;
	struct folio *folio;

	setup(c, KVM_X86_SW_PROTECTED_VM, SZ_1G, HT1G | GUEST_MEMFD_FLAG_IN_PLACE |
	      GUEST_MEMFD_FLAG_MMAP, &vm, &fd, &cpu);
	ck_assert_int_eq(prefault_level(c, vm, cpu, GPA + SZ_2M + 3 * PAGE), PG_LEVEL_1G);
	folio = folio_at(c, vm, GPA + 300 * SZ_2M);
	ck_assert(folio && folio_order(folio) == HPAGE_PUD_ORDER);
	CONF_OK(conf_call(c, TOP_GUEST_WRITE, H(cpu), N(GPA + 7 * PAGE), N(0x77), N(PAGE), N(1)));

	/* One page shared: the 1G SPTE goes, the folio splits, 4K from now. */
	CONF_OK(conf_call(c, TOP_SET_MEMORY_ATTRIBUTES2, H(fd), N(SZ_2M), N(PAGE), N(0), N(0),
			  N(0)));
	folio = folio_at(c, vm, GPA + 300 * SZ_2M);
	ck_assert(folio && folio_order(folio) == 0);
	ck_assert_int_eq(prefault_level(c, vm, cpu, GPA + 300 * SZ_2M), PG_LEVEL_4K);

	/* Private again: one 1G folio, mapped 1G, contents kept. */
	CONF_OK(conf_call(c, TOP_SET_MEMORY_ATTRIBUTES2, H(fd), N(SZ_2M), N(PAGE), N(PRIV),
			  N(0), N(0)));
	folio = folio_at(c, vm, GPA + 300 * SZ_2M);
	ck_assert(folio && folio_order(folio) == HPAGE_PUD_ORDER);
	ck_assert_int_eq(prefault_level(c, vm, cpu, GPA + 5 * SZ_2M), PG_LEVEL_1G);
	CONF_VALUE(conf_call(c, TOP_GUEST_READ, H(cpu), N(GPA + 7 * PAGE), N(PAGE), N(1)), 0x77);
	conf_free(c);
}
END_TEST

/*
 * HT-10: the folio-bound rule of the "hugepage" checker can fire.  The
 * fault path cannot produce such an SPTE (a gfn/pfn misalignment at the
 * level is the kernel's BUG, the model's WARN, and lpage_info's gmem-offset
 * rule of HT-04 keeps incongruent frames at 4K before it), so the test
 * shifts the pfn of a correct 2M SPTE by one page by hand: the frame then
 * ends one page past its order-9 folio.
 */
START_TEST(HT_10_checker_maps_beyond_folio)
{
	struct conf *c = conf_new(NULL);
	struct kvm_mmu_root *root;
	struct kvm *kvm;
	int vm, fd, cpu, n, i;
	unsigned long idx = (GPA >> PAGE_SHIFT) >> 9;	/* 2M leaf index */
	u64 spte;
	bool found = false;

	setup(c, KVM_X86_SW_PROTECTED_VM, SZ_2M, HT2M, &vm, &fd, &cpu);
	ck_assert_int_eq(prefault_level(c, vm, cpu, GPA), PG_LEVEL_2M);

	kvm = conf_kvm(c, vm);
	root = &kvm->arch.direct_root;
	c->no_check = true;
	spin_lock(&kvm->arch.spte_lock);
	spte = xa_to_value(xa_load(&root->sptes[PG_LEVEL_2M - 1], idx));
	ck_assert(spte);
	/* bits 8.. hold the pfn (spte.h): pfn + 1. */
	xa_store(&root->sptes[PG_LEVEL_2M - 1], idx, xa_mk_value(spte + (1ULL << 8)),
		 GFP_ATOMIC);
	spin_unlock(&kvm->arch.spte_lock);

	n = c->ops->check(c->b, c->v, 8);
	for (i = 0; i < n && i < 8; i++)
		found |= !strcmp(c->v[i].checker, "hugepage") &&
			 strstr(c->v[i].msg, "beyond its folio");
	ck_assert_msg(found, "no \"maps beyond its folio\" report (%d violation(s)%s%s)", n,
		      n ? ", first: " : "", n ? c->v[0].msg : "");

	/* Put it back: the world is consistent again for the teardown. */
	spin_lock(&kvm->arch.spte_lock);
	xa_store(&root->sptes[PG_LEVEL_2M - 1], idx, xa_mk_value(spte), GFP_ATOMIC);
	spin_unlock(&kvm->arch.spte_lock);
	ck_assert_int_eq(c->ops->check(c->b, c->v, 8), 0);
	conf_free(c);
}
END_TEST

#define N_ROWS(a)	((int)(sizeof(a) / sizeof((a)[0])))

static Suite *hugetlb_suite(void)
{
	Suite *s = suite_create("conformance-hugetlb");
	TCase *tc = tcase_create("HT");

	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, HT_01_creation, 0, N_ROWS(ht01));
	tcase_add_test(tc, HT_02_bind_offset);
	tcase_add_test(tc, HT_03_pool_reservation);
	tcase_add_test(tc, HT_04_huge_private_mapping);
	tcase_add_test(tc, HT_05_punch);
	tcase_add_test(tc, HT_06_split_merge);
	tcase_add_test(tc, HT_07_snp_rmp);
	tcase_add_test(tc, HT_08_tdx);
	tcase_add_test(tc, HT_09_one_gig);
	tcase_add_test(tc, HT_10_checker_maps_beyond_folio);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(hugetlb_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
