/* layout.c: line breaking, vertical flow and pagination (see layout.h). */
#include "layout.h"
#include "../util/buf.h"
#include "../util/utf8.h"
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- items ------------------------------------------------------------------------- */

typedef enum { IT_BOX, IT_GLUE, IT_PEN } item_kind;

typedef struct item {
    item_kind kind;
    cl_face face;
    const char *text;  /* BOX */
    size_t len;
    float w;           /* BOX: width; GLUE: natural; PEN: width of the added hyphen */
    float stretch, shrink;
} item;

typedef struct items {
    item *v;
    size_t n, cap;
} items;

static bool push(cl_ts *ts, items *it, item x)
{
    item *nv = cl_arena_grow(ts->a, it->v, it->n, &it->cap, sizeof *nv, 64);
    if (!nv) {
        cl_err_set(ts->err, CL_E_NOMEM, "out of memory");
        return false;
    }
    it->v = nv;
    it->v[it->n++] = x;
    return true;
}

static cl_face face_for(const cl_textstyle *st, unsigned style)
{
    style |= st->style;
    if ((style & CL_ST_BOLD) && (style & CL_ST_ITALIC))
        return st->bold_italic;
    if (style & CL_ST_BOLD)
        return st->bold;
    if (style & CL_ST_ITALIC)
        return st->italic;
    return st->regular;
}

/* Append the text s[0..n) of one word fragment in face, splitting where a character is
 * missing from the face (then the fallback face is used). */
static bool push_word_text(cl_ts *ts, items *it, cl_face face, const char *s, size_t n, float size)
{
    size_t i = 0;
    while (i < n) {
        size_t start = i;
        cl_face f = face;
        bool first = true;
        while (i < n) {
            uint32_t cp;
            size_t l = cl_utf8_decode(s + i, n - i, &cp);
            if (!l)
                l = 1;
            cl_face want = face;
            if (!cl_fonts_has(ts->fonts, face, cp)) {
                want = CL_FACE_FALLBACK;
                if (!cl_fonts_has(ts->fonts, CL_FACE_FALLBACK, cp)) {
                    cl_err_set(ts->err, CL_E_DATA,
                               "%s: character U+%04X '%.*s' has no glyph in the fonts of fonts/ (replace it in the data or add a font that has it)",
                               ts->context ? ts->context : "text", (unsigned)cp, (int)l, s + i);
                    return false;
                }
            }
            if (first) {
                f = want;
                first = false;
            } else if (want != f) {
                break;
            }
            i += l;
        }
        item x = {.kind = IT_BOX, .face = f, .text = s + start, .len = i - start};
        x.w = (float)(cl_fonts_width(ts->fonts, f, s + start, i - start) * size);
        if (!push(ts, it, x))
            return false;
    }
    return true;
}

static bool is_url_like(const char *s, size_t n)
{
    for (size_t i = 0; i + 2 < n; i++)
        if (!memcmp(s + i, "://", 3) || !memcmp(s + i, "www", 3) || s[i] == '@')
            return true;
    for (size_t i = 0; i < n; i++)
        if (s[i] == '/' || s[i] == '@')
            return true;
    return false;
}

/* A web address: holds "://", starts with "www." (after an opening bracket or quote),
 * or is a host name such as "mesconseilscovid.fr" or "Caducee.net" (letters, digits,
 * '-' and dots, ending with a known top-level domain, maybe followed by a path). */
static bool is_address(const char *s, size_t n)
{
    for (size_t i = 0; i + 2 < n; i++)
        if (!memcmp(s + i, "://", 3))
            return true;
    size_t k = 0;
    while (k < n && strchr("([\"'", s[k]))
        k++;
    if (n - k > 4 && !memcmp(s + k, "www.", 4))
        return true;
    static const char *const tlds[] = {"fr", "com", "org", "net", "eu", "info", "io", "tv", "be", "ch", "ca", NULL};
    size_t e = k, dot = 0;
    while (e < n && (((s[e] | 32) >= 'a' && (s[e] | 32) <= 'z') || (s[e] >= '0' && s[e] <= '9') || s[e] == '-' ||
                     s[e] == '.')) {
        if (s[e] == '.' && e + 1 < n && ((s[e + 1] | 32) >= 'a' && (s[e + 1] | 32) <= 'z'))
            dot = e;
        e++;
    }
    while (dot && e > dot && s[e - 1] == '.') /* a full stop after the host */
        e--;
    if (!dot || dot == k)
        return false;
    for (size_t t = 0; tlds[t]; t++) {
        size_t l = strlen(tlds[t]);
        if (e - dot - 1 == l && !strncasecmp(s + dot + 1, tlds[t], l))
            return true;
    }
    return false;
}

/* Push an address with its break points and no hyphen: after "/" (after "//" as a
 * whole), or before ". - _ ? # = &"; never inside the scheme, never before its last
 * character, so nothing is added to the address and no line starts with a lone dot. */
static bool push_address(cl_ts *ts, items *it, cl_face face, const char *s, size_t n, float size)
{
    size_t from = 0; /* no break before the end of "scheme://" */
    for (size_t i = 0; i + 2 < n; i++)
        if (!memcmp(s + i, "://", 3)) {
            from = i + 3;
            break;
        }
    size_t prev = 0;
    for (size_t i = from + 1; i + 1 < n; i++) {
        bool after_slash = s[i - 1] == '/' && s[i] != '/';
        bool before_mark = strchr(".-_?#=&", s[i]) != NULL && !strchr("/.-_?#=&", s[i - 1]);
        if (!after_slash && !before_mark)
            continue;
        if (!push_word_text(ts, it, face, s + prev, i - prev, size))
            return false;
        item pen = {.kind = IT_PEN, .face = face, .w = 0};
        if (!push(ts, it, pen))
            return false;
        prev = i;
    }
    return push_word_text(ts, it, face, s + prev, n - prev, size);
}

/* Push one word (a run without ordinary spaces in one face), with hyphenation points. */
static bool push_word(cl_ts *ts, items *it, const cl_textstyle *st, cl_face face, const char *s, size_t n)
{
    if (is_address(s, n))
        return push_address(ts, it, face, s, n, st->size);
    /* a word starting with a capital (a proper noun, "Denormandie") or in capitals is
     * never hyphenated; nor a word holding a digit ("2011/1", "n°1139") */
    uint32_t first = 0;
    for (size_t at = 0; at < n && !cl_utf8_is_letter(first);) {
        size_t l = cl_utf8_decode(s + at, n - at, &first);
        at += l ? l : 1;
        if (first >= '0' && first <= '9')
            break;
    }
    bool proper = cl_utf8_upper(first) == first && cl_utf8_is_letter(first);
    bool digits = false;
    for (size_t i = 0; i < n && !digits; i++)
        digits = s[i] >= '0' && s[i] <= '9';
    if (!st->hyphenate || !ts->hyph || n < 5 || is_url_like(s, n) || proper || digits)
        return push_word_text(ts, it, face, s, n, st->size);
    /* break points: explicit hyphens, and libhyphen points inside each letter run */
    size_t pts[64];
    bool added[64];
    size_t np = 0;
    size_t i = 0;
    while (i < n && np < 60) {
        /* find a run of letters */
        size_t start = i;
        while (i < n) {
            uint32_t cp;
            size_t l = cl_utf8_decode(s + i, n - i, &cp);
            if (!l)
                l = 1;
            bool letter = (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= 0xC0 && cp <= 0x17F && cp != 0xD7 && cp != 0xF7);
            if (!letter)
                break;
            i += l;
        }
        if (i > start) {
            size_t out[32];
            size_t k = cl_hyph_points(ts->hyph, s + start, i - start, out, 32);
            for (size_t j = 0; j < k && np < 60; j++) {
                pts[np] = start + out[j];
                added[np++] = true;
            }
        }
        if (i < n) {
            uint32_t cp;
            size_t l = cl_utf8_decode(s + i, n - i, &cp);
            if (!l)
                l = 1;
            /* a break after an explicit hyphen between letters: "télé-expertise" */
            if (cp == '-' && i > start + 1 && i + l + 2 < n && np < 60) {
                pts[np] = i + l;
                added[np++] = false;
            }
            i += l;
        }
    }
    size_t prev = 0;
    for (size_t j = 0; j < np; j++) {
        if (pts[j] <= prev || pts[j] >= n)
            continue;
        if (!push_word_text(ts, it, face, s + prev, pts[j] - prev, st->size))
            return false;
        item pen = {.kind = IT_PEN, .face = face};
        pen.w = added[j] ? (float)(cl_fonts_advance(ts->fonts, face, '-') * st->size) : 0;
        if (!push(ts, it, pen))
            return false;
        prev = pts[j];
    }
    return push_word_text(ts, it, face, s + prev, n - prev, st->size);
}

static bool build_items(cl_ts *ts, const cl_rich *rich, const cl_textstyle *st, items *it)
{
    for (size_t k = 0; k < rich->n; k++) {
        const cl_span *sp = &rich->spans[k];
        cl_face face = face_for(st, sp->style);
        size_t i = 0;
        while (i < sp->len) {
            if (sp->text[i] == ' ') {
                /* one glue per run of spaces, none at the very start */
                while (i < sp->len && sp->text[i] == ' ')
                    i++;
                if (it->n && it->v[it->n - 1].kind != IT_GLUE) {
                    float sw = (float)(cl_fonts_advance(ts->fonts, face, ' ') * st->size);
                    item g = {.kind = IT_GLUE, .face = face, .w = sw, .stretch = sw * 0.6f, .shrink = sw * 0.3f};
                    if (!st->justify) {
                        g.stretch = 0;
                        g.shrink = 0;
                    }
                    if (!push(ts, it, g))
                        return false;
                }
                continue;
            }
            size_t start = i;
            while (i < sp->len && sp->text[i] != ' ')
                i++;
            if (!push_word(ts, it, st, face, sp->text + start, i - start))
                return false;
        }
    }
    while (it->n && it->v[it->n - 1].kind == IT_GLUE)
        it->n--;
    return true;
}

float cl_rich_width(cl_ts *ts, const cl_rich *rich, const cl_textstyle *st)
{
    float w = 0;
    for (size_t k = 0; k < rich->n; k++) {
        const cl_span *sp = &rich->spans[k];
        w += (float)(cl_fonts_width(ts->fonts, face_for(st, sp->style), sp->text, sp->len) * st->size);
    }
    return w;
}

/* ---- lines into glyph runs ------------------------------------------------------ */

typedef struct run_builder {
    cl_ts *ts;
    cl_line *ln;
    float size;
    bool open;
    cl_face face;
    float x;               /* the run's origin, from the line's left edge */
    cl_buf text;
    float *dx;
    size_t n, cap;
} run_builder;

/* Add one character (UTF-8 s[0..l)) at x to the open run. */
static void run_char(run_builder *rb, const char *s, size_t l, float x)
{
    if (rb->n == rb->cap) {
        size_t cap = rb->cap ? rb->cap * 2 : 64;
        float *nd = realloc(rb->dx, cap * sizeof *nd);
        if (!nd) {
            rb->text.failed = true;
            return;
        }
        rb->dx = nd;
        rb->cap = cap;
    }
    rb->dx[rb->n++] = x - rb->x;
    cl_buf_put(&rb->text, s, l);
}

/* Add the characters of s[0..n) from x at the face's advances; returns the x after them. */
static float run_text(run_builder *rb, const char *s, size_t n, float x)
{
    double at = x;
    size_t i = 0;
    while (i < n) {
        uint32_t cp;
        size_t l = cl_utf8_decode(s + i, n - i, &cp);
        if (!l)
            l = 1;
        run_char(rb, s + i, l, (float)at);
        at += cl_fonts_advance(rb->ts->fonts, rb->face, cp) * rb->size;
        i += l;
    }
    return (float)at;
}

/* Close the open run into the line's next fragment. false when out of memory. */
static bool run_flush(run_builder *rb)
{
    rb->open = false;
    float *dx = CL_NEWN(rb->ts->a, float, rb->n ? rb->n : 1);
    char *t = dx ? cl_arena_strndup(rb->ts->a, cl_buf_str(&rb->text), rb->text.len) : NULL;
    if (!t || rb->text.failed) {
        cl_err_set(rb->ts->err, CL_E_NOMEM, "out of memory");
        return false;
    }
    memcpy(dx, rb->dx, rb->n * sizeof *dx);
    rb->ln->frags[rb->ln->n++] = (cl_frag){rb->face, rb->size, rb->x, t, dx, (uint32_t)rb->n};
    cl_buf_clear(&rb->text);
    rb->n = 0;
    return true;
}

static void run_free(run_builder *rb)
{
    cl_buf_free(&rb->text);
    free(rb->dx);
}

/* ---- optimal fit ------------------------------------------------------------------- */

typedef struct node {
    double demerits;
    long prev;      /* index into breaks of the previous break, -1 for the start */
    float ratio;
} node;

cl_line *cl_break_lines(cl_ts *ts, const cl_rich *rich, const cl_textstyle *st, float measure, size_t *nlines)
{
    *nlines = 0;
    items it = {0};
    if (!build_items(ts, rich, st, &it) || it.n == 0)
        return NULL;
    /* prefix sums over boxes and glues (pens count only where a line ends) */
    size_t n = it.n;
    double *W = CL_NEWN(ts->a, double, n + 1), *Y = CL_NEWN(ts->a, double, n + 1), *Z = CL_NEWN(ts->a, double, n + 1);
    long *brk = CL_NEWN(ts->a, long, n + 2);
    node *nd = CL_NEWN(ts->a, node, n + 2);
    if (!W || !Y || !Z || !brk || !nd) {
        cl_err_set(ts->err, CL_E_NOMEM, "out of memory");
        return NULL;
    }
    for (size_t i = 0; i < n; i++) {
        const item *x = &it.v[i];
        W[i + 1] = W[i] + (x->kind == IT_PEN ? 0 : x->w);
        Y[i + 1] = Y[i] + (x->kind == IT_GLUE ? x->stretch : 0);
        Z[i + 1] = Z[i] + (x->kind == IT_GLUE ? x->shrink : 0);
    }
    /* breaks: -1 (start), every glue and pen, n (end) */
    size_t nb = 0;
    brk[nb++] = -1;
    for (size_t i = 0; i < n; i++)
        if (it.v[i].kind != IT_BOX)
            brk[nb++] = (long)i;
    brk[nb++] = (long)n;
    nd[0] = (node){0, -1, 0};
    for (size_t b = 1; b < nb; b++) {
        long bi = brk[b];
        bool last = bi == (long)n;
        bool pen = !last && it.v[bi].kind == IT_PEN;
        nd[b] = (node){DBL_MAX, -1, 0};
        for (long a = (long)b - 1; a >= 0; a--) {
            long ai = brk[a];
            size_t from = (size_t)(ai + 1); /* first item of the line */
            if (from > (size_t)bi)
                continue;
            double L = measure - (ai == -1 ? st->first_indent : 0);
            double nat = W[bi] - W[from] + (pen ? it.v[bi].w : 0);
            double y = Y[bi] - Y[from], z = Z[bi] - Z[from];
            if (nd[a].demerits == DBL_MAX)
                continue;
            double d;
            float r = 0;
            if (nat > L) {
                if (z <= 0 || (nat - L) / z > 1.0) {
                    if (a == (long)b - 1 && nd[b].demerits == DBL_MAX) {
                        /* a single unbreakable piece wider than the measure */
                        d = nd[a].demerits + 1e12;
                        nd[b] = (node){d, a, 0};
                    }
                    break; /* earlier starts are only wider */
                }
                r = (float)(-(nat - L) / z);
            } else if (last) {
                r = 0;
            } else if (!st->justify) {
                r = 0;
            } else {
                r = y > 0 ? (float)((L - nat) / y) : 10.0f;
            }
            double bad;
            if (st->justify)
                bad = last && r >= 0 ? 0 : 100.0 * fabs(r) * fabs(r) * fabs(r);
            else
                bad = last ? 0 : 100.0 * ((L - nat) / L) * ((L - nat) / L) * 4;
            if (bad > 10000 && !last)
                bad = 10000 + bad * 0.01; /* very loose lines: allowed, strongly discouraged */
            d = (10 + bad) * (10 + bad) + (pen ? 3000.0 : 0);
            if (pen && ai >= 0 && it.v[ai].kind == IT_PEN && it.v[ai].w > 0)
                d += 10000.0; /* two hyphenated lines in a row */
            d += nd[a].demerits;
            if (d < nd[b].demerits)
                nd[b] = (node){d, a, r};
        }
        if (nd[b].demerits == DBL_MAX && b > 0) {
            /* no feasible line ends here: allow an overfull line from the nearest start */
            for (long a = (long)b - 1; a >= 0; a--)
                if (nd[a].demerits != DBL_MAX) {
                    nd[b] = (node){nd[a].demerits + 1e12, a, 0};
                    break;
                }
        }
    }
    /* backtrack */
    size_t count = 0;
    for (long b = (long)nb - 1; b > 0; b = nd[b].prev)
        count++;
    cl_line *lines = CL_NEWN(ts->a, cl_line, count ? count : 1);
    long *ends = CL_NEWN(ts->a, long, count + 1);
    if (!lines || !ends)
        return NULL;
    size_t k = count;
    for (long b = (long)nb - 1; b > 0; b = nd[b].prev)
        ends[--k] = b;
    for (size_t li = 0; li < count; li++) {
        long b = ends[li], a = nd[b].prev;
        long ai = brk[a], bi = brk[b];
        bool last = bi == (long)n;
        bool pen = !last && it.v[bi].kind == IT_PEN && it.v[bi].w > 0;
        float r = nd[b].ratio;
        cl_line *ln = &lines[li];
        float x = ai == -1 ? st->first_indent : 0;
        /* count pieces */
        size_t maxf = 1;
        for (long i = ai + 1; i < bi; i++)
            maxf += it.v[i].kind == IT_BOX;
        ln->frags = CL_NEWN(ts->a, cl_frag, maxf + 1);
        if (!ln->frags)
            return NULL;
        /* runs of one face: each character at its x; a space where each gap starts */
        run_builder rb = {.ts = ts, .ln = ln, .size = st->size};
        float nat = 0;
        for (long i = ai + 1; i < bi; i++) {
            const item *x_ = &it.v[i];
            if (x_->kind == IT_GLUE) {
                if (rb.open)
                    run_char(&rb, " ", 1, x);
                x += x_->w + (r >= 0 ? r * x_->stretch : r * x_->shrink);
                nat += x_->w;
            } else if (x_->kind == IT_BOX) {
                if (rb.open && rb.face != x_->face && !run_flush(&rb)) {
                    run_free(&rb);
                    return NULL;
                }
                if (!rb.open) {
                    rb.open = true;
                    rb.face = x_->face;
                    rb.x = x;
                }
                run_text(&rb, x_->text, x_->len, x);
                x += x_->w; /* the width the breaker measured */
                nat += x_->w;
            }
        }
        if (pen && rb.open)
            run_text(&rb, "-", 1, x); /* its width counts below */
        bool flushed = !rb.open || run_flush(&rb);
        run_free(&rb);
        if (!flushed)
            return NULL;
        if (pen)
            nat += it.v[bi].w;
        ln->natural = nat;
        ln->width = x + (pen ? it.v[bi].w : 0);
        ln->hyphenated = pen;
    }
    *nlines = count;
    return lines;
}

/* ---- flow -------------------------------------------------------------------------- */

void cl_flow_init(cl_flow *f, cl_ts *ts, size_t n_anchors)
{
    memset(f, 0, sizeof *f);
    f->ts = ts;
    f->n_anchors = n_anchors;
    if (n_anchors) {
        f->anchor_page = CL_NEWN(ts->a, int, n_anchors);
        f->anchor_y = CL_NEWN(ts->a, float, n_anchors);
        for (size_t i = 0; f->anchor_page && i < n_anchors; i++)
            f->anchor_page[i] = -1;
    }
}

cl_box *cl_flow_box(cl_flow *f, float height)
{
    cl_box *nb = cl_arena_grow(f->ts->a, f->boxes, f->n, &f->cap, sizeof *nb, 256);
    if (!nb) {
        cl_err_set(f->ts->err, CL_E_NOMEM, "out of memory");
        return NULL;
    }
    f->boxes = nb;
    cl_box *b = &f->boxes[f->n++];
    memset(b, 0, sizeof *b);
    b->height = height;
    b->anchor = -1;
    b->group = -1;
    return b;
}

int cl_flow_group(cl_flow *f, const char *title)
{
    const char **ng = cl_arena_grow(f->ts->a, f->group_titles, f->n_groups, &f->cap_groups, sizeof *ng, 16);
    if (!ng) {
        cl_err_set(f->ts->err, CL_E_NOMEM, "out of memory");
        return -1;
    }
    f->group_titles = ng;
    ng[f->n_groups] = title;
    return (int)f->n_groups++;
}

bool cl_box_push(cl_flow *f, cl_box *b, const cl_op *op)
{
    cl_op *no = cl_arena_grow(f->ts->a, b->ops, b->n, &b->cap, sizeof *no, 8);
    if (!no) {
        cl_err_set(f->ts->err, CL_E_NOMEM, "out of memory");
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
        cl_err_set(f->ts->err, CL_E_NOMEM, "out of memory");
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

static cl_op translate(cl_op op, float dx, float dy)
{
    op.x += dx;
    op.y += dy;
    return op;
}

/* Does a column starting at box i continue a group begun before it? */
static bool continues_group(const cl_flow *f, size_t i)
{
    return i > 0 && f->boxes[i].group >= 0 && !f->boxes[i].break_before &&
           f->boxes[i].group == f->boxes[i - 1].group && f->group_titles;
}

/* "title (suite)", the title cut at a word with "…" when the line would be too long. */
static const char *continuation_title(cl_flow *f, const char *title, float measure)
{
    const cl_textstyle *st = &f->cont_style;
    const char *suffix = " (suite)";
    const char *t = cl_arena_printf(f->ts->a, "%s%s", title, suffix);
    if (!t || cl_fonts_width(f->ts->fonts, st->bold, t, strlen(t)) * st->size <= measure)
        return t;
    size_t n = strlen(title);
    while (n > 0) {
        while (n > 0 && title[n - 1] != ' ')
            n--;
        while (n > 0 && title[n - 1] == ' ')
            n--;
        t = cl_arena_printf(f->ts->a, "%.*s\xE2\x80\xA6%s", (int)n, title, suffix);
        if (!t || cl_fonts_width(f->ts->fonts, st->bold, t, strlen(t)) * st->size <= measure)
            return t;
    }
    return cl_arena_strdup(f->ts->a, suffix + 1);
}

static float cont_height(const cl_flow *f)
{
    return f->cont_style.leading + 6.0f;
}

static void warn(cl_flow *f, const char *msg)
{
    const char **nw = cl_arena_grow(f->ts->a, f->warnings, f->n_warnings, &f->cap_warnings, sizeof *nw, 8);
    if (nw && msg) {
        f->warnings = nw;
        nw[f->n_warnings++] = msg;
    }
}

/* What a too-tall unit is called in a warning. */
static const char *unit_name(const cl_flow *f, size_t i)
{
    const cl_box *b = &f->boxes[i];
    if (b->group >= 0 && (size_t)b->group < f->n_groups && f->group_titles)
        return cl_arena_printf(f->ts->a, "\"%s\"", f->group_titles[b->group]);
    for (size_t k = 0; k < b->n; k++)
        if (b->ops[k].kind == CL_OP_GLYPHS && b->ops[k].text)
            return cl_arena_printf(f->ts->a, "the block starting \"%s…\"", b->ops[k].text);
    return "a block";
}

/* Fill one column of height avail from box `from`: returns the first box of the next
 * column (f->n at the end). hts[i] gets each box's height (fill_rest boxes grown).
 * tall: set when a keep chain taller than the column had to be broken inside. */
static size_t fill_column(const cl_flow *f, size_t from, float avail, float *hts, bool *tall)
{
    float y = continues_group(f, from) ? cont_height(f) : 0;
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

typedef struct slot {
    size_t start;         /* first box of the column */
    bool newpage;         /* the column opens a page */
    cl_page_role role;    /* newpage: the page's role */
    bool forced;          /* newpage: opened by a forced break */
} slot;

bool cl_flow_paginate(cl_flow *f, const cl_pagespec *ps, cl_doc *doc)
{
    float avail = ps->height - ps->top - ps->bottom;
    int ncol = ps->columns > 1 ? ps->columns : 1;
    float *hts = CL_NEWN(f->ts->a, float, f->n + 1);
    slot *sl = CL_NEWN(f->ts->a, slot, f->n + 2);
    if (!hts || !sl) {
        cl_err_set(f->ts->err, CL_E_NOMEM, "out of memory");
        return false;
    }
    /* a page before a forced page break (or the document's last) never holds fewer than
     * three boxes when its end could have been reached with more: the last three of each
     * stretch keep together */
    for (size_t e = 1; e <= f->n; e++) {
        if (e < f->n && f->boxes[e].break_before != CL_BREAK_PAGE)
            continue;
        for (size_t k = 2; k <= 3 && e >= k; k++) {
            if (f->boxes[e - k + 1].break_before)
                break;
            f->boxes[e - k].keep_with_next = true;
        }
    }
    /* first phase: where each column starts */
    size_t ns = 0;
    int col = 0;
    size_t i = 0;
    while (i < f->n) {
        const cl_box *b = &f->boxes[i];
        slot s = {i, false, CL_PAGE_BODY, false};
        if (ns == 0 || b->break_before == CL_BREAK_PAGE || col + 1 >= ncol) {
            s.newpage = true;
            s.forced = ns > 0 && b->break_before;
            s.role = b->break_before || ns == 0 ? b->role : CL_PAGE_BODY;
            col = 0;
        } else {
            col++;
        }
        sl[ns++] = s;
        bool tall = false;
        size_t next = fill_column(f, i, avail, hts, &tall);
        if (tall)
            warn(f, cl_arena_printf(f->ts->a, "%s is taller than a %s and was broken where it did not fit",
                                    unit_name(f, i), ncol > 1 ? "column" : "page"));
        i = next;
    }
    /* balance the columns of a page that a forced page break or the end closes */
    for (size_t s = 0; ncol > 1 && s < ns; s++) {
        if (!sl[s].newpage)
            continue;
        size_t e = s + 1;
        while (e < ns && !sl[e].newpage)
            e++;
        size_t from = sl[s].start, to = e < ns ? sl[e].start : f->n;
        bool closed = e >= ns || f->boxes[to].break_before == CL_BREAK_PAGE;
        bool plain = true; /* no column break or growing box inside: nothing to balance */
        for (size_t k = from; k < to && plain; k++)
            plain = !f->boxes[k].fill_rest && (k == from || !f->boxes[k].break_before);
        if (!closed || !plain || e - s > (size_t)ncol || sl[s].role != CL_PAGE_BODY)
            continue; /* covers, title pages and dividers keep their own arrangement */
        float lo = 0, hi = avail;
        if (!fits_columns(f, from, to, ncol, hi))
            continue;
        while (hi - lo > 0.5f) {
            float mid = (lo + hi) / 2;
            if (fits_columns(f, from, to, ncol, mid))
                hi = mid;
            else
                lo = mid;
        }
        /* the page's columns again, at the balanced height */
        slot out[8];
        size_t no = 0, k = from;
        for (int c = 0; c < ncol && k < to && no < 8; c++) {
            out[no++] = (slot){k, c == 0, sl[s].role, sl[s].forced};
            k = fill_column(f, k, hi, NULL, NULL);
        }
        size_t old = e - s;
        if (no != old) { /* shift the slots after this page */
            memmove(&sl[s + no], &sl[e], (ns - e) * sizeof *sl);
            ns = ns - old + no;
        }
        memcpy(&sl[s], out, no * sizeof *sl);
        s += no - 1;
    }
    /* emit */
    cl_page *pg = NULL;
    int slotno = 0;
    float measure = cl_pagespec_measure(ps);
    for (size_t s = 0; s < ns; s++) {
        size_t from = sl[s].start, to = s + 1 < ns ? sl[s + 1].start : f->n;
        if (sl[s].newpage || !pg) {
            if (f->boxes[from].odd_page && doc->n_pages % 2 == 1) { /* the next page would be even */
                cl_page *blank = cl_doc_add_page(doc, ps->width, ps->height);
                if (!blank)
                    goto oom;
                blank->areas[0] = (cl_page_area){CL_PAGE_BLANK, (int)doc->n_pages, cl_pagespec_left(ps, doc->n_pages - 1),
                                                  ps->top, cl_pagespec_text_width(ps), avail, false};
                blank->n_areas = 1;
            }
            pg = cl_doc_add_page(doc, ps->width, ps->height);
            if (!pg)
                goto oom;
            pg->areas[0] = (cl_page_area){sl[s].role, (int)doc->n_pages, cl_pagespec_left(ps, doc->n_pages - 1),
                                          ps->top, cl_pagespec_text_width(ps), avail, sl[s].forced};
            pg->n_areas = 1;
            slotno = 0;
        } else {
            slotno++;
        }
        size_t pi = doc->n_pages - 1;
        float x0 = cl_pagespec_left(ps, pi) + (float)slotno * (measure + ps->column_gap);
        float yy = ps->top;
        if (continues_group(f, from)) {
            const char *t = continuation_title(f, f->group_titles[f->boxes[from].group], measure);
            cl_op op;
            if (!t || !cl_glyphs_natural(pg->arena, f->ts->fonts, &op, f->cont_style.bold, f->cont_style.size, x0,
                                         yy + cl_baseline(&f->cont_style), t, strlen(t)) ||
                !cl_page_push(doc, pg, &op))
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
                if (!cl_page_push(doc, pg, &op))
                    goto oom;
            }
            if (b->bookmark && !cl_doc_add_bookmark(doc, b->bookmark, b->bm_level, (int)pi, yy))
                goto oom;
            if (b->anchor >= 0 && (size_t)b->anchor < f->n_anchors && f->anchor_page) {
                f->anchor_page[b->anchor] = (int)pi;
                f->anchor_y[b->anchor] = yy;
            }
            yy += b->fill_rest ? h : hts[k];
        }
    }
    for (size_t k = 0; k < f->n_warnings; k++)
        if (!cl_doc_add_warning(doc, f->warnings[k]))
            goto oom;
    return true;
oom:
    cl_err_set(f->ts->err, CL_E_NOMEM, "out of memory");
    return false;
}
