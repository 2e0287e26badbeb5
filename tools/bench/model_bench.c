// SPDX-License-Identifier: GPL-2.0
/*
 * model_bench: memory and speed of the model on a 64 GiB guest.
 *
 * A DEFAULT VM with a 64 GiB MMAP|INIT_SHARED guest_memfd bound to one
 * GMEM_ONLY memslot; every page of it is allocated with fallocate and
 * punched again in 2 MiB chunks.  Two orders:
 *   chunked:  allocate a 2 MiB chunk, punch it, next chunk
 *   all:      allocate all 64 GiB (in 2 MiB chunks), then punch it all
 * Prints the peak RSS (VmHWM) and the rate of fallocate calls.  Each order
 * runs in its own process so the peaks do not mix.
 *
 * usage: model_bench [chunked|all] [GiB]   (no argument: both, 64 GiB)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "backend/backend.h"
#include "trace/ir.h"

#define SZ_2M (2ULL << 20)

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static long vm_kib(const char *field)
{
	char line[256];
	long v = -1;
	FILE *f = fopen("/proc/self/status", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, field, strlen(field)))
			v = strtol(line + strlen(field) + 1, NULL, 10);
	fclose(f);
	return v;
}

static int handle(const struct trace *t, const char *name)
{
	for (int i = 0; i < t->nhandles; i++)
		if (!strcmp(t->handles[i].name, name))
			return i;
	return -1;
}

static int fallocate_call(struct gmem_backend *b, int gmem, uint64_t mode, uint64_t off, uint64_t len)
{
	struct trace_call c = {
		.op = TOP_FALLOCATE, .nargs = 4, .bind = -1,
		.args = { { .is_handle = true, .handle = gmem }, { .value = mode },
			  { .value = off }, { .value = len } },
	};
	struct trace_result r;

	trace_result_init(&r);
	model_backend_ops.call(b, -1, &c, &r);
	if (r.kind != TRES_OK) {
		fprintf(stderr, "model_bench: fallocate(mode %llu, %#llx, %#llx) failed: errno %d\n",
			(unsigned long long)mode, (unsigned long long)off,
			(unsigned long long)len, r.err);
		return -1;
	}
	return 0;
}

static int run(const char *order, unsigned gib)
{
	char text[512];
	struct trace *t = calloc(1, sizeof(*t));
	struct backend_opts bo = { 0 };
	struct backend_violation v[8];
	struct trace_error err;
	struct gmem_backend *b;
	uint64_t size = (uint64_t)gib << 30, off;
	long rss0, hwm;
	double t0, el;
	int gmem, i, nv;
	unsigned long calls = 0;

	snprintf(text, sizeof(text),
		 "setup:\n"
		 "    vm = vm_create(DEFAULT)\n"
		 "    gmem = create_guest_memfd(vm, size=%uG, flags=MMAP|INIT_SHARED) -> ok\n"
		 "    set_user_memory_region2(vm, slot=0, flags=GUEST_MEMFD, gpa=0x100000000, "
		 "size=%uG, guest_memfd=gmem) -> 0\n", gib, gib);
	if (!t || trace_parse_buf("model_bench", text, strlen(text), t, &err)) {
		fprintf(stderr, "model_bench: %s:%d:%d: %s\n", err.file, err.line, err.col, err.msg);
		return 2;
	}
	b = model_backend_ops.create(t, &bo);
	if (!b)
		return 2;
	for (i = 0; i < t->setup.ncalls; i++) {
		struct trace_result r;

		trace_result_init(&r);
		model_backend_ops.call(b, -1, &t->setup.calls[i], &r);
		if (!trace_result_matches(&t->setup.calls[i].expect, &r)) {
			fprintf(stderr, "model_bench: setup call %d failed\n", i);
			return 2;
		}
	}
	gmem = handle(t, "gmem");
	rss0 = vm_kib("VmRSS:");
	t0 = now();
	if (!strcmp(order, "chunked")) {
		for (off = 0; off < size; off += SZ_2M, calls += 2)
			if (fallocate_call(b, gmem, 1, off, SZ_2M) ||
			    fallocate_call(b, gmem, 3, off, SZ_2M))
				return 1;
	} else {
		for (off = 0; off < size; off += SZ_2M, calls++)
			if (fallocate_call(b, gmem, 1, off, SZ_2M))
				return 1;
		for (off = 0; off < size; off += SZ_2M, calls++)
			if (fallocate_call(b, gmem, 3, off, SZ_2M))
				return 1;
	}
	el = now() - t0;
	hwm = vm_kib("VmHWM:");
	nv = model_backend_ops.check(b, v, 8);
	nv += model_backend_ops.destroy(b, v + nv, 8 - nv);
	printf("model_bench %-7s %3u GiB guest, %8llu pages allocated and punched: "
	       "peak RSS %7.1f MiB (before: %5.1f MiB), %.2fs, %.0f fallocate calls/s, "
	       "%.0f pages/s, checkers: %d violation%s\n",
	       order, gib, (unsigned long long)(size >> 12), hwm / 1024.0, rss0 / 1024.0, el,
	       calls / el, (double)(size >> 12) * 2 / el, nv, nv == 1 ? "" : "s");
	for (i = 0; i < nv; i++)
		printf("  %s: %s\n", v[i].checker, v[i].msg);
	trace_free(t);
	free(t);
	return nv ? 1 : 0;
}

int main(int argc, char **argv)
{
	const char *orders[] = { "chunked", "all" };
	unsigned gib = argc > 2 ? (unsigned)atoi(argv[2]) : 64;
	int rc = 0;

	if (argc > 1)
		return run(argv[1], gib ? gib : 64);
	/* Each order in a fresh process: VmHWM is per process. */
	for (int i = 0; i < 2; i++) {
		pid_t pid = fork();
		int st;

		if (pid == 0)
			_exit(run(orders[i], gib));
		waitpid(pid, &st, 0);
		if (!WIFEXITED(st) || WEXITSTATUS(st))
			rc = 1;
	}
	return rc;
}
