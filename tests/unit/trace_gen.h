/* SPDX-License-Identifier: GPL-2.0 */
/* A generator of random well-formed traces, for round-trip tests. */
#ifndef GMEMSIM_TEST_TRACE_GEN_H
#define GMEMSIM_TEST_TRACE_GEN_H

#include "trace/ir.h"

struct trace_rng {
	uint64_t s;
};

uint64_t trace_rng_next(struct trace_rng *r);
/* Uniform in [0, n); n > 0. */
uint64_t trace_rng_below(struct trace_rng *r, uint64_t n);

/*
 * Fill @t with a random trace that obeys every rule the parser enforces
 * (handles bound before use and in scope, caps, value ranges of
 * expectations).  Free it with trace_free().  Return: 0, -1 without memory.
 */
int trace_gen(struct trace_rng *r, struct trace *t);

#endif
