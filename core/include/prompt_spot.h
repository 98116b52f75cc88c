/*
 * prompt_spot.h: phrases listened for in what a remote IVR says.
 *
 * A call script against an IVR reached over SIP names what it expects to
 * hear ("when prompt contains "For your balance" ..."). Rather than
 * transcribe all English, the recogniser hears the far end's audio as any
 * sequence of the words of those phrases (asr ASR_WORDS), and a phrase is
 * heard when most of its words come in its order, close together: a
 * different voice, a word misheard or a number read another way still
 * spot it, while the same words scattered over a sentence do not. A
 * phrase half of whose words came is checked by decoding the stretch once
 * more with the phrase in it (asr_listen_for): a voice whose "are you"
 * the loop hears as "start use" still says it.
 */
#ifndef IVR_PROMPT_SPOT_H
#define IVR_PROMPT_SPOT_H

#include <stddef.h>

#include "asr.h"
#include "error.h"

/* text as a TTS reads it, as dictionary words: lower case, punctuation
 * gone, numbers spelled ("1,204" -> "one thousand two hundred four",
 * "4 1 2" -> "four one two", "20%" -> "twenty percent"). 0, or -1 when
 * out does not hold it. */
int prompt_spot_words(const char *text, char *out, size_t size);

/* 1 when phrase (prompt_spot_words') is heard in heard (words). */
int prompt_spot_heard(const char *phrase, const char *heard);

/* 1 when phrase is not heard in heard but half its words, its content
 * words if it has any, came in its order: worth decoding the stretch once
 * more to see whether it was said (asr_listen_for). */
int prompt_spot_near(const char *phrase, const char *heard);

typedef struct prompt_spotter prompt_spotter;

/* What one stretch of the far end's speech held: the words the recogniser
 * heard, where (seconds from the start of the stream), and for each
 * phrase given whether it was heard and where it ended. */
typedef struct prompt_spot_result {
    const char *heard;
    double start, end;
    const int *found;     /* per phrase: 1 heard, 0 not */
    const double *ends;   /* per phrase heard: where its last word ended
                           * (the stretch's end when not known) */
} prompt_spot_result;

typedef void (*prompt_spot_fn)(const prompt_spot_result *r, void *user);

/* Listens for phrases (as written; n of them) in 8 kHz audio. The far
 * end's turn ends after end_silence_ms of silence; what it said is decoded
 * a sentence at a time as it goes (at shorter pauses), and each sentence's
 * stretch is told, in order, when the turn has ended (or at the flush). context (may be NULL): words the
 * IVR may say besides the phrases (prompt_spot_words'), heard as
 * themselves rather than as the phrases' words. A phrase none of whose
 * words the dictionary has is IVR_EINPUT naming it (*bad set to its
 * index). */
prompt_spotter *prompt_spotter_new(const char *const *phrases, int n,
                                   const char *context,
                                   double end_silence_ms, prompt_spot_fn fn,
                                   void *user, int *bad, ivr_error *err);

int prompt_spotter_push(prompt_spotter *s, const float *x, size_t n,
                        ivr_error *err);
/* The stretch in progress is heard now (the call ended). */
int prompt_spotter_flush(prompt_spotter *s, ivr_error *err);
void prompt_spotter_free(prompt_spotter *s);

#endif
