/* load.c: reads the data folder into a cl_catalog and checks it.
 *
 * Each file is parsed into a cl_ynode tree (yamltree.c), then converted record by record
 * with a small schema: allowed keys, required keys, value kinds and value formats. Every
 * problem is a diagnostic "FILE:LINE:COLUMN: error: what (what is accepted)"; loading goes
 * on after an error so that one run reports them all. Cross references (entry → resource,
 * course → diploma, module and resources) are resolved at the end, with a suggestion of
 * the closest existing id. */
#include "model.h"
#include "yamltree.h"
#include "../util/buf.h"
#include "../util/i18n.h"
#include "../util/utf8.h"
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

typedef struct ld {
    cl_arena *a;
    cl_diags *d;
    const char *file;
    cl_catalog *cat;
    size_t cap_texts;
} ld;

#define ERR(L, N, ...) cl_diags_add((L)->d, CL_ERROR, (L)->file, (N) ? (N)->line : 0, (N) ? (N)->col : 0, __VA_ARGS__)
#define WARN(L, N, ...) cl_diags_add((L)->d, CL_WARNING, (L)->file, (N) ? (N)->line : 0, (N) ? (N)->col : 0, __VA_ARGS__)

static const char *const type_names[CL_RES_TYPE_COUNT] = {"article", "rapport", "site", "podcast", "video"};
static const char *const type_labels[CL_RES_TYPE_COUNT] = {"Article", "Rapport", "Site", "Podcast", "Vidéo"};

static const char *const evidence_names[CL_EVIDENCE_KIND_COUNT] = {"", "publisher-page", "document-text",
                                                                   "third-party"};

const char *cl_evidence_name(cl_evidence_kind k) { return k < CL_EVIDENCE_KIND_COUNT ? evidence_names[k] : "?"; }

const char *cl_restype_name(cl_restype t) { return t < CL_RES_TYPE_COUNT ? type_names[t] : "?"; }
const char *cl_restype_label(cl_restype t) { return t < CL_RES_TYPE_COUNT ? type_labels[t] : "?"; }

/* ---- small helpers ------------------------------------------------------------------ */

/* Edit distance, bounded to short strings (ids and keys). */
static size_t edit_distance(const char *s, const char *t)
{
    size_t n = strlen(s), m = strlen(t);
    if (n > 80 || m > 80)
        return 999;
    size_t row[81];
    for (size_t j = 0; j <= m; j++)
        row[j] = j;
    for (size_t i = 1; i <= n; i++) {
        size_t prev = row[0];
        row[0] = i;
        for (size_t j = 1; j <= m; j++) {
            size_t cur = row[j];
            size_t sub = prev + (s[i - 1] != t[j - 1]);
            size_t del = row[j] + 1, ins = row[j - 1] + 1;
            row[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
            prev = cur;
        }
    }
    return row[m];
}

/* The closest of n candidate names to s, or NULL when nothing is reasonably close. */
static const char *closest(const char *s, const char *const *cands, size_t n)
{
    const char *best = NULL;
    size_t bd = (size_t)-1;
    for (size_t i = 0; i < n; i++) {
        if (!cands[i])
            continue;
        size_t dd = edit_distance(s, cands[i]);
        /* a candidate containing s (or the reverse) is a good guess too */
        if (strstr(cands[i], s) || strstr(s, cands[i]))
            dd = dd < 3 ? dd : 3;
        if (dd < bd) {
            bd = dd;
            best = cands[i];
        }
    }
    size_t len = strlen(s);
    return bd <= (len / 2 > 3 ? len / 2 : 3) ? best : NULL;
}

static cl_ynode *map_get(const cl_ynode *map, const char *key)
{
    if (!map || map->kind != CL_YMAP)
        return NULL;
    for (size_t i = 0; i + 1 < map->n; i += 2)
        if (map->items[i]->kind == CL_YSCALAR && !strcmp(map->items[i]->str, key))
            return map->items[i + 1];
    return NULL;
}

/* The position of node n in the file being read. */
static cl_srcpos node_pos(const ld *L, const cl_ynode *n)
{
    return (cl_srcpos){L->file, n ? n->line : 0, n ? n->col : 0};
}

static void join_names(cl_buf *b, const char *const *names)
{
    for (size_t i = 0; names[i]; i++) {
        if (i)
            cl_buf_puts(b, ", ");
        cl_buf_puts(b, names[i]);
    }
}

/* Check that node is a mapping whose keys are all in allowed (NULL-terminated), with no
 * duplicates, and that the required keys (NULL-terminated, may be NULL) are present. */
static bool check_map(ld *L, const cl_ynode *node, const char *what,
                      const char *const *allowed, const char *const *required)
{
    if (!node || node->kind != CL_YMAP) {
        ERR(L, node, "%s must be a mapping of keys and values, found %s", what,
            cl_ynode_kind_name(node));
        return false;
    }
    for (size_t i = 0; i + 1 < node->n; i += 2) {
        const cl_ynode *k = node->items[i];
        if (k->kind != CL_YSCALAR) {
            ERR(L, k, "a key in %s must be a word, found %s", what, cl_ynode_kind_name(k));
            continue;
        }
        bool known = false;
        size_t na = 0;
        for (; allowed[na]; na++)
            if (!strcmp(allowed[na], k->str))
                known = true;
        if (!known) {
            cl_buf b = {0};
            join_names(&b, allowed);
            const char *near = closest(k->str, allowed, na);
            if (near)
                ERR(L, k, "unknown key '%s' in %s; did you mean '%s'? (accepted: %s)", k->str,
                    what, near, cl_buf_str(&b));
            else
                ERR(L, k, "unknown key '%s' in %s (accepted: %s)", k->str, what, cl_buf_str(&b));
            cl_buf_free(&b);
        }
        for (size_t j = 0; j < i; j += 2)
            if (node->items[j]->kind == CL_YSCALAR && !strcmp(node->items[j]->str, k->str)) {
                ERR(L, k, "duplicate key '%s' in %s (first given at line %d)", k->str, what,
                    node->items[j]->line);
                break;
            }
    }
    for (size_t i = 0; required && required[i]; i++) {
        const cl_ynode *v = map_get(node, required[i]);
        if (!v || cl_ynode_is_null(v) || (v->kind == CL_YSCALAR && v->len == 0))
            ERR(L, node, "%s has no '%s' (required)", what, required[i]);
    }
    return true;
}

/* Keep text t (the value of key, at node v) in the catalogue's list of texts. */
static const char *keep_text(ld *L, const cl_ynode *v, const char *key, const char *what, const char *t)
{
    if (!t || !L->cat)
        return t;
    cl_catalog *c = L->cat;
    cl_text_pos *nt = cl_arena_grow(L->a, c->texts, c->n_texts, &L->cap_texts, sizeof *nt, 256);
    if (!nt)
        return t; /* the arena records the failure: an error at the end of loading */
    c->texts = nt;
    c->texts[c->n_texts++] = (cl_text_pos){t, key, what, {L->file, v->line, v->col}};
    return t;
}

/* A text value, or NULL when absent/empty. Reports a wrong kind. */
/* A text typed with ": " in it ("Simulateur : quelles prestations ?") reads as a mapping
 * of one key: say how to write it. */
static const char *colon_hint(const cl_ynode *v)
{
    return v->kind == CL_YMAP && v->n == 2 ? _(" (a text holding ': ' must be put between double quotes: \"…\")") : "";
}

static const char *get_text(ld *L, const cl_ynode *map, const char *key, const char *what)
{
    const cl_ynode *v = map_get(map, key);
    if (!v || cl_ynode_is_null(v))
        return NULL;
    if (v->kind != CL_YSCALAR) {
        ERR(L, v, "'%s' of %s must be a text, found %s%s", key, what, cl_ynode_kind_name(v), colon_hint(v));
        return NULL;
    }
    /* literal blocks end with a newline; keep the text itself */
    size_t n = v->len;
    while (n > 0 && (v->str[n - 1] == '\n' || v->str[n - 1] == ' '))
        n--;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)v->str[i];
        if (c < 0x20 && c != '\n' && c != '\t') {
            ERR(L, v, "'%s' of %s holds control character U+%04X (only text, tabs and line breaks are accepted)",
                key, what, c);
            return NULL;
        }
    }
    return keep_text(L, v, key, what, cl_arena_strndup(L->a, v->str, n));
}

static bool is_digits(const char *s, size_t n)
{
    if (n == 0)
        return false;
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

/* Parse an ISO 8601 date of precision year, month or day. */
static bool parse_date(const char *s, cl_date *out)
{
    size_t n = strlen(s);
    *out = (cl_date){0};
    if (!(n == 4 || n == 7 || n == 10) || !is_digits(s, 4))
        return false;
    out->year = atoi(s);
    if (out->year < 1000)
        return false;
    if (n >= 7) {
        if (s[4] != '-' || !is_digits(s + 5, 2))
            return false;
        out->month = (s[5] - '0') * 10 + (s[6] - '0');
        if (out->month < 1 || out->month > 12)
            return false;
    }
    if (n == 10) {
        if (s[7] != '-' || !is_digits(s + 8, 2))
            return false;
        out->day = (s[8] - '0') * 10 + (s[9] - '0');
        static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
        int max = mdays[out->month - 1];
        int y = out->year;
        if (out->month == 2 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
            max = 28;
        if (out->day < 1 || out->day > max)
            return false;
    }
    return true;
}

static void get_date(ld *L, const cl_ynode *map, const char *key, const char *what, cl_date *out)
{
    *out = (cl_date){0};
    const cl_ynode *v = map_get(map, key);
    if (!v || cl_ynode_is_null(v))
        return;
    if (v->kind != CL_YSCALAR) {
        ERR(L, v, "'%s' of %s must be a date, found %s", key, what, cl_ynode_kind_name(v));
        return;
    }
    if (!parse_date(v->str, out) && ((*out = (cl_date){0}), true))
        ERR(L, v, "invalid date '%s' in %s (accepted: ISO 8601 YYYY, YYYY-MM or YYYY-MM-DD, e.g. 2019-10-30)",
            v->str, what);
}

bool cl_id_valid(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > 64 || !(s[0] >= 'a' && s[0] <= 'z'))
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
            return false;
    }
    return s[n - 1] != '-';
}

static bool valid_id(const char *s)
{
    return cl_id_valid(s);
}

static const char *get_id(ld *L, const cl_ynode *map, const char *key, const char *what)
{
    const cl_ynode *v = map_get(map, key);
    if (!v || cl_ynode_is_null(v))
        return NULL;
    if (v->kind != CL_YSCALAR) {
        ERR(L, v, "'%s' of %s must be an identifier, found %s", key, what, cl_ynode_kind_name(v));
        return NULL;
    }
    if (!valid_id(v->str)) {
        ERR(L, v, "'%s' is not a safe identifier (accepted: lowercase ASCII letters, digits and '-', starting with a letter, at most 64 characters)",
            v->str);
        return NULL;
    }
    return cl_arena_strdup(L->a, v->str);
}

bool cl_url_valid(const char *u)
{
    const char *rest;
    if (!strncmp(u, "https://", 8))
        rest = u + 8;
    else if (!strncmp(u, "http://", 7))
        rest = u + 7;
    else
        return false;
    size_t host = strcspn(rest, "/?#");
    if (host == 0)
        return false;
    for (size_t i = 0; i < host; i++) {
        char c = rest[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '.' || c == ':'))
            return false;
    }
    for (const unsigned char *p = (const unsigned char *)u; *p; p++)
        if (*p <= 0x20 || *p == 0x7F || *p == '"' || *p == '<' || *p == '>' || *p == '\\')
            return false;
    return true;
}

static const char *get_url(ld *L, const cl_ynode *map, const char *key, const char *what)
{
    const char *u = get_text(L, map, key, what);
    if (u && !cl_url_valid(u)) {
        ERR(L, map_get(map, key), "'%s' is not an http(s) address (accepted: http:// or https:// followed by a host name, without spaces)",
            u);
        return NULL;
    }
    return u;
}

/* A list of texts. */
static const char **get_text_list(ld *L, const cl_ynode *map, const char *key, const char *what,
                                  size_t *n)
{
    *n = 0;
    const cl_ynode *v = map_get(map, key);
    if (!v || cl_ynode_is_null(v))
        return NULL;
    if (v->kind != CL_YSEQ) {
        ERR(L, v, "'%s' of %s must be a list of texts, found %s", key, what, cl_ynode_kind_name(v));
        return NULL;
    }
    const char **out = CL_NEWN(L->a, const char *, v->n + 1);
    if (!out)
        return NULL;
    for (size_t i = 0; i < v->n; i++) {
        const cl_ynode *it = v->items[i];
        if (it->kind != CL_YSCALAR || cl_ynode_is_null(it)) {
            ERR(L, it, "item %zu of '%s' in %s must be a text, found %s%s", i + 1, key, what,
                cl_ynode_kind_name(it), colon_hint(it));
            continue;
        }
        out[(*n)++] = keep_text(L, it, key, what, cl_arena_strdup(L->a, it->str));
    }
    return out;
}

static int get_int(ld *L, const cl_ynode *map, const char *key, const char *what, int lo, int hi)
{
    const cl_ynode *v = map_get(map, key);
    if (!v || cl_ynode_is_null(v))
        return 0;
    if (v->kind != CL_YSCALAR || !is_digits(v->str, v->len) || v->len > 6 ||
        atoi(v->str) < lo || atoi(v->str) > hi) {
        ERR(L, v, "'%s' of %s must be a whole number from %d to %d, found %s%s%s", key, what, lo,
            hi, v->kind == CL_YSCALAR ? "'" : "", v->kind == CL_YSCALAR ? v->str : cl_ynode_kind_name(v),
            v->kind == CL_YSCALAR ? "'" : "");
        return 0;
    }
    return atoi(v->str);
}

/* ---- files of a folder ------------------------------------------------------------ */

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The *.yaml / *.yml files of dir, sorted by name, as arena paths (NULL and *n = 0 when
 * the folder is missing). A folder that cannot be read, or memory running out, is an
 * error in diags naming the folder: never a silently shorter list. */
static char **list_yaml(cl_arena *a, const char *dir, size_t *n, cl_diags *diags)
{
    *n = 0;
    DIR *d = opendir(dir);
    if (!d) {
        if (errno != ENOENT && errno != ENOTDIR)
            cl_diags_add(diags, CL_ERROR, dir, 0, 0, "cannot read this folder (%s)", strerror(errno));
        return NULL;
    }
    size_t cap = 16, k = 0;
    char **v = malloc(cap * sizeof *v);
    bool failed = !v;
    struct dirent *e;
    errno = 0;
    while (!failed && (e = readdir(d))) {
        size_t l = strlen(e->d_name);
        if (e->d_name[0] == '.')
            continue;
        if (!((l > 5 && !strcmp(e->d_name + l - 5, ".yaml")) || (l > 4 && !strcmp(e->d_name + l - 4, ".yml"))))
            continue;
        if (k == cap) {
            char **nv = realloc(v, 2 * cap * sizeof *nv);
            if (!nv) {
                failed = true;
                break;
            }
            v = nv;
            cap *= 2;
        }
        if (!(v[k++] = cl_arena_printf(a, "%s/%s", dir, e->d_name)))
            failed = true;
        errno = 0;
    }
    int read_err = failed ? 0 : errno;
    closedir(d);
    char **out = failed || read_err ? NULL : CL_NEWN(a, char *, k + 1);
    if (out) {
        qsort(v, k, sizeof *v, cmp_str);
        memcpy(out, v, k * sizeof *v);
        *n = k;
    } else if (read_err) {
        cl_diags_add(diags, CL_ERROR, dir, 0, 0, "cannot read this folder (%s)", strerror(read_err));
    } else {
        cl_diags_add(diags, CL_ERROR, dir, 0, 0, "out of memory while listing this folder (nothing was made)");
    }
    free(v);
    return out;
}

static bool is_dir(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

static bool is_file(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

/* ---- records ---------------------------------------------------------------------- */

static const char *const resource_keys[] = {
    "id", "type", "authors", "title", "container", "publisher", "volume", "issue", "date",
    "date_label", "pages", "duration", "description", "url", "accessed", "links", "unidentified", NULL};
static const char *const resource_required[] = {"id", "type", "title", NULL};

static int parse_duration(const char *s)
{
    /* MM:SS or H:MM:SS */
    int parts[3], np = 0;
    const char *p = s;
    while (*p && np < 3) {
        size_t l = strspn(p, "0123456789");
        if (l == 0 || l > 4)
            return -1;
        parts[np++] = atoi(p);
        p += l;
        if (*p == ':')
            p++;
        else if (*p)
            return -1;
    }
    if (*p || np < 2)
        return -1;
    if (np == 2)
        return parts[1] < 60 ? parts[0] * 60 + parts[1] : -1;
    return parts[1] < 60 && parts[2] < 60 ? parts[0] * 3600 + parts[1] * 60 + parts[2] : -1;
}

static bool valid_pages(const char *s)
{
    size_t a = strspn(s, "0123456789");
    if (a == 0 || a > 5)
        return false;
    if (!s[a])
        return true;
    if (s[a] != '-')
        return false;
    size_t b = strspn(s + a + 1, "0123456789");
    return b > 0 && b <= 5 && !s[a + 1 + b] && atoi(s) <= atoi(s + a + 1);
}

static cl_resource *load_resource(ld *L, const cl_ynode *n)
{
    if (!check_map(L, n, _("a resource"), resource_keys, resource_required))
        return NULL;
    cl_resource *r = CL_NEW(L->a, cl_resource);
    if (!r)
        return NULL;
    r->pos = (cl_srcpos){L->file, n->line, n->col};
    r->id = get_id(L, n, "id", _("a resource"));
    const char *what = r->id ? cl_arena_printf(L->a, _("resource '%s'"), r->id) : _("a resource");
    const cl_ynode *t = map_get(n, "type");
    r->type = CL_RES_TYPE_COUNT;
    if (t && t->kind == CL_YSCALAR) {
        for (int i = 0; i < CL_RES_TYPE_COUNT; i++)
            if (!strcmp(t->str, type_names[i]))
                r->type = (cl_restype)i;
        if (r->type == CL_RES_TYPE_COUNT)
            ERR(L, t, "unknown type '%s' for %s (accepted: article, rapport, site, podcast, video)",
                t->str, what);
    } else if (t) {
        ERR(L, t, "'type' of %s must be a text, found %s", what, cl_ynode_kind_name(t));
    }
    r->title = get_text(L, n, "title", what);
    r->container = get_text(L, n, "container", what);
    r->publisher = get_text(L, n, "publisher", what);
    r->volume = get_text(L, n, "volume", what);
    r->issue = get_text(L, n, "issue", what);
    r->date_label = get_text(L, n, "date_label", what);
    r->description = get_text(L, n, "description", what);
    get_date(L, n, "date", what, &r->date);
    get_date(L, n, "accessed", what, &r->accessed);
    r->url = get_url(L, n, "url", what);
    if (r->url)
        r->url_pos = node_pos(L, map_get(n, "url"));
    const cl_ynode *un = map_get(n, "unidentified");
    if (un && !cl_ynode_is_null(un)) {
        if (un->kind == CL_YSCALAR && !strcmp(un->str, "true"))
            r->unidentified = true;
        else if (!(un->kind == CL_YSCALAR && !strcmp(un->str, "false")))
            ERR(L, un, "'unidentified' of %s must be true or false", what);
    }
    const char *pages = get_text(L, n, "pages", what);
    if (pages && !valid_pages(pages))
        ERR(L, map_get(n, "pages"), "invalid pages '%s' for %s (accepted: a page count such as 79, or a range such as 67-74)",
            pages, what);
    else
        r->pages = pages;
    const char *dur = get_text(L, n, "duration", what);
    if (dur) {
        int s = parse_duration(dur);
        if (s <= 0)
            ERR(L, map_get(n, "duration"), "invalid duration '%s' for %s (accepted: MM:SS or H:MM:SS, e.g. 28:00 or 1:28:00)",
                dur, what);
        else
            r->duration_s = s;
    }
    const cl_ynode *au = map_get(n, "authors");
    if (au && !cl_ynode_is_null(au)) {
        if (au->kind != CL_YSEQ) {
            ERR(L, au, "'authors' of %s must be a list of persons or organisations, found %s", what,
                cl_ynode_kind_name(au));
        } else {
            r->authors = CL_NEWN(L->a, cl_author, au->n + 1);
            for (size_t i = 0; r->authors && i < au->n; i++) {
                static const char *const akeys[] = {"family", "given", "org", NULL};
                const cl_ynode *x = au->items[i];
                if (!check_map(L, x, _("an author"), akeys, NULL))
                    continue;
                cl_author *A = &r->authors[r->n_authors];
                A->family = get_text(L, x, "family", _("an author"));
                A->given = get_text(L, x, "given", _("an author"));
                A->org = get_text(L, x, "org", _("an author"));
                if (A->org && (A->family || A->given))
                    ERR(L, x, "an author of %s is either a person (family, given) or an organisation (org), not both", what);
                else if (!A->org && !A->family)
                    ERR(L, x, "an author of %s needs 'family' (a person) or 'org' (an organisation)", what);
                else
                    r->n_authors++;
            }
        }
    }
    const cl_ynode *li = map_get(n, "links");
    if (li && !cl_ynode_is_null(li)) {
        if (li->kind != CL_YSEQ) {
            ERR(L, li, "'links' of %s must be a list of sub-links, found %s", what, cl_ynode_kind_name(li));
        } else {
            r->links = CL_NEWN(L->a, cl_link, li->n + 1);
            for (size_t i = 0; r->links && i < li->n; i++) {
                static const char *const lkeys[] = {"title", "url", NULL};
                static const char *const lreq[] = {"title", NULL};
                const cl_ynode *x = li->items[i];
                if (!check_map(L, x, _("a sub-link"), lkeys, lreq))
                    continue;
                cl_link *k = &r->links[r->n_links];
                k->title = get_text(L, x, "title", _("a sub-link"));
                k->url = get_url(L, x, "url", _("a sub-link"));
                if (k->url)
                    k->url_pos = node_pos(L, map_get(x, "url"));
                if (k->title)
                    r->n_links++;
            }
        }
    }
    return r;
}

static void load_block(ld *L, const cl_ynode *n, const char *label_key, const char *what, cl_block *b)
{
    static const char *const note_keys[] = {"kind", "text", NULL};
    static const char *const extract_keys[] = {"label", "text", NULL};
    static const char *const req[] = {"text", NULL};
    if (!check_map(L, n, what, !strcmp(label_key, "kind") ? note_keys : extract_keys, req))
        return;
    b->label = get_text(L, n, label_key, what);
    b->text = get_text(L, n, "text", what);
}

/* Resolution of diplomas, used by entries and courses. */
static const cl_diploma *find_diploma(const cl_catalog *c, const char *id)
{
    for (size_t i = 0; id && i < c->n_diplomas; i++)
        if (!strcmp(c->diplomas[i].id, id))
            return &c->diplomas[i];
    return NULL;
}

const cl_diploma *cl_catalog_diploma(const cl_catalog *c, const char *id) { return find_diploma(c, id); }

const cl_module *cl_diploma_module(const cl_diploma *d, const char *id)
{
    for (size_t i = 0; d && id && i < d->n_modules; i++)
        if (!strcmp(d->modules[i].id, id))
            return &d->modules[i];
    return NULL;
}

/* Resolve a diploma id and module id given at nodes dn / mn; reports unknown ones. */
static void resolve_diploma(ld *L, const cl_ynode *dn, const cl_ynode *mn, const char *did,
                            const char *mid, const cl_diploma **dout, const cl_module **mout)
{
    *dout = NULL;
    *mout = NULL;
    if (!did)
        return;
    const cl_diploma *d = find_diploma(L->cat, did);
    if (!d) {
        const char *names[64];
        size_t k = 0;
        cl_buf b = {0};
        for (size_t i = 0; i < L->cat->n_diplomas && k < 64; i++) {
            names[k++] = L->cat->diplomas[i].id;
            cl_buf_printf(&b, "%s%s", i ? ", " : "", L->cat->diplomas[i].id);
        }
        const char *near = closest(did, names, k);
        if (near)
            ERR(L, dn, "unknown diploma '%s'; did you mean '%s'? (accepted: the ids of diplomas.yaml: %s)", did, near,
                cl_buf_str(&b));
        else
            ERR(L, dn, "unknown diploma '%s' (accepted: the ids of diplomas.yaml: %s)", did, cl_buf_str(&b));
        cl_buf_free(&b);
        return;
    }
    *dout = d;
    if (!mid)
        return;
    const cl_module *m = cl_diploma_module(d, mid);
    if (!m) {
        cl_buf b = {0};
        for (size_t i = 0; i < d->n_modules; i++)
            cl_buf_printf(&b, "%s%s", i ? ", " : "", d->modules[i].id);
        ERR(L, mn, "unknown module '%s' for diploma '%s' (accepted: %s)", mid, did, cl_buf_str(&b));
        cl_buf_free(&b);
    }
    *mout = m;
}

static void load_use(ld *L, const cl_ynode *n, cl_use *u)
{
    static const char *const keys[] = {"diploma", "module", "items", "activity", NULL};
    static const char *const req[] = {"diploma", NULL};
    if (!check_map(L, n, _("a pedagogical use"), keys, req))
        return;
    const cl_ynode *dn = map_get(n, "diploma"), *mn = map_get(n, "module");
    const char *did = get_text(L, n, "diploma", _("a pedagogical use"));
    const char *mid = get_text(L, n, "module", _("a pedagogical use"));
    resolve_diploma(L, dn, mn, did, mid, &u->diploma, &u->module);
    u->items = get_text_list(L, n, "items", _("a pedagogical use"), &u->n_items);
    u->activity = get_text(L, n, "activity", _("a pedagogical use"));
}

typedef struct pending_ref {
    const char *id;
    const char *file;
    int line, col;
    cl_resource **slot;
} pending_ref;

typedef struct refs {
    pending_ref *v;
    size_t n, cap;
} refs;

/* Out of memory while loading: an error in the file being read (the count is kept even
 * when the message cannot be), so nothing is built from the data. */
static void oom(ld *L, const cl_ynode *at)
{
    ERR(L, at, "out of memory while reading this file (nothing was made)");
}

static void add_ref(ld *L, refs *R, const char *id, const cl_ynode *at, cl_resource **slot)
{
    if (R->n == R->cap) {
        size_t cap = R->cap ? R->cap * 2 : 64;
        pending_ref *p = realloc(R->v, cap * sizeof *p);
        if (!p) {
            oom(L, at);
            return;
        }
        R->v = p;
        R->cap = cap;
    }
    R->v[R->n++] = (pending_ref){id, L->file, at->line, at->col, slot};
}

static void load_entry(ld *L, const cl_ynode *n, cl_entry *e, refs *R)
{
    static const char *const keys[] = {"resource", "note", "extracts", "uses", NULL};
    static const char *const req[] = {"resource", NULL};
    if (!check_map(L, n, _("an entry"), keys, req))
        return;
    e->pos = (cl_srcpos){L->file, n->line, n->col};
    e->resource_id = get_id(L, n, "resource", _("an entry"));
    if (e->resource_id)
        add_ref(L, R, e->resource_id, map_get(n, "resource"), &e->resource);
    const cl_ynode *note = map_get(n, "note");
    if (note && !cl_ynode_is_null(note))
        load_block(L, note, "kind", _("a note"), &e->note);
    const cl_ynode *ex = map_get(n, "extracts");
    if (ex && !cl_ynode_is_null(ex)) {
        if (ex->kind != CL_YSEQ) {
            ERR(L, ex, "'extracts' must be a list of {label, text}, found %s", cl_ynode_kind_name(ex));
        } else {
            e->extracts = CL_NEWN(L->a, cl_block, ex->n + 1);
            for (size_t i = 0; e->extracts && i < ex->n; i++) {
                load_block(L, ex->items[i], "label", _("an extract"), &e->extracts[e->n_extracts]);
                if (e->extracts[e->n_extracts].text)
                    e->n_extracts++;
            }
        }
    }
    const cl_ynode *us = map_get(n, "uses");
    if (us && !cl_ynode_is_null(us)) {
        if (us->kind != CL_YSEQ) {
            ERR(L, us, "'uses' must be a list of pedagogical uses, found %s", cl_ynode_kind_name(us));
        } else {
            e->uses = CL_NEWN(L->a, cl_use, us->n + 1);
            for (size_t i = 0; e->uses && i < us->n; i++)
                load_use(L, us->items[i], &e->uses[e->n_uses++]);
        }
    }
}

/* Number depth: "1.2.3" → 3. Returns 0 when malformed. */
static int number_depth(const char *s)
{
    int depth = 0;
    const char *p = s;
    while (*p) {
        size_t l = strspn(p, "0123456789");
        if (l == 0)
            return 0;
        depth++;
        p += l;
        if (*p == '.') {
            p++;
            if (!*p)
                break; /* "1." */
        } else if (*p) {
            return 0;
        }
    }
    return depth;
}

static cl_section *load_section(ld *L, const cl_ynode *n, refs *R)
{
    static const char *const keys[] = {"number", "title", "level", "introduction", "entries", NULL};
    static const char *const req[] = {"title", NULL};
    if (!check_map(L, n, _("a section"), keys, req))
        return NULL;
    cl_section *s = CL_NEW(L->a, cl_section);
    if (!s)
        return NULL;
    s->pos = (cl_srcpos){L->file, n->line, n->col};
    s->number = get_text(L, n, "number", _("a section"));
    s->title = get_text(L, n, "title", _("a section"));
    s->introduction = get_text(L, n, "introduction", _("a section"));
    int level = get_int(L, n, "level", _("a section"), 1, 6);
    if (s->number) {
        int d = number_depth(s->number);
        if (d > 6) {
            ERR(L, map_get(n, "number"), "section number '%s' is %d levels deep (at most 6 levels)", s->number, d);
            d = 6;
        }
        if (!d)
            ERR(L, map_get(n, "number"), "invalid section number '%s' (accepted: numbers separated by dots, e.g. 1.2.3)",
                s->number);
        if (level && d && level != d)
            ERR(L, map_get(n, "level"), "level %d contradicts number '%s' (depth %d); leave 'level' out for numbered sections",
                level, s->number, d);
        s->level = d ? d : (level ? level : 1);
    } else {
        if (!level)
            ERR(L, n, "section '%s' has neither 'number' nor 'level' (one is required to place it in the outline)",
                s->title ? s->title : "?");
        s->level = level ? level : 1;
    }
    const cl_ynode *en = map_get(n, "entries");
    if (en && !cl_ynode_is_null(en)) {
        if (en->kind != CL_YSEQ) {
            ERR(L, en, "'entries' must be a list of entries, found %s", cl_ynode_kind_name(en));
        } else {
            s->entries = CL_NEWN(L->a, cl_entry, en->n + 1);
            for (size_t i = 0; s->entries && i < en->n; i++) {
                cl_entry *e = &s->entries[s->n_entries++];
                e->section = s;
                load_entry(L, en->items[i], e, R);
            }
        }
    }
    return s;
}

static void load_dossier(ld *L, const cl_ynode *n)
{
    static const char *const keys[] = {"title", "date", "authors", "credit", "summary",
                                       "introduction_title", "introduction", NULL};
    static const char *const req[] = {"title", NULL};
    if (!check_map(L, n, _("the dossier"), keys, req))
        return;
    cl_dossier *d = &L->cat->dossier;
    d->title = get_text(L, n, "title", _("the dossier"));
    get_date(L, n, "date", _("the dossier"), &d->date);
    d->authors = get_text_list(L, n, "authors", _("the dossier"), &d->n_authors);
    d->credit = get_text(L, n, "credit", _("the dossier"));
    d->summary = get_text(L, n, "summary", _("the dossier"));
    d->introduction_title = get_text(L, n, "introduction_title", _("the dossier"));
    d->introduction = get_text(L, n, "introduction", _("the dossier"));
}

static void load_diplomas(ld *L, const cl_ynode *n)
{
    if (!n)
        return;
    if (n->kind != CL_YSEQ) {
        ERR(L, n, "diplomas.yaml must hold a list of diplomas, found %s", cl_ynode_kind_name(n));
        return;
    }
    L->cat->diplomas = CL_NEWN(L->a, cl_diploma, n->n + 1);
    for (size_t i = 0; L->cat->diplomas && i < n->n; i++) {
        static const char *const keys[] = {"id", "name", "full_name", "modules", NULL};
        static const char *const req[] = {"id", "name", NULL};
        const cl_ynode *x = n->items[i];
        if (!check_map(L, x, _("a diploma"), keys, req))
            continue;
        cl_diploma *d = &L->cat->diplomas[L->cat->n_diplomas];
        d->id = get_id(L, x, "id", _("a diploma"));
        d->name = get_text(L, x, "name", _("a diploma"));
        d->full_name = get_text(L, x, "full_name", _("a diploma"));
        if (!d->id)
            continue;
        if (find_diploma(L->cat, d->id))
            ERR(L, map_get(x, "id"), "duplicate diploma id '%s'", d->id);
        const cl_ynode *m = map_get(x, "modules");
        if (m && m->kind == CL_YSEQ) {
            d->modules = CL_NEWN(L->a, cl_module, m->n + 1);
            for (size_t j = 0; d->modules && j < m->n; j++) {
                static const char *const mkeys[] = {"id", "label", "title", "year", NULL};
                static const char *const mreq[] = {"id", "label", "title", NULL};
                const cl_ynode *y = m->items[j];
                if (!check_map(L, y, _("a module"), mkeys, mreq))
                    continue;
                cl_module *M = &d->modules[d->n_modules];
                M->id = get_text(L, y, "id", _("a module"));
                M->label = get_text(L, y, "label", _("a module"));
                M->title = get_text(L, y, "title", _("a module"));
                M->year = get_int(L, y, "year", _("a module"), 1, 8);
                if (M->id && cl_diploma_module(d, M->id))
                    ERR(L, map_get(y, "id"), "duplicate module id '%s' in diploma '%s'", M->id, d->id);
                else if (M->id)
                    d->n_modules++;
            }
        } else if (m && !cl_ynode_is_null(m)) {
            ERR(L, m, "'modules' must be a list of modules, found %s", cl_ynode_kind_name(m));
        }
        L->cat->n_diplomas++;
    }
}

static bool valid_school_year(const char *s)
{
    return strlen(s) == 9 && is_digits(s, 4) && s[4] == '-' && is_digits(s + 5, 4) &&
           atoi(s + 5) == atoi(s) + 1;
}

static cl_course *load_course(ld *L, const cl_ynode *n, refs *R)
{
    static const char *const keys[] = {"id", "title", "diploma", "module", "year", "school_year", "teacher",
                                       "layout", "introduction", "resources", NULL};
    static const char *const req[] = {"id", "title", "diploma", "resources", NULL};
    if (!check_map(L, n, _("a course"), keys, req))
        return NULL;
    cl_course *c = CL_NEW(L->a, cl_course);
    if (!c)
        return NULL;
    c->path = L->file;
    c->id = get_id(L, n, "id", _("a course"));
    c->title = get_text(L, n, "title", _("a course"));
    c->diploma_id = get_id(L, n, "diploma", _("a course"));
    c->module_id = get_text(L, n, "module", _("a course"));
    (void)get_int(L, n, "year", _("a course"), 1, 8);
    c->school_year = get_text(L, n, "school_year", _("a course"));
    if (c->school_year && !valid_school_year(c->school_year)) {
        ERR(L, map_get(n, "school_year"), "invalid school year '%s' (accepted: two consecutive years, e.g. 2026-2027)",
            c->school_year);
        c->school_year = NULL;
    }
    c->teacher = get_text(L, n, "teacher", _("a course"));
    c->layout = get_text(L, n, "layout", _("a course"));
    c->layout_pos = node_pos(L, map_get(n, "layout"));
    c->introduction = get_text(L, n, "introduction", _("a course"));
    resolve_diploma(L, map_get(n, "diploma"), map_get(n, "module"), c->diploma_id, c->module_id,
                    &c->diploma, &c->module);
    const cl_ynode *rs = map_get(n, "resources");
    if (rs && !cl_ynode_is_null(rs)) {
        if (rs->kind != CL_YSEQ) {
            ERR(L, rs, "'resources' of a course must be a list of resource ids, found %s", cl_ynode_kind_name(rs));
            return c;
        }
        c->items = CL_NEWN(L->a, cl_selection, rs->n + 1);
        for (size_t i = 0; c->items && i < rs->n; i++) {
            const cl_ynode *x = rs->items[i];
            cl_selection *s = &c->items[c->n_items];
            s->pos = (cl_srcpos){L->file, x->line, x->col};
            const cl_ynode *idn = x;
            if (x->kind == CL_YMAP) {
                static const char *const skeys[] = {"id", "questions", NULL};
                static const char *const sreq[] = {"id", NULL};
                if (!check_map(L, x, _("a course resource"), skeys, sreq))
                    continue;
                idn = map_get(x, "id");
                s->questions = get_text_list(L, x, "questions", _("a course resource"), &s->n_questions);
            } else if (x->kind != CL_YSCALAR) {
                ERR(L, x, "a course resource must be an id or {id, questions}, found %s", cl_ynode_kind_name(x));
                continue;
            }
            if (!idn || idn->kind != CL_YSCALAR)
                continue;
            if (!valid_id(idn->str)) {
                ERR(L, idn, "'%s' is not a safe identifier (accepted: lowercase ASCII letters, digits and '-', starting with a letter)",
                    idn->str);
                continue;
            }
            bool dup = false;
            for (size_t j = 0; j < c->n_items; j++)
                if (!strcmp(c->items[j].id, idn->str)) {
                    ERR(L, idn, "resource '%s' is selected twice in this course (first at line %d)", idn->str,
                        c->items[j].pos.line);
                    dup = true;
                }
            if (dup)
                continue;
            s->id = cl_arena_strdup(L->a, idn->str);
            add_ref(L, R, s->id, idn, &s->resource);
            c->n_items++;
        }
        if (c->n_items == 0 && rs->n == 0)
            ERR(L, rs, "the course selects no resource (list at least one resource id)");
    }
    return c;
}

/* ---- addresses.yaml --------------------------------------------------------------- */

static const char *ids_near(cl_catalog *c, const char *id)
{
    const char **ids = calloc(c->n_resources + 1, sizeof *ids);
    if (!ids)
        return NULL;
    for (size_t i = 0; i < c->n_resources; i++)
        ids[i] = c->resources[i]->id;
    const char *near = closest(id, ids, c->n_resources);
    free(ids);
    return near;
}

/* The evidence of an address record (a mapping of kind, seen_at, quote). */
static void load_evidence(ld *L, const cl_ynode *n, const char *what, cl_address *A)
{
    static const char *const keys[] = {"kind", "seen_at", "quote", "also_seen_at", NULL};
    static const char *const req[] = {"kind", "seen_at", "quote", NULL};
    if (!check_map(L, n, _("evidence"), keys, req))
        return;
    const cl_ynode *k = map_get(n, "kind");
    if (k && k->kind == CL_YSCALAR && k->len) {
        for (int i = 1; i < CL_EVIDENCE_KIND_COUNT; i++)
            if (!strcmp(k->str, evidence_names[i]))
                A->evidence = (cl_evidence_kind)i;
        if (!A->evidence)
            ERR(L, k, "unknown evidence kind '%s' for %s (accepted: publisher-page, document-text, third-party)",
                k->str, what);
    } else if (k && k->kind != CL_YSCALAR) {
        ERR(L, k, "'kind' of the evidence must be a text, found %s", cl_ynode_kind_name(k));
    }
    A->seen_at = get_url(L, n, "seen_at", what);
    A->quote = get_text(L, n, "quote", what);
    A->also_seen_at = get_url(L, n, "also_seen_at", what);
    if (A->evidence == CL_EVIDENCE_THIRD_PARTY && !A->also_seen_at && !map_get(n, "also_seen_at"))
        ERR(L, n, "third-party evidence for %s needs 'also_seen_at': a second, independent page giving the same address",
            what);
    if (!A->seen_at || !A->quote)
        A->evidence = CL_EVIDENCE_NONE;
}

/* Read addresses.yaml (root: its parsed tree, NULL when empty) and give each record's
 * address to its resource or sub-link, where it wins over a url of the resources files. */
static void load_addresses(ld *L, const cl_ynode *root, const cl_load_opts *opts)
{
    cl_catalog *c = L->cat;
    if (!root)
        return;
    if (root->kind != CL_YSEQ) {
        ERR(L, root, "addresses.yaml must hold a list of address records (- id: …, address: …), found %s",
            cl_ynode_kind_name(root));
        return;
    }
    c->addresses = CL_NEWN(L->a, cl_address, root->n + 1);
    if (!c->addresses) {
        ERR(L, root, "out of memory reading the address records");
        return;
    }
    static const char *const keys[] = {"id", "link", "address", "accessed", "evidence", NULL};
    static const char *const req[] = {"id", "address", NULL};
    for (size_t i = 0; i < root->n; i++) {
        const cl_ynode *x = root->items[i];
        if (!check_map(L, x, _("an address record"), keys, req))
            continue;
        cl_address A = {.pos = node_pos(L, x)};
        A.id = get_id(L, x, "id", _("an address record"));
        const char *what = A.id ? cl_arena_printf(L->a, _("the address of '%s'"), A.id) : _("an address record");
        A.link = get_text(L, x, "link", what);
        A.url = get_url(L, x, "address", what);
        get_date(L, x, "accessed", what, &A.accessed);
        const cl_ynode *ev = map_get(x, "evidence");
        if (ev && !cl_ynode_is_null(ev))
            load_evidence(L, ev, what, &A);
        else if (opts && opts->require_evidence && A.id)
            ERR(L, x, "%s has no evidence (required with --require-evidence: evidence with kind, seen_at and quote)",
                what);
        if (!A.id)
            continue;
        cl_resource *r = cl_catalog_resource(c, A.id);
        if (!r) {
            const char *near = ids_near(c, A.id);
            if (near)
                ERR(L, map_get(x, "id"),
                    "unknown resource '%s'; did you mean '%s'? (accepted: an id defined in resources/*.yaml)", A.id, near);
            else
                ERR(L, map_get(x, "id"), "unknown resource '%s' (accepted: an id defined in resources/*.yaml)", A.id);
            continue;
        }
        if (r->unidentified) {
            ERR(L, map_get(x, "id"), "resource '%s' is not identified by the source, so it cannot have an address",
                A.id);
            continue;
        }
        if (!A.url)
            continue;
        bool dup = false;
        for (size_t j = 0; j < c->n_addresses && !dup; j++) {
            const cl_address *B = &c->addresses[j];
            if (!strcmp(B->id, A.id) && (A.link ? B->link && !strcmp(B->link, A.link) : !B->link)) {
                if (A.link)
                    ERR(L, map_get(x, "id"),
                        "second address record for the sub-link '%s' of '%s' (first at line %d; one record each)",
                        A.link, A.id, B->pos.line);
                else
                    ERR(L, map_get(x, "id"), "second address record for resource '%s' (first at line %d; one record each)",
                        A.id, B->pos.line);
                dup = true;
            }
        }
        if (dup)
            continue;
        cl_link *target = NULL;
        if (A.link) {
            for (size_t j = 0; j < r->n_links && !target; j++)
                if (!strcmp(r->links[j].title, A.link))
                    target = &r->links[j];
            if (!target) {
                cl_buf b = {0};
                for (size_t j = 0; j < r->n_links; j++)
                    cl_buf_printf(&b, "%s'%s'", j ? ", " : "", r->links[j].title);
                ERR(L, map_get(x, "link"), "resource '%s' has no sub-link titled '%s' (accepted: %s)", A.id, A.link,
                    r->n_links ? cl_buf_str(&b) : _("none: this resource has no sub-links"));
                cl_buf_free(&b);
                continue;
            }
        }
        cl_address *rec = &c->addresses[c->n_addresses++];
        *rec = A;
        cl_srcpos at = node_pos(L, map_get(x, "address"));
        if (target) {
            target->url = rec->url;
            target->url_pos = at;
            target->address = rec;
        } else {
            r->url = rec->url;
            r->url_pos = at;
            r->accessed = rec->accessed;
            r->address = rec;
        }
    }
}

size_t cl_count_addressed(const cl_catalog *c, const cl_course *co, size_t *total)
{
    size_t n = 0, all = 0;
    if (co) {
        for (size_t i = 0; i < co->n_items; i++) {
            const cl_resource *r = co->items[i].resource;
            if (r && !r->unidentified) {
                all++;
                n += r->url != NULL;
            }
        }
    } else {
        for (size_t i = 0; i < c->n_resources; i++) {
            const cl_resource *r = c->resources[i];
            if (!r->unidentified && r->n_entries) {
                all++;
                n += r->url != NULL;
            }
        }
    }
    if (total)
        *total = all;
    return n;
}

/* ---- authorities.yaml ------------------------------------------------------------- */

const char *cl_heading(const char *as_written, const char *heading) { return heading ? heading : as_written; }

/* A name folded for comparing: letters without accents in lowercase, articles (le, la,
 * les, l', un, une, des, du) and punctuation dropped, so that "Défenseur des Droits" and
 * "defenseur des droits" meet. Heap string, NULL when out of memory. */
static char *fold_name(const char *s)
{
    static const char *const articles[] = {"le", "la", "les", "l", "un", "une", "des", "du", "the", NULL};
    cl_buf b = {0}, word = {0};
    size_t n = strlen(s);
    for (size_t i = 0; i <= n;) {
        uint32_t c = 0;
        size_t l = i < n ? cl_utf8_decode(s + i, n - i, &c) : 1;
        if (!l)
            l = 1;
        bool letter = i < n && (cl_utf8_is_letter(c) || (c >= '0' && c <= '9'));
        if (letter) {
            if (c >= 0xC0 && c <= 0xFF) {
                static const char map[] = "aaaaaaaceeeeiiiidnooooo/ouuuuypsaaaaaaaceeeeiiiidnooooo/ouuuuypy";
                c = (uint32_t)map[c - 0xC0];
            } else if (c == 0x153 || c == 0x152) {
                cl_buf_puts(&word, "oe");
                i += l;
                continue;
            } else if (c >= 'A' && c <= 'Z') {
                c += 32;
            }
            if (c < 0x80)
                cl_buf_putc(&word, (char)c);
        } else if (word.len) {
            bool article = false;
            for (size_t k = 0; articles[k]; k++)
                article |= !strcmp(cl_buf_str(&word), articles[k]);
            if (!article) {
                if (b.len)
                    cl_buf_putc(&b, ' ');
                cl_buf_put(&b, word.data, word.len);
            }
            cl_buf_clear(&word);
        }
        i += l;
    }
    cl_buf_free(&word);
    char *out = b.failed ? NULL : strdup(cl_buf_str(&b));
    cl_buf_free(&b);
    return out;
}

/* Read authorities.yaml (root: its tree, NULL when empty). */
static void load_authorities(ld *L, const cl_ynode *root)
{
    cl_catalog *c = L->cat;
    if (!root)
        return;
    if (root->kind != CL_YSEQ) {
        ERR(L, root, "authorities.yaml must hold a list of records (- heading: …, variants: […]), found %s",
            cl_ynode_kind_name(root));
        return;
    }
    c->authorities = CL_NEWN(L->a, cl_authority, root->n + 1);
    if (!c->authorities)
        return;
    static const char *const keys[] = {"heading", "variants", NULL};
    static const char *const req[] = {"heading", NULL};
    for (size_t i = 0; i < root->n; i++) {
        const cl_ynode *x = root->items[i];
        if (!check_map(L, x, _("an authority record"), keys, req))
            continue;
        cl_authority A = {.pos = node_pos(L, x)};
        A.heading = get_text(L, x, "heading", _("an authority record"));
        A.variants = get_text_list(L, x, "variants", _("an authority record"), &A.n_variants);
        if (!A.heading)
            continue;
        /* every name appears once in the file: as a heading or as one variant */
        const char *names[65];
        size_t nn = 0;
        names[nn++] = A.heading;
        for (size_t k = 0; k < A.n_variants && nn < 65; k++)
            names[nn++] = A.variants[k];
        const cl_ynode *vn = map_get(x, "variants");
        for (size_t k = 0; k < nn; k++)
            for (size_t j = 0; j < c->n_authorities; j++) {
                const cl_authority *B = &c->authorities[j];
                bool clash = !strcmp(B->heading, names[k]);
                for (size_t m = 0; m < B->n_variants && !clash; m++)
                    clash = !strcmp(B->variants[m], names[k]);
                if (clash)
                    ERR(L, k == 0 ? map_get(x, "heading") : (vn && vn->kind == CL_YSEQ && k - 1 < vn->n ? vn->items[k - 1] : x),
                        "'%s' is already under the heading '%s' (line %d): a name has one heading", names[k],
                        B->heading, B->pos.line);
            }
        c->authorities[c->n_authorities++] = A;
    }
}

/* The heading of name (a resource's organisation, publisher or container), or NULL. */
static const char *heading_of(cl_catalog *c, const char *name)
{
    for (size_t i = 0; name && i < c->n_authorities; i++) {
        cl_authority *A = &c->authorities[i];
        bool hit = !strcmp(A->heading, name);
        for (size_t k = 0; k < A->n_variants && !hit; k++)
            hit = !strcmp(A->variants[k], name);
        if (hit) {
            A->uses++;
            return A->heading;
        }
    }
    return NULL;
}

/* Give every organisation, publisher and container its heading; then warn about the
 * headings nothing uses and the names that differ only by case, accents or articles
 * without a heading that unifies them. */
static void apply_authorities(cl_catalog *c, cl_diags *d, const cl_load_opts *opts)
{
    typedef struct named {
        const char *name, *heading;
        char *key;
    } named;
    size_t cap = 0;
    for (size_t i = 0; i < c->n_resources; i++)
        cap += c->resources[i]->n_authors + 2;
    named *v = calloc(cap + 1, sizeof *v);
    size_t nv = 0;
    for (size_t i = 0; i < c->n_resources; i++) {
        cl_resource *r = c->resources[i];
        for (size_t k = 0; k < r->n_authors; k++)
            if (r->authors[k].org) {
                r->authors[k].heading = heading_of(c, r->authors[k].org);
                if (v)
                    v[nv++] = (named){r->authors[k].org, r->authors[k].heading, NULL};
            }
        r->publisher_heading = heading_of(c, r->publisher);
        r->container_heading = heading_of(c, r->container);
        if (v && r->publisher)
            v[nv++] = (named){r->publisher, r->publisher_heading, NULL};
        if (v && r->container)
            v[nv++] = (named){r->container, r->container_heading, NULL};
    }
    for (size_t i = 0; i < c->n_authorities; i++)
        if (!c->authorities[i].uses)
            cl_diags_add(d, CL_WARNING, c->authorities[i].pos.file, c->authorities[i].pos.line,
                         c->authorities[i].pos.col,
                         "no resource names '%s' or its variants (remove the record, or check the spelling)",
                         c->authorities[i].heading);
    /* names that meet once folded, under different headings (or none) */
    cl_buf list = {0};
    size_t pairs = 0;
    for (size_t i = 0; i < nv; i++)
        v[i].key = fold_name(v[i].name);
    for (size_t i = 0; i < nv; i++) {
        bool first = true; /* report each group once, from its first name */
        for (size_t j = 0; j < i && first; j++)
            first = !(v[j].key && v[i].key && !strcmp(v[j].key, v[i].key));
        if (!first || !v[i].key)
            continue;
        for (size_t j = i + 1; j < nv; j++) {
            if (!v[j].key || strcmp(v[i].key, v[j].key) || !strcmp(v[i].name, v[j].name))
                continue;
            const char *hi = cl_heading(v[i].name, v[i].heading), *hj = cl_heading(v[j].name, v[j].heading);
            if (!strcmp(hi, hj))
                continue;
            if (pairs < 3 || (opts && opts->verbose))
                cl_buf_printf(&list, "%s'%s' / '%s'", pairs ? ", " : "", v[i].name, v[j].name);
            pairs++;
            break;
        }
    }
    if (pairs)
        cl_diags_add(d, CL_WARNING, c->authorities_path, 0, 0,
                     pairs == 1 ? N_("%zu body is named in ways that differ only by case, accents or articles, "
                                     "without a common heading: %s%s; give each one heading in this file")
                                : N_("%zu bodies are named in ways that differ only by case, accents or articles, "
                                     "without a common heading: %s%s; give each one heading in this file"),
                     pairs, cl_buf_str(&list),
                     pairs > 3 && !(opts && opts->verbose) ? _(" … ('classeur check --verbose' lists them all)") : "");
    cl_buf_free(&list);
    for (size_t i = 0; i < nv; i++)
        free(v[i].key);
    free(v);
}

/* ---- catalogue -------------------------------------------------------------------- */

static int cmp_res(const void *a, const void *b)
{
    const cl_resource *x = *(cl_resource *const *)a, *y = *(cl_resource *const *)b;
    int r = strcmp(x->id, y->id);
    if (r)
        return r;
    /* equal ids: keep reading order, so the first definition is the one kept */
    r = strcmp(x->pos.file, y->pos.file);
    return r ? r : x->pos.line - y->pos.line;
}

cl_resource *cl_catalog_resource(const cl_catalog *c, const char *id)
{
    size_t lo = 0, hi = c->n_resources;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int r = strcmp(c->resources[mid]->id, id);
        if (r == 0)
            return c->resources[mid];
        if (r < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

size_t cl_catalog_entries_of(const cl_catalog *c, const cl_resource *r, const cl_entry **out, size_t max)
{
    size_t n = 0;
    for (size_t i = 0; i < c->n_sections && n < max; i++)
        for (size_t j = 0; j < c->sections[i]->n_entries && n < max; j++)
            if (c->sections[i]->entries[j].resource == r)
                out[n++] = &c->sections[i]->entries[j];
    return n;
}

/* A name given on the command line that can only be a course id: no such file, no '/'
 * and no .yaml or .yml ending (the caller has checked the file does not exist). */
static bool names_a_course_id(const char *f)
{
    size_t n = strlen(f);
    return !strchr(f, '/') && !(n > 5 && !strcmp(f + n - 5, ".yaml")) && !(n > 4 && !strcmp(f + n - 4, ".yml"));
}

bool cl_catalog_suggests(const cl_catalog *c, const cl_resource *r, const char *diploma, const char *module)
{
    const cl_entry *ents[32];
    size_t ne = cl_catalog_entries_of(c, r, ents, 32);
    for (size_t k = 0; k < ne && k < 32; k++) {
        const cl_section *s = ents[k]->section;
        for (size_t j = 0; s && j < s->n_entries; j++)
            for (size_t u = 0; u < s->entries[j].n_uses; u++) {
                const cl_use *x = &s->entries[j].uses[u];
                if ((!diploma || (x->diploma && !strcmp(x->diploma->id, diploma))) &&
                    (!module || (x->module && !strcmp(x->module->id, module))))
                    return true;
            }
    }
    return false;
}

cl_course *cl_catalog_course(const cl_catalog *c, const char *key)
{
    char want[4096], have[4096];
    bool resolved = realpath(key, want) != NULL;
    for (size_t i = 0; i < c->n_courses; i++) {
        if ((c->courses[i]->id && !strcmp(c->courses[i]->id, key)) || !strcmp(c->courses[i]->path, key))
            return c->courses[i];
        if (resolved && realpath(c->courses[i]->path, have) && !strcmp(want, have))
            return c->courses[i];
    }
    return NULL;
}

void cl_catalog_drop(cl_catalog *c)
{
    if (c)
        cl_arena_drop(c->arena);
}

/* Growable pointer vector in the heap, copied into the arena when done. */
typedef struct pvec {
    void **v;
    size_t n, cap;
} pvec;

/* Add x (NULL: nothing to add); out of memory is an error at `at` in L's file. */
static void pvec_push(ld *L, const cl_ynode *at, pvec *p, void *x)
{
    if (!x)
        return;
    if (p->n == p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 64;
        void **nv = realloc(p->v, cap * sizeof *nv);
        if (!nv) {
            oom(L, at);
            return;
        }
        p->v = nv;
        p->cap = cap;
    }
    p->v[p->n++] = x;
}

static void **pvec_finish(cl_arena *a, pvec *p)
{
    void **out = CL_NEWN(a, void *, p->n + 1);
    if (out && p->n)
        memcpy(out, p->v, p->n * sizeof(void *));
    free(p->v);
    return out;
}

static void build_tree(cl_catalog *c, cl_diags *d)
{
    /* children counts first, then fill */
    cl_section *stack[8] = {&c->root};
    size_t *counts = calloc(c->n_sections + 1, sizeof *counts);
    cl_section **parents = calloc(c->n_sections + 1, sizeof *parents);
    size_t root_count = 0;
    if (!counts || !parents) {
        free(counts);
        free(parents);
        cl_diags_add(d, CL_ERROR, c->data_dir, 0, 0, "out of memory while ordering the sections (nothing is made)");
        return;
    }
    int top = 0; /* level of stack top */
    for (size_t i = 0; i < c->n_sections; i++) {
        cl_section *s = c->sections[i];
        s->index = i;
        int lvl = s->level;
        if (lvl > top + 1) {
            cl_diags_add(d, CL_ERROR, s->pos.file, s->pos.line, s->pos.col,
                         "section '%s' is at level %d but follows a level-%d heading (levels go down one step at a time)",
                         s->title ? s->title : "?", lvl, top);
            lvl = top + 1;
            s->level = lvl;
        }
        if (lvl > 7)
            lvl = s->level = 7;
        cl_section *parent = stack[lvl - 1];
        s->parent = parent == &c->root ? NULL : parent;
        parents[i] = parent;
        if (parent == &c->root)
            root_count++;
        else
            counts[parent->index]++;
        stack[lvl] = s;
        top = lvl;
    }
    c->root.children = CL_NEWN(c->arena, cl_section *, root_count + 1);
    for (size_t i = 0; i < c->n_sections; i++)
        c->sections[i]->children = CL_NEWN(c->arena, cl_section *, counts[i] + 1);
    for (size_t i = 0; i < c->n_sections; i++) {
        cl_section *p = parents[i];
        if (p->children)
            p->children[p->n_children++] = c->sections[i];
    }
    free(counts);
    free(parents);
}

cl_catalog *cl_catalog_load(const char *dir, const char *const *course_files,
                            size_t n_course_files, cl_diags *diags)
{
    return cl_catalog_load_opts(dir, course_files, n_course_files, NULL, diags);
}

const cl_text_pos *cl_catalog_text_pos(const cl_catalog *c, const char *text)
{
    for (size_t i = 0; text && i < c->n_texts; i++)
        if (c->texts[i].text == text)
            return &c->texts[i];
    return NULL;
}

cl_catalog *cl_catalog_load_opts(const char *dir, const char *const *course_files, size_t n_course_files,
                                 const cl_load_opts *opts, cl_diags *diags)
{
    unsigned long failures = cl_alloc_failures();
    cl_arena *a = cl_arena_new();
    if (!a)
        return NULL;
    cl_catalog *c = CL_NEW(a, cl_catalog);
    if (!c) {
        cl_arena_drop(a);
        return NULL;
    }
    c->arena = a;
    c->data_dir = cl_arena_strdup(a, dir);
    ld L = {a, diags, NULL, c, 0};
    bool ok;
    refs R = {0};

    if (!is_dir(dir)) {
        cl_diags_add(diags, CL_ERROR, dir, 0, 0,
                     "no such data folder (expected a folder with dossier.yaml, diplomas.yaml, resources/, sections/, courses/)");
        return c;
    }

    /* diplomas first: entries and courses refer to them */
    const char *p = cl_arena_printf(a, "%s/diplomas.yaml", dir);
    L.file = p;
    if (is_file(p))
        load_diplomas(&L, cl_yaml_load_file(a, p, diags, &ok));
    else
        cl_diags_add(diags, CL_ERROR, p, 0, 0, "missing file (the list of diplomas and modules)");

    p = cl_arena_printf(a, "%s/dossier.yaml", dir);
    L.file = p;
    if (is_file(p)) {
        cl_ynode *root = cl_yaml_load_file(a, p, diags, &ok);
        if (ok)
            load_dossier(&L, root);
    } else {
        cl_diags_add(diags, CL_ERROR, p, 0, 0, "missing file (the dossier's title, date, authors, introduction)");
    }

    size_t nf;
    size_t before = diags->errors;
    char **files = list_yaml(a, cl_arena_printf(a, "%s/resources", dir), &nf, diags);
    pvec res = {0};
    if (nf == 0 && diags->errors == before)
        cl_diags_add(diags, CL_ERROR, cl_arena_printf(a, "%s/resources", dir), 0, 0,
                     "no resource files (*.yaml) found");
    for (size_t i = 0; i < nf; i++) {
        L.file = files[i];
        cl_ynode *root = cl_yaml_load_file(a, files[i], diags, &ok);
        if (!ok || !root)
            continue;
        if (root->kind != CL_YSEQ) {
            ERR(&L, root, "a resources file must hold a list of resources, found %s", cl_ynode_kind_name(root));
            continue;
        }
        for (size_t j = 0; j < root->n; j++) {
            cl_resource *r = load_resource(&L, root->items[j]);
            if (r && r->id)
                pvec_push(&L, root->items[j], &res, r);
        }
    }
    c->n_resources = res.n;
    c->resources = (cl_resource **)pvec_finish(a, &res);
    if (c->resources) {
        qsort(c->resources, c->n_resources, sizeof *c->resources, cmp_res);
        size_t w = 0;
        for (size_t i = 0; i < c->n_resources; i++) {
            if (w > 0 && !strcmp(c->resources[w - 1]->id, c->resources[i]->id)) {
                cl_resource *first = c->resources[w - 1], *dup = c->resources[i];
                cl_diags_add(diags, CL_ERROR, dup->pos.file, dup->pos.line, dup->pos.col,
                             "duplicate resource id '%s' (first defined at %s:%d; ids must be unique)",
                             dup->id, first->pos.file, first->pos.line);
                continue;
            }
            c->resources[w++] = c->resources[i];
        }
        c->n_resources = w;
    } else {
        c->n_resources = 0;
    }

    /* authorities.yaml (optional): one heading for the bodies named in several ways */
    c->authorities_path = cl_arena_printf(a, "%s/authorities.yaml", dir);
    if (is_file(c->authorities_path)) {
        L.file = c->authorities_path;
        cl_ynode *root = cl_yaml_load_file(a, c->authorities_path, diags, &ok);
        if (ok)
            load_authorities(&L, root);
    }
    apply_authorities(c, diags, opts);

    /* addresses.yaml (optional): the addresses the transcription does not print */
    c->addresses_path = cl_arena_printf(a, "%s/addresses.yaml", dir);
    if (is_file(c->addresses_path)) {
        L.file = c->addresses_path;
        cl_ynode *root = cl_yaml_load_file(a, c->addresses_path, diags, &ok);
        if (ok)
            load_addresses(&L, root, opts);
    }

    before = diags->errors;
    files = list_yaml(a, cl_arena_printf(a, "%s/sections", dir), &nf, diags);
    pvec secs = {0};
    if (nf == 0 && diags->errors == before)
        cl_diags_add(diags, CL_ERROR, cl_arena_printf(a, "%s/sections", dir), 0, 0,
                     "no section files (*.yaml) found");
    for (size_t i = 0; i < nf; i++) {
        L.file = files[i];
        cl_ynode *root = cl_yaml_load_file(a, files[i], diags, &ok);
        if (!ok || !root)
            continue;
        if (root->kind != CL_YSEQ) {
            ERR(&L, root, "a sections file must hold a list of sections, found %s", cl_ynode_kind_name(root));
            continue;
        }
        for (size_t j = 0; j < root->n; j++)
            pvec_push(&L, root->items[j], &secs, load_section(&L, root->items[j], &R));
    }
    c->n_sections = secs.n;
    c->sections = (cl_section **)pvec_finish(a, &secs);
    if (!c->sections)
        c->n_sections = 0;
    build_tree(c, diags);

    /* courses: the folder's, then the extra files given on the command line */
    files = list_yaml(a, cl_arena_printf(a, "%s/courses", dir), &nf, diags);
    pvec courses = {0};
    for (size_t i = 0; i < nf + n_course_files; i++) {
        const char *f = i < nf ? files[i] : course_files[i - nf];
        /* each file once, even named again on the command line (and even when it could
         * not be read: its errors are said once) */
        bool seen = false;
        char rb[4096];
        bool resolved = realpath(f, rb) != NULL;
        for (size_t j = 0; j < i && !seen; j++) {
            const char *pa = j < nf ? files[j] : course_files[j - nf];
            char ra[4096];
            seen = !strcmp(pa, f) || (resolved && realpath(pa, ra) && !strcmp(ra, rb));
        }
        if (seen)
            continue;
        if (i >= nf && !resolved && names_a_course_id(f))
            continue; /* a course id, not a file: looked up once the folder's courses are read */
        L.file = cl_arena_strdup(a, f);
        cl_ynode *root = cl_yaml_load_file(a, f, diags, &ok);
        if (ok && (!root || cl_ynode_is_null(root))) /* check says so, as build and preview would */
            cl_diags_add(diags, CL_ERROR, L.file, 0, 0,
                         "empty course file (accepted: a course with id, title, diploma, module, school_year and "
                         "resources; see docs/data-format.md)");
        if (!ok || !root || cl_ynode_is_null(root))
            continue;
        cl_course *co = load_course(&L, root, &R);
        if (co && co->id)
            for (size_t j = 0; j < courses.n; j++)
                if (((cl_course *)courses.v[j])->id && !strcmp(((cl_course *)courses.v[j])->id, co->id))
                    ERR(&L, map_get(root, "id"), "duplicate course id '%s' (also in %s)", co->id,
                        ((cl_course *)courses.v[j])->path);
        pvec_push(&L, root, &courses, co);
    }
    c->n_courses = courses.n;
    c->courses = (cl_course **)pvec_finish(a, &courses);
    if (!c->courses)
        c->n_courses = 0;
    /* the course ids named instead of files must name a course */
    for (size_t i = 0; i < n_course_files; i++) {
        const char *f = course_files[i];
        char rb[4096];
        if (realpath(f, rb) || !names_a_course_id(f))
            continue;
        const char *ids[512];
        size_t n_ids = 0;
        bool found = false;
        cl_buf list = {0};
        for (size_t j = 0; j < c->n_courses; j++) {
            const char *id = c->courses[j]->id;
            if (!id)
                continue;
            found = found || !strcmp(id, f);
            if (n_ids < 512)
                ids[n_ids++] = id;
            cl_buf_printf(&list, "%s%s", list.len ? ", " : "", id);
        }
        if (found) {
            cl_buf_free(&list);
            continue;
        }
        const char *near = closest(f, ids, n_ids);
        const char *known = list.len ? cl_buf_str(&list) : _("none yet");
        if (near)
            cl_diags_add(diags, CL_ERROR, f, 0, 0,
                         "no course file or course id '%s'; did you mean '%s'? (accepted: a course file, or the id of "
                         "a course of %s/courses: %s)",
                         f, near, dir, known);
        else
            cl_diags_add(diags, CL_ERROR, f, 0, 0,
                         "no course file or course id '%s' (accepted: a course file, or the id of a course of "
                         "%s/courses: %s)",
                         f, dir, known);
        cl_buf_free(&list);
    }

    /* resolve references to resources */
    const char **ids = calloc(c->n_resources + 1, sizeof *ids);
    for (size_t i = 0; ids && i < c->n_resources; i++)
        ids[i] = c->resources[i]->id;
    for (size_t i = 0; i < R.n; i++) {
        pending_ref *r = &R.v[i];
        cl_resource *found = cl_catalog_resource(c, r->id);
        *r->slot = found;
        if (!found) {
            const char *near = ids ? closest(r->id, ids, c->n_resources) : NULL;
            if (near)
                cl_diags_add(diags, CL_ERROR, r->file, r->line, r->col,
                             "unknown resource '%s'; did you mean '%s'? (accepted: an id defined in resources/*.yaml)",
                             r->id, near);
            else
                cl_diags_add(diags, CL_ERROR, r->file, r->line, r->col,
                             "unknown resource '%s' (accepted: an id defined in resources/*.yaml)", r->id);
        }
    }
    free(ids);
    for (size_t i = 0; i < c->n_courses; i++)
        for (size_t j = 0; j < c->courses[i]->n_items; j++) {
            const cl_selection *s = &c->courses[i]->items[j];
            if (s->resource && s->resource->unidentified)
                cl_diags_add(diags, CL_ERROR, s->pos.file, s->pos.line, s->pos.col,
                             "resource '%s' is not identified by the source (no reference to print): a course cannot select it",
                             s->id);
        }
    free(R.v);

    /* appearance counts and first-appearance order */
    size_t order = 1;
    for (size_t i = 0; i < c->n_sections; i++)
        for (size_t j = 0; j < c->sections[i]->n_entries; j++) {
            cl_resource *r = c->sections[i]->entries[j].resource;
            if (r && r->n_entries++ == 0)
                r->order = order++;
        }

    /* one warning line for resources without an address, one for unused ones */
    cl_buf b = {0};
    size_t missing = 0, unused = 0, identified = 0;
    for (size_t i = 0; i < c->n_resources; i++) {
        if (c->resources[i]->unidentified)
            continue;
        identified++;
        if (!c->resources[i]->url) {
            if (missing < 5)
                cl_buf_printf(&b, "%s%s", missing ? ", " : "", c->resources[i]->id);
            missing++;
        }
    }
    if (missing)
        cl_diags_add(diags, CL_WARNING, c->addresses_path, 0, 0,
                     "%zu of %zu resources have no address yet (no QR code): %s%s; add them to this file (docs/addresses.md)",
                     missing, identified, cl_buf_str(&b),
                     missing > 5 ? cl_arena_printf(a, _(" and %zu more ('classeur list' shows which)"), missing - 5) : "");
    cl_buf_clear(&b);
    for (size_t i = 0; i < c->n_resources; i++)
        if (!c->resources[i]->n_entries) {
            cl_buf_printf(&b, "%s%s", unused ? ", " : "", c->resources[i]->id);
            unused++;
        }
    if (unused)
        cl_diags_add(diags, CL_WARNING, cl_arena_printf(a, "%s/resources", dir), 0, 0,
                     "%zu resources appear in no section: %s", unused, cl_buf_str(&b));
    if (b.failed || cl_arena_failed(a) || cl_alloc_failures() != failures)
        cl_diags_add(diags, CL_ERROR, dir, 0, 0, "out of memory while reading the data: some of it could not be kept "
                                                 "(nothing is made from it)");
    cl_buf_free(&b);
    return c;
}
