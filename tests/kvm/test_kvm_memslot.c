// SPDX-License-Identifier: GPL-2.0
/*
 * Memslot, attribute and pre-fault conformance against the real kernel,
 * through the kvm backend: rows SMR-01..SMR-17 (spec section 4.2, like
 * set_memory_region_test.c), SPEC-04, SPEC-08, SPEC-09 (4.7) and the PF rows
 * (4.5), which prove the skip path when KVM_CAP_PRE_FAULT_MEMORY is 0.
 * Version-dependent rows take their expectation from the host's profile
 * (kvm_backend_host_profile()).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "backend/kvm/kvm_sys.h"
#include "backend/kvm/kvm_util.h"
#include "backend/kvm/kvm_caps.h"
#include "kvm_harness.h"

#define MB	(1ULL << 20)
#define R	(2 * MB)		/* region size used by the upstream test */
#define UADDR	(2 * MB)		/* arena offset backing plain slots */
#define GPA0	0x10000000ULL

enum { VM, GMEM, VM2, GMEM2, MEMFD, DEVKVM, VCPU };

static struct kh k;

static void fix_setup(void)
{
	kh_setup(&k);
	ck_ok("setup", KH(&k, TOP_VM_CREATE, VM, A(KVM_X86_DEFAULT_VM)));
}

static void fix_teardown(void)
{
	kh_teardown(&k);
}

static bool profile_is_72(void)
{
	return !strcmp(kvm_backend_host_profile(), "7.2");
}

static const struct trace_result *region1(uint32_t slot, uint32_t flags, uint64_t gpa,
					  uint64_t size)
{
	return KH(&k, TOP_SET_USER_MEMORY_REGION, NOBIND, H(VM), A(slot), A(flags), A(gpa),
		  A(size), A(UADDR));
}

static const struct trace_result *region2(uint32_t slot, uint32_t flags, uint64_t gpa,
					  uint64_t size, struct trace_arg fd, uint64_t off)
{
	return KH(&k, TOP_SET_USER_MEMORY_REGION2, NOBIND, H(VM), A(slot), A(flags), A(gpa),
		  A(size), A(UADDR), fd, A(off));
}

static uint32_t supported_flags(void)
{
	uint32_t f = KVM_MEM_LOG_DIRTY_PAGES;

	if (kvm_check_cap(KVM_CAP_READONLY_MEM) > 0)
		f |= KVM_MEM_READONLY;
	return f;
}

START_TEST(smr_01_02_flags)
{
	uint32_t supported = supported_flags();
	int bit;

	for (bit = 0; bit < 32; bit++) {
		uint32_t f = 1u << bit;

		if (f == KVM_MEM_GUEST_MEMFD) {
			/* SMR-03: never through v1; v2 needs a gmem fd (SMR-07..). */
			ck_errno("SMR-03", region1(0, f, GPA0, R), EINVAL);
			continue;
		}
		if (!(f & supported)) {
			ck_errno("SMR-01", region1(0, f, GPA0, R), EINVAL);
			ck_errno("SMR-02", region2(0, f, GPA0, R, A(0), 0), EINVAL);
			continue;
		}
		ck_ok("SMR-01", region1(0, f, GPA0, R));
		ck_ok("SMR-01", region1(0, f, GPA0, 0));
		ck_ok("SMR-02", region2(0, f, GPA0, R, A(0), 0));
		ck_ok("SMR-02", region2(0, f, GPA0, 0, A(0), 0));
	}
}
END_TEST

START_TEST(smr_04_05_gmem_flag_combos)
{
	ck_ok("SMR-04", KH(&k, TOP_CREATE_GUEST_MEMFD, GMEM, H(VM), A(4 * R), A(0), A(0)));
	ck_errno("SMR-04", region2(0, KVM_MEM_GUEST_MEMFD | KVM_MEM_LOG_DIRTY_PAGES, GPA0, R,
				   H(GMEM), 0), EINVAL);
	ck_errno("SMR-05", region2(0, KVM_MEM_GUEST_MEMFD | KVM_MEM_READONLY, GPA0, R,
				   H(GMEM), 0), EINVAL);
	/* The same fd and range is fine without the extra flag. */
	ck_ok("SMR-12", region2(0, KVM_MEM_GUEST_MEMFD, GPA0, R, H(GMEM), 0));
}
END_TEST

START_TEST(smr_06_max_memslots)
{
	const struct trace_result *r;
	int64_t nr;
	int64_t i;

	r = KH(&k, TOP_CHECK_EXTENSION, NOBIND, H(VM), A(KVM_CAP_NR_MEMSLOTS));
	ck_ok("SMR-06", r);
	nr = r->ret;
	ck_assert_msg(nr > 0, "SMR-06: KVM_CAP_NR_MEMSLOTS = %lld", (long long)nr);
	printf("SMR-06: KVM_CAP_NR_MEMSLOTS = %lld\n", (long long)nr);
	/* Every slot aliases the same 2 MiB of host memory; GPAs are disjoint. */
	for (i = 0; i < nr; i++) {
		r = region1(i, 0, i * R, R);
		if (r->kind != TRES_OK)
			ck_abort_msg("SMR-06: slot %lld: %s", (long long)i, kh_fmt(r));
	}
	ck_errno("SMR-06", region1(nr, 0, nr * R, R), EINVAL);
}
END_TEST

START_TEST(smr_07_10_bad_fds)
{
	ck_ok("SMR-07", KH0(&k, TOP_OPEN_DEV_KVM, DEVKVM));
	ck_errno("SMR-07", region2(0, KVM_MEM_GUEST_MEMFD, GPA0, R, H(DEVKVM), 0), EINVAL);
	ck_errno("SMR-08", region2(0, KVM_MEM_GUEST_MEMFD, GPA0, R, H(VM), 0), EINVAL);
	ck_ok("SMR-09", KH(&k, TOP_MEMFD_CREATE, MEMFD, A(R)));
	ck_errno("SMR-09", region2(0, KVM_MEM_GUEST_MEMFD, GPA0, R, H(MEMFD), 0), EINVAL);
	ck_ok("SMR-10", KH(&k, TOP_VM_CREATE, VM2, A(KVM_X86_DEFAULT_VM)));
	ck_ok("SMR-10", KH(&k, TOP_CREATE_GUEST_MEMFD, GMEM2, H(VM2), A(R), A(0), A(0)));
	ck_errno("SMR-10", region2(0, KVM_MEM_GUEST_MEMFD, GPA0, R, H(GMEM2), 0), EINVAL);
	/* A closed fd number: EBADF from fdget. */
	ck_ok("SMR-07", KH(&k, TOP_CLOSE, NOBIND, H(MEMFD)));
}
END_TEST

START_TEST(smr_11_13_offsets)
{
	uint64_t off;

	ck_ok("SMR-11", KH(&k, TOP_CREATE_GUEST_MEMFD, GMEM, H(VM), A(R), A(0), A(0)));
	for (off = 1; off < PAGE; off++) {
		const struct trace_result *r = region2(0, KVM_MEM_GUEST_MEMFD, GPA0, R, H(GMEM), off);

		if (r->kind != TRES_ERRNO || r->err != EINVAL)
			ck_abort_msg("SMR-11: offset %llu: %s", (unsigned long long)off, kh_fmt(r));
	}
	ck_errno("SMR-13", region2(0, KVM_MEM_GUEST_MEMFD, GPA0, R, H(GMEM), PAGE), EINVAL);
	ck_errno("SMR-13", region2(0, KVM_MEM_GUEST_MEMFD, GPA0, 2 * R, H(GMEM), 0), EINVAL);
	ck_ok("SMR-12", region2(0, KVM_MEM_GUEST_MEMFD, GPA0, R - PAGE, H(GMEM), PAGE));
}
END_TEST

START_TEST(smr_14_17_overlap_modify)
{
	int overlap_err = profile_is_72() ? EEXIST : EINVAL;

	ck_ok("SMR-14", KH(&k, TOP_CREATE_GUEST_MEMFD, GMEM, H(VM), A(4 * R), A(0), A(0)));
	ck_ok("SMR-14", region2(10, KVM_MEM_GUEST_MEMFD, GPA0, 2 * R, H(GMEM), 0));
	ck_ok("SMR-14", region2(11, KVM_MEM_GUEST_MEMFD, GPA0 + 2 * R, 2 * R, H(GMEM), 2 * R));
	ck_ok("SMR-14", region2(10, KVM_MEM_GUEST_MEMFD, GPA0, 0, H(GMEM), 0));
	/* Overlap B in GPA and file range, front half and back half. */
	ck_errno("SMR-14", region2(10, KVM_MEM_GUEST_MEMFD, GPA0 + R, 2 * R, H(GMEM), R), EEXIST);
	ck_errno("SMR-14", region2(10, KVM_MEM_GUEST_MEMFD, GPA0 + 3 * R, 2 * R, H(GMEM), 3 * R),
		 EEXIST);
	/* SMR-15: file range overlaps B, GPA disjoint: 7.1 EINVAL, 7.2 EEXIST. */
	ck_errno("SMR-15", region2(10, KVM_MEM_GUEST_MEMFD, GPA0 + 8 * R, 2 * R, H(GMEM), 3 * R),
		 overlap_err);
	/* SMR-16: gmem slots are immutable, even an identical request fails. */
	ck_errno("SMR-16", region2(11, KVM_MEM_GUEST_MEMFD, GPA0 + 2 * R, 2 * R, H(GMEM), 2 * R),
		 EINVAL);
	ck_errno("SMR-16", region2(11, KVM_MEM_GUEST_MEMFD, GPA0 + 4 * R, 2 * R, H(GMEM), 2 * R),
		 EINVAL);
	ck_errno("SMR-16", region2(11, 0, GPA0 + 2 * R, 2 * R, A(0), 0), EINVAL);
	ck_errno("SMR-16", region2(11, KVM_MEM_LOG_DIRTY_PAGES, GPA0 + 2 * R, 2 * R, A(0), 0), EINVAL);
	/* SMR-17: delete, then re-create on the same file range. */
	ck_ok("SMR-17", region2(11, KVM_MEM_GUEST_MEMFD, GPA0 + 2 * R, 0, H(GMEM), 2 * R));
	ck_ok("SMR-17", region2(11, KVM_MEM_GUEST_MEMFD, GPA0 + 2 * R, 2 * R, H(GMEM), 2 * R));
	/* Deleting a slot that does not exist. */
	ck_errno("SMR-17", region2(12, 0, GPA0, 0, A(0), 0), EINVAL);
}
END_TEST

START_TEST(spec_04_attributes_default_vm)
{
	/* Without CONFIG_KVM_GENERIC_MEMORY_ATTRIBUTES the ioctl does not exist. */
	bool has_attrs = kvm_check_cap(KVM_CAP_MEMORY_ATTRIBUTES) > 0;
	const struct trace_result *r;

	r = KH(&k, TOP_SET_MEMORY_ATTRIBUTES, NOBIND, H(VM), A(GPA0), A(PAGE),
	       A(KVM_MEMORY_ATTRIBUTE_PRIVATE), A(0));
	ck_errno("SPEC-04", r, has_attrs ? EINVAL : ENOTTY);
	r = KH(&k, TOP_SET_MEMORY_ATTRIBUTES, NOBIND, H(VM), A(GPA0), A(PAGE), A(0), A(0));
	if (has_attrs)
		ck_ok("SPEC-04", r);
	else
		ck_errno("SPEC-04", r, ENOTTY);
}
END_TEST

START_TEST(spec_08_close_then_delete)
{
	ck_ok("SPEC-08", KH(&k, TOP_CREATE_GUEST_MEMFD, GMEM, H(VM), A(R), A(0), A(0)));
	ck_ok("SPEC-08", region2(3, KVM_MEM_GUEST_MEMFD, GPA0, R, H(GMEM), 0));
	ck_ok("SPEC-08", KH(&k, TOP_CLOSE, NOBIND, H(GMEM)));
	ck_ok("SPEC-08", region2(3, 0, GPA0, 0, A(0), 0));
	/* The VM fd can go first too: the gmem file keeps the VM alive. */
	ck_ok("SPEC-08", KH(&k, TOP_CREATE_GUEST_MEMFD, GMEM2, H(VM), A(R), A(0), A(0)));
	ck_ok("SPEC-08", KH(&k, TOP_CLOSE, NOBIND, H(VM)));
	ck_ok("PMC-12", KH(&k, TOP_FALLOCATE, NOBIND, H(GMEM2), A(KEEP), A(0), A(R)));
	ck_ok("PMC-12", KH(&k, TOP_FALLOCATE, NOBIND, H(GMEM2), A(KEEP | PUNCH), A(0), A(R)));
}
END_TEST

START_TEST(spec_09_two_bindings)
{
	int overlap_err = profile_is_72() ? EEXIST : EINVAL;

	ck_ok("SPEC-09", KH(&k, TOP_CREATE_GUEST_MEMFD, GMEM, H(VM), A(2 * R), A(0), A(0)));
	ck_ok("SPEC-09", region2(1, KVM_MEM_GUEST_MEMFD, GPA0, R, H(GMEM), 0));
	ck_ok("SPEC-09", region2(2, KVM_MEM_GUEST_MEMFD, GPA0 + R, R, H(GMEM), R));
	ck_errno("SPEC-09", region2(3, KVM_MEM_GUEST_MEMFD, GPA0 + 4 * R, PAGE, H(GMEM), R - PAGE),
		 overlap_err);
	ck_errno("SPEC-09", region2(3, KVM_MEM_GUEST_MEMFD, GPA0 + 4 * R, 2 * PAGE, H(GMEM),
				    R - PAGE), overlap_err);
}
END_TEST

/* PF-01..PF-04 (section 4.5 / 2.6): each row runs for real when the cap is there. */
static const struct pf_row {
	const char *row;
	uint64_t gpa, size, flags;
	int err;		/* 0 = ok */
	uint64_t remaining;
} pf_rows[] = {
	{ "PF-01", GPA0, R, 0, 0, 0 },
	{ "PF-02", GPA0 + R, 2 * PAGE, 0, 0, PAGE },
	{ "PF-03", GPA0 + R + PAGE, PAGE, 0, ENOENT, PAGE },
	{ "PF-04", GPA0, PAGE, 1, EINVAL, PAGE },
	{ "PF-04", GPA0 + 1, PAGE, 0, EINVAL, PAGE },
	{ "PF-04", GPA0, PAGE - 1, 0, EINVAL, PAGE - 1 },
	{ "PF-04", GPA0, 0, 0, EINVAL, 0 },
	{ "PF-04", ~0ULL - PAGE + 1, 2 * PAGE, 0, EINVAL, 2 * PAGE },
};

START_TEST(pf_rows_or_skip)
{
	bool has_pf = kvm_check_cap(KVM_CAP_PRE_FAULT_MEMORY) > 0;
	unsigned int i;

	ck_ok("PF", region1(1, 0, GPA0, R + PAGE));
	ck_ok("PF", KH(&k, TOP_VCPU_CREATE, VCPU, H(VM), A(0)));
	for (i = 0; i < sizeof(pf_rows) / sizeof(pf_rows[0]); i++) {
		const struct pf_row *p = &pf_rows[i];
		const struct trace_result *r;

		r = KH(&k, TOP_PRE_FAULT_MEMORY, NOBIND, H(VCPU), A(p->gpa), A(p->size), A(p->flags));
		if (!has_pf) {
			ck_skipped(p->row, r);
			ck_assert_msg(strstr(kvm_backend_skip_reason(k.b), "PRE_FAULT"),
				      "%s: skip reason '%s'", p->row, kvm_backend_skip_reason(k.b));
			continue;
		}
		if (p->err)
			ck_errno(p->row, r, p->err);
		else
			ck_ok(p->row, r);
		ck_assert_msg(r->remaining == p->remaining, "%s: remaining 0x%llx, expected 0x%llx",
			      p->row, (unsigned long long)r->remaining,
			      (unsigned long long)p->remaining);
	}
	if (!has_pf)
		printf("PF rows: KVM_CAP_PRE_FAULT_MEMORY is 0: all %zu rows skipped as expected\n",
		       sizeof(pf_rows) / sizeof(pf_rows[0]));
}
END_TEST

static Suite *smr_suite(void)
{
	Suite *s = suite_create("kvm-memslot");
	TCase *tc = tcase_create("rows");

	tcase_set_timeout(tc, 100);
	tcase_add_checked_fixture(tc, fix_setup, fix_teardown);
	tcase_add_test(tc, smr_01_02_flags);
	tcase_add_test(tc, smr_04_05_gmem_flag_combos);
	tcase_add_test(tc, smr_06_max_memslots);
	tcase_add_test(tc, smr_07_10_bad_fds);
	tcase_add_test(tc, smr_11_13_offsets);
	tcase_add_test(tc, smr_14_17_overlap_modify);
	tcase_add_test(tc, spec_04_attributes_default_vm);
	tcase_add_test(tc, spec_08_close_then_delete);
	tcase_add_test(tc, spec_09_two_bindings);
	tcase_add_test(tc, pf_rows_or_skip);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	kh_require_kvm("test_kvm_memslot");
	if (kvm_check_cap(KVM_CAP_GUEST_MEMFD) <= 0 || kvm_check_cap(KVM_CAP_USER_MEMORY2) <= 0) {
		printf("test_kvm_memslot: no guest_memfd / USER_MEMORY2, skipping\n");
		return KSFT_SKIP;
	}
	printf("test_kvm_memslot: host profile %s\n", kvm_backend_host_profile());
	return kh_run_suite(smr_suite());
}
