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
	uint32_t op;		/* sim_event.op: enum shim_op (| SIM_EV_RESUME) or SIM_EV_* */
	uint32_t obj;		/* per-run object id the step touches; 0: none */
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
 * report_find_racing_pair - name the racing pair of a minimised run: two
 * steps of different threads on the same object, at least one of them a
 * write or an exclusive acquisition, nearest before the violation among
 * those the run's last preemption orders (a step of the thread switched to,
 * at or after the preemption, then a later step of the thread switched
 * away from).  Each preemption left in a 1-minimal schedule is needed for
 * the failure, and the last one is closest to it.  Data accesses
 * (READ_ONCE/WRITE_ONCE/atomics/free) win over lock acquisitions.  Then a
 * conflict across the preemption: a step of the preempted thread before it
 * and a later step of another thread.  Without such a pair (no preemption,
 * or it orders no conflicting steps): the last
 * conflicting pair of different threads before the violation; without
 * object ids at all: the last switch between lanes.
 */
void report_find_racing_pair(struct report *r);

/* The swimlane story: one column per thread, one row per step. */
void report_print_story(FILE *f, const struct report *r, bool only_calls);
int report_write_timeline_json(const char *path, const struct report *r);
int report_write_html(const char *path, const struct report *r);

/* JSON string escaping helper shared by the writers and `--json`. */
void report_json_string(FILE *f, const char *s);

#endif /* GMEMSIM_REPORT_H */
