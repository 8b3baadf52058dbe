/* newcourse.h: `classeur new-course`, a course file to edit, written from the dossier's
 * suggestions for a diploma and module (newcourse.c). */
#ifndef CL_NEWCOURSE_H
#define CL_NEWCOURSE_H

/* Run the command (argv[1] is "new-course"); returns the exit status. */
int cl_cmd_new_course(int argc, char **argv);
/* Its help text (static). */
const char *cl_new_course_help(void);
#endif
