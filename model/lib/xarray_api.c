// SPDX-License-Identifier: GPL-2.0
/*
 * Models the normal and locked (__xa_*) API of lib/xarray.c (Linux 6.x):
 * store, erase, cmpxchg, insert, ranges, marks and xa_destroy(), as thin
 * layers over the tree engine in xarray.c.  Written afresh for gmemsim.
 */
#include "xarray_internal.h"
#include <linux/slab.h>

/**
 * __xa_store() - Store this entry in the XArray.
 * @xa: XArray.
 * @index: Index into array.
 * @entry: New entry (NULL erases).
 * @gfp: Memory allocation flags.
 *
 * Storing at any index of a multi-index entry replaces that whole entry.
 *
 * Context: Any context.  Expects xa_lock to be held on entry.  May release
 * and reacquire xa_lock if @gfp flags permit.
 * Return: The old entry at this index or xa_err() of -EINVAL (internal
 * entry) or -ENOMEM.
 */
void *__xa_store(struct xarray *xa, unsigned long index, void *entry, gfp_t gfp)
{
	lockdep_assert_held(&xa->xa_lock);
	if (WARN_ON_ONCE(xa_bad_entry(entry)))
		return XA_ERROR(-EINVAL);
	return xa_zero_to_null(__xa_store_order(xa, index, 0, entry, gfp));
}

/**
 * xa_store() - Store this entry in the XArray.
 * @xa: XArray.
 * @index: Index into array.
 * @entry: New entry (NULL erases).
 * @gfp: Memory allocation flags.
 *
 * Context: Any context.  Takes and releases xa_lock.  May sleep if @gfp
 * flags permit.
 * Return: The old entry at this index or an xa_err() entry on failure.
 */
void *xa_store(struct xarray *xa, unsigned long index, void *entry, gfp_t gfp)
{
	void *curr;

	xa_lock_type(xa);
	curr = __xa_store(xa, index, entry, gfp);
	xa_unlock_type(xa);
	return curr;
}

/**
 * xa_store_order() - Store a multi-index entry of order @order.
 * @xa: XArray.
 * @index: Any index in the aligned block (it is rounded down).
 * @order: log2 of the number of indices, 0..BITS_PER_LONG.
 * @entry: New entry (NULL erases every entry meeting the block).
 * @gfp: Memory allocation flags.
 *
 * Like the kernel's xas_set_order() + xas_store().  An entry already covering
 * more than the block is replaced as a whole.
 *
 * Context: Takes and releases xa_lock.  May sleep if @gfp flags permit.
 * Return: The previous entry at the block's first index (NULL if it held
 * smaller entries), or an xa_err() entry (-EINVAL, -ENOMEM).
 */
void *xa_store_order(struct xarray *xa, unsigned long index, unsigned int order,
		     void *entry, gfp_t gfp)
{
	void *curr;

	if (WARN_ON_ONCE(xa_bad_entry(entry) || order > BITS_PER_LONG))
		return XA_ERROR(-EINVAL);
	if (order < BITS_PER_LONG)
		index &= ~((1UL << order) - 1);
	else
		index = 0;
	xa_lock_type(xa);
	curr = xa_zero_to_null(__xa_store_order(xa, index, order, entry, gfp));
	xa_unlock_type(xa);
	return curr;
}

/**
 * xa_store_range() - Store this entry at a range of indices in the XArray.
 * @xa: XArray.
 * @first: First index to affect.
 * @last: Last index to affect.
 * @entry: New entry (NULL erases).
 * @gfp: Memory allocation flags.
 *
 * Covers [@first, @last] with the fewest aligned power-of-two multi-index
 * entries, each of them @entry.  Every existing entry that meets the range is
 * replaced as a whole (an entry larger than a piece takes @entry over its
 * whole extent).  On failure the pieces already stored stay.
 *
 * Context: Takes and releases xa_lock.  May sleep if @gfp flags permit.
 * Return: NULL, or an xa_err() entry: -EINVAL (internal @entry or
 * @last < @first), -ENOMEM.
 */
void *xa_store_range(struct xarray *xa, unsigned long first, unsigned long last,
		     void *entry, gfp_t gfp)
{
	void *curr;

	xa_lock_type(xa);
	curr = __xa_store_range(xa, first, last, entry, gfp);
	xa_unlock_type(xa);
	return curr;
}

/**
 * __xa_erase() - Erase this entry from the XArray while locked.
 * @xa: XArray.
 * @index: Index into array.
 *
 * Erasing any index of a multi-index entry erases the whole entry.
 *
 * Context: Any context.  Expects xa_lock to be held on entry.
 * Return: The entry which used to be at this index.
 */
void *__xa_erase(struct xarray *xa, unsigned long index)
{
	lockdep_assert_held(&xa->xa_lock);
	return xa_zero_to_null(__xa_store_order(xa, index, 0, NULL, 0));
}

/**
 * xa_erase() - Erase this entry from the XArray.
 * @xa: XArray.
 * @index: Index of entry.
 *
 * Context: Any context.  Takes and releases xa_lock.
 * Return: The entry which used to be at this index.
 */
void *xa_erase(struct xarray *xa, unsigned long index)
{
	void *entry;

	xa_lock_type(xa);
	entry = __xa_erase(xa, index);
	xa_unlock_type(xa);
	return entry;
}

/**
 * __xa_cmpxchg() - Conditionally replace an entry while locked.
 * @xa: XArray.
 * @index: Index into array.
 * @old: Old value to test against (XA_ZERO_ENTRY matches a reservation).
 * @entry: New value to place in array (NULL erases).
 * @gfp: Memory allocation flags.
 *
 * Context: Any context.  Expects xa_lock to be held on entry.  May release
 * and reacquire xa_lock if @gfp flags permit.
 * Return: The old entry at this index (NULL for a reservation) or an
 * xa_err() entry on failure.
 */
void *__xa_cmpxchg(struct xarray *xa, unsigned long index, void *old,
		   void *entry, gfp_t gfp)
{
	struct xa_prealloc pre = { .nr = 0 };
	struct xa_block b;
	struct xa_node *node;
	unsigned int offset;
	void *curr;
	int err;

	lockdep_assert_held(&xa->xa_lock);
	if (WARN_ON_ONCE(xa_bad_entry(entry)))
		return XA_ERROR(-EINVAL);
	xa_block(&b, index, 0);
	for (;;) {
		curr = xa_walk(xa, index, &node, &offset);
		if (curr != old)
			break;
		err = xa_prealloc(xa, &b, entry, &pre, gfp);
		if (err > 0)
			continue;	/* the lock was dropped: compare again */
		if (err)
			curr = XA_ERROR(err);
		else
			xa_store_block(xa, &b, entry, &pre);
		break;
	}
	xa_free_prealloc(&pre);
	return xa_zero_to_null(curr);
}

/**
 * xa_cmpxchg() - Conditionally replace an entry in the XArray.
 * @xa: XArray.
 * @index: Index into array.
 * @old: Old value to test against.
 * @entry: New value to place in array.
 * @gfp: Memory allocation flags.
 *
 * Context: Any context.  Takes and releases xa_lock.  May sleep if @gfp
 * flags permit.
 * Return: The old value at this index or an xa_err() entry on failure.
 */
void *xa_cmpxchg(struct xarray *xa, unsigned long index, void *old,
		 void *entry, gfp_t gfp)
{
	void *curr;

	xa_lock_type(xa);
	curr = __xa_cmpxchg(xa, index, old, entry, gfp);
	xa_unlock_type(xa);
	return curr;
}

/**
 * __xa_insert() - Store this entry in the XArray if no entry is present.
 * @xa: XArray.
 * @index: Index into array.
 * @entry: New entry (NULL reserves the index).
 * @gfp: Memory allocation flags.
 *
 * Context: Any context.  Expects xa_lock to be held on entry.  May release
 * and reacquire xa_lock if @gfp flags permit.
 * Return: 0 if the store succeeded.  -EBUSY if another entry (a reservation
 * included) was present.  -ENOMEM if memory could not be allocated.
 * -EINVAL for an internal @entry.
 */
int __xa_insert(struct xarray *xa, unsigned long index, void *entry, gfp_t gfp)
{
	struct xa_prealloc pre = { .nr = 0 };
	struct xa_block b;
	struct xa_node *node;
	unsigned int offset;
	int err;

	lockdep_assert_held(&xa->xa_lock);
	if (WARN_ON_ONCE(xa_bad_entry(entry)))
		return -EINVAL;
	if (!entry)
		entry = XA_ZERO_ENTRY;
	xa_block(&b, index, 0);
	for (;;) {
		if (xa_walk(xa, index, &node, &offset)) {
			err = -EBUSY;
			break;
		}
		err = xa_prealloc(xa, &b, entry, &pre, gfp);
		if (err > 0)
			continue;
		if (!err)
			xa_store_block(xa, &b, entry, &pre);
		break;
	}
	xa_free_prealloc(&pre);
	return err;
}

/**
 * xa_insert() - Store this entry in the XArray unless another entry is present.
 * @xa: XArray.
 * @index: Index into array.
 * @entry: New entry.
 * @gfp: Memory allocation flags.
 *
 * Context: Any context.  Takes and releases xa_lock.  May sleep if @gfp
 * flags permit.
 * Return: 0, -EBUSY, -ENOMEM or -EINVAL as __xa_insert().
 */
int xa_insert(struct xarray *xa, unsigned long index, void *entry, gfp_t gfp)
{
	int err;

	xa_lock_type(xa);
	err = __xa_insert(xa, index, entry, gfp);
	xa_unlock_type(xa);
	return err;
}

/* ---- marks API ---- */

/**
 * __xa_set_mark() - Set this mark on this entry while locked.
 * @xa: XArray.
 * @index: Index of entry (any index of a multi-index entry).
 * @mark: Mark number.
 *
 * Attempting to set a mark on a %NULL entry does not succeed.
 *
 * Context: Any context.  Expects xa_lock to be held on entry.
 */
void __xa_set_mark(struct xarray *xa, unsigned long index, xa_mark_t mark)
{
	struct xa_node *node;
	unsigned int offset;

	lockdep_assert_held(&xa->xa_lock);
	if (WARN_ON_ONCE(mark > XA_MARK_MAX))
		return;
	if (!xa_walk(xa, index, &node, &offset))
		return;
	if (!node) {
		xa_mark_set(xa, mark);
		return;
	}
	if (node_get_mark(node, offset, mark))
		return;
	node_set_mark(node, offset, mark);
	xa_mark_propagate(xa, node, mark);
}

/**
 * __xa_clear_mark() - Clear this mark on this entry while locked.
 * @xa: XArray.
 * @index: Index of entry (any index of a multi-index entry).
 * @mark: Mark number.
 *
 * Context: Any context.  Expects xa_lock to be held on entry.
 */
void __xa_clear_mark(struct xarray *xa, unsigned long index, xa_mark_t mark)
{
	struct xa_node *node;
	unsigned int offset;

	lockdep_assert_held(&xa->xa_lock);
	if (WARN_ON_ONCE(mark > XA_MARK_MAX))
		return;
	if (!xa_walk(xa, index, &node, &offset))
		return;
	if (!node) {
		xa_mark_clear(xa, mark);
		return;
	}
	if (!node_get_mark(node, offset, mark))
		return;
	node_clear_mark(node, offset, mark);
	xa_mark_propagate(xa, node, mark);
}

/**
 * xa_set_mark() - Set this mark on this entry.
 * @xa: XArray.
 * @index: Index of entry.
 * @mark: Mark number.
 *
 * Context: Process context.  Takes and releases xa_lock.
 */
void xa_set_mark(struct xarray *xa, unsigned long index, xa_mark_t mark)
{
	xa_lock_type(xa);
	__xa_set_mark(xa, index, mark);
	xa_unlock_type(xa);
}

/**
 * xa_clear_mark() - Clear this mark on this entry.
 * @xa: XArray.
 * @index: Index of entry.
 * @mark: Mark number.
 *
 * Context: Process context.  Takes and releases xa_lock.
 */
void xa_clear_mark(struct xarray *xa, unsigned long index, xa_mark_t mark)
{
	xa_lock_type(xa);
	__xa_clear_mark(xa, index, mark);
	xa_unlock_type(xa);
}

/**
 * xa_get_mark() - Inquire whether this mark is set on this entry.
 * @xa: XArray.
 * @index: Index of entry.
 * @mark: Mark number.
 *
 * Context: Any context (as xa_load()).
 * Return: True if the entry at @index has this mark set, false if it doesn't.
 */
bool xa_get_mark(struct xarray *xa, unsigned long index, xa_mark_t mark)
{
	struct xa_node *node;
	unsigned int offset;
	bool locked, ret = false;

	if (WARN_ON_ONCE(mark > XA_MARK_MAX))
		return false;
	locked = xa_read_lock(xa);
	if (xa_walk(xa, index, &node, &offset))
		ret = node ? node_get_mark(node, offset, mark) : xa_marked(xa, mark);
	xa_read_unlock(xa, locked);
	return ret;
}

/**
 * xa_destroy() - Free all internal data structures.
 * @xa: XArray.
 *
 * After calling this function, the XArray is empty and has freed all memory
 * allocated for its internal data structures.  The entries themselves are
 * the caller's to free.
 *
 * Context: Any context.  Takes and releases xa_lock.
 */
void xa_destroy(struct xarray *xa)
{
	void *head;

	xa_lock_type(xa);
	head = xa->xa_head;
	xa_slot_set(&xa->xa_head, NULL);
	xa_marks_clear_all(xa);
	if (xa_is_node(head))
		xa_free_subtree(xa_to_node(head));
	xa_unlock_type(xa);
}


/**
 * __xa_store_range() - xa_store_range() with xa_lock already held.
 * @xa: XArray.
 * @first: First index to affect.
 * @last: Last index to affect.
 * @entry: New entry (NULL erases).
 * @gfp: Memory allocation flags; a non-blocking @gfp keeps xa_lock held
 *	 throughout, so several calls form one atomic update for readers.
 *
 * xa_store_range() is this under xa_lock.  The memory-attributes store uses
 * it directly to split a larger entry and re-store its outside parts under
 * one lock hold.
 *
 * Context: xa_lock held.  May drop and retake it only if @gfp may block.
 * Return: as xa_store_range().
 */
void *__xa_store_range(struct xarray *xa, unsigned long first,
		       unsigned long last, void *entry, gfp_t gfp)
{
	void *curr = NULL;

	if (WARN_ON_ONCE(xa_is_internal(entry)))
		return XA_ERROR(-EINVAL);
	if (last < first)
		return XA_ERROR(-EINVAL);
	for (;;) {
		unsigned long span = last - first;
		unsigned int order = first ? __builtin_ctzl(first) : BITS_PER_LONG;
		unsigned int fit = span == ULONG_MAX ? BITS_PER_LONG :
				   BITS_PER_LONG - 1 - __builtin_clzl(span + 1);

		if (order > fit)
			order = fit;
		curr = __xa_store_order(xa, first, order, entry, gfp);
		if (xa_is_err(curr) || order == BITS_PER_LONG)
			break;
		first += (1UL << order) - 1;
		if (first >= last)
			break;
		first++;
	}
	return xa_is_err(curr) ? curr : NULL;
}
