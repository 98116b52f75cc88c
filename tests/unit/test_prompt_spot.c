/*
 * test_prompt_spot.c: listening for a script's phrases in what an IVR
 * says. Text read as a TTS reads it; phrases heard through misheard and
 * homophone words but not from the same words scattered (transcripts the
 * spotter really produced from a remote IVR over SIP); and real audio:
 * prompts spoken by flite voices other than the menu's, at 8 kHz,
 * through the real recogniser.
 */
#include "audio.h"
#include "g711.h"
#include "prompt_spot.h"
#include "tts.h"
#include "tap.h"

#include <stdlib.h>
#include <string.h>

static void words_are(const char *text, const char *want)
{
    char got[512];

    ok(prompt_spot_words(text, got, sizeof got) == 0 && !strcmp(got, want),
       "\"%s\" is read \"%s\"", text, want);
    if (strcmp(got, want))
        diag("got \"%s\"", got);
}

static void heard(const char *phrase, const char *transcript, int want)
{
    char p[256];

    prompt_spot_words(phrase, p, sizeof p);
    ok(prompt_spot_heard(p, transcript) == want, "\"%s\" %s in \"%s\"",
       phrase, want ? "is heard" : "is not heard", transcript);
}

typedef struct spotted {
    int found[8];
    int n;                   /* phrases listened for (at most 8) */
    int stretches;
} spotted;

static void on_stretch(const prompt_spot_result *r, void *user)
{
    spotted *s = user;
    int i;

    s->stretches++;
    for (i = 0; i < s->n; i++)
        s->found[i] |= r->found[i];
    diag("heard: %s", r->heard);
}

/* x as a G.711 mu-law line carries it: 1, or 0 out of memory */
static int through_ulaw(float *x, size_t n)
{
    uint8_t *u = malloc(n ? n : 1);

    if (!u)
        return 0;
    g711_ulaw_encode(x, u, n);
    g711_ulaw_decode(u, x, n);
    free(u);
    return 1;
}

/* phrases[i] must be heard (want[i]) in text spoken by voice, through a
 * mu-law line when line is set */
static void spoken_on(const char *voice, int line, const char *text,
                      const char *const *phrases, const int *want, int n)
{
    tts_opts to;
    tts_engine *t;
    prompt_spotter *sp = NULL;
    spotted s;
    float *x = NULL, pad[4000];
    size_t nx = 0;
    ivr_error err;
    int i;

    memset(&to, 0, sizeof to);
    memset(&s, 0, sizeof s);
    memset(pad, 0, sizeof pad);
    s.n = n;
    to.voice = voice;
    to.rate = 8000;
    to.cache_dir = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
    if (!(t = tts_new(&to, &err)) ||
        tts_speak(t, text, &x, &nx, NULL, &err) != IVR_OK ||
        (line && !through_ulaw(x, nx)) ||
        !(sp = prompt_spotter_new(phrases, n, NULL, 700, on_stretch, &s,
                                  NULL, &err)) ||
        prompt_spotter_push(sp, pad, sizeof pad / sizeof *pad, &err) ||
        prompt_spotter_push(sp, x, nx, &err) ||
        prompt_spotter_push(sp, pad, sizeof pad / sizeof *pad, &err) ||
        prompt_spotter_flush(sp, &err)) {
        ok(0, "%s speaks and is listened to", voice);
        diag("%s", err.message);
    } else {
        for (i = 0; i < n; i++)
            ok(s.found[i] == want[i], "voice %s%s: \"%s\" %s", voice,
               line ? " on a mu-law line" : "", phrases[i],
               want[i] ? "heard" : "not heard");
    }
    prompt_spotter_free(sp);
    tts_free(t);
    free(x);
}

static void spoken(const char *voice, const char *text,
                   const char *const *phrases, const int *want, int n)
{
    spoken_on(voice, 0, text, phrases, want, n);
}

/* What a turn test saw: each phrase's end as told, how much audio had
 * been pushed when each stretch was told, and where each ended. */
typedef struct turn_log {
    double end[4];
    int found[4];
    double told_at[16];
    double stretch_end[16];
    int ntold;
    double pushed;           /* seconds pushed so far */
} turn_log;

static void on_turn_stretch(const prompt_spot_result *r, void *user)
{
    turn_log *t = user;
    int i;

    if (t->ntold < 16) {
        t->stretch_end[t->ntold] = r->end;
        t->told_at[t->ntold++] = t->pushed;
    }
    for (i = 0; i < 4; i++)
        if (r->found[i] && !t->found[i]) {
            t->found[i] = 1;
            t->end[i] = r->ends[i];
        }
    diag("told at %.2f s: %.2f-%.2f \"%s\"", t->pushed, r->start, r->end,
         r->heard);
}

/* text spoken by rms through a mu-law line, its own leading and trailing
 * silence cut, appended to *x; where it ends (seconds) */
static double say_trimmed(tts_engine *t, const char *text, float **x,
                          size_t *n)
{
    float *y = NULL, *grown;
    size_t ny = 0, a = 0, b;
    ivr_error err;

    if (tts_speak(t, text, &y, &ny, NULL, &err) != IVR_OK ||
        !through_ulaw(y, ny)) {
        free(y);
        return -1;
    }
    b = ny;
    while (a < ny && y[a] < 0.01f && y[a] > -0.01f)
        a++;
    while (b > a && y[b - 1] < 0.01f && y[b - 1] > -0.01f)
        b--;
    if (!(grown = realloc(*x, (*n + b - a) * sizeof *grown))) {
        free(y);
        return -1;
    }
    memcpy(grown + *n, y + a, (b - a) * sizeof *grown);
    *x = grown;
    *n += b - a;
    free(y);
    return (double)*n / 8000.0;
}

static void pause_of(double seconds, float **x, size_t *n)
{
    size_t k = (size_t)(seconds * 8000.0);
    float *grown = realloc(*x, (*n + k) * sizeof *grown);

    if (!grown)
        return;
    memset(grown + *n, 0, k * sizeof *grown);
    *x = grown;
    *n += k;
}

/* rms at 8 kHz, its prompts cached where the tests may write; NULL (a
 * failed test) when it cannot speak. */
static tts_engine *rms_voice(void)
{
    tts_opts to;
    tts_engine *t;
    ivr_error err;

    memset(&to, 0, sizeof to);
    to.voice = "rms";
    to.rate = 8000;
    to.cache_dir = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
    if (!(t = tts_new(&to, &err)))
        ok(0, "rms speaks: %s", err.message);
    return t;
}

/* x (n samples) pushed 20 ms at a time to a spotter listening for the
 * four phrases, into log; 0 when no spotter listens (a failed test). */
static int spot_turns(const char *const *phrases, const float *x, size_t n,
                      turn_log *log)
{
    prompt_spotter *sp;
    ivr_error err;
    size_t i;

    memset(log, 0, sizeof *log);
    if (!(sp = prompt_spotter_new(phrases, 4, NULL, 700, on_turn_stretch,
                                  log, NULL, &err))) {
        ok(0, "a spotter listens: %s", err.message);
        return 0;
    }
    for (i = 0; i < n; i += 160) {
        size_t k = n - i < 160 ? n - i : 160;
        if (prompt_spotter_push(sp, x + i, k, &err) != IVR_OK)
            break;
        log->pushed = (double)(i + k) / 8000.0;
    }
    prompt_spotter_flush(sp, &err);
    prompt_spotter_free(sp);
    return 1;
}

/* An IVR's turn of three sentences, then a pause, then one more: what was
 * heard is told once the turn is over, and not before; each phrase with
 * where its words ended (a rule's `after` counts from there), one across
 * a pause between sentences as well. */
static void test_turns(void)
{
    static const char *const phrases[] = {
        "That is not a valid account number.", "For your balance, press 1",
        "Thank you for calling. Goodbye.", "To end the call"};
    tts_engine *t = rms_voice();
    turn_log log;
    float *x = NULL;
    size_t n = 0;
    double invalid_end, press_start, balance_end, turn_end, bye_start;

    if (!t)
        return;
    pause_of(0.5, &x, &n);
    invalid_end = say_trimmed(t, "That is not a valid account number.", &x,
                              &n);
    pause_of(0.4, &x, &n);
    say_trimmed(t, "For your balance", &x, &n);
    pause_of(0.35, &x, &n);     /* a comma's pause, as slt makes one */
    press_start = (double)n / 8000.0;
    balance_end = say_trimmed(t, "press 1 or say balance.", &x, &n);
    pause_of(0.4, &x, &n);
    turn_end = say_trimmed(t, "To hear the menu again, press star.", &x, &n);
    pause_of(2.0, &x, &n);
    bye_start = (double)n / 8000.0;
    say_trimmed(t, "Thank you for calling. Goodbye.", &x, &n);
    pause_of(1.0, &x, &n);
    if (!spot_turns(phrases, x, n, &log))
        goto done;
    ok(log.ntold >= 2 && log.told_at[0] >= turn_end + 0.5 &&
       log.told_at[0] < bye_start,
       "a turn is told when the IVR has been quiet 0.7 s after it (its "
       "last sentence ended at %.2f s; told at %.2f s)", turn_end,
       log.ntold ? log.told_at[0] : -1.0);
    ok(log.found[0] && log.end[0] > invalid_end - 0.15 &&
       log.end[0] < invalid_end + 0.15,
       "a phrase heard ends where its words did (%.2f s, said to %.2f s)",
       log.end[0], invalid_end);
    ok(log.found[1] && log.end[1] > press_start && log.end[1] < balance_end,
       "a phrase across a pause between sentences is heard, ending in the "
       "second, at its own last word (%.2f s; the second sentence %.2f to "
       "%.2f s)", log.end[1], press_start, balance_end);
    ok(log.found[2] && !log.found[3], "the turn after it is heard too, "
       "and a phrase not said is not");
done:
    tts_free(t);
    free(x);
}

/* A file's audio at 8 kHz, appended to *x; 0 when it cannot be read. */
static int play_file(const char *path, float **x, size_t *n)
{
    audio_read_opts ro;
    audio_reader *r;
    ivr_error err;
    float buf[4096], *grown;
    long got;

    memset(&ro, 0, sizeof ro);
    ro.rate = 8000;
    if (!(r = audio_reader_open(path, &ro, &err)))
        return 0;
    while ((got = audio_reader_read(r, buf, 4096, &err)) > 0) {
        if (!(grown = realloc(*x, (*n + (size_t)got) * sizeof *grown)))
            break;
        memcpy(grown + *n, buf, (size_t)got * sizeof *grown);
        *x = grown;
        *n += (size_t)got;
    }
    audio_reader_close(r);
    return got == 0;
}

/* rms hardly pauses: its prompt, the 130 ms flite leaves after its last
 * word, a song, and the next prompt were one stretch of 15 s, decoded as
 * one (the song set the noise floor under the speech) and "Here is Night
 * Drive" was not heard. A long stretch ends at a short pause; an ordinary
 * sentence does not (test_turns). */
static void test_song_after_prompt(void)
{
    static const char *const phrases[] = {
        "Here is Night Drive", "2 for the next sample",
        "Here is Low Tide by Marram", "To end the call"};
    tts_engine *t = rms_voice();
    turn_log log;
    float *x = NULL;
    size_t n = 0, i;
    double prompt_end, song_end;

    if (!t)
        return;
    pause_of(0.5, &x, &n);
    prompt_end = say_trimmed(t, "Here is Night Drive by The Quiet Hours. "
                             "Press 9 at any time to get it by text "
                             "message.", &x, &n);
    pause_of(0.13, &x, &n);
    if (!play_file("menus/audio/night-drive.wav", &x, &n)) {
        ok(0, "menus/audio/night-drive.wav is read");
        goto done;
    }
    song_end = (double)n / 8000.0;
    pause_of(0.13, &x, &n);
    say_trimmed(t, "Press 1 to hear it again, 2 for the next sample, or "
                "star for the main menu.", &x, &n);
    pause_of(1.0, &x, &n);
    if (!spot_turns(phrases, x, n, &log))
        goto done;
    for (i = 0; i < (size_t)log.ntold; i++)
        if (log.stretch_end[i] > prompt_end &&
            log.stretch_end[i] < prompt_end + 0.35)
            break;
    ok(i < (size_t)log.ntold, "a stretch of 6 s ends at the 130 ms pause "
       "between the prompt and the song (the prompt ended at %.2f s)",
       prompt_end);
    ok(log.found[0] && log.end[0] < prompt_end,
       "a prompt followed by a song after a 130 ms pause is heard (\"Here is "
       "Night Drive\" %s, ending at %.2f s; the prompt ended at %.2f s, the "
       "song at %.2f s)", log.found[0] ? "heard" : "not heard", log.end[0],
       prompt_end, song_end);
    ok(log.found[1] && log.end[1] > song_end,
       "the prompt after the song is heard too");
    ok(!log.found[2] && !log.found[3],
       "and phrases not said are not, in the song either");
done:
    tts_free(t);
    free(x);
}

/* A phrase across two pauses: a voice that breathes within a sentence
 * cuts it in three. Before, only the stretch before was joined. */
static void test_phrase_across_pauses(void)
{
    static const char *const phrases[] = {
        "calling Harbor Bank. For your balance", "To end the call",
        "To speak to an agent", "Goodbye"};
    tts_engine *t = rms_voice();
    turn_log log;
    float *x = NULL;
    size_t n = 0;
    double third_start, third_end;

    if (!t)
        return;
    pause_of(0.5, &x, &n);
    say_trimmed(t, "Thank you for calling", &x, &n);
    pause_of(0.35, &x, &n);
    say_trimmed(t, "Harbor Bank.", &x, &n);
    pause_of(0.35, &x, &n);
    third_start = (double)n / 8000.0;
    third_end = say_trimmed(t, "For your balance, press 1.", &x, &n);
    pause_of(1.0, &x, &n);
    if (spot_turns(phrases, x, n, &log)) {
        ok(log.ntold == 3, "three sentences are three stretches (%d)",
           log.ntold);
        ok(log.found[0] && log.end[0] > third_start &&
           log.end[0] < third_end, "a phrase across both pauses is heard, "
           "ending in the third (%.2f s; it was said %.2f to %.2f s)",
           log.end[0], third_start, third_end);
        ok(!log.found[1] && !log.found[2] && !log.found[3],
           "and phrases not said are not");
    }
    tts_free(t);
    free(x);
}

/* A name the dictionary lacks, as an IVR's prompt says it: heard, since
 * it is listened for as flite says it. */
static void test_name_not_in_dictionary(void)
{
    static const char *const phrases[] = {
        "Marram", "Low Tide", "Night Drive", "Goodbye"};
    tts_engine *t = rms_voice();
    turn_log log;
    float *x = NULL;
    size_t n = 0;

    if (!t)
        return;
    pause_of(0.5, &x, &n);
    say_trimmed(t, "Here is Low Tide by Marram.", &x, &n);
    pause_of(1.0, &x, &n);
    if (spot_turns(phrases, x, n, &log)) {
        ok(log.found[0] && log.found[1], "a name no dictionary has is heard "
           "(\"Marram\" %s)", log.found[0] ? "heard" : "not heard");
        ok(!log.found[2] && !log.found[3], "and phrases not said are not");
    }
    tts_free(t);
    free(x);
}

static void near_is(const char *phrase, const char *heard, int want)
{
    char p[256];

    prompt_spot_words(phrase, p, sizeof p);
    ok(prompt_spot_near(p, heard) == want, "\"%s\" %s checked in \"%s\"",
       phrase, want ? "is" : "is not", heard);
}

int main(void)
{
    static const char *const bank[] = {
        "For your balance", "To speak to an agent",
        "Your books are renewed", "That is not a valid account number."};
    static const int bank_want[] = {1, 1, 0, 0};
    static const char *const balance[] = {
        "is 1,204 dollars and 50 cents", "For your balance",
        "is 88 dollars and 10 cents"};
    static const int balance_want[] = {1, 0, 0};
    static const char *const tunes[] = {
        "Are you still there?", "Press 1 for samples, 2 for a coupon, or 0 "
        "for the operator.", "2 for the next sample"};
    static const int tunes_want[] = {1, 1, 0};
    static const char *const end_call[] = {
        "To end the call", "For the main menu, press 9",
        "To block your card now"};
    static const int end_call_want[] = {1, 1, 0};
    static const char *const still_there[] = {
        "Are you still there?", "Sorry, that is not an option."};
    static const int still_there_want[] = {1, 0};
    const char *const unknown[] = {"\xc3\x86\xc3\xa6"};   /* Ææ */
    const char *const spelled[] = {"Xqzzt Vrrk"};
    prompt_spotter *sp;
    ivr_error err;
    int bad = -1;

    words_are("The balance of account 4 1 2 3 is 1,204 dollars and 50 cents.",
              "the balance of account four one two three is one thousand two "
              "hundred four dollars and fifty cents");
    words_are("20% off until May 31st, press # or *",
              "twenty percent off until may thirty first press or");
    words_are("Call 0123456 or 41234567890", "call zero one two three four "
              "five six or four one two three four five six seven eight nine "
              "zero");
    words_are("Our agents are in from 8 AM to 8 PM",
              "our agents are in from eight a m to eight p m");

    heard("That is not a valid account number.",
          "message number valid account number please key in more say your "
          "eight digit to account number", 1);
    heard("say your eight digit account number",
          "please key in more say your eight digit to account number "
          "followed by the pound key", 1);
    heard("For your balance",
          "the balance of account four one two three", 0);
    heard("To block your card now",
          "to is to your a tone to on your now to is to your to your a to", 0);
    heard("2 for the next sample",
          "for this week's samples press one or say samples for a store "
          "coupon press two or say coupon", 0);
    /* a number heard as the function word it sounds like counts for the
     * phrase's words, not for its own: "to" is in half of all sentences
     * (rms over SIP, "Welcome to Tune Line. For this week's samples") */
    heard("2 for the next sample", "welcome to tune line for this week's "
          "samples press one for say samples", 0);
    heard("2 for the next sample", "again to for some next sample for star "
          "for the main menu", 1);
    heard("To end the call", "to end the call press pound", 1);
    heard("To end the call", "to send a card", 0);
    heard("is 1,204 dollars and 50 cents",
          "is one thousand to hundred for dollars and fifty cents", 1);
    heard("Press 4 for 2 days", "press for four to days", 1);
    heard("To renew a book", "to renew of book press one for our opening "
          "hours", 1);
    heard("To renew a book", "to renew of with press one", 0);
    heard("The balance of account", "sorry our account system is not "
          "answering", 0);
    heard("Are you still there?", "our use still there press on for "
          "samples", 1);
    heard("For your balance", "for the balance of account", 0);
    heard("To renew a book", "your books are renewed for three weeks", 0);
    /* rms over SIP: "agents are" as "agent star", "8 AM" as "a to am" */
    heard("Our agents are in from 8 AM to 8 PM", "our agent star in from a "
          "to am to his p m monday to friday", 1);
    heard("Our agents are in from 8 AM to 8 PM", "our agent is in from a "
          "to am to his", 0);

    sp = prompt_spotter_new(unknown, 1, NULL, 700, on_stretch, NULL, &bad,
                            &err);
    ok(!sp && err.status == IVR_EINPUT && bad == 0 &&
       !strcmp(err.message, "\"\xc3\x86\xc3\xa6\": none of its words "
                            "is in the recogniser's dictionary or spelled "
                            "in letters a-z"),
       "a phrase of no word the recogniser can take is named (%s)",
       sp ? "taken" : err.message);
    prompt_spotter_free(sp);
    sp = prompt_spotter_new(spelled, 1, NULL, 700, on_stretch, NULL, &bad,
                            &err);
    ok(sp != NULL, "a phrase of words no dictionary has is listened for as "
       "flite spells them out");
    prompt_spotter_free(sp);

    /* the second decoding is spent where half a phrase's words came */
    near_is("Are you still there?", "start use still there", 1);
    near_is("To end the call", "to here if again press one for the main "
            "menu press minute tune to call press pound", 1);
    near_is("To end the call", "to end the call press pound", 0);
    near_is("Your books are renewed", "for your balance press one", 0);
    near_is("To renew a book", "to renew of with press one", 1);
    near_is("For your", "for the balance", 1);

    /* words alone heard "to end the call" as "minute tune to call" from
     * this voice on a line, and "are you" as "start use": decoded again
     * with the phrase in, each survives; the phrase not said does not */
    spoken_on("rms", 1, "To hear it again, press 1. For the main menu, "
              "press 9. To end the call, press pound.", end_call,
              end_call_want, 3);
    spoken_on("rms", 1, "Are you still there?", still_there,
              still_there_want, 2);

    spoken("rms", "Thank you for calling Harbor Bank. For your balance, "
           "press 1 or say balance. To speak to an agent, press 0 or say "
           "agent.", bank, bank_want, 4);
    spoken("kal", "Thank you for calling Harbor Bank. For your balance, "
           "press 1 or say balance. To speak to an agent, press 0 or say "
           "agent.", bank, bank_want, 4);
    spoken("rms", "The balance of account 4 1 2 3 4 5 6 7 is 1,204 dollars "
           "and 50 cents.", balance, balance_want, 3);
    spoken("rms", "Are you still there? Press 1 for samples, 2 for a "
           "coupon, or 0 for the operator.", tunes, tunes_want, 3);
    spoken("awb", "The balance of account 4 1 2 3 4 5 6 7 is 1,204 dollars "
           "and 50 cents.", balance, balance_want, 3);
    test_turns();
    test_song_after_prompt();
    test_phrase_across_pauses();
    test_name_not_in_dictionary();
    return tap_done();
}
