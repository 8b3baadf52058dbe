/* trace.c: the trace device (see trace.h). */
#include "trace.h"
#include "../util/utf8.h"
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
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
    cl_buf_fixed(b, v, 2);
}

static void sp_num(cl_buf *b, double v)
{
    cl_buf_putc(b, ' ');
    num(b, v);
}

/* " x y w h": a rectangle's numbers. */
static void sp_rect(cl_buf *b, double x, double y, double w, double h)
{
    sp_num(b, x);
    sp_num(b, y);
    sp_num(b, w);
    sp_num(b, h);
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

typedef struct trace {
    cl_device dev;
    cl_writer *out;
    cl_buf b;          /* what is not written yet */
    cl_buf marks;      /* the bookmark lines, written at the end */
    size_t n_marks;
    bool begun;
    bool committed;
} trace;

/* Hand what is buffered to the writer (all of it when force, else in large pieces). */
static void flush(trace *t, bool force)
{
    if (t->b.failed) {
        cl_err_set(&t->dev.err, CL_E_NOMEM, "out of memory writing the trace");
        return;
    }
    if ((force || t->b.len >= 1 << 16) && t->b.len) {
        if (!t->out->write(t->out, t->b.data, t->b.len, &t->dev.err) && !t->dev.err.code)
            cl_err_set(&t->dev.err, CL_E_IO, "cannot write the trace");
        cl_buf_clear(&t->b);
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

static void tr_begin_document(cl_device *dev, const cl_docinfo *info)
{
    trace *t = (trace *)dev;
    if (!t->out->begin(t->out, 0, &dev->err))
        return;
    t->begun = true;
    cl_buf_puts(&t->b, "classeur-trace 2\n");
    meta(&t->b, "title", info->title);
    meta(&t->b, "author", info->author);
    meta(&t->b, "subject", info->subject);
    meta(&t->b, "keywords", info->keywords);
    meta(&t->b, "lang", info->lang);
    cl_buf_printf(&t->b, "pages %zu\n", info->n_pages);
}

static void tr_begin_page(cl_device *dev, const cl_page *p, size_t index)
{
    cl_buf *b = &((trace *)dev)->b;
    cl_buf_printf(b, "page %zu ", index + 1);
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
}

static void tr_glyphs(cl_device *dev, const cl_glyph_run *g)
{
    cl_buf *b = &((trace *)dev)->b;
    cl_buf_puts(b, "text ");
    cl_buf_puts(b, cl_trace_face_name(g->face));
    sp_num(b, g->size);
    sp_num(b, g->x);
    sp_num(b, g->y);
    grey(b, g->grey);
    cl_buf_putc(b, ' ');
    quoted(b, g->text);
    /* where each word after the first starts (the character after an ordinary space) */
    bool at = false;
    for (size_t i = 0, k = 0; i < g->len && k < g->n; k++) {
        bool space = g->text[i] == ' ';
        uint32_t cp;
        size_t l = cl_utf8_decode(g->text + i, g->len - i, &cp);
        i += l ? l : 1;
        if (space && k + 1 < g->n && i < g->len && g->text[i] != ' ') {
            if (!at)
                cl_buf_puts(b, " at");
            at = true;
            sp_num(b, g->dx[k + 1]);
        }
    }
    if (g->tag)
        cl_buf_puts(b, g->tag == CL_TAG_HEADING ? " heading" : " caption");
    cl_buf_putc(b, '\n');
}

static void tr_rule(cl_device *dev, const cl_rule *r)
{
    cl_buf *b = &((trace *)dev)->b;
    cl_buf_puts(b, "line");
    sp_num(b, r->x0);
    sp_num(b, r->y0);
    sp_num(b, r->x1);
    sp_num(b, r->y1);
    lw(b, r->lw);
    grey(b, r->grey);
    if (r->dash_on > 0) {
        cl_buf_puts(b, " dash");
        sp_num(b, r->dash_on);
        sp_num(b, r->dash_off);
    }
    cl_buf_putc(b, '\n');
}

static void tr_fill_rect(cl_device *dev, float x, float y, float w, float h, float g)
{
    cl_buf *b = &((trace *)dev)->b;
    cl_buf_puts(b, "rect");
    sp_rect(b, x, y, w, h);
    grey(b, g);
    cl_buf_putc(b, '\n');
}

static void tr_frame(cl_device *dev, float x, float y, float w, float h, float width, float g)
{
    cl_buf *b = &((trace *)dev)->b;
    cl_buf_puts(b, "frame");
    sp_rect(b, x, y, w, h);
    lw(b, width);
    grey(b, g);
    cl_buf_putc(b, '\n');
}

static void tr_path(cl_device *dev, const cl_path *p, float x, float y, float scale, float width, float g)
{
    cl_buf *b = &((trace *)dev)->b;
    cl_buf_puts(b, "path");
    sp_num(b, x);
    sp_num(b, y);
    cl_buf_puts(b, " scale");
    sp_num(b, scale);
    lw(b, width);
    grey(b, g);
    cl_buf_puts(b, p->fill && p->stroke ? " fill+stroke" : (p->fill ? " fill" : " stroke"));
    for (size_t i = 0; i < p->n; i++) {
        const cl_path_seg *s = &p->segs[i];
        cl_buf_putc(b, ' ');
        cl_buf_putc(b, s->cmd);
        if (s->cmd == 'C') {
            sp_num(b, s->x1);
            sp_num(b, s->y1);
            sp_num(b, s->x2);
            sp_num(b, s->y2);
        }
        if (s->cmd == 'M' || s->cmd == 'L' || s->cmd == 'C') {
            sp_num(b, s->x);
            sp_num(b, s->y);
        }
    }
    cl_buf_putc(b, '\n');
}

static void tr_qr(cl_device *dev, const cl_qr *q, float x, float y, float module)
{
    cl_buf *b = &((trace *)dev)->b;
    cl_buf_puts(b, "qr");
    sp_num(b, x);
    sp_num(b, y);
    cl_buf_puts(b, " module");
    sp_num(b, module);
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

static void tr_link_uri(cl_device *dev, float x, float y, float w, float h, const char *uri)
{
    cl_buf *b = &((trace *)dev)->b;
    cl_buf_puts(b, "link");
    sp_rect(b, x, y, w, h);
    cl_buf_putc(b, ' ');
    quoted(b, uri);
    cl_buf_putc(b, '\n');
}

static void tr_link_page(cl_device *dev, float x, float y, float w, float h, int page, float ty)
{
    cl_buf *b = &((trace *)dev)->b;
    cl_buf_puts(b, "goto");
    sp_rect(b, x, y, w, h);
    cl_buf_printf(b, " page %d y", page + 1);
    sp_num(b, ty);
    cl_buf_putc(b, '\n');
}

static void tr_end_page(cl_device *dev)
{
    flush((trace *)dev, false);
}

static void tr_bookmark(cl_device *dev, const cl_bookmark *bm)
{
    trace *t = (trace *)dev;
    cl_buf_printf(&t->marks, "bookmark level %d page %d y", bm->level, bm->page + 1);
    sp_num(&t->marks, bm->y);
    cl_buf_putc(&t->marks, ' ');
    quoted(&t->marks, bm->title);
    cl_buf_putc(&t->marks, '\n');
    t->n_marks++;
}

static bool tr_close(cl_device *dev)
{
    trace *t = (trace *)dev;
    if (!t->begun)
        tr_begin_document(dev, &(cl_docinfo){0});
    cl_buf_printf(&t->b, "bookmarks %zu\n", t->n_marks);
    cl_buf_put(&t->b, t->marks.data, t->marks.len);
    if (t->marks.failed)
        t->b.failed = true;
    flush(t, true);
    bool ok = !dev->err.code;
    if (t->begun) {
        t->begun = false;
        if (!t->out->end(t->out, ok, &dev->err))
            ok = false;
    }
    if (!t->out->commit(t->out, ok, &dev->err))
        ok = false;
    t->committed = true;
    return ok && !dev->err.code;
}

static void tr_drop(cl_device *dev)
{
    trace *t = (trace *)dev;
    if (t->begun)
        t->out->end(t->out, false, &dev->err);
    if (!t->committed)
        t->out->commit(t->out, false, &dev->err);
    cl_buf_free(&t->b);
    cl_buf_free(&t->marks);
    free(t);
}

cl_device *cl_trace_device_new(cl_writer *out)
{
    trace *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    t->out = out;
    t->dev.begin_document = tr_begin_document;
    t->dev.begin_page = tr_begin_page;
    t->dev.glyphs = tr_glyphs;
    t->dev.rule = tr_rule;
    t->dev.fill_rect = tr_fill_rect;
    t->dev.frame = tr_frame;
    t->dev.path = tr_path;
    t->dev.qr = tr_qr;
    t->dev.link_uri = tr_link_uri;
    t->dev.link_page = tr_link_page;
    t->dev.end_page = tr_end_page;
    t->dev.bookmark = tr_bookmark;
    t->dev.close = tr_close;
    t->dev.drop = tr_drop;
    return &t->dev;
}

bool cl_trace_write(const cl_doc *doc, cl_buf *out)
{
    cl_mem_writer mw;
    cl_mem_writer_init(&mw, out);
    cl_device *dev = cl_trace_device_new(&mw.w);
    if (!dev)
        return false;
    bool ok = cl_doc_replay(doc, dev) && cl_device_close(dev, NULL);
    cl_device_drop(dev);
    return ok && !out->failed;
}
