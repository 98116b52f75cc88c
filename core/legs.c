/*
 * legs.c: the IVR's leg and the caller's, found by how each speaks.
 *
 * Each channel goes through the recogniser's own end-pointer (the same
 * 700 ms of silence ends a stretch) and the DTMF receiver. Measured on the
 * recordings tests/replay/render.pl makes (eight menus' prompts in six
 * voices, callers in six others): the IVR's opening stretch lasts 5.7 to
 * 14 s, a caller's answers 0.8 to 2.5 s; a 4 s stretch in the opening
 * 20 s tells them apart with room on both sides.
 */
#include "legs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "asr.h"
#include "dtmf.h"
#include "echo.h"

#define LEGS_RATE 8000
#define OPENING_S 20.0     /* the IVR greets within this */
#define IVR_STRETCH_S 4.0  /* no caller's answer lasts this long */
/* two legs whose longest stretches differ by less than this are not told
 * apart by them (both silent, or both talking at length) */
#define CLEAR_LEAD_S 1.5
/* what tells the legs apart happens early in a call: a long recording is
 * not read whole once more before it is replayed */
#define SCAN_S 120.0
/* Each leg of two is heard without the other's echo (see echo.h): the
 * caller's leg of an analogue line repeats the greeting 10 to 30 dB down,
 * a stretch as long as the IVR's own. The echo found is said in the
 * replay's note from ECHO_NOTED_DB on (it is cancelled whatever its
 * strength): on the replays' tuning voices no clean leg of
 * 140 reaches it, every leg with an echo 12 dB down does, and a third of
 * those with one 20 dB down */
#define ECHO_NOTED_DB 6.0
/* An echo later than the canceller's tail (a network's round trip) is
 * looked for in the first ECHO_SEARCH_S of the legs (ringing before the
 * greeting is in that first minute), from three quarters of the tail
 * (an echo whose peak comes earlier is inside it, spread and all) to
 * ECHO_LATEST_MS late (500 ms: a call around the world and back over
 * VoIP; see echo_delay.c). */
#define ECHO_SEARCH_S 60.0
#define ECHO_LATEST_MS 500

typedef struct leg_scan {
    double longest;
    int keys;
    int rate;
    double echo_db;
    long echo_late;      /* the other leg's echo beyond the tail: how
                          * late, samples (0: none) */
    /* two legs side by side share where the opening begins: at the first
     * stretch of IVR_STRETCH_S or more in either (the IVR's greeting), not
     * at the file's start, which may hold half a minute of ringing; -1
     * until then. NULL: the opening is the file's first seconds. */
    double *opening_at;
} leg_scan;

static double opening_start(const leg_scan *s)
{
    return s->opening_at && *s->opening_at > 0 ? *s->opening_at : 0.0;
}

static void on_stretch(const asr_result *r, void *user)
{
    leg_scan *s = user;
    double start = (double)r->start / s->rate;
    double len = (double)(r->end - r->start) / s->rate;

    if (s->opening_at && *s->opening_at < 0 && len >= IVR_STRETCH_S)
        *s->opening_at = start;
    if (start < opening_start(s) + OPENING_S && len > s->longest)
        s->longest = len;
}

static void on_key(const dtmf_event *ev, void *user)
{
    leg_scan *s = user;

    if (ev->kind == DTMF_DIGIT_BEGIN)
        s->keys++;
}

typedef struct leg_listener {
    asr_recognizer *ep;
    dtmf_detector *d;
    echo_canceller *echo;    /* the other leg's echo in this one */
} leg_listener;

/* On failure l is still to be closed: it frees what was made. */
static int listener_open(leg_listener *l, leg_scan *s, int echo,
                         ivr_error *err)
{
    asr_opts ao;

    memset(l, 0, sizeof *l);
    memset(s, 0, sizeof *s);
    s->rate = LEGS_RATE;
    memset(&ao, 0, sizeof ao);
    ao.no_decoder = 1;
    if (!(l->ep = asr_new(LEGS_RATE, &ao, on_stretch, s, err)) ||
        !(l->d = dtmf_detector_new(LEGS_RATE, NULL, on_key, s, err)) ||
        (echo && !(l->echo = echo_canceller_new(LEGS_RATE, ECHO_TAIL_MS,
                                                err))))
        return err->status;
    return IVR_OK;
}

static int listener_push(leg_listener *l, const float *x, size_t n,
                         ivr_error *err)
{
    dtmf_detector_push(l->d, x, n);
    return asr_push(l->ep, x, n, err);
}

static int listener_close(leg_listener *l, leg_scan *s, int status,
                          ivr_error *err)
{
    if (l->echo)
        s->echo_db = echo_canceller_found_db(l->echo);
    if (status == IVR_OK) {
        dtmf_detector_flush(l->d);
        status = asr_flush(l->ep, err);
    }
    dtmf_detector_free(l->d);
    asr_free(l->ep);
    echo_canceller_free(l->echo);
    return status;
}

static audio_reader *open_channel(const char *path, const audio_read_opts *ro,
                                  int channel, ivr_error *err)
{
    audio_read_opts o = *ro;

    o.channel = channel;
    o.rate = LEGS_RATE;
    return audio_reader_open(path, &o, err);
}

/* Up to want samples of two legs, in step: as many as the shorter gave
 * (0 at the end), or -1. */
static long read_legs(audio_reader *a, audio_reader *b, float *x, float *y,
                      long want, ivr_error *err)
{
    long n = audio_reader_read_full(a, x, (size_t)want, err), m;

    if (n < 0 || (m = audio_reader_read_full(b, y, (size_t)want, err)) < 0)
        return -1;
    return n < m ? n : m;
}

static int scan_channel(const char *path, const audio_read_opts *ro,
                        int channel, leg_scan *s, ivr_error *err)
{
    leg_listener l;
    audio_reader *r;
    float buf[4096];
    long got = 0, left = (long)(SCAN_S * LEGS_RATE);
    int status;

    if (!(r = open_channel(path, ro, channel, err)))
        return err->status;
    status = listener_open(&l, s, 0, err);
    while (status == IVR_OK && left > 0 &&
           (got = audio_reader_read_full(r, buf, left < 4096 ? left : 4096,
                                         err)) > 0) {
        status = listener_push(&l, buf, (size_t)got, err);
        left -= got;
    }
    if (status == IVR_OK && got < 0)
        status = err->status;
    audio_reader_close(r);
    return listener_close(&l, s, status, err);
}

/* How late each leg of two repeats the other beyond the canceller's
 * tail, in samples (0: no such echo). */
static int find_late_echoes(const char *path, const audio_read_opts *ro,
                            long late[2], ivr_error *err)
{
    long want = (long)(ECHO_SEARCH_S * LEGS_RATE), n;
    audio_reader *r[2] = {NULL, NULL};
    float *leg[2] = {NULL, NULL};
    echo_delays found;
    int status = IVR_OK, c;

    late[0] = late[1] = 0;
    for (c = 0; c < 2 && status == IVR_OK; c++)
        if (!(r[c] = open_channel(path, ro, c + 1, err)))
            status = err->status;
        else if (!(leg[c] = malloc((size_t)want * sizeof *leg[c])))
            status = ivr_error_set(err, IVR_EINTERNAL, "out of memory");
    if (status == IVR_OK) {
        n = read_legs(r[0], r[1], leg[0], leg[1], want, err);
        if (n < 0)
            status = err->status;
        else
            status = echo_delay_find(leg[0], leg[1], (size_t)n, LEGS_RATE,
                                     ECHO_TAIL_MS * 3 / 4, ECHO_LATEST_MS,
                                     &found, err);
    }
    if (status == IVR_OK) {
        late[1] = found.in_b > 0 ? found.in_b : 0;
        late[0] = found.in_a > 0 ? found.in_a : 0;
    }
    for (c = 0; c < 2; c++) {
        if (r[c])
            audio_reader_close(r[c]);
        free(leg[c]);
    }
    return status;
}

/* Two legs side by side, each heard without the other's echo (the IVR's
 * leg has none: its canceller learns nothing and takes nothing out). */
static int scan_two(const char *path, const audio_read_opts *ro,
                    leg_scan s[2], double *opening_s, ivr_error *err)
{
    leg_listener l[2];
    audio_reader *r[2] = {NULL, NULL};
    float orig[2][1024], clean[1024];
    long left = (long)(SCAN_S * LEGS_RATE), n, done = 0;
    double opening_at = -1.0;
    int status = IVR_OK, c, tried = 0;
    long late[2];

    *opening_s = 0.0;
    if (find_late_echoes(path, ro, late, err) != IVR_OK)
        return err->status;
    for (c = 0; c < 2 && status == IVR_OK; c++) {
        if (!(r[c] = open_channel(path, ro, c + 1, err)))
            status = err->status;
        else if ((status = listener_open(&l[tried++], &s[c], 1, err)) ==
                 IVR_OK) {
            s[c].opening_at = &opening_at;
            s[c].echo_late = late[c];
            if (echo_canceller_set_delay(l[c].echo,
                                         echo_tail_start(LEGS_RATE, late[c]))
                != 0)
                status = ivr_error_set(err, IVR_EINTERNAL, "out of memory");
        }
    }
    while (status == IVR_OK && left > 0 &&
           (n = read_legs(r[0], r[1], orig[0], orig[1],
                          left < 1024 ? left : 1024, err)) != 0) {
        if (n < 0) {
            status = err->status;
            break;
        }
        for (c = 0; c < 2 && status == IVR_OK; c++) {
            memcpy(clean, orig[c], (size_t)n * sizeof *clean);
            /* only stretches begun in the opening count, and keys are
             * not echoed: past it, the canceller has done its work */
            if (opening_at < 0 ||
                done < (long)((opening_at + OPENING_S) * LEGS_RATE) ||
                asr_in_speech(l[c].ep))
                echo_canceller_process(l[c].echo, orig[1 - c], clean,
                                       (size_t)n);
            status = listener_push(&l[c], clean, (size_t)n, err);
        }
        left -= n;
        done += n;
    }
    for (c = 0; c < tried; c++) {
        status = listener_close(&l[c], &s[c], status, err);
        s[c].opening_at = NULL;
    }
    if (opening_at > 0)
        *opening_s = opening_at;
    for (c = 0; c < 2; c++)
        if (r[c])
            audio_reader_close(r[c]);
    return status;
}

int legs_examine(const char *path, const audio_read_opts *ro,
                 legs_report *out, ivr_error *err)
{
    audio_read_opts o = *ro;
    audio_reader *r;
    leg_scan s[LEGS_MAX];
    int c, n, best = 0, second = -1;

    memset(out, 0, sizeof *out);
    o.channel = 0;
    if (!strcmp(path, "-"))
        return ivr_error_set(err, IVR_EUSAGE, "standard input cannot be "
                             "examined for its legs (name the file, or "
                             "give --channel)");
    if (!(r = audio_reader_open(path, &o, err)))
        return err->status;
    n = audio_reader_channels(r);
    audio_reader_close(r);
    out->channels = n;
    if (n > LEGS_MAX)
        n = LEGS_MAX;
    if (n == 2 && scan_two(path, ro, s, &out->opening_s, err) != IVR_OK)
        return err->status;
    for (c = 0; c < n; c++) {
        if (n != 2 &&
            scan_channel(path, ro, n == 1 ? 0 : c + 1, &s[c], err) != IVR_OK)
            return err->status;
        out->longest[c] = s[c].longest;
        out->keys[c] = s[c].keys;
        out->echo_db[c] = s[c].echo_db;
        out->echo_late_s[c] = (double)s[c].echo_late / LEGS_RATE;
    }
    if (n == 1) {
        out->mix = s[0].longest >= IVR_STRETCH_S;
        out->caller = 1;
        out->ivr = out->mix ? 1 : 0;
        return IVR_OK;
    }
    for (c = 1; c < n; c++)
        if (s[c].longest > s[best].longest)
            best = c;
    for (c = 0; c < n; c++)
        if (c != best && (second < 0 || s[c].longest > s[second].longest))
            second = c;
    if (s[best].longest >= IVR_STRETCH_S &&
        s[best].longest - s[second].longest >= CLEAR_LEAD_S) {
        out->ivr = best + 1;
        out->caller = second + 1;
    } else if (n == 2 && (s[0].keys > 0) != (s[1].keys > 0)) {
        /* no greeting to go by (the recording began late): the caller is
         * the one who pressed keys */
        out->caller = s[0].keys > 0 ? 1 : 2;
        out->ivr = 3 - out->caller;
    }
    return IVR_OK;
}

int legs_plan_replay(const char *path, const audio_read_opts *ro,
                     legs_layout lay, legs_plan *plan, ivr_error *err)
{
    legs_report legs;
    char late[32] = "";

    memset(plan, 0, sizeof *plan);
    plan->channel = ro->channel;
    if (!strcmp(path, "-") || lay == LEGS_CALLER) {
        plan->input_has_ivr = lay == LEGS_MIX;
        return IVR_OK;
    }
    if (legs_examine(path, ro, &legs, err) != IVR_OK)
        return err ? err->status : IVR_EINPUT;
    plan->opening_s = legs.opening_s;
    if (legs.channels == 1) {
        if (lay == LEGS_AUTO && legs.mix)
            snprintf(plan->note, sizeof plan->note, "%s: a mono mix of both "
                     "legs (%.1fs of talk from the start: the IVR); its "
                     "prompts are told apart from the caller (--layout "
                     "caller: all of it is the caller)", path,
                     legs.longest[0]);
        plan->input_has_ivr = lay == LEGS_MIX || legs.mix;
    } else if (lay == LEGS_MIX) {
        plan->channel = 0;
        plan->input_has_ivr = 1;
    } else if (ro->channel > 0) {
        if (legs.ivr == ro->channel) {
            plan->warning = 1;
            snprintf(plan->note, sizeof plan->note, "%s: channel %d sounds "
                     "like the IVR's leg (%.1fs of talk from the start)%s",
                     path, ro->channel, legs.longest[ro->channel - 1],
                     legs.caller ? "; the caller seems to be on another"
                                 : "");
        } else {
            plan->ivr_channel = legs.ivr;
            if (legs.ivr)
                plan->echo_late_s = legs.echo_late_s[ro->channel - 1];
        }
    } else if (legs.caller) {
        plan->channel = legs.caller;
        plan->ivr_channel = legs.ivr;
        plan->echo_late_s = legs.echo_late_s[legs.caller - 1];
        if (plan->echo_late_s > 0)
            snprintf(late, sizeof late, "; it comes back %.0f ms late",
                     plan->echo_late_s * 1000);
        snprintf(plan->note, sizeof plan->note, "%s: the caller is on "
                 "channel %d, the IVR on channel %d (%.1fs of talk from the "
                 "start)", path, legs.caller, legs.ivr,
                 legs.longest[legs.ivr - 1]);
        if (legs.echo_db[legs.caller - 1] >= ECHO_NOTED_DB)
            snprintf(plan->note + strlen(plan->note),
                     sizeof plan->note - strlen(plan->note), "; the IVR's "
                     "echo in the caller's leg is cancelled (%.0f dB taken "
                     "out in the opening%s)",
                     legs.echo_db[legs.caller - 1], late);
    } else {
        /* both at length: a mix saved twice over, as some tools export a
         * mono call to stereo */
        int both = legs.longest[0] >= IVR_STRETCH_S &&
                   legs.longest[1] >= IVR_STRETCH_S;
        plan->input_has_ivr = 1;
        snprintf(plan->note, sizeof plan->note, "%s: the legs are not told "
                 "apart (%s): replaying their mix, the IVR's prompts told "
                 "apart from the caller (--channel N picks a leg)", path,
                 both ? "both talk at length from the start"
                      : "no greeting, no keys");
    }
    return IVR_OK;
}

int legs_learn_echo(const char *path, const audio_read_opts *ro,
                    const legs_plan *plan, echo_canceller *ec,
                    ivr_error *err)
{
    audio_reader *caller = NULL, *ivr = NULL;
    float near[1024], far[1024];
    long left = (long)((plan->opening_s + OPENING_S) * LEGS_RATE), n;
    int status = IVR_OK;

    if (!ec || !plan->channel || !plan->ivr_channel)
        return IVR_OK;
    if (echo_canceller_set_delay(ec, echo_tail_start(LEGS_RATE,
                                         (long)(plan->echo_late_s *
                                                LEGS_RATE + 0.5))) != 0)
        return ivr_error_set(err, IVR_EINTERNAL, "out of memory");
    if (!(caller = open_channel(path, ro, plan->channel, err)) ||
        !(ivr = open_channel(path, ro, plan->ivr_channel, err)))
        status = err->status;
    while (status == IVR_OK && left > 0 &&
           (n = read_legs(caller, ivr, near, far, left < 1024 ? left : 1024,
                          err)) != 0) {
        if (n < 0) {
            status = err->status;
            break;
        }
        echo_canceller_process(ec, far, near, (size_t)n);
        left -= n;
    }
    if (caller)
        audio_reader_close(caller);
    if (ivr)
        audio_reader_close(ivr);
    echo_canceller_rewind(ec);
    return status;
}
