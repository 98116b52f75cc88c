/*
 * libre_api.c: libre, loaded on first use.
 */
#include "libre_api.h"
#include "lazy.h"

#include <stddef.h>

libre_table libre;

int libre_api_load(ivr_error *err)
{
#define LIBRE_SYMBOL(f) {#f, offsetof(libre_table, f)},
    static const lazy_symbol syms[] = {LIBRE_FUNCTIONS(LIBRE_SYMBOL)};
#undef LIBRE_SYMBOL
    static int status = -1;

    return lazy_load_once(&status, "libre.so.0", "libre0", syms,
                          sizeof syms / sizeof *syms, &libre, err);
}
