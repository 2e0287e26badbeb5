// SPDX-License-Identifier: GPL-2.0
/*
 * Matching what a backend returned against the expectation written in the
 * trace, and formatting a result the way an expectation is written, so a
 * report line can be pasted back into a trace.
 *
 * Not a kernel file.
 */
#include <string.h>

#include "trace/ir.h"
#include "trace/trace_int.h"

/**
 * trace_result_init() - an empty result
 * @r: result to fill
 *
 * Backends start every call from this: kind TRES_OK, ret 0, no value read
 * (value = -2), no exit, nothing remaining.
 *
 * Context: any.
 */
void trace_result_init(struct trace_result *r)
{
	memset(r, 0, sizeof(*r));
	r->value = -2;
}

static bool alt_matches(const struct trace_expect_alt *a, const struct trace_result *r)
{
	if (a->kind != r->kind)
		return false;
	if (a->has_ret && a->ret != r->ret)
		return false;
	if (a->has_err && a->err != r->err)
		return false;
	if (a->has_value && a->value != r->value)
		return false;
	if (a->has_exit && a->exit_reason != r->exit_reason)
		return false;
	if (a->has_mf_gpa && a->mf_gpa != r->mf_gpa)
		return false;
	if (a->has_mf_size && a->mf_size != r->mf_size)
		return false;
	if (a->has_mf_flags && a->mf_flags != r->mf_flags)
		return false;
	if (a->has_remaining && a->remaining != r->remaining)
		return false;
	return true;
}

/**
 * trace_result_matches() - does @r satisfy expectation @e?
 * @e: expectation from the trace
 * @r: what the backend returned
 *
 * True if any alternative matches: same kind (ok, errno, exit, SIGBUS,
 * skipped) and every field the alternative specifies is equal; fields the
 * text left out are not compared.  An empty expectation (no "->") accepts
 * every result, a skipped result included: the runner decides what a skip
 * means.
 *
 * Context: any.
 * Return: true if @r is allowed by @e.
 */
bool trace_result_matches(const struct trace_expect *e, const struct trace_result *r)
{
	int i;

	if (e->nalts <= 0)
		return true;
	for (i = 0; i < e->nalts && i < TRACE_MAX_ALTS; i++) {
		if (alt_matches(&e->alt[i], r))
			return true;
	}
	return false;
}

/**
 * trace_result_format() - a result, written as an expectation would be
 * @r: result
 * @buf: output
 * @len: size of @buf; the text is cut to fit and always NUL-terminated
 *
 * "0", "0x11" or "MIXED" (a read), "EINVAL", "SIGBUS", "skipped",
 * "exit(MEMORY_FAULT, gpa=0x1000, size=4K, flags=PRIVATE) EFAULT",
 * "0 remaining=4K".  Every field that has a value is written, so the text
 * pasted after "->" matches @r exactly (fstat's st_blksize and st_ino are
 * the exception: the language has no words for them).
 *
 * Context: any.
 */
void trace_result_format(const struct trace_result *r, char *buf, size_t len)
{
	struct trace_expect_alt a = { .kind = r->kind };
	struct sbuf sb;

	if (!len)
		return;
	sb_init_fixed(&sb, buf, len);
	switch (r->kind) {
	case TRES_OK:
		if (r->value >= 0 || r->value == TRACE_VALUE_MIXED) {
			a.has_value = true;
			a.value = r->value;
		} else {
			a.has_ret = true;
			a.ret = r->ret;
		}
		break;
	case TRES_ERRNO:
		a.has_err = true;
		a.err = r->err;
		break;
	case TRES_EXIT:
		a.has_exit = true;
		a.exit_reason = r->exit_reason;
		a.has_err = r->err != 0;
		a.err = r->err;
		/* The memory_fault fields only mean something for that exit. */
		if (r->exit_reason == 39 /* KVM_EXIT_MEMORY_FAULT */) {
			a.has_mf_gpa = a.has_mf_size = a.has_mf_flags = true;
			a.mf_gpa = r->mf_gpa;
			a.mf_size = r->mf_size;
			a.mf_flags = r->mf_flags;
		}
		break;
	default:
		break;
	}
	if (r->remaining) {
		a.has_remaining = true;
		a.remaining = r->remaining;
	}
	if (a.kind == TRES_OK && a.has_ret && a.ret < 0) {
		/* Not a valid OK result; say so rather than print a huge number. */
		sb_printf(&sb, "ok(ret=%lld)", (long long)a.ret);
		return;
	}
	trace_fmt_alt(&sb, &a, a.has_value);
}
