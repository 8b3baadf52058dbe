/* documents.c: composing a document of a given kind and layout in passes, into devices
 * (see documents.h). */
#include "documents.h"
#include "compose.h"
#include "impose.h"
#include "qr.h"
#include "layoutfile.h"
#include <stdlib.h>
#include <string.h>

int cl_doc_kind_parse(const char *s)
{
    if (!strcmp(s, "handout"))
        return CL_DOC_HANDOUT;
    if (!strcmp(s, "study"))
        return CL_DOC_STUDY;
    if (!strcmp(s, "binder"))
        return CL_DOC_BINDER;
    return 0;
}

bool cl_document_layout(cl_layout *out, const cl_course *course, const char *name, const char *layouts_dir,
                        cl_diags *diags)
{
    const char *want = name ? name : (course && course->layout ? course->layout : "default");
    const cl_srcpos *at = !name && course && course->layout && course->layout_pos.line ? &course->layout_pos : NULL;
    if (!at)
        return cl_layout_load(out, layouts_dir, want, diags);
    cl_diags ld = {0};
    bool ok = cl_layout_load(out, layouts_dir, want, &ld);
    for (size_t k = 0; k < ld.n; k++) {
        const cl_diag *g = &ld.items[k];
        if (!g->line) /* no place in a layout file: the course named a layout that is not there */
            cl_diags_add(diags, g->sev, at->file, at->line, at->col, "%s", g->msg);
        else
            cl_diags_add(diags, g->sev, g->file, g->line, g->col, "%s", g->msg);
    }
    cl_diags_free(&ld);
    return ok;
}

void cl_check_layouts(const cl_catalog *cat, const char *layouts_dir, const char *name, cl_diags *diags)
{
    const char *seen[64];
    size_t n_seen = 0;
    for (size_t i = 0; i <= cat->n_courses; i++) {
        const cl_course *co = i < cat->n_courses ? cat->courses[i] : NULL; /* NULL: the dossier binder */
        const char *want = name ? name : (co && co->layout ? co->layout : "default");
        bool again = false;
        for (size_t k = 0; k < n_seen && !again; k++)
            again = !strcmp(seen[k], want);
        if (again || n_seen == sizeof seen / sizeof seen[0])
            continue;
        seen[n_seen++] = want;
        cl_layout l;
        if (!cl_document_layout(&l, co, name, layouts_dir, diags))
            continue; /* its problems are in diags */
    }
}

void cl_pass_begin(cl_pass *pass, cl_fonts *fonts, const char *title, const char *author, const char *subject,
                   const char *keywords, bool outline_open, const char *back)
{
    pass->info = (cl_docinfo){fonts, title, author, subject, keywords, "fr-FR", outline_open, pass->prev_total};
    pass->back = back;
    if (pass->dev)
        cl_device_begin(pass->dev, &pass->info);
}

typedef bool compose_fn(cl_composer *c, const cl_course *course);

/* An allocation of the composition failed, whatever its caller made of the NULL (a
 * title left out of the metadata…): an error, never a silently poorer document. */
static bool arena_failed(const cl_composer *c, cl_err *err)
{
    if (!cl_arena_failed(c->da) && !cl_arena_failed(c->scratch))
        return false;
    cl_err_set(err, CL_E_NOMEM, "out of memory");
    return true;
}

static cl_device *make_recorder(void *ctx)
{
    (void)ctx;
    return cl_recorder_new();
}

/* Is the document small enough to hold every box at once (composed once, laid out
 * twice)? Course documents (a teacher's selection) and binders up to 1,500 entries are;
 * larger ones are composed in streaming passes, a few pages in memory at a time. */
static bool small_enough(const cl_catalog *cat, const cl_course *course, int kind)
{
    const char *force = getenv("CLASSEUR_STREAM"); /* tests: the streaming passes for any document */
    if (force && *force == '1')
        return false;
    if (course && kind != CL_DOC_BINDER)
        return course->n_items <= 1000;
    size_t entries = 0;
    for (size_t i = 0; i < cat->n_sections; i++)
        entries += cat->sections[i]->n_entries;
    if (course)
        entries = entries < course->n_items * 4 ? entries : course->n_items * 4;
    return entries <= 1500;
}

/* The addresses whose codes the document prints: its resources' and their sub-links'
 * (heap array of borrowed strings; *n gets how many). */
static const char **addresses(const cl_catalog *cat, const cl_course *course, int kind, size_t *n)
{
    *n = 0;
    size_t cap = 64;
    const char **v = malloc(cap * sizeof *v);
    if (!v)
        return NULL;
    const cl_resource *one;
    size_t total = 0;
    for (size_t i = 0; i < cat->n_sections; i++)
        total += cat->sections[i]->n_entries;
    size_t count = course && kind != CL_DOC_BINDER ? course->n_items : (course ? course->n_items : total);
    for (size_t i = 0, k = 0; i < count || (!course && k < total); i++) {
        if (course) {
            one = course->items[i].resource;
        } else { /* the dossier's entries in reading order */
            one = NULL;
            for (size_t s = 0, base = 0; s < cat->n_sections && !one; base += cat->sections[s]->n_entries, s++)
                if (k < base + cat->sections[s]->n_entries)
                    one = cat->sections[s]->entries[k - base].resource;
            k++;
        }
        if (!one)
            continue;
        for (size_t l = 0; l <= one->n_links; l++) {
            const char *u = l == 0 ? one->url : one->links[l - 1].url;
            if (!cl_qr_linkable(u))
                continue;
            if (*n == cap) {
                const char **nv = realloc(v, cap * 2 * sizeof *nv);
                if (!nv)
                    return v;
                v = nv;
                cap *= 2;
            }
            v[(*n)++] = u;
        }
        if (!course && k >= total)
            break;
    }
    return v;
}

/* What a pass found, for the next. */
typedef struct found {
    int *pages;
    float *ys;
    size_t total, numbered;
} found;

static void take(found *f, const cl_pass *pass, const cl_flow *flow, size_t na)
{
    for (size_t i = 0; i < na; i++) {
        f->pages[i] = flow->anchor_page[i];
        f->ys[i] = flow->anchor_y[i];
    }
    f->total = pass->pages;
    f->numbered = flow->numbered ? flow->numbered : pass->pages;
}

static bool same(const found *a, const found *b, size_t na)
{
    return a->total == b->total && a->numbered == b->numbered && !memcmp(a->pages, b->pages, na * sizeof *a->pages);
}

/* The pass's bookmarks into its device; false (err set) when the device failed. */
static bool send_bookmarks(cl_pass *pass, cl_err *err)
{
    for (size_t i = 0; i < pass->n_marks && !pass->dev->err.code; i++)
        cl_device_bookmark(pass->dev, &pass->marks[i]);
    if (pass->dev->err.code) {
        *err = pass->dev->err;
        return false;
    }
    return true;
}

/* The device of a writing pass: handed over with the report when the pass is the last
 * (done), dropped otherwise. */
static cl_device *finish_pass(cl_pass *pass, bool done, cl_doc_report *rep)
{
    if (!done) {
        cl_device_drop(pass->dev);
        pass->dev = NULL;
        return NULL;
    }
    if (rep) {
        rep->pages = pass->pages;
        cl_buf_put(&rep->warnings, pass->warnings.data, pass->warnings.len);
    }
    return pass->dev;
}

cl_device *cl_document_write(const cl_catalog *cat, const cl_course *course, int kind, cl_fonts *fonts,
                             const cl_hyph *hyph, const cl_layout *lay, cl_device_maker *make, void *ctx,
                             cl_doc_report *rep, cl_err *err)
{
    compose_fn *fn = kind == CL_DOC_HANDOUT && course ? cl_handout_compose
                     : kind == CL_DOC_STUDY && course ? cl_study_compose
                     : kind == CL_DOC_BINDER          ? cl_binder_compose
                                                      : NULL;
    if (!fn) {
        cl_err_set(err, CL_E_USAGE, "handouts and study sheets belong to a course: name a course file");
        return NULL;
    }
    if (!lay)
        lay = cl_layout_builtin();
    unsigned long failures = cl_alloc_failures();
    bool duplex = kind == CL_DOC_BINDER || lay->booklet; /* a booklet mirrors its margins */
    /* a booklet is composed into a recorder, imposed, then sent to the device */
    bool booklet = lay->booklet;
    cl_device_maker *pass_make = booklet ? make_recorder : make;
    void *pass_ctx = booklet ? NULL : ctx;
    size_t na = cl_document_anchors(cat, course, kind);
    found prev = {calloc(na + 1, sizeof(int)), calloc(na + 1, sizeof(float)), 0, 0};
    found cur = {calloc(na + 1, sizeof(int)), calloc(na + 1, sizeof(float)), 0, 0};
    cl_qr_cache *qrs = cl_qr_cache_new();
    size_t n_urls = 0;
    const char **urls = qrs ? addresses(cat, course, kind, &n_urls) : NULL;
    if (urls) /* the codes made on the other core while the document is composed */
        cl_qr_cache_prefetch(qrs, urls, n_urls);
    cl_device *dev = NULL;
    bool done = false;
    int passes = 0;
    if (!prev.pages || !prev.ys || !cur.pages || !cur.ys || !qrs) {
        cl_err_set(err, CL_E_NOMEM, "out of memory");
        goto out;
    }
    if (small_enough(cat, course, kind)) {
        /* composed once, every box held; laid out a first time to know where everything
         * lands and how many pages there are, then again into the device */
        cl_arena *da = cl_arena_new();
        cl_pass pass = {.hold = true, .qrs = qrs};
        cl_composer c;
        if (!da)
            cl_err_set(err, CL_E_NOMEM, "out of memory");
        bool ok = da && cl_composer_init(&c, cat, fonts, hyph, err, duplex, na, lay, &pass, da);
        if (ok) {
            passes = 1;
            ok = fn(&c, course) && cl_booklet_back(&c, pass.back);
            ok = ok && !arena_failed(&c, err);
            if (!ok && !err->placed)
                cl_composer_blame(&c, NULL, course); /* a text outside the resources' blocks */
            size_t composed = pass.warnings.len; /* the composition's warnings stay; the layout's come again */
            ok = ok && cl_flow_layout(&c.flow, cl_composer_sink(&c));
            if (ok) {
                take(&prev, &pass, &c.flow, na);
                pass.pages = pass.n_marks = 0;
                cl_buf_truncate(&pass.warnings, composed);
                pass.prev_pages = prev.pages;
                pass.prev_ys = prev.ys;
                pass.prev_total = prev.total;
                pass.prev_numbered = prev.numbered;
                pass.info.n_pages = prev.total;
                pass.dev = pass_make(pass_ctx);
                if (!pass.dev)
                    cl_err_set(err, CL_E_NOMEM, "out of memory");
                ok = pass.dev != NULL;
            }
            if (ok) {
                cl_device_begin(pass.dev, &pass.info);
                ok = cl_flow_layout(&c.flow, cl_composer_sink(&c));
                if (ok) {
                    take(&cur, &pass, &c.flow, na);
                    done = same(&cur, &prev, na) && send_bookmarks(&pass, err);
                    if (!done && !err->code)
                        cl_err_set(err, CL_E_RENDER, "the second layout of the document differs from the first");
                }
            }
            dev = finish_pass(&pass, done, rep);
            cl_composer_fini(&c);
        }
        cl_buf_free(&pass.warnings);
        cl_arena_drop(da);
        if (!ok && !err->code)
            cl_err_set(err, CL_E_RENDER, "composing the document stopped without saying why (a bug: please report it)");
        if (!done)
            goto out;
    }
    /* streaming passes: a measuring one, then writing ones checked against the one before */
    bool have_prev = false;
    for (int k = 0; k < 4 && !done; k++) {
        cl_arena *da = cl_arena_new();
        if (!da) {
            cl_err_set(err, CL_E_NOMEM, "out of memory");
            goto out;
        }
        cl_pass pass = {.qrs = qrs};
        if (have_prev) {
            pass.prev_pages = prev.pages;
            pass.prev_ys = prev.ys;
            pass.prev_total = prev.total;
            pass.prev_numbered = prev.numbered;
        }
        if (k > 0 && !(pass.dev = pass_make(pass_ctx))) { /* the first pass only measures */
            cl_err_set(err, CL_E_NOMEM, "out of memory");
            cl_arena_drop(da);
            goto out;
        }
        passes++;
        cl_composer c;
        bool ok = cl_composer_init(&c, cat, fonts, hyph, err, duplex, na, lay, &pass, da);
        if (ok) {
            ok = fn(&c, course) && cl_flow_flush(&c.flow, true) && cl_booklet_back(&c, pass.back) &&
                 cl_flow_flush(&c.flow, true);
            ok = ok && !arena_failed(&c, err);
            if (!ok && !err->placed)
                cl_composer_blame(&c, NULL, course);
            if (ok)
                take(&cur, &pass, &c.flow, na);
            cl_composer_fini(&c);
        }
        /* the document is done when this pass wrote what the previous one announced */
        done = ok && pass.dev && have_prev && same(&cur, &prev, na) && send_bookmarks(&pass, err);
        dev = finish_pass(&pass, done, rep);
        cl_buf_free(&pass.warnings);
        cl_arena_drop(da);
        if (!ok) {
            if (!err->code)
                cl_err_set(err, CL_E_RENDER, "composing the document stopped without saying why (a bug: please report it)");
            goto out;
        }
        found t = prev;
        prev = cur;
        cur = t;
        have_prev = true;
    }
    if (!done) {
        if (!err->code)
            cl_err_set(err, CL_E_RENDER, "the page numbers did not settle after %d passes", passes);
        goto out;
    }
    if (booklet) { /* the recorded pages, imposed, into the caller's device */
        cl_doc *doc = cl_device_close(dev, err) ? cl_recorder_take(dev) : NULL;
        cl_device_drop(dev);
        dev = NULL;
        if (!doc || !cl_impose_booklet(doc, !lay->flip_short)) {
            cl_err_set(err, CL_E_NOMEM, "out of memory imposing the booklet"); /* unless close said why */
            cl_doc_drop(doc);
            goto out;
        }
        dev = make(ctx);
        if (!dev) {
            cl_err_set(err, CL_E_NOMEM, "out of memory");
        } else if (!cl_doc_replay(doc, dev)) {
            *err = dev->err;
            cl_device_drop(dev);
            dev = NULL;
        }
        if (rep)
            rep->pages = doc->n_pages;
        cl_doc_drop(doc);
    }
out:
    if (rep)
        rep->passes = passes;
    cl_qr_cache_drop(qrs); /* (joins its thread: its allocations are counted below) */
    if (dev && cl_alloc_failures() != failures) {
        cl_err_set(err, CL_E_NOMEM, "out of memory while making the document");
        cl_device_drop(dev);
        dev = NULL;
    }
    free(urls);
    free(prev.pages);
    free(prev.ys);
    free(cur.pages);
    free(cur.ys);
    return dev;
}

cl_doc *cl_document_compose_layout(const cl_catalog *cat, const cl_course *course, int kind, cl_fonts *fonts,
                                   const cl_hyph *hyph, const cl_layout *lay, cl_err *err)
{
    cl_doc_report rep = {0};
    cl_device *dev = cl_document_write(cat, course, kind, fonts, hyph, lay, make_recorder, NULL, &rep, err);
    cl_doc *doc = NULL;
    if (dev && cl_device_close(dev, err))
        doc = cl_recorder_take(dev);
    cl_device_drop(dev);
    /* the warnings, one a line */
    const char *w = cl_buf_str(&rep.warnings);
    while (doc && *w) {
        const char *nl = strchr(w, '\n');
        size_t len = nl ? (size_t)(nl - w) : strlen(w);
        char *m = cl_arena_strndup(doc->arena, w, len);
        if (!m || !cl_doc_add_warning(doc, m)) {
            cl_err_set(err, CL_E_NOMEM, "out of memory");
            cl_doc_drop(doc);
            doc = NULL;
            break;
        }
        w += len + (nl ? 1 : 0);
    }
    cl_buf_free(&rep.warnings);
    return doc;
}

cl_doc *cl_document_compose(const cl_catalog *cat, const cl_course *course, int kind, cl_fonts *fonts,
                            const cl_hyph *hyph, cl_err *err)
{
    return cl_document_compose_layout(cat, course, kind, fonts, hyph, NULL, err);
}
