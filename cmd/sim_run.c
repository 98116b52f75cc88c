/*
 * sim_run.c: ivr-sim's modes once the command line is checked: a call
 * from keys, words or a recording with its outputs, the console, the live
 * call on a sound device, and the call-script suite.
 */
#include "cli.h"
#include "sim.h"
#include "console.h"
#include "device.h"
#include "echo.h"
#include "fs.h"
#include "suite.h"
#include "transcript.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum {
    OPT_CHECK = 2000,
    OPT_GRAPH,
    OPT_FAST,
    OPT_CALLER,
    OPT_CALLED,
    OPT_VAR,
    OPT_JSON,
    OPT_STEREO,
    OPT_RECORD_DIR,
    OPT_MAX,
    OPT_SEED,
    OPT_CALLER_VOICE,
    OPT_TEST,
    OPT_JUNIT,
    OPT_SHARD,
    OPT_COVERAGE,
    OPT_EVENTS,
    OPT_GEN_TESTS,
    OPT_LIVE,
    OPT_CONSOLE,
    OPT_LIST_DEVICES,
    OPT_NO_SOUND,
    OPT_SMS_BACKEND,
    OPT_NO_SMS,
    OPT_ALLOW_DIR,
    OPT_LAYOUT
};


static void on_event(const engine_event *ev, void *user)
{
    sim *s = user;

    if (s->transcript)
        transcript_write_json(s->transcript, ev);
    if (s->quiet)
        return;
    if (s->json)
        transcript_write_json(stdout, ev);
    else
        transcript_write_text(stdout, ev, s->verbose);
}

/* The replayed recording, as legs_plan_replay decides, said to the user;
 * the recorded IVR's leg (or the mix) paces the replay. */
int sim_open_recording(const char *input, audio_read_opts *ro, legs_layout lay,
                       caller *who, engine_opts *eo)
{
    legs_plan plan;
    audio_read_opts leg_ro;
    audio_reader *r;
    ivr_error err;

    ivr_error_clear(&err);
    ro->rate = ENGINE_RATE;
    if (legs_plan_replay(input, ro, lay, &plan, &err) != IVR_OK)
        return cli_report(&err);
    if (*plan.note && plan.warning)
        cli_warn("%s", plan.note);
    else if (*plan.note)
        cli_note("%s", plan.note);
    ro->channel = plan.channel;
    eo->input_has_ivr = plan.input_has_ivr;
    if (!(r = audio_reader_open(input, ro, &err)))
        return cli_report(&err);
    caller_set_input(who, r);
    if (plan.ivr_channel) {
        leg_ro = *ro;
        leg_ro.channel = plan.ivr_channel;
        if (!(r = audio_reader_open(input, &leg_ro, &err)) ||
            caller_set_recorded_ivr(who, r, &err) != IVR_OK ||
            legs_learn_echo(input, ro, &plan, caller_echo(who), &err)
                != IVR_OK)
            return cli_report(&err);
    } else if (eo->input_has_ivr &&
               caller_set_recorded_ivr(who, NULL, &err) != IVR_OK) {
        return cli_report(&err);
    }
    return IVR_OK;
}

static int write_frame(outputs *o, const float *in, const float *out,
                       ivr_error *err)
{
    float both[2 * ENGINE_FRAME];
    int i;

    if (o->mono && audio_writer_write(o->mono, out, ENGINE_FRAME, err) != 0)
        return -1;
    if (o->stereo) {
        for (i = 0; i < ENGINE_FRAME; i++) {
            both[2 * i] = in[i];
            both[2 * i + 1] = out[i];
        }
        if (audio_writer_write(o->stereo, both, ENGINE_FRAME, err) != 0)
            return -1;
    }
    return 0;
}

int sim_run_call(const menu_file *m, engine_opts *eo, caller *c, outputs *o,
                 sim *s)
{
    float in[ENGINE_FRAME], out[ENGINE_FRAME];
    ivr_error err;
    engine *e;
    int rc = IVR_OK, on_line = 1, step;

    ivr_error_clear(&err);
    e = engine_new(m, eo, on_event, s, &err);
    if (!e)
        return cli_report(&err);
    /* Ctrl-C ends the call as a hang-up at that moment: the timeline, the
     * transcript and the audio files are complete up to it */
    cli_catch_interrupts();
    for (;;) {
        if (cli_interrupted() && !engine_ended(e))
            engine_end(e, ENGINE_END_INTERRUPTED);
        if (on_line) {
            on_line = caller_frame(c, e, in, &err);
            if (on_line < 0) {
                rc = cli_report(&err);
                break;
            }
            if (on_line == 0)
                engine_hangup(e);
        }
        step = engine_step(e, on_line ? in : NULL, out, &err);
        if (step < 0) {
            rc = cli_report(&err);
            break;
        }
        if (write_frame(o, on_line ? in : (memset(in, 0, sizeof in), in), out,
                        &err) != 0) {
            rc = cli_report(&err);
            break;
        }
        if (step == 0)
            break;
    }
    engine_free(e);
    return rc == IVR_OK && cli_interrupted() ? 128 + cli_interrupted() : rc;
}

int sim_open_outputs(outputs *o, const char *mono, const char *stereo,
                     int force, ivr_error *err)
{
    if (mono && !(o->mono = audio_writer_open(mono, ENGINE_RATE, 1,
                                              AUDIO_ENC_PCM16, force, err)))
        return -1;
    if (stereo && !(o->stereo = audio_writer_open(stereo, ENGINE_RATE, 2,
                                                  AUDIO_ENC_PCM16, force, err)))
        return -1;
    return 0;
}

int sim_close_outputs(outputs *o, int ok)
{
    ivr_error err;
    int rc = IVR_OK;

    ivr_error_clear(&err);
    if (o->mono) {
        if (!ok)
            audio_writer_abort(o->mono);
        else if (audio_writer_close(o->mono, &err) != IVR_OK)
            rc = cli_report(&err);
    }
    if (o->stereo) {
        if (!ok)
            audio_writer_abort(o->stereo);
        else if (audio_writer_close(o->stereo, &err) != IVR_OK)
            rc = cli_report(&err);
    }
    return rc;
}

int sim_open_transcript(sim *s, const char *path, int force)
{
    ivr_error err;
    struct stat st;

    if (!path)
        return IVR_OK;
    if (!strcmp(path, "-")) {
        s->transcript = stdout;
        s->quiet = 1;
        return IVR_OK;
    }
    /* a device or a FIFO is written into, not replaced */
    if (!force && lstat(path, &st) == 0 &&
        (S_ISREG(st.st_mode) || S_ISLNK(st.st_mode))) {
        ivr_error_set(&err, IVR_EOUTPUT,
                      "%s: exists; not replacing it "
                      "(--force replaces it)",
                      path);
        return cli_report(&err);
    }
    if (!(s->transcript = fopen(path, "w"))) {
        ivr_error_set(&err, IVR_EOUTPUT, "%s:", path);
        return cli_report(&err);
    }
    return IVR_OK;
}

/* The console: a designer types keys and words. On a pipe (asked for or
 * not), the commands come line by line on the virtual clock. */
int sim_run_console(const menu_file *m, engine_opts *eo, sim *s,
                    const char *device, int no_sound, const char *transcript,
                    int force, const char **vars, double max_secs)
{
    console_opts co;
    ivr_error err;
    char history[4096];
    int rc;

    if ((rc = sim_open_transcript(s, transcript, force)) != IVR_OK)
        return rc;
    memset(&co, 0, sizeof co);
    co.interactive = isatty(STDIN_FILENO) && isatty(STDOUT_FILENO);
    co.speaker = co.interactive && !no_sound && !eo->fast;
    co.device = device;
    co.call = *eo;
    co.call.vars = vars;
    co.call.max_seconds = max_secs;
    co.verbose = s->verbose;
    co.transcript = s->transcript != stdout ? s->transcript : NULL;
    co.history = co.interactive && fs_user_path(FS_STATE, "console_history",
                                                history, sizeof history) == 0
                     ? history
                     : NULL;
    ivr_error_clear(&err);
    rc = console_run(m, &co, &err);
    return rc == IVR_OK ? IVR_OK : cli_report(&err);
}

static volatile sig_atomic_t hung_up;

static void on_hangup_signal(int sig)
{
    (void)sig;
    hung_up = 1;
}

/* The microphone and the speaker pace the engine: the same frames as a
 * file, 20 ms of the device's audio each. */
int sim_run_live(const menu_file *m, engine_opts *eo, sim *s,
                 const char *device, outputs *o)
{
    float in[ENGINE_FRAME], out[ENGINE_FRAME], played[ENGINE_FRAME];
    struct sigaction sa;
    ivr_error err;
    audio_device *d;
    echo_live *echo = NULL;
    engine *e;
    long over, under, late = -1, xruns = 0;
    int rc = IVR_OK, step = 1;

    ivr_error_clear(&err);
    if (!(d = device_open(1, device, 1, device, ENGINE_RATE, &err)))
        return cli_report(&err);
    if (!(e = engine_new(m, eo, on_event, s, &err)) ||
        !(echo = echo_live_new(ENGINE_RATE, &err))) {
        engine_free(e);
        device_close(d);
        return cli_report(&err);
    }
    memset(played, 0, sizeof played);
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_hangup_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    while (step == 1) {
        if (hung_up)
            engine_hangup(e);
        if (device_read(d, in, ENGINE_FRAME, &err) != IVR_OK) {
            rc = cli_report(&err);
            break;
        }
        /* a speaker the microphone hears would barge in on itself */
        echo_live_process(echo, played, in, ENGINE_FRAME);
        if (late < 0 && (late = echo_live_late(echo)) >= 0)
            cli_note("%s: the microphone hears the speaker %ld ms late: "
                     "its echo is cancelled", device ? device
                                                     : "sound device",
                     late * 1000 / ENGINE_RATE);
        step = engine_step(e, in, out, &err);
        if (step < 0) {
            rc = cli_report(&err);
            break;
        }
        if (device_write(d, out, ENGINE_FRAME, &err) != IVR_OK ||
            write_frame(o, in, out, &err) != 0) {
            rc = cli_report(&err);
            break;
        }
        memcpy(played, out, sizeof played);
        device_xruns(d, &over, &under);
        if (over + under > xruns) {
            xruns = over + under;
            echo_live_slipped(echo);
        }
    }
    device_xruns(d, &over, &under);
    if (over || under)
        cli_warn("%s: %ld input over-runs, %ld output under-runs",
                 device ? device : "sound device", over, under);
    echo_live_free(echo);
    engine_free(e);
    device_close(d);
    return rc;
}

int sim_run_tests(const test_opts *t, char **paths, int n)
{
    suite_tap_opts so;
    ivr_error err;
    int rc;

    if (n == 0)
        return cli_usage_error("--test: no call scripts given");
    if (t->events && n != 1)
        return cli_usage_error("--events checks one script, not %d", n);
    if (t->target && (t->fast || t->events || t->coverage))
        return cli_usage_error("--target calls a real IVR: not with "
                               "--fast, --events or --coverage");
    if (t->inband_keys && !t->target)
        return cli_usage_error("--inband-keys goes with --target");
    /* a script that is not there is the command line's mistake, not a
     * failing test: one line and exit 3 before anything runs */
    for (rc = 0; rc < n; rc++) {
        struct stat st;
        if (stat(paths[rc], &st) != 0) {
            ivr_error_set(&err, IVR_EINPUT, "%s:", paths[rc]);
            return cli_report(&err);
        }
        if (!S_ISREG(st.st_mode)) {
            ivr_error_set(&err, IVR_EINPUT,
                          "%s: not a call script (a "
                          "folder?)",
                          paths[rc]);
            return cli_report(&err);
        }
    }
    memset(&so, 0, sizeof so);
    so.run.fast = t->fast;
    so.run.jobs = t->jobs;
    so.run.events = t->events;
    so.run.allow_dirs = t->allow_dirs;
    so.run.target = t->target;
    so.run.inband_keys = t->inband_keys;
    so.shard_k = t->shard_k;
    so.shard_n = t->shard_n;
    so.junit = t->junit;
    so.coverage = t->coverage;
    ivr_error_clear(&err);
    rc = suite_run_tap(paths, n, &so, stdout, &err);
    if (rc != IVR_OK && rc != IVR_EFAIL)
        return cli_report(&err);
    return rc;
}
