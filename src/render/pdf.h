/* pdf.h: the libharu backend: replays a cl_doc into a PDF file.
 *
 * Fonts are embedded and subset (TrueType through libharu's UTF-8 support), text stays
 * selectable with its original characters, links and bookmarks are real PDF objects.
 * The file is written to PATH.tmp and renamed over PATH only when complete, so a failed
 * run never leaves a partial PDF nor damages the previous one. With SOURCE_DATE_EPOCH
 * set, the document dates come from it and two runs give identical bytes. */
#ifndef CL_PDF_H
#define CL_PDF_H
#include "displaylist.h"
#include "../util/diag.h"
#include "qr.h"

/* Write doc to path. Returns false and sets err on failure (nothing left at path.tmp). */
bool cl_pdf_write(const cl_doc *doc, const char *path, cl_err *err);
#endif
