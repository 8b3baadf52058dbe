/* device.c: replaying pages into devices, and the recorder device (see device.h). */
#include "device.h"
#include <stdlib.h>
#include <string.h>

#define CALL(dev, fn, ...)                                                                                     \
    do {                                                                                                       \
        if ((dev)->fn && !(dev)->err.code)                                                                     \
            (dev)->fn((dev), __VA_ARGS__);                                                                     \
    } while (0)

void cl_device_begin(cl_device *dev, const cl_docinfo *info)
{
    CALL(dev, begin_document, info);
}

void cl_device_page(cl_device *dev, const cl_page *p, size_t index)
{
    CALL(dev, begin_page, p, index);
    for (size_t i = 0; i < p->n && !dev->err.code; i++) {
        const cl_op *op = &p->ops[i];
        switch (op->kind) { /* the only switch over op kinds */
        case CL_OP_GLYPHS:
            if (op->text && op->n) {
                cl_glyph_run run = {op->face, op->size, op->x, op->y, op->grey, op->tag, op->text, strlen(op->text),
                                    op->dx, op->n};
                CALL(dev, glyphs, &run);
            }
            break;
        case CL_OP_RECT:
            CALL(dev, fill_rect, op->x, op->y, op->w, op->h, op->grey);
            break;
        case CL_OP_STROKE_RECT:
            CALL(dev, frame, op->x, op->y, op->w, op->h, op->lw, op->grey);
            break;
        case CL_OP_LINE: {
            cl_rule r = {op->x, op->y, op->x + op->w, op->y + op->h, op->lw, op->grey, op->dash_on, op->dash_off};
            CALL(dev, rule, &r);
            break;
        }
        case CL_OP_PATH:
            if (op->path)
                CALL(dev, path, op->path, op->x, op->y, op->size, op->lw, op->grey);
            break;
        case CL_OP_QR:
            if (op->qr && op->qr->width > 0)
                CALL(dev, qr, op->qr, op->x, op->y, op->size);
            break;
        case CL_OP_LINK_URI:
            if (op->text)
                CALL(dev, link_uri, op->x, op->y, op->w, op->h, op->text);
            break;
        case CL_OP_LINK_PAGE:
            CALL(dev, link_page, op->x, op->y, op->w, op->h, op->target_page, op->target_y);
            break;
        case CL_OP_PAGEREF:
            break; /* made into glyphs and links before a page goes out (compose.c) */
        }
    }
    if (dev->end_page && !dev->err.code)
        dev->end_page(dev);
}

void cl_device_bookmark(cl_device *dev, const cl_bookmark *bm)
{
    CALL(dev, bookmark, bm);
}

bool cl_device_close(cl_device *dev, cl_err *err)
{
    bool ok = !dev->err.code && (!dev->close || dev->close(dev));
    if (!ok && !dev->err.code)
        cl_err_set(&dev->err, CL_E_RENDER, "the output could not be finished");
    if (!ok && err && !err->code)
        *err = dev->err;
    return ok;
}

void cl_device_drop(cl_device *dev)
{
    if (dev && dev->drop)
        dev->drop(dev);
}

cl_docinfo cl_doc_info(const cl_doc *doc)
{
    return (cl_docinfo){doc->fonts, doc->title, doc->author, doc->subject, doc->keywords, "fr-FR",
                        doc->outline_open, doc->n_pages};
}

bool cl_doc_replay(const cl_doc *doc, cl_device *dev)
{
    cl_docinfo info = cl_doc_info(doc);
    cl_device_begin(dev, &info);
    for (size_t i = 0; i < doc->n_pages && !dev->err.code; i++)
        cl_device_page(dev, doc->pages[i], i);
    for (size_t i = 0; i < doc->n_bookmarks && !dev->err.code; i++)
        cl_device_bookmark(dev, &doc->bookmarks[i]);
    return !dev->err.code;
}

/* ---- the recorder ------------------------------------------------------------------ */

typedef struct recorder {
    cl_device dev;
    cl_doc *doc;
    cl_page *page;   /* the page being recorded */
} recorder;

static void oom(recorder *r)
{
    cl_err_set(&r->dev.err, CL_E_NOMEM, "out of memory recording the pages");
}

static char *copy_str(recorder *r, const char *s)
{
    char *c = cl_arena_strdup(r->page ? r->page->arena : r->doc->arena, s);
    if (s && !c)
        oom(r);
    return c;
}

static void rec_begin_document(cl_device *dev, const cl_docinfo *info)
{
    recorder *r = (recorder *)dev;
    cl_arena *a = r->doc->arena;
    r->doc->fonts = info->fonts;
    r->doc->title = cl_arena_strdup(a, info->title);
    r->doc->author = cl_arena_strdup(a, info->author);
    r->doc->subject = cl_arena_strdup(a, info->subject);
    r->doc->keywords = cl_arena_strdup(a, info->keywords);
    r->doc->outline_open = info->outline_open;
}

static void push(recorder *r, const cl_op *op)
{
    if (!r->page || !cl_page_add(r->page, op))
        oom(r);
}

static void rec_begin_page(cl_device *dev, const cl_page *p, size_t index)
{
    recorder *r = (recorder *)dev;
    (void)index;
    r->page = cl_doc_add_page(r->doc, p->width, p->height);
    if (!r->page) {
        oom(r);
        return;
    }
    r->page->rotate = p->rotate;
    r->page->n_areas = p->n_areas;
    memcpy(r->page->areas, p->areas, sizeof p->areas);
}

static void rec_glyphs(cl_device *dev, const cl_glyph_run *g)
{
    recorder *r = (recorder *)dev;
    float *dx = r->page ? CL_NEWN(r->page->arena, float, g->n) : NULL;
    char *t = dx ? cl_arena_strndup(r->page->arena, g->text, g->len) : NULL;
    if (!t) {
        oom(r);
        return;
    }
    memcpy(dx, g->dx, g->n * sizeof *dx);
    cl_op op = {.kind = CL_OP_GLYPHS, .tag = g->tag, .face = g->face, .x = g->x, .y = g->y, .size = g->size,
                .grey = g->grey, .text = t, .dx = dx, .n = (uint32_t)g->n};
    push(r, &op);
}

static void rec_rule(cl_device *dev, const cl_rule *l)
{
    cl_op op = {.kind = CL_OP_LINE, .x = l->x0, .y = l->y0, .w = l->x1 - l->x0, .h = l->y1 - l->y0, .lw = l->lw,
                .grey = l->grey, .dash_on = l->dash_on, .dash_off = l->dash_off};
    push((recorder *)dev, &op);
}

static void rec_fill_rect(cl_device *dev, float x, float y, float w, float h, float grey)
{
    cl_op op = {.kind = CL_OP_RECT, .x = x, .y = y, .w = w, .h = h, .grey = grey};
    push((recorder *)dev, &op);
}

static void rec_frame(cl_device *dev, float x, float y, float w, float h, float lw, float grey)
{
    cl_op op = {.kind = CL_OP_STROKE_RECT, .x = x, .y = y, .w = w, .h = h, .lw = lw, .grey = grey};
    push((recorder *)dev, &op);
}

static void rec_path(cl_device *dev, const cl_path *p, float x, float y, float scale, float lw, float grey)
{
    recorder *r = (recorder *)dev;
    cl_path *cp = r->page ? CL_NEW(r->page->arena, cl_path) : NULL;
    cl_path_seg *segs = cp ? CL_NEWN(r->page->arena, cl_path_seg, p->n ? p->n : 1) : NULL;
    if (!segs) {
        oom(r);
        return;
    }
    memcpy(segs, p->segs, p->n * sizeof *segs);
    *cp = (cl_path){segs, p->n, p->fill, p->stroke};
    cl_op op = {.kind = CL_OP_PATH, .x = x, .y = y, .size = scale, .lw = lw, .grey = grey, .path = cp};
    push(r, &op);
}

static void rec_qr(cl_device *dev, const cl_qr *q, float x, float y, float module)
{
    recorder *r = (recorder *)dev;
    size_t n = (size_t)q->width * (size_t)q->width;
    cl_qr *cq = r->page ? CL_NEW(r->page->arena, cl_qr) : NULL;
    uint8_t *m = cq ? CL_NEWN(r->page->arena, uint8_t, n) : NULL;
    if (!m) {
        oom(r);
        return;
    }
    memcpy(m, q->modules, n);
    *cq = (cl_qr){q->width, m, copy_str(r, q->text)};
    cl_op op = {.kind = CL_OP_QR, .x = x, .y = y, .size = module, .qr = cq};
    push(r, &op);
}

static void rec_link_uri(cl_device *dev, float x, float y, float w, float h, const char *uri)
{
    recorder *r = (recorder *)dev;
    cl_op op = {.kind = CL_OP_LINK_URI, .x = x, .y = y, .w = w, .h = h, .text = copy_str(r, uri)};
    push(r, &op);
}

static void rec_link_page(cl_device *dev, float x, float y, float w, float h, int page, float target_y)
{
    cl_op op = {.kind = CL_OP_LINK_PAGE, .x = x, .y = y, .w = w, .h = h, .target_page = page, .target_y = target_y};
    push((recorder *)dev, &op);
}

static void rec_end_page(cl_device *dev)
{
    ((recorder *)dev)->page = NULL;
}

static void rec_bookmark(cl_device *dev, const cl_bookmark *bm)
{
    recorder *r = (recorder *)dev;
    if (!cl_doc_add_bookmark(r->doc, bm->title, bm->level, bm->page, bm->y))
        oom(r);
}

static void rec_drop(cl_device *dev)
{
    recorder *r = (recorder *)dev;
    cl_doc_drop(r->doc);
    free(r);
}

cl_device *cl_recorder_new(void)
{
    recorder *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    r->doc = cl_doc_new(NULL);
    if (!r->doc) {
        free(r);
        return NULL;
    }
    r->dev.begin_document = rec_begin_document;
    r->dev.begin_page = rec_begin_page;
    r->dev.glyphs = rec_glyphs;
    r->dev.rule = rec_rule;
    r->dev.fill_rect = rec_fill_rect;
    r->dev.frame = rec_frame;
    r->dev.path = rec_path;
    r->dev.qr = rec_qr;
    r->dev.link_uri = rec_link_uri;
    r->dev.link_page = rec_link_page;
    r->dev.end_page = rec_end_page;
    r->dev.bookmark = rec_bookmark;
    r->dev.drop = rec_drop;
    return &r->dev;
}

cl_doc *cl_recorder_take(cl_device *dev)
{
    recorder *r = (recorder *)dev;
    cl_doc *d = r->doc;
    r->doc = NULL;
    return d;
}

/* ---- the tee ------------------------------------------------------------------------ */

typedef struct tee {
    cl_device dev;
    cl_device **devs;
    size_t n;
    size_t *announced;
} tee;

/* After a call: the first error of the devices becomes the tee's. */
static void tee_check(tee *t)
{
    for (size_t i = 0; i < t->n && !t->dev.err.code; i++)
        if (t->devs[i]->err.code)
            t->dev.err = t->devs[i]->err;
}

#define TEE(call, ...)                                                                                         \
    do {                                                                                                       \
        tee *t = (tee *)dev;                                                                                   \
        for (size_t i = 0; i < t->n; i++)                                                                      \
            CALL(t->devs[i], call, __VA_ARGS__);                                                               \
        tee_check(t);                                                                                          \
    } while (0)

static void tee_begin_document(cl_device *dev, const cl_docinfo *info)
{
    tee *tt = (tee *)dev;
    if (tt->announced)
        *tt->announced = info->n_pages;
    TEE(begin_document, info);
}
static void tee_begin_page(cl_device *dev, const cl_page *p, size_t index) { TEE(begin_page, p, index); }
static void tee_glyphs(cl_device *dev, const cl_glyph_run *g) { TEE(glyphs, g); }
static void tee_rule(cl_device *dev, const cl_rule *r) { TEE(rule, r); }
static void tee_fill_rect(cl_device *dev, float x, float y, float w, float h, float g) { TEE(fill_rect, x, y, w, h, g); }
static void tee_frame(cl_device *dev, float x, float y, float w, float h, float lw, float g)
{
    TEE(frame, x, y, w, h, lw, g);
}
static void tee_path(cl_device *dev, const cl_path *p, float x, float y, float s, float lw, float g)
{
    TEE(path, p, x, y, s, lw, g);
}
static void tee_qr(cl_device *dev, const cl_qr *q, float x, float y, float m) { TEE(qr, q, x, y, m); }
static void tee_link_uri(cl_device *dev, float x, float y, float w, float h, const char *uri)
{
    TEE(link_uri, x, y, w, h, uri);
}
static void tee_link_page(cl_device *dev, float x, float y, float w, float h, int page, float ty)
{
    TEE(link_page, x, y, w, h, page, ty);
}
static void tee_bookmark(cl_device *dev, const cl_bookmark *bm) { TEE(bookmark, bm); }

static void tee_end_page(cl_device *dev)
{
    tee *t = (tee *)dev;
    for (size_t i = 0; i < t->n; i++)
        if (t->devs[i]->end_page && !t->devs[i]->err.code)
            t->devs[i]->end_page(t->devs[i]);
    tee_check(t);
}

static bool tee_close(cl_device *dev)
{
    tee *t = (tee *)dev;
    bool ok = true;
    for (size_t i = 0; i < t->n; i++) /* every output finished, the first error kept */
        if (!cl_device_close(t->devs[i], NULL))
            ok = false;
    tee_check(t);
    return ok;
}

static void tee_drop(cl_device *dev)
{
    tee *t = (tee *)dev;
    for (size_t i = 0; i < t->n; i++)
        cl_device_drop(t->devs[i]);
    free(t->devs);
    free(t);
}

cl_device *cl_tee_new(cl_device **devs, size_t n, size_t *announced)
{
    tee *t = calloc(1, sizeof *t);
    cl_device **d = t ? calloc(n ? n : 1, sizeof *d) : NULL;
    if (!d) {
        free(t);
        for (size_t i = 0; i < n; i++)
            cl_device_drop(devs[i]);
        return NULL;
    }
    memcpy(d, devs, n * sizeof *d);
    t->devs = d;
    t->n = n;
    t->announced = announced;
    t->dev = (cl_device){tee_begin_document, tee_begin_page, tee_glyphs, tee_rule, tee_fill_rect, tee_frame, tee_path,
                         tee_qr, tee_link_uri, tee_link_page, tee_end_page, tee_bookmark, tee_close, tee_drop, {0}};
    return &t->dev;
}
