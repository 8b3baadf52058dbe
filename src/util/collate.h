/* collate.h: French alphabetical order for every sorted list (indexes), with ICU's
 * collator for the "fr" locale: letters first, then accents, then case (so "Éthique"
 * sorts with "ethique", "de" with "De"), and a leading article (Le, La, Les, L', Un, Une)
 * left out of the comparison, as library catalogues do ("Les petits frères des
 * Pauvres" sorts under P).
 *
 * A cl_collator is made once per document and dropped with it; keys live in the arena
 * the caller gives. */
#ifndef CL_COLLATE_H
#define CL_COLLATE_H
#include "arena.h"
#include "diag.h"

typedef struct cl_collator cl_collator;

/* Open the French collator. NULL and err set when ICU cannot (its data missing). The
 * caller owns it. */
cl_collator *cl_collator_new(cl_err *err);
/* Release it. NULL is accepted. */
void cl_collator_drop(cl_collator *c);
/* The sort key of UTF-8 text s (its leading article skipped), NUL-terminated in arena a:
 * two keys compare with strcmp as the texts sort in French. NULL when out of memory. */
const char *cl_collate_key(cl_collator *c, cl_arena *a, const char *s);
/* s without its leading article ("Les petits frères" → "petits frères"; borrowed). */
const char *cl_collate_skip_article(const char *s);
#endif
