// SPDX-License-Identifier: GPL-2.0
/*
 * Trace parser: text (traces/README.md) to struct trace (ir.h).
 *
 * Not a kernel file.  Written to be fed hostile bytes by a fuzzer: every
 * read is bounded by the current line, every number is checked for
 * overflow, every table has a cap (ir.h TRACE_MAX_*), and the first error
 * is reported as "file:line:col: expected <what>, got <what>" and stops the
 * parse, after which nothing stays allocated.
 *
 * The parser works line by line; a line is cut at its first '#' (there are
 * no strings in the language, so '#' always starts a comment).  Columns are
 * 1-based byte offsets, a tab counting as one.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "trace/parse_int.h"

/* Biggest file trace_parse_file() reads: far above any hand-written trace. */
#define TRACE_MAX_FILE	(16u << 20)

/* ---- handles ----------------------------------------------------------- */

static int find_handle(const struct trace *t, const char *s, size_t n)
{
	int i;

	for (i = 0; i < t->nhandles; i++) {
		if (strlen(t->handles[i].name) == n && !memcmp(t->handles[i].name, s, n))
			return i;
	}
	return -1;
}

static bool visible(const struct parser *p, int h)
{
	return p->scope[h] == SCOPE_SETUP || p->scope[h] == p->tid || p->tid == SCOPE_FINAL;
}

static int handle_ref(struct parser *p, const char *argname, bool or_num, struct trace_arg *a)
{
	const char *s = NULL;
	size_t n, start;
	char what[96];
	int h;

	skip_ws(p);
	start = p->cur;
	if (or_num && start < p->llen && is_digit(p->line[start])) {
		a->is_handle = false;
		return tp_expr(p, TCC_NONE, true, &a->value);
	}
	n = ident(p, &s);
	if (!n) {
		snprintf(what, sizeof(what), "a handle%s for '%s'", or_num ? " or a number" : "",
			 argname);
		return tp_expected(p, start, what);
	}
	h = find_handle(p->t, s, n);
	if (h < 0)
		return tp_fail_at(p, start, "expected a handle bound earlier, got '%.*s'",
				  (int)(n > 40 ? 40 : n), s);
	if (!visible(p, h))
		return tp_fail_at(p, start,
				  "expected a handle bound in setup or this thread, got '%.*s' (bound in another thread on line %d)",
				  (int)n, s, p->bound_on[h]);
	a->is_handle = true;
	a->handle = h;
	a->value = 0;
	return 0;
}

static int arg_value(struct parser *p, const struct trace_arg_info *ai, struct trace_arg *a)
{
	switch (ai->kind) {
	case TARG_HANDLE:
		return handle_ref(p, ai->name, false, a);
	case TARG_HANDLE_OR_NUM:
		return handle_ref(p, ai->name, true, a);
	case TARG_NUM:
		break;
	}
	a->is_handle = false;
	return tp_expr(p, ai->cls, true, &a->value);
}

static void list_args(const struct trace_op_info *oi, char *buf, size_t n)
{
	size_t used = 0;
	int i;

	buf[0] = 0;
	for (i = 0; i < oi->nargs && used < n; i++)
		used += snprintf(buf + used, n - used, "%s%s", i ? ", " : "", oi->args[i].name);
}

/* '(' already consumed; fills every argument, defaults included. */
static int call_args(struct parser *p, const struct trace_op_info *oi, struct trace_call *c)
{
	bool given[TRACE_MAX_ARGS] = { false };
	bool named = false;
	const char *s = NULL;
	char names[160], what[256];
	size_t n, start, save;
	int i, pos = 0;

	c->nargs = oi->nargs;
	if (!accept(p, ')')) {
		for (;;) {
			skip_ws(p);
			start = p->cur;
			save = p->cur;
			n = ident(p, &s);
			if (n && peek(p, '=')) {
				p->cur++;
				for (i = 0; i < oi->nargs; i++) {
					if (ident_is(s, n, oi->args[i].name))
						break;
				}
				if (i == oi->nargs) {
					list_args(oi, names, sizeof(names));
					snprintf(what, sizeof(what), "an argument of %s (%s)",
						 oi->name, oi->nargs ? names : "none");
					return tp_expected(p, start, what);
				}
				if (given[i])
					return tp_fail_at(p, start,
							  "expected each argument once, got '%s' again",
							  oi->args[i].name);
				named = true;
			} else {
				p->cur = save;
				if (named)
					return tp_expected(p, start,
							   "a named argument (name=value) after a named one");
				if (pos >= oi->nargs) {
					snprintf(what, sizeof(what), "at most %d argument%s to %s",
						 oi->nargs, oi->nargs == 1 ? "" : "s", oi->name);
					return tp_expected(p, start, what);
				}
				i = pos++;
			}
			if (arg_value(p, &oi->args[i], &c->args[i]))
				return -1;
			given[i] = true;
			if (accept(p, ')'))
				break;
			if (!accept(p, ','))
				return tp_expected(p, p->cur, "',' or ')'");
			if (peek(p, ')'))
				return tp_expected(p, p->cur, "an argument after ','");
		}
	}
	for (i = 0; i < oi->nargs; i++) {
		if (given[i])
			continue;
		if (!oi->args[i].has_default) {
			list_args(oi, names, sizeof(names));
			return tp_fail_at(p, p->cur ? p->cur - 1 : 0,
					  "expected a value for '%s' (%s takes %s), got ')'",
				       oi->args[i].name, oi->name, names);
		}
		c->args[i].is_handle = false;
		c->args[i].value = oi->args[i].def;
	}
	return 0;
}

/* ---- calls, sections, header ------------------------------------------- */

static int add_call(struct parser *p, struct trace_call **out)
{
	struct trace_thread *thr = p->thr;
	struct trace_call *calls;
	int n = thr->ncalls;

	if (n == TRACE_MAX_CALLS)
		return tp_fail_at(p, 0, "expected at most %d calls in a section, got more",
				  TRACE_MAX_CALLS);
	/*
	 * The capacity is implied by ncalls: 8, then doubled each time
	 * ncalls reaches a power of two, so struct trace_thread needs no
	 * extra field.
	 */
	if (n == 0 || (n >= 8 && !(n & (n - 1)))) {
		calls = realloc(thr->calls, (n ? 2 * n : 8) * sizeof(*calls));
		if (!calls)
			return tp_fail_at(p, 0, "expected memory for a call, got allocation failure");
		thr->calls = calls;
	}
	*out = &thr->calls[thr->ncalls++];
	memset(*out, 0, sizeof(**out));
	(*out)->bind = -1;
	(*out)->line = p->lineno;
	return 0;
}

/* A call line, from the op name on; @bind/@bind_len name the handle if any. */
static int call_line(struct parser *p, size_t op_col, const char *opname, size_t oplen,
		     const char *bind, size_t bind_len, size_t bind_col)
{
	const struct trace_op_info *oi;
	struct trace_call *c = NULL;
	struct trace_handle *h;
	enum trace_op op;
	int hi;

	if (p->sec == SEC_HEADER)
		return tp_fail_at(p, op_col, "expected a section header (setup:, thread NAME:, final:) before calls, got '%.*s%s'",
				  (int)(oplen > 40 ? 40 : oplen), opname, oplen > 40 ? "..." : "");
	op = trace_op_lookup(opname, oplen);
	oi = trace_op_info(op);
	if (!oi)
		return tp_fail_at(p, op_col, "expected an operation name, got '%.*s%s'",
				  (int)(oplen > 40 ? 40 : oplen), opname, oplen > 40 ? "..." : "");
	if (bind && !oi->binds)
		return tp_fail_at(p, op_col, "expected an operation that returns a handle after '=', got '%s'",
				  oi->name);
	if (expect_char(p, '(', "'(' after the operation name"))
		return -1;
	if (add_call(p, &c))
		return -1;
	c->op = op;
	if (call_args(p, oi, c))
		return -1;
	skip_ws(p);
	if (p->cur + 1 < p->llen && p->line[p->cur] == '-' && p->line[p->cur + 1] == '>') {
		p->cur += 2;
		if (tp_expectation(p, c, oi, &c->expect))
			return -1;
	}
	if (expect_eol(p))
		return -1;
	if (!bind)
		return 0;
	if (bind_len > TRACE_MAX_NAME)
		return tp_fail_at(p, bind_col, "expected a handle name of at most %d characters, got '%.*s...'",
				  TRACE_MAX_NAME, TRACE_MAX_NAME, bind);
	hi = find_handle(p->t, bind, bind_len);
	if (hi >= 0)
		return tp_fail_at(p, bind_col, "expected a new handle name, got '%.*s' (bound on line %d)",
				  (int)bind_len, bind, p->bound_on[hi]);
	if (p->t->nhandles == TRACE_MAX_HANDLES)
		return tp_fail_at(p, bind_col, "expected at most %d handles, got more", TRACE_MAX_HANDLES);
	hi = p->t->nhandles++;
	h = &p->t->handles[hi];
	memcpy(h->name, bind, bind_len);
	h->name[bind_len] = 0;
	h->defined_by = op;
	p->scope[hi] = p->tid;
	p->bound_on[hi] = p->lineno;
	c->bind = hi;
	return 0;
}

static int thread_header(struct parser *p)
{
	struct trace *t = p->t;
	const char *s = NULL;
	size_t n, start;
	int i;

	if (p->sec == SEC_FINAL)
		return tp_fail_at(p, 0, "expected thread sections before final:, got 'thread' after it");
	skip_ws(p);
	start = p->cur;
	n = ident(p, &s);
	if (!n)
		return tp_expected(p, start, "a thread name");
	if (n > TRACE_MAX_NAME)
		return tp_fail_at(p, start, "expected a thread name of at most %d characters, got '%.*s...'",
				  TRACE_MAX_NAME, TRACE_MAX_NAME, s);
	for (i = 0; i < t->nthreads; i++) {
		if (ident_is(s, n, t->threads[i].name))
			return tp_fail_at(p, start, "expected a new thread name, got '%.*s' again",
					  (int)n, s);
	}
	if (t->nthreads == TRACE_MAX_THREADS)
		return tp_fail_at(p, 0, "expected at most %d threads, got more", TRACE_MAX_THREADS);
	if (expect_char(p, ':', "':' after the thread name") || expect_eol(p))
		return -1;
	p->tid = t->nthreads++;
	p->thr = &t->threads[p->tid];
	memcpy(p->thr->name, s, n);
	p->thr->name[n] = 0;
	p->sec = SEC_THREAD;
	return 0;
}

static int requires_item(struct parser *p)
{
	struct trace_requires *r = &p->t->req;
	const char *s = NULL, *v = NULL;
	size_t n, m, start = p->cur, vstart;
	uint64_t val;

	n = ident(p, &s);
	if (!n || !accept(p, '='))
		return tp_expected(p, start, "vm=, backend=, cap= or profile=");
	if (ident_is(s, n, "vm")) {
		do {
			if (tp_expr(p, TCC_VM_TYPE, false, &val))
				return -1;
			if (val >= 32)
				return tp_fail_at(p, p->cur, "expected a VM type below 32, got %llu",
						  (unsigned long long)val);
			r->vm_types |= 1u << val;
			r->has_vm_type = true;
		} while (accept(p, ','));
	} else if (ident_is(s, n, "backend")) {
		do {
			skip_ws(p);
			vstart = p->cur;
			m = ident(p, &v);
			if (m && ident_is(v, m, "model"))
				r->backends |= 1u << TRACE_BACKEND_MODEL;
			else if (m && ident_is(v, m, "kvm"))
				r->backends |= 1u << TRACE_BACKEND_KVM;
			else
				return tp_expected(p, vstart, "a backend (model, kvm)");
		} while (accept(p, ','));
	} else if (ident_is(s, n, "cap")) {
		if (r->ncaps == TRACE_MAX_CAPS)
			return tp_fail_at(p, start, "expected at most %d cap= items, got more",
					  TRACE_MAX_CAPS);
		if (tp_expr(p, TCC_CAP, false, &r->caps[r->ncaps][0]))
			return -1;
		r->caps[r->ncaps][1] = 1;
		skip_ws(p);
		if (p->cur + 1 < p->llen && p->line[p->cur] == '>' && p->line[p->cur + 1] == '=') {
			p->cur += 2;
			if (tp_sum(p, TCC_NONE, &r->caps[r->ncaps][1]))
				return -1;
		}
		r->ncaps++;
	} else if (ident_is(s, n, "profile")) {
		skip_ws(p);
		vstart = p->cur;
		while (p->cur < p->llen && (is_ident_char(p->line[p->cur]) ||
					    p->line[p->cur] == '.' || p->line[p->cur] == '-'))
			p->cur++;
		m = p->cur - vstart;
		if (!m || m >= sizeof(r->profile))
			return tp_fail_at(p, vstart, "expected a profile name of 1..%zu characters (e.g. 7.1), got %s",
					  sizeof(r->profile) - 1, m ? "a longer one" : "none");
		memcpy(r->profile, p->line + vstart, m);
		r->profile[m] = 0;
	} else {
		return tp_fail_at(p, start, "expected vm=, backend=, cap= or profile=, got '%.*s='",
				  (int)(n > 40 ? 40 : n), s);
	}
	return 0;
}

static int section_header(struct parser *p, const char *s, size_t n, size_t start)
{
	if (ident_is(s, n, "requires")) {
		if (p->sec != SEC_HEADER)
			return tp_fail_at(p, start, "expected requires: before the first section, got it after");
		while (!at_eol(p)) {
			if (requires_item(p))
				return -1;
		}
		return 0;
	}
	if (ident_is(s, n, "setup")) {
		if (p->seen_setup)
			return tp_fail_at(p, start, "expected one setup: section, got a second");
		if (p->sec != SEC_HEADER)
			return tp_fail_at(p, start, "expected setup: before threads and final:, got it after");
		p->seen_setup = true;
		p->sec = SEC_SETUP;
		p->tid = SCOPE_SETUP;
		p->thr = &p->t->setup;
		return expect_eol(p);
	}
	if (ident_is(s, n, "thread"))
		return tp_fail_at(p, p->cur - 1, "expected a thread name before ':', got ':'");
	if (ident_is(s, n, "final")) {
		if (p->sec == SEC_FINAL)
			return tp_fail_at(p, start, "expected one final: section, got a second");
		p->sec = SEC_FINAL;
		p->tid = SCOPE_FINAL;
		p->thr = &p->t->final;
		return expect_eol(p);
	}
	return tp_fail_at(p, start, "expected a section (requires:, setup:, thread NAME:, final:), got '%.*s:'",
			  (int)(n > 40 ? 40 : n), s);
}

static int statement(struct parser *p)
{
	const char *s = NULL, *op = NULL;
	size_t n, m, start, op_col;

	skip_ws(p);
	start = p->cur;
	n = ident(p, &s);
	if (!n)
		return tp_expected(p, start, "a section header or a call");
	if (accept(p, ':'))
		return section_header(p, s, n, start);
	if (ident_is(s, n, "setup") || ident_is(s, n, "final") || ident_is(s, n, "requires")) {
		char what[32];

		snprintf(what, sizeof(what), "':' after '%.*s'", (int)n, s);
		return tp_expected(p, p->cur, what);
	}
	if (ident_is(s, n, "thread") && !peek(p, '=') && !peek(p, '('))
		return thread_header(p);
	if (accept(p, '=')) {
		skip_ws(p);
		op_col = p->cur;
		m = ident(p, &op);
		if (!m)
			return tp_expected(p, op_col, "an operation after '='");
		return call_line(p, op_col, op, m, s, n, start);
	}
	return call_line(p, start, s, n, NULL, 0, 0);
}

/*
 * Cut the next line out of the buffer, checking its bytes: outside comments
 * only printable ASCII, tab and CR; NUL nowhere.
 */
static int next_line(struct parser *p)
{
	const char *start = p->buf + p->next;
	const char *nl = memchr(start, '\n', p->len - p->next);
	size_t n = nl ? (size_t)(nl - start) : p->len - p->next;
	bool comment = false;
	unsigned char c;
	size_t i;

	p->lineno++;
	p->line = start;
	p->llen = n;
	p->cur = 0;
	p->next += n + (nl ? 1 : 0);
	if (n > TRACE_MAX_LINE) {
		p->llen = TRACE_MAX_LINE;
		return tp_fail_at(p, TRACE_MAX_LINE, "expected a line of at most %d bytes, got %zu",
				  TRACE_MAX_LINE, n);
	}
	for (i = 0; i < n; i++) {
		c = (unsigned char)start[i];
		if (c == '#' && !comment) {
			comment = true;
			p->llen = i;
		}
		if (c == 0)
			return tp_fail_at(p, i, "expected text, got a NUL byte");
		if (!comment && c != '\t' && c != '\r' && (c < ' ' || c >= 0x7f))
			return tp_fail_at(p, i, "expected printable ASCII outside comments, got byte 0x%02x",
					  c);
	}
	return 0;
}

/**
 * trace_parse_buf() - parse trace text
 * @name: file name for messages and t->path
 * @buf: the text; need not be NUL-terminated, may hold any bytes
 * @len: its length
 * @t: result; zeroed first, holds allocations only on success
 * @err: the first error, "name:line:col: expected ..., got ..."
 *
 * Context: any thread; no global state.  Time and memory are linear in
 * @len and bounded by the TRACE_MAX_* caps.
 * Return: 0 on success; -1 with @err filled and @t empty.
 */
int trace_parse_buf(const char *name, const char *buf, size_t len,
		    struct trace *t, struct trace_error *err)
{
	struct parser p = {
		.buf = buf, .len = len, .t = t, .err = err,
		.sec = SEC_HEADER, .tid = SCOPE_SETUP,
	};

	memset(t, 0, sizeof(*t));
	memset(err, 0, sizeof(*err));
	snprintf(t->path, sizeof(t->path), "%s", name ? name : "");
	snprintf(err->file, sizeof(err->file), "%s", name ? name : "");
	while (p.next < len) {
		if (next_line(&p))
			goto err_free;
		if (at_eol(&p))
			continue;
		if (statement(&p))
			goto err_free;
	}
	return 0;
err_free:
	trace_free(t);
	return -1;
}

/**
 * trace_parse_file() - parse the trace in file @path
 * @path: file to read (a pipe such as /dev/stdin works too)
 * @t: result, as for trace_parse_buf()
 * @err: the first error; line 0 if the file could not be read
 *
 * Context: may block on file I/O.
 * Return: 0 on success, -1 with @err filled.
 */
int trace_parse_file(const char *path, struct trace *t, struct trace_error *err)
{
	size_t len = 0, cap = 0, got;
	char *buf = NULL, *nbuf;
	FILE *f;
	int ret;

	memset(t, 0, sizeof(*t));
	memset(err, 0, sizeof(*err));
	snprintf(err->file, sizeof(err->file), "%s", path);
	errno = 0;
	f = fopen(path, "rb");
	if (!f)
		goto err_errno;
	/* Read to EOF rather than trust a size: pipes have none. */
	for (;;) {
		if (len > TRACE_MAX_FILE) {
			snprintf(err->msg, sizeof(err->msg),
				 "expected a file of at most %u bytes, got more", TRACE_MAX_FILE);
			goto err_free;
		}
		if (len == cap) {
			/* 64K doubling to TRACE_MAX_FILE, then one byte to see more. */
			cap = !cap ? 64 << 10 : cap < TRACE_MAX_FILE ? 2 * cap : TRACE_MAX_FILE + 1;
			nbuf = realloc(buf, cap);
			if (!nbuf)
				goto err_errno_free;
			buf = nbuf;
		}
		got = fread(buf + len, 1, cap - len, f);
		len += got;
		if (got)
			continue;
		if (ferror(f))
			goto err_errno_free;
		break;
	}
	fclose(f);
	ret = trace_parse_buf(path, buf, len, t, err);
	free(buf);
	return ret;
err_errno_free:
	snprintf(err->msg, sizeof(err->msg), "expected a readable file, got %s",
		 errno ? strerror(errno) : "a read error");
err_free:
	free(buf);
	fclose(f);
	return -1;
err_errno:
	snprintf(err->msg, sizeof(err->msg), "expected a readable file, got %s",
		 errno ? strerror(errno) : "a read error");
	return -1;
}
