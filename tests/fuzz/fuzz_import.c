/* fuzz_import.c: libFuzzer target for the reference importers and exporters on any
 * bytes. The first byte chooses the format (RIS, CSL-JSON, BibTeX), the rest is the file.
 * Every record read must have a title and a known type; written back in each format and
 * read again, the same records must come back, as many and with the same titles. Any
 * crash, hang, leak, sanitizer report or broken round trip is a bug. */
#include "exchange/exchange.h"
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > 1 << 16)
        return 0;
    cl_xformat f = (cl_xformat)(data[0] % CL_XFMT_COUNT);
    cl_arena *a = cl_arena_new();
    cl_diags d = {0};
    cl_xrecord *recs = NULL;
    size_t n = 0;
    (void)cl_import_parse(a, f, "fuzz", (const char *)data + 1, size - 1, &recs, &n, &d);
    cl_resource *res = cl_arena_alloc(a, (n ? n : 1) * sizeof *res);
    cl_xitem *items = cl_arena_alloc(a, (n ? n : 1) * sizeof *items);
    if (!res || !items)
        abort();
    for (size_t i = 0; i < n; i++) {
        const cl_xrecord *r = &recs[i];
        if (!r->title || r->type >= CL_RES_TYPE_COUNT)
            abort(); /* a record without its title, or of no type */
        res[i] = (cl_resource){.id = r->key && cl_id_valid(r->key) ? r->key : "x", .type = r->type,
                               .authors = r->authors, .n_authors = r->n_authors, .title = r->title,
                               .container = r->container, .publisher = r->publisher, .volume = r->volume,
                               .issue = r->issue, .date = r->date, .pages = r->pages,
                               .duration_s = r->duration_s, .description = r->description, .url = r->url,
                               .accessed = r->accessed};
        items[i] = (cl_xitem){&res[i], r->abstract};
    }
    for (int g = 0; g < CL_XFMT_COUNT; g++) {
        cl_buf out = {0};
        cl_export(&out, (cl_xformat)g, items, n);
        if (out.failed)
            abort();
        cl_diags d2 = {0};
        cl_xrecord *back = NULL;
        size_t m = 0;
        bool ok = n == 0 || cl_import_parse(a, (cl_xformat)g, "fuzz-again", out.data, out.len, &back, &m, &d2);
        if (n && (!ok || m != n))
            abort(); /* what we wrote does not read back */
        for (size_t i = 0; n && i < n; i++)
            if (strcmp(back[i].title, recs[i].title)) {
                fprintf(stderr, "format %d: title '%s' came back as '%s'\n", g, recs[i].title, back[i].title);
                abort();
            }
        cl_diags_free(&d2);
        cl_buf_free(&out);
    }
    cl_diags_free(&d);
    cl_arena_drop(a);
    return 0;
}
