/* preview.c: the `preview` and `trace` commands (see preview.h). */
#include "preview.h"
#include "../util/files.h"
#include "../compose/documents.h"
#include "../compose/layoutfile.h"
#include "../model/model.h"
#include "../render/cairo.h"
#include "../render/trace.h"
#include "../util/buf.h"
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static const char *preview_usage =
    "usage: classeur preview COURSE.yaml [--kind handout|study|binder] [--page N]\n"
    "                        [--png DIR [--dpi N]] [--svg DIR] [--pgm DIR] [--contact FILE.png]\n"
    "       classeur preview --dossier [same outputs]\n"
    "  --png DIR          one PNG per page, DIR/KIND-NN.png\n"
    "  --dpi N            resolution of --png and --pgm (default 150; 9 to 2400)\n"
    "  --svg DIR          one SVG per page, DIR/KIND-NN.svg\n"
    "  --pgm DIR          one grey PGM per page, DIR/KIND-NN.pgm (for comparisons)\n"
    "  --contact FILE.png every page as a thumbnail (48 dpi, 4 a row) on one picture\n"
    "  --page N           only page N (1-based)\n"
    "  --dossier          the whole-dossier binder instead of a course's document\n"
    "  --data DIR, --layout NAME, --verbose as for build\n";

static const char *trace_usage =
    "usage: classeur trace COURSE.yaml [--kind handout|study|binder] [--out FILE]\n"
    "       classeur trace --dossier [--out FILE]\n"
    "  prints the display list of the document, one operation a line (see src/render/trace.h)\n";

typedef struct popts {
    const char *data, *layout, *kind, *course;
    const char *png, *svg, *pgm, *contact;  /* preview outputs */
    const char *out;                        /* trace: file instead of stdout */
    double dpi;
    long page;                              /* 1-based; 0: every page */
    bool dossier, verbose;
} popts;

static int usage_error(const char *usage, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* "classeur: MESSAGE" and the command's usage on stderr; the exit status of usage errors. */
static int usage_error(const char *usage, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("classeur: ", stderr);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    fputs(usage, stderr);
    return 2;
}

static int parse(int argc, char **argv, bool preview, popts *o)
{
    const char *usage = preview ? preview_usage : trace_usage;
    const char *dpi = NULL, *page = NULL;
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        const char **slot = NULL;
        if (!strcmp(a, "--data"))
            slot = &o->data;
        else if (!strcmp(a, "--layout"))
            slot = &o->layout;
        else if (!strcmp(a, "--kind"))
            slot = &o->kind;
        else if (!strcmp(a, "--dossier"))
            o->dossier = true;
        else if (!strcmp(a, "--verbose") || !strcmp(a, "-v"))
            o->verbose = true;
        else if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            fputs(usage, stdout);
            return -1;
        } else if (preview && !strcmp(a, "--png"))
            slot = &o->png;
        else if (preview && !strcmp(a, "--svg"))
            slot = &o->svg;
        else if (preview && !strcmp(a, "--pgm"))
            slot = &o->pgm;
        else if (preview && !strcmp(a, "--contact"))
            slot = &o->contact;
        else if (preview && !strcmp(a, "--dpi"))
            slot = &dpi;
        else if (preview && !strcmp(a, "--page"))
            slot = &page;
        else if (!preview && !strcmp(a, "--out"))
            slot = &o->out;
        else if (a[0] == '-' && a[1])
            return usage_error(usage, "unknown option '%s'", a);
        else if (o->course)
            return usage_error(usage, "one course at a time (also got '%s')", a);
        else
            o->course = a;
        if (slot) {
            if (i + 1 >= argc)
                return usage_error(usage, "option '%s' needs a value", a);
            *slot = argv[++i];
        }
    }
    if (dpi) {
        char *end;
        o->dpi = strtod(dpi, &end);
        if (end == dpi || *end || !(o->dpi >= CL_CAIRO_DPI_MIN && o->dpi <= CL_CAIRO_DPI_MAX))
            return usage_error(usage, "--dpi '%s' is not a resolution (accepted: 9 to 2400)", dpi);
    }
    if (page) {
        char *end;
        o->page = strtol(page, &end, 10);
        if (end == page || *end || o->page < 1)
            return usage_error(usage, "--page '%s' is not a page number (accepted: 1, 2, ...)", page);
    }
    if (o->dossier && o->course)
        return usage_error(usage, "--dossier takes no course file (got '%s')", o->course);
    if (!o->dossier && !o->course)
        return usage_error(usage, "%s needs a course file (data/courses/NAME.yaml) or --dossier",
                           preview ? "preview" : "trace");
    if (preview && !o->png && !o->svg && !o->pgm && !o->contact)
        return usage_error(usage, "%s: say what to write: --png DIR, --svg DIR, --pgm DIR or --contact FILE.png",
                           "preview");
    if (!o->dpi)
        o->dpi = 150;
    return 0;
}

/* What one command works on; released by close_session(). */
typedef struct session {
    cl_catalog *cat;
    cl_diags diags;
    cl_fonts *fonts;
    cl_hyph *hyph;
    cl_doc *doc;
    const char *kind;   /* "handout", "study", "binder" */
} session;

static void close_session(session *s)
{
    cl_doc_drop(s->doc);
    cl_hyph_drop(s->hyph);
    cl_fonts_drop(s->fonts);
    cl_catalog_drop(s->cat);
    cl_diags_free(&s->diags);
}

/* Load the data, check it and compose the document o asks for. 0 or an exit status. */
static int open_session(const popts *o, session *s)
{
    memset(s, 0, sizeof *s);
    s->kind = o->kind ? o->kind : (o->dossier ? "binder" : "handout");
    int kind = cl_doc_kind_parse(s->kind);
    if (!kind) {
        fprintf(stderr, "classeur: unknown --kind '%s' (accepted: handout, study, binder)\n", s->kind);
        return 2;
    }
    if (o->dossier && kind != CL_DOC_BINDER) {
        fprintf(stderr, "classeur: --dossier previews the binder (accepted: --kind binder or no --kind)\n");
        return 2;
    }
    const char *data = o->data ? o->data : cl_project_path("data");
    const char *files[1] = {o->course};
    s->cat = cl_catalog_load(data, files, o->course ? 1 : 0, &s->diags);
    if (!s->cat) {
        fprintf(stderr, "classeur: out of memory\n");
        return 1;
    }
    if (s->diags.errors) {
        cl_diags_print_min(&s->diags, stderr, CL_ERROR); /* warnings are for 'check' */
        fprintf(stderr, "classeur: the data has %zu error%s; nothing was written\n", s->diags.errors,
                s->diags.errors == 1 ? "" : "s");
        return 1;
    }
    const cl_course *course = NULL;
    if (o->course) {
        course = cl_catalog_course(s->cat, o->course);
        if (!course) {
            fprintf(stderr, "classeur: '%s' is not a course (accepted: a file of data/courses/ or a course id)\n",
                    o->course);
            return 2;
        }
    }
    /* the layout build would use: --layout, else the course's own, else the default */
    cl_layout lay;
    cl_diags ld = {0};
    bool lay_ok = cl_document_layout(&lay, course, o->layout, &ld);
    cl_diags_print(&ld, stderr);
    size_t lay_errors = ld.errors;
    cl_diags_free(&ld);
    if (!lay_ok || lay_errors) {
        fprintf(stderr, "classeur: the layout has %zu error%s; nothing was written\n", lay_errors,
                lay_errors == 1 ? "" : "s");
        return 1;
    }
    cl_err err = {0};
    s->fonts = cl_fonts_load(cl_project_path("fonts"), &err);
    if (!s->fonts) {
        fprintf(stderr, "classeur: %s\n", err.msg);
        return 1;
    }
    s->hyph = cl_hyph_load(NULL);
    if (!s->hyph) {
        fprintf(stderr, "classeur: cannot load French hyphenation patterns (/usr/share/hyphen/hyph_fr.dic from the "
                        "hyphen-fr package; run scripts/deps.sh)\n");
        return 1;
    }
    s->doc = cl_document_compose_layout(s->cat, course, kind, s->fonts, s->hyph, &lay, &err);
    if (!s->doc) {
        fprintf(stderr, "classeur: %s\n", err.code ? err.msg : "cannot compose the document");
        return err.code == CL_E_USAGE ? 2 : 1;
    }
    for (size_t i = 0; i < s->doc->n_warnings; i++)
        fprintf(stderr, "classeur: warning: %s\n", s->doc->warnings[i]);
    return 0;
}

/* ---- files: written to PATH.tmp, renamed when complete ---------------------------- */

typedef struct outfile {
    FILE *f;
    char path[PATH_MAX];
    char tmp[PATH_MAX + 8];
} outfile;

static bool file_write(void *ctx, const void *data, size_t n)
{
    outfile *w = ctx;
    return fwrite(data, 1, n, w->f) == n;
}

static bool out_open(outfile *w, const char *path, cl_err *err)
{
    /* the file's folder, as for --png DIR */
    char dir[PATH_MAX];
    snprintf(dir, sizeof dir, "%s", path);
    char *slash = strrchr(dir, '/');
    if (slash && slash != dir) {
        *slash = 0;
        if (!cl_make_dirs(dir, err))
            return false;
    }
    snprintf(w->path, sizeof w->path, "%s", path);
    snprintf(w->tmp, sizeof w->tmp, "%s.tmp", path);
    w->f = fopen(w->tmp, "wb");
    if (!w->f) {
        cl_err_set(err, CL_E_IO, "%s: cannot write (%s)", w->tmp, strerror(errno));
        return false;
    }
    return true;
}

/* Close w; keep the file when ok and nothing failed, otherwise remove it. */
static bool out_close(outfile *w, bool ok, cl_err *err)
{
    bool failed = ferror(w->f) != 0;
    if (fclose(w->f) != 0)
        failed = true;
    if (ok && failed)
        cl_err_set(err, CL_E_IO, "%s: cannot write (%s)", w->tmp, strerror(errno));
    ok = ok && !failed;
    if (ok && rename(w->tmp, w->path) != 0) {
        cl_err_set(err, CL_E_IO, "%s: cannot rename to %s (%s)", w->tmp, w->path, strerror(errno));
        ok = false;
    }
    if (!ok)
        unlink(w->tmp);
    return ok;
}

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

typedef enum { OUT_PNG, OUT_SVG, OUT_PGM } out_kind;

/* Write page i (0-based) of s->doc as dir/KIND-NN.ext. */
static bool write_page(const session *s, const popts *o, out_kind k, const char *dir, size_t i, bool progress,
                       cl_err *err)
{
    static const char *const ext[] = {"png", "svg", "pgm"};
    int digits = 2;
    for (size_t n = s->doc->n_pages; n >= 100; n /= 10)
        digits++;
    char path[PATH_MAX];
    int len = snprintf(path, sizeof path, "%s/%s-%0*zu.%s", dir, s->kind, digits, i + 1, ext[k]);
    if (len < 0 || (size_t)len >= sizeof path) {
        cl_err_set(err, CL_E_USAGE, "%s: folder name too long", dir);
        return false;
    }
    if (progress)
        fprintf(stderr, "[%zu/%zu] %s\n", i + 1, s->doc->n_pages, path);
    outfile w;
    if (!out_open(&w, path, err))
        return false;
    bool ok;
    if (k == OUT_PNG) {
        ok = cl_cairo_png_write(s->doc, i, o->dpi, file_write, &w, err);
    } else if (k == OUT_SVG) {
        ok = cl_cairo_svg_write(s->doc, i, file_write, &w, err);
    } else {
        cl_grey g;
        ok = cl_cairo_page_grey(s->doc, i, o->dpi, &g, err) && cl_grey_pgm_write(&g, file_write, &w, err);
        cl_grey_free(&g);
    }
    return out_close(&w, ok, err);
}

int cl_cmd_preview(int argc, char **argv)
{
    popts o = {0};
    int rc = parse(argc, argv, true, &o);
    if (rc)
        return rc < 0 ? 0 : rc;
    session s;
    rc = open_session(&o, &s);
    if (rc) {
        close_session(&s);
        return rc;
    }
    cl_err err = {0};
    size_t first = 0, last = s.doc->n_pages;
    if (o.page) {
        if ((size_t)o.page > s.doc->n_pages) {
            fprintf(stderr, "classeur: --page %ld: the %s has %zu page%s\n", o.page, s.kind, s.doc->n_pages,
                    s.doc->n_pages == 1 ? "" : "s");
            close_session(&s);
            return 2;
        }
        first = (size_t)o.page - 1;
        last = first + 1;
    }
    bool progress = o.verbose || isatty(2);
    double t0 = now();
    size_t files = 0;
    const char *dirs[3] = {o.png, o.svg, o.pgm};
    for (int k = 0; k < 3 && !err.code; k++) {
        if (!dirs[k] || !cl_make_dirs(dirs[k], &err))
            continue;
        for (size_t i = first; i < last && !err.code; i++)
            if (write_page(&s, &o, (out_kind)k, dirs[k], i, progress, &err))
                files++;
    }
    if (o.contact && !err.code) {
        if (progress)
            fprintf(stderr, "[contact] %s\n", o.contact);
        outfile w;
        if (out_open(&w, o.contact, &err) &&
            out_close(&w, cl_cairo_contact_write(s.doc, CL_CONTACT_DPI, CL_CONTACT_COLUMNS, file_write, &w, &err),
                      &err))
            files++;
    }
    double secs = now() - t0;
    rc = 0;
    if (err.code) {
        fprintf(stderr, "classeur: %s\n", err.msg);
        rc = err.code == CL_E_USAGE ? 2 : 1;
    }
    if (progress)
        fprintf(stderr, "classeur: %zu file%s of the %s (%zu page%s) in %.3f s\n", files, files == 1 ? "" : "s",
                s.kind, s.doc->n_pages, s.doc->n_pages == 1 ? "" : "s", secs);
    close_session(&s);
    return rc;
}

int cl_cmd_trace(int argc, char **argv)
{
    popts o = {0};
    int rc = parse(argc, argv, false, &o);
    if (rc)
        return rc < 0 ? 0 : rc;
    session s;
    rc = open_session(&o, &s);
    if (rc) {
        close_session(&s);
        return rc;
    }
    cl_buf b = {0};
    cl_err err = {0};
    if (!cl_trace_write(s.doc, &b)) {
        cl_err_set(&err, CL_E_NOMEM, "out of memory");
    } else if (o.out) {
        outfile w;
        if (out_open(&w, o.out, &err))
            out_close(&w, file_write(&w, b.data, b.len), &err);
    } else if (fwrite(b.data, 1, b.len, stdout) != b.len || fflush(stdout) != 0) {
        cl_err_set(&err, CL_E_IO, "cannot write the trace to the standard output (%s)", strerror(errno));
    }
    if (err.code) {
        fprintf(stderr, "classeur: %s\n", err.msg);
        rc = 1;
    }
    cl_buf_free(&b);
    close_session(&s);
    return rc;
}
