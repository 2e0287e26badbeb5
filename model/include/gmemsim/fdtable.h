/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A process's file-descriptor table, minimal (models fs/file.c: fget,
 * get_unused_fd_flags + fd_install, close_fd).  The model has one "process"
 * per world; the backend points current_files at it before running model
 * code, so model code can say fget(fd) exactly like the kernel.
 */
#ifndef _GMEMSIM_FDTABLE_H
#define _GMEMSIM_FDTABLE_H

#include <linux/types.h>
#include <linux/spinlock.h>

struct file;

/*
 * @file_lock: protects @fd.  The kernel's fget() is lockless (RCU, and it
 * refuses a file whose count already dropped to zero); the model takes the
 * lock instead, which gives the same guarantee: a file still in the table
 * has a non-zero count, so fget() can never revive a dying file.
 */
struct files_struct {
	spinlock_t file_lock;
	int max_fds;
	struct file **fd;
};

/* The running task's fd table (one per world; set by the backend). */
extern __thread struct files_struct *current_files;

void files_init(struct files_struct *files);
/* Drop every open fd (fput each file), free the table. */
void files_release(struct files_struct *files);

/* Lowest free fd >= 3, installing @file (the table owns the reference). */
int fd_install_new(struct files_struct *files, struct file *file);
/* Return: the file at @fd with a new reference, or NULL. */
struct file *fget(unsigned int fd);
/* Return: the file at @fd without taking a reference, or NULL. */
struct file *files_lookup(struct files_struct *files, unsigned int fd);
/* Remove @fd and drop its reference.  Return: 0 or -EBADF. */
int close_fd(unsigned int fd);

#endif /* _GMEMSIM_FDTABLE_H */
