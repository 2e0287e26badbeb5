/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Failure signatures and trace shrinking: the third stage of minimisation
 * (issue 4).  After the schedule is 1-minimal, remove whole threads, single
 * calls of threads, then setup/final calls (each with the calls that use
 * the handles it binds) while the same checker still fires, re-searching
 * every smaller trace with a bounded DFS.  Everything is sequential and a
 * function of the input, so the result does not depend on --jobs.
 */
#ifndef GMEMSIM_EXPLORE_SHRINK_H
#define GMEMSIM_EXPLORE_SHRINK_H

#include <stdbool.h>
#include <stdint.h>

#include "backend/backend.h"
#include "sched/sched.h"
#include "trace/ir.h"

/*
 * What failed: the first violation's checker and, for the "expectation"
 * checker, the call and the wrong result it returned ("guest_read(cpu,
 * 0x40000000, 0x1000, 0) returned 0x00", without file and line), so a
 * shrunk trace cannot swap the failing expectation for another one, nor
 * make the same call fail for another reason.
 */
struct explore_failure {
	char checker[48];
	char call[320];
};

void explore_failure_of(const struct sim_result *r, struct explore_failure *f);
bool explore_failure_matches(const struct sim_result *r, const struct explore_failure *f);

/* sim_fails_fn: "fails with @arg's signature" (a struct explore_failure_prog). */
struct explore_failure_prog {
	const struct sim_program *p;
	const struct sim_run_opts *o;
	const struct explore_failure *f;
};
bool explore_failure_fails(void *arg, const char *schedule, struct sim_result *r);

struct trace_shrink_opts {
	const struct gmem_backend_ops *ops;
	struct backend_opts bopts;
	struct sim_run_opts run;	/* executor, fault_inject, ignore_checker */
	uint64_t budget;		/* executions per candidate search; 0: 1000 */
	const char *path;		/* path of the shrunk trace; NULL: "<input> (shrunk)" */
};

struct trace_shrink_result {
	struct trace *t;		/* the shrunk trace, parsed from @text */
	char *text;			/* its canonical text */
	char *schedule;			/* 1-minimal failing schedule of @t */
	int calls_before, calls_after;
	int threads_before, threads_after;
	unsigned candidates;		/* smaller traces tried */
	unsigned kept;			/* ... that still failed */
	uint64_t runs;			/* executions used */
};

int trace_shrink(const struct trace *t, const char *schedule, const struct explore_failure *f,
		 const struct trace_shrink_opts *o, struct trace_shrink_result *r);
void trace_shrink_result_free(struct trace_shrink_result *r);
/* Calls in all sections of @t. */
int trace_ncalls(const struct trace *t);

#endif /* GMEMSIM_EXPLORE_SHRINK_H */
