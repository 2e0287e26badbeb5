// SPDX-License-Identifier: GPL-2.0
/*
 * Trace parser, character level: error reports, numbers with K/M/G/T
 * suffixes, and expressions of numbers and symbolic constants joined by
 * '*', '+' and '|'.  Every number and intermediate result is checked for
 * 64-bit overflow.
 *
 * Not a kernel file.
 */
#include <stdarg.h>
#include <stdio.h>

#include "trace/parse_int.h"

/* What sits at @at, quoted, for the "got ..." half of a message. */
static void describe(const struct parser *p, size_t at, char *out, size_t n)
{
	size_t end = at;
	unsigned char c;

	if (at >= p->llen) {
		snprintf(out, n, "end of line");
		return;
	}
	c = (unsigned char)p->line[at];
	if (is_ident_char(c)) {
		while (end < p->llen && is_ident_char(p->line[end]))
			end++;
	} else if (c > ' ' && c < 0x7f) {
		end = at + 1;
		/* Two-character operators read better whole. */
		if (end < p->llen && ((c == '-' && p->line[end] == '>') ||
				      (c == '>' && p->line[end] == '=')))
			end++;
	} else if (c == ' ' || c == '\t') {
		snprintf(out, n, "%s", c == ' ' ? "a space" : "a tab");
		return;
	} else {
		snprintf(out, n, "byte 0x%02x", c);
		return;
	}
	if (end - at > 40)
		snprintf(out, n, "'%.40s...'", p->line + at);
	else
		snprintf(out, n, "'%.*s'", (int)(end - at), p->line + at);
}

/**
 * tp_fail_at() - record the first error of a parse
 * @p: parser
 * @col: 0-based offset into the current line
 * @fmt: message, "expected ..., got ..."
 *
 * Later errors are dropped: the first one is what the user must fix.
 *
 * Context: any.
 * Return: -1.
 */
int tp_fail_at(struct parser *p, size_t col, const char *fmt, ...)
{
	va_list ap;

	if (p->err->msg[0])
		return -1;
	p->err->line = p->lineno;
	p->err->col = (int)col + 1;
	va_start(ap, fmt);
	vsnprintf(p->err->msg, sizeof(p->err->msg), fmt, ap);
	va_end(ap);
	return -1;
}

/**
 * tp_expected() - report "expected @what, got <what is at @col>"
 * @p: parser
 * @col: 0-based offset into the current line
 * @what: what the grammar wanted there
 *
 * Context: any.
 * Return: -1, so that callers can "return tp_expected(...)".
 */
int tp_expected(struct parser *p, size_t col, const char *what)
{
	char got[64];

	describe(p, col, got, sizeof(got));
	return tp_fail_at(p, col, "expected %s, got %s", what, got);
}

/* ---- numbers and expressions ----------------------------------------- */

static const char *const family_what[TCC_NR] = {
	[TCC_NONE]		= "a number",
	[TCC_VM_TYPE]		= "a VM type (DEFAULT, SW_PROTECTED, SEV, SEV_ES, SNP, TDX) or a number",
	[TCC_MEMSLOT_FLAGS]	= "memslot flags (LOG_DIRTY_PAGES, READONLY, GUEST_MEMFD) or a number",
	[TCC_GMEM_FLAGS]	= "guest_memfd flags (MMAP, INIT_SHARED, NO_DIRECT_MAP) or a number",
	[TCC_ATTRS]		= "attributes (PRIVATE) or a number",
	[TCC_FALLOC_MODE]	= "a fallocate mode (KEEP_SIZE, PUNCH_HOLE) or a number",
	[TCC_PROT]		= "protection (PROT_READ, PROT_WRITE, PROT_EXEC, PROT_NONE) or a number",
	[TCC_MMAP_FLAGS]	= "mmap flags (SHARED, PRIVATE) or a number",
	[TCC_MADV]		= "madvise advice (DONTNEED, REMOVE, HUGEPAGE, NOHUGEPAGE, COLLAPSE) or a number",
	[TCC_CAP]		= "a capability name (KVM_CAP_* without the prefix) or a number",
	[TCC_EXIT_REASON]	= "an exit reason (MEMORY_FAULT, MMIO, INTERNAL_ERROR, SHUTDOWN, HLT, ...) or a number",
	[TCC_EXIT_FLAGS]	= "memory-fault flags (PRIVATE) or a number",
	[TCC_ERRNO]		= "an errno name",
	[TCC_MPOL]		= "a memory policy mode (DEFAULT, PREFERRED, BIND, INTERLEAVE) or a number",
};

static int number(struct parser *p, uint64_t *out)
{
	size_t start = p->cur;
	uint64_t v = 0, mul = 1;
	unsigned int base = 10, digits = 0, d;
	char c;

	if (p->cur + 1 < p->llen && p->line[p->cur] == '0' &&
	    (p->line[p->cur + 1] == 'x' || p->line[p->cur + 1] == 'X')) {
		base = 16;
		p->cur += 2;
	}
	for (; p->cur < p->llen; p->cur++) {
		c = p->line[p->cur];
		if (is_digit(c))
			d = c - '0';
		else if (base == 16 && c >= 'a' && c <= 'f')
			d = c - 'a' + 10;
		else if (base == 16 && c >= 'A' && c <= 'F')
			d = c - 'A' + 10;
		else
			break;
		if (__builtin_mul_overflow(v, base, &v) || __builtin_add_overflow(v, d, &v))
			goto overflow;
		digits++;
	}
	if (!digits)
		return tp_expected(p, p->cur, "hex digits after 0x");
	if (p->cur < p->llen) {
		switch (p->line[p->cur]) {
		case 'K': mul = 1ull << 10; break;
		case 'M': mul = 1ull << 20; break;
		case 'G': mul = 1ull << 30; break;
		case 'T': mul = 1ull << 40; break;
		}
		if (mul != 1)
			p->cur++;
	}
	if (p->cur < p->llen && is_ident_char(p->line[p->cur]))
		return tp_fail_at(p, start, "expected a number (decimal or 0x hex, optional K/M/G/T), got '%.*s'",
				  (int)(p->cur + 1 - start), p->line + start);
	if (__builtin_mul_overflow(v, mul, &v))
		goto overflow;
	*out = v;
	return 0;
overflow:
	while (p->cur < p->llen && is_ident_char(p->line[p->cur]))
		p->cur++;
	return tp_fail_at(p, start, "expected a number that fits in 64 bits, got '%.*s'",
			  (int)(p->cur - start > 40 ? 40 : p->cur - start), p->line + start);
}

static int atom(struct parser *p, enum trace_const_class cls, uint64_t *out)
{
	const char *s = NULL;
	size_t n, start;

	skip_ws(p);
	start = p->cur;
	if (p->cur < p->llen && is_digit(p->line[p->cur]))
		return number(p, out);
	n = ident(p, &s);
	if (n && !trace_const_lookup(cls, s, n, out))
		return 0;
	return tp_expected(p, start, family_what[cls]);
}

static int product(struct parser *p, enum trace_const_class cls, uint64_t *out)
{
	uint64_t v, w;
	size_t at;

	if (atom(p, cls, &v))
		return -1;
	while (peek(p, '*')) {
		at = p->cur++;
		if (atom(p, cls, &w))
			return -1;
		if (__builtin_mul_overflow(v, w, &v))
			return tp_fail_at(p, at, "expected a product that fits in 64 bits, got an overflow");
	}
	*out = v;
	return 0;
}

/**
 * tp_sum() - parse product { '+' product } at the cursor
 * @p: parser
 * @cls: constant family whose names are accepted
 * @out: the value
 *
 * Context: any.
 * Return: 0, or -1 with the error recorded.
 */
int tp_sum(struct parser *p, enum trace_const_class cls, uint64_t *out)
{
	uint64_t v, w;
	size_t at;

	if (product(p, cls, &v))
		return -1;
	while (peek(p, '+')) {
		at = p->cur++;
		if (product(p, cls, &w))
			return -1;
		if (__builtin_add_overflow(v, w, &v))
			return tp_fail_at(p, at, "expected a sum that fits in 64 bits, got an overflow");
	}
	*out = v;
	return 0;
}

/**
 * tp_expr() - parse sum { '|' sum } at the cursor
 * @p: parser
 * @cls: constant family whose names are accepted
 * @bar: whether '|' joins flags here (false where it separates alternatives)
 * @out: the value
 *
 * Context: any.
 * Return: 0, or -1 with the error recorded.
 */
int tp_expr(struct parser *p, enum trace_const_class cls, bool bar, uint64_t *out)
{
	uint64_t v, w;

	if (tp_sum(p, cls, &v))
		return -1;
	while (bar && accept(p, '|')) {
		if (tp_sum(p, cls, &w))
			return -1;
		v |= w;
	}
	*out = v;
	return 0;
}
