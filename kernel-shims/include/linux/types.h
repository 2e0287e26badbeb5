/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Models include/linux/types.h (v7.1): the kernel's fixed-width integer
 * names and the KVM address types, on top of the host's <stdint.h>.
 */
#ifndef _SHIM_LINUX_TYPES_H
#define _SHIM_LINUX_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int8_t s8;
typedef int16_t s16;
typedef int32_t s32;
typedef int64_t s64;

/*
 * __u8..__s64, __le32, __aligned_u64...: the host's uapi <linux/types.h>,
 * which this header shadows (host uapi headers such as <linux/kvm.h> include
 * <linux/types.h> and need those).
 */
#include_next <linux/types.h>

/* loff_t, ssize_t, size_t come from the host (sys/types.h, stddef.h). */
typedef unsigned long pgoff_t;
typedef u64 phys_addr_t;
typedef u64 dma_addr_t;
typedef unsigned int gfp_t;
typedef unsigned int fmode_t;
typedef u64 sector_t;

/* include/linux/kvm_types.h address spaces */
typedef u64 gpa_t;
typedef u64 gfn_t;
typedef u64 gva_t;
typedef unsigned long hva_t;
typedef u64 hpa_t;
typedef u64 hfn_t;
typedef hfn_t kvm_pfn_t;

#ifndef __user
#define __user
#endif
#define __kernel
#define __iomem
#define __rcu
#define __percpu
#define __force
#define __bitwise
#define __private

#endif /* _SHIM_LINUX_TYPES_H */
