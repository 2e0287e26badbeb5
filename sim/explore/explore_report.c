// SPDX-License-Identifier: GPL-2.0
/* Turning a sim_result into the printed report, timeline files and JSON. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "explore/explore_internal.h"
#include "explore/shrink.h"
#include "report/report.h"

/*
 * The checker named the step of the event behind the violation (the free
 * of a use-after-free: shim_report_cause()): that event and the violating
 * step are the racing pair, when they are steps of different threads.  A
 * report made while step S was next had its cause in the step granted
 * just before, S - 1.
 */
static bool cause_pair(const struct sim_result *r, struct report *rep)
{
	uint64_t want = r->v[0].cause_step;
	ssize_t i, a = -1;

	if (want < 2 || rep->violating < 0)
		return false;
	want--;
	for (i = 0; i < (ssize_t)rep->nev && rep->ev[i].step <= want; i++)
		if (rep->ev[i].step == want && rep->ev[i].tid >= 0 && !rep->ev[i].is_call)
			a = i;
	if (a < 0 || a >= rep->violating || rep->ev[a].tid == rep->ev[rep->violating].tid)
		return false;
	rep->race_a = a;
	rep->race_b = rep->violating;
	return true;
}

static void build_report(const struct trace_prog *tp, const struct explore_opts *o,
			 const struct explore_summary *s, const struct sim_result *r,
			 struct report *rep, struct report_event *ev)
{
	const struct trace *t = tp->t;
	size_t i;
	int k;

	memset(rep, 0, sizeof(*rep));
	rep->trace_path = t->path;
	rep->nthreads = tp->p.nthreads;
	for (k = 0; k < rep->nthreads && k < 16; k++)
		rep->thread_names[k] = k < t->nthreads ? t->threads[k].name : "";
	rep->seed = s->seed;
	rep->strategy = s->strategy;
	rep->schedule = r->schedule;
	rep->event_hash = r->hash;
	rep->violating = rep->race_a = rep->race_b = -1;
	if (r->nv) {
		rep->checker = r->v[0].checker;
		rep->message = r->v[0].msg;
	}
	for (i = 0; i < r->nlog; i++) {
		const struct sim_event *e = &r->log[i];

		ev[i].step = e->step;
		ev[i].tid = e->tid;
		ev[i].site = e->site;
		ev[i].is_call = e->op == SIM_EV_USER;
		ev[i].op = e->op;
		ev[i].obj = e->obj;
		ev[i].what = e->op == SIM_EV_USER ? e->text : sim_op_name(e->op);
		/* The violating thread's last step at or before the report. */
		if (r->nv && e->step <= r->v[0].step && (r->v[0].tid < 0 || e->tid == r->v[0].tid))
			rep->violating = (ssize_t)i;
	}
	rep->ev = ev;
	rep->nev = r->nlog;
	if (r->nv && !cause_pair(r, rep))
		report_find_racing_pair(rep);
}

/* --shrink-trace: the smaller trace, in canonical form, between rules. */
static void print_shrunk(const struct explore_opts *o, const struct trace_shrink_result *sr)
{
	printf("  shrunk:     %d calls in %d threads -> %d calls in %d threads "
	       "(%u smaller traces tried, %u kept, %" PRIu64 " executions)\n",
	       sr->calls_before, sr->threads_before, sr->calls_after, sr->threads_after,
	       sr->candidates, sr->kept, sr->runs);
	if (o->output_path)
		printf("  written to: %s\n", o->output_path);
	printf("  ---- shrunk trace ----\n%s  ----------------------\n", sr->text);
}

void explore_print_report(const struct trace_prog *tp, const struct explore_opts *o,
			  const struct explore_summary *s, const struct sim_result *r)
{
	struct report_event *ev = calloc(r->nlog + 1, sizeof(*ev));
	struct report rep;
	size_t i;
	int err;

	if (!ev)
		return;
	build_report(tp, o, s, r, &rep, ev);
	if (r->nv) {
		printf("\nVIOLATION (%s): %s\n", r->v[0].checker, r->v[0].msg);
		for (i = 1; i < r->nv; i++)
			printf("  also (%s): %s\n", r->v[i].checker, r->v[i].msg);
	} else if (r->outcome != SIM_OK) {
		printf("\n%s: %s\n", sim_outcome_name(r->outcome), r->error ? r->error : "");
	}
	printf("  trace:      %s\n", tp->t->path);
	if (s->seed || o->seed_set)
		printf("  seed:       %" PRIu64 "\n", s->seed);
	printf("  strategy:   %s\n", s->strategy ? s->strategy : "");
	if (s->executions)
		printf("  executions: %" PRIu64 " in %.2fs\n", s->executions, s->elapsed_s);
	if (!r->schedule) {
		/* Free-running: the threads ran uncontrolled, no schedule was taken. */
		printf("  schedule:   none (free-running: not replayable)\n");
	} else {
		if (s->found_schedule && strcmp(s->found_schedule, r->schedule))
			printf("  found:      %s\n", s->found_schedule);
		printf("  schedule:   %s%s\n", r->schedule,
		       s->found_schedule && strcmp(s->found_schedule, r->schedule) ?
		       "  (minimised)" : "");
	}
	if (r->schedule)
		printf("  event hash: %016" PRIx64 "  (%" PRIu64 " steps)\n", r->hash, r->steps);
	if (s->shrunk)
		print_shrunk(o, s->shrunk);
	if (r->nv || o->verbose || r->outcome != SIM_OK) {
		printf("\n");
		report_print_story(stdout, &rep, !o->verbose && r->nlog > 400);
		if (r->schedule)
			printf("\n  replay: gmemsim replay %s --schedule '%s'%s%s\n",
			       s->shrunk && !o->output_path ? "SHRUNK.trace" : tp->t->path,
			       r->schedule, o->inject ? " --inject " : "",
			       o->inject ? o->inject : "");
		if (s->shrunk && !o->output_path)
			printf("          (SHRUNK.trace: the trace above; -o FILE writes it)\n");
	}
	if (o->timeline_path) {
		err = report_write_timeline_json(o->timeline_path, &rep);
		if (err)
			fprintf(stderr, "gmemsim: cannot write %s: %s\n", o->timeline_path, strerror(-err));
		else
			printf("  timeline:   %s (Chrome/Perfetto trace JSON)\n", o->timeline_path);
	}
	if (o->html_path) {
		err = report_write_html(o->html_path, &rep);
		if (err)
			fprintf(stderr, "gmemsim: cannot write %s: %s\n", o->html_path, strerror(-err));
		else
			printf("  html:       %s\n", o->html_path);
	}
	free(ev);
}

void explore_print_json(const struct explore_opts *o, const struct explore_summary *s,
			const struct sim_result *r)
{
	bool viol = r && r->outcome != SIM_OK && r->outcome != SIM_PRUNED;

	printf("{\"trace\":");
	report_json_string(stdout, o->trace_path);
	printf(",\"violation\":%s,\"checker\":", viol ? "true" : "false");
	if (viol && r->nv)
		report_json_string(stdout, r->v[0].checker);
	else if (viol)
		report_json_string(stdout, sim_outcome_name(r->outcome));
	else
		printf("null");
	printf(",\"message\":");
	if (viol && r->nv)
		report_json_string(stdout, r->v[0].msg);
	else if (viol && r->error)
		report_json_string(stdout, r->error);
	else
		printf("null");
	printf(",\"schedule\":");
	if (r && r->schedule)
		report_json_string(stdout, r->schedule);
	else
		printf("null");
	printf(",\"found_schedule\":");
	if (s->found_schedule)
		report_json_string(stdout, s->found_schedule);
	else
		printf("null");
	printf(",\"seed\":%" PRIu64 ",\"strategy\":", s->seed);
	report_json_string(stdout, s->strategy ? s->strategy : "");
	printf(",\"executions\":%" PRIu64 ",\"elapsed_s\":%.6f,\"exhausted\":%s", s->executions,
	       s->elapsed_s, s->exhausted ? "true" : "false");
	if (r)
		printf(",\"event_hash\":\"%016" PRIx64 "\",\"steps\":%" PRIu64, r->hash, r->steps);
	else
		printf(",\"event_hash\":null");
	if (s->shrunk) {
		printf(",\"shrunk_trace\":");
		report_json_string(stdout, s->shrunk->text);
		printf(",\"calls_before\":%d,\"calls_after\":%d", s->shrunk->calls_before,
		       s->shrunk->calls_after);
	}
	printf("}\n");
}
