/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Models virt/kvm/kvm_mm.h (ML-7.1): declarations shared by the files of
 * virt/kvm/ only, plus the guest_memfd object model (spec §1.1) that the
 * model backend's checkers also read (via <gmemsim/kvm_model.h>).
 */
#ifndef __KVM_MM_H__
#define __KVM_MM_H__

#include <linux/kvm_host.h>
#include <gmemsim/kvm_model.h>

void kvm_memslots_init(struct kvm *kvm);
void kvm_free_memslots(struct kvm *kvm);

/* guest_memfd.c helpers shared with gmem_populate.c */
pgoff_t kvm_gmem_get_index(struct kvm_memory_slot *slot, gfn_t gfn);
struct file *kvm_gmem_get_file(struct kvm_memory_slot *slot);
struct folio *__kvm_gmem_get_pfn(struct file *file, struct kvm_memory_slot *slot,
				 pgoff_t index, kvm_pfn_t *pfn, int *max_order);

#endif /* __KVM_MM_H__ */
