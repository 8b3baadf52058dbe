/* pictogram.h: the five type pictograms (Article, Rapport, Site, Podcast, Vidéo) as
 * vector paths in a unit square, legible in black and white. Drawn next to the type's
 * text label, never alone. */
#ifndef CL_PICTOGRAM_H
#define CL_PICTOGRAM_H
#include "../model/model.h"
#include "../typeset/displaylist.h"

/* Paths of the pictogram of type t: *n gets how many (each is one op). Static data. */
const cl_path *cl_pictogram(cl_restype t, size_t *n);
#endif
