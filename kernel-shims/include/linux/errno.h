/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Models include/linux/errno.h (v7.1): the host's errno values (identical to
 * the kernel's uapi ones on Linux) plus the kernel-internal codes that never
 * reach user space.
 */
#ifndef _LINUX_ERRNO_H
#define _LINUX_ERRNO_H

/*
 * The host's <errno.h> includes <linux/errno.h>, which resolves here first,
 * so take the values from the uapi header it would have found, not <errno.h>.
 */
#include <asm/errno.h>

#define ERESTARTSYS		512
#define ERESTARTNOINTR		513
#define ERESTARTNOHAND		514
#define ENOIOCTLCMD		515
#define ERESTART_RESTARTBLOCK	516
#define EPROBE_DEFER		517
#define EOPENSTALE		518
#define ENOPARAM		519
#define EBADHANDLE		521
#define ENOTSYNC		522
#define EBADCOOKIE		523
#define ENOTSUPP		524
#define ETOOSMALL		525
#define ESERVERFAULT		526
#define EBADTYPE		527
#define EJUKEBOX		528
#define EIOCBQUEUED		529
#define ERECALLCONFLICT		530
#define ENOGRACE		531

#ifndef EHWPOISON
#define EHWPOISON		133
#endif

#endif /* _LINUX_ERRNO_H */
