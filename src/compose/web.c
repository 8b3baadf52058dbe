/* web.c: the web page of a course (web.h) — the teacher handout's content (handout.c) as
 * one HTML5 page: the title block, one <section> per selected resource (type, ISO 690
 * reference, link and QR code, note, pedagogical use, guiding questions), and the
 * resources still without an address. Every text comes from the data or from the labels
 * the handout prints, normalised as the documents print them (French spaces U+00A0 and
 * U+202F, « », ’) and escaped for HTML; italic spans become <i>, bold ones <b>.
 *
 * Headings go strictly h1 (the course), h2 (a resource), h3 (a use, the questions); the
 * QR code is an inline <svg> with role="img" and an aria-label, its dark modules one
 * <path> in a viewBox that includes the 4-module quiet zone. No script, no external
 * resource: the only addresses in the page are the resources' own, in their links. */
#include "web.h"
#include "../typeset/displaylist.h"
#include "documents.h"
#include "compose.h"
#include "qr.h"
#include "reference.h"
#include <string.h>

/* What the page is being written with; oom is set by any allocation that gave NULL. */
typedef struct web {
    cl_buf *b;
    cl_arena *a;
    const cl_textopts *o;
    bool oom;
} web;

/* The one style sheet: readable on a screen (42em measure, the system's serif), printed
 * in black on white without the screen's colours. */
static const char css[] =
    "body{margin:0;background:#fff;color:#111}\n"
    "main{max-width:42em;margin:0 auto;padding:1em 1.25em 2.5em;"
    "font-family:ui-serif,Charter,\"Bitstream Charter\",\"Sitka Text\",Cambria,Georgia,\"Times New Roman\",serif;"
    "font-size:1.0625rem;line-height:1.55}\n"
    "h1,h2,h3{line-height:1.25}\n"
    "h1{font-size:1.75em;margin:.15em 0 .35em}\n"
    "h2{font-size:1.3em;margin:0 0 .25em}\n"
    "h2 a{color:inherit}\n"
    "h3{font-size:1em;margin:1.2em 0 .3em}\n"
    "p{margin:.5em 0}\n"
    ".kind,.type{font-size:.85em;font-weight:bold;letter-spacing:.03em;margin:0}\n"
    ".course{font-size:1.1em;margin:0 0 .25em}\n"
    ".meta{color:#333;margin:0}\n"
    "header{border-bottom:2px solid #111;padding-bottom:.75em;margin-bottom:1.25em}\n"
    "section{border-top:1px solid #999;margin-top:2em;padding-top:1.25em}\n"
    ".head{display:flex;flex-wrap:wrap;gap:.5em 1.25em;align-items:flex-start}\n"
    ".ref{flex:1 1 20em;margin:.4em 0}\n"
    ".access{flex:0 1 auto;max-width:13em;text-align:center;margin:.4em auto}\n"
    ".qr{display:block;margin:0 auto;background:#fff}\n"
    ".address{font-size:.85em;overflow-wrap:anywhere;margin:.3em 0 0}\n"
    "a{color:#0645ad;text-underline-offset:.15em}\n"
    "a:visited{color:#5a3696}\n"
    "a:focus{outline:2px solid #111;outline-offset:2px}\n"
    "ul,ol{padding-left:1.6em}\n"
    "li{margin:.25em 0}\n"
    ".curriculum{list-style:none;padding-left:1em}\n"
    ".missing{border-top:2px solid #111;margin-top:2.5em;padding-top:.75em;font-size:.95em}\n"
    "@media print{body{color:#000}main{max-width:none;padding:0;font-size:11pt}"
    "a,a:visited{color:#000}h2,h3{break-after:avoid}.head,.access,li{break-inside:avoid}}\n";

/* s[0..n) with & < > " escaped. */
static void put_esc(web *w, const char *s, size_t n)
{
    size_t from = 0;
    for (size_t i = 0; i < n; i++) {
        const char *rep = NULL;
        switch (s[i]) {
        case '&': rep = "&amp;"; break;
        case '<': rep = "&lt;"; break;
        case '>': rep = "&gt;"; break;
        case '"': rep = "&quot;"; break;
        default: continue;
        }
        cl_buf_put(w->b, s + from, i - from);
        cl_buf_puts(w->b, rep);
        from = i + 1;
    }
    cl_buf_put(w->b, s + from, n - from);
}

static void put_escs(web *w, const char *s)
{
    if (s)
        put_esc(w, s, strlen(s));
}

/* A plain text of the data normalised as printed (arena string; "" for NULL). */
static const char *french(web *w, const char *s)
{
    if (!s)
        return "";
    const char *t = cl_text_french(w->a, w->o, s, strlen(s));
    if (!t) {
        w->oom = true;
        return "";
    }
    return t;
}

/* Rich text: italic spans in <i>, bold ones in <b>. */
static void put_rich(web *w, const cl_rich *r)
{
    if (!r->spans && r->n)
        w->oom = true;
    for (size_t i = 0; r->spans && i < r->n; i++) {
        const cl_span *sp = &r->spans[i];
        if (sp->style & CL_ST_BOLD)
            cl_buf_puts(w->b, "<b>");
        if (sp->style & CL_ST_ITALIC)
            cl_buf_puts(w->b, "<i>");
        put_esc(w, sp->text, sp->len);
        if (sp->style & CL_ST_ITALIC)
            cl_buf_puts(w->b, "</i>");
        if (sp->style & CL_ST_BOLD)
            cl_buf_puts(w->b, "</b>");
    }
}

/* "<b>Note de lecture :</b> " (the label as cl_block_text prints it). */
static void put_label(web *w, const char *label)
{
    cl_buf_puts(w->b, "<b>");
    put_escs(w, french(w, label));
    cl_buf_puts(w->b, "\xC2\xA0:</b>");
}

/* Markup text of the data (paragraphs, "- " items, *italic*, **bold**): paragraphs as
 * <p>, runs of items as one <ul>; led by label when not NULL, in its first paragraph as
 * the handout prints it (before the list when it starts with an item). */
static void put_markup(web *w, const char *label, const char *markup)
{
    size_t n = 0;
    cl_para *p = cl_markup_parse(w->a, w->o, markup, &n);
    if (!p) {
        w->oom = markup != NULL;
        return;
    }
    bool in_list = false;
    for (size_t i = 0; i < n; i++) {
        bool item = p[i].kind == CL_PARA_ITEM;
        if (item && !in_list) {
            if (i == 0 && label) {
                cl_buf_puts(w->b, "<p>");
                put_label(w, label);
                cl_buf_puts(w->b, "</p>\n");
            }
            cl_buf_puts(w->b, "<ul>\n");
            in_list = true;
        } else if (!item && in_list) {
            cl_buf_puts(w->b, "</ul>\n");
            in_list = false;
        }
        cl_buf_puts(w->b, item ? "<li>" : "<p>");
        if (i == 0 && label && !item) {
            put_label(w, label);
            cl_buf_putc(w->b, ' ');
        }
        put_rich(w, &p[i].rich);
        cl_buf_puts(w->b, item ? "</li>\n" : "</p>\n");
    }
    if (in_list)
        cl_buf_puts(w->b, "</ul>\n");
    if (n == 0 && label) {
        cl_buf_puts(w->b, "<p>");
        put_label(w, label);
        cl_buf_puts(w->b, "</p>\n");
    }
}

/* The code as an inline SVG: one path of the dark modules, one unit a module, in a
 * viewBox with the quiet zone; shown at a whole number of pixels a module (at least 3,
 * about 130 px in all) so a phone reads it from the screen too. */
static void put_qr(web *w, const cl_qr *qr, const char *label)
{
    int side = qr->width + 2 * CL_QR_QUIET;
    int px = 132 / side;
    if (px < 3)
        px = 3;
    cl_buf_printf(w->b, "<svg class=\"qr\" viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" role=\"img\" aria-label=\"",
                  side, side, side * px, side * px);
    put_escs(w, label);
    cl_buf_puts(w->b, "\"><path d=\"");
    for (int y = 0; y < qr->width; y++) {
        const uint8_t *row = qr->modules + (size_t)y * (size_t)qr->width;
        for (int x = 0; x < qr->width;) {
            if (!row[x]) {
                x++;
                continue;
            }
            int x0 = x;
            while (x < qr->width && row[x])
                x++;
            cl_buf_printf(w->b, "M%d %dh%dv1h-%dz", x0 + CL_QR_QUIET, y + CL_QR_QUIET, x - x0, x - x0);
        }
    }
    cl_buf_puts(w->b, "\"/></svg>\n");
}

/* The reference, and beside it, for a resource with an http(s) address, its QR code
 * and its link (whose text is the short address the handout prints under the code). An
 * address too long for a code keeps its link; another error is the page's. */
static bool put_head(web *w, const cl_resource *r, cl_err *err)
{
    cl_buf_puts(w->b, "<div class=\"head\">\n<p class=\"ref\">");
    cl_rich ref = cl_reference(w->a, w->o, r, true);
    put_rich(w, &ref);
    cl_buf_puts(w->b, "</p>\n");
    if (cl_qr_linkable(r->url)) {
        cl_err e = {0};
        const cl_qr *qr = cl_qr_make(w->a, r->url, &e);
        if (!qr && e.code != CL_E_DATA) {
            if (!err->code)
                *err = e;
            return false;
        }
        const char *href = qr ? qr->text : cl_qr_percent_encode(w->a, r->url);
        const char *shown = cl_address_short(w->a, r->url);
        if (!href || !shown) {
            w->oom = true;
            return true;
        }
        cl_buf_puts(w->b, "<div class=\"access\">\n");
        if (qr) {
            const char *what = cl_arena_printf(w->a, "Code QR : adresse de %s", r->title);
            if (!what)
                w->oom = true;
            put_qr(w, qr, french(w, what));
        }
        cl_buf_puts(w->b, "<p class=\"address\"><a href=\"");
        put_escs(w, href);
        cl_buf_puts(w->b, "\">");
        put_escs(w, shown);
        cl_buf_puts(w->b, "</a></p>\n</div>\n");
    }
    cl_buf_puts(w->b, "</div>\n");
    return true;
}

/* "Exploitation pédagogique envisageable — …" (as cl_block_use), its curriculum lines
 * in italics, the activity. */
static void put_use(web *w, const cl_use *u)
{
    const char *head = cl_use_heading(w->a, u);
    if (!head) {
        w->oom = true;
        return;
    }
    cl_buf_puts(w->b, "<h3>");
    put_escs(w, french(w, head));
    cl_buf_puts(w->b, "</h3>\n");
    if (u->n_items) {
        cl_buf_puts(w->b, "<ul class=\"curriculum\">\n");
        for (size_t i = 0; i < u->n_items; i++) {
            cl_buf_puts(w->b, "<li><i>");
            put_escs(w, french(w, u->items[i]));
            cl_buf_puts(w->b, "</i></li>\n");
        }
        cl_buf_puts(w->b, "</ul>\n");
    }
    if (u->activity)
        put_markup(w, NULL, u->activity);
}

/* One selected resource, in the handout's order: reference with code and link, note,
 * uses for the course's diploma and module, guiding questions. */
static bool put_resource(web *w, const cl_catalog *cat, const cl_course *co, const cl_selection *s, cl_err *err)
{
    const cl_resource *r = s->resource;
    /* the title is the link to the resource, when it has an address */
    const char *href = cl_qr_linkable(r->url) ? cl_qr_percent_encode(w->a, r->url) : NULL;
    cl_buf_puts(w->b, "<section>\n<h2>");
    if (href) {
        cl_buf_puts(w->b, "<a href=\"");
        put_escs(w, href);
        cl_buf_puts(w->b, "\">");
    }
    put_escs(w, french(w, r->title));
    cl_buf_puts(w->b, href ? "</a></h2>\n<p class=\"type\">" : "</h2>\n<p class=\"type\">");
    put_escs(w, cl_restype_label(r->type));
    cl_buf_puts(w->b, "</p>\n");
    if (!put_head(w, r, err))
        return false;
    const cl_entry *ent[8];
    size_t ne = cl_catalog_entries_of(cat, r, ent, 8);
    if (ne && ent[0]->note.text) {
        const char *note = cl_entry_note(w->a, ent[0], co);
        if (!note)
            w->oom = true;
        else
            put_markup(w, ent[0]->note.label, note);
    }
    for (size_t m = 0; m < ne; m++)
        for (size_t u = 0; u < ent[m]->n_uses; u++) {
            const cl_use *use = &ent[m]->uses[u];
            if (use->diploma == co->diploma && (!co->module || use->module == co->module))
                put_use(w, use);
        }
    if (s->n_questions) {
        cl_buf_puts(w->b, "<h3>Questions pour guider la lecture</h3>\n<ol>\n");
        for (size_t q = 0; q < s->n_questions; q++) {
            cl_buf_puts(w->b, "<li>");
            put_escs(w, french(w, s->questions[q]));
            cl_buf_puts(w->b, "</li>\n");
        }
        cl_buf_puts(w->b, "</ol>\n");
    }
    cl_buf_puts(w->b, "</section>\n");
    return true;
}

/* The closing note of the handout (cl_block_missing_addresses): which selected resources
 * have no address yet, and the file where they are added. Nothing when all have one. */
static void put_missing(web *w, const cl_catalog *cat, const cl_course *co)
{
    const char *text = cl_missing_addresses_text(w->a, cat, co);
    if (!text) {
        w->oom = true;
        return;
    }
    if (!*text)
        return;
    cl_buf_puts(w->b, "<footer class=\"missing\">\n");
    put_markup(w, "Adresses à compléter", text);
    cl_buf_puts(w->b, "</footer>\n");
}

bool cl_web_course(cl_buf *out, cl_arena *a, const cl_catalog *cat, const cl_course *co, const cl_textopts *o,
                   cl_err *err)
{
    size_t start = out->len;
    unsigned long failures = cl_alloc_failures();
    web w = {.b = out, .a = a, .o = o};
    const char *heading = cl_course_heading(a, co);
    const char *title = cl_arena_printf(a, "%s \xE2\x80\x93 fiche enseignant", co->title);
    const char *line = cl_arena_printf(a, "Année scolaire %s%s%s \xC2\xB7 %s", co->school_year ? co->school_year : "",
                                       co->teacher ? " \xC2\xB7 " : "", co->teacher ? co->teacher : "",
                                       cl_qr_claim(a, cat, co));
    bool ok = heading && title && line;

    cl_buf_puts(out, "<!DOCTYPE html>\n<html lang=\"fr\">\n<head>\n<meta charset=\"utf-8\">\n"
                     "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>");
    put_escs(&w, french(&w, title));
    cl_buf_puts(out, "</title>\n<style>\n");
    cl_buf_puts(out, css);
    cl_buf_puts(out, "</style>\n</head>\n<body>\n<main>\n<header>\n<p class=\"kind\">Fiche enseignant</p>\n<h1>");
    put_escs(&w, french(&w, co->title));
    cl_buf_puts(out, "</h1>\n<p class=\"course\">");
    put_escs(&w, french(&w, heading));
    cl_buf_puts(out, "</p>\n<p class=\"meta\">");
    put_escs(&w, french(&w, line));
    cl_buf_puts(out, "</p>\n</header>\n");
    if (co->introduction)
        put_markup(&w, NULL, co->introduction);

    for (size_t i = 0; ok && i < co->n_items; i++)
        if (co->items[i].resource)
            ok = put_resource(&w, cat, co, &co->items[i], err);
    if (ok)
        put_missing(&w, cat, co);
    cl_buf_puts(out, "</main>\n</body>\n</html>\n");

    if (ok && (w.oom || out->failed || cl_alloc_failures() != failures))
        ok = false;
    if (!ok) {
        cl_err_set(err, CL_E_NOMEM, "out of memory");
        cl_buf_truncate(out, start);
    }
    return ok;
}
