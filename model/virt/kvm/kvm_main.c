// SPDX-License-Identifier: GPL-2.0
/*
 * Models virt/kvm/kvm_main.c (ML-7.1, torvalds/linux @01f492e1): VM and
 * vCPU lifetime with the users_count reference, the VM/vCPU/"/dev/kvm"
 * files, KVM_CHECK_EXTENSION (generic part, spec §2.5), the mmu_invalidate
 * protocol (spec §2.3) and the generic half of KVM_PRE_FAULT_MEMORY (spec
 * §2.6).  Memslots live in memslots.c, memory attributes in attributes.c.
 */
#include <linux/kvm_host.h>
#include <linux/fs.h>
#include <linux/slab.h>
#include <linux/srcu.h>
#include <linux/sched/signal.h>
#include <linux/mm.h>
#include <linux/mm_model.h>
#include <shim/sched.h>
#include <gmemsim/fdtable.h>

#include "kvm_mm.h"

int (*kvm_create_vm_notify)(struct kvm *kvm);
void (*kvm_destroy_vm_notify)(struct kvm *kvm);

/**
 * kvm_vm_bugged() - mark the VM bugged and dead (KVM_BUG_ON fired).
 * @kvm: the VM
 *
 * Context: any.
 */
void kvm_vm_bugged(struct kvm *kvm)
{
	WRITE_ONCE(kvm->vm_bugged, true);
	WRITE_ONCE(kvm->vm_dead, true);
}

/**
 * kvm_create_vm() - allocate and initialise a VM.
 * @type: KVM_CREATE_VM argument (x86 VM type)
 * @profile: kernel profile (KVM_PROFILE_*) the VM behaves as
 *
 * Context: may block; no locks held.
 * Return: the VM with one reference, or ERR_PTR(-EINVAL / -ENOMEM).
 */
struct kvm *kvm_create_vm(unsigned long type, int profile)
{
	struct kvm *kvm;
	int r;

	kvm = kzalloc(sizeof(*kvm), GFP_KERNEL_ACCOUNT);
	if (!kvm)
		return ERR_PTR(-ENOMEM);

	rwlock_init(&kvm->mmu_lock);
	mutex_init(&kvm->lock);
	mutex_init(&kvm->slots_lock);
	mutex_init(&kvm->slots_arch_lock);
	spin_lock_init(&kvm->mn_invalidate_lock);
	kvm->mm = current_mm();
	refcount_set(&kvm->users_count, 1);
	xa_init(&kvm->mem_attr_array);
	kvm->profile = profile;
	kvm->mmu_invalidate_range_start = INVALID_GPA;
	kvm->mmu_invalidate_range_end = INVALID_GPA;

	r = init_srcu_struct(&kvm->srcu);
	if (r)
		goto out_free_kvm;

	kvm_memslots_init(kvm);

	r = kvm_arch_init_vm(kvm, type);
	if (r)
		goto out_cleanup_srcu;

	/*
	 * kvm_init_mmu_notifier(): the backend's hook is
	 * mmu_notifier_register().  Here, before the VM has an fd, as in the
	 * kernel: registered after KVM_CREATE_VM returned, a VM whose fd a
	 * racing close() released was registered freed (found by model_fuzz).
	 */
	if (kvm_create_vm_notify) {
		r = kvm_create_vm_notify(kvm);
		if (r)
			goto out_destroy_arch;
	}

	/* kvm_arch_nr_memslot_as_ids(): SMM only without protected state. */
	kvm->nr_memslot_as_ids = kvm->arch.has_protected_state ?
				 1 : KVM_MAX_NR_ADDRESS_SPACES;
	return kvm;

out_destroy_arch:
	kvm_arch_destroy_vm(kvm);
out_cleanup_srcu:
	cleanup_srcu_struct(&kvm->srcu);
out_free_kvm:
	xa_destroy(&kvm->mem_attr_array);
	kfree(kvm);
	return ERR_PTR(r);
}

static void kvm_destroy_vcpus(struct kvm *kvm)
{
	int i;

	for (i = 0; i < KVM_MAX_VCPUS; i++) {
		struct kvm_vcpu *vcpu = kvm->vcpus[i];

		if (vcpu) {
			kvm_vcpu_destroy(vcpu);
			kvm->vcpus[i] = NULL;
		}
	}
	atomic_set(&kvm->online_vcpus, 0);
}

/**
 * kvm_destroy_vm() - free a VM whose last reference went away.
 * @kvm: the VM
 *
 * Order as the kernel: mmu notifier unregistration, shadow pages, vCPUs,
 * arch state, memslots (unbinding gmem), SRCU, attributes.
 *
 * Context: no locks held; nobody else can reach @kvm.
 */
void kvm_destroy_vm(struct kvm *kvm)
{
	/*
	 * The backend's hook is mmu_notifier_unregister(): the VM leaves the
	 * host mm's notifier list and callbacks already running finish.
	 */
	if (kvm_destroy_vm_notify)
		kvm_destroy_vm_notify(kvm);
	/*
	 * Unregistered between an invalidate_range_start() and its end(),
	 * the VM never gets the end: mn_active_invalidate_count (and the
	 * in-progress count) stay unbalanced, which KVM accepts here.  Only
	 * a balanced count promises that no invalidation is in progress.
	 */
	if (kvm->mn_active_invalidate_count)
		kvm->mn_active_invalidate_count = 0;
	else
		WARN_ON(kvm->mmu_invalidate_in_progress);

	kvm_arch_flush_shadow_all(kvm);
	kvm_destroy_vcpus(kvm);
	kvm_arch_destroy_vm(kvm);
	kvm_free_memslots(kvm);
	cleanup_srcu_struct(&kvm->srcu);
	xa_destroy(&kvm->mem_attr_array);
	kfree(kvm);
}

/**
 * kvm_get_kvm() - take a VM reference.
 * @kvm: the VM (the caller already holds a reference)
 *
 * Context: any.
 */
void kvm_get_kvm(struct kvm *kvm)
{
	refcount_inc(&kvm->users_count);
}

/**
 * kvm_get_kvm_safe() - take a VM reference unless the VM is being destroyed.
 * @kvm: the VM
 *
 * Context: any.
 * Return: true if a reference was taken.
 */
bool kvm_get_kvm_safe(struct kvm *kvm)
{
	return refcount_inc_not_zero(&kvm->users_count);
}

/**
 * kvm_put_kvm() - drop a VM reference; the last one destroys the VM.
 * @kvm: the VM
 *
 * Context: no KVM locks held (destruction takes them).
 */
void kvm_put_kvm(struct kvm *kvm)
{
	if (refcount_dec_and_test(&kvm->users_count))
		kvm_destroy_vm(kvm);
}

/* ---- vCPUs --------------------------------------------------------------- */

/**
 * kvm_vm_ioctl_create_vcpu() - KVM_CREATE_VCPU, minus the fd.
 * @kvm: the VM
 * @id: vCPU id
 *
 * Context: takes kvm->lock.
 * Return: the vCPU or ERR_PTR(-EINVAL / -EEXIST / -ENOMEM).
 */
struct kvm_vcpu *kvm_vm_ioctl_create_vcpu(struct kvm *kvm, unsigned long id)
{
	struct kvm_vcpu *vcpu;
	int r, i;

	if (id >= KVM_MAX_VCPUS)
		return ERR_PTR(-EINVAL);

	mutex_lock(&kvm->lock);
	for (i = 0; i < KVM_MAX_VCPUS; i++) {
		if (kvm->vcpus[i] && kvm->vcpus[i]->vcpu_id == (int)id) {
			mutex_unlock(&kvm->lock);
			return ERR_PTR(-EEXIST);
		}
	}
	i = atomic_read(&kvm->online_vcpus);
	if (i >= KVM_MAX_VCPUS) {
		mutex_unlock(&kvm->lock);
		return ERR_PTR(-EINVAL);
	}

	r = -ENOMEM;
	vcpu = kzalloc(sizeof(*vcpu), GFP_KERNEL_ACCOUNT);
	if (!vcpu)
		goto out_unlock;
	vcpu->run = kzalloc(sizeof(*vcpu->run), GFP_KERNEL_ACCOUNT);
	if (!vcpu->run)
		goto out_free_vcpu;
	vcpu->kvm = kvm;
	vcpu->vcpu_id = id;
	vcpu->vcpu_idx = i;
	mutex_init(&vcpu->mutex);

	r = kvm_arch_vcpu_create(vcpu);
	if (r)
		goto out_free_run;

	kvm->vcpus[i] = vcpu;
	atomic_inc(&kvm->online_vcpus);
	mutex_unlock(&kvm->lock);
	return vcpu;

out_free_run:
	kfree(vcpu->run);
out_free_vcpu:
	kfree(vcpu);
out_unlock:
	mutex_unlock(&kvm->lock);
	return ERR_PTR(r);
}

/**
 * kvm_vcpu_destroy() - free a vCPU (VM destruction only).
 * @vcpu: the vCPU
 *
 * Context: VM destruction.
 */
void kvm_vcpu_destroy(struct kvm_vcpu *vcpu)
{
	kvm_arch_vcpu_destroy(vcpu);
	kfree(vcpu->run);
	kfree(vcpu);
}

/* ---- capabilities --------------------------------------------------------- */

/**
 * kvm_vm_ioctl_check_extension_generic() - KVM_CHECK_EXTENSION.
 * @kvm: the VM, or NULL for the /dev/kvm fd
 * @arg: KVM_CAP_*
 *
 * Context: any.
 * Return: the capability's value (0: unsupported).
 */
long kvm_vm_ioctl_check_extension_generic(struct kvm *kvm, long arg)
{
	switch (arg) {
	case KVM_CAP_USER_MEMORY:
	case KVM_CAP_USER_MEMORY2:
		return 1;
	case KVM_CAP_NR_MEMSLOTS:
		return KVM_USER_MEM_SLOTS;
	case KVM_CAP_MULTI_ADDRESS_SPACE:
		if (kvm)
			return kvm->nr_memslot_as_ids;
		return KVM_MAX_NR_ADDRESS_SPACES;
	case KVM_CAP_MEMORY_ATTRIBUTES:
		return kvm_supported_mem_attributes(kvm);
	case KVM_CAP_GUEST_MEMFD:
		return 1;
	case KVM_CAP_GUEST_MEMFD_FLAGS:
		return kvm_gmem_get_supported_flags(kvm);
	default:
		break;
	}
	return kvm_arch_vm_check_extension(kvm, arg);
}

/* ---- TLB flush, mmu_invalidate protocol ----------------------------------- */

/**
 * kvm_flush_remote_tlbs() - flush every vCPU's TLB for this VM.
 * @kvm: the VM
 *
 * Context: any (typically mmu_lock held for write).
 */
void kvm_flush_remote_tlbs(struct kvm *kvm)
{
	kvm_arch_flush_remote_tlbs(kvm);
}

/**
 * kvm_flush_remote_tlbs_memslot() - flush TLBs after zapping @memslot.
 * @kvm: the VM
 * @memslot: the slot (the model flushes everything)
 *
 * Context: any.
 */
void kvm_flush_remote_tlbs_memslot(struct kvm *kvm,
				   const struct kvm_memory_slot *memslot)
{
	kvm_flush_remote_tlbs(kvm);
}

/**
 * kvm_mmu_invalidate_begin() - open an invalidation (spec §2.3).
 * @kvm: the VM
 *
 * Context: kvm->mmu_lock held for write.
 */
void kvm_mmu_invalidate_begin(struct kvm *kvm)
{
	lockdep_assert_held_write(&kvm->mmu_lock);
	WRITE_ONCE(kvm->mmu_invalidate_in_progress,
		   kvm->mmu_invalidate_in_progress + 1);
	if (likely(kvm->mmu_invalidate_in_progress == 1)) {
		WRITE_ONCE(kvm->mmu_invalidate_range_start, INVALID_GPA);
		WRITE_ONCE(kvm->mmu_invalidate_range_end, INVALID_GPA);
		kvm->mmu_invalidate_range_added = false;
	}
}

/**
 * kvm_mmu_invalidate_range_add() - widen the in-progress range by
 * [@start, @end).
 * @kvm: the VM
 * @start: first gfn
 * @end: gfn after the last
 *
 * Context: kvm->mmu_lock held for write; an invalidation is in progress.
 */
void kvm_mmu_invalidate_range_add(struct kvm *kvm, gfn_t start, gfn_t end)
{
	lockdep_assert_held_write(&kvm->mmu_lock);
	WARN_ON_ONCE(!kvm->mmu_invalidate_in_progress);

	if (likely(kvm->mmu_invalidate_range_start == INVALID_GPA)) {
		WRITE_ONCE(kvm->mmu_invalidate_range_start, start);
		WRITE_ONCE(kvm->mmu_invalidate_range_end, end);
	} else {
		/*
		 * Several invalidations overlap: cover all of them.  The
		 * range only shrinks when a new first begin resets it.
		 */
		WRITE_ONCE(kvm->mmu_invalidate_range_start,
			   min(kvm->mmu_invalidate_range_start, start));
		WRITE_ONCE(kvm->mmu_invalidate_range_end,
			   max(kvm->mmu_invalidate_range_end, end));
	}
	kvm->mmu_invalidate_range_added = true;
}

/**
 * kvm_mmu_unmap_gfn_range() - record @range in the in-progress
 * invalidation, then zap its SPTEs.
 * @kvm: the VM
 * @range: gfns, slot and attr filter
 *
 * Context: kvm->mmu_lock held for write.
 * Return: true if TLBs must be flushed.
 */
bool kvm_mmu_unmap_gfn_range(struct kvm *kvm, struct kvm_gfn_range *range)
{
	/* Bug zoo: zap without recording the range (faults see no overlap). */
	if (!kvm_model_zoo(kvm, KVM_ZOO_INVALIDATE_NO_RANGE))
		kvm_mmu_invalidate_range_add(kvm, range->start, range->end);
	return kvm_unmap_gfn_range(kvm, range);
}

/**
 * kvm_mmu_invalidate_end() - close an invalidation: bump the sequence so
 * faults that snapshotted it before retry, then drop in_progress.
 * @kvm: the VM
 *
 * Context: kvm->mmu_lock held for write.
 */
void kvm_mmu_invalidate_end(struct kvm *kvm)
{
	lockdep_assert_held_write(&kvm->mmu_lock);

	/*
	 * seq before in_progress: a fault that sees in_progress == 0 must
	 * also see the new seq.
	 */
	if (!kvm_model_zoo(kvm, KVM_ZOO_INVALIDATE_END_NO_SEQ))
		WRITE_ONCE(kvm->mmu_invalidate_seq, kvm->mmu_invalidate_seq + 1);
	smp_wmb();
	WRITE_ONCE(kvm->mmu_invalidate_in_progress,
		   kvm->mmu_invalidate_in_progress - 1);
	KVM_BUG_ON(kvm->mmu_invalidate_in_progress < 0, kvm);

	/* Every begin must have added a range before the matching end. */
	WARN_ON_ONCE(kvm->mmu_invalidate_range_start == INVALID_GPA);
}

/* ---- HVA mmu notifiers (shared backing of non-GMEM_ONLY slots) ------------- */

static unsigned long kvm_hva_to_gfn(unsigned long hva,
				    const struct kvm_memory_slot *slot)
{
	return slot->base_gfn + ((hva - slot->userspace_addr) >> PAGE_SHIFT);
}

/*
 * Call @handler for every memslot piece whose HVA range meets [start, end);
 * the first piece takes mmu_lock (write) and runs @on_lock.
 * Context: takes kvm->srcu (read) and kvm->mmu_lock (write).
 */
static void kvm_handle_hva_range(struct kvm *kvm, unsigned long start,
				 unsigned long end, void (*on_lock)(struct kvm *kvm),
				 bool (*handler)(struct kvm *kvm,
						 struct kvm_gfn_range *range))
{
	struct kvm_memory_slot *slot;
	bool found = false, flush = false;
	int i, bkt, idx;

	idx = srcu_read_lock(&kvm->srcu);
	for (i = 0; i < kvm->nr_memslot_as_ids; i++) {
		struct kvm_memslots *slots = __kvm_memslots(kvm, i);

		kvm_for_each_memslot(slot, bkt, slots) {
			unsigned long hva_start, hva_end;
			struct kvm_gfn_range range;

			/* Only slots with a shared backing have HVAs. */
			if (kvm_memslot_is_gmem_only(slot) || !slot->userspace_addr)
				continue;
			hva_start = max(start, slot->userspace_addr);
			hva_end = min(end, slot->userspace_addr + (slot->npages << PAGE_SHIFT));
			if (hva_start >= hva_end)
				continue;

			range.slot = slot;
			range.start = kvm_hva_to_gfn(hva_start, slot);
			range.end = kvm_hva_to_gfn(hva_end + PAGE_SIZE - 1, slot);
			range.arg.attributes = 0;
			range.may_block = true;
			range.lockless = false;
			/* HVA invalidations never touch private mappings. */
			range.attr_filter = KVM_FILTER_SHARED;

			if (!found) {
				found = true;
				write_lock(&kvm->mmu_lock);
				on_lock(kvm);
			}
			if (handler)
				flush |= handler(kvm, &range);
		}
	}
	if (flush)
		kvm_flush_remote_tlbs(kvm);
	if (found)
		write_unlock(&kvm->mmu_lock);
	srcu_read_unlock(&kvm->srcu, idx);
}

/**
 * kvm_mmu_notifier_invalidate_range_start() - the host is about to unmap
 * [@start, @end) of the VM's mm: zap shared mappings of the slots there.
 * @kvm: the VM
 * @start: first HVA
 * @end: HVA after the last
 *
 * Context: the zapper holds mmap_lock; takes mn_invalidate_lock, kvm->srcu
 * and mmu_lock (write).  Memslot publication waits until the matching end.
 */
void kvm_mmu_notifier_invalidate_range_start(struct kvm *kvm, unsigned long start,
					     unsigned long end)
{
	spin_lock(&kvm->mn_invalidate_lock);
	kvm->mn_active_invalidate_count++;
	spin_unlock(&kvm->mn_invalidate_lock);

	kvm_handle_hva_range(kvm, start, end, kvm_mmu_invalidate_begin,
			     kvm_mmu_unmap_gfn_range);
}

/**
 * kvm_mmu_notifier_invalidate_range_end() - the unmap is done: end the
 * invalidation begun for the same range, let memslot updates proceed.
 * @kvm: the VM
 * @start: first HVA
 * @end: HVA after the last
 *
 * Context: as the start; the memslots cannot have changed in between.
 */
void kvm_mmu_notifier_invalidate_range_end(struct kvm *kvm, unsigned long start,
					   unsigned long end)
{
	kvm_handle_hva_range(kvm, start, end, kvm_mmu_invalidate_end, NULL);

	spin_lock(&kvm->mn_invalidate_lock);
	if (!WARN_ON_ONCE(!kvm->mn_active_invalidate_count))
		kvm->mn_active_invalidate_count--;
	spin_unlock(&kvm->mn_invalidate_lock);
}

/* ---- KVM_PRE_FAULT_MEMORY (generic) --------------------------------------- */

/**
 * kvm_vcpu_pre_fault_memory() - KVM_PRE_FAULT_MEMORY after the copy-in.
 * @vcpu: the vCPU
 * @range: in: gpa/size/flags; out: advanced past what was mapped
 *
 * Context: takes vcpu->mutex and kvm->srcu (read); may block.
 * Return: 0 if any progress was made, else the first error.
 */
long kvm_vcpu_pre_fault_memory(struct kvm_vcpu *vcpu,
			       struct kvm_pre_fault_memory *range)
{
	u64 full_size;
	long r;
	int idx;

	if (range->flags)
		return -EINVAL;
	if (!PAGE_ALIGNED(range->gpa) || !PAGE_ALIGNED(range->size) ||
	    range->gpa + range->size <= range->gpa)
		return -EINVAL;

	mutex_lock(&vcpu->mutex);
	idx = srcu_read_lock(&vcpu->kvm->srcu);

	full_size = range->size;
	do {
		if (signal_pending(current)) {
			r = -EINTR;
			break;
		}
		r = kvm_arch_vcpu_pre_fault_memory(vcpu, range);
		if (WARN_ON_ONCE(r == 0 || r == -EIO))
			break;
		if (r < 0)
			break;
		range->size -= r;
		range->gpa += r;
		sched_point("pre_fault:next");
	} while (range->size);

	srcu_read_unlock(&vcpu->kvm->srcu, idx);
	mutex_unlock(&vcpu->mutex);

	/* Any progress is success; the caller calls again for the error. */
	return full_size == range->size ? r : 0;
}
