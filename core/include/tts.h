/*
 * tts.h: text to speech with flite, at the rate the caller asks, through a
 * prompt cache on disk.
 *
 * IVR prompts repeat: the cache keys every synthesis on everything that
 * changes its audio (text, voice, rate, speed, flite's version), so the
 * second call of a prompt is a file read. Entries are written atomically
 * (temporary file and rename) and carry a checksum: parallel runs never
 * read half a prompt, and a damaged entry is synthesised again.
 */
#ifndef IVR_TTS_H
#define IVR_TTS_H

#include <stddef.h>

#include "error.h"

#define TTS_DEFAULT_VOICE "slt"
#define TTS_DEFAULT_RATE 8000

typedef struct tts_opts {
    const char *voice;     /* a name from tts_voice_names() or the path of
                            * a .flitevox file; NULL: TTS_DEFAULT_VOICE */
    int rate;              /* output rate; 0: TTS_DEFAULT_RATE */
    double speed;          /* 1.0 normal, 0.5 half as fast, 2.0 twice;
                            * 0: 1.0 */
    const char *cache_dir; /* NULL: $XDG_CACHE_HOME/ivrkit/tts or
                            * ~/.cache/ivrkit/tts; "": no cache */
} tts_opts;

typedef struct tts_engine tts_engine;

/* The built-in voices, NULL-terminated, and a line about one of them (NULL
 * for an unknown name). */
const char *const *tts_voice_names(void);
const char *tts_voice_description(const char *name);

/* Loads the voice and prepares the cache. An unknown voice is IVR_EUSAGE
 * (the message lists the voices); a voice file that does not load is
 * IVR_EINPUT. A cache directory that cannot be created is not an error:
 * the engine works without a cache and tts_warning() says why. */
tts_engine *tts_new(const tts_opts *opts, ivr_error *err);

/* Speaks text. *samples (malloc'ed, the caller frees it) receives *n
 * samples at the engine's rate; *cached (may be NULL) tells whether they
 * came from the cache. Empty or blank text is IVR_EINPUT. */
int tts_speak(tts_engine *t, const char *text, float **samples, size_t *n,
              int *cached, ivr_error *err);

/* tts_speak from the prompt cache alone: 1 with the samples when text is
 * there, 0 when it would have to be synthesised (or there is no cache). */
int tts_recall(tts_engine *t, const char *text, float **samples, size_t *n);

/* How many samples tts_speak would give for text, as cheaply as it can be
 * known: remembered from earlier in the process, read from the cache
 * entry's header, or else synthesised once (and cached). What fast mode
 * times prompts by, so that they last what they last with audio. */
int tts_length(tts_engine *t, const char *text, size_t *n, ivr_error *err);

int tts_rate(const tts_engine *t);
const char *tts_voice(const tts_engine *t);
/* The cache directory in use, or NULL when there is none. */
const char *tts_cache_dir(const tts_engine *t);
/* A warning about the cache (unwritable, damaged entry replaced), or NULL;
 * reading it clears it. */
const char *tts_warning(tts_engine *t);

void tts_free(tts_engine *t);

/* How flite says word (lower-case letters and apostrophes): its phones
 * from the CMU lexicon, or from the lexicon's letter-to-sound rules for a
 * word it lacks (a name: "marram" is M AA R AE M), into out (size bytes)
 * as the CMU phone set without stress, the recogniser's. IVR_OK;
 * IVR_EINPUT when the word is not letters or has a phone outside that
 * set; IVR_EMISSING without flite. */
int tts_word_phones(const char *word, char *out, size_t size,
                    ivr_error *err);

#endif
