/* links.h: the `links` command of the command line (see links.c for what it prints). */
#ifndef CL_CLI_LINKS_H
#define CL_CLI_LINKS_H

/* Run `classeur links`: argv[1] is "links"; the options follow. Returns the exit
 * status (0 every address alive, 1 problems or data errors, 2 usage errors). */
int cl_cmd_links(int argc, char **argv);
/* Its help text (static). */
const char *cl_links_help(void);
#endif
