/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared fixture for the model/mm unit tests: a fresh world per test,
 * report capture, and a leak check at teardown (slab live objects back to
 * the baseline, no live folio).
 */
#ifndef MM_TEST_UTIL_H
#define MM_TEST_UTIL_H

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <linux/mm.h>
#include <linux/pagemap.h>
#include <linux/fs.h>
#include <shim/sched.h>
#include <shim/slab.h>

static unsigned long mmt_reports[SHIM_REPORT_NR];
static char mmt_last_msg[1024];
static pthread_mutex_t mmt_report_lock = PTHREAD_MUTEX_INITIALIZER;

static void mmt_sink(enum shim_report_kind kind, const char *msg, const char *file, int line)
{
	pthread_mutex_lock(&mmt_report_lock);
	mmt_reports[kind]++;
	snprintf(mmt_last_msg, sizeof(mmt_last_msg), "%s", msg);
	pthread_mutex_unlock(&mmt_report_lock);
}

static u64 mmt_step_now;
static u64 mmt_step(void)
{
	return mmt_step_now;
}

static struct shim_ctx mmt_ctx = { .step = mmt_step };
static struct mm_world *mmt_world;
static unsigned long mmt_slab_base;

static void mmt_setup(void)
{
	memset(mmt_reports, 0, sizeof(mmt_reports));
	mmt_last_msg[0] = 0;
	mmt_step_now = 0;
	shim_ctx = &mmt_ctx;
	shim_report_sink = mmt_sink;
	mmt_slab_base = shim_slab_live_objects();
	mmt_world = mm_world_create();
	ck_assert_ptr_nonnull(mmt_world);
	mm_world_set_current(mmt_world);
}

static void mmt_teardown(void)
{
	unsigned long live = mm_world_reset(mmt_world, false);

	ck_assert_msg(live == 0, "%lu folios leaked", live);
	mm_world_destroy(mmt_world);
	mmt_world = NULL;
	ck_assert_uint_eq(shim_slab_live_objects(), mmt_slab_base);
	shim_slab_fail_after(0);
}

static unsigned long mmt_nreports(enum shim_report_kind kind)
{
	unsigned long n;

	pthread_mutex_lock(&mmt_report_lock);
	n = mmt_reports[kind];
	pthread_mutex_unlock(&mmt_report_lock);
	return n;
}

/* Run a Check suite; nonzero exit on failure. */
static int mmt_run(Suite *s)
{
	SRunner *sr = srunner_create(s);
	int nfail;

	srunner_set_fork_status(sr, CK_NOFORK);
	srunner_run_all(sr, CK_NORMAL);
	nfail = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nfail ? EXIT_FAILURE : EXIT_SUCCESS;
}

#endif /* MM_TEST_UTIL_H */
