// SPDX-License-Identifier: GPL-2.0
/*
 * Models the proposed KVM_LINK_GUEST_MEMFD (spec §6.6: Ryan Afranji,
 * intra-host migration RFC v2, May 2025).  Not merged.
 *
 * The ioctl runs on the destination VM and creates a new gmem file of that
 * VM on the inode of an existing guest_memfd of another VM.  Memory (the
 * page cache) and, for in-place files, the per-index shareability belong to
 * the inode and so are shared by both VMs; bindings and the VM reference
 * belong to each file.  Every inode-wide invalidation (punch, conversion,
 * memory failure) walks all files on the inode and, per file, its
 * bindings, so both VMs' SPTEs go (spec §1.1, §1.5).  Each file is
 * released on its own; the inode and its memory live until the last one.
 *
 * The VM-level attribute xarray of a non-in-place file is not moved: the
 * RFC pairs linking with KVM_CAP_VM_MOVE_ENC_CONTEXT_FROM for that, which
 * the model does not have.
 */
#include <linux/kvm_host.h>
#include <linux/fs.h>
#include <gmemsim/fdtable.h>

#include "kvm_mm.h"
#include "gmem_inplace.h"

/**
 * kvm_vm_ioctl_link_guest_memfd() - KVM_LINK_GUEST_MEMFD after the copy-in.
 * @kvm: the destination VM
 * @args: fd of the source guest_memfd, flags and reserved (both must be 0)
 *
 * Context: may block; takes the source inode's invalidate lock to publish
 * the new file on the inode's file list.
 * Return: the new fd (in current_files); -EINVAL for flags/reserved, a
 * file that is not a guest_memfd, a file of @kvm itself or of a VM with a
 * different private-memory model; -EBADF for a bad fd; -ENOMEM.
 */
int kvm_vm_ioctl_link_guest_memfd(struct kvm *kvm,
				  const struct kvm_link_guest_memfd *args)
{
	struct gmem_file *src;
	struct inode *inode;
	struct file *file;
	size_t i;
	int r;

	if (args->flags)
		return -EINVAL;
	for (i = 0; i < ARRAY_SIZE(args->reserved); i++)
		if (args->reserved[i])
			return -EINVAL;
	if (args->fd > INT_MAX)
		return -EBADF;

	file = fget(args->fd);
	if (!file)
		return -EBADF;

	r = -EINVAL;
	if (!kvm_gmem_is_gmem_file(file))
		goto out_fput;
	src = file->private_data;
	/* A second file of the same VM would bind the same memory twice. */
	if (src->kvm == kvm)
		goto out_fput;
	if (kvm_arch_has_private_mem(src->kvm) != kvm_arch_has_private_mem(kvm))
		goto out_fput;

	inode = file_inode(file);
	ihold(inode);
	/* Takes over the inode reference, also on failure. */
	r = kvm_gmem_file_create(kvm, inode);

out_fput:
	fput(file);
	return r;
}
