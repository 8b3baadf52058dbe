/* pdf.c: libharu backend (see pdf.h). */
#include "pdf.h"
#include <errno.h>
#include <hpdf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static void on_error(HPDF_STATUS e, HPDF_STATUS detail, void *ud)
{
    cl_err_set((cl_err *)ud, CL_E_RENDER, "PDF library error 0x%04X (detail %u)", (unsigned)e, (unsigned)detail);
}

typedef struct writer {
    HPDF_Doc pdf;
    HPDF_Font fonts[CL_FACE_COUNT];
    const cl_doc *doc;
    cl_err *err;
} writer;

static HPDF_Font font_for(writer *w, cl_face face)
{
    if (!w->fonts[face]) {
        const char *name = HPDF_LoadTTFontFromFile(w->pdf, cl_fonts_path(w->doc->fonts, face), HPDF_TRUE);
        if (name)
            w->fonts[face] = HPDF_GetFont(w->pdf, name, "UTF-8");
    }
    return w->fonts[face];
}

static void set_date(HPDF_Doc pdf)
{
    time_t t;
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    char *end = NULL;
    long long v = sde ? strtoll(sde, &end, 10) : 0;
    if (sde && end && *end == 0 && v >= 0)
        t = (time_t)v;
    else
        t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    HPDF_Date d = {0};
    d.year = tm.tm_year + 1900;
    d.month = tm.tm_mon + 1;
    d.day = tm.tm_mday;
    d.hour = tm.tm_hour;
    d.minutes = tm.tm_min;
    d.seconds = tm.tm_sec;
    d.ind = 'Z';
    HPDF_SetInfoDateAttr(pdf, HPDF_INFO_CREATION_DATE, d);
    HPDF_SetInfoDateAttr(pdf, HPDF_INFO_MOD_DATE, d);
}

static void draw_qr(HPDF_Page pg, float h, const cl_op *op)
{
    const cl_qr *q = op->qr;
    float m = op->size;
    float ox = op->x + CL_QR_QUIET_PT(m), oy = op->y + CL_QR_QUIET_PT(m);
    HPDF_Page_SetGrayFill(pg, 0);
    for (int r = 0; r < q->width; r++) {
        int c = 0;
        while (c < q->width) {
            if (!q->modules[r * q->width + c]) {
                c++;
                continue;
            }
            int s = c;
            while (c < q->width && q->modules[r * q->width + c])
                c++;
            /* runs overlap their neighbours by nothing: exact module grid */
            HPDF_Page_Rectangle(pg, ox + s * m, h - (oy + (r + 1) * m), (c - s) * m, m);
        }
    }
    HPDF_Page_Fill(pg);
}

static void draw_path(HPDF_Page pg, float h, const cl_op *op)
{
    const cl_path *p = op->path;
    float s = op->size;
    /* colours and widths must be set before the path is built */
    HPDF_Page_SetGrayFill(pg, p->fill && p->stroke ? op->grey : (p->fill ? op->grey : 0));
    HPDF_Page_SetGrayStroke(pg, p->stroke && !p->fill ? op->grey : 0);
    HPDF_Page_SetLineWidth(pg, op->lw > 0 ? op->lw : 1);
    for (size_t i = 0; i < p->n; i++) {
        const cl_path_seg *g = &p->segs[i];
        switch (g->cmd) {
        case 'M': HPDF_Page_MoveTo(pg, op->x + s * g->x, h - (op->y + s * g->y)); break;
        case 'L': HPDF_Page_LineTo(pg, op->x + s * g->x, h - (op->y + s * g->y)); break;
        case 'C':
            HPDF_Page_CurveTo(pg, op->x + s * g->x1, h - (op->y + s * g->y1), op->x + s * g->x2,
                              h - (op->y + s * g->y2), op->x + s * g->x, h - (op->y + s * g->y));
            break;
        case 'Z': HPDF_Page_ClosePath(pg); break;
        default: break;
        }
    }
    if (p->fill && p->stroke)
        HPDF_Page_FillStroke(pg);
    else if (p->fill)
        HPDF_Page_Fill(pg);
    else
        HPDF_Page_Stroke(pg);
}

static void replay_page(writer *w, HPDF_Page pg, const cl_page *p, HPDF_Page *all)
{
    float h = p->height;
    bool in_text = false;
    for (size_t i = 0; i < p->n && !w->err->code; i++) {
        const cl_op *op = &p->ops[i];
        if (op->kind != CL_OP_TEXT && in_text) {
            HPDF_Page_EndText(pg);
            in_text = false;
        }
        switch (op->kind) {
        case CL_OP_TEXT: {
            HPDF_Font f = font_for(w, op->face);
            if (!f)
                return;
            if (!in_text) {
                HPDF_Page_BeginText(pg);
                in_text = true;
            }
            HPDF_Page_SetGrayFill(pg, op->grey);
            HPDF_Page_SetFontAndSize(pg, f, op->size);
            HPDF_Page_TextOut(pg, op->x, h - op->y, op->text);
            break;
        }
        case CL_OP_RECT:
            HPDF_Page_SetGrayFill(pg, op->grey);
            HPDF_Page_Rectangle(pg, op->x, h - op->y - op->h, op->w, op->h);
            HPDF_Page_Fill(pg);
            break;
        case CL_OP_STROKE_RECT:
            HPDF_Page_SetGrayStroke(pg, op->grey);
            HPDF_Page_SetLineWidth(pg, op->lw);
            HPDF_Page_Rectangle(pg, op->x, h - op->y - op->h, op->w, op->h);
            HPDF_Page_Stroke(pg);
            break;
        case CL_OP_LINE:
            HPDF_Page_SetGrayStroke(pg, op->grey);
            HPDF_Page_SetLineWidth(pg, op->lw);
            HPDF_Page_MoveTo(pg, op->x, h - op->y);
            HPDF_Page_LineTo(pg, op->x + op->w, h - (op->y + op->h));
            HPDF_Page_Stroke(pg);
            break;
        case CL_OP_PATH:
            draw_path(pg, h, op);
            break;
        case CL_OP_QR:
            draw_qr(pg, h, op);
            break;
        case CL_OP_LINK_URI: {
            HPDF_Rect r = {op->x, h - op->y - op->h, op->x + op->w, h - op->y};
            HPDF_Annotation an = HPDF_Page_CreateURILinkAnnot(pg, r, op->text);
            if (an)
                HPDF_LinkAnnot_SetBorderStyle(an, 0, 0, 0);
            break;
        }
        case CL_OP_LINK_PAGE: {
            if (op->target_page < 0 || (size_t)op->target_page >= w->doc->n_pages)
                break;
            HPDF_Rect r = {op->x, h - op->y - op->h, op->x + op->w, h - op->y};
            HPDF_Destination dst = HPDF_Page_CreateDestination(all[op->target_page]);
            if (dst) {
                HPDF_Destination_SetFitH(dst, w->doc->pages[op->target_page]->height - op->target_y);
                HPDF_Annotation an = HPDF_Page_CreateLinkAnnot(pg, r, dst);
                if (an)
                    HPDF_LinkAnnot_SetBorderStyle(an, 0, 0, 0);
            }
            break;
        }
        }
    }
    if (in_text)
        HPDF_Page_EndText(pg);
}

bool cl_pdf_write(const cl_doc *doc, const char *path, cl_err *err)
{
    writer w = {0};
    w.doc = doc;
    w.err = err;
    w.pdf = HPDF_New(on_error, err);
    if (!w.pdf) {
        cl_err_set(err, CL_E_NOMEM, "%s: cannot start the PDF library", path);
        return false;
    }
    HPDF_UseUTFEncodings(w.pdf);
    HPDF_SetCurrentEncoder(w.pdf, "UTF-8");
    HPDF_SetCompressionMode(w.pdf, HPDF_COMP_ALL);
    if (doc->title)
        HPDF_SetInfoAttr(w.pdf, HPDF_INFO_TITLE, doc->title);
    if (doc->author)
        HPDF_SetInfoAttr(w.pdf, HPDF_INFO_AUTHOR, doc->author);
    if (doc->subject)
        HPDF_SetInfoAttr(w.pdf, HPDF_INFO_SUBJECT, doc->subject);
    if (doc->keywords)
        HPDF_SetInfoAttr(w.pdf, HPDF_INFO_KEYWORDS, doc->keywords);
    HPDF_SetInfoAttr(w.pdf, HPDF_INFO_CREATOR, "Classeur");
    set_date(w.pdf);

    HPDF_Page *pages = calloc(doc->n_pages ? doc->n_pages : 1, sizeof *pages);
    if (!pages) {
        HPDF_Free(w.pdf);
        cl_err_set(err, CL_E_NOMEM, "out of memory");
        return false;
    }
    for (size_t i = 0; i < doc->n_pages && !err->code; i++) {
        pages[i] = HPDF_AddPage(w.pdf);
        if (pages[i]) {
            HPDF_Page_SetWidth(pages[i], doc->pages[i]->width);
            HPDF_Page_SetHeight(pages[i], doc->pages[i]->height);
            if (doc->pages[i]->rotate)
                HPDF_Page_SetRotate(pages[i], (HPDF_UINT16)doc->pages[i]->rotate);
        }
    }
    for (size_t i = 0; i < doc->n_pages && !err->code; i++)
        replay_page(&w, pages[i], doc->pages[i], pages);

    if (doc->n_bookmarks && !err->code) {
        HPDF_Encoder enc = HPDF_GetEncoder(w.pdf, "UTF-8");
        HPDF_Outline stack[8] = {0};
        for (size_t i = 0; i < doc->n_bookmarks && !err->code; i++) {
            const cl_bookmark *b = &doc->bookmarks[i];
            int lvl = b->level < 1 ? 1 : (b->level > 7 ? 7 : b->level);
            HPDF_Outline parent = NULL;
            for (int k = lvl - 1; k >= 1 && !parent; k--)
                parent = stack[k];
            HPDF_Outline o = HPDF_CreateOutline(w.pdf, parent, b->title, enc);
            if (!o)
                break;
            HPDF_Outline_SetOpened(o, lvl <= 1 ? HPDF_TRUE : HPDF_FALSE);
            HPDF_Destination dst = HPDF_Page_CreateDestination(pages[b->page]);
            if (dst) {
                HPDF_Destination_SetFitH(dst, doc->pages[b->page]->height - b->y);
                HPDF_Outline_SetDestination(o, dst);
            }
            stack[lvl] = o;
            for (int k = lvl + 1; k < 8; k++)
                stack[k] = NULL;
        }
        if (doc->outline_open)
            HPDF_SetPageMode(w.pdf, HPDF_PAGE_MODE_USE_OUTLINE);
    }
    free(pages);

    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    if (!err->code) {
        HPDF_STATUS st = HPDF_SaveToFile(w.pdf, tmp);
        if (st != HPDF_OK && !err->code)
            cl_err_set(err, CL_E_IO, "%s: cannot write (%s)", tmp, strerror(errno));
    }
    HPDF_Free(w.pdf);
    if (err->code) {
        unlink(tmp);
        return false;
    }
    if (rename(tmp, path) != 0) {
        cl_err_set(err, CL_E_IO, "%s: cannot rename to %s (%s)", tmp, path, strerror(errno));
        unlink(tmp);
        return false;
    }
    return true;
}
