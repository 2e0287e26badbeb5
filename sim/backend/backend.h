/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A backend executes trace calls: "model" in-process against model/, "kvm"
 * with real syscalls against /dev/kvm.  `gmemsim diff` runs one trace on both
 * and compares the trace_results call by call.
 */
#ifndef GMEMSIM_BACKEND_H
#define GMEMSIM_BACKEND_H

#include "trace/ir.h"

struct gmem_backend;

struct backend_opts {
	const char *profile;	/* kernel profile "6.18" | "7.1" | "7.2"; NULL = default */
	const char *inject;	/* bug-zoo defect name, NULL = correct model */
	bool contents_bytes;	/* model: keep real bytes, not per-page tags */
};

/* A violation found by a model checker (or a WARN/BUG in the model). */
struct backend_violation {
	char checker[48];	/* "stale-mapping", "attributes", "protocol", ... */
	char msg[512];
};

struct gmem_backend_ops {
	const char *name;
	/* A fresh world for one execution of @t; NULL with errno on failure. */
	struct gmem_backend *(*create)(const struct trace *t,
				       const struct backend_opts *o);
	/*
	 * Run one call on behalf of trace thread @tid (-1 for setup/final).
	 * Handle-defining calls record the new object under c->bind.
	 */
	void (*call)(struct gmem_backend *b, int tid, const struct trace_call *c,
		     struct trace_result *r);
	/*
	 * Run the quiescent checkers; returns the number of violations
	 * written to @v (at most @max).  Backends without checkers return 0.
	 */
	int (*check)(struct gmem_backend *b, struct backend_violation *v, int max);
	/* Tear down; leak/refcount checks at teardown report like check(). */
	int (*destroy)(struct gmem_backend *b, struct backend_violation *v, int max);
};

extern const struct gmem_backend_ops model_backend_ops;
extern const struct gmem_backend_ops kvm_backend_ops;

#endif /* GMEMSIM_BACKEND_H */
