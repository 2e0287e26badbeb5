// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of model/lib/xarray.c.  Most cases are tables of steps run by a
 * small interpreter; each table names the function of the kernel's
 * lib/test_xarray.c whose semantics it re-checks ("row").  Built twice: with
 * the project's XA_CHUNK_SHIFT (6) and with XA_CHUNK_SHIFT_OVERRIDE=2, where
 * a handful of entries already makes a multi-level tree.
 */
#include <check.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include <linux/xarray.h>
#include <shim/slab.h>
#include <shim/sched.h>

#ifndef XA_TEST_EXPECT_SHIFT
#define XA_TEST_EXPECT_SHIFT 6
#endif

enum xa_op {
	END = 0,
	STORE,		/* xa_store(a, V(b)) == V(expect) */
	LOAD,		/* xa_load(a) == V(expect) */
	ERASE,		/* xa_erase(a) == V(expect) */
	CMPXCHG,	/* xa_cmpxchg(a, V(b), V(c)) == V(expect) */
	INSERT,		/* xa_insert(a, V(b)) == expect (errno) */
	RESERVE,	/* xa_reserve(a) == expect */
	RELEASE,	/* xa_release(a) */
	RANGE,		/* xa_store_range(a, b, V(c)) == V(expect) */
	SORDER,		/* xa_store_order(a, order b, V(c)) */
	ORDER,		/* xa_get_order(a) == expect */
	MSET,		/* xa_set_mark(a, mark b) */
	MCLEAR,		/* xa_clear_mark(a, mark b) */
	MGET,		/* xa_get_mark(a, mark b) == expect */
	MARKED,		/* xa_marked(mark b) == expect */
	FIND,		/* xa_find(&a, b, filter c): V(expect) at index d */
	FINDA,		/* xa_find_after(&a, b, filter c): V(expect) at index d */
	COUNT,		/* xa_for_each_range(a, b) visits expect entries */
	EMPTY,		/* xa_empty() == expect */
};

/* Entries are value entries; NONE is NULL and ZERO is XA_ZERO_ENTRY. */
#define NONE	(-1L)
#define ZERO	(-2L)
#define V(v)	((v) == NONE ? NULL : (v) == ZERO ? XA_ZERO_ENTRY : xa_mk_value(v))
#define PRESENT	((long)XA_PRESENT)

struct xa_step {
	enum xa_op op;
	unsigned long a, b;
	long c;
	long expect;
	unsigned long d;
};

struct xa_case {
	const char *row;	/* lib/test_xarray.c function it mirrors */
	const struct xa_step *steps;
};

static void run_steps(struct xarray *xa, const struct xa_case *tc)
{
	const struct xa_step *s;
	unsigned int n = 0;

	for (s = tc->steps; s->op != END; s++, n++) {
		unsigned long index = s->a, visited = 0;
		void *entry = NULL;
		long got = 0;
		bool ok = true;

		switch (s->op) {
		case STORE:
			ok = xa_store(xa, s->a, V((long)s->b), GFP_KERNEL) == V(s->expect);
			break;
		case LOAD:
			ok = xa_load(xa, s->a) == V(s->expect);
			break;
		case ERASE:
			ok = xa_erase(xa, s->a) == V(s->expect);
			break;
		case CMPXCHG:
			ok = xa_cmpxchg(xa, s->a, V((long)s->b), V(s->c), GFP_KERNEL) ==
			     V(s->expect);
			break;
		case INSERT:
			got = xa_insert(xa, s->a, V((long)s->b), GFP_KERNEL);
			ok = got == s->expect;
			break;
		case RESERVE:
			got = xa_reserve(xa, s->a, GFP_KERNEL);
			ok = got == s->expect;
			break;
		case RELEASE:
			xa_release(xa, s->a);
			break;
		case RANGE:
			ok = xa_store_range(xa, s->a, s->b, V(s->c), GFP_KERNEL) ==
			     V(s->expect);
			break;
		case SORDER:
			entry = xa_store_order(xa, s->a, s->b, V(s->c), GFP_KERNEL);
			ok = !xa_is_err(entry);
			break;
		case ORDER:
			got = xa_get_order(xa, s->a);
			ok = got == s->expect;
			break;
		case MSET:
			xa_set_mark(xa, s->a, s->b);
			break;
		case MCLEAR:
			xa_clear_mark(xa, s->a, s->b);
			break;
		case MGET:
			got = xa_get_mark(xa, s->a, s->b);
			ok = got == s->expect;
			break;
		case MARKED:
			got = xa_marked(xa, s->b);
			ok = got == s->expect;
			break;
		case FIND:
			entry = xa_find(xa, &index, s->b, (xa_mark_t)s->c);
			ok = entry == V(s->expect) && (!entry || index == s->d);
			break;
		case FINDA:
			entry = xa_find_after(xa, &index, s->b, (xa_mark_t)s->c);
			ok = entry == V(s->expect) && (!entry || index == s->d);
			break;
		case COUNT:
			xa_for_each_range(xa, index, entry, s->a, s->b)
				visited++;
			ok = (long)visited == s->expect;
			got = visited;
			break;
		case EMPTY:
			ok = xa_empty(xa) == !!s->expect;
			break;
		case END:
			break;
		}
		if (!ok) {
			xa_dump(xa);
			ck_abort_msg("%s: step %u (op %d a=%#lx b=%#lx c=%ld) expected %ld, got %ld/%p index %#lx",
				     tc->row, n, s->op, s->a, s->b, s->c, s->expect, got,
				     entry, index);
		}
	}
}

/* ---- tables ---- */

static const struct xa_step load_steps[] = {
	{ LOAD, 0, 0, 0, NONE },
	{ STORE, 0, 10, 0, NONE },
	{ STORE, 1, 11, 0, NONE },
	{ STORE, 1000, 12, 0, NONE },
	{ STORE, ULONG_MAX, 13, 0, NONE },
	{ LOAD, 0, 0, 0, 10 }, { LOAD, 1, 0, 0, 11 }, { LOAD, 2, 0, 0, NONE },
	{ LOAD, 1000, 0, 0, 12 }, { LOAD, ULONG_MAX, 0, 0, 13 },
	{ LOAD, ULONG_MAX - 1, 0, 0, NONE },
	{ STORE, 1, 21, 0, 11 },			/* returns the old entry */
	{ ERASE, 1, 0, 0, 21 }, { ERASE, 1, 0, 0, NONE },
	{ STORE, 1000, NONE, 0, 12 },			/* storing NULL erases */
	{ LOAD, 1000, 0, 0, NONE },
	{ ERASE, 0, 0, 0, 10 }, { ERASE, ULONG_MAX, 0, 0, 13 },
	{ EMPTY, 0, 0, 0, 1 },
	{ END }
};

static const struct xa_step cmpxchg_steps[] = {
	{ STORE, 12345678, 1, 0, NONE },
	{ CMPXCHG, 12345678, 2, 3, 1 },			/* mismatch: no store */
	{ LOAD, 12345678, 0, 0, 1 },
	{ CMPXCHG, 12345678, 1, 3, 1 },
	{ LOAD, 12345678, 0, 0, 3 },
	{ CMPXCHG, 5, NONE, 4, NONE },			/* NULL -> entry */
	{ LOAD, 5, 0, 0, 4 },
	{ CMPXCHG, 5, 4, NONE, 4 },			/* entry -> NULL erases */
	{ CMPXCHG, 12345678, 3, NONE, 3 },
	{ EMPTY, 0, 0, 0, 1 },
	{ END }
};

static const struct xa_step insert_steps[] = {
	{ INSERT, 7, 1, 0, 0 },
	{ INSERT, 7, 2, 0, -EBUSY },
	{ LOAD, 7, 0, 0, 1 },
	{ INSERT, 8, NONE, 0, 0 },			/* NULL reserves */
	{ LOAD, 8, 0, 0, NONE },
	{ INSERT, 8, 3, 0, -EBUSY },
	{ ERASE, 8, 0, 0, NONE },
	{ INSERT, 8, 3, 0, 0 },
	{ ERASE, 7, 0, 0, 1 }, { ERASE, 8, 0, 0, 3 },
	{ EMPTY, 0, 0, 0, 1 },
	{ END }
};

static const struct xa_step reserve_steps[] = {
	/* check_reserve: a reserved entry reads as NULL but is present */
	{ RESERVE, 12345678, 0, 0, 0 },
	{ LOAD, 12345678, 0, 0, NONE },
	{ EMPTY, 0, 0, 0, 0 },
	{ INSERT, 12345678, 1, 0, -EBUSY },
	{ FIND, 0, ULONG_MAX, PRESENT, NONE },		/* iteration skips it */
	{ RELEASE, 12345678 },
	{ EMPTY, 0, 0, 0, 1 },
	/* releasing a used entry does nothing */
	{ RESERVE, 12345678, 0, 0, 0 },
	{ STORE, 12345678, 5, 0, NONE },
	{ RELEASE, 12345678 },
	{ LOAD, 12345678, 0, 0, 5 },
	{ ERASE, 12345678, 0, 0, 5 },
	/* cmpxchg sees a reserved entry as XA_ZERO_ENTRY, not NULL */
	{ RESERVE, 12345678, 0, 0, 0 },
	{ CMPXCHG, 12345678, NONE, 6, NONE },
	{ LOAD, 12345678, 0, 0, NONE },
	{ CMPXCHG, 12345678, ZERO, 6, NONE },
	{ LOAD, 12345678, 0, 0, 6 },
	{ ERASE, 12345678, 0, 0, 6 },
	/* reserving index 0 of an empty array, and a used index */
	{ RESERVE, 0, 0, 0, 0 }, { EMPTY, 0, 0, 0, 0 }, { LOAD, 0, 0, 0, NONE },
	{ STORE, 0, 7, 0, NONE }, { RESERVE, 0, 0, 0, 0 }, { LOAD, 0, 0, 0, 7 },
	{ ERASE, 0, 0, 0, 7 },
	{ EMPTY, 0, 0, 0, 1 },
	{ END }
};

static const struct xa_step mark_steps[] = {
	/* check_xa_mark_1 */
	{ MSET, 5, 0 }, { MGET, 5, 0, 0, 0 },		/* no entry: no mark */
	{ STORE, 5, 1, 0, NONE },
	{ MGET, 5, 0, 0, 0 },				/* storing sets no mark */
	{ MSET, 5, 0 }, { MGET, 5, 0, 0, 1 }, { MGET, 5, 1, 0, 0 },
	{ MARKED, 0, 0, 0, 1 }, { MARKED, 0, 1, 0, 0 },
	{ STORE, 5, 2, 0, 1 }, { MGET, 5, 0, 0, 1 },	/* replacing keeps it */
	{ STORE, 1000000, 3, 0, NONE }, { MSET, 1000000, 2 },
	{ FIND, 0, ULONG_MAX, 2, 3, 1000000 },
	{ FIND, 0, ULONG_MAX, 0, 2, 5 },
	{ FINDA, 5, ULONG_MAX, 0, NONE },
	{ MCLEAR, 5, 0 }, { MGET, 5, 0, 0, 0 }, { MARKED, 0, 0, 0, 0 },
	{ MSET, 5, 0 },
	/* propagation after erase: the mark bit leaves the parents */
	{ ERASE, 1000000, 0, 0, 3 }, { MARKED, 0, 2, 0, 0 }, { MARKED, 0, 0, 0, 1 },
	{ ERASE, 5, 0, 0, 2 }, { MARKED, 0, 0, 0, 0 },
	{ STORE, 5, 2, 0, NONE }, { MGET, 5, 0, 0, 0 },	/* erase cleared it */
	{ ERASE, 5, 0, 0, 2 },
	/* head entry (index 0) keeps its mark through growing and shrinking */
	{ STORE, 0, 9, 0, NONE }, { MSET, 0, 1 }, { MARKED, 0, 1, 0, 1 },
	{ STORE, 4096, 10, 0, NONE }, { MGET, 0, 1, 0, 1 }, { MGET, 4096, 1, 0, 0 },
	{ ERASE, 4096, 0, 0, 10 }, { MGET, 0, 1, 0, 1 }, { MARKED, 0, 1, 0, 1 },
	{ ERASE, 0, 0, 0, 9 }, { MARKED, 0, 1, 0, 0 },
	{ EMPTY, 0, 0, 0, 1 },
	{ END }
};

static const struct xa_step multi_mark_steps[] = {
	/* check_xa_mark_1 (multi-index part): marks of replaced entries merge */
	{ SORDER, 4, 0, 1 }, { MSET, 4, 0 },
	{ SORDER, 5, 0, 2 }, { MSET, 5, 2 },
	{ SORDER, 4, 2, 3 },				/* covers 4..7 */
	{ MGET, 4, 0, 0, 1 }, { MGET, 7, 0, 0, 1 }, { MGET, 6, 2, 0, 1 },
	{ MGET, 6, 1, 0, 0 },
	{ FIND, 6, ULONG_MAX, 2, 3, 6 },		/* start inside: index kept */
	{ FIND, 0, ULONG_MAX, 2, 3, 4 },
	{ FINDA, 4, ULONG_MAX, 2, NONE },		/* visited once */
	{ MCLEAR, 7, 0 }, { MGET, 4, 0, 0, 0 },
	{ ERASE, 5, 0, 0, 3 }, { MARKED, 0, 2, 0, 0 },
	{ EMPTY, 0, 0, 0, 1 },
	{ END }
};

static const struct xa_step multi_store_steps[] = {
	/* check_multi_store: order-1 entry at 0 */
	{ SORDER, 0, 1, 0 },
	{ LOAD, 0, 0, 0, 0 }, { LOAD, 1, 0, 0, 0 }, { LOAD, 2, 0, 0, NONE },
	{ ORDER, 1, 0, 0, 1 },
	{ STORE, 1, 1, 0, 0 },				/* replaces the whole entry */
	{ LOAD, 0, 0, 0, 1 }, { ORDER, 0, 0, 0, 1 },
	{ ERASE, 0, 0, 0, 1 }, { LOAD, 1, 0, 0, NONE },
	/* storing an order-0 neighbour keeps both */
	{ SORDER, 0, 2, 5 }, { STORE, 4, 6, 0, NONE },
	{ LOAD, 3, 0, 0, 5 }, { LOAD, 4, 0, 0, 6 },
	/* a larger store swallows smaller entries */
	{ SORDER, 0, 4, 7 },
	{ LOAD, 4, 0, 0, 7 }, { LOAD, 15, 0, 0, 7 }, { ORDER, 9, 0, 0, 4 },
	{ COUNT, 0, ULONG_MAX, 0, 1 },
	/* a smaller store inside a larger entry replaces the larger one */
	{ SORDER, 8, 1, 8 },
	{ LOAD, 0, 0, 0, 8 }, { ORDER, 3, 0, 0, 4 },
	/* cmpxchg inside a multi-index entry */
	{ CMPXCHG, 13, 8, 9, 8 }, { LOAD, 2, 0, 0, 9 },
	{ ERASE, 15, 0, 0, 9 }, { LOAD, 0, 0, 0, NONE },
	{ EMPTY, 0, 0, 0, 1 },
	{ END }
};

static const struct xa_step range_steps[] = {
	/* check_store_range: unaligned ranges become aligned blocks */
	{ RANGE, 1, 6, 1, NONE },
	{ LOAD, 0, 0, 0, NONE }, { LOAD, 1, 0, 0, 1 }, { LOAD, 6, 0, 0, 1 },
	{ LOAD, 7, 0, 0, NONE },
	{ ORDER, 1, 0, 0, 0 }, { ORDER, 2, 0, 0, 1 }, { ORDER, 4, 0, 0, 1 },
	{ ORDER, 6, 0, 0, 0 },
	{ COUNT, 0, ULONG_MAX, 0, 4 },			/* 1, 2-3, 4-5, 6 */
	{ FIND, 3, ULONG_MAX, PRESENT, 1, 3 },
	{ FINDA, 3, ULONG_MAX, PRESENT, 1, 4 },
	{ FINDA, 4, 5, PRESENT, NONE },
	{ RANGE, 3, 4, NONE, NONE },			/* erases 2-3 and 4-5 */
	{ LOAD, 2, 0, 0, NONE }, { LOAD, 5, 0, 0, NONE }, { LOAD, 6, 0, 0, 1 },
	{ RANGE, 0, 0xffff, 2, NONE }, { ORDER, 0x1234, 0, 0, 16 },
	{ COUNT, 0, ULONG_MAX, 0, 1 },
	{ END }
};

static const struct xa_step find_steps[] = {
	/* check_find_1/check_multi_find_3 */
	{ STORE, 3, 3, 0, NONE }, { STORE, 100, 100, 0, NONE },
	{ SORDER, 1UL << 20, 12, 7 },
	{ FIND, 0, ULONG_MAX, PRESENT, 3, 3 },
	{ FIND, 4, 99, PRESENT, NONE },
	{ FIND, 4, 100, PRESENT, 100, 100 },
	{ FINDA, 100, ULONG_MAX, PRESENT, 7, 1UL << 20 },
	{ FINDA, (1UL << 20) + 5, ULONG_MAX, PRESENT, NONE },
	{ FIND, (1UL << 20) + 5, ULONG_MAX, PRESENT, 7, (1UL << 20) + 5 },
	{ FINDA, ULONG_MAX, ULONG_MAX, PRESENT, NONE },
	{ COUNT, 0, ULONG_MAX, 0, 3 }, { COUNT, 4, (1UL << 20) - 1, 0, 1 },
	{ COUNT, (1UL << 20) + 4095, ULONG_MAX, 0, 1 },
	{ ERASE, 3, 0, 0, 3 }, { ERASE, 100, 0, 0, 100 },
	{ ERASE, (1UL << 20) + 1, 0, 0, 7 },
	{ EMPTY, 0, 0, 0, 1 },
	{ END }
};

static const struct xa_case cases[] = {
	{ "test_xarray:check_xa_load", load_steps },
	{ "test_xarray:check_cmpxchg", cmpxchg_steps },
	{ "test_xarray:check_insert", insert_steps },
	{ "test_xarray:check_reserve", reserve_steps },
	{ "test_xarray:check_xa_mark_1", mark_steps },
	{ "test_xarray:check_xa_mark_1(multi)", multi_mark_steps },
	{ "test_xarray:check_multi_store", multi_store_steps },
	{ "test_xarray:check_store_range", range_steps },
	{ "test_xarray:check_find", find_steps },
};

START_TEST(test_table)
{
	DEFINE_XARRAY(xa);
	unsigned long live = shim_slab_live_objects();

	run_steps(&xa, &cases[_i]);
	xa_destroy(&xa);
	ck_assert_uint_eq(shim_slab_live_objects(), live);
}
END_TEST

/* Orders 0..18 and the extremes: one entry answers its whole block. */
static const unsigned int orders[] = {
	0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18,
	20, 30, 40, 62, 63,
};

START_TEST(test_orders)
{
	DEFINE_XARRAY(xa);
	unsigned int order = orders[_i];
	unsigned long size = 1UL << order;
	unsigned long first = order < 62 ? 3UL << order : (order == 62 ? 2UL << 62 : 1UL << 63);
	unsigned long last = first + (size - 1);
	unsigned long live = shim_slab_live_objects();
	unsigned long index, seen = 0;
	void *entry, *v = xa_mk_value(order);

	ck_assert_ptr_null(xa_store(&xa, first - 1, xa_mk_value(1), GFP_KERNEL));
	ck_assert(!xa_is_err(xa_store_order(&xa, first, order, v, GFP_KERNEL)));
	ck_assert_ptr_eq(xa_load(&xa, first), v);
	ck_assert_ptr_eq(xa_load(&xa, last), v);
	ck_assert_ptr_eq(xa_load(&xa, first + size / 2), v);
	ck_assert_ptr_eq(xa_load(&xa, first - 1), xa_mk_value(1));
	if (last != ULONG_MAX)
		ck_assert_ptr_null(xa_load(&xa, last + 1));
	ck_assert_int_eq(xa_get_order(&xa, last), order);
	ck_assert_int_eq(xa_get_order(&xa, first - 1), 0);
	xa_set_mark(&xa, last, XA_MARK_1);
	ck_assert(xa_get_mark(&xa, first, XA_MARK_1));
	xa_for_each_start(&xa, index, entry, first - 1)
		seen++;
	ck_assert_uint_eq(seen, 2);			/* the block is visited once */
	seen = 0;
	xa_for_each_marked(&xa, index, entry, XA_MARK_1) {
		ck_assert_ptr_eq(entry, v);
		ck_assert_uint_eq(index, first);
		seen++;
	}
	ck_assert_uint_eq(seen, 1);
	ck_assert_ptr_eq(xa_erase(&xa, last), v);	/* erases the whole block */
	ck_assert_ptr_null(xa_load(&xa, first));
	ck_assert(!xa_marked(&xa, XA_MARK_1));
	ck_assert_ptr_eq(xa_erase(&xa, first - 1), xa_mk_value(1));
	ck_assert(xa_empty(&xa));
	ck_assert_uint_eq(xa_nr_nodes(&xa), 0);
	ck_assert_uint_eq(shim_slab_live_objects(), live);
}
END_TEST

START_TEST(test_whole_range)
{
	DEFINE_XARRAY(xa);
	unsigned long live = shim_slab_live_objects();

	ck_assert_ptr_null(xa_store(&xa, 77, xa_mk_value(77), GFP_KERNEL));
	ck_assert_ptr_null(xa_store_range(&xa, 0, ULONG_MAX, xa_mk_value(1), GFP_KERNEL));
	ck_assert_ptr_eq(xa_load(&xa, 0), xa_mk_value(1));
	ck_assert_ptr_eq(xa_load(&xa, ULONG_MAX), xa_mk_value(1));
	ck_assert_ptr_eq(xa_load(&xa, 77), xa_mk_value(1));
	ck_assert_int_eq(xa_get_order(&xa, 12345), BITS_PER_LONG);
	ck_assert_ptr_null(xa_store_range(&xa, 0, ULONG_MAX, NULL, GFP_KERNEL));
	ck_assert(xa_empty(&xa));
	ck_assert_uint_eq(shim_slab_live_objects(), live);
}
END_TEST

/* Errors come back encoded: xa_err() of the returned entry. */
START_TEST(test_errors)
{
	DEFINE_XARRAY(xa);
	unsigned long live = shim_slab_live_objects();
	unsigned long warns = shim_report_count(SHIM_REPORT_WARN);
	unsigned long nodes;
	void *ret;
	int n;

	/* -ENOMEM from the first node allocation; the array stays empty */
	shim_slab_fail_after(1);
	ret = xa_store(&xa, 1, xa_mk_value(1), GFP_KERNEL);
	ck_assert(xa_is_err(ret));
	ck_assert_int_eq(xa_err(ret), -ENOMEM);
	ck_assert(xa_empty(&xa));
	ck_assert_uint_eq(shim_slab_live_objects(), live);

	/* -ENOMEM half way through a multi-node path: nothing changes */
	ck_assert_ptr_null(xa_store(&xa, 1, xa_mk_value(1), GFP_KERNEL));
	nodes = xa_nr_nodes(&xa);
	for (n = 1; n <= 3; n++) {
		shim_slab_fail_after(n);
		ret = xa_store(&xa, ULONG_MAX / 3, xa_mk_value(2), GFP_NOWAIT);
		ck_assert_int_eq(xa_err(ret), -ENOMEM);
		ck_assert_uint_eq(xa_nr_nodes(&xa), nodes);
		ck_assert_ptr_null(xa_load(&xa, ULONG_MAX / 3));
		ck_assert_ptr_eq(xa_load(&xa, 1), xa_mk_value(1));
	}
	shim_slab_fail_after(0);
	ck_assert_int_eq(xa_insert(&xa, 5000, xa_mk_value(3), GFP_KERNEL), 0);
	shim_slab_fail_after(1);
	ck_assert_int_eq(xa_reserve(&xa, 1UL << 40, GFP_KERNEL), -ENOMEM);
	shim_slab_fail_after(1);
	ck_assert_int_eq(xa_insert(&xa, 1UL << 40, xa_mk_value(4), GFP_KERNEL), -ENOMEM);
	shim_slab_fail_after(1);
	ck_assert_int_eq(xa_err(xa_store_range(&xa, 1UL << 40, (1UL << 41) - 1,
					       xa_mk_value(5), GFP_KERNEL)), -ENOMEM);
	shim_slab_fail_after(0);
	ck_assert_ptr_null(xa_find(&xa, &(unsigned long){ 1UL << 30 }, ULONG_MAX, XA_PRESENT));

	/* -EBUSY */
	ck_assert_int_eq(xa_insert(&xa, 5000, xa_mk_value(6), GFP_KERNEL), -EBUSY);

	/* -EINVAL: internal entries and empty ranges (the WARNs are expected) */
	ret = xa_store(&xa, 9, xa_mk_internal(3), GFP_KERNEL);
	ck_assert_int_eq(xa_err(ret), -EINVAL);
	ck_assert_int_eq(xa_err(xa_cmpxchg(&xa, 9, NULL, xa_mk_internal(300), GFP_KERNEL)), -EINVAL);
	ck_assert_int_eq(xa_insert(&xa, 9, xa_mk_internal(3), GFP_KERNEL), -EINVAL);
	ck_assert_int_eq(xa_err(xa_store_range(&xa, 9, 10, XA_ZERO_ENTRY, GFP_KERNEL)), -EINVAL);
	ck_assert_int_eq(xa_err(xa_store_range(&xa, 10, 9, xa_mk_value(1), GFP_KERNEL)), -EINVAL);
	ck_assert_ptr_null(xa_load(&xa, 9));
	ck_assert_uint_gt(shim_report_count(SHIM_REPORT_WARN), warns);
	ck_assert_int_eq(xa_err(XA_ERROR(-EBUSY)), -EBUSY);
	ck_assert(!xa_is_err(xa_mk_value(5)));
	ck_assert(!xa_is_err(XA_ZERO_ENTRY));

	xa_destroy(&xa);
	ck_assert(xa_empty(&xa));
	ck_assert_uint_eq(shim_slab_live_objects(), live);
}
END_TEST

/* xa_destroy() frees every node of a big, deep, marked tree. */
START_TEST(test_destroy)
{
	struct xarray xa;
	unsigned long live = shim_slab_live_objects();
	unsigned long i;

	xa_init_flags(&xa, XA_FLAGS_LOCK_IRQ);
	for (i = 0; i < 5000; i++) {
		ck_assert_ptr_null(xa_store(&xa, i * 7919, xa_mk_value(i), GFP_KERNEL));
		if (i % 3 == 0)
			xa_set_mark(&xa, i * 7919, XA_MARK_0);
	}
	ck_assert_ptr_null(xa_store_range(&xa, 1UL << 50, (1UL << 51) + 12345,
					  xa_mk_value(1), GFP_KERNEL));
	ck_assert_uint_gt(xa_nr_nodes(&xa), 10);
	ck_assert_uint_gt(shim_slab_live_objects(), live);
	xa_destroy(&xa);
	ck_assert(xa_empty(&xa));
	ck_assert(!xa_marked(&xa, XA_MARK_0));
	ck_assert_uint_eq(shim_slab_live_objects(), live);
	xa_destroy(&xa);				/* idempotent */
}
END_TEST

/* The locked API under the caller's xa_lock, and lockdep_assert_held. */
START_TEST(test_locked_api)
{
	DEFINE_XARRAY(xa);
	unsigned long lockdep = shim_report_count(SHIM_REPORT_LOCKDEP);

	xa_lock(&xa);
	ck_assert_ptr_null(__xa_store(&xa, 3, xa_mk_value(3), GFP_NOWAIT));
	ck_assert_int_eq(__xa_insert(&xa, 3, xa_mk_value(4), GFP_NOWAIT), -EBUSY);
	ck_assert_ptr_eq(__xa_cmpxchg(&xa, 3, xa_mk_value(3), xa_mk_value(5), GFP_NOWAIT),
			 xa_mk_value(3));
	__xa_set_mark(&xa, 3, XA_MARK_2);
	ck_assert(xa_get_mark(&xa, 3, XA_MARK_2));	/* readers nest in xa_lock */
	ck_assert_ptr_eq(xa_load(&xa, 3), xa_mk_value(5));
	__xa_clear_mark(&xa, 3, XA_MARK_2);
	/* GFP_KERNEL drops and retakes xa_lock around the allocation */
	ck_assert_ptr_null(__xa_store(&xa, 1UL << 33, xa_mk_value(6), GFP_KERNEL));
	ck_assert_ptr_eq(__xa_erase(&xa, 3), xa_mk_value(5));
	ck_assert_ptr_eq(__xa_erase(&xa, 1UL << 33), xa_mk_value(6));
	xa_unlock(&xa);
	ck_assert_uint_eq(shim_report_count(SHIM_REPORT_LOCKDEP), lockdep);
	ck_assert(xa_empty(&xa));
}
END_TEST

/* The chunk shift this binary was built for is the one the code uses. */
START_TEST(test_chunk_shift)
{
	DEFINE_XARRAY(xa);

	ck_assert_int_eq(XA_CHUNK_SHIFT, XA_TEST_EXPECT_SHIFT);
	/* Index XA_CHUNK_SIZE needs a second level: top + two leaves. */
	ck_assert_ptr_null(xa_store(&xa, 0, xa_mk_value(0), GFP_KERNEL));
	ck_assert_uint_eq(xa_nr_nodes(&xa), 0);		/* index 0 lives in xa_head */
	ck_assert_ptr_null(xa_store(&xa, 1, xa_mk_value(1), GFP_KERNEL));
	ck_assert_uint_eq(xa_nr_nodes(&xa), 1);
	ck_assert_ptr_null(xa_store(&xa, XA_CHUNK_SIZE, xa_mk_value(2), GFP_KERNEL));
	ck_assert_uint_eq(xa_nr_nodes(&xa), 3);
	ck_assert_ptr_null(xa_store(&xa, XA_CHUNK_SIZE - 1, xa_mk_value(3), GFP_KERNEL));
	ck_assert_uint_eq(xa_nr_nodes(&xa), 3);
	xa_erase(&xa, XA_CHUNK_SIZE);
	ck_assert_uint_eq(xa_nr_nodes(&xa), 1);		/* shrank back to one level */
	xa_destroy(&xa);
}
END_TEST

/*
 * Free-running concurrency (meant for the TSan build): writers on disjoint
 * index sets and readers everywhere; afterwards each writer's final state is
 * there.  xa_load takes xa_lock in this mode, so TSan must stay quiet.
 */
#define XA_THREADS	4
#define XA_THREAD_OPS	4000

struct xa_thread_arg {
	struct xarray *xa;
	unsigned int id;
};

static void *xa_thread(void *p)
{
	struct xa_thread_arg *arg = p;
	unsigned long i;

	for (i = 0; i < XA_THREAD_OPS; i++) {
		unsigned long index = (i % 512) * XA_THREADS + arg->id;

		if (arg->id % 2 == 0 || i % 3) {
			void *old = xa_store(arg->xa, index, xa_mk_value(i), GFP_KERNEL);

			if (xa_is_err(old))
				return (void *)1;
			if (i % 5 == 0)
				xa_set_mark(arg->xa, index, XA_MARK_0);
		} else {
			xa_erase(arg->xa, index);
		}
		if (i % 16 == 0) {
			/* multi-index entries in a region of its own */
			unsigned long first = ((unsigned long)(arg->id + 1) << 30) + (i % 64) * 100;

			if (xa_is_err(xa_store_range(arg->xa, first, first + 99,
						     i % 32 ? xa_mk_value(i) : NULL,
						     GFP_KERNEL)))
				return (void *)2;
			(void)xa_find_after(arg->xa, &first, ULONG_MAX, XA_PRESENT);
		}
		(void)xa_load(arg->xa, (i * 7) % (512 * XA_THREADS));
		(void)xa_find(arg->xa, &(unsigned long){ index }, ULONG_MAX, XA_MARK_0);
	}
	return NULL;
}

START_TEST(test_threads)
{
	DEFINE_XARRAY(xa);
	pthread_t t[XA_THREADS];
	struct xa_thread_arg args[XA_THREADS];
	unsigned long live = shim_slab_live_objects();
	unsigned int i;
	void *ret;

	for (i = 0; i < XA_THREADS; i++) {
		args[i] = (struct xa_thread_arg){ &xa, i };
		ck_assert_int_eq(pthread_create(&t[i], NULL, xa_thread, &args[i]), 0);
	}
	for (i = 0; i < XA_THREADS; i++) {
		ck_assert_int_eq(pthread_join(t[i], &ret), 0);
		ck_assert_ptr_null(ret);
	}
	/* thread 0 stored last (i = XA_THREAD_OPS - 1) at its final index */
	ck_assert_ptr_eq(xa_load(&xa, ((XA_THREAD_OPS - 1) % 512) * XA_THREADS),
			 xa_mk_value(XA_THREAD_OPS - 1));
	xa_destroy(&xa);
	ck_assert_uint_eq(shim_slab_live_objects(), live);
}
END_TEST

/*
 * A trivial controlled-mode scheduler (one thread, points are no-ops), as
 * under the fuzzer: readers are lockless and allocation failures come from
 * decide(SHIM_DECIDE_ALLOC_FAIL).
 */
static bool ctl_fail_allocs;
static unsigned long ctl_points;
static struct shim_task ctl_task = { .tid = 0, .name = "xarray_test" };

static void ctl_point(enum shim_op op, const void *obj, const char *site)
{
	ctl_points++;
}

static void ctl_block(enum shim_op op, const void *obj, const char *site)
{
	ck_abort_msg("one model thread blocked at %s", site);
}

static void ctl_wake(const void *obj)
{
}

static bool ctl_decide(enum shim_decision what, const char *site)
{
	return what == SHIM_DECIDE_ALLOC_FAIL && ctl_fail_allocs;
}

static struct shim_task *ctl_current(void)
{
	return &ctl_task;
}

static void ctl_report(enum shim_report_kind kind, const char *msg,
		       const char *file, int line)
{
	ck_abort_msg("report %d in controlled mode: %s at %s:%d", kind, msg, file, line);
}

static const struct shim_sched_ops ctl_ops = {
	.point = ctl_point, .block = ctl_block, .wake = ctl_wake,
	.decide = ctl_decide, .current = ctl_current, .report = ctl_report,
};
static struct shim_ctx ctl_ctx = { .sched = &ctl_ops };

START_TEST(test_controlled)
{
	DEFINE_XARRAY(xa);
	unsigned long live = shim_slab_live_objects(), points;
	unsigned int i;
	void *ret;

	shim_ctx = &ctl_ctx;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		run_steps(&xa, &cases[i]);
		xa_destroy(&xa);
	}
	/* Readers place no scheduling point: they take no lock here. */
	ck_assert_ptr_null(xa_store(&xa, 5, xa_mk_value(5), GFP_KERNEL));
	points = ctl_points;
	ck_assert_ptr_eq(xa_load(&xa, 5), xa_mk_value(5));
	ck_assert(!xa_get_mark(&xa, 5, XA_MARK_0));
	ck_assert_ptr_nonnull(xa_find(&xa, &(unsigned long){ 0 }, ULONG_MAX, XA_PRESENT));
	ck_assert_uint_eq(ctl_points, points);
	/* The scheduler's decision fails the node allocation: -ENOMEM, no change */
	shim_fault_inject_enable(true);
	ctl_fail_allocs = true;
	ret = xa_store(&xa, 1UL << 40, xa_mk_value(6), GFP_KERNEL);
	ctl_fail_allocs = false;
	ck_assert_int_eq(xa_err(ret), -ENOMEM);
	ck_assert(xa_check(&xa));
	ck_assert_ptr_null(xa_load(&xa, 1UL << 40));
	ck_assert_ptr_null(xa_store(&xa, 1UL << 40, xa_mk_value(6), GFP_KERNEL));
	shim_fault_inject_enable(false);
	xa_destroy(&xa);
	shim_ctx = NULL;
	ck_assert_uint_eq(shim_slab_live_objects(), live);
}
END_TEST

static Suite *xarray_suite(void)
{
	Suite *s = suite_create("xarray");
	TCase *tc = tcase_create("core");

	tcase_add_loop_test(tc, test_table, 0, sizeof(cases) / sizeof(cases[0]));
	tcase_add_loop_test(tc, test_orders, 0, sizeof(orders) / sizeof(orders[0]));
	tcase_add_test(tc, test_whole_range);
	tcase_add_test(tc, test_errors);
	tcase_add_test(tc, test_destroy);
	tcase_add_test(tc, test_locked_api);
	tcase_add_test(tc, test_chunk_shift);
	tcase_add_test(tc, test_threads);
	tcase_add_test(tc, test_controlled);
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(xarray_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
