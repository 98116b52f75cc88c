/* test_tts.c: core/tts: voices, rates, speed and the prompt cache. */
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <flite/flite.h>

#include "tap.h"
#include "audio.h"
#include "tts.h"

cst_voice *register_cmu_us_rms(const char *voxdir);

static char dir[] = "/tmp/ivr-test-tts.XXXXXX";
static char cache[300];

static const char *prompt = "For billing, press one. For support, press two.";

/* Speech has energy; silence does not. */
static double level(const float *x, size_t n)
{
    return audio_level_dbm0(x, n);
}

static void test_voices(void)
{
    const char *const *v;
    tts_opts o = {0};
    int count = 0, good = 0;

    o.cache_dir = "";
    for (v = tts_voice_names(); *v; v++) {
        tts_engine *t;
        float *x = NULL;
        size_t n = 0;
        const char *text = strcmp(*v, "awb_time") ? "Hello, caller."
                                                  : "The time is now, a "
                                                    "quarter past three.";
        count++;
        o.voice = *v;
        t = tts_new(&o, NULL);
        if (t && tts_speak(t, text, &x, &n, NULL, NULL) == IVR_OK &&
            n > 4000 && n < 8000 * 5 && level(x, n) > -40)
            good++;
        else
            diag("voice %s: %zu samples", *v, n);
        free(x);
        tts_free(t);
    }
    ok(count == 6 && good == count, "every built-in voice speaks (%d of %d)",
       good, count);
}

static void test_rates_and_speed(void)
{
    tts_opts o = {0};
    tts_engine *t8, *t16, *slow;
    float *a = NULL, *b = NULL, *c = NULL;
    size_t na = 0, nb = 0, nc = 0;

    o.cache_dir = "";
    t8 = tts_new(&o, NULL);
    o.rate = 16000;
    t16 = tts_new(&o, NULL);
    o.rate = 8000;
    o.speed = 0.5;
    slow = tts_new(&o, NULL);
    ok(t8 && tts_rate(t8) == 8000 && !strcmp(tts_voice(t8), "slt"),
       "default: slt at 8000 Hz");
    tts_speak(t8, prompt, &a, &na, NULL, NULL);
    tts_speak(t16, prompt, &b, &nb, NULL, NULL);
    tts_speak(slow, prompt, &c, &nc, NULL, NULL);
    ok(labs((long)nb - 2 * (long)na) < 64,
       "16 kHz has twice the samples of 8 kHz (%zu, %zu)", nb, na);
    ok(nc > na * 17 / 10, "speed 0.5 is much longer (%zu vs %zu)", nc, na);
    free(a);
    free(b);
    free(c);
    tts_free(t8);
    tts_free(t16);
    tts_free(slow);
}

static int count_entries(void)
{
    DIR *d = opendir(cache);
    struct dirent *e;
    int n = 0;

    if (!d)
        return -1;
    while ((e = readdir(d)))
        if (strstr(e->d_name, ".prompt"))
            n++;
    closedir(d);
    return n;
}

static char *first_entry(void)
{
    static char path[600];
    DIR *d = opendir(cache);
    struct dirent *e;

    path[0] = '\0';
    while (d && (e = readdir(d)))
        if (strstr(e->d_name, ".prompt"))
            snprintf(path, sizeof path, "%s/%s", cache, e->d_name);
    if (d)
        closedir(d);
    return path;
}

static void test_cache(void)
{
    tts_opts o = {0};
    tts_engine *t;
    float *a = NULL, *b = NULL;
    size_t na = 0, nb = 0;
    int hit = -1;
    FILE *f;

    o.cache_dir = cache;
    t = tts_new(&o, NULL);
    ok(t && tts_cache_dir(t) && !strcmp(tts_cache_dir(t), cache),
       "the cache directory is created");
    tts_speak(t, prompt, &a, &na, &hit, NULL);
    ok(hit == 0 && count_entries() == 1, "first time: synthesised and stored");
    tts_speak(t, prompt, &b, &nb, &hit, NULL);
    ok(hit == 1 && nb == na && !memcmp(a, b, na * sizeof *a),
       "second time: read back, the same samples");
    free(b);
    tts_free(t);

    /* every knob that changes the audio is part of the key */
    o.speed = 1.25;
    t = tts_new(&o, NULL);
    tts_speak(t, prompt, &b, &nb, &hit, NULL);
    ok(hit == 0 && nb < na, "another speed is another entry");
    free(b);
    tts_free(t);
    o.speed = 0;
    o.voice = "rms";
    t = tts_new(&o, NULL);
    tts_speak(t, prompt, &b, &nb, &hit, NULL);
    ok(hit == 0, "another voice is another entry");
    free(b);
    tts_free(t);
    o.voice = NULL;
    o.rate = 16000;
    t = tts_new(&o, NULL);
    tts_speak(t, prompt, &b, &nb, &hit, NULL);
    ok(hit == 0 && count_entries() == 4, "another rate is another entry");
    free(b);
    tts_free(t);

    /* damage every entry: each is noticed, remade, and correct again */
    o.rate = 0;
    {
        DIR *d = opendir(cache);
        struct dirent *e;
        char path[600];
        while ((e = readdir(d))) {
            if (!strstr(e->d_name, ".prompt"))
                continue;
            snprintf(path, sizeof path, "%s/%s", cache, e->d_name);
            f = fopen(path, "r+b");
            fseek(f, 200, SEEK_SET);
            fputc(0x5a, f);
            fclose(f);
        }
        closedir(d);
    }
    t = tts_new(&o, NULL);
    tts_speak(t, prompt, &b, &nb, &hit, NULL);
    /* flite is not bit-exact from run to run (its clustergen voices add
     * noise to the excitation): the same length and level will do */
    ok(hit == 0 && nb == na && fabs(level(a, na) - level(b, nb)) < 0.5,
       "a damaged entry is made again, as speech of the same length");
    {
        const char *w = tts_warning(t);
        ok(w && strstr(w, "damaged"), "and a warning says so: %s",
           w ? w : "(none)");
    }
    free(b);
    tts_speak(t, prompt, &b, &nb, &hit, NULL);
    ok(hit == 1, "after which it hits again");
    free(b);
    tts_free(t);
    free(a);
}

static void test_truncated_entry(void)
{
    tts_opts o = {0};
    tts_engine *t;
    float *a = NULL;
    size_t na = 0;
    int hit = -1;
    char *path;
    struct stat st;

    o.cache_dir = cache;
    t = tts_new(&o, NULL);
    tts_speak(t, "Goodbye.", &a, &na, &hit, NULL);
    free(a);
    path = first_entry();
    stat(path, &st);
    if (truncate(path, st.st_size / 2) != 0)
        diag("truncate failed");
    /* whichever entry was cut, speaking its prompt again must recover */
    tts_speak(t, "Goodbye.", &a, &na, &hit, NULL);
    ok(na > 1000, "a half-written entry never comes back as a prompt");
    free(a);
    tts_free(t);
}

static void test_parallel_writers(void)
{
    char pcache[400];
    pid_t pids[4];
    int i, status, all_ok = 1;

    snprintf(pcache, sizeof pcache, "%s/parallel", dir);
    for (i = 0; i < 4; i++) {
        pids[i] = fork();
        if (pids[i] == 0) {
            tts_opts o = {0};
            tts_engine *t;
            float *x = NULL;
            size_t n = 0;
            int k, bad = 0;
            o.cache_dir = pcache;
            t = tts_new(&o, NULL);
            for (k = 0; k < 5; k++) {
                if (!t || tts_speak(t, prompt, &x, &n, NULL, NULL) != IVR_OK
                    || n < 8000)
                    bad = 1;
                free(x);
                x = NULL;
            }
            tts_free(t);
            _exit(bad);
        }
    }
    for (i = 0; i < 4; i++) {
        waitpid(pids[i], &status, 0);
        all_ok &= WIFEXITED(status) && WEXITSTATUS(status) == 0;
    }
    ok(all_ok, "four processes speaking the same prompt through one cache");
    {
        DIR *d = opendir(pcache);
        struct dirent *e;
        int tmp = 0, entries = 0;
        while (d && (e = readdir(d))) {
            tmp += !strncmp(e->d_name, ".tmp", 4);
            entries += strstr(e->d_name, ".prompt") != NULL;
        }
        if (d)
            closedir(d);
        ok(tmp == 0 && entries == 1, "one entry, no temporary files left "
           "(%d, %d)", entries, tmp);
    }
}

/* A voice from a file: flite can dump a clustergen voice as .flitevox.
 * The dump runs first, in a child, while flite's built-in voices are as
 * registered (speaking sets float features that a dump cannot write). */
static int make_voice_file(char *path, size_t size)
{
    snprintf(path, size, "%s/rms.flitevox", dir);
    if (fork() == 0) {
        flite_init();
        flite_voice_dump(register_cmu_us_rms(NULL), path);
        _exit(0);
    }
    wait(NULL);
    return access(path, R_OK) == 0;
}

static void test_voice_file(const char *path, int made)
{
    tts_opts o = {0};
    tts_engine *t;
    float *x = NULL;
    size_t n = 0;
    int spoke;

    ok(made, "a .flitevox voice file made with flite_voice_dump");
    o.voice = path;
    o.cache_dir = cache;
    t = made ? tts_new(&o, NULL) : NULL;
    spoke = t && tts_speak(t, "A voice from a file.", &x, &n, NULL, NULL) ==
                     IVR_OK;
    ok(spoke && n > 4000 && audio_level_dbm0(x, n) > -40,
       "speaks with a voice file (%zu samples)", n);
    free(x);
    tts_free(t);
}

/* A word's phones as flite says it, in the recogniser's phone set: from
 * the lexicon, or spelled by its rules for a name it lacks. */
static void phones_are(const char *word, const char *want)
{
    char got[128];
    ivr_error err;
    int status = tts_word_phones(word, got, sizeof got, &err);

    ok(status == IVR_OK && !strcmp(got, want), "'%s' is said %s (%s)", word,
       want, status == IVR_OK ? got : err.message);
}

static void test_word_phones(void)
{
    char got[128];
    ivr_error err;

    phones_are("night", "N AY T");
    phones_are("marram", "M AA R AE M");
    phones_are("harbor", "HH AA R B ER");
    ok(tts_word_phones("b4", got, sizeof got, &err) == IVR_EINPUT &&
       !strcmp(err.message, "'b4': not a word of letters"),
       "a word that is not letters has no phones: %s", err.message);
    ok(tts_word_phones("marram", got, 8, &err) == IVR_EINPUT &&
       !strcmp(err.message, "'marram': its phones take more than 8 bytes"),
       "phones longer than the room for them are refused, not cut: %s",
       err.message);
}

static void test_errors(void)
{
    tts_opts o = {0};
    tts_engine *t;
    ivr_error err;
    float *x = NULL;
    size_t n;

    o.voice = "sltt";
    ok(!tts_new(&o, &err) && err.status == IVR_EUSAGE &&
           strstr(err.message, "unknown voice 'sltt' (voices: slt, rms"),
       "unknown voice: %s", err.message);
    o.voice = "/nonexistent/v.flitevox";
    ok(!tts_new(&o, &err) && err.status == IVR_EINPUT &&
           strstr(err.message, "No such file"),
       "missing voice file: %s", err.message);
    o.voice = NULL;
    o.speed = 9;
    ok(!tts_new(&o, &err) && err.status == IVR_EUSAGE, "speed 9: %s",
       err.message);
    o.speed = 0;
    o.cache_dir = "/proc/ivrkit-cannot-be-here";
    t = tts_new(&o, &err);
    {
        const char *w = t ? tts_warning(t) : NULL;
        ok(t && !tts_cache_dir(t) && w && strstr(w, "working without it"),
           "an unwritable cache is a warning: %s", w ? w : "(none)");
    }
    ok(t && tts_speak(t, "Still speaking.", &x, &n, NULL, NULL) == IVR_OK &&
           n > 4000, "and speech still works");
    free(x);
    ok(t && tts_speak(t, " \t\n", &x, &n, NULL, &err) == IVR_EINPUT &&
           strstr(err.message, "empty"), "blank text: %s", err.message);
    tts_free(t);
}

int main(void)
{
    char cmd[300], voice_file[400];
    int made;

    if (!mkdtemp(dir))
        return 99;
    snprintf(cache, sizeof cache, "%s/cache/tts", dir);
    made = make_voice_file(voice_file, sizeof voice_file);
    test_voices();
    test_rates_and_speed();
    test_cache();
    test_truncated_entry();
    test_parallel_writers();
    test_voice_file(voice_file, made);
    test_errors();
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        diag("could not remove %s", dir);
    test_word_phones();
    return tap_done();
}
