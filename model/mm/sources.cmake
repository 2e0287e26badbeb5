# model/mm: page pool, folios, page cache, truncation, user mappings.
list(APPEND GMEMSIM_MODEL_SOURCES
  mm/page_alloc.c
  mm/folio.c
  mm/contents.c
  mm/filemap.c
  mm/truncate.c
  mm/file.c
  mm/memory.c
  mm/mmap.c
  mm/gup.c
  mm/memory-failure.c
  mm/hugetlb.c
  mm/mempolicy.c)
