/* impose.h: booklet imposition of a finished display list. */
#ifndef CL_IMPOSE_H
#define CL_IMPOSE_H
#include "../typeset/displaylist.h"

/* Replace doc's pages (A5 or smaller) by A4 landscape sheet sides holding two pages each,
 * in saddle-stitch order: the page count is padded with blank pages to a multiple of 4;
 * sheet s (from 0) has pages N-2s and 2s+1 on its front, 2s+2 and N-2s-1 on its back
 * (1-based). With long_edge, backs are turned 180° (/Rotate) so that the booklet folds
 * right after long-edge duplex printing; short-edge printing needs no turn. Each sheet
 * side keeps its two pages' areas (role and text block), moved where they landed. Links
 * and bookmarks follow their pages. false when out of memory (doc unchanged). */
CL_MUST_CHECK bool cl_impose_booklet(cl_doc *doc, bool long_edge);
#endif
