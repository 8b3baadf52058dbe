/* displaylist.c: recording pages of operations (see displaylist.h). */
#include "displaylist.h"
#include "../util/utf8.h"
#include <stdlib.h>
#include <string.h>

cl_doc *cl_doc_new(cl_fonts *fonts)
{
    cl_arena *a = cl_arena_new();
    if (!a)
        return NULL;
    cl_doc *d = CL_NEW(a, cl_doc);
    if (!d) {
        cl_arena_drop(a);
        return NULL;
    }
    d->arena = a;
    d->fonts = fonts;
    return d;
}

void cl_doc_drop(cl_doc *d)
{
    if (!d)
        return;
    for (size_t i = 0; i < d->n_pages; i++)
        cl_page_drop(d->pages[i]);
    for (size_t i = 0; i < d->n_retired; i++)
        cl_page_drop(d->retired[i]);
    cl_arena_drop(d->arena);
}

cl_page *cl_page_new(float w, float h)
{
    cl_arena *a = cl_arena_new_sized(16 * 1024);
    cl_page *p = a ? CL_NEW(a, cl_page) : NULL;
    if (!p) {
        cl_arena_drop(a);
        return NULL;
    }
    p->arena = a;
    p->width = w;
    p->height = h;
    return p;
}

void cl_page_drop(cl_page *p)
{
    if (p)
        cl_arena_drop(p->arena); /* the page itself lives in its arena */
}

bool cl_doc_take_page(cl_doc *d, cl_page *p)
{
    cl_page **np = cl_arena_grow(d->arena, d->pages, d->n_pages, &d->cap_pages, sizeof *np, 16);
    if (!np)
        return false;
    d->pages = np;
    d->pages[d->n_pages++] = p;
    return true;
}

cl_page *cl_doc_add_page(cl_doc *d, float w, float h)
{
    cl_page *p = cl_page_new(w, h);
    if (p && !cl_doc_take_page(d, p)) {
        cl_page_drop(p);
        return NULL;
    }
    return p;
}

bool cl_page_add(cl_page *p, const cl_op *op)
{
    cl_op *no = cl_arena_grow(p->arena, p->ops, p->n, &p->cap, sizeof *no, 128);
    if (!no)
        return false;
    p->ops = no;
    p->ops[p->n++] = *op;
    return true;
}

bool cl_page_add_first(cl_page *p, const cl_op *op)
{
    if (!cl_page_add(p, op))
        return false;
    memmove(p->ops + 1, p->ops, (p->n - 1) * sizeof *p->ops);
    p->ops[0] = *op;
    return true;
}

bool cl_page_move_to_front(cl_page *p, size_t from)
{
    if (from >= p->n || from == 0)
        return true;
    size_t k = p->n - from;
    cl_op *tmp = CL_NEWN(p->arena, cl_op, k);
    if (!tmp)
        return false;
    memcpy(tmp, p->ops + from, k * sizeof *tmp);
    memmove(p->ops + k, p->ops, from * sizeof *p->ops);
    memcpy(p->ops, tmp, k * sizeof *tmp);
    return true;
}

bool cl_page_push(cl_doc *d, cl_page *p, const cl_op *op)
{
    (void)d;
    return cl_page_add(p, op);
}

bool cl_doc_add_bookmark(cl_doc *d, const char *title, int level, int page, float y)
{
    cl_bookmark *nb = cl_arena_grow(d->arena, d->bookmarks, d->n_bookmarks, &d->cap_bookmarks, sizeof *nb, 32);
    if (!nb)
        return false;
    d->bookmarks = nb;
    const char *t = cl_arena_strdup(d->arena, title);
    if (!t)
        return false;
    d->bookmarks[d->n_bookmarks++] = (cl_bookmark){t, level, page, y};
    return true;
}

bool cl_glyphs_natural(cl_arena *a, cl_fonts *fonts, cl_op *op, cl_face face, float size, float x, float y,
                       const char *text, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; n++) {
        uint32_t cp;
        size_t l = cl_utf8_decode(text + i, len - i, &cp);
        i += l ? l : 1;
    }
    char *t = cl_arena_strndup(a, text, len);
    float *dx = CL_NEWN(a, float, n ? n : 1);
    if (!t || !dx)
        return false;
    double at = 0;
    size_t i = 0, k = 0;
    while (i < len && k < n) {
        uint32_t cp;
        size_t l = cl_utf8_decode(text + i, len - i, &cp);
        if (!l)
            l = 1;
        dx[k++] = (float)at;
        at += cl_fonts_advance(fonts, face, cp) * size;
        i += l;
    }
    *op = (cl_op){.kind = CL_OP_GLYPHS, .face = face, .size = size, .x = x, .y = y, .text = t, .dx = dx,
                  .n = (uint32_t)k};
    return true;
}

bool cl_page_text(cl_doc *d, cl_page *p, cl_face face, float size, float x, float y, const char *text, size_t len)
{
    cl_op op;
    return cl_glyphs_natural(p->arena, d->fonts, &op, face, size, x, y, text, len) && cl_page_add(p, &op);
}

bool cl_page_rect(cl_doc *d, cl_page *p, float x, float y, float w, float h, float grey)
{
    (void)d;
    cl_op op = {.kind = CL_OP_RECT, .x = x, .y = y, .w = w, .h = h, .grey = grey};
    return cl_page_add(p, &op);
}

bool cl_page_line(cl_doc *d, cl_page *p, float x0, float y0, float x1, float y1, float lw, float grey)
{
    (void)d;
    cl_op op = {.kind = CL_OP_LINE, .x = x0, .y = y0, .w = x1 - x0, .h = y1 - y0, .lw = lw, .grey = grey};
    return cl_page_add(p, &op);
}

const char *cl_page_role_name(cl_page_role r)
{
    static const char *const names[CL_PAGE_ROLE_COUNT] = {"body", "title", "cover", "divider", "colophon", "blank"};
    return (unsigned)r < CL_PAGE_ROLE_COUNT ? names[r] : "?";
}

bool cl_doc_add_warning(cl_doc *d, const char *msg)
{
    const char **nw = cl_arena_grow(d->arena, d->warnings, d->n_warnings, &d->cap_warnings, sizeof *nw, 4);
    const char *m = nw ? cl_arena_strdup(d->arena, msg) : NULL;
    if (!m)
        return false;
    d->warnings = nw;
    nw[d->n_warnings++] = m;
    return true;
}
