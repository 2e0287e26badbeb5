// SPDX-License-Identifier: GPL-2.0
/*
 * SPTE-side checkers of the simulator (no kernel counterpart; spec §3.9):
 *
 *  - "stale-mapping" (I-2): a private or GMEM_ONLY SPTE maps a pfn of the
 *    live folio that sits at the index the slot's binding resolves to; a
 *    shared GUP SPTE maps the live page the host maps at the HVA right now
 *    (an HVA change runs the mmu_notifier, which must zap the SPTE);
 *  - "attributes": a private SPTE only over PRIVATE gfns, a shared one only
 *    over shared gfns (VMs without private memory: no private SPTE at all);
 *  - "hugepage" (I-3): a huge SPTE lies inside its slot, over a frame whose
 *    disallow_lpage is 0 (so not MIXED), with uniform attributes, and its
 *    backing (gmem folio order or host mapping level) is at least as large;
 *  - "tlb": every vCPU translation that is still valid matches the SPTEs
 *    and points to a live page (a zap without a flush shows up here).
 *
 * Meant for quiescent points (no thread inside a fault, zap or flush): a
 * zap and its flush are separate steps, so between them "tlb" would fire.
 */
#include <stdarg.h>
#include <stdio.h>

#include <linux/kvm_host.h>
#include <linux/mm.h>
#include <linux/mm_model.h>
#include <linux/fs.h>
#include <linux/pagemap.h>

#include "mmu_internal.h"

struct inv_ctx {
	void (*report)(void *ctx, const char *checker, const char *msg);
	void *ctx;
	int violations;
	char buf[256];
};

static void inv_report(struct inv_ctx *c, const char *checker, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void inv_report(struct inv_ctx *c, const char *checker, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(c->buf, sizeof(c->buf), fmt, ap);
	va_end(ap);
	c->violations++;
	if (c->report)
		c->report(c->ctx, checker, c->buf);
}

/* The page-cache folio of the slot's binding at @gfn, or NULL. */
static struct folio *gmem_folio_at(struct kvm_memory_slot *slot, gfn_t gfn)
{
	struct file *file = slot->gmem.file;
	void *entry;

	if (!file || !file->f_mapping)
		return NULL;
	entry = xa_load(&file->f_mapping->i_pages, gfn - slot->base_gfn + slot->gmem.pgoff);
	if (!entry || xa_is_value(entry))
		return NULL;
	return entry;
}

static void check_backing(struct inv_ctx *c, struct kvm *kvm, struct kvm_memory_slot *slot,
			  int level, gfn_t gfn, u64 spte)
{
	kvm_pfn_t pfn = spte_to_pfn(spte);
	bool gmem = is_private_pte(spte) || kvm_memslot_is_gmem_only(slot);

	if (gmem) {
		struct folio *folio = gmem_folio_at(slot, gfn);
		struct folio *live = mm_pfn_folio_live(pfn);

		if (!folio || folio != live || pfn < folio_pfn(folio) ||
		    pfn >= folio_pfn(folio) + folio_nr_pages(folio)) {
			inv_report(c, "stale-mapping",
				   "%s SPTE gfn 0x%llx level %d -> pfn 0x%llx, but the binding's folio at that index is %s",
				   is_private_pte(spte) ? "private" : "gmem-only shared",
				   (unsigned long long)gfn, level, (unsigned long long)pfn,
				   !slot->gmem.file ? "gone (no file)" :
				   !folio ? "absent" : !live ? "another (pfn freed)" : "another folio");
			return;
		}
		if (level > PG_LEVEL_4K && !folio_test_large(folio) && folio_test_hugetlb(folio))
			inv_report(c, "hugepage",
				   "level %d SPTE at gfn 0x%llx still maps a split HugeTLB folio (pfn 0x%llx)",
				   level, (unsigned long long)gfn, (unsigned long long)pfn);
		else if (level > PG_LEVEL_4K &&
			 (int)folio_order(folio) < KVM_HPAGE_GFN_SHIFT(level))
			inv_report(c, "hugepage",
				   "level %d SPTE at gfn 0x%llx over an order-%u gmem folio",
				   level, (unsigned long long)gfn, folio_order(folio));
		else if (pfn + KVM_PAGES_PER_HPAGE(level) > folio_pfn(folio) + folio_nr_pages(folio))
			inv_report(c, "hugepage",
				   "level %d SPTE at gfn 0x%llx -> pfn 0x%llx maps beyond its folio (pfn 0x%lx, %lu pages)",
				   level, (unsigned long long)gfn, (unsigned long long)pfn,
				   folio_pfn(folio), folio_nr_pages(folio));
		return;
	}

	/* Shared memory of a normal slot: the host page behind the HVA. */
	{
		unsigned long hva = gfn_to_hva_memslot(slot, gfn);
		unsigned long host_pfn = mm_follow_pfn(current_mm(), hva);

		if (!mm_pfn_is_live(pfn) || host_pfn != pfn) {
			inv_report(c, "stale-mapping",
				   "shared SPTE gfn 0x%llx level %d -> pfn 0x%llx, host maps pfn 0x%lx at hva 0x%lx%s (no mmu_notifier zap?)",
				   (unsigned long long)gfn, level, (unsigned long long)pfn, host_pfn, hva,
				   mm_pfn_is_live(pfn) ? "" : " (pfn freed)");
			return;
		}
		if (level > PG_LEVEL_4K && host_pfn_mapping_level(current_mm(), hva) < level)
			inv_report(c, "hugepage",
				   "level %d SPTE at gfn 0x%llx but the host maps hva 0x%lx smaller",
				   level, (unsigned long long)gfn, hva);
		/* Host THP (spec §3.5): the huge SPTE lies inside one folio. */
		if (level > PG_LEVEL_4K) {
			struct folio *folio = mm_pfn_folio_live(pfn);

			if (!folio || pfn < folio_pfn(folio) ||
			    pfn + KVM_PAGES_PER_HPAGE(level) > folio_pfn(folio) + folio_nr_pages(folio))
				inv_report(c, "hugepage",
					   "shared level %d SPTE at gfn 0x%llx -> pfn 0x%llx maps beyond its host folio",
					   level, (unsigned long long)gfn, (unsigned long long)pfn);
		}
	}
}

static bool check_leaf(struct kvm *kvm, bool mirror, int level, gfn_t gfn, u64 spte, void *data)
{
	struct inv_ctx *c = data;
	gfn_t end = gfn + KVM_PAGES_PER_HPAGE(level);
	unsigned long want = is_private_pte(spte) ? KVM_MEMORY_ATTRIBUTE_PRIVATE : 0;
	struct kvm_memory_slot *slot;

	if (mirror != (kvm->arch.mirror_root && is_private_pte(spte)))
		inv_report(c, "attributes", "%s SPTE at gfn 0x%llx in the %s root",
			   is_private_pte(spte) ? "private" : "shared", (unsigned long long)gfn,
			   mirror ? "mirror" : "direct");

	if (is_private_pte(spte) && !kvm->arch.has_private_mem)
		inv_report(c, "attributes", "private SPTE at gfn 0x%llx in a VM without private memory",
			   (unsigned long long)gfn);
	else if (kvm->arch.has_private_mem &&
		 !kvm_range_has_memory_attributes(kvm, gfn, end, ~0UL, want)) {
		inv_report(c, "attributes",
			   "%s SPTE level %d at gfn 0x%llx covers gfns whose attributes are not %s",
			   want ? "private" : "shared", level, (unsigned long long)gfn,
			   want ? "PRIVATE" : "shared");
		if (level > PG_LEVEL_4K)
			inv_report(c, "hugepage",
				   "level %d SPTE at gfn 0x%llx over a mixed (shared+private) frame",
				   level, (unsigned long long)gfn);
	}

	slot = gfn_to_memslot(kvm, gfn);
	if (!slot) {
		inv_report(c, "stale-mapping", "SPTE at gfn 0x%llx level %d without a memslot",
			   (unsigned long long)gfn, level);
		return true;
	}

	if (level > PG_LEVEL_4K) {
		if (gfn < slot->base_gfn || end > slot->base_gfn + slot->npages)
			inv_report(c, "hugepage", "level %d SPTE at gfn 0x%llx crosses its slot's bounds",
				   level, (unsigned long long)gfn);
		else if (lpage_info_slot(gfn, slot, level)->disallow_lpage)
			inv_report(c, "hugepage",
				   "level %d SPTE at gfn 0x%llx over a frame with disallow_lpage 0x%x",
				   level, (unsigned long long)gfn,
				   lpage_info_slot(gfn, slot, level)->disallow_lpage);
	}

	check_backing(c, kvm, slot, level, gfn, spte);
	return true;
}

/* Context: takes spin_lock(&kvm->arch.vcpu_list_lock), spin_lock(&kvm->arch.spte_lock); does not sleep. */
static void check_tlbs(struct inv_ctx *c, struct kvm *kvm)
{
	struct kvm_vcpu_arch *va;
	u64 gen;

	/*
	 * One hold of each lock for the whole walk: this runs at a quiescent
	 * point, and taking spte_lock per entry made the checker cost more
	 * than the execution it checks.
	 */
	spin_lock(&kvm->arch.vcpu_list_lock);
	spin_lock(&kvm->arch.spte_lock);
	gen = kvm->arch.tlb_gen;
	list_for_each_entry(va, &kvm->arch.vcpu_list, link) {
		int i;

		for (i = 0; i < KVM_X86_TLB_ENTRIES; i++) {
			struct kvm_tlb_entry *e = &va->tlb[i];
			gfn_t gfn;
			u64 spte;
			int level = PG_LEVEL_4K;

			if (!e->valid || e->gen != gen)
				continue;
			gfn = e->gfn & ~kvm_gfn_direct_bits(kvm);
			spte = kvm_tdp_mmu_walk_locked(kvm, gfn,
						       kvm->arch.mirror_root && e->is_private, &level);

			if (!is_shadow_present_pte(spte) ||
			    spte_to_pfn(spte) + (gfn & (KVM_PAGES_PER_HPAGE(level) - 1)) != e->pfn)
				inv_report(c, "tlb",
					   "vCPU %d still translates gfn 0x%llx -> pfn 0x%llx after its SPTE changed (missing TLB flush)",
					   va->vcpu ? va->vcpu->vcpu_id : -1,
					   (unsigned long long)e->gfn, (unsigned long long)e->pfn);
			else if (!mm_pfn_is_live(e->pfn))
				inv_report(c, "tlb", "vCPU %d translates gfn 0x%llx to freed pfn 0x%llx",
					   va->vcpu ? va->vcpu->vcpu_id : -1,
					   (unsigned long long)e->gfn, (unsigned long long)e->pfn);
		}
	}
	spin_unlock(&kvm->arch.spte_lock);
	spin_unlock(&kvm->arch.vcpu_list_lock);
}

/**
 * kvm_mmu_check_invariants() - run the SPTE-side checkers on a VM
 * @kvm: the VM
 * @report: called once per violation with the checker's name and a message
 * @ctx: passed to @report
 *
 * Context: quiescent point; takes kvm->srcu (read), spte_lock and
 * vcpu_list_lock; does not block.
 * Return: the number of violations found.
 */
int kvm_mmu_check_invariants(struct kvm *kvm,
			     void (*report)(void *ctx, const char *checker, const char *msg),
			     void *ctx)
{
	struct inv_ctx c = { .report = report, .ctx = ctx };
	int idx;

	if (kvm_tdp_mmu_check_counts(kvm))
		inv_report(&c, "stale-mapping", "TDP MMU leaf counters disagree with the SPTE store");
	idx = srcu_read_lock(&kvm->srcu);
	kvm_tdp_mmu_for_each_leaf(kvm, check_leaf, &c);
	srcu_read_unlock(&kvm->srcu, idx);
	check_tlbs(&c, kvm);
	return c.violations;
}
