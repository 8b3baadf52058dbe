/* export.c: resources out of Classeur as RIS, CSL-JSON or BibTeX records (see exchange.h,
 * cl_export; the mapping of types and fields is docs/exchange.md, and import.c reads the
 * same mapping back).
 *
 * Every value is written as the data holds it (no French typographic normalisation);
 * line breaks inside a one-line value become one space. The abstract is the reading
 * note turned from markup into plain text: paragraphs and "- " items kept, the *italic*
 * and **bold** markers left out.
 *
 * Memory: the records are appended to the caller's cl_buf; a scratch cl_buf of our own
 * holds a value while it is cleaned, and its failure is passed on to the caller's
 * buffer, so that an incomplete export is always seen (cl_buf_failed rules). */
#include "exchange.h"
#include <stdio.h>
#include <string.h>
#include <strings.h>

static const char *const format_names[CL_XFMT_COUNT] = {"ris", "csl-json", "bibtex"};

bool cl_xformat_from_name(const char *name, cl_xformat *out)
{
    for (int i = 0; name && i < CL_XFMT_COUNT; i++)
        if (!strcmp(name, format_names[i])) {
            *out = (cl_xformat)i;
            return true;
        }
    return false;
}

bool cl_xformat_from_path(const char *path, cl_xformat *out)
{
    static const char *const exts[CL_XFMT_COUNT] = {"ris", "json", "bib"};
    const char *slash = path ? strrchr(path, '/') : NULL;
    const char *dot = path ? strrchr(slash ? slash : path, '.') : NULL;
    if (!dot || dot == path || dot[-1] == '/')  /* ".json" alone is a hidden file's name */
        return false;
    for (int i = 0; i < CL_XFMT_COUNT; i++)
        if (!strcasecmp(dot + 1, exts[i])) {
            *out = (cl_xformat)i;
            return true;
        }
    return false;
}

const char *cl_xformat_name(cl_xformat f)
{
    return (unsigned)f < CL_XFMT_COUNT ? format_names[f] : "?";
}

/* ---- plain text ---------------------------------------------------------------------- */

static bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

/* Append s (n bytes) to b without its leading and trailing white space, each run of white
 * space holding a line break becoming one space; other runs are kept as written. */
static void put_flat(cl_buf *b, const char *s, size_t n)
{
    while (n && is_blank(*s))
        s++, n--;
    while (n && is_blank(s[n - 1]))
        n--;
    for (size_t i = 0; i < n;) {
        if (!is_blank(s[i])) {
            cl_buf_putc(b, s[i++]);
            continue;
        }
        size_t j = i;
        bool line_break = false;
        while (j < n && is_blank(s[j]))
            line_break |= s[j] == '\n' || s[j] == '\r', j++;
        if (line_break)
            cl_buf_putc(b, ' ');
        else
            cl_buf_put(b, s + i, j - i);
        i = j;
    }
}

/* Is there, in s from i on, a marker of exactly k stars (or three, closing two at once)
 * right after a character that is not a space: the closer an opener needs? */
static bool closer_ahead(const char *s, size_t n, size_t i, size_t k)
{
    for (size_t j = i; j < n; j++) {
        if (s[j] != '*')
            continue;
        size_t run = 1;
        while (j + run < n && s[j + run] == '*')
            run++;
        if ((run == k || run == 3) && j > i && s[j - 1] != ' ')
            return true;
        j += run - 1;
    }
    return false;
}

/* Append s (n bytes of one paragraph, flat) without its emphasis markers: "*" and "**"
 * that open a pair closed later in the paragraph, and their closers. A star that opens
 * nothing ("3 * 4", a lone "*") stays. */
static void put_unmarked(cl_buf *b, const char *s, size_t n)
{
    unsigned open = 0; /* 1: inside *…*, 2: inside **…** */
    for (size_t i = 0; i < n;) {
        if (s[i] == '*') {
            size_t k = i + 1 < n && s[i + 1] == '*' ? 2 : 1;
            unsigned bit = (unsigned)k;
            if ((open & bit) ||
                (i + k < n && s[i + k] != ' ' && s[i + k] != '*' && closer_ahead(s, n, i + k, k))) {
                open ^= bit;
                i += k;
                continue;
            }
        }
        cl_buf_putc(b, s[i++]);
    }
}

/* Append the markup text as plain text: paragraphs (their lines joined) separated by a
 * blank line, list items "- …" one a line; with one_line, everything separated by one
 * space instead. The paragraphs are split as the typesetter splits them (text.c): a
 * blank line ends a paragraph, a line starting with "- " is an item that ends with its
 * line. */
static void put_plain(cl_buf *b, cl_buf *tmp, const char *text, bool one_line)
{
    const char *p = text;
    bool first = true, prev_item = false;
    while (*p) {
        while (*p == '\n' || *p == ' ' || *p == '\t' || *p == '\r')
            p++;
        if (!*p)
            break;
        bool item = p[0] == '-' && p[1] == ' ';
        const char *start = item ? p + 2 : p, *end = p;
        for (;;) {
            const char *nl = strchr(end, '\n');
            if (!nl) {
                end += strlen(end);
                break;
            }
            const char *q = nl + 1;
            while (*q == ' ' || *q == '\t' || *q == '\r')
                q++;
            if (item || *q == '\n' || !*q || (nl[1] == '-' && nl[2] == ' ')) {
                end = nl;
                break;
            }
            end = nl + 1;
        }
        cl_buf_clear(tmp);
        put_flat(tmp, start, (size_t)(end - start));
        if (tmp->len) {
            if (!first)
                cl_buf_puts(b, one_line ? " " : item && prev_item ? "\n" : "\n\n");
            if (item)
                cl_buf_puts(b, "- ");
            put_unmarked(b, tmp->data, tmp->len);
            first = false;
            prev_item = item;
        }
        p = end;
    }
}

static bool has_text(const char *s)
{
    for (; s && *s; s++)
        if (!is_blank(*s))
            return true;
    return false;
}

/* "18:15" (M:SS or MM:SS) under an hour, "1:28:00" (H:MM:SS) from an hour on. */
static void duration_str(int s, char out[32])
{
    if (s >= 3600)
        snprintf(out, 32, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
    else
        snprintf(out, 32, "%d:%02d", s / 60, s % 60);
}

/* The pages as a range: first and last (NULL when pages is a count or absent). */
static const char *page_range(const char *pages, size_t *first_len)
{
    const char *dash = pages ? strchr(pages, '-') : NULL;
    if (dash)
        *first_len = (size_t)(dash - pages);
    return dash ? dash + 1 : NULL;
}

/* The article is in a periodical with volume or issue numbers (a journal), not a
 * newspaper or a magazine article known by its date alone. */
static bool numbered(const cl_resource *r) { return has_text(r->volume) || has_text(r->issue); }

/* ---- RIS ------------------------------------------------------------------------------ */

typedef struct ctx {
    cl_buf *out;
    cl_buf tmp, tmp2; /* scratch */
} ctx;

static void ris_field(ctx *c, const char *tag, const char *value)
{
    if (!has_text(value))
        return;
    cl_buf_printf(c->out, "%s  - ", tag);
    put_flat(c->out, value, strlen(value));
    cl_buf_puts(c->out, "\r\n");
}

static void ris_date(ctx *c, const char *tag, cl_date d)
{
    if (!d.year)
        return;
    cl_buf_printf(c->out, "%s  - %04d/", tag, d.year);
    if (d.month)
        cl_buf_printf(c->out, "%02d", d.month);
    cl_buf_putc(c->out, '/');
    if (d.month && d.day)
        cl_buf_printf(c->out, "%02d", d.day);
    cl_buf_puts(c->out, "/\r\n");
}

static void ris_record(ctx *c, const cl_resource *r, const char *abstract)
{
    static const char *const types[CL_RES_TYPE_COUNT] = {"NEWS", "RPRT", "ELEC", "SOUND", "VIDEO"};
    const char *ty = (unsigned)r->type < CL_RES_TYPE_COUNT ? types[r->type] : "RPRT";
    if (r->type == CL_RES_ARTICLE && numbered(r))
        ty = "JOUR";
    cl_buf_printf(c->out, "TY  - %s\r\n", ty);
    ris_field(c, "ID", r->id);
    for (size_t i = 0; i < r->n_authors; i++) {
        const cl_author *au = &r->authors[i];
        cl_buf_clear(&c->tmp);
        if (has_text(au->org)) {
            put_flat(&c->tmp, au->org, strlen(au->org));
        } else if (has_text(au->family)) {
            put_flat(&c->tmp, au->family, strlen(au->family));
            cl_buf_putc(&c->tmp, ',');
            if (has_text(au->given)) {
                cl_buf_putc(&c->tmp, ' ');
                put_flat(&c->tmp, au->given, strlen(au->given));
            }
        }
        ris_field(c, "AU", c->tmp.data);
    }
    ris_field(c, "TI", r->title);
    ris_field(c, "T2", r->container);
    ris_field(c, "PB", r->publisher);
    ris_field(c, "VL", r->volume);
    ris_field(c, "IS", r->issue);
    size_t first_len = 0;
    const char *last = page_range(r->pages, &first_len);
    if (last) {
        cl_buf_clear(&c->tmp);
        cl_buf_put(&c->tmp, r->pages, first_len);
        ris_field(c, "SP", c->tmp.data);
        ris_field(c, "EP", last);
    } else {
        ris_field(c, "SP", r->pages);
    }
    if (r->date.year) {
        cl_buf_printf(c->out, "PY  - %04d\r\n", r->date.year);
        ris_date(c, "DA", r->date);
    }
    if (r->duration_s > 0) {
        char d[32];
        duration_str(r->duration_s, d);
        ris_field(c, "M1", d);
    }
    ris_field(c, "N1", r->description);
    if (has_text(r->url)) {
        ris_field(c, "UR", r->url);
        ris_date(c, "Y2", r->accessed);
    }
    if (has_text(abstract)) {
        cl_buf_clear(&c->tmp2);
        put_plain(&c->tmp2, &c->tmp, abstract, true);
        ris_field(c, "AB", c->tmp2.data);
    }
    cl_buf_puts(c->out, "ER  - \r\n");
}

/* ---- CSL-JSON ------------------------------------------------------------------------- */

/* Start member key of the record's object (4 spaces in: the array's objects are at 2). */
static void csl_key(ctx *c, bool *first, const char *key)
{
    cl_buf_puts(c->out, *first ? "\n    " : ",\n    ");
    *first = false;
    cl_buf_json_str(c->out, key);
    cl_buf_puts(c->out, ": ");
}

/* A one-line string member: white space holding line breaks becomes one space. */
static void csl_str(ctx *c, bool *first, const char *key, const char *value)
{
    if (!has_text(value))
        return;
    cl_buf_clear(&c->tmp);
    put_flat(&c->tmp, value, strlen(value));
    csl_key(c, first, key);
    cl_buf_json_str(c->out, c->tmp.data);
}

static void csl_date(ctx *c, bool *first, const char *key, cl_date d)
{
    if (!d.year)
        return;
    csl_key(c, first, key);
    cl_buf_printf(c->out, "{\"date-parts\": [[%d", d.year);
    if (d.month)
        cl_buf_printf(c->out, ", %d", d.month);
    if (d.month && d.day)
        cl_buf_printf(c->out, ", %d", d.day);
    cl_buf_puts(c->out, "]]}");
}

static void csl_record(ctx *c, const cl_resource *r, const char *abstract)
{
    static const char *const types[CL_RES_TYPE_COUNT] = {"article-newspaper", "report", "webpage", "broadcast",
                                                         "motion_picture"};
    const char *type = (unsigned)r->type < CL_RES_TYPE_COUNT ? types[r->type] : "report";
    if (r->type == CL_RES_ARTICLE && numbered(r))
        type = "article-journal";
    bool first = true;
    cl_buf_puts(c->out, "  {");
    csl_str(c, &first, "id", r->id);
    csl_str(c, &first, "type", type);
    bool any = false;
    for (size_t i = 0; i < r->n_authors; i++) {
        const cl_author *au = &r->authors[i];
        bool org = has_text(au->org);
        if (!org && !has_text(au->family))
            continue;
        if (!any)
            csl_key(c, &first, "author");
        cl_buf_puts(c->out, any ? ",\n      {" : "[\n      {");
        any = true;
        cl_buf_clear(&c->tmp);
        put_flat(&c->tmp, org ? au->org : au->family, strlen(org ? au->org : au->family));
        cl_buf_puts(c->out, org ? "\"literal\": " : "\"family\": ");
        cl_buf_json_str(c->out, c->tmp.data);
        if (!org && has_text(au->given)) {
            cl_buf_clear(&c->tmp);
            put_flat(&c->tmp, au->given, strlen(au->given));
            cl_buf_puts(c->out, ", \"given\": ");
            cl_buf_json_str(c->out, c->tmp.data);
        }
        cl_buf_putc(c->out, '}');
    }
    if (any)
        cl_buf_puts(c->out, "\n    ]");
    csl_str(c, &first, "title", r->title);
    csl_str(c, &first, "container-title", r->container);
    csl_str(c, &first, "publisher", r->publisher);
    csl_str(c, &first, "volume", r->volume);
    csl_str(c, &first, "issue", r->issue);
    size_t first_len = 0;
    csl_str(c, &first, page_range(r->pages, &first_len) ? "page" : "number-of-pages", r->pages);
    csl_date(c, &first, "issued", r->date);
    if (r->duration_s > 0) {
        char d[32];
        duration_str(r->duration_s, d);
        csl_str(c, &first, "dimensions", d);
    }
    csl_str(c, &first, "note", r->description);
    if (has_text(r->url)) {
        csl_str(c, &first, "URL", r->url);
        csl_date(c, &first, "accessed", r->accessed);
    }
    if (has_text(abstract)) {
        cl_buf_clear(&c->tmp2);
        put_plain(&c->tmp2, &c->tmp, abstract, false);
        csl_key(c, &first, "abstract");
        cl_buf_json_str(c->out, c->tmp2.data);
    }
    cl_buf_puts(c->out, "\n  }");
}

/* ---- BibTeX --------------------------------------------------------------------------- */

/* Append s (n bytes) with what LaTeX would read as commands escaped, and "--" written
 * "-{}-" (LaTeX would print an en dash). */
static void bib_escape(cl_buf *b, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '-' && i + 1 < n && s[i + 1] == '-') {
            cl_buf_puts(b, "-{}");
            continue;
        }
        switch (s[i]) {
        case '\\': cl_buf_puts(b, "\\textbackslash{}"); break;
        case '~': cl_buf_puts(b, "\\textasciitilde{}"); break;
        case '^': cl_buf_puts(b, "\\textasciicircum{}"); break;
        case '{': case '}': case '$': case '&': case '%': case '#': case '_':
            cl_buf_putc(b, '\\');
            cl_buf_putc(b, s[i]);
            break;
        default: cl_buf_putc(b, s[i]);
        }
    }
}

/* Start field name of the entry (the key line and the fields before it end without
 * their comma: each field adds it). */
static void bib_name(ctx *c, const char *name) { cl_buf_printf(c->out, ",\n  %s = {", name); }

/* A one-line field, escaped. */
static void bib_field(ctx *c, const char *name, const char *value)
{
    if (!has_text(value))
        return;
    cl_buf_clear(&c->tmp);
    put_flat(&c->tmp, value, strlen(value));
    bib_name(c, name);
    bib_escape(c->out, c->tmp.data, c->tmp.len);
    cl_buf_putc(c->out, '}');
}

static void bib_date(ctx *c, const char *name, cl_date d)
{
    if (!d.year)
        return;
    bib_name(c, name);
    cl_buf_printf(c->out, "%04d", d.year);
    if (d.month)
        cl_buf_printf(c->out, "-%02d", d.month);
    if (d.month && d.day)
        cl_buf_printf(c->out, "-%02d", d.day);
    cl_buf_putc(c->out, '}');
}

/* An address as written, except the three characters that would break the braces, which
 * no address holds unencoded (RFC 3986): they are percent-encoded. LaTeX reads url
 * fields verbatim, so nothing else is escaped. */
static void bib_url(ctx *c, const char *url)
{
    bib_name(c, "url");
    for (const char *p = url; *p; p++) {
        if (*p == '{')
            cl_buf_puts(c->out, "%7B");
        else if (*p == '}')
            cl_buf_puts(c->out, "%7D");
        else if (*p == '\\')
            cl_buf_puts(c->out, "%5C");
        else if (!is_blank(*p))
            cl_buf_putc(c->out, *p);
    }
    cl_buf_putc(c->out, '}');
}

/* One author of the author field: "FAMILY, Given"; a family name alone as it is when it
 * is one word, with a final comma when it has spaces (BibTeX would take its first words
 * for given names); an organisation braced, so that BibTeX never splits it. */
static void bib_author(ctx *c, const cl_author *au)
{
    cl_buf_clear(&c->tmp);
    if (has_text(au->org)) {
        put_flat(&c->tmp, au->org, strlen(au->org));
        cl_buf_putc(c->out, '{');
        bib_escape(c->out, c->tmp.data, c->tmp.len);
        cl_buf_putc(c->out, '}');
        return;
    }
    put_flat(&c->tmp, au->family, strlen(au->family));
    bib_escape(c->out, c->tmp.data, c->tmp.len);
    if (has_text(au->given)) {
        cl_buf_puts(c->out, ", ");
        cl_buf_clear(&c->tmp);
        put_flat(&c->tmp, au->given, strlen(au->given));
        bib_escape(c->out, c->tmp.data, c->tmp.len);
    } else if (strchr(cl_buf_str(&c->tmp), ' ')) {
        cl_buf_putc(c->out, ',');
    }
}

static void bib_record(ctx *c, const cl_resource *r, const char *abstract)
{
    cl_restype t = (unsigned)r->type < CL_RES_TYPE_COUNT ? r->type : CL_RES_RAPPORT;
    static const char *const types[CL_RES_TYPE_COUNT] = {"article", "techreport", "online", "misc", "misc"};
    static const char *const containers[CL_RES_TYPE_COUNT] = {"journal", "series", "howpublished", "howpublished",
                                                              "howpublished"};
    cl_buf_printf(c->out, "@%s{%s", types[t], r->id);
    if (t == CL_RES_PODCAST || t == CL_RES_VIDEO)
        bib_field(c, "entrysubtype", t == CL_RES_PODCAST ? "podcast" : "video");
    bool any = false;
    for (size_t i = 0; i < r->n_authors; i++) {
        const cl_author *au = &r->authors[i];
        if (!has_text(au->org) && !has_text(au->family))
            continue;
        if (any)
            cl_buf_puts(c->out, " and ");
        else
            bib_name(c, "author");
        any = true;
        bib_author(c, au);
    }
    if (any)
        cl_buf_putc(c->out, '}');
    bib_field(c, "title", r->title);
    bib_field(c, containers[t], r->container);
    bib_field(c, t == CL_RES_RAPPORT ? "institution" : "publisher", r->publisher);
    bib_field(c, "volume", r->volume);
    bib_field(c, "number", r->issue);
    size_t first_len = 0;
    const char *last = page_range(r->pages, &first_len);
    if (last) {
        cl_buf_clear(&c->tmp2);
        cl_buf_put(&c->tmp2, r->pages, first_len);
        cl_buf_puts(&c->tmp2, "--"); /* the range's dash, not escaped (pages are digits) */
        cl_buf_puts(&c->tmp2, last);
        bib_name(c, "pages");
        cl_buf_put(c->out, c->tmp2.data, c->tmp2.len);
        cl_buf_putc(c->out, '}');
    } else {
        bib_field(c, "pagetotal", r->pages);
    }
    if (r->date.year) {
        bib_date(c, "date", r->date);
        bib_date(c, "year", (cl_date){r->date.year, 0, 0});
    }
    if (r->duration_s > 0) {
        char d[32];
        duration_str(r->duration_s, d);
        bib_field(c, "duration", d);
    }
    bib_field(c, "note", r->description);
    if (has_text(r->url)) {
        bib_url(c, r->url);
        bib_date(c, "urldate", r->accessed);
    }
    if (has_text(abstract)) {
        cl_buf_clear(&c->tmp2);
        put_plain(&c->tmp2, &c->tmp, abstract, false);
        bib_name(c, "abstract");
        bib_escape(c->out, c->tmp2.data, c->tmp2.len);
        cl_buf_putc(c->out, '}');
    }
    cl_buf_puts(c->out, "\n}\n");
}

/* ---- all ------------------------------------------------------------------------------ */

void cl_export(cl_buf *out, cl_xformat f, const cl_xitem *items, size_t n)
{
    ctx c = {.out = out};
    size_t written = 0;
    if (f == CL_XFMT_CSL_JSON)
        cl_buf_putc(out, '[');
    for (size_t i = 0; i < n; i++) {
        const cl_resource *r = items[i].res;
        if (!r || r->unidentified || !has_text(r->id))
            continue;
        switch (f) {
        case CL_XFMT_RIS:
            ris_record(&c, r, items[i].abstract);
            break;
        case CL_XFMT_CSL_JSON:
            cl_buf_puts(out, written ? ",\n" : "\n");
            csl_record(&c, r, items[i].abstract);
            break;
        case CL_XFMT_BIBTEX:
            if (written)
                cl_buf_putc(out, '\n');
            bib_record(&c, r, items[i].abstract);
            break;
        default:
            break;
        }
        written++;
    }
    if (f == CL_XFMT_CSL_JSON)
        cl_buf_puts(out, written ? "\n]\n" : "]\n");
    if (c.tmp.failed || c.tmp2.failed)
        out->failed = true;
    cl_buf_free(&c.tmp);
    cl_buf_free(&c.tmp2);
}
