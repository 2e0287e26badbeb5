// SPDX-License-Identifier: GPL-2.0
/*
 * kernel-shims slab: accounting, poisoning, quarantine checks, double
 * free, write after free, countdown fault injection, leak listing, caches,
 * per-context independence.
 */
#include <linux/gfp.h>
#include <linux/slab.h>
#include <shim/slab.h>

#include "shims_common.h"

#ifdef GMEMSIM_ASAN
#include <sanitizer/asan_interface.h>
#define test_unpoison(p, n)	__asan_unpoison_memory_region((p), (n))
#define test_poison(p, n)	__asan_poison_memory_region((p), (n))
#else
#define test_unpoison(p, n)	do { } while (0)
#define test_poison(p, n)	do { } while (0)
#endif

/* Every test runs on a private slab context, so counts start at zero. */
static struct shim_slab_ctx tctx;
static struct shim_ctx tshim;

static void slab_setup(void)
{
	capture_reset();
	shim_slab_ctx_init(&tctx);
	tshim = (struct shim_ctx){ .sched = NULL, .slab = &tctx };
	shim_ctx = &tshim;
}

static void slab_teardown(void)
{
	shim_slab_ctx_destroy(&tctx);
	shim_ctx = NULL;
}

START_TEST(test_counts)
{
	struct shim_slab_stats st;
	void *a, *b;

	a = kmalloc(100, GFP_KERNEL);
	b = kzalloc(28, GFP_KERNEL);
	ck_assert_ptr_nonnull(a);
	ck_assert_ptr_nonnull(b);
	shim_slab_stats(&st);
	ck_assert_uint_eq(st.live_objects, 2);
	ck_assert_uint_eq(st.live_bytes, 128);
	ck_assert_uint_eq(st.total_allocs, 2);
	ck_assert_uint_eq(((unsigned char *)b)[27], 0);
	ck_assert_uint_eq(ksize(a), 100);
	kfree(a);
	kfree(b);
	kfree(NULL);
	shim_slab_stats(&st);
	ck_assert_uint_eq(st.live_objects, 0);
	ck_assert_uint_eq(st.live_bytes, 0);
	ck_assert_uint_eq(st.total_frees, 2);
	ck_assert_uint_eq(st.quarantined, 2);
	ck_assert_uint_eq(shim_slab_live_objects(), 0);
	ck_assert_uint_eq(captured_count(SHIM_REPORT_SLAB), 0);
}
END_TEST

START_TEST(test_zero_size_and_overflow)
{
	void *z = kmalloc(0, GFP_KERNEL);

	ck_assert_ptr_eq(z, ZERO_SIZE_PTR);
	kfree(z);
	ck_assert_ptr_null(kcalloc(SIZE_MAX / 2, 4, GFP_KERNEL));
	ck_assert_ptr_null(kmalloc_array(SIZE_MAX / 8, 16, GFP_KERNEL));
	ck_assert_uint_eq(shim_slab_live_objects(), 0);
	ck_assert_uint_eq(captured_count(SHIM_REPORT_SLAB), 0);
}
END_TEST

START_TEST(test_krealloc)
{
	char *p = kmalloc(4, GFP_KERNEL), *q;

	memcpy(p, "abc", 4);
	q = krealloc(p, 64, GFP_KERNEL | __GFP_ZERO);
	ck_assert_ptr_nonnull(q);
	ck_assert_str_eq(q, "abc");
	ck_assert_int_eq(q[63], 0);
	ck_assert_uint_eq(shim_slab_live_objects(), 1);
	kfree(q);
	ck_assert_uint_eq(captured_count(SHIM_REPORT_SLAB), 0);
}
END_TEST

START_TEST(test_poison_written)
{
	unsigned char *p = kmalloc(64, GFP_KERNEL);
	int i;

	memset(p, 0x11, 64);
	kfree(p);
#ifdef GMEMSIM_ASAN
	ck_assert(__asan_address_is_poisoned(p));
	ck_assert(__asan_address_is_poisoned(p + 63));
#endif
	test_unpoison(p, 64);
	for (i = 0; i < 64; i++)
		ck_assert_uint_eq(p[i], SHIM_POISON_FREE);
	test_poison(p, 64);
	ck_assert_uint_eq(shim_slab_check(), 0);
}
END_TEST

START_TEST(test_double_free)
{
	void *p = kmalloc(32, GFP_KERNEL);
	const char *msg;

	kfree(p);
	ck_assert_uint_eq(captured_count(SHIM_REPORT_SLAB), 0);
	kfree(p);
	ck_assert_uint_eq(captured_count(SHIM_REPORT_SLAB), 1);
	msg = captured_last(SHIM_REPORT_SLAB);
	ck_assert_msg(strstr(msg, "double free"), "%s", msg);
	/* allocation, first free and second free sites all named */
	ck_assert_msg(strstr(msg, "allocated at") && strstr(msg, "first freed at") &&
		      strstr(msg, "freed again at"), "%s", msg);
	ck_assert_msg(strstr(msg, "shims_slab_test.c:"), "%s", msg);
	ck_assert_uint_eq(shim_slab_live_objects(), 0);
}
END_TEST

START_TEST(test_write_after_free_check)
{
	unsigned char *p = kmalloc(48, GFP_KERNEL);

	kfree(p);
	test_unpoison(p, 48);
	p[5] = 0x42;			/* the bug */
	test_poison(p, 48);
	ck_assert_uint_eq(shim_slab_check(), 1);
	ck_assert_uint_eq(captured_count(SHIM_REPORT_SLAB), 1);
	ck_assert_msg(strstr(captured_last(SHIM_REPORT_SLAB), "write after free"), "%s",
		      captured_last(SHIM_REPORT_SLAB));
	ck_assert(strstr(captured_last(SHIM_REPORT_SLAB), "offset 5"));
	/* reported once, not again at the next check */
	ck_assert_uint_eq(shim_slab_check(), 0);
	/* a large object, damaged past the first compared chunk */
	p = kmalloc(1000, GFP_KERNEL);
	kfree(p);
	test_unpoison(p, 1000);
	p[700] = 0;
	test_poison(p, 1000);
	ck_assert_uint_eq(shim_slab_check(), 1);
	ck_assert(strstr(captured_last(SHIM_REPORT_SLAB), "offset 700"));
}
END_TEST

START_TEST(test_write_after_free_on_eviction)
{
	unsigned char *p = kmalloc(16, GFP_KERNEL);
	int i;

	kfree(p);
	test_unpoison(p, 16);
	p[15] = 0;
	test_poison(p, 16);
	/* push it out of the quarantine */
	for (i = 0; i < SHIM_QUARANTINE_MAX; i++)
		kfree(kmalloc(8, GFP_KERNEL));
	ck_assert_uint_eq(captured_count(SHIM_REPORT_SLAB), 1);
	ck_assert(strstr(captured_last(SHIM_REPORT_SLAB), "offset 15"));
}
END_TEST

/* Countdown rows: n, then which of 6 allocations fail (bit i: i-th, 1-based). */
static const struct countdown_row {
	long n;
	unsigned int fails;
} countdown_rows[] = {
	{ 0, 0 },		/* off */
	{ 1, 1u << 1 },
	{ 2, 1u << 2 },
	{ 5, 1u << 5 },
	{ 7, 0 },		/* beyond the six */
};

START_TEST(test_countdown_injection)
{
	const struct countdown_row *r = &countdown_rows[_i];
	struct shim_slab_stats st;
	void *p[7];
	int i;

	shim_slab_fail_after(r->n);
	for (i = 1; i <= 6; i++) {
		p[i] = kmalloc(8, GFP_KERNEL);
		ck_assert_msg(!p[i] == !!(r->fails & (1u << i)),
			      "n=%ld allocation %d %s", r->n, i, p[i] ? "succeeded" : "failed");
	}
	/* __GFP_NOFAIL is never failed and does not consume the countdown */
	shim_slab_fail_after(1);
	p[0] = kmalloc(8, GFP_KERNEL | __GFP_NOFAIL);
	ck_assert_ptr_nonnull(p[0]);
	ck_assert(shim_alloc_should_fail(GFP_KERNEL, "next"));
	ck_assert(!shim_alloc_should_fail(GFP_KERNEL, "after"));
	kfree(p[0]);
	for (i = 1; i <= 6; i++)
		kfree(p[i]);
	shim_slab_stats(&st);
	ck_assert_uint_eq(st.failed_allocs, __builtin_popcount(r->fails));
	ck_assert_uint_eq(st.live_objects, 0);
}
END_TEST

START_TEST(test_leak_listing)
{
	void *keep = kmalloc(24, GFP_KERNEL);
	void *gone = kmalloc(8, GFP_KERNEL);
	const char *msg;

	kfree(gone);
	ck_assert_uint_eq(shim_slab_report_leaks(), 1);
	ck_assert_uint_eq(captured_count(SHIM_REPORT_SLAB), 1);
	msg = captured_last(SHIM_REPORT_SLAB);
	ck_assert_msg(strstr(msg, "leak: 24-byte object"), "%s", msg);
	ck_assert_msg(strstr(msg, "shims_slab_test.c:"), "%s", msg);
	kfree(keep);
	ck_assert_uint_eq(shim_slab_report_leaks(), 0);
}
END_TEST

struct thing {
	long a, b;
	int c;
};

static int ctor_calls;

static void thing_ctor(void *p)
{
	((struct thing *)p)->c = 77;
	ctor_calls++;
}

START_TEST(test_kmem_cache)
{
	struct kmem_cache *c = kmem_cache_create("thing", sizeof(struct thing), 64, 0,
						  thing_ctor);
	struct kmem_cache *d = KMEM_CACHE(thing, SLAB_ACCOUNT);
	struct kmem_cache_args args = { .align = 128, .ctor = thing_ctor };
	struct kmem_cache *e = kmem_cache_create("thing_args", sizeof(struct thing), &args,
						  SLAB_ACCOUNT);
	struct kmem_cache *f = kmem_cache_create("thing_noargs", 24, NULL, 0);
	struct thing *t, *z, *u;
	void *v;

	ck_assert_ptr_nonnull(c);
	ctor_calls = 0;
	t = kmem_cache_alloc(c, GFP_KERNEL);
	z = kmem_cache_zalloc(c, GFP_KERNEL);
	ck_assert_uint_eq((uintptr_t)t % 64, 0);
	ck_assert_int_eq(t->c, 77);
	ck_assert_int_eq(z->c, 0);
	ck_assert_int_eq(ctor_calls, 1);
	ck_assert_uint_eq(kmem_cache_size(c), sizeof(struct thing));
	/* the v6.13+ argument forms */
	u = kmem_cache_alloc(e, GFP_KERNEL);
	ck_assert_uint_eq((uintptr_t)u % 128, 0);
	ck_assert_int_eq(u->c, 77);
	ck_assert_int_eq(ctor_calls, 2);
	v = kmem_cache_alloc(f, GFP_KERNEL);
	ck_assert_uint_eq(kmem_cache_size(f), 24);
	kmem_cache_free(e, u);
	kmem_cache_free(f, v);
	kmem_cache_destroy(e);
	kmem_cache_destroy(f);
	/* destroying a cache with live objects is reported, and it leaks */
	kmem_cache_destroy(c);
	ck_assert_uint_eq(captured_count(SHIM_REPORT_SLAB), 1);
	ck_assert(strstr(captured_last(SHIM_REPORT_SLAB), "2 objects remaining"));
	/* freeing to the wrong cache is reported */
	kmem_cache_free(d, z);
	ck_assert_uint_eq(captured_count(SHIM_REPORT_SLAB), 2);
	kmem_cache_free(c, t);
	kmem_cache_destroy(c);
	kmem_cache_destroy(d);
	ck_assert_uint_eq(captured_count(SHIM_REPORT_SLAB), 2);
	ck_assert_uint_eq(shim_slab_live_objects(), 0);
}
END_TEST

/*
 * SLAB_TYPESAFE_BY_RCU (struct file's cache; spec B-03/B-04): a freed object
 * keeps its type and contents for a stale reader (no poison, no ASan report),
 * is reused only by its own cache, and is not a leak.
 */
START_TEST(test_typesafe_by_rcu)
{
	struct kmem_cache *c = kmem_cache_create("typesafe", sizeof(struct thing), NULL,
						  SLAB_TYPESAFE_BY_RCU);
	struct thing *t, *u;
	void *k;

	ck_assert_ptr_nonnull(c);
	t = kmem_cache_zalloc(c, GFP_KERNEL);
	t->c = 0;		/* "refcount reached zero" before the free */
	kmem_cache_free(c, t);
	ck_assert_uint_eq(shim_slab_live_objects(), 0);
	/* A stale reader may still look: the memory is not poisoned. */
	ck_assert_int_eq(((volatile struct thing *)t)->c, 0);
	/* kmalloc never gets it; the same cache does. */
	k = kmalloc(sizeof(struct thing), GFP_KERNEL);
	ck_assert_ptr_ne(k, t);
	u = kmem_cache_alloc(c, GFP_KERNEL);
	ck_assert_ptr_eq(u, t);
	ck_assert_uint_eq(shim_slab_live_objects(), 2);
	/* Double free is still caught. */
	kmem_cache_free(c, u);
	kmem_cache_free(c, u);
	ck_assert_uint_eq(captured_count(SHIM_REPORT_SLAB), 1);
	kfree(k);
	kmem_cache_destroy(c);
	ck_assert_uint_eq(shim_slab_live_objects(), 0);
}
END_TEST

START_TEST(test_contexts_independent)
{
	struct shim_slab_ctx other;
	struct shim_ctx other_shim = { .slab = &other };
	void *mine, *theirs;

	shim_slab_ctx_init(&other);
	mine = kmalloc(8, GFP_KERNEL);
	shim_ctx = &other_shim;
	shim_slab_fail_after(1);
	ck_assert_ptr_null(kmalloc(8, GFP_KERNEL));
	theirs = kmalloc(8, GFP_KERNEL);
	ck_assert_uint_eq(shim_slab_live_objects(), 1);
	shim_ctx = &tshim;
	ck_assert_uint_eq(shim_slab_live_objects(), 1);
	/* a block is freed into the context it came from, from anywhere */
	kfree(theirs);
	ck_assert_uint_eq(shim_slab_live_objects(), 1);
	shim_ctx = &other_shim;
	ck_assert_uint_eq(shim_slab_live_objects(), 0);
	shim_ctx = &tshim;
	kfree(mine);
	/* reset frees what is left and clears counts */
	shim_ctx = &other_shim;
	(void)kmalloc(8, GFP_KERNEL);
	shim_slab_ctx_reset(&other);
	ck_assert_uint_eq(shim_slab_live_objects(), 0);
	shim_slab_ctx_destroy(&other);
	shim_ctx = &tshim;
	ck_assert_uint_eq(captured_count(SHIM_REPORT_SLAB), 0);
}
END_TEST

static void *alloc_worker(void *arg)
{
	void *p[64];
	int i, r;

	shim_ctx = &tshim;
	for (r = 0; r < 200; r++) {
		for (i = 0; i < 64; i++)
			p[i] = kmalloc(8 + i, GFP_KERNEL);
		for (i = 0; i < 64; i++)
			kfree(p[i]);
	}
	return NULL;
}

START_TEST(test_threads)
{
	pthread_t th[4];
	struct shim_slab_stats st;
	int i;

	for (i = 0; i < 4; i++)
		pthread_create(&th[i], NULL, alloc_worker, NULL);
	for (i = 0; i < 4; i++)
		pthread_join(th[i], NULL);
	shim_slab_stats(&st);
	ck_assert_uint_eq(st.total_allocs, 4 * 200 * 64);
	ck_assert_uint_eq(st.total_frees, 4 * 200 * 64);
	ck_assert_uint_eq(st.live_objects, 0);
	ck_assert_uint_eq(shim_slab_check(), 0);
	ck_assert_uint_eq(captured_count(SHIM_REPORT_SLAB), 0);
}
END_TEST

static Suite *slab_suite(void)
{
	Suite *s = suite_create("shims_slab");
	TCase *tc = tcase_create("slab");

	tcase_add_checked_fixture(tc, slab_setup, slab_teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_counts);
	tcase_add_test(tc, test_zero_size_and_overflow);
	tcase_add_test(tc, test_krealloc);
	tcase_add_test(tc, test_poison_written);
	tcase_add_test(tc, test_double_free);
	tcase_add_test(tc, test_write_after_free_check);
	tcase_add_test(tc, test_write_after_free_on_eviction);
	tcase_add_loop_test(tc, test_countdown_injection, 0,
			    sizeof(countdown_rows) / sizeof(countdown_rows[0]));
	tcase_add_test(tc, test_leak_listing);
	tcase_add_test(tc, test_kmem_cache);
	tcase_add_test(tc, test_typesafe_by_rcu);
	tcase_add_test(tc, test_contexts_independent);
	tcase_add_test(tc, test_threads);
	suite_add_tcase(s, tc);
	return s;
}

int main(int argc, char **argv)
{
	return shims_test_main(argc, argv, slab_suite());
}
