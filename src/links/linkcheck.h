/* linkcheck.h: is each web address still alive? (libcurl, for `classeur links`)
 *
 * Each address is asked for with HEAD, then with GET when the server refuses HEAD (an
 * error status or a dropped connection), reading no more than the first bytes of the
 * body. Redirects are followed one hop at a time, up to CL_LINK_MAX_HOPS, so that a
 * permanent move (301, 308) is told from a temporary one (302, 303, 307): an address
 * is "moved" when permanent redirects lead to a page that answers, and the result names
 * the address they lead to. Many requests run at once (curl multi), each with its own
 * timeout. Only http and https are spoken; the proxy settings of the environment
 * (http_proxy, no_proxy…) apply as in every curl program.
 *
 * Nothing here knows the catalogue: addresses in, one result per address out. */
#ifndef CL_LINKCHECK_H
#define CL_LINKCHECK_H
#include "../util/diag.h"
#include <stdbool.h>
#include <stddef.h>

#define CL_LINK_MAX_HOPS 10

typedef enum {
    CL_LINK_ALIVE,    /* answers 2xx, directly or through temporary redirects */
    CL_LINK_MOVED,    /* answers 2xx after at least one permanent redirect */
    CL_LINK_DEAD,     /* answers 4xx or 5xx (after GET), or too many redirects */
    CL_LINK_TIMEOUT,  /* no complete answer within the timeout */
    CL_LINK_DNS,      /* the host name does not resolve */
    CL_LINK_TLS,      /* the secure connection failed (certificate, handshake) */
    CL_LINK_FAILED    /* any other network failure (connection refused, reset…) */
} cl_link_status;

typedef struct cl_link_result {
    cl_link_status status;
    long http;           /* the last HTTP status received, 0 when none */
    char *moved_to;      /* CL_LINK_MOVED: where the permanent redirects lead (heap) */
    char *final_url;     /* the address that answered last (heap; NULL without answer) */
    char detail[256];    /* what failed, in libcurl's words, for the non-HTTP failures */
} cl_link_result;

typedef struct cl_linkcheck_opts {
    int jobs;                 /* requests at once (1…64; 0: 8) */
    long timeout_s;           /* seconds per request, connection included (0: 15) */
    const char *user_agent;   /* NULL: "Classeur link checker" */
    /* called after each address is settled, from the calling thread (may be NULL) */
    void (*progress)(void *ctx, size_t done, size_t total);
    void *ctx;
} cl_linkcheck_opts;

/* Check the n addresses urls[0..n); results[i] gets the outcome of urls[i]. Returns
 * false and sets err only when the check cannot run at all (libcurl fails to start, out
 * of memory); a dead or unreachable address is a result, not an error. Release the
 * results' strings with cl_link_results_free. */
CL_MUST_CHECK bool cl_linkcheck(const char *const *urls, size_t n, const cl_linkcheck_opts *opts, cl_link_result *results,
                  cl_err *err);
/* Free the strings held by n results. */
void cl_link_results_free(cl_link_result *results, size_t n);
/* A short French-free English word for the status, as `links` prints it ("dead"). */
const char *cl_link_status_name(cl_link_status s);
#endif
