/* buf.h: a growable byte buffer (heap, not arena) for building strings and files.
 * Errors are sticky: after a failed allocation every later append is ignored and
 * cl_buf_failed() reports it once at the end. */
#ifndef CL_BUF_H
#define CL_BUF_H
#include <stdbool.h>
#include <stddef.h>

typedef struct cl_buf {
    char *data;   /* NUL-terminated contents (NULL while empty) */
    size_t len;   /* bytes used, without the NUL */
    size_t cap;   /* bytes allocated */
    bool failed;  /* an allocation failed: contents incomplete */
} cl_buf;

void cl_buf_put(cl_buf *b, const void *s, size_t n);
void cl_buf_puts(cl_buf *b, const char *s);
/* Append one byte (inline: the text of pages is written a byte at a time). */
static inline void cl_buf_putc(cl_buf *b, char c)
{
    if (b->len + 2 <= b->cap && !b->failed) {
        b->data[b->len++] = c;
        b->data[b->len] = 0;
    } else {
        cl_buf_put(b, &c, 1);
    }
}
void cl_buf_printf(cl_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Append v with exactly `decimals` (0 to 6) digits after the point, rounded half away
 * from zero, without printf and never as "-0" ("-0.00" comes out "0.00"); 1e12 and
 * beyond, NaN and infinities come out as 0. For the numbers of traces and PDF content. */
void cl_buf_fixed(cl_buf *b, double v, int decimals);
/* Append s as a JSON string literal with quotes and escapes. */
void cl_buf_json_str(cl_buf *b, const char *s);
/* Empty the buffer, keeping its memory. */
void cl_buf_clear(cl_buf *b);
/* Keep the first len bytes (nothing when len is not shorter). */
void cl_buf_truncate(cl_buf *b, size_t len);
/* Free the memory. The buffer can be reused afterwards. */
void cl_buf_free(cl_buf *b);
/* Contents as a C string ("" when empty). Borrowed. */
const char *cl_buf_str(const cl_buf *b);
#endif
