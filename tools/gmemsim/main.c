// SPDX-License-Identifier: GPL-2.0
/*
 * gmemsim: explore, replay, minimise and report races in the KVM
 * guest_memfd / memory-attributes model; run traces on the real /dev/kvm.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "explore/explore.h"
#include "backend/kvm/kvm_caps.h"
#include "backend/model/model_backend.h"
#include "trace/ir.h"
#include "zoo/zoo.h"

int gmemsim_cmd_diff(int argc, char **argv);

static const char *prog = "gmemsim";

static const char usage_top[] =
"usage: gmemsim <command> [options] ...\n"
"\n"
"commands:\n"
"  run TRACE                 execute a trace once (one schedule) and check it\n"
"  explore TRACE             search interleavings for a violation\n"
"  replay TRACE --schedule S replay one recorded schedule exactly\n"
"  minimize TRACE --schedule S [--shrink-trace [-o OUT]]\n"
"                            shrink a failing schedule to a 1-minimal one, then\n"
"                            (--shrink-trace) the trace's calls\n"
"  fmt TRACE                 print the trace in canonical form\n"
"  caps                      print /dev/kvm capabilities (system and per VM type)\n"
"  diff TRACE                run a single-threaded trace on the model and on /dev/kvm\n"
"                            and list every call whose result differs\n"
"  zoo list | zoo run [NAME...]\n"
"                            the bug zoo: list the injectable defects, or check that\n"
"                            each is clean without and found with its defect\n"
"\n"
"'gmemsim <command> --help' describes a command's options.\n"
"exit codes: 0 no violation, 1 violation or disagreement, 2 bad input or usage,\n"
"            77 skipped (a capability the trace needs is missing)\n";

static const char usage_common[] =
"options:\n"
"  -s, --seed N           seed for random/PCT (printed on every run)\n"
"      --strategy S       random | pct | dfs  (default pct)\n"
"  -d, --depth D          PCT depth (default 2)\n"
"      --preemptions P    DFS preemption bound (default 2)\n"
"  -n, --iterations N     executions to try (default: 10000; dfs: until exhausted)\n"
"  -t, --time SECONDS     stop after this long\n"
"  -j, --jobs N           parallel workers (default 1)\n"
"      --shard I/N        take the I-th of N deterministic parts of the search\n"
"      --executor E       fiber | pthread | free  (default fiber)\n"
"      --faults           let the search inject allocation failures and signals\n"
"      --inject NAME      run with a named model defect injected ('gmemsim zoo list')\n"
"      --disable-checker C  drop every violation of checker C (prove a finding needs it)\n"
"      --profile P        kernel profile: 6.18 | 7.1 | 7.2  (default 7.1)\n"
"      --backend B        model | kvm  (run only; default model)\n"
"      --schedule S       schedule string to replay/minimise\n"
"      --no-minimize      report the first failing schedule as found\n"
"      --shrink-trace     after minimising the schedule, drop the trace's threads and\n"
"                         calls the failure does not need; print the smaller trace\n"
"  -o, --output FILE      with --shrink-trace: write the smaller trace to FILE\n"
"      --timeline FILE    write a Chrome/Perfetto trace JSON of the failing run\n"
"      --html FILE        write a self-contained HTML page of the failing run\n"
"      --json             print one JSON object with the result\n"
"  -q, --quiet            no progress line\n"
"  -v, --verbose          print every event of the reported run\n"
"  -h, --help             this text\n";

enum {
	OPT_STRATEGY = 1000, OPT_PREEMPT, OPT_SHARD, OPT_EXECUTOR, OPT_FAULTS, OPT_INJECT,
	OPT_PROFILE, OPT_BACKEND, OPT_SCHEDULE, OPT_TIMELINE, OPT_HTML, OPT_JSON,
	OPT_NO_MIN, OPT_DISABLE_CHECKER, OPT_SHRINK,
};

static const struct option long_opts[] = {
	{ "seed", required_argument, NULL, 's' },
	{ "strategy", required_argument, NULL, OPT_STRATEGY },
	{ "depth", required_argument, NULL, 'd' },
	{ "preemptions", required_argument, NULL, OPT_PREEMPT },
	{ "iterations", required_argument, NULL, 'n' },
	{ "time", required_argument, NULL, 't' },
	{ "jobs", required_argument, NULL, 'j' },
	{ "shard", required_argument, NULL, OPT_SHARD },
	{ "executor", required_argument, NULL, OPT_EXECUTOR },
	{ "faults", no_argument, NULL, OPT_FAULTS },
	{ "inject", required_argument, NULL, OPT_INJECT },
	{ "disable-checker", required_argument, NULL, OPT_DISABLE_CHECKER },
	{ "profile", required_argument, NULL, OPT_PROFILE },
	{ "backend", required_argument, NULL, OPT_BACKEND },
	{ "schedule", required_argument, NULL, OPT_SCHEDULE },
	{ "timeline", required_argument, NULL, OPT_TIMELINE },
	{ "html", required_argument, NULL, OPT_HTML },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "no-minimize", no_argument, NULL, OPT_NO_MIN },
	{ "shrink-trace", no_argument, NULL, OPT_SHRINK },
	{ "output", required_argument, NULL, 'o' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static int usage_error(const char *cmd, const char *fmt, const char *arg)
{
	fprintf(stderr, "%s %s: ", prog, cmd);
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\n(try '%s %s --help')\n", prog, cmd);
	return GMEMSIM_EXIT_USAGE;
}

static int parse_u64(const char *s, uint64_t *out)
{
	char *end;

	if (!s || !*s || *s == '-')
		return -EINVAL;
	errno = 0;
	*out = strtoull(s, &end, 0);
	if (errno || *end)
		return -EINVAL;
	return 0;
}

static int parse_int(const char *s, int lo, int hi, int *out)
{
	uint64_t v;

	if (parse_u64(s, &v) || v < (uint64_t)lo || v > (uint64_t)hi)
		return -EINVAL;
	*out = (int)v;
	return 0;
}

/* Parse the common options; returns -1 to continue, else an exit code. */
static int parse_opts(const char *cmd, int argc, char **argv, struct explore_opts *o,
		      int nargs_wanted, const char *help)
{
	int c;
	double d;
	char *end;

	optind = 1;
	while ((c = getopt_long(argc, argv, "s:d:n:t:j:o:qvh", long_opts, NULL)) != -1) {
		switch (c) {
		case 's':
			if (parse_u64(optarg, &o->seed))
				return usage_error(cmd, "--seed expects a non-negative integer, got '%s'", optarg);
			o->seed_set = true;
			break;
		case OPT_STRATEGY:
			if (!strcmp(optarg, "random"))
				o->strategy = XS_RANDOM;
			else if (!strcmp(optarg, "pct"))
				o->strategy = XS_PCT;
			else if (!strcmp(optarg, "dfs"))
				o->strategy = XS_DFS;
			else
				return usage_error(cmd, "--strategy expects random, pct or dfs, got '%s'", optarg);
			break;
		case 'd':
			if (parse_int(optarg, 1, 64, &o->depth))
				return usage_error(cmd, "--depth expects 1..64, got '%s'", optarg);
			break;
		case OPT_PREEMPT:
			if (parse_int(optarg, 0, 64, &o->preemption_bound))
				return usage_error(cmd, "--preemptions expects 0..64, got '%s'", optarg);
			break;
		case 'n':
			if (parse_u64(optarg, &o->iterations) || !o->iterations)
				return usage_error(cmd, "--iterations expects a positive integer, got '%s'", optarg);
			break;
		case 't':
			d = strtod(optarg, &end);
			if (*end || !(d > 0) || d > 1e7)
				return usage_error(cmd, "--time expects a positive number of seconds, got '%s'", optarg);
			o->time_s = d;
			break;
		case 'j':
			if (parse_int(optarg, 1, 256, &o->jobs))
				return usage_error(cmd, "--jobs expects 1..256, got '%s'", optarg);
			break;
		case OPT_SHARD:
			if (sscanf(optarg, "%d/%d%c", &o->shard_i, &o->shard_n, (char[2]){0}) != 2 ||
			    o->shard_n < 1 || o->shard_i < 0 || o->shard_i >= o->shard_n)
				return usage_error(cmd, "--shard expects I/N with 0 <= I < N, got '%s'", optarg);
			break;
		case OPT_EXECUTOR:
			if (!strcmp(optarg, "fiber"))
				o->executor = XE_FIBER;
			else if (!strcmp(optarg, "pthread"))
				o->executor = XE_PTHREAD;
			else if (!strcmp(optarg, "free"))
				o->executor = XE_FREE;
			else
				return usage_error(cmd, "--executor expects fiber, pthread or free, got '%s'", optarg);
			break;
		case OPT_FAULTS: o->faults = true; break;
		case OPT_INJECT:
			if (!model_inject_valid(optarg))
				return usage_error(cmd, "--inject: no defect '%s' (see 'gmemsim zoo list')", optarg);
			o->inject = optarg;
			break;
		case OPT_DISABLE_CHECKER: o->disable_checker = optarg; break;
		case OPT_PROFILE:
			if (strcmp(optarg, "6.18") && strcmp(optarg, "7.1") && strcmp(optarg, "7.2"))
				return usage_error(cmd, "--profile expects 6.18, 7.1 or 7.2, got '%s'", optarg);
			o->profile = optarg;
			break;
		case OPT_BACKEND:
			if (strcmp(optarg, "model") && strcmp(optarg, "kvm"))
				return usage_error(cmd, "--backend expects model or kvm, got '%s'", optarg);
			o->backend = optarg;
			break;
		case OPT_SCHEDULE: o->schedule = optarg; break;
		case OPT_TIMELINE: o->timeline_path = optarg; break;
		case OPT_HTML: o->html_path = optarg; break;
		case OPT_JSON: o->json = true; break;
		case OPT_NO_MIN: o->minimize = false; break;
		case OPT_SHRINK: o->shrink_trace = true; break;
		case 'o': o->output_path = optarg; break;
		case 'q': o->quiet = true; break;
		case 'v': o->verbose++; break;
		case 'h':
			fputs(help, stdout);
			fputs(usage_common, stdout);
			return GMEMSIM_EXIT_OK;
		default:
			fprintf(stderr, "(try '%s %s --help')\n", prog, cmd);
			return GMEMSIM_EXIT_USAGE;
		}
	}
	if (nargs_wanted < 0)
		return -1;	/* any number of names, left in argv[optind...] */
	if (argc - optind != nargs_wanted)
		return usage_error(cmd, "expects exactly one TRACE argument%s", argc - optind > 1 ? " (got more)" : "");
	o->trace_path = argv[optind];
	return -1;
}

static int cmd_fmt(int argc, char **argv)
{
	struct trace_error err;
	struct trace *t;
	char *text;

	if (argc == 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		puts("usage: gmemsim fmt TRACE\n\nParse TRACE and print it in canonical form "
		     "(exit 2 with file:line:col on a parse error).");
		return GMEMSIM_EXIT_OK;
	}
	if (argc != 2)
		return usage_error("fmt", "expects exactly one TRACE argument%s", "");
	t = calloc(1, sizeof(*t));
	if (!t)
		return GMEMSIM_EXIT_USAGE;
	if (trace_parse_file(argv[1], t, &err)) {
		fprintf(stderr, "%s:%d:%d: %s\n", err.file, err.line, err.col, err.msg);
		free(t);
		return GMEMSIM_EXIT_USAGE;
	}
	text = trace_print(t);
	fputs(text, stdout);
	free(text);
	trace_free(t);
	free(t);
	return GMEMSIM_EXIT_OK;
}

static const char zoo_help[] =
"usage: gmemsim zoo list [--json]\n"
"       gmemsim zoo run [NAME...] [options]\n\n"
"list: every bug-zoo entry (an --inject name) with a one-line description;\n"
"--json adds spec reference, trace, expected checkers.\n"
"run: for each entry (default all), explore traces/zoo/NAME.trace on the\n"
"correct model (must be clean), then with the defect injected (a generic\n"
"checker must report it); print executions and seconds to detection.\n"
"Exit 1 if any entry is missed or its clean run is not clean.  Seed\n"
"default 1; GMEMSIM_ZOO_DIR overrides where the traces are.\n\n";

static int cmd_zoo(int argc, char **argv)
{
	struct explore_opts o;
	int rc;

	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		fputs(zoo_help, argc < 2 ? stderr : stdout);
		if (argc >= 2)
			fputs(usage_common, stdout);
		return argc < 2 ? GMEMSIM_EXIT_USAGE : GMEMSIM_EXIT_OK;
	}
	if (!strcmp(argv[1], "list")) {
		if (argc == 2)
			return zoo_cmd_list(false);
		if (argc == 3 && !strcmp(argv[2], "--json"))
			return zoo_cmd_list(true);
		if (argc == 3 && (!strcmp(argv[2], "--help") || !strcmp(argv[2], "-h"))) {
			fputs(zoo_help, stdout);
			return GMEMSIM_EXIT_OK;
		}
		return usage_error("zoo list", "takes only --json%s", "");
	}
	if (strcmp(argv[1], "run"))
		return usage_error("zoo", "expects 'list' or 'run', got '%s'", argv[1]);
	explore_opts_init(&o);
	o.quiet = true;
	rc = parse_opts("zoo run", argc - 1, argv + 1, &o, -1, zoo_help);
	if (rc >= 0)
		return rc;
	if (o.inject)
		return usage_error("zoo run", "takes entry NAMEs, not --inject%s", "");
	return zoo_cmd_run(&o, argv + 1 + optind, argc - 1 - optind);
}

static const struct {
	const char *name;
	const char *help;
	int (*fn)(const struct explore_opts *o);
	bool needs_schedule;
} trace_cmds[] = {
	{ "run", "usage: gmemsim run TRACE [options]\n\nExecute TRACE once: setup, the threads "
	  "under one schedule (--seed, or\n--schedule), final; check every expectation and checker.\n\n",
	  explore_cmd_run, false },
	{ "explore", "usage: gmemsim explore TRACE [options]\n\nSearch interleavings of TRACE's threads "
	  "for a violation (a failed expectation,\na checker, a WARN/BUG, deadlock, livelock); minimise "
	  "and report the first found.\n\n", explore_cmd_explore, false },
	{ "replay", "usage: gmemsim replay TRACE --schedule S [options]\n\nReplay one schedule exactly "
	  "and print its event-log hash and story.\n\n", explore_cmd_replay, true },
	{ "minimize", "usage: gmemsim minimize TRACE --schedule S [options]\n\nShrink a failing "
	  "schedule: shortest failing prefix, then remove preemptions\nuntil 1-minimal; with "
	  "--shrink-trace, then remove threads and calls the\nfailure does not need (each "
	  "smaller trace re-searched with a bounded DFS),\nand print the smaller trace and "
	  "its schedule.\n\n",
	  explore_cmd_minimize, true },
};

int main(int argc, char **argv)
{
	struct explore_opts o;
	size_t i;
	int rc;

	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
	    !strcmp(argv[1], "help")) {
		fputs(usage_top, argc < 2 ? stderr : stdout);
		return argc < 2 ? GMEMSIM_EXIT_USAGE : GMEMSIM_EXIT_OK;
	}
	if (!strcmp(argv[1], "fmt"))
		return cmd_fmt(argc - 1, argv + 1);
	if (!strcmp(argv[1], "caps"))
		return gmemsim_cmd_caps(argc - 1, argv + 1);
	if (!strcmp(argv[1], "diff"))
		return gmemsim_cmd_diff(argc - 1, argv + 1);
	if (!strcmp(argv[1], "zoo"))
		return cmd_zoo(argc - 1, argv + 1);
	for (i = 0; i < sizeof(trace_cmds) / sizeof(trace_cmds[0]); i++) {
		if (strcmp(argv[1], trace_cmds[i].name))
			continue;
		explore_opts_init(&o);
		rc = parse_opts(trace_cmds[i].name, argc - 1, argv + 1, &o, 1, trace_cmds[i].help);
		if (rc >= 0)
			return rc;
		if (trace_cmds[i].needs_schedule && !o.schedule)
			return usage_error(trace_cmds[i].name, "needs --schedule S%s", "");
		return trace_cmds[i].fn(&o);
	}
	fprintf(stderr, "%s: unknown command '%s'\n\n%s", prog, argv[1], usage_top);
	return GMEMSIM_EXIT_USAGE;
}
