// SPDX-License-Identifier: GPL-2.0
/*
 * The model backend's trace ops: each op does what the syscall / ioctl
 * path of the kernel does before reaching the model function (fd lookup,
 * "is this the right kind of file", copy-in of the uapi struct), then calls
 * the model by its kernel name and converts the result.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/kvm_host.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/mm_model.h>
#include <linux/mempolicy.h>
#include <linux/pagemap.h>
#include <linux/srcu.h>
#include <shim/sched.h>
#include <shim/slab.h>
#include <gmemsim/fdtable.h>
#include <gmemsim/kvm_model.h>
#include <linux/hugetlb.h>

#include "backend/model/model_internal.h"

#define ARG(i)		model_arg(b, c, (i))

/* An ioctl on a file that does not implement it. */
#define ENOTTY_RET	(-ENOTTY)

/*
 * The current task's held-files slot; @create claims a free one.
 * Context: b->lock held.
 */
static struct model_call_files *call_files_of(struct gmem_backend *b, bool create)
{
	const void *task = shim_current();
	int i;

	for (i = 0; i < (int)ARRAY_SIZE(b->call_files); i++)
		if (b->call_files[i].task == task)
			return &b->call_files[i];
	if (!create)
		return NULL;
	for (i = 0; i < (int)ARRAY_SIZE(b->call_files); i++) {
		if (!b->call_files[i].task) {
			b->call_files[i].task = task;
			return &b->call_files[i];
		}
	}
	return NULL;
}

/*
 * call_fget() - the file behind argument @i (fd handle or raw fd), held
 * until the call returns, as the syscall entry's fdget() holds it: a
 * racing close() of the number (and a reuse of it) cannot free the file,
 * or the VM it pins, under the op.
 * Return: the file or NULL (-EBADF).
 */
static struct file *call_fget(struct gmem_backend *b, const struct trace_call *c, int i)
{
	uint64_t fd = ARG(i);
	struct model_call_files *cf;
	struct file *f;

	if (fd > INT32_MAX)
		return NULL;
	f = fget((unsigned int)fd);
	if (!f)
		return NULL;
	model_lock(b);
	cf = call_files_of(b, true);
	if (cf && cf->n < (int)ARRAY_SIZE(cf->files)) {
		cf->files[cf->n++] = f;
		f = NULL;
	}
	model_unlock(b);
	/* More fds than any op takes: a backend bug, never a silent leak. */
	if (WARN_ON_ONCE(f)) {
		fput(f);
		return NULL;
	}
	return cf->files[cf->n - 1];
}

/* fdput() of every file the call held (model_dispatch() end). */
static void call_fput_all(struct gmem_backend *b)
{
	struct model_call_files *cf;
	struct file *f;

	for (;;) {
		f = NULL;
		model_lock(b);
		cf = call_files_of(b, false);
		if (cf && cf->n)
			f = cf->files[--cf->n];
		else if (cf)
			cf->task = NULL;
		model_unlock(b);
		if (!f)
			return;
		fput(f);
	}
}

static struct kvm *vm_of(struct gmem_backend *b, const struct trace_call *c,
			 int i, long *err)
{
	struct file *f = call_fget(b, c, i);
	struct kvm *kvm;

	if (!f) {
		*err = -EBADF;
		return NULL;
	}
	kvm = kvm_file_to_vm(f);
	if (!kvm)
		*err = ENOTTY_RET;
	return kvm;
}

static struct kvm_vcpu *vcpu_of(struct gmem_backend *b, const struct trace_call *c,
				int i, long *err)
{
	struct file *f = call_fget(b, c, i);
	struct kvm_vcpu *vcpu;

	if (!f) {
		*err = -EBADF;
		return NULL;
	}
	vcpu = kvm_file_to_vcpu(f);
	if (!vcpu)
		*err = ENOTTY_RET;
	return vcpu;
}

static void op_vcpu_create(struct gmem_backend *b, const struct trace_call *c,
			   struct trace_result *r)
{
	long err = 0;
	struct kvm *kvm = vm_of(b, c, 0, &err);

	if (!kvm) {
		model_res_ret(r, err);
		return;
	}
	model_op_bind_fd(b, c, r, kvm_vm_ioctl_create_vcpu_fd(kvm, ARG(1)));
}

static void op_create_guest_memfd(struct gmem_backend *b, const struct trace_call *c,
				  struct trace_result *r)
{
	struct kvm_create_guest_memfd args = {
		.size = ARG(1),
		.flags = ARG(2),
		.reserved = { ARG(3) },
	};
	struct file *f = call_fget(b, c, 0);
	struct kvm *kvm;

	if (!f) {
		model_res_ret(r, -EBADF);
		return;
	}
	kvm = kvm_file_to_vm(f);
	if (!kvm) {
		/* /dev/kvm rejects unknown ioctls with EINVAL, others ENOTTY. */
		model_res_ret(r, kvm_file_is_dev(f) ? -EINVAL : ENOTTY_RET);
		return;
	}
	model_op_bind_fd(b, c, r, kvm_gmem_create(kvm, &args));
}

static void op_set_region(struct gmem_backend *b, const struct trace_call *c,
			  struct trace_result *r, bool v2)
{
	struct kvm_userspace_memory_region2 mem;
	long err = 0;
	struct kvm *kvm = vm_of(b, c, 0, &err);

	if (!kvm) {
		model_res_ret(r, err);
		return;
	}
	memset(&mem, 0, sizeof(mem));
	mem.slot = ARG(1);
	mem.flags = ARG(2);
	mem.guest_phys_addr = ARG(3);
	mem.memory_size = ARG(4);
	mem.userspace_addr = ARG(5);
	if (v2) {
		mem.guest_memfd = (u32)ARG(6);
		mem.guest_memfd_offset = ARG(7);
	} else if (mem.flags & ~(KVM_MEM_LOG_DIRTY_PAGES | KVM_MEM_READONLY)) {
		/* v1 never accepts v2-only flags (SMR-03). */
		model_res_ret(r, -EINVAL);
		return;
	}
	model_res_ret(r, kvm_vm_ioctl_set_memory_region(kvm, &mem));
}

static void op_set_attributes(struct gmem_backend *b, const struct trace_call *c,
			      struct trace_result *r)
{
	struct kvm_memory_attributes attrs = {
		.address = ARG(1),
		.size = ARG(2),
		.attributes = ARG(3),
		.flags = ARG(4),
	};
	long err = 0;
	struct kvm *kvm = vm_of(b, c, 0, &err);

	if (!kvm) {
		model_res_ret(r, err);
		return;
	}
	model_res_ret(r, kvm_vm_ioctl_set_mem_attributes(kvm, &attrs));
}

static void op_pre_fault(struct gmem_backend *b, const struct trace_call *c,
			 struct trace_result *r)
{
	struct kvm_pre_fault_memory range = {
		.gpa = ARG(1),
		.size = ARG(2),
		.flags = ARG(3),
	};
	long err = 0;
	struct kvm_vcpu *vcpu = vcpu_of(b, c, 0, &err);

	if (!vcpu) {
		model_res_ret(r, err);
		return;
	}
	model_res_ret(r, kvm_vcpu_pre_fault_memory(vcpu, &range));
	r->remaining = range.size;
}

static void op_check_extension(struct gmem_backend *b, const struct trace_call *c,
			       struct trace_result *r)
{
	struct kvm *kvm = NULL;

	if (c->nargs > 0 && (c->args[0].is_handle || c->args[0].value)) {
		struct file *f = call_fget(b, c, 0);

		if (!f) {
			model_res_ret(r, -EBADF);
			return;
		}
		kvm = kvm_file_to_vm(f);
		if (!kvm && !kvm_file_is_dev(f)) {
			model_res_ret(r, ENOTTY_RET);
			return;
		}
	}
	model_res_ret(r, kvm_vm_ioctl_check_extension_generic(kvm, (long)ARG(1)));
}

static void op_fallocate(struct gmem_backend *b, const struct trace_call *c,
			 struct trace_result *r)
{
	struct file *f = call_fget(b, c, 0);

	if (!f) {
		model_res_ret(r, -EBADF);
		return;
	}
	/* A punch tells the contents shadow itself (model_punch_begin()). */
	model_res_ret(r, vfs_fallocate(f, (int)ARG(1), (loff_t)ARG(2), (loff_t)ARG(3)));
}

static void op_mmap(struct gmem_backend *b, const struct trace_call *c,
		    struct trace_result *r, bool anon)
{
	struct mm_struct *mm = mm_world_mm(b->mm);
	unsigned long len, prot, flags, off, addr;
	struct file *f = NULL;

	if (anon) {
		len = ARG(0);
		prot = PROT_READ | PROT_WRITE;
		flags = MAP_SHARED | MAP_ANONYMOUS;
		off = 0;
	} else {
		len = ARG(1);
		prot = c->nargs > 2 ? ARG(2) : PROT_READ | PROT_WRITE;
		flags = c->nargs > 3 ? ARG(3) : MAP_SHARED;
		off = ARG(4);
		if (off & ~PAGE_MASK) {
			model_res_ret(r, -EINVAL);
			return;
		}
		/*
		 * ksys_mmap_pgoff(): the file is held for the whole call, so
		 * a racing close() cannot free (and the filp cache recycle)
		 * it under do_mmap().
		 */
		f = call_fget(b, c, 0);
		if (!f) {
			model_res_ret(r, -EBADF);
			return;
		}
	}
	addr = do_mmap(mm, f, 0, len, prot, flags, off >> PAGE_SHIFT);
	if (IS_ERR_VALUE(addr)) {
		model_res_ret(r, (long)addr);
		return;
	}
	model_res_ret(r, 0);
	if (c->bind >= 0 && c->bind < TRACE_MAX_HANDLES) {
		b->h[c->bind].kind = MH_MAP;
		b->h[c->bind].addr = addr;
		b->h[c->bind].len = PAGE_ALIGN(len);
		b->h[c->bind].defined_by = c->op;
	}
}

static void op_munmap(struct gmem_backend *b, const struct trace_call *c,
		      struct trace_result *r)
{
	struct model_handle *h = model_arg_handle(b, c, 0);

	if (!h || h->kind != MH_MAP) {
		model_res_ret(r, -EINVAL);
		return;
	}
	model_res_ret(r, do_munmap(mm_world_mm(b->mm), h->addr, h->len));
}

static void op_madvise(struct gmem_backend *b, const struct trace_call *c,
		       struct trace_result *r)
{
	struct model_handle *h = model_arg_handle(b, c, 0);
	unsigned long base = h && h->kind == MH_MAP ? h->addr : ARG(0);

	/*
	 * MADV_REMOVE punches the files behind the range VMA by VMA, with
	 * mmap_lock dropped in between: the contents shadow hears of each
	 * punch from the model as it happens (model_punch_begin()), as a
	 * VMA mapped meanwhile is punched too.
	 */
	model_res_ret(r, do_madvise(mm_world_mm(b->mm), base + ARG(1), ARG(2), (int)ARG(3)));
}

/* One host page access through GUP (the user page tables); -errno or pfn. */
static long host_page(struct gmem_backend *b, unsigned long addr, bool write,
		      struct page **pagep)
{
	long n = get_user_pages_remote(mm_world_mm(b->mm), addr & PAGE_MASK, 1,
				       write ? FOLL_WRITE : 0, pagep, NULL);

	if (n == 1)
		return 0;
	return n < 0 ? n : -EFAULT;
}

static void combine_value(int *acc, int v)
{
	if (*acc == -2)
		*acc = v;
	else if (*acc != v)
		*acc = TRACE_VALUE_MIXED;
}

static void op_host_access(struct gmem_backend *b, const struct trace_call *c,
			   struct trace_result *r, bool write)
{
	struct model_handle *h = model_arg_handle(b, c, 0);
	unsigned long base = h && h->kind == MH_MAP ? h->addr : ARG(0);
	unsigned long addr = base + ARG(1);
	u8 byte = write ? (u8)ARG(2) : 0;
	unsigned long len = write ? ARG(3) : ARG(2);
	unsigned long end = addr + len;
	int acc = -2;

	/*
	 * Not a live mapping (a failed mmap, an fd): EBADF, as the kvm
	 * backend answers, not an access at the fd number (diff_fuzz).
	 */
	if (!h || h->kind != MH_MAP) {
		model_res_ret(r, -EBADF);
		return;
	}

	while (addr < end) {
		unsigned int off = addr & ~PAGE_MASK;
		unsigned int n = min_t(unsigned long, PAGE_SIZE - off, end - addr);
		struct page *page;
		unsigned long pfn;
		long err = host_page(b, addr, write, &page);

		if (err) {
			if (err == -ENOMEM) {
				model_res_ret(r, err);
				return;
			}
			r->kind = TRES_SIGBUS;
			r->err = (int)-err;
			return;
		}
		pfn = page_to_pfn(page);
		model_lock(b);
		if (write) {
			model_shadow_write_begin(b, pfn, off, n, byte);
			mm_page_write(pfn, off, byte, n);
			model_shadow_write_end(b, pfn, off, n, byte);
		} else {
			int v = mm_page_read(pfn, off, n);

			model_shadow_check_read(b, pfn, off, n, v, "host_read");
			combine_value(&acc, v < 0 ? TRACE_VALUE_MIXED : v);
		}
		model_unlock(b);
		put_page(page);
		addr += n;
	}
	r->kind = TRES_OK;
	r->ret = 0;
	if (!write)
		r->value = acc == -2 ? TRACE_VALUE_MIXED : acc;
}

static void fill_exit(struct kvm_vcpu *vcpu, struct trace_result *r, int ret)
{
	r->kind = TRES_EXIT;
	r->err = ret < 0 ? -ret : 0;
	r->exit_reason = vcpu->run->exit_reason;
	if (vcpu->run->exit_reason == KVM_EXIT_MEMORY_FAULT) {
		r->mf_gpa = vcpu->run->memory_fault.gpa;
		r->mf_size = vcpu->run->memory_fault.size;
		r->mf_flags = vcpu->run->memory_fault.flags;
	}
}

struct guest_io {
	struct gmem_backend *b;
	unsigned int off, len;
	bool is_write, is_exec;
	u8 byte;
	int value;
};

/*
 * The guest's load/store itself: runs under the x86 model's translation
 * (kvm_x86_vcpu_access_fn), so the frame cannot be freed in between.
 */
static int guest_io_fn(void *ctx, kvm_pfn_t pfn)
{
	struct guest_io *io = ctx;

	model_lock(io->b);
	/* The guest's own access: the "rmp" checker allows guest-owned pages. */
	model_in_guest_access = true;
	if (io->is_write) {
		model_shadow_write_begin(io->b, pfn, io->off, io->len, io->byte);
		mm_page_write(pfn, io->off, io->byte, io->len);
		model_shadow_write_end(io->b, pfn, io->off, io->len, io->byte);
	} else if (!io->is_exec) {
		io->value = mm_page_read(pfn, io->off, io->len);
		model_shadow_check_read(io->b, pfn, io->off, io->len, io->value,
					"guest_read");
	}
	model_in_guest_access = false;
	model_unlock(io->b);
	return 0;
}

static void op_guest_access(struct gmem_backend *b, const struct trace_call *c,
			    struct trace_result *r, unsigned int access)
{
	long err = 0;
	struct kvm_vcpu *vcpu = vcpu_of(b, c, 0, &err);
	bool is_exec = access == KVM_X86_ACCESS_EXEC;
	bool is_write = access == KVM_X86_ACCESS_WRITE;
	u64 gpa = ARG(1);
	u8 byte = is_write ? (u8)ARG(2) : 0;
	u64 len = is_exec ? 1 : (is_write ? ARG(3) : ARG(2));
	bool is_private = is_exec ? ARG(2) : (is_write ? ARG(4) : ARG(3));
	u64 end = gpa + len;
	int acc = -2;

	if (!vcpu) {
		model_res_ret(r, err);
		return;
	}

	/*
	 * KVM_RUN: vcpu_load.  kvm->srcu is NOT held across accesses: the
	 * kernel drops it on every guest entry, and a memslot update's
	 * synchronize_srcu() must be able to finish while a vCPU retries.
	 */
	mutex_lock(&vcpu->mutex);
	while (gpa < end) {
		struct guest_io io = {
			.b = b,
			.off = gpa & ~PAGE_MASK,
			.is_write = is_write,
			.is_exec = is_exec,
			.byte = byte,
			.value = -2,
		};
		int ret;

		io.len = min_t(u64, PAGE_SIZE - io.off, end - gpa);
		vcpu->run->exit_reason = KVM_EXIT_UNKNOWN;
		ret = kvm_x86_vcpu_access_fn(vcpu, gpa, access, is_private,
					     guest_io_fn, &io);
		/*
		 * A fetch the fault path hands to the emulator (no memslot)
		 * cannot be emulated: KVM reports an emulation failure (SMR-18,
		 * traces/conformance/smr-18-20-vcpu.trace).
		 */
		if (is_exec && ret == KVM_EXIT_MMIO) {
			vcpu->run->exit_reason = KVM_EXIT_INTERNAL_ERROR;
			ret = KVM_EXIT_INTERNAL_ERROR;
		}
		if (ret) {
			if (ret < 0 && vcpu->run->exit_reason == KVM_EXIT_UNKNOWN)
				model_res_ret(r, ret);
			else
				fill_exit(vcpu, r, ret);
			goto out;
		}
		if (!is_write && !is_exec)
			combine_value(&acc, io.value < 0 ? TRACE_VALUE_MIXED : io.value);
		gpa += io.len;
		if (is_exec)
			break;
	}
	r->kind = TRES_OK;
	r->ret = 0;
	if (!is_write && !is_exec)
		r->value = acc == -2 ? TRACE_VALUE_MIXED : acc;
out:
	mutex_unlock(&vcpu->mutex);
}

/*
 * One access of the vcpu_run guest, page by page like op_guest_access():
 * 0 with *@value (reads) set, or the access's nonzero return with the exit
 * in vcpu->run.  vcpu->mutex held.
 */
static int vcpu_run_access(struct gmem_backend *b, struct kvm_vcpu *vcpu, u64 gpa, u64 len,
			   unsigned int access, int *value)
{
	bool is_exec = access == KVM_X86_ACCESS_EXEC;
	u64 end = gpa + len;
	int acc = -2;

	while (gpa < end) {
		struct guest_io io = {
			.b = b,
			.off = gpa & ~PAGE_MASK,
			.is_exec = is_exec,
			.value = -2,
		};
		int ret;

		io.len = min_t(u64, PAGE_SIZE - io.off, end - gpa);
		vcpu->run->exit_reason = KVM_EXIT_UNKNOWN;
		ret = kvm_x86_vcpu_access_fn(vcpu, gpa, access, false, guest_io_fn, &io);
		if (ret)
			return ret;
		if (is_exec)
			break;
		combine_value(&acc, io.value < 0 ? TRACE_VALUE_MIXED : io.value);
		gpa += io.len;
	}
	*value = acc == -2 ? TRACE_VALUE_MIXED : acc;
	return 0;
}

/*
 * vcpu_run(vcpu, rip, gpa, len, loops): KVM_RUN of a guest loop (the
 * set_memory_region_test guests, SMR-18..20).  Each iteration fetches the
 * instruction at @rip (a shared access) and, if @len, reads [gpa, gpa+len);
 * the loop ends after @loops iterations or when the value read differs from
 * the previous iteration's (the guest saw a new mapping).  A fetch that
 * finds no memory (no memslot: the fault path asks for emulation) cannot be
 * emulated -- KVM reports an emulation failure, KVM_EXIT_INTERNAL_ERROR; a
 * read without a memslot is an MMIO exit back to the host.  Each iteration
 * is a scheduling point (the guest runs while other threads act).
 */
static void op_vcpu_run(struct gmem_backend *b, const struct trace_call *c,
			struct trace_result *r)
{
	long err = 0;
	struct kvm_vcpu *vcpu = vcpu_of(b, c, 0, &err);
	u64 rip = ARG(1), gpa = ARG(2), len = ARG(3), loops = ARG(4), i;
	int prev = -2, value = -2, ret = 0;

	if (!vcpu) {
		model_res_ret(r, err);
		return;
	}
	if (!loops || len > (1ULL << 30)) {
		model_res_ret(r, -EINVAL);
		return;
	}
	mutex_lock(&vcpu->mutex);
	for (i = 0; i < loops; i++) {
		if (i)
			sched_point("vcpu_run:loop");
		ret = vcpu_run_access(b, vcpu, rip, 1, KVM_X86_ACCESS_EXEC, &value);
		if (ret == KVM_EXIT_MMIO) {
			/* handle_emulation_failure(): no instruction bytes to decode. */
			vcpu->run->exit_reason = KVM_EXIT_INTERNAL_ERROR;
			ret = KVM_EXIT_INTERNAL_ERROR;
		}
		if (!ret && len)
			ret = vcpu_run_access(b, vcpu, gpa, len, KVM_X86_ACCESS_READ, &value);
		if (ret)
			break;
		if (!len)
			continue;
		if (prev != -2 && value != prev)
			break;
		prev = value;
	}
	if (ret) {
		if (ret < 0 && vcpu->run->exit_reason == KVM_EXIT_UNKNOWN)
			model_res_ret(r, ret);
		else
			fill_exit(vcpu, r, ret);
	} else {
		r->kind = TRES_OK;
		r->ret = 0;
		if (len)
			r->value = value;
	}
	mutex_unlock(&vcpu->mutex);
}

/* mbind(map, offset, length, mode, nodemask, flags) */
static void op_mbind(struct gmem_backend *b, const struct trace_call *c,
		     struct trace_result *r)
{
	struct model_handle *h = model_arg_handle(b, c, 0);
	unsigned long base = h && h->kind == MH_MAP ? h->addr : ARG(0);

	if (ARG(3) > USHRT_MAX || ARG(5) > UINT_MAX) {
		model_res_ret(r, -EINVAL);
		return;
	}
	model_res_ret(r, do_mbind(mm_world_mm(b->mm), base + ARG(1), ARG(2),
				  (unsigned short)ARG(3), ARG(4), (unsigned int)ARG(5)));
}

/* get_mempolicy(map, offset, field): field 0 = mode, 1 = nodemask */
static void op_get_mempolicy(struct gmem_backend *b, const struct trace_call *c,
			     struct trace_result *r)
{
	struct model_handle *h = model_arg_handle(b, c, 0);
	unsigned long base = h && h->kind == MH_MAP ? h->addr : ARG(0);
	unsigned long nodes;
	int mode, ret;

	if (ARG(2) > 1) {
		model_res_ret(r, -EINVAL);
		return;
	}
	ret = do_get_mempolicy_addr(mm_world_mm(b->mm), base + ARG(1), &mode, &nodes);
	if (ret) {
		model_res_ret(r, ret);
		return;
	}
	model_res_ret(r, ARG(2) ? (long)nodes : mode);
}

/* page_node(map, offset): move_pages() status of one page */
static void op_page_node(struct gmem_backend *b, const struct trace_call *c,
			 struct trace_result *r)
{
	struct model_handle *h = model_arg_handle(b, c, 0);
	unsigned long base = h && h->kind == MH_MAP ? h->addr : ARG(0);

	model_res_ret(r, mm_page_node(mm_world_mm(b->mm), base + ARG(1)));
}

static void op_close(struct gmem_backend *b, const struct trace_call *c,
		     struct trace_result *r)
{
	struct model_handle *h = model_arg_handle(b, c, 0);

	if (h && h->kind == MH_MAP) {
		model_res_ret(r, do_munmap(mm_world_mm(b->mm), h->addr, h->len));
		return;
	}
	if (ARG(0) > INT32_MAX) {
		model_res_ret(r, -EBADF);
		return;
	}
	model_res_ret(r, close_fd((unsigned int)ARG(0)));
}

static void op_rw(struct gmem_backend *b, const struct trace_call *c,
		  struct trace_result *r)
{
	struct file *f = call_fget(b, c, 0);

	if (!f) {
		model_res_ret(r, -EBADF);
		return;
	}
	/*
	 * No model file implements read/write (guest_memfd has neither), so
	 * the VFS refuses them with -EINVAL.  6.18: the gmem file comes from
	 * alloc_file_pseudo(), which never sets FMODE_PREAD/FMODE_PWRITE, and
	 * pread(2)/pwrite(2) fail earlier with -ESPIPE, as the 6.18 host does
	 * (docs/host-vs-spec.md, traces/conformance/gm-01-04-file-ops.trace).
	 * 7.1/7.2 keep the spec's -EINVAL (spec 1.2).
	 */
	if ((c->op == TOP_PREAD || c->op == TOP_PWRITE) && kvm_gmem_is_gmem_file(f) &&
	    b->profile == KVM_PROFILE_6_18) {
		model_res_ret(r, -ESPIPE);
		return;
	}
	model_res_ret(r, -EINVAL);
}

static void op_fstat(struct gmem_backend *b, const struct trace_call *c,
		     struct trace_result *r)
{
	struct file *f = call_fget(b, c, 0);
	struct inode *inode;

	if (!f) {
		model_res_ret(r, -EBADF);
		return;
	}
	inode = file_inode(f);
	model_res_ret(r, i_size_read(inode));
	r->st_blksize = PAGE_SIZE;
	r->st_ino = inode->i_ino;
}

static void op_ftruncate(struct gmem_backend *b, const struct trace_call *c,
			 struct trace_result *r)
{
	struct file *f;

	/* do_sys_ftruncate() checks the length before it looks at the fd. */
	if ((loff_t)ARG(1) < 0) {
		model_res_ret(r, -EINVAL);
		return;
	}
	f = call_fget(b, c, 0);
	if (!f) {
		model_res_ret(r, -EBADF);
		return;
	}
	/* guest_memfd's setattr refuses every size change; others: not modelled. */
	model_res_ret(r, -EINVAL);
}

static void op_memfd_create(struct gmem_backend *b, const struct trace_call *c,
			    struct trace_result *r)
{
	struct file *f = shmem_file_setup("memfd:gmemsim", (loff_t)ARG(0), 0);
	long fd;

	if (IS_ERR_OR_NULL(f)) {
		model_res_ret(r, f ? PTR_ERR(f) : -ENOMEM);
		return;
	}
	fd = fd_install_new(&b->files, f);
	if (fd < 0)
		fput(f);
	model_op_bind_fd(b, c, r, fd);
}

static void op_memory_failure(struct gmem_backend *b, const struct trace_call *c,
			      struct trace_result *r)
{
	struct file *f = call_fget(b, c, 0);
	pgoff_t index = ARG(1) >> PAGE_SHIFT;
	struct folio *folio;
	unsigned long pfn;

	if (!f) {
		model_res_ret(r, -EBADF);
		return;
	}
	folio = filemap_get_folio(f->f_mapping, index);
	if (IS_ERR(folio)) {
		model_res_ret(r, PTR_ERR(folio));
		return;
	}
	pfn = folio_pfn(folio) + (index - folio->index);
	folio_put(folio);
	model_res_ret(r, memory_failure(pfn, 0));
}

static int model_post_populate(struct kvm *kvm, gfn_t gfn, kvm_pfn_t pfn,
			       struct page *src_page, void *opaque)
{
	struct gmem_backend *b = opaque;
	int v = 0;

	/*
	 * SNP LAUNCH_UPDATE / TDH.MEM.PAGE.ADD: copy (or zero), then encrypt.
	 * SNP first looks the pfn up in the RMP and refuses a page that is
	 * already guest-owned (-EINVAL), before touching it: generic 7.1 code
	 * no longer rejects an uptodate folio, the arch callback does.
	 */
	if (kvm->arch.vm_type == KVM_X86_SNP_VM && snp_rmp_is_private(pfn))
		return -EINVAL;
	model_lock(b);
	if (src_page) {
		unsigned long spfn = page_to_pfn(src_page);

		v = mm_page_read(spfn, 0, PAGE_SIZE);
		if (v < 0) {
			static __thread u8 buf[PAGE_SIZE];

			mm_page_copy_from(spfn, 0, buf, PAGE_SIZE);
			model_shadow_write_begin(b, pfn, 0, PAGE_SIZE, -1);
			mm_page_copy_to(pfn, 0, buf, PAGE_SIZE);
			model_shadow_write_end(b, pfn, 0, PAGE_SIZE, -1);
			model_unlock(b);
			return kvm_arch_gmem_prepare(kvm, gfn, pfn, 0);
		}
	}
	model_shadow_write_begin(b, pfn, 0, PAGE_SIZE, v);
	mm_page_write(pfn, 0, (u8)v, PAGE_SIZE);
	model_shadow_write_end(b, pfn, 0, PAGE_SIZE, v);
	model_unlock(b);
	return kvm_arch_gmem_prepare(kvm, gfn, pfn, 0);
}

static void op_populate(struct gmem_backend *b, const struct trace_call *c,
			struct trace_result *r)
{
	long err = 0;
	struct kvm *kvm = vm_of(b, c, 0, &err);
	struct model_handle *src = model_arg_handle(b, c, 2);
	unsigned long src_addr = src && src->kind == MH_MAP ? src->addr : ARG(2);
	long ret;

	if (!kvm) {
		model_res_ret(r, err);
		return;
	}
	/*
	 * The ioctl validates what kvm_gmem_populate() WARNs on (spec 1.13
	 * step 1): TDX INIT_MEM_REGION rejects nr_pages == 0 and an unaligned
	 * source_addr, SNP_LAUNCH_UPDATE a zero or unaligned len, with EINVAL.
	 */
	if ((long)ARG(3) <= 0 || !PAGE_ALIGNED(src_addr)) {
		model_res_ret(r, -EINVAL);
		r->remaining = ARG(3) * PAGE_SIZE;
		return;
	}
	mutex_lock(&kvm->slots_lock);
	ret = kvm_gmem_populate(kvm, gpa_to_gfn(ARG(1)), (void *)src_addr,
				(long)ARG(3), model_post_populate, b);
	mutex_unlock(&kvm->slots_lock);
	/*
	 * Like SNP_LAUNCH_UPDATE / TDX INIT_MEM_REGION: any progress is
	 * success; what is left is reported back (remaining, in bytes).
	 */
	model_res_ret(r, ret < 0 ? ret : 0);
	r->remaining = ret < 0 ? ARG(3) * PAGE_SIZE : (ARG(3) - ret) * PAGE_SIZE;
}

static void op_host_pin(struct gmem_backend *b, const struct trace_call *c,
			struct trace_result *r)
{
	struct model_handle *h = model_arg_handle(b, c, 0);
	unsigned long base = h && h->kind == MH_MAP ? h->addr : ARG(0);
	unsigned long pfn;
	int ret;

	ret = pin_user_page_model(mm_world_mm(b->mm), base + ARG(1), true, &pfn);
	if (ret == -EFAULT || ret == -EHWPOISON) {
		r->kind = TRES_SIGBUS;
		r->err = -ret;
		return;
	}
	model_res_ret(r, ret);
	if (!ret && (c->bind < 0 || c->bind >= TRACE_MAX_HANDLES)) {
		/*
		 * No handle to unpin it by, and teardown unpins only handles:
		 * like an unbound vm_create on the kvm backend, drop it now
		 * (else a folio leaks at teardown; found by model_fuzz).
		 */
		unpin_user_pfn_model(pfn);
		return;
	}
	if (!ret) {
		/* Published under the lock op_host_unpin() claims it under. */
		model_lock(b);
		b->h[c->bind].pfn = pfn;
		b->h[c->bind].defined_by = c->op;
		b->h[c->bind].kind = MH_PIN;
		model_unlock(b);
	}
}

static void op_host_unpin(struct gmem_backend *b, const struct trace_call *c,
			  struct trace_result *r)
{
	struct model_handle *h = model_arg_handle(b, c, 0);
	unsigned long pfn = 0;
	bool pinned = false;

	/*
	 * A pin handle is consumed once, like an fd by close(): claim it
	 * under the model lock before dropping the pin.  Checked and cleared
	 * around the folio_put() (a scheduling point), two threads unpinning
	 * one handle both dropped a reference, freeing a page-cache folio
	 * (found by model_fuzz); the loser now gets EINVAL.
	 */
	if (h) {
		model_lock(b);
		if (h->kind == MH_PIN) {
			pfn = h->pfn;
			h->kind = MH_NONE;
			pinned = true;
		}
		model_unlock(b);
	}
	if (!pinned) {
		model_res_ret(r, -EINVAL);
		return;
	}
	unpin_user_pfn_model(pfn);
	model_res_ret(r, 0);
}

/*
 * KVM_SET_MEMORY_ATTRIBUTES2 (proposed, spec §6.3): on a guest_memfd the
 * in-place conversion; on a VM fd the legacy VM-attribute path (the
 * extended struct's extra fields must be zero).  error_offset comes back as
 * remaining = the bytes of the range from error_offset on.
 */
static void op_set_attributes2(struct gmem_backend *b, const struct trace_call *c,
			       struct trace_result *r)
{
	struct kvm_memory_attributes2 attrs2 = {
		.offset = ARG(1),
		.size = ARG(2),
		.attributes = ARG(3),
		.flags = ARG(4),
		.reserved = { ARG(5) },
	};
	struct file *f = call_fget(b, c, 0);
	struct kvm *kvm;
	long ret;

	if (!f) {
		model_res_ret(r, -EBADF);
		return;
	}
	if (kvm_gmem_is_gmem_file(f)) {
		ret = kvm_gmem_ioctl_set_memory_attributes2(f, &attrs2);
		model_res_ret(r, ret);
		if (ret == -EAGAIN)
			r->remaining = attrs2.offset + attrs2.size - attrs2.error_offset;
		return;
	}
	kvm = kvm_file_to_vm(f);
	if (!kvm) {
		model_res_ret(r, ENOTTY_RET);
		return;
	}
	if (attrs2.reserved[0]) {
		model_res_ret(r, -EINVAL);
		return;
	}
	{
		struct kvm_memory_attributes attrs = {
			.address = attrs2.address,
			.size = attrs2.size,
			.attributes = attrs2.attributes,
			.flags = attrs2.flags,
		};

		model_res_ret(r, kvm_vm_ioctl_set_mem_attributes(kvm, &attrs));
	}
}

static void op_link_guest_memfd(struct gmem_backend *b, const struct trace_call *c,
				struct trace_result *r)
{
	struct kvm_link_guest_memfd args = {
		.fd = ARG(1),
		.flags = ARG(2),
		.reserved = { ARG(3) },
	};
	long err = 0;
	struct kvm *kvm = vm_of(b, c, 0, &err);

	if (!kvm) {
		model_res_ret(r, err);
		return;
	}
	model_op_bind_fd(b, c, r, kvm_vm_ioctl_link_guest_memfd(kvm, &args));
}

/* hugetlb_pool(size, nr): the pool of one huge size (spec §6.4). */
static void op_hugetlb_pool(struct gmem_backend *b, const struct trace_call *c,
			    struct trace_result *r)
{
	u64 size = ARG(0);

	if (size != PMD_SIZE && size != PUD_SIZE) {
		model_res_ret(r, -EINVAL);
		return;
	}
	model_res_ret(r, hugetlb_pool_set(size == PMD_SIZE ? HPAGE_PMD_ORDER : HPAGE_PUD_ORDER,
					  ARG(1)));
}

/* accept(vcpu, gpa, size): TDG.MEM.PAGE.ACCEPT, under the vCPU mutex like KVM_RUN. */
static void op_accept(struct gmem_backend *b, const struct trace_call *c,
		      struct trace_result *r)
{
	long err = 0;
	struct kvm_vcpu *vcpu = vcpu_of(b, c, 0, &err);
	int ret;

	if (!vcpu) {
		model_res_ret(r, err);
		return;
	}
	mutex_lock(&vcpu->mutex);
	vcpu->run->exit_reason = KVM_EXIT_UNKNOWN;
	ret = tdx_vcpu_accept(vcpu, ARG(1), ARG(2));
	if (ret > 0 || (ret < 0 && vcpu->run->exit_reason != KVM_EXIT_UNKNOWN))
		fill_exit(vcpu, r, ret);
	else
		model_res_ret(r, ret);
	mutex_unlock(&vcpu->mutex);
}

/**
 * model_dispatch() - run one trace call against the model.
 * @b: the world (already current on this thread)
 * @tid: trace thread, -1 for setup/final
 * @c: the call
 * @r: out: what the syscall would have returned
 *
 * Context: model thread; may block in model locks.
 */
void model_dispatch(struct gmem_backend *b, int tid, const struct trace_call *c,
		    struct trace_result *r)
{
	long err = 0;
	struct kvm *kvm;

	switch (c->op) {
	case TOP_VM_CREATE:
		model_op_vm_create(b, c, r);
		break;
	case TOP_VCPU_CREATE:
		op_vcpu_create(b, c, r);
		break;
	case TOP_CREATE_GUEST_MEMFD:
		op_create_guest_memfd(b, c, r);
		break;
	case TOP_SET_USER_MEMORY_REGION2:
		op_set_region(b, c, r, true);
		break;
	case TOP_SET_USER_MEMORY_REGION:
		op_set_region(b, c, r, false);
		break;
	case TOP_SET_MEMORY_ATTRIBUTES:
		op_set_attributes(b, c, r);
		break;
	case TOP_PRE_FAULT_MEMORY:
		op_pre_fault(b, c, r);
		break;
	case TOP_CHECK_EXTENSION:
		op_check_extension(b, c, r);
		break;
	case TOP_FALLOCATE:
		op_fallocate(b, c, r);
		break;
	case TOP_MMAP:
		op_mmap(b, c, r, false);
		break;
	case TOP_ANON_MMAP:
		op_mmap(b, c, r, true);
		break;
	case TOP_MUNMAP:
		op_munmap(b, c, r);
		break;
	case TOP_MADVISE:
		op_madvise(b, c, r);
		break;
	case TOP_HOST_READ:
		op_host_access(b, c, r, false);
		break;
	case TOP_HOST_WRITE:
		op_host_access(b, c, r, true);
		break;
	case TOP_GUEST_READ:
		op_guest_access(b, c, r, KVM_X86_ACCESS_READ);
		break;
	case TOP_GUEST_WRITE:
		op_guest_access(b, c, r, KVM_X86_ACCESS_WRITE);
		break;
	case TOP_GUEST_EXEC:
		op_guest_access(b, c, r, KVM_X86_ACCESS_EXEC);
		break;
	case TOP_CLOSE:
		op_close(b, c, r);
		break;
	case TOP_READ:
	case TOP_WRITE:
	case TOP_PREAD:
	case TOP_PWRITE:
		op_rw(b, c, r);
		break;
	case TOP_FSTAT:
		op_fstat(b, c, r);
		break;
	case TOP_FTRUNCATE:
		op_ftruncate(b, c, r);
		break;
	case TOP_MEMFD_CREATE:
		op_memfd_create(b, c, r);
		break;
	case TOP_OPEN_DEV_KVM:
		model_op_bind_fd(b, c, r, kvm_dev_open());
		break;
	case TOP_FAIL_ALLOC:
		shim_slab_fail_after((long)ARG(0));
		model_res_ret(r, 0);
		break;
	case TOP_SIGNAL:
		if (ARG(0) < TRACE_MAX_THREADS)
			b->signal_pending[ARG(0)] = true;
		model_res_ret(r, ARG(0) < TRACE_MAX_THREADS ? 0 : -EINVAL);
		break;
	case TOP_POINT:
		sched_point("trace:point");
		model_res_ret(r, 0);
		break;
	case TOP_MEMORY_FAILURE:
		op_memory_failure(b, c, r);
		break;
	case TOP_POPULATE:
		op_populate(b, c, r);
		break;
	case TOP_LAUNCH_FINISH:
		kvm = vm_of(b, c, 0, &err);
		model_res_ret(r, kvm ? kvm_x86_vm_launch_finish(kvm) : err);
		break;
	case TOP_HOST_PIN:
		op_host_pin(b, c, r);
		break;
	case TOP_HOST_UNPIN:
		op_host_unpin(b, c, r);
		break;
	case TOP_VCPU_RUN:
		op_vcpu_run(b, c, r);
		break;
	case TOP_MBIND:
		op_mbind(b, c, r);
		break;
	case TOP_GET_MEMPOLICY:
		op_get_mempolicy(b, c, r);
		break;
	case TOP_PAGE_NODE:
		op_page_node(b, c, r);
		break;
	case TOP_SET_MEMORY_ATTRIBUTES2:
		op_set_attributes2(b, c, r);
		break;
	case TOP_LINK_GUEST_MEMFD:
		op_link_guest_memfd(b, c, r);
		break;
	case TOP_HUGETLB_POOL:
		op_hugetlb_pool(b, c, r);
		break;
	case TOP_TDX_CONFIG:
		kvm = vm_of(b, c, 0, &err);
		model_res_ret(r, kvm ? tdx_vm_config(kvm, ARG(1), ARG(2)) : err);
		break;
	case TOP_ACCEPT:
		op_accept(b, c, r);
		break;
	default:
		model_res_ret(r, -EINVAL);
		break;
	}
	call_fput_all(b);
}
