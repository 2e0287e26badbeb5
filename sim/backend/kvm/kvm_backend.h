/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The /dev/kvm backend (kvm_backend_ops in backend.h) and the helpers its
 * tests and tools share.
 *
 * Conventions beyond ir.h:
 *  - uaddr arguments of set_user_memory_region{,2} are numbers in the trace;
 *    this backend turns a non-zero uaddr U below 2^47 into arena + (U mod
 *    arena size), where the arena is a lazily created MAP_NORESERVE shared
 *    anonymous mapping of up to 64 GiB (smaller under valgrind), so
 *    alignment checks still see U's low bits; 0 stays NULL and U >= 2^47 is
 *    passed on for the kernel to reject.  Slots with the same U alias the
 *    same host memory, as they would in a process.  A handle to a mapping
 *    (anon_mmap/mmap) is also accepted: its address.
 *  - guest_read/write/exec run a real-mode stub (kvm_guest.h): GPAs must
 *    lie below 4 GiB - 64 KiB; the "private" argument cannot be expressed
 *    by a real-mode guest and is ignored (private-ness comes from the VM's
 *    memory attributes, which this host does not support anyway).
 *  - Exits: TRES_EXIT with exit_reason = KVM_EXIT_*; err = errno of KVM_RUN
 *    (EFAULT for MEMORY_FAULT, 0 when KVM_RUN returned 0); mf_gpa/size/
 *    flags = run->memory_fault for KVM_EXIT_MEMORY_FAULT, 0 otherwise; the
 *    address of an MMIO exit is kept aside (kvm_backend_last_mmio_gpa()).
 *  - Model-only controls, and pre_fault_memory when KVM_CAP_PRE_FAULT_MEMORY
 *    is 0, are TRES_SKIPPED.
 *  - Trace threads run on free pthreads: interleavings are not controlled
 *    on this backend.
 *  - create() refuses (NULL, errno EOPNOTSUPP, reason on stderr) a trace
 *    whose "requires" the host does not meet: backends without kvm, VM
 *    types outside KVM_CAP_VM_TYPES, a capability below its minimum, or a
 *    kernel profile other than kvm_backend_host_profile(); ENOENT without
 *    /dev/kvm.
 */
#ifndef GMEMSIM_KVM_BACKEND_H
#define GMEMSIM_KVM_BACKEND_H

#include <stdint.h>

#include "backend/backend.h"

#define KVM_BACKEND_ARENA_SIZE	(64ULL << 30)

/* Why the calling thread's last call was TRES_SKIPPED (static string), or NULL. */
const char *kvm_backend_skip_reason(const struct gmem_backend *b);
/* GPA of the calling thread's last KVM_EXIT_MMIO result, or 0. */
uint64_t kvm_backend_last_mmio_gpa(const struct gmem_backend *b);
/* Raw fd behind handle @h (-1 if none); for tests that need a real fd. */
int kvm_backend_handle_fd(const struct gmem_backend *b, int h);
/* Address of mapping handle @h (NULL if not a mapping). */
void *kvm_backend_handle_addr(const struct gmem_backend *b, int h);

#endif /* GMEMSIM_KVM_BACKEND_H */
