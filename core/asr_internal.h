/*
 * asr_internal.h: internal to core/asr: the recogniser's state, shared by
 * asr.c (the model, the stream, decoding) and asr_search.c (what it
 * listens for: choices, grammars, keywords, free speech).
 */
#ifndef IVR_ASR_INTERNAL_H
#define IVR_ASR_INTERNAL_H

#include <pocketsphinx.h>

#include "asr.h"
#include "asr_band.h"
#include "asr_endpoint.h"
#include "audio.h"

#define MODEL_PACKAGE "pocketsphinx-en-us"
/* the model's rate: every utterance is resampled to it */
#define DECODE_RATE 16000

/* asr_async.c: the decoding thread of asr_set_background */
typedef struct asr_async asr_async;

typedef struct phrase {
    char *words;   /* normalised: lower case, single spaces */
    int choice;    /* index of the choice it names */
} phrase;

#define ASR_MAX_WORDS 256

struct asr_recognizer {
    ps_decoder_t *ps;        /* the grammar, keywords or free speech */
    struct asr_phone_loop *own_loop;   /* the phone loop, the confidence's
                              * yardstick (NULL until a search needs it) */
    ps_decoder_t *loop;      /* pocketsphinx's phone loop: the reference,
                              * and the loop of a model ours does not
                              * serve (NULL until needed) */
    char *hmm;               /* the acoustic model's folder */
    int16_t *loop_prime;     /* noise the loop hears before each utterance */
    size_t loop_prime_n;
    asr_mode mode;
    double min_confidence;
    int rate;
    int frame_len;           /* samples in 10 ms at the input rate */
    double load_seconds;

    phrase *phrases;
    int nphrases;
    char **choice_names;
    int digits;              /* a "<digits ...>" choice: 1, | 2 for "oh",
                              * | 4 for "double" and "triple"; 0: none */
    int nchoices;
    char *spec;              /* the choices the grammar was made from */

    asr_endpoint ep;
    double frame_energy, frame_sum;   /* of the 10 ms frame so far */
    double dc;               /* the input's offset, followed slowly (see
                              * asr_input.c) */
    int frame_fill;
    float *buf;              /* audio since buf_start */
    size_t len, cap;
    int64_t buf_start;       /* input sample index of buf[0] */
    int64_t pos;             /* samples pushed */
    int64_t utt_start;       /* sample where the current utterance starts */
    int tone;                /* a key's tone sounds: not listened to */
    int64_t tone_end;        /* where the last tone ended: no utterance's
                              * pre-roll reaches back into it */

    asr_band band;           /* the telephone-band transform */

    audio_rng rng;
    asr_result_fn on_result;
    void *user;
    char text[1024];
    int decode_tail;         /* opts.decode_tail */
    char tail_text[1024];
    asr_async *async;        /* NULL: decodes on the caller's thread */
    int holding;             /* the worker decodes: results are held */

    /* ASR_WORDS: phrases checked each utterance (asr_listen_for) */
    char *words_rule;        /* the loop's "<w> = a | b ...;", for them */
    int nlisten;
    int *listen_said;        /* per phrase, this utterance: 1 said */
    int64_t *listen_end;     /* ... and where its last word ended */
    char **listen_phrases;   /* the phrases, their words */
    /* ASR_WORDS: where each word of the hypothesis ended (input samples
     * from the start of the utterance) */
    int64_t word_end[ASR_MAX_WORDS];
    int nwords;
    asr_phrase_worth_fn listen_worth;
    void *listen_user;
};

/* asr.c: a decoder of the model in hmm with dictionary dict, scoring
 * every downsample-th frame; NULL when it does not load. */
ps_decoder_t *asr_load_decoder(const char *hmm, const char *dict,
                               const char *downsample);
/* asr.c: runs search name of ps over pcm (16 kHz); the path score (the
 * hypothesis is copied into text when given, and frames gets the frames
 * of speech its words lie on). */
double asr_run_search(ps_decoder_t *ps, const char *name,
                      const int16_t *pcm, size_t n, char *text, size_t size,
                      int *frames);

/* asr_loop.c: the phone loop, loaded the first time a search needs it (a
 * recogniser that spots words or takes free speech never does): 0 or
 * -1. */
int asr_loop_ready(asr_recognizer *a);
/* The loop's path score over pcm (16 kHz) in the band given: 0, or -1
 * when the loop does not load. */
int asr_loop_score(asr_recognizer *a, const int16_t *pcm, size_t n,
                   int narrow, double *score);
/* The utterance's cepstra, computed by the loop's front end for both
 * searches (a copy, for the grammar's, which spends it): NULL when the
 * loop is pocketsphinx's. Then the loop's score of them. */
const struct pl_cepstra *asr_loop_cepstra(asr_recognizer *a,
                                          const int16_t *pcm, size_t n);
int asr_loop_score_cepstra(asr_recognizer *a, int narrow, double *score);
/* The same score by pocketsphinx's own phone loop, which ours is tested
 * equal to. */
int asr_loop_score_reference(asr_recognizer *a, const int16_t *pcm,
                             size_t n, int narrow, double *score);
void asr_loop_free(asr_recognizer *a);

/* asr.c: decodes on the worker, its results held for the caller's
 * thread. */
int asr_decode_held(asr_recognizer *a, const float *x, size_t n,
                    int64_t start, ivr_error *err);

/* asr_async.c */
int asr_async_start(asr_recognizer *a, ivr_error *err);
/* Stops the worker, dropping what it held. */
void asr_async_stop(asr_recognizer *a);
/* The utterance x (copied) to the worker, after the one before it. */
int asr_async_submit(asr_recognizer *a, const float *x, size_t n,
                     int64_t start, ivr_error *err);
/* A result of the worker's, kept (deep) for the caller's thread. */
void asr_async_hold(asr_recognizer *a, const asr_result *r);
/* When the worker is idle: its results to the callback, and its status. */
int asr_async_deliver(asr_recognizer *a, ivr_error *err);
/* Waits until the worker is idle (its results kept). */
void asr_async_wait(asr_recognizer *a);
/* Waits, and drops what it held (a new call begins). */
void asr_async_drop(asr_recognizer *a);
/* 1 while an utterance is being decoded or its results wait. */
int asr_async_pending(const asr_recognizer *a);

/* The level of each 10 ms frame of an utterance, and the level above which
 * a frame is sound rather than pause: 25 dB under its loudest tenth
 * and 6 dB over its quietest (asr_levels.c). */
typedef struct span_levels {
    double *db;
    size_t frames;
    double sound_db;
} span_levels;

/* The input (asr_input.c): x adds to the running 10 ms frame; the
 * frame's level in dB, about the DC offset, which a quiet frame moves;
 * x appended to the audio kept for decoding, less the offset. */
void asr_input_frame_add(asr_recognizer *a, const float *x, size_t n);
double asr_input_frame_level(asr_recognizer *a);
int asr_input_keep(asr_recognizer *a, const float *x, size_t n,
                   ivr_error *err);

/* Measures x (n samples at the recogniser's rate) into lv (lv->db is
 * malloc'ed); -1 when out of memory. */
int asr_span_levels(const asr_recognizer *a, const float *x, size_t n,
                    span_levels *lv);
/* The share of the sound from frame from on that the last decode's words
 * lie on. */
double asr_word_coverage(asr_recognizer *a, const span_levels *lv,
                         size_t from);
/* Where the utterance's last part begins after its last pause; 0: none. */
size_t asr_tail_frame(const span_levels *lv);

/* Sets the "main" search of a new recogniser from o (model: the model's
 * folder, for the free language model). */
int asr_search_init(asr_recognizer *a, const asr_opts *o, const char *model,
                    ivr_error *err);

/* asr_levels.c: the last frame of each word of the last search's
 * hypothesis, into ends (at most max; from the start of the audio
 * searched): how many, or -1 when there are more than max. */
int asr_word_ends(ps_decoder_t *ps, int *ends, int max);
/* ASR_WORDS: a->word_end and a->nwords for text, the last search's
 * hypothesis of the part of the utterance from frame from on (none when
 * the segmentation's words are not text's). */
void asr_note_word_ends(asr_recognizer *a, const char *text, size_t from);

/* The choice a hypothesis names (ASR_CHOICES), or the hypothesis. */
const char *asr_choice_of(const asr_recognizer *a, const char *hyp);

/* ASR_WORDS: sets a->listen_said for the utterance pcm (n samples at
 * DECODE_RATE), whose words the loop heard as heard, and a->listen_end
 * (input samples from the start of pcm) for each phrase said. */
void asr_check_phrases(asr_recognizer *a, const int16_t *pcm, size_t n,
                       const char *heard);

void asr_search_free(asr_recognizer *a);

#endif
