// SPDX-License-Identifier: GPL-2.0
/*
 * Conformance rows SPEC-01 .. SPEC-11 (spec §4.7, derived from the spec,
 * not in upstream selftests) against the model backend.  SPEC-12..15 are
 * the MMU helper's (mmu*.c).
 */
#include <stdlib.h>

#include "conf_util.h"
#include <linux/kvm_host.h>
#include <uapi/linux/kvm_gmem.h>

#define GPA0	(1ULL << 32)
#define PRIV	KVM_MEMORY_ATTRIBUTE_PRIVATE

START_TEST(SPEC_01_attributes_flags_nonzero)
{
	struct conf *c = conf_new(NULL);
	int vm = conf_vm(c, KVM_X86_SW_PROTECTED_VM);

	CONF_ERRNO(conf_attrs(c, vm, GPA0, PAGE, PRIV, 1), EINVAL);
	conf_free(c);
}
END_TEST

START_TEST(SPEC_02_attributes_unsupported_bit)
{
	struct conf *c = conf_new(NULL);
	int vm = conf_vm(c, KVM_X86_SW_PROTECTED_VM);
	int i;

	for (i = 0; i < 64; i++) {
		uint64_t a = 1ULL << i;

		if (a == PRIV)
			CONF_OK(conf_attrs(c, vm, GPA0, PAGE, a, 0));
		else
			CONF_ERRNO(conf_attrs(c, vm, GPA0, PAGE, a, 0), EINVAL);
	}
	conf_free(c);
}
END_TEST

START_TEST(SPEC_03_attributes_bad_ranges)
{
	static const uint64_t t[][2] = {
		{ GPA0, 0 },			/* size 0 */
		{ -PAGE, 2 * PAGE },		/* wraps */
		{ GPA0 + 1, PAGE },		/* unaligned address */
		{ GPA0, PAGE + 1 },		/* unaligned size */
		{ GPA0, 1 },
	};
	struct conf *c = conf_new(NULL);
	int vm = conf_vm(c, KVM_X86_SW_PROTECTED_VM);
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		CONF_ERRNO(conf_attrs(c, vm, t[i][0], t[i][1], PRIV, 0), EINVAL);
	conf_free(c);
}
END_TEST

START_TEST(SPEC_04_default_vm_private_refused_zero_ok)
{
	struct conf *c = conf_new(NULL);
	int vm = conf_vm(c, KVM_X86_DEFAULT_VM);

	CONF_ERRNO(conf_attrs(c, vm, GPA0, PAGE, PRIV, 0), EINVAL);
	CONF_OK(conf_attrs(c, vm, GPA0, PAGE, 0, 0));
	CONF_RET(conf_call(c, TOP_CHECK_EXTENSION, H(vm), N(KVM_CAP_MEMORY_ATTRIBUTES)), 0);
	CONF_RET(conf_call(c, TOP_CHECK_EXTENSION, N(0), N(KVM_CAP_MEMORY_ATTRIBUTES)), PRIV);
	conf_free(c);
}
END_TEST

/* SPEC-05: the no-op path takes no invalidation: seq does not move. */
START_TEST(SPEC_05_same_attributes_twice_is_noop)
{
	struct conf *c = conf_new(NULL);
	int vm = conf_vm(c, KVM_X86_SW_PROTECTED_VM);
	int fd = conf_gmem(c, vm, SZ_2M, 0);
	struct kvm *kvm;
	unsigned long seq;

	CONF_OK(conf_region2(c, vm, 0, KVM_MEM_GUEST_MEMFD, GPA0, SZ_2M, 0, fd, 0));
	kvm = conf_kvm(c, vm);
	seq = kvm->mmu_invalidate_seq;
	CONF_OK(conf_attrs(c, vm, GPA0, SZ_2M, PRIV, 0));
	ck_assert_uint_eq(kvm->mmu_invalidate_seq, seq + 1);
	CONF_OK(conf_attrs(c, vm, GPA0, SZ_2M, PRIV, 0));
	ck_assert_uint_eq(kvm->mmu_invalidate_seq, seq + 1);
	/* A sub-range already private is a no-op too. */
	CONF_OK(conf_attrs(c, vm, GPA0 + PAGE, PAGE, PRIV, 0));
	ck_assert_uint_eq(kvm->mmu_invalidate_seq, seq + 1);
	/* Back to shared: one more invalidation. */
	CONF_OK(conf_attrs(c, vm, GPA0, SZ_2M, 0, 0));
	ck_assert_uint_eq(kvm->mmu_invalidate_seq, seq + 2);
	conf_free(c);
}
END_TEST

/* SPEC-06: attributes need no memslot and survive slot creation. */
START_TEST(SPEC_06_attributes_without_memslot)
{
	struct conf *c = conf_new(NULL);
	int vm = conf_vm(c, KVM_X86_SW_PROTECTED_VM);
	struct kvm *kvm;
	int fd, cpu;

	kvm = conf_kvm(c, vm);
	CONF_OK(conf_attrs(c, vm, GPA0, 4 * PAGE, PRIV, 0));
	/* No slot: neither begin nor end ran. */
	ck_assert_uint_eq(kvm->mmu_invalidate_seq, 0);
	ck_assert(kvm_mem_is_private(kvm, GPA0 >> 12));
	ck_assert(!kvm_mem_is_private(kvm, (GPA0 >> 12) + 4));

	fd = conf_gmem(c, vm, 4 * PAGE, 0);
	CONF_OK(conf_region2(c, vm, 0, KVM_MEM_GUEST_MEMFD, GPA0, 4 * PAGE, 0, fd, 0));
	cpu = conf_bind(c, TOP_VCPU_CREATE, H(vm), N(0));
	ck_assert_int_ge(cpu, 0);
	/* A private access of the never-written gmem page reads zeros. */
	CONF_VALUE(conf_call(c, TOP_GUEST_READ, H(cpu), N(GPA0), N(PAGE), N(1)), 0);
	CONF_OK(conf_call(c, TOP_GUEST_WRITE, H(cpu), N(GPA0), N(0x42), N(PAGE), N(1)));
	CONF_VALUE(conf_call(c, TOP_GUEST_READ, H(cpu), N(GPA0), N(PAGE), N(1)), 0x42);
	conf_free(c);
}
END_TEST

/* SPEC-07: after the gmem fd is released, a private access exits -EFAULT. */
START_TEST(SPEC_07_released_gmem_private_access_exits)
{
	struct conf *c = conf_new(NULL);
	int vm = conf_vm(c, KVM_X86_SW_PROTECTED_VM);
	int fd = conf_gmem(c, vm, 4 * PAGE, 0);
	struct trace_result r;
	int cpu;

	CONF_OK(conf_region2(c, vm, 0, KVM_MEM_GUEST_MEMFD, GPA0, 4 * PAGE, 0, fd, 0));
	CONF_OK(conf_attrs(c, vm, GPA0, 4 * PAGE, PRIV, 0));
	cpu = conf_bind(c, TOP_VCPU_CREATE, H(vm), N(0));
	CONF_OK(conf_call(c, TOP_GUEST_WRITE, H(cpu), N(GPA0), N(0x11), N(PAGE), N(1)));
	CONF_OK(conf_call(c, TOP_CLOSE, H(fd)));

	r = conf_call(c, TOP_GUEST_READ, H(cpu), N(GPA0 + PAGE), N(PAGE), N(1));
	ck_assert_msg(r.kind == TRES_EXIT && r.err == EFAULT &&
		      r.exit_reason == KVM_EXIT_MEMORY_FAULT &&
		      r.mf_gpa == GPA0 + PAGE && r.mf_size == PAGE &&
		      r.mf_flags == KVM_MEMORY_EXIT_FLAG_PRIVATE, "got %s", conf_fmt(&r));
	/* The page that was mapped before the release was zapped too. */
	r = conf_call(c, TOP_GUEST_READ, H(cpu), N(GPA0), N(PAGE), N(1));
	ck_assert_msg(r.kind == TRES_EXIT && r.err == EFAULT && r.mf_gpa == GPA0,
		      "got %s", conf_fmt(&r));
	conf_free(c);
}
END_TEST

/* SPEC-08: close the gmem fd while bound, then delete the slot: no UAF. */
START_TEST(SPEC_08_close_gmem_then_delete_slot)
{
	struct conf *c = conf_new(NULL);
	int vm = conf_vm(c, KVM_X86_SW_PROTECTED_VM);
	int fd = conf_gmem(c, vm, 4 * PAGE, 0);

	CONF_OK(conf_region2(c, vm, 0, KVM_MEM_GUEST_MEMFD, GPA0, 4 * PAGE, 0, fd, 0));
	CONF_OK(conf_call(c, TOP_FALLOCATE, H(fd), N(CONF_FALLOC_KEEP_SIZE), N(0), N(4 * PAGE)));
	CONF_OK(conf_call(c, TOP_CLOSE, H(fd)));
	CONF_OK(conf_region2(c, vm, 0, KVM_MEM_GUEST_MEMFD, GPA0, 0, 0, -1, 0));
	/* and the VM still works: a new gmem + slot at the same place */
	fd = conf_gmem(c, vm, 4 * PAGE, 0);
	CONF_OK(conf_region2(c, vm, 0, KVM_MEM_GUEST_MEMFD, GPA0, 4 * PAGE, 0, fd, 0));
	conf_free(c);
}
END_TEST

/* SPEC-09: one file, two slots at disjoint offsets; overlap is refused. */
START_TEST(SPEC_09_same_file_two_slots)
{
	static const struct { const char *profile; int err; } rows[] = {
		{ "7.1", EINVAL }, { "7.2", EEXIST },
	};
	int p;

	for (p = 0; p < 2; p++) {
		struct conf *c = conf_new(rows[p].profile);
		int vm = conf_vm(c, KVM_X86_SW_PROTECTED_VM);
		int fd = conf_gmem(c, vm, 8 * PAGE, 0);

		CONF_OK(conf_region2(c, vm, 0, KVM_MEM_GUEST_MEMFD, GPA0, 4 * PAGE, 0, fd, 0));
		CONF_OK(conf_region2(c, vm, 1, KVM_MEM_GUEST_MEMFD, 2 * GPA0, 4 * PAGE, 0, fd,
				     4 * PAGE));
		CONF_ERRNO(conf_region2(c, vm, 2, KVM_MEM_GUEST_MEMFD, 3 * GPA0, 2 * PAGE, 0,
					fd, 3 * PAGE), rows[p].err);
		conf_free(c);
	}
}
END_TEST

/*
 * SPEC-10 (B-16): offset 2^63 - page, two pages: the signed loff_t sum
 * wraps negative.  7.2 refuses it (EINVAL); the 7.1 model reproduces the
 * unfixed check, which lets the bind through.
 */
START_TEST(SPEC_10_bind_offset_signed_overflow)
{
	static const struct { const char *profile; int err; } rows[] = {
		{ "7.1", 0 }, { "7.2", EINVAL },
	};
	int p;

	for (p = 0; p < 2; p++) {
		struct conf *c = conf_new(rows[p].profile);
		int vm = conf_vm(c, KVM_X86_SW_PROTECTED_VM);
		int fd = conf_gmem(c, vm, 4 * PAGE, 0);
		struct trace_result r;

		r = conf_region2(c, vm, 0, KVM_MEM_GUEST_MEMFD, GPA0, 2 * PAGE, 0, fd,
				 (1ULL << 63) - PAGE);
		if (rows[p].err)
			CONF_ERRNO(r, rows[p].err);
		else
			CONF_OK(r);
		conf_free(c);
	}
}
END_TEST

START_TEST(SPEC_11_reserved_not_checked)
{
	struct conf *c = conf_new(NULL);
	int vm = conf_vm(c, KVM_X86_DEFAULT_VM);

	CONF_OK(conf_call(c, TOP_CREATE_GUEST_MEMFD, H(vm), N(PAGE), N(0), N(0xdeadbeef)));
	conf_free(c);
}
END_TEST

static Suite *spec_suite(void)
{
	Suite *s = suite_create("conformance-SPEC");
	TCase *tc = tcase_create("SPEC");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, SPEC_01_attributes_flags_nonzero);
	tcase_add_test(tc, SPEC_02_attributes_unsupported_bit);
	tcase_add_test(tc, SPEC_03_attributes_bad_ranges);
	tcase_add_test(tc, SPEC_04_default_vm_private_refused_zero_ok);
	tcase_add_test(tc, SPEC_05_same_attributes_twice_is_noop);
	tcase_add_test(tc, SPEC_06_attributes_without_memslot);
	tcase_add_test(tc, SPEC_07_released_gmem_private_access_exits);
	tcase_add_test(tc, SPEC_08_close_gmem_then_delete_slot);
	tcase_add_test(tc, SPEC_09_same_file_two_slots);
	tcase_add_test(tc, SPEC_10_bind_offset_signed_overflow);
	tcase_add_test(tc, SPEC_11_reserved_not_checked);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(spec_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
