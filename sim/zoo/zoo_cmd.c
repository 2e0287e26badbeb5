// SPDX-License-Identifier: GPL-2.0
/*
 * gmemsim zoo list / zoo run: for every entry, explore its trace on the
 * correct model (must be clean), then with the defect injected (a generic
 * checker must report it), and print executions and time to detection.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend/backend.h"
#include "backend/model/model_backend.h"
#include "explore/explore_internal.h"
#include "report/report.h"
#include "zoo/zoo.h"

#ifndef GMEMSIM_ZOO_DIR
#define GMEMSIM_ZOO_DIR "traces/zoo"
#endif

/* Clean runs: enough to cover the race entries' interleavings at depth 2. */
#define ZOO_CLEAN_EXECS		1000
/* The defect search gives up here (the benchmark measures the real cost). */
#define ZOO_DETECT_EXECS	20000

static const char *zoo_dir(void)
{
	const char *d = getenv("GMEMSIM_ZOO_DIR");

	return d && *d ? d : GMEMSIM_ZOO_DIR;
}

/**
 * zoo_cmd_list() - print every zoo entry with its one-line description.
 * @json: one JSON array instead of a table
 *
 * Context: any.
 * Return: GMEMSIM_EXIT_OK.
 */
int zoo_cmd_list(bool json)
{
	char path[512];
	size_t i;

	if (json)
		putchar('[');
	for (i = 0; i < zoo_nr_entries; i++) {
		const struct zoo_entry *e = &zoo_entries[i];

		if (!json) {
			printf("%-28s %s\n", e->name, e->desc);
			continue;
		}
		zoo_trace_path(e, "traces/zoo", path, sizeof(path));
		printf("%s\n {\"name\":", i ? "," : "");
		report_json_string(stdout, e->name);
		printf(",\"description\":");
		report_json_string(stdout, e->desc);
		printf(",\"spec\":");
		report_json_string(stdout, e->spec);
		printf(",\"trace\":");
		report_json_string(stdout, path);
		printf(",\"checkers\":");
		report_json_string(stdout, e->checkers);
		printf(",\"profile\":");
		if (e->profile)
			report_json_string(stdout, e->profile);
		else
			printf("null");
		printf(",\"race\":%s}", e->race ? "true" : "false");
	}
	if (json)
		printf("\n]\n");
	return GMEMSIM_EXIT_OK;
}

struct zoo_result {
	bool clean_ok;		/* correct model explored clean */
	bool found;		/* defect reported by an expected checker */
	uint64_t clean_execs, execs;
	double secs;
	char checker[64];
	const char *error;	/* why the entry could not run */
};

/*
 * One exploration of @t: true if it failed; @checker names why (with @e,
 * the first of the failure's violations that @e expects, if any); fills
 * @execs, @secs.
 */
static bool zoo_explore(const struct trace *t, const struct explore_opts *o,
			const struct zoo_entry *e, uint64_t iterations, uint64_t seed,
			uint64_t *execs, double *secs, char *checker, size_t len)
{
	const char *inject = e ? e->name : NULL;
	const char *c;
	struct backend_opts bo = { .profile = o->profile, .inject = inject };
	struct explore_opts xo = *o;
	struct sim_result fail;
	struct trace_prog tp;
	bool exhausted, found;

	xo.inject = inject;
	xo.iterations = iterations;
	xo.quiet = true;
	trace_prog_init(&tp, t, &model_backend_ops, &bo);
	memset(&fail, 0, sizeof(fail));
	found = explore_search(&tp, &xo, seed, &fail, execs, &exhausted, secs);
	if (found) {
		c = e ? zoo_result_checker(e, &fail) : NULL;
		snprintf(checker, len, "%s", c ? c : fail.nv ? fail.v[0].checker :
			 sim_outcome_name(fail.outcome));
	}
	sim_result_free(&fail);
	return found;
}

static void zoo_run_entry(const struct zoo_entry *e, const struct explore_opts *o,
			  struct zoo_result *res)
{
	struct explore_opts eo = *o;
	struct trace_error err;
	char path[512], dummy[48];
	uint64_t seed = o->seed_set ? o->seed : 1;
	struct trace *t;
	double secs;

	memset(res, 0, sizeof(*res));
	zoo_trace_path(e, zoo_dir(), path, sizeof(path));
	t = calloc(1, sizeof(*t));
	if (!t) {
		res->error = "out of memory";
		return;
	}
	if (trace_parse_file(path, t, &err)) {
		fprintf(stderr, "%s:%d:%d: %s\n", err.file, err.line, err.col, err.msg);
		res->error = "trace does not parse";
		free(t);
		return;
	}
	if (e->profile && !o->profile)
		eo.profile = e->profile;
	res->clean_ok = !zoo_explore(t, &eo, NULL, o->iterations ? o->iterations : ZOO_CLEAN_EXECS,
				     seed, &res->clean_execs, &secs, dummy, sizeof(dummy));
	if (!res->clean_ok)
		snprintf(res->checker, sizeof(res->checker), "clean: %s", dummy);
	else if (zoo_explore(t, &eo, e, o->iterations ? o->iterations : ZOO_DETECT_EXECS,
			     seed, &res->execs, &res->secs, res->checker, sizeof(res->checker)))
		res->found = zoo_checker_expected(e, res->checker);
	trace_free(t);
	free(t);
}

/**
 * zoo_cmd_run() - run the zoo (or the entries @names) and print a table.
 * @o: exploration options (strategy, seed, iterations, time, depth,
 *     profile, disable_checker); the seed defaults to 1
 * @names: entry names, or none for every entry
 * @nnames: number of @names
 *
 * Context: process context; runs explorations on the calling thread.
 * Return: GMEMSIM_EXIT_OK if every entry's clean run was clean and its
 * defect was found by an expected checker; GMEMSIM_EXIT_VIOLATION if any
 * was missed; GMEMSIM_EXIT_USAGE for an unknown name.
 */
int zoo_cmd_run(const struct explore_opts *o, char **names, int nnames)
{
	size_t n = nnames ? (size_t)nnames : zoo_nr_entries, i, missed = 0;
	const struct zoo_entry *e;
	struct zoo_result res;
	char sdesc[64];

	for (i = 0; i < (size_t)nnames; i++) {
		if (!zoo_find(names[i])) {
			fprintf(stderr, "gmemsim zoo run: no zoo entry '%s' (see 'gmemsim zoo list')\n",
				names[i]);
			return GMEMSIM_EXIT_USAGE;
		}
	}
	printf("gmemsim zoo run: %zu entr%s, strategy %s, seed %" PRIu64 "%s%s\n", n,
	       n == 1 ? "y" : "ies", explore_strategy_desc(o, sdesc, sizeof(sdesc)),
	       o->seed_set ? o->seed : 1, o->disable_checker ? ", checker disabled: " : "",
	       o->disable_checker ? o->disable_checker : "");
	printf("%-28s %-4s %7s %9s %9s  %-14s %s\n", "entry", "kind", "clean", "execs",
	       "seconds", "checker", "result");
	for (i = 0; i < n; i++) {
		e = nnames ? zoo_find(names[i]) : &zoo_entries[i];
		zoo_run_entry(e, o, &res);
		if (res.error) {
			printf("%-28s %-4s %7s %9s %9s  %-14s %s\n", e->name, e->race ? "race" : "seq",
			       "-", "-", "-", "-", res.error);
			missed++;
			continue;
		}
		if (!res.clean_ok || !res.found)
			missed++;
		printf("%-28s %-4s %7" PRIu64 " %9" PRIu64 " %9.4f  %-14s %s\n", e->name,
		       e->race ? "race" : "seq", res.clean_execs, res.execs, res.secs,
		       res.checker[0] ? res.checker : "-",
		       !res.clean_ok ? "FAIL (correct model not clean)" :
		       res.found ? "found" : res.checker[0] ? "MISSED (unexpected checker)" : "MISSED");
	}
	printf("%zu of %zu found%s\n", n - missed, n, missed ? "; the zoo FAILS" : "");
	return missed ? GMEMSIM_EXIT_VIOLATION : GMEMSIM_EXIT_OK;
}
