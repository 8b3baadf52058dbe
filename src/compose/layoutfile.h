/* layoutfile.h: layouts as data — page format, margins, columns, fonts and sizes per
 * role, spacing, alignment, hyphenation, grey levels, QR size, booklet imposition, and
 * which blocks each document shows in which order. Read from YAML files in layouts/
 * (documented in docs/layouts.md); a layout may start from another (`base: default`)
 * and change a few keys. Bad files give "FILE:LINE:COLUMN: error: …" diagnostics like
 * the data files. */
#ifndef CL_LAYOUTFILE_H
#define CL_LAYOUTFILE_H
#include "../util/diag.h"
#include "compose.h"

enum { CL_FONT_SERIF, CL_FONT_SANS };

typedef struct cl_font_role {
    int font;            /* CL_FONT_* */
    float size, leading; /* pt */
} cl_font_role;

/* Blocks a document can show. */
typedef enum {
    CL_BLK_REFERENCE, CL_BLK_NOTE, CL_BLK_USES, CL_BLK_QUESTIONS, CL_BLK_EXTENT, CL_BLK_SUMMARY,
    CL_BLK_NOTES, CL_BLK_EXTRACTS, CL_BLK_LINKS, CL_BLK_COVER, CL_BLK_SOMMAIRE, CL_BLK_INTRODUCTION,
    CL_BLK_DIVIDERS, CL_BLK_SECTIONS, CL_BLK_INDEXES,
    CL_BLK_NAME,        /* study sheets: "Nom, prénom" and "Classe" lines on the first page */
    CL_BLK_COUNT
} cl_block_kind;

typedef struct cl_blocks {
    cl_block_kind v[CL_BLK_COUNT];
    size_t n;
} cl_blocks;

typedef struct cl_layout {
    const char *name;           /* as asked (file stem or path) */
    float page_w, page_h;       /* pt, after orientation */
    float m_top, m_bottom, m_inner, m_outer;   /* pt */
    int columns;
    float column_gap;           /* pt */
    bool booklet;               /* impose pages two-up on A4 landscape */
    bool flip_short;            /* booklet printed flipping on the short edge (else long) */
    cl_font_role body, refs, captions;
    int heading_font;
    float heading_scale;
    bool justify, hyphenate;
    bool italics;               /* false: bold instead of italics */
    bool accent_capitals;       /* accented capitals from typography/capitals.txt */
    bool source_names;          /* references name bodies as the source does, not by heading */
    float para_gap, block_gap;  /* pt */
    float grey_rules, grey_frames, grey_leaders;
    float qr_size, qr_min_module;  /* pt */
    cl_blocks handout, study, binder, entry;
} cl_layout;

/* The built-in default (what layouts/default.yaml says). */
void cl_layout_default(cl_layout *l);
/* The built-in default layout, made once (borrowed; never changes afterwards). */
const cl_layout *cl_layout_builtin(void);
/* Load a layout by name (a file layouts/NAME.yaml in dir) or by path (containing '/' or
 * ending in .yaml), following `base:` chains. Problems go to diags; returns false when
 * there was an error. */
CL_MUST_CHECK bool cl_layout_load(cl_layout *l, const char *layouts_dir, const char *name_or_path, cl_diags *diags);
/* Styles and page geometry for a document. duplex: alternate the binding margin. */
void cl_layout_apply(const cl_layout *l, cl_styles *st, cl_pagespec *ps, bool duplex);
/* True when blocks b shows kind k. */
bool cl_blocks_has(const cl_blocks *b, cl_block_kind k);
#endif
