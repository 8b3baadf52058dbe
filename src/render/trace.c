/* trace.c: the trace backend (see trace.h). */
#include "trace.h"
#include "../util/utf8.h"
#include <stdint.h>
#include <stdio.h>
#include <string.h>

const char *cl_trace_face_name(cl_face face)
{
    static const char *const names[CL_FACE_COUNT] = {"serif",     "serif-italic", "serif-bold", "serif-bold-italic",
                                                     "sans",      "sans-bold",    "sans-italic", "fallback"};
    return (unsigned)face < CL_FACE_COUNT ? names[face] : "unknown";
}

/* A number rounded to 0.01, never "-0.00". */
static void num(cl_buf *b, double v)
{
    char s[64];
    snprintf(s, sizeof s, "%.2f", v);
    cl_buf_puts(b, strcmp(s, "-0.00") ? s : "0.00");
}

static void sp_num(cl_buf *b, double v)
{
    cl_buf_putc(b, ' ');
    num(b, v);
}

static bool invisible(uint32_t cp)
{
    return cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0) || cp == 0xA0 || cp == 0xAD ||
           (cp >= 0x2000 && cp <= 0x200F) || (cp >= 0x2028 && cp <= 0x202F) || cp == 0x205F || cp == 0x2060 ||
           cp == 0xFEFF || cp == 0x3000;
}

static void quoted(cl_buf *b, const char *s)
{
    cl_buf_putc(b, '"');
    size_t n = s ? strlen(s) : 0, i = 0;
    while (i < n) {
        uint32_t cp;
        size_t l = cl_utf8_decode(s + i, n - i, &cp);
        if (!l) {
            cl_buf_printf(b, "\\x%02X", (unsigned char)s[i]);
            i++;
            continue;
        }
        if (cp == '"' || cp == '\\') {
            cl_buf_putc(b, '\\');
            cl_buf_putc(b, (char)cp);
        } else if (invisible(cp)) {
            cl_buf_printf(b, "\\u{%04X}", (unsigned)cp);
        } else {
            cl_buf_put(b, s + i, l);
        }
        i += l;
    }
    cl_buf_putc(b, '"');
}

static void grey(cl_buf *b, float g)
{
    cl_buf_puts(b, " grey");
    sp_num(b, g);
}

static void lw(cl_buf *b, float w)
{
    cl_buf_puts(b, " lw");
    sp_num(b, w);
}

static void trace_path(cl_buf *b, const cl_op *op)
{
    const cl_path *p = op->path;
    cl_buf_puts(b, "path");
    sp_num(b, op->x);
    sp_num(b, op->y);
    cl_buf_puts(b, " scale");
    sp_num(b, op->size);
    lw(b, op->lw);
    grey(b, op->grey);
    if (!p) {
        cl_buf_puts(b, " none\n");
        return;
    }
    cl_buf_puts(b, p->fill && p->stroke ? " fill+stroke" : (p->fill ? " fill" : " stroke"));
    for (size_t i = 0; i < p->n; i++) {
        const cl_path_seg *g = &p->segs[i];
        cl_buf_printf(b, " %c", g->cmd);
        if (g->cmd == 'C') {
            sp_num(b, g->x1);
            sp_num(b, g->y1);
            sp_num(b, g->x2);
            sp_num(b, g->y2);
        }
        if (g->cmd == 'M' || g->cmd == 'L' || g->cmd == 'C') {
            sp_num(b, g->x);
            sp_num(b, g->y);
        }
    }
    cl_buf_putc(b, '\n');
}

static void trace_qr(cl_buf *b, const cl_op *op)
{
    const cl_qr *q = op->qr;
    cl_buf_puts(b, "qr");
    sp_num(b, op->x);
    sp_num(b, op->y);
    cl_buf_puts(b, " module");
    sp_num(b, op->size);
    if (!q) {
        cl_buf_puts(b, " none\n");
        return;
    }
    uint32_t h = 2166136261u;
    size_t dark = 0, n = (size_t)q->width * (size_t)q->width;
    for (size_t i = 0; i < n; i++) {
        h = (h ^ (q->modules[i] ? 1u : 0u)) * 16777619u;
        dark += q->modules[i] ? 1 : 0;
    }
    cl_buf_printf(b, " width %d dark %zu hash %08x ", q->width, dark, (unsigned)h);
    quoted(b, q->text);
    cl_buf_putc(b, '\n');
}

static void trace_op(cl_buf *b, const cl_op *op)
{
    switch (op->kind) {
    case CL_OP_TEXT:
        cl_buf_printf(b, "text %s", cl_trace_face_name(op->face));
        sp_num(b, op->size);
        sp_num(b, op->x);
        sp_num(b, op->y);
        grey(b, op->grey);
        cl_buf_putc(b, ' ');
        quoted(b, op->text);
        if (op->tag)
            cl_buf_puts(b, op->tag == CL_TAG_HEADING ? " heading" : " caption");
        cl_buf_putc(b, '\n');
        break;
    case CL_OP_RECT:
        cl_buf_puts(b, "rect");
        sp_num(b, op->x);
        sp_num(b, op->y);
        sp_num(b, op->w);
        sp_num(b, op->h);
        grey(b, op->grey);
        cl_buf_putc(b, '\n');
        break;
    case CL_OP_STROKE_RECT:
        cl_buf_puts(b, "frame");
        sp_num(b, op->x);
        sp_num(b, op->y);
        sp_num(b, op->w);
        sp_num(b, op->h);
        lw(b, op->lw);
        grey(b, op->grey);
        cl_buf_putc(b, '\n');
        break;
    case CL_OP_LINE:
        cl_buf_puts(b, "line");
        sp_num(b, op->x);
        sp_num(b, op->y);
        sp_num(b, (double)op->x + op->w);
        sp_num(b, (double)op->y + op->h);
        lw(b, op->lw);
        grey(b, op->grey);
        cl_buf_putc(b, '\n');
        break;
    case CL_OP_PATH:
        trace_path(b, op);
        break;
    case CL_OP_QR:
        trace_qr(b, op);
        break;
    case CL_OP_LINK_URI:
        cl_buf_puts(b, "link");
        sp_num(b, op->x);
        sp_num(b, op->y);
        sp_num(b, op->w);
        sp_num(b, op->h);
        cl_buf_putc(b, ' ');
        quoted(b, op->text);
        cl_buf_putc(b, '\n');
        break;
    case CL_OP_LINK_PAGE:
        cl_buf_puts(b, "goto");
        sp_num(b, op->x);
        sp_num(b, op->y);
        sp_num(b, op->w);
        sp_num(b, op->h);
        cl_buf_printf(b, " page %d y", op->target_page + 1);
        sp_num(b, op->target_y);
        cl_buf_putc(b, '\n');
        break;
    default:
        cl_buf_printf(b, "unknown-op %d\n", (int)op->kind);
        break;
    }
}

static void meta(cl_buf *b, const char *key, const char *v)
{
    if (!v)
        return;
    cl_buf_printf(b, "%s ", key);
    quoted(b, v);
    cl_buf_putc(b, '\n');
}

bool cl_trace_write(const cl_doc *doc, cl_buf *b)
{
    cl_buf_puts(b, "classeur-trace 1\n");
    meta(b, "title", doc->title);
    meta(b, "author", doc->author);
    meta(b, "subject", doc->subject);
    meta(b, "keywords", doc->keywords);
    cl_buf_printf(b, "pages %zu\n", doc->n_pages);
    for (size_t i = 0; i < doc->n_pages; i++) {
        const cl_page *p = doc->pages[i];
        cl_buf_printf(b, "page %zu ", i + 1);
        num(b, p->width);
        cl_buf_putc(b, 'x');
        num(b, p->height);
        if (p->rotate)
            cl_buf_printf(b, " rotate %d", p->rotate);
        cl_buf_printf(b, " ops %zu\n", p->n);
        for (int a = 0; a < p->n_areas; a++) {
            const cl_page_area *ar = &p->areas[a];
            cl_buf_printf(b, "area %d %s", ar->page, cl_page_role_name(ar->role));
            sp_num(b, ar->x);
            sp_num(b, ar->y);
            sp_num(b, ar->w);
            sp_num(b, ar->h);
            cl_buf_puts(b, ar->forced ? " forced\n" : "\n");
        }
        for (size_t k = 0; k < p->n; k++)
            trace_op(b, &p->ops[k]);
    }
    cl_buf_printf(b, "bookmarks %zu\n", doc->n_bookmarks);
    for (size_t i = 0; i < doc->n_bookmarks; i++) {
        const cl_bookmark *bm = &doc->bookmarks[i];
        cl_buf_printf(b, "bookmark level %d page %d y", bm->level, bm->page + 1);
        sp_num(b, bm->y);
        cl_buf_putc(b, ' ');
        quoted(b, bm->title);
        cl_buf_putc(b, '\n');
    }
    return !b->failed;
}
