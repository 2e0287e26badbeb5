/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared helpers of the kernel-shims unit tests: a report sink that
 * captures what the shims report, and a main() that takes -s SEED.
 */
#ifndef SHIMS_COMMON_H
#define SHIMS_COMMON_H

#include <check.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <shim/sched.h>
#include <linux/lockdep.h>

struct captured {
	pthread_mutex_t lock;
	unsigned long count[SHIM_REPORT_NR];
	char last[SHIM_REPORT_NR][1024];
	char all[8192];			/* every message, concatenated */
	const char *last_file;		/* of the last report of any kind */
	int last_line;
};

static struct captured cap = { .lock = PTHREAD_MUTEX_INITIALIZER };

static void capture_sink(enum shim_report_kind kind, const char *msg,
			 const char *file, int line)
{
	pthread_mutex_lock(&cap.lock);
	cap.count[kind]++;
	cap.last_file = file;
	cap.last_line = line;
	snprintf(cap.last[kind], sizeof(cap.last[kind]), "%s", msg);
	if (strlen(cap.all) + strlen(msg) + 2 < sizeof(cap.all)) {
		strcat(cap.all, msg);
		strcat(cap.all, "\n");
	}
	pthread_mutex_unlock(&cap.lock);
}

/* Start a test from a clean slate: no reports, no lock classes. */
static __attribute__((unused)) void capture_reset(void)
{
	pthread_mutex_lock(&cap.lock);
	memset(cap.count, 0, sizeof(cap.count));
	memset(cap.last, 0, sizeof(cap.last));
	cap.all[0] = '\0';
	pthread_mutex_unlock(&cap.lock);
	shim_report_sink = capture_sink;
	shim_report_reset();
	shim_lockdep_reset();
}

static __attribute__((unused)) unsigned long captured_count(enum shim_report_kind kind)
{
	unsigned long n;

	pthread_mutex_lock(&cap.lock);
	n = cap.count[kind];
	pthread_mutex_unlock(&cap.lock);
	return n;
}

/* Copy of the last message of @kind (stable after the threads joined). */
static __attribute__((unused)) const char *captured_last(enum shim_report_kind kind)
{
	return cap.last[kind];
}

static unsigned int test_seed;

/* Parses -s SEED (default: time-based), prints it first, runs @s. */
static int shims_test_main(int argc, char **argv, Suite *s)
{
	SRunner *sr;
	int opt, failed;

	test_seed = (unsigned int)time(NULL) ^ (unsigned int)getpid();
	while ((opt = getopt(argc, argv, "s:")) != -1) {
		if (opt == 's')
			test_seed = (unsigned int)strtoul(optarg, NULL, 0);
	}
	printf("seed: %u (rerun with -s %u)\n", test_seed, test_seed);
	fflush(stdout);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

#endif /* SHIMS_COMMON_H */
