/* reference.h: ISO 690 references (French usage, NF Z 44-005) built from a resource
 * record, as rich text with the italics the style asks for. */
#ifndef CL_REFERENCE_H
#define CL_REFERENCE_H
#include "../model/model.h"
#include "../typeset/text.h"

/* The full reference of r, in arena a, normalised with options o (NULL: defaults).
 * with_address: end with "Disponible sur : …". */
cl_rich cl_reference(cl_arena *a, const cl_textopts *o, const cl_resource *r, bool with_address);
/* An author as references print it: "LEGLYE Stéphane" (family name in capitals) or the
 * organisation as written (arena string). */
const char *cl_author_name(cl_arena *a, const cl_author *au);
/* "30 octobre 2019", "mars 2018", "2021" (arena string; "" when no date). */
const char *cl_date_french(cl_arena *a, cl_date d);
/* "28 min", "1 h 28 min", "18 min 15 s" (arena string; NULL when unknown). */
const char *cl_duration_french(cl_arena *a, int seconds);
/* "79 p." or "p. 67-74" (NULL when unknown). */
const char *cl_pages_french(cl_arena *a, const char *pages);
/* The address as printed: without "https://" and "www.", and without a final "/". */
const char *cl_address_short(cl_arena *a, const char *url);
#endif
