/* test_web.c: the web page of a course (src/compose/web.c).
 *
 * The page of tests/data/good's course must be one self-contained HTML5 document (doctype,
 * lang="fr", charset, title, one style sheet, no script, no attribute pointing anywhere
 * but at the selected resources' own addresses), with its headings strictly in order, the
 * title of every selected resource and a link to every address, one inline SVG code per
 * address whose path decodes (libzbar) to that address, the French spaces of printed
 * texts, and & < > " escaped (a copy of the catalogue is given such texts). When `tidy`
 * is installed, `tidy -errors -q -utf8` must find nothing to say about these pages nor
 * about the page of the real data's default course (data/), whose codes must decode to
 * its addresses too; without tidy the test says on stderr what it did not validate.
 *
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
#include <zbar.h>

#include "compose/qr.h"
#include "compose/reference.h"
#include "compose/web.h"
#include "model/model.h"
#include "typeset/displaylist.h"
#include "typeset/text.h"
#include "util/arena.h"
#include "util/buf.h"

#define GOOD "tests/data/good"
#define COURSE "bts-sp3s-module-c" /* the course of tests/data/good, and data/'s default one */
#define NBSP "\xC2\xA0"

/* ---- helpers ------------------------------------------------------------------------- */

static cl_catalog *load(const char *dir)
{
    cl_diags d = {0};
    cl_catalog *cat = cl_catalog_load(dir, NULL, 0, &d);
    if (!cat || d.errors) {
        cl_diags_print(&d, stderr);
        fail_msg("cannot load %s (run from the repository root)", dir);
    }
    cl_diags_free(&d);
    return cat;
}

/* The page of course id of cat, in out (the caller frees it). */
static void page_of(cl_buf *out, cl_arena *a, const cl_catalog *cat, const char *id)
{
    const cl_course *co = cl_catalog_course(cat, id);
    assert_non_null(co);
    cl_err err = {0};
    if (!cl_web_course(out, a, cat, co, NULL, &err))
        fail_msg("cl_web_course: %s", err.msg);
    assert_int_equal(err.code, 0);
    assert_false(out->failed);
}

static size_t count(const char *s, const char *needle)
{
    size_t n = 0;
    for (const char *p = strstr(s, needle); p; p = strstr(p + 1, needle))
        n++;
    return n;
}

/* s with & < > " escaped as the page writes texts (heap string). */
static char *escaped(const char *s)
{
    cl_buf b = {0};
    for (; *s; s++) {
        switch (*s) {
        case '&': cl_buf_puts(&b, "&amp;"); break;
        case '<': cl_buf_puts(&b, "&lt;"); break;
        case '>': cl_buf_puts(&b, "&gt;"); break;
        case '"': cl_buf_puts(&b, "&quot;"); break;
        default: cl_buf_putc(&b, *s);
        }
    }
    char *r = strdup(cl_buf_str(&b));
    cl_buf_free(&b);
    return r;
}

/* s with &amp; &lt; &gt; &quot; turned back into characters (heap string). */
static char *unescaped(const char *s, size_t n)
{
    static const char *const ent[][2] = {{"&amp;", "&"}, {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}};
    cl_buf b = {0};
    for (size_t i = 0; i < n;) {
        size_t k = 0;
        for (; k < 4; k++)
            if (!strncmp(s + i, ent[k][0], strlen(ent[k][0])))
                break;
        if (k < 4) {
            cl_buf_puts(&b, ent[k][1]);
            i += strlen(ent[k][0]);
        } else {
            cl_buf_putc(&b, s[i++]);
        }
    }
    char *r = strdup(cl_buf_str(&b));
    cl_buf_free(&b);
    return r;
}

/* The course's resources with a code and a link: their addresses as encoded. */
static size_t linked_addresses(cl_arena *a, const cl_course *co, const char **out, size_t max)
{
    size_t n = 0;
    for (size_t i = 0; i < co->n_items; i++) {
        const cl_resource *r = co->items[i].resource;
        if (r && cl_qr_linkable(r->url) && n < max)
            out[n++] = cl_qr_percent_encode(a, r->url);
    }
    return n;
}

/* Every value of attribute attr (`attr="…"`) must be one of allowed[0..n) once
 * unescaped; returns how many there are. */
static size_t check_attr_values(const char *page, const char *attr, const char *const *allowed, size_t n)
{
    size_t found = 0;
    char pat[32];
    snprintf(pat, sizeof pat, " %s=\"", attr);
    for (const char *p = strstr(page, pat); p; p = strstr(p + 1, pat)) {
        const char *v = p + strlen(pat);
        const char *end = strchr(v, '"');
        assert_non_null(end);
        char *val = unescaped(v, (size_t)(end - v));
        bool ok = false;
        for (size_t i = 0; i < n && !ok; i++)
            ok = !strcmp(val, allowed[i]);
        if (!ok)
            fail_msg("%s=\"%s\" is not one of the resources' addresses", attr, val);
        free(val);
        found++;
    }
    return found;
}

/* The heading levels in order: the first is the only h1, and none skips a level. */
static void check_headings(const char *page)
{
    int prev = 0, n1 = 0, n = 0;
    for (const char *p = strstr(page, "<h"); p; p = strstr(p + 1, "<h")) {
        if (p[2] < '1' || p[2] > '6')
            continue; /* <head>, <header>, <html> */
        int level = p[2] - '0';
        if (n == 0)
            assert_int_equal(level, 1);
        if (level > prev + 1)
            fail_msg("h%d after h%d: a heading level is skipped", level, prev);
        n1 += level == 1;
        n++;
        prev = level;
    }
    assert_int_equal(n1, 1);
    assert_true(n >= 3);
}

/* Draw the modules of an SVG path written "Mx yhNv1h-Nz" … (the page's form) at 4
 * pixels a module and decode it with libzbar (heap string, NULL when nothing decodes). */
static char *decode_svg(const char *svg)
{
    int side = 0;
    assert_int_equal(sscanf(strstr(svg, "viewBox=\"") + 9, "0 0 %d", &side), 1);
    assert_true(side > 2 * CL_QR_QUIET && side < 200);
    const char *svg_end = strstr(svg, "</svg>");
    assert_non_null(svg_end);
    const char *path1 = strstr(svg, "<path");
    assert_true(path1 && path1 < svg_end);
    const char *path2 = strstr(path1 + 1, "<path");
    assert_true(!path2 || path2 > svg_end); /* one path */
    const int px = 4, wpx = side * px;
    unsigned char *pix = malloc((size_t)wpx * (size_t)wpx);
    assert_non_null(pix);
    memset(pix, 255, (size_t)wpx * (size_t)wpx);
    const char *d = strstr(svg, " d=\"") + 4, *end = strchr(d, '"');
    int min = side;
    while (d < end) {
        int x, y, len, len2;
        int used = 0;
        assert_int_equal(sscanf(d, "M%d %dh%dv1h-%dz%n", &x, &y, &len, &len2, &used), 4);
        assert_int_equal(len, len2);
        assert_true(x >= 0 && y >= 0 && x + len <= side && y < side);
        min = x < min ? x : min;
        min = y < min ? y : min;
        for (int yy = y * px; yy < (y + 1) * px; yy++)
            memset(pix + (size_t)yy * (size_t)wpx + (size_t)x * (size_t)px, 0, (size_t)(len * px));
        d += used;
    }
    assert_int_equal(min, CL_QR_QUIET); /* the quiet zone: 4 light modules all round */
    zbar_image_scanner_t *sc = zbar_image_scanner_create();
    zbar_image_scanner_set_config(sc, ZBAR_NONE, ZBAR_CFG_ENABLE, 0);
    zbar_image_scanner_set_config(sc, ZBAR_QRCODE, ZBAR_CFG_ENABLE, 1);
    zbar_image_t *img = zbar_image_create();
    zbar_image_set_format(img, zbar_fourcc('Y', '8', '0', '0'));
    zbar_image_set_size(img, (unsigned)wpx, (unsigned)wpx);
    zbar_image_set_data(img, pix, (unsigned long)wpx * (unsigned long)wpx, NULL);
    assert_true(zbar_scan_image(sc, img) >= 0);
    const zbar_symbol_t *sym = zbar_image_first_symbol(img);
    char *got = sym ? strdup(zbar_symbol_get_data(sym)) : NULL;
    zbar_image_destroy(img);
    zbar_image_scanner_destroy(sc);
    free(pix);
    return got;
}

/* `tidy -errors -q -utf8` on the page: its output, "" when it finds nothing, NULL when
 * tidy is not installed (heap string). */
static char *tidy_says(const char *page)
{
    if (system("command -v tidy >/dev/null 2>&1") != 0)
        return NULL;
    char path[] = "/tmp/classeur-web-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    size_t len = strlen(page);
    assert_int_equal(write(fd, page, len), (ssize_t)len);
    assert_int_equal(close(fd), 0);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "tidy -errors -q -utf8 %s 2>&1", path);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    cl_buf b = {0};
    char chunk[512];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, p)) > 0)
        cl_buf_put(&b, chunk, n);
    pclose(p);
    unlink(path);
    char *r = strdup(cl_buf_str(&b));
    cl_buf_free(&b);
    return r;
}

static void check_tidy(const char *page, const char *what)
{
    char *said = tidy_says(page);
    if (!said) {
        fprintf(stderr, "test_web: tidy is not installed: %s not validated\n", what);
        return;
    }
    if (*said)
        fail_msg("tidy on %s:\n%s", what, said);
    free(said);
}

/* ---- tests --------------------------------------------------------------------------- */

static int setup(void **state)
{
    *state = cl_arena_new();
    return *state ? 0 : -1;
}

static int teardown(void **state)
{
    cl_arena_drop(*state);
    return 0;
}

/* A self-contained HTML5 document in French, with nothing to fetch or run. */
static void test_document(void **state)
{
    cl_arena *a = *state;
    cl_catalog *cat = load(GOOD);
    cl_buf out = {0};
    page_of(&out, a, cat, COURSE);
    const char *page = cl_buf_str(&out);
    assert_true(!strncmp(page, "<!DOCTYPE html>\n", 16));
    assert_non_null(strstr(page, "<html lang=\"fr\">"));
    assert_int_equal(count(page, "<meta charset=\"utf-8\">"), 1);
    assert_non_null(strstr(page, "<title>Accès aux droits et dématérialisation \xE2\x80\x93 fiche enseignant</title>"));
    assert_int_equal(count(page, "<style>"), 1);
    assert_int_equal(count(page, "</html>\n"), 1);
    assert_true(strstr(page, "</html>\n")[8] == 0);
    /* nothing run, nothing fetched, no style outside the style sheet */
    char *lower = strdup(page);
    for (char *p = lower; *p; p++)
        *p = (char)(*p >= 'A' && *p <= 'Z' ? *p - 'A' + 'a' : *p);
    static const char *const never[] = {"<script", " on", "src=", "style=\"", "url(", "@import", "<link", "<iframe",
                                        "<img", "<object", "<embed", "srcset", "javascript:", "cliquez ici"};
    for (size_t i = 0; i < sizeof never / sizeof never[0]; i++) {
        if (!strcmp(never[i], " on")) { /* no event handler attribute (" onclick=") */
            for (const char *p = strstr(lower, " on"); p; p = strstr(p + 1, " on")) {
                const char *q = p + 3;
                while (*q >= 'a' && *q <= 'z')
                    q++;
                if (*q == '=')
                    fail_msg("event handler attribute in the page: %.20s", p);
            }
        } else if (strstr(lower, never[i])) {
            fail_msg("the page contains '%s'", never[i]);
        }
    }
    free(lower);
    /* the only addresses are the resources' own, as links */
    const cl_course *co = cl_catalog_course(cat, COURSE);
    const char *addr[64];
    size_t na = linked_addresses(a, co, addr, 64);
    assert_int_equal(na, 2);
    /* each address twice: the title is its link, and the address under the code */
    assert_int_equal(check_attr_values(page, "href", addr, na), 2 * na);
    assert_int_equal(check_attr_values(page, "xlink:href", addr, na), 0);
    assert_int_equal(check_attr_values(page, "action", addr, na), 0);
    check_headings(page);
    cl_buf_free(&out);
    cl_catalog_drop(cat);
}

/* Every selected resource: its title as h2, its type, its link, its code (decoding to
 * its address), its note with the label, its use, its questions. */
static void test_content(void **state)
{
    cl_arena *a = *state;
    cl_catalog *cat = load(GOOD);
    const cl_course *co = cl_catalog_course(cat, COURSE);
    cl_buf out = {0};
    page_of(&out, a, cat, COURSE);
    const char *page = cl_buf_str(&out);

    /* the title block */
    assert_non_null(strstr(page, "<h1>Accès aux droits et dématérialisation</h1>"));
    assert_non_null(strstr(page, "BTS SP3S \xC2\xB7 Module C \xE2\x80\x93 Prestations et services"));
    assert_non_null(strstr(page, "Année scolaire 2026-2027 \xC2\xB7 Équipe STMS \xC2\xB7 les 2" NBSP "ressources ont un code QR"));
    assert_non_null(strstr(page, "<p>Sélection pour le module C.</p>"));
    assert_true(strstr(page, "<h1>") < strstr(page, "Sélection pour le module C."));

    /* the resources, in the selection's order */
    assert_int_equal(count(page, "<section>"), co->n_items);
    const char *prev = page;
    for (size_t i = 0; i < co->n_items; i++) {
        const cl_resource *r = co->items[i].resource;
        char *t = cl_text_french(a, NULL, r->title, strlen(r->title));
        char *e = escaped(t);
        char *h2 = cl_arena_printf(a, "<h2>%s</h2>\n<p class=\"type\">%s</p>", e, cl_restype_label(r->type));
        if (cl_qr_linkable(r->url)) { /* the title links to the resource */
            char *href = escaped(cl_qr_percent_encode(a, r->url));
            h2 = cl_arena_printf(a, "<h2><a href=\"%s\">%s</a></h2>\n<p class=\"type\">%s</p>", href, e,
                                 cl_restype_label(r->type));
            free(href);
        }
        const char *at = strstr(page, h2);
        if (!at)
            fail_msg("no heading '%s'", h2);
        assert_true(at > prev);
        prev = at;
        char *href = cl_arena_printf(a, "<a href=\"%s\">%s</a>", r->url, cl_address_short(a, r->url));
        assert_non_null(strstr(at, href));
        free(e);
    }
    assert_non_null(strstr(page, "L’illectronisme</a></h2>")); /* its title links to it */
    assert_non_null(strstr(page, "<p class=\"ref\"><i>L’illectronisme</i> [podcast]. ")); /* the reference's italics */
    assert_non_null(strstr(page, "<i>INSEE première</i> [en ligne]"));
    assert_non_null(strstr(page, "Disponible sur" NBSP ": https://www.insee.fr/fr/statistiques/4241397"));

    /* one code per address, each decoding to it, named for a screen reader */
    assert_int_equal(count(page, "<svg"), 2);
    assert_int_equal(count(page, "<path"), 2);
    for (size_t i = 0; i < co->n_items; i++) {
        const cl_resource *r = co->items[i].resource;
        char *t = cl_text_french(a, NULL, r->title, strlen(r->title));
        char *e = escaped(t);
        char *svg = cl_arena_printf(a, "role=\"img\" aria-label=\"Code QR" NBSP ": adresse de %s\"", e);
        const char *at = strstr(page, svg);
        if (!at)
            fail_msg("no code named '%s'", svg);
        while (strncmp(at, "<svg", 4))
            at--;
        char *got = decode_svg(at);
        assert_non_null(got);
        assert_string_equal(got, r->url);
        free(got);
        free(e);
    }

    /* the note with its label and its French spaces, the use, the questions */
    assert_non_null(strstr(page, "<p><b>Note de lecture" NBSP ":</b> Ce rapport de l’INSEE montre que…</p>"));
    assert_non_null(strstr(page, "<h3>Exploitation pédagogique envisageable \xE2\x80\x94 BTS SP3S, Module C "
                                 "Prestations et services</h3>"));
    assert_non_null(strstr(page, "<li><i>3.1 Accès aux droits</i></li>"));
    assert_non_null(strstr(page, "<p>À partir d’une situation professionnelle concrète…</p>")); /* accented capital */
    assert_null(strstr(page, "Pôle thématique")); /* the other diploma's use is not this course's */
    assert_int_equal(count(page, "<h3>Questions pour guider la lecture</h3>"), 1);
    assert_non_null(strstr(page, "<ol>\n<li>Quelle part de la population n’utilise pas Internet" "\xE2\x80\xAF" "?</li>\n"
                                 "<li>Quelles compétences manquent le plus" "\xE2\x80\xAF" "?</li>\n</ol>"));
    assert_null(strstr(page, "Adresses à compléter")); /* every resource has its address */
    cl_buf_free(&out);
    cl_catalog_drop(cat);
}

/* & < > " of the data are escaped wherever they go (texts, attributes, addresses); a
 * resource without an address has no link and no code, and the closing note lists it. */
static void test_escaping_and_missing(void **state)
{
    cl_arena *a = *state;
    cl_catalog *cat = load(GOOD);
    cl_resource *insee = cl_catalog_resource(cat, "insee-premiere-1780");
    cl_resource *pod = cl_catalog_resource(cat, "podcast-illectronisme");
    assert_non_null(insee);
    assert_non_null(pod);
    insee->title = "Santé & <numérique> \"en ligne\"";
    insee->url = "https://example.org/a?b=1&c=x";
    pod->url = NULL;
    const cl_entry *ent[8];
    assert_true(cl_catalog_entries_of(cat, insee, ent, 8) >= 1);
    ((cl_entry *)ent[0])->note.text = "Coûts & bénéfices : <b>rien</b> n'est gratuit.\n";

    cl_buf out = {0};
    cl_buf_puts(&out, "KEPT"); /* the page is appended */
    page_of(&out, a, cat, COURSE);
    const char *page = cl_buf_str(&out);
    assert_true(!strncmp(page, "KEPT<!DOCTYPE html>", 19));
    page += 4;
    /* texts: & < > escaped, French spaces before ':' in the note */
    assert_non_null(strstr(page, "<b>Note de lecture" NBSP ":</b> Coûts &amp; bénéfices" NBSP ": &lt;b&gt;rien&lt;/b&gt; "
                                 "n’est gratuit.</p>"));
    assert_non_null(strstr(page, "<h2><a href=\"https://example.org/a?b=1&amp;c=x\">Santé &amp; &lt;numérique&gt; «" NBSP
                                 "en ligne" NBSP "»</a></h2>"));
    assert_null(strstr(page, "<numérique>"));
    assert_null(strstr(page, "<b>rien"));
    assert_null(strstr(page, "& "));
    /* attributes: the address escaped in its href, the title in the code's label */
    assert_non_null(strstr(page, "<a href=\"https://example.org/a?b=1&amp;c=x\">example.org/a?b=1&amp;c=x</a>"));
    assert_non_null(strstr(page, "aria-label=\"Code QR" NBSP ": adresse de Santé &amp; &lt;numérique&gt; «"));
    const char *addr[] = {"https://example.org/a?b=1&c=x"};
    assert_int_equal(check_attr_values(page, "href", addr, 1), 2);
    check_headings(page);
    /* the podcast without its address: no link, no code; named in the closing note */
    assert_int_equal(count(page, "<svg"), 1);
    const char *pod_at = strstr(page, "<h2>L’illectronisme</h2>");
    assert_non_null(pod_at);
    const char *next = strstr(pod_at, "</section>");
    assert_non_null(next);
    const char *svg = strstr(pod_at, "<svg"), *a_at = strstr(pod_at, "<a ");
    assert_true(!svg || svg > next);
    assert_true(!a_at || a_at > next);
    assert_non_null(strstr(page, "<footer class=\"missing\">\n<p><b>Adresses à compléter" NBSP ":</b> 1" NBSP "ressource sur 2" NBSP
                                 "n’a pas encore d’adresse, donc pas de code QR. Les adresses se complètent dans le "
                                 "fichier good/addresses.yaml.</p>\n<ul>\n<li>L’illectronisme</li>\n</ul>\n</footer>"));
    check_tidy(page, "the page with & < > in its texts");

    /* an address the loader would refuse (" < >) still cannot break out of its attribute */
    insee->url = "https://example.org/a?c=\"x\"<y>";
    cl_buf_clear(&out);
    page_of(&out, a, cat, COURSE);
    page = cl_buf_str(&out);
    assert_non_null(strstr(page, "<a href=\"https://example.org/a?c=&quot;x&quot;&lt;y&gt;\">"));
    assert_null(strstr(page, "\"x\""));
    cl_buf_free(&out);
    cl_catalog_drop(cat);
}

/* tidy finds nothing to say about the page of the test data nor of the real dossier's
 * default course. */
static void test_tidy(void **state)
{
    cl_arena *a = *state;
    cl_catalog *cat = load(GOOD);
    cl_buf out = {0};
    page_of(&out, a, cat, COURSE);
    check_tidy(cl_buf_str(&out), GOOD "'s course");
    cl_buf_free(&out);
    cl_catalog_drop(cat);

    cat = load("data");
    page_of(&out, a, cat, COURSE);
    const char *page = cl_buf_str(&out);
    check_tidy(page, "data/'s " COURSE);
    check_headings(page);
    const cl_course *co = cl_catalog_course(cat, COURSE);
    const char *addr[64];
    size_t na = linked_addresses(a, co, addr, 64);
    assert_true(na >= 2);
    assert_int_equal(check_attr_values(page, "href", addr, na), 2 * na);
    assert_int_equal(count(page, "<svg"), na);
    for (const char *svg = strstr(page, "<svg"); svg; svg = strstr(svg + 1, "<svg")) {
        char *got = decode_svg(svg);
        assert_non_null(got);
        bool known = false;
        for (size_t i = 0; i < na && !known; i++)
            known = !strcmp(got, addr[i]);
        if (!known)
            fail_msg("a code decodes to %s, not an address of the course", got);
        free(got);
    }
    assert_int_equal(count(page, "<section>"), co->n_items);
    cl_buf_free(&out);
    cl_catalog_drop(cat);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_document, setup, teardown),
        cmocka_unit_test_setup_teardown(test_content, setup, teardown),
        cmocka_unit_test_setup_teardown(test_escaping_and_missing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tidy, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
