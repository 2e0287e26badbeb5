// SPDX-License-Identifier: GPL-2.0
/*
 * Models virt/kvm/guest_memfd.c (ML-7.1, torvalds/linux @01f492e1; the
 * 6.18 and 7.2-queued differences are selected by kvm->profile).
 *
 * Object model (spec §1.1): a gmem inode (page cache, creation flags, list
 * of gmem files) and per KVM_CREATE_GUEST_MEMFD one gmem file (owning VM
 * reference + bindings xarray: file page index -> memslot).  Memory belongs
 * to the inode; bindings belong to the file.
 *
 * Locking (spec §7.1): slots_lock -> invalidate_lock -> folio lock ->
 * mmu_lock.  kvm_gmem_get_pfn() and the user fault handler take no
 * invalidate lock: they are ordered against punch-hole by folio locks,
 * page-cache state and the mmu_invalidate protocol only.
 */
#include <linux/kvm_host.h>
#include <linux/fs.h>
#include <fcntl.h>
#include <linux/kasan.h>
#include <linux/mm.h>
#include <linux/pagemap.h>
#include <linux/slab.h>
#include <linux/sched/signal.h>
#include <shim/sched.h>
#include <gmemsim/fdtable.h>

#include "kvm_mm.h"
#include "gmem_inplace.h"
#include "gmem_hugetlb.h"

static const struct file_operations kvm_gmem_fops;
static const struct address_space_operations kvm_gmem_aops;
static const struct vm_operations_struct kvm_gmem_vm_ops;

static inline bool kvm_gmem_supports_mmap(struct inode *inode)
{
	return GMEM_I(inode)->flags & GUEST_MEMFD_FLAG_MMAP;
}

/**
 * kvm_gmem_get_index() - file page index of @gfn in gmem slot @slot.
 * @slot: a gmem memslot
 * @gfn: guest frame inside @slot
 *
 * Context: any.
 * Return: the page index.
 */
pgoff_t kvm_gmem_get_index(struct kvm_memory_slot *slot, gfn_t gfn)
{
	return gfn - slot->base_gfn + slot->gmem.pgoff;
}

static kvm_pfn_t kvm_gmem_folio_file_pfn(struct folio *folio, pgoff_t index)
{
	return folio_pfn(folio) + (index & (folio_nr_pages(folio) - 1));
}

/*
 * A locked, referenced folio at @index, allocated if absent.  Not zeroed:
 * "uptodate" means initialised, done lazily by the users (spec §1.3).
 */
static struct folio *kvm_gmem_get_folio(struct inode *inode, pgoff_t index)
{
	struct mempolicy pol;
	bool has_pol;

	/* Proposed (spec §6.4): whole huge folios from the file's reservation. */
	if (kvm_gmem_is_hugetlb(inode))
		return kvm_gmem_hugetlb_get_folio(inode, index);

	has_pol = mpol_shared_policy_lookup(&GMEM_I(inode)->policy, index, &pol);
	/*
	 * The policy at the index decides the node; the interleave index is
	 * the inode number plus the page index, the offset counted once
	 * (B-18, 48dbe4732198).
	 */
	return __filemap_get_folio_mpol(inode->i_mapping, index,
					FGP_LOCK | FGP_ACCESSED | FGP_CREAT,
					mapping_gfp_mask(inode->i_mapping),
					has_pol ? &pol : NULL, inode->i_ino + index);
}

static enum kvm_gfn_range_filter kvm_gmem_get_invalidate_filter(struct inode *inode)
{
	struct gmem_file *f;

	/* Before 5d3341d684be (B-07) the filter was always PRIVATE. */
	f = list_first_entry_or_null(&GMEM_I(inode)->gmem_file_list,
				     struct gmem_file, entry);
	if (f && f->profile == KVM_PROFILE_6_18)
		return KVM_FILTER_PRIVATE;
	/* Bug zoo: the pre-fix filter, on any profile and kind of file. */
	if (f && kvm_model_zoo(f->kvm, KVM_ZOO_B07_PRIVATE_FILTER))
		return KVM_FILTER_PRIVATE;
	/* In-place (spec §6.3): both kinds, until narrowed by the attributes. */
	if (kvm_gmem_is_in_place(inode))
		return KVM_FILTER_SHARED | KVM_FILTER_PRIVATE;
	if (GMEM_I(inode)->flags & GUEST_MEMFD_FLAG_INIT_SHARED)
		return KVM_FILTER_SHARED;
	return KVM_FILTER_PRIVATE;
}

/* Context: invalidate_lock held; takes f->kvm->mmu_lock (write). */
static void __kvm_gmem_invalidate_begin(struct gmem_file *f, pgoff_t start,
					pgoff_t end,
					enum kvm_gfn_range_filter attr_filter)
{
	bool flush = false, found_memslot = false;
	struct kvm_memory_slot *slot;
	struct kvm *kvm = f->kvm;
	unsigned long index;

	xa_for_each_range(&f->bindings, index, slot, start, end - 1) {
		struct kvm_gfn_range gfn_range;
		pgoff_t pgoff;

		/* KASAN: a binding left to a freed slot (B-03, unbind-skip-dying). */
		if (!kasan_check_byte(slot))
			continue;
		pgoff = slot->gmem.pgoff;
		gfn_range = (struct kvm_gfn_range){
			.start = slot->base_gfn + max(pgoff, start) - pgoff,
			.end = slot->base_gfn + min(pgoff + slot->npages, end) - pgoff,
			.slot = slot,
			.may_block = true,
			.attr_filter = attr_filter,
		};

		if (!found_memslot) {
			found_memslot = true;
			write_lock(&kvm->mmu_lock);
			kvm_mmu_invalidate_begin(kvm);
		}
		flush |= kvm_mmu_unmap_gfn_range(kvm, &gfn_range);
	}

	if (flush)
		kvm_flush_remote_tlbs(kvm);
	if (found_memslot)
		write_unlock(&kvm->mmu_lock);
}

/**
 * kvm_gmem_invalidate_begin_filter() - zap every file's guest mappings of
 * [@start, @end) and begin an invalidation in each VM that has one.
 * @inode: the gmem inode (several files, of several VMs, may share it)
 * @start: first page index
 * @end: index after the last
 * @attr_filter: which mappings go (KVM_FILTER_*)
 *
 * Context: the inode's invalidate lock held; takes each VM's mmu_lock.
 */
void kvm_gmem_invalidate_begin_filter(struct inode *inode, pgoff_t start,
				      pgoff_t end,
				      enum kvm_gfn_range_filter attr_filter)
{
	struct gmem_file *f;

	/* A huge folio is mapped whole: invalidate all of it (spec §6.4). */
	kvm_gmem_hugetlb_round(inode, &start, &end);
	list_for_each_entry(f, &GMEM_I(inode)->gmem_file_list, entry) {
		__kvm_gmem_invalidate_begin(f, start, end, attr_filter);
		/* Bug zoo: the walk stops at the first file (one VM only). */
		if (kvm_model_zoo(f->kvm, KVM_ZOO_INVALIDATE_ONE_FILE))
			break;
	}
}

static void kvm_gmem_invalidate_begin(struct inode *inode, pgoff_t start,
				      pgoff_t end)
{
	kvm_gmem_invalidate_begin_filter(inode, start, end,
					 kvm_gmem_get_invalidate_filter(inode));
}

/* Context: invalidate_lock held; takes f->kvm->mmu_lock (write). */
static void __kvm_gmem_invalidate_end(struct gmem_file *f, pgoff_t start,
				      pgoff_t end)
{
	struct kvm *kvm = f->kvm;
	unsigned long index = start;

	/* Same predicate as begin: bindings cannot change in between. */
	if (xa_find(&f->bindings, &index, end - 1, XA_PRESENT)) {
		write_lock(&kvm->mmu_lock);
		kvm_mmu_invalidate_end(kvm);
		write_unlock(&kvm->mmu_lock);
	}
}

/**
 * kvm_gmem_invalidate_end() - end what kvm_gmem_invalidate_begin_filter()
 * began, in every file's VM.
 * @inode: the gmem inode
 * @start: first page index
 * @end: index after the last
 *
 * Context: the inode's invalidate lock held (so no binding changed since
 * the begin); takes each VM's mmu_lock.
 */
void kvm_gmem_invalidate_end(struct inode *inode, pgoff_t start, pgoff_t end)
{
	struct gmem_file *f;

	kvm_gmem_hugetlb_round(inode, &start, &end);
	list_for_each_entry(f, &GMEM_I(inode)->gmem_file_list, entry) {
		__kvm_gmem_invalidate_end(f, start, end);
		if (kvm_model_zoo(f->kvm, KVM_ZOO_INVALIDATE_ONE_FILE))
			break;
	}
}

/*
 * The truncation step of a punch: HugeTLB inodes keep partial huge folios
 * (zeroed), others drop every folio of the range.
 * Context: invalidate lock held exclusively; takes folio locks.
 */
static void kvm_gmem_truncate(struct inode *inode, loff_t offset, loff_t len)
{
	if (kvm_gmem_is_hugetlb(inode))
		kvm_gmem_hugetlb_truncate(inode, offset, len);
	else
		truncate_inode_pages_range(inode->i_mapping, offset, offset + len - 1);
}

/* Context: takes filemap_invalidate_lock(inode->i_mapping); may sleep. */
static long kvm_gmem_punch_hole(struct inode *inode, loff_t offset, loff_t len)
{
	pgoff_t start = offset >> PAGE_SHIFT;
	pgoff_t end = (offset + len) >> PAGE_SHIFT;
	struct gmem_file *f;
	bool zoo_skip, zoo_late, zoo_no_end;

	f = list_first_entry_or_null(&GMEM_I(inode)->gmem_file_list,
				     struct gmem_file, entry);
	zoo_skip = f && kvm_model_zoo(f->kvm, KVM_ZOO_PUNCH_NO_INVALIDATE);
	/* Bug zoo: truncate first and zap afterwards / never end. */
	zoo_late = f && kvm_model_zoo(f->kvm, KVM_ZOO_PUNCH_TRUNCATE_FIRST);
	zoo_no_end = f && kvm_model_zoo(f->kvm, KVM_ZOO_PUNCH_NO_END);

	filemap_invalidate_lock(inode->i_mapping);

	if (zoo_late) {
		sched_point("punch:truncate");
		kvm_gmem_truncate(inode, offset, len);
	}

	sched_point("punch:invalidate-begin");
	if (!zoo_skip)
		kvm_gmem_invalidate_begin(inode, start, end);

	if (!zoo_late) {
		sched_point("punch:truncate");
		kvm_gmem_truncate(inode, offset, len);
	}

	sched_point("punch:invalidate-end");
	if (!zoo_skip && !zoo_no_end)
		kvm_gmem_invalidate_end(inode, start, end);

	filemap_invalidate_unlock(inode->i_mapping);
	return 0;
}

/* Context: takes filemap_invalidate_lock_shared(mapping); may sleep. */
static long kvm_gmem_allocate(struct inode *inode, loff_t offset, loff_t len)
{
	struct address_space *mapping = inode->i_mapping;
	pgoff_t start, index, end;
	int r;

	/* The size of a guest_memfd never changes. */
	if (offset + len > i_size_read(inode))
		return -EINVAL;

	filemap_invalidate_lock_shared(mapping);

	start = offset >> PAGE_SHIFT;
	end = (offset + len) >> PAGE_SHIFT;

	r = 0;
	for (index = start; index < end; ) {
		struct folio *folio;

		if (signal_pending(current)) {
			r = -EINTR;
			break;
		}

		folio = kvm_gmem_get_folio(inode, index);
		if (IS_ERR(folio)) {
			r = PTR_ERR(folio);
			break;
		}

		index = folio_next_index(folio);

		folio_unlock(folio);
		folio_put(folio);

		if (WARN_ON_ONCE(!index))
			break;

		cond_resched();
	}

	filemap_invalidate_unlock_shared(mapping);
	return r;
}

static long kvm_gmem_fallocate(struct file *file, int mode, loff_t offset,
			       loff_t len)
{
	int ret;

	if (!(mode & FALLOC_FL_KEEP_SIZE))
		return -EOPNOTSUPP;
	if (mode & ~(FALLOC_FL_KEEP_SIZE | FALLOC_FL_PUNCH_HOLE))
		return -EOPNOTSUPP;
	if (!PAGE_ALIGNED(offset) || !PAGE_ALIGNED(len))
		return -EINVAL;

	if (mode & FALLOC_FL_PUNCH_HOLE)
		ret = kvm_gmem_punch_hole(file_inode(file), offset, len);
	else
		ret = kvm_gmem_allocate(file_inode(file), offset, len);

	if (!ret)
		file_modified(file);
	return ret;
}

/*
 * Last close of a gmem fd (spec §1.7): clear every bound slot's file
 * pointer, zap the file's guest mappings, unlink the file, drop the VM.
 * Context: takes slots_lock then the invalidate lock.
 */
static int kvm_gmem_release(struct inode *inode, struct file *file)
{
	struct gmem_file *f = file->private_data;
	struct kvm_memory_slot *slot;
	struct kvm *kvm = f->kvm;
	unsigned long index;

	/* Excludes memslot create/delete, i.e. kvm_gmem_bind/unbind(). */
	mutex_lock(&kvm->slots_lock);
	filemap_invalidate_lock(inode->i_mapping);

	sched_point("release:clear-slots");
	if (!kvm_model_zoo(kvm, KVM_ZOO_RELEASE_KEEP_SLOT_FILE))
		xa_for_each(&f->bindings, index, slot)
			if (kasan_check_byte(slot))	/* KASAN: freed slot? */
				WRITE_ONCE(slot->gmem.file, NULL);

	/* All guest mappings of this file go, whatever the attributes. */
	sched_point("release:zap");
	/* Bug zoo: the mappings outlive the file (and its folios). */
	if (!kvm_model_zoo(kvm, KVM_ZOO_RELEASE_NO_ZAP)) {
		__kvm_gmem_invalidate_begin(f, 0, -1UL,
					    kvm_gmem_get_invalidate_filter(inode));
		__kvm_gmem_invalidate_end(f, 0, -1UL);
	}

	list_del(&f->entry);

	filemap_invalidate_unlock(inode->i_mapping);
	mutex_unlock(&kvm->slots_lock);

	xa_destroy(&f->bindings);
	kfree(f);

	kvm_put_kvm(kvm);
	return 0;
}

/**
 * kvm_gmem_get_file() - a counted reference on @slot's gmem file.
 * @slot: a gmem memslot
 *
 * Context: kvm->srcu or slots_lock (slot lifetime).
 * Return: the file, or NULL if it is gone or dying (B-03/B-04).
 */
struct file *kvm_gmem_get_file(struct kvm_memory_slot *slot)
{
	return get_file_active(&slot->gmem.file);
}

/* ---- user mappings (6.18+, spec §1.8) ------------------------------------ */

static vm_fault_t __kvm_gmem_fault_user_mapping(struct vm_fault *vmf)
{
	struct inode *inode = file_inode(vmf->vma->vm_file);
	vm_fault_t ret = VM_FAULT_LOCKED;
	struct folio *folio;

	folio = kvm_gmem_get_folio(inode, vmf->pgoff);
	if (IS_ERR(folio)) {
		if (PTR_ERR(folio) == -EAGAIN)
			return VM_FAULT_RETRY;
		return vmf_error(PTR_ERR(folio));
	}

	if (WARN_ON_ONCE(folio_test_large(folio))) {
		ret = VM_FAULT_SIGBUS;
		goto out_folio;
	}

	if (!folio_test_uptodate(folio)) {
		clear_highpage(folio_page(folio, 0));
		folio_mark_uptodate(folio);
	}

	vmf->page = folio_file_page(folio, vmf->pgoff);

out_folio:
	if (ret != VM_FAULT_LOCKED) {
		folio_unlock(folio);
		folio_put(folio);
	}
	return ret;
}

/* Context: mmap_lock held shared; takes the invalidate lock shared (in-place). */
static vm_fault_t kvm_gmem_fault_user_mapping(struct vm_fault *vmf)
{
	struct inode *inode = file_inode(vmf->vma->vm_file);
	vm_fault_t ret;

	if (((loff_t)vmf->pgoff << PAGE_SHIFT) >= i_size_read(inode))
		return VM_FAULT_SIGBUS;

	/*
	 * In-place (spec §6.3): a private index is not the host's (-EACCES
	 * inside, SIGBUS out).  The invalidate lock, taken under mmap_lock
	 * (the only allowed order), keeps a conversion out while the folio is
	 * looked up; a conversion after it sees the fault's reference.
	 */
	if (kvm_gmem_is_in_place(inode)) {
		filemap_invalidate_lock_shared(inode->i_mapping);
		sched_point("user_fault:attr");
		if (kvm_gmem_index_is_private(inode, vmf->pgoff))
			ret = VM_FAULT_SIGBUS;
		else
			ret = __kvm_gmem_fault_user_mapping(vmf);
		filemap_invalidate_unlock_shared(inode->i_mapping);
		return ret;
	}

	/* Without per-page shareability all memory is private. */
	if (!(GMEM_I(inode)->flags & GUEST_MEMFD_FLAG_INIT_SHARED))
		return VM_FAULT_SIGBUS;

	return __kvm_gmem_fault_user_mapping(vmf);
}

/* Context: takes the shared policy's lock; may allocate (GFP_KERNEL). */
static int kvm_gmem_set_policy(struct vm_area_struct *vma, struct mempolicy *mpol)
{
	struct inode *inode = file_inode(vma->vm_file);

	return mpol_set_shared_policy(&GMEM_I(inode)->policy, vma, mpol);
}

/* Context: takes the shared policy's lock. */
static bool kvm_gmem_get_policy(struct vm_area_struct *vma, unsigned long addr,
				struct mempolicy *pol, pgoff_t *ilx)
{
	struct inode *inode = file_inode(vma->vm_file);
	pgoff_t index = vma->vm_pgoff + ((addr - vma->vm_start) >> PAGE_SHIFT);

	/* Like shmem: the inode number; the caller adds the offset (B-18). */
	*ilx = inode->i_ino;
	return mpol_shared_policy_lookup(&GMEM_I(inode)->policy, index, pol);
}

static const struct vm_operations_struct kvm_gmem_vm_ops = {
	.fault = kvm_gmem_fault_user_mapping,
	.set_policy = kvm_gmem_set_policy,
	.get_policy = kvm_gmem_get_policy,
};

static int kvm_gmem_mmap(struct file *file, struct vm_area_struct *vma)
{
	if (!kvm_gmem_supports_mmap(file_inode(file)))
		return -ENODEV;

	/* Copy-on-write of guest memory is not allowed. */
	if ((vma->vm_flags & (VM_SHARED | VM_MAYSHARE)) !=
	    (VM_SHARED | VM_MAYSHARE))
		return -EINVAL;

	vma->vm_ops = &kvm_gmem_vm_ops;
	return 0;
}

static const struct file_operations kvm_gmem_fops = {
	.mmap		= kvm_gmem_mmap,
	.release	= kvm_gmem_release,
	.fallocate	= kvm_gmem_fallocate,
};

/**
 * kvm_gmem_is_gmem_file() - is @file a guest_memfd?
 * @file: any file
 *
 * Context: any.
 * Return: true for files created by kvm_gmem_create().
 */
bool kvm_gmem_is_gmem_file(struct file *file)
{
	return file && file->f_op == &kvm_gmem_fops;
}

/* ---- address_space operations (spec §1.6) -------------------------------- */

static int kvm_gmem_migrate_folio(struct address_space *mapping,
				  struct folio *dst, struct folio *src, int mode)
{
	/* The mapping is unmovable: never expected. */
	WARN_ON_ONCE(1);
	return -EINVAL;
}

/* Context: takes filemap_invalidate_lock_shared(mapping); may sleep. */
static int kvm_gmem_error_folio(struct address_space *mapping,
				struct folio *folio)
{
	pgoff_t start, end;

	filemap_invalidate_lock_shared(mapping);

	start = folio->index;
	end = start + folio_nr_pages(folio);

	/* Zap the guest mappings but keep the folio: get_pfn now fails. */
	kvm_gmem_invalidate_begin(mapping->host, start, end);
	sched_point("hwpoison:invalidated");
	kvm_gmem_invalidate_end(mapping->host, start, end);

	filemap_invalidate_unlock_shared(mapping);
	return MF_DELAYED;
}

static void kvm_gmem_free_folio(struct folio *folio)
{
	kvm_pfn_t pfn = folio_pfn(folio);
	int order = folio_order(folio);

	kvm_arch_gmem_invalidate(pfn, pfn + (1ul << order));
}

static bool kvm_gmem_dirty_folio(struct address_space *mapping,
				 struct folio *folio)
{
	/* Never written back. */
	return false;
}

static const struct address_space_operations kvm_gmem_aops = {
	.dirty_folio		= kvm_gmem_dirty_folio,
	.migrate_folio		= kvm_gmem_migrate_folio,
	.error_remove_folio	= kvm_gmem_error_folio,
	.free_folio		= kvm_gmem_free_folio,
};

/* ---- creation (spec §1.2) ------------------------------------------------ */

static void kvm_gmem_free_inode(struct inode *inode)
{
	struct gmem_inode *gi = GMEM_I(inode);

	/* ->free_inode owns the inode's memory (alloc_anon_inode's kzalloc). */
	inode->i_private = NULL;
	kvm_gmem_inplace_destroy(gi);
	kvm_gmem_hugetlb_destroy(gi);
	mpol_free_shared_policy(&gi->policy);
	kfree(gi);
	kfree(inode);
}

static const struct super_operations kvm_gmem_super_operations = {
	.free_inode = kvm_gmem_free_inode,
};

/* The guest_memfd file system: its invalidate_lock is a class of its own. */
static struct file_system_type kvm_gmem_fs = {
	.name = "guest_memfd:mapping.invalidate_lock",
};

static struct super_block kvm_gmem_sb = {
	.s_op = &kvm_gmem_super_operations,
	.s_type = &kvm_gmem_fs,
};

static struct inode *kvm_gmem_inode_create(loff_t size, u64 flags)
{
	struct gmem_inode *gi;
	struct inode *inode;

	gi = kzalloc(sizeof(*gi), GFP_KERNEL);
	if (!gi)
		return ERR_PTR(-ENOMEM);
	INIT_LIST_HEAD(&gi->gmem_file_list);
	mpol_shared_policy_init(&gi->policy);
	gi->flags = flags;
	if (kvm_gmem_inplace_init(gi, size, flags)) {
		kfree(gi);
		return ERR_PTR(-ENOMEM);
	}
	/* The pool reserves the whole file now, or creation fails. */
	if (kvm_gmem_hugetlb_init(gi, size, flags)) {
		kvm_gmem_inplace_destroy(gi);
		kfree(gi);
		return ERR_PTR(-ENOMEM);
	}

	inode = alloc_anon_inode(&kvm_gmem_sb);
	if (IS_ERR_OR_NULL(inode)) {
		kvm_gmem_inplace_destroy(gi);
		kvm_gmem_hugetlb_destroy(gi);
		kfree(gi);
		return inode ? inode : ERR_PTR(-ENOMEM);
	}
	gi->inode = inode;
	inode->i_private = gi;
	inode->i_size = size;
	inode->i_mapping->a_ops = &kvm_gmem_aops;
	/* Never read or written by host paths, never migrated (B-21). */
	mapping_set_inaccessible(inode->i_mapping);
	mapping_set_unmovable(inode->i_mapping);
	return inode;
}

/**
 * kvm_gmem_get_supported_flags() - creation flags KVM_CREATE_GUEST_MEMFD
 * accepts (also KVM_CAP_GUEST_MEMFD_FLAGS).
 * @kvm: the VM, or NULL for the /dev/kvm query
 *
 * Context: any.
 * Return: a GUEST_MEMFD_FLAG_* mask.
 */
u64 kvm_gmem_get_supported_flags(struct kvm *kvm)
{
	u64 flags = GUEST_MEMFD_FLAG_MMAP;

	if (!kvm || kvm_arch_supports_gmem_init_shared(kvm))
		flags |= GUEST_MEMFD_FLAG_INIT_SHARED;
	return flags;
}

/**
 * kvm_gmem_file_create() - a new gmem file of @kvm on @inode, installed in
 * the current fd table.
 * @kvm: the VM the file will pin
 * @inode: the gmem inode; the file takes over the caller's reference on
 *	success and on failure alike (KVM_CREATE_GUEST_MEMFD passes a new
 *	inode, KVM_LINK_GUEST_MEMFD an ihold() of an existing one)
 *
 * Context: may block; the caller holds no gmem lock (list_add of the file
 * is under the invalidate lock, as every walker of the list holds it).
 * Return: the new fd or a negative errno.
 */
int kvm_gmem_file_create(struct kvm *kvm, struct inode *inode)
{
	struct gmem_file *f;
	struct file *file;
	int fd, err;

	f = kzalloc(sizeof(*f), GFP_KERNEL);
	if (!f) {
		err = -ENOMEM;
		goto err_inode;
	}

	file = alloc_file_pseudo(inode, "[kvm-gmem]", O_RDWR, &kvm_gmem_fops);
	if (IS_ERR_OR_NULL(file)) {
		err = file ? PTR_ERR(file) : -ENOMEM;
		goto err_gmem;
	}
	file->f_flags |= O_LARGEFILE;
	file->f_mode |= FMODE_READ | FMODE_WRITE;

	kvm_get_kvm(kvm);
	f->kvm = kvm;
	f->profile = kvm->profile;
	xa_init(&f->bindings);
	if (list_empty(&GMEM_I(inode)->gmem_file_list)) {
		/* A new inode: nobody else can walk its list yet. */
		list_add(&f->entry, &GMEM_I(inode)->gmem_file_list);
	} else {
		/* A linked file (spec §6.6): invalidations walk the list. */
		filemap_invalidate_lock(inode->i_mapping);
		list_add(&f->entry, &GMEM_I(inode)->gmem_file_list);
		filemap_invalidate_unlock(inode->i_mapping);
	}
	file->private_data = f;

	fd = fd_install_new(current_files, file);
	if (fd < 0) {
		/* The release path undoes everything above. */
		fput(file);
		return fd;
	}
	return fd;

err_gmem:
	kfree(f);
err_inode:
	iput(inode);
	return err;
}

static int __kvm_gmem_create(struct kvm *kvm, loff_t size, u64 flags)
{
	struct inode *inode;

	inode = kvm_gmem_inode_create(size, flags);
	if (IS_ERR(inode))
		return PTR_ERR(inode);
	return kvm_gmem_file_create(kvm, inode);
}

/**
 * kvm_gmem_create() - KVM_CREATE_GUEST_MEMFD after the copy-in; checks in
 * the kernel's order (spec §1.2).
 * @kvm: the VM
 * @args: size, flags (reserved[] is not checked)
 *
 * Context: may block.
 * Return: the new fd (in current_files), or negative errno.
 */
int kvm_gmem_create(struct kvm *kvm, const struct kvm_create_guest_memfd *args)
{
	loff_t size = args->size;
	u64 flags = args->flags;
	u64 supported = kvm_gmem_get_supported_flags(kvm);
	int r;

	/* Proposed in-place design, chosen per file (not in the CAP mask). */
	if (flags & GUEST_MEMFD_FLAG_IN_PLACE)
		supported |= kvm_gmem_inplace_flags(kvm);
	/* Proposed HugeTLB backing (spec §6.4), likewise not in the CAP mask. */
	supported |= GUESTMEM_HUGETLB_FLAGS_ALL;
	if (flags & ~supported)
		return -EINVAL;
	/* Shared indices are only reachable through mmap. */
	if ((flags & GUEST_MEMFD_FLAG_IN_PLACE) && !(flags & GUEST_MEMFD_FLAG_MMAP))
		return -EINVAL;

	if (size <= 0 || !PAGE_ALIGNED(size))
		return -EINVAL;

	r = kvm_gmem_hugetlb_check_create(kvm, size, flags);
	if (r)
		return r;

	return __kvm_gmem_create(kvm, size, flags);
}

/* ---- bind / unbind (spec §1.10, §1.11) ----------------------------------- */

/**
 * kvm_gmem_bind() - bind @slot to file range [@offset, @offset + size).
 * @kvm: the VM
 * @slot: the new (not yet visible) memslot
 * @fd: guest_memfd fd in the caller's table
 * @offset: byte offset in the file
 *
 * Context: slots_lock held; takes the invalidate lock.
 * Return: 0, -EBADF, -EINVAL, or -EEXIST (7.2 overlap).
 */
int kvm_gmem_bind(struct kvm *kvm, struct kvm_memory_slot *slot,
		  unsigned int fd, loff_t offset)
{
	loff_t size = slot->npages << PAGE_SHIFT;
	unsigned long start, end, idx;
	struct gmem_file *f;
	struct inode *inode;
	struct file *file;
	bool oob;
	int r = -EINVAL;

	file = fget(fd);
	if (!file)
		return -EBADF;

	if (file->f_op != &kvm_gmem_fops)
		goto err;

	f = file->private_data;
	if (f->kvm != kvm)
		goto err;

	inode = file_inode(file);

	/* Bug zoo: the 7.1 signed check on 7.2 too (B-16). */
	if (kvm->profile >= KVM_PROFILE_7_2 && !kvm_model_zoo(kvm, KVM_ZOO_B16_BIND_SIGNED))
		/* Overflow-safe bounds check (B-16). */
		oob = (u64)offset > (u64)i_size_read(inode) ||
		      (u64)size > (u64)i_size_read(inode) - (u64)offset;
	else
		/* Signed loff_t sum; wraps like the kernel (-fno-strict-overflow). */
		oob = (loff_t)((u64)offset + (u64)size) > i_size_read(inode);
	if (offset < 0 || !PAGE_ALIGNED(offset) || oob)
		goto err;
	/* HugeTLB files bind at huge page boundaries only (spec §6.4). */
	if (!kvm_gmem_hugetlb_bind_offset_ok(inode, offset))
		goto err;

	filemap_invalidate_lock(inode->i_mapping);

	start = offset >> PAGE_SHIFT;
	end = start + slot->npages;

	idx = start;
	if (!xa_empty(&f->bindings) &&
	    xa_find(&f->bindings, &idx, end - 1, XA_PRESENT)) {
		filemap_invalidate_unlock(inode->i_mapping);
		/* B-17: 7.2 reports an overlapping binding as -EEXIST. */
		if (kvm->profile >= KVM_PROFILE_7_2)
			r = -EEXIST;
		goto err;
	}

	/* No reference: release clears this under slots_lock (B-03). */
	WRITE_ONCE(slot->gmem.file, file);
	slot->gmem.pgoff = start;
	if (kvm_gmem_supports_mmap(inode))
		slot->flags |= KVM_MEMSLOT_GMEM_ONLY;
	/* In-place: this slot's attributes come from the inode (spec §6.3). */
	if (kvm_gmem_is_in_place(inode))
		slot->flags |= KVM_MEMSLOT_GMEM_IN_PLACE;

	/*
	 * The store allocates xarray nodes and can fail.  Mainline ignores
	 * that, leaving a slot whose file release never finds it (its
	 * gmem.file dangles once the file is freed: I-5/I-6, found by
	 * model_fuzz with fail_alloc); as the posted fix does, undo the
	 * partial store and the slot's side, and fail the bind.
	 */
	r = xa_err(xa_store_range(&f->bindings, start, end - 1, slot, GFP_KERNEL));
	if (r) {
		xa_store_range(&f->bindings, start, end - 1, NULL, GFP_KERNEL);
		WRITE_ONCE(slot->gmem.file, NULL);
		slot->flags &= ~(KVM_MEMSLOT_GMEM_ONLY | KVM_MEMSLOT_GMEM_IN_PLACE);
	} else if (slot->flags & KVM_MEMSLOT_GMEM_IN_PLACE) {
		/*
		 * Sticky for the VM's life: its attribute lookups ask the slots
		 * from now on.  Set only once a bind succeeded, so a failed one
		 * leaves the VM on the mem_attr_array fast path.
		 */
		WRITE_ONCE(kvm->gmem_in_place, true);
	}
	filemap_invalidate_unlock(inode->i_mapping);
err:
	fput(file);
	return r;
}

static void __kvm_gmem_unbind(struct kvm_memory_slot *slot, struct gmem_file *f)
{
	unsigned long start = slot->gmem.pgoff;
	unsigned long end = start + slot->npages;

	xa_store_range(&f->bindings, start, end - 1, NULL, GFP_KERNEL);

	/* Pairs with kvm_gmem_release() reading the bindings under slots_lock. */
	WRITE_ONCE(slot->gmem.file, NULL);
}

/**
 * kvm_gmem_unbind() - remove @slot's binding (memslot deletion).
 * @slot: a slot with KVM_MEM_GUEST_MEMFD
 *
 * Context: slots_lock held; takes the invalidate lock unless the file is
 * dying (then release cannot run before slots_lock is dropped).
 */
void kvm_gmem_unbind(struct kvm_memory_slot *slot)
{
	struct file *file;

	/* Release already cleared the bindings. */
	if (!slot->gmem.file)
		return;

	file = kvm_gmem_get_file(slot);

	/*
	 * The file is dying: release is pending and blocked on slots_lock,
	 * which we hold, so its gmem_file is still valid.  Remove the
	 * bindings now or release would walk a freed slot (the UAF fix).
	 */
	if (!file) {
		struct gmem_file *f = slot->gmem.file->private_data;

		/* KASAN: a slot left pointing at a released file (B-03). */
		if (!kasan_check_byte(f))
			return;
		sched_point("unbind:dying-file");
		/* Bug zoo: the pre-fix code returned here, leaving bindings. */
		if (kvm_model_zoo(f->kvm, KVM_ZOO_UNBIND_SKIP_DYING))
			return;
		__kvm_gmem_unbind(slot, f);
		return;
	}

	filemap_invalidate_lock(file->f_mapping);
	__kvm_gmem_unbind(slot, file->private_data);
	filemap_invalidate_unlock(file->f_mapping);

	fput(file);
}

/* ---- get_pfn (spec §1.12) ------------------------------------------------ */

/**
 * __kvm_gmem_get_pfn() - the checks and folio lookup of kvm_gmem_get_pfn().
 * @file: @slot's file, referenced by the caller
 * @slot: a gmem memslot
 * @index: file page index
 * @pfn: out: the pfn
 * @max_order: out (optional): 0
 *
 * Context: takes the folio lock (returned locked).
 * Return: the locked, referenced folio or ERR_PTR(-EFAULT / -EIO /
 * -EHWPOISON / allocation error).
 */
struct folio *__kvm_gmem_get_pfn(struct file *file,
					struct kvm_memory_slot *slot,
					pgoff_t index, kvm_pfn_t *pfn,
					int *max_order)
{
	struct file *slot_file = READ_ONCE(slot->gmem.file);
	struct gmem_file *f = file->private_data;
	struct folio *folio;

	/* A recycled struct file is a different file (B-03). */
	if (file != slot_file) {
		WARN_ON_ONCE(slot_file);
		return ERR_PTR(-EFAULT);
	}

	if (xa_load(&f->bindings, index) != slot) {
		WARN_ON_ONCE(xa_load(&f->bindings, index));
		return ERR_PTR(-EIO);
	}

	sched_point("get_pfn:folio");
	folio = kvm_gmem_get_folio(file_inode(file), index);
	/* Bug zoo (B-09): the pre-fix check knew only NULL, not ERR_PTR. */
	if (kvm_model_zoo(f->kvm, KVM_ZOO_B09_GET_FOLIO_NULL)) {
		if (!folio)
			return ERR_PTR(-ENOMEM);
	} else if (IS_ERR(folio)) {
		return folio;
	}

	if (folio_test_hwpoison(folio)) {
		folio_unlock(folio);
		folio_put(folio);
		return ERR_PTR(-EHWPOISON);
	}

	*pfn = kvm_gmem_folio_file_pfn(folio, index);
	/* Mainline folios are order 0; HugeTLB ones report their order. */
	if (max_order)
		*max_order = folio_test_hugetlb(folio) ? folio_order(folio) : 0;

	return folio;
}

/**
 * kvm_gmem_get_pfn() - the pfn backing @gfn of gmem slot @slot.
 * @kvm: the VM
 * @slot: a gmem memslot
 * @gfn: guest frame inside @slot
 * @pfn: out: host pfn
 * @page: out: the page, with a reference the caller drops (put_page)
 * @max_order: out (optional): largest mappable order (always 0)
 *
 * Context: kvm->srcu held (slot lifetime); takes the folio lock; no
 * invalidate lock (the mmu_invalidate protocol protects the result).
 * Return: 0, -EFAULT (file gone), -EIO (binding mismatch), -EHWPOISON,
 * -ENOMEM/-EINTR from allocation, or the arch prepare error.
 */
int kvm_gmem_get_pfn(struct kvm *kvm, struct kvm_memory_slot *slot, gfn_t gfn,
		     kvm_pfn_t *pfn, struct page **page, int *max_order)
{
	pgoff_t index = kvm_gmem_get_index(slot, gfn);
	struct folio *folio;
	struct file *file;
	bool was_uptodate, in_place, is_private = true;
	int r = 0;

	file = kvm_gmem_get_file(slot);
	if (!file)
		return -EFAULT;

	/*
	 * In-place (spec §6.3): the per-index state decides, read under the
	 * invalidate lock so that no conversion runs until the folio is
	 * handed over (a conversion after that bumps mmu_invalidate_seq).
	 */
	in_place = kvm_gmem_is_in_place(file_inode(file));
	if (in_place) {
		filemap_invalidate_lock_shared(file->f_mapping);
		is_private = kvm_gmem_index_is_private(file_inode(file), index);
	}

	folio = __kvm_gmem_get_pfn(file, slot, index, pfn, max_order);
	if (IS_ERR(folio)) {
		r = PTR_ERR(folio);
		goto out_unlock;
	}

	was_uptodate = folio_test_uptodate(folio);
	if (!was_uptodate)
		kvm_gmem_clear_folio(folio);

	/*
	 * 7.1 prepares on every call (B-22); 6.18 treated uptodate as
	 * "prepared" and skipped it.
	 */
	if (is_private && (kvm->profile != KVM_PROFILE_6_18 || !was_uptodate)) {
		sched_point("get_pfn:prepare");
		/* A large folio is prepared whole, gfn and pfn at its start. */
		if (folio_test_large(folio))
			r = kvm_gmem_prepare_folio(kvm, slot, gfn, index, folio);
		else
			r = kvm_arch_gmem_prepare(kvm, gfn, *pfn, 0);
	}

	folio_unlock(folio);

	if (!r)
		*page = folio_file_page(folio, index);
	else
		folio_put(folio);

out_unlock:
	if (in_place)
		filemap_invalidate_unlock_shared(file->f_mapping);
	fput(file);
	return r;
}
