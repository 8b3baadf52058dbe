/* hyph.c: libhyphen wrapper (see hyph.h). libhyphen works on bytes of the dictionary's
 * encoding (UTF-8 for hyph_fr.dic) and needs lowercase input. */
#include "hyph.h"
#include "../util/utf8.h"
#include <hyphen.h>
#include <stdlib.h>
#include <string.h>

struct cl_hyph {
    HyphenDict *dict;
};

cl_hyph *cl_hyph_load(const char *path)
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
                return NULL;
            }
            h->dict = d;
            return h;
        }
    }
    return NULL;
}

void cl_hyph_drop(cl_hyph *h)
{
    if (h) {
        hnj_hyphen_free(h->dict);
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

size_t cl_hyph_points(const cl_hyph *h, const char *w, size_t n, size_t *out, size_t cap)
{
    if (!h || n == 0 || n > 120)
        return 0;
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
