/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Models include/linux/mm_types.h (ML-7.1): struct page, struct folio,
 * struct vm_area_struct, struct mm_struct and struct vm_fault, reduced to the
 * fields the guest_memfd / KVM paths use.
 *
 * Storage: every pfn the pool ever handed out has one 48-byte struct page in
 * a lazily allocated vmemmap-like array (512 pages per chunk), so
 * pfn_to_page() is arithmetic and metadata stays O(touched pages).  A folio
 * is its head page viewed as struct folio (same layout, like the kernel's
 * overlay).  A freed page keeps its struct, poisoned with the freeing step
 * and site, so any later use can be reported as a use-after-free.
 */
#ifndef _LINUX_MM_TYPES_H
#define _LINUX_MM_TYPES_H

#include <linux/types.h>
#include <linux/atomic.h>
#include <linux/list.h>
#include <linux/spinlock.h>
#include <linux/rwsem.h>
#include <linux/xarray.h>

struct address_space;
struct file;
struct mm_struct;
struct vm_area_struct;
struct mm_world;
struct mempolicy;

/*
 * struct page - one 4 KiB physical page.
 * @flags: PG_* bits, and (see page-flags.h) order, content state and tag.
 * @mapping/@index: head page of a live folio: the page-cache owner and offset.
 * @compound_head: tail page of a live large folio: the head page.
 * @free_site/@free_step: any page after it was freed (poison record).
 * @private: head: fs private data; free head: next free pfn in the pool's
 *	FIFO (0 = none).
 * @_refcount: head only; 0 for a free folio.
 * @_mapcount: per-page user mappings (PTEs and PMDs) minus one, like the
 *	kernel; the head's counts every mapping of any page of the folio.
 * @bytes: content buffer once the page is in bytes mode (else NULL).
 */
struct page {
	unsigned long flags;
	union {
		struct {
			struct address_space *mapping;
			pgoff_t index;
		};
		struct {
			struct page *compound_head;
			unsigned long __tail_pad;
		};
		struct {
			const char *free_site;
			u64 free_step;
		};
	};
	unsigned long private;
	atomic_t _refcount;
	atomic_t _mapcount;
	struct mm_page_bytes *bytes;
};

/*
 * struct folio - a power-of-two, naturally aligned block of pages (order 0, 9
 * or 18).  Same layout as its head struct page.
 */
struct folio {
	unsigned long flags;
	union {
		struct {
			struct address_space *mapping;
			pgoff_t index;
		};
		struct {
			const char *free_site;
			u64 free_step;
		};
	};
	unsigned long private;
	atomic_t _refcount;
	atomic_t _mapcount;
	struct mm_page_bytes *bytes;
};

_Static_assert(sizeof(struct folio) == sizeof(struct page), "folio overlays page");
_Static_assert(__builtin_offsetof(struct folio, _refcount) ==
	       __builtin_offsetof(struct page, _refcount), "folio overlays page");

typedef unsigned int vm_fault_t;

/* vm_fault_t codes (include/linux/mm_types.h) */
#define VM_FAULT_OOM		0x000001
#define VM_FAULT_SIGBUS		0x000002
#define VM_FAULT_MAJOR		0x000004
#define VM_FAULT_HWPOISON	0x000010
#define VM_FAULT_HWPOISON_LARGE	0x000020
#define VM_FAULT_SIGSEGV	0x000040
#define VM_FAULT_NOPAGE		0x000100
#define VM_FAULT_LOCKED		0x000200
#define VM_FAULT_RETRY		0x000400
#define VM_FAULT_FALLBACK	0x000800
#define VM_FAULT_DONE_COW	0x001000
#define VM_FAULT_NEEDDSYNC	0x002000
#define VM_FAULT_COMPLETED	0x004000
#define VM_FAULT_ERROR	(VM_FAULT_OOM | VM_FAULT_SIGBUS | VM_FAULT_SIGSEGV | \
			 VM_FAULT_HWPOISON | VM_FAULT_HWPOISON_LARGE | VM_FAULT_FALLBACK)

/* vm_flags (include/linux/mm.h) */
#define VM_NONE		0x00000000UL
#define VM_READ		0x00000001UL
#define VM_WRITE	0x00000002UL
#define VM_EXEC		0x00000004UL
#define VM_SHARED	0x00000008UL
#define VM_MAYREAD	0x00000010UL
#define VM_MAYWRITE	0x00000020UL
#define VM_MAYEXEC	0x00000040UL
#define VM_MAYSHARE	0x00000080UL
#define VM_PFNMAP	0x00000400UL
#define VM_LOCKED	0x00002000UL
#define VM_DONTEXPAND	0x00040000UL
#define VM_NORESERVE	0x00200000UL
#define VM_HUGEPAGE	0x20000000UL
#define VM_NOHUGEPAGE	0x40000000UL

/* fault flags (enum fault_flag) */
#define FAULT_FLAG_WRITE		0x001
#define FAULT_FLAG_ALLOW_RETRY		0x004
#define FAULT_FLAG_RETRY_NOWAIT		0x008
#define FAULT_FLAG_KILLABLE		0x010
#define FAULT_FLAG_TRIED		0x020
#define FAULT_FLAG_USER			0x040
#define FAULT_FLAG_REMOTE		0x080

struct vm_fault;

struct vm_operations_struct {
	void (*open)(struct vm_area_struct *vma);
	void (*close)(struct vm_area_struct *vma);
	vm_fault_t (*fault)(struct vm_fault *vmf);
	/*
	 * NUMA (spec §1.9): store / look up the policy of the file range
	 * behind @vma.  get_policy copies the policy out (the kernel returns a
	 * reference): false if there is none at @addr.
	 */
	int (*set_policy)(struct vm_area_struct *vma, struct mempolicy *new);
	bool (*get_policy)(struct vm_area_struct *vma, unsigned long addr,
			   struct mempolicy *pol, pgoff_t *ilx);
};

/*
 * struct vm_area_struct - one user mapping [vm_start, vm_end) of @vm_mm.
 * @vm_pgoff: file page offset of vm_start (file mappings).
 * @vm_file: counted file reference, or NULL for anonymous memory.
 * @vm_list: on mm->mmap, sorted by vm_start.
 * @shared: on vm_file->f_mapping->i_mmap (protected by i_mmap_rwsem).
 * @vm_private_data: for the file's mmap handler.
 */
struct vm_area_struct {
	unsigned long vm_start;
	unsigned long vm_end;
	unsigned long vm_pgoff;
	unsigned long vm_flags;
	struct mm_struct *vm_mm;
	struct file *vm_file;
	const struct vm_operations_struct *vm_ops;
	void *vm_private_data;
	struct list_head vm_list;
	struct list_head shared;
	unsigned int vm_id;		/* stable per-mm id for logs */
};

/*
 * struct mm_struct - the host address space (one per world).
 * @mmap_lock: protects the VMA list; faults take it shared.
 * @page_table_lock: protects @ptes and @pmds (the kernel's PTL).
 * @ptes: user page index (addr >> PAGE_SHIFT) -> xa_mk_value(pte value).
 * @pmds: 2 MiB index (addr >> PMD_SHIFT) -> xa_mk_value(pte value) of a
 *	PMD-mapped order-9 folio.
 * @mmap_base: next address handed out by do_mmap() without a hint.
 */
struct mm_struct {
	struct rw_semaphore mmap_lock;
	spinlock_t page_table_lock;
	struct list_head mmap;
	struct xarray ptes;
	struct xarray pmds;
	unsigned long mmap_base;
	unsigned int next_vm_id;
	struct mm_world *world;
};

/*
 * struct vm_fault - what a ->fault handler gets (include/linux/mm.h).
 * A handler returns VM_FAULT_LOCKED with @page set to a locked, referenced
 * page, or 0 with an unlocked referenced @page, or an error code.
 */
struct vm_fault {
	struct vm_area_struct *vma;
	unsigned int flags;		/* FAULT_FLAG_* */
	pgoff_t pgoff;			/* file offset of @address in pages */
	unsigned long address;		/* page-aligned faulting address */
	struct page *page;
};

#endif /* _LINUX_MM_TYPES_H */
