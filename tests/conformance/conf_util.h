/* SPDX-License-Identifier: GPL-2.0 */
/*
 * conf_util: build trace calls in C and run them one by one on a fresh model
 * backend (model_backend_ops), for the conformance suite (spec §4).
 *
 *	struct conf *c = conf_new("7.1");
 *	int vm = conf_bind(c, TOP_VM_CREATE, N(KVM_X86_SW_PROTECTED_VM));
 *	int fd = conf_bind(c, TOP_CREATE_GUEST_MEMFD, H(vm), N(4 * PAGE), N(0), N(0));
 *	struct trace_result r = conf_call(c, TOP_FALLOCATE, H(fd), N(FALLOC_FL_KEEP_SIZE), N(0), N(PAGE));
 *	CONF_OK(r);			// ret >= 0
 *	CONF_ERRNO(conf_call(...), EINVAL);
 *	conf_free(c);			// destroy(): teardown checkers must be clean
 *
 * conf_bind() returns the new handle index, or -1 if the call failed (the
 * result is then in c->last).  Handles are plain ints; pass them with H().
 * Every call also runs the backend's quiescent checkers (->check) unless
 * c->no_check is set; any violation fails the test with its message.
 */
#ifndef GMEMSIM_CONF_UTIL_H
#define GMEMSIM_CONF_UTIL_H

#include <check.h>
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>

#include "trace/ir.h"
#include "backend/backend.h"

#define PAGE		4096ULL
#define SZ_2M		(2ULL << 20)
#define SZ_1G		(1ULL << 30)

/* fallocate modes and mmap values as the trace IR passes them (Linux ABI). */
#define CONF_FALLOC_KEEP_SIZE	0x01
#define CONF_FALLOC_PUNCH_HOLE	0x02
#define CONF_MAP_SHARED		0x01
#define CONF_MAP_PRIVATE	0x02
#define CONF_PROT_RW		0x03
#define CONF_MADV_DONTNEED	4
#define CONF_MADV_HUGEPAGE	14
#define CONF_MADV_COLLAPSE	25

struct conf_arg {
	bool h;
	uint64_t v;
};

#define N(x)	((struct conf_arg){ .h = false, .v = (uint64_t)(x) })
#define H(x)	((struct conf_arg){ .h = true, .v = (uint64_t)(x) })

struct conf {
	const struct gmem_backend_ops *ops;
	struct gmem_backend *b;
	struct trace t;			/* handle table only; no calls */
	int nhandles;
	struct trace_result last;
	bool no_check;			/* skip ->check() after each call */
	int nviolations;		/* from check/destroy so far */
	struct backend_violation v[8];
};

/* A fresh model world with kernel profile @profile (NULL: default 7.1). */
struct conf *conf_new(const char *profile);
/* Tear down; asserts (ck_assert) that teardown found no violation. */
void conf_free(struct conf *c);
/* Tear down and return the number of teardown violations (no assert). */
int conf_free_count(struct conf *c);

struct trace_result conf_callv(struct conf *c, int tid, enum trace_op op,
			       int nargs, const struct conf_arg *args, int bind);
int conf_bindv(struct conf *c, int tid, enum trace_op op, int nargs,
	       const struct conf_arg *args);

#define CONF_ARGS(...)	((const struct conf_arg[]){ __VA_ARGS__ })
#define CONF_NARGS(...)	((int)(sizeof(CONF_ARGS(__VA_ARGS__)) / sizeof(struct conf_arg)))

/* Run @op with the arguments in trace order; thread -1 (setup). */
#define conf_call(c, op, ...) \
	conf_callv((c), -1, (op), CONF_NARGS(__VA_ARGS__), CONF_ARGS(__VA_ARGS__), -1)
/* Same, but the call defines a handle: returns it, or -1 on failure. */
#define conf_bind(c, op, ...) \
	conf_bindv((c), -1, (op), CONF_NARGS(__VA_ARGS__), CONF_ARGS(__VA_ARGS__))

/* Convenience wrappers for the common setup calls. */
int conf_vm(struct conf *c, unsigned long type);
int conf_gmem(struct conf *c, int vm, uint64_t size, uint64_t flags);
struct trace_result conf_region2(struct conf *c, int vm, uint32_t slot,
				 uint32_t flags, uint64_t gpa, uint64_t size,
				 uint64_t uaddr, int gmem_handle,
				 uint64_t gmem_offset);
/* Same with a raw fd number (-1: use @gmem_handle's fd) for negative tests. */
struct trace_result conf_region2_rawfd(struct conf *c, int vm, uint32_t slot,
				       uint32_t flags, uint64_t gpa,
				       uint64_t size, uint64_t uaddr,
				       uint64_t fd, uint64_t gmem_offset);
struct trace_result conf_attrs(struct conf *c, int vm, uint64_t gpa,
			       uint64_t size, uint64_t attrs, uint64_t flags);

/* Printable form of a result, for failure messages. */
const char *conf_fmt(const struct trace_result *r);

#define CONF_OK(r) do {							\
	struct trace_result __r = (r);					\
	ck_assert_msg(__r.kind == TRES_OK, "expected success, got %s",	\
		      conf_fmt(&__r));					\
} while (0)

#define CONF_RET(r, val) do {						\
	struct trace_result __r = (r);					\
	ck_assert_msg(__r.kind == TRES_OK && __r.ret == (int64_t)(val),	\
		      "expected %lld, got %s", (long long)(val),	\
		      conf_fmt(&__r));					\
} while (0)

#define CONF_ERRNO(r, e) do {						\
	struct trace_result __r = (r);					\
	ck_assert_msg(__r.kind == TRES_ERRNO && __r.err == (e),		\
		      "expected errno %s (%d), got %s", #e, (e),	\
		      conf_fmt(&__r));					\
} while (0)

#define CONF_VALUE(r, val) do {						\
	struct trace_result __r = (r);					\
	ck_assert_msg(__r.kind == TRES_OK && __r.value == (val),	\
		      "expected value %d, got %s", (int)(val),		\
		      conf_fmt(&__r));					\
} while (0)

#define CONF_SIGBUS(r) do {						\
	struct trace_result __r = (r);					\
	ck_assert_msg(__r.kind == TRES_SIGBUS, "expected SIGBUS, got %s",	\
		      conf_fmt(&__r));					\
} while (0)

/* Model-only peeks (sim/backend/model/model_backend.h wraps them). */
struct kvm;
struct kvm *conf_kvm(struct conf *c, int vm_handle);
/* The user address of mapping handle @h (0 if not a mapping). */
uint64_t conf_map_addr(struct conf *c, int h);

#endif /* GMEMSIM_CONF_UTIL_H */
