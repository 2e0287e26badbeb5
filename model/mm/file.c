// SPDX-License-Identifier: GPL-2.0
/*
 * Inode and file lifetime, and a shmem-like in-memory file.  Models, much
 * reduced, fs/inode.c (iput, evict), fs/file_table.c (alloc_file_pseudo,
 * fput), fs/anon_inodes.c (alloc_anon_inode) and mm/shmem.c
 * (shmem_file_setup, shmem_fault, shmem_fallocate) of ML-7.1.
 *
 * Differences: fput() releases synchronously (no task work); there are no
 * dentries, so a file holds its inode reference directly; shmem has no swap.
 * shmem THP behaves like shmem_enabled=advise: a fault in a 2 MiB block of
 * a MADV_HUGEPAGE mapping whose file offset is congruent gets an order-9
 * folio (mapped by a PMD, memory.c); a partial punch zeroes the part of a
 * huge folio and keeps it whole (the kernel's split-failed path), after the
 * PMD was split and the secondary MMUs were notified of the whole block.
 */
#include <linux/kernel.h>
#include <linux/bug.h>
#include <linux/slab.h>
#include <linux/mm.h>
#include <linux/fs.h>
#include <linux/pagemap.h>
#include <fcntl.h>
#include "internal.h"

/**
 * address_space_init_once - initialise an empty page cache.
 * Context: any; does not sleep.
 */
void address_space_init_once(struct address_space *mapping)
{
	memset(mapping, 0, sizeof(*mapping));
	xa_init(&mapping->i_pages);
	init_rwsem(&mapping->invalidate_lock);
	init_rwsem(&mapping->i_mmap_rwsem);
	INIT_LIST_HEAD(&mapping->i_mmap);
	INIT_LIST_HEAD(&mapping->i_private_list);
}

/**
 * inode_init_once - initialise a zeroed inode: one reference, its own page
 * cache, a stable per-world inode number.
 * Context: any; does not sleep.
 */
void inode_init_once(struct inode *inode)
{
	struct mm_world *w = __mm_world();

	atomic_set(&inode->i_count, 1);
	inode->i_ino = ++w->next_ino;
	address_space_init_once(&inode->i_data);
	inode->i_data.host = inode;
	inode->i_mapping = &inode->i_data;
}

/**
 * alloc_anon_inode - a new inode with one reference.
 * @sb: optional; its ->alloc_inode() allocates the containing object.
 * Context: may sleep.  Return: the inode or ERR_PTR(-ENOMEM).
 */
struct inode *alloc_anon_inode(struct super_block *sb)
{
	struct inode *inode;

	if (sb && sb->s_op && sb->s_op->alloc_inode)
		inode = sb->s_op->alloc_inode(sb);
	else
		inode = kzalloc(sizeof(*inode), GFP_KERNEL);
	if (!inode)
		return ERR_PTR(-ENOMEM);
	inode_init_once(inode);
	inode->i_sb = sb;
	if (sb && sb->s_type)
		lockdep_set_class_and_name(&inode->i_mapping->invalidate_lock,
					   &sb->s_type->invalidate_lock_key,
					   sb->s_type->name);
	return inode;
}

/** ihold - take another inode reference.  Context: any. */
void ihold(struct inode *inode)
{
	WARN_ON(atomic_inc_return(&inode->i_count) < 2);
}

/*
 * The last reference went: drop the page cache (the fs's evict_inode does
 * it if there is one, like the kernel's evict()), then free.
 */
static void evict(struct inode *inode)
{
	const struct super_operations *op = inode->i_sb ? inode->i_sb->s_op : NULL;

	if (op && op->evict_inode)
		op->evict_inode(inode);
	else
		truncate_inode_pages_final(&inode->i_data);
	WARN(inode->i_data.nrpages, "evicted inode %lu still has %lu pages",
	     inode->i_ino, inode->i_data.nrpages);
	WARN(!list_empty(&inode->i_data.i_mmap), "evicted inode %lu still mapped",
	     inode->i_ino);
	xa_destroy(&inode->i_data.i_pages);
	if (op && op->free_inode)
		op->free_inode(inode);
	else
		kfree(inode);
}

/**
 * iput - drop an inode reference; the last one evicts the inode.
 * Context: may sleep (truncation).
 */
void iput(struct inode *inode)
{
	int left;

	if (!inode)
		return;
	left = atomic_dec_return(&inode->i_count);
	if (WARN(left < 0, "iput: inode %lu refcount underflow", inode->i_ino))
		return;
	if (!left)
		evict(inode);
}

/**
 * alloc_file_pseudo - a new file on @inode with one reference.  The file
 * takes over the caller's inode reference (dropped by the last fput()).
 * @flags: O_* open flags (O_RDWR gives read and write mode).
 * Context: may sleep.  Return: the file or ERR_PTR(-ENOMEM).
 */
/*
 * Type-stable file memory, like the kernel's SLAB_TYPESAFE_BY_RCU filp
 * cache: when set (by the KVM model's backend, per world), struct file
 * memory is recycled for new files instead of freed, so a stale pointer
 * read before a release (slot->gmem.file, spec B-03/B-04) still points at a
 * struct file -- possibly a different, live one -- and get_file_active()
 * must detect that.  NULL hooks: plain kzalloc/kfree.
 */
__thread struct file *(*filp_cache_alloc)(void);
__thread void (*filp_cache_free)(struct file *file);

struct file *alloc_file_pseudo(struct inode *inode, const char *name, int flags,
			       const struct file_operations *fops)
{
	struct file *file = filp_cache_alloc ? filp_cache_alloc() :
			    kzalloc(sizeof(*file), GFP_KERNEL);

	if (!file)
		return ERR_PTR(-ENOMEM);
	atomic_long_set(&file->f_count, 1);
	file->f_flags = flags;
	switch (flags & O_ACCMODE) {
	case O_RDONLY:
		file->f_mode = FMODE_READ;
		break;
	case O_WRONLY:
		file->f_mode = FMODE_WRITE;
		break;
	default:
		file->f_mode = FMODE_READ | FMODE_WRITE;
		break;
	}
	file->f_mode |= FMODE_LSEEK | FMODE_PREAD | FMODE_PWRITE;
	file->f_inode = inode;
	file->f_mapping = inode->i_mapping;
	file->f_op = fops;
	file->f_name = name;
	return file;
}

/** get_file - take another reference on @f.  Context: any.  Return: @f. */
struct file *get_file(struct file *f)
{
	WARN_ON(atomic_long_inc_return(&f->f_count) < 2);
	return f;
}

/**
 * get_file_active - a reference on *@f unless its count already hit zero.
 * Context: any.  Return: the file, or NULL (no file, or it is dying).
 */
struct file *get_file_active(struct file **f)
{
	struct file *file = READ_ONCE(*f);

	if (!file || !atomic_long_inc_not_zero(&file->f_count))
		return NULL;
	/* The memory may have been recycled for another file meanwhile. */
	if (READ_ONCE(*f) != file) {
		fput(file);
		return NULL;
	}
	return file;
}

/**
 * fput - drop a file reference; the last one calls ->release() and drops
 * the inode reference.
 * Context: may sleep.
 */
void fput(struct file *file)
{
	long left = atomic_long_dec_return(&file->f_count);

	if (WARN(left < 0, "fput: file refcount underflow"))
		return;
	if (left)
		return;
	/*
	 * Like the kernel's task_work: the final __fput() runs when the task
	 * returns to user space, not under the caller's locks (added by the
	 * KVM model, h7; NULL hook = immediate, as before).
	 */
	if (fput_task_work && fput_task_work(file))
		return;
	__fput(file);
}

__thread bool (*fput_task_work)(struct file *file);

/**
 * __fput - release a file whose last reference is gone: ->release(),
 * drop the inode reference, free.
 * Context: no locks held (may sleep).
 */
void __fput(struct file *file)
{
	if (file->f_op && file->f_op->release)
		file->f_op->release(file->f_inode, file);
	iput(file->f_inode);
	if (filp_cache_free)
		filp_cache_free(file);
	else
		kfree(file);
}

/**
 * vfs_fallocate() - the VFS checks before ->fallocate (fs/open.c), then it.
 * @file: any file
 * @mode: FALLOC_FL_*
 * @offset: byte offset
 * @len: byte length
 *
 * Context: may block (the file system's locks).
 * Return: 0 or negative errno.
 */
long vfs_fallocate(struct file *file, int mode, loff_t offset, loff_t len)
{
	if (offset < 0 || len <= 0)
		return -EINVAL;
	if (mode & ~(FALLOC_FL_KEEP_SIZE | FALLOC_FL_PUNCH_HOLE))
		return -EOPNOTSUPP;
	/* Punching a hole must keep the size. */
	if ((mode & FALLOC_FL_PUNCH_HOLE) && !(mode & FALLOC_FL_KEEP_SIZE))
		return -EOPNOTSUPP;
	if (!(file->f_mode & FMODE_WRITE))
		return -EBADF;
	if ((u64)offset + (u64)len > (u64)LLONG_MAX)	/* s_maxbytes */
		return -EFBIG;
	if (!file->f_op->fallocate)
		return -EOPNOTSUPP;
	if (mode & FALLOC_FL_PUNCH_HOLE) {
		unsigned long ino = file_inode(file)->i_ino;
		int cookie = mm_punch_begin(ino, offset, len);
		long ret = file->f_op->fallocate(file, mode, offset, len);

		mm_punch_end(cookie, ino, offset, len, (int)ret);
		return ret;
	}
	return file->f_op->fallocate(file, mode, offset, len);
}

/**
 * file_modified - update mtime/ctime after a change (a counter here).
 * Context: any.  Return: 0.
 */
int file_modified(struct file *file)
{
	/*
	 * Concurrent fallocate()s (shared invalidate lock) update the times
	 * without a lock, as the kernel does; a relaxed atomic keeps that
	 * benign race out of TSan reports.
	 */
	__atomic_fetch_add(&file_inode(file)->i_mtime_ns, 1, __ATOMIC_RELAXED);
	return 0;
}

/* ---- shmem ---- */

static const struct address_space_operations shmem_aops = {
	.dirty_folio = NULL,
};

/**
 * filemap_fault - ->fault of a page-cache file without a backing store:
 * SIGBUS past EOF, otherwise the folio at the offset (created and zeroed on
 * first touch), returned locked.
 * Context: mmap_lock held shared; may sleep.
 * Return: VM_FAULT_LOCKED, VM_FAULT_SIGBUS, VM_FAULT_OOM, VM_FAULT_HWPOISON.
 */
vm_fault_t filemap_fault(struct vm_fault *vmf)
{
	struct file *file = vmf->vma->vm_file;
	struct inode *inode = file_inode(file);
	struct address_space *mapping = file->f_mapping;
	fgf_t fgp = FGP_LOCK | FGP_CREAT | FGP_ACCESSED;
	struct folio *folio;

	if (vmf->pgoff >= DIV_ROUND_UP(i_size_read(inode), PAGE_SIZE))
		return VM_FAULT_SIGBUS;
	folio = ERR_PTR(-ENOENT);
	/*
	 * shmem THP (shmem_enabled=advise), like shmem_alloc_and_add_folio():
	 * nothing cached at the index and a suitable block -> try a 2 MiB folio
	 * at the block's first index; if part of the block is cached already,
	 * fall back to a small folio.
	 */
	if (shmem_file(file) && vma_thp_file_suitable(vmf->vma, vmf->address)) {
		pgoff_t hindex = round_down(vmf->pgoff, HPAGE_PMD_NR);

		folio = __filemap_get_folio(mapping, vmf->pgoff, FGP_LOCK | FGP_ACCESSED,
					    mapping_gfp_mask(mapping));
		if (IS_ERR(folio) && PTR_ERR(folio) == -ENOENT) {
			folio = __filemap_get_folio(mapping, hindex, fgp | fgf_set_order(PMD_SIZE),
						    mapping_gfp_mask(mapping));
			if (!IS_ERR(folio) && folio_next_index(folio) <= vmf->pgoff) {
				/* A small folio at hindex: not ours. */
				folio_unlock(folio);
				folio_put(folio);
				folio = ERR_PTR(-ENOENT);
			}
		}
		if (IS_ERR(folio) && PTR_ERR(folio) != -ENOENT)
			return vmf_error(PTR_ERR(folio));
	}
	if (IS_ERR(folio))
		folio = __filemap_get_folio(mapping, vmf->pgoff, fgp, mapping_gfp_mask(mapping));
	if (IS_ERR(folio))
		return vmf_error(PTR_ERR(folio));
	if (folio_test_hwpoison(folio)) {
		folio_unlock(folio);
		folio_put(folio);
		return VM_FAULT_HWPOISON;
	}
	if (!folio_test_uptodate(folio)) {
		folio_zero_range(folio, 0, folio_size(folio));
		folio_mark_uptodate(folio);
	}
	vmf->page = folio_file_page(folio, vmf->pgoff);
	return VM_FAULT_LOCKED;
}

static const struct vm_operations_struct shmem_vm_ops = {
	.fault = filemap_fault,
};

static int shmem_mmap(struct file *file, struct vm_area_struct *vma)
{
	vma->vm_ops = &shmem_vm_ops;
	return 0;
}

/* shmem_fallocate: PUNCH_HOLE unmaps and truncates; allocate instantiates.
 * Context: takes filemap_invalidate_lock(mapping), filemap_invalidate_lock_shared(mapping); may sleep.
 */
static long shmem_fallocate(struct file *file, int mode, loff_t offset, loff_t len)
{
	struct inode *inode = file_inode(file);
	struct address_space *mapping = file->f_mapping;
	pgoff_t index, end;

	if (mode & ~(FALLOC_FL_KEEP_SIZE | FALLOC_FL_PUNCH_HOLE))
		return -EOPNOTSUPP;
	if (mode & FALLOC_FL_PUNCH_HOLE) {
		loff_t unmap_start = round_up(offset, PAGE_SIZE);
		loff_t unmap_end = round_down(offset + len, PAGE_SIZE) - 1;

		if (!(mode & FALLOC_FL_KEEP_SIZE))
			return -EOPNOTSUPP;
		filemap_invalidate_lock(mapping);
		if (unmap_end > unmap_start)
			unmap_mapping_range(mapping, unmap_start,
					    1 + unmap_end - unmap_start, 0);
		truncate_inode_pages_range(mapping, offset, offset + len - 1);
		filemap_invalidate_unlock(mapping);
		return 0;
	}
	filemap_invalidate_lock_shared(mapping);
	end = DIV_ROUND_UP(offset + len, PAGE_SIZE);
	for (index = offset >> PAGE_SHIFT; index < end; index++) {
		struct folio *folio = __filemap_get_folio(mapping, index,
						FGP_LOCK | FGP_CREAT, mapping_gfp_mask(mapping));

		if (IS_ERR(folio)) {
			filemap_invalidate_unlock_shared(mapping);
			return PTR_ERR(folio);
		}
		if (!folio_test_uptodate(folio)) {
			folio_zero_range(folio, 0, folio_size(folio));
			folio_mark_uptodate(folio);
		}
		folio_unlock(folio);
		folio_put(folio);
	}
	filemap_invalidate_unlock_shared(mapping);
	if (!(mode & FALLOC_FL_KEEP_SIZE) && offset + len > i_size_read(inode))
		i_size_write(inode, offset + len);
	return 0;
}

static const struct file_operations shmem_file_operations = {
	.mmap = shmem_mmap,
	.fallocate = shmem_fallocate,
};

/* tmpfs's type: its invalidate_lock is a class of its own. */
static struct file_system_type shmem_fs_type = {
	.name = "tmpfs:mapping.invalidate_lock",
};

static struct super_block shmem_sb = {
	.s_type = &shmem_fs_type,
};

/**
 * shmem_file_setup - see fs.h.
 * @flags: VM_NORESERVE and the like; ignored.
 * Context: may sleep.  Return: the file or ERR_PTR(-ENOMEM).
 */
struct file *shmem_file_setup(const char *name, loff_t size, unsigned long flags)
{
	struct inode *inode = alloc_anon_inode(&shmem_sb);
	struct file *file;

	if (IS_ERR(inode))
		return ERR_CAST(inode);
	inode->i_size = size;
	inode->i_fop = &shmem_file_operations;
	inode->i_mapping->a_ops = &shmem_aops;
	file = alloc_file_pseudo(inode, name, O_RDWR, &shmem_file_operations);
	if (IS_ERR(file))
		iput(inode);
	return file;
}

/**
 * shmem_file - is @file a shmem file (shmem_file_setup)?
 * Context: any.  Return: true for a shmem file.
 */
bool shmem_file(struct file *file)
{
	return file && file->f_op == &shmem_file_operations;
}
