// SPDX-License-Identifier: GPL-2.0
/*
 * The CPU side of a guest memory access, which the kernel does not contain:
 * a per-vCPU TLB, the hardware walk of the TDP (NPT/EPT) leaves and the
 * #NPF / EPT-violation exit into kvm_mmu_page_fault() (arch/x86/kvm/mmu/
 * mmu.c, X86-new) with KVM_RUN's "re-enter the guest" loop on RET_PF_RETRY.
 *
 * How a VM type expresses a private access (spec §3.1):
 *  - SW_PROTECTED, DEFAULT: it cannot; the caller's is_private is ignored
 *    and KVM decides from the attributes at fault time.
 *  - SNP: the C-bit, i.e. PFERR_GUEST_ENC_MASK on the #NPF; a translation
 *    whose privateness differs from the access faults (RMP check).
 *  - TDX: the GPA shared bit; private accesses walk the mirror root.
 *
 * TLB model: an entry stays usable until kvm_arch_flush_remote_tlbs()
 * bumps kvm->arch.tlb_gen, so a zap without a flush shows up as a guest
 * access through a stale translation (counted in vcpu->arch.tlb_stale_hits,
 * and a use-after-free if the frame was freed).  The access itself happens
 * under kvm->arch.spte_lock, which flushes and zaps also take: a flush waits
 * for accesses in flight, as the IPI waits for vCPUs to leave guest mode.
 */
#include <linux/kvm_host.h>
#include <linux/srcu.h>

#include "mmu_internal.h"

/* Consecutive faults without progress before the model calls it a livelock. */
#define KVM_X86_ACCESS_MAX_SPURIOUS	4096

static bool tlb_entry_allows(const struct kvm_tlb_entry *e, unsigned int access)
{
	if ((access & KVM_X86_ACCESS_WRITE) && !e->writable)
		return false;
	if ((access & KVM_X86_ACCESS_EXEC) && !e->exec)
		return false;
	return true;
}

static bool spte_allows(u64 spte, unsigned int access)
{
	if (!is_shadow_present_pte(spte))
		return false;
	if ((access & KVM_X86_ACCESS_WRITE) && !is_writable_pte(spte))
		return false;
	if ((access & KVM_X86_ACCESS_EXEC) && !is_executable_pte(spte))
		return false;
	return true;
}

struct guest_access {
	struct kvm_vcpu *vcpu;
	gpa_t gpa;		/* as the guest issued it (TDX: shared bit applied) */
	gfn_t raw_gfn;
	gfn_t gfn;		/* canonical */
	unsigned int access;
	bool enc;		/* SNP C-bit */
	bool mirror;		/* TDX private: walk the mirror root */
	int (*fn)(void *ctx, kvm_pfn_t pfn);
	void *ctx;
	kvm_pfn_t pfn;
};

/*
 * One attempt: TLB, then walk.  spte_lock held.  Returns 1 if the access
 * completed (ga->pfn set, ga->fn run), else 0 with *err the #NPF code.
 */
static int guest_access_try(struct guest_access *ga, u64 *err, int *fn_ret)
{
	struct kvm_vcpu *vcpu = ga->vcpu;
	struct kvm *kvm = vcpu->kvm;
	bool snp = kvm->arch.vm_type == KVM_X86_SNP_VM;
	struct kvm_tlb_entry *e = &vcpu->arch.tlb[ga->raw_gfn % KVM_X86_TLB_ENTRIES];
	u64 gen = kvm->arch.tlb_gen;
	u64 spte;
	int level;

	spte = kvm_tdp_mmu_walk_locked(kvm, ga->gfn, ga->mirror, &level);

	/* TDX with accept on: a pending private page raises #VE in the guest. */
	if (ga->mirror && is_shadow_present_pte(spte) && !(spte & SPTE_ACCEPTED_MASK) &&
	    READ_ONCE(kvm->arch.tdx_accept))
		return -1;

	if (e->valid && e->gfn == ga->raw_gfn && e->gen == gen &&
	    tlb_entry_allows(e, ga->access) && (!snp || e->is_private == ga->enc)) {
		vcpu->arch.tlb_hits++;
		if (!is_shadow_present_pte(spte) ||
		    spte_to_pfn(spte) + (ga->gfn & (KVM_PAGES_PER_HPAGE(level) - 1)) != e->pfn)
			vcpu->arch.tlb_stale_hits++;
		ga->pfn = e->pfn;
		goto done;
	}

	if (spte_allows(spte, ga->access) && (!snp || is_private_pte(spte) == ga->enc)) {
		ga->pfn = spte_to_pfn(spte) + (ga->gfn & (KVM_PAGES_PER_HPAGE(level) - 1));
		e->valid = true;
		e->gfn = ga->raw_gfn;
		e->pfn = ga->pfn;
		e->gen = gen;
		e->level = level;
		e->writable = is_writable_pte(spte);
		e->exec = is_executable_pte(spte);
		e->is_private = is_private_pte(spte);
		goto done;
	}

	*err = PFERR_GUEST_FINAL_MASK;
	if (ga->access & KVM_X86_ACCESS_WRITE)
		*err |= PFERR_WRITE_MASK;
	if (ga->access & KVM_X86_ACCESS_EXEC)
		*err |= PFERR_FETCH_MASK;
	if (is_shadow_present_pte(spte)) {
		*err |= PFERR_PRESENT_MASK;
		if (snp && is_private_pte(spte) != ga->enc)
			*err |= PFERR_GUEST_RMP_MASK;
	}
	if (ga->enc)
		*err |= PFERR_GUEST_ENC_MASK;
	return 0;

done:
	*fn_ret = ga->fn ? ga->fn(ga->ctx, ga->pfn) : 0;
	return 1;
}

/**
 * kvm_x86_vcpu_access_fn() - perform a guest access and run @fn on its frame
 * @vcpu: the vCPU
 * @gpa: guest physical address (canonical, without any TDX shared bit)
 * @access: KVM_X86_ACCESS_READ/WRITE/EXEC bits
 * @is_private: the guest's intent (SNP C-bit, TDX shared bit clear); ignored
 *              by SW_PROTECTED and DEFAULT VMs, whose hardware cannot say
 * @fn: run with the 4K pfn while the translation is held (may be NULL); it
 *      must not sleep or take kvm locks
 * @ctx: passed to @fn
 *
 * Loops like KVM_RUN: #NPF -> kvm_mmu_page_fault(); RET_PF_RETRY re-enters
 * after sched_spin("RET_PF_RETRY") so an invalidator can make progress.
 *
 * Context: vCPU thread, called like KVM_RUN: WITHOUT kvm->srcu held (the
 * guest runs outside SRCU; each fault takes and drops it, so memslot
 * deletion can complete while a vCPU retries on an INVALID slot).  Takes
 * spte_lock and, through the fault path, mmu_lock (read); may block.
 * Return: @fn's return value (0 without @fn) once the access completed;
 * -EFAULT with vcpu->run->exit_reason = KVM_EXIT_MEMORY_FAULT; a gmem
 * error (-EIO, -ENOMEM, -EHWPOISON, ...) also with the memory-fault exit
 * filled; -EHWPOISON from the GUP path (the backend delivers SIGBUS);
 * -EIO for a dead/bugged VM or a model livelock; or KVM_EXIT_MMIO (> 0) with run->exit_reason =
 * KVM_EXIT_MMIO and run->mmio.phys_addr/is_write set for an emulated access.
 */
int kvm_x86_vcpu_access_fn(struct kvm_vcpu *vcpu, gpa_t gpa, unsigned int access,
			   bool is_private, int (*fn)(void *ctx, kvm_pfn_t pfn), void *ctx)
{
	struct kvm *kvm = vcpu->kvm;
	struct guest_access ga = {
		.vcpu = vcpu,
		.gpa = gpa,
		.access = access,
		.fn = fn,
		.ctx = ctx,
	};
	int r, idx, spurious = 0;

	switch (kvm->arch.vm_type) {
	case KVM_X86_SNP_VM:
		ga.enc = is_private;
		break;
	case KVM_X86_TDX_VM:
		ga.mirror = is_private;
		if (!is_private)
			ga.gpa |= gfn_to_gpa(kvm_gfn_direct_bits(kvm));
		break;
	default:
		break;
	}
	ga.raw_gfn = gpa_to_gfn(ga.gpa);
	ga.gfn = ga.raw_gfn & ~kvm_gfn_direct_bits(kvm);

	for (;;) {
		int fn_ret = 0, done;
		u64 err = 0;

		/* KVM_REQ_VM_DEAD: KVM_RUN fails with -EIO. */
		if (READ_ONCE(kvm->vm_dead) || READ_ONCE(kvm->vm_bugged)) {
			r = -EIO;
			break;
		}
		spin_lock(&kvm->arch.spte_lock);
		done = guest_access_try(&ga, &err, &fn_ret);
		spin_unlock(&kvm->arch.spte_lock);
		if (done < 0) {
			/* #VE (model: KVM_EXIT_EXCEPTION): the guest must accept first. */
			vcpu->run->exit_reason = KVM_EXIT_EXCEPTION;
			r = KVM_EXIT_EXCEPTION;
			break;
		}
		if (done) {
			r = fn_ret;
			break;
		}

		/*
		 * VM exit: KVM runs the fault under kvm->srcu and drops it again
		 * before re-entering the guest, so a memslot update waiting in
		 * synchronize_srcu() can finish while this vCPU keeps retrying.
		 */
		idx = srcu_read_lock(&kvm->srcu);
		r = kvm_mmu_page_fault(vcpu, ga.gpa, err, false, NULL);
		srcu_read_unlock(&kvm->srcu, idx);
		if (r < 0)
			break;
		if (r == RET_PF_EMULATE) {
			vcpu->run->exit_reason = KVM_EXIT_MMIO;
			vcpu->run->mmio.phys_addr = ga.gpa;
			vcpu->run->mmio.len = 0;
			vcpu->run->mmio.is_write = !!(access & KVM_X86_ACCESS_WRITE);
			r = KVM_EXIT_MMIO;
			break;
		}
		if (r == RET_PF_RETRY) {
			spurious = 0;
			sched_spin("RET_PF_RETRY");
			continue;
		}
		/* FIXED or SPURIOUS: re-walk; endless "fixed" faults are a model bug. */
		if (WARN_ONCE(++spurious > KVM_X86_ACCESS_MAX_SPURIOUS,
			      "guest access to gpa 0x%llx makes no progress (last %d)",
			      (unsigned long long)ga.gpa, r)) {
			r = -EIO;
			break;
		}
	}
	return r;
}

static int guest_access_get_pfn(void *ctx, kvm_pfn_t pfn)
{
	*(kvm_pfn_t *)ctx = pfn;
	return 0;
}

/**
 * kvm_x86_vcpu_access() - resolve a guest access to a pfn
 * @vcpu: the vCPU
 * @gpa: guest physical address (canonical)
 * @access: KVM_X86_ACCESS_* bits
 * @is_private: the guest's intent (see kvm_x86_vcpu_access_fn())
 * @pfn: out, the 4K frame accessed
 *
 * The frame is only guaranteed live while the translation is held; callers
 * that read or write contents should use kvm_x86_vcpu_access_fn().
 *
 * Context: as kvm_x86_vcpu_access_fn().
 * Return: as kvm_x86_vcpu_access_fn() (0 on success with *@pfn set).
 */
int kvm_x86_vcpu_access(struct kvm_vcpu *vcpu, gpa_t gpa, unsigned int access,
			bool is_private, kvm_pfn_t *pfn)
{
	return kvm_x86_vcpu_access_fn(vcpu, gpa, access, is_private, guest_access_get_pfn, pfn);
}

/**
 * kvm_arch_flush_remote_tlbs() - invalidate every vCPU's cached translations
 * @kvm: the VM
 *
 * Waits for guest accesses in flight (spte_lock), then bumps the TLB
 * generation.
 *
 * Context: any; takes kvm->arch.spte_lock.
 */
void kvm_arch_flush_remote_tlbs(struct kvm *kvm)
{
	spin_lock(&kvm->arch.spte_lock);
	kvm->arch.tlb_gen++;
	spin_unlock(&kvm->arch.spte_lock);
	kvm_mmu_stat_inc(&kvm->arch.stat.tlb_flushes);
}
