/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The model xarray: a radix tree of 2^XA_CHUNK_SHIFT-slot nodes with internal,
 * value, zero (reserved) and sibling (multi-index) entries and three marks.
 *
 * Models include/linux/xarray.h (Linux 6.x; the normal API is unchanged in
 * 7.x): API names, argument order and entry encoding are the kernel's.
 * Implementation in model/lib/xarray.c and xarray_find.c.  Differences from
 * the kernel, all deliberate:
 *   - no xa_state (xas_*) API and no XA_FLAGS_ALLOC / xa_alloc;
 *   - xa_store_range() covers [first, last] with the fewest aligned
 *     power-of-two multi-index entries (the kernel uses per-node runs of
 *     siblings that need not be power-of-two sized);
 *   - storing a small multi-index entry inside a larger one replaces the
 *     larger entry as a whole at every level (the kernel does so when both
 *     live in the same node; across levels its result is unspecified);
 *   - xa_find() with a mark filter leaves *indexp alone when the entry found
 *     covers it (as the kernel's XA_PRESENT search does); xa_find_after()
 *     never returns an entry that begins at or before *indexp;
 *   - nodes are allocated with the caller's gfp before the tree changes, with
 *     xa_lock dropped when gfp may sleep (the kernel first tries GFP_NOWAIT
 *     under the lock and drops it only when that fails), so one injected
 *     allocation failure makes the store fail with -ENOMEM and leaves the
 *     array exactly as it was;
 *   - readers (xa_load, xa_get_mark, xa_get_order, xa_find*) take xa_lock in
 *     free-running mode unless the caller holds it: there is no RCU here and
 *     a lockless reader could walk a node that a writer frees.  In controlled
 *     mode (shim_sched != NULL) they are lockless, as in the kernel.
 * Extras for tests and the model: xa_store_order() (the kernel's test helper
 * of that name), xa_extract(), xa_nr_nodes(), xa_check().
 */
#ifndef _LINUX_XARRAY_H
#define _LINUX_XARRAY_H

#include <linux/types.h>
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/spinlock.h>
#include <linux/gfp.h>
#include <linux/err.h>
#include <linux/bug.h>
#include <limits.h>
#include <stdbool.h>

/*
 * The top-level CMake passes XA_CHUNK_SHIFT globally; a test that wants a
 * different shift defines XA_CHUNK_SHIFT_OVERRIDE (a redefinition of
 * XA_CHUNK_SHIFT on the command line would be a -Werror warning).
 */
#ifdef XA_CHUNK_SHIFT_OVERRIDE
#undef XA_CHUNK_SHIFT
#define XA_CHUNK_SHIFT XA_CHUNK_SHIFT_OVERRIDE
#endif
#ifndef XA_CHUNK_SHIFT
#define XA_CHUNK_SHIFT 6
#endif
#if XA_CHUNK_SHIFT < 1 || XA_CHUNK_SHIFT > 7
#error "XA_CHUNK_SHIFT must be 1..7 (node counts are unsigned char)"
#endif

#define XA_CHUNK_SIZE		(1UL << XA_CHUNK_SHIFT)
#define XA_CHUNK_MASK		(XA_CHUNK_SIZE - 1)
#define XA_MAX_MARKS		3
#define XA_MARK_LONGS		((XA_CHUNK_SIZE + BITS_PER_LONG - 1) / BITS_PER_LONG)

/* ---- entry encoding (bit-compatible with the kernel) ---- */

/**
 * xa_mk_value() - Create an XArray entry from an integer.
 * @v: Value to store in XArray (at most LONG_MAX).
 *
 * Context: Any context.
 * Return: An entry suitable for storing in the XArray.
 */
static inline void *xa_mk_value(unsigned long v)
{
	WARN_ON((long)v < 0);
	return (void *)((v << 1) | 1);
}

/**
 * xa_to_value() - Get value stored in an XArray entry.
 * @entry: XArray entry.
 *
 * Context: Any context.
 * Return: The value stored in the XArray entry.
 */
static inline unsigned long xa_to_value(const void *entry)
{
	return (unsigned long)entry >> 1;
}

/**
 * xa_is_value() - Determine if an entry is a value.
 * @entry: XArray entry.
 *
 * Context: Any context.
 * Return: True if the entry is a value, false if it is a pointer.
 */
static inline bool xa_is_value(const void *entry)
{
	return (unsigned long)entry & 1;
}

/* Internal entries: bottom two bits 10.  Not for users to store. */
static inline void *xa_mk_internal(unsigned long v)
{
	return (void *)((v << 2) | 2);
}

static inline unsigned long xa_to_internal(const void *entry)
{
	return (unsigned long)entry >> 2;
}

static inline bool xa_is_internal(const void *entry)
{
	return ((unsigned long)entry & 3) == 2;
}

/* Reserved entry: xa_load() sees NULL, xa_insert() sees it as occupied. */
#define XA_ZERO_ENTRY		xa_mk_internal(257)
/* Kernel readers retry on this; the model never stores it, kept for ports. */
#define XA_RETRY_ENTRY		xa_mk_internal(256)

/**
 * xa_is_zero() - Is the entry a zero entry?
 * @entry: Entry retrieved from the XArray.
 *
 * Context: Any context.
 * Return: %true if the entry is a zero entry.
 */
static inline bool xa_is_zero(const void *entry)
{
	return entry == XA_ZERO_ENTRY;
}

/**
 * xa_is_err() - Report whether an XArray operation returned an error.
 * @entry: Result from calling an XArray function.
 *
 * Context: Any context.
 * Return: %true if the entry indicates an error.
 */
static inline bool xa_is_err(const void *entry)
{
	return xa_is_internal(entry) &&
		(unsigned long)entry >= (unsigned long)xa_mk_internal(-MAX_ERRNO);
}

/**
 * xa_err() - Turn an XArray result into an errno.
 * @entry: Result from calling an XArray function.
 *
 * Context: Any context.
 * Return: A negative errno, or 0 if @entry is not an error.
 */
static inline int xa_err(void *entry)
{
	if (xa_is_err(entry))
		return (long)entry >> 2;
	return 0;
}

/* An error as an entry: XA_ERROR(-ENOMEM). */
#define XA_ERROR(errno)		((struct xa_node *)(((unsigned long)(errno) << 2) | 2UL))

/* ---- marks and flags ---- */

typedef unsigned int xa_mark_t;
#define XA_MARK_0		((xa_mark_t)0U)
#define XA_MARK_1		((xa_mark_t)1U)
#define XA_MARK_2		((xa_mark_t)2U)
#define XA_PRESENT		((xa_mark_t)8U)
#define XA_MARK_MAX		XA_MARK_2

/* Which xa_lock flavour the API takes (the shims make them all one). */
#define XA_FLAGS_LOCK_IRQ	((gfp_t)1U)
#define XA_FLAGS_LOCK_BH	((gfp_t)2U)
/* Accepted and ignored: there is no xa_alloc() in the model. */
#define XA_FLAGS_TRACK_FREE	((gfp_t)4U)
#define XA_FLAGS_ZERO_BUSY	((gfp_t)8U)
#define XA_FLAGS_ALLOC_WRAPPED	((gfp_t)16U)
#define XA_FLAGS_ACCOUNT	((gfp_t)32U)
/* Bits 10..12 record which marks are set anywhere in the array. */
#define XA_FLAGS_MARK(mark)	((gfp_t)((1U << 10) << (unsigned)(mark)))

/* ---- structures ---- */

/*
 * One node: 2^XA_CHUNK_SHIFT slots plus per-slot mark bitmaps.  At shift 6
 * this is 560 bytes (the kernel's is 576 with its RCU/list head), i.e. 8.75
 * bytes of node per entry in a full leaf.
 */
struct xa_node {
	unsigned char	shift;		/* bits of index each slot covers */
	unsigned char	offset;		/* slot of this node in its parent */
	unsigned char	count;		/* non-NULL slots, siblings included */
	unsigned char	nr_values;	/* value entries among them */
	struct xa_node	*parent;	/* NULL at the top */
	struct xarray	*array;		/* owner, for xa_dump and checks */
	void		*slots[XA_CHUNK_SIZE];
	unsigned long	marks[XA_MAX_MARKS][XA_MARK_LONGS];
};

/**
 * struct xarray - The anchor of the XArray.
 * @xa_lock: Lock that protects the contents of the XArray.
 * @xa_flags: XA_FLAGS_* (lock class, marks in use).
 * @xa_head: NULL, a single entry for index 0, or a node (internal entry).
 */
struct xarray {
	spinlock_t	xa_lock;
	gfp_t		xa_flags;
	void		*xa_head;
};

#define XARRAY_INIT(name, flags) {					\
	.xa_lock = __SPIN_LOCK_UNLOCKED(name.xa_lock),			\
	.xa_flags = flags,						\
	.xa_head = NULL,						\
}

#define DEFINE_XARRAY_FLAGS(name, flags)				\
	struct xarray name = XARRAY_INIT(name, flags)
#define DEFINE_XARRAY(name)	DEFINE_XARRAY_FLAGS(name, 0)

/**
 * xa_init_flags() - Initialise an empty XArray with flags.
 * @xa: XArray.
 * @flags: XA_FLAGS values.
 *
 * Context: Any context.
 */
static inline void xa_init_flags(struct xarray *xa, gfp_t flags)
{
	spin_lock_init(&xa->xa_lock);
	xa->xa_flags = flags;
	xa->xa_head = NULL;
}

/**
 * xa_init() - Initialise an empty XArray.
 * @xa: XArray.
 *
 * Context: Any context.
 */
static inline void xa_init(struct xarray *xa)
{
	xa_init_flags(xa, 0);
}

/**
 * xa_empty() - Determine if an array has any present entries.
 * @xa: XArray.
 *
 * Context: Any context.
 * Return: %true if the array contains only NULL pointers.
 */
static inline bool xa_empty(const struct xarray *xa)
{
	return __atomic_load_n(&xa->xa_head, __ATOMIC_ACQUIRE) == NULL;
}

/**
 * xa_marked() - Inquire whether any entry in this array has a mark set
 * @xa: Array
 * @mark: Mark value
 *
 * Context: Any context.
 * Return: %true if any entry has this mark set.
 */
static inline bool xa_marked(const struct xarray *xa, xa_mark_t mark)
{
	return __atomic_load_n(&xa->xa_flags, __ATOMIC_RELAXED) & XA_FLAGS_MARK(mark);
}

/* ---- locking ---- */

#define xa_trylock(xa)		spin_trylock(&(xa)->xa_lock)
#define xa_lock(xa)		spin_lock(&(xa)->xa_lock)
#define xa_unlock(xa)		spin_unlock(&(xa)->xa_lock)
#define xa_lock_bh(xa)		spin_lock_bh(&(xa)->xa_lock)
#define xa_unlock_bh(xa)	spin_unlock_bh(&(xa)->xa_lock)
#define xa_lock_irq(xa)		spin_lock_irq(&(xa)->xa_lock)
#define xa_unlock_irq(xa)	spin_unlock_irq(&(xa)->xa_lock)
#define xa_lock_irqsave(xa, flags) \
				spin_lock_irqsave(&(xa)->xa_lock, flags)
#define xa_unlock_irqrestore(xa, flags) \
				spin_unlock_irqrestore(&(xa)->xa_lock, flags)

/* ---- normal API: takes xa_lock itself (xa_load: see top of file) ---- */

void *xa_load(struct xarray *xa, unsigned long index);
void *xa_store(struct xarray *xa, unsigned long index, void *entry, gfp_t gfp);
void *xa_erase(struct xarray *xa, unsigned long index);
void *xa_cmpxchg(struct xarray *xa, unsigned long index, void *old,
		 void *entry, gfp_t gfp);
int xa_insert(struct xarray *xa, unsigned long index, void *entry, gfp_t gfp);
void *xa_store_range(struct xarray *xa, unsigned long first,
		     unsigned long last, void *entry, gfp_t gfp);
void *xa_store_order(struct xarray *xa, unsigned long index, unsigned int order,
		     void *entry, gfp_t gfp);
int xa_get_order(struct xarray *xa, unsigned long index);
bool xa_get_mark(struct xarray *xa, unsigned long index, xa_mark_t mark);
void xa_set_mark(struct xarray *xa, unsigned long index, xa_mark_t mark);
void xa_clear_mark(struct xarray *xa, unsigned long index, xa_mark_t mark);
void *xa_find(struct xarray *xa, unsigned long *indexp, unsigned long max,
	      xa_mark_t filter);
void *xa_find_after(struct xarray *xa, unsigned long *indexp,
		    unsigned long max, xa_mark_t filter);
unsigned int xa_extract(struct xarray *xa, void **dst, unsigned long start,
			unsigned long max, unsigned int n, xa_mark_t filter);
void xa_destroy(struct xarray *xa);
void xa_dump(const struct xarray *xa);

/* ---- advanced API: caller holds xa_lock ---- */

void *__xa_store(struct xarray *xa, unsigned long index, void *entry, gfp_t gfp);
void *__xa_erase(struct xarray *xa, unsigned long index);
void *__xa_cmpxchg(struct xarray *xa, unsigned long index, void *old,
		   void *entry, gfp_t gfp);
int __xa_insert(struct xarray *xa, unsigned long index, void *entry, gfp_t gfp);
/* xa_store_range() with xa_lock held (added for the KVM attributes store). */
void *__xa_store_range(struct xarray *xa, unsigned long first,
		       unsigned long last, void *entry, gfp_t gfp);
void __xa_set_mark(struct xarray *xa, unsigned long index, xa_mark_t mark);
void __xa_clear_mark(struct xarray *xa, unsigned long index, xa_mark_t mark);

/* Tests and benches: nodes currently allocated; structural self-check. */
unsigned long xa_nr_nodes(const struct xarray *xa);
bool xa_check(const struct xarray *xa);

/**
 * xa_reserve() - Reserve this index in the XArray.
 * @xa: XArray.
 * @index: Index into array.
 * @gfp: Memory allocation flags.
 *
 * Stores XA_ZERO_ENTRY if the index is empty: xa_load() still returns NULL
 * but xa_insert() fails with -EBUSY.  Release with xa_release().
 *
 * Context: Takes and releases xa_lock.  May sleep if @gfp allows.
 * Return: 0 if the reservation succeeded (or the index was already used),
 * -ENOMEM if memory could not be allocated.
 */
static inline int xa_reserve(struct xarray *xa, unsigned long index, gfp_t gfp)
{
	return xa_err(xa_cmpxchg(xa, index, NULL, XA_ZERO_ENTRY, gfp));
}

/**
 * xa_release() - Release a reserved entry.
 * @xa: XArray.
 * @index: Index of entry.
 *
 * Does nothing if the index holds anything but a reservation.
 *
 * Context: Takes and releases xa_lock.
 */
static inline void xa_release(struct xarray *xa, unsigned long index)
{
	xa_cmpxchg(xa, index, XA_ZERO_ENTRY, NULL, 0);
}

/* ---- iteration ---- */

/*
 * Each present entry in [start, last] once; a multi-index entry is visited
 * once, at @start if it covers @start, else at its first index.
 */
#define xa_for_each_range(xa, index, entry, start, last)		\
	for (index = start,						\
	     entry = xa_find(xa, &index, last, XA_PRESENT);		\
	     entry;							\
	     entry = xa_find_after(xa, &index, last, XA_PRESENT))

#define xa_for_each_start(xa, index, entry, start)			\
	xa_for_each_range(xa, index, entry, start, ULONG_MAX)

#define xa_for_each(xa, index, entry)					\
	xa_for_each_start(xa, index, entry, 0)

#define xa_for_each_marked(xa, index, entry, filter)			\
	for (index = 0, entry = xa_find(xa, &index, ULONG_MAX, filter);	\
	     entry; entry = xa_find_after(xa, &index, ULONG_MAX, filter))

#endif /* _LINUX_XARRAY_H */
