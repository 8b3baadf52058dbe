/* pdf.h: the PDF device, with libharu.
 *
 * Pages are written as they arrive: the device writes each page's content stream itself
 * (one TJ per glyph run, glyphs where the display list puts them, the space glyph kept
 * in each gap so that copied text has its spaces; each QR symbol an image of one sample
 * a module, shared by every page that shows it), a worker thread compresses it, and
 * close() hands everything to libharu, which writes the file through the writer. Fonts
 * are embedded as subsets of the characters shown (HarfBuzz), only the faces used; the
 * worker sets up the faces the document announced (cl_docinfo.faces) while the pages
 * are written.
 *
 * libharu 2.3 gives its UTF-8 fonts a ToUnicode map built with cidrange operators, which
 * a ToUnicode map may not use (poppler warns, Ghostscript garbles every character above
 * U+00FF): before writing, the device replaces each map by one with a single-code bfchar
 * entry per character the document shows. Failing to do so is an error, never a silent
 * fallback. The catalog says the language (/Lang), viewers show the document's title
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
