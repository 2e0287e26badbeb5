// SPDX-License-Identifier: GPL-2.0
/*
 * Models the memslot half of virt/kvm/kvm_main.c (ML-7.1, torvalds/linux
 * @01f492e1): KVM_SET_USER_MEMORY_REGION(2) validation in the kernel's
 * order (spec §2.1), and the two-set memslot update protocol (spec §2.2):
 * the inactive set is edited under slots_arch_lock, published by swapping
 * kvm->memslots[as_id], and synchronize_srcu_expedited() waits for every
 * vCPU still reading the old set before the edit is replayed on it.
 *
 * A set is a gfn-sorted array of slot pointers (binary-searched) plus an
 * id-indexed table; slot structs are shared by both sets exactly as the
 * kernel shares them between its two rbtrees.
 */
#include <linux/kvm_host.h>
#include <linux/slab.h>
#include <string.h>
#include <linux/srcu.h>
#include <shim/sched.h>

#include "kvm_mm.h"

/* x86-64 user address space limit used by access_ok(). */
#define KVM_MODEL_TASK_SIZE_MAX	((1UL << 47) - PAGE_SIZE)

static bool kvm_model_access_ok(u64 addr, u64 size)
{
	return size <= KVM_MODEL_TASK_SIZE_MAX &&
	       addr <= KVM_MODEL_TASK_SIZE_MAX - size;
}

/**
 * __kvm_memslots() - the active memslot set of an address space.
 * @kvm: the VM
 * @as_id: address space id
 *
 * Context: kvm->srcu read side or kvm->slots_lock held.
 * Return: the active set.
 */
struct kvm_memslots *__kvm_memslots(struct kvm *kvm, int as_id)
{
	return srcu_dereference_check(kvm->memslots[as_id], &kvm->srcu,
				      lockdep_is_held(&kvm->slots_lock));
}

/**
 * kvm_memslots() - the active memslot set of address space 0.
 * @kvm: the VM
 *
 * Context: kvm->srcu read side or kvm->slots_lock held.
 * Return: the active set.
 */
struct kvm_memslots *kvm_memslots(struct kvm *kvm)
{
	return __kvm_memslots(kvm, 0);
}

/**
 * kvm_vcpu_memslots() - the memslot set a vCPU sees (address space 0; the
 * model has no SMM mode).
 * @vcpu: the vCPU
 *
 * Context: kvm->srcu read side.
 * Return: the active set.
 */
struct kvm_memslots *kvm_vcpu_memslots(struct kvm_vcpu *vcpu)
{
	return __kvm_memslots(vcpu->kvm, 0);
}

/**
 * id_to_memslot() - look a slot up by id.
 * @slots: a memslot set
 * @id: slot id (low 16 bits of the uapi slot)
 *
 * Context: the set must be stable (srcu reader of the active set, or
 * slots_arch_lock for the inactive one).
 * Return: the slot or NULL.
 */
struct kvm_memory_slot *id_to_memslot(struct kvm_memslots *slots, int id)
{
	if (id < 0 || id >= slots->nr_ids)
		return NULL;
	return slots->id_map[id];
}

/**
 * kvm_memslots_first_in_range() - index of the first slot ending after
 * @start in a set's gfn order.
 * @slots: a memslot set
 * @start: first gfn of interest
 *
 * Context: as id_to_memslot().
 * Return: an index in [0, nr_slots].
 */
int kvm_memslots_first_in_range(struct kvm_memslots *slots, gfn_t start)
{
	int lo = 0, hi = slots->nr_slots;

	while (lo < hi) {
		int mid = lo + (hi - lo) / 2;
		struct kvm_memory_slot *s = slots->slots[mid];

		if (s->base_gfn + s->npages <= start)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/**
 * __gfn_to_memslot() - the slot of a set containing @gfn.
 * @slots: a memslot set
 * @gfn: guest frame
 *
 * Context: as id_to_memslot().
 * Return: the slot (possibly KVM_MEMSLOT_INVALID) or NULL.
 */
struct kvm_memory_slot *__gfn_to_memslot(struct kvm_memslots *slots, gfn_t gfn)
{
	int i = kvm_memslots_first_in_range(slots, gfn);
	struct kvm_memory_slot *s;

	if (i >= slots->nr_slots)
		return NULL;
	s = slots->slots[i];
	return gfn >= s->base_gfn ? s : NULL;
}

/**
 * gfn_to_memslot() - the active slot containing @gfn.
 * @kvm: the VM
 * @gfn: guest frame
 *
 * Context: kvm->srcu read side or slots_lock.
 * Return: the slot or NULL.
 */
struct kvm_memory_slot *gfn_to_memslot(struct kvm *kvm, gfn_t gfn)
{
	return __gfn_to_memslot(kvm_memslots(kvm), gfn);
}

/**
 * kvm_vcpu_gfn_to_memslot() - the slot containing @gfn as @vcpu sees it.
 * @vcpu: the vCPU
 * @gfn: guest frame
 *
 * Context: kvm->srcu read side.
 * Return: the slot or NULL.
 */
struct kvm_memory_slot *kvm_vcpu_gfn_to_memslot(struct kvm_vcpu *vcpu, gfn_t gfn)
{
	return __gfn_to_memslot(kvm_vcpu_memslots(vcpu), gfn);
}

/* ---- editing one (inactive) set ---------------------------------------- */

static int kvm_memslots_grow(struct kvm_memslots *slots, int need_slots, int need_ids)
{
	if (need_slots > slots->cap_slots) {
		int cap = max(need_slots, max(8, slots->cap_slots * 2));
		struct kvm_memory_slot **n;

		n = kmalloc_array(cap, sizeof(*n), GFP_KERNEL_ACCOUNT);
		if (!n)
			return -ENOMEM;
		if (slots->nr_slots)
			memcpy(n, slots->slots, slots->nr_slots * sizeof(*n));
		kfree(slots->slots);
		slots->slots = n;
		slots->cap_slots = cap;
	}
	if (need_ids > slots->nr_ids) {
		int nr = max(need_ids, max(8, slots->nr_ids * 2));
		struct kvm_memory_slot **n;

		nr = min(nr, KVM_MEM_SLOTS_NUM);
		n = kcalloc(nr, sizeof(*n), GFP_KERNEL_ACCOUNT);
		if (!n)
			return -ENOMEM;
		if (slots->nr_ids)
			memcpy(n, slots->id_map, slots->nr_ids * sizeof(*n));
		kfree(slots->id_map);
		slots->id_map = n;
		slots->nr_ids = nr;
	}
	return 0;
}

static void kvm_memslots_remove(struct kvm_memslots *slots,
				struct kvm_memory_slot *slot)
{
	int i;

	for (i = kvm_memslots_first_in_range(slots, slot->base_gfn);
	     i < slots->nr_slots; i++)
		if (slots->slots[i] == slot)
			break;
	if (WARN_ON_ONCE(i >= slots->nr_slots))
		return;
	memmove(&slots->slots[i], &slots->slots[i + 1],
		(slots->nr_slots - i - 1) * sizeof(slots->slots[0]));
	slots->nr_slots--;
	if (slots->id_map[slot->id] == slot)
		slots->id_map[slot->id] = NULL;
}

static void kvm_memslots_insert(struct kvm_memslots *slots,
				struct kvm_memory_slot *slot)
{
	int i = kvm_memslots_first_in_range(slots, slot->base_gfn);

	/* Capacity was reserved by kvm_set_memslot() before any change. */
	if (WARN_ON_ONCE(slots->nr_slots >= slots->cap_slots ||
			 slot->id >= slots->nr_ids))
		return;
	memmove(&slots->slots[i + 1], &slots->slots[i],
		(slots->nr_slots - i) * sizeof(slots->slots[0]));
	slots->slots[i] = slot;
	slots->nr_slots++;
	slots->id_map[slot->id] = slot;
}

static struct kvm_memslots *kvm_get_inactive_memslots(struct kvm *kvm, int as_id)
{
	struct kvm_memslots *active = __kvm_memslots(kvm, as_id);

	return &kvm->__memslots[as_id][active->node_idx ^ 1];
}

/*
 * Replace @old with @new in the inactive set (either may be NULL).
 * Context: slots_arch_lock held.
 */
static void kvm_replace_memslot(struct kvm *kvm, struct kvm_memory_slot *old,
				struct kvm_memory_slot *new)
{
	int as_id = old ? old->as_id : new->as_id;
	struct kvm_memslots *slots = kvm_get_inactive_memslots(kvm, as_id);

	lockdep_assert_held(&kvm->slots_arch_lock);
	if (old)
		kvm_memslots_remove(slots, old);
	if (new)
		kvm_memslots_insert(slots, new);
}

/*
 * Publish the inactive set and wait until no vCPU can still see the old
 * one.  Drops slots_arch_lock before waiting, like the kernel, so that
 * vCPUs needing it (x86 shadow-MMU allocation) cannot deadlock with us.
 * Context: slots_lock and slots_arch_lock held; returns with slots_arch_lock
 * released.  Blocks in synchronize_srcu_expedited().
 */
static void kvm_swap_active_memslots(struct kvm *kvm, int as_id)
{
	struct kvm_memslots *slots = kvm_get_inactive_memslots(kvm, as_id);
	u64 gen = __kvm_memslots(kvm, as_id)->generation;

	slots->generation = gen + 1;
	sched_point("memslot:publish");
	/*
	 * An HVA invalidation in flight must see the same slots at its end
	 * as at its start (B-24): publish only when none is active.
	 */
	spin_lock(&kvm->mn_invalidate_lock);
	while (kvm->mn_active_invalidate_count) {
		spin_unlock(&kvm->mn_invalidate_lock);
		sched_spin("memslot:wait-mn-invalidate");
		spin_lock(&kvm->mn_invalidate_lock);
	}
	rcu_assign_pointer(kvm->memslots[as_id], slots);
	spin_unlock(&kvm->mn_invalidate_lock);
	mutex_unlock(&kvm->slots_arch_lock);
	synchronize_srcu_expedited(&kvm->srcu);
	sched_point("memslot:srcu-synced");
}

/*
 * Swap in the set holding @new, then replay old -> new on the other set.
 * Context: slots_arch_lock held on entry, re-taken and released again.
 */
static void kvm_activate_memslot(struct kvm *kvm, struct kvm_memory_slot *old,
				 struct kvm_memory_slot *new)
{
	int as_id = old ? old->as_id : new->as_id;

	kvm_swap_active_memslots(kvm, as_id);
	mutex_lock(&kvm->slots_arch_lock);
	kvm_replace_memslot(kvm, old, new);
	mutex_unlock(&kvm->slots_arch_lock);
}

/*
 * Mark @old invalid: vCPUs see @invalid_slot (a copy flagged INVALID) and
 * retry their faults; then every SPTE of the slot is zapped.
 * Context: slots_arch_lock held on entry and on return (dropped meanwhile).
 */
static void kvm_invalidate_memslot(struct kvm *kvm, struct kvm_memory_slot *old,
				   struct kvm_memory_slot *invalid_slot)
{
	*invalid_slot = *old;
	invalid_slot->flags |= KVM_MEMSLOT_INVALID;
	kvm_replace_memslot(kvm, old, invalid_slot);

	kvm_swap_active_memslots(kvm, old->as_id);

	sched_point("memslot:zap-invalid");
	kvm_arch_flush_shadow_memslot(kvm, old);

	mutex_lock(&kvm->slots_arch_lock);
	/* The arch may have changed the copy's metadata while we waited. */
	old->arch = invalid_slot->arch;
	/*
	 * The now inactive set keeps @old, as the kernel's does: the slot is
	 * deleted or replaced from there, or (prepare failed) published again.
	 */
}

static void kvm_free_memslot(struct kvm *kvm, struct kvm_memory_slot *slot)
{
	if (kvm_slot_has_gmem(slot))
		kvm_gmem_unbind(slot);
	kvm_arch_free_memslot(kvm, slot);
	kfree(slot);
}

static void kvm_commit_memory_region(struct kvm *kvm,
				     struct kvm_memory_slot *old,
				     const struct kvm_memory_slot *new,
				     enum kvm_mr_change change)
{
	if (change == KVM_MR_DELETE)
		kvm->nr_memslot_pages -= old->npages;
	else if (change == KVM_MR_CREATE)
		kvm->nr_memslot_pages += new->npages;

	kvm_arch_commit_memory_region(kvm, old, new, change);

	switch (change) {
	case KVM_MR_CREATE:
		break;
	case KVM_MR_DELETE:
		kvm_free_memslot(kvm, old);
		break;
	case KVM_MR_MOVE:
	case KVM_MR_FLAGS_ONLY:
		/*
		 * Validation rejects both for gmem slots; if one ever got
		 * here, unbind so the file's bindings cannot dangle (B-19).
		 */
		if (WARN_ON_ONCE(kvm_slot_has_gmem(old)))
			kvm_gmem_unbind(old);
		kfree(old);
		break;
	default:
		BUG();
	}
}

/*
 * Context: slots_lock held; takes slots_arch_lock.  Blocks (SRCU syncs).
 * Return: 0 or negative errno (nothing changed on error).
 */
static int kvm_set_memslot(struct kvm *kvm, struct kvm_memory_slot *old,
			   struct kvm_memory_slot *new,
			   enum kvm_mr_change change)
{
	struct kvm_memory_slot *invalid_slot = NULL;
	int as_id = old ? old->as_id : new->as_id;
	int id = old ? old->id : new->id;
	int r, i;

	mutex_lock(&kvm->slots_arch_lock);

	/* Reserve room in both sets up front: the edits below cannot fail. */
	for (i = 0; i < 2; i++) {
		struct kvm_memslots *s = &kvm->__memslots[as_id][i];

		r = kvm_memslots_grow(s, s->nr_slots + 1, id + 1);
		if (r) {
			mutex_unlock(&kvm->slots_arch_lock);
			return r;
		}
	}

	if (change == KVM_MR_DELETE || change == KVM_MR_MOVE) {
		invalid_slot = kzalloc(sizeof(*invalid_slot), GFP_KERNEL_ACCOUNT);
		if (!invalid_slot) {
			mutex_unlock(&kvm->slots_arch_lock);
			return -ENOMEM;
		}
		kvm_invalidate_memslot(kvm, old, invalid_slot);
	}

	r = kvm_arch_prepare_memory_region(kvm, old, new, change);
	if (r) {
		if (change == KVM_MR_DELETE || change == KVM_MR_MOVE) {
			/* Undo the invalidation: publish @old again. */
			kvm_activate_memslot(kvm, invalid_slot, old);
			kfree(invalid_slot);
		} else {
			mutex_unlock(&kvm->slots_arch_lock);
		}
		return r;
	}

	switch (change) {
	case KVM_MR_CREATE:
		kvm_replace_memslot(kvm, NULL, new);
		kvm_activate_memslot(kvm, NULL, new);
		break;
	case KVM_MR_DELETE:
		kvm_replace_memslot(kvm, old, NULL);
		kvm_activate_memslot(kvm, invalid_slot, NULL);
		break;
	case KVM_MR_MOVE:
		kvm_replace_memslot(kvm, old, new);
		kvm_activate_memslot(kvm, invalid_slot, new);
		break;
	case KVM_MR_FLAGS_ONLY:
		kvm_replace_memslot(kvm, old, new);
		kvm_activate_memslot(kvm, old, new);
		break;
	}
	kfree(invalid_slot);

	sched_point("memslot:commit");
	kvm_commit_memory_region(kvm, old, new, change);
	return 0;
}

static bool kvm_check_memslot_overlap(struct kvm_memslots *slots, int id,
				      gfn_t start, gfn_t end)
{
	struct kvm_memory_slot *slot;
	int bkt;

	kvm_for_each_memslot_in_gfn_range(slot, bkt, slots, start, end) {
		if (slot->id != id)
			return true;
	}
	return false;
}

static int check_memory_region_flags(struct kvm *kvm,
				     const struct kvm_userspace_memory_region2 *mem)
{
	u32 valid_flags = KVM_MEM_LOG_DIRTY_PAGES;

	/* CONFIG_KVM_GUEST_MEMFD is always on in the model (6.18+). */
	valid_flags |= KVM_MEM_GUEST_MEMFD;

	/* Dirty logging of private memory is not supported. */
	if (mem->flags & KVM_MEM_GUEST_MEMFD)
		valid_flags &= ~KVM_MEM_LOG_DIRTY_PAGES;

	/* Read-only gmem slots are not supported either. */
	if (kvm_arch_has_readonly_mem(kvm) && !(mem->flags & KVM_MEM_GUEST_MEMFD))
		valid_flags |= KVM_MEM_READONLY;

	if (mem->flags & ~valid_flags)
		return -EINVAL;
	return 0;
}

/**
 * kvm_set_memory_region() - create, delete, move or re-flag a memslot.
 * @kvm: the VM
 * @mem: the request (region2 layout; v1 callers zero the v2 fields)
 *
 * Checks in the kernel's order (spec §2.1 steps 1-15); the first failing
 * one decides the errno.
 *
 * Context: kvm->slots_lock held.  Blocks (SRCU grace periods, gmem bind).
 * Return: 0 or negative errno.
 */
int kvm_set_memory_region(struct kvm *kvm,
			  const struct kvm_userspace_memory_region2 *mem)
{
	struct kvm_memory_slot *old, *new;
	struct kvm_memslots *slots;
	enum kvm_mr_change change;
	unsigned long npages;
	gfn_t base_gfn;
	int as_id, id;
	int r;

	lockdep_assert_held(&kvm->slots_lock);

	r = check_memory_region_flags(kvm, mem);
	if (r)
		return r;

	as_id = mem->slot >> 16;
	id = (u16)mem->slot;

	if ((mem->memory_size & (PAGE_SIZE - 1)) ||
	    (mem->memory_size != (unsigned long)mem->memory_size))
		return -EINVAL;
	if (mem->guest_phys_addr & (PAGE_SIZE - 1))
		return -EINVAL;
	/* No tagged addresses in the model: untagged_addr() is the identity. */
	if ((mem->userspace_addr & (PAGE_SIZE - 1)) ||
	    !kvm_model_access_ok(mem->userspace_addr, mem->memory_size))
		return -EINVAL;
	if (mem->flags & KVM_MEM_GUEST_MEMFD &&
	    (mem->guest_memfd_offset & (PAGE_SIZE - 1) ||
	     mem->guest_memfd_offset + mem->memory_size < mem->guest_memfd_offset))
		return -EINVAL;
	if (as_id >= kvm->nr_memslot_as_ids || id >= KVM_MEM_SLOTS_NUM)
		return -EINVAL;
	if (mem->guest_phys_addr + mem->memory_size < mem->guest_phys_addr)
		return -EINVAL;
	if (id < KVM_USER_MEM_SLOTS &&
	    (mem->memory_size >> PAGE_SHIFT) > KVM_MEM_MAX_NR_PAGES)
		return -EINVAL;

	slots = __kvm_memslots(kvm, as_id);
	old = id_to_memslot(slots, id);

	if (!mem->memory_size) {
		if (!old || !old->npages)
			return -EINVAL;
		if (WARN_ON_ONCE(kvm->nr_memslot_pages < old->npages))
			return -EIO;
		return kvm_set_memslot(kvm, old, NULL, KVM_MR_DELETE);
	}

	base_gfn = mem->guest_phys_addr >> PAGE_SHIFT;
	npages = mem->memory_size >> PAGE_SHIFT;

	if (!old || !old->npages) {
		change = KVM_MR_CREATE;
		if (kvm->nr_memslot_pages + npages < kvm->nr_memslot_pages)
			return -EINVAL;
	} else {
		/* Private memslots are immutable: they can only be deleted. */
		if (mem->flags & KVM_MEM_GUEST_MEMFD)
			return -EINVAL;
		if ((mem->userspace_addr != old->userspace_addr) ||
		    (npages != old->npages) ||
		    ((mem->flags ^ old->flags) & (KVM_MEM_READONLY | KVM_MEM_GUEST_MEMFD)))
			return -EINVAL;

		if (base_gfn != old->base_gfn)
			change = KVM_MR_MOVE;
		else if (mem->flags != old->flags)
			change = KVM_MR_FLAGS_ONLY;
		else
			return 0;
	}

	if ((change == KVM_MR_CREATE || change == KVM_MR_MOVE) &&
	    kvm_check_memslot_overlap(slots, id, base_gfn, base_gfn + npages))
		return -EEXIST;

	new = kzalloc(sizeof(*new), GFP_KERNEL_ACCOUNT);
	if (!new)
		return -ENOMEM;

	new->as_id = as_id;
	new->id = id;
	new->base_gfn = base_gfn;
	new->npages = npages;
	new->flags = mem->flags;
	new->userspace_addr = mem->userspace_addr;
	if (mem->flags & KVM_MEM_GUEST_MEMFD) {
		r = kvm_gmem_bind(kvm, new, mem->guest_memfd, mem->guest_memfd_offset);
		if (r)
			goto out;
	}

	r = kvm_set_memslot(kvm, old, new, change);
	if (r)
		goto out_unbind;

	return 0;

out_unbind:
	if (mem->flags & KVM_MEM_GUEST_MEMFD)
		kvm_gmem_unbind(new);
out:
	kfree(new);
	return r;
}

/**
 * kvm_vm_ioctl_set_memory_region() - the ioctl body of
 * KVM_SET_USER_MEMORY_REGION(2), after the copy from user space.
 * @kvm: the VM
 * @mem: the request
 *
 * Context: takes kvm->slots_lock.  Blocks.
 * Return: 0 or negative errno.
 */
int kvm_vm_ioctl_set_memory_region(struct kvm *kvm,
				   const struct kvm_userspace_memory_region2 *mem)
{
	int r;

	if ((u16)mem->slot >= KVM_USER_MEM_SLOTS)
		return -EINVAL;

	mutex_lock(&kvm->slots_lock);
	r = kvm_set_memory_region(kvm, mem);
	mutex_unlock(&kvm->slots_lock);
	return r;
}

/**
 * kvm_memslots_init() - set up the empty memslot sets of a new VM.
 * @kvm: the VM
 *
 * Context: VM creation, no locks.
 */
void kvm_memslots_init(struct kvm *kvm)
{
	int i, j;

	for (i = 0; i < KVM_MAX_NR_ADDRESS_SPACES; i++) {
		for (j = 0; j < 2; j++) {
			struct kvm_memslots *slots = &kvm->__memslots[i][j];

			memset(slots, 0, sizeof(*slots));
			slots->node_idx = j;
			/* Generations are odd/even per address space, as in the kernel. */
			slots->generation = i;
		}
		rcu_assign_pointer(kvm->memslots[i], &kvm->__memslots[i][0]);
	}
}

/**
 * kvm_free_memslots() - free every slot of a dying VM (unbinding gmem).
 * @kvm: the VM
 *
 * Context: VM destruction; no vCPU or ioctl can run any more.
 */
void kvm_free_memslots(struct kvm *kvm)
{
	int i, j, k;

	for (i = 0; i < KVM_MAX_NR_ADDRESS_SPACES; i++) {
		struct kvm_memslots *active = kvm->memslots[i];

		/* Both sets hold the same slots when quiescent: free once. */
		for (k = 0; active && k < active->nr_slots; k++)
			kvm_free_memslot(kvm, active->slots[k]);
		for (j = 0; j < 2; j++) {
			kfree(kvm->__memslots[i][j].slots);
			kfree(kvm->__memslots[i][j].id_map);
			kvm->__memslots[i][j].slots = NULL;
			kvm->__memslots[i][j].id_map = NULL;
			kvm->__memslots[i][j].nr_slots = 0;
		}
	}
}
