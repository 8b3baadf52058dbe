/* test_render.c: the picture and text backends — render/cairo.c (PNG, SVG, grey rasters,
 * contact sheets) and render/trace.c.
 *
 * The main checks render every page of the default course's documents (teacher handout,
 * student study sheets, course binder) with cairo into memory, decode every QR code on
 * them with libzbar and compare the addresses with the selection's; and check that QR
 * modules land on whole pixels. The others pin the glyph placement (one glyph per code
 * point, advanced by cl_fonts_advance, as the line breaker measured), the output formats
 * and the exact trace text of a small hand-made document.
 *
 * Runs from the repository root: data from data/, fonts from fonts/, the patterns from
 * the system's hyph_fr.dic. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zbar.h>

#include "compose/documents.h"
#include "compose/layoutfile.h"
#include "model/model.h"
#include "render/cairo.h"
#include "typeset/displaylist.h"
#include "compose/qr.h"
#include "render/trace.h"
#include "typeset/font.h"
#include "typeset/hyph.h"
#include "util/arena.h"
#include "util/buf.h"

#define COURSE "bts-sp3s-module-c" /* the default course (README) */
#define DPI 150.0

/* Shared by every test: loaded once by the group setup. */
static cl_catalog *g_cat;
static const cl_course *g_course;
static cl_fonts *g_fonts;
static cl_hyph *g_hyph;

static int group_setup(void **state)
{
    (void)state;
    cl_diags d = {0};
    g_cat = cl_catalog_load("data", NULL, 0, &d);
    if (!g_cat || d.errors) {
        cl_diags_print(&d, stderr);
        fprintf(stderr, "test_render: cannot load data/ (run from the repository root)\n");
        cl_diags_free(&d);
        return -1;
    }
    cl_diags_free(&d);
    g_course = cl_catalog_course(g_cat, COURSE);
    cl_err err = {0};
    g_fonts = cl_fonts_load("fonts", &err);
    g_hyph = cl_hyph_load(NULL, &(cl_err){0});
    if (!g_course || !g_fonts || !g_hyph) {
        fprintf(stderr, "test_render: missing course %s, fonts/ or hyph_fr.dic (%s)\n", COURSE, err.msg);
        return -1;
    }
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    cl_hyph_drop(g_hyph);
    cl_fonts_drop(g_fonts);
    cl_catalog_drop(g_cat);
    return 0;
}

/* ---- helpers ------------------------------------------------------------------------- */

/* The document of kind for the default course, in layouts/NAME.yaml (NULL: built in). */
static cl_doc *compose_in(int kind, const char *layout)
{
    cl_err err = {0};
    cl_layout lay;
    if (layout) {
        cl_diags d = {0};
        bool ok = cl_document_layout(&lay, g_course, layout, "layouts", &d);
        cl_diags_print(&d, stderr);
        assert_true(ok && d.errors == 0);
        cl_diags_free(&d);
    }
    cl_doc *doc = cl_document_compose_layout(g_cat, g_course, kind, g_fonts, g_hyph, layout ? &lay : NULL, &err);
    if (!doc)
        fail_msg("composing kind %d: %s", kind, err.msg);
    assert_int_equal(err.code, 0);
    assert_true(doc->n_pages > 0);
    return doc;
}

static cl_doc *compose(int kind) { return compose_in(kind, NULL); }

/* Every address the course's selection turns into a code, as encoded (percent-encoded
 * bytes; the same as the data for plain ASCII addresses), sorted. */
typedef struct strlist {
    char *s[256];
    size_t n;
} strlist;

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void strlist_free(strlist *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->s[i]);
    l->n = 0;
}

static void expected_addresses(cl_arena *a, strlist *out)
{
    out->n = 0;
    for (size_t i = 0; i < g_course->n_items; i++) {
        const cl_resource *r = g_course->items[i].resource;
        assert_non_null(r);
        if (!cl_qr_linkable(r->url))
            continue;
        assert_true(out->n < 256);
        out->s[out->n++] = strdup(cl_qr_percent_encode(a, r->url));
    }
    qsort(out->s, out->n, sizeof out->s[0], cmp_str);
}

/* Decode every QR code of a grey picture into out (appended). */
static void zbar_page(const cl_grey *g, strlist *out)
{
    zbar_image_scanner_t *sc = zbar_image_scanner_create();
    zbar_image_scanner_set_config(sc, ZBAR_NONE, ZBAR_CFG_ENABLE, 0);
    zbar_image_scanner_set_config(sc, ZBAR_QRCODE, ZBAR_CFG_ENABLE, 1);
    zbar_image_t *img = zbar_image_create();
    zbar_image_set_format(img, zbar_fourcc('Y', '8', '0', '0'));
    zbar_image_set_size(img, (unsigned)g->width, (unsigned)g->height);
    zbar_image_set_data(img, g->pixels, (unsigned long)g->width * (unsigned long)g->height, NULL);
    assert_true(zbar_scan_image(sc, img) >= 0);
    for (const zbar_symbol_t *sym = zbar_image_first_symbol(img); sym; sym = zbar_symbol_next(sym)) {
        assert_int_equal(zbar_symbol_get_type(sym), ZBAR_QRCODE);
        assert_true(out->n < 256);
        out->s[out->n++] = strdup(zbar_symbol_get_data(sym));
    }
    zbar_image_destroy(img);
    zbar_image_scanner_destroy(sc);
}

/* Render every page of kind at dpi, decode every code, compare with the selection. */
static void check_codes(void **state, int kind, const char *layout, double dpi)
{
    cl_arena *a = *state;
    cl_doc *doc = compose_in(kind, layout);
    strlist got = {0}, want = {0};
    for (size_t i = 0; i < doc->n_pages; i++) {
        cl_grey g;
        cl_err err = {0};
        assert_true(cl_cairo_page_grey(doc, i, dpi, &g, &err));
        int w, h;
        cl_cairo_page_pixels(doc, i, dpi, &w, &h);
        assert_int_equal(g.width, w);
        assert_int_equal(g.height, h);
        zbar_page(&g, &got);
        cl_grey_free(&g);
    }
    qsort(got.s, got.n, sizeof got.s[0], cmp_str);
    expected_addresses(a, &want);
    assert_true(want.n >= 2); /* the default course has addresses to test */
    if (got.n != want.n) {
        for (size_t i = 0; i < got.n; i++)
            fprintf(stderr, "decoded: %s\n", got.s[i]);
        for (size_t i = 0; i < want.n; i++)
            fprintf(stderr, "expected: %s\n", want.s[i]);
    }
    assert_int_equal(got.n, want.n);
    for (size_t i = 0; i < want.n; i++)
        assert_string_equal(got.s[i], want.s[i]);
    strlist_free(&got);
    strlist_free(&want);
    cl_doc_drop(doc);
}

/* ---- QR codes read back from the pictures ------------------------------------------- */

static void test_handout_codes(void **state) { check_codes(state, CL_DOC_HANDOUT, NULL, DPI); }
static void test_study_codes(void **state) { check_codes(state, CL_DOC_STUDY, NULL, DPI); }
static void test_binder_codes(void **state) { check_codes(state, CL_DOC_BINDER, NULL, DPI); }
/* a lower resolution, where modules are fewer whole pixels, still reads */
static void test_handout_codes_100dpi(void **state) { check_codes(state, CL_DOC_HANDOUT, NULL, 100); }
/* booklet sheets: A5 pages two-up, every other sheet side turned 180° */
static void test_booklet_codes(void **state) { check_codes(state, CL_DOC_STUDY, "booklet", DPI); }

/* A page as a phone sees it in a classroom: turned by `degrees` and softened once by a
 * 1-2-1 filter across and down, on white. Returns a new picture the caller frees. */
static cl_grey degrade(const cl_grey *g, double degrees)
{
    cl_grey out = {g->width, g->height, malloc((size_t)g->width * (size_t)g->height)};
    unsigned char *tmp = malloc((size_t)g->width * (size_t)g->height);
    assert_non_null(out.pixels);
    assert_non_null(tmp);
    double a = degrees * M_PI / 180, ca = cos(a), sa = sin(a);
    double cx = g->width / 2.0, cy = g->height / 2.0;
    for (int y = 0; y < g->height; y++)
        for (int x = 0; x < g->width; x++) { /* bilinear sample of the turned page */
            double sx = ca * (x - cx) + sa * (y - cy) + cx, sy = -sa * (x - cx) + ca * (y - cy) + cy;
            int x0 = (int)floor(sx), y0 = (int)floor(sy);
            double fx = sx - x0, fy = sy - y0, v = 0;
            for (int k = 0; k < 4; k++) {
                int px = x0 + (k & 1), py = y0 + (k >> 1);
                double w = ((k & 1) ? fx : 1 - fx) * ((k >> 1) ? fy : 1 - fy);
                v += w * ((px < 0 || py < 0 || px >= g->width || py >= g->height)
                              ? 255
                              : g->pixels[(size_t)py * (size_t)g->width + (size_t)px]);
            }
            out.pixels[(size_t)y * (size_t)g->width + (size_t)x] = (unsigned char)lround(v);
        }
    int passes = 1;
    for (int pass = 0; pass < passes; pass++) { /* soft focus: a 1-2-1 kernel across, then down */
        size_t W = (size_t)g->width;
        memcpy(tmp, out.pixels, W * (size_t)g->height);
        for (int y = 0; y < g->height; y++)
            for (int x = 1; x + 1 < g->width; x++) {
                const unsigned char *r = tmp + (size_t)y * W + (size_t)x;
                out.pixels[(size_t)y * W + (size_t)x] = (unsigned char)((r[-1] + 2 * r[0] + r[1]) / 4);
            }
        memcpy(tmp, out.pixels, W * (size_t)g->height);
        for (int y = 1; y + 1 < g->height; y++)
            for (int x = 0; x < g->width; x++) {
                const unsigned char *r = tmp + (size_t)y * W + (size_t)x;
                out.pixels[(size_t)y * W + (size_t)x] = (unsigned char)((r[-W] + 2 * r[0] + r[W]) / 4);
            }
    }
    free(tmp);
    return out;
}

/* Every code of every built-in layout's documents decodes from pages rendered at 150 dpi,
 * turned a few degrees and blurred: codes are large enough to survive a poor photo. */
static void test_codes_degraded(void **state)
{
    (void)state;
    static const char *const layouts[] = {"default", "dys", "large-print", "eco", "booklet"};
    static const int kinds[] = {CL_DOC_HANDOUT, CL_DOC_STUDY, CL_DOC_BINDER};
    size_t total = 0;
    for (size_t l = 0; l < sizeof layouts / sizeof layouts[0]; l++)
        for (size_t k = 0; k < 3; k++) {
            cl_doc *doc = compose_in(kinds[k], layouts[l]);
            strlist got = {0}, want = {0};
            for (size_t i = 0; i < doc->n_pages; i++) {
                for (size_t o = 0; o < doc->pages[i]->n; o++)
                    if (doc->pages[i]->ops[o].kind == CL_OP_QR && want.n < 256)
                        want.s[want.n++] = strdup(doc->pages[i]->ops[o].qr->text);
                cl_grey g;
                cl_err err = {0};
                assert_true(cl_cairo_page_grey(doc, i, DPI, &g, &err));
                cl_grey d = degrade(&g, i % 2 ? -4.0 : 4.0);
                zbar_page(&d, &got);
                cl_grey_free(&g);
                cl_grey_free(&d);
            }
            qsort(got.s, got.n, sizeof got.s[0], cmp_str);
            qsort(want.s, want.n, sizeof want.s[0], cmp_str);
            if (got.n != want.n) {
                for (size_t i = 0; i < want.n; i++) {
                    bool seen = false;
                    for (size_t j = 0; j < got.n; j++)
                        seen |= !strcmp(got.s[j], want.s[i]);
                    if (!seen)
                        fprintf(stderr, "not decoded: %s\n", want.s[i]);
                }
                fail_msg("layout %s, kind %d: %zu of %zu codes decoded from the degraded pages", layouts[l], kinds[k],
                         got.n, want.n);
            }
            for (size_t i = 0; i < want.n; i++)
                assert_string_equal(got.s[i], want.s[i]);
            total += want.n;
            strlist_free(&got);
            strlist_free(&want);
            cl_doc_drop(doc);
        }
    /* and the whole-dossier binder, with every address of the data */
    cl_layout lay;
    cl_diags d = {0};
    assert_true(cl_document_layout(&lay, NULL, "default", "layouts", &d));
    cl_diags_free(&d);
    cl_err err = {0};
    cl_doc *doc = cl_document_compose_layout(g_cat, NULL, CL_DOC_BINDER, g_fonts, g_hyph, &lay, &err);
    assert_non_null(doc);
    size_t want = 0, got = 0;
    for (size_t i = 0; i < doc->n_pages; i++) {
        for (size_t o = 0; o < doc->pages[i]->n; o++)
            want += doc->pages[i]->ops[o].kind == CL_OP_QR;
        cl_grey g;
        assert_true(cl_cairo_page_grey(doc, i, DPI, &g, &err));
        cl_grey dg = degrade(&g, i % 2 ? -4.0 : 4.0);
        strlist s = {0};
        zbar_page(&dg, &s);
        got += s.n;
        strlist_free(&s);
        cl_grey_free(&g);
        cl_grey_free(&dg);
    }
    cl_doc_drop(doc);
    assert_true(want >= 40);
    assert_int_equal(got, want);
    assert_true(total >= 60);
}

/* Every module of every code covers the same whole number of pixels, pure black on pure
 * white: the area of the symbol and three quarters of its quiet zone holds only 0 and
 * 255, and its black pixels are the dark modules times the square of a whole number of
 * pixels within one pixel of the module's exact size. */
static void check_modules(int kind, const char *layout, double dpi)
{
    cl_doc *doc = compose_in(kind, layout);
    size_t codes = 0;
    for (size_t i = 0; i < doc->n_pages; i++) {
        const cl_page *p = doc->pages[i];
        cl_grey g = {0};
        for (size_t k = 0; k < p->n; k++) {
            const cl_op *op = &p->ops[k];
            if (op->kind != CL_OP_QR)
                continue;
            if (!g.pixels) {
                cl_err err = {0};
                assert_true(cl_cairo_page_grey(doc, i, dpi, &g, &err));
            }
            double s = dpi / 72.0, m = op->size;
            int side = op->qr->width;
            double x0 = (op->x + m) * s, y0 = (op->y + m) * s, span = (side + 6) * m * s;
            if (p->rotate == 180) { /* the sheet is shown turned */
                x0 = g.width - x0 - span;
                y0 = g.height - y0 - span;
            }
            size_t black = 0, dark = 0;
            for (int y = (int)ceil(y0); y < (int)(y0 + span); y++) {
                for (int x = (int)ceil(x0); x < (int)(x0 + span); x++) {
                    unsigned char v = g.pixels[(size_t)y * (size_t)g.width + (size_t)x];
                    if (v != 0 && v != 255)
                        fail_msg("page %zu, code %s: pixel (%d, %d) is %d, not pure black or white", i + 1,
                                 op->qr->text, x, y, v);
                    black += v == 0;
                }
            }
            for (int j = 0; j < side * side; j++)
                dark += op->qr->modules[j];
            assert_true(dark > 0 && black % dark == 0);
            double mi = sqrt((double)(black / dark));
            if (mi != floor(mi) || fabs(mi - m * s) >= 1)
                fail_msg("page %zu, code %s: %zu black pixels for %zu dark modules of %.2f px", i + 1, op->qr->text,
                         black, dark, m * s);
            codes++;
        }
        cl_grey_free(&g);
    }
    assert_true(codes >= 2);
    cl_doc_drop(doc);
}

static void test_modules_whole_pixels(void **state)
{
    (void)state;
    check_modules(CL_DOC_HANDOUT, NULL, 150);
    check_modules(CL_DOC_HANDOUT, NULL, 96);
    check_modules(CL_DOC_STUDY, NULL, 203);
    check_modules(CL_DOC_STUDY, "booklet", 150);
}

/* ---- glyph placement -------------------------------------------------------------- */

/* The largest difference between two grey pictures of the same size. */
static int max_diff(const cl_grey *a, const cl_grey *b)
{
    assert_int_equal(a->width, b->width);
    assert_int_equal(a->height, b->height);
    int worst = 0;
    for (size_t i = 0; i < (size_t)a->width * (size_t)a->height; i++) {
        int d = abs(a->pixels[i] - b->pixels[i]);
        worst = d > worst ? d : worst;
    }
    return worst;
}

/* A run is drawn one glyph per code point, each advanced by cl_fonts_advance × size:
 * one op "HIEÉ" looks like four ops placed with those advances (the same pixels but for
 * anti-aliasing noise: glyphs filled together or one by one), and clearly unlike four
 * ops with the last one half a point off. Size 64 and the fonts' 2048 units per em keep
 * every position exact. */
static void test_run_advances(void **state)
{
    (void)state;
    static const char *const parts[] = {"H", "I", "E", "\xC3\x89"};
    cl_doc *one = cl_doc_new(g_fonts), *four = cl_doc_new(g_fonts), *off = cl_doc_new(g_fonts);
    assert_true(one && four && off);
    cl_page *p1 = cl_doc_add_page(one, 300, 100), *p4 = cl_doc_add_page(four, 300, 100);
    cl_page *po = cl_doc_add_page(off, 300, 100);
    assert_true(cl_page_text(one, p1, CL_FACE_SANS, 64, 10, 70, "HIE\xC3\x89", 5));
    double x = 10;
    for (int i = 0; i < 4; i++) {
        size_t n = strlen(parts[i]);
        assert_true(cl_page_text(four, p4, CL_FACE_SANS, 64, (float)x, 70, parts[i], n));
        assert_true(cl_page_text(off, po, CL_FACE_SANS, 64, (float)x + (i == 3 ? 0.5f : 0), 70, parts[i], n));
        x += cl_fonts_width(g_fonts, CL_FACE_SANS, parts[i], n) * 64;
    }
    /* the run is as wide as the layout measured it */
    assert_true(fabs((x - 10) - cl_fonts_width(g_fonts, CL_FACE_SANS, "HIE\xC3\x89", 5) * 64) < 1e-9);
    for (double dpi = 72; dpi <= 300; dpi += 76) {
        cl_grey a, b, c;
        cl_err err = {0};
        assert_true(cl_cairo_page_grey(one, 0, dpi, &a, &err));
        assert_true(cl_cairo_page_grey(four, 0, dpi, &b, &err));
        assert_true(cl_cairo_page_grey(off, 0, dpi, &c, &err));
        size_t ink = 0;
        for (size_t i = 0; i < (size_t)a.width * (size_t)a.height; i++)
            ink += a.pixels[i] < 128;
        assert_true(ink > 100); /* something was drawn */
        int same = max_diff(&a, &b), shifted = max_diff(&a, &c);
        if (same > 16 || shifted < 64)
            fail_msg("%g dpi: run vs glyphs placed by cl_fonts_advance differ by %d (at most 16 expected); "
                     "vs a glyph half a point off by %d (at least 64 expected)",
                     dpi, same, shifted);
        cl_grey_free(&a);
        cl_grey_free(&b);
        cl_grey_free(&c);
    }
    cl_doc_drop(one);
    cl_doc_drop(four);
    cl_doc_drop(off);
}

/* Thin rules come out crisp: a 0.4 pt rule is one full pixel row at 150 dpi. */
static void test_rules_on_pixels(void **state)
{
    (void)state;
    cl_doc *d = cl_doc_new(g_fonts);
    cl_page *p = cl_doc_add_page(d, 100, 100);
    assert_true(cl_page_line(d, p, 10, 50.3f, 90, 50.3f, 0.4f, 0));
    cl_grey g;
    cl_err err = {0};
    assert_true(cl_cairo_page_grey(d, 0, 150, &g, &err));
    int rows = 0;
    for (int y = 0; y < g.height; y++) {
        unsigned char v = g.pixels[(size_t)y * (size_t)g.width + (size_t)g.width / 2];
        assert_true(v == 0 || v == 255);
        rows += v == 0;
    }
    assert_int_equal(rows, 1);
    cl_grey_free(&g);
    cl_doc_drop(d);
}

/* ---- output formats ---------------------------------------------------------------- */

static bool buf_write(void *ctx, const void *data, size_t n)
{
    cl_buf_put(ctx, data, n);
    return !((cl_buf *)ctx)->failed;
}

static bool failing_write(void *ctx, const void *data, size_t n)
{
    (void)ctx, (void)data, (void)n;
    return false;
}

static uint32_t be32(const char *p)
{
    const unsigned char *u = (const unsigned char *)p;
    return (uint32_t)u[0] << 24 | (uint32_t)u[1] << 16 | (uint32_t)u[2] << 8 | u[3];
}

static void test_png_in_memory(void **state)
{
    (void)state;
    cl_doc *doc = compose(CL_DOC_HANDOUT);
    cl_buf b = {0};
    cl_err err = {0};
    assert_true(cl_cairo_png_write(doc, 0, 100, buf_write, &b, &err));
    assert_true(b.len > 1000);
    assert_memory_equal(b.data, "\x89PNG\r\n\x1a\n", 8);
    assert_memory_equal(b.data + 12, "IHDR", 4);
    assert_int_equal(b.data[24], 8); /* 8 bits */
    assert_int_equal(b.data[25], 0); /* grey */
    int w, h;
    cl_cairo_page_pixels(doc, 0, 100, &w, &h);
    assert_int_equal(be32(b.data + 16), (uint32_t)w);
    assert_int_equal(be32(b.data + 20), (uint32_t)h);
    assert_int_equal(w, 827); /* A4: 595.28 × 841.89 pt, rounded up like pdftoppm */
    assert_int_equal(h, 1170);
    cl_buf_free(&b);
    /* a failing writer is an I/O error */
    assert_false(cl_cairo_png_write(doc, 0, 30, failing_write, NULL, &err));
    assert_int_equal(err.code, CL_E_IO);
    cl_doc_drop(doc);
}

static void test_svg_in_memory(void **state)
{
    (void)state;
    cl_doc *doc = compose(CL_DOC_HANDOUT);
    cl_buf b = {0};
    cl_err err = {0};
    assert_true(cl_cairo_svg_write(doc, doc->n_pages - 1, buf_write, &b, &err));
    const char *s = cl_buf_str(&b);
    assert_true(strncmp(s, "<?xml", 5) == 0);
    assert_non_null(strstr(s, "<svg"));
    assert_non_null(strstr(s, "width=\"595.27")); /* points: 1 user unit = 1 pt */
    assert_non_null(strstr(s, "viewBox=\"0 0 595.27"));
    assert_non_null(strstr(s, "</svg>"));
    cl_buf_free(&b);
    err = (cl_err){0};
    assert_false(cl_cairo_svg_write(doc, 0, failing_write, NULL, &err));
    assert_int_equal(err.code, CL_E_IO);
    cl_doc_drop(doc);
}

static void test_contact_sheet(void **state)
{
    (void)state;
    cl_doc *doc = compose(CL_DOC_STUDY);
    cl_buf b = {0};
    cl_err err = {0};
    assert_true(cl_cairo_contact_write(doc, CL_CONTACT_DPI, CL_CONTACT_COLUMNS, buf_write, &b, &err));
    assert_memory_equal(b.data, "\x89PNG\r\n\x1a\n", 8);
    int w, h;
    cl_cairo_page_pixels(doc, 0, CL_CONTACT_DPI, &w, &h);
    size_t cols = doc->n_pages < CL_CONTACT_COLUMNS ? doc->n_pages : CL_CONTACT_COLUMNS;
    size_t rows = (doc->n_pages + cols - 1) / cols;
    assert_int_equal(be32(b.data + 16), (uint32_t)(cols * (size_t)(w + 24) + 24));
    assert_int_equal(be32(b.data + 20), (uint32_t)(rows * (size_t)(h + 22 + 24) + 24));
    cl_buf_free(&b);
    cl_doc_drop(doc);
}

static void test_render_errors(void **state)
{
    (void)state;
    cl_doc *doc = compose(CL_DOC_HANDOUT);
    cl_grey g;
    cl_err err = {0};
    assert_false(cl_cairo_page_grey(doc, doc->n_pages, 150, &g, &err));
    assert_int_equal(err.code, CL_E_USAGE);
    assert_non_null(strstr(err.msg, "does not exist"));
    assert_null(g.pixels);
    err = (cl_err){0};
    assert_false(cl_cairo_page_grey(doc, 0, 0, &g, &err));
    assert_int_equal(err.code, CL_E_USAGE);
    assert_non_null(strstr(err.msg, "out of range"));
    err = (cl_err){0};
    cl_doc *empty = cl_doc_new(g_fonts);
    assert_false(cl_cairo_contact_write(empty, 48, 4, buf_write, NULL, &err));
    assert_int_equal(err.code, CL_E_USAGE);
    cl_doc_drop(empty);
    cl_doc_drop(doc);
}

/* ---- trace ------------------------------------------------------------------------- */

static void test_trace_small(void **state)
{
    (void)state;
    cl_doc *d = cl_doc_new(g_fonts);
    d->title = "Titre « essai »";
    cl_page *p = cl_doc_add_page(d, 595.2756f, 841.8898f);
    const char *t = "Quoi\xC2\xA0?\t\"a\\b\"\xE2\x80\xAF!";
    assert_true(cl_page_text(d, p, CL_FACE_SANS_BOLD, 10.5f, 85.0394f, -0.001f, t, strlen(t)));
    assert_true(cl_page_rect(d, p, 1.005f, 2, 3.333f, 4, 0.9f));
    assert_true(cl_page_line(d, p, 10, 20, 30, 20, 0.4f, 0.55f));
    cl_op dash = {.kind = CL_OP_LINE, .x = 10, .y = 30, .w = 20.8f, .lw = 0.8f, .grey = 0.5f, .dash_on = 0.8f,
                  .dash_off = 3.2f};
    assert_true(cl_page_push(d, p, &dash));
    assert_true(cl_page_text(d, p, CL_FACE_SERIF, 10, 100, 200, "un deux", 7));
    static const cl_path_seg segs[] = {{'M', 0, 0.5f, 0, 0, 0, 0}, {'C', 1, 1, 0.25f, 0, 0.75f, 0}, {'Z', 0, 0, 0, 0, 0, 0}};
    static const cl_path path = {segs, 3, true, true};
    cl_op po = {.kind = CL_OP_PATH, .x = 5, .y = 6, .size = 16, .lw = 1.1f, .grey = 0.2f, .path = &path};
    assert_true(cl_page_push(d, p, &po));
    static const uint8_t mods[4] = {1, 0, 0, 1};
    static const cl_qr qr = {2, mods, "https://example.org/"};
    cl_op qo = {.kind = CL_OP_QR, .x = 400, .y = 50, .size = 1.5f, .qr = &qr};
    assert_true(cl_page_push(d, p, &qo));
    cl_op lo = {.kind = CL_OP_LINK_URI, .x = 400, .y = 50, .w = 20, .h = 20, .text = "https://example.org/"};
    assert_true(cl_page_push(d, p, &lo));
    cl_op go = {.kind = CL_OP_LINK_PAGE, .x = 1, .y = 2, .w = 3, .h = 4, .target_page = 0, .target_y = 70.5f};
    assert_true(cl_page_push(d, p, &go));
    cl_op fo = {.kind = CL_OP_STROKE_RECT, .x = 1, .y = 2, .w = 3, .h = 4, .lw = 0.5f, .grey = 0.45f};
    assert_true(cl_page_push(d, p, &fo));
    assert_true(cl_doc_add_bookmark(d, "Résumé", 2, 0, 12.345f));
    cl_buf b = {0};
    assert_true(cl_trace_write(d, &b));
    /* "deux" starts after "un" and the space, at the serif's advances */
    char two[160];
    double at = (cl_fonts_advance(g_fonts, CL_FACE_SERIF, 'u') + cl_fonts_advance(g_fonts, CL_FACE_SERIF, 'n') +
                 cl_fonts_advance(g_fonts, CL_FACE_SERIF, ' ')) * 10;
    snprintf(two, sizeof two, "text serif 10.00 100.00 200.00 grey 0.00 \"un deux\" at %.2f\n", at);
    char want[2048];
    snprintf(want, sizeof want, "%s%s%s",
                        "classeur-trace 2\n"
                        "title \"Titre « essai »\"\n"
                        "lang \"fr-FR\"\n"
                        "pages 1\n"
                        "page 1 595.28x841.89 ops 10\n"
                        "text sans-bold 10.50 85.04 0.00 grey 0.00 "
                        "\"Quoi\\u{00A0}?\\u{0009}\\\"a\\\\b\\\"\\u{202F}!\"\n"
                        "rect 1.00 2.00 3.33 4.00 grey 0.90\n"
                        "line 10.00 20.00 30.00 20.00 lw 0.40 grey 0.55\n"
                        "line 10.00 30.00 30.80 30.00 lw 0.80 grey 0.50 dash 0.80 3.20\n", two,
                        "path 5.00 6.00 scale 16.00 lw 1.10 grey 0.20 fill+stroke M 0.00 0.50 C 0.25 0.00 0.75 0.00 1.00 "
                        "1.00 Z\n"
                        "qr 400.00 50.00 module 1.50 width 2 dark 2 hash fc69b797 \"https://example.org/\"\n"
                        "link 400.00 50.00 20.00 20.00 \"https://example.org/\"\n"
                        "goto 1.00 2.00 3.00 4.00 page 1 y 70.50\n"
                        "frame 1.00 2.00 3.00 4.00 lw 0.50 grey 0.45\n"
                        "bookmarks 1\n"
                        "bookmark level 2 page 1 y 12.35 \"Résumé\"\n");
    assert_string_equal(cl_buf_str(&b), want);
    cl_buf_free(&b);
    cl_doc_drop(d);
}

/* The trace of a real document: stable from one run to the next, one line per op. */
static void test_trace_documents(void **state)
{
    (void)state;
    static const int kinds[] = {CL_DOC_HANDOUT, CL_DOC_STUDY, CL_DOC_BINDER};
    for (size_t k = 0; k < 3; k++) {
        cl_doc *a = compose(kinds[k]), *b = compose(kinds[k]);
        cl_buf ta = {0}, tb = {0};
        assert_true(cl_trace_write(a, &ta));
        assert_true(cl_trace_write(b, &tb));
        assert_string_equal(cl_buf_str(&ta), cl_buf_str(&tb));
        size_t lines = 0, ops = 0;
        for (size_t i = 0; i < ta.len; i++)
            lines += ta.data[i] == '\n';
        size_t areas = 0;
        for (size_t i = 0; i < a->n_pages; i++) {
            ops += a->pages[i]->n;
            areas += (size_t)a->pages[i]->n_areas;
            assert_int_equal(a->pages[i]->n_areas, 1); /* pagination names every page's role */
        }
        /* header, title/author/subject/keywords when set, lang, pages, page lines, areas,
         * ops, bookmarks */
        size_t meta = (a->title != NULL) + (a->author != NULL) + (a->subject != NULL) + (a->keywords != NULL) + 1;
        assert_int_equal(lines, 1 + meta + 1 + a->n_pages + areas + ops + 1 + a->n_bookmarks);
        assert_null(strstr(cl_buf_str(&ta), "-0.00"));
        cl_buf_free(&ta);
        cl_buf_free(&tb);
        cl_doc_drop(a);
        cl_doc_drop(b);
    }
}

static int arena_setup(void **state)
{
    *state = cl_arena_new();
    return *state ? 0 : -1;
}

/* A composition error names its cause, the resource and the place of the text at
 * fault: the data of tests/data/bad/unprintable-character (an emoji in a note, Chinese
 * characters in a title), which check refuses, composed anyway. */
static void test_compose_error_context(void **state)
{
    (void)state;
    char dir[] = "/tmp/classeur-test-render-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char cmd[512];
    snprintf(cmd, sizeof cmd,
             "cp -r tests/data/good/. %s && cp -r tests/data/bad/unprintable-character/. %s && rm %s/expected.txt", dir,
             dir, dir);
    assert_int_equal(system(cmd), 0);
    cl_diags d = {0};
    cl_catalog *cat = cl_catalog_load(dir, NULL, 0, &d);
    assert_non_null(cat);
    assert_int_equal(d.errors, 0); /* the loader accepts it: only the fonts can tell */
    const cl_course *co = cl_catalog_course(cat, "bts-sp3s-module-c");
    assert_non_null(co);
    /* each document stops at the first text it meets: the title in the course's
     * documents, the note in the binder (which sets the entries in dossier order) */
    static const struct {
        int kind;
        const char *at, *what;
    } cases[] = {
        {CL_DOC_HANDOUT, "resources/a.yaml:20:10: U+4E2D '\xe4\xb8\xad' (CJK UNIFIED IDEOGRAPH-4E2D)",
         "resource 'podcast-illectronisme'"},
        {CL_DOC_STUDY, "resources/a.yaml:20:10: U+4E2D '\xe4\xb8\xad' (CJK UNIFIED IDEOGRAPH-4E2D)",
         "resource 'podcast-illectronisme'"},
        {CL_DOC_BINDER, "sections/a.yaml:11:15: U+1F9EC '\xf0\x9f\xa7\xac' (DNA DOUBLE HELIX)",
         "resource 'insee-premiere-1780'"},
    };
    for (size_t k = 0; k < 3; k++) {
        cl_err err = {0};
        cl_doc *doc = cl_document_compose(cat, co, cases[k].kind, g_fonts, g_hyph, &err);
        assert_null(doc);
        char want[1024];
        snprintf(want, sizeof want, "%s/%s has no glyph in the fonts of fonts/", dir, cases[k].at);
        if (strncmp(err.msg, want, strlen(want)) || !strstr(err.msg, cases[k].what))
            fail_msg("kind %d: %s\nwanted: %s ... %s", cases[k].kind, err.msg, want, cases[k].what);
        assert_true(err.placed);
    }
    cl_catalog_drop(cat);
    cl_diags_free(&d);
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    assert_int_equal(system(cmd), 0);
}

/* The study sheets' "En bref": sentences up to the limit, never ending on the colon of
 * a paragraph that announces a list (bts-esf-module-2's sheet 8 once stopped at "4 axes :"). */
static void test_note_summary(void **state)
{
    cl_arena *a = *state;
    assert_string_equal(cl_note_summary(a, "Une phrase. Une autre phrase.", 12), "Une phrase.");
    assert_string_equal(cl_note_summary(a, "Premier paragraphe.\n\nSecond.", 300), "Premier paragraphe.");
    const char *listed = "\xC2\xAB Cette d\xC3\xA9marche, d\xC3\xA9ploy\xC3\xA9" "e autour de 2 axes :\n\n"
                         "- \xC3\xA9tudier les usages\n- former au num\xC3\xA9rique \xC2\xBB\n\nSuite.";
    assert_string_equal(cl_note_summary(a, listed, 30),
                        "\xC2\xAB Cette d\xC3\xA9marche, d\xC3\xA9ploy\xC3\xA9" "e autour de 2 axes :\n\n"
                        "- \xC3\xA9tudier les usages\n- former au num\xC3\xA9rique \xC2\xBB");
}

static int arena_teardown(void **state)
{
    cl_arena_drop(*state);
    return 0;
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, arena_setup, arena_teardown)
    const struct CMUnitTest tests[] = {
        T(test_handout_codes),
        T(test_study_codes),
        T(test_binder_codes),
        T(test_handout_codes_100dpi),
        T(test_booklet_codes),
        T(test_modules_whole_pixels),
        T(test_codes_degraded),
        T(test_run_advances),
        T(test_rules_on_pixels),
        T(test_png_in_memory),
        T(test_svg_in_memory),
        T(test_contact_sheet),
        T(test_render_errors),
        T(test_trace_small),
        T(test_trace_documents),
        T(test_compose_error_context),
        T(test_note_summary),
    };
    return cmocka_run_group_tests_name("render", tests, group_setup, group_teardown);
}
