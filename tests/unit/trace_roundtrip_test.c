// SPDX-License-Identifier: GPL-2.0
/*
 * Round trip of the canonical printer: parse(print(x)) == x and
 * print(parse(print(x))) == print(x)
 *  - for every *.trace file under the traces directory given on the
 *    command line (globbed at run time, so traces added later count);
 *  - for random well-formed traces (trace_gen.c);
 *  - and, for random mutations of printed traces, that the parser either
 *    rejects them with a position inside the text or accepts a trace that
 *    itself round-trips.
 *
 * Usage: trace_roundtrip [-s SEED] [-n ITERATIONS] TRACES_DIR
 * The seed is printed first; rerun with -s to reproduce.
 */
#include <check.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "trace/ir.h"
#include "trace_gen.h"

static uint64_t seed;
static long iterations = 1000;
static const char *traces_dir;

/* Round-trips @t; on failure says why in @why. */
static bool roundtrip(const struct trace *t, const char *name, char *why, size_t n)
{
	struct trace_error err;
	struct trace u;
	char *s1, *s2;
	bool ok = false;

	s1 = trace_print(t);
	if (!s1) {
		snprintf(why, n, "%s: print failed", name);
		return false;
	}
	if (trace_parse_buf(name, s1, strlen(s1), &u, &err)) {
		snprintf(why, n, "%s: reparse %d:%d: %s\n%s", name, err.line, err.col, err.msg, s1);
		goto out_s1;
	}
	if (!trace_equal(t, &u)) {
		snprintf(why, n, "%s: parse(print(x)) != x\n%s", name, s1);
		goto out_u;
	}
	s2 = trace_print(&u);
	ok = s2 && !strcmp(s1, s2);
	if (!ok)
		snprintf(why, n, "%s: print not stable\n%s\n----\n%s", name, s1, s2 ? s2 : "(null)");
	free(s2);
out_u:
	trace_free(&u);
out_s1:
	free(s1);
	return ok;
}

/* ---- every trace file ---------------------------------------------------- */

static int nfiles;
static bool seen_op[TOP_NR];
static char failure[8192];

static int visit(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	struct trace_error err;
	struct trace t;
	size_t len = strlen(path);
	int s, i, op;

	if (type != FTW_F || len < 6 || strcmp(path + len - 6, ".trace"))
		return 0;
	nfiles++;
	if (trace_parse_file(path, &t, &err)) {
		snprintf(failure, sizeof(failure), "%s:%d:%d: %s", err.file, err.line, err.col,
			 err.msg);
		return 1;
	}
	if (strstr(path, "/examples/")) {
		for (s = -1; s <= t.nthreads; s++) {
			const struct trace_thread *thr = s < 0 ? &t.setup :
				s == t.nthreads ? &t.final : &t.threads[s];

			for (i = 0; i < thr->ncalls; i++) {
				op = thr->calls[i].op;
				seen_op[op] = true;
			}
		}
	}
	if (!roundtrip(&t, path, failure, sizeof(failure))) {
		trace_free(&t);
		return 1;
	}
	trace_free(&t);
	return 0;
}

START_TEST(test_trace_files)
{
	int r, op;

	ck_assert_msg(traces_dir, "no traces directory given");
	r = nftw(traces_dir, visit, 16, FTW_PHYS);
	ck_assert_msg(r == 0, "%s", failure);
	printf("trace_roundtrip: %d trace files under %s\n", nfiles, traces_dir);
	ck_assert_int_ge(nfiles, 5);
	/* The examples are the language's tour: every op appears in one. */
	for (op = TOP_INVALID + 1; op < TOP_NR; op++)
		ck_assert_msg(seen_op[op], "no example uses %s", trace_op_name(op));
}
END_TEST

/*
 * traces/README.md shows every op's signature as trace_op_signature()
 * writes it (pipes escaped for the Markdown table), and its first example
 * parses and round-trips.
 */
START_TEST(test_readme)
{
	char path[4096], sig[256], esc[512], why[4096];
	struct trace_error err;
	const char *start, *end;
	struct trace t;
	char *text;
	size_t n, i, j;
	FILE *f;
	int op;

	ck_assert_msg(traces_dir, "no traces directory given");
	snprintf(path, sizeof(path), "%s/README.md", traces_dir);
	f = fopen(path, "r");
	ck_assert_msg(f, "%s missing", path);
	text = calloc(1, 1 << 20);
	n = fread(text, 1, (1 << 20) - 1, f);
	fclose(f);
	ck_assert_int_gt(n, 0);
	for (op = TOP_INVALID + 1; op < TOP_NR; op++) {
		trace_op_signature(op, sig, sizeof(sig));
		for (i = j = 0; sig[i] && j < sizeof(esc) - 2; i++) {
			if (sig[i] == '|')
				esc[j++] = '\\';
			esc[j++] = sig[i];
		}
		esc[j] = 0;
		ck_assert_msg(strstr(text, esc), "README.md lacks `%s`", esc);
	}
	start = strstr(text, "```\n");
	ck_assert_ptr_nonnull(start);
	start += 4;
	end = strstr(start, "```");
	ck_assert_ptr_nonnull(end);
	ck_assert_msg(!trace_parse_buf("README.md", start, end - start, &t, &err), "%d:%d: %s",
		      err.line, err.col, err.msg);
	ck_assert_int_eq(t.nthreads, 2);
	ck_assert_msg(roundtrip(&t, "README.md", why, sizeof(why)), "%s", why);
	trace_free(&t);
	free(text);
}
END_TEST

/* A deep copy, so that one field can be changed without touching @t. */
static void copy_trace(struct trace *dst, const struct trace *src)
{
	struct trace_thread *d[TRACE_MAX_THREADS + 2];
	const struct trace_thread *s[TRACE_MAX_THREADS + 2];
	int i, n = 0;

	*dst = *src;
	d[n] = &dst->setup;
	s[n++] = &src->setup;
	d[n] = &dst->final;
	s[n++] = &src->final;
	for (i = 0; i < src->nthreads; i++) {
		d[n] = &dst->threads[i];
		s[n++] = &src->threads[i];
	}
	for (i = 0; i < n; i++) {
		d[i]->calls = malloc((s[i]->ncalls + 1) * sizeof(*s[i]->calls));
		memcpy(d[i]->calls, s[i]->calls, s[i]->ncalls * sizeof(*s[i]->calls));
	}
}

/* trace_equal() notices a change in each thing the text says. */
START_TEST(test_equal_detects)
{
	static const char text[] =
		"requires: vm=SW_PROTECTED cap=MEMORY_ATTRIBUTES cap=PRE_FAULT_MEMORY>=2 profile=7.1\n"
		"setup:\n"
		"\tvm = vm_create(SW_PROTECTED)\n"
		"\tcpu = vcpu_create(vm)\n"
		"\tgmem = create_guest_memfd(vm, 2M)\n"
		"thread convert:\n"
		"\tset_memory_attributes(vm, 0x1000, 4K, PRIVATE) -> 0\n"
		"thread access:\n"
		"\tguest_read(cpu, 0x1000, 4K) -> 0x22 | exit(MEMORY_FAULT, gpa=0x1000, size=4K) EFAULT\n"
		"\tguest_read(cpu, 0x2000)\n"
		"final:\n"
		"\tset_memory_attributes(vm, 0x1000, 4K, 0, flags=1) -> EINVAL\n";
	struct trace t, u;
	struct trace_error err;
	int k;

	ck_assert_msg(!trace_parse_buf("eq", text, sizeof(text) - 1, &t, &err), "%d:%d: %s",
		      err.line, err.col, err.msg);
	for (k = 0; k < 16; k++) {
		struct trace_call *c;

		copy_trace(&u, &t);
		ck_assert(trace_equal(&t, &u));
		c = &u.threads[1].calls[0];
		switch (k) {
		case 0: u.req.vm_types ^= 1; break;
		case 1: u.req.caps[1][1]++; break;
		case 2: u.req.profile[0] = 'x'; break;
		case 3: u.handles[2].name[0] ^= 1; break;
		case 4: u.threads[0].name[0] ^= 1; break;
		case 5: c->op = TOP_HOST_READ; break;
		case 6: c->args[1].value++; break;
		case 7: c->args[0].handle = 0; break;
		case 8: c->expect.nalts = 1; break;
		case 9: c->expect.alt[0].value = 0x23; break;
		case 10: c->expect.alt[1].mf_size++; break;
		case 11: c->expect.alt[1].has_err = false; break;
		case 12: c->bind = 0; break;
		case 13: u.threads[1].ncalls--; break;
		case 14: u.req.backends = 1; break;
		case 15: u.final.calls[0].args[4].value = 2; break;
		}
		ck_assert_msg(!trace_equal(&t, &u), "change %d not noticed", k);
		ck_assert_msg(!trace_equal(&u, &t), "change %d not noticed", k);
		trace_free(&u);
	}
	/* What the text does not say is not compared. */
	copy_trace(&u, &t);
	u.path[0] = 0;
	u.threads[1].calls[0].line = 1000;
	u.threads[1].calls[0].expect.alt[0].ret = 5;	/* has_ret is false */
	u.threads[1].calls[1].args[5].value = 1;	/* guest_read has 4 arguments */
	ck_assert(trace_equal(&t, &u));
	trace_free(&u);
	trace_free(&t);
}
END_TEST

/* ---- random traces ------------------------------------------------------- */

START_TEST(test_random)
{
	struct trace_rng r = { .s = seed ? seed : 1 };
	static char why[1 << 16];
	struct trace t;
	long i;

	for (i = 0; i < iterations; i++) {
		ck_assert_int_eq(trace_gen(&r, &t), 0);
		ck_assert_msg(roundtrip(&t, "random", why, sizeof(why)),
			      "seed %llu iteration %ld: %s", (unsigned long long)seed, i, why);
		trace_free(&t);
	}
}
END_TEST

static size_t mutate(struct trace_rng *r, char *buf, size_t len, size_t cap)
{
	static const char alphabet[] = "()=,|+*-> :#\n\t0xKMGT9aZ_\r";
	size_t at, n;
	int k, rounds = 1 + trace_rng_below(r, 4);

	for (k = 0; k < rounds && len; k++) {
		at = trace_rng_below(r, len);
		switch (trace_rng_below(r, 5)) {
		case 0:		/* flip a byte */
			buf[at] ^= 1 << trace_rng_below(r, 8);
			break;
		case 1:		/* insert a grammar character */
			if (len + 1 >= cap)
				break;
			memmove(buf + at + 1, buf + at, len - at);
			buf[at] = alphabet[trace_rng_below(r, sizeof(alphabet) - 1)];
			len++;
			break;
		case 2:		/* delete a run */
			n = 1 + trace_rng_below(r, 8);
			if (at + n > len)
				n = len - at;
			memmove(buf + at, buf + at + n, len - at - n);
			len -= n;
			break;
		case 3:		/* duplicate a run (repeats lines, handles, threads) */
			n = 1 + trace_rng_below(r, 64);
			if (at + n > len)
				n = len - at;
			if (len + n >= cap)
				break;
			memmove(buf + at + n, buf + at, len - at);
			len += n;
			break;
		default:	/* a digit run that may overflow */
			if (len + 20 >= cap)
				break;
			memmove(buf + at + 20, buf + at, len - at);
			memset(buf + at, '9', 20);
			len += 20;
			break;
		}
	}
	return len;
}

START_TEST(test_mutations)
{
	struct trace_rng r = { .s = (seed ? seed : 1) ^ 0x9e3779b97f4a7c15ull };
	static char why[1 << 16];
	struct trace_error err;
	struct trace t, u;
	size_t len, cap, lines;
	long i, accepted = 0;
	char *s, *buf;

	for (i = 0; i < iterations; i++) {
		ck_assert_int_eq(trace_gen(&r, &t), 0);
		s = trace_print(&t);
		ck_assert_ptr_nonnull(s);
		len = strlen(s);
		cap = len * 2 + 256;
		buf = malloc(cap);
		memcpy(buf, s, len);
		len = mutate(&r, buf, len, cap);
		lines = 1;
		for (size_t j = 0; j < len; j++)
			lines += buf[j] == '\n';
		if (trace_parse_buf("mutant", buf, len, &u, &err)) {
			ck_assert_msg(err.line >= 1 && (size_t)err.line <= lines && err.col >= 1 &&
				      err.col <= TRACE_MAX_LINE + 1 && !strncmp(err.msg, "expected ", 9),
				      "seed %llu iteration %ld: %d:%d: %s", (unsigned long long)seed,
				      i, err.line, err.col, err.msg);
		} else {
			accepted++;
			ck_assert_msg(roundtrip(&u, "mutant", why, sizeof(why)),
				      "seed %llu iteration %ld: %s", (unsigned long long)seed, i, why);
			trace_free(&u);
		}
		free(buf);
		free(s);
		trace_free(&t);
	}
	printf("trace_roundtrip: %ld of %ld mutants parsed\n", accepted, iterations);
}
END_TEST

int main(int argc, char **argv)
{
	Suite *s = suite_create("trace_roundtrip");
	TCase *tc = tcase_create("roundtrip");
	SRunner *sr;
	int opt, nfail;

	seed = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32);
	while ((opt = getopt(argc, argv, "s:n:")) != -1) {
		switch (opt) {
		case 's':
			seed = strtoull(optarg, NULL, 0);
			break;
		case 'n':
			iterations = strtol(optarg, NULL, 0);
			break;
		default:
			fprintf(stderr, "usage: %s [-s SEED] [-n ITERATIONS] TRACES_DIR\n", argv[0]);
			return 2;
		}
	}
	printf("seed %llu\n", (unsigned long long)seed);
	fflush(stdout);
	traces_dir = optind < argc ? argv[optind] : NULL;
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_trace_files);
	tcase_add_test(tc, test_readme);
	tcase_add_test(tc, test_equal_detects);
	tcase_add_test(tc, test_random);
	tcase_add_test(tc, test_mutations);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	nfail = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nfail ? 1 : 0;
}
