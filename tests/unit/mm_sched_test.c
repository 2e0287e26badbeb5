// SPDX-License-Identifier: GPL-2.0
/*
 * model/mm under the controlled scheduler (bounded exhaustive search, DFS
 * with sleep sets): the folio lock's block/wake path, page-cache creation
 * racing truncation and lookups, and a user fault racing a punch hole.
 * Every interleaving within the preemption bound must end without a
 * WARN/use-after-free report, with consistent refcounts and no user PTE
 * left pointing at a folio that is not in the page cache (spec §1.5,
 * design.md "stale mapping").  Deterministic: no seed.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <linux/mm.h>
#include <linux/pagemap.h>
#include <linux/fs.h>
#include "sched/sched.h"

struct w {
	struct mm_world *mm;
	struct folio *folio;
	struct inode *inode;
	struct file *file;
	unsigned long addr;
	int counter;
	bool use_lock;
};

static void *w_setup(void *arg)
{
	struct w *w = calloc(1, sizeof(*w));

	w->use_lock = arg != NULL;
	w->mm = mm_world_create();
	mm_world_set_current(w->mm);
	return w;
}

static void w_teardown(void *p)
{
	struct w *w = p;

	mm_world_set_current(w->mm);
	mm_world_reset(w->mm, false);
	mm_world_destroy(w->mm);
	free(w);
}

/* ---- folio lock: mutual exclusion through block/wake ---- */

static void *lock_setup(void *arg)
{
	struct w *w = w_setup(arg);

	w->folio = folio_alloc(GFP_KERNEL, 0);
	return w;
}

static void lock_thread(void *p, int tid)
{
	struct w *w = p;
	int v;

	mm_world_set_current(w->mm);
	if (w->use_lock)
		folio_lock(w->folio);
	v = w->counter;
	sched_point("cs:middle");
	w->counter = v + 1;
	if (w->use_lock)
		folio_unlock(w->folio);
}

static void lock_check(void *p)
{
	struct w *w = p;

	if (w->counter != 2)
		sim_violation("lost-update", "counter %d", w->counter);
	if (folio_test_locked(w->folio))
		sim_violation("lock", "folio left locked");
}

static void lock_teardown(void *p)
{
	struct w *w = p;

	mm_world_set_current(w->mm);
	folio_put(w->folio);
	w_teardown(p);
}

static struct sim_program lock_prog = {
	.name = "folio_lock", .nthreads = 2, .setup = lock_setup, .thread = lock_thread,
	.check = lock_check, .teardown = lock_teardown, .arg = (void *)1,
};

START_TEST(folio_lock_dfs_exclusion)
{
	struct sim_search_opts o = SIM_SEARCH_OPTS_INIT;
	struct sim_search_result r;

	o.strat.kind = SIM_STRAT_DFS;
	o.strat.preemption_bound = 3;
	o.strat.no_por = true;
	ck_assert_int_eq(sim_search(&lock_prog, &o, &r), 0);
	if (r.failed)
		sim_result_print(&r.fail, stderr);
	ck_assert(r.exhausted);
	ck_assert(!r.failed);
	ck_assert_uint_gt(r.executions, 2);
	printf("folio_lock dfs: %llu executions\n", (unsigned long long)r.executions);
	sim_search_result_free(&r);
}
END_TEST

/* The same program without the lock loses an update: the check can fail. */
START_TEST(folio_lock_dfs_control_without_lock)
{
	struct sim_program p = lock_prog;
	struct sim_search_opts o = SIM_SEARCH_OPTS_INIT;
	struct sim_search_result r;

	p.arg = NULL;
	o.strat.kind = SIM_STRAT_DFS;
	o.stop_on_fail = true;
	ck_assert_int_eq(sim_search(&p, &o, &r), 0);
	ck_assert(r.failed);
	ck_assert_str_eq(r.fail.v[0].checker, "lost-update");
	sim_search_result_free(&r);
}
END_TEST

/* ---- page cache: create vs truncate vs lookup ---- */

static void *cache_setup(void *arg)
{
	struct w *w = w_setup(arg);

	w->inode = alloc_anon_inode(NULL);
	w->inode->i_size = 4 * PAGE_SIZE;
	return w;
}

static void cache_thread(void *p, int tid)
{
	struct w *w = p;
	struct address_space *mapping = w->inode->i_mapping;
	struct folio *f;

	mm_world_set_current(w->mm);
	switch (tid) {
	case 0:		/* allocate-and-initialise, like kvm_gmem_get_folio + clear */
		f = __filemap_get_folio(mapping, 1, FGP_LOCK | FGP_CREAT, GFP_KERNEL);
		if (IS_ERR(f)) {
			sim_violation("filemap", "create failed %ld", PTR_ERR(f));
			return;
		}
		if (!folio_test_uptodate(f)) {
			folio_zero_range(f, 0, PAGE_SIZE);
			folio_mark_uptodate(f);
		}
		folio_unlock(f);
		folio_put(f);
		break;
	case 1:		/* punch everything */
		filemap_invalidate_lock(mapping);
		truncate_inode_pages_range(mapping, 0, -1);
		filemap_invalidate_unlock(mapping);
		break;
	case 2:		/* reader: an unlocked lookup that reads contents */
		f = filemap_get_folio(mapping, 1);
		if (!IS_ERR(f)) {
			int v = mm_page_read(folio_pfn(f), 0, 8);

			if (v != 0 && v != MM_READ_UNINIT)
				sim_violation("contents", "read %d", v);
			folio_put(f);
		}
		break;
	}
}

static void cache_check(void *p)
{
	struct w *w = p;

	mm_world_set_current(w->mm);
	if (mm_live_folios() != w->inode->i_mapping->nrpages)
		sim_violation("refcount", "%lu live folios, %lu cached", mm_live_folios(),
			      w->inode->i_mapping->nrpages);
}

static void cache_teardown(void *p)
{
	struct w *w = p;

	mm_world_set_current(w->mm);
	iput(w->inode);
	w_teardown(p);
}

static struct sim_program cache_prog = {
	.name = "create_truncate_lookup", .nthreads = 3, .setup = cache_setup,
	.thread = cache_thread, .check = cache_check, .teardown = cache_teardown,
};

START_TEST(cache_create_truncate_lookup_dfs)
{
	struct sim_search_opts o = SIM_SEARCH_OPTS_INIT;
	struct sim_search_result r;

	o.strat.kind = SIM_STRAT_DFS;
	o.strat.preemption_bound = 2;
	/*
	 * No sleep sets: a pruned execution abandons its threads holding
	 * locks, and teardown (iput, munmap) would then wait on them.
	 */
	o.strat.no_por = true;
	o.max_execs = 20000;
	ck_assert_int_eq(sim_search(&cache_prog, &o, &r), 0);
	if (r.failed)
		sim_result_print(&r.fail, stderr);
	ck_assert(!r.failed);
	ck_assert_uint_gt(r.executions, 10);
	printf("create/truncate/lookup dfs pb=2: %llu executions%s\n",
	       (unsigned long long)r.executions, r.exhausted ? " (exhausted)" : "");
	sim_search_result_free(&r);
}
END_TEST

/* ---- user fault vs punch hole: no stale PTE ---- */

static void *fault_setup(void *arg)
{
	struct w *w = w_setup(arg);

	w->file = shmem_file_setup("t", 2 * PAGE_SIZE, 0);
	w->addr = do_mmap(mm_world_mm(w->mm), w->file, 0, 2 * PAGE_SIZE,
			  PROT_READ | PROT_WRITE, MAP_SHARED, 0);
	return w;
}

static void fault_thread(void *p, int tid)
{
	struct w *w = p;
	struct mm_struct *mm = mm_world_mm(w->mm);

	mm_world_set_current(w->mm);
	if (tid == 0) {
		if (mm_host_fill(mm, w->addr, 0x5a, PAGE_SIZE))
			sim_violation("fault", "host write failed");
	} else {
		w->file->f_op->fallocate(w->file, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
					 0, PAGE_SIZE);
	}
}

static void fault_check(void *p)
{
	struct w *w = p;
	struct mm_struct *mm = mm_world_mm(w->mm);
	unsigned long pfn = mm_follow_pfn(mm, w->addr);
	struct folio *f;

	mm_world_set_current(w->mm);
	if (!pfn)
		return;
	f = mm_pfn_folio_live(pfn);
	if (!f || f->mapping != w->file->f_mapping || f->index != 0)
		sim_violation("stale-mapping", "PTE maps pfn %#lx not in the page cache", pfn);
	else if (mm_page_read(pfn, 0, PAGE_SIZE) != 0x5a)
		sim_violation("contents", "mapped page lost the write");
}

static void fault_teardown(void *p)
{
	struct w *w = p;

	mm_world_set_current(w->mm);
	do_munmap(mm_world_mm(w->mm), w->addr, 2 * PAGE_SIZE);
	fput(w->file);
	w_teardown(p);
}

static struct sim_program fault_prog = {
	.name = "fault_vs_punch", .nthreads = 2, .setup = fault_setup,
	.thread = fault_thread, .check = fault_check, .teardown = fault_teardown,
};

START_TEST(fault_vs_punch_hole_dfs)
{
	struct sim_search_opts o = SIM_SEARCH_OPTS_INIT;
	struct sim_search_result r;

	o.strat.kind = SIM_STRAT_DFS;
	o.strat.preemption_bound = 2;
	/*
	 * No sleep sets: a pruned execution abandons its threads holding
	 * locks, and teardown (iput, munmap) would then wait on them.
	 */
	o.strat.no_por = true;
	o.max_execs = 20000;
	ck_assert_int_eq(sim_search(&fault_prog, &o, &r), 0);
	if (r.failed)
		sim_result_print(&r.fail, stderr);
	ck_assert(!r.failed);
	ck_assert_uint_gt(r.executions, 10);
	printf("fault/punch dfs pb=2: %llu executions%s\n",
	       (unsigned long long)r.executions, r.exhausted ? " (exhausted)" : "");
	sim_search_result_free(&r);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("mm_sched");
	TCase *tc = tcase_create("dfs");
	SRunner *sr;
	int nfail;

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, folio_lock_dfs_exclusion);
	tcase_add_test(tc, folio_lock_dfs_control_without_lock);
	tcase_add_test(tc, cache_create_truncate_lookup_dfs);
	tcase_add_test(tc, fault_vs_punch_hole_dfs);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_set_fork_status(sr, CK_NOFORK);
	srunner_run_all(sr, CK_NORMAL);
	nfail = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nfail ? EXIT_FAILURE : EXIT_SUCCESS;
}
