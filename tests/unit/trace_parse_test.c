// SPDX-License-Identifier: GPL-2.0
/*
 * Parser tests (traces/README.md): table-driven.
 *  - valid lines -> IR fields (op, arguments with defaults, binding,
 *    expectation);
 *  - malformed inputs -> the exact "line:col: expected ..., got ..." of
 *    every error class the README lists (Errors table);
 *  - requires:, sections, handle scopes, CRLF, the op table's integrity.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "trace/ir.h"

#define K 1024ull
#define M (1024ull * K)
#define G (1024ull * M)

/* Handles every valid case and most error cases can use. */
#define PRE "setup:\n" \
	    "\tvm = vm_create(SW_PROTECTED)\n" \
	    "\tcpu = vcpu_create(vm, 0)\n" \
	    "\tgmem = create_guest_memfd(vm, 2M)\n"
#define PRE_MAP PRE "\tmap = mmap(gmem, 2M)\n"

/* ---- valid lines -> IR -------------------------------------------------- */

/* An expected argument: a handle name, or (name NULL) a number. */
struct want_arg {
	const char *h;
	uint64_t v;
};

#define NUMA(x)	{ NULL, x }
#define HA(n)	{ n, 0 }

struct valid_case {
	const char *line;
	enum trace_op op;
	const char *bind;
	int nargs;
	struct want_arg args[TRACE_MAX_ARGS];
	int nalts;
	struct trace_expect_alt alt0;
};

static const struct valid_case valid[] = {
	{ "v2 = vm_create(SW_PROTECTED)", TOP_VM_CREATE, "v2", 1, { NUMA(1) } },
	{ "vm_create()", TOP_VM_CREATE, NULL, 1, { NUMA(0) } },	/* default type */
	{ "vm_create(type=TDX)", TOP_VM_CREATE, NULL, 1, { NUMA(5) } },
	{ "vm_create(7)", TOP_VM_CREATE, NULL, 1, { NUMA(7) } },
	{ "c2 = vcpu_create(vm, 3)", TOP_VCPU_CREATE, "c2", 2, { HA("vm"), NUMA(3) } },
	{ "create_guest_memfd(vm, 2M, MMAP|INIT_SHARED)", TOP_CREATE_GUEST_MEMFD, NULL, 4,
	  { HA("vm"), NUMA(2 * M), NUMA(3), NUMA(0) } },
	{ "create_guest_memfd(vm, size=4K+1, reserved0=0x10)", TOP_CREATE_GUEST_MEMFD, NULL, 4,
	  { HA("vm"), NUMA(4 * K + 1), NUMA(0), NUMA(16) } },
	{ "set_user_memory_region2(vm, slot=0, flags=GUEST_MEMFD, gpa=0x80000000, size=2M, uaddr=0, guest_memfd=gmem, guest_memfd_offset=0) -> 0",
	  TOP_SET_USER_MEMORY_REGION2, NULL, 8,
	  { HA("vm"), NUMA(0), NUMA(4), NUMA(0x80000000), NUMA(2 * M), NUMA(0), HA("gmem"), NUMA(0) },
	  1, { .kind = TRES_OK, .has_ret = true, .ret = 0 } },
	{ "set_user_memory_region2(vm, 1, LOG_DIRTY_PAGES|READONLY, 1G, 3*2M, map, 0, 4K)",
	  TOP_SET_USER_MEMORY_REGION2, NULL, 8,
	  { HA("vm"), NUMA(1), NUMA(3), NUMA(G), NUMA(6 * M), HA("map"), NUMA(0), NUMA(4 * K) } },
	{ "set_user_memory_region(vm, 2, 0, 0, 1M)", TOP_SET_USER_MEMORY_REGION, NULL, 6,
	  { HA("vm"), NUMA(2), NUMA(0), NUMA(0), NUMA(M), NUMA(0) } },
	{ "set_memory_attributes(vm, 0x80000000, 2M, PRIVATE, 0) -> 0", TOP_SET_MEMORY_ATTRIBUTES,
	  NULL, 5, { HA("vm"), NUMA(0x80000000), NUMA(2 * M), NUMA(8), NUMA(0) },
	  1, { .kind = TRES_OK, .has_ret = true } },
	{ "pre_fault_memory(cpu, 0, 8K) -> 0 remaining=0x1000", TOP_PRE_FAULT_MEMORY, NULL, 4,
	  { HA("cpu"), NUMA(0), NUMA(8 * K), NUMA(0) },
	  1, { .kind = TRES_OK, .has_ret = true, .has_remaining = true, .remaining = 4 * K } },
	{ "pre_fault_memory(cpu, 0, 8K) -> EINTR remaining=4K", TOP_PRE_FAULT_MEMORY, NULL, 4,
	  { HA("cpu"), NUMA(0), NUMA(8 * K), NUMA(0) },
	  1, { .kind = TRES_ERRNO, .has_err = true, .err = 4, .has_remaining = true,
	       .remaining = 4 * K } },
	{ "check_extension(0, KVM_CAP_GUEST_MEMFD_FLAGS) -> 3", TOP_CHECK_EXTENSION, NULL, 2,
	  { NUMA(0), NUMA(244) }, 1, { .kind = TRES_OK, .has_ret = true, .ret = 3 } },
	{ "check_extension(vm, VM_TYPES)", TOP_CHECK_EXTENSION, NULL, 2, { HA("vm"), NUMA(235) } },
	{ "fallocate(gmem, KEEP_SIZE|PUNCH_HOLE, 0, 4K) -> EINVAL", TOP_FALLOCATE, NULL, 4,
	  { HA("gmem"), NUMA(3), NUMA(0), NUMA(4 * K) },
	  1, { .kind = TRES_ERRNO, .has_err = true, .err = 22 } },
	{ "m2 = mmap(gmem, 4K)", TOP_MMAP, "m2", 5,	/* prot RW, SHARED, offset 0 */
	  { HA("gmem"), NUMA(4 * K), NUMA(3), NUMA(1), NUMA(0) } },
	{ "mmap(gmem, 4K, PROT_READ, PRIVATE, 2M) -> EINVAL", TOP_MMAP, NULL, 5,
	  { HA("gmem"), NUMA(4 * K), NUMA(1), NUMA(2), NUMA(2 * M) },
	  1, { .kind = TRES_ERRNO, .has_err = true, .err = 22 } },
	{ "a2 = anon_mmap(16K)", TOP_ANON_MMAP, "a2", 1, { NUMA(16 * K) } },
	{ "madvise(map, 0, 2M, COLLAPSE)", TOP_MADVISE, NULL, 4,
	  { HA("map"), NUMA(0), NUMA(2 * M), NUMA(25) } },
	{ "host_read(map, 0x10, 1) -> SIGBUS", TOP_HOST_READ, NULL, 3,
	  { HA("map"), NUMA(16), NUMA(1) }, 1, { .kind = TRES_SIGBUS } },
	{ "host_read(map, 0) -> MIXED", TOP_HOST_READ, NULL, 3,	/* len defaults to 1 */
	  { HA("map"), NUMA(0), NUMA(1) },
	  1, { .kind = TRES_OK, .has_value = true, .value = TRACE_VALUE_MIXED } },
	{ "host_read(map, 0) -> 0xaa | 0 | SIGBUS", TOP_HOST_READ, NULL, 3,
	  { HA("map"), NUMA(0), NUMA(1) },
	  3, { .kind = TRES_OK, .has_value = true, .value = 0xaa } },
	{ "host_write(map, 4K, 0x5a, 4K) -> 0", TOP_HOST_WRITE, NULL, 4,
	  { HA("map"), NUMA(4 * K), NUMA(0x5a), NUMA(4 * K) },
	  1, { .kind = TRES_OK, .has_ret = true } },
	{ "guest_read(cpu, 0x1000, 4K, 1) -> exit(MEMORY_FAULT, gpa=0x1000, size=4K, flags=PRIVATE) EFAULT",
	  TOP_GUEST_READ, NULL, 4, { HA("cpu"), NUMA(0x1000), NUMA(4 * K), NUMA(1) },
	  1, { .kind = TRES_EXIT, .has_exit = true, .exit_reason = 39, .has_mf_gpa = true,
	       .mf_gpa = 0x1000, .has_mf_size = true, .mf_size = 4 * K,
	       .has_mf_flags = true, .mf_flags = 8, .has_err = true, .err = 14 } },
	{ "guest_write(cpu, 0x1000, 0xaa, 4K) -> 0", TOP_GUEST_WRITE, NULL, 5,
	  { HA("cpu"), NUMA(0x1000), NUMA(0xaa), NUMA(4 * K), NUMA(0) },
	  1, { .kind = TRES_OK, .has_ret = true } },
	{ "guest_exec(cpu, 0) -> exit(KVM_EXIT_INTERNAL_ERROR)", TOP_GUEST_EXEC, NULL, 3,
	  { HA("cpu"), NUMA(0), NUMA(0) },
	  1, { .kind = TRES_EXIT, .has_exit = true, .exit_reason = 17 } },
	{ "guest_exec(cpu, 0) -> exit()", TOP_GUEST_EXEC, NULL, 3,
	  { HA("cpu"), NUMA(0), NUMA(0) }, 1, { .kind = TRES_EXIT } },
	{ "close(gmem) -> ok", TOP_CLOSE, NULL, 1, { HA("gmem") }, 1, { .kind = TRES_OK } },
	{ "  close( gmem )   ->   0   # a comment, (with) -> symbols", TOP_CLOSE, NULL, 1,
	  { HA("gmem") }, 1, { .kind = TRES_OK, .has_ret = true } },
	{ "read(gmem, 4K) -> error", TOP_READ, NULL, 2, { HA("gmem"), NUMA(4 * K) },
	  1, { .kind = TRES_ERRNO } },
	{ "write(gmem, 1)", TOP_WRITE, NULL, 2, { HA("gmem"), NUMA(1) } },
	{ "pread(gmem, 4K, 8K) -> ESPIPE", TOP_PREAD, NULL, 3,
	  { HA("gmem"), NUMA(4 * K), NUMA(8 * K) },
	  1, { .kind = TRES_ERRNO, .has_err = true, .err = 29 } },
	{ "pwrite(fd=gmem, offset=1, len=2)", TOP_PWRITE, NULL, 3,
	  { HA("gmem"), NUMA(2), NUMA(1) } },
	{ "fstat(gmem) -> 2M", TOP_FSTAT, NULL, 1, { HA("gmem") },
	  1, { .kind = TRES_OK, .has_ret = true, .ret = 2 * M } },
	{ "ftruncate(gmem, 0)", TOP_FTRUNCATE, NULL, 2, { HA("gmem"), NUMA(0) } },
	{ "f = memfd_create(1M)", TOP_MEMFD_CREATE, "f", 1, { NUMA(M) } },
	{ "k = open_dev_kvm()", TOP_OPEN_DEV_KVM, "k", 0, { } },
	{ "fail_alloc(2)", TOP_FAIL_ALLOC, NULL, 1, { NUMA(2) } },
	{ "signal(0)", TOP_SIGNAL, NULL, 1, { NUMA(0) } },
	{ "point(7)", TOP_POINT, NULL, 1, { NUMA(7) } },
	{ "memory_failure(gmem, 4K)", TOP_MEMORY_FAILURE, NULL, 2, { HA("gmem"), NUMA(4 * K) } },
	{ "populate(vm, 0x1000, map, 2) -> skipped", TOP_POPULATE, NULL, 4,
	  { HA("vm"), NUMA(0x1000), HA("map"), NUMA(2) }, 1, { .kind = TRES_SKIPPED } },
	{ "populate(vm, 0x1000, map, 4) -> 0 remaining=0", TOP_POPULATE, NULL, 4,
	  { HA("vm"), NUMA(0x1000), HA("map"), NUMA(4) },
	  1, { .kind = TRES_OK, .has_ret = true, .has_remaining = true } },
	{ "populate(vm, 0x1000)", TOP_POPULATE, NULL, 4,	/* src 0, npages 1 */
	  { HA("vm"), NUMA(0x1000), NUMA(0), NUMA(1) } },
	{ "launch_finish(vm)", TOP_LAUNCH_FINISH, NULL, 1, { HA("vm") } },
	{ "p = host_pin(map, 4K)", TOP_HOST_PIN, "p", 2, { HA("map"), NUMA(4 * K) } },
	{ "munmap(map) -> 0 | EINVAL", TOP_MUNMAP, NULL, 1, { HA("map") },
	  2, { .kind = TRES_OK, .has_ret = true } },
	{ "set_memory_attributes(vm, 0xffffffffffffffff, 0x8000000000000000*1, 0, 1+2*3)",
	  TOP_SET_MEMORY_ATTRIBUTES, NULL, 5,	/* '*' binds tighter than '+' */
	  { HA("vm"), NUMA(~0ull), NUMA(1ull << 63), NUMA(0), NUMA(7) } },
	{ "set_user_memory_region(vm, 0, LOG_DIRTY_PAGES|4|0x100, 0, 1T)",
	  TOP_SET_USER_MEMORY_REGION, NULL, 6,
	  { HA("vm"), NUMA(0), NUMA(0x105), NUMA(0), NUMA(1ull << 40), NUMA(0) } },
};

static int handle_index(const struct trace *t, const char *name)
{
	int i;

	for (i = 0; i < t->nhandles; i++) {
		if (!strcmp(t->handles[i].name, name))
			return i;
	}
	return -1;
}

START_TEST(test_valid_line)
{
	const struct valid_case *vc = &valid[_i];
	const struct trace_expect_alt *a;
	const struct trace_call *c;
	struct trace_error err;
	struct trace t;
	char buf[1024];
	int i, r;

	snprintf(buf, sizeof(buf), PRE_MAP "\t%s\n", vc->line);
	r = trace_parse_buf("valid", buf, strlen(buf), &t, &err);
	ck_assert_msg(r == 0, "'%s': %d:%d: %s", vc->line, err.line, err.col, err.msg);
	ck_assert_int_eq(t.setup.ncalls, 5);
	c = &t.setup.calls[4];
	ck_assert_int_eq(c->op, vc->op);
	ck_assert_int_eq(c->line, 6);
	ck_assert_int_eq(c->nargs, vc->nargs);
	for (i = 0; i < vc->nargs; i++) {
		if (vc->args[i].h) {
			ck_assert_msg(c->args[i].is_handle, "'%s' arg %d", vc->line, i);
			ck_assert_int_eq(c->args[i].handle, handle_index(&t, vc->args[i].h));
		} else {
			ck_assert_msg(!c->args[i].is_handle, "'%s' arg %d", vc->line, i);
			ck_assert_msg(c->args[i].value == vc->args[i].v,
				      "'%s' arg %d: 0x%llx != 0x%llx", vc->line, i,
				      (unsigned long long)c->args[i].value,
				      (unsigned long long)vc->args[i].v);
		}
	}
	if (vc->bind) {
		ck_assert_int_eq(c->bind, handle_index(&t, vc->bind));
		ck_assert_int_eq(t.handles[c->bind].defined_by, vc->op);
	} else {
		ck_assert_int_eq(c->bind, -1);
	}
	ck_assert_int_eq(c->expect.nalts, vc->nalts);
	if (vc->nalts) {
		a = &c->expect.alt[0];
		ck_assert_int_eq(a->kind, vc->alt0.kind);
		ck_assert_int_eq(a->has_ret, vc->alt0.has_ret);
		ck_assert_int_eq(a->ret, vc->alt0.ret);
		ck_assert_int_eq(a->has_err, vc->alt0.has_err);
		ck_assert_int_eq(a->err, vc->alt0.err);
		ck_assert_int_eq(a->has_value, vc->alt0.has_value);
		ck_assert_int_eq(a->value, vc->alt0.value);
		ck_assert_int_eq(a->has_exit, vc->alt0.has_exit);
		ck_assert_int_eq(a->exit_reason, vc->alt0.exit_reason);
		ck_assert_int_eq(a->has_mf_gpa, vc->alt0.has_mf_gpa);
		ck_assert_uint_eq(a->mf_gpa, vc->alt0.mf_gpa);
		ck_assert_int_eq(a->has_mf_size, vc->alt0.has_mf_size);
		ck_assert_uint_eq(a->mf_size, vc->alt0.mf_size);
		ck_assert_int_eq(a->has_mf_flags, vc->alt0.has_mf_flags);
		ck_assert_uint_eq(a->mf_flags, vc->alt0.mf_flags);
		ck_assert_int_eq(a->has_remaining, vc->alt0.has_remaining);
		ck_assert_uint_eq(a->remaining, vc->alt0.remaining);
	}
	trace_free(&t);
}
END_TEST

/* ---- malformed inputs -> exact error ----------------------------------- */

struct error_case {
	const char *text;
	size_t len;		/* 0: strlen(text); set when the text holds a NUL */
	char *(*build)(void);	/* for inputs too big to write out */
	int line, col;
	const char *msg;
};

static char *long_line(void)
{
	char *s = malloc(8 + 5000 + 2);

	strcpy(s, "setup:\n\t");
	memset(s + 8, 'x', 5000);
	strcpy(s + 8 + 5000, "\n");
	return s;
}

static char *many_handles(void)
{
	char *s = malloc(8 + 65 * 32);
	size_t n = sprintf(s, "setup:\n");
	int i;

	for (i = 0; i < 65; i++)
		n += sprintf(s + n, "\th%d = vm_create()\n", i);
	return s;
}

static char *many_calls(void)
{
	char *s = malloc(8 + 1025 * 12);
	size_t n = sprintf(s, "setup:\n");
	int i;

	for (i = 0; i < 1025; i++)
		n += sprintf(s + n, "\tpoint(1)\n");
	return s;
}

static const struct error_case errors[] = {
	{ PRE "\tfoo(vm)\n", 0, NULL, 5, 2,
	  "expected an operation name, got 'foo'" },
	{ PRE "\tfallocate(gmem, 0, 0)\n", 0, NULL, 5, 22,
	  "expected a value for 'len' (fallocate takes fd, mode, offset, len), got ')'" },
	{ PRE "\tfallocate(gmem, 0, 0, 4K, 5)\n", 0, NULL, 5, 28,
	  "expected at most 4 arguments to fallocate, got '5'" },
	{ PRE "\tfallocate(vm2, 0, 0, 4K)\n", 0, NULL, 5, 12,
	  "expected a handle bound earlier, got 'vm2'" },
	{ PRE "\tfallocate(7, 0, 0, 4K)\n", 0, NULL, 5, 12,
	  "expected a handle for 'fd', got '7'" },
	{ PRE "\tvm = vm_create()\n", 0, NULL, 5, 2,
	  "expected a new handle name, got 'vm' (bound on line 2)" },
	{ PRE "\tcreate_guest_memfd(vm, 12x)\n", 0, NULL, 5, 25,
	  "expected a number (decimal or 0x hex, optional K/M/G/T), got '12x'" },
	{ PRE "\tcreate_guest_memfd(vm, 0x)\n", 0, NULL, 5, 27,
	  "expected hex digits after 0x, got ')'" },
	{ PRE "\tcreate_guest_memfd(vm, 99999999999999999999)\n", 0, NULL, 5, 25,
	  "expected a number that fits in 64 bits, got '99999999999999999999'" },
	{ PRE "\tcreate_guest_memfd(vm, 0x10000000000000000)\n", 0, NULL, 5, 25,
	  "expected a number that fits in 64 bits, got '0x10000000000000000'" },
	{ PRE "\tcreate_guest_memfd(vm, 16777216T)\n", 0, NULL, 5, 25,
	  "expected a number that fits in 64 bits, got '16777216T'" },
	{ PRE "\tcreate_guest_memfd(vm, 0x8000000000000000*2)\n", 0, NULL, 5, 43,
	  "expected a product that fits in 64 bits, got an overflow" },
	{ PRE "\tcreate_guest_memfd(vm, 0xffffffffffffffff+1)\n", 0, NULL, 5, 43,
	  "expected a sum that fits in 64 bits, got an overflow" },
	{ PRE "\tcreate_guest_memfd(vm, 2M, FOO)\n", 0, NULL, 5, 29,
	  "expected guest_memfd flags (MMAP, INIT_SHARED, NO_DIRECT_MAP) or a number, got 'FOO'" },
	{ PRE "\tcreate_guest_memfd(vm, 2M, PRIVATE)\n", 0, NULL, 5, 29,
	  "expected guest_memfd flags (MMAP, INIT_SHARED, NO_DIRECT_MAP) or a number, got 'PRIVATE'" },
	{ PRE "\tfallocate(gmem KEEP_SIZE, 0, 4K)\n", 0, NULL, 5, 17,
	  "expected ',' or ')', got 'KEEP_SIZE'" },
	{ PRE "\tfallocate(gmem, 0, 0, 4K\n", 0, NULL, 5, 26,
	  "expected ',' or ')', got end of line" },
	{ PRE "\tfallocate gmem\n", 0, NULL, 5, 12,
	  "expected '(' after the operation name, got 'gmem'" },
	{ PRE "\tfallocate(gmem, 0, 0, 4K) -> EWHAT\n", 0, NULL, 5, 31,
	  "expected a result (ok, a number, an errno name, error, SIGBUS, exit(...), MIXED, skipped), got 'EWHAT'" },
	{ PRE "\tfallocate(gmem, 0, 0, 4K) -> 0 | 0 | 0 | 0 | 0\n", 0, NULL, 5, 46,
	  "expected at most 4 alternatives, got more" },
	{ PRE "\tguest_read(cpu, 0, 4K) -> 0x100\n", 0, NULL, 5, 28,
	  "expected a byte value (0..0xff) read by guest_read, got 0x100" },
	{ PRE "\tfallocate(gmem, 0, 0, 4K) -> MIXED\n", 0, NULL, 5, 31,
	  "expected a result of fallocate, got 'MIXED' (only reads see MIXED)" },
	{ PRE "\tfallocate(gmem, 0, 0, 4K) -> 0 remaining=0\n", 0, NULL, 5, 33,
	  "expected '|' or end of line, got 'remaining'" },
	{ PRE "\tguest_read(cpu, 0, 4K) -> exit(MEMORY_FAULT, gpa=0, gpa=1)\n", 0, NULL, 5, 54,
	  "expected one of gpa=, size=, flags= (each at most once), got 'gpa'" },
	{ PRE "\tguest_read(cpu, 0, 4K) -> exit(MEMORY_FAULT) EFOO\n", 0, NULL, 5, 47,
	  "expected an errno name after exit(...), got 'EFOO'" },
	{ PRE "\tguest_read(cpu, 0, 4K) -> exit MEMORY_FAULT\n", 0, NULL, 5, 33,
	  "expected '(' after exit, got 'MEMORY_FAULT'" },
	{ PRE "\tfallocate(gmem, 0, 0, 4K) extra\n", 0, NULL, 5, 28,
	  "expected end of line, got 'extra'" },
	{ PRE "\tclose(gmem) -> 0 trailing\n", 0, NULL, 5, 19,
	  "expected '|' or end of line, got 'trailing'" },
	{ PRE "\tx = fallocate(gmem, 0, 0, 4K)\n", 0, NULL, 5, 6,
	  "expected an operation that returns a handle after '=', got 'fallocate'" },
	{ PRE "\tfallocate(gmem, mode=0, offset=0, len=4K, mode=1)\n", 0, NULL, 5, 44,
	  "expected each argument once, got 'mode' again" },
	{ PRE "\tfallocate(gmem, mode=0, 0, 4K)\n", 0, NULL, 5, 26,
	  "expected a named argument (name=value) after a named one, got '0'" },
	{ PRE "\tfallocate(gmem, bogus=0, 0, 4K)\n", 0, NULL, 5, 18,
	  "expected an argument of fallocate (fd, mode, offset, len), got 'bogus'" },
	{ PRE "\tclose(gmem) -> 0\n"
		  "thread a:\n"
		  "\tm = memfd_create(4K)\n"
		  "thread b:\n"
		  "\tclose(m)\n", 0, NULL, 9, 8,
	  "expected a handle bound in setup or this thread, got 'm' (bound in another thread on line 7)" },
	{ "\tvm = vm_create()\n", 0, NULL, 1, 7,
	  "expected a section header (setup:, thread NAME:, final:) before calls, got 'vm_create'" },
	{ "requires: vm=SNP\n"
		  "setup:\n"
		  "requires: backend=kvm\n", 0, NULL, 3, 1,
	  "expected requires: before the first section, got it after" },
	{ "requires: color=blue\n", 0, NULL, 1, 11,
	  "expected vm=, backend=, cap= or profile=, got 'color='" },
	{ "requires: backend=xen\n", 0, NULL, 1, 19,
	  "expected a backend (model, kvm), got 'xen'" },
	{ "requires: vm=33\n", 0, NULL, 1, 16,
	  "expected a VM type below 32, got 33" },
	{ "requires: profile=0123456789abcdefgh\n", 0, NULL, 1, 19,
	  "expected a profile name of 1..15 characters (e.g. 7.1), got a longer one" },
	{ "setup:\n"
		  "setup:\n", 0, NULL, 2, 1,
	  "expected one setup: section, got a second" },
	{ "thread a:\n"
		  "setup:\n", 0, NULL, 2, 1,
	  "expected setup: before threads and final:, got it after" },
	{ "final:\n"
		  "thread a:\n", 0, NULL, 2, 1,
	  "expected thread sections before final:, got 'thread' after it" },
	{ "thread a:\n"
		  "thread a:\n", 0, NULL, 2, 8,
	  "expected a new thread name, got 'a' again" },
	{ "thread t0:\n"
		  "thread t1:\n"
		  "thread t2:\n"
		  "thread t3:\n"
		  "thread t4:\n"
		  "thread t5:\n"
		  "thread t6:\n"
		  "thread t7:\n"
		  "thread t8:\n", 0, NULL, 9, 1,
	  "expected at most 8 threads, got more" },
	{ "thread :\n", 0, NULL, 1, 8,
	  "expected a thread name before ':', got ':'" },
	{ "thread:\n", 0, NULL, 1, 7,
	  "expected a thread name before ':', got ':'" },
	{ "setup\n", 0, NULL, 1, 6,
	  "expected ':' after 'setup', got end of line" },
	{ "teardown:\n", 0, NULL, 1, 1,
	  "expected a section (requires:, setup:, thread NAME:, final:), got 'teardown:'" },
	{ "setup:\n"
		  "\tvm = vm_create(\x00"")\n", 26, NULL, 2, 17,
	  "expected text, got a NUL byte" },
	{ "setup:\n"
		  "\tvm = vm_create()\x01""\n", 0, NULL, 2, 18,
	  "expected printable ASCII outside comments, got byte 0x01" },
	{ "setup: # caf\xc3""\xa9"" is fine here\n"
		  "\tvm = vm_create(caf\xc3""\xa9"")\n", 0, NULL, 2, 20,
	  "expected printable ASCII outside comments, got byte 0xc3" },
	{ NULL, 0, long_line, 2, 4097,
	  "expected a line of at most 4096 bytes, got 5001" },
	{ "setup:\n"
		  "\taaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa = vm_create()\n", 0, NULL, 2, 2,
	  "expected a handle name of at most 31 characters, got 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa...'" },
	{ "thread bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb:\n", 0, NULL, 1, 8,
	  "expected a thread name of at most 31 characters, got 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb...'" },
	{ NULL, 0, many_handles, 66, 2,
	  "expected at most 64 handles, got more" },
	{ NULL, 0, many_calls, 1026, 1,
	  "expected at most 1024 calls in a section, got more" },
	{ "requires: cap=GUEST_MEMFD cap=GUEST_MEMFD cap=GUEST_MEMFD cap=GUEST_MEMFD cap=GUEST_MEMFD cap=GUEST_MEMFD cap=GUEST_MEMFD cap=GUEST_MEMFD cap=GUEST_MEMFD\n", 0, NULL, 1, 139,
	  "expected at most 8 cap= items, got more" },
	{ "setup:\n"
		  "\tvm = vm_create()\n"
		  "\tset_user_memory_region2(vm, 0, 0, 0, 4K, guest_memfd=0x, 0)\n", 0, NULL, 3, 57,
	  "expected hex digits after 0x, got ','" },
	{ "setup:\n"
		  "\tvm = vm_create(SW_PROTECTED,)\n", 0, NULL, 2, 30,
	  "expected an argument after ',', got ')'" },
	{ "setup:\n"
		  "\t= vm_create()\n", 0, NULL, 2, 2,
	  "expected a section header or a call, got '='" },
	{ "setup:\n"
		  "\tvm = 5\n", 0, NULL, 2, 7,
	  "expected an operation after '=', got '5'" },
	{ "setup:\n"
		  "\tvm = vm_create() -> \n", 0, NULL, 2, 22,
	  "expected a result (ok, a number, an errno name, error, SIGBUS, exit(...), MIXED, skipped), got end of line" },
	{ "setup:\n"
		  "\tvm = vm_create() ->ok|\n", 0, NULL, 2, 24,
	  "expected a result (ok, a number, an errno name, error, SIGBUS, exit(...), MIXED, skipped), got end of line" },
	{ "setup:\n"
		  "\tvm = vm_create() -> exit(MEMORY_FAULT, size=) \n", 0, NULL, 2, 46,
	  "expected a number, got ')'" },
	{ "setup:\n"
		  "\tcheck_extension(0, BOGUS)\n", 0, NULL, 2, 21,
	  "expected a capability name (KVM_CAP_* without the prefix) or a number, got 'BOGUS'" },
	{ "setup:\n"
		  "\tvm = vm_create(vm_create)\n", 0, NULL, 2, 17,
	  "expected a VM type (DEFAULT, SW_PROTECTED, SEV, SEV_ES, SNP, TDX) or a number, got 'vm_create'" },
	{ "setup:\n"
		  "\tcpu = vcpu_create(cpu, 0)\n", 0, NULL, 2, 20,
	  "expected a handle bound earlier, got 'cpu'" },
	{ "thread a\n", 0, NULL, 1, 9,
	  "expected ':' after the thread name, got end of line" },
	{ PRE "\tfstat(gmem) -> 0x8000000000000000\n", 0, NULL, 5, 17,
	  "expected a return value below 2^63, got 0x8000000000000000" },
	{ "final:\nfinal:\n", 0, NULL, 2, 1,
	  "expected one final: section, got a second" },
	{ PRE "\taveryveryveryveryverylongidentifierthatgoesonandon_x(vm)\n", 0, NULL, 5, 2,
	  "expected an operation name, got 'averyveryveryveryverylongidentifierthatg...'" },
	{ PRE "\tcreate_guest_memfd(vm, 0x )\n", 0, NULL, 5, 27,
	  "expected hex digits after 0x, got a space" },
	{ PRE "\tfallocate(gmem, 0, 0, 4K) -> 0 | \n", 0, NULL, 5, 35,
	  "expected a result (ok, a number, an errno name, error, SIGBUS, exit(...), MIXED, skipped), got end of line" },
	{ PRE "\tguest_read(cpu, 0) -> exit(MEMORY_FAULT, bogus=1)\n", 0, NULL, 5, 43,
	  "expected one of gpa=, size=, flags= (each at most once), got 'bogus'" },
	{ PRE "\tguest_read(cpu, 0) -> exit(0x100000000)\n", 0, NULL, 5, 29,
	  "expected an exit reason below 2^32, got 0x100000000" },
	{ "requires: cap=GUEST_MEMFD>=\n", 0, NULL, 1, 28,
	  "expected a number, got end of line" },
	{ "requires: vm\n", 0, NULL, 1, 11,
	  "expected vm=, backend=, cap= or profile=, got 'vm'" },
};

START_TEST(test_error)
{
	const struct error_case *ec = &errors[_i];
	char *text = ec->build ? ec->build() : (char *)ec->text;
	size_t len = ec->len ? ec->len : strlen(text);
	struct trace_error err;
	struct trace t;
	int r;

	r = trace_parse_buf("bad.trace", text, len, &t, &err);
	ck_assert_msg(r == -1, "case %d parsed", _i);
	ck_assert_str_eq(err.file, "bad.trace");
	ck_assert_str_eq(err.msg, ec->msg);
	ck_assert_msg(err.line == ec->line && err.col == ec->col,
		      "case %d: %d:%d, want %d:%d (%s)", _i, err.line, err.col,
		      ec->line, ec->col, err.msg);
	/* A failed parse leaves nothing behind and the trace reusable. */
	ck_assert_int_eq(t.nthreads, 0);
	ck_assert_ptr_null(t.setup.calls);
	ck_assert_ptr_null(t.final.calls);
	trace_free(&t);
	if (ec->build)
		free(text);
}
END_TEST

/* ---- whole traces ------------------------------------------------------ */

/* The example of the task description, verbatim. */
static const char brief_example[] =
	"# A comment. Every race trace says in comments which interleaving it targets.\n"
	"requires: vm=SW_PROTECTED backend=model,kvm cap=GUEST_MEMFD_FLAGS>=3 profile=7.1\n"
	"setup:\n"
	"    vm = vm_create(SW_PROTECTED)\n"
	"    gmem = create_guest_memfd(vm, size=2M, flags=0)\n"
	"    set_user_memory_region2(vm, slot=0, flags=GUEST_MEMFD, gpa=0x80000000, size=2M, uaddr=0, guest_memfd=gmem, guest_memfd_offset=0) -> 0\n"
	"    set_memory_attributes(vm, 0x80000000, 2M, PRIVATE, 0) -> 0\n"
	"    cpu = vcpu_create(vm, 0)\n"
	"thread punch:\n"
	"    fallocate(gmem, KEEP_SIZE|PUNCH_HOLE, 0, 4K) -> 0\n"
	"thread fault:\n"
	"    guest_write(cpu, 0x80000000, 0x11, 4K, private=1) -> 0\n"
	"final:\n"
	"    guest_read(cpu, 0x80000000, 4K) -> 0x11 | 0x00\n";

START_TEST(test_brief_example)
{
	struct trace_error err;
	struct trace t;
	int r;

	r = trace_parse_buf("brief", brief_example, sizeof(brief_example) - 1, &t, &err);
	ck_assert_msg(r == 0, "%d:%d: %s", err.line, err.col, err.msg);
	ck_assert_str_eq(t.path, "brief");
	ck_assert(t.req.has_vm_type);
	ck_assert_uint_eq(t.req.vm_types, 1u << 1);
	ck_assert_uint_eq(t.req.backends, 3);
	ck_assert_int_eq(t.req.ncaps, 1);
	ck_assert_uint_eq(t.req.caps[0][0], 244);
	ck_assert_uint_eq(t.req.caps[0][1], 3);
	ck_assert_str_eq(t.req.profile, "7.1");
	ck_assert_int_eq(t.nhandles, 3);
	ck_assert_str_eq(t.handles[0].name, "vm");
	ck_assert_str_eq(t.handles[1].name, "gmem");
	ck_assert_str_eq(t.handles[2].name, "cpu");
	ck_assert_int_eq(t.handles[2].defined_by, TOP_VCPU_CREATE);
	ck_assert_int_eq(t.setup.ncalls, 5);
	ck_assert_int_eq(t.nthreads, 2);
	ck_assert_str_eq(t.threads[0].name, "punch");
	ck_assert_str_eq(t.threads[1].name, "fault");
	ck_assert_int_eq(t.threads[1].calls[0].op, TOP_GUEST_WRITE);
	ck_assert_int_eq(t.threads[1].calls[0].line, 12);
	ck_assert_int_eq(t.final.ncalls, 1);
	ck_assert_int_eq(t.final.calls[0].expect.nalts, 2);
	ck_assert_int_eq(t.final.calls[0].expect.alt[1].value, 0);
	ck_assert(t.final.calls[0].expect.alt[1].has_value);
	trace_free(&t);
}
END_TEST

START_TEST(test_requires)
{
	static const char text[] =
		"requires: vm=SW_PROTECTED,SNP,5 backend=kvm cap=233 cap=KVM_CAP_VM_TYPES>=0x12\n"
		"requires: profile=6.18-rc1\n";
	struct trace_error err;
	struct trace t;

	ck_assert_int_eq(trace_parse_buf("r", text, sizeof(text) - 1, &t, &err), 0);
	ck_assert_uint_eq(t.req.vm_types, (1u << 1) | (1u << 4) | (1u << 5));
	ck_assert_uint_eq(t.req.backends, 1u << TRACE_BACKEND_KVM);
	ck_assert_int_eq(t.req.ncaps, 2);
	ck_assert_uint_eq(t.req.caps[0][0], 233);
	ck_assert_uint_eq(t.req.caps[0][1], 1);	/* no ">=": at least 1 */
	ck_assert_uint_eq(t.req.caps[1][0], 235);
	ck_assert_uint_eq(t.req.caps[1][1], 0x12);
	ck_assert_str_eq(t.req.profile, "6.18-rc1");
	ck_assert_int_eq(t.setup.ncalls + t.nthreads + t.final.ncalls, 0);
	trace_free(&t);
}
END_TEST

/* Thread-local handles: visible later in the same thread and in final:. */
START_TEST(test_handle_scopes)
{
	static const char text[] =
		"setup:\n"
		"\tvm = vm_create()\n"
		"thread a:\n"
		"\tg = create_guest_memfd(vm, 4K)\n"
		"\tclose(g)\n"
		"thread b:\n"
		"\tg2 = create_guest_memfd(vm, 4K)\n"
		"final:\n"
		"\tclose(g)\n"
		"\tclose(g2)\n";
	struct trace_error err;
	struct trace t;

	ck_assert_msg(!trace_parse_buf("s", text, sizeof(text) - 1, &t, &err), "%s", err.msg);
	ck_assert_int_eq(t.threads[0].calls[1].args[0].handle, 1);
	ck_assert_int_eq(t.final.calls[0].args[0].handle, 1);
	ck_assert_int_eq(t.final.calls[1].args[0].handle, 2);
	trace_free(&t);
}
END_TEST

/* Empty input, blank lines, CRLF endings, no final newline, empty sections. */
START_TEST(test_layout)
{
	static const char crlf[] = "setup:\r\n\tvm = vm_create()\r\n\r\nthread t:\r\nfinal:\r\n"
				   "\tclose(vm)";
	struct trace_error err;
	struct trace t;

	ck_assert_int_eq(trace_parse_buf("e", "", 0, &t, &err), 0);
	ck_assert_int_eq(t.nthreads + t.nhandles + t.setup.ncalls, 0);
	trace_free(&t);
	ck_assert_int_eq(trace_parse_buf("e", "\n\n  # only a comment\n\t\n", 22, &t, &err), 0);
	trace_free(&t);
	ck_assert_msg(!trace_parse_buf("crlf", crlf, sizeof(crlf) - 1, &t, &err), "%d:%d %s",
		      err.line, err.col, err.msg);
	ck_assert_int_eq(t.setup.ncalls, 1);
	ck_assert_int_eq(t.nthreads, 1);
	ck_assert_int_eq(t.threads[0].ncalls, 0);
	ck_assert_int_eq(t.final.ncalls, 1);
	ck_assert_int_eq(t.final.calls[0].line, 6);
	trace_free(&t);
	trace_free(&t);	/* idempotent */
}
END_TEST

START_TEST(test_parse_file)
{
	struct trace_error err;
	struct trace t;

	ck_assert_int_eq(trace_parse_file("/nonexistent/x.trace", &t, &err), -1);
	ck_assert_str_eq(err.file, "/nonexistent/x.trace");
	ck_assert_int_eq(err.line, 0);
	ck_assert_str_eq(err.msg, "expected a readable file, got No such file or directory");
	ck_assert_int_eq(trace_parse_file("/", &t, &err), -1);
	ck_assert_str_eq(err.msg, "expected a readable file, got Is a directory");
}
END_TEST

/* The op table: complete, names unique and found by lookup. */
START_TEST(test_op_table)
{
	const struct trace_op_info *oi, *oj;
	int op, i, j;

	ck_assert_ptr_null(trace_op_info(TOP_INVALID));
	ck_assert_ptr_null(trace_op_info(TOP_NR));
	ck_assert_ptr_null(trace_op_info((enum trace_op)-1));
	ck_assert_str_eq(trace_op_name(TOP_NR), "invalid");
	ck_assert_int_eq(trace_op_lookup("vm_creat", 8), TOP_INVALID);
	for (op = TOP_INVALID + 1; op < TOP_NR; op++) {
		oi = trace_op_info(op);
		ck_assert_ptr_nonnull(oi);
		ck_assert_ptr_nonnull(oi->name);
		ck_assert_int_eq(oi->op, op);
		ck_assert_int_eq(trace_op_lookup(oi->name, strlen(oi->name)), op);
		ck_assert_str_eq(trace_op_name(op), oi->name);
		ck_assert_int_le(oi->nargs, TRACE_MAX_ARGS);
		ck_assert_ptr_nonnull(oi->doc);
		for (i = 0; i < oi->nargs; i++) {
			ck_assert_ptr_nonnull(oi->args[i].name);
			/* A handle argument cannot have a numeric default. */
			ck_assert(!(oi->args[i].kind == TARG_HANDLE && oi->args[i].has_default));
			for (j = 0; j < i; j++)
				ck_assert_str_ne(oi->args[i].name, oi->args[j].name);
		}
		for (j = TOP_INVALID + 1; j < op; j++) {
			oj = trace_op_info(j);
			ck_assert_str_ne(oi->name, oj->name);
		}
	}
	/* ir.h: everything after TOP_OPEN_DEV_KVM is model-only. */
	for (op = TOP_INVALID + 1; op < TOP_NR; op++)
		ck_assert_int_eq(trace_op_info(op)->model_only, op > TOP_OPEN_DEV_KVM);
}
END_TEST

/* Constant families: names found both ways; flags printable bit by bit. */
START_TEST(test_consts)
{
	uint64_t v;

	ck_assert_int_eq(trace_const_lookup(TCC_ATTRS, "PRIVATE", 7, &v), 0);
	ck_assert_uint_eq(v, 8);
	ck_assert_int_eq(trace_const_lookup(TCC_MMAP_FLAGS, "PRIVATE", 7, &v), 0);
	ck_assert_uint_eq(v, 2);
	ck_assert_int_eq(trace_const_lookup(TCC_GMEM_FLAGS, "PRIVATE", 7, &v), -1);
	ck_assert_int_eq(trace_const_lookup(TCC_NONE, "PRIVATE", 7, &v), -1);
	ck_assert_int_eq(trace_const_lookup(TCC_CAP, "KVM_CAP_", 8, &v), -1);
	ck_assert_int_eq(trace_const_lookup(TCC_EXIT_REASON, "KVM_EXIT_MMIO", 13, &v), 0);
	ck_assert_uint_eq(v, 6);
	ck_assert_str_eq(trace_const_name(TCC_MADV, 25), "COLLAPSE");
	ck_assert_ptr_null(trace_const_name(TCC_PROT, 0));	/* 0 prints as 0 */
	ck_assert_str_eq(trace_errno_name(22), "EINVAL");
	ck_assert_str_eq(trace_errno_name(133), "EHWPOISON");
	ck_assert_ptr_null(trace_errno_name(0));
	ck_assert_ptr_null(trace_errno_name(-22));
	ck_assert_ptr_null(trace_errno_name(4000));
	ck_assert(trace_const_is_flags(TCC_MEMSLOT_FLAGS));
	ck_assert(!trace_const_is_flags(TCC_VM_TYPE));
	ck_assert(!trace_const_is_flags(TCC_NR));
}
END_TEST

int main(int argc, char **argv)
{
	Suite *s = suite_create("trace_parse");
	TCase *tc = tcase_create("parse");
	SRunner *sr;
	int nfail;

	tcase_add_loop_test(tc, test_valid_line, 0, sizeof(valid) / sizeof(valid[0]));
	tcase_add_loop_test(tc, test_error, 0, sizeof(errors) / sizeof(errors[0]));
	tcase_add_test(tc, test_brief_example);
	tcase_add_test(tc, test_requires);
	tcase_add_test(tc, test_handle_scopes);
	tcase_add_test(tc, test_layout);
	tcase_add_test(tc, test_parse_file);
	tcase_add_test(tc, test_op_table);
	tcase_add_test(tc, test_consts);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	nfail = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nfail ? 1 : 0;
}
