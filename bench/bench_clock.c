/*
 * bench_clock.c: the reference for bench/sip.sh's RTP timing. A thread
 * that does nothing but keep a 20 ms clock, at the priority the calls'
 * clocks run at (SCHED_RR when allowed), the same way they keep it
 * (core/sip_media.c: sleep to the next slot, measure how late it woke),
 * for SECONDS while the calls run. What it misses by is what the machine
 * (its scheduler, a virtual machine's timer) costs any 20 ms clock; what
 * the calls miss beyond that is ivrkit's.
 *
 *   bench-clock SECONDS   prints "SLOTS LATE WORST_MS"
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define SLOT_US 20000
#define SLACK_US 2000

static unsigned long long clock_us(void)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return (unsigned long long)t.tv_sec * 1000000u +
           (unsigned long long)t.tv_nsec / 1000u;
}

int main(int argc, char **argv)
{
    double seconds = argc > 1 ? atof(argv[1]) : 30.0;
    long slots = (long)(seconds * 1e6 / SLOT_US), late = 0, i;
    unsigned long long next, now, worst = 0;
    struct sched_param sp;

    memset(&sp, 0, sizeof sp);
    sp.sched_priority = sched_get_priority_min(SCHED_RR);
    (void)pthread_setschedparam(pthread_self(), SCHED_RR, &sp);
    next = clock_us() + SLOT_US;
    for (i = 0; i < slots; i++) {
        now = clock_us();
        if (next > now) {
            struct timespec t = {(time_t)((next - now) / 1000000u),
                                 (long)((next - now) % 1000000u) * 1000L};
            while (nanosleep(&t, &t) != 0 && errno == EINTR)
                ;
        }
        now = clock_us();
        if (now > next + SLACK_US)
            late++;
        if (now > next && now - next > worst)
            worst = now - next;
        next += SLOT_US;
    }
    printf("%ld %ld %.1f\n", slots, late, (double)worst / 1000.0);
    return 0;
}
