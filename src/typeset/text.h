/* text.h: text before typesetting — French spacing normalisation and the inline markup
 * of the data (paragraphs, "- " list items, *italic*, **bold**).
 *
 * All results live in the caller's arena. Nothing here fails except on out of memory,
 * which gives NULL. */
#ifndef CL_TEXT_H
#define CL_TEXT_H
#include "../util/arena.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* CL_ST_VERBATIM: an address or code, printed exactly (no French normalisation). */
enum { CL_ST_ITALIC = 1, CL_ST_BOLD = 2, CL_ST_VERBATIM = 4 };

/* A run of text in one style. */
typedef struct cl_span {
    const char *text;  /* UTF-8, not NUL-terminated */
    size_t len;
    unsigned style;    /* CL_ST_* bits, combined with the role's own style */
} cl_span;

typedef struct cl_rich {
    cl_span *spans;
    size_t n;
} cl_rich;

typedef enum { CL_PARA_TEXT, CL_PARA_ITEM } cl_para_kind;

typedef struct cl_para {
    cl_para_kind kind;
    cl_rich rich;
} cl_para;

/* Options of the normalisation, from the layout. */
typedef struct cl_textopts {
    bool keep_capitals;   /* true: leave capitals as written (layout text.accent_capitals: false) */
    bool source_names;    /* references: bodies as the source spells them, not their
                             authority heading (layout text.names: source) */
} cl_textopts;

/* French typographic normalisation of one paragraph, as printed (the data is never
 * changed), rules and sources in docs/typography.md:
 * - quotes: straight and English double quotes → « » (U+00A0 inside), “ ” when nested
 *   inside « »; typographic apostrophe ’;
 * - spaces: U+00A0 before ':' and inside « », U+202F before ; ! ?; runs of spaces and
 *   line breaks → one space; " - " between words → en dash; "..." → "…";
 * - no break between a number and its unit or what it counts (71 %, 10 €, 28 min,
 *   3 000), between p., n°, vol. and their number ("n°1780" → "n° 1780");
 * - accented capitals from the reviewed word list (typography/capitals.txt: Etat →
 *   État, "A partir" → "À partir") unless o says to keep them.
 * o may be NULL (the defaults). Returns a new string in a. */
char *cl_text_french(cl_arena *a, const cl_textopts *o, const char *s, size_t n);
/* Parse markup text into paragraphs (normalised). *n gets the count. */
cl_para *cl_markup_parse(cl_arena *a, const cl_textopts *o, const char *text, size_t *n);
/* One plain run (no markup) with a style, normalised: for titles, labels, questions. */
cl_rich cl_rich_plain(cl_arena *a, const cl_textopts *o, const char *s, unsigned style);
/* Parse inline markup of a single paragraph (normalised). */
cl_rich cl_rich_inline(cl_arena *a, const cl_textopts *o, const char *s, size_t n, unsigned style);
#endif
