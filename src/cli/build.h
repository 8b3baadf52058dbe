/* build.h: the build driver behind `classeur build` and `classeur binder`: for each
 * document asked, composes it with the layout it uses (compose/documents.h) and writes
 * it with the PDF device into OUT/<course-id>/<kind>.pdf (OUT/dossier/binder.pdf for the
 * whole dossier), through the temporary-file writer: a document that fails leaves
 * nothing behind and the previous file as it was. */
#ifndef CL_BUILD_H
#define CL_BUILD_H
#include "setup.h"

typedef struct cl_build_request {
    const char *out_dir;               /* default "out" */
    const char *layout;                /* layout name or file; NULL: the course's, else default */
    bool progress;                     /* "[i/N] course file" lines on stderr */
    bool verbose;                      /* every warning (else at most three of a kind) */
    const cl_course *const *courses;
    size_t n_courses;
    int kinds;                         /* CL_DOC_* bits for each course */
    bool dossier_binder;               /* also the whole-dossier binder */
    int jobs;                          /* documents made at once (1: one after the other) */
} cl_build_request;

typedef struct cl_build_report {
    size_t planned;             /* documents asked for */
    size_t documents, pages;    /* documents written, and their pages */
} cl_build_report;

/* Build what req asks with what s has set up (catalogue, fonts, hyphenation). Every
 * layout is checked before anything is written (its problems are printed). Each
 * document's progress line ("[3/13] bts-sp3s-module-c binder.pdf") and warnings (a unit
 * broken across pages…, "classeur: warning: FILE: …") go to stderr in document order,
 * whatever req->jobs. Stops at the first error: err set, documents already written
 * stay. */
CL_MUST_CHECK bool cl_build(const cl_setup *s, const cl_build_request *req, cl_build_report *rep, cl_err *err);
#endif
