/* files.c: file-system helpers (see files.h). */
#include "files.h"
#include "i18n.h"
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
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

/* ---- the temporary files being written ----------------------------------------------
 *
 * A fixed table that a signal handler can read without locks or allocation: a slot's
 * path is written before the slot is marked used, and the mark cleared before the slot
 * is reused. Only the main thread registers (worker threads write no files), and the
 * handler runs on the main thread (util/thread.h), so the two never interleave. */
#define TMP_SLOTS 1024
static char tmp_paths[TMP_SLOTS][PATH_MAX];
static atomic_int tmp_used[TMP_SLOTS];

/* Note that the temporary file at path exists (a full table only loses the clean-up). */
static void tmp_register(const char *path)
{
    for (int i = 0; i < TMP_SLOTS; i++)
        if (!atomic_load(&tmp_used[i])) {
            snprintf(tmp_paths[i], sizeof tmp_paths[i], "%s", path);
            atomic_store(&tmp_used[i], 1);
            return;
        }
}

/* The temporary file at path is gone (renamed or removed). */
static void tmp_forget(const char *path)
{
    for (int i = 0; i < TMP_SLOTS; i++)
        if (atomic_load(&tmp_used[i]) && !strcmp(tmp_paths[i], path)) {
            atomic_store(&tmp_used[i], 0);
            return;
        }
}

/* mkstemp(tmpl) and register the file, with SIGINT and SIGTERM blocked in between: an
 * interruption finds the file registered, or no file. */
static int tmp_create(char *tmpl)
{
    sigset_t block, old;
    sigemptyset(&block);
    sigaddset(&block, SIGINT);
    sigaddset(&block, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &block, &old);
    int fd = mkstemp(tmpl);
    if (fd >= 0)
        tmp_register(tmpl);
    int saved = errno;
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    errno = saved;
    return fd;
}

/* Remove the temporary file at path and forget it. */
static void tmp_remove(const char *path)
{
    unlink(path);
    tmp_forget(path);
}

void cl_files_remove_temporaries(void)
{
    for (int i = 0; i < TMP_SLOTS; i++)
        if (atomic_load(&tmp_used[i])) {
            unlink(tmp_paths[i]);
            atomic_store(&tmp_used[i], 0);
        }
}

void cl_files_forget_temporaries(void)
{
    for (int i = 0; i < TMP_SLOTS; i++)
        atomic_store(&tmp_used[i], 0);
}

bool cl_make_dirs(const char *path, cl_err *err)
{
    char tmp[PATH_MAX];
    if (snprintf(tmp, sizeof tmp, "%s", path) >= (int)sizeof tmp) {
        cl_err_set(err, CL_E_IO, "%s: folder name too long", path);
        return false;
    }
    /* each missing folder from the top down; the first that cannot be made is named
     * with its own cause (not the ENOENT of the ones below it) */
    size_t len = strlen(tmp);
    while (len > 1 && tmp[len - 1] == '/')
        tmp[--len] = 0;
    for (char *p = tmp + 1;; p++) {
        if (*p != '/' && *p)
            continue;
        char c = *p;
        *p = 0;
        struct stat st;
        if (stat(tmp, &st) != 0) {
            if (mkdir(tmp, 0777) != 0 && errno != EEXIST) {
                cl_err_set(err, CL_E_IO, "%s: cannot create folder %s (%s)", path, tmp, strerror(errno));
                return false;
            }
        } else if (!S_ISDIR(st.st_mode)) {
            cl_err_set(err, CL_E_IO, "%s: cannot create folder: %s is a file", path, tmp);
            return false;
        }
        *p = c;
        if (!c)
            break;
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
    int fd = tmp_create(tmp);
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
            cl_err_set(err, CL_E_IO, "%s: cannot write (%s)", tmp, w < 0 ? strerror(errno) : _("disk full"));
            close(fd);
            tmp_remove(tmp);
            return false;
        }
        p += w;
        left -= (size_t)w;
    }
    if (fchmod(fd, mode) != 0 || fsync(fd) != 0) {
        cl_err_set(err, CL_E_IO, "%s: cannot write (%s)", tmp, strerror(errno));
        close(fd);
        tmp_remove(tmp);
        return false;
    }
    if (close(fd) != 0) {
        cl_err_set(err, CL_E_IO, "%s: cannot write (%s)", tmp, strerror(errno));
        tmp_remove(tmp);
        return false;
    }
    if (rename(tmp, path) != 0) {
        cl_err_set(err, CL_E_IO, "%s: cannot replace it (%s)", path, strerror(errno));
        tmp_remove(tmp);
        return false;
    }
    tmp_forget(tmp);
    return true;
}

/* ---- writers ------------------------------------------------------------------------ */

static bool fw_begin(cl_writer *w, size_t part, cl_err *err)
{
    cl_file_writer *fw = (cl_file_writer *)w;
    int n;
    if (fw->path)
        n = snprintf(fw->dest, sizeof fw->dest, "%s", fw->path);
    else
        n = snprintf(fw->dest, sizeof fw->dest, "%s/%s-%0*zu.%s", fw->dir, fw->stem, fw->digits, part + 1, fw->ext);
    if (n < 0 || (size_t)n + 8 >= sizeof fw->dest) {
        cl_err_set(err, CL_E_IO, "%s: file name too long", fw->path ? fw->path : fw->dir);
        return false;
    }
    /* the folder, made when missing */
    char dir[sizeof fw->dest];
    memcpy(dir, fw->dest, (size_t)n + 1);
    char *slash = strrchr(dir, '/');
    if (slash && slash != dir) {
        *slash = 0;
        if (!cl_make_dirs(dir, err))
            return false;
    }
    memcpy(fw->tmp, fw->dest, (size_t)n);
    memcpy(fw->tmp + n, ".XXXXXX", 8); /* n + 8 fits: checked above */
    int fd = tmp_create(fw->tmp);
    if (fd < 0) {
        cl_err_set(err, CL_E_IO, "%s: cannot create a temporary file beside it (%s)", fw->dest, strerror(errno));
        return false;
    }
    struct stat st;
    mode_t mode = stat(fw->dest, &st) == 0 ? st.st_mode & 07777 : 0666 & ~current_umask();
    fchmod(fd, mode);
    fw->f = fdopen(fd, "wb");
    if (fw->f)
        setvbuf(fw->f, NULL, _IOFBF, 1 << 16);
    if (!fw->f) {
        cl_err_set(err, CL_E_IO, "%s: cannot write (%s)", fw->tmp, strerror(errno));
        close(fd);
        tmp_remove(fw->tmp);
        return false;
    }
    return true;
}

static bool fw_write(cl_writer *w, const void *data, size_t n, cl_err *err)
{
    cl_file_writer *fw = (cl_file_writer *)w;
    if (!fw->f)
        return false;
    if (n && fwrite(data, 1, n, fw->f) != n) {
        cl_err_set(err, CL_E_IO, "%s: cannot write (%s)", fw->dest, strerror(errno));
        return false;
    }
    return true;
}

static bool fw_end(cl_writer *w, bool keep, cl_err *err)
{
    cl_file_writer *fw = (cl_file_writer *)w;
    if (!fw->f)
        return false;
    bool failed = ferror(fw->f) != 0;
    if (fclose(fw->f) != 0)
        failed = true;
    fw->f = NULL;
    if (keep && failed) {
        cl_err_set(err, CL_E_IO, "%s: cannot write (%s)", fw->dest, strerror(errno));
        keep = false;
    }
    if (keep && fw->n_pending + 2 > fw->cap_pending) {
        size_t cap = fw->cap_pending ? fw->cap_pending * 2 : 16;
        char **np = realloc(fw->pending, cap * sizeof *np);
        if (np) {
            fw->pending = np;
            fw->cap_pending = cap;
        } else {
            cl_err_set(err, CL_E_NOMEM, "out of memory");
            keep = false;
        }
    }
    char *t = keep ? strdup(fw->tmp) : NULL, *d = t ? strdup(fw->dest) : NULL;
    if (keep && !d) {
        free(t);
        cl_err_set(err, CL_E_NOMEM, "out of memory");
        keep = false;
    }
    if (!keep) {
        tmp_remove(fw->tmp);
        return false;
    }
    fw->pending[fw->n_pending++] = t;
    fw->pending[fw->n_pending++] = d;
    fw->kept++;
    if (fw->on_kept)
        fw->on_kept(fw->ctx, fw->dest, fw->kept - 1);
    return true;
}

static bool fw_commit(cl_writer *w, bool keep, cl_err *err)
{
    cl_file_writer *fw = (cl_file_writer *)w;
    bool ok = true;
    /* the renames and on_committed at once: an interruption comes before or after both */
    sigset_t block, old;
    sigemptyset(&block);
    sigaddset(&block, SIGINT);
    sigaddset(&block, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &block, &old);
    for (size_t i = 0; i + 1 < fw->n_pending; i += 2) {
        if (keep && ok && rename(fw->pending[i], fw->pending[i + 1]) != 0) {
            cl_err_set(err, CL_E_IO, "%s: cannot replace it (%s)", fw->pending[i + 1], strerror(errno));
            ok = false;
        }
        if (!keep || !ok)
            unlink(fw->pending[i]);
        tmp_forget(fw->pending[i]);
        free(fw->pending[i]);
        free(fw->pending[i + 1]);
    }
    bool done = ok && keep && fw->n_pending;
    free(fw->pending);
    fw->pending = NULL;
    fw->n_pending = fw->cap_pending = 0;
    if (done && fw->on_committed)
        fw->on_committed(fw->commit_ctx);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    return ok && keep;
}

static void fw_init(cl_file_writer *fw)
{
    memset(fw, 0, sizeof *fw);
    fw->w.begin = fw_begin;
    fw->w.write = fw_write;
    fw->w.end = fw_end;
    fw->w.commit = fw_commit;
}

void cl_file_writer_single(cl_file_writer *fw, const char *path)
{
    fw_init(fw);
    fw->path = path;
}

void cl_file_writer_parts(cl_file_writer *fw, const char *dir, const char *stem, const char *ext, int digits)
{
    fw_init(fw);
    fw->dir = dir;
    fw->stem = stem;
    fw->ext = ext;
    fw->digits = digits;
}

static bool mw_begin(cl_writer *w, size_t part, cl_err *err)
{
    (void)w, (void)part, (void)err;
    return true;
}

static bool mw_write(cl_writer *w, const void *data, size_t n, cl_err *err)
{
    cl_mem_writer *mw = (cl_mem_writer *)w;
    cl_buf_put(mw->buf, data, n);
    if (mw->buf->failed) {
        cl_err_set(err, CL_E_NOMEM, "out of memory");
        return false;
    }
    return true;
}

static bool mw_end(cl_writer *w, bool keep, cl_err *err)
{
    (void)w, (void)err;
    return keep;
}

void cl_mem_writer_init(cl_mem_writer *mw, cl_buf *buf)
{
    mw->w = (cl_writer){mw_begin, mw_write, mw_end, mw_end};
    mw->buf = buf;
}

static bool fnw_write(cl_writer *w, const void *data, size_t n, cl_err *err)
{
    cl_fn_writer *fw = (cl_fn_writer *)w;
    if (!fw->fn(fw->ctx, data, n)) {
        cl_err_set(err, CL_E_IO, "cannot write the output");
        return false;
    }
    return true;
}

void cl_fn_writer_init(cl_fn_writer *fw, cl_write_fn *fn, void *ctx)
{
    fw->w = (cl_writer){mw_begin, fnw_write, mw_end, mw_end};
    fw->fn = fn;
    fw->ctx = ctx;
}

bool cl_read_file(const char *path, size_t max, cl_buf *out, bool *missing, cl_err *err)
{
    if (missing)
        *missing = false;
    FILE *f = fopen(path, "rb");
    if (!f) {
        if (errno == ENOENT && missing) {
            *missing = true;
            return true;
        }
        cl_err_set(err, CL_E_IO, "%s: cannot open (%s)", path, strerror(errno));
        return false;
    }
    size_t start = out->len;
    char chunk[65536];
    size_t got;
    while ((got = fread(chunk, 1, sizeof chunk, f)) > 0 && out->len - start <= max)
        cl_buf_put(out, chunk, got);
    bool bad = ferror(f) || out->failed || out->len - start > max;
    fclose(f);
    if (bad) {
        cl_err_set(err, CL_E_IO, "%s: cannot read (%s)", path, out->failed ? _("out of memory") : _("read error or too large"));
        return false;
    }
    return true;
}
