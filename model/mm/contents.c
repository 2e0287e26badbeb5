// SPDX-License-Identifier: GPL-2.0
/*
 * The contents of physical pages.  Models what mm/highmem.c
 * (folio_zero_range, clear_highpage) and ordinary loads/stores do to a page
 * of ML-7.1, at the cost the simulator can afford: a page is a fill byte
 * ("tag") until a write makes it non-uniform, then a real 4 KiB buffer with
 * a bitmap of bytes written since allocation, so a read can tell
 * "never initialised" from zero.  See <linux/mm_model.h>.
 */
#include <linux/kernel.h>
#include <linux/bug.h>
#include <linux/slab.h>
#include <linux/bitops.h>
#include <linux/mm.h>
#include "internal.h"

/*
 * A per-page bit lock keeps a page's state/tag/buffer consistent when two
 * free-running threads write it at once.  Nothing inside it yields, so in
 * controlled mode it is never contended.
 */
static void page_content_lock(struct page *page)
{
	while (__page_flag_test_and_set(&page->flags, PG_contentlock))
		__builtin_ia32_pause();
}

static void page_content_unlock(struct page *page)
{
	__page_flag_clear(&page->flags, PG_contentlock);
}

/**
 * __mm_page_free_contents - release @page's content buffer as it is freed.
 * @w: the page's world.  @page: the page.
 * Context: the world's zone lock is held; does not sleep.
 */
void __mm_page_free_contents(struct mm_world *w, struct page *page)
{
	if (page->bytes) {
		kfree(page->bytes);
		page->bytes = NULL;
		mm_stat_sub(w, pages_bytes_mode, 1);
		mm_stat_sub(w, meta_bytes, sizeof(struct mm_page_bytes));
	}
}

/*
 * Find the page of @pfn for a content access: count it, run the checker
 * hook, catch a use-after-free or a pfn never allocated.
 */
static struct page *content_page(struct mm_world *w, unsigned long pfn, bool write,
				 const char *site, int *err)
{
	struct page *page = __mm_pfn_to_page_raw(w, pfn);

	*err = 0;
	if (write)
		mm_stat_add(w, content_writes, 1);
	else
		mm_stat_add(w, content_reads, 1);
	if (w->content_hook)
		w->content_hook(w->content_hook_ctx, pfn, write, site);
	if (!page || !(page_flags_read(page) &
		       ((1UL << PG_head) | (1UL << PG_tail) | (1UL << PG_freed)))) {
		WARN(1, "content %s of pfn %#lx that was never allocated (%s)",
		     write ? "write" : "read", pfn, site);
		*err = MM_READ_BADPFN;
		return NULL;
	}
	if (page_flags_read(page) & (1UL << PG_freed)) {
		__mm_report_uaf(page, pfn, write ? "content write" : "content read", site);
		*err = MM_READ_FREED;
		return NULL;
	}
	return page;
}

/* Mark bytes [off, off + len) written. */
static void init_mark(unsigned long *init, unsigned int off, unsigned int len)
{
	unsigned int i;

	for (i = off; i < off + len && (i % BITS_PER_LONG); i++)
		init[i / BITS_PER_LONG] |= 1UL << (i % BITS_PER_LONG);
	for (; i + BITS_PER_LONG <= off + len; i += BITS_PER_LONG)
		init[i / BITS_PER_LONG] = ~0UL;
	for (; i < off + len; i++)
		init[i / BITS_PER_LONG] |= 1UL << (i % BITS_PER_LONG);
}

/* Switch @page (content-locked) to bytes mode, keeping what it held. */
static struct mm_page_bytes *page_to_bytes(struct mm_world *w, struct page *page)
{
	struct mm_page_bytes *b = page->bytes;

	if (b)
		return b;
	b = kmalloc(sizeof(*b), GFP_ATOMIC | __GFP_NOFAIL);
	if (__page_cstate(page) == MM_CSTATE_TAG) {
		memset(b->data, __page_ctag(page), PAGE_SIZE);
		memset(b->init, 0xff, sizeof(b->init));
	} else {
		memset(b->data, 0, PAGE_SIZE);
		memset(b->init, 0, sizeof(b->init));
	}
	page->bytes = b;
	__page_set_content(page, MM_CSTATE_BYTES, 0);
	mm_stat_add(w, pages_bytes_mode, 1);
	mm_stat_add(w, meta_bytes, sizeof(*b));
	return b;
}

/* Back to a tag: the whole page now holds @byte. */
static void page_to_tag(struct mm_world *w, struct page *page, u8 byte)
{
	if (page->bytes) {
		kfree(page->bytes);
		page->bytes = NULL;
		mm_stat_sub(w, pages_bytes_mode, 1);
		mm_stat_sub(w, meta_bytes, sizeof(struct mm_page_bytes));
	}
	__page_set_content(page, MM_CSTATE_TAG, byte);
}

static bool range_ok(unsigned int off, unsigned int len)
{
	return !WARN(off > PAGE_SIZE || len > PAGE_SIZE - off,
		     "page content range off %u len %u", off, len);
}

/**
 * __mm_page_write - mm_page_write(): fill bytes [off, off + len) of @pfn.
 * Context: any; does not sleep.  Return: 0 or MM_READ_FREED/MM_READ_BADPFN.
 */
int __mm_page_write(unsigned long pfn, unsigned int off, u8 byte, unsigned int len,
		    const char *site)
{
	struct mm_world *w = __mm_world();
	struct mm_page_bytes *b;
	struct page *page;
	int err;

	if (!range_ok(off, len))
		return -EINVAL;
	page = content_page(w, pfn, true, site, &err);
	if (!page)
		return err;
	if (!len)
		return 0;
	page_content_lock(page);
	if (len == PAGE_SIZE && !w->bytes_mode) {
		page_to_tag(w, page, byte);
	} else if (__page_cstate(page) == MM_CSTATE_TAG && __page_ctag(page) == byte &&
		   !w->bytes_mode) {
		/* still uniform */
	} else {
		b = page_to_bytes(w, page);
		memset(b->data + off, byte, len);
		init_mark(b->init, off, len);
	}
	page_content_unlock(page);
	return 0;
}

/**
 * __mm_page_copy_to - mm_page_copy_to(): store @len bytes of @buf at @off.
 * Context: any; does not sleep.  Return: 0 or MM_READ_FREED/MM_READ_BADPFN.
 */
int __mm_page_copy_to(unsigned long pfn, unsigned int off, const void *buf,
		      unsigned int len, const char *site)
{
	struct mm_world *w = __mm_world();
	const u8 *src = buf;
	struct mm_page_bytes *b;
	struct page *page;
	unsigned int i;
	int err;

	if (!range_ok(off, len))
		return -EINVAL;
	page = content_page(w, pfn, true, site, &err);
	if (!page)
		return err;
	if (!len)
		return 0;
	for (i = 1; i < len && src[i] == src[0]; i++)
		;
	page_content_lock(page);
	if (i == len && len == PAGE_SIZE && !w->bytes_mode) {
		page_to_tag(w, page, src[0]);
	} else if (i == len && __page_cstate(page) == MM_CSTATE_TAG &&
		   __page_ctag(page) == src[0] && !w->bytes_mode) {
		/* still uniform */
	} else {
		b = page_to_bytes(w, page);
		memcpy(b->data + off, src, len);
		init_mark(b->init, off, len);
	}
	page_content_unlock(page);
	return 0;
}

/**
 * __mm_page_read - mm_page_read(): the common value of [off, off + len).
 * Context: any; does not sleep.
 * Return: 0..255, MM_READ_MIXED, MM_READ_UNINIT, MM_READ_FREED, MM_READ_BADPFN.
 */
int __mm_page_read(unsigned long pfn, unsigned int off, unsigned int len, const char *site)
{
	struct mm_world *w = __mm_world();
	struct mm_page_bytes *b;
	struct page *page;
	unsigned int i, ninit;
	int err, ret;

	if (!range_ok(off, len) || !len)
		return -EINVAL;
	page = content_page(w, pfn, false, site, &err);
	if (!page)
		return err;
	page_content_lock(page);
	switch (__page_cstate(page)) {
	case MM_CSTATE_TAG:
		ret = __page_ctag(page);
		break;
	case MM_CSTATE_BYTES:
		b = page->bytes;
		ninit = 0;
		for (i = off; i < off + len; i++)
			ninit += test_bit(i, b->init);
		if (!ninit) {
			ret = MM_READ_UNINIT;
			break;
		}
		if (ninit != len) {
			ret = MM_READ_MIXED;
			break;
		}
		ret = b->data[off];
		for (i = off + 1; i < off + len; i++) {
			if (b->data[i] != ret) {
				ret = MM_READ_MIXED;
				break;
			}
		}
		break;
	default:
		ret = MM_READ_UNINIT;
		break;
	}
	page_content_unlock(page);
	return ret;
}

/**
 * __mm_page_copy_from - mm_page_copy_from(): copy [off, off + len) out;
 * never-written bytes read as 0.
 * Context: any; does not sleep.  Return: 0 or MM_READ_FREED/MM_READ_BADPFN.
 */
int __mm_page_copy_from(unsigned long pfn, unsigned int off, void *buf,
			unsigned int len, const char *site)
{
	struct mm_world *w = __mm_world();
	struct page *page;
	int err;

	if (!range_ok(off, len))
		return -EINVAL;
	page = content_page(w, pfn, false, site, &err);
	if (!page)
		return err;
	page_content_lock(page);
	switch (__page_cstate(page)) {
	case MM_CSTATE_TAG:
		memset(buf, __page_ctag(page), len);
		break;
	case MM_CSTATE_BYTES:
		memcpy(buf, page->bytes->data + off, len);
		break;
	default:
		memset(buf, 0, len);
		break;
	}
	page_content_unlock(page);
	return 0;
}

/**
 * mm_folio_zero_range - folio_zero_range(): zero [start, start + len).
 * Context: any; does not sleep.
 */
void mm_folio_zero_range(struct folio *folio, size_t start, size_t len, const char *site)
{
	unsigned long pfn = folio_pfn(folio);
	size_t end = start + len;

	if (WARN(end > folio_size(folio), "folio_zero_range past the folio"))
		end = folio_size(folio);
	while (start < end) {
		unsigned int off = start & (PAGE_SIZE - 1);
		unsigned int n = min_t(size_t, PAGE_SIZE - off, end - start);

		__mm_page_write(pfn + (start >> PAGE_SHIFT), off, 0, n, site);
		start += n;
	}
}

/**
 * mm_folio_zero_page - folio_zero_page(): zero page @i of @folio.
 * Context: any; does not sleep.
 */
void mm_folio_zero_page(struct folio *folio, unsigned long i, const char *site)
{
	if (WARN_ON(i >= folio_nr_pages(folio)))
		return;
	__mm_page_write(folio_pfn(folio) + i, 0, 0, PAGE_SIZE, site);
}

/**
 * mm_folio_zero_range_page - clear_highpage(): zero one page.
 * Context: any; does not sleep.
 */
void mm_folio_zero_range_page(struct page *page, const char *site)
{
	__mm_page_write(page_to_pfn(page), 0, 0, PAGE_SIZE, site);
}
