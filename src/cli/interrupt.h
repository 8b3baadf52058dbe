/* interrupt.h: what Classeur does when it is interrupted (Ctrl-C: SIGINT; kill: SIGTERM).
 *
 * The handler forwards the signal to the build jobs running in child processes and waits
 * for them, removes the temporary files of the documents being written (their previous
 * versions stay in place; documents already finished are complete, being renamed into
 * place whole), prints one line saying what was done, and exits with 128 + the signal
 * (130 for SIGINT, 143 for SIGTERM). Everything it calls is async-signal-safe: the line
 * it prints is prepared beforehand with cl_interrupt_set_summary(). SIGXFSZ (a file size
 * limit reached) is ignored, so that the write fails with EFBIG and is reported as any
 * other write error instead of killing the process. */
#ifndef CL_INTERRUPT_H
#define CL_INTERRUPT_H
#include <stdatomic.h>
#include <stddef.h>
#include <sys/types.h>

/* Install the handlers, with "nothing was written" as the summary. Call first in main. */
void cl_interrupt_install(void);
/* The summary printed after "classeur: interrupted (SIGINT): " (copied, cut to 1 KB). */
void cl_interrupt_set_summary(const char *text);
/* From now on the line says how many of n documents are in place in out: done[i] is
 * set to 1 (by any process: the array may be shared memory) once document i is. done
 * and out are borrowed until cl_interrupt_untrack(). */
void cl_interrupt_track(const atomic_int *done, size_t n, const char *out);
/* The build is over: its last count becomes the summary, and done is released. */
void cl_interrupt_untrack(void);
/* A child process the handler forwards the signal to, and its end. */
void cl_interrupt_add_child(pid_t pid);
void cl_interrupt_remove_child(pid_t pid);
/* In a child just forked: no children of its own, no parent's temporary files, and an
 * interruption exits silently (the parent reports). */
void cl_interrupt_in_child(void);
#endif
