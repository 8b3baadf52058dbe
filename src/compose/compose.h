/* compose.h: what the three documents are made of — the styles, the page geometry, and
 * the blocks (headings, labelled notes, pedagogical uses, questions, the resource header
 * with pictogram, reference and QR code) that handout.c, study.c and binder.c assemble
 * into a vertical flow — and the composer that lays the flow out on pages as it grows
 * and sends each finished page, with its running header and footer, to the pass's device.
 *
 * Memory: the composer allocates what goes into boxes in the flow's arena chunks
 * (c->ts.a, which changes at each cl_flow_flush: keep no pointer into it across one);
 * what must last the whole document (metadata, anchors, bookmarks, header texts) goes to
 * c->da, the arena of the pass. */
#ifndef CL_COMPOSE_H
#define CL_COMPOSE_H
#include "../model/model.h"
#include "../typeset/device.h"
#include "../typeset/layout.h"
#include "../util/buf.h"

typedef struct cl_styles {
    cl_textstyle body;      /* notes, introductions */
    cl_textstyle small;     /* pedagogical uses, extracts */
    cl_textstyle ref;       /* ISO 690 references */
    cl_textstyle label;     /* type labels, small headings (sans) */
    cl_textstyle h1, h2, h3;/* headings (sans bold) */
    cl_textstyle title;     /* document title */
    cl_textstyle address;   /* printed addresses under QR codes */
    cl_textstyle furniture; /* headers and footers */
    float block_gap;        /* space between resource blocks */
    float para_gap;         /* space between paragraphs */
    float qr_target;        /* preferred QR width (pt), quiet zone included */
    float qr_min_module;    /* smallest module (pt): 0.5 mm */
    float grey_rules, grey_frames, grey_leaders;  /* 0 black … 1 white */
    cl_textopts text;       /* normalisation options (accented capitals…) */
} cl_styles;

struct cl_layout;

/* One pass of composition over a document (documents.c runs them): a measuring pass has
 * no device; the next ones know where everything landed in the one before. */
typedef struct cl_pass {
    cl_device *dev;           /* where the pages go; NULL in a measuring pass */
    bool hold;                /* compose once, keep every box, lay out afterwards (cl_flow_layout) */
    const int *prev_pages;    /* each anchor's page in the previous pass, or NULL */
    const float *prev_ys;
    size_t prev_total;        /* the previous pass's page count (0: not known) */
    size_t prev_numbered;     /* its pages before a booklet's padding: the N of "page n / N" */
    struct cl_qr_cache *qrs;  /* the document's codes, kept from pass to pass (or NULL) */
    cl_docinfo info;          /* the document's metadata, set by cl_pass_begin (strings in the pass's arena) */
    const char *back;         /* what a booklet's back cover says the document is */
    /* what the pass gives back */
    size_t pages;             /* pages laid out */
    size_t numbered;          /* pages before a booklet's padding and back cover (0: all) */
    cl_bookmark *marks;       /* in the pass's arena */
    size_t n_marks, cap_marks;
    cl_buf warnings;          /* pagination warnings, one a line */
} cl_pass;

typedef struct cl_composer {
    const struct cl_layout *lay; /* which blocks to show, and the styles' source */
    cl_ts ts;
    cl_flow flow;
    cl_styles st;
    cl_pagespec ps;
    const cl_catalog *cat;
    cl_arena *da;           /* lives as long as the pass (borrowed) */
    cl_arena *scratch;      /* the line breaker's (owned) */
    cl_pass *pass;          /* borrowed */
    const char *head[2][2]; /* the running header's lines (cl_composer_header) */
    size_t n_head;
    int page_digits;        /* the widest page number a sommaire leaves room for (3: 999) */
    float measure;          /* text block width */
} cl_composer;

/* Styles and A4 geometry of the default layout (cl_layout_default, applied).
 * duplex: alternate binding margin. */
void cl_styles_default(cl_styles *st);
void cl_pagespec_a4(cl_pagespec *ps, bool duplex);
/* Prepare a composer for one pass: the layout's styles and geometry (duplex: alternate
 * binding margin), n_anchors anchor slots in da. Returns false on error (err set). */
CL_MUST_CHECK bool cl_composer_init(cl_composer *c, const cl_catalog *cat, cl_fonts *fonts, const cl_hyph *hyph, cl_err *err,
                      bool duplex, size_t n_anchors, const struct cl_layout *lay, cl_pass *pass, cl_arena *da);
/* The running header's texts, left (inner side) and right (outer side), set once before
 * cl_composer_start. */
CL_MUST_CHECK bool cl_composer_header(cl_composer *c, const char *left, const char *right);
/* From now on finished pages go out (with headers and footers) as boxes are added and
 * flushed (cl_flow_flush(&c->flow, …)); the flow allocates in chunks of its own. A held
 * pass (pass->hold) keeps every box instead, to be laid out by the caller. */
CL_MUST_CHECK bool cl_composer_start(cl_composer *c);
/* The sink that gives pages their numbers, headers and footers and sends them to the
 * pass's device (what cl_composer_start gives the flow). */
cl_page_sink cl_composer_sink(cl_composer *c);
/* Release what the composer holds (not the pass's arena). */
void cl_composer_fini(cl_composer *c);

/* A heading; bookmark: also a PDF bookmark at level bm_level (0: none). */
CL_MUST_CHECK bool cl_block_heading(cl_composer *c, const char *text, const cl_textstyle *st, float space_before, int bm_level,
                      int anchor);
/* Markup text (paragraphs, items), optionally led by a bold label ("Note de lecture :"). */
CL_MUST_CHECK bool cl_block_text(cl_composer *c, const char *label, const char *markup, const cl_textstyle *st, float indent,
                   float space_before, bool keep_all);
/* The resource header: pictogram and type label, reference, and for a resource with an
 * address its QR code with the printed address, one link over code and address. Without
 * an address the reference takes the whole width: no code, no placeholder. */
CL_MUST_CHECK bool cl_block_resource_header(cl_composer *c, const cl_resource *r, float space_before);
/* Break a printed address (cl_address_short) into at most max lines of at most width pt
 * in face and size: after "/" or before ". - ? & = _", so a line never ends with a
 * hyphen that could be read as a word break; a piece wider than width is cut where it
 * must. Lines are arena strings; returns how many. */
size_t cl_wrap_address(cl_composer *c, const char *s, cl_face face, float size, float width, const char **lines,
                       size_t max);
/* After a block about resource r (NULL: none) failed in a course (NULL: the dossier):
 * the error says where the text at fault is written, when it is a fault of the data (the
 * text of r, its entries or the course's questions that holds the character no font
 * has; else r's record), and names the resource. With r NULL, the first text of the
 * whole catalogue holding such a character is named, with its key and owner. */
void cl_composer_blame(cl_composer *c, const cl_resource *r, const cl_course *co);
/* The code of an address: from the pass's cache when it has one. An address too long
 * for any code gives NULL with *too_long set and a warning of the document (it is
 * printed without a code); NULL with the composer's error set when memory runs out. */
const struct cl_qr *cl_qr_for(cl_composer *c, const char *url, bool *too_long);
/* The smallest symbol printed (without its quiet zone): 20 mm, what phones read in poor
 * light, from a page held at arm's length or a little crooked. */
#define CL_QR_MIN_SYMBOL (20.0f * 72.0f / 25.4f)
struct cl_qr;
/* The module size of code qr in styles st: the layout's code size (quiet zone included)
 * divided among the modules, but never under the layout's smallest module nor a symbol
 * under CL_QR_MIN_SYMBOL. */
float cl_qr_module(const cl_styles *st, const struct cl_qr *qr);
/* The note of entry e as a document for course co prints it: without its closing lead-in
 * paragraph ("Des exemples d'actions, des études menées :") when none of the entries it
 * introduces (those after it in its section) is selected; the note as it is for the
 * whole dossier (co NULL). Arena string, or the data's own. */
const char *cl_entry_note(cl_arena *a, const cl_entry *e, const cl_course *co);
/* The width of the widest piece of a printed address between its break points, the
 * narrowest column that holds it without cutting a word. */
float cl_address_widest_piece(cl_composer *c, const char *s, cl_face face, float size);
/* "8 ressources sur 11 avec un code QR" ("les 11 ressources ont un code QR", "11
 * ressources, sans code QR pour l’instant"): the identified resources of course co, or
 * of the whole dossier when co is NULL, and how many have a code (arena string). */
const char *cl_qr_claim(cl_arena *a, const cl_catalog *cat, const cl_course *co);
/* Where addresses are added, as printed in documents: "data/addresses.yaml" (the data
 * folder's own name, never a machine's absolute path; arena string). */
const char *cl_address_file_name(cl_arena *a, const cl_catalog *cat);
/* The closing note of a course document: which selected resources have no address yet
 * (so no QR code) and the file where a teacher adds them. Nothing when all have one. */
CL_MUST_CHECK bool cl_block_missing_addresses(cl_composer *c, const cl_course *co);
/* Its text: how many of co's resources have no address yet, the file where they are
 * added, then one "- title" line each; "" when all have one, NULL out of memory (in a). */
const char *cl_missing_addresses_text(cl_arena *a, const cl_catalog *cat, const cl_course *co);
/* "Exploitation pédagogique envisageable — BTS SP3S, Module C Prestations…" (in a; NULL
 * out of memory). */
const char *cl_use_heading(cl_arena *a, const cl_use *u);
/* A pedagogical use: "Exploitation pédagogique envisageable — diploma, module", items, activity. */
CL_MUST_CHECK bool cl_block_use(cl_composer *c, const cl_use *u);
/* Numbered questions under a small heading. */
CL_MUST_CHECK bool cl_block_questions(cl_composer *c, const char *const *q, size_t n, const char *heading, float answer_space);
/* A table-of-contents line: number, title (wrapped), dotted leader, the page where
 * anchor lands, and a link to it over the whole entry. The number starts at indent and
 * the title numw further (cl_toc_number_width of the widest number of the level, so
 * numbers never run into titles); the title leaves room for the widest page number
 * (page_digits), so the page number, printed when pages go out (CL_OP_PAGEREF), never
 * moves a line; leader dots sit on a 4 pt grid from the column's edge, so they line up. */
CL_MUST_CHECK bool cl_block_toc_line(cl_composer *c, const char *number, const char *title, int anchor, const cl_textstyle *st,
                       float space_before, float indent, float numw);
/* A dotted leader in box b from x `from` to `to` at baseline base: 0.8 pt dots on a 4 pt
 * grid from the column's edge (so leaders line up from line to line), as one dashed rule. */
CL_MUST_CHECK bool cl_block_leader(cl_composer *c, cl_box *b, float from, float to, float base);
/* The width a number takes in a table of contents: the number and a gap (0 for NULL). */
float cl_toc_number_width(cl_composer *c, const cl_textstyle *st, const char *number);
/* Make every box from index from to the end keep with the next one (one unit). */
void cl_flow_keep(cl_flow *f, size_t from);
/* For a booklet layout, at the end: the back cover, after blank pages up to a multiple
 * of four (cl_box.pad4): the colophon (what the document is, the dossier it comes from)
 * and how to print it (duplex, which edge to flip, fold, staple). Other layouts:
 * nothing. Headers and footers go on body pages ("page n / N", N from the previous
 * pass), the footer only on a title page, nothing on covers, dividers and blank pages
 * (the roles pagination gave the pages). */
CL_MUST_CHECK bool cl_booklet_back(cl_composer *c, const char *what);
#endif
