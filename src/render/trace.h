/* trace.h: the trace device: a document as stable text, one operation a line.
 *
 * Layout tests compare it with golden files (tests/golden/NAME.trace, rewritten by
 * `make golden`), so the format only changes on purpose. Coordinates are points from the
 * top-left corner, y down, printed with two decimals (0.01 pt; -0.00 is printed 0.00).
 * Strings are in double quotes, UTF-8, with \" \\ escaped and control characters,
 * no-break and other invisible spaces written \u{XXXX} so that a diff shows them.
 *
 *   classeur-trace 2
 *   title "…"  author "…"  subject "…"  keywords "…"  lang "fr-FR"   (one line each, when set)
 *   pages N
 *   page 1 595.28x841.89 ops 123            (page N WxH rotate 180 ops K: turned in viewers)
 *   area 3 body 85.04 70.87 425.20 708.66 forced   (the text block of page 3 in reading order,
 *                                             or of each A5 page of a booklet sheet; role body, title,
 *                                             cover, divider, colophon or blank; "forced"
 *                                             when a unit that must start a page opens it)
 *   text sans-bold 10.50 85.04 120.33 grey 0.00 "Accès aux droits" at 28.02 44.97
 *                                             (a glyph run: face, size, origin, baseline, its
 *                                             characters; "at": where each word after the first
 *                                             starts, from the origin; then " heading" or
 *                                             " caption" for the text of those. Inside a word,
 *                                             glyphs sit at the face's advances.)
 *   rect X Y W H grey G
 *   frame X Y W H lw LW grey G                (outlined rectangle)
 *   line X0 Y0 X1 Y1 lw LW grey G [dash ON OFF]
 *   path X Y scale S lw LW grey G fill|stroke|fill+stroke M x y L x y C x1 y1 x2 y2 x y Z
 *   qr X Y module M width N dark D hash 0123abcd "https://…"   (FNV-1a of the modules)
 *   link X Y W H "uri"
 *   goto X Y W H page P y Y
 *   bookmarks N
 *   bookmark level L page P y Y "title"
 *
 * Pages and target pages are 1-based. Path coordinates are those of the path itself,
 * before the scale S and the offset (X, Y) are applied. */
#ifndef CL_TRACE_H
#define CL_TRACE_H
#include "../typeset/device.h"
#include "../util/buf.h"
#include "../util/files.h"

/* A device writing the trace through out (one output). NULL when out of memory. */
cl_device *cl_trace_device_new(cl_writer *out);
/* Append the trace of a recorded document to out. Returns false when out of memory. */
CL_MUST_CHECK bool cl_trace_write(const cl_doc *doc, cl_buf *out);
/* The trace name of a face ("serif", "serif-bold-italic", "sans", "fallback"…). */
const char *cl_trace_face_name(cl_face face);
#endif
