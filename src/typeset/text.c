/* text.c: French spacing normalisation and inline markup (see text.h). */
#include "text.h"
#include "../util/buf.h"
#include "../util/utf8.h"
#include <string.h>

#define NBSP "\xC2\xA0"
#define NNBSP "\xE2\x80\xAF"

static bool is_space_cp(uint32_t c) { return c == ' ' || c == '\n' || c == '\t' || c == '\r'; }
static bool is_nb_cp(uint32_t c) { return c == 0xA0 || c == 0x202F; }

static bool is_letterish(uint32_t c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           (c >= 0xC0 && c <= 0x24F && c != 0xD7 && c != 0xF7) || c == ')' || c == 0xBB ||
           c == '*' || c == '"' || c == 0x201D;
}

char *cl_text_french(cl_arena *a, const char *s, size_t n)
{
    /* decode into code points once */
    uint32_t stackbuf[512];
    uint32_t *cps = n < 512 ? stackbuf : cl_arena_alloc(a, (n + 1) * sizeof(uint32_t));
    if (!cps)
        return NULL;
    size_t m = 0;
    for (size_t i = 0; i < n;) {
        uint32_t c;
        size_t l = cl_utf8_decode(s + i, n - i, &c);
        if (!l)
            l = 1;
        cps[m++] = c;
        i += l;
    }
    cl_buf b = {0};
    bool pending_space = false; /* a space seen, not yet written */
    bool at_start = true;
    for (size_t i = 0; i < m; i++) {
        uint32_t c = cps[i];
        uint32_t next = i + 1 < m ? cps[i + 1] : 0;
        if (is_space_cp(c)) {
            if (!at_start)
                pending_space = true;
            continue;
        }
        /* punctuation that takes a non-breaking space before it */
        if (c == ':' || c == ';' || c == '!' || c == '?' || c == 0xBB) {
            bool after_letter = false;
            if (!pending_space && b.len) {
                uint32_t prev = 0;
                /* last code point written */
                size_t k = b.len;
                while (k > 0 && ((unsigned char)b.data[k - 1] & 0xC0) == 0x80)
                    k--;
                if (k > 0)
                    k--;
                cl_utf8_decode(b.data + k, b.len - k, &prev);
                after_letter = is_letterish(prev) && !is_nb_cp(prev) && prev != 0xAB;
                /* "http:" , "10:30", "?!" are left alone */
                if (c == ':' && !(next == ' ' || next == 0 || next == '\n'))
                    after_letter = false;
                if ((c == '?' || c == '!') && !(next == ' ' || next == 0 || next == '\n' || next == ')' || next == 0xBB || next == '.' || next == ','))
                    after_letter = false;
                if (c == 0xBB && (prev == '.' || prev == '?' || prev == '!' || prev == 0x2026 || prev == '*'))
                    after_letter = true;
            }
            if (pending_space || after_letter) {
                cl_buf_puts(&b, c == ':' || c == 0xBB ? NBSP : NNBSP);
                pending_space = false;
            }
            char tmp[4];
            cl_buf_put(&b, tmp, cl_utf8_encode(c, tmp));
            at_start = false;
            continue;
        }
        if (pending_space) {
            /* " - " between words is an en dash */
            if (c == '-' && (next == ' ' || next == '\n')) {
                cl_buf_puts(&b, " \xE2\x80\x93");
                at_start = false;
                continue;
            }
            cl_buf_putc(&b, ' ');
            pending_space = false;
        }
        if (c == 0xAB) { /* « : non-breaking space after */
            cl_buf_puts(&b, "\xC2\xAB" NBSP);
            while (i + 1 < m && (is_space_cp(cps[i + 1]) || is_nb_cp(cps[i + 1])))
                i++;
            at_start = false;
            continue;
        }
        if (c == '\'') {
            cl_buf_puts(&b, "\xE2\x80\x99");
        } else if (c == '.' && next == '.' && i + 2 < m && cps[i + 2] == '.') {
            cl_buf_puts(&b, "\xE2\x80\xA6");
            i += 2;
        } else {
            char tmp[4];
            cl_buf_put(&b, tmp, cl_utf8_encode(c, tmp));
        }
        at_start = false;
    }
    char *out = cl_arena_strndup(a, cl_buf_str(&b), b.len);
    cl_buf_free(&b);
    return out;
}

/* Split normalised text into spans on * and ** markers. A lone '*' that does not open a
 * closed pair stays as text. */
cl_rich cl_rich_inline(cl_arena *a, const char *s, size_t n, unsigned style)
{
    cl_rich r = {0};
    char *t = cl_text_french(a, s, n);
    if (!t)
        return r;
    size_t len = strlen(t);
    size_t cap = 4;
    for (size_t i = 0; i < len; i++)
        cap += t[i] == '*';
    r.spans = CL_NEWN(a, cl_span, cap);
    if (!r.spans)
        return r;
    unsigned cur = 0;
    size_t start = 0;
    for (size_t i = 0; i < len;) {
        if (t[i] == '*') {
            size_t k = (i + 1 < len && t[i + 1] == '*') ? 2 : 1;
            unsigned bit = k == 2 ? CL_ST_BOLD : CL_ST_ITALIC;
            bool closing = cur & bit;
            /* an opening marker needs a matching closing one later */
            bool ok = closing;
            if (!closing && i + k < len && t[i + k] != ' ') {
                /* an opener is followed by text and has a closer later: a marker of the
                 * same width preceded by text ("3 * 4" and a stray "**" stay as text) */
                for (size_t j = i + k; j + k <= len && !ok; j++) {
                    if (t[j] != '*')
                        continue;
                    size_t run = 1;
                    while (j + run < len && t[j + run] == '*')
                        run++;
                    if ((run == k || (run == 3 && cur)) && t[j - 1] != ' ')
                        ok = true;
                    j += run - 1;
                }
            }
            if (ok) {
                if (i > start)
                    r.spans[r.n++] = (cl_span){t + start, i - start, style | cur};
                cur ^= bit;
                i += k;
                start = i;
                continue;
            }
        }
        i++;
    }
    if (len > start)
        r.spans[r.n++] = (cl_span){t + start, len - start, style | cur};
    return r;
}

cl_rich cl_rich_plain(cl_arena *a, const char *s, unsigned style)
{
    cl_rich r = {0};
    if (!s)
        return r;
    char *t = cl_text_french(a, s, strlen(s));
    r.spans = CL_NEW(a, cl_span);
    if (!t || !r.spans)
        return (cl_rich){0};
    r.spans[0] = (cl_span){t, strlen(t), style};
    r.n = 1;
    return r;
}

cl_para *cl_markup_parse(cl_arena *a, const char *text, size_t *n)
{
    *n = 0;
    if (!text)
        return NULL;
    size_t cap = 2;
    for (const char *p = text; *p; p++)
        cap += *p == '\n';
    cl_para *out = CL_NEWN(a, cl_para, cap);
    if (!out)
        return NULL;
    const char *p = text;
    while (*p) {
        /* skip blank lines */
        while (*p == '\n' || *p == ' ')
            p++;
        if (!*p)
            break;
        const char *start = p;
        bool item = p[0] == '-' && p[1] == ' ';
        /* a paragraph ends at a blank line; a list item ends at the end of its line */
        const char *end = p;
        for (;;) {
            const char *nl = strchr(end, '\n');
            if (!nl) {
                end = end + strlen(end);
                break;
            }
            const char *after = nl + 1;
            const char *q = after;
            while (*q == ' ' || *q == '\t')
                q++;
            if (*q == '\n' || *q == 0 || item || (after[0] == '-' && after[1] == ' ')) {
                end = nl;
                break;
            }
            end = after;
        }
        if (item)
            start += 2;
        out[*n].kind = item ? CL_PARA_ITEM : CL_PARA_TEXT;
        out[*n].rich = cl_rich_inline(a, start, (size_t)(end - start), 0);
        (*n)++;
        p = end;
    }
    return out;
}
