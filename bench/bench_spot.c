/*
 * bench_spot.c: how well a remote IVR's prompts are listened for
 * (core/prompt_spot.c), in a voice, on a mu-law line.
 *
 *   bench-spot [-v] VOICE PHRASES TEXTS
 *
 * PHRASES: one phrase a line (what call scripts listen for); TEXTS: one
 * prompt a line, each spoken by VOICE at 8 kHz, through G.711 mu-law, with
 * a second of silence either side, to one spotter listening for every
 * phrase (the menu words of TEXTS as its context, as a script's menu
 * gives them). A phrase is said where its words (as read aloud) come in
 * the prompt's. Printed: said phrases heard and phrases heard where they
 * were not said, by the words alone (prompt_spot_heard on what the loop
 * heard) and by the spotter (the words, then the second decoding of a
 * phrase half heard), and the CPU seconds.
 */
#include "bench.h"
#include "g711.h"
#include "prompt_spot.h"
#include "tts.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_LINES 256
/* the pause that ends a stretch, as script_remote.c listens to a line */
#define STRETCH_END_MS 700

typedef struct tally {
    int n;                       /* phrases */
    char words[MAX_LINES][512];  /* each as heard: dictionary words */
    int by_words[MAX_LINES], by_spotter[MAX_LINES];
} tally;

static void on_stretch(const prompt_spot_result *r, void *user)
{
    tally *t = user;
    int i;

    for (i = 0; i < t->n; i++) {
        t->by_words[i] |= *r->heard && prompt_spot_heard(t->words[i], r->heard);
        t->by_spotter[i] |= r->found[i];
    }
}

static double cpu_seconds(void)
{
    return (double)clock() / CLOCKS_PER_SEC;
}

/* The lines of path, in a buffer of its own; NULL if unreadable. */
static char *read_lines(const char *path, const char **line, int *n)
{
    FILE *f = fopen(path, "r");
    char *buf, *save = NULL, *l;
    long size;

    if (!f || fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0 ||
        fseek(f, 0, SEEK_SET) != 0 || !(buf = malloc((size_t)size + 1))) {
        if (f)
            fclose(f);
        return NULL;
    }
    buf[fread(buf, 1, (size_t)size, f)] = '\0';
    fclose(f);
    *n = 0;
    for (l = strtok_r(buf, "\n", &save); l && *n < MAX_LINES;
         l = strtok_r(NULL, "\n", &save))
        line[(*n)++] = l;
    return buf;
}

/* Whether phrase is said in text: its words, as read, come in text's. */
static int said_in(const char *phrase, const char *text)
{
    char p[1024], t[4096], pp[1100], tt[4200];

    prompt_spot_words(phrase, p, sizeof p);
    prompt_spot_words(text, t, sizeof t);
    snprintf(pp, sizeof pp, " %s ", p);
    snprintf(tt, sizeof tt, " %s ", t);
    return strstr(tt, pp) != NULL;
}

int main(int argc, char **argv)
{
    const char *phrases[MAX_LINES], *texts[MAX_LINES];
    char *pbuf, *tbuf, *context;
    static tally t;
    tts_opts to;
    tts_engine *tts = NULL;
    prompt_spotter *sp = NULL;
    ivr_error err;
    float silence[8000];
    int np = 0, nt = 0, i, j, said = 0, words_hit = 0, spot_hit = 0,
        words_false = 0, spot_false = 0;
    size_t clen = 1;
    double t0;
    int verbose = 0;   /* -v: each phrase missed or heard where not said */

    if (argc == 5 && !strcmp(argv[1], "-v")) {
        verbose = 1;
        argv++;
        argc--;
    }
    if (argc != 4) {
        fprintf(stderr, "usage: bench-spot [-v] VOICE PHRASES TEXTS\n");
        return 2;
    }
    if (!(pbuf = read_lines(argv[2], phrases, &np)) ||
        !(tbuf = read_lines(argv[3], texts, &nt))) {
        fprintf(stderr, "bench-spot: cannot read %s\n",
                pbuf ? argv[3] : argv[2]);
        return 3;
    }
    /* the prompts' words, as a script's menu gives its prompts' (a number
     * read out is many times as long as its digits) */
    for (i = 0; i < nt; i++)
        clen += 16 * strlen(texts[i]) + 64;
    if (!(context = malloc(clen)))
        return 6;
    context[0] = '\0';
    for (i = 0; i < nt; i++) {
        size_t at = strlen(context);
        if (prompt_spot_words(texts[i], context + at + (at > 0),
                              clen - at - 1) != 0)
            return 6;
        if (at > 0)
            context[at] = ' ';
    }
    t.n = np;
    for (i = 0; i < np; i++)
        prompt_spot_words(phrases[i], t.words[i], sizeof t.words[i]);
    memset(&to, 0, sizeof to);
    memset(silence, 0, sizeof silence);
    to.voice = argv[1];
    to.rate = 8000;
    t0 = cpu_seconds();
    if (!(tts = tts_new(&to, &err)) ||
        !(sp = prompt_spotter_new(phrases, np, context, STRETCH_END_MS, on_stretch, &t,
                                  NULL, &err))) {
        fprintf(stderr, "bench-spot: %s\n", err.message);
        return err.status;
    }
    for (i = 0; i < nt; i++) {
        float *x;
        size_t n;
        uint8_t *line;

        memset(t.by_words, 0, sizeof t.by_words);
        memset(t.by_spotter, 0, sizeof t.by_spotter);
        if (tts_speak(tts, texts[i], &x, &n, NULL, &err) != IVR_OK ||
            !(line = malloc(n ? n : 1))) {
            fprintf(stderr, "bench-spot: %s\n", err.message);
            return 6;
        }
        g711_ulaw_encode(x, line, n);
        g711_ulaw_decode(line, x, n);
        free(line);
        if (prompt_spotter_push(sp, silence, 8000, &err) != IVR_OK ||
            prompt_spotter_push(sp, x, n, &err) != IVR_OK ||
            prompt_spotter_push(sp, silence, 8000, &err) != IVR_OK) {
            fprintf(stderr, "bench-spot: %s\n", err.message);
            return err.status;
        }
        free(x);
        for (j = 0; j < np; j++) {
            int s = said_in(phrases[j], texts[i]);
            if (verbose && s != t.by_spotter[j])
                fprintf(stderr, "%s: \"%s\" %s in \"%s\"\n", argv[1],
                        phrases[j], s ? "missed" : "heard, not said",
                        texts[i]);
            said += s;
            words_hit += s && t.by_words[j];
            spot_hit += s && t.by_spotter[j];
            words_false += !s && t.by_words[j];
            spot_false += !s && t.by_spotter[j];
        }
    }
    printf("| %s | %d of %d | %d of %d | %d | %d | %.1f s |\n", argv[1],
           words_hit, said, spot_hit, said, words_false, spot_false,
           cpu_seconds() - t0);
    prompt_spotter_free(sp);
    tts_free(tts);
    free(context);
    free(pbuf);
    free(tbuf);
    return 0;
}
