/* SPDX-License-Identifier: GPL-2.0 */
/*
 * In-place shared<->private conversion (spec §6.3, proposed) and several
 * files per gmem inode (spec §6.6, proposed): what guest_memfd.c,
 * gmem_inplace.c and gmem_link.c share.  Not a kernel header: upstream
 * keeps these in guest_memfd.c itself; split out so the mainline file only
 * carries hooks.
 */
#ifndef __KVM_GMEM_INPLACE_H__
#define __KVM_GMEM_INPLACE_H__

#include <linux/kvm_host.h>
#include <linux/mm.h>
#include <gmemsim/kvm_model.h>

struct inode;
struct file;

/*
 * struct gmem_inplace - per-index shareability of one gmem inode.
 * @exclusive: pKVM-like exclusive ownership (GUEST_MEMFD_FLAG_EXCLUSIVE):
 *	conversion to private refuses host mappings instead of unmapping them.
 *	Set at creation, never changed.
 * @attributes: page index -> xa_mk_value(KVM_MEMORY_ATTRIBUTE_* mask).  Every
 *	index below i_size is present (upstream: a maple tree of ranges, every
 *	index covered, adjacent equal ranges merged); stored as aligned
 *	multi-index entries.  Written under the mapping's invalidate lock held
 *	exclusively; read under it (shared or exclusive) or locklessly by
 *	KVM's attribute queries, which the mmu_invalidate protocol orders.
 */
struct gmem_inplace {
	bool exclusive;
	struct xarray attributes;
};

static inline struct gmem_inode *GMEM_I(struct inode *inode)
{
	return inode->i_private;
}

static inline bool kvm_gmem_is_in_place(struct inode *inode)
{
	return GMEM_I(inode)->inplace != NULL;
}

/* gmem_inplace.c */
int kvm_gmem_inplace_init(struct gmem_inode *gi, loff_t size, u64 flags);
void kvm_gmem_inplace_destroy(struct gmem_inode *gi);
bool kvm_gmem_index_is_private(struct inode *inode, pgoff_t index);
u64 kvm_gmem_inplace_flags(struct kvm *kvm);

/* guest_memfd.c, for the conversion and linking code */
void kvm_gmem_invalidate_begin_filter(struct inode *inode, pgoff_t start,
				      pgoff_t end,
				      enum kvm_gfn_range_filter attr_filter);
void kvm_gmem_invalidate_end(struct inode *inode, pgoff_t start, pgoff_t end);
int kvm_gmem_file_create(struct kvm *kvm, struct inode *inode);

#endif /* __KVM_GMEM_INPLACE_H__ */
