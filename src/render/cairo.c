/* cairo.c: the picture devices (see cairo.h). */
#include "cairo.h"
#include "../util/utf8.h"
#include "../util/i18n.h"
#include <cairo-ft.h>
#include <cairo-svg.h>
#include <cairo.h>
#include <ft2build.h>
#include FT_FREETYPE_H
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef enum { OUT_PNG, OUT_SVG, OUT_PGM, OUT_GREY, OUT_CONTACT } out_kind;

typedef struct cairodev {
    cl_device dev;
    out_kind kind;
    cl_writer *out;
    double dpi;
    long only;                                  /* 1-based page to draw alone, 0: all */
    cl_fonts *fonts;
    cairo_font_face_t *faces[CL_FACE_COUNT];    /* created on first use */
    cairo_glyph_t *glyphs;                      /* scratch for one run */
    size_t cap_glyphs;
    /* the page being drawn */
    cairo_surface_t *surface;
    cairo_t *cr;                                /* NULL: this page is not drawn */
    bool snap;                                  /* raster: glyphs, rules and QR modules on the pixel grid */
    size_t index;
    /* OUT_GREY: where the picture goes */
    cl_grey *grey_out;
    /* OUT_CONTACT: the sheet */
    size_t n_pages;
    int columns, cw, ch;
    int tx, ty, tw, th;                         /* the current thumbnail */
    cairo_surface_t *sheet;
    cairo_t *scr;
    bool begun;                                 /* OUT_CONTACT: the output was begun */
    bool committed;                             /* the writer's outputs were put in place (or not) */
} cairodev;

static bool cairo_ok(cairo_status_t st, cl_err *err, const char *what)
{
    if (st == CAIRO_STATUS_SUCCESS)
        return true;
    if (!err->code)
        cl_err_set(err, st == CAIRO_STATUS_NO_MEMORY ? CL_E_NOMEM : CL_E_RENDER, "%s: %s", what,
                   cairo_status_to_string(st));
    return false;
}

static void set_grey(cairo_t *cr, float g)
{
    cairo_set_source_rgb(cr, g, g, g);
}

static cairo_font_face_t *face_for(cairodev *d, cl_face face)
{
    if (!d->faces[face]) {
        FT_Face ft = cl_fonts_ft_face(d->fonts, face);
        cairo_font_face_t *cf = cairo_ft_font_face_create_for_ft_face(ft, FT_LOAD_NO_HINTING);
        if (!cairo_ok(cairo_font_face_status(cf), &d->dev.err, cl_fonts_path(d->fonts, face))) {
            cairo_font_face_destroy(cf);
            return NULL;
        }
        d->faces[face] = cf;
    }
    return d->faces[face];
}

static void font_options(cairo_t *cr)
{
    /* unhinted outlines at their exact positions, like the PDF viewers draw them */
    cairo_font_options_t *fo = cairo_font_options_create();
    cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_antialias(fo, CAIRO_ANTIALIAS_GRAY);
    cairo_set_font_options(cr, fo);
    cairo_font_options_destroy(fo);
}

/* ---- drawing calls ------------------------------------------------------------------ */

/* A glyph run: one glyph per character, at the x the run gives it. */
static void c_glyphs(cl_device *dev, const cl_glyph_run *g)
{
    cairodev *d = (cairodev *)dev;
    if (!d->cr)
        return;
    cairo_font_face_t *cf = face_for(d, g->face);
    if (!cf)
        return;
    FT_Face ft = cl_fonts_ft_face(d->fonts, g->face);
    if (g->n > d->cap_glyphs) {
        cairo_glyph_t *ng = realloc(d->glyphs, g->n * sizeof *ng);
        if (!ng) {
            cl_err_set(&dev->err, CL_E_NOMEM, "out of memory drawing text");
            return;
        }
        d->glyphs = ng;
        d->cap_glyphs = g->n;
    }
    int ng = 0;
    size_t i = 0, k = 0;
    while (i < g->len && k < g->n) {
        uint32_t cp;
        size_t l = cl_utf8_decode(g->text + i, g->len - i, &cp);
        if (!l)
            l = 1;
        FT_UInt gid = FT_Get_Char_Index(ft, cp);
        if (gid) /* a missing glyph takes no room in the layout: nothing drawn */
            d->glyphs[ng++] = (cairo_glyph_t){gid, g->x + g->dx[k], g->y};
        i += l;
        k++;
    }
    if (!ng)
        return;
    cairo_t *cr = d->cr;
    cairo_set_font_face(cr, cf);
    cairo_set_font_size(cr, g->size);
    set_grey(cr, g->grey);
    if (d->snap) {
        /* raster: the baseline on a whole pixel and each glyph on a quarter of a pixel
         * across, as pdftoppm (Splash) places them, then the outlines filled (cairo
         * 1.16's image glyph cache would round each glyph to a whole pixel) */
        for (int m = 0; m < ng; m++) {
            double gx = d->glyphs[m].x, gy = d->glyphs[m].y;
            cairo_user_to_device(cr, &gx, &gy);
            gx = floor(gx) + floor((gx - floor(gx)) * 4) / 4;
            gy = floor(gy);
            cairo_device_to_user(cr, &gx, &gy);
            d->glyphs[m].x = gx;
            d->glyphs[m].y = gy;
        }
        cairo_new_path(cr);
        cairo_glyph_path(cr, d->glyphs, ng);
        cairo_fill(cr);
    } else {
        cairo_show_glyphs(cr, d->glyphs, ng);
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

static void c_rule(cl_device *dev, const cl_rule *r)
{
    cairodev *d = (cairodev *)dev;
    cairo_t *cr = d->cr;
    if (!cr)
        return;
    set_grey(cr, r->grey);
    double w = r->x1 - r->x0, h = r->y1 - r->y0, hw = r->lw / 2.0;
    if (d->snap && (w == 0 || h == 0)) {
        if (r->dash_on > 0) { /* each dash a crisp box of its own (leader dots) */
            double len = w ? fabs(w) : fabs(h), step = r->dash_on + r->dash_off;
            double sx = w ? (w > 0 ? 1 : -1) : 0, sy = h ? (h > 0 ? 1 : -1) : 0;
            for (double t = 0; t < len - 1e-6 && step > 0; t += step) {
                double e = fmin(t + r->dash_on, len);
                double ax = r->x0 + sx * t, ay = r->y0 + sy * t, bx = r->x0 + sx * e, by = r->y0 + sy * e;
                if (h == 0)
                    fill_snapped(cr, ax, ay - hw, bx, by + hw);
                else
                    fill_snapped(cr, ax - hw, ay, bx + hw, by);
            }
        } else if (h == 0) {
            fill_snapped(cr, r->x0, r->y0 - hw, r->x1, r->y0 + hw);
        } else {
            fill_snapped(cr, r->x0 - hw, r->y0, r->x0 + hw, r->y1);
        }
        return;
    }
    cairo_set_line_width(cr, r->lw);
    if (r->dash_on > 0) {
        double dash[2] = {r->dash_on, r->dash_off};
        cairo_set_dash(cr, dash, 2, 0);
    }
    cairo_move_to(cr, r->x0, r->y0);
    cairo_line_to(cr, r->x1, r->y1);
    cairo_stroke(cr);
    cairo_set_dash(cr, NULL, 0, 0);
}

static void c_fill_rect(cl_device *dev, float x, float y, float w, float h, float grey)
{
    cairodev *d = (cairodev *)dev;
    if (!d->cr)
        return;
    set_grey(d->cr, grey);
    if (d->snap) {
        fill_snapped(d->cr, x, y, x + w, y + h);
    } else {
        cairo_rectangle(d->cr, x, y, w, h);
        cairo_fill(d->cr);
    }
}

static void c_frame(cl_device *dev, float x, float y, float w, float h, float lw, float grey)
{
    cairodev *d = (cairodev *)dev;
    cairo_t *cr = d->cr;
    if (!cr)
        return;
    set_grey(cr, grey);
    if (d->snap) { /* four rules meeting at the corners */
        double hw = lw / 2.0, x0 = x, y0 = y, x1 = x + w, y1 = y + h;
        fill_snapped(cr, x0 - hw, y0 - hw, x1 + hw, y0 + hw);
        fill_snapped(cr, x0 - hw, y1 - hw, x1 + hw, y1 + hw);
        fill_snapped(cr, x0 - hw, y0 - hw, x0 + hw, y1 + hw);
        fill_snapped(cr, x1 - hw, y0 - hw, x1 + hw, y1 + hw);
    } else {
        cairo_set_line_width(cr, lw);
        cairo_rectangle(cr, x, y, w, h);
        cairo_stroke(cr);
    }
}

static void c_path(cl_device *dev, const cl_path *p, float x, float y, float s, float lw, float grey)
{
    cairodev *d = (cairodev *)dev;
    cairo_t *cr = d->cr;
    if (!cr)
        return;
    cairo_new_path(cr);
    for (size_t i = 0; i < p->n; i++) {
        const cl_path_seg *g = &p->segs[i];
        switch (g->cmd) {
        case 'M': cairo_move_to(cr, x + s * g->x, y + s * g->y); break;
        case 'L': cairo_line_to(cr, x + s * g->x, y + s * g->y); break;
        case 'C':
            cairo_curve_to(cr, x + s * g->x1, y + s * g->y1, x + s * g->x2, y + s * g->y2, x + s * g->x, y + s * g->y);
            break;
        case 'Z': cairo_close_path(cr); break;
        default: break;
        }
    }
    /* the same colours as the PDF device: fill in the grey; the stroke in that grey only
     * when the path is not also filled (then black) */
    cairo_set_line_width(cr, lw > 0 ? lw : 1);
    if (p->fill) {
        set_grey(cr, grey);
        if (p->stroke)
            cairo_fill_preserve(cr);
        else
            cairo_fill(cr);
    }
    if (p->stroke || !p->fill) { /* a path that is neither is stroked in black */
        set_grey(cr, p->stroke && !p->fill ? grey : 0);
        cairo_stroke(cr);
    }
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

static void c_qr(cl_device *dev, const cl_qr *q, float x, float y, float module)
{
    cairodev *d = (cairodev *)dev;
    cairo_t *cr = d->cr;
    if (!cr)
        return;
    double m = module;
    double ox = x + CL_QR_QUIET_PT(m), oy = y + CL_QR_QUIET_PT(m);
    cairo_save(cr);
    cairo_new_path(cr);
    cairo_set_source_rgb(cr, 0, 0, 0);
    if (d->snap) {
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

/* ---- pages -------------------------------------------------------------------------- */

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

void cl_cairo_pixels(const cl_page *p, double dpi, int *width, int *height)
{
    *width = (int)ceil(shown_width(p) * dpi / 72.0 - 1e-6);
    *height = (int)ceil(shown_height(p) * dpi / 72.0 - 1e-6);
}

void cl_cairo_page_pixels(const cl_doc *doc, size_t index, double dpi, int *width, int *height)
{
    cl_cairo_pixels(doc->pages[index], dpi, width, height);
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

/* The drawing state every page starts with. */
static void page_state(cairo_t *cr)
{
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_MITER);
    cairo_set_miter_limit(cr, 10);
    font_options(cr);
}

/* cairo's stream callback on top of the writer. */
typedef struct stream {
    cairodev *d;
    bool failed;
} stream;

static cairo_status_t stream_write(void *closure, const unsigned char *data, unsigned int length)
{
    stream *st = closure;
    if (!st->failed && !st->d->out->write(st->d->out, data, length, &st->d->dev.err))
        st->failed = true;
    return st->failed ? CAIRO_STATUS_WRITE_ERROR : CAIRO_STATUS_SUCCESS;
}

static void c_begin_document(cl_device *dev, const cl_docinfo *info)
{
    cairodev *d = (cairodev *)dev;
    d->fonts = info->fonts;
    d->n_pages = info->n_pages;
}

static void c_begin_page(cl_device *dev, const cl_page *p, size_t index)
{
    cairodev *d = (cairodev *)dev;
    d->index = index;
    d->cr = NULL;
    if (d->only && (size_t)d->only != index + 1)
        return;
    if (d->kind != OUT_SVG && !check_dpi(d->dpi, &dev->err))
        return;
    if (d->kind == OUT_CONTACT) {
        if (!d->sheet) { /* the sheet, sized from the page count and the first page */
            if (!d->n_pages) {
                cl_err_set(&dev->err, CL_E_USAGE, "the document has no pages");
                return;
            }
            cl_cairo_pixels(p, d->dpi, &d->cw, &d->ch);
            int cols = d->columns < 1 ? 1 : d->columns;
            if ((size_t)cols > d->n_pages)
                cols = (int)d->n_pages;
            d->columns = cols;
            size_t rows = (d->n_pages + (size_t)cols - 1) / (size_t)cols;
            const int gap = 24, label = 22;
            long width = (long)cols * (d->cw + gap) + gap, height = (long)rows * (d->ch + label + gap) + gap;
            if (width > 32767 || height > 32767) {
                cl_err_set(&dev->err, CL_E_USAGE,
                           "the contact sheet would be %ld x %ld pixels: too large (lower the resolution)", width,
                           height);
                return;
            }
            d->sheet = cairo_image_surface_create(CAIRO_FORMAT_RGB24, (int)width, (int)height);
            if (!cairo_ok(cairo_surface_status(d->sheet), &dev->err, _("creating the contact sheet")))
                return;
            d->scr = cairo_create(d->sheet);
            set_grey(d->scr, 0.86f);
            cairo_paint(d->scr);
        }
        if (index >= d->n_pages) {
            cl_err_set(&dev->err, CL_E_RENDER, "page %zu of a document announced with %zu", index + 1, d->n_pages);
            return;
        }
        int w, h;
        cl_cairo_pixels(p, d->dpi, &w, &h);
        const int gap = 24, label = 22;
        int x = gap + (int)(index % (size_t)d->columns) * (d->cw + gap) + (d->cw - w) / 2;
        int y = gap + (int)(index / (size_t)d->columns) * (d->ch + label + gap);
        cairo_t *cr = d->scr;
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
        cairo_scale(cr, d->dpi / 72.0, d->dpi / 72.0);
        turn_page(cr, p);
        cairo_save(cr);
        page_state(cr);
        d->cr = cr;
        d->snap = true;
        d->tx = x, d->ty = y, d->tw = w, d->th = h; /* its number goes under it at end_page */
        return;
    }
    if (d->kind == OUT_SVG) {
        if (!d->out->begin(d->out, index, &dev->err))
            return;
        stream *st = calloc(1, sizeof *st);
        if (!st) {
            cl_err_set(&dev->err, CL_E_NOMEM, "out of memory");
            return;
        }
        st->d = d;
        d->surface = cairo_svg_surface_create_for_stream(stream_write, st, shown_width(p), shown_height(p));
        cairo_surface_set_user_data(d->surface, (const cairo_user_data_key_t *)&d->kind, st, free);
        if (!cairo_ok(cairo_surface_status(d->surface), &dev->err, _("creating an SVG picture")))
            return;
        cairo_svg_surface_set_document_unit(d->surface, CAIRO_SVG_UNIT_PT);
        d->cr = cairo_create(d->surface);
        cairo_set_source_rgb(d->cr, 1, 1, 1);
        cairo_paint(d->cr);
        turn_page(d->cr, p);
        d->snap = false;
    } else {
        int w, h;
        cl_cairo_pixels(p, d->dpi, &w, &h);
        d->surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
        if (!cairo_ok(cairo_surface_status(d->surface), &dev->err, _("creating a picture")))
            return;
        d->cr = cairo_create(d->surface);
        cairo_set_source_rgb(d->cr, 1, 1, 1);
        cairo_paint(d->cr);
        cairo_scale(d->cr, d->dpi / 72.0, d->dpi / 72.0);
        turn_page(d->cr, p);
        d->snap = true;
    }
    page_state(d->cr);
}

/* A new A8 surface holding the grey levels of the RGB24 surface rgb (NULL and err on
 * failure). Everything Classeur draws is grey, so nothing is lost. */
static cairo_surface_t *to_grey(cairo_surface_t *rgb, cl_err *err)
{
    int w = cairo_image_surface_get_width(rgb), h = cairo_image_surface_get_height(rgb);
    cairo_surface_t *g = cairo_image_surface_create(CAIRO_FORMAT_A8, w, h);
    if (!cairo_ok(cairo_surface_status(g), err, _("creating a picture"))) {
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

/* The RGB24 surface s as an 8-bit grey PNG (cairo writes A8 surfaces as grey): a third
 * of the bytes of an RGB one, written three times faster. */
static bool write_png(cairodev *d, cairo_surface_t *s)
{
    cairo_surface_t *g = to_grey(s, &d->dev.err);
    if (!g)
        return false;
    stream st = {d, false};
    cairo_status_t cs = cairo_surface_write_to_png_stream(g, stream_write, &st);
    cairo_surface_destroy(g);
    if (st.failed) {
        if (!d->dev.err.code)
            cl_err_set(&d->dev.err, CL_E_IO, "cannot write the PNG");
        return false;
    }
    return cairo_ok(cs, &d->dev.err, _("writing the PNG"));
}

/* The grey pixels of the RGB24 surface s, copied into out. */
static bool grey_pixels(cairodev *d, cairo_surface_t *s, cl_grey *out)
{
    cairo_surface_t *g = to_grey(s, &d->dev.err);
    if (!g)
        return false;
    int w = cairo_image_surface_get_width(g), h = cairo_image_surface_get_height(g);
    int stride = cairo_image_surface_get_stride(g);
    const unsigned char *data = cairo_image_surface_get_data(g);
    unsigned char *px = malloc((size_t)w * (size_t)h);
    if (!px) {
        cairo_surface_destroy(g);
        cl_err_set(&d->dev.err, CL_E_NOMEM, "out of memory for a %d x %d picture", w, h);
        return false;
    }
    for (int y = 0; y < h; y++)
        memcpy(px + (size_t)y * (size_t)w, data + (size_t)y * (size_t)stride, (size_t)w);
    cairo_surface_destroy(g);
    cl_grey_free(out);
    out->width = w;
    out->height = h;
    out->pixels = px;
    return true;
}

static bool pgm_to_writer(cairodev *d, const cl_grey *g)
{
    char head[64];
    int n = snprintf(head, sizeof head, "P5\n%d %d\n255\n", g->width, g->height);
    return d->out->write(d->out, head, (size_t)n, &d->dev.err) &&
           d->out->write(d->out, g->pixels, (size_t)g->width * (size_t)g->height, &d->dev.err);
}

static void c_end_page(cl_device *dev)
{
    cairodev *d = (cairodev *)dev;
    if (!d->cr)
        return;
    cl_err *err = &dev->err;
    if (d->kind == OUT_CONTACT) {
        cairo_t *cr = d->scr;
        cairo_restore(cr);
        cairo_restore(cr);
        cairo_font_face_t *lf = face_for(d, CL_FACE_SANS);
        if (lf) { /* the page number under the thumbnail */
            char num[32];
            snprintf(num, sizeof num, "%zu", d->index + 1);
            cairo_set_font_face(cr, lf);
            cairo_set_font_size(cr, 13);
            cairo_text_extents_t te;
            cairo_text_extents(cr, num, &te);
            set_grey(cr, 0.25f);
            cairo_move_to(cr, d->tx + (d->tw - te.x_advance) / 2, d->ty + d->th + 17);
            cairo_show_text(cr, num);
        }
        d->cr = NULL;
        cairo_ok(cairo_status(cr), err, _("drawing the contact sheet"));
        return;
    }
    cairo_ok(cairo_status(d->cr), err, _("drawing a page"));
    cairo_destroy(d->cr);
    d->cr = NULL;
    if (d->kind == OUT_SVG) {
        cairo_surface_finish(d->surface); /* writes the document */
        bool ok = !err->code && cairo_ok(cairo_surface_status(d->surface), err, _("writing the SVG"));
        cairo_surface_destroy(d->surface);
        d->surface = NULL;
        if (!d->out->end(d->out, ok && !err->code, err) && !err->code)
            cl_err_set(err, CL_E_IO, "cannot write the SVG");
        return;
    }
    cairo_surface_flush(d->surface);
    bool ok = !err->code;
    if (ok && d->kind == OUT_GREY) {
        ok = grey_pixels(d, d->surface, d->grey_out);
    } else if (ok && d->kind == OUT_PNG) {
        ok = d->out->begin(d->out, d->index, err);
        if (ok) {
            ok = write_png(d, d->surface);
            if (!d->out->end(d->out, ok, err))
                ok = false;
        }
    } else if (ok && d->kind == OUT_PGM) {
        cl_grey g = {0};
        ok = grey_pixels(d, d->surface, &g) && d->out->begin(d->out, d->index, err);
        if (ok) {
            ok = pgm_to_writer(d, &g);
            if (!d->out->end(d->out, ok, err))
                ok = false;
        }
        cl_grey_free(&g);
    }
    cairo_surface_destroy(d->surface);
    d->surface = NULL;
    if (!ok && !err->code)
        cl_err_set(err, CL_E_IO, "cannot write the picture");
}

static bool c_close(cl_device *dev)
{
    cairodev *d = (cairodev *)dev;
    if (d->kind != OUT_CONTACT) {
        d->committed = true;
        if (!d->out) /* a picture in memory */
            return !dev->err.code;
        return d->out->commit(d->out, !dev->err.code, &dev->err) && !dev->err.code;
    }
    if (!d->sheet) {
        if (!dev->err.code)
            cl_err_set(&dev->err, CL_E_USAGE, "the document has no pages");
        return false;
    }
    cairo_surface_flush(d->sheet);
    bool ok = !dev->err.code && d->out->begin(d->out, 0, &dev->err);
    if (ok) {
        d->begun = true;
        ok = write_png(d, d->sheet);
        d->begun = false;
        if (!d->out->end(d->out, ok, &dev->err))
            ok = false;
    }
    d->committed = true;
    if (!d->out->commit(d->out, ok, &dev->err))
        ok = false;
    return ok && !dev->err.code;
}

static void c_drop(cl_device *dev)
{
    cairodev *d = (cairodev *)dev;
    if (d->cr && d->kind != OUT_CONTACT)
        cairo_destroy(d->cr);
    if (d->surface) {
        if (d->kind == OUT_SVG) {
            cairo_surface_finish(d->surface);
            d->out->end(d->out, false, &dev->err);
        }
        cairo_surface_destroy(d->surface);
    }
    if (d->out && !d->committed)
        d->out->commit(d->out, false, &dev->err);
    if (d->scr)
        cairo_destroy(d->scr);
    if (d->sheet)
        cairo_surface_destroy(d->sheet);
    for (int i = 0; i < CL_FACE_COUNT; i++)
        if (d->faces[i])
            cairo_font_face_destroy(d->faces[i]);
    free(d->glyphs);
    free(d);
}

static cairodev *new_dev(out_kind kind, cl_writer *out, double dpi, long only)
{
    cairodev *d = calloc(1, sizeof *d);
    if (!d)
        return NULL;
    d->kind = kind;
    d->out = out;
    d->dpi = dpi;
    d->only = only;
    d->dev.begin_document = c_begin_document;
    d->dev.begin_page = c_begin_page;
    d->dev.glyphs = c_glyphs;
    d->dev.rule = c_rule;
    d->dev.fill_rect = c_fill_rect;
    d->dev.frame = c_frame;
    d->dev.path = c_path;
    d->dev.qr = c_qr;
    d->dev.end_page = c_end_page;
    d->dev.close = c_close;
    d->dev.drop = c_drop;
    return d;
}

cl_device *cl_png_device_new(cl_writer *out, double dpi, long only_page)
{
    cairodev *d = new_dev(OUT_PNG, out, dpi, only_page);
    return d ? &d->dev : NULL;
}

cl_device *cl_svg_device_new(cl_writer *out, long only_page)
{
    cairodev *d = new_dev(OUT_SVG, out, 72, only_page);
    return d ? &d->dev : NULL;
}

cl_device *cl_pgm_device_new(cl_writer *out, double dpi, long only_page)
{
    cairodev *d = new_dev(OUT_PGM, out, dpi, only_page);
    return d ? &d->dev : NULL;
}

cl_device *cl_contact_device_new(cl_writer *out, double thumb_dpi, int columns)
{
    cairodev *d = new_dev(OUT_CONTACT, out, thumb_dpi, 0);
    if (d)
        d->columns = columns;
    return d ? &d->dev : NULL;
}

/* ---- recorded documents ------------------------------------------------------------- */

static bool check_page(const cl_doc *doc, size_t index, cl_err *err)
{
    if (!doc || index >= doc->n_pages) {
        cl_err_set(err, CL_E_USAGE, "page %zu does not exist (the document has %zu)", index + 1,
                   doc ? doc->n_pages : 0);
        return false;
    }
    return true;
}

/* Draw page index of doc (or every page when index is (size_t)-1) into dev, close it
 * and drop it; false and err set on failure. */
static bool run(cairodev *d, const cl_doc *doc, size_t index, cl_err *err)
{
    if (!d) {
        cl_err_set(err, CL_E_NOMEM, "out of memory");
        return false;
    }
    cl_docinfo info = cl_doc_info(doc);
    cl_device_begin(&d->dev, &info);
    if (index == (size_t)-1) {
        for (size_t i = 0; i < doc->n_pages && !d->dev.err.code; i++)
            cl_device_page(&d->dev, doc->pages[i], i);
    } else {
        cl_device_page(&d->dev, doc->pages[index], index);
    }
    bool ok = cl_device_close(&d->dev, err);
    cl_device_drop(&d->dev);
    return ok;
}

bool cl_cairo_png_write(const cl_doc *doc, size_t index, double dpi, cl_write_fn *fn, void *ctx, cl_err *err)
{
    if (!check_page(doc, index, err))
        return false;
    cl_fn_writer fw;
    cl_fn_writer_init(&fw, fn, ctx);
    return run(new_dev(OUT_PNG, &fw.w, dpi, 0), doc, index, err);
}

bool cl_cairo_svg_write(const cl_doc *doc, size_t index, cl_write_fn *fn, void *ctx, cl_err *err)
{
    if (!check_page(doc, index, err))
        return false;
    cl_fn_writer fw;
    cl_fn_writer_init(&fw, fn, ctx);
    return run(new_dev(OUT_SVG, &fw.w, 72, 0), doc, index, err);
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
    cl_fn_writer fw;
    cl_fn_writer_init(&fw, fn, ctx);
    cairodev *d = new_dev(OUT_CONTACT, &fw.w, thumb_dpi, 0);
    if (d)
        d->columns = columns;
    return run(d, doc, (size_t)-1, err);
}

bool cl_cairo_page_grey(const cl_doc *doc, size_t index, double dpi, cl_grey *out, cl_err *err)
{
    memset(out, 0, sizeof *out);
    if (!check_page(doc, index, err) || !check_dpi(dpi, err))
        return false;
    cairodev *d = new_dev(OUT_GREY, NULL, dpi, 0);
    if (d)
        d->grey_out = out;
    bool ok = run(d, doc, index, err);
    if (!ok)
        cl_grey_free(out);
    return ok;
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
