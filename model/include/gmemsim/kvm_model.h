/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Model-only view of virt/kvm internals for sim/ (the model backend and its
 * checkers) and tests: the guest_memfd object model of ML-7.1 (spec §1.1),
 * the VM/vCPU/"/dev/kvm" files, and fallocate's VFS entry.
 */
#ifndef _GMEMSIM_KVM_MODEL_H
#define _GMEMSIM_KVM_MODEL_H

#include <linux/mempolicy.h>
#include <linux/kvm_host.h>
#include <linux/list.h>
#include <linux/xarray.h>

struct inode;
struct file;

/*
 * struct gmem_inode - the backing object: page cache (in @inode), creation
 * flags, and every gmem file opened on it.  Kept in inode->i_private.
 */
struct gmem_inode {
	struct inode *inode;
	u64 flags;
	struct list_head gmem_file_list;
	/* Per-index shareability (GUEST_MEMFD_FLAG_IN_PLACE, spec §6.3) or NULL. */
	struct gmem_inplace *inplace;
	/* HugeTLB allocator (GUEST_MEMFD_FLAG_HUGETLB, spec §6.4) or NULL. */
	struct gmem_hugetlb *hugetlb;
	/* NUMA policy by page range, set through the mmap (spec §1.9). */
	struct shared_policy policy;
};

/*
 * struct gmem_file - one KVM_CREATE_GUEST_MEMFD: the owning VM (counted
 * reference) and page index -> memslot bindings.  file->private_data.
 */
struct gmem_file {
	struct kvm *kvm;
	struct xarray bindings;
	struct list_head entry;
	int profile;
};

/* fallocate(2) on any model file: VFS checks, then ->fallocate. */
long vfs_fallocate(struct file *file, int mode, loff_t offset, loff_t len);

/*
 * Files for the other fds (kvm_dev.c).  Each returns a new fd in
 * current_files or a negative errno.
 */
int kvm_dev_open(void);					/* open("/dev/kvm") */
int kvm_dev_ioctl_create_vm(unsigned long type, int profile);	/* KVM_CREATE_VM */
int kvm_vm_ioctl_create_vcpu_fd(struct kvm *kvm, unsigned long id);	/* KVM_CREATE_VCPU */
bool kvm_file_is_dev(struct file *file);
/* The VM of a VM fd's file, or NULL. */
struct kvm *kvm_file_to_vm(struct file *file);
/* The vCPU of a vCPU fd's file, or NULL. */
struct kvm_vcpu *kvm_file_to_vcpu(struct file *file);

#endif /* _GMEMSIM_KVM_MODEL_H */
