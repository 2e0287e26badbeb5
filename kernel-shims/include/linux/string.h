/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Models include/linux/string.h (v7.1): the host's <string.h> plus the
 * kernel-only helpers the model uses.  (Shadows the host's tiny uapi
 * <linux/string.h>, which no host header includes.)
 */
#ifndef _SHIM_LINUX_STRING_H
#define _SHIM_LINUX_STRING_H

#include <string.h>
#include <linux/errno.h>
#include <linux/types.h>

/* Copy with truncation; returns the length copied or -E2BIG if cut. */
static inline ssize_t strscpy(char *dst, const char *src, size_t size)
{
	size_t len;

	if (!size)
		return -E2BIG;
	len = strnlen(src, size);
	if (len == size) {
		memcpy(dst, src, size - 1);
		dst[size - 1] = '\0';
		return -E2BIG;
	}
	memcpy(dst, src, len + 1);
	return len;
}

static inline bool mem_is_zero(const void *s, size_t n)
{
	const unsigned char *p = s;
	size_t i;

	for (i = 0; i < n; i++) {
		if (p[i])
			return false;
	}
	return true;
}

#endif /* _SHIM_LINUX_STRING_H */
