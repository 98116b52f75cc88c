/*
 * bench_asr.c: recognition of IVR menu choices, at 16 kHz, over the
 * telephone band at 8 kHz (mu-law), and with 15 dB of noise on top; and
 * rejection of speech outside the choices. The callers are voices other
 * than the IVR's own (slt): espeak-ng's and flite's other voices. Two menus:
 * the first was used to choose the constants in asr.c (fill level,
 * rejection margin), the second was not, and is the one that counts.
 * Also: human digits at 8 kHz (Asterisk's recorded prompts), model load
 * time, real-time factor.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"
#include "asr.h"
#include "signals.h"

typedef struct menu {
    const char *name;
    const char *choices;
    const char *say[12];     /* what callers say, and the choice it means */
    const char *means[12];
} menu;

static const menu menus[2] = {
    {"tuning menu",
     "billing|technical support|agent|sales|account balance|new order|"
     "cancel my order|repeat|main menu|operator",
     {"billing", "technical support", "agent", "sales", "account balance",
      "new order", "cancel my order", "repeat", "main menu", "operator"},
     {"billing", "technical support", "agent", "sales", "account balance",
      "new order", "cancel my order", "repeat", "main menu", "operator"}},
    {"test menu",
     "check my balance,balance|pay a bill,make a payment|report a problem|"
     "speak to an agent,representative|store hours|track my order|yes|no|"
     "help|start over",
     {"balance", "make a payment", "report a problem", "representative",
      "store hours", "track my order", "yes", "no", "help", "start over",
      "check my balance", "pay a bill"},
     {"check my balance", "pay a bill", "report a problem",
      "speak to an agent", "store hours", "track my order", "yes", "no",
      "help", "start over", "check my balance", "pay a bill"}},
};

static const char *outside[] = {
    "pizza delivery", "hello is anybody there", "what time do you close",
    "I lost my credit card", "the weather is nice today",
    "can I talk to Mary", "my name is John Smith", "thank you very much",
    "I would like to buy some shoes", "where is the nearest station",
};
#define NOUTSIDE (sizeof outside / sizeof outside[0])

static const char *voices[] = {
    "espeak:en-us", "espeak:en-us+f3", "espeak:en-gb", "espeak:en-gb-scotland",
    "espeak:en-029", "flite:awb", "flite:rms", "flite:kal16",
};
#define NVOICES (sizeof voices / sizeof voices[0])

static char tmpdir[] = "/tmp/ivr-bench-asr.XXXXXX";

/* Speech by engine:voice at 16 kHz. */
static int speak(sigbuf *s, const char *voice, const char *text)
{
    char cmd[1024], path[300];
    static int n;

    snprintf(path, sizeof path, "%s/u%d.wav", tmpdir, n++);
    if (!strncmp(voice, "espeak:", 7))
        snprintf(cmd, sizeof cmd, "espeak-ng -v %s -w '%s' \"%s\"", voice + 7,
                 path, text);
    else
        snprintf(cmd, sizeof cmd, "flite -voice %s -t \"%s\" -o '%s'",
                 voice + 6, text, path);
    if (system(cmd) != 0)
        return -1;
    sig_init(s, 16000);
    return sig_load(s, path);
}

static float ulaw_round_trip(float v)
{
    /* G.711 mu-law: compress, quantise to 8 bits, expand */
    double mu = 255.0, a = fabs(v) > 1 ? 1 : fabs(v);
    double y = log1p(mu * a) / log1p(mu);
    y = round(y * 127.0) / 127.0;
    return (float)(copysign((pow(1 + mu, y) - 1) / mu, v));
}

enum cond { WIDE16, TEL8, TEL8_NOISE, NCOND };
static const char *cond_name[NCOND] = {"16 kHz wideband",
                                       "8 kHz telephone band",
                                       "8 kHz band, 15 dB SNR"};

/* The speech in condition c, at the rate of that condition. */
static void condition(const sigbuf *in, enum cond c, sigbuf *out, unsigned seed)
{
    float *x;
    size_t n, i;

    if (c == WIDE16) {
        sig_init(out, 16000);
        memcpy(sig_grow(out, in->n), in->x, in->n * sizeof(float));
        return;
    }
    audio_resample(in->x, in->n, 16000, 8000, &x, &n, NULL);
    audio_telephone_band(x, n, 8000);
    if (c == TEL8_NOISE) {
        audio_rng rng;
        audio_rng_seed(&rng, seed);
        audio_add_noise(x, n, audio_level_dbm0(x, n) - 15, &rng);
    }
    for (i = 0; i < n; i++)
        x[i] = ulaw_round_trip(x[i]);
    sig_init(out, 8000);
    memcpy(sig_grow(out, n), x, n * sizeof(float));
    free(x);
}

typedef struct last {
    char choice[256];
    int rejected;
    double margin;
} last;

static void on_result(const asr_result *r, void *user)
{
    last *l = user;
    snprintf(l->choice, sizeof l->choice, "%s", r->choice);
    l->rejected = r->rejected;
    l->margin = r->margin;
}

static int verbose;

static void run_menu(const menu *m)
{
    int c;
    size_t v, k, nsay = 0;
    sigbuf speech[NVOICES][12], other[NVOICES][NOUTSIDE];

    while (nsay < 12 && m->say[nsay])
        nsay++;
    for (v = 0; v < NVOICES; v++) {
        for (k = 0; k < nsay; k++)
            speak(&speech[v][k], voices[v], m->say[k]);
        for (k = 0; k < NOUTSIDE; k++)
            speak(&other[v][k], voices[v], outside[k]);
    }
    printf("\n%s: %zu phrases for %s, %zu voices; %zu phrases outside\n",
           m->name, nsay, "its choices", NVOICES, NOUTSIDE);
    for (c = 0; c < NCOND; c++) {
        int rate = c == WIDE16 ? 16000 : 8000, right = 0, total = 0;
        int rejected_in = 0, rej_out = 0, total_out = 0;
        asr_opts o = {0};
        last l;
        asr_recognizer *a;
        double t0, audio = 0, busy;

        o.mode = ASR_CHOICES;
        o.spec = m->choices;
        a = asr_new(rate, &o, on_result, &l, NULL);
        if (!a) {
            printf("  recogniser did not load\n");
            return;
        }
        t0 = now();
        for (v = 0; v < NVOICES; v++) {
            for (k = 0; k < nsay; k++) {
                sigbuf s;
                condition(&speech[v][k], (enum cond)c, &s,
                          (unsigned)(v * 100 + k));
                asr_decode(a, s.x, s.n, NULL);
                audio += (double)s.n / rate;
                total++;
                if (!l.rejected && !strcmp(l.choice, m->means[k]))
                    right++;
                rejected_in += l.rejected;
                if (verbose)
                    printf("    in  %-8.2f %s %-22s -> %s\n", l.margin,
                           l.rejected ? "R" : " ", m->say[k], l.choice);
                sig_free(&s);
            }
            for (k = 0; k < NOUTSIDE; k++) {
                sigbuf s;
                condition(&other[v][k], (enum cond)c, &s,
                          (unsigned)(v * 100 + k + 50));
                asr_decode(a, s.x, s.n, NULL);
                audio += (double)s.n / rate;
                total_out++;
                rej_out += l.rejected;
                if (verbose)
                    printf("    out %-8.2f %s %-22s -> %s\n", l.margin,
                           l.rejected ? "R" : " ", outside[k], l.choice);
                sig_free(&s);
            }
        }
        busy = now() - t0;
        printf("  %-24s choices right %3d/%d = %5.1f%%  (rejected %d)   "
               "outside rejected %3d/%d = %5.1f%%   %4.0fx real time\n",
               cond_name[c], right, total, 100.0 * right / total, rejected_in,
               rej_out, total_out, 100.0 * rej_out / total_out, audio / busy);
        asr_free(a);
    }
    for (v = 0; v < NVOICES; v++) {
        for (k = 0; k < nsay; k++)
            sig_free(&speech[v][k]);
        for (k = 0; k < NOUTSIDE; k++)
            sig_free(&other[v][k]);
    }
}

/* Human speech at 8 kHz: Asterisk's recorded digits against a digits
 * grammar. */
static void human_digits(void)
{
    static const char *words[10] = {"zero", "one", "two", "three", "four",
                                    "five", "six", "seven", "eight", "nine"};
    asr_opts o = {0};
    last l;
    asr_recognizer *a;
    int d, right = 0, total = 0;

    o.mode = ASR_CHOICES;
    o.spec = "zero,oh|one|two|three|four|five|six|seven|eight|nine";
    a = asr_new(8000, &o, on_result, &l, NULL);
    for (d = 0; a && d < 10; d++) {
        char path[128];
        sigbuf s;
        snprintf(path, sizeof path, "/usr/share/asterisk/sounds/en_US_f_Allison/digits/"
                 "%d.wav", d);
        sig_init(&s, 8000);
        if (sig_load(&s, path) != 0)
            continue;
        asr_decode(a, s.x, s.n, NULL);
        total++;
        right += !l.rejected && !strcmp(l.choice, words[d]);
        if (verbose)
            printf("    digit %d -> %s%s (%.3f)\n", d, l.choice,
                   l.rejected ? " rejected" : "", l.margin);
        sig_free(&s);
    }
    if (total)
        printf("\nhuman digits, 8 kHz recordings (asterisk-core-sounds-en): "
               "%d/%d right\n", right, total);
    else
        printf("\nhuman digits: asterisk-core-sounds-en-wav not installed\n");
    asr_free(a);
}

int main(int argc, char **argv)
{
    asr_opts o = {0};
    asr_recognizer *a;
    char cmd[128];
    int which = -1;

    setvbuf(stdout, NULL, _IOLBF, 0);
    verbose = argc > 1 && !strcmp(argv[1], "-v");
    if (argc > 1 + verbose)
        which = atoi(argv[1 + verbose]);
    if (!mkdtemp(tmpdir))
        return 1;
    o.mode = ASR_CHOICES;
    o.spec = menus[0].choices;
    a = asr_new(16000, &o, NULL, NULL, NULL);
    if (!a) {
        printf("speech model missing: install pocketsphinx-en-us\n");
        return 1;
    }
    printf("\nSpeech recognition (pocketsphinx en-us, choices grammar)\n");
    printf("  model load %.3f s\n", asr_load_seconds(a));
    asr_free(a);
    if (which < 0 || which == 0)
        run_menu(&menus[0]);
    if (which < 0 || which == 1)
        run_menu(&menus[1]);
    if (which < 0 || which == 2)
        human_digits();
    {
        struct rusage ru;
        getrusage(RUSAGE_SELF, &ru);
        printf("\npeak memory (model, recogniser, test audio): %ld MB\n",
               ru.ru_maxrss / 1024);
    }
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    return system(cmd) == 0 ? 0 : 1;
}
