/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Trace IR: the parsed form of a trace file, shared by the parser/printer
 * (sim/trace), the backends (sim/backend/{model,kvm}) and the explorer.
 *
 * A trace is a setup section, N threads of calls, and a final section.
 * Each call is one uapi operation (or vCPU/host access, or model control)
 * with integer arguments; a call may bind its result to a handle name and
 * may carry an expectation checked against what the backend returned.
 */
#ifndef GMEMSIM_TRACE_IR_H
#define GMEMSIM_TRACE_IR_H

#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>

#define TRACE_MAX_ARGS		10
#define TRACE_MAX_THREADS	8
#define TRACE_MAX_HANDLES	64
#define TRACE_MAX_ALTS		4

/*
 * Operations.  The spelling in the trace file is the lower-case name after
 * TOP_ (e.g. TOP_SET_USER_MEMORY_REGION2 -> "set_user_memory_region2").
 * Argument order is the order of the uapi struct fields.  "H" marks an
 * argument that names a handle bound earlier.
 */
enum trace_op {
	TOP_INVALID = 0,
	/* handle = vm_create(type)                     type: DEFAULT|SW_PROTECTED|SNP|TDX|number */
	TOP_VM_CREATE,
	/* handle = vcpu_create(H vm, id) */
	TOP_VCPU_CREATE,
	/* fd = create_guest_memfd(H vm, size, flags, reserved0) */
	TOP_CREATE_GUEST_MEMFD,
	/*
	 * set_user_memory_region2(H vm, slot, flags, gpa, size, H|num uaddr, H|num guest_memfd, guest_memfd_offset)
	 * uaddr as a handle means the address of that mapping (mmap/anon_mmap).
	 */
	TOP_SET_USER_MEMORY_REGION2,
	/* set_user_memory_region(H vm, slot, flags, gpa, size, H|num uaddr)  (v1 ioctl) */
	TOP_SET_USER_MEMORY_REGION,
	/* set_memory_attributes(H vm, address, size, attributes, flags) */
	TOP_SET_MEMORY_ATTRIBUTES,
	/* pre_fault_memory(H vcpu, gpa, size, flags)  result: ret, remaining size */
	TOP_PRE_FAULT_MEMORY,
	/* check_extension(H vm|0 for /dev/kvm, cap) -> value */
	TOP_CHECK_EXTENSION,
	/* fallocate(H fd, mode, offset, len) */
	TOP_FALLOCATE,
	/* handle = mmap(H fd, length, prot, flags, offset); flags: SHARED|PRIVATE */
	TOP_MMAP,
	/* handle = anon_mmap(length): anonymous shared memory for userspace_addr */
	TOP_ANON_MMAP,
	/* munmap(H map) */
	TOP_MUNMAP,
	/* madvise(H map, offset, length, advice) advice: HUGEPAGE|COLLAPSE|DONTNEED */
	TOP_MADVISE,
	/* host_read(H map, offset, len) -> byte value (or MIXED) or SIGBUS */
	TOP_HOST_READ,
	/* host_write(H map, offset, byte, len) -> 0 or SIGBUS */
	TOP_HOST_WRITE,
	/* guest_read(H vcpu, gpa, len, private) -> byte value, or exit */
	TOP_GUEST_READ,
	/* guest_write(H vcpu, gpa, byte, len, private) -> 0, or exit */
	TOP_GUEST_WRITE,
	/* guest_exec(H vcpu, gpa, private) -> 0, or exit */
	TOP_GUEST_EXEC,
	/* close(H fd) */
	TOP_CLOSE,
	/* read(H fd, len), write(H fd, len), pread(H fd, len, off), pwrite(H fd, len, off) */
	TOP_READ,
	TOP_WRITE,
	TOP_PREAD,
	TOP_PWRITE,
	/* fstat(H fd) -> st_size; result also carries st_blksize and st_ino */
	TOP_FSTAT,
	/* ftruncate(H fd, size) */
	TOP_FTRUNCATE,
	/* handle = memfd_create(size)  (a non-gmem file, for negative tests) */
	TOP_MEMFD_CREATE,
	/* handle = open_dev_kvm()  (the /dev/kvm fd itself, for negative tests) */
	TOP_OPEN_DEV_KVM,
	/* ---- model-only controls (the kvm backend reports them as skipped) ---- */
	/* fail_alloc(nth): the nth allocation from now fails with -ENOMEM */
	TOP_FAIL_ALLOC,
	/* signal(thread_index): make signal_pending() true once in that thread */
	TOP_SIGNAL,
	/* point(name): an explicit scheduling point */
	TOP_POINT,
	/* memory_failure(H fd, offset): hwpoison the folio at offset */
	TOP_MEMORY_FAILURE,
	/* populate(H vm, gpa, H map|0 src, npages)  (SNP/TDX launch update) */
	TOP_POPULATE,
	/* launch_finish(H vm): SNP/TDX launch done, pre-fault allowed from now */
	TOP_LAUNCH_FINISH,
	/* host_pin(H map, offset) -> pin handle; host_unpin(H pin) (GUP-like) */
	TOP_HOST_PIN,
	TOP_HOST_UNPIN,
	/*
	 * vcpu_run(H vcpu, rip, gpa, len, loops): KVM_RUN of a guest that
	 * fetches at rip, then reads [gpa, gpa+len) (len 0: no read), up to
	 * @loops times, stopping early when the value read changes.  Result:
	 * the last value read, or the exit (INTERNAL_ERROR: code fetch from a
	 * gpa without memory; MMIO: the read hit no memslot).
	 */
	TOP_VCPU_RUN,
	/* mbind(H map, offset, length, mode, nodemask, flags): NUMA policy of a range */
	TOP_MBIND,
	/* get_mempolicy(H map, offset, field): MPOL_F_ADDR; field 0 = mode, 1 = nodemask */
	TOP_GET_MEMPOLICY,
	/* page_node(H map, offset): move_pages(nodes = NULL) of the page: its node or ENOENT */
	TOP_PAGE_NODE,
	/*
	 * set_memory_attributes2(H fd, offset, size, attributes, flags, reserved0):
	 * KVM_SET_MEMORY_ATTRIBUTES2 on a guest_memfd (in-place conversion,
	 * proposed) or a VM fd; on EAGAIN remaining = bytes from error_offset.
	 */
	TOP_SET_MEMORY_ATTRIBUTES2,
	/* fd = link_guest_memfd(H vm, H fd, flags, reserved0) (proposed) */
	TOP_LINK_GUEST_MEMFD,
	/* hugetlb_pool(size, nr): the world's HugeTLB pool of size-byte pages (2M, 1G) */
	TOP_HUGETLB_POOL,
	/* tdx_config(H vm, huge, accept): TDX 2M private mappings / guest accept */
	TOP_TDX_CONFIG,
	/* accept(H vcpu, gpa, size): the TDX guest's TDG.MEM.PAGE.ACCEPT (4K or 2M) */
	TOP_ACCEPT,
	TOP_NR
};

/* An argument: a number, or a reference to an earlier handle. */
struct trace_arg {
	bool is_handle;
	int handle;		/* index into trace->handles when is_handle */
	uint64_t value;
};

/* What the backend returned for one call. */
enum trace_res_kind {
	TRES_OK = 0,		/* ret >= 0 (fd, value, 0) */
	TRES_ERRNO,		/* ret == -1, err = errno */
	TRES_EXIT,		/* vCPU exit other than success, with err from KVM_RUN */
	TRES_SIGBUS,		/* host access killed by SIGBUS */
	TRES_SKIPPED,		/* backend cannot do this call (capability missing) */
};

#define TRACE_VALUE_MIXED	(-1)	/* a read saw more than one byte value */

struct trace_result {
	enum trace_res_kind kind;
	int64_t ret;		/* TRES_OK: return value (handle-bound calls: 0) */
	int err;		/* TRES_ERRNO / TRES_EXIT: positive errno (0 if none) */
	int value;		/* reads: 0..255 or TRACE_VALUE_MIXED; -2 if none */
	/* TRES_EXIT */
	uint32_t exit_reason;	/* KVM_EXIT_* */
	uint64_t mf_gpa, mf_size, mf_flags;	/* KVM_EXIT_MEMORY_FAULT fields */
	/* extra outputs */
	uint64_t remaining;	/* pre_fault_memory: size left */
	uint64_t st_blksize, st_ino;	/* fstat */
};

/*
 * An expectation written beside a call: "-> EINVAL", "-> 0", "-> 0xaa",
 * "-> SIGBUS", "-> exit(MEMORY_FAULT, gpa=.., size=.., flags=PRIVATE) EFAULT",
 * "-> 0 remaining=0x1000"; several alternatives joined by '|'.
 * A field left unspecified in the text is not compared.
 */
struct trace_expect_alt {
	enum trace_res_kind kind;
	bool has_ret;   int64_t ret;
	bool has_err;   int err;
	bool has_value; int value;
	bool has_exit;  uint32_t exit_reason;
	bool has_mf_gpa;   uint64_t mf_gpa;
	bool has_mf_size;  uint64_t mf_size;
	bool has_mf_flags; uint64_t mf_flags;
	bool has_remaining; uint64_t remaining;
};

struct trace_expect {
	int nalts;		/* 0: no expectation */
	struct trace_expect_alt alt[TRACE_MAX_ALTS];
};

struct trace_call {
	enum trace_op op;
	int nargs;
	struct trace_arg args[TRACE_MAX_ARGS];
	int bind;		/* handle index this call defines, or -1 */
	struct trace_expect expect;
	int line;		/* source line, for messages */
};

/*
 * trace_call_init - a call built in C rather than parsed (benchmarks):
 * argument i is handle v[i] if is_h[i], else the number v[i].
 */
static inline void trace_call_init(struct trace_call *c, enum trace_op op, int bind,
				   int nargs, const int *is_h, const uint64_t *v)
{
	*c = (struct trace_call){ .op = op, .nargs = nargs, .bind = bind };
	for (int i = 0; i < nargs; i++) {
		c->args[i].is_handle = is_h[i];
		c->args[i].handle = is_h[i] ? (int)v[i] : 0;
		c->args[i].value = is_h[i] ? 0 : v[i];
	}
}

struct trace_handle {
	char name[32];
	enum trace_op defined_by;
};

enum trace_section { TSEC_SETUP = 0, TSEC_THREAD, TSEC_FINAL };

struct trace_thread {
	char name[32];
	int ncalls;
	struct trace_call *calls;
};

struct trace_requires {
	bool has_vm_type;
	uint32_t vm_types;	/* bitmask BIT(type) the trace needs */
	uint64_t caps[8][2];	/* (cap, minimum value) pairs */
	int ncaps;
	uint32_t backends;	/* BIT(TRACE_BACKEND_*); 0 = any */
	char profile[16];	/* kernel profile: "6.18", "7.1", "7.2" or "" */
};

enum { TRACE_BACKEND_MODEL = 0, TRACE_BACKEND_KVM = 1 };

struct trace {
	char path[256];
	struct trace_requires req;
	int nhandles;
	struct trace_handle handles[TRACE_MAX_HANDLES];
	struct trace_thread setup;	/* runs alone, before the threads */
	int nthreads;
	struct trace_thread threads[TRACE_MAX_THREADS];
	struct trace_thread final;	/* runs alone, after all threads */
};

/*
 * Bounds the parser enforces so that no input can make it use unbounded
 * memory or time (traces/README.md, "Limits").
 */
#define TRACE_MAX_CALLS		1024	/* per section (setup, each thread, final) */
#define TRACE_MAX_LINE		4096	/* bytes per line, newline excluded */
#define TRACE_MAX_NAME		31	/* handle and thread names */
#define TRACE_MAX_CAPS		8	/* cap= items in requires: */

/*
 * The op table (sim/trace/ops.c): one row per operation, used by the parser,
 * the printer, the README and the backends alike.
 */
enum trace_arg_kind {
	TARG_NUM = 0,		/* a number expression */
	TARG_HANDLE,		/* "H": a handle bound earlier */
	TARG_HANDLE_OR_NUM,	/* "H|num": a handle or a number (e.g. 0) */
};

/* Families of symbolic constants; an argument accepts the names of one. */
enum trace_const_class {
	TCC_NONE = 0,
	TCC_VM_TYPE,		/* DEFAULT SW_PROTECTED SEV SEV_ES SNP TDX */
	TCC_MEMSLOT_FLAGS,	/* LOG_DIRTY_PAGES READONLY GUEST_MEMFD */
	TCC_GMEM_FLAGS,		/* MMAP INIT_SHARED NO_DIRECT_MAP */
	TCC_ATTRS,		/* PRIVATE */
	TCC_FALLOC_MODE,	/* KEEP_SIZE PUNCH_HOLE */
	TCC_PROT,		/* PROT_NONE PROT_READ PROT_WRITE PROT_EXEC */
	TCC_MMAP_FLAGS,		/* SHARED PRIVATE */
	TCC_MADV,		/* DONTNEED REMOVE HUGEPAGE NOHUGEPAGE COLLAPSE */
	TCC_CAP,		/* KVM_CAP_* without the prefix */
	TCC_EXIT_REASON,	/* KVM_EXIT_* without the prefix */
	TCC_EXIT_FLAGS,		/* KVM_MEMORY_EXIT_FLAG_*: PRIVATE */
	TCC_ERRNO,		/* EINVAL, ... */
	TCC_MPOL,		/* MPOL_*: DEFAULT PREFERRED BIND INTERLEAVE */
	TCC_NR
};

/* How a plain number is printed when no symbolic name fits. */
enum trace_num_fmt {
	TFMT_DEC = 0,		/* 3 */
	TFMT_HEX,		/* 0x80000000 */
	TFMT_SIZE,		/* 2M, 4K, 0x1800 (K/M/G/T when exact) */
	TFMT_BYTE,		/* 0x11 */
};

struct trace_arg_info {
	const char *name;	/* spelling for "name=value" */
	enum trace_arg_kind kind;
	enum trace_const_class cls;	/* names accepted/printed, or TCC_NONE */
	enum trace_num_fmt fmt;
	bool has_default;	/* may be left out */
	uint64_t def;
};

struct trace_op_info {
	enum trace_op op;
	const char *name;	/* spelling in the trace file */
	int nargs;		/* every parsed call has exactly this many */
	struct trace_arg_info args[TRACE_MAX_ARGS];
	bool binds;		/* may be written "handle = op(...)" */
	bool reads_value;	/* a number after "->" is the byte value read */
	bool reports_remaining;	/* the result carries remaining= (bytes left) */
	bool model_only;	/* the kvm backend reports it as skipped */
	const char *doc;	/* one line, for the README and --help */
};

/* NULL for TOP_INVALID or anything out of range. */
const struct trace_op_info *trace_op_info(enum trace_op op);
/* TOP_INVALID if @name (not NUL-terminated, @len bytes) is not an op. */
enum trace_op trace_op_lookup(const char *name, size_t len);
/* Name of @value in @cls (exact match), or NULL. */
const char *trace_const_name(enum trace_const_class cls, uint64_t value);
/* 0 and *value set if @name is in @cls; -1 if not. */
int trace_const_lookup(enum trace_const_class cls, const char *name, size_t len,
		       uint64_t *value);
/* True if @cls is a set of flag bits joined with '|' (not an enumeration). */
bool trace_const_is_flags(enum trace_const_class cls);
/* "EINVAL" for 22; NULL for an errno the language has no name for. */
const char *trace_errno_name(int err);

/*
 * "fallocate(H fd, mode, offset, len)": the op's arguments in order, "H" on
 * handles ("H|num" where a number may stand instead), "=default" on the
 * optional ones.  Used by traces/README.md (a test keeps them in sync) and
 * --help texts.  Cut to fit @len, always NUL-terminated.
 */
void trace_op_signature(enum trace_op op, char *buf, size_t len);

/* A result with nothing in it (value = -2, as backends must start from). */
void trace_result_init(struct trace_result *r);

/* Parse/print (sim/trace/parse.c, print.c, result.c). */
struct trace_error {
	char file[256];
	int line, col;
	char msg[256];		/* "expected ..., got ..." */
};

/* 0 on success; -1 with *err filled (file:line:col: msg). */
int trace_parse_file(const char *path, struct trace *t, struct trace_error *err);
int trace_parse_buf(const char *name, const char *buf, size_t len,
		    struct trace *t, struct trace_error *err);
/*
 * Canonical text (traces/README.md, "Canonical form"); returns a malloc'ed
 * string, NULL if memory ran out.  Comments are not kept.
 */
char *trace_print(const struct trace *t);
/* Frees the call arrays; safe on an empty or already freed trace. */
void trace_free(struct trace *t);
/* Same meaning: path and call line numbers are not compared. */
bool trace_equal(const struct trace *a, const struct trace *b);

const char *trace_op_name(enum trace_op op);
/* Any alternative matches (no "->" at all matches everything, skips too). */
bool trace_result_matches(const struct trace_expect *e, const struct trace_result *r);
/* Human-readable "EINVAL", "0x1", "exit(MEMORY_FAULT,...) EFAULT", "SIGBUS". */
void trace_result_format(const struct trace_result *r, char *buf, size_t len);

#endif /* GMEMSIM_TRACE_IR_H */
