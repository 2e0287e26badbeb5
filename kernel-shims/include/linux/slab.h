/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Models include/linux/slab.h (v7.1) over the counting, poisoning,
 * fault-injecting allocator of src/slab.c (controls in <shim/slab.h>).
 * Every allocation records its call site, so leak and double-free reports
 * name the kmalloc() and kfree() lines.
 */
#ifndef _LINUX_SLAB_H
#define _LINUX_SLAB_H

#include <linux/gfp.h>
#include <linux/types.h>
#include <shim/sched.h>

#define ZERO_SIZE_PTR		((void *)16)
#define ZERO_OR_NULL_PTR(x)	((unsigned long)(x) <= (unsigned long)ZERO_SIZE_PTR)

#define SLAB_HWCACHE_ALIGN	0x00002000u
#define SLAB_PANIC		0x00040000u
#define SLAB_ACCOUNT		0x04000000u
#define SLAB_RECLAIM_ACCOUNT	0x00020000u
#define SLAB_TYPESAFE_BY_RCU	0x00080000u

struct kmem_cache;

/**
 * shim_kmalloc() - Allocate @size bytes.
 * @size: bytes; 0 gives ZERO_SIZE_PTR.
 * @gfp: allocation flags; __GFP_ZERO zeroes.
 * @site: "file:line" of the caller.
 *
 * Context: sleeps if gfpflags_allow_blocking(@gfp) (might_sleep(), and a
 * scheduling point in controlled mode).
 * Return: the memory, or NULL when injected to fail or out of memory.
 */
void *shim_kmalloc(size_t size, gfp_t gfp, const char *site);

/**
 * shim_krealloc() - Resize an allocation (a new block; the old one is freed).
 * @p: old block or NULL.
 * @size: new size.
 * @gfp: allocation flags.
 * @site: "file:line" of the caller.
 *
 * Context: as shim_kmalloc().
 * Return: the new block, or NULL (then @p is untouched).
 */
void *shim_krealloc(const void *p, size_t size, gfp_t gfp, const char *site);

/**
 * shim_kfree() - Free a kmalloc()/kmem_cache_alloc() block; NULL is a no-op.
 * @p: the block.
 * @site: "file:line" of the caller.
 *
 * Context: any; does not sleep.  Reports SHIM_REPORT_SLAB on a double free
 * or a pointer the allocator never handed out.
 */
void shim_kfree(const void *p, const char *site);

/**
 * shim_ksize() - Requested size of a live block.
 * @p: the block.
 *
 * Context: any.
 * Return: its size, 0 for NULL/ZERO_SIZE_PTR.
 */
size_t shim_ksize(const void *p);

/* v6.13+ creation arguments; only align and ctor mean anything here. */
struct kmem_cache_args {
	unsigned int align;
	unsigned int useroffset;
	unsigned int usersize;
	unsigned int freeptr_offset;
	bool use_freeptr_offset;
	void (*ctor)(void *);
};

/**
 * __kmem_cache_create_args() - Create a cache of @size-byte objects.
 * @name: cache name, reported with its leaks.
 * @size: object size.
 * @args: alignment (0: the default 16) and constructor, or NULL.
 * @flags: SLAB_* (accepted, not acted on).
 *
 * Context: may sleep.
 * Return: the cache, or NULL.
 */
struct kmem_cache *__kmem_cache_create_args(const char *name, unsigned int size,
					    struct kmem_cache_args *args,
					    unsigned int flags);

static inline struct kmem_cache *__kmem_cache_default_args(const char *name,
							   unsigned int size,
							   void *args,
							   unsigned int flags)
{
	return __kmem_cache_create_args(name, size, NULL, flags);
}

/* The pre-6.13 five-argument form. */
static inline struct kmem_cache *__kmem_cache_create(const char *name,
						     unsigned int size,
						     unsigned int align,
						     unsigned int flags,
						     void (*ctor)(void *))
{
	struct kmem_cache_args args = { .align = align, .ctor = ctor };

	return __kmem_cache_create_args(name, size, &args, flags);
}

/*
 * Both forms, as the kernel dispatches them:
 * kmem_cache_create(name, size, &args, flags) and
 * kmem_cache_create(name, size, align, flags, ctor).
 */
#define kmem_cache_create(__name, __object_size, __args, ...)		\
	_Generic((__args),						\
		 struct kmem_cache_args *: __kmem_cache_create_args,	\
		 void *: __kmem_cache_default_args,			\
		 default: __kmem_cache_create)((__name), (__object_size), (__args), __VA_ARGS__)

/**
 * kmem_cache_destroy() - Destroy a cache; NULL is a no-op.
 * @s: the cache.
 *
 * Context: may sleep.  Reports SHIM_REPORT_SLAB if objects remain (they
 * are then leaked, as in the kernel).
 */
void kmem_cache_destroy(struct kmem_cache *s);

/**
 * shim_kmem_cache_alloc() - Allocate one object from @s.
 * @s: the cache.
 * @gfp: allocation flags.
 * @site: "file:line" of the caller.
 *
 * Context: as shim_kmalloc().
 * Return: the object, or NULL.
 */
void *shim_kmem_cache_alloc(struct kmem_cache *s, gfp_t gfp, const char *site);

/**
 * shim_kmem_cache_free() - Free an object of @s.
 * @s: the cache (reported if it is not the object's cache).
 * @p: the object.
 * @site: "file:line" of the caller.
 *
 * Context: any; does not sleep.
 */
void shim_kmem_cache_free(struct kmem_cache *s, void *p, const char *site);

/**
 * kmem_cache_size() - Object size of @s.
 * @s: the cache.
 *
 * Context: any.
 * Return: the object size in bytes.
 */
unsigned int kmem_cache_size(struct kmem_cache *s);

static inline size_t __shim_array_bytes(size_t n, size_t size)
{
	size_t bytes;

	if (__builtin_mul_overflow(n, size, &bytes))
		return SIZE_MAX;
	return bytes;
}

/* A multiplication that overflows asks for SIZE_MAX, which fails. */
#define kmalloc(size, gfp)		shim_kmalloc((size), (gfp), SHIM_SITE)
#define kzalloc(size, gfp)		shim_kmalloc((size), (gfp) | __GFP_ZERO, SHIM_SITE)
#define kmalloc_array(n, size, gfp) \
	shim_kmalloc(__shim_array_bytes((n), (size)), (gfp), SHIM_SITE)
#define kcalloc(n, size, gfp) \
	shim_kmalloc(__shim_array_bytes((n), (size)), (gfp) | __GFP_ZERO, SHIM_SITE)
#define krealloc(p, size, gfp)		shim_krealloc((p), (size), (gfp), SHIM_SITE)
#define krealloc_array(p, n, size, gfp) \
	shim_krealloc((p), __shim_array_bytes((n), (size)), (gfp), SHIM_SITE)
#define kfree(p)			shim_kfree((p), SHIM_SITE)
#define kfree_sensitive(p)		shim_kfree((p), SHIM_SITE)
#define ksize(p)			shim_ksize(p)
#define kmalloc_node(size, gfp, node)	kmalloc(size, gfp)
#define kzalloc_node(size, gfp, node)	kzalloc(size, gfp)

/* No vmalloc area here: the kv* family is kmalloc with the same accounting. */
#define kvmalloc(size, gfp)		kmalloc(size, gfp)
#define kvzalloc(size, gfp)		kzalloc(size, gfp)
#define kvcalloc(n, size, gfp)		kcalloc(n, size, gfp)
#define kvmalloc_array(n, size, gfp)	kmalloc_array(n, size, gfp)
#define kvrealloc(p, size, gfp)		krealloc(p, size, gfp)
#define kvfree(p)			kfree(p)
#define vmalloc(size)			kmalloc(size, GFP_KERNEL)
#define vzalloc(size)			kzalloc(size, GFP_KERNEL)
#define vfree(p)			kfree(p)

#define kmem_cache_alloc(s, gfp)	shim_kmem_cache_alloc((s), (gfp), SHIM_SITE)
#define kmem_cache_zalloc(s, gfp)	shim_kmem_cache_alloc((s), (gfp) | __GFP_ZERO, SHIM_SITE)
#define kmem_cache_free(s, p)		shim_kmem_cache_free((s), (p), SHIM_SITE)
#define KMEM_CACHE(__struct, __flags)					\
	__kmem_cache_create_args(#__struct, sizeof(struct __struct),	\
		&(struct kmem_cache_args){ .align = __alignof__(struct __struct) }, \
		(__flags))

#endif /* _LINUX_SLAB_H */
