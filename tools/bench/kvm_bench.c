// SPDX-License-Identifier: GPL-2.0
/*
 * kvm_bench: real-kernel throughput of a single-threaded guest_memfd
 * sequence, through the kvm backend (so the figures include its overhead,
 * as a trace replay would see it):
 *
 *   create_guest_memfd, mmap, set_user_memory_region2 (bind), fallocate,
 *   guest_write, guest_read (twice: after the write faulted the pages in,
 *   and again), fallocate(PUNCH_HOLE), host_write + host_read
 *   (mmap touch), unbind, munmap, close
 *
 * Prints ops/s per step and sequences/s.  Exit 77 without /dev/kvm.
 * Usage: kvm_bench [-n ITERATIONS] [-s PAGES]
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "backend/backend.h"
#include "backend/kvm/kvm_backend.h"
#include "backend/kvm/kvm_caps.h"
#include "backend/kvm/kvm_sys.h"
#include "backend/kvm/kvm_util.h"

#define PAGE		4096ULL
#define GPA		0x100000ULL
#define A(v)		((struct trace_arg){ .value = (uint64_t)(v) })
#define H(h)		((struct trace_arg){ .is_handle = true, .handle = (h) })

enum { VM, VCPU, GMEM, MAP };

enum step {
	S_CREATE, S_MMAP, S_BIND, S_FALLOC, S_GWRITE, S_GREAD, S_GREAD2, S_PUNCH, S_TOUCH,
	S_UNBIND, S_MUNMAP, S_CLOSE, S_NR
};

static const char *const step_names[S_NR] = {
	"create_guest_memfd", "mmap", "bind (region2)", "fallocate", "guest_write",
	"guest_read", "guest_read (warm)", "punch_hole", "host touch (w+r)", "unbind", "munmap", "close",
};

static struct gmem_backend *b;
static double step_ns[S_NR];

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

/* Run one call; any result other than ok aborts the benchmark. */
static void call(enum step s, enum trace_op op, int bind, int nargs,
		 const struct trace_arg *args)
{
	struct trace_call c = { .op = op, .nargs = nargs, .bind = bind };
	struct trace_result r;
	double t0;

	memcpy(c.args, args, nargs * sizeof(*args));
	t0 = now_ns();
	kvm_backend_ops.call(b, -1, &c, &r);
	if (s < S_NR)
		step_ns[s] += now_ns() - t0;
	if (r.kind != TRES_OK) {
		fprintf(stderr, "kvm_bench: step '%s' failed (kind %d, errno %d, exit %u)\n",
			s < S_NR ? step_names[s] : "setup", r.kind, r.err, r.exit_reason);
		exit(1);
	}
}
#define CALL(s, op, bind, ...)						\
	call(s, op, bind,						\
	     (int)(sizeof((struct trace_arg[]){ __VA_ARGS__ }) /	\
		   sizeof(struct trace_arg)),				\
	     (struct trace_arg[]){ __VA_ARGS__ })

int main(int argc, char **argv)
{
	const uint64_t flags = GUEST_MEMFD_FLAG_MMAP | GUEST_MEMFD_FLAG_INIT_SHARED;
	unsigned long iters = 200, pages = 4, i;
	struct trace t = { 0 };
	bool pvm;
	double total = 0, t0;
	int opt, s;

	while ((opt = getopt(argc, argv, "n:s:")) != -1) {
		if (opt == 'n')
			iters = strtoul(optarg, NULL, 0);
		else if (opt == 's')
			pages = strtoul(optarg, NULL, 0);
		else {
			fprintf(stderr, "usage: %s [-n ITERATIONS] [-s PAGES]\n", argv[0]);
			return 2;
		}
	}
	if (!iters || !pages) {
		fprintf(stderr, "kvm_bench: -n and -s must be > 0\n");
		return 2;
	}
	if (!kvm_available()) {
		printf("kvm_bench: %s not available, skipping\n", KVM_DEV_PATH);
		return KSFT_SKIP;
	}
	if ((kvm_check_cap(KVM_CAP_GUEST_MEMFD_FLAGS) & flags) != flags) {
		printf("kvm_bench: guest_memfd MMAP|INIT_SHARED unsupported, skipping\n");
		return KSFT_SKIP;
	}
	/* PVM serves guest faults of gmem slots from userspace_addr (host-vs-spec.md). */
	pvm = access("/sys/module/kvm_pvm", F_OK) == 0;
	b = kvm_backend_ops.create(&t, NULL);
	if (!b) {
		perror("kvm_bench: backend");
		return 1;
	}
	CALL(S_NR, TOP_VM_CREATE, VM, A(KVM_X86_DEFAULT_VM));
	CALL(S_NR, TOP_VCPU_CREATE, VCPU, H(VM), A(0));

	t0 = now_ns();
	for (i = 0; i < iters; i++) {
		uint64_t size = pages * PAGE;

		CALL(S_CREATE, TOP_CREATE_GUEST_MEMFD, GMEM, H(VM), A(size), A(flags), A(0));
		CALL(S_MMAP, TOP_MMAP, MAP, H(GMEM), A(size), A(PROT_READ | PROT_WRITE),
		     A(MAP_SHARED), A(0));
		if (pvm)
			CALL(S_BIND, TOP_SET_USER_MEMORY_REGION2, -1, H(VM), A(1),
			     A(KVM_MEM_GUEST_MEMFD), A(GPA), A(size), H(MAP), H(GMEM), A(0));
		else
			CALL(S_BIND, TOP_SET_USER_MEMORY_REGION2, -1, H(VM), A(1),
			     A(KVM_MEM_GUEST_MEMFD), A(GPA), A(size), A(0), H(GMEM), A(0));
		CALL(S_FALLOC, TOP_FALLOCATE, -1, H(GMEM), A(1), A(0), A(size));
		CALL(S_GWRITE, TOP_GUEST_WRITE, -1, H(VCPU), A(GPA), A(0xaa), A(size), A(0));
		CALL(S_GREAD, TOP_GUEST_READ, -1, H(VCPU), A(GPA), A(size), A(0));
		CALL(S_GREAD2, TOP_GUEST_READ, -1, H(VCPU), A(GPA), A(size), A(0));
		CALL(S_PUNCH, TOP_FALLOCATE, -1, H(GMEM), A(3), A(0), A(size));
		CALL(S_TOUCH, TOP_HOST_WRITE, -1, H(MAP), A(0), A(0x55), A(size));
		CALL(S_TOUCH, TOP_HOST_READ, -1, H(MAP), A(0), A(size));
		CALL(S_UNBIND, TOP_SET_USER_MEMORY_REGION2, -1, H(VM), A(1),
		     A(KVM_MEM_GUEST_MEMFD), A(GPA), A(0), A(0), H(GMEM), A(0));
		CALL(S_MUNMAP, TOP_MUNMAP, -1, H(MAP));
		CALL(S_CLOSE, TOP_CLOSE, -1, H(GMEM));
	}
	total = now_ns() - t0;
	kvm_backend_ops.destroy(b, NULL, 0);

	printf("kvm_bench: kernel %s profile, %lu iterations, %lu pages (%llu KiB) per file%s\n",
	       kvm_backend_host_profile(), iters, pages, pages * PAGE / 1024,
	       pvm ? ", PVM: slot uaddr = gmem mapping" : "");
	printf("%-20s %12s %12s\n", "step", "mean us", "ops/s");
	for (s = 0; s < S_NR; s++)
		printf("%-20s %12.2f %12.0f\n", step_names[s], step_ns[s] / iters / 1e3,
		       iters / (step_ns[s] / 1e9));
	printf("%-20s %12.2f %12.0f\n", "whole sequence", total / iters / 1e3,
	       iters / (total / 1e9));
	return 0;
}
