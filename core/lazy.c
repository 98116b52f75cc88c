/*
 * lazy.c: dlopen and dlsym into a table of function pointers.
 */
#include "lazy.h"

#include <dlfcn.h>
#include <string.h>

int lazy_load_once(int *status, const char *soname, const char *package,
                   const lazy_symbol *syms, size_t n, void *table,
                   ivr_error *err)
{
    if (*status == -1)
        *status = lazy_load(soname, package, syms, n, table, err);
    else if (*status != IVR_OK)
        ivr_error_set(err, *status, "%s cannot be loaded (install %s)",
                      soname, package);
    return *status;
}

int lazy_load(const char *soname, const char *package,
              const lazy_symbol *syms, size_t n, void *table,
              ivr_error *err)
{
    void *lib = dlopen(soname, RTLD_NOW | RTLD_GLOBAL);
    size_t i;

    if (!lib)
        /* dlerror names the library: "libx.so.1: cannot open ..." */
        return ivr_error_set(err, IVR_EMISSING, "%s (install %s)", dlerror(),
                             package);
    for (i = 0; i < n; i++) {
        void *fn = dlsym(lib, syms[i].name);
        if (!fn)
            return ivr_error_set(err, IVR_EMISSING, "%s has no %s (install "
                                 "%s)", soname, syms[i].name, package);
        /* POSIX guarantees a function's address fits a void *; ISO C
         * has no cast between the two, so it is copied */
        memcpy((char *)table + syms[i].offset, &fn, sizeof fn);
    }
    return IVR_OK;
}
