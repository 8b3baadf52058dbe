/* preview.h: the `preview` and `trace` commands of the command line.
 *
 *   classeur preview COURSE.yaml [--kind K] [--page N] --png DIR [--dpi N]
 *                                 [--svg DIR] [--pgm DIR] [--contact FILE.png]
 *   classeur preview --dossier ...           the whole-dossier binder
 *   classeur trace COURSE.yaml [--kind K] [--out FILE]
 *   classeur trace --dossier [--out FILE]
 *
 * Both also take --data DIR and --layout NAME, and compose the document with
 * cl_document_compose_layout() and the layout `build` would use (--layout, else the
 * course's own, else the default); `preview` replays it with the cairo backend
 * (render/cairo.h) and `trace` with the trace backend (render/trace.h). Page files are
 * named DIR/KIND-NN.png (.svg, .pgm), NN the 1-based page number on at least two digits;
 * each is written to a temporary file and renamed when complete.
 * Exit status: 0 success, 1 data or output errors, 2 usage errors (and documents that
 * are not available yet), as for the other commands. */
#ifndef CL_PREVIEW_H
#define CL_PREVIEW_H

/* Run `classeur preview`: argv[1] is "preview"; the options follow. Returns the exit
 * status; messages go to stderr. */
int cl_cmd_preview(int argc, char **argv);
/* Run `classeur trace`: argv[1] is "trace". The trace goes to stdout or --out FILE. */
int cl_cmd_trace(int argc, char **argv);
/* The help texts of preview and trace (static). */
const char *cl_preview_help(void);
const char *cl_trace_help(void);
#endif
