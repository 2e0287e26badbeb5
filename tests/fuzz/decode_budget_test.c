// SPDX-License-Identifier: GPL-2.0
/*
 * The fuzz decoder's page budget (tools/fuzz/fuzz_decode.c,
 * FUZZ_MAX_BULK_PAGES) holds for what the decoded trace really asks of
 * the model.  Issue 6's throughput goal rests on it: one input that
 * faults in or allocates a thousand pages costs as much as fifty that do
 * not, and two leaks (a populate whose huge npages the kernel clamps to
 * the slot's end; accesses that run past their mapping into the next one
 * or wrap around 2^64) once made a tenth of the inputs take 60% of the
 * time.
 *
 * Counted here from the decoded trace, not from the decoder's own
 * bookkeeping, in the order the decoder emits the sections (setup,
 * threads, final), over every call longer than one page (the decoder
 * shortens a call past the budget to 4K):
 *   host/guest accesses   every page the range spans, wherever it starts;
 *   populate (npages > 1) the pages from gpa inside the memslots created
 *                         so far (the kernel clamps npages to the slot);
 *   pre_fault_memory      likewise;
 *   allocating fallocate  its pages (lengths past 8M are error paths).
 * Inputs: the committed corpus and 100,000 pseudo-random byte strings
 * (fixed seed).  Argument: the source directory.
 */
#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_decode.h"

#define SZ_4K	0x1000ULL
#define SZ_8M	0x800000ULL
#define FL_PUNCH_HOLE	2

static const char *srcdir = ".";
static struct fuzz_case fc;

/* Value of @c's argument called @name. */
static uint64_t arg(const struct trace_call *c, const char *name)
{
	const struct trace_op_info *oi = trace_op_info(c->op);
	int i;

	for (i = 0; i < oi->nargs; i++)
		if (!strcmp(oi->args[i].name, name))
			return c->args[i].value;
	ck_abort_msg("%s has no argument %s", oi->name, name);
	return 0;
}

struct walk {
	uint64_t pages;
	uint64_t lo, hi;	/* hull of the memslots so far */
};

static uint64_t span_pages(uint64_t start, uint64_t len)
{
	return ((start & (SZ_4K - 1)) + len + SZ_4K - 1) / SZ_4K;
}

static uint64_t hull_pages(const struct walk *w, uint64_t start, uint64_t len)
{
	uint64_t end = len > UINT64_MAX - start ? UINT64_MAX : start + len;

	if (start < w->lo)
		start = w->lo;
	if (end > w->hi)
		end = w->hi;
	return end > start ? span_pages(start, end - start) : 0;
}

static void count_call(struct walk *w, const struct trace_call *c)
{
	uint64_t len, n;

	switch (c->op) {
	case TOP_HOST_READ:
	case TOP_HOST_WRITE:
	case TOP_GUEST_READ:
	case TOP_GUEST_WRITE:
		len = arg(c, "len");
		if (len > SZ_4K)
			w->pages += span_pages(arg(c, c->op == TOP_HOST_READ ||
						      c->op == TOP_HOST_WRITE ? "offset" : "gpa"),
					       len);
		break;
	case TOP_POPULATE:
		n = arg(c, "npages");
		if (n > 1)
			w->pages += hull_pages(w, arg(c, "gpa"),
					       n > UINT64_MAX / SZ_4K ? UINT64_MAX : n * SZ_4K);
		break;
	case TOP_PRE_FAULT_MEMORY:
		len = arg(c, "size");
		if (len > SZ_4K)
			w->pages += hull_pages(w, arg(c, "gpa"), len);
		break;
	case TOP_FALLOCATE:
		len = arg(c, "len");
		if (!(arg(c, "mode") & FL_PUNCH_HOLE) && len > SZ_4K && len <= SZ_8M)
			w->pages += (len + SZ_4K - 1) / SZ_4K;
		break;
	case TOP_SET_USER_MEMORY_REGION:
	case TOP_SET_USER_MEMORY_REGION2: {
		uint64_t gpa = arg(c, "gpa"), size = arg(c, "size");

		if (size && size <= SZ_8M && gpa <= UINT64_MAX - size) {
			if (gpa < w->lo)
				w->lo = gpa;
			if (gpa + size > w->hi)
				w->hi = gpa + size;
		}
		break;
	}
	default:
		break;
	}
}

static void count_section(struct walk *w, const struct trace_thread *s)
{
	int i;

	for (i = 0; i < s->ncalls; i++)
		count_call(w, &s->calls[i]);
}

/* Decode @data and check its pages; @what names it in a failure. */
static void check_input(const uint8_t *data, size_t len, const char *what)
{
	struct walk w = { .lo = UINT64_MAX, .hi = 0 };
	int i;

	fuzz_decode(data, len, FUZZ_MODEL, NULL, &fc);
	count_section(&w, &fc.t.setup);
	for (i = 0; i < fc.t.nthreads; i++)
		count_section(&w, &fc.t.threads[i]);
	count_section(&w, &fc.t.final);
	if (w.pages > FUZZ_MAX_BULK_PAGES) {
		char *text = trace_print(&fc.t);

		ck_abort_msg("%s: %llu pages (budget %d) in\n%s", what,
			     (unsigned long long)w.pages, FUZZ_MAX_BULK_PAGES,
			     text ? text : "?");
	}
}

START_TEST(budget_corpus)
{
	char dir[4096];
	struct dirent *de;
	DIR *d;
	int n = 0;

	snprintf(dir, sizeof(dir), "%s/tests/fuzz/corpus", srcdir);
	d = opendir(dir);
	ck_assert_msg(d, "cannot open %s", dir);
	while ((de = readdir(d))) {
		char path[8192];
		uint8_t buf[4096];
		size_t len;
		FILE *f;

		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		f = fopen(path, "rb");
		ck_assert_msg(f, "cannot open %s", path);
		len = fread(buf, 1, sizeof(buf), f);
		fclose(f);
		check_input(buf, len, path);
		n++;
	}
	closedir(d);
	ck_assert_int_gt(n, 100);
}
END_TEST

/* xorshift64: a fixed stream of inputs, the same on every run. */
static uint64_t next_rand(uint64_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

START_TEST(budget_random)
{
	uint64_t x = 0x9e3779b97f4a7c15ULL;
	uint8_t buf[256];
	char what[64];
	int i;
	size_t j, len;

	for (i = 0; i < 100000; i++) {
		len = 3 + next_rand(&x) % (sizeof(buf) - 2);
		for (j = 0; j < len; j++)
			buf[j] = (uint8_t)(next_rand(&x) >> 24);
		snprintf(what, sizeof(what), "random input %d", i);
		check_input(buf, len, what);
	}
}
END_TEST

int main(int argc, char **argv)
{
	Suite *s = suite_create("fuzz_decode_budget");
	TCase *tc = tcase_create("budget");
	SRunner *sr;
	int nf;

	if (argc > 1)
		srcdir = argv[1];
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, budget_corpus);
	tcase_add_test(tc, budget_random);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf ? 1 : 0;
}
