/* study.c: the student study sheets of a course — a cover with the course and the list
 * of sheets with their page numbers, then one sheet per selected resource: pictogram and
 * type, ISO 690 reference, QR code and address, length or duration, a short summary (the
 * first sentences of the dossier's note, cut at a sentence boundary), guiding questions
 * (the course's, else defaults for the type) with ruled lines to answer, and a "Mes
 * notes" box filling the rest of the page. A sheet that cannot fit one page goes on with
 * a "(suite)" heading, never silently cut.
 *
 * Page numbers on the cover come from a first layout pass; the second pass prints them
 * (the cover's line count does not depend on the numbers). */
#include "compose.h"
#include "documents.h"
#include "layoutfile.h"
#include "reference.h"
#include "../util/buf.h"
#include "../util/utf8.h"
#include <stdio.h>
#include <string.h>

#define SUMMARY_MAX 330  /* characters of summary, about four lines */

static const char *const default_questions[CL_RES_TYPE_COUNT][3] = {
    [CL_RES_ARTICLE] = {"Quelle est l'idée principale de cet article ?",
                        "Relevez deux données, exemples ou témoignages qui l'appuient.",
                        "Quel lien faites-vous avec les publics ou les professionnels de votre formation ?"},
    [CL_RES_RAPPORT] = {"Qui a produit ce document, et dans quel but ?",
                        "Quels sont ses principaux constats ? Citez les pages où vous les trouvez.",
                        "Quelles recommandations ou pistes d'action retenez-vous pour la pratique professionnelle ?"},
    [CL_RES_SITE] = {"Qui publie ce site, et pour quel public ?",
                     "Quels services, outils ou ressources propose-t-il ?",
                     "Comment pourriez-vous l'utiliser pour accompagner un usager ?"},
    [CL_RES_PODCAST] = {"Qui s'exprime dans cet enregistrement, et à quel titre ?",
                        "Quelles situations ou quels témoignages sont présentés ?",
                        "Qu'en retenez-vous pour votre future pratique professionnelle ?"},
    [CL_RES_VIDEO] = {"Quel est le sujet de la vidéo, et qui la réalise ?",
                      "Quels exemples ou mises en situation sont montrés ?",
                      "Quelles questions la vidéo soulève-t-elle pour les usagers ou les professionnels ?"},
};

/* Abbreviations whose dot does not end a sentence. */
static bool is_abbrev(const char *s, size_t dot)
{
    static const char *const abbr[] = {"p", "pp", "etc", "cf", "ex", "n", "M", "Mme", "Dr", "vol", "éd", "art", "env", "av", "J.-C", NULL};
    size_t k = dot;
    while (k > 0 && s[k - 1] != ' ' && s[k - 1] != '(' && s[k - 1] != '\n')
        k--;
    size_t len = dot - k;
    if (len == 1 && s[k] >= 'A' && s[k] <= 'Z')
        return true; /* an initial: "J. Dupont" */
    for (size_t i = 0; abbr[i]; i++)
        if (strlen(abbr[i]) == len && !strncmp(s + k, abbr[i], len))
            return true;
    return false;
}

/* The first sentences of text, at most about max characters, cut at a sentence end;
 * always at least one sentence. Quotation marks stay balanced. A first paragraph that
 * ends on a colon (announcing a list) comes with the paragraph that follows it. */
const char *cl_note_summary(cl_arena *a, const char *text, size_t max)
{
    if (!text)
        return NULL;
    /* the first paragraph only */
    size_t n = strlen(text);
    const char *para_end = strstr(text, "\n\n");
    if (para_end)
        n = (size_t)(para_end - text);
    size_t best = 0, chars = 0;
    int quotes = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)text[i];
        if ((c & 0xC0) != 0x80)
            chars++;
        if (!strncmp(text + i, "\xC2\xAB", 2))
            quotes++;
        if (!strncmp(text + i, "\xC2\xBB", 2))
            quotes--;
        bool end = false;
        size_t after = i + 1;
        if (c == '.' || c == '!' || c == '?')
            end = true;
        else if (!strncmp(text + i, "\xE2\x80\xA6", 3)) {
            end = true;
            after = i + 3;
        }
        if (!end)
            continue;
        /* a closing quote or asterisk right after belongs to the sentence */
        while (after < n && (text[after] == '*' || text[after] == ' ' || !strncmp(text + after, "\xC2\xBB", 2))) {
            if (!strncmp(text + after, "\xC2\xBB", 2)) {
                quotes--;
                after += 2;
            } else if (text[after] == ' ' && after + 1 < n && strncmp(text + after + 1, "\xC2\xBB", 2)) {
                break;
            } else {
                after++;
            }
        }
        if (after < n && text[after] != ' ' && text[after] != '\n')
            continue;
        if (c == '.' && is_abbrev(text, i))
            continue;
        if (quotes > 0)
            continue;
        if (best == 0 || chars <= max)
            best = after;
        if (chars > max)
            break;
    }
    if (best == 0) {
        best = n;
        /* a paragraph that announces a list ("… autour de 4 axes :") brings its list:
         * a summary never ends on a colon */
        size_t e = n;
        while (e > 0 && (text[e - 1] == ' ' || text[e - 1] == '\n'))
            e--;
        if (e > 0 && text[e - 1] == ':' && para_end) {
            const char *next = strstr(para_end + 2, "\n\n");
            best = next ? (size_t)(next - text) : strlen(text);
        }
    }
    while (best > 0 && (text[best - 1] == ' ' || text[best - 1] == '\n'))
        best--;
    return cl_arena_strndup(a, text, best);
}

static const char *extent(cl_arena *a, const cl_resource *r)
{
    if (r->duration_s)
        return cl_arena_printf(a, "Durée : %s", cl_duration_french(a, r->duration_s));
    if (r->pages && strchr(r->pages, '-'))
        return cl_arena_printf(a, "Pages : %s", r->pages);
    if (r->pages)
        return cl_arena_printf(a, "Longueur : %s pages", r->pages);
    return NULL; /* unknown: nothing printed rather than a placeholder */
}

/* Height of boxes [from, end) laid one under the other (the first one's space dropped). */
static float flow_height(const cl_flow *f, size_t from)
{
    float h = 0;
    for (size_t k = from; k < f->n; k++)
        h += f->boxes[k].height + (k == from ? 0 : f->boxes[k].space_before);
    return h;
}

/* Sheet number `sheet` of n for selection item i: heading, then the layout's blocks,
 * with `lines` answer lines per question and a "Mes notes" box of at least `notes` pt
 * that grows to the foot of the column. The sheet starts a new column (a new page in
 * one-column layouts) and is one unit: a page starting inside it says "(suite)". */
static bool compose_sheet(cl_composer *c, const cl_catalog *cat, const cl_course *co, size_t i, size_t sheet,
                          size_t n_sheets, int group, int lines, float notes)
{
    cl_arena *a = c->ts.a;
    const cl_selection *s = &co->items[i];
    const cl_resource *r = s->resource;
    size_t first = c->flow.n;
    char label[64];
    snprintf(label, sizeof label, "Fiche %zu / %zu", sheet, n_sheets);
    bool ok = cl_block_heading(c, label, &c->st.label, 0, 0, (int)i);
    if (ok) {
        c->flow.boxes[first].break_before = CL_BREAK_COLUMN;
        c->flow.boxes[first].bookmark = r->title;
        c->flow.boxes[first].bm_level = 1;
    }
    const cl_entry *e = NULL;
    cl_catalog_entries_of(cat, r, &e, 1);
    for (size_t k = 0; ok && k < c->lay->study.n; k++) {
        switch (c->lay->study.v[k]) {
        case CL_BLK_REFERENCE:
            ok = cl_block_resource_header(c, r, 6);
            break;
        case CL_BLK_EXTENT: {
            const char *ext = extent(a, r);
            if (ext)
                ok = cl_block_text(c, NULL, ext, &c->st.label, 0, 6, true);
            break;
        }
        case CL_BLK_SUMMARY:
            if (e && e->note.text)
                ok = cl_block_text(c, "En bref", cl_note_summary(a, cl_entry_note(a, e, co), SUMMARY_MAX), &c->st.body,
                                   0, 10, false);
            break;
        case CL_BLK_QUESTIONS: {
            const char *const *q = s->questions;
            size_t nq = s->n_questions;
            if (!nq) {
                q = default_questions[r->type];
                nq = 3;
            }
            ok = cl_block_questions(c, q, nq, "Questions", (float)lines * (c->st.body.leading + 6.5f));
            break;
        }
        case CL_BLK_NOTES: { /* "Mes notes": a framed box down to the foot of the column */
            cl_box *b = cl_flow_box(&c->flow, notes);
            if (!b) {
                ok = false;
                break;
            }
            b->space_before = 14;
            b->fill_rest = true;
            if (c->flow.n > first + 1) /* never alone on a page */
                c->flow.boxes[c->flow.n - 2].keep_with_next = true;
            float pad = c->st.label.size * 0.6f > 6 ? c->st.label.size * 0.6f : 6;
            cl_op frame = {.kind = CL_OP_STROKE_RECT, .x = 0, .y = 0, .w = c->measure, .h = -1.0f, .lw = 0.6f,
                           .grey = c->st.grey_frames};
            ok = cl_box_push(&c->flow, b, &frame) &&
                 cl_box_text(&c->flow, b, CL_FACE_SANS_BOLD, c->st.label.size, pad, pad + c->st.label.size * 0.8f,
                             "Mes notes");
            break;
        }
        default:
            break;
        }
    }
    for (size_t k = first; ok && k < c->flow.n; k++)
        c->flow.boxes[k].group = group;
    if (!ok)
        cl_composer_blame(c, r, co);
    /* the header and the first lines of the sheet stay together */
    if (ok && first + 1 < c->flow.n)
        c->flow.boxes[first].keep_with_next = true;
    return ok;
}

/* The student's "Nom, prénom" and "Classe", each a label and a line to write on, in
 * one row, with room for handwriting above the line. */
static bool name_lines(cl_composer *c)
{
    const cl_textstyle *st = &c->st.label;
    float pitch = st->leading + 12.0f;
    if (pitch < 26.0f)
        pitch = 26.0f;
    cl_box *b = cl_flow_box(&c->flow, pitch);
    if (!b)
        return false;
    b->space_before = 16;
    float base = pitch - 4.0f, split = c->measure * 0.68f;
    static const char *const labels[] = {"Nom, prénom\xC2\xA0:", "Classe\xC2\xA0:"};
    const float from[] = {0, split}, to[] = {split - 14.0f, c->measure};
    for (int k = 0; k < 2; k++) {
        float w = (float)cl_fonts_width(c->ts.fonts, st->bold, labels[k], strlen(labels[k])) * st->size;
        cl_op rule = {.kind = CL_OP_LINE, .x = from[k] + w + 4.0f, .y = base + 1.5f, .w = to[k] - from[k] - w - 4.0f,
                      .h = 0, .lw = 0.5f, .grey = c->st.grey_frames};
        if (!cl_box_text(&c->flow, b, st->bold, st->size, from[k], base, labels[k]) || !cl_box_push(&c->flow, b, &rule))
            return false;
    }
    return true;
}

bool cl_study_compose(cl_composer *c, const cl_course *co)
{
    cl_arena *da = c->da;
    const cl_catalog *cat = c->cat;
    cl_err *err = c->ts.err;
    const char *heading = cl_course_heading(da, co);
    cl_pass_begin(c->pass, c->ts.fonts, cl_arena_printf(da, "%s \xE2\x80\x93 fiches d'étude", co->title),
                  co->teacher ? co->teacher : "Classeur", heading,
                  cl_arena_printf(da, "%s, %s, fiches d'étude, %s", co->diploma ? co->diploma->name : "",
                                  co->module ? co->module->label : "", cat->dossier.title ? cat->dossier.title : ""),
                  false, cl_arena_printf(da, "%s \xE2\x80\x93 fiches d\xE2\x80\x99étude", co->title));
    bool ok = cl_composer_header(c, cl_arena_printf(da, "Fiches d'étude \xC2\xB7 %s", co->title), heading) &&
              cl_composer_start(c);
    ok = ok && cl_block_heading(c, "Fiches d'étude", &c->st.label, 0, 0, -1) &&
         cl_block_heading(c, co->title, &c->st.title, 2, 1, -1) && cl_block_heading(c, heading, &c->st.h3, 4, 0, -1);
    char line[512];
    snprintf(line, sizeof line, "Année scolaire %s%s%s", co->school_year ? co->school_year : "",
             co->teacher ? " \xC2\xB7 " : "", co->teacher ? co->teacher : "");
    ok = ok && cl_block_text(c, NULL, line, &c->st.label, 0, 2, true);
    if (ok && cl_blocks_has(&c->lay->study, CL_BLK_NAME))
        ok = name_lines(c);
    ok = ok && cl_block_heading(c, "Les fiches", &c->st.h2, 24, 0, -1);
    size_t n_sheets = 0;
    for (size_t i = 0; i < co->n_items; i++)
        n_sheets += co->items[i].resource != NULL;
    char widest[16];
    snprintf(widest, sizeof widest, "%zu.", n_sheets);
    float numw = cl_toc_number_width(c, &c->st.body, widest);
    for (size_t i = 0, k = 0; ok && i < co->n_items; i++) {
        const cl_resource *r = co->items[i].resource;
        if (!r)
            continue;
        char num[16];
        snprintf(num, sizeof num, "%zu.", ++k);
        ok = cl_block_toc_line(c, cl_arena_strdup(c->ts.a, num), r->title, (int)i, &c->st.body, 4, 0, numw);
    }
    if (ok && c->flow.n)
        c->flow.boxes[0].role = CL_PAGE_TITLE; /* no running header above the title */
    float avail = c->ps.height - c->ps.top - c->ps.bottom;
    size_t sheet = 0;
    for (size_t i = 0; ok && i < co->n_items; i++) {
        const cl_resource *r = co->items[i].resource;
        if (!r)
            continue;
        sheet++;
        const char *gt = cl_arena_printf(c->ts.a, "Fiche %zu \xE2\x80\x93 %s", sheet, r->title);
        int group = cl_flow_group(&c->flow, cl_text_french(c->ts.a, &c->st.text, gt, strlen(gt)));
        /* a sheet fits one page (one column) when it can: fewer answer lines, then a
         * smaller "Mes notes" box, before it is allowed to go on to the next page */
        static const struct { int lines; float notes; } tries[] = {{3, 90}, {2, 90}, {2, 54}};
        size_t first = c->flow.n;
        for (size_t t = 0; ok && t < sizeof tries / sizeof tries[0]; t++) {
            c->flow.n = first;
            ok = compose_sheet(c, cat, co, i, sheet, n_sheets, group, tries[t].lines, tries[t].notes);
            if (ok && flow_height(&c->flow, first) <= avail)
                break;
        }
        ok = ok && cl_flow_flush(&c->flow, false); /* the pages before this sheet go out */
    }
    if (!ok && !err->code)
        cl_err_set(err, CL_E_RENDER,
                   "composing the study sheets of '%s' stopped without saying why (a bug: please report it)", co->id);
    return ok;
}
