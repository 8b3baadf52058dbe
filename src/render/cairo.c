/* cairo.c: the cairo backend (see cairo.h). */
#include "cairo.h"
#include "qr.h"
#include "../util/utf8.h"
#include <cairo-ft.h>
#include <cairo-svg.h>
#include <cairo.h>
#include <ft2build.h>
#include FT_FREETYPE_H
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One replay of pages onto a cairo context. */
typedef struct replay {
    cairo_t *cr;
    const cl_doc *doc;
    bool snap;                                  /* raster: glyphs, rules and QR modules on the pixel grid */
    cairo_font_face_t *faces[CL_FACE_COUNT];    /* created on first use */
    cairo_glyph_t *glyphs;                      /* scratch for one run */
    size_t cap_glyphs;
    cl_err *err;
} replay;

static void replay_init(replay *r, cairo_t *cr, const cl_doc *doc, bool snap, cl_err *err)
{
    memset(r, 0, sizeof *r);
    r->cr = cr;
    r->doc = doc;
    r->snap = snap;
    r->err = err;
    /* unhinted outlines at their exact positions, like the PDF viewers draw them */
    cairo_font_options_t *fo = cairo_font_options_create();
    cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_antialias(fo, CAIRO_ANTIALIAS_GRAY);
    cairo_set_font_options(cr, fo);
    cairo_font_options_destroy(fo);
}

static void replay_fini(replay *r)
{
    for (int i = 0; i < CL_FACE_COUNT; i++)
        if (r->faces[i])
            cairo_font_face_destroy(r->faces[i]);
    free(r->glyphs);
}

static bool cairo_ok(cairo_status_t st, cl_err *err, const char *what)
{
    if (st == CAIRO_STATUS_SUCCESS)
        return true;
    cl_err_set(err, st == CAIRO_STATUS_NO_MEMORY ? CL_E_NOMEM : CL_E_RENDER, "%s: %s", what,
               cairo_status_to_string(st));
    return false;
}

static cairo_font_face_t *face_for(replay *r, cl_face face)
{
    if (!r->faces[face]) {
        FT_Face ft = cl_fonts_ft_face(r->doc->fonts, face);
        cairo_font_face_t *cf = cairo_ft_font_face_create_for_ft_face(ft, FT_LOAD_NO_HINTING);
        if (!cairo_ok(cairo_font_face_status(cf), r->err, cl_fonts_path(r->doc->fonts, face))) {
            cairo_font_face_destroy(cf);
            return NULL;
        }
        r->faces[face] = cf;
    }
    return r->faces[face];
}

static void set_grey(cairo_t *cr, float g)
{
    cairo_set_source_rgb(cr, g, g, g);
}

/* A glyph run: one glyph per code point, placed with the advances the layout used
 * (cl_fonts_width adds cl_fonts_advance of each code point; so do we). */
static void draw_text(replay *r, const cl_op *op)
{
    cairo_font_face_t *cf = face_for(r, op->face);
    if (!cf || !op->text)
        return;
    FT_Face ft = cl_fonts_ft_face(r->doc->fonts, op->face);
    size_t n = strlen(op->text);
    if (n > r->cap_glyphs) {
        cairo_glyph_t *g = realloc(r->glyphs, n * sizeof *g);
        if (!g) {
            cl_err_set(r->err, CL_E_NOMEM, "out of memory drawing text");
            return;
        }
        r->glyphs = g;
        r->cap_glyphs = n;
    }
    int ng = 0;
    double x = op->x;
    size_t i = 0;
    while (i < n) {
        uint32_t cp;
        size_t l = cl_utf8_decode(op->text + i, n - i, &cp);
        if (!l)
            l = 1;
        FT_UInt gid = FT_Get_Char_Index(ft, cp);
        if (gid) /* a missing glyph takes no room (cl_fonts_advance gives 0): nothing drawn */
            r->glyphs[ng++] = (cairo_glyph_t){gid, x, op->y};
        x += cl_fonts_advance(r->doc->fonts, op->face, cp) * op->size;
        i += l;
    }
    if (!ng)
        return;
    cairo_set_font_face(r->cr, cf);
    cairo_set_font_size(r->cr, op->size);
    set_grey(r->cr, op->grey);
    if (r->snap) {
        /* raster: the baseline on a whole pixel and each glyph on a quarter of a pixel
         * across, as pdftoppm (Splash) places them, then the outlines filled (cairo
         * 1.16's image glyph cache would round each glyph to a whole pixel) */
        for (int k = 0; k < ng; k++) {
            double gx = r->glyphs[k].x, gy = r->glyphs[k].y;
            cairo_user_to_device(r->cr, &gx, &gy);
            gx = floor(gx) + floor((gx - floor(gx)) * 4) / 4;
            gy = floor(gy);
            cairo_device_to_user(r->cr, &gx, &gy);
            r->glyphs[k].x = gx;
            r->glyphs[k].y = gy;
        }
        cairo_new_path(r->cr);
        cairo_glyph_path(r->cr, r->glyphs, ng);
        cairo_fill(r->cr);
    } else {
        cairo_show_glyphs(r->cr, r->glyphs, ng);
    }
}

static void draw_path(cairo_t *cr, const cl_op *op)
{
    const cl_path *p = op->path;
    float s = op->size;
    if (!p)
        return;
    cairo_new_path(cr);
    for (size_t i = 0; i < p->n; i++) {
        const cl_path_seg *g = &p->segs[i];
        switch (g->cmd) {
        case 'M': cairo_move_to(cr, op->x + s * g->x, op->y + s * g->y); break;
        case 'L': cairo_line_to(cr, op->x + s * g->x, op->y + s * g->y); break;
        case 'C':
            cairo_curve_to(cr, op->x + s * g->x1, op->y + s * g->y1, op->x + s * g->x2, op->y + s * g->y2,
                           op->x + s * g->x, op->y + s * g->y);
            break;
        case 'Z': cairo_close_path(cr); break;
        default: break;
        }
    }
    /* the same colours as pdf.c: fill in the op's grey; the stroke in that grey only
     * when the path is not also filled (then black) */
    cairo_set_line_width(cr, op->lw > 0 ? op->lw : 1);
    if (p->fill) {
        set_grey(cr, op->grey);
        if (p->stroke)
            cairo_fill_preserve(cr);
        else
            cairo_fill(cr);
    }
    if (p->stroke || !p->fill) { /* pdf.c strokes a path that is neither, in black */
        set_grey(cr, p->stroke && !p->fill ? op->grey : 0);
        cairo_stroke(cr);
    }
}

/* Raster only: fill the axis-aligned box (x0, y0)-(x1, y1) of user space with its edges
 * moved to the nearest pixel boundaries, at least one pixel thick, so that rules and
 * frames come out crisp (as pdftoppm's stroke adjustment draws them). */
static void fill_snapped(cairo_t *cr, double x0, double y0, double x1, double y1)
{
    cairo_user_to_device(cr, &x0, &y0);
    cairo_user_to_device(cr, &x1, &y1);
    double l = round(fmin(x0, x1)), r = round(fmax(x0, x1)), t = round(fmin(y0, y1)), b = round(fmax(y0, y1));
    if (r <= l)
        r = l + 1;
    if (b <= t)
        b = t + 1;
    cairo_save(cr);
    cairo_identity_matrix(cr);
    cairo_rectangle(cr, l, t, r - l, b - t);
    cairo_fill(cr);
    cairo_restore(cr);
}

/* A rule from (x, y) to (x + w, y + h), lw wide. */
static void draw_line(replay *r, double x, double y, double w, double h, double lw)
{
    cairo_t *cr = r->cr;
    if (r->snap && (w == 0 || h == 0)) {
        double hw = lw / 2;
        if (h == 0)
            fill_snapped(cr, x, y - hw, x + w, y + hw);
        else
            fill_snapped(cr, x - hw, y, x + hw, y + h);
        return;
    }
    cairo_set_line_width(cr, lw);
    cairo_move_to(cr, x, y);
    cairo_line_to(cr, x + w, y + h);
    cairo_stroke(cr);
}

/* Append the dark modules of q to the current path as one rectangle per run of a row,
 * with the top-left module at (x0, y0) and modules m wide. */
static void qr_runs(cairo_t *cr, const cl_qr *q, double x0, double y0, double m)
{
    for (int row = 0; row < q->width; row++) {
        int c = 0;
        while (c < q->width) {
            if (!q->modules[row * q->width + c]) {
                c++;
                continue;
            }
            int s = c;
            while (c < q->width && q->modules[row * q->width + c])
                c++;
            cairo_rectangle(cr, x0 + s * m, y0 + row * m, (c - s) * m, m);
        }
    }
}

static void draw_qr(replay *r, const cl_op *op)
{
    const cl_qr *q = op->qr;
    cairo_t *cr = r->cr;
    if (!q || q->width <= 0)
        return;
    double m = op->size;
    double ox = op->x + CL_QR_QUIET_PT(m), oy = op->y + CL_QR_QUIET_PT(m);
    cairo_save(cr);
    cairo_new_path(cr);
    cairo_set_source_rgb(cr, 0, 0, 0);
    if (r->snap) {
        /* device pixels: a whole number of pixels per module, the symbol centred on the
         * PDF's and its corner on a pixel corner; the module grid keeps the page's
         * orientation (pages turned by a multiple of 90°) */
        double cx = ox + q->width * m / 2, cy = oy + q->width * m / 2;
        double ux = 1, uy = 0, vx = 0, vy = 1;
        cairo_user_to_device(cr, &cx, &cy);
        cairo_user_to_device_distance(cr, &ux, &uy);
        cairo_user_to_device_distance(cr, &vx, &vy);
        double md = hypot(ux, uy) * m;
        double mi = floor(md + 0.5);
        /* rounding up must not eat more than half of the quiet zone */
        if (mi > md && (mi - md) * q->width / 2 > md * CL_QR_QUIET / 2)
            mi = floor(md);
        if (mi < 1)
            mi = 1;
        /* unit steps along the module rows and columns, in device pixels */
        double rx = round(ux / hypot(ux, uy)), ry = round(uy / hypot(ux, uy));
        double sx = round(vx / hypot(vx, vy)), sy = round(vy / hypot(vx, vy));
        double half = q->width * mi / 2;
        double x0 = round(cx - half * (rx + sx)), y0 = round(cy - half * (ry + sy));
        cairo_matrix_t grid;
        cairo_matrix_init(&grid, rx * mi, ry * mi, sx * mi, sy * mi, x0, y0);
        cairo_set_matrix(cr, &grid);
        cairo_set_antialias(cr, CAIRO_ANTIALIAS_NONE);
        qr_runs(cr, q, 0, 0, 1);
    } else {
        qr_runs(cr, q, ox, oy, m);
    }
    cairo_fill(cr);
    cairo_restore(cr);
}

/* Draw page p in the context's current user space (points, y down). */
static void replay_page(replay *r, const cl_page *p)
{
    cairo_t *cr = r->cr;
    cairo_save(cr);
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_MITER);
    cairo_set_miter_limit(cr, 10);
    for (size_t i = 0; i < p->n && !r->err->code; i++) {
        const cl_op *op = &p->ops[i];
        switch (op->kind) {
        case CL_OP_TEXT:
            draw_text(r, op);
            break;
        case CL_OP_RECT:
            set_grey(cr, op->grey);
            if (r->snap) {
                fill_snapped(cr, op->x, op->y, op->x + op->w, op->y + op->h);
            } else {
                cairo_rectangle(cr, op->x, op->y, op->w, op->h);
                cairo_fill(cr);
            }
            break;
        case CL_OP_STROKE_RECT:
            set_grey(cr, op->grey);
            if (r->snap) { /* four rules meeting at the corners */
                double hw = op->lw / 2.0, x0 = op->x, y0 = op->y, x1 = op->x + op->w, y1 = op->y + op->h;
                fill_snapped(cr, x0 - hw, y0 - hw, x1 + hw, y0 + hw);
                fill_snapped(cr, x0 - hw, y1 - hw, x1 + hw, y1 + hw);
                fill_snapped(cr, x0 - hw, y0 - hw, x0 + hw, y1 + hw);
                fill_snapped(cr, x1 - hw, y0 - hw, x1 + hw, y1 + hw);
            } else {
                cairo_set_line_width(cr, op->lw);
                cairo_rectangle(cr, op->x, op->y, op->w, op->h);
                cairo_stroke(cr);
            }
            break;
        case CL_OP_LINE:
            set_grey(cr, op->grey);
            draw_line(r, op->x, op->y, op->w, op->h, op->lw);
            break;
        case CL_OP_PATH:
            draw_path(cr, op);
            break;
        case CL_OP_QR:
            draw_qr(r, op);
            break;
        case CL_OP_LINK_URI:
        case CL_OP_LINK_PAGE:
            break; /* pictures have nothing to click */
        }
    }
    cairo_restore(cr);
    if (!r->err->code)
        cairo_ok(cairo_status(cr), r->err, "drawing a page");
}

static bool check_page(const cl_doc *doc, size_t index, cl_err *err)
{
    if (!doc || index >= doc->n_pages) {
        cl_err_set(err, CL_E_USAGE, "page %zu does not exist (the document has %zu)", index + 1,
                   doc ? doc->n_pages : 0);
        return false;
    }
    return true;
}

static bool check_dpi(double dpi, cl_err *err)
{
    if (!(dpi >= CL_CAIRO_DPI_MIN && dpi <= CL_CAIRO_DPI_MAX)) {
        cl_err_set(err, CL_E_USAGE, "resolution %g dpi is out of range (accepted: %g to %g)", dpi, CL_CAIRO_DPI_MIN,
                   CL_CAIRO_DPI_MAX);
        return false;
    }
    return true;
}

/* The page as viewers show it: turned by p->rotate degrees clockwise. */
static bool turned(const cl_page *p)
{
    return ((p->rotate % 360 + 360) % 360) % 180 == 90;
}

static double shown_width(const cl_page *p) { return turned(p) ? p->height : p->width; }
static double shown_height(const cl_page *p) { return turned(p) ? p->width : p->height; }

/* Map the page's own space (points, y down) to the space it is shown in. */
static void turn_page(cairo_t *cr, const cl_page *p)
{
    cairo_matrix_t m;
    switch ((p->rotate % 360 + 360) % 360) {
    case 90: cairo_matrix_init(&m, 0, 1, -1, 0, p->height, 0); break;
    case 180: cairo_matrix_init(&m, -1, 0, 0, -1, p->width, p->height); break;
    case 270: cairo_matrix_init(&m, 0, -1, 1, 0, 0, p->width); break;
    default: return;
    }
    cairo_transform(cr, &m);
}

void cl_cairo_page_pixels(const cl_doc *doc, size_t index, double dpi, int *width, int *height)
{
    const cl_page *p = doc->pages[index];
    *width = (int)ceil(shown_width(p) * dpi / 72.0 - 1e-6);
    *height = (int)ceil(shown_height(p) * dpi / 72.0 - 1e-6);
}

/* A new white RGB24 surface holding page index drawn at dpi (NULL and err on failure). */
static cairo_surface_t *render_page(const cl_doc *doc, size_t index, double dpi, cl_err *err)
{
    if (!check_page(doc, index, err) || !check_dpi(dpi, err))
        return NULL;
    int w, h;
    cl_cairo_page_pixels(doc, index, dpi, &w, &h);
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
    if (!cairo_ok(cairo_surface_status(s), err, "creating a picture")) {
        cairo_surface_destroy(s);
        return NULL;
    }
    cairo_t *cr = cairo_create(s);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_scale(cr, dpi / 72.0, dpi / 72.0);
    turn_page(cr, doc->pages[index]);
    replay r;
    replay_init(&r, cr, doc, true, err);
    replay_page(&r, doc->pages[index]);
    replay_fini(&r);
    cairo_destroy(cr);
    cairo_surface_flush(s);
    if (err->code) {
        cairo_surface_destroy(s);
        return NULL;
    }
    return s;
}

/* cairo's stream callback on top of a cl_write_fn. */
typedef struct stream {
    cl_write_fn *fn;
    void *ctx;
    bool failed;
} stream;

static cairo_status_t stream_write(void *closure, const unsigned char *data, unsigned int length)
{
    stream *st = closure;
    if (!st->failed && !st->fn(st->ctx, data, length))
        st->failed = true;
    return st->failed ? CAIRO_STATUS_WRITE_ERROR : CAIRO_STATUS_SUCCESS;
}

/* A new A8 surface holding the grey levels of the RGB24 surface rgb (NULL and err on
 * failure). Everything Classeur draws is grey, so nothing is lost. */
static cairo_surface_t *to_grey(cairo_surface_t *rgb, cl_err *err)
{
    int w = cairo_image_surface_get_width(rgb), h = cairo_image_surface_get_height(rgb);
    cairo_surface_t *g = cairo_image_surface_create(CAIRO_FORMAT_A8, w, h);
    if (!cairo_ok(cairo_surface_status(g), err, "creating a picture")) {
        cairo_surface_destroy(g);
        return NULL;
    }
    cairo_surface_flush(rgb);
    cairo_surface_flush(g);
    const unsigned char *src = cairo_image_surface_get_data(rgb);
    unsigned char *dst = cairo_image_surface_get_data(g);
    int ss = cairo_image_surface_get_stride(rgb), ds = cairo_image_surface_get_stride(g);
    for (int y = 0; y < h; y++) {
        const uint32_t *row = (const uint32_t *)(const void *)(src + (size_t)y * (size_t)ss);
        unsigned char *o = dst + (size_t)y * (size_t)ds;
        for (int x = 0; x < w; x++) {
            uint32_t v = row[x];
            unsigned rr = (v >> 16) & 255, gg = (v >> 8) & 255, bb = v & 255;
            o[x] = (unsigned char)((77 * rr + 150 * gg + 29 * bb + 128) >> 8);
        }
    }
    cairo_surface_mark_dirty(g);
    return g;
}

/* Write the RGB24 surface s as an 8-bit grey PNG (cairo writes A8 surfaces as grey):
 * a third of the bytes of an RGB one, written three times faster. */
static bool write_png(cairo_surface_t *s, cl_write_fn *fn, void *ctx, cl_err *err)
{
    cairo_surface_t *g = to_grey(s, err);
    if (!g)
        return false;
    stream st = {fn, ctx, false};
    cairo_status_t cs = cairo_surface_write_to_png_stream(g, stream_write, &st);
    cairo_surface_destroy(g);
    if (st.failed) {
        cl_err_set(err, CL_E_IO, "cannot write the PNG");
        return false;
    }
    return cairo_ok(cs, err, "writing the PNG");
}

bool cl_cairo_png_write(const cl_doc *doc, size_t index, double dpi, cl_write_fn *fn, void *ctx, cl_err *err)
{
    cairo_surface_t *s = render_page(doc, index, dpi, err);
    if (!s)
        return false;
    bool ok = write_png(s, fn, ctx, err);
    cairo_surface_destroy(s);
    return ok;
}

bool cl_cairo_svg_write(const cl_doc *doc, size_t index, cl_write_fn *fn, void *ctx, cl_err *err)
{
    if (!check_page(doc, index, err))
        return false;
    const cl_page *p = doc->pages[index];
    stream st = {fn, ctx, false};
    cairo_surface_t *s = cairo_svg_surface_create_for_stream(stream_write, &st, shown_width(p), shown_height(p));
    if (!cairo_ok(cairo_surface_status(s), err, "creating an SVG picture")) {
        cairo_surface_destroy(s);
        return false;
    }
    cairo_svg_surface_set_document_unit(s, CAIRO_SVG_UNIT_PT);
    cairo_t *cr = cairo_create(s);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    turn_page(cr, p);
    replay r;
    replay_init(&r, cr, doc, false, err);
    replay_page(&r, p);
    replay_fini(&r);
    cairo_destroy(cr);
    cairo_surface_finish(s); /* writes the document */
    cairo_status_t cs = cairo_surface_status(s);
    cairo_surface_destroy(s);
    if (st.failed) {
        cl_err_set(err, CL_E_IO, "cannot write the SVG");
        return false;
    }
    return !err->code && cairo_ok(cs, err, "writing the SVG");
}

bool cl_cairo_page_grey(const cl_doc *doc, size_t index, double dpi, cl_grey *out, cl_err *err)
{
    memset(out, 0, sizeof *out);
    cairo_surface_t *s = render_page(doc, index, dpi, err);
    if (!s)
        return false;
    cairo_surface_t *g = to_grey(s, err);
    cairo_surface_destroy(s);
    if (!g)
        return false;
    int w = cairo_image_surface_get_width(g), h = cairo_image_surface_get_height(g);
    int stride = cairo_image_surface_get_stride(g);
    const unsigned char *data = cairo_image_surface_get_data(g);
    unsigned char *px = malloc((size_t)w * (size_t)h);
    if (!px) {
        cairo_surface_destroy(g);
        cl_err_set(err, CL_E_NOMEM, "out of memory for a %d x %d picture", w, h);
        return false;
    }
    for (int y = 0; y < h; y++)
        memcpy(px + (size_t)y * (size_t)w, data + (size_t)y * (size_t)stride, (size_t)w);
    cairo_surface_destroy(g);
    out->width = w;
    out->height = h;
    out->pixels = px;
    return true;
}

bool cl_grey_pgm_write(const cl_grey *g, cl_write_fn *fn, void *ctx, cl_err *err)
{
    char head[64];
    int n = snprintf(head, sizeof head, "P5\n%d %d\n255\n", g->width, g->height);
    if (!fn(ctx, head, (size_t)n) || !fn(ctx, g->pixels, (size_t)g->width * (size_t)g->height)) {
        cl_err_set(err, CL_E_IO, "cannot write the PGM");
        return false;
    }
    return true;
}

void cl_grey_free(cl_grey *g)
{
    if (!g)
        return;
    free(g->pixels);
    memset(g, 0, sizeof *g);
}

bool cl_cairo_contact_write(const cl_doc *doc, double thumb_dpi, int columns, cl_write_fn *fn, void *ctx,
                            cl_err *err)
{
    if (!doc || doc->n_pages == 0) {
        cl_err_set(err, CL_E_USAGE, "the document has no pages");
        return false;
    }
    if (!check_dpi(thumb_dpi, err))
        return false;
    if (columns < 1)
        columns = 1;
    if ((size_t)columns > doc->n_pages)
        columns = (int)doc->n_pages;
    size_t rows = (doc->n_pages + (size_t)columns - 1) / (size_t)columns;
    /* cells as large as the largest page */
    int cw = 0, ch = 0;
    for (size_t i = 0; i < doc->n_pages; i++) {
        int w, h;
        cl_cairo_page_pixels(doc, i, thumb_dpi, &w, &h);
        cw = w > cw ? w : cw;
        ch = h > ch ? h : ch;
    }
    const int gap = 24, label = 22;
    long width = (long)columns * (cw + gap) + gap, height = (long)rows * (ch + label + gap) + gap;
    if (width > 32767 || height > 32767) {
        cl_err_set(err, CL_E_USAGE, "the contact sheet would be %ld x %ld pixels: too large (lower the resolution)",
                   width, height);
        return false;
    }
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, (int)width, (int)height);
    if (!cairo_ok(cairo_surface_status(s), err, "creating the contact sheet")) {
        cairo_surface_destroy(s);
        return false;
    }
    cairo_t *cr = cairo_create(s);
    set_grey(cr, 0.86f);
    cairo_paint(cr);
    replay r;
    replay_init(&r, cr, doc, true, err);
    cairo_font_face_t *label_face = face_for(&r, CL_FACE_SANS);
    for (size_t i = 0; i < doc->n_pages && !err->code; i++) {
        const cl_page *p = doc->pages[i];
        int w, h;
        cl_cairo_page_pixels(doc, i, thumb_dpi, &w, &h);
        int x = gap + (int)(i % (size_t)columns) * (cw + gap) + (cw - w) / 2;
        int y = gap + (int)(i / (size_t)columns) * (ch + label + gap);
        /* a soft edge, the white page, then its contents */
        set_grey(cr, 0.62f);
        cairo_rectangle(cr, x - 1, y - 1, w + 2, h + 2);
        cairo_fill(cr);
        cairo_set_source_rgb(cr, 1, 1, 1);
        cairo_rectangle(cr, x, y, w, h);
        cairo_fill(cr);
        cairo_save(cr);
        cairo_rectangle(cr, x, y, w, h);
        cairo_clip(cr);
        cairo_translate(cr, x, y);
        cairo_scale(cr, thumb_dpi / 72.0, thumb_dpi / 72.0);
        turn_page(cr, p);
        replay_page(&r, p);
        cairo_restore(cr);
        if (label_face) {
            char num[32];
            snprintf(num, sizeof num, "%zu", i + 1);
            cairo_set_font_face(cr, label_face);
            cairo_set_font_size(cr, 13);
            cairo_text_extents_t te;
            cairo_text_extents(cr, num, &te);
            set_grey(cr, 0.25f);
            cairo_move_to(cr, x + (w - te.x_advance) / 2, y + h + 17);
            cairo_show_text(cr, num);
        }
    }
    replay_fini(&r);
    if (!err->code)
        cairo_ok(cairo_status(cr), err, "drawing the contact sheet");
    cairo_destroy(cr);
    cairo_surface_flush(s);
    bool ok = !err->code && write_png(s, fn, ctx, err);
    cairo_surface_destroy(s);
    return ok;
}
