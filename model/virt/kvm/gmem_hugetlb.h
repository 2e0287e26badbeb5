/* SPDX-License-Identifier: GPL-2.0 */
/*
 * HugeTLB-backed guest_memfd (spec §6.4, proposed): what guest_memfd.c and
 * the conversion code (gmem_inplace.c) call.  Not a kernel header: the RFC
 * keeps this in guest_memfd.c behind its custom-allocator ops; split out so
 * the mainline file only carries hooks.
 */
#ifndef __KVM_GMEM_HUGETLB_H__
#define __KVM_GMEM_HUGETLB_H__

#include <linux/kvm_host.h>
#include <linux/mm.h>
#include <linux/hugetlb.h>
#include <uapi/linux/kvm_gmem_hugetlb.h>
#include <gmemsim/kvm_model.h>

struct inode;

/*
 * struct gmem_hugetlb - the allocator state of one HugeTLB-backed inode.
 * @spool: the reservation of the whole file (taken at creation)
 * @order: folio order (HPAGE_PMD_ORDER or HPAGE_PUD_ORDER)
 */
struct gmem_hugetlb {
	struct hugepage_subpool *spool;
	unsigned int order;
};

static inline bool kvm_gmem_is_hugetlb(struct inode *inode)
{
	return ((struct gmem_inode *)inode->i_private)->hugetlb != NULL;
}

int kvm_gmem_hugetlb_check_create(struct kvm *kvm, loff_t size, u64 flags);
int kvm_gmem_hugetlb_init(struct gmem_inode *gi, loff_t size, u64 flags);
void kvm_gmem_hugetlb_destroy(struct gmem_inode *gi);
bool kvm_gmem_hugetlb_bind_offset_ok(struct inode *inode, loff_t offset);
struct folio *kvm_gmem_hugetlb_get_folio(struct inode *inode, pgoff_t index);
void kvm_gmem_hugetlb_round(struct inode *inode, pgoff_t *start, pgoff_t *end);
void kvm_gmem_hugetlb_truncate(struct inode *inode, loff_t offset, loff_t len);
void kvm_gmem_hugetlb_on_convert(struct inode *inode, pgoff_t start, pgoff_t end,
				 bool to_private);
void kvm_gmem_clear_folio(struct folio *folio);
int kvm_gmem_prepare_folio(struct kvm *kvm, struct kvm_memory_slot *slot, gfn_t gfn,
			   pgoff_t index, struct folio *folio);

#endif /* __KVM_GMEM_HUGETLB_H__ */
