/*
 * flite_api.c: flite, loaded on first use.
 */
#include "flite_api.h"
#include "lazy.h"

flite_api_table flite_api;

int flite_api_load(ivr_error *err)
{
#define SYM(name, member) {name, offsetof(flite_api_table, member)}
    static const lazy_symbol core_syms[] = {
        SYM("flite_init", init),
        SYM("flite_add_lang", add_lang),
        SYM("flite_voice_load", voice_load),
        SYM("flite_text_to_wave", text_to_wave),
        SYM("feat_set_float", feat_set_float),
        SYM("delete_wave", delete_wave),
        SYM("delete_voice", delete_voice),
        SYM("lex_lookup", lex_lookup),
        SYM("val_car", val_car),
        SYM("val_cdr", val_cdr),
        SYM("val_string", val_string),
        SYM("delete_val", delete_val),
    };
    static const lazy_symbol lang_syms[] = {SYM("usenglish_init",
                                                usenglish_init)};
    static const lazy_symbol lex_syms[] = {SYM("cmu_lex_init",
                                               cmu_lex_init)};
#undef SYM
    static int core_status = -1, lang_status = -1, lex_status = -1;
    int status;

    status = lazy_load_once(&core_status, "libflite.so.1", "flite",
                            core_syms, sizeof core_syms / sizeof *core_syms,
                            &flite_api, err);
    if (status == IVR_OK)
        status = lazy_load_once(&lang_status, "libflite_usenglish.so.1",
                                "flite", lang_syms, 1, &flite_api, err);
    if (status == IVR_OK)
        status = lazy_load_once(&lex_status, "libflite_cmulex.so.1",
                                "flite", lex_syms, 1, &flite_api, err);
    return status;
}
