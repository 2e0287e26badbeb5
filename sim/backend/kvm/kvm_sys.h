/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one place the kvm backend gets the KVM ABI from: the system
 * <linux/kvm.h> (v6.1 on the build machines: kvm_run, kvm_regs, kvm_sregs,
 * the classic ioctls) followed by our uapi/linux/kvm_gmem.h for everything
 * newer (guest_memfd, memslots v2, attributes, pre-fault, memory faults).
 *
 * Note: kernel-shims/include is on the include path of every sim/ source,
 * so the system header's own #include <linux/types.h> resolves to the shim;
 * the shim defines the same __u8..__u64 widths, which is all <linux/kvm.h>
 * needs.  __u64 is "unsigned long" there, so print it with PRIx64-style
 * casts to unsigned long long, never %llx on the raw field.
 */
#ifndef GMEMSIM_KVM_SYS_H
#define GMEMSIM_KVM_SYS_H

#include <linux/kvm.h>
#include <uapi/linux/kvm_gmem.h>

#endif /* GMEMSIM_KVM_SYS_H */
