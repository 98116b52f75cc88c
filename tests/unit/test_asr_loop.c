/*
 * test_asr_loop.c: the phone loop of our own (core/asr_phone_*.c) gives
 * the path score pocketsphinx's allphone search gives, to the integer, on
 * real audio of every kind a recogniser meets: people reading prompts
 * (Asterisk's English, and Spanish, French, Italian and Russian as speech
 * outside any menu), flite voices, music, noise, key tones, silence, an
 * utterance shorter than a frame and a long one; in both bands, one after
 * another as a call's utterances come, so that what each loop carries
 * from one utterance to the next is compared too.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "asr_internal.h"
#include "asr_mllr.h"
#include "asr_phone_loop.h"
#include "signals.h"

#define SOUNDS "/usr/share/asterisk/sounds"

typedef struct tally {
    int n, same, narrow, worst;
} tally;

/* s (any rate) at 16 kHz, as the recogniser decodes it */
static int16_t *at_16k(const sigbuf *s, size_t *n)
{
    float *y = NULL;
    int16_t *pcm;
    size_t i;

    audio_resample(s->x, s->n, s->rate, DECODE_RATE, &y, n, NULL);
    pcm = malloc((*n ? *n : 1) * sizeof *pcm);
    for (i = 0; i < *n; i++) {
        float v = y[i] * 32767.0f;
        pcm[i] = (int16_t)(v > 32767 ? 32767 : v < -32768 ? -32768 : v);
    }
    free(y);
    return pcm;
}

static void compare(asr_recognizer *a, const int16_t *pcm, size_t n,
                    int narrow, const char *what, tally *t)
{
    double own = 0, ref = 0;

    if (asr_loop_score(a, pcm, n, narrow, &own) != 0
        || asr_loop_score_reference(a, pcm, n, narrow, &ref) != 0) {
        ok(0, "%s: a loop scores", what);
        return;
    }
    t->n++;
    t->narrow += narrow;
    if (own == ref)
        t->same++;
    else if (t->n - t->same <= 5)
        diag("%s (%s band): ours %.0f, pocketsphinx's %.0f", what,
             narrow ? "telephone" : "full", own, ref);
}

static void compare_sig(asr_recognizer *a, const sigbuf *s, int narrow,
                        const char *what, tally *t)
{
    size_t n;
    int16_t *pcm = at_16k(s, &n);

    compare(a, pcm, n, narrow, what, t);
    free(pcm);
}

/* Up to max prompts of a language's folder, each in both bands. */
static void prompts(asr_recognizer *a, const char *lang, int max, tally *t)
{
    char dir[256], path[600];
    DIR *d;
    struct dirent *e;
    int k = 0;

    snprintf(dir, sizeof dir, "%s/%s", SOUNDS, lang);
    if (!(d = opendir(dir))) {
        diag("%s is not installed", dir);
        return;
    }
    while ((e = readdir(d)) && k < max) {
        sigbuf s;
        size_t len = strlen(e->d_name);
        if (len < 5 || strcmp(e->d_name + len - 4, ".wav") != 0)
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        sig_init(&s, 8000);
        if (sig_load(&s, path) == 0 && s.n > 0) {
            compare_sig(a, &s, k % 3 != 2, path, t);
            k++;
        }
        sig_free(&s);
    }
    closedir(d);
}

static void voices(asr_recognizer *a, const char *dir, tally *t)
{
    static const char *voice[] = {"rms", "awb", "kal16", "slt"};
    static const char *text[] = {"check my balance", "speak to an agent",
                                 "four one two oh five seven",
                                 "I would like to buy some shoes"};
    int i;

    for (i = 0; i < 8; i++) {
        sigbuf s;
        char what[128];
        sig_init(&s, 16000);
        if (sig_speech(&s, dir, voice[i % 4], text[i / 2]) != 0) {
            ok(0, "flite speaks");
            sig_free(&s);
            return;
        }
        snprintf(what, sizeof what, "flite %s \"%s\"", voice[i % 4],
                 text[i / 2]);
        compare_sig(a, &s, 0, what, t);
        compare_sig(a, &s, 1, what, t);
        sig_free(&s);
    }
}

static void other_sounds(asr_recognizer *a, tally *t)
{
    sigbuf s;
    audio_rng rng;
    int16_t one = 100;

    sig_init(&s, 8000);
    sig_music(&s, 4.0, -15, 7);
    compare_sig(a, &s, 1, "music", t);
    compare_sig(a, &s, 0, "music", t);
    sig_free(&s);

    sig_init(&s, 8000);
    sig_digits(&s, "159#*0", -10, 2, 0, 80, 60);
    compare_sig(a, &s, 1, "key tones", t);
    sig_free(&s);

    sig_init(&s, 16000);
    sig_silence(&s, 1500);
    compare_sig(a, &s, 0, "digital silence", t);
    audio_rng_seed(&rng, 3);
    audio_add_noise(s.x, s.n, -30, &rng);
    compare_sig(a, &s, 1, "noise", t);
    sig_free(&s);

    compare(a, &one, 1, 0, "one sample", t);
    compare(a, &one, 0, 1, "no samples", t);

    /* a long utterance: music then speech, 30 s */
    sig_init(&s, 8000);
    sig_music(&s, 30.0, -20, 11);
    compare_sig(a, &s, 1, "30 s of music", t);
    sig_free(&s);
}

static char *mllr_text(void)
{
    static char text[16384];
    size_t len = 0;
    int i;

    for (i = 0; asr_mllr_8k[i]; i++)
        len += (size_t)snprintf(text + len, sizeof text - len, "%s\n",
                                asr_mllr_8k[i]);
    return text;
}

static void write_file(const char *path, const void *data, size_t n)
{
    FILE *f = fopen(path, "wb");
    if (f) {
        fwrite(data, 1, n, f);
        fclose(f);
    }
}

/* The first n bytes of file from into path. */
static void truncated_copy(const char *from, const char *path, size_t n)
{
    char *buf = malloc(n);
    FILE *f = fopen(from, "rb");
    size_t got = f ? fread(buf, 1, n, f) : 0;

    if (f)
        fclose(f);
    write_file(path, buf, got);
    free(buf);
}

/* A model file of key replaced by path: the loop of our own is refused
 * with why, which is "PATH: " and expected. */
static void refused(cmd_ln_t *config, const char *key, const char *path,
                    const char *expected, const char *what)
{
    char *was = strdup(cmd_ln_str_r(config, key)), why[512] = "", want[512];
    asr_phone_loop *l;

    cmd_ln_set_str_r(config, key, path);
    l = asr_phone_loop_new(config, 2, mllr_text(), NULL, 0, why, sizeof why);
    snprintf(want, sizeof want, "%s: %s", path, expected);
    ok(l == NULL && strcmp(why, want) == 0, "%s: refused with \"%s\" (%s)",
       what, want, why);
    asr_phone_loop_free(l);
    cmd_ln_set_str_r(config, key, was);
    free(was);
}

static void test_refusals(asr_recognizer *a, const char *dir)
{
    cmd_ln_t *config = ps_get_config(a->ps);
    char path[600], why[256] = "";
    size_t i;
    static const struct {
        const char *key, *file;
        long keep;   /* bytes of the real file kept; 0: no file */
        const char *why, *what;
    } cut[] = {
        {"_sendump", "missing", 0, "does not open",
         "a sendump that is not there"},
        {"_sendump", "sendump", 2000, "not a sendump this loop reads",
         "a sendump cut short"},
        {"_mean", "means", 5000,
         "not Gaussians of the shape this loop serves", "means cut short"},
        {"_tmat", "tmat", 100, "not transition matrices of 3-state phones",
         "transition matrices cut short"},
    };
    static const char clustered[] =
        "\x06\0\0\0title\0\x07\0\0\0header\0"
        "\x11\0\0\0cluster_count 16\0\0\0\0\0";
    asr_phone_loop *l;

    for (i = 0; i < sizeof cut / sizeof *cut; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, cut[i].file);
        if (cut[i].keep > 0)
            truncated_copy(cmd_ln_str_r(config, cut[i].key), path,
                           (size_t)cut[i].keep);
        refused(config, cut[i].key, path, cut[i].why, cut[i].what);
    }
    snprintf(path, sizeof path, "%s/sendump4", dir);
    write_file(path, clustered, sizeof clustered - 1);
    refused(config, "_sendump", path, "4-bit mixture weights are not served",
            "a sendump of 4-bit weights");
    snprintf(path, sizeof path, "%s/mdef", dir);
    write_file(path, "0.3\n42 n_base\n", 15);
    refused(config, "_mdef", path,
            "not a binary model definition this loop reads",
            "a model definition in text");

    l = asr_phone_loop_new(config, 2, "1\n2\n13\n", NULL, 0, why,
                           sizeof why);
    ok(l == NULL && strcmp(why, "the telephone-band transform: does not "
                                "fit the model") == 0,
       "a band transform of another shape is refused (%s)", why);
    asr_phone_loop_free(l);
    asr_phone_loop_free(NULL);

    /* after all of that, the model as it is still loads */
    l = asr_phone_loop_new(config, 2, mllr_text(), NULL, 0, why,
                           sizeof why);
    ok(l != NULL, "the model itself still serves (%s)", why);
    asr_phone_loop_free(l);
}

/* IVR_ASR_REFERENCE_LOOP: pocketsphinx's loop judges, with the same
 * confidence as ours. */
static void test_reference_switch(asr_recognizer *ours, const char *dir)
{
    asr_opts o = {0};
    asr_recognizer *ref;
    sigbuf s;
    size_t n;
    int16_t *pcm;
    double a = 0, b = 0;

    o.mode = ASR_CHOICES;
    o.spec = "balance|agent|help";
    setenv("IVR_ASR_REFERENCE_LOOP", "1", 1);
    ref = asr_new(16000, &o, NULL, NULL, NULL);
    unsetenv("IVR_ASR_REFERENCE_LOOP");
    ok(ref && !ref->own_loop && ref->loop,
       "with IVR_ASR_REFERENCE_LOOP set, the loop is pocketsphinx's");
    sig_init(&s, 16000);
    if (ref && sig_speech(&s, dir, "awb", "speak to an agent") == 0) {
        int both;
        pcm = at_16k(&s, &n);
        both = asr_loop_score(ref, pcm, n, 0, &a) == 0
               && asr_loop_score(ours, pcm, n, 0, &b) == 0;
        ok(both && a == b && a != 0,
           "... and scores an utterance as ours does (%.0f, %.0f)", a, b);
        free(pcm);
    }
    sig_free(&s);
    if (ref)
        asr_free(ref);
}

int main(void)
{
    char dir[] = "/tmp/ivr-test-asr-loop.XXXXXX", cmd[128];
    asr_opts o = {0};
    asr_recognizer *a;
    ivr_error err = {0};
    tally t = {0};

    if (!mkdtemp(dir))
        return 99;
    o.mode = ASR_CHOICES;
    o.spec = "balance|agent|help";
    a = asr_new(16000, &o, NULL, NULL, &err);
    ok(a != NULL, "a recogniser of choices loads (%s)", err.message);
    if (!a)
        return tap_done();
    ok(a->own_loop != NULL,
       "the phone loop of our own serves Debian's en-us model");

    prompts(a, "en_US_f_Allison", 60, &t);
    prompts(a, "en_US_f_Allison/digits", 12, &t);
    prompts(a, "es_MX_f_Allison", 10, &t);
    prompts(a, "fr_CA_f_June", 10, &t);
    prompts(a, "it_IT_m_Carlo", 10, &t);
    prompts(a, "ru_RU_f_IvrvoiceRU", 10, &t);
    voices(a, dir, &t);
    other_sounds(a, &t);
    diag("%d utterances (%d in the telephone band): %d the same", t.n,
         t.narrow, t.same);
    ok(t.n >= 100 && t.same == t.n,
       "on each of %d utterances our loop's path score is pocketsphinx's",
       t.n);
    /* the portable code, which machines without AVX2 run */
    if (a->own_loop->avx2) {
        tally p = {0};
        a->own_loop->avx2 = 0;
        prompts(a, "en_US_f_Allison", 20, &p);
        voices(a, dir, &p);
        other_sounds(a, &p);
        a->own_loop->avx2 = 1;
        ok(p.same == p.n && p.n >= 40,
           "without AVX2 as well, on each of %d utterances", p.n);
    } else {
        ok(1, "this machine has no AVX2: the portable code was compared "
              "above # SKIP");
    }
    test_reference_switch(a, dir);
    test_refusals(a, dir);

    asr_free(a);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        diag("could not remove %s", dir);
    return tap_done();
}
