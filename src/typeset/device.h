/* device.h: where pages go when they leave the display list.
 *
 * A device receives a document as a sequence of calls, in the manner of MuPDF's
 * fz_device: begin_document (the metadata, and the page count when known), then for
 * each page begin_page, its drawing calls in reading order, end_page; then bookmarks;
 * then close. The PDF writer, the pictures (PNG, SVG, PGM, contact sheet), the trace and
 * the recorder that keeps a cl_doc in memory are devices (render/, and cl_recorder
 * below). cl_device_page() is the only code that looks at op kinds: it turns a recorded
 * page into these calls.
 *
 * Errors: drawing calls return nothing. A device that fails keeps its first error in
 * dev->err and ignores what follows; the replay functions stop early once it is set.
 * close() finishes the output and may fail (then false, dev->err set); drop() releases
 * the device whatever happened and never fails (a device dropped without a successful
 * close leaves no output behind). Every callback may be NULL: the call is ignored. */
#ifndef CL_DEVICE_H
#define CL_DEVICE_H
#include "displaylist.h"
#include "../util/diag.h"

/* A document as devices see it before its pages. Strings are borrowed for the call. */
typedef struct cl_docinfo {
    cl_fonts *fonts;       /* the faces the glyph runs name (borrowed, outlives the device) */
    const char *title, *author, *subject, *keywords;
    const char *lang;      /* BCP 47 language of the text ("fr-FR") */
    bool outline_open;     /* viewers open the bookmarks panel */
    size_t n_pages;        /* pages that will follow (0: not known yet) */
} cl_docinfo;

/* A glyph run as a device receives it (see displaylist.h). */
typedef struct cl_glyph_run {
    cl_face face;
    float size;
    float x, y;            /* origin of the first character, on the baseline */
    float grey;
    cl_tag tag;
    const char *text;      /* UTF-8, len bytes, NUL-terminated */
    size_t len;
    const float *dx;       /* x of each character from x */
    size_t n;              /* characters */
} cl_glyph_run;

/* A rule: from (x0, y0) to (x1, y1), lw wide; dashed (dash_on, dash_off) when dash_on > 0. */
typedef struct cl_rule {
    float x0, y0, x1, y1, lw, grey, dash_on, dash_off;
} cl_rule;

typedef struct cl_device cl_device;
struct cl_device {
    void (*begin_document)(cl_device *dev, const cl_docinfo *info);
    /* page: its size, turn and areas (its ops follow as calls); index: 0-based */
    void (*begin_page)(cl_device *dev, const cl_page *page, size_t index);
    void (*glyphs)(cl_device *dev, const cl_glyph_run *run);
    void (*rule)(cl_device *dev, const cl_rule *rule);
    void (*fill_rect)(cl_device *dev, float x, float y, float w, float h, float grey);
    void (*frame)(cl_device *dev, float x, float y, float w, float h, float lw, float grey);
    /* a vector path: its points scaled by scale and moved by (x, y) */
    void (*path)(cl_device *dev, const cl_path *path, float x, float y, float scale, float lw, float grey);
    /* a QR symbol: (x, y) is the top-left corner of its quiet zone, module the module size */
    void (*qr)(cl_device *dev, const cl_qr *qr, float x, float y, float module);
    void (*link_uri)(cl_device *dev, float x, float y, float w, float h, const char *uri);
    /* a link to page (0-based) at y on it; the page may come later */
    void (*link_page)(cl_device *dev, float x, float y, float w, float h, int page, float target_y);
    void (*end_page)(cl_device *dev);
    /* after the last page: a bookmark (level 1 = top), in document order */
    void (*bookmark)(cl_device *dev, const cl_bookmark *bm);
    /* finish the output: false and err set on failure */
    bool (*close)(cl_device *dev);
    /* release everything; never fails */
    void (*drop)(cl_device *dev);
    cl_err err;            /* the first error */
};

/* Send the document's metadata. */
void cl_device_begin(cl_device *dev, const cl_docinfo *info);
/* Send page p (0-based index) as begin_page, one call per op in order, end_page. */
void cl_device_page(cl_device *dev, const cl_page *p, size_t index);
void cl_device_bookmark(cl_device *dev, const cl_bookmark *bm);
/* Finish: false and err (the device's first error) set on failure. */
CL_MUST_CHECK bool cl_device_close(cl_device *dev, cl_err *err);
/* Release the device (NULL accepted). */
void cl_device_drop(cl_device *dev);
/* A recorded document's info (for cl_device_begin); lang "fr-FR". */
cl_docinfo cl_doc_info(const cl_doc *doc);
/* Replay a recorded document: begin_document, every page, every bookmark (not close).
 * false when the device has failed (its err set). */
CL_MUST_CHECK bool cl_doc_replay(const cl_doc *doc, cl_device *dev);

/* A device passing every call on to each of devs[0..n) (owned: dropped with it), for one
 * composition written several ways (PNG and SVG pictures at once). announced, when not
 * NULL, gets the page count begin_document announces. NULL when out of memory (the
 * devices are then dropped). */
cl_device *cl_tee_new(cl_device **devs, size_t n, size_t *announced);

/* The recorder: a device that keeps what it receives as a new cl_doc (pages, bookmarks,
 * metadata), for previews that need every page at once and for tests. NULL when out of
 * memory. cl_recorder_take() hands the document over (the caller drops it) after a
 * successful close; drop the device afterwards. */
cl_device *cl_recorder_new(void);
cl_doc *cl_recorder_take(cl_device *rec);
#endif
