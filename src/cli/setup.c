/* setup.c: the shared set-up of the commands (see setup.h). */
#include "setup.h"
#include "../compose/documents.h"
#include "../compose/printable.h"
#include "../util/i18n.h"
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
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
            struct stat st;
            int len = snprintf(buf, size, "%s/%s", exe, name); /* the source tree: build/classeur */
            if (len > 0 && (size_t)len < size && stat(buf, &st) == 0 && S_ISDIR(st.st_mode))
                return buf;
            len = snprintf(buf, size, "%s/share/classeur/%s", exe, name); /* installed: PREFIX/bin/classeur */
            if (up == 1 && len > 0 && (size_t)len < size && stat(buf, &st) == 0 && S_ISDIR(st.st_mode))
                return buf;
        }
    }
    snprintf(buf, size, "%s", name);
    return buf;
}

void cl_i18n_init(void)
{
    setlocale(LC_MESSAGES, "");
    char exe[PATH_MAX], dir[PATH_MAX + 32];
    const char *found = NULL;
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = 0;
        char *slash = strrchr(exe, '/');
        if (slash) {
            *slash = 0; /* the executable's folder */
            const char *tries[] = {"%s/locale", "%s/../share/locale"}; /* build/classeur; PREFIX/bin/classeur */
            for (size_t i = 0; i < 2 && !found; i++) {
                char mo[sizeof dir + 64];
                snprintf(dir, sizeof dir, tries[i], exe);
                snprintf(mo, sizeof mo, "%s/fr/LC_MESSAGES/" CL_TEXT_DOMAIN ".mo", dir);
                if (access(mo, R_OK) == 0)
                    found = dir;
            }
        }
    }
    if (found)
        bindtextdomain(CL_TEXT_DOMAIN, found);
    bind_textdomain_codeset(CL_TEXT_DOMAIN, "UTF-8");
}

int cl_setup_load(cl_setup *s, const cl_setup_opts *o)
{
    memset(s, 0, sizeof *s);
    cl_project_dir(".", s->root, sizeof s->root);
    if (o->data)
        snprintf(s->data, sizeof s->data, "%s", o->data);
    else
        cl_project_dir("data", s->data, sizeof s->data);
    s->named = o->files;
    s->n_named = o->n_files;
    s->cat = cl_catalog_load_opts(s->data, o->files, o->n_files, &o->load, &s->diags);
    if (!s->cat) {
        fputs(_("classeur: out of memory\n"), stderr);
        return 1;
    }
    return 0;
}

/* The same file, named either way. */
static bool same_file(const char *a, const char *b)
{
    if (!strcmp(a, b))
        return true;
    char ra[PATH_MAX], rb[PATH_MAX];
    return realpath(a, ra) && realpath(b, rb) && !strcmp(ra, rb);
}

/* Is file a course file: in the data's courses/ folder, or named on the command line? */
static bool is_course_file(const cl_setup *s, const char *file)
{
    if (!file)
        return false;
    size_t n = strlen(s->data);
    if (!strncmp(file, s->data, n) && !strncmp(file + n, "/courses/", 9) && !strchr(file + n + 9, '/'))
        return true;
    for (size_t i = 0; i < s->n_named; i++)
        if (same_file(file, s->named[i]))
            return true;
    return false;
}

/* The file of course key (a path or an id): the course's own, else key itself. */
static const char *course_file(const cl_setup *s, const char *key)
{
    const cl_course *co = cl_catalog_course(s->cat, key);
    return co ? co->path : key;
}

int cl_setup_refuse_for(cl_setup *s, const char *const *courses, size_t n)
{
    if (s->fonts)
        cl_setup_check_printable(s);
    size_t errors = 0, in_layouts = 0; /* errors, and those of layout files */
    size_t n_data = strlen(s->data);
    for (int pass = 0; pass < 2; pass++) /* count, then print */
        for (size_t i = 0; i < s->diags.n; i++) {
            const cl_diag *g = &s->diags.items[i];
            if (g->sev != CL_ERROR)
                continue;
            bool stops = !is_course_file(s, g->file);
            for (size_t k = 0; k < n && !stops; k++)
                stops = same_file(g->file, course_file(s, courses[k]));
            if (!stops)
                continue;
            if (pass == 0) {
                errors++;
                in_layouts += g->file && !is_course_file(s, g->file) && strncmp(g->file, s->data, n_data);
            } else {
                cl_diag_print_source(g, stderr);
            }
        }
    /* errors counted but not kept (out of memory) stop everything */
    size_t lost = s->diags.errors + s->diags.warnings - s->diags.n;
    if (lost)
        fprintf(stderr,
                n_("classeur: error: %zu message lost (out of memory)\n",
                   "classeur: error: %zu messages lost (out of memory)\n", lost),
                lost);
    errors += lost;
    if (!errors)
        return 0;
    if (!in_layouts)
        fprintf(stderr,
                n_("classeur: the data has %zu error; nothing was written\n",
                   "classeur: the data has %zu errors; nothing was written\n", errors),
                errors);
    else if (in_layouts == errors)
        fprintf(stderr,
                n_("classeur: the layout has %zu error; nothing was written\n",
                   "classeur: the layout has %zu errors; nothing was written\n", errors),
                errors);
    else
        fprintf(stderr,
                n_("classeur: the data and the layout have %zu error; nothing was written\n",
                   "classeur: the data and the layout have %zu errors; nothing was written\n", errors),
                errors);
    return 1;
}

size_t cl_setup_bad_course_files(const cl_setup *s, const char **out, size_t max)
{
    size_t n = 0;
    for (size_t i = 0; i < s->diags.n; i++) {
        const cl_diag *g = &s->diags.items[i];
        if (g->sev != CL_ERROR || !is_course_file(s, g->file))
            continue;
        bool seen = false;
        for (size_t k = 0; k < n && k < max && !seen; k++)
            seen = !strcmp(out[k], g->file);
        if (!seen) {
            if (n < max)
                out[n] = g->file;
            n++;
        }
    }
    return n;
}

void cl_setup_print_file_errors(const cl_setup *s, const char *path)
{
    for (size_t i = 0; i < s->diags.n; i++) {
        const cl_diag *g = &s->diags.items[i];
        if (g->sev == CL_ERROR && g->file && !strcmp(g->file, path)) {
            cl_diag_print_source(g, stderr);
        }
    }
}

void cl_setup_print_diags(const cl_setup *s, bool verbose)
{
    const cl_diags *d = &s->diags;
    enum { MAX_SHOWN = 3 };
    size_t hidden = 0;
    for (size_t i = 0; i < d->n; i++) {
        const cl_diag *g = &d->items[i];
        if (g->sev == CL_WARNING && !verbose) {
            char kind[512], other[512];
            cl_diag_kind(g->msg, kind, sizeof kind);
            size_t before = 0; /* warnings of the same kind printed before this one */
            for (size_t j = 0; j < i && before < MAX_SHOWN; j++)
                if (d->items[j].sev == CL_WARNING) {
                    cl_diag_kind(d->items[j].msg, other, sizeof other);
                    before += !strcmp(kind, other);
                }
            if (before >= MAX_SHOWN) {
                hidden++;
                continue;
            }
        }
        cl_diag_print_source(g, stderr);
    }
    if (hidden)
        fprintf(stderr,
                n_("classeur: warning: %zu more warning like those above (classeur check --verbose lists them all)\n",
                   "classeur: warning: %zu more warnings like those above (classeur check --verbose lists them "
                   "all)\n",
                   hidden),
                hidden);
    size_t lost = d->errors + d->warnings - d->n;
    if (lost)
        fprintf(stderr,
                n_("classeur: error: %zu more message lost (out of memory)\n",
                   "classeur: error: %zu more messages lost (out of memory)\n", lost),
                lost);
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

void cl_setup_check_printable(cl_setup *s)
{
    if (!s->printable_checked)
        cl_check_printable(s->cat, s->fonts, &s->diags);
    s->printable_checked = true;
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
        cl_diags_print_source(&ld, stderr, CL_WARNING);
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
