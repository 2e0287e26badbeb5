/* SPDX-License-Identifier: GPL-2.0 */
/* Models include/linux/build_bug.h (v7.1): BUILD_BUG_ON and friends live in compiler.h. */
#ifndef _LINUX_BUILD_BUG_H
#define _LINUX_BUILD_BUG_H

#include <linux/compiler.h>

#define static_assert(expr, ...)	_Static_assert(expr, #expr)

#endif /* _LINUX_BUILD_BUG_H */
