/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Models include/linux/fs.h (ML-7.1), minimal: struct address_space,
 * struct inode, struct file and the operation tables guest_memfd fills in.
 * Implemented in model/mm/file.c (inode/file lifetime: fs/inode.c,
 * fs/file_table.c, fs/anon_inodes.c).
 */
#ifndef _LINUX_FS_H
#define _LINUX_FS_H

#include <linux/types.h>
#include <linux/atomic.h>
#include <linux/list.h>
#include <linux/spinlock.h>
#include <linux/rwsem.h>
#include <linux/xarray.h>
#include <linux/mm_types.h>

struct inode;
struct file;
struct folio;
struct vm_area_struct;
struct iattr;
struct super_block;

/* fallocate(2) mode bits (uapi/linux/falloc.h) */
#ifndef FALLOC_FL_KEEP_SIZE
#define FALLOC_FL_KEEP_SIZE	0x01
#define FALLOC_FL_PUNCH_HOLE	0x02
#endif

/* f_mode bits */
#define FMODE_READ		0x1U
#define FMODE_WRITE		0x2U
#define FMODE_LSEEK		0x4U
#define FMODE_PREAD		0x8U
#define FMODE_PWRITE		0x10U

/* memory_failure() return codes handed back by ->error_remove_folio */
enum mf_result_code {
	MF_IGNORED = 0,
	MF_FAILED,
	MF_DELAYED,
	MF_RECOVERED,
};
#define MF_DELAYED_RC	MF_DELAYED

struct address_space_operations {
	bool (*dirty_folio)(struct address_space *mapping, struct folio *folio);
	/* Called once a folio has left the page cache (filemap_free_folio). */
	void (*free_folio)(struct folio *folio);
	int (*migrate_folio)(struct address_space *mapping, struct folio *dst,
			     struct folio *src, int mode);
	/* memory_failure() on a page-cache folio; returns MF_* */
	int (*error_remove_folio)(struct address_space *mapping, struct folio *folio);
};

/*
 * struct address_space - a file's page cache.
 * @i_pages: index -> folio (a large folio occupies every index it covers).
 * @invalidate_lock: excludes page-cache (re)population against truncation
 *	(filemap_invalidate_lock*()).
 * @i_mmap_rwsem: protects @i_mmap, the list of user VMAs mapping this file.
 * @flags: AS_* bits (pagemap.h).
 * @nrpages: pages in the cache (a large folio counts all of its pages).
 * @i_private_list: owned by the file system (gmem 6.18 keeps its files here).
 */
struct address_space {
	struct inode *host;
	struct xarray i_pages;
	struct rw_semaphore invalidate_lock;
	struct rw_semaphore i_mmap_rwsem;
	struct list_head i_mmap;
	unsigned long flags;
	unsigned long nrpages;
	const struct address_space_operations *a_ops;
	struct list_head i_private_list;
	void *i_private_data;
};

struct file_operations {
	int (*open)(struct inode *inode, struct file *file);
	int (*release)(struct inode *inode, struct file *file);
	int (*mmap)(struct file *file, struct vm_area_struct *vma);
	long (*fallocate)(struct file *file, int mode, loff_t offset, loff_t len);
	long (*unlocked_ioctl)(struct file *file, unsigned int cmd, unsigned long arg);
	ssize_t (*read)(struct file *file, char *buf, size_t len, loff_t *pos);
	ssize_t (*write)(struct file *file, const char *buf, size_t len, loff_t *pos);
	loff_t (*llseek)(struct file *file, loff_t offset, int whence);
};

struct inode_operations {
	int (*setattr)(struct inode *inode, struct iattr *attr);
	int (*getattr)(struct inode *inode, loff_t *size);
};

struct super_operations {
	/* Allocates the fs object embedding an inode (NULL: plain kzalloc). */
	struct inode *(*alloc_inode)(struct super_block *sb);
	/* Called when the last reference to @inode goes, before it is freed. */
	void (*evict_inode)(struct inode *inode);
	/* Frees the containing object of @inode, if the fs embedded it. */
	void (*free_inode)(struct inode *inode);
};

/*
 * struct file_system_type - only its lockdep keys: as in the kernel, every
 * inode's mapping->invalidate_lock gets the class of its file-system type
 * (inode_init_always()), so orders recorded on shmem's say nothing about
 * guest_memfd's.
 */
struct file_system_type {
	const char *name;
	struct lock_class_key invalidate_lock_key;
};

struct super_block {
	const struct super_operations *s_op;
	struct file_system_type *s_type;	/* NULL: the plain anonymous class */
};

/*
 * struct inode - only what the page cache and guest_memfd use.
 * @i_count: references; iput() of the last evicts the page cache.
 * @i_mapping: points at @i_data.
 * @i_private: file-system private (gmem: creation flags in 6.18).
 */
struct inode {
	unsigned long i_ino;
	loff_t i_size;
	unsigned int i_flags;
	atomic_t i_count;
	struct super_block *i_sb;
	const struct inode_operations *i_op;
	const struct file_operations *i_fop;
	struct address_space *i_mapping;
	struct address_space i_data;
	void *i_private;
	u64 i_mtime_ns;			/* model: bumped by file_modified() */
};

/*
 * struct file - an open file.  @f_count: references (fd table, VMAs, KVM);
 * fput() of the last calls ->release() then iput().
 */
struct file {
	atomic_long_t f_count;
	unsigned int f_flags;
	unsigned int f_mode;
	struct inode *f_inode;
	struct address_space *f_mapping;
	const struct file_operations *f_op;
	void *private_data;
	const char *f_name;		/* model: "[kvm-gmem]", "memfd:x" */
};

static inline struct inode *file_inode(const struct file *f)
{
	return f->f_inode;
}

static inline loff_t i_size_read(const struct inode *inode)
{
	return __atomic_load_n(&inode->i_size, __ATOMIC_ACQUIRE);
}

static inline void i_size_write(struct inode *inode, loff_t i_size)
{
	__atomic_store_n(&inode->i_size, i_size, __ATOMIC_RELEASE);
}

/*
 * Inode and file lifetime (model/mm/file.c).  Every allocation asks the
 * slab shim and can fail with NULL / ERR_PTR(-ENOMEM).
 */
struct inode *alloc_anon_inode(struct super_block *sb);
void inode_init_once(struct inode *inode);
void address_space_init_once(struct address_space *mapping);
void ihold(struct inode *inode);
void iput(struct inode *inode);
struct file *alloc_file_pseudo(struct inode *inode, const char *name, int flags,
			       const struct file_operations *fops);
struct file *get_file(struct file *f);
struct file *get_file_active(struct file **f);
void fput(struct file *file);
/*
 * Deferred final fput (task_work model, added by the KVM model): when set and
 * it returns true, fput() of the last reference leaves the file dying
 * (f_count == 0, get_file_active() fails) and the hook's owner calls
 * __fput() later, with no locks held.
 */
extern __thread bool (*fput_task_work)(struct file *file);
void __fput(struct file *file);
/*
 * Type-stable, recycled struct file memory (SLAB_TYPESAFE_BY_RCU model,
 * added by the KVM model): alloc returns zeroed memory or NULL.
 */
extern __thread struct file *(*filp_cache_alloc)(void);
extern __thread void (*filp_cache_free)(struct file *file);
int file_modified(struct file *file);
/* fs/open.c: the checks before ->fallocate(), then it (mm/file.c). */
long vfs_fallocate(struct file *file, int mode, loff_t offset, loff_t len);

/*
 * shmem_file_setup - an in-memory (shmem-like) file of @size bytes: page
 * cache folios allocated zeroed on first fault; used for MAP_SHARED |
 * MAP_ANONYMOUS and memfd.  Return: the file or ERR_PTR(-ENOMEM).
 */
struct file *shmem_file_setup(const char *name, loff_t size, unsigned long flags);
bool shmem_file(struct file *file);

#endif /* _LINUX_FS_H */
