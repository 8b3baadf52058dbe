/* pdf.h: the PDF device, with libharu.
 *
 * Pages are written as they arrive: the device writes each page's content stream itself
 * (one TJ per glyph run, glyphs where the display list puts them, the space glyph kept
 * in each gap so that copied text has its spaces; each QR symbol an image of one bit a
 * module, shared by every page that shows it), a worker thread compresses it, and
 * close() hands everything to libharu, which writes the file through the writer.
 *
 * The fonts are made by the device for the characters shown, only the faces used: Type 0
 * fonts whose codes are Unicode values, the font programs subset with HarfBuzz, and
 * ToUnicode maps of single-code bfchar entries (maps with ranges, as libharu writes
 * them, make Ghostscript garble every character above U+00FF). The catalog says the language (/Lang), viewers show the document's title
 * (/ViewerPreferences /DisplayDocTitle), and the trailer's /ID is a digest of the
 * content and metadata, so that the same document gives the same bytes. With
 * SOURCE_DATE_EPOCH set, the dates come from it too.
 *
 * Links to pages and bookmarks are resolved at close(), when every page exists. */
#ifndef CL_PDF_H
#define CL_PDF_H
#include "../typeset/device.h"
#include "../util/files.h"

/* A PDF device writing one output through out (borrowed, outlives the device). NULL
 * when out of memory. */
cl_device *cl_pdf_device_new(cl_writer *out);
#endif
