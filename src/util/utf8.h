/* utf8.h: strict UTF-8 decoding and encoding. Used by the loader (validation), the
 * text normaliser and the line breaker. */
#ifndef CL_UTF8_H
#define CL_UTF8_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Decode one code point from s[0..n). Stores it in *cp and returns its length in bytes
 * (1-4). Returns 0 for an invalid or truncated sequence (overlong forms, surrogates and
 * values above U+10FFFF are invalid); *cp is then U+FFFD. n must be > 0. */
size_t cl_utf8_decode(const char *s, size_t n, uint32_t *cp);
/* Encode cp into out (at least 4 bytes). Returns the length, 0 for an invalid cp. */
size_t cl_utf8_encode(uint32_t cp, char *out);
/* Check a whole string. Returns true when valid; otherwise *bad_offset gets the byte
 * offset of the first invalid sequence. */
bool cl_utf8_valid(const char *s, size_t n, size_t *bad_offset);
/* The capital of cp for the Latin letters French uses (a-z, à-þ, œ, ÿ); cp itself
 * otherwise. */
uint32_t cl_utf8_upper(uint32_t cp);
/* True for a letter French uses (ASCII, Latin-1 and Latin Extended-A letters). */
bool cl_utf8_is_letter(uint32_t cp);
/* "U+1F9EC '🧬' (DNA DOUBLE HELIX)": how messages name a character, its Unicode name
 * from ICU (without one, the code alone). Written into buf (NUL-terminated, cut to n);
 * returns buf. */
const char *cl_utf8_describe(uint32_t cp, char *buf, size_t n);
/* The number of characters (code points) of the n bytes of s. */
size_t cl_utf8_length(const char *s, size_t n);
/* The bytes of the first k characters of the n bytes of s (never cutting one). */
size_t cl_utf8_prefix(const char *s, size_t n, size_t k);
/* s folded for searching as people type: accents removed (canonical decomposition
 * without its combining marks, with ICU), lower case, œ/æ spelt oe/ae, so that
 * "etat", "ÉTAT" and "État" are the same. A heap string the caller frees (NULL when out of
 * memory). */
char *cl_utf8_fold(const char *s);
/* Number of code points in a valid string. */
size_t cl_utf8_count(const char *s, size_t n);
#endif
