// SPDX-License-Identifier: GPL-2.0
/*
 * A model of arch/x86/kvm/svm/sev.c (X86-new) for SNP VMs: the gmem hooks
 * and the RMP (reverse map table) they drive.
 *
 * RMP: one entry per host pfn in the machine's table (mm_world_rmp()):
 * assigned (guest-owned), owner (the VM), the gfn it backs, and the page
 * size (4K or 2M).  Prepare makes a folio's pages guest-owned
 * (rmp_make_private; a 2M or larger folio gets 2M entries, so a whole 2 MiB
 * is private); invalidate, when a gmem folio is freed or a range is made
 * shared, returns them to the hypervisor (rmp_make_shared, after a PSMASH
 * of a 2M entry that is only partly returned).  The max mapping level of a
 * private pfn is its RMP page size.
 *
 * The "rmp" checker (model backend) reports a host access to a guest-owned
 * page and, at quiescent points, RMP entries that outlive their folio or 2M
 * entries that do not cover a whole private 2 MiB.
 *
 * Prepare failures are injected through kvm_x86_inject_gmem_prepare_error().
 */
#include <stdio.h>	/* snprintf for checker messages, as mmu/invariants.c */
#include <linux/kvm_host.h>
#include <linux/mm.h>
#include <linux/mm_model.h>
#include <linux/pagemap.h>

#include "../mmu/mmu_internal.h"

/* Entry layout (an xarray value, so at most 63 bits). */
#define RMP_ASSIGNED		BIT_ULL(0)
#define RMP_PAGESIZE_2M		BIT_ULL(1)
#define RMP_ASID_SHIFT		2
#define RMP_ASID_MASK		(0xffffULL << RMP_ASID_SHIFT)
#define RMP_GFN_SHIFT		18

#define RMP_2M_PAGES		KVM_PAGES_PER_HPAGE(PG_LEVEL_2M)

static u64 rmp_entry(kvm_pfn_t pfn)
{
	void *e = xa_load(mm_world_rmp(), pfn);

	return e ? xa_to_value(e) : 0;
}

static u64 rmp_asid(u64 e)
{
	return (e & RMP_ASID_MASK) >> RMP_ASID_SHIFT;
}

static gfn_t rmp_gfn(u64 e)
{
	return e >> RMP_GFN_SHIFT;
}

/* The VM's ASID in the model: its stable id + 1 (0 = hypervisor). */
static u64 sev_asid(struct kvm *kvm)
{
	return ((u64)kvm->sim_id + 1) & 0xffff;
}

/* Split a 2M entry into 4K ones (PSMASH): same owner, same gfns. */
static void rmp_psmash(kvm_pfn_t pfn)
{
	kvm_pfn_t base = round_down(pfn, RMP_2M_PAGES), p;

	for (p = base; p < base + RMP_2M_PAGES; p++) {
		u64 e = rmp_entry(p);

		if (e & RMP_PAGESIZE_2M)
			xa_store(mm_world_rmp(), p, xa_mk_value(e & ~RMP_PAGESIZE_2M),
				 GFP_KERNEL | __GFP_NOFAIL);
	}
}

static int sev_gmem_prepare(struct kvm *kvm, gfn_t gfn, kvm_pfn_t pfn, int max_order)
{
	unsigned long nr, i;
	u64 asid = sev_asid(kvm);
	bool huge;

	/* The RMP entry for a huge folio must be naturally aligned. */
	if (WARN_ON_ONCE(max_order < 0 || (pfn & ((1ULL << max_order) - 1))))
		return -EINVAL;
	nr = 1UL << max_order;
	huge = max_order >= KVM_HPAGE_GFN_SHIFT(PG_LEVEL_2M);

	/* RMPUPDATE fails on a page another guest owns (FAIL_INUSE). */
	for (i = 0; i < nr; i++) {
		u64 e = rmp_entry(pfn + i);

		if ((e & RMP_ASSIGNED) && rmp_asid(e) != asid)
			return -EBUSY;
	}
	for (i = 0; i < nr; i++) {
		u64 e = RMP_ASSIGNED | (asid << RMP_ASID_SHIFT) |
			((u64)(gfn + i) << RMP_GFN_SHIFT);

		if (huge)
			e |= RMP_PAGESIZE_2M;
		else if (rmp_entry(pfn + i) & RMP_PAGESIZE_2M)
			/* Re-preparing one page of a 2M entry keeps the 2M entry. */
			e |= RMP_PAGESIZE_2M;
		xa_store(mm_world_rmp(), pfn + i, xa_mk_value(e), GFP_KERNEL | __GFP_NOFAIL);
	}
	return 0;
}

/**
 * sev_gmem_invalidate() - return [@start, @end) to the hypervisor
 * (rmp_make_shared), smashing 2M entries that are only partly returned.
 * @start: first pfn
 * @end: pfn after the last
 *
 * Context: folio free or conversion path; does not block.
 */
void sev_gmem_invalidate(kvm_pfn_t start, kvm_pfn_t end)
{
	struct xarray *rmp = mm_world_rmp();
	kvm_pfn_t pfn;

	if (xa_empty(rmp))
		return;
	for (pfn = start; pfn < end; pfn++) {
		u64 e = rmp_entry(pfn);

		if (!e)
			continue;
		if ((e & RMP_PAGESIZE_2M) &&
		    (start > round_down(pfn, RMP_2M_PAGES) ||
		     end < round_down(pfn, RMP_2M_PAGES) + RMP_2M_PAGES))
			rmp_psmash(pfn);
		xa_erase(rmp, pfn);
	}
}

static int sev_gmem_max_mapping_level(struct kvm *kvm, kvm_pfn_t pfn, bool is_private)
{
	if (!is_private)
		return 0;
	/* The RMP page size bounds the NPT mapping of a private page. */
	return (rmp_entry(pfn) & RMP_PAGESIZE_2M) ? PG_LEVEL_2M : PG_LEVEL_4K;
}

/**
 * snp_rmp_is_private() - is @pfn guest-owned in the RMP?
 * @pfn: host pfn
 *
 * Context: any (a racy snapshot).
 * Return: true if assigned to a guest.
 */
bool snp_rmp_is_private(kvm_pfn_t pfn)
{
	return rmp_entry(pfn) & RMP_ASSIGNED;
}

/**
 * snp_rmp_check() - the quiescent "rmp" checker: every guest-owned page is
 * a page of a live gmem folio, and every 2M entry covers a whole 2 MiB of
 * one owner with contiguous gfns.
 * @report: called per violation with ("rmp", message)
 * @ctx: passed to @report
 *
 * Context: quiescent point of the current world.
 * Return: the number of violations.
 */
int snp_rmp_check(void (*report)(void *ctx, const char *checker, const char *msg),
		  void *ctx)
{
	struct xarray *rmp = mm_world_rmp();
	unsigned long pfn;
	char msg[192];
	int bad = 0;
	void *entry;

	xa_for_each(rmp, pfn, entry) {
		u64 e = xa_to_value(entry);
		struct folio *folio = mm_pfn_folio_live(pfn);

		if (!folio || !folio->mapping || !mapping_inaccessible(folio->mapping)) {
			snprintf(msg, sizeof(msg),
				 "pfn %#lx is still guest-owned (asid %llu gfn %#llx) but %s",
				 pfn, (unsigned long long)rmp_asid(e),
				 (unsigned long long)rmp_gfn(e),
				 !folio ? "its folio was freed (RMP not returned)" :
				 "it is not a guest_memfd page");
			report(ctx, "rmp", msg);
			bad++;
			continue;
		}
		if ((e & RMP_PAGESIZE_2M) && !(pfn & (RMP_2M_PAGES - 1))) {
			unsigned long i;

			for (i = 1; i < RMP_2M_PAGES; i++) {
				u64 o = rmp_entry(pfn + i);

				if (!(o & RMP_PAGESIZE_2M) || rmp_asid(o) != rmp_asid(e) ||
				    rmp_gfn(o) != rmp_gfn(e) + i)
					break;
			}
			if (i < RMP_2M_PAGES) {
				snprintf(msg, sizeof(msg),
					 "2M RMP entry at pfn %#lx but pfn %#lx is not part of it",
					 pfn, pfn + i);
				report(ctx, "rmp", msg);
				bad++;
			}
		}
	}
	return bad;
}

const struct kvm_x86_vendor_ops sev_snp_vendor_ops = {
	.name = "sev-snp",
	.gmem_prepare = sev_gmem_prepare,
	.gmem_max_mapping_level = sev_gmem_max_mapping_level,
};
