/* failalloc.c: an LD_PRELOAD library for tests/failalloc/run.py (make check). It makes
 * the FAIL_AT-th call to malloc, calloc or realloc made by Classeur's own code (the
 * caller's return address inside the executable's text) return NULL, once, so that
 * every allocation of ours is seen failing in turn; libraries keep their memory (GLib,
 * for one, aborts by design when it cannot allocate). With FAIL_COUNT set, prints
 * "allocations: N" on stderr at exit. Async-signal-safe where it must be: no stdio. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);

static atomic_long count;
static long fail_at = -1;
static uintptr_t text_lo[8], text_hi[8];
static int n_text;
static char maps[1 << 16];

/* The executable's code ranges, from /proc/self/maps (read without allocating). */
__attribute__((constructor)) static void init(void)
{
    const char *e = getenv("FAIL_AT");
    fail_at = e ? atol(e) : -1;
    char exe[1024];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    int fd = open("/proc/self/maps", O_RDONLY);
    if (n <= 0 || fd < 0)
        return;
    exe[n] = 0;
    ssize_t len = 0, r;
    while (len < (ssize_t)sizeof maps - 1 && (r = read(fd, maps + len, sizeof maps - 1 - (size_t)len)) > 0)
        len += r;
    close(fd);
    maps[len] = 0;
    for (char *line = maps; line && *line && n_text < 8;) {
        char *nl = strchr(line, '\n');
        if (nl)
            *nl = 0;
        if (strstr(line, " r-xp ") && strstr(line, exe)) {
            char *end;
            text_lo[n_text] = strtoull(line, &end, 16);
            text_hi[n_text] = strtoull(end + 1, NULL, 16);
            n_text++;
        }
        line = nl ? nl + 1 : NULL;
    }
}

static int fails(void *caller)
{
    uintptr_t a = (uintptr_t)caller;
    int ours = 0;
    for (int i = 0; i < n_text && !ours; i++)
        ours = a >= text_lo[i] && a < text_hi[i];
    if (!ours || atomic_fetch_add(&count, 1) + 1 != fail_at)
        return 0;
    errno = ENOMEM;
    return 1;
}

void *malloc(size_t n) { return fails(__builtin_return_address(0)) ? NULL : __libc_malloc(n); }
void *calloc(size_t k, size_t n) { return fails(__builtin_return_address(0)) ? NULL : __libc_calloc(k, n); }
void *realloc(void *p, size_t n) { return fails(__builtin_return_address(0)) ? NULL : __libc_realloc(p, n); }

__attribute__((destructor)) static void report(void)
{
    if (!getenv("FAIL_COUNT"))
        return;
    char digits[24], line[48];
    int k = 0, l = 0;
    long c = atomic_load(&count);
    do
        digits[k++] = (char)('0' + c % 10);
    while ((c /= 10) && k < 23);
    memcpy(line, "allocations: ", 13);
    l = 13;
    while (k)
        line[l++] = digits[--k];
    line[l++] = '\n';
    if (write(2, line, (size_t)l) < 0)
        return;
}
