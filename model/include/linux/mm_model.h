/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Model-only mm entry points (no kernel counterpart): the per-world page pool
 * and host mm, the page contents model, and queries for checkers.
 *
 * A world (struct mm_world) owns the physical pfn pool, the vmemmap-like
 * struct page storage and the host mm.  Each OS thread that runs model code
 * of a world calls mm_world_set_current() (thread-local, like shim_ctx); a
 * thread with none uses a lazily created process default world.
 *
 * Contents: each 4 KiB page is in one of four states —
 *   UNINIT  never written since allocation (distinct from zero),
 *   TAG     every byte equals one fill byte,
 *   BYTES   a real 4 KiB buffer (after a write that made it non-uniform, or
 *           always when the world is in bytes mode),
 *   FREED   returned to the pool (any access is a use-after-free).
 */
#ifndef _LINUX_MM_MODEL_H
#define _LINUX_MM_MODEL_H

#include <linux/types.h>
#include <linux/mm_types.h>
#include <shim/sched.h>

struct mm_world;
struct mm_struct;
struct folio;
struct page;

/* Per-world counters (monotonic within a world; reset by mm_world_reset). */
struct mm_world_stats {
	u64 folios_allocated;		/* folio_alloc successes */
	u64 folios_freed;
	u64 alloc_failures;		/* injected or out of pfn space */
	u64 pages_live;			/* 4 KiB pages in live folios */
	u64 pages_bytes_mode;		/* pages holding a 4 KiB buffer */
	u64 content_reads;		/* every content read (any path) */
	u64 content_writes;		/* every content write incl. zeroing */
	u64 uaf_reports;
	u64 pfn_space;			/* pfns carved from the pfn space */
	u64 meta_bytes;			/* vmemmap chunks + directory + buffers */
};

/**
 * mm_world_create - a fresh world: empty pool, empty host mm.
 * Context: process context.  Return: the world or NULL (ENOMEM).
 */
struct mm_world *mm_world_create(void);
/**
 * mm_world_reset - tear down the host mm (every VMA, dropping its file
 * reference) and free every pfn, struct page chunk and content buffer.
 * Page-cache owners (inodes) must be gone first; live folios left behind
 * are reported (SHIM_REPORT_SLAB, "folio leak") unless @quiet.
 * Return: the number of folios that were still live.
 */
unsigned long mm_world_reset(struct mm_world *w, bool quiet);
void mm_world_destroy(struct mm_world *w);
void mm_world_set_current(struct mm_world *w);
struct mm_world *mm_world_current(void);
/* The host mm of @w (owns the user page tables). */
struct mm_struct *mm_world_mm(struct mm_world *w);
/* The host mm of the current world. */
struct mm_struct *current_mm(void);
const struct mm_world_stats *mm_world_stats(const struct mm_world *w);

/* Bytes mode: every page written gets a real buffer (the world asks). */
void mm_world_set_bytes_mode(struct mm_world *w, bool on);
/*
 * Freed folios of each order wait in a FIFO; they are reused only once more
 * than @nr order-0 folios (@nr / 32 order-9, @nr / 256 order-18) wait, so a
 * stale user hits poison rather than a new owner.  Default 256; 0 = reuse
 * at once.  Reuse order depends only on the sequence of allocs and frees.
 */
void mm_world_set_quarantine(struct mm_world *w, unsigned long nr);
int mm_world_set_nr_nodes(struct mm_world *w, unsigned int nr);

/*
 * Content hook: called on every content access with the pfn, whether it is
 * a write, and the caller's site.  A checker uses it to catch host reads or
 * writes of private memory (B-21).  NULL disables.
 */
typedef void (*mm_content_hook_t)(void *ctx, unsigned long pfn, bool write,
				  const char *site);
void mm_world_set_content_hook(struct mm_world *w, mm_content_hook_t hook, void *ctx);

/*
 * Punch hook: every hole punch that passed vfs_fallocate()'s checks, from
 * fallocate(2) or from madvise(MADV_REMOVE) (which punches the file behind
 * each VMA of its range in turn, with mmap_lock dropped around each, so
 * its file ranges are known only as it goes).  @begin is called before
 * the file system punches bytes [@offset, @offset + @len) of inode @ino
 * and returns a cookie; @end after it, with the same range and the
 * punch's error (0: all of it punched).  Called with no lock held.  A
 * checker uses it to follow the file contents.  NULL disables.
 */
typedef int (*mm_punch_begin_t)(void *ctx, unsigned long ino, loff_t offset,
				loff_t len);
typedef void (*mm_punch_end_t)(void *ctx, int cookie, unsigned long ino,
			       loff_t offset, loff_t len, int err);
void mm_world_set_punch_hook(struct mm_world *w, mm_punch_begin_t begin,
			     mm_punch_end_t end, void *ctx);
/* The hook's two calls, for vfs_fallocate() (a no-op without a hook). */
int mm_punch_begin(unsigned long ino, loff_t offset, loff_t len);
void mm_punch_end(int cookie, unsigned long ino, loff_t offset, loff_t len, int err);

/* The machine's SNP RMP (pfn -> entry value), owned by arch/x86 svm/sev.c. */
struct xarray;
struct xarray *mm_world_rmp(void);

/* ---- contents API (contents.c) ---- */

#define MM_READ_MIXED	(-1)	/* bytes in the range differ */
#define MM_READ_UNINIT	(-2)	/* the whole range was never initialised */
#define MM_READ_FREED	(-3)	/* use-after-free (also reported) */
#define MM_READ_BADPFN	(-4)	/* pfn never allocated */

/*
 * mm_page_write - set bytes [off, off + len) of page @pfn to @byte.
 * Return: 0, or MM_READ_FREED / MM_READ_BADPFN.
 */
#define mm_page_write(pfn, off, byte, len) \
	__mm_page_write((pfn), (off), (byte), (len), SHIM_SITE)
/*
 * mm_page_read - read bytes [off, off + len) of page @pfn.
 * Return: the byte value 0..255 if all equal, MM_READ_MIXED, MM_READ_UNINIT
 * (all never written; some never written with others written is MIXED),
 * MM_READ_FREED or MM_READ_BADPFN.
 */
#define mm_page_read(pfn, off, len) __mm_page_read((pfn), (off), (len), SHIM_SITE)
/* Byte-exact copies; uninitialised bytes read as 0.  Return 0 or MM_READ_*. */
#define mm_page_copy_to(pfn, off, buf, len) \
	__mm_page_copy_to((pfn), (off), (buf), (len), SHIM_SITE)
#define mm_page_copy_from(pfn, off, buf, len) \
	__mm_page_copy_from((pfn), (off), (buf), (len), SHIM_SITE)

int __mm_page_write(unsigned long pfn, unsigned int off, u8 byte, unsigned int len,
		    const char *site);
int __mm_page_read(unsigned long pfn, unsigned int off, unsigned int len, const char *site);
int __mm_page_copy_to(unsigned long pfn, unsigned int off, const void *buf,
		      unsigned int len, const char *site);
int __mm_page_copy_from(unsigned long pfn, unsigned int off, void *buf,
			unsigned int len, const char *site);

/* ---- host accesses through the user page tables (memory.c) ---- */

/*
 * mm_host_read/write/fill - a host load/store/memset of [addr, addr + len)
 * in @mm, faulting pages in as a user access would (VM_FAULT_RETRY is
 * retried).  mm_host_check - a load summarised as one value: *@value is
 * the common byte, MM_READ_MIXED, MM_READ_UNINIT or MM_READ_FREED.
 * Context: may sleep; takes mmap_lock shared and the PTL.
 * Return: 0, or the VM_FAULT_* error that stopped it: VM_FAULT_SIGSEGV (no
 * VMA or no permission), VM_FAULT_SIGBUS / VM_FAULT_HWPOISON (-> SIGBUS),
 * VM_FAULT_OOM.  Bytes before the failing page were accessed.
 */
vm_fault_t mm_host_read(struct mm_struct *mm, unsigned long addr, void *buf, size_t len);
vm_fault_t mm_host_write(struct mm_struct *mm, unsigned long addr, const void *buf,
			 size_t len);
vm_fault_t mm_host_fill(struct mm_struct *mm, unsigned long addr, u8 byte, size_t len);
vm_fault_t mm_host_check(struct mm_struct *mm, unsigned long addr, size_t len, int *value);

/* ---- checker queries: never report ---- */

/* The pfn @mm maps at @addr without faulting; 0 if none.  Takes the PTL. */
unsigned long mm_follow_pfn(struct mm_struct *mm, unsigned long addr);
/* Every PTE (huge = false) and PMD (huge = true, pfn of the head) of @mm. */
void mm_for_each_mapping(struct mm_struct *mm,
			 void (*fn)(void *ctx, unsigned long addr, unsigned long pfn, bool huge),
			 void *ctx);

/* True when @pfn belongs to a live folio. */
bool mm_pfn_is_live(unsigned long pfn);
/* The live folio containing @pfn, or NULL (freed or never allocated). */
struct folio *mm_pfn_folio_live(unsigned long pfn);
/*
 * If @pfn is freed: true with the step and site that freed it.
 * False for live or never-allocated pfns.
 */
bool mm_pfn_free_info(unsigned long pfn, u64 *step, const char **site);
/* Number of live folios in the current world (leak checks). */
unsigned long mm_live_folios(void);
/* Call @fn for each live folio (deterministic pfn order). */
void mm_for_each_live_folio(void (*fn)(void *ctx, struct folio *folio), void *ctx);

#endif /* _LINUX_MM_MODEL_H */
