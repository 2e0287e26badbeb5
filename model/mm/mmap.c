// SPDX-License-Identifier: GPL-2.0
/*
 * Models mm/mmap.c, mm/vma.c and mm/madvise.c (ML-7.1), reduced: VMAs on a
 * sorted list per mm, do_mmap() calling the file's ->mmap(), munmap with
 * VMA splitting, madvise DONTNEED / REMOVE / HUGEPAGE / NOHUGEPAGE /
 * COLLAPSE.
 *
 * Addresses without MAP_FIXED come from a bump pointer (deterministic, never
 * reused), 2 MiB aligned for lengths of 2 MiB or more so THP can be used.
 * MAP_SHARED | MAP_ANONYMOUS gets a shmem file (shmem_zero_setup).  Private
 * file mappings (COW) are not modelled: -EINVAL after ->mmap() accepted.
 */
#include <linux/kernel.h>
#include <linux/bug.h>
#include <linux/slab.h>
#include <linux/mm.h>
#include <linux/fs.h>
#include <linux/pagemap.h>
#include "internal.h"

/**
 * find_vma - the first VMA ending above @addr.
 * Context: mmap_lock held.  Return: the VMA or NULL.
 */
struct vm_area_struct *find_vma(struct mm_struct *mm, unsigned long addr)
{
	struct vm_area_struct *vma;

	list_for_each_entry(vma, &mm->mmap, vm_list)
		if (vma->vm_end > addr)
			return vma;
	return NULL;
}

/**
 * vma_lookup - the VMA containing @addr.
 * Context: mmap_lock held.  Return: the VMA or NULL.
 */
struct vm_area_struct *vma_lookup(struct mm_struct *mm, unsigned long addr)
{
	struct vm_area_struct *vma = find_vma(mm, addr);

	return vma && vma->vm_start <= addr ? vma : NULL;
}

/* Into the mm's address-ordered VMA list.  Context: mmap_lock held for write. */
static void __vma_link_list(struct mm_struct *mm, struct vm_area_struct *vma)
{
	struct vm_area_struct *pos;
	struct list_head *before = &mm->mmap;

	list_for_each_entry(pos, &mm->mmap, vm_list) {
		if (pos->vm_start > vma->vm_start) {
			before = &pos->vm_list;
			break;
		}
	}
	list_add_tail(&vma->vm_list, before);
}

/* Context: takes down_write(&mapping->i_mmap_rwsem); may sleep. */
static void vma_link(struct mm_struct *mm, struct vm_area_struct *vma)
{
	__vma_link_list(mm, vma);
	if (vma->vm_file) {
		struct address_space *mapping = vma->vm_file->f_mapping;

		down_write(&mapping->i_mmap_rwsem);
		list_add_tail(&vma->shared, &mapping->i_mmap);
		up_write(&mapping->i_mmap_rwsem);
	}
}

/* Context: takes down_write(&mapping->i_mmap_rwsem); may sleep. */
static void vma_unlink(struct vm_area_struct *vma)
{
	list_del(&vma->vm_list);
	if (vma->vm_file) {
		struct address_space *mapping = vma->vm_file->f_mapping;

		down_write(&mapping->i_mmap_rwsem);
		list_del(&vma->shared);
		up_write(&mapping->i_mmap_rwsem);
	}
}

/*
 * Zap and unlink @vma, moving it to @dead (mmap_lock held for write).  The
 * file reference is dropped later by free_dead_vmas() with mmap_lock
 * released: the kernel defers the final fput() to task work for the same
 * reason — ->release() (e.g. kvm_gmem_release taking invalidate_lock) must
 * not nest inside mmap_lock, since populate takes them the other way round.
 */
static void remove_vma(struct vm_area_struct *vma, struct list_head *dead)
{
	__zap_vma_range(vma, vma->vm_start, vma->vm_end);
	vma_unlink(vma);
	list_add_tail(&vma->vm_list, dead);
}

static void free_dead_vmas(struct list_head *dead)
{
	struct vm_area_struct *vma, *tmp;

	list_for_each_entry_safe(vma, tmp, dead, vm_list) {
		list_del(&vma->vm_list);
		if (vma->vm_ops && vma->vm_ops->close)
			vma->vm_ops->close(vma);
		if (vma->vm_file)
			fput(vma->vm_file);
		kfree(vma);
	}
}

/*
 * Split @vma at @addr: @vma keeps [vm_start, addr), a new VMA gets
 * [addr, vm_end).  Return: 0 or -ENOMEM.
 * Context: mmap_lock held for write; takes down_write(&mapping->i_mmap_rwsem)
 * of a file VMA; may sleep.
 */
static int __split_vma(struct vm_area_struct *vma, unsigned long addr)
{
	struct address_space *mapping;
	struct vm_area_struct *new;

	if (addr <= vma->vm_start || addr >= vma->vm_end)
		return 0;
	new = kmalloc(sizeof(*new), GFP_KERNEL);
	if (!new)
		return -ENOMEM;
	*new = *vma;
	new->vm_start = addr;
	new->vm_pgoff = vma->vm_pgoff + ((addr - vma->vm_start) >> PAGE_SHIFT);
	new->vm_id = ++vma->vm_mm->next_vm_id;
	if (new->vm_file)
		get_file(new->vm_file);
	if (new->vm_ops && new->vm_ops->open)
		new->vm_ops->open(new);
	/*
	 * vma_prepare()/vma_complete(): shrinking @vma and linking @new are
	 * one step for rmap walkers (unmap_mapping_range() under i_mmap_rwsem,
	 * which holds no mmap_lock).  Shrunk first and linked after a sleep,
	 * a punch hole in between missed [addr, vm_end) and left its PTEs on
	 * folios it removed from the page cache (found by model_fuzz).
	 */
	mapping = vma->vm_file ? vma->vm_file->f_mapping : NULL;
	if (mapping)
		down_write(&mapping->i_mmap_rwsem);
	vma->vm_end = addr;
	__vma_link_list(vma->vm_mm, new);
	if (mapping) {
		list_add_tail(&new->shared, &mapping->i_mmap);
		up_write(&mapping->i_mmap_rwsem);
	}
	return 0;
}

/*
 * Split so that [start, end) is covered by whole VMAs (mmap_lock held for
 * write).  Return 0 / -ENOMEM.
 */
int __mm_split_range(struct mm_struct *mm, unsigned long start, unsigned long end)
{
	struct vm_area_struct *vma = vma_lookup(mm, start);
	int err;

	if (vma) {
		err = __split_vma(vma, start);
		if (err)
			return err;
	}
	vma = vma_lookup(mm, end - 1);
	if (vma)
		return __split_vma(vma, end);
	return 0;
}

static void __do_munmap(struct mm_struct *mm, unsigned long start, unsigned long end,
			struct list_head *dead)
{
	struct vm_area_struct *vma, *tmp;

	list_for_each_entry_safe(vma, tmp, &mm->mmap, vm_list)
		if (vma->vm_start >= start && vma->vm_end <= end)
			remove_vma(vma, dead);
}

#ifndef MAX_LFS_FILESIZE
#define MAX_LFS_FILESIZE	((loff_t)LLONG_MAX)
#endif

/*
 * file_mmap_size_max - how far into @file a mapping may reach.  Regular
 * files (every model file with a page cache behind ->mmap: shmem, memfd,
 * guest_memfd) stop at MAX_LFS_FILESIZE; the KVM anon-inode files stand
 * for character devices, which may use any unsigned long offset.
 */
static u64 file_mmap_size_max(struct file *file)
{
	if (file->f_op && file->f_op->mmap)
		return MAX_LFS_FILESIZE;
	return ULONG_MAX;
}

/*
 * file_mmap_ok - is [@pgoff, @pgoff + @len) within the file type's limit?
 * The kernel refuses a mapping past it with -EOVERFLOW before ->mmap(), so
 * no fault handler ever sees a pgoff whose byte offset overflows loff_t.
 */
static bool file_mmap_ok(struct file *file, unsigned long pgoff, unsigned long len)
{
	u64 maxsize = file_mmap_size_max(file);

	if (maxsize && len > maxsize)
		return false;
	maxsize -= len;
	if (pgoff > maxsize >> PAGE_SHIFT)
		return false;
	return true;
}

static bool range_free(struct mm_struct *mm, unsigned long start, unsigned long end)
{
	struct vm_area_struct *vma = find_vma(mm, start);

	return !vma || vma->vm_start >= end;
}

/**
 * do_mmap - create a VMA (see mm.h for the arguments).
 * Context: takes mmap_lock for write (the file's ->mmap() runs under it);
 * may sleep.  Replaced mappings (MAP_FIXED) drop their files after unlock.
 * Return: the address, or a negative errno as unsigned long: -EINVAL (len
 * 0, bad flags, unaligned MAP_FIXED, private file mapping), -EOVERFLOW
 * (pgoff + len wraps, or passes the file's limit: file_mmap_ok()),
 * -ENODEV (no ->mmap), -EACCES, -ENOMEM, or the ->mmap() error.
 */
unsigned long do_mmap(struct mm_struct *mm, struct file *file, unsigned long addr,
		      unsigned long len, unsigned long prot, unsigned long flags,
		      unsigned long pgoff)
{
	unsigned long type = flags & (MAP_SHARED | MAP_PRIVATE);
	struct vm_area_struct *vma;
	struct file *shmem = NULL;
	LIST_HEAD(dead);
	int err;

	if (!len)
		return -EINVAL;
	len = PAGE_ALIGN(len);
	if (!len || (type != MAP_SHARED && type != MAP_PRIVATE))
		return -EINVAL;
	if ((flags & MAP_FIXED) && (addr & ~PAGE_MASK))
		return -EINVAL;
	if (pgoff + (len >> PAGE_SHIFT) < pgoff)
		return -EOVERFLOW;
	if (file && !(flags & MAP_ANONYMOUS)) {
		if (!file_mmap_ok(file, pgoff, len))
			return -EOVERFLOW;
		if (!file->f_op || !file->f_op->mmap)
			return -ENODEV;
		if ((prot & PROT_WRITE) && type == MAP_SHARED && !(file->f_mode & FMODE_WRITE))
			return -EACCES;
	} else {
		file = NULL;
		if (type == MAP_SHARED) {
			shmem = shmem_file_setup("dev/zero", len, 0);
			if (IS_ERR(shmem))
				return PTR_ERR(shmem);
			file = shmem;
			pgoff = 0;
		}
	}

	vma = kzalloc(sizeof(*vma), GFP_KERNEL);
	if (!vma) {
		err = -ENOMEM;
		goto err_shmem;
	}
	down_write(&mm->mmap_lock);
	if (flags & MAP_FIXED) {
		err = __mm_split_range(mm, addr, addr + len);
		if (err)
			goto err_unlock;
		__do_munmap(mm, addr, addr + len, &dead);
	} else if (!addr || (addr & ~PAGE_MASK) || !range_free(mm, addr, addr + len)) {
		addr = mm->mmap_base;
		if (len >= PMD_SIZE)
			addr = ALIGN(addr, PMD_SIZE);
		mm->mmap_base = addr + len;
	}
	vma->vm_start = addr;
	vma->vm_end = addr + len;
	vma->vm_pgoff = file ? pgoff : addr >> PAGE_SHIFT;
	vma->vm_mm = mm;
	vma->vm_flags = VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC;
	if (prot & PROT_READ)
		vma->vm_flags |= VM_READ;
	if (prot & PROT_WRITE)
		vma->vm_flags |= VM_WRITE;
	if (prot & PROT_EXEC)
		vma->vm_flags |= VM_EXEC;
	if (type == MAP_SHARED)
		vma->vm_flags |= VM_SHARED | VM_MAYSHARE;
	if (flags & MAP_NORESERVE)
		vma->vm_flags |= VM_NORESERVE;
	vma->vm_id = ++mm->next_vm_id;
	INIT_LIST_HEAD(&vma->shared);
	if (file) {
		/* A shmem file made here gives its creation reference to the VMA. */
		vma->vm_file = shmem ? shmem : get_file(file);
		err = file->f_op->mmap(file, vma);
		if (!err && type == MAP_PRIVATE)
			err = -EINVAL;	/* COW of file pages is not modelled */
		if (err)
			goto err_file;
	}
	vma_link(mm, vma);
	up_write(&mm->mmap_lock);
	free_dead_vmas(&dead);
	return addr;

err_file:
	up_write(&mm->mmap_lock);
	free_dead_vmas(&dead);
	fput(vma->vm_file);
	kfree(vma);
	return (unsigned long)(long)err;
err_unlock:
	up_write(&mm->mmap_lock);
	free_dead_vmas(&dead);
	kfree(vma);
err_shmem:
	if (shmem)
		fput(shmem);
	return (unsigned long)(long)err;
}

/**
 * do_munmap - remove [@start, @start + @len) from @mm, splitting VMAs.
 * Context: takes mmap_lock for write; file references are dropped after it
 * is released; may sleep.
 * Return: 0, -EINVAL (unaligned start, zero or wrapping length), -ENOMEM.
 */
int do_munmap(struct mm_struct *mm, unsigned long start, size_t len)
{
	unsigned long end;
	LIST_HEAD(dead);
	int err;

	if ((start & ~PAGE_MASK) || !len)
		return -EINVAL;
	len = PAGE_ALIGN(len);
	end = start + len;
	if (end < start)
		return -EINVAL;
	down_write(&mm->mmap_lock);
	err = __mm_split_range(mm, start, end);
	if (!err)
		__do_munmap(mm, start, end, &dead);
	up_write(&mm->mmap_lock);
	free_dead_vmas(&dead);
	return err;
}

/*
 * madvise(MADV_REMOVE): punch the file range behind a shared writable
 * mapping.  Like madvise_remove(), mmap_lock is dropped around
 * ->fallocate() (it takes the invalidate lock, which nests outside
 * mmap_lock elsewhere).  Return: 0, -EINVAL, -EOPNOTSUPP, -ENOMEM (hole).
 * Context: takes down_read(&mm->mmap_lock); may sleep.
 */
static int madvise_remove(struct mm_struct *mm, unsigned long start, unsigned long end)
{
	unsigned long cur = start;
	int err = 0, unmapped = 0;

	while (cur < end) {
		struct vm_area_struct *vma;
		struct file *file;
		unsigned long e;
		loff_t offset;

		down_read(&mm->mmap_lock);
		vma = find_vma(mm, cur);
		if (!vma || vma->vm_start >= end) {
			up_read(&mm->mmap_lock);
			unmapped = 1;
			break;
		}
		if (vma->vm_start > cur)
			unmapped = 1;
		cur = max(cur, vma->vm_start);
		e = min(end, vma->vm_end);
		file = vma->vm_file;
		if (!file || !(vma->vm_flags & VM_SHARED) || !(vma->vm_flags & VM_WRITE)) {
			up_read(&mm->mmap_lock);
			return -EINVAL;
		}
		if (!file->f_op || !file->f_op->fallocate) {
			up_read(&mm->mmap_lock);
			return -EOPNOTSUPP;
		}
		offset = (loff_t)(cur - vma->vm_start) + ((loff_t)vma->vm_pgoff << PAGE_SHIFT);
		get_file(file);
		up_read(&mm->mmap_lock);
		err = vfs_fallocate(file, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
				    offset, e - cur);
		fput(file);
		if (err)
			return err;
		cur = e;
	}
	return unmapped ? -ENOMEM : 0;
}

/**
 * do_madvise - madvise(2) on [@start, @start + @len) of @mm.
 * @behavior: MADV_DONTNEED (zap; shared memory keeps its contents in the
 * page cache, private anonymous memory refaults zeroed), MADV_REMOVE (punch
 * the file), MADV_HUGEPAGE / MADV_NOHUGEPAGE (VMA flags, VMAs split to the
 * range), MADV_COLLAPSE (-EINVAL: not modelled), MADV_NORMAL.
 * Context: takes mmap_lock (write for the flag changes, read otherwise;
 * dropped around ->fallocate for MADV_REMOVE); may sleep.
 * Return: 0, -EINVAL (unaligned, unknown advice, COLLAPSE, REMOVE on a
 * non-shared mapping), -ENOMEM (part of the range unmapped), or the
 * ->fallocate() error.
 */
int do_madvise(struct mm_struct *mm, unsigned long start, size_t len, int behavior)
{
	struct vm_area_struct *vma, *tmp;
	unsigned long end;
	bool write = behavior == MADV_HUGEPAGE || behavior == MADV_NOHUGEPAGE;
	int err = 0, unmapped = 0;

	if (start & ~PAGE_MASK)
		return -EINVAL;
	switch (behavior) {
	case MADV_NORMAL:
	case MADV_DONTNEED:
	case MADV_REMOVE:
	case MADV_HUGEPAGE:
	case MADV_NOHUGEPAGE:
	case MADV_COLLAPSE:
		break;
	default:
		return -EINVAL;
	}
	/* A length within a page of 2^64 rounds up to zero: not "nothing". */
	if (len && !PAGE_ALIGN(len))
		return -EINVAL;
	len = PAGE_ALIGN(len);
	end = start + len;
	if (end < start)
		return -EINVAL;
	if (end == start)
		return 0;
	if (behavior == MADV_REMOVE)
		return madvise_remove(mm, start, end);

	if (write) {
		down_write(&mm->mmap_lock);
		err = __mm_split_range(mm, start, end);
		if (err)
			goto out;
	} else {
		down_read(&mm->mmap_lock);
	}
	/* A hole in the range is -ENOMEM, but the rest is still advised. */
	{
		unsigned long cur = start;

		list_for_each_entry_safe(vma, tmp, &mm->mmap, vm_list) {
			unsigned long s, e;

			if (vma->vm_end <= start || vma->vm_start >= end)
				continue;
			if (vma->vm_start > cur)
				unmapped = 1;
			s = max(start, vma->vm_start);
			e = min(end, vma->vm_end);
			cur = e;
			switch (behavior) {
			case MADV_DONTNEED:
				__zap_vma_range(vma, s, e);
				break;
			case MADV_HUGEPAGE:
				vma->vm_flags = (vma->vm_flags & ~VM_NOHUGEPAGE) | VM_HUGEPAGE;
				break;
			case MADV_NOHUGEPAGE:
				vma->vm_flags = (vma->vm_flags & ~VM_HUGEPAGE) | VM_NOHUGEPAGE;
				break;
			case MADV_COLLAPSE:
				/* Collapsing is not modelled (gmem: EINVAL, §1.8). */
				err = -EINVAL;
				break;
			default:
				break;
			}
			if (err)
				goto out;
		}
		if (cur < end)
			unmapped = 1;
	}
out:
	if (write)
		up_write(&mm->mmap_lock);
	else
		up_read(&mm->mmap_lock);
	if (!err && unmapped)
		err = -ENOMEM;
	return err;
}

/**
 * __mm_exit_mmap - remove every VMA of @mm (exit_mmap): zap, unlink, drop
 * the file references.
 * Context: no user of @mm runs concurrently; may sleep (fput).
 */
void __mm_exit_mmap(struct mm_struct *mm)
{
	LIST_HEAD(dead);

	if (!mm)
		return;
	down_write(&mm->mmap_lock);
	__do_munmap(mm, 0, ~0UL, &dead);
	up_write(&mm->mmap_lock);
	free_dead_vmas(&dead);
	WARN(!xa_empty(&mm->ptes) || !xa_empty(&mm->pmds), "exit_mmap left page tables");
	xa_destroy(&mm->ptes);
	xa_destroy(&mm->pmds);
	mm->mmap_base = 0x10000000000UL;
	mm->next_vm_id = 0;
}
