// SPDX-License-Identifier: GPL-2.0
/*
 * kvm_stress: N host threads punch, allocate and touch (write and read
 * through the host's mmap) a guest_memfd while a vCPU thread reads and
 * writes the same memory through a GMEM_ONLY memslot, on the real kernel
 * (kvm backend, free pthreads) and on the model (model backend under the
 * free-running executor).  Interleavings are whatever the host does; they
 * are not controlled or replayable.
 *
 * Setup: a DEFAULT VM, a gmem created with MMAP|INIT_SHARED and mapped
 * MAP_SHARED, a memslot with flags GUEST_MEMFD whose userspace_addr is that
 * mapping, one vCPU.
 *
 * Invariants (user-visible, checked exactly despite real concurrency):
 *  - Every page has one owner thread, the only one that changes it: a host
 *    thread (host_write through the mapping, PUNCH_HOLE, allocate) or the
 *    vCPU thread (guest_write).  Around a change the owner makes the page's
 *    sequence count odd, and even again after storing the page's new
 *    content (the byte written, or 0 after a punch returned).  Allocation
 *    changes no content and is not announced.
 *  - The owner reads its own pages exactly: the content it last stored.
 *  - Any other thread reads like a seqlock reader: sequence s1 (even), the
 *    content, the access, sequence s2.  If s1 == s2 nothing changed during
 *    the access and the read must return exactly that content; so guest and
 *    host see the same bytes, and after a punch returned both read zeros
 *    until the next write.  If the sequence moved, the read raced with a
 *    change and is counted, not checked.
 *  - No call fails, exits or SIGBUSes.
 *
 * Usage: kvm_stress [--backend kvm|model|both] [-t HOST_THREADS] [-d SECONDS]
 *                   [-p PAGES] [-q] [--broken-punch]
 * --broken-punch makes the test itself wrong (a punch is recorded as keeping
 * the old content), to prove the checks fire: it must report violations.
 * Exit: 0 no violation, 1 violations, 2 usage, 77 /dev/kvm missing (kvm).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <time.h>

#include "backend/backend.h"
#include "backend/kvm/kvm_util.h"
#include "sched/sched.h"
#include "trace/ir.h"

#define PAGE		4096ULL
#define GPA_BASE	0x100000ULL
#define MAX_PAGES	256
#define MAX_HOST	(TRACE_MAX_THREADS - 1)	/* + the vCPU thread */
#define MAX_REPORTS	10

enum { H_VM, H_GMEM, H_MAP, H_VCPU };

enum stress_op {
	SO_HOST_WRITE, SO_PUNCH, SO_ALLOC, SO_HOST_READ_OWN, SO_HOST_READ_OTHER,
	SO_GUEST_WRITE, SO_GUEST_READ_OWN, SO_GUEST_READ_OTHER, SO_NR,
};

static const char *const op_names[SO_NR] = {
	"host_write", "punch", "allocate", "host_read(own)", "host_read(other)",
	"guest_write", "guest_read(own)", "guest_read(host's)",
};

struct page_state {
	_Atomic unsigned int seq;	/* odd while the owner changes the page */
	_Atomic int content;		/* the byte of every byte of the page */
};

struct stress {
	const struct gmem_backend_ops *ops;
	struct gmem_backend *b;
	int nhost, npages;
	double seconds, deadline;
	bool quiet;
	bool broken_punch;		/* checker self-test: record a punch wrongly */
	struct page_state pg[MAX_PAGES];
	_Atomic unsigned long ops_done[SO_NR];
	_Atomic unsigned long raced;	/* seqlock reads that overlapped a change */
	_Atomic unsigned long violations;
	pthread_mutex_t out_lock;
	struct trace t;			/* what the backends are created for */
};

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

#define A(v)	((struct trace_arg){ .value = (uint64_t)(v) })
#define H(h)	((struct trace_arg){ .is_handle = true, .handle = (h) })

static void do_call(struct stress *s, int tid, enum trace_op op, int bind, int nargs,
		    const struct trace_arg *args, struct trace_result *r)
{
	struct trace_call c = { .op = op, .nargs = nargs, .bind = bind, .line = 0 };

	memcpy(c.args, args, nargs * sizeof(*args));
	trace_result_init(r);
	s->ops->call(s->b, tid, &c, r);
}

#define CALL(s, tid, op, bind, r, ...)					\
	do_call(s, tid, op, bind,					\
		(int)(sizeof((struct trace_arg[]){ __VA_ARGS__ }) /	\
		      sizeof(struct trace_arg)),			\
		(struct trace_arg[]){ __VA_ARGS__ }, r)

static void violation(struct stress *s, int tid, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void violation(struct stress *s, int tid, const char *fmt, ...)
{
	unsigned long n = atomic_fetch_add(&s->violations, 1);
	va_list ap;

	if (n >= MAX_REPORTS)
		return;
	pthread_mutex_lock(&s->out_lock);
	printf("  VIOLATION (%s, thread %d): ", s->ops->name, tid);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	pthread_mutex_unlock(&s->out_lock);
}

static const char *fmt_res(const struct trace_result *r, char *buf, size_t len)
{
	trace_result_format(r, buf, len);
	return buf;
}

/* The call must have succeeded; reads: the value, else -2. */
static int expect_ok(struct stress *s, int tid, const char *what, int page,
		     const struct trace_result *r)
{
	char buf[160];

	if (r->kind == TRES_OK)
		return r->value;
	violation(s, tid, "%s of page %d: %s", what, page, fmt_res(r, buf, sizeof(buf)));
	return -3;
}

/* xorshift64 per thread: deterministic sequence of choices per thread. */
static uint64_t next_rand(uint64_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

static int owner_of(const struct stress *s, int page)
{
	return page % (s->nhost + 1);
}

/* A page owned by @tid (or by the vCPU thread when @tid == nhost). */
static int pick_page(const struct stress *s, int tid, uint64_t *x)
{
	int per = 0, k, page;

	for (page = tid; page < s->npages; page += s->nhost + 1)
		per++;
	if (!per)
		return -1;
	k = (int)(next_rand(x) % per);
	return tid + k * (s->nhost + 1);
}

/* A page not owned by @tid; -1 if there is none. */
static int pick_other(const struct stress *s, int tid, uint64_t *x)
{
	int tries, page;

	for (tries = 0; tries < 16; tries++) {
		page = (int)(next_rand(x) % s->npages);
		if (owner_of(s, page) != tid)
			return page;
	}
	return -1;
}

/* Owner side: announce a change of @page, make it, store the new content. */
static void change_begin(struct stress *s, int page)
{
	atomic_fetch_add(&s->pg[page].seq, 1);
}

static void change_end(struct stress *s, int page, int content)
{
	atomic_store(&s->pg[page].content, content);
	atomic_fetch_add(&s->pg[page].seq, 1);
}

/* Reader side: read @page of another owner with @read; check if quiet. */
static void seqlock_read(struct stress *s, int tid, int page, bool guest, enum stress_op op)
{
	struct trace_result r;
	unsigned int s1, s2;
	int want, got;

	s1 = atomic_load(&s->pg[page].seq);
	if (s1 & 1)
		return;		/* owner mid-change: try another time */
	want = atomic_load(&s->pg[page].content);
	if (guest)
		CALL(s, tid, TOP_GUEST_READ, -1, &r, H(H_VCPU), A(GPA_BASE + page * PAGE),
		     A(PAGE), A(0));
	else
		CALL(s, tid, TOP_HOST_READ, -1, &r, H(H_MAP), A(page * PAGE), A(PAGE));
	got = expect_ok(s, tid, op_names[op], page, &r);
	s2 = atomic_load(&s->pg[page].seq);
	atomic_fetch_add(&s->ops_done[op], 1);
	if (got == -3)
		return;
	if (s1 != s2) {
		atomic_fetch_add(&s->raced, 1);
		return;
	}
	if (got != want)
		violation(s, tid, "%s of page %d read %s0x%02x, the page holds 0x%02x (seq %u)%s",
			  op_names[op], page, got == TRACE_VALUE_MIXED ? "MIXED, not " : "",
			  got == TRACE_VALUE_MIXED ? want : got, want, s1,
			  want ? "" : ": after a punch returned, reads must give zeros");
}

static void own_read(struct stress *s, int tid, int page, bool guest)
{
	enum stress_op op = guest ? SO_GUEST_READ_OWN : SO_HOST_READ_OWN;
	int want = atomic_load(&s->pg[page].content);
	struct trace_result r;
	int got;

	if (guest)
		CALL(s, tid, TOP_GUEST_READ, -1, &r, H(H_VCPU), A(GPA_BASE + page * PAGE),
		     A(PAGE), A(0));
	else
		CALL(s, tid, TOP_HOST_READ, -1, &r, H(H_MAP), A(page * PAGE), A(PAGE));
	got = expect_ok(s, tid, op_names[op], page, &r);
	atomic_fetch_add(&s->ops_done[op], 1);
	if (got != -3 && got != want)
		violation(s, tid, "%s of page %d read %d, its owner stored 0x%02x",
			  op_names[op], page, got, want);
}

static void host_step(struct stress *s, int tid, uint64_t *x, int *next_byte)
{
	unsigned int dice = next_rand(x) % 100;
	int page = pick_page(s, tid, x), other, byte;
	struct trace_result r;

	if (dice >= 85) {
		/* Any other owner's page: the vCPU's, or another host thread's. */
		other = pick_other(s, tid, x);
		if (other >= 0)
			seqlock_read(s, tid, other, false, SO_HOST_READ_OTHER);
		return;
	}
	if (page < 0)
		return;
	if (dice < 35) {
		byte = *next_byte;
		*next_byte = *next_byte % 255 + 1;
		change_begin(s, page);
		CALL(s, tid, TOP_HOST_WRITE, -1, &r, H(H_MAP), A(page * PAGE), A(byte), A(PAGE));
		expect_ok(s, tid, "host_write", page, &r);
		change_end(s, page, byte);
		atomic_fetch_add(&s->ops_done[SO_HOST_WRITE], 1);
	} else if (dice < 55) {
		byte = s->broken_punch ? atomic_load(&s->pg[page].content) : 0;
		change_begin(s, page);
		CALL(s, tid, TOP_FALLOCATE, -1, &r, H(H_GMEM), A(0x3), A(page * PAGE), A(PAGE));
		expect_ok(s, tid, "punch", page, &r);
		change_end(s, page, byte);
		atomic_fetch_add(&s->ops_done[SO_PUNCH], 1);
	} else if (dice < 65) {
		CALL(s, tid, TOP_FALLOCATE, -1, &r, H(H_GMEM), A(0x1), A(page * PAGE), A(PAGE));
		expect_ok(s, tid, "allocate", page, &r);
		atomic_fetch_add(&s->ops_done[SO_ALLOC], 1);
	} else {
		own_read(s, tid, page, false);
	}
}

static void vcpu_step(struct stress *s, int tid, uint64_t *x, int *next_byte)
{
	unsigned int dice = next_rand(x) % 100;
	int page = pick_page(s, tid, x), other, byte;
	struct trace_result r;

	if (dice >= 50 || page < 0) {
		other = pick_other(s, tid, x);
		if (other >= 0)
			seqlock_read(s, tid, other, true, SO_GUEST_READ_OTHER);
		return;
	}
	if (dice < 30) {
		byte = *next_byte;
		*next_byte = *next_byte % 255 + 1;
		change_begin(s, page);
		CALL(s, tid, TOP_GUEST_WRITE, -1, &r, H(H_VCPU), A(GPA_BASE + page * PAGE),
		     A(byte), A(PAGE), A(0));
		expect_ok(s, tid, "guest_write", page, &r);
		change_end(s, page, byte);
		atomic_fetch_add(&s->ops_done[SO_GUEST_WRITE], 1);
	} else {
		own_read(s, tid, page, true);
	}
}

static void stress_thread(struct stress *s, int tid)
{
	uint64_t x = 0x9e3779b97f4a7c15ULL * (uint64_t)(tid + 1);
	int next_byte = 1 + tid * 37 % 255;

	while (now_s() < s->deadline) {
		if (tid == s->nhost)
			vcpu_step(s, tid, &x, &next_byte);
		else
			host_step(s, tid, &x, &next_byte);
	}
}

/* VM, gmem (MMAP|INIT_SHARED), its mapping, the GMEM_ONLY slot, a vCPU. */
static int stress_setup(struct stress *s)
{
	uint64_t size = s->npages * PAGE;
	struct trace_result r;
	char buf[160];

	CALL(s, -1, TOP_VM_CREATE, H_VM, &r, A(0));
	if (r.kind != TRES_OK)
		goto fail;
	CALL(s, -1, TOP_CREATE_GUEST_MEMFD, H_GMEM, &r, H(H_VM), A(size), A(0x3), A(0));
	if (r.kind != TRES_OK)
		goto fail;
	CALL(s, -1, TOP_MMAP, H_MAP, &r, H(H_GMEM), A(size), A(0x3), A(0x1), A(0));
	if (r.kind != TRES_OK)
		goto fail;
	CALL(s, -1, TOP_SET_USER_MEMORY_REGION2, -1, &r, H(H_VM), A(0), A(0x4), A(GPA_BASE),
	     A(size), H(H_MAP), H(H_GMEM), A(0));
	if (r.kind != TRES_OK)
		goto fail;
	CALL(s, -1, TOP_VCPU_CREATE, H_VCPU, &r, H(H_VM), A(0));
	if (r.kind != TRES_OK)
		goto fail;
	return 0;
fail:
	printf("  %s: setup failed: %s\n", s->ops->name, fmt_res(&r, buf, sizeof(buf)));
	return -1;
}

static void report(struct stress *s, double elapsed)
{
	unsigned long total = 0, host = 0, guest = 0;
	int i;

	for (i = 0; i < SO_NR; i++) {
		unsigned long n = atomic_load(&s->ops_done[i]);

		total += n;
		if (i >= SO_GUEST_WRITE)
			guest += n;
		else
			host += n;
	}
	printf("%-6s %d host threads + 1 vCPU, %d pages, %.2f s: %lu ops, %.0f ops/s "
	       "(host %.0f/s, guest %.0f/s); %lu seqlock reads raced; %lu violation%s\n",
	       s->ops->name, s->nhost, s->npages, elapsed, total, total / elapsed,
	       host / elapsed, guest / elapsed, atomic_load(&s->raced),
	       atomic_load(&s->violations), atomic_load(&s->violations) == 1 ? "" : "s");
	if (s->quiet)
		return;
	for (i = 0; i < SO_NR; i++)
		printf("         %-20s %lu\n", op_names[i], atomic_load(&s->ops_done[i]));
}

/* ---- the real kernel: free pthreads ------------------------------------ */

struct kthread_arg {
	struct stress *s;
	int tid;
};

static void *kthread_fn(void *p)
{
	struct kthread_arg *a = p;

	stress_thread(a->s, a->tid);
	return NULL;
}

static int run_kernel(struct stress *s)
{
	struct kthread_arg args[TRACE_MAX_THREADS];
	pthread_t th[TRACE_MAX_THREADS];
	double t0;
	int i, n;

	if (!kvm_available()) {
		printf("kvm    skipped: %s is not available\n", KVM_DEV_PATH);
		return 77;
	}
	s->ops = &kvm_backend_ops;
	s->b = s->ops->create(&s->t, NULL);
	if (!s->b) {
		printf("kvm    skipped: backend: %s\n", strerror(errno));
		return 77;
	}
	if (stress_setup(s)) {
		s->ops->destroy(s->b, NULL, 0);
		return 1;
	}
	t0 = now_s();
	s->deadline = t0 + s->seconds;
	for (n = 0; n <= s->nhost; n++) {
		args[n] = (struct kthread_arg){ s, n };
		if (pthread_create(&th[n], NULL, kthread_fn, &args[n]))
			break;
	}
	for (i = 0; i < n; i++)
		pthread_join(th[i], NULL);
	report(s, now_s() - t0);
	s->ops->destroy(s->b, NULL, 0);
	return atomic_load(&s->violations) ? 1 : 0;
}

/* ---- the model: free-running executor ---------------------------------- */

static void *mprog_setup(void *arg)
{
	struct stress *s = arg;

	s->b = s->ops->create(&s->t, NULL);
	if (!s->b) {
		sim_violation("setup", "the model backend could not create a world");
		return NULL;
	}
	if (stress_setup(s))
		sim_violation("setup", "stress setup failed on the model");
	s->deadline = now_s() + s->seconds;
	return s;
}

static void mprog_thread(void *world, int tid)
{
	struct stress *s = world;

	if (s)
		stress_thread(s, tid);
}

static void report_backend(struct stress *s, struct backend_violation *v, int n)
{
	for (int i = 0; i < n; i++)
		violation(s, -1, "model checker %s: %s", v[i].checker, v[i].msg);
}

static void mprog_check(void *world)
{
	struct backend_violation v[16];
	struct stress *s = world;

	if (!s)
		return;
	report_backend(s, v, s->ops->check(s->b, v, 16));
}

static void mprog_teardown(void *world)
{
	struct backend_violation v[16];
	struct stress *s = world;

	if (!s || !s->b)
		return;
	report_backend(s, v, s->ops->destroy(s->b, v, 16));
	s->b = NULL;
}

static int run_model(struct stress *s)
{
	struct sim_program p = {
		.name = "kvm_stress",
		.nthreads = s->nhost + 1,
		.setup = mprog_setup,
		.thread = mprog_thread,
		.check = mprog_check,
		.teardown = mprog_teardown,
		.arg = s,
	};
	struct sim_strategy_cfg sc = { .kind = SIM_STRAT_PREFIX, .schedule = "S1:" };
	struct sim_run_opts ro = SIM_RUN_OPTS_INIT;
	struct sim_strategy *st;
	struct sim_result r;
	double t0;
	size_t i;

	s->ops = &model_backend_ops;
	ro.executor = SIM_EXEC_FREE;
	ro.timeout_ms = (uint32_t)(s->seconds * 1000) + 60000;
	st = sim_strategy_new(&sc);
	if (!st)
		return 2;
	memset(&r, 0, sizeof(r));
	t0 = now_s();
	sim_run(&p, &ro, st, 0, &r);
	report(s, now_s() - t0);
	for (i = 0; i < r.nv; i++)
		violation(s, r.v[i].tid, "%s: %s", r.v[i].checker, r.v[i].msg);
	if (r.outcome != SIM_OK && r.outcome != SIM_VIOLATION)
		violation(s, -1, "run ended %s%s%s", sim_outcome_name(r.outcome),
			  r.error ? ": " : "", r.error ? r.error : "");
	sim_result_free(&r);
	sim_strategy_free(st);
	return atomic_load(&s->violations) ? 1 : 0;
}

static void stress_init(struct stress *s, const struct stress *cfg)
{
	memset(s, 0, sizeof(*s));
	s->nhost = cfg->nhost;
	s->npages = cfg->npages;
	s->seconds = cfg->seconds;
	s->quiet = cfg->quiet;
	s->broken_punch = cfg->broken_punch;
	pthread_mutex_init(&s->out_lock, NULL);
	snprintf(s->t.path, sizeof(s->t.path), "kvm_stress");
	s->t.nthreads = s->nhost + 1;
}

static int usage(const char *msg)
{
	fprintf(stderr, "kvm_stress: %s\n"
		"usage: kvm_stress [--backend kvm|model|both] [-t HOST_THREADS (1..%d)]\n"
		"                  [-d SECONDS] [-p PAGES (2..%d)] [-q]\n", msg, MAX_HOST, MAX_PAGES);
	return 2;
}

int main(int argc, char **argv)
{
	struct stress cfg = { .nhost = 3, .npages = 32, .seconds = 2.0 };
	const char *backend = "both";
	static struct stress s;
	int i, rc = 0, rk;
	char *end;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(a, "-q")) {
			cfg.quiet = true;
		} else if (!strcmp(a, "--broken-punch")) {
			cfg.broken_punch = true;
		} else if (!strcmp(a, "--backend") && v) {
			backend = v;
			i++;
		} else if (!strcmp(a, "-t") && v) {
			cfg.nhost = (int)strtol(v, &end, 10);
			if (*end || cfg.nhost < 1 || cfg.nhost > MAX_HOST)
				return usage("-t expects 1..7 host threads");
			i++;
		} else if (!strcmp(a, "-d") && v) {
			cfg.seconds = strtod(v, &end);
			if (*end || !(cfg.seconds > 0 && cfg.seconds <= 300))
				return usage("-d expects seconds in (0, 300]");
			i++;
		} else if (!strcmp(a, "-p") && v) {
			cfg.npages = (int)strtol(v, &end, 10);
			if (*end || cfg.npages < 2 || cfg.npages > MAX_PAGES)
				return usage("-p expects 2..256 pages");
			i++;
		} else {
			return usage(!strcmp(a, "-h") || !strcmp(a, "--help") ? "help" :
				     "unexpected argument");
		}
	}
	if (strcmp(backend, "kvm") && strcmp(backend, "model") && strcmp(backend, "both"))
		return usage("--backend expects kvm, model or both");

	printf("kvm_stress: threads run free; interleavings are not controlled or replayable\n");
	if (strcmp(backend, "model")) {
		stress_init(&s, &cfg);
		rk = run_kernel(&s);
		rc = rk;
	}
	if (strcmp(backend, "kvm")) {
		stress_init(&s, &cfg);
		rk = run_model(&s);
		if (rk == 1 || rc == 77)
			rc = rk;
	}
	return rc;
}
