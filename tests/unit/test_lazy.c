/*
 * test_lazy.c: libraries loaded on first use (lazy.h), and which commands
 * start without them.
 */
#include "lazy.h"
#include "tap.h"

#include <stdlib.h>
#include <string.h>

typedef struct libm_api {
    double (*cos)(double);
    double (*sqrt)(double);
} libm_api;

int main(void)
{
    static const lazy_symbol math[] = {
        {"cos", offsetof(libm_api, cos)},
        {"sqrt", offsetof(libm_api, sqrt)},
    };
    static const lazy_symbol wrong[] = {
        {"no_such_function", offsetof(libm_api, cos)},
    };
    libm_api m = {0};
    ivr_error err;

    ok(lazy_load("libm.so.6", "libc6", math, 2, &m, &err) == IVR_OK &&
           m.sqrt && m.sqrt(16.0) == 4.0 && m.cos(0.0) == 1.0,
       "a library's functions are found and called through the table");
    ok(lazy_load("libnosuch.so.9", "nosuch-package", math, 2, &m, &err) ==
               IVR_EMISSING &&
           !strcmp(err.message, "libnosuch.so.9: cannot open shared object "
                                "file: No such file or directory (install "
                                "nosuch-package)"),
       "a missing library names the package to install (%s)", err.message);
    ok(lazy_load("libm.so.6", "libc6", wrong, 1, &m, &err) == IVR_EMISSING &&
           !strcmp(err.message, "libm.so.6 has no no_such_function "
                                "(install libc6)"),
       "a missing function is named (%s)", err.message);
    {
        int status = -1, first, second;
        first = lazy_load_once(&status, "libnosuch.so.9", "nosuch-package",
                               math, 2, &m, &err);
        second = lazy_load_once(&status, "libnosuch.so.9", "nosuch-package",
                                math, 2, &m, &err);
        ok(first == IVR_EMISSING && second == IVR_EMISSING &&
               !strcmp(err.message, "libnosuch.so.9 cannot be loaded "
                                    "(install nosuch-package)"),
           "loaded once: a library that is missing is said so again, with "
           "its package (%s)", err.message);
    }
    if (tap_failed)
        diag("dlopen's wording may differ outside glibc");
    return tap_done();
}
