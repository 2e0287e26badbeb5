/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Reports of a violation: the swimlane story printed on the terminal, the
 * Chrome/Perfetto trace JSON and a self-contained HTML page.  All three are
 * rendered from the same struct report so they always agree.
 */
#ifndef GMEMSIM_REPORT_H
#define GMEMSIM_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct report_event {
	uint64_t step;		/* global step number, strictly increasing */
	int tid;		/* lane: 0..nthreads-1, or -1 for setup/final */
	const char *what;	/* short: "mutex_lock", "fallocate(...) = 0" */
	const char *site;	/* "guest_memfd.c:123" or a named point; may be NULL */
	bool is_call;		/* a trace call (as opposed to a scheduling point) */
};

struct report {
	const char *trace_path;
	int nthreads;
	const char *thread_names[16];
	uint64_t seed;
	const char *strategy;	/* "pct d=2", "random", "dfs pb=2", "replay" */
	const char *schedule;	/* schedule string */
	const char *checker;	/* NULL: no violation */
	const char *message;
	uint64_t event_hash;
	const struct report_event *ev;
	size_t nev;
	ssize_t violating;	/* index into ev of the violating step, -1 if none */
	ssize_t race_a, race_b;	/* indexes of the racing pair, -1 if none */
};

/*
 * report_find_racing_pair - pick the racing pair for a minimised schedule:
 * the last context switch before the violation whose two sides come from
 * different lanes (each preemption left in a 1-minimal schedule is needed
 * for the failure, and the last one is closest to it).
 */
void report_find_racing_pair(struct report *r);

/* The swimlane story: one column per thread, one row per step. */
void report_print_story(FILE *f, const struct report *r, bool only_calls);
int report_write_timeline_json(const char *path, const struct report *r);
int report_write_html(const char *path, const struct report *r);

/* JSON string escaping helper shared by the writers and `--json`. */
void report_json_string(FILE *f, const char *s);

#endif /* GMEMSIM_REPORT_H */
