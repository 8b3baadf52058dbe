/* font.c: FreeType-backed font metrics (see font.h). */
#include "font.h"
#include "../util/utf8.h"
#include "../util/i18n.h"
#include <ft2build.h>
#include FT_FREETYPE_H
#include FT_ADVANCES_H
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

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

static uint32_t be32(const unsigned char *p) { return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3]; }

/* Why the TrueType file at path cannot be used, in why (empty when it can): missing,
 * a folder, unreadable, not a TrueType file, or cut short (a table of its directory ends
 * beyond the end of the file: FreeType opens such a file and fails only later, on the
 * glyphs that are gone). */
static void font_file_problem(const char *path, char *why, size_t n)
{
    why[0] = 0;
    struct stat st;
    if (stat(path, &st)) {
        snprintf(why, n, "%s", errno == ENOENT ? _("missing") : strerror(errno));
        return;
    }
    if (!S_ISREG(st.st_mode)) {
        snprintf(why, n, "%s", _("not a file"));
        return;
    }
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(why, n, _("cannot be read (%s)"), strerror(errno));
        return;
    }
    unsigned char head[12], rec[16];
    if (fread(head, 1, sizeof head, f) != sizeof head ||
        (be32(head) != 0x00010000u && be32(head) != 0x74727565u /* 'true' */)) {
        snprintf(why, n, "%s", _("not a TrueType font"));
        fclose(f);
        return;
    }
    unsigned tables = (unsigned)head[4] << 8 | head[5];
    if ((uint64_t)st.st_size < sizeof head + (uint64_t)tables * sizeof rec)
        snprintf(why, n, _("cut short (%lld bytes, its table directory is incomplete)"), (long long)st.st_size);
    for (unsigned i = 0; i < tables && !why[0]; i++) {
        if (fread(rec, 1, sizeof rec, f) != sizeof rec) {
            snprintf(why, n, _("cannot be read (%s)"), ferror(f) ? strerror(errno) : _("it ends early"));
            break;
        }
        uint64_t end = (uint64_t)be32(rec + 8) + be32(rec + 12);
        if (end > (uint64_t)st.st_size)
            snprintf(why, n, _("cut short (%lld bytes, its table '%.4s' ends at byte %llu)"), (long long)st.st_size,
                     (const char *)rec, (unsigned long long)end);
    }
    fclose(f);
}

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
        char why[160];
        font_file_problem(F->f[i].path, why, sizeof why);
        FT_Error fe = 0;
        if (!why[0] && (fe = FT_New_Face(F->lib, F->f[i].path, 0, &F->f[i].face)) != 0)
            snprintf(why, sizeof why, _("FreeType cannot read it (error %d)"), fe);
        else if (!why[0] && (!FT_Get_Char_Index(F->f[i].face, 'a') || !FT_Get_Char_Index(F->f[i].face, 0xE9)))
            snprintf(why, sizeof why, "%s", _("it has no Latin letters (no 'a' or 'é')"));
        if (why[0]) {
            cl_err_set(err, CL_E_IO,
                       "font file %s: %s; the fonts/ folder of Classeur must hold %s as distributed "
                       "(fonts/README.md says where it comes from)",
                       F->f[i].path, why, face_files[i]);
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
