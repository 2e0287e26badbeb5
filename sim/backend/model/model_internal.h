/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Internals of the model backend shared by its files (model_backend.c:
 * world, handles, results; model_ops.c: one function per trace op;
 * model_checks.c: checkers and the contents shadow).
 */
#ifndef GMEMSIM_MODEL_INTERNAL_H
#define GMEMSIM_MODEL_INTERNAL_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "backend/backend.h"
#include <gmemsim/fdtable.h>
#include <linux/rwsem.h>
#include <linux/srcu.h>

#define MODEL_MAX_VIOL	64
/*
 * VMs whose sim_id the contents checker keeps a sequence snapshot for
 * (model_checks.c); later VMs are still registered and checked otherwise.
 * KVM has no VM limit, and neither has the backend's VM table (b->vms).
 */
#define MODEL_MAX_VMS	32

struct kvm;
struct mm_world;
struct file;

enum model_handle_kind { MH_NONE = 0, MH_FD, MH_MAP, MH_PIN };

struct model_handle {
	enum model_handle_kind kind;
	enum trace_op defined_by;
	int fd;				/* MH_FD */
	unsigned long addr, len;	/* MH_MAP */
	unsigned long pfn;		/* MH_PIN */
};

/* Contents shadow: see model_checks.c. */
struct model_shadow;

struct gmem_backend {
	/*
	 * Protects the backend's own bookkeeping (violations, shadow, VM list,
	 * task_work) and makes each content access + its shadow update atomic
	 * when model threads run in parallel (free-running executor).
	 * Recursive: a WARN inside a content access reports through it.
	 */
	pthread_mutex_t lock;
	const struct trace *t;
	int profile;
	unsigned long zoo;		/* KVM_ZOO_* from backend_opts.inject */
	unsigned long zoo_x86;		/* KVM_X86_DEFECT_* from backend_opts.inject */
	bool contents_bytes;
	struct files_struct files;
	struct mm_world *mm;
	struct model_handle h[TRACE_MAX_HANDLES];
	bool signal_pending[TRACE_MAX_THREADS];

	/*
	 * Live VMs: the checkers' list and the host mm's mmu-notifier
	 * subscriptions (mm->notifier_subscriptions).  Grown on demand.
	 * Readers of a snapshot hold @mn_srcu (the kernel's mmu_notifier
	 * SRCU): a VM's destruction removes it, then synchronize_srcu()
	 * waits for callbacks already running (mmu_notifier_unregister()).
	 */
	struct kvm **vms;
	int nvms, capvms;
	int next_vm_id;
	struct srcu_struct mn_srcu;
	/*
	 * mm_take_all_locks() of mmu_notifier_register(): every
	 * invalidate_range_start() .. _end() pair holds it shared (in the
	 * kernel: mmap_lock or the rmap locks the zapper holds), a VM's
	 * registration exclusive, so a new VM never sees half an
	 * invalidation.
	 */
	struct rw_semaphore mn_all_locks;

	unsigned long slab_baseline;
	struct model_shadow *shadow;

	/* Deferred final fputs per model task (task_work, run at call end). */
	int calls_in_flight;
	struct model_task_work {
		const void *task;
		struct file **files;
		int n, cap;
	} task_work[TRACE_MAX_THREADS + 2];

	/*
	 * Files a call looked up by fd, held until it returns (the syscall's
	 * fdget()/fdput()): per model task, like task_work.
	 */
	struct model_call_files {
		const void *task;
		struct file *files[4];
		int n;
	} call_files[TRACE_MAX_THREADS + 2];

	/* Type-stable struct file memory, recycled LIFO (B-03/B-04). */
	struct file **filp_free;
	int nfilp_free, capfilp_free;

	/* Allocated at the first violation: most worlds never have one. */
	struct backend_violation *viol;	/* MODEL_MAX_VIOL entries */
	int nviol;
	unsigned long nviol_dropped;
};

void model_violation(struct gmem_backend *b, const char *checker,
		     const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void model_res_ret(struct trace_result *r, long ret);

uint64_t model_arg(struct gmem_backend *b, const struct trace_call *c, int i);
struct model_handle *model_arg_handle(struct gmem_backend *b,
				      const struct trace_call *c, int i);
struct file *model_arg_file(struct gmem_backend *b, const struct trace_call *c, int i);
void model_op_vm_create(struct gmem_backend *b, const struct trace_call *c,
			struct trace_result *r);
void model_op_bind_fd(struct gmem_backend *b, const struct trace_call *c,
		      struct trace_result *r, long fd);

/*
 * b->lock orders the backend's bookkeeping between free-running threads.
 * Under a controlling scheduler only one model thread runs at a time and
 * no sched point falls inside these sections (on the pthread-baton
 * executor one would deadlock; on fibers the recursive mutex, owned by the
 * one OS thread, excludes no fiber anyway), so the lock is skipped there:
 * an uncontended recursive mutex pair per use was ~6% of the fuzz fast
 * lane's cycles by perf (all mutexes: 10.5% before, 4.3% after).
 */
static inline void model_lock(struct gmem_backend *b)
{
	if (!shim_sched)
		pthread_mutex_lock(&b->lock);
}

static inline void model_unlock(struct gmem_backend *b)
{
	if (!shim_sched)
		pthread_mutex_unlock(&b->lock);
}

/* model_ops.c */
void model_dispatch(struct gmem_backend *b, int tid, const struct trace_call *c,
		    struct trace_result *r);

/* model_checks.c */
/* Set while the guest itself touches memory (the "rmp" checker allows it). */
extern __thread bool model_in_guest_access;
void model_run_checkers(struct gmem_backend *b);
void model_shadow_init(struct gmem_backend *b);
void model_shadow_destroy(struct gmem_backend *b);
/* A write of @byte to [off, off + len) of @pfn's page is starting / done. */
void model_shadow_write_begin(struct gmem_backend *b, unsigned long pfn,
			      unsigned int off, unsigned int len, int byte);
void model_shadow_write_end(struct gmem_backend *b, unsigned long pfn,
			    unsigned int off, unsigned int len, int byte);
/* Part of file page @index of @ino is being zeroed (partial punch) / done. */
void model_shadow_zero_partial_begin(struct gmem_backend *b, unsigned long ino,
				     unsigned long index);
void model_shadow_zero_partial_end(struct gmem_backend *b, unsigned long ino,
				   unsigned long index);
/*
 * File pages [start, end) of @ino are being discarded (punch); begin's
 * return names the discard to its end.
 */
int model_shadow_discard_begin(struct gmem_backend *b, unsigned long ino,
			       unsigned long start, unsigned long end);
void model_shadow_discard_end(struct gmem_backend *b, int slot, unsigned long end);
/* Check a read of @value from [off, off + len) of @pfn; @who names the path. */
void model_shadow_check_read(struct gmem_backend *b, unsigned long pfn,
			     unsigned int off, unsigned int len, int value,
			     const char *who);

#endif /* GMEMSIM_MODEL_INTERNAL_H */
