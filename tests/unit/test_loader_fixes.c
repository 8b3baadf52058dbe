/* test_loader_fixes.c: regression tests for loader bugs found in review: an invalid date
 * leaves no half-parsed date, a non-text diploma or module in a pedagogical use is
 * reported, section numbers deeper than 6 levels are refused, an empty required text is
 * missing, and of two records with one id the first defined is kept. Each test copies
 * tests/data/good into a temporary folder and changes one file. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include "model/model.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *const files[] = {"diplomas.yaml", "dossier.yaml", "resources/a.yaml", "sections/a.yaml",
                                    "courses/c.yaml"};

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *b = calloc(1, (size_t)n + 1);
    assert_int_equal(fread(b, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    return b;
}

static void spit(const char *dir, const char *name, const char *text)
{
    char p[512];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    FILE *f = fopen(p, "wb");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

/* A copy of the good folder in a new temporary folder; file `name` (if not NULL) is
 * replaced by `text`. Returns the folder (static buffer). */
static const char *good_with(const char *name, const char *text)
{
    static char dir[128];
    snprintf(dir, sizeof dir, "/tmp/classeur-fixes-XXXXXX");
    assert_non_null(mkdtemp(dir));
    char p[256];
    const char *subs[] = {"resources", "sections", "courses"};
    for (int i = 0; i < 3; i++) {
        snprintf(p, sizeof p, "%s/%s", dir, subs[i]);
        mkdir(p, 0700);
    }
    for (int i = 0; i < 5; i++) {
        snprintf(p, sizeof p, "tests/data/good/%s", files[i]);
        char *t = slurp(p);
        spit(dir, files[i], t);
        free(t);
    }
    if (name)
        spit(dir, name, text);
    return dir;
}

static void cleanup(const char *dir)
{
    char cmd[256];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
}

static void test_invalid_date_leaves_no_date(void **state)
{
    const char *dir = good_with("resources/b.yaml", "- id: bad-date\n  type: article\n  title: T\n  date: 2019-02-30\n");
    cl_diags d = {0};
    cl_catalog *c = cl_catalog_load(dir, NULL, 0, &d);
    assert_true(cl_diags_contains(&d, "invalid date '2019-02-30'"));
    const cl_resource *r = cl_catalog_resource(c, "bad-date");
    assert_non_null(r);
    assert_int_equal(r->date.year, 0);
    assert_int_equal(r->date.month, 0);
    assert_int_equal(r->date.day, 0);
    cl_catalog_drop(c);
    cl_diags_free(&d);
    cleanup(dir);
}

static void test_use_with_list_as_diploma(void **state)
{
    const char *dir = good_with("sections/b.yaml",
                                "- number: \"2\"\n  title: Deux\n  entries:\n    - resource: podcast-illectronisme\n"
                                "      uses:\n        - diploma: [bts-sp3s]\n          module: {x: 1}\n");
    cl_diags d = {0};
    cl_catalog *c = cl_catalog_load(dir, NULL, 0, &d);
    assert_true(cl_diags_contains(&d, "'diploma' of a pedagogical use must be a text, found a list"));
    assert_true(cl_diags_contains(&d, "'module' of a pedagogical use must be a text, found a mapping"));
    cl_catalog_drop(c);
    cl_diags_free(&d);
    cleanup(dir);
}

static void test_section_too_deep(void **state)
{
    const char *dir = good_with("sections/b.yaml", "- number: \"2.1.1.1.1.1.1\"\n  title: Trop profond\n");
    cl_diags d = {0};
    cl_catalog *c = cl_catalog_load(dir, NULL, 0, &d);
    assert_true(cl_diags_contains(&d, "section number '2.1.1.1.1.1.1' is 7 levels deep (at most 6 levels)"));
    cl_catalog_drop(c);
    cl_diags_free(&d);
    cleanup(dir);
}

static void test_empty_required_text(void **state)
{
    const char *dir = good_with("resources/b.yaml", "- id: empty-title\n  type: site\n  title: \"\"\n");
    cl_diags d = {0};
    cl_catalog *c = cl_catalog_load(dir, NULL, 0, &d);
    assert_true(cl_diags_contains(&d, "resource has no 'title' (required)"));
    cl_catalog_drop(c);
    cl_diags_free(&d);
    cleanup(dir);
}

static void test_duplicate_keeps_first(void **state)
{
    /* b.yaml is read after a.yaml: its record with the same id is the duplicate */
    const char *dir = good_with("resources/b.yaml", "- id: podcast-illectronisme\n  type: video\n  title: Doublon\n");
    cl_diags d = {0};
    cl_catalog *c = cl_catalog_load(dir, NULL, 0, &d);
    assert_true(cl_diags_contains(&d, "duplicate resource id 'podcast-illectronisme'"));
    const cl_resource *r = cl_catalog_resource(c, "podcast-illectronisme");
    assert_non_null(r);
    assert_string_equal(r->title, "L'illectronisme");
    assert_int_equal(r->type, CL_RES_PODCAST);
    size_t i;
    for (i = 0; i < d.n; i++)
        if (strstr(d.items[i].msg, "duplicate resource id"))
            break;
    assert_true(i < d.n);
    assert_non_null(strstr(d.items[i].file, "resources/b.yaml"));
    cl_catalog_drop(c);
    cl_diags_free(&d);
    cleanup(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_invalid_date_leaves_no_date), cmocka_unit_test(test_use_with_list_as_diploma),
        cmocka_unit_test(test_section_too_deep),            cmocka_unit_test(test_empty_required_text),
        cmocka_unit_test(test_duplicate_keeps_first),
    };
    return cmocka_run_group_tests_name("loader fixes", tests, NULL, NULL);
}
