/* fuzz_typeset.c: libFuzzer target for the typesetter on arbitrary text.
 *
 * The first byte chooses the style (justified or ragged, hyphenated or not, the face,
 * the normalisation options) and the measure; the rest is any bytes, read as the data's
 * text would be (titles, notes, addresses): French normalisation, the inline markup,
 * line breaking of every paragraph and the width of a one-line run. Invalid UTF-8, a
 * character no font has, an unbreakable word wider than the measure: each must give
 * lines or an error value, never a crash, a hang or a sanitizer report. Run from the
 * repository root (it reads fonts/). */
#include "typeset/layout.h"
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static cl_fonts *fonts;
static cl_hyph *hyph;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    cl_err e = {0};
    fonts = cl_fonts_load("fonts", &e);
    hyph = cl_hyph_load(NULL, &(cl_err){0});
    if (!fonts || !hyph) {
        fprintf(stderr, "fuzz_typeset: run from the repository root (%s)\n", e.msg);
        exit(1);
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > 1 << 16)
        return 0;
    uint8_t opt = data[0];
    char *text = malloc(size);
    if (!text)
        return 0;
    memcpy(text, data + 1, size - 1);
    text[size - 1] = 0;
    cl_arena *a = cl_arena_new(), *scratch = cl_arena_new_sized(4096);
    cl_err err = {0};
    cl_ts ts = {a, scratch, fonts, hyph, &err};
    cl_textopts o = {.keep_capitals = opt & 1, .source_names = (opt >> 1) & 1};
    static const float measures[4] = {0.5f, 40, 160, 480};
    cl_face face = (opt >> 6) & 1 ? CL_FACE_SANS : CL_FACE_SERIF;
    cl_textstyle st = {face, CL_FACE_SERIF_ITALIC, CL_FACE_SERIF_BOLD, CL_FACE_SERIF_BOLD_ITALIC, 10, 12,
                       (opt >> 2) & 1, (opt >> 3) & 1, (opt >> 7) & 1 ? 12 : 0, 0};
    float measure = measures[(opt >> 4) & 3];
    char *fr = cl_text_french(a, &o, text, size - 1);
    size_t np = 0;
    cl_para *paras = fr ? cl_markup_parse(a, &o, text, &np) : NULL;
    for (size_t i = 0; paras && i < np && !err.code; i++) {
        size_t nl = 0;
        cl_break_lines(&ts, &paras[i].rich, &st, measure, &nl);
    }
    if (!err.code) {
        cl_rich r = cl_rich_plain(a, &o, text, CL_ST_VERBATIM);
        cl_rich_width(&ts, &r, &st);
    }
    cl_arena_drop(scratch);
    cl_arena_drop(a);
    free(text);
    return 0;
}
