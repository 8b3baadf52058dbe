/* main.c: the classeur command line.
 *
 *   classeur check [--data DIR] [COURSE.yaml…]     report every problem in the data
 *   classeur list [--data DIR] [--json]            list the catalogue
 *   classeur build COURSE.yaml… [--kind K] [--out DIR] [--data DIR] [--layout L]
 *   classeur build --all                           every document of every course + binder
 *   classeur binder [--out DIR]                    the whole-dossier binder
 *   classeur preview COURSE.yaml [--kind K] --png DIR [--dpi N] | --svg DIR | --contact F.png
 *   classeur trace COURSE.yaml [--kind K]          the display list as text (preview.h)
 *   classeur links [COURSE.yaml…] [--update]       dead-link check of the addresses (links.h)
 *
 * Exit status: 0 success, 1 data or output errors, 2 usage errors. Only the command
 * line (this file and preview.c) prints and decides how the program exits; the library
 * returns errors as values. */
#include "../model/model.h"
#include "../util/buf.h"
#include "../util/i18n.h"
#include "../util/utf8.h"
#include "../compose/documents.h"
#include "../compose/web.h"
#include "../util/files.h"
#include "args.h"
#include "build.h"
#include "importexport.h"
#include "interrupt.h"
#include "links.h"
#include "newcourse.h"
#include "preview.h"
#include "setup.h"
#include "version.h"
#include <limits.h>
#include <sys/ioctl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const char *usage_text =
    N_("usage: classeur COMMAND [OPTIONS]\n"
       "commands:\n"
       "  check [COURSE.yaml...]       check the data and report every problem\n"
       "  list [--json]                list resources, sections and courses\n"
       "  build COURSE.yaml... [-k handout|study|binder|web] [-l LAYOUT] [-o DIR]\n"
       "  build --all [-j N]           every document of every course, and the dossier binder\n"
       "  binder                       the whole-dossier binder (out/dossier/binder.pdf)\n"
       "  preview COURSE.yaml|--dossier --png DIR | --svg DIR | --contact FILE.png\n"
       "                               pictures of the pages\n"
       "  trace COURSE.yaml [-o FILE]  the pages as text, one drawing operation a line\n"
       "  links [COURSE.yaml...] [--update]   check that every address still answers\n"
       "  list --titles [--type T] [--diploma D] [--module M] [--search WORDS]\n"
       "                               the resources, one a line, to choose from\n"
       "  new-course ID --diploma D --module M   a course file to edit (data/courses/ID.yaml)\n"
       "  export COURSE.yaml|--dossier --format ris|csl-json|bibtex [-o FILE]\n"
       "                               the references, for Zotero and library systems\n"
       "  import FILE.ris|FILE.json|FILE.bib --into DIR   references into a data folder\n"
       "  help [COMMAND]               a command's options;  --version: the version\n"
       "common options: -d, --data DIR (default: the project's data/), -o, --out DIR\n"
       "(default: out), -l, --layout NAME, -v, --verbose; --opt=value works too\n"
       "exit status: 0 done, 1 data or write errors, 2 usage error, 130/143 interrupted\n");

static int usage(const char *msg)
{
    if (msg)
        fprintf(stderr, "classeur: %s\n", msg);
    fputs(_(usage_text), stderr);
    return 2;
}

static const char *check_help =
    N_("usage: classeur check [COURSE.yaml...] [--data DIR] [--layout NAME] [--require-evidence]\n"
       "  checks the data (and the course files named) and reports every problem, one a line:\n"
       "  FILE:LINE:COLUMN: error: what is wrong (what is accepted)\n"
       "  -d, --data DIR        data folder (default: the project's data/)\n"
       "  -l, --layout NAME     check this layout instead of the courses' own\n"
       "  --require-evidence    an address without its evidence is an error\n"
       "  -v, --verbose         every warning (else at most three of a kind, and a count)\n"
       "exit status: 0 no error, 1 errors, 2 usage error\n");

static const char *list_help =
    N_("usage: classeur list [--data DIR] [--json]\n"
       "       classeur list --titles [--type TYPE] [--diploma ID] [--module M] [--search WORDS]\n"
       "  lists the sections, the resources (id, type, address) and the courses\n"
       "  -d, --data DIR     data folder (default: the project's data/)\n"
       "  --json             the whole catalogue as JSON (docs/data-format.md)\n"
       "  -t, --titles       one resource a line: id, type, year and title (cut to the terminal)\n"
       "  --type TYPE        only this type: article, rapport, site, podcast, video\n"
       "  --diploma ID       only resources the dossier suggests for this diploma (bts-sp3s...:\n"
       "                     those of the sections whose pedagogical uses name it)\n"
       "  --module M         ... and for this module of it (C, D...)\n"
       "  -s, --search WORDS only resources whose id, title, authors, container or notes hold\n"
       "                     every word, whatever the accents and capitals\n"
       "  (a filter implies --titles)\n");

static const char *build_help =
    N_("usage: classeur build COURSE.yaml... [--kind handout|study|binder|web] [--layout NAME] [--out DIR]\n"
       "       classeur build --all [--jobs N]\n"
       "  writes OUT/COURSE-ID/handout.pdf, study.pdf and binder.pdf (and with --all, every\n"
       "  course's and the whole-dossier binder OUT/dossier/binder.pdf)\n"
       "  -k, --kind KIND     only this document: handout, study or binder; or web: the\n"
       "                      handout as one web page, OUT/COURSE-ID/index.html, for an ENT\n"
       "  -l, --layout NAME   a layout of layouts/ or a file (default: the course's own, else default)\n"
       "  -o, --out DIR       output folder (default: out)\n"
       "  -d, --data DIR      data folder (default: the project's data/)\n"
       "  -a, --all           every course of the data, and the dossier binder\n"
       "  -j, --jobs N        documents made at once (default: the number of cores)\n"
       "  -v, --verbose       a line per document and a summary, even when stderr is not a terminal\n"
       "  -q, --quiet         no progress lines, even on a terminal\n"
       "exit status: 0 all written, 1 data or write errors (or a course file left out), 2 usage error\n");

static const char *binder_help =
    N_("usage: classeur binder [--layout NAME] [--out DIR] [--data DIR]\n"
       "  writes the whole-dossier binder OUT/dossier/binder.pdf (a course's binder:\n"
       "  classeur build COURSE.yaml --kind binder)\n"
       "  -l, --layout NAME   a layout of layouts/ or a file (default: default)\n"
       "  -o, --out DIR       output folder (default: out)\n"
       "  -d, --data DIR      data folder (default: the project's data/)\n"
       "  -v, --verbose, -q, --quiet   as for build\n");

typedef struct opts {
    const char *data, *out, *layout;
    const char *kind;
    const char *jobs;           /* build: documents at once */
    const char *type, *diploma, *module, *search;  /* list: filters */
    bool json, titles, all, verbose, quiet;
    bool require_evidence;      /* check: an address without evidence is an error */
    const char *files[256];
    size_t n_files;
} opts;

/* Read the options of command cmd (check, list, build, binder) into o: 0, -1 (help
 * printed) or 2 (usage error printed). */
static int parse(const char *cmd, int argc, char **argv, opts *o)
{
    const cl_opt check_opts[] = {{"data", 'd', &o->data, NULL}, {"layout", 'l', &o->layout, NULL},
                                 {"require-evidence", 0, NULL, &o->require_evidence},
                                 {"verbose", 'v', NULL, &o->verbose}, {NULL, 0, NULL, NULL}};
    const cl_opt list_opts[] = {{"data", 'd', &o->data, NULL},       {"json", 0, NULL, &o->json},
                                {"titles", 't', NULL, &o->titles},    {"type", 0, &o->type, NULL},
                                {"diploma", 0, &o->diploma, NULL},    {"module", 0, &o->module, NULL},
                                {"search", 's', &o->search, NULL},    {NULL, 0, NULL, NULL}};
    const cl_opt build_opts[] = {{"kind", 'k', &o->kind, NULL},   {"layout", 'l', &o->layout, NULL},
                                 {"out", 'o', &o->out, NULL},     {"data", 'd', &o->data, NULL},
                                 {"all", 'a', NULL, &o->all},      {"jobs", 'j', &o->jobs, NULL},
                                 {"verbose", 'v', NULL, &o->verbose}, {"quiet", 'q', NULL, &o->quiet},
                                 {NULL, 0, NULL, NULL}};
    const cl_opt binder_opts[] = {{"layout", 'l', &o->layout, NULL}, {"out", 'o', &o->out, NULL},
                                  {"data", 'd', &o->data, NULL},     {"jobs", 'j', &o->jobs, NULL},
                                  {"verbose", 'v', NULL, &o->verbose}, {"quiet", 'q', NULL, &o->quiet},
                                  {NULL, 0, NULL, NULL}};
    cl_args a = {.cmd = cmd, .pos = o->files, .max_pos = 256};
    const cl_opt *table = NULL;
    if (!strcmp(cmd, "check")) {
        table = check_opts;
        a.help = check_help;
        a.what = N_("course file");
    } else if (!strcmp(cmd, "list")) {
        table = list_opts;
        a.help = list_help;
    } else if (!strcmp(cmd, "build")) {
        table = build_opts;
        a.help = build_help;
        a.what = N_("course file");
    } else {
        table = binder_opts;
        a.help = binder_help;
    }
    int rc = cl_args_read(argc, argv, 2, table, &a);
    o->n_files = a.n_pos;
    if (!rc && !o->out)
        o->out = "out";
    if (!rc && o->verbose && o->quiet) {
        fprintf(stderr, _("classeur: %s: --verbose and --quiet contradict each other (give one)\n"), cmd);
        rc = 2;
    }
    return rc;
}

/* The help of command cmd on stdout (0), or 2 when there is no such command. */
static int help(const char *cmd)
{
    if (!cmd) {
        fputs(_(usage_text), stdout);
        return 0;
    }
    static const char *const names[] = {"check", "list",       "build",  "binder", "preview",
                                        "trace", "links",      "new-course", "export", "import"};
    const char *texts[] = {check_help,      list_help,       build_help,           binder_help,
                           cl_preview_help(), cl_trace_help(), cl_links_help(),      cl_new_course_help(),
                           cl_export_help(),  cl_import_help()};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (!strcmp(cmd, names[i])) {
            fputs(_(texts[i]), stdout);
            return 0;
        }
    fprintf(stderr,
            _("classeur: help: no command '%s' (accepted: check, list, build, binder, preview, trace, links, "
              "new-course, export, import)\n"),
            cmd);
    return 2;
}

/* Load the catalogue o asks for into s (0, or the exit status). */
static int load(const opts *o, cl_setup *s)
{
    cl_setup_opts so = {.data = o->data, .files = o->files, .n_files = o->n_files,
                        .load = {.require_evidence = o->require_evidence, .verbose = o->verbose}};
    return cl_setup_load(s, &so);
}

static int cmd_check(const opts *o)
{
    cl_setup s;
    if (load(o, &s)) {
        cl_setup_close(&s);
        return 1;
    }
    /* what build would refuse: the characters against the fonts, the addresses against
     * the QR capacity */
    if (cl_setup_fonts(&s)) {
        cl_setup_close(&s);
        return 1;
    }
    cl_setup_check_printable(&s);
    cl_setup_check_layouts(&s, o->layout);
    cl_catalog *c = s.cat;
    cl_diags d = s.diags;
    cl_setup_print_diags(&s, o->verbose);
    size_t entries = 0;
    for (size_t i = 0; i < c->n_sections; i++)
        entries += c->sections[i]->n_entries;
    char errors[64], warnings[64];
    snprintf(errors, sizeof errors, n_("%zu error", "%zu errors", d.errors), d.errors);
    snprintf(warnings, sizeof warnings, n_("%zu warning", "%zu warnings", d.warnings), d.warnings);
    printf(_("%s: %zu resources, %zu sections, %zu entries, %zu diplomas, %zu courses: %s, %s\n"), s.data,
           c->n_resources, c->n_sections, entries, c->n_diplomas, c->n_courses, errors, warnings);
    int rc = d.errors ? 1 : 0;
    cl_setup_close(&s);
    return rc;
}

static void print_section_tree(const cl_section *s, int depth)
{
    char entries[64];
    snprintf(entries, sizeof entries, n_("%zu entry", "%zu entries", s->n_entries), s->n_entries);
    printf("%*s%s%s%s  (%s)\n", depth * 2, "", s->number ? s->number : "", s->number ? " " : "", s->title,
           entries);
    for (size_t i = 0; i < s->n_children; i++)
        print_section_tree(s->children[i], depth + 1);
}

/* Does resource r pass the filters of o (type, diploma, module, words already folded)? */
static bool list_keeps(const cl_catalog *c, const cl_resource *r, const opts *o, char *const *words, size_t n_words)
{
    if (o->type && strcmp(cl_restype_name(r->type), o->type))
        return false;
    const cl_entry *ents[32];
    size_t ne = cl_catalog_entries_of(c, r, ents, 32);
    if (ne > 32)
        ne = 32;
    if ((o->diploma || o->module) && !cl_catalog_suggests(c, r, o->diploma, o->module))
        return false;
    if (!n_words)
        return true;
    cl_buf hay = {0};
    cl_buf_printf(&hay, "%s %s %s", r->id, r->title ? r->title : "", r->container ? r->container : "");
    for (size_t i = 0; i < r->n_authors; i++)
        cl_buf_printf(&hay, " %s %s %s", r->authors[i].family ? r->authors[i].family : "",
                      r->authors[i].given ? r->authors[i].given : "", r->authors[i].org ? r->authors[i].org : "");
    for (size_t k = 0; k < ne; k++)
        cl_buf_printf(&hay, " %s", ents[k]->note.text ? ents[k]->note.text : "");
    char *folded = cl_utf8_fold(cl_buf_str(&hay));
    cl_buf_free(&hay);
    bool all = folded != NULL;
    for (size_t w = 0; w < n_words && all; w++)
        all = strstr(folded, words[w]) != NULL;
    free(folded);
    return all;
}

/* list --titles: a line per resource kept by the filters, cut to the terminal's width. */
static int list_titles(const cl_catalog *c, const opts *o)
{
    if (o->type) {
        bool known = false;
        for (int t = 0; t < CL_RES_TYPE_COUNT && !known; t++)
            known = !strcmp(cl_restype_name((cl_restype)t), o->type);
        if (!known) {
            fprintf(stderr, _("classeur: list: unknown --type '%s' (accepted:"), o->type);
            for (int t = 0; t < CL_RES_TYPE_COUNT; t++)
                fprintf(stderr, "%s %s", t ? "," : "", cl_restype_name((cl_restype)t));
            fprintf(stderr, ")\n");
            return 2;
        }
    }
    if (o->diploma) {
        const cl_diploma *dp = NULL;
        cl_buf ids = {0};
        for (size_t i = 0; i < c->n_diplomas; i++) {
            if (!strcmp(c->diplomas[i].id, o->diploma))
                dp = &c->diplomas[i];
            cl_buf_printf(&ids, "%s%s", i ? ", " : "", c->diplomas[i].id);
        }
        if (!dp)
            fprintf(stderr, _("classeur: list: unknown --diploma '%s' (accepted: %s)\n"), o->diploma,
                    cl_buf_str(&ids));
        cl_buf_free(&ids);
        if (!dp)
            return 2;
    }
    char *words[32];
    size_t n_words = 0;
    char *search = o->search ? cl_utf8_fold(o->search) : NULL;
    for (char *w = search ? strtok(search, " \t,;") : NULL; w && n_words < 32; w = strtok(NULL, " \t,;"))
        words[n_words++] = w;
    size_t width = 0;
    struct winsize ws;
    if (isatty(1) && ioctl(1, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 40)
        width = ws.ws_col;
    size_t kept = 0;
    for (size_t i = 0; i < c->n_resources; i++) {
        const cl_resource *r = c->resources[i];
        if (!list_keeps(c, r, o, words, n_words))
            continue;
        kept++;
        char year[8] = "-";
        if (r->date.year)
            snprintf(year, sizeof year, "%d", r->date.year);
        char line[1024];
        int n = snprintf(line, sizeof line, "%-44s %-8s %-4s  %s", r->id, cl_restype_name(r->type), year,
                         r->title ? r->title : "");
        size_t len = n < 0 ? 0 : (size_t)n < sizeof line ? (size_t)n : sizeof line - 1;
        if (width && cl_utf8_length(line, len) > width) { /* cut at a character, with an ellipsis */
            size_t cut = cl_utf8_prefix(line, len, width - 1);
            printf("%.*s\xE2\x80\xA6\n", (int)cut, line);
        } else {
            printf("%.*s\n", (int)len, line);
        }
    }
    free(search);
    fprintf(stderr, n_("classeur: %zu of %zu resources\n", "classeur: %zu of %zu resources\n", kept), kept,
            c->n_resources);
    return 0;
}

static int cmd_list(const opts *o)
{
    cl_setup s;
    if (load(o, &s)) {
        cl_setup_close(&s);
        return 1;
    }
    cl_catalog *c = s.cat;
    cl_diags d = s.diags;
    int rc = 0;
    if (d.errors) {
        cl_diags_print_min(&d, stderr, CL_ERROR);
        fprintf(stderr,
                n_("classeur: the data has %zu error; run 'classeur check' and fix them first\n",
                   "classeur: the data has %zu errors; run 'classeur check' and fix them first\n", d.errors),
                d.errors);
        rc = 1;
    } else if (o->titles || o->type || o->diploma || o->module || o->search) {
        rc = list_titles(c, o);
    } else if (o->json) {
        cl_buf b = {0};
        cl_catalog_to_json(c, &b);
        if (b.failed) {
            fputs(_("classeur: out of memory\n"), stderr);
            rc = 1;
        } else {
            fwrite(b.data, 1, b.len, stdout);
        }
        cl_buf_free(&b);
    } else {
        printf(_("%s\n\nSections:\n"), c->dossier.title ? c->dossier.title : "(dossier sans titre)");
        for (size_t i = 0; i < c->root.n_children; i++)
            print_section_tree(c->root.children[i], 1);
        printf(_("\nResources (%zu):\n"), c->n_resources);
        for (size_t i = 0; i < c->n_resources; i++) {
            const cl_resource *r = c->resources[i];
            printf("  %-52s %-8s %s\n", r->id, cl_restype_name(r->type), r->url ? r->url : "-");
        }
        printf(_("\nCourses (%zu):\n"), c->n_courses);
        for (size_t i = 0; i < c->n_courses; i++) {
            const cl_course *co = c->courses[i];
            printf(n_("  %-28s %s %s: %s (%zu resources)\n", "  %-28s %s %s: %s (%zu resources)\n", co->n_items),
                   co->id, co->diploma ? co->diploma->name : "?", co->module ? co->module->label : "", co->title,
                   co->n_items);
        }
    }
    cl_setup_close(&s);
    return rc;
}

/* build --kind web: the web page of each course, out/<course>/index.html (see
 * src/compose/web.h). Returns the exit status. */
static int build_web(const cl_setup *s, const cl_course *const *courses, size_t n, const char *out_dir,
                     bool progress)
{
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    size_t written = 0;
    int rc = 0;
    for (size_t i = 0; i < n && !rc; i++) {
        cl_arena *a = cl_arena_new();
        cl_buf page = {0};
        cl_err err = {0};
        char dir[PATH_MAX], path[PATH_MAX + 16];
        snprintf(dir, sizeof dir, "%s/%s", out_dir, courses[i]->id);
        snprintf(path, sizeof path, "%s/index.html", dir);
        if (!a)
            cl_err_set(&err, CL_E_NOMEM, "out of memory");
        else if (cl_web_course(&page, a, s->cat, courses[i], NULL, &err) && page.failed)
            cl_err_set(&err, CL_E_NOMEM, "out of memory");
        if (!err.code && cl_make_dirs(dir, &err) && cl_write_file_atomic(path, page.data, page.len, &err)) {
            written++;
            if (progress)
                fprintf(stderr, "[%zu/%zu] %s index.html\n", i + 1, n, courses[i]->id);
        }
        if (err.code) {
            fprintf(stderr, "classeur: %s\n", err.msg);
            rc = 1;
        }
        cl_buf_free(&page);
        cl_arena_drop(a);
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    if (rc)
        fprintf(stderr, n_("classeur: stopped: %zu web page of %zu written in %s; the others were not\n",
                           "classeur: stopped: %zu web pages of %zu written in %s; the others were not\n", written),
                written, n, out_dir);
    else if (progress)
        fprintf(stderr, n_("classeur: %zu web page in %.3f s -> %s\n", "classeur: %zu web pages in %.3f s -> %s\n", n),
                n, secs, out_dir);
    return rc;
}

static int cmd_build(const opts *o, bool binder_only)
{
    cl_setup s;
    int rc = load(o, &s);
    /* the fonts first: the check of what they can print is part of the refusal below */
    if (!rc)
        rc = cl_setup_fonts(&s);
    if (!rc) /* a course's layout that cannot be used is that course's error */
        cl_setup_check_layouts(&s, o->layout);
    /* errors in the shared data stop everything; errors in a course file stop that
     * course (warnings are for 'check') */
    if (!rc)
        rc = cl_setup_refuse_for(&s, o->all || binder_only ? NULL : o->files, o->all || binder_only ? 0 : o->n_files);
    if (rc) {
        cl_setup_close(&s);
        return rc;
    }
    cl_catalog *c = s.cat;
    cl_build_request req = {0};
    /* the output folder as a whole path, so that every message says where it is */
    char out_abs[PATH_MAX], cwd[PATH_MAX];
    const char *rel = o->out;
    while (rel[0] == '.' && rel[1] == '/')
        rel += 2;
    if (o->out[0] != '/' && getcwd(cwd, sizeof cwd) &&
        snprintf(out_abs, sizeof out_abs, "%s/%s", cwd, rel) < (int)sizeof out_abs) {
        size_t n = strlen(out_abs);
        while (n > 1 && out_abs[n - 1] == '/')
            out_abs[--n] = 0;
        if (n > 2 && !strcmp(out_abs + n - 2, "/."))
            out_abs[n - 2] = 0;
        req.out_dir = out_abs;
    } else {
        req.out_dir = o->out;
    }
    const char *out_dir = req.out_dir;
    req.layout = o->layout;
    req.progress = o->verbose || (!o->quiet && isatty(2));
    req.verbose = o->verbose;
    int kinds = CL_DOC_ALL;
    bool web = o->kind && !strcmp(o->kind, "web");
    if (web && o->layout) {
        fputs(_("classeur: --layout does not apply to --kind web (the web page has one look of its own)\n"), stderr);
        cl_setup_close(&s);
        return 2;
    }
    if (o->kind && !web) {
        kinds = cl_doc_kind_parse(o->kind);
        if (!kinds) {
            fprintf(stderr, _("classeur: unknown --kind '%s' (accepted: handout, study, binder, web)\n"), o->kind);
            cl_setup_close(&s);
            return 2;
        }
    }
    /* the courses to build: the files named, or all with --all */
    const cl_course *courses[512];
    size_t n = 0;
    const char *bad[64];
    size_t n_bad = 0;
    if (o->all) {
        /* a course file with errors is left out, said, and makes the exit status 1 */
        n_bad = cl_setup_bad_course_files(&s, bad, 64);
        for (size_t k = 0; k < n_bad && k < 64; k++)
            cl_setup_print_file_errors(&s, bad[k]);
        for (size_t i = 0; i < c->n_courses && n < 512; i++) {
            bool left_out = false;
            for (size_t k = 0; k < n_bad && k < 64 && !left_out; k++)
                left_out = !strcmp(bad[k], c->courses[i]->path);
            if (!left_out)
                courses[n++] = c->courses[i];
        }
        if (n_bad) {
            cl_buf files = {0};
            for (size_t k = 0; k < n_bad && k < 64; k++)
                cl_buf_printf(&files, " %s", bad[k]);
            fprintf(stderr,
                    n_("classeur: %zu course file has errors and is not built:%s; the others are\n",
                       "classeur: %zu course files have errors and are not built:%s; the others are\n", n_bad),
                    n_bad, cl_buf_str(&files));
            cl_buf_free(&files);
        }
        req.dossier_binder = true;
    } else if (!binder_only) {
        for (size_t i = 0; i < o->n_files && n < 512; i++) {
            const cl_course *co = cl_catalog_course(c, o->files[i]);
            if (co)
                courses[n++] = co;
        }
        if (n == 0) {
            cl_setup_close(&s);
            return usage(_("build needs a course file (data/courses/NAME.yaml) or --all"));
        }
    } else {
        req.dossier_binder = true;
    }
    if (web) {
        int wrc = build_web(&s, courses, n, out_dir, req.progress);
        cl_setup_close(&s);
        return wrc ? wrc : rc ? rc : n_bad ? 1 : 0;
    }
    req.courses = courses;
    req.n_courses = n;
    req.kinds = kinds;
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    req.jobs = cores > 0 ? (int)(cores < 256 ? cores : 256) : 1;
    if (o->jobs) {
        char *end;
        long v = strtol(o->jobs, &end, 10);
        if (end == o->jobs || *end || v < 1 || v > 256) {
            fprintf(stderr,
                    _("classeur: --jobs '%s' is not a number of documents made at once (accepted: 1 to 256)\n"),
                    o->jobs);
            cl_setup_close(&s);
            return 2;
        }
        req.jobs = (int)v;
    }
    cl_build_report rep = {0};
    cl_err err = {0};
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    if (!cl_build(&s, &req, &rep, &err) && !err.code)
        cl_err_set(&err, CL_E_IO, "the documents could not all be made");
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    if (err.code) {
        fprintf(stderr, "classeur: %s\n", err.msg);
        rc = err.code == CL_E_USAGE ? 2 : 1;
    } else if (n_bad) {
        rc = 1; /* built what could be, but not everything asked */
    }
    if (err.code && rep.planned && !rep.documents)
        fprintf(stderr, _("classeur: stopped: no document was written; %s is as it was\n"), out_dir);
    else if (err.code && rep.planned)
        fprintf(stderr,
                n_("classeur: stopped: %zu of %zu documents written (%zu pages) in %s; the others were not\n",
                   "classeur: stopped: %zu of %zu documents written (%zu pages) in %s; the others were not\n",
                   rep.documents),
                rep.documents, rep.planned, rep.pages, out_dir);
    else if (req.progress)
        fprintf(stderr,
                n_("classeur: %zu document, %zu pages in %.3f s -> %s\n",
                   "classeur: %zu documents, %zu pages in %.3f s -> %s\n", rep.documents),
                rep.documents, rep.pages, secs, out_dir);
    cl_setup_close(&s);
    return rc;
}

int main(int argc, char **argv)
{
    cl_i18n_init();
    cl_interrupt_install();
    if (argc < 2)
        return usage(NULL);
    const char *cmd = argv[1];
    if (!strcmp(cmd, "--version") || !strcmp(cmd, "version")) {
        printf("classeur %s\n", CL_VERSION);
        return 0;
    }
    if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h"))
        return help(NULL);
    if (!strcmp(cmd, "help")) {
        if (argc > 3) {
            fprintf(stderr, _("classeur: help: one command at a time (got '%s' and '%s')\n"), argv[2], argv[3]);
            return 2;
        }
        return help(argc == 3 ? argv[2] : NULL);
    }
    if (!strcmp(cmd, "preview")) /* these parse their own options (preview.c, links.c) */
        return cl_cmd_preview(argc, argv);
    if (!strcmp(cmd, "trace"))
        return cl_cmd_trace(argc, argv);
    if (!strcmp(cmd, "links"))
        return cl_cmd_links(argc, argv);
    if (!strcmp(cmd, "new-course"))
        return cl_cmd_new_course(argc, argv);
    if (!strcmp(cmd, "export"))
        return cl_cmd_export(argc, argv);
    if (!strcmp(cmd, "import"))
        return cl_cmd_import(argc, argv);
    if (strcmp(cmd, "check") && strcmp(cmd, "list") && strcmp(cmd, "build") && strcmp(cmd, "binder")) {
        fprintf(stderr, _("classeur: unknown command '%s' (accepted: check, list, build, binder, preview, trace, "
                          "links, new-course, export, import, help, --version)\n"),
                cmd);
        return usage(NULL);
    }
    opts o = {0};
    int rc = parse(cmd, argc, argv, &o);
    if (rc)
        return rc < 0 ? 0 : rc;
    if (!strcmp(cmd, "check"))
        return cmd_check(&o);
    if (!strcmp(cmd, "list"))
        return cmd_list(&o);
    if (!strcmp(cmd, "build"))
        return cmd_build(&o, false);
    return cmd_build(&o, true);
}
