/* buf.c: growable byte buffer (see buf.h). */
#include "buf.h"
#include "arena.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool grow(cl_buf *b, size_t extra)
{
    if (b->failed)
        return false;
    if (b->len + extra + 1 <= b->cap)
        return true;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->len + extra + 1)
        cap *= 2;
    char *p = realloc(b->data, cap);
    if (!p) {
        b->failed = true;
        cl_alloc_failed();
        return false;
    }
    b->data = p;
    b->cap = cap;
    return true;
}

void cl_buf_put(cl_buf *b, const void *s, size_t n)
{
    if (n == 0) /* nothing to copy (s may then be NULL: an empty buffer's data) */
        return;
    if ((b->len + n + 1 > b->cap || b->failed) && !grow(b, n))
        return;
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = 0;
}

void cl_buf_puts(cl_buf *b, const char *s) { cl_buf_put(b, s, strlen(s)); }

void cl_buf_printf(cl_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || !grow(b, (size_t)n))
        return;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

void cl_buf_json_str(cl_buf *b, const char *s)
{
    cl_buf_putc(b, '"');
    for (const unsigned char *p = (const unsigned char *)s; p && *p; p++) {
        switch (*p) {
        case '"': cl_buf_puts(b, "\\\""); break;
        case '\\': cl_buf_puts(b, "\\\\"); break;
        case '\n': cl_buf_puts(b, "\\n"); break;
        case '\t': cl_buf_puts(b, "\\t"); break;
        case '\r': cl_buf_puts(b, "\\r"); break;
        default:
            if (*p < 0x20)
                cl_buf_printf(b, "\\u%04x", *p);
            else
                cl_buf_putc(b, (char)*p);
        }
    }
    cl_buf_putc(b, '"');
}

void cl_buf_clear(cl_buf *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = 0;
}

void cl_buf_truncate(cl_buf *b, size_t len)
{
    if (len < b->len) {
        b->len = len;
        b->data[len] = 0;
    }
}

void cl_buf_free(cl_buf *b)
{
    free(b->data);
    *b = (cl_buf){0};
}

const char *cl_buf_str(const cl_buf *b) { return b->data ? b->data : ""; }

void cl_buf_fixed(cl_buf *b, double v, int decimals)
{
    static const double scale[] = {1, 10, 100, 1000, 10000, 100000, 1000000};
    if (decimals < 0)
        decimals = 0;
    if (decimals > 6)
        decimals = 6;
    if (!(v > -1e12 && v < 1e12))
        v = 0;
    bool neg = v < 0;
    unsigned long long u = (unsigned long long)((neg ? -v : v) * scale[decimals] + 0.5);
    char tmp[48];
    int i = (int)sizeof tmp;
    for (int d = 0; d < decimals; d++) {
        tmp[--i] = (char)('0' + u % 10);
        u /= 10;
    }
    if (decimals)
        tmp[--i] = '.';
    do {
        tmp[--i] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    bool zero = true;
    for (int k = i; k < (int)sizeof tmp; k++)
        if (tmp[k] != '0' && tmp[k] != '.')
            zero = false;
    if (neg && !zero)
        tmp[--i] = '-';
    cl_buf_put(b, tmp + i, sizeof tmp - (size_t)i);
}
