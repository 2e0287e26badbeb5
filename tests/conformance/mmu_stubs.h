/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A tiny stand-in for virt/kvm (and the host mm) so the x86 MMU model can
 * be unit-tested on its own: hand-built memslots, an interval list of
 * attributes, a pretend guest_memfd and GUP whose pfns are a function of
 * the gfn/hva, and an mmu_invalidate range recorder.
 *
 * Used only by tests/conformance/mmu_unit_*.c; the conformance tests run the
 * real generic model through conf_util instead.
 */
#ifndef GMEMSIM_MMU_STUBS_H
#define GMEMSIM_MMU_STUBS_H

#include <linux/kvm_host.h>

#define STUB_MAX_SLOTS		8
#define STUB_MAX_ATTR_RANGES	256
#define STUB_GMEM_PFN_BASE	0x10000000ULL	/* gmem pfn = base + gfn + gen * STUB_GMEM_GEN_STRIDE */
#define STUB_GMEM_GEN_STRIDE	0x1000000ULL
#define STUB_HOST_PFN_BASE	0x20000000ULL	/* host pfn = base + (hva >> 12) */

struct stub_attr_range {
	gfn_t start, end;
	unsigned long attrs;
};

struct stub_world {
	struct kvm *kvm;
	struct kvm_vcpu *vcpu;
	struct kvm_run run;
	struct kvm_memory_slot *slots[STUB_MAX_SLOTS];
	int nslots;
	struct stub_attr_range attrs[STUB_MAX_ATTR_RANGES];
	int nattrs;
	/* what the fake backends answer */
	int gmem_order;			/* max_order reported by kvm_gmem_get_pfn */
	unsigned long gmem_gen;		/* bumped by a "punch": gmem pfns move */
	int gmem_err;			/* if non-zero, kvm_gmem_get_pfn fails so */
	int gup_err;			/* if non-zero, GUP fails so */
	int host_level;			/* host_pfn_mapping_level() answer */
	unsigned long gmem_calls, gup_calls;
	/* a callback run inside kvm_gmem_get_pfn (to model races) */
	void (*in_get_pfn)(struct stub_world *w, gfn_t gfn);
	/* invalidation ranges added by the arch hooks */
	gfn_t inval_start, inval_end;
	int ninval_adds;
};

extern struct stub_world *stub_w;

struct stub_world *stub_world_new(unsigned long vm_type);
void stub_world_free(struct stub_world *w);
/* Create a slot; flags KVM_MEM_*; returns the slot or NULL (errno-style ret). */
struct kvm_memory_slot *stub_add_slot(struct stub_world *w, gfn_t base, unsigned long npages,
				      unsigned long uaddr, u32 flags, int *ret);
void stub_delete_slot(struct stub_world *w, struct kvm_memory_slot *slot);
/*
 * KVM_SET_MEMORY_ATTRIBUTES the way kvm_vm_set_mem_attributes() drives the
 * arch hooks: pre pass per slot (under mmu_lock write, invalidation begun),
 * store, post pass (mmu_lock write + slots_lock).
 */
void stub_set_attrs(struct stub_world *w, gfn_t start, gfn_t end, unsigned long attrs);
/* Attributes of one gfn from the interval list. */
unsigned long stub_get_attrs(struct stub_world *w, gfn_t gfn);
/* The pfn kvm_gmem_get_pfn() hands out for @gfn now. */
kvm_pfn_t stub_gmem_pfn(struct stub_world *w, gfn_t gfn);
/* A punch of one gfn: invalidate begin + zap + flush, new backing, end. */
void stub_punch(struct stub_world *w, gfn_t gfn);
/* Begin/end an invalidation by hand (to model an in-flight one). */
void stub_invalidate_begin(struct stub_world *w, gfn_t start, gfn_t end);
void stub_invalidate_end(struct stub_world *w);

/* Test seeds: parse "-s SEED" (default: time-based) and print it first. */
unsigned long stub_seed(int argc, char **argv);

#endif /* GMEMSIM_MMU_STUBS_H */
