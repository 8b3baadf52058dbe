/* setup.c: the shared set-up of the commands (see setup.h). */
#include "setup.h"
#include "../compose/documents.h"
#include "../compose/printable.h"
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const char *cl_project_dir(const char *name, char *buf, size_t size)
{
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = 0;
        for (int up = 0; up < 4; up++) {
            char *slash = strrchr(exe, '/');
            if (!slash)
                break;
            *slash = 0;
            int len = snprintf(buf, size, "%s/%s", exe, name);
            struct stat st;
            if (len > 0 && (size_t)len < size && stat(buf, &st) == 0 && S_ISDIR(st.st_mode))
                return buf;
        }
    }
    snprintf(buf, size, "%s", name);
    return buf;
}

int cl_setup_load(cl_setup *s, const cl_setup_opts *o)
{
    memset(s, 0, sizeof *s);
    cl_project_dir(".", s->root, sizeof s->root);
    if (o->data)
        snprintf(s->data, sizeof s->data, "%s", o->data);
    else
        cl_project_dir("data", s->data, sizeof s->data);
    s->cat = cl_catalog_load_opts(s->data, o->files, o->n_files, &o->load, &s->diags);
    if (!s->cat) {
        fprintf(stderr, "classeur: out of memory\n");
        return 1;
    }
    return 0;
}

int cl_setup_refuse_errors(const cl_setup *s)
{
    if (!s->diags.errors)
        return 0;
    cl_diags_print_min(&s->diags, stderr, CL_ERROR);
    fprintf(stderr, "classeur: the data has %zu error%s; nothing was written\n", s->diags.errors,
            s->diags.errors == 1 ? "" : "s");
    return 1;
}

int cl_setup_fonts(cl_setup *s)
{
    char dir[PATH_MAX];
    cl_err err = {0};
    s->fonts = cl_fonts_load(cl_project_dir("fonts", dir, sizeof dir), &err);
    if (!s->fonts) {
        fprintf(stderr, "classeur: %s\n", err.msg);
        return 1;
    }
    s->hyph = cl_hyph_load(NULL, &err);
    if (!s->hyph) {
        fprintf(stderr, "classeur: %s\n", err.msg);
        return 1;
    }
    return 0;
}

int cl_setup_check_printable(cl_setup *s, bool refuse)
{
    if (!refuse) {
        cl_check_printable(s->cat, s->fonts, &s->diags);
        return 0;
    }
    cl_diags d = {0};
    cl_check_printable(s->cat, s->fonts, &d);
    int rc = 0;
    if (d.errors) {
        cl_diags_print_min(&d, stderr, CL_ERROR);
        fprintf(stderr, "classeur: the data has %zu error%s; nothing was written\n", d.errors, d.errors == 1 ? "" : "s");
        rc = 1;
    }
    cl_diags_free(&d);
    return rc;
}

void cl_setup_check_layouts(cl_setup *s, const char *name)
{
    char dir[PATH_MAX];
    cl_check_layouts(s->cat, cl_project_dir("layouts", dir, sizeof dir), name, &s->diags);
}

size_t cl_setup_layout(const cl_setup *s, const cl_course *course, const char *name, cl_layout *out, bool print)
{
    (void)s;
    char dir[PATH_MAX];
    cl_diags ld = {0};
    bool ok = cl_document_layout(out, course, name, cl_project_dir("layouts", dir, sizeof dir), &ld);
    if (print)
        cl_diags_print(&ld, stderr);
    size_t errors = ld.errors;
    cl_diags_free(&ld);
    return !ok && !errors ? 1 : errors;
}

void cl_setup_close(cl_setup *s)
{
    cl_hyph_drop(s->hyph);
    cl_fonts_drop(s->fonts);
    cl_catalog_drop(s->cat);
    cl_diags_free(&s->diags);
    memset(s, 0, sizeof *s);
}
