/*
 * sim.h: what ivr-sim's file and its modes share (sim_run.c: a call with
 * its outputs, the console, the live call, the call-script suite).
 */
#ifndef IVR_SIM_H
#define IVR_SIM_H

#include "caller.h"
#include "engine.h"
#include "legs.h"
#include "menu.h"

#include <stdio.h>

typedef struct sim {
    FILE *transcript;
    int json, verbose, quiet;
} sim;

typedef struct outputs {
    audio_writer *mono, *stereo;
} outputs;

typedef struct test_opts {
    int test, fast, jobs, shard_k, shard_n, coverage;
    const char *junit, *events;
    const char *const *allow_dirs;
    const char *target;         /* --target URI */
    int inband_keys;
} test_opts;

int sim_open_recording(const char *input, audio_read_opts *ro, legs_layout lay,
                       caller *who, engine_opts *eo);
int sim_run_call(const menu_file *m, engine_opts *eo, caller *c, outputs *o,
                 sim *s);
int sim_open_outputs(outputs *o, const char *mono, const char *stereo,
                     int force, ivr_error *err);
int sim_close_outputs(outputs *o, int ok);
int sim_open_transcript(sim *s, const char *path, int force);
int sim_run_console(const menu_file *m, engine_opts *eo, sim *s,
                    const char *device, int no_sound, const char *transcript,
                    int force, const char **vars, double max_secs);
int sim_run_live(const menu_file *m, engine_opts *eo, sim *s,
                 const char *device, outputs *o);
int sim_run_tests(const test_opts *t, char **paths, int n);
typedef struct sip_opts {
    const char *listen;         /* --sip-listen (or one chosen for --dial) */
    const char *calls_dir;
    int record;                 /* --record-calls: call-N.wav too */
    const char *dial;           /* --dial URI */
    const char *transfer_to;    /* --transfer-to URI with {target} */
    double ring_seconds;
    const char *register_aor;   /* --sip-register URI */
    const char *password_file;  /* --sip-password-file FILE */
    int max_calls;              /* --max-calls N (0: no limit) */
} sip_opts;
int sim_run_sip(const menu_file *m, engine_opts *eo, sim *s,
                const sip_opts *so);

/* ivr-sim --help's text (sim_usage.c). */
void sim_usage(FILE *out);

/* Recognisers loaded ahead of the calls (sim_pool.c): spare of them kept
 * loaded. NULL when no menu of m takes speech. take gives a loaded one,
 * loading it when none is spare (NULL when it cannot: the engine then
 * tries, and reports why); give takes one back for the next call. */
typedef struct asr_pool asr_pool;
asr_pool *asr_pool_new(const menu_file *m, double min_confidence, int spare,
                       int say_when_loaded);
asr_recognizer *asr_pool_take(asr_pool *p);
void asr_pool_give(asr_pool *p, asr_recognizer *a);
void asr_pool_free(asr_pool *p);

#endif
