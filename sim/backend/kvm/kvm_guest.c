// SPDX-License-Identifier: GPL-2.0
/*
 * A real-mode guest that touches guest memory on request, for the /dev/kvm
 * backend.  Not a kernel model; see kvm_guest.h for the memory layout.
 *
 * Why real mode: it needs no page tables, GDT or IDT, so one 64 KiB slot of
 * code is the whole guest, and every GPA below 4 GiB is reachable by
 * loading a segment base with KVM_SET_SREGS.  Probed on the PVM host
 * (kvm_pvm, 6.18): real-mode execution with arbitrary segment bases,
 * PIO exits and single-stepping (KVM_SET_GUEST_DEBUG) all work.
 *
 * Routines (16-bit code at stub offsets, hand-assembled):
 *   READ  @0x100: DS:SI = ES:DI = first byte, CX = count.  BL = first
 *                 byte, DL = 1 if any byte differs: REPE SCASD over the
 *                 dwords, REPE SCASB over the tail.  OUT 0x10; HLT.
 *   WRITE @0x140: ES:DI = first byte, CX = count, EAX = value x 4:
 *                 REP STOSD, then REP STOSB for the tail.  OUT 0x11; HLT.
 * String instructions, dword-wide, because on the PVM host real-mode code
 * is emulated: each iteration costs about a microsecond, so a byte loop
 * would be four times slower still.
 * EXEC has no routine: CS base = target GPA, IP = 0, single-step one
 * instruction with KVM_GUESTDBG_SINGLESTEP; the fetch is the access.
 * Data segments then point at the stub's scratch half, so whatever that one
 * instruction stores lands there, not in trace memory.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "kvm_sys.h"
#include "kvm_util.h"
#include "kvm_guest.h"

#define STUB_READ_IP	0x100
#define STUB_WRITE_IP	0x140
#define STUB_SCRATCH	0x8000		/* data segment base offset for EXEC */
#define PORT_READ_DONE	0x10
#define PORT_WRITE_DONE	0x11
#define CHUNK		0x8000ULL	/* bytes per run: fits CX and one segment */

static const uint8_t stub_read[] = {
	0xac,			/* 0x100 lodsb		AL = first byte */
	0x88, 0xc4,		/* 0x101 mov ah, al */
	0x89, 0xc3,		/* 0x103 mov bx, ax	BL = first byte */
	0x66, 0xc1, 0xe0, 0x10,	/* 0x105 shl eax, 16 */
	0x89, 0xd8,		/* 0x109 mov ax, bx	EAX = byte x 4 */
	0x30, 0xd2,		/* 0x10b xor dl, dl */
	0x31, 0xff,		/* 0x10d xor di, di */
	0x89, 0xce,		/* 0x10f mov si, cx	SI = count */
	0xc1, 0xe9, 0x02,	/* 0x111 shr cx, 2 */
	0x74, 0x05,		/* 0x114 jz 0x11b */
	0x66, 0xf3, 0xaf,	/* 0x116 repe scasd	dwords */
	0x75, 0x0d,		/* 0x119 jne 0x128 */
	0x89, 0xf1,		/* 0x11b mov cx, si */
	0x83, 0xe1, 0x03,	/* 0x11d and cx, 3 */
	0x74, 0x08,		/* 0x120 jz 0x12a */
	0xf3, 0xae,		/* 0x122 repe scasb	tail bytes */
	0x75, 0x02,		/* 0x124 jne 0x128 */
	0xeb, 0x02,		/* 0x126 jmp 0x12a */
	0xb2, 0x01,		/* 0x128 mov dl, 1	mixed */
	0xe6, PORT_READ_DONE,	/* 0x12a out 0x10, al */
	0xf4,			/* 0x12c hlt */
};

static const uint8_t stub_write[] = {
	0x89, 0xce,		/* 0x140 mov si, cx */
	0xc1, 0xe9, 0x02,	/* 0x142 shr cx, 2 */
	0x66, 0xf3, 0xab,	/* 0x145 rep stosd	dwords of EAX */
	0x89, 0xf1,		/* 0x148 mov cx, si */
	0x83, 0xe1, 0x03,	/* 0x14a and cx, 3 */
	0xf3, 0xaa,		/* 0x14d rep stosb	tail bytes */
	0xe6, PORT_WRITE_DONE,	/* 0x14f out 0x11, al */
	0xf4,			/* 0x151 hlt */
};

struct kvm_guest_stub {
	void *hva;
	uint32_t slot;
};

/**
 * kvm_guest_stub_install() - add the stub memslot to a VM
 * @vm: the VM
 * @stubp: in/out; an already installed stub is kept
 *
 * Context: may block (memslot update).
 * Return: 0, or -errno (-ENOMEM; -EBADF once the VM fd is closed; the KVM
 * error when the slot id or GPA range is taken by the trace).
 */
int kvm_guest_stub_install(struct kvm_vm *vm, struct kvm_guest_stub **stubp)
{
	struct kvm_guest_stub *stub;
	int nslots, err;

	if (*stubp)
		return 0;
	if (vm_fd(vm) < 0)
		return -EBADF;
	nslots = vm_nr_memslots(vm);
	if (nslots <= 0)
		return -EOPNOTSUPP;
	stub = calloc(1, sizeof(*stub));
	if (!stub)
		return -ENOMEM;
	stub->slot = nslots - 1;
	stub->hva = mmap(NULL, KVM_GUEST_STUB_SIZE, PROT_READ | PROT_WRITE,
			 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (stub->hva == MAP_FAILED) {
		err = -errno;
		goto free_stub;
	}
	memcpy((char *)stub->hva + STUB_READ_IP, stub_read, sizeof(stub_read));
	memcpy((char *)stub->hva + STUB_WRITE_IP, stub_write, sizeof(stub_write));
	if (__vm_set_user_memory_region(vm, stub->slot, 0, KVM_GUEST_STUB_GPA,
					KVM_GUEST_STUB_SIZE, stub->hva)) {
		err = -errno;
		fprintf(stderr,
			"kvm backend: cannot install the guest stub (slot %u, GPA 0x%llx+0x%llx): %s; "
			"the trace must leave that slot and range free\n",
			stub->slot, KVM_GUEST_STUB_GPA, KVM_GUEST_STUB_SIZE,
			strerror(-err));
		goto unmap;
	}
	*stubp = stub;
	return 0;

unmap:
	munmap(stub->hva, KVM_GUEST_STUB_SIZE);
free_stub:
	free(stub);
	return err;
}

/**
 * kvm_guest_stub_free() - unmap the stub's backing
 * @stub: the stub (NULL allowed)
 *
 * The memslot goes away with the VM.
 * Context: the VM is being torn down; no vCPU runs.
 */
void kvm_guest_stub_free(struct kvm_guest_stub *stub)
{
	if (!stub)
		return;
	munmap(stub->hva, KVM_GUEST_STUB_SIZE);
	free(stub);
}

/**
 * kvm_guest_stub_slot() - slot id the stub occupies
 * @stub: the stub
 *
 * Context: any.
 * Return: the slot id.
 */
uint32_t kvm_guest_stub_slot(const struct kvm_guest_stub *stub)
{
	return stub->slot;
}

/**
 * kvm_guest_stub_conflicts() - would a memslot request collide with the stub?
 * @stub: the stub, or NULL (not installed: nothing collides)
 * @slot: requested slot id (with address-space bits)
 * @gpa: requested base
 * @size: requested size (0 = delete: only the slot id matters)
 *
 * Context: any.
 * Return: true if the request names the stub's slot or overlaps its range.
 */
bool kvm_guest_stub_conflicts(const struct kvm_guest_stub *stub, uint32_t slot,
			      uint64_t gpa, uint64_t size)
{
	if (!stub)
		return false;
	if (slot == stub->slot)
		return true;
	if (!size || (slot >> 16))
		return false;
	return gpa < KVM_GUEST_STUB_GPA + KVM_GUEST_STUB_SIZE &&
	       gpa + size > KVM_GUEST_STUB_GPA;
}

static void set_seg(struct kvm_segment *s, uint64_t base)
{
	s->base = base;
	s->selector = 0;
	s->limit = 0xffff;
}

/* Point CS at the stub (or the exec target) and the data segments at @data. */
static void setup_sregs(struct kvm_vcpu *vcpu, uint64_t code, uint64_t data)
{
	struct kvm_sregs sregs;

	vcpu_ioctl(vcpu, KVM_GET_SREGS, &sregs);
	set_seg(&sregs.cs, code);
	set_seg(&sregs.ds, data);
	set_seg(&sregs.es, data);
	set_seg(&sregs.fs, data);
	set_seg(&sregs.gs, data);
	set_seg(&sregs.ss, data);
	vcpu_ioctl(vcpu, KVM_SET_SREGS, &sregs);
}

static void set_single_step(struct kvm_vcpu *vcpu, bool on)
{
	struct kvm_guest_debug dbg = { 0 };

	if (on)
		dbg.control = KVM_GUESTDBG_ENABLE | KVM_GUESTDBG_SINGLESTEP;
	vcpu_ioctl(vcpu, KVM_SET_GUEST_DEBUG, &dbg);
}

/* Record a non-completing exit in @out and leave the vCPU re-enterable. */
static void note_exit(struct kvm_vcpu *vcpu, int r, struct kvm_guest_outcome *out)
{
	struct kvm_run *run = vcpu_run_state(vcpu);

	out->exited = true;
	out->ret = r < 0 ? -errno : 0;
	out->exit_reason = run->exit_reason;
	if (run->exit_reason == KVM_EXIT_MEMORY_FAULT) {
		const struct kvm_memory_fault_exit *mf = kvm_run_memory_fault(run);

		out->mf_gpa = mf->gpa;
		out->mf_size = mf->size;
		out->mf_flags = mf->flags;
	} else if (run->exit_reason == KVM_EXIT_MMIO) {
		out->mmio_gpa = run->mmio.phys_addr;
	}
	if (r >= 0)
		vcpu_complete_pending(vcpu);
}

/* One READ or WRITE routine run over [gpa, gpa + len), len <= CHUNK. */
static void run_chunk(struct kvm_vcpu *vcpu, enum kvm_guest_access_kind kind,
		      uint64_t gpa, uint64_t len, uint8_t byte,
		      struct kvm_guest_outcome *out, bool first)
{
	struct kvm_run *run = vcpu_run_state(vcpu);
	struct kvm_regs regs = { 0 };
	int port = kind == KGA_READ ? PORT_READ_DONE : PORT_WRITE_DONE;
	int r;

	setup_sregs(vcpu, KVM_GUEST_STUB_GPA, gpa);
	regs.rip = kind == KGA_READ ? STUB_READ_IP : STUB_WRITE_IP;
	regs.rflags = 0x2;	/* reserved bit; IF = 0, DF = 0 */
	regs.rcx = len;
	regs.rax = byte * 0x01010101u;	/* WRITE stores EAX dword-wise */
	vcpu_ioctl(vcpu, KVM_SET_REGS, &regs);

	r = __vcpu_run(vcpu);
	if (r < 0 || run->exit_reason != KVM_EXIT_IO || run->io.port != port) {
		note_exit(vcpu, r, out);
		return;
	}
	vcpu_complete_pending(vcpu);
	if (kind != KGA_READ)
		return;
	vcpu_ioctl(vcpu, KVM_GET_REGS, &regs);
	if (first)
		out->value = regs.rbx & 0xff;
	if ((regs.rdx & 0xff) || out->value != (int)(regs.rbx & 0xff))
		out->value = -1;
}

/* Fetch and execute one instruction at @gpa. */
static void run_exec(struct kvm_vcpu *vcpu, uint64_t gpa,
		     struct kvm_guest_outcome *out)
{
	struct kvm_run *run = vcpu_run_state(vcpu);
	struct kvm_regs regs = { .rflags = 0x2, .rsp = 0x7000 };
	int r;

	setup_sregs(vcpu, gpa, KVM_GUEST_STUB_GPA + STUB_SCRATCH);
	vcpu_ioctl(vcpu, KVM_SET_REGS, &regs);
	set_single_step(vcpu, true);
	r = __vcpu_run(vcpu);
	set_single_step(vcpu, false);
	if (r < 0) {
		note_exit(vcpu, r, out);
		return;
	}
	switch (run->exit_reason) {
	case KVM_EXIT_DEBUG:
	case KVM_EXIT_HLT:
	case KVM_EXIT_IO:
	case KVM_EXIT_SHUTDOWN:
		/*
		 * The instruction was fetched, which is all EXEC asks for.
		 * SHUTDOWN: it faulted (e.g. #UD) and, with no real-mode IVT
		 * in guest memory, the exception escalated to a triple fault;
		 * the next access reloads every register, so the vCPU is
		 * reusable.
		 */
		vcpu_complete_pending(vcpu);
		return;
	case KVM_EXIT_MMIO:
		/* A data access of that instruction, not the fetch itself. */
		if (run->mmio.phys_addr < gpa || run->mmio.phys_addr >= gpa + 16) {
			vcpu_complete_pending(vcpu);
			return;
		}
		break;
	default:
		break;
	}
	note_exit(vcpu, r, out);
}

/**
 * kvm_guest_access() - make a vCPU access guest memory
 * @vcpu: the vCPU (its VM must have the stub installed)
 * @kind: read, write or exec
 * @gpa: first byte
 * @len: bytes (read/write; exec ignores it)
 * @byte: value to store (write)
 * @out: the outcome
 *
 * Context: takes vcpu_lock(); blocks while the guest runs.
 * Return: 0 if the access was attempted, -EINVAL if it cannot be expressed
 * in real mode (range not below the stub at 4 GiB - 64 KiB).
 */
int kvm_guest_access(struct kvm_vcpu *vcpu, enum kvm_guest_access_kind kind,
		     uint64_t gpa, uint64_t len, uint8_t byte,
		     struct kvm_guest_outcome *out)
{
	uint64_t off;

	memset(out, 0, sizeof(*out));
	out->value = -2;
	if (kind == KGA_EXEC)
		len = 1;
	if (gpa >= KVM_GUEST_GPA_LIMIT || len > KVM_GUEST_GPA_LIMIT - gpa) {
		fprintf(stderr,
			"kvm backend: guest access [0x%llx, +0x%llx) is not below 0x%llx; "
			"the real-mode guest reaches only GPAs below 4 GiB minus its stub\n",
			(unsigned long long)gpa, (unsigned long long)len,
			KVM_GUEST_GPA_LIMIT);
		return -EINVAL;
	}

	vcpu_lock(vcpu);
	if (kind == KGA_EXEC) {
		run_exec(vcpu, gpa, out);
	} else {
		for (off = 0; off < len && !out->exited; off += CHUNK) {
			uint64_t n = len - off < CHUNK ? len - off : CHUNK;

			run_chunk(vcpu, kind, gpa + off, n, byte, out, off == 0);
		}
	}
	vcpu_unlock(vcpu);
	return 0;
}
