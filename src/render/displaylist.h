/* displaylist.h: the pages of a finished document as a list of drawing operations.
 *
 * Layout runs once and records positioned glyph runs, rules, rectangles, vector paths,
 * QR matrices, link areas and bookmarks here; every backend (PDF, PNG/SVG, trace) only
 * replays this list, so they cannot disagree. Coordinates are PostScript points with the
 * origin at the top-left of the page and y growing downwards. The document and everything
 * in it live in one arena, freed by cl_doc_drop(). */
#ifndef CL_DISPLAYLIST_H
#define CL_DISPLAYLIST_H
#include "../util/arena.h"
#include "../typeset/font.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum {
    CL_OP_TEXT,       /* glyph run: face, size, x, y (baseline), text */
    CL_OP_RECT,       /* filled rectangle x, y, w, h in grey */
    CL_OP_STROKE_RECT,/* outlined rectangle, line width lw */
    CL_OP_LINE,       /* line from (x, y) to (x + w, y + h), width lw */
    CL_OP_PATH,       /* vector path (pictograms), filled or stroked */
    CL_OP_QR,         /* QR matrix: top-left x, y of the quiet zone, module size m */
    CL_OP_LINK_URI,   /* clickable area x, y, w, h → uri */
    CL_OP_LINK_PAGE   /* clickable area → page target_page at y target_y */
} cl_op_kind;

/* A QR symbol: width × width modules, row-major, 1 = dark. Quiet zone not included. */
typedef struct cl_qr {
    int width;
    const uint8_t *modules;
    const char *text;      /* the exact encoded bytes */
} cl_qr;

typedef struct cl_path_seg {
    char cmd;              /* 'M' move, 'L' line, 'C' curve, 'Z' close */
    float x, y, x1, y1, x2, y2;  /* C: control points (x1,y1),(x2,y2), end (x,y) */
} cl_path_seg;

typedef struct cl_path {
    const cl_path_seg *segs;
    size_t n;
    bool fill, stroke;
} cl_path;

/* What a text op is part of, for structure (page-quality checks, tagged output). */
typedef enum {
    CL_TAG_NONE,
    CL_TAG_HEADING,        /* a heading: a title, a section, a sheet's "Fiche 2 / 11" */
    CL_TAG_CAPTION         /* a caption introducing what follows: "Questions", "Liens associés" */
} cl_tag;

typedef struct cl_op {
    cl_op_kind kind;
    cl_tag tag;            /* text: structure, CL_TAG_NONE for running text */
    cl_face face;
    float x, y, w, h;
    float size;            /* font size (text), module size (QR) */
    float lw;              /* line width */
    float grey;            /* 0 black … 1 white, for fills and strokes */
    const char *text;      /* text run, or URI; NUL-terminated */
    const cl_qr *qr;
    const cl_path *path;   /* path in coordinates relative to (x, y), scaled by size */
    int target_page;       /* LINK_PAGE: 0-based page */
    float target_y;
} cl_op;

/* What a page (or one page of an imposed sheet) is: running headers and footers, and
 * the page-quality checks, depend on it. */
typedef enum {
    CL_PAGE_BODY,      /* text pages: header and footer */
    CL_PAGE_TITLE,     /* a document's first page opening with its title: footer only */
    CL_PAGE_COVER,     /* a cover: nothing but its own content */
    CL_PAGE_DIVIDER,   /* a chapter divider: nothing but its own content */
    CL_PAGE_COLOPHON,  /* a booklet's back cover: the colophon and how to print */
    CL_PAGE_BLANK,     /* left blank on purpose (padding before an odd page, a booklet's padding) */
    CL_PAGE_ROLE_COUNT
} cl_page_role;

/* One page of layout on a page of the document: the page itself, or one of the two A5
 * pages of an imposed booklet sheet. */
typedef struct cl_page_area {
    cl_page_role role;
    int page;              /* its page number in reading order (1-based; 0 for padding) */
    float x, y, w, h;      /* the text block, in the coordinates of the page holding it */
    bool forced;           /* starts at a forced break (a unit that must start a page) */
} cl_page_area;

typedef struct cl_page {
    float width, height;
    int rotate;            /* 0 or 180: how viewers and printers turn the page (booklet backs) */
    cl_op *ops;
    size_t n, cap;
    cl_page_area areas[2]; /* one, or two on an imposed booklet sheet (left, right) */
    int n_areas;           /* 0 when nobody said (pages drawn directly, in tests) */
} cl_page;

typedef struct cl_bookmark {
    const char *title;
    int level;             /* 1 = top */
    int page;              /* 0-based */
    float y;
} cl_bookmark;

typedef struct cl_doc {
    cl_arena *arena;       /* owns everything in the document */
    cl_fonts *fonts;       /* borrowed: shared by the run */
    cl_page **pages;
    size_t n_pages, cap_pages;
    cl_bookmark *bookmarks;
    size_t n_bookmarks, cap_bookmarks;
    const char *title, *author, *subject, *keywords;  /* PDF metadata */
    const char **warnings; /* what composition could not do as asked (a unit taller than a
                              page broken inside…), for the user; arena strings */
    size_t n_warnings, cap_warnings;
    bool outline_open;     /* open the bookmarks panel in viewers */
} cl_doc;

/* New empty document using fonts (borrowed). NULL when out of memory. */
cl_doc *cl_doc_new(cl_fonts *fonts);
void cl_doc_drop(cl_doc *d);
/* Append a page of the given size. NULL when out of memory. */
cl_page *cl_doc_add_page(cl_doc *d, float w, float h);
/* Append an op to a page (copied). false when out of memory. */
bool cl_page_push(cl_doc *d, cl_page *p, const cl_op *op);
bool cl_doc_add_bookmark(cl_doc *d, const char *title, int level, int page, float y);
/* Record a warning (msg must live in the document's arena). false when out of memory. */
bool cl_doc_add_warning(cl_doc *d, const char *msg);

/* "body", "title", "cover", "divider", "colophon", "blank". */
const char *cl_page_role_name(cl_page_role r);

/* Convenience recorders: return false when out of memory. text is copied. */
bool cl_page_text(cl_doc *d, cl_page *p, cl_face face, float size, float x, float y, const char *text, size_t len);
bool cl_page_rect(cl_doc *d, cl_page *p, float x, float y, float w, float h, float grey);
bool cl_page_line(cl_doc *d, cl_page *p, float x0, float y0, float x1, float y1, float lw, float grey);
#endif
