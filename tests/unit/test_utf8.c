/* test_utf8.c: strict UTF-8 decoding, encoding and validation (src/util/utf8.c).
 *
 * Hand-picked sequences at every boundary (1 to 4 bytes, overlong forms, surrogates,
 * values above U+10FFFF, truncated and broken sequences), then exhaustive checks: every
 * code point survives encode → decode, and every 1, 2 and 3 byte sequence (and every
 * 4 byte sequence with a lead byte F0..F4) decodes exactly when it is the one canonical
 * encoding of its value. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "util/utf8.h"

/* Decode the first n bytes of s, expecting length want_len and code point want_cp. */
static void expect_decode(const char *s, size_t n, size_t want_len, uint32_t want_cp)
{
    uint32_t cp = 0x1234; /* something that is neither the answer nor U+FFFD */
    size_t len = cl_utf8_decode(s, n, &cp);
    assert_int_equal(len, want_len);
    assert_int_equal(cp, want_cp);
}

/* Expect s[0..n) to be refused: length 0 and U+FFFD. */
static void expect_invalid(const char *s, size_t n)
{
    expect_decode(s, n, 0, 0xFFFD);
}

static void expect_encode(uint32_t cp, const char *want, size_t want_len)
{
    char out[8];
    memset(out, 0x55, sizeof out);
    size_t len = cl_utf8_encode(cp, out);
    assert_int_equal(len, want_len);
    assert_memory_equal(out, want, want_len);
    /* nothing written past the sequence */
    assert_int_equal((unsigned char)out[want_len], 0x55);
}

/* ---- decode -------------------------------------------------------------------------- */

static void test_decode_ascii(void **state)
{
    (void)state;
    expect_decode("A", 1, 1, 0x41);
    expect_decode("\x7F", 1, 1, 0x7F);
    expect_decode("", 1, 1, 0); /* a NUL byte is the code point U+0000 */
    /* only the first code point is read */
    expect_decode("ab", 2, 1, 'a');
    expect_decode("z\xC3\xA9", 3, 1, 'z');
}

static void test_decode_two_bytes(void **state)
{
    (void)state;
    expect_decode("\xC3\xA9", 2, 2, 0xE9);         /* é */
    expect_decode("\xC2\x80", 2, 2, 0x80);         /* smallest 2-byte value */
    expect_decode("\xDF\xBF", 2, 2, 0x7FF);        /* largest 2-byte value */
    expect_decode("\xC2\xAB", 2, 2, 0xAB);         /* « */
    expect_decode("\xC3\xA9xyz", 5, 2, 0xE9);      /* followed by more text */
}

static void test_decode_three_bytes(void **state)
{
    (void)state;
    expect_decode("\xE2\x82\xAC", 3, 3, 0x20AC);   /* € */
    expect_decode("\xE0\xA0\x80", 3, 3, 0x800);    /* smallest 3-byte value */
    expect_decode("\xEF\xBF\xBF", 3, 3, 0xFFFF);   /* largest 3-byte value */
    expect_decode("\xEF\xBB\xBF", 3, 3, 0xFEFF);   /* byte order mark */
    expect_decode("\xE2\x80\xAF", 3, 3, 0x202F);   /* narrow no-break space */
    expect_decode("\xED\x9F\xBF", 3, 3, 0xD7FF);   /* just below the surrogates */
    expect_decode("\xEE\x80\x80", 3, 3, 0xE000);   /* just above the surrogates */
}

static void test_decode_four_bytes(void **state)
{
    (void)state;
    expect_decode("\xF0\x9F\x98\x80", 4, 4, 0x1F600);  /* 😀 */
    expect_decode("\xF0\x90\x80\x80", 4, 4, 0x10000);  /* smallest 4-byte value */
    expect_decode("\xF4\x8F\xBF\xBF", 4, 4, 0x10FFFF); /* largest code point */
    expect_decode("\xF0\x9D\x84\x9E", 4, 4, 0x1D11E);  /* 𝄞 */
}

static void test_decode_overlong(void **state)
{
    (void)state;
    expect_invalid("\xC0\x80", 2);          /* U+0000 in 2 bytes */
    expect_invalid("\xC0\xAF", 2);          /* '/' in 2 bytes (path tricks) */
    expect_invalid("\xC1\xBF", 2);          /* U+007F in 2 bytes */
    expect_invalid("\xE0\x80\x80", 3);      /* U+0000 in 3 bytes */
    expect_invalid("\xE0\x80\xAF", 3);      /* '/' in 3 bytes */
    expect_invalid("\xE0\x9F\xBF", 3);      /* U+07FF in 3 bytes */
    expect_invalid("\xF0\x80\x80\x80", 4);  /* U+0000 in 4 bytes */
    expect_invalid("\xF0\x80\x80\xAF", 4);  /* '/' in 4 bytes */
    expect_invalid("\xF0\x8F\xBF\xBF", 4);  /* U+FFFF in 4 bytes */
}

static void test_decode_surrogates(void **state)
{
    (void)state;
    expect_invalid("\xED\xA0\x80", 3);      /* U+D800, first high surrogate */
    expect_invalid("\xED\xAD\xBF", 3);      /* U+DB7F */
    expect_invalid("\xED\xB0\x80", 3);      /* U+DC00, first low surrogate */
    expect_invalid("\xED\xBF\xBF", 3);      /* U+DFFF, last surrogate */
    /* a CESU-8 pair (what Java writes for 😀) is two invalid surrogates */
    expect_invalid("\xED\xA0\xBD\xED\xB8\x80", 6);
}

static void test_decode_above_max(void **state)
{
    (void)state;
    expect_invalid("\xF4\x90\x80\x80", 4);  /* U+110000 */
    expect_invalid("\xF4\xBF\xBF\xBF", 4);  /* U+13FFFF */
    expect_invalid("\xF5\x80\x80\x80", 4);  /* lead byte F5: above U+13FFFF */
    expect_invalid("\xF7\xBF\xBF\xBF", 4);  /* U+1FFFFF */
    expect_invalid("\xF8\x88\x80\x80\x80", 5); /* old 5-byte form */
    expect_invalid("\xFC\x84\x80\x80\x80\x80", 6); /* old 6-byte form */
    expect_invalid("\xFE", 1);
    expect_invalid("\xFF", 1);
}

static void test_decode_broken(void **state)
{
    (void)state;
    /* a continuation byte cannot start a sequence */
    expect_invalid("\x80", 1);
    expect_invalid("\xBF", 1);
    expect_invalid("\x80\x80\x80", 3);
    /* a Latin-1 é is a lead byte followed by a non-continuation */
    expect_invalid("\xE9t\xE9", 3);
    /* the second or later byte is not a continuation */
    expect_invalid("\xC3" "A", 2);
    expect_invalid("\xC3\xC3", 2);
    expect_invalid("\xE2\x82" "A", 3);
    expect_invalid("\xE2" "A" "\xAC", 3);
    expect_invalid("\xF0\x9F\x98" "A", 4);
    expect_invalid("\xF0\x9F\x98\xF0", 4);
}

static void test_decode_truncated(void **state)
{
    (void)state;
    /* the sequence is cut by the end of the buffer */
    expect_invalid("\xC3", 1);
    expect_invalid("\xE2\x82", 2);
    expect_invalid("\xE2", 1);
    expect_invalid("\xF0\x9F\x98", 3);
    expect_invalid("\xF0\x9F", 2);
    expect_invalid("\xF0", 1);
    /* n is respected even when more bytes follow in memory */
    expect_invalid("\xE2\x82\xAC", 2);
    expect_invalid("\xF0\x9F\x98\x80", 3);
    expect_invalid("\xC3\xA9", 1);
    /* n == 0 reads nothing */
    uint32_t cp = 7;
    assert_int_equal(cl_utf8_decode("A", 0, &cp), 0);
    assert_int_equal(cp, 0xFFFD);
}

/* ---- encode -------------------------------------------------------------------------- */

static void test_encode(void **state)
{
    (void)state;
    expect_encode(0, "\x00", 1);
    expect_encode('A', "A", 1);
    expect_encode(0x7F, "\x7F", 1);
    expect_encode(0x80, "\xC2\x80", 2);
    expect_encode(0xE9, "\xC3\xA9", 2);
    expect_encode(0x7FF, "\xDF\xBF", 2);
    expect_encode(0x800, "\xE0\xA0\x80", 3);
    expect_encode(0x20AC, "\xE2\x82\xAC", 3);
    expect_encode(0xD7FF, "\xED\x9F\xBF", 3);
    expect_encode(0xE000, "\xEE\x80\x80", 3);
    expect_encode(0xFFFD, "\xEF\xBF\xBD", 3);
    expect_encode(0xFFFF, "\xEF\xBF\xBF", 3);
    expect_encode(0x10000, "\xF0\x90\x80\x80", 4);
    expect_encode(0x1F600, "\xF0\x9F\x98\x80", 4);
    expect_encode(0x10FFFF, "\xF4\x8F\xBF\xBF", 4);
}

static void test_encode_invalid(void **state)
{
    (void)state;
    static const uint32_t bad[] = {0xD800, 0xDBFF, 0xDC00, 0xDFFF, 0x110000, 0x1FFFFF,
                                   0x7FFFFFFF, 0x80000000, 0xFFFFFFFF};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char out[8] = {0};
        assert_int_equal(cl_utf8_encode(bad[i], out), 0);
    }
}

/* Every code point: encode gives the shortest form, decode gives it back. */
static void test_round_trip_all_code_points(void **state)
{
    (void)state;
    size_t done = 0;
    for (uint32_t cp = 0; cp <= 0x10FFFF; cp++) {
        if (cp >= 0xD800 && cp <= 0xDFFF)
            continue;
        char out[4];
        size_t len = cl_utf8_encode(cp, out);
        size_t want = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
        if (len != want)
            fail_msg("U+%04X encoded in %zu bytes, expected %zu", (unsigned)cp, len, want);
        uint32_t back = 0;
        size_t l2 = cl_utf8_decode(out, len, &back);
        if (l2 != len || back != cp)
            fail_msg("U+%04X does not survive encode/decode (got U+%04X, %zu bytes)",
                     (unsigned)cp, (unsigned)back, l2);
        done++;
    }
    assert_int_equal(done, 0x110000 - 0x800);
}

/* A sequence s[0..len) is valid UTF-8 exactly when it is the encoding of its value: check
 * that decode agrees with this for every sequence of 1, 2 and 3 bytes and every 4-byte
 * sequence whose lead byte is F0..F4. */
static void check_sequence(const unsigned char *s, size_t len)
{
    uint32_t cp;
    size_t got = cl_utf8_decode((const char *)s, len, &cp);
    /* reference: the value the bit pattern carries, if the pattern has the right shape */
    bool shape = false;
    uint32_t v = 0;
    if (len == 1 && s[0] < 0x80) {
        shape = true;
        v = s[0];
    } else if (len > 1) {
        unsigned char lead_mask = len == 2 ? 0xE0 : len == 3 ? 0xF0 : 0xF8;
        unsigned char lead_val = len == 2 ? 0xC0 : len == 3 ? 0xE0 : 0xF0;
        shape = (s[0] & lead_mask) == lead_val;
        v = s[0] & (unsigned char)~lead_mask;
        for (size_t i = 1; i < len; i++) {
            shape = shape && (s[i] & 0xC0) == 0x80;
            v = (v << 6) | (s[i] & 0x3F);
        }
    }
    bool valid = false;
    if (shape) {
        char enc[4];
        size_t el = cl_utf8_encode(v, enc);
        /* shortest form, not a surrogate, at most U+10FFFF */
        size_t want = v < 0x80 ? 1 : v < 0x800 ? 2 : v < 0x10000 ? 3 : 4;
        valid = want == len && v <= 0x10FFFF && !(v >= 0xD800 && v <= 0xDFFF) && el == len &&
                !memcmp(enc, s, len);
    }
    if (valid && (got != len || cp != v))
        fail_msg("valid sequence %02X %02X %02X %02X (len %zu) decoded as %zu bytes U+%04X",
                 s[0], len > 1 ? s[1] : 0, len > 2 ? s[2] : 0, len > 3 ? s[3] : 0, len, got,
                 (unsigned)cp);
    if (!valid && got == len)
        fail_msg("invalid sequence %02X %02X %02X %02X (len %zu) accepted as U+%04X", s[0],
                 len > 1 ? s[1] : 0, len > 2 ? s[2] : 0, len > 3 ? s[3] : 0, len, (unsigned)cp);
    if (!valid && got != 0 && got >= len)
        fail_msg("decode read %zu bytes of a %zu-byte buffer", got, len);
}

static void test_exhaustive_sequences(void **state)
{
    (void)state;
    unsigned char s[4];
    size_t valid = 0;
    for (unsigned a = 0; a < 256; a++) {
        s[0] = (unsigned char)a;
        check_sequence(s, 1);
        for (unsigned b = 0; b < 256; b++) {
            s[1] = (unsigned char)b;
            check_sequence(s, 2);
            for (unsigned c = 0; c < 256; c++) {
                s[2] = (unsigned char)c;
                check_sequence(s, 3);
                uint32_t cp;
                if (cl_utf8_decode((const char *)s, 3, &cp) == 3)
                    valid++;
            }
        }
    }
    /* 3-byte values: U+0800..U+FFFF without the 2048 surrogates */
    assert_int_equal(valid, 0x10000 - 0x800 - 0x800);
    size_t valid4 = 0;
    for (unsigned a = 0xF0; a <= 0xF4; a++)
        for (unsigned b = 0x80; b < 0xC0; b++)
            for (unsigned c = 0x80; c < 0xC0; c++)
                for (unsigned d = 0x80; d < 0xC0; d++) {
                    s[0] = (unsigned char)a;
                    s[1] = (unsigned char)b;
                    s[2] = (unsigned char)c;
                    s[3] = (unsigned char)d;
                    check_sequence(s, 4);
                    uint32_t cp;
                    if (cl_utf8_decode((const char *)s, 4, &cp) == 4)
                        valid4++;
                }
    assert_int_equal(valid4, 0x110000 - 0x10000);
}

/* ---- whole strings ------------------------------------------------------------------- */

static void expect_valid(const char *s, size_t n)
{
    size_t off = 4242;
    assert_true(cl_utf8_valid(s, n, &off));
    assert_int_equal(off, 4242); /* untouched when valid */
}

static void expect_bad_at(const char *s, size_t n, size_t want_off)
{
    size_t off = 4242;
    assert_false(cl_utf8_valid(s, n, &off));
    assert_int_equal(off, want_off);
}

static void test_valid_strings(void **state)
{
    (void)state;
    expect_valid("", 0);
    expect_valid("plain ASCII text", 16);
    static const char mixed[] = "a\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80z"; /* aé€😀z */
    expect_valid(mixed, sizeof mixed - 1);
    static const char french[] = "« Ce défi est un impératif collectif… »";
    expect_valid(french, sizeof french - 1);
    /* a BOM and U+10FFFF are valid */
    expect_valid("\xEF\xBB\xBF\xF4\x8F\xBF\xBF", 7);
    /* NUL bytes inside the buffer are valid code points */
    expect_valid("a\0b", 3);
}

static void test_invalid_strings(void **state)
{
    (void)state;
    expect_bad_at("\xE9", 1, 0);                      /* Latin-1 é alone */
    expect_bad_at("Caf\xE9 num\xE9rique", 14, 3);     /* Latin-1 text: first bad byte */
    expect_bad_at("ab\xC3\xA9\xC0\x80", 6, 4);        /* overlong after a valid é */
    expect_bad_at("x\xED\xA0\x80y", 5, 1);            /* surrogate */
    expect_bad_at("\xE2\x82\xAC\xF4\x90\x80\x80", 7, 3); /* above U+10FFFF after € */
    expect_bad_at("abc\xE2\x82", 5, 3);               /* truncated at the end */
    expect_bad_at("abc\xF0\x9F\x98", 6, 3);           /* truncated 4-byte form */
    expect_bad_at("ok\x80", 3, 2);                    /* stray continuation byte */
    /* the length is respected: a valid € cut by n */
    expect_bad_at("\xE2\x82\xAC", 2, 0);
    expect_valid("\xE2\x82\xAC", 3);
    /* bad_offset may be NULL */
    assert_false(cl_utf8_valid("\xFF", 1, NULL));
    assert_true(cl_utf8_valid("ok", 2, NULL));
}

static void test_count(void **state)
{
    (void)state;
    assert_int_equal(cl_utf8_count("", 0), 0);
    assert_int_equal(cl_utf8_count("abc", 3), 3);
    static const char mixed[] = "a\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80z"; /* aé€😀z */
    assert_int_equal(cl_utf8_count(mixed, sizeof mixed - 1), 5);
    static const char title[] = "Éléments d'introduction";
    assert_int_equal(cl_utf8_count(title, sizeof title - 1), 23);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_decode_ascii),
        cmocka_unit_test(test_decode_two_bytes),
        cmocka_unit_test(test_decode_three_bytes),
        cmocka_unit_test(test_decode_four_bytes),
        cmocka_unit_test(test_decode_overlong),
        cmocka_unit_test(test_decode_surrogates),
        cmocka_unit_test(test_decode_above_max),
        cmocka_unit_test(test_decode_broken),
        cmocka_unit_test(test_decode_truncated),
        cmocka_unit_test(test_encode),
        cmocka_unit_test(test_encode_invalid),
        cmocka_unit_test(test_round_trip_all_code_points),
        cmocka_unit_test(test_exhaustive_sequences),
        cmocka_unit_test(test_valid_strings),
        cmocka_unit_test(test_invalid_strings),
        cmocka_unit_test(test_count),
    };
    return cmocka_run_group_tests_name("utf8", tests, NULL, NULL);
}
