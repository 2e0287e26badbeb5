// SPDX-License-Identifier: GPL-2.0
/*
 * Races of the x86 fault path explored by the deterministic scheduler
 * (sim/sched, fiber executor), over the stub generic side (mmu_stubs.c).
 * Each scenario runs with the correct model (no violation allowed in any
 * explored schedule) and with the historical defect switched back on (the
 * search must find a violating schedule), so the test proves both that the
 * fix holds and that the checker can see the bug.
 *
 * SPEC-13 / §3.6 head-tail widening: thread 0 faults gfn 0 of a THP-backed
 * shared 2M frame while thread 1 converts gfn 5 of the same frame to
 * PRIVATE.  Interleaving that breaks without the widening:
 *   1. T1 pre pass: begin, range_add([5,6)), zap [5,6)        (no 2M leaf yet)
 *   2. T0 snapshots seq, GUP, takes mmu_lock(read): gfn 0 is outside the
 *      in-progress range and seq is unchanged, MIXED not set yet -> 2M leaf
 *   3. T1 stores PRIVATE for gfn 5, end, post pass sets MIXED
 *   => a shared 2M SPTE covers private gfn 5 (I-3).
 * The fix adds the head frame [0,512) to the invalidation in step 1.
 *
 * SPEC-12 / I-2 stale check: thread 0 faults private gfn 7 while thread 1
 * punches it (begin, zap, new backing, end).  Without is_page_fault_stale()
 * a fault whose pfn lookup preceded the punch installs the old pfn after it.
 *
 * Correct model: 2000 random + 2000 PCT(d=2) executions each, none may fail;
 * defect: the search (up to 20000) must find a failure.  Prints its seed; -s SEED.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>

#include "mmu_stubs.h"
#include "../../model/arch/x86/kvm/mmu/mmu_internal.h"
#include "sched/sched.h"

#define GFN_4G		(0x100000000ULL >> PAGE_SHIFT)
#define GPA_4G		0x100000000ULL
#define P2M		512ULL
#define UADDR		0x40000000UL

static unsigned long g_seed;

struct scenario {
	const char *name;
	const char *defect;		/* NULL: correct model */
	void (*thread)(struct stub_world *w, int tid);
	bool (*leaf_ok)(struct kvm *kvm, bool mirror, int level, gfn_t gfn, u64 spte, void *data);
};

static const struct scenario *cur;

/* ---- SPEC-13 ---- */

static void spec13_thread(struct stub_world *w, int tid)
{
	kvm_pfn_t pfn;

	if (tid == 0)
		kvm_x86_vcpu_access(w->vcpu, GPA_4G, KVM_X86_ACCESS_READ, false, &pfn);
	else
		stub_set_attrs(w, GFN_4G + 5, GFN_4G + 6, KVM_MEMORY_ATTRIBUTE_PRIVATE);
}

/* A shared leaf may only cover shared gfns. */
static bool spec13_leaf_ok(struct kvm *kvm, bool mirror, int level, gfn_t gfn, u64 spte,
			   void *data)
{
	gfn_t g, end = gfn + KVM_PAGES_PER_HPAGE(level);

	if (is_private_pte(spte))
		return true;
	for (g = gfn; g < end; g++) {
		if (stub_get_attrs(data, g)) {
			sim_violation("hugepage", "shared level-%d SPTE at gfn 0x%llx covers private gfn 0x%llx",
				      level, (unsigned long long)gfn, (unsigned long long)g);
			return false;
		}
	}
	return true;
}

/* ---- SPEC-12 ---- */

static void spec12_thread(struct stub_world *w, int tid)
{
	kvm_pfn_t pfn;

	if (tid == 0)
		kvm_x86_vcpu_access(w->vcpu, GPA_4G + 7 * PAGE_SIZE, KVM_X86_ACCESS_READ, true, &pfn);
	else
		stub_punch(w, GFN_4G + 7);
}

/* A private leaf must map the backing that is current now. */
static bool spec12_leaf_ok(struct kvm *kvm, bool mirror, int level, gfn_t gfn, u64 spte,
			   void *data)
{
	if (is_private_pte(spte) && spte_to_pfn(spte) != stub_gmem_pfn(data, gfn)) {
		sim_violation("stale-mapping", "private SPTE gfn 0x%llx -> pfn 0x%llx, backing is now 0x%llx",
			      (unsigned long long)gfn, (unsigned long long)spte_to_pfn(spte),
			      (unsigned long long)stub_gmem_pfn(data, gfn));
		return false;
	}
	return true;
}

/* ---- the sim_program ---- */

static void *race_setup(void *arg)
{
	const struct scenario *sc = arg;
	struct stub_world *w = stub_world_new(KVM_X86_SW_PROTECTED_VM);

	stub_add_slot(w, GFN_4G, 2 * P2M, UADDR, KVM_MEM_GUEST_MEMFD, NULL);
	w->host_level = PG_LEVEL_2M;
	if (sc->thread == spec12_thread)
		stub_set_attrs(w, GFN_4G, GFN_4G + 2 * P2M, KVM_MEMORY_ATTRIBUTE_PRIVATE);
	if (sc->defect)
		kvm_x86_inject_defect(w->kvm, sc->defect);
	return w;
}

static void race_thread(void *world, int tid)
{
	cur->thread(world, tid);
}

static void race_check(void *world)
{
	struct stub_world *w = world;

	kvm_tdp_mmu_for_each_leaf(w->kvm, cur->leaf_ok, w);
}

static void race_teardown(void *world)
{
	if (world)
		stub_world_free(world);
}

static const struct scenario scenarios[] = {
	{ "SPEC-13 convert vs 2M fault", NULL, spec13_thread, spec13_leaf_ok },
	{ "SPEC-13 without head/tail widening", "mmu-no-prehook-widen", spec13_thread, spec13_leaf_ok },
	{ "SPEC-12 punch vs private fault", NULL, spec12_thread, spec12_leaf_ok },
	{ "SPEC-12 without the stale check", "mmu-no-stale-check", spec12_thread, spec12_leaf_ok },
};

static const enum sim_strategy_kind strategies[] = { SIM_STRAT_RANDOM, SIM_STRAT_PCT };

START_TEST(test_race_scenarios)
{
	const struct scenario *sc = &scenarios[_i / 2];
	struct sim_program p = {
		.name = sc->name, .nthreads = 2, .setup = race_setup, .thread = race_thread,
		.check = race_check, .teardown = race_teardown, .arg = (void *)sc,
	};
	struct sim_search_opts so = SIM_SEARCH_OPTS_INIT;
	struct sim_search_result sr;

	cur = sc;
	so.strat.kind = strategies[_i % 2];
	/*
	 * Defect searches use a fixed seed so the test cannot flake (random
	 * walk needs ~10^4 executions for SPEC-12's narrow window; PCT ~10^2);
	 * the correct model is checked under the run's printed seed.
	 */
	so.strat.seed = sc->defect ? 1 : g_seed;
	/* correct model: every explored schedule must pass; defect: find one */
	so.max_execs = sc->defect ? 20000 : 2000;
	so.stop_on_fail = true;
	ck_assert_int_eq(sim_search(&p, &so, &sr), 0);
	if (sc->defect) {
		ck_assert_msg(sr.failed, "%s (%s): no violating schedule in %llu executions (seed %lu)",
			      sc->name, sim_strategy_name(so.strat.kind),
			      (unsigned long long)sr.executions, g_seed);
		printf("%s (%s): violation found at execution %llu: %s\n", sc->name,
		       sim_strategy_name(so.strat.kind), (unsigned long long)sr.fail_iter,
		       sr.fail.schedule ? sr.fail.schedule : "?");
	} else {
		if (sr.failed)
			sim_result_print(&sr.fail, stderr);
		ck_assert_msg(!sr.failed, "%s (%s): violation, outcome %s (seed %lu)", sc->name,
			      sim_strategy_name(so.strat.kind),
			      sim_outcome_name(sr.fail.outcome), g_seed);
		ck_assert_uint_eq(sr.executions, 2000);
	}
	sim_search_result_free(&sr);
}
END_TEST

int main(int argc, char **argv)
{
	Suite *s = suite_create("mmu_race");
	TCase *tc = tcase_create("explore");
	SRunner *sr;
	int failed;

	g_seed = stub_seed(argc, argv);
	tcase_set_timeout(tc, 120);
	tcase_add_loop_test(tc, test_race_scenarios, 0, 2 * ARRAY_SIZE(scenarios));
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
