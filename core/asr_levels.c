/*
 * asr_levels.c: an utterance's frames as sound or pause, and where the
 * words of a decode lie on its sound: what the coverage rule of a choice,
 * the mono-mix rules of the engine and an utterance's last part rest on.
 */
#include "asr_internal.h"

#include <stdlib.h>
#include <string.h>

static int by_value(const void *x, const void *y)
{
    double a = *(const double *)x, b = *(const double *)y;
    return (a > b) - (a < b);
}

/* A frame is sound when it is at most SOUND_BELOW_DB under the
 * utterance's loud frames (its 90th percentile) and SOUND_OVER_FLOOR_DB
 * over its quiet ones (the 10th). */
#define SOUND_BELOW_DB 25.0
#define SOUND_OVER_FLOOR_DB 6.0

int asr_span_levels(const asr_recognizer *a, const float *x, size_t n,
                    span_levels *lv)
{
    size_t f;
    double *sorted;

    lv->frames = n / (size_t)a->frame_len;
    lv->db = malloc((2 * lv->frames + 1) * sizeof *lv->db);
    if (!lv->db)
        return -1;
    for (f = 0; f < lv->frames; f++)
        lv->db[f] = audio_level_dbm0(x + f * (size_t)a->frame_len,
                                     (size_t)a->frame_len);
    sorted = lv->db + lv->frames;
    memcpy(sorted, lv->db, lv->frames * sizeof *lv->db);
    qsort(sorted, lv->frames, sizeof *sorted, by_value);
    lv->sound_db = lv->frames ? sorted[lv->frames * 9 / 10] - SOUND_BELOW_DB
                              : 0.0;
    /* line noise 15 dB under the speech is not sound: the level must also
     * stand clear of the utterance's quietest tenth (its pre-roll, pauses
     * and post-roll: the noise floor) */
    if (lv->frames && sorted[lv->frames / 10] + SOUND_OVER_FLOOR_DB >
                          lv->sound_db)
        lv->sound_db = sorted[lv->frames / 10] + SOUND_OVER_FLOOR_DB;
    return 0;
}

/* The share of the sound in frames [from, end) that the words of the last
 * search (run on that part alone) lie on. A grammar's path puts whatever
 * its words do not fit down to silence, so the score alone cannot tell an
 * answer from a long sentence with a choice word inside it (an IVR's own
 * prompt heard in a mono recording, "for your balance, press 1 or say
 * balance"); where the words sit can. */
double asr_word_coverage(asr_recognizer *a, const span_levels *lv,
                         size_t from)
{
    size_t frames = lv->frames - from, f, sound = 0, covered = 0;
    unsigned char *on;
    ps_seg_t *it;

    if (frames == 0 || !(on = calloc(frames, 1)))
        return 0.0;
    for (it = ps_seg_iter(a->ps); it; it = ps_seg_next(it)) {
        const char *w = ps_seg_word(it);
        int sf, ef, i;
        if (w[0] == '<' || w[0] == '[' || w[0] == '+')
            continue;
        ps_seg_frames(it, &sf, &ef);
        for (i = sf < 0 ? 0 : sf; i <= ef && (size_t)i < frames; i++)
            on[i] = 1;
    }
    for (f = 0; f < frames; f++)
        if (lv->db[from + f] > lv->sound_db) {
            sound++;
            covered += on[f];
        }
    free(on);
    return sound ? (double)covered / (double)sound : 0.0;
}

/* Where the utterance's last part begins: the first frame of sound after
 * its last pause of TAIL_PAUSE_FRAMES or more, less a little pre-roll; 0
 * when it has no such pause, or the part would be too short to be words. */
#define TAIL_PAUSE_FRAMES 20
#define TAIL_MIN_FRAMES 25
#define TAIL_PRE_ROLL 10

size_t asr_tail_frame(const span_levels *lv)
{
    size_t last = lv->frames, f, quiet = 0;

    while (last > 0 && lv->db[last - 1] <= lv->sound_db)
        last--;
    for (f = last; f > 0; f--) {
        if (lv->db[f - 1] > lv->sound_db) {
            quiet = 0;
            continue;
        }
        if (++quiet < TAIL_PAUSE_FRAMES)
            continue;
        /* frames f-1 .. f-1+quiet-1 are the pause; sound resumes after */
        f += quiet - 1;
        while (f < last && lv->db[f] <= lv->sound_db)
            f++;
        if (last - f < TAIL_MIN_FRAMES)
            return 0;
        return f > TAIL_PRE_ROLL ? f - TAIL_PRE_ROLL : 0;
    }
    return 0;
}

int asr_word_ends(ps_decoder_t *ps, int *ends, int max)
{
    ps_seg_t *it;
    int n = 0;

    for (it = ps_seg_iter(ps); it; it = ps_seg_next(it)) {
        const char *w = ps_seg_word(it);
        int sf, ef;
        /* silence, fillers, and a grammar's null transitions ("(NULL)") */
        if (w[0] == '<' || w[0] == '[' || w[0] == '+' || w[0] == '(')
            continue;
        if (n == max) {
            ps_seg_free(it);
            return -1;
        }
        ps_seg_frames(it, &sf, &ef);
        ends[n++] = ef;
    }
    return n;
}

/* ASR_WORDS: where each word of text (the last search's) ended, from the
 * utterance's start, the part decoded beginning at frame from; none when
 * the segmentation's words are not text's. */
void asr_note_word_ends(asr_recognizer *a, const char *text, size_t from)
{
    int ends[ASR_MAX_WORDS], n = asr_word_ends(a->ps, ends, ASR_MAX_WORDS);
    int words = 0, i;
    const char *p;

    for (p = text; *p; p++)
        if (*p != ' ' && (p == text || p[-1] == ' '))
            words++;
    a->nwords = n == words ? n : 0;
    for (i = 0; i < a->nwords; i++)
        a->word_end[i] = (int64_t)(from + (size_t)ends[i] + 1) * a->frame_len;
}
