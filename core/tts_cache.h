/* tts_cache.h: internal to core/tts: prompt files on disk. */
#ifndef IVR_TTS_CACHE_H
#define IVR_TTS_CACHE_H

#include <stddef.h>

/* Creates dir (and parents); 0 on success, -1 with errno set. */
int tts_cache_prepare(const char *dir);

/* Looks key up in dir. Returns 1 and a malloc'ed buffer on a hit, 0 on a
 * miss, -1 when an entry existed but was damaged (it is removed). */
int tts_cache_get(const char *dir, const char *key, float **samples,
                  size_t *n);

/* The sample count of key's entry without reading its samples: 1 and *n
 * on a hit whose file is as long as its header says, else 0 (a damaged
 * entry is found, and replaced, when its samples are read). */
int tts_cache_length(const char *dir, const char *key, size_t *n);

/* Stores samples under key; 0 on success, -1 with errno set. */
int tts_cache_put(const char *dir, const char *key, const float *samples,
                  size_t n);

#endif
