// SPDX-License-Identifier: GPL-2.0
/*
 * kvm_backend_ops: executes trace calls (sim/trace/ir.h) with real syscalls
 * against /dev/kvm.  Not a kernel model: it is the user side of the uapi of
 * include/uapi/linux/kvm.h as a v6.18+ kernel implements it.  Conventions
 * (uaddr arena, real-mode guest, skips) are in kvm_backend.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kvm_sys.h"
#include "kvm_util.h"
#include "kvm_guest.h"
#include "kvm_hostmem.h"
#include "kvm_backend.h"
#include "kvm_caps.h"

enum kb_kind { KB_NONE, KB_VM, KB_VCPU, KB_FD, KB_MAP };

struct kb_obj {
	enum kb_kind kind;
	bool closed;
	union {
		struct {
			struct kvm_vm *vm;
			struct kvm_guest_stub *stub;
		} vm;
		struct {
			struct kvm_vcpu *vcpu;
			int vm_handle;
		} vcpu;
		int fd;
		struct {
			uint8_t *addr;
			size_t len;
		} map;
	};
};

struct gmem_backend {
	pthread_mutex_t lock;		/* handle table and arena */
	struct kb_obj h[TRACE_MAX_HANDLES];
	void *arena;			/* uaddr arena, NULL until first use */
	size_t arena_size;
};

/* Why this thread's last call was TRES_SKIPPED (trace threads are pthreads). */
static __thread const char *kb_skip_reason;
/* GPA of this thread's last KVM_EXIT_MMIO (ir.h has no field for it). */
static __thread uint64_t kb_mmio_gpa;

/*
 * Can this host run @t?  The trace's "requires" line: backends, VM types
 * (KVM_CAP_VM_TYPES), capability minimums (system fd) and kernel profile.
 * Prints why not.
 */
static bool host_meets(const struct trace *t)
{
	const struct trace_requires *rq = &t->req;
	const char *host = kvm_backend_host_profile();
	int i, v;

	if (rq->backends && !(rq->backends & (1u << TRACE_BACKEND_KVM))) {
		fprintf(stderr, "kvm backend: %s is for the model backend only\n", t->path);
		return false;
	}
	if (rq->has_vm_type) {
		v = kvm_check_cap(KVM_CAP_VM_TYPES);
		if (v <= 0)
			v = 1 << KVM_X86_DEFAULT_VM;
		if (rq->vm_types & ~(uint32_t)v) {
			fprintf(stderr, "kvm backend: %s needs VM types 0x%x, host has 0x%x\n",
				t->path, rq->vm_types, v);
			return false;
		}
	}
	for (i = 0; i < rq->ncaps && i < 8; i++) {
		v = kvm_check_cap(rq->caps[i][0]);
		if (v < 0 || (uint64_t)v < rq->caps[i][1]) {
			fprintf(stderr, "kvm backend: %s needs cap %llu >= %llu, host has %d\n",
				t->path, (unsigned long long)rq->caps[i][0],
				(unsigned long long)rq->caps[i][1], v);
			return false;
		}
	}
	/* Expectations written for another kernel version would not match. */
	if (rq->profile[0] && strcmp(rq->profile, host)) {
		fprintf(stderr, "kvm backend: %s is written for kernel profile %s, host is %s\n",
			t->path, rq->profile, host);
		return false;
	}
	return true;
}

/*
 * A fresh backend for @t.  NULL with errno ENOENT without /dev/kvm,
 * EOPNOTSUPP when the trace's requirements are not met (a skip either way).
 * Trace threads are run by the caller on free pthreads: interleavings are
 * not controlled on this backend.
 */
static struct gmem_backend *kb_create(const struct trace *t,
				      const struct backend_opts *o)
{
	struct gmem_backend *b;

	if (!kvm_available()) {
		errno = ENOENT;
		return NULL;
	}
	if (t && !host_meets(t)) {
		errno = EOPNOTSUPP;
		return NULL;
	}
	b = calloc(1, sizeof(*b));
	if (!b)
		return NULL;
	pthread_mutex_init(&b->lock, NULL);
	kvm_hostmem_init();
	return b;
}

/* ---- handles ---------------------------------------------------------- */

static struct kb_obj *obj(struct gmem_backend *b, const struct trace_arg *a)
{
	if (!a->is_handle || a->handle < 0 || a->handle >= TRACE_MAX_HANDLES)
		return NULL;
	return &b->h[a->handle];
}

static void kb_bind(struct gmem_backend *b, const struct trace_call *c,
		 const struct kb_obj *o)
{
	pthread_mutex_lock(&b->lock);
	if (c->bind >= 0 && c->bind < TRACE_MAX_HANDLES)
		b->h[c->bind] = *o;
	pthread_mutex_unlock(&b->lock);
}

/* The fd an argument stands for: a handle's fd, or a raw number. */
static int arg_fd(struct gmem_backend *b, const struct trace_arg *a)
{
	struct kb_obj *o = obj(b, a);

	if (!a->is_handle)
		return (int)a->value;
	if (!o)
		return -1;
	switch (o->kind) {
	case KB_VM:
		return vm_fd(o->vm.vm);
	case KB_VCPU:
		return vcpu_fd(o->vcpu.vcpu);
	case KB_FD:
		return o->closed ? -1 : o->fd;
	default:
		return -1;
	}
}

static struct kb_obj *arg_kind(struct gmem_backend *b, const struct trace_arg *a,
			       enum kb_kind kind)
{
	struct kb_obj *o = obj(b, a);

	return o && o->kind == kind ? o : NULL;
}

/*
 * uaddr: a mapping handle's address, or arena + number (0 = NULL).  Numbers
 * are taken modulo the arena size (a power of two, so page alignment is
 * kept); values at or above 2^47 are no user address and go to the kernel
 * unchanged, for it to reject.  A raw user-range number is never passed on:
 * it could alias the backend's own memory.
 */
static void *arg_uaddr(struct gmem_backend *b, const struct trace_arg *a)
{
	struct kb_obj *o = obj(b, a);
	size_t size;
	void *arena;

	if (a->is_handle)
		return o && o->kind == KB_MAP ? o->map.addr : NULL;
	if (!a->value || a->value >= (1ULL << 47))
		return (void *)(uintptr_t)a->value;
	pthread_mutex_lock(&b->lock);
	/* Big is better (fewer aliases); valgrind caps the address space. */
	for (size = KVM_BACKEND_ARENA_SIZE; !b->arena && size >= (256ULL << 20); size >>= 2) {
		arena = mmap(NULL, size, PROT_READ | PROT_WRITE,
			     MAP_SHARED | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
		if (arena != MAP_FAILED) {
			b->arena = arena;
			b->arena_size = size;
		}
	}
	arena = b->arena;
	size = b->arena_size;
	pthread_mutex_unlock(&b->lock);
	if (!arena)
		return (void *)(uintptr_t)(1ULL << 47);	/* rejected by access_ok */
	return (uint8_t *)arena + (a->value & (size - 1));
}

/* ---- results ---------------------------------------------------------- */

static void res_ret(struct trace_result *r, long long ret)
{
	if (ret < 0) {
		r->kind = TRES_ERRNO;
		r->ret = -1;
		r->err = errno;
	} else {
		r->kind = TRES_OK;
		r->ret = ret;
	}
}

static void res_errno(struct trace_result *r, int err)
{
	r->kind = TRES_ERRNO;
	r->ret = -1;
	r->err = err;
}

static void res_skip(struct gmem_backend *b, struct trace_result *r,
		     const char *why)
{
	r->kind = TRES_SKIPPED;
	kb_skip_reason = why;
}

/* ---- calls ------------------------------------------------------------ */

static void do_vm_create(struct gmem_backend *b, const struct trace_call *c,
			 struct trace_result *r)
{
	struct kb_obj o = { .kind = KB_VM };

	o.vm.vm = vm_create_type(c->args[0].value);
	if (!o.vm.vm)
		return res_errno(r, errno);
	if (c->bind < 0)
		kvm_vm_free(o.vm.vm);
	else
		kb_bind(b, c, &o);
	res_ret(r, 0);
}

static void do_vcpu_create(struct gmem_backend *b, const struct trace_call *c,
			   struct trace_result *r)
{
	struct kb_obj *vm = arg_kind(b, &c->args[0], KB_VM);
	struct kb_obj o = { .kind = KB_VCPU };

	if (!vm)
		return res_errno(r, EBADF);
	o.vcpu.vcpu = vm_vcpu_add(vm->vm.vm, c->args[1].value);
	if (!o.vcpu.vcpu)
		return res_errno(r, errno);
	o.vcpu.vm_handle = c->args[0].handle;
	if (c->bind < 0)
		kvm_vcpu_free(o.vcpu.vcpu);
	else
		kb_bind(b, c, &o);
	res_ret(r, 0);
}

/* A call that yields a new fd: bind it, or close it if the trace does not. */
static void fd_result(struct gmem_backend *b, const struct trace_call *c,
		      int fd, struct trace_result *r)
{
	struct kb_obj o = { .kind = KB_FD, .fd = fd };

	if (fd < 0)
		return res_ret(r, -1);
	if (c->bind < 0)
		close(fd);
	else
		kb_bind(b, c, &o);
	res_ret(r, 0);
}

static void do_create_guest_memfd(struct gmem_backend *b, const struct trace_call *c,
				  struct trace_result *r)
{
	struct kvm_create_guest_memfd args = {
		.size = c->args[1].value,
		.flags = c->args[2].value,
		.reserved = { c->args[3].value },
	};

	fd_result(b, c, ioctl(arg_fd(b, &c->args[0]), KVM_CREATE_GUEST_MEMFD, &args), r);
}

static const char skip_stub[] =
	"memslot collides with the kvm backend's guest stub (last slot id, GPA 0xffff0000+64K)";

static void do_set_region(struct gmem_backend *b, const struct trace_call *c,
			  struct trace_result *r, bool v2)
{
	struct kb_obj *vm = arg_kind(b, &c->args[0], KB_VM);
	uint32_t slot = c->args[1].value;
	uint64_t gpa = c->args[3].value, size = c->args[4].value;
	int fd = vm ? vm_fd(vm->vm.vm) : arg_fd(b, &c->args[0]);
	struct kvm_userspace_memory_region2 r2 = {
		.slot = slot,
		.flags = c->args[2].value,
		.guest_phys_addr = gpa,
		.memory_size = size,
		.userspace_addr = (uintptr_t)arg_uaddr(b, &c->args[5]),
	};
	struct kvm_userspace_memory_region r1;
	bool conflict = false;

	if (vm) {
		pthread_mutex_lock(&b->lock);
		conflict = kvm_guest_stub_conflicts(vm->vm.stub, slot, gpa, size);
		pthread_mutex_unlock(&b->lock);
	}
	if (conflict) {
		fprintf(stderr, "kvm backend: line %d: %s\n", c->line, skip_stub);
		return res_skip(b, r, skip_stub);
	}
	if (v2) {
		r2.guest_memfd = arg_fd(b, &c->args[6]);
		r2.guest_memfd_offset = c->args[7].value;
		return res_ret(r, ioctl(fd, KVM_SET_USER_MEMORY_REGION2, &r2));
	}
	r1 = (struct kvm_userspace_memory_region) {
		.slot = r2.slot, .flags = r2.flags,
		.guest_phys_addr = r2.guest_phys_addr,
		.memory_size = r2.memory_size,
		.userspace_addr = r2.userspace_addr,
	};
	res_ret(r, ioctl(fd, KVM_SET_USER_MEMORY_REGION, &r1));
}

static void do_set_memory_attributes(struct gmem_backend *b, const struct trace_call *c,
				     struct trace_result *r)
{
	struct kvm_memory_attributes a = {
		.address = c->args[1].value,
		.size = c->args[2].value,
		.attributes = c->args[3].value,
		.flags = c->args[4].value,
	};

	/* Passed through even without the cap: ENOTTY is the host's answer. */
	res_ret(r, ioctl(arg_fd(b, &c->args[0]), KVM_SET_MEMORY_ATTRIBUTES, &a));
}

static const char skip_prefault[] = "KVM_CAP_PRE_FAULT_MEMORY is 0 on this host";

static void do_pre_fault(struct gmem_backend *b, const struct trace_call *c,
			 struct trace_result *r)
{
	struct kb_obj *vcpu = arg_kind(b, &c->args[0], KB_VCPU);
	struct kvm_pre_fault_memory p = {
		.gpa = c->args[1].value,
		.size = c->args[2].value,
		.flags = c->args[3].value,
	};

	if (!vcpu)
		return res_errno(r, EBADF);
	if (!vm_check_cap(vcpu_vm(vcpu->vcpu.vcpu), KVM_CAP_PRE_FAULT_MEMORY))
		return res_skip(b, r, skip_prefault);
	res_ret(r, __vcpu_ioctl(vcpu->vcpu.vcpu, KVM_PRE_FAULT_MEMORY, &p));
	r->remaining = p.size;
}

static void do_check_extension(struct gmem_backend *b, const struct trace_call *c,
			       struct trace_result *r)
{
	int fd, ret;

	if (c->args[0].is_handle || c->args[0].value) {
		fd = arg_fd(b, &c->args[0]);
		return res_ret(r, ioctl(fd, KVM_CHECK_EXTENSION, (unsigned long)c->args[1].value));
	}
	fd = kvm_open_dev();
	if (fd < 0)
		return res_errno(r, -fd);
	ret = ioctl(fd, KVM_CHECK_EXTENSION, (unsigned long)c->args[1].value);
	res_ret(r, ret);
	close(fd);
}

static void do_mmap(struct gmem_backend *b, const struct trace_call *c,
		    struct trace_result *r, bool anon)
{
	struct kb_obj o = { .kind = KB_MAP };
	size_t len = c->args[anon ? 0 : 1].value;
	void *p;

	if (anon)
		p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	else
		p = mmap(NULL, len, c->args[2].value, c->args[3].value,
			 arg_fd(b, &c->args[0]), c->args[4].value);
	if (p == MAP_FAILED)
		return res_ret(r, -1);
	o.map.addr = p;
	o.map.len = len;
	if (c->bind < 0)
		munmap(p, len);
	else
		kb_bind(b, c, &o);
	res_ret(r, 0);
}

/* [off, off+len) of a live mapping handle, or NULL (r filled with the error). */
static uint8_t *map_range(struct gmem_backend *b, const struct trace_arg *a,
			  uint64_t off, uint64_t len, struct trace_result *r)
{
	struct kb_obj *m = arg_kind(b, a, KB_MAP);

	if (!m || m->closed) {
		res_errno(r, EBADF);
		return NULL;
	}
	if (off > m->map.len || len > m->map.len - off) {
		/* Outside the mapping would be SIGSEGV, not a trace result. */
		res_errno(r, EFAULT);
		return NULL;
	}
	return m->map.addr + off;
}

static void do_host_access(struct gmem_backend *b, const struct trace_call *c,
			   struct trace_result *r, bool write)
{
	uint64_t len = write ? c->args[3].value : c->args[2].value;
	uint8_t *p = map_range(b, &c->args[0], c->args[1].value, len, r);
	int ret, value = -2;

	if (!p)
		return;
	if (write)
		ret = kvm_hostmem_write(p, len, c->args[2].value);
	else
		ret = kvm_hostmem_read(p, len, &value);
	if (ret == -EFAULT) {
		r->kind = TRES_SIGBUS;
		return;
	}
	res_ret(r, 0);
	if (!write)
		r->value = value < -1 ? -2 : value;
}

static const char skip_guest_range[] =
	"guest access not below 4 GiB - 64 KiB (real-mode guest)";
static const char skip_guest_stub[] =
	"cannot install the guest stub: the trace occupies its slot or GPA range";
static const char skip_guest_vm_closed[] =
	"cannot install the guest stub: the VM fd was closed before the first guest access";

static void do_guest(struct gmem_backend *b, const struct trace_call *c,
		     struct trace_result *r, enum kvm_guest_access_kind kind)
{
	struct kb_obj *vcpu = arg_kind(b, &c->args[0], KB_VCPU);
	struct kvm_guest_outcome out;
	struct kb_obj *vm;
	uint64_t len = 1;
	uint8_t byte = 0;
	int ret;

	if (!vcpu || vcpu->closed)
		return res_errno(r, EBADF);
	vm = &b->h[vcpu->vcpu.vm_handle];
	pthread_mutex_lock(&b->lock);
	ret = kvm_guest_stub_install(vcpu_vm(vcpu->vcpu.vcpu), &vm->vm.stub);
	pthread_mutex_unlock(&b->lock);
	if (ret) {
		const char *why = ret == -EBADF ? skip_guest_vm_closed : skip_guest_stub;

		fprintf(stderr, "kvm backend: line %d: %s\n", c->line, why);
		return res_skip(b, r, why);
	}
	if (kind == KGA_READ) {
		len = c->args[2].value;
	} else if (kind == KGA_WRITE) {
		byte = c->args[2].value;
		len = c->args[3].value;
	}
	if (kvm_guest_access(vcpu->vcpu.vcpu, kind, c->args[1].value, len, byte, &out))
		return res_skip(b, r, skip_guest_range);
	if (out.exited) {
		r->kind = TRES_EXIT;
		r->ret = out.ret < 0 ? -1 : 0;
		r->err = -out.ret;
		r->exit_reason = out.exit_reason;
		r->mf_gpa = out.mf_gpa;
		kb_mmio_gpa = out.mmio_gpa;
		r->mf_size = out.mf_size;
		r->mf_flags = out.mf_flags;
		return;
	}
	res_ret(r, 0);
	if (kind == KGA_READ)
		r->value = out.value;
}

static void do_close(struct gmem_backend *b, const struct trace_call *c,
		     struct trace_result *r)
{
	struct kb_obj *o = obj(b, &c->args[0]);
	int ret;

	/*
	 * munmap(2) of a range with nothing mapped succeeds; the address is
	 * not passed again, it may hold something else by now.
	 */
	if (c->op == TOP_MUNMAP && o && o->kind == KB_MAP && o->closed)
		return res_ret(r, 0);
	if (!o || o->closed || o->kind == KB_NONE)
		return res_errno(r, EBADF);
	switch (o->kind) {
	case KB_VM:
		ret = vm_close_fd(o->vm.vm);
		break;
	case KB_VCPU:
		ret = vcpu_close_fd(o->vcpu.vcpu);
		break;
	case KB_FD:
		ret = close(o->fd);
		break;
	case KB_MAP:
		ret = munmap(o->map.addr, o->map.len);
		break;
	default:
		ret = -1;
		errno = EBADF;
	}
	o->closed = true;
	res_ret(r, ret);
}

/* read/write/pread/pwrite: a bounded scratch buffer, the file decides. */
#define RW_MAX	(1u << 20)

static void do_rw(struct gmem_backend *b, const struct trace_call *c,
		  struct trace_result *r)
{
	size_t len = c->args[1].value < RW_MAX ? c->args[1].value : RW_MAX;
	off_t off = c->nargs > 2 ? (off_t)c->args[2].value : 0;
	int fd = arg_fd(b, &c->args[0]);
	char *buf = calloc(1, len ? len : 1);
	ssize_t ret;

	if (!buf)
		return res_errno(r, ENOMEM);
	switch (c->op) {
	case TOP_READ:
		ret = read(fd, buf, len);
		break;
	case TOP_WRITE:
		ret = write(fd, buf, len);
		break;
	case TOP_PREAD:
		ret = pread(fd, buf, len, off);
		break;
	default:
		ret = pwrite(fd, buf, len, off);
		break;
	}
	res_ret(r, ret);
	free(buf);
}

static void do_fstat(struct gmem_backend *b, const struct trace_call *c,
		     struct trace_result *r)
{
	struct stat st;

	if (fstat(arg_fd(b, &c->args[0]), &st))
		return res_ret(r, -1);
	res_ret(r, st.st_size);
	r->st_blksize = st.st_blksize;
	r->st_ino = st.st_ino;
}

static void do_memfd_create(struct gmem_backend *b, const struct trace_call *c,
			    struct trace_result *r)
{
	int fd = memfd_create("gmemsim", MFD_CLOEXEC);

	if (fd >= 0 && ftruncate(fd, c->args[0].value)) {
		int err = errno;

		close(fd);
		return res_errno(r, err);
	}
	fd_result(b, c, fd, r);
}

static const char skip_model_only[] = "model-only control";

static void kb_call(struct gmem_backend *b, int tid, const struct trace_call *c,
		    struct trace_result *r)
{
	const struct trace_arg *a = c->args;

	memset(r, 0, sizeof(*r));
	r->value = -2;
	kb_skip_reason = NULL;
	kb_mmio_gpa = 0;
	switch (c->op) {
	case TOP_VM_CREATE:
		return do_vm_create(b, c, r);
	case TOP_VCPU_CREATE:
		return do_vcpu_create(b, c, r);
	case TOP_CREATE_GUEST_MEMFD:
		return do_create_guest_memfd(b, c, r);
	case TOP_SET_USER_MEMORY_REGION2:
		return do_set_region(b, c, r, true);
	case TOP_SET_USER_MEMORY_REGION:
		return do_set_region(b, c, r, false);
	case TOP_SET_MEMORY_ATTRIBUTES:
		return do_set_memory_attributes(b, c, r);
	case TOP_PRE_FAULT_MEMORY:
		return do_pre_fault(b, c, r);
	case TOP_CHECK_EXTENSION:
		return do_check_extension(b, c, r);
	case TOP_FALLOCATE:
		return res_ret(r, fallocate(arg_fd(b, &a[0]), a[1].value,
					    a[2].value, a[3].value));
	case TOP_MMAP:
		return do_mmap(b, c, r, false);
	case TOP_ANON_MMAP:
		return do_mmap(b, c, r, true);
	case TOP_MUNMAP:
		if (!arg_kind(b, &a[0], KB_MAP))
			return res_errno(r, EINVAL);
		return do_close(b, c, r);
	case TOP_MADVISE: {
		uint8_t *p = map_range(b, &a[0], a[1].value, a[2].value, r);

		if (!p)
			return;
		return res_ret(r, madvise(p, a[2].value, a[3].value));
	}
	case TOP_HOST_READ:
		return do_host_access(b, c, r, false);
	case TOP_HOST_WRITE:
		return do_host_access(b, c, r, true);
	case TOP_GUEST_READ:
		return do_guest(b, c, r, KGA_READ);
	case TOP_GUEST_WRITE:
		return do_guest(b, c, r, KGA_WRITE);
	case TOP_GUEST_EXEC:
		return do_guest(b, c, r, KGA_EXEC);
	case TOP_CLOSE:
		return do_close(b, c, r);
	case TOP_READ:
	case TOP_WRITE:
	case TOP_PREAD:
	case TOP_PWRITE:
		return do_rw(b, c, r);
	case TOP_FSTAT:
		return do_fstat(b, c, r);
	case TOP_FTRUNCATE:
		return res_ret(r, ftruncate(arg_fd(b, &a[0]), a[1].value));
	case TOP_MEMFD_CREATE:
		return do_memfd_create(b, c, r);
	case TOP_OPEN_DEV_KVM:
		return fd_result(b, c, open(KVM_DEV_PATH, O_RDWR | O_CLOEXEC), r);
	default:
		/* fail_alloc, signal, point, memory_failure, populate, ... */
		return res_skip(b, r, skip_model_only);
	}
}

static int kb_check(struct gmem_backend *b, struct backend_violation *v, int max)
{
	return 0;
}

static int kb_destroy(struct gmem_backend *b, struct backend_violation *v, int max)
{
	int i;

	if (!b)
		return 0;
	/* vCPUs borrow their VM, mappings may back memslots: VMs go last. */
	for (i = 0; i < TRACE_MAX_HANDLES; i++) {
		struct kb_obj *o = &b->h[i];

		if (o->kind == KB_VCPU)
			kvm_vcpu_free(o->vcpu.vcpu);
		else if (o->kind == KB_FD && !o->closed)
			close(o->fd);
		else if (o->kind == KB_MAP && !o->closed)
			munmap(o->map.addr, o->map.len);
	}
	for (i = 0; i < TRACE_MAX_HANDLES; i++) {
		struct kb_obj *o = &b->h[i];

		if (o->kind == KB_VM) {
			kvm_vm_free(o->vm.vm);
			kvm_guest_stub_free(o->vm.stub);
		}
	}
	if (b->arena)
		munmap(b->arena, b->arena_size);
	pthread_mutex_destroy(&b->lock);
	free(b);
	return 0;
}

/**
 * kvm_backend_skip_reason() - why the calling thread's last call was skipped
 * @b: the backend
 *
 * Context: the thread that made the call (the reason is per thread).
 * Return: a static message, or NULL if the last call was not skipped.
 */
const char *kvm_backend_skip_reason(const struct gmem_backend *b)
{
	return kb_skip_reason;
}

/**
 * kvm_backend_last_mmio_gpa() - MMIO address of the calling thread's last call
 * @b: the backend
 *
 * Context: the thread that made the call.
 * Return: the GPA of the KVM_EXIT_MMIO the last call reported, else 0.
 */
uint64_t kvm_backend_last_mmio_gpa(const struct gmem_backend *b)
{
	return kb_mmio_gpa;
}

/**
 * kvm_backend_handle_fd() - the real fd behind a handle
 * @b: the backend
 * @h: handle index
 *
 * Context: any.
 * Return: the fd (VM, vCPU or file), or -1.
 */
int kvm_backend_handle_fd(const struct gmem_backend *b, int h)
{
	struct trace_arg a = { .is_handle = true, .handle = h };

	return arg_fd((struct gmem_backend *)b, &a);
}

/**
 * kvm_backend_handle_addr() - the address of a mapping handle
 * @b: the backend
 * @h: handle index
 *
 * Context: any.
 * Return: the mapping's start, or NULL if @h is not a live mapping.
 */
void *kvm_backend_handle_addr(const struct gmem_backend *b, int h)
{
	if (h < 0 || h >= TRACE_MAX_HANDLES || b->h[h].kind != KB_MAP || b->h[h].closed)
		return NULL;
	return b->h[h].map.addr;
}

const struct gmem_backend_ops kvm_backend_ops = {
	.name = "kvm",
	.create = kb_create,
	.call = kb_call,
	.check = kb_check,
	.destroy = kb_destroy,
};
