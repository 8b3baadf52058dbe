/* documents.h: the three documents composed from the catalogue — teacher handout,
 * student study sheets, binder — into display lists, with the layout a course asks for.
 * Writing them is the devices' work (render/), driven by the command line (cli/). */
#ifndef CL_DOCUMENTS_H
#define CL_DOCUMENTS_H
#include "../model/model.h"
#include "../typeset/displaylist.h"
#include "../typeset/hyph.h"

struct cl_layout;

enum { CL_DOC_HANDOUT = 1, CL_DOC_STUDY = 2, CL_DOC_BINDER = 4, CL_DOC_ALL = 7 };

/* "handout" → CL_DOC_HANDOUT…; 0 when unknown. */
int cl_doc_kind_parse(const char *s);

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
 * own `layout:`, else "default"; a name is looked up in layouts_dir (the project's
 * layouts/), a path is read as it is. Problems go to diags; false on error. */
bool cl_document_layout(struct cl_layout *out, const cl_course *course, const char *name, const char *layouts_dir,
                        cl_diags *diags);
/* Compose the student study sheets of course (caller drops the result). */
cl_doc *cl_study_compose(const cl_catalog *cat, const cl_course *course, cl_fonts *fonts, const cl_hyph *hyph,
                         const struct cl_layout *lay, cl_err *err);
/* Compose the binder of course, or of the whole dossier when course is NULL. */
cl_doc *cl_binder_compose(const cl_catalog *cat, const cl_course *course, cl_fonts *fonts, const cl_hyph *hyph,
                          const struct cl_layout *lay, cl_err *err);
/* The first sentences of a note, at most about max characters, cut at a sentence end. */
const char *cl_note_summary(cl_arena *a, const char *text, size_t max);
#endif
