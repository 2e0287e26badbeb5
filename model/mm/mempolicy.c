// SPDX-License-Identifier: GPL-2.0
/*
 * Models mm/mempolicy.c (ML-7.1), reduced to what guest_memfd's NUMA
 * support uses (spec §1.9, §6.2): mbind() and get_mempolicy(MPOL_F_ADDR)
 * on a mapping whose vm_ops keep a shared (per-inode) policy, the node an
 * allocation under a policy lands on, and the move_pages() status query.
 *
 * Differences: no task or VMA policies (a VMA without ->set_policy makes
 * mbind() fail with -EOPNOTSUPP; get_mempolicy reports MPOL_DEFAULT for
 * it), no page migration (MPOL_MF_MOVE is accepted and ignored), no
 * cpusets; every model thread runs on node 0 (numa_node_id()).  Node
 * choice without memory pressure: PREFERRED -> its node; BIND -> the local
 * node if allowed, else the lowest allowed node (the zonelist order of
 * node 0); INTERLEAVE -> the (ilx mod weight)-th allowed node.
 */
#include <linux/kernel.h>
#include <linux/bug.h>
#include <linux/bitops.h>
#include <linux/slab.h>
#include <linux/mm.h>
#include <linux/mempolicy.h>
#include "internal.h"

/**
 * mpol_shared_policy_init - an empty shared policy (MPOL_DEFAULT everywhere).
 * Context: any.
 */
void mpol_shared_policy_init(struct shared_policy *sp)
{
	spin_lock_init(&sp->lock);
	sp->nodes = NULL;
	sp->nr = sp->cap = 0;
}

/**
 * mpol_free_shared_policy - free every range of @sp (inode eviction).
 * Context: no other user of @sp.
 */
void mpol_free_shared_policy(struct shared_policy *sp)
{
	kfree(sp->nodes);
	sp->nodes = NULL;
	sp->nr = sp->cap = 0;
}

/* Remove [start, end) from @sp, splitting a range that straddles it.  Lock held. */
static int sp_remove_range(struct shared_policy *sp, pgoff_t start, pgoff_t end)
{
	unsigned int i = 0;

	while (i < sp->nr) {
		struct sp_node *n = &sp->nodes[i];

		if (n->end <= start || n->start >= end) {
			i++;
			continue;
		}
		if (n->start < start && n->end > end) {
			/* Splits in two: the caller reserved a slot. */
			memmove(n + 1, n, (sp->nr - i) * sizeof(*n));
			sp->nr++;
			n->end = start;
			n[1].start = end;
			return 0;
		}
		if (n->start < start) {
			n->end = start;
			i++;
		} else if (n->end > end) {
			n->start = end;
			i++;
		} else {
			memmove(n, n + 1, (sp->nr - i - 1) * sizeof(*n));
			sp->nr--;
		}
	}
	return 0;
}

/**
 * mpol_set_shared_policy - set the policy of the file pages behind @vma.
 * @sp: the inode's shared policy.  @vma: its range [vm_pgoff, +pages).
 * @pol: the new policy; NULL or MPOL_DEFAULT removes the range's policy.
 * Context: takes sp->lock; allocates (GFP_KERNEL) before taking it.
 * Return: 0 or -ENOMEM.
 */
int mpol_set_shared_policy(struct shared_policy *sp, struct vm_area_struct *vma,
			   const struct mempolicy *pol)
{
	pgoff_t start = vma->vm_pgoff;
	pgoff_t end = start + ((vma->vm_end - vma->vm_start) >> PAGE_SHIFT);
	struct sp_node *nodes = NULL;
	unsigned int i;

	/* At most two more entries: one split and one insertion. */
	for (;;) {
		unsigned int need;

		spin_lock(&sp->lock);
		need = sp->nr + 2;
		if (need <= sp->cap)
			break;
		spin_unlock(&sp->lock);
		kfree(nodes);
		nodes = kmalloc_array(need + 4, sizeof(*nodes), GFP_KERNEL);
		if (!nodes)
			return -ENOMEM;
		spin_lock(&sp->lock);
		if (sp->cap < need) {
			if (sp->nr)
				memcpy(nodes, sp->nodes, sp->nr * sizeof(*nodes));
			swap(nodes, sp->nodes);
			sp->cap = need + 4;
		}
		spin_unlock(&sp->lock);
	}
	kfree(nodes);	/* the replaced array, or an unused one */

	sp_remove_range(sp, start, end);
	if (pol && pol->mode != MPOL_DEFAULT) {
		for (i = 0; i < sp->nr && sp->nodes[i].start < start; i++)
			;
		memmove(&sp->nodes[i + 1], &sp->nodes[i], (sp->nr - i) * sizeof(*sp->nodes));
		sp->nodes[i].start = start;
		sp->nodes[i].end = end;
		sp->nodes[i].pol = *pol;
		sp->nr++;
	}
	spin_unlock(&sp->lock);
	return 0;
}

/**
 * mpol_shared_policy_lookup - the policy at page @idx of @sp.
 * @pol: out: a copy of it.
 * Context: takes sp->lock.  Return: true if a policy covers @idx.
 */
bool mpol_shared_policy_lookup(struct shared_policy *sp, pgoff_t idx, struct mempolicy *pol)
{
	bool found = false;
	unsigned int i;

	if (!READ_ONCE(sp->nr))
		return false;
	spin_lock(&sp->lock);
	for (i = 0; i < sp->nr; i++) {
		if (sp->nodes[i].start <= idx && idx < sp->nodes[i].end) {
			*pol = sp->nodes[i].pol;
			found = true;
			break;
		}
	}
	spin_unlock(&sp->lock);
	return found;
}

/* The @n-th (from 0) set bit of @mask. */
static int nth_node(unsigned long mask, unsigned int n)
{
	int nid;

	for (nid = 0; nid < MAX_NUMNODES; nid++) {
		if (!(mask & BIT(nid)))
			continue;
		if (!n--)
			return nid;
	}
	return numa_node_id();
}

/**
 * mempolicy_alloc_node - the node an allocation under @pol goes to.
 * @pol: the policy, NULL for the default (local node).
 * @ilx: interleave index (NO_INTERLEAVE_INDEX: the first allowed node).
 * Context: any.  Return: a node id.
 */
int mempolicy_alloc_node(const struct mempolicy *pol, unsigned long ilx)
{
	unsigned int w;

	if (!pol)
		return numa_node_id();
	switch (pol->mode) {
	case MPOL_PREFERRED:
		return nth_node(pol->nodes, 0);
	case MPOL_BIND:
		if (pol->nodes & BIT(numa_node_id()))
			return numa_node_id();
		return nth_node(pol->nodes, 0);
	case MPOL_INTERLEAVE:
		w = hweight_long(pol->nodes);
		if (!w)
			return numa_node_id();
		return nth_node(pol->nodes, ilx == NO_INTERLEAVE_INDEX ? 0 : ilx % w);
	default:
		return numa_node_id();
	}
}

/*
 * mpol_new + mpol_set_nodemask: validate @mode and @nodemask (already
 * limited to online nodes) into @pol.  Return 0 or -EINVAL.
 */
static int mpol_new(unsigned short mode, unsigned long nodemask, unsigned long online,
		    struct mempolicy *pol)
{
	pol->mode = mode;
	pol->nodes = 0;
	switch (mode) {
	case MPOL_DEFAULT:
		return nodemask ? -EINVAL : 0;
	case MPOL_LOCAL:
		return nodemask ? -EINVAL : 0;
	case MPOL_PREFERRED:
		if (!nodemask) {
			pol->mode = MPOL_LOCAL;
			return 0;
		}
		nodemask &= online;
		if (!nodemask)
			return -EINVAL;
		/* The preferred node is the first one given. */
		pol->nodes = BIT(nth_node(nodemask, 0));
		return 0;
	case MPOL_BIND:
	case MPOL_INTERLEAVE:
		nodemask &= online;
		if (!nodemask)
			return -EINVAL;
		pol->nodes = nodemask;
		return 0;
	default:
		return -EINVAL;
	}
}

/**
 * do_mbind - mbind(2) of [@start, @start + @len) in @mm.
 * @mode: MPOL_* (mode flags are not modelled).  @nodemask: bit n = node n;
 * nodes that are not online are dropped (-EINVAL if none is left for a
 * mode that needs one).  @flags: MPOL_MF_*.
 *
 * Checks in the kernel's order: mode, flags, start alignment, length
 * wrap, then the policy, then the range (every byte must be mapped).  Each
 * VMA of the range is split to it and its ->set_policy() called.
 * Context: takes mmap_lock for write; may sleep.
 * Return: 0; -EINVAL (mode >= MPOL_MAX, unknown flags, unaligned start,
 * wrap, bad nodemask for the mode); -EFAULT (a hole in the range);
 * -EOPNOTSUPP (a VMA without ->set_policy); -ENOMEM.
 */
int do_mbind(struct mm_struct *mm, unsigned long start, unsigned long len,
	     unsigned short mode, unsigned long nodemask, unsigned int flags)
{
	unsigned long online = BIT(num_online_nodes()) - 1;
	struct vm_area_struct *vma;
	struct mempolicy pol;
	unsigned long end, cur;
	int err;

	if (mode >= MPOL_MAX)
		return -EINVAL;
	if (flags & ~(unsigned int)MPOL_MF_VALID)
		return -EINVAL;
	if (start & ~PAGE_MASK)
		return -EINVAL;
	len = PAGE_ALIGN(len);
	end = start + len;
	if (end < start)
		return -EINVAL;
	err = mpol_new(mode, nodemask, online, &pol);
	if (err)
		return err;
	if (end == start)
		return 0;

	down_write(&mm->mmap_lock);
	/* A hole anywhere: -EFAULT before anything changes. */
	for (cur = start; cur < end; cur = vma->vm_end) {
		vma = vma_lookup(mm, cur);
		if (!vma) {
			err = -EFAULT;
			goto out;
		}
		if (!vma->vm_ops || !vma->vm_ops->set_policy) {
			err = -EOPNOTSUPP;
			goto out;
		}
	}
	err = __mm_split_range(mm, start, end);
	if (err)
		goto out;
	for (cur = start; cur < end && !err; cur = vma->vm_end) {
		vma = vma_lookup(mm, cur);
		if (WARN_ON(!vma))
			break;
		err = vma->vm_ops->set_policy(vma, &pol);
	}
out:
	up_write(&mm->mmap_lock);
	return err;
}

/**
 * do_get_mempolicy_addr - get_mempolicy(MPOL_F_ADDR) at @addr of @mm.
 * @mode: out: MPOL_* (MPOL_DEFAULT where no policy is set).
 * @nodemask: out: the policy's nodes (0 for DEFAULT and LOCAL).
 * Context: takes mmap_lock shared.
 * Return: 0, or -EFAULT if @addr is not mapped.
 */
int do_get_mempolicy_addr(struct mm_struct *mm, unsigned long addr, int *mode,
			  unsigned long *nodemask)
{
	struct vm_area_struct *vma;
	struct mempolicy pol = { .mode = MPOL_DEFAULT };
	pgoff_t ilx;

	down_read(&mm->mmap_lock);
	vma = vma_lookup(mm, addr);
	if (!vma) {
		up_read(&mm->mmap_lock);
		return -EFAULT;
	}
	if (vma->vm_ops && vma->vm_ops->get_policy &&
	    !vma->vm_ops->get_policy(vma, addr, &pol, &ilx))
		pol.mode = MPOL_DEFAULT;
	up_read(&mm->mmap_lock);
	*mode = pol.mode;
	*nodemask = pol.nodes;
	return 0;
}

/**
 * mm_page_node - move_pages(2) with nodes == NULL for one page: where the
 * page mapped at @addr lives (no fault is taken, like FOLL_DUMP).
 * Context: takes mmap_lock shared and the PTL.
 * Return: the node id, -EFAULT (not mapped by a VMA) or -ENOENT (no page).
 */
int mm_page_node(struct mm_struct *mm, unsigned long addr)
{
	unsigned long pfn;
	int ret;

	down_read(&mm->mmap_lock);
	if (!vma_lookup(mm, addr)) {
		ret = -EFAULT;
	} else {
		pfn = mm_follow_pfn(mm, addr & PAGE_MASK);
		ret = pfn ? pfn_to_nid(pfn) : -ENOENT;
	}
	up_read(&mm->mmap_lock);
	return ret;
}
