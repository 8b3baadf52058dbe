/* args.c: reading a command's options (see args.h). */
#include "args.h"
#include "../util/i18n.h"
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int fail(const cl_args *a, const cl_opt *opts, bool list, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* "classeur: CMD: message", the options accepted when asked, and where the help is. */
static int fail(const cl_args *a, const cl_opt *opts, bool list, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "classeur: %s: ", a->cmd);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    if (list) {
        fputs(_(" (accepted:"), stderr);
        for (const cl_opt *o = opts; o->name; o++)
            fprintf(stderr, "%s --%s", o == opts ? "" : ",", o->name);
        fputs(")", stderr);
    }
    fprintf(stderr, _("\nclasseur: 'classeur help %s' shows its options\n"), a->cmd);
    return 2;
}

/* Record option o with value v (NULL for a flag). */
static int take(const cl_args *a, const cl_opt *opts, const cl_opt *o, const char *v)
{
    if (o->value) {
        if (*o->value && (!o->set || *o->set))
            return fail(a, opts, false, _("--%s is given twice (it takes one value: give it once)"), o->name);
        *o->value = v;
    }
    if (o->set)
        *o->set = true;
    return 0;
}

int cl_args_read(int argc, char **argv, int first, const cl_opt *opts, cl_args *a)
{
    a->n_pos = 0;
    bool only_args = false;
    for (int i = first; i < argc; i++) {
        const char *s = argv[i];
        if (only_args || s[0] != '-' || !s[1]) {
            if (!a->what)
                return fail(a, opts, false, _("takes no argument (got '%s')"), s);
            if (a->n_pos == a->max_pos)
                return fail(a, opts, false, _("too many %ss (at most %zu)"), _(a->what), a->max_pos);
            a->pos[a->n_pos++] = s;
            continue;
        }
        if (!strcmp(s, "--")) {
            only_args = true;
            continue;
        }
        if (!strcmp(s, "--help") || !strcmp(s, "-h")) {
            fputs(_(a->help), stdout);
            return -1;
        }
        const cl_opt *o = NULL;
        const char *v = NULL;
        if (s[1] == '-') { /* --name, --name=value */
            const char *eq = strchr(s + 2, '=');
            size_t len = eq ? (size_t)(eq - s - 2) : strlen(s + 2);
            for (const cl_opt *p = opts; p->name && !o; p++)
                if (strlen(p->name) == len && !strncmp(p->name, s + 2, len))
                    o = p;
            if (!o)
                return fail(a, opts, true, _("unknown option '%.*s'"), (int)(len + 2), s);
            if (eq && !o->value)
                return fail(a, opts, false, _("--%s takes no value (got '%s')"), o->name, eq + 1);
            v = eq ? eq + 1 : NULL;
        } else { /* -x, -x VALUE, -xVALUE */
            for (const cl_opt *p = opts; p->name && !o; p++)
                if (p->letter && p->letter == s[1])
                    o = p;
            if (!o)
                return fail(a, opts, true, _("unknown option '%s'"), s);
            if (s[2] && !o->value)
                return fail(a, opts, false, _("-%c takes no value (got '%s')"), o->letter, s);
            v = s[2] ? s + 2 : NULL;
        }
        if (o->value && !v) {
            if (i + 1 >= argc)
                return fail(a, opts, false, _("--%s needs a value"), o->name);
            v = argv[++i];
        }
        int rc = take(a, opts, o, v);
        if (rc)
            return rc;
    }
    return 0;
}
