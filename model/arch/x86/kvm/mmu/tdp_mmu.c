// SPDX-License-Identifier: GPL-2.0
/*
 * Models arch/x86/kvm/mmu/tdp_mmu.c (X86-new): the TDP MMU's leaf SPTEs,
 * direct and mirror (TDX S-EPT) roots, mapping at a goal level and zapping
 * gfn ranges with attribute filters.
 *
 * The kernel keeps a radix tree of page tables per root and changes one
 * SPTE at a time with cmpxchg under mmu_lock held for read.  The model keeps
 * only leaves: per root and level an xarray indexed by gfn >> level shift.
 * A leaf never overlaps another leaf of the same root (a 2M leaf and 4K
 * leaves of its frame do not coexist), which kvm_tdp_mmu_map() maintains by
 * zapping what the new leaf replaces, as the kernel does when it swaps a
 * huge SPTE for a page table or a page table for a huge SPTE.
 */
#include <linux/kvm_host.h>
#include <linux/slab.h>

#include "mmu_internal.h"

static void tdp_mmu_root_init(struct kvm_mmu_root *root, bool is_mirror)
{
	int i;

	for (i = 0; i < KVM_NR_PAGE_SIZES; i++) {
		xa_init(&root->sptes[i]);
		root->nr_leaf[i] = 0;
	}
	root->is_mirror = is_mirror;
}

static void tdp_mmu_root_destroy(struct kvm_mmu_root *root)
{
	int i;

	for (i = 0; i < KVM_NR_PAGE_SIZES; i++)
		xa_destroy(&root->sptes[i]);
}

/**
 * kvm_tdp_mmu_init_vm() - set up the roots of a new VM
 * @kvm: the VM (kvm->arch.vm_type already set)
 *
 * Context: VM creation, no locks held; may allocate.
 * Return: 0 or -ENOMEM.
 */
int kvm_tdp_mmu_init_vm(struct kvm *kvm)
{
	spin_lock_init(&kvm->arch.spte_lock);
	tdp_mmu_root_init(&kvm->arch.direct_root, false);
	kvm->arch.mirror_root = NULL;
	if (kvm_has_mirrored_tdp(kvm)) {
		kvm->arch.mirror_root = kzalloc(sizeof(*kvm->arch.mirror_root),
						GFP_KERNEL_ACCOUNT);
		if (!kvm->arch.mirror_root)
			return -ENOMEM;
		tdp_mmu_root_init(kvm->arch.mirror_root, true);
	}
	return 0;
}

/**
 * kvm_tdp_mmu_uninit_vm() - free every SPTE and root of a dying VM
 * @kvm: the VM
 *
 * Context: VM destruction, no other users; no locks needed.
 */
void kvm_tdp_mmu_uninit_vm(struct kvm *kvm)
{
	tdp_mmu_root_destroy(&kvm->arch.direct_root);
	if (kvm->arch.mirror_root) {
		tdp_mmu_root_destroy(kvm->arch.mirror_root);
		kfree(kvm->arch.mirror_root);
		kvm->arch.mirror_root = NULL;
	}
}

static struct kvm_mmu_root *tdp_mmu_root(struct kvm *kvm, bool is_private)
{
	if (is_private && kvm->arch.mirror_root)
		return kvm->arch.mirror_root;
	return &kvm->arch.direct_root;
}

static inline unsigned long spte_index(gfn_t gfn, int level)
{
	return gfn >> KVM_HPAGE_GFN_SHIFT(level);
}

static u64 root_load(struct kvm_mmu_root *root, int level, gfn_t gfn)
{
	void *entry = xa_load(&root->sptes[level - 1], spte_index(gfn, level));

	return entry ? xa_to_value(entry) : 0;
}

/* Walk @root for @gfn; spte_lock held.  Returns the leaf or 0. */
static u64 __tdp_mmu_walk(struct kvm_mmu_root *root, gfn_t gfn, int *level)
{
	int l;

	for (l = KVM_MAX_HUGEPAGE_LEVEL; l >= PG_LEVEL_4K; l--) {
		u64 spte = root_load(root, l, gfn);

		if (is_shadow_present_pte(spte)) {
			if (level)
				*level = l;
			return spte;
		}
	}
	return 0;
}

/**
 * kvm_tdp_mmu_walk() - what the hardware page walker would find for @gfn
 * @kvm: the VM
 * @gfn: canonical gfn (no TDX shared bit)
 * @mirror: walk the private (mirror) root; ignored without mirrored TDP
 * @level: out, the leaf's level when found
 *
 * Context: takes kvm->arch.spte_lock (a spinlock); must not hold it.
 * Return: the leaf SPTE, or 0 when nothing maps @gfn.
 */
u64 kvm_tdp_mmu_walk(struct kvm *kvm, gfn_t gfn, bool mirror, int *level)
{
	u64 spte;

	spin_lock(&kvm->arch.spte_lock);
	spte = __tdp_mmu_walk(tdp_mmu_root(kvm, mirror), gfn, level);
	spin_unlock(&kvm->arch.spte_lock);
	return spte;
}

/**
 * kvm_tdp_mmu_walk_locked() - kvm_tdp_mmu_walk() for callers holding spte_lock
 * @kvm: the VM
 * @gfn: canonical gfn
 * @mirror: walk the mirror root (TDX private)
 * @level: out, the leaf's level when found
 *
 * Context: kvm->arch.spte_lock held.
 * Return: the leaf SPTE, or 0.
 */
u64 kvm_tdp_mmu_walk_locked(struct kvm *kvm, gfn_t gfn, bool mirror, int *level)
{
	return __tdp_mmu_walk(tdp_mmu_root(kvm, mirror), gfn, level);
}

/**
 * kvm_tdp_mmu_fast_pf_get_last_sptep() - lockless leaf lookup for fast faults
 * @vcpu: the faulting vCPU
 * @gfn: canonical gfn
 * @is_private: which root (TDX)
 * @level: out, the leaf's level
 *
 * Context: mmu_lock not needed (like the kernel's lockless walk); takes spte_lock.
 * Return: the leaf SPTE or 0.
 */
u64 kvm_tdp_mmu_fast_pf_get_last_sptep(struct kvm_vcpu *vcpu, gfn_t gfn, bool is_private,
				       int *level)
{
	return kvm_tdp_mmu_walk(vcpu->kvm, gfn, is_private, level);
}

/* Remove one leaf; spte_lock held.  Counts the zap for statistics. */
static void tdp_mmu_zap_leaf(struct kvm *kvm, struct kvm_mmu_root *root, int level,
			     unsigned long index, bool shattered)
{
	xa_erase(&root->sptes[level - 1], index);
	root->nr_leaf[level - 1]--;
	kvm_mmu_stat_inc(&kvm->arch.stat.sptes_zapped);
	if (shattered && level > PG_LEVEL_4K)
		kvm_mmu_stat_inc(&kvm->arch.stat.huge_shattered[level - 1]);
}

/*
 * Zap every leaf of @root that overlaps [start, end).  A huge leaf that
 * covers only part of the range goes too (the range shatters it).
 * spte_lock held.  Returns true if anything was zapped.
 */
static bool tdp_mmu_zap_leafs(struct kvm *kvm, struct kvm_mmu_root *root,
			      gfn_t start, gfn_t end, int max_level)
{
	bool zapped = false;
	int level;

	if (start >= end)
		return false;

	for (level = PG_LEVEL_4K; level <= max_level; level++) {
		unsigned long first = spte_index(start, level);
		unsigned long last = spte_index(end - 1, level);
		unsigned long index;
		void *entry;

		if (!root->nr_leaf[level - 1])
			continue;
		xa_for_each_range(&root->sptes[level - 1], index, entry, first, last) {
			gfn_t fstart = (gfn_t)index << KVM_HPAGE_GFN_SHIFT(level);
			gfn_t fend = fstart + KVM_PAGES_PER_HPAGE(level);

			/* Bug zoo: a zap of part of a huge leaf leaves it in place. */
			if (level > PG_LEVEL_4K && (fstart < start || fend > end) &&
			    kvm_model_zoo(kvm, KVM_ZOO_HUGETLB_SPLIT_NO_ZAP))
				continue;
			tdp_mmu_zap_leaf(kvm, root, level, index,
					 fstart < start || fend > end);
			zapped = true;
		}
	}
	return zapped;
}

/**
 * kvm_tdp_mmu_map() - install the leaf SPTE a resolved fault asks for
 * @vcpu: the faulting vCPU
 * @fault: gfn, pfn (aligned to goal_level), goal_level, map_writable, is_private
 *
 * Replaces a huge leaf over the gfn when mapping smaller (the fault path's
 * "zap the huge SPTE, then descend"), and leaves inside the frame when
 * mapping huge.  A present leaf at the goal level that maps another pfn is a
 * bug in the invalidation protocol: WARN, as the kernel does when such a
 * change would need a TLB flush.
 *
 * Context: kvm->mmu_lock held for read; takes kvm->arch.spte_lock; may flush
 * remote TLBs.  Does not sleep (xarray nodes come from GFP_ATOMIC).
 * Return: RET_PF_FIXED, RET_PF_SPURIOUS, or -ENOMEM.
 */
int kvm_tdp_mmu_map(struct kvm_vcpu *vcpu, struct kvm_page_fault *fault)
{
	struct kvm *kvm = vcpu->kvm;
	struct kvm_mmu_root *root = tdp_mmu_root(kvm, fault->is_private);
	int goal = fault->goal_level;
	gfn_t base = gfn_round_for_level(fault->gfn, goal);
	u64 new_spte, old_spte;
	bool flush = false;
	int level, ret = RET_PF_FIXED;
	void *curr;

	lockdep_assert_held(&kvm->mmu_lock);

	if (WARN_ON_ONCE(fault->pfn > SPTE_PFN_MAX))
		return -EFAULT;
	new_spte = make_spte(fault->pfn, goal, fault->map_writable, true, fault->is_private);

	spin_lock(&kvm->arch.spte_lock);

	/* A huge leaf above the goal level covers this gfn: zap it first. */
	for (level = KVM_MAX_HUGEPAGE_LEVEL; level > goal; level--) {
		if (is_shadow_present_pte(root_load(root, level, fault->gfn))) {
			tdp_mmu_zap_leaf(kvm, root, level, spte_index(fault->gfn, level), true);
			flush = true;
		}
	}

	old_spte = root_load(root, goal, base);
	/* TDX: the guest's acceptance belongs to the S-EPT entry, keep it. */
	if (is_shadow_present_pte(old_spte) && spte_to_pfn(old_spte) == fault->pfn)
		new_spte |= old_spte & SPTE_ACCEPTED_MASK;
	if (old_spte == new_spte) {
		ret = RET_PF_SPURIOUS;
		goto out_unlock;
	}
	if (is_shadow_present_pte(old_spte)) {
		if (WARN_ON_ONCE(spte_to_pfn(old_spte) != fault->pfn ||
				 is_private_pte(old_spte) != fault->is_private))
			flush = true;
	}

	/* Mapping huge: the smaller leaves inside the frame become unreachable. */
	if (goal > PG_LEVEL_4K)
		flush |= tdp_mmu_zap_leafs(kvm, root, base, base + KVM_PAGES_PER_HPAGE(goal),
					   goal - 1);

	curr = xa_store(&root->sptes[goal - 1], spte_index(base, goal),
			xa_mk_value(new_spte), GFP_ATOMIC);
	if (xa_is_err(curr)) {
		ret = xa_err(curr);
		goto out_unlock;
	}
	if (!is_shadow_present_pte(old_spte))
		root->nr_leaf[goal - 1]++;
	kvm_mmu_stat_inc(&kvm->arch.stat.sptes_installed);
	if (goal > PG_LEVEL_4K)
		kvm_mmu_stat_inc(&kvm->arch.stat.huge_created[goal - 1]);

out_unlock:
	spin_unlock(&kvm->arch.spte_lock);
	if (flush)
		kvm_flush_remote_tlbs(kvm);
	return ret;
}

/**
 * kvm_tdp_mmu_set_accepted() - mark the private leaf mapping @gfn at @level
 * accepted by the guest (TDX, TDG.MEM.PAGE.ACCEPT)
 * @kvm: a VM with a mirror root
 * @gfn: canonical gfn
 * @level: the leaf's level
 *
 * Context: kvm->arch.spte_lock held.
 * Return: 0, or -ENOENT when no such leaf exists.
 */
int kvm_tdp_mmu_set_accepted(struct kvm *kvm, gfn_t gfn, int level)
{
	struct kvm_mmu_root *root = kvm->arch.mirror_root;
	u64 spte;

	if (!root)
		return -ENOENT;
	spte = root_load(root, level, gfn);
	if (!is_shadow_present_pte(spte))
		return -ENOENT;
	/* Replaces a present entry: no allocation. */
	xa_store(&root->sptes[level - 1], spte_index(gfn, level),
		 xa_mk_value(spte | SPTE_ACCEPTED_MASK), GFP_ATOMIC);
	return 0;
}

static enum kvm_tdp_mmu_root_types
kvm_gfn_range_filter_to_root_types(struct kvm *kvm, enum kvm_gfn_range_filter process)
{
	enum kvm_tdp_mmu_root_types types = 0;

	/* Without a mirror root the filter cannot tell mappings apart. */
	if (!kvm_has_mirrored_tdp(kvm))
		return KVM_DIRECT_ROOTS;

	if (process & KVM_FILTER_PRIVATE)
		types |= KVM_MIRROR_ROOTS;
	if (process & KVM_FILTER_SHARED)
		types |= KVM_DIRECT_ROOTS;
	return types;
}

/**
 * kvm_tdp_mmu_unmap_gfn_range() - zap leaves of [range->start, range->end)
 * @kvm: the VM
 * @range: gfn range (already clipped to range->slot) and attr_filter
 * @flush: whether the caller already needs a TLB flush
 *
 * Root selection follows kvm_gfn_range_filter_to_root_types(): all roots
 * without mirrored TDP; with it SHARED picks the direct root and PRIVATE the
 * mirror root.  (The model has no invalid roots to include.)
 *
 * Context: kvm->mmu_lock held (write, or read for may_block=false callers);
 * takes kvm->arch.spte_lock.
 * Return: @flush, or true if anything was zapped.
 */
bool kvm_tdp_mmu_unmap_gfn_range(struct kvm *kvm, struct kvm_gfn_range *range, bool flush)
{
	enum kvm_tdp_mmu_root_types types;

	lockdep_assert_held(&kvm->mmu_lock);

	types = kvm_gfn_range_filter_to_root_types(kvm, range->attr_filter);
	spin_lock(&kvm->arch.spte_lock);
	if (types & KVM_DIRECT_ROOTS)
		flush |= tdp_mmu_zap_leafs(kvm, &kvm->arch.direct_root, range->start, range->end,
					   KVM_MAX_HUGEPAGE_LEVEL);
	if ((types & KVM_MIRROR_ROOTS) && kvm->arch.mirror_root)
		flush |= tdp_mmu_zap_leafs(kvm, kvm->arch.mirror_root, range->start, range->end,
					   KVM_MAX_HUGEPAGE_LEVEL);
	spin_unlock(&kvm->arch.spte_lock);
	return flush;
}

static bool tdp_mmu_zap_root(struct kvm *kvm, struct kvm_mmu_root *root)
{
	bool zapped = false;
	int level;

	for (level = PG_LEVEL_4K; level <= KVM_MAX_HUGEPAGE_LEVEL; level++) {
		unsigned long index;
		void *entry;

		xa_for_each(&root->sptes[level - 1], index, entry) {
			tdp_mmu_zap_leaf(kvm, root, level, index, false);
			zapped = true;
		}
	}
	return zapped;
}

/**
 * kvm_tdp_mmu_zap_all() - zap every leaf of every root
 * @kvm: the VM
 *
 * Context: kvm->mmu_lock held for write; takes spte_lock.
 * Return: true if anything was zapped (the caller flushes).
 */
bool kvm_tdp_mmu_zap_all(struct kvm *kvm)
{
	bool zapped;

	lockdep_assert_held_write(&kvm->mmu_lock);

	spin_lock(&kvm->arch.spte_lock);
	zapped = tdp_mmu_zap_root(kvm, &kvm->arch.direct_root);
	if (kvm->arch.mirror_root)
		zapped |= tdp_mmu_zap_root(kvm, kvm->arch.mirror_root);
	spin_unlock(&kvm->arch.spte_lock);
	return zapped;
}

/**
 * kvm_tdp_mmu_check_counts() - do the per-level leaf counters match the store?
 * @kvm: the VM
 *
 * The counters let zaps skip empty levels, so a wrong one would hide SPTEs
 * from zaps.
 *
 * Context: takes spte_lock.
 * Return: the number of (root, level) pairs whose counter is wrong.
 */
int kvm_tdp_mmu_check_counts(struct kvm *kvm)
{
	struct kvm_mmu_root *roots[2] = { &kvm->arch.direct_root, kvm->arch.mirror_root };
	int r, level, bad = 0;

	spin_lock(&kvm->arch.spte_lock);
	for (r = 0; r < 2; r++) {
		if (!roots[r])
			continue;
		for (level = PG_LEVEL_4K; level <= KVM_MAX_HUGEPAGE_LEVEL; level++) {
			unsigned long index, n = 0;
			void *entry;

			xa_for_each(&roots[r]->sptes[level - 1], index, entry)
				n++;
			if (n != roots[r]->nr_leaf[level - 1])
				bad++;
		}
	}
	spin_unlock(&kvm->arch.spte_lock);
	return bad;
}

/**
 * kvm_tdp_mmu_for_each_leaf() - visit every leaf SPTE (checkers, tests)
 * @kvm: the VM
 * @fn: called with (kvm, mirror, level, first gfn of the frame, spte, data);
 *      returning false stops the walk
 * @data: passed to @fn
 *
 * Context: takes spte_lock around the walk; @fn must not take it or sleep.
 */
void kvm_tdp_mmu_for_each_leaf(struct kvm *kvm,
			       bool (*fn)(struct kvm *kvm, bool mirror, int level, gfn_t gfn,
					  u64 spte, void *data),
			       void *data)
{
	struct kvm_mmu_root *roots[2] = { &kvm->arch.direct_root, kvm->arch.mirror_root };
	int r, level;

	spin_lock(&kvm->arch.spte_lock);
	for (r = 0; r < 2; r++) {
		if (!roots[r])
			continue;
		for (level = PG_LEVEL_4K; level <= KVM_MAX_HUGEPAGE_LEVEL; level++) {
			unsigned long index;
			void *entry;

			xa_for_each(&roots[r]->sptes[level - 1], index, entry) {
				gfn_t gfn = (gfn_t)index << KVM_HPAGE_GFN_SHIFT(level);

				if (!fn(kvm, roots[r]->is_mirror, level, gfn,
					xa_to_value(entry), data))
					goto out_unlock;
			}
		}
	}
out_unlock:
	spin_unlock(&kvm->arch.spte_lock);
}
