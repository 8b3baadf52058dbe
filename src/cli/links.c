/* links.c: the `links` command — are the addresses of the data still alive?
 *
 *   classeur links [--data DIR] [--jobs N] [--timeout SECONDS] [--update] [COURSE.yaml…]
 *
 * Checks every address of the data (resources and sub-links), or of the resources the
 * named courses select, with src/links/linkcheck.h. Prints one line per problem on
 * stderr, "FILE:LINE:COLUMN: what: id: address", where FILE:LINE:COLUMN is where the
 * address is written (addresses.yaml or a resources file), then one summary line on
 * stdout: "links: 61 checked, 57 alive, 2 moved, 2 dead" (", 1 unreachable" when some
 * could not be reached). With --update, the live addresses get today's date as
 * `accessed` and the permanently moved ones their new address, in addresses.yaml only
 * (src/model/addrfile.h keeps its comments and order). Exit status: 0 when every
 * address is alive (or was moved and updated), 1 otherwise or on data errors, 2 on usage
 * errors. */
#include "links.h"
#include "args.h"
#include "setup.h"
#include "../links/linkcheck.h"
#include "../model/addrfile.h"
#include "../model/model.h"
#include "../util/i18n.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const char *links_usage =
    N_("usage: classeur links [--data DIR] [--jobs N] [--timeout SECONDS] [--update] [COURSE.yaml...]\n"
    "  checks that every address of the data (or of the named courses) still answers\n"
    "  --jobs N           requests at once (default 8; 1 to 64)\n"
    "  --timeout SECONDS  time allowed to each request (default 15; 1 to 600)\n"
    "  --update           write today's date as 'accessed' for the live addresses and the\n"
    "                     new address of the permanently moved ones into addresses.yaml\n"
    "  --data DIR         data folder (default: the project's data/)\n");

const char *cl_links_help(void) { return _(links_usage); }

/* One address of the data. */
typedef struct target {
    const cl_resource *r;
    const cl_link *link;      /* NULL: the resource's own address */
    const char *url;
    cl_srcpos pos;
    const cl_address *rec;    /* the addresses.yaml record, or NULL (a resources file) */
    size_t check;             /* index in the array of distinct addresses checked */
} target;

static int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int usage_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("classeur: ", stderr);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    fputs(cl_links_help(), stderr);
    return 2;
}

static bool parse_long(const char *s, long lo, long hi, long *out)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (end == s || *end || v < lo || v > hi)
        return false;
    *out = v;
    return true;
}

static void progress(void *ctx, size_t done, size_t total)
{
    (void)ctx;
    fputc('\r', stderr);
    fprintf(stderr, _("links: %zu/%zu checked"), done, total);
    if (done == total)
        fputs("\r\033[K", stderr);
    fflush(stderr);
}

/* Today, from SOURCE_DATE_EPOCH when set (reproducible runs and tests), else the clock. */
static cl_date today(void)
{
    time_t t = time(NULL);
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    if (sde && *sde)
        t = (time_t)strtoll(sde, NULL, 10);
    struct tm tm;
    localtime_r(&t, &tm);
    return (cl_date){tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday};
}

static bool wanted(const cl_resource *r, const cl_course *const *courses, size_t n)
{
    if (!n)
        return true;
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < courses[i]->n_items; j++)
            if (courses[i]->items[j].resource == r)
                return true;
    return false;
}

static int cmp_target(const void *x, const void *y)
{
    const target *a = x, *b = y;
    int c = strcmp(a->pos.file, b->pos.file);
    if (c)
        return c;
    return a->pos.line != b->pos.line ? a->pos.line - b->pos.line : a->pos.col - b->pos.col;
}

/* "id" or "id (sub-link 'title')" */
static void print_what(const target *t)
{
    if (t->link)
        fprintf(stderr, _("%s (sub-link '%s')"), t->r->id, t->link->title);
    else
        fputs(t->r->id, stderr);
}

int cl_cmd_links(int argc, char **argv)
{
    const char *data = NULL, *jobs_s = NULL, *timeout_s = NULL;
    long jobs = 8, timeout = 15;
    bool update = false, verbose = false;
    const char *files[256];
    const cl_opt opts[] = {{"data", 'd', &data, NULL},       {"jobs", 'j', &jobs_s, NULL},
                           {"timeout", 't', &timeout_s, NULL}, {"update", 0, NULL, &update},
                           {"verbose", 'v', NULL, &verbose}, {NULL, 0, NULL, NULL}};
    cl_args a = {.cmd = "links", .help = cl_links_help(), .what = N_("course file"), .pos = files, .max_pos = 256};
    int prc = cl_args_read(argc, argv, 2, opts, &a);
    if (prc)
        return prc < 0 ? 0 : prc;
    size_t n_files = a.n_pos;
    if (jobs_s && !parse_long(jobs_s, 1, 64, &jobs))
        return usage_error(_("--jobs '%s' is not a number of requests (accepted: 1 to 64)"), jobs_s);
    if (timeout_s && !parse_long(timeout_s, 1, 600, &timeout))
        return usage_error(_("--timeout '%s' is not a number of seconds (accepted: 1 to 600)"), timeout_s);
    char data_dir[PATH_MAX];
    if (!data)
        data = cl_project_dir("data", data_dir, sizeof data_dir);

    cl_diags d = {0};
    cl_catalog *c = cl_catalog_load(data, files, n_files, &d);
    if (!c) {
        fputs(_("classeur: out of memory\n"), stderr);
        return 1;
    }
    int rc = 0;
    const cl_course **courses = calloc(n_files + 1, sizeof *courses);
    target *t = NULL;
    const char **urls = NULL;
    cl_link_result *res = NULL;
    size_t nt = 0, nu = 0;
    if (d.errors) {
        cl_diags_print_min(&d, stderr, CL_ERROR);
        fprintf(stderr,
                n_("classeur: the data has %zu error; run 'classeur check' and fix them first\n",
                   "classeur: the data has %zu errors; run 'classeur check' and fix them first\n", d.errors),
                d.errors);
        rc = 1;
        goto done;
    }
    for (size_t i = 0; courses && i < n_files; i++)
        if (!(courses[i] = cl_catalog_course(c, files[i]))) {
            rc = usage_error(_("'%s' is not a course file"), files[i]);
            goto done;
        }

    /* the addresses to check, in the order they are written */
    size_t cap = 0;
    for (size_t i = 0; i < c->n_resources; i++)
        cap += 1 + c->resources[i]->n_links;
    t = calloc(cap + 1, sizeof *t);
    urls = calloc(cap + 1, sizeof *urls);
    if (!courses || !t || !urls) {
        fputs(_("classeur: out of memory\n"), stderr);
        rc = 1;
        goto done;
    }
    for (size_t i = 0; i < c->n_resources; i++) {
        const cl_resource *r = c->resources[i];
        if (!wanted(r, courses, n_files))
            continue;
        if (r->url)
            t[nt++] = (target){r, NULL, r->url, r->url_pos, r->address, 0};
        for (size_t k = 0; k < r->n_links; k++)
            if (r->links[k].url)
                t[nt++] = (target){r, &r->links[k], r->links[k].url, r->links[k].url_pos, r->links[k].address, 0};
    }
    qsort(t, nt, sizeof *t, cmp_target);
    for (size_t i = 0; i < nt; i++) { /* each distinct address is asked for once */
        size_t k = 0;
        while (k < nu && strcmp(urls[k], t[i].url))
            k++;
        if (k == nu)
            urls[nu++] = t[i].url;
        t[i].check = k;
    }
    res = calloc(nu + 1, sizeof *res);
    if (!res) {
        fputs(_("classeur: out of memory\n"), stderr);
        rc = 1;
        goto done;
    }
    cl_linkcheck_opts o = {.jobs = (int)jobs,
                           .timeout_s = timeout,
                           .user_agent = "Classeur/1.0 (link checker for school document packs)",
                           .progress = isatty(2) ? progress : NULL};
    cl_err err = {0};
    if (!cl_linkcheck(urls, nu, &o, res, &err)) {
        fprintf(stderr, "classeur: %s\n", err.msg);
        rc = 1;
        goto done;
    }

    size_t alive = 0, moved = 0, dead = 0, unreachable = 0;
    cl_address_edit *edits = update ? calloc(nt + 1, sizeof *edits) : NULL;
    size_t ne = 0;
    cl_date now = today();
    for (size_t i = 0; i < nt; i++) {
        const target *x = &t[i];
        const cl_link_result *r = &res[x->check];
        switch (r->status) {
        case CL_LINK_ALIVE: alive++; break;
        case CL_LINK_MOVED: moved++; break;
        case CL_LINK_DEAD: dead++; break;
        default: unreachable++; break;
        }
        if (r->status != CL_LINK_ALIVE || verbose) {
            fprintf(stderr, "%s:%d:%d: %s", x->pos.file, x->pos.line, x->pos.col, _(cl_link_status_name(r->status)));
            if (r->status == CL_LINK_DEAD)
                fprintf(stderr, " (%s)", r->detail);
            else if (r->status == CL_LINK_TIMEOUT)
                fprintf(stderr, _(" after %ld s"), timeout);
            else if (r->status == CL_LINK_DNS || r->status == CL_LINK_TLS || r->status == CL_LINK_FAILED)
                fprintf(stderr, " (%s)", r->detail);
            fputs(": ", stderr);
            print_what(x);
            fprintf(stderr, ": %s", x->url);
            if (r->status == CL_LINK_MOVED)
                fprintf(stderr, " -> %s", r->moved_to);
            fputc('\n', stderr);
        }
        if (edits && (r->status == CL_LINK_ALIVE || r->status == CL_LINK_MOVED))
            edits[ne++] = (cl_address_edit){.rec = x->rec,
                                            .id = x->r->id,
                                            .link = x->link ? x->link->title : NULL,
                                            .url = r->status == CL_LINK_MOVED ? r->moved_to : (x->rec ? NULL : x->url),
                                            .accessed = now};
    }
    /* each count is its own message: in French the word after it agrees with it */
    fputs("links: ", stdout);
    printf(n_("%zu checked", "%zu checked", nt), nt);
    fputs(", ", stdout);
    printf(n_("%zu alive", "%zu alive", alive), alive);
    fputs(", ", stdout);
    printf(n_("%zu moved", "%zu moved", moved), moved);
    fputs(", ", stdout);
    printf(n_("%zu dead", "%zu dead", dead), dead);
    if (unreachable) {
        fputs(", ", stdout);
        printf(n_("%zu unreachable", "%zu unreachable", unreachable), unreachable);
    }
    putchar('\n');
    bool updated = false;
    if (update && !edits) {
        fputs(_("classeur: out of memory\n"), stderr);
        rc = 1;
    } else if (update && ne) {
        if (cl_addresses_update(c->addresses_path, edits, ne, &err)) {
            char dated[128], moved_s[128];
            snprintf(dated, sizeof dated, n_("%zu address dated", "%zu addresses dated", ne), ne);
            snprintf(moved_s, sizeof moved_s, n_("%zu moved", "%zu moved", moved), moved);
            printf(_("links: %s updated (%s, %s)\n"), c->addresses_path, dated, moved_s);
            updated = true;
        } else {
            fprintf(stderr, "classeur: %s\n", err.msg);
            rc = 1;
        }
    }
    free(edits);
    if (dead || unreachable || (moved && !updated))
        rc = 1;
done:
    cl_link_results_free(res, nu);
    free(res);
    free(urls);
    free(t);
    free(courses);
    cl_catalog_drop(c);
    cl_diags_free(&d);
    return rc;
}
