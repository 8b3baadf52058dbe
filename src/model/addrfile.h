/* addrfile.h: in-place edits of addresses.yaml, for `classeur links --update`.
 *
 * The file is a teacher's or a librarian's: its comments, order, quoting and blank
 * lines are kept. Edits are made on the text itself at the positions the YAML reader
 * reports (a value replaced, a line inserted, records appended), never by writing the
 * parsed data back out. The result is parsed again before it replaces the file, which
 * happens atomically (temporary file, then rename): on any failure the file is left
 * exactly as it was. */
#ifndef CL_ADDRFILE_H
#define CL_ADDRFILE_H
#include "model.h"

/* One change: to the record rec (a record of the catalogue loaded from path), or a new
 * record appended at the end when rec is NULL. */
typedef struct cl_address_edit {
    const cl_address *rec;  /* the record to change, or NULL: append a new record */
    const char *id;         /* new record: the resource id */
    const char *link;       /* new record: the sub-link's title, or NULL */
    const char *url;        /* the new address (required for a new record), or NULL to keep it */
    cl_date accessed;       /* the new `accessed` date, or year 0 to keep it */
} cl_address_edit;

/* Apply the n edits to the address file at path (created when missing and there are
 * only new records). Returns false and sets err (naming the file, and the line of a
 * record that cannot be edited, such as one written in flow style) without touching the
 * file when anything fails. */
CL_MUST_CHECK bool cl_addresses_update(const char *path, const cl_address_edit *edits, size_t n, cl_err *err);
#endif
