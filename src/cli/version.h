/* version.h: the version `classeur --version` prints; raised with each release (the
 * minor number counts the issues landed so far). */
#ifndef CL_VERSION_H
#define CL_VERSION_H
#define CL_VERSION "0.13.0"
#endif
