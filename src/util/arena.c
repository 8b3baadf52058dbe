/* arena.c: chunked bump allocator (see arena.h). Chunks grow geometrically; a request
 * larger than a chunk gets a chunk of its own. */
#include "arena.h"
#include <stdatomic.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct chunk {
    struct chunk *next;
    size_t size, used;
    max_align_t data[]; /* payload */
} chunk;

struct cl_arena {
    chunk *head;       /* current chunk, newest first */
    size_t next_size;  /* size of the next chunk */
    size_t total;      /* bytes handed out */
    bool failed;       /* an allocation returned NULL */
};

cl_arena *cl_arena_new(void)
{
    cl_arena *a = calloc(1, sizeof *a);
    if (a)
        a->next_size = 64 * 1024;
    return a;
}

cl_arena *cl_arena_new_sized(size_t first_chunk)
{
    cl_arena *a = calloc(1, sizeof *a);
    if (a)
        a->next_size = first_chunk < 1024 ? 1024 : first_chunk;
    return a;
}

void cl_arena_reset(cl_arena *a)
{
    if (!a || !a->head)
        return;
    /* keep the newest chunk (the largest), free the others */
    chunk *keep = a->head, *c = keep->next;
    while (c) {
        chunk *n = c->next;
        free(c);
        c = n;
    }
    keep->used = 0;
    keep->next = NULL;
    a->head = keep;
    a->total = 0;
}

void cl_arena_drop(cl_arena *a)
{
    if (!a)
        return;
    chunk *c = a->head;
    while (c) {
        chunk *n = c->next;
        free(c);
        c = n;
    }
    free(a);
}

void *cl_arena_alloc_raw(cl_arena *a, size_t n)
{
    const size_t align = sizeof(max_align_t);
    if (n == 0)
        n = 1;
    if (n > SIZE_MAX / 2) {
        a->failed = true;
        cl_alloc_failed();
        return NULL;
    }
    n = (n + align - 1) / align * align;
    chunk *c = a->head;
    if (!c || c->size - c->used < n) {
        size_t size = a->next_size;
        if (size < n)
            size = n;
        c = malloc(sizeof(chunk) + size);
        if (!c) {
            a->failed = true;
            cl_alloc_failed();
            return NULL;
        }
        c->size = size;
        c->used = 0;
        c->next = a->head;
        a->head = c;
        if (a->next_size < 16 * 1024 * 1024)
            a->next_size *= 2;
    }
    void *p = (char *)c->data + c->used;
    c->used += n;
    a->total += n;
    return p;
}

void *cl_arena_alloc(cl_arena *a, size_t n)
{
    void *p = cl_arena_alloc_raw(a, n);
    if (p)
        memset(p, 0, n ? n : 1);
    return p;
}

char *cl_arena_strndup(cl_arena *a, const char *s, size_t n)
{
    char *p = cl_arena_alloc_raw(a, n + 1);
    if (p) {
        if (n)
            memcpy(p, s, n);
        p[n] = 0;
    }
    return p;
}

char *cl_arena_strdup(cl_arena *a, const char *s)
{
    return s ? cl_arena_strndup(a, s, strlen(s)) : NULL;
}

char *cl_arena_printf(cl_arena *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return NULL;
    char *p = cl_arena_alloc_raw(a, (size_t)n + 1);
    if (!p)
        return NULL;
    va_start(ap, fmt);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return p;
}

void *cl_arena_grow(cl_arena *a, void *arr, size_t n, size_t *cap, size_t elem, size_t first)
{
    if (n < *cap)
        return arr;
    size_t ncap = *cap ? *cap * 2 : first;
    void *p = cl_arena_alloc(a, ncap * elem);
    if (!p)
        return NULL;
    if (n)
        memcpy(p, arr, n * elem); /* the rest stays zeroed: callers count on it */
    *cap = ncap;
    return p;
}

static atomic_ulong alloc_failures;

unsigned long cl_alloc_failures(void) { return atomic_load(&alloc_failures); }
void cl_alloc_failed(void) { atomic_fetch_add(&alloc_failures, 1); }

bool cl_arena_failed(const cl_arena *a)
{
    return a->failed;
}

size_t cl_arena_used(const cl_arena *a)
{
    return a->total;
}
