/* font.c: FreeType-backed font metrics (see font.h). */
#include "font.h"
#include "../util/utf8.h"
#include <ft2build.h>
#include FT_FREETYPE_H
#include FT_ADVANCES_H
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const face_files[CL_FACE_COUNT] = {
    "LiberationSerif-Regular.ttf", "LiberationSerif-Italic.ttf", "LiberationSerif-Bold.ttf",
    "LiberationSerif-BoldItalic.ttf", "LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf",
    "LiberationSans-Italic.ttf", "DejaVuSans.ttf"};

struct cl_fonts {
    cl_fonts_cache cache; /* first: the inline lookups of font.h read it */
    FT_Library lib;
    struct {
        FT_Face face;
        char path[1024];
        double upem, ascent, descent;
    } f[CL_FACE_COUNT];
};

cl_fonts *cl_fonts_load(const char *dir, cl_err *err)
{
    cl_fonts *F = calloc(1, sizeof *F);
    if (!F) {
        cl_err_set(err, CL_E_NOMEM, "out of memory loading fonts");
        return NULL;
    }
    if (FT_Init_FreeType(&F->lib)) {
        cl_err_set(err, CL_E_RENDER, "cannot start FreeType");
        free(F);
        return NULL;
    }
    for (int i = 0; i < CL_FACE_COUNT; i++) {
        snprintf(F->f[i].path, sizeof F->f[i].path, "%s/%s", dir, face_files[i]);
        if (FT_New_Face(F->lib, F->f[i].path, 0, &F->f[i].face)) {
            cl_err_set(err, CL_E_IO, "%s: cannot load font (the fonts/ folder of Classeur must hold %s)",
                       F->f[i].path, face_files[i]);
            cl_fonts_drop(F);
            return NULL;
        }
        FT_Face fc = F->f[i].face;
        F->f[i].upem = fc->units_per_EM;
        F->f[i].ascent = fc->ascender / F->f[i].upem;
        F->f[i].descent = -fc->descender / F->f[i].upem;
        F->cache.advance[i] = malloc(CL_FONT_CACHE_N * sizeof(float));
        if (!F->cache.advance[i]) {
            cl_err_set(err, CL_E_NOMEM, "out of memory loading fonts");
            cl_fonts_drop(F);
            return NULL;
        }
        for (int k = 0; k < CL_FONT_CACHE_N; k++)
            F->cache.advance[i][k] = -1;
    }
    return F;
}

void cl_fonts_drop(cl_fonts *F)
{
    if (!F)
        return;
    for (int i = 0; i < CL_FACE_COUNT; i++) {
        if (F->f[i].face)
            FT_Done_Face(F->f[i].face);
        free(F->cache.advance[i]);
    }
    FT_Done_FreeType(F->lib);
    free(F);
}

const char *cl_fonts_path(const cl_fonts *F, cl_face face) { return F->f[face].path; }
double cl_fonts_ascent(const cl_fonts *F, cl_face face) { return F->f[face].ascent; }
double cl_fonts_descent(const cl_fonts *F, cl_face face) { return F->f[face].descent; }
void *cl_fonts_ft_face(const cl_fonts *F, cl_face face) { return F->f[face].face; }

float cl_fonts_lookup(cl_fonts *F, cl_face face, uint32_t cp)
{
    if (cp < CL_FONT_CACHE_N && F->cache.advance[face][cp] != -1)
        return F->cache.advance[face][cp];
    FT_Face fc = F->f[face].face;
    FT_UInt gid = FT_Get_Char_Index(fc, cp);
    float adv = -2;
    if (gid) {
        FT_Fixed a = 0;
        /* in whole thousandths of an em (truncated), the unit of a PDF font's width
         * table: a viewer that places the glyphs of a word by the font's widths puts
         * them exactly where the layout did, as the pictures do from the positions */
        if (!FT_Get_Advance(fc, gid, FT_LOAD_NO_SCALE, &a))
            adv = (float)((long)a * 1000 / (long)F->f[face].upem) / 1000.0f;
    }
    if (cp < CL_FONT_CACHE_N)
        F->cache.advance[face][cp] = adv;
    return adv;
}

double cl_fonts_width(cl_fonts *F, cl_face face, const char *s, size_t n)
{
    double w = 0;
    size_t i = 0;
    while (i < n) {
        uint32_t cp;
        size_t l = cl_utf8_decode(s + i, n - i, &cp);
        if (!l)
            l = 1;
        w += cl_fonts_advance(F, face, cp);
        i += l;
    }
    return w;
}
