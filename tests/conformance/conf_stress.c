// SPDX-License-Identifier: GPL-2.0
/*
 * Free-running stress of the generic KVM model through the model backend:
 * real pthreads race punch-hole/allocate, private guest reads/writes on two
 * vCPUs, attribute conversions and memslot delete/re-create on one world.
 * The scheduler is not installed, so the shims use real locks: under TSan
 * this finds data races the deterministic scheduler serialises away; under
 * ASan, use-after-free.  Afterwards every checker must be clean (protocol,
 * bindings, SPTE invariants, contents shadow, teardown leaks).
 *
 * Randomized: prints its seed first; `-s SEED` replays the op sequence
 * (the interleaving itself is the OS's).  `-n N`: operations per thread;
 * `-M`: no memslot churn.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conf_util.h"
#include <shim/sched.h>
#include <uapi/linux/kvm_gmem.h>

#define GPA0	(1ULL << 32)
#define NPAGES	64
#define PRIV	KVM_MEMORY_ATTRIBUTE_PRIVATE

static unsigned long long seed;
static long iterations = 1500;
/*
 * Memslot churn (delete/re-create) is on unless -M: it needs the vCPU to
 * leave kvm->srcu between RET_PF_RETRY iterations (as KVM_RUN does on every
 * guest entry), or a vCPU retrying on the INVALID slot would block the
 * deleter's synchronize_srcu() forever.
 */
static bool memslot_churn = true;
#define NWORKERS	(memslot_churn ? 5 : 4)

struct worker {
	struct conf *c;
	int role, vm, fd, cpu;
	unsigned long long rng;
	long exits, errors;
};

static uint64_t rnd(struct worker *w)
{
	/* xorshift64*: deterministic per (seed, role) */
	w->rng ^= w->rng >> 12;
	w->rng ^= w->rng << 25;
	w->rng ^= w->rng >> 27;
	return w->rng * 0x2545F4914F6CDD1DULL;
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	struct shim_task task = { .tid = w->role + 1, .name = "stress" };
	struct conf *c = w->c;
	long i;

	shim_task_enter(&task);
	for (i = 0; i < iterations; i++) {
		uint64_t pg = rnd(w) % NPAGES, n = 1 + rnd(w) % 4;
		struct trace_result r;

		if (pg + n > NPAGES)
			n = NPAGES - pg;
		switch (w->role) {
		case 0:		/* punch or allocate */
			r = conf_callv(c, w->role, TOP_FALLOCATE, 4,
				       CONF_ARGS(H(w->fd),
						 N(CONF_FALLOC_KEEP_SIZE |
						   (rnd(w) & 1 ? CONF_FALLOC_PUNCH_HOLE : 0)),
						 N(pg * PAGE), N(n * PAGE)), -1);
			break;
		case 1:
		case 2:		/* private guest accesses */
			if (rnd(w) & 1)
				r = conf_callv(c, w->role, TOP_GUEST_WRITE, 5,
					       CONF_ARGS(H(w->cpu), N(GPA0 + pg * PAGE),
							 N(rnd(w) & 0xff), N(PAGE), N(1)), -1);
			else
				r = conf_callv(c, w->role, TOP_GUEST_READ, 4,
					       CONF_ARGS(H(w->cpu), N(GPA0 + pg * PAGE),
							 N(PAGE), N(1)), -1);
			break;
		case 4:		/* memslot delete / re-create (same file range) */
			r = conf_callv(c, w->role, TOP_SET_USER_MEMORY_REGION2, 8,
				       CONF_ARGS(H(w->vm), N(0), N(KVM_MEM_GUEST_MEMFD), N(GPA0),
						 N(i & 1 ? NPAGES * PAGE : 0), N(0), H(w->fd),
						 N(0)), -1);
			break;
		default:	/* conversions */
			r = conf_callv(c, w->role, TOP_SET_MEMORY_ATTRIBUTES, 5,
				       CONF_ARGS(H(w->vm), N(GPA0 + pg * PAGE), N(n * PAGE),
						 N(rnd(w) % 3 ? PRIV : 0), N(0)), -1);
			break;
		}
		if (r.kind == TRES_EXIT)
			w->exits++;
		else if (r.kind != TRES_OK)
			w->errors++;
	}
	shim_task_exit();
	return NULL;
}

START_TEST(stress_punch_access_convert_free_running)
{
	struct conf *c = conf_new(NULL);
	struct worker w[5] = { 0 };
	pthread_t th[5];
	int vm, fd, cpu0, cpu1, i;

	c->no_check = true;	/* checkers walk model state: run them at quiescence */
	vm = conf_vm(c, KVM_X86_SW_PROTECTED_VM);
	fd = conf_gmem(c, vm, NPAGES * PAGE, 0);
	CONF_OK(conf_region2(c, vm, 0, KVM_MEM_GUEST_MEMFD, GPA0, NPAGES * PAGE, 0, fd, 0));
	CONF_OK(conf_attrs(c, vm, GPA0, NPAGES * PAGE, PRIV, 0));
	cpu0 = conf_bind(c, TOP_VCPU_CREATE, H(vm), N(0));
	cpu1 = conf_bind(c, TOP_VCPU_CREATE, H(vm), N(1));
	ck_assert_int_ge(cpu1, 0);

	for (i = 0; i < NWORKERS; i++) {
		w[i] = (struct worker){ .c = c, .role = i, .vm = vm, .fd = fd,
					.cpu = i == 2 ? cpu1 : cpu0,
					.rng = seed * 4 + i + 1 };
		ck_assert_int_eq(pthread_create(&th[i], NULL, worker_main, &w[i]), 0);
	}
	for (i = 0; i < NWORKERS; i++)
		pthread_join(th[i], NULL);

	fprintf(stderr, "stress: exits %ld/%ld, errors %ld/%ld/%ld/%ld/%ld\n",
		w[1].exits, w[2].exits, w[0].errors, w[1].errors, w[2].errors,
		w[3].errors, w[4].errors);
	/* Conversions, punches and slot changes never fail; accesses only exit. */
	ck_assert_int_eq(w[0].errors + w[3].errors + w[4].errors, 0);
	ck_assert_int_eq(w[1].errors + w[2].errors, 0);
	/* Leave the slot in place (an odd count of toggles deleted it last). */
	if (memslot_churn && (iterations & 1))
		CONF_OK(conf_region2(c, vm, 0, KVM_MEM_GUEST_MEMFD, GPA0, NPAGES * PAGE, 0, fd, 0));

	c->no_check = false;
	CONF_OK(conf_call(c, TOP_FALLOCATE, H(fd), N(CONF_FALLOC_KEEP_SIZE), N(0), N(PAGE)));
	conf_free(c);
}
END_TEST

int main(int argc, char **argv)
{
	SRunner *sr;
	Suite *s;
	TCase *tc;
	int opt, failed;

	seed = (unsigned long long)getpid() ^ 0x5eedULL;
	while ((opt = getopt(argc, argv, "s:n:M")) != -1) {
		if (opt == 'M')
			memslot_churn = false;
		else if (opt == 's')
			seed = strtoull(optarg, NULL, 0);
		else if (opt == 'n')
			iterations = strtol(optarg, NULL, 0);
	}
	printf("seed %llu (replay the op sequence with -s %llu)\n", seed, seed);
	fflush(stdout);

	s = suite_create("conformance-stress");
	tc = tcase_create("stress");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, stress_punch_access_convert_free_running);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
