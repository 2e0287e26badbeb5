/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Models include/linux/kasan.h (v7.1): kasan_check_byte() only, over the
 * slab shim's generic use-after-free check (shim_slab_obj_live()).
 *
 * The kernel instruments every access; the model checks explicitly where
 * a stale pointer can be followed (a slot's gmem file, a file's bindings),
 * and skips the access it reports, so the run goes on to its report.
 * Unlike the kernel's, the address must be the start of a slab object.
 */
#ifndef _LINUX_KASAN_H
#define _LINUX_KASAN_H

#include <shim/sched.h>
#include <shim/slab.h>

/*
 * kasan_check_byte() - is the object at @addr live?  Reports a
 * use-after-free (SHIM_REPORT_SLAB) and returns false if it was freed.
 */
#define kasan_check_byte(addr)	shim_slab_obj_live((addr), SHIM_SITE)

#endif /* _LINUX_KASAN_H */
