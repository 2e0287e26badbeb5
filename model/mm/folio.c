// SPDX-License-Identifier: GPL-2.0
/*
 * Models mm/swap.c (folio_put, __folio_put, folio_batch_release),
 * include/linux/page_ref.h (folio_try_get) and mm/filemap.c's folio lock
 * (folio_lock, __folio_lock, folio_unlock, folio_trylock) of ML-7.1.
 *
 * The folio lock is PG_locked, like the kernel's.  Waiting goes through the
 * scheduler hooks: controlled mode parks the task on the folio
 * (->block(SHIM_OP_FOLIO_LOCK, folio)) and unlock wakes it; free-running
 * mode spins with cpu_relax() (the shims give the model no wait queue, and
 * folio locks are held for short model steps).  Lockdep sees every folio
 * lock as one class, "folio_lock", so orderings against invalidate_lock,
 * mmap_lock and mmu_lock are checked.
 */
#include <linux/kernel.h>
#include <linux/bug.h>
#include <linux/lockdep.h>
#include <linux/printk.h>
#include <linux/sched/signal.h>
#include <linux/mm.h>
#include <linux/pagevec.h>
#include "internal.h"

static struct lockdep_map folio_lock_map =
	SHIM_LOCKDEP_MAP_INIT("folio_lock", SHIM_WAIT_SLEEP);

/**
 * dump_folio - print what a failed invariant needs to know about @folio
 * (mm/debug.c dump_page()).
 * @reason: why it is dumped.
 * Context: any.
 */
void dump_folio(const struct folio *folio, const char *reason)
{
	unsigned long flags = page_flags_read(folio);

	pr_err("folio pfn %#lx order %u refcount %d mapcount %d mapping %s index %lu "
	       "flags %#lx%s%s%s%s%s: %s\n",
	       folio_pfn(folio), folio_order(folio), folio_ref_count(folio),
	       folio_mapcount(folio), folio->mapping ? "set" : "none",
	       (unsigned long)folio->index, flags & ((1UL << __NR_PAGEFLAGS) - 1),
	       flags & (1UL << PG_locked) ? " locked" : "",
	       flags & (1UL << PG_uptodate) ? " uptodate" : "",
	       flags & (1UL << PG_hwpoison) ? " hwpoison" : "",
	       flags & (1UL << PG_anon) ? " anon" : "",
	       flags & (1UL << PG_freed) ? " FREED" : "", reason);
}

/* A reference or lock operation on a freed folio is a use-after-free. */
static bool __folio_check_live(struct folio *folio, const char *what, const char *site)
{
	if (unlikely(folio_test_freed(folio))) {
		__mm_report_uaf((struct page *)folio, folio_pfn(folio), what, site);
		return false;
	}
	return true;
}

/**
 * mm_folio_get - folio_get(): take a reference on a folio the caller
 * already holds a reference to (or that is otherwise known live).
 * Context: any.  Reports a use-after-free on a freed folio and a WARN on a
 * zero refcount.
 */
void mm_folio_get(struct folio *folio, const char *site)
{
	if (!__folio_check_live(folio, "folio_get", site))
		return;
	WARN_ON(__shim_atomic_fetch_add(1, &folio->_refcount, site) <= 0);
}

/**
 * mm_folio_ref_add - folio_ref_add(): add @nr references.
 * Context: any.
 */
void mm_folio_ref_add(struct folio *folio, int nr, const char *site)
{
	if (!__folio_check_live(folio, "folio_ref_add", site))
		return;
	WARN_ON(__shim_atomic_fetch_add(nr, &folio->_refcount, site) <= 0);
}

/**
 * folio_try_get - take a reference unless the refcount is zero.
 *
 * The speculative page-cache lookup calls this on a folio it found without
 * holding a reference; the folio may have been freed meanwhile (its struct
 * stays, poisoned, with refcount 0), so a freed folio is not reported here.
 * Context: any.  Return: true if a reference was taken.
 */
bool folio_try_get(struct folio *folio)
{
	return atomic_inc_not_zero(&folio->_refcount);
}

/**
 * mm_folio_put_refs - folio_put()/folio_put_refs(): drop @refs references;
 * the last one frees the folio to the pool (poisoning it with @site).
 * Context: any; does not sleep.
 */
void mm_folio_put_refs(struct folio *folio, int refs, const char *site)
{
	int old;

	if (!__folio_check_live(folio, "folio_put", site))
		return;
	old = __shim_atomic_fetch_sub(refs, &folio->_refcount, site);
	if (WARN(old < refs, "folio_put: pfn %#lx refcount %d - %d underflows",
		 folio_pfn(folio), old, refs)) {
		dump_folio(folio, "refcount underflow");
		return;
	}
	if (old == refs) {
		/* __folio_put(): HugeTLB folios go back to their pool. */
		if (folio_test_hugetlb(folio))
			free_huge_folio(folio, site);
		else
			__mm_folio_free(folio, site);
	}
}

/**
 * folio_batch_release - put every folio of @fbatch and empty it.
 * Context: any.
 */
void folio_batch_release(struct folio_batch *fbatch)
{
	unsigned int i;

	for (i = 0; i < fbatch->nr; i++)
		folio_put(fbatch->folios[i]);
	folio_batch_reinit(fbatch);
}

/**
 * mm_folio_trylock - folio_trylock().
 * Context: any.  Return: true if the lock was taken.
 */
bool mm_folio_trylock(struct folio *folio, const char *site)
{
	shim_point(SHIM_OP_FOLIO_LOCK, folio, site);
	if (!__folio_check_live(folio, "folio_trylock", site))
		return false;
	if (__page_flag_test_and_set(&folio->flags, PG_locked))
		return false;
	shim_lock_acquire(&folio_lock_map, folio, 0, SHIM_ACQ_EXCL, true, site);
	return true;
}

/* Wait for PG_locked to be ours; @killable: give up with -EINTR on a signal. */
static int __folio_lock(struct folio *folio, bool killable, const char *site)
{
	might_sleep();
	shim_point(SHIM_OP_FOLIO_LOCK, folio, site);
	if (!__folio_check_live(folio, "folio_lock", site))
		return -EFAULT;
	shim_lock_acquire(&folio_lock_map, folio, 0, SHIM_ACQ_EXCL, false, site);
	while (__page_flag_test_and_set(&folio->flags, PG_locked)) {
		if (killable && fatal_signal_pending(current)) {
			shim_lock_release(&folio_lock_map, folio, site);
			return -EINTR;
		}
		if (shim_sched)
			shim_sched->block(SHIM_OP_FOLIO_LOCK, folio, site);
		else
			__builtin_ia32_pause();
	}
	return 0;
}

/**
 * mm_folio_lock - folio_lock(): sleep until the folio lock is ours.
 * Context: may sleep; scheduling point SHIM_OP_FOLIO_LOCK.  Must not hold a
 * spinning lock.
 */
void mm_folio_lock(struct folio *folio, const char *site)
{
	__folio_lock(folio, false, site);
}

/**
 * folio_lock_killable - folio_lock() that gives up on a fatal signal.
 * Context: may sleep.  Return: 0 with the lock held, or -EINTR.
 */
int folio_lock_killable(struct folio *folio)
{
	return __folio_lock(folio, true, SHIM_SITE);
}

/**
 * mm_folio_unlock - folio_unlock(): release the folio lock and wake waiters.
 * Context: any; the folio must be locked (WARN otherwise).
 */
void mm_folio_unlock(struct folio *folio, const char *site)
{
	shim_point(SHIM_OP_FOLIO_UNLOCK, folio, site);
	if (!__folio_check_live(folio, "folio_unlock", site))
		return;
	shim_lock_release(&folio_lock_map, folio, site);
	if (WARN(!(__atomic_fetch_and(&folio->flags, ~(1UL << PG_locked), __ATOMIC_ACQ_REL) &
		   (1UL << PG_locked)), "folio_unlock: pfn %#lx not locked", folio_pfn(folio)))
		return;
	if (shim_sched)
		shim_sched->wake(folio);
}
