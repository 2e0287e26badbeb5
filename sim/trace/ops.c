// SPDX-License-Identifier: GPL-2.0
/*
 * The op table of the trace language: every operation's spelling, argument
 * names and order (the order documented in ir.h), which arguments name
 * handles, the defaults of optional arguments, and which ops exist only in
 * the model.  The parser, the printer, traces/README.md and the backends all
 * read this one table, so a default cannot differ between them.
 *
 * Not a kernel file; the argument order follows the uapi structs of
 * include/uapi/linux/kvm.h (spec section 0.1) as ir.h lays them out.
 */
#include <string.h>

#include "trace/ir.h"

/* Shorthands that keep one op per few lines. */
#define H(n)		{ .name = n, .kind = TARG_HANDLE }
#define HN(n, f)	{ .name = n, .kind = TARG_HANDLE_OR_NUM, .fmt = f, \
			  .has_default = true, .def = 0 }
#define NUM(n, f)	{ .name = n, .fmt = f }
#define NUMD(n, f, d)	{ .name = n, .fmt = f, .has_default = true, .def = d }
#define SYM(n, c)	{ .name = n, .cls = c, .fmt = TFMT_HEX }
#define SYMD(n, c, d)	{ .name = n, .cls = c, .fmt = TFMT_HEX, \
			  .has_default = true, .def = d }

/* PROT_READ|PROT_WRITE and MAP_SHARED: what a test almost always wants. */
#define PROT_RW_DEFAULT	0x3
#define MAP_SHARED_DEFAULT 0x1

static const struct trace_op_info ops[TOP_NR] = {
	[TOP_VM_CREATE] = { .op = TOP_VM_CREATE,
		.name = "vm_create", .nargs = 1, .binds = true,
		.args = { SYMD("type", TCC_VM_TYPE, 0) },
		.doc = "create a VM of the given type",
	},
	[TOP_VCPU_CREATE] = { .op = TOP_VCPU_CREATE,
		.name = "vcpu_create", .nargs = 2, .binds = true,
		.args = { H("vm"), NUMD("id", TFMT_DEC, 0) },
		.doc = "create vCPU @id in @vm",
	},
	[TOP_CREATE_GUEST_MEMFD] = { .op = TOP_CREATE_GUEST_MEMFD,
		.name = "create_guest_memfd", .nargs = 4, .binds = true,
		.args = { H("vm"), NUM("size", TFMT_SIZE),
			  SYMD("flags", TCC_GMEM_FLAGS, 0),
			  NUMD("reserved0", TFMT_HEX, 0) },
		.doc = "KVM_CREATE_GUEST_MEMFD; reserved0 is reserved[0] (not checked by the kernel)",
	},
	[TOP_SET_USER_MEMORY_REGION2] = { .op = TOP_SET_USER_MEMORY_REGION2,
		.name = "set_user_memory_region2", .nargs = 8,
		.args = { H("vm"), NUM("slot", TFMT_DEC),
			  SYMD("flags", TCC_MEMSLOT_FLAGS, 0),
			  NUM("gpa", TFMT_HEX), NUM("size", TFMT_SIZE),
			  HN("uaddr", TFMT_HEX), HN("guest_memfd", TFMT_DEC),
			  NUMD("guest_memfd_offset", TFMT_SIZE, 0) },
		.doc = "KVM_SET_USER_MEMORY_REGION2; size=0 deletes the slot; uaddr may name a mapping",
	},
	[TOP_SET_USER_MEMORY_REGION] = { .op = TOP_SET_USER_MEMORY_REGION,
		.name = "set_user_memory_region", .nargs = 6,
		.args = { H("vm"), NUM("slot", TFMT_DEC),
			  SYMD("flags", TCC_MEMSLOT_FLAGS, 0),
			  NUM("gpa", TFMT_HEX), NUM("size", TFMT_SIZE),
			  HN("uaddr", TFMT_HEX) },
		.doc = "KVM_SET_USER_MEMORY_REGION (v1); uaddr may name a mapping",
	},
	[TOP_SET_MEMORY_ATTRIBUTES] = { .op = TOP_SET_MEMORY_ATTRIBUTES,
		.name = "set_memory_attributes", .nargs = 5,
		.args = { H("vm"), NUM("address", TFMT_HEX),
			  NUM("size", TFMT_SIZE), SYM("attributes", TCC_ATTRS),
			  NUMD("flags", TFMT_HEX, 0) },
		.doc = "KVM_SET_MEMORY_ATTRIBUTES; attributes=0 makes the range shared",
	},
	[TOP_PRE_FAULT_MEMORY] = { .op = TOP_PRE_FAULT_MEMORY,
		.name = "pre_fault_memory", .nargs = 4, .reports_remaining = true,
		.args = { H("vcpu"), NUM("gpa", TFMT_HEX), NUM("size", TFMT_SIZE),
			  NUMD("flags", TFMT_HEX, 0) },
		.doc = "KVM_PRE_FAULT_MEMORY; the result carries remaining=",
	},
	[TOP_CHECK_EXTENSION] = { .op = TOP_CHECK_EXTENSION,
		.name = "check_extension", .nargs = 2,
		.args = { HN("vm", TFMT_DEC), { .name = "cap", .cls = TCC_CAP, .fmt = TFMT_DEC } },
		.doc = "KVM_CHECK_EXTENSION on @vm, or on /dev/kvm when vm=0",
	},
	[TOP_FALLOCATE] = { .op = TOP_FALLOCATE,
		.name = "fallocate", .nargs = 4,
		.args = { H("fd"), SYM("mode", TCC_FALLOC_MODE),
			  NUM("offset", TFMT_SIZE), NUM("len", TFMT_SIZE) },
		.doc = "fallocate(2); mode 0 allocates",
	},
	[TOP_MMAP] = { .op = TOP_MMAP,
		.name = "mmap", .nargs = 5, .binds = true,
		.args = { H("fd"), NUM("length", TFMT_SIZE),
			  SYMD("prot", TCC_PROT, PROT_RW_DEFAULT),
			  SYMD("flags", TCC_MMAP_FLAGS, MAP_SHARED_DEFAULT),
			  NUMD("offset", TFMT_SIZE, 0) },
		.doc = "mmap(2) of a file handle",
	},
	[TOP_ANON_MMAP] = { .op = TOP_ANON_MMAP,
		.name = "anon_mmap", .nargs = 1, .binds = true,
		.args = { NUM("length", TFMT_SIZE) },
		.doc = "anonymous shared memory, e.g. for a slot's uaddr",
	},
	[TOP_MUNMAP] = { .op = TOP_MUNMAP,
		.name = "munmap", .nargs = 1,
		.args = { H("map") },
		.doc = "munmap(2) a whole mapping",
	},
	[TOP_MADVISE] = { .op = TOP_MADVISE,
		.name = "madvise", .nargs = 4,
		.args = { H("map"), NUM("offset", TFMT_SIZE),
			  NUM("length", TFMT_SIZE),
			  { .name = "advice", .cls = TCC_MADV, .fmt = TFMT_DEC } },
		.doc = "madvise(2) on [offset, offset+length) of a mapping",
	},
	[TOP_HOST_READ] = { .op = TOP_HOST_READ,
		.name = "host_read", .nargs = 3, .reads_value = true,
		.args = { H("map"), NUM("offset", TFMT_SIZE),
			  NUMD("len", TFMT_SIZE, 1) },
		.doc = "host reads through a mapping: byte value, MIXED or SIGBUS",
	},
	[TOP_HOST_WRITE] = { .op = TOP_HOST_WRITE,
		.name = "host_write", .nargs = 4,
		.args = { H("map"), NUM("offset", TFMT_SIZE),
			  NUM("byte", TFMT_BYTE), NUMD("len", TFMT_SIZE, 1) },
		.doc = "host fills [offset, offset+len) of a mapping with byte",
	},
	[TOP_GUEST_READ] = { .op = TOP_GUEST_READ,
		.name = "guest_read", .nargs = 4, .reads_value = true,
		.args = { H("vcpu"), NUM("gpa", TFMT_HEX),
			  NUMD("len", TFMT_SIZE, 1),
			  NUMD("private", TFMT_DEC, 0) },
		.doc = "the guest reads gpa (private=1: a private access): byte value, MIXED or exit",
	},
	[TOP_GUEST_WRITE] = { .op = TOP_GUEST_WRITE,
		.name = "guest_write", .nargs = 5,
		.args = { H("vcpu"), NUM("gpa", TFMT_HEX), NUM("byte", TFMT_BYTE),
			  NUMD("len", TFMT_SIZE, 1),
			  NUMD("private", TFMT_DEC, 0) },
		.doc = "the guest fills [gpa, gpa+len) with byte",
	},
	[TOP_GUEST_EXEC] = { .op = TOP_GUEST_EXEC,
		.name = "guest_exec", .nargs = 3,
		.args = { H("vcpu"), NUM("gpa", TFMT_HEX),
			  NUMD("private", TFMT_DEC, 0) },
		.doc = "the guest executes at gpa",
	},
	[TOP_CLOSE] = { .op = TOP_CLOSE,
		.name = "close", .nargs = 1,
		.args = { H("fd") },
		.doc = "close(2)",
	},
	[TOP_READ] = { .op = TOP_READ,
		.name = "read", .nargs = 2,
		.args = { H("fd"), NUM("len", TFMT_SIZE) },
		.doc = "read(2) len bytes",
	},
	[TOP_WRITE] = { .op = TOP_WRITE,
		.name = "write", .nargs = 2,
		.args = { H("fd"), NUM("len", TFMT_SIZE) },
		.doc = "write(2) len bytes",
	},
	[TOP_PREAD] = { .op = TOP_PREAD,
		.name = "pread", .nargs = 3,
		.args = { H("fd"), NUM("len", TFMT_SIZE), NUM("offset", TFMT_SIZE) },
		.doc = "pread(2) len bytes at offset",
	},
	[TOP_PWRITE] = { .op = TOP_PWRITE,
		.name = "pwrite", .nargs = 3,
		.args = { H("fd"), NUM("len", TFMT_SIZE), NUM("offset", TFMT_SIZE) },
		.doc = "pwrite(2) len bytes at offset",
	},
	[TOP_FSTAT] = { .op = TOP_FSTAT,
		.name = "fstat", .nargs = 1,
		.args = { H("fd") },
		.doc = "fstat(2): returns st_size",
	},
	[TOP_FTRUNCATE] = { .op = TOP_FTRUNCATE,
		.name = "ftruncate", .nargs = 2,
		.args = { H("fd"), NUM("size", TFMT_SIZE) },
		.doc = "ftruncate(2)",
	},
	[TOP_MEMFD_CREATE] = { .op = TOP_MEMFD_CREATE,
		.name = "memfd_create", .nargs = 1, .binds = true,
		.args = { NUM("size", TFMT_SIZE) },
		.doc = "an ordinary memfd of the given size (negative tests)",
	},
	[TOP_OPEN_DEV_KVM] = { .op = TOP_OPEN_DEV_KVM,
		.name = "open_dev_kvm", .nargs = 0, .binds = true,
		.doc = "the /dev/kvm fd itself (negative tests)",
	},
	[TOP_FAIL_ALLOC] = { .op = TOP_FAIL_ALLOC,
		.name = "fail_alloc", .nargs = 1, .model_only = true,
		.args = { NUM("nth", TFMT_DEC) },
		.doc = "the nth allocation from now fails with ENOMEM",
	},
	[TOP_SIGNAL] = { .op = TOP_SIGNAL,
		.name = "signal", .nargs = 1, .model_only = true,
		.args = { NUM("thread", TFMT_DEC) },
		.doc = "signal_pending() is true once in thread number @thread (0 = first thread)",
	},
	[TOP_POINT] = { .op = TOP_POINT,
		.name = "point", .nargs = 1, .model_only = true,
		.args = { NUM("id", TFMT_DEC) },
		.doc = "an explicit scheduling point named by a number",
	},
	[TOP_MEMORY_FAILURE] = { .op = TOP_MEMORY_FAILURE,
		.name = "memory_failure", .nargs = 2, .model_only = true,
		.args = { H("fd"), NUM("offset", TFMT_SIZE) },
		.doc = "hwpoison the folio at offset of a file",
	},
	[TOP_POPULATE] = { .op = TOP_POPULATE,
		.name = "populate", .nargs = 4, .model_only = true, .reports_remaining = true,
		.args = { H("vm"), NUM("gpa", TFMT_HEX), HN("src", TFMT_DEC),
			  NUMD("npages", TFMT_DEC, 1) },
		.doc = "SNP/TDX launch update of npages at gpa from map src (0: none); the result carries remaining=",
	},
	[TOP_LAUNCH_FINISH] = { .op = TOP_LAUNCH_FINISH,
		.name = "launch_finish", .nargs = 1, .model_only = true,
		.args = { H("vm") },
		.doc = "SNP/TDX launch done; pre-fault allowed from now",
	},
	[TOP_HOST_PIN] = { .op = TOP_HOST_PIN,
		.name = "host_pin", .nargs = 2, .binds = true, .model_only = true,
		.args = { H("map"), NUM("offset", TFMT_SIZE) },
		.doc = "pin the page at offset of a mapping (GUP-like)",
	},
	[TOP_HOST_UNPIN] = { .op = TOP_HOST_UNPIN,
		.name = "host_unpin", .nargs = 1, .model_only = true,
		.args = { H("pin") },
		.doc = "drop a pin taken by host_pin",
	},
	[TOP_VCPU_RUN] = { .op = TOP_VCPU_RUN,
		.name = "vcpu_run", .nargs = 5, .reads_value = true, .model_only = true,
		.args = { H("vcpu"), NUMD("rip", TFMT_HEX, 0), NUMD("gpa", TFMT_HEX, 0),
			  NUMD("len", TFMT_SIZE, 0), NUMD("loops", TFMT_DEC, 1) },
		.doc = "KVM_RUN: fetch at rip, read [gpa, gpa+len), up to loops times until the value changes; value or exit",
	},
	[TOP_MBIND] = { .op = TOP_MBIND,
		.name = "mbind", .nargs = 6, .model_only = true,
		.args = { H("map"), NUM("offset", TFMT_SIZE), NUM("length", TFMT_SIZE),
			  { .name = "mode", .cls = TCC_MPOL, .fmt = TFMT_DEC },
			  NUMD("nodemask", TFMT_HEX, 0), NUMD("flags", TFMT_HEX, 0) },
		.doc = "mbind(2) on [offset, offset+length) of a mapping; nodemask bit n = node n",
	},
	[TOP_GET_MEMPOLICY] = { .op = TOP_GET_MEMPOLICY,
		.name = "get_mempolicy", .nargs = 3, .model_only = true,
		.args = { H("map"), NUM("offset", TFMT_SIZE), NUMD("field", TFMT_DEC, 0) },
		.doc = "get_mempolicy(MPOL_F_ADDR) at offset of a mapping: field 0 returns the mode, 1 the nodemask",
	},
	[TOP_PAGE_NODE] = { .op = TOP_PAGE_NODE,
		.name = "page_node", .nargs = 2, .model_only = true,
		.args = { H("map"), NUM("offset", TFMT_SIZE) },
		.doc = "move_pages(2) query (nodes NULL) of the page at offset: its node, or ENOENT if not present",
	},
	[TOP_SET_MEMORY_ATTRIBUTES2] = { .op = TOP_SET_MEMORY_ATTRIBUTES2,
		.name = "set_memory_attributes2", .nargs = 6, .model_only = true,
		.reports_remaining = true,
		.args = { H("fd"), NUM("offset", TFMT_SIZE), NUM("size", TFMT_SIZE),
			  SYM("attributes", TCC_ATTRS), NUMD("flags", TFMT_HEX, 0),
			  NUMD("reserved0", TFMT_HEX, 0) },
		.doc = "KVM_SET_MEMORY_ATTRIBUTES2 (proposed) on a guest_memfd (in-place conversion) or a VM; on EAGAIN remaining= is size - (error_offset - offset); reserved0 is reserved[0]",
	},
	[TOP_LINK_GUEST_MEMFD] = { .op = TOP_LINK_GUEST_MEMFD,
		.name = "link_guest_memfd", .nargs = 4, .binds = true, .model_only = true,
		.args = { H("vm"), H("fd"), NUMD("flags", TFMT_HEX, 0),
			  NUMD("reserved0", TFMT_HEX, 0) },
		.doc = "KVM_LINK_GUEST_MEMFD (proposed): a new file of @vm on @fd's inode",
	},
	[TOP_HUGETLB_POOL] = { .op = TOP_HUGETLB_POOL,
		.name = "hugetlb_pool", .nargs = 2, .model_only = true,
		.args = { NUM("size", TFMT_SIZE), NUM("nr", TFMT_DEC) },
		.doc = "set the world's HugeTLB pool of size-byte pages (2M or 1G) to nr pages",
	},
	[TOP_TDX_CONFIG] = { .op = TOP_TDX_CONFIG,
		.name = "tdx_config", .nargs = 3, .model_only = true,
		.args = { H("vm"), NUMD("huge", TFMT_DEC, 0), NUMD("accept", TFMT_DEC, 0) },
		.doc = "TDX VM switches: huge=1 allows 2M private mappings, accept=1 makes private pages pending until accepted",
	},
	[TOP_ACCEPT] = { .op = TOP_ACCEPT,
		.name = "accept", .nargs = 3, .model_only = true,
		.args = { H("vcpu"), NUM("gpa", TFMT_HEX), NUMD("size", TFMT_SIZE, 0x1000) },
		.doc = "the TDX guest accepts the private page at gpa (size 4K or 2M); a pending page read gives exit(EXCEPTION)",
	},
};

/**
 * trace_op_info() - the table row of one operation
 * @op: operation
 *
 * Context: any; the table is constant.
 * Return: the row, or NULL for TOP_INVALID and values out of range.
 */
const struct trace_op_info *trace_op_info(enum trace_op op)
{
	if ((int)op <= TOP_INVALID || op >= TOP_NR)
		return NULL;
	return &ops[op];
}

/**
 * trace_op_name() - spelling of an operation in a trace file
 * @op: operation
 *
 * Context: any.
 * Return: the name, or "invalid" for an op outside the table.
 */
const char *trace_op_name(enum trace_op op)
{
	const struct trace_op_info *oi = trace_op_info(op);

	return oi ? oi->name : "invalid";
}

/**
 * trace_op_lookup() - operation spelled @name
 * @name: characters of the name, not necessarily NUL-terminated
 * @len: number of characters
 *
 * Context: any.
 * Return: the op, or TOP_INVALID if no op is spelled so.
 */
enum trace_op trace_op_lookup(const char *name, size_t len)
{
	int op;

	for (op = TOP_INVALID + 1; op < TOP_NR; op++) {
		if (strlen(ops[op].name) == len && !memcmp(ops[op].name, name, len))
			return op;
	}
	return TOP_INVALID;
}
