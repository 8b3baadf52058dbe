/* build.c: the build driver (see build.h).
 *
 * Each document is a job: compose it, write it with the PDF device, and report its page
 * count and warnings. With jobs > 1 the jobs run in child processes (fork: they share the
 * loaded catalogue, fonts and hyphenation patterns without copying them) and report
 * through a pipe; the parent prints each document's progress line and warnings in
 * document order, so the output is the same whatever the number of jobs, and so are the
 * files (every document is composed and written the same way). */
#include "build.h"
#include "interrupt.h"
#include "../compose/documents.h"
#include "../render/pdf.h"
#include "../util/buf.h"
#include "../util/files.h"
#include "../util/i18n.h"
#include <errno.h>
#include <poll.h>
#include <stdatomic.h>
#include <sys/mman.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

typedef struct job {
    const cl_course *course;   /* NULL: the whole-dossier binder */
    int kind;
    char dir[PATH_MAX];
    char file[256];            /* handout.pdf, or handout-LAYOUT.pdf in another layout */
    cl_layout lay;
    /* the result */
    bool done, ok;
    size_t pages;
    cl_buf warnings;           /* one warning a line */
    cl_err err;
    /* a child running it */
    pid_t pid;
    int fd;
    cl_buf msg;                /* what the child sent so far */
    atomic_int *in_place;      /* set to 1 once the PDF is in place (shared with the child) */
} job;

/* The file writer's on_committed: the job's PDF is in place. */
static void mark_in_place(void *ctx)
{
    atomic_store((atomic_int *)ctx, 1);
}

static cl_device *make_pdf(void *writer)
{
    return cl_pdf_device_new(writer);
}

/* Compose the document and write it; fill the job's result. */
static void run_job(const cl_setup *s, job *j)
{
    char path[PATH_MAX + 256];
    snprintf(path, sizeof path, "%s/%s", j->dir, j->file);
    cl_file_writer fw;
    cl_file_writer_single(&fw, path);
    fw.on_committed = mark_in_place;
    fw.commit_ctx = j->in_place;
    cl_doc_report rep = {0};
    cl_device *dev = cl_document_write(s->cat, j->course, j->kind, s->fonts, s->hyph, &j->lay, make_pdf, &fw.w, &rep,
                                       &j->err);
    j->done = true;
    j->ok = dev && cl_device_close(dev, &j->err);
    cl_device_drop(dev);
    if (!j->ok) {
        if (!strstr(j->err.msg, path))
            cl_err_about(&j->err, "making %s", path);
        cl_err_about(&j->err, "any previous version of it is kept");
    }
    j->pages = rep.pages;
    /* the warnings, each with the file it is about */
    const char *w = cl_buf_str(&rep.warnings);
    while (*w) {
        const char *nl = strchr(w, '\n');
        size_t len = nl ? (size_t)(nl - w) : strlen(w);
        cl_buf_printf(&j->warnings, "%s: %.*s\n", path, (int)len, w);
        w += len + (nl ? 1 : 0);
    }
    cl_buf_free(&rep.warnings);
}

/* The result as the child sends it: "pages N\n", "code C\n", the error message up to
 * "\n", then the warnings. */
static void send_result(int fd, const job *j)
{
    cl_buf b = {0};
    cl_buf_printf(&b, "pages %zu\ncode %d\n%s\n", j->ok ? j->pages : 0, j->ok ? 0 : (int)(j->err.code ? j->err.code : CL_E_RENDER),
                  j->err.msg);
    cl_buf_put(&b, j->warnings.data, j->warnings.len);
    size_t off = 0;
    while (off < b.len) {
        ssize_t w = write(fd, b.data + off, b.len - off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            break;
        off += (size_t)w;
    }
    cl_buf_free(&b);
}

/* Read a finished child's message into its job. */
static void take_result(job *j, int status)
{
    j->done = true;
    const char *m = cl_buf_str(&j->msg);
    size_t pages = 0;
    int code = CL_E_RENDER;
    /* (no "\n%n" in the format: a white-space directive would also swallow an empty
     * message line, and the first warning with it) */
    const char *second = strchr(m, '\n'), *third = second ? strchr(second + 1, '\n') : NULL;
    if (third && sscanf(m, "pages %zu", &pages) == 1 && sscanf(second + 1, "code %d", &code) == 1) {
        const char *msg = third + 1, *nl = strchr(msg, '\n');
        if (nl) {
            if (code)
                cl_err_set(&j->err, code, "%.*s", (int)(nl - msg), msg);
            cl_buf_puts(&j->warnings, nl + 1);
        }
        j->pages = pages;
        j->ok = code == 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0;
    }
    if (!j->ok && !j->err.code)
        cl_err_set(&j->err, CL_E_RENDER, "%s/%s: the process writing it stopped (%s %d)", j->dir, j->file,
                   WIFSIGNALED(status) ? _("signal") : _("status"),
                   WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
    cl_buf_free(&j->msg);
}

/* Start job j in a child process; false (err set) when it cannot. */
static bool start_child(const cl_setup *s, job *j, cl_err *err)
{
    int p[2];
    if (pipe(p) != 0) {
        cl_err_set(err, CL_E_IO, "cannot start a build job (%s)", strerror(errno));
        return false;
    }
    fflush(stdout);
    fflush(stderr);
    /* no interruption between fork and the child knowing it is one (its handler would
     * speak for the parent), nor before the parent knows the child's pid */
    sigset_t block, old;
    sigemptyset(&block);
    sigaddset(&block, SIGINT);
    sigaddset(&block, SIGTERM);
    sigprocmask(SIG_BLOCK, &block, &old);
    pid_t pid = fork();
    if (pid < 0) {
        sigprocmask(SIG_SETMASK, &old, NULL);
        close(p[0]);
        close(p[1]);
        cl_err_set(err, CL_E_IO, "cannot start a build job (%s)", strerror(errno));
        return false;
    }
    if (pid == 0) {
        cl_interrupt_in_child();
        sigprocmask(SIG_SETMASK, &old, NULL);
        close(p[0]);
        run_job(s, j);
        send_result(p[1], j);
        close(p[1]);
        _exit(j->ok ? 0 : 1);
    }
    cl_interrupt_add_child(pid);
    sigprocmask(SIG_SETMASK, &old, NULL);
    close(p[1]);
    j->pid = pid;
    j->fd = p[0];
    return true;
}

/* Wait for some running child to finish and record its result. */
static void wait_one(job *jobs, size_t n)
{
    for (;;) {
        struct pollfd pf[256];
        size_t idx[256], k = 0;
        for (size_t i = 0; i < n && k < 256; i++)
            if (jobs[i].pid > 0) {
                pf[k] = (struct pollfd){jobs[i].fd, POLLIN, 0};
                idx[k++] = i;
            }
        if (!k)
            return;
        if (poll(pf, k, -1) < 0) {
            if (errno == EINTR)
                continue;
            return;
        }
        for (size_t m = 0; m < k; m++) {
            if (!pf[m].revents)
                continue;
            job *j = &jobs[idx[m]];
            char buf[4096];
            ssize_t r = read(j->fd, buf, sizeof buf);
            if (r > 0) {
                cl_buf_put(&j->msg, buf, (size_t)r);
                continue;
            }
            if (r < 0 && errno == EINTR)
                continue;
            /* end of the message: the child is done */
            close(j->fd);
            int status = 0;
            while (waitpid(j->pid, &status, 0) < 0 && errno == EINTR)
                ;
            cl_interrupt_remove_child(j->pid);
            j->pid = 0;
            take_result(j, status);
            return;
        }
    }
}

/* Print the progress line and the warnings of job i of total. */
static void report(const cl_build_request *req, const job *j, size_t i, size_t total)
{
    if (req->progress) {
        const char *name = strrchr(j->dir, '/');
        fprintf(stderr, "[%zu/%zu] %s %s\n", i + 1, total, name ? name + 1 : j->dir, j->file);
    }
    /* at most three warnings of a kind (unless --verbose), then how many more */
    enum { MAX_SHOWN = 3, MAX_KINDS = 32 };
    char kinds[MAX_KINDS][256];
    size_t counts[MAX_KINDS], n_kinds = 0, hidden = 0;
    const char *w = cl_buf_str(&j->warnings);
    while (*w) {
        const char *nl = strchr(w, '\n');
        size_t len = nl ? (size_t)(nl - w) : strlen(w);
        char line[1024], kind[256];
        snprintf(line, sizeof line, "%.*s", (int)len, w);
        const char *msg = strstr(line, ": ") ? strstr(line, ": ") + 2 : line; /* after the file's path */
        cl_diag_kind(msg, kind, sizeof kind);
        size_t k = 0;
        while (k < n_kinds && strcmp(kinds[k], kind))
            k++;
        if (k == n_kinds && n_kinds < MAX_KINDS) {
            memcpy(kinds[n_kinds], kind, sizeof kind);
            counts[n_kinds++] = 0;
        }
        bool show = req->verbose || k >= MAX_KINDS || counts[k]++ < MAX_SHOWN;
        if (show)
            fprintf(stderr, _("classeur: warning: %.*s\n"), (int)len, w);
        else
            hidden++;
        w += len + (nl ? 1 : 0);
    }
    if (hidden)
        fprintf(stderr,
                n_("classeur: warning: %zu more warning like those above (--verbose lists them all)\n",
                   "classeur: warning: %zu more warnings like those above (--verbose lists them all)\n", hidden),
                hidden);
}

/* What a document's file name says of its layout: "" for the default, else the
 * layout's name (a layout file's name without its folder and .yaml). */
static void layout_tag(const char *name, char *tag, size_t size)
{
    const char *base = strrchr(name, '/');
    base = base ? base + 1 : name;
    size_t n = strlen(base);
    if (n > 5 && !strcmp(base + n - 5, ".yaml"))
        n -= 5;
    else if (n > 4 && !strcmp(base + n - 4, ".yml"))
        n -= 4;
    if (n == 7 && !strncmp(base, "default", 7))
        n = 0;
    snprintf(tag, size, "%.*s", (int)n, base);
}

bool cl_build(const cl_setup *s, const cl_build_request *req, cl_build_report *rep, cl_err *err)
{
    const char *out = req->out_dir ? req->out_dir : "out";
    cl_layout lay;
    /* every layout is checked before anything is written, each once */
    const char *checked[64];
    size_t n_checked = 0;
    for (size_t i = 0; i <= req->n_courses; i++) {
        if (i == req->n_courses && !req->dossier_binder)
            break;
        const cl_course *co = i < req->n_courses ? req->courses[i] : NULL;
        const char *name = req->layout ? req->layout : (co && co->layout ? co->layout : "default");
        bool seen = false;
        for (size_t k = 0; k < n_checked && !seen; k++)
            seen = !strcmp(checked[k], name);
        if (seen)
            continue;
        if (n_checked < 64)
            checked[n_checked++] = name;
        size_t errors = cl_setup_layout(s, co, req->layout, &lay, true);
        if (errors) {
            cl_err_set(err, CL_E_DATA,
                       n_("the layout has %zu error; nothing was written",
                          "the layout has %zu errors; nothing was written", errors),
                       errors);
            return false;
        }
    }
    /* the documents, in order */
    static const struct {
        int kind;
        const char *file;
    } kinds[] = {{CL_DOC_HANDOUT, "handout"}, {CL_DOC_STUDY, "study"}, {CL_DOC_BINDER, "binder"}};
    size_t cap = req->n_courses * 3 + 1, n = 0;
    job *jobs = calloc(cap, sizeof *jobs);
    if (!jobs) {
        cl_err_set(err, CL_E_NOMEM, "out of memory");
        return false;
    }
    for (size_t i = 0; i <= req->n_courses; i++) {
        const cl_course *co = i < req->n_courses ? req->courses[i] : NULL;
        if (!co && !req->dossier_binder)
            break;
        if (cl_setup_layout(s, co, req->layout, &lay, true)) { /* checked above: only memory can fail now */
            cl_err_set(err, CL_E_DATA, "the layout has errors; nothing was written");
            free(jobs);
            return false;
        }
        for (size_t k = 0; k < 3; k++) {
            if (co ? !(req->kinds & kinds[k].kind) : kinds[k].kind != CL_DOC_BINDER)
                continue;
            job *j = &jobs[n++];
            j->course = co;
            j->kind = kinds[k].kind;
            char tag[128];
            layout_tag(req->layout ? req->layout : (co && co->layout ? co->layout : "default"), tag, sizeof tag);
            snprintf(j->file, sizeof j->file, "%s%s%s.pdf", kinds[k].file, tag[0] ? "-" : "", tag);
            j->lay = lay;
            snprintf(j->dir, sizeof j->dir, "%s/%s", out, co ? co->id : "dossier");
        }
    }
    int parallel = req->jobs > 1 && n > 1 ? (req->jobs < 256 ? req->jobs : 256) : 1;
    bool failed = false;
    rep->planned = n;
    /* which documents are in place, set by the process writing each (shared memory) */
    atomic_int *in_place = mmap(NULL, (n ? n : 1) * sizeof *in_place, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (in_place == MAP_FAILED) {
        cl_err_set(err, CL_E_NOMEM, "out of memory (%s)", strerror(errno));
        free(jobs);
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        atomic_init(&in_place[i], 0);
        jobs[i].in_place = &in_place[i];
    }
    cl_interrupt_track(in_place, n, out);
    if (parallel == 1) {
        for (size_t i = 0; i < n && !failed; i++) {
            report(req, &jobs[i], i, n); /* the line before the work: a long document shows what it is doing */
            cl_buf_clear(&jobs[i].warnings);
            run_job(s, &jobs[i]);
            cl_build_request quiet = *req;
            quiet.progress = false;
            report(&quiet, &jobs[i], i, n);
            if (jobs[i].ok) {
                rep->documents++;
                rep->pages += jobs[i].pages;
            } else {
                failed = true;
                *err = jobs[i].err;
            }
        }
    } else {
        size_t next = 0, reported = 0, running = 0;
        bool stop = false; /* a job failed: start no more */
        for (;;) {
            while (!stop && next < n && running < (size_t)parallel) {
                if (!start_child(s, &jobs[next], err)) {
                    stop = failed = true;
                    break;
                }
                next++;
                running++;
            }
            if (!running)
                break;
            wait_one(jobs, n);
            running--;
            for (size_t i = 0; i < n; i++)
                if (jobs[i].done && !jobs[i].ok)
                    stop = true;
            /* report, in document order, what is done */
            while (reported < next && jobs[reported].done) {
                job *jb = &jobs[reported];
                report(req, jb, reported, n);
                if (jb->ok) {
                    rep->documents++;
                    rep->pages += jb->pages;
                } else if (!failed) {
                    failed = true;
                    if (!err->code)
                        *err = jb->err;
                }
                reported++;
            }
        }
    }
    for (size_t i = 0; i < n; i++) {
        cl_buf_free(&jobs[i].warnings);
        cl_buf_free(&jobs[i].msg);
    }
    cl_interrupt_untrack();
    munmap(in_place, (n ? n : 1) * sizeof *in_place);
    free(jobs);
    return !failed;
}
