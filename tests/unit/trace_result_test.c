// SPDX-License-Identifier: GPL-2.0
/*
 * trace_result_matches() and trace_result_format() (traces/README.md,
 * "Expectations"): a table of (call -> expectation, result, verdict), a
 * table of result -> text, and the promise that a formatted result pasted
 * after "->" matches the result it came from.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "trace/ir.h"

#define PRE "setup:\n\tvm = vm_create()\n\tcpu = vcpu_create(vm)\n" \
	    "\tg = create_guest_memfd(vm, 2M)\n\tmap = mmap(g, 2M)\n"

/* Result shorthands; fields not named stay as trace_result_init() leaves them. */
#define R_OK(r)		{ .kind = TRES_OK, .ret = r, .value = -2 }
#define R_VAL(v)	{ .kind = TRES_OK, .value = v }
#define R_ERR(e)	{ .kind = TRES_ERRNO, .ret = -1, .err = e, .value = -2 }
#define R_SIGBUS	{ .kind = TRES_SIGBUS, .value = -2 }
#define R_SKIP		{ .kind = TRES_SKIPPED, .value = -2 }
#define R_MF(gpa_, size_, flags_) { .kind = TRES_EXIT, .err = 14, .value = -2, \
		.exit_reason = 39, .mf_gpa = gpa_, .mf_size = size_, .mf_flags = flags_ }

struct match_case {
	const char *call;	/* "call -> expectation" */
	struct trace_result r;
	bool match;
};

static const struct match_case matches[] = {
	{ "fallocate(g, 0, 0, 4K) -> 0", R_OK(0), true },
	{ "fallocate(g, 0, 0, 4K) -> 0", R_OK(1), false },
	{ "fallocate(g, 0, 0, 4K) -> 0", R_ERR(22), false },
	{ "fallocate(g, 0, 0, 4K) -> EINVAL", R_ERR(22), true },
	{ "fallocate(g, 0, 0, 4K) -> EINVAL", R_ERR(95), false },
	{ "fallocate(g, 0, 0, 4K) -> EINVAL | EOPNOTSUPP", R_ERR(95), true },
	{ "fallocate(g, 0, 0, 4K) -> ok", R_OK(12345), true },
	{ "fallocate(g, 0, 0, 4K) -> ok", R_ERR(22), false },
	{ "fallocate(g, 0, 0, 4K) -> error", R_ERR(4), true },
	{ "fallocate(g, 0, 0, 4K) -> error", R_OK(0), false },
	/* No expectation: anything goes, skipped included. */
	{ "fallocate(g, 0, 0, 4K)", R_ERR(22), true },
	{ "fallocate(g, 0, 0, 4K)", R_SKIP, true },
	{ "fallocate(g, 0, 0, 4K) -> 0", R_SKIP, false },
	{ "fallocate(g, 0, 0, 4K) -> skipped", R_SKIP, true },
	{ "fstat(g) -> 2M", R_OK(2 << 20), true },
	{ "check_extension(cap=GUEST_MEMFD_FLAGS) -> 3", R_OK(3), true },
	{ "check_extension(cap=GUEST_MEMFD_FLAGS) -> 3", R_OK(1), false },
	/* Reads: a number is the byte value. */
	{ "host_read(map, 0, 4K) -> 0xaa", R_VAL(0xaa), true },
	{ "host_read(map, 0, 4K) -> 0xaa", R_VAL(0), false },
	{ "host_read(map, 0, 4K) -> 0xaa | 0x00", R_VAL(0), true },
	{ "host_read(map, 0, 4K) -> 0xaa | 0x00", R_VAL(TRACE_VALUE_MIXED), false },
	{ "host_read(map, 0, 4K) -> MIXED", R_VAL(TRACE_VALUE_MIXED), true },
	{ "host_read(map, 0, 4K) -> SIGBUS", R_SIGBUS, true },
	{ "host_read(map, 0, 4K) -> SIGBUS", R_VAL(0), false },
	{ "host_read(map, 0, 4K) -> ok", R_VAL(7), true },
	{ "host_write(map, 0, 1, 4K) -> 0 | SIGBUS", R_SIGBUS, true },
	/* Exits: only the fields written are compared. */
	{ "guest_read(cpu, 0x1000) -> exit(MEMORY_FAULT, gpa=0x1000, size=4K, flags=PRIVATE) EFAULT",
	  R_MF(0x1000, 4096, 8), true },
	{ "guest_read(cpu, 0x1000) -> exit(MEMORY_FAULT, gpa=0x1000, size=4K, flags=PRIVATE) EFAULT",
	  R_MF(0x1000, 4096, 0), false },
	{ "guest_read(cpu, 0x1000) -> exit(MEMORY_FAULT, gpa=0x1000, size=4K, flags=PRIVATE) EFAULT",
	  R_MF(0x2000, 4096, 8), false },
	{ "guest_read(cpu, 0x1000) -> exit(MEMORY_FAULT, gpa=0x1000, size=4K, flags=PRIVATE) EFAULT",
	  R_MF(0x1000, 2 << 20, 8), false },
	{ "guest_read(cpu, 0x1000) -> exit(MEMORY_FAULT)", R_MF(0x1000, 2 << 20, 8), true },
	{ "guest_read(cpu, 0x1000) -> exit(MEMORY_FAULT) EINVAL", R_MF(0x1000, 4096, 8), false },
	{ "guest_read(cpu, 0x1000) -> exit(MMIO)", R_MF(0x1000, 4096, 8), false },
	{ "guest_read(cpu, 0x1000) -> exit()", R_MF(0x1000, 4096, 8), true },
	{ "guest_read(cpu, 0x1000) -> EFAULT", R_MF(0x1000, 4096, 8), false },
	{ "guest_read(cpu, 0x1000) -> exit()", R_VAL(0), false },
	{ "guest_read(cpu, 0x1000) -> 0x00 | exit(MEMORY_FAULT, flags=0)", R_MF(0x1000, 4096, 0),
	  true },
	/* pre_fault: remaining= is one more field. */
	{ "pre_fault_memory(cpu, 0, 8K) -> 0 remaining=0",
	  { .kind = TRES_OK, .value = -2 }, true },
	{ "pre_fault_memory(cpu, 0, 8K) -> 0 remaining=0",
	  { .kind = TRES_OK, .value = -2, .remaining = 4096 }, false },
	{ "pre_fault_memory(cpu, 0, 8K) -> EINTR remaining=4K",
	  { .kind = TRES_ERRNO, .ret = -1, .err = 4, .value = -2, .remaining = 4096 }, true },
	{ "pre_fault_memory(cpu, 0, 8K) -> 0",
	  { .kind = TRES_OK, .value = -2, .remaining = 4096 }, true },
};

START_TEST(test_matches)
{
	const struct match_case *mc = &matches[_i];
	struct trace_error err;
	struct trace t;
	char buf[512];

	snprintf(buf, sizeof(buf), PRE "\t%s\n", mc->call);
	ck_assert_msg(!trace_parse_buf("m", buf, strlen(buf), &t, &err), "%s: %d:%d: %s",
		      mc->call, err.line, err.col, err.msg);
	ck_assert_msg(trace_result_matches(&t.setup.calls[4].expect, &mc->r) == mc->match,
		      "case %d: '%s' should %smatch", _i, mc->call, mc->match ? "" : "not ");
	trace_free(&t);
}
END_TEST

struct format_case {
	struct trace_result r;
	const char *text;
};

static const struct format_case formats[] = {
	{ R_OK(0), "0" },
	{ R_OK(3), "3" },
	{ R_OK(0x10000), "0x10000" },
	{ R_VAL(0x11), "0x11" },
	{ R_VAL(0), "0x00" },
	{ R_VAL(TRACE_VALUE_MIXED), "MIXED" },
	{ R_ERR(22), "EINVAL" },
	{ R_ERR(133), "EHWPOISON" },
	{ R_ERR(1000), "errno 1000" },
	{ R_SIGBUS, "SIGBUS" },
	{ R_SKIP, "skipped" },
	{ R_MF(0x80000000, 4096, 8), "exit(MEMORY_FAULT, gpa=0x80000000, size=4K, flags=PRIVATE) EFAULT" },
	{ R_MF(0, 0x1800, 0), "exit(MEMORY_FAULT, gpa=0, size=6K, flags=0) EFAULT" },
	{ { .kind = TRES_EXIT, .exit_reason = 6, .value = -2 }, "exit(MMIO)" },
	{ { .kind = TRES_EXIT, .exit_reason = 17, .err = 4, .value = -2 }, "exit(INTERNAL_ERROR) EINTR" },
	{ { .kind = TRES_EXIT, .exit_reason = 1234, .value = -2 }, "exit(1234)" },
	{ { .kind = TRES_OK, .value = -2, .remaining = 2 << 20 }, "0 remaining=2M" },
	{ { .kind = TRES_ERRNO, .err = 11, .value = -2, .remaining = 0x1001 },
	  "EAGAIN remaining=0x1001" },
	{ { .kind = TRES_OK, .ret = -5, .value = -2 }, "ok(ret=-5)" },
};

START_TEST(test_format)
{
	const struct format_case *fc = &formats[_i];
	char buf[128];

	trace_result_format(&fc->r, buf, sizeof(buf));
	ck_assert_str_eq(buf, fc->text);
}
END_TEST

/* Cut to fit, always terminated; a zero-size buffer is left alone. */
START_TEST(test_format_truncates)
{
	struct trace_result r = R_MF(0x80000000, 4096, 8);
	char buf[8] = "xxxxxxx";

	trace_result_format(&r, buf, sizeof(buf));
	ck_assert_str_eq(buf, "exit(ME");
	trace_result_format(&r, buf, 0);
	ck_assert_str_eq(buf, "exit(ME");
}
END_TEST

/* A formatted result, pasted after "->", matches that result. */
START_TEST(test_format_parses_back)
{
	const struct format_case *fc = &formats[_i];
	const char *call;
	struct trace_error err;
	struct trace t;
	char text[128], buf[512];

	if (!strncmp(fc->text, "errno ", 6) || !strncmp(fc->text, "ok(", 3))
		return;	/* no words for an unnamed errno or a negative success */
	trace_result_format(&fc->r, text, sizeof(text));
	call = fc->r.value != -2 ? "host_read(map, 0)" :
	       strstr(text, "remaining") ? "pre_fault_memory(cpu, 0, 4K)" : "fallocate(g, 0, 0, 4K)";
	snprintf(buf, sizeof(buf), PRE "\t%s -> %s\n", call, text);
	ck_assert_msg(!trace_parse_buf("f", buf, strlen(buf), &t, &err), "'%s': %s", text, err.msg);
	ck_assert_msg(trace_result_matches(&t.setup.calls[4].expect, &fc->r), "'%s'", text);
	trace_free(&t);
}
END_TEST

START_TEST(test_result_init)
{
	struct trace_result r;

	memset(&r, 0xff, sizeof(r));
	trace_result_init(&r);
	ck_assert_int_eq(r.kind, TRES_OK);
	ck_assert_int_eq(r.ret, 0);
	ck_assert_int_eq(r.value, -2);
	ck_assert_uint_eq(r.remaining, 0);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("trace_result");
	TCase *tc = tcase_create("result");
	SRunner *sr;
	int nfail, n = sizeof(formats) / sizeof(formats[0]);

	tcase_add_loop_test(tc, test_matches, 0, sizeof(matches) / sizeof(matches[0]));
	tcase_add_loop_test(tc, test_format, 0, n);
	tcase_add_loop_test(tc, test_format_parses_back, 0, n);
	tcase_add_test(tc, test_format_truncates);
	tcase_add_test(tc, test_result_init);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	nfail = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nfail ? 1 : 0;
}
