/* SPDX-License-Identifier: GPL-2.0 */
#ifndef GMEMSIM_EXPLORE_INTERNAL_H
#define GMEMSIM_EXPLORE_INTERNAL_H

#include "explore/explore.h"
#include "explore/program.h"
#include "sched/sched.h"

double explore_now(void);
const char *explore_strategy_desc(const struct explore_opts *o, char *buf, size_t len);
bool explore_search(const struct trace_prog *tp, const struct explore_opts *o, uint64_t seed,
		    struct sim_result *fail, uint64_t *execs, bool *exhausted, double *elapsed);

struct trace_shrink_result;

struct explore_summary {
	uint64_t seed;
	const char *strategy;
	uint64_t executions;
	double elapsed_s;
	bool exhausted;
	const char *found_schedule;	/* as first found, before minimising */
	const struct trace_shrink_result *shrunk;	/* --shrink-trace, or NULL */
};

/* Print the human report (and write --timeline/--html) for result @r. */
void explore_print_report(const struct trace_prog *tp, const struct explore_opts *o,
			  const struct explore_summary *s, const struct sim_result *r);
int explore_run_kvm(const struct explore_opts *o);
void explore_print_json(const struct explore_opts *o, const struct explore_summary *s,
			const struct sim_result *r);

#endif
