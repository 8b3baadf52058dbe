/* importexport.c: `classeur export` and `classeur import` (see importexport.h here and
 * src/exchange/exchange.h for the formats).
 *
 * export writes the references of a course's selection or of the whole dossier in RIS,
 * CSL-JSON or BibTeX, to the standard output or to a file (replaced atomically).
 * import reads such a file and adds its records to a data folder; the folder is loaded
 * again afterwards, and when the records it now holds are not all accepted by the
 * checker, both files are put back as they were (that would be a bug of ours: say so). */
#include "importexport.h"
#include "args.h"
#include "setup.h"
#include "../exchange/exchange.h"
#include "../util/buf.h"
#include "../util/files.h"
#include "../util/i18n.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

static const char *export_help =
    N_("usage: classeur export COURSE.yaml|ID|--dossier [--format ris|csl-json|bibtex] [-o FILE] [--data DIR]\n"
       "  writes the references of a course's selection, or of the whole dossier, in a format\n"
       "  reference managers import (Zotero: File > Import...; PMB and BCDI read RIS)\n"
       "  --format F         ris, csl-json or bibtex (default: from the name given to -o:\n"
       "                     .ris, .json, .bib; else ris)\n"
       "  -o, --out FILE     the file to write (default: the standard output)\n"
       "  --dossier          every resource of the dossier instead of a course's\n"
       "  -d, --data DIR     data folder (default: the project's data/)\n"
       "  the mapping of types and fields: docs/exchange.md\n");

static const char *import_help =
    N_("usage: classeur import FILE.ris|FILE.json|FILE.bib --into DIR [--file NAME.yaml] [--format F]\n"
       "  adds the references of a file a reference manager wrote (RIS, CSL-JSON, BibTeX) to\n"
       "  the data folder DIR: the records to DIR/resources/imported.yaml (or NAME.yaml), their\n"
       "  addresses to DIR/addresses.yaml. A record whose id, or whose title and year, is\n"
       "  already there is reported and skipped: nothing is ever overwritten.\n"
       "  --into DIR         the data folder (created when missing)\n"
       "  --file NAME.yaml   the resources file to add to (default: imported.yaml)\n"
       "  --format F         ris, csl-json or bibtex (default: from the file's extension)\n");

const char *cl_export_help(void) { return export_help; }
const char *cl_import_help(void) { return import_help; }

/* The reading note of r's first entry that has one (markup text), or NULL. */
static const char *first_note(const cl_catalog *c, const cl_resource *r)
{
    const cl_entry *es[16];
    size_t n = cl_catalog_entries_of(c, r, es, 16);
    for (size_t i = 0; i < n; i++)
        if (es[i]->note.text && *es[i]->note.text)
            return es[i]->note.text;
    return NULL;
}

/* The format: --format when given (false when it names none), else the extension of the
 * file written (-o), else RIS. */
static bool format_of(const char *name, const char *path, cl_xformat *f)
{
    if (name)
        return cl_xformat_from_name(name, f);
    if (!path || !cl_xformat_from_path(path, f))
        *f = CL_XFMT_RIS;
    return true;
}

int cl_cmd_export(int argc, char **argv)
{
    const char *data = NULL, *format = NULL, *out = NULL, *pos[1];
    bool dossier = false;
    const cl_opt opts[] = {{"format", 0, &format, NULL}, {"out", 'o', &out, NULL},   {"dossier", 0, NULL, &dossier},
                           {"data", 'd', &data, NULL},     {NULL, 0, NULL, NULL}};
    cl_args a = {.cmd = "export", .help = export_help, .what = N_("course file"), .pos = pos, .max_pos = 1};
    int rc = cl_args_read(argc, argv, 2, opts, &a);
    if (rc)
        return rc < 0 ? 0 : rc;
    if (dossier && a.n_pos) {
        fprintf(stderr, _("classeur: export: --dossier takes no course file (got '%s')\n"), pos[0]);
        return 2;
    }
    if (!dossier && !a.n_pos) {
        fputs(_("classeur: export: give a course file or id, or --dossier (e.g. classeur export "
                "bts-sp3s-module-c --format ris -o module-c.ris)\n"),
              stderr);
        return 2;
    }
    cl_xformat f;
    if (!format_of(format, out, &f)) {
        fprintf(stderr, _("classeur: export: unknown --format '%s' (accepted: ris, csl-json, bibtex)\n"), format);
        return 2;
    }
    cl_setup s;
    const char *files[1] = {a.n_pos ? pos[0] : NULL};
    cl_setup_opts so = {.data = data, .files = files, .n_files = a.n_pos};
    rc = cl_setup_load(&s, &so);
    if (!rc)
        rc = cl_setup_refuse_for(&s, files, a.n_pos);
    if (rc) {
        cl_setup_close(&s);
        return rc;
    }
    const cl_catalog *c = s.cat;
    const cl_course *co = NULL;
    if (a.n_pos && !(co = cl_catalog_course(c, pos[0]))) {
        fprintf(stderr, _("classeur: '%s' is not a course (accepted: a file of data/courses/ or a course id)\n"),
                pos[0]);
        cl_setup_close(&s);
        return 2;
    }
    size_t n = co ? co->n_items : c->n_resources, k = 0;
    cl_xitem *items = calloc(n ? n : 1, sizeof *items);
    if (!items) {
        fputs(_("classeur: out of memory\n"), stderr);
        cl_setup_close(&s);
        return 1;
    }
    for (size_t i = 0; i < n; i++) {
        const cl_resource *r = co ? co->items[i].resource : c->resources[i];
        if (r && !r->unidentified)
            items[k++] = (cl_xitem){r, first_note(c, r)};
    }
    cl_buf b = {0};
    cl_export(&b, f, items, k);
    free(items);
    rc = 0;
    if (b.failed) {
        fputs(_("classeur: out of memory\n"), stderr);
        rc = 1;
    } else if (!out) {
        if (fwrite(b.data, 1, b.len, stdout) != b.len || fflush(stdout)) {
            fprintf(stderr, _("classeur: export: cannot write to the standard output (%s)\n"), strerror(errno));
            rc = 1;
        }
    } else {
        cl_err err = {0};
        if (!cl_write_file_atomic(out, b.data, b.len, &err)) {
            fprintf(stderr, "classeur: %s\n", err.msg);
            rc = 1;
        } else {
            fprintf(stderr, n_("classeur: %zu reference written to %s (%s)\n",
                               "classeur: %zu references written to %s (%s)\n", k),
                    k, out, cl_xformat_name(f));
        }
    }
    cl_buf_free(&b);
    cl_setup_close(&s);
    return rc;
}


/* A file's previous bytes, to put back. */
typedef struct saved {
    const char *path;
    cl_buf bytes;
    bool existed;
} saved;

static void put_back(saved *s)
{
    cl_err err = {0};
    if (s->existed)
        (void)!cl_write_file_atomic(s->path, s->bytes.data, s->bytes.len, &err);
    else
        remove(s->path);
}

/* Today as YYYY-MM-DD, from SOURCE_DATE_EPOCH when set (reproducible runs), else the clock. */
static void today(char *buf, size_t n)
{
    time_t t = time(NULL);
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    if (sde && *sde)
        t = (time_t)strtoll(sde, NULL, 10);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(buf, n, "%Y-%m-%d", &tm);
}

int cl_cmd_import(int argc, char **argv)
{
    const char *into = NULL, *file = NULL, *format = NULL, *pos[1];
    const cl_opt opts[] = {{"into", 0, &into, NULL}, {"file", 0, &file, NULL}, {"format", 0, &format, NULL},
                           {NULL, 0, NULL, NULL}};
    cl_args a = {.cmd = "import", .help = import_help, .what = N_("file to import"), .pos = pos, .max_pos = 1};
    int rc = cl_args_read(argc, argv, 2, opts, &a);
    if (rc)
        return rc < 0 ? 0 : rc;
    if (!a.n_pos || !into) {
        fputs(_("classeur: import: give the file to import and --into DIR (e.g. classeur import zotero.ris "
                "--into data)\n"),
              stderr);
        return 2;
    }
    const char *src = pos[0];
    cl_xformat f;
    if (format ? !cl_xformat_from_name(format, &f) : !cl_xformat_from_path(src, &f)) {
        if (format)
            fprintf(stderr, _("classeur: import: unknown --format '%s' (accepted: ris, csl-json, bibtex)\n"), format);
        else
            fprintf(stderr,
                    _("classeur: import: '%s': the file name does not say its format (accepted: .ris, .json, .bib, "
                      "or --format ris|csl-json|bibtex)\n"),
                    src);
        return 2;
    }
    const char *name = file ? file : "imported.yaml";
    size_t nl = strlen(name);
    if (strchr(name, '/') || nl < 6 || strcmp(name + nl - 5, ".yaml") || name[0] == '.') {
        fprintf(stderr, _("classeur: import: --file '%s' is not a file name of resources/ (accepted: NAME.yaml)\n"),
                name);
        return 2;
    }
    cl_buf text = {0};
    cl_err rerr = {0};
    if (!cl_read_file(src, 64u << 20, &text, NULL, &rerr)) {
        fprintf(stderr, "classeur: %s\n", rerr.msg);
        cl_buf_free(&text);
        return 1;
    }
    cl_arena *ar = cl_arena_new();
    cl_diags d = {0}, hd = {0};
    cl_xrecord *recs = NULL;
    size_t n = 0;
    bool parsed = ar && cl_import_parse(ar, f, src, text.data ? text.data : "", text.len, &recs, &n, &d);
    cl_buf_free(&text);
    if (!ar) {
        fputs(_("classeur: out of memory\n"), stderr);
        return 1;
    }
    /* what the folder already holds, for the clashes (a folder being started is fine) */
    struct stat st;
    cl_catalog *have = stat(into, &st) == 0 ? cl_catalog_load(into, NULL, 0, &hd) : NULL;
    cl_diags_free(&hd);
    saved sv[2] = {{cl_arena_printf(ar, "%s/resources/%s", into, name), {0}, false},
                   {cl_arena_printf(ar, "%s/addresses.yaml", into), {0}, false}};
    /* their bytes as they are, to put back if the checker refuses what is written */
    for (int i = 0; i < 2; i++) {
        bool missing;
        cl_err serr = {0};
        if (!cl_read_file(sv[i].path, 64u << 20, &sv[i].bytes, &missing, &serr)) {
            fprintf(stderr, "classeur: %s\n", serr.msg);
            fputs(_("classeur: import: nothing was written\n"), stderr);
            for (int k = 0; k < 2; k++)
                cl_buf_free(&sv[k].bytes);
            cl_catalog_drop(have);
            cl_diags_free(&d);
            cl_arena_drop(ar);
            return 1;
        }
        sv[i].existed = !missing;
    }
    char day[16], comment[PATH_MAX + 128];
    today(day, sizeof day);
    snprintf(comment, sizeof comment, _("Imported from %s by classeur import on %s."), src, day);
    cl_import_result res;
    cl_err err = {0};
    bool ok = cl_import_into(ar, into, name, comment, recs, n, have, &res, &d, src, &err);
    cl_catalog_drop(have);
    cl_diags_print_source(&d, stderr, CL_WARNING);
    rc = d.errors || !parsed ? 1 : 0;
    if (!ok) {
        fprintf(stderr, "classeur: %s\n", err.msg);
        fputs(_("classeur: import: nothing was written\n"), stderr);
        rc = 1;
    } else if (res.added) {
        /* every record written must pass the checker; else put both files back */
        cl_diags cd = {0};
        cl_catalog *now = cl_catalog_load(into, NULL, 0, &cd);
        size_t bad = 0;
        for (size_t i = 0; i < cd.n; i++) {
            const cl_diag *g = &cd.items[i];
            if (g->sev == CL_ERROR && g->file && (!strcmp(g->file, sv[0].path) || !strcmp(g->file, sv[1].path))) {
                cl_diag_print_source(g, stderr);
                bad++;
            }
        }
        if (bad) {
            put_back(&sv[0]);
            put_back(&sv[1]);
            fputs(_("classeur: import: the records written were not accepted by the checker (a bug of Classeur: "
                    "please report it with the file); both files are as they were\n"),
                  stderr);
            rc = 1;
        } else {
            fprintf(stderr,
                    n_("classeur: %zu reference added to %s", "classeur: %zu references added to %s", res.added),
                    res.added, res.resources_path);
            if (res.addresses)
                fprintf(stderr, n_(", %zu address to %s", ", %zu addresses to %s", res.addresses), res.addresses,
                        res.addresses_path);
            if (res.skipped)
                fprintf(stderr, n_("; %zu skipped (already there)", "; %zu skipped (already there)", res.skipped),
                        res.skipped);
            fputc('\n', stderr);
            /* a folder being started: say what it lacks to be a data folder */
            bool lacks = false;
            for (size_t i = 0; i < cd.n; i++)
                if (cd.items[i].sev == CL_ERROR)
                    lacks = true;
            if (lacks)
                fprintf(stderr,
                        _("classeur: %s is not yet a complete data folder ('classeur check --data %s' says what it "
                          "lacks; docs/data-format.md)\n"),
                        into, into);
        }
        cl_catalog_drop(now);
        cl_diags_free(&cd);
    } else {
        fprintf(stderr, n_("classeur: no reference added; %zu skipped (already there)\n",
                           "classeur: no reference added; %zu skipped (already there)\n", res.skipped),
                res.skipped);
    }
    for (int i = 0; i < 2; i++)
        cl_buf_free(&sv[i].bytes);
    cl_diags_free(&d);
    cl_arena_drop(ar);
    return rc;
}
