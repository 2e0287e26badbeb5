/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * Proposed guest_memfd uapi (spec §6.3, §6.6), written for gmemsim.  None of
 * this is merged; numbers moved between revisions, so only the model uses
 * them (a real kernel rejects them, which is what the kvm backend reports).
 *
 *  - In-place shared<->private conversion (Ackerley Tng / Sean
 *    Christopherson, non-RFC v6..v15, 2026): KVM_SET_MEMORY_ATTRIBUTES2 on
 *    the guest_memfd fd, struct kvm_memory_attributes2 with error_offset.
 *    Upstream selects the design with the module parameter
 *    gmem_in_place_conversion; the model selects it per file with the
 *    model-only creation flag GUEST_MEMFD_FLAG_IN_PLACE, so mainline files
 *    (and KVM_CAP_GUEST_MEMFD_FLAGS) stay exactly as they are.
 *  - Several files per inode (Ryan Afranji, intra-host migration RFC v2,
 *    May 2025): KVM_LINK_GUEST_MEMFD on the destination VM.
 */
#ifndef _GMEMSIM_UAPI_LINUX_KVM_GMEM_INPLACE_H
#define _GMEMSIM_UAPI_LINUX_KVM_GMEM_INPLACE_H

#include <stddef.h>
#include <linux/types.h>
#include <asm-generic/ioctl.h>

#ifndef KVMIO
#define KVMIO 0xAE
#endif

/*
 * Model-only creation flag: this file converts in place (per-index
 * shareability in the inode).  A high bit, so it never collides with a
 * merged or proposed GUEST_MEMFD_FLAG_* (MMAP, INIT_SHARED, NO_DIRECT_MAP,
 * HUGETLB and its size selector).
 */
#define GUEST_MEMFD_FLAG_IN_PLACE	(1ULL << 32)

/*
 * Model-only creation flag, only together with GUEST_MEMFD_FLAG_IN_PLACE:
 * pKVM-like exclusive ownership (seed 002: Fuad Tabba et al., "exclusive
 * pin", 2024).  A conversion to private is the guest taking the pages
 * exclusively: it does not tear down host mappings, it is refused
 * (-EAGAIN, error_offset) while the host still maps or pins any of them,
 * so the host must give a page up before the guest can own it.
 */
#define GUEST_MEMFD_FLAG_EXCLUSIVE	(1ULL << 34)	/* 33 is HUGETLB */

/* ---- KVM_SET_MEMORY_ATTRIBUTES2 (guest_memfd ioctl, or VM ioctl) -------- */
struct kvm_memory_attributes2 {
	union {
		__u64 address;	/* VM ioctl: guest physical address */
		__u64 offset;	/* guest_memfd ioctl: byte offset in the file */
	};
	__u64 size;
	__u64 attributes;
	__u64 flags;		/* must be 0 */
	__u64 error_offset;	/* out: first offset that blocked the conversion */
	__u64 reserved[11];	/* must be 0 */
};
/* Same number as KVM_SET_MEMORY_ATTRIBUTES; the struct size tells them apart. */
#define KVM_SET_MEMORY_ATTRIBUTES2	_IOWR(KVMIO, 0xd2, struct kvm_memory_attributes2)

/* Unstable across revisions (246..250); the model answers on this one. */
#define KVM_CAP_GUEST_MEMFD_MEMORY_ATTRIBUTES	250

/* ---- KVM_LINK_GUEST_MEMFD (VM ioctl on the destination VM) --------------- */
struct kvm_link_guest_memfd {
	__u64 fd;		/* a guest_memfd of another VM */
	__u64 flags;		/* must be 0 */
	__u64 reserved[6];	/* must be 0 */
};
/* The number differed between revisions; do not rely on it. */
#define KVM_LINK_GUEST_MEMFD	_IOWR(KVMIO, 0xd6, struct kvm_link_guest_memfd)

_Static_assert(sizeof(struct kvm_memory_attributes2) == 128,
	       "kvm_memory_attributes2 is 128 bytes");
_Static_assert(offsetof(struct kvm_memory_attributes2, error_offset) == 32,
	       "kvm_memory_attributes2.error_offset at 32");
_Static_assert(sizeof(struct kvm_link_guest_memfd) == 64,
	       "kvm_link_guest_memfd is 64 bytes");
_Static_assert(_IOC_NR(KVM_SET_MEMORY_ATTRIBUTES2) == 0xd2 &&
	       _IOC_SIZE(KVM_SET_MEMORY_ATTRIBUTES2) == 128,
	       "KVM_SET_MEMORY_ATTRIBUTES2 encoding");

#endif /* _GMEMSIM_UAPI_LINUX_KVM_GMEM_INPLACE_H */
