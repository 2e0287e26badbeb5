// SPDX-License-Identifier: GPL-2.0
/*
 * SIGBUS-guarded host memory access for the /dev/kvm backend (user side of
 * the guest_memfd fault handler, virt/kvm/guest_memfd.c v6.18: faults past
 * EOF or on a non-INIT_SHARED file return VM_FAULT_SIGBUS).
 *
 * One sigaction for the process; a per-thread jump buffer says whether the
 * faulting thread is inside a guarded access.  A SIGBUS anywhere else is
 * genuine: the handler restores the default action and returns, so the
 * faulting instruction re-executes and kills the process as it should.
 */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdbool.h>
#include <string.h>

#include "kvm_hostmem.h"

/*
 * volatile: the stores around the guarded access are read only by the
 * signal handler; without it the compiler may drop "guard_jmp = &jb" as a
 * dead store at -O2 (only volatile loads sit before "guard_jmp = NULL"),
 * and the SIGBUS then kills the process.
 */
static __thread sigjmp_buf *volatile guard_jmp;
static pthread_once_t hostmem_once = PTHREAD_ONCE_INIT;

static void sigbus_handler(int sig, siginfo_t *si, void *uctx)
{
	sigjmp_buf *jb = guard_jmp;

	if (jb) {
		guard_jmp = NULL;
		siglongjmp(*jb, 1);
	}
	signal(sig, SIG_DFL);
}

static void hostmem_install(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = sigbus_handler;
	sa.sa_flags = SA_SIGINFO | SA_NODEFER;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGBUS, &sa, NULL);
}

/**
 * kvm_hostmem_init() - install the SIGBUS handler
 *
 * Context: any thread; idempotent.
 */
void kvm_hostmem_init(void)
{
	pthread_once(&hostmem_once, hostmem_install);
}

/**
 * kvm_hostmem_read() - read a range, catching SIGBUS
 * @p: first byte
 * @len: bytes
 * @value: out: the byte value, -1 if bytes differ, -2 if @len is 0
 *
 * Context: any thread; kvm_hostmem_init() called.
 * Return: 0, or -EFAULT if the access raised SIGBUS (*value is then -2).
 */
int kvm_hostmem_read(const volatile uint8_t *p, size_t len, int *value)
{
	sigjmp_buf jb;
	/* volatile: must survive the siglongjmp back into this frame */
	volatile int v = -2;
	size_t i;

	if (sigsetjmp(jb, 1)) {
		*value = -2;
		return -EFAULT;
	}
	guard_jmp = &jb;
	/*
	 * Relaxed atomic loads and stores: the memory is shared with the guest
	 * and with other trace threads, and concurrent access is the point
	 * (kvm_stress); plain loads would be a data race to TSan.
	 */
	for (i = 0; i < len; i++) {
		int b = __atomic_load_n(&p[i], __ATOMIC_RELAXED);

		if (i == 0)
			v = b;
		else if (v != b)
			v = -1;
	}
	guard_jmp = NULL;
	*value = v;
	return 0;
}

/**
 * kvm_hostmem_write() - fill a range, catching SIGBUS
 * @p: first byte
 * @len: bytes
 * @byte: value
 *
 * Context: any thread; kvm_hostmem_init() called.
 * Return: 0, or -EFAULT if the access raised SIGBUS (a prefix may be written).
 */
int kvm_hostmem_write(volatile uint8_t *p, size_t len, uint8_t byte)
{
	sigjmp_buf jb;
	size_t i;

	if (sigsetjmp(jb, 1))
		return -EFAULT;
	guard_jmp = &jb;
	for (i = 0; i < len; i++)
		__atomic_store_n(&p[i], byte, __ATOMIC_RELAXED);	/* see kvm_hostmem_read() */
	guard_jmp = NULL;
	return 0;
}
