/* diag.c: diagnostics list and sticky error values (see diag.h). */
#include "diag.h"
#include "i18n.h"
#include "utf8.h"
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* The message in the user's language (an empty format stays empty: gettext("") is the
 * catalogue's header). */
static const char *tr(const char *fmt)
{
    return fmt[0] ? _(fmt) : fmt;
}

static char *vfmt(const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0)
        return NULL;
    char *p = malloc((size_t)n + 1);
    if (p)
        vsnprintf(p, (size_t)n + 1, fmt, ap);
    return p;
}

void cl_diags_add(cl_diags *d, cl_severity sev, const char *file, int line, int col,
                  const char *fmt, ...)
{
    if (sev == CL_ERROR)
        d->errors++;
    else
        d->warnings++;
    if (d->n == d->cap) {
        size_t cap = d->cap ? d->cap * 2 : 32;
        cl_diag *p = realloc(d->items, cap * sizeof *p);
        if (!p)
            return;
        d->items = p;
        d->cap = cap;
    }
    va_list ap;
    va_start(ap, fmt);
    char *msg = vfmt(tr(fmt), ap);
    va_end(ap);
    if (!msg)
        return;
    cl_diag *x = &d->items[d->n++];
    x->file = file ? strdup(file) : NULL;
    x->line = line;
    x->col = col;
    x->sev = sev;
    x->msg = msg;
}

void cl_diags_print(const cl_diags *d, FILE *out)
{
    cl_diags_print_min(d, out, CL_WARNING);
}

/* The one line of a diagnostic. */
static void print_one(const cl_diag *x, FILE *out)
{
    const char *sev = x->sev == CL_ERROR ? _("error") : _("warning");
    if (x->file && x->line > 0)
        fprintf(out, "%s:%d:%d: %s: %s\n", x->file, x->line, x->col, sev, x->msg);
    else if (x->file)
        fprintf(out, "%s: %s: %s\n", x->file, sev, x->msg);
    else
        fprintf(out, "classeur: %s: %s\n", sev, x->msg);
}

void cl_diag_print_source(const cl_diag *x, FILE *out)
{
    print_one(x, out);
    if (x->sev != CL_ERROR || !x->file || x->line <= 0)
        return;
    FILE *f = fopen(x->file, "rb");
    if (!f)
        return;
    char line[512];
    int n = 0;
    bool found = false;
    while (fgets(line, sizeof line, f)) {
        bool whole = strchr(line, '\n') != NULL;
        if (++n == x->line) {
            found = true;
            break;
        }
        while (!whole && fgets(line, sizeof line, f)) /* the rest of a long line */
            whole = strchr(line, '\n') != NULL;
    }
    fclose(f);
    if (!found)
        return;
    line[strcspn(line, "\r\n")] = 0;
    /* shown as text: an invalid byte or a control character (what the error may be
     * about) becomes U+FFFD */
    char shown[3 * sizeof line];
    size_t m = 0, len = strlen(line);
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        size_t l = cl_utf8_decode(line + i, len - i, &cp);
        bool bad = !l || (cp < 0x20 && cp != '\t') || cp == 0x7F;
        if (bad) {
            memcpy(shown + m, "\xEF\xBF\xBD", 3);
            m += 3;
        } else {
            memcpy(shown + m, line + i, l);
            m += l;
        }
        i += l ? l : 1;
    }
    shown[m] = 0;
    /* the caret under the column: a tab stays a tab, a character is one column */
    char under[512];
    size_t k = 0;
    int col = 1;
    for (size_t i = 0; line[i] && col < x->col && k + 1 < sizeof under; i++) {
        if (((unsigned char)line[i] & 0xC0) == 0x80)
            continue; /* a continuation byte: same column */
        under[k++] = line[i] == '\t' ? '\t' : ' ';
        col++;
    }
    under[k] = 0;
    fprintf(out, "%5d | %s\n      | %s^\n", x->line, shown, under);
}

void cl_diags_print_source(const cl_diags *d, FILE *out, cl_severity min)
{
    for (size_t i = 0; i < d->n; i++)
        if (d->items[i].sev >= min)
            cl_diag_print_source(&d->items[i], out);
}

void cl_diags_print_min(const cl_diags *d, FILE *out, cl_severity min)
{
    for (size_t i = 0; i < d->n; i++) {
        const cl_diag *x = &d->items[i];
        if (x->sev >= min)
            print_one(x, out);
    }
    size_t lost = d->errors + d->warnings - d->n; /* counted, but no memory to keep them */
    if (lost)
        fprintf(out, n_("classeur: error: %zu more message lost (out of memory)\n",
                        "classeur: error: %zu more messages lost (out of memory)\n", lost),
                lost);
}

void cl_diags_free(cl_diags *d)
{
    for (size_t i = 0; i < d->n; i++) {
        free(d->items[i].file);
        free(d->items[i].msg);
    }
    free(d->items);
    *d = (cl_diags){0};
}

bool cl_diags_contains(const cl_diags *d, const char *needle)
{
    for (size_t i = 0; i < d->n; i++)
        if (strstr(d->items[i].msg, needle))
            return true;
    return false;
}

void cl_err_set(cl_err *e, int code, const char *fmt, ...)
{
    if (!e || e->code)
        return;
    e->code = code;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->msg, sizeof e->msg, tr(fmt), ap);
    va_end(ap);
}

void cl_err_where(cl_err *e, const char *file, int line, int col)
{
    if (!e || !e->code || e->placed || !file)
        return;
    char head[512], msg[sizeof e->msg];
    int h = snprintf(head, sizeof head, "%s:%d:%d: ", file, line, col);
    if (h < 0 || (size_t)h >= sizeof head)
        return;
    size_t keep = sizeof msg - (size_t)h - 1;
    memcpy(msg, head, (size_t)h);
    size_t n = strnlen(e->msg, keep);
    memcpy(msg + h, e->msg, n);
    msg[(size_t)h + n] = 0;
    memcpy(e->msg, msg, sizeof msg);
    e->placed = true;
}

void cl_err_about(cl_err *e, const char *fmt, ...)
{
    if (!e || !e->code)
        return;
    size_t n = strlen(e->msg);
    if (n + 3 >= sizeof e->msg)
        return;
    memcpy(e->msg + n, "; ", 3);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->msg + n + 2, sizeof e->msg - n - 2, tr(fmt), ap);
    va_end(ap);
}

void cl_diag_kind(const char *msg, char *out, size_t n)
{
    size_t k = 0;
    bool quoted = false;
    for (const char *p = msg; *p && k + 1 < n; p++) {
        if (*p == '\'') {
            quoted = !quoted;
            continue;
        }
        if (!quoted && !(*p >= '0' && *p <= '9'))
            out[k++] = *p;
    }
    if (n)
        out[k] = 0;
}
