/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Harness for the /dev/kvm conformance tests: builds trace calls in C and
 * runs them through kvm_backend_ops, so every row exercises the backend the
 * way a trace does.  Handles are plain indices chosen by the test.
 */
#ifndef GMEMSIM_TESTS_KVM_HARNESS_H
#define GMEMSIM_TESTS_KVM_HARNESS_H

#include <check.h>
#include <stdint.h>

#include "backend/backend.h"
#include "backend/kvm/kvm_backend.h"

#define PAGE	4096ULL
#define KEEP	0x01	/* FALLOC_FL_KEEP_SIZE */
#define PUNCH	0x02	/* FALLOC_FL_PUNCH_HOLE */

struct kh {
	struct gmem_backend *b;
	struct trace t;
	struct trace_result r;
};

#define A(v)	((struct trace_arg){ .value = (uint64_t)(v) })
#define H(h)	((struct trace_arg){ .is_handle = true, .handle = (h) })
#define NOBIND	(-1)

/* Run one call; the result is returned and kept in k->r. */
const struct trace_result *kh_do(struct kh *k, int line, enum trace_op op, int bind,
				 int nargs, const struct trace_arg *args);
#define KH(k, op, bind, ...)						\
	kh_do(k, __LINE__, op, bind,					\
	      (int)(sizeof((struct trace_arg[]){ __VA_ARGS__ }) /	\
		    sizeof(struct trace_arg)),				\
	      (struct trace_arg[]){ __VA_ARGS__ })
#define KH0(k, op, bind)	kh_do(k, __LINE__, op, bind, 0, NULL)

void kh_setup(struct kh *k);
void kh_teardown(struct kh *k);
/* Exit 77 (skip) if /dev/kvm is missing; call first in main(). */
void kh_require_kvm(const char *test);
/* "EINVAL" etc. for messages. */
const char *kh_errname(int err);
/* One-line description of a result for failure messages. */
const char *kh_fmt(const struct trace_result *r);

#define ck_ok(row, r)							\
	ck_assert_msg((r)->kind == TRES_OK, "%s: expected ok, got %s", row, kh_fmt(r))
#define ck_errno(row, r, e)						\
	ck_assert_msg((r)->kind == TRES_ERRNO && (r)->err == (e),	\
		      "%s: expected %s, got %s", row, kh_errname(e), kh_fmt(r))
#define ck_fails(row, r)						\
	ck_assert_msg((r)->kind == TRES_ERRNO, "%s: expected failure, got %s", row, kh_fmt(r))
#define ck_value(row, r, v)						\
	ck_assert_msg((r)->kind == TRES_OK && (r)->value == (v),	\
		      "%s: expected value %d, got %s", row, (int)(v), kh_fmt(r))
#define ck_sigbus(row, r)						\
	ck_assert_msg((r)->kind == TRES_SIGBUS, "%s: expected SIGBUS, got %s", row, kh_fmt(r))
#define ck_skipped(row, r)						\
	ck_assert_msg((r)->kind == TRES_SKIPPED, "%s: expected skipped, got %s", row, kh_fmt(r))

/* Run a Check suite with CK_NOFORK-friendly defaults; returns exit status. */
int kh_run_suite(Suite *s);

#endif /* GMEMSIM_TESTS_KVM_HARNESS_H */
