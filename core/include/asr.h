/*
 * asr.h: a streaming speech recogniser (pocketsphinx, the en-us model of
 * Debian's pocketsphinx-en-us).
 *
 * Push audio of any rate; an end-pointer cuts it into utterances, each is
 * decoded as soon as it ends, and a result arrives through the callback:
 * the words, the choice they mean, a confidence, and the utterance's start
 * and end in samples of the input. What to listen for:
 *
 *   ASR_CHOICES   a list of phrases (with synonyms), for IVR menus
 *   ASR_GRAMMAR   a JSGF grammar file
 *   ASR_KEYWORDS  a keyword list (keyword spotting)
 *   ASR_FREE      the free language model (dictation)
 *   ASR_WORDS     any sequence of the words given (spotting phrases made
 *                 of them in what an IVR says, without a model of all
 *                 English)
 *
 * Speech that matches nothing is rejected (result.rejected) instead of
 * being forced onto the nearest choice: each hypothesis is scored against
 * an unconstrained phone loop over the same audio, and a hypothesis that
 * explains the audio much worse than any phone sequence does is no match.
 *
 * Telephone audio (8 kHz, 300-3400 Hz) is what IVRs hear, and the model was
 * trained on 16 kHz recordings: every utterance gets a noise floor before
 * decoding so that empty bands look like a recording's, and band-limited
 * ones are decoded with a model adapted to the telephone band (see asr.c).
 */
#ifndef IVR_ASR_H
#define IVR_ASR_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"

typedef enum asr_mode {
    ASR_FREE = 0,
    ASR_CHOICES,
    ASR_GRAMMAR,
    ASR_KEYWORDS,
    ASR_WORDS
} asr_mode;

/* Audio kept before the detected start of an utterance, in its result. */
#define ASR_PRE_ROLL_MS 250

typedef struct asr_opts {
    asr_mode mode;
    /* ASR_CHOICES: "billing|technical support,tech support|agent,operator":
     * choices separated by '|', synonyms by ','; a choice is named by its
     * first phrase. ASR_GRAMMAR: a .gram file. ASR_KEYWORDS: a file of
     * lines "phrase" or "phrase /threshold/". ASR_WORDS: words separated
     * by spaces; those not in the dictionary are left out (see
     * asr_has_word). */
    const char *spec;
    const char *model_dir;   /* NULL: $IVR_ASR_MODEL, else Debian's en-us */
    double min_confidence;   /* results below are rejected (choices and
                              * grammars); 0: ASR_DEFAULT_MIN_CONFIDENCE */
    double end_silence_ms;   /* silence that ends an utterance (700) */
    double max_speech_ms;    /* longest utterance (15000) */
    double long_speech_ms;   /* an utterance this long ends at a pause of */
    double short_silence_ms; /* this (0, 0: only at end_silence_ms) */
    int decode_tail;         /* choices: an utterance with a pause in it
                              * has its last part decoded alone too
                              * (result.tail): the words said right after
                              * other speech, as a caller who answers the
                              * instant a recorded IVR stops, or over it */
    int no_decoder;          /* the end-pointer alone: utterances are found
                              * as the recogniser finds them, but not
                              * decoded (results have no words and
                              * .undecoded set); no model is loaded. For a
                              * caller whose words are known already. */
} asr_opts;

#define ASR_DEFAULT_MIN_CONFIDENCE 0.5

/* ASR_CHOICES: a choice "<digits>" (with " oh", " double" in it for those
 * ways of saying digits) is a value said digit by digit; its results have
 * this choice and the words said. */
#define ASR_DIGITS_CHOICE "<digits>"

typedef struct asr_result {
    const char *text;        /* the words heard ("" when nothing) */
    const char *choice;      /* ASR_CHOICES: the choice's name; else text */
    double confidence;       /* 0..1 */
    int rejected;            /* no match: text is the best guess */
    double threshold;        /* the confidence a result needs: rejected
                              * with confidence under it is "heard, but
                              * not surely", not "outside the choices" */
    double margin;           /* score per frame against the phone loop */
    double coverage;         /* share of the utterance's sound its words
                              * explain, 0..1; the rest the recogniser
                              * put down to noise or other speech (an
                              * answer is mostly its words; a sentence
                              * with a choice word inside is not) */
    int64_t start, end;      /* the utterance, in input samples */
    int narrowband;          /* decoded as telephone-band speech */
    int undecoded;           /* opts.no_decoder: found, not decoded */
    const int *phrases_said; /* asr_listen_for: per phrase, 1 when the
                              * utterance holds it; NULL when none */
    const int64_t *phrases_end;  /* ... and where its last word ended
                              * (input samples from start) */
    const int64_t *word_end; /* ASR_WORDS: where each word of text ended
                              * (input samples from start); nwords of
                              * them, 0 when not known */
    int nwords;
    const struct asr_result *tail;  /* opts.decode_tail: the part after the
                              * last pause, decoded alone; NULL when none */
} asr_result;

typedef void (*asr_result_fn)(const asr_result *r, void *user);

typedef struct asr_recognizer asr_recognizer;

/* Loads the model (the slow part: do it once) for input at rate. Missing
 * model files are IVR_EMISSING naming the Debian package; a choice word
 * not in the dictionary or a bad grammar file is IVR_EINPUT. */
asr_recognizer *asr_new(int rate, const asr_opts *opts, asr_result_fn on_result,
                        void *user, ivr_error *err);

/* Listens for other choices from now on (same syntax as asr_opts.spec):
 * an IVR changes menus within one call, and the model stays loaded. A word
 * not in the dictionary is IVR_EINPUT and leaves no grammar set. */
int asr_set_choices(asr_recognizer *a, const char *spec, ivr_error *err);

/* Listens for any sequence of words from now on (ASR_WORDS). */
int asr_set_words(asr_recognizer *a, const char *spec, ivr_error *err);

/* Whether phrase i is worth checking in an utterance heard as heard: a
 * check is a decoding of its own, so the caller passes over what the
 * words already settle. */
typedef int (*asr_phrase_worth_fn)(int i, const char *heard, void *user);

/* ASR_WORDS, after asr_set_words: each utterance is also checked for each
 * of the n phrases (dictionary words, single spaces) that worth asks for,
 * its answer in asr_result.phrases_said. A loop of words hears a phrase in
 * another voice as other words ("are you" as "start use"); decoded once
 * more as any words, then the phrase, then any words, a phrase that was
 * said survives the search's beam and one that was not does not. A word
 * not in the dictionary is IVR_EINPUT naming it; a recogniser not in
 * ASR_WORDS is IVR_EUSAGE. */
int asr_listen_for(asr_recognizer *a, char *const *phrases, int n,
                   asr_phrase_worth_fn worth, void *user, ivr_error *err);

/* Sends results to another callback (a recogniser reused by a new call). */
void asr_set_callback(asr_recognizer *a, asr_result_fn on_result, void *user);

/* Feeds n samples; results arrive from inside this call (in the
 * background: from a later one). Returns IVR_OK or a status with err
 * filled. */
int asr_push(asr_recognizer *a, const float *x, size_t n, ivr_error *err);

/* Ends the stream: an utterance in progress is decoded now. The next push
 * starts a new stream, its samples counted from 0 again. */
int asr_flush(asr_recognizer *a, ivr_error *err);

/* Drops the stream without decoding what is in it (a new call begins). */
void asr_reset(asr_recognizer *a);

/* Forgets the utterance in progress without decoding it: the caller
 * pressed a key (a tone is not a word), or the IVR moved on to another
 * menu. The stream and its background level go on. */
void asr_drop_utterance(asr_recognizer *a);

/* The DTMF receiver hears a key's tone begin (1) or end (0). A tone is not
 * a word: while it sounds the audio pushed counts for time only, the
 * utterance its first frames began (before the receiver was sure) is
 * dropped, and no utterance after it reaches back into it. */
void asr_set_tone(asr_recognizer *a, int sounding);

/* Input from now on comes at rate (a new file): the stream starts again.
 * The model stays loaded; 8 kHz input is telephone audio. */
int asr_set_rate(asr_recognizer *a, int rate, ivr_error *err);

/* Decodes x as one utterance, whatever the end-pointer would say. */
int asr_decode(asr_recognizer *a, const float *x, size_t n, ivr_error *err);

/* Decodes each utterance on a thread of the recogniser's own (on 1), at
 * a lower priority, so that the thread that pushes the audio keeps time
 * (a phone call's 20 ms clock); its results come from that thread's next
 * asr_push or asr_poll, in order. Off (0, the default) it decodes inside
 * asr_push, so a result is due at the frame its utterance ends, as files
 * and tests need. */
int asr_set_background(asr_recognizer *a, int on, ivr_error *err);

/* With asr_set_background: the results decoded since, to the callback. */
int asr_poll(asr_recognizer *a, ivr_error *err);

/* 1 while the caller is talking (an utterance has started, not ended), or
 * while what they said is being decoded in the background. */
int asr_in_speech(const asr_recognizer *a);

/* 1 when word (lower case) is in the recogniser's dictionary. */
int asr_has_word(const asr_recognizer *a, const char *word);

/* Adds word to the dictionary, said as phones (the model's phone set,
 * "M AA R AE M"), for the searches set after it (asr_set_words, ...);
 * a word there already is kept as it is. IVR_OK, or IVR_EINPUT. */
int asr_add_word(asr_recognizer *a, const char *word, const char *phones,
                 ivr_error *err);

/* Seconds the model took to load. */
double asr_load_seconds(const asr_recognizer *a);

void asr_free(asr_recognizer *a);

#endif
