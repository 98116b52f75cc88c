/*
 * caller.h: the caller's side of a simulated call.
 *
 * A recording (support staff replaying a real call), keys pressed at given
 * times ("1 @2s, 9 @5.5s") and words said at given times ("billing @3s"),
 * all mixed into one stream of 8 kHz frames for the engine. Keys are real
 * tones from the DTMF generator and words are real speech from flite, in a
 * voice other than the IVR's, through a telephone band: the engine's
 * detector and recogniser hear them as they would hear a caller. Fast mode
 * hears the same audio (its DTMF detector and end-pointer are the real
 * ones; only the decoding is skipped), so a call keeps its timeline in
 * both modes.
 */
#ifndef IVR_CALLER_H
#define IVR_CALLER_H

#include <stdint.h>

#include "audio.h"
#include "echo.h"
#include "engine.h"
#include "error.h"

#define CALLER_DEFAULT_VOICE "awb"

typedef struct caller caller;

/* voice: the flite voice for spoken words (NULL: CALLER_DEFAULT_VOICE);
 * tts_cache as in tts_opts. */
caller *caller_new(const char *voice, const char *tts_cache, ivr_error *err);

/* "KEYS @TIME, KEYS @TIME": each KEYS string (0-9 * # A-D) is dialled from
 * TIME on, a tone of 100 ms and a gap of 100 ms a key. TIME is "2s",
 * "1500ms" or "1m5s"... see ivr-sim(1). IVR_EUSAGE with the faulty part
 * named on a bad spec. */
int caller_add_keys(caller *c, const char *spec, ivr_error *err);

/* "WORDS @TIME[, WORDS @TIME]". */
int caller_add_say(caller *c, const char *spec, ivr_error *err);

/* The same, one cue at a time, at ms from the start of the call (a time
 * already past means now): keys, words, or a sound file the caller plays
 * into the phone. */
int caller_press_at(caller *c, const char *keys, double ms, ivr_error *err);
int caller_say_at(caller *c, const char *words, double ms, ivr_error *err);
int caller_play_at(caller *c, const char *path, double ms, ivr_error *err);

/* Speaks words once now, into the prompt cache, so that saying them in a
 * call costs a read: a call on a line must not wait for its voice. */
int caller_prepare_words(caller *c, const char *words, ivr_error *err);

/* White line noise at level dBm0 under everything the caller sends (a
 * line, a room), from a generator seeded with seed: the same every run.
 * Audio mode only. */
void caller_set_noise(caller *c, double dbm0, uint64_t seed);

/* Keys sent apart from the audio (a SIP call's RFC 4733 events): fn gets
 * each key as its tone would begin, and how long the tone would last; it
 * returns 0 when it sent the key, -1 when the key must sound in the audio
 * instead (the rest of that key string does too). */
typedef int (*caller_key_fn)(char key, int ms, void *user);
void caller_set_key_sink(caller *c, caller_key_fn fn, void *user);

/* Milliseconds of the call made so far. */
double caller_time_ms(const caller *c);

/* The caller's recording, read at ENGINE_RATE (the caller takes r). */
void caller_set_input(caller *c, audio_reader *r);

/* Where the recording's own IVR can be heard, to keep the engine in step
 * with it (its no-input timer starts when that IVR stops talking, not when
 * this one does): the IVR's leg of a stereo recording, read at ENGINE_RATE
 * (the caller takes r), or, with r NULL, the input itself (a mono mix,
 * where any talk may be the IVR's). */
int caller_set_recorded_ivr(caller *c, audio_reader *r, ivr_error *err);

/* The canceller that takes the recorded IVR's echo out of the caller's
 * leg (see echo.h), once caller_set_recorded_ivr gave a leg; NULL
 * otherwise. The caller keeps it; it may be taught before the call. */
echo_canceller *caller_echo(caller *c);

/* Makes the frame at the engine's current time: out (ENGINE_FRAME samples)
 * gets the caller's audio; words begun in it are told to the engine
 * (engine_caller_says; e may be NULL: the IVR is elsewhere, a SIP call's
 * far end). Returns 1 while the caller is on the line, 0 when
 * the recording has ended (the caller hangs up), -1 on error. */
int caller_frame(caller *c, engine *e, float *out, ivr_error *err);

void caller_free(caller *c);

#endif
