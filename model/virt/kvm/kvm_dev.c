// SPDX-License-Identifier: GPL-2.0
/*
 * Models the file side of virt/kvm/kvm_main.c (ML-7.1): the /dev/kvm
 * character device, the anonymous "kvm-vm" and "kvm-vcpu" files and their
 * release, which is what makes closing a VM fd drop a VM reference (and
 * why an open gmem fd or vCPU fd keeps the VM alive).
 */
#include <linux/kvm_host.h>
#include <linux/fs.h>
#include <fcntl.h>
#include <linux/slab.h>
#include <gmemsim/fdtable.h>
#include <gmemsim/kvm_model.h>

static const struct super_operations kvm_anon_super_operations;
static struct super_block kvm_anon_sb = {
	.s_op = &kvm_anon_super_operations,
};

static int kvm_vm_release(struct inode *inode, struct file *filp)
{
	struct kvm *kvm = filp->private_data;

	kvm_put_kvm(kvm);
	return 0;
}

static int kvm_vcpu_release(struct inode *inode, struct file *filp)
{
	struct kvm_vcpu *vcpu = filp->private_data;

	kvm_put_kvm(vcpu->kvm);
	return 0;
}

static const struct file_operations kvm_chardev_ops = { 0 };
static const struct file_operations kvm_vm_fops = {
	.release = kvm_vm_release,
};
static const struct file_operations kvm_vcpu_fops = {
	.release = kvm_vcpu_release,
};

/*
 * A new anonymous file with @fops and @priv installed in current_files.
 * On failure nothing is left behind and the caller still owns @priv.
 */
static int kvm_anon_getfd(const char *name, const struct file_operations *fops,
			  void *priv)
{
	struct inode *inode;
	struct file *file;
	int fd;

	inode = alloc_anon_inode(&kvm_anon_sb);
	if (IS_ERR_OR_NULL(inode))
		return inode ? PTR_ERR(inode) : -ENOMEM;
	file = alloc_file_pseudo(inode, name, O_RDWR, fops);
	if (IS_ERR_OR_NULL(file)) {
		iput(inode);
		return file ? PTR_ERR(file) : -ENOMEM;
	}
	file->f_mode |= FMODE_READ | FMODE_WRITE;
	file->private_data = priv;
	fd = fd_install_new(current_files, file);
	if (fd < 0) {
		/* Detach @priv so release does not drop the caller's ref. */
		file->private_data = NULL;
		file->f_op = &kvm_chardev_ops;
		fput(file);
	}
	return fd;
}

/**
 * kvm_dev_open() - open("/dev/kvm").
 *
 * Context: may allocate.
 * Return: the fd or negative errno.
 */
int kvm_dev_open(void)
{
	return kvm_anon_getfd("/dev/kvm", &kvm_chardev_ops, NULL);
}

/**
 * kvm_dev_ioctl_create_vm() - KVM_CREATE_VM.
 * @type: VM type
 * @profile: kernel profile (KVM_PROFILE_*)
 *
 * Context: may block.
 * Return: the VM fd (holding the VM's first reference) or negative errno.
 */
int kvm_dev_ioctl_create_vm(unsigned long type, int profile)
{
	struct kvm *kvm;
	int fd;

	kvm = kvm_create_vm(type, profile);
	if (IS_ERR(kvm))
		return PTR_ERR(kvm);

	fd = kvm_anon_getfd("kvm-vm", &kvm_vm_fops, kvm);
	if (fd < 0)
		kvm_put_kvm(kvm);
	return fd;
}

/**
 * kvm_vm_ioctl_create_vcpu_fd() - KVM_CREATE_VCPU: the vCPU and its fd
 * (which holds a VM reference).
 * @kvm: the VM
 * @id: vCPU id
 *
 * Context: takes kvm->lock.
 * Return: the vCPU fd or negative errno.
 */
int kvm_vm_ioctl_create_vcpu_fd(struct kvm *kvm, unsigned long id)
{
	struct kvm_vcpu *vcpu;
	int fd;

	vcpu = kvm_vm_ioctl_create_vcpu(kvm, id);
	if (IS_ERR(vcpu))
		return PTR_ERR(vcpu);

	kvm_get_kvm(kvm);
	fd = kvm_anon_getfd("kvm-vcpu", &kvm_vcpu_fops, vcpu);
	/* The vCPU stays with the VM (freed at VM destruction), as in KVM. */
	if (fd < 0)
		kvm_put_kvm(kvm);
	return fd;
}

/**
 * kvm_file_is_dev() - is @file the /dev/kvm file?
 * @file: any file
 *
 * Context: any.
 * Return: true for /dev/kvm.
 */
bool kvm_file_is_dev(struct file *file)
{
	return file && file->f_op == &kvm_chardev_ops && !file->private_data;
}

/**
 * kvm_file_to_vm() - the VM of a VM fd's file.
 * @file: any file
 *
 * Context: any.
 * Return: the VM (no reference taken) or NULL.
 */
struct kvm *kvm_file_to_vm(struct file *file)
{
	return file && file->f_op == &kvm_vm_fops ? file->private_data : NULL;
}

/**
 * kvm_file_to_vcpu() - the vCPU of a vCPU fd's file.
 * @file: any file
 *
 * Context: any.
 * Return: the vCPU or NULL.
 */
struct kvm_vcpu *kvm_file_to_vcpu(struct file *file)
{
	return file && file->f_op == &kvm_vcpu_fops ? file->private_data : NULL;
}
