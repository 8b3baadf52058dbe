/* layout.h: the typesetting engine — paragraphs into lines (layout.c), lines and blocks
 * into a vertical flow of boxes, the flow into pages (flow.c).
 *
 * Line breaking is our own (libharu's text rectangles justify by letter spacing and
 * mis-measure UTF-8): words are placed one by one, with French hyphenation points from
 * libhyphen, breaks only at ordinary spaces (never at U+00A0 or U+202F), and an optimal
 * fit over the whole paragraph (least total badness, as Knuth and Plass) for justified
 * and ragged text alike. Pagination keeps what must stay together: no widow or orphan
 * line, headings with what follows, and blocks marked as a unit.
 *
 * Everything is allocated in the cl_ts arena. Errors (a character no font has) go to
 * ts->err and the call returns what it could. */
#ifndef CL_LAYOUT_H
#define CL_LAYOUT_H
#include "displaylist.h"
#include "../util/diag.h"
#include "font.h"
#include "hyph.h"
#include "text.h"

typedef struct cl_ts {
    cl_arena *a;          /* where lines and boxes are allocated */
    cl_arena *scratch;    /* the line breaker's working arrays, emptied at each paragraph
                             (NULL: they go to a) */
    cl_fonts *fonts;
    const cl_hyph *hyph;  /* may be NULL: no hyphenation */
    cl_err *err;
} cl_ts;

typedef struct cl_textstyle {
    cl_face regular, italic, bold, bold_italic;
    float size;           /* font size, pt */
    float leading;        /* baseline to baseline, pt */
    bool justify;         /* false: ragged right */
    bool hyphenate;
    float first_indent;   /* first line indent, pt */
    unsigned style;       /* CL_ST_* always applied (e.g. bold labels) */
} cl_textstyle;

/* A glyph run of one face in a line: x is from the line's left edge, dx[k] the x of
 * character k from x. Words in a run are separated by a space character placed where
 * the gap starts (justified gaps are wider than the space). */
typedef struct cl_frag {
    cl_face face;
    float size;
    float x;
    const char *text;     /* NUL-terminated */
    const float *dx;
    uint32_t n;           /* characters */
} cl_frag;

typedef struct cl_line {
    cl_frag *frags;
    size_t n;
    float width;          /* set width (the measure when justified) */
    float natural;        /* natural width of the content */
    bool hyphenated;      /* ends with a hyphen added by the breaker */
} cl_line;

/* Break rich text into lines of width measure. *n gets the count. */
cl_line *cl_break_lines(cl_ts *ts, const cl_rich *rich, const cl_textstyle *st, float measure, size_t *n);
/* Width of a rich text on one line, in pt. */
float cl_rich_width(cl_ts *ts, const cl_rich *rich, const cl_textstyle *st);

/* ---- vertical flow ----------------------------------------------------------------- */

/* Where a box must start. */
typedef enum {
    CL_BREAK_NONE = 0,    /* wherever it fits */
    CL_BREAK_PAGE = 1,    /* on a new page */
    CL_BREAK_COLUMN = 2   /* at the top of a new column (a new page in one-column layouts) */
} cl_break;

typedef struct cl_box {
    float height;         /* advance, pt */
    float space_before;   /* dropped at the top of a page */
    bool keep_with_next;  /* no page break between this box and the next */
    cl_break break_before;/* must start a new page or column */
    cl_page_role role;    /* with break_before: what the page it opens is (cover…) */
    bool odd_page;        /* with break_before: start on an odd (right-hand) page */
    cl_op *ops;           /* relative to the text block's left edge and the box top */
    size_t n, cap;
    const char *bookmark; /* registered where the box lands, or NULL */
    int bm_level;
    int anchor;           /* >= 0: record the landing page in the flow's anchors */
    int group;            /* >= 0: a unit (a study sheet); a page that starts inside it
                             gets the group's "(suite)" heading */
    bool fill_rest;       /* grow to the foot of the page (a "Mes notes" box); at least
                             height; its ops with h < 0 get h = final height + h */
    uint32_t chunk;       /* the arena chunk holding its ops (streaming flows) */
    bool pad4;            /* with break_before PAGE: blank pages first, so that the page it
                             opens is the last of a multiple of four (a booklet's back cover) */
} cl_box;

/* Page geometry: margins in pt; the inner (binding) margin alternates when duplex. */
typedef struct cl_pagespec {
    float width, height;
    float top, bottom, inner, outer;
    bool duplex;          /* binding margin alternates between odd and even pages */
    int columns;          /* columns of text (0 or 1: one) */
    float column_gap;     /* pt between columns */
} cl_pagespec;

/* Where a flow's finished pages go (cl_flow_start). Every callback returns false on
 * failure (ts->err set, or set by the flow as "out of memory"). */
typedef struct cl_page_sink {
    /* a finished page, its areas set; the sink owns it from now on. Its ops may point at
     * what the boxes hold (ts->a): use them before the next cl_flow_flush (a device
     * draws the page at once; a recorder copies it) */
    bool (*page)(void *ctx, cl_page *p);
    /* a bookmark landed on page (0-based) at y; title is borrowed for the call */
    bool (*bookmark)(void *ctx, const char *title, int level, int page, float y);
    /* a pagination warning (a unit taller than a page…), borrowed for the call */
    bool (*warning)(void *ctx, const char *msg);
    void *ctx;
} cl_page_sink;

typedef struct cl_chunk {
    cl_arena *a;
    uint32_t id;
} cl_chunk;

typedef struct cl_flow {
    cl_ts *ts;
    cl_box *boxes;        /* the boxes not laid out yet (heap) */
    size_t n, cap;
    int *anchor_page;     /* filled by pagination: anchor id → 0-based page */
    float *anchor_y;
    size_t n_anchors;
    const char **group_titles;  /* continuation heading of each group ("… (suite)") (heap) */
    size_t n_groups, cap_groups;
    cl_textstyle cont_style;    /* style of continuation headings */
    /* pagination (cl_flow_start) */
    const cl_pagespec *ps;
    cl_page_sink sink;
    size_t pages;         /* pages given to the sink so far */
    size_t numbered;      /* pages before a pad4 box's blank pages (0: none padded) */
    bool hold;            /* keep every box: cl_flow_flush lays out nothing (cl_flow_layout) */
    bool laying_out;      /* cl_flow_layout at work: no chunk is dropped */
    int last_group;       /* the group of the last box laid out (-1: none) */
    float *hts;           /* working heights */
    size_t cap_hts;
    /* arena chunks of a streaming flow: boxes are allocated in the newest; a chunk is
     * dropped once no box waiting to be laid out lives in it */
    bool chunks_owned;
    cl_chunk *chunks;
    size_t n_chunks, cap_chunks;
    uint32_t chunk_id;
} cl_flow;

/* Prepare a flow setting text with ts; n_anchors anchor slots (allocated in ts->a, all
 * -1: not landed). */
void cl_flow_init(cl_flow *f, cl_ts *ts, size_t n_anchors);
/* Release what the flow holds (its boxes and chunks; not the anchors). */
void cl_flow_free(cl_flow *f);
/* Start a group (a unit such as a study sheet) whose continuation heading is title
 * (borrowed: it must live as long as the group's boxes); returns its id for
 * cl_box.group, or -1 when out of memory. */
int cl_flow_group(cl_flow *f, const char *title);
/* Append a new empty box (NULL when out of memory). The pointer is valid until the next
 * cl_flow_box or cl_flow_flush. */
cl_box *cl_flow_box(cl_flow *f, float height);
/* Record ops into a box (coordinates relative to the box). */
CL_MUST_CHECK bool cl_box_push(cl_flow *f, cl_box *b, const cl_op *op);
/* A glyph run of text at the face's advances, origin (x, y) in the box. */
CL_MUST_CHECK bool cl_box_text(cl_flow *f, cl_box *b, cl_face face, float size, float x, float y, const char *text);
/* The same, placed before the box's other ops: a marker read before its item (a list
 * dash, a question's number). */
CL_MUST_CHECK bool cl_box_text_first(cl_flow *f, cl_box *b, cl_face face, float size, float x, float y, const char *text);
CL_MUST_CHECK bool cl_box_line(cl_flow *f, cl_box *b, const cl_line *line, float x, float baseline);
/* Add a paragraph as one box per line, with widow/orphan protection. x: indent from the
 * block edge. keep_all: the whole paragraph keeps together and with what follows. */
CL_MUST_CHECK bool cl_flow_paragraph(cl_flow *f, const cl_rich *rich, const cl_textstyle *st, float x, float measure,
                       float space_before, bool keep_all);
/* Mark the text ops of boxes [from, f->n) as part of a heading or a caption. */
void cl_flow_tag(cl_flow *f, size_t from, cl_tag tag);
/* Baseline offset from the top of a line box of style st. */
float cl_baseline(const cl_textstyle *st);
/* Text block geometry of a 0-based page. */
float cl_pagespec_left(const cl_pagespec *ps, size_t page_index);
float cl_pagespec_measure(const cl_pagespec *ps);   /* one column's width */
float cl_pagespec_text_width(const cl_pagespec *ps); /* all columns, for headers */

/* Lay the flow out on pages of geometry ps (borrowed) given to sink as they are
 * finished. With own_chunks the flow allocates what is composed into it in arena chunks
 * of its own (it sets ts->a; keep no pointer into ts->a across cl_flow_flush) and drops
 * each chunk once its boxes are on pages: a document of any length holds about a page of
 * boxes at a time. */
void cl_flow_start(cl_flow *f, const cl_pagespec *ps, cl_page_sink sink, bool own_chunks);
/* Lay out every page that can be decided with the boxes so far (a page is decided once
 * the boxes after its end are known), or all of them when final (a final flush ends the
 * current page; boxes added afterwards start a new one).
 *
 * Boxes go down a column until the next one does not fit; then the column (or page)
 * ends before the chain of boxes the next one keeps with (keep_with_next), so a chain is
 * never split unless it is taller than a column: then it is broken where it must and a
 * warning says where. break_before starts a new page or column; a page starting inside a
 * group opens with the group's "(suite)" heading. A fill_rest box grows to the foot of
 * its column. When a page is followed by a forced page break or ends the document, its
 * columns are balanced, and the last three boxes before it keep together. Every page
 * gets its area: its role and text block. Returns false on error (ts->err set). */
CL_MUST_CHECK bool cl_flow_flush(cl_flow *f, bool final);
/* Lay out every box of a held flow (hold set, all boxes kept) onto pages for sink, from
 * page 1, and keep the boxes: a document small enough to hold is composed once and laid
 * out twice (to know its page numbers, then to write it). */
CL_MUST_CHECK bool cl_flow_layout(cl_flow *f, cl_page_sink sink);
/* The whole flow at once onto new pages of doc (tests, small documents): start, final
 * flush; bookmarks and warnings go to doc. */
CL_MUST_CHECK bool cl_flow_paginate(cl_flow *f, const cl_pagespec *ps, cl_doc *doc);
#endif
