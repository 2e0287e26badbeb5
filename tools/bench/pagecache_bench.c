// SPDX-License-Identifier: GPL-2.0
/*
 * pagecache_bench - cost of the model page cache.
 *
 * Prints, for N cached 4 KiB pages (default 10^6, -n N):
 *   - metadata bytes per page: the slab shim's live bytes after creating the
 *     pages minus before (struct page vmemmap chunks, xarray nodes, pool
 *     bookkeeping all come from the slab shim), and the pool's own count;
 *   - page-cache get/create, lookup (hit) and truncate rates;
 *   - host fault + write rate through a shared mapping (-m pages, default
 *     250000).
 * Numbers are printed, never asserted.  Build without sanitizers for figures.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/mm.h>
#include <linux/pagemap.h>
#include <linux/fs.h>
#include <shim/sched.h>
#include <shim/slab.h>

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static unsigned long live_bytes(void)
{
	struct shim_slab_stats st;

	shim_slab_stats(&st);
	return st.live_bytes;
}

int main(int argc, char **argv)
{
	unsigned long n = 1000000, i, before, after, rounds = 3, host = 250000;
	struct mm_world *w;
	struct inode *inode;
	struct address_space *mapping;
	double t0, t1;
	int opt;

	while ((opt = getopt(argc, argv, "n:m:")) != -1) {
		if (opt == 'n')
			n = strtoul(optarg, NULL, 0);
		else if (opt == 'm')
			host = strtoul(optarg, NULL, 0);
	}
	w = mm_world_create();
	mm_world_set_current(w);
	inode = alloc_anon_inode(NULL);
	inode->i_size = (loff_t)n << PAGE_SHIFT;
	mapping = inode->i_mapping;
	before = live_bytes();

	t0 = now();
	for (i = 0; i < n; i++) {
		struct folio *f = __filemap_get_folio(mapping, i, FGP_LOCK | FGP_CREAT, GFP_KERNEL);

		if (IS_ERR(f)) {
			fprintf(stderr, "create %lu: %ld\n", i, PTR_ERR(f));
			return 1;
		}
		folio_unlock(f);
		folio_put(f);
	}
	t1 = now();
	after = live_bytes();
	printf("pages cached:                 %lu\n", n);
	printf("metadata bytes/page (slab):   %.1f  (struct page %zu B)\n",
	       (double)(after - before) / n, sizeof(struct page));
	printf("pool metadata bytes/page:     %.1f\n",
	       (double)mm_world_stats(w)->meta_bytes / n);
	printf("get/create (FGP_LOCK|CREAT):  %.0f ops/s\n", n / (t1 - t0));

	t0 = now();
	for (unsigned long r = 0; r < rounds; r++) {
		for (i = 0; i < n; i++) {
			struct folio *f = filemap_get_folio(mapping, (i * 7919) % n);

			folio_put(f);
		}
	}
	t1 = now();
	printf("lookup (filemap_get_folio):   %.0f ops/s\n", rounds * n / (t1 - t0));

	t0 = now();
	for (i = 0; i < n; i++) {
		struct folio *f = filemap_lock_folio(mapping, i);

		folio_unlock(f);
		folio_put(f);
	}
	t1 = now();
	printf("lookup+lock (filemap_lock):   %.0f ops/s\n", n / (t1 - t0));

	t0 = now();
	truncate_inode_pages_range(mapping, 0, -1);
	t1 = now();
	printf("truncate:                     %.0f pages/s\n", n / (t1 - t0));

	{
		struct mm_struct *mm = mm_world_mm(w);
		unsigned long len = host << PAGE_SHIFT;
		unsigned long addr = do_mmap(mm, NULL, 0, len, PROT_READ | PROT_WRITE,
					     MAP_SHARED | MAP_ANONYMOUS, 0);

		t0 = now();
		for (i = 0; i < len; i += PAGE_SIZE)
			mm_host_fill(mm, addr + i, 0x5a, PAGE_SIZE);
		t1 = now();
		printf("host fault+fill page (shmem): %.0f pages/s (tag mode)\n",
		       (len >> PAGE_SHIFT) / (t1 - t0));
		t0 = now();
		for (i = 0; i < len; i += PAGE_SIZE)
			mm_host_fill(mm, addr + i, 0x17, 8);
		t1 = now();
		printf("host partial write (mapped):  %.0f pages/s (to bytes mode)\n",
		       (len >> PAGE_SHIFT) / (t1 - t0));
		printf("bytes-mode pages:             %llu (+%lu B each)\n",
		       (unsigned long long)mm_world_stats(w)->pages_bytes_mode,
		       PAGE_SIZE + PAGE_SIZE / 8);
		do_munmap(mm, addr, len);
	}

	iput(inode);
	t0 = now();
	printf("live folios after teardown:   %lu\n", mm_world_reset(w, true));
	t1 = now();
	printf("world reset:                  %.3f ms\n", (t1 - t0) * 1e3);
	mm_world_destroy(w);

	/* Small worlds, as a fuzzer runs them: create, 16 folios, reset. */
	w = mm_world_create();
	mm_world_set_current(w);
	t0 = now();
	for (i = 0; i < 20000; i++) {
		struct folio *f[16];
		int k;

		for (k = 0; k < 16; k++)
			f[k] = folio_alloc(GFP_KERNEL, 0);
		for (k = 0; k < 16; k++)
			folio_put(f[k]);
		mm_world_reset(w, true);
	}
	t1 = now();
	printf("small world alloc16+reset:    %.0f worlds/s\n", 20000 / (t1 - t0));
	mm_world_destroy(w);
	return 0;
}
