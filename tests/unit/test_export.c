/* test_export.c: the export half of src/exchange (export.c, cl_export and the format
 * names): small resources built by hand, written in RIS, CSL-JSON and BibTeX, compared
 * byte for byte with what docs/exchange.md says each format gets: persons with and
 * without a given name, an organisation with a comma inside parentheses, a journal
 * article (volume, issue, page range), a report (page count), a site (address and access
 * date), a podcast and a video (durations), BibTeX's escapes, an unidentified resource
 * left out, and the reading note turned into a plain abstract. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "exchange/exchange.h"

/* Export n items in format f; the caller frees the result. */
static char *export(cl_xformat f, const cl_xitem *items, size_t n)
{
    cl_buf b = {0};
    cl_export(&b, f, items, n);
    assert_false(b.failed);
    char *s = strdup(cl_buf_str(&b));
    cl_buf_free(&b);
    return s;
}

static void check(cl_xformat f, const cl_resource *r, const char *abstract, const char *want)
{
    cl_xitem it = {r, abstract};
    char *got = export(f, &it, 1);
    assert_string_equal(got, want);
    free(got);
}

/* ---- the resources -------------------------------------------------------------------- */

static cl_author article_authors[] = {
    {.family = "LEGLYE", .given = "Stéphane"},
    {.family = "ROLLAND"},
    {.org = "ARCEP (Autorité de régulation des communications électroniques, des postes)"},
};

static const cl_resource article = {
    .id = "insee-premiere-1780",
    .type = CL_RES_ARTICLE,
    .authors = article_authors,
    .n_authors = 3,
    .title = "Une personne sur six n'utilise pas Internet",
    .container = "INSEE première",
    .publisher = "INSEE",
    .volume = "12",
    .issue = "1780",
    .pages = "67-74",
    .date = {2019, 10, 30},
    .date_label = "mise en ligne",
};

static const char note[] = "Premier paragraphe, sur\ndeux lignes avec *Le Monde* en italique.\n"
                           "\n"
                           "Une liste :\n"
                           "- premier point\n"
                           "- second **point**\n"
                           "\n"
                           "Dernier paragraphe : 3 * 4 reste écrit.\n";

static void test_article_ris(void **state)
{
    (void)state;
    check(CL_XFMT_RIS, &article, note,
          "TY  - JOUR\r\n"
          "ID  - insee-premiere-1780\r\n"
          "AU  - LEGLYE, Stéphane\r\n"
          "AU  - ROLLAND,\r\n"
          "AU  - ARCEP (Autorité de régulation des communications électroniques, des postes)\r\n"
          "TI  - Une personne sur six n'utilise pas Internet\r\n"
          "T2  - INSEE première\r\n"
          "PB  - INSEE\r\n"
          "VL  - 12\r\n"
          "IS  - 1780\r\n"
          "SP  - 67\r\n"
          "EP  - 74\r\n"
          "PY  - 2019\r\n"
          "DA  - 2019/10/30/\r\n"
          "AB  - Premier paragraphe, sur deux lignes avec Le Monde en italique. Une liste : - premier point "
          "- second point Dernier paragraphe : 3 * 4 reste écrit.\r\n"
          "ER  - \r\n");
}

static void test_article_csl(void **state)
{
    (void)state;
    check(CL_XFMT_CSL_JSON, &article, note,
          "[\n"
          "  {\n"
          "    \"id\": \"insee-premiere-1780\",\n"
          "    \"type\": \"article-journal\",\n"
          "    \"author\": [\n"
          "      {\"family\": \"LEGLYE\", \"given\": \"Stéphane\"},\n"
          "      {\"family\": \"ROLLAND\"},\n"
          "      {\"literal\": \"ARCEP (Autorité de régulation des communications électroniques, des postes)\"}\n"
          "    ],\n"
          "    \"title\": \"Une personne sur six n'utilise pas Internet\",\n"
          "    \"container-title\": \"INSEE première\",\n"
          "    \"publisher\": \"INSEE\",\n"
          "    \"volume\": \"12\",\n"
          "    \"issue\": \"1780\",\n"
          "    \"page\": \"67-74\",\n"
          "    \"issued\": {\"date-parts\": [[2019, 10, 30]]},\n"
          "    \"abstract\": \"Premier paragraphe, sur deux lignes avec Le Monde en italique.\\n\\nUne liste :\\n\\n"
          "- premier point\\n- second point\\n\\nDernier paragraphe : 3 * 4 reste écrit.\"\n"
          "  }\n"
          "]\n");
}

static void test_article_bibtex(void **state)
{
    (void)state;
    check(CL_XFMT_BIBTEX, &article, note,
          "@article{insee-premiere-1780,\n"
          "  author = {LEGLYE, Stéphane and ROLLAND and {ARCEP (Autorité de régulation des communications "
          "électroniques, des postes)}},\n"
          "  title = {Une personne sur six n'utilise pas Internet},\n"
          "  journal = {INSEE première},\n"
          "  publisher = {INSEE},\n"
          "  volume = {12},\n"
          "  number = {1780},\n"
          "  pages = {67--74},\n"
          "  date = {2019-10-30},\n"
          "  year = {2019},\n"
          "  abstract = {Premier paragraphe, sur deux lignes avec Le Monde en italique.\n\nUne liste :\n\n"
          "- premier point\n- second point\n\nDernier paragraphe : 3 * 4 reste écrit.}\n"
          "}\n");
}

/* Without volume or issue an article is a newspaper's or a magazine's; a family name of
 * several words without a given name keeps a comma in BibTeX. */
static void test_article_without_numbers(void **state)
{
    (void)state;
    cl_author au = {.family = "SI AMMOUR"};
    cl_resource r = {.id = "a", .type = CL_RES_ARTICLE, .authors = &au, .n_authors = 1, .title = "T",
                     .container = "Le Monde", .date = {2020, 3, 0}};
    check(CL_XFMT_RIS, &r, NULL,
          "TY  - NEWS\r\nID  - a\r\nAU  - SI AMMOUR,\r\nTI  - T\r\nT2  - Le Monde\r\nPY  - 2020\r\n"
          "DA  - 2020/03//\r\nER  - \r\n");
    check(CL_XFMT_CSL_JSON, &r, NULL,
          "[\n  {\n    \"id\": \"a\",\n    \"type\": \"article-newspaper\",\n    \"author\": [\n"
          "      {\"family\": \"SI AMMOUR\"}\n    ],\n    \"title\": \"T\",\n    \"container-title\": \"Le Monde\",\n"
          "    \"issued\": {\"date-parts\": [[2020, 3]]}\n  }\n]\n");
    check(CL_XFMT_BIBTEX, &r, NULL,
          "@article{a,\n  author = {SI AMMOUR,},\n  title = {T},\n  journal = {Le Monde},\n  date = {2020-03},\n"
          "  year = {2020}\n}\n");
}

static cl_author report_author = {.org = "Défenseur des droits"};

static const cl_resource report = {
    .id = "rapport-defenseur",
    .type = CL_RES_RAPPORT,
    .authors = &report_author,
    .n_authors = 1,
    .title = "Dématérialisation et inégalités\nd'accès aux services publics",
    .container = "Rapports",
    .publisher = "Défenseur des droits",
    .pages = "79",
    .date = {2019, 1, 0},
    .description = "Rapport annuel",
};

static void test_report(void **state)
{
    (void)state;
    check(CL_XFMT_RIS, &report, "",
          "TY  - RPRT\r\n"
          "ID  - rapport-defenseur\r\n"
          "AU  - Défenseur des droits\r\n"
          "TI  - Dématérialisation et inégalités d'accès aux services publics\r\n"
          "T2  - Rapports\r\n"
          "PB  - Défenseur des droits\r\n"
          "SP  - 79\r\n"
          "PY  - 2019\r\n"
          "DA  - 2019/01//\r\n"
          "N1  - Rapport annuel\r\n"
          "ER  - \r\n");
    check(CL_XFMT_CSL_JSON, &report, "",
          "[\n"
          "  {\n"
          "    \"id\": \"rapport-defenseur\",\n"
          "    \"type\": \"report\",\n"
          "    \"author\": [\n"
          "      {\"literal\": \"Défenseur des droits\"}\n"
          "    ],\n"
          "    \"title\": \"Dématérialisation et inégalités d'accès aux services publics\",\n"
          "    \"container-title\": \"Rapports\",\n"
          "    \"publisher\": \"Défenseur des droits\",\n"
          "    \"number-of-pages\": \"79\",\n"
          "    \"issued\": {\"date-parts\": [[2019, 1]]},\n"
          "    \"note\": \"Rapport annuel\"\n"
          "  }\n"
          "]\n");
    check(CL_XFMT_BIBTEX, &report, "",
          "@techreport{rapport-defenseur,\n"
          "  author = {{Défenseur des droits}},\n"
          "  title = {Dématérialisation et inégalités d'accès aux services publics},\n"
          "  series = {Rapports},\n"
          "  institution = {Défenseur des droits},\n"
          "  pagetotal = {79},\n"
          "  date = {2019-01},\n"
          "  year = {2019},\n"
          "  note = {Rapport annuel}\n"
          "}\n");
}

static const cl_resource site = {
    .id = "solidarite-numerique",
    .type = CL_RES_SITE,
    .title = "Solidarité numérique",
    .publisher = "MedNum",
    .date = {2020, 0, 0},
    .url = "https://www.solidarite-numerique.fr/a_b?x=1%202#top",
    .accessed = {2021, 4, 1},
};

static void test_site(void **state)
{
    (void)state;
    check(CL_XFMT_RIS, &site, NULL,
          "TY  - ELEC\r\n"
          "ID  - solidarite-numerique\r\n"
          "TI  - Solidarité numérique\r\n"
          "PB  - MedNum\r\n"
          "PY  - 2020\r\n"
          "DA  - 2020///\r\n"
          "UR  - https://www.solidarite-numerique.fr/a_b?x=1%202#top\r\n"
          "Y2  - 2021/04/01/\r\n"
          "ER  - \r\n");
    check(CL_XFMT_CSL_JSON, &site, NULL,
          "[\n"
          "  {\n"
          "    \"id\": \"solidarite-numerique\",\n"
          "    \"type\": \"webpage\",\n"
          "    \"title\": \"Solidarité numérique\",\n"
          "    \"publisher\": \"MedNum\",\n"
          "    \"issued\": {\"date-parts\": [[2020]]},\n"
          "    \"URL\": \"https://www.solidarite-numerique.fr/a_b?x=1%202#top\",\n"
          "    \"accessed\": {\"date-parts\": [[2021, 4, 1]]}\n"
          "  }\n"
          "]\n");
    check(CL_XFMT_BIBTEX, &site, NULL,
          "@online{solidarite-numerique,\n"
          "  title = {Solidarité numérique},\n"
          "  publisher = {MedNum},\n"
          "  date = {2020},\n"
          "  year = {2020},\n"
          "  url = {https://www.solidarite-numerique.fr/a_b?x=1%202#top},\n"
          "  urldate = {2021-04-01}\n"
          "}\n");
}

static cl_author podcast_author = {.family = "GRANJON", .given = "Fabien"};

static const cl_resource podcast = {
    .id = "podcast-illectronisme",
    .type = CL_RES_PODCAST,
    .authors = &podcast_author,
    .n_authors = 1,
    .title = "L'illectronisme",
    .container = "Le Temps du débat",
    .publisher = "France Culture",
    .date = {2021, 2, 3},
    .duration_s = 18 * 60 + 15,
};

static void test_podcast(void **state)
{
    (void)state;
    check(CL_XFMT_RIS, &podcast, NULL,
          "TY  - SOUND\r\n"
          "ID  - podcast-illectronisme\r\n"
          "AU  - GRANJON, Fabien\r\n"
          "TI  - L'illectronisme\r\n"
          "T2  - Le Temps du débat\r\n"
          "PB  - France Culture\r\n"
          "PY  - 2021\r\n"
          "DA  - 2021/02/03/\r\n"
          "M1  - 18:15\r\n"
          "ER  - \r\n");
    check(CL_XFMT_CSL_JSON, &podcast, NULL,
          "[\n"
          "  {\n"
          "    \"id\": \"podcast-illectronisme\",\n"
          "    \"type\": \"broadcast\",\n"
          "    \"author\": [\n"
          "      {\"family\": \"GRANJON\", \"given\": \"Fabien\"}\n"
          "    ],\n"
          "    \"title\": \"L'illectronisme\",\n"
          "    \"container-title\": \"Le Temps du débat\",\n"
          "    \"publisher\": \"France Culture\",\n"
          "    \"issued\": {\"date-parts\": [[2021, 2, 3]]},\n"
          "    \"dimensions\": \"18:15\"\n"
          "  }\n"
          "]\n");
    check(CL_XFMT_BIBTEX, &podcast, NULL,
          "@misc{podcast-illectronisme,\n"
          "  entrysubtype = {podcast},\n"
          "  author = {GRANJON, Fabien},\n"
          "  title = {L'illectronisme},\n"
          "  howpublished = {Le Temps du débat},\n"
          "  publisher = {France Culture},\n"
          "  date = {2021-02-03},\n"
          "  year = {2021},\n"
          "  duration = {18:15}\n"
          "}\n");
}

static cl_author video_author = {.org = "Allodocteurs.fr"};

static const cl_resource video = {
    .id = "video-teleconsultation",
    .type = CL_RES_VIDEO,
    .authors = &video_author,
    .n_authors = 1,
    .title = "La téléconsultation",
    .container = "YouTube",
    .duration_s = 3600 + 28 * 60 + 5,
    .url = "https://www.youtube.com/watch?v=x",
};

static void test_video(void **state)
{
    (void)state;
    check(CL_XFMT_RIS, &video, NULL,
          "TY  - VIDEO\r\n"
          "ID  - video-teleconsultation\r\n"
          "AU  - Allodocteurs.fr\r\n"
          "TI  - La téléconsultation\r\n"
          "T2  - YouTube\r\n"
          "M1  - 1:28:05\r\n"
          "UR  - https://www.youtube.com/watch?v=x\r\n"
          "ER  - \r\n");
    check(CL_XFMT_CSL_JSON, &video, NULL,
          "[\n"
          "  {\n"
          "    \"id\": \"video-teleconsultation\",\n"
          "    \"type\": \"motion_picture\",\n"
          "    \"author\": [\n"
          "      {\"literal\": \"Allodocteurs.fr\"}\n"
          "    ],\n"
          "    \"title\": \"La téléconsultation\",\n"
          "    \"container-title\": \"YouTube\",\n"
          "    \"dimensions\": \"1:28:05\",\n"
          "    \"URL\": \"https://www.youtube.com/watch?v=x\"\n"
          "  }\n"
          "]\n");
    check(CL_XFMT_BIBTEX, &video, NULL,
          "@misc{video-teleconsultation,\n"
          "  entrysubtype = {video},\n"
          "  author = {{Allodocteurs.fr}},\n"
          "  title = {La téléconsultation},\n"
          "  howpublished = {YouTube},\n"
          "  duration = {1:28:05},\n"
          "  url = {https://www.youtube.com/watch?v=x}\n"
          "}\n");
    /* under ten minutes: M:SS */
    cl_resource r = {.id = "v", .type = CL_RES_VIDEO, .title = "T", .duration_s = 9 * 60 + 4};
    check(CL_XFMT_RIS, &r, NULL, "TY  - VIDEO\r\nID  - v\r\nTI  - T\r\nM1  - 9:04\r\nER  - \r\n");
}

static void test_bibtex_escapes(void **state)
{
    (void)state;
    cl_author au[] = {{.family = "O_Brien", .given = "A & B"}, {.org = "R&D {Lab}"}};
    cl_resource r = {.id = "esc", .type = CL_RES_RAPPORT, .authors = au, .n_authors = 2,
                     .title = "50 % of #1 a_b {x} ~ ^ \\ $5 & co",
                     .url = "https://e.org/~a_b%20c{d}"};
    check(CL_XFMT_BIBTEX, &r, "*Note* : 10 % & {rien}",
          "@techreport{esc,\n"
          "  author = {O\\_Brien, A \\& B and {R\\&D \\{Lab\\}}},\n"
          "  title = {50 \\% of \\#1 a\\_b \\{x\\} \\textasciitilde{} \\textasciicircum{} \\textbackslash{} \\$5 \\& co},\n"
          "  url = {https://e.org/~a_b%20c%7Bd%7D},\n"
          "  abstract = {Note : 10 \\% \\& \\{rien\\}}\n"
          "}\n");
    /* "--" would print as a dash in LaTeX: written "-{}-" (a page range keeps its "--") */
    cl_resource h = {.id = "h", .type = CL_RES_ARTICLE, .title = "A -- B --- C - D", .pages = "3-9"};
    check(CL_XFMT_BIBTEX, &h, NULL,
          "@article{h,\n"
          "  title = {A -{}- B -{}-{}- C - D},\n"
          "  pages = {3--9}\n"
          "}\n");
    /* JSON escapes quotes, backslashes and control characters */
    cl_resource j = {.id = "j", .type = CL_RES_SITE, .title = "Un \"titre\" \\ et\ttab"};
    check(CL_XFMT_CSL_JSON, &j, NULL,
          "[\n  {\n    \"id\": \"j\",\n    \"type\": \"webpage\",\n    \"title\": \"Un \\\"titre\\\" \\\\ et\\ttab\"\n  }\n]\n");
}

/* Unidentified resources (and missing ones) are left out; the records that remain are
 * separated as each format wants. */
static void test_unidentified_skipped(void **state)
{
    (void)state;
    cl_resource hidden = {.id = "hidden", .type = CL_RES_SITE, .title = "Hidden", .unidentified = true};
    cl_resource a = {.id = "a", .type = CL_RES_SITE, .title = "A"};
    cl_resource b = {.id = "b", .type = CL_RES_RAPPORT, .title = "B"};
    cl_xitem items[] = {{&hidden, NULL}, {&a, NULL}, {NULL, NULL}, {&hidden, "note"}, {&b, NULL}};
    char *s = export(CL_XFMT_RIS, items, 5);
    assert_string_equal(s, "TY  - ELEC\r\nID  - a\r\nTI  - A\r\nER  - \r\n"
                           "TY  - RPRT\r\nID  - b\r\nTI  - B\r\nER  - \r\n");
    free(s);
    s = export(CL_XFMT_CSL_JSON, items, 5);
    assert_string_equal(s, "[\n"
                           "  {\n    \"id\": \"a\",\n    \"type\": \"webpage\",\n    \"title\": \"A\"\n  },\n"
                           "  {\n    \"id\": \"b\",\n    \"type\": \"report\",\n    \"title\": \"B\"\n  }\n"
                           "]\n");
    free(s);
    s = export(CL_XFMT_BIBTEX, items, 5);
    assert_string_equal(s, "@online{a,\n  title = {A}\n}\n\n@techreport{b,\n  title = {B}\n}\n");
    free(s);
    /* nothing left: an empty file, or an empty array */
    for (int f = 0; f < CL_XFMT_COUNT; f++) {
        s = export((cl_xformat)f, items, 1);
        assert_string_equal(s, f == CL_XFMT_CSL_JSON ? "[]\n" : "");
        free(s);
    }
}

/* The markup of a reading note as plain text: items one a line, paragraphs apart, the
 * markers of emphasis out, stars that mark nothing kept, Windows line ends read. */
static void test_abstract_markup(void **state)
{
    (void)state;
    cl_resource r = {.id = "n", .type = CL_RES_SITE, .title = "T"};
    check(CL_XFMT_CSL_JSON, &r,
          "  Intro *en italique* et **en gras**\r\n"
          "suite.\r\n"
          "- un *point*\r\n"
          "- deux\r\n"
          "\r\n"
          "\r\n"
          "Fin * seule, *pas fermée et **.\n",
          "[\n  {\n    \"id\": \"n\",\n    \"type\": \"webpage\",\n    \"title\": \"T\",\n"
          "    \"abstract\": \"Intro en italique et en gras suite.\\n\\n- un point\\n- deux\\n\\n"
          "Fin * seule, *pas fermée et **.\"\n  }\n]\n");
    check(CL_XFMT_RIS, &r, "- un\n- deux\n\nTrois\nquatre",
          "TY  - ELEC\r\nID  - n\r\nTI  - T\r\nAB  - - un - deux Trois quatre\r\nER  - \r\n");
    /* a note of white space only gives no abstract */
    check(CL_XFMT_RIS, &r, " \n\n ", "TY  - ELEC\r\nID  - n\r\nTI  - T\r\nER  - \r\n");
}

static void test_format_names(void **state)
{
    (void)state;
    cl_xformat f = CL_XFMT_COUNT;
    assert_true(cl_xformat_from_name("ris", &f) && f == CL_XFMT_RIS);
    assert_true(cl_xformat_from_name("csl-json", &f) && f == CL_XFMT_CSL_JSON);
    assert_true(cl_xformat_from_name("bibtex", &f) && f == CL_XFMT_BIBTEX);
    assert_false(cl_xformat_from_name("json", &f));
    assert_false(cl_xformat_from_name("RIS", &f));
    assert_false(cl_xformat_from_name(NULL, &f));
    assert_true(cl_xformat_from_path("out/module-c.ris", &f) && f == CL_XFMT_RIS);
    assert_true(cl_xformat_from_path("Ma bibliothèque.JSON", &f) && f == CL_XFMT_CSL_JSON);
    assert_true(cl_xformat_from_path("refs.bib", &f) && f == CL_XFMT_BIBTEX);
    assert_false(cl_xformat_from_path("refs.txt", &f));
    assert_false(cl_xformat_from_path("dir.bib/refs", &f));
    assert_false(cl_xformat_from_path(".json", &f));
    assert_false(cl_xformat_from_path("a/.ris", &f));
    assert_false(cl_xformat_from_path(NULL, &f));
    for (int i = 0; i < CL_XFMT_COUNT; i++) {
        assert_true(cl_xformat_from_name(cl_xformat_name((cl_xformat)i), &f));
        assert_int_equal(f, i);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_article_ris),
        cmocka_unit_test(test_article_csl),
        cmocka_unit_test(test_article_bibtex),
        cmocka_unit_test(test_article_without_numbers),
        cmocka_unit_test(test_report),
        cmocka_unit_test(test_site),
        cmocka_unit_test(test_podcast),
        cmocka_unit_test(test_video),
        cmocka_unit_test(test_bibtex_escapes),
        cmocka_unit_test(test_unidentified_skipped),
        cmocka_unit_test(test_abstract_markup),
        cmocka_unit_test(test_format_names),
    };
    return cmocka_run_group_tests_name("export", tests, NULL, NULL);
}
