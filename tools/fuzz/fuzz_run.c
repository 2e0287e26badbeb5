// SPDX-License-Identifier: GPL-2.0
/*
 * One fuzz case on the model: see fuzz_run.h.
 *
 * Everything a run touches is per execution: sim_run() builds a fresh
 * world (model_backend_ops.create), resets the lock-order graph, runs the
 * threads as fibers on this OS thread and tears the world down, with the
 * leak checks of teardown counted as violations of that run.  Nothing is
 * kept between inputs but the scheduler's cached fiber stacks.
 *
 * GMEMSIM_FUZZ_LOG=1 in the environment: a failing run is run again with
 * its event log kept, and the log is printed with the report.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend/backend.h"
#include "explore/program.h"
#include "sched/sched.h"

#include "fuzz_run.h"

/*
 * Bounds one run, so a livelock fails instead of hanging.  Decoded cases
 * stay far below it (the decoder caps the pages an input may touch,
 * FUZZ_MAX_BULK_PAGES); 200000 was too low for 60 valid 511-page pre-faults
 * (found by model_fuzz: a budget overrun, not a livelock).
 */
#define FUZZ_STEP_BUDGET	1000000

static bool run_passed(const struct sim_result *r, bool expectations)
{
	size_t i;

	if (r->outcome == SIM_OK)
		return true;
	if (r->outcome != SIM_VIOLATION)
		return false;
	for (i = 0; i < r->nv; i++)
		if (expectations || strcmp(r->v[i].checker, "expectation"))
			return false;
	return true;
}

static void fill_result(struct fuzz_run_result *res, const struct sim_result *r)
{
	size_t i;
	int j;

	res->hash = r->hash;
	res->steps = r->steps;
	res->outcome = r->outcome;
	res->nchecker = 0;
	for (i = 0; i < r->nv; i++) {
		const char *c = r->v[i].checker ? r->v[i].checker : "?";

		for (j = 0; j < res->nchecker; j++)
			if (!strcmp(res->checker[j], c))
				break;
		if (j == res->nchecker && j < FUZZ_RUN_MAX_CHECKERS)
			snprintf(res->checker[res->nchecker++], sizeof(res->checker[0]), "%s", c);
	}
}

void fuzz_print_case(const struct trace *t, const char *schedule, const char *comment,
		     FILE *out)
{
	char *text = trace_print(t);

	if (comment)
		fprintf(out, "%s", comment);
	fprintf(out, "%s%s\n", FUZZ_SCHEDULE_TAG, schedule);
	fprintf(out, "%s", text ? text : "# (trace_print: out of memory)\n");
	free(text);
}

bool fuzz_run_model(const struct trace *t, const char *schedule, bool expectations,
		    struct fuzz_run_result *res, FILE *out)
{
	struct sim_strategy_cfg cfg = { .kind = SIM_STRAT_PREFIX, .schedule = schedule };
	struct sim_run_opts ro = SIM_RUN_OPTS_INIT;
	struct backend_opts bo = { 0 };
	struct sim_strategy *s;
	struct trace_prog tp;
	struct sim_result r;
	bool ok;

	trace_prog_init(&tp, t, &model_backend_ops, &bo);
	ro.fault_inject = !strncmp(schedule, "S1:f", 4);
	ro.step_budget = FUZZ_STEP_BUDGET;
	/* Nobody reads the hash without a result: the engines' own runs. */
	ro.no_event_hash = !res;
	s = sim_strategy_new(&cfg);
	if (!s) {
		fprintf(out, "fuzz: bad schedule '%s'\n", schedule);
		return false;
	}
	memset(&r, 0, sizeof(r));
	sim_run(&tp.p, &ro, s, 0, &r);
	ok = run_passed(&r, expectations);
	if (!ok && getenv("GMEMSIM_FUZZ_LOG")) {
		/* The same run again with its event log, for the report. */
		sim_result_free(&r);
		sim_strategy_free(s);
		s = sim_strategy_new(&cfg);
		ro.keep_log = true;
		memset(&r, 0, sizeof(r));
		sim_run(&tp.p, &ro, s, 0, &r);
	}
	if (!ok) {
		sim_result_print(&r, out);
		fprintf(out, "---- the trace (paste into tests/fuzz/regressions/NAME.trace) ----\n");
		fuzz_print_case(t, schedule, NULL, out);
	}
	if (res)
		fill_result(res, &r);
	sim_result_free(&r);
	sim_strategy_free(s);
	return ok;
}

uint8_t *fuzz_slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	long n;

	if (!f) {
		perror(path);
		return NULL;
	}
	if (!fseek(f, 0, SEEK_END) && (n = ftell(f)) >= 0 && !fseek(f, 0, SEEK_SET)) {
		buf = malloc(n + 1);
		if (buf && fread(buf, 1, n, f) != (size_t)n) {
			free(buf);
			buf = NULL;
		}
		if (buf) {
			buf[n] = 0;
			*len = n;
		}
	}
	fclose(f);
	return buf;
}
