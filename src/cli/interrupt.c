/* interrupt.c: clean exits on SIGINT and SIGTERM (see interrupt.h). */
#include "interrupt.h"
#include "../util/files.h"
#include <errno.h>
#include <signal.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_CHILDREN 256
static atomic_int children[MAX_CHILDREN]; /* pids, 0 for a free slot */
static atomic_int is_child;
/* two summaries: the one being written and the one the handler may read */
static char summaries[2][1024];
static atomic_int current;
/* the documents of a build (cl_interrupt_track) */
static const atomic_int *_Atomic track_done;
static size_t track_n;
static const char *track_out;

/* Where the words of the line go: stderr (in the handler: write(2), no stdio), or a
 * buffer. */
typedef struct sink {
    char *buf;                  /* NULL: stderr */
    size_t cap, len;
} sink;

static void say(sink *k, const char *s)
{
    size_t n = strlen(s);
    if (k->buf) {
        if (n > k->cap - 1 - k->len)
            n = k->cap - 1 - k->len;
        memcpy(k->buf + k->len, s, n);
        k->len += n;
        k->buf[k->len] = 0;
        return;
    }
    while (n) {
        ssize_t w = write(STDERR_FILENO, s, n);
        if (w <= 0)
            return;
        s += w;
        n -= (size_t)w;
    }
}

static void say_number(sink *k, size_t v)
{
    char buf[24], *p = buf + sizeof buf;
    *--p = 0;
    do
        *--p = (char)('0' + v % 10);
    while ((v /= 10) && p > buf);
    say(k, p);
}

/* The line of a tracked build: how many documents are in place. */
static void say_documents(sink *k, const atomic_int *done)
{
    size_t n = 0;
    for (size_t i = 0; i < track_n; i++)
        n += atomic_load(&done[i]) != 0;
    if (!n) {
        say(k, "no document was finished; ");
        say(k, track_out);
        say(k, " is as it was");
    } else if (n == track_n) {
        say(k, "all ");
        say_number(k, n);
        say(k, n == 1 ? " document was written in " : " documents were written in ");
        say(k, track_out);
    } else {
        say_number(k, n);
        say(k, " of ");
        say_number(k, track_n);
        say(k, " documents were written in ");
        say(k, track_out);
        say(k, "; the other ");
        say_number(k, track_n - n);
        say(k, " were not (their previous versions are kept)");
    }
}

static void on_signal(int sig)
{
    for (int i = 0; i < MAX_CHILDREN; i++) {
        pid_t p = atomic_load(&children[i]);
        if (p > 0)
            kill(p, sig);
    }
    for (int i = 0; i < MAX_CHILDREN; i++) {
        pid_t p = atomic_load(&children[i]);
        if (p > 0)
            while (waitpid(p, NULL, 0) < 0 && errno == EINTR)
                ;
    }
    cl_files_remove_temporaries();
    if (!atomic_load(&is_child)) {
        sink k = {0};
        say(&k, sig == SIGINT ? "\nclasseur: interrupted (Ctrl-C): " : "\nclasseur: interrupted (SIGTERM): ");
        const atomic_int *done = atomic_load(&track_done);
        if (done)
            say_documents(&k, done);
        else
            say(&k, summaries[atomic_load(&current)]);
        say(&k, "\n");
    }
    _exit(128 + sig);
}

void cl_interrupt_install(void)
{
    cl_interrupt_set_summary("nothing was written");
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaddset(&sa.sa_mask, SIGINT); /* one interruption at a time */
    sigaddset(&sa.sa_mask, SIGTERM);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    signal(SIGXFSZ, SIG_IGN);
}

void cl_interrupt_set_summary(const char *text)
{
    int next = !atomic_load(&current);
    size_t n = strlen(text);
    if (n >= sizeof summaries[next])
        n = sizeof summaries[next] - 1;
    memcpy(summaries[next], text, n);
    summaries[next][n] = 0;
    atomic_store(&current, next);
}

void cl_interrupt_track(const atomic_int *done, size_t n, const char *out)
{
    atomic_store(&track_done, NULL);
    track_n = n;
    track_out = out;
    atomic_store(&track_done, done);
}

void cl_interrupt_untrack(void)
{
    const atomic_int *done = atomic_load(&track_done);
    if (!done)
        return;
    char line[1024];
    sink k = {line, sizeof line, 0};
    line[0] = 0;
    say_documents(&k, done);
    cl_interrupt_set_summary(line); /* what stays true once the build is over */
    atomic_store(&track_done, NULL);
}

void cl_interrupt_add_child(pid_t pid)
{
    for (int i = 0; i < MAX_CHILDREN; i++) {
        int free_slot = 0;
        if (atomic_compare_exchange_strong(&children[i], &free_slot, (int)pid))
            return;
    }
}

void cl_interrupt_remove_child(pid_t pid)
{
    for (int i = 0; i < MAX_CHILDREN; i++) {
        int p = (int)pid;
        if (atomic_compare_exchange_strong(&children[i], &p, 0))
            return;
    }
}

void cl_interrupt_in_child(void)
{
    atomic_store(&is_child, 1);
    for (int i = 0; i < MAX_CHILDREN; i++)
        atomic_store(&children[i], 0);
    cl_files_forget_temporaries();
}
