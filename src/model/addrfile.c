/* addrfile.c: in-place edits of addresses.yaml (see addrfile.h). */
#include "addrfile.h"
#include "yamltree.h"
#include "../util/buf.h"
#include "../util/files.h"
#include "../util/i18n.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One change of the text: characters [col0, col1) of line replaced by text, or, when
 * col0 is 0, text inserted as whole lines after line (0: at the very end). */
typedef struct change {
    int line, col0, col1;
    const char *text;
    size_t seq;  /* order of the edits, so equal positions keep it */
} change;

typedef struct changes {
    change *v;
    size_t n, cap;
} changes;

static bool add_change(cl_arena *a, changes *cs, change c)
{
    change *nv = cl_arena_grow(a, cs->v, cs->n, &cs->cap, sizeof *nv, 16);
    if (!nv)
        return false;
    cs->v = nv;
    c.seq = cs->n;
    cs->v[cs->n++] = c;
    return true;
}

/* A scalar as YAML: plain when that reads back the same, else double-quoted. */
static const char *yaml_scalar(cl_arena *a, const char *s, bool force_quotes)
{
    bool plain = !force_quotes && *s && !strchr("-?:,[]{}#&*!|>'\"%@` ", s[0]) && !strstr(s, ": ") &&
                 !strstr(s, " #") && s[strlen(s) - 1] != ':' && s[strlen(s) - 1] != ' ';
    for (const char *p = s; plain && *p; p++)
        if ((unsigned char)*p < 0x20)
            plain = false;
    if (plain)
        return cl_arena_strdup(a, s);
    cl_buf b = {0};
    cl_buf_putc(&b, '"');
    for (const char *p = s; *p; p++) {
        if (*p == '"' || *p == '\\')
            cl_buf_putc(&b, '\\');
        if ((unsigned char)*p < 0x20)
            cl_buf_printf(&b, "\\x%02X", (unsigned char)*p);
        else
            cl_buf_putc(&b, *p);
    }
    cl_buf_putc(&b, '"');
    char *out = b.failed ? NULL : cl_arena_strndup(a, cl_buf_str(&b), b.len);
    cl_buf_free(&b);
    return out;
}

static const char *iso_date(cl_arena *a, cl_date d)
{
    if (!d.month)
        return cl_arena_printf(a, "%04d", d.year);
    if (!d.day)
        return cl_arena_printf(a, "%04d-%02d", d.year, d.month);
    return cl_arena_printf(a, "%04d-%02d-%02d", d.year, d.month, d.day);
}

static const cl_ynode *map_get(const cl_ynode *map, const char *key, const cl_ynode **key_node)
{
    for (size_t i = 0; map && map->kind == CL_YMAP && i + 1 < map->n; i += 2)
        if (map->items[i]->kind == CL_YSCALAR && !strcmp(map->items[i]->str, key)) {
            if (key_node)
                *key_node = map->items[i];
            return map->items[i + 1];
        }
    return NULL;
}

/* Byte offset of 1-based character column col in the line starting at s (of n bytes). */
static size_t col_offset(const char *s, size_t n, int col)
{
    size_t i = 0;
    for (int c = 1; c < col && i < n; c++) {
        i++;
        while (i < n && ((unsigned char)s[i] & 0xC0) == 0x80)
            i++;
    }
    return i;
}

static int cmp_change(const void *x, const void *y)
{
    const change *a = x, *b = y;
    /* from the end of the file backwards, so earlier positions stay valid */
    int la = a->line ? a->line : 1 << 30, lb = b->line ? b->line : 1 << 30;
    if (la != lb)
        return lb - la;
    if ((a->col0 == 0) != (b->col0 == 0))
        return a->col0 == 0 ? -1 : 1; /* insertions after a line go after its replacements */
    if (a->col0 != b->col0)
        return b->col0 - a->col0;
    /* insertions at one place are put in front of each other: the last edit first */
    return a->seq < b->seq ? 1 : a->seq > b->seq ? -1 : 0;
}

/* The changes of one edit of an existing record. */
static bool edit_record(cl_arena *a, const char *path, const char *text, const cl_ynode *root,
                        const cl_address_edit *e, changes *cs, cl_err *err)
{
    const cl_ynode *rec = NULL;
    for (size_t i = 0; root && root->kind == CL_YSEQ && i < root->n && !rec; i++)
        if (root->items[i]->line == e->rec->pos.line && root->items[i]->col == e->rec->pos.col)
            rec = root->items[i];
    if (!rec || rec->kind != CL_YMAP) {
        cl_err_set(err, CL_E_DATA, "%s:%d: no address record there any more (was the file changed meanwhile?)", path,
                   e->rec->pos.line);
        return false;
    }
    /* the record's first character: a flow mapping "{…}" cannot take a new line */
    size_t line_start = 0;
    for (int l = 1; l < rec->line && text[line_start]; l++)
        line_start += strcspn(text + line_start, "\n") + (text[line_start + strcspn(text + line_start, "\n")] ? 1 : 0);
    const char *ls = text + line_start;
    if (ls[col_offset(ls, strcspn(ls, "\n"), rec->col)] == '{') {
        cl_err_set(err, CL_E_DATA, "%s:%d:%d: this record is written on one line ({…}); write it as a block (one key a line) so it can be updated",
                   path, rec->line, rec->col);
        return false;
    }
    const cl_ynode *addr_key = NULL, *addr = map_get(rec, "address", &addr_key);
    if (!addr || addr->kind != CL_YSCALAR || addr->end_line != addr->line) {
        cl_err_set(err, CL_E_DATA, "%s:%d:%d: the address of this record is not a one-line text", path, rec->line,
                   rec->col);
        return false;
    }
    if (e->url && !add_change(a, cs, (change){addr->line, addr->col, addr->end_col, yaml_scalar(a, e->url, false), 0}))
        return false;
    if (e->accessed.year) {
        const char *date = iso_date(a, e->accessed);
        const cl_ynode *acc = map_get(rec, "accessed", NULL);
        if (acc && acc->kind == CL_YSCALAR && acc->end_line == acc->line && !cl_ynode_is_null(acc)) {
            if (!add_change(a, cs, (change){acc->line, acc->col, acc->end_col, date, 0}))
                return false;
        } else if (acc) {
            cl_err_set(err, CL_E_DATA, "%s:%d:%d: 'accessed' of this record is not a one-line date", path, acc->line,
                       acc->col);
            return false;
        } else {
            const char *line = cl_arena_printf(a, "%*saccessed: %s", addr_key->col - 1, "", date);
            if (!add_change(a, cs, (change){addr->end_line, 0, 0, line, 0}))
                return false;
        }
    }
    return true;
}

/* The lines of a new record, indented like the file's other records. */
static const char *new_record(cl_arena *a, const cl_address_edit *e, int dash_col)
{
    int ind = dash_col - 1;
    cl_buf b = {0};
    cl_buf_printf(&b, "%*s- id: %s\n", ind, "", e->id);
    if (e->link)
        cl_buf_printf(&b, "%*s  link: %s\n", ind, "", yaml_scalar(a, e->link, true));
    cl_buf_printf(&b, "%*s  address: %s\n", ind, "", yaml_scalar(a, e->url, false));
    if (e->accessed.year)
        cl_buf_printf(&b, "%*s  accessed: %s\n", ind, "", iso_date(a, e->accessed));
    b.len && b.data[b.len - 1] == '\n' ? (void)(b.data[--b.len] = 0) : (void)0;
    char *out = b.failed ? NULL : cl_arena_strndup(a, cl_buf_str(&b), b.len);
    cl_buf_free(&b);
    return out;
}

/* Read the whole file (a heap string the caller frees); *missing is set when it does
 * not exist. */
static char *read_all(const char *path, size_t *n, bool *missing, cl_err *err)
{
    cl_buf b = {0};
    *n = 0;
    if (!cl_read_file(path, (size_t)CL_YAML_MAX_FILE, &b, missing, err)) {
        cl_buf_free(&b);
        return NULL;
    }
    *n = b.len;
    return b.data ? b.data : calloc(1, 1);
}

bool cl_addresses_update(const char *path, const cl_address_edit *edits, size_t n, cl_err *err)
{
    size_t len;
    bool missing;
    char *text = read_all(path, &len, &missing, err);
    if (!text)
        return false;
    cl_arena *a = cl_arena_new();
    cl_diags d = {0};
    bool ok = a != NULL;
    if (!ok)
        cl_err_set(err, CL_E_NOMEM, "%s: out of memory", path);
    size_t bom = len >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3) ? 3 : 0;
    bool parsed = false;
    const cl_ynode *root = ok ? cl_yaml_load_mem(a, path, text + bom, len - bom, &d, &parsed) : NULL;
    if (ok && !parsed) {
        cl_err_set(err, CL_E_DATA, "%s: not updated: the file has errors (run 'classeur check')", path);
        ok = false;
    }
    if (ok && root && root->kind != CL_YSEQ) {
        cl_err_set(err, CL_E_DATA, "%s: not updated: the file must hold a list of address records", path);
        ok = false;
    }
    changes cs = {0};
    int dash_col = 1;
    if (ok && root && root->n)
        dash_col = root->items[0]->col > 2 ? root->items[0]->col - 2 : 1;
    if (ok && root && root->n && text[bom] == '[') {
        cl_err_set(err, CL_E_DATA, "%s: not updated: the list is written on one line ([…]); write one record a block", path);
        ok = false;
    }
    for (size_t i = 0; ok && i < n; i++) {
        const cl_address_edit *e = &edits[i];
        if (e->rec)
            ok = edit_record(a, path, text + bom, root, e, &cs, err);
        else if (!e->id || !e->url) {
            cl_err_set(err, CL_E_USAGE, "%s: a new address record needs an id and an address", path);
            ok = false;
        } else {
            const char *rec = new_record(a, e, dash_col);
            ok = rec && add_change(a, &cs, (change){0, 0, 0, rec, 0});
            if (!ok && !err->code)
                cl_err_set(err, CL_E_NOMEM, "%s: out of memory", path);
        }
    }
    cl_buf out = {0};
    if (ok) {
        /* split into lines, apply the changes from the end backwards, join again */
        const char *body = text + bom;
        size_t blen = len - bom, nlines = 1;
        for (size_t i = 0; i < blen; i++)
            nlines += body[i] == '\n';
        const char **line = calloc(nlines + 1, sizeof *line);
        size_t *llen = calloc(nlines + 1, sizeof *llen);
        cl_buf *extra = calloc(nlines + 2, sizeof *extra); /* lines inserted after line i */
        if (!line || !llen || !extra) {
            cl_err_set(err, CL_E_NOMEM, "%s: out of memory", path);
            ok = false;
        }
        size_t k = 0;
        for (size_t i = 0, start = 0; ok && i <= blen; i++)
            if (i == blen || body[i] == '\n') {
                line[k] = body + start;
                llen[k++] = i - start;
                start = i + 1;
            }
        cl_buf *edited = ok ? calloc(nlines + 1, sizeof *edited) : NULL;
        if (ok && !edited) {
            cl_err_set(err, CL_E_NOMEM, "%s: out of memory", path);
            ok = false;
        }
        if (ok) {
            qsort(cs.v, cs.n, sizeof *cs.v, cmp_change);
            for (size_t i = 0; i < k; i++)
                cl_buf_put(&edited[i], line[i], llen[i]);
            for (size_t i = 0; i < cs.n; i++) {
                const change *c = &cs.v[i];
                if (c->col0 == 0) { /* whole lines after line c->line (0: at the end) */
                    size_t at = c->line ? (size_t)c->line : nlines + 1;
                    cl_buf tmp = {0};
                    cl_buf_puts(&tmp, c->text);
                    cl_buf_putc(&tmp, '\n');
                    cl_buf_put(&tmp, cl_buf_str(&extra[at]), extra[at].len);
                    cl_buf_free(&extra[at]);
                    extra[at] = tmp;
                    continue;
                }
                cl_buf *L = &edited[c->line - 1];
                size_t o0 = col_offset(L->data ? L->data : "", L->len, c->col0);
                size_t o1 = col_offset(L->data ? L->data : "", L->len, c->col1);
                cl_buf tmp = {0};
                cl_buf_put(&tmp, L->data, o0);
                cl_buf_puts(&tmp, c->text);
                cl_buf_put(&tmp, L->data + o1, L->len - o1);
                cl_buf_free(L);
                *L = tmp;
            }
            cl_buf_put(&out, text, bom);
            /* a file without a final newline: the last "line" is empty or unterminated */
            bool final_nl = blen == 0 || body[blen - 1] == '\n';
            size_t last = final_nl ? k - 1 : k; /* lines holding text */
            for (size_t i = 0; i < last; i++) {
                cl_buf_put(&out, edited[i].data, edited[i].len);
                cl_buf_putc(&out, '\n');
                cl_buf_put(&out, extra[i + 1].data, extra[i + 1].len);
            }
            cl_buf_put(&out, extra[nlines + 1].data, extra[nlines + 1].len);
            for (size_t i = 0; i < k; i++)
                cl_buf_free(&edited[i]);
            if (out.failed) {
                cl_err_set(err, CL_E_NOMEM, "%s: out of memory", path);
                ok = false;
            }
        }
        for (size_t i = 0; extra && i < nlines + 2; i++)
            cl_buf_free(&extra[i]);
        free(edited);
        free(line);
        free(llen);
        free(extra);
    }
    if (ok) {
        /* the result must read back as a list of records before it replaces the file */
        cl_diags d2 = {0};
        bool again = false;
        const cl_ynode *r2 = cl_yaml_load_mem(a, path, out.data + bom, out.len - bom, &d2, &again);
        if (!again || (r2 && r2->kind != CL_YSEQ)) {
            cl_err_set(err, CL_E_DATA, "%s: not updated: the edited text would not read back as YAML", path);
            ok = false;
        }
        cl_diags_free(&d2);
    }
    if (ok)
        ok = cl_write_file_atomic(path, out.data ? out.data : "", out.len, err);
    cl_buf_free(&out);
    cl_diags_free(&d);
    cl_arena_drop(a);
    free(text);
    (void)missing;
    return ok;
}
