/* files.c: file-system helpers (see files.h). */
#include "files.h"
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

/* The process's umask, read without changing it for good. */
static mode_t current_umask(void)
{
    mode_t m = umask(022);
    umask(m);
    return m;
}

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

bool cl_write_file_atomic(const char *path, const void *data, size_t n, cl_err *err)
{
    char tmp[PATH_MAX];
    if (snprintf(tmp, sizeof tmp, "%s.XXXXXX", path) >= (int)sizeof tmp) {
        cl_err_set(err, CL_E_IO, "%s: file name too long", path);
        return false;
    }
    int fd = mkstemp(tmp);
    if (fd < 0) {
        cl_err_set(err, CL_E_IO, "%s: cannot create a temporary file beside it (%s)", path, strerror(errno));
        return false;
    }
    struct stat st;
    mode_t mode = stat(path, &st) == 0 ? st.st_mode & 07777 : 0666 & ~current_umask();
    const char *p = data;
    size_t left = n;
    while (left > 0) {
        ssize_t w = write(fd, p, left);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            cl_err_set(err, CL_E_IO, "%s: cannot write (%s)", tmp, w < 0 ? strerror(errno) : "disk full");
            close(fd);
            unlink(tmp);
            return false;
        }
        p += w;
        left -= (size_t)w;
    }
    if (fchmod(fd, mode) != 0 || fsync(fd) != 0) {
        cl_err_set(err, CL_E_IO, "%s: cannot write (%s)", tmp, strerror(errno));
        close(fd);
        unlink(tmp);
        return false;
    }
    if (close(fd) != 0) {
        cl_err_set(err, CL_E_IO, "%s: cannot write (%s)", tmp, strerror(errno));
        unlink(tmp);
        return false;
    }
    if (rename(tmp, path) != 0) {
        cl_err_set(err, CL_E_IO, "%s: cannot replace it (%s)", path, strerror(errno));
        unlink(tmp);
        return false;
    }
    return true;
}
