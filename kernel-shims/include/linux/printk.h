/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Models include/linux/printk.h (v7.1).  Messages go to stderr when their
 * level is at or below shim_printk_level (default: KERN_WARNING and more
 * severe), so a quiet run stays quiet; pr_debug compiles out unless DEBUG.
 */
#ifndef _LINUX_PRINTK_H
#define _LINUX_PRINTK_H

#include <linux/compiler.h>

#define LOGLEVEL_EMERG		0
#define LOGLEVEL_ALERT		1
#define LOGLEVEL_CRIT		2
#define LOGLEVEL_ERR		3
#define LOGLEVEL_WARNING	4
#define LOGLEVEL_NOTICE		5
#define LOGLEVEL_INFO		6
#define LOGLEVEL_DEBUG		7

extern int shim_printk_level;

/**
 * shim_printk() - Print a kernel message.
 * @level: LOGLEVEL_*.
 * @fmt: printf-style format.
 *
 * Context: any.
 * Return: characters printed, 0 if filtered out.
 */
int shim_printk(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#ifndef pr_fmt
#define pr_fmt(fmt) fmt
#endif

#define pr_emerg(fmt, ...)	shim_printk(LOGLEVEL_EMERG, pr_fmt(fmt), ##__VA_ARGS__)
#define pr_alert(fmt, ...)	shim_printk(LOGLEVEL_ALERT, pr_fmt(fmt), ##__VA_ARGS__)
#define pr_crit(fmt, ...)	shim_printk(LOGLEVEL_CRIT, pr_fmt(fmt), ##__VA_ARGS__)
#define pr_err(fmt, ...)	shim_printk(LOGLEVEL_ERR, pr_fmt(fmt), ##__VA_ARGS__)
#define pr_warn(fmt, ...)	shim_printk(LOGLEVEL_WARNING, pr_fmt(fmt), ##__VA_ARGS__)
#define pr_notice(fmt, ...)	shim_printk(LOGLEVEL_NOTICE, pr_fmt(fmt), ##__VA_ARGS__)
#define pr_info(fmt, ...)	shim_printk(LOGLEVEL_INFO, pr_fmt(fmt), ##__VA_ARGS__)
#define pr_warn_once(fmt, ...)	pr_warn(fmt, ##__VA_ARGS__)
#define pr_err_ratelimited(fmt, ...) pr_err(fmt, ##__VA_ARGS__)
#define pr_warn_ratelimited(fmt, ...) pr_warn(fmt, ##__VA_ARGS__)
#ifdef DEBUG
#define pr_debug(fmt, ...)	shim_printk(LOGLEVEL_DEBUG, pr_fmt(fmt), ##__VA_ARGS__)
#else
#define pr_debug(fmt, ...)	({ if (0) shim_printk(LOGLEVEL_DEBUG, pr_fmt(fmt), ##__VA_ARGS__); 0; })
#endif
#define printk(fmt, ...)	shim_printk(LOGLEVEL_WARNING, fmt, ##__VA_ARGS__)

#endif /* _LINUX_PRINTK_H */
