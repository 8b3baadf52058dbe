/* fuzz_course.c: libFuzzer target for a teacher's course file on its own, as given on
 * the command line beside the project's dossier (`classeur build MY-COURSE.yaml`). The
 * input is the course file; the dossier is loaded with it and checked, and when there
 * is no error the course's handout, study sheets or binder (by the input's length) is
 * composed. Any crash, hang, leak or sanitizer report is a bug. */
#include "fuzz_files.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_setup("fuzz-course");
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_put("fuzzed.yaml", data, size);
    const char *files[1] = {path};
    cl_diags d = {0};
    cl_catalog *cat = cl_catalog_load("data", files, 1, &d);
    if (cat && !d.errors) {
        const cl_course *co = cl_catalog_course(cat, path);
        if (co)
            fuzz_compose(cat, co, (unsigned)size, NULL);
    }
    cl_catalog_drop(cat);
    cl_diags_free(&d);
    return 0;
}
