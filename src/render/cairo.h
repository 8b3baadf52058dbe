/* cairo.h: the picture devices, with cairo — PNG (8-bit grey, any resolution), SVG (in
 * points), PGM (8-bit grey raster) and a contact sheet (every page as a thumbnail on one
 * PNG) — and helpers that draw one page of a recorded document in memory (tests). Pages
 * are shown as viewers show them: a page with rotate 180 (booklet backs) comes out
 * turned.
 *
 * They draw what the PDF device draws, from the same calls: glyphs come from the same
 * TrueType files (the FT_Face of each cl_fonts face, through
 * cairo_ft_font_face_create_for_ft_face; no fontconfig lookup) placed at the x of each
 * character the glyph run gives. Rules, rectangles, pictogram paths and greys follow the
 * PDF device. QR modules are aligned to whole pixels in raster output (every module the
 * same whole number of pixels, the symbol centred where the PDF puts it) so that each
 * one stays crisp. Raster output also places baselines on whole pixels and glyphs on
 * quarter pixels, and moves the edges of horizontal and vertical rules and rectangles to
 * pixel boundaries, as pdftoppm does; SVG output keeps the exact positions. Link areas
 * and bookmarks are not drawn. Everything is grey, so PNGs are 8-bit grey.
 *
 * Output goes through a cl_writer: the PNG, SVG and PGM devices write one output per page
 * (part = page index), the contact sheet one output. Failures set the device's error
 * (the first wins).
 *
 * Fonts: the cl_fonts of the document is borrowed and must stay alive while these
 * devices run. cairo keeps recently used fonts in a process-wide cache that refers to
 * the FT_Face; the cl_fonts should therefore be dropped only when no more cairo
 * rendering will happen with a cl_fonts loaded later (the command line loads fonts once
 * per run; tests load them once per test program). */
#ifndef CL_CAIRO_H
#define CL_CAIRO_H
#include "../typeset/device.h"
#include "../util/diag.h"
#include "../util/files.h"
#include <stdbool.h>
#include <stddef.h>

/* An 8-bit grey picture: 0 black … 255 white. */
typedef struct cl_grey {
    int width, height;       /* pixels */
    unsigned char *pixels;   /* width × height bytes, row-major, top row first; owned (cl_grey_free) */
} cl_grey;

/* Resolutions accepted by the raster devices, in dots per inch. */
#define CL_CAIRO_DPI_MIN 9.0
#define CL_CAIRO_DPI_MAX 2400.0

/* Default resolution and number of columns of the contact sheet. */
#define CL_CONTACT_DPI 48.0
#define CL_CONTACT_COLUMNS 4

/* Devices. only_page: a 1-based page to draw alone, 0 for every page. NULL when out of
 * memory; a resolution out of range is reported by the first page (CL_E_USAGE). */
cl_device *cl_png_device_new(cl_writer *out, double dpi, long only_page);
cl_device *cl_svg_device_new(cl_writer *out, long only_page);
cl_device *cl_pgm_device_new(cl_writer *out, double dpi, long only_page);
/* Every page as a thumbnail at thumb_dpi, columns a row (the last row may be shorter),
 * each with its page number underneath, on a light grey sheet written as one PNG. The
 * page count comes from begin_document (cl_docinfo.n_pages) and cells are as large as
 * the first page; a document without pages is an error. */
cl_device *cl_contact_device_new(cl_writer *out, double thumb_dpi, int columns);

/* Size in pixels of page p at dpi, as shown (turned), rounded up like pdftoppm. */
void cl_cairo_pixels(const cl_page *p, double dpi, int *width, int *height);
/* The same for page index (which must exist) of a recorded document. */
void cl_cairo_page_pixels(const cl_doc *doc, size_t index, double dpi, int *width, int *height);

/* One page (0-based index) of a recorded document through fn: as a PNG at dpi, as an
 * SVG; all pages as a contact sheet. false and err set on failure. */
CL_MUST_CHECK bool cl_cairo_png_write(const cl_doc *doc, size_t index, double dpi, cl_write_fn *fn, void *ctx, cl_err *err);
CL_MUST_CHECK bool cl_cairo_svg_write(const cl_doc *doc, size_t index, cl_write_fn *fn, void *ctx, cl_err *err);
CL_MUST_CHECK bool cl_cairo_contact_write(const cl_doc *doc, double thumb_dpi, int columns, cl_write_fn *fn, void *ctx,
                            cl_err *err);
/* Draw page index of a recorded document at dpi into a new grey picture (OUT: *out,
 * released with cl_grey_free; left empty on failure). */
CL_MUST_CHECK bool cl_cairo_page_grey(const cl_doc *doc, size_t index, double dpi, cl_grey *out, cl_err *err);
/* Write g as a binary PGM (P5, maxval 255) through fn. */
CL_MUST_CHECK bool cl_grey_pgm_write(const cl_grey *g, cl_write_fn *fn, void *ctx, cl_err *err);
/* Release the pixels of g and empty it. NULL and empty pictures are accepted. */
void cl_grey_free(cl_grey *g);
#endif
