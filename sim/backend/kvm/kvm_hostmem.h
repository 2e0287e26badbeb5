/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Host accesses through a mapping with SIGBUS caught: a guest_memfd mapping
 * SIGBUSes past EOF and on memory the host may not touch, and the trace
 * wants that as a result (TRES_SIGBUS), not a dead process.
 */
#ifndef GMEMSIM_KVM_HOSTMEM_H
#define GMEMSIM_KVM_HOSTMEM_H

#include <stddef.h>
#include <stdint.h>

/* Install the process-wide SIGBUS handler (once; safe to call repeatedly). */
void kvm_hostmem_init(void);
/*
 * Read @len bytes at @p: 0 with *value = byte or -1 (mixed), -2 for len 0;
 * -EFAULT if SIGBUS was raised.
 */
int kvm_hostmem_read(const volatile uint8_t *p, size_t len, int *value);
/* Fill @len bytes at @p with @byte: 0, or -EFAULT if SIGBUS was raised. */
int kvm_hostmem_write(volatile uint8_t *p, size_t len, uint8_t byte);

#endif /* GMEMSIM_KVM_HOSTMEM_H */
