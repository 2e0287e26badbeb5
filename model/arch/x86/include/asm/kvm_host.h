/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Models arch/x86/include/asm/kvm_host.h (X86-new, 6.18+ structure) plus the
 * few arch/x86/kvm/mmu/mmu_internal.h names the generic code and the tests
 * need (RET_PF_*).  Only what guest_memfd, memory attributes and the TDP MMU
 * model use is here.
 *
 * Included by <linux/kvm_host.h> before struct kvm is defined, so nothing
 * here may dereference struct kvm / kvm_vcpu / kvm_memory_slot.
 */
#ifndef _ASM_X86_KVM_HOST_H
#define _ASM_X86_KVM_HOST_H

#include <linux/types.h>
#include <linux/kernel.h>
#include <linux/list.h>
#include <linux/spinlock.h>
#include <linux/atomic.h>
#include <linux/xarray.h>
#include <linux/kvm_types.h>

/* VM types KVM_X86_*_VM come from the uapi header. */
#include <uapi/linux/kvm_gmem.h>

/* This model has the generic memory-attributes code and a gmem-aware MMU. */
#define __KVM_HAVE_ARCH_FLUSH_REMOTE_TLBS	1
#define KVM_PRIVATE_MEM_SLOTS			3
#define KVM_ADDRESS_SPACE_NUM			1

/* ---- Page table levels ---- */
enum pg_level {
	PG_LEVEL_NONE,
	PG_LEVEL_4K,
	PG_LEVEL_2M,
	PG_LEVEL_1G,
	PG_LEVEL_512G,
	PG_LEVEL_NUM
};

#define KVM_NR_PAGE_SIZES	3	/* 4K, 2M, 1G */
#define KVM_MAX_HUGEPAGE_LEVEL	PG_LEVEL_1G
#define KVM_HPAGE_GFN_SHIFT(x)	(((x) - 1) * 9)
#define KVM_HPAGE_SHIFT(x)	(PAGE_SHIFT + KVM_HPAGE_GFN_SHIFT(x))
#define KVM_HPAGE_SIZE(x)	(1UL << KVM_HPAGE_SHIFT(x))
#define KVM_HPAGE_MASK(x)	(~(KVM_HPAGE_SIZE(x) - 1))
#define KVM_PAGES_PER_HPAGE(x)	(1UL << KVM_HPAGE_GFN_SHIFT(x))

/* ---- Page-fault error code bits (hardware + KVM-synthetic) ---- */
#define PFERR_PRESENT_MASK	BIT(0)
#define PFERR_WRITE_MASK	BIT(1)
#define PFERR_USER_MASK		BIT(2)
#define PFERR_RSVD_MASK		BIT(3)
#define PFERR_FETCH_MASK	BIT(4)
#define PFERR_PK_MASK		BIT(5)
#define PFERR_SGX_MASK		BIT(15)
#define PFERR_GUEST_RMP_MASK	BIT_ULL(31)
#define PFERR_GUEST_FINAL_MASK	BIT_ULL(32)
#define PFERR_GUEST_PAGE_MASK	BIT_ULL(33)
#define PFERR_GUEST_ENC_MASK	BIT_ULL(34)
#define PFERR_GUEST_SIZEM_MASK	BIT_ULL(35)
#define PFERR_GUEST_VMPL_MASK	BIT_ULL(36)
/* Synthetic bits: never set by hardware, KVM adds them. */
#define PFERR_IMPLICIT_ACCESS	BIT_ULL(48)
#define PFERR_PRIVATE_ACCESS	BIT_ULL(49)
#define PFERR_SYNTHETIC_MASK	(PFERR_IMPLICIT_ACCESS | PFERR_PRIVATE_ACCESS)

/*
 * Return values of the page-fault handlers (mmu_internal.h in the kernel).
 * RET_PF_CONTINUE is internal: "keep going with the fault".
 */
enum {
	RET_PF_CONTINUE = 0,
	RET_PF_RETRY,
	RET_PF_EMULATE,
	RET_PF_WRITE_PROTECTED,
	RET_PF_INVALID,
	RET_PF_FIXED,
	RET_PF_SPURIOUS,
};

/* Guest access kinds for kvm_x86_vcpu_access() (bits, combinable). */
#define KVM_X86_ACCESS_READ	BIT(0)
#define KVM_X86_ACCESS_WRITE	BIT(1)
#define KVM_X86_ACCESS_EXEC	BIT(2)

/* ---- Huge page bookkeeping per memslot ---- */
struct kvm_lpage_info {
	int disallow_lpage;
};

/* Set in disallow_lpage when the frame's gfns do not share one attribute. */
#define KVM_LPAGE_MIXED_FLAG	BIT(31)
/* TDX: the guest accepted a page of the frame at 4K (Yan Zhao, spec §6.4). */
#define KVM_LPAGE_GUEST_INHIBIT_FLAG	BIT(30)

struct kvm_arch_memory_slot {
	/* [level - PG_LEVEL_2M]: one entry per huge frame overlapping the slot */
	struct kvm_lpage_info *lpage_info[KVM_NR_PAGE_SIZES - 1];
	/* entries in each lpage_info array (for bounds checks, B-01) */
	unsigned long lpage_nr[KVM_NR_PAGE_SIZES - 1];
};

/* ---- SPTE store ---- */

/*
 * Root types of the TDP MMU.  Only TDX-like VMs have a mirror (S-EPT) root;
 * private mappings of such VMs live there, shared ones in the direct root.
 */
enum kvm_tdp_mmu_root_types {
	KVM_INVALID_ROOTS = BIT(0),
	KVM_DIRECT_ROOTS = BIT(1),
	KVM_MIRROR_ROOTS = BIT(2),
	KVM_VALID_ROOTS = KVM_DIRECT_ROOTS | KVM_MIRROR_ROOTS,
	KVM_ALL_ROOTS = KVM_VALID_ROOTS | KVM_INVALID_ROOTS,
};

/*
 * One root: a leaf-SPTE xarray per level, indexed by gfn >> level shift.
 * Entries are xa_mk_value(spte) with the spte encoded by spte.h helpers
 * (pfn + present/writable/exec/private bits).  Only leaf SPTEs exist in
 * this model; a 2M leaf and 4K leaves inside its frame never coexist.
 */
struct kvm_mmu_root {
	struct xarray sptes[KVM_NR_PAGE_SIZES];
	unsigned long nr_leaf[KVM_NR_PAGE_SIZES];
	bool is_mirror;
};

/*
 * Statistics the benches and tests read (kvm->arch.stat).  Plain u64s bumped
 * with kvm_mmu_stat_inc(): relaxed atomics that are NOT scheduling points,
 * so counting does not change the schedules a trace can take.
 */
struct kvm_mmu_stat {
	u64 faults;			/* kvm_mmu_do_page_fault() calls */
	u64 fault_retries;		/* RET_PF_RETRY outcomes */
	u64 fault_exits;		/* memory-fault exits prepared */
	u64 sptes_installed;
	u64 sptes_zapped;
	u64 zaps;			/* kvm_unmap_gfn_range / flush_shadow calls */
	u64 tlb_flushes;		/* kvm_arch_flush_remote_tlbs() */
	u64 huge_created[KVM_NR_PAGE_SIZES];	/* [level - 1] */
	u64 huge_shattered[KVM_NR_PAGE_SIZES];	/* huge leaf zapped by a smaller range */
	u64 pre_faults;
	u64 gmem_prepares;
	u64 gmem_invalidates;
};

#define kvm_mmu_stat_inc(p)	((void)__atomic_fetch_add((p), 1, __ATOMIC_RELAXED))
#define kvm_mmu_stat_read(p)	__atomic_load_n((p), __ATOMIC_RELAXED)

/*
 * Vendor (svm/sev.c- or vmx/tdx.c-like) hooks of a VM type.  Failures can
 * be injected through kvm->arch.inject (see kvm_x86_inject_*()).
 */
struct kvm_x86_vendor_ops {
	const char *name;
	/* kvm_arch_gmem_prepare(): make pfn private for gfn (SNP: RMP update). */
	int (*gmem_prepare)(struct kvm *kvm, gfn_t gfn, kvm_pfn_t pfn, int max_order);
	/* max mapping level for a gmem pfn; 0 = no opinion (B-10). */
	int (*gmem_max_mapping_level)(struct kvm *kvm, kvm_pfn_t pfn, bool is_private);
};

/*
 * Historical x86 MMU defects that can be switched back on per VM, so the
 * bug zoo can show that the checkers and traces catch them
 * (kvm_x86_inject_defect() by name).
 */
enum kvm_x86_defect {
	KVM_X86_DEFECT_B01_LPAGE_OVERFLOW = BIT(0),	/* post hook ignores slot bounds */
	KVM_X86_DEFECT_B10_VENDOR_LEVEL = BIT(1),	/* vendor level overrides gmem order */
	KVM_X86_DEFECT_B15_MISMATCH_LATE = BIT(2),	/* mismatch check below slot checks */
	KVM_X86_DEFECT_NO_STALE_CHECK = BIT(3),		/* no retry_gfn under mmu_lock */
	KVM_X86_DEFECT_NO_PREHOOK_WIDEN = BIT(4),	/* head/tail frames not invalidated */
	KVM_X86_DEFECT_NO_SLOT_FLUSH = BIT(5),		/* slot zap without TLB flush */
	KVM_X86_DEFECT_B13_PREFAULT_EARLY = BIT(6),	/* pre-fault before launch finish */
	KVM_X86_DEFECT_B15_PRIVATE_EMULATE = BIT(7),	/* slot-less private fault emulated */
	KVM_X86_DEFECT_GMEM_ORDER_IGNORED = BIT(8),	/* level not clamped by folio order */
};

#define kvm_x86_defect(kvm, d)	unlikely((kvm)->arch.defects & (d))

/* Injectable vendor failures (model-only controls). */
struct kvm_x86_inject {
	int gmem_prepare_err;		/* next N prepares fail with this errno */
	int gmem_prepare_count;
	int max_mapping_level;		/* overrides the vendor hook when > 0 */
};

struct kvm_arch {
	unsigned long vm_type;
	bool has_private_mem;
	bool has_protected_state;
	bool pre_fault_allowed;		/* SNP/TDX: only after launch finish (B-13) */
	bool launched;
	/*
	 * TDX (spec §1.14, §6.4): private mappings may be huge (2M) only with
	 * tdx_huge_pages on; with tdx_accept on, a private page must be
	 * accepted by the guest before use (model controls, default off).
	 */
	bool tdx_huge_pages;
	bool tdx_accept;
	/* TDX: the GPA "shared" bit as a gfn bit; 0 for other types. */
	gfn_t gfn_direct_bits;
	const struct kvm_x86_vendor_ops *vendor;
	struct kvm_x86_inject inject;
	unsigned long defects;		/* enum kvm_x86_defect bits; 0 = correct model */

	/*
	 * TDP MMU roots.  mirror_root is NULL without mirrored TDP.  spte_lock
	 * stands for the atomicity of one SPTE cmpxchg in the kernel: faults
	 * install under mmu_lock (read) + spte_lock, zaps hold mmu_lock (write)
	 * + spte_lock, the hardware walk takes only spte_lock.
	 */
	spinlock_t spte_lock;
	struct kvm_mmu_root direct_root;
	struct kvm_mmu_root *mirror_root;

	/*
	 * TLB model: every cached translation carries the generation it was
	 * filled in; kvm_arch_flush_remote_tlbs() bumps the generation, which
	 * invalidates them all at once.  Protected by spte_lock.
	 */
	u64 tlb_gen;
	/* Protects vcpu_list and inject. */
	spinlock_t vcpu_list_lock;
	struct list_head vcpu_list;	/* kvm_vcpu_arch.link */

	struct kvm_mmu_stat stat;
};

/*
 * One cached guest translation of a vCPU (its "TLB"): direct-mapped by gfn,
 * so the model's TLB is finite like a real one and needs no allocation.
 */
#define KVM_X86_TLB_ENTRIES	64

struct kvm_tlb_entry {
	gfn_t gfn;			/* as the guest used it (TDX: with shared bit) */
	kvm_pfn_t pfn;			/* 4K frame this gfn translates to */
	u64 gen;			/* kvm->arch.tlb_gen when filled */
	u8 level;			/* level of the SPTE it came from */
	bool valid;
	bool writable;
	bool exec;
	bool is_private;
};

struct kvm_vcpu_arch {
	struct kvm_vcpu *vcpu;		/* back pointer for list walks */
	struct list_head link;		/* kvm->arch.vcpu_list */
	struct kvm_tlb_entry tlb[KVM_X86_TLB_ENTRIES];
	unsigned long tlb_hits;
	unsigned long tlb_stale_hits;	/* hits on translations whose SPTE is gone */
	/* last pre-fault / fault outcome for debugging and tests */
	int last_fault_ret;
	u8 last_fault_level;
};

/* ---- Arch functions generic code calls that need a declaration ---- */
struct kvm_gfn_range;
struct kvm_pre_fault_memory;
bool kvm_arch_has_private_mem(struct kvm *kvm);
bool kvm_arch_has_readonly_mem(struct kvm *kvm);
bool kvm_arch_supports_gmem_init_shared(struct kvm *kvm);
bool kvm_is_vm_type_supported(unsigned long type);
void kvm_arch_flush_remote_tlbs(struct kvm *kvm);
int kvm_arch_gmem_prepare(struct kvm *kvm, gfn_t gfn, kvm_pfn_t pfn, int max_order);
void kvm_arch_gmem_invalidate(kvm_pfn_t start, kvm_pfn_t end);
int kvm_arch_gmem_max_mapping_level(struct kvm *kvm, kvm_pfn_t pfn, bool is_private);

/* Model entry points (see arch/x86/kvm/x86.c and the mmu/ files for kernel-doc). */
int kvm_x86_vcpu_access(struct kvm_vcpu *vcpu, gpa_t gpa, unsigned int access,
			bool is_private, kvm_pfn_t *pfn);
int kvm_x86_vcpu_access_fn(struct kvm_vcpu *vcpu, gpa_t gpa, unsigned int access,
			   bool is_private, int (*fn)(void *ctx, kvm_pfn_t pfn), void *ctx);
int kvm_x86_vm_launch_finish(struct kvm *kvm);
void kvm_x86_inject_gmem_prepare_error(struct kvm *kvm, int err, int count);
void kvm_x86_inject_max_mapping_level(struct kvm *kvm, int level);
int kvm_x86_inject_defect(struct kvm *kvm, const char *name);
unsigned long kvm_x86_defect_by_name(const char *name);
int kvm_mmu_check_invariants(struct kvm *kvm,
			     void (*report)(void *ctx, const char *checker, const char *msg),
			     void *ctx);

/* SNP RMP model (svm/sev.c) and TDX controls (vmx/tdx.c). */
int snp_rmp_check(void (*report)(void *ctx, const char *checker, const char *msg),
		  void *ctx);
bool snp_rmp_is_private(kvm_pfn_t pfn);
int tdx_vm_config(struct kvm *kvm, bool huge_pages, bool accept);
int tdx_vcpu_accept(struct kvm_vcpu *vcpu, gpa_t gpa, u64 size);

#endif /* _ASM_X86_KVM_HOST_H */
