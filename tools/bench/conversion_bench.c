// SPDX-License-Identifier: GPL-2.0
/*
 * conversion_bench: the same shared<->private conversion workload under the
 * two designs of issue 7 (spec §6.3), on the model backend (free-running,
 * one thread, SW_PROTECTED VM):
 *
 *  two-backings  mainline: KVM_SET_MEMORY_ATTRIBUTES on the VM, private
 *                memory in a guest_memfd, shared memory in an anonymous
 *                mmap; a conversion discards the old side (punch hole /
 *                MADV_DONTNEED) and the guest's next access allocates the
 *                new one.
 *  in-place      KVM_SET_MEMORY_ATTRIBUTES2 on an in-place guest_memfd
 *                (model-only flag IN_PLACE): one backing, state flipped.
 *  in-place-2M   the same on a HugeTLB-backed in-place file of 2 MiB
 *                folios (spec §6.4; the world's 2M pool sized to the
 *                guest): private memory maps 2M, a shared page splits its
 *                folio (and shatters the huge SPTE), the range merges back
 *                when it is wholly private again.
 *
 * Workload: the whole guest pre-faulted private; then UNITS conversions of
 * 16 MiB in total, either 4 KiB pages at random or 2 MiB chunks at random:
 * to shared, a shared guest write, every 16th unit a host GUP pin of its
 * first page (a VMM doing I/O), back to private (a refused conversion is
 * counted, the pin dropped and the conversion retried), a private write.
 * Printed per run: peak memory, pages double-allocated (peak pages beyond
 * the guest's size), SPTEs zapped, huge SPTEs shattered (a huge private
 * SPTE whose frame is larger than the unit being converted to shared: the
 * conversion must drop it, which the bench checks, so the frame maps 4K
 * until it merges back), conversions refused.  Prints figures only; not a
 * test, but it exits 1 if a huge SPTE survives a conversion of part of it.
 *
 * Usage: conversion_bench [-g GUEST_MIB] [-s SEED]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "trace/ir.h"
#include "backend/backend.h"
#include "backend/model/model_backend.h"

#include <linux/kvm_host.h>
#include <linux/mm_model.h>
#include <uapi/linux/kvm_gmem_hugetlb.h>

#define PAGE		4096ULL
#define SZ_2M		(2ULL << 20)
#define GPA		(1ULL << 32)
#define TOTAL		(16ULL << 20)
#define PIN_EVERY	16

/* The TDP MMU's lockless leaf walk (arch/x86/kvm/mmu/mmu_internal.h). */
u64 kvm_tdp_mmu_walk(struct kvm *kvm, gfn_t gfn, bool mirror, int *level);

struct bench {
	const struct gmem_backend_ops *ops;
	struct gmem_backend *b;
	struct trace t;
	int nh;
	struct trace_result r;
	unsigned long peak;
};

/* Level of the leaf SPTE mapping @gpa in the direct root, 0 if none. */
static int mapped_level(struct bench *b, struct kvm *kvm, uint64_t gpa)
{
	int level = PG_LEVEL_4K;

	model_backend_enter(b->b);
	return kvm_tdp_mmu_walk(kvm, gpa >> 12, false, &level) ? level : 0;
}

static void sample(struct bench *b)
{
	unsigned long live;

	model_backend_enter(b->b);
	live = mm_world_stats(mm_world_current())->pages_live;
	if (live > b->peak)
		b->peak = live;
}

/* One call; @h[i] says whether argument i is a handle.  Fails hard unless @soft. */
static struct trace_result call(struct bench *b, enum trace_op op, int bind, bool soft,
				int nargs, const int *h, const uint64_t *v)
{
	struct trace_call c;

	trace_call_init(&c, op, bind, nargs, h, v);
	b->ops->call(b->b, -1, &c, &b->r);
	if (b->r.kind != TRES_OK && !soft) {
		fprintf(stderr, "conversion_bench: %s failed (kind %d, err %d)\n",
			trace_op_name(op), b->r.kind, b->r.err);
		exit(1);
	}
	sample(b);
	return b->r;
}

#define CALLX(b, op, bind, soft, hs, ...) ({					\
	const int __h[] = hs;							\
	const uint64_t __v[] = { __VA_ARGS__ };					\
	call((b), (op), (bind), (soft), (int)(sizeof(__v) / sizeof(__v[0])), __h, __v); \
})
#define HS(...)		{ __VA_ARGS__ }

enum design { TWO_BACKINGS, IN_PLACE, IN_PLACE_2M, NR_DESIGNS };

static const char *const design_name[NR_DESIGNS] = {
	"two-backings", "in-place", "in-place-2M",
};

struct run {
	enum design design;
	bool chunks;
	uint64_t guest;
	unsigned long seed;
};

static uint64_t rnd(unsigned long *s)
{
	*s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
	return *s >> 33;
}

static void run_one(const struct run *ru)
{
	uint64_t unit = ru->chunks ? SZ_2M : PAGE;
	uint64_t nunits = TOTAL / unit, slots = ru->guest / unit, i;
	unsigned long seed = ru->seed, refused = 0, shattered = 0;
	unsigned char *used = calloc(slots, 1);
	struct backend_opts o = { .profile = NULL };
	struct bench b;
	int vm, cpu, gmem, map;
	struct kvm *kvm;
	double t0;

	memset(&b, 0, sizeof(b));
	b.ops = &model_backend_ops;
	snprintf(b.t.path, sizeof(b.t.path), "conversion_bench");
	b.t.nhandles = TRACE_MAX_HANDLES;
	for (i = 0; i < TRACE_MAX_HANDLES; i++)
		snprintf(b.t.handles[i].name, sizeof(b.t.handles[i].name), "h%d", (int)i);
	b.b = b.ops->create(&b.t, &o);
	if (!b.b || !used) {
		fprintf(stderr, "conversion_bench: setup failed\n");
		exit(1);
	}
	t0 = (double)clock() / CLOCKS_PER_SEC;

	vm = b.nh++;
	CALLX(&b, TOP_VM_CREATE, vm, false, HS(0), KVM_X86_SW_PROTECTED_VM);
	cpu = b.nh++;
	CALLX(&b, TOP_VCPU_CREATE, cpu, false, HS(1, 0), vm, 0);
	gmem = b.nh++;
	map = b.nh++;
	if (ru->design == TWO_BACKINGS) {
		CALLX(&b, TOP_CREATE_GUEST_MEMFD, gmem, false, HS(1, 0, 0, 0), vm, ru->guest, 0, 0);
		CALLX(&b, TOP_ANON_MMAP, map, false, HS(0), ru->guest);
		CALLX(&b, TOP_SET_USER_MEMORY_REGION2, -1, false, HS(1, 0, 0, 0, 0, 1, 1, 0),
		      vm, 0, KVM_MEM_GUEST_MEMFD, GPA, ru->guest, map, gmem, 0);
		CALLX(&b, TOP_SET_MEMORY_ATTRIBUTES, -1, false, HS(1, 0, 0, 0, 0),
		      vm, GPA, ru->guest, KVM_MEMORY_ATTRIBUTE_PRIVATE, 0);
	} else {
		uint64_t flags = GUEST_MEMFD_FLAG_IN_PLACE | GUEST_MEMFD_FLAG_MMAP;

		if (ru->design == IN_PLACE_2M) {
			CALLX(&b, TOP_HUGETLB_POOL, -1, false, HS(0, 0), SZ_2M, ru->guest / SZ_2M);
			flags |= GUEST_MEMFD_FLAG_HUGETLB | GUESTMEM_HUGETLB_FLAG_2MB;
		}
		CALLX(&b, TOP_CREATE_GUEST_MEMFD, gmem, false, HS(1, 0, 0, 0), vm, ru->guest,
		      flags, 0);
		CALLX(&b, TOP_MMAP, map, false, HS(1, 0, 0, 0, 0), gmem, ru->guest, 3, 1, 0);
		CALLX(&b, TOP_SET_USER_MEMORY_REGION2, -1, false, HS(1, 0, 0, 0, 0, 0, 1, 0),
		      vm, 0, KVM_MEM_GUEST_MEMFD, GPA, ru->guest, 0, gmem, 0);
	}
	CALLX(&b, TOP_PRE_FAULT_MEMORY, -1, false, HS(1, 0, 0, 0), cpu, GPA, ru->guest, 0);
	kvm = model_backend_kvm(b.b, vm);
	b.peak = 0;
	sample(&b);

	for (i = 0; i < nunits; i++) {
		uint64_t slot, off;
		int pin = -1, huge;

		do
			slot = rnd(&seed) % slots;
		while (used[slot]);
		used[slot] = 1;
		off = slot * unit;

		/* To shared; a huge SPTE over more than the unit must go. */
		huge = mapped_level(&b, kvm, GPA + off);
		huge = huge > PG_LEVEL_4K && KVM_HPAGE_SIZE(huge) > unit;
		if (ru->design == TWO_BACKINGS) {
			CALLX(&b, TOP_SET_MEMORY_ATTRIBUTES, -1, false, HS(1, 0, 0, 0, 0),
			      vm, GPA + off, unit, 0, 0);
			CALLX(&b, TOP_GUEST_WRITE, -1, false, HS(1, 0, 0, 0, 0),
			      cpu, GPA + off, 0x5a, unit, 0);
			CALLX(&b, TOP_FALLOCATE, -1, false, HS(1, 0, 0, 0), gmem, 3, off, unit);
		} else {
			CALLX(&b, TOP_SET_MEMORY_ATTRIBUTES2, -1, false, HS(1, 0, 0, 0, 0, 0),
			      gmem, off, unit, 0, 0, 0);
			if (huge && mapped_level(&b, kvm, GPA + off) > PG_LEVEL_4K) {
				fprintf(stderr, "conversion_bench: huge SPTE at %#llx survived a %llu-byte conversion\n",
					(unsigned long long)(GPA + off), (unsigned long long)unit);
				exit(1);
			}
			shattered += huge;
			CALLX(&b, TOP_GUEST_WRITE, -1, false, HS(1, 0, 0, 0, 0),
			      cpu, GPA + off, 0x5a, unit, 0);
		}
		if (i % PIN_EVERY == 0) {
			pin = b.nh;
			CALLX(&b, TOP_HOST_PIN, pin, false, HS(1, 0), map, off);
		}

		/* Back to private. */
		if (ru->design == TWO_BACKINGS) {
			CALLX(&b, TOP_SET_MEMORY_ATTRIBUTES, -1, false, HS(1, 0, 0, 0, 0),
			      vm, GPA + off, unit, KVM_MEMORY_ATTRIBUTE_PRIVATE, 0);
			/* MADV_REMOVE: the shared side is shmem; free it, as QEMU discards. */
			CALLX(&b, TOP_MADVISE, -1, false, HS(1, 0, 0, 0), map, off, unit, 9);
			CALLX(&b, TOP_GUEST_WRITE, -1, false, HS(1, 0, 0, 0, 0),
			      cpu, GPA + off, 0xa5, unit, 1);
			if (pin >= 0)
				CALLX(&b, TOP_HOST_UNPIN, -1, false, HS(1), pin);
		} else {
			struct trace_result r;

			r = CALLX(&b, TOP_SET_MEMORY_ATTRIBUTES2, -1, true, HS(1, 0, 0, 0, 0, 0),
				  gmem, off, unit, KVM_MEMORY_ATTRIBUTE_PRIVATE, 0, 0);
			if (r.kind == TRES_ERRNO && pin >= 0) {
				refused++;
				CALLX(&b, TOP_HOST_UNPIN, -1, false, HS(1), pin);
				pin = -1;
				CALLX(&b, TOP_SET_MEMORY_ATTRIBUTES2, -1, false, HS(1, 0, 0, 0, 0, 0),
				      gmem, off, unit, KVM_MEMORY_ATTRIBUTE_PRIVATE, 0, 0);
			} else if (r.kind != TRES_OK) {
				fprintf(stderr, "conversion_bench: conversion failed\n");
				exit(1);
			}
			CALLX(&b, TOP_GUEST_WRITE, -1, false, HS(1, 0, 0, 0, 0),
			      cpu, GPA + off, 0xa5, unit, 1);
		}
	}

	printf("%-13s %-9s %10.1f %12lu %12llu %10lu %8lu %8.2f\n",
	       design_name[ru->design],
	       ru->chunks ? "2M-chunk" : "4K-random",
	       b.peak * PAGE / 1048576.0,
	       b.peak > ru->guest / PAGE ? b.peak - (unsigned long)(ru->guest / PAGE) : 0UL,
	       (unsigned long long)kvm->arch.stat.sptes_zapped, shattered, refused,
	       (double)clock() / CLOCKS_PER_SEC - t0);
	b.ops->destroy(b.b, NULL, 0);
	free(used);
}

int main(int argc, char **argv)
{
	uint64_t guest = 1024;
	unsigned long seed = 1;
	int opt, d, ch;

	while ((opt = getopt(argc, argv, "g:s:")) != -1) {
		if (opt == 'g')
			guest = strtoull(optarg, NULL, 0);
		else if (opt == 's')
			seed = strtoul(optarg, NULL, 0);
		else {
			fprintf(stderr, "usage: conversion_bench [-g GUEST_MIB] [-s SEED]\n");
			return 2;
		}
	}
	if (guest < 32 || guest % 2) {
		fprintf(stderr, "conversion_bench: -g must be an even number >= 32 (MiB)\n");
		return 2;
	}
	printf("conversion_bench: seed %lu, guest %llu MiB, %llu MiB converted per run, pin every %dth unit\n",
	       seed, (unsigned long long)guest, (unsigned long long)(TOTAL >> 20), PIN_EVERY);
	printf("%-13s %-9s %10s %12s %12s %10s %8s %8s\n", "design", "pattern", "peak MiB",
	       "double-alloc", "SPTEs zapped", "shattered", "refused", "cpu s");
	for (d = 0; d < NR_DESIGNS; d++)
		for (ch = 0; ch < 2; ch++) {
			struct run ru = { .design = d, .chunks = ch, .guest = guest << 20, .seed = seed };

			run_one(&ru);
		}
	return 0;
}
