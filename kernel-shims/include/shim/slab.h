/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Controls and statistics of the slab shim (src/slab.c).
 *
 * Allocation state lives in a struct shim_slab_ctx: shim_ctx->slab if set,
 * otherwise one process-wide default, so worlds running in parallel
 * (--jobs N) count, quarantine and inject faults independently.  A block
 * remembers its context, so it may be freed from any thread.
 *
 * Freed memory is filled with SHIM_POISON_FREE and kept in a bounded FIFO
 * quarantine before going back to libc: a double free is recognised by the
 * header's magic, a write after free by altered poison when the block
 * leaves the quarantine or at shim_slab_check(); ASan builds also poison
 * the quarantined bytes so a use is caught at the faulting instruction.
 */
#ifndef SHIM_SLAB_H
#define SHIM_SLAB_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/types.h>

#define SHIM_POISON_FREE	0x6b
#define SHIM_QUARANTINE_MAX	256		/* blocks */
#define SHIM_QUARANTINE_BYTES	(4u << 20)	/* bytes */

struct shim_slab_hdr;

struct shim_slab_stats {
	unsigned long live_objects;
	unsigned long live_bytes;
	unsigned long total_allocs;
	unsigned long total_frees;
	unsigned long failed_allocs;	/* injected or real */
	unsigned long quarantined;	/* blocks now in quarantine */
};

struct shim_slab_ctx {
	pthread_mutex_t lock;		/* protects everything below */
	struct shim_slab_hdr *live;	/* doubly linked list of live blocks */
	struct shim_slab_stats stats;
	struct shim_slab_hdr *quarantine[SHIM_QUARANTINE_MAX];
	unsigned int q_head, q_count;
	size_t q_bytes;
	long fail_countdown;		/* 0: off; n: the n-th next allocation fails */
	bool fault_inject;		/* controlled: ask decide(ALLOC_FAIL) */
	bool signal_inject;		/* controlled: ask decide(SIGNAL_PENDING) */
	uint64_t seq;			/* allocation sequence number */
};

/**
 * shim_slab_ctx_init() - Initialise a slab context.
 * @ctx: the context.
 *
 * Context: @ctx is not in use.
 */
void shim_slab_ctx_init(struct shim_slab_ctx *ctx);

/**
 * shim_slab_ctx_reset() - Free all quarantined and live blocks, clear stats.
 * @ctx: the context.
 *
 * Checks the quarantine first (reporting writes after free); live blocks
 * are freed silently, so call shim_slab_report_leaks() before if leaks
 * matter.  Fault-injection settings are cleared too.
 *
 * Context: no other thread may use blocks of @ctx.
 */
void shim_slab_ctx_reset(struct shim_slab_ctx *ctx);

/**
 * shim_slab_ctx_destroy() - Reset @ctx and release its own resources.
 * @ctx: the context.
 *
 * Context: as shim_slab_ctx_reset().
 */
void shim_slab_ctx_destroy(struct shim_slab_ctx *ctx);

/**
 * shim_slab_ctx_current() - The context allocations of this thread use.
 *
 * Context: any.
 * Return: shim_ctx->slab, or the process default.
 */
struct shim_slab_ctx *shim_slab_ctx_current(void);

/**
 * shim_slab_stats() - Snapshot of the current context's statistics.
 * @out: filled in.
 *
 * Context: any.
 */
void shim_slab_stats(struct shim_slab_stats *out);

/**
 * shim_slab_live_objects() - Live blocks in the current context.
 *
 * Context: any.
 * Return: the count.
 */
unsigned long shim_slab_live_objects(void);

/**
 * shim_slab_check() - Verify the poison of every quarantined block.
 *
 * Context: any.  Reports SHIM_REPORT_SLAB for each block written after free.
 * Return: the number of corrupted blocks found.
 */
unsigned int shim_slab_check(void);

/**
 * shim_slab_report_leaks() - Report every live block with its allocation site.
 *
 * Context: any.  One SHIM_REPORT_SLAB report per live block.
 * Return: the number of live blocks.
 */
unsigned long shim_slab_report_leaks(void);

/**
 * shim_slab_obj_live() - May the model access the slab object at @p?
 * @p: the start of a kmalloc()/kmem_cache_alloc() object (other pointers
 *     are not judged: true)
 * @site: "file:line" of the access
 *
 * KASAN's generic use-after-free check for any slab object: a freed
 * object (header magic FREE, still in the quarantine) is reported as
 * SHIM_REPORT_SLAB "use-after-free of N-byte object allocated at X, freed
 * at Y, accessed at Z" and the caller must skip the access, so ASan and
 * plain builds both report instead of crashing.  Objects of
 * SLAB_TYPESAFE_BY_RCU caches may be read after free (true).  A block
 * that already left the quarantine cannot be told from foreign memory
 * (true; ASan then flags the access itself).
 *
 * Context: any; does not sleep.
 * Return: false if @p is a freed object (reported), else true.
 */
bool shim_slab_obj_live(const void *p, const char *site);

/**
 * shim_slab_fail_after() - Make the @n-th next allocation fail, once.
 * @n: 1 fails the very next allocation; 0 cancels.
 *
 * Counts every allocation that asks shim_alloc_should_fail() (slab and the
 * model's folio allocator), in the current context.
 * Context: any.
 */
void shim_slab_fail_after(long n);

/**
 * shim_fault_inject_enable() - Let the scheduler fail allocations.
 * @on: in controlled mode, ask shim_sched->decide(SHIM_DECIDE_ALLOC_FAIL)
 *	for every allocation that may fail.
 *
 * Context: any; per slab context.
 */
void shim_fault_inject_enable(bool on);

/**
 * shim_alloc_should_fail() - Should this allocation fail?  THE one place.
 * @gfp: the allocation's flags (__GFP_NOFAIL never fails).
 * @site: "file:line" of the allocation.
 *
 * Every allocator in the model calls this before allocating.  Honours the
 * countdown, then in controlled mode with fault injection enabled draws the
 * answer from the scheduler's decision stream.
 *
 * Context: any; does not sleep.
 * Return: true if the caller must fail the allocation.
 */
bool shim_alloc_should_fail(gfp_t gfp, const char *site);

#endif /* SHIM_SLAB_H */
