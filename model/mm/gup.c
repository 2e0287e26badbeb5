// SPDX-License-Identifier: GPL-2.0
/*
 * Models mm/gup.c (ML-7.1), reduced: get_user_pages_remote/_fast and
 * pin_user_pages_fast walk the host page tables and fault absent pages in
 * (handle_mm_fault), returning referenced pages.  A pin is one folio
 * reference here (the kernel adds GUP_PIN_COUNTING_BIAS).
 */
#include <linux/kernel.h>
#include <linux/bug.h>
#include <linux/mm.h>
#include "internal.h"

static long gup_errno(vm_fault_t ret)
{
	if (ret & VM_FAULT_OOM)
		return -ENOMEM;
	if (ret & (VM_FAULT_HWPOISON | VM_FAULT_HWPOISON_LARGE))
		return -EHWPOISON;
	return -EFAULT;
}

/* One page: fault it in if needed and return it referenced.  mmap_lock held.
 * Context: takes spin_lock(&mm->page_table_lock); does not sleep.
 */
static long gup_one(struct mm_struct *mm, unsigned long addr, unsigned int gup_flags,
		    struct page **pagep)
{
	struct vm_area_struct *vma = vma_lookup(mm, addr);
	bool write = gup_flags & FOLL_WRITE;
	unsigned long pfn;
	vm_fault_t ret;

	if (!vma || (write && !(vma->vm_flags & VM_WRITE)) ||
	    !(vma->vm_flags & (VM_READ | VM_WRITE)))
		return -EFAULT;
	for (;;) {
		spin_lock(&mm->page_table_lock);
		pfn = mm_follow_pfn_locked(mm, addr);
		if (pfn) {
			struct page *page = pfn_to_page(pfn);

			folio_get(page_folio(page));
			spin_unlock(&mm->page_table_lock);
			*pagep = page;
			return 0;
		}
		spin_unlock(&mm->page_table_lock);
		if (gup_flags & FOLL_NOFAULT)
			return -EFAULT;
		ret = handle_mm_fault(vma, addr, write ? FAULT_FLAG_WRITE : 0);
		if (ret & VM_FAULT_RETRY) {
			if (gup_flags & FOLL_NOWAIT)
				return -EAGAIN;
			sched_spin("gup:retry");
			continue;
		}
		if (ret & VM_FAULT_ERROR)
			return gup_errno(ret);
	}
}

/**
 * get_user_pages_remote - referenced pages for @nr_pages user pages of @mm
 * from @start, faulting absent ones in.
 * @gup_flags: FOLL_WRITE (write fault, VMA must be writable), FOLL_NOFAULT,
 * FOLL_NOWAIT (-EAGAIN instead of retrying), FOLL_PIN.  @locked: ignored.
 * Context: takes mmap_lock shared; may sleep (faults).
 * Return: pages got (stops at the first failure), or when the first fails:
 * -EFAULT (no VMA, no permission, SIGBUS), -ENOMEM, -EHWPOISON, -EAGAIN.
 */
long get_user_pages_remote(struct mm_struct *mm, unsigned long start,
			   unsigned long nr_pages, unsigned int gup_flags,
			   struct page **pages, int *locked)
{
	unsigned long i;
	long err = 0;

	start &= PAGE_MASK;
	down_read(&mm->mmap_lock);
	for (i = 0; i < nr_pages; i++) {
		err = gup_one(mm, start + (i << PAGE_SHIFT), gup_flags, &pages[i]);
		if (err)
			break;
	}
	up_read(&mm->mmap_lock);
	return i ? (long)i : err;
}

/**
 * get_user_pages_fast - get_user_pages_remote() on the current world's mm.
 * Context: as get_user_pages_remote().  Return: as get_user_pages_remote(),
 * 0 for @nr_pages <= 0.
 */
long get_user_pages_fast(unsigned long start, int nr_pages, unsigned int gup_flags,
			 struct page **pages)
{
	if (nr_pages <= 0)
		return 0;
	return get_user_pages_remote(current_mm(), start, nr_pages, gup_flags, pages, NULL);
}

/**
 * pin_user_pages_fast - FOLL_PIN get_user_pages_fast(); release each page
 * with unpin_user_page().  A pin is one folio reference in the model.
 * Context: as get_user_pages_fast().  Return: as get_user_pages_fast().
 */
long pin_user_pages_fast(unsigned long start, int nr_pages, unsigned int gup_flags,
			 struct page **pages)
{
	return get_user_pages_fast(start, nr_pages, gup_flags | FOLL_PIN, pages);
}

/**
 * unpin_user_page - drop a pin taken by pin_user_pages_fast().
 * Context: any.
 */
void unpin_user_page(struct page *page)
{
	folio_put(page_folio(page));
}

/**
 * pin_user_page_model - pin the page at @addr of @mm (trace op "host_pin").
 * @write: fault for write.  @pfnp: the pinned pfn.
 * Context: may sleep (fault).  Return: 0 or a get_user_pages_remote() errno.
 */
int pin_user_page_model(struct mm_struct *mm, unsigned long addr, bool write,
			unsigned long *pfnp)
{
	struct page *page;
	long ret = get_user_pages_remote(mm, addr, 1, FOLL_PIN | (write ? FOLL_WRITE : 0),
					 &page, NULL);

	if (ret < 0)
		return ret;
	*pfnp = page_to_pfn(page);
	return 0;
}

/**
 * unpin_user_pfn_model - drop a pin_user_page_model() pin on @pfn.
 * Context: any; does not sleep.
 */
void unpin_user_pfn_model(unsigned long pfn)
{
	struct folio *folio = pfn_to_folio(pfn);

	if (WARN_ON(!folio))
		return;
	folio_put(folio);
}
