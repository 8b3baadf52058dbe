/* displaylist.c: recording pages of operations (see displaylist.h). */
#include "displaylist.h"
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
    if (d)
        cl_arena_drop(d->arena);
}

cl_page *cl_doc_add_page(cl_doc *d, float w, float h)
{
    cl_page **np = cl_arena_grow(d->arena, d->pages, d->n_pages, &d->cap_pages, sizeof *np, 16);
    if (!np)
        return NULL;
    d->pages = np;
    cl_page *p = CL_NEW(d->arena, cl_page);
    if (!p)
        return NULL;
    p->width = w;
    p->height = h;
    d->pages[d->n_pages++] = p;
    return p;
}

bool cl_page_push(cl_doc *d, cl_page *p, const cl_op *op)
{
    cl_op *no = cl_arena_grow(d->arena, p->ops, p->n, &p->cap, sizeof *no, 128);
    if (!no)
        return false;
    p->ops = no;
    p->ops[p->n++] = *op;
    return true;
}

bool cl_doc_add_bookmark(cl_doc *d, const char *title, int level, int page, float y)
{
    cl_bookmark *nb = cl_arena_grow(d->arena, d->bookmarks, d->n_bookmarks, &d->cap_bookmarks, sizeof *nb, 32);
    if (!nb)
        return false;
    d->bookmarks = nb;
    d->bookmarks[d->n_bookmarks++] = (cl_bookmark){cl_arena_strdup(d->arena, title), level, page, y};
    return true;
}

bool cl_page_text(cl_doc *d, cl_page *p, cl_face face, float size, float x, float y, const char *text, size_t len)
{
    cl_op op = {.kind = CL_OP_TEXT, .face = face, .size = size, .x = x, .y = y};
    op.text = cl_arena_strndup(d->arena, text, len);
    return op.text && cl_page_push(d, p, &op);
}

bool cl_page_rect(cl_doc *d, cl_page *p, float x, float y, float w, float h, float grey)
{
    cl_op op = {.kind = CL_OP_RECT, .x = x, .y = y, .w = w, .h = h, .grey = grey};
    return cl_page_push(d, p, &op);
}

bool cl_page_line(cl_doc *d, cl_page *p, float x0, float y0, float x1, float y1, float lw, float grey)
{
    cl_op op = {.kind = CL_OP_LINE, .x = x0, .y = y0, .w = x1 - x0, .h = y1 - y0, .lw = lw, .grey = grey};
    return cl_page_push(d, p, &op);
}

const char *cl_page_role_name(cl_page_role r)
{
    static const char *const names[CL_PAGE_ROLE_COUNT] = {"body", "title", "cover", "divider", "colophon", "blank"};
    return (unsigned)r < CL_PAGE_ROLE_COUNT ? names[r] : "?";
}

bool cl_doc_add_warning(cl_doc *d, const char *msg)
{
    const char **nw = cl_arena_grow(d->arena, d->warnings, d->n_warnings, &d->cap_warnings, sizeof *nw, 4);
    if (!nw)
        return false;
    d->warnings = nw;
    nw[d->n_warnings++] = msg;
    return true;
}
