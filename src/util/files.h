/* files.h: file-system helpers, and the writer every output of Classeur goes through.
 *
 * A cl_writer takes the bytes of one or more outputs in turn: begin(part) starts output
 * number `part`, write() appends, end(keep) finishes it, and commit(keep) puts every
 * output kept so far in place at once (or throws them all away). The file writer puts
 * each output in a temporary file beside its destination and renames them over their
 * destinations only at commit, so an interrupted or failed run never leaves half a file,
 * nor some pages of a preview new and others old, nor loses the previous files. The
 * memory and function writers append as they go (tests, traces on the standard output). */
#ifndef CL_FILES_H
#define CL_FILES_H
#include "buf.h"
#include "diag.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

typedef struct cl_writer cl_writer;
struct cl_writer {
    /* start output `part` (0 for a single output; a page index for one file per page) */
    bool (*begin)(cl_writer *w, size_t part, cl_err *err);
    bool (*write)(cl_writer *w, const void *data, size_t n, cl_err *err);
    /* finish the current output: keep it for commit, or throw it away */
    bool (*end)(cl_writer *w, bool keep, cl_err *err);
    /* put every output kept since the last commit in place (keep), or remove them */
    bool (*commit)(cl_writer *w, bool keep, cl_err *err);
};

/* Writes files. Outputs are `path`, or with a part pattern (cl_file_writer_parts)
 * DIR/STEM-NN.EXT, NN the 1-based part number on at least `digits` digits. */
typedef struct cl_file_writer {
    cl_writer w;
    const char *path;                  /* single output, or NULL */
    const char *dir, *stem, *ext;      /* one file per part */
    int digits;
    FILE *f;                           /* the open temporary file */
    char tmp[4096], dest[4096];
    char **pending;                    /* kept outputs waiting for commit: temporary, destination… */
    size_t n_pending, cap_pending;
    size_t kept;                       /* outputs kept */
    /* called with each output's path once it is complete (progress lines), or NULL */
    void (*on_kept)(void *ctx, const char *path, size_t part);
    void *ctx;
    /* called when a commit has put the outputs in place, with SIGINT and SIGTERM blocked
     * from the first rename until it returns (so an interruption sees both or neither);
     * must be quick. Or NULL. */
    void (*on_committed)(void *commit_ctx);
    void *commit_ctx;
} cl_file_writer;

/* One output, the file at path (its folder is made when missing). */
void cl_file_writer_single(cl_file_writer *fw, const char *path);
/* One file per part in dir (made when missing): DIR/STEM-NN.EXT. */
void cl_file_writer_parts(cl_file_writer *fw, const char *dir, const char *stem, const char *ext, int digits);

/* Receives n bytes of output; returns false when they could not be written. */
typedef bool cl_write_fn(void *ctx, const void *data, size_t n);

/* Hands every output to a function (a failed call is an I/O error). */
typedef struct cl_fn_writer {
    cl_writer w;
    cl_write_fn *fn;
    void *ctx;
} cl_fn_writer;
void cl_fn_writer_init(cl_fn_writer *fw, cl_write_fn *fn, void *ctx);

/* Appends every output to buf (the caller's). */
typedef struct cl_mem_writer {
    cl_writer w;
    cl_buf *buf;
} cl_mem_writer;
void cl_mem_writer_init(cl_mem_writer *mw, cl_buf *buf);

/* Remove every temporary file being written (the file writers' and
 * cl_write_file_atomic's, not yet renamed over their destinations). Async-signal-safe:
 * for the SIGINT/SIGTERM handler, which then exits; the destinations keep their previous
 * contents. */
void cl_files_remove_temporaries(void);
/* Forget the temporary files registered so far without removing them: in a process
 * just forked, whose registry copy names its parent's files. */
void cl_files_forget_temporaries(void);

/* Create the folder path and its missing parents (like mkdir -p). Returns false and sets
 * err, naming the folder, when it cannot be made. */
CL_MUST_CHECK bool cl_make_dirs(const char *path, cl_err *err);
/* Replace the file at path with the n bytes of data, or leave it as it was: the bytes go
 * to a temporary file beside it (same folder, so rename is atomic), which is flushed to
 * disk and renamed over path only when complete. An existing file's permissions are
 * kept. Returns false and sets err, naming the file and the cause, on any failure; the
 * temporary file is then removed. */
CL_MUST_CHECK bool cl_write_file_atomic(const char *path, const void *data, size_t n, cl_err *err);
/* Append the whole file at path (at most max bytes) to out. A file that does not exist
 * is not an error: *missing is set (when missing is not NULL) and nothing is appended;
 * with missing NULL it is one. Returns false and sets err, naming the file and the cause
 * (cannot open, read error or too large, out of memory), otherwise. */
CL_MUST_CHECK bool cl_read_file(const char *path, size_t max, cl_buf *out, bool *missing, cl_err *err);
#endif
