// SPDX-License-Identifier: GPL-2.0
/*
 * model/mm pool, folio and contents tests: folio orders and alignment,
 * deterministic reuse, poisoning and use-after-free reports naming both
 * steps, world reset, references, the folio lock under free-running
 * contention, and the tag/bytes contents model.
 */
#include "mm_test_util.h"
#include <time.h>
#include <unistd.h>

/* Orders 0, 9, 18: naturally aligned pfns, tails resolve to the head. */
static const unsigned int orders[] = { 0, HPAGE_PMD_ORDER, HPAGE_PUD_ORDER };

START_TEST(pool_order_alignment)
{
	unsigned int order = orders[_i];
	unsigned long nr = 1UL << order;
	struct folio *f[3];
	int i;

	for (i = 0; i < 3; i++) {
		unsigned long pfn;

		f[i] = folio_alloc(GFP_KERNEL, order);
		ck_assert_ptr_nonnull(f[i]);
		pfn = folio_pfn(f[i]);
		ck_assert_msg(pfn && (pfn & (nr - 1)) == 0, "order %u pfn %#lx", order, pfn);
		ck_assert_uint_eq(folio_order(f[i]), order);
		ck_assert_uint_eq(folio_nr_pages(f[i]), nr);
		ck_assert_int_eq(folio_ref_count(f[i]), 1);
		ck_assert_int_eq(folio_mapcount(f[i]), 0);
		ck_assert_ptr_eq(pfn_to_folio(pfn), f[i]);
		ck_assert_ptr_eq(pfn_to_folio(pfn + nr - 1), f[i]);
		ck_assert_ptr_eq(pfn_to_folio(pfn + nr / 2), f[i]);
		ck_assert_uint_eq(page_to_pfn(folio_page(f[i], nr - 1)), pfn + nr - 1);
		ck_assert(mm_pfn_is_live(pfn + nr - 1));
	}
	ck_assert_uint_ne(folio_pfn(f[0]), folio_pfn(f[1]));
	ck_assert_uint_ne(folio_pfn(f[1]), folio_pfn(f[2]));
	for (i = 0; i < 3; i++)
		folio_put(f[i]);
	ck_assert_uint_eq(mm_live_folios(), 0);
	ck_assert_uint_eq(mmt_nreports(SHIM_REPORT_WARN), 0);
}
END_TEST

/* Record the pfn sequence of a fixed alloc/free pattern. */
static void reuse_pattern(unsigned long *out, int n)
{
	struct folio *keep[8];
	int i;

	for (i = 0; i < n; i++) {
		struct folio *f = folio_alloc(GFP_KERNEL, (i % 3) ? 0 : HPAGE_PMD_ORDER);

		out[i] = folio_pfn(f);
		if (i % 2)
			folio_put(f);
		else
			keep[i / 2] = f;
	}
	for (i = 0; i < n / 2; i++)
		folio_put(keep[i]);
}

START_TEST(pool_reuse_deterministic)
{
	unsigned long a[16], b[16];
	struct folio *f, *g;
	unsigned long pfn;

	/* Quarantine 0: the freed pfn comes straight back. */
	mm_world_set_quarantine(mmt_world, 0);
	f = folio_alloc(GFP_KERNEL, 0);
	pfn = folio_pfn(f);
	folio_put(f);
	g = folio_alloc(GFP_KERNEL, 0);
	ck_assert_uint_eq(folio_pfn(g), pfn);
	ck_assert(!folio_test_freed(g));
	folio_put(g);

	/* Default quarantine: a fresh pfn, the freed one stays poisoned. */
	mm_world_set_quarantine(mmt_world, 256);
	f = folio_alloc(GFP_KERNEL, 0);
	pfn = folio_pfn(f);
	folio_put(f);
	g = folio_alloc(GFP_KERNEL, 0);
	ck_assert_uint_ne(folio_pfn(g), pfn);
	ck_assert(mm_pfn_free_info(pfn, NULL, NULL));
	folio_put(g);

	/* Same operations in two fresh worlds: the same pfns. */
	mm_world_reset(mmt_world, false);
	reuse_pattern(a, 16);
	mm_world_reset(mmt_world, false);
	reuse_pattern(b, 16);
	ck_assert_mem_eq(a, b, sizeof(a));
}
END_TEST

/* A use after free names the freeing step/site and the using step/site. */
START_TEST(pool_uaf_reports_both_steps)
{
	struct folio *f = folio_alloc(GFP_KERNEL, 0);
	unsigned long pfn = folio_pfn(f);
	const char *site;
	u64 step;

	mmt_step_now = 5;
	folio_put(f);
	ck_assert(!mm_pfn_is_live(pfn));
	ck_assert(mm_pfn_free_info(pfn, &step, &site));
	ck_assert_uint_eq(step, 5);
	ck_assert_ptr_nonnull(strstr(site, "mm_pool_test.c"));

	mmt_step_now = 9;
	ck_assert_int_eq(mm_page_read(pfn, 0, 1), MM_READ_FREED);
	ck_assert_uint_eq(mmt_nreports(SHIM_REPORT_SLAB), 1);
	ck_assert_ptr_nonnull(strstr(mmt_last_msg, "freed at step 5"));
	ck_assert_ptr_nonnull(strstr(mmt_last_msg, "at step 9"));
	ck_assert_ptr_nonnull(strstr(mmt_last_msg, "mm_pool_test.c"));

	ck_assert_int_eq(mm_page_write(pfn, 0, 1, 1), MM_READ_FREED);
	ck_assert_uint_eq(mmt_nreports(SHIM_REPORT_SLAB), 2);
	folio_get(f);
	ck_assert_uint_eq(mmt_nreports(SHIM_REPORT_SLAB), 3);
	ck_assert_int_eq(folio_ref_count(f), 0);
	ck_assert_ptr_eq(pfn_to_folio(pfn), f);
	ck_assert_uint_eq(mmt_nreports(SHIM_REPORT_SLAB), 4);
	/* The speculative lookup's try_get is allowed to fail quietly. */
	ck_assert(!folio_try_get(f));
	ck_assert_uint_eq(mmt_nreports(SHIM_REPORT_SLAB), 4);
	ck_assert_uint_eq(mm_world_stats(mmt_world)->uaf_reports, 4);
}
END_TEST

/* Reset frees every folio, chunk and buffer; the world is usable after. */
START_TEST(pool_reset_leaves_nothing)
{
	unsigned long base = shim_slab_live_objects();
	struct folio *f;
	int i;

	for (i = 0; i < 40; i++) {
		f = folio_alloc(GFP_KERNEL, i == 7 ? HPAGE_PMD_ORDER : 0);
		ck_assert_ptr_nonnull(f);
		mm_page_write(folio_pfn(f), 10, 0x5a, 3);	/* bytes mode */
	}
	ck_assert_uint_eq(mm_world_stats(mmt_world)->pages_bytes_mode, 40);
	ck_assert_uint_eq(mm_live_folios(), 40);
	ck_assert_uint_gt(shim_slab_live_objects(), base);
	ck_assert_uint_eq(mm_world_reset(mmt_world, false), 40);
	ck_assert_uint_eq(mmt_nreports(SHIM_REPORT_SLAB), 40);	/* one leak report each */
	ck_assert_uint_eq(shim_slab_live_objects(), base);
	ck_assert_uint_eq(mm_live_folios(), 0);
	f = folio_alloc(GFP_KERNEL, 0);
	ck_assert_ptr_nonnull(f);
	folio_put(f);
}
END_TEST

START_TEST(pool_alloc_failure_injected)
{
	struct folio *f;

	shim_slab_fail_after(1);
	f = folio_alloc(GFP_KERNEL, 0);
	ck_assert_ptr_null(f);
	ck_assert_uint_eq(mm_world_stats(mmt_world)->alloc_failures, 1);
	f = folio_alloc(GFP_KERNEL, 0);
	ck_assert_ptr_nonnull(f);
	folio_put(f);
}
END_TEST

START_TEST(folio_refcount)
{
	struct folio *f = folio_alloc(GFP_KERNEL, 0);
	unsigned long pfn = folio_pfn(f);

	folio_get(f);
	ck_assert(folio_try_get(f));
	ck_assert_int_eq(folio_ref_count(f), 3);
	folio_put_refs(f, 2);
	ck_assert_int_eq(folio_ref_count(f), 1);
	ck_assert(mm_pfn_is_live(pfn));
	folio_put(f);
	ck_assert(!mm_pfn_is_live(pfn));
	ck_assert_uint_eq(mm_world_stats(mmt_world)->folios_freed, 1);
	ck_assert_uint_eq(mmt_nreports(SHIM_REPORT_WARN), 0);
}
END_TEST

/* Free-running threads contend on one folio lock. */
#define LOCK_THREADS	4
#define LOCK_ITERS	2000

struct lock_arg {
	struct folio *folio;
	unsigned long *counter;
};

static void *lock_thread(void *p)
{
	struct lock_arg *a = p;
	int i;

	shim_ctx = &mmt_ctx;
	mm_world_set_current(mmt_world);
	for (i = 0; i < LOCK_ITERS; i++) {
		unsigned long v;

		folio_lock(a->folio);
		ck_assert(folio_test_locked(a->folio));
		/* A lost update here means two holders at once. */
		v = __atomic_load_n(a->counter, __ATOMIC_RELAXED);
		__atomic_store_n(a->counter, v + 1, __ATOMIC_RELAXED);
		folio_unlock(a->folio);
	}
	return NULL;
}

START_TEST(folio_lock_contention)
{
	struct folio *f = folio_alloc(GFP_KERNEL, 0);
	pthread_t th[LOCK_THREADS];
	unsigned long counter = 0;
	struct lock_arg a = { f, &counter };
	int i;

	ck_assert(folio_trylock(f));
	ck_assert(!folio_trylock(f));
	folio_unlock(f);
	ck_assert(!folio_test_locked(f));
	for (i = 0; i < LOCK_THREADS; i++)
		pthread_create(&th[i], NULL, lock_thread, &a);
	for (i = 0; i < LOCK_THREADS; i++)
		pthread_join(th[i], NULL);
	ck_assert_uint_eq(counter, LOCK_THREADS * LOCK_ITERS);
	ck_assert(!folio_test_locked(f));
	folio_put(f);
	ck_assert_uint_eq(mmt_nreports(SHIM_REPORT_WARN), 0);
	ck_assert_uint_eq(mmt_nreports(SHIM_REPORT_LOCKDEP), 0);
}
END_TEST

START_TEST(folio_unlock_unlocked_warns)
{
	struct folio *f = folio_alloc(GFP_KERNEL, 0);

	folio_unlock(f);
	ck_assert_uint_ge(mmt_nreports(SHIM_REPORT_WARN) + mmt_nreports(SHIM_REPORT_LOCKDEP), 1);
	folio_put(f);
}
END_TEST

/* Contents: tag by default, bytes after a non-uniform write, MIXED, UNINIT. */
START_TEST(contents_tag_and_bytes)
{
	struct folio *f = folio_alloc(GFP_KERNEL, 0);
	struct folio *z = folio_alloc(GFP_KERNEL | __GFP_ZERO, 0);
	unsigned long pfn = folio_pfn(f);
	const struct mm_world_stats *st = mm_world_stats(mmt_world);
	u8 buf[64];
	int i;

	ck_assert_int_eq(mm_page_read(pfn, 0, PAGE_SIZE), MM_READ_UNINIT);
	ck_assert_int_eq(mm_page_read(folio_pfn(z), 0, PAGE_SIZE), 0);

	/* A whole-page write stays a tag. */
	ck_assert_int_eq(mm_page_write(pfn, 0, 0xaa, PAGE_SIZE), 0);
	ck_assert_int_eq(mm_page_read(pfn, 100, 200), 0xaa);
	ck_assert_uint_eq(st->pages_bytes_mode, 0);
	/* Same byte again, partially: still uniform, still a tag. */
	mm_page_write(pfn, 5, 0xaa, 10);
	ck_assert_uint_eq(st->pages_bytes_mode, 0);

	/* A partial different write: bytes mode, MIXED over the whole page. */
	mm_page_write(pfn, 100, 0x11, 50);
	ck_assert_uint_eq(st->pages_bytes_mode, 1);
	ck_assert_int_eq(mm_page_read(pfn, 0, PAGE_SIZE), MM_READ_MIXED);
	ck_assert_int_eq(mm_page_read(pfn, 100, 50), 0x11);
	ck_assert_int_eq(mm_page_read(pfn, 0, 100), 0xaa);
	ck_assert_int_eq(mm_page_read(pfn, 99, 2), MM_READ_MIXED);

	/* Zeroing the whole page collapses it back to a tag. */
	folio_zero_range(f, 0, PAGE_SIZE);
	ck_assert_uint_eq(st->pages_bytes_mode, 0);
	ck_assert_int_eq(mm_page_read(pfn, 0, PAGE_SIZE), 0);

	/* Partial write on an uninitialised page: the rest stays UNINIT. */
	mm_page_write(folio_pfn(z), 0, 0, PAGE_SIZE);
	folio_put(z);
	z = folio_alloc(GFP_KERNEL, 0);
	mm_page_write(folio_pfn(z), 8, 0x77, 8);
	ck_assert_int_eq(mm_page_read(folio_pfn(z), 8, 8), 0x77);
	ck_assert_int_eq(mm_page_read(folio_pfn(z), 16, 100), MM_READ_UNINIT);
	ck_assert_int_eq(mm_page_read(folio_pfn(z), 0, 16), MM_READ_MIXED);

	/* Byte-exact copies round-trip. */
	for (i = 0; i < 64; i++)
		buf[i] = i;
	ck_assert_int_eq(mm_page_copy_to(pfn, 1000, buf, 64), 0);
	memset(buf, 0, sizeof(buf));
	ck_assert_int_eq(mm_page_copy_from(pfn, 1000, buf, 64), 0);
	for (i = 0; i < 64; i++)
		ck_assert_uint_eq(buf[i], i);

	/* Bytes mode on request: even a full write keeps a buffer. */
	mm_world_set_bytes_mode(mmt_world, true);
	folio_zero_page(f, 0);
	ck_assert(f->bytes != NULL);
	ck_assert_int_eq(mm_page_read(pfn, 0, PAGE_SIZE), 0);
	mm_world_set_bytes_mode(mmt_world, false);

	folio_put(f);
	folio_put(z);
	ck_assert_uint_eq(st->pages_bytes_mode, 0);
}
END_TEST

/* folio_zero_range on a large folio crosses pages. */
START_TEST(contents_large_folio_zero_range)
{
	struct folio *f = folio_alloc(GFP_KERNEL, HPAGE_PMD_ORDER);
	unsigned long pfn = folio_pfn(f);

	folio_zero_range(f, PAGE_SIZE - 16, 32);
	ck_assert_int_eq(mm_page_read(pfn, PAGE_SIZE - 16, 16), 0);
	ck_assert_int_eq(mm_page_read(pfn + 1, 0, 16), 0);
	ck_assert_int_eq(mm_page_read(pfn + 1, 16, 16), MM_READ_UNINIT);
	ck_assert_int_eq(mm_page_read(pfn + 2, 0, PAGE_SIZE), MM_READ_UNINIT);
	folio_put(f);
}
END_TEST

static unsigned long hook_calls, hook_writes;
static void count_hook(void *ctx, unsigned long pfn, bool write, const char *site)
{
	hook_calls++;
	hook_writes += write;
}

START_TEST(contents_hook_sees_every_access)
{
	struct folio *f = folio_alloc(GFP_KERNEL, 0);

	hook_calls = hook_writes = 0;
	mm_world_set_content_hook(mmt_world, count_hook, NULL);
	mm_page_write(folio_pfn(f), 0, 1, 10);
	mm_page_read(folio_pfn(f), 0, 10);
	folio_zero_page(f, 0);
	ck_assert_uint_eq(hook_calls, 3);
	ck_assert_uint_eq(hook_writes, 2);
	mm_world_set_content_hook(mmt_world, NULL, NULL);
	folio_put(f);
}
END_TEST

/*
 * Randomized differential test of the contents model against a plain byte
 * array: random fills, copies, zeroing and reads over a few pages, in tag
 * and bytes mode.  Never-written bytes are tracked so UNINIT/MIXED answers
 * are checked too.  Prints its seed; -s SEED replays.
 */
static uint64_t seed;

static uint64_t rnd(uint64_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

#define DIFF_PAGES 4
static u8 shadow[DIFF_PAGES][PAGE_SIZE];
static bool shadow_init[DIFF_PAGES][PAGE_SIZE];

static int shadow_read(int pg, unsigned int off, unsigned int len)
{
	unsigned int i, ninit = 0;
	int v = -1;

	for (i = off; i < off + len; i++)
		ninit += shadow_init[pg][i];
	if (!ninit)
		return MM_READ_UNINIT;
	if (ninit != len)
		return MM_READ_MIXED;
	for (i = off; i < off + len; i++) {
		if (v < 0)
			v = shadow[pg][i];
		else if (v != shadow[pg][i])
			return MM_READ_MIXED;
	}
	return v;
}

START_TEST(contents_random_differential)
{
	uint64_t x = seed + _i;
	struct folio *f[DIFF_PAGES];
	u8 buf[PAGE_SIZE];
	int pg, step;

	memset(shadow_init, 0, sizeof(shadow_init));
	mm_world_set_bytes_mode(mmt_world, _i & 1);
	for (pg = 0; pg < DIFF_PAGES; pg++)
		f[pg] = folio_alloc(GFP_KERNEL, 0);
	for (step = 0; step < 3000; step++) {
		unsigned int off, len, i;
		u8 byte;

		pg = rnd(&x) % DIFF_PAGES;
		/* Biased towards whole pages and short runs, where modes change. */
		switch (rnd(&x) % 4) {
		case 0:
			off = 0;
			len = PAGE_SIZE;
			break;
		case 1:
			off = rnd(&x) % PAGE_SIZE;
			len = 1 + rnd(&x) % (PAGE_SIZE - off);
			break;
		default:
			off = rnd(&x) % (PAGE_SIZE - 16);
			len = 1 + rnd(&x) % 16;
			break;
		}
		byte = rnd(&x) % 3;	/* few values: uniform ranges happen */
		switch (rnd(&x) % 5) {
		case 0:
			mm_page_write(folio_pfn(f[pg]), off, byte, len);
			memset(&shadow[pg][off], byte, len);
			memset(&shadow_init[pg][off], 1, len);
			break;
		case 1:
			for (i = 0; i < len; i++)
				buf[i] = rnd(&x) % 2 ? byte : 7;
			mm_page_copy_to(folio_pfn(f[pg]), off, buf, len);
			memcpy(&shadow[pg][off], buf, len);
			memset(&shadow_init[pg][off], 1, len);
			break;
		case 2:
			folio_zero_range(f[pg], off, len);
			memset(&shadow[pg][off], 0, len);
			memset(&shadow_init[pg][off], 1, len);
			break;
		case 3:
			mm_page_copy_from(folio_pfn(f[pg]), off, buf, len);
			for (i = 0; i < len; i++)
				ck_assert_uint_eq(buf[i], shadow_init[pg][off + i] ?
						  shadow[pg][off + i] : 0);
			break;
		default:
			ck_assert_msg(mm_page_read(folio_pfn(f[pg]), off, len) ==
				      shadow_read(pg, off, len),
				      "seed %llu step %d page %d off %u len %u",
				      (unsigned long long)seed, step, pg, off, len);
			break;
		}
	}
	for (pg = 0; pg < DIFF_PAGES; pg++)
		folio_put(f[pg]);
	mm_world_set_bytes_mode(mmt_world, false);
}
END_TEST

static Suite *mm_pool_suite(void)
{
	Suite *s = suite_create("mm_pool");
	TCase *tc = tcase_create("pool");

	tcase_add_checked_fixture(tc, mmt_setup, mmt_teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, pool_order_alignment, 0, ARRAY_SIZE(orders));
	tcase_add_test(tc, pool_reuse_deterministic);
	tcase_add_test(tc, pool_uaf_reports_both_steps);
	tcase_add_test(tc, pool_reset_leaves_nothing);
	tcase_add_test(tc, pool_alloc_failure_injected);
	tcase_add_test(tc, folio_refcount);
	tcase_add_test(tc, folio_lock_contention);
	tcase_add_test(tc, folio_unlock_unlocked_warns);
	tcase_add_test(tc, contents_tag_and_bytes);
	tcase_add_test(tc, contents_large_folio_zero_range);
	tcase_add_test(tc, contents_hook_sees_every_access);
	tcase_add_loop_test(tc, contents_random_differential, 0, 8);
	suite_add_tcase(s, tc);
	return s;
}

int main(int argc, char **argv)
{
	int i;

	for (i = 1; i + 1 < argc; i++)
		if (!strcmp(argv[i], "-s"))
			seed = strtoull(argv[i + 1], NULL, 0);
	if (!seed)
		seed = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32);
	printf("seed %llu (replay with -s %llu)\n", (unsigned long long)seed,
	       (unsigned long long)seed);
	fflush(stdout);
	return mmt_run(mm_pool_suite());
}
