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
	spin_lock_init(&files->file_lock);
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
		struct file *f;

		spin_lock(&files->file_lock);
		f = files->fd[i];
		files->fd[i] = NULL;
		spin_unlock(&files->file_lock);
		if (f)
			fput(f);
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
	struct file **fd = NULL, **old = NULL;
	int i, n, alloc_n = 0;

again:
	spin_lock(&files->file_lock);
	for (i = 3; i < files->max_fds; i++)
		if (!files->fd[i])
			break;
	if (i >= files->max_fds) {
		n = max(16, files->max_fds * 2);
		if (alloc_n < n) {
			/* Allocate outside the spinlock, then look again. */
			spin_unlock(&files->file_lock);
			kfree(fd);
			fd = kcalloc(n, sizeof(*fd), GFP_KERNEL);
			if (!fd)
				return -ENOMEM;
			alloc_n = n;
			goto again;
		}
		if (files->max_fds)
			memcpy(fd, files->fd, files->max_fds * sizeof(*fd));
		old = files->fd;
		files->fd = fd;
		files->max_fds = alloc_n;
		fd = NULL;
	}
	files->fd[i] = file;
	spin_unlock(&files->file_lock);
	kfree(old);
	kfree(fd);
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
	struct files_struct *files = current_files;
	struct file *f;

	if (!files)
		return NULL;
	spin_lock(&files->file_lock);
	f = files_lookup(files, fd);
	if (f)
		get_file(f);
	spin_unlock(&files->file_lock);
	return f;
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
	struct files_struct *files = current_files;
	struct file *f;

	if (!files)
		return -EBADF;
	spin_lock(&files->file_lock);
	f = files_lookup(files, fd);
	if (f)
		files->fd[fd] = NULL;
	spin_unlock(&files->file_lock);
	if (!f)
		return -EBADF;
	fput(f);
	return 0;
}
