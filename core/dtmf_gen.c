/* dtmf_gen.c: dial strings to samples. */
#include "dtmf.h"
#include "audio.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const double row_hz[4] = {697.0, 770.0, 852.0, 941.0};
static const double col_hz[4] = {1209.0, 1336.0, 1477.0, 1633.0};
static const char keypad[4][5] = {"123A", "456B", "789C", "*0#D"};

int dtmf_digit_freqs(char c, double *low_hz, double *high_hz)
{
    int r, k;

    if (c >= 'a' && c <= 'd')
        c = (char)(c - 'a' + 'A');
    for (r = 0; r < 4; r++)
        for (k = 0; k < 4; k++)
            if (keypad[r][k] == c) {
                if (low_hz)
                    *low_hz = row_hz[r];
                if (high_hz)
                    *high_hz = col_hz[k];
                return 1;
            }
    return 0;
}

void dtmf_gen_params_default(dtmf_gen_params *p)
{
    p->on_ms = 100.0;
    p->off_ms = 100.0;
    p->pause_ms = 500.0;
    p->level_dbm0 = -7.0;
    p->twist_db = -2.0;
    p->freq_offset_pct = 0.0;
    p->lead_ms = 0.0;
    p->snr_db = -1.0;
    p->seed = 1;
}

static int ignorable(char c)
{
    return c == ' ' || c == '-' || c == '.';
}

int dtmf_dial_check(const char *dial, ivr_error *err)
{
    size_t i, digits = 0;

    for (i = 0; dial[i]; i++) {
        if (dtmf_digit_freqs(dial[i], NULL, NULL)) {
            digits++;
            continue;
        }
        if (dial[i] == ',' || ignorable(dial[i]))
            continue;
        return ivr_error_set(err, IVR_EINPUT,
                             "dial string \"%s\": '%c' at position %zu is not "
                             "a DTMF digit (0-9 * # A-D), ',' or a space",
                             dial, dial[i], i + 1);
    }
    if (digits == 0)
        return ivr_error_set(err, IVR_EINPUT,
                             "dial string \"%s\" has no digits", dial);
    return IVR_OK;
}

size_t dtmf_dial_digits(const char *dial, char *out, size_t size)
{
    size_t n = 0;

    for (; *dial; dial++) {
        char c = *dial;
        if (!dtmf_digit_freqs(c, NULL, NULL))
            continue;
        if (c >= 'a' && c <= 'd')
            c = (char)(c - 'a' + 'A');
        if (n + 1 < size)
            out[n] = c;
        n++;
    }
    if (size > 0)
        out[n < size ? n : size - 1] = '\0';
    return n;
}

/* One stretch of output: a dual tone, or silence when low_hz is 0. */
typedef struct segment {
    double low_hz, high_hz;
    uint64_t frames;
} segment;

struct dtmf_generator {
    segment *segs;
    size_t nsegs, cur;
    uint64_t pos;          /* within the current segment */
    uint64_t total;
    int rate;
    double low_amp, high_amp;
    double noise_dbm0;     /* < -150: no noise */
    audio_rng rng;
};

static uint64_t ms_to_frames(double ms, int rate)
{
    return (uint64_t)llround(ms * rate / 1000.0);
}

dtmf_generator *dtmf_generator_new(const char *dial, int rate,
                                   const dtmf_gen_params *p, ivr_error *err)
{
    dtmf_gen_params defaults;
    dtmf_generator *g;
    double scale;
    size_t i, n = 0;

    if (!p) {
        dtmf_gen_params_default(&defaults);
        p = &defaults;
    }
    if (dtmf_dial_check(dial, err) != IVR_OK)
        return NULL;
    if (rate < AUDIO_RATE_MIN || rate > AUDIO_RATE_MAX) {
        ivr_error_set(err, IVR_EUSAGE, "rate %d Hz is outside %d..%d", rate,
                      AUDIO_RATE_MIN, AUDIO_RATE_MAX);
        return NULL;
    }
    if (p->on_ms <= 0 || p->off_ms < 0 || p->pause_ms < 0 || p->lead_ms < 0) {
        ivr_error_set(err, IVR_EUSAGE, "tone length must be positive and "
                      "gaps not negative");
        return NULL;
    }
    scale = 1.0 + p->freq_offset_pct / 100.0;
    if (col_hz[3] * scale >= rate / 2.0) {
        ivr_error_set(err, IVR_EUSAGE, "rate %d Hz is too low for DTMF tones",
                      rate);
        return NULL;
    }
    g = calloc(1, sizeof *g);
    if (!g || !(g->segs = calloc(2 * strlen(dial) + 1, sizeof *g->segs))) {
        free(g);
        ivr_error_set(err, IVR_EINTERNAL, "out of memory");
        return NULL;
    }
    g->rate = rate;
    g->low_amp = audio_dbm0_to_peak(p->level_dbm0);
    g->high_amp = audio_dbm0_to_peak(p->level_dbm0 - p->twist_db);
    g->noise_dbm0 = -200.0;
    if (p->snr_db >= 0) {
        /* the pair's level: the two tones' powers add */
        double pair = audio_power_to_dbm0(
            audio_dbm0_to_power(p->level_dbm0) +
            audio_dbm0_to_power(p->level_dbm0 - p->twist_db));
        g->noise_dbm0 = pair - p->snr_db;
    }
    audio_rng_seed(&g->rng, p->seed);
    if (p->lead_ms > 0)
        g->segs[n++].frames = ms_to_frames(p->lead_ms, rate);
    for (i = 0; dial[i]; i++) {
        double lo, hi;
        if (dial[i] == ',') {
            g->segs[n++].frames = ms_to_frames(p->pause_ms, rate);
        } else if (dtmf_digit_freqs(dial[i], &lo, &hi)) {
            g->segs[n].low_hz = lo * scale;
            g->segs[n].high_hz = hi * scale;
            g->segs[n++].frames = ms_to_frames(p->on_ms, rate);
            g->segs[n++].frames = ms_to_frames(p->off_ms, rate);
        }
    }
    g->nsegs = n;
    for (i = 0; i < n; i++)
        g->total += g->segs[i].frames;
    return g;
}

size_t dtmf_generator_read(dtmf_generator *g, float *out, size_t max)
{
    size_t done = 0;

    while (done < max && g->cur < g->nsegs) {
        const segment *s = &g->segs[g->cur];
        uint64_t left = s->frames - g->pos;
        size_t n = max - done < left ? max - done : (size_t)left;
        size_t i;

        if (s->low_hz > 0) {
            double wl = 2.0 * M_PI * s->low_hz / g->rate;
            double wh = 2.0 * M_PI * s->high_hz / g->rate;
            for (i = 0; i < n; i++) {
                double t = (double)(g->pos + i);
                out[done + i] = (float)(g->low_amp * sin(wl * t) +
                                        g->high_amp * sin(wh * t));
            }
        } else {
            memset(out + done, 0, n * sizeof *out);
        }
        if (g->noise_dbm0 > -150.0)
            audio_add_noise(out + done, n, g->noise_dbm0, &g->rng);
        done += n;
        g->pos += n;
        if (g->pos == s->frames) {
            g->cur++;
            g->pos = 0;
        }
    }
    return done;
}

uint64_t dtmf_generator_length(const dtmf_generator *g)
{
    return g->total;
}

void dtmf_generator_free(dtmf_generator *g)
{
    if (!g)
        return;
    free(g->segs);
    free(g);
}
