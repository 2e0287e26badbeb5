// SPDX-License-Identifier: GPL-2.0
/*
 * Conformance of the proposed designs against the model backend:
 *
 *  IPC-  in-place shared<->private conversion (spec §6.3): creation flags,
 *        KVM_SET_MEMORY_ATTRIBUTES2 on the gmem fd and its checks in the
 *        proposal's order, default private / INIT_SHARED, the refcount
 *        rule (a pinned page refuses conversion to private with -EAGAIN and
 *        error_offset at that page; after the unpin it succeeds), contents
 *        preserved in place, host faults on private indices SIGBUS, punch
 *        keeps the attributes.
 *  EXC-  pKVM-like exclusive ownership (seed 002, GUEST_MEMFD_FLAG_EXCLUSIVE
 *        on an in-place file): only with IN_PLACE; conversion to private
 *        leaves host mappings alone and is refused (-EAGAIN, error_offset)
 *        while a page is still mapped or pinned by the host; once the host
 *        gave it up the guest owns it and the host can neither map nor pin
 *        it; shared again, the host maps it and sees the contents.
 *  LNK-  several files per inode (spec §6.6): KVM_LINK_GUEST_MEMFD checks,
 *        memory and in-place attributes shared by the linked files, an
 *        inode-wide punch reaching both VMs, per-file release.
 *
 * Mainline is unchanged by these designs: conf_gm / conf_smr / conf_spec
 * run as before (GM-05's flag-bit loop still refuses the model-only
 * IN_PLACE bit, which needs MMAP).  The error_offset of a refused
 * conversion comes back as remaining = offset + size - error_offset.
 */
#include <stdlib.h>

#include "conf_util.h"
#include <uapi/linux/kvm_gmem.h>
#include <uapi/linux/kvm_gmem_inplace.h>
#include <linux/kvm_host.h>

#define NPAGES		8
#define FSIZE		(NPAGES * PAGE)
#define GPA		0x100000000ULL
#define PRIV		KVM_MEMORY_ATTRIBUTE_PRIVATE
#define IP		(GUEST_MEMFD_FLAG_IN_PLACE | GUEST_MEMFD_FLAG_MMAP)
#define IP_SHARED	(IP | GUEST_MEMFD_FLAG_INIT_SHARED)

static struct trace_result conv(struct conf *c, int fd, uint64_t off, uint64_t size,
				uint64_t attrs)
{
	return conf_call(c, TOP_SET_MEMORY_ATTRIBUTES2, H(fd), N(off), N(size),
			 N(attrs), N(0), N(0));
}

/* EAGAIN with error_offset @eoff for a conversion of [off, off + size). */
#define CONF_EAGAIN_AT(r, off, size, eoff) do {				\
	struct trace_result __a = (r);					\
	CONF_ERRNO(__a, EAGAIN);					\
	ck_assert_msg(__a.remaining == (off) + (size) - (eoff),		\
		      "error_offset %#llx, expected %#llx",		\
		      (unsigned long long)((off) + (size) - __a.remaining), \
		      (unsigned long long)(eoff));			\
} while (0)

/* IPC-01: creation flags (errno 0 = success). */
static const struct {
	unsigned long vm_type;
	uint64_t flags;
	int err;
} ipc01[] = {
	{ KVM_X86_SW_PROTECTED_VM, GUEST_MEMFD_FLAG_IN_PLACE, EINVAL },	/* needs MMAP */
	{ KVM_X86_SW_PROTECTED_VM, IP, 0 },
	{ KVM_X86_SW_PROTECTED_VM, IP_SHARED, 0 },	/* INIT_SHARED lifted */
	{ KVM_X86_SW_PROTECTED_VM, GUEST_MEMFD_FLAG_MMAP | GUEST_MEMFD_FLAG_INIT_SHARED,
	  EINVAL },					/* mainline rule kept */
	{ KVM_X86_SNP_VM, IP, 0 },
	{ KVM_X86_DEFAULT_VM, IP_SHARED, 0 },
	{ KVM_X86_SW_PROTECTED_VM, IP | GUEST_MEMFD_FLAG_NO_DIRECT_MAP, EINVAL },
};

START_TEST(IPC_01_creation_flags)
{
	const typeof(ipc01[0]) *row = &ipc01[_i];
	struct conf *c = conf_new(NULL);
	int vm = conf_vm(c, row->vm_type);
	struct trace_result r;

	/* The CAP mask does not advertise the model-only bit. */
	r = conf_call(c, TOP_CHECK_EXTENSION, H(vm), N(KVM_CAP_GUEST_MEMFD_FLAGS));
	CONF_OK(r);
	ck_assert(!(r.ret & GUEST_MEMFD_FLAG_IN_PLACE));

	r = conf_call(c, TOP_CREATE_GUEST_MEMFD, H(vm), N(FSIZE), N(row->flags), N(0));
	if (row->err)
		CONF_ERRNO(r, row->err);
	else
		CONF_OK(r);
	conf_free(c);
}
END_TEST

/* IPC-02: KVM_SET_MEMORY_ATTRIBUTES2 checks, in the proposal's order. */
static const struct {
	const char *what;
	uint64_t off, size, attrs, flags, reserved0;
	int err;
} ipc02[] = {
	{ "flags",		0, PAGE, PRIV, 1, 0, EINVAL },
	{ "flags before range",	1, 0, PRIV, 1, 0, EINVAL },
	{ "reserved",		0, PAGE, PRIV, 0, 1, EINVAL },
	{ "attributes",		0, PAGE, 1, 0, 0, EINVAL },
	{ "attributes RWX",	0, PAGE, PRIV | 7, 0, 0, EINVAL },
	{ "size 0",		0, 0, PRIV, 0, 0, EINVAL },
	{ "wrap",		~(PAGE - 1), 2 * PAGE, PRIV, 0, 0, EINVAL },
	{ "offset unaligned",	1, PAGE, PRIV, 0, 0, EINVAL },
	{ "size unaligned",	0, PAGE + 1, PRIV, 0, 0, EINVAL },
	{ "beyond i_size",	FSIZE - PAGE, 2 * PAGE, PRIV, 0, 0, EINVAL },
	{ "offset at i_size",	FSIZE, PAGE, PRIV, 0, 0, EINVAL },
	{ "whole file",		0, FSIZE, PRIV, 0, 0, 0 },
	{ "last page shared",	FSIZE - PAGE, PAGE, 0, 0, 0, 0 },
	{ "no-op private",	0, PAGE, PRIV, 0, 0, 0 },
};

START_TEST(IPC_02_set_attributes2_checks)
{
	const typeof(ipc02[0]) *row = &ipc02[_i];
	struct conf *c = conf_new(NULL);
	int vm = conf_vm(c, KVM_X86_SW_PROTECTED_VM);
	int fd = conf_gmem(c, vm, FSIZE, IP);
	struct trace_result r;

	r = conf_call(c, TOP_SET_MEMORY_ATTRIBUTES2, H(fd), N(row->off), N(row->size),
		      N(row->attrs), N(row->flags), N(row->reserved0));
	if (row->err)
		ck_assert_msg(r.kind == TRES_ERRNO && r.err == row->err,
			      "%s: expected errno %d, got %s", row->what, row->err,
			      conf_fmt(&r));
	else
		ck_assert_msg(r.kind == TRES_OK, "%s: got %s", row->what, conf_fmt(&r));
	conf_free(c);
}
END_TEST

START_TEST(IPC_03_which_files_accept_the_ioctl)
{
	struct conf *c = conf_new(NULL);
	int vm = conf_vm(c, KVM_X86_SW_PROTECTED_VM);
	int dvm = conf_vm(c, KVM_X86_DEFAULT_VM);
	int plain = conf_gmem(c, vm, FSIZE, GUEST_MEMFD_FLAG_MMAP);
	int dfd = conf_gmem(c, dvm, FSIZE, IP_SHARED);
	int memfd = conf_bind(c, TOP_MEMFD_CREATE, N(FSIZE));

	/* The VM attribute store is in use for a mainline file. */
	CONF_ERRNO(conv(c, plain, 0, PAGE, PRIV), ENOTTY);
	/* A VM without private memory cannot convert. */
	CONF_ERRNO(conv(c, dfd, 0, PAGE, PRIV), EINVAL);
	CONF_ERRNO(conv(c, memfd, 0, PAGE, PRIV), ENOTTY);
	/* On the VM fd: the legacy VM-attribute path. */
	CONF_OK(conv(c, vm, GPA, PAGE, PRIV));
	CONF_ERRNO(conf_call(c, TOP_SET_MEMORY_ATTRIBUTES2, H(vm), N(GPA), N(PAGE),
			     N(PRIV), N(0), N(1)), EINVAL);
	conf_free(c);
}
END_TEST

START_TEST(IPC_04_default_private_init_shared_and_host_faults)
{
	struct conf *c = conf_new(NULL);
	int vm = conf_vm(c, KVM_X86_SW_PROTECTED_VM);
	int priv = conf_gmem(c, vm, FSIZE, IP);
	int shared = conf_gmem(c, vm, FSIZE, IP_SHARED);
	int pm = conf_bind(c, TOP_MMAP, H(priv), N(FSIZE), N(CONF_PROT_RW),
			   N(CONF_MAP_SHARED), N(0));
	int sm = conf_bind(c, TOP_MMAP, H(shared), N(FSIZE), N(CONF_PROT_RW),
			   N(CONF_MAP_SHARED), N(0));

	CONF_SIGBUS(conf_call(c, TOP_HOST_READ, H(pm), N(0), N(1)));
	CONF_VALUE(conf_call(c, TOP_HOST_READ, H(sm), N(0), N(1)), 0);

	/* Page 2 of the private file turns shared; its neighbours do not. */
	CONF_OK(conv(c, priv, 2 * PAGE, PAGE, 0));
	CONF_OK(conf_call(c, TOP_HOST_WRITE, H(pm), N(2 * PAGE), N(0x5a), N(PAGE)));
	CONF_SIGBUS(conf_call(c, TOP_HOST_READ, H(pm), N(PAGE), N(1)));
	CONF_SIGBUS(conf_call(c, TOP_HOST_READ, H(pm), N(3 * PAGE), N(1)));

	/* Back to private: the host PTE goes, the next access SIGBUSes. */
	CONF_OK(conv(c, priv, 2 * PAGE, PAGE, PRIV));
	CONF_SIGBUS(conf_call(c, TOP_HOST_READ, H(pm), N(2 * PAGE), N(1)));
	conf_free(c);
}
END_TEST

/* IPC-05: the refcount rule (spec §6.3 "Safety check detail"). */
static const struct {
	uint64_t pin;		/* pinned page offset */
	uint64_t off, size;	/* conversion range */
} ipc05[] = {
	{ 3 * PAGE, 0, FSIZE },
	{ 3 * PAGE, 2 * PAGE, 4 * PAGE },
	{ 0, 0, PAGE },
	{ FSIZE - PAGE, PAGE, FSIZE - PAGE },
};

START_TEST(IPC_05_pinned_page_refuses_with_error_offset)
{
	const typeof(ipc05[0]) *row = &ipc05[_i];
	struct conf *c = conf_new(NULL);
	int vm = conf_vm(c, KVM_X86_SW_PROTECTED_VM);
	int fd = conf_gmem(c, vm, FSIZE, IP_SHARED);
	int map = conf_bind(c, TOP_MMAP, H(fd), N(FSIZE), N(CONF_PROT_RW),
			    N(CONF_MAP_SHARED), N(0));
	int pin;

	/* Every page mapped by the host: mappings alone never refuse. */
	CONF_OK(conf_call(c, TOP_HOST_WRITE, H(map), N(0), N(0x11), N(FSIZE)));
	pin = conf_bind(c, TOP_HOST_PIN, H(map), N(row->pin));
	ck_assert_int_ge(pin, 0);

	CONF_EAGAIN_AT(conv(c, fd, row->off, row->size, PRIV), row->off, row->size, row->pin);
	/* Nothing converted: the pinned page and its neighbours stay shared. */
	CONF_VALUE(conf_call(c, TOP_HOST_READ, H(map), N(row->pin), N(PAGE)), 0x11);
	CONF_VALUE(conf_call(c, TOP_HOST_READ, H(map), N(row->off), N(1)), 0x11);

	CONF_OK(conf_call(c, TOP_HOST_UNPIN, H(pin)));
	CONF_OK(conv(c, fd, row->off, row->size, PRIV));
	CONF_SIGBUS(conf_call(c, TOP_HOST_READ, H(map), N(row->pin), N(1)));
	/* A pin on a private page cannot be taken. */
	CONF_SIGBUS(conf_call(c, TOP_HOST_PIN, H(map), N(row->pin)));

	/* Shared again: the contents were kept in place. */
	CONF_OK(conv(c, fd, row->off, row->size, 0));
	CONF_VALUE(conf_call(c, TOP_HOST_READ, H(map), N(row->pin), N(PAGE)), 0x11);
	conf_free(c);
}
END_TEST

START_TEST(IPC_06_guest_and_host_see_one_backing)
{
	struct conf *c = conf_new(NULL);
	int vm = conf_vm(c, KVM_X86_SW_PROTECTED_VM);
	int fd = conf_gmem(c, vm, FSIZE, IP_SHARED);
	int map = conf_bind(c, TOP_MMAP, H(fd), N(FSIZE), N(CONF_PROT_RW),
			    N(CONF_MAP_SHARED), N(0));
	int cpu;

	CONF_OK(conf_region2(c, vm, 0, KVM_MEM_GUEST_MEMFD, GPA, FSIZE, 0, fd, 0));
	cpu = conf_bind(c, TOP_VCPU_CREATE, H(vm), N(0));

	/* Shared: the guest writes, the host reads the same page. */
	CONF_OK(conf_call(c, TOP_GUEST_WRITE, H(cpu), N(GPA), N(0x11), N(PAGE), N(0)));
	CONF_VALUE(conf_call(c, TOP_HOST_READ, H(map), N(0), N(PAGE)), 0x11);
	/* SW_PROTECTED: the attributes (here: the inode) decide, not the access. */
	CONF_VALUE(conf_call(c, TOP_GUEST_READ, H(cpu), N(GPA), N(PAGE), N(1)), 0x11);
	ck_assert(!kvm_mem_is_private(conf_kvm(c, vm), GPA >> 12));

	/* Private: same folio, contents kept; the host is locked out. */
	CONF_OK(conv(c, fd, 0, PAGE, PRIV));
	CONF_VALUE(conf_call(c, TOP_GUEST_READ, H(cpu), N(GPA), N(PAGE), N(1)), 0x11);
	CONF_OK(conf_call(c, TOP_GUEST_WRITE, H(cpu), N(GPA), N(0x22), N(PAGE), N(1)));
	CONF_SIGBUS(conf_call(c, TOP_HOST_READ, H(map), N(0), N(1)));
	ck_assert(kvm_mem_is_private(conf_kvm(c, vm), GPA >> 12));

	/* Shared again: the guest's private write is what the host sees. */
	CONF_OK(conv(c, fd, 0, PAGE, 0));
	CONF_VALUE(conf_call(c, TOP_HOST_READ, H(map), N(0), N(PAGE)), 0x22);
	CONF_VALUE(conf_call(c, TOP_GUEST_READ, H(cpu), N(GPA), N(PAGE), N(0)), 0x22);

	/* The VM attribute store is not consulted for this slot. */
	CONF_OK(conf_attrs(c, vm, GPA, FSIZE, PRIV, 0));
	CONF_VALUE(conf_call(c, TOP_GUEST_READ, H(cpu), N(GPA), N(PAGE), N(0)), 0x22);
	conf_free(c);
}
END_TEST

START_TEST(IPC_07_punch_keeps_attributes)
{
	struct conf *c = conf_new(NULL);
	int vm = conf_vm(c, KVM_X86_SW_PROTECTED_VM);
	int fd = conf_gmem(c, vm, FSIZE, IP);
	int map = conf_bind(c, TOP_MMAP, H(fd), N(FSIZE), N(CONF_PROT_RW),
			    N(CONF_MAP_SHARED), N(0));

	CONF_OK(conv(c, fd, PAGE, PAGE, 0));
	CONF_OK(conf_call(c, TOP_HOST_WRITE, H(map), N(PAGE), N(0x33), N(PAGE)));
	CONF_OK(conf_call(c, TOP_FALLOCATE, H(fd),
			  N(CONF_FALLOC_KEEP_SIZE | CONF_FALLOC_PUNCH_HOLE), N(0), N(FSIZE)));
	/* Still shared after the punch, with fresh (zero) memory. */
	CONF_VALUE(conf_call(c, TOP_HOST_READ, H(map), N(PAGE), N(PAGE)), 0);
	CONF_SIGBUS(conf_call(c, TOP_HOST_READ, H(map), N(0), N(1)));
	/* Conversion before allocation works as well. */
	CONF_OK(conv(c, fd, 4 * PAGE, 2 * PAGE, 0));
	CONF_VALUE(conf_call(c, TOP_HOST_READ, H(map), N(5 * PAGE), N(1)), 0);
	conf_free(c);
}
END_TEST

/* LNK-01: KVM_LINK_GUEST_MEMFD checks. */
START_TEST(LNK_01_link_checks)
{
	struct conf *c = conf_new(NULL);
	int src = conf_vm(c, KVM_X86_SW_PROTECTED_VM);
	int dst = conf_vm(c, KVM_X86_SW_PROTECTED_VM);
	int dflt = conf_vm(c, KVM_X86_DEFAULT_VM);
	int fd = conf_gmem(c, src, FSIZE, 0);
	int memfd = conf_bind(c, TOP_MEMFD_CREATE, N(FSIZE));
	int closed = conf_gmem(c, src, FSIZE, 0);

	CONF_OK(conf_call(c, TOP_CLOSE, H(closed)));
	CONF_ERRNO(conf_call(c, TOP_LINK_GUEST_MEMFD, H(dst), H(fd), N(1), N(0)), EINVAL);
	CONF_ERRNO(conf_call(c, TOP_LINK_GUEST_MEMFD, H(dst), H(fd), N(0), N(1)), EINVAL);
	CONF_ERRNO(conf_call(c, TOP_LINK_GUEST_MEMFD, H(dst), H(memfd), N(0), N(0)), EINVAL);
	CONF_ERRNO(conf_call(c, TOP_LINK_GUEST_MEMFD, H(src), H(fd), N(0), N(0)), EINVAL);
	CONF_ERRNO(conf_call(c, TOP_LINK_GUEST_MEMFD, H(dflt), H(fd), N(0), N(0)), EINVAL);
	CONF_ERRNO(conf_call(c, TOP_LINK_GUEST_MEMFD, H(dst), H(closed), N(0), N(0)), EBADF);
	CONF_ERRNO(conf_call(c, TOP_LINK_GUEST_MEMFD, H(fd), H(fd), N(0), N(0)), ENOTTY);
	ck_assert_int_ge(conf_bind(c, TOP_LINK_GUEST_MEMFD, H(dst), H(fd), N(0), N(0)), 0);
	conf_free(c);
}
END_TEST

/* LNK-02/03: one inode, two VMs: memory, punch and release. */
START_TEST(LNK_02_03_punch_reaches_both_vms_release_per_file)
{
	struct conf *c = conf_new(NULL);
	int vm1 = conf_vm(c, KVM_X86_SW_PROTECTED_VM);
	int vm2 = conf_vm(c, KVM_X86_SW_PROTECTED_VM);
	int fd1 = conf_gmem(c, vm1, FSIZE, 0);
	int fd2 = conf_bind(c, TOP_LINK_GUEST_MEMFD, H(vm2), H(fd1), N(0), N(0));
	int cpu1, cpu2;

	CONF_OK(conf_region2(c, vm1, 0, KVM_MEM_GUEST_MEMFD, GPA, FSIZE, 0, fd1, 0));
	CONF_OK(conf_region2(c, vm2, 0, KVM_MEM_GUEST_MEMFD, 2 * GPA, FSIZE, 0, fd2, 0));
	CONF_OK(conf_attrs(c, vm1, GPA, FSIZE, PRIV, 0));
	CONF_OK(conf_attrs(c, vm2, 2 * GPA, FSIZE, PRIV, 0));
	cpu1 = conf_bind(c, TOP_VCPU_CREATE, H(vm1), N(0));
	cpu2 = conf_bind(c, TOP_VCPU_CREATE, H(vm2), N(0));

	CONF_OK(conf_call(c, TOP_GUEST_WRITE, H(cpu1), N(GPA), N(0x44), N(PAGE), N(1)));
	CONF_VALUE(conf_call(c, TOP_GUEST_READ, H(cpu2), N(2 * GPA), N(PAGE), N(1)), 0x44);

	/* The punch on the inode zaps both VMs (the checkers would say so). */
	CONF_OK(conf_call(c, TOP_FALLOCATE, H(fd2),
			  N(CONF_FALLOC_KEEP_SIZE | CONF_FALLOC_PUNCH_HOLE), N(0), N(PAGE)));
	CONF_VALUE(conf_call(c, TOP_GUEST_READ, H(cpu1), N(GPA), N(PAGE), N(1)), 0);
	CONF_OK(conf_call(c, TOP_GUEST_WRITE, H(cpu2), N(2 * GPA), N(0x55), N(PAGE), N(1)));

	/* The source file goes; the destination keeps the inode's memory. */
	CONF_OK(conf_call(c, TOP_CLOSE, H(fd1)));
	CONF_VALUE(conf_call(c, TOP_GUEST_READ, H(cpu2), N(2 * GPA), N(PAGE), N(1)), 0x55);
	CONF_OK(conf_call(c, TOP_FALLOCATE, H(fd2),
			  N(CONF_FALLOC_KEEP_SIZE | CONF_FALLOC_PUNCH_HOLE), N(0), N(FSIZE)));
	CONF_VALUE(conf_call(c, TOP_GUEST_READ, H(cpu2), N(2 * GPA), N(PAGE), N(1)), 0);
	conf_free(c);
}
END_TEST

/* LNK-04: in-place attributes live in the inode, shared by linked files. */
START_TEST(LNK_04_in_place_attributes_shared)
{
	struct conf *c = conf_new(NULL);
	int vm1 = conf_vm(c, KVM_X86_SW_PROTECTED_VM);
	int vm2 = conf_vm(c, KVM_X86_SW_PROTECTED_VM);
	int fd1 = conf_gmem(c, vm1, FSIZE, IP_SHARED);
	int fd2 = conf_bind(c, TOP_LINK_GUEST_MEMFD, H(vm2), H(fd1), N(0), N(0));
	int map = conf_bind(c, TOP_MMAP, H(fd2), N(FSIZE), N(CONF_PROT_RW),
			    N(CONF_MAP_SHARED), N(0));
	int cpu1, cpu2;

	CONF_OK(conf_region2(c, vm1, 0, KVM_MEM_GUEST_MEMFD, GPA, FSIZE, 0, fd1, 0));
	CONF_OK(conf_region2(c, vm2, 0, KVM_MEM_GUEST_MEMFD, GPA, FSIZE, 0, fd2, 0));
	cpu1 = conf_bind(c, TOP_VCPU_CREATE, H(vm1), N(0));
	cpu2 = conf_bind(c, TOP_VCPU_CREATE, H(vm2), N(0));

	CONF_OK(conf_call(c, TOP_GUEST_WRITE, H(cpu1), N(GPA), N(0x66), N(PAGE), N(0)));
	CONF_VALUE(conf_call(c, TOP_GUEST_READ, H(cpu2), N(GPA), N(PAGE), N(0)), 0x66);

	/* Converted through vm2's file: vm1's shared mapping goes too. */
	CONF_OK(conv(c, fd2, 0, PAGE, PRIV));
	ck_assert(kvm_mem_is_private(conf_kvm(c, vm1), GPA >> 12));
	ck_assert(!kvm_mem_is_private(conf_kvm(c, vm1), (GPA >> 12) + 1));
	CONF_VALUE(conf_call(c, TOP_GUEST_READ, H(cpu1), N(GPA), N(PAGE), N(1)), 0x66);
	CONF_SIGBUS(conf_call(c, TOP_HOST_READ, H(map), N(0), N(1)));
	conf_free(c);
}
END_TEST

/* EXC-01: the exclusive flag exists only on in-place files. */
static const struct {
	uint64_t flags;
	int err;
} exc01[] = {
	{ GUEST_MEMFD_FLAG_EXCLUSIVE | GUEST_MEMFD_FLAG_MMAP, EINVAL },	/* needs IN_PLACE */
	{ GUEST_MEMFD_FLAG_EXCLUSIVE | GUEST_MEMFD_FLAG_MMAP | GUEST_MEMFD_FLAG_INIT_SHARED,
	  EINVAL },
	{ IP | GUEST_MEMFD_FLAG_EXCLUSIVE, 0 },
	{ IP_SHARED | GUEST_MEMFD_FLAG_EXCLUSIVE, 0 },
};

START_TEST(EXC_01_creation_flags)
{
	const typeof(exc01[0]) *row = &exc01[_i];
	struct conf *c = conf_new(NULL);
	int vm = conf_vm(c, KVM_X86_SW_PROTECTED_VM);
	struct trace_result r;

	r = conf_call(c, TOP_CREATE_GUEST_MEMFD, H(vm), N(FSIZE), N(row->flags), N(0));
	if (row->err)
		CONF_ERRNO(r, row->err);
	else
		CONF_OK(r);
	conf_free(c);
}
END_TEST

/*
 * EXC-02: a page the host maps or pins cannot be made guest-exclusive; the
 * same conversion on a plain in-place file unmaps the host and succeeds.
 */
START_TEST(EXC_02_host_mapping_or_pin_refuses)
{
	struct conf *c = conf_new(NULL);
	int vm = conf_vm(c, KVM_X86_SW_PROTECTED_VM);
	int fd = conf_gmem(c, vm, FSIZE, IP_SHARED | GUEST_MEMFD_FLAG_EXCLUSIVE);
	int plain = conf_gmem(c, vm, FSIZE, IP_SHARED);
	int map, pmap, pin;

	/* Plain in-place: mapped everywhere, the conversion unmaps and wins. */
	pmap = conf_bind(c, TOP_MMAP, H(plain), N(FSIZE), N(CONF_PROT_RW),
			 N(CONF_MAP_SHARED), N(0));
	CONF_OK(conf_call(c, TOP_HOST_WRITE, H(pmap), N(0), N(0x11), N(FSIZE)));
	CONF_OK(conv(c, plain, 0, FSIZE, PRIV));

	/* Exclusive: only page 3 mapped by the host, that page refuses. */
	map = conf_bind(c, TOP_MMAP, H(fd), N(FSIZE), N(CONF_PROT_RW), N(CONF_MAP_SHARED),
			N(0));
	CONF_OK(conf_call(c, TOP_HOST_WRITE, H(map), N(3 * PAGE), N(0x33), N(PAGE)));
	CONF_EAGAIN_AT(conv(c, fd, 0, FSIZE, PRIV), 0, FSIZE, 3 * PAGE);
	/* Nothing converted: the mapping still works, other pages too. */
	CONF_VALUE(conf_call(c, TOP_HOST_READ, H(map), N(3 * PAGE), N(PAGE)), 0x33);
	CONF_OK(conv(c, fd, 0, 3 * PAGE, PRIV));	/* the pages before it are free */

	/* A pin alone (the mapping gone) refuses too, at its page. */
	pin = conf_bind(c, TOP_HOST_PIN, H(map), N(5 * PAGE));
	ck_assert_int_ge(pin, 0);
	CONF_OK(conf_call(c, TOP_MUNMAP, H(map)));
	CONF_EAGAIN_AT(conv(c, fd, 3 * PAGE, 5 * PAGE, PRIV), 3 * PAGE, 5 * PAGE, 5 * PAGE);
	CONF_OK(conf_call(c, TOP_HOST_UNPIN, H(pin)));
	CONF_OK(conv(c, fd, 3 * PAGE, 5 * PAGE, PRIV));
	conf_free(c);
}
END_TEST

/* EXC-03: a guest-owned page cannot be mapped or pinned; shared, it can. */
START_TEST(EXC_03_guest_owned_page_not_mappable)
{
	struct conf *c = conf_new(NULL);
	int vm = conf_vm(c, KVM_X86_SW_PROTECTED_VM);
	int fd = conf_gmem(c, vm, FSIZE, IP_SHARED | GUEST_MEMFD_FLAG_EXCLUSIVE);
	int map = conf_bind(c, TOP_MMAP, H(fd), N(FSIZE), N(CONF_PROT_RW),
			    N(CONF_MAP_SHARED), N(0));

	CONF_OK(conf_call(c, TOP_HOST_WRITE, H(map), N(2 * PAGE), N(0x5a), N(PAGE)));
	CONF_OK(conf_call(c, TOP_MUNMAP, H(map)));
	CONF_OK(conv(c, fd, 0, FSIZE, PRIV));

	map = conf_bind(c, TOP_MMAP, H(fd), N(FSIZE), N(CONF_PROT_RW), N(CONF_MAP_SHARED),
			N(0));
	CONF_SIGBUS(conf_call(c, TOP_HOST_READ, H(map), N(2 * PAGE), N(1)));
	CONF_SIGBUS(conf_call(c, TOP_HOST_PIN, H(map), N(2 * PAGE)));

	/* Shared back ("share" hypercall): the host maps it, contents kept. */
	CONF_OK(conv(c, fd, 2 * PAGE, PAGE, 0));
	CONF_VALUE(conf_call(c, TOP_HOST_READ, H(map), N(2 * PAGE), N(PAGE)), 0x5a);
	CONF_SIGBUS(conf_call(c, TOP_HOST_READ, H(map), N(PAGE), N(1)));
	conf_free(c);
}
END_TEST

#define N_ROWS(a)	((int)(sizeof(a) / sizeof((a)[0])))

static Suite *inplace_suite(void)
{
	Suite *s = suite_create("conformance-inplace");
	TCase *tc = tcase_create("IPC-LNK");

	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, IPC_01_creation_flags, 0, N_ROWS(ipc01));
	tcase_add_loop_test(tc, IPC_02_set_attributes2_checks, 0, N_ROWS(ipc02));
	tcase_add_test(tc, IPC_03_which_files_accept_the_ioctl);
	tcase_add_test(tc, IPC_04_default_private_init_shared_and_host_faults);
	tcase_add_loop_test(tc, IPC_05_pinned_page_refuses_with_error_offset, 0, N_ROWS(ipc05));
	tcase_add_test(tc, IPC_06_guest_and_host_see_one_backing);
	tcase_add_test(tc, IPC_07_punch_keeps_attributes);
	tcase_add_loop_test(tc, EXC_01_creation_flags, 0, N_ROWS(exc01));
	tcase_add_test(tc, EXC_02_host_mapping_or_pin_refuses);
	tcase_add_test(tc, EXC_03_guest_owned_page_not_mappable);
	tcase_add_test(tc, LNK_01_link_checks);
	tcase_add_test(tc, LNK_02_03_punch_reaches_both_vms_release_per_file);
	tcase_add_test(tc, LNK_04_in_place_attributes_shared);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(inplace_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
