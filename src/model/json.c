/* json.c: the whole catalogue as JSON for other tools (`classeur list --json`).
 * Shape (documented in docs/data-format.md): {"dossier", "diplomas", "resources",
 * "sections", "courses"}; dates stay ISO strings, absent values are omitted. */
#include "model.h"
#include "../util/buf.h"
#include <stdio.h>

static void date_str(cl_date d, char out[16])
{
    if (!d.year)
        out[0] = 0;
    else if (!d.month)
        snprintf(out, 16, "%04d", d.year);
    else if (!d.day)
        snprintf(out, 16, "%04d-%02d", d.year, d.month);
    else
        snprintf(out, 16, "%04d-%02d-%02d", d.year, d.month, d.day);
}

static void kv_str(cl_buf *b, bool *first, const char *k, const char *v)
{
    if (!v)
        return;
    cl_buf_puts(b, *first ? "" : ",");
    *first = false;
    cl_buf_json_str(b, k);
    cl_buf_putc(b, ':');
    cl_buf_json_str(b, v);
}

static void kv_date(cl_buf *b, bool *first, const char *k, cl_date d)
{
    char s[16];
    date_str(d, s);
    if (s[0])
        kv_str(b, first, k, s);
}

static void block(cl_buf *b, const cl_block *x, const char *labelkey)
{
    bool f = true;
    cl_buf_putc(b, '{');
    kv_str(b, &f, labelkey, x->label);
    kv_str(b, &f, "text", x->text);
    cl_buf_putc(b, '}');
}

/* The evidence of an address from addresses.yaml, when it has one. */
static void evidence(cl_buf *b, const cl_address *a)
{
    if (!a || a->evidence == CL_EVIDENCE_NONE)
        return;
    bool f = true;
    cl_buf_puts(b, ",\"evidence\":{");
    kv_str(b, &f, "kind", cl_evidence_name(a->evidence));
    kv_str(b, &f, "seen_at", a->seen_at);
    kv_str(b, &f, "quote", a->quote);
    kv_str(b, &f, "also_seen_at", a->also_seen_at);
    cl_buf_putc(b, '}');
}

static void resource(cl_buf *b, const cl_resource *r)
{
    bool f = true;
    cl_buf_putc(b, '{');
    kv_str(b, &f, "id", r->id);
    kv_str(b, &f, "type", cl_restype_name(r->type));
    cl_buf_puts(b, ",\"authors\":[");
    for (size_t i = 0; i < r->n_authors; i++) {
        bool g = true;
        cl_buf_puts(b, i ? ",{" : "{");
        kv_str(b, &g, "family", r->authors[i].family);
        kv_str(b, &g, "given", r->authors[i].given);
        kv_str(b, &g, "org", r->authors[i].org);
        kv_str(b, &g, "heading", r->authors[i].heading);
        cl_buf_putc(b, '}');
    }
    cl_buf_putc(b, ']');
    kv_str(b, &f, "title", r->title);
    kv_str(b, &f, "container", r->container);
    kv_str(b, &f, "publisher", r->publisher);
    kv_str(b, &f, "container_heading", r->container_heading);
    kv_str(b, &f, "publisher_heading", r->publisher_heading);
    kv_str(b, &f, "volume", r->volume);
    kv_str(b, &f, "issue", r->issue);
    kv_date(b, &f, "date", r->date);
    kv_str(b, &f, "date_label", r->date_label);
    kv_str(b, &f, "pages", r->pages);
    if (r->duration_s)
        cl_buf_printf(b, ",\"duration_seconds\":%d", r->duration_s);
    kv_str(b, &f, "description", r->description);
    kv_str(b, &f, "url", r->url);
    kv_date(b, &f, "accessed", r->accessed);
    evidence(b, r->address);
    if (r->unidentified)
        cl_buf_puts(b, ",\"unidentified\":true");
    cl_buf_puts(b, ",\"links\":[");
    for (size_t i = 0; i < r->n_links; i++) {
        bool g = true;
        cl_buf_puts(b, i ? ",{" : "{");
        kv_str(b, &g, "title", r->links[i].title);
        kv_str(b, &g, "url", r->links[i].url);
        evidence(b, r->links[i].address);
        cl_buf_putc(b, '}');
    }
    cl_buf_printf(b, "],\"appearances\":%zu}", r->n_entries);
}

static void entry(cl_buf *b, const cl_entry *e)
{
    bool f = true;
    cl_buf_putc(b, '{');
    kv_str(b, &f, "resource", e->resource_id);
    if (e->note.text) {
        cl_buf_puts(b, ",\"note\":");
        block(b, &e->note, "kind");
    }
    cl_buf_puts(b, ",\"extracts\":[");
    for (size_t i = 0; i < e->n_extracts; i++) {
        if (i)
            cl_buf_putc(b, ',');
        block(b, &e->extracts[i], "label");
    }
    cl_buf_puts(b, "],\"uses\":[");
    for (size_t i = 0; i < e->n_uses; i++) {
        const cl_use *u = &e->uses[i];
        bool g = true;
        cl_buf_puts(b, i ? ",{" : "{");
        kv_str(&*b, &g, "diploma", u->diploma ? u->diploma->id : NULL);
        kv_str(b, &g, "module", u->module ? u->module->id : NULL);
        cl_buf_puts(b, g ? "\"items\":[" : ",\"items\":[");
        for (size_t j = 0; j < u->n_items; j++) {
            if (j)
                cl_buf_putc(b, ',');
            cl_buf_json_str(b, u->items[j]);
        }
        cl_buf_putc(b, ']');
        g = false;
        kv_str(b, &g, "activity", u->activity);
        cl_buf_putc(b, '}');
    }
    cl_buf_puts(b, "]}");
}

void cl_catalog_to_json(const cl_catalog *c, cl_buf *b)
{
    bool f = true;
    cl_buf_puts(b, "{\"dossier\":{");
    kv_str(b, &f, "title", c->dossier.title);
    kv_date(b, &f, "date", c->dossier.date);
    cl_buf_puts(b, f ? "\"authors\":[" : ",\"authors\":[");
    for (size_t i = 0; i < c->dossier.n_authors; i++) {
        if (i)
            cl_buf_putc(b, ',');
        cl_buf_json_str(b, c->dossier.authors[i]);
    }
    cl_buf_putc(b, ']');
    f = false;
    kv_str(b, &f, "credit", c->dossier.credit);
    kv_str(b, &f, "summary", c->dossier.summary);
    kv_str(b, &f, "introduction_title", c->dossier.introduction_title);
    kv_str(b, &f, "introduction", c->dossier.introduction);
    cl_buf_puts(b, "},\n\"diplomas\":[");
    for (size_t i = 0; i < c->n_diplomas; i++) {
        const cl_diploma *d = &c->diplomas[i];
        bool g = true;
        cl_buf_puts(b, i ? ",{" : "{");
        kv_str(b, &g, "id", d->id);
        kv_str(b, &g, "name", d->name);
        kv_str(b, &g, "full_name", d->full_name);
        cl_buf_puts(b, ",\"modules\":[");
        for (size_t j = 0; j < d->n_modules; j++) {
            bool h = true;
            cl_buf_puts(b, j ? ",{" : "{");
            kv_str(b, &h, "id", d->modules[j].id);
            kv_str(b, &h, "label", d->modules[j].label);
            kv_str(b, &h, "title", d->modules[j].title);
            if (d->modules[j].year)
                cl_buf_printf(b, ",\"year\":%d", d->modules[j].year);
            cl_buf_putc(b, '}');
        }
        cl_buf_puts(b, "]}");
    }
    cl_buf_puts(b, "],\n\"resources\":[");
    for (size_t i = 0; i < c->n_resources; i++) {
        cl_buf_puts(b, i ? ",\n" : "\n");
        resource(b, c->resources[i]);
    }
    cl_buf_puts(b, "],\n\"sections\":[");
    for (size_t i = 0; i < c->n_sections; i++) {
        const cl_section *s = c->sections[i];
        bool g = true;
        cl_buf_puts(b, i ? ",\n{" : "\n{");
        kv_str(b, &g, "number", s->number);
        kv_str(b, &g, "title", s->title);
        cl_buf_printf(b, ",\"level\":%d", s->level);
        kv_str(b, &g, "parent", s->parent ? (s->parent->number ? s->parent->number : s->parent->title) : NULL);
        kv_str(b, &g, "introduction", s->introduction);
        cl_buf_puts(b, ",\"entries\":[");
        for (size_t j = 0; j < s->n_entries; j++) {
            if (j)
                cl_buf_putc(b, ',');
            entry(b, &s->entries[j]);
        }
        cl_buf_puts(b, "]}");
    }
    cl_buf_puts(b, "],\n\"courses\":[");
    for (size_t i = 0; i < c->n_courses; i++) {
        const cl_course *co = c->courses[i];
        bool g = true;
        cl_buf_puts(b, i ? ",\n{" : "\n{");
        kv_str(b, &g, "id", co->id);
        kv_str(b, &g, "title", co->title);
        kv_str(b, &g, "diploma", co->diploma_id);
        kv_str(b, &g, "module", co->module_id);
        kv_str(b, &g, "school_year", co->school_year);
        kv_str(b, &g, "teacher", co->teacher);
        kv_str(b, &g, "layout", co->layout);
        kv_str(b, &g, "file", co->path);
        cl_buf_puts(b, ",\"resources\":[");
        for (size_t j = 0; j < co->n_items; j++) {
            bool h = true;
            cl_buf_puts(b, j ? ",{" : "{");
            kv_str(b, &h, "id", co->items[j].id);
            cl_buf_puts(b, ",\"questions\":[");
            for (size_t k = 0; k < co->items[j].n_questions; k++) {
                if (k)
                    cl_buf_putc(b, ',');
                cl_buf_json_str(b, co->items[j].questions[k]);
            }
            cl_buf_puts(b, "]}");
        }
        cl_buf_puts(b, "]}");
    }
    cl_buf_puts(b, "]}\n");
}
