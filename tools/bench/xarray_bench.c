// SPDX-License-Identifier: GPL-2.0
/*
 * xarray_bench: throughput of the model xarray (model/lib/xarray.c) and its
 * node memory per entry.  Not a test: it prints figures, it asserts nothing
 * about time.  Build in Release for meaningful numbers.
 *
 * Usage: xarray_bench [-n ENTRIES] [-s SEED] [-c]
 *   -c  controlled mode (lockless xa_load, as under the fuzzer); default is
 *       free-running, where xa_load takes xa_lock.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <linux/xarray.h>
#include <shim/slab.h>
#include <shim/sched.h>

/*
 * -c: run under a trivial controlled-mode scheduler (one thread, every
 * point a no-op), as the fuzzer does: xa_load() is then lockless.
 */
static struct shim_task bench_task = { .tid = 0, .name = "bench" };

static void bench_point(enum shim_op op, const void *obj, const char *site) { }
static void bench_block(enum shim_op op, const void *obj, const char *site) { abort(); }
static void bench_wake(const void *obj) { }
static bool bench_decide(enum shim_decision what, const char *site) { return false; }
static struct shim_task *bench_current(void) { return &bench_task; }
static void bench_report(enum shim_report_kind kind, const char *msg,
			 const char *file, int line)
{
	fprintf(stderr, "report %d: %s at %s:%d\n", kind, msg, file, line);
	abort();
}

static const struct shim_sched_ops bench_sched = {
	.point = bench_point, .block = bench_block, .wake = bench_wake,
	.decide = bench_decide, .current = bench_current, .report = bench_report,
};
static struct shim_ctx bench_ctx = { .sched = &bench_sched };

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static uint64_t rng_state;

static uint64_t rnd(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 2685821657736338717ULL;
}

static void report(const char *what, unsigned long ops, double secs)
{
	printf("%-34s %12.0f ops/s  (%lu ops, %.3f s)\n", what, ops / secs, ops, secs);
}

static void memory(const char *what, struct xarray *xa, unsigned long entries)
{
	unsigned long nodes = xa_nr_nodes(xa);

	printf("%-34s %12.2f bytes of node per entry  (%lu nodes of %zu bytes, %lu entries)\n",
	       what, (double)nodes * sizeof(struct xa_node) / entries, nodes,
	       sizeof(struct xa_node), entries);
}

int main(int argc, char **argv)
{
	unsigned long n = 1UL << 20, i, sink = 0;
	uint64_t seed = 1;
	unsigned long *keys;
	DEFINE_XARRAY(xa);
	double t;
	int c;

	while ((c = getopt(argc, argv, "n:s:c")) != -1) {
		switch (c) {
		case 'c':
			shim_ctx = &bench_ctx;
			break;
		case 'n':
			n = strtoul(optarg, NULL, 0);
			break;
		case 's':
			seed = strtoull(optarg, NULL, 0);
			break;
		default:
			fprintf(stderr, "usage: %s [-n ENTRIES] [-s SEED] [-c]\n", argv[0]);
			return 2;
		}
	}
	printf("seed %" PRIu64 "\n", seed);
	printf("xarray_bench: %lu entries, XA_CHUNK_SHIFT %d, sizeof(struct xa_node) %zu, %s mode\n",
	       n, XA_CHUNK_SHIFT, sizeof(struct xa_node),
	       shim_ctx ? "controlled" : "free-running");
	rng_state = seed;
	keys = malloc(n * sizeof(*keys));
	if (!keys)
		return 1;

	/* Sequential keys: the page cache of one file, one entry per page. */
	t = now();
	for (i = 0; i < n; i++)
		xa_store(&xa, i, xa_mk_value(i), GFP_KERNEL);
	report("xa_store sequential", n, now() - t);
	memory("memory sequential", &xa, n);
	t = now();
	for (i = 0; i < n; i++)
		sink += (unsigned long)xa_load(&xa, i);
	report("xa_load sequential", n, now() - t);
	for (i = 0; i < n; i++)
		keys[i] = rnd() % n;
	t = now();
	for (i = 0; i < n; i++)
		sink += (unsigned long)xa_load(&xa, keys[i]);
	report("xa_load random (dense array)", n, now() - t);
	t = now();
	for (i = 0; i < n; i++)
		xa_erase(&xa, i);
	report("xa_erase sequential", n, now() - t);
	xa_destroy(&xa);

	/* Random keys over 64x the entry count: sparse leaves. */
	for (i = 0; i < n; i++)
		keys[i] = rnd() % (n * 64);
	t = now();
	for (i = 0; i < n; i++)
		xa_store(&xa, keys[i], xa_mk_value(i), GFP_KERNEL);
	report("xa_store random (1/64 dense)", n, now() - t);
	memory("memory random (1/64 dense)", &xa, n);
	t = now();
	for (i = 0; i < n; i++)
		sink += (unsigned long)xa_load(&xa, keys[(i * 7919) % n]);
	report("xa_load random (1/64 dense)", n, now() - t);
	xa_destroy(&xa);

	/* Ranges: attribute-style multi-index stores of 2 MiB-ish chunks. */
	t = now();
	for (i = 0; i < n / 64; i++) {
		unsigned long first = (rnd() % (1UL << 30)) & ~511UL;

		xa_store_range(&xa, first, first + 511 + (rnd() % 512), xa_mk_value(i), GFP_KERNEL);
	}
	report("xa_store_range 512..1023 pages", n / 64, now() - t);
	xa_destroy(&xa);

	printf("(checksum %lu, live slab objects %lu)\n", sink, shim_slab_live_objects());
	free(keys);
	return 0;
}
