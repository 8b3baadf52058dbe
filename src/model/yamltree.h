/* yamltree.h: reads a YAML file with libyaml into a small tree of nodes with positions.
 *
 * The data format needs only scalars, sequences and mappings, so the reader refuses what
 * could hurt: aliases (no "billion laughs"), nesting deeper than CL_YAML_MAX_DEPTH,
 * scalars longer than CL_YAML_MAX_SCALAR, files larger than CL_YAML_MAX_FILE, invalid
 * UTF-8, more than one document. Every refusal is a diagnostic naming file, line and
 * column. Nodes live in the caller's arena. */
#ifndef CL_YAMLTREE_H
#define CL_YAMLTREE_H
#include "../util/arena.h"
#include "../util/diag.h"
#include <stdbool.h>
#include <stddef.h>

#define CL_YAML_MAX_DEPTH 32
#define CL_YAML_MAX_SCALAR (1024 * 1024)
#define CL_YAML_MAX_FILE (16 * 1024 * 1024)

typedef enum { CL_YSCALAR, CL_YSEQ, CL_YMAP } cl_ykind;

typedef struct cl_ynode {
    cl_ykind kind;
    int line, col;              /* 1-based position of the node's start */
    int end_line, end_col;      /* scalar: 1-based position just after its last character
                                   (quotes included), for in-place edits of a file */
    const char *str;            /* scalar: NUL-terminated text */
    size_t len;                 /* scalar: bytes */
    bool plain;                 /* scalar: written without quotes (so "null", "~" count) */
    struct cl_ynode **items;    /* sequence items; mapping: key, value, key, value… */
    size_t n;                   /* number of items (mapping: 2 × pairs) */
} cl_ynode;

/* Parse the file at path. Returns the root node (NULL for an empty file or on error).
 * *ok is set to false when an error was recorded in diags. */
cl_ynode *cl_yaml_load_file(cl_arena *a, const char *path, cl_diags *diags, bool *ok);
/* Same, from memory; name is used in messages. */
cl_ynode *cl_yaml_load_mem(cl_arena *a, const char *name, const char *data, size_t len,
                           cl_diags *diags, bool *ok);
/* Human name of a node kind for messages: "a text", "a list", "a mapping". */
const char *cl_ynode_kind_name(const cl_ynode *n);
/* True for a plain scalar meaning null: "", "~", "null". */
bool cl_ynode_is_null(const cl_ynode *n);
#endif
