// SPDX-License-Identifier: GPL-2.0
/*
 * The "model" backend: executes trace calls in-process against model/.
 *
 * A world is created fresh per execution: its own fd table (one "process"),
 * its own mm world (page pool + host mm), the handle table, the contents
 * shadow and the violation buffer.  Every call binds the world to the
 * calling OS thread first (current_files, mm_world_set_current), so several
 * worlds can run in one process (--jobs), one per thread.
 *
 * Errno convention: a call returns as the syscall would: ret >= 0 (TRES_OK)
 * or -1 with errno (TRES_ERRNO).  Host accesses that would kill the process
 * are TRES_SIGBUS; vCPU exits are TRES_EXIT with the KVM_RUN errno.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/kvm_host.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/mm_model.h>
#include <linux/pagemap.h>
#include <linux/sched/signal.h>
#include <shim/sched.h>
#include <shim/slab.h>
#include <gmemsim/fdtable.h>
#include <gmemsim/kvm_model.h>

#include "backend/model/model_backend.h"
#include "backend/model/model_internal.h"

static __thread struct gmem_backend *model_cur;

/* ---- violations and reports ---------------------------------------------- */

void model_violation(struct gmem_backend *b, const char *checker,
		     const char *fmt, ...)
{
	struct backend_violation *v;
	va_list ap;

	if (b->nviol >= MODEL_MAX_VIOL) {
		b->nviol_dropped++;
		return;
	}
	v = &b->viol[b->nviol++];
	snprintf(v->checker, sizeof(v->checker), "%s", checker);
	va_start(ap, fmt);
	vsnprintf(v->msg, sizeof(v->msg), fmt, ap);
	va_end(ap);
}

static void model_report_sink(enum shim_report_kind kind, const char *msg,
			      const char *file, int line)
{
	struct gmem_backend *b = model_cur;

	if (!b) {
		fprintf(stderr, "%s: %s (%s:%d)\n", shim_report_name(kind), msg,
			file, line);
		return;
	}
	model_violation(b, shim_report_name(kind), "%s at %s:%d", msg, file, line);
}

static void model_destroy_vm_notify(struct kvm *kvm)
{
	struct gmem_backend *b = model_cur;
	int i;

	if (!b)
		return;
	/* Protocol state at VM death: nothing may be in flight. */
	if (kvm->mmu_invalidate_in_progress)
		model_violation(b, "protocol", "vm%d destroyed with mmu_invalidate_in_progress=%ld",
				kvm->sim_id, kvm->mmu_invalidate_in_progress);
	for (i = 0; i < b->nvms; i++) {
		if (b->vms[i] == kvm) {
			b->vms[i] = b->vms[--b->nvms];
			return;
		}
	}
	model_violation(b, "lifetime", "destroying an unknown VM (double free?)");
}

/* ---- task_work: the final fput runs at "return to user" ------------------ */

static struct model_task_work *model_task_work_of(struct gmem_backend *b,
						  const void *task, bool create)
{
	int i;

	for (i = 0; i < TRACE_MAX_THREADS + 2; i++)
		if (b->task_work[i].task == task)
			return &b->task_work[i];
	if (!create)
		return NULL;
	for (i = 0; i < TRACE_MAX_THREADS + 2; i++) {
		if (!b->task_work[i].task) {
			b->task_work[i].task = task;
			return &b->task_work[i];
		}
	}
	return NULL;
}

static bool model_fput_task_work(struct file *file)
{
	struct gmem_backend *b = model_cur;
	struct model_task_work *tw;

	if (!b || !b->calls_in_flight)
		return false;
	tw = model_task_work_of(b, shim_current(), true);
	if (!tw)
		return false;
	if (tw->n == tw->cap) {
		int cap = tw->cap ? tw->cap * 2 : 8;
		struct file **f = realloc(tw->files, cap * sizeof(*f));

		if (!f)
			return false;
		tw->files = f;
		tw->cap = cap;
	}
	tw->files[tw->n++] = file;
	return true;
}

/* task_work_run(): the dying files of this task are released now. */
static void model_task_work_run(struct gmem_backend *b, const void *task)
{
	struct model_task_work *tw = model_task_work_of(b, task, false);

	while (tw && tw->n) {
		struct file *f = tw->files[--tw->n];

		__fput(f);
	}
}

static void model_task_work_free(struct gmem_backend *b)
{
	int i;

	for (i = 0; i < TRACE_MAX_THREADS + 2; i++) {
		while (b->task_work[i].n)
			__fput(b->task_work[i].files[--b->task_work[i].n]);
		free(b->task_work[i].files);
		b->task_work[i].files = NULL;
		b->task_work[i].task = NULL;
		b->task_work[i].cap = 0;
	}
}

/* ---- enter / leave a world on this thread --------------------------------- */

static void model_enter(struct gmem_backend *b)
{
	model_cur = b;
	current_files = &b->files;
	mm_world_set_current(b->mm);
	kvm_destroy_vm_notify = model_destroy_vm_notify;
	fput_task_work = model_fput_task_work;
	if (!shim_sched)
		shim_report_sink = model_report_sink;
}

void model_backend_enter(struct gmem_backend *b)
{
	model_enter(b);
}

/* ---- handles --------------------------------------------------------------- */

static uint64_t arg_val(struct gmem_backend *b, const struct trace_call *c, int i)
{
	const struct trace_arg *a;

	if (i >= c->nargs)
		return 0;
	a = &c->args[i];
	if (!a->is_handle)
		return a->value;
	if (a->handle < 0 || a->handle >= TRACE_MAX_HANDLES)
		return (uint64_t)-1;
	/* A handle used as a number: its fd, map address or pin pfn. */
	switch (b->h[a->handle].kind) {
	case MH_FD:
		return (uint64_t)b->h[a->handle].fd;
	case MH_MAP:
		return b->h[a->handle].addr;
	case MH_PIN:
		return b->h[a->handle].pfn;
	default:
		return (uint64_t)-1;	/* an fd no file has */
	}
}

static struct model_handle *arg_handle(struct gmem_backend *b,
				       const struct trace_call *c, int i)
{
	const struct trace_arg *a;

	if (i >= c->nargs || !c->args[i].is_handle)
		return NULL;
	a = &c->args[i];
	if (a->handle < 0 || a->handle >= TRACE_MAX_HANDLES)
		return NULL;
	return &b->h[a->handle];
}

/* The file behind argument @i (an fd handle or a raw fd), no reference. */
static struct file *arg_file(struct gmem_backend *b, const struct trace_call *c, int i)
{
	uint64_t fd = arg_val(b, c, i);

	if (fd > INT32_MAX)
		return NULL;
	return files_lookup(&b->files, (unsigned int)fd);
}

struct kvm *model_backend_kvm(struct gmem_backend *b, int h)
{
	if (h < 0 || h >= TRACE_MAX_HANDLES || b->h[h].kind != MH_FD)
		return NULL;
	return kvm_file_to_vm(files_lookup(&b->files, b->h[h].fd));
}

struct kvm_vcpu *model_backend_vcpu(struct gmem_backend *b, int h)
{
	if (h < 0 || h >= TRACE_MAX_HANDLES || b->h[h].kind != MH_FD)
		return NULL;
	return kvm_file_to_vcpu(files_lookup(&b->files, b->h[h].fd));
}

int model_backend_fd(struct gmem_backend *b, int h)
{
	if (h < 0 || h >= TRACE_MAX_HANDLES || b->h[h].kind != MH_FD)
		return -1;
	return b->h[h].fd;
}

unsigned long model_backend_map_addr(struct gmem_backend *b, int h)
{
	if (h < 0 || h >= TRACE_MAX_HANDLES || b->h[h].kind != MH_MAP)
		return 0;
	return b->h[h].addr;
}

int model_backend_profile(struct gmem_backend *b)
{
	return b->profile;
}

/* ---- results -------------------------------------------------------------- */

void model_res_ret(struct trace_result *r, long ret)
{
	if (ret < 0) {
		r->kind = TRES_ERRNO;
		r->ret = -1;
		r->err = (int)-ret;
	} else {
		r->kind = TRES_OK;
		r->ret = ret;
		r->err = 0;
	}
}

static void bind_fd(struct gmem_backend *b, const struct trace_call *c,
		    struct trace_result *r, long fd)
{
	model_res_ret(r, fd);
	if (fd < 0)
		return;
	if (c->bind >= 0 && c->bind < TRACE_MAX_HANDLES) {
		b->h[c->bind].kind = MH_FD;
		b->h[c->bind].fd = (int)fd;
		b->h[c->bind].defined_by = c->op;
		r->ret = 0;
	}
}

/* ---- create / destroy -------------------------------------------------------- */

static int parse_profile(const char *p)
{
	if (!p || !*p || !strcmp(p, "7.1"))
		return KVM_PROFILE_7_1;
	if (!strcmp(p, "6.18"))
		return KVM_PROFILE_6_18;
	if (!strcmp(p, "7.2") || !strcmp(p, "7.2-queued"))
		return KVM_PROFILE_7_2;
	return -1;
}

static struct gmem_backend *model_create(const struct trace *t,
					 const struct backend_opts *o)
{
	struct gmem_backend *b;
	int profile;

	profile = parse_profile(o ? o->profile : NULL);
	if (profile < 0 && t && t->req.profile[0])
		profile = parse_profile(t->req.profile);
	if (profile < 0) {
		errno = EINVAL;
		return NULL;
	}

	b = calloc(1, sizeof(*b));
	if (!b) {
		errno = ENOMEM;
		return NULL;
	}
	b->profile = profile;
	b->t = t;
	b->contents_bytes = o && o->contents_bytes;
	files_init(&b->files);
	b->mm = mm_world_create();
	if (!b->mm) {
		free(b);
		errno = ENOMEM;
		return NULL;
	}
	if (b->contents_bytes)
		mm_world_set_bytes_mode(b->mm, true);
	model_enter(b);
	model_shadow_init(b);
	b->slab_baseline = shim_slab_live_objects();
	return b;
}

static int copy_viol(struct gmem_backend *b, struct backend_violation *v, int max)
{
	int n = 0;

	while (n < max && n < b->nviol) {
		v[n] = b->viol[n];
		n++;
	}
	/* Consumed: the next check() reports only new findings. */
	if (n < b->nviol)
		memmove(b->viol, b->viol + n, (b->nviol - n) * sizeof(b->viol[0]));
	b->nviol -= n;
	if (!v || !max)
		b->nviol = 0;
	return n;
}

static int model_check(struct gmem_backend *b, struct backend_violation *v, int max)
{
	model_enter(b);
	model_run_checkers(b);
	return copy_viol(b, v, max);
}

static int model_destroy(struct gmem_backend *b, struct backend_violation *v, int max)
{
	unsigned long live_folios, live_objs;
	int n, i;

	model_enter(b);
	if (b->calls_in_flight) {
		/*
		 * A model thread was unwound mid-call (deadlock, BUG, step
		 * budget): it may hold model locks, so no model code can run
		 * here.  Abandon the world; its slab memory goes with the
		 * execution's slab context (the scheduler resets it).
		 */
		model_shadow_destroy(b);
		for (i = 0; i < TRACE_MAX_THREADS + 2; i++)
			free(b->task_work[i].files);
		n = copy_viol(b, v, max);
		mm_world_set_current(NULL);
		current_files = NULL;
		fput_task_work = NULL;
		if (shim_report_sink == model_report_sink)
			shim_report_sink = NULL;
		model_cur = NULL;
		free(b);
		return n;
	}

	/* Unpin pins the trace left, close every fd, unmap everything. */
	for (i = 0; i < TRACE_MAX_HANDLES; i++) {
		if (b->h[i].kind == MH_PIN) {
			unpin_user_pfn_model(b->h[i].pfn);
			b->h[i].kind = MH_NONE;
		}
	}
	model_task_work_free(b);
	files_release(&b->files);
	live_folios = mm_world_reset(b->mm, true);

	if (b->nvms)
		model_violation(b, "lifetime", "%d VM(s) still alive after every fd and mapping was closed",
				b->nvms);
	if (live_folios)
		model_violation(b, "lifetime", "%lu folio(s) leaked at teardown", live_folios);

	live_objs = shim_slab_live_objects();
	if (live_objs > b->slab_baseline) {
		model_violation(b, "lifetime", "%lu slab object(s) leaked at teardown (baseline %lu)",
				live_objs - b->slab_baseline, b->slab_baseline);
		if (getenv("GMEMSIM_LEAKS"))
			shim_slab_report_leaks();
	}

	model_shadow_destroy(b);
	n = copy_viol(b, v, max);

	mm_world_destroy(b->mm);
	mm_world_set_current(NULL);
	fput_task_work = NULL;
	current_files = NULL;
	if (shim_report_sink == model_report_sink)
		shim_report_sink = NULL;
	model_cur = NULL;
	free(b);
	return n;
}

/* ---- the calls ------------------------------------------------------------- */

static void model_call(struct gmem_backend *b, int tid, const struct trace_call *c,
		       struct trace_result *r)
{
	bool signal = false;

	model_enter(b);
	memset(r, 0, sizeof(*r));
	r->value = -2;

	if (tid >= 0 && tid < TRACE_MAX_THREADS && b->signal_pending[tid]) {
		b->signal_pending[tid] = false;
		shim_task_set_signal(shim_current(), SHIM_SIGNAL_PENDING);
		signal = true;
	}

	b->calls_in_flight++;
	model_dispatch(b, tid, c, r);
	b->calls_in_flight--;
	/* Back to user space: the task's deferred fputs run, no locks held. */
	model_task_work_run(b, shim_current());

	if (signal)
		shim_task_set_signal(shim_current(), 0);
}

/* ---- per-op bodies used by model_dispatch() (model_ops.c) ----------------- */

void model_op_vm_create(struct gmem_backend *b, const struct trace_call *c,
			struct trace_result *r)
{
	long fd = kvm_dev_ioctl_create_vm(arg_val(b, c, 0), b->profile);

	if (fd >= 0) {
		struct kvm *kvm = kvm_file_to_vm(files_lookup(&b->files, fd));

		kvm->sim_private = b;
		kvm->sim_id = b->next_vm_id++;
		if (b->nvms < MODEL_MAX_VMS)
			b->vms[b->nvms++] = kvm;
	}
	bind_fd(b, c, r, fd);
}

void model_op_bind_fd(struct gmem_backend *b, const struct trace_call *c,
		      struct trace_result *r, long fd)
{
	bind_fd(b, c, r, fd);
}

uint64_t model_arg(struct gmem_backend *b, const struct trace_call *c, int i)
{
	return arg_val(b, c, i);
}

struct model_handle *model_arg_handle(struct gmem_backend *b,
				      const struct trace_call *c, int i)
{
	return arg_handle(b, c, i);
}

struct file *model_arg_file(struct gmem_backend *b, const struct trace_call *c, int i)
{
	return arg_file(b, c, i);
}

const struct gmem_backend_ops model_backend_ops = {
	.name = "model",
	.create = model_create,
	.call = model_call,
	.check = model_check,
	.destroy = model_destroy,
};
