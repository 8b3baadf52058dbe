/* collate.c: French sort keys with ICU (see collate.h). */
#include "collate.h"
#include <stdlib.h>
#include <string.h>
#include <unicode/ucol.h>
#include <unicode/ustring.h>

struct cl_collator {
    UCollator *ucol;
};

cl_collator *cl_collator_new(cl_err *err)
{
    UErrorCode st = U_ZERO_ERROR;
    UCollator *u = ucol_open("fr", &st);
    if (U_FAILURE(st) || !u) {
        cl_err_set(err, CL_E_IO, "cannot open ICU's French collator (%s; is libicu installed?)", u_errorName(st));
        return NULL;
    }
    cl_collator *c = malloc(sizeof *c);
    if (!c) {
        ucol_close(u);
        cl_err_set(err, CL_E_NOMEM, "out of memory");
        return NULL;
    }
    c->ucol = u;
    return c;
}

void cl_collator_drop(cl_collator *c)
{
    if (!c)
        return;
    ucol_close(c->ucol);
    free(c);
}

const char *cl_collate_skip_article(const char *s)
{
    static const char *const articles[] = {"Le ", "La ", "Les ", "L'", "L\xE2\x80\x99", "Un ", "Une ",
                                           "le ", "la ", "les ", "l'", "l\xE2\x80\x99", NULL};
    for (size_t k = 0; articles[k]; k++) {
        size_t l = strlen(articles[k]);
        if (!strncmp(s, articles[k], l) && s[l])
            return s + l;
    }
    return s;
}

const char *cl_collate_key(cl_collator *c, cl_arena *a, const char *s)
{
    s = cl_collate_skip_article(s);
    int32_t n16 = 0;
    UErrorCode st = U_ZERO_ERROR;
    u_strFromUTF8(NULL, 0, &n16, s, -1, &st); /* the length first */
    st = U_ZERO_ERROR;
    UChar stackbuf[256];
    UChar *u16 = n16 < 256 ? stackbuf : malloc(((size_t)n16 + 1) * sizeof(UChar));
    if (!u16)
        return NULL;
    u_strFromUTF8(u16, n16 + 1, NULL, s, -1, &st);
    const char *out = NULL;
    if (!U_FAILURE(st)) {
        int32_t len = ucol_getSortKey(c->ucol, u16, n16, NULL, 0);
        uint8_t *key = len > 0 ? cl_arena_alloc(a, (size_t)len + 1) : NULL;
        if (key && ucol_getSortKey(c->ucol, u16, n16, key, len + 1) > 0)
            out = (const char *)key; /* ends with a 0 byte, no 0 inside */
    }
    if (u16 != stackbuf)
        free(u16);
    return out;
}
