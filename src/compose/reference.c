/* reference.c: ISO 690 references, French usage (NF Z 44-005), one formatter per type
 * (see reference.h; every rule with an example in docs/references.md):
 *
 *   rapport  AUTEUR. *Titre*. Description. Éditeur, Collection, vol., n°, date, 79 p.
 *   article  AUTEUR. Titre. Description. *Revue ou site* [en ligne], Éditeur, vol., n°, date, p. 67-74.
 *   site     AUTEUR. *Titre* [en ligne]. Description. Site, Éditeur, mis à jour le date.
 *   podcast  AUTEUR. *Titre* [podcast]. Description. Diffuseur, Émission, date, durée.
 *   video    AUTEUR. *Titre* [vidéo]. Description. Diffuseur, Chaîne, date, durée.
 *
 * then "Disponible sur : <adresse>" for a resource with an address, and "(consulté le 1er
 * décembre 2026)." when the day it was seen working is known. More than three authors:
 * the first three and "et al."; bodies under their authority heading; "s. d." without a
 * date; a capital after every full stop. */
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
        c = cl_utf8_upper(c);
        char tmp[4];
        cl_buf_put(b, tmp, cl_utf8_encode(c, tmp));
        i += l;
    }
}

/* Rich text builder: spans accumulate in a buffer; style switches start a new span. */
typedef struct rb {
    cl_arena *a;
    const cl_textopts *o;
    cl_buf cur;
    unsigned style;
    cl_span spans[64];
    size_t n;
    bool cap_next;        /* the next element opens a sentence: its first letter in capital */
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
    if (r->cap_next) { /* "Volume 2. Mars 2017": a capital after a full stop */
        uint32_t c;
        size_t l = cl_utf8_decode(s, strlen(s), &c);
        if (l && cl_utf8_upper(c) != c) {
            char tmp[4];
            cl_buf_put(&r->cur, tmp, cl_utf8_encode(cl_utf8_upper(c), tmp));
            s += l;
        }
        r->cap_next = false;
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

/* End a reference element: ". " unless it already ends with . ? ! ; what follows opens
 * a sentence. */
static void rb_stop(rb *r)
{
    char c = rb_last(r);
    if (!c)
        return;
    if (c == '.' || c == '?' || c == '!')
        rb_put(r, " ", 0);
    else
        rb_put(r, ". ", 0); /* roman, even after an italic title */
    r->cap_next = true;
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

/* A body's name: its authority heading unless the layout asks for the source's. */
static const char *body(const rb *r, const char *as_written, const char *heading)
{
    return r->o && r->o->source_names ? as_written : cl_heading(as_written, heading);
}

/* AUTEUR, AUTEUR, AUTEUR et al. — then a full stop. */
static void authors(rb *r, const cl_resource *res)
{
    if (!res->n_authors)
        return;
    size_t n = res->n_authors > 3 ? 3 : res->n_authors;
    cl_buf b = {0};
    for (size_t i = 0; i < n; i++) {
        const cl_author *au = &res->authors[i];
        if (i)
            cl_buf_puts(&b, ", ");
        cl_buf_puts(&b, au->org ? body(r, au->org, au->heading) : cl_author_name(r->a, au));
    }
    if (res->n_authors > 3)
        cl_buf_puts(&b, " et al.");
    rb_put(r, cl_buf_str(&b), 0);
    cl_buf_free(&b);
    rb_stop(r);
}

/* The publication group: its parts (NULL skipped) separated by commas, then a stop. A
 * part with glue set runs on from the previous one ("*Revue* [en ligne]"). */
typedef struct part {
    const char *text;
    unsigned style;
    bool glue;
} part;

static void group(rb *r, const part *p, size_t n)
{
    bool any = false;
    for (size_t i = 0; i < n; i++) {
        if (!p[i].text || !*p[i].text)
            continue;
        if (any && !p[i].glue)
            rb_put(r, ", ", 0);
        rb_put(r, p[i].text, p[i].style);
        any = true;
    }
    if (any)
        rb_stop(r);
}

/* The date as printed: "mis à jour le 2 décembre 2020", "mars 2017", "s. d." without one. */
static const char *date_part(cl_arena *a, const cl_resource *res)
{
    const char *date = cl_date_french(a, res->date);
    if (!*date)
        return "s.\xC2\xA0" "d.";
    return res->date_label ? cl_arena_printf(a, "%s %s", res->date_label, date) : date;
}

/* The title, italic or not, with its medium ("[podcast]"), then a stop; the description
 * ("Volume 2", "Rapport au secrétaire d'État…") as a sentence of its own. */
static void title(rb *r, const cl_resource *res, bool italic, const char *medium)
{
    rb_put(r, res->title, italic ? CL_ST_ITALIC : 0);
    rb_put(r, medium, 0);
    rb_stop(r);
    if (res->description) {
        rb_put(r, res->description, 0);
        rb_stop(r);
    }
}

/* rapport, book:  AUTEUR. *Titre*. Éditeur, Collection, volume, n°, date, 79 p. */
static void ref_report(rb *r, const cl_resource *res)
{
    authors(r, res);
    title(r, res, true, NULL);
    part p[] = {{body(r, res->publisher, res->publisher_heading), 0, false},
                {body(r, res->container, res->container_heading), 0, false},
                {res->volume, 0, false},
                {res->issue, 0, false},
                {date_part(r->a, res), 0, false},
                {cl_pages_french(r->a, res->pages), 0, false}};
    group(r, p, sizeof p / sizeof p[0]);
}

/* article:  AUTEUR. Titre. *Revue ou site* [en ligne], Éditeur, volume, n°, date, p. 67-74. */
static void ref_article(rb *r, const cl_resource *res)
{
    authors(r, res);
    title(r, res, false, NULL);
    const char *container = body(r, res->container, res->container_heading);
    part p[] = {{container, CL_ST_ITALIC, false},
                {container ? " [en ligne]" : NULL, 0, true},
                {body(r, res->publisher, res->publisher_heading), 0, false},
                {res->volume, 0, false},
                {res->issue, 0, false},
                {date_part(r->a, res), 0, false},
                {cl_pages_french(r->a, res->pages), 0, false}};
    group(r, p, sizeof p / sizeof p[0]);
}

/* site:  AUTEUR. *Titre du site* [en ligne]. Site parent, Éditeur, mis à jour le date. */
static void ref_site(rb *r, const cl_resource *res)
{
    authors(r, res);
    title(r, res, true, " [en ligne]");
    part p[] = {{body(r, res->container, res->container_heading), 0, false},
                {body(r, res->publisher, res->publisher_heading), 0, false},
                {date_part(r->a, res), 0, false}};
    group(r, p, sizeof p / sizeof p[0]);
}

/* podcast, video:  AUTEUR. *Titre* [podcast]. Diffuseur, Émission, date, durée. */
static void ref_recording(rb *r, const cl_resource *res, const char *medium)
{
    authors(r, res);
    title(r, res, true, medium);
    part p[] = {{body(r, res->publisher, res->publisher_heading), 0, false},
                {body(r, res->container, res->container_heading), 0, false},
                {date_part(r->a, res), 0, false},
                {cl_duration_french(r->a, res->duration_s), 0, false}};
    group(r, p, sizeof p / sizeof p[0]);
}

cl_rich cl_reference(cl_arena *a, const cl_textopts *o, const cl_resource *res, bool with_address)
{
    rb r = {.a = a, .o = o};
    switch (res->type) {
    case CL_RES_ARTICLE: ref_article(&r, res); break;
    case CL_RES_SITE: ref_site(&r, res); break;
    case CL_RES_PODCAST: ref_recording(&r, res, " [podcast]"); break;
    case CL_RES_VIDEO: ref_recording(&r, res, " [vidéo]"); break;
    default: ref_report(&r, res); break;
    }
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
    /* normalise French typography per span, keep the styles */
    cl_rich out = {CL_NEWN(a, cl_span, r.n + 1), 0};
    if (!out.spans)
        return out;
    for (size_t i = 0; i < r.n; i++) {
        const cl_span *sp = &r.spans[i];
        if (sp->style & CL_ST_VERBATIM) {
            out.spans[out.n++] = (cl_span){sp->text, sp->len, sp->style & ~(unsigned)CL_ST_VERBATIM};
            continue;
        }
        char *t = cl_text_french(a, o, sp->text, sp->len);
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
