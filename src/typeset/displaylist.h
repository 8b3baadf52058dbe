/* displaylist.h: the pages of a finished document as a list of drawing operations.
 *
 * Layout records positioned glyph runs, rules, rectangles, vector paths, QR matrices,
 * link areas and bookmarks here; pages leave it only through a device (device.h), so
 * the PDF, the pictures and the trace cannot disagree. Coordinates are PostScript points
 * with the origin at the top-left of the page and y growing downwards.
 *
 * A glyph run is one face at one size: its characters (UTF-8) and the x of each one,
 * measured by the typesetter with the fonts' own advances (font.h); devices place the
 * glyphs where the run says and never measure. Ordinary spaces between words are
 * characters of the run like the others (where the gap starts), so that copied text
 * keeps its spaces; justification widens the gaps, and every character after a space
 * sits at its own x.
 *
 * Each page owns an arena of its own (its ops, runs and strings), so that pages can be
 * written and freed one by one; a cl_doc holds recorded pages (previews, tests) and its
 * own arena for the rest. cl_doc_drop() frees everything. */
#ifndef CL_DISPLAYLIST_H
#define CL_DISPLAYLIST_H
#include "../util/arena.h"
#include "font.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum {
    CL_OP_GLYPHS,     /* glyph run: face, size, origin x, baseline y, text, dx, n */
    CL_OP_RECT,       /* filled rectangle x, y, w, h in grey */
    CL_OP_STROKE_RECT,/* outlined rectangle, line width lw */
    CL_OP_LINE,       /* rule from (x, y) to (x + w, y + h), width lw, dashed when dash_on > 0 */
    CL_OP_PATH,       /* vector path (pictograms), filled or stroked */
    CL_OP_QR,         /* QR matrix: top-left x, y of the quiet zone, module size m */
    CL_OP_LINK_URI,   /* clickable area x, y, w, h → uri */
    CL_OP_LINK_PAGE,  /* clickable area → page target_page at y target_y */
    CL_OP_PAGEREF     /* page numbers not known yet (a sommaire's, an index's): ref says what
                         to print and link; made into glyph runs, a leader and links once the
                         pages are known, before a device sees the page; x, y: its origin */
} cl_op_kind;

/* The quiet zone around a QR symbol, in modules: a QR op's x, y is its top-left corner. */
#define CL_QR_QUIET 4
/* Width in pt of the quiet zone for module size m. */
#define CL_QR_QUIET_PT(m) ((m) * CL_QR_QUIET)

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

/* What a CL_OP_PAGEREF stands for: the pages of some anchors (places the flow records
 * where they land), printed right-aligned with a dotted leader before them, and linked.
 * Coordinates are from the op's origin. */
typedef struct cl_pageref {
    const int *anchors;    /* anchor ids, n of them */
    size_t n;
    bool numbers;          /* print the pages: "12" (one anchor), "12, 45" (one number a page) */
    cl_face face;
    float size, grey;
    float baseline;
    float leader_from;     /* where the leader may start (after the title) */
    float right;           /* where the numbers end */
    float leader_grey;
    bool link_each;        /* a link on each number, link_h high from link_y */
    float link_x, link_y, link_w, link_h; /* else when link_w > 0: one link over this area to
                                             the first anchor's page */
} cl_pageref;

typedef struct cl_op {
    cl_op_kind kind;
    cl_tag tag;            /* glyphs: structure, CL_TAG_NONE for running text */
    cl_face face;
    float x, y, w, h;
    float size;            /* font size (glyphs), module size (QR) */
    float lw;              /* line width */
    float grey;            /* 0 black … 1 white, for fills and strokes */
    const char *text;      /* glyphs: the run's characters; LINK_URI: the URI; NUL-terminated */
    const float *dx;       /* glyphs: x of each character from x (dx[0] = 0), n of them */
    uint32_t n;            /* glyphs: characters (code points) in text */
    float dash_on, dash_off; /* LINE: dash pattern (0: solid) */
    const cl_qr *qr;
    const cl_path *path;   /* path in coordinates relative to (x, y), scaled by size */
    const cl_pageref *ref; /* PAGEREF */
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
    cl_arena *arena;       /* owns the page's ops, runs and strings */
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
    cl_arena *arena;       /* owns the page list, bookmarks, metadata and warnings */
    cl_fonts *fonts;       /* borrowed: shared by the run */
    cl_page **pages;
    size_t n_pages, cap_pages;
    cl_page **retired;     /* pages no longer shown whose strings shown pages still use
                              (the A5 pages of an imposed booklet); dropped with the doc */
    size_t n_retired;
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
/* Free the document, its pages and everything in them. NULL is accepted. */
void cl_doc_drop(cl_doc *d);
/* A new empty page of the given size with its own arena, owned by the caller (drop it
 * with cl_page_drop, or give it to a document with cl_doc_take_page). NULL when out of
 * memory. */
cl_page *cl_page_new(float w, float h);
void cl_page_drop(cl_page *p);
/* Append page p to d, which then owns it (dropped with d). false when out of memory
 * (p is then still the caller's). */
CL_MUST_CHECK bool cl_doc_take_page(cl_doc *d, cl_page *p);
/* Append a new page of the given size to d. NULL when out of memory. */
cl_page *cl_doc_add_page(cl_doc *d, float w, float h);
/* Append an op to a page (copied; what it points to must live as long as the page). false
 * when out of memory. */
CL_MUST_CHECK bool cl_page_add(cl_page *p, const cl_op *op);
/* Insert an op before the page's first op (what is read first: a running header). */
CL_MUST_CHECK bool cl_page_add_first(cl_page *p, const cl_op *op);
/* Move the ops from index `from` to the end before the others, keeping their order
 * (ops added last that are read first). false when out of memory. */
CL_MUST_CHECK bool cl_page_move_to_front(cl_page *p, size_t from);
/* The same for a page of d (kept for callers holding the document). */
CL_MUST_CHECK bool cl_page_push(cl_doc *d, cl_page *p, const cl_op *op);
CL_MUST_CHECK bool cl_doc_add_bookmark(cl_doc *d, const char *title, int level, int page, float y);
/* Record a warning (copied). false when out of memory. */
CL_MUST_CHECK bool cl_doc_add_warning(cl_doc *d, const char *msg);

/* "body", "title", "cover", "divider", "colophon", "blank". */
const char *cl_page_role_name(cl_page_role r);

/* Make op a glyph run of text[0..len) in face at size, its origin at (x, y) and its
 * characters at the face's advances (a word or a line without stretched spaces). The
 * characters and positions are copied into a. A face without a glyph for a character
 * gives it no room. false when out of memory. */
CL_MUST_CHECK bool cl_glyphs_natural(cl_arena *a, cl_fonts *fonts, cl_op *op, cl_face face, float size, float x, float y,
                       const char *text, size_t len);
/* Convenience recorders: return false when out of memory. text is copied. */
CL_MUST_CHECK bool cl_page_text(cl_doc *d, cl_page *p, cl_face face, float size, float x, float y, const char *text, size_t len);
CL_MUST_CHECK bool cl_page_rect(cl_doc *d, cl_page *p, float x, float y, float w, float h, float grey);
CL_MUST_CHECK bool cl_page_line(cl_doc *d, cl_page *p, float x0, float y0, float x1, float y1, float lw, float grey);
#endif
