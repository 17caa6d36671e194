/*===- alloc.c - a per-thread cache of a model's temporary buffers -------===*
 *
 * Compiled to LLVM IR when qlow is built and linked, with internal linkage,
 * into every model the x86 backend compiles (X86Codegen.cpp): the model's
 * memref.alloc/dealloc call MLIR's generic allocation functions, defined
 * here.
 *
 * Why: glibc hands large freed blocks back to the kernel (munmap, heap
 * trimming), so a model whose temporaries take megabytes page-faulted them
 * in again on every call -- about 1900 faults per mobilenet_v2 inference,
 * 30% of its time. Here a freed block of at least kMinCached bytes goes to
 * a cache of the calling thread, and the next allocations of that thread
 * reuse it. From the second call on, a model allocates nothing from the
 * system.
 *
 * Memory: each thread that runs the model keeps the blocks its last call
 * freed (at most kSlots of them) until the thread exits; then a pthread key
 * destructor frees them. Unloading the model frees the calling thread's
 * cache and deletes the key (other threads' caches are then leaked rather
 * than freed by code that is gone).
 *
 *===----------------------------------------------------------------------===*/
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

enum { kHeader = 64, kSlots = 256 };
static const size_t kMinCached = 64 * 1024;

/* Kept kHeader bytes before each block handed out (its alignment). */
typedef struct header {
  void *base;      /* what aligned_alloc returned */
  size_t capacity; /* usable bytes after the header */
  int cacheable;
} header;

typedef struct cache {
  void *blocks[kSlots]; /* user pointers */
  size_t capacity[kSlots];
  int count;
} cache;

static pthread_key_t key;
static pthread_once_t once = PTHREAD_ONCE_INIT;
static int haveKey;

static header *headerOf(void *user) {
  return (header *)((char *)user - kHeader);
}

static void freeCache(void *p) {
  cache *c = (cache *)p;
  for (int i = 0; i < c->count; ++i)
    free(headerOf(c->blocks[i])->base);
  free(c);
}

static void createKey(void) {
  haveKey = pthread_key_create(&key, freeCache) == 0;
}

static cache *threadCache(void) {
  pthread_once(&once, createKey);
  if (!haveKey)
    return NULL;
  cache *c = (cache *)pthread_getspecific(key);
  if (!c) {
    c = (cache *)calloc(1, sizeof(cache));
    if (c && pthread_setspecific(key, c) != 0) {
      free(c);
      c = NULL;
    }
  }
  return c;
}

static size_t roundUp(size_t n, size_t to) { return (n + to - 1) / to * to; }

/* A new block of `size` bytes aligned to `alignment` (a power of two). */
static void *newBlock(size_t alignment, size_t size, int cacheable) {
  size_t pad = alignment > kHeader ? alignment : kHeader;
  /* aligned_alloc wants a multiple of the alignment. */
  size_t capacity = roundUp(size ? size : 1, pad);
  char *base = (char *)aligned_alloc(pad, pad + capacity);
  if (!base)
    return NULL;
  char *user = base + pad;
  header *h = headerOf(user);
  h->base = base;
  h->capacity = capacity;
  h->cacheable = cacheable;
  return user;
}

void *_mlir_memref_to_llvm_aligned_alloc(uint64_t alignment, uint64_t size) {
  int cacheable = size >= kMinCached && alignment <= kHeader;
  cache *c = cacheable ? threadCache() : NULL;
  if (c) {
    /* The smallest cached block that fits and wastes at most half. */
    int best = -1;
    for (int i = 0; i < c->count; ++i)
      if (c->capacity[i] >= size && c->capacity[i] / 2 <= size &&
          (best < 0 || c->capacity[i] < c->capacity[best]))
        best = i;
    if (best >= 0) {
      void *user = c->blocks[best];
      --c->count;
      c->blocks[best] = c->blocks[c->count];
      c->capacity[best] = c->capacity[c->count];
      return user;
    }
  }
  return newBlock(alignment, size, c != NULL);
}

void *_mlir_memref_to_llvm_alloc(uint64_t size) {
  return _mlir_memref_to_llvm_aligned_alloc(kHeader, size);
}

void _mlir_memref_to_llvm_free(void *user) {
  if (!user)
    return;
  header *h = headerOf(user);
  if (h->cacheable) {
    cache *c = threadCache();
    if (c && c->count < kSlots) {
      c->blocks[c->count] = user;
      c->capacity[c->count] = h->capacity;
      ++c->count;
      return;
    }
  }
  free(h->base);
}

__attribute__((destructor)) static void releaseOnUnload(void) {
  if (!haveKey)
    return;
  cache *c = (cache *)pthread_getspecific(key);
  if (c) {
    pthread_setspecific(key, NULL);
    freeCache(c);
  }
  pthread_key_delete(key);
}
