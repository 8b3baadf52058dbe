/* web.h: the web page of a course — the teacher handout's content as one self-contained,
 * accessible HTML5 page (inline CSS, no script, no external resource) to paste into an
 * ENT or Moodle page or to open in a browser. What it holds, in which order, and how it
 * is written: docs/web.md. */
#ifndef CL_WEB_H
#define CL_WEB_H
#include "../model/model.h"
#include "../typeset/text.h"
#include "../util/buf.h"
#include "../util/diag.h"

/* Append to out the web page of course co of catalogue cat: title block (title, diploma
 * and module, school year, teacher, introduction), then one <section> per selected
 * resource (type, ISO 690 reference, link and QR code as inline SVG when it has an
 * address, note, pedagogical use for the course's diploma and module, guiding
 * questions), then which resources have no address yet, as the handout prints them.
 * Texts are normalised with o (NULL: the defaults), as the documents print them.
 *
 * Ownership: out is the caller's (appended to, never freed); every scratch allocation
 * goes to the caller's arena a, which the caller drops; nothing of cat or co changes.
 * Failure: false and err set (CL_E_NOMEM) when memory runs out; out is then cut back to
 * the length it had on entry (no partial page). */
CL_MUST_CHECK bool cl_web_course(cl_buf *out, cl_arena *a, const cl_catalog *cat, const cl_course *co,
                                 const cl_textopts *o, cl_err *err);
#endif
