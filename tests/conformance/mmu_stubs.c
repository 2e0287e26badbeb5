// SPDX-License-Identifier: GPL-2.0
/*
 * Stand-ins for virt/kvm and the host mm used by the x86 MMU unit tests
 * (see mmu_stubs.h).  The arch code under test is compiled into the test
 * executable together with this file, so none of the generic model's
 * objects get linked in.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <linux/kvm_host.h>
#include <linux/mm.h>
#include <linux/mm_model.h>

#include "mmu_stubs.h"

struct stub_world *stub_w;

static struct stub_world *world_of(struct kvm *kvm)
{
	return kvm->sim_private;
}

struct stub_world *stub_world_new(unsigned long vm_type)
{
	struct stub_world *w = calloc(1, sizeof(*w));
	struct kvm *kvm = calloc(1, sizeof(*kvm));
	struct kvm_vcpu *vcpu = calloc(1, sizeof(*vcpu));
	int r;

	/* each test asserts on its own WARN count */
	shim_report_reset();
	rwlock_init(&kvm->mmu_lock);
	mutex_init(&kvm->slots_lock);
	init_srcu_struct(&kvm->srcu);
	kvm->sim_private = w;
	kvm->mmu_invalidate_range_start = INVALID_GPA;
	kvm->mmu_invalidate_range_end = INVALID_GPA;
	r = kvm_arch_init_vm(kvm, vm_type);
	if (r) {
		free(vcpu);
		free(kvm);
		free(w);
		return NULL;
	}
	vcpu->kvm = kvm;
	vcpu->run = &w->run;
	kvm_arch_vcpu_create(vcpu);
	w->kvm = kvm;
	w->vcpu = vcpu;
	w->host_level = PG_LEVEL_4K;
	stub_w = w;
	return w;
}

void stub_world_free(struct stub_world *w)
{
	int i;

	kvm_arch_flush_shadow_all(w->kvm);
	for (i = 0; i < w->nslots; i++) {
		kvm_arch_free_memslot(w->kvm, w->slots[i]);
		free(w->slots[i]);
	}
	kvm_arch_vcpu_destroy(w->vcpu);
	kvm_arch_destroy_vm(w->kvm);
	cleanup_srcu_struct(&w->kvm->srcu);
	free(w->vcpu);
	free(w->kvm);
	if (stub_w == w)
		stub_w = NULL;
	free(w);
}

struct kvm_memory_slot *stub_add_slot(struct stub_world *w, gfn_t base, unsigned long npages,
				      unsigned long uaddr, u32 flags, int *ret)
{
	struct kvm_memory_slot *slot = calloc(1, sizeof(*slot));
	int r;

	slot->base_gfn = base;
	slot->npages = npages;
	slot->userspace_addr = uaddr;
	slot->flags = flags;
	slot->id = w->nslots;
	mutex_lock(&w->kvm->slots_lock);
	r = kvm_arch_prepare_memory_region(w->kvm, NULL, slot, KVM_MR_CREATE);
	mutex_unlock(&w->kvm->slots_lock);
	if (ret)
		*ret = r;
	if (r) {
		free(slot);
		return NULL;
	}
	w->slots[w->nslots++] = slot;
	return slot;
}

void stub_delete_slot(struct stub_world *w, struct kvm_memory_slot *slot)
{
	int i;

	kvm_arch_flush_shadow_memslot(w->kvm, slot);
	for (i = 0; i < w->nslots; i++) {
		if (w->slots[i] == slot) {
			w->slots[i] = w->slots[--w->nslots];
			break;
		}
	}
	kvm_arch_free_memslot(w->kvm, slot);
	free(slot);
}

unsigned long stub_get_attrs(struct stub_world *w, gfn_t gfn)
{
	int i;

	for (i = w->nattrs - 1; i >= 0; i--) {
		if (gfn >= w->attrs[i].start && gfn < w->attrs[i].end)
			return w->attrs[i].attrs;
	}
	return 0;
}

void stub_invalidate_begin(struct stub_world *w, gfn_t start, gfn_t end)
{
	struct kvm *kvm = w->kvm;

	write_lock(&kvm->mmu_lock);
	kvm->mmu_invalidate_in_progress++;
	if (kvm->mmu_invalidate_in_progress == 1) {
		kvm->mmu_invalidate_range_start = INVALID_GPA;
		kvm->mmu_invalidate_range_end = INVALID_GPA;
	}
	kvm_mmu_invalidate_range_add(kvm, start, end);
	write_unlock(&kvm->mmu_lock);
}

void stub_invalidate_end(struct stub_world *w)
{
	struct kvm *kvm = w->kvm;

	write_lock(&kvm->mmu_lock);
	kvm->mmu_invalidate_seq++;
	kvm->mmu_invalidate_in_progress--;
	write_unlock(&kvm->mmu_lock);
}

kvm_pfn_t stub_gmem_pfn(struct stub_world *w, gfn_t gfn)
{
	return STUB_GMEM_PFN_BASE + gfn + READ_ONCE(w->gmem_gen) * STUB_GMEM_GEN_STRIDE;
}

void stub_punch(struct stub_world *w, gfn_t gfn)
{
	struct kvm *kvm = w->kvm;
	struct kvm_gfn_range range = {
		.start = gfn, .end = gfn + 1,
		.attr_filter = KVM_FILTER_PRIVATE, .may_block = true,
	};

	range.slot = kvm_vcpu_gfn_to_memslot(w->vcpu, gfn);
	write_lock(&kvm->mmu_lock);
	WRITE_ONCE(kvm->mmu_invalidate_in_progress, kvm->mmu_invalidate_in_progress + 1);
	WRITE_ONCE(kvm->mmu_invalidate_range_start, gfn);
	WRITE_ONCE(kvm->mmu_invalidate_range_end, gfn + 1);
	if (range.slot && kvm_unmap_gfn_range(kvm, &range))
		kvm_flush_remote_tlbs(kvm);
	write_unlock(&kvm->mmu_lock);
	sched_point("TRUNCATE");
	WRITE_ONCE(w->gmem_gen, w->gmem_gen + 1);
	write_lock(&kvm->mmu_lock);
	WRITE_ONCE(kvm->mmu_invalidate_seq, kvm->mmu_invalidate_seq + 1);
	WRITE_ONCE(kvm->mmu_invalidate_in_progress, kvm->mmu_invalidate_in_progress - 1);
	write_unlock(&kvm->mmu_lock);
}

void stub_set_attrs(struct stub_world *w, gfn_t start, gfn_t end, unsigned long attrs)
{
	struct kvm *kvm = w->kvm;
	bool flush = false, begun = false;
	int i;

	mutex_lock(&kvm->slots_lock);
	write_lock(&kvm->mmu_lock);
	for (i = 0; i < w->nslots; i++) {
		struct kvm_memory_slot *s = w->slots[i];
		struct kvm_gfn_range range = {
			.slot = s,
			.start = max(start, s->base_gfn),
			.end = min(end, s->base_gfn + s->npages),
			.arg.attributes = attrs,
			.attr_filter = KVM_FILTER_SHARED | KVM_FILTER_PRIVATE,
			.may_block = true,
		};

		if (range.start >= range.end)
			continue;
		if (!begun) {
			kvm->mmu_invalidate_in_progress++;
			kvm->mmu_invalidate_range_start = INVALID_GPA;
			kvm->mmu_invalidate_range_end = INVALID_GPA;
			begun = true;
		}
		kvm_mmu_invalidate_range_add(kvm, range.start, range.end);
		flush |= kvm_arch_pre_set_memory_attributes(kvm, &range);
	}
	if (flush)
		kvm_flush_remote_tlbs(kvm);
	write_unlock(&kvm->mmu_lock);

	/* store (the real model uses multi-index xarray entries) */
	if (w->nattrs < STUB_MAX_ATTR_RANGES)
		w->attrs[w->nattrs++] = (struct stub_attr_range){ start, end, attrs };

	write_lock(&kvm->mmu_lock);
	if (begun) {
		kvm->mmu_invalidate_seq++;
		kvm->mmu_invalidate_in_progress--;
	}
	for (i = 0; i < w->nslots; i++) {
		struct kvm_memory_slot *s = w->slots[i];
		struct kvm_gfn_range range = {
			.slot = s,
			.start = max(start, s->base_gfn),
			.end = min(end, s->base_gfn + s->npages),
			.arg.attributes = attrs,
			.attr_filter = KVM_FILTER_SHARED | KVM_FILTER_PRIVATE,
		};

		if (range.start >= range.end)
			continue;
		kvm_arch_post_set_memory_attributes(kvm, &range);
	}
	write_unlock(&kvm->mmu_lock);
	mutex_unlock(&kvm->slots_lock);
}

unsigned long stub_seed(int argc, char **argv)
{
	unsigned long seed = (unsigned long)time(NULL);
	int i;

	for (i = 1; i + 1 < argc; i++) {
		if (!strcmp(argv[i], "-s"))
			seed = strtoul(argv[i + 1], NULL, 0);
	}
	printf("seed: %lu\n", seed);
	fflush(stdout);
	return seed;
}

/* ---- the generic KVM side ---- */

unsigned long kvm_get_memory_attributes(struct kvm *kvm, gfn_t gfn)
{
	return stub_get_attrs(world_of(kvm), gfn);
}

bool kvm_range_has_memory_attributes(struct kvm *kvm, gfn_t start, gfn_t end,
				     unsigned long mask, unsigned long attrs)
{
	gfn_t gfn;

	mask &= KVM_MEMORY_ATTRIBUTE_PRIVATE;
	if (attrs & ~mask)
		return false;
	for (gfn = start; gfn < end; gfn++) {
		if ((stub_get_attrs(world_of(kvm), gfn) & mask) != attrs)
			return false;
	}
	return true;
}

void kvm_mmu_invalidate_range_add(struct kvm *kvm, gfn_t start, gfn_t end)
{
	struct stub_world *w = world_of(kvm);

	lockdep_assert_held_write(&kvm->mmu_lock);
	WARN_ON_ONCE(!kvm->mmu_invalidate_in_progress);
	if (kvm->mmu_invalidate_range_start == INVALID_GPA) {
		kvm->mmu_invalidate_range_start = start;
		kvm->mmu_invalidate_range_end = end;
	} else {
		kvm->mmu_invalidate_range_start = min(kvm->mmu_invalidate_range_start, start);
		kvm->mmu_invalidate_range_end = max(kvm->mmu_invalidate_range_end, end);
	}
	w->inval_start = kvm->mmu_invalidate_range_start;
	w->inval_end = kvm->mmu_invalidate_range_end;
	w->ninval_adds++;
}

void kvm_flush_remote_tlbs(struct kvm *kvm)
{
	kvm_arch_flush_remote_tlbs(kvm);
}

void kvm_vm_bugged(struct kvm *kvm)
{
	kvm->vm_bugged = true;
}

struct kvm_memory_slot *kvm_vcpu_gfn_to_memslot(struct kvm_vcpu *vcpu, gfn_t gfn)
{
	struct stub_world *w = world_of(vcpu->kvm);
	int i;

	for (i = 0; i < w->nslots; i++) {
		struct kvm_memory_slot *s = w->slots[i];

		if (gfn >= s->base_gfn && gfn < s->base_gfn + s->npages)
			return s;
	}
	return NULL;
}

int kvm_gmem_get_pfn(struct kvm *kvm, struct kvm_memory_slot *slot, gfn_t gfn,
		     kvm_pfn_t *pfn, struct page **page, int *max_order)
{
	struct stub_world *w = world_of(kvm);

	__atomic_fetch_add(&w->gmem_calls, 1, __ATOMIC_RELAXED);
	if (w->in_get_pfn)
		w->in_get_pfn(w, gfn);
	if (w->gmem_err)
		return w->gmem_err;
	*pfn = stub_gmem_pfn(w, gfn);
	*page = NULL;		/* no reference to drop in the stub */
	*max_order = w->gmem_order;
	/* Like kvm_gmem_get_pfn(): SNP's prepare fills the RMP for the folio. */
	if (kvm->arch.vm_type == KVM_X86_SNP_VM) {
		u64 mask = (1ULL << w->gmem_order) - 1;

		return kvm_arch_gmem_prepare(kvm, gfn & ~mask, *pfn & ~mask, w->gmem_order);
	}
	return 0;
}

/* ---- the host mm side ---- */

struct mm_struct *current_mm(void)
{
	return NULL;
}

/* GUP hands out entries of a small ring of zeroed struct pages. */
#define STUB_NR_PAGES	64
static struct page stub_pages[STUB_NR_PAGES];
static unsigned long stub_page_pfn[STUB_NR_PAGES];
static unsigned int stub_page_next;

long get_user_pages_fast(unsigned long start, int nr_pages, unsigned int gup_flags,
			 struct page **pages)
{
	struct stub_world *w = stub_w;
	unsigned int i = __atomic_fetch_add(&stub_page_next, 1, __ATOMIC_RELAXED) % STUB_NR_PAGES;

	__atomic_fetch_add(&w->gup_calls, 1, __ATOMIC_RELAXED);
	if (w->gup_err)
		return w->gup_err;
	stub_page_pfn[i] = STUB_HOST_PFN_BASE + (start >> PAGE_SHIFT);
	pages[0] = &stub_pages[i];
	return 1;
}

unsigned long page_to_pfn(const struct page *page)
{
	return stub_page_pfn[page - stub_pages];
}

void mm_folio_put_refs(struct folio *folio, int refs, const char *site)
{
}

int host_pfn_mapping_level(struct mm_struct *mm, unsigned long addr)
{
	return stub_w->host_level;
}

/* ---- proposed designs the arch code asks about (HugeTLB gmem, SNP RMP) ---- */

bool kvm_gmem_slot_has_huge_folios(const struct kvm_memory_slot *slot)
{
	return false;
}

struct kvm_memory_slot *gfn_to_memslot(struct kvm *kvm, gfn_t gfn)
{
	struct stub_world *w = world_of(kvm);
	int i;

	for (i = 0; i < w->nslots; i++) {
		struct kvm_memory_slot *s = w->slots[i];

		if (gfn >= s->base_gfn && gfn < s->base_gfn + s->npages)
			return s;
	}
	return NULL;
}

static DEFINE_XARRAY(stub_rmp);

struct xarray *mm_world_rmp(void)
{
	return &stub_rmp;
}

struct folio *mm_pfn_folio_live(unsigned long pfn)
{
	return NULL;
}
