/* fuzz_data.c: libFuzzer target for the data loader and checker.
 *
 * The first byte of the input chooses which file of a small valid data folder the rest
 * replaces (diplomas, dossier, a resources file, a sections file, a course); the folder is
 * then loaded and checked, the catalogue written as JSON, and a handout composed when the
 * data has no error. Any crash, hang, leak or sanitizer report is a bug. Run with
 * `make fuzz` (FUZZ_SECONDS to change the duration); the corpus seeds come from
 * tests/data/good. */
#include "compose/documents.h"
#include "model/model.h"
#include "util/buf.h"
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[256];
static const char *const files[] = {"diplomas.yaml", "dossier.yaml", "resources/a.yaml", "sections/a.yaml",
                                    "courses/c.yaml"};
static char *originals[5];
static size_t original_len[5];

static char *slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long len = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *b = malloc((size_t)len + 1);
    if (b && fread(b, 1, (size_t)len, f) != (size_t)len) {
        free(b);
        b = NULL;
    }
    fclose(f);
    *n = (size_t)len;
    return b;
}

static void put(const char *name, const char *data, size_t n)
{
    char p[512];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    FILE *f = fopen(p, "wb");
    if (f) {
        fwrite(data, 1, n, f);
        fclose(f);
    }
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    snprintf(dir, sizeof dir, "/tmp/classeur-fuzz-%d", (int)getpid());
    char p[512];
    mkdir(dir, 0700);
    snprintf(p, sizeof p, "%s/resources", dir);
    mkdir(p, 0700);
    snprintf(p, sizeof p, "%s/sections", dir);
    mkdir(p, 0700);
    snprintf(p, sizeof p, "%s/courses", dir);
    mkdir(p, 0700);
    for (int i = 0; i < 5; i++) {
        snprintf(p, sizeof p, "tests/data/good/%s", files[i]);
        originals[i] = slurp(p, &original_len[i]);
        if (!originals[i]) {
            fprintf(stderr, "fuzz_data: run from the repository root (%s missing)\n", p);
            exit(1);
        }
        put(files[i], originals[i], original_len[i]);
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    int which = data[0] % 5;
    put(files[which], (const char *)data + 1, size - 1);
    cl_diags d = {0};
    cl_catalog *c = cl_catalog_load(dir, NULL, 0, &d);
    if (c) {
        cl_buf b = {0};
        cl_catalog_to_json(c, &b);
        cl_buf_free(&b);
        static cl_fonts *fonts;
        static cl_hyph *hyph;
        if (!fonts) {
            cl_err e = {0};
            fonts = cl_fonts_load("fonts", &e);
            hyph = cl_hyph_load(NULL, &(cl_err){0});
        }
        if (!d.errors && fonts && c->n_courses) {
            for (int kind = 1; kind <= 4; kind *= 2) {
                cl_err err = {0};
                cl_doc *doc = cl_document_compose(c, c->courses[0], kind, fonts, hyph, &err);
                cl_doc_drop(doc);
            }
        }
        cl_catalog_drop(c);
    }
    cl_diags_free(&d);
    put(files[which], originals[which], original_len[which]);
    return 0;
}
