/* documents.c: composing a document of a given kind and layout in passes, into devices
 * (see documents.h). */
#include "documents.h"
#include "compose.h"
#include "impose.h"
#include "qr.h"
#include "layoutfile.h"
#include <stdlib.h>
#include <string.h>

int cl_doc_kind_parse(const char *s)
{
    if (!strcmp(s, "handout"))
        return CL_DOC_HANDOUT;
    if (!strcmp(s, "study"))
        return CL_DOC_STUDY;
    if (!strcmp(s, "binder"))
        return CL_DOC_BINDER;
    return 0;
}

bool cl_document_layout(cl_layout *out, const cl_course *course, const char *name, const char *layouts_dir,
                        cl_diags *diags)
{
    const char *want = name ? name : (course && course->layout ? course->layout : "default");
    return cl_layout_load(out, layouts_dir, want, diags);
}

void cl_pass_begin(cl_pass *pass, cl_fonts *fonts, const char *title, const char *author, const char *subject,
                   const char *keywords, bool outline_open)
{
    if (!pass->dev)
        return;
    cl_docinfo info = {fonts, title, author, subject, keywords, "fr-FR", outline_open, pass->prev_total,
                       pass->prev_faces};
    cl_device_begin(pass->dev, &info);
}

typedef bool pass_fn(const cl_catalog *, const cl_course *, cl_fonts *, const cl_hyph *, const cl_layout *, cl_pass *,
                     cl_arena *, int *, float *, cl_err *);

static cl_device *make_recorder(void *ctx)
{
    (void)ctx;
    return cl_recorder_new();
}

cl_device *cl_document_write(const cl_catalog *cat, const cl_course *course, int kind, cl_fonts *fonts,
                             const cl_hyph *hyph, const cl_layout *lay, cl_device_maker *make, void *ctx,
                             cl_doc_report *rep, cl_err *err)
{
    pass_fn *fn = kind == CL_DOC_HANDOUT && course ? cl_handout_pass
                  : kind == CL_DOC_STUDY && course ? cl_study_pass
                  : kind == CL_DOC_BINDER          ? cl_binder_pass
                                                   : NULL;
    if (!fn) {
        cl_err_set(err, CL_E_USAGE, "handouts and study sheets belong to a course: name a course file");
        return NULL;
    }
    static cl_layout builtin;
    static bool builtin_ready;
    if (!lay) {
        if (!builtin_ready) {
            cl_layout_default(&builtin);
            builtin_ready = true;
        }
        lay = &builtin;
    }
    /* a booklet is composed into a recorder, imposed, then sent to the device */
    bool booklet = lay->booklet;
    cl_device_maker *pass_make = booklet ? make_recorder : make;
    void *pass_ctx = booklet ? NULL : ctx;
    size_t na = cl_document_anchors(cat, course, kind);
    int *prev = calloc(na + 1, sizeof *prev), *cur = calloc(na + 1, sizeof *cur);
    float *prev_y = calloc(na + 1, sizeof *prev_y), *cur_y = calloc(na + 1, sizeof *cur_y);
    cl_device *dev = NULL;
    cl_qr_cache *qrs = cl_qr_cache_new();
    bool have_prev = false, done = false;
    size_t prev_total = 0, prev_numbered = 0;
    unsigned prev_faces = 0;
    int passes = 0;
    if (!prev || !cur || !prev_y || !cur_y || !qrs) {
        cl_err_set(err, CL_E_NOMEM, "out of memory");
        goto out;
    }
    for (int k = 0; k < 4 && !done; k++) {
        cl_arena *da = cl_arena_new();
        if (!da) {
            cl_err_set(err, CL_E_NOMEM, "out of memory");
            goto out;
        }
        cl_pass pass = {0};
        pass.prev_pages = have_prev ? prev : NULL;
        pass.prev_ys = have_prev ? prev_y : NULL;
        pass.prev_total = prev_total;
        pass.prev_numbered = prev_numbered;
        pass.prev_faces = prev_faces;
        pass.qrs = qrs;
        if (k > 0) { /* the first pass only measures */
            pass.dev = pass_make(pass_ctx);
            if (!pass.dev) {
                cl_err_set(err, CL_E_NOMEM, "out of memory");
                cl_arena_drop(da);
                goto out;
            }
        }
        for (size_t i = 0; i < na; i++)
            cur[i] = -1;
        passes++;
        bool ok = fn(cat, course, fonts, hyph, lay, &pass, da, cur, cur_y, err);
        /* the document is done when this pass wrote what the previous one announced */
        if (!pass.numbered)
            pass.numbered = pass.pages;
        done = ok && pass.dev && pass.pages == prev_total && pass.numbered == prev_numbered &&
               !memcmp(cur, prev, na * sizeof *cur);
        if (done) {
            for (size_t i = 0; i < pass.n_marks && !pass.dev->err.code; i++)
                cl_device_bookmark(pass.dev, &pass.marks[i]);
            if (pass.dev->err.code) {
                *err = pass.dev->err;
                ok = done = false;
            }
        }
        if (done) {
            dev = pass.dev;
            if (rep) {
                rep->pages = pass.pages;
                cl_buf_put(&rep->warnings, pass.warnings.data, pass.warnings.len);
            }
        } else {
            cl_device_drop(pass.dev);
        }
        cl_buf_free(&pass.warnings);
        cl_arena_drop(da);
        if (!ok) {
            if (!err->code)
                cl_err_set(err, CL_E_NOMEM, "out of memory composing the document");
            goto out;
        }
        memcpy(prev, cur, na * sizeof *prev);
        memcpy(prev_y, cur_y, na * sizeof *prev_y);
        prev_total = pass.pages;
        prev_numbered = pass.numbered;
        prev_faces = pass.faces;
        have_prev = true;
    }
    if (!done) {
        cl_err_set(err, CL_E_RENDER, "the page numbers did not settle after %d passes", passes);
        goto out;
    }
    if (booklet) { /* the recorded pages, imposed, into the caller's device */
        cl_device_close(dev, NULL);
        cl_doc *doc = cl_recorder_take(dev);
        cl_device_drop(dev);
        dev = NULL;
        if (!doc || !cl_impose_booklet(doc, !lay->flip_short)) {
            cl_err_set(err, CL_E_NOMEM, "out of memory imposing the booklet");
            cl_doc_drop(doc);
            goto out;
        }
        dev = make(ctx);
        if (!dev) {
            cl_err_set(err, CL_E_NOMEM, "out of memory");
        } else if (!cl_doc_replay(doc, dev)) {
            *err = dev->err;
            cl_device_drop(dev);
            dev = NULL;
        }
        if (rep)
            rep->pages = doc->n_pages;
        cl_doc_drop(doc);
    }
out:
    if (rep)
        rep->passes = passes;
    cl_qr_cache_drop(qrs);
    free(prev);
    free(cur);
    free(prev_y);
    free(cur_y);
    return dev;
}

cl_doc *cl_document_compose_layout(const cl_catalog *cat, const cl_course *course, int kind, cl_fonts *fonts,
                                   const cl_hyph *hyph, const cl_layout *lay, cl_err *err)
{
    cl_doc_report rep = {0};
    cl_device *dev = cl_document_write(cat, course, kind, fonts, hyph, lay, make_recorder, NULL, &rep, err);
    cl_doc *doc = NULL;
    if (dev && cl_device_close(dev, err))
        doc = cl_recorder_take(dev);
    cl_device_drop(dev);
    /* the warnings, one a line */
    const char *w = cl_buf_str(&rep.warnings);
    while (doc && *w) {
        const char *nl = strchr(w, '\n');
        size_t len = nl ? (size_t)(nl - w) : strlen(w);
        char *m = cl_arena_strndup(doc->arena, w, len);
        if (!m || !cl_doc_add_warning(doc, m)) {
            cl_err_set(err, CL_E_NOMEM, "out of memory");
            cl_doc_drop(doc);
            doc = NULL;
            break;
        }
        w += len + (nl ? 1 : 0);
    }
    cl_buf_free(&rep.warnings);
    return doc;
}

cl_doc *cl_document_compose(const cl_catalog *cat, const cl_course *course, int kind, cl_fonts *fonts,
                            const cl_hyph *hyph, cl_err *err)
{
    return cl_document_compose_layout(cat, course, kind, fonts, hyph, NULL, err);
}
