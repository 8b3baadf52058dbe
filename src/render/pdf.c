/* pdf.c: the PDF device (see pdf.h).
 *
 * While pages arrive the device only writes and compresses their content streams; it
 * hands everything to libharu at close(): the pages with their contents, fonts,
 * links, bookmarks. libharu's font set-up (its CID maps cost a few milliseconds a face)
 * meanwhile runs on a thread of its own for the faces the document announced it uses
 * (cl_docinfo.faces): that thread alone touches the libharu document until close joins
 * it.
 *
 * Beside libharu's public API this uses structures its installed headers describe
 * (libharu 2.3.0, Debian's libhpdf-dev): a page's content stream, the catalog, the
 * trailer, and a font's ToUnicode map, width array, CIDToGIDMap and descriptor, which
 * the device fills itself. The embedded font program is a subset made with HarfBuzz
 * (hb-subset, glyph ids kept, no hinting), far smaller than libharu's. */
#include "pdf.h"
#include "../util/buf.h"
#include "../util/utf8.h"
#include <hb-subset.h>
#include <hb.h>
#include <hpdf.h>
#include <hpdf_doc.h>
#include <hpdf_encrypt.h>
#include <hpdf_font.h>
#include <hpdf_fontdef.h>
#include <hpdf_pages.h>
#include <hpdf_streams.h>
#include <ft2build.h>
#include FT_FREETYPE_H
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zlib.h>

typedef struct page_link {
    size_t page;           /* where the link is */
    HPDF_Rect rect;
    int target;            /* 0-based target page, or -1 for an address */
    float target_y;        /* from the top of the target page */
    char *uri;
} page_link;

typedef struct pdfpage {
    float width, height;
    int rotate;
    unsigned char *z;      /* the compressed content stream (heap) */
    size_t zlen;
    uint8_t faces[CL_FACE_COUNT]; /* the faces it shows, in the order of their names F1, F2… */
    int n_faces;
    uint32_t *codes;       /* the QR symbols it shows (indexes into pdfdev.codes), in the
                              order of their names X1, X2… (heap) */
    size_t n_codes;
} pdfpage;

/* A QR symbol, drawn as an image of one sample a module (a few hundred bytes compressed
 * where its rectangles would take kilobytes), made once however often it is shown. */
typedef struct qrsym {
    int width;
    uint8_t *bits;         /* width rows of (width + 7) / 8 bytes, 1 = dark (heap) */
    uint64_t hash;
    HPDF_Image image;      /* made at close */
} qrsym;

/* A page's content on its way to compression (the worker thread's queue). */
typedef struct zjob {
    size_t page;
    char *raw;             /* the content stream as written (heap) */
    size_t rawlen;
    unsigned char *z;      /* compressed, once done (heap) */
    size_t zlen;
    bool failed;
    struct zjob *next;
} zjob;

typedef struct pdfdev {
    cl_device dev;
    cl_writer *out;
    cl_fonts *fonts;
    bool outline_open;
    HPDF_Doc pdf;
    cl_err lib_err;                      /* libharu's first error */
    HPDF_Font font[CL_FACE_COUNT];
    unsigned faces_hint;                 /* faces loaded by the thread */
    pthread_t thread;
    bool thread_running;
    /* the worker thread, after the fonts, compresses the pages as they come */
    pthread_mutex_t lock;
    pthread_cond_t more;                 /* a page queued, or no more to come */
    zjob *queue, *queue_tail;            /* pages to compress */
    zjob *done;                          /* pages compressed */
    bool no_more;                        /* close: the last page was queued */
    uint8_t *used[CL_FACE_COUNT];        /* code points shown, one bit each (BMP) */
    /* every page so far */
    pdfpage *pages;
    size_t n_pages, cap_pages;
    /* the page being written */
    bool in_page;
    float h;
    cl_buf content;
    int8_t local[CL_FACE_COUNT];         /* each face's name on this page: F(local+1), -1 not yet */
    bool in_text;
    int text_face;
    float text_size, fill, stroke, lw;
    bool dashed;
    qrsym *codes;                        /* every distinct QR symbol shown */
    size_t n_codes, cap_codes;
    /* resolved at close */
    page_link *links;
    size_t n_links, cap_links;
    cl_bookmark *marks;
    size_t n_marks, cap_marks;
    HPDF_MD5_CTX md5;                    /* of everything shown: the document's /ID */
    bool committed;                      /* the writer's outputs were put in place (or not) */
    z_stream z;
    bool z_ready;
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

/* libharu's font for face, made when first needed. NULL with lib_err set on failure.
 *
 * libharu's UTF-8 font builds a width array and a CIDToGIDMap for every one of the
 * 65,536 codes by looking each up in the font's cmap (some 5 ms a face); the device
 * replaces both with its own for the characters shown (font_maps), so libharu is given
 * an empty cmap first and its tables come out empty at once. */
static HPDF_Font load_font(pdfdev *d, cl_face face)
{
    if (!d->font[face]) {
        const char *name = HPDF_LoadTTFontFromFile(d->pdf, cl_fonts_path(d->fonts, face), HPDF_TRUE);
        HPDF_FontDef def = name ? HPDF_GetFontDef(d->pdf, name) : NULL;
        HPDF_TTFontDefAttr attr = def ? (HPDF_TTFontDefAttr)def->attr : NULL;
        if (attr && attr->cmap.seg_count_x2 >= 2 && attr->cmap.end_count && attr->cmap.start_count) {
            attr->cmap.seg_count_x2 = 2; /* one segment, the 0xFFFF terminator: no code has a glyph */
            attr->cmap.end_count[0] = 0xFFFF;
            attr->cmap.start_count[0] = 0xFFFF;
        }
        if (name)
            d->font[face] = HPDF_GetFont(d->pdf, name, "UTF-8");
        if (!d->font[face] && !d->lib_err.code)
            cl_err_set(&d->lib_err, CL_E_RENDER, "%s: cannot embed this font in the PDF",
                       cl_fonts_path(d->fonts, face));
    }
    return d->font[face];
}

/* Compress one page's content (the worker, or the main thread without one). */
static void compress_job(z_stream *z, zjob *j)
{
    size_t cap = deflateBound(z, (uLong)j->rawlen);
    j->z = malloc(cap ? cap : 1);
    if (!j->z || deflateReset(z) != Z_OK) {
        j->failed = true;
        return;
    }
    z->next_in = (Bytef *)(j->raw ? j->raw : "");
    z->avail_in = (uInt)j->rawlen;
    z->next_out = j->z;
    z->avail_out = (uInt)cap;
    if (deflate(z, Z_FINISH) != Z_STREAM_END) {
        j->failed = true;
        return;
    }
    j->zlen = cap - z->avail_out;
    free(j->raw);
    j->raw = NULL;
}

/* The worker thread: libharu's set-up of the faces announced, then the pages'
 * compression, while the main thread composes and writes the pages. Only this thread
 * touches the libharu document until close() joins it. */
static void *worker(void *arg)
{
    pdfdev *d = arg;
    for (int f = 0; f < CL_FACE_COUNT && !d->lib_err.code; f++)
        if (d->faces_hint & (1u << f))
            load_font(d, (cl_face)f);
    z_stream z = {0};
    bool zok = deflateInit(&z, 6) == Z_OK;
    pthread_mutex_lock(&d->lock);
    for (;;) {
        while (!d->queue && !d->no_more)
            pthread_cond_wait(&d->more, &d->lock);
        zjob *j = d->queue;
        if (!j)
            break; /* no more to come */
        d->queue = j->next;
        if (!d->queue)
            d->queue_tail = NULL;
        pthread_mutex_unlock(&d->lock);
        if (zok)
            compress_job(&z, j);
        else
            j->failed = true;
        pthread_mutex_lock(&d->lock);
        j->next = d->done;
        d->done = j;
    }
    pthread_mutex_unlock(&d->lock);
    if (zok)
        deflateEnd(&z);
    return NULL;
}

/* Wait for the worker to finish (every page queued compressed) and take the pages. */
static void join_worker(pdfdev *d)
{
    if (!d->thread_running)
        return;
    pthread_mutex_lock(&d->lock);
    d->no_more = true;
    pthread_cond_signal(&d->more);
    pthread_mutex_unlock(&d->lock);
    pthread_join(d->thread, NULL);
    d->thread_running = false;
}

static void pdf_begin_document(cl_device *dev, const cl_docinfo *info)
{
    pdfdev *d = (pdfdev *)dev;
    d->fonts = info->fonts;
    d->outline_open = info->outline_open;
    d->pdf = HPDF_New(on_error, &d->lib_err);
    if (!d->pdf) {
        oom(d);
        return;
    }
    HPDF_UseUTFEncodings(d->pdf);
    HPDF_SetCurrentEncoder(d->pdf, "UTF-8");
    /* fonts and maps compressed by libharu; page contents by the device */
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
        HPDF_Dict_Add(cat, "Lang", HPDF_String_New(d->pdf->mmgr, info->lang ? info->lang : "fr-FR", NULL)) != HPDF_OK) {
        cl_err_set(&dev->err, CL_E_RENDER, "cannot set the PDF catalog's language");
        return;
    }
    if (d->lib_err.code) {
        dev->err = d->lib_err;
        return;
    }
    HPDF_MD5Init(&d->md5);
    md5_str(d, info->title);
    md5_str(d, info->author);
    md5_str(d, info->subject);
    md5_str(d, info->keywords);
    md5_str(d, info->lang);
    /* libharu's font set-up for the faces the document uses, then the pages'
     * compression, on a thread of their own while the pages are written */
    d->faces_hint = d->fonts ? info->faces : 0;
    if (pthread_create(&d->thread, NULL, worker, d) == 0)
        d->thread_running = true;
}

static void pdf_begin_page(cl_device *dev, const cl_page *p, size_t index)
{
    pdfdev *d = (pdfdev *)dev;
    (void)index;
    if (!d->pdf)
        return;
    if (d->n_pages == d->cap_pages) {
        size_t cap = d->cap_pages ? d->cap_pages * 2 : 64;
        pdfpage *np = realloc(d->pages, cap * sizeof *np);
        if (!np) {
            oom(d);
            return;
        }
        d->pages = np;
        d->cap_pages = cap;
    }
    pdfpage *pg = &d->pages[d->n_pages++];
    memset(pg, 0, sizeof *pg);
    pg->width = p->width;
    pg->height = p->height;
    pg->rotate = p->rotate;
    d->in_page = true;
    d->h = p->height;
    memset(d->local, -1, sizeof d->local);
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

static void pdf_glyphs(cl_device *dev, const cl_glyph_run *g)
{
    pdfdev *d = (pdfdev *)dev;
    if (!d->in_page || g->face >= CL_FACE_COUNT || !d->fonts)
        return;
    if (!d->used[g->face] && !(d->used[g->face] = calloc(65536 / 8, 1))) {
        oom(d);
        return;
    }
    pdfpage *pg = &d->pages[d->n_pages - 1];
    if (d->local[g->face] < 0) { /* the face's name on this page: F1, F2… in order of first use */
        d->local[g->face] = (int8_t)pg->n_faces;
        pg->faces[pg->n_faces++] = (uint8_t)g->face;
    }
    cl_buf *b = &d->content;
    if (!d->in_text) {
        cl_buf_puts(b, "BT\n");
        d->in_text = true;
    }
    if ((int)g->face != d->text_face || g->size != d->text_size) {
        cl_buf_printf(b, "/F%d", d->local[g->face] + 1);
        sp_num(b, g->size);
        cl_buf_puts(b, " Tf\n");
        d->text_face = (int)g->face;
        d->text_size = g->size;
    }
    set_fill(d, g->grey);
    cl_buf_puts(b, "1 0 0 1");
    sp_num(b, g->x);
    sp_num(b, d->h - g->y);
    cl_buf_puts(b, " Tm\n[(");
    /* one TJ for the run: the characters as 2-byte codes in a literal string, and where
     * a glyph is not where the font's widths (whole thousandths of an em, the unit of the
     * PDF's /W array) put it — a word after a justified space, most often — the move
     * that brings it there, in thousandths of the size (none under 0.01 pt) */
    uint8_t *used = d->used[g->face];
    const float tol = 0.01f;
    size_t i = 0, k = 0;
    float cursor = 0; /* where the next glyph would fall, from the run's origin */
    while (i < g->len && k < g->n) {
        uint32_t cp;
        size_t l = cl_utf8_decode(g->text + i, g->len - i, &cp);
        if (!l)
            l = 1;
        if (cp > 0xFFFF)
            cp = 0xFFFD; /* outside what libharu's UTF-8 fonts encode */
        used[cp >> 3] |= (uint8_t)(1u << (cp & 7));
        float want = g->dx[k];
        if (k && fabsf(want - cursor) > tol) {
            cl_buf_putc(b, ')');
            double adj = (cursor - want) * 1000.0 / g->size;
            size_t at = b->len;
            cl_buf_fixed(b, adj, 1);
            if (!b->failed && b->len >= at + 2 && b->data[b->len - 1] == '0' && b->data[b->len - 2] == '.')
                b->len -= 2; /* "12.0" → "12" */
            cl_buf_putc(b, '(');
            cursor = want;
        }
        unsigned char hi = (unsigned char)(cp >> 8), lo = (unsigned char)cp;
        unsigned char bytes[2] = {hi, lo};
        for (int m = 0; m < 2; m++) { /* a literal string: ( ) \ escaped, CR written \r */
            unsigned char c = bytes[m];
            if (c == '(' || c == ')' || c == '\\') {
                cl_buf_putc(b, '\\');
                cl_buf_putc(b, (char)c);
            } else if (c == '\r') {
                cl_buf_puts(b, "\\r");
            } else {
                cl_buf_putc(b, (char)c);
            }
        }
        cursor += (float)(floor(cl_fonts_advance(d->fonts, g->face, cp) * 1000 + 0.5) * g->size / 1000);
        i += l;
        k++;
    }
    cl_buf_puts(b, ")] TJ\n");
}

static void pdf_fill_rect(cl_device *dev, float x, float y, float w, float h, float grey)
{
    pdfdev *d = (pdfdev *)dev;
    if (!d->in_page)
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
    if (!d->in_page)
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
    if (!d->in_page)
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
    if (!d->in_page)
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

/* The index of q among the symbols shown (added when new); -1 when out of memory. */
static long code_index(pdfdev *d, const cl_qr *q)
{
    uint64_t h = 1469598103934665603ull;
    size_t n = (size_t)q->width * (size_t)q->width;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (q->modules[i] ? 1u : 0u)) * 1099511628211ull;
    size_t row = ((size_t)q->width + 7) / 8;
    for (size_t i = 0; i < d->n_codes; i++) /* a document shows a few hundred codes at most */
        if (d->codes[i].hash == h && d->codes[i].width == q->width) {
            bool same = true;
            for (int r = 0; r < q->width && same; r++)
                for (int c = 0; c < q->width && same; c++)
                    same = !!(d->codes[i].bits[(size_t)r * row + (size_t)c / 8] & (0x80 >> (c % 8))) ==
                           !!q->modules[r * q->width + c];
            if (same)
                return (long)i;
        }
    if (d->n_codes == d->cap_codes) {
        size_t cap = d->cap_codes ? d->cap_codes * 2 : 16;
        qrsym *nc = realloc(d->codes, cap * sizeof *nc);
        if (!nc)
            return -1;
        d->codes = nc;
        d->cap_codes = cap;
    }
    uint8_t *bits = calloc(row * (size_t)q->width + 1, 1);
    if (!bits)
        return -1;
    for (int r = 0; r < q->width; r++)
        for (int c = 0; c < q->width; c++)
            if (q->modules[r * q->width + c])
                bits[(size_t)r * row + (size_t)c / 8] |= (uint8_t)(0x80 >> (c % 8));
    d->codes[d->n_codes] = (qrsym){q->width, bits, h, NULL};
    return (long)d->n_codes++;
}

static void pdf_qr(cl_device *dev, const cl_qr *q, float x, float y, float m)
{
    pdfdev *d = (pdfdev *)dev;
    if (!d->in_page)
        return;
    long ci = code_index(d, q);
    pdfpage *pg = &d->pages[d->n_pages - 1];
    size_t k = 0;
    while (ci >= 0 && k < pg->n_codes && pg->codes[k] != (uint32_t)ci)
        k++;
    if (ci >= 0 && k == pg->n_codes) { /* the symbol's name on this page: X1, X2… in order of first use */
        uint32_t *nc = realloc(pg->codes, (pg->n_codes + 1) * sizeof *nc);
        if (!nc) {
            ci = -1;
        } else {
            pg->codes = nc;
            pg->codes[pg->n_codes++] = (uint32_t)ci;
        }
    }
    if (ci < 0) {
        oom(d);
        return;
    }
    end_text(d);
    /* the symbol without its quiet zone (white paper), its modules exactly m wide */
    cl_buf *b = &d->content;
    float side = (float)q->width * m;
    cl_buf_puts(b, "q ");
    num(b, side);
    cl_buf_puts(b, " 0 0 ");
    num(b, side);
    sp_num(b, x + CL_QR_QUIET_PT(m));
    sp_num(b, d->h - (y + CL_QR_QUIET_PT(m)) - side);
    cl_buf_printf(b, " cm /X%zu Do Q\n", k + 1);
}

static HPDF_Rect rect_of(const pdfdev *d, float x, float y, float w, float h)
{
    return (HPDF_Rect){x, d->h - y - h, x + w, d->h - y};
}

static void add_link(pdfdev *d, HPDF_Rect r, int target, float ty, const char *uri)
{
    if (d->n_links == d->cap_links) {
        size_t cap = d->cap_links ? d->cap_links * 2 : 64;
        page_link *nl = realloc(d->links, cap * sizeof *nl);
        if (!nl) {
            oom(d);
            return;
        }
        d->links = nl;
        d->cap_links = cap;
    }
    char *u = uri ? strdup(uri) : NULL;
    if (uri && !u) {
        oom(d);
        return;
    }
    d->links[d->n_links++] = (page_link){d->n_pages - 1, r, target, ty, u};
}

static void pdf_link_uri(cl_device *dev, float x, float y, float w, float h, const char *uri)
{
    pdfdev *d = (pdfdev *)dev;
    if (!d->in_page)
        return;
    add_link(d, rect_of(d, x, y, w, h), -1, 0, uri);
    md5_str(d, uri);
}

static void pdf_link_page(cl_device *dev, float x, float y, float w, float h, int page, float ty)
{
    pdfdev *d = (pdfdev *)dev;
    if (!d->in_page || page < 0)
        return;
    add_link(d, rect_of(d, x, y, w, h), page, ty, NULL);
}

/* Queue the page's content for compression (done on the spot without a worker). */
static void pdf_end_page(cl_device *dev)
{
    pdfdev *d = (pdfdev *)dev;
    if (!d->in_page)
        return;
    end_text(d);
    d->in_page = false;
    cl_buf *b = &d->content;
    if (b->failed) {
        oom(d);
        return;
    }
    HPDF_MD5Update(&d->md5, (const HPDF_BYTE *)(b->data ? b->data : ""), (HPDF_UINT32)b->len);
    zjob *job = calloc(1, sizeof *job);
    if (!job) {
        oom(d);
        return;
    }
    job->page = d->n_pages - 1;
    job->raw = b->data; /* the buffer goes with the job; the next page starts a new one */
    job->rawlen = b->len;
    *b = (cl_buf){0};
    if (d->thread_running) {
        pthread_mutex_lock(&d->lock);
        if (d->queue_tail)
            d->queue_tail->next = job;
        else
            d->queue = job;
        d->queue_tail = job;
        pthread_cond_signal(&d->more);
        pthread_mutex_unlock(&d->lock);
        return;
    }
    if (!d->z_ready) {
        if (deflateInit(&d->z, 6) != Z_OK) {
            free(job->raw);
            free(job);
            oom(d);
            return;
        }
        d->z_ready = true;
    }
    compress_job(&d->z, job);
    job->next = d->done;
    d->done = job;
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

/* ---- close: everything into libharu, then out ---------------------------------------- */

/* Called by libharu while it writes a content stream's dictionary, after its keys. */
static HPDF_STATUS write_flate_filter(HPDF_Dict dict, HPDF_Stream stream)
{
    (void)dict;
    return HPDF_Stream_WriteStr(stream, "/Filter /FlateDecode\012");
}

static bool make_pages(pdfdev *d)
{
    for (size_t i = 0; i < d->n_pages; i++) {
        pdfpage *pg = &d->pages[i];
        HPDF_Page page = HPDF_AddPage(d->pdf);
        if (!page)
            return false;
        HPDF_Page_SetWidth(page, pg->width);
        HPDF_Page_SetHeight(page, pg->height);
        if (pg->rotate)
            HPDF_Page_SetRotate(page, (HPDF_UINT16)pg->rotate);
        /* the fonts, registered in the order the content named them F1, F2… */
        for (int k = 0; k < pg->n_faces; k++) {
            HPDF_Font f = load_font(d, (cl_face)pg->faces[k]);
            const char *name = f ? HPDF_Page_GetLocalFontName(page, f) : NULL;
            char want[16];
            snprintf(want, sizeof want, "F%d", k + 1);
            if (!name || strcmp(name, want)) {
                if (!d->dev.err.code && !d->lib_err.code)
                    cl_err_set(&d->dev.err, CL_E_RENDER, "libharu named a page's font %s, not %s", name ? name : "-",
                               want);
                return false;
            }
        }
        /* the QR symbols, registered in the order the content named them X1, X2… */
        for (size_t k = 0; k < pg->n_codes; k++) {
            qrsym *sym = &d->codes[pg->codes[k]];
            if (!sym->image) { /* grey samples, 0 dark: libharu compresses them (its 1-bit images
                                   go through a CCITT encoder that garbles these) */
                size_t w = (size_t)sym->width, row = (w + 7) / 8;
                HPDF_BYTE *px = malloc(w * w);
                if (!px) {
                    oom(d);
                    return false;
                }
                for (size_t r = 0; r < w; r++)
                    for (size_t c = 0; c < w; c++)
                        px[r * w + c] = (sym->bits[r * row + c / 8] & (0x80 >> (c % 8))) ? 0 : 255;
                sym->image = HPDF_LoadRawImageFromMem(d->pdf, px, (HPDF_UINT)w, (HPDF_UINT)w, HPDF_CS_DEVICE_GRAY, 8);
                free(px);
                if (!sym->image)
                    return false;
            }
            const char *name = HPDF_Page_GetXObjectName(page, sym->image);
            char want[24];
            snprintf(want, sizeof want, "X%zu", k + 1);
            if (!name || strcmp(name, want)) {
                if (!d->dev.err.code && !d->lib_err.code)
                    cl_err_set(&d->dev.err, CL_E_RENDER, "libharu named a page's image %s, not %s", name ? name : "-",
                               want);
                return false;
            }
        }
        HPDF_PageAttr attr = (HPDF_PageAttr)page->attr;
        if (attr->contents->write_fn || attr->contents->filter != HPDF_STREAM_FILTER_NONE) {
            cl_err_set(&d->dev.err, CL_E_RENDER, "this libharu writes page contents in a way Classeur does not know");
            return false;
        }
        /* libharu writes the stream as it is; its dictionary gets the filter from us */
        attr->contents->write_fn = write_flate_filter;
        if (HPDF_Stream_Write(attr->stream, pg->z, (HPDF_UINT)pg->zlen) != HPDF_OK)
            return false;
        free(pg->z);
        pg->z = NULL;
    }
    return !d->lib_err.code;
}

static void add_links_and_outline(pdfdev *d)
{
    /* the pages, as libharu holds them */
    HPDF_Page *pages = calloc(d->n_pages + 1, sizeof *pages);
    if (!pages) {
        oom(d);
        return;
    }
    for (size_t i = 0; i < d->n_pages; i++)
        pages[i] = HPDF_GetPageByIndex(d->pdf, (HPDF_UINT)i);
    for (size_t i = 0; i < d->n_links && !d->lib_err.code; i++) {
        const page_link *l = &d->links[i];
        HPDF_Annotation an = NULL;
        if (l->uri) {
            an = HPDF_Page_CreateURILinkAnnot(pages[l->page], l->rect, l->uri);
        } else if ((size_t)l->target < d->n_pages) {
            HPDF_Destination dst = HPDF_Page_CreateDestination(pages[l->target]);
            if (dst) {
                HPDF_Destination_SetFitH(dst, d->pages[l->target].height - l->target_y);
                an = HPDF_Page_CreateLinkAnnot(pages[l->page], l->rect, dst);
            }
        }
        if (an)
            HPDF_LinkAnnot_SetBorderStyle(an, 0, 0, 0);
    }
    HPDF_Encoder enc = d->n_marks ? HPDF_GetEncoder(d->pdf, "UTF-8") : NULL;
    HPDF_Outline stack[8] = {0};
    for (size_t i = 0; i < d->n_marks && !d->lib_err.code; i++) {
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
        HPDF_Destination dst = HPDF_Page_CreateDestination(pages[b->page]);
        if (dst) {
            HPDF_Destination_SetFitH(dst, d->pages[b->page].height - b->y);
            HPDF_Outline_SetDestination(o, dst);
        }
        stack[lvl] = o;
        for (int k = lvl + 1; k < 8; k++)
            stack[k] = NULL;
    }
    if (d->n_marks && d->outline_open)
        HPDF_SetPageMode(d->pdf, HPDF_PAGE_MODE_USE_OUTLINE);
    free(pages);
}

/* Replace the bytes of a libharu stream. */
static bool set_stream(pdfdev *d, HPDF_Dict dict, const void *data, size_t n)
{
    (void)d;
    HPDF_MemStream_FreeData(dict->stream);
    return HPDF_Stream_Write(dict->stream, (const HPDF_BYTE *)data, (HPDF_UINT)n) == HPDF_OK;
}

/* The font's ToUnicode map: one bfchar entry per character shown (libharu writes
 * cidrange entries, which a ToUnicode map may not hold). */
static bool font_tounicode(pdfdev *d, HPDF_FontAttr attr, const uint8_t *used)
{
    HPDF_Dict cm = attr->cmap_stream;
    if (!cm || !cm->stream)
        return false;
    cl_buf b = {0};
    cl_buf_puts(&b, "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
                    "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
                    "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
                    "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n");
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
    bool ok = !b.failed && set_stream(d, cm, b.data, b.len);
    /* a ToUnicode stream is a plain stream: none of a CMap's dictionary entries */
    static const char *const keys[] = {"Type", "CMapName", "CIDSystemInfo", "WMode"};
    for (size_t i = 0; ok && i < sizeof keys / sizeof keys[0]; i++)
        HPDF_Dict_RemoveElement(cm, keys[i]); /* absent: not an error */
    cl_buf_free(&b);
    return ok;
}

/* The widths (/W) and the CIDToGIDMap of the characters shown, no more (libharu writes
 * every character of the font). */
static bool font_maps(pdfdev *d, cl_face face, HPDF_FontAttr attr, const uint8_t *used)
{
    HPDF_Dict desc = attr->descendant_font;
    HPDF_MMgr mm = d->pdf->mmgr;
    FT_Face ft = cl_fonts_ft_face(d->fonts, face);
    if (!desc || !attr->map_stream || !ft)
        return false;
    HPDF_Array w = HPDF_Array_New(mm);
    if (!w)
        return false;
    uint32_t max = 0;
    HPDF_Array run = NULL;
    uint32_t last = 0;
    for (uint32_t cp = 0; cp < 0x10000; cp++) {
        if (!(used[cp >> 3] & (1u << (cp & 7))))
            continue;
        max = cp;
        if (!run || cp != last + 1) { /* c [w w …] for each run of consecutive codes */
            run = HPDF_Array_New(mm);
            if (!run || HPDF_Array_AddNumber(w, (HPDF_INT32)cp) != HPDF_OK || HPDF_Array_Add(w, run) != HPDF_OK)
                return false;
        }
        double adv = cl_fonts_advance(d->fonts, face, cp) * 1000;
        if (HPDF_Array_AddNumber(run, (HPDF_INT32)floor(adv + 0.5)) != HPDF_OK)
            return false;
        last = cp;
    }
    if (HPDF_Dict_Add(desc, "W", w) != HPDF_OK)
        return false;
    /* the glyph of each code (glyph ids as in the font file, which the subset keeps) */
    size_t n = (size_t)max + 1;
    unsigned char *map = calloc(n, 2);
    if (!map)
        return false;
    for (uint32_t cp = 0; cp <= max; cp++)
        if (used[cp >> 3] & (1u << (cp & 7))) {
            FT_UInt gid = FT_Get_Char_Index(ft, cp);
            map[2 * cp] = (unsigned char)(gid >> 8);
            map[2 * cp + 1] = (unsigned char)gid;
        }
    bool ok = set_stream(d, attr->map_stream, map, 2 * n);
    free(map);
    return ok;
}

/* The font program: a HarfBuzz subset of the characters shown (glyph ids kept, no
 * hinting, no layout tables), and the font descriptor that holds it, made before
 * libharu would make its own. */
static bool font_program(pdfdev *d, cl_face face, HPDF_FontAttr attr, const uint8_t *used)
{
    HPDF_FontDef def = attr->fontdef;
    HPDF_TTFontDefAttr def_attr = def ? (HPDF_TTFontDefAttr)def->attr : NULL;
    if (!def_attr || def->descriptor)
        return def && def->descriptor; /* one descriptor per font file */
    hb_blob_t *blob = hb_blob_create_from_file_or_fail(cl_fonts_path(d->fonts, face));
    hb_face_t *hf = blob ? hb_face_create(blob, 0) : NULL;
    hb_subset_input_t *in = hf ? hb_subset_input_create_or_fail() : NULL;
    hb_face_t *sub = NULL;
    if (in) {
        hb_set_t *uni = hb_subset_input_unicode_set(in);
        for (uint32_t cp = 0; cp < 0x10000; cp++)
            if (used[cp >> 3] & (1u << (cp & 7)))
                hb_set_add(uni, cp);
        hb_subset_input_set_flags(in, HB_SUBSET_FLAGS_RETAIN_GIDS | HB_SUBSET_FLAGS_NO_HINTING);
        hb_set_t *drop = hb_subset_input_set(in, HB_SUBSET_SETS_DROP_TABLE_TAG);
        static const char *const tags[] = {"GPOS", "GSUB", "GDEF", "kern", "FFTM", "gasp", "DSIG", "MATH", "name"};
        for (size_t i = 0; i < sizeof tags / sizeof tags[0]; i++)
            hb_set_add(drop, hb_tag_from_string(tags[i], 4));
        sub = hb_subset_or_fail(hf, in);
    }
    hb_blob_t *out = sub ? hb_face_reference_blob(sub) : NULL;
    unsigned len = 0;
    const char *data = out ? hb_blob_get_data(out, &len) : NULL;
    bool ok = data && len > 0;
    HPDF_MMgr mm = d->pdf->mmgr;
    HPDF_Xref xref = attr->xref;
    HPDF_Dict file = ok ? HPDF_DictStream_New(mm, xref) : NULL;
    HPDF_Dict descr = file ? HPDF_Dict_New(mm) : NULL;
    if (descr) {
        HPDF_STATUS r = HPDF_Stream_Write(file->stream, (const HPDF_BYTE *)data, len);
        file->filter = HPDF_STREAM_FILTER_FLATE_DECODE;
        r += HPDF_Dict_AddNumber(file, "Length1", (HPDF_INT32)len);
        r += HPDF_Xref_Add(xref, descr);
        r += HPDF_Dict_AddName(descr, "Type", "FontDescriptor");
        r += HPDF_Dict_AddNumber(descr, "Ascent", def->ascent);
        r += HPDF_Dict_AddNumber(descr, "Descent", def->descent);
        r += HPDF_Dict_AddNumber(descr, "Flags", (HPDF_INT32)def->flags);
        r += HPDF_Dict_Add(descr, "FontBBox", HPDF_Box_Array_New(mm, def->font_bbox));
        r += HPDF_Dict_AddName(descr, "FontName", def_attr->base_font);
        r += HPDF_Dict_AddNumber(descr, "ItalicAngle", def->italic_angle);
        r += HPDF_Dict_AddNumber(descr, "StemV", def->stemv);
        r += HPDF_Dict_AddNumber(descr, "XHeight", def->x_height);
        r += HPDF_Dict_Add(descr, "FontFile2", file);
        ok = r == HPDF_OK;
        if (ok)
            def->descriptor = descr; /* libharu then uses it instead of making its own */
    } else {
        ok = false;
    }
    hb_blob_destroy(out);
    hb_face_destroy(sub);
    hb_subset_input_destroy(in);
    hb_face_destroy(hf);
    hb_blob_destroy(blob);
    return ok;
}

static bool fix_fonts(pdfdev *d)
{
    for (int f = 0; f < CL_FACE_COUNT; f++) {
        if (!d->font[f] || !d->used[f])
            continue;
        HPDF_FontAttr attr = (HPDF_FontAttr)d->font[f]->attr;
        if (!attr || !font_tounicode(d, attr, d->used[f]) || !font_maps(d, (cl_face)f, attr, d->used[f]) ||
            !font_program(d, (cl_face)f, attr, d->used[f])) {
            if (!d->dev.err.code)
                cl_err_set(&d->dev.err, CL_E_RENDER, "%s: cannot write this font's tables into the PDF",
                           cl_fonts_path(d->fonts, (cl_face)f));
            return false;
        }
    }
    HPDF_Error_Reset(&d->pdf->error);
    return true;
}

static bool pdf_close(cl_device *dev)
{
    pdfdev *d = (pdfdev *)dev;
    if (!d->pdf && !dev->err.code)
        pdf_begin_document(dev, &(cl_docinfo){0});
    if (d->in_page)
        pdf_end_page(dev);
    join_worker(d);
    for (zjob *j = d->done; j; j = j->next) { /* the compressed pages, in place */
        if (j->failed) {
            oom(d);
            continue;
        }
        d->pages[j->page].z = j->z;
        d->pages[j->page].zlen = j->zlen;
        j->z = NULL;
    }
    if (!dev->err.code && d->lib_err.code)
        dev->err = d->lib_err;
    if (dev->err.code)
        return false;
    bool ok = make_pages(d);
    if (ok) {
        add_links_and_outline(d);
        ok = !dev->err.code && !d->lib_err.code && fix_fonts(d);
    }
    /* the document's identifier: a digest of what it shows, the same for the same document */
    HPDF_BYTE id[16];
    HPDF_MD5Final(id, &d->md5);
    HPDF_Array ids = ok ? HPDF_Array_New(d->pdf->mmgr) : NULL;
    ok = ok && ids && HPDF_Array_Add(ids, HPDF_Binary_New(d->pdf->mmgr, id, 16)) == HPDF_OK &&
         HPDF_Array_Add(ids, HPDF_Binary_New(d->pdf->mmgr, id, 16)) == HPDF_OK &&
         HPDF_Dict_Add(d->pdf->trailer, "ID", ids) == HPDF_OK;
    ok = ok && HPDF_SaveToStream(d->pdf) == HPDF_OK;
    if (!ok || d->lib_err.code) {
        if (!dev->err.code)
            dev->err = d->lib_err.code ? d->lib_err : (cl_err){CL_E_RENDER, "libharu could not write the PDF"};
        return false;
    }
    if (!d->out->begin(d->out, 0, &dev->err))
        return false;
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
    join_worker(d);
    for (zjob *q = d->queue; q;) {
        zjob *n = q->next;
        free(q->raw);
        free(q->z);
        free(q);
        q = n;
    }
    for (zjob *q = d->done; q;) {
        zjob *n = q->next;
        free(q->raw);
        free(q->z);
        free(q);
        q = n;
    }
    pthread_mutex_destroy(&d->lock);
    pthread_cond_destroy(&d->more);
    if (d->pdf)
        HPDF_Free(d->pdf);
    if (!d->committed)
        d->out->commit(d->out, false, &dev->err);
    for (int f = 0; f < CL_FACE_COUNT; f++)
        free(d->used[f]);
    for (size_t i = 0; i < d->n_pages; i++) {
        free(d->pages[i].z);
        free(d->pages[i].codes);
    }
    for (size_t i = 0; i < d->n_codes; i++)
        free(d->codes[i].bits);
    free(d->codes);
    for (size_t i = 0; i < d->n_links; i++)
        free(d->links[i].uri);
    for (size_t i = 0; i < d->n_marks; i++)
        free((char *)d->marks[i].title);
    free(d->marks);
    free(d->links);
    free(d->pages);
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
    pthread_mutex_init(&d->lock, NULL);
    pthread_cond_init(&d->more, NULL);
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
