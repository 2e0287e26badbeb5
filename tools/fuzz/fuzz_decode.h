/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Bytes -> a trace plus a decision stream, for the model and differential
 * fuzz targets (tools/fuzz/model_fuzz.c, diff_fuzz.c).
 *
 * Layout of an input (every read past the end yields 0, so every byte
 * string decodes):
 *
 *	header	3 bytes: VM type, profile, fault injection, thread count,
 *		and the shape of the setup skeleton (gmem size and flags,
 *		slot GPA and flags, host mappings, private attributes)
 *	calls	per section (setup extras, thread 0..n-1, final): calls
 *		until an 0xff byte or the section's cap; a call is an op
 *		byte then one selector byte per argument (plus raw bytes for
 *		byte values and odd numbers)
 *	rest	the decision stream: one byte per scheduler decision (which
 *		thread runs next, or an allocation-failure answer), given to
 *		the scheduler as a lenient prefix (SIM_STRAT_PREFIX); after
 *		it, the running thread keeps running
 *
 * Arguments are biased toward values that matter: page-aligned offsets
 * inside and just outside the gmem, sizes 0/4K/2M/huge, handles of the
 * right kind, of the wrong kind or already closed, valid flags, stray bits.
 * Sizes that would make the model allocate without bound (a valid huge
 * gmem, long host/guest accesses) are not generated.
 */
#ifndef GMEMSIM_FUZZ_DECODE_H
#define GMEMSIM_FUZZ_DECODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "trace/ir.h"

enum fuzz_mode {
	FUZZ_MODEL = 0,		/* any VM type, 1..3 threads, model-only ops */
	FUZZ_DIFF,		/* DEFAULT VM, MMAP|INIT_SHARED gmem, one thread, host ops */
};

/* Host facts the differential decoder avoids (from KVM_CHECK_EXTENSION). */
struct fuzz_host {
	bool memory_attributes;	/* KVM_CAP_MEMORY_ATTRIBUTES on the system fd */
	bool pre_fault;		/* KVM_CAP_PRE_FAULT_MEMORY */
};

#define FUZZ_MAX_SETUP		24
#define FUZZ_MAX_THREAD		12
#define FUZZ_MAX_FINAL		8
#define FUZZ_SCHED_MAX		1024	/* decisions taken from the input */
/* Pages one input may fault in or allocate (fuzz_decode.c says which). */
#define FUZZ_MAX_BULK_PAGES	64

/* One decoded input.  Big: keep it static or on the heap. */
struct fuzz_case {
	struct trace t;			/* calls point into the arrays below */
	struct trace_call setup_calls[FUZZ_MAX_SETUP];
	struct trace_call thread_calls[3][FUZZ_MAX_THREAD];
	struct trace_call final_calls[FUZZ_MAX_FINAL];
	const char *profile;		/* NULL: the model's default */
	bool faults;			/* allocation failures are decisions */
	char schedule[FUZZ_SCHED_MAX + 8];	/* "S1:[f]..." */
};

/*
 * Decode @data into @fc for @mode (@host: may be NULL in FUZZ_MODEL).
 * Never fails: every input is some trace.  @fc->t is not to be passed to
 * trace_free() (its calls live in @fc).
 */
void fuzz_decode(const uint8_t *data, size_t len, enum fuzz_mode mode,
		 const struct fuzz_host *host, struct fuzz_case *fc);

#endif /* GMEMSIM_FUZZ_DECODE_H */
