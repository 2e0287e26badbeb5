// SPDX-License-Identifier: GPL-2.0
/*
 * Reports (WARN, BUG, lockdep, slab) and kernel messages.  Models the
 * reporting half of kernel/panic.c (__warn) and kernel/printk (v7.1): here a
 * report is routed to the scheduler in controlled mode, so the failing step
 * can be shown, or to shim_report_sink (default: stderr) when free-running.
 */
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/bug.h>
#include <linux/printk.h>
#include <linux/refcount.h>
#include <shim/sched.h>

shim_report_fn shim_report_sink;
unsigned long shim_report_generation;
int shim_printk_level = LOGLEVEL_WARNING;

static unsigned long report_counts[SHIM_REPORT_NR];

static const char *const op_names[SHIM_OP_NR] = {
	[SHIM_OP_POINT] = "point",
	[SHIM_OP_MUTEX_LOCK] = "mutex_lock",
	[SHIM_OP_MUTEX_UNLOCK] = "mutex_unlock",
	[SHIM_OP_DOWN_READ] = "down_read",
	[SHIM_OP_DOWN_WRITE] = "down_write",
	[SHIM_OP_UP_READ] = "up_read",
	[SHIM_OP_UP_WRITE] = "up_write",
	[SHIM_OP_READ_LOCK] = "read_lock",
	[SHIM_OP_WRITE_LOCK] = "write_lock",
	[SHIM_OP_READ_UNLOCK] = "read_unlock",
	[SHIM_OP_WRITE_UNLOCK] = "write_unlock",
	[SHIM_OP_SPIN_LOCK] = "spin_lock",
	[SHIM_OP_SPIN_UNLOCK] = "spin_unlock",
	[SHIM_OP_SRCU_READ_LOCK] = "srcu_read_lock",
	[SHIM_OP_SRCU_READ_UNLOCK] = "srcu_read_unlock",
	[SHIM_OP_SYNCHRONIZE_SRCU] = "synchronize_srcu",
	[SHIM_OP_ATOMIC] = "atomic",
	[SHIM_OP_READ_ONCE] = "READ_ONCE",
	[SHIM_OP_WRITE_ONCE] = "WRITE_ONCE",
	[SHIM_OP_ALLOC] = "alloc",
	[SHIM_OP_FREE] = "free",
	[SHIM_OP_FOLIO_LOCK] = "folio_lock",
	[SHIM_OP_FOLIO_UNLOCK] = "folio_unlock",
	[SHIM_OP_SPIN] = "spin",
};

static const char *const report_names[SHIM_REPORT_NR] = {
	[SHIM_REPORT_WARN] = "WARNING",
	[SHIM_REPORT_BUG] = "BUG",
	[SHIM_REPORT_KVM_BUG] = "KVM_BUG",
	[SHIM_REPORT_LOCKDEP] = "LOCKDEP",
	[SHIM_REPORT_SLAB] = "SLAB",
	[SHIM_REPORT_DEADLOCK] = "DEADLOCK",
};

/**
 * shim_op_name() - Printable name of a scheduling-point operation.
 * @op: the operation.
 *
 * Context: any.
 * Return: a static string, "?" for an unknown value.
 */
const char *shim_op_name(enum shim_op op)
{
	if ((unsigned int)op >= SHIM_OP_NR || !op_names[op])
		return "?";
	return op_names[op];
}

/**
 * shim_report_name() - Printable name of a report kind.
 * @kind: the kind.
 *
 * Context: any.
 * Return: a static string, "?" for an unknown value.
 */
const char *shim_report_name(enum shim_report_kind kind)
{
	if ((unsigned int)kind >= SHIM_REPORT_NR)
		return "?";
	return report_names[kind];
}

static void default_sink(enum shim_report_kind kind, const char *msg,
			 const char *file, int line)
{
	if (line > 0)
		fprintf(stderr, "gmemsim: %s: %s at %s:%d\n",
			shim_report_name(kind), msg, file, line);
	else
		fprintf(stderr, "gmemsim: %s: %s at %s\n",
			shim_report_name(kind), msg, file ? file : "?");
}

/*
 * Shims report at the model's call site, a "file:line" string (SHIM_SITE),
 * with @line 0.  Hooks want file and line apart, and may keep the file
 * pointer, so split it once and keep each distinct file name for good.
 */
#define MAX_SITE_FILES 256
static pthread_mutex_t site_lock = PTHREAD_MUTEX_INITIALIZER;
static char *site_files[MAX_SITE_FILES];

static void split_site(const char **file, int *line)
{
	const char *colon, *f = *file;
	char *end;
	long n;
	size_t len;
	int i;

	if (*line || !f || !(colon = strrchr(f, ':')))
		return;
	n = strtol(colon + 1, &end, 10);
	if (end == colon + 1 || *end || n <= 0)
		return;
	len = colon - f;
	pthread_mutex_lock(&site_lock);
	for (i = 0; i < MAX_SITE_FILES && site_files[i]; i++) {
		if (!strncmp(site_files[i], f, len) && !site_files[i][len])
			break;
	}
	if (i < MAX_SITE_FILES && !site_files[i])
		site_files[i] = strndup(f, len);
	if (i < MAX_SITE_FILES && site_files[i]) {
		*file = site_files[i];
		*line = (int)n;
	}
	pthread_mutex_unlock(&site_lock);
}

static void vreport(enum shim_report_kind kind, const char *file, int line,
		    const char *fmt, va_list ap)
{
	const struct shim_sched_ops *s = shim_sched;
	shim_report_fn sink;
	char msg[1024];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	split_site(&file, &line);
	if ((unsigned int)kind < SHIM_REPORT_NR)
		__atomic_add_fetch(&report_counts[kind], 1, __ATOMIC_RELAXED);
	if (s && s->report) {
		s->report(kind, msg, file, line);
		return;
	}
	sink = __atomic_load_n(&shim_report_sink, __ATOMIC_ACQUIRE);
	(sink ? sink : default_sink)(kind, msg, file, line);
}

/**
 * shim_report() - Report a WARN/BUG/lockdep/slab event.
 * @kind: what happened.
 * @file: source file, or a "file:line" site with @line 0 (split here, so
 *	  hooks always get a file name and a line).
 * @line: source line, or 0.
 * @fmt: printf-style message.
 *
 * Counts the report, then hands it to shim_sched->report (controlled) or
 * shim_report_sink (free-running; default prints to stderr).  A free-running
 * SHIM_REPORT_BUG aborts after the sink returns.
 *
 * Context: any; thread-safe.
 */
void shim_report(enum shim_report_kind kind, const char *file, int line,
		 const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(kind, file, line, fmt, ap);
	va_end(ap);
	/* A cause belongs to this report only, whichever sink took it. */
	if (shim_ctx)
		shim_ctx->report_cause = 0;
	if (kind == SHIM_REPORT_BUG)
		abort();
}

void shim_bug(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(SHIM_REPORT_BUG, file, line, fmt, ap);
	va_end(ap);
	/* Controlled mode's hook must not return; if it does, stop here. */
	abort();
}

/**
 * shim_report_count() - How many reports of @kind since the last reset.
 * @kind: the kind.
 *
 * Context: any.
 * Return: the count.
 */
unsigned long shim_report_count(enum shim_report_kind kind)
{
	if ((unsigned int)kind >= SHIM_REPORT_NR)
		return 0;
	return __atomic_load_n(&report_counts[kind], __ATOMIC_RELAXED);
}

/**
 * shim_report_reset() - Zero the counts and re-arm every WARN_ON_ONCE.
 *
 * Context: between executions.
 */
void shim_report_reset(void)
{
	int i;

	for (i = 0; i < SHIM_REPORT_NR; i++)
		__atomic_store_n(&report_counts[i], 0, __ATOMIC_RELAXED);
	__atomic_add_fetch(&shim_report_generation, 1, __ATOMIC_RELAXED);
}

void shim_refcount_warn(refcount_t *r, const char *what, const char *site)
{
	atomic_set(&r->refs, REFCOUNT_SATURATED);
	shim_report(SHIM_REPORT_WARN, site, 0, "refcount_t: %s", what);
}

int shim_printk(int level, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (level > __atomic_load_n(&shim_printk_level, __ATOMIC_RELAXED))
		return 0;
	va_start(ap, fmt);
	n = vfprintf(stderr, fmt, ap);
	va_end(ap);
	return n;
}
