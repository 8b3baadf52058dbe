/* import.c: the reference files of reference managers read into cl_xrecord values (see
 * exchange.h, cl_import_parse): RIS, CSL-JSON (with json-c) and BibTeX (read here).
 *
 * Every reader walks the text once, every loop bounded by its length; nothing recurses
 * (json-c's own depth limit stays at its default of 32, and BibTeX braces deeper than 32
 * are an error). A record that cannot be read is an error at its FILE:LINE:COL and is
 * left out; a field that cannot be read (a date, a duration, pages, an address) is a
 * warning at its place and is left unknown. All values are cleaned the same way: valid
 * UTF-8, control characters as spaces, white space runs as one space, trimmed.
 *
 * Ownership: records, their strings and arrays live in the arena given; the few heap
 * buffers used on the way are freed before returning. */
#include "exchange.h"
#include "../util/buf.h"
#include "../util/utf8.h"
#include <json-c/json.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unicode/uchar.h>
#include <unicode/unorm2.h>

#define MAX_DEPTH 32 /* BibTeX braces nested deeper: an error */
#define SHOWN 48     /* characters of a value quoted in a message */
#define MAX_DURATION (9999 * 3600 + 59 * 60 + 59)

/* ---- what every reader shares ---------------------------------------------------------- */

typedef struct ctx {
    cl_arena *a;
    const char *file, *t; /* the file's name (for messages) and its text */
    size_t n, body;       /* its length; where it starts after a byte-order mark */
    cl_diags *d;
    size_t *lines; /* offsets of the line starts (NULL: out of memory, counted) */
    size_t n_lines;
    cl_xrecord *recs;
    size_t n_recs, cap_recs;
    const UNormalizer2 *nfc; /* for accents put on letters (NULL: left uncomposed) */
} ctx;

/* A record being built. */
typedef struct rec {
    cl_xrecord r;
    size_t cap_authors;
} rec;

typedef enum { V_NONE, V_OK, V_BAD } vres;

static bool is_ws(char ch) { return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r'; }

static bool is_digit(char ch) { return ch >= '0' && ch <= '9'; }

/* The line (1-based) of offset off. */
static size_t line_index(const ctx *c, size_t off)
{
    if (!c->lines) {
        size_t l = 0;
        for (size_t i = 0; i < off && i < c->n; i++)
            if (c->t[i] == '\n')
                l++;
        return l;
    }
    size_t lo = 0, hi = c->n_lines;
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (c->lines[mid] <= off)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

static size_t line_start(const ctx *c, size_t li)
{
    if (c->lines)
        return c->lines[li];
    size_t k = 0;
    for (size_t i = 0; i < c->n && k < li; i++)
        if (c->t[i] == '\n' && ++k == li)
            return i + 1;
    return 0;
}

/* LINE and COL (in characters, the byte-order mark not counted) of offset off. */
static int line_of(const ctx *c, size_t off)
{
    size_t l = line_index(c, off > c->n ? c->n : off) + 1;
    return l > INT_MAX ? INT_MAX : (int)l;
}

static int col_of(const ctx *c, size_t off)
{
    if (off > c->n)
        off = c->n;
    size_t s = line_start(c, line_index(c, off));
    if (s < c->body && off >= c->body)
        s = c->body;
    size_t k = cl_utf8_count(c->t + s, off - s) + 1;
    return k > INT_MAX ? INT_MAX : (int)k;
}

/* s[0..n) as a value: valid UTF-8 (a bad byte becomes U+FFFD), control characters as
 * spaces, white space runs as one space (multiline: line breaks kept, one at a time),
 * trimmed; cut to max_chars characters and "…" when max_chars is not 0. NULL when
 * nothing is left (or out of memory, which the arena counts). */
static const char *clean(ctx *c, const char *s, size_t n, bool multiline, size_t max_chars)
{
    if (!s)
        return NULL;
    char *o = cl_arena_alloc_raw(c->a, n * 3 + 4);
    if (!o)
        return NULL;
    size_t k = 0, chars = 0;
    bool sp = false, nl = false;
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t l = cl_utf8_decode(s + i, n - i, &cp);
        if (!l) {
            l = 1;
            cp = 0xFFFD;
        }
        i += l;
        if (multiline && cp == '\r') {
            if (i < n && s[i] == '\n')
                continue;
            cp = '\n';
        }
        if (multiline && cp == '\n') {
            nl = k > 0;
            sp = false;
            continue;
        }
        if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0))
            cp = ' ';
        if (cp == ' ') {
            sp = k > 0 && !nl;
            continue;
        }
        if (max_chars && chars == max_chars) {
            memcpy(o + k, "\xE2\x80\xA6", 3);
            k += 3;
            break;
        }
        if (nl)
            o[k++] = '\n';
        else if (sp)
            o[k++] = ' ';
        nl = sp = false;
        k += cl_utf8_encode(cp, o + k);
        chars++;
    }
    if (!k)
        return NULL;
    o[k] = 0;
    return o;
}

static const char *clean_str(ctx *c, const char *s) { return s ? clean(c, s, strlen(s), false, 0) : NULL; }

/* A value as messages quote it: cleaned and cut; "" when empty. */
static const char *shown(ctx *c, const char *s, size_t n)
{
    if (n > SHOWN * 4 + 8) /* enough for SHOWN characters and the sign that more follow */
        n = SHOWN * 4 + 8;
    const char *v = clean(c, s, n, false, SHOWN);
    return v ? v : "";
}

static const char *shown_str(ctx *c, const char *s) { return s ? shown(c, s, strlen(s)) : ""; }

static void add_author(ctx *c, rec *b, const char *family, const char *given, const char *org)
{
    if (!org && !family && given) {
        family = given;
        given = NULL;
    }
    if (!org && !family)
        return;
    cl_author *p = cl_arena_grow(c->a, b->r.authors, b->r.n_authors, &b->cap_authors, sizeof *p, 4);
    if (!p)
        return;
    b->r.authors = p;
    p[b->r.n_authors++] = (cl_author){.family = org ? NULL : family, .given = org ? NULL : given, .org = org};
}

static void keep(ctx *c, const rec *b)
{
    cl_xrecord *p = cl_arena_grow(c->a, c->recs, c->n_recs, &c->cap_recs, sizeof *p, 16);
    if (!p)
        return;
    c->recs = p;
    p[c->n_recs++] = b->r;
}

/* An RIS person: a comma outside parentheses ("FAMILY, Given"); else an organisation.
 * What follows the comma starting with a small letter is no given name but the rest of
 * an organisation's name ("Grand Lyon, la métropole"). */
static void add_ris_name(ctx *c, rec *b, const char *s)
{
    if (!s)
        return;
    int depth = 0;
    for (size_t i = 0; s[i]; i++) {
        if (s[i] == '(')
            depth++;
        else if (s[i] == ')' && depth > 0)
            depth--;
        else if (s[i] == ',' && depth == 0) {
            const char *given = clean_str(c, s + i + 1);
            uint32_t cp = 0;
            if (given)
                (void)cl_utf8_decode(given, strlen(given), &cp);
            if (given && u_islower((UChar32)cp))
                break;
            add_author(c, b, clean(c, s, i, false, 0), given, NULL);
            return;
        }
    }
    add_author(c, b, NULL, NULL, s);
}

/* ---- dates, durations, pages, addresses ------------------------------------------------ */

static bool date_valid(int y, int m, int d)
{
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 1000 || y > 9999 || m < 0 || m > 12 || d < 0 || (m == 0 && d > 0))
        return false;
    if (d == 0)
        return true;
    int max = mdays[m - 1];
    if (m == 2 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        max = 28;
    return d <= max;
}

/* Up to max digits at *p as a number (0 when none); *count gets how many. */
static int take_digits(const char **p, size_t max, size_t *count)
{
    int v = 0;
    size_t k = 0;
    while (k < max && is_digit((*p)[k]))
        v = v * 10 + ((*p)[k++] - '0');
    *p += k;
    *count = k;
    return v;
}

/* A date written YYYY, YYYY-MM, YYYY-MM-DD (a time may follow after 'T' or a space), or
 * as RIS writes it, YYYY/MM/DD/other with parts left empty ("2019/10//", "2019///"). */
static vres date_of(const char *s, cl_date *out)
{
    *out = (cl_date){0};
    if (!s || !*s)
        return V_NONE;
    const char *p = s;
    size_t k;
    int y = take_digits(&p, 4, &k), m = 0, d = 0;
    if (k != 4)
        return V_BAD;
    if (*p == '-') {
        p++;
        m = take_digits(&p, 2, &k);
        if (!k)
            return V_BAD;
        if (*p == '-') {
            p++;
            d = take_digits(&p, 2, &k);
            if (!k)
                return V_BAD;
        }
        if (*p && *p != 'T' && *p != ' ')
            return V_BAD;
    } else if (*p == '/') {
        p++;
        m = take_digits(&p, 2, &k);
        if (*p == '/') {
            p++;
            d = take_digits(&p, 2, &k);
            if (*p && *p != '/')
                return V_BAD;
        } else if (*p) {
            return V_BAD;
        }
    } else if (*p) {
        return V_BAD;
    }
    if (!date_valid(y, m, d))
        return V_BAD;
    *out = (cl_date){y, m, d};
    return V_OK;
}

/* H:MM:SS, MM:SS or a number of seconds. "0" and "0:00" are no duration. */
static vres duration_of(const char *s, int *out)
{
    *out = 0;
    if (!s || !*s)
        return V_NONE;
    long parts[3] = {0};
    size_t np = 0, len[3] = {0};
    const char *p = s;
    for (;;) {
        if (np == 3)
            return V_BAD;
        size_t k;
        const char *q = p;
        long v = 0;
        for (k = 0; k < 9 && is_digit(q[k]); k++)
            v = v * 10 + (q[k] - '0');
        if (!k || is_digit(q[k]))
            return V_BAD;
        parts[np] = v;
        len[np++] = k;
        p = q + k;
        if (*p == ':')
            p++;
        else if (*p)
            return V_BAD;
        else
            break;
    }
    long secs;
    if (np == 1)
        secs = parts[0];
    else if (np == 2)
        secs = len[0] <= 4 && len[1] == 2 && parts[1] < 60 ? parts[0] * 60 + parts[1] : -1;
    else
        secs = len[0] <= 4 && len[1] == 2 && len[2] == 2 && parts[1] < 60 && parts[2] < 60
                   ? parts[0] * 3600 + parts[1] * 60 + parts[2]
                   : -1;
    if (secs < 0 || secs > MAX_DURATION)
        return V_BAD;
    *out = (int)secs;
    return secs ? V_OK : V_NONE;
}

/* Pages: "79" (a count) or "67-74" (a range: '-', '--', an en or em dash, spaces
 * around), 1 to 5 digits each, the first not after the last. */
static vres pages_of(ctx *c, const char *s, const char **out)
{
    *out = NULL;
    if (!s || !*s)
        return V_NONE;
    const char *p = s;
    size_t a, b;
    long from = take_digits(&p, 5, &a);
    if (!a || is_digit(*p))
        return V_BAD;
    while (*p == ' ')
        p++;
    if (!*p) {
        *out = cl_arena_strndup(c->a, s, a);
        return V_OK;
    }
    if (*p == '-')
        p += p[1] == '-' ? 2 : 1;
    else if (!strncmp(p, "\xE2\x80\x93", 3) || !strncmp(p, "\xE2\x80\x94", 3) || !strncmp(p, "\xE2\x80\x90", 3) ||
             !strncmp(p, "\xE2\x80\x91", 3))
        p += 3;
    else
        return V_BAD;
    while (*p == ' ')
        p++;
    const char *q = p;
    long to = take_digits(&p, 5, &b);
    if (!b || *p || from > to)
        return V_BAD;
    *out = cl_arena_printf(c->a, "%.*s-%.*s", (int)a, s, (int)b, q);
    return V_OK;
}

/* The field checks every format shares; field names the field for messages, off is
 * where its value is written. */
static void set_date(ctx *c, const char *s, const char *field, size_t off, cl_date *out)
{
    if (date_of(s, out) == V_BAD)
        cl_diags_add(c->d, CL_WARNING, c->file, line_of(c, off), col_of(c, off),
                     "invalid date '%s' in '%s': left unknown (accepted: YYYY, YYYY-MM or YYYY-MM-DD, or "
                     "YYYY/MM/DD/ in RIS, e.g. 2019-10-30)",
                     shown_str(c, s), field);
}

static void set_duration(ctx *c, const char *s, const char *field, size_t off, int *out)
{
    if (duration_of(s, out) == V_BAD)
        cl_diags_add(c->d, CL_WARNING, c->file, line_of(c, off), col_of(c, off),
                     "duration '%s' in '%s' not understood: left out (accepted: H:MM:SS, MM:SS or a number of "
                     "seconds, e.g. 1:02:05, 18:15 or 1095)",
                     shown_str(c, s), field);
}

/* Returns V_NONE when s is empty (the caller may try another field). */
static vres set_pages(ctx *c, const char *s, const char *field, size_t off, const char **out)
{
    vres v = pages_of(c, s, out);
    if (v == V_BAD)
        cl_diags_add(c->d, CL_WARNING, c->file, line_of(c, off), col_of(c, off),
                     "pages '%s' in '%s' not understood: left out (accepted: a page count such as 79, or a range "
                     "such as 67-74)",
                     shown_str(c, s), field);
    return v;
}

static void set_url(ctx *c, const char *s, const char *field, size_t off, const char **out)
{
    *out = NULL;
    if (!s)
        return;
    if (cl_url_valid(s)) /* what the data folder accepts */
        *out = s;
    else
        cl_diags_add(c->d, CL_WARNING, c->file, line_of(c, off), col_of(c, off),
                     "'%s' in '%s' is not an http(s) address: left out (accepted: http:// or https:// followed by "
                     "a host name, without spaces)",
                     shown_str(c, s), field);
}

/* Types ---------------------------------------------------------------------------------- */

typedef struct tmap {
    const char *name;
    cl_restype type;
} tmap;

static const tmap ris_types[] = {
    {"JOUR", CL_RES_ARTICLE}, {"JFULL", CL_RES_ARTICLE}, {"NEWS", CL_RES_ARTICLE},  {"MGZN", CL_RES_ARTICLE},
    {"ABST", CL_RES_ARTICLE}, {"INPR", CL_RES_ARTICLE},  {"ELEC", CL_RES_SITE},     {"WEB", CL_RES_SITE},
    {"BLOG", CL_RES_SITE},    {"ICOMM", CL_RES_SITE},    {"SOUND", CL_RES_PODCAST}, {"MUSIC", CL_RES_PODCAST},
    {"VIDEO", CL_RES_VIDEO},  {"MPCT", CL_RES_VIDEO},    {"RPRT", CL_RES_RAPPORT},  {NULL, CL_RES_RAPPORT}};
static const char ris_accepted[] = "JOUR, JFULL, NEWS, MGZN, ABST, INPR, ELEC, WEB, BLOG, ICOMM, SOUND, MUSIC, "
                                   "VIDEO, MPCT, RPRT";

static const tmap csl_types[] = {{"article", CL_RES_ARTICLE},
                                 {"article-journal", CL_RES_ARTICLE},
                                 {"article-magazine", CL_RES_ARTICLE},
                                 {"article-newspaper", CL_RES_ARTICLE},
                                 {"webpage", CL_RES_SITE},
                                 {"post", CL_RES_SITE},
                                 {"post-weblog", CL_RES_SITE},
                                 {"broadcast", CL_RES_PODCAST},
                                 {"song", CL_RES_PODCAST},
                                 {"motion_picture", CL_RES_VIDEO},
                                 {"report", CL_RES_RAPPORT},
                                 {NULL, CL_RES_RAPPORT}};
static const char csl_accepted[] = "article, article-journal, article-magazine, article-newspaper, webpage, post, "
                                   "post-weblog, broadcast, song, motion_picture, report";

static const tmap bib_types[] = {
    {"article", CL_RES_ARTICLE}, {"online", CL_RES_SITE},        {"www", CL_RES_SITE},
    {"electronic", CL_RES_SITE}, {"techreport", CL_RES_RAPPORT}, {"report", CL_RES_RAPPORT},
    {"audio", CL_RES_PODCAST},   {"video", CL_RES_VIDEO},        {NULL, CL_RES_RAPPORT}};
static const char bib_accepted[] = "@article, @online, @www, @electronic, @techreport, @report, @audio, @video, "
                                   "@misc with a url or an entrysubtype podcast or video";

/* Sets b's type from the file's type name (NULL or empty: none given), warning at off
 * when it has no Classeur type. */
static void set_type(ctx *c, rec *b, const tmap *map, const char *accepted, const char *name, size_t off, bool any_case)
{
    b->r.source_type = name;
    b->r.type = CL_RES_RAPPORT;
    if (!name || !*name) {
        cl_diags_add(c->d, CL_WARNING, c->file, line_of(c, off), col_of(c, off),
                     "this record gives no type: imported as 'rapport' (accepted: %s)", accepted);
        return;
    }
    for (size_t i = 0; map[i].name; i++)
        if (any_case ? !strcasecmp(map[i].name, name) : !strcmp(map[i].name, name)) {
            b->r.type = map[i].type;
            return;
        }
    cl_diags_add(c->d, CL_WARNING, c->file, line_of(c, off), col_of(c, off),
                 "type '%s' has no Classeur type: imported as 'rapport' (accepted: %s)", shown_str(c, name), accepted);
}

/* ---- RIS ---------------------------------------------------------------------------------- */

/* One field value of an RIS record, cleaned, and where it is written. */
typedef struct rval {
    const char *v;
    size_t off;
} rval;

typedef struct ris {
    rec b;
    size_t off;
    rval ty, id, ti, t2, jo, pb, vl, is, sp, ep, py, da, y2, m1, ur, ab, n2;
    cl_buf n1;
    /* the field being read (continuation lines are added to it) */
    char tag[3];
    size_t tag_off;
    cl_buf val;
    bool pending;
} ris;

/* "XX  - value": true with the tag and the value's offset in the line when it is one. */
static bool ris_tag_line(const char *l, size_t len, char tag[3], size_t *vstart)
{
    if (len < 5 || !(l[0] >= 'A' && l[0] <= 'Z') || !((l[1] >= 'A' && l[1] <= 'Z') || is_digit(l[1])))
        return false;
    size_t i = 2;
    while (i < len && i < 5 && l[i] == ' ')
        i++;
    if (i < 3 || i >= len || l[i] != '-')
        return false;
    i++;
    if (i < len && l[i] != ' ')
        return false;
    tag[0] = l[0];
    tag[1] = l[1];
    tag[2] = 0;
    *vstart = i < len ? i + 1 : len;
    return true;
}

/* An HTML note as Zotero writes N1 ("<p>…</p>"): its text. */
static const char *html_text(ctx *c, const char *s)
{
    if (!s || s[0] != '<')
        return s;
    size_t n = strlen(s), k = 0;
    char *o = cl_arena_alloc_raw(c->a, n + 1);
    if (!o)
        return NULL;
    static const struct {
        const char *ent, *text;
    } ents[] = {{"&amp;", "&"}, {"&lt;", "<"},   {"&gt;", ">"},          {"&quot;", "\""},
                {"&#39;", "'"}, {"&apos;", "'"}, {"&nbsp;", "\xC2\xA0"}, {NULL, NULL}};
    for (size_t i = 0; i < n;) {
        if (s[i] == '<') {
            const char *e = memchr(s + i, '>', n - i);
            if (e) {
                o[k++] = ' ';
                i = (size_t)(e - s) + 1;
                continue;
            }
        }
        if (s[i] == '&') {
            size_t j = 0;
            while (ents[j].ent && strncmp(s + i, ents[j].ent, strlen(ents[j].ent)))
                j++;
            if (ents[j].ent) {
                size_t tl = strlen(ents[j].text);
                memcpy(o + k, ents[j].text, tl);
                k += tl;
                i += strlen(ents[j].ent);
                continue;
            }
        }
        o[k++] = s[i++];
    }
    return clean(c, o, k, false, 0);
}

static void ris_first(rval *f, const char *v, size_t off)
{
    if (!f->v && v)
        *f = (rval){v, off};
}

/* The field read so far goes into the record. */
static void ris_flush(ctx *c, ris *R)
{
    if (!R->pending)
        return;
    R->pending = false;
    const char *v = clean(c, R->val.data, R->val.len, false, 0);
    size_t off = R->tag_off;
    const char *t = R->tag;
    if (!strcmp(t, "AU") || !strcmp(t, "A1"))
        add_ris_name(c, &R->b, v);
    else if (!strcmp(t, "ID"))
        ris_first(&R->id, v, off);
    else if (!strcmp(t, "TI") || !strcmp(t, "T1"))
        ris_first(&R->ti, v, off);
    else if (!strcmp(t, "T2"))
        ris_first(&R->t2, v, off);
    else if (!strcmp(t, "JO") || !strcmp(t, "JF") || !strcmp(t, "JA"))
        ris_first(&R->jo, v, off);
    else if (!strcmp(t, "PB"))
        ris_first(&R->pb, v, off);
    else if (!strcmp(t, "VL"))
        ris_first(&R->vl, v, off);
    else if (!strcmp(t, "IS"))
        ris_first(&R->is, v, off);
    else if (!strcmp(t, "SP"))
        ris_first(&R->sp, v, off);
    else if (!strcmp(t, "EP"))
        ris_first(&R->ep, v, off);
    else if (!strcmp(t, "PY") || !strcmp(t, "Y1"))
        ris_first(&R->py, v, off);
    else if (!strcmp(t, "DA"))
        ris_first(&R->da, v, off);
    else if (!strcmp(t, "Y2"))
        ris_first(&R->y2, v, off);
    else if (!strcmp(t, "M1"))
        ris_first(&R->m1, v, off);
    else if (!strcmp(t, "UR"))
        ris_first(&R->ur, v, off);
    else if (!strcmp(t, "AB"))
        ris_first(&R->ab, v, off);
    else if (!strcmp(t, "N2"))
        ris_first(&R->n2, v, off);
    else if (!strcmp(t, "N1") && (v = html_text(c, v))) {
        if (R->n1.len)
            cl_buf_putc(&R->n1, ' ');
        cl_buf_puts(&R->n1, v);
    }
}

/* The record read so far, from its TY line at R->off: kept when it has a title. */
static void ris_end(ctx *c, ris *R)
{
    ris_flush(c, R);
    rec *b = &R->b;
    b->r.line = line_of(c, R->off);
    b->r.col = col_of(c, R->off);
    if (!R->ti.v) {
        cl_diags_add(c->d, CL_ERROR, c->file, b->r.line, b->r.col,
                     "this record has no title (TI or T1): skipped (every record needs one; the others are kept)");
        cl_buf_free(&R->n1);
        return;
    }
    set_type(c, b, ris_types, ris_accepted, R->ty.v, R->ty.off, true);
    b->r.key = R->id.v;
    b->r.title = R->ti.v;
    b->r.container = R->t2.v ? R->t2.v : R->jo.v;
    b->r.publisher = R->pb.v;
    b->r.volume = R->vl.v;
    b->r.issue = R->is.v;
    if (R->da.v)
        set_date(c, R->da.v, "DA", R->da.off, &b->r.date);
    if (!b->r.date.year && R->py.v)
        set_date(c, R->py.v, "PY", R->py.off, &b->r.date);
    if (R->y2.v)
        set_date(c, R->y2.v, "Y2", R->y2.off, &b->r.accessed);
    if (R->sp.v && R->ep.v) {
        const char *range = cl_arena_printf(c->a, "%s-%s", R->sp.v, R->ep.v);
        (void)set_pages(c, range, "SP", R->sp.off, &b->r.pages);
    } else if (R->sp.v) {
        (void)set_pages(c, R->sp.v, "SP", R->sp.off, &b->r.pages);
    }
    /* M1 is a duration for sound and video only: other records use it for other things */
    if (R->m1.v && (b->r.type == CL_RES_PODCAST || b->r.type == CL_RES_VIDEO))
        set_duration(c, R->m1.v, "M1", R->m1.off, &b->r.duration_s);
    b->r.description = clean(c, R->n1.data, R->n1.len, false, 0);
    cl_buf_free(&R->n1);
    set_url(c, R->ur.v, "UR", R->ur.off, &b->r.url);
    b->r.abstract = R->ab.v ? R->ab.v : R->n2.v;
    keep(c, b);
}

/* Line i of the text: its start and length without the line break (CR LF or LF). */
static size_t next_line(const ctx *c, size_t i, size_t *len)
{
    const char *nl = memchr(c->t + i, '\n', c->n - i);
    size_t end = nl ? (size_t)(nl - c->t) : c->n;
    size_t l = end - i;
    while (l && c->t[i + l - 1] == '\r')
        l--;
    *len = l;
    return nl ? end + 1 : c->n;
}

static bool blank(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!is_ws(s[i]))
            return false;
    return true;
}

static void parse_ris(ctx *c)
{
    /* a file without any TY line is not RIS at all: one error */
    bool any = false;
    size_t first = SIZE_MAX;
    for (size_t i = c->body, len; i < c->n && !any;) {
        size_t next = next_line(c, i, &len);
        char tag[3];
        size_t vs;
        if (first == SIZE_MAX && !blank(c->t + i, len))
            first = i;
        if (ris_tag_line(c->t + i, len, tag, &vs) && !strcmp(tag, "TY"))
            any = true;
        i = next;
    }
    if (!any) {
        size_t at = first == SIZE_MAX ? c->body : first;
        cl_diags_add(c->d, CL_ERROR, c->file, line_of(c, at), col_of(c, at),
                     "this is not an RIS file: no line 'TY  - TYPE' starts a record (accepted: records from "
                     "'TY  - TYPE' to 'ER  - ', as Zotero exports them)");
        return;
    }
    ris R = {0};
    bool in = false, stray = false;
    for (size_t i = c->body, len; i < c->n;) {
        size_t next = next_line(c, i, &len);
        const char *l = c->t + i;
        char tag[3];
        size_t vs;
        if (ris_tag_line(l, len, tag, &vs)) {
            if (!strcmp(tag, "TY")) {
                if (in)
                    ris_end(c, &R);
                cl_buf_free(&R.n1);
                cl_buf val = R.val;
                R = (ris){.off = i, .val = val};
                R.ty = (rval){clean(c, l + vs, len - vs, false, 0), i + vs};
                in = true;
                stray = false;
            } else if (in && !strcmp(tag, "ER")) {
                ris_end(c, &R);
                in = false;
            } else if (in) {
                ris_flush(c, &R);
                memcpy(R.tag, tag, 3);
                R.tag_off = i + vs;
                cl_buf_clear(&R.val);
                cl_buf_put(&R.val, l + vs, len - vs);
                R.pending = true;
            } else if (!stray && strcmp(tag, "ER")) {
                /* data that belongs to no record (text lines there, such as the headers some
                 * databases write, and a second ER, are let be) */
                cl_diags_add(c->d, CL_ERROR, c->file, line_of(c, i), col_of(c, i),
                             "field '%s' outside a record (before its 'TY  - TYPE' or after its 'ER  - '): skipped "
                             "with the fields that follow up to the next 'TY  - ' (accepted: records from "
                             "'TY  - TYPE' to 'ER  - ')",
                             tag);
                stray = true;
            }
        } else if (in && R.pending && !blank(l, len)) {
            cl_buf_putc(&R.val, ' ');
            cl_buf_put(&R.val, l, len);
        }
        i = next;
    }
    if (in) {
        cl_diags_add(c->d, CL_WARNING, c->file, line_of(c, R.off), col_of(c, R.off),
                     "this record has no 'ER  - ' line: read up to the end of the file (accepted: records from "
                     "'TY  - TYPE' to 'ER  - ')");
        ris_end(c, &R);
    }
    cl_buf_free(&R.n1);
    cl_buf_free(&R.val);
}

/* ---- CSL-JSON ---------------------------------------------------------------------------- */

/* Offsets of the elements of the top-level array of a JSON text json-c has accepted
 * (json-c gives no positions): into *out, *n_out of them. */
static void json_elements(ctx *c, size_t i, size_t **out, size_t *n_out)
{
    size_t cap = 0, n = 0;
    size_t *starts = NULL;
    const char *t = c->t;
    while (i < c->n && is_ws(t[i]))
        i++;
    if (i >= c->n || t[i] != '[')
        goto done;
    i++;
    int depth = 0;
    bool want = true; /* the next value at depth 0 starts an element */
    for (; i < c->n; i++) {
        char ch = t[i];
        if (is_ws(ch))
            continue;
        if (depth == 0 && ch == ']')
            break;
        if (depth == 0 && ch == ',') {
            want = true;
            continue;
        }
        if (want) {
            size_t *p = cl_arena_grow(c->a, starts, n, &cap, sizeof *p, 16);
            if (!p)
                goto done;
            starts = p;
            starts[n++] = i;
            want = false;
        }
        if (ch == '"') {
            for (i++; i < c->n && t[i] != '"'; i++)
                if (t[i] == '\\')
                    i++;
        } else if (ch == '[' || ch == '{') {
            depth++;
        } else if ((ch == ']' || ch == '}') && depth > 0) {
            depth--;
        }
    }
done:
    *out = starts;
    *n_out = n;
}

/* o's member key as a cleaned text: a string or a number; other kinds are reported at
 * off and ignored. */
static const char *csl_text(ctx *c, json_object *o, const char *key, size_t off)
{
    json_object *v = NULL;
    if (!json_object_object_get_ex(o, key, &v) || !v)
        return NULL;
    switch (json_object_get_type(v)) {
    case json_type_string:
        return clean(c, json_object_get_string(v), (size_t)json_object_get_string_len(v), false, 0);
    case json_type_int:
    case json_type_double:
        return clean_str(c, json_object_get_string(v));
    default:
        cl_diags_add(
            c->d, CL_WARNING, c->file, line_of(c, off), col_of(c, off),
            "\"%s\" of this record is a value of type '%s', not a text: ignored (accepted: a text or a number)", key,
            json_type_to_name(json_object_get_type(v)));
        return NULL;
    }
}

/* One number of a date-parts array (a number or a text of digits), or -1. */
static int date_part(json_object *v)
{
    if (json_object_is_type(v, json_type_int)) {
        int64_t x = json_object_get_int64(v);
        return x >= 0 && x <= 99999 ? (int)x : -1;
    }
    if (json_object_is_type(v, json_type_string)) {
        const char *s = json_object_get_string(v);
        size_t k;
        int x = take_digits(&s, 5, &k);
        return k && !*s ? x : -1;
    }
    return -1;
}

/* A CSL date: {"date-parts": [[Y, M, D]]} (the first of a range), or {"raw": "…"} or
 * {"literal": "…"} as YYYY[-MM[-DD]]. */
static void csl_date(ctx *c, json_object *o, const char *key, size_t off, cl_date *out)
{
    *out = (cl_date){0};
    json_object *v = NULL, *dp = NULL;
    if (!json_object_object_get_ex(o, key, &v) || !v)
        return;
    bool ok = false;
    if (json_object_is_type(v, json_type_object) && json_object_object_get_ex(v, "date-parts", &dp) &&
        json_object_is_type(dp, json_type_array) && json_object_array_length(dp) > 0) {
        json_object *first = json_object_array_get_idx(dp, 0);
        size_t np = json_object_is_type(first, json_type_array) ? json_object_array_length(first) : 0;
        if (np >= 1 && np <= 3) {
            int p[3] = {0, 0, 0};
            ok = true;
            for (size_t i = 0; i < np; i++)
                if ((p[i] = date_part(json_object_array_get_idx(first, i))) < 0)
                    ok = false;
            if (ok && (ok = date_valid(p[0], p[1], p[2])))
                *out = (cl_date){p[0], p[1], p[2]};
        }
    } else if (json_object_is_type(v, json_type_object)) {
        const char *s = csl_text(c, v, "raw", off);
        if (!s)
            s = csl_text(c, v, "literal", off);
        ok = s && date_of(s, out) == V_OK;
    }
    if (!ok)
        cl_diags_add(c->d, CL_WARNING, c->file, line_of(c, off), col_of(c, off),
                     "invalid date in \"%s\": left unknown (accepted: {\"date-parts\": [[YYYY, MM, DD]]} with "
                     "month and day optional, or {\"raw\": \"YYYY-MM-DD\"})",
                     key);
}

/* "a b c" of the parts that are there (NULL when none). */
static const char *joined(ctx *c, const char *a, const char *b, const char *d)
{
    const char *p[3] = {a, b, d};
    cl_buf s = {0};
    for (int i = 0; i < 3; i++)
        if (p[i]) {
            if (s.len)
                cl_buf_putc(&s, ' ');
            cl_buf_puts(&s, p[i]);
        }
    const char *r = s.len ? cl_arena_strndup(c->a, s.data, s.len) : NULL;
    cl_buf_free(&s);
    return r;
}

static void csl_authors(ctx *c, rec *b, json_object *o, size_t off)
{
    json_object *au = NULL;
    if (!json_object_object_get_ex(o, "author", &au) || !au)
        return;
    if (!json_object_is_type(au, json_type_array)) {
        cl_diags_add(c->d, CL_WARNING, c->file, line_of(c, off), col_of(c, off),
                     "\"author\" of this record is not an array: ignored (accepted: [{\"family\": …, \"given\": "
                     "…}, {\"literal\": …}])");
        return;
    }
    size_t n = json_object_array_length(au);
    for (size_t i = 0; i < n; i++) {
        json_object *x = json_object_array_get_idx(au, i);
        if (!json_object_is_type(x, json_type_object)) {
            cl_diags_add(c->d, CL_WARNING, c->file, line_of(c, off), col_of(c, off),
                         "name %zu of \"author\" is not an object: ignored (accepted: {\"family\": …, \"given\": "
                         "…} or {\"literal\": …})",
                         i + 1);
            continue;
        }
        const char *family = csl_text(c, x, "family", off), *given = csl_text(c, x, "given", off);
        const char *literal = csl_text(c, x, "literal", off);
        if (!family && !given && literal) {
            add_author(c, b, NULL, NULL, literal);
            continue;
        }
        if (family)
            family = joined(c, csl_text(c, x, "dropping-particle", off), csl_text(c, x, "non-dropping-particle", off),
                            family);
        add_author(c, b, family, given, NULL);
    }
}

static void csl_record(ctx *c, json_object *o, size_t off)
{
    rec b = {.r = {.line = line_of(c, off), .col = col_of(c, off)}};
    if (!json_object_is_type(o, json_type_object)) {
        cl_diags_add(c->d, CL_ERROR, c->file, b.r.line, b.r.col,
                     "this element of the array is a value of type '%s', not a record: skipped (accepted: "
                     "{\"type\": …, \"title\": …})",
                     json_type_to_name(json_object_get_type(o)));
        return;
    }
    b.r.title = csl_text(c, o, "title", off);
    if (!b.r.title) {
        cl_diags_add(c->d, CL_ERROR, c->file, b.r.line, b.r.col,
                     "this record has no \"title\": skipped (every record needs one; the others are kept)");
        return;
    }
    set_type(c, &b, csl_types, csl_accepted, csl_text(c, o, "type", off), off, false);
    b.r.key = csl_text(c, o, "id", off);
    csl_authors(c, &b, o, off);
    b.r.container = csl_text(c, o, "container-title", off);
    b.r.publisher = csl_text(c, o, "publisher", off);
    b.r.volume = csl_text(c, o, "volume", off);
    b.r.issue = csl_text(c, o, "issue", off);
    csl_date(c, o, "issued", off, &b.r.date);
    csl_date(c, o, "accessed", off, &b.r.accessed);
    if (set_pages(c, csl_text(c, o, "page", off), "page", off, &b.r.pages) != V_OK)
        (void)set_pages(c, csl_text(c, o, "number-of-pages", off), "number-of-pages", off, &b.r.pages);
    /* "dimensions" is a running time for sound and video only (a size for books) */
    if (b.r.type == CL_RES_PODCAST || b.r.type == CL_RES_VIDEO)
        set_duration(c, csl_text(c, o, "dimensions", off), "dimensions", off, &b.r.duration_s);
    b.r.description = csl_text(c, o, "note", off);
    set_url(c, csl_text(c, o, "URL", off), "URL", off, &b.r.url);
    json_object *ab = NULL;
    if (json_object_object_get_ex(o, "abstract", &ab) && json_object_is_type(ab, json_type_string))
        b.r.abstract = clean(c, json_object_get_string(ab), (size_t)json_object_get_string_len(ab), true, 0);
    keep(c, &b);
}

static void parse_csl(ctx *c)
{
    size_t len = c->n - c->body;
    if (len > INT_MAX) {
        cl_diags_add(c->d, CL_ERROR, c->file, 0, 0, "this file is too large to be read as JSON (accepted: up to 2 GB)");
        return;
    }
    json_tokener *tok = json_tokener_new();
    if (!tok) {
        cl_diags_add(c->d, CL_ERROR, c->file, 0, 0, "out of memory starting the JSON parser");
        return;
    }
    json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
    json_object *root = json_tokener_parse_ex(tok, c->t + c->body, (int)len);
    enum json_tokener_error je = json_tokener_get_error(tok);
    size_t end = c->body + json_tokener_get_parse_end(tok);
    if (!root && (je == json_tokener_continue || je == json_tokener_success)) {
        cl_diags_add(c->d, CL_ERROR, c->file, line_of(c, c->n), col_of(c, c->n),
                     "not valid JSON: the file ends before the JSON does (accepted: a CSL-JSON array of records, "
                     "as Zotero exports it)");
    } else if (!root) {
        cl_diags_add(c->d, CL_ERROR, c->file, line_of(c, end), col_of(c, end),
                     "not valid JSON: %s (accepted: a CSL-JSON array of records, as Zotero exports it)",
                     json_tokener_error_desc(je));
    } else if (!json_object_is_type(root, json_type_array)) {
        size_t at = c->body;
        while (at < c->n && is_ws(c->t[at]))
            at++;
        cl_diags_add(c->d, CL_ERROR, c->file, line_of(c, at), col_of(c, at),
                     "this JSON is a value of type '%s', not an array of records (accepted: a CSL-JSON array [{…}, …], "
                     "as Zotero exports it)",
                     json_type_to_name(json_object_get_type(root)));
    } else {
        size_t at = end;
        while (at < c->n && is_ws(c->t[at]))
            at++;
        if (at < c->n) {
            cl_diags_add(c->d, CL_ERROR, c->file, line_of(c, at), col_of(c, at),
                         "text after the JSON array (accepted: one array of records and nothing else)");
        } else {
            size_t *starts, n_starts;
            json_elements(c, c->body, &starts, &n_starts);
            size_t n = json_object_array_length(root);
            for (size_t i = 0; i < n; i++)
                csl_record(c, json_object_array_get_idx(root, i), i < n_starts ? starts[i] : c->body);
        }
    }
    json_object_put(root);
    json_tokener_free(tok);
}

/* ---- BibTeX ---------------------------------------------------------------------------------- */

/* A field of the entry being read: its lowercase name and raw value (braces kept, the
 * outer delimiters and concatenations resolved) at vals[from, from + len). */
typedef struct bfield {
    char name[24];
    size_t from, len, off;
} bfield;

typedef struct bmacro {
    const char *name; /* lowercase */
    size_t name_len;
    const char *raw;
    size_t len;
} bmacro;

typedef struct bib {
    ctx *c;
    bmacro *macros;
    size_t n_macros, cap_macros;
    size_t budget;  /* bytes @string expansions may still add */
    bfield *fields; /* heap, reused from entry to entry */
    size_t n_fields, cap_fields;
    cl_buf vals;    /* heap, reused */
    size_t entries; /* '@type{' seen, of any kind */
} bib;

enum { B_OK, B_UNCLOSED, B_DEPTH, B_QUOTE, B_UNBALANCED, B_NOVALUE, B_TOOLONG };

static size_t skip_ws(const ctx *c, size_t i)
{
    while (i < c->n && is_ws(c->t[i]))
        i++;
    return i;
}

/* A new entry starts at i: "@type{" or "@type(" at the start of a line. */
static bool entry_at(const ctx *c, size_t i)
{
    if (i >= c->n || c->t[i] != '@' || !(i == c->body || (i > 0 && c->t[i - 1] == '\n')))
        return false;
    size_t j = i + 1;
    while (j < c->n && ((c->t[j] >= 'a' && c->t[j] <= 'z') || (c->t[j] >= 'A' && c->t[j] <= 'Z')))
        j++;
    if (j == i + 1)
        return false;
    while (j < c->n && (c->t[j] == ' ' || c->t[j] == '\t'))
        j++;
    return j < c->n && (c->t[j] == '{' || c->t[j] == '(');
}

/* An '@' at the start of a line, where the syntax wants something else: the entry read
 * is cut short by what follows it. */
static bool at_line_start(const ctx *c, size_t i)
{
    return i < c->n && c->t[i] == '@' && (i == c->body || (i > 0 && c->t[i - 1] == '\n'));
}

/* Where to go on after an entry in error: the next '@' at the start of a line at or after
 * i (n when none). */
static size_t next_entry(const ctx *c, size_t i)
{
    while (i < c->n && !at_line_start(c, i)) {
        const char *nl = memchr(c->t + i, '\n', c->n - i);
        i = nl ? (size_t)(nl - c->t) + 1 : c->n;
    }
    return i;
}

static bool bib_idchar(unsigned char ch) { return ch > 0x20 && ch != 0x7F && !strchr("\"#%'(),={}@\\", ch); }

static size_t bib_ident(const ctx *c, size_t i)
{
    while (i < c->n && bib_idchar((unsigned char)c->t[i]))
        i++;
    return i;
}

/* A group at *ip, '{…}' or '"…"', its content appended to out. Braces after a backslash
 * do not count; a line starting with '@' inside means the group was never closed. */
static int bib_group(bib *B, size_t *ip, cl_buf *out, size_t *at)
{
    const ctx *c = B->c;
    size_t i = *ip;
    char open = c->t[i];
    int depth = open == '{' ? 1 : 0;
    size_t s = ++i;
    *at = *ip;
    while (i < c->n) {
        char ch = c->t[i];
        if (ch == '\\') {
            i += 2;
            continue;
        }
        if (ch == '\n' && entry_at(c, i + 1))
            break;
        if (ch == '{') {
            if (++depth > MAX_DEPTH) {
                *at = i;
                return B_DEPTH;
            }
        } else if (ch == '}') {
            if (depth == 0) { /* in quotes: a stray '}', or the end of an entry whose '"' is never closed */
                *at = i;
                size_t end = next_entry(c, i);
                return memchr(c->t + i, '"', end - i) ? B_UNBALANCED : B_QUOTE;
            }
            if (--depth == 0 && open == '{') {
                cl_buf_put(out, c->t + s, i - s);
                *ip = i + 1;
                return B_OK;
            }
        } else if (ch == '"' && open == '"' && depth == 0) {
            cl_buf_put(out, c->t + s, i - s);
            *ip = i + 1;
            return B_OK;
        }
        i++;
    }
    return open == '"' && depth == 0 ? B_QUOTE : B_UNCLOSED;
}

static const bmacro *bib_macro(const bib *B, const char *s, size_t n)
{
    for (size_t i = B->n_macros; i-- > 0;)
        if (B->macros[i].name_len == n && !strncasecmp(B->macros[i].name, s, n))
            return &B->macros[i];
    return NULL;
}

/* A value at *ip: pieces ({…}, "…", a number, a @string name) joined by '#', appended
 * raw to out. */
static int bib_value(bib *B, size_t *ip, cl_buf *out, size_t *at)
{
    ctx *c = B->c;
    static const char *const months[] = {"jan", "January",   "feb", "February", "mar", "March",    "apr", "April",
                                         "may", "May",       "jun", "June",     "jul", "July",     "aug", "August",
                                         "sep", "September", "oct", "October",  "nov", "November", "dec", "December"};
    size_t i = *ip;
    for (;;) {
        i = skip_ws(c, i);
        *at = i;
        if (i >= c->n || at_line_start(c, i))
            return B_UNCLOSED;
        char ch = c->t[i];
        if (ch == '{' || ch == '"') {
            int r = bib_group(B, &i, out, at);
            if (r != B_OK)
                return r;
        } else if (is_digit(ch)) {
            size_t s = i;
            while (i < c->n && is_digit(c->t[i]))
                i++;
            cl_buf_put(out, c->t + s, i - s);
        } else if (bib_idchar((unsigned char)ch)) {
            size_t s = i;
            i = bib_ident(c, i);
            const bmacro *m = bib_macro(B, c->t + s, i - s);
            if (m) {
                if (m->len > B->budget)
                    return B_TOOLONG;
                B->budget -= m->len;
                cl_buf_put(out, m->raw, m->len);
            } else {
                size_t k = 0;
                while (k < 24 && !(strlen(months[k]) == i - s && !strncasecmp(months[k], c->t + s, i - s)))
                    k += 2;
                if (k < 24)
                    cl_buf_puts(out, months[k + 1]);
                else
                    cl_diags_add(c->d, CL_WARNING, c->file, line_of(c, s), col_of(c, s),
                                 "'%s' is not a @string defined above: read as empty (accepted: a name defined by "
                                 "an earlier @string, or a month jan … dec)",
                                 shown(c, c->t + s, i - s));
            }
        } else {
            return B_NOVALUE;
        }
        size_t j = skip_ws(c, i);
        if (j < c->n && c->t[j] == '#') {
            i = j + 1;
            continue;
        }
        *ip = i;
        return B_OK;
    }
}

/* The field named name of the entry read, or NULL. */
static const bfield *bib_field(const bib *B, const char *name)
{
    for (size_t i = 0; i < B->n_fields; i++)
        if (!strcmp(B->fields[i].name, name))
            return &B->fields[i];
    return NULL;
}

/* ---- LaTeX to UTF-8 ---- */

static void put_cp(cl_buf *o, uint32_t cp)
{
    char u[4];
    size_t l = cl_utf8_encode(cp, u);
    cl_buf_put(o, u, l);
}

/* The combining mark of an accent command (\' \` \^ \" \~ \= \. \u \v \H \c \k \r \d \b
 * \t), 0 when name is none. */
static uint32_t accent_mark(const char *name, size_t n)
{
    static const struct {
        char name;
        uint32_t mark;
    } acc[] = {{'\'', 0x301}, {'`', 0x300}, {'^', 0x302}, {'"', 0x308}, {'~', 0x303}, {'=', 0x304},
               {'.', 0x307},  {'u', 0x306}, {'v', 0x30C}, {'H', 0x30B}, {'c', 0x327}, {'k', 0x328},
               {'r', 0x30A},  {'d', 0x323}, {'b', 0x331}, {'t', 0x361}, {0, 0}};
    if (n != 1)
        return 0;
    for (size_t i = 0; acc[i].name; i++)
        if (acc[i].name == name[0])
            return acc[i].mark;
    return 0;
}

static const struct {
    const char *name, *text;
} tex_words[] = {{"oe", "œ"},
                 {"OE", "Œ"},
                 {"ae", "æ"},
                 {"AE", "Æ"},
                 {"o", "ø"},
                 {"O", "Ø"},
                 {"aa", "å"},
                 {"AA", "Å"},
                 {"ss", "ß"},
                 {"l", "ł"},
                 {"L", "Ł"},
                 {"i", "ı"},
                 {"j", "ȷ"},
                 {"textasciitilde", "~"},
                 {"textasciicircum", "^"},
                 {"textbackslash", "\\"},
                 {"textendash", "–"},
                 {"textemdash", "—"},
                 {"ldots", "…"},
                 {"dots", "…"},
                 {"textellipsis", "…"},
                 {"guillemotleft", "«"},
                 {"guillemotright", "»"},
                 {"guillemetleft", "«"},
                 {"guillemetright", "»"},
                 {"og", "«\xC2\xA0"},
                 {"fg", "\xC2\xA0»"},
                 {"textquoteright", "’"},
                 {"textquoteleft", "‘"},
                 {"textquotedblleft", "“"},
                 {"textquotedblright", "”"},
                 {"textdegree", "°"},
                 {"textregistered", "®"},
                 {"textcopyright", "©"},
                 {"copyright", "©"},
                 {"texteuro", "€"},
                 {"euro", "€"},
                 {"S", "§"},
                 {"P", "¶"},
                 {"pounds", "£"},
                 {"textunderscore", "_"},
                 {"textbar", "|"},
                 {"textless", "<"},
                 {"textgreater", ">"},
                 {"nobreakspace", "\xC2\xA0"},
                 {"textperthousand", "‰"},
                 {NULL, NULL}};

/* Commands that only style their argument: dropped, the argument kept. */
static const char *const tex_styles[] = {"emph",
                                         "textit",
                                         "textbf",
                                         "textsc",
                                         "textsl",
                                         "texttt",
                                         "textup",
                                         "textrm",
                                         "textsf",
                                         "textmd",
                                         "textnormal",
                                         "mkbibquote",
                                         "mkbibemph",
                                         "mkbibitalic",
                                         "mkbibbold",
                                         "enquote",
                                         "url",
                                         "uppercase",
                                         "lowercase",
                                         "MakeUppercase",
                                         "MakeLowercase",
                                         "mbox",
                                         "hbox",
                                         "text",
                                         "textsuperscript",
                                         "textsubscript",
                                         "ensuremath",
                                         "mathrm",
                                         "mathit",
                                         "mathbf",
                                         "NoCaseChange",
                                         "protect",
                                         "relax",
                                         "itshape",
                                         "bfseries",
                                         "scshape",
                                         "em",
                                         "it",
                                         "bf",
                                         "sc",
                                         "rm",
                                         "sf",
                                         "tt",
                                         "upshape",
                                         "normalfont",
                                         "small",
                                         "footnotesize",
                                         "large",
                                         "Large",
                                         NULL};

/* The accent mark on the letter at s[*j] (a braced letter, a letter, \i or \j), spaces
 * before it skipped, into o; *j moves past it. A brace opened for it is dropped (its
 * closing one is dropped by the caller like every brace); "{}" gives the sign itself for
 * \^ and \~, nothing for the others; no letter, nothing. */
static void tex_accent(ctx *c, const char *s, size_t n, size_t *j, uint32_t mark, char sym, cl_buf *o)
{
    size_t k = *j;
    while (k < n && s[k] == ' ')
        k++;
    bool braced = k < n && s[k] == '{';
    if (braced) {
        k++;
        if (k < n && s[k] == '}') { /* \^{} and \~{}: the sign itself */
            if (sym == '^' || sym == '~')
                cl_buf_putc(o, sym);
            *j = k + 1;
            return;
        }
    }
    uint32_t base = 0;
    if (k + 1 < n && s[k] == '\\' && (s[k + 1] == 'i' || s[k + 1] == 'j') &&
        !(k + 2 < n && ((s[k + 2] >= 'a' && s[k + 2] <= 'z') || (s[k + 2] >= 'A' && s[k + 2] <= 'Z')))) {
        base = (uint32_t)s[k + 1];
        k += 2;
        while (k < n && s[k] == ' ')
            k++;
    } else if (k < n && s[k] != '\\' && s[k] != '}' && s[k] != '{' && !is_ws(s[k])) {
        size_t l = cl_utf8_decode(s + k, n - k, &base);
        k += l ? l : 1;
    }
    *j = k;
    if (!base)
        return;
    int32_t composed = c->nfc ? unorm2_composePair(c->nfc, (UChar32)base, (UChar32)mark) : -1;
    if (composed >= 0) {
        put_cp(o, (uint32_t)composed);
    } else {
        put_cp(o, base);
        put_cp(o, mark);
    }
}

/* s[0..n), raw BibTeX text, decoded into o: braces removed, escapes and accents as
 * UTF-8 letters, '~' a no-break space, "--" and "---" dashes. In an address (url) only
 * braces and escapes are decoded. */
static void tex_decode(ctx *c, const char *s, size_t n, bool url, cl_buf *o)
{
    for (size_t i = 0; i < n;) {
        char ch = s[i];
        if (ch == '{' || ch == '}') {
            i++;
        } else if (ch == '~' && !url) {
            cl_buf_puts(o, "\xC2\xA0");
            i++;
        } else if (ch == '$' && !url) {
            i++;
        } else if (ch == '-' && !url && i + 1 < n && s[i + 1] == '-') {
            bool em = i + 2 < n && s[i + 2] == '-';
            cl_buf_puts(o, em ? "—" : "–");
            i += em ? 3 : 2;
        } else if (ch != '\\') {
            cl_buf_putc(o, ch);
            i++;
        } else if (i + 1 >= n) {
            i++;
        } else {
            size_t j = i + 1;
            while (j < n && ((s[j] >= 'a' && s[j] <= 'z') || (s[j] >= 'A' && s[j] <= 'Z')))
                j++;
            if (j == i + 1) { /* a control symbol: \' \& \% … */
                char sym = s[i + 1];
                uint32_t mark = url ? 0 : accent_mark(&sym, 1);
                j = i + 2;
                if (mark)
                    tex_accent(c, s, n, &j, mark, sym, o);
                else if (sym == ' ' || sym == '\n' || sym == '\\' || sym == ',' || sym == ';' || sym == ':')
                    cl_buf_putc(o, ' ');
                else if (sym != '-' && sym != '/' && sym != '@' && sym != '!')
                    cl_buf_putc(o, sym);
                i = j;
                continue;
            }
            const char *name = s + i + 1;
            size_t nl = j - i - 1;
            uint32_t mark = url ? 0 : accent_mark(name, nl);
            if (mark) {
                tex_accent(c, s, n, &j, mark, name[0], o);
                i = j;
                continue;
            }
            size_t w = 0;
            while (tex_words[w].name && !(strlen(tex_words[w].name) == nl && !strncmp(tex_words[w].name, name, nl)))
                w++;
            size_t st = 0;
            while (tex_styles[st] && !(strlen(tex_styles[st]) == nl && !strncmp(tex_styles[st], name, nl)))
                st++;
            if (tex_words[w].name) {
                cl_buf_puts(o, tex_words[w].text);
                /* TeX drops the spaces after a control word, and "{}" ends one */
                while (j < n && s[j] == ' ')
                    j++;
                if (j + 1 < n && s[j] == '{' && s[j + 1] == '}')
                    j += 2;
            } else if (tex_styles[st]) {
                while (j < n && s[j] == ' ')
                    j++;
            } else {
                cl_buf_put(o, name, nl); /* \LaTeX, \TeX and the unknown: their name */
            }
            i = j;
        }
    }
}

/* A BibTeX value decoded and cleaned (NULL when empty). */
static const char *bib_text(bib *B, const char *raw, size_t len, bool url)
{
    cl_buf o = {0};
    tex_decode(B->c, raw, len, url, &o);
    const char *r = clean(B->c, o.data, o.len, false, 0);
    cl_buf_free(&o);
    return r;
}

/* The raw value of field f (vals has no data while every value is empty). */
static const char *bib_raw(const bib *B, const bfield *f) { return B->vals.data ? B->vals.data + f->from : ""; }

static const char *bib_get(bib *B, const char *name)
{
    const bfield *f = bib_field(B, name);
    return f ? bib_text(B, bib_raw(B, f), f->len, !strcmp(name, "url")) : NULL;
}

/* One name of an author field, raw: "{Organisation}", "Family, Given" (or "von Family,
 * Jr, Given"), or "Given Family" (the last word the family). */
static void bib_name(bib *B, rec *b, const char *s, size_t n)
{
    while (n && is_ws(*s))
        s++, n--;
    while (n && is_ws(s[n - 1]))
        n--;
    if (!n || (n == 6 && !strncasecmp(s, "others", 6)))
        return;
    size_t commas[2], nc = 0, last_space = 0, first_close = SIZE_MAX;
    int depth = 0;
    for (size_t i = 0; i < n; i++) {
        char ch = s[i];
        if (ch == '\\') {
            i++;
            continue;
        }
        if (ch == '{')
            depth++;
        else if (ch == '}' && depth > 0 && --depth == 0 && first_close == SIZE_MAX)
            first_close = i;
        else if (depth == 0 && ch == ',' && nc < 2)
            commas[nc++] = i;
        else if (depth == 0 && (is_ws(ch) || ch == '~'))
            last_space = i;
    }
    bool whole = s[0] == '{' && first_close == n - 1; /* "{Name}": an organisation */
    if (whole) {
        add_author(B->c, b, NULL, NULL, bib_text(B, s, n, false));
    } else if (nc) {
        size_t g = commas[nc - 1] + 1;
        add_author(B->c, b, bib_text(B, s, commas[0], false), bib_text(B, s + g, n - g, false), NULL);
    } else if (last_space) {
        add_author(B->c, b, bib_text(B, s + last_space + 1, n - last_space - 1, false),
                   bib_text(B, s, last_space, false), NULL);
    } else {
        add_author(B->c, b, bib_text(B, s, n, false), NULL, NULL);
    }
}

/* The author field, raw, split at the "and"s outside braces. */
static void bib_authors(bib *B, rec *b, const char *s, size_t n)
{
    int depth = 0;
    size_t from = 0;
    for (size_t i = 0; i < n; i++) {
        char ch = s[i];
        if (ch == '\\') {
            i++;
        } else if (ch == '{') {
            depth++;
        } else if (ch == '}') {
            depth -= depth > 0;
        } else if (depth == 0 && is_ws(ch) && i + 4 < n && !strncasecmp(s + i + 1, "and", 3) && is_ws(s[i + 4])) {
            bib_name(B, b, s + from, i - from);
            from = i + 4;
            i += 3;
        }
    }
    bib_name(B, b, s + from, n - from);
}

/* The month of a month field: 1 to 12, or a month's English name or its first three
 * letters (or "sept"); 0 when there is no field, -1 when it says something else. */
static int bib_month(const char *s)
{
    static const char *const names[] = {"january", "february", "march",     "april",   "may",      "june",
                                        "july",    "august",   "september", "october", "november", "december"};
    if (!s)
        return 0;
    size_t k;
    const char *p = s;
    int m = take_digits(&p, 2, &k);
    if (k)
        return !*p && m >= 1 && m <= 12 ? m : -1;
    size_t n = strlen(s);
    for (int i = 0; i < 12; i++)
        if (n >= 3 && n <= strlen(names[i]) && !strncasecmp(names[i], s, n))
            return i + 1;
    if (n == 4 && !strncasecmp(s, "sept", 4))
        return 9;
    return -1;
}

static bool contains_ci(const char *s, const char *w)
{
    size_t n = strlen(w);
    for (; s && *s; s++)
        if (!strncasecmp(s, w, n))
            return true;
    return false;
}

/* "podcast", "video" or "vidéo" and nothing else: a type word, not a container. */
static bool type_word(const char *s)
{
    return s &&
           (!strcasecmp(s, "podcast") || !strcasecmp(s, "video") || !strcasecmp(s, "vidéo") || !strcasecmp(s, "Vidéo"));
}

/* The entry read (type, key at off) as a record. */
static void bib_record(bib *B, const char *type, const char *key, size_t off)
{
    ctx *c = B->c;
    rec b = {.r = {.line = line_of(c, off), .col = col_of(c, off)}};
    b.r.title = bib_get(B, "title");
    if (!b.r.title) {
        cl_diags_add(c->d, CL_ERROR, c->file, b.r.line, b.r.col,
                     "entry '@%s{%s' has no title: skipped (every record needs one; the others are kept)",
                     shown_str(c, type), shown_str(c, key));
        return;
    }
    b.r.key = key && *key ? key : NULL;
    const char *howpublished = bib_get(B, "howpublished");
    const bfield *hp = bib_field(B, "howpublished");
    bool hp_url = hp && hp->len >= 4 && !strncmp(bib_raw(B, hp), "\\url", 4);
    const char *url = bib_get(B, "url");
    size_t url_off = bib_field(B, "url") ? bib_field(B, "url")->off : off;
    if (!url && hp_url) {
        url = bib_text(B, bib_raw(B, hp), hp->len, true);
        url_off = hp->off;
    }
    if (hp_url)
        howpublished = NULL;
    if (!strcasecmp(type, "misc")) {
        const char *sub = bib_get(B, "entrysubtype");
        b.r.source_type = type;
        bool sub_video = contains_ci(sub, "video") || contains_ci(sub, "vidéo");
        if (contains_ci(sub, "podcast") || (!sub_video && contains_ci(howpublished, "podcast")))
            b.r.type = CL_RES_PODCAST;
        else if (sub_video || contains_ci(howpublished, "video") || contains_ci(howpublished, "vidéo"))
            b.r.type = CL_RES_VIDEO;
        else if (url)
            b.r.type = CL_RES_SITE;
        else
            set_type(c, &b, bib_types, bib_accepted, type, off, true);
    } else {
        set_type(c, &b, bib_types, bib_accepted, type, off, true);
    }
    if (type_word(howpublished))
        howpublished = NULL;
    const char *const containers[] = {"journal", "series", NULL, "journaltitle", "booktitle", "organization"};
    for (size_t i = 0; i < 6 && !b.r.container; i++)
        b.r.container = containers[i] ? bib_get(B, containers[i]) : howpublished;
    const bfield *au = bib_field(B, "author");
    if (au)
        bib_authors(B, &b, bib_raw(B, au), au->len);
    b.r.publisher = bib_get(B, "publisher");
    if (!b.r.publisher)
        b.r.publisher = bib_get(B, "institution");
    b.r.volume = bib_get(B, "volume");
    b.r.issue = bib_get(B, "number");
    if (!b.r.issue)
        b.r.issue = bib_get(B, "issue");
    const bfield *f = bib_field(B, "pages");
    if (!f || set_pages(c, bib_get(B, "pages"), "pages", f->off, &b.r.pages) != V_OK) {
        if ((f = bib_field(B, "pagetotal")))
            (void)set_pages(c, bib_get(B, "pagetotal"), "pagetotal", f->off, &b.r.pages);
    }
    if ((f = bib_field(B, "date")))
        set_date(c, bib_get(B, "date"), "date", f->off, &b.r.date);
    if (!b.r.date.year && (f = bib_field(B, "year"))) {
        const char *y = bib_get(B, "year");
        const bfield *mf = bib_field(B, "month");
        const char *ms = bib_get(B, "month");
        int m = bib_month(ms);
        if (m < 0) {
            cl_diags_add(c->d, CL_WARNING, c->file, line_of(c, mf->off), col_of(c, mf->off),
                         "month '%s' not understood: left out (accepted: 1 to 12, or jan … dec)", shown_str(c, ms));
            m = 0;
        }
        const char *ym = m ? cl_arena_printf(c->a, "%s-%02d", y ? y : "", m) : y;
        set_date(c, ym, m ? "year, month" : "year", f->off, &b.r.date);
    }
    if ((f = bib_field(B, "urldate")))
        set_date(c, bib_get(B, "urldate"), "urldate", f->off, &b.r.accessed);
    if ((f = bib_field(B, "duration")))
        set_duration(c, bib_get(B, "duration"), "duration", f->off, &b.r.duration_s);
    b.r.description = bib_get(B, "note");
    b.r.abstract = bib_get(B, "abstract");
    set_url(c, url, hp_url && !bib_field(B, "url") ? "howpublished" : "url", url_off, &b.r.url);
    keep(c, &b);
}

/* Skips a braced or parenthesised body at i (its opening character): after it, or at
 * the next entry when it is never closed. */
static size_t bib_skip_body(const ctx *c, size_t i)
{
    char open = c->t[i], close = open == '{' ? '}' : ')';
    long depth = 0;
    for (; i < c->n; i++) {
        char ch = c->t[i];
        if (ch == '\\') {
            i++;
            continue;
        }
        if (ch == '\n' && entry_at(c, i + 1))
            return i + 1;
        if (ch == open)
            depth++;
        else if (ch == close && --depth == 0)
            return i + 1;
    }
    return c->n;
}

/* Reports problem r of the entry '@type{key' (at off; the problem at at). */
static void bib_problem(bib *B, int r, const char *type, const char *key, size_t off, size_t at)
{
    ctx *c = B->c;
    const char *ty = shown_str(c, type), *k = shown_str(c, key);
    int l = line_of(c, off), co = col_of(c, off);
    switch (r) {
    case B_UNCLOSED:
        cl_diags_add(c->d, CL_ERROR, c->file, l, co,
                     "entry '@%s{%s' has a '{' that is never closed: skipped (accepted: braces in pairs)", ty, k);
        break;
    case B_DEPTH:
        cl_diags_add(c->d, CL_ERROR, c->file, l, co,
                     "entry '@%s{%s' nests braces deeper than 32: skipped (accepted: at most 32 levels)", ty, k);
        break;
    case B_QUOTE:
        cl_diags_add(c->d, CL_ERROR, c->file, l, co,
                     "entry '@%s{%s' has a '\"' that is never closed: skipped (accepted: \"text\" with braces in "
                     "pairs inside)",
                     ty, k);
        break;
    case B_UNBALANCED:
        cl_diags_add(c->d, CL_ERROR, c->file, line_of(c, at), col_of(c, at),
                     "entry '@%s{%s' has a '}' without its '{': skipped (accepted: braces in pairs)", ty, k);
        break;
    case B_NOVALUE:
        cl_diags_add(c->d, CL_ERROR, c->file, line_of(c, at), col_of(c, at),
                     "entry '@%s{%s': a value was expected here: skipped (accepted: {text}, \"text\", a number "
                     "or a @string name, joined by '#')",
                     ty, k);
        break;
    default:
        cl_diags_add(c->d, CL_ERROR, c->file, line_of(c, at), col_of(c, at),
                     "entry '@%s{%s': the @string names used make the file's values too long: skipped "
                     "(accepted: values that add up to a few times the file's size)",
                     ty, k);
        break;
    }
}

/* @string{name = value}: the macro kept. Returns where to go on. */
static size_t bib_string(bib *B, size_t i, char close, size_t off)
{
    ctx *c = B->c;
    i = skip_ws(c, i);
    size_t s = i;
    i = bib_ident(c, i);
    size_t ne = i;
    i = skip_ws(c, i);
    if (ne == s || i >= c->n || c->t[i] != '=') {
        cl_diags_add(c->d, CL_ERROR, c->file, line_of(c, i), col_of(c, i),
                     "@string: 'name = value' was expected here: skipped (accepted: @string{name = {text}})");
        return next_entry(c, i > off ? i : off + 1);
    }
    i++;
    cl_buf_clear(&B->vals);
    size_t at;
    int r = bib_value(B, &i, &B->vals, &at);
    if (r == B_OK) {
        i = skip_ws(c, i);
        if (i < c->n && c->t[i] == ',')
            i = skip_ws(c, i + 1);
        if (i < c->n && c->t[i] != close && !at_line_start(c, i)) {
            cl_diags_add(c->d, CL_ERROR, c->file, line_of(c, i), col_of(c, i),
                         "@string: 'name = value' was expected here: skipped (accepted: @string{name = {text}})");
            return next_entry(c, i);
        }
        if (i >= c->n || c->t[i] != close) {
            at = i;
            r = B_UNCLOSED;
        }
    }
    if (r != B_OK) {
        bib_problem(B, r, "string", "", off, at);
        return next_entry(c, at > off ? at : off + 1);
    }
    bmacro *m = cl_arena_grow(c->a, B->macros, B->n_macros, &B->cap_macros, sizeof *m, 16);
    char *name = cl_arena_strndup(c->a, c->t + s, ne - s);
    char *raw = cl_arena_strndup(c->a, B->vals.data ? B->vals.data : "", B->vals.len);
    if (m && name && raw) {
        for (char *p = name; *p; p++)
            if (*p >= 'A' && *p <= 'Z')
                *p = (char)(*p - 'A' + 'a');
        B->macros = m;
        B->macros[B->n_macros++] = (bmacro){name, ne - s, raw, B->vals.len};
    }
    return i + 1;
}

/* The entry at off ('@'). Returns where to go on (after off). */
static size_t bib_entry(bib *B, size_t off)
{
    ctx *c = B->c;
    size_t i = skip_ws(c, off + 1), ts = i;
    while (i < c->n && ((c->t[i] >= 'a' && c->t[i] <= 'z') || (c->t[i] >= 'A' && c->t[i] <= 'Z')))
        i++;
    if (i == ts)
        return off + 1; /* a lone '@': text between entries */
    const char *type = cl_arena_strndup(c->a, c->t + ts, i - ts);
    if (!type)
        return c->n;
    i = skip_ws(c, i);
    if (i >= c->n || (c->t[i] != '{' && c->t[i] != '(')) {
        cl_diags_add(c->d, CL_ERROR, c->file, line_of(c, off), col_of(c, off),
                     "'@%s' is not followed by '{': skipped (accepted: @type{key, name = {value}, …})",
                     shown_str(c, type));
        return next_entry(c, off + 1);
    }
    B->entries++;
    if (!strcasecmp(type, "comment") || !strcasecmp(type, "preamble"))
        return bib_skip_body(c, i);
    char close = c->t[i] == '{' ? '}' : ')';
    i++;
    if (!strcasecmp(type, "string"))
        return bib_string(B, i, close, off);
    /* the key */
    i = skip_ws(c, i);
    size_t ks = i;
    while (i < c->n && c->t[i] != ',' && c->t[i] != close && !is_ws(c->t[i]) && c->t[i] != '{' && c->t[i] != '}')
        i++;
    const char *key = clean(c, c->t + ks, i - ks, false, 0);
    B->n_fields = 0;
    cl_buf_clear(&B->vals);
    i = skip_ws(c, i);
    int r = B_OK;
    size_t at = i;
    if (i >= c->n || at_line_start(c, i)) {
        r = B_UNCLOSED;
    } else if (c->t[i] != ',' && c->t[i] != close) {
        cl_diags_add(c->d, CL_ERROR, c->file, line_of(c, i), col_of(c, i),
                     "entry '@%s{%s': ',' was expected after the key: skipped (accepted: @type{key, name = "
                     "{value}, …})",
                     shown_str(c, type), shown_str(c, key));
        return next_entry(c, i);
    }
    /* the fields */
    while (r == B_OK) {
        i = skip_ws(c, i);
        if (i < c->n && c->t[i] == ',')
            i = skip_ws(c, i + 1);
        at = i;
        if (i >= c->n || at_line_start(c, i)) {
            r = B_UNCLOSED;
            break;
        }
        if (c->t[i] == close) {
            i++;
            break;
        }
        size_t ns = i;
        i = bib_ident(c, i);
        if (i == ns) {
            cl_diags_add(c->d, CL_ERROR, c->file, line_of(c, i), col_of(c, i),
                         "entry '@%s{%s': a field name was expected here: skipped (accepted: name = {value}, "
                         "fields separated by commas)",
                         shown_str(c, type), shown_str(c, key));
            return next_entry(c, i);
        }
        size_t ne = i;
        i = skip_ws(c, i);
        if (i >= c->n || c->t[i] != '=') {
            if (i >= c->n || at_line_start(c, i)) {
                at = i;
                r = B_UNCLOSED;
                break;
            }
            cl_diags_add(c->d, CL_ERROR, c->file, line_of(c, i), col_of(c, i),
                         "entry '@%s{%s': '=' was expected after '%s': skipped (accepted: name = {value})",
                         shown_str(c, type), shown_str(c, key), shown(c, c->t + ns, ne - ns));
            return next_entry(c, i);
        }
        i++;
        size_t from = B->vals.len, voff = skip_ws(c, i);
        r = bib_value(B, &i, &B->vals, &at);
        if (r != B_OK)
            break;
        bfield fd = {.from = from, .len = B->vals.len - from, .off = voff};
        if (ne - ns < sizeof fd.name) {
            for (size_t k = 0; k < ne - ns; k++) {
                char ch = c->t[ns + k];
                fd.name[k] = ch >= 'A' && ch <= 'Z' ? (char)(ch - 'A' + 'a') : ch;
            }
            if (!bib_field(B, fd.name)) {
                if (B->n_fields == B->cap_fields) {
                    size_t cap = B->cap_fields ? B->cap_fields * 2 : 16;
                    bfield *p = realloc(B->fields, cap * sizeof *p);
                    if (!p) {
                        cl_alloc_failed();
                        return c->n;
                    }
                    B->fields = p;
                    B->cap_fields = cap;
                }
                B->fields[B->n_fields++] = fd;
            }
        }
        i = skip_ws(c, i);
        at = i;
        if (i >= c->n || at_line_start(c, i)) {
            r = B_UNCLOSED;
        } else if (c->t[i] == close) {
            i++;
            break;
        } else if (c->t[i] != ',') {
            cl_diags_add(c->d, CL_ERROR, c->file, line_of(c, i), col_of(c, i),
                         "entry '@%s{%s': ',' or '}' was expected after field '%s': skipped (accepted: name = "
                         "{value}, fields separated by commas)",
                         shown_str(c, type), shown_str(c, key), shown(c, c->t + ns, ne - ns));
            return next_entry(c, i);
        }
    }
    if (r != B_OK) {
        bib_problem(B, r, type, key, off, at);
        return next_entry(c, at > off ? at : off + 1);
    }
    if (B->vals.failed)
        return c->n;
    bib_record(B, type, key, off);
    return i;
}

static void parse_bibtex(ctx *c)
{
    bib B = {.c = c, .budget = 16 * c->n + (1u << 20)};
    size_t i = c->body;
    while (i < c->n) {
        const char *at = memchr(c->t + i, '@', c->n - i);
        if (!at)
            break;
        size_t next = bib_entry(&B, (size_t)(at - c->t));
        i = next > (size_t)(at - c->t) ? next : (size_t)(at - c->t) + 1;
    }
    if (!B.entries) {
        size_t s = skip_ws(c, c->body);
        cl_diags_add(c->d, CL_ERROR, c->file, line_of(c, s), col_of(c, s),
                     "this is not a BibTeX file: no entry such as '@article{key, …}' (accepted: BibTeX or "
                     "biblatex entries, as Zotero exports them)");
    }
    free(B.fields);
    cl_buf_free(&B.vals);
}

/* ---- the entry point ------------------------------------------------------------------------ */

bool cl_import_parse(cl_arena *a, cl_xformat f, const char *file, const char *text, size_t n, cl_xrecord **out,
                     size_t *n_out, cl_diags *d)
{
    *out = NULL;
    *n_out = 0;
    size_t errors = d->errors;
    unsigned long failures = cl_alloc_failures();
    ctx c = {.a = a, .file = file, .t = text ? text : "", .n = text ? n : 0, .d = d};
    if (c.n >= 3 && !memcmp(c.t, "\xEF\xBB\xBF", 3))
        c.body = 3;
    /* the line starts, for FILE:LINE:COL */
    size_t lines = 1;
    for (const char *p = c.t; (p = memchr(p, '\n', c.n - (size_t)(p - c.t))); p++)
        lines++;
    c.lines = CL_NEWN_RAW(a, size_t, lines);
    if (c.lines) {
        c.lines[0] = 0;
        c.n_lines = 1;
        for (size_t i = 0; i < c.n; i++)
            if (c.t[i] == '\n')
                c.lines[c.n_lines++] = i + 1;
    }
    /* UTF-8 text only (a NUL byte is no text either) */
    size_t bad = 0;
    bool valid = cl_utf8_valid(c.t, c.n, &bad);
    const char *nul = memchr(c.t, 0, c.n);
    if (!valid || nul) {
        if (nul && (valid || (size_t)(nul - c.t) < bad))
            bad = (size_t)(nul - c.t);
        cl_diags_add(d, CL_ERROR, file, line_of(&c, bad), col_of(&c, bad),
                     "byte 0x%02X is not UTF-8 text: nothing imported (accepted: a UTF-8 text file, as Zotero "
                     "exports it)",
                     (unsigned char)c.t[bad]);
        return false;
    }
    UErrorCode ue = U_ZERO_ERROR;
    c.nfc = unorm2_getNFCInstance(&ue);
    if (U_FAILURE(ue))
        c.nfc = NULL;
    switch (f) {
    case CL_XFMT_RIS:
        parse_ris(&c);
        break;
    case CL_XFMT_CSL_JSON:
        parse_csl(&c);
        break;
    case CL_XFMT_BIBTEX:
        parse_bibtex(&c);
        break;
    default:
        cl_diags_add(d, CL_ERROR, file, 0, 0, "unknown import format (accepted: ris, csl-json, bibtex)");
        break;
    }
    if (cl_alloc_failures() != failures) {
        cl_diags_add(d, CL_ERROR, file, 0, 0, "out of memory while reading the records: nothing imported");
        return false;
    }
    *out = c.recs;
    *n_out = c.n_recs;
    return d->errors == errors;
}
