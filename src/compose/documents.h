/* documents.h: the three documents composed from the catalogue — teacher handout,
 * student study sheets, binder — with the layout a course asks for, page by page into a
 * device (typeset/device.h): the PDF, pictures or a trace (render/), or a recorder that
 * keeps them as a cl_doc.
 *
 * A document is composed in passes: a first one only measures (where every section,
 * sheet and entry lands, and the page count); the next writes into the device, with the
 * page numbers of the sommaire and of "page n / N" from the pass before. When the pages
 * it lays out are the ones the pass before announced (always, in practice: what the
 * numbers change never moves a line), the document is done; otherwise the device is
 * dropped and another pass writes into a new one (at most four passes). Memory stays
 * that of a few pages whatever the document's length (compose.h). */
#ifndef CL_DOCUMENTS_H
#define CL_DOCUMENTS_H
#include "../model/model.h"
#include "../typeset/device.h"
#include "../typeset/hyph.h"
#include "../util/buf.h"

struct cl_layout;

enum { CL_DOC_HANDOUT = 1, CL_DOC_STUDY = 2, CL_DOC_BINDER = 4, CL_DOC_ALL = 7 };

/* "handout" → CL_DOC_HANDOUT…; 0 when unknown. */
int cl_doc_kind_parse(const char *s);

/* "BTS SP3S · Module C – Prestations et services" (arena string). */
const char *cl_course_heading(cl_arena *a, const cl_course *co);

/* A new device for one writing pass (NULL when out of memory). */
typedef cl_device *cl_device_maker(void *ctx);

/* What writing a document tells besides its pages. */
typedef struct cl_doc_report {
    size_t pages;          /* page count (sheet sides of an imposed booklet) */
    int passes;            /* composition passes it took */
    cl_buf warnings;       /* what composition could not do as asked, one a line (the caller frees it) */
} cl_doc_report;

/* Compose the document of kind (CL_DOC_HANDOUT, CL_DOC_STUDY or CL_DOC_BINDER) for
 * course, or the whole-dossier binder when course is NULL, with layout lay (NULL: the
 * built-in default), into a device made by make(ctx). A booklet layout's pages arrive
 * imposed two-up on A4 landscape sheets. Returns the device with the whole document sent
 * (metadata, pages, bookmarks) and still open: the caller closes it (which writes the
 * output) and drops it. NULL and err set on failure; every device made was dropped. */
cl_device *cl_document_write(const cl_catalog *cat, const cl_course *course, int kind, cl_fonts *fonts,
                             const cl_hyph *hyph, const struct cl_layout *lay, cl_device_maker *make, void *ctx,
                             cl_doc_report *rep, cl_err *err);
/* The same document recorded in memory (cl_recorder_new), with its warnings: for
 * previews that need every page at once, and tests. The caller drops it. */
cl_doc *cl_document_compose_layout(const cl_catalog *cat, const cl_course *course, int kind, cl_fonts *fonts,
                                   const cl_hyph *hyph, const struct cl_layout *layout, cl_err *err);
/* The same with the built-in default layout. */
cl_doc *cl_document_compose(const cl_catalog *cat, const cl_course *course, int kind, cl_fonts *fonts,
                            const cl_hyph *hyph, cl_err *err);
/* Load the layout a course asks for: name (from --layout) if not NULL, else the course's
 * own `layout:`, else "default"; a name is looked up in layouts_dir (the project's
 * layouts/), a path is read as it is. Problems go to diags (a layout the course names
 * that cannot be found, at the course's `layout:` line); false on error. */
CL_MUST_CHECK bool cl_document_layout(struct cl_layout *out, const cl_course *course, const char *name, const char *layouts_dir,
                        cl_diags *diags);
/* Load, each once, every layout the documents of cat would use (name when not NULL,
 * else each course's own and the default), adding their problems to diags: what
 * `check` reports so that `build` never fails on a layout `check` accepted. */
void cl_check_layouts(const cl_catalog *cat, const char *layouts_dir, const char *name, cl_diags *diags);
struct cl_pass;
struct cl_composer;
/* The boxes of each document (handout.c, study.c, binder.c) into a composer set up by
 * cl_document_write for one pass: they set the metadata (cl_pass_begin) and the running
 * header, start the composer, and add every box, flushing the flow at unit boundaries.
 * false and the composer's err set on failure. */
CL_MUST_CHECK bool cl_handout_compose(struct cl_composer *c, const cl_course *course);
CL_MUST_CHECK bool cl_study_compose(struct cl_composer *c, const cl_course *course);
CL_MUST_CHECK bool cl_binder_compose(struct cl_composer *c, const cl_course *course);
/* How many anchors a document of kind has (the places its page numbers point at). */
size_t cl_document_anchors(const cl_catalog *cat, const cl_course *course, int kind);
/* The metadata of the pass's document, kept in pass->info (strings in the pass's arena)
 * and sent to its device at once when it has one (a streaming pass); back: what a
 * booklet's back cover says the document is. */
void cl_pass_begin(struct cl_pass *pass, cl_fonts *fonts, const char *title, const char *author, const char *subject,
                   const char *keywords, bool outline_open, const char *back);
/* The first sentences of a note, at most about max characters, cut at a sentence end. */
const char *cl_note_summary(cl_arena *a, const char *text, size_t max);
#endif
