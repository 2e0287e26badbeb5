/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * guest_memfd / memory-attributes uapi, written for gmemsim.
 *
 * Models: include/uapi/linux/kvm.h, arch/x86/include/uapi/asm/kvm.h and
 * include/uapi/linux/kvm_para.h as of v6.18 .. v7.1 (spec section 0.1).
 * Only the names the simulator and the /dev/kvm backend use are here; the
 * values and layouts are the kernel's ABI, the text is ours.
 *
 * Why a separate header: the build machines carry a v6.1 <linux/kvm.h>,
 * which predates guest_memfd.  This file must serve two users:
 *
 *  - model/ code needs the plain constants and structs only (no ioctl
 *    calls, no struct kvm_run).  It includes just this file; it must NOT
 *    include <linux/kvm.h>, because the model defines kernel-internal names
 *    of its own and the system header is the wrong kernel version anyway.
 *
 *  - sim/backend/kvm/ issues real ioctls and needs struct kvm_run,
 *    struct kvm_sregs, ... from the system header.  It includes
 *    <linux/kvm.h> FIRST and this file second.
 *
 * Every name the v6.1 system header also defines is guarded with #ifndef
 * and spelled with the same token sequence, so either include order
 * compiles.  Names newer than v6.1 sit in groups under one #ifndef each, so
 * a newer system header included first wins (included after this file, it
 * would redefine the structs: include the system header first).
 *
 * Dependencies: <linux/types.h> for __u8..__u64 (inside gmemsim that is the
 * shim, kernel-shims/include/linux/types.h, which shadows the system one;
 * outside it is the system header; both give 64-bit __u64, so layouts are
 * identical) and <asm-generic/ioctl.h> (the _IOC encoding x86 uses).
 */
#ifndef _GMEMSIM_UAPI_LINUX_KVM_GMEM_H
#define _GMEMSIM_UAPI_LINUX_KVM_GMEM_H

#include <stddef.h>
#include <linux/types.h>
#include <asm-generic/ioctl.h>

#ifndef KVMIO
#define KVMIO 0xAE
#endif

/* ---- capabilities (KVM_CHECK_EXTENSION) --------------------------------- */
/* Pre-6.1 capabilities the backend probes; same spelling as the system header. */
#ifndef KVM_CAP_USER_MEMORY
#define KVM_CAP_USER_MEMORY 3
#endif
#ifndef KVM_CAP_NR_VCPUS
#define KVM_CAP_NR_VCPUS 9       /* returns recommended max vcpus per vm */
#endif
#ifndef KVM_CAP_NR_MEMSLOTS
#define KVM_CAP_NR_MEMSLOTS 10   /* returns max memory slots per vm */
#endif
#ifndef KVM_CAP_READONLY_MEM
#define KVM_CAP_READONLY_MEM 81
#endif
#ifndef KVM_CAP_MAX_VCPUS
#define KVM_CAP_MAX_VCPUS 66       /* returns max vcpus per vm */
#endif
#ifndef KVM_CAP_MULTI_ADDRESS_SPACE
#define KVM_CAP_MULTI_ADDRESS_SPACE 118
#endif
#ifndef KVM_CAP_EXIT_HYPERCALL
#define KVM_CAP_EXIT_HYPERCALL 201
#endif

/* guest_memfd era (v6.8+); numbers are ABI and never reused. */
#ifndef KVM_CAP_USER_MEMORY2
#define KVM_CAP_USER_MEMORY2 231
#define KVM_CAP_MEMORY_FAULT_INFO 232
#define KVM_CAP_MEMORY_ATTRIBUTES 233
#define KVM_CAP_GUEST_MEMFD 234
#define KVM_CAP_VM_TYPES 235
#endif
#ifndef KVM_CAP_PRE_FAULT_MEMORY
#define KVM_CAP_PRE_FAULT_MEMORY 236
#endif
/* 243 only existed during 6.18-rc; kept so a probe can report it. */
#ifndef KVM_CAP_GUEST_MEMFD_MMAP
#define KVM_CAP_GUEST_MEMFD_MMAP 243
#endif
#ifndef KVM_CAP_GUEST_MEMFD_FLAGS
#define KVM_CAP_GUEST_MEMFD_FLAGS 244
#endif

/* ---- KVM_CREATE_GUEST_MEMFD (VM ioctl, returns a new fd) ------------------ */
#ifndef KVM_CREATE_GUEST_MEMFD
struct kvm_create_guest_memfd {
	__u64 size;
	__u64 flags;
	__u64 reserved[6];	/* not checked by the kernel */
};
#define KVM_CREATE_GUEST_MEMFD	_IOWR(KVMIO,  0xd4, struct kvm_create_guest_memfd)
#endif

#ifndef GUEST_MEMFD_FLAG_MMAP
#define GUEST_MEMFD_FLAG_MMAP		(1ULL << 0)	/* v6.18+ */
#define GUEST_MEMFD_FLAG_INIT_SHARED	(1ULL << 1)	/* v6.18+, needs MMAP */
#endif
/* Proposed (direct-map removal series); not accepted by mainline kernels. */
#ifndef GUEST_MEMFD_FLAG_NO_DIRECT_MAP
#define GUEST_MEMFD_FLAG_NO_DIRECT_MAP	(1ULL << 2)
#endif

/* ---- memslots ------------------------------------------------------------- */
#ifndef KVM_MEM_LOG_DIRTY_PAGES
#define KVM_MEM_LOG_DIRTY_PAGES	(1UL << 0)
#endif
#ifndef KVM_MEM_READONLY
#define KVM_MEM_READONLY	(1UL << 1)
#endif
#ifndef KVM_MEM_GUEST_MEMFD
#define KVM_MEM_GUEST_MEMFD	(1UL << 2)
#endif

/* Largest user memslot, in pages. */
#ifndef KVM_MEM_MAX_NR_PAGES
#define KVM_MEM_MAX_NR_PAGES	((1UL << 31) - 1)
#endif

#ifndef KVM_SET_USER_MEMORY_REGION2
struct kvm_userspace_memory_region2 {
	__u32 slot;		/* bits 16..31: address space id */
	__u32 flags;		/* KVM_MEM_* */
	__u64 guest_phys_addr;
	__u64 memory_size;	/* bytes; 0 deletes the slot */
	__u64 userspace_addr;	/* start of the shared (host-mapped) side */
	__u64 guest_memfd_offset;
	__u32 guest_memfd;
	__u32 pad1;		/* not checked */
	__u64 pad2[14];		/* not checked */
};
#define KVM_SET_USER_MEMORY_REGION2 _IOW(KVMIO, 0x49, \
					 struct kvm_userspace_memory_region2)
#endif

/* ---- KVM_SET_MEMORY_ATTRIBUTES (VM ioctl) --------------------------------- */
#ifndef KVM_SET_MEMORY_ATTRIBUTES
struct kvm_memory_attributes {
	__u64 address;
	__u64 size;
	__u64 attributes;
	__u64 flags;		/* must be 0 */
};
#define KVM_SET_MEMORY_ATTRIBUTES	_IOW(KVMIO,  0xd2, struct kvm_memory_attributes)
#endif
#ifndef KVM_MEMORY_ATTRIBUTE_PRIVATE
#define KVM_MEMORY_ATTRIBUTE_PRIVATE	(1ULL << 3)
#endif

/* ---- KVM_PRE_FAULT_MEMORY (vCPU ioctl) ------------------------------------ */
#ifndef KVM_PRE_FAULT_MEMORY
struct kvm_pre_fault_memory {
	__u64 gpa;		/* updated: first byte not yet faulted in */
	__u64 size;		/* updated: bytes left */
	__u64 flags;		/* must be 0 */
	__u64 padding[5];
};
#define KVM_PRE_FAULT_MEMORY	_IOWR(KVMIO, 0xd5, struct kvm_pre_fault_memory)
#endif

/* ---- memory-fault exit ---------------------------------------------------- */
#ifndef KVM_EXIT_MMIO
#define KVM_EXIT_MMIO             6
#endif
#ifndef KVM_EXIT_MEMORY_FAULT
#define KVM_EXIT_MEMORY_FAULT     39
#endif
#ifndef KVM_MEMORY_EXIT_FLAG_PRIVATE
#define KVM_MEMORY_EXIT_FLAG_PRIVATE	(1ULL << 3)
#endif

/*
 * run->memory_fault.  A v6.1 struct kvm_run has no such union member, so the
 * layout is spelled out here; the exit union starts at byte 32 of kvm_run.
 */
struct kvm_memory_fault_exit {
	__u64 flags;		/* KVM_MEMORY_EXIT_FLAG_* */
	__u64 gpa;
	__u64 size;
};
#define KVM_RUN_EXIT_UNION_OFFSET	32
/* Pointer to the memory_fault fields of a mapped struct kvm_run (any version). */
#define kvm_run_memory_fault(run) \
	((struct kvm_memory_fault_exit *)((char *)(run) + KVM_RUN_EXIT_UNION_OFFSET))

/* ---- x86 VM types (KVM_CREATE_VM argument, KVM_CAP_VM_TYPES bits) --------- */
#ifndef KVM_X86_DEFAULT_VM
#define KVM_X86_DEFAULT_VM	0
#define KVM_X86_SW_PROTECTED_VM	1
#define KVM_X86_SEV_VM		2
#define KVM_X86_SEV_ES_VM	3
#define KVM_X86_SNP_VM		4
#define KVM_X86_TDX_VM		5
#endif

/* ---- hypercalls (kvm_para.h) --------------------------------------------- */
#ifndef KVM_HC_MAP_GPA_RANGE
#define KVM_HC_MAP_GPA_RANGE		12
#endif

/* ---- ABI checks ----------------------------------------------------------- */
_Static_assert(sizeof(struct kvm_create_guest_memfd) == 64,
	       "kvm_create_guest_memfd is 64 bytes");
_Static_assert(offsetof(struct kvm_create_guest_memfd, flags) == 8,
	       "kvm_create_guest_memfd.flags at 8");
_Static_assert(offsetof(struct kvm_create_guest_memfd, reserved) == 16,
	       "kvm_create_guest_memfd.reserved at 16");
_Static_assert(sizeof(struct kvm_userspace_memory_region2) == 160,
	       "kvm_userspace_memory_region2 is 160 bytes");
_Static_assert(offsetof(struct kvm_userspace_memory_region2, guest_phys_addr) == 8,
	       "region2.guest_phys_addr at 8");
_Static_assert(offsetof(struct kvm_userspace_memory_region2, guest_memfd_offset) == 32,
	       "region2.guest_memfd_offset at 32");
_Static_assert(offsetof(struct kvm_userspace_memory_region2, guest_memfd) == 40,
	       "region2.guest_memfd at 40");
_Static_assert(offsetof(struct kvm_userspace_memory_region2, pad2) == 48,
	       "region2.pad2 at 48");
_Static_assert(sizeof(struct kvm_memory_attributes) == 32,
	       "kvm_memory_attributes is 32 bytes");
_Static_assert(sizeof(struct kvm_pre_fault_memory) == 64,
	       "kvm_pre_fault_memory is 64 bytes");
_Static_assert(sizeof(struct kvm_memory_fault_exit) == 24,
	       "memory_fault exit is 24 bytes");
_Static_assert(_IOC_NR(KVM_CREATE_GUEST_MEMFD) == 0xd4 &&
	       _IOC_SIZE(KVM_CREATE_GUEST_MEMFD) == 64,
	       "KVM_CREATE_GUEST_MEMFD encoding");
_Static_assert(KVM_SET_USER_MEMORY_REGION2 == 0x40a0ae49,
	       "KVM_SET_USER_MEMORY_REGION2 encoding");
_Static_assert(KVM_CREATE_GUEST_MEMFD == 0xc040aed4,
	       "KVM_CREATE_GUEST_MEMFD encoding");
_Static_assert(KVM_SET_MEMORY_ATTRIBUTES == 0x4020aed2,
	       "KVM_SET_MEMORY_ATTRIBUTES encoding");
_Static_assert(KVM_PRE_FAULT_MEMORY == 0xc040aed5,
	       "KVM_PRE_FAULT_MEMORY encoding");
#ifdef KVM_API_VERSION	/* the system <linux/kvm.h> came first */
_Static_assert(offsetof(struct kvm_run, mmio) == KVM_RUN_EXIT_UNION_OFFSET,
	       "kvm_run exit union at byte 32");
#endif

#endif /* _GMEMSIM_UAPI_LINUX_KVM_GMEM_H */
