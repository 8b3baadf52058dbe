/* files.h: small file-system helpers shared by the writers of documents and previews. */
#ifndef CL_FILES_H
#define CL_FILES_H
#include "diag.h"
#include <stdbool.h>

/* Create the folder path and its missing parents (like mkdir -p). Returns false and sets
 * err, naming the folder, when it cannot be made. */
bool cl_make_dirs(const char *path, cl_err *err);
#endif
