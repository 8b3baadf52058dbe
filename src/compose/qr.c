/* qr.c: address → QR matrix with libqrencode (see qr.h). */
#include "qr.h"
#include "../util/buf.h"
#include "../util/thread.h"
#include <errno.h>
#include <pthread.h>
#include <qrencode.h>
#include <stdlib.h>
#include <string.h>

bool cl_qr_linkable(const char *url)
{
    return url && (!strncmp(url, "https://", 8) || !strncmp(url, "http://", 7));
}

/* url with its non-ASCII bytes, spaces and controls percent-encoded, appended to b. */
static void percent_encode(cl_buf *b, const char *url)
{
    for (const unsigned char *p = (const unsigned char *)url; *p; p++) {
        if (*p >= 0x80 || *p <= 0x20 || *p == 0x7F)
            cl_buf_printf(b, "%%%02X", *p);
        else
            cl_buf_putc(b, (char)*p);
    }
}

size_t cl_qr_encoded_length(const char *url)
{
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)url; *p; p++)
        n += *p >= 0x80 || *p <= 0x20 || *p == 0x7F ? 3 : 1;
    return n;
}

char *cl_qr_percent_encode(cl_arena *a, const char *url)
{
    cl_buf b = {0};
    percent_encode(&b, url);
    char *out = b.failed ? NULL : cl_arena_strndup(a, cl_buf_str(&b), b.len);
    cl_buf_free(&b);
    return out;
}

/* The symbol of url, percent-encoded (heap, QRcode_free), or NULL with errno set:
 * ERANGE when too long, ENOMEM when memory ran out. */
static QRcode *encode(const char *enc)
{
    errno = 0;
    QRcode *q = QRcode_encodeData((int)strlen(enc), (const unsigned char *)enc, 0, QR_ECLEVEL_M);
    if (!q && errno != ENOMEM)
        errno = ERANGE;
    return q;
}

/* Why encode() gave no symbol, into err. */
static void encode_failed(cl_err *err, const char *enc, const char *url)
{
    if (errno == ENOMEM)
        cl_err_set(err, CL_E_NOMEM, "out of memory making the QR code of %s", url);
    else
        cl_err_set(err, CL_E_DATA, "address too long for a QR code (%zu bytes, at most %d): %s", strlen(enc),
                   CL_QR_MAX_BYTES, url);
}

/* Copy symbol q of the (percent-encoded) address enc into arena a. */
static const cl_qr *keep(cl_arena *a, const QRcode *q, const char *enc)
{
    cl_qr *out = CL_NEW(a, cl_qr);
    uint8_t *m = out ? CL_NEWN(a, uint8_t, (size_t)q->width * (size_t)q->width) : NULL;
    const char *t = m ? cl_arena_strdup(a, enc) : NULL;
    if (!t)
        return NULL;
    for (int i = 0; i < q->width * q->width; i++)
        m[i] = q->data[i] & 1;
    out->width = q->width;
    out->modules = m;
    out->text = t;
    return out;
}

const cl_qr *cl_qr_make(cl_arena *a, const char *url, cl_err *err)
{
    char *enc = cl_qr_percent_encode(a, url);
    if (!enc) {
        cl_err_set(err, CL_E_NOMEM, "out of memory");
        return NULL;
    }
    QRcode *q = encode(enc);
    if (!q) {
        encode_failed(err, enc, url);
        return NULL;
    }
    const cl_qr *out = keep(a, q, enc);
    QRcode_free(q);
    if (!out)
        cl_err_set(err, CL_E_NOMEM, "out of memory");
    return out;
}

/* ---- the cache: a hash table of addresses, filled ahead by a thread ---------------- */

struct cl_qr_cache {
    pthread_mutex_t lock;  /* the table and the arena are shared with the prefetch thread */
    cl_arena *a;           /* the matrices and the addresses */
    const char **urls;
    const cl_qr **codes;
    size_t n, cap;         /* cap: a power of two, at most half full */
    pthread_t thread;
    bool running;
    const char *const *todo; /* the prefetch's addresses (the caller's) */
    size_t n_todo;
};

cl_qr_cache *cl_qr_cache_new(void)
{
    cl_qr_cache *c = calloc(1, sizeof *c);
    if (c && !(c->a = cl_arena_new())) {
        free(c);
        return NULL;
    }
    if (c)
        pthread_mutex_init(&c->lock, NULL);
    return c;
}

void cl_qr_cache_drop(cl_qr_cache *c)
{
    if (!c)
        return;
    if (c->running)
        pthread_join(c->thread, NULL);
    pthread_mutex_destroy(&c->lock);
    cl_arena_drop(c->a);
    free(c->urls);
    free(c->codes);
    free(c);
}

static size_t slot_of(const char *const *urls, size_t cap, const char *url)
{
    uint64_t h = 1469598103934665603ull;
    for (const char *p = url; *p; p++)
        h = (h ^ (unsigned char)*p) * 1099511628211ull;
    size_t k = (size_t)(h & (cap - 1));
    while (urls[k] && strcmp(urls[k], url))
        k = (k + 1) & (cap - 1);
    return k;
}

/* With the lock held: url's code, or NULL. */
static const cl_qr *find(const cl_qr_cache *c, const char *url)
{
    if (!c->cap)
        return NULL;
    size_t k = slot_of(c->urls, c->cap, url);
    return c->urls[k] ? c->codes[k] : NULL;
}

/* With the lock held: add url's code (made from q). false when out of memory. */
static const cl_qr *add(cl_qr_cache *c, const char *url, const QRcode *q, const char *enc)
{
    if (2 * (c->n + 1) > c->cap) {
        size_t ncap = c->cap ? c->cap * 2 : 64;
        const char **nu = calloc(ncap, sizeof *nu);
        const cl_qr **nc = calloc(ncap, sizeof *nc);
        if (!nu || !nc) {
            free(nu);
            free(nc);
            return NULL;
        }
        for (size_t i = 0; i < c->cap; i++)
            if (c->urls[i]) {
                size_t k = slot_of(nu, ncap, c->urls[i]);
                nu[k] = c->urls[i];
                nc[k] = c->codes[i];
            }
        free(c->urls);
        free(c->codes);
        c->urls = nu;
        c->codes = nc;
        c->cap = ncap;
    }
    size_t k = slot_of(c->urls, c->cap, url);
    if (c->urls[k])
        return c->codes[k]; /* made meanwhile by the other thread */
    const cl_qr *code = keep(c->a, q, enc);
    const char *u = code ? cl_arena_strdup(c->a, url) : NULL;
    if (!u)
        return NULL;
    c->urls[k] = u;
    c->codes[k] = code;
    c->n++;
    return code;
}

/* Make url's code and add it (both threads); NULL and err set on failure. */
static const cl_qr *make_and_add(cl_qr_cache *c, const char *url, cl_err *err)
{
    cl_buf b = {0};
    percent_encode(&b, url);
    if (b.failed) {
        cl_buf_free(&b);
        cl_err_set(err, CL_E_NOMEM, "out of memory");
        return NULL;
    }
    const char *enc = cl_buf_str(&b);
    QRcode *q = encode(enc); /* the long part, outside the lock */
    if (!q) {
        encode_failed(err, enc, url);
        cl_buf_free(&b);
        return NULL;
    }
    pthread_mutex_lock(&c->lock);
    const cl_qr *code = add(c, url, q, enc);
    pthread_mutex_unlock(&c->lock);
    QRcode_free(q);
    cl_buf_free(&b);
    if (!code)
        cl_err_set(err, CL_E_NOMEM, "out of memory");
    return code;
}

static void *prefetch(void *arg)
{
    cl_qr_cache *c = arg;
    /* from the last address back: the composition asks for them from the first on, so
     * the two threads meet once instead of making the same codes side by side */
    for (size_t i = c->n_todo; i-- > 0;) {
        pthread_mutex_lock(&c->lock);
        bool have = find(c, c->todo[i]) != NULL;
        pthread_mutex_unlock(&c->lock);
        cl_err ignored = {0}; /* an address that cannot be encoded is reported by the composition */
        if (!have)
            make_and_add(c, c->todo[i], &ignored);
        else
            break; /* the composition has come this far: it makes the rest */
    }
    return NULL;
}

void cl_qr_cache_prefetch(cl_qr_cache *c, const char *const *urls, size_t n)
{
    if (c->running || !n)
        return;
    c->todo = urls;
    c->n_todo = n;
    if (cl_thread_start(&c->thread, prefetch, c))
        c->running = true;
}

const cl_qr *cl_qr_cached(cl_qr_cache *c, const char *url, cl_err *err)
{
    pthread_mutex_lock(&c->lock);
    const cl_qr *code = find(c, url);
    pthread_mutex_unlock(&c->lock);
    return code ? code : make_and_add(c, url, err);
}
