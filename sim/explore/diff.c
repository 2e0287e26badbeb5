// SPDX-License-Identifier: GPL-2.0
/*
 * gmemsim diff: run a single-threaded trace on the model and on /dev/kvm and
 * list every call whose result differs.  The kernel on the host is the
 * oracle for what it supports; what it lacks is skipped, never passed.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend/backend.h"
#include "backend/kvm/kvm_caps.h"
#include "explore/explore.h"
#include "explore/diff.h"
#include "explore/program.h"

/* Compare what a user can observe; fds and inode numbers differ by design. */
static bool results_differ(const struct trace_call *c, const struct trace_result *m,
			   const struct trace_result *k, char *why, size_t len)
{
	if (m->kind != k->kind) {
		snprintf(why, len, "result kind");
		return true;
	}
	switch (m->kind) {
	case TRES_OK:
		/*
		 * A call that can bind a handle returns a new fd or object:
		 * its number differs by design, bound or not.
		 */
		if (!trace_op_info(c->op)->binds && c->op != TOP_FSTAT && m->ret != k->ret) {
			snprintf(why, len, "return value");
			return true;
		}
		if (c->op == TOP_FSTAT && (m->ret != k->ret || m->st_blksize != k->st_blksize)) {
			snprintf(why, len, "fstat size/blksize");
			return true;
		}
		if (c->op == TOP_PRE_FAULT_MEMORY && m->remaining != k->remaining) {
			snprintf(why, len, "remaining size");
			return true;
		}
		if (m->value != k->value) {
			snprintf(why, len, "data read");
			return true;
		}
		return false;
	case TRES_ERRNO:
		if (m->err != k->err) {
			snprintf(why, len, "errno");
			return true;
		}
		if (c->op == TOP_PRE_FAULT_MEMORY && m->remaining != k->remaining) {
			snprintf(why, len, "remaining size");
			return true;
		}
		return false;
	case TRES_EXIT:
		if (m->err != k->err || m->exit_reason != k->exit_reason ||
		    m->mf_gpa != k->mf_gpa || m->mf_size != k->mf_size ||
		    m->mf_flags != k->mf_flags) {
			snprintf(why, len, "exit fields");
			return true;
		}
		return false;
	case TRES_SIGBUS:
	case TRES_SKIPPED:
		return false;
	}
	return false;
}

/**
 * diff_trace - run @t on the model and the kvm backend and compare
 * @t: a parsed trace with at most one thread
 * @profile: model profile, NULL for the host's
 * @tamper: test hook: called on each model result before comparison (may be NULL)
 * @out: where to print the differences
 * @ndiff: set to the number of differing calls
 * @nskipped: set to the number of calls skipped by either backend
 *
 * Context: process context; opens /dev/kvm.
 * Return: 0 on completion, -ENODEV when /dev/kvm cannot be used (skip),
 * -EINVAL for a trace diff cannot run, other negative errno on failure.
 */
int diff_trace(const struct trace *t, const char *profile,
	       void (*tamper)(const struct trace_call *c, struct trace_result *r),
	       FILE *out, int *ndiff, int *nskipped)
{
	const struct trace_thread *secs[3];
	struct backend_opts mo = { .profile = profile }, ko = { 0 };
	struct gmem_backend *mb, *kb;
	int s, i, tid;

	*ndiff = *nskipped = 0;
	if (t->nthreads > 1) {
		fprintf(out, "%s: diff runs single-threaded traces only (this one has %d threads)\n",
			t->path, t->nthreads);
		return -EINVAL;
	}
	if (!mo.profile)
		mo.profile = kvm_backend_host_profile();
	kb = kvm_backend_ops.create(t, &ko);
	if (!kb)
		return -ENODEV;
	mb = model_backend_ops.create(t, &mo);
	if (!mb) {
		kvm_backend_ops.destroy(kb, NULL, 0);
		return -ENOMEM;
	}
	secs[0] = &t->setup;
	secs[1] = t->nthreads ? &t->threads[0] : NULL;
	secs[2] = &t->final;
	for (s = 0; s < 3; s++) {
		const struct trace_thread *th = secs[s];

		if (!th)
			continue;
		tid = s == 1 ? 0 : -1;
		for (i = 0; i < th->ncalls; i++) {
			const struct trace_call *c = &th->calls[i];
			struct trace_result mr, kr;
			char mbuf[160], kbuf[160], cbuf[200], why[48];

			memset(&mr, 0, sizeof(mr));
			memset(&kr, 0, sizeof(kr));
			model_backend_ops.call(mb, tid, c, &mr);
			kvm_backend_ops.call(kb, tid, c, &kr);
			if (tamper)
				tamper(c, &mr);
			if (mr.kind == TRES_SKIPPED || kr.kind == TRES_SKIPPED) {
				(*nskipped)++;
				continue;
			}
			if (!results_differ(c, &mr, &kr, why, sizeof(why)))
				continue;
			(*ndiff)++;
			trace_result_format(&mr, mbuf, sizeof(mbuf));
			trace_result_format(&kr, kbuf, sizeof(kbuf));
			trace_call_format(t, c, cbuf, sizeof(cbuf));
			fprintf(out, "%s:%d: %s: %s differs: model %s, kernel %s\n", t->path,
				c->line, cbuf, why, mbuf, kbuf);
		}
	}
	model_backend_ops.destroy(mb, NULL, 0);
	kvm_backend_ops.destroy(kb, NULL, 0);
	return 0;
}

/* Trace line whose model result --tamper switches (0: none). */
static int diff_tamper_line;

/**
 * diff_tamper_switch() - deliberately change a model result
 * @r: the result; left as is when skipped
 *
 * Each kind becomes a result the kernel cannot have given at the same
 * time: a read's byte flips its low bit, any other success becomes
 * EINVAL, an errno becomes another one, an exit another reason, SIGBUS a
 * success.  For the test that diff detects a difference.
 *
 * Context: any.
 */
void diff_tamper_switch(struct trace_result *r)
{
	switch (r->kind) {
	case TRES_OK:
		if (r->value >= 0) {
			r->value ^= 1;
			break;
		}
		r->kind = TRES_ERRNO;
		r->ret = -1;
		r->err = EINVAL;
		break;
	case TRES_ERRNO:
		r->err = r->err == EINVAL ? EBADF : EINVAL;
		break;
	case TRES_EXIT:
		r->exit_reason = r->exit_reason == 8 ? 6 : 8;	/* SHUTDOWN <-> MMIO */
		break;
	case TRES_SIGBUS:
		r->kind = TRES_OK;
		r->ret = 0;
		r->value = 0;
		break;
	case TRES_SKIPPED:
		break;
	}
}

static void diff_tamper_cli(const struct trace_call *c, struct trace_result *r)
{
	if (c->line == diff_tamper_line)
		diff_tamper_switch(r);
}

int gmemsim_cmd_diff(int argc, char **argv)
{
	const char *profile = NULL;
	struct trace_error err;
	int ndiff, nskip, rc, i;
	struct trace *t;
	char *end;

	diff_tamper_line = 0;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			puts("usage: gmemsim diff TRACE [--profile P]\n\n"
			     "Run a single-threaded TRACE on the model and on /dev/kvm and list every call\n"
			     "whose result differs (return value, errno, exit fields, data read).\n"
			     "The model profile defaults to the one matching the host kernel.\n"
			     "exit: 0 no difference, 1 differences, 2 bad input, 77 /dev/kvm or a\n"
			     "capability the trace needs is missing.");
			return GMEMSIM_EXIT_OK;
		}
		if (!strcmp(argv[i], "--profile") && i + 1 < argc) {
			profile = argv[++i];
			continue;
		}
		/* Hidden, for tests: switch the model's result of the call on LINE. */
		if (!strcmp(argv[i], "--tamper") && i + 1 < argc) {
			diff_tamper_line = (int)strtol(argv[++i], &end, 10);
			if (*end || diff_tamper_line <= 0) {
				fprintf(stderr, "gmemsim diff: --tamper expects a trace line number, got '%s'\n",
					argv[i]);
				return GMEMSIM_EXIT_USAGE;
			}
			continue;
		}
		if (argv[i][0] == '-' || i != argc - 1) {
			fprintf(stderr, "gmemsim diff: unexpected argument '%s' (try 'gmemsim diff --help')\n",
				argv[i]);
			return GMEMSIM_EXIT_USAGE;
		}
	}
	if (argc < 2 || argv[argc - 1][0] == '-') {
		fprintf(stderr, "gmemsim diff: expects a TRACE argument (try 'gmemsim diff --help')\n");
		return GMEMSIM_EXIT_USAGE;
	}
	t = calloc(1, sizeof(*t));
	if (!t)
		return GMEMSIM_EXIT_USAGE;
	if (trace_parse_file(argv[argc - 1], t, &err)) {
		fprintf(stderr, "%s:%d:%d: %s\n", err.file, err.line, err.col, err.msg);
		free(t);
		return GMEMSIM_EXIT_USAGE;
	}
	rc = diff_trace(t, profile, diff_tamper_line ? diff_tamper_cli : NULL, stdout,
			&ndiff, &nskip);
	if (rc == -ENODEV) {
		printf("%s: skipped: /dev/kvm or a capability the trace needs is missing\n", t->path);
		rc = GMEMSIM_EXIT_SKIP;
	} else if (rc) {
		rc = GMEMSIM_EXIT_USAGE;
	} else {
		printf("%s: %d difference%s, %d call%s skipped\n", t->path, ndiff,
		       ndiff == 1 ? "" : "s", nskip, nskip == 1 ? "" : "s");
		rc = ndiff ? GMEMSIM_EXIT_VIOLATION : GMEMSIM_EXIT_OK;
	}
	trace_free(t);
	free(t);
	return rc;
}
