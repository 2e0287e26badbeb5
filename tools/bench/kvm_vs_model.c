// SPDX-License-Identifier: GPL-2.0
/*
 * kvm_vs_model: the same single-threaded trace run N times on the real
 * kernel (kvm backend) and on the model (model backend, host's profile),
 * each run in a fresh world (a new VM, gmem, vCPU ...).  Every call's
 * expectation is checked on both backends, so the two time the same
 * agreed-on work.  Prints calls/s of each and the ratio model/kernel
 * (goal: >= 20x).
 *
 * Default trace: traces/conformance/mix-lifecycle.trace (create, allocate,
 * bind a GMEM_ONLY slot, host mmap writes/reads, guest writes/reads, punch,
 * unbind, re-bind, close).
 *
 * Usage: kvm_vs_model [-n KERNEL_RUNS] [-m MODEL_RUNS] [TRACE]
 * Exit: 0, 1 (an expectation failed), 2 usage, 77 no /dev/kvm.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "backend/backend.h"
#include "backend/kvm/kvm_caps.h"
#include "backend/kvm/kvm_util.h"
#include "trace/ir.h"

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int run_section(const struct gmem_backend_ops *ops, struct gmem_backend *b,
		       const struct trace *t, const struct trace_thread *th, long *ncalls)
{
	char buf[160];

	for (int i = 0; i < th->ncalls; i++) {
		const struct trace_call *c = &th->calls[i];
		struct trace_result r;

		trace_result_init(&r);
		ops->call(b, -1, c, &r);
		(*ncalls)++;
		if (r.kind != TRES_SKIPPED && c->expect.nalts &&
		    !trace_result_matches(&c->expect, &r)) {
			trace_result_format(&r, buf, sizeof(buf));
			fprintf(stderr, "%s:%d: %s backend returned %s, not what the trace expects\n",
				t->path, c->line, ops->name, buf);
			return -1;
		}
	}
	return 0;
}

/* @runs fresh executions of @t on @ops; returns seconds, or < 0 on failure. */
static double bench(const struct gmem_backend_ops *ops, const struct trace *t,
		    const char *profile, long runs, long *ncalls)
{
	struct backend_opts bo = { .profile = profile };
	double t0 = now_s();

	*ncalls = 0;
	for (long i = 0; i < runs; i++) {
		struct gmem_backend *b = ops->create(t, &bo);
		int rc;

		if (!b) {
			fprintf(stderr, "%s backend: cannot run %s: %s\n", ops->name, t->path,
				strerror(errno));
			return -1;
		}
		rc = run_section(ops, b, t, &t->setup, ncalls);
		if (!rc)
			rc = run_section(ops, b, t, &t->final, ncalls);
		ops->destroy(b, NULL, 0);
		if (rc)
			return -1;
	}
	return now_s() - t0;
}

int main(int argc, char **argv)
{
	const char *path = GMEMSIM_CONFORMANCE_DIR "/mix-lifecycle.trace";
	long nk = 20, nm = 2000, ck, cm;
	const char *profile;
	struct trace_error err;
	double sk, sm, rk, rm;
	struct trace *t;
	char *end;
	int i;

	for (i = 1; i < argc; i++) {
		if ((!strcmp(argv[i], "-n") || !strcmp(argv[i], "-m")) && i + 1 < argc) {
			long v = strtol(argv[i + 1], &end, 10);

			if (*end || v < 1 || v > 10000000) {
				fprintf(stderr, "kvm_vs_model: %s expects a run count, got '%s'\n",
					argv[i], argv[i + 1]);
				return 2;
			}
			if (argv[i][1] == 'n')
				nk = v;
			else
				nm = v;
			i++;
		} else if (argv[i][0] != '-') {
			path = argv[i];
		} else {
			fprintf(stderr, "usage: kvm_vs_model [-n KERNEL_RUNS] [-m MODEL_RUNS] [TRACE]\n");
			return 2;
		}
	}
	if (!kvm_available()) {
		printf("kvm_vs_model: %s not available, skipping\n", KVM_DEV_PATH);
		return 77;
	}
	t = calloc(1, sizeof(*t));
	if (!t)
		return 2;
	if (trace_parse_file(path, t, &err)) {
		fprintf(stderr, "%s:%d:%d: %s\n", err.file, err.line, err.col, err.msg);
		free(t);
		return 2;
	}
	if (t->nthreads) {
		fprintf(stderr, "%s: expected a single-threaded trace (setup/final only)\n", path);
		trace_free(t);
		free(t);
		return 2;
	}
	profile = kvm_backend_host_profile();
	/* One warm-up run each, untimed. */
	if (bench(&kvm_backend_ops, t, NULL, 1, &ck) < 0 ||
	    bench(&model_backend_ops, t, profile, 1, &cm) < 0)
		goto fail;
	sk = bench(&kvm_backend_ops, t, NULL, nk, &ck);
	sm = bench(&model_backend_ops, t, profile, nm, &cm);
	if (sk <= 0 || sm <= 0)
		goto fail;
	rk = ck / sk;
	rm = cm / sm;
	printf("trace %s (%d calls per run), model profile %s\n", path, t->setup.ncalls +
	       t->final.ncalls, profile);
	printf("kernel: %6ld runs in %7.3f s: %10.0f calls/s, %9.1f runs/s\n", nk, sk, rk, nk / sk);
	printf("model:  %6ld runs in %7.3f s: %10.0f calls/s, %9.1f runs/s\n", nm, sm, rm, nm / sm);
	printf("model/kernel: %.1fx (goal >= 20x)\n", rm / rk);
	trace_free(t);
	free(t);
	return 0;
fail:
	trace_free(t);
	free(t);
	return 1;
}
