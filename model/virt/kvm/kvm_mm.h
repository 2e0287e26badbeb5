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

#endif /* __KVM_MM_H__ */
