// SPDX-License-Identifier: GPL-2.0
/*
 * Models the search half of lib/xarray.c (Linux 6.x): xa_find(),
 * xa_find_after(), xa_extract(), plus xa_dump() and node statistics.
 * Written afresh for gmemsim; see <linux/xarray.h> for the semantics chosen
 * where the kernel's differ between its mark and present searches.
 */
#include "xarray_internal.h"
#include <linux/printk.h>

/* ---- search ---- */

/*
 * The first entry meeting [@start, @max] that is neither a reservation nor
 * (for a mark @filter) unmarked; *@firstp and *@lastp get its extent.
 */
static void *xa_find_entry(const struct xarray *xa, unsigned long start,
			   unsigned long max, xa_mark_t filter,
			   unsigned long *firstp, unsigned long *lastp)
{
	void *head = xa_slot_get(&xa->xa_head);
	bool marked = filter < XA_MAX_MARKS;
	struct xa_node *node;
	unsigned long base = 0;		/* first index under @node */
	unsigned int offset;

	if (start > max || !head)
		return NULL;
	if (!xa_is_node(head)) {
		if (start || xa_is_zero(head) || (marked && !xa_marked(xa, filter)))
			return NULL;
		*firstp = *lastp = 0;
		return head;
	}
	node = xa_to_node(head);
	if (start > xa_node_span_mask(node->shift))
		return NULL;
	offset = start >> node->shift;
	for (;;) {
		unsigned int last_off = xa_node_last_offset(node->shift);

		while (offset <= last_off) {
			unsigned long first = base + ((unsigned long)offset << node->shift);
			void *entry;

			if (first > max && first > start)
				return NULL;
			entry = xa_slot_get(&node->slots[offset]);
			if (xa_is_sibling(entry)) {
				/* Inside an entry that begins before @offset. */
				unsigned int canon = xa_to_sibling(entry);
				void *c = xa_slot_get(&node->slots[canon]);

				if (!xa_is_zero(c) &&
				    (!marked || node_get_mark(node, canon, filter))) {
					first = base + ((unsigned long)canon << node->shift);
					offset = canon;
					entry = c;
					goto found;
				}
				offset = canon + xa_extent(node, canon);
				continue;
			}
			if (marked && !node_get_mark(node, offset, filter)) {
				offset = node_next_mark(node, offset + 1, filter);
				continue;
			}
			if (!entry || xa_is_zero(entry)) {
				offset++;
				continue;
			}
			if (xa_is_node(entry)) {
				node = xa_to_node(entry);
				base = first;
				offset = start > base ? (start - base) >> node->shift : 0;
				goto next_node;
			}
found:
			*firstp = first;
			*lastp = first + (((unsigned long)xa_extent(node, offset) <<
					   node->shift) - 1);
			return entry;
		}
		if (!node->parent)
			return NULL;
		offset = node->offset + 1;
		node = node->parent;
		base &= ~xa_node_span_mask(node->shift);
next_node:
		;
	}
}

/**
 * xa_find() - Search the XArray for an entry.
 * @xa: XArray.
 * @indexp: Pointer to an index.
 * @max: Maximum index to search to.
 * @filter: Selection criterion (XA_PRESENT or a mark).
 *
 * Finds the first entry at or above *@indexp and no more than @max; a
 * multi-index entry covering *@indexp counts and leaves *@indexp alone,
 * otherwise *@indexp becomes the entry's first index.  Reservations are
 * skipped.
 *
 * Context: Any context (as xa_load()).
 * Return: The entry, if found, otherwise %NULL.
 */
void *xa_find(struct xarray *xa, unsigned long *indexp, unsigned long max,
	      xa_mark_t filter)
{
	unsigned long first, last;
	bool locked = xa_read_lock(xa);
	void *entry = xa_find_entry(xa, *indexp, max, filter, &first, &last);

	xa_read_unlock(xa, locked);
	if (entry && first > *indexp)
		*indexp = first;
	return entry;
}

/**
 * xa_find_after() - Search the XArray for a present entry.
 * @xa: XArray.
 * @indexp: Pointer to an index.
 * @max: Maximum index to search to.
 * @filter: Selection criterion.
 *
 * Finds the first entry that begins above *@indexp and no later than @max
 * (so a multi-index entry that covers *@indexp is not found again) and sets
 * *@indexp to its first index.
 *
 * Context: Any context (as xa_load()).
 * Return: The entry, if found, otherwise %NULL.
 */
void *xa_find_after(struct xarray *xa, unsigned long *indexp, unsigned long max,
		    xa_mark_t filter)
{
	unsigned long start = *indexp + 1, first, last;
	void *entry = NULL;
	bool locked;

	if (!start)
		return NULL;
	locked = xa_read_lock(xa);
	for (;;) {
		entry = xa_find_entry(xa, start, max, filter, &first, &last);
		if (!entry || first >= start)
			break;
		if (last >= max) {
			entry = NULL;
			break;
		}
		start = last + 1;
	}
	xa_read_unlock(xa, locked);
	if (entry)
		*indexp = first;
	return entry;
}

/**
 * xa_extract() - Copy selected entries from the XArray into a normal array.
 * @xa: The source XArray to copy from.
 * @dst: The buffer to copy entries into.
 * @start: The first index in the XArray eligible to be selected.
 * @max: The last index in the XArray eligible to be selected.
 * @n: The maximum number of entries to copy.
 * @filter: Selection criterion.
 *
 * Context: Any context (as xa_load()).
 * Return: The number of entries copied.
 */
unsigned int xa_extract(struct xarray *xa, void **dst, unsigned long start,
			unsigned long max, unsigned int n, xa_mark_t filter)
{
	unsigned long index = start;
	unsigned int i = 0;
	void *entry;

	if (!n)
		return 0;
	for (entry = xa_find(xa, &index, max, filter); entry;
	     entry = xa_find_after(xa, &index, max, filter)) {
		dst[i++] = entry;
		if (i == n)
			break;
	}
	return i;
}

/* ---- teardown and debugging ---- */

static unsigned long xa_count_nodes(const struct xa_node *node)
{
	unsigned long nr = 1;
	unsigned int i;

	for (i = 0; i < XA_CHUNK_SIZE; i++)
		if (xa_is_node(node->slots[i]))
			nr += xa_count_nodes(xa_to_node(node->slots[i]));
	return nr;
}

/**
 * xa_nr_nodes() - Count the nodes of an XArray (tests and benchmarks).
 * @xa: XArray.
 *
 * Context: Caller keeps writers away (holds xa_lock or is the only user).
 * Return: The number of struct xa_node currently allocated for @xa.
 */
unsigned long xa_nr_nodes(const struct xarray *xa)
{
	void *head = xa_slot_get(&xa->xa_head);

	return xa_is_node(head) ? xa_count_nodes(xa_to_node(head)) : 0;
}

/* One line per entry; @first..@last is the index range the slot covers. */
static void xa_dump_entry(const void *entry, unsigned long first, unsigned long last)
{
	if (!entry)
		return;
	if (xa_is_value(entry))
		pr_err("%lx-%lx: value %lu (0x%lx)\n", first, last,
		       xa_to_value(entry), xa_to_value(entry));
	else if (xa_is_zero(entry))
		pr_err("%lx-%lx: zero entry\n", first, last);
	else if (xa_is_sibling(entry))
		pr_err("%lx-%lx: sibling (slot %u)\n", first, last, xa_to_sibling(entry));
	else if (xa_is_err(entry))
		pr_err("%lx-%lx: error %d\n", first, last, xa_err((void *)entry));
	else if (xa_is_internal(entry))
		pr_err("%lx-%lx: internal 0x%lx\n", first, last, xa_to_internal(entry));
	else
		pr_err("%lx-%lx: %p\n", first, last, entry);
}

static void xa_dump_node(const struct xa_node *node, unsigned long base)
{
	unsigned int i, last_off = xa_node_last_offset(node->shift);

	pr_err("node %p %lx-%lx shift %u offset %u count %u values %u parent %p"
	       " marks %lx %lx %lx\n", (void *)node, base,
	       base + ((unsigned long)last_off << node->shift) +
	       ((1UL << node->shift) - 1), node->shift, node->offset, node->count,
	       node->nr_values, (void *)node->parent, node->marks[0][0],
	       node->marks[1][0], node->marks[2][0]);
	for (i = 0; i <= last_off; i++) {
		unsigned long first = base + ((unsigned long)i << node->shift);
		void *entry = node->slots[i];

		if (xa_is_node(entry))
			xa_dump_node(xa_to_node(entry), first);
		else
			xa_dump_entry(entry, first, first + ((1UL << node->shift) - 1));
	}
}

/**
 * xa_dump() - Print the whole tree of an XArray (for failed checks).
 * @xa: XArray.
 *
 * Prints at KERN_ERR so that it shows with the default log level.  Raw
 * pointers appear here only: never feed this output into an event log.
 *
 * Context: Caller keeps writers away (holds xa_lock or is the only user).
 */
void xa_dump(const struct xarray *xa)
{
	void *head = xa->xa_head;

	pr_err("xarray: %p head %p flags %x marks %d %d %d chunk_shift %d\n",
	       (const void *)xa, head, (unsigned int)xa->xa_flags,
	       xa_marked(xa, XA_MARK_0), xa_marked(xa, XA_MARK_1),
	       xa_marked(xa, XA_MARK_2), XA_CHUNK_SHIFT);
	if (xa_is_node(head))
		xa_dump_node(xa_to_node(head), 0);
	else
		xa_dump_entry(head, 0, 0);
}

static bool xa_check_fail(const struct xa_node *node, unsigned int offset, const char *what)
{
	pr_err("xarray: invariant broken at node %p slot %u: %s\n",
	       (const void *)node, offset, what);
	return false;
}

static bool xa_check_node(const struct xa_node *node, const struct xa_node *parent,
			  unsigned int offset, unsigned int shift)
{
	unsigned int i, count = 0, values = 0, last_off = xa_node_last_offset(shift);
	xa_mark_t mark;

	if (node->parent != parent || node->shift != shift ||
	    (parent && node->offset != offset))
		return xa_check_fail(node, offset, "parent/offset/shift");
	for (i = 0; i < XA_CHUNK_SIZE; i++) {
		void *entry = node->slots[i];

		if (!entry) {
			for (mark = 0; mark < XA_MAX_MARKS; mark++)
				if (node_get_mark(node, i, mark))
					return xa_check_fail(node, i, "mark on an empty slot");
			continue;
		}
		if (i > last_off)
			return xa_check_fail(node, i, "slot beyond the index space");
		count++;
		if (xa_is_sibling(entry)) {
			unsigned int c = xa_to_sibling(entry), ext;

			if (c >= i || (i > c + 1 && node->slots[i - 1] != entry))
				return xa_check_fail(node, i, "stray sibling");
			ext = xa_extent(node, c);
			if (ext & (ext - 1) || c % ext)
				return xa_check_fail(node, i, "unaligned multi-index entry");
			values += xa_is_value(node->slots[c]);
			for (mark = 0; mark < XA_MAX_MARKS; mark++)
				if (node_get_mark(node, i, mark))
					return xa_check_fail(node, i, "mark on a sibling");
			continue;
		}
		values += xa_is_value(entry);
		if (xa_is_node(entry)) {
			const struct xa_node *child = xa_to_node(entry);

			if (!shift)
				return xa_check_fail(node, i, "node below shift 0");
			for (mark = 0; mark < XA_MAX_MARKS; mark++)
				if (node_get_mark(node, i, mark) != node_any_mark(child, mark))
					return xa_check_fail(node, i, "mark not propagated");
			if (!xa_check_node(child, node, i, shift - XA_CHUNK_SHIFT))
				return false;
		} else if (xa_is_internal(entry) && !xa_is_zero(entry)) {
			return xa_check_fail(node, i, "internal entry stored");
		}
	}
	if (!count || count != node->count || values != node->nr_values)
		return xa_check_fail(node, 0, "count/nr_values");
	return true;
}

/**
 * xa_check() - Verify the structural invariants of an XArray (tests).
 * @xa: XArray.
 *
 * Checks parent links, shifts, counts, sibling runs (aligned powers of two),
 * mark propagation up to xa_flags and that no node is empty.  Prints what
 * is broken and the tree.
 *
 * Context: Caller keeps writers away (holds xa_lock or is the only user).
 * Return: true if every invariant holds.
 */
bool xa_check(const struct xarray *xa)
{
	void *head = xa->xa_head;
	xa_mark_t mark;
	bool ok = true;

	if (xa_is_node(head)) {
		const struct xa_node *top = xa_to_node(head);

		ok = xa_check_node(top, NULL, 0, top->shift);
		for (mark = 0; ok && mark < XA_MAX_MARKS; mark++)
			if (xa_marked(xa, mark) != node_any_mark(top, mark))
				ok = xa_check_fail(top, 0, "xa_flags marks");
	} else if (!head) {
		for (mark = 0; ok && mark < XA_MAX_MARKS; mark++)
			if (xa_marked(xa, mark))
				ok = xa_check_fail(NULL, 0, "marks on an empty array");
	} else if (xa_is_internal(head)) {
		ok = xa_check_fail(NULL, 0, "internal entry in xa_head");
	}
	if (!ok)
		xa_dump(xa);
	return ok;
}
