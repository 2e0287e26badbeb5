// SPDX-License-Identifier: GPL-2.0
/*
 * The kvm backend's own contract (kvm_backend.h, kvm_guest.h, kvm_caps.h):
 * host capability values, skips, the guest stub's limits, exits reported
 * as trace results, SIGBUS, the caps command and the profile mapping.
 * Probed expectations for this kind of host (6.18, kvm_pvm) are stated
 * where they are asserted.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "backend/kvm/kvm_sys.h"
#include "backend/kvm/kvm_util.h"
#include "backend/kvm/kvm_caps.h"
#include "backend/kvm/kvm_guest.h"
#include "kvm_harness.h"

enum { VM, VCPU, GMEM, MAP, ANON, VCPU2 };

static struct kh k;

static void fix_setup(void)
{
	kh_setup(&k);
	ck_ok("setup", KH(&k, TOP_VM_CREATE, VM, A(KVM_X86_DEFAULT_VM)));
	ck_ok("setup", KH(&k, TOP_VCPU_CREATE, VCPU, H(VM), A(0)));
}

static void fix_teardown(void)
{
	kh_teardown(&k);
}

/* Profile mapping (kvm_caps.h), a table. */
static const struct {
	const char *release, *profile;
} profiles[] = {
	{ "6.18.44-fc-v769", "6.18" }, { "6.8.0", "6.18" }, { "7.0.3", "6.18" },
	{ "7.1.0-rc2", "7.1" }, { "7.1.9", "7.1" }, { "7.2.0", "7.2" },
	{ "7.10.1", "7.2" }, { "8.0", "7.2" }, { "garbage", "6.18" },
};

START_TEST(profile_mapping)
{
	unsigned int i;

	for (i = 0; i < sizeof(profiles) / sizeof(profiles[0]); i++)
		ck_assert_str_eq(kvm_profile_for_release(profiles[i].release), profiles[i].profile);
}
END_TEST

/*
 * Capabilities through check_extension, system fd (vm = 0) and VM fd: the
 * values the brief lists for this host kind.  A host of another kind skips
 * this row (it is a fact about the CI host, not about the backend).
 */
static const struct {
	unsigned int cap;
	int64_t value;
} host_caps[] = {
	{ KVM_CAP_GUEST_MEMFD, 1 },
	{ KVM_CAP_GUEST_MEMFD_FLAGS, GUEST_MEMFD_FLAG_MMAP | GUEST_MEMFD_FLAG_INIT_SHARED },
	{ KVM_CAP_USER_MEMORY2, 1 },
	{ KVM_CAP_VM_TYPES, 1 << KVM_X86_DEFAULT_VM },
	{ KVM_CAP_MEMORY_ATTRIBUTES, 0 },
	{ KVM_CAP_PRE_FAULT_MEMORY, 0 },
	{ KVM_CAP_GUEST_MEMFD_MMAP, 0 },
};

START_TEST(caps_of_this_host)
{
	unsigned int i;

	if (access("/sys/module/kvm_pvm", F_OK))
		return;
	for (i = 0; i < sizeof(host_caps) / sizeof(host_caps[0]); i++) {
		const struct trace_result *r;

		r = KH(&k, TOP_CHECK_EXTENSION, NOBIND, A(0), A(host_caps[i].cap));
		ck_assert_msg(r->kind == TRES_OK && r->ret == host_caps[i].value,
			      "cap %u (system): %s", host_caps[i].cap, kh_fmt(r));
		r = KH(&k, TOP_CHECK_EXTENSION, NOBIND, H(VM), A(host_caps[i].cap));
		ck_assert_msg(r->kind == TRES_OK && r->ret == host_caps[i].value,
			      "cap %u (VM): %s", host_caps[i].cap, kh_fmt(r));
	}
}
END_TEST

START_TEST(vm_types)
{
	int types = kvm_check_cap(KVM_CAP_VM_TYPES);
	int t;

	/* Every type outside KVM_CAP_VM_TYPES fails to create with EINVAL. */
	for (t = 0; t < 8; t++) {
		const struct trace_result *r = KH(&k, TOP_VM_CREATE, NOBIND, A(t));

		if (types & (1 << t))
			ck_ok("VM_TYPES", r);
		else
			ck_errno("VM_TYPES", r, EINVAL);
	}
}
END_TEST

START_TEST(model_only_ops_skip)
{
	static const enum trace_op ops[] = {
		TOP_FAIL_ALLOC, TOP_SIGNAL, TOP_POINT, TOP_MEMORY_FAILURE, TOP_POPULATE,
		TOP_LAUNCH_FINISH, TOP_HOST_PIN, TOP_HOST_UNPIN,
	};
	unsigned int i;

	for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		ck_skipped("model-only", KH(&k, ops[i], NOBIND, A(0), A(0)));
		ck_assert_str_eq(kvm_backend_skip_reason(k.b), "model-only control");
	}
	/* A following real call clears the reason. */
	ck_ok("skip", KH(&k, TOP_CHECK_EXTENSION, NOBIND, A(0), A(KVM_CAP_USER_MEMORY)));
	ck_assert_ptr_null(kvm_backend_skip_reason(k.b));
}
END_TEST

START_TEST(guest_limits_and_exits)
{
	const struct trace_result *r;
	uint32_t last_slot;

	/* No memslot: the read is an MMIO exit at that GPA, KVM_RUN itself returned 0. */
	r = KH(&k, TOP_GUEST_READ, NOBIND, H(VCPU), A(0x5000), A(1), A(0));
	ck_assert_msg(r->kind == TRES_EXIT && r->exit_reason == KVM_EXIT_MMIO &&
		      kvm_backend_last_mmio_gpa(k.b) == 0x5000 && r->err == 0 &&
		      r->mf_gpa == 0 && r->mf_size == 0, "got %s", kh_fmt(r));
	r = KH(&k, TOP_GUEST_WRITE, NOBIND, H(VCPU), A(0x6000), A(1), A(4), A(0));
	ck_assert_msg(r->kind == TRES_EXIT && r->exit_reason == KVM_EXIT_MMIO &&
		      kvm_backend_last_mmio_gpa(k.b) == 0x6000, "got %s", kh_fmt(r));
	/* Fetching from no memory: KVM cannot emulate it (internal error). */
	r = KH(&k, TOP_GUEST_EXEC, NOBIND, H(VCPU), A(0x7000), A(0));
	ck_assert_msg(r->kind == TRES_EXIT && r->exit_reason == KVM_EXIT_INTERNAL_ERROR,
		      "got %s", kh_fmt(r));
	/* Real mode reaches only GPAs below the stub. */
	ck_skipped("range", KH(&k, TOP_GUEST_READ, NOBIND, H(VCPU), A(KVM_GUEST_STUB_GPA), A(1), A(0)));
	ck_skipped("range", KH(&k, TOP_GUEST_READ, NOBIND, H(VCPU), A(1ULL << 32), A(1), A(0)));
	ck_skipped("range", KH(&k, TOP_GUEST_WRITE, NOBIND, H(VCPU), A(KVM_GUEST_STUB_GPA - 1), A(0),
			       A(2), A(0)));
	/* Once the stub is in, its slot and range are refused, the rest is not. */
	last_slot = kvm_check_cap(KVM_CAP_NR_MEMSLOTS) - 1;
	ck_skipped("stub", KH(&k, TOP_SET_USER_MEMORY_REGION, NOBIND, H(VM), A(last_slot), A(0),
			      A(0), A(PAGE), A(PAGE)));
	ck_skipped("stub", KH(&k, TOP_SET_USER_MEMORY_REGION, NOBIND, H(VM), A(0), A(0),
			      A(KVM_GUEST_STUB_GPA - PAGE), A(2 * PAGE), A(PAGE)));
	ck_ok("stub", KH(&k, TOP_SET_USER_MEMORY_REGION, NOBIND, H(VM), A(0), A(0),
			 A(KVM_GUEST_STUB_GPA - PAGE), A(PAGE), A(PAGE)));
	/* v1 slot on arena memory: guest round trip across a chunk boundary. */
	ck_ok("arena", KH(&k, TOP_SET_USER_MEMORY_REGION, NOBIND, H(VM), A(1), A(0),
			  A(0x200000), A(0x20000), A(0x400000)));
	ck_ok("arena", KH(&k, TOP_GUEST_WRITE, NOBIND, H(VCPU), A(0x200000), A(0x3c), A(0x20000), A(0)));
	ck_value("arena", KH(&k, TOP_GUEST_READ, NOBIND, H(VCPU), A(0x200000), A(0x20000), A(0)), 0x3c);
	ck_ok("arena", KH(&k, TOP_GUEST_WRITE, NOBIND, H(VCPU), A(0x218000), A(0x3d), A(1), A(0)));
	ck_value("arena", KH(&k, TOP_GUEST_READ, NOBIND, H(VCPU), A(0x200000), A(0x20000), A(0)),
		 TRACE_VALUE_MIXED);
	ck_value("arena", KH(&k, TOP_GUEST_READ, NOBIND, H(VCPU), A(0x218000), A(1), A(0)), 0x3d);
	ck_ok("arena", KH(&k, TOP_GUEST_EXEC, NOBIND, H(VCPU), A(0x200000), A(0)));
}
END_TEST

/*
 * The stub's read/write routines (dword body + byte tail, 32 KiB chunks):
 * fill, poke one byte, read back; mixed iff the poked byte is in range.
 */
static const uint64_t stub_lens[] = {
	1, 2, 3, 4, 5, 7, 8, 9, 4095, 4096, 4097, 0x8000, 0x8001, 0x10003,
};

START_TEST(stub_lengths_and_mixed)
{
	const uint64_t base = 0x400000;
	unsigned int i;

	ck_ok("stub", KH(&k, TOP_SET_USER_MEMORY_REGION, NOBIND, H(VM), A(3), A(0),
			 A(base), A(0x40000), A(0x1000000)));
	for (i = 0; i < sizeof(stub_lens) / sizeof(stub_lens[0]); i++) {
		uint64_t len = stub_lens[i], gpa = base + 1 + i;	/* unaligned starts */
		uint64_t pos[3] = { 0, len / 2, len - 1 };
		int j;

		for (j = 0; j < 3; j++) {
			ck_ok("fill", KH(&k, TOP_GUEST_WRITE, NOBIND, H(VCPU), A(gpa), A(0x3c), A(len), A(0)));
			ck_value("fill", KH(&k, TOP_GUEST_READ, NOBIND, H(VCPU), A(gpa), A(len), A(0)), 0x3c);
			/* Neighbours were not written (every row zeroes its range after). */
			ck_value("edge", KH(&k, TOP_GUEST_READ, NOBIND, H(VCPU), A(gpa + len), A(1), A(0)), 0);
			ck_value("edge", KH(&k, TOP_GUEST_READ, NOBIND, H(VCPU), A(gpa - 1), A(1), A(0)), 0);
			ck_ok("poke", KH(&k, TOP_GUEST_WRITE, NOBIND, H(VCPU), A(gpa + pos[j]), A(0xc3), A(1), A(0)));
			ck_value("poked", KH(&k, TOP_GUEST_READ, NOBIND, H(VCPU), A(gpa + pos[j]), A(1), A(0)), 0xc3);
			ck_value("mixed", KH(&k, TOP_GUEST_READ, NOBIND, H(VCPU), A(gpa), A(len), A(0)),
				 len == 1 ? 0xc3 : TRACE_VALUE_MIXED);
			/* Clean up for the next row: zero the range again. */
			ck_ok("zero", KH(&k, TOP_GUEST_WRITE, NOBIND, H(VCPU), A(gpa), A(0), A(len), A(0)));
		}
	}
}
END_TEST

START_TEST(stub_slot_taken_by_trace)
{
	uint32_t last_slot = kvm_check_cap(KVM_CAP_NR_MEMSLOTS) - 1;

	/* Before any vCPU access the last slot is the trace's ... */
	ck_ok("stub", KH(&k, TOP_SET_USER_MEMORY_REGION, NOBIND, H(VM), A(last_slot), A(0),
			 A(0), A(PAGE), A(PAGE)));
	/* ... and then the guest cannot run: a skip with a message, not a crash. */
	ck_skipped("stub", KH(&k, TOP_GUEST_READ, NOBIND, H(VCPU), A(0), A(1), A(0)));
	ck_assert_ptr_nonnull(strstr(kvm_backend_skip_reason(k.b), "occupies"));
}
END_TEST

START_TEST(stub_after_vm_close)
{
	/* The VM fd goes before any guest access: the stub cannot be added. */
	ck_ok("close", KH(&k, TOP_CLOSE, NOBIND, H(VM)));
	ck_skipped("stub", KH(&k, TOP_GUEST_READ, NOBIND, H(VCPU), A(0), A(1), A(0)));
	ck_assert_ptr_nonnull(strstr(kvm_backend_skip_reason(k.b), "closed"));
	ck_errno("closed", KH(&k, TOP_CHECK_EXTENSION, NOBIND, H(VM), A(KVM_CAP_GUEST_MEMFD)), EBADF);
	ck_errno("closed", KH(&k, TOP_CLOSE, NOBIND, H(VM)), EBADF);
}
END_TEST

START_TEST(host_access_and_handles)
{
	const struct trace_result *r;

	ck_ok("anon", KH(&k, TOP_ANON_MMAP, ANON, A(2 * PAGE)));
	ck_ok("anon", KH(&k, TOP_HOST_WRITE, NOBIND, H(ANON), A(PAGE), A(0x7), A(PAGE)));
	ck_value("anon", KH(&k, TOP_HOST_READ, NOBIND, H(ANON), A(PAGE), A(PAGE)), 7);
	ck_value("anon", KH(&k, TOP_HOST_READ, NOBIND, H(ANON), A(0), A(2 * PAGE)), TRACE_VALUE_MIXED);
	/* Outside the mapping: refused, never a SIGSEGV. */
	ck_errno("anon", KH(&k, TOP_HOST_READ, NOBIND, H(ANON), A(2 * PAGE), A(1)), EFAULT);
	ck_ok("munmap", KH(&k, TOP_MUNMAP, NOBIND, H(ANON)));
	ck_errno("munmap", KH(&k, TOP_HOST_READ, NOBIND, H(ANON), A(0), A(1)), EBADF);
	ck_errno("close twice", KH(&k, TOP_CLOSE, NOBIND, H(ANON)), EBADF);
	/* fstat / ftruncate on gmem: setattr is refused. */
	ck_ok("gmem", KH(&k, TOP_CREATE_GUEST_MEMFD, GMEM, H(VM), A(PAGE), A(0), A(0)));
	r = KH(&k, TOP_FSTAT, NOBIND, H(GMEM));
	ck_assert_msg(r->kind == TRES_OK && r->ret == PAGE && r->st_ino, "got %s", kh_fmt(r));
	ck_errno("GM-ftruncate", KH(&k, TOP_FTRUNCATE, NOBIND, H(GMEM), A(2 * PAGE)), EINVAL);
	/* A SIGBUS outside a guarded access would still kill: not tested here. */
	ck_ok("close", KH(&k, TOP_CLOSE, NOBIND, H(GMEM)));
	ck_errno("close", KH(&k, TOP_FSTAT, NOBIND, H(GMEM)), EBADF);
}
END_TEST

/* Trace threads on free pthreads: two vCPUs, each hammering its own page. */
struct thr_arg {
	int vcpu;
	uint64_t gpa;
	int bad;
};

static void *thr(void *p)
{
	struct thr_arg *a = p;
	struct trace_call c = { .bind = NOBIND };
	struct trace_result r;
	int i;

	for (i = 0; i < 50; i++) {
		c.op = TOP_GUEST_WRITE;
		c.nargs = 5;
		c.args[0] = H(a->vcpu);
		c.args[1] = A(a->gpa);
		c.args[2] = A(i & 0xff);
		c.args[3] = A(PAGE);
		c.args[4] = A(0);
		kvm_backend_ops.call(k.b, a->vcpu, &c, &r);
		a->bad += r.kind != TRES_OK;
		c.op = TOP_GUEST_READ;
		c.nargs = 4;
		c.args[2] = A(PAGE);
		c.args[3] = A(0);
		kvm_backend_ops.call(k.b, a->vcpu, &c, &r);
		a->bad += r.kind != TRES_OK || r.value != (i & 0xff);
	}
	return NULL;
}

START_TEST(threads_free_running)
{
	struct thr_arg a = { VCPU, 0x300000 }, b = { VCPU2, 0x301000 };
	pthread_t ta, tb;

	ck_ok("threads", KH(&k, TOP_VCPU_CREATE, VCPU2, H(VM), A(1)));
	ck_ok("threads", KH(&k, TOP_SET_USER_MEMORY_REGION, NOBIND, H(VM), A(2), A(0),
			    A(0x300000), A(2 * PAGE), A(0x800000)));
	/* Install the stub before the threads race to do it. */
	ck_value("threads", KH(&k, TOP_GUEST_READ, NOBIND, H(VCPU), A(0x300000), A(1), A(0)), 0);
	pthread_create(&ta, NULL, thr, &a);
	pthread_create(&tb, NULL, thr, &b);
	pthread_join(ta, NULL);
	pthread_join(tb, NULL);
	ck_assert_int_eq(a.bad, 0);
	ck_assert_int_eq(b.bad, 0);
}
END_TEST

START_TEST(caps_command)
{
	char *argv_json[] = { "caps", "--json", NULL };
	char *argv_bad[] = { "caps", "--nope", NULL };
	char *argv_tab[] = { "caps", NULL };
	char buf[8192];
	FILE *f;
	int saved, rc;
	size_t n;

	ck_assert_int_eq(gmemsim_cmd_caps(2, argv_bad), 2);
	fflush(stdout);
	saved = dup(1);
	f = tmpfile();
	ck_assert_ptr_nonnull(f);
	dup2(fileno(f), 1);
	rc = gmemsim_cmd_caps(2, argv_json);
	fflush(stdout);
	rc |= gmemsim_cmd_caps(1, argv_tab) << 8;
	fflush(stdout);
	dup2(saved, 1);
	close(saved);
	rewind(f);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = 0;
	fclose(f);
	ck_assert_int_eq(rc, 0);
	ck_assert_ptr_nonnull(strstr(buf, "\"system\": {"));
	ck_assert_ptr_nonnull(strstr(buf, "\"DEFAULT\": {"));
	ck_assert_ptr_nonnull(strstr(buf, "\"GUEST_MEMFD\": 1"));
	ck_assert_ptr_nonnull(strstr(buf, "\"profile\": \""));
	ck_assert_ptr_nonnull(strstr(buf, "KVM_CAP_GUEST_MEMFD_FLAGS"));
}
END_TEST

/* create() and the trace's "requires" line (kvm_backend.h), a table. */
START_TEST(requires_checked_at_create)
{
	int types = kvm_check_cap(KVM_CAP_VM_TYPES);
	int pf = kvm_check_cap(KVM_CAP_PRE_FAULT_MEMORY);
	const char *host = kvm_backend_host_profile();
	struct {
		const char *what;
		struct trace_requires rq;
		bool ok;
	} rows[] = {
		{ "nothing", { 0 }, true },
		{ "model only", { .backends = 1u << TRACE_BACKEND_MODEL }, false },
		{ "kvm", { .backends = 1u << TRACE_BACKEND_KVM }, true },
		{ "DEFAULT", { .has_vm_type = true, .vm_types = 1u << KVM_X86_DEFAULT_VM }, true },
		{ "SW_PROTECTED", { .has_vm_type = true, .vm_types = 1u << KVM_X86_SW_PROTECTED_VM },
		  (types & (1 << KVM_X86_SW_PROTECTED_VM)) != 0 },
		{ "GUEST_MEMFD>=1", { .caps = { { KVM_CAP_GUEST_MEMFD, 1 } }, .ncaps = 1 }, true },
		{ "PRE_FAULT>=1", { .caps = { { KVM_CAP_PRE_FAULT_MEMORY, 1 } }, .ncaps = 1 }, pf >= 1 },
		{ "host profile", { 0 }, true },
		{ "other profile", { .profile = "7.2" }, !strcmp(host, "7.2") },
	};
	unsigned int i;

	snprintf(rows[7].rq.profile, sizeof(rows[7].rq.profile), "%s", host);
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct trace t = { .req = rows[i].rq };
		struct gmem_backend *b;

		errno = 0;
		b = kvm_backend_ops.create(&t, NULL);
		ck_assert_msg(!!b == rows[i].ok, "requires %s: create %s", rows[i].what,
			      b ? "accepted" : "refused");
		if (b)
			kvm_backend_ops.destroy(b, NULL, 0);
		else
			ck_assert_int_eq(errno, EOPNOTSUPP);
	}
}
END_TEST

static Suite *backend_suite(void)
{
	Suite *s = suite_create("kvm-backend");
	TCase *tc = tcase_create("backend");

	tcase_set_timeout(tc, 60);
	tcase_add_checked_fixture(tc, fix_setup, fix_teardown);
	tcase_add_test(tc, profile_mapping);
	tcase_add_test(tc, caps_of_this_host);
	tcase_add_test(tc, vm_types);
	tcase_add_test(tc, model_only_ops_skip);
	tcase_add_test(tc, guest_limits_and_exits);
	tcase_add_test(tc, stub_lengths_and_mixed);
	tcase_add_test(tc, stub_slot_taken_by_trace);
	tcase_add_test(tc, stub_after_vm_close);
	tcase_add_test(tc, host_access_and_handles);
	tcase_add_test(tc, threads_free_running);
	tcase_add_test(tc, caps_command);
	tcase_add_test(tc, requires_checked_at_create);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	kh_require_kvm("test_kvm_backend");
	return kh_run_suite(backend_suite());
}
