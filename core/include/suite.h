/*
 * suite.h: many call scripts run as one suite: in parallel worker
 * processes (-j), with results delivered in the scripts' order, and the
 * coverage of the menus they exercised.
 */
#ifndef IVR_SUITE_H
#define IVR_SUITE_H

#include <stdio.h>

#include "error.h"

typedef struct suite_point {
    int ok;
    char *name;       /* "file:line: expect ..." */
    char *diag;       /* on failure: expected, actual, the last events */
} suite_point;

typedef struct suite_case {
    char *path;
    suite_point *points;
    int npoints, failed;
    double seconds;
    char **hits;      /* coverage keys (see coverage.h) */
    int nhits;
} suite_case;

typedef struct suite_opts {
    int fast;         /* events only */
    int jobs;         /* worker processes (1: this one) */
    const char *events;   /* check against this transcript instead of
                           * running (one script only) */
    const char *tts_cache;
    const char *const *allow_dirs;  /* menu_load_opts.allow_dirs */
    const char *target;   /* run against this IVR over SIP instead of the
                           * scripts' menus (script_run_remote) */
    int inband_keys;      /* with target: keys as tones, not events */
} suite_opts;

/* Called once per script, in the order of paths, as results come in. */
typedef void (*suite_case_fn)(const suite_case *c, void *user);

/* Runs the scripts; returns IVR_OK when every script ran (failed
 * expectations are in the cases), or a status for a failure of the runner
 * itself. */
int suite_run(char *const *paths, int n, const suite_opts *o,
              suite_case_fn fn, void *user, ivr_error *err);

/* ------------------------------------------------------------------------
 * Reports
 */

/* A case's test points in TAP, numbered on from *counter; failures get
 * their diagnostics as "# " lines. */
void suite_tap_case(FILE *out, const suite_case *c, int *counter);

/* JUnit XML: cases are kept as they come (a testcase per script, a failure
 * per unmet expectation) and written at the end. */
typedef struct suite_junit suite_junit;
suite_junit *suite_junit_new(const char *suite_name);
int suite_junit_add(suite_junit *j, const suite_case *c);
int suite_junit_write(const suite_junit *j, const char *path, ivr_error *err);
void suite_junit_free(suite_junit *j);

/* ------------------------------------------------------------------------
 * A suite from start to end, as ivr-sim --test runs it
 */

typedef struct suite_tap_opts {
    suite_opts run;
    int shard_k, shard_n;     /* run every n-th script from the k-th
                               * (1-based); 0: all */
    const char *junit;        /* also write JUnit XML here */
    int coverage;             /* the coverage report after the plan */
} suite_tap_opts;

/* Runs the scripts (or the shard's), TAP to out with the plan at the end,
 * the coverage as TAP comments. Returns IVR_OK when every expectation
 * held, IVR_EFAIL when one did not, another status (err filled) when the
 * runner or an output failed. */
int suite_run_tap(char *const *paths, int n, const suite_tap_opts *o,
                  FILE *out, ivr_error *err);

#endif
