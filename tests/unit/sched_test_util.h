/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A null model for the scheduler tests: a tiny lock built directly on the
 * shim hooks (so these tests do not depend on the lock shims), shared
 * counters, and the -s SEED handling every randomized test uses.
 */
#ifndef SCHED_TEST_UTIL_H
#define SCHED_TEST_UTIL_H

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <errno.h>

#include "sched/sched.h"
#include "sched/sched_internal.h"

struct tlock {
	int owner;		/* -1: free */
	const char *name;
};

static inline void tlock_lock(struct tlock *l, const char *site)
{
	struct shim_task *t = shim_current();

	shim_point(SHIM_OP_MUTEX_LOCK, l, site);
	while (l->owner >= 0)
		shim_sched->block(SHIM_OP_MUTEX_LOCK, l, site);
	l->owner = t->tid;
	t->held[t->nheld++] = (struct shim_held_lock){ .lock = l, .name = l->name, .site = site };
}

static inline void tlock_unlock(struct tlock *l, const char *site)
{
	struct shim_task *t = shim_current();

	shim_point(SHIM_OP_MUTEX_UNLOCK, l, site);
	l->owner = -1;
	for (int i = t->nheld - 1; i >= 0; i--)
		if (t->held[i].lock == l) {
			memmove(&t->held[i], &t->held[i + 1], (t->nheld - i - 1) * sizeof(t->held[0]));
			t->nheld--;
			break;
		}
	shim_sched->wake(l);
}

static uint64_t test_seed;

/* Parse -s SEED (else time-based), print it first. */
static inline void test_seed_init(int argc, char **argv)
{
	test_seed = 0;
	for (int i = 1; i + 1 < argc; i++)
		if (!strcmp(argv[i], "-s"))
			test_seed = strtoull(argv[i + 1], NULL, 0);
	if (!test_seed) {
		FILE *f = fopen("/dev/urandom", "r");

		if (!f || fread(&test_seed, sizeof(test_seed), 1, f) != 1)
			test_seed = 12345;
		if (f)
			fclose(f);
		test_seed &= 0xffffffffull;
	}
	printf("seed %llu (rerun with -s %llu)\n", (unsigned long long)test_seed,
	       (unsigned long long)test_seed);
	fflush(stdout);
}

static inline int run_suite(Suite *s)
{
	SRunner *sr = srunner_create(s);
	int nf;

	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf ? EXIT_FAILURE : EXIT_SUCCESS;
}

#endif /* SCHED_TEST_UTIL_H */
