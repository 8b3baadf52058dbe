/* preview.c: the `preview` and `trace` commands (see preview.h). */
#include "preview.h"
#include "args.h"
#include "setup.h"
#include "../compose/documents.h"
#include "../compose/layoutfile.h"
#include "../model/model.h"
#include "../render/cairo.h"
#include "../render/trace.h"
#include "../util/buf.h"
#include "../util/files.h"
#include "../util/i18n.h"
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
    N_("usage: classeur preview COURSE.yaml [--kind handout|study|binder] [--page N]\n"
    "                        [--png DIR [--dpi N]] [--svg DIR] [--pgm DIR] [--contact FILE.png]\n"
    "       classeur preview --dossier [same outputs]\n"
    "  --png DIR          one PNG per page, DIR/KIND-NN.png\n"
    "  --dpi N            resolution of --png and --pgm (default 150; 9 to 2400)\n"
    "  --svg DIR          one SVG per page, DIR/KIND-NN.svg\n"
    "  --pgm DIR          one grey PGM per page, DIR/KIND-NN.pgm (for comparisons)\n"
    "  --contact FILE.png every page as a thumbnail (48 dpi, 4 a row) on one picture\n"
    "  --page N           only page N (1-based)\n"
    "  --dossier          the whole-dossier binder instead of a course's document\n"
    "  --data DIR, --layout NAME, --verbose as for build\n");

static const char *trace_usage =
    N_("usage: classeur trace COURSE.yaml [--kind handout|study|binder] [--out FILE]\n"
    "       classeur trace --dossier [--out FILE]\n"
    "  prints the display list of the document, one operation a line (see src/render/trace.h)\n");

const char *cl_preview_help(void) { return _(preview_usage); }
const char *cl_trace_help(void) { return _(trace_usage); }

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
    const char *usage = preview ? cl_preview_help() : cl_trace_help();
    const char *dpi = NULL, *page = NULL;
    const cl_opt preview_opts[] = {{"kind", 'k', &o->kind, NULL},     {"layout", 'l', &o->layout, NULL},
                                   {"data", 'd', &o->data, NULL},     {"dossier", 0, NULL, &o->dossier},
                                   {"png", 0, &o->png, NULL},         {"svg", 0, &o->svg, NULL},
                                   {"pgm", 0, &o->pgm, NULL},         {"contact", 0, &o->contact, NULL},
                                   {"dpi", 0, &dpi, NULL},            {"page", 'p', &page, NULL},
                                   {"verbose", 'v', NULL, &o->verbose}, {NULL, 0, NULL, NULL}};
    const cl_opt trace_opts[] = {{"kind", 'k', &o->kind, NULL},   {"layout", 'l', &o->layout, NULL},
                                 {"data", 'd', &o->data, NULL},   {"dossier", 0, NULL, &o->dossier},
                                 {"out", 'o', &o->out, NULL},     {"verbose", 'v', NULL, &o->verbose},
                                 {NULL, 0, NULL, NULL}};
    const char *course[1];
    cl_args a = {.cmd = preview ? "preview" : "trace", .help = usage, .what = N_("course file"), .pos = course,
                 .max_pos = 1};
    int rc = cl_args_read(argc, argv, 2, preview ? preview_opts : trace_opts, &a);
    if (rc)
        return rc;
    o->course = a.n_pos ? course[0] : NULL;
    if (o->contact) {
        size_t n = strlen(o->contact);
        if (n < 5 || strcmp(o->contact + n - 4, ".png"))
            return usage_error(usage, _("--contact '%s': the contact sheet is a PNG picture (accepted: a name ending in .png)"),
                               o->contact);
    }
    if (dpi) {
        char *end;
        o->dpi = strtod(dpi, &end);
        if (end == dpi || *end || !(o->dpi >= CL_CAIRO_DPI_MIN && o->dpi <= CL_CAIRO_DPI_MAX))
            return usage_error(usage, _("--dpi '%s' is not a resolution (accepted: 9 to 2400)"), dpi);
    }
    if (page) {
        char *end;
        o->page = strtol(page, &end, 10);
        if (end == page || *end || o->page < 1)
            return usage_error(usage, _("--page '%s' is not a page number (accepted: 1, 2, ...)"), page);
    }
    if (o->dossier && o->course)
        return usage_error(usage, _("--dossier takes no course file (got '%s')"), o->course);
    if (!o->dossier && !o->course)
        return usage_error(usage, _("%s needs a course file (data/courses/NAME.yaml) or --dossier"),
                           preview ? "preview" : "trace");
    if (preview && !o->png && !o->svg && !o->pgm && !o->contact)
        return usage_error(usage, _("%s: say what to write: --png DIR, --svg DIR, --pgm DIR or --contact FILE.png"),
                           "preview");
    if (!o->dpi)
        o->dpi = 150;
    return 0;
}

/* What one command works on; released by close_session(). */
typedef struct session {
    cl_setup setup;
    const cl_course *course;
    int kind;
    const char *kind_name;  /* "handout", "study", "binder" */
    cl_layout lay;
} session;

static void close_session(session *s)
{
    cl_setup_close(&s->setup);
}

/* Load the data, check it, and set up what composing the document o asks for needs. 0
 * or an exit status. */
static int open_session(const popts *o, session *s)
{
    memset(s, 0, sizeof *s);
    s->kind_name = o->kind ? o->kind : (o->dossier ? "binder" : "handout");
    s->kind = cl_doc_kind_parse(s->kind_name);
    if (!s->kind) {
        fprintf(stderr, _("classeur: unknown --kind '%s' (accepted: handout, study, binder)\n"), s->kind_name);
        return 2;
    }
    if (o->dossier && s->kind != CL_DOC_BINDER) {
        fputs(_("classeur: --dossier previews the binder (accepted: --kind binder or no --kind)\n"), stderr);
        return 2;
    }
    const char *files[1] = {o->course};
    cl_setup_opts so = {.data = o->data, .files = files, .n_files = o->course ? 1 : 0};
    int rc = cl_setup_load(&s->setup, &so);
    if (!rc)
        rc = cl_setup_fonts(&s->setup);
    if (!rc) /* the shared data's errors and the course's own; other courses' do not matter */
        rc = cl_setup_refuse_for(&s->setup, files, o->course ? 1 : 0);
    if (rc)
        return rc;
    if (o->course) {
        s->course = cl_catalog_course(s->setup.cat, o->course);
        if (!s->course) {
            fprintf(stderr, _("classeur: '%s' is not a course (accepted: a file of data/courses/ or a course id)\n"),
                    o->course);
            return 2;
        }
    }
    /* the layout build would use: --layout, else the course's own, else the default */
    size_t lay_errors = cl_setup_layout(&s->setup, s->course, o->layout, &s->lay, true);
    if (lay_errors) {
        fprintf(stderr,
                n_("classeur: the layout has %zu error; nothing was written\n",
                   "classeur: the layout has %zu errors; nothing was written\n", lay_errors),
                lay_errors);
        return 1;
    }
    return 0;
}

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Progress: "[n/N] path" for each file once it is in place. */
typedef struct progress {
    bool on;
    size_t total;        /* the pages the document announced (0: not known) */
    long only;           /* --page */
    size_t files;
} progress;

static void on_kept(void *ctx, const char *path, size_t part)
{
    progress *p = ctx;
    p->files++;
    if (p->on)
        fprintf(stderr, "[%zu/%zu] %s\n", p->only ? 1 : part + 1, p->only ? 1 : p->total, path);
}

/* The device passed to cl_document_write: made once, by the caller (ctx). */
static cl_device *take_device(void *ctx)
{
    cl_device **slot = ctx, *d = *slot;
    *slot = NULL; /* a second writing pass needs a new device: none here */
    return d;
}

/* Compose the document into dev (dropped here), close it; the warnings to stderr. false
 * and err on failure; *pages gets the page count. */
static bool write_into(const session *s, cl_device *dev, size_t *pages, cl_err *err)
{
    if (!dev) {
        cl_err_set(err, CL_E_NOMEM, "out of memory");
        return false;
    }
    cl_device *slot = dev;
    cl_doc_report rep = {0};
    cl_device *got = cl_document_write(s->setup.cat, s->course, s->kind, s->setup.fonts, s->setup.hyph, &s->lay,
                                       take_device, &slot, &rep, err);
    bool ok = got && cl_device_close(got, err);
    cl_device_drop(got);
    cl_device_drop(slot); /* not taken, or taken by a pass that was not the last */
    const char *w = cl_buf_str(&rep.warnings);
    while (*w) {
        const char *nl = strchr(w, '\n');
        size_t len = nl ? (size_t)(nl - w) : strlen(w);
        fprintf(stderr, _("classeur: warning: %.*s\n"), (int)len, w);
        w += len + (nl ? 1 : 0);
    }
    cl_buf_free(&rep.warnings);
    *pages = rep.pages;
    return ok;
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
    progress pr = {o.verbose || isatty(2), 0, o.page, 0};
    double t0 = now();
    const char *dirs[3] = {o.png, o.svg, o.pgm};
    static const char *const ext[3] = {"png", "svg", "pgm"};
    cl_file_writer fws[4];
    cl_device *devs[4];
    size_t nd = 0;
    for (int k = 0; k < 3 && !err.code; k++) {
        if (!dirs[k] || !cl_make_dirs(dirs[k], &err))
            continue;
        /* DIR/KIND-NN.EXT, the number on as many digits as the binder of a whole dossier
         * of about a thousand pages needs at least two */
        cl_file_writer_parts(&fws[nd], dirs[k], s.kind_name, ext[k], 2);
        fws[nd].on_kept = on_kept;
        fws[nd].ctx = &pr;
        devs[nd] = k == 0 ? cl_png_device_new(&fws[nd].w, o.dpi, o.page)
                   : k == 1 ? cl_svg_device_new(&fws[nd].w, o.page)
                            : cl_pgm_device_new(&fws[nd].w, o.dpi, o.page);
        if (devs[nd])
            nd++;
        else
            cl_err_set(&err, CL_E_NOMEM, "out of memory");
    }
    if (o.contact && !err.code) {
        cl_file_writer_single(&fws[nd], o.contact);
        fws[nd].on_kept = on_kept;
        fws[nd].ctx = &pr;
        devs[nd] = cl_contact_device_new(&fws[nd].w, CL_CONTACT_DPI, CL_CONTACT_COLUMNS);
        if (devs[nd])
            nd++;
        else
            cl_err_set(&err, CL_E_NOMEM, "out of memory");
    }
    size_t pages = 0;
    if (!err.code)
        write_into(&s, cl_tee_new(devs, nd, &pr.total), &pages, &err);
    else
        for (size_t i = 0; i < nd; i++)
            cl_device_drop(devs[i]);
    double secs = now() - t0;
    rc = 0;
    if (!err.code && o.page && (size_t)o.page > pages) {
        fprintf(stderr,
                n_("classeur: --page %ld: the %s has %zu page\n", "classeur: --page %ld: the %s has %zu pages\n", pages),
                o.page, s.kind_name, pages);
        rc = 2;
    } else if (err.code) {
        /* every picture waits in a temporary file until the last is made: none was changed */
        fprintf(stderr, "classeur: %s%s\n", err.msg,
                err.code == CL_E_USAGE ? "" : _("; no picture was written, the previous ones are kept"));
        rc = err.code == CL_E_USAGE ? 2 : 1;
    }
    if (pr.on && !rc) {
        fprintf(stderr, n_("classeur: %zu file of the %s", "classeur: %zu files of the %s", pr.files), pr.files,
                s.kind_name);
        fprintf(stderr, n_(" (%zu page) in %.3f s\n", " (%zu pages) in %.3f s\n", pages), pages, secs);
    }
    close_session(&s);
    return rc;
}

/* Writes to the standard output. */
static bool stdout_write(void *ctx, const void *data, size_t n)
{
    (void)ctx;
    return fwrite(data, 1, n, stdout) == n;
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
    cl_err err = {0};
    cl_file_writer fw;
    cl_fn_writer sw;
    cl_writer *w;
    if (o.out) {
        cl_file_writer_single(&fw, o.out);
        w = &fw.w;
    } else {
        cl_fn_writer_init(&sw, stdout_write, NULL);
        w = &sw.w;
    }
    size_t pages;
    bool ok = write_into(&s, cl_trace_device_new(w), &pages, &err);
    if (ok && !o.out && fflush(stdout) != 0) {
        cl_err_set(&err, CL_E_IO, "cannot write the trace to the standard output (%s)", strerror(errno));
        ok = false;
    }
    if (!ok) {
        fprintf(stderr, "classeur: %s\n", err.code ? err.msg : _("cannot write the trace"));
        rc = err.code == CL_E_USAGE ? 2 : 1;
    }
    close_session(&s);
    return rc;
}
