/* importexport.h: `classeur export` and `classeur import`, references to and from reference
 * managers in RIS, CSL-JSON and BibTeX (importexport.c; the formats: src/exchange/). */
#ifndef CL_CLI_IMPORTEXPORT_H
#define CL_CLI_IMPORTEXPORT_H

/* Run the command (argv[1] is "export" / "import"); return the exit status. */
int cl_cmd_export(int argc, char **argv);
int cl_cmd_import(int argc, char **argv);
/* Their help texts (static, in English: translate with _() where printed). */
const char *cl_export_help(void);
const char *cl_import_help(void);
#endif
