// SPDX-License-Identifier: GPL-2.0
/*
 * Randomized differential test of model/lib/xarray.c against a trivially
 * correct reference: a sorted array of disjoint [first, last] blocks, each an
 * aligned power of two, with the multi-index semantics of <linux/xarray.h>:
 *   - storing a block replaces every entry inside it (their marks merge into
 *     the new entry); if one entry covers more than the block, that entry
 *     takes the new value over its whole extent and keeps its marks;
 *   - storing NULL removes every entry meeting the block;
 *   - xa_store_range() is the greedy cover by largest aligned blocks.
 * Every operation's result is compared; every 8192 operations the whole
 * content (xa_for_each and xa_for_each_marked) and xa_check() are too.
 * Some stores run with an injected node allocation failure: one that fails
 * with -ENOMEM must leave the array unchanged.
 *
 * Usage: xarray_diff [-s SEED] [-n OPS].  Prints the seed first.  Runs in a
 * few seconds for the default 10^6 operations (ASan+UBSan).
 */
#include <check.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <linux/xarray.h>
#include <shim/slab.h>

static uint64_t opt_seed;
static unsigned long opt_ops = 1000000;
static unsigned long opt_watch;		/* -w INDEX: compare it after every op */
static bool opt_watching;
static unsigned long opt_dump_op = ULONG_MAX;	/* -d OP: dump around op OP */

/* ---- random ---- */

static uint64_t rng_state;

static uint64_t rnd(void)
{
	/* xorshift64* */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 2685821657736338717ULL;
}

static unsigned long rnd_below(unsigned long n)
{
	return n ? rnd() % n : 0;
}

static unsigned long rnd_index(void)
{
	unsigned long r = rnd_below(100);

	if (r < 85)
		return rnd_below(1UL << 21);
	if (r < 95)
		return ULONG_MAX - rnd_below(1UL << 20);
	return rnd();
}

/* Values and (aligned, non-internal) pointers, few enough to collide. */
static void *rnd_entry(void)
{
	unsigned long r = rnd_below(100);

	if (r < 8)
		return NULL;
	if (r < 28)
		return (void *)(0x100000UL + 8 * rnd_below(64));
	return xa_mk_value(rnd_below(200));
}

/* ---- reference ---- */

struct ref_ent {
	unsigned long first, last;
	void *entry;		/* raw: XA_ZERO_ENTRY for reservations */
	unsigned int marks;
};

static struct ref_ent *ref;
static size_t nref, capref;

/* First entry whose last index is >= @index. */
static size_t ref_lower(unsigned long index)
{
	size_t lo = 0, hi = nref;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (ref[mid].last < index)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static struct ref_ent *ref_at(unsigned long index)
{
	size_t i = ref_lower(index);

	return i < nref && ref[i].first <= index ? &ref[i] : NULL;
}

static void *ref_raw(unsigned long index)
{
	struct ref_ent *e = ref_at(index);

	return e ? e->entry : NULL;
}

static void *zero_to_null(void *entry)
{
	return xa_is_zero(entry) ? NULL : entry;
}

/*
 * Move the tail ref[@from..] to @to (closing or opening a gap).  A plain
 * loop without ASan checks (and kept from becoming a memmove call, see
 * xarray.cmake): ASan's memmove is a byte loop and made this test slow.
 */
__attribute__((no_sanitize("address")))
static void ref_move(size_t to, size_t from)
{
	size_t k, n = nref - from;

	if (to < from)
		for (k = 0; k < n; k++)
			ref[to + k] = ref[from + k];
	else if (to > from)
		for (k = n; k-- > 0; )
			ref[to + k] = ref[from + k];
	nref = to + n;
}

static void ref_store_block(unsigned long first, unsigned int order, void *entry)
{
	unsigned long last = order >= BITS_PER_LONG ? ULONG_MAX : first + ((1UL << order) - 1);
	size_t i = ref_lower(first), j;
	unsigned int marks = 0;

	if (!ref) {
		capref = 1024;
		ref = malloc(capref * sizeof(*ref));
		ck_assert_ptr_nonnull(ref);
	}
	if (i < nref && ref[i].first <= first && ref[i].last >= last &&
	    (ref[i].first < first || ref[i].last > last)) {
		if (entry) {
			ref[i].entry = entry;
		} else {
			ref_move(i, i + 1);
		}
		return;
	}
	for (j = i; j < nref && ref[j].first <= last; j++) {
		ck_assert_msg(ref[j].first >= first && ref[j].last <= last,
			      "reference: blocks do not nest");
		marks |= ref[j].marks;
	}
	if (!entry) {
		ref_move(i, j);
		return;
	}
	if (nref == capref) {
		capref *= 2;
		ref = realloc(ref, capref * sizeof(*ref));
		ck_assert_ptr_nonnull(ref);
	}
	ref_move(i + 1, j);
	ref[i] = (struct ref_ent){ first, last, entry, marks };
}

static void ref_store_range(unsigned long first, unsigned long last, void *entry)
{
	for (;;) {
		unsigned int order = BITS_PER_LONG;

		/* Largest aligned block at @first that ends by @last. */
		while (order &&
		       ((order < BITS_PER_LONG && (first & ((1UL << order) - 1))) ||
			(order == BITS_PER_LONG && (first || last != ULONG_MAX)) ||
			(order < BITS_PER_LONG && last - first < (1UL << order) - 1)))
			order--;
		ref_store_block(first, order, entry);
		if (order == BITS_PER_LONG || first + ((1UL << order) - 1) >= last)
			return;
		first += 1UL << order;
	}
}

static bool ref_matches(const struct ref_ent *e, xa_mark_t filter)
{
	if (xa_is_zero(e->entry))
		return false;
	return filter == XA_PRESENT || (e->marks >> filter) & 1;
}

static void *ref_find(unsigned long *indexp, unsigned long max, xa_mark_t filter)
{
	size_t i;

	for (i = ref_lower(*indexp); i < nref && ref[i].first <= max; i++) {
		if (!ref_matches(&ref[i], filter))
			continue;
		if (ref[i].first > *indexp)
			*indexp = ref[i].first;
		return ref[i].entry;
	}
	return NULL;
}

static void *ref_find_after(unsigned long *indexp, unsigned long max, xa_mark_t filter)
{
	size_t i;

	if (*indexp == ULONG_MAX)
		return NULL;
	for (i = ref_lower(*indexp + 1); i < nref && ref[i].first <= max; i++) {
		if (ref[i].first <= *indexp || !ref_matches(&ref[i], filter))
			continue;
		*indexp = ref[i].first;
		return ref[i].entry;
	}
	return NULL;
}

/* ---- the run ---- */

static DEFINE_XARRAY(xa);
static unsigned long op_nr;

#define CHECK(cond, fmt, ...) do {						\
	if (!(cond)) {								\
		xa_dump(&xa);							\
		ck_abort_msg("seed %" PRIu64 " op %lu: " fmt, opt_seed, op_nr,	\
			     ##__VA_ARGS__);					\
	}									\
} while (0)

static void compare_all(void)
{
	unsigned long index, k = 0;
	xa_mark_t mark;
	void *entry;

	CHECK(xa_check(&xa), "xa_check");
	CHECK(xa_empty(&xa) == (nref == 0), "xa_empty %d, reference has %zu",
	      xa_empty(&xa), nref);
	xa_for_each(&xa, index, entry) {
		while (k < nref && xa_is_zero(ref[k].entry))
			k++;
		CHECK(k < nref && index == ref[k].first && entry == ref[k].entry,
		      "for_each: %#lx %p, reference %#lx %p", index, entry,
		      k < nref ? ref[k].first : 0, k < nref ? ref[k].entry : NULL);
		k++;
	}
	while (k < nref && xa_is_zero(ref[k].entry))
		k++;
	CHECK(k == nref, "for_each ended early at reference %lu of %zu", k, nref);
	for (mark = 0; mark < XA_MAX_MARKS; mark++) {
		unsigned long ri = 0;
		void *rentry = ref_find(&ri, ULONG_MAX, mark);

		xa_for_each_marked(&xa, index, entry, mark) {
			CHECK(entry == rentry && index == ri,
			      "for_each_marked(%u): %#lx %p, reference %#lx %p",
			      mark, index, entry, ri, rentry);
			rentry = ref_find_after(&ri, ULONG_MAX, mark);
		}
		CHECK(rentry == NULL, "for_each_marked(%u) ended early", mark);
	}
}

static int ref_order(unsigned long index)
{
	struct ref_ent *e = ref_at(index);

	if (!e)
		return 0;
	if (e->last - e->first == ULONG_MAX)
		return BITS_PER_LONG;
	return __builtin_ctzl(e->last - e->first + 1);
}

static unsigned long last_r, last_index;	/* for -w reports */
static unsigned long nr_enomem;			/* injected failures seen */

static void one_op(void)
{
	unsigned long index = rnd_index(), r = rnd_below(1000);
	void *entry = rnd_entry(), *got, *want;
	unsigned int order;

	last_r = r;
	last_index = index;

	if (r < 200) {				/* xa_store */
		bool inject = rnd_below(40) == 0;

		want = zero_to_null(ref_raw(index));
		if (inject)	/* fail the 1st..3rd node allocation, if any */
			shim_slab_fail_after(1 + rnd_below(3));
		got = xa_store(&xa, index, entry, rnd_below(2) ? GFP_KERNEL : GFP_NOWAIT);
		if (inject) {
			shim_slab_fail_after(0);
			if (xa_err(got) == -ENOMEM) {
				nr_enomem++;
				return;	/* must have changed nothing: compare_all */
			}
		}
		ref_store_block(index, 0, entry);
		CHECK(got == want, "store %#lx %p: %p, want %p", index, entry, got, want);
	} else if (r < 300) {			/* xa_store_range */
		unsigned long len, last;

		order = rnd_below(19);
		len = (1UL << order) + (rnd_below(4) ? 0 : rnd_below(1UL << order));
		if (rnd_below(2))
			index &= ~((1UL << order) - 1);
		last = index + len - 1 < index ? ULONG_MAX : index + len - 1;
		if (opt_watching)
			printf("op %lu: store_range %#lx-%#lx %p\n", op_nr, index, last, entry);
		got = xa_store_range(&xa, index, last, entry, GFP_KERNEL);
		ref_store_range(index, last, entry);
		CHECK(got == NULL, "store_range %#lx-%#lx: %p", index, last, got);
	} else if (r < 350) {			/* xa_store_order */
		order = rnd_below(10) ? rnd_below(19) : 19 + rnd_below(46);
		if (order < BITS_PER_LONG)
			index &= ~((1UL << order) - 1);
		else
			index = 0;
		if (order > 20 && entry)	/* keep big stores rare */
			order = 20;
		if (rnd_below(20) == 0) {
			shim_slab_fail_after(1 + rnd_below(4));
			got = xa_store_order(&xa, index, order, entry, GFP_KERNEL);
			shim_slab_fail_after(0);
			if (xa_err(got) == -ENOMEM) {
				nr_enomem++;
				return;
			}
		} else {
			got = xa_store_order(&xa, index, order, entry, GFP_KERNEL);
		}
		ref_store_block(index, order, entry);
		CHECK(!xa_is_err(got), "store_order %#lx/%u: %p", index, order, got);
	} else if (r < 480) {			/* xa_erase */
		want = zero_to_null(ref_raw(index));
		got = xa_erase(&xa, index);
		ref_store_block(index, 0, NULL);
		CHECK(got == want, "erase %#lx: %p, want %p", index, got, want);
	} else if (r < 560) {			/* xa_cmpxchg */
		void *old = rnd_below(2) ? ref_raw(index) : rnd_entry();
		void *curr = ref_raw(index);

		if (rnd_below(10) == 0)
			entry = XA_ZERO_ENTRY;
		got = xa_cmpxchg(&xa, index, old, entry, GFP_KERNEL);
		if (curr == old)
			ref_store_block(index, 0, entry);
		CHECK(got == zero_to_null(curr), "cmpxchg %#lx %p->%p: %p, want %p",
		      index, old, entry, got, curr);
	} else if (r < 610) {			/* xa_insert */
		int err = xa_insert(&xa, index, entry, GFP_KERNEL);
		int werr = ref_raw(index) ? -EBUSY : 0;

		if (!werr)
			ref_store_block(index, 0, entry ? entry : XA_ZERO_ENTRY);
		CHECK(err == werr, "insert %#lx: %d, want %d", index, err, werr);
	} else if (r < 650) {			/* xa_reserve */
		int err = xa_reserve(&xa, index, GFP_KERNEL);

		if (!ref_raw(index))
			ref_store_block(index, 0, XA_ZERO_ENTRY);
		CHECK(err == 0, "reserve %#lx: %d", index, err);
	} else if (r < 680) {			/* xa_release */
		xa_release(&xa, index);
		if (xa_is_zero(ref_raw(index)))
			ref_store_block(index, 0, NULL);
	} else if (r < 760) {			/* marks */
		xa_mark_t mark = rnd_below(XA_MAX_MARKS);
		struct ref_ent *e = ref_at(index);
		bool rset = e && (e->marks >> mark) & 1;

		switch (rnd_below(3)) {
		case 0:
			xa_set_mark(&xa, index, mark);
			if (e)
				e->marks |= 1U << mark;
			break;
		case 1:
			xa_clear_mark(&xa, index, mark);
			if (e)
				e->marks &= ~(1U << mark);
			break;
		default:
			CHECK(xa_get_mark(&xa, index, mark) == rset,
			      "get_mark %#lx %u: want %d", index, mark, rset);
		}
	} else if (r < 880) {			/* xa_load, xa_get_order */
		struct ref_ent *e = ref_at(index);

		want = e ? zero_to_null(e->entry) : NULL;
		got = xa_load(&xa, index);
		CHECK(got == want, "load %#lx: %p, want %p", index, got, want);
		order = e ? (e->last - e->first == ULONG_MAX ? BITS_PER_LONG :
			     (unsigned int)__builtin_ctzl(e->last - e->first + 1)) : 0;
		CHECK(xa_get_order(&xa, index) == (int)order, "get_order %#lx: %d, want %u",
		      index, xa_get_order(&xa, index), order);
	} else if (r < 960) {			/* xa_find, xa_find_after */
		xa_mark_t filter = rnd_below(4) ? XA_PRESENT : rnd_below(XA_MAX_MARKS);
		unsigned long max = rnd_below(4) ? ULONG_MAX : index + rnd_below(1UL << 20);
		unsigned long i1 = index, i2 = index;
		bool after = rnd_below(2);

		if (max < index)
			max = ULONG_MAX;
		got = after ? xa_find_after(&xa, &i1, max, filter) :
			      xa_find(&xa, &i1, max, filter);
		want = after ? ref_find_after(&i2, max, filter) :
			       ref_find(&i2, max, filter);
		CHECK(got == want && (!got || i1 == i2),
		      "find%s %#lx..%#lx/%u: %p at %#lx, want %p at %#lx",
		      after ? "_after" : "", index, max, filter, got, i1, want, i2);
	} else if (r < 999) {			/* xa_for_each_range, bounded */
		unsigned long last = index + rnd_below(1UL << 16), i2 = index, n = 0;
		unsigned long i1;

		if (last < index)
			last = ULONG_MAX;
		want = ref_find(&i2, last, XA_PRESENT);
		xa_for_each_range(&xa, i1, got, index, last) {
			CHECK(got == want && i1 == i2, "for_each_range %#lx-%#lx: %p at %#lx, want %p at %#lx",
			      index, last, got, i1, want, i2);
			if (++n == 64)
				break;
			want = ref_find_after(&i2, last, XA_PRESENT);
		}
		if (n < 64)
			CHECK(want == NULL, "for_each_range %#lx-%#lx ended early", index, last);
	} else {				/* wipe everything, rarely */
		if (rnd_below(20) == 0) {
			xa_store_range(&xa, 0, ULONG_MAX, NULL, GFP_KERNEL);
			nref = 0;
		}
	}
}

START_TEST(test_diff)
{
	unsigned long live = shim_slab_live_objects();

	rng_state = opt_seed ? opt_seed : 1;
	for (op_nr = 0; op_nr < opt_ops; op_nr++) {
		if (op_nr == opt_dump_op)
			xa_dump(&xa);
		one_op();
		if (op_nr == opt_dump_op)
			xa_dump(&xa);
		if (opt_watching)
			CHECK(xa_load(&xa, opt_watch) == zero_to_null(ref_raw(opt_watch)) &&
			      xa_get_order(&xa, opt_watch) == ref_order(opt_watch),
			      "watched index %#lx differs after op kind %lu at %#lx",
			      opt_watch, last_r, last_index);
		if (op_nr % 8192 == 0)
			compare_all();
	}
	compare_all();
	printf("xarray_diff: %lu ops (%lu failed -ENOMEM as injected), %zu entries at the end, %lu nodes, chunk shift %d\n",
	       opt_ops, nr_enomem, nref, xa_nr_nodes(&xa), XA_CHUNK_SHIFT);
	xa_destroy(&xa);
	nref = 0;
	ck_assert_uint_eq(shim_slab_live_objects(), live);
}
END_TEST

int main(int argc, char **argv)
{
	SRunner *sr;
	Suite *s;
	TCase *tc;
	int c, failed;

	opt_seed = (uint64_t)time(NULL) ^ ((uint64_t)clock() << 32);
	while ((c = getopt(argc, argv, "s:n:w:d:")) != -1) {
		switch (c) {
		case 's':
			opt_seed = strtoull(optarg, NULL, 0);
			break;
		case 'n':
			opt_ops = strtoul(optarg, NULL, 0);
			break;
		case 'd':
			opt_dump_op = strtoul(optarg, NULL, 0);
			break;
		case 'w':
			opt_watch = strtoul(optarg, NULL, 0);
			opt_watching = true;
			break;
		default:
			fprintf(stderr, "usage: %s [-s SEED] [-n OPS] [-w INDEX] [-d OP]\n", argv[0]);
			return 2;
		}
	}
	printf("seed %" PRIu64 "\n", opt_seed);
	fflush(stdout);

	s = suite_create("xarray_diff");
	tc = tcase_create("diff");
	tcase_add_test(tc, test_diff);
	tcase_set_timeout(tc, 280);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
