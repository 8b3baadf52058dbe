/* setup.h: what every command that reads the dossier sets up first, in one place: the
 * project's folders (found from the executable), the catalogue (data/ or --data, with
 * the course files named), and for the commands that make documents the fonts, the
 * French hyphenation patterns and the layout.
 *
 * The functions print what goes wrong on stderr ("classeur: …", with the data's own
 * FILE:LINE:COL messages) and return the exit status to use: 0 when all is well, 1 for
 * data, layout or file problems, 2 for usage errors. cl_setup_close() releases
 * everything, whatever was set up. */
#ifndef CL_SETUP_H
#define CL_SETUP_H
#include "../compose/layoutfile.h"
#include "../model/model.h"
#include "../typeset/font.h"
#include "../typeset/hyph.h"
#include <limits.h>
#include <stdbool.h>

typedef struct cl_setup {
    char root[PATH_MAX];       /* the project's folder: holds fonts/, layouts/ and data/ */
    char data[PATH_MAX];       /* the data folder read */
    cl_catalog *cat;
    cl_diags diags;            /* what loading the data found */
    cl_fonts *fonts;           /* cl_setup_fonts() */
    cl_hyph *hyph;
    const char *const *named;  /* the course files or ids named on the command line (borrowed) */
    size_t n_named;
    bool printable_checked;    /* cl_setup_check_printable() added its findings to diags */
} cl_setup;

typedef struct cl_setup_opts {
    const char *data;                 /* --data, or NULL for the project's data/ */
    const char *const *files;         /* course files or ids named on the command line */
    size_t n_files;
    cl_load_opts load;
} cl_setup_opts;

/* Path of the project's folder `name` ("fonts", "layouts", "data") into buf: found
 * beside the executable or up to four folders above it (build/classeur → the project),
 * or installed in PREFIX/share/classeur/ for PREFIX/bin/classeur (make install), else
 * `name` itself (relative to the working folder). Returns buf. */
const char *cl_project_dir(const char *name, char *buf, size_t size);

/* Make the messages speak the user's language: the locale's LC_MESSAGES (chosen from
 * LANGUAGE, LC_ALL, LC_MESSAGES, LANG; the other categories stay "C", so numbers are
 * written with a point) and the catalogues of the source tree (build/locale) or of the
 * installed program (PREFIX/share/locale). A locale that is not installed leaves the
 * messages in English. Call once, first thing in main(). */
void cl_i18n_init(void);

/* Load the catalogue. Problems stay in s->diags for the caller to print (check prints
 * them all); returns 0, or 1 when out of memory. */
int cl_setup_load(cl_setup *s, const cl_setup_opts *o);
/* Errors in one course file stop only that course; errors anywhere else (the shared
 * data: dossier, resources, sections, diplomas, addresses) stop everything.
 *
 * Refuse to make the documents of the named courses (course files or ids; n = 0: only
 * the shared data matters, e.g. the dossier binder) when the shared data or their own
 * files have errors, the printable check included (it needs the fonts): prints those
 * errors and "the data has N errors; nothing was written", returns 1; else 0. */
int cl_setup_refuse_for(cl_setup *s, const char *const *courses, size_t n);
/* The course files (of the data's courses/ folder, or named) that have errors, each
 * once, into out (at most max); returns how many there are. */
size_t cl_setup_bad_course_files(const cl_setup *s, const char **out, size_t max);
/* Print the errors of the course file path (for a batch that goes on without it). */
void cl_setup_print_file_errors(const cl_setup *s, const char *path);
/* Print s->diags as `check` does: every error with its line and caret; warnings at most
 * three of a kind (the same message but for its quoted names and numbers), then a line
 * counting the others, unless verbose. */
void cl_setup_print_diags(const cl_setup *s, bool verbose);
/* Load the fonts and the hyphenation patterns. Returns 0 or 1. */
int cl_setup_fonts(cl_setup *s);
/* What only making the documents would find (characters no font has, addresses too
 * long for a QR code: compose/printable.h), checked once on the whole catalogue and
 * added to s->diags; needs the fonts. */
void cl_setup_check_printable(cl_setup *s);
/* Load every layout the documents would use (name when not NULL, else each course's own
 * and the default), adding their problems to s->diags: what `check` reports. */
void cl_setup_check_layouts(cl_setup *s, const char *name);
/* The layout a document of course uses: name (--layout) if not NULL, else the course's
 * own, else "default". Prints its problems when print is set; returns how many errors
 * it has (0: usable). */
size_t cl_setup_layout(const cl_setup *s, const cl_course *course, const char *name, cl_layout *out, bool print);
/* Release everything (a zeroed or partly set-up s is fine). */
void cl_setup_close(cl_setup *s);
#endif
