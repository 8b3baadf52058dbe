/* layoutfile.c: reading layout files (see layoutfile.h). Each file is applied over its
 * base, key by key, so a derived layout only names what changes. */
#include "layoutfile.h"
#include "../model/yamltree.h"
#include "../util/buf.h"
#include "../util/i18n.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MM (72.0f / 25.4f)

static const char *const block_names[CL_BLK_COUNT] = {
    "reference", "note", "uses", "questions", "extent", "summary", "notes", "extracts", "links",
    "cover", "sommaire", "introduction", "dividers", "sections", "indexes", "name"};

void cl_layout_default(cl_layout *l)
{
    memset(l, 0, sizeof *l);
    l->name = "default";
    l->page_w = 595.276f;
    l->page_h = 841.89f;
    l->m_top = 25 * MM;
    l->m_bottom = 22 * MM;
    l->m_inner = 30 * MM;
    l->m_outer = 20 * MM;
    l->columns = 1;
    l->column_gap = 6 * MM;
    l->body = (cl_font_role){CL_FONT_SERIF, 10.5f, 13.5f};
    l->refs = (cl_font_role){CL_FONT_SERIF, 10.5f, 13.0f};
    l->captions = (cl_font_role){CL_FONT_SANS, 8.5f, 11.0f};
    l->heading_font = CL_FONT_SANS;
    l->heading_scale = 1.0f;
    l->justify = l->hyphenate = l->italics = l->accent_capitals = true;
    l->para_gap = 4;
    l->block_gap = 16;
    l->grey_rules = 0;
    l->grey_frames = 0.3f;
    l->grey_leaders = 0.35f;
    l->qr_size = 26 * MM;
    l->qr_min_module = 0.7f * MM;
    l->handout = (cl_blocks){{CL_BLK_REFERENCE, CL_BLK_NOTE, CL_BLK_USES, CL_BLK_QUESTIONS}, 4};
    l->study = (cl_blocks){{CL_BLK_NAME, CL_BLK_REFERENCE, CL_BLK_EXTENT, CL_BLK_SUMMARY, CL_BLK_QUESTIONS, CL_BLK_NOTES}, 6};
    l->binder = (cl_blocks){{CL_BLK_COVER, CL_BLK_SOMMAIRE, CL_BLK_INTRODUCTION, CL_BLK_DIVIDERS, CL_BLK_SECTIONS, CL_BLK_INDEXES}, 6};
    l->entry = (cl_blocks){{CL_BLK_REFERENCE, CL_BLK_NOTE, CL_BLK_EXTRACTS, CL_BLK_USES, CL_BLK_LINKS}, 5};
}

bool cl_blocks_has(const cl_blocks *b, cl_block_kind k)
{
    for (size_t i = 0; i < b->n; i++)
        if (b->v[i] == k)
            return true;
    return false;
}

typedef struct lctx {
    cl_diags *d;
    const char *file;
    bool ok;
} lctx;

#define LERR(C, N, ...) ((C)->ok = false, cl_diags_add((C)->d, CL_ERROR, (C)->file, (N) ? (N)->line : 0, (N) ? (N)->col : 0, __VA_ARGS__))

static const cl_ynode *get(const cl_ynode *map, const char *key)
{
    for (size_t i = 0; map && map->kind == CL_YMAP && i + 1 < map->n; i += 2)
        if (map->items[i]->kind == CL_YSCALAR && !strcmp(map->items[i]->str, key))
            return map->items[i + 1];
    return NULL;
}

/* Check keys of a mapping against allowed ones. */
static bool keys(lctx *c, const cl_ynode *n, const char *what, const char *const *allowed)
{
    if (!n || n->kind != CL_YMAP) {
        LERR(c, n, N_("%s must be a mapping of keys and values, found %s"), what, cl_ynode_kind_name(n));
        return false;
    }
    for (size_t i = 0; i + 1 < n->n; i += 2) {
        const cl_ynode *k = n->items[i];
        bool known = false;
        for (size_t j = 0; allowed[j]; j++)
            known |= k->kind == CL_YSCALAR && !strcmp(k->str, allowed[j]);
        if (!known) {
            cl_buf b = {0};
            for (size_t j = 0; allowed[j]; j++)
                cl_buf_printf(&b, "%s%s", j ? ", " : "", allowed[j]);
            LERR(c, k, N_("unknown key '%s' in %s (accepted: %s)"), k->kind == CL_YSCALAR ? k->str : "?", what, cl_buf_str(&b));
            cl_buf_free(&b);
        }
    }
    return true;
}

/* A number in [lo, hi]; returns false (and reports) when present but wrong. */
static bool number(lctx *c, const cl_ynode *map, const char *key, const char *what, float lo, float hi, float *out)
{
    const cl_ynode *v = get(map, key);
    if (!v)
        return false;
    char *end = NULL;
    double x = v->kind == CL_YSCALAR ? strtod(v->str, &end) : 0;
    if (v->kind != CL_YSCALAR || end == v->str || *end || x < lo || x > hi) {
        LERR(c, v, N_("'%s' of %s must be a number from %g to %g, found %s%s%s"), key, what, lo, hi,
             v->kind == CL_YSCALAR ? "'" : "", v->kind == CL_YSCALAR ? v->str : cl_ynode_kind_name(v),
             v->kind == CL_YSCALAR ? "'" : "");
        return false;
    }
    *out = (float)x;
    return true;
}

static bool word(lctx *c, const cl_ynode *map, const char *key, const char *what, const char *const *accepted,
                 int *out)
{
    const cl_ynode *v = get(map, key);
    if (!v)
        return false;
    for (int i = 0; v->kind == CL_YSCALAR && accepted[i]; i++)
        if (!strcmp(v->str, accepted[i])) {
            *out = i;
            return true;
        }
    cl_buf b = {0};
    for (int i = 0; accepted[i]; i++)
        cl_buf_printf(&b, "%s%s", i ? ", " : "", accepted[i]);
    LERR(c, v, N_("'%s' of %s is %s%s%s (accepted: %s)"), key, what, v->kind == CL_YSCALAR ? "'" : "",
         v->kind == CL_YSCALAR ? v->str : cl_ynode_kind_name(v), v->kind == CL_YSCALAR ? "'" : "", cl_buf_str(&b));
    cl_buf_free(&b);
    return false;
}

static void font_role(lctx *c, const cl_ynode *map, const char *key, cl_font_role *r, bool heading, cl_layout *l)
{
    const cl_ynode *n = get(map, key);
    if (!n)
        return;
    static const char *const rk[] = {"font", "size", "leading", NULL};
    static const char *const hk[] = {"font", "scale", NULL};
    const char *what = cl_ynode_kind_name(n); /* placeholder, replaced below */
    char buf[64];
    snprintf(buf, sizeof buf, "text.%s", key);
    what = buf;
    if (!keys(c, n, what, heading ? hk : rk))
        return;
    static const char *const fonts[] = {"serif", "sans", NULL};
    int f;
    if (word(c, n, "font", what, fonts, &f)) {
        if (heading)
            l->heading_font = f;
        else
            r->font = f;
    }
    if (heading) {
        number(c, n, "scale", what, 0.5f, 4, &l->heading_scale);
        return;
    }
    number(c, n, "size", what, 4, 72, &r->size);
    if (!number(c, n, "leading", what, 4, 100, &r->leading))
        r->leading = r->size * 1.3f;
    if (r->leading < r->size)
        LERR(c, get(n, "leading"), N_("leading %g of %s is smaller than the size %g (lines would overlap)"), r->leading,
             what, r->size);
}

static void blocks(lctx *c, const cl_ynode *map, const char *key, cl_blocks *b, const cl_block_kind *allowed, size_t na)
{
    const cl_ynode *v = get(map, key);
    if (!v)
        return;
    cl_buf acc = {0};
    for (size_t j = 0; j < na; j++)
        cl_buf_printf(&acc, "%s%s", j ? ", " : "", block_names[allowed[j]]);
    if (v->kind != CL_YSEQ) {
        LERR(c, v, N_("'%s' must be a list of blocks (accepted: %s)"), key, cl_buf_str(&acc));
        cl_buf_free(&acc);
        return;
    }
    b->n = 0;
    for (size_t i = 0; i < v->n; i++) {
        const cl_ynode *x = v->items[i];
        bool found = false;
        for (size_t j = 0; j < na && !found; j++)
            if (x->kind == CL_YSCALAR && !strcmp(x->str, block_names[allowed[j]])) {
                found = true;
                if (cl_blocks_has(b, allowed[j]))
                    LERR(c, x, N_("block '%s' appears twice in '%s'"), x->str, key);
                else
                    b->v[b->n++] = allowed[j];
            }
        if (!found)
            LERR(c, x, N_("unknown block %s%s%s in '%s' (accepted: %s)"), x->kind == CL_YSCALAR ? "'" : "",
                 x->kind == CL_YSCALAR ? x->str : cl_ynode_kind_name(x), x->kind == CL_YSCALAR ? "'" : "", key,
                 cl_buf_str(&acc));
    }
    cl_buf_free(&acc);
}

static bool page_size(lctx *c, const cl_ynode *v, cl_layout *l)
{
    static const struct { const char *n; float w, h; } sizes[] = {
        {"A4", 210, 297}, {"A5", 148, 210}, {"A3", 297, 420}, {"letter", 215.9f, 279.4f}, {"Letter", 215.9f, 279.4f}};
    if (v->kind == CL_YSCALAR) {
        for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++)
            if (!strcmp(v->str, sizes[i].n)) {
                l->page_w = sizes[i].w * MM;
                l->page_h = sizes[i].h * MM;
                return true;
            }
        float w, h;
        char tail;
        if (sscanf(v->str, "%fx%f%c", &w, &h, &tail) == 2 && w >= 50 && h >= 50 && w <= 1000 && h <= 1000) {
            l->page_w = w * MM;
            l->page_h = h * MM;
            return true;
        }
    }
    LERR(c, v, N_("unknown page size %s%s%s (accepted: A4, A5, A3, letter, or WIDTHxHEIGHT in mm such as 210x297)"),
         v->kind == CL_YSCALAR ? "'" : "", v->kind == CL_YSCALAR ? v->str : cl_ynode_kind_name(v),
         v->kind == CL_YSCALAR ? "'" : "");
    return false;
}

static void apply(lctx *c, const cl_ynode *root, cl_layout *l)
{
    static const char *const top[] = {"base", "page", "text", "grey", "qr", "handout", "study", "binder", "entry", NULL};
    if (!keys(c, root, _("a layout"), top))
        return;
    const cl_ynode *page = get(root, "page");
    if (page) {
        static const char *const pk[] = {"size", "orientation", "margins", "columns", "column_gap", "booklet", "flip",
                                         NULL};
        if (keys(c, page, "page", pk)) {
            const cl_ynode *sz = get(page, "size");
            if (sz)
                page_size(c, sz, l);
            static const char *const orients[] = {"portrait", "landscape", NULL};
            int o;
            if (word(c, page, "orientation", "page", orients, &o)) {
                float a = l->page_w < l->page_h ? l->page_w : l->page_h, b = l->page_w < l->page_h ? l->page_h : l->page_w;
                l->page_w = o ? b : a;
                l->page_h = o ? a : b;
            }
            const cl_ynode *m = get(page, "margins");
            static const char *const mk[] = {"top", "bottom", "inner", "outer", NULL};
            if (m && keys(c, m, "page.margins", mk)) {
                float v;
                if (number(c, m, "top", "page.margins", 0, 200, &v)) l->m_top = v * MM;
                if (number(c, m, "bottom", "page.margins", 0, 200, &v)) l->m_bottom = v * MM;
                if (number(c, m, "inner", "page.margins", 0, 200, &v)) l->m_inner = v * MM;
                if (number(c, m, "outer", "page.margins", 0, 200, &v)) l->m_outer = v * MM;
            }
            float cols;
            if (number(c, page, "columns", "page", 1, 4, &cols))
                l->columns = (int)cols;
            float gap;
            if (number(c, page, "column_gap", "page", 0, 100, &gap))
                l->column_gap = gap * MM;
            static const char *const bools[] = {"false", "true", NULL};
            int bk;
            if (word(c, page, "booklet", "page", bools, &bk))
                l->booklet = bk;
            static const char *const flips[] = {"long", "short", NULL};
            int fl;
            if (word(c, page, "flip", "page", flips, &fl))
                l->flip_short = fl;
        }
    }
    const cl_ynode *text = get(root, "text");
    if (text) {
        static const char *const tk[] = {"body", "references", "captions", "headings", "align", "hyphenation",
                                         "emphasis", "accent_capitals", "names", "paragraph_spacing", "block_spacing",
                                         NULL};
        if (keys(c, text, "text", tk)) {
            font_role(c, text, "body", &l->body, false, l);
            font_role(c, text, "references", &l->refs, false, l);
            font_role(c, text, "captions", &l->captions, false, l);
            font_role(c, text, "headings", NULL, true, l);
            static const char *const al[] = {"ragged", "justified", NULL};
            static const char *const bools[] = {"false", "true", NULL};
            static const char *const em[] = {"bold", "italic", NULL};
            int v;
            if (word(c, text, "align", "text", al, &v))
                l->justify = v;
            if (word(c, text, "hyphenation", "text", bools, &v))
                l->hyphenate = v;
            if (word(c, text, "emphasis", "text", em, &v))
                l->italics = v;
            if (word(c, text, "accent_capitals", "text", bools, &v))
                l->accent_capitals = v;
            static const char *const nm[] = {"authority", "source", NULL};
            if (word(c, text, "names", "text", nm, &v))
                l->source_names = v;
            number(c, text, "paragraph_spacing", "text", 0, 100, &l->para_gap);
            number(c, text, "block_spacing", "text", 0, 200, &l->block_gap);
        }
    }
    const cl_ynode *grey = get(root, "grey");
    static const char *const gk[] = {"rules", "frames", "leaders", NULL};
    if (grey && keys(c, grey, "grey", gk)) {
        number(c, grey, "rules", "grey", 0, 0.8f, &l->grey_rules);
        number(c, grey, "frames", "grey", 0, 0.8f, &l->grey_frames);
        number(c, grey, "leaders", "grey", 0, 0.8f, &l->grey_leaders);
    }
    const cl_ynode *qr = get(root, "qr");
    static const char *const qk[] = {"size", "min_module", NULL};
    if (qr && keys(c, qr, "qr", qk)) {
        float v;
        if (number(c, qr, "size", "qr", 10, 200, &v))
            l->qr_size = v * MM;
        if (number(c, qr, "min_module", "qr", 0.5f, 5, &v))
            l->qr_min_module = v * MM;
    }
    static const cl_block_kind hb[] = {CL_BLK_REFERENCE, CL_BLK_NOTE, CL_BLK_USES, CL_BLK_QUESTIONS};
    static const cl_block_kind sb[] = {CL_BLK_NAME, CL_BLK_REFERENCE, CL_BLK_EXTENT, CL_BLK_SUMMARY, CL_BLK_QUESTIONS,
                                       CL_BLK_NOTES};
    static const cl_block_kind bb[] = {CL_BLK_COVER, CL_BLK_SOMMAIRE, CL_BLK_INTRODUCTION, CL_BLK_DIVIDERS, CL_BLK_SECTIONS, CL_BLK_INDEXES};
    static const cl_block_kind eb[] = {CL_BLK_REFERENCE, CL_BLK_NOTE, CL_BLK_EXTRACTS, CL_BLK_USES, CL_BLK_LINKS};
    blocks(c, root, "handout", &l->handout, hb, 4);
    blocks(c, root, "study", &l->study, sb, 6);
    blocks(c, root, "binder", &l->binder, bb, 6);
    blocks(c, root, "entry", &l->entry, eb, 5);
}

static bool load_chain(cl_layout *l, const char *dir, const char *name, cl_diags *d, int depth, const char *from,
                       int from_line, int from_col)
{
    char path[4096];
    bool is_path = strchr(name, '/') || (strlen(name) > 5 && !strcmp(name + strlen(name) - 5, ".yaml"));
    if (is_path)
        snprintf(path, sizeof path, "%s", name);
    else
        snprintf(path, sizeof path, "%s/%s.yaml", dir, name);
    if (depth > 8) {
        cl_diags_add(d, CL_ERROR, from, from_line, from_col, "layout bases nest more than 8 deep (is there a loop?)");
        return false;
    }
    FILE *f = fopen(path, "rb");
    if (!f) {
        cl_diags_add(d, CL_ERROR, from ? from : path, from_line, from_col,
                     "no layout '%s' (expected %s; built-in layouts: default, dys, large-print, booklet, eco)", name, path);
        return false;
    }
    fclose(f);
    cl_arena *a = cl_arena_new();
    const char *file = a ? cl_arena_strdup(a, path) : NULL;
    if (!file) {
        cl_diags_add(d, CL_ERROR, path, 0, 0, "out of memory reading this layout");
        cl_arena_drop(a);
        return false;
    }
    bool ok;
    cl_ynode *root = cl_yaml_load_file(a, file, d, &ok);
    lctx c = {d, file, ok};
    if (ok && root) {
        const cl_ynode *base = get(root, "base");
        if (base && base->kind == CL_YSCALAR && !cl_ynode_is_null(base)) {
            if (!load_chain(l, dir, base->str, d, depth + 1, file, base->line, base->col))
                c.ok = false;
        } else if (base && !cl_ynode_is_null(base)) {
            LERR(&c, base, N_("'base' must be a layout name, found %s"), cl_ynode_kind_name(base));
        } else {
            cl_layout_default(l);
        }
        apply(&c, root, l);
    } else if (ok) {
        cl_layout_default(l); /* an empty file: the default layout */
    }
    /* geometry checks on the final layout of this file */
    if (c.ok && depth == 0) {
        float w = l->page_w - l->m_inner - l->m_outer, h = l->page_h - l->m_top - l->m_bottom;
        float col = (w - (float)(l->columns - 1) * l->column_gap) / (float)l->columns;
        if (w < 72 || h < 72)
            LERR(&c, root, N_("the margins leave %.0f × %.0f mm of a %.0f × %.0f mm page (at least 25 × 25 mm of text are needed)"),
                 w / MM, h / MM, l->page_w / MM, l->page_h / MM);
        else if (l->qr_size + 40 > col)
            LERR(&c, root, N_("the QR code (%.0f mm) is wider than the column (%.0f mm) leaves beside the text (make it smaller or the columns wider)"),
                 l->qr_size / MM, col / MM);
        else if (l->qr_size < 33 * l->qr_min_module)
            LERR(&c, root, N_("the QR code (%.1f mm) cannot hold a short address with modules of %.2f mm (needs at least %.1f mm)"),
                 l->qr_size / MM, l->qr_min_module / MM, 33 * l->qr_min_module / MM);
    }
    if (depth == 0)
        l->name = name;
    cl_arena_drop(a);
    return c.ok;
}

bool cl_layout_load(cl_layout *l, const char *dir, const char *name, cl_diags *d)
{
    cl_layout_default(l);
    size_t before = d->errors;
    bool ok = load_chain(l, dir, name, d, 0, NULL, 0, 0);
    return ok && d->errors == before;
}

void cl_layout_apply(const cl_layout *l, cl_styles *st, cl_pagespec *ps, bool duplex)
{
    cl_face reg[2] = {CL_FACE_SERIF, CL_FACE_SANS}, it[2] = {CL_FACE_SERIF_ITALIC, CL_FACE_SANS_ITALIC},
            bo[2] = {CL_FACE_SERIF_BOLD, CL_FACE_SANS_BOLD}, bi[2] = {CL_FACE_SERIF_BOLD_ITALIC, CL_FACE_SANS_BOLD};
#define ROLE(R, just) \
    ((cl_textstyle){reg[(R).font], l->italics ? it[(R).font] : bo[(R).font], bo[(R).font], \
                    l->italics ? bi[(R).font] : bo[(R).font], (R).size, (R).leading, (just), (just) && l->hyphenate, 0, 0})
    memset(st, 0, sizeof *st);
    st->body = ROLE(l->body, l->justify);
    st->body.hyphenate = l->hyphenate;
    cl_font_role small = {l->body.font, l->body.size * 0.905f, l->body.leading * 0.89f};
    if (small.size < l->captions.size)
        small = (cl_font_role){l->body.font, l->captions.size > l->body.size ? l->body.size : l->captions.size,
                               l->body.leading};
    st->small = ROLE(small, l->justify);
    st->small.hyphenate = l->hyphenate;
    st->ref = ROLE(l->refs, false);
    st->ref.hyphenate = l->hyphenate;
    st->label = ROLE(l->captions, false);
    st->label.style = CL_ST_BOLD;
    st->label.hyphenate = false;
    cl_font_role h = {l->heading_font, 0, 0};
    float s = l->heading_scale;
    cl_font_role h1 = {h.font, 16 * s, 20 * s}, h2 = {h.font, 13 * s, 16 * s}, h3 = {h.font, 11 * s, 14 * s},
                 ti = {h.font, 20 * s, 24 * s};
    if (h3.size < l->body.size) { /* headings never smaller than the body */
        float k = l->body.size / h3.size;
        h1.size *= k, h1.leading *= k, h2.size *= k, h2.leading *= k, h3.size *= k, h3.leading *= k, ti.size *= k, ti.leading *= k;
    }
    st->h1 = ROLE(h1, false);
    st->h2 = ROLE(h2, false);
    st->h3 = ROLE(h3, false);
    st->title = ROLE(ti, false);
    st->h1.style = st->h2.style = st->h3.style = st->title.style = CL_ST_BOLD;
    st->h1.hyphenate = st->h2.hyphenate = st->h3.hyphenate = st->title.hyphenate = false;
    /* small print shrinks addresses and page furniture a little; large print never does */
    bool large = l->captions.size >= 12;
    cl_font_role addr = {CL_FONT_SANS, large ? l->captions.size : (l->captions.size * 0.82f < 6.5f ? 6.5f : l->captions.size * 0.82f),
                         large ? l->captions.leading : l->captions.size};
    st->address = ROLE(addr, false);
    cl_font_role fur = {CL_FONT_SANS, large ? l->captions.size : l->captions.size * 0.94f, l->captions.leading};
    st->furniture = ROLE(fur, false);
    st->para_gap = l->para_gap;
    st->block_gap = l->block_gap;
    st->qr_target = l->qr_size;
    st->qr_min_module = l->qr_min_module;
    st->grey_rules = l->grey_rules;
    st->grey_frames = l->grey_frames;
    st->grey_leaders = l->grey_leaders;
    st->text.keep_capitals = !l->accent_capitals;
    st->text.source_names = l->source_names;
    ps->width = l->page_w;
    ps->height = l->page_h;
    ps->top = l->m_top;
    ps->bottom = l->m_bottom;
    ps->inner = l->m_inner;
    ps->outer = l->m_outer;
    ps->duplex = duplex;
    ps->columns = l->columns;
    ps->column_gap = l->column_gap;
#undef ROLE
}

const cl_layout *cl_layout_builtin(void)
{
    static cl_layout builtin;
    static bool ready;
    if (!ready) {
        cl_layout_default(&builtin);
        ready = true;
    }
    return &builtin;
}
