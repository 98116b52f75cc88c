/*
 * flite_api.h: the flite functions core uses, loaded on first use
 * (internal to core). A prompt found in the cache needs no synthesis: a
 * cache hit, a menu check or a replay of cached prompts starts without
 * flite's libraries and the sound library they bring (libasound).
 */
#ifndef IVR_FLITE_API_H
#define IVR_FLITE_API_H

#include <flite/flite.h>

#include "error.h"

typedef struct flite_api_table {
    int (*init)(void);
    int (*add_lang)(const char *name, void (*lang_init)(cst_voice *v),
                    cst_lexicon *(*lex_init)(void));
    cst_voice *(*voice_load)(const char *path);
    cst_wave *(*text_to_wave)(const char *text, cst_voice *v);
    void (*feat_set_float)(cst_features *f, const char *name, float v);
    void (*delete_wave)(cst_wave *w);
    void (*delete_voice)(cst_voice *v);
    /* the English language and lexicon, for .flitevox voices */
    void (*usenglish_init)(cst_voice *v);
    cst_lexicon *(*cmu_lex_init)(void);
    /* a word's phones, from the lexicon or its letter-to-sound rules */
    cst_val *(*lex_lookup)(const cst_lexicon *l, const char *word,
                           const char *pos, const cst_features *feats);
    const cst_val *(*val_car)(const cst_val *v);
    const cst_val *(*val_cdr)(const cst_val *v);
    const char *(*val_string)(const cst_val *v);
    void (*delete_val)(cst_val *v);
} flite_api_table;

/* Filled by flite_api_load. */
extern flite_api_table flite_api;

/* Loads flite and its English once; IVR_OK, or IVR_EMISSING naming the
 * package. */
int flite_api_load(ivr_error *err);

#endif
