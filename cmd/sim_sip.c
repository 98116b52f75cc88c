/*
 * sim_sip.c: ivr-sim --sip-listen and --dial: the menu answers SIP calls,
 * or places one, each call on its own engine in real time, paced by the
 * line (core/sip_line.h). Every call's events are printed with its number
 * ("call 2: ..."), and written whole to CALLS_DIR/call-N.jsonl when
 * --calls-dir is given, with its audio in CALLS_DIR/call-N.wav (caller
 * left, IVR right; keys sent as events are tones in it, as a replay needs
 * them) when --record-calls is too. The numbers go on from the
 * calls already in CALLS_DIR, so a second run keeps the first one's.
 */
#include "cli.h"
#include "sim.h"
#include "sip_line.h"
#include "dtmf.h"
#include "fs.h"
#include "transcript.h"

#include <dirent.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* a call that the caller ended is finished in at most this many frames */
#define FINISH_FRAMES 250
/* a call whose caller's packets were lost or late this often (in 100)
 * is warned of: a line good enough for speech loses under 1%, and at 5%
 * a replay of the call may not hear what the caller did (tests/cmd/
 * sip-network.t's 10% is warned of, a clean line not); short calls are
 * not judged */
#define LOSSY_PERCENT 5
#define LOSSY_MIN_PACKETS 100
/* recognisers kept loaded for calls to come (each ~25 MB) */
#define SPARE_RECOGNISERS 4

typedef struct sip_sim {
    const menu_file *m;
    const engine_opts *eo;
    const sim *s;
    const char *calls_dir;
    int record;
    /* the calls of earlier runs in calls_dir: this run's numbers follow */
    int numbered_before;
    /* a call placed: what became of it */
    const char *dialled;
    int answered, confirmed;
    char unanswered[128];
    asr_pool *pool;
} sip_sim;

typedef struct sip_session {
    sip_sim *owner;
    sip_call *call;
    engine *e;
    FILE *transcript;
    audio_writer *recording;
    /* keys that came as telephone events, written into the recording's
     * caller leg as tones, so that a replay of it hears them */
    dtmf_generator *key_tone;
    char keys_to_record[32];
    int number, announced;
    char caller[64], called[64];
} sip_session;

static sip_line *running;

/* The calls run on threads of their own, and share the record (SQLite or
 * PostgreSQL connections, the HTTP gateways, the fixtures): its hooks take
 * turns. Each holds the lock for one SMS, serial or request. */
static pthread_mutex_t shared_lock = PTHREAD_MUTEX_INITIALIZER;
static const engine_opts *shared;

static int locked_sms(void *user, const char *to, const char *text,
                      char *status, size_t size)
{
    int rc;

    pthread_mutex_lock(&shared_lock);
    rc = shared->send_sms(user, to, text, status, size);
    pthread_mutex_unlock(&shared_lock);
    return rc;
}

static int locked_coupon(void *user, const char *promotion,
                         const char *recipient, char *serial, size_t size)
{
    int rc;

    pthread_mutex_lock(&shared_lock);
    rc = shared->issue_coupon(user, promotion, recipient, serial, size);
    pthread_mutex_unlock(&shared_lock);
    return rc;
}

static int locked_fetch(void *user, const http_request *rq,
                        http_response *rs, ivr_error *err)
{
    int rc;

    pthread_mutex_lock(&shared_lock);
    rc = shared->fetch(user, rq, rs, err);
    pthread_mutex_unlock(&shared_lock);
    return rc;
}

static void on_signal(int sig)
{
    (void)sig;
    if (running)
        sip_line_stop(running);
}

static void on_event(const engine_event *ev, void *user)
{
    sip_session *c = user;
    const sim *s = c->owner->s;
    char *line = NULL;
    size_t len = 0;
    FILE *mem;

    if (c->transcript)
        transcript_write_json(c->transcript, ev);
    /* the menu's transfer is the line's too: a REFER before the BYE */
    if (ev->kind == EV_TRANSFER && ev->text && *ev->text)
        sip_call_transfer(c->call, ev->text);
    if (s->quiet)
        return;
    /* each line of the call's timeline carries the call's number */
    if (!(mem = open_memstream(&line, &len)))
        return;
    if (s->json)
        transcript_write_json(mem, ev);
    else
        transcript_write_text(mem, ev, s->verbose);
    fclose(mem);
    if (line) {
        char *p = line, *nl;
        while (*p) {
            nl = strchr(p, '\n');
            printf("call %d: %.*s\n", c->number,
                   (int)(nl ? nl - p : (long)strlen(p)), p);
            if (!nl)
                break;
            p = nl + 1;
        }
        fflush(stdout);
    }
    free(line);
}

static void *on_incoming(sip_call *call, void *user)
{
    sip_sim *o = user;
    sip_session *c = calloc(1, sizeof *c);
    engine_opts eo = *o->eo;
    ivr_error err;

    if (!c)
        return NULL;
    c->owner = o;
    c->call = call;
    c->number = o->numbered_before + sip_call_number(call);
    snprintf(c->caller, sizeof c->caller, "%s", sip_call_caller(call));
    snprintf(c->called, sizeof c->called, "%s", sip_call_called(call));
    if (eo.send_sms)
        eo.send_sms = locked_sms;
    if (eo.issue_coupon)
        eo.issue_coupon = locked_coupon;
    if (eo.fetch)
        eo.fetch = locked_fetch;
    eo.asr = asr_pool_take(o->pool);
    /* the call's thread keeps the line's 20 ms clock while its speech is
     * decoded */
    eo.real_time = 1;
    if (!o->dialled) {
        eo.caller = c->caller;
        eo.called = c->called;
    } else {
        eo.called = c->called;
        o->answered = 1;
    }
    if (o->calls_dir) {
        char path[4096];
        snprintf(path, sizeof path, "%s/call-%d.jsonl", o->calls_dir,
                 c->number);
        if (fs_make_parents(path) != 0 || !(c->transcript = fopen(path, "w")))
            cli_warn("call %d: %s: cannot be written", c->number, path);
        snprintf(path, sizeof path, "%s/call-%d.wav", o->calls_dir,
                 c->number);
        /* a recording that cannot be made leaves the call as it is */
        if (o->record && !(c->recording = audio_writer_open(
                               path, ENGINE_RATE, 2, AUDIO_ENC_PCM16, 0, &err)))
            cli_warn("call %d: %s", c->number, err.message);
    }
    if (!(c->e = engine_new(o->m, &eo, on_event, c, &err))) {
        cli_warn("call %d: %s", c->number, err.message);
        asr_pool_give(o->pool, eo.asr);
        if (c->transcript)
            fclose(c->transcript);
        if (c->recording)
            audio_writer_abort(c->recording);
        free(c);
        return NULL;
    }
    return c;
}

/* The call's first line, from its first frame: stdout is shared, and its
 * lock is taken only by the calls' clocks, which run at one priority (a
 * thread of ordinary priority holding it kept fifty clocks waiting). */
static void announce(sip_session *c)
{
    const sip_sim *o = c->owner;

    c->announced = 1;
    if (o->s->quiet)
        return;
    if (o->dialled)
        printf("call %d: %s answered (%s)\n", c->number, o->dialled,
               sip_call_codec(c->call));
    else
        printf("call %d: from %s to %s (%s)\n", c->number,
               *c->caller ? c->caller : "a withheld number",
               *c->called ? c->called : "-", sip_call_codec(c->call));
    fflush(stdout);
}

/* One frame of the call into its recording: the caller left, the IVR
 * right. A recording that fails (a full disk) is closed with a warning;
 * the call goes on. */
static void record_frame(sip_session *c, const float *in, const float *out)
{
    float both[2 * ENGINE_FRAME], tone[ENGINE_FRAME] = {0};
    ivr_error err;
    size_t got = 0;
    int i;

    if (!c->key_tone && *c->keys_to_record) {
        /* the event's length is not known at its start: a press as a
         * phone's keypad sends it, 80 ms and a 60 ms gap */
        dtmf_gen_params p;
        dtmf_gen_params_default(&p);
        p.on_ms = 80;
        p.off_ms = 60;
        c->key_tone = dtmf_generator_new(c->keys_to_record, ENGINE_RATE, &p,
                                         NULL);
        *c->keys_to_record = '\0';
    }
    if (c->key_tone) {
        got = dtmf_generator_read(c->key_tone, tone, ENGINE_FRAME);
        if (got < ENGINE_FRAME) {
            dtmf_generator_free(c->key_tone);
            c->key_tone = NULL;
        }
    }
    for (i = 0; i < ENGINE_FRAME; i++) {
        both[2 * i] = (in ? in[i] : 0.0f) + tone[i];
        both[2 * i + 1] = out[i];
    }
    if (audio_writer_write(c->recording, both, ENGINE_FRAME, &err) != 0) {
        cli_warn("call %d: %s", c->number, err.message);
        audio_writer_abort(c->recording);
        c->recording = NULL;
    }
}

static int on_frame(void *call, const float *in, float *out)
{
    sip_session *c = call;
    ivr_error err;
    int step;

    if (!c->announced)
        announce(c);
    step = engine_step(c->e, in, out, &err);
    if (step < 0)
        cli_warn("call %d: %s", c->number, err.message);
    if (step >= 0 && c->recording)
        record_frame(c, in, out);
    return step == 1;
}

static void on_key(void *call, char key)
{
    sip_session *c = call;
    size_t n = strlen(c->keys_to_record);

    engine_press(c->e, key);
    if (c->recording && n + 1 < sizeof c->keys_to_record) {
        c->keys_to_record[n] = key;
        c->keys_to_record[n + 1] = '\0';
    }
}

static void on_ended(void *call, const char *why)
{
    sip_session *c = call;
    ivr_error err;
    long packets, lost, late_in;
    int i;

    if (!engine_ended(c->e)) {
        if (why && !strcmp(why, "caller hung up")) {
            /* the caller's hang-up is taken as any other: at a frame */
            engine_hangup(c->e);
            for (i = 0; i < FINISH_FRAMES && !engine_ended(c->e); i++)
                if (engine_step(c->e, NULL, NULL, &err) != 1)
                    break;
        }
        if (!engine_ended(c->e))
            engine_end(c->e, why && !strcmp(why, "interrupted")
                                 ? ENGINE_END_INTERRUPTED
                                 : ENGINE_END_CALLER);
    }
    if (why && strcmp(why, "caller hung up") && strcmp(why, "interrupted") &&
        strcmp(why, "refused"))
        cli_warn("call %d: %s", c->number, why);
    sip_call_rtp_received(c->call, &packets, &lost, &late_in);
    /* a network that lost words or keys is worth a line: what the call's
     * timeline shows may not be what the caller did */
    if (packets + lost >= LOSSY_MIN_PACKETS &&
        (lost + late_in) * 100 >= LOSSY_PERCENT * (packets + lost))
        cli_warn("call %d: %ld of the caller's %ld packets were lost on the "
                 "way and %ld came too late: words and keys may be missing",
                 c->number, lost, packets + lost, late_in);
    if (c->owner->s->verbose) {
        long frames, late;
        double worst;
        sip_call_rtp_timing(c->call, &frames, &late, &worst);
        printf("call %d: RTP out %ld frames, %ld more than 2 ms late (the "
               "latest %.1f ms); in %ld packets, %ld lost, %ld too late\n",
               c->number, frames, late, worst, packets, lost, late_in);
        fflush(stdout);
    }
    if (c->owner->dialled) {
        const char *v = engine_var(c->e, "confirmed");
        c->owner->confirmed = v && !strcmp(v, "yes");
    }
    /* the recogniser this call used (the pool's or its own) serves the
     * next */
    asr_pool_give(c->owner->pool, engine_take_asr(c->e));
    engine_free(c->e);
    if (c->transcript)
        fclose(c->transcript);
    if (c->recording && audio_writer_close(c->recording, &err) != IVR_OK)
        cli_warn("call %d: %s", c->number, err.message);
    dtmf_generator_free(c->key_tone);
    free(c);
}

/* The highest N of the call-N.jsonl and call-N.wav files in dir (0 when
 * none, or no dir yet). */
static int last_call_in(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *de;
    int n, last = 0;
    char ext[8];

    if (!d)
        return 0;
    while ((de = readdir(d)))
        if (sscanf(de->d_name, "call-%d.%7s", &n, ext) == 2 && n > last &&
            (!strcmp(ext, "jsonl") || !strcmp(ext, "wav")))
            last = n;
    closedir(d);
    return last;
}

static void on_registration(int ok, const char *aor, const char *detail,
                            void *user)
{
    sip_sim *o = user;

    if (!ok) {
        cli_warn("%s: no longer registered: the registrar %s; trying again",
                 aor, detail);
        return;
    }
    if (!o->s->quiet) {
        printf("ivr-sim: registered as %s at %s\n", aor, detail);
        fflush(stdout);
    }
}

/* The password of --sip-register: FILE's first line, or the environment's
 * IVR_SIP_PASSWORD, or none. 0, or -1 with err naming the file. */
static int read_password(const char *file, char *out, size_t size,
                         ivr_error *err)
{
    const char *env = getenv("IVR_SIP_PASSWORD");
    FILE *f;
    size_t n;

    *out = '\0';
    if (!file) {
        if (env && strlen(env) >= size)
            return ivr_error_set(err, IVR_EUSAGE, "IVR_SIP_PASSWORD: longer "
                                 "than %zu characters", size - 1), -1;
        snprintf(out, size, "%s", env ? env : "");
        return 0;
    }
    if (!(f = fopen(file, "r")))
        return ivr_error_set(err, IVR_EINPUT, "--sip-password-file %s:",
                             file), -1;
    if (!fgets(out, (int)size, f))
        *out = '\0';
    fclose(f);
    n = strcspn(out, "\r\n");
    if (out[n] == '\0' && n == size - 1)
        return ivr_error_set(err, IVR_EINPUT, "--sip-password-file %s: its "
                             "first line is longer than %zu characters",
                             file, size - 2), -1;
    out[n] = '\0';
    if (!*out)
        return ivr_error_set(err, IVR_EINPUT, "--sip-password-file %s: no "
                             "password on its first line", file), -1;
    return 0;
}

static void on_unanswered(const char *why, void *user)
{
    sip_sim *o = user;

    snprintf(o->unanswered, sizeof o->unanswered, "%s", why);
}

/* A call placed: 0 when it was answered and confirmed, 1 when not (the
 * reason said), as the notification that placed it must know at once. */
static int dial_outcome(const sip_sim *o)
{
    if (!o->answered) {
        cli_error("%s: %s", o->dialled, *o->unanswered ? o->unanswered
                                                       : "no answer");
        return IVR_EFAIL;
    }
    if (o->m->outbound && !o->confirmed) {
        cli_error("%s: answered, not confirmed", o->dialled);
        return IVR_EFAIL;
    }
    return IVR_OK;
}

int sim_run_sip(const menu_file *m, engine_opts *eo, sim *s,
                const sip_opts *so)
{
    sip_sim o = {m, eo, s, so->calls_dir, so->record, 0, so->dial, 0, 0, "",
                 NULL};
    sip_line_hooks h = {on_incoming, on_frame, on_key, on_ended,
                        on_unanswered, on_registration, &o};
    struct sigaction sa;
    char password[256];
    ivr_error err;
    int rc;

    ivr_error_clear(&err);
    shared = eo;
    if (so->register_aor &&
        read_password(so->password_file, password, sizeof password, &err) != 0)
        return cli_report(&err);
    if (so->calls_dir)
        o.numbered_before = last_call_in(so->calls_dir);
    if (!(running = sip_line_open(so->listen, &h, &err)))
        return cli_report(&err);
    /* --max-calls: every call's recogniser loaded ahead */
    if (!eo->fast)
        o.pool = asr_pool_new(m, eo->min_confidence,
                              so->max_calls > 0 ? so->max_calls
                                                : SPARE_RECOGNISERS,
                              s->verbose && !s->quiet);
    sip_line_set_transfer(running, so->transfer_to);
    sip_line_set_max_calls(running, so->max_calls);
    rc = so->register_aor ? sip_line_register(running, so->register_aor,
                                              *password ? password : NULL, &err)
                          : IVR_OK;
    if (so->register_aor)
        memset(password, 0, sizeof password);
    if (rc != IVR_OK) {
        sip_line_close(running);
        running = NULL;
        asr_pool_free(o.pool);
        return cli_report(&err);
    }
    if (so->dial && sip_line_dial(running, so->dial,
                                  eo->caller ? eo->caller : "ivrkit",
                                  so->ring_seconds, &err) != IVR_OK) {
        sip_line_close(running);
        running = NULL;
        asr_pool_free(o.pool);
        return cli_report(&err);
    }
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    if (!s->quiet) {
        if (so->dial)
            printf("ivr-sim: calling %s\n", so->dial);
        else
            printf("ivr-sim: answering SIP calls on %s (UDP and TCP)\n",
                   so->listen);
        fflush(stdout);
    }
    rc = sip_line_run(running, &err) == IVR_OK ? IVR_OK : cli_report(&err);
    sip_line_close(running);
    running = NULL;
    asr_pool_free(o.pool);
    if (rc == IVR_OK && so->dial)
        rc = dial_outcome(&o);
    return rc;
}
