/* layout.c: line breaking, vertical flow and pagination (see layout.h). */
#include "layout.h"
#include "../util/buf.h"
#include "../util/utf8.h"
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <ctype.h>
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

/* Where the breaker's working arrays go: the scratch arena (emptied at each paragraph)
 * when there is one. */
static cl_arena *work(cl_ts *ts)
{
    return ts->scratch ? ts->scratch : ts->a;
}

static bool push(cl_ts *ts, items *it, item x)
{
    item *nv = cl_arena_grow(work(ts), it->v, it->n, &it->cap, sizeof *nv, 64);
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
                    char what[192];
                    cl_err_set(ts->err, CL_E_DATA,
                               "%s has no glyph in the fonts of fonts/ (replace it in the data, or add a font that has it)",
                               cl_utf8_describe(cp, what, sizeof what));
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

/* A natural break point of an address before s[i]: after "/" (after "//" as a whole),
 * or before ". - _ ? # = &" that does not follow another of them. */
static bool address_break(const char *s, size_t i)
{
    bool after_slash = s[i - 1] == '/' && s[i] != '/';
    bool before_mark = strchr(".-_?#=&", s[i]) != NULL && !strchr("/.-_?#=&", s[i - 1]);
    return after_slash || before_mark;
}

/* Push an address with its break points and no hyphen: the natural ones
 * (address_break), never inside the scheme, never before its last character, so nothing
 * is added to the address and no line starts with a lone dot. A run of 24 characters or
 * more without one (a session token, "4IYCBix0mbR6awfskG42c2EBpIE95UkRE6i0": no word is
 * that long) may also break between two letters or digits 12 characters or more after
 * the last break, so that it never runs past its column (into a QR code beside it). */
static bool push_address(cl_ts *ts, items *it, cl_face face, const char *s, size_t n, float size)
{
    size_t from = 0; /* no break before the end of "scheme://" */
    for (size_t i = 0; i + 2 < n; i++)
        if (!memcmp(s + i, "://", 3)) {
            from = i + 3;
            break;
        }
    size_t prev = 0, run_start = from, run_end = 0;
    for (size_t i = from + 1; i + 1 < n; i++) {
        bool natural = address_break(s, i);
        if (natural) {
            run_start = i;
        } else if (i >= run_end) { /* where the run holding i ends */
            run_end = i + 1;
            while (run_end + 1 < n && !address_break(s, run_end))
                run_end++;
        }
        /* between two letters or digits, never inside or before a "%2A" escape */
        bool alnum = isalnum((unsigned char)s[i - 1]) && isalnum((unsigned char)s[i]) && s[i - 1 - (i >= 2)] != '%' &&
                     (i < 2 || s[i - 2] != '%');
        bool token = !natural && alnum && run_end - run_start >= 24 && i - prev >= 12 && run_end - i >= 4;
        if (!natural && !token)
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
    float *dx = CL_NEWN_RAW(rb->ts->a, float, rb->n ? rb->n : 1);
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
    if (ts->scratch)
        cl_arena_reset(ts->scratch);
    items it = {0};
    if (!build_items(ts, rich, st, &it) || it.n == 0)
        return NULL;
    /* prefix sums over boxes and glues (pens count only where a line ends) */
    size_t n = it.n;
    cl_arena *wa = work(ts);
    double *W = CL_NEWN_RAW(wa, double, n + 1), *Y = CL_NEWN_RAW(wa, double, n + 1), *Z = CL_NEWN_RAW(wa, double, n + 1);
    long *brk = CL_NEWN_RAW(wa, long, n + 2);
    node *nd = CL_NEWN_RAW(wa, node, n + 2);
    if (!W || !Y || !Z || !brk || !nd) {
        cl_err_set(ts->err, CL_E_NOMEM, "out of memory");
        return NULL;
    }
    W[0] = Y[0] = Z[0] = 0;
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
    /* each break's line start: the sums at its first item, and whether it follows a
     * hyphen (two hyphenated lines in a row cost more) */
    double *Wf = CL_NEWN_RAW(wa, double, nb), *Yf = CL_NEWN_RAW(wa, double, nb), *Zf = CL_NEWN_RAW(wa, double, nb);
    bool *after_hyphen = CL_NEWN_RAW(wa, bool, nb);
    if (!Wf || !Yf || !Zf || !after_hyphen) {
        cl_err_set(ts->err, CL_E_NOMEM, "out of memory");
        return NULL;
    }
    for (size_t a = 0; a < nb; a++) {
        size_t from = (size_t)(brk[a] + 1);
        if (from > n)
            from = n;
        Wf[a] = W[from];
        Yf[a] = Y[from];
        Zf[a] = Z[from];
        after_hyphen[a] = brk[a] >= 0 && it.v[brk[a]].kind == IT_PEN && it.v[brk[a]].w > 0;
    }
    const double measure_d = measure, first_l = measure - st->first_indent;
    nd[0] = (node){0, -1, 0};
    for (size_t b = 1; b < nb; b++) {
        long bi = brk[b];
        bool last = bi == (long)n;
        bool pen = !last && it.v[bi].kind == IT_PEN;
        double Wb = W[bi] + (pen ? it.v[bi].w : 0), Yb = Y[bi], Zb = Z[bi];
        double pen_cost = pen ? 3000.0 : 0;
        nd[b] = (node){DBL_MAX, -1, 0};
        for (long a = (long)b - 1; a >= 0; a--) {
            double L = a == 0 ? first_l : measure_d;
            double nat = Wb - Wf[a];
            double d;
            float r = 0;
            if (nat > L) {
                double z = Zb - Zf[a];
                if (z <= 0 || (nat - L) / z > 1.0) {
                    if (a == (long)b - 1 && nd[b].demerits == DBL_MAX) {
                        /* a single unbreakable piece wider than the measure */
                        d = nd[a].demerits + 1e12;
                        nd[b] = (node){d, a, 0};
                    }
                    break; /* earlier starts are only wider */
                }
                r = (float)(-(nat - L) / z);
            } else if (!last && st->justify) {
                double y = Yb - Yf[a];
                r = y > 0 ? (float)((L - nat) / y) : 10.0f;
            }
            double bad;
            if (st->justify) {
                double ar = fabs(r);
                bad = last && r >= 0 ? 0 : 100.0 * ar * ar * ar;
            } else {
                double q = (L - nat) / L;
                bad = last ? 0 : 400.0 * q * q;
            }
            if (bad > 10000 && !last)
                bad = 10000 + bad * 0.01; /* very loose lines: allowed, strongly discouraged */
            d = (10 + bad) * (10 + bad) + pen_cost;
            if (pen && after_hyphen[a])
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
    long *ends = CL_NEWN_RAW(wa, long, count + 1);
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

