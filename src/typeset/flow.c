/* flow.c: the vertical flow of boxes and its pagination, page by page (see layout.h).
 *
 * Pagination works on the boxes still waiting (f->boxes[0..n)): it lays out one page at
 * a time from the first of them and gives it to the sink, then forgets the boxes it used.
 * A page is decided only when what follows it is known (LOOKAHEAD boxes past its end, or
 * the end of the document), since keep rules look ahead. */
#include "layout.h"
#include "../util/i18n.h"
#include <stdlib.h>
#include <string.h>

/* Boxes past a page's end that must be known before the page is decided: the keep rules
 * (the last three boxes before a forced page break) look that far. */
#define LOOKAHEAD 4
/* A streaming flow starts a new arena chunk once the current one holds this much. */
#define CHUNK_BYTES (256 * 1024)

static void oom(cl_flow *f)
{
    cl_err_set(f->ts->err, CL_E_NOMEM, "out of memory");
}

void cl_flow_init(cl_flow *f, cl_ts *ts, size_t n_anchors)
{
    memset(f, 0, sizeof *f);
    f->ts = ts;
    f->n_anchors = n_anchors;
    f->last_group = -1;
    if (n_anchors) {
        f->anchor_page = CL_NEWN(ts->a, int, n_anchors);
        f->anchor_y = CL_NEWN(ts->a, float, n_anchors);
        for (size_t i = 0; f->anchor_page && i < n_anchors; i++)
            f->anchor_page[i] = -1;
    }
}

void cl_flow_free(cl_flow *f)
{
    free(f->boxes);
    free(f->group_titles);
    free(f->hts);
    for (size_t i = 0; i < f->n_chunks; i++)
        cl_arena_drop(f->chunks[i].a);
    free(f->chunks);
    f->boxes = NULL;
    f->group_titles = NULL;
    f->hts = NULL;
    f->chunks = NULL;
    f->n = f->cap = f->n_groups = f->cap_groups = f->cap_hts = f->n_chunks = f->cap_chunks = 0;
}

int cl_flow_group(cl_flow *f, const char *title)
{
    if (f->n_groups == f->cap_groups) {
        size_t cap = f->cap_groups ? f->cap_groups * 2 : 64;
        const char **ng = realloc(f->group_titles, cap * sizeof *ng);
        if (!ng) {
            oom(f);
            return -1;
        }
        f->group_titles = ng;
        f->cap_groups = cap;
    }
    f->group_titles[f->n_groups] = title;
    return (int)f->n_groups++;
}

cl_box *cl_flow_box(cl_flow *f, float height)
{
    if (f->n == f->cap) {
        size_t cap = f->cap ? f->cap * 2 : 256;
        cl_box *nb = realloc(f->boxes, cap * sizeof *nb);
        if (!nb) {
            oom(f);
            return NULL;
        }
        f->boxes = nb;
        f->cap = cap;
    }
    cl_box *b = &f->boxes[f->n++];
    memset(b, 0, sizeof *b);
    b->height = height;
    b->anchor = -1;
    b->group = -1;
    b->chunk = f->chunk_id;
    return b;
}

bool cl_box_push(cl_flow *f, cl_box *b, const cl_op *op)
{
    cl_op *no = cl_arena_grow(f->ts->a, b->ops, b->n, &b->cap, sizeof *no, 8);
    if (!no) {
        oom(f);
        return false;
    }
    b->ops = no;
    b->ops[b->n++] = *op;
    return true;
}

bool cl_box_text(cl_flow *f, cl_box *b, cl_face face, float size, float x, float y, const char *text)
{
    cl_op op;
    if (!cl_glyphs_natural(f->ts->a, f->ts->fonts, &op, face, size, x, y, text, strlen(text))) {
        oom(f);
        return false;
    }
    return cl_box_push(f, b, &op);
}

bool cl_box_text_first(cl_flow *f, cl_box *b, cl_face face, float size, float x, float y, const char *text)
{
    if (!cl_box_text(f, b, face, size, x, y, text))
        return false;
    cl_op op = b->ops[b->n - 1];
    memmove(b->ops + 1, b->ops, (b->n - 1) * sizeof *b->ops);
    b->ops[0] = op;
    return true;
}

bool cl_box_line(cl_flow *f, cl_box *b, const cl_line *line, float x, float baseline)
{
    for (size_t i = 0; i < line->n; i++) {
        const cl_frag *fr = &line->frags[i];
        cl_op op = {.kind = CL_OP_GLYPHS, .face = fr->face, .size = fr->size, .x = x + fr->x, .y = baseline,
                    .text = fr->text, .dx = fr->dx, .n = fr->n};
        if (!cl_box_push(f, b, &op))
            return false;
    }
    return true;
}

void cl_flow_tag(cl_flow *f, size_t from, cl_tag tag)
{
    for (size_t i = from; i < f->n; i++)
        for (size_t k = 0; k < f->boxes[i].n; k++)
            if (f->boxes[i].ops[k].kind == CL_OP_GLYPHS)
                f->boxes[i].ops[k].tag = tag;
}

float cl_baseline(const cl_textstyle *st)
{
    return (st->leading - st->size) / 2 + st->size * 0.8f;
}

bool cl_flow_paragraph(cl_flow *f, const cl_rich *rich, const cl_textstyle *st, float x, float measure,
                       float space_before, bool keep_all)
{
    size_t n;
    cl_line *lines = cl_break_lines(f->ts, rich, st, measure, &n);
    if (f->ts->err->code)
        return false;
    for (size_t i = 0; i < n; i++) {
        cl_box *b = cl_flow_box(f, st->leading);
        if (!b || !cl_box_line(f, b, &lines[i], x, cl_baseline(st)))
            return false;
        if (i == 0)
            b->space_before = space_before;
        /* no orphan (first line alone at a page foot), no widow (last line alone on top) */
        b->keep_with_next = keep_all || (i == 0 && n > 1) || (i + 2 == n);
        if (keep_all && i + 1 == n)
            b->keep_with_next = false;
    }
    return true;
}

float cl_pagespec_left(const cl_pagespec *ps, size_t page_index)
{
    /* page_index 0 is page 1, a right-hand page: binding on the left */
    if (!ps->duplex || page_index % 2 == 0)
        return ps->inner;
    return ps->outer;
}

float cl_pagespec_text_width(const cl_pagespec *ps)
{
    return ps->width - ps->inner - ps->outer;
}

float cl_pagespec_measure(const cl_pagespec *ps)
{
    int n = ps->columns > 1 ? ps->columns : 1;
    return (cl_pagespec_text_width(ps) - (float)(n - 1) * ps->column_gap) / (float)n;
}

/* ---- pagination --------------------------------------------------------------------- */

static cl_op translate(cl_op op, float dx, float dy)
{
    op.x += dx;
    op.y += dy;
    return op;
}

/* The group box i continues (one begun before it), or -1. */
static int continued_group(const cl_flow *f, size_t i)
{
    const cl_box *b = &f->boxes[i];
    if (b->group < 0 || b->break_before || !f->group_titles)
        return -1;
    int prev = i > 0 ? f->boxes[i - 1].group : f->last_group;
    return prev == b->group ? b->group : -1;
}

/* "title (suite)", the title cut at a word with "…" when the line would be too long. */
static const char *continuation_title(cl_flow *f, cl_arena *a, const char *title, float measure)
{
    const cl_textstyle *st = &f->cont_style;
    const char *suffix = " (suite)";
    const char *t = cl_arena_printf(a, "%s%s", title, suffix);
    if (!t || cl_fonts_width(f->ts->fonts, st->bold, t, strlen(t)) * st->size <= measure)
        return t;
    size_t n = strlen(title);
    while (n > 0) {
        while (n > 0 && title[n - 1] != ' ')
            n--;
        while (n > 0 && title[n - 1] == ' ')
            n--;
        t = cl_arena_printf(a, "%.*s\xE2\x80\xA6%s", (int)n, title, suffix);
        if (!t || cl_fonts_width(f->ts->fonts, st->bold, t, strlen(t)) * st->size <= measure)
            return t;
    }
    return cl_arena_strdup(a, suffix + 1);
}

static float cont_height(const cl_flow *f)
{
    return f->cont_style.leading + 6.0f;
}

static bool warn(cl_flow *f, const char *msg)
{
    if (!msg) {
        oom(f);
        return false;
    }
    return !f->sink.warning || f->sink.warning(f->sink.ctx, msg);
}

/* What a too-tall unit is called in a warning (arena string). */
static const char *unit_name(const cl_flow *f, size_t i, cl_arena *a)
{
    const cl_box *b = &f->boxes[i];
    if (b->group >= 0 && (size_t)b->group < f->n_groups && f->group_titles)
        return cl_arena_printf(a, "\"%s\"", f->group_titles[b->group]);
    for (size_t k = 0; k < b->n; k++)
        if (b->ops[k].kind == CL_OP_GLYPHS && b->ops[k].text)
            return cl_arena_printf(a, _("the block starting \"%s…\""), b->ops[k].text);
    return _("a block");
}

/* Fill one column of height avail from box `from`: returns the first box of the next
 * column (f->n at the end of what is known). hts[i] gets each box's height (fill_rest
 * boxes grown). tall: set when a keep chain taller than the column had to be broken. */
static size_t fill_column(const cl_flow *f, size_t from, float avail, float *hts, bool *tall)
{
    float y = continued_group(f, from) >= 0 ? cont_height(f) : 0;
    for (size_t i = from; i < f->n; i++) {
        const cl_box *b = &f->boxes[i];
        if (i != from && b->break_before)
            return i;
        float sb = i == from ? 0 : b->space_before;
        float h = b->height;
        if (b->fill_rest && avail - y - sb > h)
            h = avail - y - sb;
        if (hts)
            hts[i] = h;
        if (y + sb + h <= avail + 0.01f) {
            y += sb + h;
            continue;
        }
        if (i == from) { /* one box taller than a column: it overflows, nothing better to do */
            if (tall)
                *tall = true;
            return i + 1;
        }
        size_t j = i;
        while (j > from && f->boxes[j - 1].keep_with_next && !f->boxes[j].break_before)
            j--;
        if (j == from) { /* the chain is taller than a column: break inside it */
            if (tall)
                *tall = true;
            return i;
        }
        return j;
    }
    return f->n;
}

/* Can boxes [from, to) go into ncol columns of height h, with no forced break inside? */
static bool fits_columns(const cl_flow *f, size_t from, size_t to, int ncol, float h)
{
    size_t i = from;
    for (int c = 0; c < ncol && i < to; c++) {
        bool tall = false;
        size_t next = fill_column(f, i, h, NULL, &tall);
        if (tall)
            return false;
        i = next;
    }
    return i >= to;
}

/* The last three boxes of a stretch that a forced page break (or the end, when final)
 * closes keep together: a page before a forced break never holds fewer than three boxes
 * when its end could have been reached with more. */
static void keep_stretch_ends(cl_flow *f, bool final)
{
    for (size_t e = 1; e <= f->n; e++) {
        if (e < f->n ? f->boxes[e].break_before != CL_BREAK_PAGE : !final)
            continue;
        for (size_t k = 2; k <= 3 && e >= k; k++) {
            if (f->boxes[e - k + 1].break_before)
                break;
            f->boxes[e - k].keep_with_next = true;
        }
    }
}

/* A new page of the flow's size whose area has role and forced; NULL when out of memory. */
static cl_page *new_page(cl_flow *f, cl_page_role role, bool forced)
{
    const cl_pagespec *ps = f->ps;
    cl_page *pg = cl_page_new(ps->width, ps->height);
    if (!pg) {
        oom(f);
        return NULL;
    }
    float avail = ps->height - ps->top - ps->bottom;
    pg->areas[0] = (cl_page_area){role, (int)f->pages + 1, cl_pagespec_left(ps, f->pages), ps->top,
                                  cl_pagespec_text_width(ps), avail, forced};
    pg->n_areas = 1;
    return pg;
}

static bool give(cl_flow *f, cl_page *pg)
{
    f->pages++;
    if (!f->sink.page(f->sink.ctx, pg)) {
        if (!f->ts->err->code)
            oom(f);
        return false;
    }
    return true;
}

/* Lay out the page starting at box 0, when it can be decided. *used gets how many boxes
 * it took (0: wait for more boxes). Returns false on error. */
static bool one_page(cl_flow *f, bool final, size_t *used)
{
    const cl_pagespec *ps = f->ps;
    float avail = ps->height - ps->top - ps->bottom;
    int ncol = ps->columns > 1 ? ps->columns : 1;
    *used = 0;
    if (f->cap_hts < f->n + 1) {
        float *nh = realloc(f->hts, (f->n + 1) * sizeof *nh);
        if (!nh) {
            oom(f);
            return false;
        }
        f->hts = nh;
        f->cap_hts = f->n + 1;
    }
    float *hts = f->hts;
    /* the page's columns */
    size_t starts[8];
    int ns = 0;
    size_t i = 0;
    bool tall_col[8] = {false};
    for (int col = 0; col < ncol && col < 8; col++) {
        if (col > 0 && (i >= f->n || f->boxes[i].break_before == CL_BREAK_PAGE))
            break;
        starts[ns] = i;
        bool tall = false;
        size_t next = fill_column(f, i, avail, hts, &tall);
        tall_col[ns++] = tall;
        /* decided only with what follows known (or at the end of the document) */
        if (!final && next + LOOKAHEAD > f->n)
            return true;
        i = next;
        if (i >= f->n)
            break;
    }
    size_t end = i;
    bool closed = end >= f->n || f->boxes[end].break_before == CL_BREAK_PAGE;
    const cl_box *b0 = &f->boxes[0];
    bool first = f->pages == 0;
    cl_page_role role = b0->break_before || first ? b0->role : CL_PAGE_BODY;
    bool forced = !first && b0->break_before;
    for (int c = 0; c < ns; c++)
        if (tall_col[c]) {
            cl_arena *a = cl_arena_new_sized(4096);
            const char *name = a ? unit_name(f, starts[c], a) : NULL;
            bool ok = warn(f, name ? cl_arena_printf(a, _("%s is taller than a %s and was broken where it did not fit"),
                                                     name, ncol > 1 ? _("column") : _("page"))
                                   : NULL);
            cl_arena_drop(a);
            if (!ok)
                return false;
        }
    /* balance the columns of a page that a forced page break or the end closes */
    if (ncol > 1 && closed && role == CL_PAGE_BODY) {
        bool plain = true; /* no column break or growing box inside: nothing to balance */
        for (size_t k = 0; k < end && plain; k++)
            plain = !f->boxes[k].fill_rest && (k == 0 || !f->boxes[k].break_before);
        if (plain && fits_columns(f, 0, end, ncol, avail)) {
            float lo = 0, hi = avail;
            while (hi - lo > 0.5f) {
                float mid = (lo + hi) / 2;
                if (fits_columns(f, 0, end, ncol, mid))
                    hi = mid;
                else
                    lo = mid;
            }
            ns = 0;
            size_t k = 0;
            for (int c = 0; c < ncol && k < end; c++) {
                starts[ns++] = k;
                k = fill_column(f, k, hi, NULL, NULL);
            }
        }
    }
    /* a booklet's back cover: blank pages first, up to a multiple of four */
    if (b0->pad4 && b0->break_before) {
        f->numbered = f->pages;
        while ((f->pages + 1) % 4) {
            cl_page *blank = new_page(f, CL_PAGE_BLANK, false);
            if (!blank || !give(f, blank))
                return false;
        }
    }
    /* a page that must be odd after an odd page count: a blank page first */
    if (b0->odd_page && f->pages % 2 == 1) {
        cl_page *blank = new_page(f, CL_PAGE_BLANK, false);
        if (!blank || !give(f, blank))
            return false;
    }
    cl_page *pg = new_page(f, role, forced);
    if (!pg)
        return false;
    float measure = cl_pagespec_measure(ps);
    size_t pi = f->pages;
    for (int c = 0; c < ns; c++) {
        size_t from = starts[c], to = c + 1 < ns ? starts[c + 1] : end;
        float x0 = cl_pagespec_left(ps, pi) + (float)c * (measure + ps->column_gap);
        float yy = ps->top;
        int g = continued_group(f, from);
        if (g >= 0) {
            const char *t = continuation_title(f, pg->arena, f->group_titles[g], measure);
            cl_op op;
            if (!t || !cl_glyphs_natural(pg->arena, f->ts->fonts, &op, f->cont_style.bold, f->cont_style.size, x0,
                                         yy + cl_baseline(&f->cont_style), t, strlen(t)) ||
                !cl_page_add(pg, &op))
                goto oom;
            yy += cont_height(f);
        }
        for (size_t k = from; k < to; k++) {
            cl_box *b = &f->boxes[k];
            if (k != from)
                yy += b->space_before;
            float h = b->fill_rest ? ps->top + avail - yy : hts[k];
            if (h < b->height)
                h = b->height;
            for (size_t q = 0; q < b->n; q++) {
                cl_op op = translate(b->ops[q], x0, yy);
                if (b->fill_rest && op.h < 0)
                    op.h = h + op.h;
                if (!cl_page_add(pg, &op))
                    goto oom;
            }
            if (b->bookmark && f->sink.bookmark && !f->sink.bookmark(f->sink.ctx, b->bookmark, b->bm_level, (int)pi, yy)) {
                cl_page_drop(pg);
                if (!f->ts->err->code)
                    oom(f);
                return false;
            }
            if (b->anchor >= 0 && (size_t)b->anchor < f->n_anchors && f->anchor_page) {
                f->anchor_page[b->anchor] = (int)pi;
                f->anchor_y[b->anchor] = yy;
            }
            yy += b->fill_rest ? h : hts[k];
        }
    }
    if (end > 0)
        f->last_group = f->boxes[end - 1].group;
    *used = end;
    return give(f, pg);
oom:
    cl_page_drop(pg);
    oom(f);
    return false;
}

/* Drop the chunks no waiting box uses; start a new chunk when the current one is full. */
static bool recycle_chunks(cl_flow *f)
{
    if (!f->chunks_owned || f->hold || f->laying_out)
        return true;
    uint32_t min = f->chunk_id;
    for (size_t i = 0; i < f->n; i++)
        if (f->boxes[i].chunk < min)
            min = f->boxes[i].chunk;
    size_t k = 0;
    for (size_t i = 0; i < f->n_chunks; i++) {
        if (f->chunks[i].id < min)
            cl_arena_drop(f->chunks[i].a);
        else
            f->chunks[k++] = f->chunks[i];
    }
    f->n_chunks = k;
    if (k && cl_arena_used(f->chunks[k - 1].a) < CHUNK_BYTES)
        return true;
    if (f->n_chunks == f->cap_chunks) {
        size_t cap = f->cap_chunks ? f->cap_chunks * 2 : 8;
        cl_chunk *nc = realloc(f->chunks, cap * sizeof *nc);
        if (!nc) {
            oom(f);
            return false;
        }
        f->chunks = nc;
        f->cap_chunks = cap;
    }
    cl_arena *a = cl_arena_new_sized(64 * 1024);
    if (!a) {
        oom(f);
        return false;
    }
    f->chunks[f->n_chunks++] = (cl_chunk){a, ++f->chunk_id};
    f->ts->a = a;
    return true;
}

bool cl_flow_layout(cl_flow *f, cl_page_sink sink)
{
    size_t n = f->n;
    cl_box *saved = malloc((n ? n : 1) * sizeof *saved);
    if (!saved) {
        oom(f);
        return false;
    }
    memcpy(saved, f->boxes, n * sizeof *saved);
    f->sink = sink;
    f->pages = 0;
    f->numbered = 0;
    f->last_group = -1;
    f->hold = false;
    f->laying_out = true;
    bool ok = cl_flow_flush(f, true);
    f->laying_out = false;
    f->hold = true;
    memcpy(f->boxes, saved, n * sizeof *saved); /* the flush used them up */
    f->n = n;
    free(saved);
    return ok;
}

void cl_flow_start(cl_flow *f, const cl_pagespec *ps, cl_page_sink sink, bool own_chunks)
{
    f->ps = ps;
    f->sink = sink;
    f->chunks_owned = own_chunks;
    if (own_chunks)
        recycle_chunks(f);
}

bool cl_flow_flush(cl_flow *f, bool final)
{
    if (f->ts->err->code)
        return false;
    if (f->hold)
        return true;
    keep_stretch_ends(f, final);
    /* each page works on the boxes from `done` on: the window f->boxes[0..n) is moved
     * there (a page neither adds boxes nor frees them), and what is left goes back to
     * the front once, at the end */
    cl_box *all = f->boxes;
    size_t total = f->n, done = 0;
    bool ok = true;
    while (done < total) {
        f->boxes = all + done;
        f->n = total - done;
        size_t used;
        if (!(ok = one_page(f, final, &used)) || !used)
            break;
        done += used;
    }
    f->boxes = all;
    f->n = total - done;
    if (done)
        memmove(all, all + done, f->n * sizeof *all);
    if (!ok)
        return false;
    if (final)
        f->last_group = -1;
    return recycle_chunks(f);
}

/* ---- the whole flow into a cl_doc ------------------------------------------------- */

static bool doc_page(void *ctx, cl_page *p)
{
    cl_doc *doc = ctx;
    if (!cl_doc_take_page(doc, p)) {
        cl_page_drop(p);
        return false;
    }
    return true;
}

static bool doc_bookmark(void *ctx, const char *title, int level, int page, float y)
{
    return cl_doc_add_bookmark(ctx, title, level, page, y);
}

static bool doc_warning(void *ctx, const char *msg)
{
    return cl_doc_add_warning(ctx, msg);
}

bool cl_flow_paginate(cl_flow *f, const cl_pagespec *ps, cl_doc *doc)
{
    f->pages = doc->n_pages;
    cl_flow_start(f, ps, (cl_page_sink){doc_page, doc_bookmark, doc_warning, doc}, false);
    bool ok = cl_flow_flush(f, true);
    cl_flow_free(f);
    return ok;
}
