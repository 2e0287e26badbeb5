// SPDX-License-Identifier: GPL-2.0
/*
 * Trace parser: the expectation after "->" (traces/README.md,
 * "Expectations"): alternatives joined by '|', each a return value, a byte
 * read, an errno, SIGBUS, an exit with optional memory-fault fields, with
 * remaining= for the ops that report it (pre_fault_memory, populate).
 *
 * Not a kernel file.
 */
#include <stdio.h>

#include "trace/parse_int.h"

static int exit_alt(struct parser *p, struct trace_expect_alt *a)
{
	const char *s = NULL;
	size_t n, start;
	uint64_t v;

	a->kind = TRES_EXIT;
	if (expect_char(p, '(', "'(' after exit"))
		return -1;
	if (!accept(p, ')')) {
		skip_ws(p);
		start = p->cur;
		if (tp_expr(p, TCC_EXIT_REASON, false, &v))
			return -1;
		if (v > UINT32_MAX)
			return tp_fail_at(p, start, "expected an exit reason below 2^32, got 0x%llx",
					  (unsigned long long)v);
		a->has_exit = true;
		a->exit_reason = (uint32_t)v;
		while (accept(p, ',')) {
			skip_ws(p);
			start = p->cur;
			n = ident(p, &s);
			if (n && ident_is(s, n, "gpa") && !a->has_mf_gpa) {
				a->has_mf_gpa = true;
				if (expect_char(p, '=', "'=' after gpa") ||
				    tp_expr(p, TCC_NONE, true, &a->mf_gpa))
					return -1;
			} else if (n && ident_is(s, n, "size") && !a->has_mf_size) {
				a->has_mf_size = true;
				if (expect_char(p, '=', "'=' after size") ||
				    tp_expr(p, TCC_NONE, true, &a->mf_size))
					return -1;
			} else if (n && ident_is(s, n, "flags") && !a->has_mf_flags) {
				a->has_mf_flags = true;
				if (expect_char(p, '=', "'=' after flags") ||
				    tp_expr(p, TCC_EXIT_FLAGS, true, &a->mf_flags))
					return -1;
			} else {
				return tp_expected(p, start, "one of gpa=, size=, flags= (each at most once)");
			}
		}
		if (expect_char(p, ')', "',' or ')'"))
			return -1;
	}
	skip_ws(p);
	start = p->cur;
	if (start < p->llen && is_ident_start(p->line[start])) {
		n = ident(p, &s);
		if (ident_is(s, n, "remaining")) {
			p->cur = start;
			return 0;
		}
		if (trace_const_lookup(TCC_ERRNO, s, n, &v))
			return tp_expected(p, start, "an errno name after exit(...)");
		a->has_err = true;
		a->err = (int)v;
	}
	return 0;
}

static int alt(struct parser *p, const struct trace_call *c, const struct trace_op_info *oi,
	       struct trace_expect_alt *a)
{
	const char *s = NULL;
	size_t n, start;
	uint64_t v;

	skip_ws(p);
	start = p->cur;
	if (start < p->llen && is_digit(p->line[start])) {
		if (tp_sum(p, TCC_NONE, &v))
			return -1;
		a->kind = TRES_OK;
		if (oi->reads_value) {
			if (v > 0xff)
				return tp_fail_at(p, start, "expected a byte value (0..0xff) read by %s, got 0x%llx",
						  oi->name, (unsigned long long)v);
			a->has_value = true;
			a->value = (int)v;
		} else {
			if (v > INT64_MAX)
				return tp_fail_at(p, start, "expected a return value below 2^63, got 0x%llx",
						  (unsigned long long)v);
			a->has_ret = true;
			a->ret = (int64_t)v;
		}
	} else {
		n = ident(p, &s);
		if (!n)
			goto bad;
		if (ident_is(s, n, "ok")) {
			a->kind = TRES_OK;
		} else if (ident_is(s, n, "error")) {
			a->kind = TRES_ERRNO;
		} else if (ident_is(s, n, "SIGBUS")) {
			a->kind = TRES_SIGBUS;
		} else if (ident_is(s, n, "skipped")) {
			a->kind = TRES_SKIPPED;
		} else if (ident_is(s, n, "MIXED")) {
			if (!oi->reads_value)
				return tp_fail_at(p, start, "expected a result of %s, got 'MIXED' (only reads see MIXED)",
						  oi->name);
			a->kind = TRES_OK;
			a->has_value = true;
			a->value = TRACE_VALUE_MIXED;
		} else if (ident_is(s, n, "exit")) {
			if (exit_alt(p, a))
				return -1;
		} else if (!trace_const_lookup(TCC_ERRNO, s, n, &v)) {
			a->kind = TRES_ERRNO;
			a->has_err = true;
			a->err = (int)v;
		} else {
			goto bad;
		}
	}
	for (;;) {
		skip_ws(p);
		start = p->cur;
		n = ident(p, &s);
		if (!n)
			break;
		if (!ident_is(s, n, "remaining") || !oi->reports_remaining || a->has_remaining)
			return tp_expected(p, start, "'|' or end of line");
		if (expect_char(p, '=', "'=' after remaining") ||
		    tp_sum(p, TCC_NONE, &a->remaining))
			return -1;
		a->has_remaining = true;
	}
	return 0;
bad:
	return tp_expected(p, start,
			   "a result (ok, a number, an errno name, error, SIGBUS, exit(...), MIXED, skipped)");
}

/**
 * tp_expectation() - parse the alternatives after "->"
 * @p: parser, cursor just after "->"
 * @c: the call (its op decides what a number and remaining= mean)
 * @oi: its op table row
 * @e: filled with up to TRACE_MAX_ALTS alternatives
 *
 * Context: any.
 * Return: 0, or -1 with the error recorded.
 */
int tp_expectation(struct parser *p, const struct trace_call *c,
		       const struct trace_op_info *oi, struct trace_expect *e)
{
	do {
		if (e->nalts == TRACE_MAX_ALTS)
			return tp_fail_at(p, p->cur, "expected at most %d alternatives, got more",
					  TRACE_MAX_ALTS);
		if (alt(p, c, oi, &e->alt[e->nalts]))
			return -1;
		e->nalts++;
	} while (accept(p, '|'));
	return 0;
}
