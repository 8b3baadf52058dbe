/* font.h: the fonts of a document and their metrics.
 *
 * Metrics come from the TrueType files themselves through FreeType, and the same files
 * are embedded by the PDF backend and drawn by the cairo backend, so every backend
 * agrees on every advance. A cl_fonts is shared read-only by all documents of a run.
 * Advances are cached per face for the Basic Multilingual Plane's common range. */
#ifndef CL_FONT_H
#define CL_FONT_H
#include "../util/diag.h"
#include <stdbool.h>
#include <stdint.h>

typedef enum {
    CL_FACE_SERIF, CL_FACE_SERIF_ITALIC, CL_FACE_SERIF_BOLD, CL_FACE_SERIF_BOLD_ITALIC,
    CL_FACE_SANS, CL_FACE_SANS_BOLD, CL_FACE_SANS_ITALIC,
    CL_FACE_FALLBACK,   /* DejaVu Sans: characters the others lack */
    CL_FACE_COUNT
} cl_face;

typedef struct cl_fonts cl_fonts;

/* Load the faces from dir (the project's fonts/). Returns NULL and sets err, naming the
 * file and what is wrong with it, when a file is missing, unreadable, not a TrueType
 * font, cut short or without Latin letters. The caller owns the result. */
cl_fonts *cl_fonts_load(const char *dir, cl_err *err);
/* Release the fonts. NULL is accepted. */
void cl_fonts_drop(cl_fonts *f);
/* Path of a face's file (borrowed), for backends that embed or draw it. */
const char *cl_fonts_path(const cl_fonts *f, cl_face face);
/* The advances cache, first member of a cl_fonts so the inline functions below read it
 * without a call (they run for every character typeset): per face, the advance in em of
 * each code point under CL_FONT_CACHE_N, -1 while not yet looked up, -2 when the face
 * has no glyph for it. */
#define CL_FONT_CACHE_N 0x2100 /* Latin, punctuation, letterlike: the range French text uses */
typedef struct cl_fonts_cache {
    float *advance[CL_FACE_COUNT];
} cl_fonts_cache;
/* The advance of cp (-2: no glyph), looked up in the font and cached. */
float cl_fonts_lookup(cl_fonts *f, cl_face face, uint32_t cp);

static inline float cl_fonts_cached_(cl_fonts *f, cl_face face, uint32_t cp)
{
    float a = cp < CL_FONT_CACHE_N ? ((const cl_fonts_cache *)(const void *)f)->advance[face][cp] : -1;
    return a == -1 ? cl_fonts_lookup(f, face, cp) : a;
}
/* Advance width of cp in em (1.0 = font size), in whole thousandths of an em (the unit
 * of PDF width tables, so that every device agrees to the last digit). Missing glyphs
 * give 0. */
static inline double cl_fonts_advance(cl_fonts *f, cl_face face, uint32_t cp)
{
    float a = cl_fonts_cached_(f, face, cp);
    return a < 0 ? 0 : a;
}
/* True when face has a glyph for cp. */
static inline bool cl_fonts_has(cl_fonts *f, cl_face face, uint32_t cp)
{
    return cl_fonts_cached_(f, face, cp) >= 0;
}
/* Width in em of the UTF-8 string s[0..n) in one face. */
double cl_fonts_width(cl_fonts *f, cl_face face, const char *s, size_t n);
/* Ascender and descender (positive, below the baseline) in em. */
double cl_fonts_ascent(const cl_fonts *f, cl_face face);
double cl_fonts_descent(const cl_fonts *f, cl_face face);
/* Underlying FT_Face (void * to keep FreeType out of callers), for the cairo backend. */
void *cl_fonts_ft_face(const cl_fonts *f, cl_face face);
#endif
