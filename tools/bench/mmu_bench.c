// SPDX-License-Identifier: GPL-2.0
/*
 * mmu_bench: speed and memory of the x86 MMU model through the model
 * backend (free-running, no scheduler, one thread).
 *
 *  1. guest faults/s: 4K private faults on a SW_PROTECTED VM, once through
 *     guest_write (fault + content write per page) and once through
 *     KVM_PRE_FAULT_MEMORY (fault only);
 *  2. KVM_SET_MEMORY_ATTRIBUTES(PRIVATE) over 64 GiB on a SW_PROTECTED VM
 *     with a 64 GiB gmem slot, and back to shared: wall time and the growth
 *     of peak RSS (goal: < 1 s).
 *
 * Usage: mmu_bench [-n FAULT_PAGES] [-g ATTR_GIB]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/resource.h>

#include "trace/ir.h"
#include "backend/backend.h"
#include "backend/model/model_backend.h"

#include <linux/kvm_host.h>

#define PAGE		4096ULL
#define BASE_GPA	(1ULL << 32)

struct bench {
	const struct gmem_backend_ops *ops;
	struct gmem_backend *b;
	struct trace t;
	int nh;
	struct trace_result r;
};

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static long peak_rss_kib(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss;
}

static struct trace_result call(struct bench *b, enum trace_op op, int bind, int nargs,
				const int *is_h, const uint64_t *v)
{
	struct trace_call c;

	trace_call_init(&c, op, bind, nargs, is_h, v);
	b->ops->call(b->b, -1, &c, &b->r);
	if (b->r.kind != TRES_OK) {
		fprintf(stderr, "mmu_bench: %s failed (kind %d, err %d)\n", trace_op_name(op),
			b->r.kind, b->r.err);
		exit(1);
	}
	return b->r;
}

#define CALL(b, op, bind, ...) ({						\
	const uint64_t __v[] = { __VA_ARGS__ };					\
	call((b), (op), (bind), (int)(sizeof(__v) / sizeof(__v[0])), __h, __v);	\
})

static int bind_handle(struct bench *b)
{
	return b->nh++;
}

static void bench_init(struct bench *b)
{
	struct backend_opts o = { .profile = NULL };
	int i;

	memset(b, 0, sizeof(*b));
	b->ops = &model_backend_ops;
	snprintf(b->t.path, sizeof(b->t.path), "mmu_bench");
	b->t.nhandles = TRACE_MAX_HANDLES;
	for (i = 0; i < TRACE_MAX_HANDLES; i++)
		snprintf(b->t.handles[i].name, sizeof(b->t.handles[i].name), "h%d", i);
	b->b = b->ops->create(&b->t, &o);
	if (!b->b) {
		fprintf(stderr, "mmu_bench: backend create failed\n");
		exit(1);
	}
}

/* VM + vCPU + gmem + gmem slot of @size at BASE_GPA; returns the handles. */
static void setup(struct bench *b, uint64_t size, int *vm, int *vcpu, int *gmem)
{
	{
		const int __h[] = { 0 };
		*vm = bind_handle(b);
		CALL(b, TOP_VM_CREATE, *vm, KVM_X86_SW_PROTECTED_VM);
	}
	{
		const int __h[] = { 1, 0 };
		*vcpu = bind_handle(b);
		CALL(b, TOP_VCPU_CREATE, *vcpu, *vm, 0);
	}
	{
		const int __h[] = { 1, 0, 0, 0 };
		*gmem = bind_handle(b);
		CALL(b, TOP_CREATE_GUEST_MEMFD, *gmem, *vm, size, 0, 0);
	}
	{
		const int __h[] = { 1, 0, 0, 0, 0, 0, 1, 0 };
		CALL(b, TOP_SET_USER_MEMORY_REGION2, -1, *vm, 0, KVM_MEM_GUEST_MEMFD, BASE_GPA,
		     size, 0, *gmem, 0);
	}
}

static void attrs(struct bench *b, int vm, uint64_t size, uint64_t a)
{
	const int __h[] = { 1, 0, 0, 0, 0 };

	CALL(b, TOP_SET_MEMORY_ATTRIBUTES, -1, vm, BASE_GPA, size, a, 0);
}

static void bench_faults(uint64_t pages)
{
	struct bench b;
	int vm, vcpu, gmem;
	uint64_t size = pages * PAGE;
	double t0, t1, t2;

	bench_init(&b);
	setup(&b, 2 * size, &vm, &vcpu, &gmem);
	attrs(&b, vm, 2 * size, KVM_MEMORY_ATTRIBUTE_PRIVATE);

	t0 = now();
	{
		const int __h[] = { 1, 0, 0, 0, 0 };
		CALL(&b, TOP_GUEST_WRITE, -1, vcpu, BASE_GPA, 0x5a, size, 1);
	}
	t1 = now();
	{
		const int __h[] = { 1, 0, 0, 0 };
		struct trace_result r = CALL(&b, TOP_PRE_FAULT_MEMORY, -1, vcpu, BASE_GPA + size,
					     size, 0);
		if (r.remaining)
			fprintf(stderr, "mmu_bench: pre-fault left 0x%llx\n",
				(unsigned long long)r.remaining);
	}
	t2 = now();
	printf("guest_write 4K private faults: %llu pages in %.6f s = %.0f faults/s\n",
	       (unsigned long long)pages, t1 - t0, pages / (t1 - t0));
	printf("pre_fault   4K private faults: %llu pages in %.6f s = %.0f faults/s\n",
	       (unsigned long long)pages, t2 - t1, pages / (t2 - t1));
	b.ops->destroy(b.b, NULL, 0);
}

static void bench_attrs(uint64_t gib)
{
	struct bench b;
	int vm, vcpu, gmem;
	uint64_t size = gib << 30;
	long rss0, rss1, rss2;
	double t0, t1, t2, t3;

	bench_init(&b);
	rss0 = peak_rss_kib();
	t0 = now();
	setup(&b, size, &vm, &vcpu, &gmem);
	t1 = now();
	rss1 = peak_rss_kib();
	attrs(&b, vm, size, KVM_MEMORY_ATTRIBUTE_PRIVATE);
	t2 = now();
	attrs(&b, vm, size, 0);
	t3 = now();
	rss2 = peak_rss_kib();
	printf("memslot create, %llu GiB gmem slot: %.6f s, peak RSS +%ld KiB\n",
	       (unsigned long long)gib, t1 - t0, rss1 - rss0);
	printf("set_memory_attributes %llu GiB -> PRIVATE: %.6f s\n", (unsigned long long)gib,
	       t2 - t1);
	printf("set_memory_attributes %llu GiB -> shared:  %.6f s\n", (unsigned long long)gib,
	       t3 - t2);
	printf("peak RSS growth during the two conversions: %ld KiB (total peak %ld KiB)\n",
	       rss2 - rss1, rss2);
	{
		struct kvm *kvm;

		model_backend_enter(b.b);
		kvm = model_backend_kvm(b.b, vm);
		printf("arch hooks ran: %llu zaps, seq %lu\n",
		       (unsigned long long)kvm_mmu_stat_read(&kvm->arch.stat.zaps),
		       kvm->mmu_invalidate_seq);
	}
	b.ops->destroy(b.b, NULL, 0);
}

int main(int argc, char **argv)
{
	uint64_t pages = 65536, gib = 64;
	int opt;

	while ((opt = getopt(argc, argv, "n:g:")) != -1) {
		if (opt == 'n')
			pages = strtoull(optarg, NULL, 0);
		else if (opt == 'g')
			gib = strtoull(optarg, NULL, 0);
		else {
			fprintf(stderr, "usage: %s [-n FAULT_PAGES] [-g ATTR_GIB]\n", argv[0]);
			return 2;
		}
	}
	/* attributes first: ru_maxrss only grows, so measure it from a small base */
	bench_attrs(gib);
	bench_faults(pages);
	return 0;
}
