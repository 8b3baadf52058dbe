/* pdf.c: the PDF device (see pdf.h).
 *
 * While pages arrive the device writes their content streams, and a thread of its own
 * compresses them (libdeflate). At close() it hands everything to libharu, which lays
 * out the file: the pages with their contents, the fonts, the QR images, links and
 * bookmarks.
 *
 * The fonts are the device's own: a Type 0 font per face shown, whose codes are the
 * characters' Unicode values, with the widths the layout measured, a CIDToGIDMap, a
 * ToUnicode map of single-code entries and the font program as a HarfBuzz subset
 * (hb-subset: glyph ids kept, no hinting), made for the characters shown once the last
 * page is in. libharu's own fonts would read every font file whole and map all 65,536
 * codes of each (some 10 ms a document), then embed far larger programs.
 *
 * Every stream is compressed by the device and handed to libharu as it is, with the
 * /Filter entry written by a callback (libharu's own compression sets zlib up afresh for
 * each stream). Beside libharu's public API this uses the object layer its installed
 * headers describe (libharu 2.3.0, Debian's libhpdf-dev): dictionaries, arrays and
 * streams, a page's content stream, the catalog and the trailer. */
#include "pdf.h"
#include "../util/buf.h"
#include "../util/utf8.h"
#include "../util/thread.h"
#include "../util/i18n.h"
#include <hb-subset.h>
#include <hb.h>
#include <hpdf.h>
#include <hpdf_doc.h>
#include <hpdf_encrypt.h>
#include <hpdf_pages.h>
#include <hpdf_streams.h>
#include <ft2build.h>
#include FT_FREETYPE_H
#include FT_TRUETYPE_TABLES_H
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <libdeflate.h>

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
    HPDF_Dict image;       /* its XObject, made at close */
} qrsym;

/* zlib-format compression level of the content streams and font programs: libdeflate's 6
 * makes files as small as zlib's 6, in less than half the time */
#define ZLEVEL 6

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
    HPDF_Dict font[CL_FACE_COUNT];       /* each face's Type0 font, made at close */
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
    struct libdeflate_compressor *z;     /* the main thread's, when there is no worker */
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

/* Compress one page's content (the worker, or the main thread without one). */
static void compress_job(struct libdeflate_compressor *z, zjob *j)
{
    size_t cap = libdeflate_zlib_compress_bound(z, j->rawlen);
    j->z = malloc(cap ? cap : 1);
    if (!j->z) {
        j->failed = true;
        return;
    }
    j->zlen = libdeflate_zlib_compress(z, j->raw ? j->raw : "", j->rawlen, j->z, cap);
    if (!j->zlen) {
        j->failed = true;
        return;
    }
    free(j->raw);
    j->raw = NULL;
}

/* The worker thread: the pages' compression, while the main thread composes and
 * writes the pages. It never touches the libharu document. */
static void *worker(void *arg)
{
    pdfdev *d = arg;
        struct libdeflate_compressor *z = libdeflate_alloc_compressor(ZLEVEL);
    bool zok = z != NULL;
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
            compress_job(z, j);
        else
            j->failed = true;
        pthread_mutex_lock(&d->lock);
        j->next = d->done;
        d->done = j;
    }
    pthread_mutex_unlock(&d->lock);
    libdeflate_free_compressor(z);
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
    /* every stream compressed by the device (put_deflated, the pages' worker) */
    HPDF_SetCompressionMode(d->pdf, HPDF_COMP_NONE);
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
    /* the pages' compression, on a thread of its own while the pages are written */
    if (cl_thread_start(&d->thread, worker, d))
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
            cp = 0xFFFD; /* outside the two-byte codes of the device's fonts */
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
    if (!d->z && !(d->z = libdeflate_alloc_compressor(ZLEVEL))) {
        free(job->raw);
        free(job);
        oom(d);
        return;
    }
    compress_job(d->z, job);
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

/* Give a libharu stream the bytes data, compressed here (libharu's own compression
 * sets up zlib afresh for each stream: most of the time of writing a PDF of small
 * streams); libharu writes them as they are, with the filter from us. */
static bool put_deflated(pdfdev *d, HPDF_Dict dict, const void *data, size_t n)
{
    if (!d->z && !(d->z = libdeflate_alloc_compressor(ZLEVEL)))
        return false;
    size_t cap = libdeflate_zlib_compress_bound(d->z, n);
    unsigned char *packed = malloc(cap ? cap : 1);
    size_t plen = packed ? libdeflate_zlib_compress(d->z, data ? data : "", n, packed, cap) : 0;
    HPDF_MemStream_FreeData(dict->stream);
    bool ok = plen && HPDF_Stream_Write(dict->stream, packed, (HPDF_UINT)plen) == HPDF_OK;
    free(packed);
    dict->filter = HPDF_STREAM_FILTER_NONE;
    dict->write_fn = write_flate_filter;
    return ok;
}

/* A QR symbol as an image XObject: one bit a module, 0 dark, compressed. */
static HPDF_Dict make_image(pdfdev *d, const qrsym *sym)
{
    size_t w = (size_t)sym->width, row = (w + 7) / 8;
    HPDF_BYTE *px = malloc(row * w);
    HPDF_Dict img = px ? HPDF_DictStream_New(d->pdf->mmgr, d->pdf->xref) : NULL;
    bool ok = img != NULL;
    if (ok) {
        for (size_t k = 0; k < row * w; k++)
            px[k] = (HPDF_BYTE)~sym->bits[k];
        HPDF_STATUS r = HPDF_Dict_AddName(img, "Type", "XObject");
        r += HPDF_Dict_AddName(img, "Subtype", "Image");
        r += HPDF_Dict_AddNumber(img, "Width", (HPDF_INT32)w);
        r += HPDF_Dict_AddNumber(img, "Height", (HPDF_INT32)w);
        r += HPDF_Dict_AddName(img, "ColorSpace", "DeviceGray");
        r += HPDF_Dict_AddNumber(img, "BitsPerComponent", 1);
        ok = r == HPDF_OK && put_deflated(d, img, px, row * w);
    }
    free(px);
    if (!ok && !d->dev.err.code && !d->lib_err.code)
        oom(d);
    return ok ? img : NULL;
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
        /* the fonts, under the names the content gave them: F1, F2… */
        if (pg->n_faces) {
            HPDF_Dict res = HPDF_Dict_GetItem(page, "Resources", HPDF_OCLASS_DICT);
            HPDF_Dict fonts = res ? HPDF_Dict_New(d->pdf->mmgr) : NULL;
            if (!fonts || HPDF_Dict_Add(res, "Font", fonts) != HPDF_OK)
                return false;
            for (int k = 0; k < pg->n_faces; k++) {
                char key[16];
                snprintf(key, sizeof key, "F%d", k + 1);
                if (!d->font[pg->faces[k]] || HPDF_Dict_Add(fonts, key, d->font[pg->faces[k]]) != HPDF_OK)
                    return false;
            }
        }
        /* the QR symbols, under the names the content gave them: X1, X2… */
        HPDF_Dict images = NULL;
        if (pg->n_codes) {
            HPDF_Dict res = HPDF_Dict_GetItem(page, "Resources", HPDF_OCLASS_DICT);
            images = res ? HPDF_Dict_New(d->pdf->mmgr) : NULL;
            if (!images || HPDF_Dict_Add(res, "XObject", images) != HPDF_OK)
                return false;
        }
        for (size_t k = 0; k < pg->n_codes; k++) {
            qrsym *sym = &d->codes[pg->codes[k]];
            if (!sym->image && !(sym->image = make_image(d, sym)))
                return false;
            char key[24];
            snprintf(key, sizeof key, "X%zu", k + 1);
            if (HPDF_Dict_Add(images, key, sym->image) != HPDF_OK)
                return false;
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


/* ---- fonts: made at close, for the characters shown ------------------------------- */

/* The characters shown, in order, from the bit set used (a heap array; NULL when out
 * of memory). */
static uint32_t *shown_list(const uint8_t *used, size_t *n)
{
    size_t count = 0;
    for (size_t i = 0; i < 65536 / 8; i++)
        for (unsigned v = used[i]; v; v &= v - 1)
            count++;
    uint32_t *cps = malloc((count ? count : 1) * sizeof *cps);
    if (!cps)
        return NULL;
    size_t k = 0;
    for (size_t i = 0; i < 65536 / 8; i++)
        for (unsigned bit = 0, v = used[i]; v; bit++, v >>= 1)
            if (v & 1)
                cps[k++] = (uint32_t)(i * 8 + bit);
    *n = count;
    return cps;
}

/* The six capital letters that mark a subset font's name (PDF 32000-1, 9.6.4), drawn
 * from the characters it holds: the same document names its fonts the same way. */
static void subset_tag(const uint32_t *cps, size_t n, int face, char tag[7])
{
    uint64_t h = 1469598103934665603ULL ^ (uint64_t)face;
    for (size_t i = 0; i < n; i++) {
        h ^= cps[i];
        h *= 1099511628211ULL;
    }
    for (int i = 0; i < 6; i++) {
        tag[i] = (char)('A' + h % 26);
        h /= 26;
    }
    tag[6] = 0;
}

/* The ToUnicode map: one bfchar entry per character shown. Ghostscript, and the
 * "compress PDF" tools built on it, garble characters above U+00FF given as ranges. */
static bool font_tounicode(pdfdev *d, HPDF_Dict cm, const uint32_t *cps, size_t ncp)
{
    cl_buf b = {0};
    cl_buf_puts(&b, "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
                    "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
                    "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
                    "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n");
    uint32_t codes[100];
    size_t n = 0;
    for (size_t i = 0; i <= ncp; i++) {
        if (i < ncp && !(cps[i] >= 0xD800 && cps[i] <= 0xDFFF))
            codes[n++] = cps[i];
        if (n == 100 || (i == ncp && n)) {
            cl_buf_printf(&b, "%zu beginbfchar\n", n);
            for (size_t m = 0; m < n; m++)
                cl_buf_printf(&b, "<%04X> <%04X>\n", (unsigned)codes[m], (unsigned)codes[m]);
            cl_buf_puts(&b, "endbfchar\n");
            n = 0;
        }
    }
    cl_buf_puts(&b, "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
    bool ok = !b.failed && put_deflated(d, cm, b.data, b.len);
    cl_buf_free(&b);
    return ok;
}

/* The widths (/W: c [w w …] for each run of consecutive codes, in thousandths of an em
 * as the layout measured them) and the CIDToGIDMap of the characters shown. */
static bool font_maps(pdfdev *d, cl_face face, HPDF_Dict cid, HPDF_Dict map_stream, const uint32_t *cps,
                      size_t ncp)
{
    HPDF_MMgr mm = d->pdf->mmgr;
    FT_Face ft = cl_fonts_ft_face(d->fonts, face);
    HPDF_Array w = HPDF_Array_New(mm);
    if (!w || HPDF_Dict_Add(cid, "W", w) != HPDF_OK)
        return false;
    uint32_t max = 0;
    HPDF_Array run = NULL;
    uint32_t last = 0;
    for (size_t i = 0; i < ncp; i++) {
        uint32_t cp = cps[i];
        max = cp;
        if (!run || cp != last + 1) {
            run = HPDF_Array_New(mm);
            if (!run || HPDF_Array_AddNumber(w, (HPDF_INT32)cp) != HPDF_OK || HPDF_Array_Add(w, run) != HPDF_OK)
                return false;
        }
        double adv = cl_fonts_advance(d->fonts, face, cp) * 1000;
        if (HPDF_Array_AddNumber(run, (HPDF_INT32)floor(adv + 0.5)) != HPDF_OK)
            return false;
        last = cp;
    }
    /* the glyph of each code (glyph ids as in the font file, which the subset keeps) */
    size_t n = (size_t)max + 1;
    unsigned char *map = calloc(n, 2);
    if (!map)
        return false;
    for (size_t i = 0; i < ncp; i++) {
        FT_UInt gid = FT_Get_Char_Index(ft, cps[i]);
        map[2 * cps[i]] = (unsigned char)(gid >> 8);
        map[2 * cps[i] + 1] = (unsigned char)gid;
    }
    bool ok = put_deflated(d, map_stream, map, 2 * n);
    free(map);
    return ok;
}

/* One face's part of the fonts: the characters it shows, and its font program. */
typedef struct facejob {
    cl_face face;
    uint32_t *cps;          /* the characters shown, in order (heap) */
    size_t ncp;
    unsigned char *packed;  /* the subset font file, compressed (heap) */
    size_t plen, len;       /* its compressed and whole lengths */
    const char *why;        /* why there is no program (static text), or NULL */
} facejob;

/* The font program of j: a HarfBuzz subset of the characters shown (glyph ids kept, no
 * hinting, no layout tables), compressed with z. Touches neither libharu nor FreeType,
 * so faces are made on two threads at once. False when HarfBuzz or memory fails. */
static bool font_program(const cl_fonts *fonts, facejob *j, struct libdeflate_compressor *z)
{
    hb_blob_t *blob = hb_blob_create_from_file_or_fail(cl_fonts_path(fonts, j->face));
    hb_face_t *hf = blob ? hb_face_create(blob, 0) : NULL;
    hb_subset_input_t *in = hf ? hb_subset_input_create_or_fail() : NULL;
    hb_face_t *sub = NULL;
    if (in) {
        hb_set_t *uni = hb_subset_input_unicode_set(in);
        for (size_t i = 0; i < j->ncp; i++)
            hb_set_add(uni, j->cps[i]);
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
    size_t cap = data && len && z ? libdeflate_zlib_compress_bound(z, len) : 0;
    j->packed = cap ? malloc(cap) : NULL;
    j->plen = j->packed ? libdeflate_zlib_compress(z, data, len, j->packed, cap) : 0;
    j->len = len;
    j->why = j->plen     ? NULL
             : !blob     ? N_("the font file cannot be read")
             : !hf || !in ? N_("out of memory")
             : !data     ? N_("HarfBuzz cannot subset it (or memory ran out)")
                         : N_("out of memory");
    hb_blob_destroy(out);
    hb_face_destroy(sub);
    hb_subset_input_destroy(in);
    hb_face_destroy(hf);
    hb_blob_destroy(blob);
    return j->plen > 0;
}

/* Font programs for jobs[] taken in turn by the threads that share next. */
typedef struct programs {
    const cl_fonts *fonts;
    facejob *jobs;
    size_t n;
    atomic_size_t next;
} programs;

static void *make_programs(void *arg)
{
    programs *pr = arg;
    struct libdeflate_compressor *z = libdeflate_alloc_compressor(ZLEVEL);
    for (size_t k; (k = atomic_fetch_add(&pr->next, 1)) < pr->n;)
        font_program(pr->fonts, &pr->jobs[k], z);
    libdeflate_free_compressor(z);
    return NULL;
}

/* The font descriptor's measures, from the font file's tables (PDF 32000-1, 9.8). */
static HPDF_STATUS font_descriptor(pdfdev *d, cl_face face, HPDF_Dict descr, const char *name, HPDF_Dict file,
                                   const uint32_t *cps, size_t ncp)
{
    HPDF_MMgr mm = d->pdf->mmgr;
    FT_Face ft = cl_fonts_ft_face(d->fonts, face);
    const TT_OS2 *os2 = FT_Get_Sfnt_Table(ft, FT_SFNT_OS2);
    const TT_Postscript *post = FT_Get_Sfnt_Table(ft, FT_SFNT_POST);
    double k = 1000.0 / ft->units_per_EM;
    int ascent = (int)lround(ft->ascender * k), descent = (int)lround(ft->descender * k);
    bool has_os2 = os2 && os2->version != 0xFFFF;
    int cap = has_os2 && os2->version >= 2 && os2->sCapHeight ? (int)lround(os2->sCapHeight * k) : ascent;
    int xh = has_os2 && os2->version >= 2 && os2->sxHeight ? (int)lround(os2->sxHeight * k) : cap / 2;
    int weight = has_os2 ? os2->usWeightClass : (ft->style_flags & FT_STYLE_FLAG_BOLD ? 700 : 400);
    /* flags: serif (PANOSE serif style 2–10), italic, and symbolic when a character
     * falls outside the Latin text set (the pictograms), else nonsymbolic */
    unsigned flags = FT_IS_FIXED_WIDTH(ft) ? 1u : 0u;
    if (has_os2 && os2->panose[0] == 2 && os2->panose[1] >= 2 && os2->panose[1] <= 10)
        flags |= 2u;
    if (ft->style_flags & FT_STYLE_FLAG_ITALIC)
        flags |= 64u;
    bool symbolic = false;
    for (size_t i = 0; i < ncp && !symbolic; i++)
        symbolic = cps[i] >= 0x2100 && cps[i] != 0x2212 && cps[i] != 0xFFFD;
    flags |= symbolic ? 4u : 32u;
    HPDF_Box bbox = {(HPDF_REAL)lround(ft->bbox.xMin * k), (HPDF_REAL)lround(ft->bbox.yMin * k),
                     (HPDF_REAL)lround(ft->bbox.xMax * k), (HPDF_REAL)lround(ft->bbox.yMax * k)};
    HPDF_STATUS r = HPDF_Dict_AddName(descr, "Type", "FontDescriptor");
    r += HPDF_Dict_AddName(descr, "FontName", name);
    r += HPDF_Dict_AddNumber(descr, "Flags", (HPDF_INT32)flags);
    r += HPDF_Dict_Add(descr, "FontBBox", HPDF_Box_Array_New(mm, bbox));
    r += HPDF_Dict_AddReal(descr, "ItalicAngle", post ? (HPDF_REAL)(post->italicAngle / 65536.0) : 0);
    r += HPDF_Dict_AddNumber(descr, "Ascent", ascent);
    r += HPDF_Dict_AddNumber(descr, "Descent", descent);
    r += HPDF_Dict_AddNumber(descr, "CapHeight", cap);
    r += HPDF_Dict_AddNumber(descr, "XHeight", xh);
    /* the stem width is not in the font: the usual estimate from the weight */
    r += HPDF_Dict_AddNumber(descr, "StemV", 10 + 220 * (weight > 50 ? weight - 50 : 0) / 900);
    r += HPDF_Dict_Add(descr, "FontFile2", file);
    return r;
}

/* The Type 0 font of face (PDF 32000-1, 9.7): two-byte codes that are the characters'
 * Unicode values (Identity-H), a CIDFontType2 descendant whose CIDToGIDMap turns them
 * into the embedded subset's glyphs, its widths and descriptor, and the ToUnicode map
 * text extraction reads. Into d->font[face]; false with an error left to the caller. */
static bool make_font(pdfdev *d, const facejob *j)
{
    cl_face face = j->face;
    FT_Face ft = cl_fonts_ft_face(d->fonts, face);
    HPDF_MMgr mm = d->pdf->mmgr;
    HPDF_Xref xref = d->pdf->xref;
    if (!ft || !j->plen)
        return false;
    /* the name: the subset tag, then the PostScript name */
    char tag[7], name[128];
    subset_tag(j->cps, j->ncp, face, tag);
    const char *ps = FT_Get_Postscript_Name(ft);
    snprintf(name, sizeof name, "%s+%s", tag, ps ? ps : "Font");
    HPDF_Dict type0 = HPDF_Dict_New(mm);
    if (!type0 || HPDF_Xref_Add(xref, type0) != HPDF_OK)
        return false;
    HPDF_Dict cid = HPDF_Dict_New(mm);
    if (!cid || HPDF_Xref_Add(xref, cid) != HPDF_OK)
        return false;
    HPDF_Dict descr = HPDF_Dict_New(mm);
    if (!descr || HPDF_Xref_Add(xref, descr) != HPDF_OK)
        return false;
    HPDF_Dict tounicode = HPDF_DictStream_New(mm, xref);
    HPDF_Dict map = HPDF_DictStream_New(mm, xref);
    HPDF_Dict file = HPDF_DictStream_New(mm, xref);
    HPDF_Array descendants = HPDF_Array_New(mm);
    HPDF_Dict sysinfo = HPDF_Dict_New(mm);
    if (!tounicode || !map || !file || !descendants || !sysinfo)
        return false;
    HPDF_STATUS r = HPDF_Dict_AddName(type0, "Type", "Font");
    r += HPDF_Dict_AddName(type0, "Subtype", "Type0");
    r += HPDF_Dict_AddName(type0, "BaseFont", name);
    r += HPDF_Dict_AddName(type0, "Encoding", "Identity-H");
    r += HPDF_Dict_Add(type0, "DescendantFonts", descendants);
    r += HPDF_Array_Add(descendants, cid);
    r += HPDF_Dict_Add(type0, "ToUnicode", tounicode);
    r += HPDF_Dict_AddName(cid, "Type", "Font");
    r += HPDF_Dict_AddName(cid, "Subtype", "CIDFontType2");
    r += HPDF_Dict_AddName(cid, "BaseFont", name);
    r += HPDF_Dict_Add(cid, "CIDSystemInfo", sysinfo);
    r += HPDF_Dict_Add(sysinfo, "Registry", HPDF_String_New(mm, "Adobe", NULL));
    r += HPDF_Dict_Add(sysinfo, "Ordering", HPDF_String_New(mm, "Identity", NULL));
    r += HPDF_Dict_AddNumber(sysinfo, "Supplement", 0);
    r += HPDF_Dict_Add(cid, "FontDescriptor", descr);
    r += HPDF_Dict_Add(cid, "CIDToGIDMap", map);
    r += font_descriptor(d, face, descr, name, file, j->cps, j->ncp);
    /* the font file, compressed already: written as it is, with the filter from us */
    r += HPDF_Stream_Write(file->stream, j->packed, (HPDF_UINT)j->plen);
    r += HPDF_Dict_AddNumber(file, "Length1", (HPDF_INT32)j->len);
    file->write_fn = write_flate_filter;
    if (r != HPDF_OK || !font_maps(d, face, cid, map, j->cps, j->ncp) ||
        !font_tounicode(d, tounicode, j->cps, j->ncp))
        return false;
    d->font[face] = type0;
    return true;
}

/* Every face the pages show, as PDF fonts: the font programs on two threads, then
 * their dictionaries. */
static bool make_fonts(pdfdev *d)
{
    facejob jobs[CL_FACE_COUNT];
    size_t n = 0;
    bool ok = true;
    for (int f = 0; f < CL_FACE_COUNT; f++)
        if (d->used[f]) {
            jobs[n] = (facejob){.face = (cl_face)f};
            jobs[n].cps = shown_list(d->used[f], &jobs[n].ncp);
            ok = ok && jobs[n].cps;
            n++;
        }
    if (ok) {
        programs pr = {.fonts = d->fonts, .jobs = jobs, .n = n};
        atomic_init(&pr.next, 0);
        pthread_t helper;
        bool two = n > 1 && cl_thread_start(&helper, make_programs, &pr);
        make_programs(&pr);
        if (two)
            pthread_join(helper, NULL);
    }
    for (size_t k = 0; k < n && ok; k++)
        if (!make_font(d, &jobs[k])) {
            if (!d->dev.err.code)
                cl_err_set(&d->dev.err, d->lib_err.code ? d->lib_err.code : CL_E_RENDER,
                           "%s: cannot write this font into the PDF (%s)", cl_fonts_path(d->fonts, jobs[k].face),
                           d->lib_err.code ? d->lib_err.msg : jobs[k].why ? _(jobs[k].why) : _("out of memory"));
            ok = false;
        }
    for (size_t k = 0; k < n; k++) {
        free(jobs[k].cps);
        free(jobs[k].packed);
    }
    if (!ok && !d->dev.err.code)
        oom(d);
    return ok;
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
    bool ok = make_fonts(d) && make_pages(d);
    if (ok) {
        add_links_and_outline(d);
        ok = !dev->err.code && !d->lib_err.code;
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
        if (!dev->err.code && d->lib_err.code)
            dev->err = d->lib_err;
        else if (!dev->err.code)
            cl_err_set(&dev->err, CL_E_RENDER, "libharu could not write the PDF");
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
    libdeflate_free_compressor(d->z);
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
