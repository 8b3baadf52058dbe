/* newcourse.c: `classeur new-course ID --diploma D --module M` (see newcourse.h).
 *
 * Writes DATA/courses/ID.yaml, a commented course file that preselects, in the
 * dossier's reading order, every resource the dossier suggests for that diploma and
 * module (cl_catalog_suggests: the resources of the sections whose pedagogical uses
 * name them), each with its title in a comment; the teacher removes, reorders, adds
 * questions, then checks and builds. It refuses to overwrite a file, and the file it
 * writes passes `check` as it is. */
#include "newcourse.h"
#include "args.h"
#include "setup.h"
#include "../util/buf.h"
#include "../util/files.h"
#include "../util/i18n.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

static const char *new_course_help =
    N_("usage: classeur new-course ID --diploma ID --module M [--title TITLE] [--data DIR]\n"
       "  writes DATA/courses/ID.yaml: a course file to edit, preselecting the resources the\n"
       "  dossier suggests for that diploma and module (never overwrites a file)\n"
       "  ID                 the course's id: lower-case letters, digits and hyphens\n"
       "  --diploma ID       a diploma of diplomas.yaml (bts-sp3s, bts-esf...)\n"
       "  --module M         one of its modules (C, D...)\n"
       "  --title TITLE      the course's title (default: the module's title)\n"
       "  -d, --data DIR     data folder (default: the project's data/)\n");

const char *cl_new_course_help(void) { return new_course_help; }

static bool safe_id(const char *s)
{
    if (!*s || *s == '-')
        return false;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '-'))
            return false;
    return true;
}

/* A YAML double-quoted scalar of s. */
static void put_quoted(cl_buf *b, const char *s)
{
    cl_buf_putc(b, '"');
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            cl_buf_putc(b, '\\');
        cl_buf_putc(b, *s);
    }
    cl_buf_putc(b, '"');
}

int cl_cmd_new_course(int argc, char **argv)
{
    const char *data = NULL, *diploma = NULL, *module = NULL, *title = NULL, *pos[1];
    const cl_opt opts[] = {{"diploma", 0, &diploma, NULL}, {"module", 0, &module, NULL}, {"title", 0, &title, NULL},
                           {"data", 'd', &data, NULL},       {NULL, 0, NULL, NULL}};
    cl_args a = {.cmd = "new-course", .help = new_course_help, .what = N_("course id"), .pos = pos, .max_pos = 1};
    int rc = cl_args_read(argc, argv, 2, opts, &a);
    if (rc)
        return rc < 0 ? 0 : rc;
    if (!a.n_pos || !diploma || !module) {
        fputs(_("classeur: new-course: give the course's id, --diploma and --module (e.g. classeur new-course "
                "bts-sp3s-module-c-2027 --diploma bts-sp3s --module C)\n"),
              stderr);
        return 2;
    }
    const char *id = pos[0];
    if (!safe_id(id)) {
        fprintf(stderr,
                _("classeur: new-course: '%s' is not a course id (accepted: lower-case letters, digits and "
                  "hyphens, e.g. bts-sp3s-module-c)\n"),
                id);
        return 2;
    }
    cl_setup s;
    cl_setup_opts so = {.data = data};
    rc = cl_setup_load(&s, &so);
    if (!rc)
        rc = cl_setup_refuse_for(&s, NULL, 0);
    if (rc) {
        cl_setup_close(&s);
        return rc;
    }
    const cl_catalog *c = s.cat;
    const cl_diploma *d = NULL;
    cl_buf ids = {0};
    for (size_t i = 0; i < c->n_diplomas; i++) {
        if (!strcmp(c->diplomas[i].id, diploma))
            d = &c->diplomas[i];
        cl_buf_printf(&ids, "%s%s", i ? ", " : "", c->diplomas[i].id);
    }
    const cl_module *m = NULL;
    if (d) {
        cl_buf_clear(&ids);
        for (size_t i = 0; i < d->n_modules; i++) {
            if (!strcmp(d->modules[i].id, module))
                m = &d->modules[i];
            cl_buf_printf(&ids, "%s%s", i ? ", " : "", d->modules[i].id);
        }
    }
    if (!d || !m) {
        if (!d)
            fprintf(stderr, _("classeur: new-course: unknown diploma '%s' (accepted: %s)\n"), diploma,
                    cl_buf_str(&ids));
        else
            fprintf(stderr, _("classeur: new-course: unknown module '%s' for diploma '%s' (accepted: %s)\n"), module,
                    diploma, cl_buf_str(&ids));
        cl_buf_free(&ids);
        cl_setup_close(&s);
        return 2;
    }
    cl_buf_free(&ids);
    char path[PATH_MAX + 64];
    snprintf(path, sizeof path, "%s/courses/%s.yaml", s.data, id);
    struct stat st;
    if (stat(path, &st) == 0) {
        fprintf(stderr,
                _("classeur: new-course: %s exists already; nothing was written (choose another id, or edit "
                  "that file)\n"),
                path);
        cl_setup_close(&s);
        return 1;
    }
    for (size_t i = 0; i < c->n_courses; i++)
        if (c->courses[i]->id && !strcmp(c->courses[i]->id, id)) {
            fprintf(stderr, _("classeur: new-course: the course id '%s' is taken by %s; nothing was written\n"), id,
                    c->courses[i]->path);
            cl_setup_close(&s);
            return 1;
        }
    /* the school year under way: from August, this year and the next */
    time_t now = time(NULL);
    struct tm tm;
    localtime_r(&now, &tm);
    int y = tm.tm_year + 1900 - (tm.tm_mon < 7 ? 1 : 0);
    cl_buf b = {0};
    cl_buf_printf(&b,
                  "# A course file written by `classeur new-course`: edit it, then check and build it:\n"
                  "#   classeur check %s/courses/%s.yaml\n"
                  "#   classeur build %s/courses/%s.yaml\n"
                  "# Every key is described in docs/data-format.md; `classeur list --titles` lists the\n"
                  "# resources (filters: --type, --diploma, --module, --search).\n"
                  "id: %s\ntitle: ",
                  s.data, id, s.data, id, id);
    put_quoted(&b, title ? title : (m->title ? m->title : id));
    cl_buf_printf(&b, "\ndiploma: %s\nmodule: %s\nschool_year: %d-%d\n", d->id, m->id, y, y + 1);
    cl_buf_puts(&b, "# teacher: Équipe pédagogique\n"
                    "# introduction: |\n"
                    "#   What this selection is for, in a few sentences (printed on the handout).\n");
    size_t n = 0;
    cl_buf list = {0};
    const cl_resource **seen = calloc(c->n_resources + 1, sizeof *seen);
    size_t n_seen = 0;
    for (size_t i = 0; seen && i < c->n_sections; i++)
        for (size_t j = 0; j < c->sections[i]->n_entries; j++) {
            const cl_resource *r = c->sections[i]->entries[j].resource;
            if (!r || r->unidentified || !cl_catalog_suggests(c, r, d->id, m->id))
                continue;
            bool again = false;
            for (size_t k = 0; k < n_seen && !again; k++)
                again = seen[k] == r;
            if (again)
                continue;
            seen[n_seen++] = r;
            n++;
            cl_buf_printf(&list, "  - id: %s\n    # %s (%s", r->id, r->title ? r->title : "", cl_restype_name(r->type));
            if (r->date.year)
                cl_buf_printf(&list, ", %d", r->date.year);
            cl_buf_puts(&list, ")\n    # questions:\n    #   - A question for the students?\n");
        }
    free(seen);
    int out = 0;
    if (!n) {
        fprintf(stderr,
                _("classeur: new-course: the dossier suggests no resource for %s module %s; nothing was written "
                  "(choose them with classeur list --titles)\n"),
                d->id, m->id);
        out = 1;
    } else {
        cl_buf_printf(&b,
                      "resources:\n"
                      "  # the %zu resources the dossier suggests for %s module %s, in its order: remove\n"
                      "  # those you will not use, reorder them, add questions (else each type's own)\n",
                      n, d->name ? d->name : d->id, m->id);
        cl_buf_put(&b, list.data, list.len);
        cl_err err = {0};
        char dir[PATH_MAX + 16];
        snprintf(dir, sizeof dir, "%s/courses", s.data);
        if (b.failed || list.failed) {
            fputs(_("classeur: out of memory\n"), stderr);
            out = 1;
        } else if (!cl_make_dirs(dir, &err) || !cl_write_file_atomic(path, b.data, b.len, &err)) {
            fprintf(stderr, "classeur: %s\n", err.msg);
            out = 1;
        } else {
            printf(n_("%s: a course of %zu resources to edit, then: classeur build %s\n",
                      "%s: a course of %zu resources to edit, then: classeur build %s\n", n),
                   path, n, path);
        }
    }
    cl_buf_free(&list);
    cl_buf_free(&b);
    cl_setup_close(&s);
    return out;
}
