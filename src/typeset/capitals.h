/* capitals.h: the reviewed list of capitals French writes with their accent ("Etat" →
 * "État"), generated at build time from typography/capitals.txt (one pair a line) by
 * scripts/gen-capitals.sh. Read by cl_text_french (text.c). */
#ifndef CL_CAPITALS_H
#define CL_CAPITALS_H

typedef struct cl_capital {
    const char *from;  /* a word or words as the data may write them (UTF-8) */
    const char *to;    /* as printed */
} cl_capital;

extern const cl_capital cl_capitals[];
extern const unsigned cl_n_capitals;
#endif
