/* args.h: reading a command's options, the same way for every command.
 *
 * Accepted forms: `--out DIR`, `--out=DIR`, `-o DIR`, `-oDIR`, flags `--verbose` and
 * `-v`, and `--` before arguments that begin with a dash. Refused, with a message naming
 * the option and what is accepted: an unknown option, a missing value, a value given to
 * a flag, an option that takes one value given twice, and an argument the command does
 * not take. `--help` and `-h` print the command's help on stdout. Nothing here exits:
 * the caller returns the status. */
#ifndef CL_ARGS_H
#define CL_ARGS_H
#include <stdbool.h>
#include <stddef.h>

/* One option of a command. */
typedef struct cl_opt {
    const char *name;      /* without the dashes: "out" */
    char letter;           /* its short form ('o' for -o), or 0 */
    const char **value;    /* where its value goes; NULL for a flag */
    bool *set;             /* set to true when the option is given (may be NULL for a value) */
} cl_opt;

/* What a command takes besides its options. */
typedef struct cl_args {
    const char *cmd;       /* the command's name, for messages ("build") */
    const char *help;      /* its help text, printed by --help */
    const char *what;      /* what its arguments are ("course file"), NULL when it takes none */
    const char **pos;      /* the arguments, in order (the caller's array) */
    size_t max_pos, n_pos;
} cl_args;

/* Read argv[first..argc) against opts (ended by an entry whose name is NULL). Returns 0
 * when all is well, -1 when the help was printed (exit 0), 2 after printing a usage
 * error on stderr ("classeur: build: …" and where the help is). */
int cl_args_read(int argc, char **argv, int first, const cl_opt *opts, cl_args *a);
#endif
