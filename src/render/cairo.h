/* cairo.h: the cairo backend: replays a cl_doc into pictures — PNG (one page, any
 * resolution), SVG (one page, in points), an 8-bit grey raster in memory (for tests and
 * PGM files) and a contact sheet (every page as a thumbnail on one PNG). Pages are shown
 * as viewers show them: a page with rotate 180 (booklet backs) comes out turned.
 *
 * It draws exactly what the PDF backend draws, from the same display list: glyphs come
 * from the same TrueType files (the FT_Face of each cl_fonts face, through
 * cairo_ft_font_face_create_for_ft_face; no fontconfig lookup) and are placed one by one
 * with the advances of cl_fonts_advance(), the numbers the line breaker measured with.
 * Rules, rectangles, pictogram paths and greys follow pdf.c op by op. QR modules are
 * aligned to whole pixels in raster output (every module the same whole number of
 * pixels, the symbol centred where the PDF puts it) so that each one stays crisp. Raster
 * output also places baselines on whole pixels and glyphs on quarter pixels, and moves
 * the edges of horizontal and vertical rules and rectangles to pixel boundaries, as
 * pdftoppm does; SVG output keeps the exact positions. Link areas and bookmarks are not
 * drawn. Everything in a display list is grey, so PNGs are 8-bit grey.
 *
 * Output goes through a cl_write_fn so callers can write files or capture the bytes in
 * memory. Every function returns false and sets err (the first error wins) on failure.
 *
 * Fonts: the cl_fonts of the document is borrowed and must stay alive while these
 * functions run. cairo keeps recently used fonts in a process-wide cache that refers to
 * the FT_Face; the cl_fonts should therefore be dropped only when no more cairo
 * rendering will happen with a cl_fonts loaded later (the command line loads fonts once
 * per run; tests load them once per test program). */
#ifndef CL_CAIRO_H
#define CL_CAIRO_H
#include "displaylist.h"
#include "../util/diag.h"
#include <stdbool.h>
#include <stddef.h>

/* Receives n bytes of output; returns false when they could not be written. */
typedef bool cl_write_fn(void *ctx, const void *data, size_t n);

/* An 8-bit grey picture: 0 black … 255 white. */
typedef struct cl_grey {
    int width, height;       /* pixels */
    unsigned char *pixels;   /* width × height bytes, row-major, top row first; owned (cl_grey_free) */
} cl_grey;

/* Resolutions accepted by the raster functions, in dots per inch. */
#define CL_CAIRO_DPI_MIN 9.0
#define CL_CAIRO_DPI_MAX 2400.0

/* Size in pixels of page index (which must exist) of doc at dpi, as shown (turned),
 * rounded up like pdftoppm. */
void cl_cairo_page_pixels(const cl_doc *doc, size_t index, double dpi, int *width, int *height);

/* Render page index (0-based) of doc at dpi into a PNG (8-bit grey, white background)
 * written through fn. */
bool cl_cairo_png_write(const cl_doc *doc, size_t index, double dpi, cl_write_fn *fn, void *ctx, cl_err *err);

/* Render page index of doc into an SVG document (units: points, 1 user unit = 1 pt)
 * written through fn. Glyphs become outlines, as cairo writes them. */
bool cl_cairo_svg_write(const cl_doc *doc, size_t index, cl_write_fn *fn, void *ctx, cl_err *err);

/* Render page index of doc at dpi into a new grey picture (OUT: *out, released with
 * cl_grey_free; left empty on failure). */
bool cl_cairo_page_grey(const cl_doc *doc, size_t index, double dpi, cl_grey *out, cl_err *err);
/* Write g as a binary PGM (P5, maxval 255) through fn. */
bool cl_grey_pgm_write(const cl_grey *g, cl_write_fn *fn, void *ctx, cl_err *err);
/* Release the pixels of g and empty it. NULL and empty pictures are accepted. */
void cl_grey_free(cl_grey *g);

/* Default resolution and number of columns of the contact sheet. */
#define CL_CONTACT_DPI 48.0
#define CL_CONTACT_COLUMNS 4

/* Every page of doc as a thumbnail rendered at thumb_dpi, columns a row (the last row
 * may be shorter), each with its page number underneath, on a light grey sheet written
 * as a PNG through fn. A document without pages is an error. */
bool cl_cairo_contact_write(const cl_doc *doc, double thumb_dpi, int columns, cl_write_fn *fn, void *ctx,
                            cl_err *err);
#endif
