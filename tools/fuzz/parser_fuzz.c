// SPDX-License-Identifier: GPL-2.0
/*
 * Fuzz target for the trace parser (sim/trace/parse.c) and printer.
 *
 * Property, for any bytes: trace_parse_buf() returns without crashing,
 * hanging or leaking; an error carries "expected ..." and a position inside
 * the input; a trace it accepts prints to text that parses back to an
 * equal trace and prints identically again; a result made from any written
 * expectation matches it.  Any violation aborts.
 *
 * Built two ways (tools/fuzz/sources.cmake): with -fsanitize=fuzzer as the
 * libFuzzer target parser_fuzz (GMEMSIM_FUZZ=ON), and with
 * PARSER_FUZZ_REPLAY as parser_fuzz_replay, whose main() runs every file
 * (or every file under every directory) named on the command line through
 * the same function, so CTest replays the committed corpus.
 */
#include <ftw.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "trace/ir.h"

static void check_error(const uint8_t *data, size_t size, const struct trace_error *err)
{
	size_t lines = 1, i;

	for (i = 0; i < size; i++)
		lines += data[i] == '\n';
	if (strncmp(err->msg, "expected ", 9) || err->line < 1 || (size_t)err->line > lines ||
	    err->col < 1 || err->col > TRACE_MAX_LINE + 1) {
		fprintf(stderr, "bad error report %s:%d:%d: %s\n", err->file, err->line,
			err->col, err->msg);
		abort();
	}
}

/*
 * A result built from an expectation's alternative must match it, and
 * format without overrunning.
 */
static void check_results(const struct trace_thread *thr)
{
	const struct trace_expect_alt *a;
	struct trace_result r;
	char text[64];
	int i, j;

	for (i = 0; i < thr->ncalls; i++) {
		for (j = 0; j < thr->calls[i].expect.nalts; j++) {
			a = &thr->calls[i].expect.alt[j];
			trace_result_init(&r);
			r.kind = a->kind;
			r.ret = a->has_ret ? a->ret : 0;
			r.err = a->has_err ? a->err : 0;
			r.value = a->has_value ? a->value : -2;
			r.exit_reason = a->exit_reason;
			r.mf_gpa = a->mf_gpa;
			r.mf_size = a->mf_size;
			r.mf_flags = a->mf_flags;
			r.remaining = a->remaining;
			if (!trace_result_matches(&thr->calls[i].expect, &r))
				abort();
			trace_result_format(&r, text, sizeof(text));
			if (strlen(text) >= sizeof(text))
				abort();
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct trace t, u;
	struct trace_error err;
	char *s1, *s2;

	if (trace_parse_buf("fuzz", (const char *)data, size, &t, &err)) {
		check_error(data, size, &err);
		return 0;
	}
	s1 = trace_print(&t);
	if (!s1)
		abort();
	if (trace_parse_buf("reprint", s1, strlen(s1), &u, &err)) {
		fprintf(stderr, "reprint does not parse: %d:%d: %s\n%s", err.line, err.col,
			err.msg, s1);
		abort();
	}
	if (!trace_equal(&t, &u)) {
		fprintf(stderr, "parse(print(x)) != x\n%s", s1);
		abort();
	}
	s2 = trace_print(&u);
	if (!s2 || strcmp(s1, s2)) {
		fprintf(stderr, "print(parse(print(x))) != print(x)\n%s\n----\n%s", s1,
			s2 ? s2 : "(null)");
		abort();
	}
	check_results(&t.setup);
	for (int i = 0; i < t.nthreads; i++)
		check_results(&t.threads[i]);
	check_results(&t.final);
	free(s2);
	free(s1);
	trace_free(&u);
	trace_free(&t);
	return 0;
}

#ifdef PARSER_FUZZ_REPLAY
static int nfiles;

static int replay_one(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	uint8_t *buf;
	size_t got;
	FILE *f;

	if (type != FTW_F)
		return 0;
	f = fopen(path, "rb");
	if (!f) {
		perror(path);
		return 1;
	}
	buf = malloc(st->st_size ? st->st_size : 1);
	if (!buf) {
		fclose(f);
		return 1;
	}
	got = fread(buf, 1, st->st_size, f);
	fclose(f);
	LLVMFuzzerTestOneInput(buf, got);
	free(buf);
	nfiles++;
	return 0;
}

int main(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++) {
		if (nftw(argv[i], replay_one, 16, FTW_PHYS)) {
			fprintf(stderr, "%s: cannot replay\n", argv[i]);
			return 1;
		}
	}
	printf("parser_fuzz_replay: %d inputs, no failure\n", nfiles);
	return nfiles ? 0 : 1;
}
#endif
