/* importfile.c: imported records into a data folder (see exchange.h, cl_import_into).
 *
 * The records become YAML text (written with libyaml's emitter, so every value reads
 * back as written), appended after a comment to the resources file; their addresses are
 * appended to addresses.yaml by cl_addresses_update. Both files are replaced atomically,
 * and the first one is put back as it was when the second cannot be written. */
#include "exchange.h"
#include "../model/addrfile.h"
#include "../util/files.h"
#include "../util/utf8.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <yaml.h>

static const char *const type_names[CL_RES_TYPE_COUNT] = {"article", "rapport", "site", "podcast", "video"};

/* Words left out of a made id: French and English articles, prepositions, conjunctions. */
static bool stop_word(const char *w, size_t n)
{
    static const char *const words[] = {"le", "la", "les", "l", "de", "des", "du", "d", "un", "une", "et", "en",
                                        "au", "aux", "a", "pour", "par", "sur", "dans", "the", "of", "and",
                                        "an", "to", "in", "on", "for", "with", "ou", "qu", "que", "s", NULL};
    for (size_t i = 0; words[i]; i++)
        if (strlen(words[i]) == n && !memcmp(words[i], w, n))
            return true;
    return false;
}

/* Append to b up to max_words words of s (folded to ASCII lower case, stop words and the
 * year `skip_year` left out when skip_stop), each after a '-'. */
static void id_words(cl_buf *b, const char *s, size_t max_words, bool skip_stop, int skip_year)
{
    char year[16];
    snprintf(year, sizeof year, "%d", skip_year);
    char *f = s ? cl_utf8_fold(s) : NULL;
    if (!f)
        return;
    size_t taken = 0;
    for (const char *p = f; *p && taken < max_words;) {
        while (*p && !((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9')))
            p++;
        const char *w = p;
        while ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9'))
            p++;
        size_t n = (size_t)(p - w);
        if (!n || (skip_stop && (stop_word(w, n) || (strlen(year) == n && !memcmp(year, w, n)))))
            continue;
        if (b->len)
            cl_buf_putc(b, '-');
        cl_buf_put(b, w, n);
        taken++;
    }
    free(f);
}

/* The record's key as an id: as it is when valid, else a citation key written with
 * capitals, '_', ':' or '.' ("Arcep_barometre_2019" → "arcep-barometre-2019"); NULL for
 * anything else (a Zotero address such as "http://zotero.org/users/…/items/AB12"). */
static const char *key_id(cl_arena *a, const char *key)
{
    if (!key || !*key)
        return NULL;
    if (cl_id_valid(key))
        return key;
    size_t n = strlen(key);
    if (n > 64)
        return NULL;
    char *id = cl_arena_strdup(a, key);
    if (!id)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        char ch = id[i];
        if (ch >= 'A' && ch <= 'Z')
            id[i] = (char)(ch - 'A' + 'a');
        else if (ch == '_' || ch == ':' || ch == '.')
            id[i] = '-';
        else if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-'))
            return NULL;
    }
    return cl_id_valid(id) && !strstr(id, "--") ? id : NULL;
}

/* An id for a record without a usable key: first author, three words of the title, year
 * ("leglye-personne-six-utilise-2019"), cut to the id's 64 bytes; "ref-…" when it would
 * not start with a letter. */
static char *made_id(cl_arena *a, const cl_xrecord *r)
{
    cl_buf b = {0};
    if (r->n_authors) {
        const cl_author *au = &r->authors[0];
        id_words(&b, au->org ? au->org : au->family, au->org ? 1 : 2, false, 0);
    }
    id_words(&b, r->title, 3, true, r->date.year);
    if (r->date.year)
        cl_buf_printf(&b, "%s%d", b.len ? "-" : "", r->date.year);
    if (!b.len)
        cl_buf_puts(&b, "ref");
    const char *s = cl_buf_str(&b);
    char *id = cl_arena_printf(a, "%s%.*s", (s[0] >= 'a' && s[0] <= 'z') ? "" : "ref-", 60, s);
    cl_buf_free(&b);
    if (!id)
        return NULL;
    size_t n = strlen(id);
    while (n && id[n - 1] == '-')
        id[--n] = 0;
    return id;
}

/* ---- YAML through libyaml's emitter ---------------------------------------------------- */

typedef struct emit {
    yaml_emitter_t em;
    yaml_event_t ev;
    bool ok;
} emit;

static int to_buf(void *data, unsigned char *buffer, size_t size)
{
    cl_buf_put(data, buffer, size);
    return 1;
}

static void emit_event(emit *e)
{
    if (e->ok && !yaml_emitter_emit(&e->em, &e->ev))
        e->ok = false;
}

static void scalar(emit *e, const char *s, yaml_scalar_style_t style)
{
    if (!e->ok)
        return;
    if (!yaml_scalar_event_initialize(&e->ev, NULL, NULL, (yaml_char_t *)s, (int)strlen(s), 1, 1, style))
        e->ok = false;
    emit_event(e);
}

static void pair(emit *e, const char *key, const char *value, yaml_scalar_style_t style)
{
    if (!value || !*value)
        return;
    scalar(e, key, YAML_PLAIN_SCALAR_STYLE);
    scalar(e, value, style);
}

static void mapping(emit *e, bool start)
{
    if (!e->ok)
        return;
    if (start ? !yaml_mapping_start_event_initialize(&e->ev, NULL, NULL, 1, YAML_BLOCK_MAPPING_STYLE)
              : !yaml_mapping_end_event_initialize(&e->ev))
        e->ok = false;
    emit_event(e);
}

static void sequence(emit *e, bool start)
{
    if (!e->ok)
        return;
    if (start ? !yaml_sequence_start_event_initialize(&e->ev, NULL, NULL, 1, YAML_BLOCK_SEQUENCE_STYLE)
              : !yaml_sequence_end_event_initialize(&e->ev))
        e->ok = false;
    emit_event(e);
}

static const char *iso_date(cl_arena *a, cl_date d)
{
    if (!d.year)
        return NULL;
    if (!d.month)
        return cl_arena_printf(a, "%04d", d.year);
    if (!d.day)
        return cl_arena_printf(a, "%04d-%02d", d.year, d.month);
    return cl_arena_printf(a, "%04d-%02d-%02d", d.year, d.month, d.day);
}

static const char *duration_text(cl_arena *a, int s)
{
    if (s <= 0)
        return NULL;
    if (s >= 3600)
        return cl_arena_printf(a, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
    return cl_arena_printf(a, "%02d:%02d", s / 60, s % 60);
}

/* The records recs[i] with keep[i], with their ids, as a YAML block sequence in out. */
static bool records_yaml(cl_arena *a, cl_buf *out, const cl_xrecord *recs, const char *const *ids,
                         const bool *keep, size_t n)
{
    emit e = {.ok = true};
    if (!yaml_emitter_initialize(&e.em))
        return false;
    yaml_emitter_set_output(&e.em, to_buf, out);
    yaml_emitter_set_unicode(&e.em, 1);
    yaml_emitter_set_width(&e.em, -1);
    yaml_emitter_set_indent(&e.em, 2);
    e.ok = yaml_stream_start_event_initialize(&e.ev, YAML_UTF8_ENCODING);
    emit_event(&e);
    e.ok = e.ok && yaml_document_start_event_initialize(&e.ev, NULL, NULL, NULL, 1);
    emit_event(&e);
    sequence(&e, true);
    for (size_t i = 0; i < n; i++) {
        if (!keep[i])
            continue;
        const cl_xrecord *r = &recs[i];
        mapping(&e, true);
        pair(&e, "id", ids[i], YAML_PLAIN_SCALAR_STYLE);
        pair(&e, "type", type_names[r->type], YAML_PLAIN_SCALAR_STYLE);
        if (r->n_authors) {
            scalar(&e, "authors", YAML_PLAIN_SCALAR_STYLE);
            sequence(&e, true);
            for (size_t k = 0; k < r->n_authors; k++) {
                const cl_author *au = &r->authors[k];
                mapping(&e, true);
                if (au->org) {
                    pair(&e, "org", au->org, YAML_ANY_SCALAR_STYLE);
                } else {
                    pair(&e, "family", au->family, YAML_ANY_SCALAR_STYLE);
                    pair(&e, "given", au->given, YAML_ANY_SCALAR_STYLE);
                }
                mapping(&e, false);
            }
            sequence(&e, false);
        }
        pair(&e, "title", r->title, YAML_ANY_SCALAR_STYLE);
        pair(&e, "container", r->container, YAML_ANY_SCALAR_STYLE);
        pair(&e, "publisher", r->publisher, YAML_ANY_SCALAR_STYLE);
        pair(&e, "volume", r->volume, YAML_SINGLE_QUOTED_SCALAR_STYLE);
        pair(&e, "issue", r->issue, YAML_SINGLE_QUOTED_SCALAR_STYLE);
        pair(&e, "date", iso_date(a, r->date), YAML_SINGLE_QUOTED_SCALAR_STYLE);
        pair(&e, "pages", r->pages, YAML_SINGLE_QUOTED_SCALAR_STYLE);
        pair(&e, "duration", duration_text(a, r->duration_s), YAML_SINGLE_QUOTED_SCALAR_STYLE);
        pair(&e, "description", r->description, YAML_ANY_SCALAR_STYLE);
        mapping(&e, false);
    }
    sequence(&e, false);
    e.ok = e.ok && yaml_document_end_event_initialize(&e.ev, 1);
    emit_event(&e);
    e.ok = e.ok && yaml_stream_end_event_initialize(&e.ev);
    emit_event(&e);
    bool ok = e.ok && yaml_emitter_flush(&e.em) && !out->failed;
    yaml_emitter_delete(&e.em);
    return ok;
}

/* ---- clashes ------------------------------------------------------------------------------ */

/* Title folded (accents, case, spacing), for "the same title". NULL when out of memory. */
static char *title_key(cl_arena *a, const char *title)
{
    cl_buf b = {0};
    id_words(&b, title, 1000, false, 0);
    char *k = cl_arena_strdup(a, cl_buf_str(&b));
    cl_buf_free(&b);
    return k;
}

static bool id_taken(const cl_catalog *have, const char *const *ids, size_t n_ids, const char *id)
{
    if (have && cl_catalog_resource(have, id))
        return true;
    for (size_t i = 0; i < n_ids; i++)
        if (ids[i] && !strcmp(ids[i], id))
            return true;
    return false;
}


bool cl_import_into(cl_arena *a, const char *dir, const char *file_name, const char *comment,
                    const cl_xrecord *recs, size_t n, const cl_catalog *have, cl_import_result *res,
                    cl_diags *d, const char *source, cl_err *err)
{
    *res = (cl_import_result){0};
    const char **ids = cl_arena_alloc(a, (n ? n : 1) * sizeof *ids);
    bool *keep = cl_arena_alloc(a, (n ? n : 1) * sizeof *keep);
    const char **tkeys = cl_arena_alloc(a, (n ? n : 1) * sizeof *tkeys);
    if (!ids || !keep || !tkeys) {
        cl_err_set(err, CL_E_NOMEM, "out of memory");
        return false;
    }
    size_t n_have = have ? have->n_resources : 0;
    const char **have_keys = cl_arena_alloc(a, (n_have ? n_have : 1) * sizeof *have_keys);
    if (!have_keys) {
        cl_err_set(err, CL_E_NOMEM, "out of memory");
        return false;
    }
    for (size_t k = 0; k < n_have; k++)
        have_keys[k] = have->resources[k]->title ? title_key(a, have->resources[k]->title) : NULL;
    for (size_t i = 0; i < n; i++) {
        const cl_xrecord *r = &recs[i];
        ids[i] = NULL;
        keep[i] = false;
        tkeys[i] = title_key(a, r->title);
        if (!tkeys[i]) {
            cl_err_set(err, CL_E_NOMEM, "out of memory");
            return false;
        }
        /* the same title and year as a record of the folder, or of this file */
        const char *same = NULL;
        for (size_t k = 0; k < n_have && !same; k++)
            if (have_keys[k] && have->resources[k]->date.year == r->date.year && !strcmp(have_keys[k], tkeys[i]))
                same = have->resources[k]->id;
        for (size_t k = 0; k < i && !same; k++)
            if (keep[k] && recs[k].date.year == r->date.year && !strcmp(tkeys[k], tkeys[i]))
                same = ids[k];
        if (same) {
            cl_diags_add(d, CL_WARNING, source, r->line, r->col,
                         "'%s' (%d) is already in the data as '%s': skipped (existing records are never overwritten)",
                         r->title, r->date.year, same);
            res->skipped++;
            continue;
        }
        const char *kid = key_id(a, r->key);
        if (kid) {
            if (id_taken(have, ids, i, kid)) {
                cl_diags_add(d, CL_WARNING, source, r->line, r->col,
                             "id '%s' is already in the data: record skipped (existing records are never overwritten)",
                             kid);
                res->skipped++;
                continue;
            }
            ids[i] = kid;
        } else {
            char *id = made_id(a, r);
            if (!id) {
                cl_err_set(err, CL_E_NOMEM, "out of memory");
                return false;
            }
            const char *unique = id;
            for (int k = 2; id_taken(have, ids, i, unique); k++)
                unique = cl_arena_printf(a, "%.58s-%d", id, k);
            ids[i] = unique;
        }
        keep[i] = true;
        res->added++;
    }
    if (!res->added)
        return true;

    /* the resources file: its text as it is, a comment, the records */
    const char *rdir = cl_arena_printf(a, "%s/resources", dir);
    const char *rpath = cl_arena_printf(a, "%s/%s", rdir, file_name);
    res->resources_path = rpath;
    res->addresses_path = cl_arena_printf(a, "%s/addresses.yaml", dir);
    if (!cl_make_dirs(rdir, err))
        return false;
    cl_buf old = {0}, text = {0};
    bool missing;
    if (!cl_read_file(rpath, 64u << 20, &old, &missing, err)) {
        cl_buf_free(&old);
        return false;
    }
    cl_buf_put(&text, old.data, old.len);
    if (text.len && text.data[text.len - 1] != '\n')
        cl_buf_putc(&text, '\n');
    if (text.len)
        cl_buf_putc(&text, '\n');
    if (comment)
        cl_buf_printf(&text, "# %s\n", comment);
    if (!records_yaml(a, &text, recs, ids, keep, n)) {
        cl_err_set(err, CL_E_NOMEM, "%s: the records could not be written as YAML (out of memory)", rpath);
        cl_buf_free(&old);
        cl_buf_free(&text);
        return false;
    }
    bool ok = cl_write_file_atomic(rpath, text.data, text.len, err);
    cl_buf_free(&text);

    /* the addresses */
    size_t n_edits = 0;
    cl_address_edit *edits = cl_arena_alloc(a, n * sizeof *edits);
    if (ok && !edits) {
        cl_err_set(err, CL_E_NOMEM, "out of memory");
        ok = false;
    }
    for (size_t i = 0; ok && i < n; i++)
        if (keep[i] && recs[i].url && *recs[i].url)
            edits[n_edits++] = (cl_address_edit){.id = ids[i], .url = recs[i].url, .accessed = recs[i].accessed};
    if (ok && n_edits && !cl_addresses_update(res->addresses_path, edits, n_edits, err)) {
        /* put the resources file back as it was */
        cl_err undo = {0};
        if (!missing)
            (void)!cl_write_file_atomic(rpath, old.data, old.len, &undo);
        else
            remove(rpath);
        ok = false;
    }
    cl_buf_free(&old);
    if (ok)
        res->addresses = n_edits;
    return ok;
}
