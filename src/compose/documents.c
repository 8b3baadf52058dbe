/* documents.c: composing a document of a given kind and layout (see documents.h). */
#include "documents.h"
#include "impose.h"
#include "layoutfile.h"
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

bool cl_document_layout(cl_layout *out, const cl_course *course, const char *name, const char *layouts_dir,
                        cl_diags *diags)
{
    const char *want = name ? name : (course && course->layout ? course->layout : "default");
    return cl_layout_load(out, layouts_dir, want, diags);
}

