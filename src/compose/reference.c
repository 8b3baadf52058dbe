/* reference.c: ISO 690 formatting (see reference.h).
 *
 *   rapport  AUTEUR. *Titre*. Éditeur, date, 79 p.
 *   article  AUTEUR. Titre. *Revue ou site* [en ligne], n°, date, p. 67-74.
 *   site     AUTEUR. *Titre* [en ligne]. Éditeur, date.
 *   podcast  AUTEUR. Titre [podcast]. Diffuseur, *Émission*, date, durée.
 *   video    AUTEUR. Titre [vidéo]. Diffuseur, *Chaîne*, date, durée.
 * then "Disponible sur : <adresse>" for a resource with an address, and "(consulté le 1er
 * décembre 2026)" when the day it was seen working is known. */
#include "reference.h"
#include "../util/buf.h"
#include "../util/utf8.h"
#include <stdio.h>
#include <string.h>

static const char *const months[] = {"janvier", "février", "mars", "avril", "mai", "juin", "juillet",
                                     "août", "septembre", "octobre", "novembre", "décembre"};

const char *cl_date_french(cl_arena *a, cl_date d)
{
    if (!d.year)
        return "";
    if (!d.month)
        return cl_arena_printf(a, "%d", d.year);
    if (!d.day)
        return cl_arena_printf(a, "%s %d", months[d.month - 1], d.year);
    return cl_arena_printf(a, "%d%s\xC2\xA0%s %d", d.day, d.day == 1 ? "er" : "", months[d.month - 1], d.year);
}

const char *cl_duration_french(cl_arena *a, int s)
{
    if (s <= 0)
        return NULL;
    int h = s / 3600, m = (s / 60) % 60, sec = s % 60;
    if (h)
        return m ? cl_arena_printf(a, "%d\xC2\xA0h\xC2\xA0%02d\xC2\xA0min", h, m) : cl_arena_printf(a, "%d\xC2\xA0h", h);
    if (sec)
        return m ? cl_arena_printf(a, "%d\xC2\xA0min\xC2\xA0%02d\xC2\xA0s", m, sec) : cl_arena_printf(a, "%d\xC2\xA0s", sec);
    return cl_arena_printf(a, "%d\xC2\xA0min", m);
}

const char *cl_pages_french(cl_arena *a, const char *p)
{
    if (!p)
        return NULL;
    if (strchr(p, '-'))
        return cl_arena_printf(a, "p.\xC2\xA0%s", p);
    return cl_arena_printf(a, "%s\xC2\xA0p.", p);
}

static int hexval(char c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

const char *cl_address_short(cl_arena *a, const char *url)
{
    const char *s = url;
    if (!strncmp(s, "https://", 8))
        s += 8;
    else if (!strncmp(s, "http://", 7))
        s += 7;
    if (!strncmp(s, "www.", 4))
        s += 4;
    size_t n = strlen(s);
    if (n > 1 && s[n - 1] == '/')
        n--;
    /* percent-encoded letters ("strat%C3%A9gie") are printed as the letters they stand
     * for ("stratégie"), for reading; ASCII escapes stay as they are, since "%2F" and
     * "/" differ in an address */
    cl_buf b = {0};
    for (size_t i = 0; i < n;) {
        if (s[i] == '%' && i + 2 < n && hexval(s[i + 1]) >= 0 && hexval(s[i + 2]) >= 0 &&
            hexval(s[i + 1]) >= 8) {
            char bytes[4];
            size_t k = 0, j = i;
            while (k < 4 && j + 2 < n && s[j] == '%' && hexval(s[j + 1]) >= 0 && hexval(s[j + 2]) >= 0) {
                bytes[k++] = (char)(hexval(s[j + 1]) * 16 + hexval(s[j + 2]));
                j += 3;
                uint32_t cp;
                size_t l = cl_utf8_decode(bytes, k, &cp);
                if (l == k && cp >= 0xA0) { /* one whole letter */
                    cl_buf_put(&b, bytes, k);
                    i = j;
                    k = 0;
                    break;
                }
            }
            if (k == 0)
                continue;
        }
        cl_buf_putc(&b, s[i++]);
    }
    char *out = b.failed ? cl_arena_strndup(a, s, n) : cl_arena_strndup(a, cl_buf_str(&b), b.len);
    cl_buf_free(&b);
    return out;
}

/* Uppercase a family name (Latin letters French uses). */
static void put_upper(cl_buf *b, const char *s)
{
    size_t n = strlen(s);
    for (size_t i = 0; i < n;) {
        uint32_t c;
        size_t l = cl_utf8_decode(s + i, n - i, &c);
        if (!l) {
            l = 1;
            c = (unsigned char)s[i];
        }
        if ((c >= 'a' && c <= 'z') || (c >= 0xE0 && c <= 0xFE && c != 0xF7))
            c -= 32;
        else if (c == 0x153)
            c = 0x152;
        char tmp[4];
        cl_buf_put(b, tmp, cl_utf8_encode(c, tmp));
        i += l;
    }
}

/* Rich text builder: spans accumulate in a buffer; style switches start a new span. */
typedef struct rb {
    cl_arena *a;
    cl_buf cur;
    unsigned style;
    cl_span spans[64];
    size_t n;
} rb;

static void rb_flush(rb *r)
{
    if (r->cur.len && r->n < 64) {
        char *t = cl_arena_strndup(r->a, cl_buf_str(&r->cur), r->cur.len);
        if (t)
            r->spans[r->n++] = (cl_span){t, r->cur.len, r->style};
    }
    cl_buf_clear(&r->cur);
}

static void rb_put(rb *r, const char *s, unsigned style)
{
    if (!s || !*s)
        return;
    if (style != r->style) {
        rb_flush(r);
        r->style = style;
    }
    cl_buf_puts(&r->cur, s);
}

/* Last character written (for punctuation decisions). */
static char rb_last(const rb *r)
{
    if (r->cur.len)
        return r->cur.data[r->cur.len - 1];
    if (r->n)
        return r->spans[r->n - 1].text[r->spans[r->n - 1].len - 1];
    return 0;
}

/* End a reference element: ". " unless it already ends with . ? ! */
static void rb_stop(rb *r)
{
    char c = rb_last(r);
    if (c == '.' || c == '?' || c == '!')
        rb_put(r, " ", r->style);
    else if (c)
        rb_put(r, ". ", r->style);
}

const char *cl_author_name(cl_arena *a, const cl_author *au)
{
    if (au->org)
        return au->org;
    cl_buf b = {0};
    put_upper(&b, au->family);
    if (au->given)
        cl_buf_printf(&b, " %s", au->given);
    char *out = cl_arena_strndup(a, cl_buf_str(&b), b.len);
    cl_buf_free(&b);
    return out;
}

static void authors(rb *r, const cl_resource *res)
{
    size_t n = res->n_authors > 3 ? 3 : res->n_authors;
    cl_buf b = {0};
    for (size_t i = 0; i < n; i++) {
        if (i)
            cl_buf_puts(&b, ", ");
        cl_buf_puts(&b, cl_author_name(r->a, &res->authors[i]));
    }
    if (res->n_authors > 3)
        cl_buf_puts(&b, " et al.");
    rb_put(r, cl_buf_str(&b), 0);
    cl_buf_free(&b);
}

cl_rich cl_reference(cl_arena *a, const cl_resource *res, bool with_address)
{
    rb r = {.a = a};
    if (res->n_authors) {
        authors(&r, res);
        rb_stop(&r);
    }
    bool italic_title = res->type == CL_RES_RAPPORT || res->type == CL_RES_SITE;
    rb_put(&r, res->title, italic_title ? CL_ST_ITALIC : 0);
    if (res->type == CL_RES_PODCAST)
        rb_put(&r, " [podcast]", 0);
    else if (res->type == CL_RES_VIDEO)
        rb_put(&r, " [vidéo]", 0);
    else if (res->type == CL_RES_SITE)
        rb_put(&r, " [en ligne]", 0);
    rb_stop(&r);
    if (res->description) {
        rb_put(&r, res->description, 0);
        rb_stop(&r);
    }
    /* publication group, comma separated */
    const char *parts[10];
    unsigned styles[10];
    size_t np = 0;
    const char *date = cl_date_french(a, res->date);
    if (*date && res->date_label)
        date = cl_arena_printf(a, "%s %s", res->date_label, date);
    else if (!*date && res->date_label)
        date = NULL;
    if (res->type == CL_RES_ARTICLE) {
        if (res->container) {
            parts[np] = res->container, styles[np++] = CL_ST_ITALIC;
            parts[np] = " [en ligne]", styles[np++] = 0xFF; /* glued to the previous part */
        }
        if (res->publisher)
            parts[np] = res->publisher, styles[np++] = 0;
    } else {
        if (res->publisher)
            parts[np] = res->publisher, styles[np++] = 0;
        if (res->container)
            parts[np] = res->container, styles[np++] = res->type == CL_RES_RAPPORT ? 0 : CL_ST_ITALIC;
    }
    if (res->volume)
        parts[np] = res->volume, styles[np++] = 0;
    if (res->issue)
        parts[np] = res->issue, styles[np++] = 0;
    if (date && *date)
        parts[np] = date, styles[np++] = 0;
    const char *pg = cl_pages_french(a, res->pages);
    if (pg)
        parts[np] = pg, styles[np++] = 0;
    const char *du = cl_duration_french(a, res->duration_s);
    if (du)
        parts[np] = du, styles[np++] = 0;
    for (size_t i = 0; i < np; i++) {
        if (styles[i] == 0xFF) {
            rb_put(&r, parts[i], 0);
            continue;
        }
        if (i)
            rb_put(&r, ", ", 0);
        rb_put(&r, parts[i], styles[i]);
    }
    if (np)
        rb_stop(&r);
    if (with_address && res->url) {
        rb_put(&r, "Disponible sur : ", 0);
        rb_put(&r, res->url, CL_ST_VERBATIM);
        if (res->accessed.year) {
            /* the access date written like every other date of the reference */
            rb_put(&r, cl_arena_printf(a, " (consulté %s%s)", res->accessed.day ? "le " : "en ",
                                        cl_date_french(a, res->accessed)),
                   0);
            rb_put(&r, ".", 0); /* after the address itself a dot would look part of it */
        }
    }
    rb_flush(&r);
    cl_buf_free(&r.cur);
    /* trim the trailing space left by rb_stop */
    if (r.n) {
        cl_span *last = &r.spans[r.n - 1];
        while (last->len && last->text[last->len - 1] == ' ')
            last->len--;
    }
    /* normalise French spacing per span, keep the styles */
    cl_rich out = {CL_NEWN(a, cl_span, r.n + 1), 0};
    if (!out.spans)
        return out;
    for (size_t i = 0; i < r.n; i++) {
        const cl_span *sp = &r.spans[i];
        if (sp->style & CL_ST_VERBATIM) {
            out.spans[out.n++] = (cl_span){sp->text, sp->len, sp->style & ~(unsigned)CL_ST_VERBATIM};
            continue;
        }
        char *t = cl_text_french(a, sp->text, sp->len);
        if (!t)
            continue;
        /* keep the spaces between spans that normalisation trims at span edges */
        bool lead = sp->len && sp->text[0] == ' ', trail = sp->len && sp->text[sp->len - 1] == ' ';
        if (lead || trail)
            t = cl_arena_printf(a, "%s%s%s", lead ? " " : "", t, trail ? " " : "");
        if (t)
            out.spans[out.n++] = (cl_span){t, strlen(t), sp->style};
    }
    return out;
}
