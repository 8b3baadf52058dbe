/* model.h: the loaded catalogue — dossier, resources, sections with entries, diplomas and
 * courses. This is what every later stage (composition, typesetting, rendering) reads.
 *
 * Ownership: one cl_catalog owns one arena; every string and record below lives in it
 * and is freed at once by cl_catalog_drop(). Pointers between records (an entry's
 * resource, a course's diploma) are resolved by the loader and are NULL when the id was
 * unknown (the checker reported it). */
#ifndef CL_MODEL_H
#define CL_MODEL_H
#include "../util/arena.h"
#include "../util/diag.h"
#include <stdbool.h>
#include <stddef.h>

typedef enum {
    CL_RES_ARTICLE, CL_RES_RAPPORT, CL_RES_SITE, CL_RES_PODCAST, CL_RES_VIDEO,
    CL_RES_TYPE_COUNT
} cl_restype;

/* A position in a data file, for messages. */
typedef struct cl_srcpos {
    const char *file;
    int line, col;
} cl_srcpos;

/* A date as precise as known: month and day are 0 when unknown. year 0 = no date. */
typedef struct cl_date {
    int year, month, day;
} cl_date;

typedef struct cl_author {
    const char *family;  /* person: family name (printed in capitals) */
    const char *given;   /* person: given name (may be NULL) */
    const char *org;     /* organisation, as written (then family/given are NULL) */
    const char *heading; /* organisation: its heading in authorities.yaml, or NULL */
} cl_author;

/* One record of authorities.yaml: the heading a body is indexed and cited under, and
 * the other spellings the source gives it. */
typedef struct cl_authority {
    const char *heading;
    const char **variants;
    size_t n_variants;
    size_t uses;             /* names of the resources it unified (checked: not 0) */
    cl_srcpos pos;
} cl_authority;

/* How an address is known (addresses.yaml, `evidence:`). */
typedef enum {
    CL_EVIDENCE_NONE,            /* no evidence given (accepted in a teacher's own data) */
    CL_EVIDENCE_PUBLISHER_PAGE,  /* a page on the publisher's own site, with the title */
    CL_EVIDENCE_DOCUMENT_TEXT,   /* the address printed inside the document itself */
    CL_EVIDENCE_THIRD_PARTY,     /* another site quoting it, confirmed by a second source */
    CL_EVIDENCE_KIND_COUNT
} cl_evidence_kind;

/* One record of addresses.yaml: the address of a resource or of one of its sub-links,
 * which wins over a `url` in the resources files. */
typedef struct cl_address {
    const char *id;          /* the resource's id */
    const char *link;        /* the sub-link's title, or NULL for the resource itself */
    const char *url;         /* http(s) address */
    cl_date accessed;        /* last day seen working; year 0 when unknown */
    cl_evidence_kind evidence;
    const char *seen_at;     /* evidence: where the address was seen (NULL without evidence) */
    const char *quote;       /* evidence: words copied from that page */
    const char *also_seen_at;/* third-party evidence: the second, independent source */
    cl_srcpos pos;           /* the record */
} cl_address;

typedef struct cl_link {
    const char *title;
    const char *url;     /* NULL when unknown */
    cl_srcpos url_pos;   /* where url was given (resources file or addresses.yaml) */
    const cl_address *address; /* the addresses.yaml record giving url, or NULL */
} cl_link;

typedef struct cl_resource {
    const char *id;
    cl_restype type;
    cl_author *authors;
    size_t n_authors;
    const char *title;
    const char *container;    /* journal, site, programme (italic in references) */
    const char *publisher;    /* publisher, broadcaster, institution */
    const char *container_heading, *publisher_heading; /* their authorities.yaml headings, or NULL */
    const char *volume, *issue;
    cl_date date;
    const char *date_label;   /* "mise en ligne" … or NULL */
    const char *pages;        /* "79" (count) or "67-74" (range) or NULL */
    int duration_s;           /* seconds, 0 when unknown */
    const char *description;  /* other printed details */
    const char *url;          /* NULL when not certain: from addresses.yaml, else the `url` key */
    cl_date accessed;         /* with url: from the same place */
    cl_srcpos url_pos;        /* where url was given (resources file or addresses.yaml) */
    const cl_address *address;/* the addresses.yaml record giving url, or NULL */
    bool unidentified;        /* the source presents it without identifying it: never
                                 printed as a reference, indexed, addressed or selected */
    cl_link *links;
    size_t n_links;
    cl_srcpos pos;
    size_t n_entries;         /* number of appearances in the dossier */
    size_t order;             /* index of first appearance, for stable listings */
} cl_resource;

/* A labelled block of text: the note ("Note de lecture") or an extract. */
typedef struct cl_block {
    const char *label;   /* may be NULL (text without a label) */
    const char *text;    /* markup text: paragraphs, "- " items, *italic* */
} cl_block;

typedef struct cl_module {
    const char *id, *label, *title;
    int year;            /* 0 when not stated */
} cl_module;

typedef struct cl_diploma {
    const char *id, *name, *full_name;
    cl_module *modules;
    size_t n_modules;
} cl_diploma;

/* One "Exploitation pédagogique envisageable". */
typedef struct cl_use {
    const cl_diploma *diploma;  /* resolved; NULL if unknown */
    const cl_module *module;    /* resolved; NULL if unknown */
    const char **items;         /* curriculum lines as printed */
    size_t n_items;
    const char *activity;
} cl_use;

struct cl_section;

typedef struct cl_entry {
    cl_resource *resource;      /* resolved; NULL if unknown */
    const char *resource_id;
    cl_block note;              /* note.text NULL when absent */
    cl_block *extracts;
    size_t n_extracts;
    cl_use *uses;
    size_t n_uses;
    struct cl_section *section; /* where it appears */
    cl_srcpos pos;
} cl_entry;

typedef struct cl_section {
    const char *number;         /* printed number or NULL */
    const char *title;
    int level;                  /* 1 = chapter */
    const char *introduction;   /* markup text or NULL */
    cl_entry *entries;
    size_t n_entries;
    struct cl_section *parent;
    struct cl_section **children;
    size_t n_children;
    size_t index;               /* position in the flat list */
    cl_srcpos pos;
} cl_section;

typedef struct cl_selection {
    const char *id;
    cl_resource *resource;      /* resolved; NULL if unknown */
    const char **questions;
    size_t n_questions;
    cl_srcpos pos;
} cl_selection;

typedef struct cl_course {
    const char *id, *title;
    const cl_diploma *diploma;  /* resolved */
    const cl_module *module;    /* resolved */
    const char *diploma_id, *module_id;
    const char *school_year, *teacher, *layout, *introduction;
    cl_srcpos layout_pos;       /* where layout is written (line 0: nowhere) */
    cl_selection *items;
    size_t n_items;
    const char *path;           /* file it came from */
} cl_course;

typedef struct cl_dossier {
    const char *title;
    cl_date date;
    const char **authors;
    size_t n_authors;
    const char *credit, *summary, *introduction_title, *introduction;
} cl_dossier;

/* A text of the data as kept, and where it was written: what `check` reads for the
 * characters no font has, and what composition errors point at. */
typedef struct cl_text_pos {
    const char *text;           /* the catalogue's own string (compared by address) */
    const char *key;            /* the key it was given under ("note", "title"…) */
    const char *what;           /* what it belongs to ("resource 'x'", "a note"…) */
    cl_srcpos pos;
} cl_text_pos;

typedef struct cl_catalog {
    cl_arena *arena;            /* owns everything below */
    const char *data_dir;
    cl_dossier dossier;
    cl_resource **resources;    /* sorted by id */
    size_t n_resources;
    cl_section **sections;      /* flat, in reading order */
    size_t n_sections;
    cl_section root;            /* level 0; children are the chapters */
    cl_diploma *diplomas;
    size_t n_diplomas;
    cl_course **courses;        /* the courses folder, then extra course files, in order */
    size_t n_courses;
    const char *addresses_path; /* DIR/addresses.yaml (whether it exists or not) */
    const char *authorities_path; /* DIR/authorities.yaml (whether it exists or not) */
    cl_authority *authorities;  /* its records, in file order */
    size_t n_authorities;
    cl_address *addresses;      /* its records, in file order */
    size_t n_addresses;
    cl_text_pos *texts;         /* every text kept, in reading order */
    size_t n_texts;
} cl_catalog;

/* Where the catalogue's string text was written, or NULL for a string that is not one
 * of its texts (a composed one). */
const cl_text_pos *cl_catalog_text_pos(const cl_catalog *c, const char *text);

/* Options of cl_catalog_load_opts. */
typedef struct cl_load_opts {
    bool require_evidence;      /* an addresses.yaml record without evidence is an error */
    bool verbose;               /* warnings list everything they count */
} cl_load_opts;

/* Load the data folder dir, plus extra course files (may be NULL/0), checking
 * everything. Every problem goes to diags. Returns a catalogue even with errors (as far
 * as it could be read), or NULL when out of memory. The caller owns the result. */
cl_catalog *cl_catalog_load(const char *dir, const char *const *course_files,
                            size_t n_course_files, cl_diags *diags);
/* The same with options (NULL: the defaults, as cl_catalog_load). */
cl_catalog *cl_catalog_load_opts(const char *dir, const char *const *course_files, size_t n_course_files,
                                 const cl_load_opts *opts, cl_diags *diags);
/* Free the catalogue and everything it holds. NULL is accepted. */
void cl_catalog_drop(cl_catalog *c);

/* Look up a resource by id (borrowed; NULL when absent). */
cl_resource *cl_catalog_resource(const cl_catalog *c, const char *id);
/* True when s is an identifier the data accepts: lowercase ASCII letters, digits and '-',
 * starting with a letter, not ending with '-', at most 64 bytes (ids are file names). */
bool cl_id_valid(const char *s);
/* True when u is an address the data accepts: http:// or https://, a host of letters,
 * digits, '-', '.' and ':', and no space, control character, quote, '<', '>' or '\'. */
bool cl_url_valid(const char *u);
/* The entries presenting resource r, in reading order, at most max of them into out
 * (borrowed). Returns how many were stored. */
size_t cl_catalog_entries_of(const cl_catalog *c, const cl_resource *r, const cl_entry **out, size_t max);
/* Does the dossier suggest r for diploma (id) and module (id; NULL: any of the diploma's;
 * diploma NULL: any diploma with such a module)? The dossier writes its "Exploitation
 * pédagogique envisageable" once for a section, after its resources: a use recorded in
 * any entry of a section where r appears counts for r. */
bool cl_catalog_suggests(const cl_catalog *c, const cl_resource *r, const char *diploma, const char *module);
/* Look up a course by id or by file path (borrowed; NULL when absent). */
cl_course *cl_catalog_course(const cl_catalog *c, const char *id_or_path);
/* Look up a diploma / module. */
const cl_diploma *cl_catalog_diploma(const cl_catalog *c, const char *id);
const cl_module *cl_diploma_module(const cl_diploma *d, const char *id);

/* The name under which a body is cited and indexed: its authorities.yaml heading when
 * it has one, else as written (borrowed; NULL for NULL). */
const char *cl_heading(const char *as_written, const char *heading);

/* The evidence kind's name in addresses.yaml ("publisher-page"; "" for none). */
const char *cl_evidence_name(cl_evidence_kind k);
/* Number of resources of courses (or of the whole catalogue when co is NULL) that are
 * identified and have an address; *total gets how many identified ones there are. */
size_t cl_count_addressed(const cl_catalog *c, const cl_course *co, size_t *total);

/* The data's type name ("article") and the French label ("Article", "Vidéo"). */
const char *cl_restype_name(cl_restype t);
const char *cl_restype_label(cl_restype t);

/* Write the whole catalogue as JSON (shape in docs/data-format.md). */
struct cl_buf;
void cl_catalog_to_json(const cl_catalog *c, struct cl_buf *out);
#endif
