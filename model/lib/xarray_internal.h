/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Private to model/lib/xarray*.c: entry encoding of internal entries, node
 * mark bitmaps and the lookup walk shared by the store and search halves.
 * Models the static helpers of lib/xarray.c and include/linux/xarray.h.
 */
#ifndef _MODEL_LIB_XARRAY_INTERNAL_H
#define _MODEL_LIB_XARRAY_INTERNAL_H

#include <linux/xarray.h>
#include <linux/lockdep.h>
#include <shim/sched.h>

/* Shift of the topmost possible node: its slots cover the whole index space. */
#define XA_TOP_SHIFT	(((BITS_PER_LONG - 1) / XA_CHUNK_SHIFT) * XA_CHUNK_SHIFT)
/* Most nodes one store can need: one per level. */
#define XA_MAX_LEVELS	(XA_TOP_SHIFT / XA_CHUNK_SHIFT + 1)

/* ---- entries ---- */

static inline void *xa_slot_get(void *const *slot)
{
	return __atomic_load_n(slot, __ATOMIC_ACQUIRE);
}

static inline void xa_slot_set(void **slot, void *entry)
{
	__atomic_store_n(slot, entry, __ATOMIC_RELEASE);
}

static inline bool xa_is_node(const void *entry)
{
	return xa_is_internal(entry) && (unsigned long)entry > 4096;
}

static inline struct xa_node *xa_to_node(const void *entry)
{
	return (struct xa_node *)((unsigned long)entry - 2);
}

static inline void *xa_mk_node(const struct xa_node *node)
{
	return (void *)((unsigned long)node | 2);
}

static inline void *xa_mk_sibling(unsigned int offset)
{
	return xa_mk_internal(offset);
}

static inline unsigned int xa_to_sibling(const void *entry)
{
	return xa_to_internal(entry);
}

static inline bool xa_is_sibling(const void *entry)
{
	return xa_is_internal(entry) &&
		(unsigned long)entry < (unsigned long)xa_mk_sibling(XA_CHUNK_SIZE - 1);
}

/* Entries callers may store with xa_store()/xa_cmpxchg()/xa_insert(). */
static inline bool xa_bad_entry(const void *entry)
{
	return xa_is_internal(entry) && !xa_is_zero(entry);
}

static inline void *xa_zero_to_null(void *entry)
{
	return xa_is_zero(entry) ? NULL : entry;
}

/* Highest index under a node of @shift (all ones when it covers everything). */
static inline unsigned long xa_node_span_mask(unsigned int shift)
{
	if (shift + XA_CHUNK_SHIFT >= BITS_PER_LONG)
		return ULONG_MAX;
	return (XA_CHUNK_SIZE << shift) - 1;
}

/* Last usable slot of a node of @shift (the top node may be partly used). */
static inline unsigned int xa_node_last_offset(unsigned int shift)
{
	if (shift + XA_CHUNK_SHIFT > BITS_PER_LONG)
		return ULONG_MAX >> shift;
	return XA_CHUNK_MASK;
}

/* ---- marks ---- */

static inline bool node_get_mark(const struct xa_node *node, unsigned int offset,
				 xa_mark_t mark)
{
	return (node->marks[mark][offset / BITS_PER_LONG] >> (offset % BITS_PER_LONG)) & 1;
}

static inline void node_set_mark(struct xa_node *node, unsigned int offset,
				 xa_mark_t mark)
{
	node->marks[mark][offset / BITS_PER_LONG] |= 1UL << (offset % BITS_PER_LONG);
}

static inline void node_clear_mark(struct xa_node *node, unsigned int offset,
				   xa_mark_t mark)
{
	node->marks[mark][offset / BITS_PER_LONG] &= ~(1UL << (offset % BITS_PER_LONG));
}

static inline bool node_any_mark(const struct xa_node *node, xa_mark_t mark)
{
	unsigned int i;

	for (i = 0; i < XA_MARK_LONGS; i++)
		if (node->marks[mark][i])
			return true;
	return false;
}

/* First slot >= @offset of @node with @mark set, or XA_CHUNK_SIZE. */
static inline unsigned int node_next_mark(const struct xa_node *node, unsigned int offset,
				   xa_mark_t mark)
{
	while (offset < XA_CHUNK_SIZE) {
		unsigned long word = node->marks[mark][offset / BITS_PER_LONG];

		word >>= offset % BITS_PER_LONG;
		if (word)
			return offset + __builtin_ctzl(word);
		offset = (offset / BITS_PER_LONG + 1) * BITS_PER_LONG;
	}
	return XA_CHUNK_SIZE;
}

/*
 * Free-running mode has real concurrency and no RCU: a lockless reader could
 * walk a node a writer is freeing, so readers take xa_lock unless the caller
 * already holds it.  Controlled mode runs one model thread at a time and the
 * walk has no scheduling point, so it stays lockless like the kernel's.
 */
static inline bool xa_read_lock(struct xarray *xa)
{
	if (shim_sched || lockdep_is_held(&xa->xa_lock))
		return false;
	xa_lock(xa);
	return true;
}

static inline void xa_read_unlock(struct xarray *xa, bool locked)
{
	if (locked)
		xa_unlock(xa);
}

/* Slots taken by the entry whose canonical slot is @offset. */
static inline unsigned int xa_extent(const struct xa_node *node, unsigned int offset)
{
	unsigned int end = offset + 1;

	while (end < XA_CHUNK_SIZE &&
	       xa_slot_get(&node->slots[end]) == xa_mk_sibling(offset))
		end++;
	return end - offset;
}


/* ---- shared by xarray.c, xarray_api.c and xarray_find.c ---- */

static inline void xa_mark_set(struct xarray *xa, xa_mark_t mark)
{
	__atomic_fetch_or(&xa->xa_flags, XA_FLAGS_MARK(mark), __ATOMIC_RELAXED);
}

static inline void xa_mark_clear(struct xarray *xa, xa_mark_t mark)
{
	__atomic_fetch_and(&xa->xa_flags, ~XA_FLAGS_MARK(mark), __ATOMIC_RELAXED);
}

static inline gfp_t xa_lock_flags(const struct xarray *xa)
{
	/* The mark bits of xa_flags change under xa_lock; these bits never. */
	return __atomic_load_n(&xa->xa_flags, __ATOMIC_RELAXED) &
		(XA_FLAGS_LOCK_IRQ | XA_FLAGS_LOCK_BH);
}

/*
 * A block to store: [index, index + (nslots << shift)), i.e. @nslots slots of
 * a node of @shift.  Built from an aligned order by xa_block().
 */
struct xa_block {
	unsigned long index;
	unsigned long last;
	unsigned int shift;
	unsigned int nslots;
};

struct xa_prealloc {
	unsigned int nr;
	struct xa_node *nodes[2 * XA_MAX_LEVELS + 1];	/* new tops + new path */
};

/**
 * xa_walk() - Find the entry covering an index.
 * @xa: XArray.
 * @index: Index into array.
 * @nodep: Set to the node of the entry's canonical slot (NULL: xa_head).
 * @offp: Set to the canonical slot.
 *
 * Context: xa_lock held, or a reader as described in <linux/xarray.h>.
 * Return: The entry, raw (zero entries included, never a node or sibling).
 */
void *xa_walk(const struct xarray *xa, unsigned long index,
	      struct xa_node **nodep, unsigned int *offp);

/**
 * xa_lock_type() - Take xa_lock the way xa_init_flags() asked for.
 * @xa: XArray.
 *
 * Context: May block on xa_lock.
 */
void xa_lock_type(struct xarray *xa);

/**
 * xa_unlock_type() - Release xa_lock taken by xa_lock_type().
 * @xa: XArray.
 *
 * Context: xa_lock held.
 */
void xa_unlock_type(struct xarray *xa);

/**
 * xa_mark_propagate() - Make @node's ancestors and xa_flags agree about @mark.
 * @xa: XArray.
 * @node: Node whose mark bits just changed.
 * @mark: Mark number.
 *
 * Context: xa_lock held.
 */
void xa_mark_propagate(struct xarray *xa, struct xa_node *node, xa_mark_t mark);

/**
 * xa_marks_clear_all() - Clear every array-wide mark bit of xa_flags.
 * @xa: XArray.
 *
 * Context: xa_lock held.
 */
void xa_marks_clear_all(struct xarray *xa);

/**
 * xa_free_subtree() - Free @node and every node below it.
 * @node: Node already unlinked from its array.
 *
 * Context: xa_lock held, or the array is private to the caller.
 */
void xa_free_subtree(struct xa_node *node);

/**
 * xa_block() - Describe the aligned block of @order at @index.
 * @b: Filled in.
 * @index: First index (aligned to @order by the caller).
 * @order: 0..BITS_PER_LONG.
 *
 * Context: Any.
 */
void xa_block(struct xa_block *b, unsigned long index, unsigned int order);

/**
 * xa_prealloc() - Top up @pre to what storing @entry over @b needs now.
 * @xa: XArray.
 * @b: Block to be stored.
 * @entry: Entry to be stored (NULL needs no node).
 * @pre: Nodes held for the store.
 * @gfp: Caller's allocation flags.
 *
 * Context: xa_lock held; dropped and retaken around the allocation when @gfp
 * may sleep.
 * Return: 0 when @pre holds enough, 1 when xa_lock was dropped (look at the
 * tree again), -ENOMEM.
 */
int xa_prealloc(struct xarray *xa, const struct xa_block *b, void *entry,
		struct xa_prealloc *pre, gfp_t gfp);

/**
 * xa_free_prealloc() - Free the nodes a store did not use.
 * @pre: Nodes held.
 *
 * Context: Any.
 */
void xa_free_prealloc(struct xa_prealloc *pre);

/**
 * xa_store_block() - Store @entry over block @b; cannot fail.
 * @xa: XArray.
 * @b: Block.
 * @entry: Entry (NULL erases every entry meeting @b).
 * @pre: Nodes from xa_prealloc(), enough for this store.
 *
 * Context: xa_lock held.
 * Return: The previous entry at @b->index, raw (NULL where a subtree was).
 */
void *xa_store_block(struct xarray *xa, const struct xa_block *b, void *entry,
		     struct xa_prealloc *pre);

/**
 * __xa_store_order() - Store @entry over the aligned block of @order at @index.
 * @xa: XArray.
 * @index: First index of the block.
 * @order: 0..BITS_PER_LONG.
 * @entry: Entry (NULL erases).
 * @gfp: Caller's allocation flags.
 *
 * Context: xa_lock held; may be dropped and retaken as for xa_prealloc().
 * Return: As xa_store_block(), or XA_ERROR(-ENOMEM) with nothing changed.
 */
void *__xa_store_order(struct xarray *xa, unsigned long index,
		       unsigned int order, void *entry, gfp_t gfp);

#endif /* _MODEL_LIB_XARRAY_INTERNAL_H */
