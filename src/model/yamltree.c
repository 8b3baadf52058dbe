/* yamltree.c: libyaml event stream → cl_ynode tree, with the limits of yamltree.h. */
#include "yamltree.h"
#include "../util/i18n.h"
#include "../util/utf8.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

typedef struct frame {
    cl_ynode *node;
    cl_ynode **kids;
    size_t n, cap;
} frame;

static void line_col(const char *data, size_t off, int *line, int *col)
{
    int l = 1, c = 1;
    for (size_t i = 0; i < off; i++) {
        if (data[i] == '\n') {
            l++;
            c = 1;
        } else if (((unsigned char)data[i] & 0xC0) != 0x80) {
            c++;
        }
    }
    *line = l;
    *col = c;
}

static bool push_kid(frame *f, cl_ynode *k)
{
    if (f->n == f->cap) {
        size_t cap = f->cap ? f->cap * 2 : 8;
        cl_ynode **p = realloc(f->kids, cap * sizeof *p);
        if (!p)
            return false;
        f->kids = p;
        f->cap = cap;
    }
    f->kids[f->n++] = k;
    return true;
}

const char *cl_ynode_kind_name(const cl_ynode *n)
{
    if (!n)
        return _("nothing");
    switch (n->kind) {
    case CL_YSCALAR: return cl_ynode_is_null(n) ? _("an empty value") : _("a text");
    case CL_YSEQ: return _("a list");
    default: return _("a mapping");
    }
}

bool cl_ynode_is_null(const cl_ynode *n)
{
    return n && n->kind == CL_YSCALAR && n->plain &&
           (n->len == 0 || !strcmp(n->str, "~") || !strcmp(n->str, "null") ||
            !strcmp(n->str, "Null") || !strcmp(n->str, "NULL"));
}

/* libyaml's syntax error in words a teacher can act on, at the place to change: the
 * line of a key without its ':' (libyaml notices on the next line), a tab, a ': '
 * inside a value; else libyaml's own words. *l, *c: where to point. */
/* The byte offset of a libyaml mark (0-based line, and column counted in characters:
 * its index counts characters too, not bytes). */
static size_t offset_of(const char *data, size_t len, const yaml_mark_t *m)
{
    size_t i = 0;
    for (size_t line = 0; line < m->line && i < len; i++)
        if (data[i] == '\n')
            line++;
    for (size_t col = 0; col < m->column && i < len && data[i] != '\n'; col++) {
        i++;
        while (i < len && ((unsigned char)data[i] & 0xC0) == 0x80)
            i++;
    }
    return i;
}

static void explain(const yaml_parser_t *p, const char *data, size_t len, int *l, int *c, char *why, size_t n)
{
    const char *problem = p->problem ? p->problem : _("unreadable YAML"), *context = p->context ? p->context : "";
    size_t at = offset_of(data, len, &p->problem_mark);
    if (strstr(problem, "could not find expected ':'") && strstr(context, "simple key")) {
        *l = (int)p->context_mark.line + 1;
        *c = (int)p->context_mark.column + 1;
        size_t from = offset_of(data, len, &p->context_mark), to = from;
        while (to < len && data[to] != '\n' && data[to] != '\r' && to - from < 60)
            to++;
        snprintf(why, n, _("'%.*s' has no ':' after its key (accepted: 'key: value', or '- value' in a list)"),
                 (int)(to - from), data + from);
    } else if ((strstr(problem, "cannot start any token") && at < len && data[at] == '\t') || strstr(problem, "tab")) {
        snprintf(why, n, "%s", _("a tab character (indent with spaces: YAML does not accept tabs)"));
    } else if (strstr(problem, "mapping values are not allowed")) {
        /* the ':' found is the first of its line: a key indented under the line above;
         * else a second ': ' in a line, inside its value */
        size_t bol = at;
        while (bol > 0 && data[bol - 1] != '\n')
            bol--;
        const char *first = memchr(data + bol, ':', at - bol);
        size_t key = bol;
        while (key < at && data[key] == ' ')
            key++;
        if (!first && key > bol) {
            *c = (int)(key - bol) + 1; /* at the key */
            snprintf(why, n, _("'%.*s' is indented under the line above (the keys of one record start in the same column)"),
                     (int)(at - key), data + key);
        } else {
            snprintf(why, n, "%s",
                     _("': ' inside a value (put the whole value between double quotes, e.g. title: \"Santé : la "
                       "révolution numérique ?\")"));
        }
    } else {
        snprintf(why, n, "%s%s%s", problem, *context ? " " : "", context);
    }
}

cl_ynode *cl_yaml_load_mem(cl_arena *a, const char *name, const char *data, size_t len,
                           cl_diags *diags, bool *ok)
{
    *ok = true;
    size_t bad;
    if (!cl_utf8_valid(data, len, &bad)) {
        int l, c;
        line_col(data, bad, &l, &c);
        cl_diags_add(diags, CL_ERROR, name, l, c,
                     "invalid UTF-8 byte 0x%02X (data files must be UTF-8 encoded)",
                     (unsigned char)data[bad]);
        *ok = false;
        return NULL;
    }
    if (len >= 3 && !memcmp(data, "\xEF\xBB\xBF", 3)) { /* tolerate a BOM */
        data += 3;
        len -= 3;
    }
    yaml_parser_t p;
    if (!yaml_parser_initialize(&p)) {
        cl_diags_add(diags, CL_ERROR, name, 0, 0, "out of memory starting the YAML parser");
        *ok = false;
        return NULL;
    }
    yaml_parser_set_input_string(&p, (const unsigned char *)data, len);
    yaml_parser_set_encoding(&p, YAML_UTF8_ENCODING);

    frame stack[CL_YAML_MAX_DEPTH + 1];
    int depth = 0;
    cl_ynode *root = NULL;
    int docs = 0;
    bool done = false;
    while (!done) {
        yaml_event_t ev;
        if (!yaml_parser_parse(&p, &ev)) {
            int l = (int)p.problem_mark.line + 1, c = (int)p.problem_mark.column + 1;
            if (p.error == YAML_READER_ERROR)
                line_col(data, p.problem_offset < len ? p.problem_offset : len, &l, &c);
            char why[512]; /* room for a translation */
            explain(&p, data, len, &l, &c, why, sizeof why);
            cl_diags_add(diags, CL_ERROR, name, l, c, "YAML syntax error: %s", why);
            *ok = false;
            break;
        }
        int line = (int)ev.start_mark.line + 1, col = (int)ev.start_mark.column + 1;
        cl_ynode *node = NULL;
        switch (ev.type) {
        case YAML_STREAM_END_EVENT:
            done = true;
            break;
        case YAML_DOCUMENT_START_EVENT:
            if (++docs > 1) {
                cl_diags_add(diags, CL_ERROR, name, line, col,
                             "a second YAML document (one document per file)");
                *ok = false;
                done = true;
            }
            break;
        case YAML_ALIAS_EVENT:
            cl_diags_add(diags, CL_ERROR, name, line, col,
                         "YAML alias '*%s' (aliases and anchors are not accepted in Classeur data; write the value out)",
                         (const char *)ev.data.alias.anchor);
            *ok = false;
            done = true;
            break;
        case YAML_SCALAR_EVENT:
            if (ev.data.scalar.length > CL_YAML_MAX_SCALAR) {
                cl_diags_add(diags, CL_ERROR, name, line, col,
                             "text of %zu bytes is too long (at most %d bytes per value)",
                             (size_t)ev.data.scalar.length, CL_YAML_MAX_SCALAR);
                *ok = false;
                done = true;
                break;
            }
            node = CL_NEW(a, cl_ynode);
            if (node) {
                node->kind = CL_YSCALAR;
                node->str = cl_arena_strndup(a, (const char *)ev.data.scalar.value,
                                             ev.data.scalar.length);
                node->len = ev.data.scalar.length;
                node->plain = ev.data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
                if (!node->str)
                    node = NULL;
            }
            break;
        case YAML_SEQUENCE_START_EVENT:
        case YAML_MAPPING_START_EVENT:
            if (depth >= CL_YAML_MAX_DEPTH) {
                cl_diags_add(diags, CL_ERROR, name, line, col,
                             "nesting deeper than %d levels (Classeur data needs a few)",
                             CL_YAML_MAX_DEPTH);
                *ok = false;
                done = true;
                break;
            }
            node = CL_NEW(a, cl_ynode);
            if (node)
                node->kind = ev.type == YAML_SEQUENCE_START_EVENT ? CL_YSEQ : CL_YMAP;
            break;
        default:
            break;
        }
        if ((ev.type == YAML_SCALAR_EVENT || ev.type == YAML_SEQUENCE_START_EVENT ||
             ev.type == YAML_MAPPING_START_EVENT) && !done) {
            if (!node) {
                cl_diags_add(diags, CL_ERROR, name, line, col, "out of memory");
                *ok = false;
                done = true;
            } else {
                node->line = line;
                node->col = col;
                node->end_line = (int)ev.end_mark.line + 1;
                node->end_col = (int)ev.end_mark.column + 1;
                if (depth > 0) {
                    if (!push_kid(&stack[depth - 1], node)) {
                        cl_diags_add(diags, CL_ERROR, name, line, col, "out of memory");
                        *ok = false;
                        done = true;
                    }
                } else {
                    root = node;
                }
                if (node->kind != CL_YSCALAR && !done)
                    stack[depth++] = (frame){node, NULL, 0, 0};
            }
        }
        if ((ev.type == YAML_SEQUENCE_END_EVENT || ev.type == YAML_MAPPING_END_EVENT) &&
            depth > 0) {
            frame *f = &stack[--depth];
            f->node->items = CL_NEWN(a, cl_ynode *, f->n ? f->n : 1);
            if (f->node->items && f->n)
                memcpy(f->node->items, f->kids, f->n * sizeof(cl_ynode *));
            f->node->n = f->node->items ? f->n : 0;
            free(f->kids);
        }
        yaml_event_delete(&ev);
    }
    while (depth > 0)
        free(stack[--depth].kids);
    yaml_parser_delete(&p);
    return *ok ? root : NULL;
}

cl_ynode *cl_yaml_load_file(cl_arena *a, const char *path, cl_diags *diags, bool *ok)
{
    *ok = false;
    FILE *f = fopen(path, "rb");
    if (!f) {
        cl_diags_add(diags, CL_ERROR, path, 0, 0, "cannot open: %s", strerror(errno));
        return NULL;
    }
    char *buf = NULL;
    size_t len = 0, cap = 0;
    for (;;) {
        if (len == cap) {
            cap = cap ? cap * 2 : 65536;
            if (cap > (size_t)CL_YAML_MAX_FILE + 1)
                cap = (size_t)CL_YAML_MAX_FILE + 1; /* one byte more tells a larger file */
            if (len >= (size_t)CL_YAML_MAX_FILE + 1) {
                cl_diags_add(diags, CL_ERROR, path, 0, 0,
                             "file larger than %d MB (data files are small texts)",
                             CL_YAML_MAX_FILE / (1024 * 1024));
                free(buf);
                fclose(f);
                return NULL;
            }
            char *nb = realloc(buf, cap);
            if (!nb) {
                cl_diags_add(diags, CL_ERROR, path, 0, 0, "out of memory reading the file");
                free(buf);
                fclose(f);
                return NULL;
            }
            buf = nb;
        }
        size_t got = fread(buf + len, 1, cap - len, f);
        len += got;
        if (got == 0)
            break;
    }
    bool rerr = ferror(f);
    fclose(f);
    if (rerr) {
        cl_diags_add(diags, CL_ERROR, path, 0, 0, "read error");
        free(buf);
        return NULL;
    }
    if (len > CL_YAML_MAX_FILE) {
        cl_diags_add(diags, CL_ERROR, path, 0, 0,
                     "file larger than %d MB (data files are small texts)",
                     CL_YAML_MAX_FILE / (1024 * 1024));
        free(buf);
        return NULL;
    }
    cl_ynode *root = cl_yaml_load_mem(a, path, buf ? buf : "", len, diags, ok);
    free(buf);
    return root;
}
