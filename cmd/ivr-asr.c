/*
 * ivr-asr: recognise speech in sound files with pocketsphinx. See
 * ivr-asr(1).
 *
 * Uses only the public headers of core/.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "asr.h"
#include "audio.h"
#include "cli.h"
#include "dtmf.h"

#define CHUNK 4096
#define MIC_RATE 16000      /* the model's rate */
#define PHONE_RATE 8000     /* --telephone: what ivr-sim hears */

static const char usage_text[] =
    "Usage: ivr-asr [OPTION]... FILE...\n"
    "       ivr-asr --mic [OPTION]...\n"
    "Recognise what is said in sound files, or into the microphone, one line\n"
    "per utterance.\n"
    "\n"
    "What to listen for (default: free speech, the language model):\n"
    "      --choices LIST       menu choices: 'billing|technical support,"
    "tech support'\n"
    "                           ('|' between choices, ',' between synonyms)\n"
    "      --grammar FILE       a JSGF grammar\n"
    "      --keywords FILE      keyword spotting: lines 'phrase /1e-20/'\n"
    "      --min-confidence X   reject results below X, 0 to 1 (0.5)\n"
    "\n"
    "Output:\n"
    "      --json               JSON Lines, one object per utterance\n"
    "  -v, --verbose            add the score margin to each line\n"
    "\n"
    "Input:\n"
    CLI_MIC_HELP
    CLI_AUDIO_HELP
    "      --telephone          hear every file as ivr-sim does: 8 kHz\n"
    "      --end-silence MS     silence that ends an utterance (700)\n"
    "      --model DIR          model folder (the pocketsphinx-en-us one)\n"
    "\n"
    "  -h, --help               show this help and exit\n"
    "  -V, --version            show the version and exit\n"
    "\n"
    "Exit status: 0 ok, 2 usage, 3 bad input, 4 model or sound device\n"
    "missing, 5 cannot write, 6 internal error.\n";

enum {
    OPT_CHOICES = 256, OPT_GRAMMAR, OPT_KEYWORDS, OPT_MIN_CONF, OPT_JSON,
    OPT_END_SILENCE, OPT_MODEL, OPT_TELEPHONE
};

typedef struct run {
    const char *path;
    const char *label;
    int json, verbose, rate;
    asr_mode mode;
} run;

static void on_result(const asr_result *r, void *user)
{
    const run *u = user;
    double start = (double)r->start / u->rate, end = (double)r->end / u->rate;

    if (u->json) {
        printf("{\"file\":");
        cli_json_string(u->path);
        printf(",\"start\":%.3f,\"end\":%.3f,\"text\":", start, end);
        cli_json_string(r->text);
        if (u->mode == ASR_CHOICES) {
            printf(",\"choice\":");
            if (r->rejected)
                printf("null");
            else
                cli_json_string(r->choice);
        }
        printf(",\"confidence\":%.2f,\"rejected\":%s,\"margin\":%.2f,"
               "\"narrowband\":%s}\n", r->confidence,
               r->rejected ? "true" : "false", r->margin,
               r->narrowband ? "true" : "false");
    } else {
        if (u->label)
            printf("%s: ", u->label);
        printf("%.3f %.3f %.2f ", start, end, r->confidence);
        if (r->rejected)
            printf("<nomatch>%s%s%s", *r->text ? " (" : "", r->text,
                   *r->text ? ")" : "");
        else
            printf("%s", u->mode == ASR_CHOICES ? r->choice : r->text);
        if (u->verbose)
            printf(" [margin %.2f, coverage %.2f]", r->margin, r->coverage);
        putchar('\n');
    }
    fflush(stdout);
}

/* The recogniser with a DTMF receiver beside it, as ivr-sim listens: a
 * key's tone is never decoded as a word. */
typedef struct listener {
    asr_recognizer *a;
    dtmf_detector *keys;
    int frame;           /* samples in 10 ms */
    ivr_error err;
    int status;
} listener;

static void on_key_tone(const dtmf_event *ev, void *user)
{
    listener *l = user;

    asr_set_tone(l->a, ev->kind == DTMF_DIGIT_BEGIN);
}

/* One model load serves every file; each is heard at its own rate (a
 * file at 8 kHz is telephone audio, and is decoded as ivr-sim decodes
 * it). */
static int listener_start(listener *l, asr_recognizer *a, int rate)
{
    l->a = a;
    l->frame = rate / 100;
    l->status = IVR_OK;
    ivr_error_clear(&l->err);
    if (asr_set_rate(a, rate, &l->err) != IVR_OK)
        return l->err.status;
    l->keys = dtmf_detector_new(rate, NULL, on_key_tone, l, &l->err);
    return l->keys ? IVR_OK : l->err.status;
}

/* The receiver hears each 10 ms first, so that the recogniser knows of a
 * tone before it takes the frame. */
static int listener_push(const float *x, size_t n, void *user)
{
    listener *l = user;
    size_t i, take;

    for (i = 0; i < n && l->status == IVR_OK; i += take) {
        take = n - i < (size_t)l->frame ? n - i : (size_t)l->frame;
        dtmf_detector_push(l->keys, x + i, take);
        l->status = asr_push(l->a, x + i, take, &l->err);
    }
    return l->status != IVR_OK;
}

static int listener_finish(listener *l)
{
    if (l->status == IVR_OK)
        l->status = asr_flush(l->a, &l->err);
    else
        asr_flush(l->a, NULL);
    dtmf_detector_free(l->keys);
    l->keys = NULL;
    return l->status;
}

static int recognise_file(const char *path, const audio_read_opts *ro,
                          asr_recognizer *a, run *u)
{
    ivr_error err;
    audio_reader *r = audio_reader_open(path, ro, &err);
    float buf[CHUNK];
    long got = 0;
    listener l;

    if (!r)
        return cli_report(&err);
    u->path = path;
    u->rate = audio_reader_rate(r);
    if (listener_start(&l, a, u->rate) != IVR_OK) {
        audio_reader_close(r);
        return cli_report(&l.err);
    }
    while (l.status == IVR_OK &&
           (got = audio_reader_read(r, buf, CHUNK, &err)) > 0)
        listener_push(buf, (size_t)got, &l);
    if (l.status == IVR_OK && got < 0) {
        l.status = err.status;
        l.err = err;
    }
    listener_finish(&l);
    audio_reader_close(r);
    return l.status == IVR_OK ? IVR_OK : cli_report(&l.err);
}

/* The microphone, until the time is up or Ctrl-C: a line per utterance as
 * soon as the caller stops talking. */
static int recognise_mic(const char *device, double seconds,
                         asr_recognizer *a, run *u)
{
    listener l;
    int rc;

    u->path = "mic";
    u->rate = MIC_RATE;
    if (listener_start(&l, a, MIC_RATE) != IVR_OK)
        return cli_report(&l.err);
    rc = cli_listen(device, MIC_RATE, seconds, listener_push, &l);
    if (listener_finish(&l) != IVR_OK)
        return cli_report(&l.err);
    return rc;
}

/* The files, or the microphone, through one recogniser (one model load). */
static int recognise(const asr_opts *ao, const audio_read_opts *ro,
                     const cli_mic *mic, run *u, char **files, int nfiles)
{
    asr_recognizer *a;
    ivr_error err;
    int i, status, worst = IVR_OK;

    u->mode = ao->mode;
    if (!(a = asr_new(MIC_RATE, ao, on_result, u, &err)))
        return cli_report(&err);
    if (mic->on) {
        worst = recognise_mic(mic->device, mic->seconds, a, u);
    } else {
        for (i = 0; i < nfiles; i++) {
            u->label = nfiles > 1 ? files[i] : NULL;
            status = recognise_file(files[i], ro, a, u);
            if (status > worst)
                worst = status;
        }
    }
    asr_free(a);
    return worst;
}

int main(int argc, char **argv)
{
    static const struct option opts[] = {
        {"choices", required_argument, 0, OPT_CHOICES},
        {"grammar", required_argument, 0, OPT_GRAMMAR},
        {"keywords", required_argument, 0, OPT_KEYWORDS},
        {"min-confidence", required_argument, 0, OPT_MIN_CONF},
        {"json", no_argument, 0, OPT_JSON},
        {"verbose", no_argument, 0, 'v'},
        CLI_AUDIO_OPTIONS,
        {"end-silence", required_argument, 0, OPT_END_SILENCE},
        {"telephone", no_argument, 0, OPT_TELEPHONE},
        {"model", required_argument, 0, OPT_MODEL},
        CLI_MIC_OPTIONS,
        {"help", no_argument, 0, 'h'},
        {"version", no_argument, 0, 'V'},
        {0, 0, 0, 0}};
    asr_opts ao = {0};
    audio_read_opts ro = {.raw_rate_option = "--raw-rate"};
    run u = {NULL, NULL, 0, 0, 0, ASR_FREE};
    int c, status = IVR_OK, modes = 0;
    cli_mic mic = {0, 0, NULL, 0};

    cli_init(argv[0]);
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":vc:d:hV", opts, NULL)) != -1) {
        switch (c) {
        case OPT_CHOICES:
            ao.mode = ASR_CHOICES;
            ao.spec = optarg;
            modes++;
            break;
        case OPT_GRAMMAR:
            ao.mode = ASR_GRAMMAR;
            ao.spec = optarg;
            modes++;
            break;
        case OPT_KEYWORDS:
            ao.mode = ASR_KEYWORDS;
            ao.spec = optarg;
            modes++;
            break;
        case OPT_MIN_CONF:
            status = cli_parse_double("--min-confidence", optarg, 0.001, 1,
                                      &ao.min_confidence);
            break;
        case OPT_JSON: u.json = 1; break;
        case 'v': u.verbose = 1; break;
        case OPT_END_SILENCE:
            status = cli_parse_double("--end-silence", optarg, 100, 10000,
                                      &ao.end_silence_ms);
            break;
        case OPT_MODEL: ao.model_dir = optarg; break;
        case OPT_TELEPHONE: ro.rate = PHONE_RATE; break;
        case 'h': fputs(usage_text, stdout); return IVR_OK;
        case 'V': cli_print_version(); return IVR_OK;
        default:
            if ((status = cli_input_option(c, optarg, &mic, &ro)) < 0)
                return cli_bad_option(c, argv);
            if (mic.done)
                return status;
        }
        if (status != IVR_OK)
            return status;
    }
    if (modes > 1)
        return cli_usage_error("--choices, --grammar and --keywords exclude "
                               "each other");
    if (cli_audio_check(&ro) != IVR_OK)
        return IVR_EUSAGE;
    if (mic.on && optind < argc)
        return cli_usage_error("--mic or files, not both");
    if (!mic.on && optind >= argc)
        return cli_usage_error("FILE missing ('-' for standard input)");
    return recognise(&ao, &ro, &mic, &u, argv + optind, argc - optind);
}
