/* qr.c: address → QR matrix with libqrencode (see qr.h). */
#include "qr.h"
#include "../util/buf.h"
#include <qrencode.h>
#include <stdlib.h>
#include <string.h>

bool cl_qr_linkable(const char *url)
{
    return url && (!strncmp(url, "https://", 8) || !strncmp(url, "http://", 7));
}

char *cl_qr_percent_encode(cl_arena *a, const char *url)
{
    cl_buf b = {0};
    for (const unsigned char *p = (const unsigned char *)url; *p; p++) {
        if (*p >= 0x80 || *p <= 0x20 || *p == 0x7F)
            cl_buf_printf(&b, "%%%02X", *p);
        else
            cl_buf_putc(&b, (char)*p);
    }
    char *out = cl_arena_strndup(a, cl_buf_str(&b), b.len);
    cl_buf_free(&b);
    return out;
}

const cl_qr *cl_qr_make(cl_arena *a, const char *url, cl_err *err)
{
    char *enc = cl_qr_percent_encode(a, url);
    if (!enc) {
        cl_err_set(err, CL_E_NOMEM, "out of memory");
        return NULL;
    }
    QRcode *q = QRcode_encodeData((int)strlen(enc), (const unsigned char *)enc, 0, QR_ECLEVEL_M);
    if (!q) {
        cl_err_set(err, CL_E_DATA, "address too long for a QR code (%zu bytes): %s", strlen(enc), url);
        return NULL;
    }
    cl_qr *out = CL_NEW(a, cl_qr);
    uint8_t *m = CL_NEWN(a, uint8_t, (size_t)q->width * (size_t)q->width);
    if (!out || !m) {
        QRcode_free(q);
        cl_err_set(err, CL_E_NOMEM, "out of memory");
        return NULL;
    }
    for (int i = 0; i < q->width * q->width; i++)
        m[i] = q->data[i] & 1;
    out->width = q->width;
    out->modules = m;
    out->text = enc;
    QRcode_free(q);
    return out;
}

/* ---- the cache: a hash table of addresses ------------------------------------------- */

struct cl_qr_cache {
    cl_arena *a;           /* the matrices and the addresses */
    const char **urls;
    const cl_qr **codes;
    size_t n, cap;         /* cap: a power of two, at most half full */
};

cl_qr_cache *cl_qr_cache_new(void)
{
    cl_qr_cache *c = calloc(1, sizeof *c);
    if (c && !(c->a = cl_arena_new())) {
        free(c);
        c = NULL;
    }
    return c;
}

void cl_qr_cache_drop(cl_qr_cache *c)
{
    if (!c)
        return;
    cl_arena_drop(c->a);
    free(c->urls);
    free(c->codes);
    free(c);
}

static size_t slot_of(const cl_qr_cache *c, const char *url)
{
    uint64_t h = 1469598103934665603ull;
    for (const char *p = url; *p; p++)
        h = (h ^ (unsigned char)*p) * 1099511628211ull;
    size_t k = (size_t)(h & (c->cap - 1));
    while (c->urls[k] && strcmp(c->urls[k], url))
        k = (k + 1) & (c->cap - 1);
    return k;
}

const cl_qr *cl_qr_cached(cl_qr_cache *c, const char *url, cl_err *err)
{
    if (2 * (c->n + 1) > c->cap) {
        size_t ncap = c->cap ? c->cap * 2 : 64;
        cl_qr_cache grown = {c->a, calloc(ncap, sizeof(char *)), calloc(ncap, sizeof(cl_qr *)), c->n, ncap};
        if (!grown.urls || !grown.codes) {
            free(grown.urls);
            free(grown.codes);
            cl_err_set(err, CL_E_NOMEM, "out of memory");
            return NULL;
        }
        for (size_t i = 0; i < c->cap; i++)
            if (c->urls[i]) {
                size_t k = slot_of(&grown, c->urls[i]);
                grown.urls[k] = c->urls[i];
                grown.codes[k] = c->codes[i];
            }
        free(c->urls);
        free(c->codes);
        *c = grown;
    }
    size_t k = slot_of(c, url);
    if (!c->urls[k]) {
        const cl_qr *q = cl_qr_make(c->a, url, err);
        const char *u = q ? cl_arena_strdup(c->a, url) : NULL;
        if (!u) {
            if (q)
                cl_err_set(err, CL_E_NOMEM, "out of memory");
            return NULL;
        }
        c->urls[k] = u;
        c->codes[k] = q;
        c->n++;
    }
    return c->codes[k];
}
