/* documents.h: building documents from the catalogue — the entry point of the command
 * line's `build` and `binder`. Loads fonts and hyphenation once per run, composes each
 * document into a display list and writes it with the PDF backend into
 * OUT/<course-id>/<kind>.pdf. */
#ifndef CL_DOCUMENTS_H
#define CL_DOCUMENTS_H
#include "../model/model.h"
#include "../render/displaylist.h"
#include "../typeset/hyph.h"

struct cl_layout;

enum { CL_DOC_HANDOUT = 1, CL_DOC_STUDY = 2, CL_DOC_BINDER = 4, CL_DOC_ALL = 7 };

/* "handout" → CL_DOC_HANDOUT…; 0 when unknown. */
int cl_doc_kind_parse(const char *s);

typedef struct cl_build_request {
    const char *out_dir;               /* default "out" */
    const char *layout;                /* layout name or file; NULL: the course's, else default */
    bool verbose, progress;            /* progress lines on stderr */
    const cl_course *const *courses;
    size_t n_courses;
    int kinds;                         /* CL_DOC_* bits for each course */
    bool dossier_binder;               /* also the whole-dossier binder */
    cl_diags *diags;                   /* where layout problems go (may be NULL) */
} cl_build_request;

typedef struct cl_build_report {
    size_t documents, pages;
} cl_build_report;

/* Build what req asks. Stops at the first error (err set); documents already written
 * stay, and the failing one leaves nothing behind. */
bool cl_build(const cl_catalog *cat, const cl_build_request *req, cl_build_report *rep, cl_err *err);

/* "BTS SP3S · Module C – Prestations et services" (arena string). */
const char *cl_course_heading(cl_arena *a, const cl_course *co);
/* Compose the teacher handout of course into a new document (caller drops it). */
cl_doc *cl_handout_compose(const cl_catalog *cat, const cl_course *course, cl_fonts *fonts, const cl_hyph *hyph,
                           const struct cl_layout *lay, cl_err *err);
/* Compose one document of kind (CL_DOC_HANDOUT, CL_DOC_STUDY or CL_DOC_BINDER) for
 * course, or the whole-dossier binder when course is NULL, into a new display list
 * (caller drops it). The entry point for every backend: PDF, previews, trace. */
cl_doc *cl_document_compose(const cl_catalog *cat, const cl_course *course, int kind, cl_fonts *fonts,
                            const cl_hyph *hyph, cl_err *err);
/* Same with a layout (NULL: the built-in default). A booklet layout's pages come back
 * already imposed two-up on A4 landscape sheets. */
cl_doc *cl_document_compose_layout(const cl_catalog *cat, const cl_course *course, int kind, cl_fonts *fonts,
                                   const cl_hyph *hyph, const struct cl_layout *layout, cl_err *err);
/* Load the layout a course asks for: name (from --layout) if not NULL, else the course's
 * own `layout:`, else "default". Problems go to diags; false on error. */
bool cl_document_layout(struct cl_layout *out, const cl_course *course, const char *name, cl_diags *diags);
/* Compose the student study sheets of course (caller drops the result). */
cl_doc *cl_study_compose(const cl_catalog *cat, const cl_course *course, cl_fonts *fonts, const cl_hyph *hyph,
                         const struct cl_layout *lay, cl_err *err);
/* Compose the binder of course, or of the whole dossier when course is NULL. */
cl_doc *cl_binder_compose(const cl_catalog *cat, const cl_course *course, cl_fonts *fonts, const cl_hyph *hyph,
                          const struct cl_layout *lay, cl_err *err);
/* The first sentences of a note, at most about max characters, cut at a sentence end. */
const char *cl_note_summary(cl_arena *a, const char *text, size_t max);
/* The project's folder holding name ("fonts", "data"), found from the executable. */
const char *cl_project_path(const char *name);
#endif
