/*
 * test_sip_jitter.c: the SIP line's jitter buffer against a simulated
 * network. A caller sends a frame every 20 ms whose samples count up (so
 * what is played shows exactly which sample of which packet it was); each
 * packet is delayed, dropped or swapped as a bad network does; the call's
 * clock takes a frame every 20 ms. What is asserted is what the receiver
 * gets: the caller's audio in order, gaps concealed, the delay earned and
 * bounded.
 */
#include "sip_jitter.h"
#include "tap.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define FRAMES 500
#define FIRST_TS 1000000u

/* the caller's sample k: distinct and exact in a float */
static float sample(long k)
{
    return (float)(k % 100000) / 100000.0f;
}

/* an output sample back to the caller's sample number (-1: not one) */
static long which(float y)
{
    long k = lroundf(y * 100000.0f);
    return fabsf(y - sample(k)) < 1e-7f && y != 0.0f ? k : -1;
}

typedef struct network {
    double delay_ms[FRAMES];    /* each packet's time on the way; < 0 lost */
    double clock_phase_ms;      /* when the call's clock ticks in 20 ms */
    uint16_t first_seq;
} network;

/* Runs the caller's FRAMES packets over the network into j, and the
 * call's clock for as many frames plus a second; the samples played into
 * out (size (FRAMES + 50) * SIP_FRAME). */
static void run(sip_jitter *j, const network *net, float *out)
{
    int sent[FRAMES] = {0};
    int tick, k, i;

    memset(j, 0, sizeof *j);
    for (tick = 0; tick < FRAMES + 50; tick++) {
        double now = tick * 20.0 + net->clock_phase_ms;
        /* every packet due by now, in the order they arrive */
        for (;;) {
            int next = -1;
            double at = 0;
            for (k = 0; k < FRAMES; k++) {
                double due = k * 20.0 + net->delay_ms[k];
                if (!sent[k] && net->delay_ms[k] >= 0 && due <= now &&
                    (next < 0 || due < at)) {
                    next = k;
                    at = due;
                }
            }
            if (next < 0)
                break;
            float x[SIP_FRAME];
            for (i = 0; i < SIP_FRAME; i++)
                x[i] = sample((long)next * SIP_FRAME + i + 1);
            sip_jitter_put(j, (uint16_t)(net->first_seq + next),
                           FIRST_TS + (uint32_t)(next * SIP_FRAME), x,
                           SIP_FRAME);
            sent[next] = 1;
        }
        sip_jitter_get(j, out + (long)tick * SIP_FRAME, SIP_FRAME);
    }
}

/* How many of the caller's samples were played exactly once, in order. */
static long in_order(const float *out, long n, long *first_at)
{
    long i, k, last = 0, count = 0;

    *first_at = -1;
    for (i = 0; i < n; i++) {
        if ((k = which(out[i])) < 0 || k <= last)
            continue;
        if (*first_at < 0)
            *first_at = i;
        last = k;
        count++;
    }
    return count;
}

/* Caller's samples after sample from that are missing from the order
 * played (what is played again, concealment, is passed over). */
static long gaps_after(const float *out, long n, long from)
{
    long i, k, last = -1, gaps = 0;

    for (i = 0; i < n; i++) {
        if ((k = which(out[i])) <= last)
            continue;
        if (last > from && k != last + 1)
            gaps++;
        last = k;
    }
    return gaps;
}

static float out[(FRAMES + 50) * SIP_FRAME];
static sip_jitter jb;

static void test_a_clean_line_plays_every_sample_in_order(void)
{
    network net = {{0}, 10.0, 7};
    long first, received, lost, late;

    run(&jb, &net, out);
    sip_jitter_stats(&jb, &received, &lost, &late);
    ok(in_order(out, FRAMES * SIP_FRAME + 50 * SIP_FRAME, &first) ==
           FRAMES * SIP_FRAME && first == 0,
       "a clean line: every sample played once, in order, from the first "
       "frame");
    ok(received == FRAMES && lost == 0 && late == 0,
       "... %ld received, %ld lost, %ld late", received, lost, late);
}

static void test_packets_swapped_on_the_way_play_in_order(void)
{
    network net = {{0}, 15.0, 0};
    long first, k, received, lost, late;

    /* each odd packet overtakes the even one before it */
    for (k = 0; k < FRAMES; k += 2) {
        net.delay_ms[k] = 12.0;
        net.delay_ms[k + 1] = 0.0;
    }
    run(&jb, &net, out);
    sip_jitter_stats(&jb, &received, &lost, &late);
    ok(in_order(out, (FRAMES + 50) * SIP_FRAME, &first) == FRAMES * SIP_FRAME,
       "packets swapped in pairs: every sample played in order");
    ok(lost == 0, "... none counted lost (%ld late)", late);
}

static void test_packets_just_after_the_clock_play_a_frame_later(void)
{
    network net = {{0}, 0.0, 0};
    long first, i, received, lost, late;

    /* the call's clock ticks 5 ms before each packet comes */
    for (i = 0; i < FRAMES; i++)
        net.delay_ms[i] = 5.0;
    run(&jb, &net, out);
    sip_jitter_stats(&jb, &received, &lost, &late);
    ok(in_order(out, (FRAMES + 50) * SIP_FRAME, &first) == FRAMES * SIP_FRAME,
       "packets that come just after the clock ticks: every sample "
       "played, in order");
    ok(late == 0 && first == SIP_FRAME,
       "... a frame after they came (%ld late, first at %ld)", late, first);
}

static void test_a_late_packet_after_a_gap_is_heard_and_earns_the_delay(void)
{
    network net = {{0}, 10.0, 0};
    long first, k, gaps, received, lost, late;

    /* packet 100 is 35 ms late: its place and the next are played before
     * it comes, as concealment */
    net.delay_ms[100] = 35.0;
    for (k = 101; k < FRAMES; k++)
        net.delay_ms[k] = 30.0;
    run(&jb, &net, out);
    sip_jitter_stats(&jb, &received, &lost, &late);
    gaps = gaps_after(out, (FRAMES + 50) * SIP_FRAME, 0);
    ok(in_order(out, (FRAMES + 50) * SIP_FRAME, &first) == FRAMES * SIP_FRAME,
       "a packet late after concealment: it is heard, every sample in "
       "order");
    ok(gaps == 0 && late == 0, "... and the delay it earned plays the rest "
       "without a gap (%ld gaps, %ld dropped late)", gaps, late);
}

static void test_a_lost_packet_is_the_frame_before_it_again(void)
{
    network net = {{0}, 10.0, 0};
    long i, same = 0, received, lost, late;

    net.delay_ms[100] = -1;
    run(&jb, &net, out);
    sip_jitter_stats(&jb, &received, &lost, &late);
    for (i = 0; i < SIP_FRAME; i++)
        same += out[100 * SIP_FRAME + i] == out[99 * SIP_FRAME + i];
    ok(same == SIP_FRAME, "a lost packet: its frame is the one before it "
                          "again (%ld of %d samples)", same, SIP_FRAME);
    ok(which(out[101 * SIP_FRAME]) == 101L * SIP_FRAME + 1,
       "... and the next packet plays in its own place");
    ok(lost == 1 && received == FRAMES - 1, "... counted lost: %ld",
       lost);
}

static void test_a_long_gap_fades_to_silence(void)
{
    network net = {{0}, 10.0, 0};
    long i, half = 0, silent = 0;

    for (i = 200; i < 205; i++)
        net.delay_ms[i] = -1;
    run(&jb, &net, out);
    for (i = 0; i < SIP_FRAME; i++) {
        half += fabsf(out[201 * SIP_FRAME + i] -
                      0.5f * out[199 * SIP_FRAME + i]) < 1e-6f;
        silent += out[202 * SIP_FRAME + i] == 0.0f &&
                  out[204 * SIP_FRAME + i] == 0.0f;
    }
    ok(half == SIP_FRAME && silent == SIP_FRAME,
       "five packets lost: the last frame again, then at half level, then "
       "silence (%ld, %ld)", half, silent);
}

static void test_jitter_of_100_ms_is_absorbed_after_the_first_second(void)
{
    network net = {{0}, 3.0, 65500};
    long first, k, played, gaps, received, lost, late;

    srand(18);
    for (k = 0; k < FRAMES; k++)
        net.delay_ms[k] = 100.0 * rand() / RAND_MAX;
    run(&jb, &net, out);
    sip_jitter_stats(&jb, &received, &lost, &late);
    played = in_order(out, (FRAMES + 50) * SIP_FRAME, &first);
    /* after the first second, no sample is missing */
    gaps = gaps_after(out, (FRAMES + 50) * SIP_FRAME, 50L * SIP_FRAME);
    ok(gaps == 0, "jitter of 0-100 ms: after the first second every "
                  "sample follows the one before (%ld gaps)", gaps);
    ok(played > (FRAMES - 10) * SIP_FRAME, "... %ld of %d samples played "
       "in order, %ld packets too late", played, FRAMES * SIP_FRAME, late);
    diag("0-100 ms of jitter: %ld packets dropped late", late);
    ok(lost == 0 && received == FRAMES, "... sequence numbers that wrap "
       "past 65535 count no loss (%ld, %ld)", lost, received);
}

static void test_a_sender_too_fast_is_held_to_the_most_delay(void)
{
    float x[SIP_FRAME], y[SIP_FRAME];
    long k, i, worst = 0;

    memset(&jb, 0, sizeof jb);
    /* three packets for every two frames the clock takes */
    for (k = 0; k < 600; k++) {
        for (i = 0; i < SIP_FRAME; i++)
            x[i] = sample(k * SIP_FRAME + i + 1);
        sip_jitter_put(&jb, (uint16_t)k, (uint32_t)(k * SIP_FRAME), x,
                       SIP_FRAME);
        if (k % 3 != 2) {
            sip_jitter_get(&jb, y, SIP_FRAME);
            long behind = (k + 1) * SIP_FRAME - which(y[0]);
            if (behind > worst)
                worst = behind;
        }
    }
    ok(worst <= SIP_JITTER_MAX_MS * 8 + SIP_FRAME,
       "a caller's clock 50%% fast: the delay stays within %d ms (%ld ms)",
       SIP_JITTER_MAX_MS, worst / 8);
}

static void test_a_timestamp_jump_starts_again_at_once(void)
{
    float x[SIP_FRAME], y[SIP_FRAME];
    long k, i;

    memset(&jb, 0, sizeof jb);
    for (k = 0; k < 50; k++) {
        for (i = 0; i < SIP_FRAME; i++)
            x[i] = sample(k * SIP_FRAME + i + 1);
        /* a new source after a second: timestamps from elsewhere */
        sip_jitter_put(&jb, (uint16_t)k,
                       (uint32_t)(k * SIP_FRAME + (k >= 25 ? 7777777 : 0)),
                       x, SIP_FRAME);
        sip_jitter_get(&jb, y, SIP_FRAME);
    }
    ok(which(y[0]) == 49L * SIP_FRAME + 1,
       "a timestamp that jumps: the new audio plays at once");
}

int main(void)
{
    test_a_clean_line_plays_every_sample_in_order();
    test_packets_swapped_on_the_way_play_in_order();
    test_packets_just_after_the_clock_play_a_frame_later();
    test_a_late_packet_after_a_gap_is_heard_and_earns_the_delay();
    test_a_lost_packet_is_the_frame_before_it_again();
    test_a_long_gap_fades_to_silence();
    test_jitter_of_100_ms_is_absorbed_after_the_first_second();
    test_a_sender_too_fast_is_held_to_the_most_delay();
    test_a_timestamp_jump_starts_again_at_once();
    return tap_done();
}
