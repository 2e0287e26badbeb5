// SPDX-License-Identifier: GPL-2.0
/*
 * The bug zoo's table.  To add an entry: a defect switch in the model
 * (a KVM_ZOO_* bit in model/include/linux/kvm_host.h named in
 * sim/backend/model/model_backend.c, or a KVM_X86_DEFECT_* bit named in
 * model/arch/x86/kvm/x86.c), traces/zoo/NAME.trace, and one row below;
 * docs/zoo.md is checked against `gmemsim zoo list --json` by CTest.
 */
#include <stdio.h>
#include <string.h>

#include "zoo/zoo.h"

const struct zoo_entry zoo_entries[] = {
	{ "mmu-no-stale-check",
	  "fault path skips the mmu_invalidate seq/range re-check under mmu_lock",
	  "§2.3, §3.2", "SLAB,stale-mapping,contents", NULL, true },
	{ "invalidate-end-no-seq",
	  "kvm_mmu_invalidate_end() does not bump mmu_invalidate_seq",
	  "§2.3", "SLAB,stale-mapping,contents", NULL, true },
	{ "punch-truncate-first",
	  "punch hole truncates the page cache before the invalidation begins",
	  "§1.5", "SLAB,stale-mapping,contents", NULL, true },
	{ "punch-no-end",
	  "punch hole begins an invalidation and never ends it",
	  "§1.5, §2.3", "protocol", NULL, false },
	{ "punch-no-invalidate",
	  "punch hole truncates with no invalidation at all",
	  "§1.5", "SLAB,stale-mapping,contents", NULL, false },
	{ "attr-store-before-zap",
	  "attribute change stores the attributes, then zaps, outside an invalidation",
	  "§2.4, §3.6", "expectation,attributes", NULL, true },
	{ "invalidate-no-range",
	  "gmem invalidation begins and zaps without adding its range",
	  "§2.3", "WARN", NULL, false },
	{ "release-no-zap",
	  "gmem release clears the slots' file but keeps the guest mappings",
	  "§1.7", "stale-mapping,SLAB", NULL, false },
	{ "b01-lpage-overflow",
	  "attribute post hook walks lpage_info past the slot's frames",
	  "B-01", "WARN", NULL, false },
	{ "b10-vendor-level",
	  "vendor max mapping level returned raw, not clamped by the folio order",
	  "B-10", "hugepage,WARN", NULL, false },
	{ "b13-prefault-before-launch",
	  "pre-fault allowed on SNP before launch finish",
	  "B-13, PF-07", "expectation", NULL, false },
	{ "b15-private-emulate",
	  "private fault on a slot-less GPA emulated as MMIO",
	  "B-15, PKE-1", "expectation", NULL, false },
	{ "b15-mismatch-late",
	  "private/shared mismatch checked below the memslot checks",
	  "B-15", "expectation", NULL, false },
	{ "b16-bind-signed-overflow",
	  "bind bounds check with signed loff_t overflow (7.2 fix reverted)",
	  "B-16, SPEC-10", "expectation", "7.2", false },
	{ "mmu-no-slot-flush",
	  "TLB flush skipped after the memslot zap",
	  "§3.7", "tlb", NULL, false },
	{ "mmu-gmem-order-ignored",
	  "fault maps a page at a level its gmem folio cannot back",
	  "§3.3, §3.5", "hugepage,WARN", NULL, false },
	{ "release-keep-slot-file",
	  "gmem release leaves slot->gmem.file pointing at the file it frees",
	  "§1.7, B-03", "bindings,released-file,SLAB", NULL, false },
	{ "unbind-skip-dying",
	  "memslot deletion skips the unbind of a dying gmem file (bindings to a freed slot)",
	  "§1.11, B-03, B-04", "SLAB,bindings", NULL, true },
	{ "b09-get-folio-err-as-null",
	  "get_pfn checks get_folio for NULL only and uses an ERR_PTR as a folio",
	  "B-09", "BUG", NULL, false },
	{ "b21-truncate-private",
	  "partial-folio truncate zeroes pages the guest still owns (HugeTLB gmem, SNP)",
	  "B-21, §6.4", "rmp", NULL, false },
	{ "b07-init-shared-filter",
	  "INIT_SHARED gmem zapped with the PRIVATE filter on a mirrored-root (TDX, in-place) VM",
	  "B-07, §6.3", "SLAB,stale-mapping,expectation", NULL, false },
	{ "convert-no-refcount",
	  "in-place conversion to private skips the folio refcount check (pinned page turns private)",
	  "§6.3", "expectation,inplace", NULL, false },
	{ "invalidate-one-file",
	  "inode-wide invalidation walks only the first gmem file (a linked VM keeps its SPTEs)",
	  "§6.6, §1.5", "expectation,stale-mapping,SLAB,contents", NULL, false },
	{ "hugetlb-split-no-zap",
	  "a zap of part of a huge SPTE keeps it: a split HugeTLB folio stays mapped 2M over a shared page",
	  "§6.4", "attributes,hugepage,stale-mapping,expectation", NULL, false },
	{ "hugetlb-merge-shared",
	  "in-place conversion merges a huge range back while one of its pages is still shared",
	  "§6.4", "hugetlb,hugepage,attributes,WARN,expectation", NULL, false },
};

const size_t zoo_nr_entries = sizeof(zoo_entries) / sizeof(zoo_entries[0]);

/**
 * zoo_find() - the zoo entry called @name.
 * @name: an entry name
 *
 * Context: any.
 * Return: the entry, or NULL.
 */
const struct zoo_entry *zoo_find(const char *name)
{
	size_t i;

	for (i = 0; i < zoo_nr_entries; i++)
		if (!strcmp(zoo_entries[i].name, name))
			return &zoo_entries[i];
	return NULL;
}

/**
 * zoo_trace_path() - the path of @e's trace.
 * @e: the entry
 * @dir: the traces/zoo directory
 * @buf: out
 * @len: size of @buf
 *
 * Context: any.
 */
void zoo_trace_path(const struct zoo_entry *e, const char *dir, char *buf, size_t len)
{
	snprintf(buf, len, "%s/%s.trace", dir, e->name);
}

/**
 * zoo_checker_expected() - is @checker one of @e's checkers?
 * @e: the entry
 * @checker: a checker name
 *
 * Context: any.
 * Return: true if @checker is in @e->checkers.
 */
bool zoo_checker_expected(const struct zoo_entry *e, const char *checker)
{
	const char *s = e->checkers;
	size_t n = strlen(checker);

	while (*s) {
		size_t k = strcspn(s, ",");

		if (k == n && !strncmp(s, checker, n))
			return true;
		s += k;
		if (*s == ',')
			s++;
	}
	return false;
}

/**
 * zoo_result_checker() - the checker of @r that detects @e's defect.
 * @e: the entry
 * @r: a failed execution
 *
 * Every violation counts, not only the first: free-running threads report
 * in arrival order (a read of a freed page may reach the trace's
 * expectation before the SLAB report of the same read), and a controlled
 * run may report an unexpected checker at an earlier step than the one
 * the entry names.
 *
 * Context: any.
 * Return: the first expected checker among @r's violations (or its
 * outcome's name, if expected), or NULL.
 */
const char *zoo_result_checker(const struct zoo_entry *e, const struct sim_result *r)
{
	size_t i;

	for (i = 0; i < r->nv; i++)
		if (zoo_checker_expected(e, r->v[i].checker))
			return r->v[i].checker;
	return zoo_checker_expected(e, sim_outcome_name(r->outcome)) ?
	       sim_outcome_name(r->outcome) : NULL;
}
