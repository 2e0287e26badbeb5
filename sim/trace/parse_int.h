/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Internals of the trace parser, shared by lex.c (characters, numbers,
 * expressions, error reports), expect.c (what follows "->") and parse.c
 * (lines, sections, calls).  Every helper reads only inside the current
 * line: p->line[0 .. p->llen).
 */
#ifndef GMEMSIM_TRACE_PARSE_INT_H
#define GMEMSIM_TRACE_PARSE_INT_H

#include <string.h>

#include "trace/ir.h"

/* Scope of a handle: where it was bound. */
#define SCOPE_SETUP	(-1)
#define SCOPE_FINAL	TRACE_MAX_THREADS

enum section { SEC_HEADER, SEC_SETUP, SEC_THREAD, SEC_FINAL };

/* One parse: the input, the current line and cursor, and what is built. */
struct parser {
	const char *buf;
	size_t len;
	size_t next;		/* start of the line after the current one */
	int lineno;
	const char *line;	/* current line, comment and newline cut off */
	size_t llen;
	size_t cur;		/* cursor into line */
	struct trace *t;
	struct trace_error *err;
	enum section sec;
	int tid;		/* current thread index, or a SCOPE_* */
	struct trace_thread *thr;	/* section receiving calls */
	bool seen_setup;
	int scope[TRACE_MAX_HANDLES];
	int bound_on[TRACE_MAX_HANDLES];	/* line of the binding */
};

static inline bool is_ident_start(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static inline bool is_ident_char(char c)
{
	return is_ident_start(c) || (c >= '0' && c <= '9');
}

static inline bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Record the first error at 0-based offset @col of the line; returns -1. */
int tp_fail_at(struct parser *p, size_t col, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* "expected <what>, got <whatever is at col>"; returns -1. */
int tp_expected(struct parser *p, size_t col, const char *what);
/* Expressions of numbers and names of family @cls (README "Numbers"). */
int tp_sum(struct parser *p, enum trace_const_class cls, uint64_t *out);
int tp_expr(struct parser *p, enum trace_const_class cls, bool bar, uint64_t *out);
/* The expectation after "->" of call @c (expect.c). */
int tp_expectation(struct parser *p, const struct trace_call *c,
		   const struct trace_op_info *oi, struct trace_expect *e);

static inline void skip_ws(struct parser *p)
{
	while (p->cur < p->llen && (p->line[p->cur] == ' ' || p->line[p->cur] == '\t' ||
				    p->line[p->cur] == '\r'))
		p->cur++;
}

static inline bool peek(struct parser *p, char c)
{
	skip_ws(p);
	return p->cur < p->llen && p->line[p->cur] == c;
}

static inline bool accept(struct parser *p, char c)
{
	if (!peek(p, c))
		return false;
	p->cur++;
	return true;
}

static inline int expect_char(struct parser *p, char c, const char *what)
{
	if (accept(p, c))
		return 0;
	return tp_expected(p, p->cur, what);
}

/* An identifier at the cursor: its start and length (0 if none). */
static inline size_t ident(struct parser *p, const char **s)
{
	size_t start;

	skip_ws(p);
	start = p->cur;
	if (start >= p->llen || !is_ident_start(p->line[start]))
		return 0;
	while (p->cur < p->llen && is_ident_char(p->line[p->cur]))
		p->cur++;
	*s = p->line + start;
	return p->cur - start;
}

static inline bool ident_is(const char *s, size_t n, const char *word)
{
	return strlen(word) == n && !memcmp(s, word, n);
}

static inline bool at_eol(struct parser *p)
{
	skip_ws(p);
	return p->cur >= p->llen;
}

static inline int expect_eol(struct parser *p)
{
	if (at_eol(p))
		return 0;
	return tp_expected(p, p->cur, "end of line");
}

#endif /* GMEMSIM_TRACE_PARSE_INT_H */
