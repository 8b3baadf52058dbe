/* impose.c: booklet imposition (see impose.h). */
#include "impose.h"
#include <string.h>

#define A4_LONG 841.89f
#define A4_SHORT 595.276f

bool cl_impose_booklet(cl_doc *doc, bool long_edge)
{
    size_t n = doc->n_pages;
    size_t padded = (n + 3) / 4 * 4;
    if (padded == 0)
        padded = 4;
    size_t sides = padded / 2;
    float half = A4_LONG / 2;
    /* where each original page goes: side index and offsets */
    size_t *side_of = CL_NEWN(doc->arena, size_t, padded);
    float *dx = CL_NEWN(doc->arena, float, padded), *dy = CL_NEWN(doc->arena, float, padded);
    cl_page **sheets = CL_NEWN(doc->arena, cl_page *, sides);
    if (!side_of || !dx || !dy || !sheets)
        return false;
    bool ok = false;
    for (size_t s = 0; s < padded / 4; s++) {
        size_t front[2] = {padded - 2 * s, 2 * s + 1}, back[2] = {2 * s + 2, padded - 2 * s - 1};
        for (int k = 0; k < 2; k++) {
            size_t pf = front[k] - 1, pb = back[k] - 1;
            side_of[pf] = 2 * s;
            side_of[pb] = 2 * s + 1;
            float pw = pf < n ? doc->pages[pf]->width : half, ph = pf < n ? doc->pages[pf]->height : A4_SHORT;
            dx[pf] = (float)k * half + (half - pw) / 2;
            dy[pf] = (A4_SHORT - ph) / 2;
            pw = pb < n ? doc->pages[pb]->width : half;
            ph = pb < n ? doc->pages[pb]->height : A4_SHORT;
            dx[pb] = (float)k * half + (half - pw) / 2;
            dy[pb] = (A4_SHORT - ph) / 2;
        }
    }
    for (size_t i = 0; i < sides; i++) {
        sheets[i] = cl_page_new(A4_LONG, A4_SHORT);
        if (!sheets[i])
            goto done;
        sheets[i]->rotate = long_edge && i % 2 ? 180 : 0;
    }
    /* the areas of the pages, left then right on each side (blank where padded) */
    for (size_t p = 0; p < padded; p++) {
        cl_page *dst = sheets[side_of[p]];
        int k = dx[p] < half / 2 ? 0 : 1;
        cl_page_area ar = {CL_PAGE_BLANK, 0, dx[p], dy[p], half, A4_SHORT, false};
        if (p < n && doc->pages[p]->n_areas) {
            ar = doc->pages[p]->areas[0];
            ar.x += dx[p];
            ar.y += dy[p];
        }
        dst->areas[k] = ar;
        dst->n_areas = 2;
    }
    for (size_t p = 0; p < n; p++) {
        cl_page *src = doc->pages[p], *dst = sheets[side_of[p]];
        for (size_t k = 0; k < src->n; k++) {
            cl_op op = src->ops[k];
            op.x += dx[p];
            op.y += dy[p];
            if (op.kind == CL_OP_LINK_PAGE && op.target_page >= 0 && (size_t)op.target_page < n) {
                op.target_y += dy[op.target_page];
                op.target_page = (int)side_of[op.target_page];
            }
            if (!cl_page_add(dst, &op))
                goto done;
        }
    }
    /* the A5 pages stay alive (the sheets use their strings) but are no longer shown */
    cl_page **ret = CL_NEWN(doc->arena, cl_page *, doc->n_retired + n);
    if (!ret)
        goto done;
    if (doc->n_retired)
        memcpy(ret, doc->retired, doc->n_retired * sizeof *ret);
    memcpy(ret + doc->n_retired, doc->pages, n * sizeof *ret);
    doc->retired = ret;
    doc->n_retired += n;
    for (size_t b = 0; b < doc->n_bookmarks; b++) {
        cl_bookmark *bm = &doc->bookmarks[b];
        bm->y += dy[bm->page];
        bm->page = (int)side_of[bm->page];
    }
    doc->pages = sheets;
    doc->n_pages = sides;
    doc->cap_pages = sides;
    ok = true;
done:
    if (!ok)
        for (size_t i = 0; i < sides; i++)
            cl_page_drop(sheets[i]);
    return ok;
}
