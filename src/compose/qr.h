/* qr.h: QR codes for addresses, with libqrencode: byte mode (case kept), error
 * correction M. The quiet zone (CL_QR_QUIET modules,
 * displaylist.h) is left to the drawing code. */
#ifndef CL_QR_H
#define CL_QR_H
#include "../typeset/displaylist.h"
#include "../util/diag.h"


/* The most bytes a QR code holds (version 40, error correction M, byte mode): a longer
 * address is printed without a code. */
#define CL_QR_MAX_BYTES 2331
/* How many bytes url takes once percent-encoded (what the code holds). */
size_t cl_qr_encoded_length(const char *url);
/* Percent-encode the non-ASCII bytes and spaces of an address (new arena string). */
char *cl_qr_percent_encode(cl_arena *a, const char *url);
/* Encode url (after percent-encoding) into a matrix in arena a. NULL and err set when
 * the address is too long for a QR code (CL_E_DATA) or memory runs out (CL_E_NOMEM). */
const cl_qr *cl_qr_make(cl_arena *a, const char *url, cl_err *err);
/* Codes made once and kept (a document is composed in passes, and an address may appear
 * in several entries). */
typedef struct cl_qr_cache cl_qr_cache;
/* NULL when out of memory. */
cl_qr_cache *cl_qr_cache_new(void);
void cl_qr_cache_drop(cl_qr_cache *c);
/* The code of url, made on first request (its matrix lives as long as the cache). NULL
 * and err set as for cl_qr_make. */
const cl_qr *cl_qr_cached(cl_qr_cache *c, const char *url, cl_err *err);
/* Make the codes of urls[0..n) ahead, on a thread of their own, while the document is
 * composed (the composition takes them from the cache, or makes one itself when it
 * comes first). urls must live until the cache is dropped, which waits for the thread. */
void cl_qr_cache_prefetch(cl_qr_cache *c, const char *const *urls, size_t n);
/* True for an address Classeur turns into a code and a link: http:// or https:// only. */
bool cl_qr_linkable(const char *url);
#endif
