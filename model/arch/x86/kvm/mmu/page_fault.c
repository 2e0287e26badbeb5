// SPDX-License-Identifier: GPL-2.0
/*
 * Models the page-fault path of arch/x86/kvm/mmu/mmu.c (X86-new,
 * CriticalShift/linux-ubuntu-resolute @584f561e, 6.18+): classification of
 * private faults (spec §3.1), kvm_mmu_faultin_pfn() with its checks in the
 * kernel's order (§3.2), the gmem and GUP pfn lookups (§3.3), the fast-fault
 * rule (§3.4), hugepage adjustment (§3.5), the stale check under mmu_lock and
 * the SPTE install, plus kvm_tdp_map_page() for pre-fault (§3.8).
 *
 * Named scheduling points follow spec §7.2: CLASSIFY, SNAPSHOT_SEQ,
 * CHECK_ATTR, SLOT_LOOKUP, UNSAFE_RETRY_CHECK, GET_PFN, MMU_READ_LOCK,
 * STALE_CHECK, COMPUTE_LEVEL, INSTALL_SPTE, PUT_PAGE.
 */
#include <linux/kvm_host.h>
#include <linux/mm.h>
#include <linux/mm_model.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>

#include "mmu_internal.h"

static void kvm_mmu_prepare_memory_fault_exit(struct kvm_vcpu *vcpu,
					      struct kvm_page_fault *fault)
{
	kvm_mmu_stat_inc(&vcpu->kvm->arch.stat.fault_exits);
	kvm_prepare_memory_fault_exit(vcpu, gfn_to_gpa(fault->gfn), PAGE_SIZE,
				      fault->write, fault->exec, fault->is_private);
}

/*
 * No memslot: private accesses are never emulated (B-15); shared ones
 * become emulated MMIO.
 */
static int kvm_handle_noslot_fault(struct kvm_vcpu *vcpu, struct kvm_page_fault *fault)
{
	/* Bug zoo: before bde9f9d27e2b (B-15) private faults were emulated too. */
	if (unlikely(fault->is_private) &&
	    !kvm_x86_defect(vcpu->kvm, KVM_X86_DEFECT_B15_PRIVATE_EMULATE)) {
		kvm_mmu_prepare_memory_fault_exit(vcpu, fault);
		return -EFAULT;
	}
	return RET_PF_EMULATE;
}

static int kvm_mmu_faultin_pfn_gmem(struct kvm_vcpu *vcpu, struct kvm_page_fault *fault)
{
	int max_order, r;

	/* PRIVATE attribute on a slot without guest_memfd (PKE-2). */
	if (!kvm_slot_has_gmem(fault->slot)) {
		kvm_mmu_prepare_memory_fault_exit(vcpu, fault);
		return -EFAULT;
	}

	sched_point("GET_PFN");
	r = kvm_gmem_get_pfn(vcpu->kvm, fault->slot, fault->gfn, &fault->pfn,
			     &fault->refcounted_page, &max_order);
	if (r) {
		kvm_mmu_prepare_memory_fault_exit(vcpu, fault);
		return r;
	}

	fault->map_writable = !(fault->slot->flags & KVM_MEM_READONLY);
	/* Bug zoo: the folio's order left out, the level is the lpage one. */
	if (!kvm_x86_defect(vcpu->kvm, KVM_X86_DEFECT_GMEM_ORDER_IGNORED))
		fault->max_level = kvm_max_level_for_order(max_order);

	/*
	 * B-10 as it was (6.11, before aca0ec970d76): the vendor's raw answer
	 * was returned instead of the order-clamped level, so SNP's "2M" beat
	 * a 4K folio.  (A zero answer meant level 0 then; the model keeps the
	 * order for it.)
	 */
	if (kvm_x86_defect(vcpu->kvm, KVM_X86_DEFECT_B10_VENDOR_LEVEL)) {
		int req = kvm_arch_gmem_max_mapping_level(vcpu->kvm, fault->pfn, fault->is_private);

		if (req)
			fault->max_level = req;
	}
	return RET_PF_CONTINUE;
}

/*
 * The GUP path for shared memory of a slot that is not GMEM_ONLY.  Error
 * handling is kvm_handle_error_pfn()'s: a write to a read-only slot is
 * emulated, hwpoison is reported to the vCPU task (-EHWPOISON here; the
 * backend turns it into SIGBUS), anything else is a shared memory-fault exit.
 */
static int kvm_mmu_faultin_pfn_gup(struct kvm_vcpu *vcpu, struct kvm_page_fault *fault)
{
	struct kvm_memory_slot *slot = fault->slot;
	struct page *page;
	unsigned long hva;
	long got;
	int level;

	if (fault->write && (slot->flags & KVM_MEM_READONLY))
		return RET_PF_EMULATE;

	hva = gfn_to_hva_memslot(slot, fault->gfn);
	sched_point("GET_PFN");
	got = get_user_pages_fast(hva, 1, fault->write ? FOLL_WRITE : 0, &page);
	if (got != 1) {
		if (got == -EHWPOISON)
			return -EHWPOISON;
		kvm_mmu_prepare_memory_fault_exit(vcpu, fault);
		return -EFAULT;
	}

	fault->pfn = page_to_pfn(page);
	fault->refcounted_page = page;
	fault->map_writable = !(slot->flags & KVM_MEM_READONLY);
	level = host_pfn_mapping_level(current_mm(), hva & PAGE_MASK);
	fault->host_level = level > 0 ? level : PG_LEVEL_4K;
	return RET_PF_CONTINUE;
}

static void kvm_mmu_finish_page_fault(struct kvm_vcpu *vcpu, struct kvm_page_fault *fault,
				      int r)
{
	if (!fault->refcounted_page)
		return;
	sched_point("PUT_PAGE");
	put_page(fault->refcounted_page);
	fault->refcounted_page = NULL;
}

/*
 * kvm_mmu_faultin_pfn() - steps 1-10 of spec §3.2, in that order.
 * Context: kvm->srcu held; no mmu_lock; may block (gmem/GUP).
 * Return: RET_PF_CONTINUE with fault->pfn (and a page reference), another
 * RET_PF_* value, or a negative errno (exit prepared where the spec says so).
 */
static int kvm_mmu_faultin_pfn(struct kvm_vcpu *vcpu, struct kvm_page_fault *fault)
{
	struct kvm *kvm = vcpu->kvm;
	int ret;

	if (KVM_BUG_ON(kvm_is_gfn_alias(kvm, fault->gfn), kvm))
		return -EFAULT;

	/* Snapshot before reading attributes: a change after it is caught later. */
	sched_point("SNAPSHOT_SEQ");
	fault->mmu_seq = READ_ONCE(kvm->mmu_invalidate_seq);
	smp_rmb();

	/* Above the slot checks on purpose (B-15, 44f42ef37deb). */
	if (!kvm_x86_defect(kvm, KVM_X86_DEFECT_B15_MISMATCH_LATE)) {
		sched_point("CHECK_ATTR");
		if (fault->is_private != kvm_mem_is_private(kvm, fault->gfn)) {
			kvm_mmu_prepare_memory_fault_exit(vcpu, fault);
			return -EFAULT;
		}
	}

	sched_point("SLOT_LOOKUP");
	if (unlikely(!fault->slot))
		return kvm_handle_noslot_fault(vcpu, fault);

	/* B-15 as it was: slot-less gfns never reached the mismatch check. */
	if (kvm_x86_defect(kvm, KVM_X86_DEFECT_B15_MISMATCH_LATE)) {
		sched_point("CHECK_ATTR");
		if (fault->is_private != kvm_mem_is_private(kvm, fault->gfn)) {
			kvm_mmu_prepare_memory_fault_exit(vcpu, fault);
			return -EFAULT;
		}
	}

	/* The slot is going away: retry until it is gone (pre-fault: -EAGAIN). */
	if (fault->slot->flags & KVM_MEMSLOT_INVALID)
		return fault->prefetch ? -EAGAIN : RET_PF_RETRY;

	sched_point("UNSAFE_RETRY_CHECK");
	if (mmu_invalidate_retry_gfn_unsafe(kvm, fault->mmu_seq, fault->gfn))
		return RET_PF_RETRY;

	if (fault->is_private || kvm_memslot_is_gmem_only(fault->slot))
		ret = kvm_mmu_faultin_pfn_gmem(vcpu, fault);
	else
		ret = kvm_mmu_faultin_pfn_gup(vcpu, fault);
	if (ret != RET_PF_CONTINUE)
		return ret;

	sched_point("UNSAFE_RETRY_CHECK");
	if (mmu_invalidate_retry_gfn_unsafe(kvm, fault->mmu_seq, fault->gfn)) {
		kvm_mmu_finish_page_fault(vcpu, fault, RET_PF_RETRY);
		return RET_PF_RETRY;
	}
	return RET_PF_CONTINUE;
}

/*
 * Root obsolete (never in this model: roots live as long as the VM) or an
 * invalidation raced with the lockless part of the fault.
 */
static bool is_page_fault_stale(struct kvm_vcpu *vcpu, struct kvm_page_fault *fault)
{
	if (kvm_x86_defect(vcpu->kvm, KVM_X86_DEFECT_NO_STALE_CHECK))
		return false;
	return mmu_invalidate_retry_gfn(vcpu->kvm, fault->mmu_seq, fault->gfn);
}

/* Choose goal_level and align the pfn to it (mmu_lock held). */
static void kvm_mmu_hugepage_adjust(struct kvm_vcpu *vcpu, struct kvm_page_fault *fault)
{
	struct kvm_memory_slot *slot = fault->slot;
	kvm_pfn_t mask;

	fault->goal_level = PG_LEVEL_4K;
	if (unlikely(fault->max_level == PG_LEVEL_4K))
		return;
	/* Dirty logging tracks 4K pages. */
	if (slot->flags & KVM_MEM_LOG_DIRTY_PAGES)
		return;

	fault->req_level = kvm_mmu_max_mapping_level(vcpu->kvm, fault, slot, fault->gfn);
	if (fault->req_level == PG_LEVEL_4K)
		return;

	mask = KVM_PAGES_PER_HPAGE(fault->req_level) - 1;
	/* The kernel BUGs here; a model mismatch is better reported and survived. */
	if (WARN_ON_ONCE((fault->gfn & mask) != (fault->pfn & mask)))
		return;
	fault->goal_level = fault->req_level;
	fault->pfn &= ~mask;
}

/*
 * Fast faults fix up present SPTEs without mmu_lock.  Never for RSVD faults,
 * never when the fault's privateness disagrees with the attributes (the slow
 * path must produce the exit instead of spinning on RET_PF_SPURIOUS), and
 * with A/D bits in use only for write faults on present SPTEs.
 */
static bool page_fault_can_be_fast(struct kvm *kvm, struct kvm_page_fault *fault)
{
	if (fault->rsvd)
		return false;
	if (kvm->arch.has_private_mem &&
	    fault->is_private != kvm_mem_is_private(kvm, fault->gfn))
		return false;
	if (!fault->present)
		return false;
	return fault->write;
}

static int fast_page_fault(struct kvm_vcpu *vcpu, struct kvm_page_fault *fault)
{
	u64 spte;
	int level;

	if (!page_fault_can_be_fast(vcpu->kvm, fault))
		return RET_PF_INVALID;

	spte = kvm_tdp_mmu_fast_pf_get_last_sptep(vcpu, fault->gfn, fault->is_private, &level);
	if (!is_shadow_present_pte(spte))
		return RET_PF_INVALID;
	/* Somebody else already fixed it up. */
	if (is_writable_pte(spte) && is_private_pte(spte) == fault->is_private)
		return RET_PF_SPURIOUS;
	/* No write tracking here, so a read-only SPTE needs the slow path. */
	return RET_PF_INVALID;
}

/* Context: takes read_lock(&kvm->mmu_lock); does not sleep. */
static int kvm_tdp_page_fault(struct kvm_vcpu *vcpu, struct kvm_page_fault *fault)
{
	struct kvm *kvm = vcpu->kvm;
	int r;

	r = fast_page_fault(vcpu, fault);
	if (r != RET_PF_INVALID)
		return r;

	r = kvm_mmu_faultin_pfn(vcpu, fault);
	if (r != RET_PF_CONTINUE)
		return r;

	r = RET_PF_RETRY;
	sched_point("MMU_READ_LOCK");
	read_lock(&kvm->mmu_lock);

	sched_point("STALE_CHECK");
	if (is_page_fault_stale(vcpu, fault))
		goto out_unlock;

	sched_point("COMPUTE_LEVEL");
	kvm_mmu_hugepage_adjust(vcpu, fault);

	sched_point("INSTALL_SPTE");
	r = kvm_tdp_mmu_map(vcpu, fault);

out_unlock:
	read_unlock(&kvm->mmu_lock);
	kvm_mmu_finish_page_fault(vcpu, fault, r);
	return r;
}

/*
 * kvm_mmu_do_page_fault() - build the fault and run the TDP handler.
 * Return: RET_PF_* or a negative errno.
 */
static int kvm_mmu_do_page_fault(struct kvm_vcpu *vcpu, gpa_t cr2_or_gpa, u64 err,
				 bool prefetch, u8 *level)
{
	struct kvm *kvm = vcpu->kvm;
	struct kvm_page_fault fault = {
		.addr = cr2_or_gpa,
		.error_code = err,
		.exec = err & PFERR_FETCH_MASK,
		.write = err & PFERR_WRITE_MASK,
		.present = err & PFERR_PRESENT_MASK,
		.rsvd = err & PFERR_RSVD_MASK,
		.user = err & PFERR_USER_MASK,
		.prefetch = prefetch,
		.is_private = err & PFERR_PRIVATE_ACCESS,
		.max_level = KVM_MAX_HUGEPAGE_LEVEL,
		.req_level = PG_LEVEL_4K,
		.goal_level = PG_LEVEL_4K,
		.host_level = PG_LEVEL_4K,
	};
	int r;

	kvm_mmu_stat_inc(&kvm->arch.stat.faults);
	fault.gfn = gpa_to_gfn(cr2_or_gpa) & ~kvm_gfn_direct_bits(kvm);
	fault.slot = kvm_vcpu_gfn_to_memslot(vcpu, fault.gfn);

	r = kvm_tdp_page_fault(vcpu, &fault);

	/* Private memory cannot be emulated (B-15; the zoo's pre-fix code could). */
	if (r == RET_PF_EMULATE && fault.is_private &&
	    !kvm_x86_defect(kvm, KVM_X86_DEFECT_B15_PRIVATE_EMULATE)) {
		kvm_mmu_prepare_memory_fault_exit(vcpu, &fault);
		r = -EFAULT;
	}
	if (r == RET_PF_RETRY)
		kvm_mmu_stat_inc(&kvm->arch.stat.fault_retries);
	if (level)
		*level = fault.goal_level;
	vcpu->arch.last_fault_ret = r;
	vcpu->arch.last_fault_level = fault.goal_level;
	return r;
}

/**
 * kvm_mmu_page_fault() - handle one #NPF/EPT violation of a vCPU
 * @vcpu: the vCPU
 * @cr2_or_gpa: faulting GPA (TDX: with the shared bit as the guest used it)
 * @error_code: hardware error code (PFERR_*; SNP: PFERR_GUEST_ENC_MASK)
 * @prefetch: true for pre-fault style callers
 * @level: out, the level mapped (may be NULL)
 *
 * For SW_PROTECTED VMs the private bit is synthesised from the current
 * attributes (spec §3.1); TDX derives it from the shared bit, SNP from the
 * encrypted bit, DEFAULT never has it.
 *
 * Context: kvm->srcu held; takes mmu_lock for read; may block.
 * Return: RET_PF_* (RETRY: re-enter and fault again; EMULATE: MMIO) or a
 * negative errno, with vcpu->run's memory-fault exit filled for -EFAULT
 * and for gmem errors.
 */
int kvm_mmu_page_fault(struct kvm_vcpu *vcpu, gpa_t cr2_or_gpa, u64 error_code,
		       bool prefetch, u8 *level)
{
	struct kvm *kvm = vcpu->kvm;
	gfn_t gfn = gpa_to_gfn(cr2_or_gpa) & ~kvm_gfn_direct_bits(kvm);

	/* Hardware never sets KVM's synthetic bits. */
	if (WARN_ON_ONCE(error_code & PFERR_SYNTHETIC_MASK))
		error_code &= ~PFERR_SYNTHETIC_MASK;

	sched_point("CLASSIFY");
	switch (kvm->arch.vm_type) {
	case KVM_X86_SW_PROTECTED_VM:
		if (!(error_code & PFERR_RSVD_MASK) && kvm_mem_is_private(kvm, gfn))
			error_code |= PFERR_PRIVATE_ACCESS;
		break;
	case KVM_X86_SNP_VM:
		if (error_code & PFERR_GUEST_ENC_MASK)
			error_code |= PFERR_PRIVATE_ACCESS;
		break;
	case KVM_X86_TDX_VM:
		if (!(gpa_to_gfn(cr2_or_gpa) & kvm_gfn_direct_bits(kvm)))
			error_code |= PFERR_PRIVATE_ACCESS;
		break;
	default:
		break;
	}

	return kvm_mmu_do_page_fault(vcpu, cr2_or_gpa, error_code, prefetch, level);
}

/**
 * kvm_tdp_map_page() - map one gpa for pre-fault, retrying as a vCPU would
 * @vcpu: the vCPU
 * @gpa: gpa with any direct (TDX shared) bits already ORed in
 * @error_code: PFERR_GUEST_FINAL_MASK, plus PFERR_PRIVATE_ACCESS if private
 * @level: out, the level mapped
 *
 * Context: kvm->srcu held; may block; spins on RET_PF_RETRY through
 * sched_spin() so the invalidator can run.
 * Return: 0, -EINTR, -EIO (VM dead or unexpected result), -ENOENT (no
 * memslot: RET_PF_EMULATE), or the fault's negative errno.
 */
int kvm_tdp_map_page(struct kvm_vcpu *vcpu, gpa_t gpa, u64 error_code, u8 *level)
{
	int r;

	do {
		if (signal_pending(current))
			return -EINTR;
		if (READ_ONCE(vcpu->kvm->vm_dead) || READ_ONCE(vcpu->kvm->vm_bugged))
			return -EIO;
		cond_resched();
		r = kvm_mmu_do_page_fault(vcpu, gpa, error_code, true, level);
		if (r == RET_PF_RETRY)
			sched_spin("RET_PF_RETRY");
	} while (r == RET_PF_RETRY);

	if (r < 0)
		return r;

	switch (r) {
	case RET_PF_FIXED:
	case RET_PF_SPURIOUS:
	case RET_PF_WRITE_PROTECTED:
		return 0;
	case RET_PF_EMULATE:
		return -ENOENT;
	default:
		WARN_ONCE(1, "kvm_tdp_map_page: unexpected fault result %d", r);
		return -EIO;
	}
}
