/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Models include/linux/kvm_host.h (ML-7.1, torvalds/linux @01f492e1): the
 * generic KVM structures virt/kvm and arch/x86/kvm share.  Only what the
 * guest_memfd / memory-attributes subsystem needs is modelled; names, field
 * names and argument orders follow the kernel so a patch ports by name.
 *
 * Layout decisions (differences from the kernel, each for a reason):
 *  - struct kvm_memslots is a sorted array of slot pointers plus an
 *    id-indexed table instead of rbtrees/hash; two sets per address space
 *    and the active-pointer swap + synchronize_srcu() protocol are kept
 *    exactly (kvm_swap_active_memslots), because that protocol is what
 *    vCPU faults race against.
 *  - struct kvm_run is the model's own (the system uapi header is too old to
 *    carry memory_fault); only the exit fields the model fills exist.
 */
#ifndef _LINUX_KVM_HOST_H
#define _LINUX_KVM_HOST_H

#include <linux/types.h>
#include <linux/kernel.h>
#include <linux/bug.h>
#include <linux/err.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/rwlock.h>
#include <linux/srcu.h>
#include <linux/refcount.h>
#include <linux/atomic.h>
#include <linux/xarray.h>
#include <linux/kvm_types.h>
#include <uapi/linux/kvm_gmem.h>

#include <asm/kvm_host.h>

/* ---- constants -------------------------------------------------------- */

/*
 * Two address spaces (x86 normal + SMM); a VM uses nr_memslot_as_ids of
 * them (1 for VMs with protected state, like kvm_arch_nr_memslot_as_ids()).
 */
#ifndef KVM_MAX_NR_ADDRESS_SPACES
#define KVM_MAX_NR_ADDRESS_SPACES	2
#endif
#ifndef KVM_USER_MEM_SLOTS
#define KVM_USER_MEM_SLOTS		32764	/* x86 KVM_CAP_NR_MEMSLOTS */
#endif
#ifndef KVM_INTERNAL_MEM_SLOTS
#define KVM_INTERNAL_MEM_SLOTS		3
#endif
#define KVM_MEM_SLOTS_NUM		(KVM_USER_MEM_SLOTS + KVM_INTERNAL_MEM_SLOTS)
#ifndef KVM_MAX_VCPUS
#define KVM_MAX_VCPUS			64
#endif

/* Internal memslot flags, above the uapi KVM_MEM_* bits. */
#define KVM_MEMSLOT_INVALID		(1UL << 16)
#define KVM_MEMSLOT_GMEM_ONLY		(1UL << 17)
/* Proposed (spec §6.3): bound to an in-place gmem; attributes come from it. */
#define KVM_MEMSLOT_GMEM_IN_PLACE	(1UL << 18)

#ifndef KVM_MEM_MAX_NR_PAGES
#define KVM_MEM_MAX_NR_PAGES		((1UL << 31) - 1)
#endif

#ifndef INVALID_GPA
#define INVALID_GPA			(~(gpa_t)0)
#endif

/* Values of the model's own kvm_run (uapi values, spec §0.1). */
#ifndef KVM_EXIT_UNKNOWN
#define KVM_EXIT_UNKNOWN		0
#define KVM_EXIT_MMIO			6
#define KVM_EXIT_SHUTDOWN		8
#define KVM_EXIT_INTERNAL_ERROR		17
#endif
#ifndef KVM_EXIT_EXCEPTION
#define KVM_EXIT_EXCEPTION		1	/* model: TDX #VE (unaccepted page) */
#endif
#ifndef KVM_EXIT_MEMORY_FAULT
#define KVM_EXIT_MEMORY_FAULT		39
#endif
#ifndef KVM_MEMORY_EXIT_FLAG_PRIVATE
#define KVM_MEMORY_EXIT_FLAG_PRIVATE	(1ULL << 3)
#endif

/*
 * struct kvm_run: the part of the vCPU's shared run page the model fills.
 * Field names match the uapi so code reading run->memory_fault.gpa ports.
 */
struct kvm_run {
	__u32 exit_reason;
	union {
		struct {
			__u64 flags;
			__u64 gpa;
			__u64 size;
		} memory_fault;
		struct {
			__u64 phys_addr;
			__u8  data[8];
			__u32 len;
			__u8  is_write;
		} mmio;
		struct {
			__u32 suberror;
		} internal;
	};
};

/* ---- memslots ---------------------------------------------------------- */

struct kvm_memory_slot {
	gfn_t base_gfn;
	unsigned long npages;
	struct kvm_arch_memory_slot arch;
	unsigned long userspace_addr;
	u32 flags;
	short id;
	u16 as_id;

	/*
	 * The gmem binding.  @file is a plain pointer (no reference is held,
	 * spec §1.10 step 8); it is only written under kvm->slots_lock, which
	 * is what makes release vs. unbind safe (spec B-03).
	 */
	struct {
		struct file *file;
		pgoff_t pgoff;
	} gmem;
};

/*
 * One memslot set.  @slots is sorted by base_gfn (non-overlapping), @id_map
 * maps a slot id to the slot (grown on demand).  A set is written only while
 * it is inactive (not what kvm->memslots[] points at) under slots_arch_lock.
 */
struct kvm_memslots {
	u64 generation;
	int nr_slots;
	int cap_slots;
	struct kvm_memory_slot **slots;
	int nr_ids;
	struct kvm_memory_slot **id_map;
	int node_idx;
};

enum kvm_mr_change {
	KVM_MR_CREATE,
	KVM_MR_DELETE,
	KVM_MR_MOVE,
	KVM_MR_FLAGS_ONLY,
};

/* ---- gfn ranges handed to arch hooks ----------------------------------- */

union kvm_mmu_notifier_arg {
	unsigned long attributes;
};

enum kvm_gfn_range_filter {
	KVM_FILTER_SHARED		= BIT(0),
	KVM_FILTER_PRIVATE		= BIT(1),
};

struct kvm_gfn_range {
	struct kvm_memory_slot *slot;
	gfn_t start;
	gfn_t end;
	union kvm_mmu_notifier_arg arg;
	enum kvm_gfn_range_filter attr_filter;
	bool may_block;
	bool lockless;
};

/* ---- vCPU and VM ------------------------------------------------------- */

struct kvm_vcpu {
	struct kvm *kvm;
	int vcpu_id;
	int vcpu_idx;
	struct mutex mutex;
	struct kvm_run *run;
	int srcu_idx;
	struct kvm_vcpu_arch arch;
};

struct kvm_gmem_ops;

struct kvm {
	/* mmu_lock: rwlock on x86 (KVM_HAVE_MMU_RWLOCK). */
	rwlock_t mmu_lock;
	struct mutex slots_lock;
	/* Protects the inactive memslot set while it is being rebuilt. */
	struct mutex slots_arch_lock;
	struct mutex lock;

	struct kvm_memslots __rcu *memslots[KVM_MAX_NR_ADDRESS_SPACES];
	struct kvm_memslots __memslots[KVM_MAX_NR_ADDRESS_SPACES][2];
	u64 nr_memslot_pages;
	int nr_memslot_as_ids;

	struct kvm_vcpu *vcpus[KVM_MAX_VCPUS];
	atomic_t online_vcpus;

	struct srcu_struct srcu;
	refcount_t users_count;

	/* mmu_invalidate protocol, spec §2.3. */
	unsigned long mmu_invalidate_seq;
	long mmu_invalidate_in_progress;
	gfn_t mmu_invalidate_range_start;
	gfn_t mmu_invalidate_range_end;
	long mn_active_invalidate_count;
	spinlock_t mn_invalidate_lock;
	struct mm_struct *mm;		/* the creating process's mm (notifiers) */
	/* Checker bookkeeping: was a range added since the last begin? */
	bool mmu_invalidate_range_added;

	/* gfn -> attribute mask, multi-index entries for large ranges. */
	struct xarray mem_attr_array;
	/* Proposed (spec §6.3): some slot is bound to an in-place gmem. */
	bool gmem_in_place;

	bool vm_bugged;
	bool vm_dead;

	struct kvm_arch arch;

	/* Model-only: kernel profile (KVM_PROFILE_*), owner world, stable id. */
	int profile;
	unsigned long model_bugs;	/* KVM_ZOO_* defects injected (bug zoo) */
	void *sim_private;
	int sim_id;
};

/*
 * Bug zoo (backend_opts.inject): known-wrong variants of the model, each a
 * defect the checkers must catch.  Never set unless injected.
 */
enum kvm_model_zoo {
	KVM_ZOO_PUNCH_NO_INVALIDATE	= BIT(0),	/* punch skips begin/end: stale SPTEs */
	KVM_ZOO_UNBIND_SKIP_DYING	= BIT(1),	/* pre-fix unbind: dangling bindings */
	KVM_ZOO_INVALIDATE_END_NO_SEQ	= BIT(2),	/* end forgets seq++: stale installs */
	KVM_ZOO_RELEASE_KEEP_SLOT_FILE	= BIT(3),	/* release leaves slot->gmem.file */
	KVM_ZOO_PUNCH_TRUNCATE_FIRST	= BIT(4),	/* punch truncates, then begins */
	KVM_ZOO_PUNCH_NO_END		= BIT(5),	/* punch never ends its invalidation */
	KVM_ZOO_ATTR_STORE_BEFORE_ZAP	= BIT(6),	/* attributes stored, then zapped */
	KVM_ZOO_INVALIDATE_NO_RANGE	= BIT(7),	/* gmem zap without range_add */
	KVM_ZOO_B16_BIND_SIGNED		= BIT(8),	/* bind bounds check in signed loff_t */
	KVM_ZOO_RELEASE_NO_ZAP		= BIT(9),	/* release keeps the guest mappings */
	KVM_ZOO_B09_GET_FOLIO_NULL	= BIT(10),	/* get_pfn checks get_folio for NULL only */
	KVM_ZOO_B21_TRUNCATE_PRIVATE	= BIT(11),	/* partial truncate zeroes private pages */
	KVM_ZOO_B07_PRIVATE_FILTER	= BIT(12),	/* INIT_SHARED gmem zapped as PRIVATE */
};

/* Proposed designs (gmem_inplace.c, gmem_link.c); high bits, apart from the above. */
#define KVM_ZOO_CONVERT_NO_REFCOUNT	BIT(24)	/* to-private without the refcount check */
#define KVM_ZOO_INVALIDATE_ONE_FILE	BIT(25)	/* inode invalidation reaches one file only */
/* HugeTLB gmem (gmem_hugetlb.c, spec §6.4). */
#define KVM_ZOO_HUGETLB_SPLIT_NO_ZAP	BIT(28)	/* a partial zap keeps the huge SPTE */
#define KVM_ZOO_HUGETLB_MERGE_SHARED	BIT(29)	/* merge with shared pages in the range */

static inline bool kvm_model_zoo(const struct kvm *kvm, unsigned long defect)
{
	return kvm && (kvm->model_bugs & defect);
}

/* Kernel versions the model can behave as (spec §0; backend_opts.profile). */
enum kvm_model_profile {
	KVM_PROFILE_6_18,
	KVM_PROFILE_7_1,	/* default */
	KVM_PROFILE_7_2,	/* 7.1 + the 7.2-queued fixes (B-16, B-17) */
};

/* ---- VM lifetime (kvm_main.c) ------------------------------------------ */

struct kvm *kvm_create_vm(unsigned long type, int profile);
void kvm_get_kvm(struct kvm *kvm);
bool kvm_get_kvm_safe(struct kvm *kvm);
void kvm_put_kvm(struct kvm *kvm);
void kvm_destroy_vm(struct kvm *kvm);
/*
 * Model hooks: mmu_notifier_register() at creation (0 or -errno), and the
 * unregistration just before the VM is freed (backend checks).
 */
extern int (*kvm_create_vm_notify)(struct kvm *kvm);
extern void (*kvm_destroy_vm_notify)(struct kvm *kvm);

struct kvm_vcpu *kvm_vm_ioctl_create_vcpu(struct kvm *kvm, unsigned long id);
void kvm_vcpu_destroy(struct kvm_vcpu *vcpu);

/* ---- ioctls (kvm_main.c); return 0 / value or negative errno ------------ */

int kvm_vm_ioctl_set_memory_region(struct kvm *kvm,
				   const struct kvm_userspace_memory_region2 *mem);
int kvm_set_memory_region(struct kvm *kvm,
			  const struct kvm_userspace_memory_region2 *mem);
int __kvm_set_memory_region(struct kvm *kvm,
			    const struct kvm_userspace_memory_region2 *mem);
int kvm_vm_ioctl_set_mem_attributes(struct kvm *kvm,
				    const struct kvm_memory_attributes *attrs);
long kvm_vm_ioctl_check_extension_generic(struct kvm *kvm, long arg);
long kvm_vcpu_pre_fault_memory(struct kvm_vcpu *vcpu,
			       struct kvm_pre_fault_memory *range);

/* ---- memslot lookup ----------------------------------------------------- */

struct kvm_memslots *__kvm_memslots(struct kvm *kvm, int as_id);
struct kvm_memslots *kvm_memslots(struct kvm *kvm);
struct kvm_memslots *kvm_vcpu_memslots(struct kvm_vcpu *vcpu);
struct kvm_memory_slot *id_to_memslot(struct kvm_memslots *slots, int id);
struct kvm_memory_slot *__gfn_to_memslot(struct kvm_memslots *slots, gfn_t gfn);
struct kvm_memory_slot *gfn_to_memslot(struct kvm *kvm, gfn_t gfn);
struct kvm_memory_slot *kvm_vcpu_gfn_to_memslot(struct kvm_vcpu *vcpu, gfn_t gfn);

static inline bool kvm_memslots_empty(struct kvm_memslots *slots)
{
	return slots->nr_slots == 0;
}

/*
 * kvm_for_each_memslot(memslot, bkt, slots): every slot of a set in gfn
 * order.  The caller holds kvm->srcu or slots_lock.
 */
#define kvm_for_each_memslot(memslot, bkt, __slots)			\
	for ((bkt) = 0;							\
	     (bkt) < (__slots)->nr_slots &&				\
	     ((memslot) = (__slots)->slots[(bkt)], 1);			\
	     (bkt)++)

/* First index in @slots whose slot ends after @start (binary search). */
int kvm_memslots_first_in_range(struct kvm_memslots *slots, gfn_t start);

/*
 * kvm_for_each_memslot_in_gfn_range(memslot, bkt, slots, start, end):
 * every slot intersecting [start, end), in gfn order.
 */
#define kvm_for_each_memslot_in_gfn_range(memslot, bkt, __slots, start, end)	\
	for ((bkt) = kvm_memslots_first_in_range((__slots), (start));		\
	     (bkt) < (__slots)->nr_slots &&					\
	     ((memslot) = (__slots)->slots[(bkt)], (memslot)->base_gfn < (end)); \
	     (bkt)++)

static inline unsigned long
__gfn_to_hva_memslot(const struct kvm_memory_slot *slot, gfn_t gfn)
{
	return slot->userspace_addr + (gfn - slot->base_gfn) * PAGE_SIZE;
}

/* Return: the HVA of @gfn in @slot (no INVALID/range checks, like the kernel's). */
static inline unsigned long gfn_to_hva_memslot(struct kvm_memory_slot *slot,
					       gfn_t gfn)
{
	return __gfn_to_hva_memslot(slot, gfn);
}

/* The kernel's KVM_HVA_ERR_BAD is PAGE_OFFSET: the first kernel address. */
#define KVM_HVA_ERR_BAD		(0xffff800000000000UL)

static inline bool kvm_is_error_hva(unsigned long addr)
{
	return addr >= KVM_HVA_ERR_BAD;
}

static inline bool kvm_slot_has_gmem(const struct kvm_memory_slot *slot)
{
	return slot && (slot->flags & KVM_MEM_GUEST_MEMFD);
}

static inline bool kvm_memslot_is_gmem_only(const struct kvm_memory_slot *slot)
{
	return slot->flags & KVM_MEMSLOT_GMEM_ONLY;
}

static inline bool kvm_is_visible_memslot(struct kvm_memory_slot *memslot)
{
	return memslot && memslot->id < KVM_USER_MEM_SLOTS &&
	       !(memslot->flags & KVM_MEMSLOT_INVALID);
}

static inline gpa_t gfn_to_gpa(gfn_t gfn)
{
	return (gpa_t)gfn << PAGE_SHIFT;
}

static inline gfn_t gpa_to_gfn(gpa_t gpa)
{
	return (gfn_t)(gpa >> PAGE_SHIFT);
}

/* ---- mmu_invalidate protocol (kvm_main.c, spec §2.3) ------------------- */

void kvm_mmu_invalidate_begin(struct kvm *kvm);
void kvm_mmu_invalidate_range_add(struct kvm *kvm, gfn_t start, gfn_t end);
void kvm_mmu_invalidate_end(struct kvm *kvm);
bool kvm_mmu_unmap_gfn_range(struct kvm *kvm, struct kvm_gfn_range *range);

/**
 * mmu_invalidate_retry_gfn() - must a fault on @gfn that snapshotted
 * @mmu_seq before looking up its pfn be retried?
 * @kvm: the VM
 * @mmu_seq: kvm->mmu_invalidate_seq read before the pfn lookup
 * @gfn: the faulting gfn
 *
 * Context: kvm->mmu_lock held (read or write).
 * Return: true if an invalidation covering @gfn is in progress (or one in
 * progress has not yet recorded its range) or one completed since @mmu_seq.
 */
static inline bool mmu_invalidate_retry_gfn(struct kvm *kvm,
					    unsigned long mmu_seq, gfn_t gfn)
{
	lockdep_assert_held(&kvm->mmu_lock);
	if (unlikely(kvm->mmu_invalidate_in_progress)) {
		/* Begin without a range yet: retry, and say so. */
		if (WARN_ON_ONCE(kvm->mmu_invalidate_range_start == INVALID_GPA))
			return true;
		if (gfn >= kvm->mmu_invalidate_range_start &&
		    gfn < kvm->mmu_invalidate_range_end)
			return true;
	}
	if (kvm->mmu_invalidate_seq != mmu_seq)
		return true;
	return false;
}

/**
 * mmu_invalidate_retry_gfn_unsafe() - lockless version of
 * mmu_invalidate_retry_gfn(), an early-out only.
 * @kvm: the VM
 * @mmu_seq: the fault's snapshot of mmu_invalidate_seq
 * @gfn: the faulting gfn
 *
 * Context: any; no lock required, no WARN (the range may be half-written).
 * Return: true if the fault would very likely have to retry.
 */
static inline bool mmu_invalidate_retry_gfn_unsafe(struct kvm *kvm,
						   unsigned long mmu_seq,
						   gfn_t gfn)
{
	if (READ_ONCE(kvm->mmu_invalidate_seq) != mmu_seq)
		return true;
	return READ_ONCE(kvm->mmu_invalidate_in_progress) &&
	       gfn >= READ_ONCE(kvm->mmu_invalidate_range_start) &&
	       gfn < READ_ONCE(kvm->mmu_invalidate_range_end);
}

void kvm_mmu_notifier_invalidate_range_start(struct kvm *kvm, unsigned long start,
					     unsigned long end);
void kvm_mmu_notifier_invalidate_range_end(struct kvm *kvm, unsigned long start,
					   unsigned long end);

void kvm_flush_remote_tlbs(struct kvm *kvm);
void kvm_flush_remote_tlbs_memslot(struct kvm *kvm,
				   const struct kvm_memory_slot *memslot);

/* ---- memory attributes (kvm_main.c / attributes.c, spec §2.4) ---------- */

u64 kvm_supported_mem_attributes(struct kvm *kvm);
unsigned long kvm_get_memory_attributes(struct kvm *kvm, gfn_t gfn);
bool kvm_range_has_memory_attributes(struct kvm *kvm, gfn_t start, gfn_t end,
				     unsigned long mask, unsigned long attrs);
int kvm_vm_set_mem_attributes(struct kvm *kvm, gfn_t start, gfn_t end,
			      unsigned long attributes);

static inline bool kvm_mem_is_private(struct kvm *kvm, gfn_t gfn)
{
	return kvm_get_memory_attributes(kvm, gfn) & KVM_MEMORY_ATTRIBUTE_PRIVATE;
}

/* ---- memory-fault exit (spec §2.7) -------------------------------------- */

static inline void kvm_prepare_memory_fault_exit(struct kvm_vcpu *vcpu,
						 gpa_t gpa, gpa_t size,
						 bool is_write, bool is_exec,
						 bool is_private)
{
	vcpu->run->exit_reason = KVM_EXIT_MEMORY_FAULT;
	vcpu->run->memory_fault.gpa = gpa;
	vcpu->run->memory_fault.size = size;
	/* Write and exec are not reported (yet), like the kernel. */
	vcpu->run->memory_fault.flags = 0;
	if (is_private)
		vcpu->run->memory_fault.flags |= KVM_MEMORY_EXIT_FLAG_PRIVATE;
}

/* ---- VM bugs ------------------------------------------------------------ */

void kvm_vm_bugged(struct kvm *kvm);

#define KVM_BUG(cond, kvm, fmt...)					\
({									\
	bool __ret = !!(cond);						\
	if (__ret) {							\
		shim_report(SHIM_REPORT_KVM_BUG, __FILE__, __LINE__, fmt); \
		kvm_vm_bugged(kvm);					\
	}								\
	unlikely(__ret);						\
})

#define KVM_BUG_ON(cond, kvm)						\
({									\
	bool __ret = !!(cond);						\
	if (__ret) {							\
		shim_report(SHIM_REPORT_KVM_BUG, __FILE__, __LINE__,	\
			    "KVM_BUG_ON(%s)", #cond);			\
		kvm_vm_bugged(kvm);					\
	}								\
	unlikely(__ret);						\
})

/* ---- guest_memfd (guest_memfd.c, spec §1) ------------------------------- */

u64 kvm_gmem_get_supported_flags(struct kvm *kvm);
int kvm_gmem_create(struct kvm *kvm, const struct kvm_create_guest_memfd *args);
int kvm_gmem_bind(struct kvm *kvm, struct kvm_memory_slot *slot,
		  unsigned int fd, loff_t offset);
void kvm_gmem_unbind(struct kvm_memory_slot *slot);
int kvm_gmem_get_pfn(struct kvm *kvm, struct kvm_memory_slot *slot, gfn_t gfn,
		     kvm_pfn_t *pfn, struct page **page, int *max_order);

typedef int (*kvm_gmem_populate_cb)(struct kvm *kvm, gfn_t gfn, kvm_pfn_t pfn,
				    struct page *page, void *opaque);
long kvm_gmem_populate(struct kvm *kvm, gfn_t start_gfn, void __user *src,
		       long npages, kvm_gmem_populate_cb post_populate,
		       void *opaque);
bool kvm_gmem_is_gmem_file(struct file *file);
/* Proposed HugeTLB gmem (spec §6.4): is @slot bound to a HugeTLB file? */
bool kvm_gmem_slot_has_huge_folios(const struct kvm_memory_slot *slot);
/* Its checker ("hugetlb"): no huge folio over a shared index. */
int kvm_gmem_hugetlb_check_invariants(struct kvm *kvm,
				      void (*report)(void *ctx, const char *checker,
						     const char *msg),
				      void *ctx);

/* ---- proposed: in-place conversion, files linked to one inode ----------- */
#include <uapi/linux/kvm_gmem_inplace.h>

int kvm_gmem_ioctl_set_memory_attributes2(struct file *file,
					  struct kvm_memory_attributes2 *attrs);
int kvm_vm_ioctl_link_guest_memfd(struct kvm *kvm,
				  const struct kvm_link_guest_memfd *args);
unsigned long kvm_gmem_get_memory_attributes(struct kvm *kvm, gfn_t gfn);
bool kvm_gmem_range_has_memory_attributes(struct kvm *kvm, gfn_t start, gfn_t end,
					  unsigned long mask, unsigned long attrs);
int kvm_gmem_check_invariants(struct kvm *kvm,
			      void (*report)(void *ctx, const char *checker,
					     const char *msg),
			      void *ctx);

/* ---- arch hooks (implemented by arch/x86, spec §1.14 / §2) -------------- */

int kvm_arch_init_vm(struct kvm *kvm, unsigned long type);
void kvm_arch_destroy_vm(struct kvm *kvm);
bool kvm_arch_has_private_mem(struct kvm *kvm);
bool kvm_arch_supports_gmem_init_shared(struct kvm *kvm);
bool kvm_arch_has_readonly_mem(struct kvm *kvm);
bool kvm_is_vm_type_supported(unsigned long type);
int kvm_arch_prepare_memory_region(struct kvm *kvm,
				   const struct kvm_memory_slot *old,
				   struct kvm_memory_slot *new,
				   enum kvm_mr_change change);
void kvm_arch_commit_memory_region(struct kvm *kvm,
				   struct kvm_memory_slot *old,
				   const struct kvm_memory_slot *new,
				   enum kvm_mr_change change);
void kvm_arch_free_memslot(struct kvm *kvm, struct kvm_memory_slot *slot);
void kvm_arch_flush_shadow_memslot(struct kvm *kvm,
				   struct kvm_memory_slot *slot);
void kvm_arch_flush_shadow_all(struct kvm *kvm);
bool kvm_unmap_gfn_range(struct kvm *kvm, struct kvm_gfn_range *range);
void kvm_arch_flush_remote_tlbs(struct kvm *kvm);
bool kvm_arch_pre_set_memory_attributes(struct kvm *kvm,
					struct kvm_gfn_range *range);
bool kvm_arch_post_set_memory_attributes(struct kvm *kvm,
					 struct kvm_gfn_range *range);
int kvm_arch_vcpu_create(struct kvm_vcpu *vcpu);
void kvm_arch_vcpu_destroy(struct kvm_vcpu *vcpu);
long kvm_arch_vcpu_pre_fault_memory(struct kvm_vcpu *vcpu,
				    struct kvm_pre_fault_memory *range);
int kvm_arch_gmem_prepare(struct kvm *kvm, gfn_t gfn, kvm_pfn_t pfn, int max_order);
void kvm_arch_gmem_invalidate(kvm_pfn_t start, kvm_pfn_t end);
long kvm_arch_vm_check_extension(struct kvm *kvm, long ext);

/*
 * Guest access entry (arch/x86): resolve @gpa for @access through the
 * SPTEs, faulting as needed (@access: KVM_X86_ACCESS_*).  Return: 0 with *@pfn; -EFAULT with
 * vcpu->run's memory-fault exit filled; another negative errno or a
 * positive KVM_EXIT_* with vcpu->run->exit_reason set.
 */
int kvm_x86_vcpu_access(struct kvm_vcpu *vcpu, gpa_t gpa, unsigned int access,
			bool is_private, kvm_pfn_t *pfn);

/*
 * SPTE-side checkers (arch/x86): report each violation through @report.
 * Return: the number of violations.
 */
int kvm_mmu_check_invariants(struct kvm *kvm,
			     void (*report)(void *ctx, const char *checker,
					    const char *msg),
			     void *ctx);

#endif /* _LINUX_KVM_HOST_H */
