/* SPDX-License-Identifier: GPL-2.0 */
#ifndef GMEMSIM_DIFF_H
#define GMEMSIM_DIFF_H

#include <stdio.h>
#include "trace/ir.h"

int diff_trace(const struct trace *t, const char *profile,
	       void (*tamper)(const struct trace_call *c, struct trace_result *r),
	       FILE *out, int *ndiff, int *nskipped);

#endif
