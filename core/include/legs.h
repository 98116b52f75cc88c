/*
 * legs.h: whose voice is where in a call recording.
 *
 * A PBX records a call as two legs side by side (stereo, the IVR on either
 * side) or as one mono mix of both. To replay it, ivr-sim needs the
 * caller's leg, and in a mix it needs to know that the IVR's own prompts
 * are in it. The IVR speaks first and at length (a greeting and a menu,
 * seconds without a long pause); a caller answers in a few words and
 * presses keys. So the leg with the longest stretch of speech in the
 * opening seconds is the IVR's, and a mono file with such a stretch holds
 * the IVR: it is a mix.
 */
#ifndef IVR_LEGS_H
#define IVR_LEGS_H

#include "audio.h"
#include "echo.h"
#include "error.h"

#define LEGS_MAX 8

typedef struct legs_report {
    int channels;             /* in the file */
    double longest[LEGS_MAX]; /* per channel: the longest stretch of
                               * speech in the opening, seconds */
    int keys[LEGS_MAX];       /* per channel: key tones found */
    double echo_db[LEGS_MAX]; /* per channel of two: the other leg's echo
                               * found in it, dB taken out in the opening
                               * (echo_canceller_found_db) */
    double echo_late_s[LEGS_MAX]; /* per channel of two: how late the
                               * other leg's echo comes back in it, seconds,
                               * when later than the canceller's tail
                               * reaches (0 otherwise) */
    int ivr;                  /* the IVR's channel, 1-based; 0: none told
                               * apart */
    int caller;               /* the caller's channel, 1-based; 0: none
                               * told apart (a mono file: the only one) */
    int mix;                  /* mono, and the IVR speaks in it */
    double opening_s;         /* two legs: where the opening begins (the
                               * first long stretch, the greeting after
                               * any ringing), seconds; 0 otherwise */
} legs_report;

/* Reads the first two minutes of path (ro's channel is ignored: every
 * channel is examined) and fills out. Not for standard input: the file is
 * read again for the replay. */
int legs_examine(const char *path, const audio_read_opts *ro,
                 legs_report *out, ivr_error *err);

/* Who the user says is where: nothing (auto), a mix of both legs, or the
 * caller alone. */
typedef enum legs_layout { LEGS_AUTO, LEGS_MIX, LEGS_CALLER } legs_layout;

/* How to replay a recording: the leg the engine hears, whether the IVR's
 * prompts are in it, the recorded IVR's own leg, and what to tell the
 * user about it (support staff must know which leg a verdict rests on). */
typedef struct legs_plan {
    int channel;          /* to hear: 1-based, 0 the mix of all */
    int ivr_channel;      /* the recorded IVR's leg apart; 0: none */
    int input_has_ivr;    /* what is heard holds the IVR's prompts */
    int warning;          /* the note warns (the user chose the IVR's leg) */
    char note[400];       /* one line naming path, or empty */
    double opening_s;     /* legs_report's */
    double echo_late_s;   /* legs_report's, for the caller's leg */
} legs_plan;

/* Plans the replay of path ("-": standard input, not examined) in layout
 * lay; ro->channel is the user's choice (0: none). IVR_OK, or the error
 * of reading path. */
int legs_plan_replay(const char *path, const audio_read_opts *ro,
                     legs_layout lay, legs_plan *plan, ivr_error *err);

/* Teaches ec the recorded IVR's echo in the caller's leg from the
 * opening's first 20 seconds of path, as planned (a stereo replay:
 * plan->channel and plan->ivr_channel; its tail where plan->echo_late_s
 * says), and rewinds it for the replay, so that the greeting's own echo
 * is taken out too. Nothing to do for other plans, or with ec NULL. */
int legs_learn_echo(const char *path, const audio_read_opts *ro,
                    const legs_plan *plan, echo_canceller *ec,
                    ivr_error *err);

#endif
