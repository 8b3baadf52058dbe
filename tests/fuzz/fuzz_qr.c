/* fuzz_qr.c: libFuzzer target for the QR path on arbitrary addresses: the test that an
 * address is linkable, its percent-encoding, the symbol (or the "too long" error) made
 * directly and through the cache with its prefetch thread, and the printed short form
 * under the code. Any crash, hang, leak or sanitizer report is a bug. */
#include "compose/qr.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 1 << 14)
        return 0;
    char *url = malloc(size + 1);
    if (!url)
        return 0;
    memcpy(url, data, size);
    url[size] = 0;
    cl_arena *a = cl_arena_new();
    cl_err e1 = {0}, e2 = {0};
    (void)cl_qr_linkable(url);
    (void)cl_qr_percent_encode(a, url);
    const cl_qr *q = cl_qr_make(a, url, &e1);
    if (!q && !e1.code)
        abort(); /* a failure without its reason */
    cl_qr_cache *c = cl_qr_cache_new();
    if (c) {
        const char *urls[2] = {url, "https://example.org/"};
        cl_qr_cache_prefetch(c, urls, 2);
        const cl_qr *k = cl_qr_cached(c, url, &e2);
        if ((q == NULL) != (k == NULL) || (q && (q->width != k->width ||
                                                 memcmp(q->modules, k->modules, (size_t)q->width * q->width))))
            abort(); /* the cache must give the same symbol */
        cl_qr_cache_drop(c);
    }
    cl_arena_drop(a);
    free(url);
    return 0;
}
