// SPDX-License-Identifier: GPL-2.0
/*
 * The swimlane story: what each thread did, step by step, in one column per
 * thread, with the violating step and the racing pair marked.
 */
#include <string.h>
#include <sys/types.h>

#include "report/report.h"
#include "sched/sched.h"

#define LANE_W 38
/* Comparisons the pair search may make before settling for less. */
#define RACE_SEARCH_MAX 4000000

enum access { ACC_NONE = 0, ACC_READ, ACC_WRITE };

/* A step a thread took (not a logged call, a fault answer or a setup event). */
static bool is_step(const struct report_event *e)
{
	if (e->tid < 0 || e->tid >= SIM_MAX_THREADS)
		return false;
	if (e->op == SIM_EV_START)
		return true;
	if (e->op >= SIM_EV_USER + SIM_EV_RESUME)	/* fault answers: 0x300 + kind */
		return false;
	/* SIM_EV_USER (0x100) is no shim op either. */
	return (e->op & ~(uint32_t)SIM_EV_RESUME) < SHIM_OP_NR;
}

/*
 * How a step touches its object.  Shared acquisitions and reads are the
 * ones the DFS treats as independent of each other; releases, named
 * points and slab-cache points are no accesses of the object's state.
 */
static enum access access_of(const struct report_event *e)
{
	if (!is_step(e) || !e->obj || e->op == SIM_EV_START)
		return ACC_NONE;
	switch (e->op & ~(uint32_t)SIM_EV_RESUME) {
	case SHIM_OP_DOWN_READ:
	case SHIM_OP_READ_LOCK:
	case SHIM_OP_SRCU_READ_LOCK:
	case SHIM_OP_READ_ONCE:
		return ACC_READ;
	case SHIM_OP_MUTEX_LOCK:
	case SHIM_OP_DOWN_WRITE:
	case SHIM_OP_WRITE_LOCK:
	case SHIM_OP_SPIN_LOCK:
	case SHIM_OP_SYNCHRONIZE_SRCU:
	case SHIM_OP_ATOMIC:
	case SHIM_OP_WRITE_ONCE:
	case SHIM_OP_FREE:
	case SHIM_OP_FOLIO_LOCK:
		return ACC_WRITE;
	}
	return ACC_NONE;
}

/* An access of data (as opposed to taking a lock). */
static bool is_data(const struct report_event *e)
{
	switch (e->op & ~(uint32_t)SIM_EV_RESUME) {
	case SHIM_OP_READ_ONCE:
	case SHIM_OP_WRITE_ONCE:
	case SHIM_OP_ATOMIC:
	case SHIM_OP_FREE:
		return true;
	}
	return false;
}

static bool conflict(const struct report_event *a, const struct report_event *b, bool data)
{
	enum access x = access_of(a), y = access_of(b);

	return a->tid != b->tid && a->obj == b->obj && x && y &&
	       (x == ACC_WRITE || y == ACC_WRITE) && (!data || (is_data(a) && is_data(b)));
}

/*
 * The last preemption at or before @end: the index of the first step of
 * the thread switched to, with the thread switched away from in *@from;
 * -1 if none.  A switch away from thread A preempts A when A could have
 * gone on: its next step is neither the return from a block (A waited)
 * nor a spin (A yielded); a thread with no next step had ended.
 */
static ssize_t last_preemption(const struct report *r, ssize_t end, int *from)
{
	ssize_t nxt[SIM_MAX_THREADS], i, j, n;

	for (i = 0; i < SIM_MAX_THREADS; i++)
		nxt[i] = -1;
	/* Walk steps backwards so nxt[] holds each thread's next step. */
	for (i = (ssize_t)r->nev - 1; i > 0; i--) {
		const struct report_event *b = &r->ev[i];

		if (!is_step(b))
			continue;
		nxt[b->tid] = i;
		for (j = i - 1; j >= 0 && !is_step(&r->ev[j]); j--)
			;
		if (j < 0 || i > end || r->ev[j].tid == b->tid)
			continue;
		n = nxt[r->ev[j].tid];
		if (n < 0 || (r->ev[n].op & SIM_EV_RESUME) || r->ev[n].op == SHIM_OP_SPIN)
			continue;
		*from = r->ev[j].tid;
		return i;
	}
	return -1;
}

/*
 * Latest y in [lo, end], then latest x in [lo, y), with conflict(x, y),
 * x by @tx and y by @ty (-1: any thread); @data: both data accesses.
 * Return true and the pair.
 */
static bool find_pair(const struct report *r, ssize_t lo, ssize_t end, int tx, int ty,
		      bool data, ssize_t *xa, ssize_t *yb)
{
	long budget = RACE_SEARCH_MAX;
	ssize_t x, y;

	for (y = end; y > lo; y--) {
		const struct report_event *b = &r->ev[y];

		if ((ty >= 0 && b->tid != ty) || !access_of(b) || (data && !is_data(b)))
			continue;
		for (x = y - 1; x >= lo; x--) {
			if (--budget < 0)
				return false;
			if ((tx < 0 || r->ev[x].tid == tx) && conflict(&r->ev[x], b, data)) {
				*xa = x;
				*yb = y;
				return true;
			}
		}
	}
	return false;
}

/*
 * Latest y in [@p, end] of a thread other than @tx, then latest x of @tx
 * in [0, @p) with conflict(x, y).  Return true and the pair.
 */
static bool find_pair_across(const struct report *r, ssize_t p, ssize_t end, int tx,
			     bool data, ssize_t *xa, ssize_t *yb)
{
	long budget = RACE_SEARCH_MAX;
	ssize_t x, y;

	for (y = end; y >= p; y--) {
		const struct report_event *b = &r->ev[y];

		if (b->tid == tx || !access_of(b) || (data && !is_data(b)))
			continue;
		for (x = p - 1; x >= 0; x--) {
			if (--budget < 0)
				return false;
			if (r->ev[x].tid == tx && conflict(&r->ev[x], b, data)) {
				*xa = x;
				*yb = y;
				return true;
			}
		}
	}
	return false;
}

/**
 * report_find_racing_pair() - name the racing pair (see report.h)
 * @r: the report; r->violating set (or -1: the end of the run)
 *
 * Sets r->race_a (the earlier step) and r->race_b, or both to -1.
 *
 * Context: any.
 */
void report_find_racing_pair(struct report *r)
{
	ssize_t end = r->violating >= 0 ? r->violating : (ssize_t)r->nev - 1;
	ssize_t p, i;
	int from = -1;

	r->race_a = r->race_b = -1;
	if (end >= (ssize_t)r->nev)
		end = (ssize_t)r->nev - 1;
	if (end < 1)
		return;
	p = last_preemption(r, end, &from);
	/*
	 * Steps of the thread switched to, then later ones of the one
	 * preempted; data accesses before lock acquisitions, which order
	 * the data but are no race themselves.
	 */
	for (int data = 1; data >= 0; data--)
		if (p >= 0 && find_pair(r, p, end, r->ev[p].tid, from, data,
					&r->race_a, &r->race_b))
			return;
	/*
	 * The switch ordered the preempted thread's earlier steps before
	 * the steps of the others that follow it: a conflict across the
	 * switch point (x by @from before @p, y by another thread after).
	 */
	for (int data = 1; data >= 0; data--)
		if (p >= 0 && find_pair_across(r, p, end, from, data, &r->race_a, &r->race_b))
			return;
	for (int data = 1; data >= 0; data--)
		if (find_pair(r, 0, end, -1, -1, data, &r->race_a, &r->race_b))
			return;
	/* No object ids to go by: the last switch between lanes. */
	for (i = end; i > 0; i--) {
		const struct report_event *a = &r->ev[i - 1], *b = &r->ev[i];

		if (a->tid < 0 || b->tid < 0 || a->tid == b->tid)
			continue;
		r->race_a = i - 1;
		r->race_b = i;
		return;
	}
}

static void put_cell(FILE *f, const char *s, int w)
{
	int n = (int)strlen(s);

	if (n > w) {
		fprintf(f, "%.*s~", w - 1, s);
	} else {
		fputs(s, f);
		fprintf(f, "%*s", w - n, "");
	}
}

static void describe(const struct report_event *e, char *buf, size_t len)
{
	const char *site = e->site;

	if (!site || e->is_call) {
		snprintf(buf, len, "%s", e->what);
		return;
	}
	/* Keep the file's basename: the lane is narrow. */
	if (strrchr(site, '/'))
		site = strrchr(site, '/') + 1;
	snprintf(buf, len, "%s @%s", e->what, site);
}

/**
 * report_print_story - print the swimlane story of a run
 * @f: where to print
 * @r: the report; r->ev holds the events in step order
 * @only_calls: print trace calls and marked steps only (a short story)
 *
 * Context: any.
 */
void report_print_story(FILE *f, const struct report *r, bool only_calls)
{
	char buf[256];
	size_t i;
	int t;

	fprintf(f, "  %-6s", "step");
	for (t = 0; t < r->nthreads; t++) {
		snprintf(buf, sizeof(buf), "T%d %s", t, r->thread_names[t] ? r->thread_names[t] : "");
		fputs("| ", f);
		put_cell(f, buf, LANE_W);
	}
	fputc('\n', f);
	fprintf(f, "  ------");
	for (t = 0; t < r->nthreads; t++) {
		fputs("+-", f);
		for (int k = 0; k < LANE_W; k++)
			fputc('-', f);
	}
	fputc('\n', f);

	for (i = 0; i < r->nev; i++) {
		const struct report_event *e = &r->ev[i];
		bool viol = (ssize_t)i == r->violating;
		bool race = (ssize_t)i == r->race_a || (ssize_t)i == r->race_b;
		const char *mark = viol ? "!!" : race ? "**" : "  ";

		if (only_calls && !e->is_call && !viol && !race)
			continue;
		if (e->tid < 0) {
			describe(e, buf, sizeof(buf));
			fprintf(f, "%s%-6llu  (%s) %s\n", mark, (unsigned long long)e->step,
				r->nthreads ? "setup/final" : "", buf);
			continue;
		}
		fprintf(f, "%s%-6llu", mark, (unsigned long long)e->step);
		for (t = 0; t < r->nthreads; t++) {
			fputs("| ", f);
			if (t == e->tid) {
				describe(e, buf, sizeof(buf));
				put_cell(f, buf, LANE_W);
			} else {
				put_cell(f, "", LANE_W);
			}
		}
		fputc('\n', f);
	}
	if (r->race_a >= 0 && r->race_b >= 0) {
		const struct report_event *a = &r->ev[r->race_a], *b = &r->ev[r->race_b];

		describe(a, buf, sizeof(buf));
		fprintf(f, "\n  racing pair (**): T%d %s", a->tid, buf);
		if (a->obj)
			fprintf(f, " on #%u", a->obj);
		describe(b, buf, sizeof(buf));
		fprintf(f, "\n                    then T%d %s", b->tid, buf);
		if (b->obj)
			fprintf(f, " on #%u", b->obj);
		fputc('\n', f);
	}
	if (r->violating >= 0)
		fprintf(f, "  violating step (!!): %llu\n",
			(unsigned long long)r->ev[r->violating].step);
}
