// SPDX-License-Identifier: GPL-2.0
/*
 * guest_memfd conformance against the real kernel, through the kvm backend:
 * rows GM-01..GM-29, GM-34, GM-35 and SPEC-11 of the spec (section 4.1),
 * like guest_memfd_test.c: every VM type in KVM_CAP_VM_TYPES, and for each
 * the flag sets 0, MMAP, MMAP|INIT_SHARED that KVM_CAP_GUEST_MEMFD_FLAGS
 * allows on that VM.  Where this host differs from the spec the expectation
 * follows the host and docs/host-vs-spec.md says so.
 */
#include <errno.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

#include "backend/kvm/kvm_sys.h"
#include "backend/kvm/kvm_util.h"
#include "kvm_harness.h"

#define SIZE	(4 * PAGE)	/* file size of the per-fd tests */

/* handle indices */
enum { VM, GMEM, MAP, VCPU, GMEM2, DEVKVM };

struct gm_cfg {
	unsigned long type;
	uint64_t flags;
	char name[48];
};

static struct gm_cfg cfgs[64];
static int ncfgs;

/* Probe once: VM types x supported flag sets (the upstream test's matrix). */
static void probe_cfgs(void)
{
	static const uint64_t sets[] = {
		0, GUEST_MEMFD_FLAG_MMAP,
		GUEST_MEMFD_FLAG_MMAP | GUEST_MEMFD_FLAG_INIT_SHARED,
	};
	int types = kvm_check_cap(KVM_CAP_VM_TYPES);
	unsigned long type;
	unsigned int i;

	if (types <= 0)
		types = 1 << KVM_X86_DEFAULT_VM;
	for (type = 0; type < 32; type++) {
		struct kvm_vm *vm;
		int supported;

		if (!(types & (1u << type)))
			continue;
		vm = vm_create_type(type);
		if (!vm)
			continue;
		supported = vm_check_cap(vm, KVM_CAP_GUEST_MEMFD_FLAGS);
		kvm_vm_free(vm);
		for (i = 0; i < sizeof(sets) / sizeof(sets[0]); i++) {
			if (sets[i] & ~(uint64_t)supported)
				continue;
			cfgs[ncfgs].type = type;
			cfgs[ncfgs].flags = sets[i];
			snprintf(cfgs[ncfgs].name, sizeof(cfgs[ncfgs].name),
				 "type %lu flags 0x%llx", type, (unsigned long long)sets[i]);
			ncfgs++;
		}
	}
}

static struct kh k;

/* Checked fixture: runs (and tears down) even when a row fails. */
static void fix_setup(void)
{
	kh_setup(&k);
}

static void fix_teardown(void)
{
	kh_teardown(&k);
}

/* A VM of the config's type and a SIZE-byte gmem fd with its flags. */
static void open_cfg(const struct gm_cfg *c)
{
	ck_ok(c->name, KH(&k, TOP_VM_CREATE, VM, A(c->type)));
	ck_ok(c->name, KH(&k, TOP_CREATE_GUEST_MEMFD, GMEM, H(VM), A(SIZE), A(c->flags), A(0)));
}

START_TEST(gm_01_03_no_read_write)
{
	/*
	 * GM-01..03: no read/write file ops.  The VFS answers EINVAL for
	 * read/write; pread/pwrite fail earlier with ESPIPE because the file
	 * is not positionable (host-vs-spec: the spec only says "fails").
	 */
	static const enum trace_op ops[] = { TOP_READ, TOP_WRITE, TOP_PREAD, TOP_PWRITE };
	const struct gm_cfg *c = &cfgs[_i];
	unsigned int i;

	open_cfg(c);
	for (i = 0; i < 4; i++) {
		if (ops[i] == TOP_READ || ops[i] == TOP_WRITE)
			ck_errno(i < 2 ? "GM-01/02" : "GM-03", KH(&k, ops[i], NOBIND, H(GMEM), A(PAGE)), EINVAL);
		else
			ck_errno("GM-03", KH(&k, ops[i], NOBIND, H(GMEM), A(PAGE), A(0)), ESPIPE);
	}
}
END_TEST

START_TEST(gm_04_fstat)
{
	const struct gm_cfg *c = &cfgs[_i];
	const struct trace_result *r;

	open_cfg(c);
	r = KH(&k, TOP_FSTAT, NOBIND, H(GMEM));
	ck_ok("GM-04", r);
	ck_assert_msg(r->ret == (int64_t)SIZE && r->st_blksize == PAGE,
		      "GM-04 %s: st_size %lld st_blksize %llu", c->name,
		      (long long)r->ret, (unsigned long long)r->st_blksize);
}
END_TEST

START_TEST(gm_05_flag_bits)
{
	/* GM-05: each single flag bit is accepted iff the VM reports it. */
	const struct gm_cfg *c = &cfgs[_i];
	const struct trace_result *r;
	uint64_t supported;
	int bit;

	open_cfg(c);
	r = KH(&k, TOP_CHECK_EXTENSION, NOBIND, H(VM), A(KVM_CAP_GUEST_MEMFD_FLAGS));
	ck_ok("GM-05", r);
	supported = r->ret;
	for (bit = 0; bit < 64; bit++) {
		uint64_t f = 1ULL << bit;

		r = KH(&k, TOP_CREATE_GUEST_MEMFD, NOBIND, H(VM), A(SIZE), A(f), A(0));
		if (f & supported)
			ck_ok("GM-05", r);
		else
			ck_errno("GM-05", r, EINVAL);
	}
}
END_TEST

START_TEST(gm_06_07_bad_sizes)
{
	static const uint64_t neg[] = { 0, 1ULL << 63, ~0ULL, ~0ULL - PAGE + 1 };
	const struct gm_cfg *c = &cfgs[_i];
	uint64_t size;
	unsigned int i;

	open_cfg(c);
	for (size = 1; size < PAGE; size++)	/* GM-06 */
		ck_errno("GM-06", KH(&k, TOP_CREATE_GUEST_MEMFD, NOBIND, H(VM), A(size),
				     A(c->flags), A(0)), EINVAL);
	for (i = 0; i < sizeof(neg) / sizeof(neg[0]); i++)	/* GM-07 */
		ck_errno("GM-07", KH(&k, TOP_CREATE_GUEST_MEMFD, NOBIND, H(VM), A(neg[i]),
				     A(c->flags), A(0)), EINVAL);
}
END_TEST

START_TEST(gm_08_two_files)
{
	const struct gm_cfg *c = &cfgs[_i];
	struct trace_result a, b;

	open_cfg(c);
	ck_ok("GM-08", KH(&k, TOP_CREATE_GUEST_MEMFD, GMEM2, H(VM), A(2 * PAGE), A(c->flags), A(0)));
	a = *KH(&k, TOP_FSTAT, NOBIND, H(GMEM));
	b = *KH(&k, TOP_FSTAT, NOBIND, H(GMEM2));
	ck_ok("GM-08", &a);
	ck_ok("GM-08", &b);
	ck_assert_msg(a.st_ino != b.st_ino, "GM-08: both files have inode %llu",
		      (unsigned long long)a.st_ino);
	ck_assert_int_eq(a.ret, SIZE);
	ck_assert_int_eq(b.ret, 2 * PAGE);
	ck_ok("GM-08", KH(&k, TOP_FALLOCATE, NOBIND, H(GMEM), A(KEEP), A(0), A(SIZE)));
	ck_ok("GM-08", KH(&k, TOP_FALLOCATE, NOBIND, H(GMEM2), A(KEEP), A(0), A(2 * PAGE)));
}
END_TEST

/* GM-09..GM-19: fallocate outcomes, in the order the upstream test runs them. */
static const struct falloc_row {
	const char *row;
	int mode;
	uint64_t off, len;
	int err;		/* 0 = ok */
} falloc_rows[] = {
	{ "GM-09", KEEP, 0, SIZE, 0 },
	{ "GM-10", KEEP, PAGE - 1, PAGE, EINVAL },
	{ "GM-11", KEEP, SIZE, PAGE, EINVAL },
	{ "GM-12", KEEP, SIZE + PAGE, PAGE, EINVAL },
	{ "GM-13", KEEP | PUNCH, SIZE, PAGE, 0 },
	{ "GM-14", KEEP | PUNCH, SIZE + PAGE, PAGE, 0 },
	{ "GM-15", KEEP | PUNCH, PAGE, PAGE - 1, EINVAL },
	{ "GM-16", KEEP | PUNCH, PAGE, PAGE, 0 },
	{ "GM-17", KEEP, PAGE, PAGE, 0 },
	{ "GM-18", KEEP | PUNCH, 0, 1, EINVAL },
	{ "GM-18", KEEP | PUNCH, 0, PAGE - 1, EINVAL },
	{ "GM-18", KEEP | PUNCH, 0, PAGE + 1, EINVAL },
	{ "GM-18", KEEP | PUNCH, 1, 1, EINVAL },
	{ "GM-18", KEEP | PUNCH, 1, PAGE - 1, EINVAL },
	{ "GM-18", KEEP | PUNCH, 1, PAGE, EINVAL },
	{ "GM-18", KEEP | PUNCH, 1, PAGE + 1, EINVAL },
	{ "GM-18", KEEP | PUNCH, PAGE, 1, EINVAL },
	{ "GM-18", KEEP | PUNCH, PAGE, PAGE - 1, EINVAL },
	{ "GM-18", KEEP | PUNCH, PAGE, PAGE + 1, EINVAL },
	{ "GM-19", 0, 0, PAGE, EOPNOTSUPP },
	{ "GM-19", PUNCH, 0, PAGE, EOPNOTSUPP },
	{ "GM-19", KEEP | 0x08 /* COLLAPSE_RANGE */, 0, PAGE, EOPNOTSUPP },
};

START_TEST(gm_09_19_fallocate)
{
	const struct gm_cfg *c = &cfgs[_i];
	unsigned int i;

	open_cfg(c);
	for (i = 0; i < sizeof(falloc_rows) / sizeof(falloc_rows[0]); i++) {
		const struct falloc_row *f = &falloc_rows[i];
		const struct trace_result *r;

		r = KH(&k, TOP_FALLOCATE, NOBIND, H(GMEM), A(f->mode), A(f->off), A(f->len));
		if (f->err)
			ck_errno(f->row, r, f->err);
		else
			ck_ok(f->row, r);
	}
}
END_TEST

START_TEST(gm_20_26_mmap)
{
	const struct gm_cfg *c = &cfgs[_i];
	bool mmap_ok = c->flags & GUEST_MEMFD_FLAG_MMAP;
	bool shared = c->flags & GUEST_MEMFD_FLAG_INIT_SHARED;
	const struct trace_result *r;

	open_cfg(c);
	r = KH(&k, TOP_MMAP, NOBIND, H(GMEM), A(SIZE), A(PROT_READ | PROT_WRITE),
	       A(MAP_PRIVATE), A(0));
	if (mmap_ok)
		ck_errno("GM-21", r, EINVAL);	/* no copy-on-write mappings */
	else
		ck_errno("GM-20", r, ENODEV);	/* host: ENODEV before the VMA check */
	r = KH(&k, TOP_MMAP, MAP, H(GMEM), A(2 * SIZE), A(PROT_READ | PROT_WRITE),
	       A(MAP_SHARED), A(0));
	if (!mmap_ok) {
		ck_errno("GM-20", r, ENODEV);
		goto out;
	}
	ck_ok("GM-22", r);
	if (!shared) {
		/* GM-26: private memory: every host access SIGBUSes */
		ck_sigbus("GM-26", KH(&k, TOP_HOST_READ, NOBIND, H(MAP), A(0), A(1)));
		ck_sigbus("GM-26", KH(&k, TOP_HOST_WRITE, NOBIND, H(MAP), A(0), A(0xaa), A(1)));
		ck_sigbus("GM-26", KH(&k, TOP_HOST_READ, NOBIND, H(MAP), A(SIZE - 1), A(1)));
		goto out;
	}
	/* Never-written pages read as zero. */
	ck_value("GM-22", KH(&k, TOP_HOST_READ, NOBIND, H(MAP), A(0), A(SIZE)), 0);
	ck_ok("GM-22", KH(&k, TOP_HOST_WRITE, NOBIND, H(MAP), A(0), A(0xaa), A(SIZE)));
	ck_value("GM-22", KH(&k, TOP_HOST_READ, NOBIND, H(MAP), A(0), A(SIZE)), 0xaa);
	ck_ok("GM-23", KH(&k, TOP_FALLOCATE, NOBIND, H(GMEM), A(KEEP | PUNCH), A(0), A(PAGE)));
	ck_value("GM-23", KH(&k, TOP_HOST_READ, NOBIND, H(MAP), A(0), A(PAGE)), 0);
	ck_value("GM-23", KH(&k, TOP_HOST_READ, NOBIND, H(MAP), A(PAGE), A(SIZE - PAGE)), 0xaa);
	ck_value("GM-23", KH(&k, TOP_HOST_READ, NOBIND, H(MAP), A(0), A(SIZE)), TRACE_VALUE_MIXED);
	/* GM-24/25: a mapping larger than the file works up to EOF only. */
	ck_value("GM-24", KH(&k, TOP_HOST_READ, NOBIND, H(MAP), A(SIZE - 1), A(1)), 0xaa);
	ck_sigbus("GM-25", KH(&k, TOP_HOST_READ, NOBIND, H(MAP), A(SIZE), A(1)));
	ck_sigbus("GM-25", KH(&k, TOP_HOST_WRITE, NOBIND, H(MAP), A(2 * SIZE - 1), A(1), A(1)));
	ck_sigbus("GM-25", KH(&k, TOP_HOST_READ, NOBIND, H(MAP), A(SIZE - 1), A(2)));
out:
	return;
}
END_TEST

START_TEST(gm_27_29_madvise)
{
	const struct gm_cfg *c = &cfgs[_i];

	if (c->flags != (GUEST_MEMFD_FLAG_MMAP | GUEST_MEMFD_FLAG_INIT_SHARED))
		return;
	open_cfg(c);
	ck_ok("GM-27", KH(&k, TOP_MMAP, MAP, H(GMEM), A(SIZE), A(PROT_READ | PROT_WRITE),
			  A(MAP_SHARED), A(0)));
	ck_ok("GM-27", KH(&k, TOP_MADVISE, NOBIND, H(MAP), A(0), A(SIZE), A(MADV_HUGEPAGE)));
	ck_errno("GM-28", KH(&k, TOP_MADVISE, NOBIND, H(MAP), A(0), A(SIZE), A(25 /* MADV_COLLAPSE */)),
		 EINVAL);
	ck_ok("GM-29", KH(&k, TOP_HOST_WRITE, NOBIND, H(MAP), A(0), A(0x5c), A(SIZE)));
	ck_ok("GM-29", KH(&k, TOP_MADVISE, NOBIND, H(MAP), A(0), A(SIZE), A(MADV_DONTNEED)));
	ck_value("GM-29", KH(&k, TOP_HOST_READ, NOBIND, H(MAP), A(0), A(SIZE)), 0x5c);
}
END_TEST

START_TEST(spec_11_reserved_ignored)
{
	const struct gm_cfg *c = &cfgs[_i];

	open_cfg(c);
	ck_ok("SPEC-11", KH(&k, TOP_CREATE_GUEST_MEMFD, NOBIND, H(VM), A(SIZE), A(c->flags),
			    A(0xdeadbeefULL)));
}
END_TEST

/*
 * GM-34/35: guest and host share gmem memory.  DEFAULT VM, MMAP|INIT_SHARED,
 * memslot with KVM_MEM_GUEST_MEMFD; the host maps the fd.
 *
 * Spec (6.18+, TDP MMU): the slot is GMEM_ONLY, guest faults are served from
 * the gmem file, userspace_addr may be NULL.  Host here (kvm_pvm): guest
 * faults of a gmem slot still go through userspace_addr, so with NULL the
 * guest gets an MMIO exit; with userspace_addr = the host's mapping of the
 * gmem fd both sides share the file's pages.  The PVM expectations apply when
 * the kvm_pvm module is loaded; docs/host-vs-spec.md records the difference.
 */
#define GUEST_GPA	0x100000ULL

static bool host_is_pvm(void)
{
	return access("/sys/module/kvm_pvm", F_OK) == 0;
}

/* Host writes 0xaa, guest reads it; guest writes 0xff, host reads it. */
static void share_rows(void)
{
	const struct trace_result *r;

	ck_ok("GM-34", KH(&k, TOP_HOST_WRITE, NOBIND, H(MAP), A(0), A(0xaa), A(SIZE)));
	ck_value("GM-34", KH(&k, TOP_GUEST_READ, NOBIND, H(VCPU), A(GUEST_GPA), A(SIZE), A(0)), 0xaa);
	ck_ok("GM-35", KH(&k, TOP_GUEST_WRITE, NOBIND, H(VCPU), A(GUEST_GPA), A(0xff), A(SIZE), A(0)));
	ck_value("GM-35", KH(&k, TOP_HOST_READ, NOBIND, H(MAP), A(0), A(SIZE)), 0xff);
	/* A partial guest write shows up exactly where it was made. */
	ck_ok("GM-35", KH(&k, TOP_GUEST_WRITE, NOBIND, H(VCPU), A(GUEST_GPA + PAGE + 3), A(0x11),
			  A(5), A(0)));
	ck_value("GM-35", KH(&k, TOP_HOST_READ, NOBIND, H(MAP), A(PAGE + 3), A(5)), 0x11);
	ck_value("GM-35", KH(&k, TOP_HOST_READ, NOBIND, H(MAP), A(PAGE + 8), A(1)), 0xff);
	ck_value("GM-35", KH(&k, TOP_GUEST_READ, NOBIND, H(VCPU), A(GUEST_GPA + PAGE), A(PAGE), A(0)),
		 TRACE_VALUE_MIXED);
	/* The guest can fetch from it. */
	ck_ok("GM-34", KH(&k, TOP_GUEST_EXEC, NOBIND, H(VCPU), A(GUEST_GPA), A(0)));
	/* Punch: the guest sees a fresh zeroed page, the rest is intact. */
	ck_ok("GM-23", KH(&k, TOP_FALLOCATE, NOBIND, H(GMEM), A(KEEP | PUNCH), A(0), A(PAGE)));
	ck_value("GM-23", KH(&k, TOP_GUEST_READ, NOBIND, H(VCPU), A(GUEST_GPA), A(PAGE), A(0)), 0);
	ck_value("GM-23", KH(&k, TOP_GUEST_READ, NOBIND, H(VCPU), A(GUEST_GPA + 2 * PAGE),
			     A(2 * PAGE), A(0)), 0xff);
	/* Beyond the slot there is no memslot: MMIO exit at the first missing byte. */
	r = KH(&k, TOP_GUEST_READ, NOBIND, H(VCPU), A(GUEST_GPA + SIZE - 1), A(2), A(0));
	ck_assert_msg(r->kind == TRES_EXIT && r->exit_reason == KVM_EXIT_MMIO &&
		      kvm_backend_last_mmio_gpa(k.b) == GUEST_GPA + SIZE, "MMIO exit expected, got %s", kh_fmt(r));
	/* The vCPU stays usable after the MMIO exit. */
	ck_value("GM-35", KH(&k, TOP_GUEST_READ, NOBIND, H(VCPU), A(GUEST_GPA + 2 * PAGE), A(1), A(0)),
		 0xff);
}

START_TEST(gm_34_35_guest)
{
	const uint64_t flags = GUEST_MEMFD_FLAG_MMAP | GUEST_MEMFD_FLAG_INIT_SHARED;
	const struct trace_result *r;

	if ((kvm_check_cap(KVM_CAP_GUEST_MEMFD_FLAGS) & flags) != flags)
		return;
	ck_ok("GM-34", KH(&k, TOP_VM_CREATE, VM, A(KVM_X86_DEFAULT_VM)));
	ck_ok("GM-34", KH(&k, TOP_VCPU_CREATE, VCPU, H(VM), A(0)));
	ck_ok("GM-34", KH(&k, TOP_CREATE_GUEST_MEMFD, GMEM, H(VM), A(SIZE), A(flags), A(0)));
	ck_ok("GM-34", KH(&k, TOP_MMAP, MAP, H(GMEM), A(SIZE), A(PROT_READ | PROT_WRITE),
			  A(MAP_SHARED), A(0)));
	ck_ok("GM-34", KH(&k, TOP_SET_USER_MEMORY_REGION2, NOBIND, H(VM), A(1),
			  A(KVM_MEM_GUEST_MEMFD), A(GUEST_GPA), A(SIZE), A(0), H(GMEM), A(0)));
	if (!host_is_pvm()) {
		share_rows();
		return;
	}
	/* PVM: no GMEM_ONLY faults; a NULL userspace_addr is not guest memory. */
	r = KH(&k, TOP_GUEST_READ, NOBIND, H(VCPU), A(GUEST_GPA), A(1), A(0));
	ck_assert_msg(r->kind == TRES_EXIT && r->exit_reason == KVM_EXIT_MMIO &&
		      kvm_backend_last_mmio_gpa(k.b) == GUEST_GPA, "GM-34 (PVM): MMIO exit expected, got %s", kh_fmt(r));
	/* Re-create the slot with userspace_addr = the gmem mapping. */
	ck_ok("GM-34", KH(&k, TOP_SET_USER_MEMORY_REGION2, NOBIND, H(VM), A(1),
			  A(KVM_MEM_GUEST_MEMFD), A(GUEST_GPA), A(0), A(0), H(GMEM), A(0)));
	ck_ok("GM-34", KH(&k, TOP_SET_USER_MEMORY_REGION2, NOBIND, H(VM), A(1),
			  A(KVM_MEM_GUEST_MEMFD), A(GUEST_GPA), A(SIZE), H(MAP), H(GMEM), A(0)));
	share_rows();
}
END_TEST

/*
 * PVM only: a gmem slot whose userspace_addr is the host mapping of a
 * private (MMAP without INIT_SHARED) gmem: the host fault handler refuses
 * the page (SIGBUS for the host, GM-26), so KVM cannot resolve the guest
 * fault either; PVM reports that as an MMIO exit (host-vs-spec.md).
 */
START_TEST(gm_26_guest_via_private_mapping)
{
	const struct trace_result *r;

	if (!host_is_pvm() || !(kvm_check_cap(KVM_CAP_GUEST_MEMFD_FLAGS) & GUEST_MEMFD_FLAG_MMAP))
		return;
	ck_ok("GM-26", KH(&k, TOP_VM_CREATE, VM, A(KVM_X86_DEFAULT_VM)));
	ck_ok("GM-26", KH(&k, TOP_VCPU_CREATE, VCPU, H(VM), A(0)));
	ck_ok("GM-26", KH(&k, TOP_CREATE_GUEST_MEMFD, GMEM, H(VM), A(SIZE),
			  A(GUEST_MEMFD_FLAG_MMAP), A(0)));
	ck_ok("GM-26", KH(&k, TOP_MMAP, MAP, H(GMEM), A(SIZE), A(PROT_READ | PROT_WRITE),
			  A(MAP_SHARED), A(0)));
	ck_ok("GM-26", KH(&k, TOP_SET_USER_MEMORY_REGION2, NOBIND, H(VM), A(1),
			  A(KVM_MEM_GUEST_MEMFD), A(GUEST_GPA), A(SIZE), H(MAP), H(GMEM), A(0)));
	r = KH(&k, TOP_GUEST_READ, NOBIND, H(VCPU), A(GUEST_GPA), A(1), A(0));
	/* Host-vs-spec: PVM turns the failed hva fault into an MMIO exit, not EFAULT. */
	ck_assert_msg(r->kind == TRES_EXIT && r->exit_reason == KVM_EXIT_MMIO && r->err == 0 &&
		      kvm_backend_last_mmio_gpa(k.b) == GUEST_GPA,
		      "GM-26 (PVM): expected MMIO exit at the GPA, got %s", kh_fmt(r));
	/* The host side still SIGBUSes, as GM-26 says. */
	ck_sigbus("GM-26", KH(&k, TOP_HOST_READ, NOBIND, H(MAP), A(0), A(1)));
}
END_TEST

static Suite *gm_suite(void)
{
	Suite *s = suite_create("kvm-gmem");
	TCase *tc = tcase_create("rows");

	tcase_set_timeout(tc, 60);
	tcase_add_checked_fixture(tc, fix_setup, fix_teardown);
	tcase_add_loop_test(tc, gm_01_03_no_read_write, 0, ncfgs);
	tcase_add_loop_test(tc, gm_04_fstat, 0, ncfgs);
	tcase_add_loop_test(tc, gm_05_flag_bits, 0, ncfgs);
	tcase_add_loop_test(tc, gm_06_07_bad_sizes, 0, ncfgs);
	tcase_add_loop_test(tc, gm_08_two_files, 0, ncfgs);
	tcase_add_loop_test(tc, gm_09_19_fallocate, 0, ncfgs);
	tcase_add_loop_test(tc, gm_20_26_mmap, 0, ncfgs);
	tcase_add_loop_test(tc, gm_27_29_madvise, 0, ncfgs);
	tcase_add_loop_test(tc, spec_11_reserved_ignored, 0, ncfgs);
	tcase_add_test(tc, gm_34_35_guest);
	tcase_add_test(tc, gm_26_guest_via_private_mapping);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	kh_require_kvm("test_kvm_gmem");
	if (kvm_check_cap(KVM_CAP_GUEST_MEMFD) <= 0) {
		printf("test_kvm_gmem: KVM_CAP_GUEST_MEMFD is 0, skipping\n");
		return KSFT_SKIP;
	}
	probe_cfgs();
	printf("test_kvm_gmem: %d VM-type/flags configurations\n", ncfgs);
	return kh_run_suite(gm_suite());
}
