/* compose.c: styles, geometry and the shared blocks of the documents (see compose.h). */
#include "compose.h"
#include "layoutfile.h"
#include "pictogram.h"
#include "reference.h"
#include "../render/qr.h"
#include "../util/buf.h"
#include "../util/utf8.h"
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

bool cl_composer_init(cl_composer *c, const cl_catalog *cat, cl_doc *doc, const cl_hyph *hyph, cl_err *err,
                      bool duplex, size_t n_anchors, const cl_layout *lay)
{
    static cl_layout builtin;
    static bool builtin_ready;
    if (!lay) {
        if (!builtin_ready) {
            cl_layout_default(&builtin);
            builtin_ready = true;
        }
        lay = &builtin;
    }
    memset(c, 0, sizeof *c);
    c->lay = lay;
    c->ts = (cl_ts){doc->arena, doc->fonts, hyph, err, NULL};
    cl_layout_apply(lay, &c->st, &c->ps, duplex);
    c->measure = cl_pagespec_measure(&c->ps);
    c->cat = cat;
    c->doc = doc;
    cl_flow_init(&c->flow, &c->ts, n_anchors);
    c->flow.cont_style = c->st.label;
    return true;
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
    cl_rich r = cl_rich_plain(c->ts.a, text, 0);
    if (!cl_flow_paragraph(&c->flow, &r, st, 0, c->measure, space_before, true))
        return false;
    if (c->flow.n > first) {
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

bool cl_block_text(cl_composer *c, const char *label, const char *markup, const cl_textstyle *st, float indent,
                   float space_before, bool keep_all)
{
    size_t n;
    cl_para *p = cl_markup_parse(c->ts.a, markup, &n);
    for (size_t i = 0; i < n; i++) {
        cl_rich r = p[i].rich;
        if (i == 0 && label) {
            cl_span *sp = CL_NEWN(c->ts.a, cl_span, r.n + 1);
            if (!sp)
                return false;
            const char *lab = cl_text_french(c->ts.a, label, strlen(label));
            sp[0] = (cl_span){cl_arena_printf(c->ts.a, "%s\xC2\xA0: ", lab), 0, CL_ST_BOLD};
            sp[0].len = strlen(sp[0].text);
            memcpy(sp + 1, r.spans, r.n * sizeof *sp);
            r.spans = sp;
            r.n++;
        }
        float x = indent, w = c->measure - indent;
        float gap = i == 0 ? space_before : c->st.para_gap;
        if (p[i].kind == CL_PARA_ITEM) {
            /* bullet hanging in the indent */
            size_t first = c->flow.n;
            if (!cl_flow_paragraph(&c->flow, &r, st, x + 12, w - 12, gap, keep_all))
                return false;
            if (c->flow.n > first && !cl_box_text(&c->flow, &c->flow.boxes[first], st->regular, st->size, x + 3,
                                                  cl_baseline(st), "\xE2\x80\x93"))
                return false;
        } else if (!cl_flow_paragraph(&c->flow, &r, st, x, w, gap, keep_all)) {
            return false;
        }
    }
    return true;
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
    ts->context = cl_arena_printf(ts->a, "resource '%s'", r->id);
    const cl_styles *st = &c->st;
    bool linked = cl_qr_linkable(r->url);

    /* right column: the QR code and the printed address; without an address there is no
     * code and the reference takes the whole width */
    const cl_qr *qr = NULL;
    float module = 0, qr_w = 0, gutter = 0, qr_col = 0;
    if (linked) {
        qr = cl_qr_make(ts->a, r->url, ts->err);
        if (!qr)
            return false;
        gutter = 12.0f;
        qr_col = st->qr_target;
        module = qr_col / (float)(qr->width + 2 * CL_QR_QUIET);
        if (module < st->qr_min_module)
            module = st->qr_min_module;
        qr_w = module * (float)(qr->width + 2 * CL_QR_QUIET);
        if (qr_w > qr_col) /* a long address makes a large code: the column widens for it */
            qr_col = qr_w;
    }
    float left_w = c->measure - qr_col - gutter;

    /* left column: pictogram + label, then the reference */
    size_t nref;
    cl_rich ref = cl_reference(ts->a, r, true);
    cl_line *lines = cl_break_lines(ts, &ref, &st->ref, left_w, &nref);
    if (ts->err->code)
        return false;
    float picto = 16.0f;
    float left_h = picto + 6.0f + (float)nref * st->ref.leading;

    const char *addr_lines[32];
    size_t naddr = 0;
    float addr_size = st->address.size;
    if (qr) {
        /* the printed address: one line, a little smaller if need be, else wrapped */
        const char *shorty = cl_address_short(ts->a, r->url);
        float w1 = (float)cl_fonts_width(ts->fonts, st->address.regular, shorty, strlen(shorty));
        if (addr_size < 12 && w1 * addr_size > qr_col && w1 * 6.5f <= qr_col) /* small print only */
            addr_size = qr_col / w1;
        if (w1 * addr_size <= qr_col + 0.01f) {
            addr_lines[0] = shorty;
            naddr = 1;
        } else {
            naddr = cl_wrap_address(c, shorty, st->address.regular, st->address.size, qr_col, addr_lines, 32);
        }
    }
    float right_h = qr ? qr_w + (float)naddr * st->address.leading : 0;
    float h = left_h > right_h ? left_h : right_h;

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
    for (size_t i = 0; i < nref; i++, y += st->ref.leading)
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
    ts->context = NULL;
    return true;
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

bool cl_block_missing_addresses(cl_composer *c, const cl_course *co)
{
    cl_arena *a = c->ts.a;
    cl_buf titles = {0};
    size_t total, with = cl_count_addressed(c->cat, co, &total);
    if (with == total)
        return true;
    for (size_t i = 0; i < co->n_items; i++) {
        const cl_resource *r = co->items[i].resource;
        if (r && !r->unidentified && !r->url)
            cl_buf_printf(&titles, "\n- %s", r->title);
    }
    size_t missing = total - with;
    const char *text = cl_arena_printf(
        a, "%zu ressource%s sur %zu %s pas encore d’adresse, donc pas de code QR. Les adresses se complètent dans le "
           "fichier %s.\n%s",
        missing, missing > 1 ? "s" : "", total, missing > 1 ? "n’ont" : "n’a", cl_address_file_name(a, c->cat),
        cl_buf_str(&titles));
    cl_buf_free(&titles);
    if (!text)
        return false;
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
    char head[512];
    snprintf(head, sizeof head, "Exploitation pédagogique envisageable \xE2\x80\x94 %s%s%s%s%s",
             u->diploma ? u->diploma->name : "", u->module ? ", " : "", u->module ? u->module->label : "",
             u->module ? " " : "", u->module ? u->module->title : "");
    size_t first = c->flow.n;
    cl_rich r = cl_rich_plain(c->ts.a, head, 0);
    if (!cl_flow_paragraph(&c->flow, &r, &c->st.label, 0, c->measure, 8, true))
        return false;
    for (size_t i = 0; i < u->n_items; i++) {
        const char *it = u->items[i];
        cl_rich ri = cl_rich_plain(c->ts.a, it, CL_ST_ITALIC);
        if (!cl_flow_paragraph(&c->flow, &ri, &c->st.small, 10, c->measure - 10, i ? 0 : 3, true))
            return false;
    }
    if (c->flow.n > first)
        c->flow.boxes[c->flow.n - 1].keep_with_next = true;
    if (u->activity && !cl_block_text(c, NULL, u->activity, &c->st.small, 10, 3, false))
        return false;
    return true;
}

bool cl_block_questions(cl_composer *c, const char *const *q, size_t n, const char *heading, float answer_space)
{
    if (!n)
        return true;
    cl_rich h = cl_rich_plain(c->ts.a, heading, 0);
    if (!cl_flow_paragraph(&c->flow, &h, &c->st.label, 0, c->measure, 8, true))
        return false;
    c->flow.boxes[c->flow.n - 1].keep_with_next = true;
    for (size_t i = 0; i < n; i++) {
        size_t first = c->flow.n;
        cl_rich r = cl_rich_plain(c->ts.a, q[i], 0);
        float ind = c->st.body.size * 1.7f > 18 ? c->st.body.size * 1.7f : 18;
        if (!cl_flow_paragraph(&c->flow, &r, &c->st.body, ind, c->measure - ind, i ? 3 : 2, false))
            return false;
        char num[32];
        snprintf(num, sizeof num, "%zu.", i + 1);
        if (c->flow.n > first &&
            !cl_box_text(&c->flow, &c->flow.boxes[first], CL_FACE_SANS_BOLD, c->st.body.size, 2,
                         cl_baseline(&c->st.body), cl_arena_strdup(c->ts.a, num)))
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
            c->flow.boxes[first].keep_with_next = true;
        }
    }
    return true;
}

bool cl_furniture(cl_composer *c, const char *left, const char *right, size_t first_page)
{
    cl_doc *d = c->doc;
    const cl_textstyle *st = &c->st.furniture;
    size_t total = d->n_pages;
    left = left ? cl_text_french(c->ts.a, left, strlen(left)) : NULL;
    right = right ? cl_text_french(c->ts.a, right, strlen(right)) : NULL;
    for (size_t i = first_page; i < total; i++) {
        cl_page *p = d->pages[i];
        float x0 = cl_pagespec_left(&c->ps, i), x1 = x0 + cl_pagespec_text_width(&c->ps);
        float ytop = c->ps.top - 10.0f;
        bool even = c->ps.duplex && i % 2 == 1;
        /* header: outer side gets the right text on odd pages, mirrored on even pages */
        const char *l = even ? right : left, *r = even ? left : right;
        if (l && r) {
            /* both on one line: the left one gives way, cut at a word with "…" (or dropped) */
            float wr = (float)(cl_fonts_width(d->fonts, st->regular, r, strlen(r)) * st->size);
            float room = (x1 - x0) - wr - 2 * st->size;
            size_t n = strlen(l);
            if (cl_fonts_width(d->fonts, st->regular, l, n) * st->size > room) {
                const char *cut = NULL;
                while (n > 0 && !cut) {
                    while (n > 0 && l[n - 1] != ' ')
                        n--;
                    while (n > 0 && l[n - 1] == ' ')
                        n--;
                    if (n && cl_fonts_width(d->fonts, st->regular, l, n) * st->size + st->size <= room)
                        cut = cl_arena_printf(c->ts.a, "%.*s\xE2\x80\xA6", (int)n, l);
                }
                l = cut;
            }
        }
        if (l && !cl_page_text(d, p, st->regular, st->size, x0, ytop - 3, l, strlen(l)))
            return false;
        if (r) {
            float w = (float)(cl_fonts_width(d->fonts, st->regular, r, strlen(r)) * st->size);
            if (!cl_page_text(d, p, st->regular, st->size, x1 - w, ytop - 3, r, strlen(r)))
                return false;
        }
        if (!cl_page_line(d, p, x0, ytop, x1, ytop, 0.4f, c->st.grey_rules))
            return false;
        char foot[96];
        snprintf(foot, sizeof foot, "page %zu / %zu", i + 1, total);
        float w = (float)(cl_fonts_width(d->fonts, st->regular, foot, strlen(foot)) * st->size);
        float yb = p->height - c->ps.bottom + 22.0f;
        if (!cl_page_text(d, p, st->regular, st->size, (x0 + x1 - w) / 2, yb, foot, strlen(foot)))
            return false;
    }
    return true;
}

bool cl_block_toc_line(cl_composer *c, const char *number, const char *title, int level, int page,
                       int target_page, float target_y, const cl_textstyle *st, float space_before)
{
    cl_ts *ts = &c->ts;
    float indent = (float)(level > 1 ? level - 1 : 0) * 14.0f;
    float numw = number ? 30.0f : 0;
    float pagew = 28.0f;
    float w = c->measure - indent - numw - pagew - 8;
    cl_rich r = cl_rich_plain(ts->a, title, 0);
    size_t n;
    cl_textstyle ragged = *st;
    ragged.justify = false;
    ragged.hyphenate = false;
    cl_line *lines = cl_break_lines(ts, &r, &ragged, w, &n);
    if (ts->err->code || !n)
        return !ts->err->code;
    float base = cl_baseline(st);
    char num[16];
    snprintf(num, sizeof num, "%d", page > 0 ? page : 0);
    float nw = (float)(cl_fonts_width(ts->fonts, st->regular, num, strlen(num)) * st->size);
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
        /* dotted leader from the end of the title to the page number */
        float x = indent + numw + lines[i].width + 6, end = c->measure - nw - 4;
        for (float d = ceilf(x / 4.0f) * 4.0f; d < end; d += 4.0f) {
            cl_op dot = {.kind = CL_OP_RECT, .x = d, .y = base - 0.8f, .w = 0.8f, .h = 0.8f, .grey = c->st.grey_leaders};
            if (!cl_box_push(&c->flow, b, &dot))
                return false;
        }
        if (!cl_box_text(&c->flow, b, st->regular, st->size, c->measure - nw, base, cl_arena_strdup(ts->a, num)))
            return false;
    }
    if (target_page >= 0) {
        /* one link over the whole entry */
        cl_op link = {.kind = CL_OP_LINK_PAGE, .x = indent, .y = 0, .w = c->measure - indent,
                      .h = st->leading * (float)n, .target_page = target_page, .target_y = target_y};
        if (!cl_box_push(&c->flow, &c->flow.boxes[first], &link))
            return false;
    }
    return true;
}
