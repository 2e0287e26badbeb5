// SPDX-License-Identifier: GPL-2.0
/*
 * Bytes -> trace IR + decision stream (see fuzz_decode.h for the layout).
 *
 * The decoder builds the IR directly, within the rules the parser enforces
 * (handles bound before use and in scope, handle arguments always name a
 * handle), so every decoded case prints with trace_print() to a trace file
 * that parses back to the same trace: a crash becomes a regression trace by
 * printing it.
 */
#include <stdio.h>
#include <string.h>

#include "fuzz_decode.h"

#define SZ_4K	0x1000ULL
#define SZ_8K	0x2000ULL
#define SZ_16K	0x4000ULL
#define SZ_1M	0x100000ULL
#define SZ_2M	0x200000ULL
#define SZ_4M	0x400000ULL
#define SZ_8M	0x800000ULL
#define PAGE_MASK_U64	(~(SZ_4K - 1))

/* uapi values the decoder writes (trace language constants). */
enum {
	VM_DEFAULT = 0, VM_SW_PROTECTED = 1, VM_SEV = 2, VM_SEV_ES = 3,
	VM_SNP = 4, VM_TDX = 5,
};
enum { GM_MMAP = 1, GM_INIT_SHARED = 2, GM_NO_DIRECT_MAP = 4 };
enum { MS_LOG_DIRTY = 1, MS_READONLY = 2, MS_GUEST_MEMFD = 4 };
enum { ATTR_PRIVATE = 8 };
enum { FL_KEEP_SIZE = 1, FL_PUNCH_HOLE = 2 };

/* Kinds of handle, by the op that binds them. */
enum hkind { HK_VM = 0, HK_VCPU, HK_FILE, HK_MAP, HK_PIN, HK_NR };

static const char *const hk_prefix[HK_NR] = { "vm", "cpu", "fd", "map", "pin" };

#define SEC_SETUP	(-1)
#define SEC_FINAL	100

struct dec {
	const uint8_t *p;
	size_t len, pos;
	enum fuzz_mode mode;
	const struct fuzz_host *host;
	struct fuzz_case *fc;
	struct trace *t;
	int nthreads;
	int vm_type;
	uint64_t gsize;			/* the primary gmem's size */
	uint64_t gpa;			/* the primary slot's GPA */
	int line;
	int scope[TRACE_MAX_HANDLES];	/* SEC_SETUP, a thread, or SEC_FINAL */
	enum hkind kind[TRACE_MAX_HANDLES];
	bool dead[TRACE_MAX_HANDLES];	/* FUZZ_DIFF: closed or unmapped */
	uint64_t maplen[TRACE_MAX_HANDLES];	/* FUZZ_DIFF: length of a mapping */
	int gmap;			/* FUZZ_DIFF: the slot's uaddr mapping */
	bool slots_changed;		/* FUZZ_DIFF: a memslot call was decoded */
	uint64_t bulk;			/* pages of pre-faults and accesses so far */
	uint64_t slot_lo, slot_hi;	/* hull of the memslots decoded so far */
};

/*
 * Pages that pre-faults, host/guest accesses and allocating fallocates of
 * one input may fault in or allocate, in all (populates too).  Each such
 * page costs the model a full fault path (gup, filemap, xarray, TDP map,
 * then teardown: 2 us in a -O2 build), and pages touched were nearly all
 * of the fuzz target's time: one 2M access is 512 of them and buys nothing
 * that 16K does not (every page takes the same path; the interleaving
 * points are per page; huge mappings come from one fault).  Past the
 * budget a longer access becomes 4K.  Accesses count every page they
 * span; pre-faults and populates only the pages inside the memslots
 * decoded so far, so one that starts near the end of the slots stays as
 * long as it was (the boundary is what it tests).  The budget is
 * FUZZ_MAX_BULK_PAGES (fuzz_decode.h); tests/fuzz/decode_budget_test.c
 * counts it again from the decoded traces.
 */

/* Pages of [start, start+len) inside [lo, hi). */
static uint64_t overlap_pages(uint64_t start, uint64_t len, uint64_t lo, uint64_t hi)
{
	uint64_t end = len > UINT64_MAX - start ? UINT64_MAX : start + len;

	if (start < lo)
		start = lo;
	if (end > hi)
		end = hi;
	if (end <= start)
		return 0;
	return (end - (start & PAGE_MASK_U64) + SZ_4K - 1) / SZ_4K;
}

/*
 * @len for an access of @c (its handle and start already decoded): @len,
 * or 4K once the input's budget of faulting pages is used up.
 */
static uint64_t bulk_len(struct dec *d, const struct trace_call *c, uint64_t len)
{
	const struct trace_arg *a = c->args;
	uint64_t pages;

	/*
	 * An access counts every page it spans, wherever it starts: a host
	 * access runs on past its mapping's end into whatever the model
	 * mapped next (another mapping of the input), and one at an offset
	 * near 2^64 wraps around into the mapping before; a guest access
	 * may meet a memslot decoded later in another section.  2M written
	 * through a neighbour were the heaviest inputs once populate was
	 * budgeted.
	 */
	switch (c->op) {
	case TOP_HOST_READ:
	case TOP_HOST_WRITE:
	case TOP_GUEST_READ:
	case TOP_GUEST_WRITE:
		pages = len ? ((a[1].value & (SZ_4K - 1)) + len + SZ_4K - 1) / SZ_4K : 0;
		break;
	default:
		pages = overlap_pages(a[1].value, len, d->slot_lo, d->slot_hi);
		break;
	}
	if (d->bulk + pages > FUZZ_MAX_BULK_PAGES)
		return len > SZ_4K ? SZ_4K : len;
	d->bulk += pages;
	return len;
}

/*
 * @len for fallocate call @c (fd, mode and offset decoded): an allocating
 * fallocate (mode without PUNCH_HOLE) of more pages than the input has
 * left in its budget becomes 4K, as an access does.  Unbudgeted, the
 * allocating fallocates took 12% of the model target's time (plus their
 * teardown), mostly 2M and 4M ones of a memfd (shmem allocates every page)
 * that test nothing 4K does not.  Lengths of the error paths (past 8M: overflow,
 * EFBIG) and punches stay as they are.
 */
static uint64_t falloc_len(struct dec *d, const struct trace_call *c, uint64_t len)
{
	const struct trace_op_info *oi = trace_op_info(c->op);
	uint64_t pages;
	int i;

	for (i = 0; i < oi->nargs; i++)
		if (oi->args[i].cls == TCC_FALLOC_MODE &&
		    (c->args[i].value & FL_PUNCH_HOLE))
			return len;
	if (len > SZ_8M)
		return len;
	pages = (len + SZ_4K - 1) / SZ_4K;
	if (d->bulk + pages > FUZZ_MAX_BULK_PAGES)
		return len > SZ_4K ? SZ_4K : len;
	d->bulk += pages;
	return len;
}

/* A memslot call decoded: widen the hull the access budget counts in. */
static void note_slot(struct dec *d, uint64_t gpa, uint64_t size)
{
	if (!size || size > SZ_8M || gpa > UINT64_MAX - size)
		return;
	if (gpa < d->slot_lo)
		d->slot_lo = gpa;
	if (gpa + size > d->slot_hi)
		d->slot_hi = gpa + size;
}

/* Next byte of the trace part; 0 once the input is used up. */
static uint8_t next(struct dec *d)
{
	return d->pos < d->len ? d->p[d->pos++] : 0;
}

static bool at_end(const struct dec *d)
{
	return d->pos >= d->len;
}

static uint64_t pick(struct dec *d, const uint64_t *menu, size_t n)
{
	return menu[next(d) % n];
}

#define PICK(d, menu) pick((d), (menu), sizeof(menu) / sizeof((menu)[0]))

/* ---- handles ------------------------------------------------------------ */

static bool visible(const struct dec *d, int h, int sec)
{
	return d->scope[h] == SEC_SETUP || d->scope[h] == sec || sec == SEC_FINAL;
}

/*
 * A handle for an argument that wants kind @k: usually one of that kind in
 * scope, sometimes any handle in scope (the wrong kind is a test too).
 * Return: the handle index, or -1 if no handle is in scope.
 */
static int pick_handle(struct dec *d, int sec, enum hkind k)
{
	uint8_t sel = next(d);
	int cand[TRACE_MAX_HANDLES], n = 0, any[TRACE_MAX_HANDLES], na = 0, h;

	for (h = 0; h < d->t->nhandles; h++) {
		if (!visible(d, h, sec) || d->dead[h])
			continue;
		any[na++] = h;
		if (d->kind[h] == k)
			cand[n++] = h;
	}
	if (!na)
		return -1;
	/* In the differential target a wrong kind only tests the backends' glue. */
	if ((sel & 0xe0) == 0xe0 && d->mode == FUZZ_MODEL)
		return any[sel % na];
	if (!n)
		return d->mode == FUZZ_MODEL ? any[sel % na] : -1;
	/* Favour the most recent handles of the kind. */
	return cand[n - 1 - (sel & 0x1f) % n];
}

static int bind_new(struct dec *d, int sec, enum trace_op op, enum hkind k, const char *name)
{
	struct trace *t = d->t;
	int h = t->nhandles;

	if (h >= TRACE_MAX_HANDLES)
		return -1;
	if (name)
		snprintf(t->handles[h].name, sizeof(t->handles[h].name), "%s", name);
	else
		snprintf(t->handles[h].name, sizeof(t->handles[h].name), "%s%d", hk_prefix[k], h);
	t->handles[h].defined_by = op;
	d->scope[h] = sec;
	d->kind[h] = k;
	t->nhandles++;
	return h;
}

static enum hkind bind_kind(enum trace_op op)
{
	switch (op) {
	case TOP_VM_CREATE:
		return HK_VM;
	case TOP_VCPU_CREATE:
		return HK_VCPU;
	case TOP_MMAP:
	case TOP_ANON_MMAP:
		return HK_MAP;
	case TOP_HOST_PIN:
		return HK_PIN;
	default:
		return HK_FILE;
	}
}

static enum hkind arg_kind(const char *name)
{
	if (!strcmp(name, "vm"))
		return HK_VM;
	if (!strcmp(name, "vcpu"))
		return HK_VCPU;
	if (!strcmp(name, "map") || !strcmp(name, "uaddr") || !strcmp(name, "src"))
		return HK_MAP;
	if (!strcmp(name, "pin"))
		return HK_PIN;
	return HK_FILE;
}

/* ---- numbers ------------------------------------------------------------ */

static uint64_t raw64(struct dec *d)
{
	uint64_t v = 0;

	for (int i = 0; i < 8; i++)
		v = v << 8 | next(d);
	return v;
}

static uint64_t gmem_size(struct dec *d)
{
	static const uint64_t m[] = {
		SZ_2M, SZ_4K, SZ_8K, SZ_4M, SZ_2M + SZ_4K, SZ_16K, 0, SZ_4K + 1,
		1ULL << 63, PAGE_MASK_U64,
	};

	return PICK(d, m);
}

static uint64_t gpa_arg(struct dec *d)
{
	uint64_t b = d->gpa, s = d->gsize;
	uint8_t sel = next(d);

	switch (sel % 16) {
	case 0: return b;
	case 1: return b + SZ_4K;
	case 2: return b + SZ_2M - SZ_4K;
	case 3: return b + s - SZ_4K;
	case 4: return b + s;
	case 5: return b + SZ_1M;
	case 6: return b + SZ_8K;
	case 7: return b + SZ_4K + 0x10;
	case 8: return b - SZ_4K;
	case 9: return 0;
	case 10: return b + SZ_2M;
	case 11: return 1ULL << 52;
	case 12: return PAGE_MASK_U64;
	case 13: return b + (uint64_t)next(d) * SZ_4K;
	case 14: return b + s + SZ_2M;
	default: return b + SZ_16K;
	}
}

static uint64_t file_offset(struct dec *d)
{
	uint64_t s = d->gsize;
	uint64_t m[] = {
		0, SZ_4K, SZ_2M - SZ_4K, s - SZ_4K, s, SZ_8K, SZ_1M, 1, SZ_2M,
		1ULL << 62, PAGE_MASK_U64, 0x800, 0, SZ_4K,
	};

	return PICK(d, m);
}

/* Lengths of host/guest accesses: bounded (each page is one model step). */
static uint64_t access_len(struct dec *d)
{
	static const uint64_t m[] = { SZ_4K, 1, SZ_8K, 0, SZ_4K + 1, 64, SZ_16K, SZ_2M };

	return PICK(d, m);
}

/*
 * KVM_PRE_FAULT_MEMORY sizes: the model maps each 4K page as one step, so
 * a valid 2M/4M range is the costliest call of all (a quarter of the
 * model's time over the corpus); one entry in sixteen is 2M.
 */
static uint64_t prefault_len(struct dec *d)
{
	static const uint64_t m[] = {
		SZ_4K, SZ_8K, 0, SZ_4K + 1, SZ_16K, SZ_4K, SZ_2M - SZ_4K, 1ULL << 63,
		SZ_8K, SZ_4K, PAGE_MASK_U64, SZ_16K, SZ_4K, 0x800, SZ_2M, SZ_8K,
	};

	return PICK(d, m);
}

/* A range length for ioctls and madvise/fallocate: valid ones stay small. */
static uint64_t range_len(struct dec *d)
{
	uint64_t s = d->gsize;
	uint64_t m[] = {
		SZ_4K, SZ_2M, s, SZ_8K, 0, SZ_4K + 1, s + SZ_4K, SZ_4M,
		1ULL << 63, ~0ULL & PAGE_MASK_U64, SZ_2M - SZ_4K, SZ_4K,
	};

	return PICK(d, m);
}

static uint64_t region_size(struct dec *d)
{
	uint64_t s = d->gsize;
	uint64_t m[] = {
		s, SZ_4K, SZ_2M, 0, SZ_8K, SZ_4M, s + SZ_4K, SZ_4K + 1,
		SZ_8M, PAGE_MASK_U64, s, SZ_2M,
	};

	return PICK(d, m);
}

static uint64_t map_length(struct dec *d)
{
	uint64_t s = d->gsize;
	uint64_t m[] = { s, SZ_4K, SZ_2M, SZ_8K, 0, SZ_4M, ~0ULL & PAGE_MASK_U64, s + SZ_4K };

	return PICK(d, m);
}

static uint64_t slot_id(struct dec *d)
{
	static const uint64_t m[] = {
		0, 1, 0, 2, 1, 0x10000, 32767, 32764, 3, 0x10001, 0xffff, 512,
	};

	return PICK(d, m);
}

/*
 * Known finding (tests/fuzz/known/tdx-mmap-gmem-shared-punch.trace): on a
 * mirrored-root VM (TDX) an MMAP gmem without INIT_SHARED makes its slot
 * GMEM_ONLY, a shared fault maps it with a shared SPTE, and punch-hole zaps
 * with the PRIVATE filter only: the stale-mapping checker fires (kernel
 * behaviour, docs/findings.md F-2).  TDX VMs get no such gmem here (the
 * setup skeleton's VM is the only TDX VM: vm_create() in calls draws no
 * TDX).
 */
static uint64_t tdx_gmem_flags(uint64_t f)
{
	return f & GM_MMAP && !(f & GM_INIT_SHARED) ? f & ~(uint64_t)GM_MMAP : f;
}

static uint64_t gmem_flags(struct dec *d)
{
	static const uint64_t m[] = {
		GM_MMAP | GM_INIT_SHARED, 0, GM_MMAP, GM_INIT_SHARED, GM_NO_DIRECT_MAP,
		GM_MMAP | GM_INIT_SHARED | GM_NO_DIRECT_MAP, 8, 1ULL << 63,
	};

	uint64_t f;

	if (d->mode == FUZZ_DIFF)
		return GM_MMAP | GM_INIT_SHARED;
	f = PICK(d, m);
	return d->vm_type == VM_TDX ? tdx_gmem_flags(f) : f;
}

static uint64_t slot_flags(struct dec *d)
{
	static const uint64_t m[] = {
		MS_GUEST_MEMFD, MS_GUEST_MEMFD, 0, MS_GUEST_MEMFD | MS_READONLY,
		MS_LOG_DIRTY, MS_GUEST_MEMFD | MS_LOG_DIRTY, MS_READONLY, 8,
	};

	return PICK(d, m);
}

static uint64_t vm_type(struct dec *d)
{
	static const uint64_t m[] = {
		VM_DEFAULT, VM_SW_PROTECTED, VM_SW_PROTECTED, VM_SNP, VM_SEV_ES,
		VM_DEFAULT, VM_SEV, 9,
	};

	if (d->mode == FUZZ_DIFF)
		return VM_DEFAULT;
	return PICK(d, m);
}

static uint64_t cap_arg(struct dec *d)
{
	static const uint64_t m[] = {
		234, 233, 244, 243, 236, 235, 231, 232, 10, 81, 3, 16, 105, 118,
		128, 0, 9999,
	};

	return PICK(d, m);
}

/*
 * What a numeric argument is, by its name: worked out once per op and
 * argument (arg_class()), not by string compares per decoded argument.
 */
enum num_class {
	NC_OTHER = 0, NC_GPA, NC_OFFSET, NC_BYTE, NC_BOOL, NC_SLOT, NC_ID, NC_NTH,
	NC_THREAD, NC_NPAGES, NC_LEN,
};

static enum num_class name_class(const char *n)
{
	if (!strcmp(n, "gpa") || !strcmp(n, "address"))
		return NC_GPA;
	if (!strcmp(n, "offset") || !strcmp(n, "guest_memfd_offset"))
		return NC_OFFSET;
	if (!strcmp(n, "byte"))
		return NC_BYTE;
	if (!strcmp(n, "private") || !strcmp(n, "reserved0") || !strcmp(n, "flags"))
		return NC_BOOL;
	if (!strcmp(n, "slot"))
		return NC_SLOT;
	if (!strcmp(n, "id"))
		return NC_ID;
	if (!strcmp(n, "nth"))
		return NC_NTH;
	if (!strcmp(n, "thread"))
		return NC_THREAD;
	if (!strcmp(n, "npages"))
		return NC_NPAGES;
	if (!strcmp(n, "len") || !strcmp(n, "length") || !strcmp(n, "size"))
		return NC_LEN;
	return NC_OTHER;
}

/* Per op and argument: its num_class, and the handle kind it wants. */
static uint8_t arg_nc[TOP_NR][TRACE_MAX_ARGS];
static uint8_t arg_hk[TOP_NR][TRACE_MAX_ARGS];

static void arg_tables_init(void)
{
	static bool done;

	if (done)
		return;
	for (int op = 0; op < TOP_NR; op++) {
		const struct trace_op_info *oi = trace_op_info(op);

		for (int i = 0; oi && i < oi->nargs; i++) {
			arg_nc[op][i] = name_class(oi->args[i].name);
			arg_hk[op][i] = arg_kind(oi->args[i].name);
		}
	}
	done = true;
}

/* Value of numeric argument @i of call @c (arguments before it decoded). */
static uint64_t num_arg(struct dec *d, const struct trace_call *c, int i,
			const struct trace_arg_info *ai)
{
	enum trace_op op = c->op;
	uint8_t sel;

	switch (ai->cls) {
	case TCC_VM_TYPE:
		return vm_type(d);
	case TCC_MEMSLOT_FLAGS:
		return slot_flags(d);
	case TCC_GMEM_FLAGS:
		return gmem_flags(d);
	case TCC_ATTRS: {
		static const uint64_t m[] = { ATTR_PRIVATE, 0, ATTR_PRIVATE, ATTR_PRIVATE | 1,
					      1ULL << 63 };

		return PICK(d, m);
	}
	case TCC_FALLOC_MODE: {
		static const uint64_t m[] = {
			FL_KEEP_SIZE | FL_PUNCH_HOLE, 0, FL_KEEP_SIZE | FL_PUNCH_HOLE,
			FL_KEEP_SIZE, FL_PUNCH_HOLE, 0x8, 0x10, 0x40 | FL_KEEP_SIZE,
		};

		return PICK(d, m);
	}
	case TCC_PROT: {
		static const uint64_t m[] = { 3, 1, 0, 3, 2, 7, 4 };

		return PICK(d, m);
	}
	case TCC_MMAP_FLAGS: {
		static const uint64_t m[] = { 1, 2, 1, 0, 3 };

		return PICK(d, m);
	}
	case TCC_MADV: {
		static const uint64_t m[] = { 4, 9, 14, 15, 25, 0, 100 };

		return PICK(d, m);
	}
	case TCC_CAP:
		return cap_arg(d);
	default:
		break;
	}

	switch ((enum num_class)arg_nc[op][i]) {
	case NC_GPA:
		return gpa_arg(d);
	case NC_OFFSET:
		return file_offset(d);
	case NC_BYTE:
		return next(d);
	case NC_BOOL:
		return (next(d) & 7) == 7;
	case NC_SLOT:
		return slot_id(d);
	case NC_ID: {
		static const uint64_t m[] = { 0, 1, 2, 0, 4095, 4096 };

		return PICK(d, m);
	}
	case NC_NTH:
		return 1 + next(d) % 24;
	case NC_THREAD:
		return next(d) % (d->nthreads + 1);
	case NC_NPAGES: {
		/*
		 * populate: npages from gpa, under the same page budget.  The
		 * kernel clamps npages to the slot's end, so a huge count
		 * populates the rest of the slot (up to 1026 pages, each with
		 * a gup of the source): it counts as the pages it reaches and
		 * stays huge only where those fit (near the slot's end, the
		 * clamp is what it tests).  Unbudgeted, they were the heaviest
		 * inputs of the model target, 1-2 ms each.
		 */
		static const uint64_t m[] = { 1, 2, 1, 0, 512, 513, 1ULL << 40, 1ULL << 63 };
		uint64_t n = PICK(d, m);
		uint64_t len = n >= (1ULL << 40) ? UINT64_MAX : n * SZ_4K;

		if (n > 1 && bulk_len(d, c, len) != len)
			return 1;
		return n;
	}
	case NC_OTHER:
		break;
	case NC_LEN:
		switch (op) {
		case TOP_HOST_READ:
		case TOP_HOST_WRITE:
		case TOP_GUEST_READ:
		case TOP_GUEST_WRITE:
			return bulk_len(d, c, access_len(d));
		case TOP_READ:
		case TOP_WRITE:
		case TOP_PREAD:
		case TOP_PWRITE:
			return next(d) & 1 ? SZ_4K : 0;
		case TOP_CREATE_GUEST_MEMFD:
			return gmem_size(d);
		case TOP_SET_USER_MEMORY_REGION:
		case TOP_SET_USER_MEMORY_REGION2:
			return region_size(d);
		case TOP_MMAP:
		case TOP_ANON_MMAP:
			return map_length(d);
		case TOP_MEMFD_CREATE: {
			static const uint64_t m[] = { SZ_4K, SZ_2M, 0, SZ_8K, SZ_4M };

			return PICK(d, m);
		}
		case TOP_PRE_FAULT_MEMORY:
			return bulk_len(d, c, prefault_len(d));
		case TOP_FTRUNCATE: {
			static const uint64_t m[] = { 0, SZ_4K, SZ_2M, 1ULL << 63 };

			return PICK(d, m);
		}
		case TOP_FALLOCATE:
			return falloc_len(d, c, range_len(d));
		default:
			return range_len(d);
		}
	}
	/* Anything else: small numbers, or raw bytes. */
	sel = next(d);
	return sel < 0xf0 ? sel % 4 : raw64(d);
}

/* ---- calls -------------------------------------------------------------- */

/*
 * The ops a call byte chooses from, repeated by weight.  The differential
 * target draws from the host-runnable ones only.
 */
static const enum trace_op model_ops[] = {
	TOP_GUEST_READ, TOP_GUEST_READ, TOP_GUEST_WRITE, TOP_GUEST_WRITE, TOP_GUEST_EXEC,
	TOP_FALLOCATE, TOP_FALLOCATE, TOP_FALLOCATE,
	TOP_SET_MEMORY_ATTRIBUTES, TOP_SET_MEMORY_ATTRIBUTES, TOP_SET_MEMORY_ATTRIBUTES,
	TOP_SET_USER_MEMORY_REGION2, TOP_SET_USER_MEMORY_REGION2, TOP_SET_USER_MEMORY_REGION,
	TOP_HOST_READ, TOP_HOST_READ, TOP_HOST_WRITE, TOP_HOST_WRITE,
	TOP_MMAP, TOP_MUNMAP, TOP_MADVISE, TOP_ANON_MMAP,
	TOP_PRE_FAULT_MEMORY, TOP_PRE_FAULT_MEMORY,
	TOP_CLOSE, TOP_CLOSE, TOP_CREATE_GUEST_MEMFD, TOP_CREATE_GUEST_MEMFD,
	TOP_POPULATE, TOP_LAUNCH_FINISH,
	TOP_HOST_PIN, TOP_HOST_UNPIN,
	TOP_FSTAT, TOP_CHECK_EXTENSION, TOP_SIGNAL, TOP_POINT, TOP_FAIL_ALLOC,
	TOP_VCPU_CREATE, TOP_VM_CREATE, TOP_MEMFD_CREATE, TOP_OPEN_DEV_KVM,
	TOP_READ, TOP_PWRITE, TOP_FTRUNCATE,
};

/*
 * Not drawn: memory_failure.  With a gmem page mapped it reports the
 * lockdep cycle of tests/fuzz/known/memory-failure-lock-order.trace (folio
 * lock vs the gmem invalidate lock, the kernel's own ordering:
 * docs/findings.md F-1), so every input reaching it would stop the fuzzer
 * there.
 *
 * Differential: the kvm backend runs these; pread/pwrite/read/write and
 * set_memory_attributes on a host without the cap are known differences
 * (docs/host-vs-spec.md), so they are left out, and so is check_extension
 * (the host's capabilities are its own, e.g. MULTI_ADDRESS_SPACE is 0 on a
 * PVM host and 2 in the model).
 */
static const enum trace_op diff_ops[] = {
	TOP_GUEST_READ, TOP_GUEST_READ, TOP_GUEST_WRITE, TOP_GUEST_WRITE,
	TOP_FALLOCATE, TOP_FALLOCATE, TOP_FALLOCATE,
	TOP_SET_USER_MEMORY_REGION2, TOP_SET_USER_MEMORY_REGION2, TOP_SET_USER_MEMORY_REGION,
	TOP_HOST_READ, TOP_HOST_READ, TOP_HOST_WRITE, TOP_HOST_WRITE,
	TOP_MMAP, TOP_MUNMAP, TOP_MADVISE, TOP_ANON_MMAP,
	TOP_CLOSE, TOP_CREATE_GUEST_MEMFD, TOP_CREATE_GUEST_MEMFD,
	TOP_FSTAT, TOP_VCPU_CREATE, TOP_FTRUNCATE,
	TOP_SET_MEMORY_ATTRIBUTES, TOP_PRE_FAULT_MEMORY,
};

/*
 * FUZZ_DIFF: keep clear of what the two backends model differently by
 * design, or what this host does differently from the spec for known
 * reasons, rather than of what the kernel does (listed in the fuzz report):
 *  - a closed or unmapped handle: the kvm backend answers EBADF, the model
 *    resolves the fd number, which may have been reused;
 *  - host accesses and madvise outside the mapping: kvm backend EFAULT,
 *    model SIGBUS/ENOMEM; zero-length reads have no value;
 *  - guest accesses once the memslots changed, or after the slot's uaddr
 *    mapping went: a PVM host faults gmem slots through userspace_addr
 *    (docs/host-vs-spec.md GM-34/35), the model from the gmem;
 *  - guest accesses across a page: the kvm backend's guest stub and the
 *    model end multi-page accesses at an exit differently;
 *  - vCPU ids >= 64 (the model's KVM_MAX_VCPUS; x86 allows 4095);
 *  - memslot address space 1: the model has SMM's second address space,
 *    a PVM host none (KVM_CAP_MULTI_ADDRESS_SPACE is 0 there).
 * Return: false to drop the call.
 */
static bool diff_restrict(struct dec *d, struct trace_call *c)
{
	struct trace_arg *a = c->args;
	uint64_t *off = NULL, *len = NULL, maplen, room;

	switch (c->op) {
	case TOP_CLOSE:
	case TOP_MUNMAP:
		if (a[0].handle == d->gmap)
			return false;
		d->dead[a[0].handle] = true;
		return true;
	case TOP_VCPU_CREATE:
		a[1].value %= 3;
		return true;
	case TOP_SET_USER_MEMORY_REGION:
	case TOP_SET_USER_MEMORY_REGION2:
		/* Address space 1 (SMM) exists in the model, not on a PVM host. */
		a[1].value &= 0xffff;
		d->slots_changed = true;
		return true;
	case TOP_MMAP:
		a[1].value = a[1].value && a[1].value <= d->gsize && !(a[1].value & ~PAGE_MASK_U64) ?
			     a[1].value : d->gsize;
		a[2].value = 3;		/* PROT_READ|PROT_WRITE */
		a[3].value = 1;		/* MAP_SHARED */
		a[4].value = 0;
		return true;
	case TOP_ANON_MMAP:
		if (!a[0].value || a[0].value > SZ_8M || a[0].value & ~PAGE_MASK_U64)
			a[0].value = d->gsize;
		return true;
	case TOP_GUEST_READ:
	case TOP_GUEST_WRITE:
		if (d->slots_changed)
			return false;
		len = &a[c->op == TOP_GUEST_READ ? 2 : 3].value;
		room = SZ_4K - (a[1].value & (SZ_4K - 1));
		if (!*len || *len > room)
			*len = room < 64 ? room : 64;
		return true;
	case TOP_HOST_READ:
	case TOP_MADVISE:
		off = &a[1].value;
		len = &a[2].value;
		break;
	case TOP_HOST_WRITE:
		off = &a[1].value;
		len = &a[3].value;
		break;
	default:
		return true;
	}
	maplen = d->maplen[a[0].handle];
	if (!*len)
		*len = 1;
	if (*off > maplen || *len > maplen - *off) {
		*off = 0;
		if (*len > maplen)
			*len = maplen;
	}
	return true;
}

static void call_init(struct dec *d, struct trace_call *c, enum trace_op op)
{
	const struct trace_op_info *oi = trace_op_info(op);
	int i;

	memset(c, 0, sizeof(*c));
	c->op = op;
	c->nargs = oi->nargs;
	c->bind = -1;
	c->line = ++d->line;
	for (i = 0; i < oi->nargs; i++)
		c->args[i].value = oi->args[i].def;
}

static void set_handle(struct trace_call *c, int i, int h)
{
	c->args[i].is_handle = true;
	c->args[i].handle = h;
	c->args[i].value = 0;
}

/*
 * Decode one call for section @sec into @c.
 * Return: false if the op needs a handle and none is in scope (no call).
 */
static bool gen_call(struct dec *d, int sec, struct trace_call *c)
{
	const enum trace_op *tab = d->mode == FUZZ_DIFF ? diff_ops : model_ops;
	size_t ntab = d->mode == FUZZ_DIFF ? sizeof(diff_ops) / sizeof(diff_ops[0]) :
					     sizeof(model_ops) / sizeof(model_ops[0]);
	enum trace_op op = tab[next(d) % ntab];
	const struct trace_op_info *oi;
	int i, h;

	if (d->mode == FUZZ_DIFF && d->host) {
		if (op == TOP_SET_MEMORY_ATTRIBUTES && !d->host->memory_attributes)
			op = TOP_FALLOCATE;
		if (op == TOP_PRE_FAULT_MEMORY && !d->host->pre_fault)
			op = TOP_GUEST_READ;
	}
	oi = trace_op_info(op);
	call_init(d, c, op);
	for (i = 0; i < oi->nargs; i++) {
		const struct trace_arg_info *ai = &oi->args[i];

		switch (ai->kind) {
		case TARG_HANDLE:
			h = pick_handle(d, sec, arg_hk[op][i]);
			if (h < 0)
				return false;
			set_handle(c, i, h);
			break;
		case TARG_HANDLE_OR_NUM: {
			uint8_t sel = next(d);

			/* check_extension's vm: the system fd (0) half of the time. */
			if ((sel & 3) != 3 && (op != TOP_CHECK_EXTENSION || sel & 4)) {
				h = pick_handle(d, sec, arg_hk[op][i]);
				if (h >= 0) {
					set_handle(c, i, h);
					break;
				}
			}
			if (d->mode == FUZZ_DIFF)
				/* fd 0 is stdin in one process, nothing in the model. */
				c->args[i].value = strcmp(ai->name, "guest_memfd") ? 0 : 1000;
			else if (!(sel & 0x80))
				c->args[i].value = 0;
			else
				c->args[i].value = sel & 0x40 ? 1000 : 0x1001;
			break;
		}
		default:
			c->args[i].value = num_arg(d, c, i, ai);
			break;
		}
	}
	if (d->mode == FUZZ_DIFF && !diff_restrict(d, c))
		return false;
	if (op == TOP_SET_USER_MEMORY_REGION || op == TOP_SET_USER_MEMORY_REGION2) {
		uint64_t gpa = 0, size = 0;

		for (i = 0; i < oi->nargs; i++) {
			if (arg_nc[op][i] == NC_GPA)
				gpa = c->args[i].value;
			else if (arg_nc[op][i] == NC_LEN)
				size = c->args[i].value;
		}
		note_slot(d, gpa, size);
	}
	/*
	 * Most creations bind a handle; some only test the error path (not in
	 * the differential target: the backends differ in what an unbound
	 * creation returns, see diff_restrict()).
	 */
	if (oi->binds && (d->mode == FUZZ_DIFF || (next(d) & 3) != 3)) {
		c->bind = bind_new(d, sec, op, bind_kind(op), NULL);
		if (c->bind >= 0 && (op == TOP_MMAP || op == TOP_ANON_MMAP))
			d->maplen[c->bind] = c->args[op == TOP_MMAP ? 1 : 0].value;
	}
	return true;
}

static void gen_section(struct dec *d, int sec, struct trace_thread *th,
			struct trace_call *calls, int max)
{
	th->calls = calls;
	while (th->ncalls < max && !at_end(d)) {
		if (d->p[d->pos] == 0xff) {
			d->pos++;
			break;
		}
		if (gen_call(d, sec, &calls[th->ncalls]))
			th->ncalls++;
	}
}

/* ---- the setup skeleton -------------------------------------------------- */

static struct trace_call *add(struct dec *d, enum trace_op op)
{
	struct trace_thread *s = &d->t->setup;
	struct trace_call *c = &d->fc->setup_calls[s->ncalls++];

	call_init(d, c, op);
	return c;
}

/*
 * vm, cpu, gmem, [mem = anon_mmap], slot 0 over the gmem, [gmap = mmap of
 * the gmem], [the slot private]: the state most interesting calls need,
 * with its shape taken from header bytes @h1 @h2.
 */
static void gen_skeleton(struct dec *d, uint8_t h1, uint8_t h2)
{
	static const uint64_t sizes[] = { SZ_2M, SZ_4M, SZ_4K, SZ_2M + SZ_4K, SZ_8K,
					  SZ_2M, SZ_16K, SZ_4M + SZ_8K };
	static const uint64_t gpas[] = { 0x100000000ULL, 0x80000000ULL, 0, 0x40200000ULL };
	static const uint64_t dgpas[] = { 0x200000ULL, 0x400000ULL, 0x10000000ULL, 0x80000000ULL };
	static const uint64_t fl[] = { GM_MMAP | GM_INIT_SHARED, 0, GM_MMAP, GM_INIT_SHARED };
	int vm, cpu, gmem, mem = -1, gmap = -1;
	uint64_t gflags;
	struct trace_call *c;

	d->gmap = -1;
	d->gsize = sizes[(h1 >> 3) & 7];
	d->gpa = d->mode == FUZZ_DIFF ? dgpas[h2 & 3] : gpas[h2 & 3];
	d->slot_lo = d->gpa;
	d->slot_hi = d->gpa + d->gsize;
	gflags = d->mode == FUZZ_DIFF ? GM_MMAP | GM_INIT_SHARED : fl[h1 >> 6];
	if (d->vm_type == VM_TDX)
		gflags = tdx_gmem_flags(gflags);

	c = add(d, TOP_VM_CREATE);
	c->args[0].value = d->vm_type;
	vm = c->bind = bind_new(d, SEC_SETUP, TOP_VM_CREATE, HK_VM, "vm");

	c = add(d, TOP_VCPU_CREATE);
	set_handle(c, 0, vm);
	cpu = c->bind = bind_new(d, SEC_SETUP, TOP_VCPU_CREATE, HK_VCPU, "cpu");
	(void)cpu;

	c = add(d, TOP_CREATE_GUEST_MEMFD);
	set_handle(c, 0, vm);
	c->args[1].value = d->gsize;
	c->args[2].value = gflags;
	gmem = c->bind = bind_new(d, SEC_SETUP, TOP_CREATE_GUEST_MEMFD, HK_FILE, "gmem");

	/*
	 * The kvm backend on a PVM host faults gmem slots through
	 * userspace_addr (docs/host-vs-spec.md, GM-34/35): there the slot's
	 * uaddr is the gmem's own mapping, so both sides see one file.
	 */
	if (d->mode == FUZZ_DIFF || (gflags & GM_MMAP && h1 & 2)) {
		c = add(d, TOP_MMAP);
		set_handle(c, 0, gmem);
		c->args[1].value = d->gsize;
		gmap = c->bind = bind_new(d, SEC_SETUP, TOP_MMAP, HK_MAP, "gmap");
		d->maplen[gmap] = d->gsize;
		if (d->mode == FUZZ_DIFF)
			d->gmap = gmap;
	}
	if (d->mode == FUZZ_MODEL && h1 & 1) {
		c = add(d, TOP_ANON_MMAP);
		c->args[0].value = d->gsize;
		mem = c->bind = bind_new(d, SEC_SETUP, TOP_ANON_MMAP, HK_MAP, "mem");
		d->maplen[mem] = d->gsize;
	}

	c = add(d, TOP_SET_USER_MEMORY_REGION2);
	set_handle(c, 0, vm);
	c->args[1].value = 0;
	c->args[2].value = (h2 >> 2) % 4 == 3 && d->mode == FUZZ_MODEL ? 0 : MS_GUEST_MEMFD;
	c->args[3].value = d->gpa;
	c->args[4].value = d->gsize;
	if (d->mode == FUZZ_DIFF && gmap >= 0)
		set_handle(c, 5, gmap);
	else if (mem >= 0)
		set_handle(c, 5, mem);
	set_handle(c, 6, gmem);

	if (d->mode == FUZZ_MODEL && h1 & 4) {
		c = add(d, TOP_SET_MEMORY_ATTRIBUTES);
		set_handle(c, 0, vm);
		c->args[1].value = d->gpa;
		c->args[2].value = h2 & 0x10 ? SZ_4K : d->gsize;
		c->args[3].value = ATTR_PRIVATE;
	}
	if (d->mode == FUZZ_MODEL && h2 & 0x20 && (d->vm_type == VM_SNP || d->vm_type == VM_TDX)) {
		c = add(d, TOP_POPULATE);
		set_handle(c, 0, vm);
		c->args[1].value = d->gpa;
		c->args[3].value = 1;
		c = add(d, TOP_LAUNCH_FINISH);
		set_handle(c, 0, vm);
	}
}

/* ---- decisions ------------------------------------------------------------ */

/*
 * The rest of the input as a schedule string: a byte below 0xe0 picks
 * thread (byte % nthreads); 0xe0..0xef answers a fault question "no",
 * 0xf0..0xff "yes" (with fault injection on).  The scheduler replays it
 * leniently: a pick of a thread that cannot run, or an answer where a pick
 * is asked (or the reverse), keeps the current thread / answers "no".
 */
static void gen_schedule(struct dec *d)
{
	char *s = d->fc->schedule;
	size_t o = 0, n = 0;

	o += sprintf(s, "S1:%s", d->fc->faults ? "f" : "");
	while (!at_end(d) && n < FUZZ_SCHED_MAX) {
		uint8_t b = next(d);

		if (b >= 0xe0 && d->fc->faults)
			s[o++] = b >= 0xf0 ? 'y' : 'n';
		else
			s[o++] = 'A' + b % d->nthreads;
		n++;
	}
	s[o] = '\0';
}

/**
 * fuzz_decode() - decode an input into a trace and a schedule
 * @data: the input
 * @len: its length
 * @mode: model or differential target
 * @host: host capabilities (FUZZ_DIFF), or NULL
 * @fc: out
 *
 * Context: any; no allocation.
 */
void fuzz_decode(const uint8_t *data, size_t len, enum fuzz_mode mode,
		 const struct fuzz_host *host, struct fuzz_case *fc)
{
	static const char *const profiles[] = { NULL, "6.18", "7.1", "7.2" };
	struct dec d = { .p = data, .len = len, .mode = mode, .host = host, .fc = fc };
	uint8_t h0, h1, h2;
	int i;

	arg_tables_init();
	memset(&fc->t, 0, sizeof(fc->t));
	fc->t.setup.calls = fc->setup_calls;
	fc->t.final.calls = fc->final_calls;
	d.t = &fc->t;
	snprintf(fc->t.path, sizeof(fc->t.path), "fuzz");

	h0 = next(&d);
	h1 = next(&d);
	h2 = next(&d);
	if (mode == FUZZ_DIFF) {
		fc->profile = NULL;
		fc->faults = false;
		d.nthreads = 1;
		d.vm_type = VM_DEFAULT;
	} else {
		static const int types[] = { VM_DEFAULT, VM_SW_PROTECTED, VM_SW_PROTECTED,
					     VM_SNP, VM_TDX, VM_DEFAULT, VM_SW_PROTECTED, VM_SEV };

		fc->profile = profiles[(h0 >> 3) & 3];
		fc->faults = h0 & 0x20;
		d.nthreads = 1 + (h0 >> 6) % 3;
		d.vm_type = types[h0 & 7];
	}
	if (fc->profile)
		snprintf(fc->t.req.profile, sizeof(fc->t.req.profile), "%s", fc->profile);

	gen_skeleton(&d, h1, h2);
	gen_section(&d, SEC_SETUP, &fc->t.setup, fc->setup_calls, FUZZ_MAX_SETUP);
	fc->t.nthreads = d.nthreads;
	for (i = 0; i < d.nthreads; i++) {
		snprintf(fc->t.threads[i].name, sizeof(fc->t.threads[i].name), "t%d", i);
		gen_section(&d, i, &fc->t.threads[i], fc->thread_calls[i], FUZZ_MAX_THREAD);
	}
	gen_section(&d, SEC_FINAL, &fc->t.final, fc->final_calls, FUZZ_MAX_FINAL);
	gen_schedule(&d);
}
