/* documents.c: the build driver (see documents.h). */
#include "documents.h"
#include "layoutfile.h"
#include "../render/impose.h"
#include "../render/pdf.h"
#include "../util/files.h"
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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

const char *cl_project_path(const char *name)
{
    static char out[4][PATH_MAX + 64];
    static int slot = 0;
    char *buf = out[slot];
    slot = (slot + 1) % 4;
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = 0;
        for (int up = 0; up < 4; up++) {
            char *slash = strrchr(exe, '/');
            if (!slash)
                break;
            *slash = 0;
            snprintf(buf, PATH_MAX + 64, "%s/%s", exe, name);
            struct stat st;
            if (stat(buf, &st) == 0 && S_ISDIR(st.st_mode))
                return buf;
        }
    }
    snprintf(buf, PATH_MAX + 64, "%s", name);
    return buf;
}

cl_doc *cl_document_compose_layout(const cl_catalog *cat, const cl_course *course, int kind, cl_fonts *fonts,
                                   const cl_hyph *hyph, const cl_layout *lay, cl_err *err)
{
    cl_doc *doc = NULL;
    if (kind == CL_DOC_HANDOUT && course)
        doc = cl_handout_compose(cat, course, fonts, hyph, lay, err);
    else if (kind == CL_DOC_STUDY && course)
        doc = cl_study_compose(cat, course, fonts, hyph, lay, err);
    else if (kind == CL_DOC_BINDER)
        doc = cl_binder_compose(cat, course, fonts, hyph, lay, err);
    else
        cl_err_set(err, CL_E_USAGE, "handouts and study sheets belong to a course: name a course file");
    if (doc && lay && lay->booklet && !cl_impose_booklet(doc, !lay->flip_short)) {
        cl_err_set(err, CL_E_NOMEM, "out of memory imposing the booklet");
        cl_doc_drop(doc);
        return NULL;
    }
    return doc;
}

cl_doc *cl_document_compose(const cl_catalog *cat, const cl_course *course, int kind, cl_fonts *fonts,
                            const cl_hyph *hyph, cl_err *err)
{
    return cl_document_compose_layout(cat, course, kind, fonts, hyph, NULL, err);
}

bool cl_document_layout(cl_layout *out, const cl_course *course, const char *name, cl_diags *diags)
{
    const char *want = name ? name : (course && course->layout ? course->layout : "default");
    return cl_layout_load(out, cl_project_path("layouts"), want, diags);
}

static bool write_doc(cl_doc *doc, const char *dir, const char *file, const cl_build_request *req,
                      cl_build_report *rep, size_t index, size_t total, cl_err *err)
{
    if (!doc)
        return false;
    char path[PATH_MAX + 64];
    snprintf(path, sizeof path, "%s/%s", dir, file);
    if (req->progress) {
        const char *name = strrchr(dir, '/');
        fprintf(stderr, "[%zu/%zu] %s %s\n", index, total, name ? name + 1 : dir, file);
    }
    for (size_t i = 0; req->diags && i < doc->n_warnings; i++)
        cl_diags_add(req->diags, CL_WARNING, path, 0, 0, "%s", doc->warnings[i]);
    bool ok = cl_make_dirs(dir, err) && cl_pdf_write(doc, path, err);
    if (ok) {
        rep->documents++;
        rep->pages += doc->n_pages;
    }
    cl_doc_drop(doc);
    return ok;
}

bool cl_build(const cl_catalog *cat, const cl_build_request *req, cl_build_report *rep, cl_err *err)
{
    const char *out = req->out_dir ? req->out_dir : "out";
    cl_fonts *fonts = cl_fonts_load(cl_project_path("fonts"), err);
    if (!fonts)
        return false;
    cl_hyph *hyph = cl_hyph_load(NULL);
    if (!hyph) {
        cl_err_set(err, CL_E_IO, "cannot load French hyphenation patterns (/usr/share/hyphen/hyph_fr.dic from the hyphen-fr package; run scripts/deps.sh)");
        cl_fonts_drop(fonts);
        return false;
    }
    bool ok = true;
    cl_diags local = {0};
    cl_diags *ld = req->diags ? req->diags : &local;
    cl_layout lay;
    /* every layout is checked before anything is written */
    for (size_t i = 0; ok && i <= req->n_courses; i++) {
        if (i == req->n_courses && !req->dossier_binder)
            break;
        ok = cl_document_layout(&lay, i < req->n_courses ? req->courses[i] : NULL, req->layout, ld);
    }
    size_t per_course = (size_t)!!(req->kinds & CL_DOC_HANDOUT) + !!(req->kinds & CL_DOC_STUDY) + !!(req->kinds & CL_DOC_BINDER);
    size_t total = req->n_courses * per_course + req->dossier_binder, index = 0;
    for (size_t i = 0; ok && i < req->n_courses; i++) {
        const cl_course *co = req->courses[i];
        char dir[PATH_MAX];
        snprintf(dir, sizeof dir, "%s/%s", out, co->id);
        if (!cl_document_layout(&lay, co, req->layout, ld)) {
            ok = false;
            break;
        }
        static const struct { int kind; const char *file; } kinds[] = {
            {CL_DOC_HANDOUT, "handout.pdf"}, {CL_DOC_STUDY, "study.pdf"}, {CL_DOC_BINDER, "binder.pdf"}};
        for (size_t k = 0; ok && k < 3; k++)
            if (req->kinds & kinds[k].kind)
                ok = write_doc(cl_document_compose_layout(cat, co, kinds[k].kind, fonts, hyph, &lay, err), dir,
                               kinds[k].file, req, rep, ++index, total, err);
    }
    if (ok && req->dossier_binder) {
        char dir[PATH_MAX];
        snprintf(dir, sizeof dir, "%s/dossier", out);
        ok = cl_document_layout(&lay, NULL, req->layout, ld) &&
             write_doc(cl_document_compose_layout(cat, NULL, CL_DOC_BINDER, fonts, hyph, &lay, err), dir, "binder.pdf",
                       req, rep, ++index, total, err);
    }
    if (ld->errors)
        cl_err_set(err, CL_E_DATA, "the layout has %zu error%s; nothing was written", ld->errors,
                   ld->errors == 1 ? "" : "s");
    cl_diags_free(&local);
    cl_hyph_drop(hyph);
    cl_fonts_drop(fonts);
    return ok;
}
