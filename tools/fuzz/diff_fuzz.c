// SPDX-License-Identifier: GPL-2.0
/*
 * Differential fuzz target: bytes decode (fuzz_decode(), FUZZ_DIFF) into a
 * single-threaded trace on a DEFAULT VM with MMAP|INIT_SHARED guest_memfds,
 * drawn from the ops the host runs (set_memory_attributes and
 * pre_fault_memory only when the host has the capability; the known
 * host-vs-spec differences of docs/host-vs-spec.md are left out).  The trace
 * runs on the model and on /dev/kvm call by call (diff_trace(), the same
 * comparison as `gmemsim diff`); any difference aborts with both results
 * and the trace.  Without /dev/kvm every input passes (or, with
 * DIFF_FUZZ_MODEL_ONLY=1, runs on the model alone: see model_only()).
 *
 * Built as diff_fuzz (libFuzzer, GMEMSIM_FUZZ=ON) and as diff_fuzz_replay
 * (DIFF_FUZZ_REPLAY): main() runs every file under the paths given, or with
 * --print INPUT writes the trace an input decodes to.
 */
#include <errno.h>
#include <ftw.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend/kvm/kvm_util.h"
#include "explore/diff.h"

#include "fuzz_decode.h"
#include "fuzz_run.h"

/* KVM_CHECK_EXTENSION numbers (include/uapi/linux/kvm.h). */
#define CAP_MEMORY_ATTRIBUTES	233
#define CAP_PRE_FAULT_MEMORY	236

int gmemsim_fuzz_diff(const uint8_t *data, size_t len);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct fuzz_case fuzz_case;

/* Probed once: -1 no /dev/kvm, 1 usable. */
static int host_state;
static struct fuzz_host host;

static bool host_usable(void)
{
	if (!host_state) {
		host_state = kvm_available() ? 1 : -1;
		if (host_state > 0) {
			host.memory_attributes = kvm_check_cap(CAP_MEMORY_ATTRIBUTES) > 0;
			host.pre_fault = kvm_check_cap(CAP_PRE_FAULT_MEMORY) > 0;
		}
	}
	return host_state > 0;
}

/*
 * DIFF_FUZZ_MODEL_ONLY=1 in the environment: decode as usual but run the
 * trace on the model alone, with every checker on (the model property of
 * model_fuzz.c on differential-style traces).  For growing
 * tests/fuzz/diff_corpus on a machine without /dev/kvm: coverage then comes
 * from the decoder and the model, not the host.
 */
static bool model_only(void)
{
	static int state;

	if (!state) {
		const char *e = getenv("DIFF_FUZZ_MODEL_ONLY");

		state = e && *e && strcmp(e, "0") ? 1 : -1;
	}
	return state > 0;
}

/**
 * gmemsim_fuzz_diff() - the property: model and host agree on every call
 * @data: the input bytes
 * @len: their number
 *
 * Context: process context; opens /dev/kvm.
 * Return: 0; aborts on a difference after printing it and the trace.
 */
int gmemsim_fuzz_diff(const uint8_t *data, size_t len)
{
	char *report = NULL;
	size_t rlen = 0;
	int ndiff = 0, nskip = 0, ret;
	FILE *out;

	if (model_only()) {
		/* The model half alone: grows diff_corpus where /dev/kvm is missing. */
		fuzz_decode(data, len, FUZZ_DIFF, NULL, &fuzz_case);
		if (!fuzz_run_model(&fuzz_case.t, fuzz_case.schedule, false, NULL, stderr))
			abort();
		return 0;
	}
	if (!host_usable())
		return 0;
	fuzz_decode(data, len, FUZZ_DIFF, &host, &fuzz_case);
	out = open_memstream(&report, &rlen);
	if (!out)
		abort();
	ret = diff_trace(&fuzz_case.t, NULL, NULL, out, &ndiff, &nskip);
	fclose(out);
	if (ret && ret != -ENODEV) {
		fprintf(stderr, "diff_fuzz: diff_trace failed (%d)\n%s", ret, report);
		abort();
	}
	if (ndiff) {
		fprintf(stderr, "diff_fuzz: model and /dev/kvm disagree:\n%s", report);
		fprintf(stderr, "---- the trace ----\n");
		fuzz_print_case(&fuzz_case.t, fuzz_case.schedule, NULL, stderr);
		abort();
	}
	free(report);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return gmemsim_fuzz_diff(data, size);
}

#ifdef DIFF_FUZZ_REPLAY
static int nfiles;

static int replay_one(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	uint8_t *buf;
	size_t len;

	if (type != FTW_F || path[ftw->base] == '.')
		return 0;
	buf = fuzz_slurp(path, &len);
	if (!buf)
		return 1;
	gmemsim_fuzz_diff(buf, len);
	free(buf);
	nfiles++;
	return 0;
}

int main(int argc, char **argv)
{
	int i;

	if (argc == 3 && !strcmp(argv[1], "--print")) {
		size_t len;
		uint8_t *buf = fuzz_slurp(argv[2], &len);

		if (!buf)
			return 2;
		host_usable();
		fuzz_decode(buf, len, FUZZ_DIFF, &host, &fuzz_case);
		free(buf);
		fuzz_print_case(&fuzz_case.t, fuzz_case.schedule, NULL, stdout);
		return 0;
	}
	if (argc < 2) {
		fprintf(stderr, "usage: diff_fuzz_replay PATH... | --print INPUT\n");
		return 2;
	}
	if (!model_only() && !host_usable()) {
		printf("diff_fuzz_replay: /dev/kvm not usable, skipped\n");
		return 77;
	}
	for (i = 1; i < argc; i++) {
		if (nftw(argv[i], replay_one, 16, FTW_PHYS)) {
			fprintf(stderr, "%s: cannot replay\n", argv[i]);
			return 1;
		}
	}
	printf("diff_fuzz_replay: %d inputs, %s\n", nfiles,
	       model_only() ? "clean on the model (DIFF_FUZZ_MODEL_ONLY)" : "no difference");
	return nfiles ? 0 : 1;
}
#endif
