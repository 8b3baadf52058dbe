/* arena.h: a bump allocator. Everything loaded from one dossier (nodes, strings, records)
 * and everything built for one document (lines, display list) lives in one arena and is
 * freed at once with cl_arena_drop(). Allocation failure is reported by a NULL return;
 * callers turn it into an error value. */
#ifndef CL_ARENA_H
#define CL_ARENA_H
#include <stdbool.h>
#include <stddef.h>

typedef struct cl_arena cl_arena;

/* Create an empty arena. Returns NULL when out of memory. The caller owns it. */
cl_arena *cl_arena_new(void);
/* Create an empty arena whose first chunk holds first_chunk bytes (small arenas for
 * pages and scratch work; chunks still grow geometrically). NULL when out of memory. */
cl_arena *cl_arena_new_sized(size_t first_chunk);
/* Forget everything allocated from a, keeping its first chunk for reuse (a scratch
 * arena emptied after each paragraph). Pointers into a become invalid. */
void cl_arena_reset(cl_arena *a);
/* Free the arena and everything allocated from it. NULL is accepted. Never fails. */
void cl_arena_drop(cl_arena *a);
/* Allocate n zeroed bytes, aligned for any type. Returns NULL when out of memory. */
void *cl_arena_alloc(cl_arena *a, size_t n);
/* The same, left as it was (the caller writes every byte before reading it). */
void *cl_arena_alloc_raw(cl_arena *a, size_t n);
/* Copy n bytes of s into the arena and add a terminating NUL. */
char *cl_arena_strndup(cl_arena *a, const char *s, size_t n);
/* Copy a NUL-terminated string into the arena. NULL gives NULL. */
char *cl_arena_strdup(cl_arena *a, const char *s);
/* printf into a new arena string. */
char *cl_arena_printf(cl_arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Make room for one more element in an arena array of n used elements out of *cap:
 * when full, allocate double the capacity (first when empty), copy the n elements and
 * return the new array (the old one stays in the arena until it is dropped). Returns arr
 * when there is room already, NULL when out of memory (arr is then unchanged). */
void *cl_arena_grow(cl_arena *a, void *arr, size_t n, size_t *cap, size_t elem, size_t first);
/* True once an allocation from a has failed (whatever the caller did with the NULL):
 * the loader turns it into an error, so no record is ever dropped silently. */
bool cl_arena_failed(const cl_arena *a);
/* How many allocations of arenas and buffers (util/buf.h) have failed so far in this
 * process. Whoever makes a whole (a catalogue, a document) reads it before and after:
 * an allocation failure whose NULL some caller absorbed (a cache, an optional text)
 * still fails the whole, instead of giving a silently poorer result. */
unsigned long cl_alloc_failures(void);
/* Count one failed allocation (for util/buf.c). */
void cl_alloc_failed(void);
/* Bytes handed out so far (for benchmarks and memory reports). */
size_t cl_arena_used(const cl_arena *a);

#define CL_NEW(a, T) ((T *)cl_arena_alloc((a), sizeof(T)))
#define CL_NEWN(a, T, n) ((T *)cl_arena_alloc((a), sizeof(T) * (size_t)(n)))
#define CL_NEWN_RAW(a, T, n) ((T *)cl_arena_alloc_raw((a), sizeof(T) * (size_t)(n)))
#endif
