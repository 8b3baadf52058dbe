/* fuzz_layout.c: libFuzzer target for layout files. The input is a layout file; it is
 * loaded (its `base:` may name a built-in layout), and when it has no error the
 * default course's handout, study sheets or binder (by the input's length) is composed
 * with it from the project's dossier. Extreme sizes, margins, columns and block lists
 * must give pages or an error value, never a crash, a hang or a sanitizer report. */
#include "fuzz_files.h"

static cl_catalog *cat;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_setup("fuzz-layout");
    cl_diags d = {0};
    cat = cl_catalog_load("data", NULL, 0, &d);
    if (!cat || d.errors || !cat->n_courses) {
        fprintf(stderr, "fuzz_layout: the project's data/ does not load\n");
        exit(1);
    }
    cl_diags_free(&d);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_put("fuzzed.yaml", data, size);
    cl_layout lay;
    cl_diags d = {0};
    bool ok = cl_layout_load(&lay, "layouts", path, &d);
    if (ok != (d.errors == 0))
        abort(); /* the result and the diagnostics must agree */
    if (ok)
        fuzz_compose(cat, cat->courses[0], (unsigned)size, &lay);
    cl_diags_free(&d);
    return 0;
}
