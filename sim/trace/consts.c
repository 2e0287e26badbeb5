// SPDX-License-Identifier: GPL-2.0
/*
 * Symbolic constants of the trace language, one table per family.  The
 * values are uapi facts (spec section 0.1; fallocate, mmap and madvise as
 * in <linux/falloc.h>, <linux/mman.h>); they are written out here rather
 * than taken from system headers so that the language means the same thing
 * on every build machine, whatever its <linux/kvm.h> knows.
 *
 * Each family lists names in the order the printer tries them: for flag
 * families the printer emits every known bit in table order, for
 * enumerations the first name with an exact value.
 */
#include <string.h>

#include "trace/ir.h"

struct trace_const {
	const char *name;
	uint64_t value;
};

#define END { NULL, 0 }

static const struct trace_const vm_types[] = {
	{ "DEFAULT", 0 }, { "SW_PROTECTED", 1 }, { "SEV", 2 }, { "SEV_ES", 3 },
	{ "SNP", 4 }, { "TDX", 5 }, END
};

static const struct trace_const memslot_flags[] = {
	{ "LOG_DIRTY_PAGES", 1 << 0 }, { "READONLY", 1 << 1 },
	{ "GUEST_MEMFD", 1 << 2 }, END
};

static const struct trace_const gmem_flags[] = {
	{ "MMAP", 1 << 0 }, { "INIT_SHARED", 1 << 1 },
	{ "NO_DIRECT_MAP", 1 << 2 },	/* proposed (direct-map removal) */
	{ "IN_PLACE", 1ULL << 32 },	/* model-only: in-place conversion (proposed) */
	{ "HUGETLB", 1ULL << 33 },	/* model-only: HugeTLB backing (proposed) */
	{ "EXCLUSIVE", 1ULL << 34 },	/* model-only: pKVM-like exclusive ownership (seed 002) */
	/* The RFC's page-size field (bits 58..63, log2 of the size); parse only. */
	{ "HUGETLB_2MB", 21ULL << 58 }, { "HUGETLB_1GB", 30ULL << 58 },
	END
};

static const struct trace_const attrs[] = {
	{ "PRIVATE", 1 << 3 }, END
};

static const struct trace_const falloc_modes[] = {
	{ "KEEP_SIZE", 0x01 }, { "PUNCH_HOLE", 0x02 }, END
};

/* PROT_NONE is accepted but never printed: a zero prints as 0. */
static const struct trace_const prots[] = {
	{ "PROT_READ", 0x1 }, { "PROT_WRITE", 0x2 }, { "PROT_EXEC", 0x4 },
	{ "PROT_NONE", 0 }, END
};

static const struct trace_const mmap_flags[] = {
	{ "SHARED", 0x01 }, { "PRIVATE", 0x02 }, END
};

static const struct trace_const madvs[] = {
	{ "DONTNEED", 4 }, { "REMOVE", 9 }, { "HUGEPAGE", 14 },
	{ "NOHUGEPAGE", 15 }, { "COLLAPSE", 25 }, END
};

static const struct trace_const caps[] = {
	{ "USER_MEMORY", 3 }, { "NR_VCPUS", 9 }, { "NR_MEMSLOTS", 10 },
	{ "SYNC_MMU", 16 }, { "MAX_VCPUS", 66 }, { "READONLY_MEM", 81 },
	{ "CHECK_EXTENSION_VM", 105 }, { "MULTI_ADDRESS_SPACE", 118 },
	{ "MAX_VCPU_ID", 128 }, { "EXIT_HYPERCALL", 201 },
	{ "USER_MEMORY2", 231 }, { "MEMORY_FAULT_INFO", 232 },
	{ "MEMORY_ATTRIBUTES", 233 }, { "GUEST_MEMFD", 234 },
	{ "VM_TYPES", 235 }, { "PRE_FAULT_MEMORY", 236 },
	{ "GUEST_MEMFD_MMAP", 243 }, { "GUEST_MEMFD_FLAGS", 244 }, END
};

static const struct trace_const exit_reasons[] = {
	{ "UNKNOWN", 0 }, { "EXCEPTION", 1 }, { "IO", 2 }, { "HYPERCALL", 3 },
	{ "DEBUG", 4 }, { "HLT", 5 }, { "MMIO", 6 }, { "SHUTDOWN", 8 },
	{ "FAIL_ENTRY", 9 }, { "INTR", 10 }, { "INTERNAL_ERROR", 17 },
	{ "SYSTEM_EVENT", 24 }, { "MEMORY_FAULT", 39 }, END
};

static const struct trace_const exit_flags[] = {
	{ "PRIVATE", 1 << 3 }, END
};

/*
 * Linux (asm-generic) errno values.  ENOTSUPP is kernel-internal (524)
 * but a model bug could leak it, so it has a name too.
 */
static const struct trace_const errnos[] = {
	{ "EPERM", 1 }, { "ENOENT", 2 }, { "ESRCH", 3 },
	{ "EINTR", 4 }, { "EIO", 5 }, { "ENXIO", 6 },
	{ "E2BIG", 7 }, { "ENOEXEC", 8 }, { "EBADF", 9 },
	{ "ECHILD", 10 }, { "EAGAIN", 11 }, { "ENOMEM", 12 },
	{ "EACCES", 13 }, { "EFAULT", 14 }, { "EBUSY", 16 },
	{ "EEXIST", 17 }, { "EXDEV", 18 }, { "ENODEV", 19 },
	{ "ENOTDIR", 20 }, { "EISDIR", 21 }, { "EINVAL", 22 },
	{ "ENFILE", 23 }, { "EMFILE", 24 }, { "ENOTTY", 25 },
	{ "ETXTBSY", 26 }, { "EFBIG", 27 }, { "ENOSPC", 28 },
	{ "ESPIPE", 29 }, { "EROFS", 30 }, { "EMLINK", 31 },
	{ "EPIPE", 32 }, { "EDOM", 33 }, { "ERANGE", 34 },
	{ "EDEADLK", 35 }, { "ENAMETOOLONG", 36 },
	{ "ENOSYS", 38 }, { "ENOTEMPTY", 39 }, { "ELOOP", 40 },
	{ "ENODATA", 61 }, { "EOVERFLOW", 75 },
	{ "EOPNOTSUPP", 95 }, { "ETIMEDOUT", 110 },
	{ "ECANCELED", 125 }, { "EHWPOISON", 133 },
	{ "ENOTSUPP", 524 }, END
};

/* include/uapi/linux/mempolicy.h; LOCAL (4) and later modes are not modelled. */
static const struct trace_const mpols[] = {
	{ "DEFAULT", 0 }, { "PREFERRED", 1 }, { "BIND", 2 }, { "INTERLEAVE", 3 }, END
};

static const struct {
	const struct trace_const *tab;
	bool flags;
} families[TCC_NR] = {
	[TCC_VM_TYPE]		= { vm_types, false },
	[TCC_MEMSLOT_FLAGS]	= { memslot_flags, true },
	[TCC_GMEM_FLAGS]	= { gmem_flags, true },
	[TCC_ATTRS]		= { attrs, true },
	[TCC_FALLOC_MODE]	= { falloc_modes, true },
	[TCC_PROT]		= { prots, true },
	[TCC_MMAP_FLAGS]	= { mmap_flags, true },
	[TCC_MADV]		= { madvs, false },
	[TCC_CAP]		= { caps, false },
	[TCC_EXIT_REASON]	= { exit_reasons, false },
	[TCC_EXIT_FLAGS]	= { exit_flags, true },
	[TCC_ERRNO]		= { errnos, false },
	[TCC_MPOL]		= { mpols, false },
};

static const struct trace_const *family(enum trace_const_class cls)
{
	if ((int)cls <= TCC_NONE || cls >= TCC_NR)
		return NULL;
	return families[cls].tab;
}

/**
 * trace_const_is_flags() - does @cls name bits that are joined with '|'?
 * @cls: constant family
 *
 * Context: any.
 * Return: true for flag families, false for enumerations and TCC_NONE.
 */
bool trace_const_is_flags(enum trace_const_class cls)
{
	return family(cls) && families[cls].flags;
}

/**
 * trace_const_name() - the name of @value in family @cls
 * @cls: constant family
 * @value: exact value (one flag bit, or one enumerator)
 *
 * Context: any.
 * Return: the first name with exactly this value, or NULL.  Zero has no
 * name in flag families, so that a printer writes 0 rather than PROT_NONE.
 */
const char *trace_const_name(enum trace_const_class cls, uint64_t value)
{
	const struct trace_const *c = family(cls);

	if (!c || (value == 0 && families[cls].flags))
		return NULL;
	for (; c->name; c++) {
		if (c->value == value)
			return c->name;
	}
	return NULL;
}

/**
 * trace_const_lookup() - value of the constant spelled @name in @cls
 * @cls: constant family
 * @name: characters of the name, not necessarily NUL-terminated
 * @len: number of characters
 * @value: where the value goes
 *
 * Capability names are also accepted with their KVM_CAP_ prefix and exit
 * reasons with KVM_EXIT_, since people paste them from the uapi header.
 *
 * Context: any.
 * Return: 0 if found, -1 if @cls has no such name.
 */
int trace_const_lookup(enum trace_const_class cls, const char *name, size_t len,
		       uint64_t *value)
{
	const struct trace_const *c = family(cls);
	const char *prefix = cls == TCC_CAP ? "KVM_CAP_" :
			     cls == TCC_EXIT_REASON ? "KVM_EXIT_" : NULL;

	if (!c)
		return -1;
	if (prefix && len > strlen(prefix) && !memcmp(name, prefix, strlen(prefix))) {
		name += strlen(prefix);
		len -= strlen(prefix);
	}
	for (; c->name; c++) {
		if (strlen(c->name) == len && !memcmp(c->name, name, len)) {
			*value = c->value;
			return 0;
		}
	}
	return -1;
}

/**
 * trace_errno_name() - "EINVAL" for EINVAL
 * @err: positive errno
 *
 * Context: any.
 * Return: the name, or NULL if the language has none for @err.
 */
const char *trace_errno_name(int err)
{
	if (err <= 0)
		return NULL;
	return trace_const_name(TCC_ERRNO, (uint64_t)err);
}
