/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Exploration: run a trace's threads as model threads under the scheduler,
 * many times, with a strategy; check expectations and the model's checkers;
 * replay, minimise and report what fails.
 */
#ifndef GMEMSIM_EXPLORE_H
#define GMEMSIM_EXPLORE_H

#include <stdbool.h>
#include <stdint.h>

#include "trace/ir.h"

enum explore_strategy { XS_RANDOM = 0, XS_PCT, XS_DFS, XS_REPLAY };
enum explore_executor { XE_FIBER = 0, XE_PTHREAD, XE_FREE };

struct explore_opts {
	const char *trace_path;
	const char *backend;		/* "model" (default) or "kvm" */
	const char *profile;		/* kernel profile; NULL = default */
	const char *inject;		/* bug-zoo defect; NULL = none */
	const char *disable_checker;	/* suppress this checker's reports; NULL = none */
	enum explore_strategy strategy;
	enum explore_executor executor;
	uint64_t seed;
	bool seed_set;
	int depth;			/* PCT depth d */
	int preemption_bound;		/* DFS */
	uint64_t iterations;		/* 0 = strategy default */
	double time_s;			/* 0 = no limit */
	int jobs;
	int shard_i, shard_n;
	bool faults;			/* allocation failure / EINTR decisions */
	const char *schedule;		/* replay / minimize input */
	const char *timeline_path;	/* --timeline FILE */
	const char *html_path;		/* --html FILE */
	bool json;
	bool minimize;			/* minimise a failure before reporting */
	bool shrink_trace;		/* ... and shrink the trace's calls (shrink.c) */
	const char *output_path;	/* -o FILE: write the shrunk trace there */
	bool quiet;
	int verbose;
};

void explore_opts_init(struct explore_opts *o);

/* The gmemsim subcommands; each returns the process exit code. */
int explore_cmd_run(const struct explore_opts *o);
int explore_cmd_explore(const struct explore_opts *o);
int explore_cmd_replay(const struct explore_opts *o);
int explore_cmd_minimize(const struct explore_opts *o);

/* Exit codes (design.md, Reports). */
enum {
	GMEMSIM_EXIT_OK = 0,
	GMEMSIM_EXIT_VIOLATION = 1,
	GMEMSIM_EXIT_USAGE = 2,
	GMEMSIM_EXIT_SKIP = 77,
};

#endif /* GMEMSIM_EXPLORE_H */
