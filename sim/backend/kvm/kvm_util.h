/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A small kvm_util in the style of tools/testing/selftests/kvm/lib: opaque
 * VM and vCPU handles over the real /dev/kvm, raw ioctls (__vm_ioctl())
 * and asserting ones (vm_ioctl()) that name the failing ioctl.
 *
 * Skips: a missing /dev/kvm or capability is never a failure.  Library
 * calls report it with -ENOENT/-EOPNOTSUPP (or NULL + errno); tests turn it
 * into exit code KSFT_SKIP (77).
 */
#ifndef GMEMSIM_KVM_UTIL_H
#define GMEMSIM_KVM_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define KVM_DEV_PATH	"/dev/kvm"
#define KSFT_SKIP	77

struct kvm_vm;
struct kvm_vcpu;
struct kvm_run;

/* Open /dev/kvm (O_RDWR|O_CLOEXEC); returns the fd or -errno. */
int kvm_open_dev(void);
/* True if /dev/kvm can be opened and reports the stable API version 12. */
bool kvm_available(void);
/*
 * KVM_CHECK_EXTENSION on the system fd: the capability's value (>= 0), or
 * -errno if /dev/kvm cannot be opened.
 */
int kvm_check_cap(unsigned int cap);
/* Same on a VM fd. */
int vm_check_cap(struct kvm_vm *vm, unsigned int cap);

/* Create a VM of @type (KVM_X86_*_VM); NULL with errno set on failure. */
struct kvm_vm *vm_create_type(unsigned long type);
/* Close every fd of @vm (idempotent for fds already closed) and free it. */
void kvm_vm_free(struct kvm_vm *vm);
int vm_fd(const struct kvm_vm *vm);
unsigned long vm_type(const struct kvm_vm *vm);
/* Close the VM fd early (the VM lives on while gmem fds/vCPUs pin it). */
int vm_close_fd(struct kvm_vm *vm);
/* Maximum user memslots of this VM (KVM_CAP_NR_MEMSLOTS). */
int vm_nr_memslots(struct kvm_vm *vm);

/* ioctl on the VM fd; raw result (-1 with errno on failure). */
int __vm_ioctl_nr(struct kvm_vm *vm, unsigned long cmd, void *arg);
/* ioctl on the VM fd; aborts naming @name on failure. */
int _vm_ioctl(struct kvm_vm *vm, unsigned long cmd, const char *name, void *arg);
#define __vm_ioctl(vm, cmd, arg)	__vm_ioctl_nr(vm, cmd, arg)
#define vm_ioctl(vm, cmd, arg)		_vm_ioctl(vm, cmd, #cmd, arg)

/* KVM_CREATE_GUEST_MEMFD; fd or -1 with errno. */
int __vm_create_guest_memfd(struct kvm_vm *vm, uint64_t size, uint64_t flags);
/* KVM_SET_USER_MEMORY_REGION2; 0 or -1 with errno. */
int __vm_set_user_memory_region2(struct kvm_vm *vm, uint32_t slot, uint32_t flags,
				 uint64_t gpa, uint64_t size, void *hva,
				 uint32_t guest_memfd, uint64_t guest_memfd_offset);
/* KVM_SET_USER_MEMORY_REGION (v1); 0 or -1 with errno. */
int __vm_set_user_memory_region(struct kvm_vm *vm, uint32_t slot, uint32_t flags,
				uint64_t gpa, uint64_t size, void *hva);

/* vCPUs */
struct kvm_vcpu *vm_vcpu_add(struct kvm_vm *vm, uint32_t id);
void kvm_vcpu_free(struct kvm_vcpu *vcpu);
int vcpu_fd(const struct kvm_vcpu *vcpu);
struct kvm_vm *vcpu_vm(const struct kvm_vcpu *vcpu);
struct kvm_run *vcpu_run_state(const struct kvm_vcpu *vcpu);
int vcpu_close_fd(struct kvm_vcpu *vcpu);
int __vcpu_ioctl_nr(struct kvm_vcpu *vcpu, unsigned long cmd, void *arg);
int _vcpu_ioctl(struct kvm_vcpu *vcpu, unsigned long cmd, const char *name, void *arg);
#define __vcpu_ioctl(vcpu, cmd, arg)	__vcpu_ioctl_nr(vcpu, cmd, arg)
#define vcpu_ioctl(vcpu, cmd, arg)	_vcpu_ioctl(vcpu, cmd, #cmd, arg)
/*
 * KVM_RUN, retried on EINTR/EAGAIN (a stray signal is not a result); 0 or
 * -1 with errno.
 */
int __vcpu_run(struct kvm_vcpu *vcpu);
/*
 * Finish whatever KVM_RUN left pending (MMIO/PIO completion) without
 * running guest code: immediate_exit = 1, KVM_RUN, immediate_exit = 0.
 */
void vcpu_complete_pending(struct kvm_vcpu *vcpu);
/* Serialise whole register-setup + run sequences on one vCPU. */
void vcpu_lock(struct kvm_vcpu *vcpu);
void vcpu_unlock(struct kvm_vcpu *vcpu);

/* Name of a KVM_EXIT_* reason ("MMIO", "MEMORY_FAULT", ...); "?" if unknown. */
const char *kvm_exit_reason_str(uint32_t reason);

#endif /* GMEMSIM_KVM_UTIL_H */
