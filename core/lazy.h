/*
 * lazy.h: shared libraries loaded when first needed (internal to core).
 *
 * A command that only checks a menu or prints its version should not pay
 * for libcurl's forty dependencies, flite's voices or the sound system at
 * start-up: the modules that need them load them here, on first use, and
 * a missing library is an error naming the Debian package that has it.
 */
#ifndef IVR_LAZY_H
#define IVR_LAZY_H

#include "error.h"

#include <stddef.h>

/* One function to find: its name, and where its pointer goes in the
 * caller's table (offsetof a function-pointer member). */
typedef struct lazy_symbol {
    const char *name;
    size_t offset;
} lazy_symbol;

/* Opens soname (kept open for the life of the process) and fills table
 * with the n functions of syms. IVR_OK, or IVR_EMISSING "soname: why
 * (install package)" when the library or one of its functions is
 * missing. */
int lazy_load(const char *soname, const char *package,
              const lazy_symbol *syms, size_t n, void *table,
              ivr_error *err);

/* lazy_load the first time only; *status (-1 before) keeps the outcome,
 * and a library that could not be loaded is said so again each time. */
int lazy_load_once(int *status, const char *soname, const char *package,
                   const lazy_symbol *syms, size_t n, void *table,
                   ivr_error *err);

#endif
