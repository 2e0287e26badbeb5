// SPDX-License-Identifier: GPL-2.0
/*
 * Free-running executor: real pthreads, real locks (shim_ctx->sched ==
 * NULL), no control over the interleaving.  It exists for stress and TSan:
 * real concurrency finds data races in the model that the controlled
 * executors serialise away.  A watchdog reports a hang instead of hanging.
 *
 * Shim reports arrive through the process-wide shim_report_sink; the
 * sink here hands each to the run of the thread that reports (tl_free),
 * so runs on several OS threads at once each record their own.  Reports
 * from outside any run go on to the sink that was there before.  A run
 * the watchdog gave up on records nothing more: its result belongs to a
 * caller that has moved on.
 */
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sched_internal.h"

struct free_run {
	const struct sim_program *p;
	void *world;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int finished;
	bool done[SIM_MAX_THREADS];
	bool bugged;			/* a BUG ended a thread; its locks stay held */
	bool abandoned;			/* the watchdog fired; @r is not ours (under @mu) */
	struct free_run *next_abandoned;	/* abandoned_runs, under sink_mu */
	struct sim_result *r;
	const char *ignore_checker;	/* sim_run_opts.ignore_checker */
	size_t cap_v;
	struct shim_ctx ctx;
	struct shim_task task[SIM_MAX_THREADS];
	char name[SIM_MAX_THREADS][8];
	pthread_t pt[SIM_MAX_THREADS];
};

struct free_arg {
	struct free_run *fr;
	int tid;
};

static pthread_mutex_t sink_mu = PTHREAD_MUTEX_INITIALIZER;
static shim_report_fn saved_sink;	/* for reports from outside any run */
/* Runs the watchdog gave up on: kept for good, their threads may still run. */
static struct free_run *abandoned_runs;

static void record(struct free_run *fr, int tid, const char *checker, char *msg,
		   const char *site)
{
	struct sim_result *r;

	if (fr->ignore_checker && !strcmp(fr->ignore_checker, checker)) {
		free(msg);
		return;
	}
	pthread_mutex_lock(&fr->mu);
	if (fr->abandoned) {
		pthread_mutex_unlock(&fr->mu);
		fprintf(stderr, "%s: %s at %s (T%d of a run the watchdog gave up on)\n",
			checker, msg, site ?: "?", tid);
		free(msg);
		return;
	}
	r = fr->r;
	if (r->nv == fr->cap_v) {
		size_t nc = fr->cap_v ? 2 * fr->cap_v : 4;
		struct sim_violation *v = realloc(r->v, nc * sizeof(*v));

		if (!v) {
			pthread_mutex_unlock(&fr->mu);
			free(msg);
			return;
		}
		r->v = v;
		fr->cap_v = nc;
	}
	r->v[r->nv++] = (struct sim_violation){
		.step = 0, .tid = tid, .checker = strdup(checker), .msg = msg,
		.site = site ? strdup(site) : NULL,
	};
	pthread_mutex_unlock(&fr->mu);
}

static __thread struct free_run *tl_free;
static __thread bool tl_free_model;	/* a model thread of tl_free */

/* The calling model thread of a free run ends; it never returns. */
static void free_thread_end(struct free_run *fr, int tid) __attribute__((noreturn));

static void free_sink(enum shim_report_kind kind, const char *msg, const char *file, int line)
{
	struct free_run *fr = tl_free;
	shim_report_fn prev;
	char site[256];

	if (!fr) {
		pthread_mutex_lock(&sink_mu);
		prev = saved_sink;
		pthread_mutex_unlock(&sink_mu);
		if (prev)
			prev(kind, msg, file, line);
		else
			fprintf(stderr, "%s: %s at %s:%d\n", shim_report_name(kind), msg ?: "",
				file ?: "?", line);
		return;
	}
	snprintf(site, sizeof(site), "%s:%d", file ?: "?", line);
	/* The checker names of controlled runs: "WARN", not "WARNING". */
	record(fr, shim_current()->tid, sim_report_kind_name(kind), strdup(msg ?: ""), site);
	/*
	 * A BUG in one of this run's model threads ends that thread (its
	 * locks stay held) instead of the process; the run is then not
	 * checked and its world is abandoned.
	 */
	if (kind == SHIM_REPORT_BUG && tl_free_model) {
		__atomic_store_n(&fr->bugged, true, __ATOMIC_RELEASE);
		free_thread_end(fr, shim_current()->tid);
	}
}

/**
 * sim_free_violation() - Record a violation in the free-running execution
 * of the calling thread.
 * @checker: checker name.
 * @msg: malloc'ed message (consumed).
 *
 * Context: any.
 * Return: true if recorded, false if the thread is not in a free run.
 */
bool sim_free_violation(const char *checker, char *msg)
{
	if (!tl_free)
		return false;
	record(tl_free, shim_current()->tid, checker, msg, NULL);
	return true;
}

static void *free_thread(void *arg)
{
	struct free_arg *a = arg;
	struct free_run *fr = a->fr;
	int tid = a->tid;

	free(a);
	shim_ctx = &fr->ctx;
	tl_free = fr;
	tl_free_model = true;
	shim_task_enter(&fr->task[tid]);
	fr->p->thread(fr->world, tid);
	free_thread_end(fr, tid);
}

static void free_thread_end(struct free_run *fr, int tid)
{
	shim_task_exit();
	tl_free = NULL;
	tl_free_model = false;
	shim_ctx = NULL;
	pthread_mutex_lock(&fr->mu);
	fr->done[tid] = true;
	fr->finished++;
	pthread_cond_signal(&fr->cv);
	pthread_mutex_unlock(&fr->mu);
	pthread_exit(NULL);
}

/**
 * sim_run_free() - One free-running execution with a watchdog.
 * @p: the program.
 * @o: options (timeout_ms).
 * @r: the result: SIM_OK, SIM_VIOLATION, or SIM_HANG (the threads are then
 *     left running and the world is not torn down: the process should exit).
 *
 * Context: blocks until the threads end or the watchdog fires.
 * Return: @r->outcome.
 */
enum sim_outcome sim_run_free(const struct sim_program *p, const struct sim_run_opts *o,
			      struct sim_result *r)
{
	struct free_run *fr = calloc(1, sizeof(*fr));
	struct shim_ctx *saved_ctx = shim_ctx;
	uint32_t ms = o->timeout_ms ?: 10000;
	struct timespec dl;
	int created = 0;

	if (!fr) {
		r->outcome = SIM_ERROR;
		r->error = strdup("out of memory");
		return r->outcome;
	}
	fr->p = p;
	fr->r = r;
	fr->ignore_checker = o->ignore_checker;
	fr->ctx.slab = saved_ctx ? saved_ctx->slab : NULL;
	pthread_mutex_init(&fr->mu, NULL);
	pthread_cond_init(&fr->cv, NULL);
	for (int t = 0; t < p->nthreads; t++) {
		snprintf(fr->name[t], sizeof(fr->name[t]), "T%d", t & 63);
		fr->task[t].tid = t;
		fr->task[t].name = fr->name[t];
	}
	/* Installed once and left: it passes on what is not a run's. */
	pthread_mutex_lock(&sink_mu);
	if (__atomic_load_n(&shim_report_sink, __ATOMIC_ACQUIRE) != free_sink) {
		saved_sink = shim_report_sink;
		__atomic_store_n(&shim_report_sink, free_sink, __ATOMIC_RELEASE);
	}
	pthread_mutex_unlock(&sink_mu);

	shim_ctx = &fr->ctx;
	tl_free = fr;
	fr->world = p->setup ? p->setup(p->arg) : NULL;
	for (; created < p->nthreads; created++) {
		struct free_arg *a = malloc(sizeof(*a));

		if (!a)
			break;
		*a = (struct free_arg){ .fr = fr, .tid = created };
		if (pthread_create(&fr->pt[created], NULL, free_thread, a)) {
			free(a);
			break;
		}
	}
	clock_gettime(CLOCK_REALTIME, &dl);
	dl.tv_sec += ms / 1000;
	dl.tv_nsec += (long)(ms % 1000) * 1000000;
	if (dl.tv_nsec >= 1000000000) {
		dl.tv_sec++;
		dl.tv_nsec -= 1000000000;
	}
	pthread_mutex_lock(&fr->mu);
	while (fr->finished < created)
		if (pthread_cond_timedwait(&fr->cv, &fr->mu, &dl) == ETIMEDOUT)
			break;
	if (fr->finished < created) {
		char *m = NULL;
		size_t len = 0;
		FILE *f = open_memstream(&m, &len);

		if (f) {
			fprintf(f, "free-running: no progress after %u ms; still running:", ms);
			for (int t = 0; t < created; t++)
				if (!fr->done[t])
					fprintf(f, " T%d", t);
			fclose(f);
		}
		/* Its threads may still report: into nothing of the caller's. */
		fr->abandoned = true;
		fr->r = NULL;
		pthread_mutex_unlock(&fr->mu);
		pthread_mutex_lock(&sink_mu);
		fr->next_abandoned = abandoned_runs;
		abandoned_runs = fr;
		pthread_mutex_unlock(&sink_mu);
		for (int t = 0; t < created; t++)
			pthread_detach(fr->pt[t]);
		r->outcome = SIM_HANG;
		r->error = m;
		/* fr and the world stay: the threads still use them. */
		tl_free = NULL;
		shim_ctx = saved_ctx;
		return r->outcome;
	}
	pthread_mutex_unlock(&fr->mu);
	for (int t = 0; t < created; t++)
		pthread_join(fr->pt[t], NULL);
	if (created < p->nthreads) {
		r->outcome = SIM_ERROR;
		r->error = strdup("could not start threads");
	} else if (p->check && !__atomic_load_n(&fr->bugged, __ATOMIC_ACQUIRE)) {
		p->check(fr->world);
	}
	if (p->teardown)
		p->teardown(fr->world);
	tl_free = NULL;
	shim_ctx = saved_ctx;
	if (r->outcome == SIM_OK && r->nv)
		r->outcome = SIM_VIOLATION;
	pthread_cond_destroy(&fr->cv);
	pthread_mutex_destroy(&fr->mu);
	free(fr);
	return r->outcome;
}
