// SPDX-License-Identifier: GPL-2.0
/*
 * Models mm/memory-failure.c (ML-7.1), reduced to the page-cache case the
 * gmem paths care about: mark the page and folio hwpoisoned, and for a
 * folio in a page cache call a_ops->error_remove_folio under the folio lock
 * (guest_memfd zaps SPTEs there and keeps the folio, returning MF_DELAYED).
 * User mappings of a page-cache folio are unmapped first, as
 * hwpoison_user_mappings() does.  Anonymous folios are only marked (the
 * kernel would unmap and kill).
 */
#include <linux/kernel.h>
#include <linux/bug.h>
#include <linux/mm.h>
#include <linux/pagemap.h>
#include "internal.h"

/**
 * memory_failure - hwpoison @pfn (see mm.h).
 * @flags: MF_* (ignored).
 * Context: may sleep (folio lock); must not hold the invalidate lock (gmem's
 * error_remove_folio takes it).
 * Return: 0 handled, -EHWPOISON already poisoned, -ENXIO no live folio,
 * -EBUSY when error_remove_folio did not return MF_DELAYED/MF_RECOVERED.
 */
int memory_failure(unsigned long pfn, int flags)
{
	struct folio *folio = mm_pfn_folio_live(pfn);
	struct page *page;
	struct address_space *mapping;
	int ret = 0, res;

	if (!folio)
		return -ENXIO;
	page = pfn_to_page(pfn);
	if (__page_flag_test_and_set(&page->flags, PG_hwpoison))
		return -EHWPOISON;
	if (!folio_try_get(folio))
		return -ENXIO;	/* freed under us */
	folio_set_hwpoison(folio);
	sched_point("memory_failure:lock");
	folio_lock(folio);
	mapping = folio->mapping;
	/*
	 * Like hwpoison_user_mappings(): take the page out of every user page
	 * table first, so the next host access refaults and the fault path
	 * answers VM_FAULT_HWPOISON (SIGBUS) instead of reading it.
	 */
	if (mapping && folio_mapped(folio)) {
		sched_point("memory_failure:unmap");
		unmap_mapping_folio(folio);
	}
	if (mapping && mapping->a_ops && mapping->a_ops->error_remove_folio) {
		res = mapping->a_ops->error_remove_folio(mapping, folio);
		if (res != MF_DELAYED && res != MF_RECOVERED)
			ret = -EBUSY;
	}
	folio_unlock(folio);
	folio_put(folio);
	return ret;
}
