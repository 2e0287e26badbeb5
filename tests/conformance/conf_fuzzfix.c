// SPDX-License-Identifier: GPL-2.0
/*
 * Spec-visible behaviour behind fuzz findings that were model or backend
 * bugs (tests/fuzz/regressions/, each trace names its row here):
 *  - MMAP-1: mmap() past the file's size limit is -EOVERFLOW before
 *    ->mmap() (do_mmap(): file_mmap_ok(), MAX_LFS_FILESIZE for guest_memfd
 *    and shmem), so no fault sees a pgoff whose byte offset overflows;
 *  - MADV-1: madvise(MADV_REMOVE) over a range running past the mapping
 *    punches the mapped part and returns ENOMEM, and the punched page reads
 *    zero (the contents checker must agree); a length that rounds up to
 *    zero is EINVAL;
 *  - KVM-VMS: KVM has no VM-count limit: 40 VMs live at once are created,
 *    checked and destroyed cleanly;
 *  - KVM-2.3-MN: a VM whose mmu notifier is unregistered (VM destroyed)
 *    between invalidate_range_start() and _end() never gets the end, and
 *    kvm_destroy_vm() accepts the unbalanced mn_active_invalidate_count
 *    (spec §2.3) instead of reporting an in-flight invalidation;
 *  - SMR-MOVE-1: a KVM_MR_MOVE whose arch prepare fails (GPA past the
 *    VM's max gfn) is EINVAL and publishes the old slot again (spec §2.2:
 *    kvm_set_memslot() reverts the INVALID copy); the slot keeps working.
 */
#include <stdlib.h>

#include "conf_util.h"
#include <linux/kvm_host.h>
#include <linux/mm.h>
#include <linux/mm_model.h>
#include <uapi/linux/kvm_gmem.h>

#define GPA0		(1ULL << 32)
#define MADV_REMOVE_	9
/* MAX_LFS_FILESIZE on 64-bit: LLONG_MAX. */
#define MAXBYTES	0x7fffffffffffffffULL

/* MMAP-1: file_mmap_ok(); the offset that reaches MAX_LFS_FILESIZE is the limit. */
START_TEST(MMAP_1_mmap_offset_past_file_limit_is_eoverflow)
{
	struct conf *c = conf_new(NULL);
	int vm = conf_vm(c, KVM_X86_SW_PROTECTED_VM);
	int fd = conf_gmem(c, vm, PAGE, GUEST_MEMFD_FLAG_MMAP);
	/* The largest page-aligned offset a 4 MiB mapping may start at. */
	uint64_t last = (MAXBYTES - 2 * SZ_2M) & ~(PAGE - 1);
	int map;

	/* The fuzz input: an offset 4 KiB below 2^64. */
	ck_assert_int_lt(conf_bind(c, TOP_MMAP, H(fd), N(2 * SZ_2M), N(CONF_PROT_RW),
				   N(CONF_MAP_SHARED), N(0ULL - PAGE)), 0);
	CONF_ERRNO(c->last, EOVERFLOW);
	/* One page past the limit. */
	ck_assert_int_lt(conf_bind(c, TOP_MMAP, H(fd), N(2 * SZ_2M), N(CONF_PROT_RW),
				   N(CONF_MAP_SHARED), N(last + PAGE)), 0);
	CONF_ERRNO(c->last, EOVERFLOW);
	/* At the limit the mapping is made; its pages lie past EOF: SIGBUS. */
	map = conf_bind(c, TOP_MMAP, H(fd), N(2 * SZ_2M), N(CONF_PROT_RW),
			N(CONF_MAP_SHARED), N(last));
	ck_assert_int_ge(map, 0);
	CONF_SIGBUS(conf_call(c, TOP_HOST_READ, H(map), N(SZ_2M), N(PAGE)));
	/* A memfd (shmem, a regular file) has the same limit. */
	fd = conf_bind(c, TOP_MEMFD_CREATE, N(PAGE));
	ck_assert_int_ge(fd, 0);
	ck_assert_int_lt(conf_bind(c, TOP_MMAP, H(fd), N(PAGE), N(CONF_PROT_RW),
				   N(CONF_MAP_SHARED), N(0ULL - PAGE)), 0);
	CONF_ERRNO(c->last, EOVERFLOW);
	conf_free(c);
}
END_TEST

/* MADV-1: the mapped part is punched, the hole reported; contents agree. */
START_TEST(MADV_1_remove_past_mapping_end)
{
	struct conf *c = conf_new(NULL);
	int map = conf_bind(c, TOP_ANON_MMAP, N(2 * PAGE));
	int vm = conf_vm(c, KVM_X86_DEFAULT_VM);
	int fd = conf_gmem(c, vm, 2 * PAGE, GUEST_MEMFD_FLAG_MMAP | GUEST_MEMFD_FLAG_INIT_SHARED);
	int gmap = conf_bind(c, TOP_MMAP, H(fd), N(2 * PAGE), N(CONF_PROT_RW),
			     N(CONF_MAP_SHARED), N(0));

	ck_assert_int_ge(gmap, 0);
	CONF_OK(conf_call(c, TOP_HOST_WRITE, H(map), N(0), N(0x59), N(2 * PAGE)));
	CONF_OK(conf_call(c, TOP_HOST_WRITE, H(gmap), N(0), N(0x5a), N(2 * PAGE)));
	/*
	 * The fuzz input: length 2^63 from the second page (no wrap).  The
	 * range covers every later mapping too (addresses grow): each is
	 * punched, then the hole past the last is ENOMEM.
	 */
	ck_assert_uint_gt(conf_map_addr(c, gmap), conf_map_addr(c, map));
	CONF_ERRNO(conf_call(c, TOP_MADVISE, H(map), N(PAGE), N(1ULL << 63), N(MADV_REMOVE_)),
		   ENOMEM);
	CONF_VALUE(conf_call(c, TOP_HOST_READ, H(map), N(0), N(PAGE)), 0x59);
	CONF_VALUE(conf_call(c, TOP_HOST_READ, H(map), N(PAGE), N(PAGE)), 0);
	CONF_VALUE(conf_call(c, TOP_HOST_READ, H(gmap), N(0), N(2 * PAGE)), 0);
	/* Past the end of a guest_memfd mapping (the shadow's other file kind). */
	CONF_OK(conf_call(c, TOP_HOST_WRITE, H(gmap), N(0), N(0x5a), N(2 * PAGE)));
	CONF_ERRNO(conf_call(c, TOP_MADVISE, H(gmap), N(PAGE), N(SZ_2M), N(MADV_REMOVE_)),
		   ENOMEM);
	CONF_VALUE(conf_call(c, TOP_HOST_READ, H(gmap), N(0), N(PAGE)), 0x5a);
	CONF_VALUE(conf_call(c, TOP_HOST_READ, H(gmap), N(PAGE), N(PAGE)), 0);
	/* A length within a page of 2^64 rounds up to 0: EINVAL, nothing punched. */
	CONF_ERRNO(conf_call(c, TOP_MADVISE, H(map), N(0), N(0ULL - 1), N(MADV_REMOVE_)),
		   EINVAL);
	CONF_VALUE(conf_call(c, TOP_HOST_READ, H(map), N(0), N(PAGE)), 0x59);
	conf_free(c);
}
END_TEST

/* KVM-VMS: more VMs than the backend's old fixed table (32). */
START_TEST(KVM_VMS_forty_live_vms)
{
	struct conf *c = conf_new(NULL);
	int vm[40], i;

	for (i = 0; i < 40; i++) {
		vm[i] = conf_vm(c, i & 1 ? KVM_X86_SW_PROTECTED_VM : KVM_X86_DEFAULT_VM);
		ck_assert_int_ge(vm[i], 0);
	}
	/* Each one works (the checkers walk all of them after every call). */
	for (i = 0; i < 40; i += 13)
		ck_assert_int_ge(conf_gmem(c, vm[i], PAGE, 0), 0);
	for (i = 0; i < 40; i += 3)
		CONF_OK(conf_call(c, TOP_CLOSE, H(vm[i])));
	conf_free(c);
}
END_TEST

/* KVM-2.3-MN: unregistered between start() and end(). */
START_TEST(KVM_2_3_vm_destroyed_between_notifier_start_and_end)
{
	struct conf *c = conf_new(NULL);
	int vm = conf_vm(c, KVM_X86_DEFAULT_VM);
	int other = conf_vm(c, KVM_X86_DEFAULT_VM);
	int map = conf_bind(c, TOP_ANON_MMAP, N(4 * PAGE));
	unsigned long hva = conf_map_addr(c, map);
	struct kvm *kvm = conf_kvm(c, vm), *kvm2 = conf_kvm(c, other);
	struct mm_struct *mm = kvm->mm;
	int cpu;

	CONF_OK(conf_call(c, TOP_SET_USER_MEMORY_REGION2, H(vm), N(0), N(0), N(GPA0),
			  N(4 * PAGE), H(map), N(0), N(0)));
	CONF_OK(conf_call(c, TOP_SET_USER_MEMORY_REGION2, H(other), N(0), N(0), N(GPA0),
			  N(4 * PAGE), H(map), N(0), N(0)));
	cpu = conf_bind(c, TOP_VCPU_CREATE, H(vm), N(0));
	CONF_OK(conf_call(c, TOP_GUEST_WRITE, H(cpu), N(GPA0), N(0x7), N(PAGE), N(0)));

	/* The host starts unmapping the slot's HVAs (as a zap does)... */
	c->no_check = true;
	mmu_notifier_invalidate_hook(mm, hva, hva + 4 * PAGE, true);
	ck_assert_int_eq(kvm->mn_active_invalidate_count, 1);
	ck_assert_int_eq(kvm->mmu_invalidate_in_progress, 1);
	ck_assert_int_eq(kvm2->mn_active_invalidate_count, 1);
	/* ...and the VM dies before the end: no in-flight report at destroy. */
	CONF_OK(conf_call(c, TOP_CLOSE, H(cpu)));
	CONF_OK(conf_call(c, TOP_CLOSE, H(vm)));
	ck_assert_int_eq(c->nviolations, 0);
	/* The end reaches only the VM still registered. */
	mmu_notifier_invalidate_hook(mm, hva, hva + 4 * PAGE, false);
	ck_assert_int_eq(kvm2->mn_active_invalidate_count, 0);
	ck_assert_int_eq(kvm2->mmu_invalidate_in_progress, 0);
	c->no_check = false;
	CONF_OK(conf_call(c, TOP_MUNMAP, H(map)));
	conf_free(c);
}
END_TEST

/* SMR-MOVE-1: the failed move leaves slot 0 where it was. */
START_TEST(SMR_MOVE_1_failed_move_republishes_old_slot)
{
	struct conf *c = conf_new(NULL);
	int vm = conf_vm(c, KVM_X86_DEFAULT_VM);
	int map = conf_bind(c, TOP_ANON_MMAP, N(4 * PAGE));
	int cpu = conf_bind(c, TOP_VCPU_CREATE, H(vm), N(0));

	CONF_OK(conf_call(c, TOP_HOST_WRITE, H(map), N(0), N(0x33), N(PAGE)));
	CONF_OK(conf_call(c, TOP_SET_USER_MEMORY_REGION2, H(vm), N(0), N(0), N(GPA0),
			  N(4 * PAGE), H(map), N(0), N(0)));
	/* The fuzz input: a move (with LOG_DIRTY_PAGES) to GPA 2^52. */
	CONF_ERRNO(conf_call(c, TOP_SET_USER_MEMORY_REGION2, H(vm), N(0), N(1), N(1ULL << 52),
			     N(4 * PAGE), H(map), N(0), N(0)), EINVAL);
	CONF_VALUE(conf_call(c, TOP_GUEST_READ, H(cpu), N(GPA0), N(PAGE), N(0)), 0x33);
	/* A valid move and a delete still work on it. */
	CONF_OK(conf_call(c, TOP_SET_USER_MEMORY_REGION2, H(vm), N(0), N(0), N(2 * GPA0),
			  N(4 * PAGE), H(map), N(0), N(0)));
	CONF_VALUE(conf_call(c, TOP_GUEST_READ, H(cpu), N(2 * GPA0), N(PAGE), N(0)), 0x33);
	CONF_OK(conf_call(c, TOP_SET_USER_MEMORY_REGION2, H(vm), N(0), N(0), N(2 * GPA0),
			  N(0), H(map), N(0), N(0)));
	conf_free(c);
}
END_TEST

static Suite *fuzzfix_suite(void)
{
	Suite *s = suite_create("conformance-fuzzfix");
	TCase *tc = tcase_create("fuzzfix");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, MMAP_1_mmap_offset_past_file_limit_is_eoverflow);
	tcase_add_test(tc, MADV_1_remove_past_mapping_end);
	tcase_add_test(tc, KVM_VMS_forty_live_vms);
	tcase_add_test(tc, KVM_2_3_vm_destroyed_between_notifier_start_and_end);
	tcase_add_test(tc, SMR_MOVE_1_failed_move_republishes_old_slot);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(fuzzfix_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
