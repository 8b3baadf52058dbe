/* hyph.c: libhyphen wrapper (see hyph.h). libhyphen works on bytes of the dictionary's
 * encoding (UTF-8 for hyph_fr.dic) and needs lowercase input. The points of each word
 * are kept in a hash table: a document is composed in two passes and its words recur,
 * so libhyphen sees each word once per run. */
#include "hyph.h"
#include "../util/utf8.h"
#include <hyphen.h>
#include <stdlib.h>
#include <string.h>

#define MAX_POINTS 16

/* One word seen, and its points. */
typedef struct seen {
    char *word;            /* heap; NULL: empty slot */
    size_t len;
    uint8_t n;
    uint8_t points[MAX_POINTS];
} seen;

struct cl_hyph {
    HyphenDict *dict;
    seen *table;           /* open addressing; grows at half full */
    size_t n, cap;
};

cl_hyph *cl_hyph_load(const char *path, cl_err *err)
{
    const char *paths[] = {path, "/usr/share/hyphen/hyph_fr.dic", "/usr/share/hyphen/hyph_fr_FR.dic", NULL};
    for (int i = 0; i < 4; i++) {
        if (!paths[i] && i == 0)
            continue;
        if (!paths[i])
            break;
        HyphenDict *d = hnj_hyphen_load(paths[i]);
        if (d) {
            cl_hyph *h = malloc(sizeof *h);
            if (!h) {
                hnj_hyphen_free(d);
                cl_err_set(err, CL_E_NOMEM, "out of memory loading the French hyphenation patterns");
                return NULL;
            }
            h->dict = d;
            h->table = NULL;
            h->n = h->cap = 0;
            return h;
        }
    }
    cl_err_set(err, CL_E_IO,
               "cannot load French hyphenation patterns (/usr/share/hyphen/hyph_fr.dic from the hyphen-fr package; "
               "run scripts/deps.sh)");
    return NULL;
}

void cl_hyph_drop(cl_hyph *h)
{
    if (h) {
        hnj_hyphen_free(h->dict);
        for (size_t i = 0; i < h->cap; i++)
            free(h->table[i].word);
        free(h->table);
        free(h);
    }
}

/* Lowercase for the Latin letters French uses. Returns 0 for a non-letter. */
static uint32_t lower_letter(uint32_t c, bool *upper)
{
    *upper = false;
    if (c >= 'a' && c <= 'z')
        return c;
    if (c >= 'A' && c <= 'Z') {
        *upper = true;
        return c + 32;
    }
    if (c >= 0xE0 && c <= 0xFF && c != 0xF7)
        return c;
    if (c >= 0xC0 && c <= 0xDE && c != 0xD7) {
        *upper = true;
        return c + 32;
    }
    if (c == 0x153 || c == 0xE6)
        return c;
    if (c == 0x152) {
        *upper = true;
        return 0x153;
    }
    return 0;
}

static uint64_t hash_bytes(const char *s, size_t n)
{
    uint64_t x = 1469598103934665603ull;
    for (size_t i = 0; i < n; i++)
        x = (x ^ (unsigned char)s[i]) * 1099511628211ull;
    return x;
}

static size_t compute_points(const cl_hyph *h, const char *w, size_t n, size_t *out, size_t cap);

size_t cl_hyph_points(const cl_hyph *ch, const char *w, size_t n, size_t *out, size_t cap)
{
    if (!ch || n == 0 || n > 120)
        return 0;
    cl_hyph *h = (cl_hyph *)ch; /* the table is a cache: the answers never change */
    if (2 * (h->n + 1) > h->cap) {
        size_t ncap = h->cap ? h->cap * 2 : 4096;
        seen *nt = calloc(ncap, sizeof *nt);
        if (nt) {
            for (size_t i = 0; i < h->cap; i++) {
                if (!h->table[i].word)
                    continue;
                size_t k = (size_t)(hash_bytes(h->table[i].word, h->table[i].len) & (ncap - 1));
                while (nt[k].word)
                    k = (k + 1) & (ncap - 1);
                nt[k] = h->table[i];
            }
            free(h->table);
            h->table = nt;
            h->cap = ncap;
        }
    }
    if (!h->cap || 2 * (h->n + 1) > h->cap) /* no memory for the cache: compute */
        return compute_points(h, w, n, out, cap);
    size_t k = (size_t)(hash_bytes(w, n) & (h->cap - 1));
    while (h->table[k].word && !(h->table[k].len == n && !memcmp(h->table[k].word, w, n)))
        k = (k + 1) & (h->cap - 1);
    seen *e = &h->table[k];
    if (!e->word) {
        size_t pts[MAX_POINTS];
        size_t np = compute_points(h, w, n, pts, MAX_POINTS);
        char *copy = malloc(n);
        if (!copy) {
            for (size_t i = 0; i < np && i < cap; i++)
                out[i] = pts[i];
            return np < cap ? np : cap;
        }
        memcpy(copy, w, n);
        e->word = copy;
        e->len = n;
        e->n = (uint8_t)np;
        for (size_t i = 0; i < np; i++)
            e->points[i] = (uint8_t)pts[i];
        h->n++;
    }
    size_t m = e->n < cap ? e->n : cap;
    for (size_t i = 0; i < m; i++)
        out[i] = e->points[i];
    return m;
}

static size_t compute_points(const cl_hyph *h, const char *w, size_t n, size_t *out, size_t cap)
{
    char low[512];
    size_t lowlen = 0, letters = 0, uppers = 0;
    size_t offs[130]; /* byte offset in w of each letter */
    for (size_t i = 0; i < n;) {
        uint32_t c;
        size_t l = cl_utf8_decode(w + i, n - i, &c);
        bool up;
        uint32_t lc = l ? lower_letter(c, &up) : 0;
        if (!lc)
            return 0; /* digits, punctuation, symbols: do not hyphenate */
        if (letters >= 128)
            return 0;
        uppers += up;
        offs[letters++] = i;
        lowlen += cl_utf8_encode(lc, low + lowlen);
        i += l;
    }
    if (letters < 5 || uppers > 1)
        return 0; /* short words, capitals and acronyms stay whole */
    low[lowlen] = 0;
    char hy[520];
    char **rep = NULL;
    int *pos = NULL, *cut = NULL;
    if (hnj_hyphen_hyphenate3(h->dict, low, (int)lowlen, hy, NULL, &rep, &pos, &cut, 2, 3, 2, 3)) {
        return 0;
    }
    size_t k = 0;
    /* with a UTF-8 dictionary libhyphen indexes hy by character: hy[i] odd means a
     * break after letter i (0-based) */
    for (size_t i = 0; i + 1 < letters; i++) {
        size_t before = i + 1, after = letters - before;
        if ((hy[i] & 1) && !rep && before >= 2 && after >= 3 && k < cap)
            out[k++] = offs[before];
    }
    if (rep) {
        for (size_t j = 0; j < lowlen; j++)
            free(rep[j]);
        free(rep);
        free(pos);
        free(cut);
    }
    return k;
}
