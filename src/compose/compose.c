/* compose.c: styles, geometry and the shared blocks of the documents (see compose.h). */
#include "compose.h"
#include "printable.h"
#include "layoutfile.h"
#include "pictogram.h"
#include "reference.h"
#include "qr.h"
#include "../util/buf.h"
#include "../util/utf8.h"
#include "../util/i18n.h"
#include <math.h>
#include <stdio.h>
#include <string.h>


void cl_styles_default(cl_styles *st)
{
    cl_layout l;
    cl_pagespec ps;
    cl_layout_default(&l);
    cl_layout_apply(&l, st, &ps, false);
}

void cl_pagespec_a4(cl_pagespec *ps, bool duplex)
{
    cl_layout l;
    cl_styles st;
    cl_layout_default(&l);
    cl_layout_apply(&l, &st, ps, duplex);
}

/* ---- the composer's output: pages with their furniture, into the pass's device ----- */

static bool furnish(cl_composer *c, cl_page *p, size_t index);

/* The page numbers of page p's CL_OP_PAGEREF ops, from where the anchors landed in the
 * previous pass (or the measuring pagination): glyph runs, leaders and links in their
 * place. */
static bool resolve_refs(cl_composer *c, cl_page *p)
{
    size_t refs = 0;
    for (size_t i = 0; i < p->n; i++)
        refs += p->ops[i].kind == CL_OP_PAGEREF;
    if (!refs)
        return true;
    const int *pages = c->pass->prev_pages;
    const float *ys = c->pass->prev_ys;
    cl_op *old = p->ops;
    size_t n_old = p->n;
    p->ops = NULL;
    p->n = p->cap = 0;
    for (size_t i = 0; i < n_old; i++) {
        cl_op op = old[i];
        if (op.kind != CL_OP_PAGEREF) {
            if (!cl_page_add(p, &op))
                return false;
            continue;
        }
        const cl_pageref *r = op.ref;
        /* the numbers: one a page, in the anchors' order */
        char txt[512];
        size_t len = 0, k = 0;
        float xs[64];
        int tp[64];
        float ty[64];
        int last = -2;
        for (size_t a = 0; a < r->n && k < 64; a++) {
            int pg = pages ? pages[r->anchors[a]] : -1;
            if (pg == last)
                continue;
            last = pg;
            if (k && len + 2 < sizeof txt) {
                memcpy(txt + len, ", ", 2);
                len += 2;
            }
            xs[k] = (float)(cl_fonts_width(c->ts.fonts, r->face, txt, len) * r->size);
            tp[k] = pg;
            ty[k] = ys && pg >= 0 ? ys[r->anchors[a]] : 0;
            int w = snprintf(txt + len, sizeof txt - len, "%d", pg >= 0 ? pg + 1 : 0);
            if (w > 0 && len + (size_t)w < sizeof txt)
                len += (size_t)w;
            k++;
        }
        float nw = (float)(cl_fonts_width(c->ts.fonts, r->face, txt, len) * r->size);
        float x0 = op.x + r->right - nw;
        if (r->numbers) {
            float to = x0 - 4;
            /* leader dots on a 4 pt grid from the column's edge (so they line up) */
            float d0 = op.x + ceilf(r->leader_from / 4.0f) * 4.0f;
            if (d0 < to) {
                int nd = (int)ceilf((to - d0) / 4.0f);
                cl_op dots = {.kind = CL_OP_LINE, .x = d0, .y = op.y + r->baseline - 0.4f,
                              .w = (float)(nd - 1) * 4.0f + 0.8f, .h = 0, .lw = 0.8f, .grey = r->leader_grey,
                              .dash_on = 0.8f, .dash_off = 3.2f};
                if (!cl_page_add(p, &dots))
                    return false;
            }
            cl_op t;
            if (!cl_glyphs_natural(p->arena, c->ts.fonts, &t, r->face, r->size, x0, op.y + r->baseline, txt, len))
                return false;
            t.grey = r->grey;
            if (!cl_page_add(p, &t))
                return false;
        }
        if (r->link_each) {
            for (size_t j = 0; j < k; j++) {
                if (tp[j] < 0)
                    continue;
                float x1 = j + 1 < k ? xs[j + 1] : nw;
                cl_op link = {.kind = CL_OP_LINK_PAGE, .x = x0 + xs[j], .y = op.y + r->link_y, .w = x1 - xs[j],
                              .h = r->link_h, .target_page = tp[j], .target_y = ty[j]};
                if (!cl_page_add(p, &link))
                    return false;
            }
        } else if (r->link_w > 0 && k && tp[0] >= 0) {
            cl_op link = {.kind = CL_OP_LINK_PAGE, .x = op.x + r->link_x, .y = op.y + r->link_y, .w = r->link_w,
                          .h = r->link_h, .target_page = tp[0], .target_y = ty[0]};
            if (!cl_page_add(p, &link))
                return false;
        }
    }
    return true;
}

static bool emit_page(void *ctx, cl_page *p)
{
    cl_composer *c = ctx;
    cl_pass *pass = c->pass;
    size_t index = pass->pages++;
    bool ok = (!pass->dev || resolve_refs(c, p)) && furnish(c, p, index);
    if (ok && pass->dev) {
        cl_device_page(pass->dev, p, index);
        if (pass->dev->err.code) {
            *c->ts.err = pass->dev->err;
            ok = false;
        }
    }
    cl_page_drop(p);
    return ok;
}

static bool emit_bookmark(void *ctx, const char *title, int level, int page, float y)
{
    cl_composer *c = ctx;
    cl_pass *pass = c->pass;
    cl_bookmark *nb = cl_arena_grow(c->da, pass->marks, pass->n_marks, &pass->cap_marks, sizeof *nb, 32);
    const char *t = nb ? cl_arena_strdup(c->da, title) : NULL;
    if (!t)
        return false;
    pass->marks = nb;
    pass->marks[pass->n_marks++] = (cl_bookmark){t, level, page, y};
    return true;
}

static bool emit_warning(void *ctx, const char *msg)
{
    cl_composer *c = ctx;
    cl_buf_printf(&c->pass->warnings, "%s\n", msg);
    return !c->pass->warnings.failed;
}

bool cl_composer_init(cl_composer *c, const cl_catalog *cat, cl_fonts *fonts, const cl_hyph *hyph, cl_err *err,
                      bool duplex, size_t n_anchors, const cl_layout *lay, cl_pass *pass, cl_arena *da)
{
    if (!lay)
        lay = cl_layout_builtin();
    memset(c, 0, sizeof *c);
    c->lay = lay;
    c->da = da;
    c->pass = pass;
    c->scratch = cl_arena_new_sized(64 * 1024);
    if (!c->scratch) {
        cl_err_set(err, CL_E_NOMEM, "out of memory");
        return false;
    }
    c->ts = (cl_ts){da, c->scratch, fonts, hyph, err};
    cl_layout_apply(lay, &c->st, &c->ps, duplex);
    c->measure = cl_pagespec_measure(&c->ps);
    c->cat = cat;
    c->page_digits = 3;
    cl_flow_init(&c->flow, &c->ts, n_anchors);
    c->flow.cont_style = c->st.label;
    if (n_anchors && !c->flow.anchor_page) {
        cl_err_set(err, CL_E_NOMEM, "out of memory");
        return false;
    }
    return true;
}

cl_page_sink cl_composer_sink(cl_composer *c)
{
    return (cl_page_sink){emit_page, emit_bookmark, emit_warning, c};
}

bool cl_composer_start(cl_composer *c)
{
    cl_flow_start(&c->flow, &c->ps, cl_composer_sink(c), true);
    c->flow.hold = c->pass->hold;
    return !c->ts.err->code;
}

void cl_composer_fini(cl_composer *c)
{
    cl_flow_free(&c->flow);
    cl_arena_drop(c->scratch);
    c->scratch = NULL;
    c->ts.a = c->da;
}

void cl_flow_keep(cl_flow *f, size_t from)
{
    for (size_t i = from; i + 1 < f->n; i++)
        f->boxes[i].keep_with_next = true;
}

bool cl_block_heading(cl_composer *c, const char *text, const cl_textstyle *st, float space_before, int bm_level,
                      int anchor)
{
    size_t first = c->flow.n;
    cl_rich r = cl_rich_plain(c->ts.a, &c->st.text, text, 0);
    if (!cl_flow_paragraph(&c->flow, &r, st, 0, c->measure, space_before, true))
        return false;
    if (c->flow.n > first) {
        cl_flow_tag(&c->flow, first, CL_TAG_HEADING);
        cl_box *b = &c->flow.boxes[first];
        if (bm_level > 0) {
            b->bookmark = r.n ? r.spans[0].text : text; /* as printed: French spacing */
            b->bm_level = bm_level;
        }
        b->anchor = anchor;
        c->flow.boxes[c->flow.n - 1].keep_with_next = true; /* with what follows */
    }
    return true;
}

/* Does the paragraph end with a colon (a lead-in to what follows)? */
static bool ends_with_colon(const cl_rich *r)
{
    for (size_t k = r->n; k-- > 0;) {
        size_t n = r->spans[k].len;
        const char *t = r->spans[k].text;
        while (n > 0 && (t[n - 1] == ' ' || t[n - 1] == '*'))
            n--;
        if (n)
            return t[n - 1] == ':';
    }
    return false;
}

bool cl_block_text(cl_composer *c, const char *label, const char *markup, const cl_textstyle *st, float indent,
                   float space_before, bool keep_all)
{
    size_t n;
    cl_para *p = cl_markup_parse(c->ts.a, &c->st.text, markup, &n);
    size_t *last = n ? CL_NEWN(c->ts.a, size_t, n) : NULL; /* each paragraph's last box */
    size_t *first = n ? CL_NEWN(c->ts.a, size_t, n) : NULL;
    if (n && (!last || !first))
        return false;
    for (size_t i = 0; i < n; i++) {
        cl_rich r = p[i].rich;
        if (i == 0 && label) {
            cl_span *sp = CL_NEWN(c->ts.a, cl_span, r.n + 1);
            if (!sp)
                return false;
            const char *lab = cl_text_french(c->ts.a, &c->st.text, label, strlen(label));
            sp[0] = (cl_span){cl_arena_printf(c->ts.a, "%s\xC2\xA0: ", lab), 0, CL_ST_BOLD};
            sp[0].len = strlen(sp[0].text);
            memcpy(sp + 1, r.spans, r.n * sizeof *sp);
            r.spans = sp;
            r.n++;
        }
        float x = indent, w = c->measure - indent;
        float gap = i == 0 ? space_before : c->st.para_gap;
        first[i] = c->flow.n;
        if (p[i].kind == CL_PARA_ITEM) {
            /* bullet hanging in the indent, which grows with the type size */
            size_t f0 = c->flow.n;
            float hang = 3 + (float)(cl_fonts_advance(c->ts.fonts, st->regular, 0x2013) * st->size) + st->size * 0.4f;
            if (hang < 12)
                hang = 12;
            if (!cl_flow_paragraph(&c->flow, &r, st, x + hang, w - hang, gap, keep_all))
                return false;
            if (c->flow.n > f0 && !cl_box_text_first(&c->flow, &c->flow.boxes[f0], st->regular, st->size, x + 3,
                                                     cl_baseline(st), "\xE2\x80\x93"))
                return false;
        } else if (!cl_flow_paragraph(&c->flow, &r, st, x, w, gap, keep_all)) {
            return false;
        }
        last[i] = c->flow.n ? c->flow.n - 1 : 0;
    }
    if (c->flow.n == 0)
        return true;
    /* what each paragraph must stay with (a page may still break inside a paragraph,
     * by the widow and orphan rule of cl_flow_paragraph) */
    for (size_t i = 0; i + 1 < n; i++) {
        bool keep = false;
        if (i == 0 && label)
            keep = true; /* a caption ("Extrait :") stays with what it introduces */
        if (p[i].kind == CL_PARA_TEXT && p[i + 1].kind == CL_PARA_ITEM && ends_with_colon(&p[i].rich))
            keep = true; /* a lead-in stays with its list */
        if (p[i].kind == CL_PARA_ITEM && p[i + 1].kind == CL_PARA_ITEM) {
            bool first_item = i == 0 || p[i - 1].kind != CL_PARA_ITEM;
            bool before_last = i + 2 >= n || p[i + 2].kind != CL_PARA_ITEM;
            keep = first_item || before_last; /* the first two items together, the last never alone */
        }
        if (keep)
            c->flow.boxes[last[i]].keep_with_next = true;
    }
    /* a text that ends on a lead-in ("Des exemples d'actions, des études menées :")
     * introduces what comes after it: never the last line of a page */
    if (n && p[n - 1].kind == CL_PARA_TEXT && ends_with_colon(&p[n - 1].rich))
        c->flow.boxes[last[n - 1]].keep_with_next = true;
    return true;
}

float cl_address_widest_piece(cl_composer *c, const char *s, cl_face face, float size)
{
    float widest = 0, w = 0;
    size_t len = strlen(s);
    for (size_t i = 0; i < len;) {
        if (i > 0 && (s[i - 1] == '/' || strchr(".-?&=_", s[i]))) /* a break point: a new piece */
            w = 0;
        uint32_t cp;
        size_t l = cl_utf8_decode(s + i, len - i, &cp);
        if (!l) {
            l = 1;
            cp = (unsigned char)s[i];
        }
        w += (float)(cl_fonts_advance(c->ts.fonts, face, cp) * size);
        widest = w > widest ? w : widest;
        i += l;
    }
    return widest;
}

size_t cl_wrap_address(cl_composer *c, const char *s, cl_face face, float size, float width, const char **lines,
                       size_t max)
{
    size_t n = 0, len = strlen(s), start = 0;
    while (start < len && n < max) {
        size_t best = 0, i = start;
        float w = 0;
        while (i < len) {
            uint32_t cp;
            size_t l = cl_utf8_decode(s + i, len - i, &cp);
            if (!l) {
                l = 1;
                cp = (unsigned char)s[i];
            }
            float cw = (float)(cl_fonts_advance(c->ts.fonts, face, cp) * size);
            if (w + cw > width && i > start)
                break;
            /* break after a slash, or before . - ? & = _ (so a line never ends with a
             * hyphen that could be read as a word break) */
            if (i > start && strchr(".-?&=_", s[i]))
                best = i;
            w += cw;
            i += l;
            if (s[i - 1] == '/')
                best = i;
        }
        size_t end = i >= len ? len : (best > start ? best : i);
        lines[n++] = cl_arena_strndup(c->ts.a, s + start, end - start);
        start = end;
    }
    return n;
}

bool cl_block_resource_header(cl_composer *c, const cl_resource *r, float space_before)
{
    cl_ts *ts = &c->ts;
    const cl_styles *st = &c->st;
    bool linked = cl_qr_linkable(r->url);

    /* right column: the QR code and the printed address; without an address there is no
     * code and the reference takes the whole width */
    const cl_qr *qr = NULL;
    float module = 0, qr_w = 0, gutter = 0, qr_col = 0;
    if (linked) {
        bool too_long;
        qr = cl_qr_for(c, r->url, &too_long);
        if (!qr && !too_long)
            return false;
        linked = qr != NULL;
    }
    if (linked) {
        gutter = 12.0f;
        qr_col = st->qr_target;
        module = cl_qr_module(st, qr);
        qr_w = module * (float)(qr->width + 2 * CL_QR_QUIET);
        if (qr_w > qr_col) /* a long address makes a large code: the column widens for it */
            qr_col = qr_w;
    }

    /* the printed address under the code: on one line (a little smaller in small print)
     * or wrapped at its break points; its site alone ("site.fr/…") when it would take
     * more than three lines, the reference beside it giving the whole address. The
     * column widens for a piece that cannot be broken ("societenumerique"): an address
     * is never cut inside a word. */
    const char *addr_lines[32];
    size_t naddr = 0;
    float addr_size = st->address.size;
    if (qr) {
        const char *shown = cl_address_short(ts->a, r->url);
        float w1 = (float)cl_fonts_width(ts->fonts, st->address.regular, shown, strlen(shown));
        if (addr_size < 12 && w1 * addr_size > qr_col && w1 * 6.5f <= qr_col) /* small print only */
            addr_size = qr_col / w1;
        if (w1 * addr_size > qr_col + 0.01f &&
            cl_wrap_address(c, shown, st->address.regular, addr_size, qr_col, addr_lines, 32) > 3) {
            size_t host = strcspn(shown, "/?#");
            shown = cl_arena_printf(ts->a, "%.*s/\xE2\x80\xA6", (int)host, shown);
            addr_size = st->address.size;
        }
        float piece = cl_address_widest_piece(c, shown, st->address.regular, addr_size);
        float most = c->measure * 0.5f;
        if (piece > qr_col)
            qr_col = piece < most ? piece : most;
        naddr = cl_wrap_address(c, shown, st->address.regular, addr_size, qr_col, addr_lines, 32);
    }
    float left_w = c->measure - qr_col - gutter;

    /* left column: pictogram + label, then the reference */
    size_t nref;
    cl_rich ref = cl_reference(ts->a, &c->st.text, r, true);
    cl_line *lines = cl_break_lines(ts, &ref, &st->ref, left_w, &nref);
    if (ts->err->code)
        return false;
    float picto = st->label.size * 1.9f > 16 ? st->label.size * 1.9f : 16; /* scales with large print */
    float left_h = picto + 6.0f + (float)nref * st->ref.leading;
    float right_h = qr ? qr_w + (float)naddr * st->address.leading : 0;
    /* the first box holds the pictogram, the code and the reference lines beside them
     * (at least two); the lines below the code are boxes of their own, so a long
     * reference may go on to the next page, keeping two lines on each side */
    size_t in_head = nref;
    if (left_h > right_h) {
        in_head = 0;
        while (in_head < nref && picto + 6.0f + (float)in_head * st->ref.leading < right_h - 0.01f)
            in_head++; /* down to the foot of the code and its address, no gap below */
        if (in_head < 2)
            in_head = nref < 2 ? nref : 2;
        if (nref - in_head < 2) /* no widow line of the reference alone below */
            in_head = nref;
    }
    float head_h = picto + 6.0f + (float)in_head * st->ref.leading;
    float h = head_h > right_h ? head_h : right_h;

    cl_box *b = cl_flow_box(&c->flow, h);
    if (!b)
        return false;
    b->space_before = space_before;
    b->keep_with_next = true;
    /* pictogram, stroked in black, filled parts in black */
    size_t np;
    const cl_path *paths = cl_pictogram(r->type, &np);
    for (size_t i = 0; i < np; i++) {
        cl_op op = {.kind = CL_OP_PATH, .x = 0, .y = 0, .size = picto, .lw = 1.1f, .grey = 0, .path = &paths[i]};
        if (!cl_box_push(&c->flow, b, &op))
            return false;
    }
    char label[64];
    snprintf(label, sizeof label, "%s", cl_restype_label(r->type));
    /* uppercase label with letter-spacing is not needed: bold sans is enough */
    if (!cl_box_text(&c->flow, b, CL_FACE_SANS_BOLD, st->label.size, picto + 6, picto * 0.72f,
                     cl_arena_strdup(ts->a, label)))
        return false;
    float y = picto + 6.0f;
    for (size_t i = 0; i < in_head; i++, y += st->ref.leading)
        if (!cl_box_line(&c->flow, b, &lines[i], 0, y + cl_baseline(&st->ref)))
            return false;
    float qx = c->measure - qr_col;
    if (qr) {
        float ox = qx + (qr_col - qr_w) / 2;
        cl_op op = {.kind = CL_OP_QR, .x = ox, .y = 0, .size = module, .qr = qr};
        if (!cl_box_push(&c->flow, b, &op))
            return false;
        float ay = qr_w;
        for (size_t i = 0; i < naddr; i++, ay += st->address.leading) {
            float aw = (float)(cl_fonts_width(ts->fonts, st->address.regular, addr_lines[i], strlen(addr_lines[i])) *
                               addr_size);
            if (!cl_box_text(&c->flow, b, st->address.regular, addr_size, qx + (qr_col - aw) / 2,
                             ay + cl_baseline(&st->address), addr_lines[i]))
                return false;
        }
        cl_op link = {.kind = CL_OP_LINK_URI, .x = qx, .y = 0, .w = qr_col, .h = ay, .text = qr->text};
        if (!cl_box_push(&c->flow, b, &link))
            return false;
    }
    /* the rest of the reference, one box a line (the first box's height covers the code,
     * so these lines start below it); the last two stay together and with what follows */
    for (size_t i = in_head; i < nref; i++) {
        cl_box *lb = cl_flow_box(&c->flow, st->ref.leading);
        if (!lb || !cl_box_line(&c->flow, lb, &lines[i], 0, cl_baseline(&st->ref)))
            return false;
        lb->keep_with_next = i + 2 >= nref || i == in_head;
    }
    return true;
}

float cl_qr_module(const cl_styles *st, const cl_qr *qr)
{
    float m = st->qr_target / (float)(qr->width + 2 * CL_QR_QUIET);
    if (m < st->qr_min_module)
        m = st->qr_min_module;
    if (m * (float)qr->width < CL_QR_MIN_SYMBOL) /* small codes do not shrink under 20 mm */
        m = CL_QR_MIN_SYMBOL / (float)qr->width;
    return m;
}

const char *cl_entry_note(cl_arena *a, const cl_entry *e, const cl_course *co)
{
    const char *text = e->note.text;
    if (!co || !text)
        return text;
    /* the last paragraph, without trailing blanks */
    size_t n = strlen(text);
    while (n > 0 && strchr(" \n\t*", text[n - 1]))
        n--;
    if (n == 0 || text[n - 1] != ':')
        return text;
    size_t start = n;
    while (start > 1 && !(text[start - 1] == '\n' && text[start - 2] == '\n'))
        start--;
    if (start <= 1 || !strncmp(text + start, "- ", 2))
        return text; /* the whole note is the lead-in, or it is a list item: keep it */
    /* the entries it introduces follow it in its section: is any of them selected? */
    const cl_section *s = e->section;
    for (size_t j = s ? (size_t)(e - s->entries) + 1 : 0; s && j < s->n_entries; j++)
        for (size_t k = 0; k < co->n_items; k++)
            if (s->entries[j].resource && co->items[k].resource == s->entries[j].resource)
                return text;
    size_t end = start;
    while (end > 0 && strchr(" \n\t", text[end - 1]))
        end--;
    return cl_arena_strndup(a, text, end);
}

const char *cl_qr_claim(cl_arena *a, const cl_catalog *cat, const cl_course *co)
{
    size_t total, with = cl_count_addressed(cat, co, &total);
    if (with == 0)
        return cl_arena_printf(a, "%zu ressource%s, sans code QR pour l’instant", total, total > 1 ? "s" : "");
    if (with == total)
        return total == 1 ? "la ressource a un code QR" : cl_arena_printf(a, "les %zu ressources ont un code QR", total);
    return cl_arena_printf(a, "%zu ressource%s sur %zu avec un code QR", with, with > 1 ? "s" : "", total);
}

const char *cl_address_file_name(cl_arena *a, const cl_catalog *cat)
{
    const char *dir = cat->data_dir ? cat->data_dir : "data";
    size_t n = strlen(dir);
    while (n > 1 && dir[n - 1] == '/')
        n--;
    size_t start = n;
    while (start > 0 && dir[start - 1] != '/')
        start--;
    if (start == n)
        return "addresses.yaml";
    return cl_arena_printf(a, "%.*s/addresses.yaml", (int)(n - start), dir + start);
}

const char *cl_missing_addresses_text(cl_arena *a, const cl_catalog *cat, const cl_course *co)
{
    size_t total, with = cl_count_addressed(cat, co, &total);
    if (with == total)
        return "";
    cl_buf titles = {0};
    for (size_t i = 0; i < co->n_items; i++) {
        const cl_resource *r = co->items[i].resource;
        if (r && !r->unidentified && !r->url)
            cl_buf_printf(&titles, "\n- %s", r->title);
    }
    size_t missing = total - with;
    const char *text = titles.failed ? NULL : cl_arena_printf(
        a, "%zu ressource%s sur %zu %s pas encore d’adresse, donc pas de code QR. Les adresses se complètent dans le "
           "fichier %s.\n%s",
        missing, missing > 1 ? "s" : "", total, missing > 1 ? "n’ont" : "n’a", cl_address_file_name(a, cat),
        cl_buf_str(&titles));
    cl_buf_free(&titles);
    return text;
}

const char *cl_use_heading(cl_arena *a, const cl_use *u)
{
    return cl_arena_printf(a, "Exploitation pédagogique envisageable \xE2\x80\x94 %s%s%s%s%s",
                           u->diploma ? u->diploma->name : "", u->module ? ", " : "",
                           u->module ? u->module->label : "", u->module ? " " : "", u->module ? u->module->title : "");
}

bool cl_block_missing_addresses(cl_composer *c, const cl_course *co)
{
    const char *text = cl_missing_addresses_text(c->ts.a, c->cat, co);
    if (!text) {
        cl_err_set(c->ts.err, CL_E_NOMEM, "out of memory");
        return false;
    }
    if (!*text)
        return true;
    size_t first = c->flow.n;
    if (!cl_block_text(c, "Adresses à compléter", text, &c->st.small, 0, c->st.block_gap * 1.5f, true))
        return false;
    if (c->flow.n > first) { /* a thin rule above the note */
        cl_op op = {.kind = CL_OP_LINE, .x = 0, .y = -4, .w = c->measure / 3, .h = 0, .lw = 0.4f, .grey = c->st.grey_rules};
        return cl_box_push(&c->flow, &c->flow.boxes[first], &op);
    }
    return true;
}

bool cl_block_use(cl_composer *c, const cl_use *u)
{
    const char *head = cl_use_heading(c->ts.a, u);
    if (!head) {
        cl_err_set(c->ts.err, CL_E_NOMEM, "out of memory");
        return false;
    }
    size_t first = c->flow.n;
    cl_rich r = cl_rich_plain(c->ts.a, &c->st.text, head, 0);
    if (!cl_flow_paragraph(&c->flow, &r, &c->st.label, 0, c->measure, 8, true))
        return false;
    if (c->flow.n > first) /* the caption stays with the curriculum lines or the activity */
        c->flow.boxes[c->flow.n - 1].keep_with_next = true;
    for (size_t i = 0; i < u->n_items; i++) {
        const char *it = u->items[i];
        cl_rich ri = cl_rich_plain(c->ts.a, &c->st.text, it, CL_ST_ITALIC);
        if (!cl_flow_paragraph(&c->flow, &ri, &c->st.small, 10, c->measure - 10, i ? 0 : 3, true))
            return false;
        /* the curriculum lines are one heading: together, and with the activity */
        if (c->flow.n > first)
            c->flow.boxes[c->flow.n - 1].keep_with_next = true;
    }
    cl_flow_tag(&c->flow, first, CL_TAG_CAPTION); /* the caption and its curriculum lines: the page
                                                     checks (test_pages) see none of it end a page */
    if (u->activity && !cl_block_text(c, NULL, u->activity, &c->st.small, 10, 3, false))
        return false;
    return true;
}

bool cl_block_questions(cl_composer *c, const char *const *q, size_t n, const char *heading, float answer_space)
{
    if (!n)
        return true;
    cl_rich h = cl_rich_plain(c->ts.a, &c->st.text, heading, 0);
    size_t h0 = c->flow.n;
    if (!cl_flow_paragraph(&c->flow, &h, &c->st.label, 0, c->measure, 8, true))
        return false;
    cl_flow_tag(&c->flow, h0, CL_TAG_CAPTION);
    c->flow.boxes[c->flow.n - 1].keep_with_next = true;
    for (size_t i = 0; i < n; i++) {
        size_t first = c->flow.n;
        cl_rich r = cl_rich_plain(c->ts.a, &c->st.text, q[i], 0);
        float ind = c->st.body.size * 1.7f > 18 ? c->st.body.size * 1.7f : 18;
        if (!cl_flow_paragraph(&c->flow, &r, &c->st.body, ind, c->measure - ind, i ? 3 : 2, false))
            return false;
        char num[32];
        snprintf(num, sizeof num, "%zu.", i + 1);
        if (c->flow.n > first &&
            !cl_box_text_first(&c->flow, &c->flow.boxes[first], CL_FACE_SANS_BOLD, c->st.body.size, 2,
                               cl_baseline(&c->st.body), num))
            return false;
        if (answer_space > 0) {
            /* ruled lines to answer */
            float pitch = c->st.body.leading + 6.5f; /* room to write by hand */
            if (pitch < 20.0f)
                pitch = 20.0f;
            int nl = (int)(answer_space / pitch + 0.01f);
            for (int k = 0; k < nl; k++) {
                cl_box *b = cl_flow_box(&c->flow, pitch);
                if (!b)
                    return false;
                cl_op op = {.kind = CL_OP_LINE, .x = 18, .y = pitch - 2, .w = c->measure - 18, .h = 0, .lw = 0.4f,
                            .grey = c->st.grey_frames + 0.25f};
                if (!cl_box_push(&c->flow, b, &op))
                    return false;
                if (k + 1 < nl)
                    b->keep_with_next = true;
            }
            /* the question stays with its answer lines */
            for (size_t k = first; k + 1 < c->flow.n && k + (size_t)nl < c->flow.n; k++)
                c->flow.boxes[k].keep_with_next = true;
        }
    }
    return true;
}

/* text cut at a word with "…" to fit width in the furniture style (arena string). */
static const char *fit_with_ellipsis(cl_composer *c, const char *text, float width)
{
    const cl_textstyle *st = &c->st.furniture;
    if (cl_fonts_width(c->ts.fonts, st->regular, text, strlen(text)) * st->size <= width)
        return text;
    size_t m = strlen(text);
    for (;;) {
        while (m > 0 && text[m - 1] != ' ')
            m--;
        while (m > 0 && text[m - 1] == ' ')
            m--;
        const char *cut = cl_arena_printf(c->da, "%.*s\xE2\x80\xA6", (int)m, text);
        if (m == 0 || cl_fonts_width(c->ts.fonts, st->regular, cut, strlen(cut)) * st->size <= width)
            return cut;
    }
}

/* The running header's lines: left (inner side) and right (outer side) texts on one line
 * when they fit side by side; else the left text on two lines beside the right one; else
 * each on a line of its own. A text is cut at a word with "…" only when its line cannot
 * hold it. out[k] gets line k's inner and outer texts (either may be NULL). */
static size_t header_lines(cl_composer *c, const char *left, const char *right, float width,
                           const char *out[2][2])
{
    const cl_textstyle *st = &c->st.furniture;
    cl_fonts *fonts = c->ts.fonts;
    float gap = 2 * st->size;
    float wl = left ? (float)(cl_fonts_width(fonts, st->regular, left, strlen(left)) * st->size) : 0;
    float wr = right ? (float)(cl_fonts_width(fonts, st->regular, right, strlen(right)) * st->size) : 0;
    memset(out, 0, 2 * sizeof *out);
    if (!left || !right || wl + gap + wr <= width) {
        out[0][0] = left ? fit_with_ellipsis(c, left, right ? width - wr - gap : width) : NULL;
        out[0][1] = right ? fit_with_ellipsis(c, right, left ? width - gap : width) : NULL;
        return 1;
    }
    /* the left text wrapped into the room beside the right one, if two lines hold it */
    cl_textstyle rag = *st;
    rag.justify = rag.hyphenate = false;
    size_t n = 0;
    cl_rich r = cl_rich_plain(c->ts.a, &c->st.text, left, 0); /* ts.a is the document's arena here */
    cl_line *lines = width - wr - gap > width / 3 ? cl_break_lines(&c->ts, &r, &rag, width - wr - gap, &n) : NULL;
    if (lines && n == 2) {
        for (size_t i = 0; i < 2; i++) {
            cl_buf b = {0};
            for (size_t k = 0; k < lines[i].n; k++)
                cl_buf_puts(&b, lines[i].frags[k].text);
            size_t len = b.len;
            while (len > 0 && b.data[len - 1] == ' ')
                len--;
            out[i][0] = cl_arena_strndup(c->da, cl_buf_str(&b), len);
            cl_buf_free(&b);
        }
        out[1][1] = right;
        return 2;
    }
    /* each on a line of its own */
    out[0][0] = fit_with_ellipsis(c, left, width);
    out[1][1] = fit_with_ellipsis(c, right, width);
    return 2;
}

bool cl_composer_header(cl_composer *c, const char *left, const char *right)
{
    cl_arena *keep = c->ts.a;
    c->ts.a = c->da; /* what the header needs lives as long as the document */
    left = left ? cl_text_french(c->da, &c->st.text, left, strlen(left)) : NULL;
    right = right ? cl_text_french(c->da, &c->st.text, right, strlen(right)) : NULL;
    c->n_head = header_lines(c, left, right, cl_pagespec_text_width(&c->ps), c->head); /* the same on every page */
    c->ts.a = keep;
    return !c->ts.err->code;
}

bool cl_booklet_back(cl_composer *c, const char *what)
{
    if (!c->lay || !c->lay->booklet)
        return true;
    const cl_pagespec *ps = &c->ps;
    float avail = ps->height - ps->top - ps->bottom;
    /* the back cover, set at the foot of the last page of a multiple of four */
    const cl_dossier *ds = &c->cat->dossier;
    const char *how = c->lay->flip_short
                          ? "Pour imprimer ce livret : format A4 paysage, recto verso avec retournement sur le bord "
                            "court. Plier la pile de feuilles en deux, agrafer au pli."
                          : "Pour imprimer ce livret : format A4 paysage, recto verso avec retournement sur le bord "
                            "long. Plier la pile de feuilles en deux, agrafer au pli.";
    size_t first = c->flow.n;
    bool ok = cl_flow_box(&c->flow, 0) != NULL;
    if (ok) {
        c->flow.boxes[first].break_before = CL_BREAK_PAGE;
        c->flow.boxes[first].role = CL_PAGE_COLOPHON;
        c->flow.boxes[first].pad4 = true;
    }
    size_t body = c->flow.n;
    ok = ok && cl_block_text(c, NULL, what, &c->st.label, 0, 0, true) &&
         cl_block_text(c, NULL,
                       cl_arena_printf(c->ts.a, "D’après le dossier documentaire « %s »%s%s.",
                                       ds->title ? ds->title : "", ds->date.year ? ", " : "",
                                       ds->date.year ? cl_date_french(c->ts.a, ds->date) : ""),
                       &c->st.small, 0, 4, true) &&
         cl_block_text(c, NULL, how, &c->st.small, 0, 10, true) &&
         cl_block_text(c, NULL, "Mis en page avec Classeur.", &c->st.small, 0, 4, true);
    if (ok) { /* push the block down to the foot of the page */
        float h = 0;
        for (size_t k = body; k < c->flow.n; k++)
            h += c->flow.boxes[k].height + (k == body ? 0 : c->flow.boxes[k].space_before);
        c->flow.boxes[first].height = avail - h - 1 > 0 ? avail - h - 1 : 0;
        for (size_t k = first; k + 1 < c->flow.n; k++)
            c->flow.boxes[k].keep_with_next = true;
    }
    return ok;
}

/* Headers and footers of page p (0-based index) by the role pagination gave it. */
static bool furnish(cl_composer *c, cl_page *p, size_t index)
{
    const cl_textstyle *st = &c->st.furniture;
    cl_page_role role = p->n_areas ? p->areas[0].role : CL_PAGE_BODY;
    if (role != CL_PAGE_BODY && role != CL_PAGE_TITLE)
        return true; /* covers, dividers, blank pages and colophons stand alone */
    cl_fonts *fonts = c->ts.fonts;
    /* room between the rule and the text below it, and under the header's descenders */
    float rule_gap = st->size * 0.7f > 10 ? st->size * 0.7f : 10;
    float above_rule = st->size * 0.35f > 3 ? st->size * 0.35f : 3;
    float foot_gap = st->size * 1.6f > 22 ? st->size * 1.6f : 22;
    float x0 = cl_pagespec_left(&c->ps, index), x1 = x0 + cl_pagespec_text_width(&c->ps);
    float ytop = c->ps.top - rule_gap;
    cl_op op;
    /* header: the long text (left) on the inner side and the short one (right) on the
     * outer side; mirrored on the even pages of a duplex document */
    bool even = c->ps.duplex && index % 2 == 1;
    size_t head = p->n; /* the header is read before the page's text: moved first below */
    if (role == CL_PAGE_BODY) { /* a title page has no header above its title */
        for (size_t k = 0; k < c->n_head; k++) {
            float y = ytop - above_rule - (float)(c->n_head - 1 - k) * st->leading;
            for (int side = 0; side < 2; side++) { /* 0 inner text, 1 outer text */
                const char *t = c->head[k][side];
                if (!t)
                    continue;
                float w = (float)(cl_fonts_width(fonts, st->regular, t, strlen(t)) * st->size);
                bool at_left = (side == 0) != even; /* the outer side is on the left of even pages */
                if (!cl_glyphs_natural(p->arena, fonts, &op, st->regular, st->size, at_left ? x0 : x1 - w, y, t,
                                       strlen(t)) ||
                    !cl_page_add(p, &op))
                    return false;
            }
        }
        op = (cl_op){.kind = CL_OP_LINE, .x = x0, .y = ytop, .w = x1 - x0, .h = 0, .lw = 0.4f, .grey = c->st.grey_rules};
        if (!cl_page_add(p, &op) || !cl_page_move_to_front(p, head))
            return false;
    }
    /* "page n / N": N from the previous pass, the page count alone in the first */
    char foot[96];
    if (c->pass->prev_numbered)
        snprintf(foot, sizeof foot, "page %zu / %zu", index + 1, c->pass->prev_numbered);
    else
        snprintf(foot, sizeof foot, "page %zu", index + 1);
    float w = (float)(cl_fonts_width(fonts, st->regular, foot, strlen(foot)) * st->size);
    float yb = p->height - c->ps.bottom + foot_gap;
    return cl_glyphs_natural(p->arena, fonts, &op, st->regular, st->size, (x0 + x1 - w) / 2, yb, foot, strlen(foot)) &&
           cl_page_add(p, &op);
}

/* The catalogue's texts about r: its own, its entries', the course's questions on it. */
static size_t texts_about(const cl_catalog *cat, const cl_resource *r, const cl_course *co, const char **out,
                          size_t max)
{
    size_t n = 0;
#define ADD(t)                                                                                                         \
    do {                                                                                                               \
        if ((t) && n < max)                                                                                            \
            out[n++] = (t);                                                                                            \
    } while (0)
    ADD(r->title);
    ADD(r->container);
    ADD(r->publisher);
    ADD(r->description);
    ADD(r->volume);
    ADD(r->issue);
    ADD(r->pages);
    ADD(r->date_label);
    for (size_t i = 0; i < r->n_authors; i++) {
        ADD(r->authors[i].family);
        ADD(r->authors[i].given);
        ADD(r->authors[i].org);
    }
    for (size_t i = 0; i < r->n_links; i++)
        ADD(r->links[i].title);
    const cl_entry *ents[16];
    size_t ne = cl_catalog_entries_of(cat, r, ents, 16);
    for (size_t k = 0; k < ne && k < 16; k++) {
        ADD(ents[k]->note.label);
        ADD(ents[k]->note.text);
        for (size_t i = 0; i < ents[k]->n_extracts; i++) {
            ADD(ents[k]->extracts[i].label);
            ADD(ents[k]->extracts[i].text);
        }
        for (size_t i = 0; i < ents[k]->n_uses; i++) {
            ADD(ents[k]->uses[i].activity);
            for (size_t j = 0; j < ents[k]->uses[i].n_items; j++)
                ADD(ents[k]->uses[i].items[j]);
        }
    }
    for (size_t i = 0; co && i < co->n_items; i++)
        if (co->items[i].resource == r)
            for (size_t j = 0; j < co->items[i].n_questions; j++)
                ADD(co->items[i].questions[j]);
#undef ADD
    return n;
}

void cl_composer_blame(cl_composer *c, const cl_resource *r, const cl_course *co)
{
    cl_err *e = c->ts.err;
    if (!e->code)
        return;
    if (e->code == CL_E_DATA) {
        const cl_text_pos *at = NULL;
        if (r) {
            const char *t[256];
            size_t n = texts_about(c->cat, r, co, t, 256);
            for (size_t i = 0; i < n && !at; i++)
                if (!cl_printable_text(c->ts.fonts, t[i]))
                    at = cl_catalog_text_pos(c->cat, t[i]);
        }
        for (size_t i = 0; !at && i < c->cat->n_texts; i++) /* a text of the dossier or the course */
            if (!cl_printable_text(c->ts.fonts, c->cat->texts[i].text))
                at = &c->cat->texts[i];
        if (at)
            cl_err_where(e, at->pos.file, at->pos.line, at->pos.col);
        else if (r)
            cl_err_where(e, r->pos.file, r->pos.line, r->pos.col);
        if (at && !r)
            cl_err_about(e, "the '%s' of %s", at->key, at->what);
    }
    if (r)
        cl_err_about(e, "resource '%s'", r->id);
}

const cl_qr *cl_qr_for(cl_composer *c, const char *url, bool *too_long)
{
    cl_err e = {0};
    const cl_qr *q = c->pass && c->pass->qrs ? cl_qr_cached(c->pass->qrs, url, &e) : cl_qr_make(c->ts.a, url, &e);
    *too_long = !q && e.code == CL_E_DATA;
    if (*too_long && c->pass) { /* printed without a code, as check warned; said once */
        char *w = cl_arena_printf(c->ts.a, _("address of %zu bytes, too long for a QR code (at most %d), printed "
                                             "without a code: %.80s…\n"), cl_qr_encoded_length(url), CL_QR_MAX_BYTES, url);
        if (w && !strstr(cl_buf_str(&c->pass->warnings), w))
            cl_buf_puts(&c->pass->warnings, w);
    } else if (!q && !c->ts.err->code) {
        *c->ts.err = e;
    }
    return q;
}

bool cl_block_leader(cl_composer *c, cl_box *b, float from, float to, float base)
{
    float d0 = ceilf(from / 4.0f) * 4.0f;
    if (d0 >= to)
        return true;
    int n = (int)ceilf((to - d0) / 4.0f); /* dots at d0, d0 + 4… below to */
    /* one dashed rule: 0.8 pt dashes every 4 pt, 0.8 pt thick, its foot on the dots' */
    cl_op op = {.kind = CL_OP_LINE, .x = d0, .y = base - 0.4f, .w = (float)(n - 1) * 4.0f + 0.8f, .h = 0, .lw = 0.8f,
                .grey = c->st.grey_leaders, .dash_on = 0.8f, .dash_off = 3.2f};
    return cl_box_push(&c->flow, b, &op);
}

float cl_toc_number_width(cl_composer *c, const cl_textstyle *st, const char *number)
{
    if (!number)
        return 0;
    return (float)(cl_fonts_width(c->ts.fonts, st->regular, number, strlen(number)) * st->size) + st->size * 0.6f;
}

bool cl_block_toc_line(cl_composer *c, const char *number, const char *title, int anchor, const cl_textstyle *st,
                       float space_before, float indent, float numw)
{
    cl_ts *ts = &c->ts;
    if (!number)
        numw = 0;
    /* room for the widest page number (page_digits), whatever the type size and whatever
     * the number: the line's layout does not depend on it */
    static const char nines[] = "9999999";
    int nd = c->page_digits < 1 ? 1 : (c->page_digits > 7 ? 7 : c->page_digits);
    float pagew = (float)(cl_fonts_width(ts->fonts, st->regular, nines, (size_t)nd) * st->size) + 4;
    float w = c->measure - indent - numw - pagew - 8;
    cl_rich r = cl_rich_plain(ts->a, &c->st.text, title, 0);
    size_t n;
    cl_textstyle ragged = *st;
    ragged.justify = false;
    ragged.hyphenate = false;
    cl_line *lines = cl_break_lines(ts, &r, &ragged, w, &n);
    if (ts->err->code || !n)
        return !ts->err->code;
    float base = cl_baseline(st);
    int *ids = CL_NEW(ts->a, int);
    cl_pageref *num = CL_NEW(ts->a, cl_pageref), *link = CL_NEW(ts->a, cl_pageref);
    if (!ids || !num || !link)
        return false;
    *ids = anchor;
    size_t first = c->flow.n;
    for (size_t i = 0; i < n; i++) {
        cl_box *b = cl_flow_box(&c->flow, st->leading);
        if (!b)
            return false;
        if (i == 0) {
            b->space_before = space_before;
            if (number && !cl_box_text(&c->flow, b, st->regular, st->size, indent, base, number))
                return false;
        }
        if (!cl_box_line(&c->flow, b, &lines[i], indent + numw, base))
            return false;
        if (i + 1 < n) {
            b->keep_with_next = true;
            continue;
        }
        /* the page number, right-aligned, a dotted leader from the end of the title */
        *num = (cl_pageref){ids, 1, true, st->regular, st->size, 0, base, indent + numw + lines[i].width + 6,
                            c->measure, c->st.grey_leaders, false, 0, 0, 0, 0};
        cl_op op = {.kind = CL_OP_PAGEREF, .ref = num};
        if (!cl_box_push(&c->flow, b, &op))
            return false;
    }
    /* one link over the whole entry */
    *link = (cl_pageref){ids, 1, false, st->regular, st->size, 0, 0, 0, 0, 0, false, indent, 0, c->measure - indent,
                         st->leading * (float)n};
    cl_op op = {.kind = CL_OP_PAGEREF, .ref = link};
    return cl_box_push(&c->flow, &c->flow.boxes[first], &op);
}
