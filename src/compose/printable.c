/* printable.c: the data's characters against the fonts, its addresses against the QR
 * capacity (see printable.h). */
#include "printable.h"
#include "qr.h"
#include "../util/buf.h"
#include "../util/utf8.h"
#include "../util/i18n.h"
#include <string.h>

bool cl_printable_char(cl_fonts *fonts, uint32_t cp)
{
    if (cp == '\n' || cp == '\t' || cl_fonts_has(fonts, CL_FACE_FALLBACK, cp))
        return true;
    for (int f = 0; f < CL_FACE_FALLBACK; f++)
        if (!cl_fonts_has(fonts, (cl_face)f, cp))
            return false;
    return true;
}

/* The characters of text no font has, described into b ("U+1F9EC '🧬' (DNA DOUBLE
 * HELIX), …", each once, at most four). Returns how many distinct ones there are. */
static size_t unprintable(cl_fonts *fonts, const char *text, cl_buf *b)
{
    uint32_t seen[4];
    size_t n = 0, len = strlen(text);
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        size_t l = cl_utf8_decode(text + i, len - i, &cp);
        i += l ? l : 1;
        if (cl_printable_char(fonts, cp))
            continue;
        bool again = false;
        for (size_t k = 0; k < n && k < 4; k++)
            again = again || seen[k] == cp;
        if (again)
            continue;
        if (n < 4) {
            char d[192];
            cl_buf_printf(b, "%s%s", n ? ", " : "", cl_utf8_describe(cp, d, sizeof d));
            seen[n] = cp;
        }
        n++;
    }
    return n;
}

bool cl_printable_text(cl_fonts *fonts, const char *text)
{
    size_t len = strlen(text);
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        size_t l = cl_utf8_decode(text + i, len - i, &cp);
        i += l ? l : 1;
        if (!cl_printable_char(fonts, cp))
            return false;
    }
    return true;
}

static void check_address(const char *url, const cl_srcpos *pos, cl_diags *d)
{
    if (!cl_qr_linkable(url))
        return;
    size_t bytes = cl_qr_encoded_length(url);
    if (bytes > CL_QR_MAX_BYTES)
        cl_diags_add(d, CL_WARNING, pos->file, pos->line, pos->col,
                     "address of %zu bytes, too long for a QR code (at most %d): it is printed without a code",
                     bytes, CL_QR_MAX_BYTES);
}

void cl_check_printable(const cl_catalog *cat, cl_fonts *fonts, cl_diags *d)
{
    for (size_t i = 0; i < cat->n_texts; i++) {
        const cl_text_pos *t = &cat->texts[i];
        cl_buf b = {0};
        size_t n = unprintable(fonts, t->text, &b);
        if (n)
            cl_diags_add(d, CL_ERROR, t->pos.file, t->pos.line, t->pos.col,
                         "'%s' of %s holds %s%s, which no font of Classeur has (accepted: the characters of "
                         "Liberation Serif and Sans, or of DejaVu Sans; write it out or replace it)",
                         t->key, t->what, cl_buf_str(&b), n > 4 ? _(" and more") : "");
        cl_buf_free(&b);
    }
    for (size_t i = 0; i < cat->n_resources; i++) {
        const cl_resource *r = cat->resources[i];
        if (r->url)
            check_address(r->url, &r->url_pos, d);
        for (size_t k = 0; k < r->n_links; k++)
            if (r->links[k].url)
                check_address(r->links[k].url, &r->links[k].url_pos, d);
    }
}
