// SPDX-License-Identifier: GPL-2.0
/*
 * Models kvm_gmem_populate() of virt/kvm/guest_memfd.c (ML-7.1, with the
 * 6.18 variant selected by kvm->profile; spec §1.13).  Split out of
 * guest_memfd.c for size only.
 */
#include <linux/kvm_host.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/pagemap.h>
#include <linux/sched/signal.h>
#include <shim/sched.h>

#include "kvm_mm.h"

static int __kvm_gmem_populate(struct kvm *kvm, struct kvm_memory_slot *slot,
			       struct file *file, gfn_t gfn,
			       struct page *src_page,
			       kvm_gmem_populate_cb post_populate, void *opaque)
{
	pgoff_t index = kvm_gmem_get_index(slot, gfn);
	struct folio *folio;
	kvm_pfn_t pfn;
	int ret;

	folio = __kvm_gmem_get_pfn(file, slot, index, &pfn, NULL);
	if (IS_ERR(folio))
		return PTR_ERR(folio);

	folio_unlock(folio);

	if (!kvm_range_has_memory_attributes(kvm, gfn, gfn + 1,
					     KVM_MEMORY_ATTRIBUTE_PRIVATE,
					     KVM_MEMORY_ATTRIBUTE_PRIVATE)) {
		ret = -EINVAL;
		goto out_put_folio;
	}

	ret = post_populate(kvm, gfn, pfn, src_page, opaque);
	if (!ret)
		folio_mark_uptodate(folio);

out_put_folio:
	folio_put(folio);
	return ret;
}

/* 6.18: one invalidate lock around the loop, uptodate folios -EEXIST.
 * Context: takes filemap_invalidate_lock(file->f_mapping); may sleep.
 */
static long kvm_gmem_populate_618(struct kvm *kvm, struct kvm_memory_slot *slot,
				  struct file *file, gfn_t start_gfn,
				  void __user *src, long npages,
				  kvm_gmem_populate_cb post_populate,
				  void *opaque)
{
	long i;
	int ret = 0;

	filemap_invalidate_lock(file->f_mapping);
	for (i = 0; i < npages; i++) {
		gfn_t gfn = start_gfn + i;
		pgoff_t index = kvm_gmem_get_index(slot, gfn);
		struct page *src_page = NULL;
		struct folio *folio;
		kvm_pfn_t pfn;

		if (signal_pending(current)) {
			ret = -EINTR;
			break;
		}

		folio = __kvm_gmem_get_pfn(file, slot, index, &pfn, NULL);
		if (IS_ERR(folio)) {
			ret = PTR_ERR(folio);
			break;
		}
		if (folio_test_uptodate(folio)) {
			folio_unlock(folio);
			folio_put(folio);
			ret = -EEXIST;
			break;
		}
		folio_unlock(folio);

		if (!kvm_range_has_memory_attributes(kvm, gfn, gfn + 1,
						     KVM_MEMORY_ATTRIBUTE_PRIVATE,
						     KVM_MEMORY_ATTRIBUTE_PRIVATE)) {
			ret = -EINVAL;
			goto put_folio_and_exit;
		}

		/* The 6.18 callbacks pinned the source themselves, here. */
		if (src) {
			long n = get_user_pages_fast((unsigned long)src + i * PAGE_SIZE,
						     1, 0, &src_page);
			if (n != 1) {
				ret = n < 0 ? n : -ENOMEM;
				goto put_folio_and_exit;
			}
		}
		ret = post_populate(kvm, gfn, pfn, src_page, opaque);
		if (src_page)
			put_page(src_page);
		if (!ret)
			folio_mark_uptodate(folio);
put_folio_and_exit:
		folio_put(folio);
		if (ret)
			break;
	}
	filemap_invalidate_unlock(file->f_mapping);
	return ret && !i ? ret : i;
}

/**
 * kvm_gmem_populate() - fill and "encrypt" gmem pages before launch (SNP
 * LAUNCH_UPDATE / TDX INIT_MEM_REGION).
 * @kvm: the VM
 * @start_gfn: first gfn (must be PRIVATE and gmem-backed)
 * @src: user address of the source pages, or NULL
 * @npages: pages to populate
 * @post_populate: arch callback per page
 * @opaque: for @post_populate
 *
 * Context: slots_lock held; per page takes the invalidate lock (after
 * pinning the source, never under it).
 * Return: pages populated if any, else the first error.
 */
long kvm_gmem_populate(struct kvm *kvm, gfn_t start_gfn, void __user *src,
		       long npages, kvm_gmem_populate_cb post_populate,
		       void *opaque)
{
	struct kvm_memory_slot *slot;
	struct file *file;
	long i, ret = 0;

	lockdep_assert_held(&kvm->slots_lock);

	if (WARN_ON_ONCE(npages <= 0))
		return -EINVAL;
	if (WARN_ON_ONCE(!PAGE_ALIGNED((unsigned long)src)))
		return -EINVAL;

	slot = gfn_to_memslot(kvm, start_gfn);
	if (!kvm_slot_has_gmem(slot))
		return -EINVAL;

	file = kvm_gmem_get_file(slot);
	if (!file)
		return -EFAULT;

	npages = min_t(unsigned long, slot->npages - (start_gfn - slot->base_gfn),
		       npages);

	if (kvm->profile == KVM_PROFILE_6_18) {
		ret = kvm_gmem_populate_618(kvm, slot, file, start_gfn, src,
					    npages, post_populate, opaque);
		fput(file);
		return ret;
	}

	for (i = 0; i < npages; i++) {
		struct page *src_page = NULL;

		if (signal_pending(current)) {
			ret = -EINTR;
			break;
		}

		/* Pin before the invalidate lock: mmap_lock nests outside it. */
		if (src) {
			ret = get_user_pages_fast((unsigned long)src + i * PAGE_SIZE,
						  1, 0, &src_page);
			if (ret < 0)
				break;
			if (ret != 1) {
				ret = -ENOMEM;
				break;
			}
		}

		filemap_invalidate_lock(file->f_mapping);
		ret = __kvm_gmem_populate(kvm, slot, file, start_gfn + i,
					  src_page, post_populate, opaque);
		filemap_invalidate_unlock(file->f_mapping);

		if (src_page)
			put_page(src_page);
		if (ret)
			break;
	}

	fput(file);
	return ret && !i ? ret : i;
}
