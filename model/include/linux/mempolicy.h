/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Models include/linux/mempolicy.h and include/uapi/linux/mempolicy.h
 * (ML-7.1), reduced: the four classic modes, a nodemask of up to
 * MAX_NUMNODES bits in an unsigned long, and shared (per-inode, per page
 * range) policies as shmem and guest_memfd keep them (spec §1.9, §6.2).
 */
#ifndef _LINUX_MEMPOLICY_H
#define _LINUX_MEMPOLICY_H

#include <linux/types.h>
#include <linux/spinlock.h>

struct mm_struct;
struct vm_area_struct;

/* uapi modes; MPOL_LOCAL is what PREFERRED with an empty nodemask becomes. */
enum {
	MPOL_DEFAULT,
	MPOL_PREFERRED,
	MPOL_BIND,
	MPOL_INTERLEAVE,
	MPOL_LOCAL,
	MPOL_MAX,
};

/* mbind() flags */
#define MPOL_MF_STRICT		(1 << 0)
#define MPOL_MF_MOVE		(1 << 1)
#define MPOL_MF_MOVE_ALL	(1 << 2)
#define MPOL_MF_VALID		(MPOL_MF_STRICT | MPOL_MF_MOVE | MPOL_MF_MOVE_ALL)

/* Largest node count a world can be given (mm_world_set_nr_nodes). */
#define MAX_NUMNODES		8

/* A policy, by value (the kernel refcounts them; copies are enough here). */
struct mempolicy {
	unsigned short mode;	/* MPOL_* */
	unsigned long nodes;	/* bit n: node n */
};

struct sp_node {
	pgoff_t start, end;	/* [start, end) page indices */
	struct mempolicy pol;
};

/* Per-inode policies by page range, sorted, never overlapping. */
struct shared_policy {
	spinlock_t lock;
	struct sp_node *nodes;
	unsigned int nr, cap;
};

/* Return of ->get_policy when it has no interleave index to give. */
#define NO_INTERLEAVE_INDEX	(-1UL)

void mpol_shared_policy_init(struct shared_policy *sp);
void mpol_free_shared_policy(struct shared_policy *sp);
int mpol_set_shared_policy(struct shared_policy *sp, struct vm_area_struct *vma,
			   const struct mempolicy *pol);
bool mpol_shared_policy_lookup(struct shared_policy *sp, pgoff_t idx, struct mempolicy *pol);
int mempolicy_alloc_node(const struct mempolicy *pol, unsigned long ilx);

int do_mbind(struct mm_struct *mm, unsigned long start, unsigned long len,
	     unsigned short mode, unsigned long nodemask, unsigned int flags);
int do_get_mempolicy_addr(struct mm_struct *mm, unsigned long addr, int *mode,
			  unsigned long *nodemask);
int mm_page_node(struct mm_struct *mm, unsigned long addr);

/* NUMA nodes of the page pool (page_alloc.c). */
int numa_node_id(void);
unsigned int num_online_nodes(void);
int pfn_to_nid(unsigned long pfn);

#endif /* _LINUX_MEMPOLICY_H */
