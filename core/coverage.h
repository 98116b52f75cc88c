/*
 * coverage.h: which parts of a menu a suite of calls exercised.
 *
 * A hit is a line (suite.c makes them from a call's events):
 *   "menu\tFILE\tMENU", "entry\tFILE\tMENU\tLABEL\tHOW" (HOW: key or
 *   speech), "branch\tFILE\tMENU\tnoinput|nomatch|exhausted",
 *   "if\tFILE\tWHERE\tthen|else" (WHERE: "file:line" of an if),
 *   "lang\tFILE\tMENU\tLANG" (a menu entered in a language a `language`
 *   action chose).
 * The report lists, for each menu file the hits name, every menu, each of
 * its entries by keys and by speech, and its no-input, no-match and
 * exhausted branches, taken or not.
 */
#ifndef IVR_COVERAGE_H
#define IVR_COVERAGE_H

#include <stdio.h>

/* Writes the report, each line started with prefix ("# " inside TAP);
 * returns the number of items never taken, or -1 when a menu file no
 * longer loads. */
int coverage_report(FILE *out, const char *prefix, char *const *hits,
                    int nhits, const char *const *allow_dirs);

#endif
