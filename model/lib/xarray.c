// SPDX-License-Identifier: GPL-2.0
/*
 * Models lib/xarray.c (Linux 6.x): the tree engine of the XArray (lookup,
 * xa_load(), node lifetime, the store of one aligned block) under the API in
 * xarray_api.c and the searches in xarray_find.c; written afresh for
 * gmemsim.  The tree shape and the
 * entry encoding follow the kernel (nodes of XA_CHUNK_SIZE slots, sibling
 * entries for multi-index entries, marks per slot propagated to the parents,
 * array-wide mark bits in xa_flags); the algorithms are our own.  See
 * <linux/xarray.h> for the deliberate differences.
 *
 * Writers hold xa_lock.  Slots and xa_head are read and written with atomic
 * acquire/release accesses so that lockless readers (controlled mode) and
 * xa_empty() are well defined.  Node allocation happens before the tree is
 * changed: a store first counts the nodes it will need, allocates them (with
 * xa_lock dropped when @gfp may sleep, as the kernel's __xas_nomem() does),
 * then re-checks and changes the tree without any failure path, so an
 * -ENOMEM leaves the array exactly as it was.
 */
#include "xarray_internal.h"
#include <linux/slab.h>
#include <linux/lockdep.h>
#include <linux/kernel.h>
#include <string.h>
#include <shim/sched.h>

/*
 * Make the parents of @node agree with it about @mark: a parent's bit for a
 * child slot is set iff the child has any bit set; xa_flags holds the top's.
 */
void xa_mark_propagate(struct xarray *xa, struct xa_node *node, xa_mark_t mark)
{
	for (;;) {
		bool any = node_any_mark(node, mark);
		struct xa_node *parent = node->parent;

		if (!parent) {
			if (any)
				xa_mark_set(xa, mark);
			else
				xa_mark_clear(xa, mark);
			return;
		}
		if (node_get_mark(parent, node->offset, mark) == any)
			return;
		if (any)
			node_set_mark(parent, node->offset, mark);
		else
			node_clear_mark(parent, node->offset, mark);
		node = parent;
	}
}

static void xa_marks_propagate(struct xarray *xa, struct xa_node *node)
{
	xa_mark_t mark;

	for (mark = 0; mark < XA_MAX_MARKS; mark++)
		xa_mark_propagate(xa, node, mark);
}

void xa_marks_clear_all(struct xarray *xa)
{
	xa_mark_t mark;

	for (mark = 0; mark < XA_MAX_MARKS; mark++)
		xa_mark_clear(xa, mark);
}

/* ---- locking ---- */

/* The lock flavour recorded at init, for dropping it around allocation. */
void xa_unlock_type(struct xarray *xa)
{
	if (xa_lock_flags(xa) & XA_FLAGS_LOCK_IRQ)
		xa_unlock_irq(xa);
	else if (xa_lock_flags(xa) & XA_FLAGS_LOCK_BH)
		xa_unlock_bh(xa);
	else
		xa_unlock(xa);
}

/* Context: takes xa_lock(xa); does not sleep. */
void xa_lock_type(struct xarray *xa)
{
	if (xa_lock_flags(xa) & XA_FLAGS_LOCK_IRQ)
		xa_lock_irq(xa);
	else if (xa_lock_flags(xa) & XA_FLAGS_LOCK_BH)
		xa_lock_bh(xa);
	else
		xa_lock(xa);
}

/* ---- lookup ---- */

/*
 * Find the entry covering @index.  Returns it raw (zero entries included,
 * never a node or sibling); *@nodep and *@offp name its canonical slot (node NULL:
 * the entry lives in xa_head).  Context: xa_lock, or see xa_read_lock().
 */
void *xa_walk(const struct xarray *xa, unsigned long index,
		     struct xa_node **nodep, unsigned int *offp)
{
	void *entry = xa_slot_get(&xa->xa_head);
	struct xa_node *node = NULL;
	unsigned int offset = 0;

	if (xa_is_node(entry)) {
		node = xa_to_node(entry);
		if (index > xa_node_span_mask(node->shift)) {
			entry = NULL;
			node = NULL;
			goto out;
		}
		for (;;) {
			offset = (index >> node->shift) & XA_CHUNK_MASK;
			entry = xa_slot_get(&node->slots[offset]);
			if (xa_is_sibling(entry)) {
				offset = xa_to_sibling(entry);
				entry = xa_slot_get(&node->slots[offset]);
			}
			if (!xa_is_node(entry))
				break;
			node = xa_to_node(entry);
		}
	} else if (index) {
		entry = NULL;
	}
out:
	*nodep = node;
	*offp = offset;
	return entry;
}

static unsigned int xa_entry_order(const struct xa_node *node, unsigned int offset)
{
	if (!node)
		return 0;
	return node->shift + __builtin_ctz(xa_extent(node, offset));
}

/**
 * xa_load() - Load an entry from an XArray.
 * @xa: XArray.
 * @index: index into array.
 *
 * Context: Any context.  Lockless in controlled mode; takes xa_lock in
 * free-running mode unless the caller holds it (see <linux/xarray.h>).
 * Return: The entry at @index in @xa (NULL for a reserved entry).
 */
void *xa_load(struct xarray *xa, unsigned long index)
{
	struct xa_node *node;
	unsigned int offset;
	bool locked = xa_read_lock(xa);
	void *entry = xa_walk(xa, index, &node, &offset);

	xa_read_unlock(xa, locked);
	return xa_zero_to_null(entry);
}

/**
 * xa_get_order() - Get the order of an entry.
 * @xa: XArray.
 * @index: An index within the entry.
 *
 * Context: Any context (as xa_load()).
 * Return: The order of the entry at @index; 0 if there is none.
 */
int xa_get_order(struct xarray *xa, unsigned long index)
{
	struct xa_node *node;
	unsigned int offset;
	bool locked = xa_read_lock(xa);
	void *entry = xa_walk(xa, index, &node, &offset);
	int order = entry ? (int)xa_entry_order(node, offset) : 0;

	xa_read_unlock(xa, locked);
	return order;
}

/* ---- node lifetime ---- */

static struct xa_node *xa_take_node(struct xarray *xa, struct xa_prealloc *pre,
				    unsigned int shift, struct xa_node *parent,
				    unsigned int offset)
{
	struct xa_node *node;

	BUG_ON(!pre->nr);
	node = pre->nodes[--pre->nr];
	memset(node, 0, sizeof(*node));
	node->shift = shift;
	node->offset = offset;
	node->parent = parent;
	node->array = xa;
	return node;
}

void xa_free_prealloc(struct xa_prealloc *pre)
{
	while (pre->nr)
		kfree(pre->nodes[--pre->nr]);
}

void xa_free_subtree(struct xa_node *node)
{
	unsigned int i;

	for (i = 0; i < XA_CHUNK_SIZE; i++) {
		void *entry = node->slots[i];

		if (xa_is_node(entry))
			xa_free_subtree(xa_to_node(entry));
	}
	kfree(node);
}

/*
 * While the top node holds one entry in slot 0, the level is useless: hoist
 * the entry.  A zero entry stays in a node (the kernel keeps reservations out
 * of xa_head); so does a multi-index entry of a shift > 0 node.
 */
static void xa_shrink(struct xarray *xa)
{
	for (;;) {
		void *head = xa->xa_head;
		struct xa_node *node;
		void *entry;

		if (!xa_is_node(head))
			return;
		node = xa_to_node(head);
		if (node->count != 1)
			return;
		entry = node->slots[0];
		if (!entry || xa_is_zero(entry))
			return;
		if (!xa_is_node(entry) && node->shift)
			return;
		if (xa_is_node(entry))
			xa_to_node(entry)->parent = NULL;
		xa_slot_set(&xa->xa_head, entry);
		kfree(node);
	}
}

/* Free @node and its ancestors while they are empty, then shrink the top. */
static void xa_delete_empty(struct xarray *xa, struct xa_node *node)
{
	while (node->count == 0) {
		struct xa_node *parent = node->parent;
		xa_mark_t mark;

		if (!parent) {
			xa_slot_set(&xa->xa_head, NULL);
			xa_marks_clear_all(xa);
			kfree(node);
			return;
		}
		xa_slot_set(&parent->slots[node->offset], NULL);
		for (mark = 0; mark < XA_MAX_MARKS; mark++)
			node_clear_mark(parent, node->offset, mark);
		parent->count--;
		kfree(node);
		node = parent;
	}
	xa_marks_propagate(xa, node);
	if (!node->parent)
		xa_shrink(xa);
}

/* ---- store ---- */

void xa_block(struct xa_block *b, unsigned long index, unsigned int order)
{
	unsigned int shift = order - order % XA_CHUNK_SHIFT;

	if (shift > XA_TOP_SHIFT)
		shift = XA_TOP_SHIFT;
	b->index = index;
	b->shift = shift;
	b->nslots = 1U << (order - shift);
	b->last = order >= BITS_PER_LONG ? ULONG_MAX : index + ((1UL << order) - 1);
}

/* Shift of the smallest top node that covers @b. */
static unsigned int xa_top_shift_for(const struct xa_block *b)
{
	unsigned int shift = b->shift;

	while (b->last > xa_node_span_mask(shift))
		shift += XA_CHUNK_SHIFT;
	return shift;
}

/* How many nodes storing a non-NULL entry into @b will allocate. */
static unsigned int xa_nodes_needed(const struct xarray *xa, const struct xa_block *b,
				    void *entry)
{
	void *head = xa->xa_head;
	unsigned int want = xa_top_shift_for(b);
	unsigned int need = 0, top, shift;
	struct xa_node *node;

	if (!head) {
		if (b->shift == 0 && b->nslots == 1 && b->index == 0 &&
		    !xa_is_zero(entry))
			return 0;
		return (want - b->shift) / XA_CHUNK_SHIFT + 1;
	}
	if (!xa_is_node(head)) {
		if (b->shift == 0 && b->nslots == 1 && b->index == 0 &&
		    !xa_is_zero(entry))
			return 0;
		need = 1;		/* a shift-0 node to hold the old head */
		top = 0;
	} else {
		top = xa_to_node(head)->shift;
	}
	if (want < top)
		want = top;
	need += (want - top) / XA_CHUNK_SHIFT;
	/* New top levels hold the old tree in slot 0 and nothing else. */
	for (shift = want; shift > top && shift > b->shift; shift -= XA_CHUNK_SHIFT)
		if ((b->index >> shift) & XA_CHUNK_MASK)
			return need + (shift - b->shift) / XA_CHUNK_SHIFT;
	if (shift == b->shift || !xa_is_node(head))
		return need;
	for (node = xa_to_node(head); node->shift > b->shift; ) {
		unsigned int offset = (b->index >> node->shift) & XA_CHUNK_MASK;
		void *next = node->slots[offset];

		if (!next)
			return need + (node->shift - b->shift) / XA_CHUNK_SHIFT;
		if (!xa_is_node(next))
			return need;	/* inside a larger entry: no new node */
		node = xa_to_node(next);
	}
	return need;
}

/* Grow the tree until its top node has at least @shift. */
static void xa_expand(struct xarray *xa, struct xa_prealloc *pre, unsigned int shift)
{
	void *head = xa->xa_head;
	struct xa_node *node;
	xa_mark_t mark;

	if (!head) {
		node = xa_take_node(xa, pre, shift, NULL, 0);
		xa_slot_set(&xa->xa_head, xa_mk_node(node));
		return;
	}
	if (!xa_is_node(head)) {
		node = xa_take_node(xa, pre, 0, NULL, 0);
		node->slots[0] = head;
		node->count = 1;
		node->nr_values = xa_is_value(head);
		for (mark = 0; mark < XA_MAX_MARKS; mark++)
			if (xa_marked(xa, mark))
				node_set_mark(node, 0, mark);
		xa_slot_set(&xa->xa_head, xa_mk_node(node));
		head = xa->xa_head;
	}
	while (xa_to_node(head)->shift < shift) {
		struct xa_node *child = xa_to_node(head);

		node = xa_take_node(xa, pre, child->shift + XA_CHUNK_SHIFT, NULL, 0);
		node->slots[0] = head;
		node->count = 1;
		for (mark = 0; mark < XA_MAX_MARKS; mark++)
			if (xa_marked(xa, mark))
				node_set_mark(node, 0, mark);
		child->parent = node;
		child->offset = 0;
		xa_slot_set(&xa->xa_head, xa_mk_node(node));
		head = xa->xa_head;
	}
}

/* Does slot @i of @node hold a value entry (directly or as a sibling)? */
static inline bool xa_slot_is_value(const struct xa_node *node, unsigned int i)
{
	void *entry = node->slots[i];

	if (xa_is_sibling(entry))
		entry = node->slots[xa_to_sibling(entry)];
	return xa_is_value(entry);
}

/*
 * Overwrite slots [offset, offset + nslots) of @node with @entry (NULL: clear
 * them).  Subtrees in the range are freed.  Marks of the range are squashed
 * into the canonical slot (non-NULL) or cleared (NULL).
 */
static void xa_fill(struct xarray *xa, struct xa_node *node, unsigned int offset,
		    unsigned int nslots, void *entry)
{
	unsigned int i, end = offset + nslots;
	int count = 0, values = 0;
	xa_mark_t mark;

	for (i = offset; i < end; i++) {
		void *old = node->slots[i];

		values -= xa_slot_is_value(node, i);
		count -= old != NULL;
	}
	for (i = offset; i < end; i++) {
		void *old = node->slots[i];

		xa_slot_set(&node->slots[i], !entry ? NULL :
			    i == offset ? entry : xa_mk_sibling(offset));
		if (xa_is_node(old))
			xa_free_subtree(xa_to_node(old));
	}
	if (entry) {
		count += nslots;
		values += xa_is_value(entry) ? nslots : 0;
	}
	node->count += count;
	node->nr_values += values;
	for (mark = 0; mark < XA_MAX_MARKS; mark++) {
		bool any = false;

		for (i = offset; i < end; i++) {
			any |= node_get_mark(node, i, mark);
			node_clear_mark(node, i, mark);
		}
		if (any && entry)
			node_set_mark(node, offset, mark);
	}
}

/*
 * Store @entry over block @b.  An entry that covers more than @b is replaced
 * as a whole (it keeps its extent and marks); entries inside @b are replaced
 * by @entry and their marks merged into it.  NULL erases every entry that
 * meets @b.  All nodes come from @pre.
 *
 * Return: the previous entry at @b->index, raw (NULL where a subtree was).
 */
void *xa_store_block(struct xarray *xa, const struct xa_block *b, void *entry,
			    struct xa_prealloc *pre)
{
	void *head = xa->xa_head;
	struct xa_node *node;
	unsigned int offset, nslots;
	void *old;

	if (b->shift == 0 && b->nslots == 1 && b->index == 0 && !xa_is_node(head) &&
	    (!entry || !xa_is_zero(entry))) {
		xa_slot_set(&xa->xa_head, entry);
		if (!entry)
			xa_marks_clear_all(xa);
		return head;
	}
	if (!entry) {
		if (!head)
			return NULL;
		if (!xa_is_node(head)) {
			if (b->index)
				return NULL;
			xa_slot_set(&xa->xa_head, NULL);
			xa_marks_clear_all(xa);
			return head;
		}
		node = xa_to_node(head);
		if (b->index > xa_node_span_mask(node->shift))
			return NULL;
		if (!b->index && b->last >= xa_node_span_mask(node->shift)) {
			/* Aligned and reaching past the top: covers the tree. */
			old = xa_walk(xa, b->index, &node, &offset);
			xa_slot_set(&xa->xa_head, NULL);
			xa_marks_clear_all(xa);
			xa_free_subtree(xa_to_node(head));
			return old;
		}
	} else {
		xa_expand(xa, pre, xa_top_shift_for(b));
		node = xa_to_node(xa->xa_head);
	}

	/* Walk down to the node of @b's level, creating nodes for a store. */
	while (node->shift > b->shift) {
		void *next;

		offset = (b->index >> node->shift) & XA_CHUNK_MASK;
		next = node->slots[offset];
		if (xa_is_sibling(next)) {
			offset = xa_to_sibling(next);
			next = node->slots[offset];
		}
		if (xa_is_node(next)) {
			node = xa_to_node(next);
			continue;
		}
		if (next)
			goto whole;	/* a larger entry covers @b */
		if (!entry)
			return NULL;
		next = xa_mk_node(xa_take_node(xa, pre, node->shift - XA_CHUNK_SHIFT,
					       node, offset));
		xa_slot_set(&node->slots[offset], next);
		node->count++;
		node = xa_to_node(next);
	}

	offset = (b->index >> node->shift) & XA_CHUNK_MASK;
	old = node->slots[offset];
	if (xa_is_sibling(old)) {
		offset = xa_to_sibling(old);
		goto whole;
	}
	if (old && !xa_is_node(old) && xa_extent(node, offset) > b->nslots)
		goto whole;
	if (old == entry && b->nslots == 1)
		return old;		/* nothing changes (never true for a node) */
	if (xa_is_node(old))
		old = NULL;
	xa_fill(xa, node, offset, b->nslots, entry);
	goto done;

whole:
	old = node->slots[offset];
	nslots = xa_extent(node, offset);
	if (entry) {
		xa_slot_set(&node->slots[offset], entry);
		node->nr_values += ((int)xa_is_value(entry) - (int)xa_is_value(old)) *
				   (int)nslots;
		return old;
	}
	xa_fill(xa, node, offset, nslots, NULL);
done:
	if (!entry)
		xa_delete_empty(xa, node);
	return old;
}


/*
 * Top up @pre to the nodes storing @entry over @b needs in the current tree.
 * Return: 0 when @pre holds enough, 1 when xa_lock was dropped to allocate
 * (the caller must look at the tree again), -ENOMEM on allocation failure.
 */
int xa_prealloc(struct xarray *xa, const struct xa_block *b, void *entry,
		       struct xa_prealloc *pre, gfp_t gfp)
{
	unsigned int need = entry ? xa_nodes_needed(xa, b, entry) : 0;
	bool blocking;

	if (need <= pre->nr)
		return 0;
	blocking = gfpflags_allow_blocking(gfp);
	if (blocking)
		xa_unlock_type(xa);
	while (pre->nr < need) {
		struct xa_node *node = kmalloc(sizeof(*node), gfp);

		if (!node)
			break;
		pre->nodes[pre->nr++] = node;
	}
	if (blocking)
		xa_lock_type(xa);
	if (pre->nr < need)
		return -ENOMEM;
	return blocking;
}

/* Store @entry over the aligned block of @order at @index; xa_lock held. */
void *__xa_store_order(struct xarray *xa, unsigned long index,
			      unsigned int order, void *entry, gfp_t gfp)
{
	struct xa_prealloc pre = { .nr = 0 };
	struct xa_block b;
	void *curr;
	int err;

	xa_block(&b, index, order);
	while ((err = xa_prealloc(xa, &b, entry, &pre, gfp)) > 0)
		;
	if (err)
		curr = XA_ERROR(err);
	else
		curr = xa_store_block(xa, &b, entry, &pre);
	xa_free_prealloc(&pre);
	return curr;
}

