/* diag.h: diagnostics and error values.
 *
 * A cl_diags collects every problem found in the data ("FILE:LINE:COLUMN: error: what is
 * wrong (what is accepted)"), so the checker can report all of them, not just the first.
 * A cl_err carries one failure out of a deep call (I/O, PDF writing) as a value: the
 * first error is kept and later ones are ignored, as cairo does. Nothing here exits. */
#ifndef CL_DIAG_H
#define CL_DIAG_H
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* On a function whose result says whether it worked: ignoring the result does not
 * compile (the Makefile turns the warning into an error). */
#define CL_MUST_CHECK __attribute__((warn_unused_result))

typedef enum { CL_WARNING, CL_ERROR } cl_severity;

typedef struct cl_diag {
    char *file;        /* path as given by the user (owned) */
    int line, col;     /* 1-based; 0 when unknown */
    cl_severity sev;
    char *msg;         /* owned */
} cl_diag;

typedef struct cl_diags {
    cl_diag *items;
    size_t n, cap;
    size_t errors, warnings;  /* counts by severity */
} cl_diags;

/* Record a diagnostic. file may be NULL. Out of memory drops the message but still
 * counts it, so the exit status stays right. */
void cl_diags_add(cl_diags *d, cl_severity sev, const char *file, int line, int col,
                  const char *fmt, ...) __attribute__((format(printf, 6, 7)));
/* Print all diagnostics, one per line, in the order they were found. */
void cl_diags_print(const cl_diags *d, FILE *out);
/* Print only those of severity at least min (CL_ERROR: errors only). */
void cl_diags_print_min(const cl_diags *d, FILE *out, cl_severity min);
/* The same, each error that has a line followed by that line of its file and a caret
 * under its column, as compilers show them ("    3 | diploma bts-sp3s" / "      | ^"):
 * what the command line prints. A file that cannot be read shows no excerpt. */
void cl_diags_print_source(const cl_diags *d, FILE *out, cl_severity min);
/* One diagnostic as cl_diags_print_source() prints it. */
void cl_diag_print_source(const cl_diag *g, FILE *out);
/* The kind of a message, for showing only a few of each: msg without what is between
 * single quotes and without digits, into out (cut to n). */
void cl_diag_kind(const char *msg, char *out, size_t n);
/* Free the messages. The struct can be reused. */
void cl_diags_free(cl_diags *d);
/* True when some diagnostic's message contains needle (for tests). */
bool cl_diags_contains(const cl_diags *d, const char *needle);

/* An error value: code 0 means success. The message grows its context on the way out:
 * where the data at fault is written (cl_err_where, added by the innermost caller that
 * knows), then what was being made (cl_err_about, each caller on the way adding its
 * part): "data/sections/20-part.yaml:14:11: character U+1F9EC … has no glyph …;
 * resource 'x'; making out/bts-sp3s-module-c/handout.pdf". */
typedef struct cl_err {
    int code;        /* 0 ok; CL_E_* otherwise */
    char msg[1024];  /* human readable, names the file and what failed */
    bool placed;     /* msg starts with the FILE:LINE:COL of the data at fault */
} cl_err;

enum { CL_OK = 0, CL_E_IO = 1, CL_E_DATA = 2, CL_E_NOMEM = 3, CL_E_RENDER = 4, CL_E_USAGE = 5 };

/* Set the error unless one is already set (the first error wins). */
void cl_err_set(cl_err *e, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Put "FILE:LINE:COL: " before the message of a set error, unless a caller closer to
 * the fault did (file NULL: nothing is known, nothing done). */
void cl_err_where(cl_err *e, const char *file, int line, int col);
/* Add "; what" after the message of a set error (what the caller was making). */
void cl_err_about(cl_err *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
#endif
