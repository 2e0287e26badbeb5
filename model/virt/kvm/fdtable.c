// SPDX-License-Identifier: GPL-2.0
/*
 * Models the parts of fs/file.c the KVM ioctls need (ML-7.1): fd
 * allocation (lowest free number, like get_unused_fd_flags), fget, close.
 */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/slab.h>
#include <string.h>
#include <linux/fs.h>
#include <gmemsim/fdtable.h>

__thread struct files_struct *current_files;

/**
 * files_init() - an empty fd table.
 * @files: the table
 *
 * Context: any.
 */
void files_init(struct files_struct *files)
{
	files->max_fds = 0;
	files->fd = NULL;
}

/**
 * files_release() - close every fd, free the table.
 * @files: the table
 *
 * Context: may call ->release() of the files (takes their locks).
 */
void files_release(struct files_struct *files)
{
	int i;

	/* Close in descending order: newest objects first, like exit. */
	for (i = files->max_fds - 1; i >= 0; i--) {
		struct file *f = files->fd[i];

		if (f) {
			files->fd[i] = NULL;
			fput(f);
		}
	}
	kfree(files->fd);
	files->fd = NULL;
	files->max_fds = 0;
}

/**
 * fd_install_new() - install @file at the lowest free fd (>= 3).
 * @files: the table
 * @file: the file; the table takes over the caller's reference
 *
 * Context: any.
 * Return: the fd, or -ENOMEM (then the caller still owns its reference).
 */
int fd_install_new(struct files_struct *files, struct file *file)
{
	int i;

	for (i = 3; i < files->max_fds; i++)
		if (!files->fd[i])
			break;
	if (i >= files->max_fds) {
		int n = max(16, files->max_fds * 2);
		struct file **fd = kcalloc(n, sizeof(*fd), GFP_KERNEL);

		if (!fd)
			return -ENOMEM;
		if (files->max_fds)
			memcpy(fd, files->fd, files->max_fds * sizeof(*fd));
		kfree(files->fd);
		files->fd = fd;
		files->max_fds = n;
	}
	files->fd[i] = file;
	return i;
}

/**
 * files_lookup() - peek at an fd.
 * @files: the table
 * @fd: descriptor
 *
 * Context: any.
 * Return: the file (no reference taken) or NULL.
 */
struct file *files_lookup(struct files_struct *files, unsigned int fd)
{
	if (!files || fd >= (unsigned int)files->max_fds)
		return NULL;
	return files->fd[fd];
}

/**
 * fget() - the file at @fd of the current task, with a reference.
 * @fd: descriptor
 *
 * Context: any.
 * Return: the file or NULL.
 */
struct file *fget(unsigned int fd)
{
	struct file *f = files_lookup(current_files, fd);

	return f ? get_file(f) : NULL;
}

/**
 * close_fd() - close @fd of the current task.
 * @fd: descriptor
 *
 * Context: the last reference calls ->release() (which may block).
 * Return: 0 or -EBADF.
 */
int close_fd(unsigned int fd)
{
	struct file *f = files_lookup(current_files, fd);

	if (!f)
		return -EBADF;
	current_files->fd[fd] = NULL;
	fput(f);
	return 0;
}
