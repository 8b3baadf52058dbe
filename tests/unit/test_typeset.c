/* test_typeset.c: the typesetting engine — French spacing and markup (typeset/text.c),
 * hyphenation (typeset/hyph.c), line breaking and pagination (typeset/layout.c), ISO 690
 * references (compose/reference.c) and QR codes (render/qr.c, and their geometry in
 * compose/compose.c).
 *
 * Runs from the repository root: fonts come from fonts/, the patterns from the system's
 * hyph_fr.dic. Every expected value is written out in full; the checks on line breaking
 * are properties that a wrong breaker violates (overfull lines, ragged justified lines,
 * breaks at no-break spaces, lost or doubled text). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <zbar.h>

#include "compose/compose.h"
#include "compose/reference.h"
#include "typeset/displaylist.h"
#include "compose/qr.h"
#include "typeset/font.h"
#include "typeset/hyph.h"
#include "typeset/layout.h"
#include "typeset/text.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/utf8.h"

#define NBSP "\xC2\xA0"       /* U+00A0 no-break space */
#define NNBSP "\xE2\x80\xAF"  /* U+202F narrow no-break space */
#define RSQUO "\xE2\x80\x99"  /* U+2019 typographic apostrophe */
#define HELLIP "\xE2\x80\xA6" /* U+2026 ellipsis */
#define NDASH "\xE2\x80\x93"  /* U+2013 en dash */
#define LAQUO "\xC2\xAB"      /* « */
#define RAQUO "\xC2\xBB"      /* » */

#define MM_PT (72.0f / 25.4f)

/* Shared by every test: loaded once by the group setup. */
static cl_fonts *g_fonts;
static cl_hyph *g_hyph;

static int group_setup(void **state)
{
    (void)state;
    cl_err err = {0};
    g_fonts = cl_fonts_load("fonts", &err);
    if (!g_fonts) {
        fprintf(stderr, "test_typeset: %s (run from the repository root)\n", err.msg);
        return -1;
    }
    g_hyph = cl_hyph_load(NULL, &(cl_err){0});
    if (!g_hyph) {
        fprintf(stderr, "test_typeset: no hyph_fr.dic (install hyphen-fr)\n");
        return -1;
    }
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    cl_hyph_drop(g_hyph);
    cl_fonts_drop(g_fonts);
    return 0;
}

/* A fresh arena per test, dropped by the teardown. */
static int arena_setup(void **state)
{
    *state = cl_arena_new();
    return *state ? 0 : -1;
}

static int arena_teardown(void **state)
{
    cl_arena_drop(*state);
    return 0;
}

/* ---- helpers ------------------------------------------------------------------------- */

static const char *french(cl_arena *a, const char *s)
{
    char *out = cl_text_french(a, NULL, s, strlen(s));
    assert_non_null(out);
    return out;
}

/* The concatenated text of a rich text (arena string). */
static const char *rich_text(cl_arena *a, const cl_rich *r)
{
    size_t len = 0;
    for (size_t i = 0; i < r->n; i++)
        len += r->spans[i].len;
    char *s = cl_arena_alloc(a, len + 1);
    assert_non_null(s);
    size_t k = 0;
    for (size_t i = 0; i < r->n; i++) {
        memcpy(s + k, r->spans[i].text, r->spans[i].len);
        k += r->spans[i].len;
    }
    s[k] = 0;
    return s;
}

static void expect_span(const cl_span *sp, const char *text, unsigned style)
{
    assert_int_equal(sp->len, strlen(text));
    assert_memory_equal(sp->text, text, sp->len);
    assert_int_equal(sp->style, style);
}

/* The text of a line: its fragments one after the other (arena string). */
static const char *line_text(cl_arena *a, const cl_line *ln)
{
    size_t len = 0;
    for (size_t i = 0; i < ln->n; i++)
        len += strlen(ln->frags[i].text);
    char *s = cl_arena_alloc(a, len + 1);
    assert_non_null(s);
    s[0] = 0;
    for (size_t i = 0; i < ln->n; i++)
        strcat(s, ln->frags[i].text);
    return s;
}

/* The last character of a run and its x from the run's origin. */
static uint32_t run_last(const cl_frag *f, double *x)
{
    uint32_t cp = 0;
    size_t i = 0, n = strlen(f->text), k = 0;
    while (i < n) {
        size_t l = cl_utf8_decode(f->text + i, n - i, &cp);
        i += l ? l : 1;
        k++;
    }
    assert_int_equal(k, f->n);
    *x = f->dx[f->n - 1];
    return cp;
}

/* Right edge of the ink of a line: its last character's x plus its advance. */
static double line_end(const cl_line *ln)
{
    assert_true(ln->n > 0);
    const cl_frag *f = &ln->frags[ln->n - 1];
    double x;
    uint32_t cp = run_last(f, &x);
    return f->x + x + cl_fonts_advance(g_fonts, f->face, cp) * f->size;
}

/* A gap after a word space: wider than 70 % of the space when justified (it may
 * shrink), exactly the space in ragged text. */
static void check_gap(const cl_textstyle *st, cl_face face, double gap)
{
    double sw = cl_fonts_advance(g_fonts, face, ' ') * st->size;
    if (st->justify)
        assert_true(gap >= 0.7 * sw - 0.01);
    else
        assert_float_equal(gap, sw, 0.01);
}

static uint32_t first_cp(const char *s)
{
    uint32_t cp = 0;
    cl_utf8_decode(s, strlen(s), &cp);
    return cp;
}

static uint32_t last_cp(const char *s)
{
    size_t n = strlen(s), k = n;
    while (k > 0 && ((unsigned char)s[k - 1] & 0xC0) == 0x80)
        k--;
    if (k > 0)
        k--;
    uint32_t cp = 0;
    cl_utf8_decode(s + k, n - k, &cp);
    return cp;
}

static bool is_letter(uint32_t c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= 0xC0 && c <= 0x17F && c != 0xD7 && c != 0xF7);
}

static cl_textstyle body_style(void)
{
    /* cl_styles_default: body = serif 10.5/13.5, justified and hyphenated */
    return (cl_textstyle){CL_FACE_SERIF, CL_FACE_SERIF_ITALIC, CL_FACE_SERIF_BOLD, CL_FACE_SERIF_BOLD_ITALIC,
                          10.5f, 13.5f, true, true, 0, 0};
}

static cl_textstyle ragged_style(void)
{
    cl_textstyle st = body_style();
    st.justify = false;
    st.hyphenate = false;
    return st;
}

/* ---- 1. French spacing --------------------------------------------------------------- */

static void test_french_colon(void **state)
{
    cl_arena *a = *state;
    assert_string_equal(french(a, "Note : texte"), "Note" NBSP ": texte");
    /* a colon glued to the word gets its space too */
    assert_string_equal(french(a, "Note: texte"), "Note" NBSP ": texte");
    /* a colon at the very end */
    assert_string_equal(french(a, "Exemples :"), "Exemples" NBSP ":");
}

static void test_french_guillemets(void **state)
{
    cl_arena *a = *state;
    assert_string_equal(french(a, "« bonjour »"), LAQUO NBSP "bonjour" NBSP RAQUO);
    assert_string_equal(french(a, "«bonjour»"), LAQUO NBSP "bonjour" NBSP RAQUO);
    /* several spaces inside collapse into the one no-break space */
    assert_string_equal(french(a, "dit «   oui   » puis"), "dit " LAQUO NBSP "oui" NBSP RAQUO " puis");
    /* closing after a full stop */
    assert_string_equal(french(a, "«Fin.»"), LAQUO NBSP "Fin." NBSP RAQUO);
}

static void test_french_narrow_spaces(void **state)
{
    cl_arena *a = *state;
    assert_string_equal(french(a, "Pourquoi ?"), "Pourquoi" NNBSP "?");
    assert_string_equal(french(a, "Stop !"), "Stop" NNBSP "!");
    assert_string_equal(french(a, "a ; b"), "a" NNBSP "; b");
    /* glued to the word */
    assert_string_equal(french(a, "Pourquoi?"), "Pourquoi" NNBSP "?");
    assert_string_equal(french(a, "Stop! Encore"), "Stop" NNBSP "! Encore");
    assert_string_equal(french(a, "a; b"), "a" NNBSP "; b");
    /* "?!" : the space goes before the first mark only */
    assert_string_equal(french(a, "Quoi ?!"), "Quoi" NNBSP "?!");
}

static void test_french_apostrophe_ellipsis_dash(void **state)
{
    cl_arena *a = *state;
    assert_string_equal(french(a, "l'été"), "l" RSQUO "été");
    assert_string_equal(french(a, "aujourd'hui, l'usager"), "aujourd" RSQUO "hui, l" RSQUO "usager");
    assert_string_equal(french(a, "attendez..."), "attendez" HELLIP);
    assert_string_equal(french(a, "[...] suite"), "[" HELLIP "] suite");
    /* two dots stay two dots */
    assert_string_equal(french(a, "a.. b"), "a.. b");
    assert_string_equal(french(a, "a - b"), "a " NDASH " b");
    /* a hyphen inside a word stays a hyphen */
    assert_string_equal(french(a, "médico-social"), "médico-social");
    assert_string_equal(french(a, "a -b"), "a -b");
}

static void test_french_spaces_collapse(void **state)
{
    cl_arena *a = *state;
    assert_string_equal(french(a, "un   deux"), "un deux");
    assert_string_equal(french(a, "un\ndeux\n\ntrois"), "un deux trois");
    assert_string_equal(french(a, "  un \t deux \r\n trois  \n"), "un deux trois");
    assert_string_equal(french(a, ""), "");
    assert_string_equal(french(a, " \n "), "");
}

static void test_french_leaves_addresses_alone(void **state)
{
    cl_arena *a = *state;
    assert_string_equal(french(a, "https://example.org/a?b=1"), "https://example.org/a?b=1");
    assert_string_equal(french(a, "voir https://example.org/a?b=1&c=2 ici"), "voir https://example.org/a?b=1&c=2 ici");
    assert_string_equal(french(a, "à 10:30"), "à 10:30");
    assert_string_equal(french(a, "mailto:contact@example.org"), "mailto:contact@example.org");
}

static void test_french_idempotent(void **state)
{
    cl_arena *a = *state;
    static const char *const inputs[] = {
        "Note : texte", "« bonjour »", "«bonjour»", "Pourquoi ?", "Stop !", "a ; b", "l'été",
        "attendez...", "a - b", "https://example.org/a?b=1",
        "L'Arcep publie les résultats du « *Baromètre du numérique* » : une enquête ; annuelle ! Non ?",
    };
    for (size_t i = 0; i < sizeof inputs / sizeof *inputs; i++) {
        const char *once = french(a, inputs[i]);
        assert_string_equal(french(a, once), once);
    }
}

/* ---- 2. markup ----------------------------------------------------------------------- */

static void test_markup_paragraphs_and_items(void **state)
{
    cl_arena *a = *state;
    size_t n = 99;
    cl_para *p = cl_markup_parse(a, NULL,
                                 "Premier paragraphe\nsur deux lignes.\n\n"
                                 "Second paragraphe :\n"
                                 "- premier point\n"
                                 "- second point\n"
                                 "\n\n"
                                 "Dernier.\n",
                                 &n);
    assert_non_null(p);
    assert_int_equal(n, 5);
    assert_int_equal(p[0].kind, CL_PARA_TEXT);
    assert_string_equal(rich_text(a, &p[0].rich), "Premier paragraphe sur deux lignes.");
    assert_int_equal(p[1].kind, CL_PARA_TEXT);
    assert_string_equal(rich_text(a, &p[1].rich), "Second paragraphe" NBSP ":");
    assert_int_equal(p[2].kind, CL_PARA_ITEM);
    assert_string_equal(rich_text(a, &p[2].rich), "premier point");
    assert_int_equal(p[3].kind, CL_PARA_ITEM);
    assert_string_equal(rich_text(a, &p[3].rich), "second point");
    assert_int_equal(p[4].kind, CL_PARA_TEXT);
    assert_string_equal(rich_text(a, &p[4].rich), "Dernier.");

    n = 99;
    assert_null(cl_markup_parse(a, NULL, NULL, &n));
    assert_int_equal(n, 0);
    n = 99;
    cl_markup_parse(a, NULL, "\n\n\n", &n);
    assert_int_equal(n, 0);
    /* "-" without a space is no item */
    n = 99;
    p = cl_markup_parse(a, NULL, "-5 degrés", &n);
    assert_int_equal(n, 1);
    assert_int_equal(p[0].kind, CL_PARA_TEXT);
    assert_string_equal(rich_text(a, &p[0].rich), "-5" NBSP "degrés"); /* a number stays with its unit */
}

static void test_markup_styles(void **state)
{
    cl_arena *a = *state;
    size_t n = 0;
    cl_para *p = cl_markup_parse(a, NULL, "Un *mot* et du **gras** ici.", &n);
    assert_int_equal(n, 1);
    assert_int_equal(p[0].rich.n, 5);
    expect_span(&p[0].rich.spans[0], "Un ", 0);
    expect_span(&p[0].rich.spans[1], "mot", CL_ST_ITALIC);
    expect_span(&p[0].rich.spans[2], " et du ", 0);
    expect_span(&p[0].rich.spans[3], "gras", CL_ST_BOLD);
    expect_span(&p[0].rich.spans[4], " ici.", 0);

    /* nested: italic inside bold */
    p = cl_markup_parse(a, NULL, "**a *b* c**", &n);
    assert_int_equal(n, 1);
    assert_int_equal(p[0].rich.n, 3);
    expect_span(&p[0].rich.spans[0], "a ", CL_ST_BOLD);
    expect_span(&p[0].rich.spans[1], "b", CL_ST_BOLD | CL_ST_ITALIC);
    expect_span(&p[0].rich.spans[2], " c", CL_ST_BOLD);

    /* guillemets around italics, as in the data: normalised, then split */
    p = cl_markup_parse(a, NULL, "« *Baromètre du numérique* » : une enquête", &n);
    assert_int_equal(n, 1);
    assert_int_equal(p[0].rich.n, 3);
    expect_span(&p[0].rich.spans[0], LAQUO NBSP, 0);
    expect_span(&p[0].rich.spans[1], "Baromètre du numérique", CL_ST_ITALIC);
    expect_span(&p[0].rich.spans[2], NBSP RAQUO NBSP ": une enquête", 0);

    /* an item keeps its inline styles */
    p = cl_markup_parse(a, NULL, "- un *point*", &n);
    assert_int_equal(n, 1);
    assert_int_equal(p[0].kind, CL_PARA_ITEM);
    assert_int_equal(p[0].rich.n, 2);
    expect_span(&p[0].rich.spans[0], "un ", 0);
    expect_span(&p[0].rich.spans[1], "point", CL_ST_ITALIC);

    /* cl_rich_inline adds the caller's style to every span */
    cl_rich r = cl_rich_inline(a, NULL, "x *y*", 5, CL_ST_BOLD);
    assert_int_equal(r.n, 2);
    expect_span(&r.spans[0], "x ", CL_ST_BOLD);
    expect_span(&r.spans[1], "y", CL_ST_BOLD | CL_ST_ITALIC);

    /* cl_rich_plain: one normalised span, markers kept as text */
    r = cl_rich_plain(a, NULL, "Titre : *non*", CL_ST_BOLD);
    assert_int_equal(r.n, 1);
    expect_span(&r.spans[0], "Titre" NBSP ": *non*", CL_ST_BOLD);
}

static void test_markup_lone_star(void **state)
{
    cl_arena *a = *state;
    size_t n = 0;
    cl_para *p = cl_markup_parse(a, NULL, "3 * 4 = 12", &n);
    assert_int_equal(n, 1);
    assert_int_equal(p[0].rich.n, 1);
    expect_span(&p[0].rich.spans[0], "3 * 4 = 12", 0);

    p = cl_markup_parse(a, NULL, "note* en bas", &n);
    assert_int_equal(p[0].rich.n, 1);
    expect_span(&p[0].rich.spans[0], "note* en bas", 0);

    /* an unclosed "**" stays text and does not pair with a later italic marker */
    p = cl_markup_parse(a, NULL, "a ** b *c*", &n);
    assert_int_equal(p[0].rich.n, 2);
    expect_span(&p[0].rich.spans[0], "a ** b ", 0);
    expect_span(&p[0].rich.spans[1], "c", CL_ST_ITALIC);
    /* a lone '*' between spaces is not an opener */
    p = cl_markup_parse(a, NULL, "3 * 4 et *x*", &n);
    assert_int_equal(p[0].rich.n, 2);
    expect_span(&p[0].rich.spans[0], "3 * 4 et ", 0);
    expect_span(&p[0].rich.spans[1], "x", CL_ST_ITALIC);
    /* a blank line holding spaces still ends a paragraph */
    p = cl_markup_parse(a, NULL, "a\n  \nb", &n);
    assert_int_equal(n, 2);
    /* an unclosed ** at the end stays text */
    p = cl_markup_parse(a, NULL, "*a* b **", &n);
    assert_int_equal(p[0].rich.n, 2);
    expect_span(&p[0].rich.spans[0], "a", CL_ST_ITALIC);
    expect_span(&p[0].rich.spans[1], " b **", 0);
}

/* ---- 3. hyphenation ------------------------------------------------------------------ */

/* Check the general rules on the points of w and return how many there are. */
static size_t check_points(const char *w, size_t *pts, size_t cap)
{
    size_t n = strlen(w);
    size_t k = cl_hyph_points(g_hyph, w, n, pts, cap);
    assert_true(k <= cap);
    size_t letters = cl_utf8_count(w, n);
    for (size_t i = 0; i < k; i++) {
        assert_true(pts[i] > 0 && pts[i] < n);
        if (i)
            assert_true(pts[i] > pts[i - 1]);
        /* a character boundary: not a continuation byte */
        assert_int_not_equal((unsigned char)w[pts[i]] & 0xC0, 0x80);
        size_t before = cl_utf8_count(w, pts[i]);
        assert_true(before >= 2);
        assert_true(letters - before >= 3);
    }
    return k;
}

static void expect_points(const char *w, const size_t *want, size_t nwant)
{
    size_t pts[32];
    size_t k = check_points(w, pts, 32);
    assert_int_equal(k, nwant);
    for (size_t i = 0; i < k; i++)
        assert_int_equal(pts[i], want[i]);
}

static void test_hyph_points(void **state)
{
    (void)state;
    /* mé-tro-pole: after "mé" (3 bytes) and after "métro" (6 bytes) */
    expect_points("métropole", (const size_t[]){3, 6}, 2);
    /* dé-ve-lop-pe-ment */
    expect_points("développement", (const size_t[]){3, 5, 8, 10}, 4);
    /* nu-mé-rique */
    expect_points("numérique", (const size_t[]){2, 5}, 2);
    /* té-lé-char-ger */
    expect_points("télécharger", (const size_t[]){3, 6, 10}, 3);
    /* one capital at the start is lowered first */
    expect_points("Développement", (const size_t[]){3, 5, 8, 10}, 4);
    /* the capacity is respected */
    size_t one[1];
    assert_int_equal(cl_hyph_points(g_hyph, "développement", strlen("développement"), one, 1), 1);
    assert_int_equal(one[0], 3);
}

static void test_hyph_none(void **state)
{
    (void)state;
    size_t pts[16];
    static const char *const words[] = {"ARCEP", "2019", "santé", "numérique2", "3G4G5G", "lien", "DÉVELOPPEMENT",
                                        "e-santé", "l’usager", ""};
    for (size_t i = 0; i < sizeof words / sizeof *words; i++)
        assert_int_equal(cl_hyph_points(g_hyph, words[i], strlen(words[i]), pts, 16), 0);
    /* invalid UTF-8 */
    assert_int_equal(cl_hyph_points(g_hyph, "d\xC3veloppement", 13, pts, 16), 0);
    /* no dictionary */
    assert_int_equal(cl_hyph_points(NULL, "développement", strlen("développement"), pts, 16), 0);
}

/* ---- 4. line breaking ---------------------------------------------------------------- */

/* The note on imt-atlantique-enquete-capacity-2017 in data/sections/10-part.yaml. */
static const char NOTE[] =
    "« *Le projet ANR Capacity vise à confronter les promesses de l'empowerment par les outils numériques à la "
    "réalité des usages et des bénéfices tirés par les utilisateurs de ces outils. [...] La problématique centrale "
    "consiste à déterminer à quels groupes sociaux les outils numériques permettent le plus d'élargir le spectre des "
    "opportunités dans différentes sphères de la vie sociale (sociabilité, participation politique, accès à "
    "l'information, éducation/apprentissages, augmentation du pouvoir d'achat, insertion professionnelle, etc.).* »\n"
    "\n"
    "[...] Le rapport propose un premier aperçu des résultats de l'enquête. Dans un premier temps, après quelques "
    "données de cadrage, il s'agit de dresser un portrait des Français qui n'utilisent pas Internet, et de voir les "
    "éventuelles difficultés que cela induit dans leur vie quotidienne. Dans un deuxième temps, quatre différents "
    "profils d'internautes sont présentés. La suite du rapport examine quatre dimensions du pouvoir d'agir : le "
    "capital social, l'apprentissage, la participation politique et le pouvoir d'achat. Pour chacune de ces "
    "dimensions, l'enquête Capacity permet d'analyser quelles catégories de Français tirent le meilleur parti des "
    "potentialités offertes par Internet. »\n";

/* Punctuation-heavy text for the no-break rules at many measures. */
static const char PUNCT[] =
    "Question : pourquoi ? Parce que ; enfin ! Il dit « oui » puis « non » : voilà ; encore ? "
    "Réponse : « peut-être » ! Le numérique : accès ; usages ; compétences ? « Illectronisme » : "
    "définition ; mesure ! « Fracture » ; « inclusion » ? Fin : merci !";

/* Checks shared by every breaking test: widths, positions, forbidden line edges, and the
 * lines put back together give the paragraph. */
static void check_lines(cl_arena *a, const cl_rich *rich, const cl_textstyle *st, float measure, const cl_line *L,
                        size_t n)
{
    assert_true(n > 0);
    size_t total = 0;
    for (size_t i = 0; i < n; i++) {
        const cl_line *ln = &L[i];
        assert_true(ln->n > 0);
        const char *t = line_text(a, ln);
        assert_true(strlen(t) > 0);
        /* fragments left to right, inside the line */
        float x0 = i == 0 ? st->first_indent : 0;
        assert_true(ln->frags[0].x >= x0 - 0.01f);
        for (size_t k = 1; k < ln->n; k++)
            assert_true(ln->frags[k].x > ln->frags[k - 1].x);
        for (size_t k = 0; k < ln->n; k++)
            assert_true(ln->frags[k].size == st->size);
        /* glyph runs: inside a word each character at the one before plus its advance;
         * after a word space a gap (check_gap); a run ending with a space is followed by
         * such a gap, a run without one (a change of face inside a word) touches the next */
        for (size_t k = 0; k < ln->n; k++) {
            const cl_frag *f = &ln->frags[k];
            size_t len = strlen(f->text), at = 0, c = 0;
            uint32_t prev = 0;
            while (at < len) {
                uint32_t cp;
                size_t l = cl_utf8_decode(f->text + at, len - at, &cp);
                if (c > 0) {
                    double step = f->dx[c] - f->dx[c - 1];
                    if (prev == ' ')
                        check_gap(st, f->face, step);
                    else
                        assert_float_equal(step, cl_fonts_advance(g_fonts, f->face, prev) * f->size, 0.01);
                }
                prev = cp;
                at += l ? l : 1;
                c++;
            }
            assert_int_equal(c, f->n);
            if (k + 1 < ln->n) {
                double x;
                uint32_t last = run_last(f, &x);
                double gap = ln->frags[k + 1].x - (f->x + x);
                if (last == ' ')
                    check_gap(st, f->face, gap);
                else
                    assert_float_equal(gap, cl_fonts_advance(g_fonts, f->face, last) * f->size, 0.01);
            }
        }
        /* the set width is the ink's right edge, never past the measure */
        double end = line_end(ln);
        assert_float_equal(ln->width, end, 0.01);
        assert_true(ln->width <= measure + 0.5f);
        /* no break at a no-break space: never one at a line end, never a line starting
         * with the punctuation they hold to the previous word */
        uint32_t first = first_cp(t), last = last_cp(t);
        assert_int_not_equal(last, 0xA0);
        assert_int_not_equal(last, 0x202F);
        assert_int_not_equal(last, ' ');
        assert_int_not_equal(first, ' ');
        assert_int_not_equal(first, 0xA0);
        assert_int_not_equal(first, 0x202F);
        assert_false(first == ':' || first == ';' || first == '!' || first == '?' || first == 0xBB);
        /* « stays with what follows */
        assert_int_not_equal(last, 0xAB);
        /* a hyphenated line ends with '-' after at least 2 letters of the word; at least 3
         * letters of it follow on the next line(s) */
        if (ln->hyphenated) {
            assert_true(i + 1 < n);
            size_t len = strlen(t);
            assert_int_equal(t[len - 1], '-');
            size_t k = len - 1, before = 0;
            while (k > 0) {
                size_t s = k - 1;
                while (s > 0 && ((unsigned char)t[s] & 0xC0) == 0x80)
                    s--;
                uint32_t c = 0;
                cl_utf8_decode(t + s, k - s, &c);
                if (!is_letter(c))
                    break;
                before++;
                k = s;
            }
            assert_true(before >= 2);
            /* the rest of the word, which may itself be hyphenated again */
            size_t after = 0;
            for (size_t m = i + 1; m < n; m++) {
                const char *nt = line_text(a, &L[m]);
                size_t j = 0, nl = strlen(nt);
                while (j < nl) {
                    uint32_t c = 0;
                    size_t l = cl_utf8_decode(nt + j, nl - j, &c);
                    if (!l || !is_letter(c))
                        break;
                    after++;
                    j += l;
                }
                if (!(L[m].hyphenated && j == nl - 1))
                    break;
            }
            assert_true(after >= 3);
        }
        total += strlen(t) + 1;
    }
    assert_false(L[n - 1].hyphenated);
    /* put the paragraph back together */
    char *joined = cl_arena_alloc(a, total + 1);
    assert_non_null(joined);
    size_t jl = 0;
    for (size_t i = 0; i < n; i++) {
        const char *t = line_text(a, &L[i]);
        size_t len = strlen(t);
        /* the breaker's hyphen goes; a hyphen of the text stays, without a space */
        memcpy(joined + jl, t, L[i].hyphenated ? len - 1 : len);
        jl += L[i].hyphenated ? len - 1 : len;
        if (i + 1 < n && !L[i].hyphenated && t[len - 1] != '-')
            joined[jl++] = ' ';
    }
    joined[jl] = 0;
    assert_string_equal(joined, rich_text(a, rich));
}

static cl_ts make_ts(cl_arena *a, cl_err *err)
{
    return (cl_ts){a, NULL, g_fonts, g_hyph, err};
}

static void test_break_justified(void **state)
{
    cl_arena *a = *state;
    cl_err err = {0};
    cl_ts ts = make_ts(a, &err);
    cl_textstyle st = body_style();
    const float measure = 300;
    size_t np = 0;
    cl_para *p = cl_markup_parse(a, NULL, NOTE, &np);
    assert_int_equal(np, 2);
    size_t hyphenated = 0;
    for (size_t k = 0; k < np; k++) {
        size_t n = 0;
        cl_line *L = cl_break_lines(&ts, &p[k].rich, &st, measure, &n);
        assert_int_equal(err.code, 0);
        assert_non_null(L);
        assert_true(n >= 8); /* about 900 characters at ~100 a line */
        check_lines(a, &p[k].rich, &st, measure, L, n);
        for (size_t i = 0; i < n; i++) {
            const cl_line *ln = &L[i];
            /* natural width: over the measure only by what the spaces may shrink (30 %
             * of a space each) */
            size_t spaces = 0;
            for (const char *t = line_text(a, ln); *t; t++)
                spaces += *t == ' ';
            double max_shrink = spaces * 0.3 * cl_fonts_advance(g_fonts, CL_FACE_SERIF, ' ') * st.size;
            assert_true(ln->natural <= measure + max_shrink + 0.5);
            assert_true(ln->natural > 0.75f * measure || i + 1 == n);
            if (i + 1 < n) {
                /* justified: every line but the last ends at the measure */
                assert_float_equal(line_end(ln), measure, 0.5);
                assert_float_equal(ln->width, measure, 0.5);
            } else if (ln->natural <= measure) {
                /* the last line is set at its natural width */
                assert_float_equal(ln->width, ln->natural, 0.01);
            }
            hyphenated += ln->hyphenated;
        }
        /* italics of the first paragraph are set in the italic face */
        if (k == 0) {
            bool italic = false;
            for (size_t i = 0; i < L[0].n; i++)
                italic |= L[0].frags[i].face == CL_FACE_SERIF_ITALIC;
            assert_true(italic);
            assert_int_equal(L[0].frags[0].face, CL_FACE_SERIF);
            assert_string_equal(L[0].frags[0].text, LAQUO NBSP);
            assert_int_equal(L[0].frags[1].face, CL_FACE_SERIF_ITALIC);
        }
    }
    /* the text needs some hyphens at this measure */
    assert_true(hyphenated >= 1);
}

static void test_break_ragged(void **state)
{
    cl_arena *a = *state;
    cl_err err = {0};
    cl_ts ts = make_ts(a, &err);
    cl_textstyle st = ragged_style();
    const float measure = 300;
    size_t np = 0;
    cl_para *p = cl_markup_parse(a, NULL, NOTE, &np);
    assert_int_equal(np, 2);
    for (size_t k = 0; k < np; k++) {
        size_t n = 0;
        cl_line *L = cl_break_lines(&ts, &p[k].rich, &st, measure, &n);
        assert_int_equal(err.code, 0);
        assert_true(n >= 8);
        check_lines(a, &p[k].rich, &st, measure, L, n);
        double lo = 1e9, hi = -1e9;
        for (size_t i = 0; i < n; i++) {
            assert_false(L[i].hyphenated);
            /* ragged: spaces keep their width, the natural width is the set width */
            assert_true(L[i].natural <= measure + 0.5f);
            assert_float_equal(L[i].width, L[i].natural, 0.01);
            if (i + 1 < n) {
                double e = line_end(&L[i]);
                lo = e < lo ? e : lo;
                hi = e > hi ? e : hi;
            }
        }
        /* right edges differ, but lines stay reasonably full */
        assert_true(hi - lo > 1.0);
        assert_true(lo > 0.75 * measure);
    }
}

static void test_break_no_break_spaces(void **state)
{
    cl_arena *a = *state;
    cl_err err = {0};
    cl_ts ts = make_ts(a, &err);
    cl_rich r = cl_rich_inline(a, NULL, PUNCT, strlen(PUNCT), 0);
    assert_true(r.n > 0);
    for (int justify = 0; justify < 2; justify++) {
        cl_textstyle st = justify ? body_style() : ragged_style();
        /* from 100 pt: the longest unbreakable word, "« Illectronisme » :", is about
         * 80 pt wide */
        for (float measure = 100; measure <= 320; measure += 7) {
            size_t n = 0;
            cl_line *L = cl_break_lines(&ts, &r, &st, measure, &n);
            assert_int_equal(err.code, 0);
            check_lines(a, &r, &st, measure, L, n);
        }
    }
}

static void test_break_indent_and_overfull(void **state)
{
    cl_arena *a = *state;
    cl_err err = {0};
    cl_ts ts = make_ts(a, &err);
    cl_textstyle st = body_style();
    st.first_indent = 20;
    size_t np = 0;
    cl_para *p = cl_markup_parse(a, NULL, NOTE, &np);
    size_t n = 0;
    cl_line *L = cl_break_lines(&ts, &p[1].rich, &st, 250, &n);
    assert_int_equal(err.code, 0);
    check_lines(a, &p[1].rich, &st, 250, L, n);
    assert_float_equal(L[0].frags[0].x, 20, 0.01);
    assert_float_equal(L[1].frags[0].x, 0, 0.01);
    assert_float_equal(L[0].width, 250, 0.5);

    /* a word wider than the measure gets a line of its own, nothing is lost */
    st.first_indent = 0;
    cl_rich r = cl_rich_plain(a, NULL, "voir anticonstitutionnellementissimement ici", 0);
    st.hyphenate = false;
    L = cl_break_lines(&ts, &r, &st, 60, &n);
    assert_int_equal(err.code, 0);
    assert_int_equal(n, 3);
    assert_string_equal(line_text(a, &L[0]), "voir");
    assert_string_equal(line_text(a, &L[1]), "anticonstitutionnellementissimement");
    assert_string_equal(line_text(a, &L[2]), "ici");
    assert_false(L[1].hyphenated);
    st.hyphenate = true;

    /* an address too long for the measure breaks after "/" or before ". - _ ? # = &",
     * never inside a word, with nothing added: the lines put together give it back */
    static const char url[] = "https://solidarite-numerique.fr/ressources/tutoriels-et-fiches-pratiques?page=2&tri=date";
    r = cl_rich_plain(a, NULL, cl_arena_printf(a, "voir %s ici", url), 0);
    L = cl_break_lines(&ts, &r, &st, 100, &n);
    assert_int_equal(err.code, 0);
    assert_true(n >= 4);
    cl_buf joined = {0};
    for (size_t i = 0; i < n; i++) {
        const char *t = line_text(a, &L[i]);
        assert_false(L[i].hyphenated);
        for (const char *q = t; *q; q++)
            if (*q != ' ')
                cl_buf_putc(&joined, *q);
    }
    assert_string_equal(cl_buf_str(&joined), cl_arena_printf(a, "voir%sici", url));
    cl_buf_free(&joined);
    /* every line of the address after the first starts at a break point */
    for (size_t i = 1; i < n; i++) {
        const char *t = line_text(a, &L[i]), *prev = line_text(a, &L[i - 1]);
        size_t pl = strlen(prev);
        while (pl && prev[pl - 1] == ' ')
            pl--;
        if (!strcmp(t, "ici"))
            continue;
        assert_true(prev[pl - 1] == '/' || strchr(".-_?#=&", t[0]));
        assert_false(t[0] == '/');
    }

    /* a session token of 24 characters or more without a break point (the SPICO address
     * ran into its QR code in eco and booklet) may break every 12 characters: no line is
     * wider than the measure, and a word of the path is never cut */
    static const char tok[] =
        "https://www.esante-occitanie.fr/spico-la-nouvelle-offre.html?args=V_4IYCBix0mbR6awfskG42c2EBpIE95UkRE6i0_VOTB";
    r = cl_rich_plain(a, NULL, tok, 0);
    L = cl_break_lines(&ts, &r, &st, 80, &n);
    assert_int_equal(err.code, 0);
    cl_buf whole = {0};
    for (size_t i = 0; i < n; i++) {
        if (L[i].width > 80.5f)
            fail_msg("line %zu '%s' is %.1f wide", i, line_text(a, &L[i]), (double)L[i].width);
        const char *t = line_text(a, &L[i]);
        assert_null(strstr(t, "nouv") && !strstr(t, "nouvelle") ? t : NULL); /* "nouvelle" stays whole */
        cl_buf_puts(&whole, t);
    }
    assert_string_equal(cl_buf_str(&whole), tok);
    cl_buf_free(&whole);

    /* spaces at the seam of two spans make one word space */
    cl_span seam[] = {{"un ", 3, 0}, {" deux ", 6, CL_ST_ITALIC}, {" trois", 6, CL_ST_BOLD}};
    cl_rich rs = {seam, 3};
    cl_textstyle rg = ragged_style();
    L = cl_break_lines(&ts, &rs, &rg, 200, &n);
    assert_int_equal(err.code, 0);
    assert_int_equal(n, 1);
    assert_int_equal(L[0].n, 3);
    assert_string_equal(L[0].frags[0].text, "un ");
    assert_string_equal(L[0].frags[1].text, "deux ");
    assert_string_equal(L[0].frags[2].text, "trois");
    assert_int_equal(L[0].frags[1].face, CL_FACE_SERIF_ITALIC);
    assert_int_equal(L[0].frags[2].face, CL_FACE_SERIF_BOLD);
    double sp = cl_fonts_advance(g_fonts, CL_FACE_SERIF, ' ') * rg.size;
    assert_float_equal(L[0].frags[1].x, cl_fonts_width(g_fonts, CL_FACE_SERIF, "un", 2) * rg.size + sp, 0.01);
    /* two lines at a measure that holds "un deux": the second starts at x = 0 */
    L = cl_break_lines(&ts, &rs, &rg, 35, &n);
    assert_int_equal(n, 2);
    assert_string_equal(line_text(a, &L[1]), "trois");
    assert_float_equal(L[1].frags[0].x, 0, 0.01);

    /* empty text: no line */
    cl_rich empty = {0};
    L = cl_break_lines(&ts, &empty, &st, 100, &n);
    assert_int_equal(n, 0);

    /* a character no font has is an error naming it */
    cl_rich bad = cl_rich_plain(a, NULL, "x \xE4\xB8\xAD y", 0); /* U+4E2D, CJK */
    L = cl_break_lines(&ts, &bad, &st, 100, &n);
    assert_int_equal(err.code, CL_E_DATA);
    assert_non_null(strstr(err.msg, "U+4E2D"));
}

/* ---- 5. references ------------------------------------------------------------------- */

static const char *italic_text(cl_arena *a, const cl_rich *r, size_t *count)
{
    *count = 0;
    const char *found = NULL;
    for (size_t i = 0; i < r->n; i++)
        if (r->spans[i].style & CL_ST_ITALIC) {
            (*count)++;
            found = cl_arena_strndup(a, r->spans[i].text, r->spans[i].len);
        }
    return found;
}

/* Quotes: straight and English double quotes become « » with no-break spaces inside,
 * “ ” when nested; a lone straight quote opens at the start. */
static void test_french_quotes(void **state)
{
    cl_arena *a = *state;
    assert_string_equal(cl_text_french(a, NULL, "Enquête sur \"l'illectronisme\" en France", 41),
                        "Enquête sur «" NBSP "l" RSQUO "illectronisme" NBSP "» en France");
    assert_string_equal(cl_text_french(a, NULL, "\"Plus juste\"", 12), "«" NBSP "Plus juste" NBSP "»");
    const char *english = "\xE2\x80\x9C" "English" "\xE2\x80\x9D quotes";
    assert_string_equal(cl_text_french(a, NULL, english, strlen(english)), "«" NBSP "English" NBSP "» quotes");
    const char *nested = "« Il dit \"non\" puis part »";
    assert_string_equal(cl_text_french(a, NULL, nested, strlen(nested)),
                        "«" NBSP "Il dit \xE2\x80\x9Cnon\xE2\x80\x9D puis part" NBSP "»");
    const char *marked = "le \"*Guide*\" publié";
    assert_string_equal(cl_text_french(a, NULL, marked, strlen(marked)), "le «" NBSP "*Guide*" NBSP "» publié");
    /* no straight double quote ever survives */
    const char *odd = "3\" et \"a";
    assert_null(strchr(cl_text_french(a, NULL, odd, strlen(odd)), '"'));
}

/* A number stays with its unit or what it counts; p., n°, vol. with their number. */
static void test_french_numbers(void **state)
{
    cl_arena *a = *state;
    static const struct { const char *in, *out; } cases[] = {
        {"71 % ont un smartphone", "71" NBSP "% ont un smartphone"},
        {"80% des médecins", "80" NBSP "% des médecins"},
        {"10 € par mois", "10" NBSP "€ par mois"},
        {"durée 28 min environ", "durée 28" NBSP "min environ"},
        {"voir p. 27 et p.28", "voir p." NBSP "27 et p." NBSP "28"},
        {"n°1780 et n° 108", "n°" NBSP "1780 et n°" NBSP "108"},
        {"le 30 octobre 2019", "le 30" NBSP "octobre 2019"},
        {"3 000 personnes", "3" NBSP "000" NBSP "personnes"},
        {"entre 4 et 5", "entre 4 et 5"},           /* a function word is not what it counts */
        {"en 2019, p. 4", "en 2019, p." NBSP "4"},  /* the comma ends the number */
        {"https://ex.org/a?b=1&c=2 ici", "https://ex.org/a?b=1&c=2 ici"}, /* not in addresses */
        {"Volume 2 du rapport, 41 pages", "Volume 2 du rapport, 41" NBSP "pages"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        assert_string_equal(cl_text_french(a, NULL, cases[i].in, strlen(cases[i].in)), cases[i].out);
}

/* Every entry of typography/capitals.txt: the word alone, after an elision, in capitals
 * (single words); left as written when the layout keeps capitals. */
static void test_french_capitals_list(void **state)
{
    cl_arena *a = *state;
    FILE *f = fopen("typography/capitals.txt", "r");
    assert_non_null(f);
    char line[256];
    size_t entries = 0;
    cl_textopts keep = {.keep_capitals = true};
    while (fgets(line, sizeof line, f)) {
        if (line[0] == '#' || line[0] == '\n')
            continue;
        char *tab = strchr(line, '\t');
        assert_non_null(tab);
        *tab = 0;
        char *to = tab + 1;
        to[strcspn(to, "\n")] = 0;
        const char *from = line;
        entries++;
        /* in a sentence, after an opening parenthesis, at the end */
        const char *in = cl_arena_printf(a, "(%s suite)", from);
        const char *want_from = cl_text_french(a, &keep, from, strlen(from));
        const char *want_to = cl_text_french(a, &keep, to, strlen(to));
        assert_string_equal(cl_text_french(a, NULL, in, strlen(in)), cl_arena_printf(a, "(%s suite)", want_to));
        assert_string_equal(cl_text_french(a, &keep, in, strlen(in)), cl_arena_printf(a, "(%s suite)", want_from));
        if (!strchr(from, ' ') && !strchr(from, '\'')) {
            const char *el = cl_arena_printf(a, "secrétaire d'%s", from);
            assert_string_equal(cl_text_french(a, NULL, el, strlen(el)),
                                cl_arena_printf(a, "secrétaire d" RSQUO "%s", to));
            /* a longer word starting the same is not this word */
            const char *longer = cl_arena_printf(a, "%sxyz", from);
            assert_string_equal(cl_text_french(a, NULL, longer, strlen(longer)), longer);
        }
    }
    fclose(f);
    assert_true(entries >= 30);
    /* in capitals, and what the list must never touch */
    assert_string_equal(cl_text_french(a, NULL, "ETAT DES LIEUX", 14), "ÉTAT DES LIEUX");
    assert_string_equal(cl_text_french(a, NULL, "Economy and Every", 17), "Economy and Every");
    assert_string_equal(cl_text_french(a, NULL, "Plan A suivi", 12), "Plan A suivi");
    assert_string_equal(cl_text_french(a, NULL, "ZAYTSEVA A.", 11), "ZAYTSEVA A.");
    assert_string_equal(cl_text_french(a, NULL, "A l'intersection", 16), "À l" RSQUO "intersection");
}

/* One formatter per type (reference.c, docs/references.md): which element is italic,
 * the order of the publication group, "s. d.", a capital after every full stop, authors
 * (three at most, then "et al."), bodies under their authority heading. */

static void test_reference_rapport(void **state)
{
    cl_arena *a = *state;
    cl_author au[] = {{.org = "IMT Atlantique"}, {.org = "MARSOUIN"}};
    cl_resource r = {.id = "imt", .type = CL_RES_RAPPORT, .authors = au, .n_authors = 2,
                     .title = "Premiers résultats de l'enquête Capacity sur les usages numériques des français",
                     .date = {2017, 3, 0}, .pages = "79"};
    cl_rich ref = cl_reference(a, NULL, &r, true);
    /* a month after a full stop takes a capital */
    assert_string_equal(rich_text(a, &ref),
                        "IMT Atlantique, MARSOUIN. Premiers résultats de l" RSQUO
                        "enquête Capacity sur les usages numériques des français. Mars 2017, 79" NBSP "p.");
    /* the title is the one italic span */
    size_t ni;
    assert_string_equal(italic_text(a, &ref, &ni),
                        "Premiers résultats de l" RSQUO "enquête Capacity sur les usages numériques des français");
    assert_int_equal(ni, 1);

    /* a description is a sentence of its own; the collection (container) is roman */
    r.description = "volume 2";
    r.publisher = "France Stratégie";
    r.container = "Les cahiers de la DRJSCS";
    r.pages = "67-74";
    r.date = (cl_date){2018, 7, 1};
    ref = cl_reference(a, NULL, &r, false);
    assert_string_equal(rich_text(a, &ref),
                        "IMT Atlantique, MARSOUIN. Premiers résultats de l" RSQUO
                        "enquête Capacity sur les usages numériques des français. Volume 2. France Stratégie, "
                        "Les cahiers de la DRJSCS, 1er" NBSP "juillet 2018, p." NBSP "67-74.");
    assert_int_equal((italic_text(a, &ref, &ni), ni), 1);

    /* no date: "s. d.", capital when it opens the group */
    r.description = NULL;
    r.publisher = NULL;
    r.container = NULL;
    r.date = (cl_date){0};
    r.pages = "39";
    ref = cl_reference(a, NULL, &r, false);
    assert_non_null(strstr(rich_text(a, &ref), "français. S." NBSP "d., 39" NBSP "p."));
    r.publisher = "CSA";
    ref = cl_reference(a, NULL, &r, false);
    assert_non_null(strstr(rich_text(a, &ref), "français. CSA, s." NBSP "d., 39" NBSP "p."));
}

static void test_reference_article(void **state)
{
    cl_arena *a = *state;
    cl_author au[] = {{.family = "Leglye", .given = "Stéphane"},
                      {.family = "Rolland", .given = "Annaïck"},
                      {.family = "Lévy", .given = "Anne"},
                      {.family = "Dupont", .given = "Jean"}};
    cl_resource r = {.id = "insee", .type = CL_RES_ARTICLE, .authors = au, .n_authors = 4,
                     .title = "Une personne sur six n'utilise pas Internet", .container = "Insee Première",
                     .issue = "n°1780", .date = {2019, 10, 30}, .pages = "1-4",
                     .url = "https://www.insee.fr/fr/statistiques/4241397", .accessed = {2021, 3, 5}};
    /* four authors: the first three and "et al."; the journal italic; "n°1780" spaced */
    const char *base = "LEGLYE Stéphane, ROLLAND Annaïck, LÉVY Anne et al. Une personne sur six n" RSQUO
                       "utilise pas Internet. Insee Première [en ligne], n°" NBSP "1780, 30" NBSP "octobre 2019, p." NBSP
                       "1-4.";
    cl_rich ref = cl_reference(a, NULL, &r, false);
    assert_string_equal(rich_text(a, &ref), base);
    size_t ni;
    assert_string_equal(italic_text(a, &ref, &ni), "Insee Première");
    assert_int_equal(ni, 1);
    for (size_t i = 0; i < ref.n; i++) /* nothing is bold */
        assert_int_equal(ref.spans[i].style & CL_ST_BOLD, 0);

    /* the address and the day it was seen, written like the other dates */
    ref = cl_reference(a, NULL, &r, true);
    assert_string_equal(rich_text(a, &ref),
                        "LEGLYE Stéphane, ROLLAND Annaïck, LÉVY Anne et al. Une personne sur six n" RSQUO
                        "utilise pas Internet. Insee Première [en ligne], n°" NBSP "1780, 30" NBSP "octobre 2019, p." NBSP
                        "1-4. Disponible sur" NBSP ": https://www.insee.fr/fr/statistiques/4241397 (consulté le "
                        "5" NBSP "mars 2021).");

    /* three authors: all named, no "et al."; a publisher and a volume after the journal */
    r.n_authors = 3;
    r.publisher = "INSEE";
    r.volume = "2011/1";
    r.issue = "n° 88";
    ref = cl_reference(a, NULL, &r, false);
    assert_string_equal(rich_text(a, &ref),
                        "LEGLYE Stéphane, ROLLAND Annaïck, LÉVY Anne. Une personne sur six n" RSQUO
                        "utilise pas Internet. Insee Première [en ligne], INSEE, 2011/1, n°" NBSP "88, 30" NBSP
                        "octobre 2019, p." NBSP "1-4.");
    /* a title ending with '?' takes no extra full stop; no author: the title leads */
    r.title = "Qui utilise Internet ?";
    r.n_authors = 0;
    r.pages = NULL;
    r.issue = NULL;
    r.volume = NULL;
    r.publisher = NULL;
    ref = cl_reference(a, NULL, &r, false);
    assert_string_equal(rich_text(a, &ref),
                        "Qui utilise Internet" NNBSP "? Insee Première [en ligne], 30" NBSP "octobre 2019.");
}

static void test_reference_site(void **state)
{
    cl_arena *a = *state;
    cl_author au[] = {{.org = "Arcep"}};
    cl_resource r = {.id = "arcep", .type = CL_RES_SITE, .authors = au, .n_authors = 1,
                     .title = "Baromètre du numérique", .publisher = "Agence du numérique",
                     .date = {2021, 6, 1}, .date_label = "mis à jour le",
                     .url = "https://www.arcep.fr/barometre?annee=2020", .accessed = {2021, 3, 0}};
    cl_rich ref = cl_reference(a, NULL, &r, true);
    assert_string_equal(rich_text(a, &ref),
                        "Arcep. Baromètre du numérique [en ligne]. Agence du numérique, mis à jour le 1er" NBSP
                        "juin 2021. Disponible sur" NBSP ": https://www.arcep.fr/barometre?annee=2020 (consulté en "
                        "mars 2021).");
    size_t ni;
    assert_string_equal(italic_text(a, &ref, &ni), "Baromètre du numérique");
    assert_int_equal(ni, 1);

    /* the parent site (container) in roman before the publisher; a label opening a
     * sentence takes its capital */
    r.container = "Gouvernement.fr";
    r.publisher = NULL;
    ref = cl_reference(a, NULL, &r, false);
    assert_string_equal(rich_text(a, &ref), "Arcep. Baromètre du numérique [en ligne]. Gouvernement.fr, mis à jour le "
                                            "1er" NBSP "juin 2021.");
    r.container = NULL;
    ref = cl_reference(a, NULL, &r, false);
    assert_string_equal(rich_text(a, &ref), "Arcep. Baromètre du numérique [en ligne]. Mis à jour le 1er" NBSP
                                            "juin 2021.");
    /* the address is printed exactly: no typographic apostrophe or ellipsis in it */
    r.url = "https://fr.wikipedia.org/wiki/Acc%C3%A8s_l'Internet...html";
    ref = cl_reference(a, NULL, &r, true);
    assert_non_null(strstr(rich_text(a, &ref), "https://fr.wikipedia.org/wiki/Acc%C3%A8s_l'Internet...html"));
    /* no address known: no "Disponible sur" even when asked */
    r.url = NULL;
    r.date = (cl_date){0};
    r.date_label = NULL;
    ref = cl_reference(a, NULL, &r, true);
    assert_string_equal(rich_text(a, &ref), "Arcep. Baromètre du numérique [en ligne]. S." NBSP "d.");
}

static void test_reference_podcast(void **state)
{
    cl_arena *a = *state;
    cl_author au[] = {{.family = "Durand", .given = "Marie"}};
    cl_resource r = {.id = "pod", .type = CL_RES_PODCAST, .authors = au, .n_authors = 1,
                     .title = "Les fractures numériques", .publisher = "France culture",
                     .container = "La Méthode scientifique", .date = {2019, 1, 1}, .duration_s = 5280};
    cl_rich ref = cl_reference(a, NULL, &r, true);
    /* the title italic, the broadcaster then the programme in roman, the duration last */
    assert_string_equal(rich_text(a, &ref), "DURAND Marie. Les fractures numériques [podcast]. France culture, "
                                            "La Méthode scientifique, 1er" NBSP "janvier 2019, 1" NBSP "h" NBSP
                                            "28" NBSP "min.");
    size_t ni;
    assert_string_equal(italic_text(a, &ref, &ni), "Les fractures numériques");
    assert_int_equal(ni, 1);
}

static void test_reference_video(void **state)
{
    cl_arena *a = *state;
    cl_resource r = {.id = "vid", .type = CL_RES_VIDEO, .title = "Qu'est-ce que l'illectronisme ?",
                     .publisher = "Brut", .container = "Brut Éco", .date = {2020, 2, 0}, .duration_s = 1095,
                     .url = "https://www.youtube.com/watch?v=abc", .accessed = {2021, 4, 12}};
    cl_rich ref = cl_reference(a, NULL, &r, true);
    assert_string_equal(rich_text(a, &ref),
                        "Qu" RSQUO "est-ce que l" RSQUO "illectronisme" NNBSP "? [vidéo]. Brut, Brut Éco, février "
                        "2020, 18" NBSP "min" NBSP "15" NBSP "s. Disponible sur" NBSP
                        ": https://www.youtube.com/watch?v=abc (consulté le 12" NBSP "avril 2021).");
    size_t ni;
    assert_string_equal(italic_text(a, &ref, &ni), "Qu" RSQUO "est-ce que l" RSQUO "illectronisme" NNBSP "?");
    assert_int_equal(ni, 1);
    /* adjacent spans never run words together: a space or punctuation at each seam */
    for (size_t i = 0; i + 1 < ref.n; i++) {
        char end = ref.spans[i].text[ref.spans[i].len - 1], start = ref.spans[i + 1].text[0];
        assert_true(end == ' ' || start == ' ' || start == ',' || start == '.');
    }
}

/* Bodies under their authorities.yaml heading — author, publisher and container alike —
 * or as the source wrote them when the layout says text.names: source. */
static void test_reference_authorities(void **state)
{
    cl_arena *a = *state;
    cl_author au[] = {{.org = "CCNE (Comité Consultatif National d'Éthique)",
                       .heading = "Comité consultatif national d'éthique (CCNE)"}};
    cl_resource r = {.id = "ccne", .type = CL_RES_VIDEO, .authors = au, .n_authors = 1, .title = "Éthique et numérique",
                     .publisher = "France culture", .publisher_heading = "France Culture", .container = "Soft power",
                     .container_heading = "Soft Power", .date = {2018, 11, 18}, .duration_s = 3600};
    cl_rich ref = cl_reference(a, NULL, &r, false);
    assert_string_equal(rich_text(a, &ref), "Comité consultatif national d" RSQUO "éthique (CCNE). Éthique et "
                                            "numérique [vidéo]. France Culture, Soft Power, 18" NBSP
                                            "novembre 2018, 1" NBSP "h.");
    cl_textopts source = {.source_names = true};
    ref = cl_reference(a, &source, &r, false);
    assert_string_equal(rich_text(a, &ref), "CCNE (Comité Consultatif National d" RSQUO "Éthique). Éthique et "
                                            "numérique [vidéo]. France culture, Soft power, 18" NBSP
                                            "novembre 2018, 1" NBSP "h.");
}

static void test_reference_helpers(void **state)
{
    cl_arena *a = *state;
    assert_string_equal(cl_date_french(a, (cl_date){2019, 10, 30}), "30" NBSP "octobre 2019");
    assert_string_equal(cl_date_french(a, (cl_date){2018, 3, 0}), "mars 2018");
    assert_string_equal(cl_date_french(a, (cl_date){2021, 0, 0}), "2021");
    assert_string_equal(cl_date_french(a, (cl_date){2020, 8, 1}), "1er" NBSP "août 2020");
    assert_string_equal(cl_date_french(a, (cl_date){0, 0, 0}), "");
    assert_string_equal(cl_duration_french(a, 28 * 60), "28" NBSP "min");
    assert_string_equal(cl_duration_french(a, 5280), "1" NBSP "h" NBSP "28" NBSP "min");
    assert_string_equal(cl_duration_french(a, 7200), "2" NBSP "h");
    assert_string_equal(cl_duration_french(a, 1095), "18" NBSP "min" NBSP "15" NBSP "s");
    assert_string_equal(cl_duration_french(a, 45), "45" NBSP "s");
    assert_null(cl_duration_french(a, 0));
    assert_string_equal(cl_pages_french(a, "79"), "79" NBSP "p.");
    assert_string_equal(cl_pages_french(a, "67-74"), "p." NBSP "67-74");
    assert_null(cl_pages_french(a, NULL));
    assert_string_equal(cl_address_short(a, "https://www.insee.fr/fr/"), "insee.fr/fr");
    assert_string_equal(cl_address_short(a, "http://example.org"), "example.org");
}

/* ---- 6. QR codes --------------------------------------------------------------------- */

/* Decode a matrix with zbar (quiet zone added, 4 pixels a module); arena string or NULL. */
static const char *zbar_decode(cl_arena *a, const cl_qr *q)
{
    const int scale = 4, side = (q->width + 2 * CL_QR_QUIET) * scale;
    unsigned char *px = cl_arena_alloc(a, (size_t)side * (size_t)side);
    assert_non_null(px);
    memset(px, 255, (size_t)side * (size_t)side);
    for (int y = 0; y < q->width; y++)
        for (int x = 0; x < q->width; x++)
            if (q->modules[y * q->width + x])
                for (int dy = 0; dy < scale; dy++)
                    for (int dx = 0; dx < scale; dx++)
                        px[((y + CL_QR_QUIET) * scale + dy) * side + (x + CL_QR_QUIET) * scale + dx] = 0;
    zbar_image_scanner_t *sc = zbar_image_scanner_create();
    zbar_image_scanner_set_config(sc, ZBAR_NONE, ZBAR_CFG_ENABLE, 0);
    zbar_image_scanner_set_config(sc, ZBAR_QRCODE, ZBAR_CFG_ENABLE, 1);
    zbar_image_t *img = zbar_image_create();
    zbar_image_set_format(img, zbar_fourcc('Y', '8', '0', '0'));
    zbar_image_set_size(img, (unsigned)side, (unsigned)side);
    zbar_image_set_data(img, px, (unsigned long)side * (unsigned long)side, NULL);
    const char *out = NULL;
    if (zbar_scan_image(sc, img) > 0) {
        const zbar_symbol_t *sym = zbar_image_first_symbol(img);
        if (sym && zbar_symbol_get_type(sym) == ZBAR_QRCODE)
            out = cl_arena_strdup(a, zbar_symbol_get_data(sym));
    }
    zbar_image_destroy(img);
    zbar_image_scanner_destroy(sc);
    return out;
}

static void test_qr_make(void **state)
{
    cl_arena *a = *state;
    cl_err err = {0};
    const char *url = "https://solidarite-numerique.fr/";
    const cl_qr *q = cl_qr_make(a, url, &err);
    assert_non_null(q);
    assert_int_equal(err.code, 0);
    /* 32 bytes at level M need version 3: 29 modules */
    assert_int_equal((q->width - 21) % 4, 0);
    assert_int_equal(q->width, 29);
    assert_string_equal(q->text, url);
    size_t dark = 0;
    for (int i = 0; i < q->width * q->width; i++) {
        assert_true(q->modules[i] == 0 || q->modules[i] == 1);
        dark += q->modules[i];
    }
    /* finder patterns: the top-left corner is dark, the separator next to it light */
    assert_int_equal(q->modules[0], 1);
    assert_int_equal(q->modules[6], 1);
    assert_int_equal(q->modules[7], 0);
    assert_int_equal(q->modules[6 * q->width + 6], 1);
    assert_int_equal(q->modules[(q->width - 1) * q->width], 1);
    assert_true(dark > 200 && dark < 29 * 29 - 200);
    /* a reader gets the address back */
    assert_string_equal(zbar_decode(a, q), url);
}

static void test_qr_percent_encoding(void **state)
{
    cl_arena *a = *state;
    cl_err err = {0};
    const cl_qr *q = cl_qr_make(a, "https://exemple.fr/é", &err);
    assert_non_null(q);
    assert_string_equal(q->text, "https://exemple.fr/%C3%A9");
    assert_string_equal(zbar_decode(a, q), "https://exemple.fr/%C3%A9");
    assert_string_equal(cl_qr_percent_encode(a, "https://x.fr/a b?c=d&e=f#g"), "https://x.fr/a%20b?c=d&e=f#g");
    assert_string_equal(cl_qr_percent_encode(a, "https://x.fr/%41"), "https://x.fr/%41");
    /* case is kept (byte mode) */
    q = cl_qr_make(a, "https://Example.ORG/Page", &err);
    assert_non_null(q);
    assert_string_equal(q->text, "https://Example.ORG/Page");
    assert_string_equal(zbar_decode(a, q), "https://Example.ORG/Page");
}

static void test_qr_too_long(void **state)
{
    cl_arena *a = *state;
    cl_err err = {0};
    size_t n = 4000;
    char *url = cl_arena_alloc(a, n + 1);
    assert_non_null(url);
    memcpy(url, "https://x.fr/", 13);
    memset(url + 13, 'a', n - 13);
    url[n] = 0;
    assert_null(cl_qr_make(a, url, &err));
    assert_int_equal(err.code, CL_E_DATA);
    assert_non_null(strstr(err.msg, "too long"));
}

static void test_qr_linkable(void **state)
{
    (void)state;
    assert_true(cl_qr_linkable("https://solidarite-numerique.fr/"));
    assert_true(cl_qr_linkable("http://example.org"));
    assert_false(cl_qr_linkable("javascript:alert(1)"));
    assert_false(cl_qr_linkable("ftp://x"));
    assert_false(cl_qr_linkable("mailto:a@b.fr"));
    assert_false(cl_qr_linkable("https:/x"));
    assert_false(cl_qr_linkable(""));
    assert_false(cl_qr_linkable(NULL));
}

/* The QR op recorded by cl_block_resource_header for url. */
static const cl_op *resource_qr_op(cl_arena *a, cl_doc *doc, const char *url, float *measure, const cl_op **link)
{
    cl_err *err = CL_NEW(a, cl_err);
    cl_composer *c = CL_NEW(a, cl_composer);
    cl_pass *pass = CL_NEW(a, cl_pass);
    assert_non_null(err);
    assert_non_null(c);
    assert_non_null(pass);
    (void)doc;
    assert_true(cl_composer_init(c, NULL, g_fonts, g_hyph, err, false, 0, NULL, pass, a));
    cl_author *au = CL_NEW(a, cl_author);
    au->org = "Solidarité numérique";
    cl_resource *r = CL_NEW(a, cl_resource);
    *r = (cl_resource){.id = "qr-test", .type = CL_RES_SITE, .authors = au, .n_authors = 1,
                       .title = "Les bons outils", .date = {2020, 0, 0}, .url = url, .accessed = {2021, 1, 2}};
    assert_true(cl_block_resource_header(c, r, 0));
    assert_int_equal(err->code, 0);
    assert_int_equal(c->flow.n, 1);
    const cl_box *b = &c->flow.boxes[0];
    cl_op *qr = NULL, *ln = NULL;
    for (size_t i = 0; i < b->n; i++) { /* copied: the composer's boxes go with it */
        if (b->ops[i].kind == CL_OP_QR) {
            assert_null(qr);
            qr = CL_NEW(a, cl_op);
            *qr = b->ops[i];
        } else if (b->ops[i].kind == CL_OP_LINK_URI) {
            ln = CL_NEW(a, cl_op);
            *ln = b->ops[i];
        }
    }
    *link = ln;
    *measure = c->measure;
    cl_composer_fini(c);
    return qr;
}

static void test_qr_geometry(void **state)
{
    cl_arena *a = *state;
    cl_doc *doc = cl_doc_new(g_fonts);
    assert_non_null(doc);
    const float target = 26.0f * MM_PT, min_module = 0.7f * MM_PT;
    /* the default styles ask for a 26 mm code and modules of at least 0.7 mm (1.984 pt):
     * what zbar still reads on a page turned 4° and blurred, at 150 dpi */
    cl_styles st;
    cl_styles_default(&st);
    assert_float_equal(st.qr_target, target, 1e-4);
    assert_float_equal(st.qr_min_module, 1.984, 0.001);
    assert_float_equal(CL_QR_QUIET_PT(2.0f), 8.0f, 1e-6);

    /* short address: 29 modules + 2 × 4 quiet → module 26 mm / 37 */
    float measure;
    const cl_op *link;
    const cl_op *op = resource_qr_op(a, doc, "https://solidarite-numerique.fr/", &measure, &link);
    assert_non_null(op);
    assert_int_equal(op->qr->width, 29);
    assert_string_equal(op->qr->text, "https://solidarite-numerique.fr/");
    float m = target / (29 + 8);
    assert_float_equal(op->size, m, 1e-4);
    assert_true(op->size > min_module);
    /* the code with its quiet zone fills the column, flush with the right edge */
    float qr_w = op->size * (float)(op->qr->width + 2 * CL_QR_QUIET);
    assert_float_equal(qr_w, target, 1e-3);
    assert_float_equal(op->x, measure - target, 1e-3);
    assert_float_equal(op->y, 0, 1e-6);
    /* the quiet zone: 4 modules between the op's corner and the first dark module */
    float symbol_x = op->x + CL_QR_QUIET_PT(op->size);
    assert_float_equal(symbol_x - op->x, 4 * m, 1e-4);
    assert_float_equal(symbol_x + op->size * (float)op->qr->width + CL_QR_QUIET_PT(op->size), measure, 1e-3);
    /* one link over the code, to the encoded address */
    assert_non_null(link);
    assert_string_equal(link->text, op->qr->text);
    assert_float_equal(link->x, measure - target, 1e-3);
    assert_true(link->h >= qr_w);

    /* a very short address (21 modules): 26 mm / 29 would make a 18.8 mm symbol; no symbol
     * is printed under 20 mm */
    op = resource_qr_op(a, doc, "http://a.fr", &measure, &link);
    assert_non_null(op);
    assert_int_equal(op->qr->width, 21);
    assert_float_equal(op->size * 21, CL_QR_MIN_SYMBOL, 1e-3);
    assert_float_equal(CL_QR_MIN_SYMBOL, 20 * MM_PT, 1e-3);

    /* long address: 26 mm / (width + 8) would fall under 0.7 mm, the module stays 0.7 mm */
    char url[260];
    snprintf(url, sizeof url, "https://www.example.org/%s",
             "ressources/2021/fracture-numerique/illectronisme-et-inclusion/un-chemin-tres-long-pour-un-qr-code/"
             "avec-beaucoup-de-segments/et-encore-des-segments/fin.html?source=classeur&page=12");
    op = resource_qr_op(a, doc, url, &measure, &link);
    assert_non_null(op);
    assert_true(op->qr->width >= 45);
    assert_true(target / (float)(op->qr->width + 8) < min_module);
    assert_float_equal(op->size, min_module, 1e-4);
    assert_float_equal(CL_QR_QUIET_PT(op->size), 4 * min_module, 1e-4);
    /* wider than the 26 mm column: the column widens to hold it (the reference beside it
     * gets narrower) and the code stays flush with the right edge, never over the text */
    float w = op->size * (float)(op->qr->width + 2 * CL_QR_QUIET);
    assert_true(w > target);
    assert_float_equal(op->x + w, measure, 1e-3);
    assert_float_equal(link->x, op->x, 1e-3);

    /* no linkable address: no code */
    op = resource_qr_op(a, doc, "ftp://x", &measure, &link);
    assert_null(op);
    assert_null(link);
    cl_doc_drop(doc);
}

/* ---- 7. pagination ------------------------------------------------------------------- */

/* n boxes of height h, each with one text op and anchor = its index. */
static void add_lines(cl_flow *f, size_t n, float h)
{
    for (size_t i = 0; i < n; i++) {
        size_t idx = f->n;
        cl_box *b = cl_flow_box(f, h);
        assert_non_null(b);
        b->anchor = (int)idx;
        assert_true(cl_box_text(f, b, CL_FACE_SERIF, 10.5f, 0, 10, "ligne"));
    }
}

static void set_anchors(cl_flow *f, size_t from)
{
    for (size_t i = from; i < f->n; i++)
        f->boxes[i].anchor = (int)i;
}

static void test_paginate_lines(void **state)
{
    cl_arena *a = *state;
    cl_err err = {0};
    cl_ts ts = make_ts(a, &err);
    cl_pagespec ps;
    cl_pagespec_a4(&ps, false);
    /* 841.89 − 25 mm − 22 mm = 708.66 pt: 52 lines of 13.5 pt (702 pt) a page */
    float avail = ps.height - ps.top - ps.bottom;
    assert_float_equal(avail, 708.66, 0.01);
    cl_flow f;
    cl_flow_init(&f, &ts, 200);
    add_lines(&f, 200, 13.5f);
    cl_doc *doc = cl_doc_new(g_fonts);
    assert_non_null(doc);
    assert_true(cl_flow_paginate(&f, &ps, doc));
    assert_int_equal(err.code, 0);
    assert_int_equal(doc->n_pages, 4);
    assert_int_equal(doc->pages[0]->n, 52);
    assert_int_equal(doc->pages[1]->n, 52);
    assert_int_equal(doc->pages[2]->n, 52);
    assert_int_equal(doc->pages[3]->n, 44);
    assert_int_equal(f.anchor_page[51], 0);
    assert_int_equal(f.anchor_page[52], 1);
    assert_int_equal(f.anchor_page[199], 3);
    assert_float_equal(f.anchor_y[0], ps.top, 0.01);
    assert_float_equal(f.anchor_y[51], ps.top + 51 * 13.5f, 0.01);
    assert_float_equal(f.anchor_y[52], ps.top, 0.01);
    /* ops are placed on the page: baseline 10 below the box top, at the left margin */
    assert_float_equal(doc->pages[1]->ops[0].y, ps.top + 10, 0.01);
    assert_float_equal(doc->pages[1]->ops[0].x, ps.inner, 0.01);
    assert_float_equal(doc->pages[0]->width, ps.width, 0.001);
    assert_float_equal(doc->pages[0]->height, ps.height, 0.001);
    cl_doc_drop(doc);
}

static void test_paginate_keep_chain(void **state)
{
    cl_arena *a = *state;
    cl_err err = {0};
    cl_ts ts = make_ts(a, &err);
    cl_pagespec ps;
    cl_pagespec_a4(&ps, false);
    cl_flow f;
    cl_flow_init(&f, &ts, 100);
    add_lines(&f, 50, 13.5f);
    /* a chain of 5 kept together: only 2 fit on page 1, so all 5 move */
    add_lines(&f, 5, 13.5f);
    for (size_t i = 50; i < 54; i++)
        f.boxes[i].keep_with_next = true;
    add_lines(&f, 10, 13.5f);
    cl_doc *doc = cl_doc_new(g_fonts);
    assert_true(cl_flow_paginate(&f, &ps, doc));
    assert_int_equal(doc->n_pages, 2);
    assert_int_equal(f.anchor_page[49], 0);
    for (int i = 50; i < 55; i++)
        assert_int_equal(f.anchor_page[i], 1);
    assert_float_equal(f.anchor_y[50], ps.top, 0.01);
    assert_int_equal(doc->pages[0]->n, 50);
    assert_int_equal(doc->pages[1]->n, 15);
    cl_doc_drop(doc);

    /* a chain taller than a page breaks where it must rather than loop */
    cl_flow g;
    cl_flow_init(&g, &ts, 120);
    add_lines(&g, 120, 13.5f);
    for (size_t i = 0; i + 1 < g.n; i++)
        g.boxes[i].keep_with_next = true;
    doc = cl_doc_new(g_fonts);
    assert_true(cl_flow_paginate(&g, &ps, doc));
    assert_int_equal(doc->n_pages, 3);
    assert_int_equal(g.anchor_page[51], 0);
    assert_int_equal(g.anchor_page[52], 1);
    cl_doc_drop(doc);
}

/* Lines of a paragraph of n_words short words at a measure where each word needs its own
 * line, after `fill` filler lines; returns the pages its lines land on. */
static void paragraph_after(cl_arena *a, size_t fill, size_t n_words, int *pages, float *first_y)
{
    cl_err err = {0};
    cl_ts ts = make_ts(a, &err);
    cl_pagespec ps;
    cl_pagespec_a4(&ps, false);
    cl_textstyle st = ragged_style(); /* leading 13.5 */
    static const char *const words = "alpha beta gamma delta epsilon zeta eta";
    char text[64] = "";
    const char *p = words;
    for (size_t i = 0; i < n_words; i++) {
        const char *sp = strchr(p, ' ');
        size_t l = sp ? (size_t)(sp - p) : strlen(p);
        if (i)
            strcat(text, " ");
        strncat(text, p, l);
        p += l + 1;
    }
    cl_rich r = cl_rich_plain(a, NULL, text, 0);
    size_t n;
    cl_break_lines(&ts, &r, &st, 40, &n);
    assert_int_equal(n, n_words); /* one word a line */

    cl_flow f;
    cl_flow_init(&f, &ts, fill + n_words + 61);
    add_lines(&f, fill, 13.5f);
    size_t first = f.n;
    assert_true(cl_flow_paragraph(&f, &r, &st, 0, 40, 6, false));
    assert_int_equal(f.n, first + n_words);
    set_anchors(&f, first);
    add_lines(&f, 60, 13.5f); /* more text after it: the paragraph's own rules decide */
    cl_doc *doc = cl_doc_new(g_fonts);
    assert_true(cl_flow_paginate(&f, &ps, doc));
    assert_int_equal(err.code, 0);
    for (size_t i = 0; i < n_words; i++)
        pages[i] = f.anchor_page[first + i];
    *first_y = f.anchor_y[first];
    cl_doc_drop(doc);
}

/* The last page of a document (or the page before a forced page break) holds at least
 * three boxes when the text could reach it with more: never two lines left over. */
static void test_paginate_last_page(void **state)
{
    cl_arena *a = *state;
    cl_err err = {0};
    cl_ts ts = make_ts(a, &err);
    cl_pagespec ps;
    cl_pagespec_a4(&ps, false);
    for (size_t extra = 1; extra <= 4; extra++) {
        cl_flow f;
        cl_flow_init(&f, &ts, 52 + extra);
        add_lines(&f, 52 + extra, 13.5f); /* a page holds 52 */
        cl_doc *doc = cl_doc_new(g_fonts);
        assert_true(cl_flow_paginate(&f, &ps, doc));
        assert_int_equal(doc->n_pages, 2);
        size_t last = 0;
        for (size_t i = 0; i < 52 + extra; i++)
            last += f.anchor_page[i] == 1;
        assert_true(last >= 3);
        cl_doc_drop(doc);
    }
}

static void test_paginate_widow_orphan(void **state)
{
    cl_arena *a = *state;
    cl_pagespec ps;
    cl_pagespec_a4(&ps, false);
    int pg[8];
    float y;
    /* 708.66 pt a page; the paragraph has 6 pt before it, so after k fillers there is
     * room for floor((708.66 − 13.5 k − 6) / 13.5) of its lines: 3 after 49 fillers, 2
     * after 50, 1 after 51 */
    paragraph_after(a, 49, 3, pg, &y);
    assert_int_equal(pg[0], 0);
    assert_int_equal(pg[1], 0);
    assert_int_equal(pg[2], 0);
    assert_float_equal(y, ps.top + 49 * 13.5f + 6, 0.01);
    /* room for 2: the last line alone on top would be a widow, all three move */
    paragraph_after(a, 50, 3, pg, &y);
    assert_int_equal(pg[0], 1);
    assert_int_equal(pg[1], 1);
    assert_int_equal(pg[2], 1);
    /* the space before is dropped at the top of the page */
    assert_float_equal(y, ps.top, 0.01);
    /* room for 1: an orphan, all three move */
    paragraph_after(a, 51, 3, pg, &y);
    assert_int_equal(pg[0], 1);
    assert_int_equal(pg[1], 1);
    assert_int_equal(pg[2], 1);

    /* 5 lines may split 3 + 2 or 2 + 3, never 4 + 1 or 1 + 4 */
    paragraph_after(a, 48, 5, pg, &y); /* room for 4: 3 stay */
    assert_int_equal(pg[0], 0);
    assert_int_equal(pg[2], 0);
    assert_int_equal(pg[3], 1);
    assert_int_equal(pg[4], 1);
    paragraph_after(a, 49, 5, pg, &y); /* room for 3 */
    assert_int_equal(pg[2], 0);
    assert_int_equal(pg[3], 1);
    paragraph_after(a, 50, 5, pg, &y); /* room for 2 */
    assert_int_equal(pg[1], 0);
    assert_int_equal(pg[2], 1);
    assert_int_equal(pg[4], 1);
    paragraph_after(a, 51, 5, pg, &y); /* room for 1: all move */
    assert_int_equal(pg[0], 1);
    assert_int_equal(pg[4], 1);

    /* whatever the filling, no page holds a single line of a 3-line paragraph */
    for (size_t fill = 40; fill < 60; fill++) {
        paragraph_after(a, fill, 3, pg, &y);
        assert_int_equal(pg[0], pg[2]);
    }
}

static void test_paginate_duplex(void **state)
{
    cl_arena *a = *state;
    cl_err err = {0};
    cl_ts ts = make_ts(a, &err);
    cl_pagespec ps;
    cl_pagespec_a4(&ps, true);
    assert_float_equal(cl_pagespec_left(&ps, 0), 30 * MM_PT, 0.01);
    assert_float_equal(cl_pagespec_left(&ps, 1), 20 * MM_PT, 0.01);
    assert_float_equal(cl_pagespec_left(&ps, 2), 30 * MM_PT, 0.01);
    assert_true(fabsf(cl_pagespec_left(&ps, 0) - cl_pagespec_left(&ps, 1)) > 1);
    /* same measure on both sides */
    assert_float_equal(cl_pagespec_measure(&ps), 595.276f - 50 * MM_PT, 0.01);
    cl_pagespec simplex;
    cl_pagespec_a4(&simplex, false);
    assert_float_equal(cl_pagespec_left(&simplex, 0), cl_pagespec_left(&simplex, 1), 1e-6);

    /* pagination places even pages at the other margin */
    cl_flow f;
    cl_flow_init(&f, &ts, 0);
    add_lines(&f, 60, 13.5f);
    cl_doc *doc = cl_doc_new(g_fonts);
    assert_true(cl_flow_paginate(&f, &ps, doc));
    assert_int_equal(doc->n_pages, 2);
    assert_float_equal(doc->pages[0]->ops[0].x, 30 * MM_PT, 0.01);
    assert_float_equal(doc->pages[1]->ops[0].x, 20 * MM_PT, 0.01);
    cl_doc_drop(doc);
}

static void test_paginate_breaks(void **state)
{
    cl_arena *a = *state;
    cl_err err = {0};
    cl_ts ts = make_ts(a, &err);
    cl_pagespec ps;
    cl_pagespec_a4(&ps, true);
    cl_flow f;
    cl_flow_init(&f, &ts, 10);
    add_lines(&f, 3, 13.5f);
    /* a forced break (page 2); then a start on an odd page: page 3 is odd, no blank; then
     * another odd start after page 3 needs a blank page 4 */
    add_lines(&f, 2, 13.5f);
    f.boxes[3].break_before = true;
    add_lines(&f, 2, 13.5f);
    f.boxes[5].break_before = true;
    f.boxes[5].odd_page = true;
    add_lines(&f, 1, 13.5f);
    f.boxes[7].break_before = true;
    f.boxes[7].odd_page = true;
    cl_doc *doc = cl_doc_new(g_fonts);
    assert_true(cl_flow_paginate(&f, &ps, doc));
    assert_int_equal(f.anchor_page[0], 0);
    assert_int_equal(f.anchor_page[3], 1);
    assert_int_equal(f.anchor_page[5], 2);
    assert_int_equal(f.anchor_page[7], 4);
    assert_int_equal(doc->n_pages, 5);
    assert_int_equal(doc->pages[3]->n, 0); /* the blank page */
    cl_doc_drop(doc);
}

static void test_paginate_space_before_at_top(void **state)
{
    cl_arena *a = *state;
    cl_err err = {0};
    cl_ts ts = make_ts(a, &err);
    cl_pagespec ps;
    cl_pagespec_a4(&ps, false);
    cl_flow f;
    cl_flow_init(&f, &ts, 104);
    /* a full page of 52 lines, then 52 more of which the first has 10 pt before it: at
     * the top of page 2 that space is dropped, so all 52 (702 pt) fit there; counted,
     * they would need 712 pt and the last line would go to a third page */
    add_lines(&f, 104, 13.5f);
    f.boxes[52].space_before = 10;
    cl_doc *doc = cl_doc_new(g_fonts);
    assert_true(cl_flow_paginate(&f, &ps, doc));
    assert_int_equal(doc->n_pages, 2);
    assert_int_equal(f.anchor_page[52], 1);
    assert_int_equal(f.anchor_page[103], 1);
    assert_float_equal(f.anchor_y[52], ps.top, 0.01);
    assert_float_equal(f.anchor_y[103], ps.top + 51 * 13.5f, 0.01);
    cl_doc_drop(doc);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, arena_setup, arena_teardown)
    const struct CMUnitTest tests[] = {
        T(test_french_colon),
        T(test_french_guillemets),
        T(test_french_narrow_spaces),
        T(test_french_apostrophe_ellipsis_dash),
        T(test_french_spaces_collapse),
        T(test_french_leaves_addresses_alone),
        T(test_french_idempotent),
        T(test_markup_paragraphs_and_items),
        T(test_markup_styles),
        T(test_markup_lone_star),
        T(test_hyph_points),
        T(test_hyph_none),
        T(test_break_justified),
        T(test_break_ragged),
        T(test_break_no_break_spaces),
        T(test_break_indent_and_overfull),
        T(test_french_quotes),
        T(test_french_numbers),
        T(test_french_capitals_list),
        T(test_reference_rapport),
        T(test_reference_article),
        T(test_reference_site),
        T(test_reference_podcast),
        T(test_reference_video),
        T(test_reference_authorities),
        T(test_reference_helpers),
        T(test_qr_make),
        T(test_qr_percent_encoding),
        T(test_qr_too_long),
        T(test_qr_linkable),
        T(test_qr_geometry),
        T(test_paginate_lines),
        T(test_paginate_keep_chain),
        T(test_paginate_widow_orphan),
        T(test_paginate_last_page),
        T(test_paginate_duplex),
        T(test_paginate_breaks),
        T(test_paginate_space_before_at_top),
    };
#undef T
    return cmocka_run_group_tests_name("typeset", tests, group_setup, group_teardown);
}
