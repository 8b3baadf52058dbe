/* pdf.c: the PDF device (see pdf.h).
 *
 * Beside libharu's public API this uses a few of the structures its installed headers
 * describe (libharu 2.3.0, Debian's libhpdf-dev): a page's content stream, the catalog,
 * the trailer and a font's ToUnicode stream. */
#include "pdf.h"
#include "../util/buf.h"
#include "../util/utf8.h"
#include <hpdf.h>
#include <math.h>
#include <hpdf_doc.h>
#include <hpdf_encrypt.h>
#include <hpdf_font.h>
#include <hpdf_pages.h>
#include <hpdf_streams.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zlib.h>

typedef struct pending_link {
    size_t page;           /* where the link is */
    HPDF_Rect rect;
    int target;            /* 0-based target page */
    float target_y;        /* from the top of the target page */
} pending_link;

typedef struct pdfdev {
    cl_device dev;
    cl_writer *out;
    HPDF_Doc pdf;
    cl_fonts *fonts;
    bool outline_open;
    HPDF_Font font[CL_FACE_COUNT];
    uint8_t *used[CL_FACE_COUNT];        /* code points shown, one bit each (BMP) */
    int16_t *widths[CL_FACE_COUNT];      /* their /W widths (thousandths of an em), once shown */
    /* every page so far */
    HPDF_Page *pages;
    float *heights;
    size_t n_pages, cap_pages;
    /* the page being written */
    HPDF_Page page;
    float h;
    cl_buf content;
    const char *local[CL_FACE_COUNT];    /* the fonts' resource names on this page */
    bool in_text;
    int text_face;
    float text_size, fill, stroke, lw;
    bool dashed;
    /* resolved at close */
    pending_link *links;
    size_t n_links, cap_links;
    cl_bookmark *marks;
    size_t n_marks, cap_marks;
    HPDF_MD5_CTX md5;                    /* of everything shown: the document's /ID */
    bool committed;                      /* the writer's outputs were put in place (or not) */
    z_stream z;
    bool z_ready;
    unsigned char *zbuf;
    size_t zcap;
} pdfdev;

static void on_error(HPDF_STATUS e, HPDF_STATUS detail, void *ud)
{
    cl_err *err = ud;
    if (!err->code)
        cl_err_set(err, e == HPDF_FAILD_TO_ALLOC_MEM ? CL_E_NOMEM : CL_E_RENDER,
                   "PDF library error 0x%04X (detail %u)", (unsigned)e, (unsigned)detail);
}

static void oom(pdfdev *d)
{
    cl_err_set(&d->dev.err, CL_E_NOMEM, "out of memory writing the PDF");
}

/* A number for content streams: at most three decimals (0.001 pt), no trailing zeros. */
static void num(cl_buf *b, double v)
{
    size_t at = b->len;
    cl_buf_fixed(b, v, 3);
    if (b->failed)
        return;
    size_t n = b->len;
    while (n > at && b->data[n - 1] == '0')
        n--;
    if (n > at && b->data[n - 1] == '.')
        n--;
    if (n == at) /* "0.000" trimmed to nothing */
        b->data[n++] = '0';
    b->len = n;
    b->data[n] = 0;
}

static void sp_num(cl_buf *b, double v)
{
    cl_buf_putc(b, ' ');
    num(b, v);
}

static void md5_str(pdfdev *d, const char *s)
{
    if (s)
        HPDF_MD5Update(&d->md5, (const HPDF_BYTE *)s, (HPDF_UINT32)strlen(s) + 1);
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
    HPDF_Date dt = {0};
    dt.year = tm.tm_year + 1900;
    dt.month = tm.tm_mon + 1;
    dt.day = tm.tm_mday;
    dt.hour = tm.tm_hour;
    dt.minutes = tm.tm_min;
    dt.seconds = tm.tm_sec;
    dt.ind = 'Z';
    HPDF_SetInfoDateAttr(pdf, HPDF_INFO_CREATION_DATE, dt);
    HPDF_SetInfoDateAttr(pdf, HPDF_INFO_MOD_DATE, dt);
}

static void pdf_begin_document(cl_device *dev, const cl_docinfo *info)
{
    pdfdev *d = (pdfdev *)dev;
    d->fonts = info->fonts;
    d->outline_open = info->outline_open;
    d->pdf = HPDF_New(on_error, &dev->err);
    if (!d->pdf) {
        oom(d);
        return;
    }
    HPDF_UseUTFEncodings(d->pdf);
    HPDF_SetCurrentEncoder(d->pdf, "UTF-8");
    /* fonts and maps compressed by libharu; page contents by us (end_page) */
    HPDF_SetCompressionMode(d->pdf, HPDF_COMP_METADATA | HPDF_COMP_IMAGE);
    if (info->title)
        HPDF_SetInfoAttr(d->pdf, HPDF_INFO_TITLE, info->title);
    if (info->author)
        HPDF_SetInfoAttr(d->pdf, HPDF_INFO_AUTHOR, info->author);
    if (info->subject)
        HPDF_SetInfoAttr(d->pdf, HPDF_INFO_SUBJECT, info->subject);
    if (info->keywords)
        HPDF_SetInfoAttr(d->pdf, HPDF_INFO_KEYWORDS, info->keywords);
    HPDF_SetInfoAttr(d->pdf, HPDF_INFO_CREATOR, "Classeur");
    set_date(d->pdf);
    /* the document's language, and its title in the viewer's window */
    HPDF_Catalog cat = d->pdf->catalog;
    HPDF_Dict vp = HPDF_Dict_New(d->pdf->mmgr);
    if (!vp || HPDF_Dict_AddBoolean(vp, "DisplayDocTitle", HPDF_TRUE) != HPDF_OK ||
        HPDF_Dict_Add(cat, "ViewerPreferences", vp) != HPDF_OK ||
        HPDF_Dict_Add(cat, "Lang", HPDF_String_New(d->pdf->mmgr, info->lang ? info->lang : "fr-FR", NULL)) != HPDF_OK)
        if (!dev->err.code)
            cl_err_set(&dev->err, CL_E_RENDER, "cannot set the PDF catalog's language");
    HPDF_MD5Init(&d->md5);
    md5_str(d, info->title);
    md5_str(d, info->author);
    md5_str(d, info->subject);
    md5_str(d, info->keywords);
    md5_str(d, info->lang);
}

static void pdf_begin_page(cl_device *dev, const cl_page *p, size_t index)
{
    pdfdev *d = (pdfdev *)dev;
    (void)index;
    if (!d->pdf)
        return;
    if (d->n_pages == d->cap_pages) {
        size_t cap = d->cap_pages ? d->cap_pages * 2 : 64;
        HPDF_Page *np = realloc(d->pages, cap * sizeof *np);
        if (np)
            d->pages = np;
        float *nh = np ? realloc(d->heights, cap * sizeof *nh) : NULL;
        if (!nh) {
            oom(d);
            return;
        }
        d->heights = nh;
        d->cap_pages = cap;
    }
    d->page = HPDF_AddPage(d->pdf);
    if (!d->page)
        return;
    HPDF_Page_SetWidth(d->page, p->width);
    HPDF_Page_SetHeight(d->page, p->height);
    if (p->rotate)
        HPDF_Page_SetRotate(d->page, (HPDF_UINT16)p->rotate);
    d->pages[d->n_pages] = d->page;
    d->heights[d->n_pages++] = p->height;
    d->h = p->height;
    memset(d->local, 0, sizeof d->local);
    cl_buf_clear(&d->content);
    d->in_text = false;
    d->text_face = -1;
    d->text_size = -1;
    d->fill = d->stroke = 0; /* the initial graphics state: black, 1 pt, solid */
    d->lw = 1;
    d->dashed = false;
    char head[64];
    snprintf(head, sizeof head, "page %zu %.2fx%.2f %d", d->n_pages, p->width, p->height, p->rotate);
    md5_str(d, head);
}

static HPDF_Font font_for(pdfdev *d, cl_face face)
{
    if (!d->font[face]) {
        const char *name = HPDF_LoadTTFontFromFile(d->pdf, cl_fonts_path(d->fonts, face), HPDF_TRUE);
        if (name)
            d->font[face] = HPDF_GetFont(d->pdf, name, "UTF-8");
        d->used[face] = calloc(65536 / 8, 1);
        d->widths[face] = calloc(65536, sizeof(int16_t));
        if (!d->font[face] || !d->used[face] || !d->widths[face]) {
            if (!d->dev.err.code)
                cl_err_set(&d->dev.err, CL_E_RENDER, "%s: cannot embed this font in the PDF",
                           cl_fonts_path(d->fonts, face));
            return NULL;
        }
    }
    return d->font[face];
}

static void end_text(pdfdev *d)
{
    if (d->in_text) {
        cl_buf_puts(&d->content, "ET\n");
        d->in_text = false;
    }
}

static void set_fill(pdfdev *d, float g)
{
    if (g != d->fill) {
        num(&d->content, g);
        cl_buf_puts(&d->content, " g\n");
        d->fill = g;
    }
}

static void set_stroke(pdfdev *d, float g, float lw)
{
    if (g != d->stroke) {
        num(&d->content, g);
        cl_buf_puts(&d->content, " G\n");
        d->stroke = g;
    }
    if (lw != d->lw) {
        num(&d->content, lw);
        cl_buf_puts(&d->content, " w\n");
        d->lw = lw;
    }
}

static void set_dash(pdfdev *d, float on, float off)
{
    if (on > 0) {
        cl_buf_putc(&d->content, '[');
        num(&d->content, on);
        sp_num(&d->content, off);
        cl_buf_puts(&d->content, "] 0 d\n");
        d->dashed = true;
    } else if (d->dashed) {
        cl_buf_puts(&d->content, "[] 0 d\n");
        d->dashed = false;
    }
}

static const char hexd[] = "0123456789ABCDEF";

static void pdf_glyphs(cl_device *dev, const cl_glyph_run *g)
{
    pdfdev *d = (pdfdev *)dev;
    if (!d->page || g->face >= CL_FACE_COUNT)
        return;
    HPDF_Font f = font_for(d, g->face);
    if (!f)
        return;
    if (!d->local[g->face] && !(d->local[g->face] = HPDF_Page_GetLocalFontName(d->page, f)))
        return;
    cl_buf *b = &d->content;
    if (!d->in_text) {
        cl_buf_puts(b, "BT\n");
        d->in_text = true;
    }
    if ((int)g->face != d->text_face || g->size != d->text_size) {
        cl_buf_putc(b, '/');
        cl_buf_puts(b, d->local[g->face]);
        sp_num(b, g->size);
        cl_buf_puts(b, " Tf\n");
        d->text_face = (int)g->face;
        d->text_size = g->size;
    }
    set_fill(d, g->grey);
    cl_buf_puts(b, "1 0 0 1");
    sp_num(b, g->x);
    sp_num(b, d->h - g->y);
    cl_buf_puts(b, " Tm\n");
    /* one string per word, its space included, each word moved to its own x; inside a
     * word, a glyph the font's /W widths (whole thousandths of an em) would put more than
     * 0.01 pt away from its x is moved there (a TJ adjustment) */
    uint8_t *used = d->used[g->face];
    int16_t *widths = d->widths[g->face];
    const float tol = 0.01f;
    size_t i = 0, k = 0;
    float start = 0, cursor = 0; /* the word's x, and where the next glyph would fall */
    bool open = false, adjusted = false;
    size_t word_at = 0;          /* where the word's operator starts in the buffer */
    while (i < g->len && k < g->n) {
        uint32_t cp;
        size_t l = cl_utf8_decode(g->text + i, g->len - i, &cp);
        if (!l)
            l = 1;
        if (cp > 0xFFFF)
            cp = 0xFFFD; /* outside what libharu's UTF-8 fonts encode */
        if (!(used[cp >> 3] & (1u << (cp & 7)))) {
            used[cp >> 3] |= (uint8_t)(1u << (cp & 7));
            /* puts the glyph in the subset, and gives its /W width */
            widths[cp] = (int16_t)HPDF_Font_GetUnicodeWidth(f, (HPDF_UNICODE)cp);
        }
        if (!open) {
            if (k) {
                num(b, g->dx[k] - start);
                cl_buf_puts(b, " 0 Td ");
            }
            start = g->dx[k];
            cursor = 0;
            word_at = b->len;
            cl_buf_puts(b, "[<");
            open = true;
            adjusted = false;
        } else {
            float want = g->dx[k] - start;
            if (fabsf(want - cursor) > tol) {
                cl_buf_putc(b, '>');
                num(b, (cursor - want) * 1000 / g->size);
                cl_buf_putc(b, '<');
                cursor = want;
                adjusted = true;
            }
        }
        char hx[4] = {hexd[(cp >> 12) & 15], hexd[(cp >> 8) & 15], hexd[(cp >> 4) & 15], hexd[cp & 15]};
        cl_buf_put(b, hx, 4);
        cursor += (float)widths[cp] * g->size / 1000;
        i += l;
        k++;
        bool word_end = cp == ' ' && i < g->len && g->text[i] != ' ';
        if (word_end || i >= g->len || k >= g->n) {
            if (adjusted) {
                cl_buf_puts(b, ">] TJ\n");
            } else if (!b->failed) { /* no adjustment: a plain string */
                memmove(b->data + word_at, b->data + word_at + 1, b->len - word_at - 1);
                b->len--;
                cl_buf_puts(b, "> Tj\n");
            }
            open = false;
        }
    }
}

static void pdf_fill_rect(cl_device *dev, float x, float y, float w, float h, float grey)
{
    pdfdev *d = (pdfdev *)dev;
    if (!d->page)
        return;
    end_text(d);
    set_fill(d, grey);
    cl_buf *b = &d->content;
    num(b, x);
    sp_num(b, d->h - y - h);
    sp_num(b, w);
    sp_num(b, h);
    cl_buf_puts(b, " re f\n");
}

static void pdf_frame(cl_device *dev, float x, float y, float w, float h, float lw, float grey)
{
    pdfdev *d = (pdfdev *)dev;
    if (!d->page)
        return;
    end_text(d);
    set_stroke(d, grey, lw);
    set_dash(d, 0, 0);
    cl_buf *b = &d->content;
    num(b, x);
    sp_num(b, d->h - y - h);
    sp_num(b, w);
    sp_num(b, h);
    cl_buf_puts(b, " re S\n");
}

static void pdf_rule(cl_device *dev, const cl_rule *r)
{
    pdfdev *d = (pdfdev *)dev;
    if (!d->page)
        return;
    end_text(d);
    set_stroke(d, r->grey, r->lw);
    set_dash(d, r->dash_on, r->dash_off);
    cl_buf *b = &d->content;
    num(b, r->x0);
    sp_num(b, d->h - r->y0);
    cl_buf_puts(b, " m ");
    num(b, r->x1);
    sp_num(b, d->h - r->y1);
    cl_buf_puts(b, " l S\n");
}

static void pdf_path(cl_device *dev, const cl_path *p, float x, float y, float s, float lw, float grey)
{
    pdfdev *d = (pdfdev *)dev;
    if (!d->page)
        return;
    end_text(d);
    set_fill(d, p->fill ? grey : 0);
    set_stroke(d, p->stroke && !p->fill ? grey : 0, lw > 0 ? lw : 1);
    set_dash(d, 0, 0);
    cl_buf *b = &d->content;
    for (size_t i = 0; i < p->n; i++) {
        const cl_path_seg *g = &p->segs[i];
        switch (g->cmd) {
        case 'M':
        case 'L':
            num(b, x + s * g->x);
            sp_num(b, d->h - (y + s * g->y));
            cl_buf_puts(b, g->cmd == 'M' ? " m\n" : " l\n");
            break;
        case 'C':
            num(b, x + s * g->x1);
            sp_num(b, d->h - (y + s * g->y1));
            sp_num(b, x + s * g->x2);
            sp_num(b, d->h - (y + s * g->y2));
            sp_num(b, x + s * g->x);
            sp_num(b, d->h - (y + s * g->y));
            cl_buf_puts(b, " c\n");
            break;
        case 'Z':
            cl_buf_puts(b, "h\n");
            break;
        default:
            break;
        }
    }
    cl_buf_puts(b, p->fill && p->stroke ? "B\n" : (p->fill ? "f\n" : "S\n"));
}

static void pdf_qr(cl_device *dev, const cl_qr *q, float x, float y, float m)
{
    pdfdev *d = (pdfdev *)dev;
    if (!d->page)
        return;
    end_text(d);
    set_fill(d, 0);
    cl_buf *b = &d->content;
    float ox = x + CL_QR_QUIET_PT(m), oy = y + CL_QR_QUIET_PT(m);
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
            /* one rectangle per run of dark modules: an exact module grid */
            num(b, ox + (float)s * m);
            sp_num(b, d->h - (oy + (float)(r + 1) * m));
            sp_num(b, (float)(c - s) * m);
            sp_num(b, m);
            cl_buf_puts(b, " re\n");
        }
    }
    cl_buf_puts(b, "f\n");
}

static HPDF_Rect rect_of(const pdfdev *d, float x, float y, float w, float h)
{
    return (HPDF_Rect){x, d->h - y - h, x + w, d->h - y};
}

static void pdf_link_uri(cl_device *dev, float x, float y, float w, float h, const char *uri)
{
    pdfdev *d = (pdfdev *)dev;
    if (!d->page)
        return;
    HPDF_Annotation an = HPDF_Page_CreateURILinkAnnot(d->page, rect_of(d, x, y, w, h), uri);
    if (an)
        HPDF_LinkAnnot_SetBorderStyle(an, 0, 0, 0);
    md5_str(d, uri);
}

static void pdf_link_page(cl_device *dev, float x, float y, float w, float h, int page, float ty)
{
    pdfdev *d = (pdfdev *)dev;
    if (!d->page)
        return;
    if (d->n_links == d->cap_links) {
        size_t cap = d->cap_links ? d->cap_links * 2 : 64;
        pending_link *nl = realloc(d->links, cap * sizeof *nl);
        if (!nl) {
            oom(d);
            return;
        }
        d->links = nl;
        d->cap_links = cap;
    }
    d->links[d->n_links++] = (pending_link){d->n_pages - 1, rect_of(d, x, y, w, h), page, ty};
}

/* Called by libharu while it writes a content stream's dictionary, after its keys. */
static HPDF_STATUS write_flate_filter(HPDF_Dict dict, HPDF_Stream stream)
{
    (void)dict;
    return HPDF_Stream_WriteStr(stream, "/Filter /FlateDecode\012");
}

/* Compress the page's content and give it to libharu as its content stream. */
static void pdf_end_page(cl_device *dev)
{
    pdfdev *d = (pdfdev *)dev;
    if (!d->page)
        return;
    end_text(d);
    cl_buf *b = &d->content;
    if (b->failed) {
        oom(d);
        return;
    }
    HPDF_MD5Update(&d->md5, (const HPDF_BYTE *)(b->data ? b->data : ""), (HPDF_UINT32)b->len);
    if (!d->z_ready) {
        if (deflateInit(&d->z, 6) != Z_OK) {
            oom(d);
            return;
        }
        d->z_ready = true;
    }
    size_t need = deflateBound(&d->z, (uLong)b->len);
    if (need > d->zcap) {
        unsigned char *nz = realloc(d->zbuf, need);
        if (!nz) {
            oom(d);
            return;
        }
        d->zbuf = nz;
        d->zcap = need;
    }
    deflateReset(&d->z);
    d->z.next_in = (Bytef *)(b->data ? b->data : "");
    d->z.avail_in = (uInt)b->len;
    d->z.next_out = d->zbuf;
    d->z.avail_out = (uInt)d->zcap;
    if (deflate(&d->z, Z_FINISH) != Z_STREAM_END) {
        cl_err_set(&dev->err, CL_E_RENDER, "cannot compress a page of the PDF");
        return;
    }
    HPDF_PageAttr attr = (HPDF_PageAttr)d->page->attr;
    if (attr->contents->write_fn || attr->contents->filter != HPDF_STREAM_FILTER_NONE) {
        cl_err_set(&dev->err, CL_E_RENDER, "this libharu writes page contents in a way Classeur does not know");
        return;
    }
    /* libharu writes the stream as it is; its dictionary gets the filter from us */
    attr->contents->write_fn = write_flate_filter;
    if (HPDF_Stream_Write(attr->stream, d->zbuf, (HPDF_UINT)(d->zcap - d->z.avail_out)) != HPDF_OK) {
        if (!dev->err.code)
            oom(d);
        return;
    }
    d->page = NULL;
}

static void pdf_bookmark(cl_device *dev, const cl_bookmark *bm)
{
    pdfdev *d = (pdfdev *)dev;
    if (d->n_marks == d->cap_marks) {
        size_t cap = d->cap_marks ? d->cap_marks * 2 : 32;
        cl_bookmark *nm = realloc(d->marks, cap * sizeof *nm);
        if (!nm) {
            oom(d);
            return;
        }
        d->marks = nm;
        d->cap_marks = cap;
    }
    char *t = strdup(bm->title ? bm->title : "");
    if (!t) {
        oom(d);
        return;
    }
    d->marks[d->n_marks] = *bm;
    d->marks[d->n_marks++].title = t;
    md5_str(d, t);
}

/* The font's ToUnicode map, rebuilt: one bfchar entry per character shown. */
static bool fix_tounicode(pdfdev *d, cl_face face)
{
    HPDF_FontAttr attr = (HPDF_FontAttr)d->font[face]->attr;
    HPDF_Dict cm = attr ? attr->cmap_stream : NULL;
    if (!cm || !cm->stream) {
        cl_err_set(&d->dev.err, CL_E_RENDER, "%s: libharu gave this font no ToUnicode map to repair",
                   cl_fonts_path(d->fonts, face));
        return false;
    }
    cl_buf b = {0};
    cl_buf_puts(&b, "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
                    "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
                    "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
                    "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n");
    const uint8_t *used = d->used[face];
    uint32_t codes[100];
    size_t n = 0;
    for (uint32_t cp = 0; cp <= 0x10000; cp++) {
        bool in = cp < 0x10000 && (used[cp >> 3] & (1u << (cp & 7))) && !(cp >= 0xD800 && cp <= 0xDFFF);
        if (in)
            codes[n++] = cp;
        if (n == 100 || (cp == 0x10000 && n)) {
            cl_buf_printf(&b, "%zu beginbfchar\n", n);
            for (size_t i = 0; i < n; i++)
                cl_buf_printf(&b, "<%04X> <%04X>\n", (unsigned)codes[i], (unsigned)codes[i]);
            cl_buf_puts(&b, "endbfchar\n");
            n = 0;
        }
    }
    cl_buf_puts(&b, "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
    bool ok = !b.failed;
    if (ok) {
        HPDF_MemStream_FreeData(cm->stream);
        ok = HPDF_Stream_Write(cm->stream, (const HPDF_BYTE *)b.data, (HPDF_UINT)b.len) == HPDF_OK;
        /* a ToUnicode stream is a plain stream: no CMap dictionary entries */
        static const char *const keys[] = {"Type", "CMapName", "CIDSystemInfo", "WMode"};
        for (size_t i = 0; ok && i < sizeof keys / sizeof keys[0]; i++)
            HPDF_Dict_RemoveElement(cm, keys[i]);
        HPDF_Error_Reset(&d->pdf->error); /* a key libharu did not write is not an error */
    }
    cl_buf_free(&b);
    if (!ok && !d->dev.err.code)
        cl_err_set(&d->dev.err, CL_E_RENDER, "%s: cannot repair the font's ToUnicode map",
                   cl_fonts_path(d->fonts, face));
    return ok;
}

static void add_links_and_outline(pdfdev *d)
{
    for (size_t i = 0; i < d->n_links && !d->dev.err.code; i++) {
        const pending_link *l = &d->links[i];
        if (l->target < 0 || (size_t)l->target >= d->n_pages)
            continue;
        HPDF_Destination dst = HPDF_Page_CreateDestination(d->pages[l->target]);
        if (dst) {
            HPDF_Destination_SetFitH(dst, d->heights[l->target] - l->target_y);
            HPDF_Annotation an = HPDF_Page_CreateLinkAnnot(d->pages[l->page], l->rect, dst);
            if (an)
                HPDF_LinkAnnot_SetBorderStyle(an, 0, 0, 0);
        }
    }
    if (!d->n_marks || d->dev.err.code)
        return;
    HPDF_Encoder enc = HPDF_GetEncoder(d->pdf, "UTF-8");
    HPDF_Outline stack[8] = {0};
    for (size_t i = 0; i < d->n_marks && !d->dev.err.code; i++) {
        const cl_bookmark *b = &d->marks[i];
        if (b->page < 0 || (size_t)b->page >= d->n_pages)
            continue;
        int lvl = b->level < 1 ? 1 : (b->level > 7 ? 7 : b->level);
        HPDF_Outline parent = NULL;
        for (int k = lvl - 1; k >= 1 && !parent; k--)
            parent = stack[k];
        HPDF_Outline o = HPDF_CreateOutline(d->pdf, parent, b->title, enc);
        if (!o)
            break;
        HPDF_Outline_SetOpened(o, lvl <= 1 ? HPDF_TRUE : HPDF_FALSE);
        HPDF_Destination dst = HPDF_Page_CreateDestination(d->pages[b->page]);
        if (dst) {
            HPDF_Destination_SetFitH(dst, d->heights[b->page] - b->y);
            HPDF_Outline_SetDestination(o, dst);
        }
        stack[lvl] = o;
        for (int k = lvl + 1; k < 8; k++)
            stack[k] = NULL;
    }
    if (d->outline_open)
        HPDF_SetPageMode(d->pdf, HPDF_PAGE_MODE_USE_OUTLINE);
}

static bool pdf_close(cl_device *dev)
{
    pdfdev *d = (pdfdev *)dev;
    if (!d->pdf)
        pdf_begin_document(dev, &(cl_docinfo){0});
    if (d->page)
        pdf_end_page(dev);
    if (dev->err.code)
        return false;
    add_links_and_outline(d);
    for (int f = 0; f < CL_FACE_COUNT && !dev->err.code; f++)
        if (d->font[f])
            fix_tounicode(d, (cl_face)f);
    /* the document's identifier: a digest of what it shows, the same for the same document */
    HPDF_BYTE id[16];
    HPDF_MD5Final(id, &d->md5);
    HPDF_Array ids = HPDF_Array_New(d->pdf->mmgr);
    if (!dev->err.code && (!ids || HPDF_Array_Add(ids, HPDF_Binary_New(d->pdf->mmgr, id, 16)) != HPDF_OK ||
                           HPDF_Array_Add(ids, HPDF_Binary_New(d->pdf->mmgr, id, 16)) != HPDF_OK ||
                           HPDF_Dict_Add(d->pdf->trailer, "ID", ids) != HPDF_OK) && !dev->err.code)
        oom(d);
    if (dev->err.code || HPDF_SaveToStream(d->pdf) != HPDF_OK) {
        if (!dev->err.code)
            cl_err_set(&dev->err, CL_E_RENDER, "libharu could not write the PDF");
        return false;
    }
    if (!d->out->begin(d->out, 0, &dev->err))
        return false;
    bool ok = true;
    HPDF_ResetStream(d->pdf);
    for (;;) {
        HPDF_BYTE chunk[1 << 16];
        HPDF_UINT32 got = sizeof chunk;
        HPDF_STATUS st = HPDF_ReadFromStream(d->pdf, chunk, &got);
        if (got && !d->out->write(d->out, chunk, got, &dev->err)) {
            ok = false;
            break;
        }
        if (st == HPDF_STREAM_EOF)
            break;
        if (st != HPDF_OK) {
            cl_err_set(&dev->err, CL_E_RENDER, "cannot read the PDF back from libharu");
            ok = false;
            break;
        }
    }
    if (!d->out->end(d->out, ok, &dev->err))
        ok = false;
    if (!d->out->commit(d->out, ok, &dev->err))
        ok = false;
    d->committed = true;
    return ok && !dev->err.code;
}

static void pdf_drop(cl_device *dev)
{
    pdfdev *d = (pdfdev *)dev;
    if (d->pdf)
        HPDF_Free(d->pdf);
    if (!d->committed)
        d->out->commit(d->out, false, &dev->err);
    for (int f = 0; f < CL_FACE_COUNT; f++) {
        free(d->used[f]);
        free(d->widths[f]);
    }
    for (size_t i = 0; i < d->n_marks; i++)
        free((char *)d->marks[i].title);
    free(d->marks);
    free(d->links);
    free(d->pages);
    free(d->heights);
    free(d->zbuf);
    if (d->z_ready)
        deflateEnd(&d->z);
    cl_buf_free(&d->content);
    free(d);
}

cl_device *cl_pdf_device_new(cl_writer *out)
{
    pdfdev *d = calloc(1, sizeof *d);
    if (!d)
        return NULL;
    d->out = out;
    d->dev.begin_document = pdf_begin_document;
    d->dev.begin_page = pdf_begin_page;
    d->dev.glyphs = pdf_glyphs;
    d->dev.rule = pdf_rule;
    d->dev.fill_rect = pdf_fill_rect;
    d->dev.frame = pdf_frame;
    d->dev.path = pdf_path;
    d->dev.qr = pdf_qr;
    d->dev.link_uri = pdf_link_uri;
    d->dev.link_page = pdf_link_page;
    d->dev.end_page = pdf_end_page;
    d->dev.bookmark = pdf_bookmark;
    d->dev.close = pdf_close;
    d->dev.drop = pdf_drop;
    return &d->dev;
}
