/* qr.h: QR codes for addresses, with libqrencode: byte mode (case kept), error
 * correction M. The quiet zone (CL_QR_QUIET modules,
 * displaylist.h) is left to the drawing code. */
#ifndef CL_QR_H
#define CL_QR_H
#include "../typeset/displaylist.h"
#include "../util/diag.h"


/* Percent-encode the non-ASCII bytes and spaces of an address (new arena string). */
char *cl_qr_percent_encode(cl_arena *a, const char *url);
/* Encode url (after percent-encoding) into a matrix in arena a. NULL and err set when
 * the address is too long for a QR code. */
const cl_qr *cl_qr_make(cl_arena *a, const char *url, cl_err *err);
/* True for an address Classeur turns into a code and a link: http:// or https:// only. */
bool cl_qr_linkable(const char *url);
#endif
