// SPDX-License-Identifier: GPL-2.0
/*
 * model/mm page-cache tests: __filemap_get_folio flags and errors (table),
 * filemap_get_folios batching, truncate_inode_pages_range ranges (table:
 * inclusive end, partial pages, beyond EOF) with free_folio called once per
 * removed folio, AS_INACCESSIBLE truncation never touching contents (spec
 * B-21), memory_failure -> error_remove_folio (spec §1.6), inode eviction.
 */
#include "mm_test_util.h"

static unsigned long nr_free_folio, nr_error_remove;
static unsigned long freed_pfns[64];

static void test_free_folio(struct folio *folio)
{
	ck_assert_ptr_null(folio->mapping);	/* already out of the cache */
	if (nr_free_folio < ARRAY_SIZE(freed_pfns))
		freed_pfns[nr_free_folio] = folio_pfn(folio);
	nr_free_folio++;
}

static int test_error_remove_folio(struct address_space *mapping, struct folio *folio)
{
	ck_assert(folio_test_locked(folio));
	ck_assert(folio_test_hwpoison(folio));
	ck_assert_ptr_eq(folio->mapping, mapping);
	nr_error_remove++;
	return MF_DELAYED;
}

static const struct address_space_operations test_aops = {
	.free_folio = test_free_folio,
	.error_remove_folio = test_error_remove_folio,
};

static struct inode *inode;
static struct address_space *mapping;

static void fm_setup(void)
{
	mmt_setup();
	nr_free_folio = nr_error_remove = 0;
	inode = alloc_anon_inode(NULL);
	ck_assert(!IS_ERR(inode));
	inode->i_size = 1 << 30;
	mapping = inode->i_mapping;
	mapping->a_ops = &test_aops;
}

static void fm_teardown(void)
{
	iput(inode);
	mmt_teardown();
}

/* Populate indices [0, n) with order-0 folios filled with byte 0x10 + index. */
static void populate(pgoff_t n)
{
	pgoff_t i;

	for (i = 0; i < n; i++) {
		struct folio *f = __filemap_get_folio(mapping, i, FGP_LOCK | FGP_CREAT, GFP_KERNEL);

		ck_assert(!IS_ERR(f));
		mm_page_write(folio_pfn(f), 0, 0x10 + i, PAGE_SIZE);
		folio_unlock(f);
		folio_put(f);
	}
	ck_assert_uint_eq(mapping->nrpages, n);
}

/* __filemap_get_folio: the FGP flag table. */
struct get_row {
	const char *name;
	bool present;		/* folio already cached at the index */
	bool held_locked;	/* ... and somebody holds its lock */
	fgf_t fgp;
	int fail_alloc;		/* shim_slab_fail_after(n) before the call */
	pgoff_t index;
	long want_err;		/* 0: a folio */
	bool want_locked;
	unsigned int want_order;
};

static const struct get_row get_rows[] = {
	{ "absent/none", false, false, 0, 0, 3, -ENOENT },
	{ "absent/lock", false, false, FGP_LOCK, 0, 3, -ENOENT },
	{ "absent/creat", false, false, FGP_CREAT, 0, 3, 0, false, 0 },
	{ "absent/lock+creat", false, false, FGP_LOCK | FGP_CREAT, 0, 3, 0, true, 0 },
	{ "absent/creat+accessed", false, false, FGP_CREAT | FGP_ACCESSED, 0, 3, 0, false, 0 },
	{ "absent/creat ENOMEM", false, false, FGP_LOCK | FGP_CREAT, 1, 3, -ENOMEM },
	{ "present/none", true, false, 0, 0, 3, 0, false, 0 },
	{ "present/lock", true, false, FGP_LOCK, 0, 3, 0, true, 0 },
	{ "present/lock+creat", true, false, FGP_LOCK | FGP_CREAT, 0, 3, 0, true, 0 },
	{ "present locked/nowait", true, true, FGP_LOCK | FGP_NOWAIT, 0, 3, -EAGAIN },
	{ "present locked/no lock", true, true, 0, 0, 3, 0, false, 0 },
	{ "absent/creat 2M aligned", false, false, FGP_LOCK | FGP_CREAT | (9U << 26), 0,
	  512, 0, true, HPAGE_PMD_ORDER },
	{ "absent/creat 2M unaligned", false, false, FGP_LOCK | FGP_CREAT | (9U << 26), 0,
	  513, 0, true, 0 },
};

START_TEST(filemap_get_folio_table)
{
	const struct get_row *r = &get_rows[_i];
	struct folio *pre = NULL, *f;
	int refs_before = 0;

	if (r->present) {
		pre = __filemap_get_folio(mapping, r->index, FGP_LOCK | FGP_CREAT, GFP_KERNEL);
		ck_assert(!IS_ERR(pre));
		if (!r->held_locked)
			folio_unlock(pre);
		refs_before = folio_ref_count(pre);
	}
	if (r->fail_alloc)
		shim_slab_fail_after(r->fail_alloc);
	f = __filemap_get_folio(mapping, r->index, r->fgp, GFP_KERNEL);
	shim_slab_fail_after(0);
	if (r->want_err) {
		ck_assert_msg(IS_ERR(f) && PTR_ERR(f) == r->want_err, "%s: got %ld", r->name,
			      IS_ERR(f) ? PTR_ERR(f) : 0L);
		if (!r->present)
			ck_assert_uint_eq(mapping->nrpages, 0);
		else
			ck_assert_int_eq(folio_ref_count(pre), refs_before);
	} else {
		ck_assert_msg(!IS_ERR(f), "%s: error %ld", r->name, PTR_ERR(f));
		if (pre)
			ck_assert_ptr_eq(f, pre);
		ck_assert_int_eq(folio_test_locked(f), r->want_locked || r->held_locked);
		ck_assert_uint_eq(folio_order(f), r->want_order);
		ck_assert_ptr_eq(f->mapping, mapping);
		ck_assert_uint_eq(f->index, r->index & ~((1UL << r->want_order) - 1));
		/* cache references (one per page) + ours (+ the pre-lookup one) */
		ck_assert_int_eq(folio_ref_count(f), (int)folio_nr_pages(f) + 1 + !!pre);
		ck_assert_uint_eq(mapping->nrpages, folio_nr_pages(f));
		/* Every index the folio covers finds it. */
		ck_assert_ptr_eq(filemap_get_folio(mapping, folio_next_index(f) - 1), f);
		folio_put(f);
		if (r->want_locked && !r->held_locked)
			folio_unlock(f);
		folio_put(f);
	}
	if (pre) {
		if (r->held_locked)
			folio_unlock(pre);
		folio_put(pre);
	}
	ck_assert_uint_eq(mmt_nreports(SHIM_REPORT_WARN), 0);
}
END_TEST

START_TEST(filemap_add_remove)
{
	struct folio *f = folio_alloc(GFP_KERNEL, 0), *g = folio_alloc(GFP_KERNEL, 0);

	folio_lock(f);
	ck_assert_int_eq(filemap_add_folio(mapping, f, 7, GFP_KERNEL), 0);
	folio_lock(g);
	ck_assert_int_eq(filemap_add_folio(mapping, g, 7, GFP_KERNEL), -EEXIST);
	ck_assert_ptr_null(g->mapping);
	ck_assert_int_eq(folio_ref_count(g), 1);
	folio_unlock(g);
	folio_put(g);
	ck_assert_int_eq(folio_ref_count(f), 2);
	filemap_remove_folio(f);
	ck_assert_uint_eq(nr_free_folio, 1);
	ck_assert_uint_eq(mapping->nrpages, 0);
	ck_assert(IS_ERR(filemap_get_folio(mapping, 7)));
	ck_assert_int_eq(folio_ref_count(f), 1);
	folio_unlock(f);
	folio_put(f);
	ck_assert_uint_eq(mm_live_folios(), 0);
}
END_TEST

START_TEST(filemap_get_folios_batches)
{
	struct folio_batch fb;
	pgoff_t start = 0;
	unsigned int n;

	populate(40);
	n = filemap_get_folios(mapping, &start, (pgoff_t)-1, &fb);
	ck_assert_uint_eq(n, PAGEVEC_SIZE);
	ck_assert_uint_eq(start, PAGEVEC_SIZE);
	ck_assert_uint_eq(fb.folios[5]->index, 5);
	folio_batch_release(&fb);
	n = filemap_get_folios(mapping, &start, (pgoff_t)-1, &fb);
	ck_assert_uint_eq(n, 40 - PAGEVEC_SIZE);
	ck_assert_uint_eq(start, (pgoff_t)-1);
	folio_batch_release(&fb);
	start = 10;
	n = filemap_get_folios(mapping, &start, 14, &fb);
	ck_assert_uint_eq(n, 5);
	ck_assert_uint_eq(start, 15);
	folio_batch_release(&fb);
}
END_TEST

/* truncate_inode_pages_range: the range table over 10 cached pages. */
struct trunc_row {
	const char *name;
	loff_t lstart, lend;
	unsigned long removed;		/* bitmask of removed indices */
	pgoff_t zero_index;		/* partly zeroed page, or -1 */
	unsigned int zero_from, zero_to; /* [from, to) zeroed in that page */
};

#define P(i) ((loff_t)(i) * PAGE_SIZE)
static const struct trunc_row trunc_rows[] = {
	{ "all", 0, -1, 0x3ff, -1 },
	{ "first page, inclusive end", 0, P(1) - 1, 0x001, -1 },
	{ "end one byte short keeps page", 0, P(1) - 2, 0x000, 0, 0, PAGE_SIZE - 1 },
	{ "pages 1-2", P(1), P(3) - 1, 0x006, -1 },
	{ "partial head", 100, P(3) - 1, 0x006, 0, 100, PAGE_SIZE },
	{ "partial tail", P(1), P(3) + 99, 0x006, 3, 0, 100 },
	{ "inside one page", P(4) + 8, P(4) + 15, 0x000, 4, 8, 16 },
	{ "beyond EOF", P(20), P(30) - 1, 0x000, -1 },
	{ "tail to end", P(9), -1, 0x200, -1 },
	{ "across EOF", P(8), P(100) - 1, 0x300, -1 },
};

START_TEST(truncate_range_table)
{
	const struct trunc_row *r = &trunc_rows[_i];
	unsigned long pfns[10], nremoved = __builtin_popcountl(r->removed);
	pgoff_t i;

	populate(10);
	for (i = 0; i < 10; i++) {
		struct folio *f = filemap_get_folio(mapping, i);

		pfns[i] = folio_pfn(f);
		folio_put(f);
	}
	truncate_inode_pages_range(mapping, r->lstart, r->lend);
	ck_assert_msg(nr_free_folio == nremoved, "%s: free_folio %lu want %lu", r->name,
		      nr_free_folio, nremoved);
	ck_assert_uint_eq(mapping->nrpages, 10 - nremoved);
	for (i = 0; i < 10; i++) {
		bool gone = r->removed & (1UL << i);
		struct folio *f = filemap_get_folio(mapping, i);

		ck_assert_msg(IS_ERR(f) == gone, "%s: index %lu", r->name, i);
		ck_assert_int_eq(mm_pfn_is_live(pfns[i]), !gone);
		if (gone)
			continue;
		if (i == r->zero_index) {
			ck_assert_int_eq(mm_page_read(pfns[i], r->zero_from,
						      r->zero_to - r->zero_from), 0);
			if (r->zero_from)
				ck_assert_int_eq(mm_page_read(pfns[i], 0, r->zero_from), 0x10 + i);
			if (r->zero_to < PAGE_SIZE)
				ck_assert_int_eq(mm_page_read(pfns[i], r->zero_to,
							      PAGE_SIZE - r->zero_to), 0x10 + i);
		} else {
			ck_assert_int_eq(mm_page_read(pfns[i], 0, PAGE_SIZE), 0x10 + i);
		}
		folio_put(f);
	}
	/* free_folio ran once for each removed pfn, no other. */
	for (i = 0; i < nr_free_folio; i++) {
		pgoff_t j;
		int hits = 0;

		for (j = 0; j < 10; j++)
			hits += freed_pfns[i] == pfns[j] && (r->removed & (1UL << j));
		ck_assert_int_eq(hits, 1);
	}
	ck_assert_uint_eq(mmt_nreports(SHIM_REPORT_WARN), 0);
}
END_TEST

/* Spec B-21: truncation of an AS_INACCESSIBLE mapping never touches contents. */
static unsigned long inaccessible_hook_hits;
static void inaccessible_hook(void *ctx, unsigned long pfn, bool write, const char *site)
{
	inaccessible_hook_hits++;
}

START_TEST(truncate_inaccessible_never_touches_contents_B21)
{
	const struct mm_world_stats *st = mm_world_stats(mmt_world);
	u64 reads, writes;

	populate(4);
	mapping_set_inaccessible(mapping);
	ck_assert(mapping_inaccessible(mapping));
	ck_assert(mapping_unevictable(mapping));
	reads = st->content_reads;
	writes = st->content_writes;
	inaccessible_hook_hits = 0;
	mm_world_set_content_hook(mmt_world, inaccessible_hook, NULL);
	/* Partial head and tail pages: an accessible mapping would zero them. */
	truncate_inode_pages_range(mapping, 100, P(3) + 99);
	mm_world_set_content_hook(mmt_world, NULL, NULL);
	ck_assert_uint_eq(inaccessible_hook_hits, 0);
	ck_assert_uint_eq(st->content_reads, reads);
	ck_assert_uint_eq(st->content_writes, writes);
	ck_assert_uint_eq(nr_free_folio, 2);		/* pages 1 and 2 */
	ck_assert_uint_eq(mapping->nrpages, 2);

	/* Control: the same truncation on an accessible mapping writes. */
	__atomic_fetch_and(&mapping->flags, ~(1UL << AS_INACCESSIBLE), __ATOMIC_RELAXED);
	truncate_inode_pages_range(mapping, 100, P(3) + 99);
	ck_assert_uint_gt(st->content_writes, writes);
}
END_TEST

/* Spec §1.6: memory_failure marks hwpoison and calls error_remove_folio. */
START_TEST(memory_failure_calls_error_remove_folio)
{
	struct folio *f;
	unsigned long pfn;

	populate(2);
	f = filemap_get_folio(mapping, 1);
	pfn = folio_pfn(f);
	ck_assert_int_eq(memory_failure(pfn, 0), 0);
	ck_assert_uint_eq(nr_error_remove, 1);
	ck_assert(folio_test_hwpoison(f));
	ck_assert(!folio_test_locked(f));
	ck_assert_ptr_eq(f->mapping, mapping);		/* stays in the cache */
	ck_assert_int_eq(memory_failure(pfn, 0), -EHWPOISON);
	ck_assert_uint_eq(nr_error_remove, 1);
	folio_put(f);
	/* A pfn no folio owns. */
	f = folio_alloc(GFP_KERNEL, 0);
	pfn = folio_pfn(f);
	folio_put(f);
	ck_assert_int_eq(memory_failure(pfn, 0), -ENXIO);
}
END_TEST

/* iput of the last reference empties the page cache via free_folio. */
START_TEST(inode_evict_frees_page_cache)
{
	struct inode *other = alloc_anon_inode(NULL);
	struct address_space *m = other->i_mapping;
	struct folio *f;

	m->a_ops = &test_aops;
	f = __filemap_get_folio(m, 0, FGP_CREAT, GFP_KERNEL);
	folio_put(f);
	f = __filemap_get_folio(m, 5, FGP_CREAT, GFP_KERNEL);
	folio_put(f);
	ck_assert_uint_eq(m->nrpages, 2);
	ihold(other);
	iput(other);
	ck_assert_uint_eq(nr_free_folio, 0);
	iput(other);
	ck_assert_uint_eq(nr_free_folio, 2);
	ck_assert_uint_eq(mm_live_folios(), 0);
}
END_TEST

/* Free-running: creators race on the same indices; one folio per index. */
struct race_arg {
	int id;
	unsigned long created;
};

static void *race_thread(void *p)
{
	struct race_arg *a = p;
	pgoff_t i;

	shim_ctx = &mmt_ctx;
	mm_world_set_current(mmt_world);
	for (i = 0; i < 200; i++) {
		struct folio *f = __filemap_get_folio(mapping, i % 50, FGP_LOCK | FGP_CREAT,
						      GFP_KERNEL);

		ck_assert(!IS_ERR(f));
		ck_assert_uint_eq(f->index, i % 50);
		if (!folio_test_uptodate(f)) {
			folio_zero_range(f, 0, PAGE_SIZE);
			folio_mark_uptodate(f);
			a->created++;
		}
		folio_unlock(f);
		folio_put(f);
		if (a->id == 0 && i % 40 == 39)
			truncate_inode_pages_range(mapping, 0, -1);
	}
	return NULL;
}

START_TEST(filemap_concurrent_create_truncate)
{
	struct race_arg a[3] = { { 0 }, { 1 }, { 2 } };
	pthread_t th[3];
	int i;

	for (i = 0; i < 3; i++)
		pthread_create(&th[i], NULL, race_thread, &a[i]);
	for (i = 0; i < 3; i++)
		pthread_join(th[i], NULL);
	ck_assert_uint_le(mapping->nrpages, 50);
	truncate_inode_pages_range(mapping, 0, -1);
	ck_assert_uint_eq(mapping->nrpages, 0);
	ck_assert_uint_eq(mm_live_folios(), 0);
	ck_assert_uint_eq(mmt_nreports(SHIM_REPORT_WARN), 0);
	ck_assert_uint_eq(mmt_nreports(SHIM_REPORT_SLAB), 0);
}
END_TEST

static Suite *mm_filemap_suite(void)
{
	Suite *s = suite_create("mm_filemap");
	TCase *tc = tcase_create("filemap");

	tcase_add_checked_fixture(tc, fm_setup, fm_teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, filemap_get_folio_table, 0, ARRAY_SIZE(get_rows));
	tcase_add_test(tc, filemap_add_remove);
	tcase_add_test(tc, filemap_get_folios_batches);
	tcase_add_loop_test(tc, truncate_range_table, 0, ARRAY_SIZE(trunc_rows));
	tcase_add_test(tc, truncate_inaccessible_never_touches_contents_B21);
	tcase_add_test(tc, memory_failure_calls_error_remove_folio);
	tcase_add_test(tc, inode_evict_frees_page_cache);
	tcase_add_test(tc, filemap_concurrent_create_truncate);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return mmt_run(mm_filemap_suite());
}
