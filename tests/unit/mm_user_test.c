// SPDX-License-Identifier: GPL-2.0
/*
 * model/mm user-mapping tests: shared (shmem) and private anonymous
 * mappings, faults and their error codes (table), SIGBUS past EOF,
 * MADV_DONTNEED (shared keeps contents, private zeroes), truncation
 * unmapping and refaulting (spec §1.5/§1.8), GUP references and pins, anon
 * THP with host_pfn_mapping_level and split on partial DONTNEED, munmap,
 * and do_mmap/madvise argument errors.
 */
#include "mm_test_util.h"
#include <fcntl.h>

static struct mm_struct *mm;

static void um_setup(void)
{
	mmt_setup();
	mm = mm_world_mm(mmt_world);
}

static void um_teardown(void)
{
	mmt_teardown();
}

static unsigned long map(struct file *file, size_t len, unsigned long flags)
{
	unsigned long addr = do_mmap(mm, file, 0, len, PROT_READ | PROT_WRITE, flags, 0);

	ck_assert_msg(!IS_ERR_VALUE(addr), "do_mmap: %ld", (long)addr);
	return addr;
}

static int host_value(unsigned long addr, size_t len)
{
	int v;

	ck_assert_uint_eq(mm_host_check(mm, addr, len, &v), 0);
	return v;
}

START_TEST(shared_anon_fault_and_contents)
{
	unsigned long addr = map(NULL, 16 * PAGE_SIZE, MAP_SHARED | MAP_ANONYMOUS);
	unsigned long pfn;
	struct folio *f;

	ck_assert_uint_eq(mm_follow_pfn(mm, addr + 5000), 0);
	ck_assert_uint_eq(mm_host_fill(mm, addr + 5000, 0xab, 10), 0);
	pfn = mm_follow_pfn(mm, addr + 5000);
	ck_assert_uint_ne(pfn, 0);
	f = mm_pfn_folio_live(pfn);
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(folio_mapcount(f), 1);
	ck_assert_int_eq(folio_ref_count(f), 2);	/* page cache + PTE */
	ck_assert(folio_test_uptodate(f));
	ck_assert_int_eq(host_value(addr + 5000, 10), 0xab);
	ck_assert_int_eq(host_value(addr + PAGE_SIZE, 5000 - PAGE_SIZE), 0);	/* zeroed */
	ck_assert_int_eq(host_value(addr + PAGE_SIZE, PAGE_SIZE), MM_READ_MIXED);
	ck_assert_int_eq(host_value(addr + 3 * PAGE_SIZE, 2 * PAGE_SIZE), 0);
	ck_assert_int_eq(do_munmap(mm, addr, 16 * PAGE_SIZE), 0);
	ck_assert_uint_eq(mm_live_folios(), 0);		/* shmem inode evicted */
}
END_TEST

START_TEST(sigbus_past_eof)
{
	struct file *file = shmem_file_setup("t", 2 * PAGE_SIZE, 0);
	unsigned long addr;
	u8 b = 1;

	ck_assert(!IS_ERR(file));
	addr = map(file, 4 * PAGE_SIZE, MAP_SHARED);
	fput(file);	/* the VMA holds its own reference */
	ck_assert_uint_eq(mm_host_write(mm, addr + PAGE_SIZE, &b, 1), 0);
	ck_assert_uint_eq(mm_host_write(mm, addr + 2 * PAGE_SIZE, &b, 1), VM_FAULT_SIGBUS);
	ck_assert_uint_eq(mm_host_read(mm, addr + 3 * PAGE_SIZE, &b, 1), VM_FAULT_SIGBUS);
	ck_assert_uint_eq(mm_host_read(mm, addr + 4 * PAGE_SIZE, &b, 1), VM_FAULT_SIGSEGV);
	ck_assert_int_eq(do_munmap(mm, addr, 4 * PAGE_SIZE), 0);
}
END_TEST

START_TEST(dontneed_shared_keeps_private_zeroes)
{
	unsigned long s = map(NULL, 4 * PAGE_SIZE, MAP_SHARED | MAP_ANONYMOUS);
	unsigned long p = map(NULL, 4 * PAGE_SIZE, MAP_PRIVATE | MAP_ANONYMOUS);
	unsigned long spfn, ppfn;

	mm_host_fill(mm, s, 0x5c, PAGE_SIZE);
	mm_host_fill(mm, p, 0x6d, PAGE_SIZE);
	spfn = mm_follow_pfn(mm, s);
	ppfn = mm_follow_pfn(mm, p);
	ck_assert_int_eq(do_madvise(mm, s, PAGE_SIZE, MADV_DONTNEED), 0);
	ck_assert_int_eq(do_madvise(mm, p, PAGE_SIZE, MADV_DONTNEED), 0);
	ck_assert_uint_eq(mm_follow_pfn(mm, s), 0);
	ck_assert_uint_eq(mm_follow_pfn(mm, p), 0);
	ck_assert(mm_pfn_is_live(spfn));	/* still in the page cache */
	ck_assert(!mm_pfn_is_live(ppfn));	/* private page freed */
	ck_assert_int_eq(host_value(s, PAGE_SIZE), 0x5c);
	ck_assert_uint_eq(mm_follow_pfn(mm, s), spfn);
	ck_assert_int_eq(host_value(p, PAGE_SIZE), 0);
	ck_assert_uint_ne(mm_follow_pfn(mm, p), ppfn);
	ck_assert_int_eq(do_munmap(mm, s, 4 * PAGE_SIZE), 0);
	ck_assert_int_eq(do_munmap(mm, p, 4 * PAGE_SIZE), 0);
	ck_assert_uint_eq(mm_live_folios(), 0);
}
END_TEST

/* Punch hole = unmap + truncate; the next access refaults zeroed memory. */
START_TEST(truncate_unmaps_and_refaults)
{
	struct file *file = shmem_file_setup("t", 8 * PAGE_SIZE, 0);
	unsigned long a1 = map(file, 8 * PAGE_SIZE, MAP_SHARED);
	unsigned long a2 = do_mmap(mm, file, 0, 4 * PAGE_SIZE, PROT_READ | PROT_WRITE,
				   MAP_SHARED, 4);	/* second view at pgoff 4 */
	unsigned long old;
	struct folio *f;

	ck_assert(!IS_ERR_VALUE(a2));
	mm_host_fill(mm, a1, 0x11, 8 * PAGE_SIZE);
	ck_assert_int_eq(host_value(a2, 4 * PAGE_SIZE), 0x11);	/* same memory */
	old = mm_follow_pfn(mm, a1 + 5 * PAGE_SIZE);
	ck_assert_uint_eq(mm_follow_pfn(mm, a2 + PAGE_SIZE), old);
	f = mm_pfn_folio_live(old);
	ck_assert_int_eq(folio_mapcount(f), 2);

	ck_assert_int_eq(file->f_op->fallocate(file, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
					       5 * PAGE_SIZE, PAGE_SIZE), 0);
	ck_assert_uint_eq(mm_follow_pfn(mm, a1 + 5 * PAGE_SIZE), 0);
	ck_assert_uint_eq(mm_follow_pfn(mm, a2 + PAGE_SIZE), 0);
	ck_assert(!mm_pfn_is_live(old));
	ck_assert_uint_ne(mm_follow_pfn(mm, a1 + 4 * PAGE_SIZE), 0);	/* untouched */
	ck_assert_int_eq(host_value(a2 + PAGE_SIZE, PAGE_SIZE), 0);
	ck_assert_int_eq(host_value(a1 + 5 * PAGE_SIZE, PAGE_SIZE), 0);
	ck_assert_int_eq(host_value(a1 + 6 * PAGE_SIZE, PAGE_SIZE), 0x11);
	fput(file);
	ck_assert_int_eq(do_munmap(mm, a1, 8 * PAGE_SIZE), 0);
	ck_assert_int_eq(do_munmap(mm, a2, 4 * PAGE_SIZE), 0);
	ck_assert_uint_eq(mm_live_folios(), 0);
}
END_TEST

/*
 * truncate_inode_pages_range() alone (guest_memfd's punch hole calls only
 * it) unmaps every user mapping of the folios it removes (spec §1.5 step 4).
 */
START_TEST(truncate_alone_unmaps_user_mappings)
{
	struct file *file = shmem_file_setup("t", 4 * PAGE_SIZE, 0);
	unsigned long a = map(file, 4 * PAGE_SIZE, MAP_SHARED);
	unsigned long old1, old2;

	mm_host_fill(mm, a, 0x77, 4 * PAGE_SIZE);
	old1 = mm_follow_pfn(mm, a + PAGE_SIZE);
	old2 = mm_follow_pfn(mm, a + 2 * PAGE_SIZE);
	truncate_inode_pages_range(file->f_mapping, PAGE_SIZE, 3 * PAGE_SIZE - 1);
	ck_assert_uint_eq(mm_follow_pfn(mm, a + PAGE_SIZE), 0);
	ck_assert_uint_eq(mm_follow_pfn(mm, a + 2 * PAGE_SIZE), 0);
	ck_assert(!mm_pfn_is_live(old1));
	ck_assert(!mm_pfn_is_live(old2));
	ck_assert_uint_ne(mm_follow_pfn(mm, a), 0);
	ck_assert_uint_ne(mm_follow_pfn(mm, a + 3 * PAGE_SIZE), 0);
	ck_assert_int_eq(host_value(a + PAGE_SIZE, 2 * PAGE_SIZE), 0);
	ck_assert_int_eq(host_value(a + 3 * PAGE_SIZE, PAGE_SIZE), 0x77);
	ck_assert_uint_eq(mmt_nreports(SHIM_REPORT_WARN), 0);
	fput(file);
	ck_assert_int_eq(do_munmap(mm, a, 4 * PAGE_SIZE), 0);
	ck_assert_uint_eq(mm_live_folios(), 0);
}
END_TEST

/* A file whose ->fault answers from a table row. */
static vm_fault_t fault_ret;
static int fault_calls, fault_retries;
static struct address_space *fault_mapping;

static vm_fault_t table_fault(struct vm_fault *vmf)
{
	struct folio *folio;

	fault_calls++;
	if (fault_retries) {
		fault_retries--;
		return VM_FAULT_RETRY;
	}
	if (fault_ret)
		return fault_ret;
	folio = __filemap_get_folio(fault_mapping, vmf->pgoff, FGP_LOCK | FGP_CREAT, GFP_KERNEL);
	if (IS_ERR(folio))
		return vmf_error(PTR_ERR(folio));
	if (!folio_test_uptodate(folio)) {
		folio_zero_range(folio, 0, PAGE_SIZE);
		folio_mark_uptodate(folio);
	}
	vmf->page = folio_file_page(folio, vmf->pgoff);
	return VM_FAULT_LOCKED;
}

static const struct vm_operations_struct table_vm_ops = { .fault = table_fault };

static int table_mmap(struct file *file, struct vm_area_struct *vma)
{
	if (!(vma->vm_flags & VM_SHARED) || !(vma->vm_flags & VM_MAYSHARE))
		return -EINVAL;
	vma->vm_ops = &table_vm_ops;
	return 0;
}

static const struct file_operations table_fops = { .mmap = table_mmap };

struct fault_row {
	const char *name;
	vm_fault_t ret;
	int retries;
	int fail_alloc;
	vm_fault_t want;
	int want_calls;
};

static const struct fault_row fault_rows[] = {
	{ "locked", 0, 0, 0, 0, 1 },
	{ "sigbus", VM_FAULT_SIGBUS, 0, 0, VM_FAULT_SIGBUS, 1 },
	{ "oom", VM_FAULT_OOM, 0, 0, VM_FAULT_OOM, 1 },
	{ "hwpoison", VM_FAULT_HWPOISON, 0, 0, VM_FAULT_HWPOISON, 1 },
	{ "retry twice then ok", 0, 2, 0, 0, 3 },
	{ "alloc fails -> oom", 0, 0, 1, VM_FAULT_OOM, 1 },
};

START_TEST(fault_result_table)
{
	const struct fault_row *r = &fault_rows[_i];
	struct inode *inode = alloc_anon_inode(NULL);
	struct file *file = alloc_file_pseudo(inode, "table", O_RDWR, &table_fops);
	unsigned long addr;
	u8 b = 7;

	fault_mapping = inode->i_mapping;
	fault_ret = r->ret;
	fault_retries = r->retries;
	fault_calls = 0;
	addr = map(file, 2 * PAGE_SIZE, MAP_SHARED);
	if (r->fail_alloc)
		shim_slab_fail_after(r->fail_alloc);
	ck_assert_uint_eq(mm_host_write(mm, addr, &b, 1), r->want);
	shim_slab_fail_after(0);
	ck_assert_int_eq(fault_calls, r->want_calls);
	if (!r->want) {
		struct folio *f = mm_pfn_folio_live(mm_follow_pfn(mm, addr));

		ck_assert_ptr_nonnull(f);
		ck_assert(!folio_test_locked(f));	/* finish_fault unlocked it */
		ck_assert_int_eq(host_value(addr, 1), 7);
	} else {
		ck_assert_uint_eq(mm_follow_pfn(mm, addr), 0);
	}
	/* MAP_PRIVATE is refused by this ->mmap, like guest_memfd. */
	ck_assert_int_eq((long)do_mmap(mm, file, 0, PAGE_SIZE, PROT_READ, MAP_PRIVATE, 0),
			 -EINVAL);
	ck_assert_int_eq(do_munmap(mm, addr, 2 * PAGE_SIZE), 0);
	fput(file);
	ck_assert_uint_eq(mm_live_folios(), 0);
}
END_TEST

START_TEST(gup_and_pins)
{
	unsigned long addr = map(NULL, 8 * PAGE_SIZE, MAP_PRIVATE | MAP_ANONYMOUS);
	struct page *pages[3];
	unsigned long pfn;
	struct folio *f;

	ck_assert_int_eq(get_user_pages_fast(addr, 3, FOLL_WRITE, pages), 3);
	f = page_folio(pages[1]);
	ck_assert_int_eq(folio_ref_count(f), 2);	/* PTE + GUP */
	ck_assert_uint_eq(page_to_pfn(pages[1]), mm_follow_pfn(mm, addr + PAGE_SIZE));
	ck_assert_int_eq(mm_page_read(page_to_pfn(pages[1]), 0, PAGE_SIZE), 0);
	/* The GUP reference keeps the page alive across DONTNEED. */
	ck_assert_int_eq(do_madvise(mm, addr, 3 * PAGE_SIZE, MADV_DONTNEED), 0);
	ck_assert_int_eq(folio_ref_count(f), 1);
	ck_assert(mm_pfn_is_live(page_to_pfn(pages[1])));
	put_page(pages[0]);
	put_page(pages[1]);
	put_page(pages[2]);
	ck_assert_uint_eq(mm_live_folios(), 0);

	ck_assert_int_eq(pin_user_page_model(mm, addr + 4 * PAGE_SIZE, true, &pfn), 0);
	ck_assert_int_eq(folio_ref_count(mm_pfn_folio_live(pfn)), 2);
	unpin_user_pfn_model(pfn);
	ck_assert_int_eq(folio_ref_count(mm_pfn_folio_live(pfn)), 1);
	/* No VMA: -EFAULT. */
	ck_assert_int_eq(get_user_pages_fast(addr + 8 * PAGE_SIZE, 1, 0, pages), -EFAULT);
	/* Partly mapped: the pages before the hole. */
	ck_assert_int_eq(get_user_pages_fast(addr + 6 * PAGE_SIZE, 4, 0, pages), 2);
	put_page(pages[0]);
	put_page(pages[1]);
	ck_assert_int_eq(do_munmap(mm, addr, 8 * PAGE_SIZE), 0);
	ck_assert_uint_eq(mm_live_folios(), 0);
}
END_TEST

START_TEST(anon_thp_level_and_split)
{
	unsigned long addr = map(NULL, 2 * PMD_SIZE, MAP_PRIVATE | MAP_ANONYMOUS);
	unsigned long pfn;
	struct folio *f;

	ck_assert_uint_eq(addr & (PMD_SIZE - 1), 0);
	/* Without MADV_HUGEPAGE: 4 KiB pages. */
	mm_host_fill(mm, addr + PMD_SIZE, 1, 1);
	ck_assert_int_eq(host_pfn_mapping_level(mm, addr + PMD_SIZE), 1);

	ck_assert_int_eq(do_madvise(mm, addr, PMD_SIZE, MADV_HUGEPAGE), 0);
	ck_assert_int_eq(host_pfn_mapping_level(mm, addr), 0);
	mm_host_fill(mm, addr + 5 * PAGE_SIZE, 0x33, 2 * PAGE_SIZE);
	ck_assert_int_eq(host_pfn_mapping_level(mm, addr), 2);
	ck_assert_int_eq(host_pfn_mapping_level(mm, addr + PMD_SIZE - 1), 2);
	pfn = mm_follow_pfn(mm, addr);
	f = mm_pfn_folio_live(pfn);
	ck_assert_uint_eq(folio_order(f), HPAGE_PMD_ORDER);
	ck_assert_uint_eq(pfn & (HPAGE_PMD_NR - 1), 0);
	ck_assert_int_eq(folio_mapcount(f), 1);
	ck_assert_int_eq(host_value(addr, 5 * PAGE_SIZE), 0);
	ck_assert_int_eq(host_value(addr + 5 * PAGE_SIZE, 2 * PAGE_SIZE), 0x33);

	/* DONTNEED of one page: the PMD splits, the rest keeps contents. */
	ck_assert_int_eq(do_madvise(mm, addr + 6 * PAGE_SIZE, PAGE_SIZE, MADV_DONTNEED), 0);
	ck_assert_int_eq(host_pfn_mapping_level(mm, addr), 1);
	ck_assert_uint_eq(mm_follow_pfn(mm, addr + 6 * PAGE_SIZE), 0);
	ck_assert_int_eq(folio_mapcount(f), HPAGE_PMD_NR - 1);
	ck_assert_int_eq(folio_ref_count(f), HPAGE_PMD_NR - 1);
	ck_assert_int_eq(host_value(addr + 5 * PAGE_SIZE, PAGE_SIZE), 0x33);
	ck_assert_int_eq(host_value(addr + 6 * PAGE_SIZE, PAGE_SIZE), 0);	/* refaulted */
	ck_assert_uint_ne(mm_follow_pfn(mm, addr + 6 * PAGE_SIZE), pfn + 6);
	/* Whole range gone: the THP is freed. */
	ck_assert_int_eq(do_munmap(mm, addr, 2 * PMD_SIZE), 0);
	ck_assert_uint_eq(mm_live_folios(), 0);
	ck_assert_uint_eq(mmt_nreports(SHIM_REPORT_WARN), 0);
}
END_TEST

/* A THP whose 2 MiB block is not wholly inside the VMA is not used. */
START_TEST(anon_thp_needs_whole_block)
{
	unsigned long addr = map(NULL, 2 * PMD_SIZE, MAP_PRIVATE | MAP_ANONYMOUS);

	ck_assert_int_eq(do_munmap(mm, addr + PMD_SIZE + PAGE_SIZE, PMD_SIZE - PAGE_SIZE), 0);
	ck_assert_int_eq(do_madvise(mm, addr, PMD_SIZE + PAGE_SIZE, MADV_HUGEPAGE), 0);
	mm_host_fill(mm, addr + PMD_SIZE, 1, 1);
	ck_assert_int_eq(host_pfn_mapping_level(mm, addr + PMD_SIZE), 1);
	mm_host_fill(mm, addr, 1, 1);
	ck_assert_int_eq(host_pfn_mapping_level(mm, addr), 2);
	ck_assert_int_eq(do_munmap(mm, addr, 2 * PMD_SIZE), 0);
	ck_assert_uint_eq(mm_live_folios(), 0);
}
END_TEST

START_TEST(mmap_madvise_errors)
{
	struct inode *inode = alloc_anon_inode(NULL);
	static const struct file_operations nommap = { 0 };
	struct file *file = alloc_file_pseudo(inode, "x", O_RDWR, &nommap);
	unsigned long addr;
	u8 b = 0;

	ck_assert_int_eq((long)do_mmap(mm, NULL, 0, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, 0),
			 -EINVAL);
	ck_assert_int_eq((long)do_mmap(mm, NULL, 0, PAGE_SIZE, PROT_READ, MAP_ANONYMOUS, 0),
			 -EINVAL);
	ck_assert_int_eq((long)do_mmap(mm, file, 0, PAGE_SIZE, PROT_READ, MAP_SHARED, 0),
			 -ENODEV);
	fput(file);
	addr = do_mmap(mm, NULL, 0, 4 * PAGE_SIZE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, 0);
	ck_assert_uint_eq(mm_host_write(mm, addr, &b, 1), VM_FAULT_SIGSEGV);
	ck_assert_uint_eq(mm_host_read(mm, addr, &b, 1), 0);
	ck_assert_int_eq(do_madvise(mm, addr + 1, PAGE_SIZE, MADV_DONTNEED), -EINVAL);
	ck_assert_int_eq(do_madvise(mm, addr, PAGE_SIZE, 12345), -EINVAL);
	ck_assert_int_eq(do_madvise(mm, addr, PAGE_SIZE, MADV_COLLAPSE), -EINVAL);
	ck_assert_int_eq(do_madvise(mm, addr, 8 * PAGE_SIZE, MADV_DONTNEED), -ENOMEM);
	ck_assert_int_eq(do_munmap(mm, addr + 1, PAGE_SIZE), -EINVAL);
	/* MAP_FIXED over the middle replaces it. */
	ck_assert_uint_eq(do_mmap(mm, NULL, addr + PAGE_SIZE, PAGE_SIZE, PROT_READ | PROT_WRITE,
				  MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, 0), addr + PAGE_SIZE);
	ck_assert_uint_eq(mm_host_write(mm, addr + PAGE_SIZE, &b, 1), 0);
	ck_assert_uint_eq(mm_host_write(mm, addr + 2 * PAGE_SIZE, &b, 1), VM_FAULT_SIGSEGV);
	ck_assert_int_eq(do_munmap(mm, addr, 4 * PAGE_SIZE), 0);
	ck_assert_uint_eq(mm_live_folios(), 0);
}
END_TEST

/* MADV_REMOVE punches the file behind a shared mapping; private: EINVAL. */
START_TEST(madvise_remove_punches_file)
{
	unsigned long s = map(NULL, 4 * PAGE_SIZE, MAP_SHARED | MAP_ANONYMOUS);
	unsigned long p = map(NULL, 4 * PAGE_SIZE, MAP_PRIVATE | MAP_ANONYMOUS);
	unsigned long old;

	mm_host_fill(mm, s, 0x42, 4 * PAGE_SIZE);
	old = mm_follow_pfn(mm, s + PAGE_SIZE);
	ck_assert_int_eq(do_madvise(mm, s + PAGE_SIZE, 2 * PAGE_SIZE, MADV_REMOVE), 0);
	ck_assert(!mm_pfn_is_live(old));		/* gone from the page cache */
	ck_assert_uint_eq(mm_follow_pfn(mm, s + PAGE_SIZE), 0);
	ck_assert_int_eq(host_value(s + PAGE_SIZE, 2 * PAGE_SIZE), 0);
	ck_assert_int_eq(host_value(s, PAGE_SIZE), 0x42);
	ck_assert_int_eq(host_value(s + 3 * PAGE_SIZE, PAGE_SIZE), 0x42);
	ck_assert_int_eq(do_madvise(mm, p, PAGE_SIZE, MADV_REMOVE), -EINVAL);
	ck_assert_int_eq(do_munmap(mm, s, 4 * PAGE_SIZE), 0);
	ck_assert_int_eq(do_munmap(mm, p, 4 * PAGE_SIZE), 0);
	ck_assert_uint_eq(mm_live_folios(), 0);
}
END_TEST

/* Partial munmap splits the VMA; the remaining pieces still fault. */
START_TEST(munmap_middle_splits_vma)
{
	unsigned long s = map(NULL, 6 * PAGE_SIZE, MAP_SHARED | MAP_ANONYMOUS);
	u8 b = 9;

	mm_host_fill(mm, s, 0x21, 6 * PAGE_SIZE);
	ck_assert_int_eq(do_munmap(mm, s + 2 * PAGE_SIZE, 2 * PAGE_SIZE), 0);
	ck_assert_uint_eq(mm_host_read(mm, s + 2 * PAGE_SIZE, &b, 1), VM_FAULT_SIGSEGV);
	ck_assert_int_eq(host_value(s + PAGE_SIZE, PAGE_SIZE), 0x21);
	ck_assert_int_eq(host_value(s + 4 * PAGE_SIZE, 2 * PAGE_SIZE), 0x21);
	/* Both pieces share the shmem file: the cache still holds 6 pages. */
	ck_assert_uint_eq(mm_live_folios(), 6);
	ck_assert_int_eq(do_munmap(mm, s, 6 * PAGE_SIZE), 0);
	ck_assert_uint_eq(mm_live_folios(), 0);
}
END_TEST

/*
 * Free-running stress (for TSan): writers fault pages of a shared mapping
 * in while another thread punches holes, another DONTNEEDs, another GUPs.
 * At the end nothing was reported and every folio is accounted for.
 */
struct stress {
	struct file *file;
	unsigned long addr;
	int id;
};

#define STRESS_PAGES	16
#define STRESS_ITERS	3000

static void *stress_thread(void *p)
{
	struct stress *st = p;
	unsigned int x = 12345 + st->id;
	int i;

	shim_ctx = &mmt_ctx;
	mm_world_set_current(mmt_world);
	for (i = 0; i < STRESS_ITERS; i++) {
		unsigned long pg;
		struct page *page;

		x = x * 1103515245 + 12345;
		pg = (x >> 8) % STRESS_PAGES;
		switch (st->id) {
		case 0:
		case 1:
			ck_assert_uint_eq(mm_host_fill(mm, st->addr + pg * PAGE_SIZE, 0x40 + st->id,
						       PAGE_SIZE), 0);
			break;
		case 2:
			st->file->f_op->fallocate(st->file, FALLOC_FL_PUNCH_HOLE |
						  FALLOC_FL_KEEP_SIZE, pg * PAGE_SIZE, PAGE_SIZE);
			break;
		case 3:
			do_madvise(mm, st->addr + pg * PAGE_SIZE, 2 * PAGE_SIZE, MADV_DONTNEED);
			break;
		default:
			if (get_user_pages_remote(mm, st->addr + pg * PAGE_SIZE, 1, FOLL_WRITE,
						  &page, NULL) == 1)
				put_page(page);
			break;
		}
	}
	return NULL;
}

START_TEST(free_running_fault_punch_stress)
{
	struct file *file = shmem_file_setup("s", (STRESS_PAGES + 1) * PAGE_SIZE, 0);
	unsigned long addr = map(file, (STRESS_PAGES + 1) * PAGE_SIZE, MAP_SHARED);
	struct stress st[5];
	pthread_t th[5];
	int i;

	for (i = 0; i < 5; i++) {
		st[i] = (struct stress){ file, addr, i };
		pthread_create(&th[i], NULL, stress_thread, &st[i]);
	}
	for (i = 0; i < 5; i++)
		pthread_join(th[i], NULL);
	ck_assert_uint_eq(mmt_nreports(SHIM_REPORT_WARN), 0);
	ck_assert_uint_eq(mmt_nreports(SHIM_REPORT_SLAB), 0);
	ck_assert_uint_eq(mmt_nreports(SHIM_REPORT_LOCKDEP), 0);
	ck_assert_uint_eq(mm_live_folios(), file->f_mapping->nrpages);
	ck_assert_int_eq(do_munmap(mm, addr, (STRESS_PAGES + 1) * PAGE_SIZE), 0);
	fput(file);
	ck_assert_uint_eq(mm_live_folios(), 0);
}
END_TEST

/* World reset tears down mappings left behind and drops their files. */
START_TEST(world_reset_drops_mappings)
{
	unsigned long a = map(NULL, 4 * PAGE_SIZE, MAP_SHARED | MAP_ANONYMOUS);
	unsigned long p = map(NULL, 4 * PAGE_SIZE, MAP_PRIVATE | MAP_ANONYMOUS);

	mm_host_fill(mm, a, 1, 4 * PAGE_SIZE);
	mm_host_fill(mm, p, 1, 4 * PAGE_SIZE);
	ck_assert_uint_eq(mm_live_folios(), 8);
	ck_assert_uint_eq(mm_world_reset(mmt_world, false), 0);
	ck_assert_uint_eq(mmt_nreports(SHIM_REPORT_SLAB), 0);
}
END_TEST

static Suite *mm_user_suite(void)
{
	Suite *s = suite_create("mm_user");
	TCase *tc = tcase_create("user");

	tcase_add_checked_fixture(tc, um_setup, um_teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, shared_anon_fault_and_contents);
	tcase_add_test(tc, sigbus_past_eof);
	tcase_add_test(tc, dontneed_shared_keeps_private_zeroes);
	tcase_add_test(tc, truncate_unmaps_and_refaults);
	tcase_add_test(tc, truncate_alone_unmaps_user_mappings);
	tcase_add_loop_test(tc, fault_result_table, 0, ARRAY_SIZE(fault_rows));
	tcase_add_test(tc, gup_and_pins);
	tcase_add_test(tc, anon_thp_level_and_split);
	tcase_add_test(tc, anon_thp_needs_whole_block);
	tcase_add_test(tc, mmap_madvise_errors);
	tcase_add_test(tc, madvise_remove_punches_file);
	tcase_add_test(tc, munmap_middle_splits_vma);
	tcase_add_test(tc, world_reset_drops_mappings);
	tcase_add_test(tc, free_running_fault_punch_stress);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return mmt_run(mm_user_suite());
}
