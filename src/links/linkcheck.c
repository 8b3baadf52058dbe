/* linkcheck.c: web addresses checked with libcurl's multi interface (see linkcheck.h).
 *
 * One job per address walks its redirects hop by hop; at most opts->jobs requests are
 * under way at once. A job's request is an easy handle made afresh for each hop (the
 * multi handle keeps the connections, so a new handle costs no new connection).
 *
 * libcurl is loaded when a check starts (dlopen), not linked: with its TLS, HTTP/2 and
 * name libraries it would add some 7 ms to the start of every other command. */
#include "linkcheck.h"
#include "../util/i18n.h"
#include <curl/curl.h>
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The libcurl functions used, found in the library at run time. */
static struct {
    void *lib;
    CURLcode (*global_init)(long);
    void (*global_cleanup)(void);
    CURL *(*easy_init)(void);
    void (*easy_cleanup)(CURL *);
    CURLcode (*easy_setopt)(CURL *, CURLoption, ...);
    CURLcode (*easy_getinfo)(CURL *, CURLINFO, ...);
    const char *(*easy_strerror)(CURLcode);
    CURLM *(*multi_init)(void);
    CURLMcode (*multi_cleanup)(CURLM *);
    CURLMcode (*multi_add_handle)(CURLM *, CURL *);
    CURLMcode (*multi_remove_handle)(CURLM *, CURL *);
    CURLMcode (*multi_perform)(CURLM *, int *);
    CURLMcode (*multi_poll)(CURLM *, struct curl_waitfd[], unsigned int, int, int *);
    CURLMcode (*multi_setopt)(CURLM *, CURLMoption, ...);
    CURLMsg *(*multi_info_read)(CURLM *, int *);
    struct curl_slist *(*slist_append)(struct curl_slist *, const char *);
    void (*slist_free_all)(struct curl_slist *);
} curl;

#undef curl_easy_setopt /* curl.h's type-checking macros, replaced by the calls below */
#undef curl_easy_getinfo
#undef curl_multi_setopt
#define curl_global_init curl.global_init
#define curl_global_cleanup curl.global_cleanup
#define curl_easy_init curl.easy_init
#define curl_easy_cleanup curl.easy_cleanup
#define curl_easy_setopt curl.easy_setopt
#define curl_easy_getinfo curl.easy_getinfo
#define curl_easy_strerror curl.easy_strerror
#define curl_multi_init curl.multi_init
#define curl_multi_cleanup curl.multi_cleanup
#define curl_multi_add_handle curl.multi_add_handle
#define curl_multi_remove_handle curl.multi_remove_handle
#define curl_multi_perform curl.multi_perform
#define curl_multi_poll curl.multi_poll
#define curl_multi_setopt curl.multi_setopt
#define curl_multi_info_read curl.multi_info_read
#define curl_slist_append curl.slist_append
#define curl_slist_free_all curl.slist_free_all

/* Load libcurl once; false and err set when it is not there. */
static bool load_curl(cl_err *err)
{
    if (curl.lib)
        return true;
    void *lib = dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL);
    if (!lib) {
        cl_err_set(err, CL_E_IO, "the link check needs libcurl (Debian package libcurl4): %s", dlerror());
        return false;
    }
    struct {
        void **slot;
        const char *name;
    } fns[] = {
        {(void **)&curl.global_init, "curl_global_init"},
        {(void **)&curl.global_cleanup, "curl_global_cleanup"},
        {(void **)&curl.easy_init, "curl_easy_init"},
        {(void **)&curl.easy_cleanup, "curl_easy_cleanup"},
        {(void **)&curl.easy_setopt, "curl_easy_setopt"},
        {(void **)&curl.easy_getinfo, "curl_easy_getinfo"},
        {(void **)&curl.easy_strerror, "curl_easy_strerror"},
        {(void **)&curl.multi_init, "curl_multi_init"},
        {(void **)&curl.multi_cleanup, "curl_multi_cleanup"},
        {(void **)&curl.multi_add_handle, "curl_multi_add_handle"},
        {(void **)&curl.multi_remove_handle, "curl_multi_remove_handle"},
        {(void **)&curl.multi_perform, "curl_multi_perform"},
        {(void **)&curl.multi_poll, "curl_multi_poll"},
        {(void **)&curl.multi_setopt, "curl_multi_setopt"},
        {(void **)&curl.multi_info_read, "curl_multi_info_read"},
        {(void **)&curl.slist_append, "curl_slist_append"},
        {(void **)&curl.slist_free_all, "curl_slist_free_all"},
    };
    for (size_t i = 0; i < sizeof fns / sizeof fns[0]; i++) {
        void *f = dlsym(lib, fns[i].name);
        if (!f) {
            cl_err_set(err, CL_E_IO, "libcurl.so.4 has no %s (too old a libcurl)", fns[i].name);
            dlclose(lib);
            memset(&curl, 0, sizeof curl);
            return false;
        }
        memcpy(fns[i].slot, &f, sizeof f);
    }
    curl.lib = lib;
    return true;
}

typedef struct job {
    size_t index;         /* which address of the caller's array */
    char *url;            /* the address asked for by the current request (heap) */
    int hops;             /* redirects followed so far */
    bool get;             /* the current request is a GET (HEAD was refused) */
    bool permanent;       /* every redirect so far was permanent */
    char *moved_to;       /* the last address reached through permanent redirects only */
    bool body_started;    /* GET: the body began and reading was stopped on purpose */
    CURL *h;
    struct curl_slist *headers;
    char errbuf[CURL_ERROR_SIZE];
} job;

const char *cl_link_status_name(cl_link_status s)
{
    switch (s) {
    case CL_LINK_ALIVE: return N_("alive");
    case CL_LINK_MOVED: return N_("moved permanently");
    case CL_LINK_DEAD: return N_("dead");
    case CL_LINK_TIMEOUT: return N_("timed out");
    case CL_LINK_DNS: return N_("DNS error");
    case CL_LINK_TLS: return N_("TLS error");
    default: return N_("network error");
    }
}

/* GET bodies: one chunk is enough to know the page answers; stop there. */
static size_t on_body(char *data, size_t size, size_t n, void *ctx)
{
    (void)data;
    job *j = ctx;
    if (size * n == 0)
        return 0;
    j->body_started = true;
    return 0; /* makes libcurl stop with CURLE_WRITE_ERROR, which on_done expects */
}

static bool start(CURLM *multi, job *j, const cl_linkcheck_opts *o)
{
    j->h = curl_easy_init();
    if (!j->h)
        return false;
    j->body_started = false;
    j->errbuf[0] = 0;
    CURL *h = j->h;
    curl_easy_setopt(h, CURLOPT_URL, j->url);
    curl_easy_setopt(h, CURLOPT_PRIVATE, j);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, j->errbuf);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L); /* hop by hop: see linkcheck.h */
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(h, CURLOPT_TIMEOUT, o->timeout_s);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, o->timeout_s);
    curl_easy_setopt(h, CURLOPT_USERAGENT, o->user_agent);
    curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "");
    if (!j->headers)
        j->headers = curl_slist_append(NULL, "Accept-Language: fr-FR,fr;q=0.9");
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, j->headers);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, j);
    curl_easy_setopt(h, CURLOPT_NOBODY, j->get ? 0L : 1L);
    if (curl_multi_add_handle(multi, h) != CURLM_OK) {
        curl_easy_cleanup(h);
        j->h = NULL;
        return false;
    }
    return true;
}

static void finish(job *j, cl_link_result *r, cl_link_status s)
{
    r->status = s;
    if (s == CL_LINK_MOVED) {
        r->moved_to = j->moved_to;
        j->moved_to = NULL;
    }
    r->final_url = j->url;
    j->url = NULL;
    free(j->moved_to);
    j->moved_to = NULL;
    curl_slist_free_all(j->headers);
    j->headers = NULL;
}

static cl_link_status network_status(CURLcode rc)
{
    switch (rc) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
        return CL_LINK_DNS;
    case CURLE_OPERATION_TIMEDOUT:
        return CL_LINK_TIMEOUT;
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_USE_SSL_FAILED:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
        return CL_LINK_TLS;
    default:
        return CL_LINK_FAILED;
    }
}

/* A request of job j ended with rc: settle the address, or start the next request.
 * Returns true when the job is settled (its result written). */
static bool on_done(CURLM *multi, job *j, CURLcode rc, const cl_linkcheck_opts *o, cl_link_result *res)
{
    cl_link_result *r = &res[j->index];
    long code = 0;
    curl_easy_getinfo(j->h, CURLINFO_RESPONSE_CODE, &code);
    char *next = NULL;
    const char *loc = NULL;
    if (code >= 300 && code < 400 && curl_easy_getinfo(j->h, CURLINFO_REDIRECT_URL, &loc) == CURLE_OK && loc)
        next = strdup(loc);
    bool stopped_on_purpose = rc == CURLE_WRITE_ERROR && j->body_started;
    snprintf(r->detail, sizeof r->detail, "%s", j->errbuf[0] ? j->errbuf : curl_easy_strerror(rc));
    curl_multi_remove_handle(multi, j->h);
    curl_easy_cleanup(j->h);
    j->h = NULL;
    r->http = code;

    if (rc != CURLE_OK && !stopped_on_purpose) {
        free(next);
        cl_link_status s = network_status(rc);
        /* some servers drop a HEAD request: ask once more with GET */
        if (!j->get && s == CL_LINK_FAILED) {
            j->get = true;
            if (start(multi, j, o))
                return false;
        }
        finish(j, r, s);
        return true;
    }
    if (next) {
        if (++j->hops > CL_LINK_MAX_HOPS) {
            free(next);
            snprintf(r->detail, sizeof r->detail, _("more than %d redirects"), CL_LINK_MAX_HOPS);
            finish(j, r, CL_LINK_DEAD);
            return true;
        }
        bool permanent = code == 301 || code == 308;
        if (!permanent)
            j->permanent = false;
        if (permanent && j->permanent) {
            free(j->moved_to);
            j->moved_to = strdup(next);
        }
        free(j->url);
        j->url = next;
        if (start(multi, j, o))
            return false;
        snprintf(r->detail, sizeof r->detail, "%s", _("out of memory"));
        finish(j, r, CL_LINK_FAILED);
        return true;
    }
    if (code >= 200 && code < 300) {
        finish(j, r, j->moved_to ? CL_LINK_MOVED : CL_LINK_ALIVE);
        return true;
    }
    /* an error status (or a 3xx without a place to go): HEAD may be what is refused */
    if (!j->get && code >= 300) {
        j->get = true;
        if (start(multi, j, o))
            return false;
    }
    if (code == 0)
        snprintf(r->detail, sizeof r->detail, "%s", _("no HTTP answer"));
    else
        snprintf(r->detail, sizeof r->detail, "HTTP %ld", code);
    finish(j, r, code ? CL_LINK_DEAD : CL_LINK_FAILED);
    return true;
}

bool cl_linkcheck(const char *const *urls, size_t n, const cl_linkcheck_opts *opts, cl_link_result *results,
                  cl_err *err)
{
    cl_linkcheck_opts o = opts ? *opts : (cl_linkcheck_opts){0};
    if (o.jobs <= 0)
        o.jobs = 8;
    if (o.jobs > 64)
        o.jobs = 64;
    if (o.timeout_s <= 0)
        o.timeout_s = 15;
    if (!o.user_agent)
        o.user_agent = "Classeur link checker";
    memset(results, 0, n * sizeof *results);
    if (n == 0)
        return true;
    if (!load_curl(err))
        return false;
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        cl_err_set(err, CL_E_IO, "libcurl could not start");
        return false;
    }
    CURLM *multi = curl_multi_init();
    job *jobs = calloc(n, sizeof *jobs);
    if (!multi || !jobs) {
        cl_err_set(err, CL_E_NOMEM, "out of memory starting the link check");
        free(jobs);
        if (multi)
            curl_multi_cleanup(multi);
        curl_global_cleanup();
        return false;
    }
    curl_multi_setopt(multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, (long)o.jobs);
    curl_multi_setopt(multi, CURLMOPT_MAX_HOST_CONNECTIONS, 4L);
    size_t next = 0, settled = 0, active = 0;
    bool ok = true;
    while (ok && settled < n) {
        while (active < (size_t)o.jobs && next < n) {
            job *j = &jobs[next];
            j->index = next;
            j->permanent = true;
            j->url = strdup(urls[next]);
            next++;
            if (j->url && start(multi, j, &o)) {
                active++;
                continue;
            }
            snprintf(results[j->index].detail, sizeof results[j->index].detail, "%s", _("out of memory"));
            finish(j, &results[j->index], CL_LINK_FAILED);
            settled++;
            if (o.progress)
                o.progress(o.ctx, settled, n);
        }
        if (active == 0)
            continue;
        int running = 0;
        if (curl_multi_perform(multi, &running) != CURLM_OK ||
            (running && curl_multi_poll(multi, NULL, 0, 1000, NULL) != CURLM_OK)) {
            cl_err_set(err, CL_E_IO, "libcurl failed while checking the addresses");
            ok = false;
            break;
        }
        CURLMsg *m;
        int left;
        while ((m = curl_multi_info_read(multi, &left))) {
            if (m->msg != CURLMSG_DONE)
                continue;
            job *j = NULL;
            curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&j);
            if (j && on_done(multi, j, m->data.result, &o, results)) {
                active--;
                settled++;
                if (o.progress)
                    o.progress(o.ctx, settled, n);
            }
        }
    }
    for (size_t i = 0; i < n; i++) {
        if (jobs[i].h) {
            curl_multi_remove_handle(multi, jobs[i].h);
            curl_easy_cleanup(jobs[i].h);
        }
        free(jobs[i].url);
        free(jobs[i].moved_to);
        curl_slist_free_all(jobs[i].headers);
    }
    free(jobs);
    curl_multi_cleanup(multi);
    curl_global_cleanup();
    return ok;
}

void cl_link_results_free(cl_link_result *results, size_t n)
{
    for (size_t i = 0; results && i < n; i++) {
        free(results[i].moved_to);
        free(results[i].final_url);
        results[i].moved_to = results[i].final_url = NULL;
    }
}
