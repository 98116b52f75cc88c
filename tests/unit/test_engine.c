/*
 * test_engine.c: the call engine. The timing rules one by one in fast mode
 * (prompts of silence have exact lengths, so every time is exact), then the
 * real audio path: tones through the DTMF detector, flite speech through
 * the recogniser, recordings written, the IVR's audio heard.
 */
#include "audio.h"
#include "caller.h"
#include "engine.h"
#include "menu.h"
#include "tap.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct ev {
    engine_event_kind kind;
    double t, duration, confidence;
    int count;
    char menu[32], text[256], name[64], reason[128];
} ev;

static ev evs[4096];
static int nev;
static char dir[] = "/tmp/ivr-test-engine.XXXXXX";
static asr_recognizer *shared_asr;
static double heard_energy[2];   /* IVR audio: while a prompt plays, after */

static void copy(char *dst, size_t size, const char *s)
{
    snprintf(dst, size, "%s", s ? s : "");
}

static void collect(const engine_event *e, void *user)
{
    ev *v;

    (void)user;
    if (nev == (int)(sizeof evs / sizeof *evs))
        return;
    v = &evs[nev++];
    v->kind = e->kind;
    v->t = e->t;
    v->duration = e->duration;
    v->confidence = e->confidence;
    v->count = e->count;
    copy(v->menu, sizeof v->menu, e->menu);
    copy(v->text, sizeof v->text, e->text);
    copy(v->name, sizeof v->name, e->name);
    copy(v->reason, sizeof v->reason, e->reason);
}

/* The nth (from 0) event of kind, or NULL. */
static const ev *find(engine_event_kind kind, int nth)
{
    int i;

    for (i = 0; i < nev; i++)
        if (evs[i].kind == kind && nth-- == 0)
            return &evs[i];
    return NULL;
}

static int count_of(engine_event_kind kind)
{
    int i, n = 0;

    for (i = 0; i < nev; i++)
        n += evs[i].kind == kind;
    return n;
}

/* A key is heard in the frame the receiver is sure of it: for the tones
 * the caller dials, 20 ms into the tone, in fast mode as with audio. */
#define HEARD 0.02

static int near(double a, double b)
{
    return fabs(a - b) < 1e-6;
}

static void dump(void)
{
    int i;

    for (i = 0; i < nev; i++)
        diag("%6.2f %-11s %-10s text=%s name=%s reason=%s count=%d",
             evs[i].t, engine_event_name(evs[i].kind), evs[i].menu,
             evs[i].text, evs[i].name, evs[i].reason, evs[i].count);
}

typedef struct run_opts {
    int fast;
    const char *keys, *says;
    double max_seconds;
    const char *record_dir;
    const char *caller;
    double min_confidence;    /* set: a recogniser of its own */
    char error[IVR_ERROR_MAX];
} run_opts;

/* Runs the menu text as a call; returns what engine_step last returned. */
static int run(const char *text, run_opts *ro)
{
    char path[256];
    FILE *f;
    ivr_error err;
    menu_file *m;
    engine_opts eo;
    engine *e;
    caller *c;
    float in[ENGINE_FRAME], out[ENGINE_FRAME];
    int rc, on_line = 1;
    double energy[2] = {0, 0};
    long frames[2] = {0, 0};

    nev = 0;
    ro->error[0] = '\0';
    snprintf(path, sizeof path, "%s/t.ivr", dir);
    f = fopen(path, "w");
    fputs(text, f);
    fclose(f);
    m = menu_load(path, &err);
    if (!m) {
        copy(ro->error, sizeof ro->error, err.message);
        return -2;
    }
    memset(&eo, 0, sizeof eo);
    eo.fast = ro->fast;
    eo.caller = ro->caller ? ro->caller : "+15550001111";
    eo.called = "+18005550100";
    eo.max_seconds = ro->max_seconds > 0 ? ro->max_seconds : 120;
    eo.seed = 7;
    eo.record_dir = ro->record_dir;
    eo.asr = ro->fast || ro->min_confidence > 0 ? NULL : shared_asr;
    eo.min_confidence = ro->min_confidence;
    c = caller_new(NULL, NULL, &err);
    if ((ro->keys && caller_add_keys(c, ro->keys, &err) != IVR_OK) ||
        (ro->says && caller_add_say(c, ro->says, &err) != IVR_OK)) {
        copy(ro->error, sizeof ro->error, err.message);
        caller_free(c);
        menu_free(m);
        return -2;
    }
    e = engine_new(m, &eo, collect, NULL, &err);
    do {
        int playing;
        if (on_line && caller_frame(c, e, in, &err) <= 0)
            on_line = 0;
        rc = engine_step(e, in, out, &err);
        /* is a prompt playing at the end of this frame? */
        playing = nev > 0 && evs[nev - 1].kind == EV_PROMPT_START;
        energy[!playing] += (double)audio_level_dbm0(out, ENGINE_FRAME);
        frames[!playing]++;
    } while (rc == 1);
    if (rc < 0)
        copy(ro->error, sizeof ro->error, err.message);
    heard_energy[0] = frames[0] ? energy[0] / (double)frames[0] : -200;
    heard_energy[1] = frames[1] ? energy[1] / (double)frames[1] : -200;
    if (!ro->fast && !shared_asr && ro->min_confidence <= 0)
        shared_asr = engine_take_asr(e);
    engine_free(e);
    caller_free(c);
    menu_free(m);
    return rc;
}

/* ------------------------------------------------------------------------
 * Timing, in fast mode
 */

static void test_timeouts(void)
{
    run_opts ro = {.fast = 1};
    const ev *x;

    run("menu main\n  timeout 2s\n  tries 2\n  prompt silence 3s\n"
        "  on 1 hangup\n", &ro);
    x = find(EV_NOINPUT, 0);
    if (!ok(x && near(x->t, 5.0), "the no-input timer starts when the "
            "prompt ends (3 s + 2 s)"))
        dump();
    x = find(EV_NOINPUT, 1);
    ok(x && near(x->t, 10.0) && x->count == 2, "the prompt again, then the "
       "timer again (10 s, count 2)");
    x = find(EV_HANGUP, 0);
    ok(x && !strcmp(x->reason, "tries exhausted") && near(x->t, 10.0),
       "no 'on exhausted': the call ends when tries run out");

    run("menu main\n  timeout 3s\n  interdigit 1s\n  prompt silence 1s\n"
        "  collect n min 2\n  on collected hangup\n",
        &(run_opts){.fast = 1, .keys = "1 @1.2s", .max_seconds = 3});
    x = find(EV_NOMATCH, 0);
    ok(x && near(x->t, 2.2 + HEARD) && !strcmp(x->reason, "1 digit (inter-digit "
       "timeout), at least 2 wanted") && count_of(EV_NOINPUT) == 0,
       "after a first key the inter-digit timeout applies, and its expiry "
       "is a no-match, not a no-input");

    run("menu main\n  timeout 3s\n  interdigit 1.5s\n  prompt silence 1s\n"
        "  collect n max 5\n  on collected hangup\n",
        &(run_opts){.fast = 1, .keys = "12 @1.2s"});
    x = find(EV_SET, 0);
    ok(x && !strcmp(x->name, "n") && !strcmp(x->text, "12") &&
       near(x->t, 1.4 + HEARD + 1.5), "collected when the inter-digit timer runs "
       "out after the last key (%.2f)", x ? x->t : -1);
}

static void test_bargein(void)
{
    const ev *x;

    run("menu main\n  prompt silence 5s\n  on 1 hangup\n",
        &(run_opts){.fast = 1, .keys = "1 @1s"});
    x = find(EV_PROMPT_END, 0);
    ok(x && near(x->t, 1.0 + HEARD) && !strcmp(x->reason, "barge-in") &&
       near(x->duration, 1.0 + HEARD), "a key stops the prompt in the frame it "
       "comes");
    x = find(EV_HANGUP, 0);
    ok(x && near(x->t, 1.0 + HEARD), "and is taken at once");

    run("menu main\n  timeout 1s\n  tries 1\n  prompt silence 5s bargein off\n"
        "  on 1 hangup\n", &(run_opts){.fast = 1, .keys = "1 @1s"});
    x = find(EV_DTMF, 0);
    ok(x && !strcmp(x->reason, "no barge-in"), "with barge-in off "
       "the key is heard and ignored");
    x = find(EV_PROMPT_END, 0);
    ok(x && near(x->t, 5.0) && !strcmp(x->reason, "done"),
       "and the prompt plays to its end");

    run("menu main\n  bargein speech\n  prompt silence 5s\n  on 1 hangup\n"
        "  on \"sales\" hangup\n",
        &(run_opts){.fast = 1, .keys = "1 @1s", .says = "sales @2s"});
    x = find(EV_PROMPT_END, 0);
    /* the words start after the voice's lead-in, and stop the prompt
     * once they have lasted 160 ms (engine_input.c) */
    ok(x && x->t > 2.16 && x->t < 2.6 && !strcmp(x->reason, "barge-in") &&
       !strcmp(find(EV_DTMF, 0)->reason, "no barge-in"),
       "bargein speech: a key does not stop the prompt, speech does "
       "(%.2f)", x ? x->t : -1);
}

static void test_collect(void)
{
    static const char *const menu =
        "menu main\n  timeout 3s\n  interdigit 2s\n  prompt silence 1s\n"
        "  collect acct min 3 max 4 pattern \"^[1-9]\"\n"
        "  on collected goto done\n  on * hangup\nmenu done\n"
        "  prompt silence 1s\n  on 9 hangup\n";
    const ev *x;

    run(menu, &(run_opts){.fast = 1, .keys = "123# @1.2s"});
    x = find(EV_MATCH, 0);
    ok(x && !strcmp(x->text, "123") && !strcmp(x->reason, "terminator") &&
       near(x->t, 1.8 + HEARD), "a terminator ends the collection at once (%.2f)",
       x ? x->t : -1);

    run(menu, &(run_opts){.fast = 1, .keys = "12# @1.2s"});
    x = find(EV_NOMATCH, 0);
    ok(x && !strcmp(x->text, "12") && !strcmp(x->reason, "2 digits "
       "(terminator), at least 3 wanted") && near(x->t, 1.6 + HEARD),
       "too few digits before the terminator: a no-match");

    run(menu, &(run_opts){.fast = 1, .keys = "0123# @1.2s"});
    x = find(EV_NOMATCH, 0);
    ok(x && !strcmp(x->reason, "does not match the pattern"),
       "a value outside the pattern: a no-match");

    run(menu, &(run_opts){.fast = 1, .keys = "4567# @1.2s"});
    x = find(EV_MATCH, 0);
    ok(x && !strcmp(x->text, "4567") && !strcmp(x->reason, "max digits") &&
       near(x->t, 1.8 + HEARD), "the maximum number of digits ends it at once");
    x = find(EV_DTMF, 4);
    ok(x && !strcmp(x->text, "#") && !strcmp(x->reason, "terminator "
       "after a complete value") && count_of(EV_NOMATCH) == 0,
       "and the terminator the caller adds does not land in the next menu");

    run(menu, &(run_opts){.fast = 1, .keys = "* @1.2s"});
    x = find(EV_HANGUP, 0);
    ok(x && near(x->t, 1.2 + HEARD) && !strcmp(x->reason, "hangup"),
       "a menu key as the first key is the key, not a digit");

    run(menu, &(run_opts){.fast = 1, .keys = "12* @1.2s"});
    x = find(EV_HANGUP, 0);
    ok(x && near(x->t, 1.6 + HEARD) && !strcmp(x->reason, "hangup") &&
       !find(EV_NOMATCH, 0), "a menu key half way through a number ends "
       "the collection and runs its entry (%.2f)", x ? x->t : -1);

    run(menu, &(run_opts){.fast = 1, .keys = "12A @1.2s"});
    x = find(EV_NOMATCH, 0);
    ok(x && !strcmp(x->text, "12A") && !strcmp(x->reason, "a key that is "
       "not part of the value"), "a key neither bound nor part of a value "
       "is a no-match: %s", x ? x->reason : "none");

    run("menu main\n  prompt silence 1s\n"
        "  collect code max 4 keys 0123456789*\n"
        "  on collected hangup\n  on * goto main\n",
        &(run_opts){.fast = 1, .keys = "1*2# @1.2s"});
    x = find(EV_MATCH, 0);
    ok(x && !strcmp(x->text, "1*2"), "a collection that takes the key "
       "keeps it as part of the value: %s", x ? x->text : "none");
}

static void test_counters(void)
{
    const ev *x;

    run("menu main\n  timeout 1s\n  tries noinput 2 nomatch 2\n"
        "  prompt silence 1s\n  on 1 hangup\n",
        &(run_opts){.fast = 1, .keys = "9 @1.5s"});
    ok(count_of(EV_NOMATCH) == 1 && count_of(EV_NOINPUT) == 2,
       "no-input and no-match are counted apart");
    x = find(EV_EXHAUSTED, 0);
    if (!ok(x && !strcmp(x->reason, "noinput") && near(x->t, 5.5 + HEARD),
            "the limit reached first exhausts the menu (noinput at 5.5 s)"))
        dump();

    run("menu main\n  timeout 1s\n  tries 3\n  prompt \"first\"\n"
        "  prompt 2 \"again\"\n  on noinput say \"one\"\n"
        "  on noinput 2 say \"two\"\n  on exhausted say \"bye\" then hangup\n"
        "  on 1 hangup\n", &(run_opts){.fast = 1});
    ok(count_of(EV_PROMPT_START) == 6 &&
       !strcmp(find(EV_PROMPT_START, 0)->text, "first") &&
       !strcmp(find(EV_PROMPT_START, 1)->text, "one") &&
       !strcmp(find(EV_PROMPT_START, 2)->text, "again") &&
       !strcmp(find(EV_PROMPT_START, 3)->text, "two") &&
       !strcmp(find(EV_PROMPT_START, 4)->text, "again") &&
       !strcmp(find(EV_PROMPT_START, 5)->text, "bye"),
       "per-count handlers, per-attempt prompts, and the exhausted line "
       "(first, one, again, two, again, bye)");
    x = find(EV_HANGUP, 0);
    ok(x && !strcmp(x->reason, "hangup") &&
       find(EV_PROMPT_END, 5) && x->t >= find(EV_PROMPT_END, 5)->t,
       "'say bye then hangup' hangs up after the goodbye");
}

static void test_keys(void)
{
    static const char *const menu =
        "interdigit 1s\nmenu main\n  prompt silence 1s\n"
        "  on 1 goto one\n  on 12 goto twelve\n"
        "menu one\n  on enter hangup\nmenu twelve\n  on enter hangup\n";
    const ev *x;

    run(menu, &(run_opts){.fast = 1, .keys = "1 @1s"});
    x = find(EV_MATCH, 0);
    ok(x && !strcmp(x->text, "1") && near(x->t, 2.0 + HEARD), "'1' beside '12' is "
       "taken when the inter-digit timer runs out (%.2f)", x ? x->t : -1);
    run(menu, &(run_opts){.fast = 1, .keys = "12 @1s"});
    x = find(EV_MATCH, 0);
    ok(x && !strcmp(x->text, "12") && near(x->t, 1.2 + HEARD),
       "'12' at once");
    run(menu, &(run_opts){.fast = 1, .keys = "7 @1s"});
    x = find(EV_NOMATCH, 0);
    ok(x && !strcmp(x->reason, "no entry for this key") &&
       near(x->t, 1.0 + HEARD),
       "a key nothing starts with is a no-match at once");

    run("global\n  on 0 transfer \"operator\"\nmenu a\n  prompt silence 1s\n"
        "  on 0 goto b\nmenu b\n  prompt silence 1s\n  on 1 hangup\n",
        &(run_opts){.fast = 1, .keys = "0 @0.5s, 0 @2s"});
    ok(find(EV_MENU, 1) && !strcmp(find(EV_MENU, 1)->text, "b") &&
       find(EV_TRANSFER, 0) && !strcmp(find(EV_TRANSFER, 0)->text,
                                       "operator") &&
       !strcmp(find(EV_HANGUP, 0)->reason, "transfer"),
       "a menu's own key beats the global one; elsewhere the global one "
       "works, and a transfer ends the call");
}

static void test_flow(void)
{
    const ev *x;

    run("menu main\n  greeting \"hello\"\n  prompt silence 1s\n"
        "  on 1 goto main\n  on 2 gosub sub\n  on 3 hangup\n"
        "menu sub\n  prompt silence 1s\n  on 1 return\n  on 2 top\n",
        &(run_opts){.fast = 1, .keys = "1 @3s, 2 @5s, 1 @6.5s, 3 @8s"});
    ok(count_of(EV_PROMPT_START) - 0 >= 1 &&
       !strcmp(find(EV_PROMPT_START, 0)->text, "hello") &&
       strcmp(find(EV_PROMPT_START, 2)->text, "hello") != 0,
       "the greeting plays on the first visit only");
    ok(find(EV_MENU, 3) && !strcmp(find(EV_MENU, 3)->text, "main") &&
       !strcmp(find(EV_MENU, 3)->reason, "return") &&
       !strcmp(find(EV_HANGUP, 0)->reason, "hangup"),
       "gosub, then return to the menu that called");

    run("set a \"4123\"\nmenu main\n  on enter if {a} matches \"^4\" set "
        "kind \"gold\" else set kind \"blue\"\n  say \"{a:digits} is {kind}, "
        "{{not a var}}\"\n  on played hangup\n", &(run_opts){.fast = 1});
    x = find(EV_PROMPT_START, 0);
    ok(x && !strcmp(x->text, "4 1 2 3 is gold, {not a var}"),
       "if/else, templates, the digits format and literal braces (%s)",
       x ? x->text : "");

    run("menu a\n  on played goto b\nmenu b\n  on played goto a\n",
        &(run_opts){.fast = 1});
    x = find(EV_ERROR, 0);
    ok(x && strstr(x->text, "menus go round in a loop without playing or "
                   "waiting (through menu '"),
       "menus that loop without a pause: an error, not a hang");

    run("menu main\n  prompt silence 10s\n  on 1 hangup\n",
        &(run_opts){.fast = 1, .max_seconds = 4});
    x = find(EV_HANGUP, 0);
    ok(x && near(x->t, 4.0) && !strcmp(x->reason, "time limit"),
       "the call's time limit");
}

static void test_actions(void)
{
    const ev *x;

    run("menu main\n  prompt silence 1s\n"
        "  on 5 coupon code \"spring\" then sms {caller} \"Use {code}\" then "
        "record msg max 10s silence 2s then hangup\n",
        &(run_opts){.fast = 1, .keys = "5 @0.5s"});
    x = find(EV_COUPON, 0);
    ok(x && strlen(x->text) == 14 && x->text[4] == '-' &&
       !strcmp(x->name, "spring"), "a coupon serial (%s)", x ? x->text : "");
    {
        char want[300];
        snprintf(want, sizeof want, "Use %s", x ? x->text : "?");
        x = find(EV_SMS, 0);
        ok(x && !strcmp(x->name, "+15550001111") && !strcmp(x->text, want) &&
           !strcmp(x->reason, "not sent: no SMS backend"),
           "the SMS with its rendered text, to the caller");
    }
    x = find(EV_RECORD, 0);
    /* the key's tone sounds 80 ms into the recording; two seconds of
     * silence follow it */
    ok(x && near(x->duration, 2.08) && !strcmp(x->reason, "silence") &&
       !strcmp(x->name, "msg"), "a recording stops after its silence "
       "(%.2f s)", x ? x->duration : -1);

    run("menu main\n  prompt silence 1s\n  on 5 sms {caller} \"x\"\n",
        &(run_opts){.fast = 1, .keys = "5 @0.5s", .caller = "",
                    .max_seconds = 2});
    x = find(EV_SMS, 0);
    ok(x && !strcmp(x->reason, "not sent: no recipient ({caller} is empty)"),
       "an SMS to an unknown caller is not sent, and says why");

    run("outbound\nmenu main\n  prompt silence 1s\n  on 1 confirm then "
        "hangup\n", &(run_opts){.fast = 1, .keys = "1 @2s"});
    x = find(EV_HANGUP, 0);
    ok(find(EV_CONFIRM, 0) && x && !strcmp(x->text, "confirmed"),
       "an outbound call records the confirmation");
    run("outbound\nmenu main\n  timeout 1s\n  tries 1\n  prompt silence 1s\n"
        "  on 1 confirm then hangup\n", &(run_opts){.fast = 1});
    x = find(EV_HANGUP, 0);
    ok(x && !strcmp(x->text, "not confirmed"), "and its absence");
}

static void test_during(void)
{
    char wav[300], menu[600];
    float *tone = calloc(3 * ENGINE_RATE, sizeof *tone);
    audio_writer *w;
    ivr_error err;
    const ev *x;
    int i;

    snprintf(wav, sizeof wav, "%s/music.wav", dir);
    for (i = 0; i < 3 * ENGINE_RATE; i++)
        tone[i] = 0.3f * (float)sin(2 * M_PI * 440.0 * i / ENGINE_RATE);
    w = audio_writer_open(wav, ENGINE_RATE, 1, AUDIO_ENC_ULAW, 1, &err);
    audio_writer_write(w, tone, 3 * ENGINE_RATE, &err);
    audio_writer_close(w, &err);
    free(tone);
    snprintf(menu, sizeof menu, "menu main\n  set song \"Night Drive\"\n"
             "  play music.wav\n    during 9 sms {caller} \"{song}\"\n"
             "  on 1 hangup\n  on played hangup\n");
    /* `set` is an action, not a menu line: the menu above must not load */
    ok(run(menu, &(run_opts){.fast = 1}) == -2, "set belongs in an entry");
    snprintf(menu, sizeof menu, "menu main\n  on enter set song \"Night "
             "Drive\"\n  play music.wav\n    during 9 sms {caller} \"{song}\"\n"
             "  on 1, \"help\" hangup\n  on played hangup\n");
    run(menu, &(run_opts){.fast = 1, .keys = "9 @1s"});
    x = find(EV_SMS, 0);
    ok(x && near(x->t, 1.0 + HEARD) && !strcmp(x->text, "Night Drive"),
       "a key during a message fires its action at once");
    x = find(EV_PROMPT_END, 0);
    ok(x && near(x->t, 3.0) && !strcmp(x->reason, "done"),
       "and the message plays on to its end");
    run(menu, &(run_opts){.fast = 0, .keys = "9 @1s"});
    x = find(EV_SMS, 0);
    ok(x && x->t > 1.0 && x->t < 1.1 && find(EV_PROMPT_END, 0) &&
       !strcmp(find(EV_PROMPT_END, 0)->reason, "done"),
       "the same with the audio, the recogniser listening too: the tone is "
       "heard over the music and is not taken for speech (%.2f)",
       x ? x->t : -1);
}

static void test_speech_fast(void)
{
    static const char *const menu =
        "menu main\n  prompt silence 1s\n  on 1, \"billing\", \"bills\" "
        "hangup\n  on nomatch say \"sorry\"\n";
    const ev *x;

    run(menu, &(run_opts){.fast = 1, .says = "Bills! @1.5s"});
    x = find(EV_MATCH, 0);
    ok(x && !strcmp(x->text, "billing"), "words injected in fast mode match "
       "a synonym, reported as the choice");
    run(menu, &(run_opts){.fast = 1, .says = "pizza @1.5s", .max_seconds = 5});
    x = find(EV_NOMATCH, 0);
    ok(x && !strcmp(x->reason, "not one of the choices"),
       "and other words are a no-match");
}

/* ------------------------------------------------------------------------
 * The audio path
 */

static void test_audio(void)
{
    static const char *const menu =
        "menu main\n  prompt \"Press 1 for billing, or say technical "
        "support.\"\n  on 1, \"billing\" goto done\n"
        "  on 2, \"technical support\" goto done\n"
        "  on nomatch say \"Sorry.\" then hangup\n"
        "menu done\n  on enter hangup\n";
    const ev *x;
    run_opts ro = {.fast = 0, .keys = "1 @1.5s"};

    run(menu, &ro);
    x = find(EV_DTMF, 0);
    ok(x && !strcmp(x->text, "1") && x->t >= 1.5 && x->t <= 1.6,
       "a real tone is heard by the detector within 100 ms (%.2f)",
       x ? x->t : -1);
    x = find(EV_PROMPT_END, 0);
    ok(x && !strcmp(x->reason, "barge-in") && x->t >= 1.5 && x->t <= 1.6,
       "and stops the synthesised prompt");
    ok(heard_energy[0] > -35 && heard_energy[1] < -150,
       "the IVR's audio: speech while the prompt plays (%.1f dBm0), "
       "silence after (%.1f)", heard_energy[0], heard_energy[1]);

    run(menu, &(run_opts){.fast = 0, .says = "technical support @1.5s"});
    x = find(EV_SPEECH, 0);
    if (!ok(x && !strcmp(x->name, "technical support") && x->confidence > 0.5
            && find(EV_MATCH, 0), "flite speech in a caller's voice, "
            "through the telephone band, is recognised (%s, %.2f)",
            x ? x->text : "", x ? x->confidence : 0))
        dump();
    x = find(EV_PROMPT_END, 0);
    ok(x && !strcmp(x->reason, "barge-in") && x->t > 1.5 && x->t < 2.0,
       "speech stops the prompt when it starts (%.2f)", x ? x->t : -1);

    run(menu, &(run_opts){.fast = 0, .says = "do you sell pizza @4s"});
    x = find(EV_NOMATCH, 0);
    /* the grammar's best path is always a choice: what rejects it is how
     * little the audio supports it, and the reason says so */
    ok(x && !find(EV_MATCH, 0) && find(EV_SPEECH, 0) &&
       !strcmp(find(EV_SPEECH, 0)->reason, "low confidence") &&
       !strncmp(x->reason, "confidence ", 11),
       "speech outside the choices is a no-match, not the nearest choice "
       "(%s)", x ? x->reason : "none");

    run(menu, &(run_opts){.fast = 0, .says = "technical support @4s",
                          .keys = "2 @4.3s"});
    x = find(EV_SPEECH, 0);
    ok(find(EV_MATCH, 0) && !strcmp(find(EV_MATCH, 0)->text, "2") &&
       (!x || !strcmp(x->reason, "ignored: keys were pressed")),
       "a key pressed while the caller talks wins over the words");
}

/* The no-input timer of a menu that takes keys only must start even when
 * the key that led there began in a menu that listens for speech: the
 * key's tone is not the caller talking. */
static void test_timer_after_key_from_speech_menu(void)
{
    static const char *menu =
        "menu main\n"
        "  prompt \"Press 1.\"\n"
        "  on 1, \"refill\" goto refill\n"
        "menu refill\n"
        "  prompt \"Enter your number.\"\n"
        "  timeout 5s\n"
        "  collect rx min 7 max 7 terminator #\n"
        "  on collected hangup\n"
        "  on exhausted hangup\n";
    const ev *x;
    run_opts ro = {.fast = 0, .keys = "1 @2s", .max_seconds = 60};

    run(menu, &ro);
    x = find(EV_HANGUP, 0);
    if (!ok(count_of(EV_NOINPUT) == 3 && x && !strcmp(x->reason, "hangup")
            && x->t < 30, "a silent caller times out three times after a "
            "key moved the call from a speech menu (ends at %.2f s: %s)",
            x ? x->t : -1, x ? x->reason : "?"))
        dump();

    ro.keys = "5 @2s, 7 @8s";
    run(menu, &ro);
    ok(count_of(EV_NOMATCH) == 2 && count_of(EV_SPEECH) == 0,
       "keys pressed in a menu that listens never reach the recogniser as "
       "speech (%d no-matches, %d speech events)", count_of(EV_NOMATCH),
       count_of(EV_SPEECH));
}

/* A choice heard without the confidence the menu wants is a no-match for
 * that reason, not "not one of the choices". */
static void test_low_confidence_reason(void)
{
    static const char *menu =
        "menu main\n"
        "  prompt \"Say yes or no.\"\n"
        "  on \"yes\" hangup\n"
        "  on \"no\" hangup\n";
    const ev *s, *x;
    run_opts ro = {.fast = 0, .says = "yes @2s", .max_seconds = 12,
                   .min_confidence = 0.9999};

    run(menu, &ro);
    s = find(EV_SPEECH, 0);
    x = find(EV_NOMATCH, 0);
    if (!ok(s && !strcmp(s->text, "yes") && !strcmp(s->reason,
            "low confidence") && x && !strncmp(x->reason, "confidence ", 11)
            && strstr(x->reason, "under the 1.00 needed"),
            "a choice heard unsurely says so: %s / %s",
            s ? s->reason : "?", x ? x->reason : "?"))
        dump();
}

/* "Two failures anywhere transfer to the pharmacist": a file-wide default
 * for exhausted tries that a menu's own entry overrides. */
static void test_global_exhausted(void)
{
    static const char *menu =
        "global\n"
        "  on exhausted transfer \"pharmacist\"\n"
        "menu main\n  timeout 2s\n  tries 2\n  prompt silence 1s\n"
        "  on 1 goto own\n"
        "menu own\n  timeout 2s\n  tries 2\n  prompt silence 1s\n"
        "  on 9 hangup\n  on exhausted hangup\n";
    const ev *x;

    run(menu, &(run_opts){.fast = 1});
    x = find(EV_TRANSFER, 0);
    ok(x && !strcmp(x->text, "pharmacist") && !strcmp(x->menu, "main"),
       "a menu without 'on exhausted' runs the global one (%s)",
       x ? x->text : "no transfer");
    run(menu, &(run_opts){.fast = 1, .keys = "1 @1.5s"});
    x = find(EV_HANGUP, 0);
    ok(!find(EV_TRANSFER, 0) && x && !strcmp(x->reason, "hangup") &&
       !strcmp(x->menu, "own"), "a menu's own 'on exhausted' wins over the "
       "global one");
}

/* A number that may start with 0 where 0 is the global operator key. */
static void test_global_off(void)
{
    static const char *menu =
        "global\n  on 0, \"operator\" transfer \"operator\"\n"
        "menu main\n  prompt silence 1s\n  global off 0\n"
        "  collect rx min 7 max 7\n  on collected hangup\n"
        "menu other\n  prompt silence 1s\n  on 1 hangup\n";
    const ev *x;

    run(menu, &(run_opts){.fast = 1, .keys = "0123456 @1.2s"});
    x = find(EV_SET, 0);
    ok(x && !strcmp(x->text, "0123456") && !find(EV_TRANSFER, 0),
       "with 'global off 0' a value starts with 0 (%s)", x ? x->text : "-");
}

static void test_record_audio(void)
{
    char want[300];
    const ev *x;
    audio_read_opts aro = {0};
    audio_reader *r;
    ivr_error err;

    run("menu main\n  on enter record msg max 20s silence 1s then hangup\n",
        &(run_opts){.fast = 0, .says = "my card was stolen at the station "
                    "@0.5s", .record_dir = dir});
    x = find(EV_RECORD, 0);
    snprintf(want, sizeof want, "%s/main-msg-1.wav", dir);
    ok(x && !strcmp(x->text, want) && !strcmp(x->reason, "silence") &&
       x->duration > 2.0 && x->duration < 5.0,
       "the caller's words recorded until a second of silence (%.2f s)",
       x ? x->duration : -1);
    r = audio_reader_open(want, &aro, &err);
    ok(r && x && fabs((double)audio_reader_file_frames(r) / ENGINE_RATE -
                      x->duration) < 0.03,
       "the file holds what was recorded");
    audio_reader_close(r);
    run("menu main\n  on enter record msg max 20s silence 1s then hangup\n",
        &(run_opts){.fast = 0, .says = "again @0.5s", .record_dir = dir});
    snprintf(want, sizeof want, "%s/main-msg-2.wav", dir);
    ok(find(EV_RECORD, 0) && !strcmp(find(EV_RECORD, 0)->text, want) &&
       find(EV_ERROR, 0) == NULL, "a second call into the same folder "
       "takes the next free name, keeping the first recording");
}

int main(void)
{
    char cmd[300];

    if (!mkdtemp(dir))
        return 1;
    setenv("XDG_CACHE_HOME", dir, 1);
    test_timeouts();
    test_bargein();
    test_collect();
    test_counters();
    test_keys();
    test_flow();
    test_actions();
    test_during();
    test_speech_fast();
    test_audio();
    test_timer_after_key_from_speech_menu();
    test_low_confidence_reason();
    test_global_exhausted();
    test_global_off();
    test_record_audio();
    asr_free(shared_asr);
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd) != 0)
        diag("could not remove %s", dir);
    return tap_done();
}
