/* i18n.h: the program's messages in the user's language (GNU gettext).
 *
 * Every message a person reads is written in English in the code and wrapped: _("…")
 * where it is printed, N_("…") where it is only stored (a table) and translated when
 * printed. The format strings given to cl_diags_add(), cl_err_set() and cl_err_about()
 * are translated by those functions, so their callers do not wrap them (the Makefile
 * tells xgettext to collect them). The catalogues are po/<lang>.po; the command line
 * picks the language from LANGUAGE, LC_ALL, LC_MESSAGES and LANG (cl_i18n_init in
 * src/cli/main.c). Nothing is translated until then: the library and its unit tests
 * speak English. */
#ifndef CL_I18N_H
#define CL_I18N_H
#include <libintl.h>

#define CL_TEXT_DOMAIN "classeur"
#define _(s) dgettext(CL_TEXT_DOMAIN, s)
#define N_(s) (s)
/* The plural form of a message for n (n_("%zu page", "%zu pages", n)). */
#define n_(one, many, n) dngettext(CL_TEXT_DOMAIN, one, many, n)
#endif
