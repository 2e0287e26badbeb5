// SPDX-License-Identifier: GPL-2.0
/*
 * kernel-shims header semantics, table-driven: kernel.h arithmetic, err.h,
 * log2.h, bitops, list.h, atomics, refcount saturation, WARN/BUG_ON
 * reporting, overflow.h, signal_pending() flags.
 */
#include <linux/atomic.h>
#include <linux/bitops.h>
#include <linux/bug.h>
#include <linux/err.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/log2.h>
#include <linux/overflow.h>
#include <linux/refcount.h>
#include <linux/sched/signal.h>
#include <linux/string.h>

#include <signal.h>
#include <sys/wait.h>

#include "shims_common.h"

struct arith_row {
	const char *what;
	unsigned long got, want;
};

/* Built at run time: min()/max() are statement expressions, as in the kernel. */
START_TEST(test_arith_table)
{
	const struct arith_row arith_rows[] = {
	{ "round_up(5, 4)", round_up(5UL, 4), 8 },
	{ "round_up(8, 4)", round_up(8UL, 4), 8 },
	{ "round_down(7, 4)", round_down(7UL, 4), 4 },
	{ "ALIGN(4097, PAGE_SIZE)", ALIGN(4097UL, PAGE_SIZE), 8192 },
	{ "ALIGN_DOWN(4097, PAGE_SIZE)", ALIGN_DOWN(4097UL, PAGE_SIZE), 4096 },
	{ "IS_ALIGNED(8192, 4096)", IS_ALIGNED(8192UL, 4096), 1 },
	{ "IS_ALIGNED(8193, 4096)", IS_ALIGNED(8193UL, 4096), 0 },
	{ "DIV_ROUND_UP(9, 4)", DIV_ROUND_UP(9, 4), 3 },
	{ "PAGE_SHIFT", PAGE_SHIFT, 12 },
	{ "PAGE_SIZE", PAGE_SIZE, 4096 },
	{ "PAGE_MASK", PAGE_MASK, ~0xfffUL },
	{ "BIT(5)", BIT(5), 32 },
	{ "BIT_ULL(40)", BIT_ULL(40), 1ULL << 40 },
	{ "GENMASK(7, 4)", GENMASK(7, 4), 0xf0 },
	{ "GENMASK(63, 0)", GENMASK(63, 0), ~0UL },
	{ "GENMASK_ULL(51, 12)", GENMASK_ULL(51, 12), 0x000ffffffffff000ULL },
	{ "min(3, 9)", min(3, 9), 3 },
	{ "max(3, 9)", max(3, 9), 9 },
	{ "min_t(u8, 200, 5)", min_t(u8, 200, 5), 5 },
	{ "max_t(long, -1, 0)", max_t(long, -1, 0), 0 },
	{ "clamp(12, 0, 10)", clamp(12, 0, 10), 10 },
	{ "clamp(-2, 0, 10)", (unsigned long)clamp(-2, 0, 10), 0 },
	{ "ilog2(1)", ilog2(1), 0 },
	{ "ilog2(4096)", ilog2(4096), 12 },
	{ "ilog2(4097)", ilog2(4097), 12 },
	{ "roundup_pow_of_two(5)", roundup_pow_of_two(5), 8 },
	{ "roundup_pow_of_two(1)", roundup_pow_of_two(1), 1 },
	{ "rounddown_pow_of_two(5)", rounddown_pow_of_two(5), 4 },
	{ "is_power_of_2(0)", is_power_of_2(0), 0 },
	{ "is_power_of_2(64)", is_power_of_2(64), 1 },
	{ "order_base_2(5)", order_base_2(5), 3 },
	{ "fls(0)", fls(0), 0 },
	{ "fls(0x80)", fls(0x80), 8 },
	{ "ffs(0x80)", ffs(0x80), 8 },
	{ "__ffs(0x80)", __ffs(0x80), 7 },
	{ "__fls(0x80)", __fls(0x80), 7 },
	{ "fls64(1ULL << 40)", fls64(1ULL << 40), 41 },
	{ "hweight64(0xff00)", hweight64(0xff00), 8 },
	{ "PMD_ORDER", PMD_ORDER, 9 },
	{ "MIN(3, 9)", MIN(3, 9), 3 },
	{ "MAX(3, 9)", MAX(3, 9), 9 },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(arith_rows); i++) {
		const struct arith_row *r = &arith_rows[i];

		ck_assert_msg(r->got == r->want, "%s = %#lx, want %#lx", r->what, r->got, r->want);
	}
}
END_TEST

struct ref_row {
	int start, op, end;
	bool ret, warns;
};
static const struct ref_row ref_rows[10];

START_TEST(test_swap_container_of)
{
	struct outer { int a; long b; } o = { 1, 2 };
	int x = 1, y = 2;

	swap(x, y);
	ck_assert_int_eq(x, 2);
	ck_assert_int_eq(y, 1);
	ck_assert_ptr_eq(container_of(&o.b, struct outer, b), &o);
	ck_assert_uint_eq(ARRAY_SIZE(ref_rows), sizeof(ref_rows) / sizeof(ref_rows[0]));
}
END_TEST

START_TEST(test_err_ptr)
{
	void *e = ERR_PTR(-ENOMEM);
	int v;

	ck_assert(IS_ERR(e));
	ck_assert_int_eq(PTR_ERR(e), -ENOMEM);
	ck_assert(!IS_ERR(&v));
	ck_assert(IS_ERR_OR_NULL(NULL));
	ck_assert(IS_ERR_OR_NULL(e));
	ck_assert(!IS_ERR_OR_NULL(&v));
	ck_assert_int_eq(PTR_ERR_OR_ZERO(&v), 0);
	ck_assert_int_eq(PTR_ERR_OR_ZERO(ERR_CAST(e)), -ENOMEM);
	ck_assert(IS_ERR(ERR_PTR(-MAX_ERRNO)));
	ck_assert(!IS_ERR(ERR_PTR(-MAX_ERRNO - 1)));
	ck_assert_int_eq(ENOTSUPP, 524);
	ck_assert_int_eq(EHWPOISON, 133);
	ck_assert_int_eq(EINTR, 4);
}
END_TEST

START_TEST(test_bitops)
{
	DECLARE_BITMAP(bm, 200);
	unsigned long bit, n = 0;

	bitmap_zero(bm, 200);
	ck_assert_uint_eq(find_first_bit(bm, 200), 200);
	set_bit(3, bm);
	__set_bit(64, bm);
	set_bit(199, bm);
	ck_assert(test_bit(64, bm));
	ck_assert(!test_bit(65, bm));
	ck_assert_uint_eq(find_first_bit(bm, 200), 3);
	ck_assert_uint_eq(find_next_bit(bm, 200, 4), 64);
	ck_assert_uint_eq(find_next_bit(bm, 199, 65), 199);
	ck_assert_uint_eq(find_first_zero_bit(bm, 200), 0);
	ck_assert_uint_eq(find_last_bit(bm, 200), 199);
	for_each_set_bit(bit, bm, 200)
		n++;
	ck_assert_uint_eq(n, 3);
	ck_assert_uint_eq(bitmap_weight(bm, 200), 3);
	ck_assert(test_and_clear_bit(3, bm));
	ck_assert(!test_and_clear_bit(3, bm));
	ck_assert(!test_and_set_bit(5, bm));
	ck_assert(test_and_set_bit(5, bm));
	clear_bit(5, bm);
	__clear_bit(64, bm);
	clear_bit(199, bm);
	ck_assert(bitmap_empty(bm, 200));
	bitmap_fill(bm, 70);
	ck_assert_uint_eq(find_first_zero_bit(bm, 200), 70);
}
END_TEST

struct item {
	int v;
	struct list_head node;
};

START_TEST(test_list)
{
	LIST_HEAD(head);
	LIST_HEAD(other);
	struct item it[4], *pos, *n;
	int i, sum = 0, order[4], k = 0;

	ck_assert(list_empty(&head));
	for (i = 0; i < 4; i++) {
		it[i].v = i;
		list_add_tail(&it[i].node, &head);
	}
	ck_assert_uint_eq(list_count_nodes(&head), 4);
	ck_assert_int_eq(list_first_entry(&head, struct item, node)->v, 0);
	ck_assert_int_eq(list_last_entry(&head, struct item, node)->v, 3);
	list_for_each_entry(pos, &head, node)
		order[k++] = pos->v;
	for (i = 0; i < 4; i++)
		ck_assert_int_eq(order[i], i);
	list_for_each_entry_safe(pos, n, &head, node) {
		if (pos->v % 2)
			list_del(&pos->node);
	}
	ck_assert_ptr_eq(it[1].node.next, LIST_POISON1);
	list_for_each_entry_reverse(pos, &head, node)
		sum += pos->v;
	ck_assert_int_eq(sum, 2);
	list_move_tail(&it[0].node, &other);
	ck_assert(list_is_singular(&other));
	list_splice_init(&other, &head);
	ck_assert(list_empty(&other));
	ck_assert_int_eq(list_first_entry_or_null(&head, struct item, node)->v, 0);
	list_del_init(&it[0].node);
	list_del_init(&it[2].node);
	ck_assert_ptr_null(list_first_entry_or_null(&head, struct item, node));
}
END_TEST

START_TEST(test_atomics)
{
	atomic_t a = ATOMIC_INIT(0);
	atomic64_t b = ATOMIC64_INIT(1LL << 40);
	atomic_long_t c = ATOMIC_LONG_INIT(5);
	int old = 2;
	long x = 0;

	ck_assert(!atomic_inc_not_zero(&a));
	ck_assert_int_eq(atomic_read(&a), 0);
	atomic_set(&a, 1);
	ck_assert(atomic_inc_not_zero(&a));
	ck_assert_int_eq(atomic_inc_return(&a), 3);
	ck_assert_int_eq(atomic_cmpxchg(&a, 3, 7), 3);
	ck_assert_int_eq(atomic_cmpxchg(&a, 3, 9), 7);
	ck_assert(!atomic_try_cmpxchg(&a, &old, 1));
	ck_assert_int_eq(old, 7);
	ck_assert_int_eq(atomic_xchg(&a, 1), 7);
	ck_assert(atomic_dec_and_test(&a));
	ck_assert_int_eq(atomic_dec_if_positive(&a), -1);
	ck_assert_int_eq(atomic_read(&a), 0);
	ck_assert(!atomic_add_unless(&a, 1, 0));
	ck_assert_int_eq(atomic_fetch_add(5, &a), 0);
	atomic_sub(5, &a);
	ck_assert_int_eq(atomic_read(&a), 0);
	atomic64_add(1, &b);
	ck_assert_int_eq(atomic64_read(&b), (1LL << 40) + 1);
	ck_assert(atomic_long_sub_and_test(5, &c));
	ck_assert_int_eq(cmpxchg(&x, 0, 4), 0);
	ck_assert_int_eq(xchg(&x, 6), 4);
	ck_assert_int_eq(READ_ONCE(x), 6);
	WRITE_ONCE(x, 8);
	ck_assert_int_eq(smp_load_acquire(&x), 8);
}
END_TEST

/* refcount rows: start value, operation, end value, WARN expected */
enum { R_INC, R_DEC_AND_TEST, R_DEC, R_INC_NOT_ZERO };
static const struct ref_row ref_rows[10] = {
	{ 1, R_INC, 2, false, false },
	{ 0, R_INC, REFCOUNT_SATURATED, false, true },		/* use after free */
	{ INT_MAX, R_INC, REFCOUNT_SATURATED, false, true },	/* overflow */
	{ 2, R_DEC_AND_TEST, 1, false, false },
	{ 1, R_DEC_AND_TEST, 0, true, false },
	{ 0, R_DEC_AND_TEST, REFCOUNT_SATURATED, false, true },	/* underflow */
	{ 2, R_DEC, 1, false, false },
	{ 1, R_DEC, REFCOUNT_SATURATED, false, true },		/* hit 0: leak */
	{ 0, R_INC_NOT_ZERO, 0, false, false },
	{ 3, R_INC_NOT_ZERO, 4, true, false },
};

START_TEST(test_refcount_table)
{
	const struct ref_row *r = &ref_rows[_i];
	refcount_t rc;
	bool ret = false;

	capture_reset();
	refcount_set(&rc, r->start);
	switch (r->op) {
	case R_INC: refcount_inc(&rc); break;
	case R_DEC_AND_TEST: ret = refcount_dec_and_test(&rc); break;
	case R_DEC: refcount_dec(&rc); break;
	case R_INC_NOT_ZERO: ret = refcount_inc_not_zero(&rc); break;
	}
	ck_assert_msg((int)refcount_read(&rc) == r->end, "row %d: %d", _i, (int)refcount_read(&rc));
	ck_assert_int_eq(ret, r->ret);
	ck_assert_uint_eq(captured_count(SHIM_REPORT_WARN), r->warns ? 1 : 0);
	if (r->warns)
		ck_assert(strstr(captured_last(SHIM_REPORT_WARN), "refcount_t"));
}
END_TEST

static int warn_once_site(int v)
{
	return WARN_ON_ONCE(v > 1);
}

START_TEST(test_warn)
{
	int x = 5;

	capture_reset();
	ck_assert(!WARN_ON(x < 0));
	ck_assert_uint_eq(captured_count(SHIM_REPORT_WARN), 0);
	ck_assert(WARN_ON(x == 5));
	ck_assert_uint_eq(captured_count(SHIM_REPORT_WARN), 1);
	ck_assert_str_eq(captured_last(SHIM_REPORT_WARN), "WARN_ON(x == 5)");
	ck_assert(WARN(x, "x is %d", x));
	ck_assert_str_eq(captured_last(SHIM_REPORT_WARN), "x is 5");
	ck_assert(warn_once_site(2));
	ck_assert(warn_once_site(3));
	ck_assert_uint_eq(captured_count(SHIM_REPORT_WARN), 3);
	/* a reset (next execution) re-arms the ONCE */
	shim_report_reset();
	ck_assert_uint_eq(shim_report_count(SHIM_REPORT_WARN), 0);
	ck_assert(warn_once_site(2));
	ck_assert(warn_once_site(2));
	ck_assert_uint_eq(shim_report_count(SHIM_REPORT_WARN), 1);
	BUG_ON(x != 5);		/* false: must not fire */
	ck_assert_uint_eq(shim_report_count(SHIM_REPORT_BUG), 0);
	ck_assert_str_eq(shim_report_name(SHIM_REPORT_LOCKDEP), "LOCKDEP");
	ck_assert_str_eq(shim_op_name(SHIM_OP_SYNCHRONIZE_SRCU), "synchronize_srcu");
	ck_assert_str_eq(shim_op_name(SHIM_OP_NR), "?");
}
END_TEST

START_TEST(test_overflow)
{
	u64 d;
	u32 s;
	int i;

	ck_assert(!check_add_overflow(1ULL, 2ULL, &d));
	ck_assert_uint_eq(d, 3);
	ck_assert(check_add_overflow(U64_MAX, 1ULL, &d));
	ck_assert(check_mul_overflow(1U << 20, 1U << 20, &s));
	ck_assert(check_sub_overflow(0U, 1U, &s));
	ck_assert(!check_mul_overflow(3, 4, &i));
	ck_assert_int_eq(i, 12);
	ck_assert_uint_eq(size_mul(SIZE_MAX, 2), SIZE_MAX);
	ck_assert_uint_eq(size_add(4, 5), 9);
}
END_TEST

START_TEST(test_signal_flags)
{
	struct shim_task t = { .tid = 3, .name = "sig" };

	shim_task_enter(&t);
	ck_assert_ptr_eq(current, &t);
	ck_assert(!signal_pending(current));
	ck_assert_int_eq(shim_task_set_signal(&t, SHIM_SIGNAL_PENDING), 0);
	ck_assert(signal_pending(current));
	ck_assert(!fatal_signal_pending(current));
	ck_assert_int_eq(shim_task_set_signal(&t, SHIM_SIGNAL_FATAL), 0);
	ck_assert(signal_pending(current));
	ck_assert(fatal_signal_pending(current));
	ck_assert_int_eq(shim_task_set_signal(&t, 0), 0);
	ck_assert(!signal_pending(current));
	shim_task_set_signal(&t, SHIM_SIGNAL_PENDING);
	shim_signal_reset();
	ck_assert(!signal_pending(current));
	shim_task_exit();
	ck_assert_ptr_ne(current, &t);
	ck_assert_int_eq(current->tid, -1);
}
END_TEST

/* Free-running BUG_ON prints through the sink and aborts the process. */
START_TEST(test_bug_on_aborts)
{
	int status, x = 1;
	pid_t pid = fork();

	ck_assert_int_ge(pid, 0);
	if (!pid) {
		shim_report_sink = NULL;	/* default: stderr */
		BUG_ON(x == 1);
		_exit(0);			/* not reached */
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFSIGNALED(status));
	ck_assert_int_eq(WTERMSIG(status), SIGABRT);
}
END_TEST

START_TEST(test_strscpy)
{
	char buf[4];

	ck_assert_int_eq(strscpy(buf, "abc", sizeof(buf)), 3);
	ck_assert_str_eq(buf, "abc");
	ck_assert_int_eq(strscpy(buf, "abcd", sizeof(buf)), -E2BIG);
	ck_assert_str_eq(buf, "abc");
	ck_assert_int_eq(strscpy(buf, "x", 0), -E2BIG);
	memset(buf, 0, sizeof(buf));
	ck_assert(mem_is_zero(buf, sizeof(buf)));
	buf[3] = 1;
	ck_assert(!mem_is_zero(buf, sizeof(buf)));
}
END_TEST

/* A shim reporting at the model's "file:line" site hands hooks both apart. */
START_TEST(test_report_site_split)
{
	struct mutex m;
	int line;

	capture_reset();
	mutex_init(&m);
	line = __LINE__ + 1;
	lockdep_assert_held(&m);
	ck_assert_uint_eq(captured_count(SHIM_REPORT_LOCKDEP), 1);
	ck_assert_int_eq(cap.last_line, line);
	ck_assert_ptr_nonnull(strstr(cap.last_file, "shims_basic_test.c"));
	ck_assert_ptr_null(strchr(cap.last_file, ':'));
	/* a WARN keeps its own file and line */
	line = __LINE__ + 1;
	WARN_ON(line > 0);
	ck_assert_int_eq(cap.last_line, line);
	ck_assert_str_eq(cap.last_file, __FILE__);
}
END_TEST

static Suite *basic_suite(void)
{
	Suite *s = suite_create("shims_basic");
	TCase *tc = tcase_create("basic");

	tcase_add_test(tc, test_arith_table);
	tcase_add_test(tc, test_swap_container_of);
	tcase_add_test(tc, test_err_ptr);
	tcase_add_test(tc, test_bitops);
	tcase_add_test(tc, test_list);
	tcase_add_test(tc, test_atomics);
	tcase_add_loop_test(tc, test_refcount_table, 0, ARRAY_SIZE(ref_rows));
	tcase_add_test(tc, test_warn);
	tcase_add_test(tc, test_overflow);
	tcase_add_test(tc, test_signal_flags);
	tcase_add_test(tc, test_bug_on_aborts);
	tcase_add_test(tc, test_strscpy);
	tcase_add_test(tc, test_report_site_split);
	suite_add_tcase(s, tc);
	return s;
}

int main(int argc, char **argv)
{
	return shims_test_main(argc, argv, basic_suite());
}
