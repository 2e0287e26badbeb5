// SPDX-License-Identifier: GPL-2.0
/*
 * gmemsim run --backend kvm: the trace on the real kernel.  Threads run free
 * on real pthreads: interleavings are whatever the host does, not
 * controlled or replayable, and the report says so.
 */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend/backend.h"
#include "explore/explore_internal.h"

struct kvm_run_ctx {
	const struct trace *t;
	struct gmem_backend *b;
	_Atomic int mismatches;
	pthread_mutex_t out_lock;
	bool verbose;
};

struct kvm_thread_arg { struct kvm_run_ctx *c; int tid; };

static void kvm_section(struct kvm_run_ctx *c, const struct trace_thread *th, int tid)
{
	for (int i = 0; i < th->ncalls; i++) {
		const struct trace_call *call = &th->calls[i];
		struct trace_result r;
		char cbuf[160], rbuf[160];
		bool bad;

		memset(&r, 0, sizeof(r));
		r.value = -2;
		kvm_backend_ops.call(c->b, tid, call, &r);
		bad = r.kind != TRES_SKIPPED && call->expect.nalts &&
		      !trace_result_matches(&call->expect, &r);
		if (bad)
			atomic_fetch_add(&c->mismatches, 1);
		if (!bad && !c->verbose)
			continue;
		trace_call_format(c->t, call, cbuf, sizeof(cbuf));
		trace_result_format(&r, rbuf, sizeof(rbuf));
		pthread_mutex_lock(&c->out_lock);
		printf("%s:%d: %s%s -> %s%s\n", c->t->path, call->line,
		       tid >= 0 ? c->t->threads[tid].name : "", tid >= 0 ? ": " : "", cbuf, rbuf);
		if (bad)
			printf("    ^ expectation failed\n");
		pthread_mutex_unlock(&c->out_lock);
	}
}

static void *kvm_thread(void *arg)
{
	struct kvm_thread_arg *a = arg;

	kvm_section(a->c, &a->c->t->threads[a->tid], a->tid);
	return NULL;
}

int explore_run_kvm(const struct explore_opts *o)
{
	struct kvm_thread_arg args[TRACE_MAX_THREADS];
	pthread_t th[TRACE_MAX_THREADS];
	struct backend_opts bo = { .profile = o->profile };
	struct trace_error err;
	struct kvm_run_ctx c;
	struct trace *t;
	int i, n, rc;

	t = calloc(1, sizeof(*t));
	if (!t)
		return GMEMSIM_EXIT_USAGE;
	if (trace_parse_file(o->trace_path, t, &err)) {
		fprintf(stderr, "%s:%d:%d: %s\n", err.file, err.line, err.col, err.msg);
		free(t);
		return GMEMSIM_EXIT_USAGE;
	}
	if (t->req.backends && !(t->req.backends & (1u << TRACE_BACKEND_KVM))) {
		printf("%s: skipped: the trace is for the model backend only\n", t->path);
		rc = GMEMSIM_EXIT_SKIP;
		goto out;
	}
	memset(&c, 0, sizeof(c));
	c.t = t;
	c.verbose = o->verbose > 0;
	pthread_mutex_init(&c.out_lock, NULL);
	c.b = kvm_backend_ops.create(t, &bo);
	if (!c.b) {
		printf("%s: skipped: /dev/kvm or a capability the trace needs is missing (%s)\n",
		       t->path, strerror(errno));
		rc = GMEMSIM_EXIT_SKIP;
		goto out;
	}
	kvm_section(&c, &t->setup, -1);
	if (t->nthreads > 1)
		printf("%s: %d threads run free on the real kernel: interleavings are not "
		       "controlled or replayable\n", t->path, t->nthreads);
	for (n = 0; n < t->nthreads; n++) {
		args[n] = (struct kvm_thread_arg){ &c, n };
		if (pthread_create(&th[n], NULL, kvm_thread, &args[n]))
			break;
	}
	for (i = 0; i < n; i++)
		pthread_join(th[i], NULL);
	kvm_section(&c, &t->final, -1);
	kvm_backend_ops.destroy(c.b, NULL, 0);
	pthread_mutex_destroy(&c.out_lock);
	printf("%s: kvm backend: %d expectation%s failed\n", t->path, atomic_load(&c.mismatches),
	       atomic_load(&c.mismatches) == 1 ? "" : "s");
	rc = atomic_load(&c.mismatches) ? GMEMSIM_EXIT_VIOLATION : GMEMSIM_EXIT_OK;
out:
	trace_free(t);
	free(t);
	return rc;
}
