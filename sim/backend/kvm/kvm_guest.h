/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The tiny real-mode guest the kvm backend uses to make a vCPU touch guest
 * memory (trace ops guest_read / guest_write / guest_exec).
 *
 * Layout: a 64 KiB internal memslot at the top of the 4 GiB space,
 * GPA [KVM_GUEST_STUB_GPA, 4 GiB), slot id KVM_CAP_NR_MEMSLOTS - 1 (the last
 * user slot), backed by anonymous memory.  It is installed lazily on the
 * first vCPU access, so a trace that never runs a vCPU can use every slot
 * (SMR-06).  Once installed, trace memslots that would collide with it are
 * refused by the backend with a message (TRES_SKIPPED).
 *
 * Real mode: segment bases are 32-bit, so the accessed GPA range must lie
 * below 4 GiB (and below the stub); bigger ranges are refused likewise.
 */
#ifndef GMEMSIM_KVM_GUEST_H
#define GMEMSIM_KVM_GUEST_H

#include <stdbool.h>
#include <stdint.h>

struct kvm_vm;
struct kvm_vcpu;
struct kvm_guest_stub;

#define KVM_GUEST_STUB_GPA	0xffff0000ULL
#define KVM_GUEST_STUB_SIZE	0x10000ULL
#define KVM_GUEST_GPA_LIMIT	KVM_GUEST_STUB_GPA	/* accesses must end here */

enum kvm_guest_access_kind { KGA_READ, KGA_WRITE, KGA_EXEC };

struct kvm_guest_outcome {
	int ret;		/* 0, or -errno of the failing KVM_RUN */
	bool exited;		/* the access did not complete: see exit_reason */
	uint32_t exit_reason;	/* KVM_EXIT_* when exited */
	uint64_t mf_gpa, mf_size, mf_flags;	/* KVM_EXIT_MEMORY_FAULT */
	uint64_t mmio_gpa;	/* KVM_EXIT_MMIO */
	int value;		/* reads: 0..255, -1 = mixed */
};

/*
 * Install the stub memslot in @vm (idempotent).  Returns 0, or -errno:
 * -EEXIST/-EINVAL when the trace already occupies the slot id or GPA range,
 * -EBADF when the VM fd is already closed.
 */
int kvm_guest_stub_install(struct kvm_vm *vm, struct kvm_guest_stub **stubp);
void kvm_guest_stub_free(struct kvm_guest_stub *stub);
uint32_t kvm_guest_stub_slot(const struct kvm_guest_stub *stub);
/* Does [gpa, gpa+size) or @slot collide with an installed stub? */
bool kvm_guest_stub_conflicts(const struct kvm_guest_stub *stub, uint32_t slot,
			      uint64_t gpa, uint64_t size);

/*
 * Make @vcpu read/write @len bytes at @gpa (write stores @byte), or fetch
 * and execute one instruction at @gpa (exec).  Fills @out; returns 0 if the
 * access was attempted (whatever the guest saw), -EINVAL if the range is
 * not addressable from real mode (message printed).
 */
int kvm_guest_access(struct kvm_vcpu *vcpu, enum kvm_guest_access_kind kind,
		     uint64_t gpa, uint64_t len, uint8_t byte,
		     struct kvm_guest_outcome *out);

#endif /* GMEMSIM_KVM_GUEST_H */
