/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Models include/linux/kvm_types.h (ML-7.1): forward declarations shared by
 * virt/kvm and arch/x86/kvm.  The scalar types (gfn_t, gpa_t, hva_t,
 * kvm_pfn_t, ...) come from the shims' <linux/types.h>.
 */
#ifndef _LINUX_KVM_TYPES_H
#define _LINUX_KVM_TYPES_H

#include <linux/types.h>

struct kvm;
struct kvm_vcpu;
struct kvm_run;
struct kvm_memory_slot;
struct kvm_memslots;
struct kvm_gfn_range;
struct kvm_userspace_memory_region2;
struct kvm_memory_attributes;
struct kvm_pre_fault_memory;
struct file;
struct page;
struct folio;

#endif /* _LINUX_KVM_TYPES_H */
