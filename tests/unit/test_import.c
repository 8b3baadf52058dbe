/* test_import.c: the import parsers (src/exchange/import.c, cl_import_parse): the
 * hand-written Zotero-shaped files of tests/data/exchange/ (README.md there) read field
 * by field in RIS, CSL-JSON and BibTeX; each bad input's exact message at its
 * FILE:LINE:COL; dates, durations, pages, names and BibTeX's syntax and LaTeX; and inputs
 * cut anywhere or scrambled, which must be reported, never crash (run under Valgrind by
 * `make check`'s unit run and by hand). Run from the repository root. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exchange/exchange.h"

#define DIR "tests/data/exchange/"

static char *slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    char *buf = malloc(1 << 20);
    assert_non_null(buf);
    *n = fread(buf, 1, (1 << 20) - 1, f);
    buf[*n] = 0;
    fclose(f);
    return buf;
}

/* One parse: its records, its diagnostics, its result. */
typedef struct run {
    cl_arena *a;
    cl_diags d;
    cl_xrecord *r;
    size_t n;
    bool ok;
} run;

static void parse_mem(run *p, cl_xformat f, const char *name, const char *text, size_t n)
{
    *p = (run){.a = cl_arena_new()};
    assert_non_null(p->a);
    p->ok = cl_import_parse(p->a, f, name, text, n, &p->r, &p->n, &p->d);
}

static void parse_text(run *p, cl_xformat f, const char *text) { parse_mem(p, f, "t", text, strlen(text)); }

static void parse_file(run *p, cl_xformat f, const char *path)
{
    size_t n;
    char *text = slurp(path, &n);
    parse_mem(p, f, path, text, n);
    free(text); /* the records are the arena's own copies */
}

static void drop(run *p)
{
    cl_diags_free(&p->d);
    cl_arena_drop(p->a);
}

/* The diagnostics, one a line, as "FILE:LINE:COL: error|warning: message". */
static void expect_diags(const run *p, const char *const *want)
{
    size_t k = 0;
    for (; want[k]; k++) {
        if (k >= p->d.n)
            fail_msg("missing diagnostic: %s", want[k]);
        const cl_diag *g = &p->d.items[k];
        char got[2048];
        snprintf(got, sizeof got, "%s:%d:%d: %s: %s", g->file ? g->file : "", g->line, g->col,
                 g->sev == CL_ERROR ? "error" : "warning", g->msg);
        assert_string_equal(got, want[k]);
    }
    if (p->d.n != k)
        fail_msg("unexpected diagnostic: %s:%d:%d: %s", p->d.items[k].file, p->d.items[k].line, p->d.items[k].col,
                 p->d.items[k].msg);
}

static void str_eq(const char *got, const char *want, const char *what)
{
    if (!want && !got)
        return;
    if (!want || !got || strcmp(want, got))
        fail_msg("%s: got '%s', want '%s'", what, got ? got : "(null)", want ? want : "(null)");
}

/* What a record must hold, field by field. */
typedef struct xauthor {
    const char *family, *given, *org;
} xauthor;

typedef struct xrec {
    const char *key;
    cl_restype type;
    const char *source_type;
    xauthor authors[4];
    size_t n_authors;
    const char *title, *container, *publisher, *volume, *issue;
    cl_date date;
    const char *pages;
    int duration_s;
    const char *description, *url;
    cl_date accessed;
    const char *abstract;
    int line, col;
} xrec;

static void expect_record(const cl_xrecord *r, const xrec *e)
{
    str_eq(r->title, e->title, "title");
    str_eq(r->key, e->key, "key");
    assert_int_equal(r->type, e->type);
    str_eq(r->source_type, e->source_type, "source_type");
    assert_int_equal(r->n_authors, e->n_authors);
    for (size_t i = 0; i < e->n_authors; i++) {
        str_eq(r->authors[i].family, e->authors[i].family, "family");
        str_eq(r->authors[i].given, e->authors[i].given, "given");
        str_eq(r->authors[i].org, e->authors[i].org, "org");
        assert_null(r->authors[i].heading);
    }
    str_eq(r->container, e->container, "container");
    str_eq(r->publisher, e->publisher, "publisher");
    str_eq(r->volume, e->volume, "volume");
    str_eq(r->issue, e->issue, "issue");
    assert_int_equal(r->date.year, e->date.year);
    assert_int_equal(r->date.month, e->date.month);
    assert_int_equal(r->date.day, e->date.day);
    str_eq(r->pages, e->pages, "pages");
    assert_int_equal(r->duration_s, e->duration_s);
    str_eq(r->description, e->description, "description");
    str_eq(r->url, e->url, "url");
    assert_int_equal(r->accessed.year, e->accessed.year);
    assert_int_equal(r->accessed.month, e->accessed.month);
    assert_int_equal(r->accessed.day, e->accessed.day);
    str_eq(r->abstract, e->abstract, "abstract");
    assert_int_equal(r->line, e->line);
    assert_int_equal(r->col, e->col);
}

#define ARCEP                                                                                                          \
    "ARCEP (Autorité de régulation des communications électroniques, des postes et de la distribution de la presse)"
#define ARTICLE_TITLE "L'inclusion numérique des personnes âgées : un enjeu"
#define ABSTRACT "Une enquête auprès de 1 200 personnes de plus de 65 ans."
#define NOTE "Enquête « Conditions de vie et aspirations », réalisée en juin 2019."

/* The six records of the three files, as RIS gives them; each test adjusts what its
 * format gives otherwise (keys, positions, what the format cannot say). */
static void zotero_records(xrec e[6])
{
    e[0] = (xrec){.key = "lefevre-inclusion-2019",
                  .type = CL_RES_ARTICLE,
                  .source_type = "JOUR",
                  .authors = {{"Lefèvre", "Anaïs", NULL}, {"Dupont", "Jean-Marc", NULL}},
                  .n_authors = 2,
                  .title = ARTICLE_TITLE,
                  .container = "Revue française des affaires sociales",
                  .volume = "12",
                  .issue = "2",
                  .date = {2019, 10, 30},
                  .pages = "67-74",
                  .url = "https://www.example.org/rfas/2019-2-67",
                  .accessed = {2021, 4, 1},
                  .abstract = ABSTRACT};
    e[1] = (xrec){.type = CL_RES_RAPPORT,
                  .source_type = "RPRT",
                  .authors = {{NULL, NULL, ARCEP}, {NULL, NULL, "CREDOC"}},
                  .n_authors = 2,
                  .title = "Baromètre du numérique 2019",
                  .container = "Rapports",
                  .publisher = "Conseil général de l'économie",
                  .date = {2019, 11, 0},
                  .pages = "79",
                  .description = NOTE};
    e[2] = (xrec){.type = CL_RES_SITE,
                  .source_type = "ELEC",
                  .authors = {{NULL, NULL, "Solidarité numérique"}},
                  .n_authors = 1,
                  .title = "Accompagner une démarche en ligne",
                  .container = "Solidarité numérique",
                  .url = "https://solidarite-numerique.fr/tutoriels/",
                  .accessed = {2021, 4, 1}};
    e[3] = (xrec){.type = CL_RES_PODCAST,
                  .source_type = "SOUND",
                  .authors = {{"Caron", "Élodie", NULL}},
                  .n_authors = 1,
                  .title = "Les aidants face au numérique",
                  .container = "Les Pieds sur terre",
                  .publisher = "France Culture",
                  .date = {2020, 3, 12},
                  .duration_s = 18 * 60 + 15,
                  .url = "https://www.example.org/podcasts/aidants",
                  .accessed = {2021, 4, 2}};
    e[4] = (xrec){.type = CL_RES_VIDEO,
                  .source_type = "VIDEO",
                  .authors = {{NULL, NULL, "Défenseur des droits"}},
                  .n_authors = 1,
                  .title = "Comprendre la dématérialisation des services publics",
                  .publisher = "Défenseur des droits",
                  .date = {2021, 0, 0},
                  .duration_s = 3600 + 2 * 60 + 5,
                  .url = "https://www.example.org/videos/dematerialisation"};
    e[5] = (xrec){.type = CL_RES_RAPPORT,
                  .source_type = "BOOK",
                  .authors = {{"Bourdieu", "Pierre", NULL}},
                  .n_authors = 1,
                  .title = "La Misère du monde",
                  .publisher = "Seuil",
                  .date = {1993, 0, 0},
                  .pages = "947"};
}

/* ---- the Zotero-shaped files ------------------------------------------------------------------ */

static void test_ris_zotero(void **state)
{
    (void)state;
    run p;
    parse_file(&p, CL_XFMT_RIS, DIR "zotero.ris");
    assert_true(p.ok);
    xrec e[6];
    zotero_records(e);
    static const int lines[6] = {1, 19, 33, 41, 53, 63};
    for (int i = 0; i < 6; i++)
        e[i].line = lines[i], e[i].col = 1;
    e[5].description = "Entretiens & analyses"; /* N1 as Zotero writes a note: HTML */
    assert_int_equal(p.n, 6);
    for (size_t i = 0; i < p.n; i++)
        expect_record(&p.r[i], &e[i]);
    expect_diags(&p, (const char *const[]){
                         DIR "zotero.ris:63:7: warning: type 'BOOK' has no Classeur type: imported as 'rapport' "
                             "(accepted: JOUR, JFULL, NEWS, MGZN, ABST, INPR, ELEC, WEB, BLOG, ICOMM, SOUND, MUSIC, "
                             "VIDEO, MPCT, RPRT)",
                         NULL});
    drop(&p);
}

static void test_csl_zotero(void **state)
{
    (void)state;
    run p;
    parse_file(&p, CL_XFMT_CSL_JSON, DIR "zotero.json");
    assert_true(p.ok);
    xrec e[6];
    zotero_records(e);
    static const char *const keys[6] = {"lefevre-inclusion-2019",
                                        "http://zotero.org/users/local/q5SxT3aB/items/7KJ2M9PQ",
                                        "http://zotero.org/users/local/q5SxT3aB/items/3NBV8W2X",
                                        "http://zotero.org/users/local/q5SxT3aB/items/R6T4YH8K",
                                        "http://zotero.org/users/local/q5SxT3aB/items/Z9X8C7V6",
                                        "http://zotero.org/users/local/q5SxT3aB/items/B00K1993"};
    static const char *const types[6] = {"article-journal", "report", "webpage", "song", "motion_picture", "book"};
    static const int lines[6] = {2, 48, 76, 98, 131, 151};
    for (int i = 0; i < 6; i++) {
        e[i].key = keys[i];
        e[i].source_type = types[i];
        e[i].line = lines[i];
        e[i].col = 2;
    }
    /* particles go before the family name; the abstract keeps its line break */
    e[0].authors[2] = (xauthor){"de La Rochefoucauld", "Marie", NULL};
    e[0].n_authors = 3;
    e[0].abstract = ABSTRACT "\nSecond paragraphe.";
    assert_int_equal(p.n, 6);
    for (size_t i = 0; i < p.n; i++)
        expect_record(&p.r[i], &e[i]);
    expect_diags(&p, (const char *const[]){
                         DIR "zotero.json:151:2: warning: type 'book' has no Classeur type: imported as 'rapport' "
                             "(accepted: article, article-journal, article-magazine, article-newspaper, webpage, "
                             "post, post-weblog, broadcast, song, motion_picture, report)",
                         NULL});
    drop(&p);
}

static void test_bibtex_zotero(void **state)
{
    (void)state;
    run p;
    parse_file(&p, CL_XFMT_BIBTEX, DIR "zotero.bib");
    assert_true(p.ok);
    xrec e[6];
    zotero_records(e);
    static const char *const keys[6] = {"lefevre-inclusion-2019",
                                        "arcep_barometre_2019",
                                        "solidarite_numerique_accompagner_nodate",
                                        "caron_aidants_2020",
                                        "defenseur_des_droits_comprendre_2021",
                                        "bourdieu_misere_1993"};
    static const char *const types[6] = {"article", "techreport", "misc", "misc", "misc", "book"};
    static const int lines[6] = {10, 25, 38, 46, 58, 68};
    for (int i = 0; i < 6; i++) {
        e[i].key = keys[i];
        e[i].source_type = types[i];
        e[i].line = lines[i];
        e[i].col = 1;
    }
    e[0].date = (cl_date){2019, 10, 0}; /* Zotero's BibTeX: month = oct, year = {2019} */
    e[5].publisher = "Éditions du Seuil";
    e[5].description = "Cœur de l'ouvrage : ça & cela, 100 % d'entretiens";
    assert_int_equal(p.n, 6);
    for (size_t i = 0; i < p.n; i++)
        expect_record(&p.r[i], &e[i]);
    expect_diags(&p, (const char *const[]){
                         DIR "zotero.bib:68:1: warning: type 'book' has no Classeur type: imported as 'rapport' "
                             "(accepted: @article, @online, @www, @electronic, @techreport, @report, @audio, "
                             "@video, @misc with a url or an entrysubtype podcast or video)",
                         NULL});
    drop(&p);
}

/* ---- the bad files ------------------------------------------------------------------------------ */

static void test_ris_without_ty(void **state)
{
    (void)state;
    run p;
    parse_file(&p, CL_XFMT_RIS, DIR "bad-no-ty.ris");
    assert_false(p.ok);
    assert_int_equal(p.n, 0);
    expect_diags(&p, (const char *const[]){
                         DIR "bad-no-ty.ris:1:1: error: this is not an RIS file: no line 'TY  - TYPE' starts a "
                             "record (accepted: records from 'TY  - TYPE' to 'ER  - ', as Zotero exports them)",
                         NULL});
    drop(&p);
}

static void test_ris_record_without_title(void **state)
{
    (void)state;
    run p;
    parse_file(&p, CL_XFMT_RIS, DIR "bad-no-title.ris");
    assert_false(p.ok);
    assert_int_equal(p.n, 2);
    assert_string_equal(p.r[0].title, "Premier rapport");
    assert_int_equal(p.r[0].date.year, 2018);
    assert_string_equal(p.r[1].title, "Troisième rapport");
    assert_int_equal(p.r[1].line, 12);
    expect_diags(&p, (const char *const[]){
                         DIR "bad-no-title.ris:6:1: error: this record has no title (TI or T1): skipped (every "
                             "record needs one; the others are kept)",
                         NULL});
    drop(&p);
}

static void test_json_not_array(void **state)
{
    (void)state;
    run p;
    parse_file(&p, CL_XFMT_CSL_JSON, DIR "bad-not-array.json");
    assert_false(p.ok);
    assert_int_equal(p.n, 0);
    expect_diags(&p, (const char *const[]){
                         DIR "bad-not-array.json:1:1: error: this JSON is a value of type 'object', not an array "
                             "of records (accepted: a CSL-JSON array [{…}, …], as Zotero exports it)",
                         NULL});
    drop(&p);
}

static void test_json_syntax_error(void **state)
{
    (void)state;
    run p;
    parse_file(&p, CL_XFMT_CSL_JSON, DIR "bad-syntax.json");
    assert_false(p.ok);
    assert_int_equal(p.n, 0);
    /* json-c's error position, as LINE:COL: the '"' of "publisher", after the missing ',' */
    expect_diags(
        &p, (const char *const[]){DIR "bad-syntax.json:6:3: error: not valid JSON: object value separator ',' expected "
                                      "(accepted: a CSL-JSON array of records, as Zotero exports it)",
                                  NULL});
    drop(&p);
}

static void test_bibtex_unclosed_brace(void **state)
{
    (void)state;
    run p;
    parse_file(&p, CL_XFMT_BIBTEX, DIR "bad-unclosed.bib");
    assert_false(p.ok);
    assert_int_equal(p.n, 2);
    assert_string_equal(p.r[0].key, "premier_2018");
    assert_string_equal(p.r[1].key, "troisieme_2021");
    assert_string_equal(p.r[1].title, "Troisième rapport");
    assert_int_equal(p.r[1].date.year, 2021);
    expect_diags(&p, (const char *const[]){
                         DIR "bad-unclosed.bib:6:1: error: entry '@article{martin_2020' has a '{' that is never "
                             "closed: skipped (accepted: braces in pairs)",
                         NULL});
    drop(&p);
}

/* ---- dates, durations, pages -------------------------------------------------------------------- */

static void test_dates(void **state)
{
    (void)state;
    run p;
    parse_text(&p, CL_XFMT_RIS,
               "TY  - JOUR\nTI  - a\nDA  - 2019/10//\nER  - \n"
               "TY  - JOUR\nTI  - b\nDA  - 2019///\nY2  - 2020-02-29\nER  - \n"
               "TY  - JOUR\nTI  - c\nDA  - 2019/02/29/\nPY  - 2019\nY2  - 2021-04\nER  - \n"
               "TY  - JOUR\nTI  - d\nPY  - 2019/10/30/other\nY2  - 1er avril\nER  - \n"
               "TY  - JOUR\nTI  - e\nY1  - 0999\nER  - \n");
    assert_true(p.ok);
    assert_int_equal(p.n, 5);
    assert_int_equal(p.r[0].date.year, 2019);
    assert_int_equal(p.r[0].date.month, 10);
    assert_int_equal(p.r[0].date.day, 0);
    assert_int_equal(p.r[1].date.year, 2019);
    assert_int_equal(p.r[1].date.month, 0);
    assert_int_equal(p.r[1].accessed.day, 29);
    /* an impossible DA: warned about, PY used instead */
    assert_int_equal(p.r[2].date.year, 2019);
    assert_int_equal(p.r[2].date.month, 0);
    assert_int_equal(p.r[2].accessed.month, 4);
    assert_int_equal(p.r[3].date.day, 30);
    assert_int_equal(p.r[3].accessed.year, 0);
    assert_int_equal(p.r[4].date.year, 0);
    expect_diags(&p, (const char *const[]){
                         "t:12:7: warning: invalid date '2019/02/29/' in 'DA': left unknown (accepted: YYYY, YYYY-MM "
                         "or YYYY-MM-DD, or YYYY/MM/DD/ in RIS, e.g. 2019-10-30)",
                         "t:19:7: warning: invalid date '1er avril' in 'Y2': left unknown (accepted: YYYY, YYYY-MM or "
                         "YYYY-MM-DD, or YYYY/MM/DD/ in RIS, e.g. 2019-10-30)",
                         "t:23:7: warning: invalid date '0999' in 'PY': left unknown (accepted: YYYY, YYYY-MM or "
                         "YYYY-MM-DD, or YYYY/MM/DD/ in RIS, e.g. 2019-10-30)",
                         NULL});
    drop(&p);

    parse_text(
        &p, CL_XFMT_CSL_JSON,
        "[{\"title\": \"a\", \"type\": \"report\", \"issued\": {\"date-parts\": [[2020, 2, 29]]}},\n"
        " {\"title\": \"b\", \"type\": \"report\", \"issued\": {\"date-parts\": [[\"2019\", \"2\", 29]]}},\n"
        " {\"title\": \"c\", \"type\": \"report\", \"issued\": {\"raw\": \"2019-10\"},"
        " \"accessed\": {\"date-parts\": [[2021, 4, 1], [2021, 4, 3]]}},\n"
        " {\"title\": \"d\", \"type\": \"report\", \"issued\": \"2019\", \"accessed\": {\"date-parts\": [[]]}},\n"
        " {\"title\": \"e\", \"type\": \"report\", \"issued\": {\"literal\": \"2019-10-30T12:00:00Z\"}}]");
    assert_true(p.ok);
    assert_int_equal(p.n, 5);
    assert_int_equal(p.r[0].date.day, 29);
    assert_int_equal(p.r[1].date.year, 0);
    assert_int_equal(p.r[2].date.month, 10);
    assert_int_equal(p.r[2].accessed.day, 1);
    assert_int_equal(p.r[3].date.year, 0);
    assert_int_equal(p.r[4].date.day, 30);
    expect_diags(&p, (const char *const[]){
                         "t:2:2: warning: invalid date in \"issued\": left unknown (accepted: {\"date-parts\": "
                         "[[YYYY, MM, DD]]} with month and day optional, or {\"raw\": \"YYYY-MM-DD\"})",
                         "t:4:2: warning: invalid date in \"issued\": left unknown (accepted: {\"date-parts\": "
                         "[[YYYY, MM, DD]]} with month and day optional, or {\"raw\": \"YYYY-MM-DD\"})",
                         "t:4:2: warning: invalid date in \"accessed\": left unknown (accepted: {\"date-parts\": "
                         "[[YYYY, MM, DD]]} with month and day optional, or {\"raw\": \"YYYY-MM-DD\"})",
                         NULL});
    drop(&p);

    parse_text(&p, CL_XFMT_BIBTEX,
               "@techreport{a, title = {a}, date = {2019-13}, year = {2019}, month = {3}, urldate = {2021-04-01}}\n"
               "@techreport{b, title = {b}, year = 2019, month = {Sept}}\n"
               "@techreport{c, title = {c}, year = 2019, month = {brumaire}}\n"
               "@techreport{d, title = {d}, date = {2019-10-30}, year = {2018}}\n");
    assert_true(p.ok);
    assert_int_equal(p.n, 4);
    assert_int_equal(p.r[0].date.year, 2019);
    assert_int_equal(p.r[0].date.month, 3);
    assert_int_equal(p.r[0].accessed.day, 1);
    assert_int_equal(p.r[1].date.month, 9);
    assert_int_equal(p.r[2].date.year, 2019);
    assert_int_equal(p.r[2].date.month, 0);
    assert_int_equal(p.r[3].date.year, 2019);
    assert_int_equal(p.r[3].date.day, 30);
    expect_diags(&p, (const char *const[]){
                         "t:1:36: warning: invalid date '2019-13' in 'date': left unknown (accepted: YYYY, YYYY-MM or "
                         "YYYY-MM-DD, or YYYY/MM/DD/ in RIS, e.g. 2019-10-30)",
                         "t:3:50: warning: month 'brumaire' not understood: left out (accepted: 1 to 12, or jan … "
                         "dec)",
                         NULL});
    drop(&p);
}

static void test_durations(void **state)
{
    (void)state;
    run p;
    parse_text(&p, CL_XFMT_RIS,
               "TY  - SOUND\nTI  - a\nM1  - 1095\nER  - \n"
               "TY  - VIDEO\nTI  - b\nM1  - 1:02:05\nER  - \n"
               "TY  - MPCT\nTI  - c\nM1  - 75:30\nER  - \n"
               "TY  - SOUND\nTI  - d\nM1  - 18 min\nER  - \n"
               "TY  - SOUND\nTI  - e\nM1  - 1:60:00\nER  - \n"
               "TY  - JOUR\nTI  - f\nM1  - 3\nER  - \n");
    assert_true(p.ok);
    assert_int_equal(p.n, 6);
    assert_int_equal(p.r[0].duration_s, 1095);
    assert_int_equal(p.r[1].duration_s, 3725);
    assert_int_equal(p.r[2].duration_s, 75 * 60 + 30);
    assert_int_equal(p.r[3].duration_s, 0);
    assert_int_equal(p.r[4].duration_s, 0);
    assert_int_equal(p.r[5].duration_s, 0); /* M1 of an article is not a duration */
    expect_diags(&p, (const char *const[]){
                         "t:15:7: warning: duration '18 min' in 'M1' not understood: left out (accepted: H:MM:SS, "
                         "MM:SS or a number of seconds, e.g. 1:02:05, 18:15 or 1095)",
                         "t:19:7: warning: duration '1:60:00' in 'M1' not understood: left out (accepted: H:MM:SS, "
                         "MM:SS or a number of seconds, e.g. 1:02:05, 18:15 or 1095)",
                         NULL});
    drop(&p);

    parse_text(&p, CL_XFMT_CSL_JSON,
               "[{\"title\": \"a\", \"type\": \"broadcast\", \"dimensions\": \"28:00\"},"
               " {\"title\": \"b\", \"type\": \"motion_picture\", \"dimensions\": 1700},"
               " {\"title\": \"c\", \"type\": \"report\", \"dimensions\": \"21 cm\"}]");
    assert_true(p.ok);
    assert_int_equal(p.r[0].duration_s, 28 * 60);
    assert_int_equal(p.r[1].duration_s, 1700);
    assert_int_equal(p.r[2].duration_s, 0);
    expect_diags(&p, (const char *const[]){NULL});
    drop(&p);

    parse_text(&p, CL_XFMT_BIBTEX,
               "@audio{a, title = {a}, duration = {9999:59:59}}\n"
               "@video{b, title = {b}, duration = {10000:00:00}}\n");
    assert_true(p.ok);
    assert_int_equal(p.r[0].duration_s, 9999 * 3600 + 59 * 60 + 59);
    assert_int_equal(p.r[0].type, CL_RES_PODCAST);
    assert_int_equal(p.r[1].duration_s, 0);
    assert_int_equal(p.r[1].type, CL_RES_VIDEO);
    expect_diags(&p, (const char *const[]){
                         "t:2:35: warning: duration '10000:00:00' in 'duration' not understood: left out (accepted: "
                         "H:MM:SS, MM:SS or a number of seconds, e.g. 1:02:05, 18:15 or 1095)",
                         NULL});
    drop(&p);
}

static void test_pages(void **state)
{
    (void)state;
    run p;
    parse_text(&p, CL_XFMT_BIBTEX,
               "@article{a, title = {a}, pages = {67--74}}\n"
               "@article{b, title = {b}, pages = {67 -- 74}, pagetotal = {12}}\n"
               "@techreport{c, title = {c}, pagetotal = 79}\n"
               "@article{d, title = {d}, pages = {74--67}}\n"
               "@article{e, title = {e}, pages = {e1234}, pagetotal = {8}}\n"
               "@article{f, title = {f}, pages = {123456}}\n");
    assert_true(p.ok);
    assert_int_equal(p.n, 6);
    assert_string_equal(p.r[0].pages, "67-74");
    assert_string_equal(p.r[1].pages, "67-74");
    assert_string_equal(p.r[2].pages, "79");
    assert_null(p.r[3].pages);
    assert_string_equal(p.r[4].pages, "8");
    assert_null(p.r[5].pages);
    expect_diags(&p, (const char *const[]){
                         "t:4:34: warning: pages '74–67' in 'pages' not understood: left out (accepted: a page count "
                         "such as 79, or a range such as 67-74)",
                         "t:5:34: warning: pages 'e1234' in 'pages' not understood: left out (accepted: a page count "
                         "such as 79, or a range such as 67-74)",
                         "t:6:34: warning: pages '123456' in 'pages' not understood: left out (accepted: a page count "
                         "such as 79, or a range such as 67-74)",
                         NULL});
    drop(&p);

    parse_text(&p, CL_XFMT_CSL_JSON,
               "[{\"title\": \"a\", \"type\": \"article\", \"page\": \"67–74\"},"
               " {\"title\": \"b\", \"type\": \"report\", \"number-of-pages\": 79}]");
    assert_true(p.ok);
    assert_string_equal(p.r[0].pages, "67-74");
    assert_string_equal(p.r[1].pages, "79");
    expect_diags(&p, (const char *const[]){NULL});
    drop(&p);

    parse_text(&p, CL_XFMT_RIS,
               "TY  - JOUR\nTI  - a\nSP  - 5\nEP  - 5\nER  - \nTY  - JOUR\nTI  - b\nSP  - 67-74\n"
               "ER  - \nTY  - JOUR\nTI  - c\nEP  - 9\nER  - \n");
    assert_true(p.ok);
    assert_string_equal(p.r[0].pages, "5-5");
    assert_string_equal(p.r[1].pages, "67-74");
    assert_null(p.r[2].pages);
    expect_diags(&p, (const char *const[]){NULL});
    drop(&p);
}

/* ---- names ------------------------------------------------------------------------------------------ */

static void expect_author(const cl_xrecord *r, size_t i, const char *family, const char *given, const char *org)
{
    assert_true(i < r->n_authors);
    str_eq(r->authors[i].family, family, "family");
    str_eq(r->authors[i].given, given, "given");
    str_eq(r->authors[i].org, org, "org");
}

static void test_names(void **state)
{
    (void)state;
    run p;
    parse_text(&p, CL_XFMT_RIS,
               "TY  - RPRT\nTI  - a\nAU  - ARCEP (Autorité, des postes)\nA1  - DUPONT,\nAU  - Durand, Jean (dir.)\n"
               "AU  - , Madonna\nAU  - \nAU  - INSEE, Direction (Paris\nAU  - Grand Lyon, la métropole\n"
               "AU  - Ministère du travail, de l'Emploi et de l'Insertion\nAU  - Gaulle, Charles de\n"
               "AU  - van Gogh, Vincent\nER  - \n");
    assert_true(p.ok);
    assert_int_equal(p.r[0].n_authors, 9);
    expect_author(&p.r[0], 0, NULL, NULL, "ARCEP (Autorité, des postes)");
    expect_author(&p.r[0], 1, "DUPONT", NULL, NULL);
    expect_author(&p.r[0], 2, "Durand", "Jean (dir.)", NULL);
    expect_author(&p.r[0], 3, "Madonna", NULL, NULL);
    expect_author(&p.r[0], 4, "INSEE", "Direction (Paris", NULL); /* the comma is outside */
    /* a small letter after the comma: the rest of an organisation's name, not a given name */
    expect_author(&p.r[0], 5, NULL, NULL, "Grand Lyon, la métropole");
    expect_author(&p.r[0], 6, NULL, NULL, "Ministère du travail, de l'Emploi et de l'Insertion");
    expect_author(&p.r[0], 7, "Gaulle", "Charles de", NULL);
    expect_author(&p.r[0], 8, "van Gogh", "Vincent", NULL);
    drop(&p);

    parse_text(&p, CL_XFMT_CSL_JSON,
               "[{\"title\": \"a\", \"type\": \"report\", \"author\": [{\"family\": \"Fontaine\", \"given\": \"Jean\","
               " \"dropping-particle\": \"de\", \"non-dropping-particle\": \"La\"}, {\"given\": \"Madonna\"},"
               " {\"literal\": \"INSEE\"}, {}, 3, {\"family\": [1]}]},\n"
               " {\"title\": \"b\", \"type\": \"report\", \"author\": {\"family\": \"X\"}}]");
    assert_true(p.ok);
    assert_int_equal(p.r[0].n_authors, 3);
    expect_author(&p.r[0], 0, "de La Fontaine", "Jean", NULL);
    expect_author(&p.r[0], 1, "Madonna", NULL, NULL);
    expect_author(&p.r[0], 2, NULL, NULL, "INSEE");
    assert_int_equal(p.r[1].n_authors, 0);
    expect_diags(&p, (const char *const[]){
                         "t:1:2: warning: name 5 of \"author\" is not an object: ignored (accepted: {\"family\": …, "
                         "\"given\": …} or {\"literal\": …})",
                         "t:1:2: warning: \"family\" of this record is a value of type 'array', not a text: ignored "
                         "(accepted: a text or a number)",
                         "t:2:2: warning: \"author\" of this record is not an array: ignored (accepted: [{\"family\": "
                         "…, \"given\": …}, {\"literal\": …}])",
                         NULL});
    drop(&p);

    parse_text(&p, CL_XFMT_BIBTEX,
               "@techreport{a, title = {a}, author = {Jean-Marc Dupont and {INSEE} AND de La Fontaine, Jean and "
               "{\\'E}mile Zola and J.~Martin and Plato and {Lefèvre and Fils} and Dupont, Jr., Pierre and "
               "{Conseil} d'État and others}}");
    assert_true(p.ok);
    assert_int_equal(p.r[0].n_authors, 9);
    expect_author(&p.r[0], 0, "Dupont", "Jean-Marc", NULL);
    expect_author(&p.r[0], 1, NULL, NULL, "INSEE");
    expect_author(&p.r[0], 2, "de La Fontaine", "Jean", NULL);
    expect_author(&p.r[0], 3, "Zola", "Émile", NULL);
    expect_author(&p.r[0], 4, "Martin", "J.", NULL);
    expect_author(&p.r[0], 5, "Plato", NULL, NULL);
    expect_author(&p.r[0], 6, NULL, NULL, "Lefèvre and Fils");
    expect_author(&p.r[0], 7, "Dupont", "Pierre", NULL);
    expect_author(&p.r[0], 8, "d'État", "Conseil", NULL);
    drop(&p);
}

/* ---- BibTeX's syntax and LaTeX ---------------------------------------------------------------------- */

static void test_bibtex_syntax(void **state)
{
    (void)state;
    run p;
    parse_text(&p, CL_XFMT_BIBTEX,
               "Text before the entries is a comment.\n"
               "@Comment{ {nested} braces @article{not, title = {an entry}} }\n"
               "@preamble{\"\\newcommand{\\x}{}\"}\n"
               "@STRING{ rfas = \"Revue fran{\\c c}aise\" }\n"
               "@string(aff = rfas # { des affaires sociales})\n"
               "@Article(a,\n"
               "  TITLE = \"Un {\\em titre} \\og entre guillemets\\fg{} -- et {\\oe}uvre\",\n"
               "  journal = aff,\n"
               "  volume = 12, number = \"3\",\n"
               "  note = {{\\'e}t\\'{e} \\'et\\'e \\`a \\^o \\\"i \\c{c} \\~n {\\oe} {\\ae} \\v{s} \\u{a} \\=o \\.z "
               "\\k{e} \\r{u} \\H{o} \\aa\\ss{} \\'{\\i}le \\^{}\\~{}},\n"
               "  abstract = {\\& \\% \\# \\_ \\{ \\} \\$ \\textasciitilde{} \\textasciicircum{} "
               "\\textbackslash{} a~b 10--12 x---y $\\alpha$ \\LaTeX\\ et \\unknown{z}},\n"
               "  url = {https://example.org/a\\_b--c~d\\%20},\n"
               "  month = undefined_macro\n"
               ")\n"
               "@misc{b, title = {Sans adresse}, howpublished = {Paris}}\n"
               "@misc{c, title = {Une page}, howpublished = {\\url{https://example.org/x}}, journal = {Site}}\n"
               "@online{d, title = {Deep {{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{x}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}\n");
    assert_true(p.ok);
    assert_int_equal(p.n, 4);
    const cl_xrecord *r = &p.r[0];
    assert_string_equal(r->key, "a");
    assert_string_equal(r->source_type, "Article");
    assert_int_equal(r->type, CL_RES_ARTICLE);
    assert_string_equal(r->title, "Un titre «\xC2\xA0"
                                  "entre guillemets\xC2\xA0» – et œuvre");
    assert_string_equal(r->container, "Revue française des affaires sociales");
    assert_string_equal(r->volume, "12");
    assert_string_equal(r->issue, "3");
    assert_string_equal(r->description, "été été à ô ï ç ñ œ æ š ă ō ż ę ů ő åß íle ^~");
    assert_string_equal(r->abstract, "& % # _ { } $ ~ ^ \\ a\xC2\xA0"
                                     "b 10–12 x—y alpha LaTeX et unknownz");
    assert_string_equal(r->url, "https://example.org/a_b--c~d%20");
    assert_int_equal(r->date.year, 0);
    /* @misc: without an address a rapport (warned), with \url in howpublished a site */
    assert_int_equal(p.r[1].type, CL_RES_RAPPORT);
    assert_string_equal(p.r[1].container, "Paris");
    assert_int_equal(p.r[2].type, CL_RES_SITE);
    assert_string_equal(p.r[2].url, "https://example.org/x");
    assert_string_equal(p.r[2].container, "Site");
    assert_string_equal(p.r[3].title, "Deep x");
    expect_diags(&p, (const char *const[]){
                         "t:13:11: warning: 'undefined_macro' is not a @string defined above: read as empty "
                         "(accepted: a name defined by an earlier @string, or a month jan … dec)",
                         "t:15:1: warning: type 'misc' has no Classeur type: imported as 'rapport' (accepted: "
                         "@article, @online, @www, @electronic, @techreport, @report, @audio, @video, @misc with a "
                         "url or an entrysubtype podcast or video)",
                         NULL});
    drop(&p);

    /* braces 33 deep, an unclosed quote, a stray '}', syntax errors: each entry reported
     * and skipped, the others kept */
    parse_text(&p, CL_XFMT_BIBTEX,
               "@online{deep, title = {{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{x}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}\n"
               "@article{ok1, title = {Gardé}}\n"
               "@article{q, title = \"Sans fin}\n"
               "@article{u, title = \"a}b\"}\n"
               "@article{nokey title = {x}}\n"
               "@article{f, title {x}}\n"
               "@article{g, title = {x} year = {2019}}\n"
               "@article{h, = {x}}\n"
               "@article{i, title = }\n"
               "@article{j, title = {x}, author = {A}\n"
               "@article [\n"
               "@string{ = {x}}\n"
               "@article{k}\n"
               "@article{ok2, title = {Gardé aussi}}\n"
               "@article{l, title = {x},\n");
    assert_false(p.ok);
    assert_int_equal(p.n, 2);
    assert_string_equal(p.r[0].key, "ok1");
    assert_string_equal(p.r[1].key, "ok2");
    expect_diags(&p, (const char *const[]){
                         "t:1:1: error: entry '@online{deep' nests braces deeper than 32: skipped (accepted: at most "
                         "32 levels)",
                         "t:3:1: error: entry '@article{q' has a '\"' that is never closed: skipped (accepted: "
                         "\"text\" with braces in pairs inside)",
                         "t:4:23: error: entry '@article{u' has a '}' without its '{': skipped (accepted: braces in "
                         "pairs)",
                         "t:5:16: error: entry '@article{nokey': ',' was expected after the key: skipped (accepted: "
                         "@type{key, name = {value}, …})",
                         "t:6:19: error: entry '@article{f': '=' was expected after 'title': skipped (accepted: name "
                         "= {value})",
                         "t:7:25: error: entry '@article{g': ',' or '}' was expected after field 'title': skipped "
                         "(accepted: name = {value}, fields separated by commas)",
                         "t:8:13: error: entry '@article{h': a field name was expected here: skipped (accepted: name "
                         "= {value}, fields separated by commas)",
                         "t:9:21: error: entry '@article{i': a value was expected here: skipped (accepted: {text}, "
                         "\"text\", a number or a @string name, joined by '#')",
                         "t:10:1: error: entry '@article{j' has a '{' that is never closed: skipped (accepted: braces "
                         "in pairs)",
                         "t:11:1: error: '@article' is not followed by '{': skipped (accepted: @type{key, name = "
                         "{value}, …})",
                         "t:12:10: error: @string: 'name = value' was expected here: skipped (accepted: @string{name "
                         "= {text}})",
                         "t:13:1: error: entry '@article{k' has no title: skipped (every record needs one; the others "
                         "are kept)",
                         "t:15:1: error: entry '@article{l' has a '{' that is never closed: skipped (accepted: braces "
                         "in pairs)",
                         NULL});
    drop(&p);

    /* @string expansions that double at each step stop at a budget, without using it all up */
    char big[4096];
    size_t k = (size_t)snprintf(big, sizeof big, "@string{s0 = {0123456789abcdef}}\n");
    for (int i = 1; i < 60; i++)
        k += (size_t)snprintf(big + k, sizeof big - k, "@string{s%d = s%d # s%d}\n", i, i - 1, i - 1);
    snprintf(big + k, sizeof big - k, "@misc{x, title = s59, url = {https://e.org/}}\n");
    parse_text(&p, CL_XFMT_BIBTEX, big);
    assert_false(p.ok);
    assert_int_equal(p.n, 0);
    assert_true(p.d.n >= 1);
    assert_non_null(strstr(p.d.items[0].msg, "the @string names used make the file's values too long"));
    drop(&p);

    /* an '@' starting a line inside a value is text unless it starts an entry */
    parse_text(&p, CL_XFMT_BIBTEX, "@article{m, title = {Selon\n@INSEE_fr, un tiers}, note = {a\n@misc b}}\n");
    assert_true(p.ok);
    assert_int_equal(p.n, 1);
    assert_string_equal(p.r[0].title, "Selon @INSEE_fr, un tiers");
    assert_string_equal(p.r[0].description, "a @misc b");
    drop(&p);

    parse_text(&p, CL_XFMT_BIBTEX, "just some text, no entry\n");
    assert_false(p.ok);
    expect_diags(&p, (const char *const[]){
                         "t:1:1: error: this is not a BibTeX file: no entry such as '@article{key, …}' (accepted: "
                         "BibTeX or biblatex entries, as Zotero exports them)",
                         NULL});
    drop(&p);
}

/* ---- RIS and CSL-JSON details ------------------------------------------------------------------------- */

static void test_ris_details(void **state)
{
    (void)state;
    run p;
    parse_text(&p, CL_XFMT_RIS,
               "Provider: a header some databases write\r\n"
               "\r\n"
               "TY  - NEWS\r\n"
               "T1  - Un titre\r\n"
               "  sur deux lignes\r\n"
               "JO  - Le Monde\r\n"
               "JF  - Le Monde (journal)\r\n"
               "Y1  - 2020/01/15/\r\n"
               "UR  - www.example.org/sans-protocole\r\n"
               "N2  - Résumé\r\n"
               "ER  - \r\n"
               "ER  - \r\n"
               "TI  - outside\r\n"
               "AU  - outside too\r\n"
               "TY  - \r\n"
               "TI  - Sans type\r\n"
               "TY  - ICOMM\r\n"
               "TI  - Pas de fin\r\n"
               "T2  - Le site\r\n"
               "JO  - pas lui\r\n");
    assert_false(p.ok);
    assert_int_equal(p.n, 3);
    assert_string_equal(p.r[0].title, "Un titre sur deux lignes");
    assert_string_equal(p.r[0].container, "Le Monde");
    assert_int_equal(p.r[0].date.day, 15);
    assert_null(p.r[0].url);
    assert_string_equal(p.r[0].abstract, "Résumé");
    assert_int_equal(p.r[0].type, CL_RES_ARTICLE);
    assert_int_equal(p.r[1].type, CL_RES_RAPPORT);
    assert_null(p.r[1].source_type);
    assert_int_equal(p.r[2].type, CL_RES_SITE);
    assert_string_equal(p.r[2].container, "Le site");
    expect_diags(
        &p, (const char *const[]){
                "t:9:7: warning: 'www.example.org/sans-protocole' in 'UR' is not an http(s) address: left "
                "out (accepted: http:// or https:// followed by a host name, without spaces)",
                "t:13:1: error: field 'TI' outside a record (before its 'TY  - TYPE' or after its 'ER  - '): skipped "
                "with the fields that follow up to the next 'TY  - ' (accepted: records from 'TY  - TYPE' "
                "to 'ER  - ')",
                "t:15:7: warning: this record gives no type: imported as 'rapport' (accepted: JOUR, JFULL, "
                "NEWS, MGZN, ABST, INPR, ELEC, WEB, BLOG, ICOMM, SOUND, MUSIC, VIDEO, MPCT, RPRT)",
                "t:17:1: warning: this record has no 'ER  - ' line: read up to the end of the file "
                "(accepted: records from 'TY  - TYPE' to 'ER  - ')",
                NULL});
    drop(&p);

    parse_text(&p, CL_XFMT_RIS, "");
    assert_false(p.ok);
    expect_diags(&p, (const char *const[]){
                         "t:1:1: error: this is not an RIS file: no line 'TY  - TYPE' starts a record (accepted: "
                         "records from 'TY  - TYPE' to 'ER  - ', as Zotero exports them)",
                         NULL});
    drop(&p);
}

static void test_json_details(void **state)
{
    (void)state;
    run p;
    parse_text(&p, CL_XFMT_CSL_JSON,
               "[\n"
               "  {\"title\": \"Gardé\", \"type\": \"article-newspaper\", \"id\": 42, \"volume\": 3.5,"
               " \"URL\": \"ftp://example.org/\", \"note\": \"a\\u0001b\"},\n"
               "  \"not a record\",\n"
               "  {\"type\": \"report\", \"title\": \"  \"},\n"
               "  {\"title\": \"Sans type\", \"publisher\": true}\n"
               "]\n");
    assert_false(p.ok);
    assert_int_equal(p.n, 2);
    assert_string_equal(p.r[0].key, "42");
    assert_string_equal(p.r[0].volume, "3.5");
    assert_string_equal(p.r[0].description, "a b");
    assert_null(p.r[0].url);
    assert_int_equal(p.r[0].type, CL_RES_ARTICLE);
    assert_int_equal(p.r[1].type, CL_RES_RAPPORT);
    expect_diags(&p, (const char *const[]){
                         "t:2:3: warning: 'ftp://example.org/' in 'URL' is not an http(s) address: left out "
                         "(accepted: http:// or https:// followed by a host name, without spaces)",
                         "t:3:3: error: this element of the array is a value of type 'string', not a record: skipped "
                         "(accepted: {\"type\": …, \"title\": …})",
                         "t:4:3: error: this record has no \"title\": skipped (every record needs one; the others are "
                         "kept)",
                         "t:5:3: warning: this record gives no type: imported as 'rapport' (accepted: article, "
                         "article-journal, article-magazine, article-newspaper, webpage, post, post-weblog, "
                         "broadcast, song, motion_picture, report)",
                         "t:5:3: warning: \"publisher\" of this record is a value of type 'boolean', not a text: "
                         "ignored (accepted: a text or a number)",
                         NULL});
    drop(&p);

    parse_text(&p, CL_XFMT_CSL_JSON, "[{\"title\": \"x\", \"type\": \"report\"}]\n]");
    assert_false(p.ok);
    assert_int_equal(p.n, 0);
    expect_diags(&p, (const char *const[]){"t:2:1: error: not valid JSON: unexpected character (accepted: a CSL-JSON "
                                           "array of records, as Zotero exports it)",
                                           NULL});
    drop(&p);

    parse_text(&p, CL_XFMT_CSL_JSON, "[{\"title\": \"x\",\n");
    assert_false(p.ok);
    expect_diags(&p, (const char *const[]){"t:2:1: error: not valid JSON: the file ends before the JSON does "
                                           "(accepted: a CSL-JSON array of records, as Zotero exports it)",
                                           NULL});
    drop(&p);

    /* deeper than json-c's limit of 32 */
    char deep[200];
    memset(deep, '[', 100);
    deep[100] = 0;
    parse_text(&p, CL_XFMT_CSL_JSON, deep);
    assert_false(p.ok);
    assert_int_equal(p.d.n, 1);
    assert_non_null(strstr(p.d.items[0].msg, "not valid JSON: "));
    drop(&p);

    parse_text(&p, CL_XFMT_CSL_JSON, "\xEF\xBB\xBF[]");
    assert_true(p.ok);
    assert_int_equal(p.n, 0);
    drop(&p);
}

/* ---- text that is not UTF-8, and inputs cut or scrambled ------------------------------------------------ */

static void test_not_utf8(void **state)
{
    (void)state;
    run p;
    parse_text(&p, CL_XFMT_BIBTEX, "@article{a,\n  title = {Lef\xE8vre}}\n");
    assert_false(p.ok);
    assert_int_equal(p.n, 0);
    expect_diags(&p, (const char *const[]){"t:2:15: error: byte 0xE8 is not UTF-8 text: nothing imported (accepted: a "
                                           "UTF-8 text file, as Zotero exports it)",
                                           NULL});
    drop(&p);

    parse_mem(&p, CL_XFMT_RIS, "t", "TY  - JOUR\nTI  - a\0b\nER  - \n", 22);
    assert_false(p.ok);
    expect_diags(&p, (const char *const[]){"t:2:8: error: byte 0x00 is not UTF-8 text: nothing imported (accepted: a "
                                           "UTF-8 text file, as Zotero exports it)",
                                           NULL});
    drop(&p);
}

/* Every prefix of every file, read in every format, and copies with bytes changed: the
 * records that come out are whole (a title, authors with a name), nothing crashes. */
static void test_never_crashes(void **state)
{
    (void)state;
    static const char *const files[] = {"zotero.ris",      "zotero.json",      "zotero.bib",
                                        "bad-no-ty.ris",   "bad-no-title.ris", "bad-not-array.json",
                                        "bad-syntax.json", "bad-unclosed.bib"};
    uint32_t seed = 12345;
    for (size_t fi = 0; fi < sizeof files / sizeof *files; fi++) {
        char path[128];
        snprintf(path, sizeof path, DIR "%s", files[fi]);
        size_t n;
        char *text = slurp(path, &n);
        for (int f = 0; f < CL_XFMT_COUNT; f++) {
            for (size_t len = 0; len <= n; len += 1 + len / 64) {
                char *cut = malloc(len ? len : 1); /* exactly len bytes: reading past them is an error */
                assert_non_null(cut);
                memcpy(cut, text, len);
                run p;
                parse_mem(&p, (cl_xformat)f, "t", cut, len);
                for (size_t i = 0; i < p.n; i++) {
                    assert_non_null(p.r[i].title);
                    for (size_t k = 0; k < p.r[i].n_authors; k++)
                        assert_true(p.r[i].authors[k].family || p.r[i].authors[k].org);
                }
                drop(&p);
                free(cut);
            }
            for (int round = 0; round < 40; round++) {
                char *mut = malloc(n ? n : 1);
                assert_non_null(mut);
                memcpy(mut, text, n);
                for (int k = 0; k < 8 && n; k++) {
                    seed = seed * 1103515245u + 12345u;
                    static const char pick[] = "{}\"\\@#,=\n[]:-/ \xC3\xA9";
                    mut[(seed >> 8) % n] = pick[(seed >> 4) % (sizeof pick - 1)];
                }
                run p;
                parse_mem(&p, (cl_xformat)f, "t", mut, n);
                for (size_t i = 0; i < p.n; i++)
                    assert_non_null(p.r[i].title);
                drop(&p);
                free(mut);
            }
        }
        free(text);
    }
    /* long runs of what the readers count */
    static const char *const runs[] = {"{", "}", "@a{", "\"", "\\", "[", "{\"a\":", "TY  - \n", "\n", "@string{a=a#a}"};
    for (size_t i = 0; i < sizeof runs / sizeof *runs; i++) {
        size_t l = strlen(runs[i]), reps = 20000 / l;
        char *s = malloc(l * reps);
        assert_non_null(s);
        for (size_t k = 0; k < reps; k++)
            memcpy(s + k * l, runs[i], l);
        for (int f = 0; f < CL_XFMT_COUNT; f++) {
            run p;
            parse_mem(&p, (cl_xformat)f, "t", s, l * reps);
            drop(&p);
        }
        free(s);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ris_zotero),
        cmocka_unit_test(test_csl_zotero),
        cmocka_unit_test(test_bibtex_zotero),
        cmocka_unit_test(test_ris_without_ty),
        cmocka_unit_test(test_ris_record_without_title),
        cmocka_unit_test(test_json_not_array),
        cmocka_unit_test(test_json_syntax_error),
        cmocka_unit_test(test_bibtex_unclosed_brace),
        cmocka_unit_test(test_dates),
        cmocka_unit_test(test_durations),
        cmocka_unit_test(test_pages),
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_bibtex_syntax),
        cmocka_unit_test(test_ris_details),
        cmocka_unit_test(test_json_details),
        cmocka_unit_test(test_not_utf8),
        cmocka_unit_test(test_never_crashes),
    };
    return cmocka_run_group_tests_name("import", tests, NULL, NULL);
}
