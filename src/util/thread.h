/* thread.h: starting the worker threads of Classeur (PDF compression, font subsetting,
 * QR prefetch). They are started with SIGINT and SIGTERM blocked, so the process's
 * signal handler (cli/interrupt.c) always runs on the main thread, which owns the
 * registry of temporary files it removes. */
#ifndef CL_THREAD_H
#define CL_THREAD_H
#include <pthread.h>
#include <stdbool.h>

/* pthread_create(t, NULL, fn, arg) with the interrupting signals blocked in the new
 * thread. Returns false when the thread could not be started (the caller then does the
 * work itself). */
bool cl_thread_start(pthread_t *t, void *(*fn)(void *), void *arg);
#endif
