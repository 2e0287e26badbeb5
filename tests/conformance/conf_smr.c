// SPDX-License-Identifier: GPL-2.0
/*
 * Conformance rows SMR-01 .. SMR-17 (spec §4.2, set_memory_region_test.c,
 * 2024 version + the 7.2-queued fix) against the model backend.
 * SMR-18..20 need KVM_RUN of real guest code (not in the trace vocabulary;
 * see README).
 */
#include <stdlib.h>

#include "conf_util.h"
#include <uapi/linux/kvm_gmem.h>

#define R	SZ_2M
#define GPA0	(1ULL << 32)
#define GPA1	(GPA0 + 16 * R)

static const uint32_t supported_flags =
	KVM_MEM_LOG_DIRTY_PAGES | KVM_MEM_READONLY | KVM_MEM_GUEST_MEMFD;

/* SMR-01/02/03: every unsupported flag bit, v1 and v2; GUEST_MEMFD via v1. */
START_TEST(SMR_01_02_03_unsupported_flags_v1_v2)
{
	struct conf *c = conf_new(NULL);
	int vm = conf_vm(c, KVM_X86_DEFAULT_VM);
	int map = conf_bind(c, TOP_ANON_MMAP, N(R));
	int i;

	ck_assert_int_ge(map, 0);
	for (i = 0; i < 32; i++) {
		uint32_t flag = 1U << i;

		if (flag & supported_flags)
			continue;
		/* SMR-01 */
		CONF_ERRNO(conf_call(c, TOP_SET_USER_MEMORY_REGION, H(vm), N(0), N(flag),
				     N(GPA0), N(R), H(map)), EINVAL);
		/* SMR-02 */
		CONF_ERRNO(conf_region2(c, vm, 0, flag, GPA0, R,
					conf_map_addr(c, map), -1, 0), EINVAL);
	}
	/* SMR-03 */
	CONF_ERRNO(conf_call(c, TOP_SET_USER_MEMORY_REGION, H(vm), N(0),
			     N(KVM_MEM_GUEST_MEMFD), N(GPA0), N(R), H(map)), EINVAL);
	/* The supported v1 flags do work. */
	CONF_OK(conf_call(c, TOP_SET_USER_MEMORY_REGION, H(vm), N(0),
			  N(KVM_MEM_LOG_DIRTY_PAGES), N(GPA0), N(R), H(map)));
	conf_free(c);
}
END_TEST

START_TEST(SMR_04_05_gmem_with_dirty_log_or_readonly)
{
	struct conf *c = conf_new(NULL);
	int vm = conf_vm(c, KVM_X86_SW_PROTECTED_VM);
	int fd = conf_gmem(c, vm, R, 0);

	/* SMR-04 */
	CONF_ERRNO(conf_region2(c, vm, 0, KVM_MEM_GUEST_MEMFD | KVM_MEM_LOG_DIRTY_PAGES,
				GPA0, R, 0, fd, 0), EINVAL);
	/* SMR-05 */
	CONF_ERRNO(conf_region2(c, vm, 0, KVM_MEM_GUEST_MEMFD | KVM_MEM_READONLY,
				GPA0, R, 0, fd, 0), EINVAL);
	CONF_OK(conf_region2(c, vm, 0, KVM_MEM_GUEST_MEMFD, GPA0, R, 0, fd, 0));
	conf_free(c);
}
END_TEST

/* SMR-06: KVM_CAP_NR_MEMSLOTS slots of 2 MiB each; one more fails. */
START_TEST(SMR_06_max_memslots)
{
	struct conf *c = conf_new(NULL);
	int vm = conf_vm(c, KVM_X86_DEFAULT_VM);
	struct trace_result r;
	uint64_t nr, i;

	r = conf_call(c, TOP_CHECK_EXTENSION, H(vm), N(KVM_CAP_NR_MEMSLOTS));
	CONF_OK(r);
	nr = (uint64_t)r.ret;
	ck_assert_uint_eq(nr, 32764);

	c->no_check = true;	/* checkers are O(slots): run them once below */
	for (i = 0; i < nr; i++) {
		r = conf_region2(c, vm, (uint32_t)i, 0, i * R, R, 0x10000000, -1, 0);
		ck_assert_msg(r.kind == TRES_OK, "slot %llu: %s",
			      (unsigned long long)i, conf_fmt(&r));
	}
	CONF_ERRNO(conf_region2(c, vm, (uint32_t)nr, 0, nr * R, R, 0x10000000, -1, 0),
		   EINVAL);
	c->no_check = false;
	CONF_OK(conf_call(c, TOP_CHECK_EXTENSION, H(vm), N(KVM_CAP_NR_MEMSLOTS)));
	conf_free(c);
}
END_TEST

/* SMR-07..10: guest_memfd must be a gmem fd of this VM. */
START_TEST(SMR_07_08_09_10_bad_guest_memfd)
{
	struct conf *c = conf_new(NULL);
	int vm = conf_vm(c, KVM_X86_SW_PROTECTED_VM);
	int vm2 = conf_vm(c, KVM_X86_SW_PROTECTED_VM);
	int dev = conf_bind(c, TOP_OPEN_DEV_KVM);
	int memfd = conf_bind(c, TOP_MEMFD_CREATE, N(R));
	int other = conf_gmem(c, vm2, R, 0);

	ck_assert_int_ge(dev, 0);
	ck_assert_int_ge(memfd, 0);
	/* SMR-07 */
	CONF_ERRNO(conf_region2(c, vm, 0, KVM_MEM_GUEST_MEMFD, GPA0, R, 0, dev, 0), EINVAL);
	/* SMR-08 */
	CONF_ERRNO(conf_region2(c, vm, 0, KVM_MEM_GUEST_MEMFD, GPA0, R, 0, vm, 0), EINVAL);
	/* SMR-09 */
	CONF_ERRNO(conf_region2(c, vm, 0, KVM_MEM_GUEST_MEMFD, GPA0, R, 0, memfd, 0), EINVAL);
	/* SMR-10 */
	CONF_ERRNO(conf_region2(c, vm, 0, KVM_MEM_GUEST_MEMFD, GPA0, R, 0, other, 0), EINVAL);
	/* A closed fd number is EBADF (spec §1.10 step 1). */
	CONF_ERRNO(conf_region2_rawfd(c, vm, 0, KVM_MEM_GUEST_MEMFD, GPA0, R, 0, 999, 0),
		   EBADF);
	conf_free(c);
}
END_TEST

START_TEST(SMR_11_12_13_offsets)
{
	struct conf *c = conf_new(NULL);
	int vm = conf_vm(c, KVM_X86_SW_PROTECTED_VM);
	int fd = conf_gmem(c, vm, 2 * R, 0);
	uint64_t off;

	c->no_check = true;
	/* SMR-11 */
	for (off = 1; off < PAGE; off++)
		CONF_ERRNO(conf_region2(c, vm, 0, KVM_MEM_GUEST_MEMFD, GPA0, R, 0, fd, off),
			   EINVAL);
	c->no_check = false;
	/* SMR-13: offset + size > i_size */
	CONF_ERRNO(conf_region2(c, vm, 0, KVM_MEM_GUEST_MEMFD, GPA0, R, 0, fd, R + PAGE),
		   EINVAL);
	CONF_ERRNO(conf_region2(c, vm, 0, KVM_MEM_GUEST_MEMFD, GPA0, 2 * R + PAGE, 0, fd, 0),
		   EINVAL);
	/* SMR-12: size <= file size at offset 0; and the tail at offset R */
	CONF_OK(conf_region2(c, vm, 0, KVM_MEM_GUEST_MEMFD, GPA0, R, 0, fd, 0));
	CONF_OK(conf_region2(c, vm, 1, KVM_MEM_GUEST_MEMFD, GPA1, R, 0, fd, R));
	conf_free(c);
}
END_TEST

/*
 * SMR-14: A [GPA0, 2R) @0 and B [GPA1, 2R) @2R; delete A; re-create A over
 * the front half and the back half of B in both GPA and file offsets: the
 * GPA overlap check runs first, so EEXIST in every profile.
 */
START_TEST(SMR_14_overlap_gpa_and_offset_is_EEXIST)
{
	static const char *profiles[] = { "6.18", "7.1", "7.2" };
	int p;

	for (p = 0; p < 3; p++) {
		struct conf *c = conf_new(profiles[p]);
		int vm = conf_vm(c, KVM_X86_SW_PROTECTED_VM);
		int fd = conf_gmem(c, vm, 4 * R, 0);

		CONF_OK(conf_region2(c, vm, 0, KVM_MEM_GUEST_MEMFD, GPA0, 2 * R, 0, fd, 0));
		CONF_OK(conf_region2(c, vm, 1, KVM_MEM_GUEST_MEMFD, GPA1, 2 * R, 0, fd, 2 * R));
		CONF_OK(conf_region2(c, vm, 0, KVM_MEM_GUEST_MEMFD, GPA0, 0, 0, fd, 0));
		/* front half of B */
		CONF_ERRNO(conf_region2(c, vm, 0, KVM_MEM_GUEST_MEMFD, GPA1 - R, 2 * R, 0,
					fd, R), EEXIST);
		/* back half of B */
		CONF_ERRNO(conf_region2(c, vm, 0, KVM_MEM_GUEST_MEMFD, GPA1 + R, 2 * R, 0,
					fd, 3 * R), EEXIST);
		conf_free(c);
	}
}
END_TEST

/* SMR-15 [7.2-queued]: file-range overlap only: 7.1 EINVAL, 7.2 EEXIST (B-17). */
START_TEST(SMR_15_overlap_offset_only_7_1_EINVAL_7_2_EEXIST)
{
	static const struct { const char *profile; int err; } rows[] = {
		{ "6.18", EINVAL }, { "7.1", EINVAL }, { "7.2", EEXIST },
	};
	int p;

	for (p = 0; p < 3; p++) {
		struct conf *c = conf_new(rows[p].profile);
		int vm = conf_vm(c, KVM_X86_SW_PROTECTED_VM);
		int fd = conf_gmem(c, vm, 4 * R, 0);

		CONF_OK(conf_region2(c, vm, 0, KVM_MEM_GUEST_MEMFD, GPA0, 2 * R, 0, fd, 0));
		CONF_ERRNO(conf_region2(c, vm, 1, KVM_MEM_GUEST_MEMFD, GPA1, 2 * R, 0, fd, R),
			   rows[p].err);
		conf_free(c);
	}
}
END_TEST

/* SMR-16: a gmem slot is immutable, even an identical re-issue is EINVAL. */
START_TEST(SMR_16_modify_gmem_slot_EINVAL)
{
	struct conf *c = conf_new(NULL);
	int vm = conf_vm(c, KVM_X86_SW_PROTECTED_VM);
	int fd = conf_gmem(c, vm, 4 * R, 0);

	CONF_OK(conf_region2(c, vm, 0, KVM_MEM_GUEST_MEMFD, GPA0, 2 * R, 0, fd, 0));
	/* identical */
	CONF_ERRNO(conf_region2(c, vm, 0, KVM_MEM_GUEST_MEMFD, GPA0, 2 * R, 0, fd, 0), EINVAL);
	/* move */
	CONF_ERRNO(conf_region2(c, vm, 0, KVM_MEM_GUEST_MEMFD, GPA1, 2 * R, 0, fd, 0), EINVAL);
	/* flags only: drop GUEST_MEMFD, or add dirty logging without it */
	CONF_ERRNO(conf_region2(c, vm, 0, 0, GPA0, 2 * R, 0, -1, 0), EINVAL);
	CONF_ERRNO(conf_region2(c, vm, 0, KVM_MEM_LOG_DIRTY_PAGES, GPA0, 2 * R, 0, -1, 0),
		   EINVAL);
	conf_free(c);
}
END_TEST

START_TEST(SMR_17_delete_and_recreate_on_same_range)
{
	struct conf *c = conf_new(NULL);
	int vm = conf_vm(c, KVM_X86_SW_PROTECTED_VM);
	int fd = conf_gmem(c, vm, 2 * R, 0);

	CONF_OK(conf_region2(c, vm, 0, KVM_MEM_GUEST_MEMFD, GPA0, 2 * R, 0, fd, 0));
	CONF_OK(conf_region2(c, vm, 0, KVM_MEM_GUEST_MEMFD, GPA0, 0, 0, fd, 0));
	CONF_OK(conf_region2(c, vm, 0, KVM_MEM_GUEST_MEMFD, GPA0, 2 * R, 0, fd, 0));
	/* Deleting a slot that does not exist is EINVAL. */
	CONF_ERRNO(conf_region2(c, vm, 5, 0, GPA1, 0, 0, -1, 0), EINVAL);
	conf_free(c);
}
END_TEST

static Suite *smr_suite(void)
{
	Suite *s = suite_create("conformance-SMR");
	TCase *tc = tcase_create("SMR");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, SMR_01_02_03_unsupported_flags_v1_v2);
	tcase_add_test(tc, SMR_04_05_gmem_with_dirty_log_or_readonly);
	tcase_add_test(tc, SMR_06_max_memslots);
	tcase_add_test(tc, SMR_07_08_09_10_bad_guest_memfd);
	tcase_add_test(tc, SMR_11_12_13_offsets);
	tcase_add_test(tc, SMR_14_overlap_gpa_and_offset_is_EEXIST);
	tcase_add_test(tc, SMR_15_overlap_offset_only_7_1_EINVAL_7_2_EEXIST);
	tcase_add_test(tc, SMR_16_modify_gmem_slot_EINVAL);
	tcase_add_test(tc, SMR_17_delete_and_recreate_on_same_range);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(smr_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
