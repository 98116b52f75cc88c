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

#define CHUNK 4096
#define DECODE_RATE 16000   /* the model's rate: files are read at it */

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
    "      --end-silence MS     silence that ends an utterance (700)\n"
    "      --model DIR          model folder (the pocketsphinx-en-us one)\n"
    "\n"
    "  -h, --help               show this help and exit\n"
    "  -V, --version            show the version and exit\n"
    "\n"
    "Exit status: 0 ok, 2 usage, 3 bad input, 4 model or sound device\n"
    "missing.\n";

enum {
    OPT_CHOICES = 256, OPT_GRAMMAR, OPT_KEYWORDS, OPT_MIN_CONF, OPT_JSON,
    OPT_END_SILENCE, OPT_MODEL
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
            printf(" [margin %.2f]", r->margin);
        putchar('\n');
    }
    fflush(stdout);
}

/* Every file is read at the recogniser's rate, so one recogniser (one
 * model load) serves them all. */
static int recognise_file(const char *path, const audio_read_opts *ro,
                          asr_recognizer *a, run *u)
{
    ivr_error err;
    audio_reader *r = audio_reader_open(path, ro, &err);
    float buf[CHUNK];
    long got = 0;
    int status = IVR_OK;

    if (!r)
        return cli_report(&err);
    u->path = path;
    while (status == IVR_OK &&
           (got = audio_reader_read(r, buf, CHUNK, &err)) > 0)
        status = asr_push(a, buf, (size_t)got, &err);
    if (status == IVR_OK && got < 0)
        status = err.status;
    if (status == IVR_OK)
        status = asr_flush(a, &err);
    else
        asr_flush(a, NULL);
    audio_reader_close(r);
    return status == IVR_OK ? IVR_OK : cli_report(&err);
}

typedef struct mic_run {
    asr_recognizer *a;
    ivr_error err;
    int status;
} mic_run;

static int push_chunk(const float *x, size_t n, void *user)
{
    mic_run *m = user;

    m->status = asr_push(m->a, x, n, &m->err);
    return m->status != IVR_OK;
}

/* The microphone, until the time is up or Ctrl-C: a line per utterance as
 * soon as the caller stops talking. */
static int recognise_mic(const char *device, double seconds,
                         asr_recognizer *a, run *u)
{
    mic_run m;
    int rc;

    memset(&m, 0, sizeof m);
    m.a = a;
    u->path = "mic";
    rc = cli_listen(device, u->rate, seconds, push_chunk, &m);
    if (m.status != IVR_OK)
        return cli_report(&m.err);
    if (asr_flush(a, &m.err) != IVR_OK)
        return cli_report(&m.err);
    return rc;
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
        {"model", required_argument, 0, OPT_MODEL},
        CLI_MIC_OPTIONS,
        {"help", no_argument, 0, 'h'},
        {"version", no_argument, 0, 'V'},
        {0, 0, 0, 0}};
    asr_opts ao = {0};
    audio_read_opts ro = {0};
    run u = {NULL, NULL, 0, 0, 0, ASR_FREE};
    int c, i, status = IVR_OK, worst = IVR_OK, modes = 0;
    cli_mic mic = {0, 0, NULL, 0};
    asr_recognizer *a;
    ivr_error err;

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
        case 'h': fputs(usage_text, stdout); return IVR_OK;
        case 'V': cli_print_version(); return IVR_OK;
        default:
            status = cli_mic_option(c, optarg, &mic);
            if (status < 0)
                status = cli_audio_option(c, optarg, &ro);
            if (status < 0)
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
    u.mode = ao.mode;
    u.rate = ro.rate = DECODE_RATE;
    a = asr_new(DECODE_RATE, &ao, on_result, &u, &err);
    if (!a)
        return cli_report(&err);
    if (mic.on) {
        worst = recognise_mic(mic.device, mic.seconds, a, &u);
        asr_free(a);
        return worst;
    }
    for (i = optind; i < argc; i++) {
        u.label = argc - optind > 1 ? argv[i] : NULL;
        status = recognise_file(argv[i], &ro, a, &u);
        if (status > worst)
            worst = status;
    }
    asr_free(a);
    return worst;
}
