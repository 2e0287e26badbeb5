// SPDX-License-Identifier: GPL-2.0
/*
 * Checkers of the model backend (design.md "Checkers"):
 *
 *  - protocol (I-4): at quiescence no invalidation is in progress, no VM is
 *    bugged, mmu_invalidate_seq never went backwards; begin/end pairing and
 *    "end without a range" are KVM_BUG_ON/WARN in the model itself and
 *    reach us as reports;
 *  - bindings (I-5) and released files (I-6): every gmem slot's file
 *    pointer is NULL or a live guest_memfd of the same VM whose bindings map
 *    the slot's whole file range to that slot; both memslot sets agree;
 *  - SPTE side (I-2, attributes, I-3): kvm_mmu_check_invariants() of the
 *    x86 model;
 *  - contents: a shadow of what every backing page (file inode + index)
 *    may contain — the last write, or zero after a punch or before any
 *    write — checked on every guest and host read.  Racing writers/punches
 *    widen the accepted set instead of guessing an order.
 *
 * Lifetime/leak checks run in model_destroy() (model_backend.c).
 */
#include <stdlib.h>
#include <string.h>

#include <linux/kvm_host.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/mm_model.h>
#include <gmemsim/kvm_model.h>

#include "backend/model/model_internal.h"

/* ---- rmp: the host never touches a page an SNP guest owns ------------------ */

__thread bool model_in_guest_access;

/*
 * Every content access of the world (mm_world_set_content_hook): outside
 * the guest's own loads and stores, a guest-owned page in the RMP must not
 * be read or written (the hardware would raise an RMP fault): host mmap
 * accesses, pread/pwrite-like paths, the kernel zeroing or copying.
 */
static void model_rmp_content_hook(void *ctx, unsigned long pfn, bool write,
				   const char *site)
{
	if (model_in_guest_access || !snp_rmp_is_private(pfn))
		return;
	model_violation(ctx, "rmp", "host %s of guest-owned pfn %#lx (%s)",
			write ? "write" : "read", pfn, site);
}

/* ---- contents shadow ---------------------------------------------------- */

struct shadow_ent {
	u64 ino;		/* 0: empty slot */
	u64 index;
	u64 ok[4];		/* acceptable byte values */
	bool any;		/* unknown contents: accept everything */
	bool overlap;		/* racing updates seen: do not narrow */
	int inflight;		/* writes in progress */
	u32 discards;		/* bit i: active discard slot i covers this page */
};

struct shadow_discard {
	u64 ino, start, end;
	bool active;
};

#define SHADOW_DISCARDS	16

struct model_shadow {
	struct shadow_ent *tab;
	size_t cap, used;
	struct shadow_discard discards[SHADOW_DISCARDS];
	int discards_untracked;	/* in flight without a slot: any page may be hit */
	u64 last_seq[MODEL_MAX_VMS * 4];
};

static u64 shadow_hash(u64 ino, u64 index)
{
	u64 h = ino * 0x9e3779b97f4a7c15ULL ^ (index + 0x632be59bd9b4e019ULL);

	h ^= h >> 29;
	return h * 0xbf58476d1ce4e5b9ULL;
}

static void shadow_set_only(struct shadow_ent *e, int byte)
{
	memset(e->ok, 0, sizeof(e->ok));
	e->any = byte < 0;
	if (byte >= 0)
		e->ok[byte / 64] |= 1ULL << (byte % 64);
}

static void shadow_add(struct shadow_ent *e, int byte)
{
	if (byte < 0)
		e->any = true;
	else
		e->ok[byte / 64] |= 1ULL << (byte % 64);
}

static bool shadow_has(const struct shadow_ent *e, int byte)
{
	return e->any || (byte >= 0 && (e->ok[byte / 64] >> (byte % 64) & 1));
}

static int shadow_single(const struct shadow_ent *e)
{
	int i, v = -1;

	if (e->any)
		return -1;
	for (i = 0; i < 256; i++) {
		if (e->ok[i / 64] >> (i % 64) & 1) {
			if (v >= 0)
				return -1;
			v = i;
		}
	}
	return v;
}

static struct shadow_ent *shadow_lookup(struct model_shadow *s, u64 ino,
					u64 index, bool create)
{
	size_t i;

	if (create && (s->used + 1) * 2 > s->cap) {
		size_t ncap = s->cap ? s->cap * 2 : 32, j;
		struct shadow_ent *nt = calloc(ncap, sizeof(*nt));

		if (!nt)
			return NULL;
		for (j = 0; j < s->cap; j++) {
			struct shadow_ent *o = &s->tab[j];

			if (!o->ino)
				continue;
			for (i = shadow_hash(o->ino, o->index) & (ncap - 1); nt[i].ino;
			     i = (i + 1) & (ncap - 1))
				;
			nt[i] = *o;
		}
		free(s->tab);
		s->tab = nt;
		s->cap = ncap;
	}
	if (!s->cap)
		return NULL;
	for (i = shadow_hash(ino, index) & (s->cap - 1); s->tab[i].ino;
	     i = (i + 1) & (s->cap - 1)) {
		if (s->tab[i].ino == ino && s->tab[i].index == index)
			return &s->tab[i];
	}
	if (!create)
		return NULL;
	s->tab[i].ino = ino;
	s->tab[i].index = index;
	/* Never written: fresh pages read as zero. */
	shadow_set_only(&s->tab[i], 0);
	s->used++;
	return &s->tab[i];
}

/* The backing page of @pfn as (inode number, file index); false if none. */
static bool shadow_key(unsigned long pfn, u64 *ino, u64 *index)
{
	struct folio *folio = mm_pfn_folio_live(pfn);

	if (!folio || !folio->mapping || !folio->mapping->host)
		return false;
	*ino = folio->mapping->host->i_ino + 1;	/* 0 marks empty slots */
	*index = folio->index + (pfn - folio_pfn(folio));
	return true;
}

/*
 * The hole vfs_fallocate() is about to punch, bytes [@off, @off + @len) of
 * inode @ino (mm_world_set_punch_hook(): fallocate(2) and each VMA of a
 * MADV_REMOVE, found under mmap_lock just before, so a VMA mapped between
 * the call and the punch is covered).  The pages wholly inside are a
 * discard; a page only partly inside has that part zeroed
 * (truncate_inode_partial_folio()), a partial write of zero: page @first
 * if the hole starts inside it (@head), page @last if it ends inside
 * another one (@tail).
 */
struct punch_pages {
	unsigned long first, last, start, end;
	bool head, tail;
};

static void punch_pages(loff_t off, loff_t len, struct punch_pages *p)
{
	p->first = (unsigned long)off >> PAGE_SHIFT;
	p->last = (unsigned long)(off + len - 1) >> PAGE_SHIFT;
	p->start = DIV_ROUND_UP((unsigned long)off, PAGE_SIZE);
	p->end = (unsigned long)(off + len) >> PAGE_SHIFT;
	p->head = p->first < p->start || p->first >= p->end;
	p->tail = p->last >= p->end && p->last != p->first;
}

static int model_punch_begin(void *ctx, unsigned long ino, loff_t off, loff_t len)
{
	struct gmem_backend *b = ctx;
	struct punch_pages p;
	int slot = -1;

	punch_pages(off, len, &p);
	model_lock(b);
	if (p.head)
		model_shadow_zero_partial_begin(b, ino, p.first);
	if (p.tail)
		model_shadow_zero_partial_begin(b, ino, p.last);
	if (p.start < p.end)
		slot = model_shadow_discard_begin(b, ino, p.start, p.end);
	model_unlock(b);
	return slot;
}

/* A failed punch may have punched any part: zero and old stay acceptable. */
static void model_punch_end(void *ctx, int slot, unsigned long ino, loff_t off,
			    loff_t len, int err)
{
	struct gmem_backend *b = ctx;
	struct punch_pages p;

	punch_pages(off, len, &p);
	model_lock(b);
	if (p.start < p.end)
		model_shadow_discard_end(b, slot, err ? p.start : p.end);
	if (p.tail)
		model_shadow_zero_partial_end(b, ino, p.last);
	if (p.head)
		model_shadow_zero_partial_end(b, ino, p.first);
	model_unlock(b);
}

/**
 * model_shadow_init() - an empty contents shadow (every page reads zero).
 * @b: the world
 *
 * Context: world creation.
 */
void model_shadow_init(struct gmem_backend *b)
{
	b->shadow = calloc(1, sizeof(*b->shadow));
	mm_world_set_content_hook(b->mm, model_rmp_content_hook, b);
	mm_world_set_punch_hook(b->mm, model_punch_begin, model_punch_end, b);
}

/**
 * model_shadow_destroy() - free the contents shadow.
 * @b: the world
 *
 * Context: world teardown.
 */
void model_shadow_destroy(struct gmem_backend *b)
{
	if (!b->shadow)
		return;
	free(b->shadow->tab);
	free(b->shadow);
	b->shadow = NULL;
}

static bool shadow_in_discard(struct model_shadow *s, u64 ino, u64 index)
{
	int i;

	if (s->discards_untracked)
		return true;
	for (i = 0; i < SHADOW_DISCARDS; i++) {
		struct shadow_discard *d = &s->discards[i];

		if (d->active && d->ino == ino && index >= d->start && index < d->end)
			return true;
	}
	return false;
}

static void shadow_write_begin(struct model_shadow *s, u64 ino, u64 index,
			       bool whole, int byte)
{
	struct shadow_ent *e = shadow_lookup(s, ino, index, true);

	if (!e)
		return;
	if (e->inflight++ || e->discards || shadow_in_discard(s, ino, index))
		e->overlap = true;
	/* A partial write of a different value makes the page non-uniform. */
	if (!whole && shadow_single(e) != byte)
		e->any = true;
	shadow_add(e, byte);
}

/* No update of this page is in flight any more: later ones may narrow. */
static void shadow_settle(struct model_shadow *s, struct shadow_ent *e)
{
	if (!e->inflight && !e->discards && !shadow_in_discard(s, e->ino, e->index))
		e->overlap = false;
}

static void shadow_write_end(struct model_shadow *s, u64 ino, u64 index,
			     bool whole, int byte)
{
	struct shadow_ent *e = shadow_lookup(s, ino, index, false);

	if (!e)
		return;
	e->inflight--;
	if (!e->overlap && whole)
		shadow_set_only(e, byte);
	shadow_settle(s, e);
}

/**
 * model_shadow_write_begin() - a write of @byte to a page is starting.
 * @b: the world
 * @pfn: the page written
 * @off: offset in the page
 * @len: bytes
 * @byte: value, or -1 for "unknown bytes"
 *
 * Context: b->lock held.
 */
void model_shadow_write_begin(struct gmem_backend *b, unsigned long pfn,
			      unsigned int off, unsigned int len, int byte)
{
	u64 ino, index;

	if (b->shadow && shadow_key(pfn, &ino, &index))
		shadow_write_begin(b->shadow, ino, index, len == PAGE_SIZE, byte);
}

/**
 * model_shadow_write_end() - the write announced by model_shadow_write_begin()
 * is done; without a racing update the page now holds exactly @byte.
 * @b: the world
 * @pfn: the page written
 * @off: offset in the page
 * @len: bytes
 * @byte: value, or -1
 *
 * Context: b->lock held.
 */
void model_shadow_write_end(struct gmem_backend *b, unsigned long pfn,
			    unsigned int off, unsigned int len, int byte)
{
	u64 ino, index;

	if (b->shadow && shadow_key(pfn, &ino, &index))
		shadow_write_end(b->shadow, ino, index, len == PAGE_SIZE, byte);
}

/**
 * model_shadow_zero_partial_begin() - part of file page @index of inode
 * @ino is being zeroed: a punch hole that covers the page only in part
 * (truncate_inode_partial_folio()).  A partial write of zero: the page
 * stops being uniform unless it was all zero.
 * @b: the world
 * @ino: inode number
 * @index: page index
 *
 * Context: b->lock held.
 */
void model_shadow_zero_partial_begin(struct gmem_backend *b, unsigned long ino,
				     unsigned long index)
{
	if (b->shadow)
		shadow_write_begin(b->shadow, (u64)ino + 1, index, false, 0);
}

/**
 * model_shadow_zero_partial_end() - the zeroing model_shadow_zero_partial_begin()
 * announced is done (or did not happen: the punch failed).
 * @b: the world
 * @ino: inode number
 * @index: page index
 *
 * Context: b->lock held.
 */
void model_shadow_zero_partial_end(struct gmem_backend *b, unsigned long ino,
				   unsigned long index)
{
	if (b->shadow)
		shadow_write_end(b->shadow, (u64)ino + 1, index, false, 0);
}

/**
 * model_shadow_discard_begin() - file pages [@start, @end) of inode @ino are
 * being discarded (punch hole): zero becomes an accepted value.
 * @b: the world
 * @ino: inode number
 * @start: first page index
 * @end: page index after the last
 *
 * Context: b->lock held.
 * Return: the discard's slot, to hand to model_shadow_discard_end(); -1 if
 * none was free (every page then stays un-narrowed until that end).
 */
int model_shadow_discard_begin(struct gmem_backend *b, unsigned long ino,
			       unsigned long start, unsigned long end)
{
	struct model_shadow *s = b->shadow;
	int i, slot = -1;
	size_t j;

	if (!s)
		return -1;
	ino++;
	for (i = 0; i < SHADOW_DISCARDS; i++) {
		if (!s->discards[i].active) {
			s->discards[i] = (struct shadow_discard){ ino, start, end, true };
			slot = i;
			break;
		}
	}
	/* Out of slots: pages first seen during this discard must not narrow. */
	if (slot < 0)
		s->discards_untracked++;
	for (j = 0; j < s->cap; j++) {
		struct shadow_ent *e = &s->tab[j];

		if (e->ino != ino || e->index < start || e->index >= end)
			continue;
		/* Out of discard slots: never narrow this page again. */
		if (e->inflight || e->discards || slot < 0)
			e->overlap = true;
		if (slot >= 0)
			e->discards |= 1U << slot;
		shadow_add(e, 0);
	}
	return slot;
}

/**
 * model_shadow_discard_end() - the discard that model_shadow_discard_begin()
 * gave @slot is done; pages of its range below @end without a racing update
 * now read zero.
 * @b: the world
 * @slot: what model_shadow_discard_begin() returned
 * @end: page index after the last actually discarded (the range's start if
 *	the discard failed)
 *
 * The slot, not (inode, start), names the discard: two discards of one
 * file may start at the same page (a MADV_REMOVE of the first page racing
 * one of the whole file), and ending the wrong one would narrow the pages
 * the other is still punching.
 *
 * Context: b->lock held.
 */
void model_shadow_discard_end(struct gmem_backend *b, int slot, unsigned long end)
{
	struct model_shadow *s = b->shadow;
	struct shadow_discard d;
	size_t j;

	if (!s)
		return;
	if (slot < 0 || slot >= SHADOW_DISCARDS) {
		s->discards_untracked--;
		return;
	}
	if (!s->discards[slot].active)
		return;
	d = s->discards[slot];
	s->discards[slot].active = false;
	for (j = 0; j < s->cap; j++) {
		struct shadow_ent *e = &s->tab[j];

		if (e->ino != d.ino || e->index < d.start || e->index >= d.end)
			continue;
		e->discards &= ~(1U << slot);
		/* Pages written during the discard keep both values. */
		if (!e->overlap && e->index < end)
			shadow_set_only(e, 0);
		shadow_settle(s, e);
	}
}

/**
 * model_shadow_check_read() - check a read against the shadow; a mismatch,
 * a read of never-initialised or freed memory is a violation.
 * @b: the world
 * @pfn: the page read
 * @off: offset in the page
 * @len: bytes
 * @value: what mm_page_read() returned
 * @who: "guest_read" / "host_read"
 *
 * Context: b->lock held.
 */
void model_shadow_check_read(struct gmem_backend *b, unsigned long pfn,
			     unsigned int off, unsigned int len, int value,
			     const char *who)
{
	struct shadow_ent *e, fresh;
	u64 ino, index;

	if (value == MM_READ_UNINIT) {
		model_violation(b, "contents", "%s of pfn %#lx read never-initialised memory",
				who, pfn);
		return;
	}
	if (value == MM_READ_FREED || value == MM_READ_BADPFN) {
		model_violation(b, "stale-mapping", "%s of pfn %#lx read %s memory",
				who, pfn, value == MM_READ_FREED ? "freed" : "unallocated");
		return;
	}
	if (!b->shadow || !shadow_key(pfn, &ino, &index))
		return;
	e = shadow_lookup(b->shadow, ino, index, false);
	if (!e) {
		shadow_set_only(&fresh, 0);
		fresh.any = false;
		e = &fresh;
	}
	if (value == MM_READ_MIXED) {
		if (!e->any && shadow_single(e) >= 0)
			model_violation(b, "contents",
					"%s of file %llu page %llu: mixed bytes, expected all %#x",
					who, (unsigned long long)ino - 1,
					(unsigned long long)index, shadow_single(e));
		return;
	}
	if (!shadow_has(e, value))
		model_violation(b, "contents",
				"%s of file %llu page %llu returned %#x, expected %s%#x",
				who, (unsigned long long)ino - 1,
				(unsigned long long)index, value,
				shadow_single(e) >= 0 ? "" : "one of several incl. ",
				shadow_single(e) >= 0 ? shadow_single(e) : 0);
}

/* ---- quiescent checkers --------------------------------------------------- */

static void mmu_report(void *ctx, const char *checker, const char *msg)
{
	model_violation(ctx, checker, "%s", msg);
}

static void check_slot(struct gmem_backend *b, struct kvm *kvm,
		       struct kvm_memory_slot *slot)
{
	struct gmem_file *f;
	struct file *file;

	if (slot->flags & KVM_MEMSLOT_INVALID)
		model_violation(b, "protocol", "vm%d slot %d still INVALID at quiescence",
				kvm->sim_id, slot->id);
	if (!kvm_slot_has_gmem(slot))
		return;
	file = READ_ONCE(slot->gmem.file);
	if (!file)
		return;	/* released: faults will exit with -EFAULT */
	if (!kvm_gmem_is_gmem_file(file) || atomic_long_read(&file->f_count) <= 0) {
		model_violation(b, "released-file",
				"vm%d slot %d points at a released/foreign file (I-6)",
				kvm->sim_id, slot->id);
		return;
	}
	f = file->private_data;
	if (f->kvm != kvm)
		model_violation(b, "bindings", "vm%d slot %d bound to another VM's gmem (I-5)",
				kvm->sim_id, slot->id);
	if (xa_load(&f->bindings, slot->gmem.pgoff) != slot ||
	    xa_load(&f->bindings, slot->gmem.pgoff + slot->npages - 1) != slot)
		model_violation(b, "bindings",
				"vm%d slot %d: bindings[%lu..%lu] do not point back at the slot (I-5)",
				kvm->sim_id, slot->id, slot->gmem.pgoff,
				slot->gmem.pgoff + slot->npages - 1);
}

static void check_vm(struct gmem_backend *b, struct kvm *kvm)
{
	struct kvm_memory_slot *slot;
	int as, bkt;

	if (kvm->vm_bugged)
		model_violation(b, "protocol", "vm%d is bugged (KVM_BUG_ON fired)", kvm->sim_id);
	if (kvm->mmu_invalidate_in_progress)
		model_violation(b, "protocol", "vm%d: mmu_invalidate_in_progress=%ld at quiescence (I-4)",
				kvm->sim_id, kvm->mmu_invalidate_in_progress);
	if (kvm->sim_id >= 0 && kvm->sim_id < MODEL_MAX_VMS * 4 && b->shadow) {
		u64 *last = &b->shadow->last_seq[kvm->sim_id];

		if (kvm->mmu_invalidate_seq < *last)
			model_violation(b, "protocol", "vm%d: mmu_invalidate_seq went back %lu -> %lu",
					kvm->sim_id, (unsigned long)*last,
					kvm->mmu_invalidate_seq);
		*last = kvm->mmu_invalidate_seq;
	}

	for (as = 0; as < kvm->nr_memslot_as_ids; as++) {
		struct kvm_memslots *active = kvm->memslots[as];
		struct kvm_memslots *other = &kvm->__memslots[as][active->node_idx ^ 1];

		if (other->nr_slots != active->nr_slots ||
		    (active->nr_slots && memcmp(other->slots, active->slots,
						active->nr_slots * sizeof(active->slots[0]))))
			model_violation(b, "protocol", "vm%d as %d: memslot sets differ at quiescence",
					kvm->sim_id, as);
		kvm_for_each_memslot(slot, bkt, active)
			check_slot(b, kvm, slot);
	}

	kvm_mmu_check_invariants(kvm, mmu_report, b);
	kvm_gmem_check_invariants(kvm, mmu_report, b);
	kvm_gmem_hugetlb_check_invariants(kvm, mmu_report, b);
}

/**
 * model_run_checkers() - run the quiescent checkers on every live VM.
 * @b: the world (current on this thread)
 *
 * Context: no model thread is running.
 */
void model_run_checkers(struct gmem_backend *b)
{
	int i;

	for (i = 0; i < b->nvms; i++)
		check_vm(b, b->vms[i]);
	/* The RMP is the machine's, not a VM's. */
	snp_rmp_check(mmu_report, b);
}
