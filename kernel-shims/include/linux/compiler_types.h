/* SPDX-License-Identifier: GPL-2.0 */
/* Models include/linux/compiler_types.h (v7.1): folded into compiler.h. */
#include <linux/compiler.h>
