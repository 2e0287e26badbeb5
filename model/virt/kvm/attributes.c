// SPDX-License-Identifier: GPL-2.0
/*
 * Models the memory-attributes half of virt/kvm/kvm_main.c (ML-7.1,
 * CONFIG_KVM_GENERIC_MEMORY_ATTRIBUTES): KVM_SET_MEMORY_ATTRIBUTES with its
 * checks in the kernel's order, the no-op path, reserve / pre pass / store
 * without mmu_lock / post pass (spec §2.4), kvm_handle_gfn_range() and the
 * attribute queries the x86 MMU uses.
 *
 * Storage differs from the kernel for scale: a range is stored with
 * xa_store_range() (aligned multi-index entries), so converting 64 GiB is a
 * few dozen xarray stores, not 16M.  kvm_get_memory_attributes() still
 * answers per gfn.  The kernel's per-gfn xa_reserve() pass is reduced to
 * one reservation of the first gfn: its only observable effect is the
 * -ENOMEM-before-any-change path, which one allocation decision reaches
 * as well as 512 do (a failure at the i-th reserve leaves only reserved,
 * attribute-0 entries behind, which read as before).  The store itself
 * uses __GFP_NOFAIL, which is what the reservation guarantees.
 */
#include <linux/kvm_host.h>
#include <linux/slab.h>
#include <shim/sched.h>

#include "kvm_mm.h"

/**
 * kvm_supported_mem_attributes() - attributes settable on @kvm.
 * @kvm: the VM, or NULL for the /dev/kvm query
 *
 * Context: any.
 * Return: KVM_MEMORY_ATTRIBUTE_PRIVATE for VMs with private memory, else 0.
 */
u64 kvm_supported_mem_attributes(struct kvm *kvm)
{
	if (!kvm || kvm_arch_has_private_mem(kvm))
		return KVM_MEMORY_ATTRIBUTE_PRIVATE;
	return 0;
}

/**
 * kvm_get_memory_attributes() - attributes of one gfn.
 * @kvm: the VM
 * @gfn: guest frame
 *
 * Context: any (lockless read, like the kernel's RCU xa_load()).
 * Return: the attribute mask (0 = shared).
 */
unsigned long kvm_get_memory_attributes(struct kvm *kvm, gfn_t gfn)
{
	/* Proposed in-place gmem (spec §6.3): such slots answer from the inode. */
	if (unlikely(READ_ONCE(kvm->gmem_in_place)))
		return kvm_gmem_get_memory_attributes(kvm, gfn);
	return xa_to_value(xa_load(&kvm->mem_attr_array, gfn));
}

/* The aligned block [*base, *base + 2^order) of the entry holding @index. */
static void kvm_attr_entry_span(struct kvm *kvm, unsigned long index,
				unsigned long *base, unsigned long *last)
{
	int order = xa_get_order(&kvm->mem_attr_array, index);
	unsigned long size = 1UL << order;

	*base = index & ~(size - 1);
	*last = *base + size - 1;
}

/**
 * kvm_range_has_memory_attributes() - do all gfns of [@start, @end) have
 * exactly @attrs under @mask?
 * @kvm: the VM
 * @start: first gfn
 * @end: gfn after the last
 * @mask: attribute bits compared (clipped to the supported ones)
 * @attrs: expected value of those bits
 *
 * Context: any; lockless.
 * Return: true if the range is uniform with @attrs.
 */
bool kvm_range_has_memory_attributes(struct kvm *kvm, gfn_t start, gfn_t end,
				     unsigned long mask, unsigned long attrs)
{
	unsigned long index, idx, base, last;
	void *entry;

	mask &= kvm_supported_mem_attributes(kvm);
	if (attrs & ~mask)
		return false;

	if (unlikely(READ_ONCE(kvm->gmem_in_place)))
		return kvm_gmem_range_has_memory_attributes(kvm, start, end, mask, attrs);

	if (end == start + 1)
		return (kvm_get_memory_attributes(kvm, start) & mask) == attrs;

	if (!attrs) {
		idx = start;
		return !xa_find(&kvm->mem_attr_array, &idx, end - 1, XA_PRESENT);
	}

	/* Walk entries, not gfns: a multi-index entry answers its block. */
	for (index = start; index < end; index = last + 1) {
		idx = index;
		entry = xa_find(&kvm->mem_attr_array, &idx, end - 1, XA_PRESENT);
		if (!entry || !xa_is_value(entry))
			return false;
		kvm_attr_entry_span(kvm, idx, &base, &last);
		if (base > index)
			return false;	/* a hole before the entry */
		if ((xa_to_value(entry) & mask) != attrs)
			return false;
		if (last == ULONG_MAX)
			break;
	}
	return true;
}

/*
 * Store @entry over [start, end).  A larger multi-index entry that sticks
 * out of the range is replaced as a whole by the store, so its outside parts
 * are re-stored too -- all under one xa_lock hold with non-blocking
 * allocations, so no reader (lockless in controlled mode, xa_lock'ed when
 * free-running) ever sees a gfn outside the range change.
 * Context: takes xa_lock(xa); does not sleep.
 */
static int kvm_attr_store_range(struct kvm *kvm, gfn_t start, gfn_t end,
				void *entry)
{
	const gfp_t gfp = GFP_ATOMIC | __GFP_NOFAIL;
	struct xarray *xa = &kvm->mem_attr_array;
	struct { unsigned long first, last; void *v; } keep[4];
	unsigned long ends[2] = { start, end - 1 };
	unsigned long base, last;
	int nkeep = 0, i, r;

	for (i = 0; i < 2; i++) {
		void *e = xa_load(xa, ends[i]);

		if (!e)
			continue;
		kvm_attr_entry_span(kvm, ends[i], &base, &last);
		if (base < start)
			keep[nkeep++] = (typeof(keep[0])){ base, start - 1, e };
		if (last >= end)
			keep[nkeep++] = (typeof(keep[0])){ end, last, e };
	}

	xa_lock(xa);
	r = xa_err(__xa_store_range(xa, start, end - 1, entry, gfp));
	for (i = 0; i < nkeep; i++) {
		int err = xa_err(__xa_store_range(xa, keep[i].first, keep[i].last,
						  keep[i].v, gfp));
		if (!r)
			r = err;
	}
	xa_unlock(xa);
	return r;
}

typedef bool (*gfn_handler_t)(struct kvm *kvm, struct kvm_gfn_range *range);
typedef void (*on_lock_fn_t)(struct kvm *kvm);

struct kvm_mmu_notifier_range {
	u64 start;
	u64 end;
	union kvm_mmu_notifier_arg arg;
	gfn_handler_t handler;
	on_lock_fn_t on_lock;
	bool flush_on_ret;
	bool may_block;
};

/*
 * Call @range->handler for every memslot piece of [start, end); the first
 * piece found takes mmu_lock (write) and runs ->on_lock.
 * Context: slots_lock held; takes kvm->mmu_lock for write.
 */
static bool kvm_handle_gfn_range(struct kvm *kvm,
				 struct kvm_mmu_notifier_range *range)
{
	struct kvm_gfn_range gfn_range;
	struct kvm_memory_slot *slot;
	struct kvm_memslots *slots;
	bool found_memslot = false;
	bool ret = false;
	int i, bkt;

	gfn_range.arg = range->arg;
	gfn_range.may_block = range->may_block;
	gfn_range.lockless = false;
	/* The x86 pre hook narrows the filter to the opposite kind. */
	gfn_range.attr_filter = KVM_FILTER_SHARED | KVM_FILTER_PRIVATE;

	for (i = 0; i < kvm->nr_memslot_as_ids; i++) {
		slots = __kvm_memslots(kvm, i);

		kvm_for_each_memslot_in_gfn_range(slot, bkt, slots, range->start, range->end) {
			gfn_range.slot = slot;
			gfn_range.start = max(range->start, slot->base_gfn);
			gfn_range.end = min(range->end, slot->base_gfn + slot->npages);
			if (gfn_range.start >= gfn_range.end)
				continue;

			if (!found_memslot) {
				found_memslot = true;
				write_lock(&kvm->mmu_lock);
				if (range->on_lock)
					range->on_lock(kvm);
			}
			ret |= range->handler(kvm, &gfn_range);
		}
	}

	if (range->flush_on_ret && ret)
		kvm_flush_remote_tlbs(kvm);

	if (found_memslot)
		write_unlock(&kvm->mmu_lock);

	return ret;
}

static bool kvm_pre_set_memory_attributes(struct kvm *kvm,
					  struct kvm_gfn_range *range)
{
	/*
	 * Record the range before the arch hook runs: the hook zaps, and a
	 * fault must not re-install what it zapped.
	 */
	kvm_mmu_invalidate_range_add(kvm, range->start, range->end);
	return kvm_arch_pre_set_memory_attributes(kvm, range);
}

/* Bug zoo: zap the mappings of the old kind, outside any invalidation. */
static bool kvm_zoo_unmap_old_attributes(struct kvm *kvm, struct kvm_gfn_range *range)
{
	range->attr_filter = range->arg.attributes & KVM_MEMORY_ATTRIBUTE_PRIVATE ?
			     KVM_FILTER_SHARED : KVM_FILTER_PRIVATE;
	return kvm_unmap_gfn_range(kvm, range);
}

/**
 * kvm_vm_set_mem_attributes() - set @attributes on [@start, @end).
 * @kvm: the VM
 * @start: first gfn
 * @end: gfn after the last
 * @attributes: new mask (0 = shared)
 *
 * Context: takes slots_lock, then mmu_lock (write) twice.  May block.
 * Return: 0, or -ENOMEM before anything changed.
 */
int kvm_vm_set_mem_attributes(struct kvm *kvm, gfn_t start, gfn_t end,
			      unsigned long attributes)
{
	struct kvm_mmu_notifier_range pre_set_range = {
		.start = start,
		.end = end,
		.arg.attributes = attributes,
		.handler = kvm_pre_set_memory_attributes,
		.on_lock = kvm_mmu_invalidate_begin,
		.flush_on_ret = true,
		.may_block = true,
	};
	struct kvm_mmu_notifier_range post_set_range = {
		.start = start,
		.end = end,
		.arg.attributes = attributes,
		.handler = kvm_arch_post_set_memory_attributes,
		.on_lock = kvm_mmu_invalidate_end,
		.may_block = true,
	};
	void *entry;
	int r = 0;

	entry = attributes ? xa_mk_value(attributes) : NULL;

	mutex_lock(&kvm->slots_lock);

	/* Nothing to do: no invalidation, the sequence does not move. */
	if (kvm_range_has_memory_attributes(kvm, start, end, ~0, attributes))
		goto out_unlock;

	sched_point("attr:reserve");
	r = xa_reserve(&kvm->mem_attr_array, start, GFP_KERNEL_ACCOUNT);
	if (r)
		goto out_unlock;
	cond_resched();

	/*
	 * Bug zoo: store first and zap afterwards, with no mmu_invalidate
	 * around the change: a fault that read the old attributes before the
	 * store passes its seq check and installs after the zap.
	 */
	if (kvm_model_zoo(kvm, KVM_ZOO_ATTR_STORE_BEFORE_ZAP)) {
		sched_point("attr:store");
		r = kvm_attr_store_range(kvm, start, end, entry);
		KVM_BUG_ON(r, kvm);
		pre_set_range.handler = kvm_zoo_unmap_old_attributes;
		pre_set_range.on_lock = NULL;
		post_set_range.on_lock = NULL;
		sched_point("attr:zap");
		kvm_handle_gfn_range(kvm, &pre_set_range);
		sched_point("attr:post");
		kvm_handle_gfn_range(kvm, &post_set_range);
		goto out_unlock;
	}

	kvm_handle_gfn_range(kvm, &pre_set_range);

	/* Stored without mmu_lock: faults are held off by in_progress + seq. */
	sched_point("attr:store");
	r = kvm_attr_store_range(kvm, start, end, entry);
	KVM_BUG_ON(r, kvm);

	sched_point("attr:post");
	kvm_handle_gfn_range(kvm, &post_set_range);

out_unlock:
	mutex_unlock(&kvm->slots_lock);
	return r;
}

/**
 * kvm_vm_ioctl_set_mem_attributes() - KVM_SET_MEMORY_ATTRIBUTES after the
 * copy-in; checks in the kernel's order (spec §2.4).
 * @kvm: the VM
 * @attrs: the request
 *
 * Context: takes slots_lock (see kvm_vm_set_mem_attributes()).
 * Return: 0 or negative errno.
 */
int kvm_vm_ioctl_set_mem_attributes(struct kvm *kvm,
				    const struct kvm_memory_attributes *attrs)
{
	gfn_t start, end;

	if (attrs->flags)
		return -EINVAL;
	if (attrs->attributes & ~kvm_supported_mem_attributes(kvm))
		return -EINVAL;
	if (attrs->size == 0 || attrs->address + attrs->size < attrs->address)
		return -EINVAL;
	if (!PAGE_ALIGNED(attrs->address) || !PAGE_ALIGNED(attrs->size))
		return -EINVAL;

	start = attrs->address >> PAGE_SHIFT;
	end = (attrs->address + attrs->size) >> PAGE_SHIFT;

	return kvm_vm_set_mem_attributes(kvm, start, end, attrs->attributes);
}
