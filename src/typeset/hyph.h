/* hyph.h: French hyphenation points with libhyphen and the hyphen-fr patterns.
 * A cl_hyph is loaded once per run and shared read-only. */
#ifndef CL_HYPH_H
#define CL_HYPH_H
#include "../util/diag.h"
#include <stdbool.h>
#include <stddef.h>

typedef struct cl_hyph cl_hyph;

/* Load the patterns (path NULL: the system's hyph_fr.dic). NULL, with err saying why
 * (the file missing, or memory), when they cannot be. The caller owns the result. */
cl_hyph *cl_hyph_load(const char *path, cl_err *err);
void cl_hyph_drop(cl_hyph *h);
/* Find break points in the word w[0..n) (UTF-8, letters only; apostrophe prefixes such as
 * "l’" are handled by the caller). Writes byte offsets where a hyphen may go (the break
 * is before that byte) into out (capacity cap) and returns how many. Words with digits,
 * words in capitals, and words shorter than 5 letters get none. At least 2 letters
 * before and 3 after a break. */
size_t cl_hyph_points(const cl_hyph *h, const char *w, size_t n, size_t *out, size_t cap);
#endif
