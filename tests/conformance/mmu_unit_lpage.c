// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of lpage_info and KVM_LPAGE_MIXED_FLAG bookkeeping (spec §3.5)
 * and of the x86 attribute hooks (§3.6), with hand-built memslots and the
 * stub generic side (mmu_stubs.c).
 *
 * The expected state comes from an oracle written straight from the spec's
 * definitions (a frame is disallowed if the slot covers it only partly or
 * the gfn/hva alignment differs; MIXED iff the frame lies fully inside the
 * slot and its gfns do not share one attribute value), plus hand-computed
 * rows for the invalidation ranges the pre hook adds.
 *
 * B-01 / SPEC-14: every lpage_info access must stay in bounds; the model
 * WARNs on an out-of-bounds index and ASan catches a raw overflow, so each
 * test asserts that no WARN fired.
 *
 * Randomised test: prints "seed: N" first; rerun with `-s N`.  Runs < 1 s.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>

#include "mmu_stubs.h"

#define GFN_4G		(0x100000000ULL >> PAGE_SHIFT)
#define P2M		512ULL
#define P1G		(512ULL * 512)

static unsigned long g_seed;

/* Do all gfns in [s, e) have one attribute value?  (interval oracle) */
static bool oracle_uniform(struct stub_world *w, gfn_t s, gfn_t e)
{
	unsigned long a = stub_get_attrs(w, s);
	int i;

	for (i = 0; i < w->nattrs; i++) {
		gfn_t b[2] = { w->attrs[i].start, w->attrs[i].end };
		int j;

		for (j = 0; j < 2; j++) {
			if (b[j] > s && b[j] < e && stub_get_attrs(w, b[j]) != a)
				return false;
		}
	}
	return true;
}

static int oracle_disallow(struct stub_world *w, struct kvm_memory_slot *slot, int level,
			   unsigned long idx)
{
	gfn_t pages = KVM_PAGES_PER_HPAGE(level);
	gfn_t fs = ((slot->base_gfn >> KVM_HPAGE_GFN_SHIFT(level)) + idx) << KVM_HPAGE_GFN_SHIFT(level);
	gfn_t fe = fs + pages;
	gfn_t se = slot->base_gfn + slot->npages;
	bool inside = fs >= slot->base_gfn && fe <= se;
	int d = 0;

	if (!inside)
		d = 1;
	if ((slot->base_gfn ^ (slot->userspace_addr >> PAGE_SHIFT)) & (pages - 1))
		d = 1;
	if (inside && w->kvm->arch.has_private_mem && !oracle_uniform(w, fs, fe))
		d |= KVM_LPAGE_MIXED_FLAG;
	return d;
}

static void check_slot_vs_oracle(struct stub_world *w, struct kvm_memory_slot *slot,
				 const char *what)
{
	int level;

	for (level = PG_LEVEL_2M; level <= PG_LEVEL_1G; level++) {
		unsigned long nr = slot->arch.lpage_nr[level - 2];
		unsigned long exp_nr = ((slot->base_gfn + slot->npages - 1) >> KVM_HPAGE_GFN_SHIFT(level)) -
				       (slot->base_gfn >> KVM_HPAGE_GFN_SHIFT(level)) + 1;
		unsigned long i;

		ck_assert_msg(nr == exp_nr, "%s: level %d has %lu entries, expected %lu",
			      what, level, nr, exp_nr);
		for (i = 0; i < nr; i++) {
			int got = slot->arch.lpage_info[level - 2][i].disallow_lpage;
			int exp = oracle_disallow(w, slot, level, i);

			ck_assert_msg(got == exp,
				      "%s: slot [0x%llx,+0x%lx) level %d frame %lu: disallow 0x%x, expected 0x%x (seed %lu)",
				      what, (unsigned long long)slot->base_gfn, slot->npages, level, i,
				      got, exp, g_seed);
		}
	}
}

/* ---- §3.5 table: slot shapes at creation ---- */

static const struct {
	const char *row;
	gfn_t base;
	unsigned long npages;
	unsigned long uaddr;
	int exp_2m_nr, exp_1g_nr;
	int exp_first_2m, exp_last_2m;	/* disallow of first/last 2M entry */
} slot_rows[] = {
	{ "aligned 4M",            GFN_4G,     2 * P2M,     0x40000000UL, 2, 1, 0, 0 },
	{ "base +4K",              GFN_4G + 1, 2 * P2M,     0x40001000UL, 3, 1, 1, 1 },
	{ "2M+4K (PMC chunk)",     GFN_4G,     P2M + 1,     0x40000000UL, 2, 1, 0, 1 },
	{ "hva misaligned",        GFN_4G,     2 * P2M,     0x40001000UL, 2, 1, 1, 1 },
	{ "1G aligned",            GFN_4G,     P1G,         0x40000000UL, 512, 1, 0, 0 },
	{ "1G at +2M",             GFN_4G + P2M, P1G,       0x40200000UL, 512, 2, 0, 0 },
	{ "one page",              GFN_4G + 7, 1,           0x40007000UL, 1, 1, 1, 1 },
};

START_TEST(test_lpage_slot_shapes)
{
	struct stub_world *w = stub_world_new(KVM_X86_SW_PROTECTED_VM);
	struct kvm_memory_slot *slot;
	int ret;

	slot = stub_add_slot(w, slot_rows[_i].base, slot_rows[_i].npages, slot_rows[_i].uaddr,
			     KVM_MEM_GUEST_MEMFD, &ret);
	ck_assert_int_eq(ret, 0);
	ck_assert_int_eq(slot->arch.lpage_nr[0], slot_rows[_i].exp_2m_nr);
	ck_assert_int_eq(slot->arch.lpage_nr[1], slot_rows[_i].exp_1g_nr);
	ck_assert_int_eq(slot->arch.lpage_info[0][0].disallow_lpage, slot_rows[_i].exp_first_2m);
	ck_assert_int_eq(slot->arch.lpage_info[0][slot->arch.lpage_nr[0] - 1].disallow_lpage,
			 slot_rows[_i].exp_last_2m);
	check_slot_vs_oracle(w, slot, slot_rows[_i].row);
	stub_world_free(w);
}
END_TEST

/* ---- MIXED at creation from existing attributes (§3.5) ---- */

START_TEST(test_mixed_init_from_attributes)
{
	struct stub_world *w = stub_world_new(KVM_X86_SW_PROTECTED_VM);
	struct kvm_memory_slot *slot;

	/* one private page in the second 2M frame, set before the slot exists */
	stub_set_attrs(w, GFN_4G + P2M + 3, GFN_4G + P2M + 4, KVM_MEMORY_ATTRIBUTE_PRIVATE);
	slot = stub_add_slot(w, GFN_4G, P1G, 0x40000000UL, KVM_MEM_GUEST_MEMFD, NULL);
	ck_assert_int_eq(slot->arch.lpage_info[0][0].disallow_lpage, 0);
	ck_assert_int_eq(slot->arch.lpage_info[0][1].disallow_lpage, (int)KVM_LPAGE_MIXED_FLAG);
	ck_assert_int_eq(slot->arch.lpage_info[1][0].disallow_lpage, (int)KVM_LPAGE_MIXED_FLAG);
	check_slot_vs_oracle(w, slot, "init");
	ck_assert_int_eq(shim_report_count(SHIM_REPORT_WARN), 0);
	stub_world_free(w);
}
END_TEST

/* DEFAULT VMs have no attributes: MIXED is never computed. */
START_TEST(test_mixed_default_vm_untouched)
{
	struct stub_world *w = stub_world_new(KVM_X86_DEFAULT_VM);
	struct kvm_memory_slot *slot = stub_add_slot(w, GFN_4G, 4 * P2M, 0x40000000UL, 0, NULL);
	unsigned long i;

	for (i = 0; i < slot->arch.lpage_nr[0]; i++)
		ck_assert_int_eq(slot->arch.lpage_info[0][i].disallow_lpage, 0);
	stub_world_free(w);
}
END_TEST

/* ---- §3.6 pre hook: invalidation widened to straddled head/tail frames ---- */

static const struct {
	const char *row;
	gfn_t slot_base;
	unsigned long slot_npages;
	gfn_t pre_start, pre_end;	/* an earlier conversion (0,0: none) */
	gfn_t start, end;		/* the conversion under test */
	gfn_t exp_start, exp_end;	/* invalidation range after the pre pass */
} pre_rows[] = {
	{ "aligned 2M in 4M slot: no widening", GFN_4G, 2 * P2M, 0, 0,
	  GFN_4G + P2M, GFN_4G + 2 * P2M, GFN_4G + P2M, GFN_4G + 2 * P2M },
	{ "4K head in 4M slot: 2M head frame", GFN_4G, 2 * P2M, 0, 0,
	  GFN_4G + 1, GFN_4G + 2, GFN_4G, GFN_4G + P2M },
	{ "4K in 1G slot: 1G frame too", GFN_4G, P1G, 0, 0,
	  GFN_4G + 1, GFN_4G + 2, GFN_4G, GFN_4G + P1G },
	{ "frame already MIXED: not widened", GFN_4G, 2 * P2M, GFN_4G + 1, GFN_4G + 2,
	  GFN_4G + 2, GFN_4G + 3, GFN_4G + 2, GFN_4G + 3 },
	{ "straddles two 2M frames: head and tail", GFN_4G, 2 * P2M, 0, 0,
	  GFN_4G + P2M / 2, GFN_4G + P2M + P2M / 2, GFN_4G, GFN_4G + 2 * P2M },
	{ "head frame partly outside slot: not widened (B-01)", GFN_4G + 1, 2 * P2M, 0, 0,
	  GFN_4G + 1, GFN_4G + 2, GFN_4G + 1, GFN_4G + 2 },
	{ "tail frame partly outside slot: not widened", GFN_4G, P2M + 8, 0, 0,
	  GFN_4G + P2M + 1, GFN_4G + P2M + 2, GFN_4G + P2M + 1, GFN_4G + P2M + 2 },
};

START_TEST(test_pre_hook_invalidation_range)
{
	struct stub_world *w = stub_world_new(KVM_X86_SW_PROTECTED_VM);
	struct kvm_memory_slot *slot;

	slot = stub_add_slot(w, pre_rows[_i].slot_base, pre_rows[_i].slot_npages,
			     (unsigned long)pre_rows[_i].slot_base << PAGE_SHIFT,
			     KVM_MEM_GUEST_MEMFD, NULL);
	if (pre_rows[_i].pre_end)
		stub_set_attrs(w, pre_rows[_i].pre_start, pre_rows[_i].pre_end,
			       KVM_MEMORY_ATTRIBUTE_PRIVATE);
	stub_set_attrs(w, pre_rows[_i].start, pre_rows[_i].end, KVM_MEMORY_ATTRIBUTE_PRIVATE);
	ck_assert_msg(w->inval_start == pre_rows[_i].exp_start && w->inval_end == pre_rows[_i].exp_end,
		      "%s: invalidated [0x%llx,0x%llx), expected [0x%llx,0x%llx)", pre_rows[_i].row,
		      (unsigned long long)w->inval_start, (unsigned long long)w->inval_end,
		      (unsigned long long)pre_rows[_i].exp_start,
		      (unsigned long long)pre_rows[_i].exp_end);
	check_slot_vs_oracle(w, slot, pre_rows[_i].row);
	ck_assert_int_eq(shim_report_count(SHIM_REPORT_WARN), 0);
	stub_world_free(w);
}
END_TEST

/* ---- §3.6 post hook and B-01 bounds (SPEC-14) ---- */

static const struct {
	const char *row;
	gfn_t base;
	unsigned long npages;
	gfn_t start, end;
	unsigned long attrs;
} post_rows[] = {
	/* B-01 trigger: slot < 1G, the same 1G frame is head and tail */
	{ "B-01 small slot, convert first page", GFN_4G + 1, 3 * P2M, GFN_4G + 1, GFN_4G + 2, 8 },
	{ "B-01 small slot, convert last page", GFN_4G + 1, 3 * P2M, GFN_4G + 3 * P2M,
	  GFN_4G + 3 * P2M + 1, 8 },
	{ "B-01 small slot, convert all", GFN_4G + 1, 3 * P2M, GFN_4G + 1, GFN_4G + 3 * P2M + 1, 8 },
	{ "B-01 range beyond slot both ends", GFN_4G + 5, P2M + 3, GFN_4G - P1G, GFN_4G + P1G, 8 },
	{ "unaligned tail, convert tail frame", GFN_4G, P1G + 7, GFN_4G + P1G, GFN_4G + P1G + 7, 8 },
	{ "1G slot, convert one 2M frame", GFN_4G, P1G, GFN_4G + P2M, GFN_4G + 2 * P2M, 8 },
	{ "1G slot, convert whole 1G", GFN_4G, P1G, GFN_4G, GFN_4G + P1G, 8 },
	{ "back to shared clears MIXED", GFN_4G, P1G, GFN_4G, GFN_4G + P1G, 0 },
};

START_TEST(test_post_hook_bounds)
{
	struct stub_world *w = stub_world_new(KVM_X86_SW_PROTECTED_VM);
	struct kvm_memory_slot *slot;

	slot = stub_add_slot(w, post_rows[_i].base, post_rows[_i].npages,
			     (unsigned long)post_rows[_i].base << PAGE_SHIFT, KVM_MEM_GUEST_MEMFD, NULL);
	/* start from a mixed state so clearing is observable too */
	stub_set_attrs(w, post_rows[_i].base + 2, post_rows[_i].base + 3,
		       KVM_MEMORY_ATTRIBUTE_PRIVATE);
	check_slot_vs_oracle(w, slot, "before");
	stub_set_attrs(w, post_rows[_i].start, post_rows[_i].end, post_rows[_i].attrs);
	check_slot_vs_oracle(w, slot, post_rows[_i].row);
	ck_assert_int_eq(shim_report_count(SHIM_REPORT_WARN), 0);
	stub_world_free(w);
}
END_TEST

/* Two slots sharing a 2M frame (unaligned boundary), random conversions. */
START_TEST(test_random_conversions_vs_oracle)
{
	unsigned long seed = g_seed + _i;
	struct stub_world *w = stub_world_new(KVM_X86_SW_PROTECTED_VM);
	struct kvm_memory_slot *s0, *s1;
	gfn_t base, lo, hi;
	unsigned long n0, n1;
	int step;

	srandom(seed);
	base = GFN_4G + (random() % (2 * P2M));
	n0 = 1 + random() % (P1G + P2M);
	n1 = 1 + random() % (3 * P2M);
	s0 = stub_add_slot(w, base, n0, (unsigned long)base << PAGE_SHIFT, KVM_MEM_GUEST_MEMFD, NULL);
	s1 = stub_add_slot(w, base + n0, n1, (unsigned long)(base + n0) << PAGE_SHIFT,
			   KVM_MEM_GUEST_MEMFD, NULL);
	lo = base - P2M;
	hi = base + n0 + n1 + P2M;
	for (step = 0; step < 40; step++) {
		gfn_t a = lo + random() % (hi - lo), b = lo + random() % (hi - lo);
		gfn_t len = random() % 4 ? 1 + random() % 1024 : 0;

		if (len)
			b = a + len;
		if (a > b)
			swap(a, b);
		if (a == b)
			b++;
		stub_set_attrs(w, a, b, random() % 2 ? KVM_MEMORY_ATTRIBUTE_PRIVATE : 0);
		check_slot_vs_oracle(w, s0, "random s0");
		check_slot_vs_oracle(w, s1, "random s1");
	}
	ck_assert_int_eq(shim_report_count(SHIM_REPORT_WARN), 0);
	stub_world_free(w);
}
END_TEST

/* MOVE gets fresh metadata and frees the old; FLAGS_ONLY shares it. */
START_TEST(test_move_and_flags_only_metadata)
{
	struct stub_world *w = stub_world_new(KVM_X86_SW_PROTECTED_VM);
	struct kvm_memory_slot *old = stub_add_slot(w, GFN_4G, 2 * P2M, 0x40000000UL, 0, NULL);
	struct kvm_memory_slot *moved = calloc(1, sizeof(*moved));
	struct kvm_memory_slot flags_only;

	*moved = *old;
	moved->base_gfn = GFN_4G + 1;	/* unaligned now: head/tail disallowed */
	mutex_lock(&w->kvm->slots_lock);
	ck_assert_int_eq(kvm_arch_prepare_memory_region(w->kvm, old, moved, KVM_MR_MOVE), 0);
	ck_assert_ptr_ne(moved->arch.lpage_info[0], old->arch.lpage_info[0]);
	kvm_arch_commit_memory_region(w->kvm, old, moved, KVM_MR_MOVE);
	ck_assert_ptr_null(old->arch.lpage_info[0]);
	ck_assert_ptr_null(old->arch.lpage_info[1]);
	flags_only = *moved;
	flags_only.flags = KVM_MEM_LOG_DIRTY_PAGES;
	ck_assert_int_eq(kvm_arch_prepare_memory_region(w->kvm, moved, &flags_only,
							KVM_MR_FLAGS_ONLY), 0);
	ck_assert_ptr_eq(flags_only.arch.lpage_info[0], moved->arch.lpage_info[0]);
	mutex_unlock(&w->kvm->slots_lock);
	free(old);
	w->slots[0] = moved;
	check_slot_vs_oracle(w, moved, "moved");
	stub_world_free(w);
}
END_TEST

/* TDX: a slot reaching the shared bit cannot be mapped. */
START_TEST(test_tdx_slot_beyond_shared_bit)
{
	struct stub_world *w = stub_world_new(KVM_X86_TDX_VM);
	int ret;

	ck_assert_ptr_null(stub_add_slot(w, (1ULL << 35) - 1, 2, 0, 0, &ret));
	ck_assert_int_eq(ret, -EINVAL);
	ck_assert_ptr_nonnull(stub_add_slot(w, (1ULL << 35) - 2, 2, 0, 0, &ret));
	stub_world_free(w);
}
END_TEST

static Suite *lpage_suite(void)
{
	Suite *s = suite_create("mmu_lpage");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_lpage_slot_shapes, 0, ARRAY_SIZE(slot_rows));
	tcase_add_test(tc, test_mixed_init_from_attributes);
	tcase_add_test(tc, test_mixed_default_vm_untouched);
	tcase_add_loop_test(tc, test_pre_hook_invalidation_range, 0, ARRAY_SIZE(pre_rows));
	tcase_add_loop_test(tc, test_post_hook_bounds, 0, ARRAY_SIZE(post_rows));
	tcase_add_loop_test(tc, test_random_conversions_vs_oracle, 0, 8);
	tcase_add_test(tc, test_move_and_flags_only_metadata);
	tcase_add_test(tc, test_tdx_slot_beyond_shared_bit);
	suite_add_tcase(s, tc);
	return s;
}

int main(int argc, char **argv)
{
	SRunner *sr;
	int failed;

	g_seed = stub_seed(argc, argv);
	sr = srunner_create(lpage_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
