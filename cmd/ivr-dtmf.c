/*
 * ivr-dtmf: generate and detect touch tones. See ivr-dtmf(1).
 *
 * Uses only the public headers of core/.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audio.h"
#include "cli.h"
#include "dtmf.h"

#define CHUNK 4096

static const char usage_text[] =
    "Usage: ivr-dtmf gen [OPTION]... DIGITS -o FILE\n"
    "       ivr-dtmf detect [OPTION]... FILE...\n"
    "       ivr-dtmf detect --mic [OPTION]...\n"
    "Generate touch tones (DTMF) into a sound file, or find them in one.\n"
    "\n"
    "gen options:\n"
    "  -o, --output FILE        write here ('-' is standard output)\n"
    "  -f, --force              replace FILE if it exists\n"
    "  -r, --rate HZ            sample rate (8000)\n"
    "  -e, --encoding ENC       s16, s24, s32, f32, ulaw, alaw, u8 (s16)\n"
    "      --on MS              tone length (100)\n"
    "      --off MS             silence after each tone (100)\n"
    "      --pause MS           what ',' in DIGITS lasts (500)\n"
    "      --lead MS            silence before the first tone (0)\n"
    "  -l, --level DBM0         low-group tone level (-7)\n"
    "      --twist DB           low-group minus high-group level (-2)\n"
    "      --freq-offset PCT    move both tones by PCT percent (0)\n"
    "      --snr DB             add white noise DB below the tones\n"
    "      --seed N             noise seed (1)\n"
    "\n"
    "detect options:\n"
    "      --digits             print only the digit string\n"
    "      --json               print JSON Lines, one object per digit\n"
    "  -v, --verbose            add end time, duration and tone levels\n"
    "      --expect DIGITS      exit 1 unless exactly DIGITS are found\n"
    CLI_MIC_HELP
    CLI_AUDIO_HELP
    "      --twist DB           largest normal twist accepted (8)\n"
    "      --reverse-twist DB   largest reverse twist accepted (4)\n"
    "      --min-level DBM0     weakest tone accepted (-36)\n"
    "      --min-duration MS    shortest tone accepted (40)\n"
    "      --freq-tolerance PCT largest frequency error accepted (1.9)\n"
    "\n"
    "  -h, --help               show this help and exit\n"
    "  -V, --version            show the version and exit\n"
    "\n"
    "DIGITS are 0-9 * # A-D; ',' is a pause; spaces, '-' and '.' are "
    "ignored.\n"
    "Exit status: 0 ok, 1 --expect not met, 2 usage, 3 bad input, "
    "4 no sound device,\n5 cannot write, 6 internal error.\n";

enum {
    OPT_ON = 256, OPT_OFF, OPT_PAUSE, OPT_LEAD, OPT_FREQ_OFFSET, OPT_SNR,
    OPT_SEED, OPT_DIGITS, OPT_JSON, OPT_EXPECT, OPT_TWIST, OPT_REVERSE_TWIST, OPT_MIN_LEVEL,
    OPT_MIN_DURATION, OPT_FREQ_TOL
};

static int help(void)
{
    fputs(usage_text, stdout);
    return IVR_OK;
}

/* ------------------------------------------------------------------------
 * gen
 */

static const struct option gen_opts[] = {
    {"output", required_argument, 0, 'o'},
    {"force", no_argument, 0, 'f'},
    {"rate", required_argument, 0, 'r'},
    {"encoding", required_argument, 0, 'e'},
    {"on", required_argument, 0, OPT_ON},
    {"off", required_argument, 0, OPT_OFF},
    {"pause", required_argument, 0, OPT_PAUSE},
    {"lead", required_argument, 0, OPT_LEAD},
    {"level", required_argument, 0, 'l'},
    {"twist", required_argument, 0, OPT_TWIST},
    {"freq-offset", required_argument, 0, OPT_FREQ_OFFSET},
    {"snr", required_argument, 0, OPT_SNR},
    {"seed", required_argument, 0, OPT_SEED},
    {"help", no_argument, 0, 'h'},
    {0, 0, 0, 0}};

/* The tones' shape: a status, or -1 when c is not one of those options. */
static int tone_option(int c, const char *arg, dtmf_gen_params *p)
{
    switch (c) {
    case OPT_ON: return cli_parse_double("--on", arg, 1, 60000, &p->on_ms);
    case OPT_OFF: return cli_parse_double("--off", arg, 0, 60000, &p->off_ms);
    case OPT_PAUSE:
        return cli_parse_double("--pause", arg, 0, 600000, &p->pause_ms);
    case OPT_LEAD:
        return cli_parse_double("--lead", arg, 0, 600000, &p->lead_ms);
    case 'l':
        return cli_parse_double("--level", arg, -80, 3, &p->level_dbm0);
    case OPT_TWIST: return cli_parse_double("--twist", arg, -40, 40, &p->twist_db);
    case OPT_FREQ_OFFSET:
        return cli_parse_double("--freq-offset", arg, -20, 20,
                                &p->freq_offset_pct);
    case OPT_SNR: return cli_parse_double("--snr", arg, 0, 100, &p->snr_db);
    default: return -1;
    }
}

/* Writes the dial string's tones to output, whole or not at all. */
static int write_tones(const char *dial, const dtmf_gen_params *p, long rate,
                       const char *output, audio_encoding enc, int force)
{
    dtmf_generator *g;
    audio_writer *w;
    ivr_error err;
    float buf[CHUNK];
    size_t n;
    int status = IVR_OK;

    if (!(g = dtmf_generator_new(dial, (int)rate, p, &err)))
        return cli_report(&err);
    if (!(w = audio_writer_open(output, (int)rate, 1, enc, force, &err))) {
        dtmf_generator_free(g);
        return cli_report(&err);
    }
    cli_catch_interrupts();
    while (status == IVR_OK && !cli_interrupted() &&
           (n = dtmf_generator_read(g, buf, CHUNK)) > 0)
        status = audio_writer_write(w, buf, n, &err);
    dtmf_generator_free(g);
    if (status == IVR_OK && !cli_interrupted() && audio_writer_clipped(w) > 0)
        cli_warn("%s: %llu samples clipped; lower --level",
                 output, (unsigned long long)audio_writer_clipped(w));
    return cli_finish_output(w, output, status, &err);
}

static int cmd_gen(int argc, char **argv)
{
    dtmf_gen_params p;
    const char *output = NULL;
    int force = 0, c, status;
    long rate = 8000, seed = 1;
    audio_encoding enc = AUDIO_ENC_PCM16;

    dtmf_gen_params_default(&p);
    while ((c = getopt_long(argc, argv, ":o:fr:e:l:h", gen_opts, NULL)) !=
           -1) {
        status = IVR_OK;
        switch (c) {
        case 'o': output = optarg; break;
        case 'f': force = 1; break;
        case 'r':
            status = cli_parse_int("--rate", optarg, AUDIO_RATE_MIN,
                                   AUDIO_RATE_MAX, &rate);
            break;
        case 'e':
            status = cli_parse_encoding("--encoding", optarg, &enc);
            break;
        case OPT_SEED:
            status = cli_parse_int("--seed", optarg, 0, 2147483647L, &seed);
            break;
        case 'h': return help();
        default:
            if ((status = tone_option(c, optarg, &p)) < 0)
                return cli_bad_option(c, argv);
        }
        if (status != IVR_OK)
            return status;
    }
    if (optind >= argc)
        return cli_usage_error("gen: DIGITS missing");
    if (optind + 1 < argc)
        return cli_usage_error("gen: one dial string expected, got '%s' too "
                               "(quote a string with spaces)", argv[optind + 1]);
    if (cli_check_audio_output("gen: ", output) != IVR_OK)
        return IVR_EUSAGE;
    p.seed = (uint64_t)seed;
    return write_tones(argv[optind], &p, rate, output, enc, force);
}

/* ------------------------------------------------------------------------
 * detect
 */

enum output_style { OUT_LINES, OUT_DIGITS, OUT_JSON };

#define MAX_DIGITS 1024   /* digits kept for --digits and --expect */

typedef struct detect_run {
    enum output_style style;
    int verbose;
    const char *path;      /* the file, as named on the command line */
    const char *label;     /* prefix of each line, NULL for a single file */
    int rate;
    char digits[MAX_DIGITS];
    size_t ndigits;
} detect_run;

static void on_digit(const dtmf_event *ev, void *user)
{
    detect_run *run = user;
    double start = (double)ev->start / run->rate;
    double end = (double)ev->end / run->rate;

    if (ev->kind != DTMF_DIGIT_END)
        return;
    if (run->ndigits + 1 < sizeof run->digits)
        run->digits[run->ndigits++] = ev->digit;
    run->digits[run->ndigits] = '\0';
    switch (run->style) {
    case OUT_DIGITS:
        return;
    case OUT_JSON:
        printf("{\"file\":");
        cli_json_string(run->path);
        printf(",\"digit\":\"%c\",\"start\":%.3f,\"end\":%.3f,"
               "\"duration\":%.3f,\"low_dbm0\":%.1f,\"high_dbm0\":%.1f,"
               "\"low_error_pct\":%.2f,\"high_error_pct\":%.2f}\n",
               ev->digit, start, end, end - start, ev->low_dbm0,
               ev->high_dbm0, ev->low_error_pct, ev->high_error_pct);
        break;
    case OUT_LINES:
        if (run->label)
            printf("%s: ", run->label);
        printf("%.3f %c", start, ev->digit);
        if (run->verbose)
            printf(" %.3f %.3f %.1f %.1f", end, end - start, ev->low_dbm0,
                   ev->high_dbm0);
        putchar('\n');
        break;
    }
    /* a pipe reader (a test, a live console) sees each digit at once */
    fflush(stdout);
}

static int detect_file(const char *path, const audio_read_opts *ro,
                       const dtmf_detector_params *dp, detect_run *run)
{
    ivr_error err;
    audio_reader *r = audio_reader_open(path, ro, &err);
    dtmf_detector *d;
    float buf[CHUNK];
    long got;

    if (!r)
        return cli_report(&err);
    run->rate = audio_reader_rate(r);
    run->ndigits = 0;
    run->digits[0] = '\0';
    d = dtmf_detector_new(run->rate, dp, on_digit, run, &err);
    if (!d) {
        audio_reader_close(r);
        return cli_report(&err);
    }
    if (audio_reader_is_s16(r)) {
        /* the receiver takes the file's own samples: no float pass (a
         * fifth of the time of an hour of 16-bit audio went to it) */
        int16_t s16[CHUNK];
        while ((got = audio_reader_read_s16(r, s16, CHUNK, &err)) > 0)
            dtmf_detector_push_s16(d, s16, (size_t)got);
    } else {
        while ((got = audio_reader_read(r, buf, CHUNK, &err)) > 0)
            dtmf_detector_push(d, buf, (size_t)got);
    }
    dtmf_detector_flush(d);
    dtmf_detector_free(d);
    audio_reader_close(r);
    if (run->style == OUT_DIGITS) {
        if (run->label)
            printf("%s: ", run->label);
        printf("%s\n", run->digits);
    }
    return got < 0 ? cli_report(&err) : IVR_OK;
}

static int push_chunk(const float *x, size_t n, void *user)
{
    dtmf_detector_push(user, x, n);
    return 0;
}

/* Listens until the time is up or Ctrl-C, printing digits as they end. */
static int detect_mic(const char *device, double seconds,
                      const dtmf_detector_params *dp, detect_run *run)
{
    ivr_error err;
    dtmf_detector *d;
    int rc;

    run->rate = 8000;
    run->path = "mic";
    d = dtmf_detector_new(run->rate, dp, on_digit, run, &err);
    if (!d)
        return cli_report(&err);
    rc = cli_listen(device, run->rate, seconds, push_chunk, d);
    dtmf_detector_flush(d);
    dtmf_detector_free(d);
    if (run->style == OUT_DIGITS)
        printf("%s\n", run->digits);
    return rc;
}

static const struct option detect_opts[] = {
    {"digits", no_argument, 0, OPT_DIGITS},
    {"json", no_argument, 0, OPT_JSON},
    {"verbose", no_argument, 0, 'v'},
    {"expect", required_argument, 0, OPT_EXPECT},
    CLI_MIC_OPTIONS,
    CLI_AUDIO_OPTIONS,
    {"twist", required_argument, 0, OPT_TWIST},
    {"reverse-twist", required_argument, 0, OPT_REVERSE_TWIST},
    {"min-level", required_argument, 0, OPT_MIN_LEVEL},
    {"min-duration", required_argument, 0, OPT_MIN_DURATION},
    {"freq-tolerance", required_argument, 0, OPT_FREQ_TOL},
    {"help", no_argument, 0, 'h'},
    {0, 0, 0, 0}};

/* The receiver's thresholds: a status, or -1 when c is not one of them. */
static int receiver_option(int c, const char *arg, dtmf_detector_params *dp)
{
    switch (c) {
    case OPT_TWIST:
        return cli_parse_double("--twist", arg, 0, 20, &dp->max_twist_db);
    case OPT_REVERSE_TWIST:
        return cli_parse_double("--reverse-twist", arg, 0, 20,
                                &dp->max_reverse_twist_db);
    case OPT_MIN_LEVEL:
        return cli_parse_double("--min-level", arg, -60, 0,
                                &dp->min_level_dbm0);
    case OPT_MIN_DURATION:
        return cli_parse_double("--min-duration", arg, 20, 1000,
                                &dp->min_duration_ms);
    case OPT_FREQ_TOL:
        return cli_parse_double("--freq-tolerance", arg, 0.5, 5,
                                &dp->freq_tolerance_pct);
    default:
        return -1;
    }
}

/* --expect: 0 when what was heard (in where) is what was expected; else
 * says so and returns 1. */
static int unexpected(const char *where, const char *expect,
                      const char *found)
{
    char want[MAX_DIGITS];

    dtmf_dial_digits(expect, want, sizeof want);
    if (!strcmp(want, found))
        return 0;
    cli_error("%s: expected %s, found %s", where, want,
              found[0] ? found : "no digits");
    return 1;
}

static int cmd_detect(int argc, char **argv)
{
    audio_read_opts ro = {.raw_rate_option = "--raw-rate"};
    dtmf_detector_params dp;
    detect_run run = {OUT_LINES, 0, NULL, NULL, 0, "", 0};
    const char *expect = NULL;
    int c, i, status, worst = IVR_OK, mismatch = 0;
    cli_mic mic = {0, 0, NULL, 0};
    ivr_error err;

    dtmf_detector_params_default(&dp);
    while ((c = getopt_long(argc, argv, ":vc:d:h", detect_opts, NULL)) != -1) {
        status = IVR_OK;
        switch (c) {
        case OPT_DIGITS: run.style = OUT_DIGITS; break;
        case OPT_JSON: run.style = OUT_JSON; break;
        case 'v': run.verbose = 1; break;
        case OPT_EXPECT:
            expect = optarg;
            if (dtmf_dial_check(expect, &err) != IVR_OK)
                return cli_usage_error("--expect: %s", err.message);
            break;
        case 'h': return help();
        default:
            if ((status = receiver_option(c, optarg, &dp)) >= 0)
                break;
            if ((status = cli_input_option(c, optarg, &mic, &ro)) < 0)
                return cli_bad_option(c, argv);
            if (mic.done)
                return status;
        }
        if (status != IVR_OK)
            return status;
    }
    if (cli_audio_check(&ro) != IVR_OK)
        return IVR_EUSAGE;
    if (mic.on && optind < argc)
        return cli_usage_error("detect: --mic or files, not both");
    if (mic.on) {
        status = detect_mic(mic.device, mic.seconds, &dp, &run);
        if (status == IVR_OK && expect && unexpected("mic", expect,
                                                     run.digits))
            return IVR_EFAIL;
        return status;
    }
    if (optind >= argc)
        return cli_usage_error("detect: FILE missing ('-' for standard "
                               "input)");
    for (i = optind; i < argc; i++) {
        run.path = argv[i];
        run.label = argc - optind > 1 ? argv[i] : NULL;
        status = detect_file(argv[i], &ro, &dp, &run);
        if (status > worst)
            worst = status;
        if (status == IVR_OK && expect)
            mismatch |= unexpected(argv[i], expect, run.digits);
    }
    if (worst != IVR_OK)
        return worst;
    return mismatch ? IVR_EFAIL : IVR_OK;
}

int main(int argc, char **argv)
{
    static const struct option opts[] = {
        {"help", no_argument, 0, 'h'},
        {"version", no_argument, 0, 'V'},
        {0, 0, 0, 0}};
    int c;

    cli_init(argv[0]);
    opterr = 0;   /* cli_bad_option words the complaints */
    if (argc > 1 && !strcmp(argv[1], "gen"))
        return cmd_gen(argc - 1, argv + 1);
    if (argc > 1 && !strcmp(argv[1], "detect"))
        return cmd_detect(argc - 1, argv + 1);
    while ((c = getopt_long(argc, argv, "+:hV", opts, NULL)) != -1) {
        switch (c) {
        case 'h': return help();
        case 'V': cli_print_version(); return IVR_OK;
        default: return cli_bad_option(c, argv);
        }
    }
    if (optind < argc)
        return cli_usage_error("unknown command '%s' (gen or detect)",
                               argv[optind]);
    return cli_usage_error("a command is needed: gen or detect");
}
