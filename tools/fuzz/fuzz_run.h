/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Running one fuzz case on the model (tools/fuzz/fuzz_run.c): the trace as a
 * sim_program on the fiber executor, decisions from a lenient schedule, every
 * checker on.  Shared by the model fuzz target and its replay driver.
 */
#ifndef GMEMSIM_FUZZ_RUN_H
#define GMEMSIM_FUZZ_RUN_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "trace/ir.h"

/* The comment line that carries a regression trace's schedule. */
#define FUZZ_SCHEDULE_TAG	"# fuzz-schedule: "

/*
 * Run @t on the model with decisions from @schedule ("S1:[f]...", replayed
 * leniently).  A run fails on any violation, deadlock, livelock or budget
 * overrun; violations of the "expectation" checker count only when
 * @expectations (decoded inputs carry none; regression traces may).
 * On failure the result, the trace and its schedule go to @out.
 * *@res (may be NULL) gets the run's event-log hash, step count, outcome
 * and the checkers that reported; with @res NULL the run skips hashing its
 * events (the fuzz engines' targets, which never compare runs).
 * Return: true if the run passed.
 */
#define FUZZ_RUN_MAX_CHECKERS	8

struct fuzz_run_result {
	uint64_t hash;		/* the run's event-log hash (determinism checks) */
	uint64_t steps;		/* scheduler steps the run took (cost) */
	int outcome;		/* enum sim_outcome */
	/* The distinct checkers that reported, in report order (known findings). */
	int nchecker;
	char checker[FUZZ_RUN_MAX_CHECKERS][32];
};

bool fuzz_run_model(const struct trace *t, const char *schedule, bool expectations,
		    struct fuzz_run_result *res, FILE *out);

/* Print @t as a trace file with @schedule in a FUZZ_SCHEDULE_TAG line. */
void fuzz_print_case(const struct trace *t, const char *schedule, const char *comment,
		     FILE *out);

/*
 * Read the whole file @path into a malloc'ed buffer with a NUL after its
 * *@len bytes (so text inputs can be parsed in place).  Return: the
 * buffer, or NULL after perror(@path).
 */
uint8_t *fuzz_slurp(const char *path, size_t *len);

#endif /* GMEMSIM_FUZZ_RUN_H */
