/* test_loader.c: the data loader and checker (src/model/load.c, src/model/yamltree.c).
 *
 * - tests/data/good/ is a small valid data folder: it must load without any diagnostic
 *   and the catalogue must hold exactly what the files say.
 * - tests/data/bad/<case>/ are that folder with one defect each; the diagnostics, printed
 *   as `classeur check` prints them (the loader's, then the printable check's: characters
 *   no font has, addresses too long for a QR code; then the layouts'), must equal <case>/expected.txt (see
 *   its README.md).
 * - Cases that need generated input (a 5 MB text, a missing folder) are built here in a
 *   temporary folder, removed by the teardown.
 * - The real dossier in data/ must load without errors.
 * Run from the repository root. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "compose/documents.h"
#include "compose/printable.h"
#include "model/model.h"
#include "model/yamltree.h"
#include "typeset/font.h"
#include "util/arena.h"
#include "util/diag.h"

#define GOOD "tests/data/good"
#define BAD "tests/data/bad"

/* ---- file helpers -------------------------------------------------------------------- */

/* Read a whole file into a NUL-terminated heap string (NULL when it cannot be read). */
static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *buf = NULL;
    size_t n = 0, cap = 0;
    for (;;) {
        if (n + 4096 + 1 > cap) {
            cap = cap ? cap * 2 : 8192;
            char *nb = realloc(buf, cap);
            if (!nb) {
                free(buf);
                fclose(f);
                return NULL;
            }
            buf = nb;
        }
        size_t got = fread(buf + n, 1, cap - n - 1, f);
        n += got;
        if (got == 0)
            break;
    }
    fclose(f);
    buf[n] = '\0';
    if (len)
        *len = n;
    return buf;
}

static void write_file(const char *path, const char *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        fail_msg("cannot write %s: %s", path, strerror(errno));
    if (len && fwrite(data, 1, len, f) != len)
        fail_msg("short write to %s", path);
    assert_int_equal(fclose(f), 0);
}

/* Copy the tree src into dst (which exists), skipping top-level files whose name starts
 * with skip (the expected outputs: expected.txt, expected.fr.txt). */
static void copy_tree(const char *src, const char *dst, const char *skip)
{
    DIR *d = opendir(src);
    if (!d)
        fail_msg("cannot open folder %s: %s", src, strerror(errno));
    struct dirent *e;
    while ((e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        if (skip && !strncmp(e->d_name, skip, strlen(skip)))
            continue;
        char s[4096], t[4096];
        snprintf(s, sizeof s, "%s/%s", src, e->d_name);
        snprintf(t, sizeof t, "%s/%s", dst, e->d_name);
        struct stat st;
        assert_int_equal(stat(s, &st), 0);
        if (S_ISDIR(st.st_mode)) {
            if (mkdir(t, 0755) != 0 && errno != EEXIST)
                fail_msg("cannot create %s: %s", t, strerror(errno));
            copy_tree(s, t, NULL);
        } else {
            size_t n;
            char *data = slurp(s, &n);
            assert_non_null(data);
            write_file(t, data, n);
            free(data);
        }
    }
    closedir(d);
}

/* Remove a folder and everything under it (no symbolic links are followed). */
static void rm_rf(const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return;
    if (S_ISDIR(st.st_mode)) {
        DIR *d = opendir(path);
        struct dirent *e;
        while (d && (e = readdir(d))) {
            if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
                continue;
            char p[4096];
            snprintf(p, sizeof p, "%s/%s", path, e->d_name);
            rm_rf(p);
        }
        if (d)
            closedir(d);
        rmdir(path);
    } else {
        unlink(path);
    }
}

static bool is_dir(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Replace every occurrence of from in s by to (heap result). */
static char *replace_all(const char *s, const char *from, const char *to)
{
    size_t fl = strlen(from), tl = strlen(to), n = 0;
    for (const char *p = s; (p = strstr(p, from)); p += fl)
        n++;
    char *out = malloc(strlen(s) + n * (tl > fl ? tl - fl : 0) + 1);
    assert_non_null(out);
    char *o = out;
    const char *p = s, *q;
    while ((q = strstr(p, from))) {
        memcpy(o, p, (size_t)(q - p));
        o += q - p;
        memcpy(o, to, tl);
        o += tl;
        p = q + fl;
    }
    strcpy(o, p);
    return out;
}

static size_t count_lines_with(const char *s, const char *needle)
{
    size_t n = 0;
    while (*s) {
        const char *eol = strchr(s, '\n');
        size_t l = eol ? (size_t)(eol - s) : strlen(s);
        char *line = strndup(s, l);
        assert_non_null(line);
        if (strstr(line, needle))
            n++;
        free(line);
        s += l + (eol ? 1 : 0);
    }
    return n;
}

/* ---- fixture ------------------------------------------------------------------------- */

typedef struct fx {
    const char *name;  /* bad case (initial state), or NULL */
    char dir[64];      /* temporary data folder, "" when none */
    cl_diags d;
    cl_catalog *c;
} fx;

static int fx_setup(void **state)
{
    fx *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    f->name = *state;
    *state = f;
    return 0;
}

static int fx_teardown(void **state)
{
    fx *f = *state;
    cl_catalog_drop(f->c);
    cl_diags_free(&f->d);
    if (f->dir[0])
        rm_rf(f->dir);
    free(f);
    return 0;
}

/* A temporary copy of the good folder, with the overlay folder (may be NULL) on top. */
static void make_data(fx *f, const char *overlay)
{
    strcpy(f->dir, "/tmp/classeur-test-XXXXXX");
    if (!mkdtemp(f->dir)) {
        f->dir[0] = '\0';
        fail_msg("mkdtemp: %s", strerror(errno));
    }
    copy_tree(GOOD, f->dir, NULL);
    if (overlay)
        copy_tree(overlay, f->dir, "expected");
}

/* Path of a file inside the temporary folder (static buffer). */
static const char *at(fx *f, const char *rel)
{
    static char p[4096];
    snprintf(p, sizeof p, "%s/%s", f->dir, rel);
    return p;
}

static void load(fx *f, const char *dir)
{
    f->c = cl_catalog_load(dir, NULL, 0, &f->d);
    assert_non_null(f->c);
}

/* The diagnostics as printed by `classeur check`, the temporary folder written DATA. */
static char *diag_text(fx *f)
{
    char *mem = NULL;
    size_t n = 0;
    FILE *m = open_memstream(&mem, &n);
    assert_non_null(m);
    cl_diags_print(&f->d, m);
    fclose(m);
    char *out = f->dir[0] ? replace_all(mem, f->dir, "DATA") : strdup(mem);
    free(mem);
    assert_non_null(out);
    return out;
}

/* Print the diagnostics (to see what went wrong when an assertion fails). */
static void show_diags(const cl_diags *d)
{
    if (d->n)
        cl_diags_print(d, stderr);
}

/* Check one diagnostic field by field. */
static void expect_diag(fx *f, size_t i, const char *rel, int line, int col, cl_severity sev,
                        const char *msg)
{
    if (i >= f->d.n) {
        show_diags(&f->d);
        fail_msg("diagnostic %zu missing (only %zu)", i, f->d.n);
    }
    const cl_diag *x = &f->d.items[i];
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", f->dir, rel);
    assert_non_null(x->file);
    assert_string_equal(x->file, path);
    assert_int_equal(x->line, line);
    assert_int_equal(x->col, col);
    assert_int_equal(x->sev, sev);
    assert_string_equal(x->msg, msg);
}

/* ---- the good folder ----------------------------------------------------------------- */

static void test_good_loads_clean(void **state)
{
    fx *f = *state;
    load(f, GOOD);
    show_diags(&f->d);
    assert_int_equal(f->d.errors, 0);
    assert_int_equal(f->d.warnings, 0);
    assert_int_equal(f->d.n, 0);
    assert_string_equal(f->c->data_dir, GOOD);
    assert_int_equal(f->c->n_resources, 4);
    assert_int_equal(f->c->n_sections, 5);
    assert_int_equal(f->c->n_diplomas, 2);
    assert_int_equal(f->c->n_courses, 1);
}

static void test_good_dossier(void **state)
{
    fx *f = *state;
    load(f, GOOD);
    assert_int_equal(f->d.errors, 0);
    const cl_dossier *d = &f->c->dossier;
    assert_string_equal(d->title, "La révolution numérique en santé et travail social");
    assert_int_equal(d->date.year, 2021);
    assert_int_equal(d->date.month, 4);
    assert_int_equal(d->date.day, 0);
    assert_int_equal(d->n_authors, 2);
    assert_string_equal(d->authors[0], "Lise ESNARD");
    assert_string_equal(d->authors[1], "Sébastien LEBRUN");
    assert_string_equal(d->credit, "enseignants de STMS des académies de Nantes et Créteil");
    /* a literal block loses its final line break, keeps the inner ones */
    assert_string_equal(d->summary, "Ce dossier documentaire a pour objectif d'apporter des ressources.");
    assert_string_equal(d->introduction_title, "Éléments d'introduction");
    assert_string_equal(d->introduction, "Premier paragraphe de l'introduction.\n\n"
                                         "- un élément de liste\n- un *autre* élément");
}

static void test_good_diplomas(void **state)
{
    fx *f = *state;
    load(f, GOOD);
    assert_int_equal(f->d.errors, 0);
    const cl_catalog *c = f->c;
    const cl_diploma *d = cl_catalog_diploma(c, "bts-sp3s");
    assert_ptr_equal(d, &c->diplomas[0]);
    assert_string_equal(d->name, "BTS SP3S");
    assert_string_equal(d->full_name, "BTS Services et prestations des secteurs sanitaire et social");
    assert_int_equal(d->n_modules, 2);
    assert_string_equal(d->modules[0].id, "C");
    assert_string_equal(d->modules[0].label, "Module C");
    assert_string_equal(d->modules[0].title, "Prestations et services");
    assert_int_equal(d->modules[0].year, 2);
    assert_int_equal(d->modules[1].year, 0); /* not stated */
    assert_ptr_equal(cl_diploma_module(d, "D"), &d->modules[1]);
    assert_null(cl_diploma_module(d, "c")); /* ids are case sensitive */
    assert_null(cl_diploma_module(d, "G"));
    const cl_diploma *s = cl_catalog_diploma(c, "st2s-premiere");
    assert_ptr_equal(s, &c->diplomas[1]);
    assert_string_equal(s->name, "Première ST2S");
    assert_null(s->full_name);
    assert_int_equal(s->n_modules, 1);
    assert_string_equal(s->modules[0].title, "Santé, bien-être et cohésion sociale");
    assert_null(cl_catalog_diploma(c, "bts-esf"));
    assert_null(cl_diploma_module(NULL, "C"));
}

static void test_good_resources(void **state)
{
    fx *f = *state;
    load(f, GOOD);
    assert_int_equal(f->d.errors, 0);
    const cl_catalog *c = f->c;
    /* sorted by id */
    static const char *const ids[] = {"insee-premiere-1780", "podcast-illectronisme",
                                      "rapport-defenseur", "video-teleconsultation"};
    for (size_t i = 0; i < 4; i++) {
        assert_string_equal(c->resources[i]->id, ids[i]);
        assert_ptr_equal(cl_catalog_resource(c, ids[i]), c->resources[i]);
    }
    assert_null(cl_catalog_resource(c, "insee"));
    assert_null(cl_catalog_resource(c, "zzz"));

    const cl_resource *r = cl_catalog_resource(c, "insee-premiere-1780");
    assert_int_equal(r->type, CL_RES_ARTICLE);
    assert_int_equal(r->n_authors, 2);
    assert_string_equal(r->authors[0].family, "LEGLYE");
    assert_string_equal(r->authors[0].given, "Stéphane");
    assert_null(r->authors[0].org);
    assert_null(r->authors[1].family);
    assert_null(r->authors[1].given);
    assert_string_equal(r->authors[1].org, "ARCEP");
    assert_string_equal(r->title, "Une personne sur six n'utilise pas Internet");
    assert_string_equal(r->container, "INSEE première");
    assert_string_equal(r->publisher, "INSEE");
    assert_string_equal(r->volume, "2011/1");
    assert_string_equal(r->issue, "n° 1780");
    assert_int_equal(r->date.year, 2019);
    assert_int_equal(r->date.month, 10);
    assert_int_equal(r->date.day, 30);
    assert_string_equal(r->date_label, "mise en ligne");
    assert_string_equal(r->pages, "67-74");
    assert_int_equal(r->duration_s, 0);
    assert_string_equal(r->description, "Rapport au secrétaire d'État chargé du numérique");
    assert_string_equal(r->url, "https://www.insee.fr/fr/statistiques/4241397");
    assert_int_equal(r->accessed.year, 2021);
    assert_int_equal(r->accessed.month, 4);
    assert_int_equal(r->accessed.day, 1);
    assert_int_equal(r->n_links, 0);
    assert_string_equal(r->pos.file, GOOD "/resources/a.yaml");
    assert_int_equal(r->pos.line, 1);
    assert_int_equal(r->pos.col, 3);
    /* it appears twice (1.1 and the appendix), first of all */
    assert_int_equal(r->n_entries, 2);
    assert_int_equal(r->order, 1);

    r = cl_catalog_resource(c, "podcast-illectronisme");
    assert_int_equal(r->type, CL_RES_PODCAST);
    assert_int_equal(r->n_authors, 0);
    assert_int_equal(r->date.year, 2020);
    assert_int_equal(r->date.month, 1);
    assert_int_equal(r->date.day, 0);       /* month precision */
    assert_int_equal(r->duration_s, 3600 + 28 * 60 + 5); /* 1:28:05 */
    assert_null(r->publisher);
    assert_null(r->pages);
    assert_null(r->date_label);
    assert_int_equal(r->accessed.year, 0);
    assert_string_equal(r->url, "http://www.franceculture.fr/");
    assert_int_equal(r->pos.line, 18);
    assert_int_equal(r->n_entries, 1);
    assert_int_equal(r->order, 2);

    r = cl_catalog_resource(c, "rapport-defenseur");
    assert_int_equal(r->type, CL_RES_RAPPORT);
    assert_int_equal(r->n_authors, 1);
    assert_string_equal(r->authors[0].org, "Défenseur des droits");
    assert_int_equal(r->date.year, 2019);
    assert_int_equal(r->date.month, 0);     /* year precision */
    assert_int_equal(r->date.day, 0);
    assert_string_equal(r->pages, "79");
    assert_int_equal(r->n_links, 2);
    assert_string_equal(r->links[0].title, "Rapport d'activité 2019");
    assert_string_equal(r->links[0].url, "https://www.defenseurdesdroits.fr/rapport-2019.pdf");
    assert_string_equal(r->links[1].title, "Synthèse");
    assert_null(r->links[1].url);
    assert_int_equal(r->order, 3);

    r = cl_catalog_resource(c, "video-teleconsultation");
    assert_int_equal(r->type, CL_RES_VIDEO);
    assert_int_equal(r->date.year, 0);      /* no date */
    assert_int_equal(r->duration_s, 18 * 60 + 15); /* 18:15 */
    assert_null(r->container);
    assert_null(r->description);
    assert_int_equal(r->order, 4);
}

static void test_good_sections(void **state)
{
    fx *f = *state;
    load(f, GOOD);
    assert_int_equal(f->d.errors, 0);
    const cl_catalog *c = f->c;
    cl_section *const *s = c->sections;
    static const char *const titles[] = {"Le numérique en santé", "Limites du numérique",
                                         "Fracture numérique", "Annexe", "Deuxième chapitre"};
    static const char *const numbers[] = {"1", "1.1", "1.1.1", NULL, "2"};
    static const int levels[] = {1, 2, 3, 1, 1};
    static const size_t n_entries[] = {0, 2, 1, 2, 0};
    static const size_t n_children[] = {1, 1, 0, 0, 0};
    for (size_t i = 0; i < 5; i++) {
        assert_string_equal(s[i]->title, titles[i]);
        if (numbers[i])
            assert_string_equal(s[i]->number, numbers[i]);
        else
            assert_null(s[i]->number);
        assert_int_equal(s[i]->level, levels[i]);
        assert_int_equal(s[i]->n_entries, n_entries[i]);
        assert_int_equal(s[i]->n_children, n_children[i]);
        assert_int_equal(s[i]->index, i);
        assert_string_equal(s[i]->pos.file, GOOD "/sections/a.yaml");
    }
    assert_int_equal(s[1]->pos.line, 5);
    assert_int_equal(s[1]->pos.col, 3);
    /* tree */
    assert_int_equal(c->root.n_children, 3);
    assert_ptr_equal(c->root.children[0], s[0]);
    assert_ptr_equal(c->root.children[1], s[3]);
    assert_ptr_equal(c->root.children[2], s[4]);
    assert_null(s[0]->parent);
    assert_ptr_equal(s[0]->children[0], s[1]);
    assert_ptr_equal(s[1]->parent, s[0]);
    assert_ptr_equal(s[1]->children[0], s[2]);
    assert_ptr_equal(s[2]->parent, s[1]);
    assert_null(s[3]->parent);
    assert_null(s[4]->parent);
    assert_string_equal(s[0]->introduction, "Introduction du chapitre.");
    assert_null(s[1]->introduction);

    /* entries of 1.1 */
    const cl_entry *e = &s[1]->entries[0];
    assert_string_equal(e->resource_id, "insee-premiere-1780");
    assert_ptr_equal(e->resource, cl_catalog_resource(c, "insee-premiere-1780"));
    assert_ptr_equal(e->section, s[1]);
    assert_string_equal(e->pos.file, GOOD "/sections/a.yaml");
    assert_int_equal(e->pos.line, 8);
    assert_int_equal(e->pos.col, 7);
    assert_string_equal(e->note.label, "Note de lecture");
    assert_string_equal(e->note.text, "Ce rapport de l'INSEE montre que…");
    assert_int_equal(e->n_extracts, 1);
    assert_string_equal(e->extracts[0].label, "Extrait");
    assert_string_equal(e->extracts[0].text, "« *Ce défi est un impératif collectif.* »");
    assert_int_equal(e->n_uses, 2);
    const cl_diploma *bts = cl_catalog_diploma(c, "bts-sp3s");
    const cl_diploma *st2s = cl_catalog_diploma(c, "st2s-premiere");
    assert_non_null(bts);
    assert_non_null(st2s);
    assert_ptr_equal(e->uses[0].diploma, bts);
    assert_ptr_equal(e->uses[0].module, &bts->modules[0]);
    assert_int_equal(e->uses[0].n_items, 2);
    assert_string_equal(e->uses[0].items[0], "3. Droit aux prestations");
    assert_string_equal(e->uses[0].items[1], "3.1 Accès aux droits");
    assert_string_equal(e->uses[0].activity, "A partir d'une situation professionnelle concrète…");
    assert_ptr_equal(e->uses[1].diploma, st2s);
    assert_ptr_equal(e->uses[1].module, &st2s->modules[0]);
    assert_int_equal(e->uses[1].n_items, 0);
    assert_null(e->uses[1].activity);

    /* an entry with nothing but its resource */
    e = &s[1]->entries[1];
    assert_ptr_equal(e->resource, cl_catalog_resource(c, "podcast-illectronisme"));
    assert_null(e->note.label);
    assert_null(e->note.text);
    assert_int_equal(e->n_extracts, 0);
    assert_int_equal(e->n_uses, 0);

    /* a note without a label */
    e = &s[2]->entries[0];
    assert_null(e->note.label);
    assert_string_equal(e->note.text, "Texte sans étiquette.");

    /* the same resource in two sections: two entries, one record */
    assert_ptr_equal(s[3]->entries[1].resource, s[1]->entries[0].resource);
    assert_ptr_equal(s[3]->entries[1].section, s[3]);
}

static void test_good_course(void **state)
{
    fx *f = *state;
    load(f, GOOD);
    assert_int_equal(f->d.errors, 0);
    const cl_catalog *c = f->c;
    const cl_course *co = c->courses[0];
    assert_string_equal(co->id, "bts-sp3s-module-c");
    assert_string_equal(co->path, GOOD "/courses/c.yaml");
    assert_ptr_equal(cl_catalog_course(c, "bts-sp3s-module-c"), co);
    assert_ptr_equal(cl_catalog_course(c, GOOD "/courses/c.yaml"), co);
    /* another spelling of the same file */
    assert_ptr_equal(cl_catalog_course(c, "./" GOOD "/sections/../courses/c.yaml"), co);
    assert_null(cl_catalog_course(c, "bts-sp3s-module-d"));
    assert_string_equal(co->title, "Accès aux droits et dématérialisation");
    assert_string_equal(co->diploma_id, "bts-sp3s");
    assert_string_equal(co->module_id, "C");
    const cl_diploma *bts = cl_catalog_diploma(c, "bts-sp3s");
    assert_ptr_equal(co->diploma, bts);
    assert_ptr_equal(co->module, cl_diploma_module(bts, "C"));
    assert_string_equal(co->school_year, "2026-2027");
    assert_string_equal(co->teacher, "Équipe STMS");
    assert_string_equal(co->layout, "default");
    assert_string_equal(co->introduction, "Sélection pour le module C.");
    assert_int_equal(co->n_items, 2);
    assert_string_equal(co->items[0].id, "podcast-illectronisme");
    assert_ptr_equal(co->items[0].resource, cl_catalog_resource(c, "podcast-illectronisme"));
    assert_int_equal(co->items[0].n_questions, 0);
    assert_int_equal(co->items[0].pos.line, 11);
    assert_int_equal(co->items[0].pos.col, 5);
    assert_string_equal(co->items[1].id, "insee-premiere-1780");
    assert_ptr_equal(co->items[1].resource, cl_catalog_resource(c, "insee-premiere-1780"));
    assert_int_equal(co->items[1].n_questions, 2);
    assert_string_equal(co->items[1].questions[0], "Quelle part de la population n'utilise pas Internet ?");
    assert_string_equal(co->items[1].questions[1], "Quelles compétences manquent le plus ?");
    assert_int_equal(co->items[1].pos.line, 12);
}

/* Extra course files come after the folder's; a file given twice is read once. */
static void test_extra_course_files(void **state)
{
    fx *f = *state;
    make_data(f, NULL);
    static const char extra[] = "id: st2s-sbcs\n"
                                "title: Santé et numérique\n"
                                "diploma: st2s-premiere\n"
                                "module: sbcs\n"
                                "resources:\n"
                                "  - rapport-defenseur\n";
    char path[4096];
    snprintf(path, sizeof path, "%s/extra.yaml", f->dir);
    write_file(path, extra, sizeof extra - 1);
    const char *files[] = {path, GOOD "/courses/c.yaml", path};
    f->c = cl_catalog_load(GOOD, files, 3, &f->d);
    assert_non_null(f->c);
    show_diags(&f->d);
    assert_int_equal(f->d.n, 0);
    assert_int_equal(f->c->n_courses, 2);
    assert_string_equal(f->c->courses[0]->id, "bts-sp3s-module-c");
    const cl_course *co = f->c->courses[1];
    assert_string_equal(co->id, "st2s-sbcs");
    assert_string_equal(co->path, path);
    assert_ptr_equal(cl_catalog_course(f->c, path), co);
    const cl_diploma *st2s = cl_catalog_diploma(f->c, "st2s-premiere");
    assert_ptr_equal(co->diploma, st2s);
    assert_ptr_equal(co->module, &st2s->modules[0]);
    assert_null(co->teacher);
    assert_null(co->school_year);
    assert_int_equal(co->n_items, 1);
    assert_ptr_equal(co->items[0].resource, cl_catalog_resource(f->c, "rapport-defenseur"));
}

static void test_restype_names(void **state)
{
    (void)state;
    static const char *const names[] = {"article", "rapport", "site", "podcast", "video"};
    static const char *const labels[] = {"Article", "Rapport", "Site", "Podcast", "Vidéo"};
    for (int t = 0; t < CL_RES_TYPE_COUNT; t++) {
        assert_string_equal(cl_restype_name((cl_restype)t), names[t]);
        assert_string_equal(cl_restype_label((cl_restype)t), labels[t]);
    }
    assert_string_equal(cl_restype_name(CL_RES_TYPE_COUNT), "?");
    assert_string_equal(cl_restype_label(CL_RES_TYPE_COUNT), "?");
}

/* ---- the real dossier ---------------------------------------------------------------- */

static void test_real_data(void **state)
{
    fx *f = *state;
    load(f, "data");
    if (f->d.errors)
        show_diags(&f->d);
    assert_int_equal(f->d.errors, 0);
    size_t entries = 0;
    for (size_t i = 0; i < f->c->n_sections; i++)
        entries += f->c->sections[i]->n_entries;
    assert_in_range(f->c->n_resources, 120, SIZE_MAX);
    assert_in_range(entries, 126, SIZE_MAX);
    assert_in_range(f->c->n_sections, 26, SIZE_MAX);
    /* every entry resolved, every resource used */
    for (size_t i = 0; i < f->c->n_sections; i++)
        for (size_t j = 0; j < f->c->sections[i]->n_entries; j++)
            assert_non_null(f->c->sections[i]->entries[j].resource);
    for (size_t i = 0; i < f->c->n_resources; i++)
        assert_true(f->c->resources[i]->n_entries > 0);
}

/* ---- the bad corpus ------------------------------------------------------------------ */

/* The fonts of fonts/, loaded once for the printable check of the bad cases. */
static cl_fonts *bad_fonts(void)
{
    static cl_fonts *fonts;
    if (!fonts) {
        cl_err err = {0};
        fonts = cl_fonts_load("fonts", &err);
        if (!fonts)
            fail_msg("cannot load fonts/: %s", err.msg);
    }
    return fonts;
}

static void test_bad_case(void **state)
{
    fx *f = *state;
    char overlay[4096], exp_path[4096];
    snprintf(overlay, sizeof overlay, BAD "/%s", f->name);
    snprintf(exp_path, sizeof exp_path, BAD "/%s/expected.txt", f->name);
    char *expected = slurp(exp_path, NULL);
    if (!expected)
        fail_msg("cannot read %s", exp_path);
    make_data(f, overlay);
    load(f, f->dir);
    cl_check_printable(f->c, bad_fonts(), &f->d); /* as `classeur check` does */
    cl_check_layouts(f->c, "layouts", NULL, &f->d);
    char *got = diag_text(f);
    if (strcmp(got, expected))
        fprintf(stderr, "--- expected (%s)\n%s--- got\n%s", exp_path, expected, got);
    assert_string_equal(got, expected);
    size_t errs = count_lines_with(expected, ": error: ");
    size_t warns = count_lines_with(expected, ": warning: ");
    assert_true(errs + warns > 0); /* a bad case must be reported */
    assert_int_equal(f->d.errors, errs);
    assert_int_equal(f->d.warnings, warns);
    assert_int_equal(f->d.n, errs + warns);
    free(got);
    free(expected);
}

static const char *const bad_cases[] = {
    "syntax-error", "unknown-key", "missing-key", "wrong-type", "duplicate-key",
    "duplicate-id", "entry-unknown-resource", "entry-unknown-diploma",
    "course-unknown-resource", "course-unknown-diploma", "course-unknown-module",
    "bad-course-fields", "invalid-date", "bad-url", "bad-duration-pages", "bad-author",
    "invalid-utf8", "control-character", "unsafe-id", "unknown-type", "alias-bomb",
    "deep-nesting", "second-document", "section-level-jump", "empty-file", "bad-addresses", "bad-authorities",
    "unprintable-character", "address-too-long", "course-unknown-layout", "empty-course-file",
    "missing-colon", "tab-indent", "colon-in-question",
};
#define N_BAD (sizeof bad_cases / sizeof bad_cases[0])

/* Every folder of tests/data/bad is run (none forgotten), every listed case exists. */
static void test_bad_corpus_complete(void **state)
{
    (void)state;
    DIR *d = opendir(BAD);
    assert_non_null(d);
    size_t found = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        char p[4096];
        snprintf(p, sizeof p, BAD "/%s", e->d_name);
        if (e->d_name[0] == '.' || !is_dir(p))
            continue;
        bool listed = false;
        for (size_t i = 0; i < N_BAD; i++)
            listed = listed || !strcmp(bad_cases[i], e->d_name);
        if (!listed)
            fail_msg("%s is not in bad_cases[] of test_loader.c", p);
        found++;
    }
    closedir(d);
    assert_int_equal(found, N_BAD);
}

/* The same cases, field by field: file, line, column, severity and message. */
static void test_diag_fields_unknown_key(void **state)
{
    fx *f = *state;
    make_data(f, BAD "/unknown-key");
    load(f, f->dir);
    assert_int_equal(f->d.errors, 1);
    expect_diag(f, 0, "resources/b.yaml", 4, 3, CL_ERROR,
                "unknown key 'publiser' in a resource; did you mean 'publisher'? (accepted: id, type, "
                "authors, title, container, publisher, volume, issue, date, date_label, pages, "
                "duration, description, url, accessed, links, unidentified)");
    /* the record is still read, without the unknown key */
    const cl_resource *r = cl_catalog_resource(f->c, "cnil-kit");
    assert_non_null(r);
    assert_null(r->publisher);
    assert_string_equal(r->title, "Kit des travailleurs sociaux");
    /* the warning is a warning */
    assert_int_equal(f->d.warnings, 1);
    assert_int_equal(f->d.items[1].sev, CL_WARNING);
    assert_string_equal(f->d.items[1].file, at(f, "resources"));
    assert_int_equal(f->d.items[1].line, 0);
    assert_string_equal(f->d.items[1].msg, "1 resources appear in no section: cnil-kit");
}

static void test_diag_fields_unknown_resource(void **state)
{
    fx *f = *state;
    make_data(f, BAD "/entry-unknown-resource");
    load(f, f->dir);
    assert_int_equal(f->d.n, 1);
    expect_diag(f, 0, "sections/b.yaml", 4, 17, CL_ERROR,
                "unknown resource 'insee-premire-1780'; did you mean 'insee-premiere-1780'? "
                "(accepted: an id defined in resources/*.yaml)");
    /* the entry is kept, unresolved */
    const cl_section *s = f->c->sections[f->c->n_sections - 1];
    assert_string_equal(s->title, "Troisième chapitre");
    assert_int_equal(s->n_entries, 1);
    assert_string_equal(s->entries[0].resource_id, "insee-premire-1780");
    assert_null(s->entries[0].resource);
}

static void test_diag_fields_course(void **state)
{
    fx *f = *state;
    make_data(f, BAD "/course-unknown-diploma");
    load(f, f->dir);
    assert_int_equal(f->d.n, 1);
    expect_diag(f, 0, "courses/d.yaml", 3, 10, CL_ERROR,
                "unknown diploma 'bts-sp3'; did you mean 'bts-sp3s'? (accepted: the ids of "
                "diplomas.yaml: bts-sp3s, st2s-premiere)");
    const cl_course *co = cl_catalog_course(f->c, "bts-sp3s-module-d");
    assert_non_null(co);
    assert_string_equal(co->diploma_id, "bts-sp3");
    assert_null(co->diploma);
    assert_null(co->module);
    assert_int_equal(co->n_items, 1);
    assert_non_null(co->items[0].resource);
}

static void test_diag_fields_duplicate_id(void **state)
{
    fx *f = *state;
    make_data(f, BAD "/duplicate-id");
    load(f, f->dir);
    assert_int_equal(f->d.n, 1);
    char msg[8192];
    snprintf(msg, sizeof msg,
             "duplicate resource id 'rapport-defenseur' (first defined at %s/resources/a.yaml:25; "
             "ids must be unique)", f->dir);
    expect_diag(f, 0, "resources/b.yaml", 2, 3, CL_ERROR, msg);
    /* the first definition is kept */
    assert_int_equal(f->c->n_resources, 4);
    const cl_resource *r = cl_catalog_resource(f->c, "rapport-defenseur");
    assert_string_equal(r->title, "Dématérialisation et inégalités d'accès aux services publics");
}

static void test_diag_fields_utf8(void **state)
{
    fx *f = *state;
    make_data(f, BAD "/invalid-utf8");
    load(f, f->dir);
    assert_int_equal(f->d.n, 1);
    expect_diag(f, 0, "resources/b.yaml", 3, 13, CL_ERROR,
                "invalid UTF-8 byte 0xE9 (data files must be UTF-8 encoded)");
    /* nothing of the file is read, the rest of the folder is */
    assert_null(cl_catalog_resource(f->c, "cnil-kit"));
    assert_int_equal(f->c->n_resources, 4);
}

/* An empty file has no position: printed "FILE: error: ...". */
static void test_diag_fields_empty_file(void **state)
{
    fx *f = *state;
    make_data(f, BAD "/empty-file");
    load(f, f->dir);
    assert_int_equal(f->d.n, 1);
    expect_diag(f, 0, "dossier.yaml", 0, 0, CL_ERROR,
                "the dossier must be a mapping of keys and values, found nothing");
    char *txt = diag_text(f);
    assert_string_equal(txt, "DATA/dossier.yaml: error: the dossier must be a mapping of keys and "
                             "values, found nothing\n");
    free(txt);
    assert_null(f->c->dossier.title);
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The billion laughs is refused at the first alias, without expanding anything. */
static void test_alias_bomb_is_quick(void **state)
{
    fx *f = *state;
    make_data(f, BAD "/alias-bomb");
    double t0 = now_s();
    load(f, f->dir);
    double dt = now_s() - t0;
    assert_true(dt < 1.0);
    assert_int_equal(f->d.n, 1);
    expect_diag(f, 0, "resources/b.yaml", 3, 7, CL_ERROR,
                "YAML alias '*a' (aliases and anchors are not accepted in Classeur data; write "
                "the value out)");
    assert_int_equal(f->c->n_resources, 4);
}

static void test_deep_nesting(void **state)
{
    fx *f = *state;
    make_data(f, BAD "/deep-nesting");
    double t0 = now_s();
    load(f, f->dir);
    assert_true(now_s() - t0 < 1.0);
    assert_int_equal(f->d.n, 1);
    expect_diag(f, 0, "resources/b.yaml", 1, 33, CL_ERROR,
                "nesting deeper than 32 levels (Classeur data needs a few)");
}

/* A 5 MB text (generated, not committed): refused with its size and position. */
static void test_huge_text(void **state)
{
    fx *f = *state;
    make_data(f, NULL);
    size_t big = 5 * 1024 * 1024;
    static const char head[] = "- id: big-text\n  type: site\n  title: \"";
    static const char tail[] = "\"\n  url: https://www.cnil.fr/\n";
    size_t n = sizeof head - 1 + big + sizeof tail - 1;
    char *data = malloc(n);
    assert_non_null(data);
    memcpy(data, head, sizeof head - 1);
    memset(data + sizeof head - 1, 'a', big);
    memcpy(data + sizeof head - 1 + big, tail, sizeof tail - 1);
    write_file(at(f, "resources/b.yaml"), data, n);
    free(data);
    load(f, f->dir);
    assert_int_equal(f->d.n, 1);
    expect_diag(f, 0, "resources/b.yaml", 3, 10, CL_ERROR,
                "text of 5242880 bytes is too long (at most 1048576 bytes per value)");
    assert_null(cl_catalog_resource(f->c, "big-text"));
    char *txt = diag_text(f);
    assert_string_equal(txt, "DATA/resources/b.yaml:3:10: error: text of 5242880 bytes is too long "
                             "(at most 1048576 bytes per value)\n");
    free(txt);
}

/* Full formatted lines of several cases, one after the other in one folder. */
/* addresses.yaml: its records win over the url of the resources files, reach sub-links,
 * keep their evidence and place; --require-evidence refuses a record without evidence. */
static void test_addresses(void **state)
{
    fx *f = *state;
    make_data(f, NULL);
    static const char addr[] = "# comment\n"
                               "- id: podcast-illectronisme\n"
                               "  address: https://www.radiofrance.fr/franceculture/podcasts/les-pieds-sur-terre\n"
                               "  accessed: 2026-12-01\n"
                               "  evidence:\n"
                               "    kind: publisher-page\n"
                               "    seen_at: https://www.radiofrance.fr/franceculture/podcasts/les-pieds-sur-terre?x=1\n"
                               "    quote: \"Les pieds sur terre\"\n"
                               "- id: rapport-defenseur\n"
                               "  link: Synthèse\n"
                               "  address: https://www.defenseurdesdroits.fr/synthese.pdf\n";
    write_file(at(f, "addresses.yaml"), addr, sizeof addr - 1);
    load(f, f->dir);
    assert_int_equal(f->d.errors, 0);
    assert_int_equal(f->d.warnings, 0);
    const cl_resource *p = cl_catalog_resource(f->c, "podcast-illectronisme");
    assert_string_equal(p->url, "https://www.radiofrance.fr/franceculture/podcasts/les-pieds-sur-terre");
    assert_int_equal(p->accessed.year, 2026);
    assert_int_equal(p->accessed.day, 1);
    assert_non_null(p->address);
    assert_int_equal(p->address->evidence, CL_EVIDENCE_PUBLISHER_PAGE);
    assert_string_equal(p->address->quote, "Les pieds sur terre");
    assert_string_equal(cl_evidence_name(p->address->evidence), "publisher-page");
    assert_string_equal(p->url_pos.file, at(f, "addresses.yaml"));
    assert_int_equal(p->url_pos.line, 3);
    assert_int_equal(p->url_pos.col, 12);
    const cl_resource *r = cl_catalog_resource(f->c, "rapport-defenseur");
    assert_string_equal(r->url, "https://www.defenseurdesdroits.fr/"); /* its own url stays */
    assert_null(r->address);
    assert_string_equal(r->url_pos.file, at(f, "resources/a.yaml"));
    assert_string_equal(r->links[1].title, "Synthèse");
    assert_string_equal(r->links[1].url, "https://www.defenseurdesdroits.fr/synthese.pdf");
    assert_non_null(r->links[1].address);
    assert_int_equal(r->links[1].address->evidence, CL_EVIDENCE_NONE);
    assert_int_equal(f->c->n_addresses, 2);
    cl_catalog_drop(f->c);
    f->c = NULL;
    cl_diags_free(&f->d);

    /* the shipped data asks for evidence: the sub-link's record has none */
    cl_load_opts o = {.require_evidence = true};
    f->c = cl_catalog_load_opts(f->dir, NULL, 0, &o, &f->d);
    assert_non_null(f->c);
    char *txt = diag_text(f);
    assert_string_equal(txt, "DATA/addresses.yaml:9:3: error: the address of 'rapport-defenseur' has no evidence "
                             "(required with --require-evidence: evidence with kind, seen_at and quote)\n");
    free(txt);
}

/* A resource the source does not identify: no address, no course may select it. */
static void test_unidentified(void **state)
{
    fx *f = *state;
    make_data(f, NULL);
    static const char res[] = "- id: site-sans-reference\n"
                              "  type: site\n"
                              "  title: \"[Référence absente du dossier source]\"\n"
                              "  unidentified: true\n";
    write_file(at(f, "resources/b.yaml"), res, sizeof res - 1);
    static const char addr[] = "- id: site-sans-reference\n"
                               "  address: https://example.org/\n";
    write_file(at(f, "addresses.yaml"), addr, sizeof addr - 1);
    static const char co[] = "id: autre\ntitle: Autre\ndiploma: bts-sp3s\nmodule: C\nresources:\n"
                             "  - site-sans-reference\n";
    write_file(at(f, "courses/d.yaml"), co, sizeof co - 1);
    load(f, f->dir);
    char *txt = diag_text(f);
    assert_string_equal(txt,
                        "DATA/addresses.yaml:1:7: error: resource 'site-sans-reference' is not identified by the "
                        "source, so it cannot have an address\n"
                        "DATA/courses/d.yaml:6:5: error: resource 'site-sans-reference' is not identified by the "
                        "source (no reference to print): a course cannot select it\n"
                        "DATA/resources: warning: 1 resources appear in no section: site-sans-reference\n");
    free(txt);
    assert_true(cl_catalog_resource(f->c, "site-sans-reference")->unidentified);
    assert_null(cl_catalog_resource(f->c, "site-sans-reference")->url);
}

static void test_formatted_lines(void **state)
{
    fx *f = *state;
    make_data(f, NULL);
    static const char res[] = "- id: cnil-kit\n"
                              "  type: site\n"
                              "  title: Kit des travailleurs sociaux\n"
                              "  date: 2019-02-30\n"
                              "  url: javascript:alert(1)\n";
    write_file(at(f, "resources/b.yaml"), res, sizeof res - 1);
    static const char sec[] = "- number: \"3\"\n"
                              "  title: Troisième chapitre\n"
                              "  entries:\n"
                              "    - resource: cnil-kit\n"
                              "    - resource: video-teleconsultaton\n";
    write_file(at(f, "sections/b.yaml"), sec, sizeof sec - 1);
    load(f, f->dir);
    char *txt = diag_text(f);
    assert_string_equal(txt,
        "DATA/resources/b.yaml:4:9: error: invalid date '2019-02-30' in resource 'cnil-kit' "
        "(accepted: ISO 8601 YYYY, YYYY-MM or YYYY-MM-DD, e.g. 2019-10-30)\n"
        "DATA/resources/b.yaml:5:8: error: 'javascript:alert(1)' is not an http(s) address "
        "(accepted: http:// or https:// followed by a host name, without spaces)\n"
        "DATA/sections/b.yaml:5:17: error: unknown resource 'video-teleconsultaton'; did you "
        "mean 'video-teleconsultation'? (accepted: an id defined in resources/*.yaml)\n"
        "DATA/addresses.yaml: warning: 1 of 5 resources have no address yet (no QR code): cnil-kit; add "
        "them to this file (docs/addresses.md)\n");
    free(txt);
    assert_int_equal(f->d.errors, 3);
    assert_int_equal(f->d.warnings, 1);
    /* the record is kept without the bad values */
    const cl_resource *r = cl_catalog_resource(f->c, "cnil-kit");
    assert_non_null(r);
    /* (r->date is not checked: see the report, get_date leaves a partial 2019-02-30) */
    assert_null(r->url);
    assert_int_equal(r->n_entries, 1);
}

/* Dates: precision, leap years and every malformed form. */
static void test_dates(void **state)
{
    fx *f = *state;
    make_data(f, NULL);
    static const char *const good[] = {"2019", "2019-10", "2019-10-30", "2020-02-29",
                                       "2000-02-29", "1999-12-31", "2021-01-01"};
    static const int want[][3] = {{2019, 0, 0}, {2019, 10, 0}, {2019, 10, 30}, {2020, 2, 29},
                                  {2000, 2, 29}, {1999, 12, 31}, {2021, 1, 1}};
    static const char *const bad[] = {"2019-02-29", "1900-02-29", "2019-04-31", "2019-13",
                                      "2019-00", "2019-10-00", "2019-10-32", "19", "999",
                                      "0999", "2019-1", "2019-1-01", "2019/10/30", "2019-10-3x",
                                      "20190", "2019-10-301", "octobre 2019"};
    char buf[8192] = "";
    size_t n_good = sizeof good / sizeof good[0], n_bad = sizeof bad / sizeof bad[0];
    for (size_t i = 0; i < n_good + n_bad; i++) {
        char rec[256];
        snprintf(rec, sizeof rec,
                 "- id: date-%02zu\n  type: site\n  title: T\n  date: \"%s\"\n  url: https://a.fr/\n",
                 i, i < n_good ? good[i] : bad[i - n_good]);
        strcat(buf, rec);
    }
    write_file(at(f, "resources/b.yaml"), buf, strlen(buf));
    load(f, f->dir);
    assert_int_equal(f->d.errors, n_bad);
    for (size_t i = 0; i < n_bad; i++) {
        char msg[512];
        snprintf(msg, sizeof msg,
                 "invalid date '%s' in resource 'date-%02zu' (accepted: ISO 8601 YYYY, YYYY-MM or "
                 "YYYY-MM-DD, e.g. 2019-10-30)", bad[i], n_good + i);
        expect_diag(f, i, "resources/b.yaml", (int)(n_good + i) * 5 + 4, 9, CL_ERROR, msg);
    }
    for (size_t i = 0; i < n_good; i++) {
        char id[16];
        snprintf(id, sizeof id, "date-%02zu", i);
        const cl_resource *r = cl_catalog_resource(f->c, id);
        assert_non_null(r);
        assert_int_equal(r->date.year, want[i][0]);
        assert_int_equal(r->date.month, want[i][1]);
        assert_int_equal(r->date.day, want[i][2]);
    }
}

/* Addresses: only http(s) with a host name. */
static void test_urls(void **state)
{
    fx *f = *state;
    make_data(f, NULL);
    static const char *const good[] = {"https://www.insee.fr/", "http://a.fr",
                                       "https://localhost:8080/x?y=1#z", "https://a.fr/é"};
    static const char *const bad[] = {"javascript:alert(1)", "ftp://ftp.example.org/x",
                                      "file:///etc/passwd", "https://", "https:///path",
                                      "http//a.fr", "https://a b.fr/", "https://a.fr/a b",
                                      "https://a.fr/\"onclick",
                                      "https://user@a.fr/", "www.insee.fr", "mailto:a@b.fr",
                                      "data:text/html,<script>"};
    char buf[8192] = "";
    size_t n_good = sizeof good / sizeof good[0], n_bad = sizeof bad / sizeof bad[0];
    for (size_t i = 0; i < n_good + n_bad; i++) {
        const char *u = i < n_good ? good[i] : bad[i - n_good];
        char rec[256];
        /* single quotes: no escapes to worry about */
        snprintf(rec, sizeof rec, "- id: url-%02zu\n  type: site\n  title: T\n  url: '%s'\n", i, u);
        strcat(buf, rec);
    }
    write_file(at(f, "resources/b.yaml"), buf, strlen(buf));
    load(f, f->dir);
    assert_int_equal(f->d.errors, n_bad);
    for (size_t i = 0; i < n_bad; i++) {
        char msg[512];
        snprintf(msg, sizeof msg,
                 "'%s' is not an http(s) address (accepted: http:// or https:// followed by a host "
                 "name, without spaces)", bad[i]);
        expect_diag(f, i, "resources/b.yaml", (int)(n_good + i) * 4 + 4, 8, CL_ERROR, msg);
    }
    for (size_t i = 0; i < n_good; i++) {
        char id[16];
        snprintf(id, sizeof id, "url-%02zu", i);
        const cl_resource *r = cl_catalog_resource(f->c, id);
        assert_non_null(r);
        assert_non_null(r->url);
        assert_string_equal(r->url, good[i]);
    }
}

/* Identifiers: lowercase letters, digits and '-', starting with a letter, at most 64. */
static void test_ids(void **state)
{
    fx *f = *state;
    make_data(f, NULL);
    char id64[65], id65[66];
    memset(id64, 'a', 64);
    id64[64] = '\0';
    memset(id65, 'a', 65);
    id65[65] = '\0';
    const char *good[] = {"a", "csa-illectronisme-2018", "x1", id64};
    const char *bad[] = {"../etc", "Upper", "1abc", "-abc", "a_b", "a.b", "a b",
                         "caf\xC3\xA9", "a/b", id65};
    char buf[16384] = "";
    size_t n_good = sizeof good / sizeof good[0], n_bad = sizeof bad / sizeof bad[0];
    for (size_t i = 0; i < n_good + n_bad; i++) {
        char rec[512];
        snprintf(rec, sizeof rec, "- id: '%s'\n  type: site\n  title: T\n  url: https://a.fr/\n",
                 i < n_good ? good[i] : bad[i - n_good]);
        strcat(buf, rec);
    }
    write_file(at(f, "resources/b.yaml"), buf, strlen(buf));
    load(f, f->dir);
    assert_int_equal(f->d.errors, n_bad);
    for (size_t i = 0; i < n_bad; i++) {
        char msg[512];
        snprintf(msg, sizeof msg,
                 "'%s' is not a safe identifier (accepted: lowercase ASCII letters, digits and "
                 "'-', starting with a letter, at most 64 characters)", bad[i]);
        expect_diag(f, i, "resources/b.yaml", (int)(n_good + i) * 4 + 1, 7, CL_ERROR, msg);
    }
    for (size_t i = 0; i < n_good; i++)
        assert_non_null(cl_catalog_resource(f->c, good[i]));
    assert_int_equal(f->c->n_resources, 4 + n_good);
}

/* Durations MM:SS and H:MM:SS; pages count or range. */
static void test_durations_and_pages(void **state)
{
    fx *f = *state;
    make_data(f, NULL);
    static const char res[] = "- id: d1\n  type: video\n  title: T\n  duration: \"28:00\"\n  pages: 1-1\n  url: https://a.fr/\n"
                              "- id: d2\n  type: video\n  title: T\n  duration: \"0:00:59\"\n  url: https://a.fr/\n"
                              "- id: d3\n  type: video\n  title: T\n  duration: \"0:00\"\n  url: https://a.fr/\n"
                              "- id: d4\n  type: video\n  title: T\n  duration: \"1:60:00\"\n  url: https://a.fr/\n"
                              "- id: d5\n  type: video\n  title: T\n  duration: 12 min\n  pages: \"12a\"\n  url: https://a.fr/\n";
    write_file(at(f, "resources/b.yaml"), res, sizeof res - 1);
    load(f, f->dir);
    assert_int_equal(f->d.errors, 4);
    expect_diag(f, 0, "resources/b.yaml", 15, 13, CL_ERROR,
                "invalid duration '0:00' for resource 'd3' (accepted: MM:SS or H:MM:SS, e.g. 28:00 or 1:28:00)");
    expect_diag(f, 1, "resources/b.yaml", 20, 13, CL_ERROR,
                "invalid duration '1:60:00' for resource 'd4' (accepted: MM:SS or H:MM:SS, e.g. 28:00 or 1:28:00)");
    expect_diag(f, 2, "resources/b.yaml", 26, 10, CL_ERROR,
                "invalid pages '12a' for resource 'd5' (accepted: a page count such as 79, or a range such as 67-74)");
    expect_diag(f, 3, "resources/b.yaml", 25, 13, CL_ERROR,
                "invalid duration '12 min' for resource 'd5' (accepted: MM:SS or H:MM:SS, e.g. 28:00 or 1:28:00)");
    assert_int_equal(cl_catalog_resource(f->c, "d1")->duration_s, 28 * 60);
    assert_string_equal(cl_catalog_resource(f->c, "d1")->pages, "1-1");
    assert_int_equal(cl_catalog_resource(f->c, "d2")->duration_s, 59);
    assert_int_equal(cl_catalog_resource(f->c, "d3")->duration_s, 0);
    assert_null(cl_catalog_resource(f->c, "d5")->pages);
}

/* Missing folder and missing files. */
static void test_missing_folder(void **state)
{
    fx *f = *state;
    load(f, "tests/data/no-such-folder");
    assert_int_equal(f->d.n, 1);
    assert_int_equal(f->d.errors, 1);
    assert_string_equal(f->d.items[0].file, "tests/data/no-such-folder");
    assert_int_equal(f->d.items[0].line, 0);
    assert_string_equal(f->d.items[0].msg,
                        "no such data folder (expected a folder with dossier.yaml, diplomas.yaml, "
                        "resources/, sections/, courses/)");
    assert_int_equal(f->c->n_resources, 0);
    assert_int_equal(f->c->n_sections, 0);
}

static void test_empty_folder(void **state)
{
    fx *f = *state;
    strcpy(f->dir, "/tmp/classeur-test-XXXXXX");
    if (!mkdtemp(f->dir)) {
        f->dir[0] = '\0';
        fail();
    }
    load(f, f->dir);
    char *txt = diag_text(f);
    assert_string_equal(txt,
        "DATA/diplomas.yaml: error: missing file (the list of diplomas and modules)\n"
        "DATA/dossier.yaml: error: missing file (the dossier's title, date, authors, introduction)\n"
        "DATA/resources: error: no resource files (*.yaml) found\n"
        "DATA/sections: error: no section files (*.yaml) found\n");
    free(txt);
    assert_int_equal(f->d.errors, 4);
    assert_int_equal(f->c->n_courses, 0);
}

/* A course file given on the command line that does not exist. */
static void test_missing_course_file(void **state)
{
    fx *f = *state;
    const char *files[] = {"tests/data/no-such-course.yaml"};
    f->c = cl_catalog_load(GOOD, files, 1, &f->d);
    assert_non_null(f->c);
    assert_int_equal(f->d.n, 1);
    assert_string_equal(f->d.items[0].file, "tests/data/no-such-course.yaml");
    assert_string_equal(f->d.items[0].msg, "cannot open: No such file or directory");
    assert_int_equal(f->c->n_courses, 1);
}

/* ---- yamltree ------------------------------------------------------------------------ */

typedef struct ytx {
    cl_arena *a;
    cl_diags d;
} ytx;

static int y_setup(void **state)
{
    ytx *y = calloc(1, sizeof *y);
    if (!y)
        return -1;
    y->a = cl_arena_new();
    *state = y;
    return y->a ? 0 : -1;
}

static int y_teardown(void **state)
{
    ytx *y = *state;
    cl_arena_drop(y->a);
    cl_diags_free(&y->d);
    free(y);
    return 0;
}

static cl_ynode *yload(ytx *y, const char *text, size_t len, bool *ok)
{
    return cl_yaml_load_mem(y->a, "mem.yaml", text, len, &y->d, ok);
}

static void test_yaml_tree(void **state)
{
    ytx *y = *state;
    static const char src[] = "title: Été\n"
                              "n: 'quoted'\n"
                              "e:\n"
                              "t: ~\n"
                              "q: \"null\"\n"
                              "list:\n"
                              "  - a\n"
                              "  - [b, c]\n";
    bool ok = false;
    cl_ynode *r = yload(y, src, sizeof src - 1, &ok);
    assert_true(ok);
    assert_int_equal(y->d.n, 0);
    assert_non_null(r);
    assert_int_equal(r->kind, CL_YMAP);
    assert_int_equal(r->n, 12);
    assert_int_equal(r->line, 1);
    assert_int_equal(r->col, 1);
    cl_ynode *v = r->items[1];
    assert_int_equal(v->kind, CL_YSCALAR);
    assert_string_equal(v->str, "Été");
    assert_int_equal(v->len, 5); /* bytes */
    assert_true(v->plain);
    assert_int_equal(v->line, 1);
    assert_int_equal(v->col, 8);
    assert_false(r->items[3]->plain);
    assert_string_equal(r->items[3]->str, "quoted");
    assert_true(cl_ynode_is_null(r->items[5]));     /* e: (nothing) */
    assert_true(cl_ynode_is_null(r->items[7]));     /* ~ */
    assert_false(cl_ynode_is_null(r->items[9]));    /* "null" quoted is a text */
    assert_false(cl_ynode_is_null(v));
    assert_false(cl_ynode_is_null(NULL));
    cl_ynode *list = r->items[11];
    assert_int_equal(list->kind, CL_YSEQ);
    assert_int_equal(list->n, 2);
    assert_int_equal(list->line, 7);
    assert_int_equal(list->col, 3);
    assert_int_equal(list->items[1]->kind, CL_YSEQ);
    assert_string_equal(list->items[1]->items[1]->str, "c");
    assert_int_equal(list->items[1]->items[1]->col, 9);
    assert_string_equal(cl_ynode_kind_name(v), "a text");
    assert_string_equal(cl_ynode_kind_name(r->items[5]), "an empty value");
    assert_string_equal(cl_ynode_kind_name(list), "a list");
    assert_string_equal(cl_ynode_kind_name(r), "a mapping");
    assert_string_equal(cl_ynode_kind_name(NULL), "nothing");
}

static void test_yaml_empty_and_bom(void **state)
{
    ytx *y = *state;
    bool ok = false;
    assert_null(yload(y, "", 0, &ok));
    assert_true(ok);
    ok = false;
    assert_null(yload(y, "# only a comment\n", 17, &ok));
    assert_true(ok);
    assert_int_equal(y->d.n, 0);
    /* a byte order mark is tolerated */
    cl_ynode *r = yload(y, "\xEF\xBB\xBFk: v\n", 8, &ok);
    assert_true(ok);
    assert_non_null(r);
    assert_string_equal(r->items[0]->str, "k");
    assert_int_equal(y->d.n, 0);
}

static void test_yaml_refusals(void **state)
{
    ytx *y = *state;
    bool ok = true;
    /* an alias, even a harmless one */
    assert_null(yload(y, "a: &x v\nb: *x\n", 14, &ok));
    assert_false(ok);
    /* a second document */
    ok = true;
    assert_null(yload(y, "a: 1\n---\nb: 2\n", 14, &ok));
    assert_false(ok);
    /* invalid UTF-8 after multibyte characters: the column counts characters */
    ok = true;
    assert_null(yload(y, "k: éé\xFF\n", 9, &ok));
    assert_false(ok);
    /* a syntax error */
    ok = true;
    assert_null(yload(y, "k: [a\n", 6, &ok));
    assert_false(ok);
    assert_int_equal(y->d.n, 4);
    assert_int_equal(y->d.errors, 4);
    static const char *const want[] = {
        "mem.yaml:2:4: error: YAML alias '*x' (aliases and anchors are not accepted in Classeur data; write the value out)",
        "mem.yaml:2:1: error: a second YAML document (one document per file)",
        "mem.yaml:1:6: error: invalid UTF-8 byte 0xFF (data files must be UTF-8 encoded)",
        "mem.yaml:2:1: error: YAML syntax error: did not find expected ',' or ']' while parsing a flow sequence",
    };
    char *mem = NULL;
    size_t n = 0;
    FILE *m = open_memstream(&mem, &n);
    assert_non_null(m);
    cl_diags_print(&y->d, m);
    fclose(m);
    char all[2048] = "";
    for (size_t i = 0; i < 4; i++) {
        strcat(all, want[i]);
        strcat(all, "\n");
    }
    assert_string_equal(mem, all);
    free(mem);
}

/* The limits of yamltree.h, at their exact boundaries. */
static void test_yaml_depth_limit(void **state)
{
    ytx *y = *state;
    char src[200];
    bool ok = false;
    memset(src, '[', CL_YAML_MAX_DEPTH);
    memset(src + CL_YAML_MAX_DEPTH, ']', CL_YAML_MAX_DEPTH);
    cl_ynode *r = yload(y, src, 2 * CL_YAML_MAX_DEPTH, &ok);
    assert_true(ok);
    assert_non_null(r);
    int depth = 0;
    for (cl_ynode *p = r; p; p = p->n ? p->items[0] : NULL)
        depth++;
    assert_int_equal(depth, CL_YAML_MAX_DEPTH);
    assert_int_equal(y->d.n, 0);
    memset(src, '[', CL_YAML_MAX_DEPTH + 1);
    memset(src + CL_YAML_MAX_DEPTH + 1, ']', CL_YAML_MAX_DEPTH + 1);
    assert_null(yload(y, src, 2 * CL_YAML_MAX_DEPTH + 2, &ok));
    assert_false(ok);
    assert_int_equal(y->d.n, 1);
    assert_int_equal(y->d.items[0].col, CL_YAML_MAX_DEPTH + 1);
    assert_string_equal(y->d.items[0].msg, "nesting deeper than 32 levels (Classeur data needs a few)");
}

static void test_yaml_scalar_limit(void **state)
{
    ytx *y = *state;
    size_t n = 3 + CL_YAML_MAX_SCALAR + 1;
    char *src = malloc(n + 1);
    assert_non_null(src);
    memcpy(src, "k: ", 3);
    memset(src + 3, 'x', CL_YAML_MAX_SCALAR + 1);
    bool ok = false;
    /* exactly the limit: accepted */
    cl_ynode *r = yload(y, src, n - 1, &ok);
    assert_true(ok);
    assert_non_null(r);
    assert_int_equal(r->items[1]->len, CL_YAML_MAX_SCALAR);
    /* one byte more: refused */
    assert_null(yload(y, src, n, &ok));
    assert_false(ok);
    assert_int_equal(y->d.n, 1);
    assert_int_equal(y->d.items[0].line, 1);
    assert_int_equal(y->d.items[0].col, 4);
    assert_string_equal(y->d.items[0].msg, "text of 1048577 bytes is too long (at most 1048576 bytes per value)");
    free(src);
}

static void test_yaml_load_file(void **state)
{
    ytx *y = *state;
    bool ok = true;
    assert_null(cl_yaml_load_file(y->a, "tests/data/no-such-file.yaml", &y->d, &ok));
    assert_false(ok);
    assert_int_equal(y->d.n, 1);
    assert_string_equal(y->d.items[0].file, "tests/data/no-such-file.yaml");
    assert_string_equal(y->d.items[0].msg, "cannot open: No such file or directory");
    cl_ynode *r = cl_yaml_load_file(y->a, GOOD "/diplomas.yaml", &y->d, &ok);
    assert_true(ok);
    assert_non_null(r);
    assert_int_equal(r->kind, CL_YSEQ);
    assert_int_equal(r->n, 2);
    assert_int_equal(y->d.n, 1);
}

int main(void)
{
    const struct CMUnitTest fixed[] = {
        cmocka_unit_test_setup_teardown(test_good_loads_clean, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_good_dossier, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_good_diplomas, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_good_resources, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_good_sections, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_good_course, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_extra_course_files, fx_setup, fx_teardown),
        cmocka_unit_test(test_restype_names),
        cmocka_unit_test_setup_teardown(test_real_data, fx_setup, fx_teardown),
        cmocka_unit_test(test_bad_corpus_complete),
        cmocka_unit_test_setup_teardown(test_diag_fields_unknown_key, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_diag_fields_unknown_resource, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_diag_fields_course, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_diag_fields_duplicate_id, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_diag_fields_utf8, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_diag_fields_empty_file, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_alias_bomb_is_quick, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_deep_nesting, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_huge_text, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_formatted_lines, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_addresses, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_unidentified, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_dates, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_urls, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_ids, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_durations_and_pages, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_missing_folder, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_empty_folder, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_missing_course_file, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_yaml_tree, y_setup, y_teardown),
        cmocka_unit_test_setup_teardown(test_yaml_empty_and_bom, y_setup, y_teardown),
        cmocka_unit_test_setup_teardown(test_yaml_refusals, y_setup, y_teardown),
        cmocka_unit_test_setup_teardown(test_yaml_depth_limit, y_setup, y_teardown),
        cmocka_unit_test_setup_teardown(test_yaml_scalar_limit, y_setup, y_teardown),
        cmocka_unit_test_setup_teardown(test_yaml_load_file, y_setup, y_teardown),
    };
    /* one test per folder of tests/data/bad, named bad/<folder> */
    static char names[N_BAD][80];
    struct CMUnitTest bad[N_BAD];
    for (size_t i = 0; i < N_BAD; i++) {
        snprintf(names[i], sizeof names[i], "bad/%s", bad_cases[i]);
        bad[i] = (struct CMUnitTest){names[i], test_bad_case, fx_setup, fx_teardown,
                                     (void *)bad_cases[i]};
    }
    int failed = cmocka_run_group_tests_name("loader", fixed, NULL, NULL);
    failed += _cmocka_run_group_tests("bad data corpus", bad, N_BAD, NULL, NULL);
    return failed;
}
