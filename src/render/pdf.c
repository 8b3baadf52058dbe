/* pdf.c: libharu backend (see pdf.h). */
#include "pdf.h"
#include "../util/buf.h"
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

/* ---- ToUnicode repair ---------------------------------------------------------------
 * libharu 2.3's UTF-8 mode writes text as 2-byte codes equal to the Unicode code points
 * (Identity-H), but gives each font a "ToUnicode" CMap built with cidrange operators,
 * which are not allowed there: poppler warns, and other readers may not copy the text
 * right. We replace those streams with a valid identity map (bfrange, one range per high
 * byte) and rebuild the cross-reference table. U+00A0 and U+202F then copy as themselves. */

static const char *find_mem(const char *hay, size_t n, const char *needle, size_t from)
{
    size_t k = strlen(needle);
    for (size_t i = from; i + k <= n; i++)
        if (hay[i] == needle[0] && !memcmp(hay + i, needle, k))
            return hay + i;
    return NULL;
}

/* Offset of "N 0 obj" at a line start, or (size_t)-1. */
static size_t object_offset(const char *d, size_t n, int num)
{
    char pat[32];
    int l = snprintf(pat, sizeof pat, "%d 0 obj", num);
    for (size_t i = 0; i + (size_t)l <= n; i++)
        if ((i == 0 || d[i - 1] == '\n' || d[i - 1] == '\r') && !memcmp(d + i, pat, (size_t)l))
            return i;
    return (size_t)-1;
}

static void identity_tounicode(cl_buf *b)
{
    cl_buf_puts(b, "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
                   "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
                   "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
                   "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n");
    for (int block = 0; block < 256; block += 100) {
        int n = 256 - block < 100 ? 256 - block : 100;
        cl_buf_printf(b, "%d beginbfrange\n", n);
        for (int h = block; h < block + n; h++) {
            if (h >= 0xD8 && h <= 0xDF) /* surrogates are not characters: map them to U+FFFD */
                cl_buf_printf(b, "<%02X00> <%02XFF> <FFFD>\n", h, h);
            else
                cl_buf_printf(b, "<%02X00> <%02XFF> <%02X00>\n", h, h, h);
        }
        cl_buf_puts(b, "endbfrange\n");
    }
    cl_buf_puts(b, "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
}

static bool repair_tounicode(const char *d, size_t n, cl_buf *out)
{
    /* the objects named by /ToUnicode */
    int nums[64];
    size_t k = 0;
    for (const char *p = find_mem(d, n, "/ToUnicode ", 0); p && k < 64; p = find_mem(d, n, "/ToUnicode ", (size_t)(p - d) + 1))
        nums[k++] = atoi(p + 11);
    const char *xref = NULL;
    for (const char *p = find_mem(d, n, "\nxref", 0); p; p = find_mem(d, n, "\nxref", (size_t)(p - d) + 1))
        xref = p + 1;
    const char *trailer = xref ? find_mem(d, n, "trailer", (size_t)(xref - d)) : NULL;
    const char *startxref = trailer ? find_mem(d, n, "startxref", (size_t)(trailer - d)) : NULL;
    if (!xref || !trailer || !startxref)
        return false;
    int size = 0;
    const char *sz = find_mem(d, n, "/Size ", (size_t)(trailer - d));
    if (!sz || (size = atoi(sz + 6)) <= 0 || size > 1000000)
        return false;
    /* copy the body, replacing the ToUnicode objects */
    size_t body_end = (size_t)(xref - d), pos = 0;
    cl_buf cmap = {0};
    identity_tounicode(&cmap);
    while (pos < body_end) {
        size_t next = body_end;
        int which = -1;
        for (size_t i = 0; i < k; i++) {
            size_t o = object_offset(d, body_end, nums[i]);
            if (o != (size_t)-1 && o >= pos && o < next) {
                next = o;
                which = nums[i];
            }
        }
        cl_buf_put(out, d + pos, next - pos);
        if (which < 0)
            break;
        const char *end = find_mem(d, body_end, "endobj", next);
        if (!end) {
            cl_buf_free(&cmap);
            return false;
        }
        cl_buf_printf(out, "%d 0 obj\n<<\n/Length %zu\n>>\nstream\n", which, cmap.len);
        cl_buf_put(out, cmap.data, cmap.len);
        cl_buf_puts(out, "endstream\nendobj");
        pos = (size_t)(end - d) + 6;
    }
    cl_buf_free(&cmap);
    /* a new cross-reference table for the new offsets */
    size_t xref_at = out->len;
    cl_buf_printf(out, "xref\n0 %d\n0000000000 65535 f\r\n", size);
    for (int i = 1; i < size; i++) {
        size_t o = object_offset(out->data, xref_at, i);
        if (o == (size_t)-1)
            cl_buf_puts(out, "0000000000 65535 f\r\n");
        else
            cl_buf_printf(out, "%010zu 00000 n\r\n", o);
    }
    cl_buf_put(out, trailer, (size_t)(startxref - trailer));
    cl_buf_printf(out, "startxref\n%zu\n%%%%EOF\n", xref_at);
    return !out->failed;
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
    cl_buf raw = {0}, fixed = {0};
    if (!err->code && HPDF_SaveToStream(w.pdf) == HPDF_OK) {
        HPDF_UINT32 size = HPDF_GetStreamSize(w.pdf);
        char *data = malloc(size ? size : 1);
        HPDF_UINT32 got = size;
        if (data && HPDF_ReadFromStream(w.pdf, (HPDF_BYTE *)data, &got) <= HPDF_STREAM_EOF && got == size) {
            if (!repair_tounicode(data, size, &fixed)) {
                cl_buf_free(&fixed);
                cl_buf_put(&fixed, data, size); /* keep libharu's bytes as they are */
            }
        } else if (!err->code) {
            cl_err_set(err, CL_E_NOMEM, "%s: out of memory writing the PDF", path);
        }
        free(data);
    }
    HPDF_Free(w.pdf);
    if (!err->code) {
        FILE *f = fopen(tmp, "wb");
        bool ok = f && fwrite(fixed.data, 1, fixed.len, f) == fixed.len && !fixed.failed;
        if (f && fclose(f) != 0)
            ok = false;
        if (!ok)
            cl_err_set(err, CL_E_IO, "%s: cannot write (%s)", tmp, strerror(errno));
    }
    cl_buf_free(&raw);
    cl_buf_free(&fixed);
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
