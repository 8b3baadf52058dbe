/* exchange.h: references in and out of Classeur, in the formats reference managers read
 * and write (Zotero; PMB and BCDI import RIS): RIS, CSL-JSON and BibTeX.
 *
 * Export (export.c) writes the catalogue's resources as records, with the resource id as
 * the record key and the reading note of the resource's first entry as the abstract.
 * Import (import.c) parses such files into cl_xrecord values, which importfile.c turns
 * into records of a data folder's resources file and address file. The mapping of types
 * and fields, both ways, is documented in docs/exchange.md.
 *
 * Ownership: every string and array of a cl_xrecord lives in the arena given to the
 * parser. Nothing here prints or exits: problems are cl_diags (FILE:LINE:COL) or a cl_err. */
#ifndef CL_EXCHANGE_H
#define CL_EXCHANGE_H
#include "../model/model.h"
#include "../util/buf.h"

typedef enum { CL_XFMT_RIS, CL_XFMT_CSL_JSON, CL_XFMT_BIBTEX, CL_XFMT_COUNT } cl_xformat;

/* The format named name ("ris", "csl-json", "bibtex"); false when it is none of them. */
bool cl_xformat_from_name(const char *name, cl_xformat *out);
/* The format a file name's extension says (.ris, .json, .bib); false when none. */
bool cl_xformat_from_path(const char *path, cl_xformat *out);
/* The format's name as the command line accepts it ("ris"…). */
const char *cl_xformat_name(cl_xformat f);

/* ---- export --------------------------------------------------------------------------- */

/* One resource to export, with its abstract (the reading note of its first entry, as
 * markup text; NULL when it has none). */
typedef struct cl_xitem {
    const cl_resource *res;
    const char *abstract;
} cl_xitem;

/* Append the n records in format f to out, UTF-8 throughout (RIS lines end with CR LF as
 * its specification says; CSL-JSON is one array; BibTeX escapes what LaTeX needs).
 * Unidentified resources are skipped. Never fails (out of memory: cl_buf's rules). */
void cl_export(cl_buf *out, cl_xformat f, const cl_xitem *items, size_t n);

/* ---- import --------------------------------------------------------------------------- */

/* One record read from a file, in Classeur's terms. */
typedef struct cl_xrecord {
    const char *key;          /* the record's key (RIS ID, CSL id, BibTeX key), or NULL */
    cl_restype type;          /* mapped from the format's type (docs/exchange.md) */
    const char *source_type;  /* the type as the file wrote it ("JOUR", "article-journal"…) */
    cl_author *authors;       /* persons (family, given) and organisations (org) */
    size_t n_authors;
    const char *title;        /* NULL: the record is reported and skipped */
    const char *container, *publisher, *volume, *issue;
    cl_date date;             /* as precise as the file; year 0 when none */
    const char *pages;        /* "79" (count) or "67-74" (range) or NULL */
    int duration_s;           /* seconds, 0 when none */
    const char *description;  /* other details (RIS N1, BibTeX note, CSL note) */
    const char *url;
    cl_date accessed;
    const char *abstract;     /* kept for the import report; Classeur's notes live in sections */
    int line, col;            /* where the record starts in its file */
} cl_xrecord;

/* Parse text (n bytes, the contents of file, for messages) in format f into an array of
 * records allocated in a (*out, *n_out). A record that cannot be read is reported in d
 * as an error at its FILE:LINE:COL and left out; a file that is not in the format at all
 * is one error. Returns true when d got no error from this call. */
CL_MUST_CHECK bool cl_import_parse(cl_arena *a, cl_xformat f, const char *file, const char *text, size_t n,
                                   cl_xrecord **out, size_t *n_out, cl_diags *d);

/* ---- into a data folder (importfile.c) ------------------------------------------------- */

typedef struct cl_import_result {
    size_t added;                /* records written */
    size_t skipped;              /* clashes, reported in d */
    size_t addresses;            /* address records appended */
    const char *resources_path;  /* DIR/resources/FILE, when records were written */
    const char *addresses_path;  /* DIR/addresses.yaml */
} cl_import_result;

/* Add the n records to the data folder dir: appended, after the line "# comment" (NULL:
 * none), to dir/resources/file_name (created with its folder when missing), and their
 * addresses (with their access dates) to dir/addresses.yaml, as records without evidence.
 * have is the catalogue already in dir (NULL when there is none; a partly loaded one is
 * fine): a record with the same id, or the same title (accents, case and punctuation
 * aside) and year as one of its resources or an earlier record of the batch, is reported
 * in d as a warning at its place in source and skipped; existing records are never
 * overwritten. A record's key is its id when it is a valid id (cl_id_valid), else an id
 * is made from its first author, title and year, unique in the folder. Each file is
 * replaced atomically; when the addresses cannot be written the resources file is put
 * back as it was. Returns false and sets err (naming the file) on failure. */
CL_MUST_CHECK bool cl_import_into(cl_arena *a, const char *dir, const char *file_name, const char *comment,
                                  const cl_xrecord *recs, size_t n, const cl_catalog *have,
                                  cl_import_result *res, cl_diags *d, const char *source, cl_err *err);
#endif
