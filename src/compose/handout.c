/* handout.c: the teacher handout of a course — title block, then for each selected
 * resource: pictogram and type, ISO 690 reference, QR code and address, the note with
 * its kind, the pedagogical use for this diploma and module when the dossier has one,
 * and the course's guiding questions. A resource may continue on the next page, under a
 * "(suite)" heading, where its blocks allow a break. */
#include "compose.h"
#include "documents.h"
#include "layoutfile.h"
#include <stdio.h>
#include <string.h>

const char *cl_course_heading(cl_arena *a, const cl_course *co)
{
    return cl_arena_printf(a, "%s%s%s%s%s", co->diploma ? co->diploma->name : "", co->module ? " \xC2\xB7 " : "",
                           co->module ? co->module->label : "", co->module ? " \xE2\x80\x93 " : "",
                           co->module ? co->module->title : "");
}

bool cl_handout_compose(cl_composer *c, const cl_course *co)
{
    cl_arena *da = c->da;
    const cl_catalog *cat = c->cat;
    cl_err *err = c->ts.err;
    const char *heading = cl_course_heading(da, co);
    const char *title = cl_arena_printf(da, "%s \xE2\x80\x93 fiche enseignant", co->title);
    cl_pass_begin(c->pass, c->ts.fonts, title, co->teacher ? co->teacher : "Classeur", heading,
                  cl_arena_printf(da, "%s, %s, dossier documentaire, %s", co->diploma ? co->diploma->name : "",
                                  co->module ? co->module->label : "", cat->dossier.title ? cat->dossier.title : ""),
                  false, title);
    bool ok = cl_composer_header(c, heading, co->school_year) && cl_composer_start(c);

    /* title block */
    ok = ok && cl_block_heading(c, "Fiche enseignant", &c->st.label, 0, 0, -1) &&
         cl_block_heading(c, co->title, &c->st.title, 2, 1, -1) && cl_block_heading(c, heading, &c->st.h3, 4, 0, -1);
    if (ok && c->flow.n)
        c->flow.boxes[0].role = CL_PAGE_TITLE; /* no running header above the title */
    char line[512];
    snprintf(line, sizeof line, "Année scolaire %s%s%s \xC2\xB7 %s", co->school_year ? co->school_year : "",
             co->teacher ? " \xC2\xB7 " : "", co->teacher ? co->teacher : "", cl_qr_claim(c->ts.a, cat, co));
    ok = ok && cl_block_text(c, NULL, line, &c->st.label, 0, 2, true);
    if (ok && co->introduction)
        ok = cl_block_text(c, NULL, co->introduction, &c->st.body, 0, 10, false);
    if (ok) {
        cl_box *rule = cl_flow_box(&c->flow, 6);
        cl_op op = {.kind = CL_OP_LINE, .x = 0, .y = 5, .w = c->measure, .h = 0, .lw = 1.0f, .grey = 0};
        ok = rule && cl_box_push(&c->flow, rule, &op);
    }

    for (size_t i = 0; ok && i < co->n_items; i++) {
        const cl_selection *s = &co->items[i];
        const cl_resource *r = s->resource;
        if (!r)
            continue;
        size_t first = c->flow.n;
        int group = cl_flow_group(&c->flow, cl_text_french(c->ts.a, &c->st.text, r->title, strlen(r->title)));
        const cl_entry *ent[8];
        size_t ne = cl_catalog_entries_of(cat, r, ent, 8);
        float gap = i ? c->st.block_gap * 1.5f : c->st.block_gap;
        for (size_t k = 0; ok && k < c->lay->handout.n; k++) {
            size_t before = c->flow.n;
            switch (c->lay->handout.v[k]) {
            case CL_BLK_REFERENCE:
                ok = cl_block_resource_header(c, r, gap);
                break;
            case CL_BLK_NOTE:
                if (ne && ent[0]->note.text)
                    ok = cl_block_text(c, ent[0]->note.label, cl_entry_note(c->ts.a, ent[0], co), &c->st.body, 0, 6,
                                       false);
                break;
            case CL_BLK_USES: /* the pedagogical use for this diploma and module, from any appearance */
                for (size_t m = 0; ok && m < ne; m++)
                    for (size_t u = 0; ok && u < ent[m]->n_uses; u++) {
                        const cl_use *use = &ent[m]->uses[u];
                        if (use->diploma == co->diploma && (!co->module || use->module == co->module))
                            ok = cl_block_use(c, use);
                    }
                break;
            case CL_BLK_QUESTIONS:
                if (s->n_questions)
                    ok = cl_block_questions(c, s->questions, s->n_questions, "Questions pour guider la lecture", 0);
                break;
            default:
                break;
            }
            if (before == first && c->flow.n > first) /* the resource's first block */
                c->flow.boxes[first].space_before = gap;
        }
        if (ok && first < c->flow.n) {
            c->flow.boxes[first].bookmark = r->title;
            c->flow.boxes[first].bm_level = 2;
        }
        /* one unit: a page that starts inside it says "(suite)"; pages break inside it
         * by the rules of its blocks (the reference with the first lines of the note…) */
        for (size_t k = first; ok && k < c->flow.n; k++)
            c->flow.boxes[k].group = group;
        if (!ok)
            cl_composer_blame(c, r, co);
        ok = ok && cl_flow_flush(&c->flow, false); /* the pages this resource completes go out */
    }
    if (ok)
        ok = cl_block_missing_addresses(c, co);
    if (!ok && !err->code)
        cl_err_set(err, CL_E_RENDER, "composing the handout of '%s' stopped without saying why (a bug: please report it)",
                   co->id);
    return ok;
}
