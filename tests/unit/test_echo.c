/*
 * test_echo.c: the echo canceller on flite's speech: a prompt's echo in
 * the caller's leg is taken out, a caller talking over it is kept, and a
 * leg with no echo comes out as it went in; an echo later than the tail
 * is found where it lies and cancelled there.
 */
#include "audio.h"
#include "echo.h"
#include "signals.h"
#include "tap.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define RATE 8000

static double energy(const float *x, size_t from, size_t to)
{
    double e = 0;
    size_t i;

    for (i = from; i < to; i++)
        e += (double)x[i] * x[i];
    return e;
}

/* near += gain * far, delay samples later */
static void add_echo(float *near, const float *far, size_t n, float gain,
                     size_t delay)
{
    size_t i;

    for (i = delay; i < n; i++)
        near[i] += gain * far[i - delay];
}

static void run(echo_canceller *ec, const float *far, float *near, size_t n)
{
    size_t i;

    /* in the engine's 20 ms frames, as a replay feeds it */
    for (i = 0; i < n; i += 160)
        echo_canceller_process(ec, far + i, near + i, n - i < 160 ? n - i
                                                                  : 160);
}

/* A one-pole low-pass on the echo: a line's echo path spreads it over
 * milliseconds instead of returning one sample for one. */
static void spread(float *x, size_t n)
{
    float y = 0.0f;
    size_t i;

    for (i = 0; i < n; i++)
        x[i] = y = 0.6f * y + 0.4f * x[i];
}

/* An echo 250 ms late, four times the tail: found where it lies, and
 * cancelled once the tail is moved there. */
static void late_echo(const sigbuf *prompt, const sigbuf *caller,
                      const float *noise)
{
    size_t n = prompt->n, i, late = RATE / 4, two_s = 2 * RATE;
    float *near = calloc(n, sizeof *near), *echo = calloc(n, sizeof *echo);
    echo_delays found;
    echo_canceller *ec;
    ivr_error err;
    double before, after, missed;
    int st;

    if (!near || !echo) {
        ok(0, "memory for the late echo");
        free(near);
        free(echo);
        return;
    }
    memcpy(echo, prompt->x, n * sizeof *echo);
    spread(echo, n);
    memcpy(near, noise, n * sizeof *near);
    add_echo(near, echo, n, 0.1f, late);
    ivr_error_clear(&err);
    st = echo_delay_find(prompt->x, near, n, RATE, 32, 500, &found, &err);
    ok(st == IVR_OK && found.in_b >= (int)late &&
       found.in_b <= (int)late + 8 && found.in_a == -1, "an echo 20 dB "
       "down and 250 ms late is found %d samples late (%.0f standard "
       "deviations out), none the other way (%d)", found.in_b,
       found.in_b_sigmas, found.in_a);
    st = echo_delay_find(near, prompt->x, n, RATE, 32, 500, &found, &err);
    ok(st == IVR_OK && found.in_a >= (int)late &&
       found.in_a <= (int)late + 8 && found.in_b == -1, "with the legs the "
       "other way round, it is found in the first (%d, %d)", found.in_a,
       found.in_b);
    for (i = 0; i < caller->n && 3 * RATE + i < n; i++)
        near[3 * RATE + i] += caller->x[i];
    st = echo_delay_find(prompt->x, near, n, RATE, 32, 500, &found, &err);
    ok(st == IVR_OK && found.in_b >= (int)late &&
       found.in_b <= (int)late + 8, "and with a caller talking over it "
       "(%d)", found.in_b);

    /* the same legs, the echo cancelled with the tail at 0 and then from
     * a quarter of the tail before the echo */
    memcpy(echo, near, n * sizeof *echo);
    ec = echo_canceller_new(RATE, 64, &err);
    before = energy(near, two_s, 3 * RATE);
    run(ec, prompt->x, echo, n);
    missed = 10 * log10(before / energy(echo, two_s, 3 * RATE));
    echo_canceller_free(ec);
    ec = echo_canceller_new(RATE, 64, &err);
    ok(echo_canceller_set_delay(ec, (long)late - RATE * 16 / 1000) == 0,
       "the tail moves to 234 ms");
    run(ec, prompt->x, near, n);
    after = 10 * log10(before / energy(near, two_s, 3 * RATE));
    ok(missed < 3 && after >= 10, "the late echo is taken %.1f dB down "
       "from its tail, %.1f dB with the tail at 0", after, missed);
    echo_canceller_free(ec);

    /* the caller's voice over line noise, and no echo */
    memcpy(near, noise, n * sizeof *near);
    for (i = 0; i < caller->n && 3 * RATE + i < n; i++)
        near[3 * RATE + i] += caller->x[i];
    st = echo_delay_find(prompt->x, near, n, RATE, 32, 500, &found, &err);
    ok(st == IVR_OK && found.in_a == -1 && found.in_b == -1 &&
       found.blocks > 0, "legs with no echo have none found (%.1f and %.1f "
       "standard deviations, %d blocks)", found.in_a_sigmas,
       found.in_b_sigmas, found.blocks);
    memset(near, 0, n * sizeof *near);
    st = echo_delay_find(prompt->x, near, n, RATE, 32, 500, &found, &err);
    ok(st == IVR_OK && found.in_a == -1 && found.in_b == -1 &&
       found.blocks == 0, "nor has a leg of digital silence (%d blocks "
       "heard)", found.blocks);
    st = echo_delay_find(prompt->x, noise, n, RATE, 32, 800, &found, &err);
    ok(st == IVR_EUSAGE && !strcmp(err.message, "an echo search from 32 to "
       "800 ms late at 8000 Hz is outside 0..768 ms"), "a search too long "
       "for one transform is refused: %s", err.message);
    free(near);
    free(echo);
}

/* A live call: the prompt played twice over, heard by a microphone at
 * 0 dB (as loud as it was played), 120 ms late and then, after the
 * devices slip, 160 ms; in 20 ms frames, as the live loop runs. */
static void live_echo(const sigbuf *prompt, const sigbuf *caller,
                      const float *noise)
{
    size_t half = prompt->n, n = 2 * half, i, frame = 160;
    size_t first = RATE * 120 / 1000, second = RATE * 160 / 1000;
    float *played = calloc(n, sizeof *played), *mic = calloc(n, sizeof *mic);
    float *heard = calloc(n, sizeof *heard);
    double muted, cleaned, kept, left;
    echo_live *el;
    ivr_error err;

    if (!played || !mic || !heard) {
        ok(0, "memory for the live echo");
        goto done;
    }
    memcpy(played, prompt->x, half * sizeof *played);
    memcpy(played + half, prompt->x, half * sizeof *played);
    for (i = 0; i < n; i++) {
        size_t late = i < half ? first : second;
        mic[i] = noise[i % half] + (i >= late ? played[i - late] : 0.0f);
    }
    /* the caller over the second prompt, from 4 s into it, 6 dB louder
     * than the echo (-10 dBm0) */
    for (i = 0; i < caller->n && half + 4 * RATE + i < n; i++)
        mic[half + 4 * RATE + i] += 3.2f * caller->x[i];
    memcpy(heard, mic, n * sizeof *heard);
    ivr_error_clear(&err);
    el = echo_live_new(RATE, &err);
    for (i = 0; i + frame <= n; i += frame) {
        if (i <= half && i + frame > half)
            echo_live_slipped(el);
        echo_live_process(el, played + i, heard + i, frame);
        if (i + frame <= half && i + 2 * frame > half)
            ok(echo_live_late(el) >= (long)first &&
               echo_live_late(el) <= (long)first + 8, "the microphone "
               "hears the speaker %ld samples late (%zu played)",
               echo_live_late(el), first);
    }
    muted = 10 * log10(energy(mic, 0, RATE) /
                       (energy(heard, 0, RATE) + 1e-20));
    cleaned = 10 * log10(energy(mic, 3 * RATE, half) /
                         energy(heard, 3 * RATE, half));
    ok(muted >= 40, "until the echo is found, the microphone is muted while "
       "the speaker talks (%.1f dB down)", muted);
    ok(cleaned >= 30, "once found, the echo is taken %.1f dB down", cleaned);
    ok(echo_live_late(el) >= (long)second &&
       echo_live_late(el) <= (long)second + 8, "after the devices slip, "
       "it is found anew %ld samples late (%zu played)", echo_live_late(el),
       second);
    muted = 10 * log10(energy(mic, half, half + RATE) /
                       (energy(heard, half, half + RATE) + 1e-20));
    ok(muted >= 40, "and the microphone muted meanwhile (%.1f dB down)",
       muted);
    for (i = 0, left = 0; i < caller->n && half + 4 * RATE + i < n; i++) {
        double d = heard[half + 4 * RATE + i] - 3.2f * caller->x[i];
        left += d * d;
    }
    kept = 10 * log10(10.24 * energy(caller->x, 0,
                                    caller->n < half - 4 * RATE
                                        ? caller->n
                                        : half - 4 * RATE) / left);
    ok(kept >= 9, "a caller 6 dB louder than the echo, talking over it, "
       "keeps their voice: what is left lies %.1f dB under it", kept);
    echo_live_free(el);
done:
    free(played);
    free(mic);
    free(heard);
}

int main(void)
{
    char dir[] = "/tmp/ivr-test-echo.XXXXXX";
    sigbuf prompt, caller;
    audio_rng rng;
    echo_canceller *ec;
    ivr_error err;
    float *near, *noise;
    size_t n, i, two_s = 2 * RATE;
    double before, after, kept;

    if (!mkdtemp(dir)) {
        ok(0, "a temporary folder");
        return tap_done();
    }
    sig_init(&prompt, RATE);
    sig_init(&caller, RATE);
    if (sig_speech(&prompt, dir, "kal", "Thank you for calling Harbor "
                   "Bank. For your balance, press one or say balance. To "
                   "report a lost card, press two.") != 0 ||
        sig_speech(&caller, dir, "slt", "I want to speak to an agent "
                   "please, not a machine.") != 0) {
        ok(0, "flite speaks the prompt and the caller");
        return tap_done();
    }
    sig_set_level(&prompt, 0, -16);
    n = prompt.n;
    near = calloc(n, sizeof *near);
    noise = calloc(n, sizeof *noise);
    audio_rng_seed(&rng, 7);
    audio_add_noise(noise, n, -70, &rng);

    /* an analogue line's echo: 20 dB down, 30 ms late, over line noise */
    memcpy(near, noise, n * sizeof *near);
    add_echo(near, prompt.x, n, 0.1f, 240);
    ec = echo_canceller_new(RATE, 64, &err);
    diag("kernel %s runs", echo_canceller_kernel(ec));
    before = energy(near, two_s, n);
    run(ec, prompt.x, near, n);
    after = energy(near, two_s, n);
    ok(10 * log10(before / after) >= 10, "a prompt's echo 20 dB down and "
       "30 ms late is taken 10 dB further down after two seconds (%.1f dB)",
       10 * log10(before / after));
    ok(echo_canceller_found_db(ec) >= 6, "the canceller says it found an "
       "echo (%.1f dB)", echo_canceller_found_db(ec));
    echo_canceller_free(ec);

    /* the caller talks over the prompt's echo from 3 s on */
    memcpy(near, noise, n * sizeof *near);
    add_echo(near, prompt.x, n, 0.1f, 240);
    sig_set_level(&caller, 0, -20);
    for (i = 0; i < caller.n && 3 * RATE + i < n; i++)
        near[3 * RATE + i] += caller.x[i];
    ec = echo_canceller_new(RATE, 64, &err);
    run(ec, prompt.x, near, n);
    for (i = 0, after = 0; i < caller.n && 3 * RATE + i < n; i++) {
        double d = near[3 * RATE + i] - caller.x[i];
        after += d * d;
    }
    kept = 10 * log10(energy(caller.x, 0, caller.n < n - 3 * RATE
                                            ? caller.n : n - 3 * RATE) /
                      after);
    ok(kept >= 15, "a caller talking over the echo keeps their voice: "
       "what is left of the echo lies %.1f dB under it", kept);
    echo_canceller_free(ec);

    /* no echo: the caller's leg is line noise and the caller's voice */
    memcpy(near, noise, n * sizeof *near);
    for (i = 0; i < caller.n && 3 * RATE + i < n; i++)
        near[3 * RATE + i] += caller.x[i];
    {
        float *copy = malloc(n * sizeof *copy);
        double diff = 0;
        if (!copy)
            return tap_done();
        memcpy(copy, near, n * sizeof *copy);
        ec = echo_canceller_new(RATE, 64, &err);
        run(ec, prompt.x, near, n);
        for (i = 0; i < n; i++)
            diff += (double)(near[i] - copy[i]) * (near[i] - copy[i]);
        char how[64] = "bit for bit";
        if (diff > 0)
            snprintf(how, sizeof how, "changed %.1f dB under itself",
                     10 * log10(energy(copy, 0, n) / diff));
        ok(diff == 0 || 10 * log10(energy(copy, 0, n) / diff) >= 30,
           "a leg without echo comes out as it went in (%s)", how);
        ok(echo_canceller_found_db(ec) < 1, "and the canceller finds no "
           "echo in it (%.2f dB)", echo_canceller_found_db(ec));
        echo_canceller_free(ec);
        free(copy);
    }

    late_echo(&prompt, &caller, noise);
    live_echo(&prompt, &caller, noise);

    ivr_error_clear(&err);
    ok(echo_canceller_new(RATE, 0, &err) == NULL && err.status == IVR_EUSAGE &&
       !strcmp(err.message, "an echo tail of 0 ms at 8000 Hz is outside "
               "8..16384 taps"), "a tail too short is refused: %s",
       err.message);

    free(near);
    free(noise);
    sig_free(&prompt);
    sig_free(&caller);
    {
        char cmd[64];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
        if (system(cmd) != 0)
            diag("could not remove %s", dir);
    }
    return tap_done();
}
