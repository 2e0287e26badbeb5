// SPDX-License-Identifier: GPL-2.0
/*
 * kvm_util for the real /dev/kvm backend, in the style of the KVM selftests
 * library (tools/testing/selftests/kvm/lib/kvm_util.c, v6.18): opaque
 * handles, raw and asserting ioctl wrappers, capability probes.
 * Not a model of kernel code: this is the user side of the uapi.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "kvm_sys.h"
#include "kvm_util.h"

struct kvm_vm {
	int kvm_fd;		/* /dev/kvm, kept for KVM_GET_VCPU_MMAP_SIZE */
	int fd;			/* VM fd; -1 once closed by the trace */
	unsigned long type;
	int nr_memslots;	/* cached KVM_CAP_NR_MEMSLOTS, 0 = not probed */
};

struct kvm_vcpu {
	struct kvm_vm *vm;
	uint32_t id;
	int fd;
	struct kvm_run *run;
	size_t run_size;
	pthread_mutex_t lock;	/* one register-setup + KVM_RUN sequence at a time */
};

/**
 * kvm_open_dev() - open /dev/kvm
 *
 * Context: any; does not block beyond open(2).
 * Return: the fd, or -errno (-ENOENT when the device does not exist).
 */
int kvm_open_dev(void)
{
	int fd = open(KVM_DEV_PATH, O_RDWR | O_CLOEXEC);

	return fd < 0 ? -errno : fd;
}

/**
 * kvm_available() - is a usable /dev/kvm present?
 *
 * Context: any.
 * Return: true if /dev/kvm opens and reports KVM_API_VERSION 12.
 */
bool kvm_available(void)
{
	int fd = kvm_open_dev();
	bool ok;

	if (fd < 0)
		return false;
	ok = ioctl(fd, KVM_GET_API_VERSION, 0) == KVM_API_VERSION;
	close(fd);
	return ok;
}

/**
 * kvm_check_cap() - KVM_CHECK_EXTENSION on the system fd
 * @cap: KVM_CAP_* number
 *
 * Context: any.
 * Return: the capability's value (0 = unsupported), or -errno if /dev/kvm
 * cannot be opened.
 */
int kvm_check_cap(unsigned int cap)
{
	int fd = kvm_open_dev();
	int r;

	if (fd < 0)
		return fd;
	r = ioctl(fd, KVM_CHECK_EXTENSION, cap);
	close(fd);
	/* Unknown capabilities read as 0; an ioctl error means "not there". */
	return r < 0 ? 0 : r;
}

/**
 * vm_check_cap() - KVM_CHECK_EXTENSION on a VM fd
 * @vm: the VM
 * @cap: KVM_CAP_* number
 *
 * Context: any.
 * Return: the capability's value for this VM (0 = unsupported or VM fd closed).
 */
int vm_check_cap(struct kvm_vm *vm, unsigned int cap)
{
	int r;

	if (vm->fd < 0)
		return 0;
	r = ioctl(vm->fd, KVM_CHECK_EXTENSION, cap);
	return r < 0 ? 0 : r;
}

/**
 * vm_create_type() - KVM_CREATE_VM
 * @type: machine type (KVM_X86_DEFAULT_VM, ...)
 *
 * Context: may block (the kernel allocates the VM).
 * Return: a new VM, or NULL with errno set (the ioctl's errno, ENOENT
 * without /dev/kvm, ENOMEM).
 */
struct kvm_vm *vm_create_type(unsigned long type)
{
	struct kvm_vm *vm;
	int err;

	vm = calloc(1, sizeof(*vm));
	if (!vm)
		return NULL;
	vm->fd = -1;
	vm->type = type;
	vm->kvm_fd = kvm_open_dev();
	if (vm->kvm_fd < 0) {
		err = -vm->kvm_fd;
		goto free_vm;
	}
	vm->fd = ioctl(vm->kvm_fd, KVM_CREATE_VM, type);
	if (vm->fd < 0) {
		err = errno;
		goto close_kvm;
	}
	return vm;

close_kvm:
	close(vm->kvm_fd);
free_vm:
	free(vm);
	errno = err;
	return NULL;
}

/**
 * kvm_vm_free() - close the VM's fds and free the handle
 * @vm: the VM (NULL is allowed)
 *
 * vCPUs must have been freed first; they only borrow @vm.
 * Context: any.
 */
void kvm_vm_free(struct kvm_vm *vm)
{
	if (!vm)
		return;
	if (vm->fd >= 0)
		close(vm->fd);
	close(vm->kvm_fd);
	free(vm);
}

/**
 * vm_fd() - the VM fd
 * @vm: the VM
 *
 * Context: any.
 * Return: the fd, -1 once closed with vm_close_fd().
 */
int vm_fd(const struct kvm_vm *vm)
{
	return vm->fd;
}

/**
 * vm_type() - the type the VM was created with
 * @vm: the VM
 *
 * Context: any.
 * Return: KVM_X86_*_VM.
 */
unsigned long vm_type(const struct kvm_vm *vm)
{
	return vm->type;
}

/**
 * vm_close_fd() - close the VM fd, keeping the handle
 * @vm: the VM
 *
 * The kernel VM survives while gmem files or vCPU fds still reference it.
 * Context: any.
 * Return: close(2)'s result, or -1/EBADF if already closed.
 */
int vm_close_fd(struct kvm_vm *vm)
{
	int fd = vm->fd;

	if (fd < 0) {
		errno = EBADF;
		return -1;
	}
	vm->fd = -1;
	return close(fd);
}

/**
 * vm_nr_memslots() - number of user memslots of this VM
 * @vm: the VM
 *
 * Context: any.
 * Return: KVM_CAP_NR_MEMSLOTS as probed (cached); 0 if unknown.
 */
int vm_nr_memslots(struct kvm_vm *vm)
{
	if (!vm->nr_memslots)
		vm->nr_memslots = vm_check_cap(vm, KVM_CAP_NR_MEMSLOTS);
	return vm->nr_memslots;
}

/**
 * __vm_ioctl_nr() - raw ioctl on the VM fd
 * @vm: the VM
 * @cmd: ioctl number
 * @arg: argument
 *
 * Context: may block as the ioctl does.
 * Return: the ioctl's result; -1 with errno on failure.
 */
int __vm_ioctl_nr(struct kvm_vm *vm, unsigned long cmd, void *arg)
{
	return ioctl(vm->fd, cmd, arg);
}

/**
 * _vm_ioctl() - ioctl on the VM fd that must succeed
 * @vm: the VM
 * @cmd: ioctl number
 * @name: the ioctl's name, for the message
 * @arg: argument
 *
 * For backend-internal setup only; never for trace calls.
 * Context: may block as the ioctl does.
 * Return: the ioctl's (non-negative) result; aborts on failure.
 */
int _vm_ioctl(struct kvm_vm *vm, unsigned long cmd, const char *name, void *arg)
{
	int r = ioctl(vm->fd, cmd, arg);

	if (r < 0) {
		fprintf(stderr, "kvm: %s failed, rc: %d errno: %d (%s)\n",
			name, r, errno, strerror(errno));
		abort();
	}
	return r;
}

/**
 * __vm_create_guest_memfd() - KVM_CREATE_GUEST_MEMFD
 * @vm: the VM
 * @size: file size in bytes
 * @flags: GUEST_MEMFD_FLAG_*
 *
 * Context: may block.
 * Return: the new fd, or -1 with errno.
 */
int __vm_create_guest_memfd(struct kvm_vm *vm, uint64_t size, uint64_t flags)
{
	struct kvm_create_guest_memfd args = { .size = size, .flags = flags };

	return __vm_ioctl(vm, KVM_CREATE_GUEST_MEMFD, &args);
}

/**
 * __vm_set_user_memory_region2() - KVM_SET_USER_MEMORY_REGION2
 * @vm: the VM
 * @slot: slot id (address-space id in bits 16..31)
 * @flags: KVM_MEM_*
 * @gpa: guest physical base
 * @size: bytes; 0 deletes
 * @hva: shared backing (may be NULL for gmem-only slots)
 * @guest_memfd: gmem fd (any number; the kernel validates it)
 * @guest_memfd_offset: offset into the gmem file
 *
 * Context: may block (slots_lock, SRCU synchronisation).
 * Return: 0, or -1 with errno.
 */
int __vm_set_user_memory_region2(struct kvm_vm *vm, uint32_t slot, uint32_t flags,
				 uint64_t gpa, uint64_t size, void *hva,
				 uint32_t guest_memfd, uint64_t guest_memfd_offset)
{
	struct kvm_userspace_memory_region2 r = {
		.slot = slot,
		.flags = flags,
		.guest_phys_addr = gpa,
		.memory_size = size,
		.userspace_addr = (uintptr_t)hva,
		.guest_memfd = guest_memfd,
		.guest_memfd_offset = guest_memfd_offset,
	};

	return __vm_ioctl(vm, KVM_SET_USER_MEMORY_REGION2, &r);
}

/**
 * __vm_set_user_memory_region() - KVM_SET_USER_MEMORY_REGION (v1)
 * @vm: the VM
 * @slot: slot id
 * @flags: KVM_MEM_*
 * @gpa: guest physical base
 * @size: bytes; 0 deletes
 * @hva: backing
 *
 * Context: may block.
 * Return: 0, or -1 with errno.
 */
int __vm_set_user_memory_region(struct kvm_vm *vm, uint32_t slot, uint32_t flags,
				uint64_t gpa, uint64_t size, void *hva)
{
	struct kvm_userspace_memory_region r = {
		.slot = slot,
		.flags = flags,
		.guest_phys_addr = gpa,
		.memory_size = size,
		.userspace_addr = (uintptr_t)hva,
	};

	return __vm_ioctl(vm, KVM_SET_USER_MEMORY_REGION, &r);
}

/**
 * vm_vcpu_add() - KVM_CREATE_VCPU and map its kvm_run
 * @vm: the VM
 * @id: vCPU id
 *
 * Context: may block.
 * Return: the vCPU, or NULL with errno.
 */
struct kvm_vcpu *vm_vcpu_add(struct kvm_vm *vm, uint32_t id)
{
	struct kvm_vcpu *vcpu;
	int size, err;

	vcpu = calloc(1, sizeof(*vcpu));
	if (!vcpu)
		return NULL;
	vcpu->vm = vm;
	vcpu->id = id;
	vcpu->fd = ioctl(vm->fd, KVM_CREATE_VCPU, (unsigned long)id);
	if (vcpu->fd < 0) {
		err = errno;
		goto free_vcpu;
	}
	size = ioctl(vm->kvm_fd, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (size < (int)sizeof(struct kvm_run)) {
		err = size < 0 ? errno : EINVAL;
		goto close_fd;
	}
	vcpu->run_size = size;
	vcpu->run = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED,
			 vcpu->fd, 0);
	if (vcpu->run == MAP_FAILED) {
		err = errno;
		goto close_fd;
	}
	pthread_mutex_init(&vcpu->lock, NULL);
	return vcpu;

close_fd:
	close(vcpu->fd);
free_vcpu:
	free(vcpu);
	errno = err;
	return NULL;
}

/**
 * kvm_vcpu_free() - unmap kvm_run, close the vCPU fd, free the handle
 * @vcpu: the vCPU (NULL allowed)
 *
 * Context: no other thread may use @vcpu.
 */
void kvm_vcpu_free(struct kvm_vcpu *vcpu)
{
	if (!vcpu)
		return;
	munmap(vcpu->run, vcpu->run_size);
	if (vcpu->fd >= 0)
		close(vcpu->fd);
	pthread_mutex_destroy(&vcpu->lock);
	free(vcpu);
}

/**
 * vcpu_fd() - the vCPU fd
 * @vcpu: the vCPU
 *
 * Context: any.
 * Return: the fd, or -1 once closed.
 */
int vcpu_fd(const struct kvm_vcpu *vcpu)
{
	return vcpu->fd;
}

/**
 * vcpu_vm() - the VM a vCPU belongs to
 * @vcpu: the vCPU
 *
 * Context: any.
 * Return: the VM handle.
 */
struct kvm_vm *vcpu_vm(const struct kvm_vcpu *vcpu)
{
	return vcpu->vm;
}

/**
 * vcpu_run_state() - the vCPU's mapped struct kvm_run
 * @vcpu: the vCPU
 *
 * Context: any; only meaningful after KVM_RUN returned.
 * Return: the mapping.
 */
struct kvm_run *vcpu_run_state(const struct kvm_vcpu *vcpu)
{
	return vcpu->run;
}

/**
 * vcpu_close_fd() - close the vCPU fd early (the kvm_run mapping stays)
 * @vcpu: the vCPU
 *
 * Context: vcpu_lock() not held by anyone.
 * Return: close(2)'s result, or -1/EBADF if already closed.
 */
int vcpu_close_fd(struct kvm_vcpu *vcpu)
{
	int fd = vcpu->fd;

	if (fd < 0) {
		errno = EBADF;
		return -1;
	}
	vcpu->fd = -1;
	return close(fd);
}

/**
 * __vcpu_ioctl_nr() - raw ioctl on the vCPU fd
 * @vcpu: the vCPU
 * @cmd: ioctl number
 * @arg: argument
 *
 * Context: may block as the ioctl does.
 * Return: the ioctl's result, -1 with errno on failure.
 */
int __vcpu_ioctl_nr(struct kvm_vcpu *vcpu, unsigned long cmd, void *arg)
{
	return ioctl(vcpu->fd, cmd, arg);
}

/**
 * _vcpu_ioctl() - ioctl on the vCPU fd that must succeed
 * @vcpu: the vCPU
 * @cmd: ioctl number
 * @name: its name, for the message
 * @arg: argument
 *
 * Context: may block as the ioctl does.
 * Return: the (non-negative) result; aborts on failure.
 */
int _vcpu_ioctl(struct kvm_vcpu *vcpu, unsigned long cmd, const char *name, void *arg)
{
	int r = ioctl(vcpu->fd, cmd, arg);

	if (r < 0) {
		fprintf(stderr, "kvm: vCPU %u %s failed, rc: %d errno: %d (%s)\n",
			vcpu->id, name, r, errno, strerror(errno));
		abort();
	}
	return r;
}

/**
 * __vcpu_run() - KVM_RUN, retrying interruptions
 * @vcpu: the vCPU
 *
 * Context: vcpu_lock() held by the caller; blocks while the guest runs.
 * Return: 0, or -1 with errno (EFAULT for memory-fault exits, ...).
 */
int __vcpu_run(struct kvm_vcpu *vcpu)
{
	int r, tries = 0;

	do {
		r = ioctl(vcpu->fd, KVM_RUN, NULL);
	} while (r < 0 && (errno == EINTR || errno == EAGAIN) && ++tries < 100);
	return r;
}

/**
 * vcpu_complete_pending() - finish a pending MMIO/PIO completion
 * @vcpu: the vCPU
 *
 * After an MMIO or PIO exit KVM completes the instruction on the next
 * KVM_RUN, even if userspace has rewritten the registers meanwhile; running
 * once with immediate_exit set lets it do so without entering the guest.
 * Context: vcpu_lock() held by the caller.
 */
void vcpu_complete_pending(struct kvm_vcpu *vcpu)
{
	vcpu->run->immediate_exit = 1;
	(void)ioctl(vcpu->fd, KVM_RUN, NULL);
	vcpu->run->immediate_exit = 0;
}

/**
 * vcpu_lock() - serialise use of one vCPU between trace threads
 * @vcpu: the vCPU
 *
 * Context: may block.
 */
void vcpu_lock(struct kvm_vcpu *vcpu)
{
	pthread_mutex_lock(&vcpu->lock);
}

/**
 * vcpu_unlock() - release vcpu_lock()
 * @vcpu: the vCPU
 *
 * Context: vcpu_lock() held.
 */
void vcpu_unlock(struct kvm_vcpu *vcpu)
{
	pthread_mutex_unlock(&vcpu->lock);
}

static const char *const exit_names[] = {
	[KVM_EXIT_UNKNOWN] = "UNKNOWN",
	[KVM_EXIT_EXCEPTION] = "EXCEPTION",
	[KVM_EXIT_IO] = "IO",
	[KVM_EXIT_HYPERCALL] = "HYPERCALL",
	[KVM_EXIT_DEBUG] = "DEBUG",
	[KVM_EXIT_HLT] = "HLT",
	[KVM_EXIT_MMIO] = "MMIO",
	[KVM_EXIT_SHUTDOWN] = "SHUTDOWN",
	[KVM_EXIT_FAIL_ENTRY] = "FAIL_ENTRY",
	[KVM_EXIT_INTR] = "INTR",
	[KVM_EXIT_INTERNAL_ERROR] = "INTERNAL_ERROR",
	[KVM_EXIT_SYSTEM_EVENT] = "SYSTEM_EVENT",
	[KVM_EXIT_MEMORY_FAULT] = "MEMORY_FAULT",
};

/**
 * kvm_exit_reason_str() - name of a KVM_EXIT_* value
 * @reason: exit reason
 *
 * Context: any.
 * Return: a static string; "?" for reasons this table does not name.
 */
const char *kvm_exit_reason_str(uint32_t reason)
{
	if (reason < sizeof(exit_names) / sizeof(exit_names[0]) && exit_names[reason])
		return exit_names[reason];
	return "?";
}
