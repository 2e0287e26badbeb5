/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A trace as a sim_program: setup section + threads + final section run on a
 * fresh backend world per execution.
 */
#ifndef GMEMSIM_EXPLORE_PROGRAM_H
#define GMEMSIM_EXPLORE_PROGRAM_H

#include "backend/backend.h"
#include "sched/sched.h"
#include "trace/ir.h"

struct trace_prog {
	const struct trace *t;
	const struct gmem_backend_ops *ops;
	struct backend_opts bopts;
	struct sim_program p;
	bool log_calls;		/* sim_log() every call with its result */
};

/* Per-execution world. */
struct trace_world {
	struct trace_prog *tp;
	struct gmem_backend *b;
	bool setup_failed;
	bool destroyed;
};

void trace_prog_init(struct trace_prog *tp, const struct trace *t,
		     const struct gmem_backend_ops *ops, const struct backend_opts *bo);
/* Format "name(args)" for messages and the log. */
void trace_call_format(const struct trace *t, const struct trace_call *c, char *buf, size_t len);

#endif
