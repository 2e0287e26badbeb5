/* SPDX-License-Identifier: GPL-2.0 */
#ifndef GMEMSIM_DIFF_H
#define GMEMSIM_DIFF_H

#include <stdio.h>
#include "trace/ir.h"

int diff_trace(const struct trace *t, const char *profile,
	       void (*tamper)(const struct trace_call *c, struct trace_result *r),
	       FILE *out, int *ndiff, int *nskipped);
/* Switch @r to a result of another kind or value (diff's --tamper). */
void diff_tamper_switch(struct trace_result *r);
/* gmemsim diff [--profile P] TRACE; returns the exit code. */
int gmemsim_cmd_diff(int argc, char **argv);

#endif
