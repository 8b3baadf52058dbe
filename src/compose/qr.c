/* qr.c: address → QR matrix with libqrencode (see qr.h). */
#include "qr.h"
#include "../util/buf.h"
#include <qrencode.h>
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
