/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * Proposed guest_memfd uapi (spec §6.4), written for gmemsim: HugeTLB-backed
 * guest_memfd ("1G page support for guest_memfd", Ackerley Tng, RFC v2,
 * May 2025).  Nothing here is merged.
 *
 * The RFC used GUEST_MEMFD_FLAG_HUGETLB = 1 << 2, a bit that the later
 * direct-map-removal work took for GUEST_MEMFD_FLAG_NO_DIRECT_MAP, so the
 * model selects HugeTLB with a model-only high bit (like
 * GUEST_MEMFD_FLAG_IN_PLACE) and keeps the RFC's page-size field as the RFC
 * wrote it: log2 of the huge page size in bits 58..63, the hugetlb_encode.h
 * style.  KVM_CAP_GUEST_MEMFD_FLAGS does not report either, so mainline
 * behaviour is untouched unless a trace asks for it.
 */
#ifndef _GMEMSIM_UAPI_LINUX_KVM_GMEM_HUGETLB_H
#define _GMEMSIM_UAPI_LINUX_KVM_GMEM_HUGETLB_H

#include <linux/types.h>

/* Model-only creation flag: back the file with HugeTLB folios. */
#define GUEST_MEMFD_FLAG_HUGETLB	(1ULL << 33)

/* RFC v2: the allocator's page-size selector, opaque to guest_memfd. */
#define GUESTMEM_HUGETLB_FLAG_SHIFT	58
#define GUESTMEM_HUGETLB_FLAG_MASK	0x3fULL
#define GUESTMEM_HUGETLB_FLAG_2MB	(21ULL << GUESTMEM_HUGETLB_FLAG_SHIFT)
#define GUESTMEM_HUGETLB_FLAG_1GB	(30ULL << GUESTMEM_HUGETLB_FLAG_SHIFT)

/* Every bit the HugeTLB allocator owns in kvm_create_guest_memfd.flags. */
#define GUESTMEM_HUGETLB_FLAGS_ALL	(GUEST_MEMFD_FLAG_HUGETLB | \
					 (GUESTMEM_HUGETLB_FLAG_MASK << \
					  GUESTMEM_HUGETLB_FLAG_SHIFT))

_Static_assert((GUESTMEM_HUGETLB_FLAG_2MB >> GUESTMEM_HUGETLB_FLAG_SHIFT) == 21,
	       "2 MiB is log2 21");
_Static_assert(!(GUEST_MEMFD_FLAG_HUGETLB &
		 (GUESTMEM_HUGETLB_FLAG_MASK << GUESTMEM_HUGETLB_FLAG_SHIFT)),
	       "the HUGETLB bit is not part of the size field");

#endif /* _GMEMSIM_UAPI_LINUX_KVM_GMEM_HUGETLB_H */
