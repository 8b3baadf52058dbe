/* files.c: file-system helpers (see files.h). */
#include "files.h"
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

bool cl_make_dirs(const char *path, cl_err *err)
{
    char tmp[PATH_MAX];
    if (snprintf(tmp, sizeof tmp, "%s", path) >= (int)sizeof tmp) {
        cl_err_set(err, CL_E_IO, "%s: folder name too long", path);
        return false;
    }
    for (char *p = tmp + 1; *p; p++) {
        if (*p == '/') {
            *p = 0;
            mkdir(tmp, 0777);
            *p = '/';
        }
    }
    if (mkdir(tmp, 0777) != 0 && errno != EEXIST) {
        cl_err_set(err, CL_E_IO, "%s: cannot create folder (%s)", path, strerror(errno));
        return false;
    }
    return true;
}
