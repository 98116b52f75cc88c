/*
 * bench.h: what every benchmark measures with: a monotonic clock and the
 * process's peak memory. Figures are reported as ratios against a
 * reference measured in the same run, so these only need to be steady.
 */
#ifndef IVR_BENCH_H
#define IVR_BENCH_H

#include <sys/resource.h>
#include <time.h>

/* Seconds on the monotonic clock (not wall time, which NTP may step). */
static inline double now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Seconds of CPU the process has used. */
static inline double cpu_now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* The most resident memory the process has had, in KB. */
static inline long peak_rss_kb(void)
{
    struct rusage ru;

    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss;
}

#endif
