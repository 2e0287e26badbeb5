// SPDX-License-Identifier: GPL-2.0
/*
 * Canonical printer, equality and release of struct trace.
 *
 * Not a kernel file.  The normal form (traces/README.md, "Canonical form"):
 *   - "requires:" on one line if anything is required, then "setup:" if it
 *     has calls, every thread (even empty), "final:" if it has calls;
 *   - one call per line, indented by a tab;
 *   - the first argument positional when it names a handle or is the op's
 *     only argument, every other argument as name=value, in table order;
 *   - arguments equal to their default left out;
 *   - numbers as the op table says (names for constants, K/M/G/T for
 *     sizes, hex for addresses), expectations as the parser reads them.
 * Comments and blank lines are not kept.  parse(print(x)) == x, and
 * print(parse(print(x))) == print(x).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "trace/ir.h"
#include "trace/trace_int.h"

/**
 * sb_init_fixed() - a string builder over a caller's buffer
 * @sb: builder
 * @buf: buffer; output is cut to fit and stays NUL-terminated
 * @cap: its size
 *
 * Context: any.
 */
void sb_init_fixed(struct sbuf *sb, char *buf, size_t cap)
{
	memset(sb, 0, sizeof(*sb));
	sb->buf = buf;
	sb->cap = cap;
	sb->fixed = true;
	if (cap)
		buf[0] = 0;
}

static void sb_vprintf(struct sbuf *sb, const char *fmt, va_list ap)
{
	va_list aq;
	size_t want, ncap;
	char *nbuf;
	int n;

	if (sb->oom)
		return;
	va_copy(aq, ap);
	n = vsnprintf(NULL, 0, fmt, aq);
	va_end(aq);
	if (n < 0)
		return;
	want = sb->len + (size_t)n + 1;
	if (want > sb->cap && !sb->fixed) {
		ncap = sb->cap ? sb->cap : 256;
		while (ncap < want)
			ncap *= 2;
		nbuf = realloc(sb->buf, ncap);
		if (!nbuf) {
			sb->oom = true;
			return;
		}
		sb->buf = nbuf;
		sb->cap = ncap;
	}
	if (!sb->cap)
		return;
	vsnprintf(sb->buf + sb->len, sb->cap - sb->len, fmt, ap);
	sb->len += n;
	if (sb->len >= sb->cap)
		sb->len = sb->cap - 1;	/* fixed buffer: truncated */
}

/**
 * sb_printf() - append formatted text
 * @sb: builder; a growing one reallocates, a fixed one truncates
 * @fmt: printf format
 *
 * Context: may allocate (growing builders).
 */
void sb_printf(struct sbuf *sb, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	sb_vprintf(sb, fmt, ap);
	va_end(ap);
}

/**
 * sb_puts() - append a string
 * @sb: builder
 * @s: string
 *
 * Context: may allocate (growing builders).
 */
void sb_puts(struct sbuf *sb, const char *s)
{
	sb_printf(sb, "%s", s);
}

/**
 * trace_fmt_number() - a number in one of the trace language's styles
 * @sb: builder
 * @v: value
 * @fmt: decimal, hex, size (K/M/G/T when exact, else hex) or byte (0x%02x)
 *
 * Every style reads back as the same value.
 *
 * Context: may allocate.
 */
void trace_fmt_number(struct sbuf *sb, uint64_t v, enum trace_num_fmt fmt)
{
	static const char suffix[] = "KMGT";
	int i;

	switch (fmt) {
	case TFMT_DEC:
		sb_printf(sb, "%llu", (unsigned long long)v);
		return;
	case TFMT_BYTE:
		sb_printf(sb, "0x%02llx", (unsigned long long)v);
		return;
	case TFMT_SIZE:
		if (v == 0) {
			sb_puts(sb, "0");
			return;
		}
		for (i = 3; i >= 0; i--) {
			uint64_t unit = 1ull << (10 * (i + 1));

			if (v % unit == 0) {
				sb_printf(sb, "%llu%c", (unsigned long long)(v / unit), suffix[i]);
				return;
			}
		}
		/* not a whole number of KiB: hex, as an address */
		__attribute__((fallthrough));
	case TFMT_HEX:
		if (v < 10)
			sb_printf(sb, "%llu", (unsigned long long)v);
		else
			sb_printf(sb, "0x%llx", (unsigned long long)v);
		return;
	}
}

/**
 * trace_fmt_value() - a value of constant family @cls
 * @sb: builder
 * @v: value
 * @cls: family; flags print as NAME|NAME|0xrest, enumerations as a name
 * @fmt: style for what no name covers
 *
 * Context: may allocate.
 */
void trace_fmt_value(struct sbuf *sb, uint64_t v, enum trace_const_class cls,
		     enum trace_num_fmt fmt)
{
	const char *name;
	uint64_t bit, rest = v;
	bool first = true;
	int i;

	if (!trace_const_is_flags(cls)) {
		name = trace_const_name(cls, v);
		if (name)
			sb_puts(sb, name);
		else
			trace_fmt_number(sb, v, fmt);
		return;
	}
	for (i = 0; i < 64 && rest; i++) {
		bit = 1ull << i;
		if (!(rest & bit) || !(name = trace_const_name(cls, bit)))
			continue;
		sb_printf(sb, "%s%s", first ? "" : "|", name);
		rest &= ~bit;
		first = false;
	}
	if (rest || first) {
		if (!first)
			sb_puts(sb, "|");
		trace_fmt_number(sb, rest, TFMT_HEX);
	}
}

static void fmt_ret(struct sbuf *sb, uint64_t v)
{
	if (v < 0x10000)
		sb_printf(sb, "%llu", (unsigned long long)v);
	else
		sb_printf(sb, "0x%llx", (unsigned long long)v);
}

/**
 * trace_fmt_alt() - one alternative of an expectation, as the parser reads it
 * @sb: builder
 * @a: alternative
 * @reads_value: the op's numbers are byte values (unused: has_value says it)
 *
 * Context: may allocate.
 */
void trace_fmt_alt(struct sbuf *sb, const struct trace_expect_alt *a, bool reads_value)
{
	const char *e = a->has_err ? trace_errno_name(a->err) : NULL;

	switch (a->kind) {
	case TRES_OK:
		if (a->has_value && a->value == TRACE_VALUE_MIXED)
			sb_puts(sb, "MIXED");
		else if (a->has_value)
			sb_printf(sb, "0x%02x", a->value & 0xff);
		else if (a->has_ret)
			fmt_ret(sb, (uint64_t)a->ret);
		else
			sb_puts(sb, "ok");
		break;
	case TRES_ERRNO:
		if (e)
			sb_puts(sb, e);
		else if (a->has_err)
			sb_printf(sb, "errno %d", a->err);	/* not parseable: no name */
		else
			sb_puts(sb, "error");
		break;
	case TRES_EXIT:
		sb_puts(sb, "exit(");
		if (a->has_exit) {
			trace_fmt_value(sb, a->exit_reason, TCC_EXIT_REASON, TFMT_DEC);
			if (a->has_mf_gpa) {
				sb_puts(sb, ", gpa=");
				trace_fmt_number(sb, a->mf_gpa, TFMT_HEX);
			}
			if (a->has_mf_size) {
				sb_puts(sb, ", size=");
				trace_fmt_number(sb, a->mf_size, TFMT_SIZE);
			}
			if (a->has_mf_flags) {
				sb_puts(sb, ", flags=");
				trace_fmt_value(sb, a->mf_flags, TCC_EXIT_FLAGS, TFMT_HEX);
			}
		}
		sb_puts(sb, ")");
		if (e)
			sb_printf(sb, " %s", e);
		else if (a->has_err)
			sb_printf(sb, " errno %d", a->err);
		break;
	case TRES_SIGBUS:
		sb_puts(sb, "SIGBUS");
		break;
	case TRES_SKIPPED:
		sb_puts(sb, "skipped");
		break;
	}
	if (a->has_remaining) {
		sb_puts(sb, " remaining=");
		trace_fmt_number(sb, a->remaining, TFMT_SIZE);
	}
}

static void print_arg(struct sbuf *sb, const struct trace *t, const struct trace_arg_info *ai,
		      const struct trace_arg *a)
{
	if (a->is_handle) {
		if (a->handle >= 0 && a->handle < t->nhandles)
			sb_puts(sb, t->handles[a->handle].name);
		else
			sb_printf(sb, "?handle%d", a->handle);
		return;
	}
	trace_fmt_value(sb, a->value, ai->cls, ai->fmt);
}

static void print_call(struct sbuf *sb, const struct trace *t, const struct trace_call *c)
{
	const struct trace_op_info *oi = trace_op_info(c->op);
	const struct trace_arg_info *ai;
	const struct trace_arg *a;
	bool first = true;
	int i, n;

	sb_puts(sb, "\t");
	if (c->bind >= 0 && c->bind < t->nhandles)
		sb_printf(sb, "%s = ", t->handles[c->bind].name);
	if (!oi) {
		sb_printf(sb, "invalid_op_%d()\n", (int)c->op);
		return;
	}
	sb_printf(sb, "%s(", oi->name);
	n = c->nargs < oi->nargs ? c->nargs : oi->nargs;
	for (i = 0; i < n; i++) {
		ai = &oi->args[i];
		a = &c->args[i];
		if (!a->is_handle && ai->has_default && a->value == ai->def)
			continue;
		sb_puts(sb, first ? "" : ", ");
		if (!(i == 0 && (ai->kind != TARG_NUM || oi->nargs == 1)))
			sb_printf(sb, "%s=", ai->name);
		print_arg(sb, t, ai, a);
		first = false;
	}
	sb_puts(sb, ")");
	for (i = 0; i < c->expect.nalts && i < TRACE_MAX_ALTS; i++) {
		sb_puts(sb, i ? " | " : " -> ");
		trace_fmt_alt(sb, &c->expect.alt[i], oi->reads_value);
	}
	sb_puts(sb, "\n");
}

/**
 * trace_op_signature() - an op's argument list as the README shows it
 * @op: operation
 * @buf: output
 * @len: size of @buf
 *
 * Context: any.
 */
void trace_op_signature(enum trace_op op, char *buf, size_t len)
{
	const struct trace_op_info *oi = trace_op_info(op);
	const struct trace_arg_info *ai;
	struct sbuf sb;
	int i;

	if (!len)
		return;
	sb_init_fixed(&sb, buf, len);
	if (!oi) {
		sb_puts(&sb, "invalid");
		return;
	}
	sb_printf(&sb, "%s(", oi->name);
	for (i = 0; i < oi->nargs; i++) {
		ai = &oi->args[i];
		sb_printf(&sb, "%s%s%s", i ? ", " : "",
			  ai->kind == TARG_HANDLE ? "H " :
			  ai->kind == TARG_HANDLE_OR_NUM ? "H|num " : "", ai->name);
		if (ai->has_default) {
			sb_puts(&sb, "=");
			trace_fmt_value(&sb, ai->def, ai->cls, ai->fmt);
		}
	}
	sb_puts(&sb, ")");
}

static void print_requires(struct sbuf *sb, const struct trace_requires *r)
{
	const char *sep;
	int i;

	if (!r->has_vm_type && !r->backends && !r->ncaps && !r->profile[0])
		return;
	sb_puts(sb, "requires:");
	if (r->has_vm_type) {
		sep = " vm=";
		for (i = 0; i < 32; i++) {
			if (!(r->vm_types & (1u << i)))
				continue;
			sb_puts(sb, sep);
			trace_fmt_value(sb, i, TCC_VM_TYPE, TFMT_DEC);
			sep = ",";
		}
	}
	if (r->backends) {
		sep = " backend=";
		if (r->backends & (1u << TRACE_BACKEND_MODEL)) {
			sb_printf(sb, "%smodel", sep);
			sep = ",";
		}
		if (r->backends & (1u << TRACE_BACKEND_KVM))
			sb_printf(sb, "%skvm", sep);
	}
	for (i = 0; i < r->ncaps && i < TRACE_MAX_CAPS; i++) {
		sb_puts(sb, " cap=");
		trace_fmt_value(sb, r->caps[i][0], TCC_CAP, TFMT_DEC);
		if (r->caps[i][1] != 1)
			sb_printf(sb, ">=%llu", (unsigned long long)r->caps[i][1]);
	}
	if (r->profile[0])
		sb_printf(sb, " profile=%.*s", (int)sizeof(r->profile), r->profile);
	sb_puts(sb, "\n");
}

static void print_section(struct sbuf *sb, const struct trace *t, const struct trace_thread *thr)
{
	int i;

	for (i = 0; i < thr->ncalls; i++)
		print_call(sb, t, &thr->calls[i]);
}

/**
 * trace_print() - the canonical text of a trace
 * @t: trace
 *
 * Context: any; allocates.
 * Return: a malloc'ed NUL-terminated string (the caller frees it), or NULL
 * if memory ran out.
 */
char *trace_print(const struct trace *t)
{
	struct sbuf sb = { 0 };
	int i;

	print_requires(&sb, &t->req);
	if (t->setup.ncalls) {
		sb_puts(&sb, "setup:\n");
		print_section(&sb, t, &t->setup);
	}
	for (i = 0; i < t->nthreads && i < TRACE_MAX_THREADS; i++) {
		sb_printf(&sb, "thread %s:\n", t->threads[i].name);
		print_section(&sb, t, &t->threads[i]);
	}
	if (t->final.ncalls) {
		sb_puts(&sb, "final:\n");
		print_section(&sb, t, &t->final);
	}
	if (!sb.buf && !sb.oom)
		sb_puts(&sb, "");
	if (sb.oom) {
		free(sb.buf);
		return NULL;
	}
	return sb.buf;
}

/**
 * trace_free() - release what a parsed trace holds
 * @t: trace from trace_parse_*(); may be empty or already freed
 *
 * Context: any.
 */
void trace_free(struct trace *t)
{
	int i;

	free(t->setup.calls);
	for (i = 0; i < TRACE_MAX_THREADS; i++) {
		free(t->threads[i].calls);
		t->threads[i].calls = NULL;
		t->threads[i].ncalls = 0;
	}
	free(t->final.calls);
	t->setup.calls = t->final.calls = NULL;
	t->setup.ncalls = t->final.ncalls = 0;
	t->nthreads = 0;
}

static bool alt_equal(const struct trace_expect_alt *a, const struct trace_expect_alt *b)
{
	return a->kind == b->kind &&
	       a->has_ret == b->has_ret && (!a->has_ret || a->ret == b->ret) &&
	       a->has_err == b->has_err && (!a->has_err || a->err == b->err) &&
	       a->has_value == b->has_value && (!a->has_value || a->value == b->value) &&
	       a->has_exit == b->has_exit && (!a->has_exit || a->exit_reason == b->exit_reason) &&
	       a->has_mf_gpa == b->has_mf_gpa && (!a->has_mf_gpa || a->mf_gpa == b->mf_gpa) &&
	       a->has_mf_size == b->has_mf_size && (!a->has_mf_size || a->mf_size == b->mf_size) &&
	       a->has_mf_flags == b->has_mf_flags && (!a->has_mf_flags || a->mf_flags == b->mf_flags) &&
	       a->has_remaining == b->has_remaining &&
	       (!a->has_remaining || a->remaining == b->remaining);
}

static bool call_equal(const struct trace_call *a, const struct trace_call *b)
{
	int i;

	if (a->op != b->op || a->nargs != b->nargs || a->bind != b->bind ||
	    a->expect.nalts != b->expect.nalts)
		return false;
	for (i = 0; i < a->nargs && i < TRACE_MAX_ARGS; i++) {
		if (a->args[i].is_handle != b->args[i].is_handle)
			return false;
		if (a->args[i].is_handle ? a->args[i].handle != b->args[i].handle :
					   a->args[i].value != b->args[i].value)
			return false;
	}
	for (i = 0; i < a->expect.nalts && i < TRACE_MAX_ALTS; i++) {
		if (!alt_equal(&a->expect.alt[i], &b->expect.alt[i]))
			return false;
	}
	return true;
}

static bool section_equal(const struct trace_thread *a, const struct trace_thread *b)
{
	int i;

	if (strncmp(a->name, b->name, sizeof(a->name)) || a->ncalls != b->ncalls)
		return false;
	for (i = 0; i < a->ncalls; i++) {
		if (!call_equal(&a->calls[i], &b->calls[i]))
			return false;
	}
	return true;
}

/**
 * trace_equal() - do two traces mean the same?
 * @a: trace
 * @b: trace
 *
 * Compares what the text says: requirements, handles, sections, calls,
 * arguments and expectations.  The file name and the line numbers of calls
 * are not compared, so a trace equals its own canonical reprint.
 *
 * Context: any.
 * Return: true if equal.
 */
bool trace_equal(const struct trace *a, const struct trace *b)
{
	const struct trace_requires *ra = &a->req, *rb = &b->req;
	int i;

	if (ra->has_vm_type != rb->has_vm_type || ra->vm_types != rb->vm_types ||
	    ra->ncaps != rb->ncaps || ra->backends != rb->backends ||
	    strncmp(ra->profile, rb->profile, sizeof(ra->profile)))
		return false;
	for (i = 0; i < ra->ncaps && i < TRACE_MAX_CAPS; i++) {
		if (ra->caps[i][0] != rb->caps[i][0] || ra->caps[i][1] != rb->caps[i][1])
			return false;
	}
	if (a->nhandles != b->nhandles || a->nthreads != b->nthreads)
		return false;
	for (i = 0; i < a->nhandles && i < TRACE_MAX_HANDLES; i++) {
		if (strncmp(a->handles[i].name, b->handles[i].name, sizeof(a->handles[i].name)) ||
		    a->handles[i].defined_by != b->handles[i].defined_by)
			return false;
	}
	if (!section_equal(&a->setup, &b->setup) || !section_equal(&a->final, &b->final))
		return false;
	for (i = 0; i < a->nthreads && i < TRACE_MAX_THREADS; i++) {
		if (!section_equal(&a->threads[i], &b->threads[i]))
			return false;
	}
	return true;
}
