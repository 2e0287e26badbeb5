/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Internals shared by the trace printer and the result formatter: a small
 * string builder and the number/constant/expectation writers, so that an
 * expectation prints the same way in a trace file and in a report.
 */
#ifndef GMEMSIM_TRACE_INT_H
#define GMEMSIM_TRACE_INT_H

#include <stdarg.h>

#include "trace/ir.h"

/*
 * A growing string, or (fixed) a caller's buffer that truncates.  After an
 * allocation failure @oom is set and further output is dropped.
 */
struct sbuf {
	char *buf;
	size_t len, cap;
	bool fixed;
	bool oom;
};

void sb_init_fixed(struct sbuf *sb, char *buf, size_t cap);
void sb_printf(struct sbuf *sb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void sb_puts(struct sbuf *sb, const char *s);

/* A number in the given style (2M, 0x1000, 17, 0x0a). */
void trace_fmt_number(struct sbuf *sb, uint64_t v, enum trace_num_fmt fmt);
/* A value of family @cls: names where they fit exactly, else @fmt. */
void trace_fmt_value(struct sbuf *sb, uint64_t v, enum trace_const_class cls,
		     enum trace_num_fmt fmt);
/* One alternative as the parser reads it back; @reads_value as in the op table. */
void trace_fmt_alt(struct sbuf *sb, const struct trace_expect_alt *a, bool reads_value);

#endif /* GMEMSIM_TRACE_INT_H */
