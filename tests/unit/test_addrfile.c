/* test_addrfile.c: in-place edits of addresses.yaml (src/model/addrfile.c), the part of
 * `classeur links --update` that must never lose a teacher's file: comments and order
 * kept, a missing file created, a file without a final newline, a record it cannot edit
 * refused with the file left byte for byte as it was. (The end-to-end test
 * tests/e2e/test_links.py runs the whole command against a local HTTP server.)
 * Run from the repository root. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "model/addrfile.h"
#include "model/model.h"

static char g_dir[64];

static int setup(void **state)
{
    (void)state;
    strcpy(g_dir, "/tmp/classeur-addrfile-XXXXXX");
    return mkdtemp(g_dir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", g_dir);
    return system(cmd) == 0 ? 0 : -1;
}

static const char *path_of(const char *name)
{
    static char p[128];
    snprintf(p, sizeof p, "%s/%s", g_dir, name);
    return p;
}

static void put(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(text, 1, strlen(text), f), strlen(text));
    fclose(f);
}

static char *get(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *buf = calloc(1, 65536);
    size_t n = fread(buf, 1, 65535, f);
    buf[n] = 0;
    fclose(f);
    return buf;
}

static void test_create_missing(void **state)
{
    (void)state;
    const char *p = path_of("new.yaml");
    cl_address_edit e[] = {
        {.id = "insee-premiere-1780", .url = "https://www.insee.fr/fr/statistiques/4241397",
         .accessed = {2026, 12, 1}},
        {.id = "rapport-defenseur", .link = "Synthèse \"courte\"", .url = "https://example.org/a b#x"},
    };
    cl_err err = {0};
    assert_true(cl_addresses_update(p, e, 2, &err));
    char *t = get(p);
    assert_string_equal(t, "- id: insee-premiere-1780\n"
                           "  address: https://www.insee.fr/fr/statistiques/4241397\n"
                           "  accessed: 2026-12-01\n"
                           "- id: rapport-defenseur\n"
                           "  link: \"Synthèse \\\"courte\\\"\"\n"
                           "  address: https://example.org/a b#x\n");
    free(t);
}

/* A record of a catalogue: only its position matters to the editor. */
static cl_address at_line(int line, int col) { return (cl_address){.pos = {"x", line, col}}; }

static void test_edit_no_final_newline(void **state)
{
    (void)state;
    const char *p = path_of("nonl.yaml");
    put(p, "- id: a   # first\n  address: 'https://old.example/'\n  accessed: 2020-01\n- id: b\n  address: https://b.example/");
    cl_address a = at_line(1, 3), b = at_line(4, 3);
    cl_address_edit e[] = {
        {.rec = &a, .url = "https://new.example/", .accessed = {2026, 12, 2}},
        {.rec = &b, .accessed = {2026, 12, 2}},
    };
    cl_err err = {0};
    assert_true(cl_addresses_update(p, e, 2, &err));
    char *t = get(p);
    assert_string_equal(t, "- id: a   # first\n  address: https://new.example/\n  accessed: 2026-12-02\n- id: b\n"
                           "  address: https://b.example/\n  accessed: 2026-12-02\n");
    free(t);
}

static void test_refusals_leave_the_file(void **state)
{
    (void)state;
    const char *p = path_of("flow.yaml");
    static const char text[] = "# flow style\n- {id: a, address: https://a.example/}\n";
    put(p, text);
    cl_address a = at_line(2, 3);
    cl_address_edit e = {.rec = &a, .accessed = {2026, 12, 2}};
    cl_err err = {0};
    assert_false(cl_addresses_update(p, &e, 1, &err));
    assert_non_null(strstr(err.msg, "flow.yaml:2:3: this record is written on one line"));
    char *t = get(p);
    assert_string_equal(t, text);
    free(t);

    /* a record that moved since the catalogue was read */
    const char *q = path_of("moved.yaml");
    put(q, "- id: a\n  address: https://a.example/\n");
    cl_address gone = at_line(7, 3);
    e.rec = &gone;
    err = (cl_err){0};
    assert_false(cl_addresses_update(q, &e, 1, &err));
    assert_non_null(strstr(err.msg, "moved.yaml:7: no address record there any more"));

    /* a file that is not YAML any more */
    put(q, "- id: a\n  address: [\n");
    err = (cl_err){0};
    e.rec = NULL;
    e.id = "b";
    e.url = "https://b.example/";
    assert_false(cl_addresses_update(q, &e, 1, &err));
    assert_non_null(strstr(err.msg, "not updated: the file has errors"));
    t = get(q);
    assert_string_equal(t, "- id: a\n  address: [\n");
    free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_create_missing),
        cmocka_unit_test(test_edit_no_final_newline),
        cmocka_unit_test(test_refusals_leave_the_file),
    };
    return cmocka_run_group_tests_name("addrfile", tests, setup, teardown);
}
