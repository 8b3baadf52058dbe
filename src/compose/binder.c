/* binder.c: the librarian's binder (the CDI copy), for the whole dossier or one course:
 * cover, "Sommaire" with a page number and a link for every section and subsection,
 * introduction, a divider page before each chapter, sections with their introductions
 * and every entry in full (reference, QR code, note, extracts, pedagogical uses,
 * sub-links with their own codes), then three indexes (by type, by author or
 * organisation, by diploma and module) whose page numbers link to their pages. PDF
 * bookmarks mirror the sections; the binding margin alternates for duplex printing.
 *
 * Page numbers come from the previous pass (documents.c runs the passes); nothing they
 * change moves a line (the sommaire and the indexes leave room for the widest number),
 * so two passes do. Pages go out as entries are added; the indexes are built in an
 * arena of their own with hash tables, in time linear in the entries. */
#include "compose.h"
#include "documents.h"
#include "layoutfile.h"
#include "reference.h"
#include "qr.h"
#include "../util/buf.h"
#include "../util/collate.h"
#include "../util/utf8.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct binder {
    const cl_catalog *cat;
    const cl_course *course; /* NULL: whole dossier */
    size_t n_sections, n_entries;
    cl_entry **entries;  /* flat, reading order */
    bool *section_shown; /* per section index */
    bool *entry_shown;   /* per flat entry */
    size_t n_anchors;
    cl_collator *coll;   /* French order of the indexes */
    int digits;          /* the widest page number room is left for */
} binder;

enum { A_INTRO, A_INDEX_TYPE, A_INDEX_AUTHOR, A_INDEX_DIPLOMA, A_FIXED };

static size_t anchor_section(const binder *b, size_t i) { return A_FIXED + i; }
static size_t anchor_entry(const binder *b, size_t i) { return A_FIXED + b->n_sections + i; }


/* The sommaire's number columns: numw[l] is as wide as the widest number of level l
 * shown (in its level's style), and a level's numbers start under its parent's titles. */
typedef struct toc_cols {
    float numw[8];
} toc_cols;

static const cl_textstyle *toc_style(const cl_composer *c, int level)
{
    return level == 1 ? &c->st.h3 : &c->st.body;
}

static void toc_columns(cl_composer *c, const binder *b, toc_cols *tc)
{
    memset(tc, 0, sizeof *tc);
    for (size_t i = 0; i < b->n_sections; i++) {
        const cl_section *s = b->cat->sections[i];
        int l = s->level < 8 ? s->level : 7;
        if (!b->section_shown[i] || !s->number)
            continue;
        float w = cl_toc_number_width(c, toc_style(c, l), s->number);
        if (w > tc->numw[l])
            tc->numw[l] = w;
    }
}

static bool toc(cl_composer *c, const binder *b, const toc_cols *tc, const char *number, const char *title,
                int level, size_t anchor, float space)
{
    (void)b;
    int l = level < 8 ? level : 7;
    float indent = 0;
    for (int k = 1; k < l; k++)
        indent += tc->numw[k];
    bool ok = cl_block_toc_line(c, number, title, (int)anchor, toc_style(c, l), space, indent, tc->numw[l]);
    if (ok && level == 1 && number) /* a chapter's line stays with its first section's */
        c->flow.boxes[c->flow.n - 1].keep_with_next = true;
    return ok;
}

/* ---- indexes ---------------------------------------------------------------------- */

/* The width an index line leaves for its page numbers: n of them, each as wide as the
 * widest the document can have, whatever they are (so no number moves a line). */
static float numbers_room(cl_composer *c, const binder *b, size_t n)
{
    const cl_textstyle *st = &c->st.small;
    static const char nines[] = "9999999";
    size_t nd = (size_t)(b->digits < 1 ? 1 : (b->digits > 7 ? 7 : b->digits));
    if (n > 6)
        n = 6; /* beyond, the numbers wrap under the title */
    double w = cl_fonts_width(c->ts.fonts, st->regular, nines, nd) * (double)n +
               cl_fonts_width(c->ts.fonts, st->regular, ", ", 2) * (double)(n ? n - 1 : 0);
    return (float)(w * st->size);
}

/* An index line: title wrapped, leader, page numbers each with its own link (printed
 * when pages go out: CL_OP_PAGEREF). keep: the line stays with the next one (the last
 * line of a group is never alone at the top of a page). */
static bool index_line(cl_composer *c, const binder *b, const char *title, const size_t *anchors, size_t n,
                       bool keep)
{
    cl_ts *ts = &c->ts;
    const cl_textstyle *st = &c->st.small;
    cl_rich r = cl_rich_plain(ts->a, &c->st.text, title, 0);
    cl_textstyle ragged = *st;
    ragged.justify = false;
    ragged.hyphenate = false;
    size_t nl;
    cl_line *lines = cl_break_lines(ts, &r, &ragged, c->measure - numbers_room(c, b, n) - 24, &nl);
    int *ids = CL_NEWN(ts->a, int, n ? n : 1);
    cl_pageref *ref = CL_NEW(ts->a, cl_pageref);
    bool ok = !ts->err->code && ids && ref;
    for (size_t i = 0; ok && i < n; i++)
        ids[i] = (int)anchors[i];
    float base = cl_baseline(st);
    for (size_t i = 0; ok && i < nl; i++) {
        cl_box *bx = cl_flow_box(&c->flow, st->leading);
        ok = bx && cl_box_line(&c->flow, bx, &lines[i], 10, base);
        if (!ok)
            break;
        bx->space_before = i == 0 ? 1.5f : 0;
        if (i + 1 < nl) {
            bx->keep_with_next = true;
            continue;
        }
        /* leader dots on the same 4 pt grid as the sommaire's, so they line up */
        bx->keep_with_next = keep;
        *ref = (cl_pageref){ids, n, true, st->regular, st->size, 0, base, 10 + lines[i].width + 6, c->measure,
                            c->st.grey_leaders, true, 0, 0, 0, st->leading};
        cl_op op = {.kind = CL_OP_PAGEREF, .ref = ref};
        ok = cl_box_push(&c->flow, bx, &op);
    }
    return ok && cl_flow_flush(&c->flow, false);
}

/* An index: labels, each with the anchors of the entries that show it, sorted in French
 * order (util/collate.h). Labels are found again with a hash table; everything lives in
 * the index's own arena (the flow's chunks come and go while its lines are laid out). */
typedef struct ikey {
    const char *key, *label;
    size_t anchors[32];
    size_t n;
} ikey;

typedef struct ikeys {
    cl_arena *a;
    ikey *v;
    size_t n, cap;
    size_t *slots;       /* hash table: index + 1 into v, 0 empty */
    size_t n_slots;
} ikeys;

static bool ikeys_init(ikeys *ks)
{
    memset(ks, 0, sizeof *ks);
    ks->a = cl_arena_new();
    return ks->a != NULL;
}

static void ikeys_free(ikeys *ks)
{
    free(ks->v);
    free(ks->slots);
    cl_arena_drop(ks->a);
}

static uint64_t hash_str(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

static int cmp_ikey(const void *x, const void *y)
{
    const ikey *a = x, *b = y;
    int r = strcmp(a->key, b->key);
    return r ? r : strcmp(a->label, b->label);
}

/* Add anchor to label's entry (made when new; label must live as long as ks). false
 * when out of memory. */
static bool ikeys_add(const binder *b, ikeys *ks, const char *label, size_t anchor)
{
    if (2 * (ks->n + 1) > ks->n_slots) { /* grow the table and put every label back */
        size_t ns = ks->n_slots ? ks->n_slots * 2 : 64;
        size_t *nt = calloc(ns, sizeof *nt);
        if (!nt)
            return false;
        for (size_t i = 0; i < ks->n; i++) {
            size_t h = (size_t)(hash_str(ks->v[i].label) & (ns - 1));
            while (nt[h])
                h = (h + 1) & (ns - 1);
            nt[h] = i + 1;
        }
        free(ks->slots);
        ks->slots = nt;
        ks->n_slots = ns;
    }
    size_t h = (size_t)(hash_str(label) & (ks->n_slots - 1));
    while (ks->slots[h] && strcmp(ks->v[ks->slots[h] - 1].label, label))
        h = (h + 1) & (ks->n_slots - 1);
    ikey *k;
    if (ks->slots[h]) {
        k = &ks->v[ks->slots[h] - 1];
    } else {
        if (ks->n == ks->cap) {
            size_t cap = ks->cap ? ks->cap * 2 : 64;
            ikey *nv = realloc(ks->v, cap * sizeof *nv);
            if (!nv)
                return false;
            ks->v = nv;
            ks->cap = cap;
        }
        k = &ks->v[ks->n++];
        memset(k, 0, sizeof *k);
        k->label = label;
        k->key = cl_collate_key(b->coll, ks->a, label);
        if (!k->key)
            k->key = label;
        ks->slots[h] = ks->n;
    }
    for (size_t m = 0; m < k->n; m++)
        if (k->anchors[m] == anchor)
            return true;
    if (k->n < 32)
        k->anchors[k->n++] = anchor;
    return true;
}

/* The initial an author index files label under: its first letter without accent, its
 * article skipped ("Les petits frères…" under P). */
static char initial(const char *label)
{
    const char *s = cl_collate_skip_article(label);
    uint32_t c = 0;
    size_t n = strlen(s);
    for (size_t i = 0; i < n && !cl_utf8_is_letter(c);) {
        size_t l = cl_utf8_decode(s + i, n - i, &c);
        i += l ? l : 1;
    }
    if (c >= 0xC0 && c <= 0xFF) {
        static const char map[] = "AAAAAAACEEEEIIIIDNOOOOOxOUUUUYPsAAAAAAACEEEEIIIIDNOOOOO/OUUUUYPY";
        c = (uint32_t)map[c - 0xC0];
    } else if (c == 0x152 || c == 0x153) {
        c = 'O';
    }
    c = cl_utf8_upper(c);
    return c >= 'A' && c <= 'Z' ? (char)c : '#';
}

/* Authors and bodies, each under one heading (authorities.yaml), by initial. */
static bool index_authors(cl_composer *c, const binder *b)
{
    ikeys ks;
    if (!ikeys_init(&ks))
        return false;
    bool ok = true;
    for (size_t i = 0; ok && i < b->n_entries; i++) {
        const cl_resource *r = b->entries[i]->resource;
        if (!b->entry_shown[i] || !r || r->unidentified)
            continue;
        for (size_t j = 0; ok && j < r->n_authors && j < 3; j++) { /* the authors the reference prints */
            const cl_author *au = &r->authors[j];
            const char *label = au->org ? cl_heading(au->org, au->heading) : cl_author_name(ks.a, au);
            ok = label && ikeys_add(b, &ks, label, anchor_entry(b, i));
        }
    }
    if (ok && ks.n)
        qsort(ks.v, ks.n, sizeof *ks.v, cmp_ikey);
    char letter = 0;
    for (size_t i = 0; ok && i < ks.n; i++) {
        char l = initial(ks.v[i].label);
        if (l != letter) {
            letter = l;
            char h[2] = {letter, 0};
            ok = cl_block_heading(c, cl_arena_strdup(c->ts.a, h), &c->st.h3, 8, 0, -1);
        }
        bool before_last = i + 2 == ks.n ? true
                           : i + 2 < ks.n && initial(ks.v[i + 1].label) == l && initial(ks.v[i + 2].label) != l;
        ok = ok && index_line(c, b, ks.v[i].label, ks.v[i].anchors, ks.v[i].n, before_last);
    }
    ikeys_free(&ks);
    return ok;
}

/* Titles by type, in the dossier legend's order: articles, reports, sites, podcasts,
 * videos; each resource once, with all its appearances. */
static bool index_types(cl_composer *c, const binder *b)
{
    bool ok = true;
    for (int t = 0; ok && t < CL_RES_TYPE_COUNT; t++) {
        ikeys ks;
        if (!ikeys_init(&ks))
            return false;
        for (size_t i = 0; ok && i < b->n_entries; i++) {
            const cl_resource *r = b->entries[i]->resource;
            if (!b->entry_shown[i] || !r || r->unidentified || r->type != (cl_restype)t)
                continue;
            ok = ikeys_add(b, &ks, r->title, anchor_entry(b, i));
        }
        if (ok && ks.n) {
            qsort(ks.v, ks.n, sizeof *ks.v, cmp_ikey);
            const char *h = cl_arena_printf(c->ts.a, "%s (%zu)", cl_restype_label((cl_restype)t), ks.n);
            ok = cl_block_heading(c, h, &c->st.h3, 10, 0, -1);
            for (size_t i = 0; ok && i < ks.n; i++)
                ok = index_line(c, b, ks.v[i].label, ks.v[i].anchors, ks.v[i].n, i + 2 == ks.n);
        }
        ikeys_free(&ks);
    }
    return ok;
}

/* One module's group of the diploma index: the resources shown that the dossier uses for
 * it in any of their entries (every selected resource, for the course's own module). */
static bool diploma_group(cl_composer *c, const binder *b, const cl_diploma *dip, const cl_module *mod, bool all)
{
    ikeys ks;
    if (!ikeys_init(&ks))
        return false;
    /* the resources used for this module, by first appearance */
    bool *used = all ? NULL : calloc(b->cat->n_resources + 2, sizeof *used);
    bool ok = all || used;
    for (size_t i = 0; ok && !all && i < b->n_entries; i++) {
        const cl_entry *e = b->entries[i];
        if (!e->resource || e->resource->order > b->cat->n_resources)
            continue;
        for (size_t u = 0; u < e->n_uses; u++)
            if (e->uses[u].diploma == dip && e->uses[u].module == mod)
                used[e->resource->order] = true;
    }
    for (size_t i = 0; ok && i < b->n_entries; i++) {
        const cl_resource *r = b->entries[i]->resource;
        if (!b->entry_shown[i] || !r || r->unidentified)
            continue;
        if (!all && (r->order > b->cat->n_resources || !used[r->order]))
            continue;
        ok = ikeys_add(b, &ks, r->title, anchor_entry(b, i));
    }
    free(used);
    if (ok && ks.n) {
        qsort(ks.v, ks.n, sizeof *ks.v, cmp_ikey);
        const char *h = mod ? cl_arena_printf(c->ts.a, "%s \xE2\x80\x93 %s %s", dip->name, mod->label, mod->title)
                            : dip->name;
        ok = cl_block_heading(c, h, &c->st.h3, 10, 0, -1);
        for (size_t i = 0; ok && i < ks.n; i++)
            ok = index_line(c, b, ks.v[i].label, ks.v[i].anchors, ks.v[i].n, i + 2 == ks.n);
    }
    ikeys_free(&ks);
    return ok;
}

/* By diploma and module, in diplomas.yaml's order; a course binder lists every selected
 * resource under the course's module first, then under the other modules the dossier
 * uses them for. */
static bool index_diplomas(cl_composer *c, const binder *b)
{
    const cl_course *co = b->course;
    if (co && co->diploma && !diploma_group(c, b, co->diploma, co->module, true))
        return false;
    for (size_t d = 0; d < b->cat->n_diplomas; d++) {
        const cl_diploma *dip = &b->cat->diplomas[d];
        for (size_t m = 0; m < dip->n_modules; m++) {
            const cl_module *mod = &dip->modules[m];
            if (co && dip == co->diploma && mod == co->module)
                continue;
            if (!diploma_group(c, b, dip, mod, false))
                return false;
        }
    }
    return true;
}

/* ---- body ------------------------------------------------------------------------- */

static bool sub_links(cl_composer *c, const cl_resource *r)
{
    if (!r->n_links)
        return true;
    cl_arena *a = c->ts.a;
    size_t cap = c->flow.n;
    if (!cl_block_text(c, NULL, "Liens associés", &c->st.label, 0, 6, true))
        return false;
    cl_flow_tag(&c->flow, cap, CL_TAG_CAPTION);
    c->flow.boxes[c->flow.n - 1].keep_with_next = true;
    for (size_t i = 0; i < r->n_links; i++) {
        const cl_link *l = &r->links[i];
        bool too_long = false;
        const cl_qr *qr = cl_qr_linkable(l->url) ? cl_qr_for(c, l->url, &too_long) : NULL;
        if (!qr && cl_qr_linkable(l->url) && !too_long)
            return false;
        if (!qr) { /* no address yet, or one too long for a code: the title (and address) as an item */
            const char *item = too_long ? cl_arena_printf(a, "- %s : %s", l->title, l->url) : cl_arena_printf(a, "- %s", l->title);
            if (!cl_block_text(c, NULL, item, &c->st.small, 0, 1, false))
                return false;
            continue;
        }
        /* a small code of its own, the title and the address beside it (wrapped) */
        float m = cl_qr_module(&c->st, qr); /* as large as the layout's other codes */
        float w = m * (float)(qr->width + 2 * CL_QR_QUIET);
        const cl_textstyle *ts = &c->st.small, *as = &c->st.address; /* scale with the layout's print */
        float tw = c->measure - w - 6;
        const char *lines[32];
        size_t nl = cl_wrap_address(c, cl_address_short(a, l->url), as->regular, as->size, tw, lines, 32);
        size_t nt;
        cl_rich title = cl_rich_plain(a, &c->st.text, l->title, 0);
        cl_textstyle rag = *ts;
        rag.justify = false;
        cl_line *tl = cl_break_lines(&c->ts, &title, &rag, tw, &nt);
        if (c->ts.err->code)
            return false;
        float text_h = (float)nt * ts->leading + 2 + (float)nl * as->leading;
        cl_box *bx = cl_flow_box(&c->flow, w > text_h ? w : text_h);
        if (!bx)
            return false;
        bx->space_before = 2;
        float ty = w > text_h ? (w - text_h) / 2 : 0; /* the text block centred on the code */
        cl_op q = {.kind = CL_OP_QR, .x = 0, .y = 0, .size = m, .qr = qr};
        cl_op link = {.kind = CL_OP_LINK_URI, .x = 0, .y = 0, .w = c->measure, .h = bx->height, .text = qr->text};
        if (!cl_box_push(&c->flow, bx, &q))
            return false;
        for (size_t k = 0; k < nt; k++)
            if (!cl_box_line(&c->flow, bx, &tl[k], w + 6, ty + (float)k * ts->leading + cl_baseline(ts)))
                return false;
        float ay = ty + (float)nt * ts->leading + 2;
        for (size_t k = 0; k < nl; k++)
            if (!cl_box_text(&c->flow, bx, as->regular, as->size, w + 6, ay + (float)k * as->leading + cl_baseline(as),
                             lines[k]))
                return false;
        if (!cl_box_push(&c->flow, bx, &link))
            return false;
    }
    return true;
}

static bool entry_full(cl_composer *c, const binder *b, size_t ei)
{
    const cl_entry *e = b->entries[ei];
    const cl_resource *r = e->resource;
    size_t first = c->flow.n;
    const char *gt = r->unidentified ? "Ressource non identifiée" : r->title;
    int group = cl_flow_group(&c->flow, cl_text_french(c->ts.a, &c->st.text, gt, strlen(gt)));
    bool ok = true;
    const cl_blocks *bl = &c->lay->entry;
    for (size_t k = 0; ok && k < bl->n; k++) {
        switch (bl->v[k]) {
        case CL_BLK_REFERENCE:
            if (r->unidentified) { /* no reference to print: say so, then the note */
                size_t cap = c->flow.n;
                ok = cl_block_text(c, NULL, "Ressource non identifiée par le dossier source", &c->st.label, 0,
                                   c->st.block_gap, true);
                cl_flow_tag(&c->flow, cap, CL_TAG_CAPTION);
                if (ok && c->flow.n > cap)
                    c->flow.boxes[c->flow.n - 1].keep_with_next = true;
            } else
                ok = cl_block_resource_header(c, r, c->st.block_gap);
            break;
        case CL_BLK_NOTE:
            if (e->note.text)
                ok = cl_block_text(c, e->note.label, cl_entry_note(c->ts.a, e, b->course), &c->st.body, 0, 6, false);
            break;
        case CL_BLK_EXTRACTS:
            for (size_t i = 0; ok && i < e->n_extracts; i++)
                ok = cl_block_text(c, e->extracts[i].label, e->extracts[i].text, &c->st.body, 0, 5, false);
            break;
        case CL_BLK_USES:
            for (size_t i = 0; ok && i < e->n_uses; i++)
                ok = cl_block_use(c, &e->uses[i]);
            break;
        case CL_BLK_LINKS:
            ok = sub_links(c, r);
            break;
        default:
            break;
        }
    }
    if (ok && c->flow.n > first) {
        c->flow.boxes[first].anchor = (int)anchor_entry(b, ei);
        c->flow.boxes[first].space_before = c->st.block_gap;
        for (size_t k = first; k < c->flow.n; k++) /* a page starting inside says "(suite)" */
            c->flow.boxes[k].group = group;
    }
    if (!ok)
        cl_composer_blame(c, r, b->course);
    return ok;
}

static const cl_textstyle *heading_style(const cl_composer *c, int level)
{
    return level <= 1 ? &c->st.h1 : level == 2 ? &c->st.h2 : &c->st.h3;
}

/* The cover: the dossier (title, authors, date) and, for a course binder, the course. */
static bool part_cover(cl_composer *c, const binder *b)
{
    const cl_catalog *cat = b->cat;
    const cl_course *co = b->course;
    const cl_dossier *d = &cat->dossier;
    cl_arena *a = c->ts.a;
    const char *dtitle = d->title ? d->title : "Dossier documentaire";
    bool ok = true;
    size_t cover = c->flow.n;
    cl_box *gap = cl_flow_box(&c->flow, 120);
    ok = gap && cl_block_heading(c, "Dossier documentaire", &c->st.label, 0, 0, -1) &&
         cl_block_heading(c, dtitle, &c->st.title, 6, 0, -1);
    if (ok) {
        c->flow.boxes[cover].break_before = CL_BREAK_PAGE;
        c->flow.boxes[cover].role = CL_PAGE_COVER; /* no running header or footer */
    }
    if (ok && d->n_authors) {
        cl_buf au = {0};
        for (size_t i = 0; i < d->n_authors; i++)
            cl_buf_printf(&au, "%s%s", i ? (i + 1 == d->n_authors ? " et " : ", ") : "", d->authors[i]);
        if (au.failed)
            cl_err_set(c->ts.err, CL_E_NOMEM, "out of memory");
        ok = !au.failed && cl_block_text(c, NULL, cl_buf_str(&au), &c->st.h3, 0, 16, true);
        cl_buf_free(&au);
    }
    if (ok && d->credit)
        ok = cl_block_text(c, NULL, d->credit, &c->st.body, 0, 2, true);
    if (ok && d->date.year)
        ok = cl_block_text(c, NULL, cl_arena_printf(a, "Publication : %s", cl_date_french(a, d->date)), &c->st.body, 0,
                           2, true);
    if (ok && co) {
        ok = cl_block_heading(c, cl_arena_printf(a, "Sélection : %s", co->title), &c->st.h2, 40, 0, -1) &&
             cl_block_text(c, NULL, cl_course_heading(a, co), &c->st.h3, 0, 2, true) &&
             cl_block_text(c, NULL,
                           cl_arena_printf(a, "Année scolaire %s \xC2\xB7 %zu ressources",
                                           co->school_year ? co->school_year : "", co->n_items),
                           &c->st.body, 0, 2, true);
    }
    /* what the codes cover, and where the missing addresses are added */
    size_t total, with = cl_count_addressed(cat, co, &total);
    ok = ok && cl_block_text(c, NULL, cl_arena_printf(a, "Classeur du CDI \xE2\x80\x94 %s", cl_qr_claim(a, cat, co)),
                             &c->st.label, 0, 40, true);
    if (ok && with < total)
        ok = cl_block_text(c, NULL,
                           cl_arena_printf(a, "%s %zu %s pas encore d’adresse : elles se complètent dans le fichier %s.",
                                           with ? "Les" : "Ces", total - with,
                                           total - with > 1 ? "autres n’ont" : "autre n’a",
                                           cl_address_file_name(a, cat)),
                           &c->st.small, 0, 2, true);
    return ok;
}

/* The sommaire: a line with page number and link per section and subsection. */
static bool part_sommaire(cl_composer *c, const binder *b)
{
    const cl_catalog *cat = b->cat;
    const cl_dossier *d = &cat->dossier;
    const cl_blocks *parts = &c->lay->binder;
    bool ok = true;
    toc_cols tc;
    toc_columns(c, b, &tc);
    size_t som = c->flow.n;
    ok = ok && cl_block_heading(c, "Sommaire", &c->st.h1, 0, 1, -1);
    if (ok)
        c->flow.boxes[som].break_before = CL_BREAK_PAGE;
    if (cl_blocks_has(parts, CL_BLK_INTRODUCTION))
        ok = ok && toc(c, b, &tc, NULL, d->introduction_title ? d->introduction_title : "Introduction", 1, A_INTRO, 10);
    for (size_t i = 0; ok && i < b->n_sections; i++) {
        const cl_section *s = cat->sections[i];
        if (b->section_shown[i])
            ok = toc(c, b, &tc, s->number, s->title, s->level, anchor_section(b, i), s->level == 1 ? 8 : 1) &&
                 cl_flow_flush(&c->flow, false);
    }
    if (cl_blocks_has(parts, CL_BLK_INDEXES))
        ok = ok && toc(c, b, &tc, NULL, "Index par type de ressource", 1, A_INDEX_TYPE, 8) &&
             toc(c, b, &tc, NULL, "Index des auteurs et organisations", 1, A_INDEX_AUTHOR, 2) &&
             toc(c, b, &tc, NULL, "Index par diplôme et module", 1, A_INDEX_DIPLOMA, 2);
    return ok;
}

/* The introduction: the course's, the dossier's summary and introduction. */
static bool part_introduction(cl_composer *c, const binder *b)
{
    const cl_catalog *cat = b->cat;
    const cl_course *co = b->course;
    const cl_dossier *d = &cat->dossier;
    bool ok = true;
    size_t intro = c->flow.n;
    ok = ok &&
         cl_block_heading(c, d->introduction_title ? d->introduction_title : "Introduction", &c->st.h1, 0, 1, A_INTRO);
    if (ok)
        c->flow.boxes[intro].break_before = CL_BREAK_COLUMN;
    if (ok && co && co->introduction)
        ok = cl_block_text(c, "Cette sélection", co->introduction, &c->st.body, 0, 8, false);
    if (ok && d->summary)
        ok = cl_block_text(c, NULL, d->summary, &c->st.body, 0, 8, false);
    if (ok && d->introduction)
        ok = cl_block_text(c, NULL, d->introduction, &c->st.body, 0, 8, false);
    return ok;
}

/* The sections with their introductions and entries, a divider page before each chapter. */
static bool part_sections(cl_composer *c, const binder *b)
{
    const cl_catalog *cat = b->cat;
    const cl_blocks *parts = &c->lay->binder;
    bool ok = true;
    bool dividers = cl_blocks_has(parts, CL_BLK_DIVIDERS);
    size_t ei = 0;
    for (size_t i = 0; ok && i < b->n_sections; i++) {
        const cl_section *s = cat->sections[i];
        size_t e0 = ei;
        ei += s->n_entries;
        if (!b->section_shown[i])
            continue;
        const char *title = s->number ? cl_arena_printf(c->ts.a, "%s %s", s->number, s->title) : s->title;
        if (s->level == 1 && dividers) {
            /* divider page: the chapter's number and title, alone */
            cl_box *top = cl_flow_box(&c->flow, 220);
            if (!top)
                return false;
            top->break_before = CL_BREAK_PAGE;
            top->role = CL_PAGE_DIVIDER;
            top->keep_with_next = true;
            cl_textstyle big = c->st.title;
            big.size = 28;
            big.leading = 34;
            size_t h0 = c->flow.n;
            ok = cl_block_heading(c, title, &big, 0, 1, (int)anchor_section(b, i));
            if (ok && s->introduction)
                ok = cl_block_text(c, NULL, s->introduction, &c->st.body, 0, 18, false);
            (void)h0;
            /* the chapter's content starts on the next page */
            cl_box *next = ok ? cl_flow_box(&c->flow, 0) : NULL;
            if (next)
                next->break_before = CL_BREAK_PAGE;
            else
                ok = false;
        } else {
            size_t h0 = c->flow.n;
            ok = cl_block_heading(c, title, heading_style(c, s->level), s->level <= 2 ? 18 : 12, s->level,
                                  (int)anchor_section(b, i));
            if (ok && s->level == 1) /* without dividers, a chapter still starts a page */
                c->flow.boxes[h0].break_before = CL_BREAK_COLUMN;
            if (ok && s->introduction)
                ok = cl_block_text(c, NULL, s->introduction, &c->st.body, 0, 6, false);
        }
        ok = ok && cl_flow_flush(&c->flow, false);
        for (size_t j = 0; ok && j < s->n_entries; j++)
            if (b->entry_shown[e0 + j])
                ok = entry_full(c, b, e0 + j) && cl_flow_flush(&c->flow, false);
    }
    return ok;
}

/* The three indexes, one after the other from a new column. */
static bool part_indexes(cl_composer *c, const binder *b)
{
    bool ok = true;
    struct {
        const char *t;
        int anchor;
        bool (*fn)(cl_composer *, const binder *);
    } idx[] = {{"Index par type de ressource", A_INDEX_TYPE, index_types},
               {"Index des auteurs et organisations", A_INDEX_AUTHOR, index_authors},
               {"Index par diplôme et module", A_INDEX_DIPLOMA, index_diplomas}};
    for (size_t k = 0; ok && k < 3; k++) {
        size_t h = c->flow.n;
        ok = cl_block_heading(c, idx[k].t, &c->st.h1, k ? 24 : 0, 1, idx[k].anchor);
        if (ok && k == 0)
            c->flow.boxes[h].break_before = CL_BREAK_COLUMN;
        ok = ok && idx[k].fn(c, b);
        if (!ok && !c->ts.err->code) /* the index tables' own allocations */
            cl_err_set(c->ts.err, CL_E_NOMEM, "out of memory making the %s", idx[k].t);
    }
    return ok;
}

bool cl_binder_compose(cl_composer *c, const cl_course *co)
{
    const cl_catalog *cat = c->cat;
    cl_arena *da = c->da;
    cl_err *err = c->ts.err;
    binder b = {.cat = cat, .course = co, .n_sections = cat->n_sections};
    for (size_t i = 0; i < cat->n_sections; i++)
        b.n_entries += cat->sections[i]->n_entries;
    b.n_anchors = A_FIXED + b.n_sections + b.n_entries;
    b.entries = CL_NEWN(da, cl_entry *, b.n_entries + 1);
    b.entry_shown = CL_NEWN(da, bool, b.n_entries + 1);
    b.section_shown = CL_NEWN(da, bool, b.n_sections + 1);
    bool *chosen = CL_NEWN(da, bool, cat->n_resources + 2); /* by first appearance */
    if (!b.entries || !b.entry_shown || !b.section_shown || !chosen) {
        cl_err_set(err, CL_E_NOMEM, "out of memory");
        return false;
    }
    for (size_t i = 0; co && i < co->n_items; i++)
        if (co->items[i].resource && co->items[i].resource->order <= cat->n_resources)
            chosen[co->items[i].resource->order] = true;
    size_t k = 0, shown = 0;
    for (size_t i = 0; i < cat->n_sections; i++) {
        cl_section *s = cat->sections[i];
        for (size_t j = 0; j < s->n_entries; j++, k++) {
            const cl_resource *r = s->entries[j].resource;
            b.entries[k] = &s->entries[j];
            b.entry_shown[k] = r && (!co || (r->order <= cat->n_resources && chosen[r->order]));
            if (b.entry_shown[k]) {
                shown++;
                for (cl_section *p = s; p; p = p->parent)
                    b.section_shown[p->index] = true;
            }
        }
        if (!co)
            b.section_shown[i] = true;
    }
    /* room for page numbers as wide as the document can need: about two entries a page */
    b.digits = 3;
    for (size_t n = shown / 2; n >= 1000; n /= 10)
        b.digits++;
    c->page_digits = b.digits;
    b.coll = cl_collator_new(err);
    if (!b.coll)
        return false;
    const cl_blocks *parts = &c->lay->binder;
    const cl_dossier *d = &cat->dossier;
    const char *dtitle = d->title ? d->title : "Dossier documentaire";
    cl_buf au = {0};
    for (size_t i = 0; i < d->n_authors; i++)
        cl_buf_printf(&au, "%s%s", i ? ", " : "", d->authors[i]);
    cl_pass_begin(c->pass, c->ts.fonts,
                  co ? cl_arena_printf(da, "%s \xE2\x80\x93 classeur (%s)", dtitle, co->title)
                     : cl_arena_printf(da, "%s \xE2\x80\x93 classeur du CDI", dtitle),
                  cl_arena_strdup(da, au.len ? cl_buf_str(&au) : "Classeur"),
                  co ? cl_course_heading(da, co) : "Dossier documentaire",
                  "dossier documentaire, CDI, santé, travail social, numérique", true,
                  co ? cl_arena_printf(da, "%s \xE2\x80\x93 classeur", co->title) : "Classeur du CDI");
    bool ok = !au.failed;
    if (!ok)
        cl_err_set(c->ts.err, CL_E_NOMEM, "out of memory");
    cl_buf_free(&au);
    ok = ok && cl_composer_header(c, dtitle,
                                 co ? cl_arena_printf(da, "%s \xC2\xB7 %s", co->title,
                                                      co->school_year ? co->school_year : "")
                                    : "Classeur du CDI") &&
              cl_composer_start(c);
    for (size_t part = 0; ok && part < parts->n; part++) {
        switch (parts->v[part]) {
        case CL_BLK_COVER:
            ok = part_cover(c, &b);
            break;
        case CL_BLK_SOMMAIRE:
            ok = part_sommaire(c, &b);
            break;
        case CL_BLK_INTRODUCTION:
            ok = part_introduction(c, &b);
            break;
        case CL_BLK_SECTIONS:
            ok = part_sections(c, &b);
            break;
        case CL_BLK_INDEXES:
            ok = part_indexes(c, &b);
            break;
        default:
            break;
        }
        ok = ok && cl_flow_flush(&c->flow, false);
    }
    if (!ok && !err->code)
        cl_err_set(err, CL_E_RENDER, "composing the binder stopped without saying why (a bug: please report it)");
    cl_collator_drop(b.coll);
    return ok;
}

size_t cl_document_anchors(const cl_catalog *cat, const cl_course *co, int kind)
{
    if (kind == CL_DOC_STUDY)
        return co ? co->n_items : 0;
    if (kind != CL_DOC_BINDER)
        return 0;
    size_t n = A_FIXED + cat->n_sections;
    for (size_t i = 0; i < cat->n_sections; i++)
        n += cat->sections[i]->n_entries;
    return n;
}
