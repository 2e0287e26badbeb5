// SPDX-License-Identifier: GPL-2.0
/*
 * gmemsim diff detects a difference: conformance traces on which the model
 * and the host agree (tests/kvm/diff.cmake runs every one of them) are run
 * again with one model result deliberately switched, through diff_trace()'s
 * tamper hook and through the CLI's hidden --tamper option.  The switched
 * call, and only it, must be reported, and the CLI must exit 1.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <check.h>

#include "backend/kvm/kvm_util.h"
#include "explore/diff.h"
#include "explore/explore.h"
#include "trace/ir.h"

#define CORPUS	GMEMSIM_CONFORMANCE_DIR

/*
 * One row: in trace @file, the first line containing @call is switched;
 * diff must name that line and call and say @why.
 */
static const struct tamper_row {
	const char *file;
	const char *call;
	const char *why;
} tamper_rows[] = {
	{ "gm-08-19-fallocate.trace", "fallocate(g, KEEP_SIZE, 0xfff, 4K) -> EINVAL", "errno" },
	{ "gm-01-04-file-ops.trace", "fstat(g1) -> 16K", "result kind" },
	{ "gm-01-04-file-ops.trace", "pread(g0, 4K, 0) -> ESPIPE", "errno" },
	{ "gm-34-35-guest.trace", "guest_read(cpu, 0x10f000, 4K) -> 0xaa", "data read" },
	{ "gm-20-26-mmap.trace", "host_read(big, 16K, 1) -> SIGBUS", "result kind" },
	{ "gm-20-26-mmap.trace", "host_read(m, 0, 4K) -> 0x00", "data read" },
	{ "smr-18-20-vcpu.trace", "guest_exec(cpu, 0x100000) -> exit(INTERNAL_ERROR)", "exit fields" },
	{ "smr-14-17-overlap.trace", "guest_memfd_offset=3M) -> EEXIST", "errno" },
};

static int tamper_line;

static void tamper_one(const struct trace_call *c, struct trace_result *r)
{
	if (c->line == tamper_line)
		diff_tamper_switch(r);
}

static void corpus_path(char *buf, size_t len, const char *file)
{
	snprintf(buf, len, "%s/%s", CORPUS, file);
}

/* 1-based number of the first line of @path containing @needle. */
static int line_of(const char *path, const char *needle)
{
	char line[4096];
	FILE *f = fopen(path, "r");
	int n = 0, found = 0;

	ck_assert_msg(f, "%s: %s", path, strerror(errno));
	while (!found && fgets(line, sizeof(line), f)) {
		n++;
		if (strstr(line, needle))
			found = n;
	}
	fclose(f);
	ck_assert_msg(found, "%s: no line contains '%s'", path, needle);
	return found;
}

/* diff_trace() of @path with line @line switched: its output, its counts. */
static char *diff_output(const char *path, int line, int *ndiff, int *nskip)
{
	struct trace_error err;
	struct trace *t = calloc(1, sizeof(*t));
	char *text = NULL;
	size_t len = 0;
	FILE *out;
	int rc;

	ck_assert_ptr_nonnull(t);
	ck_assert_msg(!trace_parse_file(path, t, &err), "%s:%d:%d: %s", err.file, err.line,
		      err.col, err.msg);
	out = open_memstream(&text, &len);
	ck_assert_ptr_nonnull(out);
	tamper_line = line;
	rc = diff_trace(t, NULL, line ? tamper_one : NULL, out, ndiff, nskip);
	fclose(out);
	ck_assert_msg(rc == 0, "%s: diff_trace() = %d", path, rc);
	trace_free(t);
	free(t);
	return text;
}

START_TEST(untampered_is_clean)
{
	const struct tamper_row *row = &tamper_rows[_i];
	char path[512], *text;
	int ndiff, nskip;

	corpus_path(path, sizeof(path), row->file);
	text = diff_output(path, 0, &ndiff, &nskip);
	ck_assert_msg(ndiff == 0, "%s: %d differences without tampering:\n%s", row->file,
		      ndiff, text);
	free(text);
}
END_TEST

START_TEST(tampered_call_is_reported)
{
	const struct tamper_row *row = &tamper_rows[_i];
	char path[512], want[600], *text;
	int line, ndiff, nskip;

	corpus_path(path, sizeof(path), row->file);
	line = line_of(path, row->call);
	text = diff_output(path, line, &ndiff, &nskip);
	ck_assert_msg(ndiff == 1, "%s:%d: %d differences, expected exactly the switched call:\n%s",
		      row->file, line, ndiff, text);
	snprintf(want, sizeof(want), "%s:%d: ", path, line);
	ck_assert_msg(strstr(text, want), "output does not name %s:%d:\n%s", row->file, line,
		      text);
	snprintf(want, sizeof(want), ": %s differs: model ", row->why);
	ck_assert_msg(strstr(text, want), "output does not say '%s':\n%s", want, text);
	free(text);
}
END_TEST

/* Run gmemsim_cmd_diff() with stdout captured in @buf; returns its exit code. */
static int run_cli(int argc, char **argv, char *buf, size_t len)
{
	char tmpl[] = "/tmp/gmemsim-diff-XXXXXX";
	int fd = mkstemp(tmpl), saved, rc;
	ssize_t n;

	ck_assert_int_ge(fd, 0);
	unlink(tmpl);
	fflush(stdout);
	saved = dup(STDOUT_FILENO);
	ck_assert_int_ge(saved, 0);
	ck_assert_int_ge(dup2(fd, STDOUT_FILENO), 0);
	rc = gmemsim_cmd_diff(argc, argv);
	fflush(stdout);
	dup2(saved, STDOUT_FILENO);
	close(saved);
	n = pread(fd, buf, len - 1, 0);
	buf[n > 0 ? n : 0] = '\0';
	close(fd);
	return rc;
}

START_TEST(cli_exit_codes)
{
	const struct tamper_row *row = &tamper_rows[0];
	char path[512], lbuf[16], out[8192], want[600];
	char *clean[] = { "diff", path, NULL };
	char *tampered[] = { "diff", "--tamper", lbuf, path, NULL };
	char *bad[] = { "diff", "--tamper", "x1", path, NULL };
	int line, rc;

	corpus_path(path, sizeof(path), row->file);
	line = line_of(path, row->call);
	snprintf(lbuf, sizeof(lbuf), "%d", line);

	rc = run_cli(2, clean, out, sizeof(out));
	ck_assert_msg(rc == GMEMSIM_EXIT_OK, "clean diff exit %d:\n%s", rc, out);

	rc = run_cli(4, tampered, out, sizeof(out));
	ck_assert_msg(rc == GMEMSIM_EXIT_VIOLATION, "tampered diff exit %d, expected 1:\n%s",
		      rc, out);
	snprintf(want, sizeof(want), "%s:%d: fallocate(", path, line);
	ck_assert_msg(strstr(out, want), "output does not name the call '%s':\n%s", want, out);
	ck_assert_msg(strstr(out, "1 difference,"), "no summary line:\n%s", out);

	rc = run_cli(4, bad, out, sizeof(out));
	ck_assert_int_eq(rc, GMEMSIM_EXIT_USAGE);
}
END_TEST

int main(void)
{
	Suite *s;
	TCase *tc;
	SRunner *sr;
	int failed, n = (int)(sizeof(tamper_rows) / sizeof(tamper_rows[0]));

	if (!kvm_available()) {
		printf("test_kvm_diff: %s not available, skipping\n", KVM_DEV_PATH);
		return 77;
	}
	s = suite_create("kvm-diff");
	tc = tcase_create("tamper");
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, untampered_is_clean, 0, n);
	tcase_add_loop_test(tc, tampered_call_is_reported, 0, n);
	tcase_add_test(tc, cli_exit_codes);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
