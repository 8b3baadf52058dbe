/* fuzz_files.h: what the fuzz targets that read one file share: a private folder for
 * the file under test, the project's real dossier, fonts and patterns loaded once, and
 * the composition of a course's documents. Included by one target each (static). Run
 * the targets from the repository root. */
#include "compose/documents.h"
#include "compose/layoutfile.h"
#include "model/model.h"
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char fuzz_dir[256];
static cl_fonts *fuzz_fonts;
static cl_hyph *fuzz_hyph;

/* Make the private folder and load the fonts and patterns; exits when run elsewhere
 * than the repository root (the only exit: this is a test harness's set-up). */
static void fuzz_setup(const char *name)
{
    snprintf(fuzz_dir, sizeof fuzz_dir, "/tmp/classeur-%s-%d", name, (int)getpid());
    mkdir(fuzz_dir, 0700);
    cl_err e = {0};
    fuzz_fonts = cl_fonts_load("fonts", &e);
    fuzz_hyph = cl_hyph_load(NULL, &(cl_err){0});
    if (!fuzz_fonts || !fuzz_hyph) {
        fprintf(stderr, "%s: run from the repository root (%s)\n", name, e.msg);
        exit(1);
    }
}

/* Write the input as the file `name` of the private folder; returns its path. */
static const char *fuzz_put(const char *name, const uint8_t *data, size_t n)
{
    static char path[512];
    snprintf(path, sizeof path, "%s/%s", fuzz_dir, name);
    FILE *f = fopen(path, "wb");
    if (f) {
        fwrite(data, 1, n, f);
        fclose(f);
    }
    return path;
}

/* Compose one kind of course's documents (chosen by pick) with layout lay (NULL: the
 * default): an error must come with its message. */
static void fuzz_compose(const cl_catalog *cat, const cl_course *co, unsigned pick, const cl_layout *lay)
{
    static const int kinds[3] = {CL_DOC_HANDOUT, CL_DOC_STUDY, CL_DOC_BINDER};
    cl_err err = {0};
    cl_doc *doc = cl_document_compose_layout(cat, co, kinds[pick % 3], fuzz_fonts, fuzz_hyph, lay, &err);
    if (!doc && !err.code)
        abort(); /* a failure without its reason */
    cl_doc_drop(doc);
}
