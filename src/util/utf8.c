/* utf8.c: strict UTF-8 (RFC 3629) decoding and encoding. */
#include "utf8.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/uchar.h>
#include <unicode/unorm2.h>

size_t cl_utf8_decode(const char *str, size_t n, uint32_t *cp)
{
    const unsigned char *s = (const unsigned char *)str;
    *cp = 0xFFFD;
    if (n == 0)
        return 0;
    unsigned char c = s[0];
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    size_t len;
    uint32_t v, min;
    if (c >= 0xC2 && c <= 0xDF) { len = 2; v = c & 0x1F; min = 0x80; }
    else if (c >= 0xE0 && c <= 0xEF) { len = 3; v = c & 0x0F; min = 0x800; }
    else if (c >= 0xF0 && c <= 0xF4) { len = 4; v = c & 0x07; min = 0x10000; }
    else return 0;
    if (n < len)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        v = (v << 6) | (s[i] & 0x3F);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
        return 0;
    *cp = v;
    return len;
}

size_t cl_utf8_encode(uint32_t cp, char *out)
{
    unsigned char *o = (unsigned char *)out;
    if (cp < 0x80) { o[0] = (unsigned char)cp; return 1; }
    if (cp < 0x800) {
        o[0] = (unsigned char)(0xC0 | (cp >> 6));
        o[1] = (unsigned char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp >= 0xD800 && cp <= 0xDFFF)
        return 0;
    if (cp < 0x10000) {
        o[0] = (unsigned char)(0xE0 | (cp >> 12));
        o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (unsigned char)(0x80 | (cp & 0x3F));
        return 3;
    }
    if (cp <= 0x10FFFF) {
        o[0] = (unsigned char)(0xF0 | (cp >> 18));
        o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
        o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        o[3] = (unsigned char)(0x80 | (cp & 0x3F));
        return 4;
    }
    return 0;
}

bool cl_utf8_valid(const char *s, size_t n, size_t *bad_offset)
{
    size_t i = 0;
    while (i < n) {
        uint32_t cp;
        size_t l = cl_utf8_decode(s + i, n - i, &cp);
        if (l == 0) {
            if (bad_offset)
                *bad_offset = i;
            return false;
        }
        i += l;
    }
    return true;
}

size_t cl_utf8_count(const char *s, size_t n)
{
    size_t count = 0;
    for (size_t i = 0; i < n; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80)
            count++;
    return count;
}

uint32_t cl_utf8_upper(uint32_t c)
{
    if ((c >= 'a' && c <= 'z') || (c >= 0xE0 && c <= 0xFE && c != 0xF7))
        return c - 32;
    if (c == 0x153)
        return 0x152;
    if (c == 0xFF)
        return 0x178;
    return c;
}

bool cl_utf8_is_letter(uint32_t c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= 0xC0 && c <= 0x24F && c != 0xD7 && c != 0xF7);
}

const char *cl_utf8_describe(uint32_t cp, char *buf, size_t n)
{
    char name[128] = "";
    UErrorCode st = U_ZERO_ERROR;
    int32_t len = u_charName((UChar32)cp, U_UNICODE_CHAR_NAME, name, (int32_t)sizeof name, &st);
    if (U_FAILURE(st) || len <= 0 || len >= (int32_t)sizeof name)
        name[0] = 0;
    char enc[5] = "";
    size_t l = cp >= 0x20 && cp != 0x7F ? cl_utf8_encode(cp, enc) : 0;
    enc[l] = 0;
    if (name[0] && l)
        snprintf(buf, n, "U+%04X '%s' (%s)", (unsigned)cp, enc, name);
    else if (l)
        snprintf(buf, n, "U+%04X '%s'", (unsigned)cp, enc);
    else
        snprintf(buf, n, "U+%04X", (unsigned)cp);
    return buf;
}

char *cl_utf8_fold(const char *s)
{
    UErrorCode e = U_ZERO_ERROR;
    const UNormalizer2 *nfd = unorm2_getNFDInstance(&e);
    size_t n = strlen(s);
    size_t cap = 4 * n; /* a decomposition may spell a character longer (Hangul: 3 to 9 bytes) */
    char *out = malloc(cap + 1);
    if (!out)
        return NULL;
    size_t k = 0;
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t l = cl_utf8_decode(s + i, n - i, &cp);
        i += l ? l : 1;
        UChar one[2], dec[16];
        int32_t len = 0, dl;
        U16_APPEND_UNSAFE(one, len, (UChar32)cp);
        e = U_ZERO_ERROR;
        dl = nfd ? unorm2_normalize(nfd, one, len, dec, 16, &e) : 0;
        if (!nfd || U_FAILURE(e))
            dl = 0, dec[0] = 0;
        for (int32_t j = 0; j < dl;) {
            UChar32 c;
            U16_NEXT(dec, j, dl, c);
            if (u_charType(c) == U_NON_SPACING_MARK)
                continue;
            c = u_tolower(c);
            if (c == 0x153 || c == 0xE6) { /* œ, æ */
                out[k++] = c == 0x153 ? 'o' : 'a';
                out[k++] = 'e';
                continue;
            }
            char tmp[4];
            size_t tl = cl_utf8_encode((uint32_t)c, tmp);
            if (k + tl > cap)
                break;
            memcpy(out + k, tmp, tl);
            k += tl;
        }
        if (!nfd || dl == 0) { /* kept as it is */
            if (k + l <= cap) {
                memcpy(out + k, s + i - (l ? l : 1), l ? l : 1);
                k += l ? l : 1;
            }
        }
    }
    out[k] = 0;
    return out;
}

size_t cl_utf8_length(const char *s, size_t n)
{
    size_t count = 0;
    for (size_t i = 0; i < n; count++) {
        uint32_t cp;
        size_t l = cl_utf8_decode(s + i, n - i, &cp);
        i += l ? l : 1;
    }
    return count;
}

size_t cl_utf8_prefix(const char *s, size_t n, size_t k)
{
    size_t i = 0;
    for (size_t count = 0; i < n && count < k; count++) {
        uint32_t cp;
        size_t l = cl_utf8_decode(s + i, n - i, &cp);
        i += l ? l : 1;
    }
    return i;
}
