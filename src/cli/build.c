/* build.c: the build driver (see build.h). */
#include "build.h"
#include "../compose/documents.h"
#include "../render/pdf.h"
#include "../util/files.h"
#include <stdio.h>
#include <string.h>

/* Compose one document and write it to dir/file. */
static bool write_doc(const cl_setup *s, const cl_course *co, int kind, const cl_layout *lay, const char *dir,
                      const char *file, const cl_build_request *req, cl_build_report *rep, size_t index,
                      size_t total, cl_err *err)
{
    char path[PATH_MAX + 64];
    snprintf(path, sizeof path, "%s/%s", dir, file);
    if (req->progress) {
        const char *name = strrchr(dir, '/');
        fprintf(stderr, "[%zu/%zu] %s %s\n", index, total, name ? name + 1 : dir, file);
    }
    cl_doc *doc = cl_document_compose_layout(s->cat, co, kind, s->fonts, s->hyph, lay, err);
    if (!doc)
        return false;
    for (size_t i = 0; i < doc->n_warnings; i++)
        fprintf(stderr, "classeur: warning: %s: %s\n", path, doc->warnings[i]);
    cl_file_writer fw;
    cl_file_writer_single(&fw, path);
    cl_device *dev = cl_pdf_device_new(&fw.w);
    bool ok = dev && cl_doc_replay(doc, dev) && cl_device_close(dev, err);
    if (!dev)
        cl_err_set(err, CL_E_NOMEM, "out of memory");
    else if (!ok && !err->code)
        *err = dev->err;
    cl_device_drop(dev);
    if (ok) {
        rep->documents++;
        rep->pages += doc->n_pages;
    }
    cl_doc_drop(doc);
    return ok;
}

bool cl_build(const cl_setup *s, const cl_build_request *req, cl_build_report *rep, cl_err *err)
{
    const char *out = req->out_dir ? req->out_dir : "out";
    cl_layout lay;
    /* every layout is checked before anything is written, each once */
    const char *checked[64];
    size_t n_checked = 0;
    for (size_t i = 0; i <= req->n_courses; i++) {
        if (i == req->n_courses && !req->dossier_binder)
            break;
        const cl_course *co = i < req->n_courses ? req->courses[i] : NULL;
        const char *name = req->layout ? req->layout : (co && co->layout ? co->layout : "default");
        bool seen = false;
        for (size_t k = 0; k < n_checked && !seen; k++)
            seen = !strcmp(checked[k], name);
        if (seen)
            continue;
        if (n_checked < 64)
            checked[n_checked++] = name;
        size_t errors = cl_setup_layout(s, co, req->layout, &lay, true);
        if (errors) {
            cl_err_set(err, CL_E_DATA, "the layout has %zu error%s; nothing was written", errors,
                       errors == 1 ? "" : "s");
            return false;
        }
    }
    size_t per_course = (size_t)!!(req->kinds & CL_DOC_HANDOUT) + !!(req->kinds & CL_DOC_STUDY) +
                        !!(req->kinds & CL_DOC_BINDER);
    size_t total = req->n_courses * per_course + req->dossier_binder, index = 0;
    bool ok = true;
    static const struct {
        int kind;
        const char *file;
    } kinds[] = {{CL_DOC_HANDOUT, "handout.pdf"}, {CL_DOC_STUDY, "study.pdf"}, {CL_DOC_BINDER, "binder.pdf"}};
    for (size_t i = 0; ok && i < req->n_courses; i++) {
        const cl_course *co = req->courses[i];
        char dir[PATH_MAX];
        snprintf(dir, sizeof dir, "%s/%s", out, co->id);
        ok = !cl_setup_layout(s, co, req->layout, &lay, false);
        for (size_t k = 0; ok && k < 3; k++)
            if (req->kinds & kinds[k].kind)
                ok = write_doc(s, co, kinds[k].kind, &lay, dir, kinds[k].file, req, rep, ++index, total, err);
    }
    if (ok && req->dossier_binder) {
        char dir[PATH_MAX];
        snprintf(dir, sizeof dir, "%s/dossier", out);
        ok = !cl_setup_layout(s, NULL, req->layout, &lay, false) &&
             write_doc(s, NULL, CL_DOC_BINDER, &lay, dir, "binder.pdf", req, rep, ++index, total, err);
    }
    return ok;
}
