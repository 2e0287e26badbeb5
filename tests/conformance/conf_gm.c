// SPDX-License-Identifier: GPL-2.0
/*
 * Conformance rows GM-01 .. GM-35 (spec §4.1, guest_memfd_test.c ML-7.1)
 * against the model backend.  As upstream, the per-fd tests run for every
 * VM type and every relevant creation-flags value (0; MMAP; MMAP|INIT_SHARED
 * when the VM supports it).  GM-30..33 (NUMA) are not modelled (README).
 */
#include <stdlib.h>

#include "conf_util.h"
#include <uapi/linux/kvm_gmem.h>

#define FSIZE	(4 * PAGE)
#define KS	CONF_FALLOC_KEEP_SIZE
#define PH	CONF_FALLOC_PUNCH_HOLE

static const unsigned long vm_types[] = {
	KVM_X86_DEFAULT_VM, KVM_X86_SW_PROTECTED_VM, KVM_X86_SNP_VM, KVM_X86_TDX_VM,
};

static uint64_t vm_flags_cap(struct conf *c, int vm)
{
	struct trace_result r = conf_call(c, TOP_CHECK_EXTENSION, H(vm),
					  N(KVM_CAP_GUEST_MEMFD_FLAGS));

	CONF_OK(r);
	return (uint64_t)r.ret;
}

/* Run @fn(c, vm, fd, flags) for every VM type and flags value upstream uses. */
static void for_each_config(void (*fn)(struct conf *c, int vm, int fd, uint64_t flags))
{
	static const uint64_t flag_sets[] = {
		0, GUEST_MEMFD_FLAG_MMAP,
		GUEST_MEMFD_FLAG_MMAP | GUEST_MEMFD_FLAG_INIT_SHARED,
	};
	size_t t, f;

	for (t = 0; t < sizeof(vm_types) / sizeof(vm_types[0]); t++) {
		for (f = 0; f < 3; f++) {
			struct conf *c = conf_new(NULL);
			int vm = conf_vm(c, vm_types[t]);
			uint64_t caps = vm_flags_cap(c, vm);
			int fd;

			if (flag_sets[f] & ~caps) {
				conf_free(c);
				continue;
			}
			fd = conf_gmem(c, vm, FSIZE, flag_sets[f]);
			fn(c, vm, fd, flag_sets[f]);
			conf_free(c);
		}
	}
}

static void gm01_03(struct conf *c, int vm, int fd, uint64_t flags)
{
	CONF_ERRNO(conf_call(c, TOP_READ, H(fd), N(PAGE)), EINVAL);
	CONF_ERRNO(conf_call(c, TOP_WRITE, H(fd), N(PAGE)), EINVAL);
	CONF_ERRNO(conf_call(c, TOP_PREAD, H(fd), N(PAGE), N(0)), EINVAL);
	CONF_ERRNO(conf_call(c, TOP_PWRITE, H(fd), N(PAGE), N(0)), EINVAL);
}

START_TEST(GM_01_02_03_read_write_pread_pwrite_fail)
{
	for_each_config(gm01_03);
}
END_TEST

static void gm04(struct conf *c, int vm, int fd, uint64_t flags)
{
	struct trace_result r = conf_call(c, TOP_FSTAT, H(fd));

	CONF_RET(r, FSIZE);
	ck_assert_uint_eq(r.st_blksize, PAGE);
}

START_TEST(GM_04_fstat_size_blksize)
{
	for_each_config(gm04);
}
END_TEST

/* GM-05: each of the 64 flag bits is accepted iff the VM reports it. */
START_TEST(GM_05_flags_bit_loop)
{
	static const uint64_t expect_caps[] = {
		[KVM_X86_DEFAULT_VM] = GUEST_MEMFD_FLAG_MMAP | GUEST_MEMFD_FLAG_INIT_SHARED,
		[KVM_X86_SW_PROTECTED_VM] = GUEST_MEMFD_FLAG_MMAP,
		[KVM_X86_SNP_VM] = GUEST_MEMFD_FLAG_MMAP,
		[KVM_X86_TDX_VM] = GUEST_MEMFD_FLAG_MMAP,
	};
	size_t t;
	int i;

	for (t = 0; t < sizeof(vm_types) / sizeof(vm_types[0]); t++) {
		struct conf *c = conf_new(NULL);
		int vm = conf_vm(c, vm_types[t]);
		uint64_t caps = vm_flags_cap(c, vm);

		ck_assert_msg(caps == expect_caps[vm_types[t]],
			      "type %lu: GUEST_MEMFD_FLAGS %#llx", vm_types[t],
			      (unsigned long long)caps);
		for (i = 0; i < 64; i++) {
			uint64_t flag = 1ULL << i;
			struct trace_result r = conf_call(c, TOP_CREATE_GUEST_MEMFD, H(vm),
							  N(FSIZE), N(flag), N(0));

			if (flag & caps)
				CONF_OK(r);
			else
				CONF_ERRNO(r, EINVAL);
		}
		conf_free(c);
	}
	/* The /dev/kvm query reports both flags (spec §2.5). */
	{
		struct conf *c = conf_new(NULL);

		CONF_RET(conf_call(c, TOP_CHECK_EXTENSION, N(0), N(KVM_CAP_GUEST_MEMFD_FLAGS)),
			 GUEST_MEMFD_FLAG_MMAP | GUEST_MEMFD_FLAG_INIT_SHARED);
		conf_free(c);
	}
}
END_TEST

START_TEST(GM_06_size_not_page_multiple)
{
	static const uint64_t flag_sets[] = { 0, 1, 3 };
	struct conf *c = conf_new(NULL);
	int vm = conf_vm(c, KVM_X86_DEFAULT_VM);
	uint64_t size;
	size_t f;

	c->no_check = true;	/* 12k calls: check once at the end */
	for (f = 0; f < 3; f++)
		for (size = 1; size < PAGE; size++)
			CONF_ERRNO(conf_call(c, TOP_CREATE_GUEST_MEMFD, H(vm), N(size),
					     N(flag_sets[f]), N(0)), EINVAL);
	conf_free(c);
}
END_TEST

START_TEST(GM_07_size_zero_or_negative)
{
	static const uint64_t sizes[] = { 0, 1ULL << 63, -PAGE, -1ULL, (1ULL << 63) + PAGE };
	struct conf *c = conf_new(NULL);
	int vm = conf_vm(c, KVM_X86_DEFAULT_VM);
	size_t i;

	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
		CONF_ERRNO(conf_call(c, TOP_CREATE_GUEST_MEMFD, H(vm), N(sizes[i]),
				     N(0), N(0)), EINVAL);
	conf_free(c);
}
END_TEST

START_TEST(GM_08_two_creations_distinct_inodes)
{
	struct conf *c = conf_new(NULL);
	int vm = conf_vm(c, KVM_X86_DEFAULT_VM);
	int fd1 = conf_gmem(c, vm, PAGE, 0);
	int fd2 = conf_gmem(c, vm, 2 * PAGE, 0);
	struct trace_result s1 = conf_call(c, TOP_FSTAT, H(fd1));
	struct trace_result s2 = conf_call(c, TOP_FSTAT, H(fd2));

	CONF_RET(s1, PAGE);
	CONF_RET(s2, 2 * PAGE);
	ck_assert_uint_ne(s1.st_ino, s2.st_ino);
	CONF_OK(conf_call(c, TOP_FALLOCATE, H(fd1), N(KS), N(0), N(PAGE)));
	CONF_OK(conf_call(c, TOP_FALLOCATE, H(fd2), N(KS), N(0), N(2 * PAGE)));
	conf_free(c);
}
END_TEST

/* GM-09 .. GM-17, GM-19: the fallocate table of guest_memfd_test.c. */
static const struct {
	const char *row;
	int mode;
	uint64_t off, len;
	int err;		/* 0: success */
} falloc_rows[] = {
	{ "GM-09", KS, 0, FSIZE, 0 },
	{ "GM-10", KS, PAGE - 1, PAGE, EINVAL },
	{ "GM-11", KS, FSIZE, PAGE, EINVAL },
	{ "GM-12", KS, FSIZE + PAGE, PAGE, EINVAL },
	{ "GM-13", KS | PH, FSIZE, PAGE, 0 },
	{ "GM-14", KS | PH, FSIZE + PAGE, PAGE, 0 },
	{ "GM-15", KS | PH, PAGE, PAGE - 1, EINVAL },
	{ "GM-16", KS | PH, PAGE, PAGE, 0 },
	{ "GM-17", KS, PAGE, PAGE, 0 },
	{ "GM-19", 0, 0, PAGE, EOPNOTSUPP },
	{ "GM-19", PH, 0, PAGE, EOPNOTSUPP },
	{ "GM-19", KS | 0x04, 0, PAGE, EOPNOTSUPP },
};

static void gm09_19(struct conf *c, int vm, int fd, uint64_t flags)
{
	size_t i;

	for (i = 0; i < sizeof(falloc_rows) / sizeof(falloc_rows[0]); i++) {
		struct trace_result r = conf_call(c, TOP_FALLOCATE, H(fd),
						  N(falloc_rows[i].mode),
						  N(falloc_rows[i].off),
						  N(falloc_rows[i].len));

		if (falloc_rows[i].err)
			ck_assert_msg(r.kind == TRES_ERRNO && r.err == falloc_rows[i].err,
				      "%s: got %s", falloc_rows[i].row, conf_fmt(&r));
		else
			ck_assert_msg(r.kind == TRES_OK && r.ret == 0, "%s: got %s",
				      falloc_rows[i].row, conf_fmt(&r));
	}
}

START_TEST(GM_09_to_17_and_19_fallocate_table)
{
	for_each_config(gm09_19);
}
END_TEST

static void gm18(struct conf *c, int vm, int fd, uint64_t flags)
{
	static const uint64_t t[][2] = {
		{ 0, 1 }, { 0, PAGE - 1 }, { 0, PAGE + 1 },
		{ 1, 1 }, { 1, PAGE - 1 }, { 1, PAGE }, { 1, PAGE + 1 },
		{ PAGE, 1 }, { PAGE, PAGE - 1 }, { PAGE, PAGE + 1 },
	};
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		CONF_ERRNO(conf_call(c, TOP_FALLOCATE, H(fd), N(KS | PH), N(t[i][0]),
				     N(t[i][1])), EINVAL);
}

START_TEST(GM_18_invalid_punch_hole_table)
{
	for_each_config(gm18);
}
END_TEST

START_TEST(GM_20_mmap_without_MMAP_flag)
{
	struct conf *c = conf_new(NULL);
	int vm = conf_vm(c, KVM_X86_DEFAULT_VM);
	int fd = conf_gmem(c, vm, FSIZE, 0);

	ck_assert_int_lt(conf_bind(c, TOP_MMAP, H(fd), N(FSIZE), N(CONF_PROT_RW),
				   N(CONF_MAP_SHARED), N(0)), 0);
	CONF_ERRNO(c->last, ENODEV);
	ck_assert_int_lt(conf_bind(c, TOP_MMAP, H(fd), N(FSIZE), N(CONF_PROT_RW),
				   N(CONF_MAP_PRIVATE), N(0)), 0);
	ck_assert_int_eq(c->last.kind, TRES_ERRNO);
	conf_free(c);
}
END_TEST

static int shared_setup(struct conf **cp, int *fdp, uint64_t map_len)
{
	struct conf *c = conf_new(NULL);
	int vm = conf_vm(c, KVM_X86_DEFAULT_VM);
	int fd = conf_gmem(c, vm, FSIZE,
			   GUEST_MEMFD_FLAG_MMAP | GUEST_MEMFD_FLAG_INIT_SHARED);
	int map = conf_bind(c, TOP_MMAP, H(fd), N(map_len), N(CONF_PROT_RW),
			    N(CONF_MAP_SHARED), N(0));

	ck_assert_msg(map >= 0, "mmap: %s", conf_fmt(&c->last));
	*cp = c;
	if (fdp)
		*fdp = fd;
	return map;
}

START_TEST(GM_21_mmap_private_refused)
{
	struct conf *c = conf_new(NULL);
	int vm = conf_vm(c, KVM_X86_DEFAULT_VM);
	int fd = conf_gmem(c, vm, FSIZE, GUEST_MEMFD_FLAG_MMAP | GUEST_MEMFD_FLAG_INIT_SHARED);

	ck_assert_int_lt(conf_bind(c, TOP_MMAP, H(fd), N(FSIZE), N(CONF_PROT_RW),
				   N(CONF_MAP_PRIVATE), N(0)), 0);
	CONF_ERRNO(c->last, EINVAL);
	conf_free(c);
}
END_TEST

START_TEST(GM_22_23_mmap_write_read_then_punch)
{
	struct conf *c;
	int fd, map = shared_setup(&c, &fd, FSIZE);

	CONF_OK(conf_call(c, TOP_HOST_WRITE, H(map), N(0), N(0xaa), N(FSIZE)));
	CONF_VALUE(conf_call(c, TOP_HOST_READ, H(map), N(0), N(FSIZE)), 0xaa);
	/* GM-23 */
	CONF_OK(conf_call(c, TOP_FALLOCATE, H(fd), N(KS | PH), N(0), N(PAGE)));
	CONF_VALUE(conf_call(c, TOP_HOST_READ, H(map), N(0), N(PAGE)), 0x00);
	CONF_VALUE(conf_call(c, TOP_HOST_READ, H(map), N(PAGE), N(FSIZE - PAGE)), 0xaa);
	conf_free(c);
}
END_TEST

START_TEST(GM_24_25_map_larger_than_file)
{
	struct conf *c;
	int map = shared_setup(&c, NULL, 2 * FSIZE);

	CONF_OK(conf_call(c, TOP_HOST_WRITE, H(map), N(0), N(0x5a), N(FSIZE)));
	CONF_VALUE(conf_call(c, TOP_HOST_READ, H(map), N(0), N(FSIZE)), 0x5a);
	/* GM-25: one byte past EOF */
	CONF_SIGBUS(conf_call(c, TOP_HOST_READ, H(map), N(FSIZE), N(1)));
	CONF_SIGBUS(conf_call(c, TOP_HOST_WRITE, H(map), N(2 * FSIZE - PAGE), N(1), N(1)));
	conf_free(c);
}
END_TEST

START_TEST(GM_26_mmap_private_gmem_sigbus)
{
	struct conf *c = conf_new(NULL);
	int vm = conf_vm(c, KVM_X86_SW_PROTECTED_VM);
	int fd = conf_gmem(c, vm, FSIZE, GUEST_MEMFD_FLAG_MMAP);
	int map = conf_bind(c, TOP_MMAP, H(fd), N(FSIZE), N(CONF_PROT_RW),
			    N(CONF_MAP_SHARED), N(0));

	ck_assert_msg(map >= 0, "mmap: %s", conf_fmt(&c->last));
	CONF_SIGBUS(conf_call(c, TOP_HOST_READ, H(map), N(0), N(1)));
	CONF_SIGBUS(conf_call(c, TOP_HOST_WRITE, H(map), N(PAGE), N(1), N(1)));
	conf_free(c);
}
END_TEST

START_TEST(GM_27_28_29_madvise)
{
	struct conf *c;
	int map = shared_setup(&c, NULL, FSIZE);

	CONF_OK(conf_call(c, TOP_MADVISE, H(map), N(0), N(FSIZE), N(CONF_MADV_HUGEPAGE)));
	CONF_ERRNO(conf_call(c, TOP_MADVISE, H(map), N(0), N(FSIZE), N(CONF_MADV_COLLAPSE)),
		   EINVAL);
	/* GM-29: DONTNEED drops PTEs; the page cache keeps the data. */
	CONF_OK(conf_call(c, TOP_HOST_WRITE, H(map), N(0), N(0x77), N(FSIZE)));
	CONF_OK(conf_call(c, TOP_MADVISE, H(map), N(0), N(FSIZE), N(CONF_MADV_DONTNEED)));
	CONF_VALUE(conf_call(c, TOP_HOST_READ, H(map), N(0), N(FSIZE)), 0x77);
	conf_free(c);
}
END_TEST

/* GM-34/35: a GMEM_ONLY slot; host and guest share the folios. */
START_TEST(GM_34_35_guest_and_host_share_gmem_only_slot)
{
	const uint64_t gpa = 1ULL << 32;
	struct conf *c;
	int fd, map = shared_setup(&c, &fd, FSIZE);
	int vm = 0;	/* the first handle is the VM */
	int cpu;

	CONF_OK(conf_region2(c, vm, 0, KVM_MEM_GUEST_MEMFD, gpa, FSIZE, 0, fd, 0));
	cpu = conf_bind(c, TOP_VCPU_CREATE, H(vm), N(0));
	ck_assert_int_ge(cpu, 0);

	CONF_OK(conf_call(c, TOP_HOST_WRITE, H(map), N(0), N(0xaa), N(FSIZE)));
	CONF_VALUE(conf_call(c, TOP_GUEST_READ, H(cpu), N(gpa), N(FSIZE), N(0)), 0xaa);
	/* GM-35 */
	CONF_OK(conf_call(c, TOP_GUEST_WRITE, H(cpu), N(gpa), N(0xff), N(FSIZE), N(0)));
	CONF_VALUE(conf_call(c, TOP_HOST_READ, H(map), N(0), N(FSIZE)), 0xff);
	conf_free(c);
}
END_TEST

static Suite *gm_suite(void)
{
	Suite *s = suite_create("conformance-GM");
	TCase *tc = tcase_create("GM");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, GM_01_02_03_read_write_pread_pwrite_fail);
	tcase_add_test(tc, GM_04_fstat_size_blksize);
	tcase_add_test(tc, GM_05_flags_bit_loop);
	tcase_add_test(tc, GM_06_size_not_page_multiple);
	tcase_add_test(tc, GM_07_size_zero_or_negative);
	tcase_add_test(tc, GM_08_two_creations_distinct_inodes);
	tcase_add_test(tc, GM_09_to_17_and_19_fallocate_table);
	tcase_add_test(tc, GM_18_invalid_punch_hole_table);
	tcase_add_test(tc, GM_20_mmap_without_MMAP_flag);
	tcase_add_test(tc, GM_21_mmap_private_refused);
	tcase_add_test(tc, GM_22_23_mmap_write_read_then_punch);
	tcase_add_test(tc, GM_24_25_map_larger_than_file);
	tcase_add_test(tc, GM_26_mmap_private_gmem_sigbus);
	tcase_add_test(tc, GM_27_28_29_madvise);
	tcase_add_test(tc, GM_34_35_guest_and_host_share_gmem_only_slot);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(gm_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
