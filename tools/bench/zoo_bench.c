// SPDX-License-Identifier: GPL-2.0
/*
 * zoo_bench: the detection benchmark of issue 6.  For every bug-zoo entry
 * (sim/zoo/zoo.c, traces/zoo/) and every strategy -- random walk, PCT with
 * d = 1, 2, 3, bounded DFS (preemptions <= 2) -- executions and seconds to
 * the first detection by one of the entry's expected checkers, median and
 * worst over SEEDS seeds (1..SEEDS), each run capped at BUDGET seconds; a
 * run that finds nothing, or the wrong thing, is a miss.  DFS does not
 * depend on the seed and runs once; "space" means its bounded space was
 * explored without a detection.  Beside them the same trace and defect
 * under free-running stress: real pthreads, no control, executions
 * repeated until a detection or BUDGET seconds, FREE_RUNS times (a miss
 * counts as BUDGET).
 *
 * A detection is an execution any of whose violations comes from one of
 * the entry's checkers (zoo_result_checker()).
 *
 * In-process through the library (trace_prog + explore_search, sim_run
 * with SIM_EXEC_FREE for free-running), nothing spawned but free-running's
 * model threads.  Prints a markdown table; -o FILE writes it with the
 * command line and a machine note (docs/zoo-detection.md).  Goals checked
 * and stated under the table, each failure listed: every entry found by
 * PCT with a median under 0.1 s, none missed within the budget, PCT >= 100x
 * faster than free-running on the race entries.  "PCT" there is d=2 and
 * d=3 everywhere and d=1 on sequential entries only (see goal_col()).
 *
 * Usage: zoo_bench [-n SEEDS] [-b BUDGET_S] [-F FREE_RUNS] [-o FILE] [NAME...]
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "backend/backend.h"
#include "backend/model/model_backend.h"
#include "explore/explore_internal.h"
#include "zoo/zoo.h"

#ifndef GMEMSIM_ZOO_DIR
#define GMEMSIM_ZOO_DIR "traces/zoo"
#endif

#define MAX_SEEDS	64
/* A strategy that missed this many seeds of an entry is not run on more. */
#define MISS_STOP	2

enum col { C_RANDOM, C_PCT1, C_PCT2, C_PCT3, C_DFS, C_FREE, C_NR };

static const char *const col_name[C_NR] = {
	"random", "PCT d=1", "PCT d=2", "PCT d=3", "DFS p<=2", "free-running",
};

struct cell {
	int runs, found;
	uint64_t execs[MAX_SEEDS];
	double secs[MAX_SEEDS];		/* a miss: the time it ran */
	bool dfs_space;			/* DFS: the bounded space was exhausted */
	char checker[32];		/* of the first detection */
	char miss_why[64];		/* of the first miss */
};

struct bench {
	int seeds, free_runs;
	double budget;
};

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static int cmp_dbl(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/*
 * Median and worst of a cell, misses counted as +inf executions and their
 * run time (so a median over a majority of misses is a miss).
 */
static void cell_stats(const struct cell *c, uint64_t *med_e, uint64_t *max_e,
		       double *med_s, double *max_s)
{
	uint64_t e[MAX_SEEDS];
	double s[MAX_SEEDS];
	int i;

	for (i = 0; i < c->runs; i++) {
		bool hit = c->execs[i] != UINT64_MAX;

		e[i] = c->execs[i];
		s[i] = hit ? c->secs[i] : 1e9;
	}
	qsort(e, c->runs, sizeof(e[0]), cmp_u64);
	qsort(s, c->runs, sizeof(s[0]), cmp_dbl);
	*med_e = e[(c->runs - 1) / 2];
	*max_e = e[c->runs - 1];
	*med_s = s[(c->runs - 1) / 2];
	*max_s = s[c->runs - 1];
}

static void fmt_secs(double s, char *buf, size_t len)
{
	if (s < 1e-3)
		snprintf(buf, len, "%.0f µs", s * 1e6);
	else if (s < 1)
		snprintf(buf, len, "%.1f ms", s * 1e3);
	else
		snprintf(buf, len, "%.2f s", s);
}

/* "3 · 4.1 ms / 7 · 10 ms" (median / worst executions · seconds), or the miss. */
static void fmt_cell(const struct cell *c, enum col k, char *buf, size_t len)
{
	char a[32], b[32];
	uint64_t me, xe;
	double ms, xs;

	if (!c->runs) {
		snprintf(buf, len, "–");
		return;
	}
	if (!c->found) {
		snprintf(buf, len, "**miss** %d of %d, first %s", c->runs, c->runs, c->miss_why);
		return;
	}
	cell_stats(c, &me, &xe, &ms, &xs);
	if (k == C_DFS) {
		fmt_secs(c->secs[0], a, sizeof(a));
		snprintf(buf, len, "%" PRIu64 " · %s", c->execs[0], a);
		return;
	}
	if (me == UINT64_MAX) {
		snprintf(buf, len, "**miss** in %d of %d", c->runs - c->found, c->runs);
		return;
	}
	fmt_secs(ms, a, sizeof(a));
	if (xe == UINT64_MAX) {
		snprintf(buf, len, "%" PRIu64 " · %s; **%d miss**", me, a, c->runs - c->found);
		return;
	}
	fmt_secs(xs, b, sizeof(b));
	snprintf(buf, len, "%" PRIu64 " · %s / %" PRIu64 " · %s", me, a, xe, b);
}

/* ---- one search --------------------------------------------------------- */

static void record(struct cell *c, bool hit, uint64_t execs, double secs,
		   const char *checker, const char *why)
{
	int i = c->runs++;

	c->execs[i] = hit ? execs : UINT64_MAX;
	c->secs[i] = secs;
	if (hit) {
		if (!c->found++)
			snprintf(c->checker, sizeof(c->checker), "%s", checker);
	} else if (!c->miss_why[0]) {
		snprintf(c->miss_why, sizeof(c->miss_why), "%s after %" PRIu64 " execs",
			 why, execs);
	}
}

static void run_controlled(const struct zoo_entry *e, const struct trace *t, enum col k,
			   uint64_t seed, const struct bench *bn, struct cell *c)
{
	struct backend_opts bo = { .profile = e->profile, .inject = e->name };
	struct explore_opts xo;
	struct sim_result fail;
	struct trace_prog tp;
	bool exhausted, hit = false;
	const char *checker = "";
	uint64_t execs = 0;
	double secs = 0;
	char why[48];

	explore_opts_init(&xo);
	xo.profile = e->profile;
	xo.inject = e->name;
	xo.quiet = true;
	xo.minimize = false;
	xo.time_s = bn->budget;
	xo.iterations = k == C_DFS ? 0 : UINT64_MAX / 2;
	switch (k) {
	case C_RANDOM: xo.strategy = XS_RANDOM; break;
	case C_PCT1: case C_PCT2: case C_PCT3:
		xo.strategy = XS_PCT;
		xo.depth = 1 + (k - C_PCT1);
		break;
	default:
		xo.strategy = XS_DFS;
		xo.preemption_bound = 2;
		break;
	}
	trace_prog_init(&tp, t, &model_backend_ops, &bo);
	memset(&fail, 0, sizeof(fail));
	if (explore_search(&tp, &xo, seed, &fail, &execs, &exhausted, &secs)) {
		checker = zoo_result_checker(e, &fail);
		hit = checker != NULL;
		if (!hit)
			checker = fail.nv ? fail.v[0].checker : sim_outcome_name(fail.outcome);
		snprintf(why, sizeof(why), "(%s)", checker);
	} else {
		snprintf(why, sizeof(why), "%s", exhausted ? "(space)" : "(budget)");
		c->dfs_space = exhausted;
	}
	record(c, hit, execs, secs, checker, why);
	sim_result_free(&fail);
}

/* Free-running: executions until a detection or the budget; one trial. */
static void run_free(const struct zoo_entry *e, const struct trace *t,
		     const struct bench *bn, struct cell *c)
{
	struct backend_opts bo = { .profile = e->profile, .inject = e->name };
	struct sim_run_opts ro = SIM_RUN_OPTS_INIT;
	double t0 = explore_now(), now = t0;
	const char *checker = "";
	struct trace_prog tp;
	uint64_t n = 0;
	bool hit = false;
	char why[48] = "(budget)";

	ro.executor = SIM_EXEC_FREE;
	ro.timeout_ms = (uint32_t)(bn->budget * 1000);
	trace_prog_init(&tp, t, &model_backend_ops, &bo);
	while (now - t0 < bn->budget) {
		struct sim_result r;
		enum sim_outcome o = sim_run(&tp.p, &ro, NULL, n, &r);

		n++;
		now = explore_now();
		if (o == SIM_HANG) {
			/* Its threads still run on the world: stop the bench here. */
			fprintf(stderr, "zoo_bench: %s: free-running hang: %s\n", e->name,
				r.error ? r.error : "");
			exit(1);
		}
		if (o != SIM_OK) {
			checker = zoo_result_checker(e, &r);
			hit = checker != NULL;
			if (!hit)
				checker = r.nv ? r.v[0].checker : sim_outcome_name(o);
			snprintf(why, sizeof(why), "(%s)", checker);
			/* The checker name dies with @r: copy it before freeing. */
			record(c, hit, n, now - t0, checker, why);
			sim_result_free(&r);
			return;
		}
		sim_result_free(&r);
	}
	record(c, hit, n, now - t0, checker, why);
}

/* ---- the table ------------------------------------------------------------ */

struct row {
	const struct zoo_entry *e;
	struct cell c[C_NR];
	double wall;
	const char *error;
};

static void bench_entry(struct row *row, const struct bench *bn)
{
	const struct zoo_entry *e = row->e;
	double t0 = explore_now();
	struct trace_error err;
	char path[512];
	struct trace *t;
	int k, s;

	zoo_trace_path(e, getenv("GMEMSIM_ZOO_DIR") ?: GMEMSIM_ZOO_DIR, path, sizeof(path));
	t = calloc(1, sizeof(*t));
	if (!t || trace_parse_file(path, t, &err)) {
		if (t)
			fprintf(stderr, "%s:%d:%d: %s\n", err.file, err.line, err.col, err.msg);
		row->error = t ? "trace does not parse" : "out of memory";
		free(t);
		return;
	}
	for (k = C_RANDOM; k <= C_PCT3; k++)
		for (s = 1; s <= bn->seeds; s++) {
			run_controlled(e, t, k, s, bn, &row->c[k]);
			if (row->c[k].runs - row->c[k].found >= MISS_STOP)
				break;
		}
	run_controlled(e, t, C_DFS, 1, bn, &row->c[C_DFS]);
	for (s = 0; s < (e->race ? bn->free_runs : 1); s++)
		run_free(e, t, bn, &row->c[C_FREE]);
	trace_free(t);
	free(t);
	row->wall = explore_now() - t0;
}

/* Median seconds of a cell, a miss counted as @budget (at least). */
static double med_secs(const struct cell *c, double budget)
{
	uint64_t me, xe;
	double ms, xs;

	if (!c->runs || !c->found)
		return budget;
	cell_stats(c, &me, &xe, &ms, &xs);
	return me == UINT64_MAX ? budget : ms;
}

/*
 * Does strategy @k count for the goals on @e?  Random and PCT d=2, d=3 on
 * every entry; PCT d=1 only on sequential ones: with no priority change
 * point it never preempts a running thread, so a race that needs one
 * preemption is out of its reach by construction (it is still measured).
 */
static bool goal_col(const struct zoo_entry *e, int k)
{
	return k < C_DFS && !(k == C_PCT1 && e->race);
}

/* The slower median of the PCT depths that count on @r, a miss as @budget. */
static double pct_goal_secs(const struct row *r, double budget, int *depth)
{
	double pct = -1;

	for (int k = C_PCT1; k <= C_PCT3; k++)
		if (goal_col(r->e, k) && med_secs(&r->c[k], budget) > pct) {
			pct = med_secs(&r->c[k], budget);
			*depth = 1 + k - C_PCT1;
		}
	return pct;
}

static void print_table(FILE *f, struct row *rows, size_t n, const struct bench *bn)
{
	size_t i, slow = 0, missed = 0, race = 0, race_ok = 0, d1_race = 0, d1_found = 0;
	size_t dfs_missed = 0;
	char buf[160];
	int d;

	fprintf(f, "| entry | kind |");
	for (int k = 0; k < C_NR; k++)
		fprintf(f, " %s |", col_name[k]);
	fprintf(f, " free / PCT | checker |\n|---|---|");
	for (int k = 0; k < C_NR; k++)
		fprintf(f, "---|");
	fprintf(f, "---|---|\n");
	for (i = 0; i < n; i++) {
		struct row *r = &rows[i];
		double pct, fr;

		fprintf(f, "| `%s` | %s |", r->e->name, r->e->race ? "race" : "seq");
		if (r->error) {
			fprintf(f, " %s |\n", r->error);
			continue;
		}
		for (int k = 0; k < C_NR; k++) {
			fmt_cell(&r->c[k], k, buf, sizeof(buf));
			fprintf(f, " %s |", buf);
		}
		pct = pct_goal_secs(r, bn->budget, &d);
		fr = med_secs(&r->c[C_FREE], bn->budget);
		if (r->e->race)
			fprintf(f, " %s%.0fx |", r->c[C_FREE].found < r->c[C_FREE].runs ? "≥ " : "",
				fr / (pct > 0 ? pct : 1e-6));
		else
			fprintf(f, " n/a |");
		fprintf(f, " %s |\n", r->c[C_PCT2].checker[0] ? r->c[C_PCT2].checker : "–");
	}

	fprintf(f, "\n## Goals\n\nAs computed by the bench over %zu entries.  \"PCT\" is d=2 and "
		"d=3 on every entry and d=1 too on the sequential ones (d=1 has no priority "
		"change point, so it never preempts a running thread: a race that needs a "
		"preemption is out of its reach by construction; with the two threads of a "
		"race trace every seed runs one of the same two thread orders).\n\n", n);

	/* 1: PCT median under 0.1 s. */
	for (i = 0; i < n; i++)
		if (rows[i].error || pct_goal_secs(&rows[i], bn->budget, &d) >= 0.1)
			slow++;
	fprintf(f, "1. Every entry found by PCT with a median under 0.1 s (the slower depth "
		"counts): **%s**.\n", slow ? "not met" : "met");
	for (i = 0; i < n; i++) {
		struct row *r = &rows[i];

		if (r->error) {
			fprintf(f, "   - `%s`: %s\n", r->e->name, r->error);
			continue;
		}
		if (pct_goal_secs(r, bn->budget, &d) < 0.1)
			continue;
		fmt_cell(&r->c[C_PCT1 + d - 1], C_PCT1 + d - 1, buf, sizeof(buf));
		fprintf(f, "   - `%s`, PCT d=%d: %s\n", r->e->name, d, buf);
	}

	/* 2: no miss within the budget. */
	for (i = 0; i < n; i++)
		for (int k = 0; k < C_DFS; k++)
			if (!rows[i].error && goal_col(rows[i].e, k) &&
			    rows[i].c[k].runs != rows[i].c[k].found)
				missed++;
	fprintf(f, "2. No entry missed by random or PCT within %g s on any seed: **%s**.\n",
		bn->budget, missed ? "not met" : "met");
	for (i = 0; i < n; i++)
		for (int k = 0; k < C_DFS; k++) {
			struct cell *c = &rows[i].c[k];

			if (rows[i].error || !goal_col(rows[i].e, k) || c->runs == c->found)
				continue;
			fprintf(f, "   - `%s`, %s: missed %d of %d seeds run (first: %s)\n",
				rows[i].e->name, col_name[k], c->runs - c->found, c->runs,
				c->miss_why);
		}

	/* 3: PCT >= 100x faster than free-running on the race entries. */
	for (i = 0; i < n; i++) {
		struct row *r = &rows[i];

		if (r->error || !r->e->race)
			continue;
		race++;
		race_ok += med_secs(&r->c[C_FREE], bn->budget) >=
			   100 * pct_goal_secs(r, bn->budget, &d);
		d1_race++;
		d1_found += r->c[C_PCT1].runs && r->c[C_PCT1].found == r->c[C_PCT1].runs;
	}
	fprintf(f, "3. PCT at least 100x faster to detection than free-running stress on the "
		"%zu race entries (medians; a free-running miss counted as %g s, the ratio then "
		"a lower bound): **%s**.\n", race, bn->budget, race_ok == race ? "met" : "not met");
	for (i = 0; i < n; i++) {
		struct row *r = &rows[i];
		double pct, fr;

		if (r->error || !r->e->race)
			continue;
		pct = pct_goal_secs(r, bn->budget, &d);
		fr = med_secs(&r->c[C_FREE], bn->budget);
		if (fr < 100 * pct)
			fprintf(f, "   - `%s`: free-running median %.3g s vs PCT d=%d %.3g s (%.0fx)\n",
				r->e->name, fr, d, pct, fr / (pct > 0 ? pct : 1e-6));
	}

	for (i = 0; i < n; i++)
		dfs_missed += !rows[i].error && !rows[i].c[C_DFS].found;
	fprintf(f, "\nNot goals: PCT d=1 found %zu of %zu race entries on every seed; DFS "
		"(one run, %g s) found %zu of %zu entries.\n", d1_found, d1_race, bn->budget,
		n - dfs_missed, n);

	/* Seeds not run: a strategy stopped after MISS_STOP misses. */
	fprintf(f, "\nSeeds not run (a strategy that missed %d seeds of an entry stops "
		"there):", MISS_STOP);
	d = 0;
	for (i = 0; i < n; i++)
		for (int k = 0; k < C_DFS; k++)
			if (!rows[i].error && rows[i].c[k].runs < bn->seeds) {
				fprintf(f, "%s `%s` %s (%d of %d seeds)", d++ ? ";" : "",
					rows[i].e->name, col_name[k], rows[i].c[k].runs, bn->seeds);
			}
	fprintf(f, "%s.\n", d ? "" : " none");
}

static void machine_note(FILE *f)
{
	char model[256] = "?", line[512];
	struct utsname u;
	FILE *ci = fopen("/proc/cpuinfo", "r");

	while (ci && fgets(line, sizeof(line), ci)) {
		char *c = strchr(line, ':');

		if (!strncmp(line, "model name", 10) && c) {
			snprintf(model, sizeof(model), "%s", c + 2);
			model[strcspn(model, "\n")] = '\0';
			break;
		}
	}
	if (ci)
		fclose(ci);
	uname(&u);
	fprintf(f, "Machine: %s, %ld online CPUs (shared with other jobs), %s %s.  "
		"Controlled runs on one OS thread; free-running runs each model thread on "
		"its own pthread.\n", model, sysconf(_SC_NPROCESSORS_ONLN), u.sysname,
		u.release);
}

static void usage(void)
{
	fprintf(stderr, "usage: zoo_bench [-n SEEDS] [-b BUDGET_S] [-F FREE_RUNS] [-o FILE] [NAME...]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	struct bench bn = { .seeds = 20, .free_runs = 5, .budget = 10 };
	const char *out = NULL;
	struct row *rows;
	size_t n = 0, i;
	double t0;
	char cmd[512];
	int opt, off;

	while ((opt = getopt(argc, argv, "n:b:F:o:")) != -1) {
		switch (opt) {
		case 'n': bn.seeds = atoi(optarg); break;
		case 'b': bn.budget = atof(optarg); break;
		case 'F': bn.free_runs = atoi(optarg); break;
		case 'o': out = optarg; break;
		default: usage();
		}
	}
	if (bn.seeds < 1 || bn.seeds > MAX_SEEDS || bn.budget <= 0 || bn.free_runs < 1 ||
	    bn.free_runs > MAX_SEEDS)
		usage();
	rows = calloc(zoo_nr_entries, sizeof(*rows));
	if (!rows)
		return 1;
	for (i = 0; i < zoo_nr_entries; i++) {
		bool want = optind >= argc;

		for (int a = optind; a < argc; a++)
			want |= !strcmp(argv[a], zoo_entries[i].name);
		if (want)
			rows[n++].e = &zoo_entries[i];
	}
	for (int a = optind; a < argc; a++)
		if (!zoo_find(argv[a])) {
			fprintf(stderr, "zoo_bench: no zoo entry '%s'\n", argv[a]);
			return 2;
		}
	off = snprintf(cmd, sizeof(cmd), "zoo_bench -n %d -b %g -F %d", bn.seeds, bn.budget,
		       bn.free_runs);
	for (int a = optind; a < argc && off < (int)sizeof(cmd); a++)
		off += snprintf(cmd + off, sizeof(cmd) - off, " %s", argv[a]);
	printf("%s: %zu entries, seeds 1..%d, %g s per run\n", cmd, n, bn.seeds, bn.budget);
	t0 = explore_now();
	for (i = 0; i < n; i++) {
		bench_entry(&rows[i], &bn);
		fprintf(stderr, "  %-28s %6.1f s\n", rows[i].e->name, rows[i].wall);
	}
	printf("\n");
	print_table(stdout, rows, n, &bn);
	printf("\nwhole bench: %.0f s\n", explore_now() - t0);
	if (out) {
		FILE *f = fopen(out, "w");

		if (!f) {
			perror(out);
			return 1;
		}
		fprintf(f, "# Bug zoo: detection benchmark\n\n"
			"Generated by `tools/bench/zoo_bench.c`; regenerate with\n\n"
			"```sh\ncmake --preset release && cmake --build build/release --target zoo_bench\n"
			"build/release/tools/%s -o docs/zoo-detection.md\n```\n\n", cmd);
		machine_note(f);
		fprintf(f, "Command: `%s` (whole bench %.0f s).\n\n", cmd, explore_now() - t0);
		fprintf(f,
			"Each cell: executions · seconds to the first detection (an execution "
			"with a violation from one of the entry's checkers, docs/zoo.md), "
			"median / worst over seeds 1..%d, each run capped at %g s.  Seconds "
			"include PCT's %d calibration executions and the model's per-execution "
			"setup.  A strategy that missed %d seeds of an entry is not run on more "
			"(**miss** k of n; \"after N execs\" is the first miss's length).  "
			"DFS (preemption bound 2, sleep sets) does not depend on the seed: one "
			"run; \"space\" means the bounded space held no detection.  "
			"free-running: the same trace and defect on real pthreads with no "
			"control (SIM_EXEC_FREE), executions repeated until a detection or "
			"%g s, %d trial(s) on race entries (1 on sequential ones, which fail on "
			"every schedule).  free / PCT: free-running median seconds over the "
			"slower PCT median (d=2, d=3).\n\n",
			bn.seeds, bn.budget, SIM_PCT_CALIBRATION, MISS_STOP, bn.budget,
			bn.free_runs);
		print_table(f, rows, n, &bn);
		fclose(f);
	}
	free(rows);
	return 0;
}
