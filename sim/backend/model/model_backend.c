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
#include <linux/slab.h>
#include <shim/sched.h>
#include <shim/slab.h>
#include <gmemsim/fdtable.h>
#include <gmemsim/kvm_model.h>

#include "backend/model/model_backend.h"
#include "backend/model/model_internal.h"

static __thread struct gmem_backend *model_cur;

/* ---- violations and reports ---------------------------------------------- */

/**
 * model_violation() - record a checker finding for the next check()/destroy().
 * @b: the world
 * @checker: checker name ("protocol", "contents", ...)
 * @fmt: printf format of the message
 *
 * Context: any; takes b->lock.
 */
void model_violation(struct gmem_backend *b, const char *checker,
		     const char *fmt, ...)
{
	struct backend_violation *v;
	va_list ap;

	model_lock(b);
	if (!b->viol)
		b->viol = malloc(MODEL_MAX_VIOL * sizeof(*b->viol));
	if (!b->viol || b->nviol >= MODEL_MAX_VIOL) {
		b->nviol_dropped++;
		model_unlock(b);
		return;
	}
	v = &b->viol[b->nviol++];
	snprintf(v->checker, sizeof(v->checker), "%s", checker);
	va_start(ap, fmt);
	vsnprintf(v->msg, sizeof(v->msg), fmt, ap);
	va_end(ap);
	model_unlock(b);
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

/*
 * mmu_notifier_register() from kvm_create_vm(), before the VM has an fd:
 * a close() racing KVM_CREATE_VM can then only destroy a registered VM.
 * With every invalidation excluded (mm_take_all_locks), so the VM sees
 * whole start/end pairs.
 */
static int model_create_vm_notify(struct kvm *kvm)
{
	struct gmem_backend *b = model_cur;
	bool registered;

	if (!b)
		return 0;
	kvm->model_bugs = b->zoo;
	kvm->arch.defects |= b->zoo_x86;
	down_write(&b->mn_all_locks);
	model_lock(b);
	if (b->nvms == b->capvms) {
		int cap = b->capvms ? b->capvms * 2 : 8;
		struct kvm **vms = realloc(b->vms, cap * sizeof(*vms));

		if (vms) {
			b->vms = vms;
			b->capvms = cap;
		}
	}
	registered = b->nvms < b->capvms;
	if (registered) {
		kvm->sim_id = b->next_vm_id++;
		kvm->sim_private = b;
		b->vms[b->nvms++] = kvm;
	}
	model_unlock(b);
	up_write(&b->mn_all_locks);
	/* As KVM_CREATE_VM when registration cannot allocate. */
	return registered ? 0 : -ENOMEM;
}

static void model_destroy_vm_notify(struct kvm *kvm)
{
	struct gmem_backend *b = model_cur;
	bool found = false;
	int i;

	/* A VM of no world, or of another one: never registered here. */
	if (!b || kvm->sim_private != b)
		return;
	/*
	 * mmu_notifier_unregister(): off the subscription list, then wait
	 * for the callbacks already running on a snapshot that has it.
	 */
	model_lock(b);
	for (i = 0; i < b->nvms; i++) {
		if (b->vms[i] == kvm) {
			b->vms[i] = b->vms[--b->nvms];
			found = true;
			break;
		}
	}
	model_unlock(b);
	if (!found)
		model_violation(b, "lifetime", "destroying an unknown VM (double free?)");
	synchronize_srcu(&b->mn_srcu);
	/*
	 * Protocol state at VM death: nothing may be in flight, unless the
	 * VM was unregistered between a notifier start() and its end()
	 * (mn_active_invalidate_count > 0), which kvm_destroy_vm() allows.
	 */
	if (kvm->mmu_invalidate_in_progress && !kvm->mn_active_invalidate_count)
		model_violation(b, "protocol", "vm%d destroyed with mmu_invalidate_in_progress=%ld",
				kvm->sim_id, kvm->mmu_invalidate_in_progress);
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

	if (!b)
		return false;
	model_lock(b);
	if (!b->calls_in_flight)
		goto no;
	tw = model_task_work_of(b, shim_current(), true);
	if (!tw)
		goto no;
	if (tw->n == tw->cap) {
		int cap = tw->cap ? tw->cap * 2 : 8;
		struct file **f = realloc(tw->files, cap * sizeof(*f));

		if (!f)
			goto no;
		tw->files = f;
		tw->cap = cap;
	}
	tw->files[tw->n++] = file;
	model_unlock(b);
	return true;
no:
	model_unlock(b);
	return false;
}

/* task_work_run(): the dying files of this task are released now. */
static void model_task_work_run(struct gmem_backend *b, const void *task)
{
	struct model_task_work *tw;

	for (;;) {
		struct file *f = NULL;

		model_lock(b);
		tw = model_task_work_of(b, task, false);
		if (tw && tw->n)
			f = tw->files[--tw->n];
		model_unlock(b);
		if (!f)
			break;
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

/* ---- type-stable, recycled struct file memory (SLAB_TYPESAFE_BY_RCU) ---- */

static struct file *model_filp_alloc(void)
{
	struct gmem_backend *b = model_cur;
	struct file *f = NULL;

	if (b) {
		model_lock(b);
		if (b->nfilp_free)
			f = b->filp_free[--b->nfilp_free];
		model_unlock(b);
	}
	if (f) {
		memset(f, 0, sizeof(*f));
		return f;
	}
	return kzalloc(sizeof(*f), GFP_KERNEL);
}

static void model_filp_free(struct file *f)
{
	struct gmem_backend *b = model_cur;

	if (b) {
		model_lock(b);
		if (b->nfilp_free == b->capfilp_free) {
			int cap = b->capfilp_free ? b->capfilp_free * 2 : 16;
			struct file **n = realloc(b->filp_free, cap * sizeof(*n));

			if (n) {
				b->filp_free = n;
				b->capfilp_free = cap;
			}
		}
		if (b->nfilp_free < b->capfilp_free) {
			/* Dying forever: count 0, still a struct file. */
			atomic_long_set(&f->f_count, 0);
			b->filp_free[b->nfilp_free++] = f;
			model_unlock(b);
			return;
		}
		model_unlock(b);
	}
	kfree(f);
}

static void model_filp_cache_destroy(struct gmem_backend *b)
{
	while (b->nfilp_free)
		kfree(b->filp_free[--b->nfilp_free]);
	free(b->filp_free);
	b->filp_free = NULL;
	b->capfilp_free = 0;
}

/* ---- mmu notifiers: the host mm unmaps a range -> every VM on that mm ---- */

static void model_mmu_notifier(struct mm_struct *mm, unsigned long start,
			       unsigned long end, bool begin)
{
	struct gmem_backend *b = model_cur;
	struct kvm *stack[16], **vms = stack;
	int i, n, idx;

	if (!b)
		return;
	/* The zapper's hold on mm_take_all_locks(), start() to end(). */
	if (begin)
		down_read(&b->mn_all_locks);
	/*
	 * The subscription walk: a VM found here stays allocated until the
	 * walk ends (its destruction synchronizes this SRCU first).
	 */
	idx = srcu_read_lock(&b->mn_srcu);
	model_lock(b);
	n = b->nvms;
	if (n > (int)ARRAY_SIZE(stack))
		vms = malloc(n * sizeof(*vms));
	if (vms && n)
		memcpy(vms, b->vms, n * sizeof(vms[0]));
	model_unlock(b);
	if (!vms) {
		model_violation(b, "lifetime", "mmu notifier: no memory for %d VMs", n);
		n = 0;
	}
	for (i = 0; i < n; i++) {
		if (vms[i]->mm != mm)
			continue;
		if (begin)
			kvm_mmu_notifier_invalidate_range_start(vms[i], start, end);
		else
			kvm_mmu_notifier_invalidate_range_end(vms[i], start, end);
	}
	if (vms != stack)
		free(vms);
	srcu_read_unlock(&b->mn_srcu, idx);
	if (!begin)
		up_read(&b->mn_all_locks);
}

/* ---- enter / leave a world on this thread --------------------------------- */

static void model_enter(struct gmem_backend *b)
{
	model_cur = b;
	current_files = &b->files;
	mm_world_set_current(b->mm);
	fput_task_work = model_fput_task_work;
	filp_cache_alloc = model_filp_alloc;
	filp_cache_free = model_filp_free;
	mmu_notifier_invalidate_hook = model_mmu_notifier;
	/*
	 * Process-wide hooks: both dispatch on the thread's model_cur, so one
	 * setting serves every world; written only when they differ (worker
	 * threads of one world would otherwise race on the store).
	 */
	if (__atomic_load_n(&kvm_create_vm_notify, __ATOMIC_RELAXED) != model_create_vm_notify)
		__atomic_store_n(&kvm_create_vm_notify, model_create_vm_notify, __ATOMIC_RELAXED);
	if (__atomic_load_n(&kvm_destroy_vm_notify, __ATOMIC_RELAXED) != model_destroy_vm_notify)
		__atomic_store_n(&kvm_destroy_vm_notify, model_destroy_vm_notify, __ATOMIC_RELAXED);
	/*
	 * Only over the default sink: a free-running executor's own (sched/
	 * free.c) stays, so a BUG ends its model thread, not the process.
	 */
	if (!shim_sched && !__atomic_load_n(&shim_report_sink, __ATOMIC_RELAXED))
		__atomic_store_n(&shim_report_sink, model_report_sink, __ATOMIC_RELAXED);
}

/**
 * model_backend_enter() - make @b's world current on this OS thread.
 * @b: the world
 *
 * Context: any (tests peeking at model state between calls).
 */
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

/**
 * model_backend_kvm() - the VM behind a VM-fd handle.
 * @b: the world
 * @h: handle index
 *
 * Context: the world is current on this thread.
 * Return: the VM (no reference) or NULL.
 */
struct kvm *model_backend_kvm(struct gmem_backend *b, int h)
{
	if (h < 0 || h >= TRACE_MAX_HANDLES || b->h[h].kind != MH_FD)
		return NULL;
	return kvm_file_to_vm(files_lookup(&b->files, b->h[h].fd));
}

/**
 * model_backend_vcpu() - the vCPU behind a vCPU-fd handle.
 * @b: the world
 * @h: handle index
 *
 * Context: the world is current on this thread.
 * Return: the vCPU or NULL.
 */
struct kvm_vcpu *model_backend_vcpu(struct gmem_backend *b, int h)
{
	if (h < 0 || h >= TRACE_MAX_HANDLES || b->h[h].kind != MH_FD)
		return NULL;
	return kvm_file_to_vcpu(files_lookup(&b->files, b->h[h].fd));
}

/**
 * model_backend_fd() - the fd number bound to a handle.
 * @b: the world
 * @h: handle index
 *
 * Context: any.
 * Return: the fd or -1.
 */
int model_backend_fd(struct gmem_backend *b, int h)
{
	if (h < 0 || h >= TRACE_MAX_HANDLES || b->h[h].kind != MH_FD)
		return -1;
	return b->h[h].fd;
}

/**
 * model_backend_map_addr() - the user address of a mapping handle.
 * @b: the world
 * @h: handle index
 *
 * Context: any.
 * Return: the address or 0.
 */
unsigned long model_backend_map_addr(struct gmem_backend *b, int h)
{
	if (h < 0 || h >= TRACE_MAX_HANDLES || b->h[h].kind != MH_MAP)
		return 0;
	return b->h[h].addr;
}

/**
 * model_backend_profile() - the world's kernel profile.
 * @b: the world
 *
 * Context: any.
 * Return: KVM_PROFILE_*.
 */
int model_backend_profile(struct gmem_backend *b)
{
	return b->profile;
}

/* ---- results -------------------------------------------------------------- */

/**
 * model_res_ret() - fill @r as a syscall returning @ret would.
 * @r: the result
 * @ret: >= 0 value, or negative errno (-> -1 / errno)
 *
 * Context: any.
 */
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

static const struct {
	const char *name;
	unsigned long bit;
} model_zoo_defects[] = {
	{ "punch-no-invalidate", KVM_ZOO_PUNCH_NO_INVALIDATE },
	{ "unbind-skip-dying", KVM_ZOO_UNBIND_SKIP_DYING },
	{ "invalidate-end-no-seq", KVM_ZOO_INVALIDATE_END_NO_SEQ },
	{ "release-keep-slot-file", KVM_ZOO_RELEASE_KEEP_SLOT_FILE },
	{ "punch-truncate-first", KVM_ZOO_PUNCH_TRUNCATE_FIRST },
	{ "punch-no-end", KVM_ZOO_PUNCH_NO_END },
	{ "attr-store-before-zap", KVM_ZOO_ATTR_STORE_BEFORE_ZAP },
	{ "invalidate-no-range", KVM_ZOO_INVALIDATE_NO_RANGE },
	{ "b16-bind-signed-overflow", KVM_ZOO_B16_BIND_SIGNED },
	{ "release-no-zap", KVM_ZOO_RELEASE_NO_ZAP },
	{ "b09-get-folio-err-as-null", KVM_ZOO_B09_GET_FOLIO_NULL },
	{ "b21-truncate-private", KVM_ZOO_B21_TRUNCATE_PRIVATE },
	{ "b07-init-shared-filter", KVM_ZOO_B07_PRIVATE_FILTER },
	{ "convert-no-refcount", KVM_ZOO_CONVERT_NO_REFCOUNT },
	{ "invalidate-one-file", KVM_ZOO_INVALIDATE_ONE_FILE },
	{ "hugetlb-split-no-zap", KVM_ZOO_HUGETLB_SPLIT_NO_ZAP },
	{ "hugetlb-merge-shared", KVM_ZOO_HUGETLB_MERGE_SHARED },
};

/*
 * "a,b" -> KVM_ZOO_* bits in *@zoo and x86 defect bits (the names
 * kvm_x86_defect_by_name() knows) in *@x86.
 * Return: 0, or -EINVAL for an unknown or over-long name.
 */
static int parse_inject(const char *s, unsigned long *zoo, unsigned long *x86)
{
	char name[64];
	size_t i;

	*zoo = *x86 = 0;
	while (s && *s) {
		size_t n = strcspn(s, ",");
		unsigned long bit = 0;

		if (!n || n >= sizeof(name))
			return -EINVAL;
		memcpy(name, s, n);
		name[n] = '\0';
		for (i = 0; i < ARRAY_SIZE(model_zoo_defects); i++)
			if (!strcmp(name, model_zoo_defects[i].name))
				bit = model_zoo_defects[i].bit;
		if (bit)
			*zoo |= bit;
		else if ((bit = kvm_x86_defect_by_name(name)))
			*x86 |= bit;
		else
			return -EINVAL;
		s += n;
		if (*s == ',')
			s++;
	}
	return 0;
}

/**
 * model_inject_valid() - is @names a list of defects --inject accepts?
 * @names: comma-separated defect names (NULL or "" = none)
 *
 * Context: any.
 * Return: true if every name is a generic (KVM_ZOO_*) or x86 defect.
 */
bool model_inject_valid(const char *names)
{
	unsigned long zoo, x86;

	return !parse_inject(names, &zoo, &x86);
}

static struct gmem_backend *model_create(const struct trace *t,
					 const struct backend_opts *o)
{
	struct gmem_backend *b;
	int profile;

	/* --profile first, then the trace's "requires: profile=", then 7.1. */
	profile = parse_profile(o && o->profile ? o->profile :
				t && t->req.profile[0] ? t->req.profile : NULL);
	if (profile < 0 || !model_inject_valid(o ? o->inject : NULL)) {
		errno = EINVAL;
		return NULL;
	}

	/*
	 * A fail_alloc(nth) of an earlier world whose nth allocation never
	 * came is still armed in this thread's slab context: disarm it, or
	 * it fails an allocation of this world (results would depend on the
	 * executions before; found by model_fuzz).
	 */
	shim_slab_fail_after(0);
	b = calloc(1, sizeof(*b));
	if (!b) {
		errno = ENOMEM;
		return NULL;
	}
	{
		pthread_mutexattr_t a;

		pthread_mutexattr_init(&a);
		pthread_mutexattr_settype(&a, PTHREAD_MUTEX_RECURSIVE);
		pthread_mutex_init(&b->lock, &a);
		pthread_mutexattr_destroy(&a);
	}
	{
		static struct lock_class_key all_locks_key;

		__init_rwsem(&b->mn_all_locks, "mm_take_all_locks", &all_locks_key);
		init_srcu_struct(&b->mn_srcu);
	}
	b->profile = profile;
	parse_inject(o ? o->inject : NULL, &b->zoo, &b->zoo_x86);
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

	model_lock(b);
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
	model_unlock(b);
	return n;
}

static int model_check(struct gmem_backend *b, struct backend_violation *v, int max)
{
	model_enter(b);
	model_run_checkers(b);
	return copy_viol(b, v, max);
}

/*
 * Last step of every teardown: this thread no longer runs the world, so
 * clear its thread-local hooks (other worlds may still be running on other
 * threads with their own) and free the backend.
 */
static void model_backend_free(struct gmem_backend *b)
{
	mm_world_set_current(NULL);
	fput_task_work = NULL;
	filp_cache_alloc = NULL;
	filp_cache_free = NULL;
	mmu_notifier_invalidate_hook = NULL;
	current_files = NULL;
	model_cur = NULL;
	pthread_mutex_destroy(&b->lock);
	free(b->vms);
	free(b->viol);
	free(b);
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
		free(b->filp_free);
		for (i = 0; i < TRACE_MAX_THREADS + 2; i++)
			free(b->task_work[i].files);
		n = copy_viol(b, v, max);
		model_backend_free(b);
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
	model_filp_cache_destroy(b);

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
	model_backend_free(b);
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

	model_lock(b);
	b->calls_in_flight++;
	model_unlock(b);
	model_dispatch(b, tid, c, r);
	model_lock(b);
	b->calls_in_flight--;
	model_unlock(b);
	/* Back to user space: the task's deferred fputs run, no locks held. */
	model_task_work_run(b, shim_current());

	if (signal)
		shim_task_set_signal(shim_current(), 0);
}

/* ---- per-op bodies used by model_dispatch() (model_ops.c) ----------------- */

/**
 * model_op_vm_create() - KVM_CREATE_VM, registering the VM for checkers.
 * @b: the world
 * @c: the call
 * @r: out: result
 *
 * Context: model thread.
 */
void model_op_vm_create(struct gmem_backend *b, const struct trace_call *c,
			struct trace_result *r)
{
	/* kvm_create_vm() registers the VM (model_create_vm_notify()). */
	long fd = kvm_dev_ioctl_create_vm(arg_val(b, c, 0), b->profile);

	bind_fd(b, c, r, fd);
}

/**
 * model_op_bind_fd() - result of an fd-returning call; binds the handle.
 * @b: the world
 * @c: the call
 * @r: out: result
 * @fd: the fd or negative errno
 *
 * Context: any.
 */
void model_op_bind_fd(struct gmem_backend *b, const struct trace_call *c,
		      struct trace_result *r, long fd)
{
	bind_fd(b, c, r, fd);
}

/**
 * model_arg() - argument @i as a number (a handle gives its fd/address/pfn).
 * @b: the world
 * @c: the call
 * @i: argument index
 *
 * Context: any.
 * Return: the value (0 when absent).
 */
uint64_t model_arg(struct gmem_backend *b, const struct trace_call *c, int i)
{
	return arg_val(b, c, i);
}

/**
 * model_arg_handle() - the handle named by argument @i.
 * @b: the world
 * @c: the call
 * @i: argument index
 *
 * Context: any.
 * Return: the handle or NULL (a number, or out of range).
 */
struct model_handle *model_arg_handle(struct gmem_backend *b,
				      const struct trace_call *c, int i)
{
	return arg_handle(b, c, i);
}

/**
 * model_arg_file() - the open file behind argument @i (handle or raw fd).
 * @b: the world
 * @c: the call
 * @i: argument index
 *
 * Context: any.
 * Return: the file (no reference taken) or NULL.
 */
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
