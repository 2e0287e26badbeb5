// SPDX-License-Identifier: GPL-2.0
/* The trace subcommands of gmemsim: run, explore, replay, minimize. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "backend/backend.h"
#include "explore/explore_internal.h"
#include "explore/shrink.h"

static struct trace *load_trace(const struct explore_opts *o, int *rc)
{
	struct trace_error err;
	struct trace *t = calloc(1, sizeof(*t));

	if (!t) {
		*rc = GMEMSIM_EXIT_USAGE;
		return NULL;
	}
	if (trace_parse_file(o->trace_path, t, &err)) {
		fprintf(stderr, "%s:%d:%d: %s\n", err.file, err.line, err.col, err.msg);
		free(t);
		*rc = GMEMSIM_EXIT_USAGE;
		return NULL;
	}
	if (t->req.backends && !(t->req.backends & (1u << TRACE_BACKEND_MODEL)) &&
	    !strcmp(o->backend, "model")) {
		printf("%s: skipped: the trace requires a backend other than the model\n", t->path);
		trace_free(t);
		free(t);
		*rc = GMEMSIM_EXIT_SKIP;
		return NULL;
	}
	return t;
}

static void unload_trace(struct trace *t)
{
	trace_free(t);
	free(t);
}

static void prog_for(struct trace_prog *tp, const struct trace *t, const struct explore_opts *o)
{
	struct backend_opts bo = { .profile = o->profile, .inject = o->inject };

	trace_prog_init(tp, t, &model_backend_ops, &bo);
}

static bool outcome_failed(enum sim_outcome oc)
{
	return oc != SIM_OK && oc != SIM_PRUNED;
}

/* Replay @schedule with the log kept, for the report. */
static int replay_logged(const struct trace_prog *tp, const struct explore_opts *o,
			 const char *schedule, struct sim_result *r)
{
	struct sim_run_opts ro = SIM_RUN_OPTS_INIT;

	ro.keep_log = true;
	ro.fault_inject = o->faults;
	ro.ignore_checker = o->disable_checker;
	ro.executor = o->executor == XE_PTHREAD ? SIM_EXEC_PTHREAD : SIM_EXEC_FIBER;
	memset(r, 0, sizeof(*r));
	return sim_replay(&tp->p, &ro, schedule, r);
}

/*
 * Minimise @schedule keeping the failure it shows (its signature goes to
 * @f): a shorter schedule that fails another way is not kept.  NULL if
 * @schedule does not fail.
 */
static char *minimise(const struct trace_prog *tp, const struct explore_opts *o,
		      const char *schedule, struct explore_failure *f)
{
	struct sim_run_opts ro = SIM_RUN_OPTS_INIT;
	struct sim_minimise_prog mp = { .p = &tp->p, .o = &ro };
	struct explore_failure_prog fp = { .p = &tp->p, .o = &ro, .f = f };
	struct sim_result r;
	bool failed;

	ro.fault_inject = o->faults;
	ro.ignore_checker = o->disable_checker;
	memset(&r, 0, sizeof(r));
	failed = sim_program_fails(&mp, schedule, &r);
	if (failed)
		explore_failure_of(&r, f);
	sim_result_free(&r);
	return failed ? sim_minimise(schedule, explore_failure_fails, &fp) : NULL;
}

/*
 * --shrink-trace: drop what failure @f of (@tp, @schedule) does not need
 * from the trace (shrink.c); write the result to -o FILE if given.
 * Return: 0 with @sr filled, or a negative errno (reported on stderr).
 */
static int shrink(const struct trace_prog *tp, const struct explore_opts *o, const char *schedule,
		  const struct explore_failure *f, struct trace_shrink_result *sr)
{
	struct trace_shrink_opts so = {
		.ops = tp->ops, .bopts = tp->bopts, .path = o->output_path,
		.run = SIM_RUN_OPTS_INIT,
	};
	FILE *out;
	int err;

	so.run.fault_inject = o->faults;
	so.run.ignore_checker = o->disable_checker;
	so.run.executor = o->executor == XE_PTHREAD ? SIM_EXEC_PTHREAD : SIM_EXEC_FIBER;
	err = trace_shrink(tp->t, schedule, f, &so, sr);
	if (err) {
		fprintf(stderr, "gmemsim: cannot shrink %s: %s\n", tp->t->path,
			err == -ENOENT ? "the failure does not reproduce" : strerror(-err));
		return err;
	}
	if (!o->output_path)
		return 0;
	out = fopen(o->output_path, "w");
	err = out ? 0 : -errno;
	if (out && (fputs(sr->text, out) < 0 || ferror(out)))
		err = -EIO;
	if (out && fclose(out) && !err)
		err = -errno;
	if (err) {
		fprintf(stderr, "gmemsim: cannot write %s: %s\n", o->output_path, strerror(-err));
		trace_shrink_result_free(sr);
	}
	return err;
}

int explore_cmd_explore(const struct explore_opts *o)
{
	struct explore_summary s = { 0 };
	struct trace_prog tp;
	struct sim_result fail, rep;
	struct trace_shrink_result sr = { 0 };
	struct explore_failure f;
	struct trace_prog stp;
	char sdesc[64], *minimal = NULL;
	struct trace *t;
	int rc;

	t = load_trace(o, &rc);
	if (!t)
		return rc;
	if (o->executor == XE_FREE) {
		fprintf(stderr, "gmemsim explore: the free executor cannot follow schedules; "
			"use it with 'run' for stress\n");
		unload_trace(t);
		return GMEMSIM_EXIT_USAGE;
	}
	prog_for(&tp, t, o);
	s.seed = o->seed_set ? o->seed : 0;
	if (!o->seed_set) {
		struct timespec ts;

		clock_gettime(CLOCK_REALTIME, &ts);
		s.seed = ((uint64_t)ts.tv_nsec ^ (uint64_t)getpid() << 16) % 1000000007ULL;
	}
	s.strategy = explore_strategy_desc(o, sdesc, sizeof(sdesc));
	if (!o->json)
		printf("gmemsim explore %s: seed %" PRIu64 ", strategy %s, executor %s, %d job%s%s\n",
		       t->path, s.seed, s.strategy,
		       o->executor == XE_PTHREAD ? "pthread" : "fiber", o->jobs,
		       o->jobs == 1 ? "" : "s", o->inject ? ", defect injected" : "");
	memset(&fail, 0, sizeof(fail));
	if (!explore_search(&tp, o, s.seed, &fail, &s.executions, &s.exhausted, &s.elapsed_s)) {
		if (o->json)
			explore_print_json(o, &s, NULL);
		else
			printf("no violation in %" PRIu64 " executions (%.2fs)%s\n", s.executions,
			       s.elapsed_s, o->strategy == XS_DFS ?
			       (s.exhausted ? "; bounded space exhausted" : "; bounded space NOT exhausted") : "");
		unload_trace(t);
		return GMEMSIM_EXIT_OK;
	}
	s.found_schedule = fail.schedule;
	if (o->minimize || o->shrink_trace)
		minimal = minimise(&tp, o, fail.schedule, &f);
	if (o->shrink_trace && minimal) {
		if (shrink(&tp, o, minimal, &f, &sr)) {
			free(minimal);
			sim_result_free(&fail);
			unload_trace(t);
			return GMEMSIM_EXIT_USAGE;
		}
		prog_for(&stp, sr.t, o);
		s.shrunk = &sr;
		replay_logged(&stp, o, sr.schedule, &rep);
		if (o->json)
			explore_print_json(o, &s, &rep);
		else
			explore_print_report(&stp, o, &s, &rep);
		trace_shrink_result_free(&sr);
		free(minimal);
		sim_result_free(&rep);
		sim_result_free(&fail);
		unload_trace(t);
		return GMEMSIM_EXIT_VIOLATION;
	}
	replay_logged(&tp, o, minimal ? minimal : fail.schedule, &rep);
	if (!outcome_failed(rep.outcome)) {
		/* Should not happen: replay is exact.  Report the raw find. */
		fprintf(stderr, "gmemsim: warning: the failure does not reproduce on replay "
			"(nondeterminism outside the decision stream); as found:\n");
		sim_result_print(&fail, stderr);
		sim_result_free(&rep);
		replay_logged(&tp, o, fail.schedule, &rep);
	}
	if (o->json)
		explore_print_json(o, &s, &rep);
	else
		explore_print_report(&tp, o, &s, &rep);
	free(minimal);
	sim_result_free(&rep);
	sim_result_free(&fail);
	unload_trace(t);
	return GMEMSIM_EXIT_VIOLATION;
}

int explore_cmd_replay(const struct explore_opts *o)
{
	struct explore_summary s = { .strategy = "replay", .executions = 1 };
	struct trace_prog tp;
	struct sim_result r;
	struct trace *t;
	double t0;
	int rc;

	t = load_trace(o, &rc);
	if (!t)
		return rc;
	prog_for(&tp, t, o);
	t0 = explore_now();
	replay_logged(&tp, o, o->schedule, &r);
	s.elapsed_s = explore_now() - t0;
	if (r.outcome == SIM_DIVERGED || r.outcome == SIM_ERROR) {
		fprintf(stderr, "gmemsim replay: %s: schedule '%s' cannot be replayed: %s\n",
			t->path, o->schedule, r.error ? r.error : sim_outcome_name(r.outcome));
		sim_result_free(&r);
		unload_trace(t);
		return GMEMSIM_EXIT_USAGE;
	}
	rc = outcome_failed(r.outcome) ? GMEMSIM_EXIT_VIOLATION : GMEMSIM_EXIT_OK;
	if (o->json) {
		explore_print_json(o, &s, &r);
	} else if (rc || o->verbose) {
		explore_print_report(&tp, o, &s, &r);
	} else {
		printf("%s: replayed %s: %s, %" PRIu64 " steps, event hash %016" PRIx64 "\n",
		       t->path, r.schedule, sim_outcome_name(r.outcome), r.steps, r.hash);
	}
	sim_result_free(&r);
	unload_trace(t);
	return rc;
}

int explore_cmd_minimize(const struct explore_opts *o)
{
	struct explore_summary s = { .strategy = "minimize", .found_schedule = o->schedule };
	struct trace_shrink_result sr = { 0 };
	struct explore_failure f;
	struct trace_prog tp, stp;
	struct sim_result r;
	struct trace *t;
	char *minimal;
	int rc;

	t = load_trace(o, &rc);
	if (!t)
		return rc;
	prog_for(&tp, t, o);
	minimal = minimise(&tp, o, o->schedule, &f);
	if (!minimal) {
		printf("%s: schedule '%s' does not fail: nothing to minimise\n", t->path, o->schedule);
		unload_trace(t);
		return GMEMSIM_EXIT_OK;
	}
	if (o->shrink_trace) {
		if (shrink(&tp, o, minimal, &f, &sr)) {
			free(minimal);
			unload_trace(t);
			return GMEMSIM_EXIT_USAGE;
		}
		prog_for(&stp, sr.t, o);
		s.shrunk = &sr;
		replay_logged(&stp, o, sr.schedule, &r);
	} else {
		replay_logged(&tp, o, minimal, &r);
	}
	if (o->json)
		explore_print_json(o, &s, &r);
	else
		explore_print_report(o->shrink_trace ? &stp : &tp, o, &s, &r);
	trace_shrink_result_free(&sr);
	free(minimal);
	sim_result_free(&r);
	unload_trace(t);
	return GMEMSIM_EXIT_VIOLATION;
}

int explore_cmd_run(const struct explore_opts *o)
{
	struct explore_summary s = { .executions = 1 };
	struct sim_run_opts ro = SIM_RUN_OPTS_INIT;
	struct sim_strategy_cfg sc = { 0 };
	struct sim_strategy *st;
	struct trace_prog tp;
	struct sim_result r;
	struct trace *t;
	double t0;
	int rc;

	if (!strcmp(o->backend, "kvm"))
		return explore_run_kvm(o);
	t = load_trace(o, &rc);
	if (!t)
		return rc;
	prog_for(&tp, t, o);
	ro.keep_log = true;
	ro.fault_inject = o->faults;
	ro.ignore_checker = o->disable_checker;
	ro.executor = o->executor == XE_PTHREAD ? SIM_EXEC_PTHREAD :
		      o->executor == XE_FREE ? SIM_EXEC_FREE : SIM_EXEC_FIBER;
	if (o->executor == XE_FREE) {
		/* Real pthreads, no control: nothing picks, nothing to replay. */
		sc.kind = SIM_STRAT_PREFIX;
		sc.schedule = "S1:";
		s.strategy = "free-running (no schedule control)";
	} else if (o->schedule) {
		sc.kind = SIM_STRAT_REPLAY;
		sc.schedule = o->schedule;
		s.strategy = "replay";
	} else if (o->seed_set) {
		sc.kind = SIM_STRAT_RANDOM;
		sc.seed = o->seed;
		s.seed = o->seed;
		s.strategy = "random";
	} else {
		/* No seed: the one non-preemptive schedule (threads in order). */
		sc.kind = SIM_STRAT_PREFIX;
		sc.schedule = "S1:";
		s.strategy = "non-preemptive";
	}
	st = sim_strategy_new(&sc);
	if (!st) {
		unload_trace(t);
		return GMEMSIM_EXIT_USAGE;
	}
	t0 = explore_now();
	memset(&r, 0, sizeof(r));
	sim_run(&tp.p, &ro, st, 0, &r);
	s.elapsed_s = explore_now() - t0;
	sim_strategy_free(st);
	rc = outcome_failed(r.outcome) ? GMEMSIM_EXIT_VIOLATION : GMEMSIM_EXIT_OK;
	if (o->json)
		explore_print_json(o, &s, &r);
	else
		explore_print_report(&tp, o, &s, &r);
	sim_result_free(&r);
	unload_trace(t);
	return rc;
}
