/* files.h: small file-system helpers shared by the writers of documents and previews. */
#ifndef CL_FILES_H
#define CL_FILES_H
#include "diag.h"
#include <stdbool.h>

/* Create the folder path and its missing parents (like mkdir -p). Returns false and sets
 * err, naming the folder, when it cannot be made. */
bool cl_make_dirs(const char *path, cl_err *err);
/* Replace the file at path with the n bytes of data, or leave it as it was: the bytes go
 * to a temporary file beside it (same folder, so rename is atomic), which is flushed to
 * disk and renamed over path only when complete. An existing file's permissions are
 * kept. Returns false and sets err, naming the file and the cause, on any failure; the
 * temporary file is then removed. */
bool cl_write_file_atomic(const char *path, const void *data, size_t n, cl_err *err);
#endif
