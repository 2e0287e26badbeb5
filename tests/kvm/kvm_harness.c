// SPDX-License-Identifier: GPL-2.0
/* Harness for the /dev/kvm conformance tests (see kvm_harness.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend/kvm/kvm_util.h"
#include "kvm_harness.h"

/**
 * kh_do() - run one trace call through kvm_backend_ops
 * @k: harness
 * @line: caller's line, recorded as the call's trace line
 * @op: operation
 * @bind: handle index the call defines, or NOBIND
 * @nargs: number of arguments
 * @args: arguments
 *
 * Context: test thread; blocks as the syscalls do.
 * Return: the result, also kept in @k->r.
 */
const struct trace_result *kh_do(struct kh *k, int line, enum trace_op op, int bind,
				 int nargs, const struct trace_arg *args)
{
	struct trace_call c = { .op = op, .nargs = nargs, .bind = bind, .line = line };

	ck_assert_int_le(nargs, TRACE_MAX_ARGS);
	if (nargs)
		memcpy(c.args, args, nargs * sizeof(*args));
	kvm_backend_ops.call(k->b, -1, &c, &k->r);
	return &k->r;
}

/**
 * kh_setup() - fresh backend for one test
 * @k: harness
 *
 * Context: Check fixture; fails the test if the backend cannot be created.
 */
void kh_setup(struct kh *k)
{
	memset(k, 0, sizeof(*k));
	k->b = kvm_backend_ops.create(&k->t, NULL);
	ck_assert_msg(k->b, "kvm backend create failed: %s", strerror(errno));
}

/**
 * kh_teardown() - destroy the backend and everything its handles hold
 * @k: harness
 *
 * Context: Check fixture.
 */
void kh_teardown(struct kh *k)
{
	ck_assert_int_eq(kvm_backend_ops.destroy(k->b, NULL, 0), 0);
	k->b = NULL;
}

/**
 * kh_require_kvm() - exit 77 (skip) when /dev/kvm is unusable
 * @test: name for the message
 *
 * Context: main(), before any test runs.
 */
void kh_require_kvm(const char *test)
{
	if (!kvm_available()) {
		printf("%s: %s not available, skipping\n", test, KVM_DEV_PATH);
		exit(KSFT_SKIP);
	}
}

/**
 * kh_errname() - symbolic errno for messages
 * @err: positive errno
 *
 * Context: any; the buffer for unknown values is per thread.
 * Return: "EINVAL" etc., or "errno N".
 */
const char *kh_errname(int err)
{
	static __thread char buf[32];

	switch (err) {
	case EINVAL: return "EINVAL";
	case EEXIST: return "EEXIST";
	case ENODEV: return "ENODEV";
	case EBADF: return "EBADF";
	case EFAULT: return "EFAULT";
	case ENOTTY: return "ENOTTY";
	case EOPNOTSUPP: return "EOPNOTSUPP";
	case ENOENT: return "ENOENT";
	case EACCES: return "EACCES";
	case EPERM: return "EPERM";
	case ENOMEM: return "ENOMEM";
	case ENOSPC: return "ENOSPC";
	}
	snprintf(buf, sizeof(buf), "errno %d", err);
	return buf;
}

/**
 * kh_fmt() - one-line description of a result
 * @r: result
 *
 * Context: any; the buffer is per thread and reused by the next call.
 * Return: the text.
 */
const char *kh_fmt(const struct trace_result *r)
{
	static __thread char buf[160];

	switch (r->kind) {
	case TRES_OK:
		snprintf(buf, sizeof(buf), "ok ret=%lld value=%d", (long long)r->ret, r->value);
		break;
	case TRES_ERRNO:
		snprintf(buf, sizeof(buf), "%s", kh_errname(r->err));
		break;
	case TRES_EXIT:
		snprintf(buf, sizeof(buf), "exit(%s, gpa=0x%llx size=0x%llx flags=0x%llx) %s",
			 kvm_exit_reason_str(r->exit_reason), (unsigned long long)r->mf_gpa,
			 (unsigned long long)r->mf_size, (unsigned long long)r->mf_flags,
			 r->err ? kh_errname(r->err) : "");
		break;
	case TRES_SIGBUS:
		return "SIGBUS";
	case TRES_SKIPPED:
		return "skipped";
	}
	return buf;
}

/**
 * kh_run_suite() - run a suite and map the outcome to an exit status
 * @s: suite (freed)
 *
 * Context: main().
 * Return: EXIT_SUCCESS if no test failed, else EXIT_FAILURE.
 */
int kh_run_suite(Suite *s)
{
	SRunner *sr = srunner_create(s);
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
