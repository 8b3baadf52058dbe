/* printable.h: what only making the documents would otherwise find out, checked on the
 * catalogue alone so that `check` reports it first: characters that no font of Classeur
 * has (build refuses them) and addresses too long for any QR code (build prints them
 * without a code). Each is reported at the FILE:LINE:COL where its text is written. */
#ifndef CL_PRINTABLE_H
#define CL_PRINTABLE_H
#include "../model/model.h"
#include "../typeset/font.h"

/* True when cp can be printed whatever the style: every text face has it, or the
 * fallback face does (the line breaker falls back to it). A check stricter than the
 * breaker's, never looser. */
bool cl_printable_char(cl_fonts *fonts, uint32_t cp);
/* True when every character of the UTF-8 text is printable (cl_printable_char). */
bool cl_printable_text(cl_fonts *fonts, const char *text);
/* Add to d one error per text of cat holding characters no font has (naming them), and
 * one warning per address too long for a QR code. */
void cl_check_printable(const cl_catalog *cat, cl_fonts *fonts, cl_diags *d);
#endif
